//! WARC (`.warc`, `.warc.gz`): the web archive ArchiveBox, wget `--warc-file`, Webrecorder and
//! grab-site write. Each `response` record whose HTTP payload is HTML (and each `resource`
//! record that is HTML) is a page, with `WARC-Target-URI` as its address and `WARC-Date` as its
//! capture time; `request`, `revisit`, `metadata` and `warcinfo` records are not pages.
//!
//! Read by hand, record by record from a stream, because every byte read here is bounded: a
//! record's header block and its HTTP head are capped, a payload is read up to the page cap and
//! the rest skipped, and a length that runs past the end of the file is an error naming the
//! record. (The WARC crates read a header block as long as the file, or a whole record into
//! memory.) Gzip, one member per record or one for the whole file, is read by `flate2`.

use std::borrow::Cow;
use std::io::{BufRead, BufReader, Read};

use super::{Broken, Unwrapped};
use crate::ingest::Stamp;

/// The longest header block of a record, and the longest HTTP head of a payload.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// File names of web archives.
pub fn is_warc_name(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".warc") || lower.ends_with(".warc.gz")
}

/// One page-bearing record: where it is in the file, its address, and the page or why the
/// record holds none that can be read.
#[derive(Debug)]
pub struct Record {
    /// Its place among the file's records, from 1.
    pub position: usize,
    /// `WARC-Target-URI`.
    pub uri: Option<String>,
    /// The document, or why it cannot be read (an unknown content coding).
    pub page: Result<Unwrapped<'static>, Broken>,
}

/// The page-bearing records of a WARC file read from `reader` (gzipped when `gzip`), each
/// document read up to `cap` bytes. Iteration ends at the end of the file, or with one error
/// when the file is damaged (the records before it stand).
pub fn records<'r>(reader: impl Read + 'r, gzip: bool, cap: usize) -> Records<'r> {
    let reader: Box<dyn BufRead + 'r> = if gzip {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(reader)))
    } else {
        Box::new(BufReader::new(reader))
    };
    Records {
        reader,
        position: 0,
        cap,
        done: false,
    }
}

/// The iterator [`records`] returns.
pub struct Records<'r> {
    reader: Box<dyn BufRead + 'r>,
    position: usize,
    cap: usize,
    done: bool,
}

impl Iterator for Records<'_> {
    type Item = Result<Record, Broken>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            match self.next_record() {
                Ok(Some(Some(record))) => return Some(Ok(record)),
                Ok(Some(None)) => {}
                Ok(None) => self.done = true,
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
        None
    }
}

impl Records<'_> {
    /// The next record: `None` at the end of the file, `Some(None)` for a record that is no page.
    fn next_record(&mut self) -> Result<Option<Option<Record>>, Broken> {
        let position = self.position + 1;
        let at = |what: &str| format!("WARC record {position}: {what}");
        // Records are separated by blank lines; the end of the file may follow them.
        loop {
            let buf = self.reader.fill_buf().map_err(|e| at(&e.to_string()))?;
            if buf.is_empty() {
                return Ok(None);
            }
            let blank = buf
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
            if blank == 0 {
                break;
            }
            self.reader.consume(blank);
        }
        self.position = position;
        let head = read_head(&mut self.reader).map_err(|e| at(&e))?;
        let mut lines = head.lines();
        if !lines.next().is_some_and(|l| l.starts_with("WARC/")) {
            return Err(at("not a WARC record"));
        }
        let fields: Vec<(&str, &str)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim(), v.trim()))
            .collect();
        let field = |name: &str| {
            fields
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| *v)
        };
        let length: u64 = field("Content-Length")
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| at("no Content-Length"))?;
        let kind = field("WARC-Type").unwrap_or("").to_ascii_lowercase();
        let uri = field("WARC-Target-URI")
            .map(|u| u.trim_matches(['<', '>']).to_string())
            .filter(|u| !u.is_empty());
        let captured = field("WARC-Date")
            .and_then(|d| crate::ingest::dates::parse_iso(d))
            .map(|(stamp, _)| stamp);
        let declared_type = field("Content-Type").unwrap_or("").to_string();

        let mut block = (&mut self.reader).take(length);
        let page = match kind.as_str() {
            "response" => read_response(&mut block, self.cap),
            "resource" if is_html_type(&declared_type) => {
                read_capped(&mut block, self.cap).map(|body| Some((body, declared_type.clone())))
            }
            _ => Ok(None),
        };
        // What the record holds beyond what was read is skipped; a file that ends before the
        // record does is damaged.
        std::io::copy(&mut block, &mut std::io::sink()).map_err(|e| at(&e.to_string()))?;
        if block.limit() > 0 {
            return Err(at(&format!(
                "Content-Length says {length} bytes, the file ends before them"
            )));
        }
        let page = match page {
            Ok(Some((body, content_type))) => {
                Ok(document(body, &content_type, uri.clone(), captured))
            }
            Ok(None) => return Ok(Some(None)),
            Err(ReadError::Io(e)) => return Err(at(&e)),
            Err(ReadError::Unreadable(why)) => Err(at(&why)),
        };
        Ok(Some(Some(Record {
            position,
            uri,
            page,
        })))
    }
}

