//! Corpus statistics learned from the documents themselves, mergeable.
//!
//! * **Term document frequency**, for the IDF that weights salient terms.
//! * **Capitalization** of each term in mid-sentence positions, so names
//!   (terms capitalized in at least half of their mid-sentence uses) can be
//!   up-weighted without a name list.
//! * **Line document frequency**, overall and per source, to recognize
//!   boilerplate: site chrome ("Enable Read mode", "Advertisement", copyright
//!   notices, related-link lists) repeats across the pages of a site, while
//!   article text does not.
//!
//! All counts are sums over documents, so statistics of disjoint shards merge
//! by addition ([`CorpusStats::merge`]) and a streaming detector updates them
//! one document at a time ([`CorpusStats::observe`]). Keys are seeded XXH3
//! hashes, never strings.

use rustc_hash::FxHashMap;

mod learner;

pub(crate) use learner::{Learner, NO_TERM, TokenTypes};

/// Per-term counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TermStat {
    /// Documents containing the term.
    pub(crate) df: u32,
    /// Mid-sentence occurrences.
    pub(crate) mid: u32,
    /// Mid-sentence occurrences with a capital first letter.
    pub(crate) mid_capitalized: u32,
}

impl TermStat {
    /// Capitalized in at least half of its (≥ 2) mid-sentence uses: a name.
    pub(crate) fn is_name(&self) -> bool {
        self.mid >= 2 && 2 * u64::from(self.mid_capitalized) >= u64::from(self.mid)
    }
}

/// What one document contributes to [`CorpusStats`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Observation {
    /// Distinct terms with (mid-sentence uses, capitalized mid-sentence uses).
    pub(crate) terms: Vec<(u64, u32, u32)>,
    /// Distinct line hashes.
    pub(crate) lines: Vec<u64>,
    /// Distinct (line, source) hashes; empty when the document has no source.
    pub(crate) source_lines: Vec<u64>,
}

/// Learned corpus statistics: term document frequencies (for the IDF),
/// mid-sentence capitalization (to tell names), and line document
/// frequencies, overall and per source (to tell boilerplate). All counts
/// are sums over documents, so statistics of disjoint parts of a corpus
/// merge by addition ([`merge`](Self::merge)) into those of the whole. Keys
/// are seeded XXH3 hashes, never strings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorpusStats {
    pub(crate) docs: u64,
    // All maps: keys are seeded XXH3 outputs, in memory; persisted forms sort them.
    pub(crate) terms: FxHashMap<u64, TermStat>,
    pub(crate) lines: FxHashMap<u64, u32>,
    pub(crate) source_lines: FxHashMap<u64, u32>,
}

impl CorpusStats {
    /// Empty statistics.
    pub fn new() -> CorpusStats {
        CorpusStats::default()
    }

    /// Number of documents observed.
    pub fn docs(&self) -> u64 {
        self.docs
    }

    /// Adds one document's observation.
    pub(crate) fn observe(&mut self, obs: &Observation) {
        self.docs += 1;
        for &(t, mid, cap) in &obs.terms {
            let s = self.terms.entry(t).or_default();
            s.df = s.df.saturating_add(1);
            s.mid = s.mid.saturating_add(mid);
            s.mid_capitalized = s.mid_capitalized.saturating_add(cap);
        }
        for &l in &obs.lines {
            let c = self.lines.entry(l).or_default();
            *c = c.saturating_add(1);
        }
        for &l in &obs.source_lines {
            let c = self.source_lines.entry(l).or_default();
            *c = c.saturating_add(1);
        }
    }

    /// Removes one document's observation (the inverse of [`observe`](Self::observe)).
    pub(crate) fn forget(&mut self, obs: &Observation) {
        self.docs = self.docs.saturating_sub(1);
        for &(t, mid, cap) in &obs.terms {
            if let Some(s) = self.terms.get_mut(&t) {
                s.df = s.df.saturating_sub(1);
                s.mid = s.mid.saturating_sub(mid);
                s.mid_capitalized = s.mid_capitalized.saturating_sub(cap);
                if s.df == 0 {
                    self.terms.remove(&t);
                }
            }
        }
        for (map, keys) in [(&mut self.lines, &obs.lines), (&mut self.source_lines, &obs.source_lines)] {
            for l in keys {
                if let Some(c) = map.get_mut(l) {
                    *c = c.saturating_sub(1);
                    if *c == 0 {
                        map.remove(l);
                    }
                }
            }
        }
    }

