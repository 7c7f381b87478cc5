//! Caller mistakes: every public function that takes positions, features,
//! pairs, bytes or parameters answers a mistake with an error naming what
//! was wrong (or, for a lookup, `None` / `false`), never a panic, and a
//! refused call changes nothing. Also: the public types are `Send + Sync`,
//! and `Detector` and `Tracker` are `Clone`.

use std::fmt::Debug;
use std::path::Path;

use samestory::hash::hash_bytes;
use samestory::lsh::{BandIndex, HammingIndex, LshParams, TermIndex, band_keys};
use samestory::minhash::{MinHashKind, MinHashSketch, MinHasher};
use samestory::shingle::ShingleSet;
use samestory::simhash::SimHash;
use samestory::stages::Stages;
use samestory::{
    Assignment, Clustering, CohesionGuard, CorpusStats, Date, Detector, DetectorBuilder, Document, Error, ErrorKind,
    Explanation, Features, Linkage, PairScores, Params, Placement, ScoredPair, Tracker,
};

const STORM: &str = "Storm Ciarán hit Brittany on Thursday with gusts of 207 km/h, cutting power to 1.2 million \
    homes, and the regional prefect said schools in Brest and Quimper would stay shut until Monday.";
const STORM_B: &str = "Gusts reached 207 km/h as Ciarán swept across Brittany on Thursday; about 1.2 million homes \
    lost power and schools in Brest and Quimper will stay shut until Monday, the prefect said.";
const BANK: &str = "The central bank held its main rate at 4.5 percent on Thursday, citing sticky services \
    inflation, and its governor told reporters in Frankfurt that cuts were not yet discussed.";
const LEAGUE: &str = "The league title went to Castlebrook after a 2-1 win on Saturday, their first in forty \
    years, with striker Ana Lucero scoring twice in front of a sold-out home crowd.";

fn docs() -> Vec<Document> {
    vec![
        Document::new("storm", STORM).with_date(Date::parse("2023-11-02").unwrap()),
        Document::new("storm-b", STORM_B).with_date(Date::parse("2023-11-02").unwrap()),
        Document::new("bank", BANK),
        Document::new("storm-copy", STORM).with_date(Date::parse("2023-11-02").unwrap()),
        Document::new("league", LEAGUE),
    ]
}

/// A document with an id and a text.
fn doc(id: &str, text: &str) -> Document {
    Document::new(id, text)
}

/// The name of the parameter an `InvalidParameter` error names; fails on
/// success or another kind of error, and checks that the message names it
/// and gives a reason.
#[track_caller]
fn invalid_parameter<T: Debug>(r: Result<T, Error>) -> &'static str {
    match r {
        Ok(v) => panic!("expected InvalidParameter, got Ok({v:?})"),
        Err(e) => match e.kind() {
            ErrorKind::InvalidParameter { name, reason } => {
                assert!(!reason.is_empty(), "{e}");
                assert!(e.to_string().contains(&format!("`{name}`")), "{e} does not name {name}");
                name
            }
            other => panic!("expected InvalidParameter, got {other:?}: {e}"),
        },
    }
}

/// Checks that `r` is an `InvalidState` error (or, for `version`, an
/// `UnsupportedStateVersion`) with a reason; fails on success.
#[track_caller]
fn invalid_state<T: Debug>(r: Result<T, Error>) -> String {
    match r {
        Ok(v) => panic!("expected InvalidState, got Ok({v:?})"),
        Err(e) => match e.kind() {
            ErrorKind::InvalidState { reason, .. } => {
                assert!(!reason.is_empty());
                e.to_string()
            }
            other => panic!("expected InvalidState, got {other:?}: {e}"),
        },
    }
}

/// A fixed-seed xorshift64* generator: the same "random" bytes on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| (self.next() >> 56) as u8).collect()
    }
}

/// Every byte is changed in release builds; every 7th in debug builds (slow).
const STEP: usize = if cfg!(debug_assertions) { 7 } else { 1 };

/// Variants of `bytes` with one byte changed, at every position (or every
/// `step`-th), to a few values.
fn one_byte_changes(bytes: &[u8], step: usize) -> impl Iterator<Item = (usize, Vec<u8>)> + '_ {
    (0..bytes.len()).step_by(step.max(1)).flat_map(move |i| {
        [0x00u8, 0xff, 0x01, 0x80].into_iter().filter(move |&v| v != bytes[i]).chain([bytes[i] ^ 0x01]).map(move |v| {
            let mut b = bytes.to_vec();
            b[i] = v;
            (i, b)
        })
    })
}

// ------------------------------------------------------ Send, Sync, Clone

fn send_sync<T: Send + Sync>() {}
fn clone<T: Clone>() {}

#[test]
fn public_types_are_send_and_sync_and_detector_and_tracker_clone() {
    send_sync::<Detector>();
    send_sync::<Tracker>();
    send_sync::<Clustering>();
    send_sync::<Stages<'static>>();
    send_sync::<Features>();
    send_sync::<CorpusStats>();
    send_sync::<Params>();
    send_sync::<Explanation>();
    send_sync::<Assignment>();
    send_sync::<Placement>();
    send_sync::<Error>();
    clone::<Detector>();
    clone::<Tracker>();

    // At run time: one tracker queried from several threads at once, and a
    // clone that moves on without changing the original.
    let mut t = Tracker::new(Detector::new());
    for d in docs() {
        t.add(d).unwrap();
    }
    let probe = doc("probe", STORM_B);
    let want = t.query(&probe).unwrap();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..3).map(|_| s.spawn(|| t.query(&probe).unwrap())).collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), want);
        }
    });
    let before = t.to_bytes();
    let mut other = t.clone();
    other.add(probe).unwrap();
    other.remove("bank").unwrap();
    assert_eq!(t.to_bytes(), before, "a clone is independent");
    assert_eq!((t.len(), other.len()), (5, 5));
    let detector = Detector::builder().story_threshold(0.4).build().unwrap();
    let copy = detector.clone();
    assert_eq!(copy.params(), detector.params());
    let on_thread = std::thread::spawn(move || copy.cluster(&docs()).unwrap()).join().unwrap();
    assert_eq!(on_thread, detector.cluster(&docs()).unwrap());
}

// ----------------------------------------------------- Detector::explain

