//! `thresh serve` over HTTP (pages, API, hostile text, paths outside the corpus, malformed
//! requests) and `thresh watch` (pages added, edited and removed while it runs).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::thresh;

/// A hostile title: a script element, an event handler and a closing tag.
pub const HOSTILE_TITLE: &str =
    "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\"> Wombat </title> news";

/// A thresh process, killed when dropped.
pub struct Running {
    pub child: Child,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `thresh ARGS` in `dir` and reads its stderr until it has printed a line holding each
/// of `needles` (in any order); returns those lines in the needles' order. The rest of stderr
/// is drained, so the process never blocks on a full pipe.
pub fn run_until(dir: &Path, args: &[&str], needles: &[&str]) -> (Running, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_thresh"))
        .args(args)
        .current_dir(dir)
        .env_remove("THRESH_INDEX")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut found: Vec<Option<String>> = vec![None; needles.len()];
    while found.iter().any(Option::is_none) {
        let line = lines
            .next()
            .unwrap_or_else(|| panic!("{args:?} printed {needles:?}"))
            .expect("stderr is text");
        for (slot, needle) in found.iter_mut().zip(needles) {
            if slot.is_none() && line.contains(needle) {
                *slot = Some(line.clone());
            }
        }
    }
    std::thread::spawn(move || for _ in lines {});
    (Running { child }, found.into_iter().flatten().collect())
}

/// A server process, stopped when dropped.
pub struct Server {
    _process: Running,
    pub base: String,
}

/// The address in serve's `serving http://ADDR/ …` line.
fn served_at(line: &str) -> String {
    let rest = line.split("serving ").nth(1).unwrap_or("");
    let url = rest.split_whitespace().next().unwrap_or("");
    url.trim_end_matches('/').to_string()
}

/// Starts `thresh serve` in `dir` with `args` on a free port and waits for its address line.
pub fn start_server(dir: &Path, args: &[&str]) -> Server {
    let mut all = vec!["serve"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--addr", "127.0.0.1:0"]);
    let (process, lines) = run_until(dir, &all, &["serving "]);
    Server {
        _process: process,
        base: served_at(&lines[0]),
    }
}

/// GET `url`: status and body.
pub fn get(url: &str) -> (u16, String) {
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    let mut r = agent.get(url).call().unwrap();
    let status = r.status().as_u16();
    (status, r.body_mut().read_to_string().unwrap_or_default())
}

/// A corpus with a hostile page, an article with a comment thread, and `extra` more articles
/// that all mention wombats.
pub fn corpus(dir: &Path, extra: usize) {
    let c = dir.join("corpus");
    std::fs::create_dir_all(&c).unwrap();
    let escaped = HOSTILE_TITLE.replace('&', "&amp;").replace('<', "&lt;");
    std::fs::write(
        c.join("hostile.html"),
        format!(
            "<html><head><title>{escaped}</title></head><body><article><h1>{escaped}</h1>\
             <p>A wombat was seen crossing the road near the river on Tuesday, witnesses said, \
             and it did not stop for traffic. &lt;b onmouseover=alert(1)&gt;bold&lt;/b&gt; \
             was written on a sign beside it.</p></article></body></html>"
        ),
    )
    .unwrap();
    std::fs::write(
        c.join("thread.html"),
        "<html><head><title>Rain in the valley</title></head><body><article><h1>Rain in the valley</h1>\
         <p>Heavy rain fell across the valley overnight, and the river rose by a metre before \
         dawn, the weather service said in its morning report.</p></article>\
         <ol class=\"comments\">\
         <li class=\"comment\"><div class=\"comment-author\">Ann Reader</div>\
         <div class=\"comment-content\"><p>The wombat burrows near the river must be flooded \
         by now, I hope the animals got out in time.</p></div></li>\
         <li class=\"comment\"><div class=\"comment-author\">Bo Smith</div>\
         <div class=\"comment-content\"><p>We had the same rain here, and the road to the \
         village was closed for the whole morning.</p></div></li>\
         </ol></body></html>",
    )
    .unwrap();
    for i in 0..extra {
        std::fs::write(
            c.join(format!("w{i:02}.txt")),
            format!(
                "Wombat report number {i}\n\nThe wombat count in district {i} rose this year, \
                 the survey found, with {n} animals seen along the creek.\n",
                n = 10 + i
            ),
        )
        .unwrap();
    }
}

#[test]
fn serve_answers_pages_and_api_and_never_echoes_page_markup() {
    let tmp = tempfile::tempdir().unwrap();
    corpus(tmp.path(), 12);
    std::fs::write(tmp.path().join("secret.txt"), "not in the corpus").unwrap();
    thresh(tmp.path(), &["index", "corpus", "-q"]).assert_exit_code(0);
    let server = start_server(tmp.path(), &[]);
    let base = &server.base;

    let (status, html) = get(&format!("{base}/?q=wombat"));
    assert_eq!(status, 200);
    assert!(html.contains("<mark>"), "{html}");
    assert!(!html.contains("<script>window.pwned"), "{html}");
    assert!(!html.contains("<img src=x"), "{html}");
    assert!(!html.contains("<b onmouseover"), "{html}");
    assert!(
        html.contains("&lt;script&gt;window.pwned=1&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        html.contains("rel=\"next\""),
        "14 hits page forward: {html}"
    );

    let (status, json) = get(&format!("{base}/api/search?q=wombat&limit=3"));
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["query"], "wombat");
    assert_eq!(v["total"], 14, "{v}");
    let hits = v["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 3);
    for field in [
        "rank",
        "score",
        "kind",
        "page",
        "path",
        "title",
        "snippet",
        "highlights",
    ] {
        assert!(hits[0].get(field).is_some(), "{field} in {}", hits[0]);
    }

    // The server spreads a search over threads; its hits are the command line's, in order.
    for q in ["wombat", "river rain", "wombat survey creek"] {
        let cli: Vec<serde_json::Value> = thresh(tmp.path(), &["search", "--json", q])
            .json_lines()
            .iter()
            .map(|h| h["page"].clone())
            .collect();
        let (_, json) = get(&format!("{base}/api/search?q={}", q.replace(' ', "+")));
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let api: Vec<serde_json::Value> = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["page"].clone())
            .collect();
        assert_eq!(api, cli, "{q}");
    }

    let (status, json) = get(&format!("{base}/api/search?q=wombat&kind=comment"));
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["total"], 1);
    assert_eq!(v["hits"][0]["author"], "Ann Reader");
    assert_eq!(v["hits"][0]["comment"], 0);

