//! Research tools for `samestory`, kept out of the library and out of its
//! `examples/`: clustering metrics ([`eval`]) and what the programs in
//! `src/bin/` share.
//!
//! | program | what it does |
//! |---|---|
//! | `evaluate` | clusters a labelled set and scores it against the gold labels |
//! | `copyset` | generates a copy-level set from real texts and scores samestory on it |
//! | `bench_corpus` | end-to-end benchmark on a generated corpus (or a JSON Lines file) |
//! | `bench_live` | `add` throughput and latency of a `Tracker`, save and load |
//! | `bench_signatures` | the copy-level core on one core, as the peers' runners measure it |
//!
//! Run one with `cargo run --release -p samestory-tools --bin NAME -- ARGS`;
//! each program's documentation gives its arguments.
//!
//! The programs reach the library's pipeline stages only through
//! [`pipeline`], so a change of the stage API is one module's edit.

pub mod eval;

/// The batch pipeline, stage by stage, as `evaluate` and `bench_corpus` run
/// it (each stage timed or inspected on its own), through the library's
/// public stages ([`samestory::stages::Stages`]). The one place the tools
/// call the stages of a [`Detector`](samestory::Detector); the types they
/// pass between stages are re-exported here.
pub mod pipeline {
    use std::path::Path;

    use samestory::io::ReadOptions;
    use samestory::{Clustering, Detector, Document, Error};

    pub use samestory::{CorpusStats, Features, ScoredPair};

    /// Corpus statistics of `docs` (not yet compacted).
    ///
    /// # Errors
    ///
    /// A document too large, or too many documents.
    pub fn learn(detector: &Detector, docs: &[Document]) -> Result<CorpusStats, Error> {
        detector.stages().learn(docs)
    }

    /// Features of `docs` against `stats`.
    ///
    /// # Errors
    ///
    /// As [`learn`].
    pub fn features(detector: &Detector, docs: &[Document], stats: &CorpusStats) -> Result<Vec<Features>, Error> {
        detector.stages().features(docs, stats)
    }

    /// Everything after the features, as [`Detector::cluster`] runs it
    /// (exact duplicates collapsed, candidates, scores, date inheritance,
    /// clustering): `ids` names the documents of `feats`, `corpus_docs` is
    /// the number of documents the statistics were learned from.
    ///
    /// # Errors
    ///
    /// `ids` and `feats` of different lengths, a repeated id, too many documents.
    pub fn cluster_features(
        detector: &Detector,
        ids: Vec<String>,
        feats: Vec<Features>,
        corpus_docs: u64,
    ) -> Result<Clustering, Error> {
        detector.stages().cluster_features(ids, feats, corpus_docs)
    }

    /// A JSON Lines file clustered end to end, read once (each document's
    /// tokens kept while learning, its text dropped), as
    /// [`Detector::cluster_file`] does.
    ///
    /// # Errors
    ///
    /// Those of reading the file (I/O, a malformed line, a document too large).
    pub fn cluster_file(detector: &Detector, path: &Path, opts: ReadOptions) -> Result<Clustering, Error> {
        detector.cluster_file(path, opts)
    }

    /// The whole batch pipeline on documents held in memory, stage by stage
    /// (statistics compacted, as [`Detector::cluster`] does): the clustering
    /// and the number of candidate pairs scored.
    ///
    /// # Errors
    ///
    /// As [`learn`] and [`cluster_features`] (a repeated id).
    pub fn cluster_in_stages(detector: &Detector, docs: &[Document]) -> Result<(Clustering, usize), Error> {
        let mut stats = learn(detector, docs)?;
        stats.compact();
        let feats = features(detector, docs, &stats)?;
        let corpus_docs = stats.docs();
        drop(stats);
        let ids = docs.iter().map(|d| d.id.clone()).collect();
        let clustering = cluster_features(detector, ids, feats, corpus_docs)?;
        let candidates = candidate_pairs(&clustering).count();
        Ok((clustering, candidates))
    }

    /// Is `p` an exact duplicate paired with its representative (not a
    /// candidate pair)? [`Clustering::pairs`] lists those too.
    #[must_use]
    pub fn is_duplicate_pair(clustering: &Clustering, p: &ScoredPair) -> bool {
        p.a != p.b && clustering.representative(p.b) == Some(p.a)
    }

