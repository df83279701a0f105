//! Pages saved in archives: MHTML (as Chromium writes it), SingleFile pages (the header comment)
//! and SingleFile's self-extracting ZIP form are indexed beside plain pages, each found by words
//! from its body with the address and capture time its container gives; a broken container is
//! reported by name and the run goes on.

use std::fs;
use std::io::Write;
use std::path::Path;

use serde_json::Value;

use crate::util::{s, thresh};

/// An article whose body holds `word`, as a browser serializes a page.
fn article(word: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>The {word} report \
         | Valley Courier</title></head><body><nav><a href=\"/\">Home</a></nav><article>\
         <h1>The {word} report</h1><p>The {word} committee published its findings on Monday, \
         after a year of hearings in the town hall and visits to every farm in the valley.</p>\
         <p>Its members asked the council to fund the work from the harbour budget and to \
         report back before the summer, when the next season begins in earnest.</p>\
         </article></body></html>"
    )
}

/// Quoted-printable as Chromium writes it: `=` and bytes outside ASCII escaped, soft line
/// breaks every 76 characters.
fn quoted_printable(text: &str) -> String {
    let mut out = String::new();
    let mut line = 0;
    for &b in text.as_bytes() {
        let piece = if b == b'=' || !(0x20..0x7f).contains(&b) {
            format!("={b:02X}")
        } else {
            char::from(b).to_string()
        };
        if line + piece.len() > 75 {
            out.push_str("=\r\n");
            line = 0;
        }
        line += piece.len();
        out.push_str(&piece);
    }
    out
}

fn mhtml(url: &str, html: &str) -> String {
    let b = "----MultipartBoundary--Qz3lqI6X2dbKmQ6Ac4fnqeZjFUoAvX1Xnr3lgjDkl5----";
    format!(
        "From: <Saved by Blink>\r\nSnapshot-Content-Location: {url}\r\nSubject: A report\r\n\
         Date: Wed, 18 Nov 2020 16:05:09 -0000\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"{b}\"\r\n\r\n\r\n\
         --{b}\r\nContent-Type: text/html\r\nContent-ID: <frame-5D2B@mhtml.blink>\r\n\
         Content-Transfer-Encoding: quoted-printable\r\nContent-Location: {url}\r\n\r\n{}\r\n\r\n\
         --{b}\r\nContent-Type: text/css\r\nContent-Transfer-Encoding: quoted-printable\r\n\
         Content-Location: cid:css-1@mhtml.blink\r\n\r\n@charset \"utf-8\";\r\nnav {{ color: red; }}\r\n\
         --{b}--\r\n",
        quoted_printable(html)
    )
}

fn singlefile(url: &str, html: &str) -> String {
    let note = format!(
        "<!--\n Page saved with SingleFile \n url: {url} \n saved date: Thu Nov 19 2020 \
         08:30:00 GMT+0100 (Central European Standard Time)\n-->"
    );
    html.replacen(
        "<html lang=\"en\">",
        &format!("<html lang=\"en\">{note}"),
        1,
    )
}

