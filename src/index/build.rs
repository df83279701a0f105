//! Building and updating the index: walk the corpus, decide per file what changed, extract the
//! changed pages on a local rayon pool, feed tantivy's writer, commit once.
//!
//! The only place thresh creates threads. Extraction runs on `jobs` threads; tantivy's writer
//! runs its own indexing threads (a third of the budget, at least one), and `add_document`
//! blocks when its queue is full, which bounds memory: documents stream from the pool into the
//! writer, the corpus is never collected.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::Serialize;
use tantivy::schema::Term;
use tantivy::{Index, IndexWriter, TantivyDocument, TantivyError};

use super::error::IndexError;
use super::manifest::{EXTRACTOR_VERSION, Entry, Manifest, SiteTemplate, Status};
use super::schema::{self, Fields};
use super::{Payload, exists};
use crate::ingest::template::{self, Template};
use crate::ingest::{self, IngestConfig, PAGE_EXTENSIONS, Page};

/// Memory tantivy's writer may use for its in-memory segments, across its threads.
const WRITER_HEAP_BYTES: usize = 64 * 1024 * 1024;

/// Pages larger than this count against [`BIG_PAGES_IN_FLIGHT_BYTES`] while they are extracted.
const BIG_PAGE_BYTES: usize = 1024 * 1024;

/// Most bytes of big pages extracted at once (a page bigger than this runs alone). Parsing
/// costs about twelve times a page's size in memory, so this bounds the pool's share of the
/// peak at about a hundred megabytes whatever `jobs` is.
const BIG_PAGES_IN_FLIGHT_BYTES: usize = 8 * 1024 * 1024;

/// Small files the survey reads whole are kept for extraction, so that they are opened once:
/// for a corpus of small pages, opening a file costs a good part of extracting it. This bounds
/// the bytes kept over the run.
const KEPT_BYTES: usize = 64 * 1024 * 1024;

/// The largest file the survey keeps for extraction (see [`KEPT_BYTES`]).
const KEPT_FILE_BYTES: usize = 64 * 1024;

/// How many waits for big-page room one worker may nest (see [`BigPages::enter`]).
const BIG_PAGE_WAIT_NESTING: usize = 4;

/// Smallest heap tantivy accepts per indexing thread.
const WRITER_HEAP_PER_THREAD_MIN: usize = 16 * 1024 * 1024;

/// How an index run is set up.
#[derive(Debug, Clone)]
pub struct IndexConfig {
    /// The corpus directory.
    pub corpus: PathBuf,
    /// The index directory.
    pub index_dir: PathBuf,
    /// Start from an empty index.
    pub rebuild: bool,
    /// Hash every file even when its size and mtime are unchanged.
    pub verify: bool,
    /// Threads for extraction (and the writer's share of them).
    pub jobs: usize,
    /// Limits for extraction.
    pub ingest: IngestConfig,
    /// Set (by a signal handler, say) to stop the run: files not yet read are left, nothing is
    /// committed, and the build returns [`IndexError::Interrupted`].
    pub stop: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
}

impl IndexConfig {
    fn stopped(&self) -> bool {
        self.stop
            .as_ref()
            .is_some_and(|s| s.load(std::sync::atomic::Ordering::Relaxed))
    }
}

/// A file that could not be indexed.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// Path relative to the corpus root.
    pub path: String,
    /// One-line reason.
    pub error: String,
}

/// What a run did and what the index holds after it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Pages the index holds.
    pub pages: u64,
    /// Articles the index holds (one per page).
    pub articles: u64,
    /// Comments the index holds.
    pub comments: u64,
    /// Pages new in this run.
    pub added: u64,
    /// Pages whose content changed.
    pub updated: u64,
    /// Pages gone from the corpus.
    pub removed: u64,
    /// Pages whose bytes did not change.
    pub unchanged: u64,
    /// Of those, pages extracted again because their site's template changed.
    pub retemplated: u64,
    /// Files that are not pages (other types, empty, binary, redirect stubs).
    pub skipped: u64,
    /// Files that could not be read; a page indexed before keeps its old documents.
    pub failed: Vec<Failure>,
    /// Seconds the run took.
    pub seconds: f64,
    /// The skipped files with their reasons (listed with `--verbose`).
    #[serde(skip)]
    pub skipped_files: Vec<Failure>,
}

/// Progress reports: files handled so far, of how many.
pub trait Progress: Sync {
    /// Called when a run moves on to another phase.
    fn phase(&self, _phase: Phase) {}
    /// Called once the walk has found `total` files.
    fn start(&self, total: u64);
    /// Called after each file.
    fn advance(&self);
}

/// The phases of a run, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Listing the corpus's files.
    Walk,
    /// Reading, extracting and indexing the files that changed.
    Extract,
    /// Writing the commit (segments, manifest) and merging.
    Commit,
}

impl Phase {
    /// The phase as a progress line names it.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Walk => "walking",
            Phase::Extract => "indexing",
            Phase::Commit => "committing",
        }
    }
}

impl Progress for () {
    fn start(&self, _total: u64) {}
    fn advance(&self) {}
}

/// What every file of a run shares.
struct Run<'a> {
    /// Re-extract even when the bytes are unchanged (new extractor, `--rebuild`).
    reextract: bool,
    config: &'a IndexConfig,
    fields: &'a Fields,
    writer: &'a IndexWriter<TantivyDocument>,
    /// The first error the writer returned; the run fails with it before committing.
    add_error: Mutex<Option<TantivyError>>,
    /// Room for big pages.
    big_pages: BigPages,
    /// The bytes of files kept from the survey for extraction, against [`KEPT_BYTES`].
    kept: std::sync::atomic::AtomicUsize,
    /// Records of archives that gave no page, and archives damaged part way.
    record_failures: Mutex<Vec<Failure>>,
}

impl Run<'_> {
    /// Keeps a file read whole for its extraction, while the budget has room.
    fn keep(&self, bytes: Vec<u8>) -> Option<Vec<u8>> {
        use std::sync::atomic::Ordering;
        if bytes.len() > KEPT_FILE_BYTES {
            return None;
        }
        let before = self.kept.fetch_add(bytes.len(), Ordering::Relaxed);
        if before + bytes.len() > KEPT_BYTES {
            self.kept.fetch_sub(bytes.len(), Ordering::Relaxed);
            return None;
        }
        Some(bytes)
    }
}

/// The bytes of big pages being extracted, against [`BIG_PAGES_IN_FLIGHT_BYTES`].
#[derive(Default)]
struct BigPages {
    in_flight: Mutex<usize>,
    freed: Condvar,
}

