//! Ingest: saved page bytes in, a [`Page`] (article + comments) out.
//!
//! Owns decoding, cleaning and splitting. It never touches the index or the file system: the
//! caller reads the bytes, so `extract` is a pure function that any number of threads can call.

pub mod dates;
pub mod decode;
pub mod error;
pub mod html;
pub mod input;
pub mod language;
pub mod lexicon;
pub mod lines;
pub mod markup;
pub mod page;
pub mod people;
pub mod template;
pub mod text;

pub use dates::Stamp;
pub use error::IngestError;
pub use markup::{GiveUp, ParserCounts, parser_counts};
pub use page::{Comment, Format, Page};

/// Entry points for the fuzz targets in `fuzz/`; not part of the library's API.
#[doc(hidden)]
pub mod fuzzing {
    /// Whether the quick parser builds the tree html5ever builds for `html`: `None` when it
    /// gives up (html5ever then parses alone), else the first difference, if any.
    pub fn quick_parser_agrees(html: &str) -> Option<Result<(), String>> {
        super::markup::quick::compare(html)
    }

    /// Whether the pre-parse guard keeps the text html5ever shows for the raw markup (outside
    /// the elements the guard drops on purpose); `Err` holds the first difference.
    pub fn guard_agrees(html: &str) -> Result<(), String> {
        super::markup::guard_agrees(html)
    }
}

/// File name extensions that hold pages.
pub const PAGE_EXTENSIONS: &[&str] = &["html", "htm", "xhtml", "shtml", "txt", "mhtml", "mht"];

/// Limits and choices for the ingest stage.
#[derive(Debug, Clone)]
pub struct IngestConfig {
    /// Bytes of a file that are read as the page; the rest is cut before decoding, so that
    /// no page costs more than bounded time and memory.
    pub max_file_bytes: usize,
    /// Element nesting deeper than this is flattened before parsing.
    pub max_depth: usize,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            // Real articles with their comment threads stay well under 8 MB of markup; the cap
            // keeps a pathological file to a fraction of a second of parsing.
            max_file_bytes: 16 * 1024 * 1024,
            // Real pages nest a few dozen levels; 256 leaves room for deep comment threads.
            max_depth: 256,
        }
    }
}

/// Which reader a file gets: by extension, else by a look at its first bytes.
pub fn format_of(path: &str, bytes: &[u8]) -> Format {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("txt") => Format::Text,
        Some("html" | "htm" | "xhtml" | "shtml") => Format::Html,
        _ => {
            let start = bytes
                .iter()
                .position(|b| !b.is_ascii_whitespace())
                .unwrap_or(0);
            if bytes.get(start) == Some(&b'<') {
                Format::Html
            } else {
                Format::Text
            }
        }
    }
}

/// Extracts one page from its bytes.
///
/// `path` is only recorded on the page and used in errors. Never panics on any input (a panic
/// inside is caught and returned as an error); the cost
/// is bounded by `config.max_file_bytes` and `config.max_depth`.
///
/// # Errors
/// [`IngestError::Empty`], [`IngestError::Binary`] and [`IngestError::Redirect`] for files that
/// are not pages; [`IngestError::Internal`] when extraction hit a bug (a panic, caught here).
///
/// ```
/// use thresh::ingest::{extract, IngestConfig};
/// let html = b"<html lang=en><head><title>Rain | Weather Daily</title></head><body>\
///   <article><p>Rain is expected across the region on Tuesday, the weather service said, \
///   with heavy showers in the afternoon and a cooler evening.</p></article></body></html>";
/// let page = extract("rain.html", html, &IngestConfig::default()).unwrap();
/// assert_eq!(page.title.as_deref(), Some("Rain"));
/// assert_eq!(page.site.as_deref(), Some("Weather Daily"));
/// assert!(page.body.starts_with("Rain is expected"));
/// ```
pub fn extract(path: &str, bytes: &[u8], config: &IngestConfig) -> Result<Page, IngestError> {
    // The panic boundary: a bug that one page trips costs that page, not the run.
    crate::panics::catch(|| extract_unguarded(path, bytes, config)).unwrap_or_else(|message| {
        Err(IngestError::Internal {
            path: path.to_string(),
            message,
        })
    })
}

fn extract_unguarded(path: &str, bytes: &[u8], config: &IngestConfig) -> Result<Page, IngestError> {
    let bytes = &bytes[..bytes.len().min(config.max_file_bytes)];
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(IngestError::Empty {
            path: path.to_string(),
        });
    }
    let unwrapped = input::unwrap(path, bytes, config.max_file_bytes).map_err(|reason| {
        IngestError::Container {
            path: path.to_string(),
            reason,
        }
    })?;
    extract_document(path, unwrapped, config)
}

