//! Reading the input: JSON Lines, CSV and `.txt` files, folders, standard
//! input, gzip and zstd; bad records named (file and line) or skipped.
//! Documents are handed on one at a time as they are read (never held).

mod records;

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use samestory::Document;
use serde::Serialize;

use crate::progress::Progress;

/// How to read the input (from the command line).
pub struct ReadConfig {
    pub id_field: String,
    pub text_field: String,
    pub title_field: String,
    pub date_field: String,
    pub source_field: String,
    pub skip_bad: bool,
    pub max_doc_bytes: usize,
    pub glob: Option<glob::Pattern>,
    pub format: InputFormat,
}

/// The format of an input file; `Auto` decides by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// By extension: `.csv` is CSV, `.txt` one document, anything else JSON Lines.
    Auto,
    /// One JSON object a line.
    Jsonl,
    /// A header row naming the columns, then one document a row.
    Csv,
    /// The whole file is one document; its path is the id.
    Txt,
}

/// A record that was not read (with `--skip-bad`), as `--bad-report` writes it.
#[derive(Debug, Clone, Serialize)]
pub struct BadRecord {
    pub file: String,
    /// 1-based line; `None` for a whole file.
    pub line: Option<u64>,
    pub reason: String,
}

/// Why reading stopped early.
#[derive(Debug)]
pub enum ReadError {
    /// A bad record without `--skip-bad`, or a path that cannot be read: exit 2.
    Input(String),
    /// The consumer of the documents stopped (and reports why).
    Stopped,
}

/// What was read, beyond the documents handed on.
#[derive(Default)]
pub struct ReadReport {
    /// Documents handed on.
    pub docs: usize,
    pub bad: Vec<BadRecord>,
    /// Files in the folders given that were not read, with why.
    pub not_read: Vec<(String, String)>,
    pub files_read: usize,
    pub warnings: usize,
}

/// Compression of a stream.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Compression {
    None,
    Gzip,
    Zstd,
}

/// Extensions read in a folder (lowercase; compressed ones end the name).
const FOLDER_EXTENSIONS: [&str; 9] =
    [".txt", ".jsonl", ".ndjson", ".csv", ".jsonl.gz", ".jsonl.zst", ".ndjson.gz", ".ndjson.zst", ".csv.gz"];

fn lower_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default()
}

/// The format and compression a file name says (case-insensitive).
fn by_name(path: &Path, forced: InputFormat) -> (InputFormat, Compression) {
    let mut name = lower_name(path);
    let mut compression = Compression::None;
    for (ext, c) in [(".gz", Compression::Gzip), (".zst", Compression::Zstd), (".zstd", Compression::Zstd)] {
        if let Some(stem) = name.strip_suffix(ext) {
            compression = c;
            name = stem.to_string();
            break;
        }
    }
    let format = match forced {
        InputFormat::Auto if name.ends_with(".csv") => InputFormat::Csv,
        InputFormat::Auto if name.ends_with(".txt") => InputFormat::Txt,
        InputFormat::Auto => InputFormat::Jsonl,
        f => f,
    };
    (format, compression)
}

/// Wraps `reader` in a decoder when its first bytes are gzip or zstd magic
/// (or the name said so).
fn decode<'a>(mut reader: Box<dyn BufRead + 'a>, hint: Compression) -> std::io::Result<Box<dyn BufRead + 'a>> {
    let head = reader.fill_buf()?;
    let magic = if head.starts_with(&[0x1f, 0x8b]) {
        Compression::Gzip
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else if head.is_empty() {
        hint
    } else {
        Compression::None
    };
    Ok(match magic {
        Compression::None => reader,
        Compression::Gzip => Box::new(BufReader::new(flate2::bufread::MultiGzDecoder::new(reader))),
        Compression::Zstd => Box::new(BufReader::new(zstd::Decoder::with_buffer(reader)?)),
    })
}

/// A reader that tells the progress display how many bytes of the file
/// were read (before decompression, so that the total is the files' sizes).
struct Counted<'a, R> {
    inner: R,
    progress: &'a Progress,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.read_bytes(n as u64);
        Ok(n)
    }
}

/// One input to read.
struct Planned {
    /// `None`: standard input.
    path: Option<PathBuf>,
    /// Its name in messages.
    shown: String,
    /// The id of a `.txt` document: its path below the folder given, or as given.
    txt_id: String,
    format: InputFormat,
    compression: Compression,
}

/// The reading state: what was read, the ids seen, where documents go.
struct Reader<'a> {
    cfg: &'a ReadConfig,
    progress: &'a Progress,
    report: ReadReport,
    /// Where each id was first read: (file number, line).
    seen: HashMap<String, (u32, Option<u64>)>,
    /// The files read so far, by number.
    files: Vec<String>,
    /// Several inputs: ids default to `FILE:LINE`.
    several: bool,
    emit: &'a mut dyn FnMut(Document) -> bool,
}

/// Reads every input path (`-` is standard input) in order, handing each
/// document to `emit` (which returns false to stop the reading).
///
/// # Errors
/// A bad record without `--skip-bad`, a path that cannot be read, or `emit` stopping.
pub fn load(
    paths: &[PathBuf],
    cfg: &ReadConfig,
    progress: &Progress,
    emit: &mut dyn FnMut(Document) -> bool,
) -> Result<ReadReport, ReadError> {
    let mut report = ReadReport::default();
    let plan = plan(paths, cfg, &mut report)?;
    let total: Option<u64> =
        plan.iter().map(|p| p.path.as_ref().and_then(|path| std::fs::metadata(path).ok()).map(|m| m.len())).sum();
    progress.reading(total);
    let several = plan.len() > 1;
    let mut r = Reader { cfg, progress, report, seen: HashMap::new(), files: Vec::new(), several, emit };
    for p in &plan {
        r.read(p)?;
    }
    Ok(r.report)
}

