//! Clustering quality metrics: how well a predicted story clustering matches
//! gold (hand-labelled) clusters.
//!
//! All metrics are computed over the gold documents:
//!
//! * **Pairwise precision / recall / F1** over unordered same-cluster pairs:
//!   a pair of documents is *predicted* if both are in the same predicted
//!   cluster, *gold* if both are in the same gold cluster, and *true* if
//!   both.
//! * **Adjusted Rand index** (Hubert & Arabie 1985, "Comparing partitions",
//!   *Journal of Classification* 2:193–218): pair agreement corrected for
//!   chance; 1.0 for identical partitions, about 0.0 for random ones, and
//!   possibly negative.
//! * **B-cubed precision / recall / F1** (Bagga & Baldwin 1998, "Algorithms
//!   for scoring coreference chains"; Amigó, Gonzalo, Artiles & Verdejo 2009,
//!   "A comparison of extrinsic clustering evaluation metrics based on formal
//!   constraints", *Information Retrieval* 12:461–486): for each document
//!   `d` with predicted cluster `C(d)` and gold cluster `G(d)`, precision is
//!   `|C(d) ∩ G(d)| / |C(d)|` and recall is `|C(d) ∩ G(d)| / |G(d)|`; both
//!   are averaged over documents, and F1 is the harmonic mean of the two
//!   averages.
//!
//! The conventions are exactly those of the reference scorer, so results
//! agree with it to floating-point rounding (and usually bit for bit):
//!
//! * pairwise precision is 1.0 when the prediction has no same-cluster pair
//!   (nothing claimed, nothing wrong); recall is 1.0 when gold has none;
//!   an F1 is 0.0 when precision + recall = 0;
//! * the ARI is 1.0 with fewer than two documents; when its denominator is 0
//!   (both partitions trivial) it is 1.0 if the partitions are identical and
//!   0.0 otherwise (the scikit-learn convention);
//! * a gold document missing from the prediction counts as a singleton
//!   cluster of its own;
//! * predicted ids that are not in gold are ignored, but counted in
//!   [`Scores::extra_in_prediction`];
//! * with no documents at all, every B-cubed metric is 1.0;
//! * labels are compared as strings (so the labels `1` and `"1"` of a JSON
//!   file are the same label once rendered as strings);
//! * duplicate ids on either side are an error.
//!
//! Pair counts are computed with integers (`u64`/`u128`) and converted to
//! `f64` only for the final ratios, so large inputs cannot overflow.

use std::fmt;
use std::hash::Hash;

// Keys of these maps are in-memory only, never persisted, so Fx's unkeyed hash is fine.
use rustc_hash::FxHashMap;

/// Metrics of a predicted clustering against gold labels.
///
/// Produced by [`score`] and [`score_labels`]; see the
/// [module documentation](self) for definitions and conventions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    /// Pairwise precision: true pairs / predicted pairs (1.0 if there are no
    /// predicted pairs).
    pub precision: f64,
    /// Pairwise recall: true pairs / gold pairs (1.0 if there are no gold
    /// pairs).
    pub recall: f64,
    /// Harmonic mean of [`precision`](Self::precision) and
    /// [`recall`](Self::recall) (0.0 if both are 0).
    pub f1: f64,
    /// Adjusted Rand index (Hubert & Arabie 1985).
    pub ari: f64,
    /// B-cubed precision, averaged over gold documents.
    pub bcubed_precision: f64,
    /// B-cubed recall, averaged over gold documents.
    pub bcubed_recall: f64,
    /// Harmonic mean of the B-cubed precision and recall (0.0 if both are 0).
    pub bcubed_f1: f64,
    /// Number of scored (gold) documents.
    pub docs: usize,
    /// Number of distinct gold clusters.
    pub gold_clusters: usize,
    /// Number of predicted clusters among the gold documents, each missing
    /// document counting as a singleton cluster.
    pub predicted_clusters: usize,
    /// Unordered document pairs in the same gold cluster (saturates at
    /// `u64::MAX`).
    pub gold_pairs: u64,
    /// Unordered document pairs in the same predicted cluster (saturates at
    /// `u64::MAX`).
    pub predicted_pairs: u64,
    /// Unordered document pairs in the same cluster in both gold and
    /// prediction (saturates at `u64::MAX`).
    pub true_pairs: u64,
    /// Gold documents absent from the prediction (scored as singletons).
    pub missing_in_prediction: usize,
    /// Predicted ids absent from gold (ignored when scoring).
    pub extra_in_prediction: usize,
}

