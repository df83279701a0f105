//! Index: the corpus walked, its pages extracted in parallel and written into a tantivy index,
//! kept current incrementally.
//!
//! Owns the on-disk index (schema, manifest, commits) and all of thresh's threads. It never
//! parses queries or prints: `search` reads what it writes, the CLI reports what it returns.

pub mod analysis;
pub mod build;
pub mod error;
pub mod keys;
pub mod manifest;
mod readonly;
pub mod schema;
pub mod story;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::Index;

pub use build::{Failure, IndexConfig, Phase, Progress, RunLock, Summary, build, build_locked};
pub use error::IndexError;
pub use manifest::Manifest;
pub use schema::Fields;

/// What a commit's payload records: the layout version and the manifest that goes with it.
#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    format: u32,
    manifest: String,
    /// The corpus folder the index was built from (absolute, encoded as [`keys::encode_any`]),
    /// so hits can show openable paths and another folder is refused.
    corpus: String,
}

/// The file thresh writes into a new index folder before tantivy writes anything: it says the
/// folder is thresh's, so a first build that was killed before its commit is taken up again
/// by the next run instead of refused as a stranger's index. Tantivy's own files and this one
/// are the only files thresh ever deletes.
pub(crate) const MARKER: &str = "thresh-index.json";

/// What the marker holds.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Marker {
    /// The corpus the index was first built from (encoded as [`keys::encode_any`]).
    pub corpus: String,
}

/// The corpus an index folder says it was built from (its marker), as a command line would
/// name it: relative to the working directory when below it. `CORPUS` when the marker is gone.
pub(crate) fn corpus_hint(dir: &Path) -> String {
    let recorded = std::fs::read(dir.join(MARKER))
        .ok()
        .and_then(|b| serde_json::from_slice::<Marker>(&b).ok())
        .map(|m| recorded_path(&m.corpus));
    let Some(path) = recorded else {
        return "CORPUS".into();
    };
    let cwd = std::env::current_dir().unwrap_or_default();
    let shown = path
        .strip_prefix(&cwd)
        .unwrap_or(&path)
        .display()
        .to_string();
    if shown.is_empty() {
        ".".into()
    } else if shown.contains(|c: char| c.is_whitespace() || "'\"$`\\".contains(c)) {
        format!("'{}'", shown.replace('\'', "'\\''"))
    } else {
        shown
    }
}

/// A corpus path recorded by [`keys::encode_any`] (older indexes wrote it plainly).
fn recorded_path(s: &str) -> PathBuf {
    keys::decode(s).unwrap_or_else(|| PathBuf::from(s))
}

/// The site templates of an index, by site key.
pub struct SiteTemplates {
    corpus: PathBuf,
    table: std::collections::BTreeMap<String, manifest::SiteTemplate>,
}

impl SiteTemplates {
    /// The template of the site a file belongs to: the host its bytes name, else its folder
    /// when the file lies inside the indexed corpus. `None` when the site has none.
    pub fn for_file(
        &self,
        path: &Path,
        bytes: &[u8],
    ) -> Option<&crate::ingest::template::Template> {
        use crate::ingest::template;
        let host = template::own_host(bytes);
        let rel = match host {
            Some(_) => String::new(),
            None => {
                // The path as named first (a corpus of links to pages kept elsewhere), then
                // with links resolved (a corpus reached through a link).
                let named = std::path::absolute(path).ok();
                let resolved = std::fs::canonicalize(path).ok();
                [named, resolved]
                    .into_iter()
                    .flatten()
                    .find_map(|abs| abs.strip_prefix(&self.corpus).ok().map(keys::encode))?
            }
        };
        let key = template::site_key(host.as_deref(), &rel);
        Some(&self.table.get(&key)?.template).filter(|t| !t.is_empty())
    }
}

/// An opened index.
pub struct Opened {
    /// The tantivy index, analyzers registered.
    pub index: Index,
    /// Its fields.
    pub fields: Fields,
    /// The manifest file its last commit names.
    manifest_name: String,
    /// The index directory.
    pub dir: PathBuf,
    /// The corpus folder the index was built from.
    pub corpus: PathBuf,
}