thread_local! {
    /// Waits for big-page room this thread has nested (each runs other pages while it waits).
    static BIG_PAGE_WAITS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl BigPages {
    fn lock(&self) -> MutexGuard<'_, usize> {
        self.in_flight.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes room for a page of `bytes`, given back when the returned guard drops. While other big
    /// pages fill the budget, the worker runs other pages of the pool instead of idling a core
    /// (big pages sit together in a corpus, in source listings); it blocks only when the pool
    /// has nothing else left, or after nesting a few such waits (each keeps a stack frame).
    fn enter(&self, bytes: usize) -> Room<'_> {
        let room = |bytes| Room { pages: self, bytes };
        if bytes <= BIG_PAGE_BYTES {
            return room(0);
        }
        let fits =
            |in_flight: usize| in_flight == 0 || in_flight + bytes <= BIG_PAGES_IN_FLIGHT_BYTES;
        loop {
            {
                let mut in_flight = self.lock();
                if fits(*in_flight) {
                    *in_flight += bytes;
                    return room(bytes);
                }
            }
            let depth = BIG_PAGE_WAITS.get();
            let ran = depth < BIG_PAGE_WAIT_NESTING && {
                BIG_PAGE_WAITS.set(depth + 1);
                let yielded = rayon::yield_now();
                BIG_PAGE_WAITS.set(depth);
                yielded == Some(rayon::Yield::Executed)
            };
            if !ran {
                let mut in_flight = self.lock();
                while !fits(*in_flight) {
                    in_flight = self
                        .freed
                        .wait(in_flight)
                        .unwrap_or_else(|p| p.into_inner());
                }
                *in_flight += bytes;
                return room(bytes);
            }
        }
    }
}

/// Room taken for one big page.
struct Room<'a> {
    pages: &'a BigPages,
    bytes: usize,
}

impl Drop for Room<'_> {
    fn drop(&mut self) {
        if self.bytes > 0 {
            *self.pages.lock() -= self.bytes;
            self.pages.freed.notify_all();
        }
    }
}

/// One file found by the walk.
struct Found {
    rel: String,
    abs: PathBuf,
    is_page: bool,
    /// An archive of many pages (a WARC file), streamed record by record.
    archive: bool,
}

/// Deletes the documents of a file's pages as `old` records them.
fn delete_pages(writer: &IndexWriter<TantivyDocument>, fields: &Fields, rel: &str, old: &Entry) {
    for key in old.page_keys(rel) {
        writer.delete_term(Term::from_field_text(fields.page, key));
    }
}

/// What happened to one file.
enum Outcome {
    Unchanged(Entry),
    Added(Entry),
    Updated(Entry),
    /// Unchanged, extracted again for its site's new template.
    Retemplated(Entry),
    Skipped(Entry, String),
    Failed(String),
}

impl Outcome {
    /// The record of a file whose documents the index holds after the run.
    fn indexed(&self) -> Option<&Entry> {
        match self {
            Outcome::Added(e)
            | Outcome::Updated(e)
            | Outcome::Unchanged(e)
            | Outcome::Retemplated(e) => Some(e),
            Outcome::Skipped(..) | Outcome::Failed(_) => None,
        }
    }
}

/// The record of one of a site's pages while a run plans its templates: a changed page not yet
/// extracted, or an unchanged indexed one.
fn member_entry<'a>(outcome: &'a Option<Outcome>, changed: &'a Option<Entry>) -> Option<&'a Entry> {
    match (outcome, changed) {
        (None, Some(e)) | (Some(Outcome::Unchanged(e)), _) => Some(e),
        _ => None,
    }
}

/// Builds or updates the index at `config.index_dir` from `config.corpus`.
///
/// Blocks until the run is committed. One bad file never stops the run: it is reported in the
/// summary and the rest is indexed.
///
/// # Errors
/// [`IndexError::Locked`] when another run holds the index, [`IndexError::Corpus`] when the
/// corpus cannot be walked, [`IndexError::Foreign`]/[`IndexError::Format`]/
/// [`IndexError::Damaged`] for an index that cannot be updated, and I/O or tantivy errors at
/// commit. On any error nothing is committed and the previous index stays as it was.
pub fn build(config: &IndexConfig, progress: &dyn Progress) -> Result<Summary, IndexError> {
    check_corpus(config)?;
    let lock = RunLock::acquire(&config.index_dir)?;
    build_locked(config, &lock, progress)
}

/// The corpus folder is there and is a folder.
fn check_corpus(config: &IndexConfig) -> Result<(), IndexError> {
    if config.corpus.is_dir() {
        return Ok(());
    }
    let reason = if config.corpus.exists() {
        "not a folder"
    } else {
        "no such folder"
    };
    Err(IndexError::Corpus {
        dir: config.corpus.clone(),
        reason: reason.into(),
    })
}

/// The name of the file whose lock says a run (or a watcher) is updating the index.
const RUN_LOCK: &str = ".thresh-run.lock";

/// Held while a process updates an index: one `thresh index` run, or a watcher for as long as
/// it watches (between its commits too, which the index library's own writer lock does not
/// cover). An advisory lock of the operating system: it goes with the process, so a crashed
/// run never leaves the index locked.
#[derive(Debug)]
pub struct RunLock {
    _file: fs::File,
    dir: PathBuf,
}

impl RunLock {
    /// Takes the lock of the index in `dir`, making the folder when there is none.
    ///
    /// # Errors
    /// [`IndexError::Locked`] when another process holds it; [`IndexError::Foreign`] when the
    /// folder holds files that are not an index; I/O errors of making the folder or the file.
    pub fn acquire(dir: &Path) -> Result<RunLock, IndexError> {
        // A folder that holds no index yet is made, or checked to hold nothing of anyone
        // else's, before a lock file is left in it.
        if !exists(dir) {
            create_dir_for_index(dir)?;
        }
        let path = dir.join(RUN_LOCK);
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| write_error(dir, path.clone(), e))?;
        match file.try_lock() {
            Ok(()) => Ok(RunLock {
                _file: file,
                dir: dir.to_path_buf(),
            }),
            Err(fs::TryLockError::WouldBlock) => Err(IndexError::Locked {
                dir: dir.to_path_buf(),
            }),
            Err(fs::TryLockError::Error(e)) => Err(write_error(dir, path, e)),
        }
    }
}

