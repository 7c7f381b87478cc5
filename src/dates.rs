//! Dates passed to undated documents: the one inheritance rule of the
//! batch and the tracker.
//!
//! An undated document takes the date of its most similar document that
//! has a date of its own (never one that was itself inherited, so nothing
//! chains) when their similarity reaches `inherit_date_similarity`; ties go
//! to the earlier document (by input order in a batch, by insertion in the
//! tracker). Its pairs are then rescored: a date may put a match outside
//! the date window.

use crate::clustering::ScoredPair;
use crate::features::Features;
use crate::params::Config;
use crate::score::score_pair;

/// Is a source of similarity `sim` and order `order` better than the
/// current best source, if any? Higher similarity wins; ties go to the
/// earlier document.
pub(crate) fn better_source(sim: f32, order: u64, best: Option<(f32, u64)>) -> bool {
    match best {
        None => true,
        Some((s, o)) => sim > s || (sim == s && order < o),
    }
}

/// Gives each undated document of a batch the date of its best source
/// among the scored pairs, then rescores the pairs of the documents that
/// got one.
pub(crate) fn inherit_dates(cfg: &Config, feats: &mut [Features], scored: &mut [ScoredPair]) {
    let Some(min) = cfg.dates.inherit_similarity else { return };
    let mut best: Vec<Option<(f32, u64)>> = vec![None; feats.len()];
    for p in scored.iter() {
        let sim = p.scores.similarity;
        if f64::from(sim) < min {
            continue;
        }
        for (x, y) in [(p.a, p.b), (p.b, p.a)] {
            if feats[x as usize].date.is_none()
                && feats[y as usize].date.is_some()
                && better_source(sim, u64::from(y), best[x as usize])
            {
                best[x as usize] = Some((sim, u64::from(y)));
            }
        }
    }
    let mut changed = vec![false; feats.len()];
    for (i, b) in best.iter().enumerate() {
        if let Some((_, j)) = *b {
            feats[i].date = feats[j as usize].date;
            changed[i] = true;
        }
    }
    for p in scored.iter_mut() {
        if changed[p.a as usize] || changed[p.b as usize] {
            p.scores = score_pair(&feats[p.a as usize], &feats[p.b as usize], cfg);
        }
    }
}
