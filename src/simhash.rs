//! 64-bit SimHash (Charikar 2002) over shingles, for near-exact copies.
//!
//! Each feature's 64-bit hash votes +w on the bits it has set and −w on the
//! others; the fingerprint keeps the sign of each bit's total. For two
//! feature vectors at angle θ, each bit differs with probability θ/π, so the
//! Hamming distance estimates the (weighted) cosine of the feature vectors:
//! `cos(π·d/64)`. With 64 bits the estimate is coarse (one bit is ~1.6 % of
//! the range): SimHash is the right tool for *near-exact* copies (distance ≤ 3
//! on 64 bits, as Manku, Jain & Das Sarma 2007 use for web pages), and the
//! wrong one for event-level similarity, where reports of one event sit at a
//! cosine of 0.2–0.5 and the sketch noise is as large as the signal.
//!
//! An empty feature set gives [`SimHash::EMPTY`] (all zero bits), which the
//! detector never matches.

use crate::hash::{derive_seed, domain, mix64};

/// A 64-bit SimHash fingerprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct SimHash(pub u64);

impl SimHash {
    /// The fingerprint of an empty feature set.
    pub const EMPTY: SimHash = SimHash(0);

    /// Number of differing bits.
    pub fn hamming(self, other: SimHash) -> u32 {
        (self.0 ^ other.0).count_ones()
    }

    /// The cosine similarity a Hamming distance estimates, `cos(π·d/64)`.
    pub fn estimated_cosine(self, other: SimHash) -> f64 {
        (std::f64::consts::PI * f64::from(self.hamming(other)) / 64.0).cos()
    }
}

/// Computes SimHash fingerprints with a seed.
#[derive(Debug, Clone, Copy)]
pub struct SimHasher {
    seed: u64,
}

impl SimHasher {
    /// A hasher for `seed`.
    pub fn new(seed: u64) -> SimHasher {
        SimHasher { seed: derive_seed(seed, domain::SIMHASH) }
    }

    /// Fingerprint of a set of feature hashes, each with weight 1 (the
    /// detector's use: the shingle set).
    ///
    /// Counts bits eight at a time in byte-wide lanes, so the cost per
    /// feature is eight table look-ups rather than 64 branches.
    pub fn hash_set(&self, features: &[u64]) -> SimHash {
        if features.is_empty() {
            return SimHash::EMPTY;
        }
        let mut counts = [0u32; 64];
        let mut lanes = [0u64; 8];
        let mut pending = 0;
        for &f in features {
            let h = mix64(f ^ self.seed);
            for (byte, lane) in lanes.iter_mut().enumerate() {
                *lane += SPREAD[((h >> (8 * byte)) & 0xff) as usize];
            }
            pending += 1;
            if pending == 255 {
                flush(&mut lanes, &mut counts);
                pending = 0;
            }
        }
        flush(&mut lanes, &mut counts);
        let n = features.len() as u32;
        let mut bits = 0u64;
        for (i, &c) in counts.iter().enumerate() {
            if 2 * c > n {
                bits |= 1 << i;
            }
        }
        SimHash(bits)
    }

    /// Fingerprint of weighted features (the general form).
    pub fn hash_weighted(&self, features: impl IntoIterator<Item = (u64, f64)>) -> SimHash {
        let mut v = [0f64; 64];
        let mut any = false;
        for (f, w) in features {
            any = true;
            let h = mix64(f ^ self.seed);
            for (i, slot) in v.iter_mut().enumerate() {
                if h >> i & 1 == 1 { *slot += w } else { *slot -= w }
            }
        }
        if !any {
            return SimHash::EMPTY;
        }
        SimHash(v.iter().enumerate().fold(0, |acc, (i, &x)| if x > 0.0 { acc | 1 << i } else { acc }))
    }
}

/// `SPREAD[b]` has byte `i` equal to bit `i` of `b`: adding it counts the
/// bits of `b` in eight byte-wide lanes.
const SPREAD: [u64; 256] = {
    let mut t = [0u64; 256];
    let mut b = 0;
    while b < 256 {
        let mut i = 0;
        while i < 8 {
            if b >> i & 1 == 1 {
                t[b] |= 1 << (8 * i);
            }
            i += 1;
        }
        b += 1;
    }
    t
};

fn flush(lanes: &mut [u64; 8], counts: &mut [u32; 64]) {
    for (byte, lane) in lanes.iter_mut().enumerate() {
        for i in 0..8 {
            counts[byte * 8 + i] += ((*lane >> (8 * i)) & 0xff) as u32;
        }
        *lane = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_path_equals_weighted_path() {
        let h = SimHasher::new(5);
        for n in [1usize, 2, 7, 254, 255, 256, 600] {
            let f: Vec<u64> = (0..n as u64).map(|i| i * 31 + 7).collect();
            let a = h.hash_set(&f);
            let b = h.hash_weighted(f.iter().map(|&x| (x, 1.0)));
            assert_eq!(a, b, "n={n}");
        }
    }

    #[test]
    fn near_copies_are_close_unrelated_far() {
        let h = SimHasher::new(1);
        let a: Vec<u64> = (0..400).collect();
        let mut b = a.clone();
        b[10] = 10_000;
        b[200] = 20_000;
        let c: Vec<u64> = (1000..1400).collect();
        assert!(h.hash_set(&a).hamming(h.hash_set(&b)) <= 3);
        assert!(h.hash_set(&a).hamming(h.hash_set(&c)) > 16);
        assert_eq!(h.hash_set(&[]), SimHash::EMPTY);
        assert_eq!(SimHash(7).hamming(SimHash(7)), 0);
    }
}
