//! The façade: [`Detector`] knows the whole pipeline.

use std::path::Path;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::analyze::{Analyzer, Features, Scratch};
use crate::cluster::{Clustering, CohesionGuard, Linkage, ScoredPair, cluster_labels_with, relabel};
use crate::config::Config;
use crate::document::Document;
use crate::error::{Error, ErrorKind};
use crate::explain::{Explanation, SharedTerm, Thresholds};
use crate::hash::{derive_seed, domain};
use crate::io::{Corpus, ReadOptions};
use crate::live::Live;
use crate::lsh::{Accumulator, HammingIndex, TermIndex, band_key};
use crate::minhash::MinHashKind;
use crate::score::score_pair;
use crate::simhash::SimHash;
use crate::stats::{CorpusStats, Learner};
use crate::text::date::Date;

/// Finds copies and same-event reports and groups them into stories.
///
/// Build one with [`Detector::new`] (defaults) or [`Detector::builder`].
/// Use it in batch with [`cluster`](Detector::cluster), or one document at a
/// time with [`add`](Detector::add). A `Detector` is `Send + Sync`.
///
/// # Example
/// ```
/// use samestory::{Detector, Document};
/// let docs = vec![
///     Document::new("a", "Storm Ciarán hit Brittany on Thursday with gusts of 207 km/h, cutting power to 1.2 million homes."),
///     Document::new("b", "Gusts reached 207 km/h as Ciarán swept across Brittany; about 1.2 million homes lost power."),
///     Document::new("c", "The central bank held its main rate at 4.5 percent, citing sticky services inflation."),
/// ];
/// let clustering = Detector::new().cluster(&docs)?;
/// assert!(clustering.same_story(0, 1));
/// assert!(!clustering.same_story(0, 2));
/// # Ok::<(), samestory::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Detector {
    pub(crate) an: Analyzer,
    pub(crate) live: Live,
}

/// Builds a [`Detector`]; every setter has a documented default.
#[derive(Debug, Clone, Default)]
pub struct DetectorBuilder {
    cfg: Config,
}

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident : $ty:ty),* $(,)?) => {
        $( $(#[$doc])* pub fn $name(&mut self, value: $ty) -> &mut DetectorBuilder { self.cfg.$name = value; self } )*
    };
}

impl DetectorBuilder {
    setters! {
        /// Master seed of every hash (default a fixed constant). Same seed, same results.
        seed: u64,
        /// Words per shingle, 1–16 (default 5).
        shingle_size: usize,
        /// MinHash slots, 1–4096 (default 128): more slots, smaller estimate error, more memory.
        num_perm: usize,
        /// MinHash construction (default one-permutation hashing with optimal densification).
        minhash_kind: MinHashKind,
        /// Shingle Jaccard at which two documents are copies, in (0, 1) (default 0.5).
        /// The LSH bands and rows aim at the lowest Jaccard the copy rule accepts:
        /// `min(copy_threshold, c / (2 − c))` for `containment_threshold` c.
        copy_threshold: f64,
        /// Shingle containment at which two documents are copies, in (0, 1) (default 0.5).
        containment_threshold: f64,
        /// Shingles the smaller document needs for containment to count (default 20).
        min_containment_shingles: usize,
        /// SimHash distance (bits of 64) at which two documents are copies, ≤ 16 (default 3).
        simhash_distance: u32,
        /// Salient terms kept per document (default 48).
        profile_terms: usize,
        /// Rare salient terms per document that generate event-level candidates (default 16).
        candidate_terms: usize,
        /// Terms in more than this fraction of documents generate no candidates (default 0.05).
        candidate_df_fraction: f64,
        /// ... unless they are in at most this many documents (default 50), for small corpora.
        candidate_df_floor: u32,
        /// Postings one document reads from the term index, rarest terms first
        /// (default 2,048): bounds the work per document in large corpora.
        candidate_budget: usize,
        /// Most event-level candidates one document proposes, best first (default 50):
        /// keeps the number of scored pairs linear in the corpus size.
        candidate_limit: usize,
        /// Least partial profile dot product over shared rare terms for an
        /// event-level candidate, in [0, 1) (default 0: rank only).
        candidate_min_overlap: f64,
        /// Weight of a title occurrence relative to a body occurrence (default 2).
        title_weight: f64,
        /// Multiplier of names (terms capitalized mid-sentence in most uses) (default 2).
        name_boost: f64,
        /// Multiplier of terms with a digit (default 2).
        number_boost: f64,
        /// Reports more than this many days apart are not the same event unless
        /// they share text (default `Some(14)`; `None` ignores dates).
        date_window_days: Option<u32>,
        /// Factor on the profile cosine of reports further apart than the date window,
        /// in [0, 1] (default 0.5; 0 makes the window a hard cut). Follow-up reports
        /// (an arrest, a trial) share names with the first report but come weeks later.
        outside_window_factor: f64,
        /// An undated document takes the date of its most similar dated document
        /// when their similarity reaches this (default `Some(0.5)`; `None` never).
        inherit_date_similarity: Option<f64>,
        /// Drop boilerplate lines learned from the corpus before shingling and
        /// profiling (default true).
        remove_boilerplate: bool,
        /// Short lines found in this many documents are boilerplate (default 3, at least 2).
        boilerplate_min_docs: u32,
        /// Lines of at most this many tokens can be boilerplate by repetition (default 20).
        boilerplate_max_tokens: usize,
        /// Similarity at which documents (and, on average, clusters) are one story (default 0.21).
        story_threshold: f64,
        /// Clustering policy (default average linkage).
        linkage: Linkage,
        /// Average linkage's guard against joining two well-formed stories
        /// that are only loosely alike (default `Some` ratio 0.9, clusters of
        /// at least 5; `None` turns it off). See the [`cluster`](crate::cluster) module docs.
        cohesion_guard: Option<CohesionGuard>,
        /// Largest accepted document (text + title) in bytes (default 16 MiB).
        max_document_bytes: usize,
        /// Most documents one detector holds or one batch may have (default 2³² − 2).
        max_documents: usize,
        /// Live tracking: documents whose time is more than this many days
        /// before the newest date seen expire (default `None`: kept until removed).
        /// See the [`live`](crate::live) module docs.
        retention_days: Option<u32>,
        /// Live tracking: at most this many documents are held, the oldest
        /// added expiring first (default `None`: no bound but `max_documents`).
        retention_documents: Option<usize>,
    }

    /// Validates the parameters and builds the detector.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidParameter`] naming the first parameter out of range.
    pub fn build(&self) -> Result<Detector, Error> {
        let cfg = self.cfg.clone().validated()?;
        Ok(Detector { live: Live::new(&cfg), an: Analyzer::new(cfg)? })
    }
}

/// Exact duplicates found by [`Detector::collapse_duplicates`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicates {
    /// The representative (first copy) of each document; itself when it has no copy.
    pub rep_of: Vec<u32>,
    /// The representatives, in order: position `k` of the collapsed features is document `reps[k]`.
    pub reps: Vec<u32>,
    /// How many documents each representative stands for.
    pub weights: Vec<u64>,
}

