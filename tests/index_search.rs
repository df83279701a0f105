//! `thresh index`, `search`, `show`, `stats` end to end on the seeds, in a temporary folder.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::util::{repo, s, thresh};

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("corpus")).unwrap();
    for name in ["000_6ff71d627275b5c3.txt", "003_09faf8b8a5b91584.txt"] {
        fs::copy(
            repo().join("corpus").join(name),
            dir.path().join("corpus").join(name),
        )
        .unwrap();
    }
    dir
}

fn index_json(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["index", "--json"];
    args.extend_from_slice(extra);
    let run = thresh(dir, &args);
    assert!(run.code() == 0 || run.code() == 1, "{}", run.stderr());
    run.json_lines().remove(0)
}

fn hits(dir: &Path, query: &[&str]) -> Vec<Value> {
    let mut args = vec!["search", "--json", "-n", "50"];
    args.extend_from_slice(query);
    thresh(dir, &args).json_lines()
}

fn counts(v: &Value) -> [u64; 8] {
    [
        "pages",
        "articles",
        "comments",
        "added",
        "updated",
        "removed",
        "unchanged",
        "skipped",
    ]
    .map(|k| v[k].as_u64().unwrap_or(u64::MAX))
}

#[test]
fn index_search_add_change_remove() {
    let dir = setup();
    let d = dir.path();
    assert_eq!(counts(&index_json(d, &[])), [2, 2, 16, 2, 0, 0, 0, 0]);

    let h = hits(d, &["billboard"]);
    assert_eq!(s(&h[0], "kind"), "article");
    assert_eq!(s(&h[0], "page"), "000_6ff71d627275b5c3.txt");
    assert_eq!(s(&h[0], "path"), "corpus/000_6ff71d627275b5c3.txt");
    assert!(
        h.iter()
            .all(|x| s(x, "snippet").to_lowercase().contains("billboard")
                || s(x, "kind") == "article")
    );

    let h = hits(d, &["\"theme song\""]);
    let pages: Vec<&str> = h.iter().map(|x| s(x, "page")).collect();
    assert!(pages.contains(&"003_09faf8b8a5b91584.txt"));
    assert!(
        h.iter()
            .any(|x| s(x, "kind") == "comment" && s(x, "author") == "queenhinata")
    );
    for x in &h {
        for r in x["highlights"].as_array().unwrap() {
            let (a, b) = (
                r[0].as_u64().unwrap() as usize,
                r[1].as_u64().unwrap() as usize,
            );
            let word = &s(x, "snippet")[a..b];
            assert!(
                ["theme", "song"].contains(&word.to_lowercase().as_str()),
                "{word}"
            );
        }
    }

    let h = hits(d, &["kind:comment", "mixtape"]);
    assert!(!h.is_empty());
    assert!(h.iter().all(|x| s(x, "kind") == "comment"));
    assert_eq!(s(&h[0], "author"), "katheli");
    assert_eq!(h[0]["comment"].as_u64(), Some(0));
    assert_eq!(s(&h[0], "date"), "2018-03-08T12:00:00Z");

    // Nothing changed: nothing is re-read.
    assert_eq!(counts(&index_json(d, &[])), [2, 2, 16, 0, 0, 0, 2, 0]);

    // Add a page.
    fs::write(
        d.join("corpus/new.html"),
        "<html><head><title>Kimchi recipe | Seoul Kitchen</title></head><body><article><p>Kimchi is a fermented cabbage dish, salted and seasoned with chilli, garlic and ginger, and left to ripen for days.</p></article></body></html>",
    )
    .unwrap();
    assert_eq!(counts(&index_json(d, &[])), [3, 3, 16, 1, 0, 0, 2, 0]);
    let h = hits(d, &["kimchi"]);
    assert_eq!(s(&h[0], "page"), "new.html");
    assert_eq!(s(&h[0], "site"), "Seoul Kitchen");

    // Change it: the old words go, the new ones come.
    fs::write(
        d.join("corpus/new.html"),
        "<html><head><title>Bibimbap recipe</title></head><body><article><p>Bibimbap is rice topped with vegetables, beef, a fried egg and gochujang, mixed together just before eating.</p></article></body></html>",
    )
    .unwrap();
    assert_eq!(counts(&index_json(d, &[])), [3, 3, 16, 0, 1, 0, 2, 0]);
    assert!(hits(d, &["kimchi"]).is_empty());
    assert_eq!(s(&hits(d, &["gochujang"])[0], "page"), "new.html");

    // Remove a page: its article and all its comments leave the index.
    fs::remove_file(d.join("corpus/000_6ff71d627275b5c3.txt")).unwrap();
    assert_eq!(counts(&index_json(d, &[])), [2, 2, 0, 0, 0, 1, 2, 0]);
    assert!(hits(d, &["mixtape"]).is_empty());
    thresh(d, &["search", "mixtape"]).assert_exit_code(1);
}

