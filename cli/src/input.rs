//! Reading the input: JSON Lines, CSV and `.txt` files, folders, standard
//! input, gzip and zstd; bad records named (file and line) or skipped.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use samestory::{Date, Document};
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

/// A bad record met without `--skip-bad`: the run stops.
#[derive(Debug)]
pub enum ReadError {
    /// Bad input: exit 2.
    Input(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Input(s) => f.write_str(s),
        }
    }
}

/// Everything read.
#[derive(Default)]
pub struct Loaded {
    pub docs: Vec<Document>,
    pub bad: Vec<BadRecord>,
    /// Files in the folders given that were not read, with why.
    pub not_read: Vec<(String, String)>,
    pub files_read: usize,
    pub warnings: usize,
    /// Where each id was first read (for the repeated-id message).
    seen: HashMap<String, String>,
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

impl Loaded {
    fn bad(&mut self, cfg: &ReadConfig, file: &str, line: Option<u64>, reason: String) -> Result<(), ReadError> {
        if !cfg.skip_bad {
            let at = match line {
                Some(l) => format!("{file}:{l}"),
                None => file.to_string(),
            };
            return Err(ReadError::Input(format!("{at}: {reason} (--skip-bad skips such records)")));
        }
        self.bad.push(BadRecord { file: file.to_string(), line, reason });
        Ok(())
    }

    fn warn(&mut self, file: &str, line: Option<u64>, msg: &str) {
        self.warnings += 1;
        match line {
            Some(l) => eprintln!("warning: {file}:{l}: {msg}"),
            None => eprintln!("warning: {file}: {msg}"),
        }
    }

