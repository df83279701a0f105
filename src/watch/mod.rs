//! Keeping an index current while its corpus changes: file-system events, debounced, start the
//! same incremental run `thresh index` makes; a burst of changes (a folder of pages copied in)
//! becomes one run. The run lock is held from start to stop, so no other process updates the
//! index meanwhile, and each run's commit is all or nothing, so a search always sees the last
//! one.
//!
//! The events only say *that* something changed: what changed is found by the run itself
//! (sizes, times and hashes against the manifest), so a missed or merged event costs nothing.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::index::{IndexConfig, IndexError, RunLock, Summary, build_locked};

/// How long the file system must be quiet before a run starts: editors and copies write a file
/// in several steps.
pub const QUIET: Duration = Duration::from_millis(250);

/// A burst that goes on longer than this still gets a run: pages copied in over a minute become
/// searchable as they come, a few runs rather than one at the end.
pub const MAX_WAIT: Duration = Duration::from_secs(3);

/// How often the stop flag is looked at while nothing happens.
const POLL: Duration = Duration::from_millis(100);

/// What a watcher tells its caller.
#[derive(Debug)]
pub enum Event<'a> {
    /// A run committed (or found nothing to commit).
    Ran(&'a Summary),
    /// A run failed; the watcher goes on, the index as it was.
    Failed(&'a IndexError),
    /// Watching has begun, after the first run brought the index up to date.
    Watching,
}

/// Watches `config.corpus` and updates the index in `config.index_dir` until `config.stop` is
/// set. A first run brings the index up to date with what changed while nobody watched.
///
/// # Errors
/// [`IndexError::Locked`] when another process updates the index, [`IndexError::Corpus`] when
/// the corpus cannot be watched, and the errors of the first run; later runs' errors go to
/// `report` and watching goes on. Returns `Ok` when stopped, the last commit intact.
pub fn watch(config: &IndexConfig, report: &mut dyn FnMut(Event<'_>)) -> Result<(), IndexError> {
    let lock = RunLock::acquire(&config.index_dir)?;
    let stop = config
        .stop
        .clone()
        .unwrap_or_else(|| Arc::new(AtomicBool::new(false)));
    let stopped = || stop.load(Ordering::Relaxed);
    let corpus_error = |reason: String| IndexError::Corpus {
        dir: config.corpus.clone(),
        reason,
    };

    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(QUIET, None, tx).map_err(|e| corpus_error(e.to_string()))?;
    // Watching starts before the first run, so that nothing changed during it is missed.
    debouncer
        .watch(&config.corpus, RecursiveMode::Recursive)
        .map_err(|e| corpus_error(e.to_string()))?;
    let index_abs = std::fs::canonicalize(&config.index_dir).unwrap_or_default();

    match build_locked(config, &lock, &()) {
        Ok(summary) => report(Event::Ran(&summary)),
        Err(IndexError::Interrupted) => return Ok(()),
        Err(e) => return Err(e),
    }
    report(Event::Watching);
    loop {
        // Wait for a change that matters, then for the burst it begins to end.
        let mut first: Option<Instant> = None;
        loop {
            if stopped() {
                return Ok(());
            }
            let timeout = match first {
                None => POLL,
                Some(t) => {
                    let left = MAX_WAIT.saturating_sub(t.elapsed());
                    if left.is_zero() {
                        break;
                    }
                    // After a change, the next quiet spell ends the burst.
                    left.min(QUIET + POLL)
                }
            };
            match rx.recv_timeout(timeout) {
                Ok(Ok(events)) => {
                    let relevant = events.iter().any(|e| {
                        !matches!(e.kind, EventKind::Access(_))
                            && e.paths.iter().any(|p| !is_inside(p, &index_abs))
                    });
                    if relevant && first.is_none() {
                        first = Some(Instant::now());
                    }
                }
                // A watcher error (events lost, a folder gone): a run finds what changed.
                Ok(Err(_)) => {
                    first.get_or_insert_with(Instant::now);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if first.is_some() {
                        break;
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(corpus_error("the file-system watcher stopped".into()));
                }
            }
        }
        if !config.corpus.is_dir() {
            let e = corpus_error("no such folder".into());
            report(Event::Failed(&e));
            continue;
        }
        match build_locked(config, &lock, &()) {
            Ok(summary) => report(Event::Ran(&summary)),
            Err(IndexError::Interrupted) => return Ok(()),
            Err(e) => report(Event::Failed(&e)),
        }
    }
}

/// Whether `path` lies in the folder `dir` (an index kept inside its own corpus writes files
/// there on every commit; those are no change to the corpus).
fn is_inside(path: &Path, dir: &Path) -> bool {
    !dir.as_os_str().is_empty() && path.starts_with(dir)
}
