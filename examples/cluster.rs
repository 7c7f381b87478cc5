//! Cluster a corpus of news articles into stories.
//!
//! ```text
//! cargo run --release --example cluster -- [PATH] [--format text|jsonl|csv] [--skip-bad]
//!                                          [--threshold T] [--no-dates] [--explain ID_A ID_B]
//!                                          [--index FILE [--retention-days N]]
//! ```
//!
//! PATH is a JSON Lines file (`id`, `text`, optional `title`, `date`,
//! `source`; other fields ignored), a folder of `.txt` files (id = file name),
//! or `-` for JSON Lines on standard input. Without PATH it runs on the
//! embedded demo corpus: the two seed reports plus articles written for the demo.
//!
//! Output: readable clusters (default), or exactly one `{"id", "cluster"}`
//! line / CSV row per input document, in input order. A malformed JSONL line
//! stops the run with exit code 2 before anything is printed, naming the line;
//! `--skip-bad` skips and counts such lines instead. With `--format jsonl` or
//! `csv` and a file or folder PATH, only the ids are needed: the file is
//! clustered by `Detector::cluster_file`, which reads it once and keeps
//! each document's tokens, not its text.
//!
//! With `--index FILE` the run is incremental: the detector's state is
//! loaded from FILE when it exists (parameters included), each input
//! document is added in input order and its assignment printed (the story it
//! joined or started, stories it merged, its best match), and the state is
//! saved back to FILE atomically. So `cluster --index news.idx today.jsonl`
//! assigns today's articles to yesterday's stories. Documents already in the
//! index are reported and skipped; any other error stops the run before
//! saving, leaving FILE as it was. `--retention-days N` (new index only)
//! expires documents more than N days older than the newest date seen.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use samestory::io::{Corpus, ReadOptions, read_jsonl, read_path};
use samestory::{Clustering, Detector, Document, Tracker};

const DEMO_ARTICLES: &str = include_str!("../demo/articles.jsonl");
const SEEDS: [(&str, &str); 2] = [
    ("seeds/000_9a7db994ef940da5.txt", include_str!("../demo/seeds/000_9a7db994ef940da5.txt")),
    ("seeds/001_6a2f0ebee5de1c9f.txt", include_str!("../demo/seeds/001_6a2f0ebee5de1c9f.txt")),
];

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Text,
    Jsonl,
    Csv,
}

struct Args {
    path: Option<PathBuf>,
    format: Format,
    skip_bad: bool,
    threshold: Option<f64>,
    no_dates: bool,
    explain: Option<(String, String)>,
    index: Option<PathBuf>,
    retention_days: Option<u32>,
}

const USAGE: &str = "usage: cluster [PATH|-] [--format text|jsonl|csv] [--skip-bad] [--threshold T] [--no-dates] \
                     [--explain ID_A ID_B] [--index FILE [--retention-days N]]";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        path: None,
        format: Format::Text,
        skip_bad: false,
        threshold: None,
        no_dates: false,
        explain: None,
        index: None,
        retention_days: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--format" => {
                args.format = match it.next().as_deref() {
                    Some("text") => Format::Text,
                    Some("jsonl") => Format::Jsonl,
                    Some("csv") => Format::Csv,
                    other => return Err(format!("--format takes text, jsonl or csv, got {other:?}")),
                }
            }
            "--skip-bad" => args.skip_bad = true,
            "--no-dates" => args.no_dates = true,
            "--explain" => {
                let (a, b) = (it.next(), it.next());
                match (a, b) {
                    (Some(a), Some(b)) => args.explain = Some((a, b)),
                    _ => return Err("--explain needs two document ids".into()),
                }
            }
            "--threshold" => {
                let v = it.next().ok_or("--threshold needs a value")?;
                args.threshold = Some(v.parse().map_err(|_| format!("--threshold: {v:?} is not a number"))?);
            }
            "--index" => args.index = Some(PathBuf::from(it.next().ok_or("--index needs a file")?)),
            "--retention-days" => {
                let v = it.next().ok_or("--retention-days needs a value")?;
                args.retention_days =
                    Some(v.parse().map_err(|_| format!("--retention-days: {v:?} is not a whole number of days"))?);
            }
            "-h" | "--help" => return Err(USAGE.into()),
            s if s.starts_with("--") => return Err(format!("unknown option {s}\n{USAGE}")),
            s => {
                if args.path.is_some() {
                    return Err(format!("more than one PATH given\n{USAGE}"));
                }
                args.path = Some(PathBuf::from(s));
            }
        }
    }
    if args.index.is_some() && args.explain.is_some() {
        return Err("--explain works on a batch, not with --index".into());
    }
    if args.retention_days.is_some() && args.index.is_none() {
        return Err("--retention-days needs --index".into());
    }
    Ok(args)
}

