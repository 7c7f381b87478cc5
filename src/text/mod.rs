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
    let words = if text.is_ascii() { Words::Ascii(0) } else { Words::Chunks { pos: 0, cur: None } };
    Tokens { text, words, chars: None, last_end: 0 }
}

/// Word segmentation by UAX #29, fast where the text allows.
///
/// No UAX #29 rule joins across ASCII whitespace (spaces, tabs and newlines
/// always break, and a combining mark after one attaches to it), so text is
/// cut into whitespace-separated chunks and each is segmented alone: ASCII
/// chunks by a byte scanner applying the same rules (WB5–WB13b restricted to
/// ASCII), others by `unicode_word_indices`. Property tests check both
/// against `unicode_word_indices` on the whole text.
#[derive(Debug)]
enum Words<'a> {
    Ascii(usize),
    Chunks { pos: usize, cur: Option<Chunk<'a>> },
}

#[derive(Debug)]
enum Chunk<'a> {
    Ascii { at: usize, end: usize },
    Unicode { base: usize, words: UnicodeWordIndices<'a> },
}

#[inline]
fn ascii_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// UAX #29 `WSegSpace`: the space separators that join each other (rule `WB3d`).
fn is_wseg_space(c: char) -> bool {
    matches!(c, ' ' | '\u{1680}' | '\u{2000}'..='\u{2006}' | '\u{2008}'..='\u{200A}' | '\u{205F}' | '\u{3000}')
}

/// The next UAX #29 word of ASCII `b` at or after `i`, as a byte range.
fn next_ascii_word(b: &[u8], mut i: usize) -> Option<(usize, usize)> {
    let n = b.len();
    loop {
        while i < n && !ascii_word_byte(b[i]) {
            i += 1;
        }
        if i >= n {
            return None;
        }
        let start = i;
        loop {
            while i < n && ascii_word_byte(b[i]) {
                i += 1;
            }
            if i + 1 < n {
                let (prev, mid, next) = (b[i - 1], b[i], b[i + 1]);
                let letters = prev.is_ascii_alphabetic() && next.is_ascii_alphabetic();
                let digits = prev.is_ascii_digit() && next.is_ascii_digit();
                let join = match mid {
                    b':' => letters,                   // MidLetter (WB6, WB7)
                    b'.' | b'\'' => letters || digits, // MidNumLet, Single_Quote (WB6, WB7, WB11, WB12)
                    b',' | b';' => digits,             // MidNum (WB11, WB12)
                    _ => false,
                };
                if join {
                    i += 1;
                    continue;
                }
            }
            break;
        }
        // `unicode_words` keeps segments with at least one alphanumeric character.
        if b[start..i].iter().any(u8::is_ascii_alphanumeric) {
            return Some((start, i));
        }
    }
}

impl<'a> Words<'a> {
    #[inline]
    fn next(&mut self, text: &'a str) -> Option<(usize, &'a str)> {
        match self {
            Words::Ascii(pos) => {
                let (s, e) = next_ascii_word(text.as_bytes(), *pos)?;
                *pos = e;
                Some((s, &text[s..e]))
            }
            Words::Chunks { pos, cur } => loop {
                match cur {
                    Some(Chunk::Ascii { at, end }) => {
                        if let Some((s, e)) = next_ascii_word(&text.as_bytes()[..*end], *at) {
                            *at = e;
                            return Some((s, &text[s..e]));
                        }
                    }
                    Some(Chunk::Unicode { base, words }) => {
                        if let Some((o, w)) = words.next() {
                            return Some((*base + o, w));
                        }
                    }
                    None => {}
                }
                let b = text.as_bytes();
                let space = *pos;
                while *pos < b.len() && b[*pos].is_ascii_whitespace() {
                    *pos += 1;
                }
                if *pos >= b.len() {
                    *cur = None;
                    return None;
                }
                let start = *pos;
                let end = b[start..].iter().position(u8::is_ascii_whitespace).map_or(b.len(), |k| start + k);
                *pos = end;
                // ASCII whitespace bytes are always character boundaries in UTF-8.
                *cur = Some(if text[start..end].is_ascii() {
                    Chunk::Ascii { at: start, end }
                } else {
                    // A combining mark right after whitespace belongs to the
                    // whitespace's segment (WB4), and spaces join other spaces
                    // (WB3d), so segment from the start of the whole run of
                    // space-like characters before the chunk: a run that
                    // always begins a segment.
                    let mut base = space;
                    while let Some(c) = text[..base].chars().next_back() {
                        if !(c.is_ascii_whitespace() || is_wseg_space(c)) {
                            break;
                        }
                        base -= c.len_utf8();
                    }
                    Chunk::Unicode { base, words: text[base..end].unicode_word_indices() }
                });
            },
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
            let (start, word) = self.words.next(self.text)?;
            let gap = &self.text[self.last_end.min(start)..start];
            let sentence_start =
                self.last_end == 0 || gap.bytes().any(|b| matches!(b, b'.' | b'!' | b'?' | b'\n' | b':' | b';'));
            self.last_end = start + word.len();
            let (numeric, capitalized) = if word.is_ascii() {
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
                let mut w = Words::Ascii(0);
                std::iter::from_fn(|| w.next(&s)).collect()
            };
            let uax: Vec<(usize, &str)> = s.unicode_word_indices().collect();
            proptest::prop_assert_eq!(fast, uax);
        }
    }

    proptest::proptest! {
        #[test]
        fn chunked_segmentation_equals_uax29(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "a", "Z", "7", "_", ".", ",", ";", ":", "'", " ", "  ", "\t", "\n", "\r\n", "-", "\"",
                "é", "\u{301}", "\u{200D}", "\u{200B}", "\u{AD}", "’", "“", "”", "北", "京", "ア", "ー", "ก", "\u{E34}",
                "😀", "\u{1F1E9}", "\u{1F1EA}", "\u{FE0F}", "א", "ב", "\u{5F4}", "٣", "Ｑ", "\u{00A0}", "\u{3000}",
                "\u{2003}", "\u{1680}", "\u{2007}", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}",
            ]), 0..40)
        ) {
            let s: String = parts.concat();
            let chunked: Vec<(usize, &str)> = {
                let mut w = Words::Chunks { pos: 0, cur: None };
                std::iter::from_fn(|| w.next(&s)).collect()
            };
            let uax: Vec<(usize, &str)> = s.unicode_word_indices().collect();
            proptest::prop_assert_eq!(chunked, uax);
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
            let mut w = Words::Ascii(0);
            let fast: Vec<(usize, &str)> = std::iter::from_fn(|| w.next(s)).collect();
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
