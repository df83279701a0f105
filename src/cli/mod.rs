//! The command line: arguments, configuration and output. The only place that prints, reads
//! the environment or decides exit codes.

mod args;
mod output;
mod terminal;

use std::fs;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Parser;

use args::{
    Args, Command, CompletionsArgs, ExtractArgs, IndexArgs, IndexDir, SearchArgs, ServeArgs,
    ShowArgs, StatsArgs, WatchArgs,
};
use thresh::index::{self, IndexConfig, IndexError, Summary};
use thresh::ingest::{self, IngestConfig};
use thresh::search::{self, QueryConfig};

/// The index directory when neither `--index` nor `THRESH_INDEX` names one.
const DEFAULT_INDEX: &str = "index";
/// The corpus folder `thresh index` and the first search read by default.
const DEFAULT_CORPUS: &str = "corpus";

/// Exit status for "ran, found nothing / some files failed".
const EXIT_SOME: u8 = 1;
/// Exit status for usage errors, bad option values, missing/damaged/locked indexes.
const EXIT_ERROR: u8 = 2;
/// Exit status after Ctrl-C (128 + SIGINT, as shells report it).
const EXIT_INTERRUPTED: u8 = 130;

/// A flag that the first Ctrl-C sets, so that an index run stops before its commit and leaves
/// the last one intact; a second Ctrl-C exits at once (the commit is atomic either way).
fn stop_on_interrupt() -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let flag = std::sync::Arc::new(AtomicBool::new(false));
    let set = flag.clone();
    let _ = ctrlc::set_handler(move || {
        if set.swap(true, Ordering::SeqCst) {
            std::process::exit(i32::from(EXIT_INTERRUPTED));
        }
    });
    flag
}

/// Runs the command line; returns the exit code.
pub fn run() -> Result<u8> {
    // Arguments as the system gives them: a file name need not be UTF-8. Only `search` reads
    // its words as text (and reorders them), so only there is an argument that is not text
    // an error, one that names it.
    let os_args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let argv: Vec<std::ffi::OsString> = match os_args
        .iter()
        .map(|a| a.to_str())
        .collect::<Option<Vec<&str>>>()
    {
        Some(text) => {
            let text: Vec<String> = text.into_iter().map(String::from).collect();
            if let Some(e) = args::unknown_search_option(&text) {
                let _ = e.print();
                return Ok(EXIT_ERROR);
            }
            args::reorder_search_options(text)
                .into_iter()
                .map(Into::into)
                .collect()
        }
        None if os_args.get(1).is_some_and(|a| a == "search") => {
            let bad = os_args
                .iter()
                .find(|a| a.to_str().is_none())
                .map(|a| terminal::path(Path::new(a)))
                .unwrap_or_default();
            return fail(format!("search: `{bad}` is not valid UTF-8 text"));
        }
        None => os_args,
    };
    let args = match Args::try_parse_from(argv) {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { 0 };
            let _ = e.print();
            return Ok(code);
        }
    };
    match args.command {
        Command::Extract(a) => extract(a),
        Command::Index(a) => index_cmd(a),
        Command::Search(a) => search_cmd(a),
        Command::Show(a) => show_cmd(a),
        Command::Stats(a) => stats_cmd(a),
        Command::Serve(a) => serve_cmd(a),
        Command::Watch(a) => watch_cmd(a),
        Command::Completions(a) => completions_cmd(&a),
        Command::Man(a) => man_cmd(&a),
    }
}

/// True when the error is a closed stdout (`thresh … | head`): not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        let kind = e
            .downcast_ref::<io::Error>()
            .map(io::Error::kind)
            .or_else(|| e.downcast_ref::<serde_json::Error>()?.io_error_kind());
        kind == Some(io::ErrorKind::BrokenPipe)
    })
}

fn jobs_default() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

fn index_dir(d: &IndexDir) -> (PathBuf, bool) {
    match &d.index {
        Some(p) => (p.clone(), true),
        None => (PathBuf::from(DEFAULT_INDEX), false),
    }
}

/// Maps index errors to a message and exit status 2 (everything but "some files failed").
fn fail(err: impl std::fmt::Display) -> Result<u8> {
    eprintln!("thresh: {}", terminal::line(&err.to_string()));
    Ok(EXIT_ERROR)
}

// ----------------------------------------------------------------------------- index

struct Bar(Option<indicatif::ProgressBar>);