fn self_extracting(html: &str) -> Vec<u8> {
    let mut out = b"<!DOCTYPE html><html><head><meta charset=utf-8></head><body>\
        <script>/* unpacks the archive below */</script>"
        .to_vec();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("images/0.png", opts).unwrap();
    w.write_all(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    w.start_file("index.html", opts).unwrap();
    w.write_all(html.as_bytes()).unwrap();
    out.extend(w.finish().unwrap().into_inner());
    out
}

fn extracted(dir: &Path, file: &str) -> Value {
    let run = thresh(dir, &["extract", "--json", file]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    run.json_lines().remove(0)
}

/// Every page a word is found on, each copy of a story its own hit.
fn found(dir: &Path, word: &str) -> Vec<(String, Option<String>)> {
    thresh(dir, &["search", "--json", "--all-copies", word])
        .json_lines()
        .iter()
        .map(|h| {
            (
                s(h, "page").to_string(),
                h["url"].as_str().map(String::from),
            )
        })
        .collect()
}

#[test]
fn archives_are_pages_with_their_containers_address_and_time() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let corpus = dir.join("corpus");
    fs::create_dir(&corpus).unwrap();
    let plain = article("wombat");
    fs::write(corpus.join("plain.html"), &plain).unwrap();
    fs::write(
        corpus.join("saved.mhtml"),
        mhtml(
            "https://courier.example.com/2020/caf%C3%A9-quokka",
            &article("quokka café"),
        ),
    )
    .unwrap();
    fs::write(
        corpus.join("single.html"),
        singlefile("https://courier.example.com/numbat", &article("numbat")),
    )
    .unwrap();
    fs::write(
        corpus.join("packed.html"),
        self_extracting(&singlefile(
            "https://courier.example.com/bilby",
            &article("bilby"),
        )),
    )
    .unwrap();
    // An archive whose only part is a style sheet, and a ZIP page cut short.
    fs::write(
        corpus.join("empty.mht"),
        "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n--b\r\n\
         Content-Type: text/css\r\n\r\np { margin: 0 }\r\n--b--\r\n",
    )
    .unwrap();
    let mut cut = self_extracting(&article("dingo"));
    let keep = cut.len() - 30;
    let end = cut.split_off(keep);
    cut.extend_from_slice(b"PK\x05\x06");
    cut.extend_from_slice(&end[4..]);
    cut[keep + 16] ^= 0x7f;
    fs::write(corpus.join("cut.html"), &cut).unwrap();

    let run = thresh(dir, &["index", "--json"]);
    let summary = run.json_lines().remove(0);
    let failed = summary["failed"].as_array().unwrap();
    let failure = |name: &str| {
        failed
            .iter()
            .find(|f| s(f, "path") == name)
            .map(|f| s(f, "error").to_string())
    };
    assert_eq!(failure("empty.mht").as_deref(), Some("MHTML: no HTML part"));
    assert!(
        failure("cut.html").is_some_and(|e| e.starts_with("SingleFile ZIP: damaged archive")),
        "{summary}"
    );
    assert_eq!(failed.len(), 2, "{summary}");

    assert_eq!(
        found(dir, "quokka"),
        [(
            "saved.mhtml".to_string(),
            Some("https://courier.example.com/2020/caf%C3%A9-quokka".to_string())
        )]
    );
    assert_eq!(
        found(dir, "numbat"),
        [(
            "single.html".to_string(),
            Some("https://courier.example.com/numbat".to_string())
        )]
    );
    assert_eq!(
        found(dir, "bilby"),
        [(
            "packed.html".to_string(),
            Some("https://courier.example.com/bilby".to_string())
        )]
    );
    assert_eq!(found(dir, "wombat").len(), 1);

    let m = extracted(&corpus, "saved.mhtml");
    assert_eq!(s(&m, "title"), "The quokka café report");
    assert_eq!(s(&m, "captured"), "2020-11-18T16:05:09Z");
    assert!(
        s(&m, "body").contains("The quokka café committee published"),
        "{m}"
    );
    assert!(!s(&m, "body").contains("color: red"), "{m}");
    let p = extracted(&corpus, "packed.html");
    assert_eq!(s(&p, "captured"), "2020-11-19T08:30:00+01:00");
    assert!(s(&p, "body").contains("The bilby committee"), "{p}");
}

/// A WARC record as the archivers write one: version, named fields, the block, two CRLFs.
fn warc_record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{:08x}-0000-4000-8000-000000000000>\r\n\
         WARC-Date: 2021-03-04T05:06:07Z\r\nWARC-Target-URI: {uri}\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len() * 7919 + uri.len(),
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn http_response(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!("HTTP/1.1 {status}\r\n{headers}\r\n").into_bytes();
    r.extend_from_slice(body);
    r
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(bytes).unwrap();
    z.finish().unwrap()
}

/// A crawl of a small site: the records a crawler writes around each page.
fn crawl() -> Vec<Vec<u8>> {
    let page = |w: &str| article(w).into_bytes();
    let chunked = {
        let body = page("platypus");
        let (a, b) = body.split_at(100);
        let mut c = format!("{:x}\r\n", a.len()).into_bytes();
        c.extend_from_slice(a);
        c.extend_from_slice(format!("\r\n{:x}\r\n", b.len()).as_bytes());
        c.extend_from_slice(b);
        c.extend_from_slice(b"\r\n0\r\n\r\n");
        c
    };
    let http = "application/http; msgtype=response";
    vec![
        warc_record(
            "warcinfo",
            "",
            "application/warc-fields",
            b"software: a crawler\r\nformat: WARC File Format 1.1\r\n",
        ),
        warc_record(
            "request",
            "https://courier.example.com/echidna",
            "application/http; msgtype=request",
            b"GET /echidna HTTP/1.1\r\nHost: courier.example.com\r\n\r\n",
        ),
        warc_record(
            "response",
            "https://courier.example.com/echidna",
            http,
            &http_response(
                "200 OK",
                "Content-Type: text/html; charset=utf-8\r\nContent-Encoding: gzip\r\n",
                &gzip(&page("echidna")),
            ),
        ),
        warc_record(
            "response",
            "https://courier.example.com/platypus",
            http,
            &http_response(
                "200 OK",
                "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n",
                &chunked,
            ),
        ),
        warc_record(
            "response",
            "https://courier.example.com/logo.png",
            http,
            &http_response(
                "200 OK",
                "Content-Type: image/png\r\n",
                b"\x89PNG\r\n\x1a\n",
            ),
        ),
        warc_record(
            "revisit",
            "https://courier.example.com/echidna",
            http,
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
        ),
        warc_record(
            "resource",
            "https://courier.example.com/kiwi",
            "text/html",
            &page("kiwi"),
        ),
        // The same address captured again, later in the crawl.
        warc_record(
            "response",
            "https://courier.example.com/platypus",
            http,
            &http_response(
                "200 OK",
                "Content-Type: text/html\r\n",
                &page("platypus wallaby"),
            ),
        ),
    ]
}

#[test]
fn a_warc_files_records_are_pages_each_with_its_own_key() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let corpus = dir.join("corpus");
    fs::create_dir(&corpus).unwrap();
    let records = crawl();
    fs::write(corpus.join("crawl.warc"), records.concat()).unwrap();
    // Gzipped one member per record, as the archivers write it.
    let members: Vec<u8> = records.iter().flat_map(|r| gzip(r)).collect();
    fs::write(corpus.join("copy.warc.gz"), &members).unwrap();

    let run = thresh(dir, &["index", "--json"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let summary = run.json_lines().remove(0);
    assert_eq!(summary["pages"], 8, "{summary}");

    let echidna = found(dir, "echidna");
    assert_eq!(echidna.len(), 2, "{echidna:?}");
    for key in ["crawl.warc", "copy.warc.gz"] {
        let k = format!("{key}#https://courier.example.com/echidna");
        assert!(echidna.contains(&(k, Some("https://courier.example.com/echidna".into()))));
    }
    assert_eq!(found(dir, "platypus").len(), 4);
    assert_eq!(found(dir, "kiwi").len(), 2);
    // The address captured twice: the second record is known by its place in the file.
    let wallaby = found(dir, "wallaby");
    assert!(
        wallaby.iter().any(|(k, _)| k == "crawl.warc#8"),
        "{wallaby:?}"
    );
    assert!(found(dir, "png").is_empty());

    let show = thresh(
        dir,
        &[
            "show",
            "--json",
            "copy.warc.gz#https://courier.example.com/kiwi",
        ],
    );
    assert_eq!(show.code(), 0, "{}", show.stderr());
    let page = show.json_lines().remove(0);
    assert_eq!(s(&page, "captured"), "2021-03-04T05:06:07Z");
    assert!(s(&page, "body").contains("The kiwi committee"), "{page}");

    // extract reads an archive as index does: a page a line, each with its key.
    let run = thresh(&corpus, &["extract", "--json", "copy.warc.gz"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let keys: Vec<String> = run
        .json_lines()
        .iter()
        .map(|p| s(p, "path").to_string())
        .collect();
    assert_eq!(
        keys,
        [
            "copy.warc.gz#https://courier.example.com/echidna",
            "copy.warc.gz#https://courier.example.com/platypus",
            "copy.warc.gz#https://courier.example.com/kiwi",
            "copy.warc.gz#8",
        ]
    );

    // A changed archive is read again; a removed one takes its pages with it.
    fs::write(corpus.join("crawl.warc"), records[..3].concat()).unwrap();
    fs::remove_file(corpus.join("copy.warc.gz")).unwrap();
    let run = thresh(dir, &["index", "--json"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(run.json_lines()[0]["pages"], 1);
    assert_eq!(
        found(dir, "echidna"),
        [(
            "crawl.warc#https://courier.example.com/echidna".to_string(),
            Some("https://courier.example.com/echidna".to_string())
        )]
    );
    assert!(found(dir, "kiwi").is_empty());
}

#[test]
fn a_damaged_warc_keeps_the_pages_before_the_damage_and_says_where() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let corpus = dir.join("corpus");
    fs::create_dir(&corpus).unwrap();
    let records = crawl();
    // The kiwi record claims more bytes than the file holds.
    let mut lying = records[..6].concat();
    let kiwi =
        String::from_utf8_lossy(&records[6]).replace("Content-Length: ", "Content-Length: 9");
    lying.extend_from_slice(kiwi.as_bytes());
    fs::write(corpus.join("lying.warc"), &lying).unwrap();
    // A gzipped crawl cut short inside its last member.
    let mut cut: Vec<u8> = records.iter().flat_map(|r| gzip(r)).collect();
    cut.truncate(cut.len() - 40);
    fs::write(corpus.join("cut.warc.gz"), &cut).unwrap();
    fs::write(corpus.join("plain.html"), article("wombat")).unwrap();

    let run = thresh(dir, &["index", "--json"]);
    let summary = run.json_lines().remove(0);
    let failed = summary["failed"].as_array().unwrap();
    let error = |path: &str| {
        failed
            .iter()
            .find(|f| s(f, "path") == path)
            .map(|f| s(f, "error").to_string())
            .unwrap_or_default()
    };
    assert!(
        error("lying.warc").starts_with("WARC record 7: Content-Length says"),
        "{summary}"
    );
    assert!(
        error("cut.warc.gz").starts_with("WARC record 8:"),
        "{summary}"
    );
    assert_eq!(found(dir, "echidna").len(), 2);
    assert_eq!(found(dir, "wombat").len(), 1);
    assert!(found(dir, "wallaby").is_empty());
}
