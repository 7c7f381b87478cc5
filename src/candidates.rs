//! Candidate pairs: which documents are scored against which, for a batch
//! and for the tracker alike.
//!
//! * Copy level: documents sharing a MinHash LSH band key, or a SimHash
//!   block (within `simhash_distance` bits); a bucket of more than
//!   [`BUCKET_CAP`] documents pairs each with the next [`BUCKET_WINDOW`]
//!   only, so the pairs stay linear in the number of documents.
//! * Event level: documents sharing rare salient terms, ranked by the
//!   partial dot product of their profiles over those terms
//!   ([`term_candidates`]). Each document reads at most `candidate_budget`
//!   postings and proposes at most `candidate_limit` candidates, so the
//!   number of pairs stays linear in the number of documents.

use crate::features::Features;
use crate::hash::{derive_seed, domain};
use crate::lsh::{Accumulator, HammingIndex, TermIndex, band_key};
use crate::par;
use crate::params::Config;
use crate::simhash::SimHash;
use crate::text::Date;

/// Event-level candidates of one document from the term index: documents
/// sharing its rare terms, ranked by the partial dot product of the two
/// profiles over those terms (a lower bound of their cosine), kept when it
/// reaches `candidate_min_overlap`, at most `candidate_limit` of them. Pairs
/// further apart than the date window need two shared terms. `this` is the
/// document's own number in `terms`, if it is there.
pub(crate) fn term_candidates(
    cfg: &Config,
    this: Option<u32>,
    f: &Features,
    terms: &TermIndex,
    cap: usize,
    date: &dyn Fn(u32) -> Option<Date>,
    acc: &mut Accumulator,
) -> Vec<u32> {
    acc.clear();
    let mut budget = cfg.candidates.budget;
    for (t, w) in f.rare_terms() {
        let list = terms.postings(t);
        // Terms come rarest first (by document frequency when the features
        // were built); a later posting list may still be shorter.
        if list.len() > cap || list.len() > budget {
            continue;
        }
        budget -= list.len();
        acc.add_list(list, w, this);
    }
    // Keep a margin over the limit for candidates the date test drops.
    let ranked = acc.best(cfg.candidates.min_overlap as f32, cfg.candidates.limit.saturating_mul(2));
    // The date test looks at another document: do it only while walking the ranking.
    let far = |j: u32| match (cfg.dates.window_days, f.date, date(j)) {
        (Some(w), Some(x), Some(y)) => x.days_since(y).unsigned_abs() > w,
        _ => false,
    };
    // A fresh, right-sized vector: collecting from `ranked.into_iter()` would
    // reuse (and keep) the whole ranking's allocation for every document.
    let mut out = Vec::with_capacity(cfg.candidates.limit.min(ranked.len()));
    out.extend(
        ranked
            .iter()
            .filter(|&&(_, j, shared)| !far(j) || (cfg.dates.outside_window_factor > 0.0 && shared >= 2))
            .take(cfg.candidates.limit)
            .map(|&(_, j, _)| j),
    );
    out
}

/// Pushes every pair `(a, b)` of documents sharing a key in sorted `entries`
/// for which `keep(a, b)` holds.
fn push_runs(entries: &[(u64, u32)], pairs: &mut Vec<(u32, u32)>, keep: impl Fn(u32, u32) -> bool) {
    for run in entries.chunk_by(|x, y| x.0 == y.0).filter(|r| r.len() > 1) {
        // A bucket of more than BUCKET_CAP documents pairs each with the next BUCKET_WINDOW only.
        let window = if run.len() > BUCKET_CAP { BUCKET_WINDOW } else { run.len() };
        for (k, &(_, a)) in run.iter().enumerate() {
            let next = &run[k + 1..(k + 1 + window).min(run.len())];
            pairs.extend(next.iter().filter(|&&(_, b)| keep(a, b)).map(|&(_, b)| (a, b)));
        }
    }
}

