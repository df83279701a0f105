//! The page model: what ingest hands to the index, and what `thresh extract --json` prints.
//!
//! Owns the plain data types only; how they are filled is the business of the other ingest modules.

use serde::{Deserialize, Serialize};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use chrono::Datelike;

use super::dates::Stamp;

/// The first year a saved web page can date from: the web itself began in 1990-91, so an
/// earlier date on a page is a placeholder or a misread.
pub const FIRST_WEB_YEAR: i32 = 1990;

/// How a page was stored on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Markup: `.html`, `.htm`, `.xhtml`, `.shtml`.
    Html,
    /// A plain-text dump of a page, as a browser's "save as text" writes it.
    Text,
}

/// One saved page, split into its article and its reader comments.
///
/// Field order is the order of DESIGN.md's page model, which is the order `--json` prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// The path as given to `extract` (relative to the corpus root when indexing).
    pub path: String,
    /// Markup or text dump.
    pub format: Format,
    /// The article's title, without a ` | Site` suffix.
    pub title: Option<String>,
    /// The site's name (`og:site_name`, or the suffix cut from the title).
    pub site: Option<String>,
    /// The page's own address: canonical link, `og:url`, or the browser's saved-from comment.
    pub url: Option<String>,
    /// The article's byline.
    pub author: Option<String>,
    /// When the article was published.
    pub published: Option<Stamp>,
    /// When the page was saved (a capture footer, or the page's own record of it).
    pub captured: Option<Stamp>,
    /// ISO 639-1 code of the page's language: its `lang` attribute, else detection.
    pub lang: Option<String>,
    /// The character encoding the bytes were decoded with (WHATWG name).
    pub encoding: String,
    /// The article text: paragraphs separated by blank lines, no title, byline or boilerplate.
    pub body: String,
    /// Reader comments, in document order.
    pub comments: Vec<Comment>,
}

/// One reader comment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    /// Who wrote it, as the page shows the name.
    pub author: Option<String>,
    /// When it was posted.
    pub posted: Option<Stamp>,
    /// When it was last edited, from an `Edited at …` marker.
    pub edited: Option<Stamp>,
    /// Its text; empty when only an image or embed was there.
    pub text: String,
    /// Nesting depth (0 = top level) where the markup shows threading; `None` where it cannot be known.
    pub depth: Option<u32>,
}

impl Page {
    /// An empty page of the given format, to be filled in by the extractors.
    pub fn empty(path: &str, format: Format, encoding: &str) -> Page {
        Page {
            path: path.to_string(),
            format,
            title: None,
            site: None,
            url: None,
            author: None,
            published: None,
            captured: None,
            lang: None,
            encoding: encoding.to_string(),
            body: String::new(),
            comments: Vec::new(),
        }
    }

    /// Drops dates no saved web page can carry: before [`FIRST_WEB_YEAR`] (a page's "0001-01-01"
    /// placeholder, a misread number), or a publication or comment time after the page was
    /// captured (beyond a day, for time zones). A wrong date is worse than none: it decides
    /// what `--since` and `--until` keep.
    pub fn drop_implausible_dates(&mut self) {
        let plausible = |s: &Stamp| s.date().year() >= FIRST_WEB_YEAR;
        let captured = self.captured.filter(plausible);
        self.captured = captured;
        // Checked: a capture on the calendar's last day has no next day.
        let before_capture = |s: &Stamp| {
            captured.is_none_or(|c| {
                c.date()
                    .checked_add_days(chrono::Days::new(1))
                    .is_none_or(|limit| s.date() <= limit)
            })
        };
        let keep = |s: &mut Option<Stamp>| {
            *s = s.filter(|s| plausible(s) && before_capture(s));
        };
        keep(&mut self.published);
        for c in &mut self.comments {
            keep(&mut c.posted);
            keep(&mut c.edited);
        }
    }