    /// Adds another shard's statistics to these.
    pub fn merge(&mut self, other: &CorpusStats) {
        self.docs += other.docs;
        // Most lines are found in one document (terms mostly repeat: no room is made for them).
        self.lines.reserve(other.lines.len());
        self.source_lines.reserve(other.source_lines.len());
        for (t, o) in &other.terms {
            let s = self.terms.entry(*t).or_default();
            s.df = s.df.saturating_add(o.df);
            s.mid = s.mid.saturating_add(o.mid);
            s.mid_capitalized = s.mid_capitalized.saturating_add(o.mid_capitalized);
        }
        for (mine, theirs) in [(&mut self.lines, &other.lines), (&mut self.source_lines, &other.source_lines)] {
            for (l, c) in theirs {
                let e = mine.entry(*l).or_default();
                *e = e.saturating_add(*c);
            }
        }
    }

    /// Counts of one term (zero when never seen).
    pub(crate) fn term(&self, term: u64) -> TermStat {
        self.terms.get(&term).copied().unwrap_or_default()
    }

    /// The smoothed IDF of a term in `df` documents.
    pub(crate) fn idf_of(&self, df: u32) -> f64 {
        ((1.0 + self.docs as f64) / (1.0 + f64::from(df))).ln() + 1.0
    }

    /// Documents containing a line.
    pub(crate) fn line_df(&self, line: u64) -> u32 {
        self.lines.get(&line).copied().unwrap_or(0)
    }

    /// Documents of one source containing a line (key from the line and source hashes).
    pub(crate) fn source_line_df(&self, source_line: u64) -> u32 {
        self.source_lines.get(&source_line).copied().unwrap_or(0)
    }

    /// Drops what no decision reads once learning is done: the lines found
    /// in one document only (a line is boilerplate only when it repeats, in
    /// at least 2 documents), so those lines read as unseen.
    /// Most lines of a corpus are unique, so this frees most of the line
    /// maps before the features pass. Compact only complete statistics:
    /// merging compacted shards loses the lines each shard saw once.
    pub fn compact(&mut self) {
        for map in [&mut self.lines, &mut self.source_lines] {
            map.retain(|_, c| *c >= 2);
            map.shrink_to_fit();
        }
    }

    /// Number of distinct terms.
    pub fn vocabulary(&self) -> usize {
        self.terms.len()
    }
}

/// What the features pass reads of corpus statistics: the statistics
/// themselves, or the statistics with one more document counted
/// ([`WithDocument`]).
pub(crate) trait StatsView {
    /// Number of documents observed.
    fn docs(&self) -> u64;
    /// Counts of one term (zero when never seen).
    fn term(&self, term: u64) -> TermStat;
    /// Documents a line hash was seen in.
    fn line_df(&self, line: u64) -> u32;
    /// Documents of one source a (line, source) key was seen in.
    fn source_line_df(&self, key: u64) -> u32;
    /// Smoothed inverse document frequency of a document frequency.
    fn idf_of(&self, df: u32) -> f64 {
        ((1.0 + self.docs() as f64) / (1.0 + f64::from(df))).ln() + 1.0
    }
}

impl StatsView for CorpusStats {
    fn docs(&self) -> u64 {
        self.docs
    }
    fn term(&self, term: u64) -> TermStat {
        CorpusStats::term(self, term)
    }
    fn line_df(&self, line: u64) -> u32 {
        CorpusStats::line_df(self, line)
    }
    fn source_line_df(&self, key: u64) -> u32 {
        CorpusStats::source_line_df(self, key)
    }
}

