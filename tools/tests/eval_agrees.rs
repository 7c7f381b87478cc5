//! `samestory_tools::eval` must agree with the reference scorer (`score.py` in the
//! shared eval directory next to the crate) on random and edge-case
//! labellings. Skipped (passes with a note) when the scorer or `python3` is
//! not available.

use std::fmt::Write as _;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::Command;

use samestory_tools::eval::{Scores, score};
use serde_json::{Value, json};

const SCORER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/eval/score.py");
const TOL: f64 = 1e-9;

/// Deterministic 64-bit LCG (Knuth's MMIX constants), high bits out.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// Uniform-ish in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            v.swap(i, self.below(i + 1));
        }
    }
}

/// An id or label as written to JSON: a number or a string. The scorer
/// reads both with `str()`, so `3` and `"3"` are the same; in Rust both are
/// the string `"3"`.
#[derive(Clone)]
enum Val {
    Int(u64),
    Str(String),
}

impl Val {
    fn json(&self) -> Value {
        match self {
            Val::Int(i) => json!(i),
            Val::Str(s) => json!(s),
        }
    }

    fn as_rust(&self) -> String {
        match self {
            Val::Int(i) => i.to_string(),
            Val::Str(s) => s.clone(),
        }
    }
}

/// A label numbered `k`, randomly spelled as a JSON number or string.
fn label(rng: &mut Lcg, k: usize) -> Val {
    if rng.chance(50) { Val::Int(k as u64) } else { Val::Str(k.to_string()) }
}

/// Id of gold document `i`: a number or a string, never colliding.
fn doc_id(rng: &mut Lcg, i: usize) -> Val {
    if rng.chance(30) { Val::Int(i as u64) } else { Val::Str(format!("doc-{i}")) }
}

struct Case {
    name: String,
    gold: Vec<(Val, Val)>,
    pred: Vec<(Val, Val)>,
}

fn case_from(rng: &mut Lcg, name: &str, gold_labels: &[usize], pred_labels: &[Option<usize>], extra: usize) -> Case {
    let ids: Vec<Val> = (0..gold_labels.len()).map(|i| doc_id(rng, i)).collect();
    let gold = ids.iter().zip(gold_labels).map(|(id, &g)| (id.clone(), label(rng, g))).collect();
    let mut pred: Vec<(Val, Val)> =
        ids.iter().zip(pred_labels).filter_map(|(id, p)| p.map(|p| (id.clone(), label(rng, p)))).collect();
    for j in 0..extra {
        let id = if rng.chance(50) { Val::Int(1_000_000 + j as u64) } else { Val::Str(format!("extra-{j}")) };
        let l = rng.below(4);
        pred.push((id, label(rng, l)));
    }
    rng.shuffle(&mut pred);
    Case { name: name.to_owned(), gold, pred }
}

fn cases() -> Vec<Case> {
    let mut rng = Lcg(0x5a4e_5702_7e11_0001);
    let mut out = Vec::new();

    // Edge cases.
    let n = 12;
    let singles: Vec<usize> = (0..n).collect();
    let one = vec![0; n];
    let mixed: Vec<usize> = (0..n).map(|i| i / 3).collect();
    let some = |v: &[usize]| v.iter().map(|&x| Some(x)).collect::<Vec<_>>();
    out.push(case_from(&mut rng, "empty", &[], &[], 0));
    out.push(case_from(&mut rng, "empty gold, extra prediction", &[], &[], 3));
    out.push(case_from(&mut rng, "single document", &[0], &[Some(4)], 0));
    out.push(case_from(&mut rng, "both all singletons", &singles, &some(&singles), 0));
    out.push(case_from(&mut rng, "both one cluster", &one, &some(&one), 0));
    out.push(case_from(&mut rng, "singletons vs one cluster", &singles, &some(&one), 0));
    out.push(case_from(&mut rng, "one cluster vs singletons", &one, &some(&singles), 0));
    out.push(case_from(&mut rng, "perfect", &mixed, &some(&mixed), 0));
    out.push(case_from(&mut rng, "all missing", &mixed, &vec![None; n], 0));
    let half_missing: Vec<Option<usize>> = mixed.iter().enumerate().map(|(i, &g)| (i % 2 == 0).then_some(g)).collect();
    out.push(case_from(&mut rng, "half missing", &mixed, &half_missing, 0));
    out.push(case_from(&mut rng, "extra ids", &mixed, &some(&mixed), 5));
    out.push(case_from(&mut rng, "missing and extra", &one, &half_missing, 4));

    // Non-ASCII string labels on both sides (same partition).
    let mut c = case_from(&mut rng, "unicode labels", &mixed, &some(&mixed), 0);
    for (_, l) in c.gold.iter_mut().chain(c.pred.iter_mut()) {
        *l = Val::Str(format!("grüße-{}", l.as_rust()));
    }
    out.push(c);

    // Random labellings: a noisy copy of gold, with missing and extra ids.
    for r in 0..20 {
        let n = 1 + rng.below(60);
        let k = 1 + rng.below(n);
        let gold: Vec<usize> = (0..n).map(|_| rng.below(k)).collect();
        let noise = rng.below(101);
        let missing = [0, 0, 10, 40][rng.below(4)];
        let kp = 1 + rng.below(n);
        let pred: Vec<Option<usize>> = gold
            .iter()
            .map(|&g| {
                if rng.chance(missing) {
                    None
                } else if rng.chance(noise) {
                    Some(rng.below(kp))
                } else {
                    Some(g)
                }
            })
            .collect();
        let extra = if rng.chance(30) { rng.below(6) } else { 0 };
        out.push(case_from(&mut rng, &format!("random {r}"), &gold, &pred, extra));
    }
    out
}

