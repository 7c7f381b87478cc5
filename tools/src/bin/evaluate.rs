//! Evaluate story clustering against gold labels.
//!
//! ```text
//! cargo run --release -p samestory-tools --bin evaluate -- GOLD.jsonl [--mix-seeds] [--sweep] [--threshold T]
//!                                                         [--no-dates] [--linkage average|single] [--pred OUT.jsonl]
//!                                                         [--set PARAM=VALUE ...] [--stream] [--dump-pairs OUT.tsv]
//! ```
//!
//! GOLD is JSON Lines with `id`, `cluster`, `text` and optional `title`,
//! `date`, `source`. Only `text`, `title`, `date` and `source` reach the
//! detector (`id` is used only to report); `cluster` and any other field
//! (`topic`, `event`) are read here for scoring only. Prints pairwise
//! precision/recall/F1, ARI and B-cubed F1 (the reference scorer's
//! definitions, `samestory_tools::eval`), and documents per second.
//!
//! `--mix-seeds` adds the two seed reports (scored separately: they must form
//! one cluster holding exactly the two of them). `--sweep` reports the
//! metrics over a range of story thresholds from one scoring pass.
//! `--stream` also adds the documents one at a time in date order (the given
//! date, else the one found in the text; undated documents last, each group
//! in input order) to a `Tracker` and reports its stories against the
//! gold labels and against the batch clusters, with the latency of `add`.
//!
//! `--set NAME=VALUE` sets any parameter by its builder setter's name
//! (`Params::set`, names in `Params::NAMES`; `none` for an optional value,
//! `RATIO,MIN_SIZE` for `cohesion_guard`), after `--threshold`, `--linkage`
//! and `--no-dates`; `cohesion_ratio` and `cohesion_min_size` set one half
//! of the cohesion guard. An unknown name is an error naming it.
//! `--dump-pairs` writes the candidate pairs scored (ids, similarity,
//! cosine, Jaccard, containment, SimHash distance, days apart, copy), one a
//! line; exact duplicates paired with their representatives are left out.
//!
//! `--first-sentence` keeps only each text's first sentence and drops the
//! title, as a snippet feed would give them (the seeds stay whole).
//!
//! When every gold record has a `copy` label, the predicted copy groups
//! (`Clustering::copy_labels`) are scored against them ("copy level").
//! With COUNTER's `role` and `reuse` fields, the share of derived texts of
//! each grade (WD, PD, ND) put in their source's copy group is printed.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use samestory::io::{ReadOptions, read_path};
use samestory::{CohesionGuard, Detector, Document, Linkage, Params, Tracker};
use samestory_tools::eval::{Scores, score_labels};
use samestory_tools::output::push_label_line;
use samestory_tools::{out, pipeline, seeds};

/// The metrics line shared by batch, sweep and stream reports.
fn metrics(s: &Scores) -> String {
    format!(
        "pairwise P {:.3} R {:.3} F1 {:.3} | ARI {:.3} | B-cubed F1 {:.3} | clusters {}",
        s.precision, s.recall, s.f1, s.ari, s.bcubed_f1, s.predicted_clusters
    )
}

/// The first sentence of a text: up to the first `.`, `!` or `?` followed by
/// a space (or the first line break), trimmed; a snippet feed's input.
fn first_sentence_of(text: &str) -> &str {
    let text = text.trim_start();
    let b = text.as_bytes();
    let end = (0..b.len())
        .find(|&i| {
            b[i] == b'\n'
                || (matches!(b[i], b'.' | b'!' | b'?') && b.get(i + 1).is_none_or(|c| c.is_ascii_whitespace()))
        })
        .map_or(text.len(), |i| if b[i] == b'\n' { i } else { i + 1 });
    text[..end].trim()
}

/// What the gold file says of one document (read here only, never passed to the detector).
#[derive(Clone, Default)]
struct Gold {
    /// The story (event) label.
    cluster: String,
    /// The copy-group label, when the set has one (`copy`).
    copy: Option<String>,
    /// COUNTER: `source` (the agency story) or `derived`.
    role: Option<String>,
    /// COUNTER: the copy grade of a derived text, WD / PD / ND.
    reuse: Option<String>,
}

