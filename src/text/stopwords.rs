//! Stopwords: a small list of English function words, and a table that
//! tests a word against it in the tokenizer's inner loop.

/// A small list of English function words that never serve as salient terms.
///
/// The corpus-learned IDF already gives them low weight; this list keeps them
/// out while a streaming detector has seen too few documents to know that.
pub fn is_stopword(term: &str) -> bool {
    STOPWORDS.binary_search(&term).is_ok()
}

/// The [`is_stopword`] test for the tokenizer's inner loop: each stopword
/// (at most [`StopwordTable::MAX_BYTES`] bytes) packed into a `u64`, in a
/// table of slot pairs found by a multiplier chosen, once, so that no pair
/// overflows. A test is one multiply, one cache line and two compares,
/// without a branch that depends on the word.
#[derive(Debug, Clone)]
pub(crate) struct StopwordTable {
    mult: u64,
    slots: Box<[u64]>,
}

impl StopwordTable {
    /// The longest stopword, in bytes.
    pub(crate) const MAX_BYTES: usize = 7;
    /// log2 of the number of slots (1,024: 8 KB).
    const BITS: u32 = 10;
    /// A value no packed word of at most 7 bytes takes (its top byte is set).
    const EMPTY: u64 = u64::MAX;

    pub(crate) fn new() -> StopwordTable {
        let words: Vec<u64> = STOPWORDS.iter().map(|w| Self::pack(w.as_bytes())).collect();
        // The first multiplier of a fixed sequence that places every word: deterministic.
        for i in 0u64.. {
            let mult = crate::hash::mix64(i) | 1;
            let mut slots = vec![Self::EMPTY; 1 << Self::BITS].into_boxed_slice();
            let placed = words.iter().all(|&p| {
                let at = Self::pair(p, mult);
                match (slots[at], slots[at + 1]) {
                    (Self::EMPTY, _) => slots[at] = p,
                    (_, Self::EMPTY) => slots[at + 1] = p,
                    _ => return false,
                }
                true
            });
            if placed {
                return StopwordTable { mult, slots };
            }
        }
        unreachable!("some multiplier places 115 words in 512 pairs of slots")
    }

    /// The bytes of a word of at most 8 bytes as a little-endian `u64`, zero-padded.
    #[inline(always)]
    fn pack(b: &[u8]) -> u64 {
        let mut w = [0u8; 8];
        w[..b.len()].copy_from_slice(b);
        u64::from_le_bytes(w)
    }

    /// The first slot of the pair of a packed word.
    #[inline(always)]
    fn pair(packed: u64, mult: u64) -> usize {
        (packed.wrapping_mul(mult) >> (64 - Self::BITS)) as usize & !1
    }

    /// Is `form` (a normalized term form) a stopword? Forms never hold a
    /// zero byte, so packing is one-to-one on them.
    #[inline(always)]
    pub(crate) fn contains(&self, form: &[u8]) -> bool {
        self.contains_in(form, 0, form.len())
    }

    /// [`contains`](Self::contains) for `buf[start..start + len]`: when eight
    /// bytes follow `start`, one load and a mask pack the word (copying a
    /// word of any length into a buffer first stalls the load that reads it).
    #[inline(always)]
    pub(crate) fn contains_in(&self, buf: &[u8], start: usize, len: usize) -> bool {
        if len > Self::MAX_BYTES {
            return false;
        }
        let p = match buf.get(start..start + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()) {
            // `len` is at most 7: the mask keeps its low `len` bytes.
            Some(w) => u64::from_le_bytes(w) & ((1u64 << (8 * len)) - 1),
            None => Self::pack(&buf[start..start + len]),
        };
        let at = Self::pair(p, self.mult);
        (self.slots[at] == p) | (self.slots[at + 1] == p)
    }
}

pub(crate) const STOPWORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "before", "being",
    "between", "both", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he",
    "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "it's", "its", "just", "may",
    "me", "might", "more", "most", "much", "must", "my", "no", "not", "now", "of", "on", "one", "only", "or", "other",
    "our", "out", "over", "said", "says", "she", "should", "so", "some", "such", "than", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "up", "us", "very",
    "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would",
    "you", "your",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopword_table_equals_the_list() {
        let table = StopwordTable::new();
        for w in STOPWORDS {
            assert!(w.len() <= StopwordTable::MAX_BYTES && table.contains(w.as_bytes()), "{w}");
        }
        for w in ["", "x", "thee", "th", "wil", "whoms", "betwee", "betweenx", "the\u{1}", "zzzzzzz", "it’s"] {
            assert_eq!(table.contains(w.as_bytes()), is_stopword(w), "{w:?}");
            assert!(!table.contains(w.as_bytes()), "{w:?}");
        }
        // Packed from a longer buffer: by one load and a mask, or by copy near its end.
        let text = b"xx the betweenness it's whom said";
        for (start, len, stop) in
            [(3, 3, true), (3, 2, false), (7, 7, true), (7, 8, false), (19, 4, true), (29, 4, true), (29, 3, false)]
        {
            assert_eq!(table.contains_in(text, start, len), stop, "{start} {len}");
        }
    }

    #[test]
    fn stopwords_sorted() {
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]));
        // The analyzer only looks up terms of at most 7 bytes.
        assert!(STOPWORDS.iter().all(|w| w.len() <= 7));
    }
}
