//! Batch clustering of a JSON Lines file without holding the text:
//! [`Detector::cluster_file`] and its two stages,
//! [`Detector::tokenize_file`] and [`Detector::features_tokenized`]; and the
//! two streaming passes [`Detector::learn_file`] and
//! [`Detector::features_file`].
//!
//! The batch pipeline needs corpus statistics before any document's
//! features. [`Detector::cluster_file`] reads the file once: learning the
//! statistics, it keeps each document's tokens (four bytes a token) and
//! lines, not the text, and builds the features from them once the
//! statistics are complete. Memory holds the tokens or the features, the
//! ids and the statistics: a 3 GB file of a million generated news-sized
//! articles clusters in about half the memory of holding the text, and
//! standard input streams as well as a file. [`Detector::learn_file`] and
//! [`Detector::features_file`] read the file twice instead and keep nothing
//! between the passes but the statistics and the ids.
//!
//! With the `parallel` feature, the file is parsed on one thread while the
//! batches already parsed are learned on the rayon pool.

use std::path::Path;
use std::sync::Mutex;

use crate::analyze::{Features, Scratch, TermWeights, Tokenized};
use crate::cluster::Clustering;
use crate::detector::Detector;
use crate::document::Document;
use crate::error::{Error, ErrorKind};
use crate::io::{BadLine, Corpus, ReadOptions, parse_line, read_jsonl_with, read_line_capped, read_path};
use crate::stats::{CorpusStats, Learner, TokenTypes};

/// Documents per batch handed from the reading thread to the workers.
const BATCH: usize = 4096;

/// What the first pass over a file keeps ([`Detector::learn_file`]).
#[derive(Debug, Clone, PartialEq)]
pub struct LearnedFile {
    /// The documents' ids, in input order: position `i` is document `i` of
    /// the features and of the clustering.
    pub ids: Vec<String>,
    /// Lines skipped under [`ReadOptions::skip_bad`] (always empty otherwise).
    pub skipped: Vec<BadLine>,
    /// The statistics learned from the documents.
    pub stats: CorpusStats,
    /// The size of the documents read, in bytes (the sum of [`Document::size`]).
    pub text_bytes: u64,
}

/// A file clustered by [`Detector::cluster_file`].
#[derive(Debug, Clone)]
pub struct ClusteredFile {
    /// The documents' ids, in input order (the clustering's positions).
    pub ids: Vec<String>,
    /// Lines skipped under [`ReadOptions::skip_bad`] (always empty otherwise).
    pub skipped: Vec<BadLine>,
    /// The stories.
    pub clustering: Clustering,
}

/// What one pass over a file keeps so that the features need not read it
/// again ([`Detector::tokenize_file`]): what [`LearnedFile`] holds, and the
/// tokens of every document, each as a four-byte code, with its
/// lines' hashes (about 2 KB per news-sized document, less than its
/// features will take).
pub struct TokenizedFile {
    /// The documents' ids, in input order: position `i` is document `i` of
    /// the features and of the clustering.
    pub ids: Vec<String>,
    /// Lines skipped under [`ReadOptions::skip_bad`] (always empty otherwise).
    pub skipped: Vec<BadLine>,
    /// The statistics learned from the documents. The features are built
    /// against these: compact them first ([`CorpusStats::compact`]), as
    /// [`Detector::cluster_file`] does, to save memory.
    pub stats: CorpusStats,
    /// The size of the documents read, in bytes (the sum of [`Document::size`]).
    pub text_bytes: u64,
    runs: Vec<LearnedRun>,
    types: Vec<TokenTypes>,
}

impl std::fmt::Debug for TokenizedFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenizedFile")
            .field("documents", &self.ids.len())
            .field("skipped", &self.skipped.len())
            .field("terms", &self.stats.vocabulary())
            .field("text_bytes", &self.text_bytes)
            .field("token_bytes", &self.token_bytes())
            .finish()
    }
}

impl TokenizedFile {
    /// The memory the kept tokens take, in bytes.
    pub fn token_bytes(&self) -> usize {
        self.runs.iter().map(|r| r.run.heap_bytes()).sum::<usize>()
            + self.types.iter().map(TokenTypes::heap_bytes).sum::<usize>()
    }
}

