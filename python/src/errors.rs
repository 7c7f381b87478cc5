//! Rust errors to Python exceptions (the classes live in `samestory._errors`).

use pyo3::prelude::*;
use pyo3::types::PyDict;
use samestory::{Error, ErrorKind};

/// Builds an exception of class `class` of `samestory._errors` with a
/// message and keyword attributes.
pub fn raise(py: Python<'_>, class: &str, message: String, attrs: &[(&str, Py<PyAny>)]) -> PyErr {
    let make = || -> PyResult<PyErr> {
        let cls = py.import("samestory._errors")?.getattr(class)?;
        let kwargs = PyDict::new(py);
        for (k, v) in attrs {
            kwargs.set_item(k, v)?;
        }
        let exc = cls.call((message.clone(),), Some(&kwargs))?;
        Ok(PyErr::from_value(exc))
    };
    make().unwrap_or_else(|e| e)
}

fn opt_str(py: Python<'_>, s: Option<String>) -> Py<PyAny> {
    s.into_pyobject(py).map(|o| o.into_any().unbind()).unwrap_or_else(|_| py.None())
}

fn path_attr(py: Python<'_>, p: &std::path::Path) -> Py<PyAny> {
    let s = p.display().to_string();
    opt_str(py, (!s.is_empty()).then_some(s))
}

/// An [`InputError`] naming the position (and id) of an in-memory document.
pub fn input_at(py: Python<'_>, message: String, index: Option<usize>, id: Option<String>) -> PyErr {
    let index = index.map_or_else(
        || py.None(),
        |i| i.into_pyobject(py).map(|o| o.into_any().unbind()).unwrap_or_else(|_| py.None()),
    );
    raise(py, "InputError", message, &[("index", index), ("id", opt_str(py, id))])
}

/// An [`InvalidParameter`] naming the parameter.
pub fn invalid_param(py: Python<'_>, name: &str, message: String) -> PyErr {
    raise(py, "InvalidParameter", message, &[("name", opt_str(py, Some(name.to_string())))])
}

/// The exception for a samestory error; `position` finds the position of an
/// in-memory document by id, for errors that name a document.
pub fn to_py(py: Python<'_>, e: &Error, position: &dyn Fn(&str) -> Option<usize>) -> PyErr {
    let msg = e.to_string();
    match e.kind() {
        ErrorKind::InvalidParameter { name, .. } => invalid_param(py, name, msg),
        ErrorKind::SketchMismatch { .. } => invalid_param(py, "other", msg),
        ErrorKind::DocumentTooLarge { id, .. } | ErrorKind::DuplicateId { id } => {
            input_at(py, msg, position(id), Some(id.clone()))
        }
        ErrorKind::TooManyDocuments { .. } | ErrorKind::InvalidDate { .. } => input_at(py, msg, None, None),
        ErrorKind::UnknownId { id } => raise(py, "UnknownIdError", msg, &[("id", opt_str(py, Some(id.clone())))]),
        ErrorKind::InvalidState { path, .. } | ErrorKind::UnsupportedStateVersion { path, .. } => {
            raise(py, "StateError", msg, &[("file", path_attr(py, path))])
        }
        ErrorKind::InvalidInput { path, line, .. } => {
            let line = line.map_or_else(
                || py.None(),
                |l| l.into_pyobject(py).map(|o| o.into_any().unbind()).unwrap_or_else(|_| py.None()),
            );
            raise(py, "InputError", msg, &[("file", path_attr(py, path)), ("line", line)])
        }
        ErrorKind::Io { path, source } => file_error(py, source, path, msg),
        _ => raise(py, "SamestoryError", msg, &[]),
    }
}

/// A samestory error that names no in-memory document.
pub fn plain(py: Python<'_>, e: &Error) -> PyErr {
    to_py(py, e, &|_| None)
}

fn file_error(py: Python<'_>, source: &std::io::Error, path: &std::path::Path, msg: String) -> PyErr {
    let make = || -> PyResult<PyErr> {
        let cls = py.import("samestory._errors")?.getattr("FileError")?;
        let exc = match source.raw_os_error() {
            Some(errno) => {
                let strerror = py.import("os")?.getattr("strerror")?.call1((errno,))?;
                cls.call1((errno, strerror, path.display().to_string()))?
            }
            None => cls.call1((msg.clone(),))?,
        };
        Ok(PyErr::from_value(exc))
    };
    make().unwrap_or_else(|e| e)
}
