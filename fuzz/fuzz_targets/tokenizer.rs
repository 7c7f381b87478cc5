//! Text layer: tokens, normalization, dates, shingles and lines on arbitrary text.
//!
//! Nothing may panic, and:
//! * token spans are in bounds, on char boundaries, ordered, non-overlapping,
//!   non-empty, and `&s[t.span()] == t.text`;
//! * the tokens equal a reference model built from `unicode_word_indices` on
//!   the whole text (with the per-grapheme fallback for spaceless scripts),
//!   as the `text` module docs promise for its chunked fast path;
//! * dates round-trip through `Display`/`Date::parse` and `ymd`/`from_ymd`;
//! * a shingle set is sorted and distinct, and empty iff there are no tokens;
//! * `lines` yields non-blank, in-order slices of the input at their offsets.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samestory::Date;
use samestory::shingle::ShingleSet;
use samestory::text::{self, TokenKind, find_date, is_spaceless_script, normalize_into};
use unicode_segmentation::UnicodeSegmentation;

fuzz_target!(|data: &[u8]| {
    match std::str::from_utf8(data) {
        Ok(s) => check(s),
        Err(_) => check(&String::from_utf8_lossy(data)),
    }
});

/// What `text::tokens` should yield: (start, text, kind).
fn reference_tokens(s: &str) -> Vec<(usize, &str, TokenKind)> {
    let mut out = Vec::new();
    for (o, w) in s.unicode_word_indices() {
        let first = w.chars().next().expect("UAX #29 words are non-empty");
        if !w.is_ascii() && is_spaceless_script(first) {
            for (go, g) in w.grapheme_indices(true) {
                let gf = g.chars().next().expect("graphemes are non-empty");
                if is_spaceless_script(gf) {
                    out.push((o + go, g, TokenKind::Char));
                } else if gf.is_alphanumeric() {
                    let kind = if gf.is_numeric() { TokenKind::Number } else { TokenKind::Word };
                    out.push((o + go, g, kind));
                }
            }
        } else {
            let kind = if w.chars().any(char::is_numeric) { TokenKind::Number } else { TokenKind::Word };
            out.push((o, w, kind));
        }
    }
    out
}

fn check_date_roundtrip(d: Date) {
    let shown = d.to_string();
    let back = Date::parse(&shown).unwrap_or_else(|e| panic!("{shown:?} from Display does not parse: {e}"));
    assert_eq!(back, d, "Display/parse round trip of {shown}");
    let (y, m, day) = d.ymd();
    assert_eq!(Date::from_ymd(y, m, day), Some(d), "ymd/from_ymd round trip of {shown}");
    assert_eq!(Date::from_days(d.days()), d);
}

fn check(s: &str) {
    // Tokens.
    let toks: Vec<_> = text::tokens(s).collect();
    let mut prev_end = 0usize;
    let mut norm = String::new();
    for t in &toks {
        let span = t.span();
        assert!(span.end <= s.len(), "token {t:?} out of bounds ({} bytes)", s.len());
        assert!(s.is_char_boundary(span.start) && s.is_char_boundary(span.end), "token {t:?} not on char boundaries");
        assert!(span.start >= prev_end, "token {t:?} overlaps or precedes the previous one (ended at {prev_end})");
        assert!(!t.text.is_empty(), "empty token at {}", t.start);
        assert_eq!(&s[span.clone()], t.text, "span text mismatch");
        prev_end = span.end;
        normalize_into(t.text, &mut norm);
        // normalize_into clears first: normalizing twice gives the same.
        let once = norm.clone();
        normalize_into(t.text, &mut norm);
        assert_eq!(once, norm);
        let _ = text::term_form(&norm);
    }
    let got: Vec<(usize, &str, TokenKind)> = toks.iter().map(|t| (t.start, t.text, t.kind)).collect();
    let want = reference_tokens(s);
    assert_eq!(got, want, "tokens differ from the UAX #29 reference on {s:?}");

    // Dates.
    if let Some(d) = find_date(s) {
        check_date_roundtrip(d);
    }
    if let Ok(d) = Date::parse(s) {
        check_date_roundtrip(d);
    }

    // Shingles.
    let set = ShingleSet::of_text(s, 5, 0);
    let h = set.as_slice();
    assert!(h.windows(2).all(|w| w[0] < w[1]), "shingle hashes not sorted and distinct");
    assert_eq!(set.is_empty(), toks.is_empty(), "shingles empty iff no tokens");
    assert!(set.len() <= toks.len().saturating_sub(4).max(1));
    if !set.is_empty() {
        assert_eq!(set.intersection_len(&set), set.len());
        assert_eq!(set.jaccard(&set), 1.0);
        assert_eq!(set.containment(&set), 1.0);
    }

    // Lines.
    let mut prev = 0usize;
    let mut first = true;
    for (off, line) in text::lines(s) {
        assert!(first || off > prev, "lines out of order");
        first = false;
        prev = off;
        assert!(off + line.len() <= s.len());
        assert_eq!(s.get(off..off + line.len()), Some(line), "line not at its offset");
        assert!(!line.trim().is_empty(), "blank line yielded");
        assert!(!line.contains('\n'));
        assert!(off == 0 || s.as_bytes()[off - 1] == b'\n', "line does not start after a newline");
    }
}
