//! JSON Lines reader on arbitrary bytes, with and without `skip_bad`.
//!
//! Nothing may panic, and:
//! * with `skip_bad`, every non-blank line is a document or a skipped line:
//!   `docs.len() + skipped.len()` equals the number of non-blank lines, where
//!   a line is what `read_until(b'\n')` returns and "non-blank" is the
//!   reader's own rule (`src/io/record.rs`, `parse_line`): a line that is not UTF-8
//!   counts (it is rejected), a UTF-8 line counts when `str::trim` (Unicode
//!   white space) leaves something. Lossy decoding then `str::trim` is that
//!   rule, since U+FFFD is not white space;
//! * skipped lines are non-blank, in increasing order, and ids are unique;
//! * without `skip_bad` the result is `Ok` iff nothing would be skipped, the
//!   `Ok` corpus equals the `skip_bad` one, and an error names the first
//!   skipped line as `fuzz.jsonl:LINE:`;
//! * a reader with a tiny buffer gives the same result as a slice.
#![no_main]

use std::collections::HashSet;
use std::io::BufReader;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use samestory::io::{ReadOptions, read_jsonl};

fn line_slices(data: &[u8]) -> Vec<&[u8]> {
    // The pieces `BufRead::read_until(b'\n')` returns, newline included.
    data.split_inclusive(|&b| b == b'\n').collect()
}

fn is_non_blank(line: &[u8]) -> bool {
    !String::from_utf8_lossy(line).trim().is_empty()
}

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.jsonl");
    let lines = line_slices(data);
    let non_blank = lines.iter().filter(|l| is_non_blank(l)).count();

    let skip = read_jsonl(data, path, ReadOptions::with_skip_bad(true)).expect("skip_bad reading a slice never fails");
    assert_eq!(
        skip.docs.len() + skip.skipped.len(),
        non_blank,
        "lines lost or double-counted: {} docs + {} skipped != {} non-blank lines",
        skip.docs.len(),
        skip.skipped.len(),
        non_blank
    );
    let mut prev = 0u64;
    for bad in &skip.skipped {
        assert!(bad.line > prev, "skipped lines not in increasing order");
        prev = bad.line;
        let idx = usize::try_from(bad.line - 1).unwrap();
        assert!(idx < lines.len(), "skipped line {} beyond the {} lines", bad.line, lines.len());
        assert!(is_non_blank(lines[idx]), "blank line {} reported as skipped", bad.line);
        assert!(!bad.reason.is_empty());
    }
    let mut ids = HashSet::new();
    for d in &skip.docs {
        assert!(ids.insert(d.id.as_str()), "duplicate id {:?} in the corpus", d.id);
    }

    let strict = read_jsonl(data, path, ReadOptions::with_skip_bad(false));
    match &strict {
        Ok(c) => {
            assert!(skip.skipped.is_empty(), "strict read is Ok but {} lines would be skipped", skip.skipped.len());
            assert!(c.skipped.is_empty());
            assert_eq!(c, &skip, "strict and skip_bad corpora differ on good input");
        }
        Err(e) => {
            let first =
                skip.skipped.first().unwrap_or_else(|| panic!("strict read failed ({e}) but nothing is skipped"));
            let msg = e.to_string();
            let prefix = format!("fuzz.jsonl:{}: ", first.line);
            assert!(msg.starts_with(&prefix), "error {msg:?} does not name line {}", first.line);
            assert_eq!(&msg[prefix.len()..], first.reason, "strict error and skipped reason differ");
        }
    }

    // Same result through a BufReader with a small buffer (lines cross refills).
    let cap = 1 + data.first().map_or(0, |&b| usize::from(b % 16));
    let small = read_jsonl(BufReader::with_capacity(cap, data), path, ReadOptions::with_skip_bad(true))
        .expect("skip_bad reading from memory never fails");
    assert_eq!(small, skip, "result depends on the reader's buffer size");
});
