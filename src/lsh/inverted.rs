use rustc_hash::FxHashMap;

/// Inverted index from salient-term hashes to documents, each posting with
/// the term's weight in that document's profile (see the [module docs](super)).
#[derive(Debug, Clone, Default)]
pub struct TermIndex {
    repr: Repr,
}

#[derive(Debug, Clone)]
enum Repr {
    /// One growable list per term: for an index that changes (a stream).
    // Keys are seeded XXH3 term hashes; in-memory only.
    Lists(FxHashMap<u64, Vec<(u32, f32)>>),
    /// All postings in one array, term by term, each term's range in a map:
    /// for an index built once from a batch (no per-term allocation).
    // Ranges in `usize`: a batch may hold more than 2³² postings.
    Packed { ranges: FxHashMap<u64, (usize, usize)>, postings: Vec<(u32, f32)> },
}

impl Default for Repr {
    fn default() -> Repr {
        Repr::Lists(FxHashMap::default())
    }
}

impl TermIndex {
    /// An empty index.
    pub fn new() -> TermIndex {
        TermIndex::default()
    }

    /// The index of a batch: document `i` of the iterator under each of its
    /// `(term, weight)` pairs. Equal to [`insert`](Self::insert)ing them in
    /// order, in one allocation for all postings.
    pub fn from_documents<I: IntoIterator<Item = (u64, f32)>>(docs: impl Iterator<Item = I> + Clone) -> TermIndex {
        // Count each term's postings, give each term its range, then fill them in document order.
        let mut ranges: FxHashMap<u64, (usize, usize)> = FxHashMap::default();
        let mut total = 0usize;
        for terms in docs.clone() {
            for (t, _) in terms {
                ranges.entry(t).or_default().1 += 1;
                total += 1;
            }
        }
        let mut start = 0usize;
        for r in ranges.values_mut() {
            let len = r.1;
            *r = (start, 0);
            start += len;
        }
        let mut postings = vec![(0u32, 0f32); total];
        for (doc, terms) in docs.enumerate() {
            for (t, w) in terms {
                if let Some(r) = ranges.get_mut(&t) {
                    postings[r.0 + r.1] = (doc as u32, w);
                    r.1 += 1;
                }
            }
        }
        TermIndex { repr: Repr::Packed { ranges, postings } }
    }

    /// The growable form of the index (a packed one is unpacked first).
    fn lists(&mut self) -> &mut FxHashMap<u64, Vec<(u32, f32)>> {
        if let Repr::Packed { ranges, postings } = &self.repr {
            let lists = ranges.iter().map(|(&t, &(s, n))| (t, postings[s..s + n].to_vec())).collect();
            self.repr = Repr::Lists(lists);
        }
        match &mut self.repr {
            Repr::Lists(lists) => lists,
            Repr::Packed { .. } => unreachable!("unpacked above"),
        }
    }

    /// Adds `doc` under each of its `(term, weight)` pairs.
    pub fn insert(&mut self, doc: u32, terms: impl IntoIterator<Item = (u64, f32)>) {
        let lists = self.lists();
        for (t, w) in terms {
            lists.entry(t).or_default().push((doc, w));
        }
    }

    /// Removes `doc` from each of `terms`.
    pub fn remove(&mut self, doc: u32, terms: impl IntoIterator<Item = (u64, f32)>) {
        let lists = self.lists();
        for (t, _) in terms {
            if let Some(list) = lists.get_mut(&t) {
                list.retain(|&(d, _)| d != doc);
                if list.is_empty() {
                    lists.remove(&t);
                }
            }
        }
    }

    /// The `(document, weight)` postings of `term`, in insertion order.
    pub fn postings(&self, term: u64) -> &[(u32, f32)] {
        match &self.repr {
            Repr::Lists(lists) => lists.get(&term).map_or(&[], Vec::as_slice),
            Repr::Packed { ranges, postings } => ranges.get(&term).map_or(&[], |&(s, n)| &postings[s..s + n]),
        }
    }

