//! What the tracker tells about stories: ids, assignments, matches.

use crate::score::PairScores;

/// A story's id in a [`Tracker`](crate::Tracker). Ids are handed out in order and never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StoryId(pub u64);

impl std::fmt::Display for StoryId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One match of a document against another held by the tracker.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Match {
    /// The other document's id.
    pub id: String,
    /// The other document's story when the match was made (before any merge
    /// the new document caused; see [`Assignment::merged`]).
    pub story: StoryId,
    /// The pair's scores.
    pub scores: PairScores,
}

/// What [`Tracker::add`](crate::Tracker::add) decided for a document.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Assignment {
    /// The story it joined or started (after merges).
    pub story: StoryId,
    /// It started a new story.
    pub new_story: bool,
    /// Stories merged because of this document into the oldest story it
    /// joined, which is `story` unless a split followed (see `split_off`).
    pub merged: Vec<StoryId>,
    /// New stories split off existing ones because this document's date,
    /// passed on to similar undated documents, changed their scores (see
    /// the [`Tracker`](crate::Tracker) module docs); possibly including `story`.
    pub split_off: Vec<StoryId>,
    /// Its best matches (similarity > 0), best first, at most 10.
    pub matches: Vec<Match>,
    /// Ids of the documents expired at the end of this `add`, oldest first
    /// (possibly the new document itself, when it is older than the window).
    pub expired: Vec<String>,
    /// Its own date lies more than `retention_days` beyond the clock and no
    /// held document confirms it: it did not move the clock (see the
    /// [`Tracker`](crate::Tracker) docs, "Expiry").
    pub date_outlier: bool,
    /// The document it is a copy of (see [`PairScores::copy`]): the earliest
    /// added held document of its story whose pair with it is a copy; `None`
    /// when it copies none (it is an original, or another report).
    pub copy_of: Option<String>,
}

/// Where [`Tracker::query`](crate::Tracker::query) would put a document, without adding it.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Placement {
    /// The story it would join, or `None` for a new one.
    pub story: Option<StoryId>,
    /// Its best matches (similarity > 0), best first, at most 10.
    pub matches: Vec<Match>,
}

/// A story held by a [`Tracker`](crate::Tracker): its id and its members' ids, in insertion order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Story<'a> {
    /// The story's id.
    pub id: StoryId,
    /// Its documents' ids, in insertion order.
    pub members: Vec<&'a str>,
}
