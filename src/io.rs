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
use serde::de::{self, MapAccess, SeqAccess, Visitor};

use crate::document::Document;
use crate::error::Error;
use crate::text::date::Date;

/// How to treat bad input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// Skip malformed JSONL lines (and list them) instead of failing.
    pub skip_bad: bool,
    /// Longest JSONL line or `.txt` file read, in bytes (default 64 MiB, four
    /// times the detector's default document limit, room for JSON escapes).
    /// A longer line is a bad line (never held in memory whole); a longer
    /// file is an error naming it.
    pub max_record_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions { skip_bad: false, max_record_bytes: 64 << 20 }
    }
}

impl ReadOptions {
    /// The defaults, skipping bad lines when `skip_bad`.
    pub fn with_skip_bad(skip_bad: bool) -> ReadOptions {
        ReadOptions { skip_bad, ..ReadOptions::default() }
    }
}

/// Position of the first `\n` in `bytes`, eight bytes at a time.
pub(crate) fn find_newline(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])) ^ (ONES * u64::from(b'\n'));
        // A zero byte of `word` is a newline; this is non-zero exactly when there is one.
        let zero = word.wrapping_sub(ONES) & !word & HIGHS;
        if zero != 0 {
            return Some(at + (zero.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks.remainder().iter().position(|&b| b == b'\n').map(|i| at + i)
}

/// Reads one line into `buf` (cleared first), keeping at most `max` bytes:
/// returns the bytes consumed and whether the line was longer (then `buf`
/// is empty and the rest of the line was read past, not stored).
pub(crate) fn read_line_capped(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<(usize, bool)> {
    buf.clear();
    let (mut total, mut too_long) = (0usize, false);
    loop {
        let avail = match reader.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok((total, too_long));
        }
        let (len, done) = match find_newline(avail) {
            Some(i) => (i + 1, true),
            None => (avail.len(), false),
        };
        if !too_long {
            if buf.len() + len > max.saturating_add(2) {
                // Over the limit (a line ending of up to two bytes is allowed beyond it).
                too_long = true;
                buf.clear();
                buf.shrink_to(1 << 16);
            } else {
                buf.extend_from_slice(&avail[..len]);
            }
        }
        reader.consume(len);
        total += len;
        if done {
            return Ok((total, too_long));
        }
    }
}

/// A skipped line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
        read_txt_dir_with(path, opts)
    } else {
        let f = fs::File::open(path).map_err(|e| Error::io(path, e))?;
        read_jsonl(BufReader::with_capacity(1 << 20, f), path, opts)
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
/// let c = read_jsonl(input.as_bytes(), "in.jsonl".as_ref(), ReadOptions::with_skip_bad(true))?;
/// assert_eq!(c.docs.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["7", "2"]);
/// assert_eq!(c.skipped[0].line, 3);
/// # Ok::<(), samestory::Error>(())
/// ```
pub fn read_jsonl(reader: impl BufRead, path: &Path, opts: ReadOptions) -> Result<Corpus, Error> {
    let mut docs = Vec::new();
    let skipped = read_jsonl_with(reader, path, opts, |d| {
        docs.push(d);
        true
    })?;
    Ok(Corpus { docs, skipped })
}

/// [`read_jsonl`], handing each document to `emit` in input order instead
/// of collecting them; returns the lines skipped. Reading stops early,
/// without an error, when `emit` returns false.
pub(crate) fn read_jsonl_with(
    mut reader: impl BufRead,
    path: &Path,
    opts: ReadOptions,
    mut emit: impl FnMut(Document) -> bool,
) -> Result<Vec<BadLine>, Error> {
    let mut skipped = Vec::new();
    let mut ids: FxHashSet<String> = FxHashSet::default();
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    loop {
        let (n, too_long) =
            read_line_capped(&mut reader, &mut buf, opts.max_record_bytes).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let parsed = if too_long {
            Err(format!("line of {n} bytes is longer than the limit of {} (max_record_bytes)", opts.max_record_bytes))
        } else {
            parse_line(&buf, line_no)
        };
        match parsed {
            Ok(None) => {}
            Ok(Some(doc)) if ids.contains(&doc.id) => {
                let reason = format!("duplicate id {:?}", doc.id);
                if !opts.skip_bad {
                    return Err(Error::input(path, Some(line_no), reason));
                }
                skipped.push(BadLine { line: line_no, reason });
            }
            Ok(Some(doc)) => {
                ids.insert(doc.id.clone());
                if !emit(doc) {
                    break;
                }
            }
            Err(reason) if opts.skip_bad => skipped.push(BadLine { line: line_no, reason }),
            Err(reason) => return Err(Error::input(path, Some(line_no), reason)),
        }
    }
    Ok(skipped)
}

/// A value read through and dropped. Its strings are decoded (into the
/// parser's scratch space, no allocation), so an invalid escape in a field
/// the reader does not use is still invalid JSON, as in a used one.
struct Skip;

impl<'de> de::Deserialize<'de> for Skip {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Skip, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Skip;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_str<E>(self, _: &str) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_unit<E>(self) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_none<E>(self) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
                while seq.next_element::<Skip>()?.is_some() {}
                Ok(Skip)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
                while map.next_entry::<Skip, Skip>()?.is_some() {}
                Ok(Skip)
            }
        }
        d.deserialize_any(V)
    }
}

