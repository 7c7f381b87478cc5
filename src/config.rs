//! The detector's parameters, validated once by the builder.

use crate::cluster::{CohesionGuard, Linkage};
use crate::error::Error;
use crate::lsh::LshParams;
use crate::minhash::{MAX_PERMUTATIONS, MinHashKind};

/// Default master seed.
pub const DEFAULT_SEED: u64 = 0x5a3e_5709_2023_0913;

/// All parameters of a [`crate::Detector`]; see [`crate::DetectorBuilder`] for each one's meaning.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Config {
    pub seed: u64,
    pub shingle_size: usize,
    pub num_perm: usize,
    pub minhash_kind: MinHashKind,
    pub copy_threshold: f64,
    pub containment_threshold: f64,
    pub min_containment_shingles: usize,
    pub simhash_distance: u32,
    pub profile_terms: usize,
    pub candidate_terms: usize,
    pub candidate_df_fraction: f64,
    pub candidate_df_floor: u32,
    pub candidate_budget: usize,
    pub candidate_limit: usize,
    pub candidate_min_overlap: f64,
    pub title_weight: f64,
    pub name_boost: f64,
    pub number_boost: f64,
    pub date_window_days: Option<u32>,
    pub outside_window_factor: f64,
    pub inherit_date_similarity: Option<f64>,
    pub remove_boilerplate: bool,
    pub boilerplate_min_docs: u32,
    pub boilerplate_max_tokens: usize,
    pub story_threshold: f64,
    pub linkage: Linkage,
    pub cohesion_guard: Option<CohesionGuard>,
    pub max_document_bytes: usize,
    pub max_documents: usize,
    pub retention_days: Option<u32>,
    pub retention_documents: Option<usize>,
    pub lsh: LshParams,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            seed: DEFAULT_SEED,
            shingle_size: 5,
            num_perm: 128,
            minhash_kind: MinHashKind::OnePermutation,
            copy_threshold: 0.5,
            containment_threshold: 0.5,
            min_containment_shingles: 20,
            simhash_distance: 3,
            profile_terms: 48,
            candidate_terms: 16,
            candidate_df_fraction: 0.05,
            candidate_df_floor: 50,
            candidate_budget: 2048,
            candidate_limit: 50,
            candidate_min_overlap: 0.0,
            title_weight: 2.0,
            name_boost: 2.0,
            number_boost: 2.0,
            date_window_days: Some(14),
            outside_window_factor: 0.5,
            inherit_date_similarity: Some(0.5),
            remove_boilerplate: true,
            boilerplate_min_docs: 3,
            boilerplate_max_tokens: 20,
            story_threshold: 0.21,
            linkage: Linkage::Average,
            cohesion_guard: Some(CohesionGuard::default()),
            max_document_bytes: 16 << 20,
            max_documents: u32::MAX as usize - 1,
            retention_days: None,
            retention_documents: None,
            lsh: LshParams { bands: 0, rows: 0 },
        }
    }
}

