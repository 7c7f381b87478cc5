//! Tokenizing a document for the features: its tokens (hash, term, kind,
//! place) and its lines, in reusable buffers; and runs of tokenized
//! documents kept between the two passes of a batch.

use rustc_hash::FxHashMap;

use crate::document::Document;
use crate::hash::{hash_bytes, hash_u64s};
use crate::text::Date;
use crate::text::{TokenKind, contact_spans, for_each_full_token, normalize_into, term_form, term_form_bytes};

use super::{Analyzer, TITLE_SEPARATORS};

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Tok {
    pub(crate) hash: u64,
    /// Byte offset and length in the title or body it came from.
    pub(crate) off: u32,
    pub(crate) len: u32,
    /// A grapheme of a spaceless script (its term is a bigram with the previous one).
    pub(crate) char: bool,
    pub(crate) term: u64,
    pub(crate) number: bool,
    pub(crate) mid: bool,
    pub(crate) cap: bool,
}

impl Tok {
    /// The record of token `t` found at byte `off` of its title or body.
    pub(crate) fn of(t: &crate::text::Token<'_>, off: usize, hash: u64, term: u64, number: bool) -> Tok {
        Tok {
            hash,
            off: off as u32,
            len: t.text.len() as u32,
            char: t.kind == TokenKind::Char,
            term,
            number,
            mid: !t.sentence_start && t.kind == TokenKind::Word,
            cap: t.capitalized,
        }
    }

    /// A token kept by a [`Tokenized`] run: what [`Analyzer::build`] reads of it.
    pub(crate) fn decoded(hash: u64, term: u64, number: bool) -> Tok {
        Tok { hash, off: 0, len: 0, char: false, term, number, mid: false, cap: false }
    }
}

/// The bit of a [`Tokenized`] line end that marks a title segment.
pub(crate) const TITLE: u32 = 1 << 31;

/// Where one document of a [`Tokenized`] run ends, and what its features
/// take from the document besides its tokens.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RunDoc {
    pub(crate) codes_end: usize,
    pub(crate) lines_end: usize,
    pub(crate) src: u64,
    pub(crate) date: Option<Date>,
}

/// The tokens and lines of a run of documents, kept from the first pass
/// of a batch to the second so that it need not read or tokenize them again:
/// each token as its code in one [`Learner`] (four bytes), each line
/// as its hash and end: less than the document's features will take
/// (`BENCHMARKS.md`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Tokenized {
    pub(crate) codes: Vec<u32>,
    pub(crate) line_hash: Vec<u64>,
    /// Each line's end in its document's tokens ([`TITLE`] set for a title
    /// segment); it starts where the line before it in the document ends.
    pub(crate) line_end: Vec<u32>,
    pub(crate) docs: Vec<RunDoc>,
}

impl Tokenized {
    /// Frees the room the run's vectors grew beyond their contents.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.codes.shrink_to_fit();
        self.line_hash.shrink_to_fit();
        self.line_end.shrink_to_fit();
        self.docs.shrink_to_fit();
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Line {
    pub(crate) hash: u64,
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) title: bool,
}

/// Reusable buffers, one per thread.
#[derive(Debug, Default, Clone)]
pub(crate) struct Scratch {
    pub(crate) norm: String,
    /// The text being tokenized, in ASCII lowercase.
    pub(crate) lower: Vec<u8>,
    pub(crate) toks: Vec<Tok>,
    pub(crate) lines: Vec<Line>,
    pub(crate) content: Vec<u64>,
    pub(crate) content_at: Vec<usize>,
    pub(crate) shingles: Vec<u64>,
    /// The distinct terms of the document being observed.
    pub(crate) term_buf: Vec<u64>,
    pub(crate) line_bytes: Vec<u8>,
    pub(crate) tf: FxHashMap<u64, (f64, bool)>,
    /// IDF by document frequency, for statistics of `idf_docs` documents:
    /// `(df, idf)` at `df % IDF_CACHE` (`u64::MAX`, which no `u32` df
    /// equals, in an unused entry).
    pub(crate) idf: Vec<(u64, f64)>,
    pub(crate) idf_docs: u64,
}

impl Analyzer {
    pub(crate) fn source_hash(&self, doc: &Document) -> u64 {
        match &doc.source {
            Some(s) if !s.trim().is_empty() => hash_bytes(s.trim().to_lowercase().as_bytes(), self.source_seed) | 1,
            _ => 0,
        }
    }