    /// Drops what a comment section's furniture passed off as comments. Once lines of
    /// boilerplate and encoded paths are gone, a comment is kept when it has an author-and-time
    /// header, an author and some text, or, with neither, text that reads as a reader's words
    /// (at least [`COMMENT_MIN_WORDS`] words). A login bar (`My Profile Log Out | Community
    /// Guidelines`), a sort menu (`Newest first`), a lone label (`Comment`) or a lone date has
    /// none of these.
    pub fn drop_furniture_comments(&mut self) {
        for c in &mut self.comments {
            let kept: Vec<&str> = c.text.lines().filter(|l| !is_furniture_line(l)).collect();
            if kept.len() < c.text.lines().count() {
                c.text = kept.join("\n").trim().to_string();
            }
        }
        self.comments.retain(|c| {
            c.author.is_some() && (c.posted.is_some() || !c.text.is_empty())
                || c.text.split_whitespace().count() >= COMMENT_MIN_WORDS
        });
    }

    /// Author values reduced to names (see [`super::people::tidy`]): the article's and each
    /// comment's.
    pub fn tidy_people(&mut self) {
        self.author = self
            .author
            .as_deref()
            .and_then(|a| super::people::tidy(a, true));
        for c in &mut self.comments {
            c.author = c
                .author
                .as_deref()
                .and_then(|a| super::people::tidy(a, false));
        }
    }

    /// Puts the page's texts in one spelling: Unicode's composed normal form (NFC), so that
    /// `য়` as one code point and as `য` with a nukta are one string, and without soft hyphens
    /// and word joiners, which only hint at line breaks and would cut words in two.
    pub fn normalize(&mut self) {
        for text in [&mut self.title, &mut self.site, &mut self.author]
            .into_iter()
            .flatten()
        {
            normalize(text);
        }
        normalize(&mut self.body);
        for c in &mut self.comments {
            normalize(&mut c.text);
            if let Some(author) = &mut c.author {
                normalize(author);
            }
        }
    }
}

/// Words a comment without an author-and-time header needs to be a reader's comment rather
/// than a label or a button ("Leave a comment now" is four).
const COMMENT_MIN_WORDS: usize = 5;

/// A line of a comment that is furniture: boilerplate, or one token that is a site path or an
/// encoded one (`%2Ftennis%2F…`), which no reader writes as a whole line (a reader's link is a
/// whole address, and stays).
fn is_furniture_line(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() {
        return false;
    }
    let path = !t.contains(char::is_whitespace)
        && (t.starts_with('/') || t.contains("%2F") || t.contains("%2f"));
    path || super::lines::is_boilerplate_line(t)
}

/// Invisible line-break hints: soft hyphen, word joiner, zero-width no-break space.
const BREAK_HINTS: [char; 3] = ['\u{AD}', '\u{2060}', '\u{FEFF}'];

