//! Candidate generation: which pairs of documents are worth scoring.
//!
//! Scoring every pair is quadratic; these indexes return a small superset of
//! the pairs that can pass verification:
//!
//! * [`BandIndex`]: banded LSH over MinHash sketches (Indyk & Motwani 1998;
//!   Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*, ch. 3). With
//!   b bands of r rows, two documents of Jaccard s share at least one band
//!   key with probability `1 − (1 − s^r)^b`, an S-curve whose steepest point
//!   sits near `(1/b)^(1/r)`; [`LshParams::for_threshold`] picks (b, r) for a
//!   threshold by minimizing the area of false positives below it and false
//!   negatives above it (as datasketch does).
//! * [`HammingIndex`]: SimHash fingerprints within Hamming distance d, by the
//!   pigeonhole scheme of Manku, Jain & Das Sarma (WWW 2007): split 64 bits
//!   into d + 1 blocks; two fingerprints within distance d agree exactly on at
//!   least one block, so d + 1 exact-match tables find them all.
//! * [`TermIndex`]: an inverted index over each document's rare salient terms,
//!   for event-level candidates. Independent reports of one event share
//!   almost no shingles, so banding at their similarity returns nearly every
//!   pair or misses many; sharing a rare name or number is a far better
//!   filter (`DESIGN.md` gives the measurement).
//!
//! All three are incremental (insert, query, remove) and store dense `u32`
//! document numbers. Band keys are `u64`, computed by the pure function
//! [`band_keys`], so they can be computed in one place and bucketed in another.

mod bands;
mod hamming;
mod inverted;

pub(crate) use bands::band_key;
pub use bands::{BandIndex, band_keys};
pub use hamming::HammingIndex;
pub(crate) use inverted::Accumulator;
pub use inverted::TermIndex;

use std::sync::{Mutex, OnceLock};

use crate::error::Error;

/// Bands and rows of a banded LSH index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LshParams {
    /// Number of bands (b).
    pub bands: usize,
    /// Rows (MinHash slots) per band (r).
    pub rows: usize,
}

impl LshParams {
    /// Explicit (b, r).
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidParameter`] when either is 0.
    pub fn new(bands: usize, rows: usize) -> Result<LshParams, Error> {
        if bands == 0 || rows == 0 {
            return Err(Error::param("lsh", format!("bands and rows must be positive, got {bands}×{rows}")));
        }
        Ok(LshParams { bands, rows })
    }

    /// The (b, r) with b·r ≤ `num_perm` that minimize the false-positive
    /// area below `threshold` plus the false-negative area above it.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidParameter`] when `threshold` is not in (0, 1)
    /// or `num_perm` is 0.
    ///
    /// # Example
    /// ```
    /// use samestory::lsh::LshParams;
    /// let p = LshParams::for_threshold(0.5, 128)?;
    /// assert!(p.bands * p.rows <= 128);
    /// assert!(p.collision_probability(0.8) > 0.99);
    /// assert!(p.collision_probability(0.2) < 0.1);
    /// # Ok::<(), samestory::Error>(())
    /// ```
    pub fn for_threshold(threshold: f64, num_perm: usize) -> Result<LshParams, Error> {
        if !(threshold > 0.0 && threshold < 1.0) {
            return Err(Error::param("copy_threshold", format!("must be in (0, 1), got {threshold}")));
        }
        if num_perm == 0 {
            return Err(Error::param("num_perm", "must be positive"));
        }
        // Computed once per (threshold, num_perm) and process: builders
        // and loaded states reuse it.
        type Cache = Mutex<Vec<((u64, usize), LshParams)>>;
        static CACHE: OnceLock<Cache> = OnceLock::new();
        let key = (threshold.to_bits(), num_perm);
        let cache = CACHE.get_or_init(Mutex::default);
        if let Some(&(_, p)) = cache.lock().unwrap_or_else(|e| e.into_inner()).iter().find(|(k, _)| *k == key) {
            return Ok(p);
        }
        // Midpoint rule, 200 steps on each side of the threshold. For each
        // row count r, s^r is computed once per grid point and (1 − s^r)^b
        // is carried from b − 1 to b by one multiplication.
        const STEPS: usize = 200;
        let grid = |a: f64, b: f64| -> Vec<f64> {
            let h = (b - a) / STEPS as f64;
            (0..STEPS).map(|i| a + (i as f64 + 0.5) * h).collect()
        };
        let (below, above) = (grid(0.0, threshold), grid(threshold, 1.0));
        let (h_below, h_above) = (threshold / STEPS as f64, (1.0 - threshold) / STEPS as f64);
        let mut best = (f64::INFINITY, LshParams { bands: 1, rows: 1 });
        for rows in 1..=num_perm {
            // miss[i] = (1 − s_i^r)^b, the probability that no band collides.
            let mut miss_below: Vec<f64> = below.iter().map(|s| 1.0 - s.powi(rows as i32)).collect();
            let mut miss_above: Vec<f64> = above.iter().map(|s| 1.0 - s.powi(rows as i32)).collect();
            let (base_below, base_above) = (miss_below.clone(), miss_above.clone());
            for bands in 1..=num_perm / rows {
                if bands > 1 {
                    miss_below.iter_mut().zip(&base_below).for_each(|(m, b)| *m *= b);
                    miss_above.iter_mut().zip(&base_above).for_each(|(m, b)| *m *= b);
                }
                // False positives below the threshold, false negatives above it.
                let fp = miss_below.iter().map(|m| 1.0 - m).sum::<f64>() * h_below;
                let fneg = miss_above.iter().sum::<f64>() * h_above;
                let cost = fp + fneg;
                let p = LshParams { bands, rows };
                // Same order of preference as a scan by bands, then rows.
                if cost < best.0 - 1e-12
                    || ((cost - best.0).abs() <= 1e-12 && (bands, rows) < (best.1.bands, best.1.rows))
                {
                    best = (cost, p);
                }
            }
        }
        cache.lock().unwrap_or_else(|e| e.into_inner()).push((key, best.1));
        Ok(best.1)
    }

    /// Probability that two documents of Jaccard `s` share a band key:
    /// `1 − (1 − s^r)^b`.
    pub fn collision_probability(&self, s: f64) -> f64 {
        1.0 - (1.0 - s.powi(self.rows as i32)).powi(self.bands as i32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s_curve_is_monotone_and_steep_near_threshold() {
        for t in [0.3, 0.5, 0.8] {
            let p = LshParams::for_threshold(t, 128).unwrap();
            let mut last = 0.0;
            for i in 0..=100 {
                let c = p.collision_probability(i as f64 / 100.0);
                assert!(c + 1e-12 >= last);
                last = c;
            }
            assert!(p.collision_probability((t + 0.2f64).min(1.0)) > 0.9, "{t} {p:?}");
            assert!(p.collision_probability(t - 0.2) < 0.25, "{t} {p:?}");
        }
        assert!(LshParams::for_threshold(1.0, 128).is_err());
        assert!(LshParams::for_threshold(f64::NAN, 128).is_err());
        assert!(LshParams::new(0, 4).is_err());
    }
}
