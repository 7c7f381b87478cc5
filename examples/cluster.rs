//! Cluster news articles into stories with the library.
//!
//! ```text
//! cargo run --release --example cluster           # the demo corpus built into the example
//! cargo run --release --example cluster -- PATH   # a JSON Lines file, a folder of .txt files, or `-`
//! ```
//!
//! The demo (the seed pages of `demo/seeds`, then `demo/articles.jsonl`) is clustered in memory
//! by `Detector::cluster`; a PATH by `Detector::cluster_file`, which keeps tokens, not text, so
//! its stories list ids only. Each story is printed with its pair scores, then the documents
//! left alone. No options: formats, thresholds, an index and explanations are the `samestory`
//! command's (`cli/`, README "Command line").

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use samestory::io::{ReadOptions, read_jsonl};
use samestory::{Clustering, Detector, Document};

const DEMO_ARTICLES: &str = include_str!("../demo/articles.jsonl");
const SEEDS: [(&str, &str); 2] = [
    ("seeds/000_9a7db994ef940da5.txt", include_str!("../demo/seeds/000_9a7db994ef940da5.txt")),
    ("seeds/001_6a2f0ebee5de1c9f.txt", include_str!("../demo/seeds/001_6a2f0ebee5de1c9f.txt")),
];

/// The seeds, then the demo articles, in that order.
fn demo_docs() -> Result<Vec<Document>, samestory::Error> {
    let mut docs: Vec<Document> = SEEDS.iter().map(|(id, text)| Document::new(*id, *text)).collect();
    docs.extend(read_jsonl(DEMO_ARTICLES.as_bytes(), "demo/articles.jsonl".as_ref(), ReadOptions::default())?.docs);
    Ok(docs)
}

/// A member line: the id, then (when the text is at hand) its date and first words.
fn member(c: &Clustering, docs: Option<&[Document]>, i: u32) -> String {
    let Some(d) = docs.map(|docs| &docs[i as usize]) else { return c.id(i).unwrap_or_default().to_string() };
    let src = d.title.as_deref().filter(|t| !t.trim().is_empty()).unwrap_or(&d.text);
    let mut words = src.split_whitespace().take(12).collect::<Vec<_>>().join(" ");
    if src.split_whitespace().nth(12).is_some() {
        words.push_str(" …");
    }
    let date = d.date.map(|d| format!(" [{d}]")).unwrap_or_default();
    format!("{}{date}  {words}", d.id)
}

/// Stories of 2+ documents (largest first) with the scores of their pairs, then the singletons.
fn write_stories(out: &mut impl Write, c: &Clustering, docs: Option<&[Document]>) -> std::io::Result<()> {
    let id = |i: u32| c.id(i).unwrap_or_default();
    let mut stories: Vec<&[u32]> = c.stories().collect();
    stories.sort_by_key(|s| (std::cmp::Reverse(s.len()), s[0]));
    for (n, members) in stories.iter().enumerate() {
        writeln!(out, "story {} ({} documents)", n + 1, members.len())?;
        for &m in *members {
            writeln!(out, "  {}", member(c, docs, m))?;
        }
        for (k, &a) in members.iter().enumerate() {
            for &b in &members[k + 1..] {
                if let Some(s) = c.scores(a, b) {
                    writeln!(
                        out,
                        "    {} ~ {}: similarity {:.2} (profile cosine {:.2}, shingle Jaccard {:.2}, containment {:.2}, SimHash distance {}{})",
                        id(a),
                        id(b),
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
    let singles: Vec<&str> = c.clusters().iter().filter(|m| m.len() == 1).map(|m| id(m[0])).collect();
    writeln!(out, "{} stories with 2+ documents; {} documents on their own:", stories.len(), singles.len())?;
    singles.iter().try_for_each(|s| writeln!(out, "  {s}"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = match args.as_slice() {
        [] => None,
        [p] if p == "-" || !p.starts_with('-') => Some(p.as_str()),
        _ => {
            eprintln!("usage: cluster [PATH]   (no PATH: the demo corpus; options: the `samestory` command)");
            return ExitCode::from(2);
        }
    };
    let detector = Detector::new();
    let start = Instant::now();
    let run = match path {
        None => demo_docs().and_then(|docs| Ok((detector.cluster(&docs)?, Some(docs)))),
        Some(p) => detector.cluster_file(p, ReadOptions::default()).map(|c| (c, None)),
    };
    let (clustering, docs) = match run {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let secs = start.elapsed().as_secs_f64();
    for w in clustering.warnings() {
        eprintln!("warning: line {}: {}", w.line, w.reason);
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if let Err(e) = write_stories(&mut out, &clustering, docs.as_deref()).and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error writing output: {e}");
        return ExitCode::from(1);
    }
    eprintln!(
        "{} documents, {} candidate pairs scored, {} clusters in {secs:.3} s",
        clustering.len(),
        clustering.pairs().len(),
        clustering.clusters().len()
    );
    ExitCode::SUCCESS
}