/// [`build`] under a lock the caller holds (a watcher keeps one across its runs).
///
/// # Errors
/// As [`build`]; [`IndexError::Locked`] when `lock` is another index's.
pub fn build_locked(
    config: &IndexConfig,
    lock: &RunLock,
    progress: &dyn Progress,
) -> Result<Summary, IndexError> {
    let started = Instant::now();
    let dir = &config.index_dir;
    check_corpus(config)?;
    if fs::canonicalize(&lock.dir).ok() != fs::canonicalize(dir).ok() {
        return Err(IndexError::Locked { dir: dir.clone() });
    }
    let tantivy_err = |e: TantivyError| writer_error(dir, e);
    let corpus_abs = fs::canonicalize(&config.corpus).unwrap_or_else(|_| config.corpus.clone());
    let Base {
        index,
        fields,
        manifest: old,
        manifest_name: old_manifest,
        same_corpus,
    } = open_for_update(config, &corpus_abs)?;
    let jobs = config.jobs.max(1);
    let writer_threads = (jobs / 3).max(1);
    let heap = WRITER_HEAP_BYTES.max(writer_threads * WRITER_HEAP_PER_THREAD_MIN);
    let mut writer: IndexWriter<TantivyDocument> = index
        .writer_with_num_threads(writer_threads, heap)
        .map_err(tantivy_err)?;

    let reextract = config.rebuild || old.extractor != EXTRACTOR_VERSION;
    if config.rebuild {
        writer.delete_all_documents().map_err(tantivy_err)?;
    }
    let old_files = if config.rebuild {
        BTreeMap::new()
    } else {
        old.files
    };

    progress.phase(Phase::Walk);
    let found = walk(&config.corpus)?;
    progress.phase(Phase::Extract);
    progress.start(found.len() as u64);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("thresh-extract-{i}"))
        .build()
        .map_err(|e| IndexError::Io {
            path: dir.clone(),
            source: std::io::Error::other(e),
        })?;
    let run = Run {
        reextract,
        config,
        fields: &fields,
        writer: &writer,
        add_error: Mutex::new(None),
        big_pages: BigPages::default(),
        kept: Default::default(),
        record_failures: Mutex::default(),
    };
    // First every file is measured (and a changed one hashed and its site read), then the
    // sites' templates are learned from samples, then the rest of the changed pages are
    // extracted with their site's template.
    let surveyed: Vec<Survey> = pool.install(|| {
        found
            .par_iter()
            .map(|f| {
                if config.stopped() {
                    return Survey::Done(Outcome::Failed("interrupted".into()));
                }
                // A panic outside extraction (which has its own boundary) still costs one file.
                let survey = crate::panics::catch(|| survey(f, old_files.get(&f.rel), &run))
                    .unwrap_or_else(|m| {
                        Survey::Done(Outcome::Failed(format!(
                            "internal error while indexing: {m}"
                        )))
                    });
                if matches!(survey, Survey::Done(_)) {
                    progress.advance();
                }
                survey
            })
            .collect()
    });
    let old_templates = if reextract {
        BTreeMap::new()
    } else {
        old.templates
    };
    let (outcomes, templates, retemplated) = pool
        .install(|| extract_by_site(&found, surveyed, &old_templates, &old_files, &run, progress));
    // Interrupted: the writer is dropped without a commit, so the index stays as it was.
    if config.stopped() {
        return Err(IndexError::Interrupted);
    }
    let add_error = run
        .add_error
        .into_inner()
        .unwrap_or_else(|p| p.into_inner());
    if let Some(e) = add_error {
        return Err(tantivy_err(e));
    }

    let mut summary = Summary {
        retemplated,
        failed: run
            .record_failures
            .into_inner()
            .unwrap_or_else(|p| p.into_inner()),
        ..Summary::default()
    };
    let mut files: BTreeMap<String, Entry> = BTreeMap::new();
    let seen: HashSet<&str> = outcomes.iter().map(|(r, _)| r.as_str()).collect();
    for (rel, outcome) in &outcomes {
        match outcome {
            Outcome::Unchanged(e) => {
                summary.unchanged += 1;
                files.insert(rel.clone(), e.clone());
            }
            Outcome::Added(e) => {
                summary.added += 1;
                files.insert(rel.clone(), e.clone());
            }
            Outcome::Updated(e) => {
                summary.updated += 1;
                files.insert(rel.clone(), e.clone());
            }
            Outcome::Retemplated(e) => {
                summary.unchanged += 1;
                files.insert(rel.clone(), e.clone());
            }
            Outcome::Skipped(e, why) => {
                summary.skipped += 1;
                summary.skipped_files.push(Failure {
                    path: rel.clone(),
                    error: why.clone(),
                });
                files.insert(rel.clone(), e.clone());
            }
            Outcome::Failed(why) => {
                summary.failed.push(Failure {
                    path: rel.clone(),
                    error: why.clone(),
                });
                // Nothing is lost: a page indexed before keeps its documents and record.
                if let Some(e) = old_files.get(rel) {
                    files.insert(rel.clone(), e.clone());
                }
            }
        }
    }
    for (rel, e) in &old_files {
        if !seen.contains(rel.as_str()) && e.status == Status::Indexed {
            delete_pages(&writer, &fields, rel, e);
            summary.removed += 1;
        }
    }

    // Nothing changed at all: the last commit already says all there is to say.
    if !config.rebuild
        && !reextract
        && same_corpus
        && files == old_files
        && templates == old_templates
        && summary.removed == 0
    {
        // Files that interrupted or failed runs left behind (segments, manifests) go even when
        // there is nothing to commit; the last commit's own files are kept.
        let _ = writer.garbage_collect_files().wait();
        drop(writer);
        if let Some(current) = &old_manifest {
            Manifest::remove_others(dir, &[current]);
        }
        return Ok(finish(summary, &files, started));
    }
    progress.phase(Phase::Commit);
    let manifest = Manifest {
        updated: now_rfc3339(),
        files,
        templates,
        ..Manifest::new()
    };
    let name = manifest.save(dir, unique_number()).map_err(|e| match e {
        IndexError::Io { source, .. } if is_storage_full(&source) => {
            IndexError::DiskFull { dir: dir.clone() }
        }
        other => other,
    })?;
    let payload = serde_json::to_string(&Payload {
        format: super::manifest::INDEX_FORMAT,
        manifest: name.clone(),
        corpus: super::keys::encode_any(&corpus_abs),
    })
    .map_err(|e| IndexError::Io {
        path: dir.clone(),
        source: std::io::Error::other(e),
    })?;
    let mut prepared = writer.prepare_commit().map_err(tantivy_err)?;
    prepared.set_payload(&payload);
    prepared.commit().map_err(tantivy_err)?;
    writer.wait_merging_threads().map_err(tantivy_err)?;
    Manifest::remove_others(dir, &[&name, &old_manifest_name(dir, &name)]);
    Ok(finish(summary, &manifest.files, started))
}

/// Completes a run's summary: what the index holds now, lists in path order, the time taken.
fn finish(mut summary: Summary, files: &BTreeMap<String, Entry>, started: Instant) -> Summary {
    let (pages, articles, comments) = Manifest::tally(files);
    summary.pages = pages;
    summary.articles = articles;
    summary.comments = comments;
    summary.failed.sort_by(|a, b| a.path.cmp(&b.path));
    summary.skipped_files.sort_by(|a, b| a.path.cmp(&b.path));
    summary.seconds = started.elapsed().as_secs_f64();
    summary
}

/// The newest manifest file other than `current` (the one readers may still hold).
fn old_manifest_name(dir: &Path, current: &str) -> String {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("manifest-") && n.ends_with(".json") && n != current)
                .collect()
        })
        .unwrap_or_default();
    names.sort_by_key(|n| manifest_number(n));
    names.pop().unwrap_or_default()
}

fn manifest_number(name: &str) -> u64 {
    name.trim_start_matches("manifest-")
        .trim_end_matches(".json")
        .parse()
        .unwrap_or(0)
}

/// A number that grows from run to run (nanoseconds since the epoch).
fn unique_number() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

