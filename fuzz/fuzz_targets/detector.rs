//! The detector, batch and streaming, on up to 8 documents made from bytes.
//!
//! Input: byte 0 picks an optional second configuration; the rest is split
//! on 0xFF into at most 8 documents (id = position). Each piece's first byte
//! is a header: bit 7 gives a date (2023-09-01 + 3 × bits 0–4 days, so pairs
//! fall inside and outside the 30-day window), bit 6 a title (the text before
//! the first 0xFE), bit 5 a source (`s{bits 0–1}.example`). A body starting
//! with 0xFD followed by a byte k copies the body of document k mod i and
//! appends the rest, to make near-duplicates. Bytes become text lossily.
//!
//! Nothing may panic, and:
//! * `cluster` is Ok; labels have one entry per document, are dense and
//!   numbered by first member; `clusters()` is the same partition; every
//!   scored pair is in range, sorted and distinct, with finite scores in
//!   range; clustering twice gives the same result, and so does clustering
//!   with the statistics of `learn` (`cluster_learned`, which tokenizes each
//!   document again instead of keeping its tokens);
//! * `add` is Ok for every document; a new story gets the next story id;
//!   matches are at most 10, best first, about earlier documents and their
//!   stories; merged stories are older ids' and vanish, the survivor being
//!   the oldest; split stories get the next ids; after each add `story_of` and `story_members` describe the same
//!   partition of all ids, members in insertion order; a repeated id is
//!   rejected and leaves the detector unchanged; a batch with a repeated id
//!   is rejected;
//! * saving and loading gives a detector that saves to the same bytes;
//! * removing every other document leaves the statistics of the rest.
#![no_main]

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;
use samestory::{Date, Detector, Document, ErrorKind, Linkage, MinHashKind, StoryId};

const MAX_DOCS: usize = 8;

fn build_docs(data: &[u8]) -> Vec<Document> {
    let base = Date::from_ymd(2023, 9, 1).expect("valid date");
    let mut docs: Vec<Document> = Vec::new();
    for piece in data.split(|&b| b == 0xFF).take(MAX_DOCS) {
        let i = docs.len();
        let (hdr, mut body) = match piece.split_first() {
            Some((&h, rest)) => (h, rest),
            None => (0, &[][..]),
        };
        let mut title = None;
        if hdr & 0x40 != 0 {
            if let Some(k) = body.iter().position(|&b| b == 0xFE) {
                title = Some(String::from_utf8_lossy(&body[..k]).into_owned());
                body = &body[k + 1..];
            }
        }
        let text = match body {
            [0xFD, k, rest @ ..] if i > 0 => {
                let mut t = docs[usize::from(*k) % i].text.clone();
                t.push_str(&String::from_utf8_lossy(rest));
                t
            }
            _ => String::from_utf8_lossy(body).into_owned(),
        };
        let mut doc = Document::new(i.to_string(), text);
        doc.title = title;
        if hdr & 0x80 != 0 {
            doc.date = Some(Date::from_days(base.days() + 3 * i32::from(hdr & 0x1F)));
        }
        if hdr & 0x20 != 0 {
            doc.source = Some(format!("s{}.example", hdr & 3));
        }
        docs.push(doc);
    }
    docs
}

/// `Detector::new()`, built once: building runs the LSH parameter search,
/// which dominates a small input's time. Detectors are `Clone`, and a fresh
/// clone is a fresh detector.
fn default_detector() -> Detector {
    static D: OnceLock<Detector> = OnceLock::new();
    D.get_or_init(Detector::new).clone()
}

/// The alternate configuration for `sel`, built once per `sel`.
fn alt_detector(sel: u8) -> Detector {
    static D: OnceLock<Mutex<HashMap<u8, Detector>>> = OnceLock::new();
    let mut m = D.get_or_init(Mutex::default).lock().unwrap_or_else(|e| e.into_inner());
    m.entry(sel).or_insert_with(|| build_alt_detector(sel)).clone()
}