/// The most documents of one LSH or SimHash bucket paired all with all.
/// Near-identical documents were collapsed before (`dedup`), so a bucket
/// this large holds many documents that share a passage but differ
/// otherwise (a paragraph reprinted on thousands of pages): each is then
/// paired with the next [`BUCKET_WINDOW`] of the bucket (in input order),
/// so one bucket of `m` documents gives at most `m · BUCKET_WINDOW` pairs,
/// never `m²/2`.
pub(crate) const BUCKET_CAP: usize = 256;

/// See [`BUCKET_CAP`].
pub(crate) const BUCKET_WINDOW: usize = 32;

/// Candidate pairs `(a, b)`, `a < b`, sorted, of a batch: LSH band
/// collisions, SimHash neighbours, and documents sharing a rare salient
/// term within the date window. `corpus_docs` is the number of documents
/// the statistics were learned from (more than `feats.len()` when exact
/// duplicates were collapsed): it sets how rare a term must be.
pub(crate) fn candidate_pairs(cfg: &Config, feats: &[Features], corpus_docs: u64) -> Vec<(u32, u32)> {
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    // Copy-level candidates by sorting, one band at a time: the (band key,
    // document) entries of a band, sorted, put documents sharing a key next
    // to each other. One band's entries at a time keep the memory at 16
    // bytes per document; no per-bucket allocations.
    let band_seed = derive_seed(cfg.sketch.seed, domain::BAND);
    let rows = cfg.lsh.rows;
    let mut entries: Vec<(u64, u32)> = Vec::with_capacity(feats.len());
    let mut deduped = 0;
    // Document ids are below u32::MAX (`max_documents`): the marker of an unbanded sketch.
    const NONE: u32 = u32::MAX;
    for band in 0..cfg.lsh.bands {
        let key = |i: usize, f: &Features| match f.minhash.slots().get(band * rows..(band + 1) * rows) {
            Some(slots) if !f.minhash.is_empty() => (band_key(slots, band_seed, band), i as u32),
            _ => (0, NONE),
        };
        // Filled in place, then the empty sketches dropped: no second buffer.
        entries.clear();
        entries.resize(feats.len(), (0, NONE));
        par::fill(&mut entries, feats, key);
        entries.retain(|e| e.1 != NONE);
        par::sort(&mut entries);
        push_runs(&entries, &mut pairs, |_, _| true);
        // A pair colliding in many bands is pushed once per band: dedup as it grows.
        if pairs.len() > 2 * deduped + (1 << 20) {
            par::sort(&mut pairs);
            pairs.dedup();
            deduped = pairs.len();
        }
    }
    let hamming = HammingIndex::new(cfg.copy.simhash_distance);
    entries.clear();
    for (i, f) in feats.iter().enumerate() {
        if f.simhash != SimHash::EMPTY {
            entries.extend(hamming.keys(f.simhash).map(|k| (k, i as u32)));
        }
    }
    par::sort(&mut entries);
    push_runs(&entries, &mut pairs, |a, b| {
        feats[a as usize].simhash.hamming(feats[b as usize].simhash) <= cfg.copy.simhash_distance
    });
    drop(entries);
    if !cfg.levels.events {
        par::sort(&mut pairs);
        pairs.dedup();
        pairs.shrink_to_fit();
        return pairs;
    }
    let terms = TermIndex::from_documents(feats.iter().map(Features::rare_terms));
    let cap = cfg.candidate_df_cap(corpus_docs) as usize;
    // The dates in one dense array: the date test reads up to twice
    // `candidate_limit` other documents per document, and each read from
    // the features would be a cache miss.
    let dates: Vec<Option<Date>> = feats.iter().map(|f| f.date).collect();
    let date = |j: u32| dates[j as usize];
    let chosen = par::map_init(feats, |i, f, acc: &mut Accumulator| {
        term_candidates(cfg, Some(i as u32), f, &terms, cap, &date, acc)
    });
    drop(terms);
    pairs.reserve(chosen.iter().map(Vec::len).sum());
    for (i, js) in chosen.into_iter().enumerate() {
        pairs.extend(js.into_iter().map(|j| ((i as u32).min(j), (i as u32).max(j))));
    }
    par::sort(&mut pairs);
    pairs.dedup();
    pairs.shrink_to_fit();
    pairs
}
