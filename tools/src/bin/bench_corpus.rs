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
//! Runs the whole default pipeline — reading JSONL and statistics, features
//! (a file is read once, as `Detector::cluster_file` does: learning keeps
//! each document's tokens, not its text, and the features are built from
//! them; the generated corpus is serialized, parsed, learned and kept in
//! memory, as with `Detector::learn` then `Detector::features`), candidates, scoring,
//! clustering, writing one `{"id","cluster"}` line per document to a
//! buffer — and prints the time of each stage, docs/s, MB/s, peak RSS,
//! bytes per document, and the recall of the planted pairs.

use std::fmt::Write as _;
use std::time::Instant;

use samestory::io::{ReadOptions, read_jsonl};
use samestory::{Date, Detector, Document};
use samestory_tools::output::push_label_line;
use samestory_tools::pipeline::{self, LearnedFile};
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
            "  {name:<17} {s:>8.3} s   CPU {:>7.1} s   RSS now {:>6.0} MB, peak so far {:>6.0} MB",
            cpu - cpu_at.replace(cpu),
            rss_mb("VmRSS:").unwrap_or(0.0),
            rss_mb("VmHWM:").unwrap_or(0.0)
        );
        s
    };
    let t = Instant::now();
    // From a file, the text is never held: it is read once, its tokens kept
    // (`Detector::tokenize_file`, then `Detector::features_tokenized`, as
    // `Detector::cluster_file` does); a generated corpus is in memory
    // already: parsed, then learned.
    // `ids` from a file; the documents themselves when generated (their ids are read from them).
    let (ids, corpus_docs, text_bytes, feats, mut total, held) = match &input {
        Some(path) => {
            let mut file =
                pipeline::tokenize_file(&detector, path.as_ref(), ReadOptions::default()).expect("valid corpus");
            let text_bytes = file.text_bytes as usize;
            println!(
                "{} documents, {:.1} MB of text (generated in {gen_s:.1} s)",
                file.ids.len(),
                text_bytes as f64 / 1e6
            );
            let mut total = stage("read + statistics", t);
            println!(
                "  ({} MB of tokens kept, {:.0} bytes/document)",
                file.token_bytes() / 1_000_000,
                file.token_bytes() as f64 / file.ids.len().max(1) as f64
            );
            let t = Instant::now();
            file.stats.compact();
            total += stage("compact stats", t);
            println!("  ({} distinct terms)", file.stats.vocabulary());
            let t = Instant::now();
            let (feats, learned) = pipeline::features_tokenized(&detector, file);
            total += stage("features", t);
            // The statistics are not needed after the features (`Detector::cluster_file` frees them too).
            let LearnedFile { ids, stats, .. } = learned;
            (ids, stats.docs(), text_bytes, feats, total, Vec::new())
        }
        None => {
            let corpus =
                read_jsonl(jsonl.as_bytes(), "corpus.jsonl".as_ref(), ReadOptions::default()).expect("valid corpus");
            drop(jsonl);
            let mut stats = pipeline::learn(&detector, &corpus.docs);
            let docs: Vec<Document> = corpus.docs;
            let text_bytes: usize = docs.iter().map(Document::size).sum();
            println!("{} documents, {:.1} MB of text (generated in {gen_s:.1} s)", docs.len(), text_bytes as f64 / 1e6);
            let mut total = stage("read + statistics", t);
            let t = Instant::now();
            // As `Detector::cluster` does: lines seen once cannot be boilerplate.
            stats.compact();
            total += stage("compact stats", t);
            let t = Instant::now();
            let feats = pipeline::features(&detector, &docs, &stats);
            total += stage("features", t);
            // The documents stay in memory to the end, as with `Detector::cluster`.
            (Vec::new(), stats.docs(), text_bytes, feats, total, docs)
        }
    };
    let id_list: Vec<&str> = if held.is_empty() {
        ids.iter().map(String::as_str).collect()
    } else {
        held.iter().map(|d| d.id.as_str()).collect()
    };
    let n = id_list.len();
    let t = Instant::now();
    let (mut feats, dups) = pipeline::collapse_duplicates(&detector, feats);
    total += stage("duplicates", t);
    let t = Instant::now();
    let pairs = pipeline::candidate_pairs(&detector, &feats, corpus_docs);
    total += stage("candidates", t);
    let t = Instant::now();
    let mut scored = pipeline::score_pairs(&detector, &feats, &pairs);
    drop(pairs);
    pipeline::inherit_dates(&detector, &mut feats, &mut scored);
    total += stage("scoring", t);
    let feature_bytes = pipeline::feature_bytes(&feats);
    let n_pairs = scored.len();
    let t = Instant::now();
    let clustering = pipeline::cluster_collapsed(&detector, &dups, feats, scored);
    total += stage("clustering", t);
    let t = Instant::now();
    let mut out = String::with_capacity(n * 24);
    for (id, &l) in id_list.iter().zip(clustering.labels()) {
        push_label_line(&mut out, id, l);
    }
    total += stage("output", t);
    println!(
        "total {total:.2} s: {:.0} docs/s, {:.1} MB/s; {} candidate pairs ({:.1} per document); {} stories",
        n as f64 / total,
        text_mb / total,
        n_pairs,
        n_pairs as f64 / n as f64,
        clustering.stories().count()
    );
    let rss = peak_rss_mb().unwrap_or(0.0);
    println!(
        "peak RSS {rss:.0} MB ({:.0} MB before the pipeline, text {:.0} MB, {}); features {:.0} bytes/document; \
         peak RSS {:.0} bytes/document in all, {:.0} beyond the text",
        rss_before,
        text_bytes as f64 / 1e6,
        if input.is_some() { "read once from the file, never held" } else { "held in memory" },
        feature_bytes as f64 / n as f64,
        rss * 1_048_576.0 / n as f64,
        ((rss - text_bytes as f64 / 1e6 / 1.048_576) * 1_048_576.0 / n as f64).max(0.0)
    );
    if !groups.is_empty() {
        let (mut planted, mut found, mut candidate, mut above) = (0usize, 0usize, 0usize, 0usize);
        for g in &groups {
            for (k, &a) in g.iter().enumerate() {
                for &b in &g[k + 1..] {
                    planted += 1;
                    found += usize::from(clustering.same_story(a, b));
                    if let Some(s) = clustering.scores(a, b) {
                        candidate += 1;
                        above += usize::from(f64::from(s.similarity) >= detector.story_threshold());
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
