//! Bad input never panics and costs bounded time and memory.

use std::fs;

use proptest::prelude::*;
use thresh::ingest::{IngestConfig, IngestError, extract};

use crate::util::{s, thresh};

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn extract_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let config = IngestConfig::default();
        let _ = extract("x.html", &bytes, &config);
        let _ = extract("x.txt", &bytes, &config);
    }

    #[test]
    fn site_keys_and_templates_never_panic(
        head in proptest::collection::vec(prop_oneof![
            Just(b"<link rel=canonical href=".to_vec()),
            Just(b"<meta property='og:url' content=\"".to_vec()),
            Just(b"https://".to_vec()),
            Just(b"<!-- saved from url=(".to_vec()),
            Just(b"<body>".to_vec()),
            proptest::collection::vec(any::<u8>(), 0..12),
        ], 0..12),
        body in "[a-zA-Z0-9 \n\u{e9}\u{130}]{0,200}",
    ) {
        let bytes: Vec<u8> = head.concat();
        let host = thresh::ingest::template::own_host(&bytes);
        let _ = thresh::ingest::template::site_key(host.as_deref(), "a/b.html");
        let mut page = extract("x.txt", b"Some text here.", &IngestConfig::default()).unwrap();
        page.body = body.clone();
        let keys = thresh::ingest::template::page_keys(&page);
        let t = thresh::ingest::template::learn(&[keys.clone(), keys]);
        thresh::ingest::template::apply(&t, &mut page);
        prop_assert!(page.body.len() <= body.len());
    }

    #[test]
    fn extract_never_panics_on_markup_soup(parts in proptest::collection::vec(
        prop_oneof![
            Just("<div class=\"comment\">".to_string()), Just("</div>".to_string()), Just("<p>".to_string()),
            Just("<li id=comment-1>".to_string()), Just("<script>".to_string()), Just("<!--".to_string()),
            Just("<table><tr><td>".to_string()), Just("<b><i>".to_string()), Just("</b>".to_string()),
            Just("<time datetime='2018-03-08T12:00:00Z'>".to_string()), Just("<meta charset=euc-kr>".to_string()),
            "[a-zA-Z ,.]{0,40}", "[\\PC]{0,10}",
        ], 0..80)) {
        let html = parts.concat();
        let config = IngestConfig::default();
        let _ = extract("x.html", html.as_bytes(), &config);
        let _ = extract("x.txt", html.as_bytes(), &config);
    }
}

#[test]
fn binary_empty_and_truncated_files() {
    let config = IngestConfig::default();
    assert!(matches!(
        extract("a.html", b"", &config),
        Err(IngestError::Empty { .. })
    ));
    assert!(matches!(
        extract("a.txt", b"  \n\t", &config),
        Err(IngestError::Empty { .. })
    ));
    let png = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];
    assert!(matches!(
        extract("a.html", &png, &config),
        Err(IngestError::Binary { .. })
    ));
    // A damaged save with a stray NUL in its markup is still a page; NUL-padded data that
    // opens like markup is not.
    let mut damaged = b"<html><head><meta name=x content=\"a\0b\"><title>Kept</title></head><body><article><p>The paragraph after a stray NUL byte is long enough to be the body of this page.</p></article></body></html>".to_vec();
    damaged.extend(std::iter::repeat_n(b' ', 2000));
    let page = extract("a.html", &damaged, &config).unwrap();
    assert!(
        page.body.contains("after a stray NUL byte"),
        "{}",
        page.body
    );
    let mut padded = b"<x>".to_vec();
    padded.extend(std::iter::repeat_n(0u8, 64));
    assert!(matches!(
        extract("a.html", &padded, &config),
        Err(IngestError::Binary { .. })
    ));
    let truncated = b"<html><head><title>Cut off</title></head><body><article><p>The first paragraph is complete and long enough to be the body of the page.</p><p>The second is cut in the mid";
    let page = extract("a.html", truncated, &config).unwrap();
    assert!(page.body.contains("The first paragraph"));
    let invalid = b"<p>Valid text \xff\xfe then more valid text, in a paragraph long enough.</p>";
    let page = extract("a.html", invalid, &config).unwrap();
    assert!(page.body.contains("then more valid text"));
}