    /// The candidate pairs that were scored, sorted by `(a, b)`:
    /// [`Clustering::pairs`] without each exact duplicate paired with its
    /// representative.
    pub fn candidate_pairs(clustering: &Clustering) -> impl Iterator<Item = &ScoredPair> + '_ {
        clustering.pairs().iter().filter(move |p| !is_duplicate_pair(clustering, p))
    }

    /// The size of the features as bytes
    /// ([`Features::to_bytes`](samestory::Features::to_bytes)):
    /// fingerprints, MinHash slots, profile and rare terms (with their
    /// weights), date and counts. The features are opaque, so this stands
    /// for the memory they hold.
    #[must_use]
    pub fn feature_bytes(feats: &[Features]) -> usize {
        feats.iter().map(|f| f.to_bytes().len()).sum()
    }
}

/// The two real seed reports of the demo corpus (`demo/seeds`), embedded.
pub mod seeds {
    use samestory::Document;

    /// The seeds' file names and texts.
    pub const SEEDS: [(&str, &str); 2] = [
        ("seeds/000_9a7db994ef940da5.txt", include_str!("../../demo/seeds/000_9a7db994ef940da5.txt")),
        ("seeds/001_6a2f0ebee5de1c9f.txt", include_str!("../../demo/seeds/001_6a2f0ebee5de1c9f.txt")),
    ];

    /// The seeds as documents `seed-0` and `seed-1`, text only.
    #[must_use]
    pub fn documents() -> Vec<Document> {
        SEEDS.iter().enumerate().map(|(k, (_, text))| Document::new(format!("seed-{k}"), *text)).collect()
    }
}

/// Where the tools find what lives beside the repository.
pub mod paths {
    use std::path::PathBuf;

    /// `../shared` beside the repository (labelled sets under `data/`, the
    /// reference scorer under `eval/`, the peers' runners under `bench/`).
    #[must_use]
    pub fn shared() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared")
    }
}

/// Small deterministic generators for the generated corpora. Each program
/// keeps the generator it was measured with, so its corpora do not change.
pub mod rng {
    /// A source of 64-bit values, with the derived draws the programs use.
    pub trait Rng {
        /// The next 64-bit value.
        fn next_u64(&mut self) -> u64;

        /// A value in `0..n` (`0` when `n` is 0), by remainder.
        fn below(&mut self, n: usize) -> usize {
            (self.next_u64() % n.max(1) as u64) as usize
        }

        /// A value in `[0, 1)` from the top 53 bits.
        fn unit(&mut self) -> f64 {
            (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
        }

        /// True with probability `p`, in steps of 1/10,000.
        fn chance(&mut self, p: f64) -> bool {
            (self.next_u64() % 10_000) as f64 / 10_000.0 < p
        }
    }

    /// `SplitMix64` (Steele, Lea & Flood 2014), the generator of `bench_corpus`.
    pub struct SplitMix64(pub u64);

    impl Rng for SplitMix64 {
        fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }
    }

    /// A 64-bit LCG (Knuth's MMIX constants) with its state mixed on the way
    /// out (`copyset`).
    pub struct MixedLcg(pub u64);

    impl Rng for MixedLcg {
        fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let x = self.0;
            (x ^ (x >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd) ^ (x >> 29)
        }
    }
}

/// Resident memory and CPU time of this process, from `/proc/self` (Linux;
/// `None` or 0 elsewhere).
pub mod sys {
    /// A memory field of `/proc/self/status` (`"VmRSS:"`, `"VmHWM:"`) in MB.
    #[must_use]
    pub fn rss_mb(field: &str) -> Option<f64> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with(field))?;
        let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb / 1024.0)
    }

    /// Peak resident memory so far, in MB.
    #[must_use]
    pub fn peak_rss_mb() -> Option<f64> {
        rss_mb("VmHWM:")
    }

    /// Process CPU time (user + system, all threads) so far, in seconds.
    #[must_use]
    pub fn cpu_seconds() -> f64 {
        let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
        // Fields after the command name (which ends with the last ')'): utime and stime are the 12th and 13th.
        let rest = stat.rsplit_once(')').map_or("", |r| r.1);
        let ticks: f64 = rest.split_whitespace().skip(11).take(2).filter_map(|v| v.parse::<f64>().ok()).sum();
        // Linux reports these in clock ticks of 1/100 s.
        ticks / 100.0
    }
}

/// Output the programs share.
pub mod output {
    use std::fmt::Write as _;

    /// `println!` that ends the program quietly when stdout is closed (e.g.
    /// piped into `head`).
    #[macro_export]
    macro_rules! out {
        ($($t:tt)*) => {
            if ::std::io::Write::write_fmt(&mut ::std::io::stdout(), format_args!("{}\n", format_args!($($t)*))).is_err() {
                ::std::process::exit(0);
            }
        };
    }

    /// Append one `{"id":…,"cluster":…}` JSON line.
    pub fn push_label_line(out: &mut String, id: &str, label: u32) {
        let _ = writeln!(out, "{{\"id\":{},\"cluster\":{label}}}", serde_json::Value::from(id));
    }
}
