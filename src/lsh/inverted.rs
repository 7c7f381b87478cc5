use rustc_hash::FxHashMap;

/// Inverted index from salient-term hashes to documents (see the [module docs](super)).
#[derive(Debug, Clone, Default)]
pub struct TermIndex {
    // Keys are seeded XXH3 term hashes; in-memory only.
    postings: FxHashMap<u64, Vec<u32>>,
}

impl TermIndex {
    /// An empty index.
    pub fn new() -> TermIndex {
        TermIndex::default()
    }

    /// Adds `doc` under each of `terms`.
    pub fn insert(&mut self, doc: u32, terms: &[u64]) {
        for &t in terms {
            self.postings.entry(t).or_default().push(doc);
        }
    }

    /// Removes `doc` from each of `terms`.
    pub fn remove(&mut self, doc: u32, terms: &[u64]) {
        for t in terms {
            if let Some(list) = self.postings.get_mut(t) {
                list.retain(|&d| d != doc);
                if list.is_empty() {
                    self.postings.remove(t);
                }
            }
        }
    }

    /// The documents listed under `term`.
    pub fn postings(&self, term: u64) -> &[u32] {
        self.postings.get(&term).map_or(&[], Vec::as_slice)
    }

    /// Every (term, postings) entry, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &[u32])> + '_ {
        self.postings.iter().map(|(&t, l)| (t, l.as_slice()))
    }

    /// Number of distinct terms indexed.
    pub fn len(&self) -> usize {
        self.postings.len()
    }

    /// Nothing indexed.
    pub fn is_empty(&self) -> bool {
        self.postings.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_query_remove() {
        let mut idx = TermIndex::new();
        idx.insert(0, &[1, 2]);
        idx.insert(1, &[2, 3]);
        assert_eq!(idx.postings(2), &[0, 1]);
        idx.remove(0, &[1, 2]);
        assert_eq!(idx.postings(2), &[1]);
        assert!(idx.postings(1).is_empty());
        assert_eq!(idx.len(), 2);
    }
}
