//! Scores: explicit numbers for a candidate pair, and the same-story decision
//! (see [`PairScores`]).

use crate::features::Features;
use crate::params::Config;
use crate::shingle::Fingerprints;

/// The scores of one pair of documents.
///
/// Every candidate pair gets, from the two documents' [`Features`]:
///
/// | score | estimates | used for |
/// |---|---|---|
/// | `jaccard_estimate` | Jaccard resemblance of the shingle sets (MinHash, ±`sqrt(J(1−J)/k)`) | reported; LSH candidates |
/// | `jaccard` | the exact Jaccard resemblance of the shingle sets | copy decision |
/// | `containment` | exact `\|A∩B\| / min(\|A\|,\|B\|)`: a wire lead inside a longer page scores high | copy decision |
/// | `simhash_distance` | Hamming distance of the 64-bit SimHashes (cosine of the shingle vectors ≈ `cos(π·d/64)`) | copy decision (near-exact) |
/// | `cosine` | exact cosine of the salient-term profiles | event decision |
/// | `days_apart` | distance of the two dates, when both are known | event decision |
///
/// **The decision.** A pair is a *copy* when the two share their main
/// text: `jaccard ≥ copy_threshold`, or `containment ≥
/// containment_threshold` with the smaller set holding at least
/// `min_containment_shingles` shingles, *and* each document's lead (the
/// first 24 shingles of its content, where its main story starts) is
/// partly (a quarter) in the other; or when they are near-identical (`jaccard ≥ 0.8`,
/// or SimHashes within `simhash_distance` bits). Shared text without the
/// leads (a page carrying another story's paragraphs further down) makes
/// the pair `related`, not a copy. Its *event similarity* is the profile cosine when
/// the dates are within `date_window_days` (or either is unknown), else the
/// cosine times `outside_window_factor`; 0 when `events` is off.
/// The pair's **similarity** is the larger of the event similarity and, for a
/// copy, `max(jaccard, containment)` raised to at least `story_threshold` (a
/// copy is always the same story). Two documents are the same story when
/// their similarity reaches `story_threshold`; clusters apply the same
/// threshold to the *average* similarity between two groups
/// (see `DESIGN.md`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PairScores {
    /// MinHash estimate of the shingle Jaccard.
    pub jaccard_estimate: f32,
    /// Exact shingle Jaccard.
    pub jaccard: f32,
    /// Exact shingle containment (of the smaller set in the larger).
    pub containment: f32,
    /// SimHash Hamming distance (64 when either document is empty).
    pub simhash_distance: u32,
    /// Exact cosine of the salient-term profiles.
    pub cosine: f32,
    /// Days between the two dates, when both are known.
    pub days_apart: Option<u32>,
    /// The pair is a copy (shared text), by the copy rule.
    pub copy: bool,
    /// The pair shares text that is not the main text of both: one page
    /// carries part of the other's story further down (containment reaches
    /// the copy threshold, but a lead is not shared). Related, not a copy.
    pub related: bool,
    /// The combined similarity the clustering uses.
    pub similarity: f32,
}

/// Scores a pair of documents.
pub(crate) fn score_pair(a: &Features, b: &Features, cfg: &Config) -> PairScores {
    let (jaccard, containment) = a.shingles.jaccard_and_containment(&b.shingles);
    let jaccard_estimate = a.minhash.estimate_jaccard(&b.minhash).unwrap_or(0.0);
    let both = !a.shingles.is_empty() && !b.shingles.is_empty();
    let simhash_distance = if both { a.simhash.hamming(b.simhash) } else { 64 };
    let cosine = a.profile.cosine(&b.profile);
    let days_apart = match (a.date, b.date) {
        (Some(x), Some(y)) => Some(x.days_since(y).unsigned_abs()),
        _ => None,
    };
    let min_len = a.shingles.len().min(b.shingles.len());
    // Shared text makes a copy only when it is the main text of both: each
    // lead is (mostly) in the other, unless the two are near-identical.
    let contained = containment >= cfg.copy.containment && min_len >= cfg.copy.min_containment_shingles;
    let resembles = jaccard >= cfg.copy.jaccard;
    let leads = || lead_in(&a.lead, &b.shingles) && lead_in(&b.lead, &a.shingles);
    let copy = both
        && (jaccard >= NEAR_IDENTICAL
            || simhash_distance <= cfg.copy.simhash_distance
            || ((resembles || contained) && leads()));
    let related = both && (resembles || contained) && !copy;
    let in_window = match (days_apart, cfg.dates.window_days) {
        (Some(d), Some(w)) => d <= w,
        _ => true,
    };
    let event = match (cfg.levels.events, in_window) {
        (false, _) => 0.0,
        (true, true) => cosine,
        (true, false) => cosine * cfg.dates.outside_window_factor,
    };
    let copy_sim = if copy { jaccard.max(containment).max(cfg.story.threshold) } else { 0.0 };
    PairScores {
        jaccard_estimate: jaccard_estimate as f32,
        jaccard: jaccard as f32,
        containment: containment as f32,
        simhash_distance,
        cosine: cosine as f32,
        days_apart,
        copy,
        related,
        similarity: event.max(copy_sim) as f32,
    }
}

/// Jaccard at which two documents are copies whatever their leads
/// (near-identical: a few words apart), and are collapsed before candidates.
pub(crate) const NEAR_IDENTICAL: f64 = 0.8;

/// At least a quarter of `lead`'s fingerprints are in `set` (a copy editor
/// who changed a few words of a lead changed up to five shingles each; a
/// page whose main story is another shares none of its lead).
fn lead_in(lead: &[u32], set: &Fingerprints) -> bool {
    let found = lead.iter().filter(|&&x| set.as_slice().binary_search(&x).is_ok()).count();
    4 * found >= lead.len()
}
