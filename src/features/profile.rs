//! Salient-term profiles, for event-level similarity.
//!
//! Independent reports of one event share almost no 5-shingles, but they
//! share what the event is about: names, places, numbers, the rare words of
//! the story. A [`Profile`] is a sparse, L2-normalized vector of a document's
//! top-k terms (default 48) weighted by
//!
//! ```text
//! weight(t) = (1 + ln tf(t)) · idf(t) · boost(t)
//! ```
//!
//! where tf counts the term in the body plus `title_weight` per use in the
//! title, idf is learned from the corpus ([`crate::stats::CorpusStats::idf`]),
//! and boost multiplies names and numbers. [`Profile::cosine`] compares two
//! profiles *exactly* (a merge of two sorted lists of at most k entries).
//!
//! On labelled news a top-k profile keeps the accuracy of full TF-IDF
//! cosine, while a 64-bit SimHash of the same vector keeps almost none
//! (`DESIGN.md`): at the cosines where reports of one event sit, a sketch's
//! noise is as large as the signal. So the profile itself is stored
//! (k × 12 bytes) and compared exactly on candidate pairs.

/// A sparse, L2-normalized term vector, sorted by term hash.
///
/// Term hashes and weights are kept in two parallel arrays (12 bytes a term
/// instead of a padded 16).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    ids: Box<[u64]>,
    weights: Box<[f32]>,
}

impl Profile {
    /// Keeps the `k` heaviest of `weighted` terms (ties broken by term hash,
    /// so the result is deterministic), normalizes them to unit length and
    /// sorts them by term hash. Non-positive and non-finite weights are dropped.
    pub fn top_k(mut weighted: Vec<(u64, f64)>, k: usize) -> Profile {
        weighted.retain(|(_, w)| w.is_finite() && *w > 0.0);
        weighted.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        weighted.truncate(k);
        let norm = weighted.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
        let mut terms: Vec<(u64, f32)> = weighted.into_iter().map(|(t, w)| (t, (w / norm) as f32)).collect();
        terms.sort_unstable_by_key(|&(t, _)| t);
        Profile { ids: terms.iter().map(|t| t.0).collect(), weights: terms.iter().map(|t| t.1).collect() }
    }

    /// A profile from stored terms and weights, as [`terms`](Self::terms)
    /// returned them; `None` unless the terms are strictly increasing and
    /// the weights finite, one per term.
    pub fn from_parts(ids: Vec<u64>, weights: Vec<f32>) -> Option<Profile> {
        let ok =
            ids.len() == weights.len() && ids.windows(2).all(|w| w[0] < w[1]) && weights.iter().all(|w| w.is_finite());
        ok.then(|| Profile { ids: ids.into_boxed_slice(), weights: weights.into_boxed_slice() })
    }

    /// The terms and their normalized weights, sorted by term hash.
    pub fn terms(&self) -> impl ExactSizeIterator<Item = (u64, f32)> + '_ {
        self.ids.iter().copied().zip(self.weights.iter().copied())
    }

    /// The weight of one term, if the profile holds it.
    pub fn weight(&self, term: u64) -> Option<f32> {
        self.ids.binary_search(&term).ok().map(|i| self.weights[i])
    }

    /// The term and weight at `position` in [`terms`](Self::terms) order.
    pub fn term_at(&self, position: usize) -> Option<(u64, f32)> {
        Some((*self.ids.get(position)?, *self.weights.get(position)?))
    }

    /// The position of `term` in [`terms`](Self::terms) order, if the profile holds it.
    pub fn position(&self, term: u64) -> Option<usize> {
        self.ids.binary_search(&term).ok()
    }

    /// Number of terms.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Exact cosine similarity in [0, 1] (0 when either profile is empty).
    pub fn cosine(&self, other: &Profile) -> f64 {
        let (a, b) = (&self.ids, &other.ids);
        let (wa, wb) = (&self.weights[..a.len()], &other.weights[..b.len()]);
        let (mut i, mut j, mut dot) = (0, 0, 0f64);
        // A branch-free merge: the unpredictable three-way branch becomes
        // flag arithmetic and a select.
        while i < a.len() && j < b.len() {
            let (x, y) = (a[i], b[j]);
            let product = f64::from(wa[i]) * f64::from(wb[j]);
            dot += if x == y { product } else { 0.0 };
            i += usize::from(x <= y);
            j += usize::from(y <= x);
        }
        dot.clamp(0.0, 1.0)
    }

    /// The shared terms with the product of their weights, heaviest first
    /// (for explanations).
    pub fn shared(&self, other: &Profile) -> Vec<(u64, f64)> {
        let mut out: Vec<(u64, f64)> =
            self.terms().filter_map(|(t, w)| other.weight(t).map(|v| (t, f64::from(w) * f64::from(v)))).collect();
        out.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_k_keeps_the_heaviest_and_normalizes() {
        let a = Profile::top_k(vec![(1, 3.0), (2, 4.0), (3, 0.5)], 2);
        assert_eq!(a.len(), 2);
        let b = Profile::top_k(vec![(2, 1.0)], 2);
        assert!((a.cosine(&b) - 0.8).abs() < 1e-6);
    }

    #[test]
    fn cosine_bounds_and_symmetry() {
        let a = Profile::top_k(vec![(1, 1.0), (2, 2.0), (3, 3.0)], 48);
        let b = Profile::top_k(vec![(3, 1.0), (4, 1.0)], 48);
        assert!((a.cosine(&a) - 1.0).abs() < 1e-6);
        assert_eq!(a.cosine(&b), b.cosine(&a));
        assert_eq!(a.cosine(&Profile::default()), 0.0);
        assert_eq!(Profile::top_k(vec![(1, f64::NAN), (2, 0.0)], 4).len(), 0);
        assert_eq!(a.shared(&b).len(), 1);
    }
}
