//! Result objects: `Clustering`, `PairScores`, `Explanation`.

use std::collections::HashMap;
use std::sync::OnceLock;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use samestory::Linkage;

use crate::errors::{invalid_param, plain};

/// The scores of one pair of documents (see the Rust `PairScores`):
/// exact shingle Jaccard and containment, the MinHash estimate, the SimHash
/// distance, the profile cosine, the days between the dates, the copy
/// decision (and `related`: shared text that is not the main text of both)
/// and the combined similarity the clustering uses.
#[pyclass(module = "samestory", frozen, get_all)]
#[derive(Debug, Clone)]
pub struct PairScores {
    /// MinHash estimate of the shingle Jaccard.
    pub jaccard_estimate: f32,
    /// Exact shingle Jaccard.
    pub jaccard: f32,
    /// Exact shingle containment (of the smaller set in the larger).
    pub containment: f32,
    /// SimHash Hamming distance (64 when either document is empty).
    pub simhash_distance: u32,
    /// Exact cosine of the salient-term profiles.
    pub cosine: f32,
    /// Days between the two dates, when both are known.
    pub days_apart: Option<u32>,
    /// The pair is a copy (they share their main text), by the copy rule.
    pub copy: bool,
    /// The pair shares text that is not the main text of both (one page
    /// carries part of the other's story further down): related, not a copy.
    pub related: bool,
    /// The combined similarity the clustering uses.
    pub similarity: f32,
}

impl From<&samestory::PairScores> for PairScores {
    fn from(s: &samestory::PairScores) -> PairScores {
        PairScores {
            jaccard_estimate: s.jaccard_estimate,
            jaccard: s.jaccard,
            containment: s.containment,
            simhash_distance: s.simhash_distance,
            cosine: s.cosine,
            days_apart: s.days_apart,
            copy: s.copy,
            related: s.related,
            similarity: s.similarity,
        }
    }
}

impl PairScores {
    /// Adds each score to `d` under its field name.
    pub fn fill(&self, d: &Bound<'_, PyDict>) -> PyResult<()> {
        d.set_item("similarity", f64::from(self.similarity))?;
        d.set_item("copy", self.copy)?;
        d.set_item("related", self.related)?;
        d.set_item("jaccard", f64::from(self.jaccard))?;
        d.set_item("containment", f64::from(self.containment))?;
        d.set_item("jaccard_estimate", f64::from(self.jaccard_estimate))?;
        d.set_item("simhash_distance", self.simhash_distance)?;
        d.set_item("cosine", f64::from(self.cosine))?;
        d.set_item("days_apart", self.days_apart)?;
        Ok(())
    }
}

#[pymethods]
impl PairScores {
    /// The scores as a dict (field name to value).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        self.fill(&d)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        let days = self.days_apart.map_or_else(|| "None".to_string(), |d| d.to_string());
        format!(
            "PairScores(similarity={:.4}, copy={}, jaccard={:.4}, containment={:.4}, jaccard_estimate={:.4}, simhash_distance={}, cosine={:.4}, days_apart={days})",
            self.similarity,
            if self.copy { "True" } else { "False" },
            self.jaccard,
            self.containment,
            self.jaccard_estimate,
            self.simhash_distance,
            self.cosine,
        )
    }
}

/// A document named by id (str) or position (int), as a position.
pub fn position(
    py: Python<'_>,
    which: &str,
    v: &Bound<'_, PyAny>,
    n: usize,
    by_id: &dyn Fn(&str) -> Option<usize>,
) -> PyResult<u32> {
    if let Ok(s) = v.extract::<String>() {
        return by_id(&s).map(|i| i as u32).ok_or_else(|| {
            crate::errors::raise(
                py,
                "UnknownIdError",
                format!("no document with id {s:?}"),
                &[("id", s.into_pyobject(py).map(|o| o.into_any().unbind()).unwrap_or_else(|_| py.None()))],
            )
        });
    }
    if v.is_instance_of::<pyo3::types::PyBool>() {
        return Err(invalid_param(
            py,
            which,
            format!("invalid parameter `{which}`: a document is named by its id (str) or position (int), got bool"),
        ));
    }
    match v.extract::<i64>() {
        Ok(i) if i >= 0 && (i as u64) < n as u64 => Ok(i as u32),
        Ok(i) => Err(invalid_param(
            py,
            which,
            format!("invalid parameter `{which}`: document position {i} is out of range (0..{n})"),
        )),
        Err(_) => Err(invalid_param(
            py,
            which,
            format!("invalid parameter `{which}`: a document is named by its id (str) or position (int)"),
        )),
    }
}

/// The stories of a batch, from `Detector.cluster` or `Detector.cluster_file`:
/// a label per document (in input order), the clusters, and the scores of
/// every pair compared. Immutable; safe to share between threads.
#[pyclass(module = "samestory", frozen)]
pub struct Clustering {
    pub inner: samestory::Clustering,
    /// Dates dropped from in-memory documents (position, reason).
    pub conv_warnings: Vec<(u64, String)>,
    index: OnceLock<HashMap<String, usize>>,
}