    let (status, json) = get(&format!("{base}/api/page?key=thread.html"));
    assert_eq!(status, 200);
    let page: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(page["comments"].as_array().unwrap().len(), 2);

    let (status, html) = get(&format!("{base}/page?key=thread.html"));
    assert_eq!(status, 200);
    assert!(
        html.contains("id=\"c1\"") && html.contains("Bo Smith"),
        "{html}"
    );

    // The saved file is served in a sandbox; nothing outside the corpus is.
    let (status, body) = get(&format!("{base}/file?key=hostile.html"));
    assert_eq!(status, 200);
    assert!(body.contains("wombat"));
    let policy = |path: &str| {
        let r = ureq::get(&format!("{base}{path}")).call().unwrap();
        let h = r.headers().get("content-security-policy").cloned();
        h.and_then(|v| v.to_str().ok().map(String::from))
            .unwrap_or_default()
    };
    assert_eq!(policy("/file?key=hostile.html"), "sandbox");
    assert!(policy("/?q=wombat").contains("script-src 'self'"));
    for bad in [
        "../secret.txt",
        "..%2Fsecret.txt",
        "%2E%2E%2Fsecret.txt",
        "%2Fetc%2Fpasswd",
        "/etc/passwd",
        "corpus/../../secret.txt",
    ] {
        let (status, body) = get(&format!("{base}/file?key={bad}"));
        assert!((400..500).contains(&status), "{bad}: {status}");
        assert!(!body.contains("not in the corpus"), "{bad}");
    }

    // Malformed requests are 4xx, and the server goes on answering.
    for bad in [
        "/api/search?q=wombat&limit=abc",
        "/api/search?q=wombat&limit=0",
        "/api/search?q=wombat&limit=100000",
        "/api/search?q=wombat&offset=-3",
        "/api/search?q=wombat&kind=poem",
        "/api/search?q=wombat&since=yesterday",
        "/api/search",
        "/api/page",
        "/api/page?key=nowhere.html",
        "/page?key=%00",
        "/nowhere",
        "/?q=wombat&since=2020&until=2019",
    ] {
        let (status, _) = get(&format!("{base}{bad}"));
        assert!((400..500).contains(&status), "{bad}: {status}");
    }
    // An offset past every hit, up to the largest number, is an empty page, not an error.
    for path in ["/api/search?q=wombat&offset=", "/?q=wombat&offset="] {
        let (status, body) = get(&format!("{base}{path}{}", u64::MAX));
        assert_eq!(status, 200, "{path}");
        assert!(
            !body.contains("<mark>") && !body.contains("\"rank\""),
            "{body}"
        );
    }
    let long = "a".repeat(5_000);
    let (status, _) = get(&format!("{base}/api/search?q={long}"));
    assert_eq!(status, 400);
    assert_eq!(get(&format!("{base}/?q=rain")).0, 200);
}