fn build_alt_detector(sel: u8) -> Detector {
    let mut b = Detector::builder();
    b.linkage(if sel & 0x02 != 0 { Linkage::Single } else { Linkage::Average })
        .minhash_kind(if sel & 0x04 != 0 { MinHashKind::Classic } else { MinHashKind::OnePermutation })
        .shingle_size(1 + usize::from((sel >> 3) & 3))
        .num_perm(64);
    if sel & 0x20 != 0 {
        b.remove_boilerplate(false);
    } else {
        b.boilerplate_min_docs(2);
    }
    if sel & 0x40 != 0 {
        b.date_window_days(None);
    }
    if sel & 0x80 != 0 {
        b.inherit_date_similarity(None).story_threshold(0.1);
    }
    b.build().expect("alternate configuration is valid")
}

fn unit(x: f32, what: &str) {
    assert!(x.is_finite() && (0.0..=1.0 + 1e-4).contains(&x), "{what} = {x} out of [0, 1]");
}

fn check_batch(det: &Detector, docs: &[Document]) {
    let n = docs.len();
    let c = det.cluster(docs).unwrap_or_else(|e| panic!("cluster failed on unique ids: {e}"));
    let labels = c.labels();
    assert_eq!(labels.len(), n, "one label per document");
    let mut next = 0u32;
    for &l in labels {
        assert!(l <= next, "labels not dense / not numbered by first member: {labels:?}");
        if l == next {
            next += 1;
        }
    }
    let clusters = c.clusters();
    assert_eq!(clusters.len(), next as usize, "cluster count vs labels {labels:?}");
    let mut seen = vec![false; n];
    for (k, members) in clusters.iter().enumerate() {
        assert!(!members.is_empty(), "empty cluster {k}");
        assert!(members.windows(2).all(|w| w[0] < w[1]), "cluster {k} not sorted");
        for &m in members {
            let m = m as usize;
            assert!(m < n && !seen[m], "member {m} out of range or in two clusters");
            seen[m] = true;
            assert_eq!(labels[m] as usize, k, "clusters() and labels() disagree");
        }
    }
    assert!(seen.iter().all(|&s| s), "clusters() misses a document");
    assert!(clusters.windows(2).all(|w| w[0][0] < w[1][0]), "clusters not ordered by first member");
    let pairs = c.pairs();
    assert!(pairs.windows(2).all(|w| (w[0].a, w[0].b) < (w[1].a, w[1].b)), "pairs not sorted and distinct");
    for p in pairs {
        assert!(p.a < p.b && (p.b as usize) < n, "pair ({}, {}) out of range", p.a, p.b);
        let s = &p.scores;
        unit(s.jaccard, "jaccard");
        unit(s.jaccard_estimate, "jaccard_estimate");
        unit(s.containment, "containment");
        unit(s.cosine, "cosine");
        unit(s.similarity, "similarity");
        assert!(s.simhash_distance <= 64);
        assert_eq!(c.scores(p.a as usize, p.b as usize), Some(s));
        assert_eq!(c.scores(p.b as usize, p.a as usize), Some(s));
    }
    let again = det.cluster(docs).expect("second cluster");
    assert_eq!(again, c, "clustering is not deterministic");
    // `cluster` builds the features from the tokens kept while learning;
    // `cluster_learned` tokenizes each document again: the same clustering.
    let retokenized = det.cluster_learned(docs, det.learn(docs)).expect("cluster_learned");
    assert_eq!(retokenized.labels(), c.labels(), "features from kept tokens differ from tokenizing again");
    assert_eq!(retokenized.pairs(), c.pairs(), "pair scores from kept tokens differ from tokenizing again");
}

