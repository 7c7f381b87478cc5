//! Building blocks for your own pipeline, in names datasketch and rensa
//! users know: shingles, MinHash signatures, exact Jaccard and containment,
//! SimHash, LSH band keys. Thin wrappers of the crate's public modules.

use pyo3::prelude::*;
use rayon::prelude::*;
use samestory::lsh::LshParams;
use samestory::minhash::{MinHashKind, MinHashSketch, MinHasher as RsMinHasher};
use samestory::shingle::ShingleSet;
use samestory::simhash::{SimHash, SimHasher};

use crate::errors::{invalid_param, plain};

fn kind_of(py: Python<'_>, kind: &str) -> PyResult<MinHashKind> {
    match kind {
        "one-permutation" | "one_permutation" => Ok(MinHashKind::OnePermutation),
        "classic" => Ok(MinHashKind::Classic),
        other => Err(invalid_param(
            py,
            "kind",
            format!("invalid parameter `kind`: must be \"one-permutation\" or \"classic\", got {other:?}"),
        )),
    }
}

/// The sorted, distinct word `k`-shingle hashes (64-bit) of `text`: UAX #29
/// words, normalized (case folded), hashed with seeded XXH3. A text of fewer
/// than `k` words has one shingle; an empty text none.
#[pyfunction]
#[pyo3(signature = (text, k = 5, seed = samestory::DEFAULT_SEED))]
pub fn shingles(py: Python<'_>, text: &str, k: usize, seed: u64) -> Vec<u64> {
    py.detach(|| ShingleSet::of_text(text, k, seed).into_vec())
}

/// Exact Jaccard resemblance `|A∩B| / |A∪B|` of two collections of
/// shingle hashes (repeats ignored; 0 when either is empty).
#[pyfunction]
pub fn jaccard(a: Vec<u64>, b: Vec<u64>) -> f64 {
    ShingleSet::from_hashes(a).jaccard(&ShingleSet::from_hashes(b))
}

/// Exact containment `|A∩B| / min(|A|, |B|)` of two collections of
/// shingle hashes (repeats ignored; 0 when either is empty).
#[pyfunction]
pub fn containment(a: Vec<u64>, b: Vec<u64>) -> f64 {
    ShingleSet::from_hashes(a).containment(&ShingleSet::from_hashes(b))
}

/// The 64-bit SimHash (Charikar) of a collection of feature hashes, each of
/// weight 1 (the detector's use: a document's shingles); 0 when empty.
#[pyfunction]
#[pyo3(signature = (features, seed = samestory::DEFAULT_SEED))]
pub fn simhash(features: Vec<u64>, seed: u64) -> u64 {
    SimHasher::new(seed).hash_set(&features).0
}

/// The Hamming distance of two 64-bit SimHashes (number of differing bits).
#[pyfunction]
pub fn hamming(a: u64, b: u64) -> u32 {
    SimHash(a).hamming(SimHash(b))
}

/// The LSH bands and rows `(b, r)` with `b * r <= num_perm` for a Jaccard
/// `threshold` in (0, 1), minimizing the false-positive area below it and
/// the false-negative area above it (as datasketch chooses them).
#[pyfunction]
pub fn lsh_params(py: Python<'_>, threshold: f64, num_perm: usize) -> PyResult<(usize, usize)> {
    LshParams::for_threshold(threshold, num_perm).map(|p| (p.bands, p.rows)).map_err(|e| plain(py, &e))
}

/// Probability that two documents of Jaccard `s` share an LSH band key
/// with `bands` bands of `rows` rows: `1 - (1 - s**rows)**bands`.
#[pyfunction]
pub fn collision_probability(py: Python<'_>, s: f64, bands: usize, rows: usize) -> PyResult<f64> {
    LshParams::new(bands, rows).map(|p| p.collision_probability(s)).map_err(|e| plain(py, &e))
}

/// The LSH band keys of a MinHash sketch: band `i`'s key hashes its `rows`
/// slots; two sketches sharing a key are candidates. Empty for the sketch
/// of an empty set.
#[pyfunction]
#[pyo3(signature = (sketch, bands, rows, seed = samestory::DEFAULT_SEED))]
pub fn band_keys(py: Python<'_>, sketch: &MinHash, bands: usize, rows: usize, seed: u64) -> PyResult<Vec<u64>> {
    let params = LshParams::new(bands, rows).map_err(|e| plain(py, &e))?;
    samestory::lsh::band_keys(&sketch.inner, params, seed).map_err(|e| plain(py, &e))
}

