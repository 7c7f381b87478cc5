//! The pipeline's accuracy cannot silently collapse: the default detector on
//! the labelled dev sets (read from `../shared/data` when present, never
//! copied into the repository) must keep its measured pairwise F1 within a
//! small margin, and group the two seed reports together and alone.
//!
//! Batch equals stream, within a documented bound: adding the same
//! documents one at a time in date order (`Tracker::add`) must give stories
//! with ARI ≥ 0.85 against the batch clusters and pairwise F1 against the
//! gold labels at most 0.04 below the batch's (measured with the defaults:
//! ARI 0.913 / 0.938 / 0.964 and F1 −0.036 / +0.004 / −0.036 on ecbplus /
//! gva / basil). The
//! difference comes from statistics that grow with the stream (an early
//! document's features see fewer documents), from greedy assignment instead
//! of global agglomeration, and from the cohesion guard, which judges whole
//! groups that a stream sees only as they form (a grown story is re-cut with
//! the batch linkage; before the guard the ARI bound was 0.90, measured
//! 0.952 on ecbplus, where the guard lifted the stream's F1 from 0.804 to
//! 0.858 at the former defaults).

use std::path::PathBuf;

use samestory::io::{ReadOptions, read_path};
use samestory::{Detector, Document, Tracker};
use samestory_tools::eval::score_labels;
use samestory_tools::paths;

fn data(set: &str) -> Option<PathBuf> {
    let p = paths::shared().join("data").join(set).join("dev.jsonl");
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipped: {} not found (the labelled sets live beside the repository)", p.display());
        None
    }
}

fn gold(path: &PathBuf) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["cluster"].as_str().map(String::from).unwrap_or_else(|| v["cluster"].to_string())
        })
        .collect()
}

fn seeds() -> Vec<Document> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../demo/seeds");
    samestory::io::read_txt_dir(&dir).unwrap().docs
}

/// Clusters a dev set (ids replaced by positions: only text, title, date and
/// source reach the detector) with the seeds mixed in, batch and stream;
/// returns the batch's pairwise F1.
fn run(set: &str) -> Option<f64> {
    run_with(set, true)
}

/// [`run`], with the stream's checks only when `stream`.
fn run_with(set: &str, stream: bool) -> Option<f64> {
    let path = data(set)?;
    let corpus = read_path(&path, ReadOptions::default()).unwrap();
    let labels = gold(&path);
    assert_eq!(labels.len(), corpus.docs.len());
    let n = corpus.docs.len();
    let mut docs: Vec<Document> =
        corpus.docs.into_iter().enumerate().map(|(i, d)| Document { id: i.to_string(), ..d }).collect();
    docs.extend(seeds());
    let c = Detector::new().cluster(&docs).unwrap();
    let seed_cluster = c.labels()[n];
    assert_eq!(c.labels()[n + 1], seed_cluster, "{set}: the seeds are not grouped");
    assert_eq!(c.labels().iter().filter(|&&l| l == seed_cluster).count(), 2, "{set}: the seeds' cluster has others");
    let s = score_labels(&labels, &c.labels()[..n]).unwrap();
    eprintln!("{set}: pairwise P {:.3} R {:.3} F1 {:.3} ARI {:.3}", s.precision, s.recall, s.f1, s.ari);
    if !stream {
        return Some(s.f1);
    }

    // The same documents as a stream in date order (given, else found in the
    // text; undated last), each group in input order.
    let key = |d: &Document| d.date.or_else(|| samestory::text::find_date(&d.text));
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by_key(|&i| key(&docs[i]).map_or((1, 0), |d| (0, d.days())));
    let mut live = Tracker::new(Detector::new());
    for &i in &order {
        live.add(docs[i].clone()).unwrap();
    }
    let stream: Vec<u64> = docs.iter().map(|d| live.story_of(&d.id).expect("held").0).collect();
    let (a, b) = (stream[n], stream[n + 1]);
    assert!(
        a == b && stream.iter().filter(|&&l| l == a).count() == 2,
        "{set}: stream: the seeds are not grouped alone"
    );
    let agree = score_labels(c.labels(), &stream).unwrap();
    let st = score_labels(&labels, &stream[..n]).unwrap();
    eprintln!("{set}: stream F1 {:.3} ARI {:.3}; stream vs batch ARI {:.3}", st.f1, st.ari, agree.ari);
    assert!(agree.ari >= 0.85, "{set}: stream vs batch ARI {:.3} < 0.85", agree.ari);
    assert!(st.f1 >= s.f1 - 0.04, "{set}: stream F1 {:.3} more than 0.04 below batch {:.3}", st.f1, s.f1);
    Some(s.f1)
}

