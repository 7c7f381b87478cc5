//! Property tests: each stage against a brute-force oracle written here.
//!
//! Case counts are modest so the suite stays fast on a 2-core machine; set
//! `PROPTEST_CASES` to run every property with more cases.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use proptest::prelude::*;
use samestory::hash::mix64;
use samestory::lsh::{BandIndex, HammingIndex, LshParams, TermIndex, band_keys};
use samestory::minhash::{MinHashKind, MinHasher};
use samestory::shingle::{ShingleSet, hash_tokens};
use samestory::simhash::{SimHash, SimHasher};
use samestory::text::{normalize_into, tokens};
use samestory::{DEFAULT_SEED, Date, Detector, Document, Linkage, PairScores, ScoredPair, StoryId, Tracker};

/// `default` cases, unless `PROPTEST_CASES` asks for another number.
fn cases(default: u32) -> ProptestConfig {
    let n = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    ProptestConfig { cases: n, ..ProptestConfig::default() }
}

fn norm(s: &str) -> String {
    let mut out = String::new();
    normalize_into(s, &mut out);
    out
}

// ---------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------

/// Text mixing scripts, punctuation, quotes, digits, combining marks, emoji
/// and full-width forms: where word boundaries and the per-grapheme
/// fallback meet.
fn mixed_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-zA-Z]{1,8}",
        "[0-9]{1,4}([.,][0-9]{1,3})?",
        "[ \t\n\r.,;:!?'\"_-]{1,3}",
        "[\u{2018}\u{2019}\u{201C}\u{201D}\u{2013}\u{2014}\u{2032}\u{02BC}\u{00A0}\u{3000}]",
        "[\u{0400}-\u{04FF}]{1,6}",
        "[\u{0600}-\u{06FF}]{1,6}",
        "[\u{05D0}-\u{05EA}'\"]{1,5}",
        "[\u{0900}-\u{097F}]{1,5}",
        "[\u{4E00}-\u{4E80}\u{3040}-\u{30FF}\u{FF66}-\u{FF9F}]{1,6}",
        "[\u{0E01}-\u{0E3A}\u{0E40}-\u{0E4E}\u{0E80}-\u{0EDF}\u{1780}-\u{17DD}]{1,6}",
        "[\u{0300}-\u{036F}\u{200D}\u{FE0F}]{1,2}",
        "[\u{FF01}-\u{FF5E}]{1,4}",
        "[\u{1F300}-\u{1F64F}]{1,3}",
        "[\u{20000}-\u{20010}]{1,3}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

fn check_tokens(text: &str) -> Result<(), TestCaseError> {
    let mut prev_end = 0;
    for t in tokens(text) {
        let span = t.span();
        prop_assert!(!t.text.is_empty(), "empty token at {}", t.start);
        prop_assert!(span.end <= text.len(), "span {span:?} out of bounds ({})", text.len());
        prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end), "span {span:?}");
        prop_assert!(span.start >= prev_end, "token at {span:?} overlaps or precedes the previous end {prev_end}");
        prop_assert_eq!(&text[span.clone()], t.text);
        prev_end = span.end;
    }
    Ok(())
}

/// An ASCII sentence with apostrophes inside and around words and double quotes.
fn ascii_sentence() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        "[A-Za-z]{1,8}",
        "[A-Za-z]{1,6}'[a-z]{1,2}",
        "[A-Za-z]{1,6}'",
        "'[A-Za-z]{1,6}'",
        "\"[A-Za-z]{1,6}( [a-z]{1,5})?[,.]?\"",
        "[0-9]{1,3}'[0-9]{1,2}",
    ];
    let sep = prop_oneof![Just(" "), Just(", "), Just(". "), Just(" - "), Just("\n")];
    prop::collection::vec((word, sep), 0..16)
        .prop_map(|v| v.into_iter().flat_map(|(w, s)| [w, s.to_string()]).collect())
}