fn now_rfc3339() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The index a run updates.
struct Base {
    index: Index,
    fields: Fields,
    /// The manifest of its last commit (empty for a new index).
    manifest: Manifest,
    /// That manifest's file name, when there was a commit.
    manifest_name: Option<String>,
    /// Whether the last commit was of this same corpus.
    same_corpus: bool,
}

/// Opens the index to update, or makes a new one.
///
/// An index of an older format, an index whose first build never committed and, with
/// `--rebuild`, a damaged one are replaced in place; only their own files are deleted.
fn open_for_update(config: &IndexConfig, corpus_abs: &Path) -> Result<Base, IndexError> {
    let dir = &config.index_dir;
    if exists(dir) {
        match super::open(dir) {
            Ok(opened) => {
                if opened.corpus != corpus_abs && !config.rebuild {
                    return Err(IndexError::OtherCorpus {
                        dir: dir.clone(),
                        built_from: opened.corpus.clone(),
                        corpus: config.corpus.clone(),
                    });
                }
                return Ok(Base {
                    manifest: opened.manifest()?,
                    same_corpus: opened.corpus == corpus_abs,
                    manifest_name: Some(opened.manifest_name),
                    index: opened.index,
                    fields: opened.fields,
                });
            }
            // A first build that never committed: start it again.
            Err(IndexError::Uncommitted { .. }) => clear_own_files(dir)?,
            // Nothing in an older layout can be reused: its files are thresh's own (the
            // commit payload said so).
            Err(IndexError::Format { .. }) => clear_own_files(dir)?,
            Err(IndexError::Damaged { .. }) if config.rebuild => clear_own_files(dir)?,
            Err(e) => return Err(e),
        }
    } else {
        create_dir_for_index(dir)?;
    }
    write_marker(dir, corpus_abs)?;
    let (schema, fields) = schema::build();
    let index = Index::create_in_dir(dir, schema).map_err(|e| writer_error(dir, e))?;
    schema::register_analyzers(&index);
    Ok(Base {
        index,
        fields,
        manifest: Manifest::new(),
        manifest_name: None,
        same_corpus: false,
    })
}

/// Maps a tantivy error of opening or writing the index: a lock held elsewhere, a folder that
/// cannot be written, anything else.
fn writer_error(dir: &Path, e: TantivyError) -> IndexError {
    use tantivy::directory::error::{LockError, OpenWriteError};
    let read_only = |reason: String| IndexError::ReadOnly {
        dir: dir.to_path_buf(),
        reason,
    };
    match e {
        TantivyError::LockFailure(LockError::IoError(io), _)
            if super::readonly::is_read_only(&io) =>
        {
            read_only(super::io_reason(&io))
        }
        TantivyError::LockFailure(..) => IndexError::Locked {
            dir: dir.to_path_buf(),
        },
        TantivyError::OpenWriteError(OpenWriteError::IoError { ref io_error, .. })
            if super::readonly::is_read_only(io_error) =>
        {
            read_only(super::io_reason(io_error))
        }
        // The index library reports a full disk as a writer thread that died: look for room.
        _ if disk_is_full(dir) => IndexError::DiskFull {
            dir: dir.to_path_buf(),
        },
        other => IndexError::Tantivy {
            dir: dir.to_path_buf(),
            source: other,
        },
    }
}

/// Bytes a probe writes to learn whether the index's disk has room left.
const SPACE_PROBE_BYTES: usize = 256 * 1024;

/// True when the index folder's file system has no room for a small file.
fn disk_is_full(dir: &Path) -> bool {
    use std::io::Write;
    let probe = dir.join(".thresh-space-probe");
    let result = fs::File::create(&probe).and_then(|mut f| {
        f.write_all(&vec![0u8; SPACE_PROBE_BYTES])?;
        f.sync_all()
    });
    let _ = fs::remove_file(&probe);
    matches!(result, Err(e) if is_storage_full(&e))
}

/// ENOSPC: the file system has no room left.
fn is_storage_full(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::StorageFull || e.raw_os_error() == Some(28)
}

/// An I/O error of writing in the index folder: a folder that cannot be written is said to be
/// read-only, anything else is named with its path.
fn write_error(dir: &Path, path: PathBuf, e: std::io::Error) -> IndexError {
    if super::readonly::is_read_only(&e) {
        IndexError::ReadOnly {
            dir: dir.to_path_buf(),
            reason: super::io_reason(&e),
        }
    } else {
        IndexError::Io { path, source: e }
    }
}

/// Writes the marker that makes the folder thresh's (see [`super::MARKER`]).
fn write_marker(dir: &Path, corpus_abs: &Path) -> Result<(), IndexError> {
    let marker = super::Marker {
        corpus: super::keys::encode_any(corpus_abs),
    };
    let path = dir.join(super::MARKER);
    let json = serde_json::to_vec(&marker).map_err(|e| IndexError::Io {
        path: path.clone(),
        source: std::io::Error::other(e),
    })?;
    fs::write(&path, json).map_err(|e| write_error(dir, path, e))
}

/// Whether thresh or tantivy wrote a file of this name in an index folder: tantivy's meta and
/// lock files, its list of managed files, thresh's marker and manifests. Segment files are
/// known by tantivy's list (see [`clear_own_files`]).
fn is_own_name(name: &str) -> bool {
    matches!(
        name,
        "meta.json" | ".managed.json" | ".tantivy-meta.lock" | ".tantivy-writer.lock"
    ) || name == super::MARKER
        || name == RUN_LOCK
        || name.starts_with("manifest-") && name.ends_with(".json")
}

/// Removes the files of an index that is being replaced: those [`is_own_name`] names and the
/// segment files tantivy listed as its own. Anything else in the folder (a user's notes, a
/// `.gitignore`) stays.
fn clear_own_files(dir: &Path) -> Result<(), IndexError> {
    let io = |e: std::io::Error| IndexError::Io {
        path: dir.to_path_buf(),
        source: e,
    };
    let managed: HashSet<String> = fs::read(dir.join(".managed.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<Vec<String>>(&b).ok())
        .unwrap_or_default()
        .into_iter()
        .collect();
    for entry in fs::read_dir(dir).map_err(io)?.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && (is_own_name(name) || managed.contains(name) || is_segment_file(name)) {
            match fs::remove_file(entry.path()) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(e)),
            }
        }
    }
    Ok(())
}

/// A segment file as tantivy names it: 32 hex digits, a dot, one of its file kinds (and a
/// delete file's opstamp). Found also when the managed list was lost with a killed run.
fn is_segment_file(name: &str) -> bool {
    let Some((id, ext)) = name.split_once('.') else {
        return false;
    };
    id.len() == 32
        && id.bytes().all(|b| b.is_ascii_hexdigit())
        && ext.split('.').next().is_some_and(|e| {
            matches!(
                e,
                "idx" | "pos" | "term" | "store" | "fast" | "fieldnorm" | "del"
            ) || e.bytes().all(|b| b.is_ascii_digit())
        })
}