#[test]
fn show_and_stats() {
    let dir = setup();
    let d = dir.path();
    index_json(d, &[]);
    let run = thresh(d, &["show", "--json", "000_6ff71d627275b5c3.txt"]);
    run.assert_exit_code(0);
    let page = &run.json_lines()[0];
    assert_eq!(page["comments"].as_array().unwrap().len(), 16);
    assert_eq!(s(page, "captured"), "2018-12-13T13:17:00Z");
    thresh(d, &["show", "nope.txt"]).assert_exit_code(2);

    let run = thresh(d, &["stats", "--json"]);
    run.assert_exit_code(0);
    let st = &run.json_lines()[0];
    assert_eq!(st["pages"].as_u64(), Some(2));
    assert_eq!(st["comments"].as_u64(), Some(16));
    assert_eq!(st["sites"].as_u64(), Some(1));
    assert!(st["bytes"].as_u64().unwrap() > 0);
}

#[test]
fn first_search_builds_the_default_index() {
    let dir = setup();
    let run = thresh(dir.path(), &["search", "billboard"]);
    run.assert_exit_code(0);
    assert!(run.stderr().contains("building"), "{}", run.stderr());
    assert!(
        run.stdout().starts_with("1. Mini BTS Round-Up Post"),
        "{}",
        run.stdout()
    );
    assert!(
        !run.stdout().contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
}

#[test]
fn query_words_with_hyphens_and_options_after_them() {
    let dir = setup();
    let d = dir.path();
    index_json(d, &[]);
    let all = thresh(d, &["search", "theme", "--json"]).json_lines();
    let without = thresh(d, &["search", "theme", "-japanese", "--json"]).json_lines();
    assert!(!without.is_empty());
    assert!(without.len() < all.len());
    assert!(
        without
            .iter()
            .all(|x| !s(x, "snippet").to_lowercase().contains("japanese"))
    );
}

#[test]
fn filters_and_paging() {
    let dir = setup();
    let d = dir.path();
    index_json(d, &[]);
    let by = thresh(d, &["search", "--json", "--author", "MEGGICCHI", "drama"]).json_lines();
    assert!(!by.is_empty());
    assert!(by.iter().all(|x| s(x, "author") == "meggicchi"));
    let site = thresh(d, &["search", "--json", "--site", "abs-cbn", "song"]).json_lines();
    assert!(
        !site.is_empty()
            && site
                .iter()
                .all(|x| s(x, "page") == "003_09faf8b8a5b91584.txt")
    );
    let day = thresh(
        d,
        &[
            "search",
            "--json",
            "--since",
            "2018-03-09",
            "--until",
            "2018-03-09",
            "drama",
        ],
    )
    .json_lines();
    assert!(!day.is_empty());
    assert!(day.iter().all(|x| s(x, "date").starts_with("2018-03-09")));
    // Paging is stable: page two continues page one.
    let all = thresh(d, &["search", "--json", "-n", "8", "the"]).json_lines();
    let p1 = thresh(d, &["search", "--json", "-n", "4", "the"]).json_lines();
    let p2 = thresh(d, &["search", "--json", "-n", "4", "--offset", "4", "the"]).json_lines();
    let key = |v: &Value| (s(v, "page").to_string(), v["comment"].as_u64());
    let joined: Vec<_> = p1.iter().chain(&p2).map(key).collect();
    assert_eq!(joined, all.iter().map(key).collect::<Vec<_>>());
    assert_eq!(p2[0]["rank"].as_u64(), Some(5));
}

#[test]
fn bad_options_and_missing_indexes_exit_2() {
    let dir = setup();
    let d = dir.path();
    thresh(d, &["search", "--index", "nowhere", "x"]).assert_exit_code(2);
    let run = thresh(d, &["search", "--index", "nowhere", "x"]);
    assert!(run.stderr().contains("thresh index"), "{}", run.stderr());
    index_json(d, &[]);
    thresh(d, &["search", "--kind", "video", "x"]).assert_exit_code(2);
    let run = thresh(d, &["search", "--since", "March", "x"]);
    run.assert_exit_code(2);
    assert!(run.stderr().contains("--since"), "{}", run.stderr());
    assert!(
        run.stderr()
            .starts_with("thresh: --since: `March` is not a date"),
        "{}",
        run.stderr()
    );
    // A stray quote is read as text, with a note.
    let run = thresh(d, &["search", "\"theme", "song"]);
    run.assert_exit_code(0);
    assert!(run.stderr().contains("quote"));
    // Periods that cannot meet, no hits to show, an unknown kind in the query: said, exit 2.
    let run = thresh(
        d,
        &["search", "--since", "2019-11", "--until", "2019-10", "x"],
    );
    run.assert_exit_code(2);
    assert!(
        run.stderr().contains("no date is in both"),
        "{}",
        run.stderr()
    );
    let run = thresh(d, &["search", "--limit", "0", "billboard"]);
    run.assert_exit_code(2);
    assert!(run.stderr().contains("--limit"), "{}", run.stderr());
    let run = thresh(d, &["search", "kind:video", "billboard"]);
    run.assert_exit_code(2);
    assert!(
        run.stderr().contains("kind:video: not a kind"),
        "{}",
        run.stderr()
    );
    // A corpus that is not there is not called "not a directory".
    let run = thresh(d, &["index", "nowhere", "--index", "elsewhere"]);
    run.assert_exit_code(2);
    assert!(
        run.stderr().contains("nowhere: no such folder"),
        "{}",
        run.stderr()
    );
}

#[test]
fn empty_results_say_why_on_stderr() {
    let dir = setup();
    let d = dir.path();
    index_json(d, &[]);
    let found = hits(d, &["billboard"]).len();
    assert!(found > 0);
    let run = thresh(d, &["search", "billboard", "--offset", "200"]);
    run.assert_exit_code(1);
    assert!(run.stdout().is_empty());
    assert!(
        run.stderr().contains(&format!(
            "no hits past --offset 200: the search has {found}"
        )),
        "{}",
        run.stderr()
    );
    let run = thresh(
        d,
        &[
            "search",
            "billboard",
            "--kind",
            "comment",
            "--site",
            "nowhere",
        ],
    );
    run.assert_exit_code(1);
    assert!(
        run.stderr()
            .contains("no hits for `billboard` with --kind comment --site nowhere"),
        "{}",
        run.stderr()
    );
}

#[test]
fn totals_are_counted_when_asked_for() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    crate::serve::corpus(d, 12);
    thresh(d, &["index", "corpus", "-q"]).assert_exit_code(0);
    // Thirteen articles and one comment mention wombats.
    let run = thresh(d, &["search", "--count", "wombat"]);
    run.assert_exit_code(0);
    assert_eq!(run.stdout(), "14\n");
    let run = thresh(d, &["search", "--count", "--kind", "comment", "wombat"]);
    assert_eq!(run.stdout(), "1\n");
    let run = thresh(d, &["search", "--count", "platypus"]);
    run.assert_exit_code(1);
    assert_eq!(run.stdout(), "0\n");
    // With --stats: the total on stderr, and a last JSON line after one line per hit.
    let run = thresh(d, &["search", "--json", "--stats", "-n", "3", "wombat"]);
    run.assert_exit_code(0);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[3], serde_json::json!({ "total": 14 }));
    assert!(
        run.stderr().contains("14 hits (showing 1–3)"),
        "{}",
        run.stderr()
    );
    let run = thresh(d, &["search", "--stats", "--offset", "12", "wombat"]);
    assert!(
        run.stderr().contains("14 hits (showing 13–14)"),
        "{}",
        run.stderr()
    );
    // Without it, nothing is counted or said for a script: stdout holds only hits, also when
    // every match fits in the page.
    let run = thresh(d, &["search", "--json", "-n", "3", "wombat"]);
    assert_eq!(run.json_lines().len(), 3);
    assert!(!run.stderr().contains("hits"), "{}", run.stderr());
    let run = thresh(d, &["search", "--json", "wombat"]);
    assert_eq!(run.json_lines().len(), 10);
    assert!(!run.stderr().contains("hit"), "{}", run.stderr());
    let run = thresh(d, &["search", "--json", "platypus OR burrows"]);
    assert!(!run.stderr().contains("hit"), "{}", run.stderr());
}

