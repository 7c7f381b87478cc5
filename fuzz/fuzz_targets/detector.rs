//! The batch `Detector`, its `Stages`, and the live `Tracker`, on up to 8
//! documents made from bytes.
//!
//! Input: byte 0 picks an optional second configuration; the rest is split
//! on 0xFF into at most 8 documents (id = position). Each piece's first byte
//! is a header: bit 7 gives a date (2023-09-01 + 3 × bits 0–4 days, so pairs
//! fall inside and outside the 14-day window), bit 6 a title (the text before
//! the first 0xFE), bit 5 a source (`s{bits 0–1}.example`). A body starting
//! with 0xFD followed by a byte k copies the body of document k mod i and
//! appends the rest, to make near-duplicates. Bytes become text lossily.
//!
//! Nothing may panic, and:
//! * batch: `Detector::cluster` is Ok; labels have one entry per document,
//!   are dense and numbered by first member; `clusters()`, `label_of`,
//!   `same_story` and `stories()` describe the same partition; every scored
//!   pair is in range, sorted and distinct, with finite scores in range and
//!   found again by `scores(a, b)` both ways; representatives are the first
//!   of their copies; clustering twice gives the same result, and so does
//!   `labels_at` with the detector's own threshold and linkage;
//! * stages: the clustering equals, exactly, `Stages::cluster_features` of
//!   `Stages::features` with the statistics of `Stages::learn` compacted as
//!   `Detector::cluster` compacts them; compacting changes no feature;
//!   statistics learned in two parts and merged equal those of the whole, and
//!   survive `to_bytes`/`from_bytes`; features survive
//!   `to_bytes`/`features_from_bytes`; `Stages::score` of two dated
//!   documents equals the clustering's scores of their pair;
//!   `Stages::cluster_component` of the clustering's pairs (exact
//!   duplicates as one weighted node, as the batch collapses them) gives the
//!   clustering's labels, and refuses a zero weight and a self pair;
//!   `Detector::explain` of a scored pair of representatives gives its scores;
//! * tracker: `query` before each `add` changes nothing (same bytes), finds
//!   the matches `add` then reports, and the story `add` chooses; `add` is Ok
//!   for every document; a new story gets the next story id; matches are at
//!   most 10, best first, about earlier documents and their stories; merged
//!   stories are older ids' and vanish, the survivor being the oldest; split
//!   stories get the next ids; after each add `story_of`, `story` and
//!   `stories()` describe the same partition of all ids, members in
//!   insertion order; `explain` of two held ids has the pair's scores (those
//!   `add` reported, when no date is passed on), of an unknown id is
//!   `UnknownId`; a repeated id is rejected by `add` and `query` and leaves
//!   the tracker unchanged (same bytes); a batch with a repeated id is
//!   rejected;
//! * persistence: a tracker loaded from `to_bytes` saves to the same bytes,
//!   has the same stories and explanations, and continues the stream as the
//!   saved one would (same assignment, same bytes after one more add);
//! * `expire_before` removes exactly the ids it returns; removing every other
//!   document returns its story, splits no story, and leaves the statistics
//!   (the saved `STAT` section) of a tracker started from `learn` of the rest.
#![no_main]

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;
use samestory::minhash::MinHashKind;
use samestory::{
    Clustering, CorpusStats, Date, Detector, Document, ErrorKind, Linkage, PairScores, ScoredPair, StoryId, Tracker,
};

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
        if hdr & 0x40 != 0
            && let Some(k) = body.iter().position(|&b| b == 0xFE)
        {
            title = Some(String::from_utf8_lossy(&body[..k]).into_owned());
            body = &body[k + 1..];
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
/// which dominates a small input's time. Detectors are immutable and
/// `Clone`.
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

fn check_scores(s: &PairScores) {
    unit(s.jaccard, "jaccard");
    unit(s.jaccard_estimate, "jaccard_estimate");
    unit(s.containment, "containment");
    unit(s.cosine, "cosine");
    unit(s.similarity, "similarity");
    assert!(s.simhash_distance <= 64);
}

fn is_kind(err: &samestory::Error, want: fn(&ErrorKind) -> bool, what: &str) {
    assert!(want(err.kind()), "expected {what}, got: {err}");
}

/// Dense labels numbered by first member, from any labels.
fn relabel(root: &[u32]) -> Vec<u32> {
    let mut map: HashMap<u32, u32> = HashMap::new();
    root.iter()
        .map(|r| {
            let next = map.len() as u32;
            *map.entry(*r).or_insert(next)
        })
        .collect()
}

fn check_batch(det: &Detector, docs: &[Document]) {
    let n = docs.len();
    let c = det.cluster(docs).unwrap_or_else(|e| panic!("cluster failed on unique ids: {e}"));
    assert_eq!(c.len(), n);
    assert_eq!(c.is_empty(), n == 0);
    assert!(c.ids().iter().eq(docs.iter().map(|d| &d.id)), "ids() are not the documents' ids in order");
    assert!(c.skipped().is_empty());
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
            let mu = m as usize;
            assert!(mu < n && !seen[mu], "member {m} out of range or in two clusters");
            seen[mu] = true;
            assert_eq!(labels[mu] as usize, k, "clusters() and labels() disagree");
            assert_eq!(c.label_of(m), Some(k as u32));
            assert!(c.same_story(m, members[0]));
        }
    }
    assert!(seen.iter().all(|&s| s), "clusters() misses a document");
    assert!(clusters.windows(2).all(|w| w[0][0] < w[1][0]), "clusters not ordered by first member");
    assert!(c.stories().eq(clusters.iter().filter(|m| m.len() > 1).map(Vec::as_slice)), "stories() vs clusters()");
    assert_eq!(c.label_of(n as u32), None);
    assert!(!c.same_story(0, n as u32));
    assert_eq!(c.representative(n as u32), None);
    for i in 0..n as u32 {
        let r = c.representative(i).expect("document exists");
        assert!(r <= i, "representative {r} of {i} is not the first copy");
        assert_eq!(c.representative(r), Some(r), "a representative has another representative");
        assert!(c.same_story(i, r), "an exact duplicate is not in its representative's story");
        assert_eq!(c.scores(i, i), None);
    }
    let pairs = c.pairs();
    assert!(pairs.windows(2).all(|w| (w[0].a, w[0].b) < (w[1].a, w[1].b)), "pairs not sorted and distinct");
    for p in pairs {
        assert!(p.a < p.b && (p.b as usize) < n, "pair ({}, {}) out of range", p.a, p.b);
        check_scores(&p.scores);
        assert_eq!(c.scores(p.a, p.b), Some(&p.scores));
        assert_eq!(c.scores(p.b, p.a), Some(&p.scores));
    }
    let again = det.cluster(docs).expect("second cluster");
    assert_eq!(again, c, "clustering is not deterministic");
    let params = det.params();
    let recut = c.labels_at(params.story.threshold, params.story.linkage).expect("the detector's threshold is valid");
    assert_eq!(recut, labels, "labels_at with the detector's own threshold and linkage");
    assert!(c.labels_at(0.0, Linkage::Average).is_err() && c.labels_at(f64::NAN, Linkage::Single).is_err());

    check_stages(det, docs, &c);

    // `Detector::explain` of a scored pair of two representatives.
    if let Some(p) = pairs.iter().find(|p| c.representative(p.b) == Some(p.b)) {
        let e = det.explain(docs, p.a, p.b).expect("explain of two documents");
        assert_eq!(e.ids, (docs[p.a as usize].id.clone(), docs[p.b as usize].id.clone()));
        assert_eq!(&e.params, params);
        assert_eq!(e.scores, p.scores, "explain's scores differ from the clustering's for ({}, {})", p.a, p.b);
        assert_eq!(e.pair_same_story, f64::from(e.scores.similarity) >= params.story.threshold);
    }
    let err = det.explain(docs, 0, n as u32).expect_err("explain of a position out of range");
    is_kind(&err, |k| matches!(k, ErrorKind::InvalidParameter { .. }), "InvalidParameter");
}

