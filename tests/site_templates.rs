//! Site templates end to end: lines a site repeats on its pages are learned while indexing, cut
//! from its pages (never from another site's, never from a site of one page), kept in the index
//! for `extract --index`, and re-learned when the site's pages change.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::util::{s, thresh};

const PLEA: &str = "The Harbour Gazette is funded by its readers, so please support independent \
                    local journalism in the valley today.";

/// Subjects of the articles: one word each that no other page holds.
const SUBJECTS: [&str; 5] = ["lighthouse", "ferry", "orchard", "regatta", "library"];

/// A page of a site whose article ends with the site's plea (when `plea`), naming its own
/// address when `host` is given.
fn page(host: Option<&str>, subject: &str, plea: bool) -> String {
    let canonical = host
        .map(|h| format!(r#"<link rel="canonical" href="https://www.{h}/news/{subject}">"#))
        .unwrap_or_default();
    let plea = if plea {
        format!("<p>{PLEA}</p>")
    } else {
        String::new()
    };
    format!(
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>The {subject} story</title>\
         {canonical}</head><body><article><h1>The {subject} story</h1>\
         <p>The council met on Tuesday evening to discuss the future of the {subject}, which \
         has served the town for more than a century and needs repairs before winter.</p>\
         <p>Residents spoke for two hours about the {subject}; most asked the council to keep \
         it open and to pay for the work from the harbour fund rather than from new fees.</p>\
         {plea}</article></body></html>"
    )
}

fn index(dir: &Path) -> Value {
    let run = thresh(dir, &["index", "--json"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    run.json_lines().remove(0)
}

fn pages_found(dir: &Path, query: &str) -> Vec<String> {
    // The pages differ in a word or two: each is its own hit here, not one story.
    let mut pages: Vec<String> = thresh(
        dir,
        &["search", "--json", "--all-copies", "-n", "50", query],
    )
    .json_lines()
    .iter()
    .map(|h| s(h, "page").to_string())
    .collect();
    pages.sort();
    pages.dedup();
    pages
}

fn body(dir: &Path, args: &[&str]) -> String {
    let run = thresh(dir, args);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    s(&run.json_lines()[0], "body").to_string()
}

#[test]
fn a_sites_repeated_lines_are_cut_from_its_pages_only() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let corpus = d.join("corpus");
    fs::create_dir(&corpus).unwrap();
    for subject in &SUBJECTS[..4] {
        let html = page(Some("harbour-gazette.example"), subject, true);
        fs::write(corpus.join(format!("gazette-{subject}.html")), html).unwrap();
    }
    // Another site of one page carries the same sentence: it is that page's own text.
    let other = page(Some("valley-herald.example"), SUBJECTS[4], true);
    fs::write(corpus.join("herald.html"), other).unwrap();

    let summary = index(d);
    assert_eq!(summary["added"], 5);
    assert_eq!(summary["retemplated"], 0);
    assert_eq!(
        pages_found(d, "\"independent local journalism\""),
        ["herald.html"]
    );
    // The articles themselves are whole.
    assert_eq!(pages_found(d, "lighthouse"), ["gazette-lighthouse.html"]);
    let lighthouse = thresh(d, &["show", "--json", "gazette-lighthouse.html"]).json_lines();
    assert!(s(&lighthouse[0], "body").contains("harbour fund"));

    // Plain `extract` reads one page alone; with the index it cuts the site's template.
    let file = "corpus/gazette-ferry.html";
    assert!(body(d, &["extract", "--json", file]).contains("independent local journalism"));
    let cut = body(d, &["extract", "--json", "--index", "index", file]);
    assert!(!cut.contains("independent local journalism"), "{cut}");
    assert!(cut.contains("harbour fund"), "{cut}");
    let single = body(
        d,
        &[
            "extract",
            "--json",
            "--index",
            "index",
            "corpus/herald.html",
        ],
    );
    assert!(single.contains("independent local journalism"));

    // A run with nothing changed learns nothing and extracts nothing.
    let again = index(d);
    assert_eq!(again["unchanged"], 5);
    assert_eq!(again["retemplated"], 0);

    // Three of the site's four pages drop the plea: it is no longer the site's template, and
    // the fourth page, unchanged, is extracted again so that its plea is found.
    for subject in &SUBJECTS[1..4] {
        let html = page(Some("harbour-gazette.example"), subject, false);
        fs::write(corpus.join(format!("gazette-{subject}.html")), html).unwrap();
    }
    let after = index(d);
    assert_eq!(after["updated"], 3);
    assert_eq!(after["retemplated"], 1);
    assert_eq!(
        pages_found(d, "\"independent local journalism\""),
        ["gazette-lighthouse.html", "herald.html"]
    );
}

#[test]
fn without_an_address_a_page_belongs_to_its_folders_site() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let blog = d.join("corpus/blog");
    fs::create_dir_all(&blog).unwrap();
    for subject in &SUBJECTS[..3] {
        fs::write(
            blog.join(format!("{subject}.html")),
            page(None, subject, true),
        )
        .unwrap();
    }
    // The same page in another folder is another site, of one page.
    fs::write(d.join("corpus/regatta.html"), page(None, "regatta", true)).unwrap();
    index(d);
    assert_eq!(
        pages_found(d, "\"independent local journalism\""),
        ["regatta.html"]
    );
    // `extract --index` finds a page's folder site from its path inside the corpus.
    let cut = body(
        d,
        &[
            "extract",
            "--json",
            "--index",
            "index",
            "corpus/blog/ferry.html",
        ],
    );
    assert!(!cut.contains("independent local journalism"), "{cut}");
    let whole = body(
        d,
        &[
            "extract",
            "--json",
            "--index",
            "index",
            "corpus/regatta.html",
        ],
    );
    assert!(whole.contains("independent local journalism"));
    // Removing two of the blog's pages leaves a site of one page: nothing is cut from it.
    for subject in &SUBJECTS[1..3] {
        fs::remove_file(blog.join(format!("{subject}.html"))).unwrap();
    }
    let after = index(d);
    assert_eq!(after["removed"], 2);
    assert_eq!(after["retemplated"], 1);
    assert_eq!(
        pages_found(d, "\"independent local journalism\""),
        ["blog/lighthouse.html", "regatta.html"]
    );
}
