//! MHTML: the MIME `multipart/related` archive that Chromium and Edge write for "Save as single
//! file" (`.mhtml`, `.mht`). The page is the first `text/html` part (the root); its
//! `Content-Location` is the address it was saved from and the message's `Date` the capture
//! time. Images, style sheets and frames in the other parts are not the page.
//!
//! MIME itself (headers, boundaries, quoted-printable, base64) is read by `mailparse`.

use std::borrow::Cow;

use mailparse::{MailHeaderMap, ParsedMail};

use super::{Broken, Unwrapped};
use crate::ingest::Stamp;

/// Bytes at the top of a file searched for the headers that make it an MHTML archive.
const SNIFF_BYTES: usize = 4096;

/// A file that opens with a MIME header block declaring `multipart/related`, whatever its name
/// (an archive saved as `.html` by hand).
pub fn looks_like(bytes: &[u8]) -> bool {
    let top = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let top = top.trim_ascii_start();
    // A header block starts with a field name and a colon, never with markup.
    let first_line = top.split(|&b| b == b'\n').next().unwrap_or_default();
    let is_field = first_line.iter().position(|&b| b == b':').is_some_and(|c| {
        c > 0
            && first_line[..c]
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'-')
    });
    if !is_field {
        return false;
    }
    let head_end = memchr::memmem::find(top, b"\n\n")
        .or_else(|| memchr::memmem::find(top, b"\r\n\r\n"))
        .unwrap_or(top.len());
    let head = top[..head_end].to_ascii_lowercase();
    memchr::memmem::find(&head, b"multipart/related").is_some()
        && memchr::memmem::find(&head, b"mime-version").is_some()
}

/// The `Snapshot-Content-Location` header Chromium writes at the top of an archive.
pub fn snapshot_location(top: &[u8]) -> Option<String> {
    if !looks_like(top) {
        return None;
    }
    let text = String::from_utf8_lossy(top);
    text.lines()
        .take_while(|l| !l.trim().is_empty())
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("snapshot-content-location")
                .then(|| value.trim().to_string())
        })
        .filter(|v| v.starts_with("http"))
}

/// The page an archive holds.
///
/// # Errors
/// Not a MIME message, or no HTML part in it.
pub fn unwrap(bytes: &[u8], cap: usize) -> Result<Unwrapped<'static>, Broken> {
    let message = mailparse::parse_mail(bytes).map_err(|e| format!("MHTML: {e}"))?;
    let root = root_part(&message).ok_or("MHTML: no HTML part")?;
    let mut body = root
        .get_body_raw()
        .map_err(|e| format!("MHTML: the HTML part cannot be decoded: {e}"))?;
    body.truncate(cap);
    let header = |name: &str| {
        root.headers
            .get_first_value(name)
            .or_else(|| message.headers.get_first_value(name))
    };
    let url = header("Content-Location")
        .or_else(|| message.headers.get_first_value("Snapshot-Content-Location"))
        .map(|u| u.trim().to_string())
        .filter(|u| u.starts_with("http"));
    let captured = message
        .headers
        .get_first_value("Date")
        .and_then(|d| Stamp::parse(&d));
    // A charset the part's own header names; `mailparse` reports `us-ascii` when none is named.
    let charset = root
        .ctype
        .params
        .get("charset")
        .and_then(|c| encoding_rs::Encoding::for_label(c.trim().as_bytes()));
    Ok(Unwrapped {
        bytes: Cow::Owned(body),
        html: true,
        url,
        captured,
        charset,
        container: Some("MHTML"),
    })
}

