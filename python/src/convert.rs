//! Python documents (dicts, a pandas DataFrame, a pyarrow Table) to
//! `samestory::Document`s, and dates both ways.
//!
//! Coercions (documented in the stubs and README): an `id` may be a str or
//! an int (as the JSON Lines reader takes it); `text` must be a str;
//! `title` and `source` are a str or missing; `date` is a `datetime.date`,
//! a `datetime.datetime` (its calendar date), an ISO `YYYY-MM-DD` string
//! (a trailing time is ignored) or missing. Missing means absent, `None`,
//! a float NaN, pandas `NaT` or `NA`, or an empty date string. Everything
//! else is an `InputError` naming the document's position, except a date
//! that is not a calendar date, which `on_invalid_date="ignore"` drops (as
//! the file reader does, with a warning on the result).

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString};
use samestory::{Date, Document};

use crate::errors::input_at;

/// Column (or key) names of the document fields.
#[derive(Debug, Clone)]
pub struct Columns {
    pub id: String,
    pub text: String,
    pub title: String,
    pub date: String,
    pub source: String,
}

/// What to do with a date that is not a calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnInvalidDate {
    Raise,
    Ignore,
}

impl OnInvalidDate {
    pub fn parse(py: Python<'_>, s: &str) -> PyResult<OnInvalidDate> {
        match s {
            "raise" => Ok(OnInvalidDate::Raise),
            "ignore" => Ok(OnInvalidDate::Ignore),
            _ => Err(crate::errors::invalid_param(
                py,
                "on_invalid_date",
                format!("invalid parameter `on_invalid_date`: must be \"raise\" or \"ignore\", got {s:?}"),
            )),
        }
    }
}

/// Documents converted, with the positions whose date was dropped and why.
#[derive(Debug, Default)]
pub struct Converted {
    pub docs: Vec<Document>,
    pub warnings: Vec<(u64, String)>,
}

/// `None`, a float NaN, pandas' `NaT` and `NA`.
pub fn is_missing(v: &Bound<'_, PyAny>) -> bool {
    if v.is_none() {
        return true;
    }
    if v.is_instance_of::<PyFloat>() {
        return v.extract::<f64>().is_ok_and(f64::is_nan);
    }
    let ty = v.get_type();
    matches!(
        ty.name().ok().and_then(|n| n.to_cow().ok().map(|c| c.into_owned())).as_deref(),
        Some("NaTType" | "NAType")
    )
}

fn type_name(v: &Bound<'_, PyAny>) -> String {
    v.get_type().name().ok().and_then(|n| n.to_cow().ok().map(|c| c.into_owned())).unwrap_or_else(|| "?".into())
}

fn py_str(py: Python<'_>, v: &Bound<'_, PyAny>, i: usize, field: &str, id: Option<&str>) -> PyResult<String> {
    v.cast::<PyString>().map_err(|_| ()).and_then(|s| s.to_cow().map(|c| c.into_owned()).map_err(|_| ())).map_err(
        |()| {
            input_at(
                py,
                format!("document {i}: field `{field}` is not valid Unicode (lone surrogates?)"),
                Some(i),
                id.map(String::from),
            )
        },
    )
}

/// A `datetime.date` (or subclass: `datetime.datetime`, pandas `Timestamp`)?
fn is_date(py: Python<'_>, v: &Bound<'_, PyAny>) -> PyResult<bool> {
    let date_cls = py.import("datetime")?.getattr("date")?;
    v.is_instance(&date_cls)
}

/// A date from a Python value; `Err(reason)` when it is not a calendar date.
pub fn date_of(py: Python<'_>, v: &Bound<'_, PyAny>) -> PyResult<Result<Option<Date>, String>> {
    if is_missing(v) {
        return Ok(Ok(None));
    }
    if v.is_instance_of::<PyString>() {
        let s: String = v.extract()?;
        if s.trim().is_empty() {
            return Ok(Ok(None));
        }
        return Ok(Date::parse(&s).map(Some).map_err(|_| format!("{s:?} is not a YYYY-MM-DD calendar date")));
    }
    if is_date(py, v)? {
        let (y, m, d): (i32, u32, u32) =
            (v.getattr("year")?.extract()?, v.getattr("month")?.extract()?, v.getattr("day")?.extract()?);
        return Ok(Date::from_ymd(y, m, d)
            .map(Some)
            .ok_or_else(|| format!("{y:04}-{m:02}-{d:02} is outside the years 1000-9999")));
    }
    Ok(Err(format!("a date must be a datetime.date, a datetime.datetime or an ISO string, got {}", type_name(v))))
}

