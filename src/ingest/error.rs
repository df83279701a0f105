//! Why a file yields no page. Owns the error type of the ingest stage and nothing else.

use thiserror::Error;

/// Why `extract` produced no page for a file.
///
/// Some variants mean "not a page" (the indexer counts those as skipped, see
/// [`IngestError::is_skip`]); the others are failures that are reported.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum IngestError {
    /// The file has no bytes, or only whitespace.
    #[error("{path}: empty file")]
    Empty {
        /// The file as given.
        path: String,
    },
    /// The file holds binary data (NUL bytes or mostly control bytes), not text or markup.
    #[error("{path}: binary file, not a page")]
    Binary {
        /// The file as given.
        path: String,
    },
    /// The page only sends the reader elsewhere (a meta refresh or a "Redirecting…" stub).
    #[error("{path}: redirect stub to {target}")]
    Redirect {
        /// The file as given.
        path: String,
        /// Where it points, or `unknown`.
        target: String,
    },
    /// A container (an MHTML archive, a SingleFile ZIP) that holds no readable page.
    #[error("{path}: {reason}")]
    Container {
        /// The file as given.
        path: String,
        /// What is wrong with it, naming the container.
        reason: String,
    },
    /// Extraction hit a bug in thresh (a panic, caught at the ingest boundary).
    #[error("{path}: internal error while extracting: {message}")]
    Internal {
        /// The file as given.
        path: String,
        /// What the panic said, and where.
        message: String,
    },
}

impl IngestError {
    /// The reason without the path (for output that names the path elsewhere).
    pub fn reason(&self) -> String {
        match self {
            IngestError::Empty { .. } => "empty file".into(),
            IngestError::Binary { .. } => "binary file, not a page".into(),
            IngestError::Redirect { target, .. } => format!("redirect stub to {target}"),
            IngestError::Container { reason, .. } => reason.clone(),
            IngestError::Internal { message, .. } => {
                format!("internal error while extracting: {message}")
            }
        }
    }

    /// True when the file is not a page at all (empty, binary, redirect): counted as skipped
    /// rather than failed.
    pub fn is_skip(&self) -> bool {
        matches!(
            self,
            IngestError::Empty { .. } | IngestError::Binary { .. } | IngestError::Redirect { .. }
        )
    }
}