impl Scores {
    /// Render the scores as a one-line JSON object with the keys (sorted,
    /// and spaced, as the reference scorer prints them): `ari`, `bcubed_f1`,
    /// `bcubed_precision`, `bcubed_recall`, `extra_in_pred`, `gold_pairs`,
    /// `missing_in_pred`, `n_docs`, `n_gold_clusters`, `n_pred_clusters`,
    /// `pair_f1`, `pair_precision`, `pair_recall`, `pred_pairs`, `tp_pairs`.
    ///
    /// Floats are written in shortest round-trip form (the exponent
    /// spelling may differ from Python's, e.g. `1e-5` rather than `1e-05`,
    /// but the values parse identically). A non-finite float, which the
    /// metrics never produce, would be written as `null`.
    #[must_use]
    pub fn to_json(&self) -> String {
        format!(
            "{{\"ari\": {}, \"bcubed_f1\": {}, \"bcubed_precision\": {}, \
             \"bcubed_recall\": {}, \"extra_in_pred\": {}, \"gold_pairs\": {}, \
             \"missing_in_pred\": {}, \"n_docs\": {}, \"n_gold_clusters\": {}, \
             \"n_pred_clusters\": {}, \"pair_f1\": {}, \"pair_precision\": {}, \
             \"pair_recall\": {}, \"pred_pairs\": {}, \"tp_pairs\": {}}}",
            json_f64(self.ari),
            json_f64(self.bcubed_f1),
            json_f64(self.bcubed_precision),
            json_f64(self.bcubed_recall),
            self.extra_in_prediction,
            self.gold_pairs,
            self.missing_in_prediction,
            self.docs,
            self.gold_clusters,
            self.predicted_clusters,
            json_f64(self.f1),
            json_f64(self.precision),
            json_f64(self.recall),
            self.predicted_pairs,
            self.true_pairs,
        )
    }
}

/// A JSON number for `x` (`{:?}` is the shortest round-trip form and always
/// contains a `.` or an exponent), or `null` if `x` is not finite.
fn json_f64(x: f64) -> String {
    if x.is_finite() { format!("{x:?}") } else { "null".to_owned() }
}

/// Which input a problem was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// The gold (reference) labelling.
    Gold,
    /// The predicted labelling.
    Prediction,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Gold => "gold",
            Self::Prediction => "prediction",
        })
    }
}

/// Why a clustering could not be scored.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EvalError {
    /// The same document id occurs twice in one input.
    DuplicateId {
        /// The input containing the duplicate.
        side: Side,
        /// The duplicated id.
        id: String,
    },
    /// Dense label vectors of different lengths were given to
    /// [`score_labels`].
    LengthMismatch {
        /// Length of the gold labels.
        gold: usize,
        /// Length of the predicted labels.
        pred: usize,
    },
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DuplicateId { side, id } => write!(f, "duplicate {side} id {id:?}"),
            Self::LengthMismatch { gold, pred } => {
                write!(f, "label vectors differ in length: {gold} gold labels, {pred} predicted labels")
            }
        }
    }
}

impl std::error::Error for EvalError {}

