//! `Tracker`: live story tracking, one document at a time.

use std::path::PathBuf;
use std::sync::Mutex;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};

use crate::convert::{self, Columns, OnInvalidDate};
use crate::detector::Detector;
use crate::errors::{plain, raise};
use crate::result::{Explanation, PairScores};

/// One match of a document against another held by the tracker.
#[pyclass(module = "samestory", frozen, get_all)]
#[derive(Clone)]
pub struct Match {
    /// The other document's id.
    pub id: String,
    /// The other document's story when the match was made.
    pub story: u64,
    /// The pair's scores.
    pub scores: PairScores,
}

#[pymethods]
impl Match {
    fn __repr__(&self) -> String {
        format!("Match(id={:?}, story={}, similarity={:.4})", self.id, self.story, self.scores.similarity)
    }
}

fn matches(ms: &[samestory::Match]) -> Vec<Match> {
    ms.iter().map(|m| Match { id: m.id.clone(), story: m.story.0, scores: PairScores::from(&m.scores) }).collect()
}

/// What `Tracker.add` decided for a document.
#[pyclass(module = "samestory", frozen, get_all)]
pub struct Assignment {
    /// The story it joined or started (after merges).
    pub story: u64,
    /// It started a new story.
    pub new_story: bool,
    /// Stories merged into `story` because of this document.
    pub merged: Vec<u64>,
    /// New stories split off existing ones because of this document's date.
    pub split_off: Vec<u64>,
    /// Its best matches (similarity > 0), best first, at most 10.
    pub matches: Vec<Match>,
    /// Ids of the documents expired at the end of this add, oldest first.
    pub expired: Vec<String>,
    /// Its date lies beyond the retention window and nothing confirms it:
    /// it did not move the clock.
    pub date_outlier: bool,
    /// Its date was dropped as invalid (with `on_invalid_date="ignore"`): the reason.
    pub warning: Option<String>,
    /// The document it is a copy of: the earliest added held document of its
    /// story whose pair with it is a copy; `None` for an original or another report.
    pub copy_of: Option<String>,
}

#[pymethods]
impl Assignment {
    fn __repr__(&self) -> String {
        format!(
            "Assignment(story={}, new_story={}, merged={:?}, split_off={:?}, matches={}, expired={:?})",
            self.story,
            if self.new_story { "True" } else { "False" },
            self.merged,
            self.split_off,
            self.matches.len(),
            self.expired
        )
    }
}

/// Where `Tracker.query` would put a document, without adding it.
#[pyclass(module = "samestory", frozen, get_all)]
pub struct Placement {
    /// The story it would join, or `None` for a new one.
    pub story: Option<u64>,
    /// Its best matches (similarity > 0), best first, at most 10.
    pub matches: Vec<Match>,
}

#[pymethods]
impl Placement {
    fn __repr__(&self) -> String {
        format!("Placement(story={:?}, matches={})", self.story, self.matches.len())
    }
}

/// Follows stories one document at a time: each added document joins a
/// story or starts one. Holds the documents' features (not their text),
/// their stories and the corpus statistics; saved and loaded whole
/// (`save`/`load`, `to_bytes`/`from_bytes`, `pickle`).
///
/// Thread safety: a tracker may be shared between threads; calls are
/// serialized by an internal lock, and `add` releases the GIL while it works.
#[pyclass(module = "samestory", frozen)]
pub struct Tracker {
    inner: Mutex<samestory::Tracker>,
}

fn doc_columns() -> Columns {
    Columns {
        id: "id".into(),
        text: "text".into(),
        title: "title".into(),
        date: "date".into(),
        source: "source".into(),
    }
}

impl Tracker {
    /// Runs `f` on the tracker under its lock, without the GIL: the lock
    /// is never held by a thread that waits for the GIL, so threads cannot
    /// deadlock; Python objects are built after the lock is released.
    fn with<R: Send>(&self, py: Python<'_>, f: impl FnOnce(&mut samestory::Tracker) -> R + Send) -> PyResult<R> {
        py.detach(|| self.inner.lock().map(|mut t| f(&mut t)).map_err(|_| ()))
            .map_err(|()| raise(py, "StateError", "the tracker's lock is poisoned".into(), &[]))
    }
}

#[pymethods]
impl Tracker {
    /// An empty tracker with `detector`'s parameters (the defaults when omitted).
    #[new]
    #[pyo3(signature = (detector = None))]
    fn new(detector: Option<&Detector>) -> Tracker {
        let det = detector.map_or_else(samestory::Detector::new, |d| d.inner.clone());
        Tracker { inner: Mutex::new(samestory::Tracker::new(det)) }
    }

    /// Adds one document (a dict with `id`, `text` and optional `title`,
    /// `date`, `source`) and assigns it to a story. Raises `InputError` for
    /// a repeated id, a document too large or a bad field; the tracker is
    /// then unchanged.
    #[pyo3(signature = (doc, *, on_invalid_date = "raise"))]
    fn add(&self, py: Python<'_>, doc: &Bound<'_, PyAny>, on_invalid_date: &str) -> PyResult<Assignment> {
        let (doc, warnings) = convert::one(py, doc, &doc_columns(), OnInvalidDate::parse(py, on_invalid_date)?)?;
        let id = doc.id.clone();
        let a =
            self.with(py, |t| t.add(doc))?.map_err(|e| crate::errors::to_py(py, &e, &|s| (s == id).then_some(0)))?;
        Ok(Assignment {
            story: a.story.0,
            new_story: a.new_story,
            merged: a.merged.iter().map(|s| s.0).collect(),
            split_off: a.split_off.iter().map(|s| s.0).collect(),
            matches: matches(&a.matches),
            expired: a.expired,
            date_outlier: a.date_outlier,
            warning: warnings.into_iter().next().map(|w| w.1),
            copy_of: a.copy_of,
        })
    }

