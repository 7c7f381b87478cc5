//! Batch learning: counting a batch's documents straight into statistics,
//! and coding their tokens so they can be kept between the two passes.

use rustc_hash::FxHashMap;

use crate::hash::mix64;

use super::{CorpusStats, TermStat};

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
