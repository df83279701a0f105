//! What saving tools write into a page about where and when they saved it: a browser's
//! `saved from url=` note and SingleFile's header comment.

use crate::ingest::Stamp;

/// `saved from url=(0042)https://example.com/page` in a comment at the top of a saved page.
pub fn saved_from_note(comment: &str) -> Option<String> {
    let p = comment.find("saved from url=")?;
    let rest = &comment[p + "saved from url=".len()..];
    let rest = rest.trim_start_matches(|c: char| c == '(' || c == ')' || c.is_ascii_digit());
    let url = rest.split_whitespace().next()?;
    url.starts_with("http").then(|| url.to_string())
}

/// What SingleFile's header comment says: where the page was saved from, and when.
#[derive(Debug, PartialEq)]
pub struct SavedNote {
    /// The `url:` line.
    pub url: Option<String>,
    /// The `saved date:` line.
    pub saved: Option<Stamp>,
}

/// SingleFile's header comment: `Page saved with SingleFile`, then `url: …` and
/// `saved date: …` lines, the date as a browser prints one
/// (`Thu Nov 19 2020 10:11:12 GMT+0100 (Central European Standard Time)`).
pub fn singlefile_note(comment: &str) -> Option<SavedNote> {
    if !comment.contains("saved with SingleFile") {
        return None;
    }
    let mut note = SavedNote {
        url: None,
        saved: None,
    };
    for line in comment.lines().map(str::trim) {
        if let Some(u) = line.strip_prefix("url:") {
            note.url = Some(u.trim().to_string()).filter(|u| u.starts_with("http"));
        } else if let Some(d) = line.strip_prefix("saved date:") {
            note.saved = browser_date(d.trim());
        }
    }
    Some(note)
}

/// A date as JavaScript's `Date.toString` prints it: `Thu Nov 19 2020 10:11:12 GMT+0100 (…)`.
fn browser_date(text: &str) -> Option<Stamp> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let [_, month, day, year, time, zone, ..] = words.as_slice() else {
        return None;
    };
    let date =
        chrono::NaiveDate::parse_from_str(&format!("{month} {day} {year}"), "%b %d %Y").ok()?;
    let time = chrono::NaiveTime::parse_from_str(time, "%H:%M:%S").ok()?;
    let zone = zone.strip_prefix("GMT")?;
    let (sign, digits) = match zone.as_bytes().first() {
        Some(b'+') => (1, &zone[1..]),
        Some(b'-') => (-1, &zone[1..]),
        _ => return None,
    };
    let (h, m) = (digits.get(..2)?, digits.get(2..4)?);
    let offset = sign * (h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60);
    use chrono::Datelike;
    Some(
        Stamp::new(date.year(), date.month(), date.day())?
            .with_time(time)
            .with_offset(offset),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singlefile_notes_give_the_address_and_the_save_time() {
        let note = "\n Page saved with SingleFile \n url: https://blog.example.net/post/7 \n \
                    saved date: Thu Nov 19 2020 10:11:12 GMT+0100 (Central European Standard Time)\n";
        let n = singlefile_note(note).unwrap();
        assert_eq!(n.url.as_deref(), Some("https://blog.example.net/post/7"));
        assert_eq!(
            n.saved.map(|s| s.to_string()).as_deref(),
            Some("2020-11-19T10:11:12+01:00")
        );
        assert_eq!(
            singlefile_note(" saved from url=(0020)https://a.example/ "),
            None
        );
        let bad = singlefile_note("Page saved with SingleFile\nsaved date: someday").unwrap();
        assert_eq!(bad.saved, None);
    }
}