/// The stage-by-stage oracle of [`check_batch`].
fn check_stages(det: &Detector, docs: &[Document], c: &Clustering) {
    let n = docs.len();
    let stages = det.stages();
    let stats = stages.learn(docs).expect("learn");
    assert_eq!(stats.docs(), n as u64);
    assert_eq!(CorpusStats::from_bytes(&stats.to_bytes()).expect("statistics bytes load"), stats);
    // Mergeable: any split gives the same total.
    let mut merged = stages.learn(&docs[..n / 2]).expect("learn part");
    merged.merge(&stages.learn(&docs[n / 2..]).expect("learn part"));
    assert!(merged == stats, "statistics of two parts, merged, differ from those of the whole");
    // `Detector::cluster` compacts the complete statistics before the features.
    let mut compacted = stats.clone();
    compacted.compact();
    assert_eq!(compacted.docs(), stats.docs());
    assert_eq!(compacted.vocabulary(), stats.vocabulary());
    let feats = stages.features(docs, &compacted).expect("features");
    assert_eq!(feats.len(), n);
    let full = stages.features(docs, &stats).expect("features");
    assert!(full == feats, "compacting the statistics changed a feature");
    for (i, f) in feats.iter().enumerate() {
        let back = stages.features_from_bytes(&f.to_bytes()).expect("features bytes load");
        assert!(back == *f, "features of {i} change through to_bytes/features_from_bytes");
        let _ = (stages.band_keys(f), stages.simhash_keys(f), stages.term_keys(f));
    }
    let ids: Vec<String> = docs.iter().map(|d| d.id.clone()).collect();
    let staged = stages.cluster_features(ids.clone(), feats.clone(), compacted.docs()).expect("cluster_features");
    assert_eq!(&staged, c, "Stages (learn, compact, features, cluster_features) differ from Detector::cluster");
    if n >= 2 {
        let mut dup = ids.clone();
        dup[1] = dup[0].clone();
        let err = stages.cluster_features(dup, feats.clone(), compacted.docs()).expect_err("repeated id accepted");
        is_kind(&err, |k| matches!(k, ErrorKind::InvalidParameter { .. }), "InvalidParameter");
    }
    let err = stages.cluster_features(ids[..n.saturating_sub(1)].to_vec(), feats.clone(), compacted.docs());
    assert_eq!(err.is_err(), n > 0, "ids and features of different lengths");

    // Scores: a pair of two dated documents is scored from its features as
    // they are (only undated documents inherit dates).
    for p in c.pairs() {
        let (fa, fb) = (&feats[p.a as usize], &feats[p.b as usize]);
        let s = stages.score(fa, fb);
        check_scores(&s);
        if fa.date().is_some() && fb.date().is_some() {
            assert_eq!(s, p.scores, "Stages::score differs from the clustering's scores of ({}, {})", p.a, p.b);
        }
    }

    // One component: exact duplicates as one node weighing their count, as
    // the batch collapses them; the clustering's pairs between representatives.
    let mut node = vec![u32::MAX; n];
    let mut weights: Vec<u64> = Vec::new();
    for i in 0..n {
        let r = c.representative(i as u32).expect("document exists") as usize;
        if node[r] == u32::MAX {
            node[r] = weights.len() as u32;
            weights.push(0);
        }
        weights[node[r] as usize] += 1;
    }
    let rep_pairs: Vec<ScoredPair> = c
        .pairs()
        .iter()
        .filter(|p| c.representative(p.b) == Some(p.b))
        .map(|p| ScoredPair { a: node[p.a as usize], b: node[p.b as usize], scores: p.scores })
        .collect();
    let local = stages.cluster_component(&weights, &rep_pairs).expect("cluster_component of the clustering's pairs");
    assert_eq!(local.len(), weights.len());
    let expanded: Vec<u32> =
        (0..n).map(|i| local[node[c.representative(i as u32).expect("exists") as usize] as usize]).collect();
    assert_eq!(relabel(&expanded), c.labels(), "cluster_component of the clustering's pairs gives other labels");
    if !weights.is_empty() {
        let mut zero = weights.clone();
        zero[0] = 0;
        assert!(stages.cluster_component(&zero, &rep_pairs).is_err(), "a zero weight accepted");
        let selfp = ScoredPair { a: 0, b: 0, scores: PairScores { similarity: 0.5, ..PairScores::default() } };
        assert!(stages.cluster_component(&weights, &[selfp]).is_err(), "a self pair accepted");
        let out = ScoredPair { a: 0, b: weights.len() as u32, scores: selfp.scores };
        assert!(stages.cluster_component(&weights, &[out]).is_err(), "a pair out of range accepted");
    }
}