#[test]
fn explain_refuses_positions_out_of_range() {
    let d = Detector::new();
    let docs = docs();
    let n = docs.len() as u32;
    for (a, b, name) in [(n, 0, "a"), (0, n, "b"), (u32::MAX, 0, "a"), (0, u32::MAX, "b"), (n, n + 7, "a")] {
        assert_eq!(invalid_parameter(d.explain(&docs, a, b)), name, "({a}, {b})");
    }
    assert_eq!(invalid_parameter(d.explain(&[], 0, 0)), "a");
    // The first position is checked first; in range, a document with itself is fine.
    assert!(d.explain(&docs, 2, 2).unwrap().scores.jaccard == 1.0);
    // The batch is checked as `cluster` checks it.
    let mut dup = docs.clone();
    dup.push(doc("storm", BANK));
    let e = d.explain(&dup, 0, 1).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::DuplicateId { id } if id == "storm"), "{e}");
}

// ------------------------------------------------------------ Clustering

#[test]
fn clustering_lookups_out_of_range_are_none_or_false() {
    let d = Detector::new();
    // With exact duplicates (collapsed: representatives) and without.
    let with_copies = d.cluster(&docs()).unwrap();
    assert_eq!(with_copies.representative(3), Some(0));
    let plain = d.cluster(&docs()[..3]).unwrap();
    for c in [&with_copies, &plain] {
        let n = c.len() as u32;
        assert!(c.same_story(0, 1));
        for i in [n, n + 1, 1000, u32::MAX - 1, u32::MAX] {
            assert_eq!(c.label_of(i), None, "{i}");
            assert_eq!(c.representative(i), None, "{i}");
            assert_eq!(c.scores(0, i), None, "{i}");
            assert_eq!(c.scores(i, 0), None, "{i}");
            assert_eq!(c.scores(i, i), None, "{i}");
            assert!(!c.same_story(i, i) && !c.same_story(0, i) && !c.same_story(i, 0), "{i}");
        }
        // A document with itself has no pair.
        assert_eq!(c.scores(1, 1), None);
    }
    let empty = d.cluster(&[]).unwrap();
    assert_eq!((empty.label_of(0), empty.representative(0), empty.scores(0, 1)), (None, None, None));
    assert!(!empty.same_story(0, 0));
}

#[test]
fn labels_at_refuses_thresholds_outside_0_to_1() {
    let d = Detector::new();
    for c in [d.cluster(&docs()).unwrap(), d.cluster(&docs()[..3]).unwrap(), d.cluster(&[]).unwrap()] {
        for t in [0.0, -0.0, -0.5, 1.5, 1.000_000_1, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -f64::NAN] {
            for linkage in [Linkage::Average, Linkage::Single] {
                assert_eq!(invalid_parameter(c.labels_at(t, linkage)), "threshold", "{t}");
            }
        }
        for t in [1.0, f64::MIN_POSITIVE, 0.5] {
            for linkage in [Linkage::Average, Linkage::Single] {
                assert_eq!(c.labels_at(t, linkage).unwrap().len(), c.len(), "{t}");
            }
        }
        assert_eq!(c.labels_at(d.params().story.threshold, Linkage::Average).unwrap(), c.labels());
    }
}

// ---------------------------------------------------------------- Stages

fn pair(a: u32, b: u32, similarity: f32) -> ScoredPair {
    ScoredPair { a, b, scores: PairScores { similarity, ..PairScores::default() } }
}

#[test]
fn cluster_component_refuses_bad_weights_and_pairs() {
    let d = Detector::new();
    let s = d.stages();
    let ok = [pair(0, 1, 0.9), pair(1, 2, 0.1)];
    assert_eq!(s.cluster_component(&[1, 1, 1], &ok).unwrap(), [0, 0, 1]);
    // A weight of 0.
    assert_eq!(invalid_parameter(s.cluster_component(&[1, 0, 1], &ok)), "weights");
    assert_eq!(invalid_parameter(s.cluster_component(&[0], &[])), "weights");
    // A pair out of range, either way round, or with no documents at all.
    for p in [pair(0, 3, 0.9), pair(3, 0, 0.9), pair(u32::MAX, 0, 0.9), pair(0, u32::MAX, 0.9)] {
        assert_eq!(invalid_parameter(s.cluster_component(&[1, 1, 1], &[ok[0], p])), "pairs", "{p:?}");
    }
    assert_eq!(invalid_parameter(s.cluster_component(&[], &[pair(0, 1, 0.5)])), "pairs");
    // A document paired with itself.
    assert_eq!(invalid_parameter(s.cluster_component(&[1, 1, 1], &[pair(1, 1, 0.9)])), "pairs");
    assert_eq!(invalid_parameter(s.cluster_component(&[1, 1, 1], &[pair(0, 0, 0.0)])), "pairs");
    // A similarity that is not a number, or infinite.
    for sim in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        assert_eq!(invalid_parameter(s.cluster_component(&[1, 1, 1], &[ok[0], pair(1, 2, sim)])), "pairs", "{sim}");
    }
    // Fine: no documents; pairs given (b, a); a negative similarity (never joins).
    assert!(s.cluster_component(&[], &[]).unwrap().is_empty());
    assert_eq!(s.cluster_component(&[1, 1, 1], &[pair(1, 0, 0.9)]).unwrap(), [0, 0, 1]);
    assert_eq!(s.cluster_component(&[1, 1], &[pair(0, 1, -0.5)]).unwrap(), [0, 1]);
    // A pair given twice never panics.
    assert_eq!(s.cluster_component(&[1, 1], &[pair(0, 1, 0.9), pair(0, 1, 0.9)]).unwrap(), [0, 0]);
}

/// Ten nodes, every pair at 0.8, each node standing for `w` identical
/// documents: the labels by the detector's linkage.
fn ten_nodes(d: &Detector, w: u64) -> Result<Vec<u32>, Error> {
    let ten: Vec<ScoredPair> = (0..10u32).flat_map(|a| (a + 1..10).map(move |b| pair(a, b, 0.8))).collect();
    d.stages().cluster_component(&[w; 10], &ten)
}

/// The nodes may stand for as many documents as a detector holds (up to
/// 2^32 − 2 in all): the labels are those of small weights (average
/// linkage is scale-free; the cohesion guard compares averages), with no
/// overflow (this runs in debug builds too).
#[test]
fn cluster_component_with_the_largest_weights() {
    let plain = Detector::builder().cohesion_guard(None).build().unwrap();
    let guarded = Detector::new();
    for w in [1, 5, 1 << 20, (u64::from(u32::MAX) - 1) / 10] {
        assert_eq!(ten_nodes(&plain, w).unwrap(), [0; 10], "weight {w}");
        // Nodes of identical documents are perfectly cohesive: the guard
        // keeps groups of at least 5 apart at 0.8 < 0.9 × 1.
        let want: Vec<u32> = if w >= 5 { (0..10).collect() } else { vec![0; 10] };
        assert_eq!(ten_nodes(&guarded, w).unwrap(), want, "weight {w}");
    }
}

