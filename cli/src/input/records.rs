//! The records of each format: JSON Lines, CSV, and whole `.txt` files.

use std::io::{BufRead, Read};

use samestory::{Date, Document};

use super::{ReadError, Reader};

impl Reader<'_> {
    /// A whole file as one document, named `id`.
    pub(super) fn read_txt(
        &mut self,
        mut reader: Box<dyn BufRead + '_>,
        shown: &str,
        id: &str,
    ) -> Result<(), ReadError> {
        let mut bytes = Vec::new();
        // Read a little past the limit only: a larger file is bad without being held whole.
        let limit = self.cfg.max_doc_bytes as u64;
        if let Err(e) = (&mut reader).take(limit + 1).read_to_end(&mut bytes) {
            return self.bad(shown, None, format!("cannot read: {e}"));
        }
        if bytes.len() as u64 > limit {
            let reason = format!("file is over the document limit of {limit} bytes (--max-doc-bytes)");
            return self.bad(shown, None, reason);
        }
        match String::from_utf8(bytes) {
            Ok(text) => self.push(shown, None, Document::new(id, text)),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let line = 1 + e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() as u64;
                self.bad(shown, Some(line), format!("not UTF-8 (invalid byte at offset {at})"))
            }
        }
    }

    /// JSON Lines: one object a line, fields named by the `--*-field` options.
    pub(super) fn read_jsonl(&mut self, mut reader: Box<dyn BufRead + '_>, shown: &str) -> Result<(), ReadError> {
        let mut buf = Vec::new();
        let mut line = 0u64;
        // A line is held up to four times the document limit (room for JSON escapes), never whole beyond.
        let max = self.cfg.max_doc_bytes.saturating_mul(4);
        loop {
            let too_long = match samestory::io::read_line_capped(&mut reader, &mut buf, max) {
                Ok((0, _)) => return Ok(()),
                Ok((_, too_long)) => too_long,
                Err(e) => {
                    // A decoding error (a truncated archive) ends the file.
                    return self.bad(shown, Some(line + 1), format!("cannot read: {e}"));
                }
            };
            line += 1;
            if too_long {
                let reason = format!("line longer than {max} bytes, four times the document limit (--max-doc-bytes)");
                self.bad(shown, Some(line), reason)?;
                continue;
            }
            let text = match std::str::from_utf8(&buf) {
                Ok(t) => t.trim(),
                Err(e) => {
                    self.bad(shown, Some(line), format!("not UTF-8 (invalid byte at column {})", e.valid_up_to() + 1))?;
                    continue;
                }
            };
            if text.is_empty() {
                continue;
            }
            let value: serde_json::Value = match serde_json::from_str(text) {
                Ok(v) => v,
                Err(e) => {
                    self.bad(shown, Some(line), format!("invalid JSON: {e}"))?;
                    continue;
                }
            };
            let serde_json::Value::Object(mut map) = value else {
                self.bad(shown, Some(line), "expected a JSON object".into())?;
                continue;
            };
            let mut field = |name: &str| map.remove(name).filter(|v| !v.is_null());
            let cfg = self.cfg;
            let id = field(&cfg.id_field);
            let text = field(&cfg.text_field);
            let title = field(&cfg.title_field);
            let date = field(&cfg.date_field);
            let source = field(&cfg.source_field);
            let fields = Fields { id, text, title, date, source };
            if let Some(doc) = self.document(fields, shown, line)? {
                self.push(shown, Some(line), doc)?;
            }
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

impl Reader<'_> {
    /// The document of a JSON record, `None` when the record is bad and skipped.
    fn document(&mut self, f: Fields, shown: &str, line: u64) -> Result<Option<Document>, ReadError> {
        use serde_json::Value;
        let cfg = self.cfg;
        let id = match f.id {
            None => self.default_id(shown, line),
            Some(Value::String(s)) => s,
            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
            Some(other) => {
                let reason = format!("field `{}` must be a string or an integer, got {}", cfg.id_field, kind(&other));
                self.bad(shown, Some(line), reason)?;
                return Ok(None);
            }
        };
        let text = match f.text {
            Some(Value::String(s)) => s,
            None => {
                self.bad(shown, Some(line), format!("missing field `{}`", cfg.text_field))?;
                return Ok(None);
            }
            Some(other) => {
                let reason = format!("field `{}` must be a string, got {}", cfg.text_field, kind(&other));
                self.bad(shown, Some(line), reason)?;
                return Ok(None);
            }
        };
        let mut optional = |name: &str, v: Option<Value>| match v {
            None => None,
            Some(Value::String(s)) => Some(s),
            Some(other) => {
                self.warn(shown, Some(line), &format!("field `{name}` is {}, not a string; ignored", kind(&other)));
                None
            }
        };
        let title = optional(&cfg.title_field, f.title);
        let source = optional(&cfg.source_field, f.source);
        let date_text = optional(&cfg.date_field, f.date);
        let date = self.date_field(shown, Some(line), date_text);
        Ok(Some(Document { id, text, title, date, source }))
    }

    /// An optional date: a value that is not a calendar date is a warning and ignored.
    fn date_field(&mut self, shown: &str, line: Option<u64>, v: Option<String>) -> Option<Date> {
        let v = v?;
        if v.trim().is_empty() {
            return None;
        }
        let d = parse_date(&v);
        if d.is_none() {
            let msg = format!("field `{}`: {v:?} is not a calendar date (YYYY-MM-DD); ignored", self.cfg.date_field);
            self.warn(shown, line, &msg);
        }
        d
    }

    /// CSV: a header row naming the columns (case-insensitive), then one document a row.
    pub(super) fn read_csv(&mut self, reader: Box<dyn BufRead + '_>, shown: &str) -> Result<(), ReadError> {
        let cfg = self.cfg;
        let mut rdr = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(reader);
        let headers = match rdr.byte_headers() {
            Ok(h) => h.clone(),
            Err(e) => return self.bad(shown, Some(1), format!("cannot read the CSV header: {e}")),
        };
        let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name.as_bytes()));
        let Some(text_col) = col(&cfg.text_field) else {
            let reason = format!("the CSV header has no `{}` column (--text-field)", cfg.text_field);
            return self.bad(shown, Some(1), reason);
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
                    return self.bad(shown, Some(line), format!("invalid CSV: {e}"));
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
                    self.bad(shown, Some(line), reason)?;
                    continue;
                }
            };
            let id = id.filter(|s| !s.is_empty()).unwrap_or_else(|| self.default_id(shown, line));
            let nonempty = |s: Option<String>| s.filter(|s| !s.is_empty());
            let date = self.date_field(shown, Some(line), date);
            let doc = Document { id, text, title: nonempty(title), date, source: nonempty(source) };
            self.push(shown, Some(line), doc)?;
        }
    }
}
