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

mod corpus;
mod jsonl;
mod record;
mod txt;

use std::fs;
use std::io::BufReader;
use std::path::Path;

use crate::error::Error;

pub use corpus::{BadLine, Corpus, ReadOptions};
pub(crate) use jsonl::{Lines, read_jsonl_with};
pub use jsonl::{read_jsonl, read_line_capped};
pub use txt::{read_txt_dir, read_txt_dir_with};

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
