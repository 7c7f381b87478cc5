//! End-to-end benchmark of the default pipeline on a generated corpus.
//!
//! ```text
//! cargo run --release -p samestory-tools --bin bench_corpus -- [--docs N] [--seed S] [--input FILE.jsonl] [--threads T]
//!                                                             [--write FILE.jsonl]   (write the generated corpus and stop)
//! ```
//!
//! Generates a deterministic corpus of news-sized documents (~2.5 KB, ~400
//! words from a Zipf-distributed vocabulary of 60,000 made-up words with
//! capitalized names and numbers, dated over two years) in which about 30 %
//! of documents belong to planted near-duplicate groups of 2–5 (word
//! substitutions, a dropped or moved sentence, site chrome added), and 30 %
//! of the rest carry shared chrome too. Or reads a JSONL file (`--input`).
//! Runs the whole default pipeline — reading JSONL and statistics, features,
//! candidates, scoring, clustering, writing one `{"id","cluster"}` line per
//! document to a buffer — and prints the time of each stage, docs/s, MB/s,
//! the candidate pairs and stories, peak RSS, bytes per document, and the
//! recall of the planted pairs.
//!
//! The generated corpus is serialized, parsed, learned and kept in memory,
//! then run through the library's public stages (`Detector::stages`):
//! `learn`, `features`, then `cluster_features` as one timed stage
//! (duplicates, candidates, scoring, clustering). A file (`--input`) is
//! clustered by `Detector::cluster_file`, timed end to end: it is read
//! once, learning keeps each document's tokens, not its text, and the
//! features are built from them.

use std::fmt::Write as _;
use std::io::BufRead as _;
use std::time::Instant;

use samestory::io::{ReadOptions, read_jsonl};
use samestory::{Date, Detector, Document};
use samestory_tools::output::push_label_line;
use samestory_tools::pipeline;
use samestory_tools::rng::{Rng as _, SplitMix64};
use samestory_tools::sys::{cpu_seconds, peak_rss_mb, rss_mb};

const SYLLABLES: [&str; 32] = [
    "ka", "lo", "mi", "ne", "ra", "to", "su", "ve", "di", "po", "an", "el", "or", "us", "ti", "ba", "ge", "fu", "ho",
    "ju", "ry", "se", "wa", "zo", "ch", "st", "tr", "pl", "gr", "nd", "th", "sh",
];

fn vocabulary(n: usize, rng: &mut SplitMix64) -> Vec<String> {
    (0..n)
        .map(|i| {
            let len = 1 + (i % 4) + rng.below(2);
            (0..len).map(|_| SYLLABLES[rng.below(SYLLABLES.len())]).collect::<String>()
        })
        .collect()
}

/// Zipf(1.0) sampler over ranks by inverse CDF on a precomputed table.
struct Zipf(Vec<f64>);
impl Zipf {
    fn new(n: usize) -> Zipf {
        let mut acc = 0.0;
        let cdf = (1..=n)
            .map(|r| {
                acc += 1.0 / r as f64;
                acc
            })
            .collect::<Vec<_>>();
        let total = acc;
        Zipf(cdf.into_iter().map(|c| c / total).collect())
    }
    fn sample(&self, rng: &mut SplitMix64) -> usize {
        let u = rng.unit();
        self.0.partition_point(|&c| c < u).min(self.0.len() - 1)
    }
}

const CHROME: [&str; 6] = [
    "Home | News | Sports | Weather | Subscribe",
    "Sign in to read more stories from our newsroom",
    "Advertisement",
    "Copyright 2024 Example Media Group. All rights reserved.",
    "Share this article on social media",
    "Related stories",
];