/// Why a payload was not read.
enum ReadError {
    /// The file could not be read on: the container is damaged.
    Io(String),
    /// This record's payload cannot be read, the next may be.
    Unreadable(String),
}

/// The HTML of an HTTP response payload, with its content type: `None` for anything else (an
/// image, a redirect, an error page).
fn read_response(
    block: &mut impl BufRead,
    cap: usize,
) -> Result<Option<(Vec<u8>, String)>, ReadError> {
    let head = read_head(block).map_err(ReadError::Unreadable)?;
    let mut lines = head.lines();
    let status = lines.next().unwrap_or("");
    let code = status.split_whitespace().nth(1).unwrap_or("");
    if !status.starts_with("HTTP/") || !code.starts_with('2') {
        return Ok(None);
    }
    let fields: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_ascii_lowercase()))
        .collect();
    let field = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    };
    let content_type = field("content-type").to_string();
    if !is_html_type(&content_type) {
        return Ok(None);
    }
    let raw = read_capped(block, cap)?;
    let body = if field("transfer-encoding").contains("chunked") {
        dechunk(&raw)
    } else {
        raw
    };
    let body = match field("content-encoding") {
        "" | "identity" => body,
        "gzip" | "x-gzip" => inflate(flate2::read::MultiGzDecoder::new(&body[..]), cap)?,
        "deflate" => inflate(flate2::read::ZlibDecoder::new(&body[..]), cap)?,
        other => {
            return Err(ReadError::Unreadable(format!(
                "content coding {other} is not read"
            )));
        }
    };
    Ok(Some((body, content_type)))
}

fn is_html_type(content_type: &str) -> bool {
    let t = content_type.to_ascii_lowercase();
    let t = t.split(';').next().unwrap_or("").trim();
    t == "text/html" || t == "application/xhtml+xml"
}

/// A header block: lines up to a blank one, at most [`MAX_HEAD_BYTES`].
fn read_head(reader: &mut impl BufRead) -> Result<String, String> {
    let mut head = Vec::new();
    loop {
        let before = head.len();
        let n = reader
            .take((MAX_HEAD_BYTES + 1 - head.len().min(MAX_HEAD_BYTES)) as u64)
            .read_until(b'\n', &mut head)
            .map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("the file ends inside a header block".into());
        }
        if head.len() > MAX_HEAD_BYTES {
            return Err(format!("header block longer than {MAX_HEAD_BYTES} bytes"));
        }
        if head[before..].iter().all(|&b| b == b'\r' || b == b'\n') {
            break;
        }
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}

fn read_capped(reader: &mut impl Read, cap: usize) -> Result<Vec<u8>, ReadError> {
    let mut out = Vec::new();
    reader
        .take(cap as u64)
        .read_to_end(&mut out)
        .map_err(|e| ReadError::Io(e.to_string()))?;
    Ok(out)
}

/// A payload in HTTP content coding, inflated up to `cap` bytes.
fn inflate(mut decoder: impl Read, cap: usize) -> Result<Vec<u8>, ReadError> {
    let mut out = Vec::new();
    (&mut decoder)
        .take(cap as u64)
        .read_to_end(&mut out)
        .map_err(|e| ReadError::Unreadable(format!("content coding: {e}")))?;
    Ok(out)
}

/// The body of a chunked HTTP transfer (`size CRLF data CRLF … 0 CRLF`); a body cut short keeps
/// what arrived. A body that is not chunked after all is kept as it is.
fn dechunk(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut at = 0;
    while at < raw.len() {
        let Some(eol) = memchr::memchr(b'\n', &raw[at..]) else {
            break;
        };
        let line = String::from_utf8_lossy(&raw[at..at + eol]);
        let size = line.split(';').next().unwrap_or("").trim();
        let Ok(size) = usize::from_str_radix(size, 16) else {
            return if out.is_empty() { raw.to_vec() } else { out };
        };
        if size == 0 {
            break;
        }
        let start = at + eol + 1;
        let end = start.saturating_add(size).min(raw.len());
        out.extend_from_slice(&raw[start..end]);
        at = end;
        // The CRLF after the data.
        while at < raw.len() && (raw[at] == b'\r' || raw[at] == b'\n') && at < end + 2 {
            at += 1;
        }
    }
    out
}

/// A page's document from a record's payload.
fn document(
    body: Vec<u8>,
    content_type: &str,
    url: Option<String>,
    captured: Option<Stamp>,
) -> Unwrapped<'static> {
    let charset = content_type
        .split(';')
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("charset"))
        .and_then(|(_, v)| encoding_rs::Encoding::for_label(v.trim().trim_matches('"').as_bytes()));
    Unwrapped {
        bytes: Cow::Owned(body),
        html: true,
        url: url.filter(|u| u.starts_with("http")),
        captured,
        charset,
        container: Some("WARC"),
    }
}
