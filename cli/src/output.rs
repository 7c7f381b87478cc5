//! The output: one row schema for every mode, written as JSON Lines, CSV,
//! one JSON array or readable text, to standard output or atomically to a file.

use std::fs::File;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use samestory::{Clustering, Date, Document};
use serde::Serialize;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable stories: a header, each member's title or first words, the best pairs.
    Text,
    /// One JSON object a document.
    Jsonl,
    /// A header row, then one row a document.
    Csv,
    /// One JSON array of the rows.
    Json,
}

/// One document's result, the same in every mode and format.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The document's id.
    pub id: String,
    /// Its story: the batch label (0-based, by first member) or the index's story id.
    pub story: u64,
    /// Documents in that story (in `track`: when the document was added).
    pub size: usize,
    /// `cluster`: its copy group inside the story (0-based, by first member).
    pub copy: Option<u64>,
    /// `cluster`: documents in that copy group.
    pub copies: Option<usize>,
    /// The document it is a copy of: the first of its copy group (`cluster`),
    /// or the earliest held document of its story it copies (`track`).
    pub copy_of: Option<String>,
    /// Its most similar document in its story.
    pub best_match: Option<String>,
    /// That pair's similarity.
    pub similarity: Option<f32>,
    /// `track`: the document started a story (`null` in `cluster`).
    pub new_story: Option<bool>,
    /// `track`: stories merged into `story` because of it.
    pub merged: Vec<u64>,
    /// `track`: stories split off because of it.
    pub split_off: Vec<u64>,
}

/// A row flattened for CSV (lists as space-separated ids).
#[derive(Serialize)]
struct CsvRow<'a> {
    id: &'a str,
    story: u64,
    size: usize,
    copy: Option<u64>,
    copies: Option<usize>,
    copy_of: Option<&'a str>,
    best_match: Option<&'a str>,
    similarity: Option<f32>,
    new_story: Option<bool>,
    merged: String,
    split_off: String,
}

/// The CSV header (written even without rows).
const CSV_HEADER: [&str; 11] = [
    "id",
    "story",
    "size",
    "copy",
    "copies",
    "copy_of",
    "best_match",
    "similarity",
    "new_story",
    "merged",
    "split_off",
];

fn join(v: &[u64]) -> String {
    v.iter().map(u64::to_string).collect::<Vec<_>>().join(" ")
}

fn round4(x: f32) -> f32 {
    ((f64::from(x) * 1e4).round() / 1e4) as f32
}

/// The rows of a batch clustering, in input order: story = label, best
/// match from [`Clustering::pairs`] within the story.
pub fn batch_rows(c: &Clustering) -> Vec<Row> {
    let labels = c.labels();
    let mut best: Vec<Option<(u32, f32)>> = vec![None; c.len()];
    for p in c.pairs() {
        if labels[p.a as usize] != labels[p.b as usize] {
            continue;
        }
        for (me, other) in [(p.a, p.b), (p.b, p.a)] {
            let slot = &mut best[me as usize];
            if slot.is_none_or(|(o, s)| p.scores.similarity > s || (p.scores.similarity == s && other < o)) {
                *slot = Some((other, p.scores.similarity));
            }
        }
    }
    let sizes: Vec<usize> = labels.iter().map(|&l| c.clusters()[l as usize].len()).collect();
    c.ids()
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let b = best[i];
            let group = &c.copy_groups()[c.copy_labels()[i] as usize];
            Row {
                id: id.clone(),
                story: u64::from(labels[i]),
                size: sizes[i],
                copy: Some(u64::from(c.copy_labels()[i])),
                copies: Some(group.len()),
                copy_of: (group[0] as usize != i).then(|| c.ids()[group[0] as usize].clone()),
                best_match: b.map(|(o, _)| c.ids()[o as usize].clone()),
                similarity: b.map(|(_, s)| round4(s)),
                new_story: None,
                merged: Vec::new(),
                split_off: Vec::new(),
            }
        })
        .collect()
}