/// The bar while files are counted and indexed: the phase, files done of all, a rate and the
/// time left; before and after (walking, committing) a spinner with the phase and the time.
const BAR_TEMPLATE: &str = "{spinner} {msg} {pos}/{len} files [{bar:30}] {per_sec}, {eta} left";
const SPINNER_TEMPLATE: &str = "{spinner} {msg}… {elapsed}";

impl index::Progress for Bar {
    fn phase(&self, phase: index::Phase) {
        let Some(b) = &self.0 else { return };
        let template = if phase == index::Phase::Extract {
            BAR_TEMPLATE
        } else {
            SPINNER_TEMPLATE
        };
        if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
            b.set_style(style.with_key(
                "per_sec",
                |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0} files/s", s.per_sec());
                },
            ));
        }
        b.set_message(phase.name());
    }
    fn start(&self, total: u64) {
        if let Some(b) = &self.0 {
            b.set_length(total);
            b.reset_eta();
        }
    }
    fn advance(&self) {
        if let Some(b) = &self.0 {
            b.inc(1);
        }
    }
}

fn run_index(config: &IndexConfig, quiet: bool) -> Result<Summary, IndexError> {
    let bar = (!quiet && io::stderr().is_terminal()).then(|| {
        let b = indicatif::ProgressBar::new(0);
        b.enable_steady_tick(std::time::Duration::from_millis(120));
        b
    });
    let bar = Bar(bar);
    let result = index::build(config, &bar);
    if let Some(b) = &bar.0 {
        b.finish_and_clear();
    }
    result
}

fn index_cmd(a: IndexArgs) -> Result<u8> {
    let (dir, _) = index_dir(&a.dir);
    let config = IndexConfig {
        corpus: a.corpus.clone(),
        index_dir: dir,
        rebuild: a.rebuild,
        verify: a.verify,
        jobs: a.jobs.map_or_else(jobs_default, usize::from),
        ingest: IngestConfig::default(),
        stop: Some(stop_on_interrupt()),
    };
    let summary = match run_index(&config, a.quiet) {
        Ok(s) => s,
        Err(e @ IndexError::Interrupted) => {
            eprintln!("thresh: {e}");
            return Ok(EXIT_INTERRUPTED);
        }
        Err(e) => return fail(e),
    };
    for f in &summary.failed {
        eprintln!(
            "thresh: {}: {}",
            terminal::path(Path::new(&f.path)),
            terminal::line(&f.error)
        );
    }
    if a.verbose {
        for f in &summary.skipped_files {
            eprintln!(
                "skipped {}: {}",
                terminal::path(Path::new(&f.path)),
                terminal::line(&f.error)
            );
        }
        eprintln!("{}", output::parser_line(&thresh::ingest::parser_counts()));
    }
    if a.json {
        let mut out = io::stdout().lock();
        serde_json::to_writer(&mut out, &summary)?;
        writeln!(out)?;
    } else if !a.quiet {
        eprintln!("{}", output::summary_line(&summary));
    }
    Ok(if summary.failed.is_empty() {
        0
    } else {
        EXIT_SOME
    })
}

// ----------------------------------------------------------------------------- search