/// Values lent to the jobs of a parallel loop and kept for the next loop:
/// each job borrows one (a new one when none is free) and gives it back
/// when it ends.
pub(crate) struct Pool<T> {
    free: Mutex<Vec<T>>,
}

impl<T> Default for Pool<T> {
    fn default() -> Pool<T> {
        Pool { free: Mutex::new(Vec::new()) }
    }
}

/// A value lent to one job, back in its pool when the job ends.
pub(crate) struct Lease<'a, T> {
    item: Option<T>,
    pool: &'a Pool<T>,
}

impl<T> Drop for Lease<'_, T> {
    fn drop(&mut self) {
        if let Some(item) = self.item.take() {
            self.pool.free.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(item);
        }
    }
}

impl<T: Default> Lease<'_, T> {
    /// The value lent (it is only taken out when the lease ends).
    fn get(&mut self) -> &mut T {
        self.item.get_or_insert_with(T::default)
    }
}

impl<T: Default> Pool<T> {
    fn lease(&self) -> Lease<'_, T> {
        let item = self.free.lock().unwrap_or_else(std::sync::PoisonError::into_inner).pop().unwrap_or_default();
        Lease { item: Some(item), pool: self }
    }

    /// `f` of each item, in order, on the rayon pool (in order on one thread
    /// without `parallel`), each job with a value from the pool.
    fn map<I: Sync, R: Send>(&self, items: &[I], f: impl Fn(&mut T, &I) -> R + Sync + Send) -> Vec<R>
    where
        T: Send,
    {
        let one = |lease: &mut Lease<'_, T>, item: &I| f(lease.get(), item);
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            items.par_iter().map_init(|| self.lease(), one).collect()
        }
        #[cfg(not(feature = "parallel"))]
        {
            let mut lease = self.lease();
            items.iter().map(|i| one(&mut lease, i)).collect()
        }
    }

    /// [`map`](Self::map) over owned items, each dropped once `f` is done with it.
    fn map_owned<I: Send, R: Send>(&self, items: Vec<I>, f: impl Fn(&mut T, I) -> R + Sync + Send) -> Vec<R>
    where
        T: Send,
    {
        let one = |lease: &mut Lease<'_, T>, item: I| f(lease.get(), item);
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            items.into_par_iter().map_init(|| self.lease(), one).collect()
        }
        #[cfg(not(feature = "parallel"))]
        {
            let mut lease = self.lease();
            items.into_iter().map(|i| one(&mut lease, i)).collect()
        }
    }
}

/// Documents per [`Tokenized`] run: a few runs per batch for each thread.
const RUN_DOCS: usize = 256;

/// A learner with its buffers.
#[derive(Default)]
struct Worker {
    learner: Learner,
    scratch: Scratch,
}

/// A learner for each thread of the rayon pool (and one for any other
/// thread), merged at the end: learning is a sum of counts, so any split of
/// the documents over the learners gives the same statistics. Each thread
/// keeps to its own learner, whose maps stay in that core's cache.
pub(crate) struct LearnerPool {
    workers: Vec<Mutex<Worker>>,
}

impl Default for LearnerPool {
    fn default() -> LearnerPool {
        #[cfg(feature = "parallel")]
        let threads = rayon::current_num_threads();
        #[cfg(not(feature = "parallel"))]
        let threads = 0;
        LearnerPool { workers: (0..=threads).map(|_| Mutex::default()).collect() }
    }
}

/// A run of documents learned by [`LearnerPool::learn_runs`]: their tokens,
/// as codes of the learner numbered `learner`.
pub(crate) struct LearnedRun {
    learner: u32,
    run: Tokenized,
}

