//! The library's error type. Every message says what is wrong, where, and how to fix it.

use std::path::Path;

/// An input the tool cannot use, or a failure to read or write a file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input that cannot be used at all: the message names the place and the fix.
    #[error("{0}")]
    Invalid(String),
    /// Several problems found at once (validation reports them all).
    #[error("{}", .0.join("\n"))]
    Many(Vec<String>),
    /// A file could not be read or written.
    #[error("{action} {path}: {reason}")]
    Io {
        action: &'static str,
        path: String,
        reason: String,
    },
    /// Writing results failed (a closed pipe is not reported: see `main`).
    #[error("cannot write output: {0}")]
    Write(#[from] std::io::Error),
    /// The search engine failed; this is a bug or a resource problem, not bad input.
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<crate::profile::countries::CountryDataError> for Error {
    fn from(error: crate::profile::countries::CountryDataError) -> Self {
        Error::Invalid(error.to_string())
    }
}

impl Error {
    /// An input error with a ready message.
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::Invalid(message.into())
    }

    /// A read or write failure, explained in words a user can act on.
    pub fn io(action: &'static str, path: &Path, error: &std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.display().to_string(),
            reason: explain_io(error),
        }
    }
}

/// A read or write failure in words a user can act on.
pub fn explain_io(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory: check the path".to_string(),
        std::io::ErrorKind::PermissionDenied => {
            "permission denied: check the file's permissions".to_string()
        }
        std::io::ErrorKind::IsADirectory => "it is a directory, not a file".to_string(),
        std::io::ErrorKind::StorageFull => "the disk is full: free some space".to_string(),
        std::io::ErrorKind::QuotaExceeded => {
            "the disk quota is used up: free some space".to_string()
        }
        _ => error.to_string(),
    }
}