fn demo_corpus() -> Result<Corpus, samestory::Error> {
    let mut corpus = Corpus::default();
    for (id, text) in SEEDS {
        corpus.docs.push(Document::new(id, text));
    }
    let articles = read_jsonl(DEMO_ARTICLES.as_bytes(), "demo/articles.jsonl".as_ref(), ReadOptions::default())?;
    corpus.docs.extend(articles.docs);
    Ok(corpus)
}

fn first_words(doc: &Document, n: usize) -> String {
    let src = doc.title.as_deref().filter(|t| !t.trim().is_empty()).unwrap_or(&doc.text);
    let words: Vec<&str> = src.split_whitespace().take(n).collect();
    let mut s = words.join(" ");
    if src.split_whitespace().count() > n {
        s.push_str(" …");
    }
    s
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

fn write_text(out: &mut impl Write, docs: &[Document], c: &Clustering) -> std::io::Result<()> {
    let mut stories: Vec<&[u32]> = c.stories().collect();
    stories.sort_by_key(|s| (std::cmp::Reverse(s.len()), s[0]));
    for (n, members) in stories.iter().enumerate() {
        writeln!(out, "story {} ({} documents)", n + 1, members.len())?;
        for &m in *members {
            let d = &docs[m as usize];
            let date = d.date.map(|d| format!(" [{d}]")).unwrap_or_default();
            writeln!(out, "  {}{}  {}", d.id, date, first_words(d, 12))?;
        }
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                if let Some(s) = c.scores(a, b) {
                    writeln!(
                        out,
                        "    {} ~ {}: similarity {:.2} (profile cosine {:.2}, shingle Jaccard {:.2}, containment {:.2}, SimHash distance {}{})",
                        docs[a as usize].id,
                        docs[b as usize].id,
                        s.similarity,
                        s.cosine,
                        s.jaccard,
                        s.containment,
                        s.simhash_distance,
                        if s.copy { ", copy" } else { "" }
                    )?;
                }
            }
        }
        writeln!(out)?;
    }
    let singles: Vec<&str> =
        c.clusters().iter().filter(|m| m.len() == 1).map(|m| docs[m[0] as usize].id.as_str()).collect();
    writeln!(out, "{} stories with 2+ documents; {} documents on their own:", stories.len(), singles.len())?;
    for s in singles {
        writeln!(out, "  {s}")?;
    }
    Ok(())
}