impl LearnerPool {
    /// The calling thread's learner, and its number.
    fn worker(&self) -> (usize, std::sync::MutexGuard<'_, Worker>) {
        #[cfg(feature = "parallel")]
        let i = rayon::current_thread_index().map_or(self.workers.len() - 1, |i| i.min(self.workers.len() - 1));
        #[cfg(not(feature = "parallel"))]
        let i = 0;
        // A panic while learning ends the whole call, so a poisoned learner is never read.
        (i, self.workers[i].lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// Learns a batch of documents on the rayon pool (in order on one thread without `parallel`).
    pub(crate) fn learn(&self, detector: &Detector, docs: &[Document]) {
        let learn = |part: &[Document]| {
            let (_, mut w) = self.worker();
            let Worker { learner, scratch } = &mut *w;
            for d in part {
                detector.an.learn_into(d, scratch, learner);
            }
        };
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            docs.par_chunks(64).for_each(learn);
        }
        #[cfg(not(feature = "parallel"))]
        learn(docs);
    }

    /// [`learn`](Self::learn), keeping the tokens of the documents, in
    /// runs in input order, for [`Detector::features_of_runs`].
    pub(crate) fn learn_runs(&self, detector: &Detector, docs: &[Document]) -> Vec<LearnedRun> {
        self.learn_runs_of(detector, docs, RUN_DOCS)
    }

    /// [`learn_runs`](Self::learn_runs) in runs of `run_docs` documents.
    pub(crate) fn learn_runs_of(&self, detector: &Detector, docs: &[Document], run_docs: usize) -> Vec<LearnedRun> {
        let one = |part: &[Document]| {
            let (i, mut w) = self.worker();
            let Worker { learner, scratch } = &mut *w;
            let mut run = Tokenized::default();
            for d in part {
                detector.an.learn_into_run(d, scratch, learner, &mut run);
            }
            run.shrink_to_fit();
            LearnedRun { learner: i as u32, run }
        };
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            docs.par_chunks(run_docs.max(1)).map(one).collect()
        }
        #[cfg(not(feature = "parallel"))]
        docs.chunks(run_docs.max(1)).map(one).collect()
    }

    /// The statistics of everything learned.
    pub(crate) fn finish(self) -> CorpusStats {
        self.finish_with_types().0
    }

    /// The statistics of everything learned, and the token types of each
    /// learner, by its number.
    pub(crate) fn finish_with_types(self) -> (CorpusStats, Vec<TokenTypes>) {
        let learners: Vec<Learner> = self
            .workers
            .into_iter()
            .map(|w| w.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner).learner)
            .collect();
        // Each learner's maps become statistics on a thread of its own; the
        // others are then merged into the largest, which is not copied.
        let finish = |l: Learner| l.finish_with_types();
        #[cfg(feature = "parallel")]
        let (mut parts, types): (Vec<CorpusStats>, Vec<TokenTypes>) = {
            use rayon::prelude::*;
            learners.into_par_iter().map(finish).unzip()
        };
        #[cfg(not(feature = "parallel"))]
        let (mut parts, types): (Vec<CorpusStats>, Vec<TokenTypes>) = learners.into_iter().map(finish).unzip();
        let largest = (0..parts.len()).max_by_key(|&i| parts[i].docs()).unwrap_or(0);
        let mut all = if parts.is_empty() { CorpusStats::new() } else { parts.swap_remove(largest) };
        for p in &parts {
            all.merge(p);
        }
        (all, types)
    }
}

impl Detector {
    /// The features of documents learned in `runs` (in order) by learners
    /// whose types are `types`, against the complete statistics learned:
    /// the [`features`](Self::features) of the documents, without reading or
    /// tokenizing them again. Each run is freed once its features are built.
    pub(crate) fn features_of_runs(
        &self,
        runs: Vec<LearnedRun>,
        types: &[TokenTypes],
        stats: &CorpusStats,
    ) -> Vec<Features> {
        let weights: Vec<TermWeights> =
            crate::detector::par_map_init(types, |_, t, _: &mut ()| TermWeights::of(t, stats));
        let scratch: Pool<Scratch> = Pool::default();
        let per_run = scratch.map_owned(runs, |s, r| {
            let i = r.learner as usize;
            self.an.features_of_run(&r.run, &types[i], &weights[i], stats, s)
        });
        let mut feats = Vec::with_capacity(per_run.iter().map(Vec::len).sum());
        for f in per_run {
            feats.extend(f);
        }
        feats
    }

