//! Building a document's [`Features`] from its tokens against corpus
//! statistics: boilerplate lines dropped, shingles and sketches, the
//! salient-term profile and its rare terms.

use crate::document::Document;
use crate::hash::mix64;
use crate::shingle::{Fingerprints, ShingleSet, shingle_hashes};
use crate::stats::{CorpusStats, NO_TERM, StatsView, TokenTypes};
use crate::text::{Date, find_date};

use super::Features;
use super::profile::Profile;
use super::tokens::{Line, Scratch, TITLE, Tok, Tokenized};
use super::{Analyzer, IDF_CACHE, LEAD_SHINGLES};

/// What the statistics say of one term of a document.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TermWeight {
    term: u64,
    idf: f64,
    df: u32,
    name: bool,
}

/// What the statistics say of each term of a [`TokenTypes`], by number:
/// one look-up per term of a learner instead of one per term of each
/// document.
#[derive(Debug, Clone, Default)]
pub(crate) struct TermWeights(Vec<TermWeight>);

impl TermWeights {
    /// The weights of the terms of `types` in `stats`.
    pub(crate) fn of(types: &TokenTypes, stats: &CorpusStats) -> TermWeights {
        TermWeights(
            types
                .terms
                .iter()
                .map(|&(t, _)| {
                    let st = stats.term(t);
                    TermWeight { term: t, idf: stats.idf_of(st.df), df: st.df, name: st.is_name() }
                })
                .collect(),
        )
    }
}

impl Analyzer {
    /// The features of the documents of `run` (in order), whose types are
    /// `types`, against complete statistics: equal to the
    /// [`features`](Self::features) of each document, without tokenizing
    /// it again. `weights` are [`TermWeights::of`] `types` and `stats`.
    pub(crate) fn features_of_run(
        &self,
        run: &Tokenized,
        types: &TokenTypes,
        weights: &TermWeights,
        stats: &CorpusStats,
        s: &mut Scratch,
    ) -> Vec<Features> {
        let (mut codes_at, mut lines_at) = (0, 0);
        run.docs
            .iter()
            .map(|d| {
                s.toks.clear();
                s.toks.extend(run.codes[codes_at..d.codes_end].iter().map(|&code| {
                    let ty = types.decode(code);
                    // Terms are keyed by number + 1 (0 is no term), resolved by `weights`.
                    let key = if ty.term == NO_TERM { 0 } else { u64::from(ty.term) + 1 };
                    Tok::decoded(ty.hash, key, ty.number)
                }));
                s.lines.clear();
                let mut start = 0;
                for (&hash, &end) in
                    run.line_hash[lines_at..d.lines_end].iter().zip(&run.line_end[lines_at..d.lines_end])
                {
                    let title = end & TITLE != 0;
                    let end = end & !TITLE;
                    s.lines.push(Line { hash, start, end, title });
                    start = end;
                }
                codes_at = d.codes_end;
                lines_at = d.lines_end;
                self.build(d.src, d.date, stats, s, |key| weights.0[(key - 1) as usize])
            })
            .collect()
    }

    fn is_boilerplate(&self, stats: &impl StatsView, line: &Line, src: u64) -> bool {
        if !self.cfg.boilerplate.remove {
            return false;
        }
        let len = (line.end - line.start) as usize;
        let df = stats.line_df(line.hash);
        let min = self.cfg.boilerplate.min_docs;
        if len <= self.cfg.boilerplate.max_tokens {
            if df >= min {
                return true;
            }
            if src != 0 && stats.source_line_df(mix64(line.hash ^ src)) >= 2 {
                return true;
            }
        }
        let common = min.saturating_mul(4).max((stats.docs() as f64 * 0.005).ceil() as u32);
        df >= common
    }

    /// The body lines removed as boilerplate from the document whose tokens
    /// are in `s` (the last one tokenized): each line's hash and byte span
    /// in the text, from its first token to its last.
    pub(crate) fn boilerplate_spans(
        &self,
        doc: &Document,
        stats: &impl StatsView,
        s: &Scratch,
    ) -> Vec<(u64, u32, u32)> {
        let src = self.source_hash(doc);
        s.lines
            .iter()
            .filter(|l| !l.title && l.end > l.start && self.is_boilerplate(stats, l, src))
            .map(|l| {
                let (first, last) = (&s.toks[l.start as usize], &s.toks[l.end as usize - 1]);
                (l.hash, first.off, last.off + last.len)
            })
            .collect()
    }

    /// The document's features, against complete (or current) statistics.
    pub(crate) fn features(&self, doc: &Document, stats: &CorpusStats, s: &mut Scratch) -> Features {
        self.tokenize(doc, s);
        self.features_of_tokens(doc, stats, s)
    }

