//! The pipeline's stages one by one, for engines that run them partition
//! by partition (a Python binding, Spark) and must give the clusters of
//! [`Detector::cluster`](crate::Detector::cluster).
//!
//! Every stage is a pure function of plain data:
//!
//! 1. **Statistics** ([`Stages::learn`]): corpus statistics of a part of
//!    the corpus. Statistics are *mergeable* ([`CorpusStats::merge`] is a
//!    sum of counts, so any split gives the same total) and *serializable*
//!    ([`CorpusStats::to_bytes`], [`CorpusStats::from_bytes`]).
//! 2. **Features** ([`Stages::features`]): each document's features
//!    against the *merged* statistics. [`Features`] are opaque; they travel
//!    as bytes ([`Features::to_bytes`], [`Stages::features_from_bytes`]).
//! 3. **Keys** ([`Stages::band_keys`], [`Stages::simhash_keys`],
//!    [`Stages::term_keys`]): documents sharing a key are candidates.
//! 4. **Scores** ([`Stages::score`]) of one pair.
//! 5. **Clustering** ([`Stages::cluster_component`]): labels of a set of
//!    documents from their scored pairs. Average linkage never joins
//!    documents with no chain of scored pairs between them, so each
//!    connected component of the pair graph can be clustered on its own.
//!
//! [`Stages::cluster_features`] runs stages 3 to 5 on one machine exactly
//! as [`Detector::cluster`](crate::Detector::cluster) does (with its
//! per-document candidate budget, exact-duplicate collapse and date
//! inheritance): a partitioned engine that reproduces its candidate rule
//! gives the same clusters.
//!
//! # Example: statistics of two parts, merged
//! ```
//! use samestory::{CorpusStats, Detector, Document};
//! let docs = vec![
//!     Document::new("a", "Storm Ciarán hit Brittany on Thursday with gusts of 207 km/h, cutting power to 1.2 million homes."),
//!     Document::new("b", "Gusts reached 207 km/h as Ciarán swept across Brittany; about 1.2 million homes lost power."),
//!     Document::new("c", "The central bank held its main rate at 4.5 percent, citing sticky services inflation."),
//! ];
//! let detector = Detector::new();
//! let stages = detector.stages();
//! let mut stats = stages.learn(&docs[..1])?;
//! let other = CorpusStats::from_bytes(&stages.learn(&docs[1..])?.to_bytes())?;
//! stats.merge(&other);
//! let feats = stages.features(&docs, &stats)?;
//! let ids = docs.iter().map(|d| d.id.clone()).collect();
//! let clustering = stages.cluster_features(ids, feats, stats.docs())?;
//! assert_eq!(clustering, detector.cluster(&docs)?);
//! let ab = stages.score(&stages.features(&docs[..1], &stats)?[0], &stages.features(&docs[1..2], &stats)?[0]);
//! assert!(ab.similarity >= detector.params().story.threshold as f32);
//! # Ok::<(), samestory::Error>(())
//! ```

use crate::admit;
use crate::batch;
use crate::cluster;
use crate::clustering::{Clustering, ScoredPair};
use crate::document::Document;
use crate::error::Error;
use crate::features::Analyzer;
use crate::features::Features;
use crate::hash::{derive_seed, domain};
use crate::learn::{features_of, learn_stats};
use crate::lsh::{HammingIndex, band_key};
use crate::persist::features as codec;
use crate::score::{PairScores, score_pair};
use crate::simhash::SimHash;
use crate::stats::CorpusStats;

/// The stages of one detector's pipeline; from
/// [`Detector::stages`](crate::Detector::stages).
#[derive(Debug, Clone, Copy)]
pub struct Stages<'a> {
    an: &'a Analyzer,
}

