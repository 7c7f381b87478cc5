//! `Detector`: the batch façade.

use std::collections::HashMap;
use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use samestory::io::ReadOptions;

use crate::convert::{self, Columns, OnInvalidDate};
use crate::errors::{plain, to_py};
use crate::params;
use crate::result::{Clustering, Explanation, position};

/// Finds copies and same-event reports in a batch and groups them into
/// stories. Every parameter is a keyword (`Detector.params` lists them with
/// their values); a value out of range raises `InvalidParameter`.
/// Immutable and safe to share between threads: each call releases the GIL.
#[pyclass(module = "samestory", frozen)]
pub struct Detector {
    pub inner: samestory::Detector,
}

/// The position of each id of `docs` (the last one for a repeated id).
fn positions(docs: &[samestory::Document]) -> impl Fn(&str) -> Option<usize> + '_ {
    move |id: &str| docs.iter().rposition(|d| d.id == id)
}

#[allow(clippy::too_many_arguments)]
fn columns(id_col: String, text_col: String, title_col: String, date_col: String, source_col: String) -> Columns {
    Columns { id: id_col, text: text_col, title: title_col, date: date_col, source: source_col }
}

impl Detector {
    pub fn from_params(py: Python<'_>, p: samestory::Params) -> PyResult<Detector> {
        let inner = samestory::Detector::builder().params(p).build().map_err(|e| plain(py, &e))?;
        Ok(Detector { inner })
    }
}

#[pymethods]
impl Detector {
    #[new]
    #[pyo3(signature = (**kwargs))]
    fn new(py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Detector> {
        Detector::from_params(py, params::from_kwargs(py, kwargs)?)
    }

    /// Every parameter in force, by name (the keywords of `Detector()`).
    #[getter]
    fn params<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        params::to_dict(py, self.inner.params())
    }

    /// Clusters a batch of documents into stories.
    ///
    /// `docs` is a list (or iterable) of dicts, a pandas DataFrame or a
    /// pyarrow Table, with fields `id` and `text`, and optionally `title`,
    /// `date` and `source` (other names by the `*_col` keywords). The GIL is
    /// released while the batch is clustered.
    #[pyo3(signature = (docs, *, id_col = "id".to_string(), text_col = "text".to_string(), title_col = "title".to_string(), date_col = "date".to_string(), source_col = "source".to_string(), on_invalid_date = "raise"))]
    #[allow(clippy::too_many_arguments)]
    fn cluster(
        &self,
        py: Python<'_>,
        docs: &Bound<'_, PyAny>,
        id_col: String,
        text_col: String,
        title_col: String,
        date_col: String,
        source_col: String,
        on_invalid_date: &str,
    ) -> PyResult<Clustering> {
        let cols = columns(id_col, text_col, title_col, date_col, source_col);
        let conv = convert::many(py, docs, &cols, OnInvalidDate::parse(py, on_invalid_date)?)?;
        let det = &self.inner;
        let docs = &conv.docs;
        let result = py.detach(|| det.cluster(docs));
        match result {
            Ok(c) => Ok(Clustering::new(c, conv.warnings)),
            Err(e) => Err(to_py(py, &e, &positions(docs))),
        }
    }

    /// Clusters a JSON Lines file (or a folder of `.txt` files) without
    /// holding its text: read once, keeping each document's tokens. Gives
    /// the labels `cluster` gives for the same documents. With `skip_bad`,
    /// bad lines are skipped and listed in `Clustering.skipped` instead of
    /// raising `InputError` (which names the file and line). The GIL is
    /// released throughout.
    #[pyo3(signature = (path, *, skip_bad = false, max_record_bytes = 64 << 20))]
    fn cluster_file(
        &self,
        py: Python<'_>,
        path: PathBuf,
        skip_bad: bool,
        max_record_bytes: usize,
    ) -> PyResult<Clustering> {
        let opts = ReadOptions { skip_bad, max_record_bytes };
        let det = &self.inner;
        let result = py.detach(|| det.cluster_file(&path, opts));
        result.map(|c| Clustering::new(c, Vec::new())).map_err(|e| plain(py, &e))
    }

    /// Explains why documents `a` and `b` of `docs` (ids or positions) are,
    /// or are not, one story, with statistics learned from the whole batch
    /// as `cluster` learns them. `str()` of the result is a readable report.
    #[pyo3(signature = (docs, a, b, *, id_col = "id".to_string(), text_col = "text".to_string(), title_col = "title".to_string(), date_col = "date".to_string(), source_col = "source".to_string(), on_invalid_date = "raise"))]
    #[allow(clippy::too_many_arguments)]
    fn explain(
        &self,
        py: Python<'_>,
        docs: &Bound<'_, PyAny>,
        a: &Bound<'_, PyAny>,
        b: &Bound<'_, PyAny>,
        id_col: String,
        text_col: String,
        title_col: String,
        date_col: String,
        source_col: String,
        on_invalid_date: &str,
    ) -> PyResult<Explanation> {
        let cols = columns(id_col, text_col, title_col, date_col, source_col);
        let conv = convert::many(py, docs, &cols, OnInvalidDate::parse(py, on_invalid_date)?)?;
        let docs = &conv.docs;
        let index: HashMap<&str, usize> = docs.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect();
        let by_id = |s: &str| index.get(s).copied();
        let (a, b) = (position(py, "a", a, docs.len(), &by_id)?, position(py, "b", b, docs.len(), &by_id)?);
        let det = &self.inner;
        let result = py.detach(|| det.explain(docs, a, b));
        result.map(|inner| Explanation { inner }).map_err(|e| to_py(py, &e, &positions(docs)))
    }

    /// Pickles as its parameters.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let f = py.import("samestory._samestory")?.getattr("_detector_from_params")?;
        let args = PyTuple::new(py, [self.params(py)?])?;
        PyTuple::new(py, [f, args.into_any()])
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let defaults = samestory::Params::default();
        let mine = self.inner.params();
        let changed: Vec<String> = samestory::Params::NAMES
            .iter()
            .filter(|n| params::get(mine, n) != params::get(&defaults, n))
            .map(|n| -> PyResult<String> {
                let d = params::to_dict(py, mine)?;
                let v = d.get_item(n)?.map(|v| v.repr().map(|r| r.to_string())).transpose()?.unwrap_or_default();
                Ok(format!("{n}={v}"))
            })
            .collect::<PyResult<_>>()?;
        Ok(format!("Detector({})", changed.join(", ")))
    }
}

/// A detector from a dict of parameters (used to unpickle `Detector`).
#[pyfunction]
pub fn _detector_from_params(py: Python<'_>, params: &Bound<'_, PyDict>) -> PyResult<Detector> {
    Detector::from_params(py, params::from_kwargs(py, Some(params))?)
}