/// NFC and no break hints, in place; a text that has neither to change (nearly every one) is
/// only scanned.
fn normalize(text: &mut String) {
    // ASCII is composed and holds no break hint; one vectorised scan clears most texts.
    if text.is_ascii() {
        return;
    }
    // One vectorised search per hint beats one pass decoding every character.
    if BREAK_HINTS.iter().any(|&h| text.contains(h)) {
        text.retain(|c| !BREAK_HINTS.contains(&c));
    }
    if is_nfc_quick(text.chars()) != IsNormalized::Yes {
        *text = text.nfc().collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(author: Option<&str>, posted: bool, text: &str) -> Comment {
        Comment {
            author: author.map(str::to_string),
            posted: posted.then(|| Stamp::parse("2019-11-20").unwrap()),
            edited: None,
            text: text.to_string(),
            depth: None,
        }
    }

    #[test]
    fn furniture_is_no_comment_and_readers_words_are() {
        let mut page = Page::empty("p.html", Format::Html, "UTF-8");
        page.comments = vec![
            comment(
                Some("My Profile Log Out"),
                false,
                "| Community Guidelines\nJoin Discussion",
            ),
            comment(None, false, "Newest first\nOldest first\nMost liked"),
            comment(None, false, "Сomment"),
            comment(None, true, "Jul 3, 2019"),
            comment(
                None,
                false,
                "%2Ftennis%2Fargentina-wins-davis-cup-opener%2F",
            ),
            comment(Some("Gesponserte Inhalte"), false, ""),
            // Readers: a header with an empty text, a named reader's two words, an anonymous
            // reader's sentence (its stray path line goes).
            comment(Some("youtubelargo"), true, ""),
            comment(Some("Oskar"), false, "So brave."),
            comment(
                None,
                false,
                "/news/a-story\nThe bridge was closed for a week last spring too.",
            ),
        ];
        page.drop_furniture_comments();
        let kept: Vec<(Option<&str>, &str)> = page
            .comments
            .iter()
            .map(|c| (c.author.as_deref(), c.text.as_str()))
            .collect();
        assert_eq!(
            kept,
            [
                (Some("youtubelargo"), ""),
                (Some("Oskar"), "So brave."),
                (None, "The bridge was closed for a week last spring too."),
            ]
        );
    }

    #[test]
    fn normalize_gives_one_spelling_of_a_text() {
        let mut page = Page::empty("p.html", Format::Html, "UTF-8");
        page.title = Some("Cafe\u{301}".to_string());
        page.body = "\u{9DF} and e\u{301}, Wa\u{308}h\u{AD}rend".to_string();
        page.comments.push(Comment {
            author: Some("Zoe\u{308}".to_string()),
            posted: None,
            edited: None,
            text: "plain".to_string(),
            depth: None,
        });
        page.normalize();
        assert_eq!(page.title.as_deref(), Some("Caf\u{e9}"));
        // U+09DF is excluded from composition: its normal form is the two code points.
        assert_eq!(page.body, "\u{9AF}\u{9BC} and \u{e9}, W\u{e4}hrend");
        assert_eq!(page.comments[0].author.as_deref(), Some("Zo\u{eb}"));
        assert_eq!(page.comments[0].text, "plain");
    }
}

#[cfg(test)]
mod date_tests {
    use crate::ingest::{IngestConfig, extract};

    fn page_with(published: &str, saved: &str) -> String {
        format!(
            "<!-- saved from url=(0023)https://example.com/a -->\n<html><head>\
             <title>Motor show</title>{saved}\
             <meta property=\"article:published_time\" content=\"{published}\"></head><body>\
             <article><p>The motor show opened on Tuesday with more visitors than last year, \
             and the new models drew long queues at every stand in the hall.</p></article>\
             </body></html>"
        )
    }

    #[test]
    fn dates_no_saved_page_can_carry_are_dropped() {
        let config = IngestConfig::default();
        let placeholder = extract(
            "a.html",
            page_with("0001-01-01T00:00:00Z", "").as_bytes(),
            &config,
        )
        .unwrap();
        assert_eq!(placeholder.published, None);
        let real = extract(
            "a.html",
            page_with("2019-11-19T23:11:00Z", "").as_bytes(),
            &config,
        )
        .unwrap();
        assert_eq!(real.published.unwrap().to_string(), "2019-11-19T23:11:00Z");
        // After the page was captured: a misread, not a publication date.
        let mut later = real.clone();
        later.captured = crate::ingest::Stamp::new(2018, 1, 1);
        later.drop_implausible_dates();
        assert_eq!(later.published, None);
        // A day of slack for time zones.
        let mut same_day = real.clone();
        same_day.captured = crate::ingest::Stamp::new(2019, 11, 19);
        same_day.drop_implausible_dates();
        assert!(same_day.published.is_some());
        // A capture on the calendar's last day has no next day to allow for.
        let mut last_day = real.clone();
        last_day.captured = crate::ingest::Stamp::new(9999, 12, 31);
        last_day.drop_implausible_dates();
        assert!(last_day.published.is_some());
    }
}
