//! Reading corpora: JSON Lines, a folder of `.txt` files, or standard input.
//!
//! JSON Lines: one object per line with `text` (required, a string), `id`
//! (a string or an integer; the 1-based line number when absent), and
//! optional `title`, `date` (`YYYY-MM-DD`) and `source` strings (`null` is
//! the same as absent). Other fields are ignored, so labelled files can be
//! read without the labels reaching the detector. Blank lines are skipped.
//!
//! Nothing is lost silently: a line that is not valid UTF-8, not a JSON
//! object, lacks `text`, has a field of the wrong type, an invalid date or a
//! repeated id is an error naming the file and line — or, with
//! [`ReadOptions::skip_bad`], is skipped and listed in [`Corpus::skipped`].
//! A `.txt` file that is not UTF-8 is an error naming the file.

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use rustc_hash::FxHashSet;
use serde_json::Value;

use crate::document::Document;
use crate::error::Error;
use crate::text::date::Date;

/// How to treat bad input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Skip malformed JSONL lines (and list them) instead of failing.
    pub skip_bad: bool,
}

/// A skipped line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// 1-based line number.
    pub line: u64,
    /// Why it was rejected.
    pub reason: String,
}

/// Documents read from one input, and the lines skipped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Corpus {
    /// The documents, in input order.
    pub docs: Vec<Document>,
    /// Lines skipped under [`ReadOptions::skip_bad`] (always empty otherwise).
    pub skipped: Vec<BadLine>,
}

/// Reads a path: `-` is JSON Lines on standard input, a folder is read as
/// `.txt` files, anything else as a JSON Lines file.
///
/// # Errors
/// [`crate::ErrorKind::Io`] when the path cannot be read, and
/// [`crate::ErrorKind::InvalidInput`] for bad content (file and line named).
pub fn read_path(path: &Path, opts: ReadOptions) -> Result<Corpus, Error> {
    if path.as_os_str() == "-" {
        return read_jsonl(std::io::stdin().lock(), path, opts);
    }
    let meta = fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        read_txt_dir(path)
    } else {
        let f = fs::File::open(path).map_err(|e| Error::io(path, e))?;
        read_jsonl(BufReader::new(f), path, opts)
    }
}

/// Reads JSON Lines from `reader`; `path` names the input in errors.
///
/// # Errors
/// [`crate::ErrorKind::InvalidInput`] naming the line, unless
/// `opts.skip_bad`; [`crate::ErrorKind::Io`] when reading fails.
///
/// # Example
/// ```
/// use samestory::io::{read_jsonl, ReadOptions};
/// let input = "{\"id\": 7, \"text\": \"hello\"}\n{\"text\": \"no id\"}\nnot json\n";
/// let err = read_jsonl(input.as_bytes(), "in.jsonl".as_ref(), ReadOptions::default()).unwrap_err();
/// assert!(err.to_string().starts_with("in.jsonl:3:"));
/// let c = read_jsonl(input.as_bytes(), "in.jsonl".as_ref(), ReadOptions { skip_bad: true })?;
/// assert_eq!(c.docs.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["7", "2"]);
/// assert_eq!(c.skipped[0].line, 3);
/// # Ok::<(), samestory::Error>(())
/// ```
pub fn read_jsonl(mut reader: impl BufRead, path: &Path, opts: ReadOptions) -> Result<Corpus, Error> {
    let mut corpus = Corpus::default();
    let mut ids: FxHashSet<String> = FxHashSet::default();
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        match parse_line(&buf, line_no) {
            Ok(None) => {}
            Ok(Some(doc)) if ids.contains(&doc.id) => {
                let reason = format!("duplicate id {:?}", doc.id);
                if !opts.skip_bad {
                    return Err(Error::input(path, Some(line_no), reason));
                }
                corpus.skipped.push(BadLine { line: line_no, reason });
            }
            Ok(Some(doc)) => {
                ids.insert(doc.id.clone());
                corpus.docs.push(doc);
            }
            Err(reason) if opts.skip_bad => corpus.skipped.push(BadLine { line: line_no, reason }),
            Err(reason) => return Err(Error::input(path, Some(line_no), reason)),
        }
    }
    Ok(corpus)
}