impl Opened {
    /// A reader of the last commit. It does not watch for later commits (a search is one
    /// process, one query): no watcher thread is started.
    ///
    /// # Errors
    /// [`IndexError::Damaged`] when the segments cannot be opened (a truncated or corrupt
    /// file; the index library's panics on those are caught here).
    pub fn reader(&self) -> Result<tantivy::IndexReader, IndexError> {
        let opened = crate::panics::catch(|| {
            self.index
                .reader_builder()
                .reload_policy(tantivy::ReloadPolicy::Manual)
                .try_into()
        });
        match opened {
            Ok(Ok(reader)) => Ok(reader),
            Ok(Err(e)) => Err(self.damaged(damage_reason(&e))),
            Err(panic) => Err(self.damaged(panic)),
        }
    }

    /// The error for damaged files of this index.
    pub fn damaged(&self, reason: impl Into<String>) -> IndexError {
        IndexError::Damaged {
            dir: self.dir.clone(),
            reason: reason.into(),
        }
    }

    /// The site templates the last run learned, to cut from pages extracted outside a run
    /// (`thresh extract --index`).
    ///
    /// # Errors
    /// [`IndexError::Damaged`] when the manifest cannot be read.
    pub fn site_templates(&self) -> Result<SiteTemplates, IndexError> {
        Ok(SiteTemplates {
            corpus: self.corpus.clone(),
            table: self.manifest()?.templates,
        })
    }

    /// Articles per language code (`und` and the like as stored), most first.
    ///
    /// # Errors
    /// [`IndexError::Damaged`] when the index cannot be read.
    pub fn language_counts(&self) -> Result<Vec<(String, u64)>, IndexError> {
        use tantivy::query::{BooleanQuery, Query, TermQuery};
        use tantivy::schema::{IndexRecordOption, Term};
        let searcher = self.reader()?.searcher();
        let damaged = |e: tantivy::TantivyError| self.damaged(damage_reason(&e));
        let f = self.fields;
        let mut langs = std::collections::BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(f.lang).map_err(damaged)?;
            let mut terms = inverted
                .terms()
                .stream()
                .map_err(|e| self.damaged(e.to_string()))?;
            while terms.advance() {
                langs.insert(String::from_utf8_lossy(terms.key()).into_owned());
            }
        }
        let term = |field, text: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::Basic,
            ))
        };
        let mut counts = Vec::new();
        for lang in langs {
            let q = BooleanQuery::intersection(vec![
                term(f.lang, &lang),
                term(f.kind, schema::Kind::Article.as_str()),
            ]);
            let n = searcher
                .search(&q, &tantivy::collector::Count)
                .map_err(damaged)?;
            if n > 0 {
                counts.push((lang, n as u64));
            }
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(counts)
    }

    /// Loads the manifest of the last commit.
    ///
    /// # Errors
    /// [`IndexError::Damaged`] when it cannot be read.
    pub fn manifest(&self) -> Result<Manifest, IndexError> {
        Manifest::load(&self.dir, &self.manifest_name)
    }

    /// The indexed page with key `key` (its path relative to the corpus root, as search shows
    /// it), rebuilt from its documents: the page model stored with the article, the article's
    /// and each comment's text. `None` when the index has no such page.
    ///
    /// # Errors
    /// [`IndexError::Damaged`] when its documents cannot be read.
    pub fn page(&self, key: &str) -> Result<Option<crate::ingest::Page>, IndexError> {
        self.first_page(&[key])
    }

    /// The first of `keys` that the index holds a page for, as [`Opened::page`] gives it, with
    /// one reader for all of them.
    ///
    /// # Errors
    /// [`IndexError::Damaged`] when the documents cannot be read.
    pub fn first_page(&self, keys: &[&str]) -> Result<Option<crate::ingest::Page>, IndexError> {
        self.first_page_in(&self.reader()?.searcher(), keys)
    }

    /// [`Opened::first_page`] with a searcher the caller keeps.
    ///
    /// # Errors
    /// [`IndexError::Damaged`] when the documents cannot be read.
    pub fn first_page_in(
        &self,
        searcher: &tantivy::Searcher,
        keys: &[&str],
    ) -> Result<Option<crate::ingest::Page>, IndexError> {
        for key in keys {
            let found = crate::panics::catch(|| self.page_from(searcher, key))
                .unwrap_or_else(|panic| Err(self.damaged(panic)))?;
            if found.is_some() {
                return Ok(found);
            }
        }
        Ok(None)
    }

    fn page_from(
        &self,
        searcher: &tantivy::Searcher,
        key: &str,
    ) -> Result<Option<crate::ingest::Page>, IndexError> {
        use tantivy::collector::TopDocs;
        use tantivy::query::TermQuery;
        use tantivy::schema::{IndexRecordOption, Term, Value};
        let f = self.fields;
        let q = TermQuery::new(Term::from_field_text(f.page, key), IndexRecordOption::Basic);
        let damaged = |e: tantivy::TantivyError| self.damaged(damage_reason(&e));
        let mut skeleton: Option<crate::ingest::Page> = None;
        let mut texts: Vec<(u64, String)> = Vec::new();
        for (_, addr) in searcher
            .search(&q, &TopDocs::with_limit(1_000_000))
            .map_err(damaged)?
        {
            let doc: tantivy::TantivyDocument = searcher.doc(addr).map_err(damaged)?;
            let pos = doc.get_first(f.pos).and_then(|v| v.as_u64()).unwrap_or(0);
            let body = doc
                .get_first(f.body)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string();
            if let Some(json) = doc.get_first(f.page_json).and_then(|v| v.as_str()) {
                skeleton = Some(
                    serde_json::from_str(json)
                        .map_err(|e| self.damaged(format!("page {key}: {e}")))?,
                );
            }
            texts.push((pos, body));
        }
        let Some(mut page) = skeleton else {
            return Ok(None);
        };
        for (pos, text) in texts {
            if pos == 0 {
                page.body = text;
            } else if let Some(c) = usize::try_from(pos - 1)
                .ok()
                .and_then(|i| page.comments.get_mut(i))
            {
                c.text = text;
            }
        }
        Ok(Some(page))
    }
}

