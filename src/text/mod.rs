//! Text: Unicode word segmentation and normalization.
//!
//! Words are found by the UAX #29 word-boundary rules (`unicode-segmentation`),
//! so `Russia’s`, `1,700` and `42.7` stay one token each. Each token is then
//! normalized so that two outlets' copies of a sentence tokenize alike:
//!
//! * case folding (`char::to_lowercase`, with an ASCII fast path);
//! * curly and straight quotes and apostrophes, primes and the modifier
//!   apostrophe fold to `'` and `"`; the Unicode dashes to `-`;
//! * full-width forms (U+FF01–U+FF5E) fold to their ASCII counterparts;
//! * invisible characters are removed: soft hyphen, zero-width joiners,
//!   directional marks, embeddings, overrides and isolates, word joiner,
//!   byte order mark, combining grapheme joiner, variation selectors and
//!   tag characters. UAX #29 keeps them inside the word they follow
//!   (rule WB4), and a copy without them must tokenize alike. (A zero-width
//!   space instead splits words, so it never reaches a token.)
//! * numbers are kept as tokens ([`TokenKind::Number`]).
//!
//! Scripts written without spaces between words (Han, Hiragana, Katakana,
//! Thai, Lao, Khmer, Myanmar, Tibetan) have no word boundaries UAX #29 can
//! find, so their text falls back to one token per grapheme cluster
//! ([`TokenKind::Char`]); shingles over those are character n-grams, and
//! salient terms are character bigrams.
//!
//! Tokens borrow from the input ([`Token::text`] is a slice of it); the
//! normalized form is written into a caller-owned `String` by
//! [`normalize_into`], so the hot path allocates nothing per token.
//! NFKC normalization and diacritic folding are *not* applied: `café` and
//! `cafe` are different tokens.

pub mod date;

use unicode_segmentation::{GraphemeIndices, UnicodeSegmentation, UnicodeWordIndices};

/// What kind of token a [`Token`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A word of a script that separates words by spaces.
    Word,
    /// A token that contains a digit (`1,700`, `42.7`, `2023`, `1st`).
    Number,
    /// One grapheme of a script written without spaces (Chinese, Japanese, Thai, ...).
    Char,
}

/// A token: a slice of the input text and what is known about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// The token as it appears in the input (not normalized).
    pub text: &'a str,
    /// Byte offset of the token in the input.
    pub start: usize,
    /// What kind of token this is.
    pub kind: TokenKind,
    /// The first character is uppercase in the input.
    pub capitalized: bool,
    /// The token starts a sentence or a line (so its capital says nothing about names).
    pub sentence_start: bool,
}

impl Token<'_> {
    /// Byte range of the token in the input.
    pub fn span(&self) -> std::ops::Range<usize> {
        self.start..self.start + self.text.len()
    }
}

/// Iterator over the [`Token`]s of a text; see [`tokens`].
#[derive(Debug)]
pub struct Tokens<'a> {
    text: &'a str,
    words: Words<'a>,
    chars: Option<(usize, GraphemeIndices<'a>)>,
    last_end: usize,
}

/// Splits `text` into tokens (UAX #29 words, with a per-grapheme fallback for
/// scripts written without spaces).
///
/// # Example
/// ```
/// use samestory::text::{tokens, TokenKind};
/// let t: Vec<_> = tokens("Putin’s 1,700 km 北京").collect();
/// assert_eq!(t.iter().map(|t| t.text).collect::<Vec<_>>(), ["Putin’s", "1,700", "km", "北", "京"]);
/// assert_eq!(t[1].kind, TokenKind::Number);
/// assert_eq!(t[3].kind, TokenKind::Char);
/// ```
pub fn tokens(text: &str) -> Tokens<'_> {
    Tokens { text, words: Words::new(text), chars: None, last_end: 0 }
}

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
/// byte offset and text of every [`Token`] of [`tokens`], without the rest,
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

