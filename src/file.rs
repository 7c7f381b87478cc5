//! Reading a corpus once while learning it: a JSON Lines file (or
//! standard input, or any reader) is parsed on one thread while the
//! batches already parsed are learned on the pool, keeping each document's
//! tokens, never its text. [`Detector::cluster_file`](crate::Detector::cluster_file)
//! and [`Detector::cluster_reader`](crate::Detector::cluster_reader) build on it.

use std::io::BufRead;
use std::path::Path;
use std::sync::{Condvar, Mutex, PoisonError};

use crate::admit;
use crate::document::Document;
use crate::error::Error;
use crate::features::Analyzer;
use crate::io::{BadLine, Lines, ReadOptions, read_jsonl_with, read_path};
use crate::learn::{LearnedRun, LearnerPool};
use crate::par;
use crate::stats::TokenTypes;

/// Documents per batch handed from the reading thread to the workers.
const BATCH: usize = 4096;

/// A corpus read once and learned: the ids in input order, the lines
/// skipped, the warnings, and what learning left.
pub(crate) struct TokenizedInput {
    pub ids: Vec<String>,
    pub skipped: Vec<BadLine>,
    pub warnings: Vec<BadLine>,
    pub learned: crate::learn::Learned,
}

/// Where a corpus comes from.
pub(crate) enum Input<'a, R> {
    /// A JSON Lines file, a folder of `.txt` files, or `-` for standard input.
    Path(&'a Path),
    /// JSON Lines from a reader, named `name` in errors.
    Reader(R, &'a Path),
    /// Documents from an iterator (their ids checked for repeats by the caller).
    Docs(Box<dyn Iterator<Item = Document> + Send + 'a>),
}

/// Hands the documents of JSON Lines from `reader` to `each` in batches,
/// in input order: with the `parallel` feature, a thread parses while
/// `each` works on the batch before. Stops at the first error of `each`,
/// which comes before any reading error (it is about earlier lines).
/// Returns the lines skipped and the warnings.
fn stream_jsonl(
    reader: impl BufRead + Send,
    path: &Path,
    opts: ReadOptions,
    each: impl FnMut(Vec<Document>) -> Result<(), Error>,
) -> Result<Lines, Error> {
    par::pipeline(
        move |send| {
            let mut batch = Vec::with_capacity(BATCH);
            let read = read_jsonl_with(reader, path, opts, |d| {
                batch.push(d);
                // A stopped consumer (its error is reported) stops the reading.
                batch.len() < BATCH || send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
            });
            if !batch.is_empty() {
                send(batch);
            }
            read
        },
        each,
    )
}

/// Hands a corpus to `each` in batches, in input order; returns the lines
/// skipped and the warnings.
fn read_once<R: BufRead + Send>(
    input: Input<'_, R>,
    opts: ReadOptions,
    mut each: impl FnMut(Vec<Document>) -> Result<(), Error>,
) -> Result<Lines, Error> {
    match input {
        Input::Docs(mut docs) => par::pipeline(
            move |send| {
                loop {
                    let batch: Vec<Document> = docs.by_ref().take(BATCH).collect();
                    let last = batch.len() < BATCH;
                    if batch.is_empty() || !send(batch) || last {
                        return Ok(Lines::default());
                    }
                }
            },
            each,
        ),
        Input::Reader(r, name) => stream_jsonl(r, name, opts, each),
        Input::Path(path) if path.as_os_str() == "-" => {
            stream_jsonl(std::io::BufReader::with_capacity(1 << 20, std::io::stdin()), path, opts, each)
        }
        Input::Path(path) if std::fs::metadata(path).map_err(|e| Error::io(path, e))?.is_dir() => {
            let corpus = read_path(path, opts)?;
            let mut docs = corpus.docs.into_iter().peekable();
            while docs.peek().is_some() {
                each(docs.by_ref().take(BATCH).collect())?;
            }
            Ok(Lines { skipped: corpus.skipped, warnings: corpus.warnings })
        }
        Input::Path(path) => {
            let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
            stream_jsonl(std::io::BufReader::with_capacity(1 << 20, file), path, opts, each)
        }
    }
}

/// Reads a corpus once and learns it, keeping each document's tokens.
/// Documents are checked against the size and count limits as they come.
pub(crate) fn tokenize<R: BufRead + Send>(
    an: &Analyzer,
    input: Input<'_, R>,
    opts: ReadOptions,
) -> Result<TokenizedInput, Error> {
    let cfg = an.config();
    let pool = LearnerPool::default();
    let mut ids: Vec<String> = Vec::new();
    // Checks a batch and takes its ids (learning needs the rest only).
    let mut take = |batch: &mut [Document]| {
        admit::check_count(&cfg.limits, ids.len() + batch.len())?;
        batch.iter().try_for_each(|d| admit::check_size(&cfg.limits, d))?;
        ids.extend(batch.iter_mut().map(|d| std::mem::take(&mut d.id)));
        Ok(())
    };
    // Each batch is learned by a job on the pool while the next is read:
    // two batches at most are in the pool at once, so that the last runs of
    // one overlap the first of the next and no thread waits.
    let learned: Mutex<Vec<(usize, Vec<LearnedRun>)>> = Mutex::default();
    let room = (Mutex::new(0usize), Condvar::new());
    let mut next = 0usize;
    let Lines { skipped, warnings } = par::scope(|scope| {
        read_once(input, opts, |mut batch| {
            take(&mut batch)?;
            let mut busy = room.0.lock().unwrap_or_else(PoisonError::into_inner);
            while *busy >= 2 {
                busy = room.1.wait(busy).unwrap_or_else(PoisonError::into_inner);
            }
            *busy += 1;
            drop(busy);
            let (index, pool, learned, room) = (next, &pool, &learned, &room);
            next += 1;
            scope.spawn(move || {
                // Frees the room even if learning panics (the scope then passes the panic on).
                struct Done<'a>(&'a (Mutex<usize>, Condvar));
                impl Drop for Done<'_> {
                    fn drop(&mut self) {
                        *self.0.0.lock().unwrap_or_else(PoisonError::into_inner) -= 1;
                        self.0.1.notify_one();
                    }
                }
                let _done = Done(room);
                let runs = pool.learn_runs(an, &batch);
                drop(batch);
                learned.lock().unwrap_or_else(PoisonError::into_inner).push((index, runs));
            });
            Ok(())
        })
    })?;
    let mut learned = learned.into_inner().unwrap_or_else(PoisonError::into_inner);
    learned.sort_unstable_by_key(|b| b.0);
    let mut runs: Vec<LearnedRun> = learned.into_iter().flat_map(|b| b.1).collect();
    ids.shrink_to_fit();
    runs.shrink_to_fit();
    let (stats, types): (_, Vec<TokenTypes>) = pool.finish_with_types();
    Ok(TokenizedInput { ids, skipped, warnings, learned: crate::learn::Learned { stats, runs, types } })
}
