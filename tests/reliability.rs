//! The promises of a run under attack: a killed first build, another corpus, files thresh did
//! not write, FIFOs and file names that are not text, closed pipes, hostile titles, damaged
//! index files, dates far from now.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::util::{repo, s, thresh};

fn seeds(d: &Path) {
    fs::create_dir_all(d.join("corpus")).unwrap();
    for name in ["000_6ff71d627275b5c3.txt", "003_09faf8b8a5b91584.txt"] {
        fs::copy(
            repo().join("corpus").join(name),
            d.join("corpus").join(name),
        )
        .unwrap();
    }
}

fn page(title: &str, words: &str) -> String {
    format!(
        "<html><head><title>{title}</title></head><body><article><p>{words} The rest of \
         this paragraph is ordinary prose about a harbour, long enough to be an article.</p>\
         </article></body></html>"
    )
}

fn json_of(run: &crate::util::Run) -> serde_json::Value {
    run.json_lines().remove(0)
}

/// Segment ids the last commit names.
fn committed_segments(index: &Path) -> Vec<String> {
    let meta: serde_json::Value =
        serde_json::from_slice(&fs::read(index.join("meta.json")).unwrap()).unwrap();
    meta["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["segment_id"].as_str().unwrap().replace('-', ""))
        .collect()
}

#[test]
fn a_killed_first_build_is_finished_by_the_next_run_and_leaves_no_orphans() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let c = d.join("corpus");
    fs::create_dir(&c).unwrap();
    for i in 0..3000 {
        fs::write(
            c.join(format!("p{i}.html")),
            page(&format!("Harbour {i}"), &format!("kelp{i}")),
        )
        .unwrap();
    }
    for wait_ms in [30, 300] {
        fs::remove_dir_all(d.join("index")).ok();
        let mut child = Command::new(env!("CARGO_BIN_EXE_thresh"))
            .args(["index", "--quiet", "--jobs", "1"])
            .current_dir(d)
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(wait_ms));
        let _ = child.kill();
        let killed = !child.wait().unwrap().success();
        if killed && d.join("index").exists() {
            // Nothing committed yet: a search says so in one line, it does not crash.
            let run = thresh(d, &["search", "--index", "index", "kelp7"]);
            assert!(run.code() == 2 || run.code() == 0, "{}", run.stderr());
            assert!(!run.stderr().contains("panicked"), "{}", run.stderr());
        }
        let run = thresh(d, &["index", "--json"]);
        run.assert_exit_code(0);
        assert_eq!(json_of(&run)["pages"].as_u64(), Some(3000));
        let hit = thresh(d, &["search", "--json", "kelp2999"]).json_lines();
        assert_eq!(s(&hit[0], "page"), "p2999.html");
        // A run with nothing to do removes what the killed run left behind.
        thresh(d, &["index", "--quiet"]).assert_exit_code(0);
        let live = committed_segments(&d.join("index"));
        for entry in fs::read_dir(d.join("index")).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some((id, _)) = name.split_once('.')
                && id.len() == 32
            {
                assert!(
                    live.contains(&id.to_string()),
                    "orphan {name} (live: {live:?})"
                );
            }
        }
    }
}

