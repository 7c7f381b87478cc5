//! Features: the per-document pass: text → tokens → (boilerplate filter) → shingles,
//! MinHash, SimHash and salient-term profile.
//!
//! It runs twice in batch mode: the first gathers what a document
//! contributes to the corpus statistics (terms, capitalization, line
//! hashes), and once the statistics are complete, the second
//! builds the document's [`Features`] with boilerplate lines removed and
//! terms weighted by the learned IDF. A streaming detector runs both for
//! each new document, against the statistics so far.
//!
//! A *boilerplate line* is a line of at most `boilerplate_max_tokens` tokens
//! that occurs in at least `boilerplate_min_docs` documents, or in two
//! documents of the same source; or a longer line found in many documents
//! (at least 4 × `boilerplate_min_docs` and 0.5 % of the corpus), such as a
//! copyright notice. Title segments (split at ` - `, ` | ` and the like) are
//! filtered the same way, which drops site-name suffixes. When every line of
//! a document is boilerplate, the whole text is used, so exact reprints of a
//! short article still match.

mod analyzer;
mod build;
mod profile;
#[cfg(test)]
mod tests;
mod tokens;

pub(crate) use build::TermWeights;
pub(crate) use profile::Profile;
pub(crate) use tokens::{Scratch, Tokenized};

use rustc_hash::FxHashMap;

use crate::hash::{derive_seed, domain};
use crate::minhash::{MinHashSketch, MinHasher};
use crate::params::Config;
use crate::shingle::{Fingerprints, TokenHasher};
use crate::simhash::{SimHash, SimHasher};
use crate::text::Date;
use crate::text::StopwordTable;

/// What the pipeline keeps of one document: its shingle fingerprints,
/// MinHash and SimHash sketches, salient-term profile, rare terms, date and
/// token counts. Opaque: build them with
/// [`Stages::features`](crate::stages::Stages::features), move them as
/// bytes ([`to_bytes`](Self::to_bytes),
/// [`Stages::features_from_bytes`](crate::stages::Stages::features_from_bytes)),
/// and read them through the stages.
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    /// Word k-shingles of the non-boilerplate text, as 32-bit fingerprints.
    pub(crate) shingles: Fingerprints,
    /// The fingerprints of the first [`LEAD_SHINGLES`] shingles of the
    /// content (where its main story starts), sorted: a copy shares its lead.
    pub(crate) lead: Box<[u32]>,
    /// MinHash of the shingles.
    pub(crate) minhash: MinHashSketch,
    /// SimHash of the shingles.
    pub(crate) simhash: SimHash,
    /// Salient-term profile.
    pub(crate) profile: Profile,
    /// The rare salient terms, as positions in `profile` (its
    /// `terms` order), rarest first (by document
    /// frequency, then weight): the document's keys in the term index. Two
    /// bytes a term; `rare_terms` gives the terms
    /// with their weights.
    pub(crate) rare: Box<[u16]>,
    /// The document's date (given, found in the head of the text, or inherited
    /// from a very similar dated document in a batch).
    pub(crate) date: Option<Date>,
    /// Tokens left after boilerplate removal.
    pub(crate) content_tokens: u32,
    /// Tokens in the body.
    pub(crate) total_tokens: u32,
}

/// Shingles at the start of a document's content that make its lead.
pub(crate) const LEAD_SHINGLES: usize = 24;

/// Features plus explanation data (see `Analyzer::detail`).
#[derive(Debug, Clone)]
pub(crate) struct Detail {
    pub features: Features,
    /// Term hash → its normalized surface form.
    pub terms: FxHashMap<u64, String>,
    /// Body byte span of each content token, in order.
    pub spans: Vec<(u32, u32)>,
    /// Token hash of each content token, in order.
    pub content: Vec<u64>,
}

impl Features {
    /// The document's date: given, found in the head of the text, or (in a
    /// batch) inherited from a very similar dated document.
    pub fn date(&self) -> Option<Date> {
        self.date
    }

    /// The rare salient terms with their profile weights, rarest first.
    /// Features built or loaded by this crate hold valid positions (a
    /// position beyond the profile would give term 0 with weight 0, which
    /// adds nothing to any dot product).
    pub(crate) fn rare_terms(&self) -> impl ExactSizeIterator<Item = (u64, f32)> + Clone + '_ {
        // Positions come from the profile they index (or are checked against it when loaded).
        self.rare.iter().map(|&i| self.profile.term_at(usize::from(i)).unwrap_or_default())
    }
}

/// Runs the per-document pass for one configuration.
#[derive(Debug, Clone)]
pub(crate) struct Analyzer {
    pub(crate) cfg: Config,
    pub(crate) minhasher: MinHasher,
    pub(crate) simhasher: SimHasher,
    pub(crate) line_seed: u64,
    pub(crate) source_seed: u64,
    pub(crate) bigram_seed: u64,
    pub(crate) tokens: TokenHasher,
    pub(crate) stopwords: StopwordTable,
}

/// Entries of the per-thread cache of IDF by document frequency (a power of two).
pub(crate) const IDF_CACHE: usize = 4096;

pub(crate) const TITLE_SEPARATORS: [&str; 7] = [" - ", " | ", " – ", " — ", " :: ", " · ", " // "];

impl Analyzer {
    pub(crate) fn new(cfg: Config) -> Result<Analyzer, crate::Error> {
        let minhasher = MinHasher::with_kind(cfg.sketch.num_perm, cfg.sketch.seed, cfg.sketch.minhash_kind)?;
        Ok(Analyzer {
            simhasher: SimHasher::new(cfg.sketch.seed),
            line_seed: derive_seed(cfg.sketch.seed, domain::LINE),
            source_seed: derive_seed(cfg.sketch.seed, domain::SOURCE),
            bigram_seed: derive_seed(cfg.sketch.seed, domain::BIGRAM),
            tokens: TokenHasher::new(cfg.sketch.seed),
            stopwords: StopwordTable::new(),
            minhasher,
            cfg,
        })
    }

    pub(crate) fn config(&self) -> &Config {
        &self.cfg
    }
}