/// Polls `thresh search --json` until `done` holds for its hits, for at most `within`.
fn eventually(
    dir: &Path,
    query: &str,
    within: Duration,
    done: impl Fn(&[serde_json::Value]) -> bool,
) -> bool {
    let start = Instant::now();
    loop {
        let run = thresh(dir, &["search", "--json", query]);
        if run.code() != 2 && done(&run.json_lines()) {
            return true;
        }
        if start.elapsed() > within {
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[cfg(unix)]
#[test]
fn watch_applies_additions_edits_and_removals_and_holds_the_lock() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    corpus(dir, 2);
    let (mut watcher, _) = run_until(dir, &["watch", "corpus"], &["watching"]);
    // Generous bounds: the test proves the changes are applied, not how fast (the benchmark
    // script measures that).
    let within = Duration::from_secs(20);

    let c = dir.join("corpus");
    std::fs::write(
        c.join("new.txt"),
        "Platypus seen\n\nA platypus was seen in the creek behind the school on Monday.\n",
    )
    .unwrap();
    assert!(
        eventually(dir, "platypus", within, |h| h.len() == 1),
        "added"
    );

    std::fs::write(
        c.join("new.txt"),
        "Platypus seen\n\nA platypus was seen in the creek, and then an echidna.\n",
    )
    .unwrap();
    assert!(
        eventually(dir, "echidna", within, |h| h.len() == 1),
        "edited"
    );

    std::fs::rename(c.join("new.txt"), c.join("renamed.txt")).unwrap();
    assert!(
        eventually(dir, "echidna", within, |h| h.len() == 1
            && h[0]["page"] == "renamed.txt"),
        "renamed"
    );

    // The lock is held between runs: another update is refused, the search goes on.
    let other = thresh(dir, &["index", "corpus", "-q"]);
    other.assert_exit_code(2);
    assert!(other.stderr().contains("locked"), "{}", other.stderr());

    std::fs::remove_file(c.join("renamed.txt")).unwrap();
    assert!(
        eventually(dir, "echidna", within, |h| h.is_empty()),
        "removed"
    );

    // Ctrl-C stops it cleanly; the last commit stays searchable.
    let status = Command::new("kill")
        .args(["-INT", &watcher.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let code = watcher.child.wait().unwrap().code();
    assert_eq!(code, Some(0));
    let run = thresh(dir, &["search", "--json", "rain"]);
    run.assert_exit_code(0);
    thresh(dir, &["index", "corpus", "-q"]).assert_exit_code(0);
}

#[test]
fn serve_with_watch_answers_for_pages_added_while_it_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    corpus(dir, 1);
    // No index yet: serve builds it from the corpus named, then watches that corpus.
    let server = start_server(dir, &["corpus", "--watch"]);
    let total = |q: &str| -> u64 {
        let (status, body) = get(&format!("{}/api/search?q={q}", server.base));
        assert_eq!(status, 200, "{body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        v["total"].as_u64().unwrap()
    };
    assert_eq!(total("wombat"), 3);
    std::fs::write(
        dir.join("corpus/heron.txt"),
        "Heron at the pond\n\nA grey heron stood in the pond all morning.\n",
    )
    .unwrap();
    let start = Instant::now();
    while total("heron") == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the new page is served"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // The watcher holds the index: another run is refused meanwhile.
    let run = thresh(dir, &["index", "corpus", "-q"]);
    run.assert_exit_code(2);
}

#[test]
fn completions_and_the_manual_come_from_the_argument_definitions() {
    let tmp = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let run = thresh(tmp.path(), &["completions", shell]);
        run.assert_exit_code(0);
        assert!(run.stdout().contains("all-copies"), "{shell}");
        assert!(run.stdout().contains("serve"), "{shell}");
    }
    thresh(tmp.path(), &["completions", "tcsh"]).assert_exit_code(2);
    let run = thresh(tmp.path(), &["man"]);
    run.assert_exit_code(0);
    let page = run.stdout();
    assert!(
        page.starts_with(".ie") || page.contains(".TH thresh"),
        "{page}"
    );
    assert!(
        page.contains("THRESH SEARCH") && page.contains("all\\-copies"),
        "{page}"
    );
    // With a folder: one page per command, as the top page's list names them.
    let man1 = tmp.path().join("man1");
    std::fs::create_dir(&man1).unwrap();
    thresh(tmp.path(), &["man", man1.to_str().unwrap()]).assert_exit_code(0);
    for name in [
        "thresh.1",
        "thresh-search.1",
        "thresh-serve.1",
        "thresh-watch.1",
    ] {
        let text = std::fs::read_to_string(man1.join(name)).unwrap_or_default();
        assert!(text.contains(".TH"), "{name}");
    }
    thresh(tmp.path(), &["man", "/nonexistent/man1"]).assert_exit_code(2);
}

#[cfg(unix)]
#[test]
fn serve_says_at_once_when_it_cannot_watch_and_goes_on_serving() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    corpus(dir, 1);
    thresh(dir, &["index", "corpus", "-q"]).assert_exit_code(0);
    // Another watcher holds the index: once it says it watches, it holds the lock (it took it
    // before its first run).
    let (_holder, _) = run_until(dir, &["watch", "corpus"], &["watching"]);
    let (_server, lines) = run_until(
        dir,
        &["serve", "--watch", "--addr", "127.0.0.1:0"],
        &["serving ", "not watching"],
    );
    assert!(lines[1].contains("locked"), "{}", lines[1]);
    let (status, _) = get(&format!("{}/api/search?q=wombat", served_at(&lines[0])));
    assert_eq!(status, 200);
}