/// Calls `f(token, ascii)` for every [`Token`] of [`tokens`], in order, with
/// the same fields, found by [`for_each_token`]'s faster scan; `ascii` is
/// `origin == Origin::Ascii` there.
///
/// Kind, capital and sentence start come from the token's text and the gap
/// before it, as [`Tokens`] computes them; the graphemes of a run of a
/// spaceless script never start a sentence, and the gap after the run starts
/// at the run's end.
pub(crate) fn for_each_full_token<'a>(text: &'a str, mut f: impl FnMut(Token<'a>, bool)) {
    let b = text.as_bytes();
    let mut last_end = 0usize;
    for_each_token(text, |start, word, origin| {
        if let Origin::Run(run_end) = origin {
            last_end = run_end;
            let first = word.chars().next().unwrap_or(' ');
            let token = if is_spaceless_script(first) {
                Token { text: word, start, kind: TokenKind::Char, capitalized: false, sentence_start: false }
            } else {
                let kind = if first.is_numeric() { TokenKind::Number } else { TokenKind::Word };
                Token { text: word, start, kind, capitalized: first.is_uppercase(), sentence_start: false }
            };
            f(token, false);
            return;
        }
        let sentence_start = last_end == 0 || b[last_end.min(start)..start].iter().any(|&c| is_sentence_gap_byte(c));
        last_end = start + word.len();
        let ascii = origin == Origin::Ascii;
        let (numeric, capitalized) = if ascii || word.is_ascii() {
            (word.bytes().any(|c| c.is_ascii_digit()), word.as_bytes()[0].is_ascii_uppercase())
        } else {
            (word.chars().any(char::is_numeric), word.chars().next().is_some_and(char::is_uppercase))
        };
        let kind = if numeric { TokenKind::Number } else { TokenKind::Word };
        f(Token { text: word, start, kind, capitalized, sentence_start }, ascii);
    });
}

/// A byte in the gap before a token that makes it start a sentence.
#[inline(always)]
fn is_sentence_gap_byte(c: u8) -> bool {
    matches!(c, b'.' | b'!' | b'?' | b'\n' | b':' | b';')
}