#[test]
fn show_takes_what_search_prints_and_a_comment_in_its_thread() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    crate::serve::corpus(d, 0);
    thresh(d, &["index", "corpus", "-q"]).assert_exit_code(0);
    // A comment hit's text names `PATH#N`; show takes it as printed.
    let run = thresh(d, &["search", "--kind", "comment", "flooded"]);
    run.assert_exit_code(0);
    let out = run.stdout();
    assert!(out.contains("comment by Ann Reader"), "{out}");
    let printed = out
        .lines()
        .find_map(|l| l.trim().split(' ').next().filter(|w| w.contains('#')))
        .unwrap_or_else(|| panic!("a PATH#N line in {out}"))
        .to_string();
    assert_eq!(printed, "corpus/thread.html#0");
    let run = thresh(d, &["show", &printed]);
    run.assert_exit_code(0);
    let shown = run.stdout();
    assert!(shown.contains("comment 0 of 2"), "{shown}");
    assert!(shown.contains("> --- comment 0 by Ann Reader"), "{shown}");
    assert!(shown.contains("wombat burrows"), "{shown}");
    let run = thresh(d, &["show", "--json", "thread.html#1"]);
    run.assert_exit_code(0);
    let v = &run.json_lines()[0];
    assert_eq!(v["comment"], 1);
    assert!(v["comments"].as_array().is_some_and(|c| !c.is_empty()));
    let run = thresh(d, &["show", "corpus/thread.html#7"]);
    run.assert_exit_code(2);
    assert!(run.stderr().contains("has 2 comments"), "{}", run.stderr());
    // An article hit's path line is what show takes too.
    let run = thresh(d, &["search", "valley"]);
    let path = run
        .stdout()
        .lines()
        .nth(1)
        .and_then(|l| l.trim().split(' ').next())
        .unwrap()
        .to_string();
    thresh(d, &["show", &path]).assert_exit_code(0);
}

