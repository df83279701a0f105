//! Index: the corpus walked, its pages extracted in parallel and written into a tantivy index,
//! kept current incrementally.
//!
//! Owns the on-disk index (schema, manifest, commits) and all of thresh's threads. It never
//! parses queries or prints: `search` reads what it writes, the CLI reports what it returns.

pub mod analysis;
pub mod build;
pub mod error;
pub mod manifest;
pub mod schema;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::Index;

pub use build::{Failure, IndexConfig, Progress, Summary, build};
pub use error::IndexError;
pub use manifest::Manifest;
pub use schema::Fields;

/// What a commit's payload records: the layout version and the manifest that goes with it.
#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    format: u32,
    manifest: String,
    /// The corpus folder the index was built from (absolute), so hits can show openable paths.
    corpus: String,
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
    /// Tantivy errors when the segments cannot be opened.
    pub fn reader(&self) -> tantivy::Result<tantivy::IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()
    }

    /// Loads the manifest of the last commit.
    ///
    /// # Errors
    /// [`IndexError::Damaged`] when it cannot be read.
    pub fn manifest(&self) -> Result<Manifest, IndexError> {
        Manifest::load(&self.dir, &self.manifest_name)
    }
}

/// True when `dir` holds a tantivy index (committed at least once).
pub fn exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// Opens an existing index for reading (search, show, stats) or as the base of an update.
///
/// # Errors
/// [`IndexError::Missing`] when there is none, [`IndexError::Foreign`] when the directory holds
/// another kind of index, [`IndexError::Format`] for another layout version,
/// [`IndexError::Damaged`] when its files cannot be read.
pub fn open(dir: &Path) -> Result<Opened, IndexError> {
    if !exists(dir) {
        return Err(IndexError::Missing {
            dir: dir.to_path_buf(),
        });
    }
    let damaged = |reason: String| IndexError::Damaged {
        dir: dir.to_path_buf(),
        reason,
    };
    let index = Index::open_in_dir(dir).map_err(|e| damaged(e.to_string()))?;
    let metas = index.load_metas().map_err(|e| damaged(e.to_string()))?;
    let payload: Payload = metas
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok())
        .ok_or_else(|| IndexError::Foreign {
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
        corpus: PathBuf::from(payload.corpus),
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
    let file = open_regular(path)?;
    let len = stat_len
        .or_else(|| file.metadata().ok().map(|m| m.len()))
        .unwrap_or(0)
        .min(cap as u64);
    // Sized from the file's length: one allocation, no probing reads.
    let mut bytes = Vec::with_capacity(len as usize + 1);
    let limit = if stat_len.is_some() { len } else { cap as u64 };
    file.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Opens a file for reading only when it is a regular file. A FIFO, socket or device named like
/// a page would block the read forever or never end: it is refused with
/// [`std::io::ErrorKind::InvalidInput`]. The open itself does not block (`O_NONBLOCK`, which
/// does nothing to a regular file), and the type is checked on the opened file, so a file
/// swapped for a FIFO after a look at its name is refused too.
///
/// # Errors
/// The I/O error of opening it, or `InvalidInput` for a file that is not regular.
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
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
    Ok(file)
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