/// The root part: the one the message's `start` parameter names, else the first HTML part in
/// document order (Chromium writes the page first, its frames after).
fn root_part<'a>(message: &'a ParsedMail<'a>) -> Option<&'a ParsedMail<'a>> {
    let start = message
        .ctype
        .params
        .get("start")
        .map(|s| s.trim().trim_matches(['<', '>']).to_string());
    let parts = || message.parts().filter(|p| p.subparts.is_empty());
    if let Some(start) = start {
        let named = parts().find(|p| {
            p.headers
                .get_first_value("Content-ID")
                .is_some_and(|id| id.trim().trim_matches(['<', '>']) == start)
        });
        if named.is_some() {
            return named;
        }
    }
    parts().find(|p| {
        let t = p.ctype.mimetype.to_ascii_lowercase();
        t == "text/html" || t == "application/xhtml+xml"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive(root_headers: &str, body: &str) -> String {
        format!(
            "From: <Saved by Blink>\r\nSnapshot-Content-Location: https://news.example.org/a\r\n\
             Subject: A page\r\nDate: Thu, 19 Nov 2020 09:30:00 -0000\r\nMIME-Version: 1.0\r\n\
             Content-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\
             \tboundary=\"----MultipartBoundary--x----\"\r\n\r\n\r\n\
             ------MultipartBoundary--x----\r\n{root_headers}\r\n\r\n{body}\r\n\
             ------MultipartBoundary--x----\r\nContent-Type: image/png\r\n\
             Content-Transfer-Encoding: base64\r\nContent-Location: https://news.example.org/i.png\r\n\r\n\
             iVBORw0KGgo=\r\n------MultipartBoundary--x------\r\n"
        )
    }

    #[test]
    fn the_root_html_part_is_decoded_with_its_address_and_date() {
        let a = archive(
            "Content-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\
             Content-Location: https://news.example.org/story",
            "<p class=3D\"lead\">Caf=C3=A9 owners =\r\nsaid so.</p>",
        );
        assert!(looks_like(a.as_bytes()));
        let u = unwrap(a.as_bytes(), 1 << 20).unwrap();
        assert_eq!(
            &*u.bytes,
            "<p class=\"lead\">Café owners said so.</p>".as_bytes()
        );
        assert_eq!(u.url.as_deref(), Some("https://news.example.org/story"));
        assert_eq!(
            u.captured.map(|s| s.to_string()).as_deref(),
            Some("2020-11-19T09:30:00Z")
        );
        assert!(u.html);
        assert_eq!(
            snapshot_location(a.as_bytes()).as_deref(),
            Some("https://news.example.org/a")
        );
    }

    #[test]
    fn a_base64_part_and_its_declared_charset() {
        use std::io::Write;
        let mut html = Vec::new();
        write!(html, "<p>na\u{ef}ve</p>").unwrap();
        let latin1: Vec<u8> = encoding_rs::WINDOWS_1252
            .encode("<p>naïve</p>")
            .0
            .into_owned();
        let b64 = base64_of(&latin1);
        let a = archive(
            "Content-Type: text/html; charset=iso-8859-1\r\nContent-Transfer-Encoding: base64\r\n\
             Content-Location: https://news.example.org/b",
            &b64,
        );
        let u = unwrap(a.as_bytes(), 1 << 20).unwrap();
        assert_eq!(&*u.bytes, &latin1[..]);
        assert_eq!(u.charset, Some(encoding_rs::WINDOWS_1252));
    }

    #[test]
    fn no_html_part_and_an_unclosed_boundary() {
        let a = "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n\
                 --b\r\nContent-Type: image/gif\r\n\r\nGIF89a\r\n--b--\r\n";
        assert_eq!(
            unwrap(a.as_bytes(), 1 << 20).unwrap_err(),
            "MHTML: no HTML part"
        );
        let open = "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n\
                    --b\r\nContent-Type: text/html\r\n\r\n<p>Cut short";
        let u = unwrap(open.as_bytes(), 1 << 20).unwrap();
        assert!(String::from_utf8_lossy(&u.bytes).contains("Cut short"));
    }

    #[test]
    fn markup_and_mail_that_is_not_related_are_not_archives() {
        assert!(!looks_like(
            b"<!doctype html><p>MIME-Version: 1.0 multipart/related</p>"
        ));
        assert!(!looks_like(
            b"MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=x\n\n--x\n"
        ));
    }

    fn base64_of(bytes: &[u8]) -> String {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(char::from(A[(n >> (18 - 6 * i) & 63) as usize]));
                } else {
                    out.push('=');
                }
            }
        }
        out
    }
}
