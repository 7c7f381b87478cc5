//! Reading JSON Lines: a line at a time (at most
//! [`ReadOptions::max_record_bytes`] of it held), each parsed by
//! [`parse_line`], repeated ids refused, bad lines named or skipped.

use std::io::BufRead;
use std::path::Path;

use rustc_hash::FxHashSet;

use super::corpus::{BadLine, Corpus, ReadOptions};
use super::record::parse_line;
use crate::document::Document;
use crate::error::Error;
use crate::text::find_newline;

/// Reads one line into `buf` (cleared first), keeping at most `max` bytes
/// (plus a line ending): returns the bytes consumed (0 at the end of the
/// input) and whether the line was longer (then `buf` is empty and the rest
/// of the line was read past, never held whole). The JSON Lines readers of
/// this module read with it; so can readers of other line formats.
///
/// # Errors
/// The reader's errors.
///
/// # Example
/// ```
/// use samestory::io::read_line_capped;
/// let mut input = "short\nmuch too long a line\nok\n".as_bytes();
/// let mut buf = Vec::new();
/// assert_eq!(read_line_capped(&mut input, &mut buf, 8)?, (6, false));
/// assert_eq!(buf, b"short\n");
/// assert_eq!(read_line_capped(&mut input, &mut buf, 8)?, (21, true));
/// assert!(buf.is_empty());
/// assert_eq!(read_line_capped(&mut input, &mut buf, 8)?, (3, false));
/// assert_eq!(read_line_capped(&mut input, &mut buf, 8)?, (0, false));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn read_line_capped(reader: &mut impl BufRead, buf: &mut Vec<u8>, max: usize) -> std::io::Result<(usize, bool)> {
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
    let Lines { skipped, warnings } = read_jsonl_with(reader, path, opts, |d| {
        docs.push(d);
        true
    })?;
    Ok(Corpus { docs, skipped, warnings })
}

/// What reading lines leaves besides the documents: the lines skipped, and
/// the warnings of documents kept without an invalid optional field.
#[derive(Debug, Default)]
pub(crate) struct Lines {
    pub skipped: Vec<BadLine>,
    pub warnings: Vec<BadLine>,
}

/// [`read_jsonl`], handing each document to `emit` in input order instead
/// of collecting them. Reading stops early, without an error, when `emit`
/// returns false.
pub(crate) fn read_jsonl_with(
    mut reader: impl BufRead,
    path: &Path,
    opts: ReadOptions,
    mut emit: impl FnMut(Document) -> bool,
) -> Result<Lines, Error> {
    let mut skipped = Vec::new();
    let mut warnings = Vec::new();
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
            Ok(Some((doc, _))) if ids.contains(&doc.id) => {
                let reason = format!("duplicate id {:?}", doc.id);
                if !opts.skip_bad {
                    return Err(Error::input(path, Some(line_no), reason));
                }
                skipped.push(BadLine { line: line_no, reason });
            }
            Ok(Some((doc, warned))) => {
                warnings.extend(warned.into_iter().map(|reason| BadLine { line: line_no, reason }));
                ids.insert(doc.id.clone());
                if !emit(doc) {
                    break;
                }
            }
            Err(reason) if opts.skip_bad => skipped.push(BadLine { line: line_no, reason }),
            Err(reason) => return Err(Error::input(path, Some(line_no), reason)),
        }
    }
    Ok(Lines { skipped, warnings })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &[u8], skip: bool) -> Result<Corpus, Error> {
        read_jsonl(s, Path::new("t.jsonl"), ReadOptions::with_skip_bad(skip))
    }

    #[test]
    fn every_bad_line_named_and_nothing_lost() {
        let input = b"{\"id\":\"a\",\"text\":\"x\",\"date\":\"2020-01-02\",\"title\":null}\n\n{\"id\":\"b\"}\n{\"id\":\"a\",\"text\":\"y\"}\n\xff\xfe\n{\"id\":1.5,\"text\":\"z\"}\n{\"text\":\"w\",\"date\":\"tomorrow\"}\n[1]\n{\"id\":\"c\",\"text\":\"ok\",\"cluster\":\"leak\"}\n";
        let e = read(input, false).unwrap_err().to_string();
        assert!(e.contains("t.jsonl:3") && e.contains("missing field `text`"), "{e}");
        let c = read(input, true).unwrap();
        // An invalid optional field (line 7's date) loses the field, not the document.
        assert_eq!(c.docs.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["a", "7", "c"]);
        assert_eq!(c.docs[1].date, None);
        let lines: Vec<u64> = c.skipped.iter().map(|b| b.line).collect();
        assert_eq!(lines, [3, 4, 5, 6, 8]);
        assert!(c.skipped[1].reason.contains("duplicate id"));
        assert!(c.skipped[2].reason.contains("UTF-8"));
        assert!(c.skipped[3].reason.contains("`id`"));
        assert_eq!(c.warnings.len(), 1);
        assert_eq!(c.warnings[0].line, 7);
        assert!(c.warnings[0].reason.contains("`date`") && c.warnings[0].reason.contains("ignored"));
        assert_eq!(c.docs[0].date.map(|d| d.to_string()).as_deref(), Some("2020-01-02"));
    }

    #[test]
    fn impossible_dates_and_wrong_optional_types_are_warnings() {
        let input = concat!(
            r#"{"id":"a","text":"x","date":"2014-09-31"}"#,
            "\n",
            r#"{"id":"b","text":"y","title":5,"source":[1],"date":7}"#,
            "\n"
        )
        .as_bytes();
        let c = read(input, false).unwrap();
        assert_eq!(c.docs.len(), 2);
        assert!(c.docs.iter().all(|d| d.date.is_none() && d.title.is_none() && d.source.is_none()));
        let lines: Vec<u64> = c.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [1, 2, 2, 2]);
        assert!(c.warnings[0].reason.contains("2014-09-31"), "{:?}", c.warnings);
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
    fn last_line_without_newline_and_crlf() {
        let c = read(b"{\"text\":\"a\"}\r\n{\"text\":\"b\"}", false).unwrap();
        assert_eq!(c.docs.len(), 2);
        assert_eq!(c.docs[1].id, "2");
    }
}