    /// Number of distinct terms.
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Lists(lists) => lists.len(),
            Repr::Packed { ranges, .. } => ranges.len(),
        }
    }

    /// No terms at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_query_remove() {
        let mut idx = TermIndex::new();
        idx.insert(0, [(1, 0.5), (2, 0.25)]);
        idx.insert(1, [(2, 1.0), (3, 0.5)]);
        assert_eq!(idx.postings(2), &[(0, 0.25), (1, 1.0)]);
        idx.remove(0, [(1, 0.5), (2, 0.25)]);
        assert_eq!(idx.postings(2), &[(1, 1.0)]);
        assert!(idx.postings(1).is_empty());
        assert_eq!(idx.len(), 2);
    }

    #[test]
    fn packed_equals_inserted() {
        let docs: Vec<Vec<(u64, f32)>> =
            vec![vec![(1, 0.5), (2, 0.25)], vec![], vec![(2, 1.0), (3, 0.5)], vec![(1, 0.125), (2, 2.0)]];
        let packed = TermIndex::from_documents(docs.iter().map(|d| d.iter().copied()));
        let mut grown = TermIndex::new();
        for (i, d) in docs.iter().enumerate() {
            grown.insert(i as u32, d.iter().copied());
        }
        for t in 0..5 {
            assert_eq!(packed.postings(t), grown.postings(t), "term {t}");
        }
        assert_eq!(packed.len(), grown.len());
        // A packed index still takes changes.
        let mut changed = packed.clone();
        changed.remove(0, docs[0].iter().copied());
        changed.insert(4, [(3, 1.5)]);
        assert_eq!(changed.postings(2), &[(2, 1.0), (3, 2.0)]);
        assert_eq!(changed.postings(3), &[(2, 0.5), (4, 1.5)]);
        assert!(changed.postings(1).iter().all(|&(d, _)| d != 0));
    }
}

/// Per-document sums over posting lists, reused from one query to the next:
/// an open-addressing table of (document, dot product, shared terms) with a
/// query stamp per slot, so starting a query clears nothing. A query adds up
/// to `candidate_budget` postings into it. It replaced a general hash map
/// for speed (`BENCHMARKS.md`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Accumulator {
    /// Power-of-two length (or empty before the first query).
    slots: Vec<Slot>,
    /// Slot indexes in use by this query, in first-added order.
    used: Vec<u32>,
    stamp: u32,
    /// Buffers of [`best`](Self::best), kept between queries.
    dots: Vec<f32>,
    ranked: Vec<(f32, u32, u32)>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    doc: u32,
    stamp: u32,
    dot: f32,
    shared: u32,
}

impl Accumulator {
    /// Starts a query: every sum is empty.
    pub(crate) fn clear(&mut self) {
        self.used.clear();
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            // Stamps wrapped around: old stamps could match again.
            self.slots.fill(Slot::default());
            self.stamp = 1;
        }
    }

    #[inline]
    fn home(doc: u32, mask: usize) -> usize {
        // Fibonacci hashing: the product's high bits, then the table's mask.
        ((u64::from(doc).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as usize) & mask
    }

    /// Adds `w` times each posting's weight to its document's dot product,
    /// and one to its shared terms, for every posting of `list` but those of
    /// `skip`. The table is grown first for the whole list, so that the
    /// loop over it only adds.
    #[inline]
    pub(crate) fn add_list(&mut self, list: &[(u32, f32)], w: f32, skip: Option<u32>) {
        // An empty list adds nothing (and the table may not exist yet).
        if list.is_empty() {
            return;
        }
        while 2 * (self.used.len() + list.len()) > self.slots.len() {
            self.grow();
        }
        self.used.reserve(list.len());
        let mask = self.slots.len() - 1;
        let stamp = self.stamp;
        for &(doc, wj) in list {
            if Some(doc) == skip {
                continue;
            }
            let x = w * wj;
            let mut i = Accumulator::home(doc, mask);
            loop {
                let s = &mut self.slots[i];
                if s.stamp != stamp {
                    *s = Slot { doc, stamp, dot: x, shared: 1 };
                    self.used.push(i as u32);
                    break;
                }
                if s.doc == doc {
                    s.dot += x;
                    s.shared += 1;
                    break;
                }
                i = (i + 1) & mask;
            }
        }
    }

    /// Doubles the table (at least 4,096 slots), moving this query's sums.
    #[cold]
    fn grow(&mut self) {
        let len = (2 * self.slots.len()).max(4096);
        let old: Vec<Slot> = self.used.iter().map(|&i| self.slots[i as usize]).collect();
        self.slots = vec![Slot::default(); len];
        self.stamp = 1;
        self.used.clear();
        let mask = len - 1;
        for s in old {
            let mut i = Accumulator::home(s.doc, mask);
            while self.slots[i].stamp == self.stamp {
                i = (i + 1) & mask;
            }
            self.slots[i] = Slot { stamp: self.stamp, ..s };
            self.used.push(i as u32);
        }
    }

    /// The best `keep` sums of this query of at least `min`, as (dot
    /// product, document, shared terms), best first: higher dot product,
    /// then lower document (a total order, so the list is unique).
    ///
    /// When there are more than `keep`, the `keep`-th highest dot product is
    /// found first by selection over the dot products alone (four bytes
    /// each, one comparison); the sums below it are dropped, and only ties at
    /// it are left to break by document.
    pub(crate) fn best(&mut self, min: f32, keep: usize) -> &[(f32, u32, u32)] {
        let Accumulator { slots, used, dots, ranked, .. } = self;
        let order = |a: &(f32, u32, u32), b: &(f32, u32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        ranked.clear();
        ranked
            .extend(used.iter().map(|&i| slots[i as usize]).filter(|s| s.dot >= min).map(|s| (s.dot, s.doc, s.shared)));
        if ranked.len() > keep {
            if keep == 0 {
                ranked.clear();
                return ranked;
            }
            dots.clear();
            dots.extend(ranked.iter().map(|e| e.0));
            let (_, &mut tau, _) = dots.select_nth_unstable_by(keep - 1, |a, b| b.total_cmp(a));
            // At least `keep` sums reach `tau`; more only when several tie at it.
            ranked.retain(|e| e.0.total_cmp(&tau).is_ge());
            if ranked.len() > keep {
                ranked.select_nth_unstable_by(keep, order);
                ranked.truncate(keep);
            }
        }
        ranked.sort_unstable_by(order);
        ranked
    }

    /// The sums of this query as (document, dot product, shared terms), in first-added order.
    #[cfg(test)]
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u32, f32, u32)> + '_ {
        self.used.iter().map(|&i| {
            let s = self.slots[i as usize];
            (s.doc, s.dot, s.shared)
        })
    }
}

