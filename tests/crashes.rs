//! Inputs that once crashed thresh (found by hand or by the fuzz targets in `fuzz/`), replayed
//! through the same entry points. Each file under `tests/fixtures/crashes/` is named for what
//! it exercises; its prefix says which entry point it feeds: `text-` and `html-` are pages for
//! `ingest::extract` (read both as a text dump and as HTML), `quick-` is markup on which the
//! quick parser and html5ever must build the same tree (or the quick parser give up), `guard-`
//! is markup on which the pre-parse guard must keep every word html5ever shows, `query-`
//! is a query for the query parser, `decode-` bytes for the charset decoder.

use std::fs;

use thresh::ingest::{IngestConfig, IngestError, decode, extract, fuzzing};
use thresh::search::query;

use crate::util::fixture;

#[test]
fn saved_crash_inputs_run_without_a_bug() {
    let config = IngestConfig::default();
    let mut replayed = 0;
    let dir = fixture("crashes");
    let mut entries: Vec<_> = fs::read_dir(&dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let bytes = fs::read(entry.path()).unwrap();
        if name.starts_with("query-") {
            let _ = query::parse(&String::from_utf8_lossy(&bytes));
        } else if name.starts_with("quick-") {
            let html = String::from_utf8_lossy(&bytes);
            if let Some(Err(difference)) = fuzzing::quick_parser_agrees(&html) {
                panic!("{name}: the parsers differ: {difference}");
            }
        } else if name.starts_with("guard-") {
            let html = String::from_utf8_lossy(&bytes);
            if let Err(difference) = fuzzing::guard_agrees(&html) {
                panic!("{name}: {difference}");
            }
        } else if name.starts_with("decode-") {
            let _ = decode::decode(&bytes, true);
            let _ = decode::decode(&bytes, false);
        } else {
            // The panic boundary turns a bug into `Internal`: a saved input must not reach it.
            for as_name in ["page.txt", "page.html"] {
                if let Err(e @ IngestError::Internal { .. }) = extract(as_name, &bytes, &config) {
                    panic!("{name} read as {as_name}: {e}");
                }
            }
        }
        replayed += 1;
    }
    assert!(
        replayed >= 4,
        "only {replayed} inputs under {}",
        dir.display()
    );
}

#[test]
fn a_relative_time_past_the_calendar_is_no_time_and_the_comment_stays() {
    let bytes = fs::read(fixture(
        "crashes/text-relative-time-overflows-the-calendar.txt",
    ))
    .unwrap();
    let page = extract("pond.txt", &bytes, &IngestConfig::default()).unwrap();
    let all_text = format!(
        "{} {} {}",
        page.title.as_deref().unwrap_or(""),
        page.body,
        page.comments
            .iter()
            .map(|c| c.text.as_str())
            .collect::<String>()
    );
    assert!(all_text.contains("ducks moved"), "{all_text}");
    assert!(all_text.contains("long time to wait"), "{all_text}");
    assert!(page.comments.iter().all(|c| c.posted.is_none()));
}

#[test]
fn comment_headers_read_right_around_characters_whose_case_changes_length() {
    let config = IngestConfig::default();
    let bytes = fs::read(fixture("crashes/text-kelvin-sign-before-said.txt")).unwrap();
    let page = extract("k.txt", &bytes, &config).unwrap();
    let authors: Vec<&str> = page
        .comments
        .iter()
        .filter_map(|c| c.author.as_deref())
        .collect();
    // Page text is NFKC-normalised: the Kelvin sign is a K.
    assert_eq!(authors, ["bob K", "ana"]);
    let bytes = fs::read(fixture(
        "crashes/text-dotted-capital-i-changes-length-when-lower-cased.txt",
    ))
    .unwrap();
    let page = extract("i.txt", &bytes, &config).unwrap();
    assert_eq!(page.comments.len(), 2);
    assert!(page.comments[0].text.contains("The ice was thick"));
}
