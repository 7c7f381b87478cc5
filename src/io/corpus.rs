//! What a read returns ([`Corpus`], with the [`BadLine`]s skipped) and how
//! it treats bad input ([`ReadOptions`]).

use crate::document::Document;

/// How to treat bad input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// Skip malformed JSONL lines (and list them) instead of failing.
    pub skip_bad: bool,
    /// Longest JSONL line or `.txt` file read, in bytes (default 64 MiB, four
    /// times the detector's default document limit, room for JSON escapes).
    /// A longer line is a bad line (never held in memory whole); a longer
    /// file is an error naming it.
    pub max_record_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions { skip_bad: false, max_record_bytes: 64 << 20 }
    }
}

impl ReadOptions {
    /// The defaults, skipping bad lines when `skip_bad`.
    pub fn with_skip_bad(skip_bad: bool) -> ReadOptions {
        ReadOptions { skip_bad, ..ReadOptions::default() }
    }
}

/// A line skipped, or a warning about a line kept.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BadLine {
    /// 1-based line number.
    pub line: u64,
    /// Why it was rejected, or what was ignored.
    pub reason: String,
}

/// Documents read from one input, and the lines skipped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Corpus {
    /// The documents, in input order.
    pub docs: Vec<Document>,
    /// Lines skipped under [`ReadOptions::skip_bad`] (always empty otherwise).
    pub skipped: Vec<BadLine>,
    /// Documents kept without an optional field (`title`, `date`, `source`)
    /// whose value was invalid, e.g. a date that is not a calendar date:
    /// the line and what was ignored.
    pub warnings: Vec<BadLine>,
}