/// Weights adding up to more documents than a detector holds (a caller
/// mistake) are refused, naming the weights: their products would overflow.
#[test]
fn cluster_component_refuses_or_handles_weights_beyond_any_batch() {
    let plain = Detector::builder().cohesion_guard(None).build().unwrap();
    for w in [u64::from(u32::MAX), 1 << 33, u64::MAX / 2, u64::MAX] {
        match ten_nodes(&plain, w) {
            Ok(labels) => assert_eq!(labels, [0; 10], "weight {w}"),
            Err(e) => assert_eq!(invalid_parameter::<()>(Err(e)), "weights"),
        }
    }
}

#[test]
fn cluster_features_refuses_mismatched_and_repeated_ids() {
    let d = Detector::new();
    let s = d.stages();
    let docs = docs();
    let stats = s.learn(&docs).unwrap();
    let feats = s.features(&docs, &stats).unwrap();
    let ids: Vec<String> = docs.iter().map(|x| x.id.clone()).collect();
    let n = stats.docs();
    assert_eq!(s.cluster_features(ids.clone(), feats.clone(), n).unwrap(), d.cluster(&docs).unwrap());
    // Lengths differ, either way.
    assert_eq!(invalid_parameter(s.cluster_features(ids[..4].to_vec(), feats.clone(), n)), "ids");
    assert_eq!(invalid_parameter(s.cluster_features(ids.clone(), feats[..4].to_vec(), n)), "ids");
    assert_eq!(invalid_parameter(s.cluster_features(Vec::new(), feats[..1].to_vec(), n)), "ids");
    assert_eq!(invalid_parameter(s.cluster_features(ids[..1].to_vec(), Vec::new(), n)), "ids");
    // An id repeated.
    let mut repeated = ids.clone();
    repeated[4] = "storm-b".into();
    let e = s.cluster_features(repeated, feats.clone(), n);
    assert!(format!("{e:?}").contains("storm-b"), "{e:?}");
    assert_eq!(invalid_parameter(e), "ids");
    // More than the detector holds.
    let small = Detector::builder().max_documents(4).build().unwrap();
    let e = small.stages().cluster_features(ids.clone(), feats.clone(), n).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::TooManyDocuments { limit: 4 }), "{e}");
    // Nothing to cluster is fine; so is any corpus size, even one below the batch's.
    assert!(s.cluster_features(Vec::new(), Vec::new(), 0).unwrap().is_empty());
    for corpus_docs in [0, 1, u64::MAX] {
        assert_eq!(s.cluster_features(ids.clone(), feats.clone(), corpus_docs).unwrap().len(), docs.len());
    }
}

#[test]
fn stages_learn_and_features_refuse_what_cluster_refuses() {
    let d = Detector::builder().max_document_bytes(100).max_documents(3).build().unwrap();
    let s = d.stages();
    let big = doc("big", STORM);
    let e = s.learn(&[doc("a", "short"), big.clone()]).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::DocumentTooLarge { id, .. } if id == "big"), "{e}");
    let stats = s.learn(&[doc("a", "short")]).unwrap();
    let e = s.features(&[big], &stats).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::DocumentTooLarge { id, .. } if id == "big"), "{e}");
    let four: Vec<Document> = (0..4).map(|i| doc(&format!("d{i}"), "short")).collect();
    assert!(matches!(s.learn(&four).unwrap_err().kind(), ErrorKind::TooManyDocuments { limit: 3 }));
    assert!(matches!(s.features(&four, &stats).unwrap_err().kind(), ErrorKind::TooManyDocuments { limit: 3 }));
}

/// Runs every stage that takes features on `f` (against the reference
/// features `r`): no panic, whatever the features hold.
fn use_features(s: &Stages<'_>, f: &Features, r: &[Features]) {
    let _ = (s.band_keys(f), s.simhash_keys(f), s.term_keys(f), f.date());
    for other in r {
        let _ = (s.score(f, other), s.score(other, f), s.score(f, f));
    }
    let mut feats = r.to_vec();
    feats.push(f.clone());
    let ids = (0..feats.len()).map(|i| format!("d{i}")).collect();
    match s.cluster_features(ids, feats, r.len() as u64 + 1) {
        Ok(c) => assert_eq!(c.len(), r.len() + 1),
        // Features of another sketch size are refused, by name.
        Err(e) => assert_eq!(invalid_parameter::<()>(Err(e)), "feats"),
    }
}

#[test]
fn features_from_bytes_refuses_empty_truncated_and_random_bytes() {
    let d = Detector::new();
    let s = d.stages();
    let docs = docs();
    let stats = s.learn(&docs).unwrap();
    let feats = s.features(&docs, &stats).unwrap();
    let good = feats[0].to_bytes();
    assert_eq!(s.features_from_bytes(&good).unwrap(), feats[0]);
    invalid_state(s.features_from_bytes(&[]));
    for end in 0..good.len() {
        invalid_state(s.features_from_bytes(&good[..end]));
    }
    let mut longer = good.clone();
    longer.push(0);
    invalid_state(s.features_from_bytes(&longer));
    // Random bytes, and random bytes after the right magic bytes.
    let mut rng = Rng(11);
    for len in [1, 2, 3, 4, 8, 16, 64, 100, 1000, 10_000] {
        for _ in 0..20 {
            let random = rng.bytes(len);
            invalid_state(s.features_from_bytes(&random));
            let mut after_magic = good[..3].to_vec();
            after_magic.extend_from_slice(&random);
            invalid_state(s.features_from_bytes(&after_magic));
        }
    }
    // A length that announces more than the bytes hold (up to 2^64 − 1).
    for n in [u64::MAX, u64::MAX / 4, 1 << 40, good.len() as u64] {
        let mut huge = good[..3].to_vec();
        huge.extend_from_slice(&n.to_le_bytes());
        huge.extend_from_slice(&good[11..]);
        invalid_state(s.features_from_bytes(&huge));
    }
    // Features of another sketch size.
    let small = Detector::builder().num_perm(64).build().unwrap();
    let other = small.stages().features(&docs[..1], &small.stages().learn(&docs).unwrap()).unwrap();
    let e = invalid_state(s.features_from_bytes(&other[0].to_bytes()));
    assert!(e.contains("64") && e.contains("128"), "{e}");
    // Every one-byte change: an error, or features that survive their
    // bytes again and can be used by every stage.
    for f in &feats {
        let good = f.to_bytes();
        for (i, bytes) in one_byte_changes(&good, STEP) {
            if let Ok(g) = s.features_from_bytes(&bytes) {
                assert_eq!(s.features_from_bytes(&g.to_bytes()).unwrap(), g, "byte {i}");
                use_features(&s, &g, &feats);
            }
        }
    }
}

