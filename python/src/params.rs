//! Detector parameters from Python keywords and back to a dict.
//!
//! Names and parsing are the library's: each keyword goes through
//! `Params::set(name, text)`; this file only turns a Python value of the
//! right kind into that text, and reads each parameter back as a Python
//! value. A pytest checks that the names here are exactly `Params::NAMES`.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use samestory::minhash::MinHashKind;
use samestory::{Linkage, Params};

use crate::errors::invalid_param;

/// A parameter's value, by kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    F(f64),
    U(u64),
    B(bool),
    OptU(Option<u64>),
    OptF(Option<f64>),
    S(&'static str),
    Guard(Option<(f64, u32)>),
}

/// The value of the parameter `name` (a name of `Params::NAMES`).
pub fn get(p: &Params, name: &str) -> Option<Val> {
    use Val::*;
    Some(match name {
        "seed" => U(p.sketch.seed),
        "shingle_size" => U(p.sketch.shingle_size as u64),
        "num_perm" => U(p.sketch.num_perm as u64),
        "minhash_kind" => S(match p.sketch.minhash_kind {
            MinHashKind::OnePermutation => "one-permutation",
            MinHashKind::Classic => "classic",
        }),
        "copy_threshold" => F(p.copy.jaccard),
        "containment_threshold" => F(p.copy.containment),
        "min_containment_shingles" => U(p.copy.min_containment_shingles as u64),
        "simhash_distance" => U(u64::from(p.copy.simhash_distance)),
        "profile_terms" => U(p.profile.terms as u64),
        "candidate_terms" => U(p.candidates.terms as u64),
        "candidate_df_fraction" => F(p.candidates.df_fraction),
        "candidate_df_floor" => U(u64::from(p.candidates.df_floor)),
        "candidate_budget" => U(p.candidates.budget as u64),
        "candidate_limit" => U(p.candidates.limit as u64),
        "candidate_min_overlap" => F(p.candidates.min_overlap),
        "title_weight" => F(p.weights.title),
        "name_boost" => F(p.weights.names),
        "number_boost" => F(p.weights.numbers),
        "date_window_days" => OptU(p.dates.window_days.map(u64::from)),
        "outside_window_factor" => F(p.dates.outside_window_factor),
        "inherit_date_similarity" => OptF(p.dates.inherit_similarity),
        "remove_boilerplate" => B(p.boilerplate.remove),
        "boilerplate_min_docs" => U(u64::from(p.boilerplate.min_docs)),
        "boilerplate_max_tokens" => U(p.boilerplate.max_tokens as u64),
        "story_threshold" => F(p.story.threshold),
        "linkage" => S(match p.story.linkage {
            Linkage::Average => "average",
            Linkage::Single => "single",
        }),
        "cohesion_guard" => Guard(p.story.cohesion_guard.map(|g| (g.ratio, g.min_size))),
        "max_document_bytes" => U(p.limits.max_document_bytes as u64),
        "max_documents" => U(p.limits.max_documents as u64),
        "retention_days" => OptU(p.retention.days.map(u64::from)),
        "retention_documents" => OptU(p.retention.documents.map(|d| d as u64)),
        "events" => B(p.levels.events),
        _ => return None,
    })
}

/// Every parameter as a dict, in `Params::NAMES` order.
pub fn to_dict<'py>(py: Python<'py>, p: &Params) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for name in Params::NAMES {
        let v = get(p, name)
            .ok_or_else(|| invalid_param(py, name, format!("parameter {name:?} is not known to the Python binding")))?;
        d.set_item(*name, to_py(py, &v)?)?;
    }
    Ok(d)
}