/// Replaces straight quotes by curly ones, each choice driven by `picks`.
fn curl(s: &str, picks: &[u8]) -> String {
    let mut picks = picks.iter().cycle();
    s.chars()
        .map(|c| {
            let p = picks.next().copied().unwrap_or(0);
            match c {
                '\'' => ['\'', '\u{2018}', '\u{2019}'][p as usize % 3],
                '"' => ['"', '\u{201C}', '\u{201D}'][p as usize % 3],
                c => c,
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn token_spans_arbitrary_unicode(text in "\\PC*") {
        check_tokens(&text)?;
    }

    #[test]
    fn token_spans_mixed_scripts(text in mixed_text()) {
        check_tokens(&text)?;
    }

    #[test]
    fn normalize_is_idempotent(text in "\\PC*") {
        // As a function of strings, and on every token of a text.
        let once = norm(&text);
        prop_assert_eq!(norm(&once), once);
        for t in tokens(&text) {
            let once = norm(t.text);
            prop_assert_eq!(norm(&once), once, "token {:?}", t.text);
        }
    }

    #[test]
    fn normalize_is_idempotent_on_mixed_tokens(text in mixed_text()) {
        for t in tokens(&text) {
            let once = norm(t.text);
            prop_assert_eq!(norm(&once), once, "token {:?}", t.text);
        }
    }

    #[test]
    fn curly_and_straight_quotes_hash_alike(s in ascii_sentence(), picks in prop::collection::vec(any::<u8>(), 1..32)) {
        let curly = curl(&s, &picks);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        hash_tokens(&s, 42, &mut a);
        hash_tokens(&curly, 42, &mut b);
        prop_assert_eq!(&a, &b, "{:?} vs {:?}", s, curly);
        prop_assert_eq!(ShingleSet::of_text(&s, 3, 7), ShingleSet::of_text(&curly, 3, 7));
    }

    #[test]
    fn case_does_not_change_ascii_hashes(s in ascii_sentence()) {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        hash_tokens(&s, 1, &mut a);
        hash_tokens(&s.to_ascii_uppercase(), 1, &mut b);
        prop_assert_eq!(a, b);
    }

    #[test]
    fn find_date_never_panics(text in mixed_text(), prefix in "[0-9 -]{0,12}") {
        let _ = samestory::text::find_date(&format!("{prefix}{text}"));
    }

    #[test]
    fn ascii_date_parse_never_panics_and_round_trips(s in "[0-9T:Z -]{0,14}", y in 1000i32..=9999, m in 1u32..=12, d in 1u32..=31) {
        let _ = Date::parse(&s);
        let text = format!("{y:04}-{m:02}-{d:02}");
        match Date::from_ymd(y, m, d) {
            Some(date) => {
                prop_assert_eq!(Date::parse(&text).ok(), Some(date));
                prop_assert_eq!(date.to_string(), text);
                prop_assert_eq!(date.ymd(), (y, m, d));
                prop_assert_eq!(Date::from_days(date.days()), date);
            }
            None => prop_assert!(Date::parse(&text).is_err()),
        }
    }
}

proptest! {
    #![proptest_config(cases(256))]

    /// `Date::parse` promises an `InvalidDate` error for text that is not a
    /// date; it must never panic.
    #[test]
    fn date_parse_never_panics(s in "[0-9]{4}-[0-9]{2}-[0-9]\\PC{0,3}|\\PC{0,14}") {
        let _ = Date::parse(&s);
    }
}

// ---------------------------------------------------------------------------
// Shingle sets
// ---------------------------------------------------------------------------

fn brute_jaccard(a: &BTreeSet<u64>, b: &BTreeSet<u64>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    a.intersection(b).count() as f64 / a.union(b).count() as f64
}

fn brute_containment(a: &BTreeSet<u64>, b: &BTreeSet<u64>) -> f64 {
    let m = a.len().min(b.len());
    if m == 0 { 0.0 } else { a.intersection(b).count() as f64 / m as f64 }
}

/// Hashes from a small universe (so sets overlap) or anywhere in `u64`.
fn hashes() -> impl Strategy<Value = Vec<u64>> {
    prop_oneof![prop::collection::vec(0u64..64, 0..80), prop::collection::vec(any::<u64>(), 0..40)]
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn shingle_set_matches_btreeset(a in hashes(), b in hashes()) {
        let (sa, sb) = (ShingleSet::from_hashes(a.clone()), ShingleSet::from_hashes(b.clone()));
        let (ba, bb): (BTreeSet<u64>, BTreeSet<u64>) = (a.into_iter().collect(), b.into_iter().collect());
        prop_assert!(sa.as_slice().windows(2).all(|w| w[0] < w[1]), "not sorted and unique");
        let sorted: Vec<u64> = ba.iter().copied().collect();
        prop_assert_eq!(sa.as_slice(), sorted.as_slice());
        prop_assert_eq!(sa.len(), ba.len());
        prop_assert_eq!(sa.is_empty(), ba.is_empty());
        prop_assert_eq!(sa.intersection_len(&sb), ba.intersection(&bb).count());
        prop_assert_eq!(sa.jaccard(&sb), brute_jaccard(&ba, &bb));
        prop_assert_eq!(sa.containment(&sb), brute_containment(&ba, &bb));
        prop_assert_eq!(sa.jaccard(&sb), sb.jaccard(&sa));
        prop_assert_eq!(sa.containment(&sb), sb.containment(&sa));
        prop_assert_eq!(sa.intersection_len(&sb), sb.intersection_len(&sa));
        for v in [sa.jaccard(&sb), sa.containment(&sb)] {
            prop_assert!((0.0..=1.0).contains(&v), "{v}");
        }
        prop_assert!(sa.containment(&sb) >= sa.jaccard(&sb));
        if !sa.is_empty() {
            prop_assert_eq!(sa.jaccard(&sa), 1.0);
        }
    }

    #[test]
    fn shingle_sets_of_text_sorted_unique(text in mixed_text(), k in 1usize..7) {
        let s = ShingleSet::of_text(&text, k, 3);
        prop_assert!(s.as_slice().windows(2).all(|w| w[0] < w[1]));
        let mut toks = Vec::new();
        hash_tokens(&text, 3, &mut toks);
        // n tokens give max(n - k + 1, 1) shingles (with repeats), none when n = 0.
        let max = if toks.is_empty() { 0 } else { toks.len().saturating_sub(k) + 1 };
        prop_assert!(s.len() <= max && (s.is_empty() == toks.is_empty()), "{} shingles of {} tokens", s.len(), toks.len());
    }
}

// ---------------------------------------------------------------------------
// MinHash
// ---------------------------------------------------------------------------

/// Two sets drawn from one pool: each value goes to A, B or both.
fn set_pair() -> impl Strategy<Value = (Vec<u64>, Vec<u64>)> {
    prop::collection::vec((any::<u64>(), 0u8..3), 0..150).prop_map(|v| {
        let a = v.iter().filter(|(_, m)| *m != 1).map(|(x, _)| *x).collect();
        let b = v.iter().filter(|(_, m)| *m != 0).map(|(x, _)| *x).collect();
        (a, b)
    })
}

fn kinds() -> impl Strategy<Value = MinHashKind> {
    prop_oneof![Just(MinHashKind::OnePermutation), Just(MinHashKind::Classic)]
}

proptest! {
    #![proptest_config(cases(128))]

    #[test]
    fn minhash_estimates_bounded_symmetric_reflexive(
        (a, b) in set_pair(),
        kind in kinds(),
        k in prop_oneof![Just(1usize), Just(7), Just(64), Just(128), Just(257)],
        seed in any::<u64>(),
    ) {
        let h = MinHasher::with_kind(k, seed, kind).unwrap();
        let (sa, sb) = (h.sketch(&a), h.sketch(&b));
        prop_assert_eq!(sa.slots().len(), k);
        let ab = sa.estimate_jaccard(&sb).unwrap();
        prop_assert!((0.0..=1.0).contains(&ab), "{ab}");
        prop_assert_eq!(ab, sb.estimate_jaccard(&sa).unwrap());
        let aa = sa.estimate_jaccard(&h.sketch(&a)).unwrap();
        prop_assert_eq!(aa, if a.is_empty() { 0.0 } else { 1.0 });
        prop_assert_eq!(sa.is_empty(), a.is_empty());
        // Order and repeats do not matter.
        let mut shuffled: Vec<u64> = a.iter().rev().copied().collect();
        shuffled.extend(a.iter().take(5));
        prop_assert_eq!(h.sketch(&shuffled), sa.clone());
        // Sketches of different lengths are an error, not a wrong answer.
        let other = MinHasher::with_kind(k + 1, seed, kind).unwrap().sketch(&a);
        prop_assert!(sa.estimate_jaccard(&other).is_err());
        prop_assert!(sa.union(&other).is_err());
    }

    #[test]
    fn classic_union_is_sketch_of_union((a, b) in set_pair(), k in 1usize..200, seed in any::<u64>()) {
        let h = MinHasher::with_kind(k, seed, MinHashKind::Classic).unwrap();
        let union: Vec<u64> = a.iter().chain(&b).copied().collect();
        let got = h.sketch(&a).union(&h.sketch(&b)).unwrap();
        prop_assert_eq!(&got, &h.sketch(&union));
        prop_assert_eq!(&got, &h.sketch(&b).union(&h.sketch(&a)).unwrap());
    }
}

/// Deterministic 64-bit generator for the statistical checks (fixed seeds).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix64(self.0)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Over 60 set pairs of known Jaccard J (sizes from 5 to 1,500, J spread over
/// [0, 1]), every estimate with k = 256 is within 4 standard errors plus 0.02.
#[test]
fn minhash_estimates_within_four_sigma() {
    const K: usize = 256;
    for kind in [MinHashKind::OnePermutation, MinHashKind::Classic] {
        for seed in [42u64, DEFAULT_SEED] {
            let h = MinHasher::with_kind(K, seed, kind).unwrap();
            let mut rng = Rng(seed ^ 0x5eed);
            let mut next_value = 0u64;
            let mut fresh = |n: u64| -> Vec<u64> {
                (0..n)
                    .map(|_| {
                        next_value += 1;
                        mix64(next_value.wrapping_mul(0x2545_f491_4f6c_dd1d))
                    })
                    .collect()
            };
            let mut worst = 0f64;
            for i in 0..60u64 {
                let total = [5, 20, 60, 200, 600, 1500][(i % 6) as usize] as u64;
                let shared = if i % 10 == 0 { total } else { rng.below(total + 1) };
                let a_only = rng.below(total - shared + 1);
                let b_only = total - shared - a_only;
                let common = fresh(shared);
                let mut a = common.clone();
                a.extend(fresh(a_only));
                let mut b = common;
                b.extend(fresh(b_only));
                if a.is_empty() || b.is_empty() {
                    continue;
                }
                let j = shared as f64 / total as f64;
                let est = h.sketch(&a).estimate_jaccard(&h.sketch(&b)).unwrap();
                let bound = 4.0 * (j * (1.0 - j) / K as f64).sqrt() + 0.02;
                assert!(
                    (est - j).abs() <= bound,
                    "{kind:?} seed {seed}: pair {i} ({shared} shared, {a_only}+{b_only} apart): J = {j:.4}, estimate {est:.4}, bound {bound:.4}"
                );
                worst = worst.max((est - j).abs() / bound);
            }
            assert!(worst > 0.0, "every estimate exact: the check is not exercising anything");
        }
    }
}

// ---------------------------------------------------------------------------
// SimHash
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(cases(128))]

    #[test]
    fn simhash_set_equals_weighted_with_unit_weights(
        f in prop_oneof![prop::collection::vec(any::<u64>(), 0..700), prop::collection::vec(0u64..8, 0..600)],
        seed in any::<u64>(),
    ) {
        let h = SimHasher::new(seed);
        let x = h.hash_set(&f);
        prop_assert_eq!(x, h.hash_weighted(f.iter().map(|&v| (v, 1.0))));
        let reversed: Vec<u64> = f.iter().rev().copied().collect();
        prop_assert_eq!(x, h.hash_set(&reversed));
        if f.is_empty() {
            prop_assert_eq!(x, SimHash::EMPTY);
        }
    }

    #[test]
    fn simhash_hamming_is_a_metric_on_samples(x in any::<u64>(), y in any::<u64>(), z in any::<u64>()) {
        let (x, y, z) = (SimHash(x), SimHash(y), SimHash(z));
        prop_assert_eq!(x.hamming(x), 0);
        prop_assert_eq!(x.estimated_cosine(x), 1.0);
        prop_assert_eq!(x.hamming(y), y.hamming(x));
        prop_assert!(x.hamming(y) <= 64);
        prop_assert_eq!(x.hamming(y) == 0, x == y);
        prop_assert!(x.hamming(z) <= x.hamming(y) + y.hamming(z));
        let c = x.estimated_cosine(y);
        prop_assert!((-1.0..=1.0).contains(&c));
    }
}

// ---------------------------------------------------------------------------
// LSH indexes
// ---------------------------------------------------------------------------

/// Documents as sets: some are repeats of a few base sets, some are edits of
/// them, some are empty.
fn lsh_docs() -> impl Strategy<Value = Vec<Vec<u64>>> {
    let base = prop::collection::vec(prop::collection::vec(0u64..400, 1..40), 1..5);
    base.prop_flat_map(|bases| {
        let nb = bases.len();
        let doc = (0..nb, 0u8..4, prop::collection::vec(0u64..400, 0..4));
        prop::collection::vec(doc, 1..30).prop_map(move |plan| {
            plan.into_iter()
                .map(|(i, how, extra)| match how {
                    0 => Vec::new(),
                    1 => {
                        let mut s = bases[i].clone();
                        s.extend(extra);
                        s
                    }
                    _ => bases[i].clone(),
                })
                .collect()
        })
    })
}

proptest! {
    #![proptest_config(cases(96))]

    #[test]
    fn band_index_equals_brute_force(
        docs in lsh_docs(),
        bands in 1usize..12,
        rows in 1usize..6,
        extra_slots in 0usize..4,
        kind in kinds(),
        removed in prop::collection::vec(any::<bool>(), 30),
    ) {
        let params = LshParams::new(bands, rows).unwrap();
        let h = MinHasher::with_kind(bands * rows + extra_slots, 11, kind).unwrap();
        let sketches: Vec<_> = docs.iter().map(|d| h.sketch(d)).collect();
        let keys: Vec<Vec<u64>> = sketches.iter().map(|s| band_keys(s, params, 5).unwrap()).collect();
        for (d, k) in docs.iter().zip(&keys) {
            prop_assert_eq!(k.len(), if d.is_empty() { 0 } else { bands });
        }
        let mut idx = BandIndex::new(bands);
        for (i, k) in keys.iter().enumerate() {
            idx.insert(i as u32, k);
        }
        let mut live: Vec<bool> = vec![true; docs.len()];
        for round in 0..2 {
            let shares = |i: usize, q: &[u64]| live[i] && keys[i].iter().zip(q).any(|(x, y)| x == y);
            for (qi, q) in keys.iter().enumerate() {
                let want: Vec<u32> = (0..docs.len()).filter(|&i| shares(i, q)).map(|i| i as u32).collect();
                let got = idx.query(q);
                prop_assert_eq!(&got, &want, "round {} query {}", round, qi);
                // Never misses a live document with an identical, non-empty sketch.
                for j in 0..docs.len() {
                    if live[j] && !docs[j].is_empty() && sketches[j] == sketches[qi] {
                        prop_assert!(got.contains(&(j as u32)), "missed identical sketch {j} for {qi}");
                    }
                }
            }
            let mut want_pairs = BTreeSet::new();
            for i in 0..docs.len() {
                for j in i + 1..docs.len() {
                    if live[j] && shares(i, &keys[j]) {
                        want_pairs.insert((i as u32, j as u32));
                    }
                }
            }
            let mut got_pairs = BTreeSet::new();
            let mut ok = true;
            idx.for_each_pair(|a, b| {
                ok &= a < b;
                got_pairs.insert((a, b));
            });
            prop_assert!(ok, "for_each_pair gave a >= b");
            prop_assert_eq!(got_pairs, want_pairs);
            // Remove some documents and check again.
            for (i, k) in keys.iter().enumerate() {
                if removed[i % removed.len()] && live[i] {
                    idx.remove(i as u32, k);
                    live[i] = false;
                }
            }
        }
    }

    #[test]
    fn hamming_index_equals_brute_force(
        d in prop_oneof![0u32..8, 8u32..40],
        bases in prop::collection::vec(any::<u64>(), 1..8),
        planted in prop::collection::vec((0usize..8, prop::collection::vec(0u32..64, 0..10)), 0..30),
        queries in prop::collection::vec(any::<u64>(), 0..5),
        with_empty in any::<bool>(),
        removed in prop::collection::vec(any::<bool>(), 40),
    ) {
        let mut fps: Vec<u64> = bases.clone();
        for (b, flips) in &planted {
            let mut fp = bases[b % bases.len()];
            for bit in flips {
                fp ^= 1 << bit;
            }
            fps.push(fp);
        }
        if with_empty {
            fps.push(0);
        }
        let mut idx = HammingIndex::new(d);
        let md = d.min(31);
        prop_assert_eq!(idx.max_distance(), md);
        for (i, &fp) in fps.iter().enumerate() {
            idx.insert(i as u32, SimHash(fp));
        }
        let mut live = vec![true; fps.len()];
        let qs: Vec<u64> = fps.iter().copied().chain(queries.iter().copied()).chain([0]).collect();
        for round in 0..2 {
            for &q in &qs {
                let want: Vec<u32> = if q == 0 {
                    Vec::new()
                } else {
                    (0..fps.len())
                        .filter(|&i| live[i] && fps[i] != 0 && (fps[i] ^ q).count_ones() <= md)
                        .map(|i| i as u32)
                        .collect()
                };
                prop_assert_eq!(idx.query(SimHash(q)), want, "round {} query {:#x}", round, q);
            }
            for (i, &fp) in fps.iter().enumerate() {
                if removed[i % removed.len()] && live[i] {
                    idx.remove(i as u32, SimHash(fp));
                    live[i] = false;
                }
            }
        }
    }

    #[test]
    fn term_index_equals_brute_force(
        docs in prop::collection::vec(prop::collection::vec(0u64..20, 0..8), 0..20),
        removed in prop::collection::vec(any::<bool>(), 20),
    ) {
        // Each posting carries a weight; make it depend on the document and term.
        let weighted: Vec<Vec<(u64, f32)>> = docs
            .iter()
            .enumerate()
            .map(|(i, terms)| terms.iter().map(|&t| (t, (t as f32 + 1.0) / (i as f32 + 1.0))).collect())
            .collect();
        let mut idx = TermIndex::new();
        for (i, terms) in weighted.iter().enumerate() {
            idx.insert(i as u32, terms.iter().copied());
        }
        let mut live = vec![true; docs.len()];
        for _ in 0..2 {
            let mut distinct = BTreeSet::new();
            for t in 0u64..21 {
                let want: Vec<(u32, f32)> = weighted
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| live[i])
                    .flat_map(|(i, terms)| terms.iter().filter(|&&(x, _)| x == t).map(move |&(_, w)| (i as u32, w)))
                    .collect();
                if !want.is_empty() {
                    distinct.insert(t);
                }
                prop_assert_eq!(idx.postings(t), want.as_slice(), "term {}", t);
            }
            prop_assert_eq!(idx.len(), distinct.len());
            prop_assert_eq!(idx.is_empty(), distinct.is_empty());
            for (i, terms) in weighted.iter().enumerate() {
                if removed[i] && live[i] {
                    idx.remove(i as u32, terms.iter().copied());
                    live[i] = false;
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Clustering
// ---------------------------------------------------------------------------

/// A random graph on `n ≤ 12` nodes with distinct weights in (0, 1), and a
/// threshold. Weights are `f32` values (as `PairScores::similarity` holds
/// them), widened to `f64` for the oracles.
fn graph() -> impl Strategy<Value = (usize, Vec<(u32, u32, f64)>, f64)> {
    (1usize..=12).prop_flat_map(|n| {
        let pairs = n * (n - 1) / 2;
        (Just(n), prop::collection::vec(prop::option::weighted(0.45, 0.0001f32..0.9999), pairs), 0.05f64..0.95)
            .prop_map(|(n, ws, t)| {
                let mut edges = Vec::new();
                let mut k = 0;
                for a in 0..n as u32 {
                    for b in a + 1..n as u32 {
                        if let Some(w) = ws[k] {
                            edges.push((a, b, f64::from(w)));
                        }
                        k += 1;
                    }
                }
                (n, edges, t)
            })
    })
}

/// Cluster labels of `n` documents from weighted edges, through
/// `Stages::cluster_component` (which replaced `cluster::cluster_labels`):
/// each document weighs 1, each edge is a scored pair of similarity `w`,
/// and the detector clusters at threshold `t` with `linkage` and no cohesion
/// guard (the oracles below are plain single and average linkage).
fn cluster_labels(n: usize, edges: &[(u32, u32, f64)], t: f64, linkage: Linkage) -> Vec<u32> {
    let detector = Detector::builder().story_threshold(t).linkage(linkage).cohesion_guard(None).build().unwrap();
    let pairs: Vec<ScoredPair> = edges
        .iter()
        .map(|&(a, b, w)| ScoredPair { a, b, scores: PairScores { similarity: w as f32, ..PairScores::default() } })
        .collect();
    detector.stages().cluster_component(&vec![1; n], &pairs).unwrap()
}

fn relabel_by_first_member(root: &[usize]) -> Vec<u32> {
    let mut map = BTreeMap::new();
    root.iter()
        .map(|r| {
            let next = map.len() as u32;
            *map.entry(*r).or_insert(next)
        })
        .collect()
}

/// Connected components over edges with `w >= t`, by BFS.
fn bfs_components(n: usize, edges: &[(u32, u32, f64)], t: f64) -> Vec<u32> {
    let mut adj = vec![Vec::new(); n];
    for &(a, b, w) in edges {
        if w >= t {
            adj[a as usize].push(b as usize);
            adj[b as usize].push(a as usize);
        }
    }
    let mut comp = vec![usize::MAX; n];
    for s in 0..n {
        if comp[s] != usize::MAX {
            continue;
        }
        comp[s] = s;
        let mut queue = VecDeque::from([s]);
        while let Some(x) = queue.pop_front() {
            for &y in &adj[x] {
                if comp[y] == usize::MAX {
                    comp[y] = s;
                    queue.push_back(y);
                }
            }
        }
    }
    relabel_by_first_member(&comp)
}

/// Naive O(n³)-per-step average linkage over the full similarity matrix
/// (missing edges are 0). `None` when a near tie (or an average within 1e-9
/// of the threshold) makes the answer depend on rounding.
fn naive_average(n: usize, edges: &[(u32, u32, f64)], t: f64) -> Option<Vec<u32>> {
    let mut sim = vec![vec![0f64; n]; n];
    for &(a, b, w) in edges {
        sim[a as usize][b as usize] = w;
        sim[b as usize][a as usize] = w;
    }
    let mut clusters: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    loop {
        let mut cands: Vec<(f64, usize, usize)> = Vec::new();
        for x in 0..clusters.len() {
            for y in x + 1..clusters.len() {
                let sum: f64 = clusters[x]
                    .iter()
                    .flat_map(|&i| clusters[y].iter().map(move |&j| (i, j)))
                    .map(|(i, j)| sim[i][j])
                    .sum();
                cands.push((sum / (clusters[x].len() * clusters[y].len()) as f64, x, y));
            }
        }
        cands.sort_by(|p, q| q.0.total_cmp(&p.0));
        let Some(&(best, x, y)) = cands.first() else { break };
        if (best - t).abs() < 1e-9 {
            return None;
        }
        if best < t {
            break;
        }
        if cands.len() > 1 && best - cands[1].0 < 1e-9 {
            return None;
        }
        let moved = clusters.remove(y);
        clusters[x].extend(moved);
    }
    let mut root = vec![0; n];
    for c in &clusters {
        let first = *c.iter().min().unwrap();
        for &i in c {
            root[i] = first;
        }
    }
    Some(relabel_by_first_member(&root))
}

fn check_partition_labels(labels: &[u32], n: usize) -> Result<(), TestCaseError> {
    prop_assert_eq!(labels.len(), n);
    let mut max_seen: Option<u32> = None;
    for (i, &l) in labels.iter().enumerate() {
        let limit = max_seen.map_or(0, |m| m + 1);
        prop_assert!(l <= limit, "label {} of item {} skips ahead (max so far {:?})", l, i, max_seen);
        max_seen = Some(max_seen.map_or(l, |m| m.max(l)));
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn clusters_partition_and_match_oracles((n, edges, t) in graph()) {
        let ws: BTreeSet<u64> = edges.iter().map(|e| e.2.to_bits()).collect();
        prop_assume!(ws.len() == edges.len(), "weights must be distinct");

        let single = cluster_labels(n, &edges, t, Linkage::Single);
        check_partition_labels(&single, n)?;
        prop_assert_eq!(&single, &bfs_components(n, &edges, t));

        let average = cluster_labels(n, &edges, t, Linkage::Average);
        check_partition_labels(&average, n)?;
        if let Some(want) = naive_average(n, &edges, t) {
            prop_assert_eq!(&average, &want, "edges {:?} t {}", edges, t);
        }
        // Average linkage only merges clusters joined by an edge >= t, so it
        // refines single linkage.
        for i in 0..n {
            for j in 0..n {
                if average[i] == average[j] {
                    prop_assert_eq!(single[i], single[j]);
                }
            }
        }
        // Edge order, direction and a repeated weaker copy of an edge change nothing.
        let mut shuffled: Vec<(u32, u32, f64)> = edges.iter().rev().map(|&(a, b, w)| (b, a, w)).collect();
        shuffled.extend(edges.iter().map(|&(a, b, w)| (a, b, w / 4.0)));
        prop_assert_eq!(cluster_labels(n, &shuffled, t, Linkage::Average), average);
        prop_assert_eq!(cluster_labels(n, &shuffled, t, Linkage::Single), single);
    }
}

// ---------------------------------------------------------------------------
// End to end
// ---------------------------------------------------------------------------

const VOCAB_SIZE: usize = 3000;

/// A fixed vocabulary of random lowercase "words" (no digits, so no dates).
fn vocabulary() -> Vec<String> {
    let mut rng = Rng(0xC0FFEE);
    (0..VOCAB_SIZE)
        .map(|_| {
            let len = 3 + rng.below(8) as usize;
            (0..len).map(|_| (b'a' + rng.below(26) as u8) as char).collect()
        })
        .collect()
}

#[derive(Debug, Clone)]
enum Plan {
    /// Words from the vocabulary, on one line.
    Fresh(Vec<usize>),
    /// The same, split into lines of `width` words, with a shared chrome line.
    MultiLine(Vec<usize>, usize),
    /// An exact copy of an earlier document (index taken modulo the count so far).
    Copy(usize),
    /// A copy of an earlier document with a few words replaced.
    Near(usize, Vec<(usize, usize)>),
}

fn plan() -> impl Strategy<Value = Plan> {
    let words = |lo: usize, hi: usize| prop::collection::vec(0..VOCAB_SIZE, lo..hi);
    prop_oneof![
        4 => words(30, 70).prop_map(Plan::Fresh),
        1 => words(0, 6).prop_map(Plan::Fresh),
        2 => (words(20, 60), 3usize..12).prop_map(|(w, k)| Plan::MultiLine(w, k)),
        3 => any::<usize>().prop_map(Plan::Copy),
        3 => (any::<usize>(), prop::collection::vec((any::<usize>(), 0..VOCAB_SIZE), 1..4)).prop_map(|(i, c)| Plan::Near(i, c)),
    ]
}

fn build_corpus(vocab: &[String], plans: &[Plan]) -> Vec<Document> {
    let mut texts: Vec<String> = Vec::new();
    let mut word_lists: Vec<Option<Vec<usize>>> = Vec::new();
    let join = |w: &[usize]| w.iter().map(|&i| vocab[i].as_str()).collect::<Vec<_>>().join(" ");
    for p in plans {
        let (text, words) = match p {
            Plan::Fresh(w) => (join(w), Some(w.clone())),
            Plan::MultiLine(w, k) => {
                let mut lines: Vec<String> = w.chunks(*k).map(join).collect();
                lines.insert(0, "share this story on social media".to_string());
                (lines.join("\n"), None)
            }
            Plan::Copy(i) if !texts.is_empty() => {
                let i = i % texts.len();
                (texts[i].clone(), word_lists[i].clone())
            }
            Plan::Near(i, changes) if word_lists.iter().any(Option::is_some) => {
                let candidates: Vec<usize> = (0..texts.len()).filter(|&j| word_lists[j].is_some()).collect();
                let mut w = word_lists[candidates[i % candidates.len()]].clone().unwrap();
                for &(pos, new) in changes {
                    if !w.is_empty() {
                        let pos = pos % w.len();
                        w[pos] = if w[pos] == new { (new + 1) % VOCAB_SIZE } else { new };
                    }
                }
                (join(&w), Some(w))
            }
            // A copy or near copy with nothing before it: a short fresh doc.
            _ => (join(&[texts.len() % VOCAB_SIZE]), None),
        };
        texts.push(text);
        word_lists.push(words);
    }
    texts.into_iter().enumerate().map(|(i, t)| Document::new(format!("doc-{i}"), t)).collect()
}

proptest! {
    #![proptest_config(cases(48))]

    #[test]
    fn detector_end_to_end(plans in prop::collection::vec(plan(), 1..14)) {
        let vocab = vocabulary();
        let docs = build_corpus(&vocab, &plans);
        let n = docs.len();
        let detector = Detector::new();
        let c = detector.cluster(&docs).unwrap();

        // (a) The labels are a partition numbered by first member, and
        // `clusters()` lists exactly the members of each label.
        check_partition_labels(c.labels(), n)?;
        let k = c.labels().iter().map(|&l| l as usize + 1).max().unwrap_or(0);
        prop_assert_eq!(c.clusters().len(), k);
        let mut seen = vec![false; n];
        for (l, members) in c.clusters().iter().enumerate() {
            prop_assert!(!members.is_empty());
            prop_assert!(members.windows(2).all(|w| w[0] < w[1]));
            for &m in members {
                prop_assert!(!seen[m as usize]);
                seen[m as usize] = true;
                prop_assert_eq!(c.labels()[m as usize], l as u32);
            }
        }
        prop_assert!(seen.iter().all(|&s| s));

        // (b) Deterministic: again, and with a fresh detector.
        prop_assert_eq!(&detector.cluster(&docs).unwrap(), &c);
        prop_assert_eq!(&Detector::builder().build().unwrap().cluster(&docs).unwrap(), &c);

        // (c) Exact copies of 30+ words are candidates and share a cluster.
        for i in 0..n {
            for j in i + 1..n {
                if docs[i].text == docs[j].text && docs[i].text.split_whitespace().count() >= 30 {
                    prop_assert!(c.scores(i as u32, j as u32).is_some(), "exact copies {} and {} never scored", i, j);
                    prop_assert!(c.same_story(i as u32, j as u32), "exact copies {} and {} apart: {:?}", i, j, c.labels());
                }
            }
        }

        // (d) Scores: sorted unique pairs, bounded, and for single-line
        // documents equal to a recomputation from the text.
        //
        // Caveat: the detector drops boilerplate lines before shingling, so
        // its shingle set is `ShingleSet::of_text` of the *kept* lines. A
        // single-line document keeps its whole text either way (when every
        // line is boilerplate the whole text is used), so for those the exact
        // oracle applies; multi-line documents only get the bounds checks.
        prop_assert!(c.pairs().windows(2).all(|w| (w[0].a, w[0].b) < (w[1].a, w[1].b)), "pairs not sorted and unique");
        let minhasher = MinHasher::new(128, DEFAULT_SEED).unwrap();
        let simhasher = SimHasher::new(DEFAULT_SEED);
        let shingles: Vec<ShingleSet> = docs.iter().map(|d| ShingleSet::of_text(&d.text, 5, DEFAULT_SEED)).collect();
        for p in c.pairs() {
            let s = &p.scores;
            prop_assert!(p.a < p.b && (p.b as usize) < n);
            prop_assert_eq!(c.scores(p.b, p.a), Some(s));
            prop_assert!((0.0..=1.0).contains(&s.jaccard), "{:?}", s);
            prop_assert!((0.0..=1.0).contains(&s.containment), "{:?}", s);
            prop_assert!((0.0..=1.0).contains(&s.jaccard_estimate), "{:?}", s);
            prop_assert!((0.0..=1.0).contains(&s.cosine), "{:?}", s);
            prop_assert!(s.containment >= s.jaccard, "{:?}", s);
            prop_assert!(s.simhash_distance <= 64);
            prop_assert_eq!(s.days_apart, None);
            prop_assert!(s.similarity >= s.cosine, "no dates, so similarity >= cosine: {:?}", s);
            prop_assert!(s.similarity <= 1.0);
            if s.copy {
                prop_assert!(s.similarity as f64 >= detector.params().story.threshold - 1e-6, "{:?}", s);
            }
            let (a, b) = (p.a as usize, p.b as usize);
            if !docs[a].text.contains('\n') && !docs[b].text.contains('\n') {
                let (sa, sb) = (&shingles[a], &shingles[b]);
                prop_assert_eq!(s.jaccard, sa.jaccard(sb) as f32, "pair {}-{}", a, b);
                prop_assert_eq!(s.containment, sa.containment(sb) as f32, "pair {}-{}", a, b);
                let est = minhasher.sketch(sa.as_slice()).estimate_jaccard(&minhasher.sketch(sb.as_slice())).unwrap();
                prop_assert_eq!(s.jaccard_estimate, est as f32, "pair {}-{}", a, b);
                let dist = if sa.is_empty() || sb.is_empty() {
                    64
                } else {
                    simhasher.hash_set(sa.as_slice()).hamming(simhasher.hash_set(sb.as_slice()))
                };
                prop_assert_eq!(s.simhash_distance, dist, "pair {}-{}", a, b);
            }
        }

        // (e) Copy groups: a partition numbered by first member, nested in
        // the stories, and exactly the components of the copy pairs inside
        // each story (brute force: grow each group from its first member).
        check_partition_labels(c.copy_labels(), n)?;
        prop_assert_eq!(c.copy_groups().len(), c.copy_labels().iter().map(|&l| l as usize + 1).max().unwrap_or(0));
        for (g, members) in c.copy_groups().iter().enumerate() {
            for &m in members {
                prop_assert_eq!(c.copy_labels()[m as usize], g as u32);
                prop_assert!(c.same_story(m, members[0]), "copy group {} spans stories: {:?}", g, c.labels());
            }
            let mut reach = vec![members[0]];
            let mut grown = true;
            while grown {
                grown = false;
                for p in c.pairs() {
                    if !p.scores.copy || !c.same_story(p.a, p.b) {
                        continue;
                    }
                    for (x, y) in [(p.a, p.b), (p.b, p.a)] {
                        if reach.contains(&x) && !reach.contains(&y) {
                            reach.push(y);
                            grown = true;
                        }
                    }
                }
            }
            reach.sort_unstable();
            prop_assert_eq!(&reach, members, "copy group {} is not the component of its copy pairs", g);
        }
    }
}

proptest! {
    #![proptest_config(cases(48))]

    #[test]
    fn streaming_add_end_to_end(plans in prop::collection::vec(plan(), 1..14)) {
        let vocab = vocabulary();
        let docs = build_corpus(&vocab, &plans);
        let mut tracker = Tracker::new(Detector::new());
        let mut next_story = 0u64;
        for (i, doc) in docs.iter().enumerate() {
            let a = tracker.add(doc.clone()).unwrap();
            // Story ids are handed out in order and never reused.
            if a.new_story {
                prop_assert_eq!(a.story.0, next_story);
                next_story += 1;
            } else {
                prop_assert!(a.story.0 < next_story);
            }
            prop_assert!(a.matches.len() <= 10);
            prop_assert!(
                a.matches.windows(2).all(|w| w[0].scores.similarity >= w[1].scores.similarity),
                "matches not best first"
            );
            for m in &a.matches {
                let at = docs.iter().position(|d| d.id == m.id);
                prop_assert!(at.is_some_and(|p| p < i) && m.scores.similarity > 0.0);
                // Merged stories live on in the surviving (oldest) id.
                let now = if a.merged.contains(&m.story) { a.story } else { m.story };
                prop_assert_eq!(tracker.story_of(&m.id), Some(now));
            }
            for g in &a.merged {
                prop_assert!(*g > a.story && tracker.story(*g).is_none());
            }
            // An exact copy of an earlier non-empty document always finds a
            // match of similarity 1 (its original, or another copy of it).
            let is_copy = docs[..i].iter().any(|d| d.text == doc.text);
            if is_copy && doc.text.split_whitespace().count() >= 30 {
                prop_assert!(
                    a.matches.first().is_some_and(|m| m.scores.similarity == 1.0 && m.scores.copy),
                    "copy {} matches {:?}",
                    i,
                    a.matches
                );
            }
        }
        prop_assert_eq!(tracker.len(), docs.len());
        // Stories partition the documents, members in insertion order.
        let mut seen = BTreeSet::new();
        for story in tracker.stories() {
            let (s, members): (StoryId, Vec<&str>) = (story.id, story.members);
            prop_assert!(s.0 < next_story && !members.is_empty(), "story {} is empty", s);
            let positions: Vec<usize> = members.iter().map(|id| docs.iter().position(|d| d.id == *id).unwrap()).collect();
            prop_assert!(positions.windows(2).all(|w| w[0] < w[1]));
            for id in members {
                prop_assert!(seen.insert(id.to_string()), "{} in two stories", id);
                prop_assert_eq!(tracker.story_of(id), Some(s));
            }
        }
        prop_assert_eq!(seen.len(), docs.len());
    }
}
