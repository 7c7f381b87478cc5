//! Near-duplicate news story detection: find copies and independent reports
//! of one event, and group them into stories.
//!
//! Two news pages about one event may share a wire lead under different site
//! chrome (copy level), or be written independently by two newsrooms and
//! share almost no phrase (event level), while two unrelated pages of one
//! site share all of their chrome. `samestory` serves both levels with one
//! pipeline:
//!
//! ```text
//! text ─► shingle ─► minhash / simhash ─► lsh ─► score ─► cluster
//!   │                                      ▲
//!   └──► statistics (IDF, names, boilerplate) ─► profile ─► term index
//! ```
//!
//! # Overview
//! * [`Detector`]: clusters a batch. [`Detector::cluster`] for documents in
//!   memory, [`Detector::cluster_file`] (or [`Detector::cluster_reader`])
//!   for a JSON Lines file read once without holding its text,
//!   [`Detector::explain`] for why two documents are, or are not, one
//!   story. Built by [`Detector::builder`]; every parameter is in [`Params`].
//! * [`Tracker`]: follows stories one document at a time
//!   ([`Tracker::add`], [`Tracker::query`], [`Tracker::remove`], expiry),
//!   saved and loaded whole.
//! * [`Document`]: id, text, and optional title, [`Date`] and source.
//! * [`Clustering`]: a label per document, the clusters, and the scores
//!   ([`PairScores`]) of every pair compared.
//! * [`stages`]: the pipeline's stages one by one (mergeable
//!   [`CorpusStats`], opaque [`Features`], candidate keys, pair scores,
//!   clustering a component), for engines that run it partition by partition.
//! * Building blocks usable alone: [`text`] (UAX #29 tokens, normalization,
//!   dates), [`shingle`] (exact Jaccard and containment), [`minhash`]
//!   (one-permutation MinHash with optimal densification, and classic
//!   k-hash MinHash), [`simhash`], [`lsh`] (banded LSH, SimHash Hamming
//!   index, term index), [`hash`]; [`io`]: JSON Lines and folder readers
//!   with line-accurate errors.
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
//! use samestory::{Detector, Document, Tracker};
//! let mut tracker = Tracker::new(Detector::builder().story_threshold(0.3).build()?);
//! let first = tracker.add(Document::new("1", "Kim Jong Un arrived at the Vostochny Cosmodrome by train to meet Putin."))?;
//! let second = tracker.add(Document::new("2", "Putin met Kim Jong Un at the Vostochny Cosmodrome after Kim's train arrived."))?;
//! assert_eq!(first.story, second.story);
//! # Ok::<(), samestory::Error>(())
//! ```
//!
//! # How two documents become one story
//! Each candidate pair gets explicit scores ([`PairScores`]): exact
//! shingle Jaccard and containment, the MinHash estimate, the SimHash
//! distance, and the exact cosine of the salient-term profiles, with the
//! distance of their dates. A pair is a *copy* by the copy rule
//! ([`CopyRule`]); its similarity is the larger of the profile cosine
//! (times `outside_window_factor` outside the date window) and, for a
//! copy, its shared-text fraction (at least the story threshold). Clusters
//! are formed by average linkage at `story_threshold`, so one bridge
//! document cannot chain stories. `DESIGN.md` explains each decision and
//! why the defaults are what they are.
//!
//! # Determinism and stability
//! Same input, same parameters and seed: same features, pairs and clusters,
//! on every platform, on any number of threads, and with or without the
//! `parallel` feature. Every hash is seeded XXH3 of normalized bytes or a
//! fixed arithmetic mix of such hashes ([`hash`]); `tests/golden.rs` pins
//! values, so a change of hashing is a visible, versioned event.
//!
//! # Crate features
//! * `parallel` (default): batch statistics, features and pair scoring on all
//!   cores with rayon. Results are identical without it.
//! * `serde`: `Serialize` and `Deserialize` for the result and input types
//!   ([`Document`], [`Clustering`], [`PairScores`], [`Assignment`], [`Params`], …).

mod admit;
mod batch;
mod candidates;
mod cluster;
mod clustering;
mod dates;
mod dedup;
mod detector;
mod document;
mod error;
mod explain;
mod features;
mod file;
pub mod hash;
pub mod io;
mod learn;
pub mod lsh;
pub mod minhash;
mod par;
mod params;
mod persist;
mod score;
pub mod shingle;
pub mod simhash;
pub mod stages;
mod stats;
mod summary;
pub mod text;
mod tracker;

pub use clustering::{Clustering, ScoredPair};
pub use detector::{Detector, DetectorBuilder};
pub use document::Document;
pub use error::{Error, ErrorKind};
pub use explain::{Explanation, SharedTerm};
pub use features::Features;
pub use params::{
    BoilerplateParams, CandidateParams, CohesionGuard, CopyRule, DEFAULT_SEED, DateParams, Levels, Limits, Linkage,
    Params, ProfileParams, Retention, Sketch, StoryParams, Weights,
};
pub use score::PairScores;
pub use stats::CorpusStats;
pub use summary::{BoilerplateLine, SalientTerm, Summary};
pub use text::date::Date;
pub use tracker::{Assignment, Match, Placement, Story, StoryId, Tracker};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
