//! The page model: what ingest hands to the index, and what `thresh extract --json` prints.
//!
//! Owns the plain data types only; how they are filled is the business of the other ingest modules.

use serde::{Deserialize, Serialize};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use super::dates::Stamp;

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
