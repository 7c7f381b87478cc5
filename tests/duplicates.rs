//! Exact duplicates are collapsed before candidates: a flood of identical
//! pages costs one document, and the clusters are those of the full
//! pipeline (checked against clustering every document, as an oracle).

use proptest::prelude::*;
use samestory::{Detector, Document};

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

/// The full pipeline without collapsing: every document is a node.
fn oracle(det: &Detector, docs: &[Document]) -> Vec<u32> {
    let stats = det.learn(docs);
    let mut feats = det.features(docs, &stats);
    let pairs = det.candidate_pairs(&feats, stats.docs());
    let mut scored = det.score_pairs(&feats, &pairs);
    det.inherit_dates(&mut feats, &mut scored);
    det.cluster_scored(docs.len(), scored).labels().to_vec()
}

#[test]
fn a_flood_of_identical_pages_is_one_story_without_quadratic_pairs() {
    let page = "Breaking: the Valmora harbour council voted on Tuesday to close pier nine after an explosion \
                at the Castell grain terminal injured fourteen workers, the fire service said.";
    let n = 3000;
    let mut docs: Vec<Document> = (0..n).map(|i| Document::new(format!("copy-{i}"), page)).collect();
    docs.push(Document::new("other", "The national orchestra named a new principal conductor on Monday."));
    docs.push(Document::new("empty-1", ""));
    docs.push(Document::new("empty-2", ""));
    let det = Detector::new();
    let c = det.cluster(&docs).unwrap();
    assert!(c.labels()[..n].iter().all(|&l| l == 0), "all copies in one story");
    assert_eq!(c.clusters().len(), 4, "copies, the other article, two empty documents");
    assert!(c.pairs().len() < 10, "{} pairs scored for {n} copies", c.pairs().len());
    assert_eq!(c.representative(1234), 0);
    assert_eq!(c.representative(n + 1), n + 1, "empty documents are not collapsed");
    let s = c.scores(17, 2500).expect("copies have scores");
    assert!(s.copy && s.similarity == 1.0 && s.jaccard == 1.0, "{s:?}");
    assert!(c.scores(n + 1, n + 2).is_none(), "empty documents never match");
    assert_eq!(c.labels_at(det.story_threshold(), samestory::Linkage::Average), c.labels());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Articles, exact copies (some with another source or date, which are
    /// not exact duplicates), and edited copies: collapsing gives the
    /// oracle's clusters, and re-cutting at the default threshold gives them too.
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
        let c = plain.cluster(&docs).unwrap();
        let want = oracle(&plain, &docs);
        prop_assert_eq!(c.labels(), want.as_slice());
        prop_assert_eq!(c.labels_at(plain.story_threshold(), samestory::Linkage::Average), c.labels());
        let det = Detector::new();
        let guarded = det.cluster(&docs).unwrap();
        prop_assert_eq!(guarded.labels_at(det.story_threshold(), samestory::Linkage::Average), guarded.labels());
        for i in 0..docs.len() {
            prop_assert!(guarded.same_story(guarded.representative(i), i));
        }
        for i in 0..docs.len() {
            let r = c.representative(i);
            prop_assert!(r <= i);
            if r != i {
                prop_assert_eq!(&docs[r].text, &docs[i].text);
                prop_assert!(c.same_story(r, i));
            }
        }
    }
}
