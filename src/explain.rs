//! Explanations: why two documents were, or were not, put in one story.
//!
//! [`Detector::explain`](crate::Detector::explain) lists the evidence
//! behind a pair's scores in words: the passages the two texts share
//! (maximal runs of shared shingles, quoted from the first document), the
//! salient terms they share with their contribution to the profile cosine,
//! and each score beside the threshold it is compared with.
//! [`Tracker::explain`](crate::Tracker::explain) explains two held
//! documents from their stored features: the tracker keeps no text, so it
//! names no passage and gives shared terms by their hashes.

use std::fmt;

use crate::batch::score_pairs;
use crate::candidates::candidate_pairs;
use crate::dates::inherit_dates;
use crate::document::Document;
use crate::features::{Analyzer, Features, Scratch};
use crate::learn::{features_of, learn_stats};
use crate::params::{Config, Params};
use crate::score::{PairScores, score_pair};

/// A salient term two documents share.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SharedTerm {
    /// The term, normalized (`#` and its hash when the text is not known).
    pub term: String,
    /// Its contribution to the profile cosine.
    pub contribution: f64,
}

/// Why two documents were, or were not, put in one story; its `Display`
/// is a readable report.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Explanation {
    /// The two documents' ids.
    pub ids: (String, String),
    /// The pair's scores.
    pub scores: PairScores,
    /// Passages of the first document whose shingles the second shares,
    /// longest first (at most 5; none when the texts are not known).
    pub shared_passages: Vec<String>,
    /// Shared salient terms, largest contribution first.
    pub shared_terms: Vec<SharedTerm>,
    /// Content tokens of each document after boilerplate removal, and before.
    pub content_tokens: [(u32, u32); 2],
    /// The parameters in force.
    pub params: Params,
    /// The pair alone reaches the story threshold.
    pub pair_same_story: bool,
}

/// Explains documents `a` and `b` of a batch (positions in `docs`, checked
/// by the caller), with statistics learned from the whole batch.
pub(crate) fn explain_batch(an: &Analyzer, docs: &[Document], a: usize, b: usize) -> Explanation {
    let cfg = an.config();
    let stats = learn_stats(an, docs);
    let mut s = Scratch::default();
    let mut da = an.detail(&docs[a], &stats, &mut s);
    let mut db = an.detail(&docs[b], &stats, &mut s);
    if cfg.dates.inherit_similarity.is_some() && (da.features.date.is_none() || db.features.date.is_none()) {
        // Dates may be inherited from similar documents: run the batch pipeline for them.
        let mut feats = features_of(an, docs, &stats);
        let pairs = candidate_pairs(cfg, &feats, stats.docs());
        let mut scored = score_pairs(cfg, &feats, &pairs);
        inherit_dates(cfg, &mut feats, &mut scored);
        da.features.date = feats[a].date;
        db.features.date = feats[b].date;
    }
    let name = |t: u64| da.terms.get(&t).cloned().unwrap_or_else(|| format!("#{t:016x}"));
    let mut e = explain_features(cfg, (&docs[a].id, &da.features), (&docs[b].id, &db.features), name);
    // Passages: maximal runs of a's content tokens covered by shingles b shares.
    let mut windows = Vec::new();
    crate::shingle::shingle_hashes(&da.content, cfg.sketch.shingle_size, cfg.sketch.seed, &mut windows);
    let k = cfg.sketch.shingle_size.min(da.content.len()).max(1);
    let n_tok = da.content.len();
    let mut covered = vec![false; n_tok];
    for (i, h) in windows.iter().enumerate() {
        if db.features.shingles.contains(*h) {
            covered[i..(i + k).min(n_tok)].iter_mut().for_each(|c| *c = true);
        }
    }
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < covered.len() {
        if covered[i] {
            let j = (i..covered.len()).find(|&j| !covered[j]).unwrap_or(covered.len());
            runs.push((i, j));
            i = j;
        } else {
            i += 1;
        }
    }
    runs.sort_by_key(|&(x, y)| (std::cmp::Reverse(y - x), x));
    let text = &docs[a].text;
    e.shared_passages = runs
        .iter()
        .take(5)
        .filter_map(|&(x, y)| text.get(da.spans[x].0 as usize..da.spans[y - 1].1 as usize))
        .map(|p| {
            let p = p.split_whitespace().collect::<Vec<_>>().join(" ");
            if p.chars().count() > 240 { format!("{} …", p.chars().take(240).collect::<String>()) } else { p }
        })
        .collect();
    e
}

/// Explains two documents from their features alone: scores, shared terms
/// as `name` gives them, no passages.
pub(crate) fn explain_features(
    cfg: &Config,
    (ida, fa): (&str, &Features),
    (idb, fb): (&str, &Features),
    name: impl Fn(u64) -> String,
) -> Explanation {
    let scores = score_pair(fa, fb, cfg);
    let shared_terms = fa
        .profile
        .shared(&fb.profile)
        .into_iter()
        .map(|(t, c)| SharedTerm { term: name(t), contribution: c })
        .collect();
    Explanation {
        ids: (ida.to_string(), idb.to_string()),
        scores,
        shared_passages: Vec::new(),
        shared_terms,
        content_tokens: [(fa.content_tokens, fa.total_tokens), (fb.content_tokens, fb.total_tokens)],
        params: cfg.params.clone(),
        pair_same_story: f64::from(scores.similarity) >= cfg.story.threshold,
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.scores;
        let p = &self.params;
        let ge = |x: f64, y: f64| if x >= y { "≥" } else { "<" };
        writeln!(f, "{} ~ {}", self.ids.0, self.ids.1)?;
        writeln!(
            f,
            "  similarity {:.3} {} story threshold {:.3}: {}",
            s.similarity,
            ge(f64::from(s.similarity), p.story.threshold),
            p.story.threshold,
            if self.pair_same_story {
                "same story by this pair alone"
            } else {
                "not the same story by this pair alone"
            }
        )?;
        writeln!(
            f,
            "  copy: {} (Jaccard {:.3} {} {:.2}; containment {:.3} {} {:.2}, needs {} shingles; SimHash distance {} {} {}; MinHash estimate {:.3})",
            if s.copy {
                "yes"
            } else if s.related {
                "no, related (shared text that is not the main text of both: no shared lead)"
            } else {
                "no"
            },
            s.jaccard,
            ge(f64::from(s.jaccard), p.copy.jaccard),
            p.copy.jaccard,
            s.containment,
            ge(f64::from(s.containment), p.copy.containment),
            p.copy.containment,
            p.copy.min_containment_shingles,
            s.simhash_distance,
            if s.simhash_distance <= p.copy.simhash_distance { "≤" } else { ">" },
            p.copy.simhash_distance,
            s.jaccard_estimate
        )?;
        let dates = match (s.days_apart, p.dates.window_days) {
            (Some(d), Some(w)) if d > w => {
                format!("{d} days apart, outside the {w}-day window: cosine × {}", p.dates.outside_window_factor)
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