fn search_cmd(a: SearchArgs) -> Result<u8> {
    let (dir, named) = index_dir(&a.dir);
    // No index yet, or a first build that was interrupted: the default index is built (or the
    // build finished) from the default corpus first. The index is opened once when it is there.
    let mut opened = index::open(&dir);
    if let Err(e @ (IndexError::Missing { .. } | IndexError::Uncommitted { .. })) = &opened {
        if named {
            return fail(e);
        }
        let corpus = PathBuf::from(DEFAULT_CORPUS);
        if !corpus.is_dir() {
            return fail(format!(
                "no index at {} and no {DEFAULT_CORPUS}/ folder; build one with `thresh index CORPUS`",
                dir.display()
            ));
        }
        eprintln!(
            "thresh: no index yet; building {} from {}/ first",
            dir.display(),
            DEFAULT_CORPUS
        );
        let config = IndexConfig {
            corpus,
            index_dir: dir.clone(),
            rebuild: false,
            verify: false,
            jobs: jobs_default(),
            ingest: IngestConfig::default(),
            stop: Some(stop_on_interrupt()),
        };
        match run_index(&config, false) {
            Ok(s) => eprintln!("{}", output::summary_line(&s)),
            Err(e @ IndexError::Interrupted) => {
                eprintln!("thresh: {e}");
                return Ok(EXIT_INTERRUPTED);
            }
            Err(e) => return fail(e),
        }
        opened = index::open(&dir);
    }
    let opened = match opened {
        Ok(o) => o,
        Err(e) => return fail(e),
    };
    let config = QueryConfig {
        limit: a.limit,
        offset: a.offset,
        kind: a.kind.map(|k| match k {
            args::Kind::Article => thresh::index::schema::Kind::Article,
            args::Kind::Comment => thresh::index::schema::Kind::Comment,
        }),
        site: a.site.clone(),
        author: a.author.clone(),
        since: a.since.clone(),
        until: a.until.clone(),
        all: a.all,
        snippets: a.snippets.map(usize::from),
        fuzzy: a.fuzzy,
        all_copies: a.all_copies,
        sort: match a.sort {
            args::SortBy::Relevance => search::Sort::Relevance,
            args::SortBy::Date => search::Sort::Date,
        },
        // The total is for a person reading stderr, or asked for: a script piping hits pays
        // for no count it does not read.
        count: a.count || a.stats || io::stderr().is_terminal(),
        parallel: false,
    };
    let text = a.query.join(" ");
    let results = match search::search(&opened, &text, &config) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    if !results.ignored.is_empty() {
        eprintln!("thresh: read as plain text: {}", results.ignored.join(", "));
    }
    if a.count {
        let total = results.total.unwrap_or(0);
        writeln!(io::stdout(), "{total}")?;
        return Ok(if total == 0 { EXIT_SOME } else { 0 });
    }
    if let Some(better) = &results.suggestion {
        let better = terminal::line(better);
        if results.corrected {
            eprintln!("thresh: nothing found; showing hits for: {better}");
        } else {
            eprintln!("thresh: nothing found; did you mean: {better} (or search with --fuzzy)");
        }
    }
    if results.hits.is_empty() && results.suggestion.is_none() {
        eprintln!("thresh: {}", why_empty(&opened, &text, &config));
    }
    let color = a.color.enabled();
    // Text wraps at a terminal's width; piped output keeps a snippet on one line.
    let width = console::Term::stdout()
        .size_checked()
        .map(|(_, cols)| usize::from(cols).max(40));
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let base = display_base(&opened.corpus);
    let path_of = |key: &str| base.join(index::keys::decode(key).unwrap_or_else(|| key.into()));
    for hit in &results.hits {
        let path = path_of(&hit.page);
        let copies: Vec<std::path::PathBuf> = hit.duplicates.iter().map(|k| path_of(k)).collect();
        if a.json {
            output::hit_json(&mut out, hit, &path, &copies)?;
        } else {
            output::hit_text(&mut out, hit, &path, &copies, color, width)?;
        }
    }
    if a.json && a.stats {
        serde_json::to_writer(&mut out, &serde_json::json!({ "total": results.total }))?;
        writeln!(out)?;
    }
    out.flush()?;
    // The total is for a person at a terminal, or asked for; a script reads stdout alone.
    let say_total = a.stats || io::stderr().is_terminal();
    if let (true, Some(first), Some(last), Some(total)) = (
        say_total,
        results.hits.first(),
        results.hits.last(),
        results.total,
    ) {
        let total = total.max(last.rank);
        let hits = if total == 1 { "hit" } else { "hits" };
        eprintln!("{total} {hits} (showing {}–{})", first.rank, last.rank);
    }
    Ok(if results.hits.is_empty() {
        EXIT_SOME
    } else {
        0
    })
}

/// Why a search printed nothing, in one line: the hits all lie before the offset asked for, or
/// nothing matches the words with the filters given.
fn why_empty(opened: &index::Opened, text: &str, config: &QueryConfig) -> String {
    if config.offset > 0 {
        let first = QueryConfig {
            offset: 0,
            limit: config.offset,
            ..config.clone()
        };
        if let Ok(r) = search::search(opened, text, &first)
            && !r.hits.is_empty()
        {
            return format!(
                "no hits past --offset {}: the search has {}",
                config.offset,
                r.hits.len()
            );
        }
    }
    let mut filters = Vec::new();
    if let Some(k) = config.kind {
        filters.push(format!("--kind {k}"));
    }
    for (name, value) in [
        ("--site", &config.site),
        ("--author", &config.author),
        ("--since", &config.since),
        ("--until", &config.until),
    ] {
        if let Some(v) = value {
            filters.push(format!("{name} {}", terminal::line(v)));
        }
    }
    let query = terminal::line(text);
    if filters.is_empty() {
        format!("no hits for `{query}`")
    } else {
        format!("no hits for `{query}` with {}", filters.join(" "))
    }
}