fn sentence(vocab: &[String], zipf: &Zipf, rng: &mut SplitMix64) -> String {
    let len = 10 + rng.below(16);
    let mut s = String::new();
    for i in 0..len {
        if i > 0 {
            s.push(' ');
        }
        let r = rng.unit();
        if r < 0.04 {
            let _ = write!(s, "{}", rng.below(2000));
        } else if r < 0.12 {
            // a name: a capitalized rarer word
            let w = &vocab[1000 + rng.below(vocab.len() - 1000)];
            let mut c = w.chars();
            if let Some(f) = c.next() {
                s.extend(f.to_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            let w = &vocab[zipf.sample(rng)];
            if i == 0 {
                let mut c = w.chars();
                if let Some(f) = c.next() {
                    s.extend(f.to_uppercase());
                    s.push_str(c.as_str());
                }
            } else {
                s.push_str(w);
            }
        }
    }
    s.push('.');
    s
}

fn article(vocab: &[String], zipf: &Zipf, rng: &mut SplitMix64) -> Vec<String> {
    let mut paras = Vec::new();
    let mut words = 0;
    while words < 400 {
        let mut p = String::new();
        for _ in 0..2 + rng.below(3) {
            let s = sentence(vocab, zipf, rng);
            words += s.split(' ').count();
            if !p.is_empty() {
                p.push(' ');
            }
            p.push_str(&s);
        }
        paras.push(p);
    }
    paras
}

fn edit(paras: &[String], vocab: &[String], rng: &mut SplitMix64) -> Vec<String> {
    let mut out: Vec<String> = paras
        .iter()
        .map(|p| {
            p.split(' ')
                .map(|w| if rng.unit() < 0.04 { vocab[rng.below(vocab.len())].clone() } else { w.to_string() })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    if out.len() > 3 && rng.unit() < 0.5 {
        let i = 1 + rng.below(out.len() - 2);
        out.remove(i);
    }
    if out.len() > 3 && rng.unit() < 0.3 {
        let i = rng.below(out.len());
        let p = out.remove(i);
        out.push(p);
    }
    out
}

fn with_chrome(paras: &[String], rng: &mut SplitMix64) -> String {
    let mut lines: Vec<&str> = Vec::new();
    let k = 2 + rng.below(3);
    lines.extend(CHROME[..k].iter());
    lines.extend(paras.iter().map(String::as_str));
    lines.extend(CHROME[k..].iter());
    lines.join("\n\n")
}

/// The corpus as JSONL, with the planted groups (positions) beside it.
fn generate(n: usize, seed: u64) -> (String, Vec<Vec<usize>>) {
    let mut rng = SplitMix64(seed);
    let vocab = vocabulary(60_000, &mut rng);
    let zipf = Zipf::new(vocab.len());
    let mut jsonl = String::with_capacity(n * 2800);
    let mut groups = Vec::new();
    let mut i = 0;
    let base = Date::parse("2023-01-01").map(Date::days).unwrap_or(0);
    while i < n {
        let paras = article(&vocab, &zipf, &mut rng);
        let day = base + rng.below(730) as i32;
        let size = if rng.unit() < 0.13 { (2 + rng.below(4)).min(n - i) } else { 1 };
        let mut group = Vec::new();
        for k in 0..size {
            let body = if k == 0 { paras.clone() } else { edit(&paras, &vocab, &mut rng) };
            let text = if k > 0 || rng.unit() < 0.3 { with_chrome(&body, &mut rng) } else { body.join("\n\n") };
            let date = Date::from_days(day + rng.below(3) as i32);
            let doc = serde_json::json!({"id": format!("d{i}"), "text": text, "date": date.to_string()});
            jsonl.push_str(&doc.to_string());
            jsonl.push('\n');
            group.push(i);
            i += 1;
        }
        if group.len() > 1 {
            groups.push(group);
        }
    }
    (jsonl, groups)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut n, mut seed, mut input, mut threads) = (10_000usize, 42u64, None::<String>, None::<usize>);
    let mut write: Option<String> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--docs" => n = args.next().and_then(|v| v.replace('_', "").parse().ok()).unwrap_or(n),
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).unwrap_or(seed),
            "--input" => input = args.next(),
            "--write" => write = args.next(),
            "--threads" => threads = args.next().and_then(|v| v.parse().ok()),
            other => {
                eprintln!("unknown argument {other}");
                std::process::exit(2);
            }
        }
    }
    if let Some(t) = threads {
        rayon::ThreadPoolBuilder::new().num_threads(t).build_global().ok();
    }
    let t0 = Instant::now();
    let (jsonl, groups) = match &input {
        Some(path) => {
            // The file is read as a stream below, not held in memory here.
            let jsonl = String::new();
            // Planted groups written by --write, as document positions ("dN" is position N).
            let groups = std::fs::read_to_string(format!("{path}.groups"))
                .map(|t| {
                    t.lines()
                        .filter_map(|l| serde_json::from_str::<Vec<String>>(l).ok())
                        .map(|g| g.iter().filter_map(|id| id.strip_prefix('d')?.parse().ok()).collect())
                        .collect()
                })
                .unwrap_or_default();
            (jsonl, groups)
        }
        None => generate(n, seed),
    };
    let gen_s = t0.elapsed().as_secs_f64();
    if let Some(path) = &write {
        // The planted groups go beside the corpus, for recall checks of other tools.
        let mut truth = String::new();
        for g in &groups {
            let ids: Vec<String> = g.iter().map(|i| format!("\"d{i}\"")).collect();
            let _ = writeln!(truth, "[{}]", ids.join(","));
        }
        std::fs::write(path, &jsonl).unwrap_or_else(|e| panic!("{path}: {e}"));
        std::fs::write(format!("{path}.groups"), truth).unwrap_or_else(|e| panic!("{path}.groups: {e}"));
        println!("wrote {path} and {path}.groups");
        return;
    }
    let rss_before = peak_rss_mb().unwrap_or(0.0);
    let text_mb = match &input {
        Some(path) => std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / 1e6),
        None => jsonl.len() as f64 / 1e6,
    };

    let detector = Detector::new();
    let cpu_at = std::cell::Cell::new(cpu_seconds());
    let stage = |name: &str, t: Instant| {
        let s = t.elapsed().as_secs_f64();
        let cpu = cpu_seconds();
        println!(
            "  {name:<32} {s:>8.3} s   CPU {:>7.1} s   RSS now {:>6.0} MB, peak so far {:>6.0} MB",
            cpu - cpu_at.replace(cpu),
            rss_mb("VmRSS:").unwrap_or(0.0),
            rss_mb("VmHWM:").unwrap_or(0.0)
        );
        s
    };
    let t = Instant::now();
    // From a file, the text is never held: `Detector::cluster_file` reads it
    // once, keeping each document's tokens, not its text, and clusters it;
    // timed end to end. A generated corpus is in memory already: parsed and
    // learned, then its features and the rest of the pipeline
    // (`Stages::cluster_features`: duplicates, candidates, scoring, clustering).
    let (clustering, mut total, feature_bytes, held) = match &input {
        Some(path) => {
            let clustering =
                pipeline::cluster_file(&detector, path.as_ref(), ReadOptions::default()).expect("valid corpus");
            let total = stage("read + cluster_file", t);
            println!("{} documents, {text_mb:.1} MB of JSON Lines (generated in {gen_s:.1} s)", clustering.len());
            (clustering, total, None, Vec::new())
        }
        None => {
            let corpus =
                read_jsonl(jsonl.as_bytes(), "corpus.jsonl".as_ref(), ReadOptions::default()).expect("valid corpus");
            drop(jsonl);
            let mut stats = pipeline::learn(&detector, &corpus.docs).expect("valid corpus");
            let docs: Vec<Document> = corpus.docs;
            let text_bytes: usize = docs.iter().map(Document::size).sum();
            println!("{} documents, {:.1} MB of text (generated in {gen_s:.1} s)", docs.len(), text_bytes as f64 / 1e6);
            let mut total = stage("read + statistics", t);
            let t = Instant::now();
            // As `Detector::cluster` does: lines seen once cannot be boilerplate.
            stats.compact();
            total += stage("compact stats", t);
            let t = Instant::now();
            let feats = pipeline::features(&detector, &docs, &stats).expect("valid corpus");
            total += stage("features", t);
            // Measured between stages, its CPU time charged to none.
            let feature_bytes = pipeline::feature_bytes(&feats);
            cpu_at.set(cpu_seconds());
            // The statistics are not needed after the features (`Detector::cluster` frees them too).
            let corpus_docs = stats.docs();
            drop(stats);
            let t = Instant::now();
            let ids = docs.iter().map(|d| d.id.clone()).collect();
            let clustering = pipeline::cluster_features(&detector, ids, feats, corpus_docs).expect("valid corpus");
            total += stage("candidates + scoring + clustering", t);
            // The documents stay in memory to the end, as with `Detector::cluster`.
            (clustering, total, Some(feature_bytes), docs)
        }
    };
    let n = clustering.len();
    let t = Instant::now();
    let mut out = String::with_capacity(n * 24);
    for (id, &l) in clustering.ids().iter().zip(clustering.labels()) {
        push_label_line(&mut out, id, l);
    }
    total += stage("output", t);
    let n_pairs = pipeline::candidate_pairs(&clustering).count();
    println!(
        "total {total:.2} s: {:.0} docs/s, {:.1} MB/s; {} candidate pairs ({:.1} per document); {} stories",
        n as f64 / total,
        text_mb / total,
        n_pairs,
        n_pairs as f64 / n as f64,
        clustering.stories().count()
    );
    let rss = peak_rss_mb().unwrap_or(0.0);
    // The text size of a file (text and titles, as `Document::size` counts
    // them), read again line by line now that the memory is measured.
    let text_bytes = match &input {
        Some(path) => file_text_bytes(path),
        None => held.iter().map(Document::size).sum(),
    };
    drop(held);
    let features = match feature_bytes {
        Some(b) => format!("features {:.0} bytes/document as bytes", b as f64 / n as f64),
        None => "features not measured (built inside cluster_file)".to_string(),
    };
    println!(
        "peak RSS {rss:.0} MB ({:.0} MB before the pipeline, text {:.0} MB, {}); {features}; \
         peak RSS {:.0} bytes/document in all, {:.0} beyond the text",
        rss_before,
        text_bytes as f64 / 1e6,
        if input.is_some() { "read once from the file, never held" } else { "held in memory" },
        rss * 1_048_576.0 / n as f64,
        ((rss - text_bytes as f64 / 1e6 / 1.048_576) * 1_048_576.0 / n as f64).max(0.0)
    );
    if !groups.is_empty() {
        let (mut planted, mut found, mut candidate, mut above) = (0usize, 0usize, 0usize, 0usize);
        for g in &groups {
            for (k, &a) in g.iter().enumerate() {
                for &b in &g[k + 1..] {
                    let (a, b) = (a as u32, b as u32);
                    planted += 1;
                    found += usize::from(clustering.same_story(a, b));
                    if let Some(s) = clustering.scores(a, b) {
                        candidate += 1;
                        above += usize::from(f64::from(s.similarity) >= detector.params().story.threshold);
                    }
                }
            }
        }
        let f = |x: usize| x as f64 / planted as f64;
        println!(
            "planted near-duplicate pairs: {planted}; recall {:.4} (candidates {:.4}, similarity over the threshold {:.4})",
            f(found),
            f(candidate),
            f(above)
        );
    }
    std::hint::black_box(out);
}

/// Bytes of text and titles in a JSON Lines file (`Document::size` of each
/// document), one line at a time.
fn file_text_bytes(path: &str) -> usize {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut total = 0;
    for line in std::io::BufReader::new(file).lines() {
        let line = line.unwrap_or_else(|e| panic!("{path}: {e}"));
        if line.trim().is_empty() {
            continue;
        }
        let corpus = read_jsonl(line.as_bytes(), path.as_ref(), ReadOptions::default()).expect("valid corpus");
        total += corpus.docs.iter().map(Document::size).sum::<usize>();
    }
    total
}