fn gold_labels(path: &PathBuf, ids: &[String]) -> Result<Vec<Gold>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut by_id = std::collections::HashMap::new();
    let label = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Null => None,
        other => Some(other.to_string()),
    };
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
        let id = label(&v["id"]).unwrap_or_else(|| (n + 1).to_string());
        let cluster =
            label(&v["cluster"]).ok_or_else(|| format!("{}:{}: no `cluster` label", path.display(), n + 1))?;
        by_id.insert(id, Gold { cluster, copy: label(&v["copy"]), role: label(&v["role"]), reuse: label(&v["reuse"]) });
    }
    ids.iter().map(|id| by_id.get(id).cloned().ok_or_else(|| format!("no gold label for {id:?}"))).collect()
}

/// Copy-level scores when every document has a gold `copy` label: the
/// predicted copy groups against them.
fn copy_level(gold: &[Gold], copy_labels: &[u32]) -> Result<Option<Scores>, String> {
    let Some(labels) = gold.iter().map(|g| g.copy.clone()).collect::<Option<Vec<String>>>() else {
        return Ok(None);
    };
    score_labels(&labels, &copy_labels[..gold.len()]).map(Some).map_err(|e| e.to_string())
}

/// COUNTER's grades: for each derived text, was it put in its source's copy
/// group? The share called copies, per grade (WD, PD, ND), with counts.
fn copy_grades(gold: &[Gold], copy_labels: &[u32]) -> Vec<(String, usize, usize)> {
    let mut source_of = std::collections::HashMap::new();
    for (i, g) in gold.iter().enumerate() {
        if g.role.as_deref() == Some("source") {
            source_of.insert(g.cluster.clone(), i);
        }
    }
    let mut out: Vec<(String, usize, usize)> = Vec::new();
    for grade in ["WD", "PD", "ND"] {
        let (mut called, mut total) = (0, 0);
        for (i, g) in gold.iter().enumerate() {
            if g.reuse.as_deref() != Some(grade) {
                continue;
            }
            if let Some(&src) = source_of.get(&g.cluster) {
                total += 1;
                called += usize::from(copy_labels[i] == copy_labels[src]);
            }
        }
        if total > 0 {
            out.push((grade.to_string(), called, total));
        }
    }
    out
}

