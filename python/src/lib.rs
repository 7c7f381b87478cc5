//! Python bindings of `samestory` (the `samestory._samestory` extension
//! module; `python/samestory/__init__.py` re-exports it).
//!
//! One file per part of the surface: [`detector`] (batch), [`result`]
//! (clustering, scores, explanations), [`tracker`] (live), [`stages`]
//! (building blocks), [`params`] (keywords to `Params`), [`convert`]
//! (Python documents to `Document`s) and [`errors`] (exceptions).

mod convert;
mod detector;
mod errors;
mod params;
mod result;
mod stages;
mod tracker;

use pyo3::prelude::*;

#[pymodule]
#[pyo3(name = "_samestory")]
fn samestory_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<detector::Detector>()?;
    m.add_class::<result::Clustering>()?;
    m.add_class::<result::PairScores>()?;
    m.add_class::<result::Explanation>()?;
    m.add_class::<tracker::Tracker>()?;
    m.add_class::<tracker::Assignment>()?;
    m.add_class::<tracker::Placement>()?;
    m.add_class::<tracker::Match>()?;
    m.add_class::<stages::MinHasher>()?;
    m.add_class::<stages::MinHash>()?;
    m.add_function(wrap_pyfunction!(detector::_detector_from_params, m)?)?;
    m.add_function(wrap_pyfunction!(tracker::_tracker_from_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(stages::shingles, m)?)?;
    m.add_function(wrap_pyfunction!(stages::jaccard, m)?)?;
    m.add_function(wrap_pyfunction!(stages::containment, m)?)?;
    m.add_function(wrap_pyfunction!(stages::simhash, m)?)?;
    m.add_function(wrap_pyfunction!(stages::hamming, m)?)?;
    m.add_function(wrap_pyfunction!(stages::lsh_params, m)?)?;
    m.add_function(wrap_pyfunction!(stages::collision_probability, m)?)?;
    m.add_function(wrap_pyfunction!(stages::band_keys, m)?)?;
    m.add("DEFAULT_SEED", samestory::DEFAULT_SEED)?;
    m.add("PARAM_NAMES", samestory::Params::NAMES.to_vec())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
