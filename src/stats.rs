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

use crate::hash::mix64;

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

/// Batch learning: the statistics of many documents without an
/// [`Observation`] per document. Each count carries the number of the last
/// document that added to its document frequency, so a term or line found
/// twice in one document counts once without sorting the document's terms.
///
/// The learner also gives each token a four-byte *code* from which
/// [`TokenTypes`] gives back the token's hash, term and kind, so that a
/// caller can keep a document's tokens and build its features after
/// learning without tokenizing it again ([`Learner::finish_with_types`]).
/// Most tokens are their own term (`term == hash | 1`): their code is the
/// term's number and the hash's low bit, found by the same look-up that
/// counts the term. Other tokens (stopwords, possessives, graphemes'
/// bigrams) get the number of their type, in a map of such types.
#[derive(Debug, Default)]
pub(crate) struct Learner {
    docs: u32,
    /// Term hash → its counts and number.
    terms: FxHashMap<u64, TermEntry>,
    /// [`type_key`] of a token not coded by its term → its type number.
    type_ids: FxHashMap<u64, u32>,
    types: TokenTypes,
    lines: FxHashMap<u64, (u32, u32)>,
    source_lines: FxHashMap<u64, (u32, u32)>,
}

/// A term as the learner counts it.
#[derive(Debug, Clone, Copy)]
struct TermEntry {
    stat: TermStat,
    /// The last document that added to `stat.df`.
    last: u32,
    /// Its number in [`TokenTypes::terms`].
    id: u32,
    /// Whether it was first met as a number.
    number: bool,
}

/// The key of a token type: its hash, term (0 for none) and kind mixed into
/// one word. A type is almost always a function of its hash alone, but a
/// grapheme's bigram term depends on the grapheme before it, and
/// normalization can give a number and a word one hash. Distinct types
/// share a key with probability about 2^-64 a pair, as distinct tokens
/// share a hash.
#[inline]
fn type_key(hash: u64, term: u64, number: bool) -> u64 {
    hash ^ mix64(term ^ (u64::from(number) << 1))
}

/// The term number of a token type without a term.
pub(crate) const NO_TERM: u32 = u32::MAX;

/// The bit of a token code that marks a type number (clear: a term number
/// and the hash's low bit).
const TYPED: u32 = 1 << 31;

/// One token: its hash, its term's number in [`TokenTypes`] (or
/// [`NO_TERM`]) and whether it is a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TokenType {
    pub(crate) hash: u64,
    pub(crate) term: u32,
    pub(crate) number: bool,
}

/// The terms and token types one [`Learner`] met, by number: what it takes
/// to turn its token codes back into tokens ([`TokenTypes::decode`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct TokenTypes {
    /// Each term's hash, and whether it was first met as a number.
    pub(crate) terms: Vec<(u64, bool)>,
    /// Each type of a token not coded by its term.
    types: Vec<TokenType>,
}

impl TokenTypes {
    /// The token a code from [`Learner::token`] of this learner stands for.
    #[inline]
    pub(crate) fn decode(&self, code: u32) -> TokenType {
        if code & TYPED == 0 {
            let id = code >> 1;
            let (term, number) = self.terms[id as usize];
            TokenType { hash: (term & !1) | u64::from(code & 1), term: id, number }
        } else {
            self.types[(code & !TYPED) as usize]
        }
    }
}

impl Learner {
    /// Starts the next document.
    #[inline]
    pub(crate) fn begin(&mut self) {
        self.docs += 1;
    }

    /// One token of the current document: its hash, its term (0 for none),
    /// whether it is a number, and for its term, whether it is
    /// mid-sentence (`mid`) and capitalized there (`cap`). Counts the term
    /// and returns the token's code ([`TokenTypes::decode`]).
    ///
    /// A learner numbers at most 2^30 terms and 2^31 other types: more
    /// would take tens of gigabytes of memory first.
    #[inline]
    pub(crate) fn token(&mut self, hash: u64, term: u64, number: bool, mid: bool, cap: bool) -> u32 {
        if term == 0 {
            return self.typed(hash, term, NO_TERM, number);
        }
        let (id, first_number) = self.term(term, number, mid, cap);
        if term == hash | 1 && first_number == number {
            (id << 1) | (hash & 1) as u32
        } else {
            self.typed(hash, term, id, number)
        }
    }

    /// One use of a term (not 0) in the current document, by a token that
    /// is a number or not, mid-sentence (`mid`) and capitalized there
    /// (`cap`): counts it, and returns the term's number and whether it was
    /// first met as a number. The whole of [`token`](Self::token) for a
    /// caller that keeps no codes.
    #[inline]
    pub(crate) fn term(&mut self, term: u64, number: bool, mid: bool, cap: bool) -> (u32, bool) {
        let doc = self.docs;
        let next = self.types.terms.len() as u32;
        let e = self.terms.entry(term).or_insert(TermEntry { stat: TermStat::default(), last: 0, id: next, number });
        // Without branches: whether a term is new to the document, or mid-sentence, is
        // not predictable.
        e.stat.df = e.stat.df.saturating_add(u32::from(e.last != doc));
        e.last = doc;
        e.stat.mid = e.stat.mid.saturating_add(u32::from(mid));
        e.stat.mid_capitalized = e.stat.mid_capitalized.saturating_add(u32::from(mid & cap));
        let found = (e.id, e.number);
        if found.0 == next {
            self.types.terms.push((term, number));
        }
        found
    }

    /// The code of a token not coded by its term.
    fn typed(&mut self, hash: u64, term: u64, id: u32, number: bool) -> u32 {
        let next = self.types.types.len() as u32;
        let ty = *self.type_ids.entry(type_key(hash, term, number)).or_insert(next);
        if ty == next {
            self.types.types.push(TokenType { hash, term: id, number });
        }
        ty | TYPED
    }

    /// A line of the current document.
    #[inline]
    pub(crate) fn line(&mut self, line: u64) {
        Learner::count(&mut self.lines, line, self.docs);
    }

    /// A (line, source) key of the current document.
    #[inline]
    pub(crate) fn source_line(&mut self, key: u64) {
        Learner::count(&mut self.source_lines, key, self.docs);
    }

    fn count(map: &mut FxHashMap<u64, (u32, u32)>, key: u64, doc: u32) {
        let (c, last) = map.entry(key).or_insert((0, 0));
        *c = c.saturating_add(u32::from(*last != doc));
        *last = doc;
    }

    /// The statistics learned, and the token types met, by the numbers
    /// [`token`](Self::token) gave them.
    pub(crate) fn finish_with_types(self) -> (CorpusStats, TokenTypes) {
        let terms = self.terms.into_iter().map(|(t, e)| (t, e.stat)).collect();
        let stats = CorpusStats {
            docs: u64::from(self.docs),
            terms,
            lines: self.lines.into_iter().map(|(l, (c, _))| (l, c)).collect(),
            source_lines: self.source_lines.into_iter().map(|(l, (c, _))| (l, c)).collect(),
        };
        (stats, self.types)
    }
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