/// Score a prediction given as `(id, cluster label)` pairs against gold
/// `(id, cluster label)` pairs. Labels are compared as strings.
///
/// Only gold documents are scored: a gold id missing from `pred` is scored
/// as a singleton cluster, and predicted ids not in gold are ignored (and
/// counted in [`Scores::extra_in_prediction`]). Gold is iterated in the
/// given order; given the rows in file order, the floating-point results
/// equal the reference scorer's bit for bit.
///
/// # Errors
///
/// [`EvalError::DuplicateId`] if an id occurs twice in `gold`
/// ([`Side::Gold`], checked first) or twice in `pred`
/// ([`Side::Prediction`]), naming the first repeated id.
///
/// # Examples
///
/// ```
/// use samestory_tools::eval::score;
///
/// let gold = [("a", "storm"), ("b", "storm"), ("c", "vote")];
/// // "c" is missing (a singleton); "z" is not in gold (ignored).
/// let pred = [("a", "1"), ("b", "1"), ("z", "1")];
/// let s = score(gold, pred)?;
/// assert_eq!((s.precision, s.recall, s.ari), (1.0, 1.0, 1.0));
/// assert_eq!((s.missing_in_prediction, s.extra_in_prediction), (1, 1));
/// # Ok::<(), samestory_tools::eval::EvalError>(())
/// ```
pub fn score<'a>(
    gold: impl IntoIterator<Item = (&'a str, &'a str)>,
    pred: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Scores, EvalError> {
    // Gold: ids in order, labels interned to dense cluster indices.
    let gold = gold.into_iter();
    let mut gold_ids: FxHashMap<&str, ()> = FxHashMap::with_capacity_and_hasher(gold.size_hint().0, Default::default());
    let mut gold_interner = Interner::default();
    let mut docs: Vec<(&str, usize)> = Vec::with_capacity(gold.size_hint().0);
    for (id, label) in gold {
        if gold_ids.insert(id, ()).is_some() {
            return Err(EvalError::DuplicateId { side: Side::Gold, id: id.to_owned() });
        }
        docs.push((id, gold_interner.intern(label)));
    }

    // Prediction: id -> label, rejecting duplicates among all rows.
    let pred = pred.into_iter();
    let mut pred_map: FxHashMap<&str, &str> =
        FxHashMap::with_capacity_and_hasher(pred.size_hint().0, Default::default());
    for (id, label) in pred {
        if pred_map.insert(id, label).is_some() {
            return Err(EvalError::DuplicateId { side: Side::Prediction, id: id.to_owned() });
        }
    }
    let extra = pred_map.keys().filter(|id| !gold_ids.contains_key(*id)).count();

    // Predicted cluster of each gold document; a missing one gets a fresh
    // cluster of its own, which can never collide with a real label.
    let mut pred_interner = Interner::default();
    let mut missing = 0usize;
    let mut gold_labels = Vec::with_capacity(docs.len());
    let mut pred_labels = Vec::with_capacity(docs.len());
    for &(id, g) in &docs {
        gold_labels.push(g);
        pred_labels.push(match pred_map.get(id) {
            Some(label) => pred_interner.intern(*label),
            None => {
                missing += 1;
                pred_interner.fresh()
            }
        });
    }

    Ok(compute(&gold_labels, gold_interner.len(), &pred_labels, pred_interner.len(), missing, extra))
}

/// Score dense label vectors: `gold[i]` and `pred[i]` are the cluster labels
/// of document `i` (any `Eq + Hash` label types; the two sides need not
/// share a type). Nothing can be missing or extra here.
///
/// # Errors
///
/// [`EvalError::LengthMismatch`] if `gold` and `pred` differ in length.
///
/// # Examples
///
/// ```
/// use samestory_tools::eval::score_labels;
///
/// // Gold {0,1,2},{3,4}; prediction {0,1},{2,3,4}.
/// let s = score_labels(&[7, 7, 7, 9, 9], &["A", "A", "B", "B", "B"])?;
/// assert_eq!((s.true_pairs, s.predicted_pairs, s.gold_pairs), (2, 4, 4));
/// assert!((s.ari - 1.0 / 6.0).abs() < 1e-12);
/// # Ok::<(), samestory_tools::eval::EvalError>(())
/// ```
pub fn score_labels<G: Eq + Hash, P: Eq + Hash>(gold: &[G], pred: &[P]) -> Result<Scores, EvalError> {
    if gold.len() != pred.len() {
        return Err(EvalError::LengthMismatch { gold: gold.len(), pred: pred.len() });
    }
    let mut gold_interner = Interner::default();
    let gold_labels: Vec<usize> = gold.iter().map(|g| gold_interner.intern(g)).collect();
    let mut pred_interner = Interner::default();
    let pred_labels: Vec<usize> = pred.iter().map(|p| pred_interner.intern(p)).collect();
    Ok(compute(&gold_labels, gold_interner.len(), &pred_labels, pred_interner.len(), 0, 0))
}