    /// The clustering of the documents learned in `runs` into `stats` (by
    /// learners whose types are `types`): the statistics compacted, the
    /// features built from the runs, then [`cluster_features`](Self::cluster_features),
    /// each input freed as soon as it is no longer needed.
    pub(crate) fn cluster_runs(
        &self,
        runs: Vec<LearnedRun>,
        types: Vec<TokenTypes>,
        mut stats: CorpusStats,
    ) -> Clustering {
        stats.compact();
        let feats = self.features_of_runs(runs, &types, &stats);
        drop(types);
        let corpus_docs = stats.docs();
        drop(stats);
        self.cluster_features(feats, corpus_docs)
    }
}

/// Reads a JSON Lines file as [`crate::io::read_jsonl`] does and hands its
/// documents to `each` in batches, in input order: with the `parallel`
/// feature, a thread parses the file while `each` works on the batch before.
/// Stops at the first error of `each`, which comes before any reading error
/// (it is about earlier lines). Returns the lines skipped.
pub(crate) fn stream_jsonl(
    path: &Path,
    opts: ReadOptions,
    each: impl FnMut(Vec<Document>) -> Result<(), Error>,
) -> Result<Vec<BadLine>, Error> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    stream_jsonl_from(std::io::BufReader::with_capacity(1 << 20, file), path, opts, each)
}

/// [`stream_jsonl`] of JSON Lines from `reader`; `path` names the input in errors.
pub(crate) fn stream_jsonl_from(
    reader: impl std::io::BufRead + Send,
    path: &Path,
    opts: ReadOptions,
    mut each: impl FnMut(Vec<Document>) -> Result<(), Error>,
) -> Result<Vec<BadLine>, Error> {
    #[cfg(feature = "parallel")]
    {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Document>>(2);
        std::thread::scope(|scope| {
            let reading = scope.spawn(move || {
                let mut batch = Vec::with_capacity(BATCH);
                let read = read_jsonl_with(reader, path, opts, |d| {
                    batch.push(d);
                    // A closed channel means the consumer stopped (its error is reported): stop reading.
                    batch.len() < BATCH || tx.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))).is_ok()
                });
                if !batch.is_empty() {
                    let _ = tx.send(batch);
                }
                read
            });
            let mut result = Ok(());
            for batch in &rx {
                result = each(batch);
                if result.is_err() {
                    break;
                }
            }
            drop(rx);
            let read = reading.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            result.and(read)
        })
    }
    #[cfg(not(feature = "parallel"))]
    {
        let mut batch = Vec::with_capacity(BATCH);
        let mut result = Ok(());
        let read = read_jsonl_with(reader, path, opts, |d| {
            batch.push(d);
            if batch.len() == BATCH {
                result = each(std::mem::take(&mut batch));
            }
            result.is_ok()
        });
        if result.is_ok() && !batch.is_empty() {
            result = each(batch);
        }
        result.and(read)
    }
}

/// Calls `each` with batches of a corpus read whole (a folder of `.txt` files).
fn in_batches(corpus: Corpus, mut each: impl FnMut(Vec<Document>) -> Result<(), Error>) -> Result<Vec<BadLine>, Error> {
    let mut docs = corpus.docs.into_iter().peekable();
    while docs.peek().is_some() {
        each(docs.by_ref().take(BATCH).collect())?;
    }
    Ok(corpus.skipped)
}

/// The error for `-` in the functions that read their input twice.
fn stdin_twice() -> Error {
    Error::param("path", "standard input cannot be read twice: read it with read_path, then cluster")
}

/// Reads `path` (a JSON Lines file, or a folder of `.txt` files), handing
/// batches of documents to `each`; standard input is an error (the
/// functions that call this read their input twice).
fn each_batch(
    path: &Path,
    opts: ReadOptions,
    each: impl FnMut(Vec<Document>) -> Result<(), Error>,
) -> Result<Vec<BadLine>, Error> {
    if path.as_os_str() == "-" {
        return Err(stdin_twice());
    }
    read_once(path, opts, each)
}

/// Reads `path` once (a JSON Lines file, standard input for `-`, or a
/// folder of `.txt` files), handing batches of documents to `each`.
fn read_once(
    path: &Path,
    opts: ReadOptions,
    each: impl FnMut(Vec<Document>) -> Result<(), Error>,
) -> Result<Vec<BadLine>, Error> {
    if path.as_os_str() == "-" {
        stream_jsonl_from(std::io::BufReader::with_capacity(1 << 20, std::io::stdin()), path, opts, each)
    } else if std::fs::metadata(path).map_err(|e| Error::io(path, e))?.is_dir() {
        in_batches(read_path(path, opts)?, each)
    } else {
        stream_jsonl(path, opts, each)
    }
}

