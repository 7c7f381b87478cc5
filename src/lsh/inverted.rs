use rustc_hash::FxHashMap;

/// Inverted index from salient-term hashes to documents, each posting with
/// the term's weight in that document's profile (see the [module docs](super)).
#[derive(Debug, Clone, Default)]
pub struct TermIndex {
    // Keys are seeded XXH3 term hashes; in-memory only.
    postings: FxHashMap<u64, Vec<(u32, f32)>>,
}

impl TermIndex {
    /// An empty index.
    pub fn new() -> TermIndex {
        TermIndex::default()
    }

    /// Adds `doc` under each of its `(term, weight)` pairs.
    pub fn insert(&mut self, doc: u32, terms: &[(u64, f32)]) {
        for &(t, w) in terms {
            self.postings.entry(t).or_default().push((doc, w));
        }
    }

    /// Removes `doc` from each of `terms`.
    pub fn remove(&mut self, doc: u32, terms: &[(u64, f32)]) {
        for (t, _) in terms {
            if let Some(list) = self.postings.get_mut(t) {
                list.retain(|&(d, _)| d != doc);
                if list.is_empty() {
                    self.postings.remove(t);
                }
            }
        }
    }

    /// The `(document, weight)` postings of `term`, in insertion order.
    pub fn postings(&self, term: u64) -> &[(u32, f32)] {
        self.postings.get(&term).map_or(&[], Vec::as_slice)
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
        idx.insert(0, &[(1, 0.5), (2, 0.25)]);
        idx.insert(1, &[(2, 1.0), (3, 0.5)]);
        assert_eq!(idx.postings(2), &[(0, 0.25), (1, 1.0)]);
        idx.remove(0, &[(1, 0.5), (2, 0.25)]);
        assert_eq!(idx.postings(2), &[(1, 1.0)]);
        assert!(idx.postings(1).is_empty());
        assert_eq!(idx.len(), 2);
    }
}
