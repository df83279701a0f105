//! Site templates: the lines a site repeats on many of its pages (a standing notice, a footer
//! sentence, a newsletter line, a documentation generator's fixed headings), learned from a
//! sample of the site's own pages in the corpus and cut from each page's body.
//!
//! A page alone cannot tell its site's furniture from its article: the same sentence is an
//! article's closing line on one page and the site's footer on every page. Across pages it
//! can. Written here rather than taken from a crate because it is the corpus-level half of
//! extraction, which no extractor of single pages has.
//!
//! A site is the host of the page's own address (canonical link, `og:url`, the saved-from
//! note) when the first kilobytes name one, else the folder the file sits in. The learning is
//! deterministic: the sample is the site's pages with the smallest path hashes, so the same
//! corpus gives the same table whatever order threads finish in.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::input;
use super::markup::{self, quick};
use super::page::Page;

/// Pages of a site a template is learned from: enough that a line on a quarter of them is
/// not chance, few enough that learning costs little beside indexing the site.
pub const SAMPLE_PAGES: usize = 32;

/// Pages a line must appear on (at least) to be template: a site of one page is never cut.
pub const MIN_PAGES: usize = 2;

/// Share of the sampled pages a line must appear on (one in this many).
const MIN_SHARE_DIVISOR: usize = 4;

/// Bytes of a file searched for the page's own address: the head of nearly every saved page
/// fits, and a page whose head is longer falls back to its folder.
pub const ADDRESS_SCAN_BYTES: usize = 64 * 1024;

/// Bytes of a file read first for its address: most heads end within them, and the rest of
/// [`ADDRESS_SCAN_BYTES`] is read only when they do not ([`scan_own_host`]).
pub const ADDRESS_FIRST_BYTES: usize = 8 * 1024;

/// Bytes at the top of a file where a browser writes its saved-from note.
const SAVED_FROM_SCAN_BYTES: usize = 1024;

/// A site's template: the keys of its recurring lines (see [`line_key`]), sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    /// Line keys, sorted and distinct.
    pub lines: Vec<u64>,
}

impl Template {
    /// Whether the template cuts nothing.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    fn holds(&self, key: u64) -> bool {
        self.lines.binary_search(&key).is_ok()
    }

    /// Share of the union of two templates' lines they do not share (0 when equal, 1 when
    /// disjoint): how much re-learning a site changed what its pages lose.
    pub fn distance(&self, other: &Template) -> f64 {
        let (a, b) = (&self.lines, &other.lines);
        if a.is_empty() && b.is_empty() {
            return 0.0;
        }
        let shared = a.iter().filter(|k| b.binary_search(k).is_ok()).count();
        let union = a.len() + b.len() - shared;
        1.0 - shared as f64 / union as f64
    }
}

/// The key of one body line: its words lower-cased and single-spaced, every run of digits read
/// as one digit (so `Page 3 of 12` and `© 2019` recur), hashed. `None` for a blank line and a
/// program listing's line.
pub fn line_key(line: &str) -> Option<u64> {
    line_key_in(line, &mut Vec::new())
}

/// Whether a line is one of a program listing's: source code recurs by its nature (braces,
/// `fn main() {`, attributes, argument lines), and a listing missing a line is wrong, so such
/// a line is never template.
fn is_listing_line(line: &str) -> bool {
    let t = line.trim();
    matches!(
        t.as_bytes().last(),
        Some(b'{' | b'}' | b'[' | b']' | b'(' | b';' | b',')
    ) || t.starts_with("#[")
        || t.starts_with("#![")
        || t.starts_with("//")
}