#[test]
fn sort_by_date_lists_the_newest_first_and_undated_last() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let c = d.join("corpus");
    fs::create_dir_all(&c).unwrap();
    for (name, date) in [
        ("b.html", Some("2021-05-02")),
        ("a.html", Some("2023-01-09")),
        ("u.html", None),
        ("c.html", Some("2019-11-30")),
    ] {
        let meta = date
            .map(|d| {
                format!("<meta property=\"article:published_time\" content=\"{d}T10:00:00Z\">")
            })
            .unwrap_or_default();
        // The undated page holds the word most often: by relevance it would come first.
        let extra = if date.is_none() {
            " Heron heron heron."
        } else {
            ""
        };
        fs::write(
            c.join(name),
            format!(
                "<html><head><title>Heron {name}</title>{meta}</head><body><article><p>A grey \
                 heron stood in the shallow water of the pond all morning, waiting for fish \
                 to come near the reeds.{extra}</p></article></body></html>"
            ),
        )
        .unwrap();
    }
    thresh(d, &["index", "corpus", "-q"]).assert_exit_code(0);
    let pages = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["search", "--json"];
        all.extend_from_slice(args);
        thresh(d, &all)
            .json_lines()
            .iter()
            .map(|h| h["page"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(
        pages(&["--sort", "date", "heron"]),
        ["a.html", "b.html", "c.html", "u.html"]
    );
    assert_eq!(
        pages(&["--sort", "date", "-n", "2", "--offset", "1", "heron"]),
        ["b.html", "c.html"]
    );
    assert_eq!(pages(&["heron"])[0], "u.html");
}

#[test]
fn stats_lists_languages_and_sites() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    crate::serve::corpus(d, 3);
    let c = d.join("corpus");
    for (name, site) in [
        ("a.html", "Daily Planet"),
        ("b.html", "Daily Planet"),
        ("c.html", "Bugle"),
    ] {
        fs::write(
            c.join(name),
            format!(
                "<html><head><title>{name}</title><meta property=\"og:site_name\" content=\"{site}\">\
                 </head><body><article><p>Der Bürgermeister der Stadt hat am Montag erklärt, \
                 dass die neue Brücke über den Fluss im nächsten Jahr gebaut werden soll, \
                 obwohl das Geld dafür noch nicht bereitsteht.</p></article></body></html>"
            ),
        )
        .unwrap();
    }
    thresh(d, &["index", "corpus", "-q"]).assert_exit_code(0);
    let run = thresh(d, &["stats", "--json"]);
    run.assert_exit_code(0);
    let v = &run.json_lines()[0];
    assert_eq!(v["site_counts"][0], serde_json::json!(["Daily Planet", 2]));
    assert_eq!(v["site_counts"][1], serde_json::json!(["Bugle", 1]));
    let langs = v["languages"].as_array().unwrap();
    assert!(langs.contains(&serde_json::json!(["de", 3])), "{langs:?}");
    assert!(langs.iter().any(|l| l[0] == "en"), "{langs:?}");
    let text = thresh(d, &["stats"]).stdout();
    assert!(text.contains("2  Daily Planet"), "{text}");
}