/// A block of lines read for the second pass: the lines' bytes, one after
/// the other, and each line's number and range in them.
struct Block {
    bytes: Vec<u8>,
    lines: Vec<(u64, usize, usize)>,
    /// The input ended with this block.
    end: bool,
}

/// Why a block could not be read.
enum BlockError {
    Io(std::io::Error),
    /// A line not skipped by the first pass is over `max_record_bytes`.
    TooLong(u64),
}

impl BlockError {
    fn into_error(self, path: &Path, too_long: impl Fn(u64) -> Error) -> Error {
        match self {
            BlockError::Io(e) => Error::io(path, e),
            BlockError::TooLong(line) => too_long(line),
        }
    }
}

/// Reads a JSON Lines file in blocks of lines, skipping the lines the first pass skipped.
struct Blocks<R, S: Iterator<Item = u64>> {
    reader: R,
    skipped: std::iter::Peekable<S>,
    buf: Vec<u8>,
    line_no: u64,
    max: usize,
}

impl<R: std::io::BufRead, S: Iterator<Item = u64>> Blocks<R, S> {
    fn next_block(&mut self) -> Result<Block, BlockError> {
        /// Lines and bytes per block handed to the rayon pool.
        const BLOCK_LINES: usize = 4096;
        const BLOCK_BYTES: usize = 16 << 20;
        let mut block = Block { bytes: Vec::new(), lines: Vec::new(), end: false };
        while block.bytes.len() < BLOCK_BYTES && block.lines.len() < BLOCK_LINES {
            let (n, too_long) = read_line_capped(&mut self.reader, &mut self.buf, self.max).map_err(BlockError::Io)?;
            if n == 0 {
                block.end = true;
                break;
            }
            self.line_no += 1;
            let line_no = self.line_no;
            // The lines the first pass skipped (it lists them in order) are skipped again.
            while self.skipped.next_if(|&l| l < line_no).is_some() {}
            if self.skipped.next_if_eq(&line_no).is_some() {
                continue;
            }
            if too_long {
                return Err(BlockError::TooLong(line_no));
            }
            let start = block.bytes.len();
            block.bytes.extend_from_slice(&self.buf);
            block.lines.push((line_no, start, block.bytes.len()));
        }
        Ok(block)
    }
}

impl Detector {
    /// The first pass of [`cluster_file`](Self::cluster_file): reads a JSON
    /// Lines file (or a folder of `.txt` files, as
    /// [`read_path`] does) and learns its statistics,
    /// keeping the ids but not the text. The statistics equal those of
    /// [`learn`](Self::learn) over the documents read.
    ///
    /// # Errors
    /// As [`read_path`]: [`ErrorKind::Io`], and
    /// [`ErrorKind::InvalidInput`] naming the file and line of bad content
    /// (unless `opts.skip_bad`); [`ErrorKind::DocumentTooLarge`] or
    /// [`ErrorKind::TooManyDocuments`] as [`cluster`](Self::cluster);
    /// [`ErrorKind::InvalidParameter`] for `-` (standard input cannot be read twice).
    pub fn learn_file(&self, path: &Path, opts: ReadOptions) -> Result<LearnedFile, Error> {
        let cfg = self.an.config();
        let pool = LearnerPool::default();
        let mut ids: Vec<String> = Vec::new();
        let mut text_bytes = 0u64;
        let skipped = each_batch(path, opts, |batch| {
            if ids.len() + batch.len() > cfg.max_documents {
                return Err(Error::new(ErrorKind::TooManyDocuments { limit: cfg.max_documents }));
            }
            batch.iter().try_for_each(|d| self.check_size(d))?;
            pool.learn(self, &batch);
            text_bytes += batch.iter().map(|d| d.size() as u64).sum::<u64>();
            ids.extend(batch.into_iter().map(|d| d.id));
            Ok(())
        })?;
        ids.shrink_to_fit();
        Ok(LearnedFile { ids, skipped, stats: pool.finish(), text_bytes })
    }