    /// Where `add` would put `doc` (the story it would join, its matches),
    /// without changing anything.
    #[pyo3(signature = (doc, *, on_invalid_date = "raise"))]
    fn query(&self, py: Python<'_>, doc: &Bound<'_, PyAny>, on_invalid_date: &str) -> PyResult<Placement> {
        let (doc, _) = convert::one(py, doc, &doc_columns(), OnInvalidDate::parse(py, on_invalid_date)?)?;
        let p = self.with(py, |t| t.query(&doc))?.map_err(|e| crate::errors::to_py(py, &e, &|_| Some(0)))?;
        Ok(Placement { story: p.story.map(|s| s.0), matches: matches(&p.matches) })
    }

    /// Removes a held document and returns the story it was in; raises
    /// `UnknownIdError` (a `KeyError`) when no held document has this id.
    fn remove(&self, py: Python<'_>, id: &str) -> PyResult<u64> {
        self.with(py, |t| t.remove(id))?.map(|s| s.0).map_err(|e| plain(py, &e))
    }

    /// Removes every held document whose time (its date, else the clock
    /// when it was added) is before `date` (a `datetime.date` or ISO string);
    /// returns their ids, oldest first.
    fn expire_before(&self, py: Python<'_>, date: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
        let d = match convert::date_of(py, date)? {
            Ok(Some(d)) => d,
            Ok(None) => {
                return Err(crate::errors::invalid_param(
                    py,
                    "date",
                    "invalid parameter `date`: a date is needed".into(),
                ));
            }
            Err(why) => {
                return Err(crate::errors::invalid_param(py, "date", format!("invalid parameter `date`: {why}")));
            }
        };
        self.with(py, |t| t.expire_before(d))
    }

    /// The stories held: story id to its members' ids (insertion order), by story id.
    fn stories<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let stories: Vec<(u64, Vec<String>)> = self
            .with(py, |t| t.stories().map(|s| (s.id.0, s.members.iter().map(|m| m.to_string()).collect())).collect())?;
        let d = PyDict::new(py);
        for (id, members) in stories {
            d.set_item(id, PyList::new(py, members)?)?;
        }
        Ok(d)
    }

    /// The members' ids of a story, or `None` when no held document is in it.
    fn story(&self, py: Python<'_>, story: u64) -> PyResult<Option<Vec<String>>> {
        self.with(py, |t| t.story(samestory::StoryId(story)).map(|s| s.members.iter().map(|m| m.to_string()).collect()))
    }

    /// The story of a held document, or `None`.
    fn story_of(&self, py: Python<'_>, id: &str) -> PyResult<Option<u64>> {
        self.with(py, |t| t.story_of(id).map(|s| s.0))
    }

    /// Explains the scores of two held documents from their stored features
    /// (no passages; shared terms by hash, as the tracker keeps no text).
    fn explain(&self, py: Python<'_>, a: &str, b: &str) -> PyResult<Explanation> {
        self.with(py, |t| t.explain(a, b))?.map(|inner| Explanation { inner }).map_err(|e| plain(py, &e))
    }

    /// The newest document date seen by `add` (the clock of the retention
    /// window), as a `datetime.date`, or `None`.
    #[getter]
    fn clock<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let c = self.with(py, |t| t.clock())?;
        c.map(|d| convert::date_to_py(py, d)).transpose()
    }

    /// A detector with the tracker's parameters.
    #[getter]
    fn detector(&self, py: Python<'_>) -> PyResult<Detector> {
        Ok(Detector { inner: self.with(py, |t| t.detector().clone())? })
    }

    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        self.with(py, |t| t.len())
    }

    fn __contains__(&self, py: Python<'_>, id: &str) -> PyResult<bool> {
        self.with(py, |t| t.story_of(id).is_some())
    }

    /// Saves the whole state to `path` atomically (parameters included).
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        self.with(py, |t| t.save(&path))?.map_err(|e| plain(py, &e))
    }

    /// Loads a state written by `save`; raises `StateError` for a file
    /// that is not a valid state, `FileError` when it cannot be read.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Tracker> {
        let result = py.detach(|| samestory::Tracker::load(&path));
        result.map(|t| Tracker { inner: Mutex::new(t) }).map_err(|e| plain(py, &e))
    }

    /// The whole state as bytes (the same bytes `save` writes).
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = self.with(py, |t| t.to_bytes())?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// A tracker from `to_bytes` output; raises `StateError` when the
    /// bytes are not a valid state.
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: &[u8]) -> PyResult<Tracker> {
        samestory::Tracker::from_bytes(data).map(|t| Tracker { inner: Mutex::new(t) }).map_err(|e| plain(py, &e))
    }

    /// Pickles through `to_bytes`.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let f = py.import("samestory._samestory")?.getattr("_tracker_from_bytes")?;
        let args = PyTuple::new(py, [self.to_bytes(py)?])?;
        PyTuple::new(py, [f, args.into_any()])
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let (n, s) = self.with(py, |t| (t.len(), t.stories().count()))?;
        Ok(format!("Tracker({n} documents, {s} stories)"))
    }
}

/// A tracker from bytes (used to unpickle `Tracker`).
#[pyfunction]
pub fn _tracker_from_bytes(py: Python<'_>, data: &[u8]) -> PyResult<Tracker> {
    Tracker::from_bytes(py, data)
}
