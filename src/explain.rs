//! Explanations: why two documents were, or were not, put in one story.
//!
//! [`crate::Detector::explain`] lists the evidence behind a pair's scores in
//! words: the passages the two texts share (maximal runs of shared
//! shingles, quoted from the first document), the salient terms they share
//! with their contribution to the profile cosine, and each score beside the
//! threshold it is compared with.

use std::fmt;

use crate::score::PairScores;

/// A salient term both documents' profiles hold.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedTerm {
    /// The normalized term (for spaceless scripts, a character bigram).
    pub term: String,
    /// Its contribution to the profile cosine (product of the two weights).
    pub contribution: f64,
}

/// The evidence for one pair of documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// The two documents' ids.
    pub ids: (String, String),
    /// The pair's scores.
    pub scores: PairScores,
    /// Passages of the first document whose shingles the second shares, longest first (at most 5).
    pub shared_passages: Vec<String>,
    /// Shared salient terms, largest contribution first.
    pub shared_terms: Vec<SharedTerm>,
    /// Content tokens of each document after boilerplate removal, and before.
    pub content_tokens: [(u32, u32); 2],
    /// The thresholds in force.
    pub thresholds: Thresholds,
    /// The pair alone reaches the story threshold.
    pub pair_same_story: bool,
}

/// The thresholds a pair's scores are compared with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Story threshold on the combined similarity.
    pub story: f64,
    /// Copy threshold on shingle Jaccard.
    pub copy_jaccard: f64,
    /// Copy threshold on containment.
    pub containment: f64,
    /// Shingles the smaller document needs for containment to count.
    pub min_containment_shingles: usize,
    /// Copy threshold on SimHash distance.
    pub simhash_distance: u32,
    /// Date window in days.
    pub date_window_days: Option<u32>,
    /// Factor on the cosine outside the window.
    pub outside_window_factor: f64,
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.scores;
        let t = &self.thresholds;
        let ge = |x: f64, y: f64| if x >= y { "≥" } else { "<" };
        writeln!(f, "{} ~ {}", self.ids.0, self.ids.1)?;
        writeln!(
            f,
            "  similarity {:.3} {} story threshold {:.3}: {}",
            s.similarity,
            ge(f64::from(s.similarity), t.story),
            t.story,
            if self.pair_same_story {
                "same story by this pair alone"
            } else {
                "not the same story by this pair alone"
            }
        )?;
        writeln!(
            f,
            "  copy: {} (Jaccard {:.3} {} {:.2}; containment {:.3} {} {:.2}, needs {} shingles; SimHash distance {} {} {}; MinHash estimate {:.3})",
            if s.copy { "yes" } else { "no" },
            s.jaccard,
            ge(f64::from(s.jaccard), t.copy_jaccard),
            t.copy_jaccard,
            s.containment,
            ge(f64::from(s.containment), t.containment),
            t.containment,
            t.min_containment_shingles,
            s.simhash_distance,
            if s.simhash_distance <= t.simhash_distance { "≤" } else { ">" },
            t.simhash_distance,
            s.jaccard_estimate
        )?;
        let dates = match (s.days_apart, t.date_window_days) {
            (Some(d), Some(w)) if d > w => {
                format!("{d} days apart, outside the {w}-day window: cosine × {}", t.outside_window_factor)
            }
            (Some(d), Some(w)) => format!("{d} days apart, within the {w}-day window"),
            (Some(d), None) => format!("{d} days apart (dates ignored)"),
            (None, _) => "a date is unknown".to_string(),
        };
        writeln!(f, "  event: profile cosine {:.3}; {dates}", s.cosine)?;
        writeln!(
            f,
            "  content tokens after boilerplate removal: {}/{} and {}/{}",
            self.content_tokens[0].0, self.content_tokens[0].1, self.content_tokens[1].0, self.content_tokens[1].1
        )?;
        if !self.shared_terms.is_empty() {
            let terms: Vec<String> =
                self.shared_terms.iter().take(20).map(|t| format!("{} ({:.3})", t.term, t.contribution)).collect();
            writeln!(f, "  shared salient terms: {}", terms.join(", "))?;
        } else {
            writeln!(f, "  shared salient terms: none")?;
        }
        if self.shared_passages.is_empty() {
            writeln!(f, "  shared passages: none")?;
        }
        for p in &self.shared_passages {
            writeln!(f, "  shared passage: \"{p}\"")?;
        }
        Ok(())
    }
}