    /// Admits a document: size limit and unique id, else a bad record.
    fn push(&mut self, cfg: &ReadConfig, file: &str, line: Option<u64>, doc: Document) -> Result<(), ReadError> {
        if doc.size() > cfg.max_doc_bytes {
            let reason = format!(
                "document {:?} has {} bytes (text and title), over the limit of {} (--max-doc-bytes)",
                doc.id,
                doc.size(),
                cfg.max_doc_bytes
            );
            return self.bad(cfg, file, line, reason);
        }
        let at = match line {
            Some(l) => format!("{file}:{l}"),
            None => file.to_string(),
        };
        if let Some(first) = self.seen.get(&doc.id) {
            let reason = format!("repeated id {:?} (first at {first})", doc.id);
            return self.bad(cfg, file, line, reason);
        }
        self.seen.insert(doc.id.clone(), at);
        self.docs.push(doc);
        Ok(())
    }
}

/// Reads every input path (`-` is standard input) in order.
///
/// # Errors
/// A bad record without `--skip-bad`, or a path that cannot be read.
pub fn load(paths: &[PathBuf], cfg: &ReadConfig, progress: &Progress) -> Result<Loaded, ReadError> {
    let mut loaded = Loaded::default();
    let several = paths.len() > 1;
    for path in paths {
        if path.as_os_str() == "-" {
            let stdin = std::io::stdin();
            let format = if cfg.format == InputFormat::Auto { InputFormat::Jsonl } else { cfg.format };
            read_stream(
                &mut loaded,
                cfg,
                Box::new(stdin.lock()),
                "<stdin>",
                format,
                Compression::None,
                several,
                progress,
            )?;
            loaded.files_read += 1;
            continue;
        }
        let meta =
            std::fs::metadata(path).map_err(|e| ReadError::Input(format!("{}: cannot read: {e}", path.display())))?;
        if meta.is_dir() {
            read_folder(&mut loaded, cfg, path, progress)?;
        } else {
            let (format, compression) = by_name(path, cfg.format);
            read_file(&mut loaded, cfg, path, &path.display().to_string(), format, compression, several, progress)?;
        }
    }
    Ok(loaded)
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

fn read_folder(loaded: &mut Loaded, cfg: &ReadConfig, dir: &Path, progress: &Progress) -> Result<(), ReadError> {
    let mut files = Vec::new();
    walk(dir, &mut files).map_err(|e| ReadError::Input(format!("{}: cannot read the folder: {e}", dir.display())))?;
    for file in files {
        let rel = file.strip_prefix(dir).unwrap_or(&file).to_path_buf();
        let rel_text = rel.to_string_lossy().replace('\\', "/");
        let shown = file.display().to_string();
        if let Some(g) = &cfg.glob
            && !g.matches_with(&rel_text, glob::MatchOptions { case_sensitive: false, ..Default::default() })
        {
            loaded.not_read.push((shown, "does not match --glob".into()));
            continue;
        }
        let name = lower_name(&file);
        if cfg.format == InputFormat::Auto && !FOLDER_EXTENSIONS.iter().any(|x| name.ends_with(x)) {
            let reason = format!("not one of the extensions read ({})", FOLDER_EXTENSIONS.join(" "));
            loaded.not_read.push((shown, reason));
            continue;
        }
        let (format, compression) = by_name(&file, cfg.format);
        // In a folder, a `.txt` file's id is its path below the folder.
        read_file(loaded, cfg, &file, &rel_text, format, compression, true, progress)?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn read_file(
    loaded: &mut Loaded,
    cfg: &ReadConfig,
    path: &Path,
    id_name: &str,
    format: InputFormat,
    compression: Compression,
    several: bool,
    progress: &Progress,
) -> Result<(), ReadError> {
    let shown = path.display().to_string();
    let f = File::open(path).map_err(|e| ReadError::Input(format!("{shown}: cannot open: {e}")))?;
    loaded.files_read += 1;
    if format == InputFormat::Txt {
        let reader = decode(Box::new(BufReader::new(f)), compression)
            .map_err(|e| ReadError::Input(format!("{shown}: cannot read: {e}")))?;
        return read_txt(loaded, cfg, reader, &shown, id_name, progress);
    }
    read_stream(
        loaded,
        cfg,
        Box::new(BufReader::with_capacity(1 << 20, f)),
        &shown,
        format,
        compression,
        several,
        progress,
    )
}

fn read_txt(
    loaded: &mut Loaded,
    cfg: &ReadConfig,
    mut reader: Box<dyn BufRead + '_>,
    shown: &str,
    id: &str,
    progress: &Progress,
) -> Result<(), ReadError> {
    let mut bytes = Vec::new();
    // Read a little past the limit only: a larger file is bad without being held whole.
    let limit = cfg.max_doc_bytes as u64;
    if let Err(e) = (&mut reader).take(limit + 1).read_to_end(&mut bytes) {
        return loaded.bad(cfg, shown, None, format!("cannot read: {e}"));
    }
    if bytes.len() as u64 > limit {
        let reason = format!("file is over the document limit of {limit} bytes (--max-doc-bytes)");
        return loaded.bad(cfg, shown, None, reason);
    }
    match String::from_utf8(bytes) {
        Ok(text) => {
            progress.inc();
            loaded.push(cfg, shown, None, Document::new(id, text))
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let line = 1 + e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() as u64;
            loaded.bad(cfg, shown, Some(line), format!("not UTF-8 (invalid byte at offset {at})"))
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn read_stream(
    loaded: &mut Loaded,
    cfg: &ReadConfig,
    reader: Box<dyn BufRead + '_>,
    shown: &str,
    format: InputFormat,
    compression: Compression,
    several: bool,
    progress: &Progress,
) -> Result<(), ReadError> {
    let reader = decode(reader, compression).map_err(|e| ReadError::Input(format!("{shown}: cannot read: {e}")))?;
    match format {
        InputFormat::Csv => read_csv(loaded, cfg, reader, shown, several, progress),
        InputFormat::Txt => read_txt(loaded, cfg, reader, shown, shown, progress),
        _ => read_jsonl(loaded, cfg, reader, shown, several, progress),
    }
}

/// The id of a record without one: its line, or `FILE:LINE` when several inputs are read.
fn default_id(shown: &str, line: u64, several: bool) -> String {
    if several { format!("{shown}:{line}") } else { line.to_string() }
}

fn read_jsonl(
    loaded: &mut Loaded,
    cfg: &ReadConfig,
    mut reader: Box<dyn BufRead + '_>,
    shown: &str,
    several: bool,
    progress: &Progress,
) -> Result<(), ReadError> {
    let mut buf = Vec::new();
    let mut line = 0u64;
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(e) => {
                // A decoding error (a truncated archive) ends the file.
                return loaded.bad(cfg, shown, Some(line + 1), format!("cannot read: {e}"));
            }
        }
        line += 1;
        let text = match std::str::from_utf8(&buf) {
            Ok(t) => t.trim(),
            Err(e) => {
                loaded.bad(
                    cfg,
                    shown,
                    Some(line),
                    format!("not UTF-8 (invalid byte at column {})", e.valid_up_to() + 1),
                )?;
                continue;
            }
        };
        if text.is_empty() {
            continue;
        }
        let value: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                loaded.bad(cfg, shown, Some(line), format!("invalid JSON: {e}"))?;
                continue;
            }
        };
        let serde_json::Value::Object(mut map) = value else {
            loaded.bad(cfg, shown, Some(line), "expected a JSON object".into())?;
            continue;
        };
        let mut field = |name: &str| map.remove(name).filter(|v| !v.is_null());
        let id = field(&cfg.id_field);
        let text = field(&cfg.text_field);
        let title = field(&cfg.title_field);
        let date = field(&cfg.date_field);
        let source = field(&cfg.source_field);
        let fields = Fields { id, text, title, date, source };
        if let Some(doc) = fields.into_document(loaded, cfg, shown, line, several)? {
            progress.inc();
            loaded.push(cfg, shown, Some(line), doc)?;
        }
    }
}

/// The fields of one record, as JSON values.
struct Fields {
    id: Option<serde_json::Value>,
    text: Option<serde_json::Value>,
    title: Option<serde_json::Value>,
    date: Option<serde_json::Value>,
    source: Option<serde_json::Value>,
}

fn kind(v: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A date field's value: `YYYY-MM-DD`, or a timestamp starting with one.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let day = match s.char_indices().nth(10) {
        Some((i, 'T' | 't' | ' ')) => &s[..i],
        _ => s,
    };
    Date::parse(day).ok()
}

impl Fields {
    /// The document, `None` when the record is bad and skipped.
    fn into_document(
        self,
        loaded: &mut Loaded,
        cfg: &ReadConfig,
        shown: &str,
        line: u64,
        several: bool,
    ) -> Result<Option<Document>, ReadError> {
        use serde_json::Value;
        let id = match self.id {
            None => default_id(shown, line, several),
            Some(Value::String(s)) => s,
            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
            Some(other) => {
                let reason = format!("field `{}` must be a string or an integer, got {}", cfg.id_field, kind(&other));
                loaded.bad(cfg, shown, Some(line), reason)?;
                return Ok(None);
            }
        };
        let text = match self.text {
            Some(Value::String(s)) => s,
            None => {
                loaded.bad(cfg, shown, Some(line), format!("missing field `{}`", cfg.text_field))?;
                return Ok(None);
            }
            Some(other) => {
                let reason = format!("field `{}` must be a string, got {}", cfg.text_field, kind(&other));
                loaded.bad(cfg, shown, Some(line), reason)?;
                return Ok(None);
            }
        };
        let mut optional = |name: &str, v: Option<Value>| match v {
            None => None,
            Some(Value::String(s)) => Some(s),
            Some(other) => {
                loaded.warn(shown, Some(line), &format!("field `{name}` is {}, not a string; ignored", kind(&other)));
                None
            }
        };
        let title = optional(&cfg.title_field, self.title);
        let source = optional(&cfg.source_field, self.source);
        let date_text = optional(&cfg.date_field, self.date);
        let mut doc = Document { id, text, title, date: None, source };
        doc.date = date_field(loaded, cfg, shown, Some(line), date_text);
        Ok(Some(doc))
    }
}

/// An optional date: a value that is not a calendar date is a warning and ignored.
fn date_field(
    loaded: &mut Loaded,
    cfg: &ReadConfig,
    shown: &str,
    line: Option<u64>,
    v: Option<String>,
) -> Option<Date> {
    let v = v?;
    if v.trim().is_empty() {
        return None;
    }
    let d = parse_date(&v);
    if d.is_none() {
        let msg = format!("field `{}`: {v:?} is not a calendar date (YYYY-MM-DD); ignored", cfg.date_field);
        loaded.warn(shown, line, &msg);
    }
    d
}

fn read_csv(
    loaded: &mut Loaded,
    cfg: &ReadConfig,
    reader: Box<dyn BufRead + '_>,
    shown: &str,
    several: bool,
    progress: &Progress,
) -> Result<(), ReadError> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(reader);
    let headers = match rdr.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => return loaded.bad(cfg, shown, Some(1), format!("cannot read the CSV header: {e}")),
    };
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name.as_bytes()));
    let Some(text_col) = col(&cfg.text_field) else {
        let reason = format!("the CSV header has no `{}` column (--text-field)", cfg.text_field);
        return loaded.bad(cfg, shown, Some(1), reason);
    };
    let (id_col, title_col, date_col, source_col) =
        (col(&cfg.id_field), col(&cfg.title_field), col(&cfg.date_field), col(&cfg.source_field));
    let mut record = csv::ByteRecord::new();
    loop {
        let line_before = rdr.position().line();
        match rdr.read_byte_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line_before, |p| p.line());
                // A CSV syntax error leaves the reader's position unreliable: the file ends here.
                return loaded.bad(cfg, shown, Some(line), format!("invalid CSV: {e}"));
            }
        }
        let line = record.position().map_or(line_before, |p| p.line());
        let get = |c: Option<usize>, name: &str| -> Result<Option<String>, String> {
            match c.and_then(|c| record.get(c)) {
                None => Ok(None),
                Some(b) => match std::str::from_utf8(b) {
                    Ok(s) => Ok(Some(s.to_string())),
                    Err(e) => Err(format!("column `{name}` is not UTF-8 (invalid byte at {})", e.valid_up_to())),
                },
            }
        };
        let fields = (|| {
            let text = get(Some(text_col), &cfg.text_field)?
                .ok_or_else(|| format!("the row has no `{}` column", cfg.text_field))?;
            Ok::<_, String>((
                get(id_col, &cfg.id_field)?,
                text,
                get(title_col, &cfg.title_field)?,
                get(date_col, &cfg.date_field)?,
                get(source_col, &cfg.source_field)?,
            ))
        })();
        let (id, text, title, date, source) = match fields {
            Ok(f) => f,
            Err(reason) => {
                loaded.bad(cfg, shown, Some(line), reason)?;
                continue;
            }
        };
        let id = id.filter(|s| !s.is_empty()).unwrap_or_else(|| default_id(shown, line, several));
        let nonempty = |s: Option<String>| s.filter(|s| !s.is_empty());
        let mut doc = Document { id, text, title: nonempty(title), date: None, source: nonempty(source) };
        doc.date = date_field(loaded, cfg, shown, Some(line), date);
        progress.inc();
        loaded.push(cfg, shown, Some(line), doc)?;
    }
}
