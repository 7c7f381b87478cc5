//! The error type of the detector, its stages and readers (the evaluation
//! module has its own small `EvalError`).
//!
//! [`Error`] is opaque: inspect it through [`Error::kind`], which returns a
//! [`#[non_exhaustive]`](ErrorKind) enum so new failure modes can be added
//! without a breaking change. Every error names what was wrong and where
//! (parameter, document id, file and line).

use std::fmt;
use std::path::PathBuf;

/// The error type of every fallible operation in this crate.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
}

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A builder parameter is outside its valid range.
    InvalidParameter {
        /// The parameter's name as the builder method spells it.
        name: &'static str,
        /// Why the value was rejected.
        reason: String,
    },
    /// Two sketches of different lengths were compared.
    SketchMismatch {
        /// Length of the first sketch (or the slots needed).
        expected: usize,
        /// Length of the second sketch.
        got: usize,
    },
    /// A document is larger than the configured limit.
    DocumentTooLarge {
        /// The document's id.
        id: String,
        /// Its size in bytes (text plus title).
        bytes: usize,
        /// The configured limit.
        limit: usize,
    },
    /// Two documents given to one detector share an id.
    DuplicateId {
        /// The repeated id.
        id: String,
    },
    /// The detector already holds its maximum number of documents.
    TooManyDocuments {
        /// The limit.
        limit: usize,
    },
    /// No held document has this id.
    UnknownId {
        /// The id that was asked for.
        id: String,
    },
    /// A saved state could not be loaded: truncated, corrupted, or not a state file.
    InvalidState {
        /// The file (empty when loading from bytes).
        path: PathBuf,
        /// What was wrong, naming the section.
        reason: String,
    },
    /// A saved state was written by another version of the state format.
    UnsupportedStateVersion {
        /// The file (empty when loading from bytes).
        path: PathBuf,
        /// The version in the file.
        found: u32,
        /// The version this build reads and writes.
        supported: u32,
    },
    /// A date string could not be parsed.
    InvalidDate {
        /// The text that was given.
        text: String,
    },
    /// A line of an input file could not be read as a document.
    InvalidInput {
        /// The file (`-` for standard input).
        path: PathBuf,
        /// 1-based line number, when the problem is on one line.
        line: Option<u64>,
        /// What was wrong.
        reason: String,
    },
    /// An I/O error, with the path it happened on.
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    pub(crate) fn new(kind: ErrorKind) -> Error {
        Error { kind }
    }

    pub(crate) fn param(name: &'static str, reason: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidParameter { name, reason: reason.into() })
    }

    pub(crate) fn input(path: impl Into<PathBuf>, line: Option<u64>, reason: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidInput { path: path.into(), line, reason: reason.into() })
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::new(ErrorKind::Io { path: path.into(), source })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::InvalidParameter { name, reason } => {
                write!(f, "invalid parameter `{name}`: {reason}")
            }
            ErrorKind::SketchMismatch { expected, got } => {
                write!(f, "sketches do not match: {expected} vs {got} slots")
            }
            ErrorKind::DocumentTooLarge { id, bytes, limit } => {
                write!(f, "document {id:?} has {bytes} bytes, over the limit of {limit}")
            }
            ErrorKind::DuplicateId { id } => write!(f, "duplicate document id {id:?}"),
            ErrorKind::TooManyDocuments { limit } => {
                write!(f, "too many documents: the limit is {limit}")
            }
            ErrorKind::UnknownId { id } => write!(f, "no document with id {id:?}"),
            ErrorKind::InvalidState { path, reason } => {
                write!(f, "{}: not a valid samestory state: {reason}", path.display())
            }
            ErrorKind::UnsupportedStateVersion { path, found, supported } => write!(
                f,
                "{}: state format version {found} is not supported (this build reads version {supported})",
                path.display()
            ),
            ErrorKind::InvalidDate { text } => {
                write!(f, "invalid date {text:?}: expected YYYY-MM-DD")
            }
            ErrorKind::InvalidInput { path, line: Some(line), reason } => {
                write!(f, "{}:{line}: {reason}", path.display())
            }
            ErrorKind::InvalidInput { path, line: None, reason } => {
                write!(f, "{}: {reason}", path.display())
            }
            ErrorKind::Io { path, source } => write!(f, "{}: {source}", path.display()),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