impl Clustering {
    pub fn new(inner: samestory::Clustering, conv_warnings: Vec<(u64, String)>) -> Clustering {
        Clustering { inner, conv_warnings, index: OnceLock::new() }
    }

    fn by_id(&self, id: &str) -> Option<usize> {
        self.index
            .get_or_init(|| self.inner.ids().iter().enumerate().map(|(i, s)| (s.clone(), i)).collect())
            .get(id)
            .copied()
    }

    fn pos(&self, py: Python<'_>, which: &str, v: &Bound<'_, PyAny>) -> PyResult<u32> {
        position(py, which, v, self.inner.len(), &|s| self.by_id(s))
    }

    fn ids_of<'py>(&self, py: Python<'py>, members: &[u32]) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, members.iter().map(|&i| self.inner.ids()[i as usize].as_str()))
    }

    /// For each document, its best-scoring partner in its own story and
    /// that pair's similarity (ties to the earlier partner), as the
    /// command line's rows give them.
    fn best(&self) -> Vec<Option<(u32, f32)>> {
        let labels = self.inner.labels();
        let mut best: Vec<Option<(u32, f32)>> = vec![None; self.inner.len()];
        for p in self.inner.pairs() {
            if labels[p.a as usize] != labels[p.b as usize] {
                continue;
            }
            let s = p.scores.similarity;
            for (x, y) in [(p.a, p.b), (p.b, p.a)] {
                let slot = &mut best[x as usize];
                if slot.is_none_or(|(o, t)| s > t || (s == t && y < o)) {
                    *slot = Some((y, s));
                }
            }
        }
        best
    }

    fn columns<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let best = self.best();
        let d = PyDict::new(py);
        d.set_item("id", PyList::new(py, self.inner.ids())?)?;
        d.set_item("story", PyList::new(py, self.inner.labels())?)?;
        d.set_item("copy", PyList::new(py, self.inner.copy_labels())?)?;
        let ids = self.inner.ids();
        d.set_item("best_match", PyList::new(py, best.iter().map(|b| b.map(|(j, _)| ids[j as usize].as_str())))?)?;
        d.set_item("best_similarity", PyList::new(py, best.iter().map(|b| b.map(|(_, s)| f64::from(s))))?)?;
        Ok(d)
    }
}