/// The bytes of the section `tag` of a saved state (header 16 bytes; each
/// section a 4-byte tag, a `u64` length, a `u64` checksum, the payload).
fn section<'a>(state: &'a [u8], tag: &[u8; 4]) -> &'a [u8] {
    let mut at = 16;
    while at + 20 <= state.len() {
        let len = u64::from_le_bytes(state[at + 4..at + 12].try_into().expect("8 bytes")) as usize;
        let payload = &state[at + 20..at + 20 + len];
        if &state[at..at + 4] == tag {
            return payload;
        }
        at += 20 + len;
    }
    panic!("no section {tag:?} in a saved state");
}

fn check_stream(det: Detector, docs: &[Document]) {
    let passes_dates = det.params().dates.inherit_similarity.is_some();
    let threshold = det.params().story.threshold;
    let mut t = Tracker::new(det.clone());
    assert!(t.is_empty() && t.stories().next().is_none());
    let mut stories: Vec<StoryId> = Vec::new();
    let mut known: HashMap<StoryId, Vec<usize>> = HashMap::new();
    let mut n_stories = 0u64;
    for (i, doc) in docs.iter().enumerate() {
        let before_bytes = t.to_bytes();
        let q = t.query(doc).unwrap_or_else(|e| panic!("query of document {i} failed: {e}"));
        assert!(t.to_bytes() == before_bytes, "query changed the tracker");
        let a = t.add(doc.clone()).unwrap_or_else(|e| panic!("add of document {i} failed: {e}"));
        assert_eq!(q.matches, a.matches, "query and add of document {i} find other matches");
        assert_eq!(q.story.is_none(), a.new_story, "query and add disagree on a new story for {i}");
        if a.merged.is_empty() && a.split_off.is_empty() && !a.new_story {
            assert_eq!(q.story, Some(a.story), "query and add of document {i} choose other stories");
        }
        assert!(a.expired.is_empty(), "expired without a retention policy");
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
            check_scores(&m.scores);
            let e = t.explain(&doc.id, &m.id).unwrap_or_else(|e| panic!("explain of two held ids: {e}"));
            assert_eq!(e.ids, (doc.id.clone(), m.id.clone()));
            if !passes_dates {
                assert_eq!(e.scores, m.scores, "tracker explain differs from the match add reported");
            }
        }
        assert!(a.merged.windows(2).all(|w| w[0] < w[1]), "merged ids not sorted");
        for g in &a.merged {
            // The oldest id survives a merge (a split afterwards may move the document on).
            assert!(!a.split_off.is_empty() || *g > a.story, "merged story {g} is older than the survivor {}", a.story);
            assert!(known.contains_key(g), "merged story {g} did not exist");
            assert!(t.story(*g).is_none(), "merged story {g} still has members");
        }
        // Splits hand out the next ids, in order.
        for (k, s) in a.split_off.iter().enumerate() {
            assert_eq!(*s, StoryId(n_stories + k as u64), "split ids are the next ones");
            assert!(t.story(*s).is_some_and(|st| !st.members.is_empty()), "split story {s} is empty");
        }
        n_stories += a.split_off.len() as u64;
        // Everything held now: the tracker's own view, checked for consistency below.
        stories.push(a.story);
        known.clear();
        for (p, d) in docs[..=i].iter().enumerate() {
            let s = t.story_of(&d.id).unwrap_or_else(|| panic!("document {p} is not held"));
            assert!(s.0 < n_stories, "story {s} was never handed out");
            stories[p] = s;
            known.entry(s).or_default().push(p);
        }
        assert_eq!(stories[i], a.story, "add reports another story than story_of");
    }
    assert_eq!(t.len(), docs.len());
    assert_eq!(t.is_empty(), docs.is_empty());
    for (i, doc) in docs.iter().enumerate() {
        assert_eq!(t.story_of(&doc.id), Some(stories[i]), "story_of disagrees with add for {i}");
    }
    let mut total = 0;
    for (story, members) in &known {
        let ids: Vec<&str> = members.iter().map(|&p| docs[p].id.as_str()).collect();
        let st = t.story(*story).unwrap_or_else(|| panic!("story {story} is not held"));
        assert_eq!(st.id, *story);
        assert_eq!(st.members, ids, "members of {story}");
        total += ids.len();
    }
    assert_eq!(total, docs.len(), "streaming stories are not a partition");
    let listed: Vec<StoryId> = t.stories().map(|s| s.id).collect();
    assert!(listed.windows(2).all(|w| w[0] < w[1]), "stories() not by id");
    assert_eq!(listed.len(), known.len(), "stories() lists other stories");
    assert!(t.stories().all(|s| t.story(s.id).as_ref() == Some(&s)), "stories() and story() disagree");
    // Explanations of every held pair.
    for (i, da) in docs.iter().enumerate() {
        for db in &docs[i + 1..] {
            let e = t.explain(&da.id, &db.id).unwrap_or_else(|e| panic!("explain of two held ids: {e}"));
            check_scores(&e.scores);
            assert_eq!(e.ids, (da.id.clone(), db.id.clone()));
            assert_eq!(&e.params, det.params());
            assert_eq!(e.pair_same_story, f64::from(e.scores.similarity) >= threshold);
            assert!(e.shared_passages.is_empty(), "the tracker keeps no text");
            assert!(e.shared_terms.iter().all(|s| s.term.starts_with('#') && s.contribution.is_finite()));
        }
    }
    let err = t.explain("no such id", docs.first().map_or("0", |d| d.id.as_str())).expect_err("unknown id");
    is_kind(&err, |k| matches!(k, ErrorKind::UnknownId { .. }), "UnknownId");

    if let Some(first) = docs.first() {
        let before = t.to_bytes();
        let again = Document::new(first.id.clone(), "again");
        let err = t.add(again.clone()).expect_err("repeated id accepted");
        is_kind(&err, |k| matches!(k, ErrorKind::DuplicateId { .. }), "DuplicateId");
        let err = t.query(&again).expect_err("query of a held id accepted");
        is_kind(&err, |k| matches!(k, ErrorKind::DuplicateId { .. }), "DuplicateId");
        assert!(t.to_bytes() == before, "a rejected add changed the tracker");
    }

    // Persistence: the same bytes, stories and explanations, and the same future.
    let bytes = t.to_bytes();
    let mut loaded = Tracker::from_bytes(&bytes).unwrap_or_else(|e| panic!("a saved state does not load: {e}"));
    assert!(loaded.to_bytes() == bytes, "a loaded state saves to other bytes");
    assert_eq!(loaded.detector().params(), det.params());
    assert_eq!(loaded.clock(), t.clock());
    assert!(loaded.stories().eq(t.stories()), "a loaded state has other stories");
    for pair in docs.windows(2) {
        assert_eq!(loaded.explain(&pair[0].id, &pair[1].id).ok(), t.explain(&pair[0].id, &pair[1].id).ok());
    }
    let mut cont = t.clone();
    let extra = match docs.last() {
        Some(d) => {
            let mut e = d.clone();
            e.id = "extra".into();
            e.text.push_str(" and more");
            e
        }
        None => Document::new("extra", "A lone report."),
    };
    let from_saved = loaded.add(extra.clone()).expect("add to a loaded tracker");
    let from_live = cont.add(extra).expect("add to the live tracker");
    assert_eq!(from_saved, from_live, "a loaded tracker continues the stream otherwise");
    assert!(loaded.to_bytes() == cont.to_bytes(), "a loaded tracker continues to other bytes");

    // expire_before removes exactly what it returns.
    let mut exp = t.clone();
    let gone = exp.expire_before(Date::from_ymd(2023, 9, 20).expect("valid date"));
    assert_eq!(exp.len() + gone.len(), t.len(), "expire_before returned other ids than it removed");
    for id in &gone {
        assert!(t.story_of(id).is_some() && exp.story_of(id).is_none(), "expired id {id:?}");
    }

    // Removing every other document: its story back, no story split, and
    // the statistics of the rest.
    let mut kept = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        if i % 2 == 0 {
            let s = t.remove(&doc.id).unwrap_or_else(|e| panic!("remove {i}: {e}"));
            assert_eq!(s, stories[i], "remove returned another story");
            assert!(t.story_of(&doc.id).is_none());
            let err = t.remove(&doc.id).expect_err("a removed id removed again");
            is_kind(&err, |k| matches!(k, ErrorKind::UnknownId { .. }), "UnknownId");
        } else {
            kept.push(doc.clone());
        }
    }
    assert_eq!(t.len(), kept.len());
    for (i, doc) in docs.iter().enumerate().filter(|(i, _)| i % 2 == 1) {
        assert_eq!(t.story_of(&doc.id), Some(stories[i]), "a removal moved document {i}");
    }
    let rest = Tracker::with_stats(det.clone(), det.stages().learn(&kept).expect("learn of the rest"));
    assert!(
        section(&t.to_bytes(), b"STAT") == section(&rest.to_bytes(), b"STAT"),
        "statistics after removals differ from those of the rest"
    );
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let docs = build_docs(rest);

    let det = default_detector();
    check_batch(&det, &docs);
    check_stream(det.clone(), &docs);
    if sel & 1 != 0 {
        let alt = alt_detector(sel);
        check_batch(&alt, &docs);
        check_stream(alt, &docs);
    }
    if docs.len() >= 2 {
        let mut dup = docs.clone();
        dup[1].id = dup[0].id.clone();
        let err = det.cluster(&dup).expect_err("batch with a repeated id accepted");
        is_kind(&err, |k| matches!(k, ErrorKind::DuplicateId { .. }), "DuplicateId");
    }
});