#[test]
fn deep_nesting_is_flattened() {
    let config = IngestConfig::default();
    for tag in ["div", "b", "span", "table", "ul"] {
        let html = format!(
            "<html><body>{}<p>deep words here</p>{}</body></html>",
            format!("<{tag}>").repeat(100_000),
            format!("</{tag}>").repeat(100_000)
        );
        let page = extract("deep.html", html.as_bytes(), &config).unwrap();
        assert!(
            page.body.contains("deep words here"),
            "{tag}: {}",
            page.body
        );
    }
}

#[test]
fn a_huge_one_line_file_is_cut_not_refused() {
    let dir = tempfile::tempdir().unwrap();
    let line = "word ".repeat(20 * 1024 * 1024); // 100 MiB, no newline
    fs::write(dir.path().join("huge.txt"), &line).unwrap();
    let html = format!(
        "<html><body><p>{}</p></body></html>",
        "word ".repeat(20 * 1024 * 1024)
    );
    fs::write(dir.path().join("huge.html"), html).unwrap();
    drop(line);
    let run = thresh(dir.path(), &["extract", "--json", "huge.txt", "huge.html"]);
    run.assert_exit_code(0);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 2);
    for page in &lines {
        let body = s(page, "body");
        assert!(!body.is_empty());
        assert!(body.len() <= IngestConfig::default().max_file_bytes);
    }
}

/// Any query a person could type, built from operators, punctuation, words the index holds in
/// three languages, and other scripts, is searched without an error or a panic (the search
/// runs inside the panic boundary, which would answer with an error).
#[test]
fn search_never_fails_on_typed_queries() {
    use proptest::test_runner::{Config, TestRunner};
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    let pages = [
        (
            "en",
            "NASA and the moon",
            "NASA plans a moon landing; the impeachment trial opened.",
        ),
        (
            "pt",
            "Chuva",
            "Chuva nas ruas e a classificação final do campeonato.",
        ),
        (
            "de",
            "Lauf",
            "Das Running ist beliebt, sagt der Trainer in Köln.",
        ),
    ];
    for (i, (lang, title, text)) in pages.iter().enumerate() {
        let html = format!(
            "<html lang=\"{lang}\"><head><title>{title}</title></head><body><article>\
             <p>{text} {text}</p></article></body></html>"
        );
        fs::write(corpus.join(format!("{i}.html")), html).unwrap();
    }
    thresh(dir.path(), &["index", "--quiet"]).assert_exit_code(0);
    let opened = thresh::index::open(&dir.path().join("index")).unwrap();
    let token = prop_oneof![
        Just("AND"),
        Just("OR"),
        Just("NOT"),
        Just("("),
        Just(")"),
        Just("-"),
        Just("\""),
        Just("*"),
        Just("~"),
        Just("~2"),
        Just(":"),
        Just("title:"),
        Just("kind:comment"),
        Just("nasa"),
        Just("moon"),
        Just("nas"),
        Just("classificacao"),
        Just("running"),
        Just("impeachmnt"),
        Just("T-cell"),
        Just("of,"),
        Just("the"),
        Just("é"),
        Just("東京"),
    ];
    let query = proptest::collection::vec(
        prop_oneof![token.prop_map(str::to_string), "[\\PC]{0,6}"],
        0..12,
    )
    .prop_map(|parts| parts.join(" "));
    let mut runner = TestRunner::new(Config {
        cases: 300,
        ..Config::default()
    });
    runner
        .run(&query, |q| {
            for all in [false, true] {
                let config = thresh::search::QueryConfig {
                    limit: 5,
                    all,
                    fuzzy: true,
                    ..Default::default()
                };
                let result = thresh::search::search(&opened, &q, &config);
                prop_assert!(result.is_ok(), "{q:?}: {:?}", result.err());
            }
            Ok(())
        })
        .unwrap();
}