/// Sets one parameter by its builder setter's name ([`Params::set`], every
/// parameter), or one half of the cohesion guard: `cohesion_ratio` and
/// `cohesion_min_size` keep the other half (the default's when the guard is off).
fn set_param(params: &mut Params, name: &str, value: &str) -> Result<(), String> {
    let guard = params.story.cohesion_guard.unwrap_or_default();
    let g = match name {
        "cohesion_ratio" => {
            CohesionGuard { ratio: value.parse().map_err(|_| format!("{value:?} is not a number"))?, ..guard }
        }
        "cohesion_min_size" => {
            CohesionGuard { min_size: value.parse().map_err(|_| format!("{value:?} is not a count"))?, ..guard }
        }
        _ => return params.set(name, value).map_err(|e| e.to_string()),
    };
    params.story.cohesion_guard = Some(g);
    Ok(())
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let mut sets: Vec<String> = Vec::new();
    let mut dump: Option<PathBuf> = None;
    let (mut mix, mut sweep, mut no_dates, mut threshold, mut linkage, mut pred) =
        (false, false, false, None, Linkage::Average, None);
    let (mut stream, mut first_sentence) = (false, false);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--first-sentence" => first_sentence = true,
            "--mix-seeds" => mix = true,
            "--sweep" => sweep = true,
            "--stream" => stream = true,
            "--no-dates" => no_dates = true,
            "--threshold" => {
                threshold = Some(args.next().and_then(|v| v.parse::<f64>().ok()).ok_or("--threshold needs a number")?)
            }
            "--linkage" => {
                linkage = match args.next().as_deref() {
                    Some("average") => Linkage::Average,
                    Some("single") => Linkage::Single,
                    other => return Err(format!("--linkage takes average or single, got {other:?}")),
                }
            }
            "--set" => sets.push(args.next().ok_or("--set needs name=value")?),
            "--dump-pairs" => dump = Some(PathBuf::from(args.next().ok_or("--dump-pairs needs a path")?)),
            "--pred" => pred = Some(PathBuf::from(args.next().ok_or("--pred needs a path")?)),
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            s => path = Some(PathBuf::from(s)),
        }
    }
    let path = path.ok_or("usage: evaluate GOLD.jsonl [--mix-seeds] [--sweep] [--threshold T] [--no-dates]")?;
    let corpus = read_path(&path, ReadOptions::default()).map_err(|e| e.to_string())?;
    let ids: Vec<String> = corpus.docs.iter().map(|d| d.id.clone()).collect();
    let gold_all = gold_labels(&path, &ids)?;
    let gold: Vec<String> = gold_all.iter().map(|g| g.cluster.clone()).collect();
    // Only the permitted fields reach the detector: the reader keeps text,
    // title, date and source; the id is replaced by its position.
    let mut docs: Vec<Document> =
        corpus.docs.into_iter().enumerate().map(|(i, d)| Document { id: i.to_string(), ..d }).collect();
    if first_sentence {
        for d in &mut docs {
            d.text = first_sentence_of(&d.text).to_string();
            d.title = None;
        }
    }
    let n_gold = docs.len();
    if mix {
        docs.extend(seeds::documents());
    }
    let mut params = Params::default();
    params.story.linkage = linkage;
    if let Some(t) = threshold {
        params.story.threshold = t;
    }
    if no_dates {
        params.dates.window_days = None;
    }
    for kv in &sets {
        let (k, v) = kv.split_once('=').ok_or_else(|| format!("--set {kv}: expected name=value"))?;
        set_param(&mut params, k, v).map_err(|e| format!("--set {kv}: {e}"))?;
    }
    let detector = Detector::builder().params(params).build().map_err(|e| e.to_string())?;
    let (linkage, threshold) = (detector.params().story.linkage, detector.params().story.threshold);
    let start = Instant::now();
    let (clustering, candidates) = pipeline::cluster_in_stages(&detector, &docs).map_err(|e| e.to_string())?;
    let secs = start.elapsed().as_secs_f64();
    let n = docs.len();
    let all_pairs = n as f64 * (n as f64 - 1.0) / 2.0;
    let report = |labels: &[u32], t: f64| -> Result<f64, String> {
        let s = score_labels(&gold, &labels[..n_gold]).map_err(|e| e.to_string())?;
        out!("threshold {t:.3}: {}", metrics(&s));
        Ok(s.f1)
    };
    out!(
        "{}: {} documents{}, {} candidate pairs ({:.2} % of all pairs), {:.2} s, {:.0} docs/s",
        path.display(),
        n_gold,
        if mix { " + 2 seeds" } else { "" },
        candidates,
        100.0 * candidates as f64 / all_pairs.max(1.0),
        secs,
        n as f64 / secs
    );
    report(clustering.labels(), threshold)?;
    let s = score_labels(&gold, &clustering.labels()[..n_gold]).map_err(|e| e.to_string())?;
    out!("{}", s.to_json());
    if let Some(c) = copy_level(&gold_all, clustering.copy_labels())? {
        out!("copy level: {}", metrics(&c));
    }
    let grades = copy_grades(&gold_all, clustering.copy_labels());
    if !grades.is_empty() {
        let shown: Vec<String> = grades
            .iter()
            .map(|(g, called, total)| format!("{g} {:.3} ({called}/{total})", *called as f64 / *total as f64))
            .collect();
        out!("copy grades (derived text in its source's copy group): {}", shown.join(" | "));
    }
    if mix {
        let labels = clustering.labels();
        let (a, b) = (labels[n_gold], labels[n_gold + 1]);
        let size = labels.iter().filter(|&&l| l == a).count();
        let ok = a == b && size == 2;
        out!(
            "seeds: {} (cluster of seed 0 has {size} members; pair similarity {:.3})",
            if ok { "grouped, alone" } else { "NOT grouped alone" },
            clustering.scores(n_gold as u32, n_gold as u32 + 1).map_or(0.0, |s| s.similarity)
        );
    }
    if let Some(out) = pred {
        let mut text = String::new();
        for (id, &l) in ids.iter().zip(clustering.labels()) {
            push_label_line(&mut text, id, l);
        }
        std::fs::write(&out, text).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    if let Some(out) = dump {
        let mut text = String::new();
        // The candidate pairs, as before the exact duplicates were listed with their representatives.
        for p in pipeline::candidate_pairs(&clustering) {
            let (a, b) = (p.a as usize, p.b as usize);
            let name = |i: usize| if i < n_gold { ids[i].clone() } else { format!("seed-{}", i - n_gold) };
            let s = &p.scores;
            text.push_str(&format!(
                "{}\t{}\t{:.4}\t{:.4}\t{:.4}\t{:.4}\t{}\t{}\t{}\n",
                name(a),
                name(b),
                s.similarity,
                s.cosine,
                s.jaccard,
                s.containment,
                s.simhash_distance,
                s.days_apart.map_or(-1, i64::from),
                s.copy
            ));
        }
        std::fs::write(&out, text).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    if stream {
        // Date order: given date, else found in the text; undated last; stable.
        let key = |d: &Document| d.date.or_else(|| samestory::text::find_date(&d.text));
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| match key(&docs[i]) {
            Some(d) => (0, d.days()),
            None => (1, 0),
        });
        let mut live = Tracker::new(detector.clone());
        let mut lat = Vec::with_capacity(n);
        let t0 = Instant::now();
        for &i in &order {
            let t = Instant::now();
            live.add(docs[i].clone()).map_err(|e| e.to_string())?;
            lat.push(t.elapsed().as_secs_f64());
        }
        let total = t0.elapsed().as_secs_f64();
        let labels: Vec<u64> = docs.iter().map(|d| live.story_of(&d.id).map_or(u64::MAX, |s| s.0)).collect();
        let s = score_labels(&gold, &labels[..n_gold]).map_err(|e| e.to_string())?;
        let agree = score_labels(clustering.labels(), &labels).map_err(|e| e.to_string())?;
        lat.sort_by(f64::total_cmp);
        let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)] * 1e6;
        out!("stream (date order): {}", metrics(&s));
        out!(
            "stream vs batch: pairwise F1 {:.3} (P {:.3} R {:.3} taking batch as truth) | ARI {:.3} | identical: {}",
            agree.f1,
            agree.precision,
            agree.recall,
            agree.ari,
            agree.ari >= 1.0 - 1e-12
        );
        out!(
            "stream adds: {:.0} docs/s, latency p50 {:.0} µs, p99 {:.0} µs, max {:.0} µs",
            n as f64 / total,
            pct(0.5),
            pct(0.99),
            lat[lat.len() - 1] * 1e6
        );
        if mix {
            let (a, b) = (labels[n_gold], labels[n_gold + 1]);
            let size = labels.iter().filter(|&&l| l == a).count();
            out!(
                "stream seeds: {} (story of seed 0 has {size} members)",
                if a == b && size == 2 { "grouped, alone" } else { "NOT grouped alone" }
            );
        }
    }
    if sweep {
        let mut best = (0.0, 0.0);
        for step in 0..=30 {
            let t = 0.10 + 0.02 * f64::from(step);
            let labels = clustering.labels_at(t, linkage).map_err(|e| e.to_string())?;
            let f1 = report(&labels, t)?;
            if f1 > best.0 {
                best = (f1, t);
            }
        }
        out!("best F1 {:.3} at threshold {:.2}", best.0, best.1);
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