#[pymethods]
impl Clustering {
    /// The story label of each document, in input order (dense, numbered
    /// by each story's first document; a document alone has a label of its own).
    #[getter]
    fn labels<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.inner.labels())
    }

    /// The copy group of each document, in input order (dense, numbered by
    /// each group's first document). A copy group holds the documents joined
    /// by copy pairs inside one story, so copy groups nest in stories.
    #[getter]
    fn copy_labels<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.inner.copy_labels())
    }

    /// The documents' ids, in input order.
    #[getter]
    fn ids<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.inner.ids())
    }

    /// Lines skipped as bad by `cluster_file(..., skip_bad=True)`: (line, reason).
    #[getter]
    fn skipped(&self) -> Vec<(u64, String)> {
        self.inner.skipped().iter().map(|b| (b.line, b.reason.clone())).collect()
    }

    /// Optional fields ignored as invalid: (line, reason) for a file,
    /// (position, reason) for documents given in memory.
    #[getter]
    fn warnings(&self) -> Vec<(u64, String)> {
        let mut w: Vec<(u64, String)> = self.inner.warnings().iter().map(|b| (b.line, b.reason.clone())).collect();
        w.extend(self.conv_warnings.iter().cloned());
        w
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// The stories with at least two documents, as lists of ids, ordered by first member.
    fn stories<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for s in self.inner.stories() {
            out.append(self.ids_of(py, s)?)?;
        }
        Ok(out)
    }

    /// The copy groups with at least two documents (an original and its
    /// copies), as lists of ids, ordered by first member.
    fn copies<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for g in self.inner.copy_groups().iter().filter(|g| g.len() > 1) {
            out.append(self.ids_of(py, g)?)?;
        }
        Ok(out)
    }

    /// Every cluster, singletons included, as lists of ids: cluster `k` has label `k`.
    fn clusters<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for c in self.inner.clusters() {
            out.append(self.ids_of(py, c)?)?;
        }
        Ok(out)
    }

    /// Every pair scored, as dicts: `a`, `b` (ids, `a` first in input
    /// order) and the fields of `PairScores`. Exact duplicates appear paired
    /// with their representative (the first of them).
    fn pairs<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let ids = self.inner.ids();
        let out = PyList::empty(py);
        for p in self.inner.pairs() {
            let d = PyDict::new(py);
            d.set_item("a", ids[p.a as usize].as_str())?;
            d.set_item("b", ids[p.b as usize].as_str())?;
            PairScores::from(&p.scores).fill(&d)?;
            out.append(d)?;
        }
        Ok(out)
    }

    /// The label of a document (id or position).
    fn label_of(&self, py: Python<'_>, doc: &Bound<'_, PyAny>) -> PyResult<u32> {
        let i = self.pos(py, "doc", doc)?;
        Ok(self.inner.labels()[i as usize])
    }

    /// Are two documents (ids or positions) in one story?
    fn same_story(&self, py: Python<'_>, a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(self.inner.same_story(self.pos(py, "a", a)?, self.pos(py, "b", b)?))
    }

    /// The scores of two documents (ids or positions), or `None` when the
    /// pair was not compared.
    fn scores(&self, py: Python<'_>, a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<Option<PairScores>> {
        Ok(self.inner.scores(self.pos(py, "a", a)?, self.pos(py, "b", b)?).map(PairScores::from))
    }

    /// The labels at another story threshold and linkage (`"average"` or
    /// `"single"`), re-cut from the scored pairs without rescoring.
    #[pyo3(signature = (threshold, linkage = "average"))]
    fn labels_at(&self, py: Python<'_>, threshold: f64, linkage: &str) -> PyResult<Vec<u32>> {
        let linkage = match linkage {
            "average" => Linkage::Average,
            "single" => Linkage::Single,
            other => {
                return Err(invalid_param(
                    py,
                    "linkage",
                    format!("invalid parameter `linkage`: must be \"average\" or \"single\", got {other:?}"),
                ));
            }
        };
        let inner = &self.inner;
        py.detach(|| inner.labels_at(threshold, linkage)).map_err(|e| plain(py, &e))
    }

    /// One row per document as a pandas DataFrame: `id`, `story`, `copy`
    /// (its copy group, see `copy_labels`), `best_match` (the id of its best-scoring partner in its story, or
    /// None) and `best_similarity` (that pair's similarity, or NaN), as the
    /// command line's rows give them. Needs pandas.
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let pd = py.import("pandas")?;
        let cols = self.columns(py)?;
        let df = pd.getattr("DataFrame")?.call1((cols,))?;
        // Keep the similarity a float column (None becomes NaN).
        let col = df.get_item("best_similarity")?.call_method1("astype", ("float64",))?;
        df.set_item("best_similarity", col)?;
        Ok(df)
    }

    /// The same rows as `to_pandas` as a pyarrow Table (`best_match` and
    /// `best_similarity` null for a document alone in its story). Needs pyarrow.
    fn to_arrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let pa = py.import("pyarrow")?;
        let cols = self.columns(py)?;
        let schema = pa.getattr("schema")?.call1((vec![
            (String::from("id"), pa.getattr("string")?.call0()?),
            ("story".into(), pa.getattr("uint32")?.call0()?),
            ("copy".into(), pa.getattr("uint32")?.call0()?),
            ("best_match".into(), pa.getattr("string")?.call0()?),
            ("best_similarity".into(), pa.getattr("float64")?.call0()?),
        ],))?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("schema", schema)?;
        pa.getattr("table")?.call((cols,), Some(&kwargs))
    }

    fn __repr__(&self) -> String {
        format!("Clustering({} documents, {} stories of two or more)", self.inner.len(), self.inner.stories().count())
    }
}

/// Why two documents were, or were not, put in one story; `str()` is a
/// readable report.
#[pyclass(module = "samestory", frozen)]
pub struct Explanation {
    pub inner: samestory::Explanation,
}

#[pymethods]
impl Explanation {
    /// The two documents' ids.
    #[getter]
    fn ids(&self) -> (String, String) {
        self.inner.ids.clone()
    }

    /// The pair's scores.
    #[getter]
    fn scores(&self) -> PairScores {
        PairScores::from(&self.inner.scores)
    }

    /// Passages of the first document whose shingles the second shares,
    /// longest first (at most 5; none for a tracker, which keeps no text).
    #[getter]
    fn shared_passages(&self) -> Vec<String> {
        self.inner.shared_passages.clone()
    }

    /// Shared salient terms with their contribution to the profile cosine,
    /// largest first (`#` and a hash for a tracker, which keeps no text).
    #[getter]
    fn shared_terms(&self) -> Vec<(String, f64)> {
        self.inner.shared_terms.iter().map(|t| (t.term.clone(), t.contribution)).collect()
    }

    /// Content tokens of each document after boilerplate removal, and before:
    /// ((content_a, total_a), (content_b, total_b)).
    #[getter]
    fn content_tokens(&self) -> ((u32, u32), (u32, u32)) {
        (self.inner.content_tokens[0], self.inner.content_tokens[1])
    }

    /// The pair alone reaches the story threshold.
    #[getter]
    fn pair_same_story(&self) -> bool {
        self.inner.pair_same_story
    }

    /// The parameters in force, as `Detector.params` gives them.
    #[getter]
    fn params<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        crate::params::to_dict(py, &self.inner.params)
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "Explanation(ids=({:?}, {:?}), similarity={:.4}, pair_same_story={})",
            self.inner.ids.0,
            self.inner.ids.1,
            self.inner.scores.similarity,
            if self.inner.pair_same_story { "True" } else { "False" }
        )
    }
}
