//! MinHash sketches of shingle sets, for copy-level resemblance.
//!
//! The probability that two sets agree in one MinHash slot equals their
//! Jaccard resemblance J (Broder 1997), so the fraction of agreeing slots in
//! two k-slot sketches is an unbiased estimate of J with standard error
//! `sqrt(J(1-J)/k)` (about 0.044 at J = 0.5 with k = 128).
//!
//! Two constructions, same estimator:
//!
//! * [`MinHashKind::OnePermutation`] (default): one-permutation hashing
//!   (Li, Owen & Zhang 2012) with optimal densification (Shrivastava, ICML
//!   2017). Each shingle is hashed once; the hash's high bits choose one of k
//!   bins and its low 32 bits compete for that bin's minimum. Empty bins
//!   borrow the value of the first non-empty bin along a seeded probe sequence
//!   that depends only on the bin and the probe number, so two sets make the
//!   same choice and the collision probability stays J. Cost O(d + k) per
//!   document of d shingles, instead of O(dk).
//! * [`MinHashKind::Classic`]: k independent hash functions (a seeded mix per
//!   slot), each slot the minimum over all shingles: the textbook reference,
//!   O(dk).
//!
//! Slots are `u32`: the low 32 bits of a 64-bit mix. An empty set gives a
//! sketch that never matches anything (its estimate against any sketch is 0).

use crate::error::{Error, ErrorKind};
use crate::hash::{derive_seed, domain, mix64};

/// Which MinHash construction a [`MinHasher`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum MinHashKind {
    /// One-permutation hashing with optimal densification (Shrivastava 2017).
    #[default]
    OnePermutation,
    /// k independent hash functions (the reference construction).
    Classic,
}

/// Largest supported number of slots.
pub const MAX_PERMUTATIONS: usize = 4096;

/// Computes MinHash sketches with a fixed number of slots, seed and construction.
#[derive(Debug, Clone)]
pub struct MinHasher {
    num_perm: usize,
    seed: u64,
    kind: MinHashKind,
    slot_seeds: Box<[u64]>,
}

/// A MinHash sketch: `num_perm` slots of `u32`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MinHashSketch {
    slots: Box<[u32]>,
    empty: bool,
}

impl MinHasher {
    /// A hasher with `num_perm` slots (1 to 4096) and `seed`, using one-permutation hashing.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidParameter`] when `num_perm` is 0 or above 4096.
    pub fn new(num_perm: usize, seed: u64) -> Result<MinHasher, Error> {
        MinHasher::with_kind(num_perm, seed, MinHashKind::OnePermutation)
    }

    /// A hasher with an explicit construction.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidParameter`] when `num_perm` is 0 or above 4096.
    pub fn with_kind(num_perm: usize, seed: u64, kind: MinHashKind) -> Result<MinHasher, Error> {
        if num_perm == 0 || num_perm > MAX_PERMUTATIONS {
            return Err(Error::param("num_perm", format!("must be in 1..={MAX_PERMUTATIONS}, got {num_perm}")));
        }
        let base = derive_seed(seed, domain::MINHASH);
        let slot_seeds = (0..num_perm as u64).map(|i| mix64(base ^ mix64(i + 1))).collect();
        Ok(MinHasher { num_perm, seed, kind, slot_seeds })
    }

    /// Number of slots.
    pub fn num_perm(&self) -> usize {
        self.num_perm
    }

    /// The construction used.
    pub fn kind(&self) -> MinHashKind {
        self.kind
    }

    /// The sketch of a set of shingle hashes (repeats are harmless).
    ///
    /// # Example
    /// ```
    /// use samestory::minhash::MinHasher;
    /// use samestory::shingle::ShingleSet;
    /// let h = MinHasher::new(128, 7)?;
    /// let a = ShingleSet::of_text("a b c d e f g h i j k l m n o p", 2, 7);
    /// let b = ShingleSet::of_text("a b c d e f g h i j k l m n o q", 2, 7);
    /// let est = h.sketch(a.as_slice()).estimate_jaccard(&h.sketch(b.as_slice()))?;
    /// assert!((est - a.jaccard(&b)).abs() < 0.2);
    /// # Ok::<(), samestory::Error>(())
    /// ```
    pub fn sketch(&self, shingles: &[u64]) -> MinHashSketch {
        let k = self.num_perm;
        let mut slots = vec![u32::MAX; k];
        if shingles.is_empty() {
            return MinHashSketch { slots: slots.into_boxed_slice(), empty: true };
        }
        match self.kind {
            MinHashKind::Classic => {
                for (slot, &s) in slots.iter_mut().zip(self.slot_seeds.iter()) {
                    *slot = shingles.iter().map(|&h| mix64(h ^ s) as u32).min().unwrap_or(u32::MAX);
                }
            }
            MinHashKind::OnePermutation => {
                let s = self.slot_seeds[0];
                // Which bins hold a value, as bits (a slot of `u32::MAX` may be a real value).
                let mut filled = [0u64; MAX_PERMUTATIONS / 64];
                for &h in shingles {
                    let g = mix64(h ^ s);
                    let bin = (((g >> 32) * k as u64) >> 32) as usize;
                    // An empty bin holds `u32::MAX`, so the minimum is also the first value.
                    slots[bin] = slots[bin].min(g as u32);
                    filled[bin / 64] |= 1 << (bin % 64);
                }
                let is_filled = |j: usize| filled[j / 64] >> (j % 64) & 1 != 0;
                for i in 0..k {
                    if is_filled(i) {
                        continue;
                    }
                    // Optimal densification: probe bins by a seeded sequence
                    // that depends only on (i, attempt) until one is non-empty
                    // (whose value was never overwritten: only empty bins are).
                    let mut attempt = 1u64;
                    loop {
                        let r = mix64(self.slot_seeds[i] ^ attempt.wrapping_mul(0x9e37_79b9_7f4a_7c15));
                        let j = (((r >> 32) * k as u64) >> 32) as usize;
                        if is_filled(j) {
                            slots[i] = slots[j];
                            break;
                        }
                        attempt += 1;
                    }
                }
            }
        }
        MinHashSketch { slots: slots.into_boxed_slice(), empty: false }
    }

