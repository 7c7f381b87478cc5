//! Every parameter of a [`Detector`](crate::Detector), declared once.
//!
//! [`Params`] groups them by the job they steer ([`Sketch`], [`CopyRule`],
//! [`ProfileParams`], [`CandidateParams`], [`Weights`], [`DateParams`],
//! [`BoilerplateParams`], [`StoryParams`], [`Limits`], [`Retention`], [`Levels`]). The
//! one declaration below gives each parameter its default, its
//! [`DetectorBuilder`](crate::DetectorBuilder) setter, its range check, its
//! name for [`Params::set`] and its place in a saved state. Why each default
//! is what it is: `DESIGN.md`.

mod kinds;
mod value;

pub use kinds::{CohesionGuard, Linkage};
use value::{Value, any, closed_unit, guard, half_open_unit, in_range, opt, positive, unit, upper_unit};

use crate::error::Error;
use crate::lsh::LshParams;
use crate::minhash::{MAX_PERMUTATIONS, MinHashKind};

/// Default master seed.
pub const DEFAULT_SEED: u64 = 0x5a3e_5709_2023_0913;

macro_rules! define_params {
    ($(
        $(#[$gdoc:meta])*
        $group:ident: $Group:ident {
            $( $(#[$doc:meta])* $field:ident ($setter:ident): $ty:ty = $default:expr, $check:expr; )*
        }
    )*) => {
        $(
            $(#[$gdoc])*
            #[derive(Debug, Clone, PartialEq)]
            #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
            #[non_exhaustive]
            pub struct $Group {
                $( $(#[$doc])* pub $field: $ty, )*
            }

            impl Default for $Group {
                fn default() -> $Group {
                    $Group { $( $field: $default, )* }
                }
            }
        )*

        /// Every parameter of a detector, grouped by job. Read them with
        /// [`Detector::params`](crate::Detector::params); set them with the
        /// [`DetectorBuilder`](crate::DetectorBuilder) setters (named in each
        /// field's docs) or [`Params::set`].
        #[derive(Debug, Clone, PartialEq, Default)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[non_exhaustive]
        pub struct Params {
            $( $(#[$gdoc])* pub $group: $Group, )*
        }

        impl Params {
            /// The names [`set`](Self::set) takes: the builder's setters, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$($(stringify!($setter),)*)*];

            fn check_each(&self) -> Result<(), Error> {
                $($( ($check)(stringify!($setter), &self.$group.$field)?; )*)*
                Ok(())
            }

            /// Sets the parameter of a builder setter's name from text, as a
            /// command line or a binding gives it: numbers, `true`/`false`,
            /// `none` for an optional value, `average`/`single` for the
            /// linkage, `one-permutation`/`classic` for the MinHash kind,
            /// `RATIO,MIN_SIZE` for the cohesion guard. The range is checked
            /// when the detector is built.
            ///
            /// # Errors
            /// [`ErrorKind::InvalidParameter`](crate::ErrorKind::InvalidParameter)
            /// naming an unknown parameter or a value that does not parse.
            ///
            /// # Example
            /// ```
            /// let mut p = samestory::Params::default();
            /// p.set("story_threshold", "0.3")?;
            /// p.set("date_window_days", "none")?;
            /// assert_eq!(p.story.threshold, 0.3);
            /// assert!(p.set("story_treshold", "0.3").is_err());
            /// # Ok::<(), samestory::Error>(())
            /// ```
            pub fn set(&mut self, name: &str, value: &str) -> Result<(), Error> {
                $($(
                    if name == stringify!($setter) {
                        self.$group.$field = <$ty as Value>::parse(value.trim()).ok_or_else(|| {
                            Error::param(stringify!($setter), format!("{value:?} is not a valid value"))
                        })?;
                        return Ok(());
                    }
                )*)*
                Err(Error::param("name", format!("no parameter is named {name:?} (known: {})", Self::NAMES.join(", "))))
            }

            /// The saved-state encoding (format 3), field by field in declaration order.
            pub(crate) fn encode(&self, out: &mut Vec<u8>) {
                $($( Value::put(&self.$group.$field, out); )*)*
            }

            /// Decodes [`encode`](Self::encode)'s bytes (all of them), unchecked.
            pub(crate) fn decode(mut b: &[u8]) -> Result<Params, String> {
                let b = &mut b;
                let p = Params {
                    $( $group: $Group {
                        $( $field: <$ty as Value>::get(b)
                            .ok_or_else(|| format!("parameter {} is truncated or invalid", stringify!($setter)))?, )*
                    }, )*
                };
                if !b.is_empty() {
                    return Err(format!("{} bytes after the parameters", b.len()));
                }
                Ok(p)
            }
        }
    };
}

/// The one declaration of every parameter: `$m!` is called with it. Each
/// entry is `field (setter): Type = default, range check;` in its group;
/// [`define_params`] makes the structs, defaults, checks, names and codec,
/// and `detector.rs` makes the builder's setters from the same list.
macro_rules! for_each_param {
    ($m:ident) => {
        $m! {
        /// How texts become sketches.
        sketch: Sketch {
            /// Master seed of every hash (default a fixed constant). Same seed, same results.
            seed (seed): u64 = DEFAULT_SEED, any;
            /// Words per shingle, 1–16 (default 5).
            shingle_size (shingle_size): usize = 5, in_range(1, 16);
            /// MinHash slots, 1–4096 (default 128): more slots, smaller estimate error, more memory.
            num_perm (num_perm): usize = 128, in_range(1, MAX_PERMUTATIONS);
            /// MinHash construction (default one-permutation hashing with optimal densification).
            minhash_kind (minhash_kind): MinHashKind = MinHashKind::OnePermutation, any;
        }
        /// When two documents are copies (shared text).
        copy: CopyRule {
            /// Shingle Jaccard at which two documents are copies, in (0, 1) (default 0.5).
            /// The LSH bands and rows aim at the lowest Jaccard the copy rule accepts:
            /// `min(copy_threshold, c / (2 − c))` for `containment_threshold` c.
            /// Setter: `copy_threshold`.
            jaccard (copy_threshold): f64 = 0.5, unit;
            /// Shingle containment at which two documents are copies, in (0, 1) (default 0.5).
            /// Setter: `containment_threshold`.
            containment (containment_threshold): f64 = 0.5, unit;
            /// Shingles the smaller document needs for containment to count (default 20).
            min_containment_shingles (min_containment_shingles): usize = 20, any;
            /// SimHash distance (bits of 64) at which two documents are copies, ≤ 16 (default 3).
            simhash_distance (simhash_distance): u32 = 3, in_range(0, 16);
        }
        /// The salient-term profile of a document.
        profile: ProfileParams {
            /// Salient terms kept per document, 1–4096 (default 48). Setter: `profile_terms`.
            terms (profile_terms): usize = 48, in_range(1, 4096);
        }
        /// Event-level candidates: documents sharing rare salient terms.
        candidates: CandidateParams {
            /// Rare salient terms per document that generate event-level
            /// candidates, at most `profile_terms` (default 16). Setter: `candidate_terms`.
            terms (candidate_terms): usize = 16, in_range(1, 4096);
            /// Terms in more than this fraction of documents generate no candidates,
            /// in (0, 1) (default 0.05). Setter: `candidate_df_fraction`.
            df_fraction (candidate_df_fraction): f64 = 0.05, unit;
            /// ... unless they are in at most this many documents (default 50), for
            /// small corpora. Setter: `candidate_df_floor`.
            df_floor (candidate_df_floor): u32 = 50, any;
            /// Postings one document reads from the term index, rarest terms first
            /// (default 2,048): bounds the work per document. Setter: `candidate_budget`.
            budget (candidate_budget): usize = 2048, in_range(1, usize::MAX);
            /// Most event-level candidates one document proposes, best first (default
            /// 50): keeps the number of scored pairs linear in the corpus size.
            /// Setter: `candidate_limit`.
            limit (candidate_limit): usize = 50, in_range(1, usize::MAX);
            /// Least partial profile dot product over shared rare terms for an
            /// event-level candidate, in [0, 1) (default 0: rank only).
            /// Setter: `candidate_min_overlap`.
            min_overlap (candidate_min_overlap): f64 = 0.0, half_open_unit;
        }
        /// How much a term occurrence weighs in a profile.
        weights: Weights {
            /// Weight of a title occurrence relative to a body occurrence, positive
            /// (default 2). Setter: `title_weight`.
            title (title_weight): f64 = 2.0, positive;
            /// Multiplier of names (terms capitalized mid-sentence in most uses),
            /// positive (default 2). Setter: `name_boost`.
            names (name_boost): f64 = 2.0, positive;
            /// Multiplier of terms with a digit, positive (default 2). Setter: `number_boost`.
            numbers (number_boost): f64 = 2.0, positive;
        }
        /// Dates: the window of one event, and dates passed to undated documents.
        dates: DateParams {
            /// Reports more than this many days apart are not the same event unless
            /// they share text (default `Some(14)`; `None` ignores dates).
            /// Setter: `date_window_days`.
            window_days (date_window_days): Option<u32> = Some(14), any;
            /// Factor on the profile cosine of reports further apart than the date
            /// window, in [0, 1] (default 0.5; 0 makes the window a hard cut).
            /// Follow-up reports (an arrest, a trial) share names with the first
            /// report but come weeks later. Setter: `outside_window_factor`.
            outside_window_factor (outside_window_factor): f64 = 0.5, closed_unit;
            /// An undated document takes the date of its most similar dated document
            /// when their similarity reaches this, in (0, 1] (default `Some(0.5)`;
            /// `None` never). Setter: `inherit_date_similarity`.
            inherit_similarity (inherit_date_similarity): Option<f64> = Some(0.5), opt(upper_unit);
        }
        /// Site chrome learned from the corpus: lines repeated across documents.
        boilerplate: BoilerplateParams {
            /// Drop boilerplate lines learned from the corpus before shingling and
            /// profiling (default true). Setter: `remove_boilerplate`.
            remove (remove_boilerplate): bool = true, any;
            /// Short lines found in this many documents are boilerplate, 2–2²⁴
            /// (default 3). Setter: `boilerplate_min_docs`.
            min_docs (boilerplate_min_docs): u32 = 3, in_range(2, 1 << 24);
            /// Lines of at most this many tokens can be boilerplate by repetition
            /// (default 20). Setter: `boilerplate_max_tokens`.
            max_tokens (boilerplate_max_tokens): usize = 20, any;
        }
        /// When documents are one story.
        story: StoryParams {
            /// Similarity at which documents (and, on average, clusters) are one
            /// story, in (0, 1] (default 0.21). Setter: `story_threshold`.
            threshold (story_threshold): f64 = 0.21, upper_unit;
            /// Clustering policy (default average linkage). Setter: `linkage`.
            linkage (linkage): Linkage = Linkage::Average, any;
            /// Average linkage's guard against joining two well-formed stories
            /// that are only loosely alike (default `Some` ratio 0.9, clusters of
            /// at least 5; `None` turns it off). Setter: `cohesion_guard`.
            cohesion_guard (cohesion_guard): Option<CohesionGuard> = Some(CohesionGuard::default()), guard;
        }
        /// Input limits.
        limits: Limits {
            /// Largest accepted document (text + title) in bytes, 1–2³² − 1
            /// (default 16 MiB). Setter: `max_document_bytes`.
            max_document_bytes (max_document_bytes): usize = 16 << 20, in_range(1, u32::MAX as usize);
            /// Most documents one batch or tracker holds, 1–2³² − 2 (default
            /// 2³² − 2). Setter: `max_documents`.
            max_documents (max_documents): usize = u32::MAX as usize - 1, in_range(1, u32::MAX as usize - 1);
        }
        /// How long a [`Tracker`](crate::Tracker) keeps documents.
        retention: Retention {
            /// Documents whose time is more than this many days before the newest
            /// date seen expire (default `None`: kept until removed).
            /// Setter: `retention_days`.
            days (retention_days): Option<u32> = None, any;
            /// At most this many documents are held, the oldest added expiring
            /// first (default `None`: no limit). Setter: `retention_documents`.
            documents (retention_documents): Option<usize> = None, opt(in_range(1, usize::MAX));
        }
        /// What links two documents.
        levels: Levels {
            /// Event-level evidence (salient-term profiles, rare-term
            /// candidates) links independent reports of one event (default
            /// true). Off, only copies link documents: stories are copy
            /// groups, the deduplication job of MinHash LSH tools (see
            /// [`DetectorBuilder::copies_only`](crate::DetectorBuilder::copies_only)).
            /// Setter: `events`.
            events (events): bool = true, any;
        }
            }
    };
}
pub(crate) use for_each_param;

for_each_param!(define_params);

impl Params {
    /// Checks every parameter's range and how they fit together.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidParameter`](crate::ErrorKind::InvalidParameter)
    /// naming the first parameter out of range.
    pub fn validate(&self) -> Result<(), Error> {
        self.check_each()?;
        if self.candidates.terms > self.profile.terms {
            return Err(Error::param(
                "candidate_terms",
                format!("must be in 1..=profile_terms ({}), got {}", self.profile.terms, self.candidates.terms),
            ));
        }
        Ok(())
    }

    /// The Jaccard the LSH bands aim at: the lowest the copy rule accepts.
    /// Containment `c` of two equal-size sets means Jaccard `c / (2 − c)`, so
    /// banding for the copy threshold alone would miss most containment copies.
    pub fn lsh_threshold(&self) -> f64 {
        let c = self.copy.containment;
        self.copy.jaccard.min(c / (2.0 - c))
    }

    /// Terms in more documents than this are too common to generate candidates:
    /// `candidate_df_fraction` of the corpus, at least `candidate_df_floor`.
    pub(crate) fn candidate_df_cap(&self, docs: u64) -> u32 {
        let frac = (docs as f64 * self.candidates.df_fraction).floor();
        (frac.min(f64::from(u32::MAX)) as u32).max(self.candidates.df_floor)
    }
}

/// Validated parameters with what follows from them: what the pipeline reads.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Config {
    pub params: Params,
    /// The LSH bands and rows for [`Params::lsh_threshold`].
    pub lsh: LshParams,
}

impl Config {
    pub(crate) fn new(params: Params) -> Result<Config, Error> {
        params.validate()?;
        let lsh = LshParams::for_threshold(params.lsh_threshold(), params.sketch.num_perm)?;
        Ok(Config { params, lsh })
    }
}

impl std::ops::Deref for Config {
    type Target = Params;
    fn deref(&self) -> &Params {
        &self.params
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codec_round_trips_and_names_are_unique() {
        let mut p = Params::default();
        p.retention.documents = Some(7);
        p.story.cohesion_guard = None;
        p.dates.window_days = None;
        let mut bytes = Vec::new();
        p.encode(&mut bytes);
        assert_eq!(Params::decode(&bytes), Ok(p));
        assert!(Params::decode(&bytes[..bytes.len() - 1]).is_err());
        let mut names = Params::NAMES.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Params::NAMES.len());
    }

    #[test]
    fn every_setter_name_parses_its_default() {
        let mut p = Params::default();
        for name in Params::NAMES {
            // Every name is known; a value of the wrong kind is refused.
            assert!(p.set(name, "not a value").is_err(), "{name}");
        }
        p.set("cohesion_guard", "0.8, 6").unwrap();
        assert_eq!(p.story.cohesion_guard, Some(CohesionGuard { ratio: 0.8, min_size: 6 }));
        p.set("minhash_kind", "classic").unwrap();
        assert_eq!(p.sketch.minhash_kind, MinHashKind::Classic);
    }
}
