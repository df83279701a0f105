//! SingleFile's self-extracting form: an HTML file that carries a ZIP archive of the page (its
//! `index.html` and resources), unpacked by a script when opened in a browser. The page is the
//! archive's `index.html`. The ordinary SingleFile page is plain HTML whose header comment
//! (`Page saved with SingleFile`, `url:`, `saved date:`) is read with the page's metadata.
//!
//! The archive is read by the `zip` crate, which finds an archive after leading bytes.

use std::borrow::Cow;
use std::io::{Cursor, Read};

use super::{Broken, Unwrapped};

/// Bytes at the end of a file searched for the ZIP archive's end record (22 bytes and a
/// comment of at most 65,535).
const END_RECORD_SCAN_BYTES: usize = 22 + 65_535;

/// The ZIP end-of-central-directory record's signature.
const END_RECORD: &[u8] = b"PK\x05\x06";

/// A ZIP local file header's signature.
const LOCAL_HEADER: &[u8] = b"PK\x03\x04";

/// Markup that ends in a ZIP archive: an end record near the end, and a file entry before it.
pub fn looks_like(bytes: &[u8]) -> bool {
    if !bytes.trim_ascii_start().starts_with(b"<") {
        return false;
    }
    let tail_start = bytes.len().saturating_sub(END_RECORD_SCAN_BYTES);
    memchr::memmem::rfind(&bytes[tail_start..], END_RECORD)
        .is_some_and(|end| memchr::memmem::find(&bytes[..tail_start + end], LOCAL_HEADER).is_some())
}

/// The page the archive holds: its `index.html`, else its first HTML file.
///
/// # Errors
/// A damaged archive, or one with no HTML file.
pub fn unwrap(bytes: &[u8], cap: usize) -> Result<Unwrapped<'static>, Broken> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("SingleFile ZIP: damaged archive: {e}"))?;
    let name = {
        let names: Vec<&str> = archive.file_names().collect();
        names
            .iter()
            .find(|n| n.eq_ignore_ascii_case("index.html"))
            .or_else(|| {
                names.iter().find(|n| {
                    let n = n.to_ascii_lowercase();
                    n.ends_with(".html") || n.ends_with(".htm")
                })
            })
            .map(|n| (*n).to_string())
    }
    .ok_or("SingleFile ZIP: no HTML file in the archive")?;
    let entry = archive
        .by_name(&name)
        .map_err(|e| format!("SingleFile ZIP: {name}: {e}"))?;
    // What the entry inflates to is read up to the cap, whatever its header claims.
    let mut page = Vec::with_capacity((entry.size() as usize).min(cap).min(1 << 24));
    entry
        .take(cap as u64)
        .read_to_end(&mut page)
        .map_err(|e| format!("SingleFile ZIP: {name}: {e}"))?;
    Ok(Unwrapped {
        bytes: Cow::Owned(page),
        html: true,
        url: None,
        captured: None,
        charset: None,
        container: Some("SingleFile ZIP"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn self_extracting(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
        let mut out =
            b"<!DOCTYPE html><html><body><script>/* unpacks the page */</script>".to_vec();
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, data) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        out.extend(w.finish().unwrap().into_inner());
        out
    }

    #[test]
    fn the_archives_index_page_is_the_page() {
        let f = self_extracting(
            &[
                ("images/0.png", b"\x89PNG\r\n\x1a\n"),
                ("index.html", b"<title>Kept</title><p>The page inside.</p>"),
            ],
            zip::CompressionMethod::Deflated,
        );
        assert!(looks_like(&f));
        let u = unwrap(&f, 1 << 20).unwrap();
        assert_eq!(&*u.bytes, b"<title>Kept</title><p>The page inside.</p>");
        assert!(u.html);
    }

    #[test]
    fn a_bomb_is_read_only_to_the_cap() {
        let zeros = vec![b'a'; 4 << 20];
        let f = self_extracting(&[("index.html", &zeros)], zip::CompressionMethod::Deflated);
        assert!(f.len() < 64 * 1024, "{}", f.len());
        let u = unwrap(&f, 1 << 20).unwrap();
        assert_eq!(u.bytes.len(), 1 << 20);
    }

    #[test]
    fn a_damaged_archive_or_one_without_a_page_is_an_error() {
        let f = self_extracting(&[("style.css", b"p{}")], zip::CompressionMethod::Stored);
        assert_eq!(
            unwrap(&f, 1 << 20).unwrap_err(),
            "SingleFile ZIP: no HTML file in the archive"
        );
        let mut cut = self_extracting(
            &[("index.html", b"<p>x</p>")],
            zip::CompressionMethod::Stored,
        );
        let end = memchr::memmem::rfind(&cut, END_RECORD).unwrap();
        // The end record points at a central directory that is not there.
        cut[end + 16] ^= 0x55;
        assert!(unwrap(&cut, 1 << 20).is_err());
    }

    #[test]
    fn ordinary_markup_is_no_archive() {
        assert!(!looks_like(b"<p>PK\x05\x06 in prose</p>"));
        assert!(!looks_like(b"PK\x03\x04 a bare zip PK\x05\x06"));
    }
}