impl<T: StatsView + ?Sized> StatsView for &T {
    fn docs(&self) -> u64 {
        (**self).docs()
    }
    fn term(&self, term: u64) -> TermStat {
        (**self).term(term)
    }
    fn line_df(&self, line: u64) -> u32 {
        (**self).line_df(line)
    }
    fn source_line_df(&self, key: u64) -> u32 {
        (**self).source_line_df(key)
    }
}

/// Statistics with one document's observation counted, without changing
/// them: exactly what [`CorpusStats::observe`] would make them read.
pub(crate) struct WithDocument<'a> {
    base: &'a CorpusStats,
    terms: FxHashMap<u64, (u32, u32, u32)>,
    lines: FxHashMap<u64, u32>,
    source_lines: FxHashMap<u64, u32>,
}

impl<'a> WithDocument<'a> {
    pub(crate) fn new(base: &'a CorpusStats, obs: &Observation) -> WithDocument<'a> {
        let mut terms: FxHashMap<u64, (u32, u32, u32)> = FxHashMap::default();
        for &(t, mid, cap) in &obs.terms {
            let e = terms.entry(t).or_default();
            *e = (e.0 + 1, e.1.saturating_add(mid), e.2.saturating_add(cap));
        }
        let count = |keys: &[u64]| {
            let mut m: FxHashMap<u64, u32> = FxHashMap::default();
            keys.iter().for_each(|&k| *m.entry(k).or_default() += 1);
            m
        };
        WithDocument { base, terms, lines: count(&obs.lines), source_lines: count(&obs.source_lines) }
    }
}

impl StatsView for WithDocument<'_> {
    fn docs(&self) -> u64 {
        self.base.docs + 1
    }
    fn term(&self, term: u64) -> TermStat {
        let mut s = self.base.term(term);
        if let Some(&(n, mid, cap)) = self.terms.get(&term) {
            s.df = s.df.saturating_add(n);
            s.mid = s.mid.saturating_add(mid);
            s.mid_capitalized = s.mid_capitalized.saturating_add(cap);
        }
        s
    }
    fn line_df(&self, line: u64) -> u32 {
        self.base.line_df(line).saturating_add(self.lines.get(&line).copied().unwrap_or(0))
    }
    fn source_line_df(&self, key: u64) -> u32 {
        self.base.source_line_df(key).saturating_add(self.source_lines.get(&key).copied().unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(terms: &[u64], lines: &[u64]) -> Observation {
        Observation {
            terms: terms.iter().map(|&t| (t, 1, u32::from(t == 1))).collect(),
            lines: lines.to_vec(),
            source_lines: vec![],
        }
    }

    #[test]
    fn merge_equals_sequential_and_forget_inverts() {
        let docs = [obs(&[1, 2], &[10]), obs(&[2, 3], &[10, 11]), obs(&[1], &[12])];
        let mut all = CorpusStats::new();
        docs.iter().for_each(|o| all.observe(o));
        let mut a = CorpusStats::new();
        a.observe(&docs[0]);
        let mut b = CorpusStats::new();
        b.observe(&docs[1]);
        b.observe(&docs[2]);
        a.merge(&b);
        assert_eq!(a, all);
        assert_eq!(all.term(2).df, 2);
        assert_eq!(all.line_df(10), 2);
        assert!(all.term(1).is_name());
        assert!(!all.term(2).is_name());
        assert!(all.idf_of(all.term(3).df) > all.idf_of(all.term(2).df));
        let mut c = all.clone();
        c.forget(&docs[2]);
        let mut d = CorpusStats::new();
        d.observe(&docs[0]);
        d.observe(&docs[1]);
        assert_eq!(c, d);
    }

    #[test]
    fn compact_keeps_repeated_lines_only() {
        let docs = [obs(&[1], &[10, 11]), obs(&[2], &[10, 12]), obs(&[1], &[10])];
        let mut all = CorpusStats::new();
        docs.iter().for_each(|o| all.observe(o));
        let before = all.clone();
        all.compact();
        assert_eq!(all.line_df(10), 3);
        assert_eq!((all.line_df(11), all.line_df(12)), (0, 0));
        assert_eq!((all.docs(), all.term(1), all.vocabulary()), (before.docs(), before.term(1), before.vocabulary()));
    }
}
