//! Tokens: the words of a text with their kind ([`TokenKind`]), offset,
//! capital and sentence start, borrowed from the input ([`Token`]).

use unicode_segmentation::{GraphemeIndices, UnicodeSegmentation};

use super::segment::{Origin, Words, for_each_token, is_spaceless_script};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::segment::tests::PIECES;

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
        fn full_tokens_equal_tokens(parts in proptest::collection::vec(proptest::sample::select(PIECES), 0..40)) {
            let s: String = parts.concat();
            let mut got = Vec::new();
            for_each_full_token(&s, |t, _| got.push(t));
            let want: Vec<Token<'_>> = tokens(&s).collect();
            proptest::prop_assert_eq!(got, want);
        }
    }
}