/// A seeded XXH3 of every field of the features (equal features, equal hash).
fn features_hash(f: &Features) -> u64 {
    let mut b: Vec<u8> =
        Vec::with_capacity(4 * f.shingles.len() + 4 * f.minhash.slots().len() + 16 * f.profile.len() + 64);
    f.shingles.as_slice().iter().for_each(|x| b.extend_from_slice(&x.to_le_bytes()));
    b.push(u8::from(f.minhash.is_empty()));
    f.minhash.slots().iter().for_each(|x| b.extend_from_slice(&x.to_le_bytes()));
    b.extend_from_slice(&f.simhash.0.to_le_bytes());
    for (t, w) in f.profile.terms() {
        b.extend_from_slice(&t.to_le_bytes());
        b.extend_from_slice(&w.to_bits().to_le_bytes());
    }
    for (t, w) in f.rare_terms() {
        b.extend_from_slice(&t.to_le_bytes());
        b.extend_from_slice(&w.to_bits().to_le_bytes());
    }
    b.extend_from_slice(&f.date.map_or(i64::MIN, |d| i64::from(d.days())).to_le_bytes());
    b.extend_from_slice(&f.content_tokens.to_le_bytes());
    b.extend_from_slice(&f.total_tokens.to_le_bytes());
    crate::hash::hash_bytes(&b, 0)
}

impl Default for Detector {
    fn default() -> Detector {
        Detector::new()
    }
}