#[cfg(test)]
mod accumulator_tests {
    use super::Accumulator;
    use proptest::prelude::*;
    use rustc_hash::FxHashMap;

    proptest! {
        /// Equal to a hash map of sums, over queries of several lists that
        /// grow the table and reuse it, one document skipped.
        #[test]
        fn accumulator_equals_a_map(queries in proptest::collection::vec(
            proptest::collection::vec((proptest::collection::vec((0u32..6000, -4i8..5), 0..2500), -3i8..4), 0..4), 1..4),
            skip in proptest::option::of(0u32..6000),
        ) {
            let mut acc = Accumulator::default();
            for q in &queries {
                acc.clear();
                let mut map: FxHashMap<u32, (f32, u32)> = FxHashMap::default();
                for (list, w) in q {
                    let list: Vec<(u32, f32)> = list.iter().map(|&(d, x)| (d, f32::from(x) * 0.25)).collect();
                    let w = f32::from(*w) * 0.5;
                    acc.add_list(&list, w, skip);
                    for &(d, x) in list.iter().filter(|p| Some(p.0) != skip) {
                        let e = map.entry(d).or_insert((0.0, 0));
                        e.0 += w * x;
                        e.1 += 1;
                    }
                }
                let mut got: Vec<(u32, f32, u32)> = acc.iter().collect();
                got.sort_by_key(|x| x.0);
                let mut want: Vec<(u32, f32, u32)> = map.into_iter().map(|(d, (w, n))| (d, w, n)).collect();
                want.sort_by_key(|x| x.0);
                prop_assert_eq!(got, want);
            }
        }
    }

    proptest! {
        /// The best sums equal sorting them all (higher dot product, then
        /// lower document) and keeping the first `keep` of at least `min`,
        /// with many ties.
        #[test]
        fn best_equals_sorting_all(
            q in proptest::collection::vec((0u32..300, -2i8..5), 0..600),
            min in proptest::sample::select(vec![f32::NEG_INFINITY, -0.25, 0.0, 0.5]),
            keep in 0usize..120,
        ) {
            let mut acc = Accumulator::default();
            acc.clear();
            let list: Vec<(u32, f32)> = q.iter().map(|&(d, w)| (d, f32::from(w) * 0.25)).collect();
            acc.add_list(&list, 1.0, None);
            let mut want: Vec<(f32, u32, u32)> =
                acc.iter().filter(|e| e.1 >= min).map(|(d, dot, n)| (dot, d, n)).collect();
            want.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            want.truncate(keep);
            prop_assert_eq!(acc.best(min, keep), &want[..]);
        }
    }

    #[test]
    fn an_empty_list_on_a_new_accumulator_adds_nothing() {
        let mut acc = Accumulator::default();
        acc.clear();
        acc.add_list(&[], 1.0, None);
        assert_eq!(acc.iter().count(), 0);
        assert!(acc.best(f32::NEG_INFINITY, 10).is_empty());
    }

    #[test]
    fn stamps_wrapping_around_clear_the_table() {
        let mut acc = Accumulator::default();
        acc.clear();
        acc.add_list(&[(7, 1.0)], 1.0, None);
        acc.stamp = u32::MAX;
        acc.clear();
        assert_eq!(acc.iter().count(), 0);
        acc.add_list(&[(7, 2.0)], 1.0, None);
        assert_eq!(acc.iter().collect::<Vec<_>>(), [(7, 2.0, 1)]);
    }
}
