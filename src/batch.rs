//! The batch pipeline after the statistics: features, exact duplicates
//! collapsed, candidates, exact scores, date inheritance, clustering, and
//! the result expanded back to every document. Each input is freed as soon
//! as it is no longer needed.

use crate::candidates::candidate_pairs;
use crate::cluster;
use crate::clustering::{Clustering, ScoredPair};
use crate::dates::inherit_dates;
use crate::dedup::{self, Duplicates};
use crate::features::{Analyzer, Features};
use crate::learn::{Learned, features_of_runs};
use crate::par;
use crate::params::Config;
use crate::score::score_pair;

/// Clusters a learned batch: the statistics compacted, the features built
/// from the kept tokens, then [`cluster_features`].
pub(crate) fn cluster_learned(an: &Analyzer, ids: Vec<String>, learned: Learned) -> Clustering {
    let Learned { mut stats, runs, types } = learned;
    stats.compact();
    let feats = features_of_runs(an, runs, &types, &stats);
    drop(types);
    let corpus_docs = stats.docs();
    drop(stats);
    cluster_features(an.config(), ids, feats, corpus_docs)
}

/// Scores candidate pairs.
pub(crate) fn score_pairs(cfg: &Config, feats: &[Features], pairs: &[(u32, u32)]) -> Vec<ScoredPair> {
    par::map(pairs, |&(a, b)| ScoredPair { a, b, scores: score_pair(&feats[a as usize], &feats[b as usize], cfg) })
}

/// The pipeline after features. `corpus_docs` is the number of documents
/// the statistics were learned from.
pub(crate) fn cluster_features(cfg: &Config, ids: Vec<String>, feats: Vec<Features>, corpus_docs: u64) -> Clustering {
    let (mut feats, dups) = dedup::collapse(cfg, feats);
    let pairs = candidate_pairs(cfg, &feats, corpus_docs);
    let mut scored = score_pairs(cfg, &feats, &pairs);
    drop(pairs);
    inherit_dates(cfg, &mut feats, &mut scored);
    cluster_collapsed(cfg, ids, dups, feats, scored)
}

/// Clusters the scored pairs of representatives (positions in the
/// collapsed features) and expands the result to every document: labels,
/// and pairs in the original positions, with each copy paired with its
/// representative. Takes the features to free them before clustering.
fn cluster_collapsed(
    cfg: &Config,
    ids: Vec<String>,
    dups: Duplicates,
    rep_feats: Vec<Features>,
    pairs: Vec<ScoredPair>,
) -> Clustering {
    let (threshold, linkage, guard) = (cfg.story.threshold, cfg.story.linkage, cfg.story.cohesion_guard);
    let edges = |pairs: &[ScoredPair]| -> Vec<(u32, u32, f64)> {
        pairs.iter().filter(|p| p.scores.similarity > 0.0).map(|p| (p.a, p.b, f64::from(p.scores.similarity))).collect()
    };
    let n = dups.rep_of.len();
    if !dups.any() {
        par::drop_aside(rep_feats);
        let labels = cluster::labels(&vec![1; n], &edges(&pairs), threshold, linkage, guard);
        return Clustering::new(ids, labels, pairs, Vec::new(), guard);
    }
    par::drop_aside(rep_feats);
    let local = cluster::labels(&dups.weights, &edges(&pairs), threshold, linkage, guard);
    let mut node = vec![0u32; n];
    for (k, &r) in dups.reps.iter().enumerate() {
        node[r as usize] = k as u32;
    }
    let root: Vec<u32> = dups.rep_of.iter().map(|&r| local[node[r as usize] as usize]).collect();
    let labels = cluster::relabel(&root);
    let mut pairs: Vec<ScoredPair> = pairs
        .into_iter()
        .map(|p| ScoredPair { a: dups.reps[p.a as usize], b: dups.reps[p.b as usize], scores: p.scores })
        .collect();
    for (i, &r) in dups.rep_of.iter().enumerate() {
        if let Some(scores) = dups.scores[i] {
            pairs.push(ScoredPair { a: r, b: i as u32, scores });
        }
    }
    pairs.sort_unstable_by_key(|p| (p.a, p.b));
    Clustering::new(ids, labels, pairs, dups.rep_of, guard)
}
