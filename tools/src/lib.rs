//! Research tools for `samestory`, kept out of the library and out of its
//! `examples/`: clustering metrics ([`eval`]) and what the programs in
//! `src/bin/` share.
//!
//! | program | what it does |
//! |---|---|
//! | `evaluate` | clusters a labelled set and scores it against the gold labels |
//! | `copyset` | generates a copy-level set from real texts and scores samestory on it |
//! | `bench_corpus` | end-to-end benchmark on a generated corpus (or a JSON Lines file) |
//! | `bench_live` | `add` throughput and latency of the live detector, save and load |
//! | `bench_signatures` | the copy-level core on one core, as the peers' runners measure it |
//!
//! Run one with `cargo run --release -p samestory-tools --bin NAME -- ARGS`;
//! each program's documentation gives its arguments.
//!
//! The programs reach the library's pipeline stages only through
//! [`pipeline`], so a change of the stage API is one module's edit.

pub mod eval;

/// The batch pipeline, stage by stage, as `evaluate` and `bench_corpus` run
/// it (each stage timed or inspected on its own). The one place the tools
/// call the stages of [`Detector`](samestory::Detector); the types they pass
/// between stages are re-exported here.
pub mod pipeline {
    use std::path::Path;

    use samestory::io::ReadOptions;
    use samestory::{Clustering, Detector, Document, Error};

    pub use samestory::{CorpusStats, Duplicates, Features, LearnedFile, ScoredPair, TokenizedFile};

    /// Corpus statistics of `docs` (not yet compacted).
    #[must_use]
    pub fn learn(detector: &Detector, docs: &[Document]) -> CorpusStats {
        detector.learn(docs)
    }

    /// Features of `docs` against `stats`.
    #[must_use]
    pub fn features(detector: &Detector, docs: &[Document], stats: &CorpusStats) -> Vec<Features> {
        detector.features(docs, stats)
    }

    /// A JSON Lines file read once: statistics learned, each document's
    /// tokens kept and its text dropped.
    ///
    /// # Errors
    ///
    /// Those of reading the file (I/O, a malformed line, a document too large).
    pub fn tokenize_file(detector: &Detector, path: &Path, opts: ReadOptions) -> Result<TokenizedFile, Error> {
        detector.tokenize_file(path, opts)
    }

    /// Features from the tokens kept by [`tokenize_file`], with what is left
    /// of the file (ids, statistics, size).
    #[must_use]
    pub fn features_tokenized(detector: &Detector, file: TokenizedFile) -> (Vec<Features>, LearnedFile) {
        detector.features_tokenized(file)
    }

    /// Exact duplicates collapsed: the representatives' features and the map
    /// back to every document.
    #[must_use]
    pub fn collapse_duplicates(detector: &Detector, feats: Vec<Features>) -> (Vec<Features>, Duplicates) {
        detector.collapse_duplicates(feats)
    }

    /// Candidate pairs among the (collapsed) features of a corpus of
    /// `corpus_docs` documents.
    #[must_use]
    pub fn candidate_pairs(detector: &Detector, feats: &[Features], corpus_docs: u64) -> Vec<(u32, u32)> {
        detector.candidate_pairs(feats, corpus_docs)
    }

    /// The scores of the candidate pairs.
    #[must_use]
    pub fn score_pairs(detector: &Detector, feats: &[Features], pairs: &[(u32, u32)]) -> Vec<ScoredPair> {
        detector.score_pairs(feats, pairs)
    }

    /// Dates inherited from very similar dated documents, and the pairs
    /// rescored with them.
    pub fn inherit_dates(detector: &Detector, feats: &mut [Features], scored: &mut [ScoredPair]) {
        detector.inherit_dates(feats, scored);
    }

    /// The clustering of every document from the collapsed features and
    /// their scored pairs.
    #[must_use]
    pub fn cluster_collapsed(
        detector: &Detector,
        dups: &Duplicates,
        feats: Vec<Features>,
        scored: Vec<ScoredPair>,
    ) -> Clustering {
        detector.cluster_collapsed(dups, feats, scored)
    }

    /// The whole batch pipeline on documents held in memory, stage by stage
    /// (statistics compacted, as [`Detector::cluster`] does): the clustering
    /// and the number of candidate pairs.
    #[must_use]
    pub fn cluster_in_stages(detector: &Detector, docs: &[Document]) -> (Clustering, usize) {
        let mut stats = learn(detector, docs);
        stats.compact();
        let feats = features(detector, docs, &stats);
        let (mut feats, dups) = collapse_duplicates(detector, feats);
        let pairs = candidate_pairs(detector, &feats, stats.docs());
        let mut scored = score_pairs(detector, &feats, &pairs);
        inherit_dates(detector, &mut feats, &mut scored);
        (cluster_collapsed(detector, &dups, feats, scored), pairs.len())
    }

    /// The memory the features hold, in bytes (fingerprints, MinHash slots,
    /// profile, rare terms, and the struct itself).
    #[must_use]
    pub fn feature_bytes(feats: &[Features]) -> usize {
        feats
            .iter()
            .map(|f| {
                4 * f.shingles.len()
                    + 4 * f.minhash.slots().len()
                    + 12 * f.profile.len()
                    + std::mem::size_of_val(&f.rare[..])
                    + std::mem::size_of::<Features>()
            })
            .sum()
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
