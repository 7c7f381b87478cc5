//! Copies with the same or near-identical text are collapsed before
//! candidates: a flood of identical pages costs one document, and the
//! clusters are those of the full pipeline (checked against clustering
//! every document, as an oracle).

use proptest::prelude::*;
use samestory::{Clustering, Detector, Document, Linkage, ScoredPair};

const WORDS: [&str; 40] = [
    "harbour",
    "council",
    "ferry",
    "storm",
    "election",
    "minister",
    "bridge",
    "river",
    "police",
    "court",
    "vaccine",
    "airport",
    "strike",
    "budget",
    "festival",
    "museum",
    "earthquake",
    "wildfire",
    "treaty",
    "summit",
    "Valmora",
    "Brannagh",
    "Castell",
    "Ostend",
    "Kiruna",
    "Tamsin",
    "Oduya",
    "Merrow",
    "2023",
    "14",
    "207",
    "1.2",
    "million",
    "said",
    "on",
    "Tuesday",
    "after",
    "the",
    "a",
    "of",
];

fn article(seed: &[usize]) -> String {
    let mut words = Vec::new();
    for (i, &s) in seed.iter().enumerate() {
        for k in 0..12 {
            words.push(WORDS[(s * 7 + k * 3 + i) % WORDS.len()]);
        }
        words.push(".");
    }
    words.join(" ")
}

/// The pipeline without collapsing, run by hand through the stages: every
/// document is a node of its own, and the pairs are those `c` compared
/// (between representatives) extended to every copy, each scored again
/// from the document's own features. The documents have no dates, so no
/// date is inherited.
fn oracle(det: &Detector, docs: &[Document], c: &Clustering) -> Vec<u32> {
    let stages = det.stages();
    let stats = stages.learn(docs).unwrap();
    let feats = stages.features(docs, &stats).unwrap();
    let n = docs.len() as u32;
    let rep = |i: u32| c.representative(i).unwrap();
    let compared: std::collections::HashSet<(u32, u32)> = c.pairs().iter().map(|p| (p.a, p.b)).collect();
    let mut pairs = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            let (ra, rb) = (rep(a), rep(b));
            if ra == rb || compared.contains(&(ra.min(rb), ra.max(rb))) {
                let scores = stages.score(&feats[a as usize], &feats[b as usize]);
                pairs.push(ScoredPair { a, b, scores });
            }
        }
    }
    stages.cluster_component(&vec![1; docs.len()], &pairs).unwrap()
}

/// Every pair of documents scored, every document a node: no candidate
/// rule, no collapsing. For a detector whose candidates miss no pair of
/// positive similarity ([`exhaustive`]), it is what the pipeline gives.
fn all_pairs_oracle(det: &Detector, docs: &[Document]) -> Vec<u32> {
    let stages = det.stages();
    let stats = stages.learn(docs).unwrap();
    let feats = stages.features(docs, &stats).unwrap();
    let n = docs.len() as u32;
    let mut pairs = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            pairs.push(ScoredPair { a, b, scores: stages.score(&feats[a as usize], &feats[b as usize]) });
        }
    }
    stages.cluster_component(&vec![1; docs.len()], &pairs).unwrap()
}

/// Candidates from every salient term, however common, without limits:
/// two documents with a positive profile cosine share a profile term, so
/// they are candidates.
fn exhaustive() -> Detector {
    let profile_terms = Detector::new().params().profile.terms;
    Detector::builder()
        .cohesion_guard(None)
        .candidate_terms(profile_terms)
        .candidate_df_floor(u32::MAX)
        .candidate_budget(usize::MAX)
        .candidate_limit(usize::MAX)
        .build()
        .unwrap()
}