/// Features of five documents from this detector and from one of another
/// sketch size (64 MinHash slots instead of 128), mixed.
fn mixed_features() -> (Detector, Vec<Features>, Vec<Features>) {
    let d = Detector::new();
    let small = Detector::builder().num_perm(64).build().unwrap();
    let docs = docs();
    let ours = d.stages().features(&docs, &d.stages().learn(&docs).unwrap()).unwrap();
    let theirs = small.stages().features(&docs, &small.stages().learn(&docs).unwrap()).unwrap();
    let mixed = ours.iter().zip(&theirs).enumerate().map(|(i, (a, b))| if i % 2 == 0 { a } else { b }.clone());
    let mixed = mixed.collect();
    (d, ours, mixed)
}

/// Features built by a detector of another sketch size, given to this
/// detector's stages: never a panic.
#[test]
fn features_of_another_sketch_size_never_panic() {
    let (d, ours, mixed) = mixed_features();
    let s = d.stages();
    for f in &mixed {
        use_features(&s, f, &ours);
    }
}

/// Known bug: `cluster_features` takes features of another sketch size
/// (which `features_from_bytes` refuses) without an error: their MinHash
/// bands are silently skipped, so copy-level candidates are lost.
#[test]
fn cluster_features_refuses_features_of_another_sketch_size() {
    let (d, _, mixed) = mixed_features();
    let ids = (0..mixed.len()).map(|i| format!("d{i}")).collect();
    let r = d.stages().cluster_features(ids, mixed, 5);
    assert!(r.is_err(), "features of 64 slots clustered by a detector of 128: {r:?}");
}

#[test]
fn corpus_stats_from_bytes_refuses_empty_truncated_and_random_bytes() {
    let d = Detector::new();
    let s = d.stages();
    let docs = docs();
    let stats = s.learn(&docs).unwrap();
    let good = stats.to_bytes();
    assert_eq!(CorpusStats::from_bytes(&good).unwrap(), stats);
    assert_eq!(CorpusStats::from_bytes(&CorpusStats::new().to_bytes()).unwrap(), CorpusStats::new());
    invalid_state(CorpusStats::from_bytes(&[]));
    for end in 0..good.len() {
        invalid_state(CorpusStats::from_bytes(&good[..end]));
    }
    let mut longer = good.clone();
    longer.push(0);
    invalid_state(CorpusStats::from_bytes(&longer));
    let mut rng = Rng(12);
    for len in [1, 2, 3, 4, 8, 16, 64, 100, 1000, 10_000] {
        for _ in 0..20 {
            let random = rng.bytes(len);
            invalid_state(CorpusStats::from_bytes(&random));
            let mut after_magic = good[..3].to_vec();
            after_magic.extend_from_slice(&random);
            invalid_state(CorpusStats::from_bytes(&after_magic));
        }
    }
    // A term count that announces more than the bytes hold.
    for n in [u64::MAX, u64::MAX / 20, 1 << 40] {
        let mut huge = good[..11].to_vec();
        huge.extend_from_slice(&n.to_le_bytes());
        huge.extend_from_slice(&good[19..]);
        invalid_state(CorpusStats::from_bytes(&huge));
    }
    // Every one-byte change: an error, or statistics that encode back to
    // the same bytes and can be merged and used for features.
    for (i, bytes) in one_byte_changes(&good, STEP) {
        if let Ok(st) = CorpusStats::from_bytes(&bytes) {
            assert_eq!(CorpusStats::from_bytes(&st.to_bytes()).unwrap(), st, "byte {i}");
            let mut merged = st.clone();
            merged.merge(&stats);
            let feats = s.features(&docs, &st).unwrap();
            assert_eq!(feats.len(), docs.len());
            let ids = docs.iter().map(|x| x.id.clone()).collect();
            s.cluster_features(ids, feats, st.docs()).unwrap();
        }
    }
}

// ---------------------------------------------------------------- Params

#[test]
fn params_set_refuses_unknown_names_and_bad_values() {
    let mut p = Params::default();
    let before = p.clone();
    for name in ["story_treshold", "", "Story_Threshold", "story.threshold", "threshold", " story_threshold"] {
        let e = p.set(name, "0.3").unwrap_err();
        assert!(e.to_string().contains(&format!("{name:?}")), "the unknown name is quoted: {e}");
        assert_eq!(invalid_parameter::<()>(Err(e)), "name", "{name:?}");
    }
    // Every parameter refuses a value that does not parse, naming itself.
    for name in Params::NAMES {
        for bad in ["not a value", "", "0x10 and more", "1e999999999999"] {
            match p.set(name, bad) {
                Err(e) => assert_eq!(invalid_parameter::<()>(Err(e)), *name, "{name} = {bad:?}"),
                // "1e999999999999" parses as an infinite float: the range check refuses it at build time.
                Ok(()) => {
                    assert_eq!(bad, "1e999999999999", "{name} accepted {bad:?}");
                    assert_eq!(invalid_parameter(Detector::builder().params(p.clone()).build()), *name);
                    p = before.clone();
                }
            }
        }
    }
    for (name, bad) in [
        ("num_perm", "-1"),
        ("num_perm", "1.5"),
        ("date_window_days", "-3"),
        ("date_window_days", "None"),
        ("cohesion_guard", "0.9"),
        ("cohesion_guard", "0.9,"),
        ("cohesion_guard", "0.9, -5"),
        ("linkage", "complete"),
        ("minhash_kind", "minhash"),
        ("remove_boilerplate", "yes"),
        ("max_documents", "18446744073709551616"),
        ("simhash_distance", "4294967296"),
    ] {
        assert_eq!(invalid_parameter(p.set(name, bad)), name, "{name} = {bad:?}");
    }
    assert_eq!(p, before, "refused values change nothing");
    // A value that parses but is out of range is refused when the detector
    // is built, naming the parameter; `validate` says the same.
    for (name, value) in [("story_threshold", "1.5"), ("num_perm", "0"), ("cohesion_guard", "0.9, 1")] {
        let mut q = Params::default();
        q.set(name, value).unwrap();
        assert_eq!(invalid_parameter(q.validate()), name);
        assert_eq!(invalid_parameter(Detector::builder().params(q).build()), name);
    }
}