#[test]
fn damaged_and_locked_indexes_say_what_to_do() {
    let dir = setup();
    let d = dir.path();
    index_json(d, &[]);
    // Locked: another writer holds the index.
    {
        let index = tantivy::Index::open_in_dir(d.join("index")).unwrap();
        let _writer: tantivy::IndexWriter = index.writer(20_000_000).unwrap();
        let run = thresh(d, &["index"]);
        run.assert_exit_code(2);
        assert!(run.stderr().contains("locked"), "{}", run.stderr());
        // Searching while a writer holds the index sees the last commit.
        thresh(d, &["search", "billboard"]).assert_exit_code(0);
    }
    fs::write(d.join("index/meta.json"), "{ not json").unwrap();
    let run = thresh(d, &["search", "billboard"]);
    run.assert_exit_code(2);
    // The advice is a command that runs as given: the corpus and the index named.
    assert!(
        run.stderr()
            .contains("`thresh index corpus --index index --rebuild`"),
        "{}",
        run.stderr()
    );
    // A rebuild recovers.
    fs::remove_dir_all(d.join("index")).unwrap();
    assert_eq!(counts(&index_json(d, &["--rebuild"]))[0], 2);
}

#[test]
fn jobs_do_not_change_results() {
    let a = setup();
    let b = setup();
    index_json(a.path(), &["--jobs", "1"]);
    index_json(b.path(), &["--jobs", "4"]);
    for q in ["billboard", "theme song", "drama"] {
        let strip = |v: Vec<Value>| -> Vec<(String, Option<u64>, String)> {
            v.iter()
                .map(|x| {
                    (
                        s(x, "page").into(),
                        x["comment"].as_u64(),
                        s(x, "snippet").into(),
                    )
                })
                .collect()
        };
        assert_eq!(
            strip(hits(a.path(), &[q])),
            strip(hits(b.path(), &[q])),
            "{q}"
        );
    }
}