/// [`line_key`] with a buffer the caller keeps across lines (a page has hundreds).
fn line_key_in(line: &str, norm: &mut Vec<u8>) -> Option<u64> {
    norm.clear();
    if is_listing_line(line) {
        return None;
    }
    let mut gap = false;
    let mut digits = false;
    if line.is_ascii() {
        // The same rules as below, a byte at a time: nearly every line is ASCII.
        for &b in line.as_bytes() {
            match b {
                b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => {
                    gap = true;
                    digits = false;
                }
                _ => {
                    if gap && !norm.is_empty() {
                        norm.push(b' ');
                    }
                    gap = false;
                    if b.is_ascii_digit() {
                        if !digits {
                            norm.push(b'0');
                        }
                        digits = true;
                    } else {
                        digits = false;
                        norm.push(b.to_ascii_lowercase());
                    }
                }
            }
        }
        return (!norm.is_empty()).then(|| xxhash_rust::xxh3::xxh3_64(norm));
    }
    normalize_chars(line, norm);
    (!norm.is_empty()).then(|| xxhash_rust::xxh3::xxh3_64(norm))
}

/// The line normal form of [`line_key`], a character at a time.
fn normalize_chars(line: &str, norm: &mut Vec<u8>) {
    let mut gap = false;
    let mut digits = false;
    for c in line.chars() {
        if c.is_whitespace() {
            gap = true;
            digits = false;
            continue;
        }
        if gap && !norm.is_empty() {
            norm.push(b' ');
        }
        gap = false;
        if c.is_ascii_digit() {
            if !digits {
                norm.push(b'0');
            }
            digits = true;
            continue;
        }
        digits = false;
        if c.is_ascii() {
            norm.push(c.to_ascii_lowercase() as u8);
        } else {
            let mut utf8 = [0; 4];
            for l in c.to_lowercase() {
                norm.extend_from_slice(l.encode_utf8(&mut utf8).as_bytes());
            }
        }
    }
}