/// `--index`: load (or start) a state, add the documents, print each
/// assignment, save.
fn run_index(args: &Args, index: &std::path::Path, docs: &[Document]) -> ExitCode {
    let fail = |e: &dyn std::fmt::Display| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    };
    let mut tracker = if index.exists() {
        if args.threshold.is_some() || args.no_dates || args.retention_days.is_some() {
            return fail(&format!(
                "{}: the index keeps the parameters it was created with; --threshold, --no-dates and \
                 --retention-days only apply to a new index",
                index.display()
            ));
        }
        match Tracker::load(index) {
            Ok(t) => t,
            Err(e) => return fail(&e),
        }
    } else {
        let mut builder = Detector::builder();
        if let Some(t) = args.threshold {
            builder.story_threshold(t);
        }
        if args.no_dates {
            builder.date_window_days(None);
        }
        builder.retention_days(args.retention_days);
        match builder.build() {
            Ok(d) => Tracker::new(d),
            Err(e) => return fail(&e),
        }
    };
    let held_before = tracker.len();
    let start = Instant::now();
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let (mut added, mut known, mut expired, mut new_stories) = (0usize, 0usize, 0usize, 0usize);
    let mut lines: Vec<String> = Vec::with_capacity(docs.len());
    if args.format == Format::Csv {
        lines.push("id,story,new_story,merged,best_match,similarity".into());
    }
    for doc in docs {
        let id = doc.id.clone();
        if let Some(story) = tracker.story_of(&id) {
            known += 1;
            eprintln!("{id}: already in the index (story {story}); skipped");
            continue;
        }
        let a = match tracker.add(doc.clone()) {
            Ok(a) => a,
            Err(e) => {
                eprintln!("error: {e}");
                eprintln!("nothing saved: {} is unchanged", index.display());
                return ExitCode::from(2);
            }
        };
        added += 1;
        new_stories += usize::from(a.new_story);
        expired += a.expired.len();
        let best = a.matches.first();
        let merged: Vec<String> = a.merged.iter().map(|s| s.to_string()).collect();
        lines.push(match args.format {
            Format::Text => {
                format!(
                    "{id}  ->  story {}{}{}",
                    a.story,
                    if a.new_story { " (new)" } else { "" },
                    match best {
                        Some(m) => format!(
                            "  best match {} (similarity {:.2}{})",
                            m.id,
                            m.scores.similarity,
                            if m.scores.copy { ", copy" } else { "" }
                        ),
                        None => String::new(),
                    }
                ) + &if merged.is_empty() { String::new() } else { format!("  merged stories {}", merged.join(", ")) }
                    + &if a.split_off.is_empty() {
                        String::new()
                    } else {
                        let ids: Vec<String> = a.split_off.iter().map(|s| s.to_string()).collect();
                        format!("  split off stories {}", ids.join(", "))
                    }
            }
            Format::Jsonl => serde_json::json!({
                "id": id,
                "story": a.story.0,
                "new_story": a.new_story,
                "merged": a.merged.iter().map(|s| s.0).collect::<Vec<_>>(),
                "split_off": a.split_off.iter().map(|s| s.0).collect::<Vec<_>>(),
                "best_match": best.map(|m| m.id.clone()),
                "similarity": best.map(|m| (f64::from(m.scores.similarity) * 1e4).round() / 1e4),
            })
            .to_string(),
            Format::Csv => format!(
                "{},{},{},{},{},{}",
                csv_field(&id),
                a.story,
                a.new_story,
                merged.join(" "),
                best.map_or(String::new(), |m| csv_field(&m.id)),
                best.map_or(String::new(), |m| format!("{:.4}", m.scores.similarity))
            ),
        });
    }
    let secs = start.elapsed().as_secs_f64();
    if let Err(e) = tracker.save(index) {
        return fail(&e);
    }
    let written = lines.iter().try_for_each(|l| writeln!(out, "{l}")).and_then(|_| out.flush());
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error writing output: {e}");
        return ExitCode::from(1);
    }
    eprintln!(
        "{}: held {held_before} documents; added {added} ({new_stories} new stories), {known} already indexed, \
         {expired} expired; now {} documents in {} stories; saved{}",
        index.display(),
        tracker.len(),
        tracker.stories().count(),
        if added > 0 { format!(" ({:.0} docs/s)", added as f64 / secs.max(1e-9)) } else { String::new() }
    );
    ExitCode::SUCCESS
}

/// The detector the options ask for (batch modes).
fn build_detector(args: &Args) -> Result<Detector, samestory::Error> {
    let mut builder = Detector::builder();
    if let Some(t) = args.threshold {
        builder.story_threshold(t);
    }
    if args.no_dates {
        builder.date_window_days(None);
    }
    builder.build()
}

/// One `{"id","cluster"}` line or CSV row per document, in input order.
fn write_labels<'a>(
    out: &mut impl Write,
    format: Format,
    ids: impl Iterator<Item = &'a str>,
    clustering: &Clustering,
) -> std::io::Result<()> {
    if format == Format::Csv {
        writeln!(out, "id,cluster")?;
    }
    for (id, l) in ids.zip(clustering.labels()) {
        if format == Format::Csv {
            writeln!(out, "{},{l}", csv_field(id))?;
        } else {
            writeln!(out, "{{\"id\":{},\"cluster\":{l}}}", serde_json::Value::from(id))?;
        }
    }
    Ok(())
}