/// A JSON value as the reader sees it: a string, an integer (kept as its
/// decimal text), null, an object (its used fields), or the kind of anything
/// else (for the error).
enum Field {
    Str(String),
    Int(String),
    Null,
    Object(Box<Record>),
    Other(&'static str),
}

impl<'de> de::Deserialize<'de> for Field {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Field, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Field;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_str<E>(self, v: &str) -> Result<Field, E> {
                Ok(Field::Str(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Field, E> {
                Ok(Field::Str(v))
            }
            fn visit_unit<E>(self) -> Result<Field, E> {
                Ok(Field::Null)
            }
            fn visit_none<E>(self) -> Result<Field, E> {
                Ok(Field::Null)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Field, E> {
                Ok(Field::Other("a boolean"))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Field, E> {
                Ok(Field::Int(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Field, E> {
                Ok(Field::Int(v.to_string()))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Field, E> {
                Ok(Field::Other("a number"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Field, A::Error> {
                while seq.next_element::<Skip>()?.is_some() {}
                Ok(Field::Other("an array"))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Field, A::Error> {
                let mut r = Record::default();
                while let Some(key) = map.next_key::<Key>()? {
                    let slot = match key {
                        Key::Id => &mut r.id,
                        Key::Text => &mut r.text,
                        Key::Title => &mut r.title,
                        Key::Date => &mut r.date,
                        Key::Source => &mut r.source,
                        Key::Other => {
                            map.next_value::<Skip>()?;
                            continue;
                        }
                    };
                    *slot = Some(map.next_value::<Field>()?);
                }
                Ok(Field::Object(Box::new(r)))
            }
        }
        d.deserialize_any(V)
    }
}

impl Field {
    fn kind(&self) -> &'static str {
        match self {
            Field::Str(_) => "a string",
            Field::Int(_) => "a number",
            Field::Null => "null",
            Field::Object(_) => "an object",
            Field::Other(k) => k,
        }
    }
}

/// The fields the reader uses, by name (any other is skipped unparsed).
enum Key {
    Id,
    Text,
    Title,
    Date,
    Source,
    Other,
}

impl<'de> de::Deserialize<'de> for Key {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Key;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E>(self, v: &str) -> Result<Key, E> {
                Ok(match v {
                    "id" => Key::Id,
                    "text" => Key::Text,
                    "title" => Key::Title,
                    "date" => Key::Date,
                    "source" => Key::Source,
                    _ => Key::Other,
                })
            }
        }
        d.deserialize_str(V)
    }
}

/// The fields of an object the reader uses (a repeated field: its last
/// value, as a JSON object map keeps it).
#[derive(Default)]
struct Record {
    id: Option<Field>,
    text: Option<Field>,
    title: Option<Field>,
    date: Option<Field>,
    source: Option<Field>,
}

/// Parses one line straight into a document: the used fields are read into
/// their strings (one allocation each), the others skipped without building
/// a JSON tree.
pub(crate) fn parse_line(bytes: &[u8], line_no: u64) -> Result<Option<Document>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))?;
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value: Field = de::Deserialize::deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| format!("invalid JSON: {e}"))?;
    let Field::Object(record) = value else {
        return Err("expected a JSON object".into());
    };
    let id = match record.id {
        None | Some(Field::Null) => line_no.to_string(),
        Some(Field::Str(s) | Field::Int(s)) => s,
        Some(other) => return Err(format!("field `id` must be a string or an integer, got {}", other.kind())),
    };
    let string = |name: &str, f: Option<Field>| -> Result<Option<String>, String> {
        match f {
            None | Some(Field::Null) => Ok(None),
            Some(Field::Str(s)) => Ok(Some(s)),
            Some(other) => Err(format!("field `{name}` must be a string, got {}", other.kind())),
        }
    };
    let body = string("text", record.text)?.ok_or_else(|| "missing field `text`".to_string())?;
    let date = match string("date", record.date)? {
        Some(d) if d.trim().is_empty() => None,
        Some(d) => Some(Date::parse(&d).map_err(|_| format!("field `date`: {d:?} is not a YYYY-MM-DD date"))?),
        None => None,
    };
    Ok(Some(Document {
        id,
        text: body,
        title: string("title", record.title)?,
        date,
        source: string("source", record.source)?,
    }))
}

/// Reads every `*.txt` file of a folder (sorted by name; id = file name).
///
/// # Errors
/// [`crate::ErrorKind::InvalidInput`] naming a file that is not UTF-8, or
/// [`crate::ErrorKind::Io`].
pub fn read_txt_dir(dir: &Path) -> Result<Corpus, Error> {
    read_txt_dir_with(dir, ReadOptions::default())
}

/// [`read_txt_dir`] with a file size limit from `opts.max_record_bytes`.
///
/// # Errors
/// Those of [`read_txt_dir`], and [`crate::ErrorKind::InvalidInput`] naming
/// a file over the limit.
pub fn read_txt_dir_with(dir: &Path, opts: ReadOptions) -> Result<Corpus, Error> {
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
        let limit = opts.max_record_bytes as u64;
        fs::File::open(&p)
            .and_then(|f| f.take(limit.saturating_add(1)).read_to_end(&mut bytes))
            .map_err(|e| Error::io(&p, e))?;
        if bytes.len() as u64 > limit {
            return Err(Error::input(
                &p,
                None,
                format!("file is larger than the limit of {limit} bytes (max_record_bytes)"),
            ));
        }
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
        read_jsonl(s, Path::new("t.jsonl"), ReadOptions::with_skip_bad(skip))
    }

    /// The reader as first written, through a `serde_json::Value` tree: the
    /// oracle for the streaming [`parse_line`].
    fn parse_line_via_value(bytes: &[u8], line_no: u64) -> Result<Option<Document>, String> {
        use serde_json::Value;
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

    /// JSON values of every kind, and pieces that are not JSON.
    #[rustfmt::skip]
    const VALUES: &[&str] = &[
        "\"a\"", "\"x\\ny \\\"q\\\" \\u00e9\"", "\"2023-09-13\"", "\" \"", "\"13/09/2023\"", "\"\"", "7", "-3",
        "18446744073709551615", "99999999999999999999", "1.5", "-0", "1e3", "true", "false", "null", "[]", "[1,[2,{}]]",
        "{}", "{\"text\":\"in\"}", "\"caf\u{e9}\"", "\"\\ud800\"", "tru", "\"open", "{", "]", "0x1",
    ];
    const KEYS: &[&str] =
        &["\"id\"", "\"text\"", "\"title\"", "\"date\"", "\"source\"", "\"topic\"", "\"te\\u0078t\"", "\"\""];

    proptest::proptest! {
        #[test]
        fn streaming_parse_equals_value_parse(
            fields in proptest::collection::vec((proptest::sample::select(KEYS), proptest::sample::select(VALUES)), 0..7),
            wrap in 0..6u8,
            line_no in 1..1000u64,
        ) {
            let body = fields.iter().map(|(k, v)| format!("{k}:{v}")).collect::<Vec<_>>().join(",");
            let line = match wrap {
                0 => format!("{{{body}}}"),
                1 => format!("  {{{body}}}  "),
                2 => format!("[{body}]"),
                3 => format!("{{{body}}} x"),
                4 => body.clone(),
                _ => format!("{{{body}}}\r\n"),
            };
            proptest::prop_assert_eq!(parse_line(line.as_bytes(), line_no), parse_line_via_value(line.as_bytes(), line_no), "{}", line);
        }

        #[test]
        fn streaming_parse_equals_value_parse_on_any_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            proptest::prop_assert_eq!(parse_line(&bytes, 1), parse_line_via_value(&bytes, 1));
        }
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
    fn over_long_lines_are_bad_lines_and_the_rest_is_read() {
        let long = format!("{{\"id\":\"big\",\"text\":\"{}\"}}", "x".repeat(5000));
        let input = format!("{{\"text\":\"a\"}}\n{long}\n{{\"text\":\"b\"}}\n");
        let opts = ReadOptions { max_record_bytes: 1000, ..ReadOptions::default() };
        let e = read_jsonl(input.as_bytes(), Path::new("t.jsonl"), opts).unwrap_err().to_string();
        assert!(e.starts_with("t.jsonl:2:") && e.contains("max_record_bytes"), "{e}");
        let c = read_jsonl(input.as_bytes(), Path::new("t.jsonl"), ReadOptions { skip_bad: true, ..opts }).unwrap();
        assert_eq!(c.docs.iter().map(|d| d.text.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(c.skipped.len(), 1);
        // Small read buffers: the line is consumed in pieces, never stored whole.
        let small = std::io::BufReader::with_capacity(7, input.as_bytes());
        let c = read_jsonl(small, Path::new("t.jsonl"), ReadOptions { skip_bad: true, ..opts }).unwrap();
        assert_eq!((c.docs.len(), c.skipped[0].line), (2, 2));
        // Exactly at the limit is fine, with its line ending.
        let exact = format!("{}\r\n", long);
        let at = ReadOptions { max_record_bytes: long.len(), ..ReadOptions::default() };
        assert_eq!(read_jsonl(exact.as_bytes(), Path::new("t.jsonl"), at).unwrap().docs.len(), 1);
    }

    #[test]
    fn find_newline_equals_position() {
        let mut bytes = vec![b'a'; 40];
        assert_eq!(find_newline(&bytes), None);
        for at in [0, 1, 7, 8, 9, 15, 16, 31, 38, 39] {
            bytes[at] = b'\n';
            assert_eq!(find_newline(&bytes), bytes.iter().position(|&b| b == b'\n'), "newline at {at}");
            for from in 0..bytes.len() {
                assert_eq!(find_newline(&bytes[from..]), bytes[from..].iter().position(|&b| b == b'\n'));
            }
        }
        // Bytes next to 0x0a in value never count.
        let near: Vec<u8> = (0..=255u8).filter(|&b| b != b'\n').collect();
        assert_eq!(find_newline(&near), None);
    }

    #[test]
    fn last_line_without_newline_and_crlf() {
        let c = read(b"{\"text\":\"a\"}\r\n{\"text\":\"b\"}", false).unwrap();
        assert_eq!(c.docs.len(), 2);
        assert_eq!(c.docs[1].id, "2");
    }
}