/// Makes the index directory, refusing one that holds files thresh did not write (a wrong
/// `--index` must not scatter index files among the user's own).
fn create_dir_for_index(dir: &Path) -> Result<(), IndexError> {
    if dir.exists() {
        let foreign = fs::read_dir(dir)
            .map_err(|e| IndexError::Io {
                path: dir.to_path_buf(),
                source: e,
            })?
            .flatten()
            .any(|e| {
                let n = e.file_name();
                let n = n.to_string_lossy();
                !(n.starts_with('.') || is_own_name(&n))
            });
        if foreign {
            return Err(IndexError::Foreign {
                dir: dir.to_path_buf(),
            });
        }
        return Ok(());
    }
    fs::create_dir_all(dir).map_err(|e| write_error(dir, dir.to_path_buf(), e))
}

/// Walks the corpus: files in name order, hidden files and folders and the `NAME_files/`
/// folders browsers save beside a page left out, symlinks to folders not followed.
fn walk(corpus: &Path) -> Result<Vec<Found>, IndexError> {
    let walker = ignore::WalkBuilder::new(corpus)
        .hidden(true)
        .ignore(false)
        .git_ignore(false)
        .git_global(false)
        .git_exclude(false)
        .parents(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(|e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            !(is_dir && e.depth() > 0 && e.file_name().to_string_lossy().ends_with("_files"))
        })
        .build();
    let mut out = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                // An unreadable folder inside the corpus is reported per file below; only the
                // corpus itself failing to open stops the run.
                if out.is_empty() && !corpus.exists() {
                    return Err(IndexError::Corpus {
                        dir: corpus.to_path_buf(),
                        reason: e.to_string(),
                    });
                }
                continue;
            }
        };
        let Some(ft) = entry.file_type() else {
            continue;
        };
        if ft.is_dir() {
            continue;
        }
        let abs = entry.path().to_path_buf();
        // The path inside the corpus as a key: `/` between components, nothing lost from a
        // name that is not UTF-8 (two such files must not share a key).
        let rel = super::keys::encode(abs.strip_prefix(corpus).unwrap_or(&abs));
        // Symlinks are followed to files; one that leads nowhere is read (and fails) below.
        // Files are measured on the pool, in parallel, rather than here.
        if ft.is_symlink() && fs::metadata(&abs).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        let ext = abs
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let archive = ingest::is_archive(&rel);
        out.push(Found {
            is_page: archive || PAGE_EXTENSIONS.contains(&ext.as_str()),
            rel,
            abs,
            archive,
        });
    }
    Ok(out)
}

fn mtime_ns(m: &fs::Metadata) -> i128 {
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128)
}

/// What the survey of one file found.
enum Survey {
    /// Nothing to extract: unchanged, skipped or failed.
    Done(Outcome),
    /// Its bytes changed (or the extractor did): its record so far, to extract, and its bytes
    /// when they were read whole and kept.
    Changed(Entry, Option<Vec<u8>>),
}

/// Measures one file: unchanged by size and time, else read and hashed; a changed page's own
/// host is read from its first bytes, which makes its site before anything is extracted.
fn survey(f: &Found, old: Option<&Entry>, run: &Run<'_>) -> Survey {
    let Run {
        reextract,
        config,
        fields,
        writer,
        ..
    } = *run;
    let meta = fs::metadata(&f.abs).ok();
    let (size, mtime_ns) = meta.as_ref().map_or((0, 0), |m| (m.len(), mtime_ns(m)));
    let entry = |hash: String, status: Status, host: Option<String>| Entry {
        size,
        mtime_ns,
        hash,
        status,
        comments: 0,
        site: None,
        host,
        records: Vec::new(),
    };
    let skip = |why: &str| {
        if let Some(o) = old.filter(|o| o.status == Status::Indexed) {
            delete_pages(writer, fields, &f.rel, o);
        }
        Survey::Done(Outcome::Skipped(
            entry(String::new(), Status::Skipped, None),
            why.into(),
        ))
    };
    // A FIFO, socket or device is never opened: reading it would block or never end.
    if meta.as_ref().is_some_and(|m| !m.is_file()) {
        return skip(super::NOT_REGULAR);
    }
    if !f.is_page {
        return skip("not a page");
    }
    if let Some(o) = old
        && !reextract
        && !config.verify
        && o.size == size
        && o.mtime_ns == mtime_ns
    {
        return Survey::Done(unchanged_or_skipped(o.clone()));
    }
    // A file the index may hold unchanged is hashed whole; a new one (or any, when everything
    // is extracted again) only has its head read for its address, and is hashed when it is
    // extracted.
    let compare = old.filter(|_| !reextract);
    let failed = |e: std::io::Error| Survey::Done(Outcome::Failed(super::io_reason(&e)));
    if f.archive {
        // An archive is hashed as it is read, however long; its pages name their own sites.
        if let Some(o) = compare {
            match archive_hash(&f.abs) {
                Ok(hash) if hash == o.hash => {
                    return Survey::Done(unchanged_or_skipped(Entry {
                        size,
                        mtime_ns,
                        ..o.clone()
                    }));
                }
                Ok(_) => {}
                Err(e) => return failed(e),
            }
        }
        return Survey::Changed(entry(String::new(), Status::Indexed, None), None);
    }
    let cap = config.ingest.max_file_bytes;
    let Some(o) = compare else {
        return match read_head(&f.abs, cap) {
            Ok((head, host, whole)) => Survey::Changed(
                entry(String::new(), Status::Indexed, host),
                whole.then(|| run.keep(head)).flatten(),
            ),
            Err(e) => failed(e),
        };
    };
    let bytes = match super::read_capped(&f.abs, cap, meta.as_ref().map(|m| m.len())) {
        Ok(b) => b,
        Err(e) => return failed(e),
    };
    let hash = content_hash(&bytes);
    if o.hash == hash {
        return Survey::Done(unchanged_or_skipped(Entry {
            size,
            mtime_ns,
            ..o.clone()
        }));
    }
    let host = template::own_host(&bytes);
    Survey::Changed(entry(hash, Status::Indexed, host), run.keep(bytes))
}

/// Reads a new file's head for the page's own address ([`template::scan_own_host`]): its first
/// [`template::ADDRESS_FIRST_BYTES`], and on to [`template::ADDRESS_SCAN_BYTES`] only when the
/// head goes on, from one open. Returns what was read, the host, and whether that is the whole
/// file (up to `cap`).
fn read_head(path: &Path, cap: usize) -> std::io::Result<(Vec<u8>, Option<String>, bool)> {
    use std::io::Read;
    let (mut file, meta) = super::open_regular(path)?;
    let len = meta.len().min(cap as u64);
    let mut head = Vec::with_capacity(len.min(template::ADDRESS_FIRST_BYTES as u64) as usize + 1);
    let first = template::ADDRESS_FIRST_BYTES.min(cap) as u64;
    (&mut file).take(first).read_to_end(&mut head)?;
    let whole = |head: &[u8]| head.len() as u64 >= len;
    let (mut host, settled) = template::scan_own_host(&head);
    if !settled && !whole(&head) {
        let more = (template::ADDRESS_SCAN_BYTES.min(cap) as u64).saturating_sub(first);
        file.take(more).read_to_end(&mut head)?;
        host = template::own_host(&head);
    }
    let whole = whole(&head);
    Ok((head, host, whole))
}