/// One page of an archive file ([`extract_archive`]).
#[derive(Debug)]
pub struct ArchivePage {
    /// The page's key: the file and its record, `FILE#URI`, or `FILE#N` (the record's place in
    /// the file) for a record without an address or whose address an earlier record had.
    pub key: String,
    /// The page, or why its record gave none.
    pub page: Result<Page, IngestError>,
}

/// Whether a file is an archive of many pages (a WARC file), read by [`extract_archive`].
pub fn is_archive(path: &str) -> bool {
    input::warc::is_warc_name(path)
}

/// Extracts every page of an archive file (a WARC file, gzipped when its name ends in `.gz`)
/// read from `reader`, giving each to `each` as it is read: the file is streamed, and no more
/// than one page's bytes (up to `config.max_file_bytes`) is held at once.
///
/// # Errors
/// [`IngestError::Container`] when the file is damaged: the record and why. The pages before
/// the damage have been given to `each`.
pub fn extract_archive(
    path: &str,
    reader: impl std::io::Read,
    config: &IngestConfig,
    mut each: impl FnMut(ArchivePage),
) -> Result<(), IngestError> {
    let gzip = path.to_ascii_lowercase().ends_with(".gz");
    let mut seen = std::collections::HashSet::new();
    for record in input::warc::records(reader, gzip, config.max_file_bytes) {
        let record = record.map_err(|reason| IngestError::Container {
            path: path.to_string(),
            reason,
        })?;
        let key = match &record.uri {
            Some(uri) if seen.insert(uri.clone()) => format!("{path}#{uri}"),
            _ => format!("{path}#{}", record.position),
        };
        let page = match record.page {
            Ok(unwrapped) => crate::panics::catch(|| extract_document(&key, unwrapped, config))
                .unwrap_or_else(|message| {
                    Err(IngestError::Internal {
                        path: key.clone(),
                        message,
                    })
                }),
            Err(reason) => Err(IngestError::Container {
                path: key.clone(),
                reason,
            }),
        };
        each(ArchivePage { key, page });
    }
    Ok(())
}

/// Extracts the page of a document unwrapped from its file.
fn extract_document(
    path: &str,
    unwrapped: input::Unwrapped<'_>,
    config: &IngestConfig,
) -> Result<Page, IngestError> {
    let bytes = &*unwrapped.bytes;
    if unwrapped.container.is_some() && bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(IngestError::Empty {
            path: path.to_string(),
        });
    }
    if is_binary(bytes) {
        return Err(IngestError::Binary {
            path: path.to_string(),
        });
    }
    let format = if unwrapped.html {
        Format::Html
    } else {
        format_of(path, bytes)
    };
    let decoded = decode::decode_in(bytes, format == Format::Html, unwrapped.charset);
    let mut page = Page::empty(path, format, decoded.encoding.name());
    // The container's capture time is known before the page is read: relative comment times
    // ("3 hours ago") are read against it.
    page.captured = unwrapped.captured;
    match format {
        Format::Html => html::extract(&decoded.text, config, &mut page)?,
        Format::Text => text::extract(&decoded.text, &mut page),
    }
    if page.url.is_none() {
        page.url = unwrapped.url;
    }
    if page.lang.is_none() {
        page.lang = language::detect_lang(&page.body, &page.comments);
    }
    page.tidy_people();
    page.drop_implausible_dates();
    page.drop_furniture_comments();
    page.normalize();
    Ok(page)
}

/// NUL bytes per this many bytes that a file opening as markup may hold and still be a page: a
/// damaged save has a stray one or a few spliced in, binary data has one in every few hundred.
const MARKUP_NUL_SHARE: usize = 1000;

/// NUL bytes (beyond a damaged page's few) or a high share of control bytes in the first
/// kilobytes mean binary data. A UTF-16 page with a byte-order mark has NULs but is text.
fn is_binary(bytes: &[u8]) -> bool {
    if encoding_rs::Encoding::for_bom(bytes).is_some() || decode::utf16_without_bom(bytes).is_some()
    {
        return false;
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let nuls = memchr::memchr_iter(0, sample).count();
    let markup = sample.trim_ascii_start().starts_with(b"<");
    if nuls > 0 && !(markup && nuls * MARKUP_NUL_SHARE <= sample.len()) {
        return true;
    }
    let control = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b))
        .count();
    control * 10 > sample.len()
}