/// Builds and returns the name of the rejected parameter.
#[track_caller]
fn rejected(builder: &DetectorBuilder) -> &'static str {
    let name = invalid_parameter(builder.build());
    assert!(Params::NAMES.contains(&name), "{name} is not a setter's name");
    name
}

macro_rules! rejects {
    ($($($setter:ident($value:expr)).+ => $name:literal;)*) => {{
        let mut named = Vec::new();
        $(
            let mut b = Detector::builder();
            b$(.$setter($value))+;
            assert_eq!(rejected(&b), $name, "{}", stringify!($($setter($value)).+));
            named.push($name);
        )*
        named
    }};
}

#[test]
fn builder_setters_refuse_every_out_of_range_value_by_name() {
    let guard = |ratio: f64, min_size: u32| Some(CohesionGuard { ratio, min_size });
    let named = rejects! {
        shingle_size(0) => "shingle_size";
        shingle_size(17) => "shingle_size";
        shingle_size(usize::MAX) => "shingle_size";
        num_perm(0) => "num_perm";
        num_perm(4097) => "num_perm";
        num_perm(usize::MAX) => "num_perm";
        copy_threshold(0.0) => "copy_threshold";
        copy_threshold(1.0) => "copy_threshold";
        copy_threshold(-0.5) => "copy_threshold";
        copy_threshold(f64::NAN) => "copy_threshold";
        copy_threshold(f64::INFINITY) => "copy_threshold";
        containment_threshold(0.0) => "containment_threshold";
        containment_threshold(1.0) => "containment_threshold";
        containment_threshold(-1.0) => "containment_threshold";
        containment_threshold(f64::NAN) => "containment_threshold";
        simhash_distance(17) => "simhash_distance";
        simhash_distance(u32::MAX) => "simhash_distance";
        profile_terms(0) => "profile_terms";
        profile_terms(4097) => "profile_terms";
        candidate_terms(0) => "candidate_terms";
        candidate_terms(4097) => "candidate_terms";
        candidate_terms(49) => "candidate_terms";
        profile_terms(8).candidate_terms(9) => "candidate_terms";
        candidate_df_fraction(0.0) => "candidate_df_fraction";
        candidate_df_fraction(1.0) => "candidate_df_fraction";
        candidate_df_fraction(-0.1) => "candidate_df_fraction";
        candidate_df_fraction(f64::NAN) => "candidate_df_fraction";
        candidate_budget(0) => "candidate_budget";
        candidate_limit(0) => "candidate_limit";
        candidate_min_overlap(-0.1) => "candidate_min_overlap";
        candidate_min_overlap(1.0) => "candidate_min_overlap";
        candidate_min_overlap(f64::NAN) => "candidate_min_overlap";
        candidate_min_overlap(f64::INFINITY) => "candidate_min_overlap";
        title_weight(0.0) => "title_weight";
        title_weight(-1.0) => "title_weight";
        title_weight(f64::NAN) => "title_weight";
        title_weight(f64::INFINITY) => "title_weight";
        name_boost(0.0) => "name_boost";
        name_boost(-1.0) => "name_boost";
        name_boost(f64::NAN) => "name_boost";
        name_boost(f64::INFINITY) => "name_boost";
        number_boost(0.0) => "number_boost";
        number_boost(-2.0) => "number_boost";
        number_boost(f64::NAN) => "number_boost";
        number_boost(f64::INFINITY) => "number_boost";
        outside_window_factor(-0.1) => "outside_window_factor";
        outside_window_factor(1.1) => "outside_window_factor";
        outside_window_factor(f64::NAN) => "outside_window_factor";
        outside_window_factor(f64::NEG_INFINITY) => "outside_window_factor";
        inherit_date_similarity(Some(0.0)) => "inherit_date_similarity";
        inherit_date_similarity(Some(-0.5)) => "inherit_date_similarity";
        inherit_date_similarity(Some(1.5)) => "inherit_date_similarity";
        inherit_date_similarity(Some(f64::NAN)) => "inherit_date_similarity";
        boilerplate_min_docs(0) => "boilerplate_min_docs";
        boilerplate_min_docs(1) => "boilerplate_min_docs";
        boilerplate_min_docs((1 << 24) + 1) => "boilerplate_min_docs";
        boilerplate_min_docs(u32::MAX) => "boilerplate_min_docs";
        story_threshold(0.0) => "story_threshold";
        story_threshold(-0.2) => "story_threshold";
        story_threshold(1.5) => "story_threshold";
        story_threshold(f64::NAN) => "story_threshold";
        story_threshold(f64::INFINITY) => "story_threshold";
        cohesion_guard(guard(-0.1, 5)) => "cohesion_guard";
        cohesion_guard(guard(4.1, 5)) => "cohesion_guard";
        cohesion_guard(guard(f64::NAN, 5)) => "cohesion_guard";
        cohesion_guard(guard(f64::INFINITY, 5)) => "cohesion_guard";
        cohesion_guard(guard(0.9, 0)) => "cohesion_guard";
        cohesion_guard(guard(0.9, 1)) => "cohesion_guard";
        max_document_bytes(0) => "max_document_bytes";
        max_document_bytes(u32::MAX as usize + 1) => "max_document_bytes";
        max_document_bytes(usize::MAX) => "max_document_bytes";
        max_documents(0) => "max_documents";
        max_documents(u32::MAX as usize) => "max_documents";
        max_documents(usize::MAX) => "max_documents";
        retention_documents(Some(0)) => "retention_documents";
    };
    // Every parameter with a range is in the table: the others take any value.
    let any = [
        "seed",
        "minhash_kind",
        "min_containment_shingles",
        "candidate_df_floor",
        "date_window_days",
        "remove_boilerplate",
        "boilerplate_max_tokens",
        "linkage",
        "retention_days",
        "events",
    ];
    for name in Params::NAMES {
        assert!(named.contains(name) || any.contains(name), "{name} has no out-of-range case");
    }
    // The edges of each range are accepted.
    for b in [
        Detector::builder().shingle_size(1).shingle_size(16).clone(),
        Detector::builder().num_perm(1).clone(),
        Detector::builder().num_perm(4096).clone(),
        Detector::builder().simhash_distance(0).clone(),
        Detector::builder().simhash_distance(16).clone(),
        Detector::builder().profile_terms(4096).candidate_terms(4096).clone(),
        Detector::builder().candidate_min_overlap(0.0).candidate_budget(usize::MAX).candidate_limit(usize::MAX).clone(),
        Detector::builder().outside_window_factor(0.0).inherit_date_similarity(Some(1.0)).clone(),
        Detector::builder().outside_window_factor(1.0).inherit_date_similarity(None).clone(),
        Detector::builder().boilerplate_min_docs(2).clone(),
        Detector::builder().boilerplate_min_docs(1 << 24).clone(),
        Detector::builder().story_threshold(1.0).cohesion_guard(guard(0.0, 2)).clone(),
        Detector::builder().cohesion_guard(guard(4.0, u32::MAX)).clone(),
        Detector::builder().max_document_bytes(1).max_documents(1).clone(),
        Detector::builder().max_document_bytes(u32::MAX as usize).max_documents(u32::MAX as usize - 1).clone(),
        Detector::builder().retention_documents(Some(1)).retention_days(Some(0)).clone(),
        Detector::builder().title_weight(f64::MIN_POSITIVE).name_boost(1e300).number_boost(1e-300).clone(),
    ] {
        let d = b.build().unwrap_or_else(|e| panic!("{b:?}: {e}"));
        let limits = &d.params().limits;
        let docs: Vec<Document> =
            docs().into_iter().filter(|x| x.size() <= limits.max_document_bytes).take(limits.max_documents).collect();
        let c = d.cluster(&docs).unwrap();
        assert_eq!(c.len(), docs.len());
        assert!(c.pairs().iter().all(|p| p.scores.similarity.is_finite()), "{b:?}: {:?}", c.pairs());
    }
}