// Floors sit about 0.02 below the figures measured when they were set
// (README accuracy table), so noise does not fail them but a regression does.

#[test]
#[cfg_attr(not(shared_data), ignore = "needs ../shared/data (the labelled sets) beside the repository")]
fn basil_accuracy() {
    if let Some(f1) = run("basil") {
        assert!(f1 >= 0.98, "basil pairwise F1 {f1:.3} < 0.98");
    }
}

#[test]
#[cfg_attr(not(shared_data), ignore = "needs ../shared/data (the labelled sets) beside the repository")]
fn ecbplus_accuracy() {
    if let Some(f1) = run("ecbplus") {
        assert!(f1 >= 0.89, "ecbplus pairwise F1 {f1:.3} < 0.89");
    }
}

#[test]
#[cfg_attr(not(shared_data), ignore = "needs ../shared/data (the labelled sets) beside the repository")]
fn gva_accuracy() {
    if let Some(f1) = run("gva-incidents") {
        assert!(f1 >= 0.77, "gva pairwise F1 {f1:.3} < 0.77");
    }
}

#[test]
#[cfg_attr(not(shared_data), ignore = "needs ../shared/data (the labelled sets) beside the repository")]
fn vims_accuracy() {
    if let Some(f1) = run("vims") {
        assert!(f1 >= 0.95, "vims pairwise F1 {f1:.3} < 0.95");
    }
}

#[test]
#[cfg_attr(not(shared_data), ignore = "needs ../shared/data (the labelled sets) beside the repository")]
fn counter_urdu_accuracy() {
    // Batch only: the stream scores F1 0.749 here (0.054 under the batch),
    // an open gap of the accuracy work (issue 17).
    if let Some(f1) = run_with("counter-urdu", false) {
        assert!(f1 >= 0.78, "counter-urdu pairwise F1 {f1:.3} < 0.78");
    }
}

#[test]
#[cfg_attr(not(shared_data), ignore = "needs ../shared/data (the labelled sets) beside the repository")]
fn sg_mmds_accuracy() {
    // Batch only: in the stream the two seeds do not come out alone here,
    // an open gap of the accuracy work (issue 17).
    if let Some(f1) = run_with("sg-mmds", false) {
        assert!(f1 >= 0.62, "sg-mmds pairwise F1 {f1:.3} < 0.62");
    }
}

/// The generated copy-level set (undated pages, second stories in the set,
/// same-kind negatives) as a regression set: both levels above their floors.
#[test]
#[cfg_attr(not(shared_data), ignore = "needs ../shared/data (the labelled sets) beside the repository")]
fn copy_level_set() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_copyset")).output().expect("run copyset");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    eprintln!("{text}");
    let f1 = |level: &str| -> f64 {
        let line = text.lines().find(|l| l.starts_with(level)).unwrap_or_else(|| panic!("no {level} line in {text}"));
        let at = line.find(" F1 ").expect("an F1") + 4;
        line[at..].split_whitespace().next().unwrap().parse().unwrap()
    };
    let (story, copy) = (f1("story level:"), f1("copy level:"));
    assert!(story >= 0.80, "copy-level set, story level F1 {story:.3} < 0.80");
    assert!(copy >= 0.94, "copy-level set, copy level F1 {copy:.3} < 0.94");
}