    /// The second pass of [`cluster_file`](Self::cluster_file): reads the
    /// file again and builds each document's features against
    /// `learned.stats` (compact them first with [`CorpusStats::compact`], as
    /// [`cluster`](Self::cluster) does, to save memory). The file must still
    /// hold the documents of the first pass, read with the same `opts`: the
    /// lines it skipped are skipped, and every other document must parse and
    /// have the id learned at its position (only the ids are compared).
    ///
    /// A JSON Lines file is read in blocks of lines on one thread while the
    /// rayon pool parses the lines of the block before and builds their
    /// features, each document's right after parsing it, while its text is
    /// still in the cache.
    ///
    /// # Errors
    /// As [`learn_file`](Self::learn_file), and
    /// [`ErrorKind::InvalidInput`] naming the file (and the line, when it
    /// is known) when it no longer holds the documents learned.
    pub fn features_file(&self, path: &Path, opts: ReadOptions, learned: &LearnedFile) -> Result<Vec<Features>, Error> {
        if path.as_os_str() == "-" {
            return Err(stdin_twice());
        }
        let ids = &learned.ids;
        let changed = |line: Option<u64>, what: String| {
            Error::input(path, line, format!("the file changed after it was learned: {what}"))
        };
        let mut feats: Vec<Features> = Vec::with_capacity(ids.len());
        let mut push = |line: Option<u64>, id: String, f: Features| match ids.get(feats.len()) {
            Some(want) if *want == id => {
                feats.push(f);
                Ok(())
            }
            Some(want) => {
                Err(changed(line, format!("document {} has id {id:?}, learned as {want:?}", feats.len() + 1)))
            }
            None => Err(changed(line, format!("it holds more than the {} documents learned", ids.len()))),
        };
        if std::fs::metadata(path).map_err(|e| Error::io(path, e))?.is_dir() {
            let docs = read_path(path, opts)?.docs;
            for (d, f) in docs.iter().zip(self.features(&docs, &learned.stats)) {
                if self.check_size(d).is_err() {
                    return Err(changed(None, format!("document {:?} is now over the size limit", d.id)));
                }
                push(None, d.id.clone(), f)?;
            }
        } else {
            let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
            let mut blocks = Blocks {
                reader: std::io::BufReader::with_capacity(1 << 20, file),
                skipped: learned.skipped.iter().map(|b| b.line).peekable(),
                buf: Vec::new(),
                line_no: 0,
                max: opts.max_record_bytes,
            };
            let scratch: Pool<Scratch> = Pool::default();
            let mut each = |block: Block| -> Result<(), Error> {
                let built =
                    scratch.map(&block.lines, |s, &(no, from, to)| match parse_line(&block.bytes[from..to], no) {
                        Ok(Some(d)) if self.check_size(&d).is_err() => {
                            Err(changed(Some(no), format!("document {:?} is over the size limit", d.id)))
                        }
                        Ok(Some(d)) => {
                            let f = self.an.features(&d, &learned.stats, s);
                            Ok(Some((d.id, f)))
                        }
                        Ok(None) => Ok(None),
                        Err(reason) => Err(changed(Some(no), reason)),
                    });
                for (r, &(no, _, _)) in built.into_iter().zip(&block.lines) {
                    if let Some((id, f)) = r? {
                        push(Some(no), id, f)?;
                    }
                }
                Ok(())
            };
            let too_long = |line: u64| changed(Some(line), "the line is over max_record_bytes".into());
            // The next block is read while the pool works on this one.
            #[cfg(feature = "parallel")]
            std::thread::scope(|scope| {
                let (tx, rx) = std::sync::mpsc::sync_channel::<Block>(1);
                let reading = scope.spawn(move || -> Result<(), BlockError> {
                    loop {
                        let block = blocks.next_block()?;
                        // A closed channel means the consumer stopped (its error is reported).
                        if block.lines.is_empty() && block.end || tx.send(block).is_err() {
                            return Ok(());
                        }
                    }
                });
                let mut result = Ok(());
                for block in &rx {
                    let end = block.end;
                    result = each(block);
                    if result.is_err() || end {
                        break;
                    }
                }
                drop(rx);
                let read = reading.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                result.and(read.map_err(|e| e.into_error(path, too_long)))
            })?;
            #[cfg(not(feature = "parallel"))]
            loop {
                let block = blocks.next_block().map_err(|e| e.into_error(path, too_long))?;
                let end = block.end;
                each(block)?;
                if end {
                    break;
                }
            }
        }
        if feats.len() != ids.len() {
            return Err(changed(None, format!("it holds {} documents, {} were learned", feats.len(), ids.len())));
        }
        Ok(feats)
    }