/// The tokens of the whitespace-separated chunk `text[at..end]` that holds a
/// non-ASCII byte, as [`Tokens`] gives them.
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
struct Words<'a> {
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
    fn new(text: &'a str) -> Words<'a> {
        Words { pos: 0, region_end: next_unicode_chunk(text.as_bytes(), 0), uni: None }
    }

    /// The next word: its byte range, and whether it was found by the ASCII
    /// scanner (then it is ASCII).
    #[inline]
    fn next(&mut self, text: &'a str) -> Option<(usize, usize, bool)> {
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

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            if let Some((base, graphemes)) = &mut self.chars {
                if let Some((off, g)) = graphemes.next() {
                    let first = g.chars().next().unwrap_or(' ');
                    if is_spaceless_script(first) {
                        return Some(Token {
                            text: g,
                            start: *base + off,
                            kind: TokenKind::Char,
                            capitalized: false,
                            sentence_start: false,
                        });
                    }
                    // A non-spaceless grapheme glued to the run (rare): skip it
                    // unless it is alphanumeric, in which case it is a word.
                    if first.is_alphanumeric() {
                        return Some(Token {
                            text: g,
                            start: *base + off,
                            kind: if first.is_numeric() { TokenKind::Number } else { TokenKind::Word },
                            capitalized: first.is_uppercase(),
                            sentence_start: false,
                        });
                    }
                    continue;
                }
                self.chars = None;
            }
            let (start, end, ascii) = self.words.next(self.text)?;
            let word = &self.text[start..end];
            let gap = &self.text[self.last_end.min(start)..start];
            let sentence_start =
                self.last_end == 0 || gap.bytes().any(|b| matches!(b, b'.' | b'!' | b'?' | b'\n' | b':' | b';'));
            self.last_end = start + word.len();
            let (numeric, capitalized) = if ascii || word.is_ascii() {
                (word.bytes().any(|b| b.is_ascii_digit()), word.as_bytes()[0].is_ascii_uppercase())
            } else {
                let first = word.chars().next().unwrap_or(' ');
                if is_spaceless_script(first) {
                    self.chars = Some((start, word.grapheme_indices(true)));
                    continue;
                }
                (word.chars().any(char::is_numeric), first.is_uppercase())
            };
            let kind = if numeric { TokenKind::Number } else { TokenKind::Word };
            return Some(Token { text: word, start, kind, capitalized, sentence_start });
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

/// Folds one character: quotes, apostrophes, dashes and full-width forms.
#[inline]
fn fold_char(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' | '\u{FF07}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{FF02}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{00A0}' | '\u{3000}' => ' ',
        _ => c,
    }
}

/// Invisible characters that change no reading of the text: the
/// `Default_Ignorable_Code_Point` format characters (general category Cf),
/// the combining grapheme joiner, variation selectors and tag characters.
#[inline]
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{AD}' | '\u{34F}' | '\u{61C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{E0001}' | '\u{E0020}'..='\u{E007F}' | '\u{E0100}'..='\u{E01EF}')
}

/// Writes the normalized form of `token` into `out` (cleared first).
///
/// # Example
/// ```
/// let mut s = String::new();
/// samestory::text::normalize_into("Russia’s", &mut s);
/// assert_eq!(s, "russia's");
/// samestory::text::normalize_into("ＫＩＭ", &mut s);
/// assert_eq!(s, "kim");
/// ```
pub fn normalize_into(token: &str, out: &mut String) {
    out.clear();
    if token.is_ascii() {
        out.push_str(token);
        out.make_ascii_lowercase();
        return;
    }
    for c in token.chars() {
        if is_invisible_format(c) {
            continue;
        }
        let c = fold_char(c);
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// The term form of a normalized token: a trailing possessive `'s` or `'` is
/// dropped, so `Russia's` and `Russia` are one salient term.
pub fn term_form(normalized: &str) -> &str {
    let t = normalized.strip_suffix("'s").unwrap_or(normalized);
    let t = t.strip_suffix('\'').unwrap_or(t);
    if t.is_empty() { normalized } else { t }
}

/// [`term_form`] of an ASCII normalized token, as bytes.
#[inline]
pub(crate) fn term_form_bytes(normalized: &[u8]) -> &[u8] {
    let t = normalized.strip_suffix(b"'s").unwrap_or(normalized);
    let t = t.strip_suffix(b"'").unwrap_or(t);
    if t.is_empty() { normalized } else { t }
}

/// Iterator over the non-blank lines of a text with their byte offsets.
///
/// A line is a run of text between `\n` (a `\r` before it is dropped).
pub fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    let mut offset = 0;
    text.split('\n').filter_map(move |line| {
        let start = offset;
        offset += line.len() + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() { None } else { Some((start, line)) }
    })
}

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

    fn norm(s: &str) -> String {
        let mut out = String::new();
        normalize_into(s, &mut out);
        out
    }

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

    #[test]
    fn quotes_fold_alike() {
        assert_eq!(norm("Russia’s"), norm("Russia's"));
        assert_eq!(norm("Ｒｕｓｓｉａ"), "russia");
        assert_eq!(norm("ÉTÉ"), "été");
    }

    #[test]
    fn curly_and_straight_copies_tokenize_alike() {
        let a = "“That’s why we came here,” Putin said.";
        let b = "\"That's why we came here,\" Putin said.";
        let na: Vec<String> = tokens(a).map(|t| norm(t.text)).collect();
        let nb: Vec<String> = tokens(b).map(|t| norm(t.text)).collect();
        assert_eq!(na, nb);
        assert_eq!(na[0], "that's");
    }

    #[test]
    fn numbers_and_sentences() {
        let t: Vec<_> = tokens("Kim arrived. The 42.7-metre Angara\nRocket").collect();
        assert_eq!(t[0].text, "Kim");
        assert!(t[0].sentence_start);
        assert!(!t[1].sentence_start); // arrived
        assert!(t[2].sentence_start); // The
        assert_eq!(t[3].kind, TokenKind::Number);
        assert_eq!(t[4].text, "metre");
        assert!(t[6].sentence_start && t[6].capitalized); // Rocket after newline
        assert!(t[5].capitalized && !t[5].sentence_start); // Angara
    }

    #[test]
    fn spaceless_scripts_split_per_grapheme() {
        let t: Vec<_> = tokens("東京で地震 ภาษาไทย and words").collect();
        assert!(t.iter().take(5).all(|t| t.kind == TokenKind::Char));
        let thai: Vec<_> =
            t.iter().filter(|t| t.text.chars().any(|c| ('\u{0E00}'..='\u{0E7F}').contains(&c))).collect();
        assert!(thai.len() >= 4, "{thai:?}");
        assert_eq!(t.last().map(|t| t.text), Some("words"));
        for tok in &t {
            assert_eq!(&"東京で地震 ภาษาไทย and words"[tok.span()], tok.text);
        }
    }

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
    const PIECES: &[&str] = &[
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
        fn full_tokens_equal_tokens(parts in proptest::collection::vec(proptest::sample::select(PIECES), 0..40)) {
            let s: String = parts.concat();
            let mut got = Vec::new();
            for_each_full_token(&s, |t, _| got.push(t));
            let want: Vec<Token<'_>> = tokens(&s).collect();
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

    #[test]
    fn term_form_drops_possessive() {
        assert_eq!(term_form("russia's"), "russia");
        assert_eq!(term_form("'s"), "'s");
        assert_eq!(term_form("kims'"), "kims");
    }

    #[test]
    fn lines_skip_blank() {
        let l: Vec<_> = lines("a\r\n\n  \nb").collect();
        assert_eq!(l, vec![(0, "a"), (7, "b")]);
    }
}
