//! Case-insensitive prefix and substring search that answers with offsets into the original
//! text. Owns nothing else.
//!
//! Lower-casing a copy and slicing the original at offsets found in the copy is wrong: Unicode
//! case mapping changes lengths (`İ` lower-cases to two characters, the Kelvin sign `K` to a
//! one-byte `k`), so such an offset can fall inside a character or past the end. These
//! helpers compare character by character, each side lower-cased on the fly, and only ever
//! return offsets of the original. Needles are given in lower case.

/// Matches `needle` (lower case) at the start of `hay`, ignoring case; returns the byte length
/// of `hay` that matched. A character of `hay` whose lower case runs past the needle's end
/// does not match.
fn match_len(hay: &str, needle: &str) -> Option<usize> {
    let mut want = needle.chars();
    let mut used = 0;
    let mut rest = needle.len();
    for (i, c) in hay.char_indices() {
        if rest == 0 {
            return Some(i);
        }
        for l in c.to_lowercase() {
            let w = want.next()?;
            if w != l {
                return None;
            }
            rest -= w.len_utf8();
        }
        used = i + c.len_utf8();
    }
    (rest == 0).then_some(used)
}

/// `hay` without a leading `prefix` (lower case), ignoring case: a slice of the original.
pub fn strip_prefix<'a>(hay: &'a str, prefix: &str) -> Option<&'a str> {
    if prefix.is_empty() {
        return Some(hay);
    }
    match_len(hay, prefix).map(|n| &hay[n..])
}

/// True when `hay` starts with `prefix` (lower case), ignoring case.
pub fn starts_with(hay: &str, prefix: &str) -> bool {
    strip_prefix(hay, prefix).is_some()
}

/// The byte range in `hay` of the last occurrence of `needle` (lower case), ignoring case.
pub fn rfind(hay: &str, needle: &str) -> Option<(usize, usize)> {
    let starts = hay.char_indices().map(|(i, _)| i).rev();
    starts
        .filter_map(|i| match_len(&hay[i..], needle).map(|n| (i, i + n)))
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_the_original_texts_whatever_case_mapping_does_to_lengths() {
        // `İ` lower-cases to `i̇` (three bytes), the Kelvin sign to `k` (one byte).
        let s = "İİİİ bob \u{212A}en said:";
        let (a, b) = rfind(s, " said").expect("found");
        assert_eq!(&s[a..b], " said");
        assert_eq!(&s[..a], "İİİİ bob \u{212A}en");
        assert_eq!(strip_prefix("\u{212A}ELVIN", "kel"), Some("VIN"));
        assert_eq!(strip_prefix("EDITED İİİ", "edited"), Some(" İİİ"));
        assert_eq!(strip_prefix("Édité le 3", "édité"), Some(" le 3"));
        assert!(!starts_with("ed", "edited"));
        assert_eq!(rfind("abc", "x"), None);
    }

    #[test]
    fn a_character_whose_lower_case_runs_past_the_needle_does_not_match() {
        // `İ` is `i` plus a combining dot: the needle `i` alone is not all of it.
        assert_eq!(strip_prefix("İx", "i"), None);
        assert_eq!(strip_prefix("İx", "i\u{307}"), Some("x"));
    }
}
