//! Why indexing could not be done. Owns the index stage's error type.

use std::path::PathBuf;

use thiserror::Error;

/// Why an index could not be opened, built or committed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum IndexError {
    /// There is no index at the path.
    #[error("no index at {dir}; build one with `thresh index`")]
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
    /// The index was written by another version of thresh's index format.
    #[error(
        "index at {dir} has format {found}, this thresh reads {expected}; run `thresh index` to rebuild it"
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
    #[error("index at {dir} is damaged ({reason}); run `thresh index --rebuild`")]
    Damaged {
        /// The index directory.
        dir: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// Another `thresh index` is writing this index.
    #[error("index at {dir} is locked: another `thresh index` is running on it")]
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
