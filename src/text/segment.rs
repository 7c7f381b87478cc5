//! Word segmentation: the UAX #29 words of a text, fast where the text allows.
//!
//! Two scanners find the same words. [`Words`] (behind the
//! [`Tokens`](super::Tokens) iterator) scans a run of ASCII chunks byte by
//! byte; [`for_each_token`] (behind the analyzer and the shingler) finds the
//! ASCII words as runs of a bit mask of the text. Both hand the chunks that
//! hold a non-ASCII byte to `unicode_word_indices`, and both split a word of
//! a script written without spaces ([`is_spaceless_script`]) into
//! graphemes. Property tests check both against UAX #29 on the whole text.

use unicode_segmentation::{UnicodeSegmentation, UnicodeWordIndices};

/// Where [`for_each_token`] found a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// The ASCII scanner: the token is ASCII.
    Ascii,
    /// UAX #29 word segmentation of a chunk holding a non-ASCII byte.
    Unicode,
    /// A grapheme of a word of a spaceless script, which ends at the given offset.
    Run(usize),
}

/// Calls `f(start, token, origin)` for each token of `text` in order: the
/// byte offset and text of every [`Token`](super::Token) of [`tokens`](super::tokens), without the rest,
/// and where the token came from ([`Origin`]).
///
/// The segmentation of [`Words`], found another way: the ASCII words are
/// the runs of word bytes in a bit mask of the text (a word never spans
/// whitespace), a run joined to the next when one byte between them joins
/// (`MidLetter`, `MidNum`, `MidNumLet`, `Single_Quote`); the chunks holding a
/// non-ASCII byte are cleared from the mask and segmented by UAX #29, in
/// text order.
pub(crate) fn for_each_token<'a, F: FnMut(usize, &'a str, Origin)>(text: &'a str, mut f: F) {
    let b = text.as_bytes();
    let mut mask = word_mask(b);
    let mut chunks = Vec::new();
    let mut at = next_unicode_chunk(b, 0);
    while at < b.len() {
        let end = b[at..].iter().position(u8::is_ascii_whitespace).map_or(b.len(), |k| at + k);
        for i in at..end {
            mask[i / 64] &= !(1 << (i % 64));
        }
        chunks.push((at, end));
        at = next_unicode_chunk(b, end);
    }
    // Emits the word `start..end`, after the tokens of the chunks before it.
    let mut next_chunk = 0;
    let mut emit = |start: usize, end: usize, f: &mut F| {
        while let Some(&(at, end)) = chunks.get(next_chunk).filter(|c| c.0 < start) {
            unicode_chunk_tokens(text, at, end, f);
            next_chunk += 1;
        }
        // `unicode_words` keeps segments with at least one alphanumeric
        // character (only a run starting with `_` can lack one).
        if b[start] != b'_' || b[start..end].iter().any(u8::is_ascii_alphanumeric) {
            f(start, &text[start..end], Origin::Ascii);
        }
    };
    let mut edges = Edges { mask: &mask, next: 0, bits: 0, carry: 0 };
    let mut word: Option<(usize, usize)> = None;
    while let (Some(s), Some(e)) = (edges.next(), edges.next()) {
        word = match word {
            // One byte between two runs may join them (WB6, WB7, WB11, WB12).
            Some((ws, we)) if s == we + 1 && mid_joins(b[we], class_of(b[we - 1]) & class_of(b[s])) => Some((ws, e)),
            Some((ws, we)) => {
                emit(ws, we, &mut f);
                Some((s, e))
            }
            None => Some((s, e)),
        };
    }
    if let Some((ws, we)) = word {
        emit(ws, we, &mut f);
    }
    for &(at, end) in &chunks[next_chunk..] {
        unicode_chunk_tokens(text, at, end, &mut f);
    }
}