    /// Reads a JSON Lines file (standard input for `-`, or a folder of
    /// `.txt` files, as [`read_path`] does) once, learning its statistics
    /// and keeping the ids and the tokens of every document, but not the
    /// text: [`features_tokenized`](Self::features_tokenized) then builds
    /// the features without reading the file again. The statistics equal
    /// those of [`learn`](Self::learn) over the documents read. The first
    /// stage of [`cluster_file`](Self::cluster_file).
    ///
    /// With the `parallel` feature, a thread parses the file while the
    /// rayon pool learns the batches already parsed.
    ///
    /// # Errors
    /// As [`read_path`]: [`ErrorKind::Io`], and
    /// [`ErrorKind::InvalidInput`] naming the file and line of bad content
    /// (unless `opts.skip_bad`); [`ErrorKind::DocumentTooLarge`] or
    /// [`ErrorKind::TooManyDocuments`] as [`cluster`](Self::cluster).
    ///
    /// # Example
    /// ```
    /// use samestory::{Detector, io::ReadOptions};
    /// let dir = std::env::temp_dir().join(format!("samestory-tokenize-file-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// let path = dir.join("news.jsonl");
    /// std::fs::write(&path, "{\"id\": \"a\", \"text\": \"Storm Ciarán hit Brittany.\"}\n{\"id\": \"b\", \"text\": \"Ciarán swept across Brittany.\"}\n")?;
    /// let detector = Detector::new();
    /// let file = detector.tokenize_file(&path, ReadOptions::default())?;
    /// let corpus = samestory::io::read_path(&path, ReadOptions::default())?;
    /// assert_eq!(file.stats, detector.learn(&corpus.docs));
    /// let (feats, learned) = detector.features_tokenized(file);
    /// assert_eq!(feats, detector.features(&corpus.docs, &learned.stats));
    /// assert_eq!(learned.ids, ["a", "b"]);
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn tokenize_file(&self, path: &Path, opts: ReadOptions) -> Result<TokenizedFile, Error> {
        let cfg = self.an.config();
        let pool = LearnerPool::default();
        let mut ids: Vec<String> = Vec::new();
        let mut text_bytes = 0u64;
        // Checks a batch and takes its ids (learning needs the rest only).
        let mut take = |batch: &mut [Document]| {
            if ids.len() + batch.len() > cfg.max_documents {
                return Err(Error::new(ErrorKind::TooManyDocuments { limit: cfg.max_documents }));
            }
            batch.iter().try_for_each(|d| self.check_size(d))?;
            text_bytes += batch.iter().map(|d| d.size() as u64).sum::<u64>();
            ids.extend(batch.iter_mut().map(|d| std::mem::take(&mut d.id)));
            Ok(())
        };
        #[cfg(feature = "parallel")]
        let (skipped, mut runs) = {
            // Each batch is learned by a job on the pool while the next is read:
            // two batches at most are in the pool at once, so that the last
            // runs of one overlap the first of the next and no thread waits.
            let learned: Mutex<Vec<(usize, Vec<LearnedRun>)>> = Mutex::default();
            let room = (Mutex::new(0usize), std::sync::Condvar::new());
            let mut next = 0usize;
            let skipped = rayon::in_place_scope(|scope| {
                read_once(path, opts, |mut batch| {
                    take(&mut batch)?;
                    let mut busy = room.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    while *busy >= 2 {
                        busy = room.1.wait(busy).unwrap_or_else(std::sync::PoisonError::into_inner);
                    }
                    *busy += 1;
                    drop(busy);
                    let (index, pool, learned, room) = (next, &pool, &learned, &room);
                    next += 1;
                    scope.spawn(move |_| {
                        // Frees the room even if learning panics (the scope then passes the panic on).
                        struct Done<'a>(&'a (Mutex<usize>, std::sync::Condvar));
                        impl Drop for Done<'_> {
                            fn drop(&mut self) {
                                *self.0.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) -= 1;
                                self.0.1.notify_one();
                            }
                        }
                        let _done = Done(room);
                        let runs = pool.learn_runs(self, &batch);
                        drop(batch);
                        learned.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push((index, runs));
                    });
                    Ok(())
                })
            })?;
            let mut learned = learned.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
            learned.sort_unstable_by_key(|b| b.0);
            (skipped, learned.into_iter().flat_map(|b| b.1).collect::<Vec<_>>())
        };
        #[cfg(not(feature = "parallel"))]
        let (skipped, mut runs) = {
            let mut runs = Vec::new();
            let skipped = read_once(path, opts, |mut batch| {
                take(&mut batch)?;
                runs.extend(pool.learn_runs(self, &batch));
                Ok(())
            })?;
            (skipped, runs)
        };
        ids.shrink_to_fit();
        runs.shrink_to_fit();
        let (stats, types) = pool.finish_with_types();
        Ok(TokenizedFile { ids, skipped, stats, text_bytes, runs, types })
    }

    /// The features of the documents of a [`TokenizedFile`], in input
    /// order, against its statistics: the features
    /// [`features_file`](Self::features_file) would build, without reading
    /// the file. The tokens are freed as their features are built; the
    /// rest of the file is given back. The second stage of
    /// [`cluster_file`](Self::cluster_file).
    pub fn features_tokenized(&self, file: TokenizedFile) -> (Vec<Features>, LearnedFile) {
        let TokenizedFile { ids, skipped, stats, text_bytes, runs, types } = file;
        let feats = self.features_of_runs(runs, &types, &stats);
        (feats, LearnedFile { ids, skipped, stats, text_bytes })
    }

    /// Clusters a JSON Lines file (standard input for `-`, or a folder of
    /// `.txt` files) as [`cluster`](Self::cluster) clusters its documents,
    /// without holding the text: the file is read once
    /// ([`tokenize_file`](Self::tokenize_file)), which learns the statistics
    /// and keeps each document's tokens as four-byte codes; once the
    /// statistics are complete, the features are built from those tokens
    /// ([`features_tokenized`](Self::features_tokenized)), which frees them
    /// as it goes. Memory holds the tokens or the features, the ids and the
    /// statistics, never the text. Gives the same clustering as reading the
    /// file with [`read_path`], then [`cluster`](Self::cluster).
    ///
    /// # Errors
    /// As [`tokenize_file`](Self::tokenize_file).
    ///
    /// # Example
    /// ```
    /// use samestory::{Detector, io::ReadOptions};
    /// let dir = std::env::temp_dir().join(format!("samestory-cluster-file-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// let path = dir.join("news.jsonl");
    /// std::fs::write(
    ///     &path,
    ///     "{\"id\": \"a\", \"text\": \"Storm Ciarán hit Brittany on Thursday with gusts of 207 km/h, cutting power to 1.2 million homes.\"}\n\
    ///      {\"id\": \"b\", \"text\": \"Gusts reached 207 km/h as Ciarán swept across Brittany; about 1.2 million homes lost power.\"}\n\
    ///      {\"id\": \"c\", \"text\": \"The central bank held its main rate at 4.5 percent, citing sticky services inflation.\"}\n",
    /// )?;
    /// let file = Detector::new().cluster_file(&path, ReadOptions::default())?;
    /// assert_eq!(file.ids, ["a", "b", "c"]);
    /// assert!(file.clustering.same_story(0, 1));
    /// assert!(!file.clustering.same_story(0, 2));
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cluster_file(&self, path: &Path, opts: ReadOptions) -> Result<ClusteredFile, Error> {
        let TokenizedFile { ids, skipped, stats, runs, types, .. } = self.tokenize_file(path, opts)?;
        let clustering = self.cluster_runs(runs, types, stats);
        Ok(ClusteredFile { ids, skipped, clustering })
    }
}