/// [`content_hash`] of a whole archive file, read in pieces.
fn archive_hash(path: &Path) -> std::io::Result<String> {
    let (file, _) = super::open_regular(path)?;
    let mut reader = Hashing::new(file);
    std::io::copy(&mut reader, &mut std::io::sink())?;
    Ok(reader.hash())
}

/// A reader that hashes what passes through it, as [`content_hash`] hashes bytes.
struct Hashing<R> {
    inner: R,
    hasher: xxhash_rust::xxh3::Xxh3,
}

impl<R: std::io::Read> Hashing<R> {
    fn new(inner: R) -> Self {
        Hashing {
            inner,
            hasher: xxhash_rust::xxh3::Xxh3::new(),
        }
    }

    fn hash(&self) -> String {
        format!("{:032x}", self.hasher.digest128())
    }
}

impl<R: std::io::Read> std::io::Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// Extracts and indexes every page of an archive file, each under its record's key; its old
/// pages go first. A damaged record or file is reported (the pages before it stay indexed).
fn index_archive(f: &Found, old: Option<&Entry>, entry: Entry, run: &Run<'_>) -> Outcome {
    let file = match super::open_regular(&f.abs) {
        Ok((file, _)) => file,
        Err(e) => return Outcome::Failed(super::io_reason(&e)),
    };
    if let Some(o) = old.filter(|o| o.status == Status::Indexed) {
        delete_pages(run.writer, run.fields, &f.rel, o);
    }
    let mut reader = Hashing::new(std::io::BufReader::new(file));
    let mut records = Vec::new();
    let mut comments = 0u32;
    let mut failures = Vec::new();
    let mut refused = false;
    let read = ingest::extract_archive(&f.rel, &mut reader, &run.config.ingest, |p| {
        if run.config.stopped() || refused {
            return;
        }
        match p.page {
            Ok(page) => {
                if !add_page(run, &p.key, &page) {
                    refused = true;
                    return;
                }
                comments = comments.saturating_add(page.comments.len() as u32);
                records.push(p.key);
            }
            Err(e) if e.is_skip() => {}
            Err(e) => failures.push(Failure {
                path: p.key,
                error: e.reason(),
            }),
        }
    });
    if refused {
        return Outcome::Failed("the index refused the page".into());
    }
    if let Err(e) = read {
        failures.push(Failure {
            path: f.rel.clone(),
            error: e.reason(),
        });
    }
    // The rest of a file the reading stopped in is hashed too: the hash is the whole file's.
    let _ = std::io::copy(&mut reader, &mut std::io::sink());
    run.record_failures
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .extend(failures);
    let e = Entry {
        hash: reader.hash(),
        status: Status::Indexed,
        comments,
        site: None,
        host: None,
        records,
        ..entry
    };
    if e.records.is_empty() {
        return Outcome::Skipped(
            Entry {
                status: Status::Skipped,
                ..e
            },
            "no HTML pages in the archive".into(),
        );
    }
    if old.is_some() {
        Outcome::Updated(e)
    } else {
        Outcome::Added(e)
    }
}

/// The hash that tells an edited file from an untouched one (see [`Entry::hash`]).
fn content_hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// A file read and extracted.
enum Extracted {
    Page(Box<Page>),
    /// Not a page, and why.
    Skip(String),
    /// Could not be read or extracted, and why.
    Fail(String),
}

/// Reads and extracts one file, hashing it when its record has no hash yet.
fn extract_file(f: &Found, entry: &mut Entry, kept: Option<Vec<u8>>, run: &Run<'_>) -> Extracted {
    let size = entry.size;
    // Pages of several megabytes (source listings, single-page books) cost a hundred megabytes
    // or more while they are parsed: their bytes in flight are bounded. Room is taken before
    // the read, so a worker waiting for it holds none of the page.
    let cap = run.config.ingest.max_file_bytes;
    let room = run
        .big_pages
        .enter(usize::try_from(size).unwrap_or(usize::MAX).min(cap));
    let bytes = match kept.map_or_else(|| super::read_capped(&f.abs, cap, Some(size)), Ok) {
        Ok(b) => b,
        Err(e) => return Extracted::Fail(super::io_reason(&e)),
    };
    if entry.hash.is_empty() {
        entry.hash = content_hash(&bytes);
    }
    let extracted = ingest::extract(&f.rel, &bytes, &run.config.ingest);
    drop((room, bytes));
    match extracted {
        Ok(page) => Extracted::Page(Box::new(page)),
        Err(err) if err.is_skip() => Extracted::Skip(err.reason()),
        Err(err) => Extracted::Fail(err.reason()),
    }
}

/// Adds a page's documents under `key`; `false` when the writer refused one (its error is kept
/// for the run, which then commits nothing).
fn add_page(run: &Run<'_>, key: &str, page: &Page) -> bool {
    for doc in schema::documents(run.fields, key, page) {
        if let Err(e) = run.writer.add_document(doc) {
            let mut slot = run.add_error.lock().unwrap_or_else(|p| p.into_inner());
            slot.get_or_insert(e);
            return false;
        }
    }
    true
}

/// Indexes one extracted page with its site's template cut: its documents replace its old
/// ones. `entry` is its record so far; `retemplated` says its bytes did not change.
fn index_page(
    f: &Found,
    old: Option<&Entry>,
    entry: Entry,
    extracted: Extracted,
    template: &Template,
    retemplated: bool,
    run: &Run<'_>,
) -> Outcome {
    let delete_old = || {
        if let Some(o) = old.filter(|o| o.status == Status::Indexed) {
            delete_pages(run.writer, run.fields, &f.rel, o);
        }
    };
    match extracted {
        Extracted::Page(mut page) => {
            template::apply(template, &mut page);
            delete_old();
            if !add_page(run, &f.rel, &page) {
                return Outcome::Failed("the index refused the page".into());
            }
            let e = Entry {
                status: Status::Indexed,
                comments: page.comments.len() as u32,
                site: page.site.clone(),
                records: Vec::new(),
                ..entry
            };
            if retemplated {
                Outcome::Retemplated(e)
            } else if old.is_some() {
                Outcome::Updated(e)
            } else {
                Outcome::Added(e)
            }
        }
        Extracted::Skip(why) => {
            delete_old();
            let e = Entry {
                status: Status::Skipped,
                comments: 0,
                site: None,
                host: None,
                records: Vec::new(),
                ..entry
            };
            Outcome::Skipped(e, why)
        }
        // A page that fails keeps what it had in the index (nothing is lost).
        Extracted::Fail(why) => Outcome::Failed(why),
    }
}

/// How far a re-learned template may drift from the one a site's pages were extracted with
/// (the share of their lines not shared, [`Template::distance`]) and still be kept: a sample
/// that shifts by a page or two moves a borderline line, which is not worth extracting a whole
/// site again.
const TEMPLATE_DRIFT: f64 = 0.2;