/// The thresholds the LSH is derived from, at their extremes and with any
/// sketch size: the detector is built, or refused naming a setter.
#[test]
fn lsh_derived_from_extreme_thresholds_is_built_or_refused_by_name() {
    for num_perm in [1, 2, 3, 7, 4096] {
        for copy in [1e-9, 0.001, 0.5, 0.999_999] {
            for containment in [1e-9, 0.5, 0.999_999] {
                let mut b = Detector::builder();
                b.num_perm(num_perm).copy_threshold(copy).containment_threshold(containment);
                if let Err(e) = b.build() {
                    rejected(&b);
                    panic!("valid thresholds refused: {e}");
                }
            }
        }
    }
}

// --------------------------------------------------------------- Tracker

fn tracker() -> Tracker {
    let mut t = Tracker::new(Detector::builder().max_document_bytes(1000).max_documents(6).build().unwrap());
    for d in docs() {
        t.add(d).unwrap();
    }
    t
}

#[test]
fn tracker_remove_and_explain_refuse_unknown_ids() {
    let mut t = tracker();
    let before = t.to_bytes();
    let unknown = |e: Error, want: &str| match e.kind() {
        ErrorKind::UnknownId { id } => {
            assert_eq!(id, want);
            assert!(e.to_string().contains(&format!("{want:?}")), "{e}");
        }
        other => panic!("expected UnknownId, got {other:?}"),
    };
    for id in ["nope", "", "STORM", "storm ", "\u{202e}storm"] {
        unknown(t.remove(id).unwrap_err(), id);
        unknown(t.explain("storm", id).unwrap_err(), id);
        unknown(t.explain(id, "storm").unwrap_err(), id);
    }
    unknown(t.explain("nope", "also-nope").unwrap_err(), "nope");
    assert_eq!(t.to_bytes(), before, "refused calls change nothing");
    assert!(t.explain("storm", "storm").unwrap().scores.jaccard == 1.0);
    // A removed document is unknown from then on.
    t.remove("bank").unwrap();
    unknown(t.remove("bank").unwrap_err(), "bank");
    unknown(t.explain("bank", "storm").unwrap_err(), "bank");
    // Expiring at the ends of time never panics.
    for date in [Date::from_days(i32::MIN), Date::from_days(0), Date::from_days(i32::MAX)] {
        let mut c = t.clone();
        let gone = c.expire_before(date);
        assert_eq!(c.len() + gone.len(), t.len());
    }
}

#[test]
fn tracker_add_and_query_refuse_oversized_duplicate_and_surplus_documents_unchanged() {
    let mut t = tracker();
    let pristine = t.clone();
    let before = t.to_bytes();
    let big = doc("big", &STORM.repeat(6));
    let titled = doc("titled", "short").with_title("t".repeat(996));
    let refused = [
        (big, "DocumentTooLarge"),
        (titled, "DocumentTooLarge"),
        (doc("storm", BANK), "DuplicateId"),
        (doc("league", LEAGUE), "DuplicateId"),
    ];
    for (d, kind) in &refused {
        for e in [t.query(d).unwrap_err(), t.add(d.clone()).unwrap_err()] {
            let got = match e.kind() {
                ErrorKind::DocumentTooLarge { id, limit: 1000, .. } if *id == d.id => "DocumentTooLarge",
                ErrorKind::DuplicateId { id } if *id == d.id => "DuplicateId",
                other => panic!("{}: {other:?}", d.id),
            };
            assert_eq!(got, *kind, "{}", d.id);
            assert!(e.to_string().contains(&format!("{:?}", d.id)), "{e}");
        }
        assert_eq!(t.to_bytes(), before, "{} changed the tracker", d.id);
    }
    // The tracker is full at 6: a seventh is refused, unchanged.
    t.add(doc("sixth", "A ferry ran aground off Ostend on Sunday.")).unwrap();
    let full = t.to_bytes();
    let seventh = doc("seventh", "The museum reopened on Friday.");
    assert!(matches!(t.query(&seventh).unwrap_err().kind(), ErrorKind::TooManyDocuments { limit: 6 }));
    assert!(matches!(t.add(seventh).unwrap_err().kind(), ErrorKind::TooManyDocuments { limit: 6 }));
    assert_eq!(t.to_bytes(), full);
    // Refusals used up nothing: the same add on the untouched clone gives the same result and state.
    let mut u = pristine;
    let sixth = doc("sixth", "A ferry ran aground off Ostend on Sunday.");
    let mut again = tracker();
    assert_eq!(u.add(sixth.clone()).unwrap(), again.add(sixth).unwrap());
    assert_eq!(u.to_bytes(), full);
}

/// The state layout the loader checks (see `src/persist`): a 16-byte
/// header (magic, version 2, 4 sections), then per section a 4-byte tag,
/// the payload length, the payload checksum (seeded XXH3) and the payload.
const CHECKSUM_SEED: u64 = 0x5a3e_c4ec_6b5e_0001;

