//! Stories: when two saved pages are copies of one story. Two pages are when their own
//! addresses are equal once the parts that do not name a story are dropped ([`url_key`]), or
//! when the larger of their article bodies holds at least [`SAME_STORY_CONTAINMENT`] of the
//! smaller one's shingles of [`SHINGLE_WORDS`] words, as estimated from bottom-k MinHash
//! sketches ([`Sketch`]). Containment rather than resemblance: a page saved as a text dump keeps
//! lines around the story that the HTML reader cuts, which lowers resemblance, not containment.
//!
//! The sketch is written here rather than taken from a crate: it is a sort and a merge over the
//! hashes of a body's shingles, and the shingling is thresh's choice.

/// Words in a shingle: a story told again in other words shares few shingles, one saved twice
/// (as HTML and as a text dump, with different boilerplate left around it) shares most.
pub const SHINGLE_WORDS: usize = 3;

/// The estimated share of the smaller body that the larger must hold for two pages to be one
/// story (measured with `bench/duplicates.sh`: copies of one page saved as HTML, as a text dump
/// and as MHTML against every pair of distinct pages of the yardsticks).
pub const SAME_STORY_CONTAINMENT: f64 = 0.8;

/// Bodies with fewer words than this get no sketch: a few words say too little to call two
/// pages one story.
pub const MIN_WORDS: usize = 60;

/// Query parameters that follow a reader rather than name a page.
const TRACKING: &[&str] = &[
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid", "_ga", "ref_src",
    "cmpid", "ocid",
];

/// An address as a story's key: scheme, `www.`, port, fragment, a trailing slash and tracking
/// parameters (`utm_*` and [`TRACKING`]) dropped, host in lower case, the other parameters
/// sorted. `None` for what is not an `http(s)` address.
pub fn url_key(url: &str) -> Option<String> {
    let url = url.trim();
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let rest = rest.split('#').next().unwrap_or("");
    let (authority, path_query) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host.split(':').next().unwrap_or("").to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    if host.is_empty() {
        return None;
    }
    let (path, query) = path_query.split_once('?').unwrap_or((path_query, ""));
    let path = path.trim_end_matches('/');
    let mut params: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let name = p.split('=').next().unwrap_or("").to_ascii_lowercase();
            !name.starts_with("utm_") && !TRACKING.contains(&name.as_str())
        })
        .collect();
    params.sort_unstable();
    let mut key = format!("{host}{path}");
    if !params.is_empty() {
        key.push('?');
        key.push_str(&params.join("&"));
    }
    Some(key)
}

/// Words of a body a [`Sketch`] is made from: a story's opening words say which story it is,
/// and a long page costs no more than a short one.
pub const SKETCH_WORDS: usize = 1500;

/// Hashes kept in a [`Sketch`].
pub const SKETCH_HASHES: usize = 128;

/// A bottom-k MinHash sketch of a body's shingles: the smallest [`SKETCH_HASHES`] distinct
/// shingle hashes and how many distinct shingles there are. Two sketches estimate how much of
/// the smaller body the larger holds ([`Sketch::containment`]), which a copy saved with more
/// or less around the story keeps high.
#[derive(Debug, Clone, PartialEq)]
pub struct Sketch {
    /// Distinct shingles in the body.
    pub shingles: usize,
    /// The smallest shingle hashes, ascending.
    pub mins: Vec<u64>,
}

impl Sketch {
    /// The sketch of a body, from its first [`SKETCH_WORDS`] words; `None` under
    /// [`MIN_WORDS`] words.
    pub fn of(body: &str) -> Option<Sketch> {
        let words = word_hashes(body);
        if words.len() < MIN_WORDS {
            return None;
        }
        let mut hashes: Vec<u64> = words
            .windows(SHINGLE_WORDS)
            .map(|w| {
                w.iter().fold(0x9e37_79b9_7f4a_7c15_u64, |h, &x| {
                    (h ^ x).wrapping_mul(0xff51_afd7_ed55_8ccd).rotate_left(29)
                })
            })
            .collect();
        hashes.sort_unstable();
        hashes.dedup();
        let shingles = hashes.len();
        hashes.truncate(SKETCH_HASHES);
        Some(Sketch {
            shingles,
            mins: hashes,
        })
    }

