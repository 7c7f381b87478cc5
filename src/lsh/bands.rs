use rustc_hash::FxHashMap;

use super::LshParams;
use crate::error::{Error, ErrorKind};
use crate::hash::{derive_seed, domain, hash_bytes};
use crate::minhash::MinHashSketch;

/// The band keys of a sketch: band `i`'s key is the seeded XXH3 of its `r`
/// slots' little-endian bytes, mixed with the band number so equal slot
/// values in different bands never collide.
///
/// Returns an empty vector for the sketch of an empty set (it never matches).
///
/// # Errors
/// [`ErrorKind::SketchMismatch`] when the sketch has fewer than `bands × rows`
/// slots; [`ErrorKind::InvalidParameter`] when bands or rows is 0.
pub fn band_keys(sketch: &MinHashSketch, params: LshParams, seed: u64) -> Result<Vec<u64>, Error> {
    if params.bands == 0 || params.rows == 0 {
        return Err(Error::param(
            "lsh",
            format!("bands and rows must be positive, got {}×{}", params.bands, params.rows),
        ));
    }
    let need = params.bands.saturating_mul(params.rows);
    if sketch.slots().len() < need {
        return Err(Error::new(ErrorKind::SketchMismatch { expected: need, got: sketch.slots().len() }));
    }
    if sketch.is_empty() {
        return Ok(Vec::new());
    }
    let seed = derive_seed(seed, domain::BAND);
    Ok(sketch.slots()[..need]
        .chunks_exact(params.rows)
        .enumerate()
        .map(|(band, rows)| band_key(rows, seed, band))
        .collect())
}

/// The key of band number `band` holding `rows` (the slots of that band),
/// with the band seed already derived (`derive_seed(seed, domain::BAND)`):
/// element `band` of [`band_keys`].
pub(crate) fn band_key(rows: &[u32], band_seed: u64, band: usize) -> u64 {
    // Bands have a few rows: their bytes fit on the stack.
    let mut buf = [0u8; 64];
    if rows.len() <= 16 {
        for (chunk, v) in buf.chunks_exact_mut(4).zip(rows) {
            chunk.copy_from_slice(&v.to_le_bytes());
        }
        hash_bytes(&buf[..4 * rows.len()], band_seed ^ band as u64)
    } else {
        let bytes: Vec<u8> = rows.iter().flat_map(|v| v.to_le_bytes()).collect();
        hash_bytes(&bytes, band_seed ^ band as u64)
    }
}

/// Banded LSH index over MinHash band keys (see the [module docs](super)).
#[derive(Debug, Clone, Default)]
pub struct BandIndex {
    // Keys are already seeded XXH3 outputs, not attacker-chosen strings, and
    // the map is never persisted or iterated for output: FxHash is safe here.
    tables: Vec<FxHashMap<u64, Vec<u32>>>,
}

impl BandIndex {
    /// An index with `bands` tables.
    pub fn new(bands: usize) -> BandIndex {
        BandIndex { tables: (0..bands).map(|_| FxHashMap::default()).collect() }
    }

    /// Adds document `doc` under its band keys (from [`band_keys`]).
    pub fn insert(&mut self, doc: u32, keys: &[u64]) {
        for (table, &key) in self.tables.iter_mut().zip(keys) {
            table.entry(key).or_default().push(doc);
        }
    }

    /// Removes document `doc` (given the same keys it was inserted with).
    pub fn remove(&mut self, doc: u32, keys: &[u64]) {
        for (table, &key) in self.tables.iter_mut().zip(keys) {
            if let Some(list) = table.get_mut(&key) {
                list.retain(|&d| d != doc);
                if list.is_empty() {
                    table.remove(&key);
                }
            }
        }
    }

    /// Calls `f` for every document sharing at least one band key (repeats possible).
    pub fn for_each_candidate(&self, keys: &[u64], mut f: impl FnMut(u32)) {
        for (table, key) in self.tables.iter().zip(keys) {
            if let Some(list) = table.get(key) {
                list.iter().copied().for_each(&mut f);
            }
        }
    }

    /// The sorted, de-duplicated documents sharing at least one band key.
    pub fn query(&self, keys: &[u64]) -> Vec<u32> {
        let mut out = Vec::new();
        self.for_each_candidate(keys, |d| out.push(d));
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Calls `f(a, b)` with `a < b` for every pair of documents sharing a
    /// bucket (repeats possible across bands).
    pub fn for_each_pair(&self, mut f: impl FnMut(u32, u32)) {
        for table in &self.tables {
            for list in table.values() {
                for (i, &a) in list.iter().enumerate() {
                    for &b in &list[i + 1..] {
                        f(a.min(b), a.max(b));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minhash::MinHasher;

    #[test]
    fn identical_sketches_collide_different_do_not() {
        let h = MinHasher::new(128, 1).unwrap();
        let p = LshParams::for_threshold(0.5, 128).unwrap();
        let a: Vec<u64> = (0..300).collect();
        let c: Vec<u64> = (1000..1300).collect();
        let ka = band_keys(&h.sketch(&a), p, 1).unwrap();
        let kc = band_keys(&h.sketch(&c), p, 1).unwrap();
        let mut idx = BandIndex::new(p.bands);
        idx.insert(0, &ka);
        idx.insert(1, &kc);
        assert_eq!(idx.query(&ka), vec![0]);
        idx.insert(2, &ka);
        let mut pairs = Vec::new();
        idx.for_each_pair(|a, b| pairs.push((a, b)));
        pairs.sort_unstable();
        pairs.dedup();
        assert_eq!(pairs, vec![(0, 2)]);
        idx.remove(0, &ka);
        assert_eq!(idx.query(&ka), vec![2]);
        assert!(band_keys(&h.sketch(&[]), p, 1).unwrap().is_empty());
        let short = MinHasher::new(8, 1).unwrap().sketch(&a);
        assert!(band_keys(&short, p, 1).is_err());
    }
}