/// A MinHash signature (`num_perm` 32-bit slots). Compare two with
/// `jaccard`; `digest()` gives the slots.
#[pyclass(module = "samestory", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct MinHash {
    inner: MinHashSketch,
}

#[pymethods]
impl MinHash {
    /// The slots, as ints.
    fn digest(&self) -> Vec<u32> {
        self.inner.slots().to_vec()
    }

    /// The sketch of an empty set (it matches nothing).
    #[getter]
    fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// Number of slots.
    fn __len__(&self) -> usize {
        self.inner.slots().len()
    }

    /// The estimated Jaccard resemblance of the two sets (the fraction of
    /// equal slots; 0 against an empty set). Raises `InvalidParameter` when
    /// the sketches differ in length.
    fn jaccard(&self, py: Python<'_>, other: &MinHash) -> PyResult<f64> {
        self.inner.estimate_jaccard(&other.inner).map_err(|e| plain(py, &e))
    }

    /// The sketch of the union of the two sets (slot-wise minimum).
    fn union(&self, py: Python<'_>, other: &MinHash) -> PyResult<MinHash> {
        self.inner.union(&other.inner).map(|inner| MinHash { inner }).map_err(|e| plain(py, &e))
    }

    fn __repr__(&self) -> String {
        format!(
            "MinHash(num_perm={}, empty={})",
            self.inner.slots().len(),
            if self.inner.is_empty() { "True" } else { "False" }
        )
    }
}

/// Computes MinHash signatures with `num_perm` slots (1 to 4096), a seed
/// and a construction: `"one-permutation"` (one-permutation hashing with
/// optimal densification, the default) or `"classic"` (k hash functions).
/// Immutable; `sketch_texts` signs many texts on all cores without the GIL.
#[pyclass(module = "samestory", frozen)]
pub struct MinHasher {
    inner: RsMinHasher,
}

#[pymethods]
impl MinHasher {
    #[new]
    #[pyo3(signature = (num_perm = 128, seed = samestory::DEFAULT_SEED, kind = "one-permutation"))]
    fn new(py: Python<'_>, num_perm: usize, seed: u64, kind: &str) -> PyResult<MinHasher> {
        let kind = kind_of(py, kind)?;
        RsMinHasher::with_kind(num_perm, seed, kind).map(|inner| MinHasher { inner }).map_err(|e| plain(py, &e))
    }

    /// Number of slots.
    #[getter]
    fn num_perm(&self) -> usize {
        self.inner.num_perm()
    }

    /// The seed.
    #[getter]
    fn seed(&self) -> u64 {
        self.inner.seed()
    }

    /// The construction: `"one-permutation"` or `"classic"`.
    #[getter]
    fn kind(&self) -> &'static str {
        match self.inner.kind() {
            MinHashKind::OnePermutation => "one-permutation",
            MinHashKind::Classic => "classic",
        }
    }

    /// The signature of a collection of shingle hashes (any order, repeats harmless).
    fn sketch(&self, shingles: Vec<u64>) -> MinHash {
        MinHash { inner: self.inner.sketch(&shingles) }
    }

    /// The signature of a text's word `k`-shingles (`shingles(text, k, seed)`).
    #[pyo3(signature = (text, k = 5))]
    fn sketch_text(&self, py: Python<'_>, text: &str, k: usize) -> MinHash {
        let h = &self.inner;
        py.detach(|| MinHash { inner: h.sketch(ShingleSet::of_text(text, k, h.seed()).as_slice()) })
    }

    /// `sketch_text` of each text, on all cores with the GIL released.
    #[pyo3(signature = (texts, k = 5))]
    fn sketch_texts(&self, py: Python<'_>, texts: Vec<String>, k: usize) -> Vec<MinHash> {
        let h = &self.inner;
        let seed = h.seed();
        py.detach(|| {
            texts.par_iter().map(|t| MinHash { inner: h.sketch(ShingleSet::of_text(t, k, seed).as_slice()) }).collect()
        })
    }

    fn __repr__(&self) -> String {
        format!("MinHasher(num_perm={}, seed={}, kind={:?})", self.inner.num_perm(), self.inner.seed(), self.kind())
    }
}