fn check_stream(mut det: Detector, docs: &[Document]) {
    let mut stories: Vec<StoryId> = Vec::new();
    let mut known: HashMap<StoryId, Vec<usize>> = HashMap::new();
    let mut n_stories = 0u64;
    for (i, doc) in docs.iter().enumerate() {
        let a = det.add(doc.clone()).unwrap_or_else(|e| panic!("add of document {i} failed: {e}"));
        let before: HashMap<StoryId, Vec<usize>> = known.clone();
        if a.new_story {
            assert!(!known.contains_key(&a.story), "new story {} already exists", a.story);
            assert_eq!(a.story, StoryId(n_stories), "story ids are handed out in order");
            n_stories += 1;
        } else {
            let split = a.split_off.contains(&a.story);
            assert!(split || before.contains_key(&a.story), "joined story {} that does not exist", a.story);
        }
        assert!(a.matches.len() <= 10, "more than 10 matches");
        assert!(
            a.matches.windows(2).all(|w| w[0].scores.similarity >= w[1].scores.similarity),
            "matches not best first"
        );
        for m in &a.matches {
            let p: usize = m.id.parse().expect("ids are positions");
            assert!(p < i, "match with a later or the same document");
            assert_eq!(m.id, docs[p].id);
            assert_eq!(m.story, stories[p], "match reports a story its document is not in");
            assert!(m.scores.similarity > 0.0);
            unit(m.scores.similarity, "similarity");
            unit(m.scores.cosine, "cosine");
            unit(m.scores.jaccard, "jaccard");
        }
        assert!(a.merged.windows(2).all(|w| w[0] < w[1]), "merged ids not sorted");
        for g in &a.merged {
            // The oldest id survives a merge (a split afterwards may move the document on).
            assert!(
                !a.split_off.is_empty() || *g > a.story,
                "merged story {g} is older than the survivor {}",
                a.story
            );
            assert!(known.contains_key(g), "merged story {g} did not exist");
            assert!(det.story_members(*g).is_empty(), "merged story {g} still has members");
        }
        // Splits hand out the next ids, in order.
        for (k, s) in a.split_off.iter().enumerate() {
            assert_eq!(*s, StoryId(n_stories + k as u64), "split ids are the next ones");
            assert!(!det.story_members(*s).is_empty(), "split story {s} is empty");
        }
        n_stories += a.split_off.len() as u64;
        // Everything held now: the detector's own view, checked for consistency below.
        stories.push(a.story);
        known.clear();
        for (p, d) in docs[..=i].iter().enumerate() {
            let s = det.story_of(&d.id).unwrap_or_else(|| panic!("document {p} is not held"));
            assert!(s.0 < n_stories, "story {s} was never handed out");
            stories[p] = s;
            known.entry(s).or_default().push(p);
        }
        assert_eq!(stories[i], a.story, "add reports another story than story_of");
    }
    assert_eq!(det.len(), docs.len());
    for (i, doc) in docs.iter().enumerate() {
        assert_eq!(det.story_of(&doc.id), Some(stories[i]), "story_of disagrees with add for {i}");
    }
    let mut total = 0;
    for (story, members) in &known {
        let ids: Vec<&str> = members.iter().map(|&p| docs[p].id.as_str()).collect();
        assert_eq!(det.story_members(*story), ids, "story_members of {story}");
        total += ids.len();
    }
    assert_eq!(total, docs.len(), "streaming stories are not a partition");
    if let Some(first) = docs.first() {
        let before = det.len();
        let err = det.add(Document::new(first.id.clone(), "again")).expect_err("repeated id accepted");
        assert!(matches!(err.kind(), ErrorKind::DuplicateId { .. }), "wrong error for a repeated id: {err}");
        assert_eq!(det.len(), before, "a rejected add changed the detector");
        assert_eq!(det.story_of(&first.id), Some(stories[0]));
    }
    let bytes = det.to_bytes();
    let loaded = Detector::from_bytes(&bytes).unwrap_or_else(|e| panic!("a saved state does not load: {e}"));
    assert!(loaded.to_bytes() == bytes, "a loaded state saves to other bytes");
    let mut kept = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        if i % 2 == 0 {
            det.remove(&doc.id).unwrap_or_else(|e| panic!("remove {i}: {e}"));
        } else {
            kept.push(doc.clone());
        }
    }
    assert_eq!(det.len(), kept.len());
    assert!(det.stats() == &det.learn(&kept), "statistics after removals differ from those of the rest");
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let docs = build_docs(rest);

    let det = default_detector();
    check_batch(&det, &docs);
    check_stream(default_detector(), &docs);
    if sel & 1 != 0 {
        check_batch(&alt_detector(sel), &docs);
        check_stream(alt_detector(sel), &docs);
    }
    if docs.len() >= 2 {
        let mut dup = docs.clone();
        dup[1].id = dup[0].id.clone();
        let err = det.cluster(&dup).expect_err("batch with a repeated id accepted");
        assert!(matches!(err.kind(), ErrorKind::DuplicateId { .. }), "wrong error for a repeated id: {err}");
    }
});