/// What is wrong with a damaged index, in a few words: the file, and that it is cut short or
/// corrupt, rather than the index library's whole debug text.
fn damage_reason(e: &tantivy::TantivyError) -> String {
    use tantivy::directory::error::OpenReadError;
    match e {
        tantivy::TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath })
            if io_error.kind() == std::io::ErrorKind::InvalidData =>
        {
            format!("{} is truncated or corrupt", filepath.display())
        }
        tantivy::TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(path)) => {
            format!("{} is missing", path.display())
        }
        tantivy::TantivyError::DataCorruption(_) => {
            let text = e.to_string();
            let text = text
                .trim_start_matches("Data corrupted: '")
                .trim_start_matches("Data corruption: ");
            format!("corrupt data: {}", text.split(". ").next().unwrap_or(text))
        }
        other => other.to_string(),
    }
}

/// True when `dir` holds a tantivy index (created, perhaps never committed).
pub fn exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// Opens an existing index for reading (search, show, stats) or as the base of an update. A
/// folder thresh cannot write is read all the same.
///
/// # Errors
/// [`IndexError::Missing`] when there is none, [`IndexError::Uncommitted`] when its first build
/// never committed, [`IndexError::Foreign`] when the directory holds another kind of index,
/// [`IndexError::Format`] for another layout version, [`IndexError::Damaged`] when its files
/// cannot be read.
pub fn open(dir: &Path) -> Result<Opened, IndexError> {
    if !exists(dir) {
        return Err(IndexError::Missing {
            dir: dir.to_path_buf(),
        });
    }
    crate::panics::catch(|| open_unguarded(dir)).unwrap_or_else(|panic| {
        Err(IndexError::Damaged {
            dir: dir.to_path_buf(),
            reason: panic,
        })
    })
}

