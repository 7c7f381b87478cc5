//! Near-duplicate news story detection: find copies and independent reports
//! of one event, and group them into story clusters.
//!
//! Two news pages about one event may share a wire lead under different site
//! chrome (copy level), or be written independently by two newsrooms and
//! share almost no phrase (event level), while two unrelated pages of one
//! site share all of their chrome. `samestory` serves both levels with one
//! pipeline, each stage a module of its own:
//!
//! ```text
//! text ─► shingle ─► minhash / simhash ─► lsh ─► score ─► cluster
//!   │                                      ▲
//!   └──► stats (IDF, names, boilerplate) ─► profile ─► term index
//! ```
//!
//! # Overview
//! * [`Detector`]: the façade. [`Detector::cluster`] for a batch
//!   ([`Detector::cluster_file`] for a large JSON Lines file: read once,
//!   keeping each document's tokens but never its text;
//!   [`Detector::read_and_learn`] with [`Detector::cluster_learned`] when
//!   the documents are wanted in memory),
//!   [`Detector::add`] for one document at a time. Built by
//!   [`Detector::builder`].
//! * [`Document`]: id, text, and optional title, [`Date`] and source.
//! * [`Clustering`]: a label per document, the clusters, and the scores of
//!   every candidate pair ([`PairScores`]).
//! * Stages, each usable alone: [`text`] (UAX #29 tokens, normalization,
//!   dates), [`shingle`] ([`ShingleSet`]: exact Jaccard and containment),
//!   [`minhash`] (one-permutation MinHash with optimal densification, and
//!   classic k-hash MinHash), [`simhash`], [`stats`] (mergeable corpus
//!   statistics), [`profile`] (salient-term profiles), [`lsh`] (banded LSH,
//!   SimHash Hamming index, term index), [`score`], [`cluster`].
//! * [`io`]: JSON Lines / folder readers with line-accurate errors.
//!
//! # Example: cluster a batch
//! ```
//! use samestory::{Date, Detector, Document};
//! let docs = vec![
//!     Document::new("wire", "A 6.2-magnitude earthquake struck off Curicó, Chile, on Monday, the USGS said.")
//!         .with_date(Date::parse("2023-09-25")?),
//!     Document::new("local", "Residents of Curicó felt Monday's magnitude 6.2 quake; the USGS placed it offshore.")
//!         .with_date(Date::parse("2023-09-25")?),
//!     Document::new("other", "The league title went to Castlebrook after a 2-1 win on Saturday.")
//!         .with_date(Date::parse("2023-09-23")?),
//! ];
//! let clustering = Detector::new().cluster(&docs)?;
//! assert_eq!(clustering.labels(), &[0, 0, 1]);
//! let s = clustering.scores(0, 1).unwrap();
//! assert!(s.cosine > 0.3 && !s.copy);
//! # Ok::<(), samestory::Error>(())
//! ```
//!
//! # Example: one document at a time
//! ```
//! use samestory::{Detector, Document};
//! let mut detector = Detector::builder().story_threshold(0.3).build()?;
//! let first = detector.add(Document::new("1", "Kim Jong Un arrived at the Vostochny Cosmodrome by train to meet Putin."))?;
//! let second = detector.add(Document::new("2", "Putin met Kim Jong Un at the Vostochny Cosmodrome after Kim's train arrived."))?;
//! assert_eq!(first.story, second.story);
//! # Ok::<(), samestory::Error>(())
//! ```
//!
//! # How two documents become one story
//! Each candidate pair gets explicit scores ([`score`] module docs): exact
//! shingle Jaccard and containment, the MinHash estimate, the SimHash
//! distance, and the exact cosine of the salient-term profiles, with the
//! distance of their dates. A pair is a *copy* by the copy thresholds; its
//! similarity is the larger of the profile cosine (times
//! `outside_window_factor` outside the date window) and, for a copy, its
//! shared-text fraction (at least the story threshold). Clusters are formed by average
//! linkage at `story_threshold`, so one bridge document cannot chain stories.
//!
//! # Choosing parameters
//! Banded LSH with b bands of r rows catches a pair of Jaccard s with
//! probability `1 − (1 − s^r)^b`. The bands and rows aim at the lowest
//! Jaccard the copy rule accepts, `min(copy_threshold, c / (2 − c))` for
//! containment threshold c (two equal-size sets with containment c have
//! Jaccard c / (2 − c)), chosen by [`lsh::LshParams::for_threshold`]. With the
//! defaults (0.5 and 0.5, 128 slots) that is 26 bands of 3 rows: pairs at
//! J = 0.5 are caught with probability 0.97, at J = 0.4 with 0.82, at J = 0.2
//! with 0.19 (and then rejected by exact verification). Event-level
//! candidates do not depend on banding: they come from rare shared salient
//! terms.
//!
//! # Determinism and stability
//! Same input, same parameters and seed: same features, pairs and clusters,
//! on every platform and with or without the `parallel` feature. Every hash
//! is seeded XXH3 of normalized bytes or a fixed arithmetic mix of such
//! hashes ([`hash`]); `tests/golden.rs` pins values, so a change of hashing
//! is a visible, versioned event.
//!
//! # Crate features
//! * `parallel` (default): batch statistics, features and pair scoring on all
//!   cores with rayon. Results are identical without it.

pub mod analyze;
pub mod cluster;
mod config;
pub mod detector;
pub mod document;
pub mod error;
pub mod explain;
pub mod file;
pub mod hash;
pub mod io;
pub mod live;
pub mod lsh;
pub mod minhash;
pub mod persist;
pub mod profile;
pub mod score;
pub mod shingle;
pub mod simhash;
pub mod stats;
pub mod text;

pub use analyze::Features;
pub use cluster::{Clustering, CohesionGuard, Linkage, ScoredPair};
pub use config::DEFAULT_SEED;
pub use detector::{Detector, DetectorBuilder, Duplicates};
pub use document::Document;
pub use error::{Error, ErrorKind};
pub use explain::Explanation;
pub use file::{ClusteredFile, LearnedFile, TokenizedFile};
pub use live::{Assignment, Match, StoryId};
pub use minhash::{MinHashKind, MinHashSketch, MinHasher};
pub use profile::Profile;
pub use score::PairScores;
pub use shingle::{Fingerprints, ShingleSet};
pub use simhash::{SimHash, SimHasher};
pub use stats::CorpusStats;
pub use text::date::Date;

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
