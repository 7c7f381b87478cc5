//! The tokenizer's whole-text scan against the first line-by-line version, and
//! features built from kept tokens against the one-document path.

use super::Features;
use super::tokens::{Line, Scratch, Tok};
use super::{Analyzer, TITLE_SEPARATORS};
use crate::document::Document;
use crate::hash::hash_u64s;
use crate::params::Config;
use crate::text::Date;
use crate::text::{TokenKind, normalize_into, term_form};
use crate::text::{lines, tokens};

/// The tokenization as first written: each line (or title segment) by
/// itself through [`tokens`] and [`normalize_into`]: the oracle for the
/// whole-text scan of [`Analyzer::tokenize`].
fn reference(an: &Analyzer, doc: &Document) -> (Vec<Tok>, Vec<Line>) {
    let mut toks = Vec::new();
    let mut out_lines = Vec::new();
    let mut push = |base: &str, pieces: Vec<&str>, title: bool| {
        for piece in pieces {
            let base_off = piece.as_ptr() as usize - base.as_ptr() as usize;
            let start = toks.len();
            let mut prev_char: Option<u64> = None;
            let mut norm = String::new();
            for t in tokens(piece) {
                normalize_into(t.text, &mut norm);
                let hash = an.tokens.hash(&norm);
                let (term, number) = match t.kind {
                    TokenKind::Char => {
                        let term = prev_char.map_or(0, |p| hash_u64s(&[p, hash], an.bigram_seed) | 1);
                        prev_char = Some(hash);
                        (term, false)
                    }
                    kind => {
                        prev_char = None;
                        let form = term_form(&norm);
                        let number = kind == TokenKind::Number;
                        let form_hash = an.tokens.hash(form);
                        let stop = crate::text::is_stopword(form);
                        let keep = number || (form.chars().nth(1).is_some() && !stop);
                        (if keep { form_hash | 1 } else { 0 }, number)
                    }
                };
                toks.push(Tok::of(&t, base_off + t.start, hash, term, number));
            }
            let end = toks.len();
            if end > start {
                let hashes: Vec<u64> = toks[start..end].iter().map(|t: &Tok| t.hash).collect();
                let hash = hash_u64s(&hashes, an.line_seed);
                out_lines.push(Line { hash, start: start as u32, end: end as u32, title });
            }
        }
    };
    if let Some(title) = &doc.title {
        let mut segments = vec![title.as_str()];
        for sep in TITLE_SEPARATORS {
            segments = segments.iter().flat_map(|p| p.split(sep)).collect();
        }
        push(title, segments, true);
    }
    push(&doc.text, lines(&doc.text).map(|(_, l)| l).collect(), false);
    (toks, out_lines)
}

/// Pieces whose concatenations meet the tokenizer's and the line splitter's cases.
#[rustfmt::skip]
const PIECES: &[&str] = &[
    "a", "Z", "7", "_", ".", ",", ";", ":", "'", "'s", "’s", " ", "  ", "\t", "\n", "\r\n", "\n\n", "-", " - ",
    " | ", "\"", "é", "\u{301}", "\u{200D}", "’", "北", "京", "ア", "ー", "ก", "\u{E34}", "😀", "א", "٣", "Ｑ",
    "\u{00A0}", "\u{3000}", "\u{2028}", "\u{85}", "Word", "ÉTÉ", "42", "the", "The", "Putin", "it's", "and", "x",
    "Kim's", "1,700", "?", "!",
];

/// A document of pieces, with an optional title, source and date.
fn piece_doc() -> impl proptest::strategy::Strategy<Value = Document> {
    use proptest::prelude::*;
    let pieces = |n| proptest::collection::vec(proptest::sample::select(PIECES), n);
    (pieces(0..40), proptest::option::of(pieces(0..8)), proptest::option::of(0..3u8), proptest::option::of(1..28u32))
        .prop_map(|(body, title, source, day)| {
            let mut d = Document::new("d", body.concat());
            if let Some(t) = title {
                d = d.with_title(t.concat());
            }
            if let Some(s) = source {
                d = d.with_source(format!("site{s}"));
            }
            if let Some(day) = day {
                d = d.with_date(Date::from_ymd(2024, 3, day).expect("a day of March"));
            }
            d
        })
}

proptest::proptest! {
    /// Learning in runs, then building the features from the runs'
    /// token types, gives the statistics of learning and the features of
    /// tokenizing each document again: the oracle is the one-document
    /// path (`Analyzer::features`, with a hash map of terms and a
    /// statistics look-up per term).
    #[test]
    fn features_of_runs_equal_features_of_each_document(
        // Repeated documents make repeated lines (boilerplate) and shared terms.
        base in proptest::collection::vec(piece_doc(), 1..6),
        picks in proptest::collection::vec(0..6usize, 1..14),
        run_docs in 1..5usize,
        compact in proptest::bool::ANY,
    ) {
        let docs: Vec<Document> = picks.iter().enumerate().map(|(i, &p)| {
            let mut d = base[p % base.len()].clone();
            d.id = format!("d{i}");
            d
        }).collect();
        let an = Analyzer::new(Config::new(crate::params::Params::default()).unwrap()).unwrap();
        let pool = crate::learn::LearnerPool::default();
        let runs = pool.learn_runs_of(&an, &docs, run_docs);
        let (mut stats, types) = pool.finish_with_types();
        proptest::prop_assert_eq!(&stats, &crate::learn::learn_stats(&an, &docs));
        if compact {
            stats.compact();
        }
        let feats = crate::learn::features_of_runs(&an, runs, &types, &stats);
        let mut s = Scratch::default();
        let each: Vec<Features> = docs.iter().map(|d| an.features(d, &stats, &mut s)).collect();
        proptest::prop_assert_eq!(feats, each);
    }

    #[test]
    fn whole_text_tokenization_equals_line_by_line(
        body in proptest::collection::vec(proptest::sample::select(PIECES), 0..60),
        title in proptest::option::of(proptest::collection::vec(proptest::sample::select(PIECES), 0..12)),
    ) {
        let an = Analyzer::new(Config::new(crate::params::Params::default()).unwrap()).unwrap();
        let mut doc = Document::new("d", body.concat());
        if let Some(t) = title {
            doc = doc.with_title(t.concat());
        }
        let mut s = Scratch::default();
        an.tokenize(&doc, &mut s);
        let (toks, lines) = reference(&an, &doc);
        proptest::prop_assert_eq!(&s.toks, &toks);
        proptest::prop_assert_eq!(&s.lines, &lines);
    }
}