/// Event-level candidates of one document from the term index: documents
/// sharing its rare terms, ranked by the partial dot product of the two
/// profiles over those terms (a lower bound of their cosine), kept when it
/// reaches `candidate_min_overlap`, at most `candidate_limit` of them. Pairs
/// further apart than the date window need two shared terms.
pub(crate) fn term_candidates(
    cfg: &Config,
    this: Option<u32>,
    f: &Features,
    terms: &TermIndex,
    cap: usize,
    date: &dyn Fn(u32) -> Option<Date>,
    acc: &mut Accumulator,
) -> Vec<u32> {
    acc.clear();
    let mut budget = cfg.candidate_budget;
    for (t, w) in f.rare_terms() {
        let list = terms.postings(t);
        // Terms come rarest first (by document frequency when the features
        // were built); a later posting list may still be shorter.
        if list.len() > cap || list.len() > budget {
            continue;
        }
        budget -= list.len();
        acc.add_list(list, w, this);
    }
    // Keep a margin over the limit for candidates the date test drops.
    let ranked = acc.best(cfg.candidate_min_overlap as f32, cfg.candidate_limit.saturating_mul(2));
    // The date test looks at another document: do it only while walking the ranking.
    let far = |j: u32| match (cfg.date_window_days, f.date, date(j)) {
        (Some(w), Some(x), Some(y)) => x.days_since(y).unsigned_abs() > w,
        _ => false,
    };
    // A fresh, right-sized vector: collecting from `ranked.into_iter()` would
    // reuse (and keep) the whole ranking's allocation for every document.
    let mut out = Vec::with_capacity(cfg.candidate_limit.min(ranked.len()));
    out.extend(
        ranked
            .iter()
            .filter(|&&(_, j, shared)| !far(j) || (cfg.outside_window_factor > 0.0 && shared >= 2))
            .take(cfg.candidate_limit)
            .map(|&(_, j, _)| j),
    );
    out
}

/// Pushes every pair `(a, b)` of documents sharing a key in sorted `entries`
/// for which `keep(a, b)` holds.
fn push_runs(entries: &[(u64, u32)], pairs: &mut Vec<(u32, u32)>, keep: impl Fn(u32, u32) -> bool) {
    for run in entries.chunk_by(|x, y| x.0 == y.0).filter(|r| r.len() > 1) {
        for (k, &(_, a)) in run.iter().enumerate() {
            pairs.extend(run[k + 1..].iter().filter(|&&(_, b)| keep(a, b)).map(|&(_, b)| (a, b)));
        }
    }
}

/// Frees `v` on the rayon pool while the caller goes on (with the
/// `parallel` feature; here otherwise): clustering runs on one thread, and
/// freeing a million documents' features (four allocations each) takes
/// about a second.
fn drop_aside<T: Send + 'static>(v: Vec<T>) {
    #[cfg(feature = "parallel")]
    rayon::spawn(move || drop(v));
    #[cfg(not(feature = "parallel"))]
    drop(v);
}

#[cfg(feature = "parallel")]
pub(crate) fn par_map_init<T: Sync, S: Default, R: Send>(
    items: &[T],
    f: impl Fn(usize, &T, &mut S) -> R + Sync + Send,
) -> Vec<R> {
    use rayon::prelude::*;
    items.par_iter().enumerate().map_init(S::default, |s, (i, t)| f(i, t, s)).collect()
}

#[cfg(not(feature = "parallel"))]
pub(crate) fn par_map_init<T: Sync, S: Default, R: Send>(
    items: &[T],
    f: impl Fn(usize, &T, &mut S) -> R + Sync + Send,
) -> Vec<R> {
    let mut s = S::default();
    items.iter().enumerate().map(|(i, t)| f(i, t, &mut s)).collect()
}

/// Sorts (key, document) entries or pairs; the order is total, so the
/// result does not depend on the number of threads.
fn sort_entries<T: Ord + Send>(entries: &mut [T]) {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        entries.par_sort_unstable();
    }
    #[cfg(not(feature = "parallel"))]
    entries.sort_unstable();
}

#[cfg(feature = "parallel")]
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T, &mut Scratch) -> R + Sync + Send) -> Vec<R> {
    use rayon::prelude::*;
    items.par_iter().map_init(Scratch::default, |s, t| f(t, s)).collect()
}

#[cfg(not(feature = "parallel"))]
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T, &mut Scratch) -> R + Sync + Send) -> Vec<R> {
    let mut s = Scratch::default();
    items.iter().map(|t| f(t, &mut s)).collect()
}

impl Detector {
    /// A detector with the default parameters.
    pub fn new() -> Detector {
        Detector::builder().build().unwrap_or_else(|e| unreachable!("default parameters are valid: {e}"))
    }

    /// A builder starting from the defaults.
    pub fn builder() -> DetectorBuilder {
        DetectorBuilder::default()
    }

    /// The LSH bands and rows derived from the copy thresholds and `num_perm`.
    pub fn lsh_params(&self) -> crate::lsh::LshParams {
        self.an.config().lsh
    }

    /// The story threshold in use.
    pub fn story_threshold(&self) -> f64 {
        self.an.config().story_threshold
    }

    /// A `DocumentTooLarge` error for a document over `max_document_bytes`.
    pub(crate) fn check_size(&self, d: &Document) -> Result<(), Error> {
        let limit = self.an.config().max_document_bytes;
        if d.size() > limit {
            return Err(Error::new(ErrorKind::DocumentTooLarge { id: d.id.clone(), bytes: d.size(), limit }));
        }
        Ok(())
    }