/// The inputs in order: paths as given, folders walked (sorted), files
/// in folders filtered by `--glob` and extension (the others listed).
fn plan(paths: &[PathBuf], cfg: &ReadConfig, report: &mut ReadReport) -> Result<Vec<Planned>, ReadError> {
    let mut plan = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            let format = if cfg.format == InputFormat::Auto { InputFormat::Jsonl } else { cfg.format };
            let shown = "<stdin>".to_string();
            plan.push(Planned { path: None, txt_id: shown.clone(), shown, format, compression: Compression::None });
            continue;
        }
        let meta =
            std::fs::metadata(path).map_err(|e| ReadError::Input(format!("{}: cannot read: {e}", path.display())))?;
        if !meta.is_dir() {
            let (format, compression) = by_name(path, cfg.format);
            let shown = path.display().to_string();
            plan.push(Planned { path: Some(path.clone()), txt_id: shown.clone(), shown, format, compression });
            continue;
        }
        let mut files = Vec::new();
        walk(path, &mut files)
            .map_err(|e| ReadError::Input(format!("{}: cannot read the folder: {e}", path.display())))?;
        for file in files {
            let rel = file.strip_prefix(path).unwrap_or(&file).to_string_lossy().replace('\\', "/");
            let shown = file.display().to_string();
            if let Some(g) = &cfg.glob
                && !g.matches_with(&rel, glob::MatchOptions { case_sensitive: false, ..Default::default() })
            {
                report.not_read.push((shown, "does not match --glob".into()));
                continue;
            }
            let name = lower_name(&file);
            if cfg.format == InputFormat::Auto && !FOLDER_EXTENSIONS.iter().any(|x| name.ends_with(x)) {
                let reason = format!("not one of the extensions read ({})", FOLDER_EXTENSIONS.join(" "));
                report.not_read.push((shown, reason));
                continue;
            }
            let (format, compression) = by_name(&file, cfg.format);
            // In a folder, a `.txt` file's id is its path below the folder.
            plan.push(Planned { path: Some(file), shown, txt_id: rel, format, compression });
        }
    }
    Ok(plan)
}

/// Every file under `dir`, sorted, recursively (symlinked folders are not followed).
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        if e.file_type()?.is_dir() {
            walk(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

impl Reader<'_> {
    fn read(&mut self, p: &Planned) -> Result<(), ReadError> {
        let progress = self.progress;
        let raw: Box<dyn BufRead + '_> = match &p.path {
            None => Box::new(BufReader::with_capacity(1 << 20, Counted { inner: std::io::stdin().lock(), progress })),
            Some(path) => {
                let f = File::open(path).map_err(|e| ReadError::Input(format!("{}: cannot open: {e}", p.shown)))?;
                Box::new(BufReader::with_capacity(1 << 20, Counted { inner: f, progress }))
            }
        };
        self.report.files_read += 1;
        self.files.push(p.shown.clone());
        let reader = match decode(raw, p.compression) {
            Ok(r) => r,
            Err(e) => return self.bad(&p.shown, None, format!("cannot read: {e}")),
        };
        match p.format {
            InputFormat::Csv => self.read_csv(reader, &p.shown),
            InputFormat::Txt => self.read_txt(reader, &p.shown, &p.txt_id),
            InputFormat::Jsonl | InputFormat::Auto => self.read_jsonl(reader, &p.shown),
        }
    }

    /// A bad record: the end of the run, or skipped and listed with `--skip-bad`.
    fn bad(&mut self, file: &str, line: Option<u64>, reason: String) -> Result<(), ReadError> {
        if !self.cfg.skip_bad {
            let at = match line {
                Some(l) => format!("{file}:{l}"),
                None => file.to_string(),
            };
            return Err(ReadError::Input(format!("{at}: {reason} (--skip-bad skips such records)")));
        }
        self.report.bad.push(BadRecord { file: file.to_string(), line, reason });
        Ok(())
    }

    fn warn(&mut self, file: &str, line: Option<u64>, msg: &str) {
        self.report.warnings += 1;
        match line {
            Some(l) => self.progress.println(&format!("warning: {file}:{l}: {msg}")),
            None => self.progress.println(&format!("warning: {file}: {msg}")),
        }
    }

    /// The id of a record without one: its line, or `FILE:LINE` when several inputs are read.
    fn default_id(&self, shown: &str, line: u64) -> String {
        if self.several { format!("{shown}:{line}") } else { line.to_string() }
    }

    /// Admits a document (size limit, unique id, else a bad record) and hands it on.
    fn push(&mut self, file: &str, line: Option<u64>, doc: Document) -> Result<(), ReadError> {
        if doc.size() > self.cfg.max_doc_bytes {
            let reason = format!(
                "document {:?} has {} bytes (text and title), over the limit of {} (--max-doc-bytes)",
                doc.id,
                doc.size(),
                self.cfg.max_doc_bytes
            );
            return self.bad(file, line, reason);
        }
        if let Some(&(f, l)) = self.seen.get(&doc.id) {
            let first = match l {
                Some(l) => format!("{}:{l}", self.files[f as usize]),
                None => self.files[f as usize].clone(),
            };
            let reason = format!("repeated id {:?} (first at {first})", doc.id);
            return self.bad(file, line, reason);
        }
        self.seen.insert(doc.id.clone(), ((self.files.len() - 1) as u32, line));
        self.report.docs += 1;
        self.progress.doc();
        if (self.emit)(doc) { Ok(()) } else { Err(ReadError::Stopped) }
    }
}
