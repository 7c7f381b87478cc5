//! The copy-level core on one core, phase by phase, as the peers' runners
//! measure it: signatures from raw text (Unicode tokenizing, word 5-shingles,
//! MinHash-128), LSH build, all-pairs query, estimated-Jaccard filter, and
//! pairwise P/R/F1 against the planted clusters. Prints one JSON line.
//!
//! ```text
//! cargo run --release -p samestory-tools --bin bench_signatures -- CORPUS.jsonl [--bands 32] [--thr 0.5]
//!                                                                 [--kind oph|classic]
//! ```
//!
//! CORPUS is JSON Lines with `text` and `cluster` (null for singletons), as
//! written by the peers' corpus generator. One thread; times are wall clock
//! of the single thread (equal to its CPU time on an idle core).

use std::collections::HashMap;
use std::time::Instant;

use samestory::lsh::{BandIndex, LshParams, band_keys};
use samestory::minhash::{MinHashKind, MinHasher};
use samestory::shingle::{hash_tokens, shingle_hashes};
use samestory_tools::sys::cpu_seconds;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let (mut bands, mut thr, mut kind) = (32usize, 0.5f64, MinHashKind::OnePermutation);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--bands" => bands = args.next().and_then(|v| v.parse().ok()).unwrap_or(bands),
            "--thr" => thr = args.next().and_then(|v| v.parse().ok()).unwrap_or(thr),
            "--kind" => {
                kind = match args.next().as_deref() {
                    Some("classic") => MinHashKind::Classic,
                    _ => MinHashKind::OnePermutation,
                }
            }
            s => path = Some(s.to_string()),
        }
    }
    let Some(path) = path else {
        eprintln!("usage: bench_signatures CORPUS.jsonl [--bands 32] [--thr 0.5] [--kind oph|classic]");
        std::process::exit(2);
    };
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut texts = Vec::new();
    let mut clusters: Vec<Option<String>> = Vec::new();
    for line in raw.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("JSON line");
        texts.push(v["text"].as_str().unwrap_or_default().to_string());
        clusters.push(match &v["cluster"] {
            serde_json::Value::Null => None,
            c => Some(c.to_string()),
        });
    }
    let n = texts.len();
    let mb = texts.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    let (perm, seed, k) = (128usize, samestory::DEFAULT_SEED, 5usize);
    let hasher = MinHasher::with_kind(perm, seed, kind).expect("valid");

    let t = Instant::now();
    let cpu = cpu_seconds();
    let (mut toks, mut sh) = (Vec::new(), Vec::new());
    let sketches: Vec<_> = texts
        .iter()
        .map(|text| {
            toks.clear();
            hash_tokens(text, seed, &mut toks);
            sh.clear();
            shingle_hashes(&toks, k, seed, &mut sh);
            hasher.sketch(&sh)
        })
        .collect();
    let sign_s = t.elapsed().as_secs_f64();
    let sign_cpu_s = cpu_seconds() - cpu;

    let params = LshParams::new(bands, perm / bands).expect("valid");
    let t = Instant::now();
    let keys: Vec<Vec<u64>> = sketches.iter().map(|s| band_keys(s, params, seed).expect("slots")).collect();
    let mut index = BandIndex::new(bands);
    for (i, k) in keys.iter().enumerate() {
        index.insert(i as u32, k);
    }
    let build_s = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let mut cand: Vec<(u32, u32)> = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        cand.extend(index.query(k).into_iter().filter(|&j| j > i as u32).map(|j| (i as u32, j)));
    }
    let query_s = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let pred: Vec<(u32, u32)> = cand
        .iter()
        .copied()
        .filter(|&(a, b)| sketches[a as usize].estimate_jaccard(&sketches[b as usize]).is_ok_and(|j| j >= thr))
        .collect();
    let score_s = t.elapsed().as_secs_f64();

    let mut by_cluster: HashMap<&str, Vec<u32>> = HashMap::new();
    for (i, c) in clusters.iter().enumerate() {
        if let Some(c) = c {
            by_cluster.entry(c.as_str()).or_default().push(i as u32);
        }
    }
    let truth: usize = by_cluster.values().map(|m| m.len() * (m.len() - 1) / 2).sum();
    let tp = pred
        .iter()
        .filter(|&&(a, b)| clusters[a as usize].is_some() && clusters[a as usize] == clusters[b as usize])
        .count();
    let p = if pred.is_empty() { 1.0 } else { tp as f64 / pred.len() as f64 };
    let r = if truth == 0 { 1.0 } else { tp as f64 / truth as f64 };
    let f1 = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
    println!(
        "{}",
        serde_json::json!({
            "lib": "samestory", "kind": format!("{kind:?}"), "docs": n, "mb": mb,
            "sign_s": sign_s, "sign_cpu_s": sign_cpu_s, "sign_docs_per_s": n as f64 / sign_s, "sign_mb_per_s": mb / sign_s,
            "build_s": build_s, "query_s": query_s, "score_s": score_s,
            "candidates": cand.len(), "pred": pred.len(), "truth": truth, "tp": tp,
            "precision": p, "recall": r, "f1": f1,
        })
    );
}