    fn check(&self, docs: &[Document]) -> Result<(), Error> {
        let cfg = self.an.config();
        if docs.len() > cfg.max_documents {
            return Err(Error::new(ErrorKind::TooManyDocuments { limit: cfg.max_documents }));
        }
        let mut seen: FxHashSet<&str> = FxHashSet::default();
        for d in docs {
            self.check_size(d)?;
            if !seen.insert(d.id.as_str()) {
                return Err(Error::new(ErrorKind::DuplicateId { id: d.id.clone() }));
            }
        }
        Ok(())
    }

    /// Learns corpus statistics from `docs` (the first pass of [`cluster`](Self::cluster)).
    pub fn learn(&self, docs: &[Document]) -> CorpusStats {
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            // Large splits, a few per thread: each split learns its own maps, and
            // merging them costs about one vocabulary per split.
            let min_len = (docs.len() / (8 * rayon::current_num_threads())).max(1024);
            docs.par_iter()
                .with_min_len(min_len)
                .fold(
                    || (Learner::default(), Scratch::default()),
                    |(mut l, mut s), d| {
                        self.an.learn_into(d, &mut s, &mut l);
                        (l, s)
                    },
                )
                .map(|(l, _)| l.finish())
                .reduce(CorpusStats::new, |mut a, b| {
                    a.merge(&b);
                    a
                })
        }
        #[cfg(not(feature = "parallel"))]
        {
            let mut s = Scratch::default();
            let mut l = Learner::default();
            for d in docs {
                self.an.learn_into(d, &mut s, &mut l);
            }
            l.finish()
        }
    }

    /// Reads a corpus as [`crate::io::read_path`] does and learns its
    /// statistics as [`learn`](Self::learn) does, at the same time: a JSON
    /// Lines file is parsed on one thread while the documents already read
    /// are learned on the others, so the first two stages of a batch take
    /// little more than learning alone. The same corpus and the same
    /// statistics as reading, then learning (a folder, standard input, or a
    /// build without the `parallel` feature does exactly that).
    ///
    /// # Errors
    /// As [`crate::io::read_path`]: [`ErrorKind::Io`] when the path cannot be
    /// read, [`ErrorKind::InvalidInput`] naming the file and line of bad
    /// content (unless `opts.skip_bad`).
    ///
    /// # Example
    /// ```
    /// use samestory::{Detector, io::ReadOptions};
    /// let dir = std::env::temp_dir().join(format!("samestory-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// let path = dir.join("news.jsonl");
    /// std::fs::write(&path, "{\"id\": \"a\", \"text\": \"Storm Ciarán hit Brittany.\"}\n{\"id\": \"b\", \"text\": \"Ciarán swept across Brittany.\"}\n")?;
    /// let detector = Detector::new();
    /// let (corpus, stats) = detector.read_and_learn(&path, ReadOptions::default())?;
    /// assert_eq!(corpus.docs.len(), 2);
    /// assert_eq!(stats, detector.learn(&corpus.docs));
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read_and_learn(&self, path: &Path, opts: ReadOptions) -> Result<(Corpus, CorpusStats), Error> {
        #[cfg(feature = "parallel")]
        if path.as_os_str() != "-" && !path.is_dir() {
            return self.read_and_learn_jsonl(path, opts);
        }
        let corpus = crate::io::read_path(path, opts)?;
        let stats = self.learn(&corpus.docs);
        Ok((corpus, stats))
    }

    #[cfg(feature = "parallel")]
    fn read_and_learn_jsonl(&self, path: &Path, opts: ReadOptions) -> Result<(Corpus, CorpusStats), Error> {
        let pool = crate::file::LearnerPool::default();
        let mut docs: Vec<Document> = Vec::new();
        let skipped = crate::file::stream_jsonl(path, opts, |batch| {
            pool.learn(self, &batch);
            docs.extend(batch);
            Ok(())
        })?;
        Ok((Corpus { docs, skipped }, pool.finish()))
    }

    /// The features of each document against `stats` (the second pass).
    pub fn features(&self, docs: &[Document], stats: &CorpusStats) -> Vec<Features> {
        par_map(docs, |d, s| self.an.features(d, stats, s))
    }

    /// Candidate pairs `(a, b)`, `a < b`, sorted: LSH band collisions, SimHash
    /// neighbours, and documents sharing a rare salient term within the date
    /// window. `corpus_docs` is the number of documents the statistics were
    /// learned from ([`CorpusStats::docs`]; more than `feats.len()` when exact
    /// duplicates were collapsed): it sets how rare a term must be.
    pub fn candidate_pairs(&self, feats: &[Features], corpus_docs: u64) -> Vec<(u32, u32)> {
        let cfg = self.an.config();
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        // Copy-level candidates by sorting, one band at a time: the (band key,
        // document) entries of a band, sorted, put documents sharing a key next
        // to each other. One band's entries at a time keep the memory at 16
        // bytes per document; no per-bucket allocations.
        let band_seed = derive_seed(cfg.seed, domain::BAND);
        let rows = cfg.lsh.rows;
        let mut entries: Vec<(u64, u32)> = Vec::with_capacity(feats.len());
        let mut deduped = 0;
        // Document ids are below u32::MAX (`max_documents`): the marker of an unbanded sketch.
        const NONE: u32 = u32::MAX;
        for band in 0..cfg.lsh.bands {
            let key = |(i, f): (usize, &Features)| match f.minhash.slots().get(band * rows..(band + 1) * rows) {
                Some(slots) if !f.minhash.is_empty() => (band_key(slots, band_seed, band), i as u32),
                _ => (0, NONE),
            };
            // Filled in place, then the empty sketches dropped: no second buffer.
            entries.clear();
            entries.resize(feats.len(), (0, NONE));
            #[cfg(feature = "parallel")]
            {
                use rayon::prelude::*;
                entries.par_iter_mut().zip(feats.par_iter().enumerate()).for_each(|(e, f)| *e = key(f));
            }
            #[cfg(not(feature = "parallel"))]
            entries.iter_mut().zip(feats.iter().enumerate()).for_each(|(e, f)| *e = key(f));
            entries.retain(|e| e.1 != NONE);
            sort_entries(&mut entries);
            push_runs(&entries, &mut pairs, |_, _| true);
            // A pair colliding in many bands is pushed once per band: dedup as it grows.
            if pairs.len() > 2 * deduped + (1 << 20) {
                sort_entries(&mut pairs);
                pairs.dedup();
                deduped = pairs.len();
            }
        }
        let hamming = HammingIndex::new(cfg.simhash_distance);
        entries.clear();
        for (i, f) in feats.iter().enumerate() {
            if f.simhash != SimHash::EMPTY {
                entries.extend(hamming.keys(f.simhash).map(|k| (k, i as u32)));
            }
        }
        sort_entries(&mut entries);
        push_runs(&entries, &mut pairs, |a, b| {
            feats[a as usize].simhash.hamming(feats[b as usize].simhash) <= cfg.simhash_distance
        });
        drop(entries);
        let terms = TermIndex::from_documents(feats.iter().map(Features::rare_terms));
        let cap = cfg.candidate_df_cap(corpus_docs) as usize;
        // The dates in one dense array: the date test reads up to twice
        // `candidate_limit` other documents per document, and each read from
        // the features would be a cache miss.
        let dates: Vec<Option<Date>> = feats.iter().map(|f| f.date).collect();
        let date = |j: u32| dates[j as usize];
        let chosen = par_map_init(feats, |i, f, acc: &mut Accumulator| {
            term_candidates(cfg, Some(i as u32), f, &terms, cap, &date, acc)
        });
        drop(terms);
        pairs.reserve(chosen.iter().map(Vec::len).sum());
        for (i, js) in chosen.into_iter().enumerate() {
            pairs.extend(js.into_iter().map(|j| ((i as u32).min(j), (i as u32).max(j))));
        }
        sort_entries(&mut pairs);
        pairs.dedup();
        pairs.shrink_to_fit();
        pairs
    }

    /// Scores candidate pairs.
    pub fn score_pairs(&self, feats: &[Features], pairs: &[(u32, u32)]) -> Vec<ScoredPair> {
        let cfg = self.an.config();
        let one =
            |&(a, b): &(u32, u32)| ScoredPair { a, b, scores: score_pair(&feats[a as usize], &feats[b as usize], cfg) };
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            pairs.par_iter().map(one).collect()
        }
        #[cfg(not(feature = "parallel"))]
        {
            pairs.iter().map(one).collect()
        }
    }

    /// Clusters scored pairs of `n` documents by the configured linkage and threshold.
    pub fn cluster_scored(&self, n: usize, pairs: Vec<ScoredPair>) -> Clustering {
        let cfg = self.an.config();
        let edges: Vec<(u32, u32, f64)> = pairs
            .iter()
            .filter(|p| p.scores.similarity > 0.0)
            .map(|p| (p.a, p.b, f64::from(p.scores.similarity)))
            .collect();
        let labels = cluster_labels_with(&vec![1; n], &edges, cfg.story_threshold, cfg.linkage, cfg.cohesion_guard);
        Clustering::new(labels, pairs).with_guard(cfg.cohesion_guard)
    }

    /// Collapses exact duplicates (documents with identical features, i.e.
    /// the same text after normalization and boilerplate removal, the same
    /// title terms and date) that are one story with each other: returns the
    /// features of one representative per set, the first one, in order, and
    /// the mapping. A flood of identical pages then costs one document, not
    /// a pair per two copies. Empty documents never match, so they are not collapsed.
    pub fn collapse_duplicates(&self, feats: Vec<Features>) -> (Vec<Features>, Duplicates) {
        let cfg = self.an.config();
        let n = feats.len();
        let keys: Vec<u64> = par_map(&feats, |f, _| features_hash(f));
        let mut entries: Vec<(u64, u32)> = keys.iter().enumerate().map(|(i, &k)| (k, i as u32)).collect();
        sort_entries(&mut entries);
        let mut rep_of: Vec<u32> = (0..n as u32).collect();
        for run in entries.chunk_by(|x, y| x.0 == y.0).filter(|r| r.len() > 1) {
            // Within one hash, group by equality (first index of each group represents it).
            let mut heads: Vec<u32> = Vec::new();
            for &(_, i) in run {
                match heads.iter().find(|&&h| feats[h as usize] == feats[i as usize]) {
                    Some(&h) => rep_of[i as usize] = h,
                    None => heads.push(i),
                }
            }
        }
        // Only copies that are one story with each other.
        let mut ok: FxHashMap<u32, bool> = FxHashMap::default();
        for (i, r) in rep_of.iter_mut().enumerate() {
            if *r as usize != i {
                let same = *ok.entry(*r).or_insert_with(|| {
                    let f = &feats[*r as usize];
                    f64::from(score_pair(f, f, cfg).similarity) >= cfg.story_threshold
                });
                if !same {
                    *r = i as u32;
                }
            }
        }
        let reps: Vec<u32> = (0..n as u32).filter(|&i| rep_of[i as usize] == i).collect();
        let mut node = vec![0u32; n];
        for (k, &r) in reps.iter().enumerate() {
            node[r as usize] = k as u32;
        }
        let mut weights = vec![0u64; reps.len()];
        for &r in &rep_of {
            weights[node[r as usize] as usize] += 1;
        }
        let kept: Vec<Features> =
            feats.into_iter().enumerate().filter(|(i, _)| rep_of[*i] as usize == *i).map(|(_, f)| f).collect();
        (kept, Duplicates { rep_of, reps, weights })
    }

    /// Clusters the scored pairs of representatives (positions in the
    /// collapsed features) and expands the result to every document: labels,
    /// clusters and pairs in the original positions.
    /// Takes the features to free them before clustering (only the scores of
    /// the duplicate sets come from them).
    pub fn cluster_collapsed(&self, dups: &Duplicates, rep_feats: Vec<Features>, pairs: Vec<ScoredPair>) -> Clustering {
        let cfg = self.an.config();
        let n = dups.rep_of.len();
        if dups.reps.len() == n {
            drop_aside(rep_feats);
            return self.cluster_scored(n, pairs);
        }
        let dup_scores: Vec<(u32, crate::score::PairScores)> = dups
            .reps
            .iter()
            .zip(&dups.weights)
            .zip(&rep_feats)
            .filter(|((_, w), _)| **w > 1)
            .map(|((&r, _), f)| (r, score_pair(f, f, cfg)))
            .collect();
        drop_aside(rep_feats);
        let edges: Vec<(u32, u32, f64)> = pairs
            .iter()
            .filter(|p| p.scores.similarity > 0.0)
            .map(|p| (p.a, p.b, f64::from(p.scores.similarity)))
            .collect();
        let local = cluster_labels_with(&dups.weights, &edges, cfg.story_threshold, cfg.linkage, cfg.cohesion_guard);
        let mut node = vec![0u32; n];
        for (k, &r) in dups.reps.iter().enumerate() {
            node[r as usize] = k as u32;
        }
        let root: Vec<u32> = dups.rep_of.iter().map(|&r| local[node[r as usize] as usize]).collect();
        let labels = relabel(&root);
        let pairs = pairs
            .into_iter()
            .map(|p| ScoredPair { a: dups.reps[p.a as usize], b: dups.reps[p.b as usize], scores: p.scores })
            .collect();
        Clustering::with_duplicates(labels, pairs, dups.rep_of.clone(), dup_scores).with_guard(cfg.cohesion_guard)
    }

    /// The pipeline after features: exact duplicates collapsed, candidates,
    /// exact scores, date inheritance, clustering (what
    /// [`cluster`](Self::cluster) runs after learning and features).
    ///
    /// `corpus_docs` is the number of documents the statistics were learned
    /// from ([`CorpusStats::docs`]); the statistics themselves are no longer
    /// needed, so a caller can free them first.
    pub fn cluster_features(&self, feats: Vec<Features>, corpus_docs: u64) -> Clustering {
        let (mut feats, dups) = self.collapse_duplicates(feats);
        let pairs = self.candidate_pairs(&feats, corpus_docs);
        let mut scored = self.score_pairs(&feats, &pairs);
        drop(pairs);
        self.inherit_dates(&mut feats, &mut scored);
        self.cluster_collapsed(&dups, feats, scored)
    }

    /// Clusters a batch of documents into stories.
    ///
    /// Two passes: corpus statistics (term IDF, names, boilerplate lines) are
    /// learned from the whole batch, then each document's features are
    /// built, exact duplicates collapsed, candidates generated, scored
    /// exactly and clustered. The detector's own streaming state is neither
    /// used nor changed.
    ///
    /// # Errors
    /// [`ErrorKind::DocumentTooLarge`], [`ErrorKind::DuplicateId`] or
    /// [`ErrorKind::TooManyDocuments`], naming the document.
    pub fn cluster(&self, docs: &[Document]) -> Result<Clustering, Error> {
        self.check(docs)?;
        // Learning keeps each document's tokens, so the features need not tokenize it again.
        let pool = crate::file::LearnerPool::default();
        let runs = pool.learn_runs(self, docs);
        let (stats, types) = pool.finish_with_types();
        Ok(self.cluster_runs(runs, types, stats))
    }

    /// [`cluster`](Self::cluster) with statistics already learned: from
    /// these documents by [`read_and_learn`](Self::read_and_learn) or
    /// [`learn`](Self::learn), it gives the same clustering; statistics from
    /// another corpus give its weights and boilerplate instead.
    ///
    /// # Errors
    /// As [`cluster`](Self::cluster).
    pub fn cluster_learned(&self, docs: &[Document], stats: CorpusStats) -> Result<Clustering, Error> {
        self.check(docs)?;
        self.cluster_learned_checked(docs, stats)
    }

    fn cluster_learned_checked(&self, docs: &[Document], mut stats: CorpusStats) -> Result<Clustering, Error> {
        stats.compact();
        let feats = self.features(docs, &stats);
        let corpus_docs = stats.docs();
        drop(stats);
        Ok(self.cluster_features(feats, corpus_docs))
    }

    /// Gives each undated document the date of its most similar dated
    /// document when their similarity reaches `inherit_date_similarity`
    /// (dates are only inherited from documents that had one, so nothing
    /// chains), then rescores the pairs of the documents that got one.
    pub fn inherit_dates(&self, feats: &mut [Features], scored: &mut [ScoredPair]) {
        let cfg = self.an.config();
        let Some(min) = cfg.inherit_date_similarity else { return };
        let mut best: Vec<Option<(f32, u32)>> = vec![None; feats.len()];
        for p in scored.iter() {
            let sim = p.scores.similarity;
            if f64::from(sim) < min {
                continue;
            }
            for (x, y) in [(p.a, p.b), (p.b, p.a)] {
                if feats[x as usize].date.is_none() && feats[y as usize].date.is_some() {
                    let better = match best[x as usize] {
                        None => true,
                        Some((s, j)) => sim > s || (sim == s && y < j),
                    };
                    if better {
                        best[x as usize] = Some((sim, y));
                    }
                }
            }
        }
        let mut changed = vec![false; feats.len()];
        for (i, b) in best.iter().enumerate() {
            if let Some((_, j)) = *b {
                feats[i].date = feats[j as usize].date;
                changed[i] = true;
            }
        }
        for p in scored.iter_mut() {
            if changed[p.a as usize] || changed[p.b as usize] {
                p.scores = score_pair(&feats[p.a as usize], &feats[p.b as usize], cfg);
            }
        }
    }

    /// Explains the scores of documents `a` and `b` of a batch (positions in
    /// `docs`), with statistics learned from the whole batch as
    /// [`cluster`](Self::cluster) does.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidParameter`] when `a` or `b` is out of range, and
    /// the errors of [`cluster`](Self::cluster).
    ///
    /// # Example
    /// ```
    /// use samestory::{Detector, Document};
    /// let docs = vec![
    ///     Document::new("a", "The Indian navy captured 23 pirates in the Gulf of Aden on Saturday, a navy spokesman said."),
    ///     Document::new("b", "A navy spokesman said the Indian navy captured 23 pirates in the Gulf of Aden on Saturday."),
    /// ];
    /// let e = Detector::new().explain(&docs, 0, 1)?;
    /// assert!(e.shared_terms.iter().any(|t| t.term == "aden"));
    /// println!("{e}");
    /// # Ok::<(), samestory::Error>(())
    /// ```
    pub fn explain(&self, docs: &[Document], a: usize, b: usize) -> Result<Explanation, Error> {
        self.check(docs)?;
        for (name, i) in [("a", a), ("b", b)] {
            if i >= docs.len() {
                return Err(Error::param(name, format!("document position {i} is out of range (0..{})", docs.len())));
            }
        }
        let cfg = self.an.config();
        let stats = self.learn(docs);
        let mut s = Scratch::default();
        let mut da = self.an.detail(&docs[a], &stats, &mut s);
        let mut db = self.an.detail(&docs[b], &stats, &mut s);
        if cfg.inherit_date_similarity.is_some() && (da.features.date.is_none() || db.features.date.is_none()) {
            // Dates may be inherited from similar documents: run the batch pipeline for them.
            let mut feats = self.features(docs, &stats);
            let pairs = self.candidate_pairs(&feats, stats.docs());
            let mut scored = self.score_pairs(&feats, &pairs);
            self.inherit_dates(&mut feats, &mut scored);
            da.features.date = feats[a].date;
            db.features.date = feats[b].date;
        }
        let scores = score_pair(&da.features, &db.features, cfg);
        let shared_terms = da
            .features
            .profile
            .shared(&db.features.profile)
            .into_iter()
            .map(|(t, c)| SharedTerm {
                term: da.terms.get(&t).cloned().unwrap_or_else(|| format!("#{t:016x}")),
                contribution: c,
            })
            .collect();
        // Passages: maximal runs of a's content tokens covered by shingles b shares.
        let mut windows = Vec::new();
        crate::shingle::shingle_hashes(&da.content, cfg.shingle_size, cfg.seed, &mut windows);
        let k = cfg.shingle_size.min(da.content.len()).max(1);
        let n_tok = da.content.len();
        let mut covered = vec![false; n_tok];
        for (i, h) in windows.iter().enumerate() {
            if db.features.shingles.contains(*h) {
                covered[i..(i + k).min(n_tok)].iter_mut().for_each(|c| *c = true);
            }
        }
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < covered.len() {
            if covered[i] {
                let j = (i..covered.len()).find(|&j| !covered[j]).unwrap_or(covered.len());
                runs.push((i, j));
                i = j;
            } else {
                i += 1;
            }
        }
        runs.sort_by_key(|&(x, y)| (std::cmp::Reverse(y - x), x));
        let text = &docs[a].text;
        let shared_passages = runs
            .iter()
            .take(5)
            .filter_map(|&(x, y)| text.get(da.spans[x].0 as usize..da.spans[y - 1].1 as usize))
            .map(|p| {
                let p = p.split_whitespace().collect::<Vec<_>>().join(" ");
                if p.chars().count() > 240 { format!("{} …", p.chars().take(240).collect::<String>()) } else { p }
            })
            .collect();
        Ok(Explanation {
            ids: (docs[a].id.clone(), docs[b].id.clone()),
            scores,
            shared_passages,
            shared_terms,
            content_tokens: [
                (da.features.content_tokens, da.features.total_tokens),
                (db.features.content_tokens, db.features.total_tokens),
            ],
            thresholds: Thresholds {
                story: cfg.story_threshold,
                copy_jaccard: cfg.copy_threshold,
                containment: cfg.containment_threshold,
                min_containment_shingles: cfg.min_containment_shingles,
                simhash_distance: cfg.simhash_distance,
                date_window_days: cfg.date_window_days,
                outside_window_factor: cfg.outside_window_factor,
            },
            pair_same_story: f64::from(scores.similarity) >= cfg.story_threshold,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORDS: &[&str] = &[
        "Putin",
        "met",
        "Kim",
        "at",
        "the",
        "Vostochny",
        "cosmodrome",
        "on",
        "Wednesday",
        "13",
        "2023",
        "Kim's",
        "train",
        "arrived",
        "Home | News",
        "Advertisement",
        "北京",
        "市",
        "é",
        "the",
        "The",
        "said",
        ".",
        "\n",
        "\n\n",
        "  ",
    ];

    proptest::proptest! {
        /// Batch learning equals observing each document in order.
        #[test]
        fn learn_equals_observing_each_document(
            docs in proptest::collection::vec(
                (proptest::collection::vec(proptest::sample::select(WORDS), 0..40), proptest::option::of(0..3u8)),
                0..12,
            ),
        ) {
            let docs: Vec<Document> = docs
                .iter()
                .enumerate()
                .map(|(i, (words, src))| {
                    let d = Document::new(i.to_string(), words.join(" "));
                    match src { Some(k) => d.with_source(format!("site{k}")), None => d }
                })
                .collect();
            let det = Detector::new();
            let mut s = Scratch::default();
            let mut expected = CorpusStats::new();
            for d in &docs {
                expected.observe(&det.an.observe(d, &mut s));
            }
            proptest::prop_assert_eq!(det.learn(&docs), expected);
        }
    }
}
