//! What a detector learns from a corpus, in words: the boilerplate lines it
//! removes and the salient terms that carry its documents' profiles.
//! [`Detector::summarize`](crate::Detector::summarize) builds it; the
//! `samestory stats` command prints it.

use std::fmt;

use rustc_hash::FxHashMap;

use crate::document::Document;
use crate::features::{Analyzer, Scratch};
use crate::learn::learn_stats;
use crate::par;

/// A line removed as boilerplate (site chrome: menus, bylines, notices).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BoilerplateLine {
    /// The line, as the first document that has it writes it.
    pub text: String,
    /// Documents it was removed from.
    pub documents: u32,
}

/// A salient term: one that weighs in documents' profiles.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SalientTerm {
    /// The term, normalized (lowercase, accents kept).
    pub term: String,
    /// Documents whose profile holds it.
    pub profiles: u32,
    /// Documents that contain it.
    pub documents: u32,
    /// Capitalized in at least half of its mid-sentence uses: a name.
    pub name: bool,
}

/// What a detector learned from a corpus; its `Display` is a readable report.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Summary {
    /// Documents read.
    pub documents: u64,
    /// Distinct terms.
    pub vocabulary: usize,
    /// Distinct terms that are names.
    pub names: usize,
    /// Documents with at least one line removed as boilerplate.
    pub documents_with_boilerplate: u32,
    /// The boilerplate lines removed from the most documents, most first
    /// (ties by text).
    pub boilerplate: Vec<BoilerplateLine>,
    /// The terms held by the most profiles, most first (ties by term).
    pub salient_terms: Vec<SalientTerm>,
}

/// What one document shows: its boilerplate lines (hash, byte span of the
/// body) and its profile's terms (hash, normalized form).
struct Seen {
    lines: Vec<(u64, u32, u32)>,
    terms: Vec<(u64, String)>,
}

/// The summary of `docs` (checked by the caller), with at most `top` lines and terms.
pub(crate) fn summarize(an: &Analyzer, docs: &[Document], top: usize) -> Summary {
    let stats = learn_stats(an, docs);
    let seen: Vec<Seen> = par::map_init(docs, |_, doc, s: &mut Scratch| {
        let detail = an.detail(doc, &stats, s);
        let lines = an.boilerplate_spans(doc, &stats, s);
        let terms = detail
            .features
            .profile
            .terms()
            .map(|(t, _)| (t, detail.terms.get(&t).cloned().unwrap_or_else(|| format!("#{t:016x}"))))
            .collect();
        Seen { lines, terms }
    });
    // In document order, so that each line's text comes from its first document.
    let mut lines: FxHashMap<u64, (u32, usize, u32, u32)> = FxHashMap::default();
    let mut terms: FxHashMap<u64, (u32, String)> = FxHashMap::default();
    let mut with_boilerplate = 0u32;
    for (i, s) in seen.iter().enumerate() {
        with_boilerplate += u32::from(!s.lines.is_empty());
        let mut counted: Vec<u64> = Vec::with_capacity(s.lines.len());
        for &(h, from, to) in &s.lines {
            if counted.contains(&h) {
                continue;
            }
            counted.push(h);
            lines.entry(h).or_insert((0, i, from, to)).0 += 1;
        }
        for (t, form) in &s.terms {
            terms.entry(*t).or_insert_with(|| (0, form.clone())).0 += 1;
        }
    }
    let mut boilerplate: Vec<BoilerplateLine> = lines
        .into_values()
        .map(|(n, i, from, to)| BoilerplateLine {
            text: docs[i].text.get(from as usize..to as usize).unwrap_or("").trim().to_string(),
            documents: n,
        })
        .collect();
    boilerplate.sort_by(|a, b| b.documents.cmp(&a.documents).then_with(|| a.text.cmp(&b.text)));
    boilerplate.truncate(top);
    let mut salient: Vec<SalientTerm> = terms
        .into_iter()
        .map(|(t, (profiles, term))| {
            let st = stats.term(t);
            SalientTerm { term, profiles, documents: st.df, name: st.is_name() }
        })
        .collect();
    salient.sort_by(|a, b| b.profiles.cmp(&a.profiles).then_with(|| a.term.cmp(&b.term)));
    salient.truncate(top);
    Summary {
        documents: stats.docs(),
        vocabulary: stats.vocabulary(),
        names: stats.terms.values().filter(|t| t.is_name()).count(),
        documents_with_boilerplate: with_boilerplate,
        boilerplate,
        salient_terms: salient,
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} documents, {} distinct terms ({} names); boilerplate removed from {} documents",
            self.documents, self.vocabulary, self.names, self.documents_with_boilerplate
        )?;
        writeln!(f, "\nboilerplate lines (documents they were removed from):")?;
        if self.boilerplate.is_empty() {
            writeln!(f, "  (none)")?;
        }
        for l in &self.boilerplate {
            let mut text: String = l.text.chars().take(100).collect();
            if text.len() < l.text.len() {
                text.push('…');
            }
            writeln!(f, "  {:>7}  {text}", l.documents)?;
        }
        writeln!(f, "\nsalient terms (profiles holding them, documents containing them):")?;
        if self.salient_terms.is_empty() {
            writeln!(f, "  (none)")?;
        }
        for t in &self.salient_terms {
            writeln!(f, "  {:>7} {:>7}  {}{}", t.profiles, t.documents, t.term, if t.name { "  (name)" } else { "" })?;
        }
        Ok(())
    }
}