/// The distinct keys of a page's body lines: what learning counts.
pub fn page_keys(page: &Page) -> Vec<u64> {
    let mut norm = Vec::new();
    let mut keys: Vec<u64> = page
        .body
        .lines()
        .filter_map(|l| line_key_in(l, &mut norm))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Learns a site's template from its sampled pages' keys ([`page_keys`] of each): the lines on
/// at least [`MIN_PAGES`] of them and on a quarter of them.
pub fn learn(samples: &[Vec<u64>]) -> Template {
    let need = MIN_PAGES.max(samples.len().div_ceil(MIN_SHARE_DIVISOR));
    if samples.len() < need {
        return Template::default();
    }
    let mut counts: HashMap<u64, usize> = HashMap::new();
    for keys in samples {
        for &k in keys {
            *counts.entry(k).or_default() += 1;
        }
    }
    let mut lines: Vec<u64> = counts
        .into_iter()
        .filter(|&(_, n)| n >= need)
        .map(|(k, _)| k)
        .collect();
    lines.sort_unstable();
    Template { lines }
}

/// Cuts a site's template lines from a page's body; returns how many lines went. A page the
/// template would take more than half of is left whole: on such a page (a site's index, a
/// short notice) the recurring lines are what it says.
pub fn apply(template: &Template, page: &mut Page) -> usize {
    if template.is_empty() || page.body.is_empty() {
        return 0;
    }
    let mut norm = Vec::new();
    let mut cut = 0;
    let cut_lines: Vec<bool> = page
        .body
        .lines()
        .map(|l| {
            let is_template = line_key_in(l, &mut norm).is_some_and(|k| template.holds(k));
            cut += if is_template { l.len() } else { 0 };
            is_template
        })
        .collect();
    if cut == 0 || cut * 2 > page.body.trim().len() {
        return 0;
    }
    let mut out = String::with_capacity(page.body.len() - cut);
    let mut removed = 0;
    let mut blank = true;
    for (line, &is_template) in page.body.lines().zip(&cut_lines) {
        if is_template {
            removed += 1;
            continue;
        }
        let is_blank = line.trim().is_empty();
        // Cutting a paragraph leaves its blank neighbours: keep one.
        if is_blank && blank {
            continue;
        }
        blank = is_blank;
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with('\n') {
        out.pop();
    }
    page.body = out;
    removed
}

/// The site a file belongs to for templates: `//host` when the page names its own address
/// ([`own_host`]), else `/folder` (the folder of `rel`, a `/`-separated path inside the corpus).
pub fn site_key(host: Option<&str>, rel: &str) -> String {
    match host {
        Some(host) => format!("//{host}"),
        None => format!("/{}", rel.rsplit_once('/').map_or("", |(f, _)| f)),
    }
}

/// The host of the page's own address, from its first [`ADDRESS_SCAN_BYTES`]: the saved-from
/// note, a canonical link or `og:url` before `<body>`, lower case and without `www.`. Read from
/// the raw bytes, before the page is decoded (an address is ASCII in every charset a page is
/// saved in but UTF-16, whose pages fall back to their folder).
pub fn own_host(bytes: &[u8]) -> Option<String> {
    scan_own_host(bytes).0
}

/// [`own_host`] on the first bytes of a file, and whether they settle it: a `false` says the
/// bytes ended inside the head before any address, so that more of the file may name one.
pub fn scan_own_host(bytes: &[u8]) -> (Option<String>, bool) {
    let head = &bytes[..bytes.len().min(ADDRESS_SCAN_BYTES)];
    let top = &head[..head.len().min(SAVED_FROM_SCAN_BYTES)];
    if memchr::memmem::find(top, b"saved from url=").is_some()
        && let Some(url) = input::notes::saved_from_note(&String::from_utf8_lossy(top))
    {
        return (site_host(&url), true);
    }
    if memchr::memmem::find(top, b"saved with SingleFile").is_some() {
        let note = input::notes::singlefile_note(&String::from_utf8_lossy(top));
        if let Some(url) = note.and_then(|n| n.url) {
            return (site_host(&url), true);
        }
    }
    if let Some(url) = input::declared_address(top) {
        return (site_host(&url), true);
    }
    let mut at = 0;
    while let Some(p) = memchr::memchr(b'<', &head[at..]) {
        let open = at + p;
        let name_end = head[open + 1..]
            .iter()
            .position(|&c| markup::ends_tag_name(c))
            .map_or(head.len(), |e| open + 1 + e);
        let close = markup::tag_end(head, name_end);
        if close >= head.len() {
            // A tag the bytes cut: what it says is not known yet.
            return (None, false);
        }
        at = close + 1;
        let name = &head[open + 1..name_end];
        let value = |tag: &str, attr: &str| quick::attribute(tag, attr);
        let address = if name.eq_ignore_ascii_case(b"link") {
            let tag = String::from_utf8_lossy(&head[open..at]);
            value(&tag, "rel")
                .filter(|r| {
                    r.split_ascii_whitespace()
                        .any(|w| w.eq_ignore_ascii_case("canonical"))
                })
                .and_then(|_| value(&tag, "href"))
        } else if name.eq_ignore_ascii_case(b"meta") {
            let tag = String::from_utf8_lossy(&head[open..at]);
            value(&tag, "property")
                .or_else(|| value(&tag, "name"))
                .filter(|p| p.eq_ignore_ascii_case("og:url"))
                .and_then(|_| value(&tag, "content"))
        } else if name.eq_ignore_ascii_case(b"body") {
            return (None, true);
        } else {
            None
        };
        if let Some(host) = address.and_then(|a| site_host(&a)) {
            return (Some(host), true);
        }
    }
    (None, false)
}

/// The host of an address as a site: lower case, no `www.`, a dotted DNS name.
fn site_host(url: &str) -> Option<String> {
    let host = input::host_of(url.trim())?;
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let valid = host.contains('.')
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'));
    valid.then(|| host.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Format;

    fn page(body: &str) -> Page {
        let mut p = Page::empty("a.html", Format::Html, "UTF-8");
        p.body = body.to_string();
        p
    }

    #[test]
    fn the_ascii_path_keys_lines_as_the_character_path_does() {
        let alphabet = b"aZ 09\t\r\n\x0b\x0c.,-#/{}";
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let (mut fast, mut slow) = (Vec::new(), Vec::new());
        for _ in 0..2000 {
            let mut line = String::new();
            for _ in 0..(seed % 24) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                line.push(char::from(
                    alphabet[(seed % alphabet.len() as u64) as usize],
                ));
            }
            let key = line_key_in(&line, &mut fast);
            if key.is_some() {
                slow.clear();
                normalize_chars(&line, &mut slow);
                assert_eq!(fast, slow, "{line:?}");
            }
        }
    }

    #[test]
    fn line_keys_ignore_case_spacing_and_numbers() {
        assert_eq!(line_key("Page 3 of 12"), line_key("page  7 OF 120 "));
        assert_eq!(line_key("© 2019 The Daily"), line_key("© 2024 The Daily"));
        assert_ne!(line_key("Sign up today"), line_key("Sign up now"));
        assert_eq!(line_key("   "), None);
        assert_eq!(line_key("fn main() {"), None);
        assert_eq!(line_key("    k: __mmask8,"), None);
        assert_eq!(line_key("#![allow(unused)]"), None);
    }

    #[test]
    fn a_line_on_a_quarter_of_a_sites_pages_is_template() {
        let footer = line_key("Follow the Harbour Gazette on every network.").unwrap();
        let mut samples: Vec<Vec<u64>> = (0..16u64).map(|i| vec![i + 1000]).collect();
        for s in samples.iter_mut().take(4) {
            s.push(footer);
        }
        assert_eq!(learn(&samples).lines, vec![footer]);
        // On three pages of sixteen it is not.
        samples[3].pop();
        assert!(learn(&samples).is_empty());
    }

    #[test]
    fn a_site_of_one_page_has_no_template() {
        let k = line_key("Subscribe to our newsletter").unwrap();
        assert!(learn(&[vec![k]]).is_empty());
        assert!(learn(&[vec![k], vec![k + 1]]).is_empty());
        assert_eq!(learn(&[vec![k], vec![k]]).lines, vec![k]);
    }

    #[test]
    fn applying_cuts_template_lines_but_never_most_of_a_page() {
        let t = Template {
            lines: vec![line_key("Read our community guidelines.").unwrap()],
        };
        let mut p = page(
            "The council voted on Tuesday to rebuild the harbour wall.\n\n\
             Read our community guidelines.\n\nWork starts in spring.",
        );
        assert_eq!(apply(&t, &mut p), 1);
        assert_eq!(
            p.body,
            "The council voted on Tuesday to rebuild the harbour wall.\n\nWork starts in spring."
        );
        let mut short = page("Read our community guidelines.\n\nThanks.");
        assert_eq!(apply(&t, &mut short), 0);
        assert!(short.body.starts_with("Read our"));
    }

    #[test]
    fn the_site_is_the_pages_own_host_else_its_folder() {
        let key = |rel: &str, bytes: &[u8]| site_key(own_host(bytes).as_deref(), rel);
        let html = br#"<html><head><meta charset=utf-8>
            <link href="https://WWW.Example.com:443/a/story?x=1" rel="alternate canonical">
            </head><body>text</body></html>"#;
        assert_eq!(key("news/a.html", html), "//example.com");
        let og = b"<html><head><meta content='http://blog.example.org/p/1' property=og:url>";
        assert_eq!(key("a.html", og), "//blog.example.org");
        let saved =
            b"<!DOCTYPE html>\n<!-- saved from url=(0030)https://news.example.net/x -->\n<html>";
        assert_eq!(key("a.html", saved), "//news.example.net");
        let singlefile = b"<!DOCTYPE html> <html lang=en><!--\n Page saved with SingleFile \n \
            url: https://www.blog.example.com/p/2 \n saved date: Thu Nov 19 2020 10:11:12 GMT+0000 \
            (Coordinated Universal Time)\n--><head>";
        assert_eq!(key("a.html", singlefile), "//blog.example.com");
        let mhtml =
            b"From: <Saved by Blink>\r\nSnapshot-Content-Location: https://m.example.com/x\r\n\
            Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\
            \tboundary=\"b\"\r\n\r\n--b\r\n";
        assert_eq!(key("a.mhtml", mhtml), "//m.example.com");
        // A relative or missing address: the folder.
        let rel = br#"<link rel=canonical href="/a/story"><body>"#;
        assert_eq!(key("news/2019/a.html", rel), "/news/2019");
        assert_eq!(key("a.txt", b"plain text"), "/");
        // An address after the body starts is the article's, not the page's.
        let late = br#"<body><link rel=canonical href="https://other.example.com/">"#;
        assert_eq!(key("a.html", late), "/");
    }
}