/// The payload ranges of the four sections of a state.
fn sections(state: &[u8]) -> Vec<(usize, usize)> {
    let mut at = 16;
    let mut out = Vec::new();
    for tag in [b"CONF", b"STAT", b"DOCS", b"LIVE"] {
        assert_eq!(&state[at..at + 4], tag);
        let len = u64::from_le_bytes(state[at + 4..at + 12].try_into().unwrap()) as usize;
        out.push((at + 20, at + 20 + len));
        at += 20 + len;
    }
    assert_eq!(at, state.len());
    out
}

/// Rewrites the checksum of the section (of `ranges`) whose payload holds byte `i`.
fn fix_checksum(state: &mut [u8], ranges: &[(usize, usize)], i: usize) {
    for &(start, end) in ranges {
        if (start..end).contains(&i) {
            let sum = hash_bytes(&state[start..end], CHECKSUM_SEED);
            state[start - 8..start].copy_from_slice(&sum.to_le_bytes());
        }
    }
}

#[test]
fn tracker_from_bytes_refuses_garbage() {
    let t = tracker();
    let good = t.to_bytes();
    assert_eq!(&good[..8], b"SAMESTRY");
    assert_eq!(Tracker::from_bytes(&good).unwrap().to_bytes(), good);
    invalid_state(Tracker::from_bytes(&[]));
    invalid_state(Tracker::from_bytes(b"SAMESTRY"));
    for end in 0..good.len() {
        invalid_state(Tracker::from_bytes(&good[..end]));
    }
    let mut longer = good.clone();
    longer.push(0);
    invalid_state(Tracker::from_bytes(&longer));
    let mut rng = Rng(13);
    for len in [1, 16, 36, 100, 1000, 100_000] {
        for _ in 0..10 {
            let random = rng.bytes(len);
            invalid_state(Tracker::from_bytes(&random));
            let mut after_header = good[..16].to_vec();
            after_header.extend_from_slice(&random);
            invalid_state(Tracker::from_bytes(&after_header));
        }
    }
    // Another version is named as such; a wrong section count is invalid.
    for v in [0u32, 1, 4, u32::MAX] {
        let mut other = good.clone();
        other[8..12].copy_from_slice(&v.to_le_bytes());
        match Tracker::from_bytes(&other).unwrap_err().kind() {
            ErrorKind::UnsupportedStateVersion { found, supported: 3, .. } => assert_eq!(*found, v),
            k => panic!("{k:?}"),
        }
    }
    for count in [0u32, 3, 5, u32::MAX] {
        let mut other = good.clone();
        other[12..16].copy_from_slice(&count.to_le_bytes());
        invalid_state(Tracker::from_bytes(&other));
    }
    // Any one byte changed is caught by the checksums.
    for (i, bytes) in one_byte_changes(&good, 1) {
        let e = Tracker::from_bytes(&bytes).map(|_| ()).unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::InvalidState { .. } | ErrorKind::UnsupportedStateVersion { .. }),
            "byte {i}: {e}"
        );
    }
}

/// A byte changed inside a section, with the checksum made right again (a
/// state damaged before it was written, or forged): the loader's checks
/// refuse it, or the state loads, saves to bytes that load, and works
/// (queries, adds, explains, removes, expires, saves) without a panic.
#[test]
fn tracker_from_bytes_with_valid_checksums_never_panics() {
    let t = tracker();
    let good = t.to_bytes();
    let ranges = sections(&good);
    let (mut loaded, mut refused) = (0, 0);
    for (i, mut bytes) in one_byte_changes(&good, STEP) {
        fix_checksum(&mut bytes, &ranges, i);
        match Tracker::from_bytes(&bytes) {
            Ok(mut u) => {
                loaded += 1;
                let again = u.to_bytes();
                assert_eq!(Tracker::from_bytes(&again).unwrap().to_bytes(), again, "byte {i}");
                let _ = u.query(&doc("probe", STORM_B));
                let _ = u.add(doc("probe", STORM_B));
                let ids: Vec<String> = u.stories().flat_map(|s| s.members).map(String::from).collect();
                for id in &ids {
                    let _ = u.explain(id, "probe");
                }
                if let Some(id) = ids.first() {
                    u.remove(id).unwrap();
                }
                let _ = u.expire_before(Date::from_days(i32::MAX));
                // Loading what it saves then never panics (whether it loads:
                // see the ignored test below).
                let _ = Tracker::from_bytes(&u.to_bytes());
            }
            Err(e) => {
                refused += 1;
                assert!(
                    matches!(e.kind(), ErrorKind::InvalidState { .. } | ErrorKind::UnsupportedStateVersion { .. }),
                    "byte {i}: {e}"
                );
            }
        }
    }
    assert!(loaded > 0 && refused > 0, "{loaded} loaded, {refused} refused");
}

/// Known bug: the loader does not check that the statistics (section STAT)
/// hold the observations of the documents held (section DOCS), so a state
/// whose STAT or DOCS payload was changed (checksum made right) loads; once
/// its documents are removed, removing subtracts counts the statistics do
/// not hold and the tracker saves a state its own loader refuses
/// (`section STAT: term …: keys out of order or count out of range`: a term
/// counted in more documents than the statistics count). Found by
/// `tracker_from_bytes_with_valid_checksums_never_panics`: every byte of a
/// STAT term or line key, and of a DOCS observation, does it.
#[test]
fn a_forged_state_is_refused_or_keeps_saving_loadable_states() {
    let t = tracker();
    for (section, offset) in [(1, 16), (1, 17)] {
        let mut bytes = t.to_bytes();
        let ranges = sections(&bytes);
        // STAT: docs (u64), term count (u64), then the first term's key.
        let i = ranges[section].0 + offset;
        bytes[i] ^= 0xff;
        fix_checksum(&mut bytes, &ranges, i);
        let Ok(mut u) = Tracker::from_bytes(&bytes) else { continue };
        let ids: Vec<String> = u.stories().flat_map(|s| s.members).map(String::from).collect();
        for id in &ids {
            u.remove(id).unwrap();
        }
        let saved = u.to_bytes();
        if let Err(e) = Tracker::from_bytes(&saved) {
            panic!("byte {i}: the tracker saved a state it cannot load: {e}");
        }
    }
}

