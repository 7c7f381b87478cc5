//! The result of clustering a batch.

use crate::cluster;
use crate::error::Error;
use crate::io::BadLine;
use crate::params::{CohesionGuard, Linkage};
use crate::score::PairScores;

/// A pair of documents (by position, `a < b`) with its scores.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ScoredPair {
    /// The first document's position.
    pub a: u32,
    /// The second document's position.
    pub b: u32,
    /// Its scores.
    pub scores: PairScores,
}

/// The stories of a batch: a label per document, the clusters, and the
/// scores of every pair that was compared.
///
/// Documents are named by their position in the input, a `u32` (a batch
/// holds fewer than 2³² − 1 documents); [`ids`](Self::ids) gives their ids.
/// Exact duplicates (identical features) were scored once, through their
/// [`representative`](Self::representative), the first of them: each other
/// copy appears in [`pairs`](Self::pairs) paired with it.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Clustering {
    ids: Vec<String>,
    labels: Vec<u32>,
    clusters: Vec<Vec<u32>>,
    /// The copy group of each document (dense, by first member).
    copy_labels: Vec<u32>,
    copy_groups: Vec<Vec<u32>>,
    pairs: Vec<ScoredPair>,
    /// The representative of each document when exact duplicates were
    /// collapsed; empty when there were none.
    rep_of: Vec<u32>,
    skipped: Vec<BadLine>,
    warnings: Vec<BadLine>,
    /// The cohesion guard the labels were made with ([`labels_at`](Self::labels_at) applies it too).
    guard: Option<CohesionGuard>,
}

impl Clustering {
    /// `pairs` sorted by `(a, b)`, including a pair of each copy with its
    /// representative when `rep_of` is not empty.
    pub(crate) fn new(
        ids: Vec<String>,
        labels: Vec<u32>,
        pairs: Vec<ScoredPair>,
        rep_of: Vec<u32>,
        guard: Option<CohesionGuard>,
    ) -> Clustering {
        let copy_labels = copy_labels(&labels, &pairs);
        Clustering {
            ids,
            clusters: members(&labels),
            copy_groups: members(&copy_labels),
            labels,
            copy_labels,
            pairs,
            rep_of,
            skipped: Vec::new(),
            warnings: Vec::new(),
            guard,
        }
    }

    pub(crate) fn with_input_report(mut self, skipped: Vec<BadLine>, warnings: Vec<BadLine>) -> Clustering {
        self.skipped = skipped;
        self.warnings = warnings;
        self
    }

    /// Number of documents clustered.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// No documents were clustered.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The documents' ids, in input order: position `i` is document `i`.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// The id of document `i`, if it exists.
    pub fn id(&self, i: u32) -> Option<&str> {
        self.ids.get(i as usize).map(String::as_str)
    }

    /// Input lines skipped as bad (with [`ReadOptions::skip_bad`](crate::io::ReadOptions)),
    /// when the batch was read from a file; empty otherwise.
    pub fn skipped(&self) -> &[BadLine] {
        &self.skipped
    }

    /// Documents read from a file and kept without an optional field whose
    /// value was invalid (a date that is not a calendar date, a title that
    /// is not a string): the line and what was ignored. Empty otherwise.
    pub fn warnings(&self) -> &[BadLine] {
        &self.warnings
    }

    /// The cluster label of each document, in input order. Labels are dense
    /// and numbered by each cluster's first document.
    pub fn labels(&self) -> &[u32] {
        &self.labels
    }

    /// The label of document `i`, if it exists.
    pub fn label_of(&self, i: u32) -> Option<u32> {
        self.labels.get(i as usize).copied()
    }

    /// Every cluster (singletons included) as sorted document positions,
    /// ordered by first member: cluster `k` has label `k`.
    pub fn clusters(&self) -> &[Vec<u32>] {
        &self.clusters
    }