fn parse_line(bytes: &[u8], line_no: u64) -> Result<Option<Document>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))?;
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let value: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    let Value::Object(map) = value else {
        return Err("expected a JSON object".into());
    };
    let id = match map.get("id") {
        None | Some(Value::Null) => line_no.to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
        Some(other) => return Err(format!("field `id` must be a string or an integer, got {}", kind(other))),
    };
    let string = |name: &str| -> Result<Option<String>, String> {
        match map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!("field `{name}` must be a string, got {}", kind(other))),
        }
    };
    let body = string("text")?.ok_or_else(|| "missing field `text`".to_string())?;
    let date = match string("date")? {
        Some(d) if d.trim().is_empty() => None,
        Some(d) => Some(Date::parse(&d).map_err(|_| format!("field `date`: {d:?} is not a YYYY-MM-DD date"))?),
        None => None,
    };
    Ok(Some(Document { id, text: body, title: string("title")?, date, source: string("source")? }))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads every `*.txt` file of a folder (sorted by name; id = file name).
///
/// # Errors
/// [`crate::ErrorKind::InvalidInput`] naming a file that is not UTF-8, or
/// [`crate::ErrorKind::Io`].
pub fn read_txt_dir(dir: &Path) -> Result<Corpus, Error> {
    // A directory entry that cannot be read is an error, not a silently missing document.
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.is_file() && path.extension().is_some_and(|x| x == "txt") {
            files.push(path);
        }
    }
    files.sort();
    let mut docs = Vec::with_capacity(files.len());
    for p in files {
        let mut bytes = Vec::new();
        fs::File::open(&p).and_then(|mut f| f.read_to_end(&mut bytes)).map_err(|e| Error::io(&p, e))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            Error::input(&p, None, format!("not UTF-8 (first invalid byte at offset {})", e.utf8_error().valid_up_to()))
        })?;
        let id = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        docs.push(Document::new(id, text));
    }
    Ok(Corpus { docs, skipped: Vec::new() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &[u8], skip: bool) -> Result<Corpus, Error> {
        read_jsonl(s, Path::new("t.jsonl"), ReadOptions { skip_bad: skip })
    }

    #[test]
    fn every_bad_line_named_and_nothing_lost() {
        let input = b"{\"id\":\"a\",\"text\":\"x\",\"date\":\"2020-01-02\",\"title\":null}\n\n{\"id\":\"b\"}\n{\"id\":\"a\",\"text\":\"y\"}\n\xff\xfe\n{\"id\":1.5,\"text\":\"z\"}\n{\"text\":\"w\",\"date\":\"tomorrow\"}\n[1]\n{\"id\":\"c\",\"text\":\"ok\",\"cluster\":\"leak\"}\n";
        let e = read(input, false).unwrap_err().to_string();
        assert!(e.contains("t.jsonl:3") && e.contains("missing field `text`"), "{e}");
        let c = read(input, true).unwrap();
        assert_eq!(c.docs.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["a", "c"]);
        let lines: Vec<u64> = c.skipped.iter().map(|b| b.line).collect();
        assert_eq!(lines, [3, 4, 5, 6, 7, 8]);
        assert!(c.skipped[1].reason.contains("duplicate id"));
        assert!(c.skipped[2].reason.contains("UTF-8"));
        assert!(c.skipped[3].reason.contains("`id`"));
        assert!(c.skipped[4].reason.contains("`date`"));
        assert_eq!(c.docs[0].date.map(|d| d.to_string()).as_deref(), Some("2020-01-02"));
    }

    #[test]
    fn last_line_without_newline_and_crlf() {
        let c = read(b"{\"text\":\"a\"}\r\n{\"text\":\"b\"}", false).unwrap();
        assert_eq!(c.docs.len(), 2);
        assert_eq!(c.docs[1].id, "2");
    }
}