/// One site of a run: its pages (indexes into the walk) and the template they are cut with.
struct Site {
    key: String,
    /// The pages the template is learned from: the members with the smallest path hashes.
    sample: Vec<usize>,
    template: Template,
    /// The template differs from the one the site's unchanged pages were extracted with.
    stale: bool,
    learn: bool,
}

/// A site whose template is learned in this run, while pages stream through the pool.
#[derive(Default)]
struct Learning {
    state: Mutex<Held>,
    /// The template learned, and whether it differs from the one the site had.
    learned: std::sync::OnceLock<(Template, bool)>,
}

/// What a learning site holds until its sample is extracted.
#[derive(Default)]
struct Held {
    /// Sampled pages not yet extracted.
    remaining: usize,
    /// The line keys of the sampled pages extracted so far.
    keys: Vec<Vec<u64>>,
    /// Extracted pages waiting for the template.
    jobs: Vec<Job>,
}

impl Learning {
    fn lock(&self) -> MutexGuard<'_, Held> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// One page to index: its place in the walk, its record so far, whether only its site's
/// template changed, and its extraction when learning already made it.
struct Job {
    i: usize,
    entry: Entry,
    retemplated: bool,
    /// Its bytes, when the survey kept them.
    kept: Option<Vec<u8>>,
    extracted: Option<Extracted>,
}

/// Extracts (unless done) and indexes one page with `template`.
fn run_job(
    job: Job,
    found: &[Found],
    template: &Template,
    old_files: &BTreeMap<String, Entry>,
    run: &Run<'_>,
    progress: &dyn Progress,
) -> (usize, Outcome) {
    let Job {
        i,
        entry,
        retemplated,
        kept,
        extracted,
    } = job;
    if run.config.stopped() {
        return (i, Outcome::Failed("interrupted".into()));
    }
    let f = &found[i];
    let o = crate::panics::catch(|| {
        if f.archive {
            return index_archive(f, old_files.get(&f.rel), entry, run);
        }
        let mut entry = entry;
        let x = extracted.unwrap_or_else(|| extract_file(f, &mut entry, kept, run));
        index_page(
            f,
            old_files.get(&f.rel),
            entry,
            x,
            template,
            retemplated,
            run,
        )
    })
    .unwrap_or_else(|m| Outcome::Failed(format!("internal error while indexing: {m}")));
    if !retemplated {
        progress.advance();
    }
    (i, o)
}

/// A site's sample (its members with the smallest path hashes, at most
/// [`template::SAMPLE_PAGES`]) and a hash of the sample's paths and contents.
fn sample_of<'a>(
    members: &[usize],
    found: &[Found],
    hash: impl Fn(usize) -> &'a str,
) -> (Vec<usize>, String) {
    let mut order: Vec<(u64, usize)> = members
        .iter()
        .map(|&i| (xxhash_rust::xxh3::xxh3_64(found[i].rel.as_bytes()), i))
        .collect();
    order.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| found[a.1].rel.cmp(&found[b.1].rel))
    });
    let sample: Vec<usize> = order
        .iter()
        .take(template::SAMPLE_PAGES)
        .map(|&(_, i)| i)
        .collect();
    let mut print = Vec::new();
    for &i in &sample {
        print.extend_from_slice(found[i].rel.as_bytes());
        print.push(0);
        print.extend_from_slice(hash(i).as_bytes());
        print.push(0);
    }
    (
        sample,
        format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&print)),
    )
}

/// What extraction made of every file, the sites' templates, and how many unchanged pages
/// were extracted again for a changed template.
type Extraction = (Vec<(String, Outcome)>, BTreeMap<String, SiteTemplate>, u64);