impl Config {
    /// Checks every parameter and derives the LSH bands and rows.
    pub(crate) fn validated(mut self) -> Result<Config, Error> {
        fn unit(name: &'static str, v: f64) -> Result<(), Error> {
            if v.is_finite() && v > 0.0 && v < 1.0 {
                Ok(())
            } else {
                Err(Error::param(name, format!("must be in (0, 1), got {v}")))
            }
        }
        fn positive(name: &'static str, v: f64) -> Result<(), Error> {
            if v.is_finite() && v > 0.0 {
                Ok(())
            } else {
                Err(Error::param(name, format!("must be a positive number, got {v}")))
            }
        }
        if self.shingle_size == 0 || self.shingle_size > 16 {
            return Err(Error::param("shingle_size", format!("must be in 1..=16, got {}", self.shingle_size)));
        }
        if self.num_perm == 0 || self.num_perm > MAX_PERMUTATIONS {
            return Err(Error::param("num_perm", format!("must be in 1..={MAX_PERMUTATIONS}, got {}", self.num_perm)));
        }
        unit("copy_threshold", self.copy_threshold)?;
        unit("containment_threshold", self.containment_threshold)?;
        if !(self.story_threshold.is_finite() && self.story_threshold > 0.0 && self.story_threshold <= 1.0) {
            return Err(Error::param("story_threshold", format!("must be in (0, 1], got {}", self.story_threshold)));
        }
        unit("candidate_df_fraction", self.candidate_df_fraction)?;
        if let Some(g) = self.cohesion_guard {
            if !(g.ratio.is_finite() && (0.0..=4.0).contains(&g.ratio)) {
                return Err(Error::param("cohesion_guard", format!("ratio must be in [0, 4], got {}", g.ratio)));
            }
            if g.min_size < 2 {
                return Err(Error::param("cohesion_guard", format!("min_size must be at least 2, got {}", g.min_size)));
            }
        }
        if self.candidate_budget == 0 {
            return Err(Error::param("candidate_budget", "must be positive"));
        }
        if self.candidate_limit == 0 {
            return Err(Error::param("candidate_limit", "must be positive"));
        }
        if !(self.candidate_min_overlap.is_finite() && (0.0..1.0).contains(&self.candidate_min_overlap)) {
            return Err(Error::param(
                "candidate_min_overlap",
                format!("must be in [0, 1), got {}", self.candidate_min_overlap),
            ));
        }
        positive("title_weight", self.title_weight)?;
        positive("name_boost", self.name_boost)?;
        positive("number_boost", self.number_boost)?;
        if !(self.outside_window_factor.is_finite() && (0.0..=1.0).contains(&self.outside_window_factor)) {
            return Err(Error::param(
                "outside_window_factor",
                format!("must be in [0, 1], got {}", self.outside_window_factor),
            ));
        }
        if let Some(v) = self.inherit_date_similarity
            && !(v.is_finite() && v > 0.0 && v <= 1.0)
        {
            return Err(Error::param("inherit_date_similarity", format!("must be in (0, 1], got {v}")));
        }
        if self.profile_terms == 0 || self.profile_terms > 4096 {
            return Err(Error::param("profile_terms", format!("must be in 1..=4096, got {}", self.profile_terms)));
        }
        if self.candidate_terms == 0 || self.candidate_terms > self.profile_terms {
            return Err(Error::param(
                "candidate_terms",
                format!("must be in 1..=profile_terms ({}), got {}", self.profile_terms, self.candidate_terms),
            ));
        }
        if self.simhash_distance > 16 {
            return Err(Error::param("simhash_distance", format!("must be at most 16, got {}", self.simhash_distance)));
        }
        if !(2..=1 << 24).contains(&self.boilerplate_min_docs) {
            return Err(Error::param(
                "boilerplate_min_docs",
                format!("must be in 2..=16777216, got {}", self.boilerplate_min_docs),
            ));
        }
        // Offsets and token counts are stored as u32.
        if self.max_document_bytes == 0 || self.max_document_bytes > u32::MAX as usize {
            return Err(Error::param("max_document_bytes", format!("must be in 1..={}", u32::MAX)));
        }
        if self.max_documents == 0 || self.max_documents > u32::MAX as usize - 1 {
            return Err(Error::param("max_documents", format!("must be in 1..={}", u32::MAX - 1)));
        }
        if self.retention_documents == Some(0) {
            return Err(Error::param("retention_documents", "must be positive"));
        }
        self.lsh = LshParams::for_threshold(self.lsh_threshold(), self.num_perm)?;
        Ok(self)
    }

    /// The Jaccard the LSH bands aim at: the lowest the copy rule accepts.
    /// Containment `c` of two equal-size sets means Jaccard `c / (2 − c)`, so
    /// banding for `copy_threshold` alone would miss most containment copies.
    pub(crate) fn lsh_threshold(&self) -> f64 {
        let c = self.containment_threshold;
        self.copy_threshold.min(c / (2.0 - c))
    }

    /// Terms in more documents than this are too common to generate candidates:
    /// `candidate_df_fraction` of the corpus, at least `candidate_df_floor`.
    pub(crate) fn candidate_df_cap(&self, docs: u64) -> u32 {
        let frac = (docs as f64 * self.candidate_df_fraction).floor();
        (frac.min(f64::from(u32::MAX)) as u32).max(self.candidate_df_floor)
    }
}
