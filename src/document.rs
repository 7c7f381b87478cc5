//! The input unit: a document with an id, text and optional title, date and source.

use crate::text::Date;

/// One article: an id, its text, and optional title, date and source.
///
/// Only these fields reach the detector. The title counts extra in the
/// salient-term profile; the date separates the same kind of event on
/// different days (when absent, a date in the first lines of the text is
/// used); the source (a host name or outlet) lets boilerplate be learned per
/// site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Document {
    /// The caller's id, unique within one detector.
    pub id: String,
    /// The body text (page text, boilerplate and all, is fine).
    pub text: String,
    /// The headline.
    pub title: Option<String>,
    /// The publication date.
    pub date: Option<Date>,
    /// The outlet, e.g. a host name.
    pub source: Option<String>,
}

impl Document {
    /// A document with an id and text.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Document {
        Document { id: id.into(), text: text.into(), ..Document::default() }
    }

    /// Sets the title.
    #[must_use]
    pub fn with_title(mut self, title: impl Into<String>) -> Document {
        self.title = Some(title.into());
        self
    }

    /// Sets the date.
    #[must_use]
    pub fn with_date(mut self, date: Date) -> Document {
        self.date = Some(date);
        self
    }

    /// Sets the source.
    #[must_use]
    pub fn with_source(mut self, source: impl Into<String>) -> Document {
        self.source = Some(source.into());
        self
    }

    /// Size in bytes counted against the document size limit (text and title).
    pub fn size(&self) -> usize {
        self.text.len() + self.title.as_ref().map_or(0, String::len)
    }
}