    /// Appends the tokens of `text[range]` (`lower` is `text` in ASCII
    /// lowercase) to `s.toks`, and a [`Line`] for each line of it that has
    /// tokens (a title segment is one line). Tokenizing a whole body at once
    /// gives the tokens of its lines one by one: no token spans a line break,
    /// and the first token of a line starts a sentence either way.
    fn push_tokens(&self, text: &str, lower: &[u8], range: std::ops::Range<usize>, title: bool, s: &mut Scratch) {
        let piece = &text[range.clone()];
        let base = range.start;
        let b = piece.as_bytes();
        let mut line_start = s.toks.len();
        // End of the line holding the last token (the next '\n', or the end).
        let next_break = |from: usize| crate::text::find_newline(&b[from..]).map_or(b.len(), |k| from + k);
        let mut line_end = next_break(0);
        let mut prev_char: Option<u64> = None;
        let mut norm = std::mem::take(&mut s.norm);
        for_each_full_token(piece, |t, ascii| {
            if !title && t.start > line_end {
                self.close_line(line_start, title, s);
                line_start = s.toks.len();
                prev_char = None;
                line_end = next_break(t.start);
            }
            let at = base + t.start;
            let (hash, term, number) = if ascii {
                let low = &lower[at..at + t.text.len()];
                let hash = self.tokens.hash_raw(low);
                let number = t.kind == TokenKind::Number;
                let form = term_form_bytes(low);
                let form_hash = if form.len() == low.len() { hash } else { self.tokens.hash_raw(form) };
                // `form` starts where `low` does, in `lower`.
                let stop = self.stopwords.contains_in(lower, at, form.len());
                let keep = number || (form.len() >= 2 && !stop);
                (hash, if keep { form_hash | 1 } else { 0 }, number)
            } else {
                normalize_into(t.text, &mut norm);
                let hash = self.tokens.hash(&norm);
                match t.kind {
                    TokenKind::Char => {
                        // A bigram with the previous token of the line, if it is a grapheme too.
                        let term = prev_char.map_or(0, |p| hash_u64s(&[p, hash], self.bigram_seed) | 1);
                        (hash, term, false)
                    }
                    kind => {
                        let form = term_form(&norm);
                        let number = kind == TokenKind::Number;
                        let form_hash = if form.len() == norm.len() { hash } else { self.tokens.hash(form) };
                        let stop = self.stopwords.contains(form.as_bytes());
                        let keep = number || (form.chars().nth(1).is_some() && !stop);
                        (hash, if keep { form_hash | 1 } else { 0 }, number)
                    }
                }
            };
            if t.kind == TokenKind::Char {
                prev_char = Some(hash);
            } else {
                prev_char = None;
            }
            s.toks.push(Tok::of(&t, at, hash, term, number));
        });
        s.norm = norm;
        self.close_line(line_start, title, s);
    }

    /// Records the tokens from `start` to the end of `s.toks` as a line, if any.
    fn close_line(&self, start: usize, title: bool, s: &mut Scratch) {
        let end = s.toks.len();
        if end > start {
            // `hash_u64s` of the token hashes, computed over their bytes in one call.
            s.line_bytes.clear();
            s.line_bytes.extend(s.toks[start..end].iter().flat_map(|t| t.hash.to_le_bytes()));
            let hash = hash_bytes(&s.line_bytes, self.line_seed);
            s.lines.push(Line { hash, start: start as u32, end: end as u32, title });
        }
    }

    pub(crate) fn tokenize(&self, doc: &Document, s: &mut Scratch) {
        s.toks.clear();
        s.lines.clear();
        let mut lower = std::mem::take(&mut s.lower);
        if let Some(title) = &doc.title {
            let mut segments = vec![title.as_str()];
            for sep in TITLE_SEPARATORS {
                segments = segments.iter().flat_map(|p| p.split(sep)).collect();
            }
            lower.clear();
            lower.extend(title.bytes().map(|c| c.to_ascii_lowercase()));
            for piece in segments {
                // Every segment is a sub-slice of the title: its offset is the address difference.
                let at = piece.as_ptr() as usize - title.as_ptr() as usize;
                self.push_tokens(title, &lower, at..at + piece.len(), true, s);
            }
        }
        lower.clear();
        lower.extend(doc.text.bytes().map(|c| c.to_ascii_lowercase()));
        let body = s.toks.len();
        self.push_tokens(&doc.text, &lower, 0..doc.text.len(), false, s);
        drop_contact_terms(&doc.text, &mut s.toks[body..]);
        // A buffer grown by one huge document is not kept for small ones.
        if lower.capacity() > (1 << 20) && lower.capacity() > 4 * lower.len() {
            lower = Vec::new();
        }
        s.lower = lower;
    }
}

/// Tokens inside a contact detail (a phone number, an email or web
/// address; see [`contact_spans`]) keep their place in the text but are no
/// salient term.
fn drop_contact_terms(text: &str, toks: &mut [Tok]) {
    let spans = contact_spans(text);
    let mut k = 0;
    for t in toks.iter_mut() {
        let (from, to) = (t.off as usize, (t.off + t.len) as usize);
        while k < spans.len() && spans[k].1 <= from {
            k += 1;
        }
        if k < spans.len() && spans[k].0 < to {
            t.term = 0;
        }
    }
}