/// A Python `datetime.date` for a date.
pub fn date_to_py<'py>(py: Python<'py>, d: Date) -> PyResult<Bound<'py, PyAny>> {
    let (y, m, dd) = d.ymd();
    py.import("datetime")?.getattr("date")?.call1((y, m, dd))
}

/// One document from its fields (each `None` when absent).
#[allow(clippy::too_many_arguments)]
fn document(
    py: Python<'_>,
    i: usize,
    id: Option<Bound<'_, PyAny>>,
    text: Option<Bound<'_, PyAny>>,
    title: Option<Bound<'_, PyAny>>,
    date: Option<Bound<'_, PyAny>>,
    source: Option<Bound<'_, PyAny>>,
    cols: &Columns,
    on_invalid_date: OnInvalidDate,
    warnings: &mut Vec<(u64, String)>,
) -> PyResult<Document> {
    let id = match id {
        Some(v) if v.is_instance_of::<PyString>() => py_str(py, &v, i, &cols.id, None)?,
        Some(v) if v.is_instance_of::<PyInt>() && !v.is_instance_of::<PyBool>() => v.str()?.to_cow()?.into_owned(),
        Some(v) if !is_missing(&v) => {
            return Err(input_at(
                py,
                format!("document {i}: `{}` must be a str or an int, got {}", cols.id, type_name(&v)),
                Some(i),
                None,
            ));
        }
        _ => return Err(input_at(py, format!("document {i}: missing id (field `{}`)", cols.id), Some(i), None)),
    };
    let text = match text {
        Some(v) if v.is_instance_of::<PyString>() => py_str(py, &v, i, &cols.text, Some(&id))?,
        Some(v) if !is_missing(&v) => {
            return Err(input_at(
                py,
                format!("document {i} ({id:?}): `{}` must be a str, got {}", cols.text, type_name(&v)),
                Some(i),
                Some(id),
            ));
        }
        _ => {
            return Err(input_at(
                py,
                format!("document {i} ({id:?}): missing text (field `{}`)", cols.text),
                Some(i),
                Some(id),
            ));
        }
    };
    let opt = |v: Option<Bound<'_, PyAny>>, field: &str| -> PyResult<Option<String>> {
        match v {
            None => Ok(None),
            Some(v) if is_missing(&v) => Ok(None),
            Some(v) if v.is_instance_of::<PyString>() => py_str(py, &v, i, field, Some(&id)).map(Some),
            Some(v) => Err(input_at(
                py,
                format!("document {i} ({id:?}): `{field}` must be a str or None, got {}", type_name(&v)),
                Some(i),
                Some(id.clone()),
            )),
        }
    };
    let title = opt(title, &cols.title)?;
    let source = opt(source, &cols.source)?;
    let date = match date {
        None => None,
        Some(v) => match date_of(py, &v)? {
            Ok(d) => d,
            Err(why) if on_invalid_date == OnInvalidDate::Ignore => {
                warnings.push((i as u64, format!("field `{}`: {why}; the field is ignored", cols.date)));
                None
            }
            Err(why) => {
                return Err(input_at(
                    py,
                    format!(
                        "document {i} ({id:?}): field `{}`: {why} (on_invalid_date=\"ignore\" drops such dates)",
                        cols.date
                    ),
                    Some(i),
                    Some(id),
                ));
            }
        },
    };
    Ok(Document { id, text, title, date, source })
}

/// A dict-like record's field.
fn field<'py>(rec: &Bound<'py, PyAny>, key: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    if let Ok(d) = rec.cast::<PyDict>() {
        return d.get_item(key);
    }
    rec.call_method1("get", (key,)).map(|v| (!v.is_none()).then_some(v))
}