/// The corpus folder as the user can open it from here: relative when it is below the working
/// directory.
fn display_base(corpus: &Path) -> PathBuf {
    let cwd = std::env::current_dir().ok();
    match cwd.as_deref().and_then(|c| corpus.strip_prefix(c).ok()) {
        Some(rel) if !rel.as_os_str().is_empty() => rel.to_path_buf(),
        _ => corpus.to_path_buf(),
    }
}

// ----------------------------------------------------------------------------- show, stats

fn show_cmd(a: ShowArgs) -> Result<u8> {
    let (dir, _) = index_dir(&a.dir);
    let opened = match index::open(&dir) {
        Ok(o) => o,
        Err(e) => return fail(e),
    };
    // The key as search shows it in `page`, or the openable path it shows in text and `path`;
    // either may end in `#N`, a comment's position, as comment hits show it (a key that
    // itself ends so, an archive's `FILE#N`, is looked for whole first).
    let typed = a.page.trim_start_matches("./");
    let base = format!("{}/", display_base(&opened.corpus).display());
    let comment_at = typed.rsplit_once('#').and_then(|(page, n)| {
        let n: usize = n.parse().ok()?;
        Some((page, n))
    });
    let mut candidates: Vec<(&str, Option<usize>)> = vec![(typed, None)];
    if let Some((page, n)) = comment_at {
        candidates.push((page, Some(n)));
    }
    let mut found = None;
    for (key, n) in candidates {
        let keys: Vec<&str> = [Some(key), key.strip_prefix(base.as_str())]
            .into_iter()
            .flatten()
            .collect();
        match opened.first_page(&keys) {
            Ok(Some(page)) => {
                found = Some((page, n));
                break;
            }
            Ok(None) => {}
            Err(e) => return fail(e),
        }
    }
    let Some((page, comment)) = found else {
        return fail(format!(
            "{}: not in the index (give a path as `thresh search` prints it, or relative to the corpus folder)",
            terminal::line(&a.page)
        ));
    };
    let mut out = BufWriter::new(io::stdout().lock());
    match comment {
        Some(n) if n >= page.comments.len() => {
            return fail(format!(
                "{}: the page has {} comments (numbered from 0)",
                terminal::line(&a.page),
                page.comments.len()
            ));
        }
        Some(n) if a.json => {
            let thread = output::thread_of(&page, n);
            serde_json::to_writer(
                &mut out,
                &serde_json::json!({
                    "path": page.path,
                    "title": page.title,
                    "url": page.url,
                    "comment": n,
                    "comments": &page.comments[thread.clone()],
                    "thread": thread,
                }),
            )?;
            writeln!(out)?;
        }
        Some(n) => output::comment_in_thread(&mut out, &page, n, a.color.enabled())?,
        None if a.json => output::json_line(&mut out, &page)?,
        None => output::page_text(&mut out, &page, a.color.enabled())?,
    }
    out.flush()?;
    Ok(0)
}

fn stats_cmd(a: StatsArgs) -> Result<u8> {
    let (dir, _) = index_dir(&a.dir);
    let opened = match index::open(&dir) {
        Ok(o) => o,
        Err(e) => return fail(e),
    };
    let manifest = match opened.manifest() {
        Ok(m) => m,
        Err(e) => return fail(e),
    };
    let (pages, articles, comments) = manifest.counts();
    let stats = output::Stats {
        pages,
        articles,
        comments,
        sites: manifest.sites() as u64,
        bytes: index::size_on_disk(&dir),
        updated: manifest.updated.clone(),
        site_counts: manifest.site_counts(),
        languages: match opened.language_counts() {
            Ok(l) => l,
            Err(e) => return fail(e),
        },
    };
    let mut out = io::stdout().lock();
    if a.json {
        serde_json::to_writer(&mut out, &stats)?;
        writeln!(out)?;
    } else {
        output::stats_text(&mut out, &stats, &dir)?;
    }
    Ok(0)
}

// ----------------------------------------------------------------------------- extract