#[test]
fn another_corpus_is_refused_unless_rebuild_and_user_files_are_never_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    seeds(d);
    thresh(d, &["index", "--quiet"]).assert_exit_code(0);
    fs::write(d.join("index/notes.txt"), "mine").unwrap();
    fs::create_dir(d.join("other")).unwrap();
    fs::write(d.join("other/a.html"), page("Other", "pelican")).unwrap();
    let run = thresh(d, &["index", "other"]);
    run.assert_exit_code(2);
    assert!(run.stderr().contains("--rebuild"), "{}", run.stderr());
    assert_eq!(run.stderr().lines().count(), 1, "{}", run.stderr());
    // The refused run changed nothing.
    thresh(d, &["search", "billboard"]).assert_exit_code(0);
    let run = thresh(d, &["index", "other", "--rebuild", "--json"]);
    run.assert_exit_code(0);
    assert_eq!(json_of(&run)["pages"].as_u64(), Some(1));
    thresh(d, &["search", "pelican"]).assert_exit_code(0);
    thresh(d, &["search", "billboard"]).assert_exit_code(1);
    assert_eq!(
        fs::read_to_string(d.join("index/notes.txt")).unwrap(),
        "mine"
    );

    // An index of an older format is replaced; only its own files go.
    let meta = fs::read_to_string(d.join("index/meta.json")).unwrap();
    let key = "\\\"format\\\":";
    let at = meta.find(key).expect("the payload records the format") + key.len();
    let digits = meta[at..].chars().take_while(char::is_ascii_digit).count();
    let older = format!("{}0{}", &meta[..at], &meta[at + digits..]);
    assert_ne!(meta, older, "the payload records the format");
    fs::write(d.join("index/meta.json"), older).unwrap();
    let run = thresh(d, &["index", "other", "--json"]);
    run.assert_exit_code(0);
    assert_eq!(json_of(&run)["added"].as_u64(), Some(1));
    assert_eq!(
        fs::read_to_string(d.join("index/notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn fifos_are_skipped_and_names_that_are_not_text_keep_their_own_pages() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let c = d.join("corpus");
    fs::create_dir(&c).unwrap();
    let fifo = c.join("x.html");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let latin1 = c.join(std::ffi::OsStr::from_bytes(b"caf\xe9.html"));
    let other = c.join(std::ffi::OsStr::from_bytes(b"caf\xe8.html"));
    fs::write(&latin1, page("First", "walrus")).unwrap();
    fs::write(&other, page("Second", "walrus")).unwrap();
    fs::write(c.join("\x1b]0;owned\x07.html"), page("", "narwhal")).unwrap();
    let run = thresh(d, &["index", "--json", "--verbose"]);
    run.assert_exit_code(0);
    let v = json_of(&run);
    assert_eq!(v["pages"].as_u64(), Some(3), "{v}");
    assert_eq!(v["skipped"].as_u64(), Some(1), "{v}");
    assert!(
        run.stderr().contains("x.html: not a regular file"),
        "{}",
        run.stderr()
    );
    // --verbose also says how the pages were parsed.
    assert!(
        run.stderr()
            .contains("parsed 3 HTML pages: 3 by the quick parser, 0 by html5ever"),
        "{}",
        run.stderr()
    );
    // A second run sees the same files: nothing updated.
    let v = json_of(&thresh(d, &["index", "--json"]));
    assert_eq!(v["unchanged"].as_u64(), Some(3), "{v}");
    let hits = thresh(d, &["search", "--json", "walrus"]).json_lines();
    let mut pages: Vec<&str> = hits.iter().map(|h| s(h, "page")).collect();
    pages.sort_unstable();
    assert_eq!(pages, ["caf\\xE8.html", "caf\\xE9.html"]);
    // Extract reads a file whose name is not UTF-8 (given as the OS string it is) and names
    // it escaped.
    let out = Command::new(env!("CARGO_BIN_EXE_thresh"))
        .arg("extract")
        .arg("--json")
        .arg(&latin1)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("caf\\\\xE9.html"));
    // The escape sequence in a file name reaches the terminal escaped.
    let run = thresh(d, &["search", "--color", "never", "narwhal"]);
    run.assert_exit_code(0);
    assert!(!run.out.stdout.contains(&0x1b), "{:?}", run.stdout());
    assert!(run.stdout().contains("\\u{1b}]0;owned"), "{}", run.stdout());
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let c = d.join("corpus");
    fs::create_dir(&c).unwrap();
    for i in 0..300 {
        fs::write(
            c.join(format!("p{i}.html")),
            page(&format!("Harbour {i}"), "tide"),
        )
        .unwrap();
    }
    thresh(d, &["index", "--quiet"]).assert_exit_code(0);
    let files: Vec<String> = (0..300).map(|i| format!("corpus/p{i}.html")).collect();
    for args in [
        vec!["search", "tide", "-n", "300", "--json"],
        vec!["search", "tide", "-n", "300"],
        [
            vec!["extract", "--json"],
            files.iter().map(String::as_str).collect(),
        ]
        .concat(),
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_thresh"))
            .args(&args)
            .current_dir(d)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read one byte, then close the pipe.
        let mut stdout = child.stdout.take().unwrap();
        let mut one = [0u8; 1];
        std::io::Read::read_exact(&mut stdout, &mut one).unwrap();
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn hostile_page_text_reaches_the_terminal_clean_and_json_stays_json() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let c = d.join("corpus");
    fs::create_dir(&c).unwrap();
    let title = "Evil\x1b[2J\x1b]0;pwned\x07 \x1b]52;c;ZXZpbA==\x07title\u{202E}gpj.exe\u{2066}x\u{2069} \u{9b}31m";
    let body = "Osprey \x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\ and a\rcarriage return, and back\x08\x08\x08spaces.";
    fs::write(c.join("evil.html"), page(title, body)).unwrap();
    thresh(d, &["index", "--quiet"]).assert_exit_code(0);
    let own = regex::Regex::new(r"\x1b\[(1;31|1|0)m|\x1b\]8;;(file://[!-~]*?)?\x1b\\").unwrap();
    for args in [
        vec!["search", "--color", "always", "osprey"],
        vec!["show", "evil.html"],
        vec!["extract", "corpus/evil.html"],
    ] {
        let run = thresh(d, &args);
        run.assert_exit_code(0);
        let text = run.stdout();
        let controls: Vec<char> = text
            .chars()
            .filter(|&ch| ch.is_control() && ch != '\n' && ch != '\x1b')
            .collect();
        assert!(controls.is_empty(), "{args:?}: {controls:?}");
        assert!(
            !text.contains(['\u{202E}', '\u{2066}', '\u{2069}', '\u{9b}']),
            "{args:?}"
        );
        // The only escape sequences left are thresh's own: highlight colours, bold, and the
        // hyperlink to the saved file (this page names no address of its own).
        let stripped = own.replace_all(&text, "");
        assert!(!stripped.contains('\x1b'), "{args:?}: {stripped:?}");
        assert!(
            !text.contains("pwned") && !text.contains("ZXZpbA"),
            "{args:?}: {text}"
        );
    }
    for args in [
        vec!["search", "--json", "osprey"],
        vec!["show", "--json", "evil.html"],
    ] {
        let run = thresh(d, &args);
        run.assert_exit_code(0);
        assert!(!run.out.stdout.contains(&0x1b));
        assert_eq!(run.json_lines().len(), 1);
    }
}

#[test]
fn a_truncated_index_file_is_a_damaged_index_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    seeds(d);
    thresh(d, &["index", "--quiet"]).assert_exit_code(0);
    for ext in ["fast", "store", "term", "idx"] {
        let copy = tempfile::tempdir().unwrap();
        for entry in fs::read_dir(d.join("index")).unwrap().flatten() {
            fs::copy(entry.path(), copy.path().join(entry.file_name())).unwrap();
        }
        let victim = fs::read_dir(copy.path())
            .unwrap()
            .flatten()
            .find(|e| {
                e.file_name()
                    .to_string_lossy()
                    .ends_with(&format!(".{ext}"))
            })
            .unwrap()
            .path();
        let len = fs::metadata(&victim).unwrap().len();
        let f = fs::OpenOptions::new().write(true).open(&victim).unwrap();
        f.set_len(len / 2).unwrap();
        let ix = copy.path().to_str().unwrap();
        for args in [
            vec!["search", "--index", ix, "billboard"],
            vec!["show", "--index", ix, "000_6ff71d627275b5c3.txt"],
        ] {
            let run = thresh(d, &args);
            let err = run.stderr();
            assert!(
                !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
                "{ext}: {err}"
            );
            if run.code() != 0 {
                assert_eq!(run.code(), 2, "{ext} {args:?}: {err}");
                assert!(err.contains("damaged"), "{ext} {args:?}: {err}");
                assert_eq!(err.lines().count(), 1, "{ext}: {err}");
            }
        }
    }
}

#[test]
fn far_dates_filter_right_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let c = d.join("corpus");
    fs::create_dir(&c).unwrap();
    let dated = |year: &str| {
        format!(
            "<html><head><title>Dated {year}</title><meta property=\"article:published_time\" \
             content=\"{year}-05-01T10:00:00Z\"></head><body><article><p>Heron notes for the \
             year {year}, with enough ordinary words in them to be the body of a page.</p>\
             </article></body></html>"
        )
    };
    fs::write(c.join("old.html"), dated("1500")).unwrap();
    fs::write(c.join("new.html"), dated("2019")).unwrap();
    fs::write(c.join("far.html"), dated("9000")).unwrap();
    fs::write(
        c.join("ago.txt"),
        "Heron log\n\nThe herons came back to the marsh this spring, and we counted them twice over.\n\n\
         This page was loaded Dec 13th 2018, 1:17 pm GMT.\nmira · 5000 years ago\nheron heron\nbo · 3 hours ago\nheron too\n",
    )
    .unwrap();
    thresh(d, &["index", "--quiet"]).assert_exit_code(0);
    let pages = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["search", "--json", "--kind", "article", "heron"];
        all.extend_from_slice(args);
        let mut p: Vec<String> = thresh(d, &all)
            .json_lines()
            .iter()
            .map(|h| s(h, "page").to_string())
            .collect();
        p.sort();
        p
    };
    assert_eq!(
        pages(&["--since", "2000"]),
        ["ago.txt", "far.html", "new.html"]
    );
    // A date before the web (1500) is no date a saved page can carry: the page has none, and
    // no date filter takes it.
    assert_eq!(
        pages(&["--until", "9999"]),
        ["ago.txt", "far.html", "new.html"]
    );
    assert!(pages(&["--until", "1600"]).is_empty());
    // The index holds dates up to 2262; a later one counts as that range's end.
    assert_eq!(pages(&["--since", "2300"]), ["far.html"]);
    // A page whose comments carry far relative times reads back whole.
    let run = thresh(d, &["show", "--json", "ago.txt"]);
    run.assert_exit_code(0);
    assert!(json_of(&run)["body"].is_string());
}

#[test]
fn ctrl_c_stops_a_run_before_its_commit_with_exit_130() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    seeds(d);
    thresh(d, &["index", "--quiet"]).assert_exit_code(0);
    let bulk = d.join("corpus/bulk");
    fs::create_dir(&bulk).unwrap();
    for i in 0..3000 {
        fs::write(
            bulk.join(format!("p{i}.html")),
            page(&format!("Harbour {i}"), "gannet"),
        )
        .unwrap();
    }
    let child = Command::new(env!("CARGO_BIN_EXE_thresh"))
        .args(["index", "--quiet", "--jobs", "1"])
        .current_dir(d)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(130) => {
            assert!(stderr.contains("interrupted"), "{stderr}");
            // Nothing of the interrupted run was committed.
            let st = json_of(&thresh(d, &["stats", "--json"]));
            assert_eq!(st["pages"].as_u64(), Some(2));
        }
        // The run was done before the signal came.
        Some(0) => {}
        other => panic!("exit {other:?}: {stderr}"),
    }
    let v = json_of(&thresh(d, &["index", "--json"]));
    assert_eq!(v["pages"].as_u64(), Some(3002));
}