/// Extracts the changed pages site by site: the templates of sites whose sample changed are
/// learned first (from their sampled pages, extracted in batches), then every other changed
/// page, and every unchanged page of a site whose template changed, is extracted with its
/// site's template cut.
fn extract_by_site(
    found: &[Found],
    surveyed: Vec<Survey>,
    old_templates: &BTreeMap<String, SiteTemplate>,
    old_files: &BTreeMap<String, Entry>,
    run: &Run<'_>,
    progress: &dyn Progress,
) -> Extraction {
    let n = found.len();
    let mut outcomes: Vec<Option<Outcome>> = Vec::with_capacity(n);
    let mut changed: Vec<Option<Entry>> = Vec::with_capacity(n);
    let mut kept: Vec<Option<Vec<u8>>> = Vec::with_capacity(n);
    for s in surveyed {
        match s {
            Survey::Done(o) => {
                outcomes.push(Some(o));
                changed.push(None);
                kept.push(None);
            }
            Survey::Changed(e, bytes) => {
                outcomes.push(None);
                changed.push(Some(e));
                kept.push(bytes);
            }
        }
    }
    let mut by_key: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    // An archive's pages come from many sites: it belongs to none.
    for (i, f) in found.iter().enumerate().filter(|(_, f)| !f.archive) {
        if let Some(e) = member_entry(&outcomes[i], &changed[i]) {
            by_key.entry(e.site_key(&f.rel)).or_default().push(i);
        }
    }
    let mut sites: Vec<Site> = Vec::with_capacity(by_key.len());
    let mut site_of = vec![usize::MAX; n];
    for (key, members) in by_key {
        let (sample, fingerprint) = sample_of(&members, found, |i| {
            member_entry(&outcomes[i], &changed[i]).map_or("", |e| e.hash.as_str())
        });
        let old = old_templates.get(&key);
        let (template, stale, learn) = if members.len() < template::MIN_PAGES {
            (
                Template::default(),
                old.is_some_and(|o| !o.template.is_empty()),
                false,
            )
        } else if let Some(o) = old.filter(|o| o.sample == fingerprint) {
            (o.template.clone(), false, false)
        } else {
            (Template::default(), false, true)
        };
        for &i in &members {
            site_of[i] = sites.len();
        }
        sites.push(Site {
            key,
            sample,
            template,
            stale,
            learn,
        });
    }

    // One stream of pages through the pool, taken in order: first the samples of the sites
    // whose templates are learned (site by site), then every other changed page. A sampled
    // page is held until its site's sample is all extracted, and so is a page of that site met
    // before; the last sampled page to finish learns the template and indexes what the site
    // holds. Taken in order, a site's sample is all in flight before any other page of it, so
    // few pages wait, and no core waits for a batch.
    let learning: Vec<Learning> = sites.iter().map(|_| Learning::default()).collect();
    let mut is_sample = vec![false; n];
    let mut jobs: Vec<Job> = Vec::new();
    for (s, site) in sites.iter().enumerate().filter(|(_, site)| site.learn) {
        for &i in &site.sample {
            if let Some(e) = member_entry(&outcomes[i], &changed[i]) {
                jobs.push(Job {
                    i,
                    entry: e.clone(),
                    retemplated: changed[i].is_none(),
                    kept: kept[i].take(),
                    extracted: None,
                });
                is_sample[i] = true;
                learning[s].lock().remaining += 1;
            }
        }
    }
    for i in 0..n {
        if is_sample[i] {
            continue;
        }
        let site = sites.get(site_of[i]);
        let (entry, retemplated) = match &outcomes[i] {
            None => match changed[i].take() {
                Some(e) => (e, false),
                None => continue,
            },
            // A site too small for a template that had one: its pages lose its cut.
            Some(Outcome::Unchanged(e)) if site.is_some_and(|s| s.stale && !s.learn) => {
                (e.clone(), true)
            }
            _ => continue,
        };
        jobs.push(Job {
            i,
            entry,
            retemplated,
            kept: kept[i].take(),
            extracted: None,
        });
    }
    let none = Template::default();
    let streamed: Vec<(usize, Outcome)> = jobs
        .into_iter()
        .par_bridge()
        .flat_map_iter(|job| {
            let s = site_of[job.i];
            let Some(site) = sites.get(s).filter(|site| site.learn) else {
                let template = sites.get(s).map_or(&none, |site| &site.template);
                return vec![run_job(job, found, template, old_files, run, progress)];
            };
            if run.config.stopped() {
                return vec![(job.i, Outcome::Failed("interrupted".into()))];
            }
            let Job {
                i,
                mut entry,
                retemplated,
                kept,
                ..
            } = job;
            let x = crate::panics::catch(|| extract_file(&found[i], &mut entry, kept, run))
                .unwrap_or_else(|m| Extracted::Fail(format!("internal error: {m}")));
            let keys = match &x {
                Extracted::Page(p) if is_sample[i] => Some(template::page_keys(p)),
                _ => None,
            };
            let job = Job {
                i,
                entry,
                retemplated,
                kept: None,
                extracted: Some(x),
            };
            let l = &learning[s];
            let mut held = l.lock();
            if let Some((template, _)) = l.learned.get() {
                drop(held);
                return vec![run_job(job, found, template, old_files, run, progress)];
            }
            held.jobs.push(job);
            if is_sample[i] {
                held.keys.extend(keys);
                held.remaining -= 1;
            }
            if !is_sample[i] || held.remaining > 0 {
                return Vec::new();
            }
            let keys = std::mem::take(&mut held.keys);
            let learned = crate::panics::catch(|| template::learn(&keys)).unwrap_or_default();
            let before = old_templates
                .get(&site.key)
                .map(|o| o.template.clone())
                .unwrap_or_default();
            let template = if before.distance(&learned) <= TEMPLATE_DRIFT {
                before.clone()
            } else {
                learned
            };
            let stale = template != before;
            let (template, _) = l.learned.get_or_init(|| (template, stale));
            let waiting = std::mem::take(&mut held.jobs);
            drop(held);
            // A sampled page is indexed when it changed, or when its site's template did.
            waiting
                .into_iter()
                .filter(|job| !job.retemplated || stale)
                .map(|job| run_job(job, found, template, old_files, run, progress))
                .collect()
        })
        .collect();
    for (i, o) in streamed {
        outcomes[i] = Some(o);
    }
    for (site, l) in sites.iter_mut().zip(learning) {
        if let Some((template, stale)) = l.learned.into_inner() {
            site.template = template;
            site.stale = stale;
        }
    }

    // The unchanged pages of a site whose learned template changed, extracted again.
    let again: Vec<Job> = (0..n)
        .filter(|&i| !is_sample[i])
        .filter_map(|i| match &outcomes[i] {
            Some(Outcome::Unchanged(e))
                if sites.get(site_of[i]).is_some_and(|s| s.learn && s.stale) =>
            {
                Some(Job {
                    i,
                    entry: e.clone(),
                    retemplated: true,
                    kept: None,
                    extracted: None,
                })
            }
            _ => None,
        })
        .collect();
    let again: Vec<(usize, Outcome)> = again
        .into_par_iter()
        .map(|job| {
            let template = &sites[site_of[job.i]].template;
            run_job(job, found, template, old_files, run, progress)
        })
        .collect();
    for (i, o) in again {
        outcomes[i] = Some(o);
    }

    let retemplated = outcomes
        .iter()
        .filter(|o| matches!(o, Some(Outcome::Retemplated(_))))
        .count() as u64;
    // What the table records is the sample the next run will draw, from the pages indexed now
    // (a sampled file that proved not to be a page is no longer one of the site's pages).
    let mut indexed: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, f) in found.iter().enumerate().filter(|(_, f)| !f.archive) {
        if let Some(e) = outcomes[i].as_ref().and_then(Outcome::indexed) {
            indexed.entry(e.site_key(&f.rel)).or_default().push(i);
        }
    }
    let mut learned: BTreeMap<String, Template> =
        sites.into_iter().map(|s| (s.key, s.template)).collect();
    let templates = indexed
        .into_iter()
        .filter(|(_, members)| members.len() >= template::MIN_PAGES)
        .map(|(key, members)| {
            let (_, fingerprint) = sample_of(&members, found, |i| {
                outcomes[i]
                    .as_ref()
                    .and_then(Outcome::indexed)
                    .map_or("", |e| e.hash.as_str())
            });
            let template = learned.remove(&key).unwrap_or_default();
            (
                key,
                SiteTemplate {
                    sample: fingerprint,
                    template,
                },
            )
        })
        .collect();
    let outcomes = found
        .iter()
        .zip(outcomes)
        .map(|(f, o)| {
            (
                f.rel.clone(),
                o.unwrap_or_else(|| Outcome::Failed("interrupted".into())),
            )
        })
        .collect();
    (outcomes, templates, retemplated)
}

fn unchanged_or_skipped(e: Entry) -> Outcome {
    match e.status {
        Status::Indexed => Outcome::Unchanged(e),
        Status::Skipped => Outcome::Skipped(e, "not a page (unchanged)".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    const MB: usize = 1024 * 1024;

    #[test]
    fn big_pages_share_the_budget_and_small_ones_take_none() {
        let pages = BigPages::default();
        let small = pages.enter(BIG_PAGE_BYTES);
        assert_eq!(*pages.lock(), 0);
        let a = pages.enter(3 * MB);
        let b = pages.enter(4 * MB);
        assert_eq!(*pages.lock(), 7 * MB);
        drop((a, b, small));
        assert_eq!(*pages.lock(), 0);
        // A page over the whole budget still runs, alone.
        let huge = pages.enter(3 * BIG_PAGES_IN_FLIGHT_BYTES);
        assert_eq!(*pages.lock(), 3 * BIG_PAGES_IN_FLIGHT_BYTES);
        drop(huge);
        assert_eq!(*pages.lock(), 0);
    }

    #[test]
    fn a_big_page_waits_until_the_budget_has_room() {
        let pages = BigPages::default();
        let released = AtomicBool::new(false);
        std::thread::scope(|s| {
            let held = pages.enter(6 * MB);
            s.spawn(|| {
                // Outside a pool there is nothing else to run: this blocks until room is freed.
                let _room = pages.enter(4 * MB);
                assert!(released.load(Ordering::SeqCst));
            });
            std::thread::sleep(std::time::Duration::from_millis(50));
            released.store(true, Ordering::SeqCst);
            drop(held);
        });
        assert_eq!(*pages.lock(), 0);
    }
}
