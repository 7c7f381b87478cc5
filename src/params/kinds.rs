//! The parameter values that are more than a number: the linkage and the
//! cohesion guard.

/// How clusters are merged (see [`StoryParams::linkage`](super::StoryParams::linkage)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Linkage {
    /// Average linkage: merge while the mean similarity over all cross pairs
    /// (unscored pairs count as 0) reaches the threshold.
    #[default]
    Average,
    /// Single linkage (connected components of pairs at or above the threshold).
    Single,
}

/// The cohesion guard of average linkage: two clusters of at least
/// `min_size` documents each merge only when their average cross similarity
/// also reaches `ratio` × the lower of their two cohesions (average
/// similarity within each).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CohesionGuard {
    /// Least ratio of the cross similarity to the lower cohesion (default 0.9).
    pub ratio: f64,
    /// Clusters smaller than this (in documents) are never held back (default 5).
    pub min_size: u32,
}

impl Default for CohesionGuard {
    fn default() -> CohesionGuard {
        CohesionGuard { ratio: 0.9, min_size: 5 }
    }
}