impl<'a> Stages<'a> {
    pub(crate) fn new(an: &'a Analyzer) -> Stages<'a> {
        Stages { an }
    }

    /// Corpus statistics of `docs`.
    ///
    /// # Errors
    /// [`ErrorKind::DocumentTooLarge`](crate::ErrorKind::DocumentTooLarge) or
    /// [`ErrorKind::TooManyDocuments`](crate::ErrorKind::TooManyDocuments).
    pub fn learn(&self, docs: &[Document]) -> Result<CorpusStats, Error> {
        let limits = &self.an.config().limits;
        admit::check_count(limits, docs.len())?;
        docs.iter().try_for_each(|d| admit::check_size(limits, d))?;
        Ok(learn_stats(self.an, docs))
    }

    /// The features of each document against `stats` (the statistics of
    /// the whole corpus, merged).
    ///
    /// # Errors
    /// As [`learn`](Self::learn).
    pub fn features(&self, docs: &[Document], stats: &CorpusStats) -> Result<Vec<Features>, Error> {
        let limits = &self.an.config().limits;
        admit::check_count(limits, docs.len())?;
        docs.iter().try_for_each(|d| admit::check_size(limits, d))?;
        Ok(features_of(self.an, docs, stats))
    }

    /// Features from [`Features::to_bytes`], checked against this
    /// detector's parameters.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidState`](crate::ErrorKind::InvalidState) when the
    /// bytes are not features of this detector's sketch size.
    pub fn features_from_bytes(&self, bytes: &[u8]) -> Result<Features, Error> {
        codec::from_bytes(bytes, self.an.config().sketch.num_perm)
    }

    /// The LSH band keys of a document: documents sharing one are
    /// copy-level candidates. Empty for an empty document.
    pub fn band_keys(&self, f: &Features) -> Vec<u64> {
        let cfg = self.an.config();
        if f.minhash.is_empty() {
            return Vec::new();
        }
        let seed = derive_seed(cfg.sketch.seed, domain::BAND);
        let rows = cfg.lsh.rows;
        (0..cfg.lsh.bands)
            .filter_map(|band| f.minhash.slots().get(band * rows..(band + 1) * rows).map(|s| band_key(s, seed, band)))
            .collect()
    }

    /// The SimHash block keys of a document: documents sharing one are
    /// near-exact candidates when their SimHashes are within
    /// `simhash_distance` bits. Empty for an empty document.
    pub fn simhash_keys(&self, f: &Features) -> Vec<u64> {
        if f.simhash == SimHash::EMPTY {
            return Vec::new();
        }
        HammingIndex::new(self.an.config().copy.simhash_distance).keys(f.simhash).collect()
    }

    /// The rare salient terms of a document, rarest first, with their
    /// profile weights: documents sharing one are event-level candidates,
    /// ranked by the sum of the products of their weights.
    pub fn term_keys(&self, f: &Features) -> Vec<(u64, f32)> {
        f.rare_terms().collect()
    }

    /// The scores of one pair of documents.
    pub fn score(&self, a: &Features, b: &Features) -> PairScores {
        score_pair(a, b, self.an.config())
    }

    /// Labels of the documents of one component (or any set of documents)
    /// from their scored pairs, by the detector's linkage, threshold and
    /// cohesion guard; `weights[i]` is how many identical documents
    /// document `i` stands for (1 for each, without collapsing). Labels are
    /// dense, numbered by first member.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidParameter`](crate::ErrorKind::InvalidParameter)
    /// when a weight is 0, the weights add up to more than `max_documents`,
    /// or a pair names a document out of range or
    /// itself, or has a similarity that is not finite (a pair given twice
    /// counts with its larger similarity).
    pub fn cluster_component(&self, weights: &[u64], pairs: &[ScoredPair]) -> Result<Vec<u32>, Error> {
        let cfg = self.an.config();
        if let Some(i) = weights.iter().position(|&w| w == 0) {
            return Err(Error::param("weights", format!("weight {i} is 0; every document weighs at least 1")));
        }
        // Cluster sizes are sums of weights: they must stay counts of documents.
        let total = weights.iter().try_fold(0u64, |t, &w| t.checked_add(w));
        if total.is_none_or(|t| t > cfg.limits.max_documents as u64) {
            return Err(Error::param(
                "weights",
                format!("the weights add up to more than max_documents ({})", cfg.limits.max_documents),
            ));
        }
        let n = weights.len();
        let mut edges = Vec::with_capacity(pairs.len());
        for p in pairs {
            check_pair(p.a, p.b, n)?;
            let s = p.scores.similarity;
            if !s.is_finite() {
                return Err(Error::param("pairs", format!("pair ({}, {}) has similarity {s}", p.a, p.b)));
            }
            if s > 0.0 {
                edges.push((p.a, p.b, f64::from(s)));
            }
        }
        Ok(cluster::labels(weights, &edges, cfg.story.threshold, cfg.story.linkage, cfg.story.cohesion_guard))
    }

    /// Everything after the features, as [`Detector::cluster`](crate::Detector::cluster) runs it:
    /// exact duplicates collapsed, candidates (at most `candidate_limit`
    /// event-level ones per document), scores, date inheritance and
    /// clustering. `ids` names the documents of `feats`, in order;
    /// `corpus_docs` is the number of documents the statistics were
    /// learned from ([`CorpusStats::docs`]).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidParameter`](crate::ErrorKind::InvalidParameter)
    /// when `ids` and `feats` differ in length, an id repeats or features
    /// come from a detector of another sketch size, and
    /// [`ErrorKind::TooManyDocuments`](crate::ErrorKind::TooManyDocuments).
    pub fn cluster_features(
        &self,
        ids: Vec<String>,
        feats: Vec<Features>,
        corpus_docs: u64,
    ) -> Result<Clustering, Error> {
        let cfg = self.an.config();
        if ids.len() != feats.len() {
            return Err(Error::param("ids", format!("{} ids for {} features", ids.len(), feats.len())));
        }
        admit::check_count(&cfg.limits, ids.len())?;
        let num_perm = cfg.sketch.num_perm;
        if let Some(i) = feats.iter().position(|f| f.minhash.slots().len() != num_perm) {
            return Err(Error::param(
                "feats",
                format!("features {i} have a sketch of another size than num_perm ({num_perm}): another detector's"),
            ));
        }
        let mut seen = rustc_hash::FxHashSet::default();
        if let Some(id) = ids.iter().find(|id| !seen.insert(id.as_str())) {
            return Err(Error::param("ids", format!("id {id:?} repeats")));
        }
        Ok(batch::cluster_features(cfg, ids, feats, corpus_docs))
    }
}

fn check_pair(a: u32, b: u32, n: usize) -> Result<(), Error> {
    if a as usize >= n || b as usize >= n || a == b {
        return Err(Error::param("pairs", format!("pair ({a}, {b}) is not two documents of 0..{n}")));
    }
    Ok(())
}