/// The tokens of the whitespace-separated chunk `text[at..end]` that holds a
/// non-ASCII byte, as [`Tokens`](super::Tokens) gives them.
fn unicode_chunk_tokens<'a>(text: &'a str, at: usize, end: usize, f: &mut dyn FnMut(usize, &'a str, Origin)) {
    let base = segment_start(text, at);
    for (off, word) in text[base..end].unicode_word_indices() {
        let start = base + off;
        if !is_spaceless_script(word.chars().next().unwrap_or(' ')) {
            f(start, word, Origin::Unicode);
            continue;
        }
        // As in `Tokens::next`: graphemes of the run, keeping the spaceless
        // ones and the alphanumeric others.
        for (off, g) in word.grapheme_indices(true) {
            let first = g.chars().next().unwrap_or(' ');
            if is_spaceless_script(first) || first.is_alphanumeric() {
                f(start + off, g, Origin::Run(start + word.len()));
            }
        }
    }
}

/// Where to start segmenting the chunk that starts at `at` by UAX #29.
///
/// A combining mark right after whitespace belongs to the whitespace's
/// segment (WB4), and spaces join other spaces (`WB3d`), so segment from the
/// start of the whole run of space-like characters before the chunk: a run
/// that always begins a segment. (ASCII whitespace bytes are always
/// character boundaries in UTF-8.)
fn segment_start(text: &str, at: usize) -> usize {
    let mut base = at;
    while let Some(c) = text[..base].chars().next_back() {
        if !(c.is_ascii_whitespace() || is_wseg_space(c)) {
            break;
        }
        base -= c.len_utf8();
    }
    base
}

/// The positions where a bit mask changes, in order: the starts and ends of
/// its runs of set bits, alternately (every run ends inside the mask: the
/// last word of a [`word_mask`] is zero).
struct Edges<'m> {
    mask: &'m [u64],
    /// Index of the next mask word to load.
    next: usize,
    /// The edges of the last loaded word not yet returned.
    bits: u64,
    /// The top bit of the last loaded word.
    carry: u64,
}

impl Edges<'_> {
    #[inline(always)]
    fn next(&mut self) -> Option<usize> {
        while self.bits == 0 {
            let &m = self.mask.get(self.next)?;
            self.bits = m ^ (m << 1 | self.carry);
            self.carry = m >> 63;
            self.next += 1;
        }
        let t = self.bits.trailing_zeros() as usize;
        self.bits &= self.bits - 1;
        Some((self.next - 1) * 64 + t)
    }
}

/// Word segmentation by UAX #29, fast where the text allows.
///
/// No UAX #29 rule joins across ASCII whitespace (spaces, tabs and newlines
/// always break, and a combining mark after one attaches to it), so the text
/// is a sequence of whitespace-separated chunks that can be segmented alone.
/// Chunks of pure ASCII are segmented by a byte scanner applying the same
/// rules (WB5–WB13b restricted to ASCII), a whole run of them at once (a
/// word never spans whitespace); a chunk holding a non-ASCII byte is
/// segmented by `unicode_word_indices`. Property tests check this against
/// `unicode_word_indices` on the whole text.
#[derive(Debug)]
pub(super) struct Words<'a> {
    /// Next byte to scan in the current ASCII region.
    pos: usize,
    /// End of the ASCII region: the start of the next chunk that holds a
    /// non-ASCII byte, or the end of the text.
    region_end: usize,
    /// The non-ASCII chunk being segmented by UAX #29: its offset and words.
    uni: Option<(usize, UnicodeWordIndices<'a>)>,
}

/// Byte classes for the ASCII scanner.
mod class {
    /// ASCII letter, digit or `_` (UAX #29 `ALetter`, `Numeric`, `ExtendNumLet` in ASCII).
    pub const WORD: u8 = 1;
    /// ASCII letter.
    pub const LETTER: u8 = 2;
    /// ASCII digit.
    pub const DIGIT: u8 = 4;
    /// `:`, `.`, `'`, `,` or `;`: may join two letters or two digits.
    pub const MID: u8 = 8;
    /// ASCII whitespace (`u8::is_ascii_whitespace`).
    pub const SPACE: u8 = 16;