/// Maps labels to dense indices `0, 1, 2, …` in order of first appearance.
struct Interner<K> {
    map: FxHashMap<K, usize>,
    next: usize,
}

impl<K> Default for Interner<K> {
    fn default() -> Self {
        Self { map: FxHashMap::default(), next: 0 }
    }
}

impl<K: Eq + Hash> Interner<K> {
    /// The index of `key`, assigning the next one on first sight.
    fn intern(&mut self, key: K) -> usize {
        let next = &mut self.next;
        *self.map.entry(key).or_insert_with(|| {
            let i = *next;
            *next += 1;
            i
        })
    }

    /// A new index shared with no key.
    fn fresh(&mut self) -> usize {
        let i = self.next;
        self.next += 1;
        i
    }

    /// Number of indices handed out.
    fn len(&self) -> usize {
        self.next
    }
}

/// Unordered pairs among `n` items, `n (n - 1) / 2`, exactly.
fn comb2(n: usize) -> u128 {
    let n = n as u128;
    n * n.saturating_sub(1) / 2
}

/// `num / den` as the correctly rounded `f64` when `num < 2^53` (as Python's
/// integer true division), and within an ulp or so otherwise. `den > 0`.
fn ratio(num: u128, den: u128) -> f64 {
    const EXACT: u128 = 1 << 53;
    if num < EXACT && den < EXACT {
        num as f64 / den as f64
    } else {
        (num / den) as f64 + (num % den) as f64 / den as f64
    }
}

/// Harmonic mean with the 0.0-when-both-zero convention, evaluated in the
/// reference scorer's order.
fn harmonic(p: f64, r: f64) -> f64 {
    if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
}

/// Saturating `u128` → `u64` for the reported pair counts.
fn sat_u64(x: u128) -> u64 {
    u64::try_from(x).unwrap_or(u64::MAX)
}