fn to_py<'py>(py: Python<'py>, v: &Val) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Val::F(x) => PyFloat::new(py, *x).into_any(),
        Val::U(x) => x.into_pyobject(py)?.into_any(),
        Val::B(x) => PyBool::new(py, *x).to_owned().into_any(),
        Val::OptU(x) => x.into_pyobject(py)?.into_any(),
        Val::OptF(x) => x.into_pyobject(py)?.into_any(),
        Val::S(s) => PyString::new(py, s).into_any(),
        Val::Guard(None) => py.None().into_bound(py),
        Val::Guard(Some((r, m))) => {
            PyTuple::new(py, [PyFloat::new(py, *r).into_any(), m.into_pyobject(py)?.into_any()])?.into_any()
        }
    })
}

fn kind_name(v: &Val) -> &'static str {
    match v {
        Val::F(_) => "a number",
        Val::U(_) => "an int",
        Val::B(_) => "a bool",
        Val::OptU(_) => "an int or None",
        Val::OptF(_) => "a number or None",
        Val::S(_) => "a str",
        Val::Guard(_) => "a (ratio, min_size) tuple or None",
    }
}

fn is_int(v: &Bound<'_, PyAny>) -> bool {
    v.is_instance_of::<PyInt>() && !v.is_instance_of::<PyBool>()
}

fn number_text(v: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    if is_int(v) {
        return Ok(Some(v.str()?.to_cow()?.into_owned()));
    }
    if v.is_instance_of::<PyFloat>() {
        return Ok(Some(format!("{}", v.extract::<f64>()?)));
    }
    Ok(None)
}

/// The text `Params::set` reads for a Python value of the parameter's
/// kind, or `None` when the value is of another kind.
fn text_of(kind: &Val, v: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    let none = v.is_none();
    Ok(match kind {
        Val::F(_) => number_text(v)?,
        Val::U(_) => is_int(v).then(|| v.str().and_then(|s| s.to_cow().map(|c| c.into_owned()))).transpose()?,
        Val::B(_) => v
            .is_instance_of::<PyBool>()
            .then(|| if v.is_truthy().unwrap_or(false) { "true" } else { "false" }.to_string()),
        Val::OptU(_) if none => Some("none".into()),
        Val::OptU(_) => is_int(v).then(|| v.str().and_then(|s| s.to_cow().map(|c| c.into_owned()))).transpose()?,
        Val::OptF(_) if none => Some("none".into()),
        Val::OptF(_) => number_text(v)?,
        Val::S(_) => v
            .is_instance_of::<PyString>()
            .then(|| v.str().and_then(|s| s.to_cow().map(|c| c.into_owned())))
            .transpose()?,
        Val::Guard(_) if none => Some("none".into()),
        Val::Guard(_) => {
            if !(v.is_instance_of::<PyTuple>() || v.is_instance_of::<PyList>()) || v.len()? != 2 {
                return Ok(None);
            }
            let (r, m) = (v.get_item(0)?, v.get_item(1)?);
            match (number_text(&r)?, is_int(&m)) {
                (Some(r), true) => Some(format!("{r},{}", m.str()?.to_cow()?)),
                _ => None,
            }
        }
    })
}

/// Parameters from keywords: the defaults, each keyword set by name.
///
/// An unknown keyword is a `TypeError` (as for any Python callable); a
/// value of the wrong kind or one that does not parse is `InvalidParameter`.
/// Ranges are checked when the detector is built.
pub fn from_kwargs(py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Params> {
    let mut p = Params::default();
    let defaults = Params::default();
    let Some(kwargs) = kwargs else { return Ok(p) };
    for (k, v) in kwargs.iter() {
        let name: String = k.extract()?;
        let Some(kind) = get(&defaults, &name) else {
            return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                "Detector() got an unexpected keyword argument {name:?} (parameters: {})",
                Params::NAMES.join(", ")
            )));
        };
        let Some(text) = text_of(&kind, &v)? else {
            let got = v.get_type().name()?.to_cow()?.into_owned();
            return Err(invalid_param(
                py,
                &name,
                format!("invalid parameter `{name}`: must be {}, got {got}", kind_name(&kind)),
            ));
        };
        p.set(&name, &text).map_err(|e| crate::errors::plain(py, &e))?;
    }
    Ok(p)
}
