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

// One file per job: `tokenize` (tokens, their kind, capital and sentence
// start) over `segment` (UAX #29 word segmentation with ASCII fast paths);
// `normalize` (the normalized form of a token); `terms` (term forms);
// `stopwords`; `lines` (lines of a text, the newline finder); `date`;
// `contacts` (phone numbers, emails and web addresses: never salient terms).

mod contacts;
pub(crate) mod date;
mod lines;
mod normalize;
mod segment;
mod stopwords;
mod terms;
mod tokenize;

pub(crate) use contacts::contact_spans;
pub(crate) use date::Date;
pub use date::find_date;
pub(crate) use lines::find_newline;
pub use lines::lines;
pub use normalize::normalize_into;
pub use segment::is_spaceless_script;
pub(crate) use segment::{Origin, for_each_token};
pub(crate) use stopwords::StopwordTable;
pub use stopwords::is_stopword;
pub use terms::term_form;
pub(crate) use terms::term_form_bytes;
pub(crate) use tokenize::for_each_full_token;
pub use tokenize::{Token, TokenKind, Tokens, tokens};