    pub static TABLE: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut i = 0;
        while i < 128 {
            let c = i as u8;
            t[i] = if c.is_ascii_alphabetic() {
                WORD | LETTER
            } else if c.is_ascii_digit() {
                WORD | DIGIT
            } else if c == b'_' {
                WORD
            } else if matches!(c, b':' | b'.' | b'\'' | b',' | b';') {
                MID
            } else if c.is_ascii_whitespace() {
                SPACE
            } else {
                0
            };
            i += 1;
        }
        t
    };
}

#[inline(always)]
fn class_of(b: u8) -> u8 {
    class::TABLE[b as usize]
}

/// UAX #29 `WSegSpace`: the space separators that join each other (rule `WB3d`).
fn is_wseg_space(c: char) -> bool {
    matches!(c, ' ' | '\u{1680}' | '\u{2000}'..='\u{2006}' | '\u{2008}'..='\u{200A}' | '\u{205F}' | '\u{3000}')
}

/// The next UAX #29 word of ASCII `b` at or after `i`, as a byte range.
#[inline]
fn next_ascii_word(b: &[u8], mut i: usize) -> Option<(usize, usize)> {
    let n = b.len();
    loop {
        while i < n && class_of(b[i]) & class::WORD == 0 {
            i += 1;
        }
        if i >= n {
            return None;
        }
        let start = i;
        loop {
            while i < n && class_of(b[i]) & class::WORD != 0 {
                i += 1;
            }
            if i + 1 < n && class_of(b[i]) & class::MID != 0 {
                let (prev, mid, next) = (class_of(b[i - 1]), b[i], class_of(b[i + 1]));
                if mid_joins(mid, prev & next) {
                    i += 1;
                    continue;
                }
            }
            break;
        }
        // `unicode_words` keeps segments with at least one alphanumeric
        // character (only a word starting with `_` can lack one).
        if b[start] != b'_' || b[start..i].iter().any(u8::is_ascii_alphanumeric) {
            return Some((start, i));
        }
    }
}