fn open_unguarded(dir: &Path) -> Result<Opened, IndexError> {
    let damaged = |reason: String| IndexError::Damaged {
        dir: dir.to_path_buf(),
        reason,
    };
    // A file thresh may not read is the user's permissions to fix, not damage.
    let failed = |e: tantivy::TantivyError| match &e {
        tantivy::TantivyError::OpenReadError(
            tantivy::directory::error::OpenReadError::IoError { io_error, filepath },
        ) if io_error.kind() == std::io::ErrorKind::PermissionDenied => IndexError::Unreadable {
            dir: dir.to_path_buf(),
            file: filepath.clone(),
        },
        _ => damaged(damage_reason(&e)),
    };
    let directory = readonly::ReadOnlyTolerant::open(dir).map_err(|e| damaged(e.to_string()))?;
    let index = Index::open(directory).map_err(failed)?;
    let metas = index.load_metas().map_err(failed)?;
    let Some(payload) = metas.payload.as_deref() else {
        return Err(if dir.join(MARKER).is_file() {
            IndexError::Uncommitted {
                dir: dir.to_path_buf(),
            }
        } else {
            IndexError::Foreign {
                dir: dir.to_path_buf(),
            }
        });
    };
    let payload: Payload = serde_json::from_str(payload).map_err(|_| IndexError::Foreign {
        dir: dir.to_path_buf(),
    })?;
    if payload.format != manifest::INDEX_FORMAT {
        return Err(IndexError::Format {
            dir: dir.to_path_buf(),
            found: payload.format,
            expected: manifest::INDEX_FORMAT,
        });
    }
    let fields = schema::fields_of(&index.schema()).ok_or_else(|| IndexError::Foreign {
        dir: dir.to_path_buf(),
    })?;
    schema::register_analyzers(&index);
    Ok(Opened {
        index,
        fields,
        manifest_name: payload.manifest,
        dir: dir.to_path_buf(),
        corpus: recorded_path(&payload.corpus),
    })
}

/// Reads at most `cap` bytes of a file: a huge file costs no more memory than the cap.
///
/// `stat_len` is the file's length when the caller has just looked it up: then no more than
/// that is read, so a read that fills it is the last (no probe for the end of the file). Bytes
/// a writer appends meanwhile wait for the next look, which sees the new length.
///
/// # Errors
/// The I/O error of opening or reading it.
pub fn read_capped(path: &Path, cap: usize, stat_len: Option<u64>) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let (file, meta) = open_regular(path)?;
    let len = stat_len.unwrap_or(meta.len()).min(cap as u64);
    // Sized from the file's length: one allocation, no probing reads.
    let mut bytes = Vec::with_capacity(len as usize + 1);
    let limit = if stat_len.is_some() { len } else { cap as u64 };
    file.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Opens a file for reading only when it is a regular file; returns it with the metadata
/// that was checked. A FIFO, socket or device named like
/// a page would block the read forever or never end: it is refused with
/// [`std::io::ErrorKind::InvalidInput`]. The open itself does not block (`O_NONBLOCK`, which
/// does nothing to a regular file), and the type is checked on the opened file, so a file
/// swapped for a FIFO after a look at its name is refused too.
///
/// # Errors
/// The I/O error of opening it, or `InvalidInput` for a file that is not regular.
pub fn open_regular(path: &Path) -> std::io::Result<(std::fs::File, std::fs::Metadata)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(std::io::Error::from(std::io::ErrorKind::IsADirectory));
    }
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            NOT_REGULAR,
        ));
    }
    Ok((file, meta))
}

/// Why a FIFO, socket or device is not read.
pub const NOT_REGULAR: &str = "not a regular file (a FIFO, socket or device)";

/// A one-line reason for a file that cannot be read, without the OS error number.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "no such file (or a broken symlink)".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        ErrorKind::IsADirectory => "is a directory".into(),
        // ELOOP: a symlink that leads back to itself.
        _ if e.raw_os_error() == Some(40) => "symlink loop".into(),
        _ => e.to_string(),
    }
}

/// Bytes the index's files take on disk.
pub fn size_on_disk(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_capped_and_stop_at_the_length_looked_up() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("page.html");
        std::fs::write(&path, b"0123456789").expect("write");
        assert_eq!(read_capped(&path, 100, None).expect("read"), b"0123456789");
        assert_eq!(read_capped(&path, 4, None).expect("read"), b"0123");
        // Bytes past the length the caller saw wait for its next look.
        assert_eq!(read_capped(&path, 100, Some(6)).expect("read"), b"012345");
        assert_eq!(read_capped(&path, 3, Some(6)).expect("read"), b"012");
        assert!(read_capped(&dir.path().join("missing.html"), 100, None).is_err());
    }
}