fn extract(a: ExtractArgs) -> Result<u8> {
    let mut paths = a.files.clone();
    if let Some(list) = &a.files_from {
        let shown = terminal::path(list);
        let mut bytes = Vec::new();
        if list.as_os_str() == "-" {
            io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .with_context(|| format!("--files-from {shown}"))?;
        } else {
            bytes = fs::read(list).with_context(|| format!("--files-from {shown}"))?;
        }
        // One path a line, as bytes: a listed file name need not be UTF-8 either.
        for line in bytes.split(|&b| b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if !line.iter().all(u8::is_ascii_whitespace) {
                paths.push(index::keys::path_of_bytes(line.to_vec()));
            }
        }
    }
    if paths.is_empty() {
        return fail("extract: no files given (name them, or use --files-from LIST)");
    }
    let templates = match &a.index {
        Some(dir) => match index::open(dir).and_then(|o| o.site_templates()) {
            Ok(t) => Some(t),
            Err(e) => return fail(e),
        },
        None => None,
    };
    let config = IngestConfig::default();
    let color = a.color.enabled();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut failed = false;
    for path in &paths {
        // The path as given, with odd bytes escaped: what the page records and errors name.
        let shown = terminal::path(path);
        if ingest::is_archive(&shown) {
            // An archive of many pages: one page (or error) per record, streamed.
            let opened = index::open_regular(path).map_err(|e| index::io_reason(&e));
            let mut write = |key: &str, page: Result<ingest::Page, String>| -> Result<()> {
                match page {
                    Ok(page) if a.json => output::json_line(&mut out, &page)?,
                    Ok(page) => output::page_text(&mut out, &page, color)?,
                    Err(msg) => {
                        failed = true;
                        eprintln!("thresh: {key}: {}", terminal::line(&msg));
                        if a.json {
                            output::json_error(&mut out, key, &msg)?;
                        }
                    }
                }
                Ok(())
            };
            let mut written = Ok(());
            let read = match opened {
                Ok((file, _)) => {
                    ingest::extract_archive(&shown, io::BufReader::new(file), &config, |p| {
                        if written.is_ok() {
                            match p.page {
                                Err(e) if e.is_skip() => {}
                                page => written = write(&p.key, page.map_err(|e| e.reason())),
                            }
                        }
                    })
                    .map_err(|e| e.reason())
                }
                Err(msg) => Err(msg),
            };
            written?;
            if let Err(msg) = read {
                write(&shown, Err(msg))?;
            }
            continue;
        }
        let result = index::read_capped(path, config.max_file_bytes, None)
            .map_err(|e| index::io_reason(&e))
            .and_then(|bytes| {
                let mut page = ingest::extract(&shown, &bytes, &config).map_err(|e| e.reason())?;
                if let Some(t) = templates.as_ref().and_then(|t| t.for_file(path, &bytes)) {
                    ingest::template::apply(t, &mut page);
                }
                Ok(page)
            });
        match result {
            Ok(page) => {
                if a.json {
                    output::json_line(&mut out, &page)?;
                } else {
                    output::page_text(&mut out, &page, color)?;
                }
            }
            Err(msg) => {
                failed = true;
                eprintln!("thresh: {shown}: {}", terminal::line(&msg));
                if a.json {
                    output::json_error(&mut out, &shown, &msg)?;
                }
            }
        }
    }
    out.flush()?;
    Ok(if failed { EXIT_SOME } else { 0 })
}

// ----------------------------------------------------------------------------- serve, watch

/// Prints what one watched run did: nothing for a run that found no change.
fn report_watch(event: thresh::watch::Event<'_>, corpus: &Path, quiet: bool) {
    use thresh::watch::Event;
    match event {
        Event::Watching if !quiet => {
            eprintln!("thresh: watching {} (Ctrl-C stops)", terminal::path(corpus))
        }
        Event::Ran(s) if !quiet && (s.added + s.updated + s.removed + s.retemplated > 0) => {
            eprintln!("{}", output::summary_line(s));
            for f in &s.failed {
                eprintln!(
                    "thresh: {}: {}",
                    terminal::path(Path::new(&f.path)),
                    terminal::line(&f.error)
                );
            }
        }
        Event::Failed(e) => eprintln!("thresh: {}", terminal::line(&e.to_string())),
        _ => {}
    }
}