/// One document from a dict (the tracker's input).
pub fn one(
    py: Python<'_>,
    rec: &Bound<'_, PyAny>,
    cols: &Columns,
    on_invalid_date: OnInvalidDate,
) -> PyResult<(Document, Vec<(u64, String)>)> {
    if !(rec.is_instance_of::<PyDict>() || rec.hasattr("get")?) {
        return Err(input_at(py, format!("a document must be a dict, got {}", type_name(rec)), Some(0), None));
    }
    let mut warnings = Vec::new();
    let doc = document(
        py,
        0,
        field(rec, &cols.id)?,
        field(rec, &cols.text)?,
        field(rec, &cols.title)?,
        field(rec, &cols.date)?,
        field(rec, &cols.source)?,
        cols,
        on_invalid_date,
        &mut warnings,
    )?;
    Ok((doc, warnings))
}

/// A column of a pandas DataFrame or pyarrow Table as a list, `None` when absent.
fn column<'py>(
    table: &Bound<'py, PyAny>,
    names: &[String],
    name: &str,
    arrow: bool,
) -> PyResult<Option<Vec<Bound<'py, PyAny>>>> {
    if !names.iter().any(|n| n == name) {
        return Ok(None);
    }
    let list = if arrow {
        table.call_method1("column", (name,))?.call_method0("to_pylist")?
    } else {
        table.get_item(name)?.call_method0("tolist")?
    };
    Ok(Some(list.try_iter()?.collect::<PyResult<Vec<_>>>()?))
}

/// Documents from a list or iterable of dicts, a pandas DataFrame or a pyarrow Table.
pub fn many(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    cols: &Columns,
    on_invalid_date: OnInvalidDate,
) -> PyResult<Converted> {
    let arrow = obj.hasattr("column_names")? && obj.hasattr("column")?;
    let pandas = !arrow && obj.hasattr("columns")? && obj.hasattr("iloc")?;
    let mut out = Converted::default();
    if arrow || pandas {
        let names: Vec<String> = if arrow {
            obj.getattr("column_names")?.extract()?
        } else {
            obj.getattr("columns")?
                .try_iter()?
                .map(|c| c.and_then(|c| c.str().map(|s| s.to_string())))
                .collect::<PyResult<_>>()?
        };
        let need = |name: &str, what: &str| -> PyResult<Vec<Bound<'_, PyAny>>> {
            column(obj, &names, name, arrow)?.ok_or_else(|| {
                input_at(
                    py,
                    format!("no {what} column {name:?} (columns: {}); name it with {what}_col=", names.join(", ")),
                    None,
                    None,
                )
            })
        };
        let ids = need(&cols.id, "id")?;
        let texts = need(&cols.text, "text")?;
        let titles = column(obj, &names, &cols.title, arrow)?;
        let dates = column(obj, &names, &cols.date, arrow)?;
        let sources = column(obj, &names, &cols.source, arrow)?;
        fn at<'py>(c: &Option<Vec<Bound<'py, PyAny>>>, i: usize) -> Option<Bound<'py, PyAny>> {
            c.as_ref().map(|c| c[i].clone())
        }
        out.docs.reserve(ids.len());
        for (i, (id, text)) in ids.into_iter().zip(texts).enumerate() {
            let d = document(
                py,
                i,
                Some(id),
                Some(text),
                at(&titles, i),
                at(&dates, i),
                at(&sources, i),
                cols,
                on_invalid_date,
                &mut out.warnings,
            )?;
            out.docs.push(d);
        }
        return Ok(out);
    }
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyDict>() {
        return Err(input_at(
            py,
            format!(
                "documents must be a list or iterable of dicts, a pandas DataFrame or a pyarrow Table, got {}",
                type_name(obj)
            ),
            None,
            None,
        ));
    }
    let iter = obj.try_iter().map_err(|_| {
        input_at(
            py,
            format!(
                "documents must be a list or iterable of dicts, a pandas DataFrame or a pyarrow Table, got {}",
                type_name(obj)
            ),
            None,
            None,
        )
    })?;
    for (i, rec) in iter.enumerate() {
        let rec = rec?;
        if !(rec.is_instance_of::<PyDict>() || rec.hasattr("get")?) {
            return Err(input_at(py, format!("document {i} must be a dict, got {}", type_name(&rec)), Some(i), None));
        }
        let d = document(
            py,
            i,
            field(&rec, &cols.id)?,
            field(&rec, &cols.text)?,
            field(&rec, &cols.title)?,
            field(&rec, &cols.date)?,
            field(&rec, &cols.source)?,
            cols,
            on_invalid_date,
            &mut out.warnings,
        )?;
        out.docs.push(d);
    }
    Ok(out)
}
