//! Input: the containers a page is saved in, unwrapped to the document's bytes and what the
//! container says of it (its address, when it was captured, its charset).
//!
//! A plain file is its own document. An MHTML archive ([`mhtml`]) holds the page as its HTML
//! part; a SingleFile self-extracting page ([`singlefile`]) holds it as the `index.html` of a ZIP
//! archive carried inside an HTML file. Nothing here reads what the document says: this layer
//! imports nothing of ingest but the date stamp.

pub mod mhtml;
pub mod notes;
pub mod singlefile;
pub mod warc;

use std::borrow::Cow;

use encoding_rs::Encoding;

use super::Stamp;

/// The document a file holds, and what its container says of it.
#[derive(Debug)]
pub struct Unwrapped<'a> {
    /// The document's bytes: the file's own, or a part of it decoded from the container.
    pub bytes: Cow<'a, [u8]>,
    /// The container says the document is HTML, whatever the file's name.
    pub html: bool,
    /// The address the page was saved from.
    pub url: Option<String>,
    /// When the page was saved.
    pub captured: Option<Stamp>,
    /// The charset the container declares for the document.
    pub charset: Option<&'static Encoding>,
    /// What the document was found in, for messages: `MHTML`, `SingleFile ZIP`.
    pub container: Option<&'static str>,
}

impl<'a> Unwrapped<'a> {
    /// A file that is its own document.
    pub fn plain(bytes: &'a [u8]) -> Unwrapped<'a> {
        Unwrapped {
            bytes: Cow::Borrowed(bytes),
            html: false,
            url: None,
            captured: None,
            charset: None,
            container: None,
        }
    }
}

/// Why a container gave no document, in a few words (the caller names the file).
pub type Broken = String;

/// Unwraps the document a file holds. `cap` bounds the bytes any one document may decode to
/// (a ZIP bomb, a base64 part of gigabytes): beyond it the document is cut, as a long plain
/// page is.
///
/// # Errors
/// A container that is recognised but holds no readable document (a MIME message with no HTML
/// part, a damaged ZIP): why, in a few words.
pub fn unwrap<'a>(path: &str, bytes: &'a [u8], cap: usize) -> Result<Unwrapped<'a>, Broken> {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if matches!(ext.as_str(), "mhtml" | "mht") || mhtml::looks_like(bytes) {
        return mhtml::unwrap(bytes, cap);
    }
    if singlefile::looks_like(bytes) {
        return singlefile::unwrap(bytes, cap);
    }
    Ok(Unwrapped::plain(bytes))
}

/// The address a container names for its page in its first bytes (an MHTML archive's
/// `Snapshot-Content-Location` header), before anything is decoded.
pub fn declared_address(top: &[u8]) -> Option<String> {
    mhtml::snapshot_location(top)
}

/// The host of a URL (`https://www.example.com/a` → `www.example.com`).
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_urls() {
        assert_eq!(
            host_of("https://www.Example.com:8080/a?b").as_deref(),
            Some("www.example.com")
        );
        assert_eq!(host_of("not a url"), None);
    }
}
