//! What a batch or a tracker accepts: documents within the size limit, at
//! most `max_documents` of them, each id once. Every entry point checks
//! through these functions, so each refusal reads the same everywhere.

use rustc_hash::FxHashSet;

use crate::document::Document;
use crate::error::{Error, ErrorKind};
use crate::params::Limits;

/// A [`ErrorKind::DocumentTooLarge`] error for a document over `max_document_bytes`.
pub(crate) fn check_size(limits: &Limits, d: &Document) -> Result<(), Error> {
    let limit = limits.max_document_bytes;
    if d.size() > limit {
        return Err(Error::new(ErrorKind::DocumentTooLarge { id: d.id.clone(), bytes: d.size(), limit }));
    }
    Ok(())
}

/// A [`ErrorKind::TooManyDocuments`] error when `count` documents are more than allowed.
pub(crate) fn check_count(limits: &Limits, count: usize) -> Result<(), Error> {
    if count > limits.max_documents {
        return Err(Error::new(ErrorKind::TooManyDocuments { limit: limits.max_documents }));
    }
    Ok(())
}

/// Checks a batch: its size, each document's size, and that no id repeats.
pub(crate) fn check_batch(limits: &Limits, docs: &[Document]) -> Result<(), Error> {
    check_count(limits, docs.len())?;
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    for d in docs {
        check_size(limits, d)?;
        if !seen.insert(d.id.as_str()) {
            return Err(Error::new(ErrorKind::DuplicateId { id: d.id.clone() }));
        }
    }
    Ok(())
}

/// A [`ErrorKind::DuplicateId`] error naming the first id (in sorted order)
/// that `ids` holds twice.
pub(crate) fn check_unique(ids: &[String]) -> Result<(), Error> {
    let mut order: Vec<u32> = (0..ids.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| ids[a as usize].cmp(&ids[b as usize]));
    match order.windows(2).find(|w| ids[w[0] as usize] == ids[w[1] as usize]) {
        Some(w) => Err(Error::new(ErrorKind::DuplicateId { id: ids[w[0] as usize].clone() })),
        None => Ok(()),
    }
}