#[test]
fn tracker_load_and_save_name_the_file() {
    let dir = std::env::temp_dir().join(format!("samestory-misuse-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let missing = dir.join("missing.idx");
    let e = Tracker::load(&missing).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Io { path, .. } if *path == missing), "{e}");
    let garbage = dir.join("garbage.idx");
    std::fs::write(&garbage, b"not a state at all").unwrap();
    let e = Tracker::load(&garbage).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::InvalidState { path, .. } if *path == garbage), "{e}");
    assert!(e.to_string().contains("garbage.idx"), "{e}");
    let e = Tracker::load(&dir).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Io { .. }), "a folder: {e}");
    let nowhere = dir.join("no-such-folder").join("news.idx");
    let e = tracker().save(&nowhere).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Io { .. }), "{e}");
    assert!(!Path::new(&nowhere).exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

// ------------------------------------------------------ building blocks

#[test]
fn building_blocks_refuse_bad_parameters() {
    for k in [0, 4097, usize::MAX] {
        assert_eq!(invalid_parameter(MinHasher::new(k, 1)), "num_perm");
        assert_eq!(invalid_parameter(MinHasher::with_kind(k, 1, MinHashKind::Classic)), "num_perm");
    }
    for (b, r) in [(0, 1), (1, 0), (0, 0)] {
        invalid_parameter(LshParams::new(b, r));
        let sk = MinHasher::new(8, 1).unwrap().sketch(&[1, 2, 3]);
        invalid_parameter(band_keys(&sk, LshParams { bands: b, rows: r }, 1));
    }
    for t in [0.0, 1.0, -0.5, 1.5, f64::NAN, f64::INFINITY] {
        invalid_parameter(LshParams::for_threshold(t, 128));
    }
    invalid_parameter(LshParams::for_threshold(0.5, 0));
    let a = MinHasher::new(64, 1).unwrap().sketch(&[1, 2, 3]);
    let short = MinHashSketch::from_slots(Box::new([1, 2, 3]), false);
    let nothing = MinHashSketch::from_slots(Box::new([]), false);
    for other in [&short, &nothing] {
        assert!(matches!(a.estimate_jaccard(other).unwrap_err().kind(), ErrorKind::SketchMismatch { .. }));
        assert!(matches!(a.union(other).unwrap_err().kind(), ErrorKind::SketchMismatch { .. }));
        let e = band_keys(other, LshParams { bands: 2, rows: 2 }, 1).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::SketchMismatch { expected: 4, .. }), "{e}");
    }
    let e = band_keys(&a, LshParams { bands: usize::MAX, rows: 2 }, 1).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::SketchMismatch { .. }), "{e}");
    // Sizes and indexes that take any value.
    assert_eq!(ShingleSet::of_text("a b c", 0, 1), ShingleSet::of_text("a b c", 1, 1), "k = 0 is k = 1");
    assert_eq!(ShingleSet::of_text("a b c", usize::MAX, 1).len(), 1);
    let h = HammingIndex::new(u32::MAX);
    assert_eq!(h.max_distance(), 31);
    assert!(h.query(SimHash(0)).is_empty());
    let mut bands = BandIndex::new(0);
    bands.insert(0, &[1, 2, 3]);
    bands.remove(7, &[1]);
    assert!(bands.query(&[1, 2, 3]).is_empty());
    let mut bands = BandIndex::new(3);
    bands.insert(0, &[1]);
    bands.remove(9, &[1, 2, 3, 4]);
    assert_eq!(bands.query(&[1, 5, 6, 7, 8]), [0]);
    let mut terms = TermIndex::new();
    terms.remove(3, [(1, 0.5)]);
    assert!(terms.postings(1).is_empty());
    // Dates: impossible ones are `None` or an error; every day count prints.
    for (y, m, d) in
        [(999, 1, 1), (10_000, 1, 1), (2023, 0, 1), (2023, 13, 1), (2023, 2, 29), (2023, 4, 31), (2023, 1, 0)]
    {
        assert_eq!(Date::from_ymd(y, m, d), None, "{y}-{m}-{d}");
    }
    for days in [i32::MIN, -1, 0, i32::MAX] {
        let date = Date::from_days(days);
        let _ = (date.ymd(), date.to_string());
        assert!(date.days_since(Date::from_days(i32::MIN)) >= 0);
    }
    assert_eq!(Date::from_days(i32::MAX).days_since(Date::from_days(i32::MIN)), i32::MAX);
    assert_eq!(Date::from_days(i32::MIN).days_since(Date::from_days(i32::MAX)), i32::MIN);
}

/// Documents dated at the ends of the `i32` day range: clustered, explained
/// and tracked without an overflow.
#[test]
fn extreme_dates_do_not_overflow() {
    let ends = [Date::from_days(i32::MIN), Date::from_days(i32::MAX), Date::from_days(0)];
    let docs: Vec<Document> =
        ends.iter().enumerate().map(|(i, &d)| doc(&format!("d{i}"), STORM).with_date(d)).collect();
    let d = Detector::new();
    let c = d.cluster(&docs).unwrap();
    let apart = c.scores(0, 1).expect("copies are compared").days_apart.expect("both dated");
    assert!(apart > 1 << 30, "{apart}");
    d.explain(&docs, 0, 1).unwrap();
    let mut t = Tracker::new(Detector::builder().retention_days(Some(u32::MAX)).build().unwrap());
    for x in &docs {
        t.add(x.clone()).unwrap();
    }
    t.explain("d0", "d1").unwrap();
    let mut short = Tracker::new(Detector::builder().retention_days(Some(0)).build().unwrap());
    let outliers: Vec<bool> = docs.iter().map(|x| short.add(x.clone()).unwrap().date_outlier).collect();
    // The first date sets the clock; the others lie beyond a 0-day window
    // with nothing to confirm them: outliers that leave the clock alone.
    assert_eq!(outliers, [false, true, true]);
    assert_eq!(short.clock(), Some(Date::from_days(i32::MIN)));
}

/// Known bug: a sketch of no slots (`MinHashSketch::from_slots` takes any
/// length) estimates its Jaccard with another of no slots as `Ok(NaN)`
/// (0 equal slots / 0 slots), neither an error nor a number in [0, 1].
#[test]
fn sketches_of_no_slots_estimate_a_number_or_refuse() {
    let nothing = MinHashSketch::from_slots(Box::new([]), false);
    match nothing.estimate_jaccard(&nothing) {
        Ok(estimate) => assert!((0.0..=1.0).contains(&estimate), "estimate {estimate}"),
        Err(e) => assert!(matches!(e.kind(), ErrorKind::SketchMismatch { .. } | ErrorKind::InvalidParameter { .. })),
    }
}
