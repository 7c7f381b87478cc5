//! Reading a folder of `.txt` files: one document per file, its name the id.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::corpus::{Corpus, ReadOptions};
use crate::document::Document;
use crate::error::Error;

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
    Ok(Corpus { docs, skipped: Vec::new(), warnings: Vec::new() })
}
