//! Reading an index from a folder thresh may not write: a read-only mount, a copy on a shared
//! drive, a folder owned by another user. Owns that one directory wrapper and nothing else.
//!
//! Tantivy takes a lock file before it opens segments, so that a writer's garbage collection
//! cannot delete them meanwhile; in a folder nobody can write, the lock file cannot be made and
//! no writer can run either. [`ReadOnlyTolerant`] forwards everything to tantivy's own
//! memory-mapped directory and answers such a lock with a lock that holds nothing.

use std::path::Path;
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, META_LOCK, MmapDirectory, WatchCallback,
    WatchHandle, WritePtr,
};

/// Tantivy's memory-mapped directory, for readers that may be in a folder they cannot write.
#[derive(Debug, Clone)]
pub struct ReadOnlyTolerant(MmapDirectory);

impl ReadOnlyTolerant {
    /// Opens the folder.
    ///
    /// # Errors
    /// Tantivy's error when the folder does not exist or is not a directory.
    pub fn open(
        dir: &Path,
    ) -> Result<ReadOnlyTolerant, tantivy::directory::error::OpenDirectoryError> {
        MmapDirectory::open(dir).map(ReadOnlyTolerant)
    }
}

/// True when an I/O error says the folder cannot be written (rather than that it is busy).
pub fn is_read_only(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    )
}

impl Directory for ReadOnlyTolerant {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }
    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.0.delete(path)
    }
    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }
    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.0.open_write(path)
    }
    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }
    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.0.atomic_write(path, data)
    }
    fn sync_directory(&self) -> std::io::Result<()> {
        self.0.sync_directory()
    }
    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(watch_callback)
    }
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.0.acquire_lock(lock) {
            // Nobody can write here, so no writer can delete the files being opened: the
            // readers' lock holds nothing. The writer's lock is never excused.
            Err(LockError::IoError(e))
                if lock.filepath == META_LOCK.filepath && is_read_only(&e) =>
            {
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }
}