/// All metrics from dense cluster indices (`gold[i] < n_gold`,
/// `pred[i] < n_pred`, equal lengths).
fn compute(gold: &[usize], n_gold: usize, pred: &[usize], n_pred: usize, missing: usize, extra: usize) -> Scores {
    let n = gold.len();

    // Contingency table in order of first appearance (the order the
    // reference scorer sums in), plus the marginals.
    let mut cell_index: FxHashMap<(usize, usize), usize> = FxHashMap::default();
    let mut cells: Vec<(usize, usize, usize)> = Vec::new(); // (pred, gold, count)
    let mut gold_size = vec![0usize; n_gold];
    let mut pred_size = vec![0usize; n_pred];
    for (&g, &p) in gold.iter().zip(pred) {
        gold_size[g] += 1;
        pred_size[p] += 1;
        let next = cells.len();
        let at = *cell_index.entry((p, g)).or_insert(next);
        if at == next {
            cells.push((p, g, 1));
        } else {
            cells[at].2 += 1;
        }
    }

    let tp: u128 = cells.iter().map(|&(_, _, v)| comb2(v)).sum();
    let pred_pairs: u128 = pred_size.iter().map(|&s| comb2(s)).sum();
    let gold_pairs: u128 = gold_size.iter().map(|&s| comb2(s)).sum();
    let total_pairs = comb2(n);

    let precision = if pred_pairs == 0 { 1.0 } else { ratio(tp, pred_pairs) };
    let recall = if gold_pairs == 0 { 1.0 } else { ratio(tp, gold_pairs) };
    let f1 = harmonic(precision, recall);

    let ari = if total_pairs == 0 {
        1.0
    } else {
        let expected = match pred_pairs.checked_mul(gold_pairs) {
            Some(prod) => ratio(prod, total_pairs),
            None => pred_pairs as f64 * gold_pairs as f64 / total_pairs as f64,
        };
        let max_index = (pred_pairs + gold_pairs) as f64 / 2.0;
        let denom = max_index - expected;
        if denom == 0.0 {
            if tp == pred_pairs && pred_pairs == gold_pairs { 1.0 } else { 0.0 }
        } else {
            (tp as f64 - expected) / denom
        }
    };

    let (bcubed_precision, bcubed_recall, bcubed_f1) = if n == 0 {
        (1.0, 1.0, 1.0)
    } else {
        let mut bp = 0.0;
        let mut br = 0.0;
        for &(p, g, v) in &cells {
            let vv = v as u128 * v as u128;
            bp += ratio(vv, pred_size[p] as u128);
            br += ratio(vv, gold_size[g] as u128);
        }
        let bp = bp / n as f64;
        let br = br / n as f64;
        (bp, br, harmonic(bp, br))
    };

    Scores {
        precision,
        recall,
        f1,
        ari,
        bcubed_precision,
        bcubed_recall,
        bcubed_f1,
        docs: n,
        gold_clusters: n_gold,
        predicted_clusters: n_pred,
        gold_pairs: sat_u64(gold_pairs),
        predicted_pairs: sat_u64(pred_pairs),
        true_pairs: sat_u64(tp),
        missing_in_prediction: missing,
        extra_in_prediction: extra,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    fn pairs<'a>(v: &'a [(&'a str, &'a str)]) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        v.iter().copied()
    }

    #[test]
    fn perfect() {
        let g = [("a", "x"), ("b", "x"), ("c", "y"), ("d", "y"), ("e", "z")];
        // Same partition, different label names.
        let p = [("e", "3"), ("d", "2"), ("c", "2"), ("b", "1"), ("a", "1")];
        let s = score(pairs(&g), pairs(&p)).unwrap();
        assert_eq!(s.precision, 1.0);
        assert_eq!(s.recall, 1.0);
        assert_eq!(s.f1, 1.0);
        assert_eq!(s.ari, 1.0);
        assert_eq!(s.bcubed_precision, 1.0);
        assert_eq!(s.bcubed_recall, 1.0);
        assert_eq!(s.bcubed_f1, 1.0);
        assert_eq!((s.gold_pairs, s.predicted_pairs, s.true_pairs), (2, 2, 2));
        assert_eq!((s.docs, s.gold_clusters, s.predicted_clusters), (5, 3, 3));
        assert_eq!((s.missing_in_prediction, s.extra_in_prediction), (0, 0));
    }

    #[test]
    fn all_singletons_prediction() {
        // Gold {a,b,c},{d}; prediction all singletons.
        let g = [("a", "1"), ("b", "1"), ("c", "1"), ("d", "2")];
        let p = [("a", "a"), ("b", "b"), ("c", "c"), ("d", "d")];
        let s = score(pairs(&g), pairs(&p)).unwrap();
        assert_eq!((s.gold_pairs, s.predicted_pairs, s.true_pairs), (3, 0, 0));
        assert_eq!(s.precision, 1.0); // nothing claimed
        assert_eq!(s.recall, 0.0);
        assert!(close(s.f1, 0.0));
        // expected = 0, max = 1.5 -> ari = 0
        assert!(close(s.ari, 0.0));
        assert_eq!(s.bcubed_precision, 1.0);
        // recall: a,b,c each 1/3, d 1 -> (1 + 1) / 4
        assert!(close(s.bcubed_recall, 0.5));
        assert!(close(s.bcubed_f1, 2.0 * 0.5 / 1.5));
    }

    #[test]
    fn both_all_singletons_is_ari_one() {
        // ARI denominator is 0 and partitions identical -> 1.0.
        let s = score_labels(&[1, 2, 3], &["a", "b", "c"]).unwrap();
        assert_eq!((s.gold_pairs, s.predicted_pairs, s.true_pairs), (0, 0, 0));
        assert_eq!(s.ari, 1.0);
        assert_eq!(s.precision, 1.0);
        assert_eq!(s.recall, 1.0);
        assert_eq!(s.f1, 1.0);
    }

    #[test]
    fn ari_denominator_zero_convention() {
        // denom = P (T - G) / 2T + G (T - P) / 2T vanishes only when both
        // partitions are trivial in the same way (P = G = 0 or P = G = T),
        // where the convention gives 1.0 as tp == P == G.
        // Both one cluster: P = G = T = 3.
        let s = score_labels(&[0, 0, 0], &[7, 7, 7]).unwrap();
        assert_eq!((s.gold_pairs, s.predicted_pairs, s.true_pairs), (3, 3, 3));
        assert_eq!(s.ari, 1.0);
        // Missing ids make both sides all singletons: P = G = 0.
        let s = score(pairs(&[("a", "1"), ("b", "2")]), pairs(&[])).unwrap();
        assert_eq!(s.missing_in_prediction, 2);
        assert_eq!(s.ari, 1.0);
        // Opposite trivial partitions: denominator 1.5, not 0 -> ARI 0.
        let s = score_labels(&[0, 1, 2], &[7, 7, 7]).unwrap();
        assert_eq!(s.ari, 0.0);
        let s = score_labels(&[0, 0], &[0, 1]).unwrap();
        assert_eq!(s.ari, 0.0);
        // A single document (no pairs at all) -> 1.0.
        assert_eq!(score_labels(&[0], &[5]).unwrap().ari, 1.0);
    }

    #[test]
    fn one_big_cluster_prediction() {
        // Gold {a,b},{c,d}; prediction one cluster of 4.
        let s = score_labels(&["x", "x", "y", "y"], &[0, 0, 0, 0]).unwrap();
        assert_eq!((s.gold_pairs, s.predicted_pairs, s.true_pairs), (2, 6, 2));
        assert!(close(s.precision, 2.0 / 6.0));
        assert_eq!(s.recall, 1.0);
        assert!(close(s.f1, 0.5));
        // expected = 6 * 2 / 6 = 2, max = 4 -> (2 - 2) / 2 = 0
        assert!(close(s.ari, 0.0));
        assert!(close(s.bcubed_precision, 0.5));
        assert_eq!(s.bcubed_recall, 1.0);
        assert!(close(s.bcubed_f1, 2.0 / 3.0));
        assert_eq!((s.gold_clusters, s.predicted_clusters), (2, 1));
    }

    #[test]
    fn hand_computed_ari() {
        // Gold {0,1,2},{3,4}; prediction {0,1},{2,3,4}.
        // Cells: (A,x)=2, (B,x)=1, (B,y)=2 -> tp = 1 + 0 + 1 = 2.
        // pred pairs = 1 + 3 = 4, gold pairs = 3 + 1 = 4, total = 10.
        // expected = 1.6, max = 4, ari = 0.4 / 2.4 = 1/6.
        let s = score_labels(&[0, 0, 0, 1, 1], &["A", "A", "B", "B", "B"]).unwrap();
        assert_eq!((s.gold_pairs, s.predicted_pairs, s.true_pairs), (4, 4, 2));
        assert!(close(s.precision, 0.5));
        assert!(close(s.recall, 0.5));
        assert!(close(s.ari, 1.0 / 6.0));
        // B-cubed precision: 4/2 + 1/3 + 4/3 = 11/3, / 5
        assert!(close(s.bcubed_precision, 11.0 / 15.0));
        // B-cubed recall: 4/3 + 1/3 + 4/2 = 11/3, / 5
        assert!(close(s.bcubed_recall, 11.0 / 15.0));
    }

    #[test]
    fn missing_ids_are_singletons() {
        // Gold {a,b,c}; prediction has a,b together, c missing.
        let g = [("a", "1"), ("b", "1"), ("c", "1")];
        let p = [("a", "k"), ("b", "k")];
        let s = score(pairs(&g), pairs(&p)).unwrap();
        assert_eq!(s.missing_in_prediction, 1);
        assert_eq!(s.predicted_clusters, 2);
        assert_eq!((s.gold_pairs, s.predicted_pairs, s.true_pairs), (3, 1, 1));
        assert_eq!(s.precision, 1.0);
        assert!(close(s.recall, 1.0 / 3.0));
        // A missing id never joins a real cluster, even one labelled
        // with its own id.
        let p = [("a", "c"), ("b", "c")];
        let s2 = score(pairs(&g), pairs(&p)).unwrap();
        assert_eq!(s, s2);
        // Two missing ids do not share a cluster.
        let s3 = score(pairs(&g), pairs(&[("a", "k")])).unwrap();
        assert_eq!(s3.predicted_pairs, 0);
        assert_eq!(s3.missing_in_prediction, 2);
    }

    #[test]
    fn extra_ids_are_ignored_but_counted() {
        let g = [("a", "1"), ("b", "1")];
        let p = [("a", "k"), ("z", "k"), ("b", "k"), ("y", "q")];
        let s = score(pairs(&g), pairs(&p)).unwrap();
        assert_eq!(s.extra_in_prediction, 2);
        assert_eq!(s.docs, 2);
        assert_eq!((s.gold_pairs, s.predicted_pairs, s.true_pairs), (1, 1, 1));
        assert_eq!(s.ari, 1.0);
    }

    #[test]
    fn empty_inputs() {
        let s = score(pairs(&[]), pairs(&[("x", "1")])).unwrap();
        assert_eq!(s.docs, 0);
        assert_eq!(s.extra_in_prediction, 1);
        for m in [s.precision, s.recall, s.f1, s.ari, s.bcubed_precision, s.bcubed_recall, s.bcubed_f1] {
            assert_eq!(m, 1.0);
        }
        let e: [u8; 0] = [];
        assert_eq!(score_labels(&e, &e).unwrap(), s_with_extra(s, 0));
    }

    fn s_with_extra(mut s: Scores, extra: usize) -> Scores {
        s.extra_in_prediction = extra;
        s
    }

    #[test]
    fn duplicate_ids() {
        let g = [("a", "1"), ("b", "1"), ("a", "2")];
        let err = score(pairs(&g), pairs(&[])).unwrap_err();
        assert_eq!(err, EvalError::DuplicateId { side: Side::Gold, id: "a".to_owned() });
        assert_eq!(err.to_string(), "duplicate gold id \"a\"");

        // Prediction duplicates are errors even for ids not in gold.
        let g = [("a", "1")];
        let p = [("a", "1"), ("zz", "1"), ("zz", "2")];
        let err = score(pairs(&g), pairs(&p)).unwrap_err();
        assert_eq!(err, EvalError::DuplicateId { side: Side::Prediction, id: "zz".to_owned() });
        assert_eq!(err.to_string(), "duplicate prediction id \"zz\"");
    }

    #[test]
    fn length_mismatch() {
        let err = score_labels(&[1, 2, 3], &[1, 2]).unwrap_err();
        assert_eq!(err, EvalError::LengthMismatch { gold: 3, pred: 2 });
        assert!(err.to_string().contains("3 gold"));
    }

    #[test]
    fn score_and_score_labels_agree() {
        let gl = ["x", "x", "y", "x", "z", "y"];
        let pl = ["1", "2", "2", "1", "1", "3"];
        let ids = ["a", "b", "c", "d", "e", "f"];
        let g: Vec<(&str, &str)> = ids.iter().copied().zip(gl).collect();
        let p: Vec<(&str, &str)> = ids.iter().copied().zip(pl).collect();
        assert_eq!(score(g.iter().copied(), p.iter().copied()).unwrap(), score_labels(&gl, &pl).unwrap());
    }

    #[test]
    fn json_keys_and_values() {
        let s = score_labels(&[0, 0, 0, 1, 1], &["A", "A", "B", "B", "B"]).unwrap();
        let j = s.to_json();
        assert!(!j.contains('\n'));
        assert!(j.starts_with("{\"ari\": 0.16666666666666"));
        for key in [
            "\"bcubed_f1\": ",
            "\"extra_in_pred\": 0",
            "\"gold_pairs\": 4",
            "\"missing_in_pred\": 0",
            "\"n_docs\": 5",
            "\"n_gold_clusters\": 2",
            "\"n_pred_clusters\": 2",
            "\"pair_f1\": 0.5",
            "\"pair_precision\": 0.5",
            "\"pair_recall\": 0.5",
            "\"pred_pairs\": 4",
            "\"tp_pairs\": 2}",
        ] {
            assert!(j.contains(key), "{key} not in {j}");
        }
        assert_eq!(json_f64(1.0), "1.0");
        assert_eq!(json_f64(f64::NAN), "null");
    }

    #[test]
    fn huge_counts_do_not_overflow() {
        // Pair arithmetic for ~2^40 documents, without materialising them.
        let n = 1usize << 40;
        assert_eq!(comb2(n), (n as u128) * (n as u128 - 1) / 2);
        assert_eq!(comb2(0), 0);
        assert_eq!(comb2(1), 0);
        let r = ratio(comb2(n), comb2(n) * 2);
        assert!(close(r, 0.5));
        assert_eq!(sat_u64(u128::MAX), u64::MAX);
    }
}