#[test]
fn junk_is_skipped_or_reported_and_a_failing_page_keeps_its_documents() {
    let dir = setup();
    let d = dir.path();
    let c = d.join("corpus");
    fs::write(c.join("empty.html"), "").unwrap();
    fs::write(c.join("blob.html"), [0u8, 1, 2, 3, 0, 255]).unwrap();
    fs::write(c.join("notes.pdf"), "%PDF-1.4").unwrap();
    fs::write(
        c.join("redirect.html"),
        "<meta http-equiv=\"refresh\" content=\"0; url=https://example.com/\">Redirecting…",
    )
    .unwrap();
    fs::create_dir(c.join("page_files")).unwrap();
    fs::write(
        c.join("page_files/inner.html"),
        "<p>asset of a saved page, never indexed on its own</p>",
    )
    .unwrap();
    fs::create_dir(c.join(".hidden")).unwrap();
    fs::write(c.join(".hidden/secret.html"), "<p>hidden folder</p>").unwrap();
    std::os::unix::fs::symlink("loop.html", c.join("loop.html")).unwrap();
    let big = "word ".repeat(20 * 1024 * 1024);
    fs::write(c.join("huge.txt"), &big).unwrap();
    drop(big);
    let run = thresh(d, &["index", "--json"]);
    run.assert_exit_code(1);
    let v = &run.json_lines()[0];
    assert_eq!(v["pages"].as_u64(), Some(3), "{v}");
    assert_eq!(v["skipped"].as_u64(), Some(4), "{v}");
    let failed = v["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(s(&failed[0], "path"), "loop.html");
    assert!(run.stderr().contains("loop.html"));

    // A page indexed before that now cannot be read keeps its documents.
    fs::remove_file(c.join("003_09faf8b8a5b91584.txt")).unwrap();
    std::os::unix::fs::symlink(
        "003_09faf8b8a5b91584.txt",
        c.join("003_09faf8b8a5b91584.txt"),
    )
    .unwrap();
    let run = thresh(d, &["index", "--json"]);
    run.assert_exit_code(1);
    assert_eq!(run.json_lines()[0]["pages"].as_u64(), Some(3));
    assert!(!hits(d, &["jirisan"]).is_empty());
}

#[test]
fn a_killed_run_leaves_the_last_commit_and_the_next_run_completes() {
    let dir = setup();
    let d = dir.path();
    index_json(d, &[]);
    // Enough pages that the run is still extracting when it is killed.
    let c = d.join("corpus/bulk");
    fs::create_dir(&c).unwrap();
    let para = "The committee met again on Thursday to discuss the harbour plans, which residents have opposed for years. ".repeat(40);
    for i in 0..4000 {
        fs::write(c.join(format!("p{i}.html")), format!("<html><head><title>Harbour page {i}</title></head><body><article><p>{para}</p><p>zebrafish{i}</p></article></body></html>")).unwrap();
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_thresh"))
        .args(["index", "--quiet", "--jobs", "1"])
        .current_dir(d)
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
    let _ = child.kill();
    let status = child.wait().unwrap();
    if !status.success() {
        // Killed mid-run: the last committed index is intact and searchable.
        thresh(d, &["search", "billboard"]).assert_exit_code(0);
        let st = thresh(d, &["stats", "--json"]).json_lines().remove(0);
        assert_eq!(st["pages"].as_u64(), Some(2));
    }
    // The next run completes the work.
    let v = index_json(d, &[]);
    assert_eq!(v["pages"].as_u64(), Some(4002));
    assert_eq!(
        s(&hits(d, &["zebrafish3999"])[0], "page"),
        "bulk/p3999.html"
    );
}

#[test]
fn verify_hashes_files_whose_size_and_mtime_did_not_change() {
    let dir = setup();
    let d = dir.path();
    let page = d.join("corpus/x.html");
    let html = |word: &str| {
        format!(
            "<html><head><title>Notes</title></head><body><article><p>The harbour committee met on Thursday and talked about {word} for an hour and a half, then adjourned.</p></article></body></html>"
        )
    };
    fs::write(&page, html("seaweeds")).unwrap();
    index_json(d, &[]);
    let mtime = fs::metadata(&page).unwrap().modified().unwrap();
    // Same size, same mtime, different bytes.
    fs::write(&page, html("starfish")).unwrap();
    fs::File::options()
        .write(true)
        .open(&page)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    let v = index_json(d, &[]);
    assert_eq!(v["updated"].as_u64(), Some(0), "not read without --verify");
    let v = index_json(d, &["--verify"]);
    assert_eq!(v["updated"].as_u64(), Some(1));
    assert_eq!(s(&hits(d, &["starfish"])[0], "page"), "x.html");
}

#[test]
fn a_note_appended_after_the_closing_boilerplate_is_found() {
    // Appended as an editor would (on its own line) and as `echo >>` does to a file with no
    // final newline (run onto the ad-blocker plea's last sentence).
    for joint in ["\n", ""] {
        let dir = setup();
        let page = dir.path().join("corpus/003_09faf8b8a5b91584.txt");
        let mut text = fs::read_to_string(&page).unwrap();
        text.truncate(text.trim_end().len());
        text.push_str(joint);
        text.push_str("Update: the wombat appeared in the final episode.\n");
        fs::write(&page, text).unwrap();
        index_json(dir.path(), &[]);
        let found = hits(dir.path(), &["wombat"]);
        assert_eq!(found.len(), 1, "joint {joint:?}: {found:?}");
        assert!(s(&found[0], "path").ends_with("003_09faf8b8a5b91584.txt"));
        // The plea it followed is still not the article's.
        assert!(
            hits(dir.path(), &["\"ad blocker\""]).is_empty(),
            "joint {joint:?}"
        );
    }
}

#[test]
fn sites_match_by_part_and_authors_by_whole_words() {
    let dir = setup();
    let d = dir.path();
    index_json(d, &[]);
    let pages = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["theme"];
        all.extend_from_slice(args);
        hits(d, &all)
            .iter()
            .map(|h| s(h, "page").to_string())
            .collect()
    };
    let abs = pages(&["--site", "abs"]);
    assert!(!abs.is_empty());
    assert!(abs.iter().all(|p| p.starts_with("003_")), "{abs:?}");
    assert_eq!(pages(&["--site", "ABS-cbn"]), abs);
    assert!(pages(&["--site", "guardian"]).is_empty());
    let by = pages(&["--kind", "article", "--author", "gabrielle CEREZO"]);
    assert_eq!(by, ["003_09faf8b8a5b91584.txt"]);
    assert_eq!(
        pages(&["--kind", "article", "--author", "Cérezo"]),
        by,
        "accents do not count"
    );
    assert!(
        pages(&["--author", "gabri"]).is_empty(),
        "a part of a word is not a name"
    );
}