    /// The estimated share of the smaller body's shingles that the larger holds.
    pub fn containment(&self, other: &Sketch) -> f64 {
        // The bottom k of the union, and how many of them both sketches hold: the Jaccard
        // resemblance of the two shingle sets.
        let (mut i, mut j, mut taken, mut both) = (0, 0, 0, 0);
        while taken < SKETCH_HASHES && (i < self.mins.len() || j < other.mins.len()) {
            let a = self.mins.get(i).copied().unwrap_or(u64::MAX);
            let b = other.mins.get(j).copied().unwrap_or(u64::MAX);
            if a == b {
                both += 1;
                i += 1;
                j += 1;
            } else if a < b {
                i += 1;
            } else {
                j += 1;
            }
            taken += 1;
        }
        if taken == 0 {
            return 0.0;
        }
        let jaccard = both as f64 / taken as f64;
        let (a, b) = (self.shingles as f64, other.shingles as f64);
        (jaccard * (a + b) / ((1.0 + jaccard) * a.min(b))).min(1.0)
    }
}

/// Hashes of a body's first [`SKETCH_WORDS`] words (letters and digits, in lower case).
fn word_hashes(body: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<u64>| {
        if !word.is_empty() {
            out.push(xxhash_rust::xxh3::xxh3_64(word.as_bytes()));
            word.clear();
        }
    };
    for c in body.chars() {
        if out.len() >= SKETCH_WORDS {
            return out;
        }
        if c.is_alphanumeric() {
            if c.is_ascii() {
                word.push(c.to_ascii_lowercase());
            } else {
                word.extend(c.to_lowercase());
            }
        } else {
            flush(&mut word, &mut out);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Whether two pages are copies of one story: by their address keys, else by their sketches.
pub fn same_story(a: (Option<&str>, Option<&Sketch>), b: (Option<&str>, Option<&Sketch>)) -> bool {
    if let (Some(x), Some(y)) = (a.0, b.0)
        && x == y
    {
        return true;
    }
    match (a.1, b.1) {
        (Some(x), Some(y)) => x.containment(y) >= SAME_STORY_CONTAINMENT,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_of_one_story_share_a_key() {
        let k = |u: &str| url_key(u).unwrap();
        let base = k("https://www.example.com/news/story-1");
        for same in [
            "http://example.com/news/story-1/",
            "https://EXAMPLE.com:443/news/story-1#comments",
            "https://www.example.com/news/story-1?utm_source=x&utm_medium=y",
            "https://example.com/news/story-1?fbclid=abc",
        ] {
            assert_eq!(k(same), base, "{same}");
        }
        assert_ne!(k("https://example.com/news/story-2"), base);
        assert_ne!(k("https://example.com/news/story-1?id=2"), base);
        assert_eq!(
            k("https://a.example/p?b=2&a=1"),
            k("https://a.example/p?a=1&b=2")
        );
        assert_eq!(url_key("mailto:someone@example.com"), None);
        assert_eq!(url_key("/relative/path"), None);
    }

    #[test]
    fn a_copy_with_other_boilerplate_is_one_story_and_another_story_is_not() {
        let story = "The council met on Tuesday evening to discuss the future of the old \
            lighthouse, which has served the town for more than a century and needs repairs \
            before winter. Residents spoke for two hours; most asked the council to keep it \
            open and to pay for the work from the harbour fund rather than from new fees. \
            The mayor said a decision would follow after the engineers report in March.";
        let copy = format!("Home News Sport\n{story}\nShare this story. Subscribe today.");
        let other = "The regatta drew forty boats on Saturday despite a cold wind from the \
            north, and the junior crews finished ahead of last year's times on every course. \
            Organisers thanked the volunteers who ran the safety launches and the kitchen, and \
            said next year's entry list would open in the spring with a new class for rowing \
            boats built by local schools, which several teams had asked for.";
        let (a, b, c) = (
            Sketch::of(story).unwrap(),
            Sketch::of(&copy).unwrap(),
            Sketch::of(other).unwrap(),
        );
        assert!(
            same_story((None, Some(&a)), (None, Some(&b))),
            "{}",
            a.containment(&b)
        );
        assert!(
            !same_story((None, Some(&a)), (None, Some(&c))),
            "{}",
            a.containment(&c)
        );
        // One address is one story whatever the bodies say.
        let key = url_key("https://example.com/a");
        assert!(same_story(
            (key.as_deref(), Some(&a)),
            (key.as_deref(), Some(&c))
        ));
        assert_eq!(Sketch::of("Too short to tell."), None);
    }
}