#[test]
fn a_flood_of_identical_pages_is_one_story_without_quadratic_pairs() {
    let page = "Breaking: the Valmora harbour council voted on Tuesday to close pier nine after an explosion \
                at the Castell grain terminal injured fourteen workers, the fire service said.";
    let n = 3000u32;
    let mut docs: Vec<Document> = (0..n).map(|i| Document::new(format!("copy-{i}"), page)).collect();
    docs.push(Document::new("other", "The national orchestra named a new principal conductor on Monday."));
    docs.push(Document::new("empty-1", ""));
    docs.push(Document::new("empty-2", ""));
    let det = Detector::new();
    let c = det.cluster(&docs).unwrap();
    assert!(c.labels()[..n as usize].iter().all(|&l| l == 0), "all copies in one story");
    assert_eq!(c.clusters().len(), 4, "copies, the other article, two empty documents");
    // The pairs list each copy with its representative (one pair per copy,
    // not one per pair of copies); the pairs scored between distinct
    // representatives are few.
    let rep = |i: u32| c.representative(i).unwrap();
    let scored = c.pairs().iter().filter(|p| rep(p.a) != rep(p.b)).count();
    assert!(scored < 10, "{scored} pairs scored for {n} copies");
    let copies: Vec<u32> = c.pairs().iter().filter(|p| rep(p.a) == rep(p.b)).map(|p| p.b).collect();
    assert_eq!(copies, (1..n).collect::<Vec<_>>(), "each copy paired with its representative once");
    assert!(c.pairs().iter().filter(|p| rep(p.a) == rep(p.b)).all(|p| p.a == 0 && p.scores.similarity == 1.0));
    assert_eq!(c.representative(1234), Some(0));
    assert_eq!(c.representative(n + 1), Some(n + 1), "empty documents are not collapsed");
    let s = c.scores(17, 2500).expect("copies have scores");
    assert!(s.copy && s.similarity == 1.0 && s.jaccard == 1.0, "{s:?}");
    assert!(c.scores(n + 1, n + 2).is_none(), "empty documents never match");
    assert_eq!(c.labels_at(det.params().story.threshold, Linkage::Average).unwrap(), c.labels());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Articles, exact copies (some with another source, which are not
    /// exact duplicates), and edited copies: collapsing gives the oracles'
    /// clusters (the same pairs extended to every copy; and, with
    /// candidates that miss nothing, every pair), and re-cutting at the
    /// default threshold gives them too.
    #[test]
    fn collapsing_duplicates_keeps_the_clusters(
        plans in prop::collection::vec((prop::collection::vec(0usize..40, 2..6), 0u8..4, 0u8..3), 1..24)
    ) {
        let mut docs: Vec<Document> = Vec::new();
        for (i, (seed, copies, variant)) in plans.iter().enumerate() {
            let text = article(seed);
            docs.push(Document::new(format!("a{i}"), text.clone()));
            for k in 0..*copies {
                let mut d = Document::new(format!("a{i}-copy{k}"), text.clone());
                match variant {
                    1 => d.text.push_str(" Updated."),
                    2 if k % 2 == 1 => d = d.with_source("other.example"),
                    _ => {}
                }
                docs.push(d);
            }
        }
        // Exact equality holds for plain average linkage. The cohesion guard
        // (on by default) decides on whole groups, so the order in which
        // equal similarities are merged (copies tie with each other) can
        // change which groups it holds apart: with it, copies still share a
        // story and re-cutting reproduces the labels.
        let plain = Detector::builder().cohesion_guard(None).build().unwrap();
        let threshold = plain.params().story.threshold;
        let c = plain.cluster(&docs).unwrap();
        let want = oracle(&plain, &docs, &c);
        prop_assert_eq!(c.labels(), want.as_slice());
        prop_assert_eq!(c.labels_at(threshold, Linkage::Average).unwrap(), c.labels());
        let wide = exhaustive();
        let all = wide.cluster(&docs).unwrap();
        let every = all_pairs_oracle(&wide, &docs);
        prop_assert_eq!(all.labels(), every.as_slice());
        let det = Detector::new();
        let guarded = det.cluster(&docs).unwrap();
        prop_assert_eq!(guarded.labels_at(threshold, Linkage::Average).unwrap(), guarded.labels());
        let n = docs.len() as u32;
        for i in 0..n {
            prop_assert!(guarded.same_story(guarded.representative(i).unwrap(), i));
        }
        for i in 0..n {
            let r = c.representative(i).unwrap();
            prop_assert!(r <= i);
            if r != i {
                // The same text, or near-identical: a copy with shingle Jaccard ≥ 0.8.
                let s = c.scores(r, i).expect("a copy is scored with its representative");
                prop_assert!(docs[r as usize].text == docs[i as usize].text || (s.copy && s.jaccard >= 0.8), "{:?}", s);
                prop_assert!(c.same_story(r, i));
            }
        }
    }
}

/// A wire story carried under many headlines, and variants of it a word
/// apart: near-identical copies collapse before candidates, so the pairs
/// scored between representatives stay few (not one per two copies), every
/// copy is paired with its representative once, and all are one story and
/// one copy group.
#[test]
fn floods_of_retitled_copies_and_one_word_variants_stay_linear() {
    let body: Vec<String> =
        (0..120).map(|i| format!("{} {}", WORDS[i % WORDS.len()], WORDS[(i * 7 + 3) % WORDS.len()])).collect();
    let n = 2000usize;
    let mut docs: Vec<Document> = Vec::new();
    for i in 0..n {
        let mut words = body.clone();
        if i % 2 == 1 {
            // A variant: one word changed.
            words[(i * 13) % body.len()] = format!("variant{i}");
        }
        docs.push(
            Document::new(format!("wire-{i}"), words.join(" ")).with_title(format!("Headline {i}: {}", WORDS[i % 40])),
        );
    }
    let c = Detector::new().cluster(&docs).unwrap();
    assert!(c.labels().iter().all(|&l| l == 0), "one story");
    assert!(c.copy_labels().iter().all(|&l| l == 0), "one copy group");
    let rep = |i: u32| c.representative(i).unwrap();
    let between = c.pairs().iter().filter(|p| rep(p.a) != rep(p.b)).count();
    assert!(between < n / 10, "{between} pairs scored between representatives for {n} copies");
    let with_rep = c.pairs().iter().filter(|p| rep(p.b) == p.a && p.a != p.b).count();
    assert!(with_rep >= n - n / 10, "{with_rep} copies paired with their representative");
}