/// Rows as JSON Lines, CSV or one JSON array.
pub fn write_rows(out: &mut dyn Write, format: Format, rows: &[Row]) -> std::io::Result<()> {
    match format {
        Format::Jsonl | Format::Text => {
            for r in rows {
                serde_json::to_writer(&mut *out, r)?;
                out.write_all(b"\n")?;
            }
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, rows)?;
            out.write_all(b"\n")?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut *out);
            for r in rows {
                w.serialize(CsvRow {
                    id: &r.id,
                    story: r.story,
                    size: r.size,
                    copy: r.copy,
                    copies: r.copies,
                    copy_of: r.copy_of.as_deref(),
                    best_match: r.best_match.as_deref(),
                    similarity: r.similarity,
                    new_story: r.new_story,
                    merged: join(&r.merged),
                    split_off: join(&r.split_off),
                })
                .map_err(std::io::Error::other)?;
            }
            if rows.is_empty() {
                w.write_record(CSV_HEADER).map_err(std::io::Error::other)?;
            }
            w.flush()?;
        }
    }
    Ok(())
}

/// ANSI styles, empty when colour is off.
pub struct Style {
    pub bold: &'static str,
    pub dim: &'static str,
    pub reset: &'static str,
}

impl Style {
    /// Colour only when writing to a terminal and `NO_COLOR` is unset.
    pub fn for_stdout(to_file: bool) -> Style {
        let on = !to_file && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        if on {
            Style { bold: "\x1b[1m", dim: "\x1b[2m", reset: "\x1b[0m" }
        } else {
            Style { bold: "", dim: "", reset: "" }
        }
    }
}

/// What the text report shows of a document: its date and [`snippet`].
pub struct Shown {
    pub date: Option<Date>,
    pub snippet: String,
}

impl Shown {
    pub fn of(doc: &Document) -> Shown {
        Shown { date: doc.date, snippet: snippet(doc) }
    }
}

/// What a reader sees of a document: its title, else the first line of at
/// least 8 words (menus and links are shorter), else its first words; at most 14 words.
pub fn snippet(doc: &Document) -> String {
    let title = doc.title.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let src = title
        .or_else(|| doc.text.lines().map(str::trim).find(|l| l.split_whitespace().count() >= 8))
        .unwrap_or(&doc.text);
    let words: Vec<&str> = src.split_whitespace().take(14).collect();
    let mut s = words.join(" ");
    if src.split_whitespace().nth(14).is_some() {
        s.push_str(" …");
    }
    s
}

/// The readable report of a batch: stories of 2+ documents (largest first)
/// with their members and best pairs, then the documents on their own.
pub fn write_text(
    out: &mut dyn Write,
    docs: &[Shown],
    c: &Clustering,
    rows: &[Row],
    style: &Style,
) -> std::io::Result<()> {
    let Style { bold, dim, reset } = style;
    let mut stories: Vec<(u32, &[u32])> =
        c.clusters().iter().enumerate().filter(|(_, m)| m.len() > 1).map(|(l, m)| (l as u32, m.as_slice())).collect();
    stories.sort_by_key(|(l, m)| (std::cmp::Reverse(m.len()), *l));
    let mut pairs_by_story: Vec<Vec<&samestory::ScoredPair>> = vec![Vec::new(); c.clusters().len()];
    for p in c.pairs() {
        let (la, lb) = (c.labels()[p.a as usize], c.labels()[p.b as usize]);
        if la == lb {
            pairs_by_story[la as usize].push(p);
        }
    }
    for (label, members) in &stories {
        // Each copy group once, by its first member, with its copies' ids (ten at most).
        let groups: Vec<&[u32]> = members
            .iter()
            .filter(|&&m| c.copy_groups()[c.copy_labels()[m as usize] as usize][0] == m)
            .map(|&m| c.copy_groups()[c.copy_labels()[m as usize] as usize].as_slice())
            .collect();
        let plural = |n: usize, one: &'static str, many: &'static str| if n == 1 { one } else { many };
        writeln!(
            out,
            "{bold}story {label}{reset} ({} documents, {} {})",
            members.len(),
            groups.len(),
            plural(groups.len(), "copy group", "copy groups")
        )?;
        for group in groups {
            let first = group[0] as usize;
            let d = &docs[first];
            let date = d.date.map(|d| format!(" [{d}]")).unwrap_or_default();
            writeln!(out, "  {}{date}  {}", c.ids()[first], d.snippet)?;
            if group.len() > 1 {
                let shown: Vec<&str> = group[1..].iter().take(10).map(|&m| c.ids()[m as usize].as_str()).collect();
                let more = group.len() - 1 - shown.len();
                let more = if more > 0 { format!(" and {more} more") } else { String::new() };
                let n = group.len() - 1;
                writeln!(out, "    {dim}+ {n} {}: {}{more}{reset}", plural(n, "copy", "copies"), shown.join(", "))?;
            }
        }
        let mut pairs = pairs_by_story[*label as usize].clone();
        pairs.sort_by(|x, y| y.scores.similarity.total_cmp(&x.scores.similarity).then((x.a, x.b).cmp(&(y.a, y.b))));
        let shown = pairs.len().min(3);
        for p in &pairs[..shown] {
            let s = &p.scores;
            writeln!(
                out,
                "    {dim}{} ~ {}: similarity {:.2} (profile cosine {:.2}, shingle Jaccard {:.2}, containment {:.2}{}){reset}",
                c.ids()[p.a as usize],
                c.ids()[p.b as usize],
                s.similarity,
                s.cosine,
                s.jaccard,
                s.containment,
                if s.copy { ", copy" } else { "" }
            )?;
        }
        if pairs.len() > shown {
            writeln!(
                out,
                "    {dim}({} more pairs; --format jsonl gives each document's best match){reset}",
                pairs.len() - shown
            )?;
        }
        writeln!(out)?;
    }
    // Rows are in input order: row i is document i.
    let singles: Vec<(usize, &Row)> = rows.iter().enumerate().filter(|(_, r)| r.size == 1).collect();
    let (ns, n1) = (stories.len(), singles.len());
    let (s_ns, s_n1) = (if ns == 1 { "story" } else { "stories" }, if n1 == 1 { "document" } else { "documents" });
    writeln!(out, "{bold}{ns} {s_ns} with 2+ documents; {n1} {s_n1} on their own{reset}")?;
    for (i, r) in singles {
        writeln!(out, "  story {}  {}  {dim}{}{reset}", r.story, r.id, docs[i].snippet)?;
    }
    Ok(())
}