    /// The clusters with at least two documents.
    pub fn stories(&self) -> impl Iterator<Item = &[u32]> + '_ {
        self.clusters.iter().filter(|c| c.len() > 1).map(Vec::as_slice)
    }

    /// The copy group of each document, in input order: dense labels
    /// numbered by each group's first document. A copy group holds the
    /// documents joined by copy pairs (see [`PairScores::copy`]: shared text
    /// by resemblance, containment or SimHash) inside one story, so copy
    /// groups nest in stories: two documents of one copy group are always
    /// of one story.
    ///
    /// # Example
    /// ```
    /// use samestory::{Detector, Document};
    /// let wire = "Storm Ciarán hit Brittany on Thursday with gusts of 207 km/h, cutting power to 1.2 million homes, \
    ///             the grid operator Enedis said, as schools closed and trains stopped across the region.";
    /// let docs = vec![
    ///     Document::new("wire", wire),
    ///     Document::new("reprint", format!("{wire} Read more on our site.")),
    ///     Document::new("report", "Gusts reached 207 km/h as Ciarán swept across Brittany; about 1.2 million homes lost power."),
    /// ];
    /// let c = Detector::new().cluster(&docs)?;
    /// assert!(c.same_story(0, 2));
    /// assert_eq!(c.copy_labels()[0], c.copy_labels()[1]); // a reprint: one copy group
    /// assert_ne!(c.copy_labels()[0], c.copy_labels()[2]); // another report of the story
    /// # Ok::<(), samestory::Error>(())
    /// ```
    pub fn copy_labels(&self) -> &[u32] {
        &self.copy_labels
    }

    /// Every copy group (singletons included) as sorted document positions,
    /// ordered by first member: group `k` has copy label `k`.
    pub fn copy_groups(&self) -> &[Vec<u32>] {
        &self.copy_groups
    }

    /// Are `a` and `b` in one cluster? False when either does not exist.
    pub fn same_story(&self, a: u32, b: u32) -> bool {
        matches!((self.label_of(a), self.label_of(b)), (Some(x), Some(y)) if x == y)
    }

    /// The representative of document `i`: the first of its exact
    /// duplicates, or `i` itself; `None` when `i` does not exist.
    pub fn representative(&self, i: u32) -> Option<u32> {
        if i as usize >= self.labels.len() {
            return None;
        }
        Some(self.rep_of.get(i as usize).copied().unwrap_or(i))
    }

    /// Every pair that was scored, sorted by `(a, b)`: the candidate pairs
    /// (between representatives), and each exact duplicate with its representative.
    pub fn pairs(&self) -> &[ScoredPair] {
        &self.pairs
    }

    /// The scores of documents `a` and `b`, if the pair was compared (for
    /// exact duplicates, through their representatives); `None` for a
    /// document that does not exist or `a == b`.
    pub fn scores(&self, a: u32, b: u32) -> Option<&PairScores> {
        let (ra, rb) = (self.representative(a)?, self.representative(b)?);
        if a == b {
            return None;
        }
        let key = if ra == rb {
            // Copies of one representative: each is paired with it, all alike.
            (ra, if a == ra { b } else { a })
        } else {
            (ra.min(rb), ra.max(rb))
        };
        self.pairs.binary_search_by(|p| (p.a, p.b).cmp(&key)).ok().map(|i| &self.pairs[i].scores)
    }

    /// Re-cuts the scored pairs at another threshold and linkage without
    /// rescoring (e.g. to sweep thresholds), with the cohesion guard the
    /// clustering was made with: labels as [`labels`](Self::labels) numbers them.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidParameter`](crate::ErrorKind::InvalidParameter)
    /// when `threshold` is not in (0, 1], or when the clustering was
    /// deserialized from data that names documents out of range.
    pub fn labels_at(&self, threshold: f64, linkage: Linkage) -> Result<Vec<u32>, Error> {
        if !(threshold.is_finite() && threshold > 0.0 && threshold <= 1.0) {
            return Err(Error::param("threshold", format!("must be in (0, 1], got {threshold}")));
        }
        let n = self.labels.len();
        // A clustering made by this crate always passes; one deserialized from
        // altered data may not, and gets an error instead of a panic.
        let inside = |i: u32| (i as usize) < n;
        if !(self.rep_of.is_empty() || self.rep_of.len() == n && self.rep_of.iter().all(|&r| inside(r)))
            || !self.pairs.iter().all(|p| inside(p.a) && inside(p.b))
        {
            return Err(Error::param("clustering", "representatives or pairs name documents out of range"));
        }
        let scored = |p: &&ScoredPair| p.scores.similarity > 0.0;
        if self.rep_of.is_empty() {
            let edges: Vec<(u32, u32, f64)> =
                self.pairs.iter().filter(scored).map(|p| (p.a, p.b, f64::from(p.scores.similarity))).collect();
            return Ok(cluster::labels(&vec![1; n], &edges, threshold, linkage, self.guard));
        }
        let rep = |i: usize| self.rep_of[i] as usize;
        let mut node = vec![u32::MAX; n];
        let mut weights: Vec<u64> = Vec::new();
        for i in 0..n {
            let r = rep(i);
            if node[r] == u32::MAX {
                node[r] = weights.len() as u32;
                weights.push(0);
            }
            weights[node[r] as usize] += 1;
        }
        // A copy's pair with its representative falls inside one node and is ignored.
        let edges: Vec<(u32, u32, f64)> = self
            .pairs
            .iter()
            .filter(scored)
            .map(|p| (node[rep(p.a as usize)], node[rep(p.b as usize)], f64::from(p.scores.similarity)))
            .collect();
        // Copies of one document are one node: merged first, as their
        // similarity (at least the threshold they were collapsed at) is the highest.
        let by_node = cluster::labels(&weights, &edges, threshold, linkage, self.guard);
        let root: Vec<u32> = (0..n).map(|i| by_node[node[rep(i)] as usize]).collect();
        Ok(cluster::relabel(&root))
    }
}

/// The members of each label, in order.
fn members(labels: &[u32]) -> Vec<Vec<u32>> {
    let k = labels.iter().map(|&l| l as usize + 1).max().unwrap_or(0);
    let mut groups = vec![Vec::new(); k];
    for (i, &l) in labels.iter().enumerate() {
        groups[l as usize].push(i as u32);
    }
    groups
}

/// Copy groups: the connected components of the copy pairs whose two
/// documents share a story `label`, numbered densely by first member (so
/// each copy group lies inside one story).
fn copy_labels(labels: &[u32], pairs: &[ScoredPair]) -> Vec<u32> {
    let mut parent: Vec<u32> = (0..labels.len() as u32).collect();
    for p in pairs {
        if p.scores.copy && labels[p.a as usize] == labels[p.b as usize] {
            let (ra, rb) = (cluster::find(&mut parent, p.a), cluster::find(&mut parent, p.b));
            if ra != rb {
                // The smaller root stays: roots are each group's first member.
                parent[ra.max(rb) as usize] = ra.min(rb);
            }
        }
    }
    let root: Vec<u32> = (0..labels.len() as u32).map(|i| cluster::find(&mut parent, i)).collect();
    cluster::relabel(&root)
}