    /// The seed this hasher was built with.
    pub fn seed(&self) -> u64 {
        self.seed
    }
}

impl MinHashSketch {
    /// The slot values.
    pub fn slots(&self) -> &[u32] {
        &self.slots
    }

    /// The sketch of an empty set (never matches).
    pub fn is_empty(&self) -> bool {
        self.empty
    }

    /// A sketch from stored slot values, as [`slots`](Self::slots) and
    /// [`is_empty`](Self::is_empty) returned them (signatures kept as
    /// columns of `u32`, or loaded from a saved state).
    pub fn from_slots(slots: Box<[u32]>, empty: bool) -> MinHashSketch {
        MinHashSketch { slots, empty }
    }

    /// Estimated Jaccard resemblance: the fraction of equal slots (0 when
    /// either sketch is of an empty set, or has no slots).
    ///
    /// # Errors
    /// [`ErrorKind::SketchMismatch`] when the sketches have different lengths.
    pub fn estimate_jaccard(&self, other: &MinHashSketch) -> Result<f64, Error> {
        if self.slots.len() != other.slots.len() {
            return Err(Error::new(ErrorKind::SketchMismatch { expected: self.slots.len(), got: other.slots.len() }));
        }
        if self.empty || other.empty || self.slots.is_empty() {
            return Ok(0.0);
        }
        let eq = self.slots.iter().zip(other.slots.iter()).filter(|(a, b)| a == b).count();
        Ok(eq as f64 / self.slots.len() as f64)
    }

    /// The sketch of the union of the two sets, for the classic construction
    /// (element-wise minimum).
    ///
    /// # Errors
    /// [`ErrorKind::SketchMismatch`] when the sketches have different lengths.
    pub fn union(&self, other: &MinHashSketch) -> Result<MinHashSketch, Error> {
        if self.slots.len() != other.slots.len() {
            return Err(Error::new(ErrorKind::SketchMismatch { expected: self.slots.len(), got: other.slots.len() }));
        }
        if self.empty {
            return Ok(other.clone());
        }
        if other.empty {
            return Ok(self.clone());
        }
        let slots = self.slots.iter().zip(other.slots.iter()).map(|(a, b)| *a.min(b)).collect();
        Ok(MinHashSketch { slots, empty: false })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(range: std::ops::Range<u64>) -> Vec<u64> {
        range.map(|i| mix64(i * 7919)).collect()
    }

    #[test]
    fn estimates_track_jaccard_both_kinds() {
        for kind in [MinHashKind::OnePermutation, MinHashKind::Classic] {
            let h = MinHasher::with_kind(256, 42, kind).unwrap();
            // J = 300 / 500 = 0.6
            let a = set(0..400);
            let b = set(100..500);
            let est = h.sketch(&a).estimate_jaccard(&h.sketch(&b)).unwrap();
            let sd = (0.6f64 * 0.4 / 256.0).sqrt();
            assert!((est - 0.6).abs() < 4.0 * sd, "{kind:?} {est}");
        }
    }

    #[test]
    fn densification_keeps_identical_small_sets_equal() {
        let h = MinHasher::new(128, 1).unwrap();
        let a = set(0..5);
        assert_eq!(h.sketch(&a).estimate_jaccard(&h.sketch(&a)).unwrap(), 1.0);
        let b = set(3..8);
        let est = h.sketch(&a).estimate_jaccard(&h.sketch(&b)).unwrap();
        assert!(est < 0.8);
    }

    #[test]
    fn empty_never_matches_and_errors_on_mismatch() {
        let h = MinHasher::new(64, 1).unwrap();
        let e = h.sketch(&[]);
        assert_eq!(e.estimate_jaccard(&e).unwrap(), 0.0);
        let h2 = MinHasher::new(32, 1).unwrap();
        assert!(h.sketch(&[1]).estimate_jaccard(&h2.sketch(&[1])).is_err());
        assert!(MinHasher::new(0, 1).is_err());
        assert!(MinHasher::new(5000, 1).is_err());
    }

    #[test]
    fn classic_union_is_elementwise_min() {
        let h = MinHasher::with_kind(64, 3, MinHashKind::Classic).unwrap();
        let a = set(0..50);
        let b = set(40..90);
        let ab: Vec<u64> = a.iter().chain(b.iter()).copied().collect();
        assert_eq!(h.sketch(&a).union(&h.sketch(&b)).unwrap(), h.sketch(&ab));
    }
}