/// Standard output, or a file written atomically: a temporary file in the
/// same folder, flushed to disk, renamed over the target by [`Sink::commit`]
/// (dropped without it, the temporary file is removed and the target untouched).
pub enum Sink {
    Stdout(std::io::BufWriter<std::io::Stdout>),
    File { tmp: PathBuf, target: PathBuf, file: std::io::BufWriter<File>, done: bool },
}

/// The folder a file will be written in (`.` for a bare name).
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Fails early (before any work) when the folder of `path` does not exist.
pub fn check_parent(path: &Path, what: &str) -> Result<(), String> {
    let dir = parent_dir(path);
    if dir.is_dir() {
        Ok(())
    } else {
        Err(format!("{what} {}: the folder {} does not exist", path.display(), dir.display()))
    }
}

impl Sink {
    pub fn stdout() -> Sink {
        Sink::Stdout(std::io::BufWriter::new(std::io::stdout()))
    }

    /// A temporary file beside `target`, created fresh (never shared with another writer).
    pub fn file(target: &Path) -> std::io::Result<Sink> {
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let dir = parent_dir(target);
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
        loop {
            let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let nanos =
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
            let tmp = dir.join(format!(".{name}.tmp-{}-{n}-{nanos}", std::process::id()));
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp) {
                Ok(f) => {
                    return Ok(Sink::File {
                        tmp,
                        target: target.to_path_buf(),
                        file: std::io::BufWriter::new(f),
                        done: false,
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    pub fn writer(&mut self) -> &mut dyn Write {
        match self {
            Sink::Stdout(w) => w,
            Sink::File { file, .. } => file,
        }
    }

    /// Flushes; for a file, syncs it and renames it over the target.
    pub fn commit(mut self) -> std::io::Result<()> {
        match &mut self {
            Sink::Stdout(w) => match w.flush() {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r,
            },
            Sink::File { tmp, target, file, done } => {
                file.flush()?;
                file.get_ref().sync_all()?;
                std::fs::rename(&*tmp, &*target)?;
                if let Ok(d) = File::open(parent_dir(target)) {
                    let _ = d.sync_all();
                }
                *done = true;
                Ok(())
            }
        }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        if let Sink::File { tmp, done: false, .. } = self {
            let _ = std::fs::remove_file(tmp);
        }
    }
}