/// A temporary directory removed on drop (also when a test panics).
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!("samestory-eval-agrees-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn write_jsonl(path: &Path, rows: &[(Val, Val)]) {
    let mut s = String::new();
    for (id, cl) in rows {
        let obj = json!({"id": id.json(), "cluster": cl.json()});
        writeln!(s, "{obj}").expect("write to string");
    }
    std::fs::write(path, s).expect("write jsonl");
}

fn python_scores(gold: &Path, pred: &Path) -> Value {
    let out = Command::new("python3").arg(SCORER).arg(gold).arg(pred).arg("--quiet").output().expect("run python3");
    assert!(out.status.success(), "score.py failed: {}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).expect("utf-8 stdout");
    let last = stdout.lines().rev().find(|l| !l.trim().is_empty()).expect("score.py printed nothing");
    serde_json::from_str(last).expect("score.py JSON line")
}

const FLOAT_KEYS: [&str; 7] =
    ["pair_precision", "pair_recall", "pair_f1", "ari", "bcubed_precision", "bcubed_recall", "bcubed_f1"];
const INT_KEYS: [&str; 8] = [
    "n_docs",
    "n_gold_clusters",
    "n_pred_clusters",
    "gold_pairs",
    "pred_pairs",
    "tp_pairs",
    "missing_in_pred",
    "extra_in_pred",
];

fn rust_value(s: &Scores, key: &str) -> f64 {
    match key {
        "pair_precision" => s.precision,
        "pair_recall" => s.recall,
        "pair_f1" => s.f1,
        "ari" => s.ari,
        "bcubed_precision" => s.bcubed_precision,
        "bcubed_recall" => s.bcubed_recall,
        "bcubed_f1" => s.bcubed_f1,
        _ => unreachable!("{key}"),
    }
}

fn rust_count(s: &Scores, key: &str) -> u64 {
    match key {
        "n_docs" => s.docs as u64,
        "n_gold_clusters" => s.gold_clusters as u64,
        "n_pred_clusters" => s.predicted_clusters as u64,
        "gold_pairs" => s.gold_pairs,
        "pred_pairs" => s.predicted_pairs,
        "tp_pairs" => s.true_pairs,
        "missing_in_pred" => s.missing_in_prediction as u64,
        "extra_in_pred" => s.extra_in_prediction as u64,
        _ => unreachable!("{key}"),
    }
}

#[test]
#[cfg_attr(not(shared_scorer), ignore = "needs ../shared/eval/score.py (the reference scorer) beside the repository")]
fn agrees_with_reference_scorer() {
    if !Path::new(SCORER).is_file() {
        eprintln!("skipped: reference scorer {SCORER} not found");
        return;
    }
    match Command::new("python3").arg("--version").output() {
        Ok(o) if o.status.success() => {}
        Ok(_) => {
            eprintln!("skipped: python3 not usable");
            return;
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {
            eprintln!("skipped: python3 not found");
            return;
        }
        Err(e) => {
            eprintln!("skipped: python3 not runnable: {e}");
            return;
        }
    }

    let dir = TempDir::new();
    let cases = cases();
    assert!(cases.len() >= 30);
    for (i, case) in cases.iter().enumerate() {
        let gold_path = dir.0.join(format!("gold-{i}.jsonl"));
        let pred_path = dir.0.join(format!("pred-{i}.jsonl"));
        write_jsonl(&gold_path, &case.gold);
        write_jsonl(&pred_path, &case.pred);
        let py = python_scores(&gold_path, &pred_path);

        let gold: Vec<(String, String)> = case.gold.iter().map(|(id, l)| (id.as_rust(), l.as_rust())).collect();
        let pred: Vec<(String, String)> = case.pred.iter().map(|(id, l)| (id.as_rust(), l.as_rust())).collect();
        let rs = score(
            gold.iter().map(|(a, b)| (a.as_str(), b.as_str())),
            pred.iter().map(|(a, b)| (a.as_str(), b.as_str())),
        )
        .expect("no duplicate ids");

        let name = &case.name;
        for key in FLOAT_KEYS {
            let want = py[key].as_f64().unwrap_or_else(|| panic!("{name}: no {key}"));
            let got = rust_value(&rs, key);
            assert!((got - want).abs() <= TOL, "{name}: {key}: rust {got} vs reference {want}");
        }
        for key in INT_KEYS {
            let want = py[key].as_u64().unwrap_or_else(|| panic!("{name}: no {key}"));
            assert_eq!(rust_count(&rs, key), want, "{name}: {key}");
        }

        // to_json has exactly the reference keys, with the same values.
        let ours: Value = serde_json::from_str(&rs.to_json()).expect("to_json is JSON");
        let (ours, theirs) = (ours.as_object().unwrap(), py.as_object().unwrap());
        assert_eq!(ours.keys().collect::<Vec<_>>(), theirs.keys().collect::<Vec<_>>(), "{name}: JSON keys");
        for (k, v) in theirs {
            let (a, b) = (ours[k].as_f64().unwrap(), v.as_f64().unwrap());
            assert!((a - b).abs() <= TOL, "{name}: to_json {k}: {a} vs {b}");
        }
    }
}
