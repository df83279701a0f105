//! Why indexing could not be done. Owns the index stage's error type.

use std::path::PathBuf;

use thiserror::Error;

/// Why an index could not be opened, built or committed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum IndexError {
    /// There is no index at the path.
    #[error("no index at {dir}; build one with `thresh index CORPUS --index {dir}`")]
    Missing {
        /// The index directory.
        dir: PathBuf,
    },
    /// The directory holds something that is not a thresh index.
    #[error("{dir} is not a thresh index; remove it or choose another --index")]
    Foreign {
        /// The index directory.
        dir: PathBuf,
    },
    /// The index's first build was interrupted before it committed anything.
    #[error(
        "index at {dir} has no complete build yet (the first `thresh index` was interrupted); run `thresh index CORPUS --index {dir}` to finish it"
    )]
    Uncommitted {
        /// The index directory.
        dir: PathBuf,
    },
    /// The index was built from another corpus folder.
    #[error(
        "index at {dir} was built from {built_from}, not {corpus}; run `thresh index {corpus} --index {dir} --rebuild` to replace it, or choose another --index"
    )]
    OtherCorpus {
        /// The index directory.
        dir: PathBuf,
        /// The corpus it holds.
        built_from: PathBuf,
        /// The corpus asked for.
        corpus: PathBuf,
    },
    /// A file of the index may not be read by this user.
    #[error("index at {dir} cannot be read: permission denied for {file}")]
    Unreadable {
        /// The index directory.
        dir: PathBuf,
        /// The file inside it.
        file: PathBuf,
    },
    /// The disk that holds the index is full; the last commit is intact.
    #[error(
        "no space left on the disk of the index at {dir}; nothing was committed and the last complete run is intact: free some space and run `thresh index` again"
    )]
    DiskFull {
        /// The index directory.
        dir: PathBuf,
    },
    /// The index folder cannot be written.
    #[error("index at {dir} is read-only ({reason}); `thresh index` needs to write there")]
    ReadOnly {
        /// The index directory.
        dir: PathBuf,
        /// What the system said.
        reason: String,
    },
    /// The index was written by another version of thresh's index format.
    #[error(
        "index at {dir} has format {found}, this thresh reads {expected}; run `thresh index {} --index {dir}` to rebuild it",
        super::corpus_hint(dir)
    )]
    Format {
        /// The index directory.
        dir: PathBuf,
        /// Format found.
        found: u32,
        /// Format expected.
        expected: u32,
    },
    /// The index's files are damaged.
    #[error(
        "index at {dir} is damaged ({reason}); rebuild it with `thresh index {} --index {dir} --rebuild`",
        super::corpus_hint(dir)
    )]
    Damaged {
        /// The index directory.
        dir: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// Another `thresh index`, `watch` or `serve --watch` is writing this index.
    #[error(
        "index at {dir} is locked: another thresh process is updating it (`thresh index`, `watch` or `serve --watch`)"
    )]
    Locked {
        /// The index directory.
        dir: PathBuf,
    },
    /// The corpus directory cannot be read.
    #[error("corpus {dir}: {reason}")]
    Corpus {
        /// The corpus directory.
        dir: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// An I/O error on a file of the index.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// An error from the index library.
    #[error("index at {dir}: {source}")]
    Tantivy {
        /// The index directory.
        dir: PathBuf,
        /// The error.
        source: tantivy::TantivyError,
    },
    /// The run was interrupted before its commit; the last committed index is unchanged.
    #[error("interrupted; the index is as it was after the last complete run")]
    Interrupted,
}