/// One bit per byte of `b` (bit `i % 64` of word `i / 64`), set for the
/// ASCII letters, digits and `_`: the word bytes of the ASCII scanner.
fn word_mask(b: &[u8]) -> Vec<u64> {
    /// The word-byte bits of 8 bytes (bit `j` for byte `j`), branch-free.
    #[inline(always)]
    fn bits8(x: u64) -> u64 {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        // Per byte, on 7-bit values (no carries between bytes): the high bit
        // of `v + 0x80 - lo` is set when `v >= lo`, that of `v + 0x7f - hi` when `v > hi`.
        let in_range =
            |v: u64, lo: u8, hi: u8| (v + (0x80 - u64::from(lo)) * ONES) & !(v + (0x7f - u64::from(hi)) * ONES) & HIGH;
        let v = x & !HIGH;
        let letter = in_range(v | (0x20 * ONES), b'a', b'z');
        let digit = in_range(v, b'0', b'9');
        let underscore = in_range(v, b'_', b'_');
        let word = (letter | digit | underscore) & !x & HIGH;
        // Gather the eight high bits into the low byte.
        (word >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
    }
    let mut mask = Vec::with_capacity(b.len() / 64 + 2);
    let mut blocks = b.chunks_exact(64);
    let block = |c: &[u8]| {
        c.chunks_exact(8).enumerate().fold(0u64, |m, (j, lane)| {
            let mut w = [0u8; 8];
            w.copy_from_slice(lane);
            m | bits8(u64::from_le_bytes(w)) << (8 * j)
        })
    };
    for c in &mut blocks {
        mask.push(block(c));
    }
    let rest = blocks.remainder();
    if !rest.is_empty() {
        let mut last = [0u8; 64];
        last[..rest.len()].copy_from_slice(rest);
        mask.push(block(&last));
    }
    // A zero word past the end: every run of set bits ends inside the mask.
    mask.push(0);
    mask
}

/// Does the byte `mid` join two word bytes whose common classes are `both`?
#[inline(always)]
fn mid_joins(mid: u8, both: u8) -> bool {
    match mid {
        b':' => both & class::LETTER != 0,                          // MidLetter (WB6, WB7)
        b'.' | b'\'' => both & (class::LETTER | class::DIGIT) != 0, // MidNumLet, Single_Quote (WB6, WB7, WB11, WB12)
        b',' | b';' => both & class::DIGIT != 0,                    // MidNum (WB11, WB12)
        _ => false,
    }
}

/// Index of the first byte at or after `from` that is not ASCII, or `b.len()`.
#[inline]
fn next_non_ascii(b: &[u8], from: usize) -> usize {
    let rest = &b[from..];
    let mut chunks = rest.chunks_exact(16);
    let mut off = 0;
    for c in &mut chunks {
        let mut w = [0u8; 16];
        w.copy_from_slice(c);
        if u128::from_ne_bytes(w) & 0x8080_8080_8080_8080_8080_8080_8080_8080 != 0 {
            break;
        }
        off += 16;
    }
    rest[off..].iter().position(|&x| x >= 0x80).map_or(b.len(), |k| from + off + k)
}

/// Start of the first whitespace-separated chunk at or after `from` that
/// holds a non-ASCII byte, or `b.len()`; `from` is 0 or the end of a chunk.
#[inline]
fn next_unicode_chunk(b: &[u8], from: usize) -> usize {
    let na = next_non_ascii(b, from);
    if na == b.len() {
        return na;
    }
    b[from..na].iter().rposition(|&x| class_of(x) & class::SPACE != 0).map_or(from, |k| from + k + 1)
}

impl<'a> Words<'a> {
    pub(super) fn new(text: &'a str) -> Words<'a> {
        Words { pos: 0, region_end: next_unicode_chunk(text.as_bytes(), 0), uni: None }
    }

    /// The next word: its byte range, and whether it was found by the ASCII
    /// scanner (then it is ASCII).
    #[inline]
    pub(super) fn next(&mut self, text: &'a str) -> Option<(usize, usize, bool)> {
        let b = text.as_bytes();
        loop {
            if let Some((base, words)) = &mut self.uni {
                if let Some((o, w)) = words.next() {
                    return Some((*base + o, *base + o + w.len(), false));
                }
                self.uni = None;
            }
            if let Some((s, e)) = next_ascii_word(&b[..self.region_end], self.pos) {
                self.pos = e;
                return Some((s, e, true));
            }
            let start = self.region_end;
            if start >= b.len() {
                self.pos = start;
                return None;
            }
            let end = b[start..].iter().position(u8::is_ascii_whitespace).map_or(b.len(), |k| start + k);
            let base = segment_start(text, start);
            self.uni = Some((base, text[base..end].unicode_word_indices()));
            self.pos = end;
            self.region_end = next_unicode_chunk(b, end);
        }
    }
}

/// Is `c` in a script that is written without spaces between words?
pub fn is_spaceless_script(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF      // Thai, Lao
        | 0x0F00..=0x0FFF    // Tibetan
        | 0x1000..=0x109F    // Myanmar
        | 0x1780..=0x17FF    // Khmer
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x31F0..=0x31FF    // Katakana phonetic extensions
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0xFF66..=0xFF9F    // half-width Katakana
        | 0x20000..=0x3134F // CJK extensions B–G
    )
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::text::tokens;

    proptest::proptest! {
        #[test]
        fn ascii_fast_path_equals_uax29(s in "[a-zA-Z0-9_.,;:' \\-\\n!?\"()]{0,40}") {
            let fast: Vec<(usize, &str)> = {
                let mut w = Words::new(&s);
                std::iter::from_fn(|| w.next(&s)).map(|(a, b, _)| (a, &s[a..b])).collect()
            };
            let uax: Vec<(usize, &str)> = s.unicode_word_indices().collect();
            proptest::prop_assert_eq!(fast, uax);
        }
    }

    /// Pieces whose concatenations meet every rule of the segmenters.
    #[rustfmt::skip]
    pub(in crate::text) const PIECES: &[&str] = &[
        "a", "Z", "7", "_", ".", ",", ";", ":", "'", " ", "  ", "\t", "\n", "\r\n", "-", "\"", "é", "\u{301}",
        "\u{200D}", "\u{200B}", "\u{AD}", "’", "“", "”", "北", "京", "ア", "ー", "ก", "\u{E34}", "😀", "\u{1F1E9}",
        "\u{1F1EA}", "\u{FE0F}", "א", "ב", "\u{5F4}", "٣", "Ｑ", "\u{00A0}", "\u{3000}", "\u{2003}", "\u{1680}",
        "\u{2007}", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "Word", "ÉTÉ", "42",
    ];

    proptest::proptest! {
        #[test]
        fn chunked_segmentation_equals_uax29(
            parts in proptest::collection::vec(proptest::sample::select(PIECES), 0..40)
        ) {
            let s: String = parts.concat();
            let chunked: Vec<(usize, &str)> = {
                let mut w = Words::new(&s);
                std::iter::from_fn(|| w.next(&s)).map(|(a, b, _)| (a, &s[a..b])).collect()
            };
            let uax: Vec<(usize, &str)> = s.unicode_word_indices().collect();
            proptest::prop_assert_eq!(chunked, uax);
        }

        #[test]
        fn for_each_token_equals_tokens(parts in proptest::collection::vec(proptest::sample::select(PIECES), 0..40)) {
            let s: String = parts.concat();
            let mut got = Vec::new();
            for_each_token(&s, |at, t, origin| got.push((at, t, origin == Origin::Ascii)));
            proptest::prop_assert!(got.iter().all(|&(_, t, ascii)| !ascii || t.is_ascii()));
            let got: Vec<(usize, &str)> = got.into_iter().map(|(at, t, _)| (at, t)).collect();
            let want: Vec<(usize, &str)> = tokens(&s).map(|t| (t.start, t.text)).collect();
            proptest::prop_assert_eq!(got, want);
        }

        #[test]
        fn masked_scan_equals_byte_scan_on_long_text(
            s in "([A-Za-z]{1,7}|[0-9]{1,3}|[_.,;:' \\-\\n]|[ -~\\t\\n\\x0B\\x0C\\r]){0,150}",
            cut in 0usize..600,
        ) {
            // Long ASCII text (several mask words), once with a non-ASCII chunk inside.
            let cut = cut.min(s.len());
            for s in [s.clone(), format!("{}’é{}", &s[..cut], &s[cut..]), format!("{} ü{}", &s[..cut], &s[cut..])] {
                let mut got = Vec::new();
                for_each_token(&s, |at, t, _| got.push((at, t)));
                let want: Vec<(usize, &str)> = tokens(&s).map(|t| (t.start, t.text)).collect();
                proptest::prop_assert_eq!(got, want);
            }
        }
    }

    #[test]
    fn ascii_fast_path_cases() {
        for s in [
            "a.b.c",
            "1,000.50",
            "it's",
            "a:b",
            "a1.b",
            "1.a",
            "_x_",
            "___",
            "a..b",
            "x_.y",
            "Kim's 42.7-metre",
            "3;4 a;b",
        ] {
            let mut w = Words::new(s);
            let fast: Vec<(usize, &str)> = std::iter::from_fn(|| w.next(s)).map(|(a, b, _)| (a, &s[a..b])).collect();
            let uax: Vec<(usize, &str)> = s.unicode_word_indices().collect();
            assert_eq!(fast, uax, "{s}");
        }
    }
}