fn watch_cmd(a: WatchArgs) -> Result<u8> {
    let (dir, _) = index_dir(&a.dir);
    let config = IndexConfig {
        corpus: a.corpus.clone(),
        index_dir: dir,
        rebuild: false,
        verify: false,
        jobs: a.jobs.map_or_else(jobs_default, usize::from),
        ingest: IngestConfig::default(),
        stop: Some(stop_on_interrupt()),
    };
    let quiet = a.quiet;
    match thresh::watch::watch(&config, &mut |e| report_watch(e, &a.corpus, quiet)) {
        Ok(()) => {
            if !quiet {
                eprintln!("thresh: stopped; the index holds the last commit");
            }
            Ok(0)
        }
        Err(e) => fail(e),
    }
}

fn serve_cmd(a: ServeArgs) -> Result<u8> {
    let (dir, named) = index_dir(&a.dir);
    let stop = stop_on_interrupt();
    let jobs = a.jobs.map_or_else(jobs_default, usize::from);
    let config_for = |corpus: PathBuf| IndexConfig {
        corpus,
        index_dir: dir.clone(),
        rebuild: false,
        verify: false,
        jobs,
        ingest: IngestConfig::default(),
        stop: Some(stop.clone()),
    };
    // No index yet: it is built from the corpus named, or the default one, first.
    if !index::exists(&dir) || matches!(index::open(&dir), Err(IndexError::Uncommitted { .. })) {
        let corpus = match &a.corpus {
            Some(c) => c.clone(),
            None if !named => PathBuf::from(DEFAULT_CORPUS),
            None => return fail(IndexError::Missing { dir: dir.clone() }),
        };
        eprintln!(
            "thresh: no index yet; building {} from {} first",
            dir.display(),
            terminal::path(&corpus)
        );
        match run_index(&config_for(corpus), false) {
            Ok(s) => eprintln!("{}", output::summary_line(&s)),
            Err(e @ IndexError::Interrupted) => {
                eprintln!("thresh: {e}");
                return Ok(EXIT_INTERRUPTED);
            }
            Err(e) => return fail(e),
        }
    }
    let opened = match index::open(&dir) {
        Ok(o) => o,
        Err(e) => return fail(e),
    };
    let corpus = a.corpus.clone().unwrap_or_else(|| opened.corpus.clone());
    if !a.addr.ip().is_loopback() {
        eprintln!(
            "thresh: listening on {}: other machines can reach this server",
            a.addr
        );
    }
    let mut watcher: Option<std::thread::JoinHandle<Result<(), IndexError>>> = None;
    let result = thresh::serve::serve(opened, a.addr, stop.clone(), |bound, reloader| {
        eprintln!("thresh: serving http://{bound}/ (Ctrl-C stops)");
        if a.watch {
            let config = config_for(corpus.clone());
            let shown = corpus.clone();
            watcher = Some(std::thread::spawn(move || {
                let watched = thresh::watch::watch(&config, &mut |e| {
                    if matches!(e, thresh::watch::Event::Ran(_)) {
                        reloader.reload();
                    }
                    report_watch(e, &shown, false);
                });
                // Said at once: the server goes on answering from the last commit.
                if let Err(e) = &watched {
                    eprintln!("thresh: not watching: {}", terminal::line(&e.to_string()));
                }
                watched
            }));
        }
    });
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let watch_failed = watcher.is_some_and(|w| !matches!(w.join(), Ok(Ok(()))));
    match result {
        Ok(()) if watch_failed => Ok(EXIT_ERROR),
        Ok(()) => Ok(0),
        Err(e) => fail(format!("{e:#}")),
    }
}

// ----------------------------------------------------------------------------- completions, man

fn completions_cmd(a: &CompletionsArgs) -> Result<u8> {
    use clap::CommandFactory;
    let mut command = Args::command();
    clap_complete::generate(a.shell, &mut command, "thresh", &mut io::stdout());
    Ok(0)
}

fn man_cmd(a: &args::ManArgs) -> Result<u8> {
    use clap::CommandFactory;
    let command = Args::command();
    if let Some(dir) = &a.dir {
        if let Err(e) = clap_mangen::generate_to(command, dir) {
            return fail(format!("{}: {e}", terminal::path(dir)));
        }
        return Ok(0);
    }
    let mut out = io::stdout().lock();
    clap_mangen::Man::new(command.clone()).render(&mut out)?;
    // Each command's own options, as sections of the one page.
    for sub in command.get_subcommands() {
        writeln!(out, ".SH \"THRESH {}\"", sub.get_name().to_uppercase())?;
        if let Some(about) = sub.get_about() {
            writeln!(out, "{about}")?;
        }
        clap_mangen::Man::new(sub.clone()).render_options_section(&mut out)?;
    }
    Ok(0)
}