/// Writes the output; a closed pipe is not an error.
fn finish_output(out: &mut impl Write, result: std::io::Result<()>) -> Result<(), ExitCode> {
    match result.and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error writing output: {e}");
            Err(ExitCode::from(1))
        }
        _ => Ok(()),
    }
}

/// Lines skipped, and documents kept without an invalid optional field.
fn report_skipped(skipped: &[samestory::io::BadLine], warnings: &[samestory::io::BadLine]) {
    for bad in skipped {
        eprintln!("skipped line {}: {}", bad.line, bad.reason);
    }
    if !skipped.is_empty() {
        eprintln!("skipped {} bad line(s)", skipped.len());
    }
    for w in warnings {
        eprintln!("warning: line {}: {}", w.line, w.reason);
    }
}

/// Only ids are printed: the file is clustered by `Detector::cluster_file`,
/// without holding its text in memory.
fn run_file(args: &Args, path: &std::path::Path) -> ExitCode {
    let start = Instant::now();
    let clustering =
        match build_detector(args).and_then(|d| d.cluster_file(path, ReadOptions::with_skip_bad(args.skip_bad))) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        };
    let secs = start.elapsed().as_secs_f64();
    report_skipped(clustering.skipped(), clustering.warnings());
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = write_labels(&mut out, args.format, clustering.ids().iter().map(String::as_str), &clustering);
    if let Err(code) = finish_output(&mut out, result) {
        return code;
    }
    eprintln!(
        "{} documents, {} candidate pairs scored, {} clusters; read and clustered in {:.3} s ({:.0} docs/s)",
        clustering.len(),
        clustering.pairs().len(),
        clustering.clusters().len(),
        secs,
        clustering.len() as f64 / secs.max(1e-9)
    );
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if let Some(path) = &args.path
        && path.as_os_str() != "-"
        && args.format != Format::Text
        && args.explain.is_none()
        && args.index.is_none()
    {
        return run_file(&args, path);
    }
    let corpus = match &args.path {
        None => demo_corpus(),
        Some(p) => read_path(p, ReadOptions::with_skip_bad(args.skip_bad)),
    };
    let corpus = match corpus {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    report_skipped(&corpus.skipped, &corpus.warnings);
    if let Some(index) = &args.index {
        return run_index(&args, index, &corpus.docs);
    }
    let detector = match build_detector(&args) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let start = Instant::now();
    let clustering = match detector.cluster(&corpus.docs) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let secs = start.elapsed().as_secs_f64();
    if let Some((a, b)) = &args.explain {
        let pos = |id: &str| corpus.docs.iter().position(|d| d.id == id);
        let (Some(pa), Some(pb)) = (pos(a), pos(b)) else {
            eprintln!("error: --explain: no document with id {:?}", if pos(a).is_none() { a } else { b });
            return ExitCode::from(2);
        };
        return match detector.explain(&corpus.docs, pa as u32, pb as u32) {
            Ok(e) => {
                print!("{e}");
                println!(
                    "  clusters: {}",
                    if clustering.same_story(pa as u32, pb as u32) {
                        "grouped in one story"
                    } else {
                        "in different stories (average linkage over all members decides)"
                    }
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        };
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = match args.format {
        Format::Text => write_text(&mut out, &corpus.docs, &clustering),
        format => write_labels(&mut out, format, corpus.docs.iter().map(|d| d.id.as_str()), &clustering),
    };
    if let Err(code) = finish_output(&mut out, result) {
        return code;
    }
    eprintln!(
        "{} documents, {} candidate pairs scored, {} clusters in {:.3} s ({:.0} docs/s)",
        corpus.docs.len(),
        clustering.pairs().len(),
        clustering.clusters().len(),
        secs,
        corpus.docs.len() as f64 / secs.max(1e-9)
    );
    ExitCode::SUCCESS
}
