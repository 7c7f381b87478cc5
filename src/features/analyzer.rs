//! What a document contributes to the statistics (its observation, or
//! counts straight into a batch learner), and the explanation details.

use rustc_hash::FxHashMap;

use crate::document::Document;
use crate::hash::mix64;
use crate::stats::{CorpusStats, Learner, Observation};
use crate::text::find_date;
use crate::text::{normalize_into, term_form};

use super::tokens::{RunDoc, Scratch, TITLE, Tokenized};
use super::{Analyzer, Detail};

impl Analyzer {
    /// What `doc` contributes to the corpus statistics.
    pub(crate) fn observe(&self, doc: &Document, s: &mut Scratch) -> Observation {
        self.tokenize(doc, s);
        // Distinct terms with their mid-sentence and capitalized mid-sentence uses.
        s.term_buf.clear();
        s.term_buf.extend(s.toks.iter().filter(|t| t.term != 0).map(|t| t.term));
        s.term_buf.sort_unstable();
        s.term_buf.dedup();
        let mut terms: Vec<(u64, u32, u32)> = s.term_buf.iter().map(|&t| (t, 0, 0)).collect();
        for t in s.toks.iter().filter(|t| t.term != 0 && t.mid) {
            if let Ok(i) = terms.binary_search_by_key(&t.term, |e| e.0) {
                terms[i].1 += 1;
                terms[i].2 += u32::from(t.cap);
            }
        }
        let src = self.source_hash(doc);
        let mut lines: Vec<u64> = s.lines.iter().map(|l| l.hash).collect();
        lines.sort_unstable();
        lines.dedup();
        let source_lines = if src == 0 {
            Vec::new()
        } else {
            let mut v: Vec<u64> = lines.iter().map(|&l| mix64(l ^ src)).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        Observation { terms, lines, source_lines }
    }

    /// Adds what `doc` contributes to the corpus statistics to `learner`
    /// (the batch form of [`observe`](Self::observe), equal in effect).
    pub(crate) fn learn_into(&self, doc: &Document, s: &mut Scratch, learner: &mut Learner) {
        self.tokenize(doc, s);
        learner.begin();
        // No codes are kept: terms are counted, other tokens are not looked at.
        for t in s.toks.iter().filter(|t| t.term != 0) {
            learner.term(t.term, t.number, t.mid, t.mid && t.cap);
        }
        let src = self.source_hash(doc);
        for l in &s.lines {
            learner.line(l.hash);
            if src != 0 {
                learner.source_line(mix64(l.hash ^ src));
            }
        }
    }

    /// [`learn_into`](Self::learn_into), keeping the document's tokens in
    /// `run` as the learner's token codes, for
    /// [`features_of_run`](Self::features_of_run) once the statistics are
    /// complete. `run` must hold codes of this learner only.
    pub(crate) fn learn_into_run(&self, doc: &Document, s: &mut Scratch, learner: &mut Learner, run: &mut Tokenized) {
        self.tokenize(doc, s);
        learner.begin();
        run.codes.extend(s.toks.iter().map(|t| learner.token(t.hash, t.term, t.number, t.mid, t.mid && t.cap)));
        let src = self.source_hash(doc);
        for l in &s.lines {
            learner.line(l.hash);
            if src != 0 {
                learner.source_line(mix64(l.hash ^ src));
            }
            run.line_hash.push(l.hash);
            run.line_end.push(l.end | if l.title { TITLE } else { 0 });
        }
        let date = doc.date.or_else(|| find_date(&doc.text));
        run.docs.push(RunDoc { codes_end: run.codes.len(), lines_end: run.line_hash.len(), src, date });
    }

    /// The document's features plus what explanations need: the surface
    /// form of each term, and the body byte spans of the content tokens.
    pub(crate) fn detail(&self, doc: &Document, stats: &CorpusStats, s: &mut Scratch) -> Detail {
        let features = self.features(doc, stats, s);
        let mut terms: FxHashMap<u64, String> = FxHashMap::default();
        // Title segments are tokenized first: tokens before this position are the title's.
        let title_end = s.lines.iter().take_while(|l| l.title).last().map_or(0, |l| l.end as usize);
        for (i, t) in s.toks.iter().enumerate() {
            if t.term == 0 || terms.contains_key(&t.term) {
                continue;
            }
            let in_title = i < title_end;
            let src = if in_title { doc.title.as_deref().unwrap_or("") } else { doc.text.as_str() };
            let from = if t.char && i > 0 { s.toks[i - 1].off } else { t.off };
            let to = t.off + t.len;
            let word = src.get(from as usize..to as usize).unwrap_or("");
            normalize_into(word, &mut s.norm);
            terms.insert(t.term, term_form(&s.norm).to_string());
        }
        let spans = s.content_at.iter().map(|&i| (s.toks[i].off, s.toks[i].off + s.toks[i].len)).collect();
        Detail { features, terms, spans, content: s.content.clone() }
    }
}