    /// [`features`](Self::features) of a document whose tokens are already
    /// in `s` (the [`observe`](Self::observe) of the same document was the
    /// last call on `s`): a streaming detector observes a document, adds the
    /// observation to its statistics and builds the features without
    /// tokenizing twice.
    pub(crate) fn features_of_tokens(&self, doc: &Document, stats: &impl StatsView, s: &mut Scratch) -> Features {
        let src = self.source_hash(doc);
        let date = doc.date.or_else(|| find_date(&doc.text));
        // The IDF of a document frequency, remembered while the statistics keep their size
        // (direct-mapped: the frequent terms' frequencies stay cached, a collision recomputes).
        let mut idf_cache = std::mem::take(&mut s.idf);
        if s.idf_docs != stats.docs() || idf_cache.is_empty() {
            idf_cache.clear();
            idf_cache.resize(IDF_CACHE, (u64::MAX, 0.0));
            s.idf_docs = stats.docs();
        }
        // One statistics look-up per term: weight and document frequency together.
        let f = self.build(src, date, stats, s, |t| {
            let st = stats.term(t);
            let e = &mut idf_cache[st.df as usize & (IDF_CACHE - 1)];
            if e.0 != u64::from(st.df) {
                *e = (u64::from(st.df), stats.idf_of(st.df));
            }
            TermWeight { term: t, idf: e.1, df: st.df, name: st.is_name() }
        });
        s.idf = idf_cache;
        f
    }

    /// The features of the tokens and lines in `s`, from a source hash
    /// `src` (0 for none) and a date; `weigh` gives what the statistics say
    /// of each term key of the tokens.
    fn build(
        &self,
        src: u64,
        date: Option<Date>,
        stats: &impl StatsView,
        s: &mut Scratch,
        mut weigh: impl FnMut(u64) -> TermWeight,
    ) -> Features {
        let total_tokens = s.lines.iter().filter(|l| !l.title).map(|l| l.end - l.start).sum::<u32>();
        let keep: Vec<bool> = s.lines.iter().map(|l| !self.is_boilerplate(stats, l, src)).collect();
        let any_body_kept = s.lines.iter().zip(&keep).any(|(l, &k)| k && !l.title);
        // Shingles over the kept body lines, as one token stream.
        s.content.clear();
        s.content_at.clear();
        for (l, &k) in s.lines.iter().zip(&keep) {
            if !l.title && (k || !any_body_kept) {
                s.content.extend(s.toks[l.start as usize..l.end as usize].iter().map(|t| t.hash));
                s.content_at.extend(l.start as usize..l.end as usize);
            }
        }
        let content_tokens = s.content.len() as u32;
        s.shingles.clear();
        shingle_hashes(&s.content, self.cfg.sketch.shingle_size, self.cfg.sketch.seed, &mut s.shingles);
        let mut lead: Vec<u32> = s.shingles.iter().take(LEAD_SHINGLES).map(|&h| Fingerprints::fingerprint(h)).collect();
        lead.sort_unstable();
        lead.dedup();
        let set = ShingleSet::from_hashes(std::mem::take(&mut s.shingles));
        let minhash = self.minhasher.sketch(set.as_slice());
        let simhash = self.simhasher.hash_set(set.as_slice());
        let shingles = Fingerprints::of(&set);
        s.shingles = set.into_vec();

        // Salient-term profile over kept lines (title segments count extra).
        s.tf.clear();
        for (l, &k) in s.lines.iter().zip(&keep) {
            if !(k || (!any_body_kept && !l.title)) {
                continue;
            }
            let w = if l.title { self.cfg.weights.title } else { 1.0 };
            for t in &s.toks[l.start as usize..l.end as usize] {
                if t.term != 0 {
                    let e = s.tf.entry(t.term).or_insert((0.0, t.number));
                    e.0 += w;
                }
            }
        }
        let mut weighted: Vec<(u64, f64, u32)> =
            s.tf.iter()
                .map(|(&key, &(tf, number))| {
                    let st = weigh(key);
                    // 1 + ln(tf), at least 1 (tf is 1 for most terms: no logarithm then).
                    let damped = if tf > 1.0 { 1.0 + tf.ln() } else { 1.0 };
                    let mut w = damped * st.idf;
                    if number {
                        w *= self.cfg.weights.numbers;
                    } else if st.name {
                        w *= self.cfg.weights.names;
                    }
                    (st.term, w, st.df)
                })
                .collect();
        // The heaviest `profile_terms` (a total order: ties by term), found
        // by selection, then sorted: the same list as sorting them all.
        let order = |a: &(u64, f64, u32), b: &(u64, f64, u32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if weighted.len() > self.cfg.profile.terms {
            weighted.select_nth_unstable_by(self.cfg.profile.terms, order);
            weighted.truncate(self.cfg.profile.terms);
        }
        weighted.sort_unstable_by(order);
        let cap = self.cfg.candidate_df_cap(stats.docs());
        let mut rare: Vec<(u32, usize, u64)> = weighted
            .iter()
            .take(self.cfg.profile.terms)
            .map(|&(t, _, df)| (df, t))
            .filter(|&(df, _)| df <= cap)
            .take(self.cfg.candidates.terms)
            .enumerate()
            .map(|(rank, (df, t))| (df, rank, t))
            .collect();
        rare.sort_unstable();
        weighted.truncate(self.cfg.profile.terms);
        let profile = Profile::top_k(weighted.into_iter().map(|(t, w, _)| (t, w)).collect(), self.cfg.profile.terms);
        // Positions fit: `profile_terms` is at most 4,096.
        let rare = rare.into_iter().filter_map(|(_, _, t)| profile.position(t).map(|i| i as u16)).collect();
        Features {
            shingles,
            lead: lead.into_boxed_slice(),
            minhash,
            simhash,
            profile,
            rare,
            date,
            content_tokens,
            total_tokens,
        }
    }
}
