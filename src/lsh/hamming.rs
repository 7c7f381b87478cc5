use rustc_hash::FxHashMap;

use crate::hash::mix64;
use crate::simhash::SimHash;

/// SimHash index for Hamming distance ≤ d (see the [module docs](super)).
#[derive(Debug, Clone)]
pub struct HammingIndex {
    max_distance: u32,
    blocks: Vec<(u32, u64)>,
    // Keys are block bits of seeded fingerprints; in-memory only.
    tables: Vec<FxHashMap<u64, Vec<(u32, u64)>>>,
}

impl HammingIndex {
    /// An index that finds fingerprints within `max_distance` bits (at most 31).
    pub fn new(max_distance: u32) -> HammingIndex {
        let d = max_distance.min(31);
        let n = d as usize + 1;
        let blocks = (0..n)
            .map(|i| {
                let lo = (64 * i / n) as u32;
                let hi = (64 * (i + 1) / n) as u32;
                let width = hi - lo;
                let mask = if width == 64 { u64::MAX } else { ((1u64 << width) - 1) << lo };
                (lo, mask)
            })
            .collect();
        HammingIndex { max_distance: d, blocks, tables: (0..n).map(|_| FxHashMap::default()).collect() }
    }

    /// The distance this index answers for.
    pub fn max_distance(&self) -> u32 {
        self.max_distance
    }

    /// One key per table for a fingerprint (the table's block of bits, mixed
    /// with the table number): two fingerprints within the index's distance
    /// share at least one key. For bucketing by sorting, without the tables.
    pub fn keys(&self, fp: SimHash) -> impl Iterator<Item = u64> + '_ {
        self.blocks.iter().enumerate().map(move |(t, &(_, mask))| mix64((fp.0 & mask) ^ mix64(t as u64 + 1)))
    }

    /// Adds a document. The empty fingerprint is not indexed (it never matches).
    pub fn insert(&mut self, doc: u32, fp: SimHash) {
        if fp == SimHash::EMPTY {
            return;
        }
        for (table, &(_, mask)) in self.tables.iter_mut().zip(&self.blocks) {
            table.entry(fp.0 & mask).or_default().push((doc, fp.0));
        }
    }

    /// Removes a document inserted with `fp`.
    pub fn remove(&mut self, doc: u32, fp: SimHash) {
        for (table, &(_, mask)) in self.tables.iter_mut().zip(&self.blocks) {
            if let Some(list) = table.get_mut(&(fp.0 & mask)) {
                list.retain(|&(d, _)| d != doc);
                if list.is_empty() {
                    table.remove(&(fp.0 & mask));
                }
            }
        }
    }

    /// Sorted, de-duplicated documents within the index's distance of `fp`.
    pub fn query(&self, fp: SimHash) -> Vec<u32> {
        if fp == SimHash::EMPTY {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (table, &(_, mask)) in self.tables.iter().zip(&self.blocks) {
            if let Some(list) = table.get(&(fp.0 & mask)) {
                out.extend(list.iter().filter(|(_, f)| (f ^ fp.0).count_ones() <= self.max_distance).map(|&(d, _)| d));
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_exactly_within_distance() {
        let mut idx = HammingIndex::new(3);
        let base = 0xdead_beef_cafe_f00d_u64;
        idx.insert(0, SimHash(base));
        idx.insert(1, SimHash(base ^ 0b111)); // 3 bits, one block
        idx.insert(2, SimHash(base ^ (1 | 1 << 20 | 1 << 40 | 1 << 60))); // 4 bits, spread
        idx.insert(3, SimHash(base ^ (1 << 5 | 1 << 30 | 1 << 63))); // 3 bits, spread
        assert_eq!(idx.query(SimHash(base)), vec![0, 1, 3]);
        idx.remove(1, SimHash(base ^ 0b111));
        assert_eq!(idx.query(SimHash(base)), vec![0, 3]);
        assert!(idx.query(SimHash::EMPTY).is_empty());
    }
}
