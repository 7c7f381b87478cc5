//! The per-document pass: text → tokens → (boilerplate filter) → shingles,
//! MinHash, SimHash and salient-term profile.
//!
//! It runs twice in batch mode: the first gathers what a document
//! contributes to the corpus statistics (terms, capitalization, line
//! hashes), and once the statistics are complete, the second
//! builds the document's [`Features`] with boilerplate lines removed and
//! terms weighted by the learned IDF. A streaming detector runs both for
//! each new document, against the statistics so far.
//!
//! A *boilerplate line* is a line of at most `boilerplate_max_tokens` tokens
//! that occurs in at least `boilerplate_min_docs` documents, or in two
//! documents of the same source; or a longer line found in many documents
//! (at least 4 × `boilerplate_min_docs` and 0.5 % of the corpus), such as a
//! copyright notice. Title segments (split at ` - `, ` | ` and the like) are
//! filtered the same way, which drops site-name suffixes. When every line of
//! a document is boilerplate, the whole text is used, so exact reprints of a
//! short article still match.

use rustc_hash::FxHashMap;

use crate::config::Config;
use crate::document::Document;
use crate::hash::{derive_seed, domain, hash_bytes, hash_u64s, mix64};
use crate::minhash::{MinHashSketch, MinHasher};
use crate::profile::Profile;
use crate::shingle::{Fingerprints, ShingleSet, TokenHasher, shingle_hashes};
use crate::simhash::{SimHash, SimHasher};
use crate::stats::{CorpusStats, Learner, NO_TERM, Observation, TokenTypes};
use crate::text::date::{Date, find_date};
use crate::text::{StopwordTable, TokenKind, for_each_full_token, normalize_into, term_form, term_form_bytes};

/// What the detector keeps of one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    /// Word k-shingles of the non-boilerplate text, as 32-bit fingerprints.
    pub shingles: Fingerprints,
    /// MinHash of the shingles.
    pub minhash: MinHashSketch,
    /// SimHash of the shingles.
    pub simhash: SimHash,
    /// Salient-term profile.
    pub profile: Profile,
    /// The rare salient terms, as positions in `profile` (its
    /// [`terms`](Profile::terms) order), rarest first (by document
    /// frequency, then weight): the document's keys in the term index. Two
    /// bytes a term; [`rare_terms`](Features::rare_terms) gives the terms
    /// with their weights.
    pub rare: Box<[u16]>,
    /// The document's date (given, found in the head of the text, or inherited
    /// from a very similar dated document in [`crate::Detector::cluster`]).
    pub date: Option<Date>,
    /// Tokens left after boilerplate removal.
    pub content_tokens: u32,
    /// Tokens in the body.
    pub total_tokens: u32,
}

/// Features plus explanation data (see [`Analyzer::detail`]).
#[derive(Debug, Clone)]
pub(crate) struct Detail {
    pub features: Features,
    /// Term hash → its normalized surface form.
    pub terms: FxHashMap<u64, String>,
    /// Body byte span of each content token, in order.
    pub spans: Vec<(u32, u32)>,
    /// Token hash of each content token, in order.
    pub content: Vec<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Tok {
    hash: u64,
    /// Byte offset and length in the title or body it came from.
    off: u32,
    len: u32,
    /// A grapheme of a spaceless script (its term is a bigram with the previous one).
    char: bool,
    term: u64,
    number: bool,
    mid: bool,
    cap: bool,
}

impl Tok {
    /// The record of token `t` found at byte `off` of its title or body.
    fn of(t: &crate::text::Token<'_>, off: usize, hash: u64, term: u64, number: bool) -> Tok {
        Tok {
            hash,
            off: off as u32,
            len: t.text.len() as u32,
            char: t.kind == TokenKind::Char,
            term,
            number,
            mid: !t.sentence_start && t.kind == TokenKind::Word,
            cap: t.capitalized,
        }
    }

    /// A token kept by a [`Tokenized`] run: what [`Analyzer::build`] reads of it.
    fn decoded(hash: u64, term: u64, number: bool) -> Tok {
        Tok { hash, off: 0, len: 0, char: false, term, number, mid: false, cap: false }
    }
}

/// The bit of a [`Tokenized`] line end that marks a title segment.
const TITLE: u32 = 1 << 31;

/// Where one document of a [`Tokenized`] run ends, and what its features
/// take from the document besides its tokens.
#[derive(Debug, Clone, Copy)]
struct RunDoc {
    codes_end: usize,
    lines_end: usize,
    src: u64,
    date: Option<Date>,
}

/// The tokens and lines of a run of documents, kept from the first pass
/// of a batch to the second so that it need not read or tokenize them again:
/// each token as its code in one [`Learner`] (four bytes), each line
/// as its hash and end. About 2 KB per news-sized document, against some
/// 3 KB of features.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tokenized {
    codes: Vec<u32>,
    line_hash: Vec<u64>,
    /// Each line's end in its document's tokens ([`TITLE`] set for a title
    /// segment); it starts where the line before it in the document ends.
    line_end: Vec<u32>,
    docs: Vec<RunDoc>,
}

impl Tokenized {
    /// The memory the run takes beyond its own size, in bytes.
    pub(crate) fn heap_bytes(&self) -> usize {
        4 * self.codes.capacity()
            + 8 * self.line_hash.capacity()
            + 4 * self.line_end.capacity()
            + std::mem::size_of::<RunDoc>() * self.docs.capacity()
    }

    /// Frees the room the run's vectors grew beyond their contents.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.codes.shrink_to_fit();
        self.line_hash.shrink_to_fit();
        self.line_end.shrink_to_fit();
        self.docs.shrink_to_fit();
    }
}

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

#[derive(Debug, Clone, Copy, PartialEq)]
struct Line {
    hash: u64,
    start: u32,
    end: u32,
    title: bool,
}

/// Reusable buffers, one per thread.
#[derive(Debug, Default, Clone)]
pub(crate) struct Scratch {
    norm: String,
    /// The text being tokenized, in ASCII lowercase.
    lower: Vec<u8>,
    toks: Vec<Tok>,
    lines: Vec<Line>,
    content: Vec<u64>,
    content_at: Vec<usize>,
    shingles: Vec<u64>,
    /// The distinct terms of the document being observed.
    term_buf: Vec<u64>,
    line_bytes: Vec<u8>,
    tf: FxHashMap<u64, (f64, bool)>,
    /// IDF by document frequency, for statistics of `idf_docs` documents:
    /// `(df, idf)` at `df % IDF_CACHE` (`u64::MAX`, which no `u32` df
    /// equals, in an unused entry).
    idf: Vec<(u64, f64)>,
    idf_docs: u64,
}

/// Runs the per-document pass for one configuration.
#[derive(Debug, Clone)]
pub(crate) struct Analyzer {
    cfg: Config,
    minhasher: MinHasher,
    simhasher: SimHasher,
    line_seed: u64,
    source_seed: u64,
    bigram_seed: u64,
    tokens: TokenHasher,
    stopwords: StopwordTable,
}

/// Entries of the per-thread cache of IDF by document frequency (a power of two).
const IDF_CACHE: usize = 4096;

const TITLE_SEPARATORS: [&str; 7] = [" - ", " | ", " – ", " — ", " :: ", " · ", " // "];

impl Analyzer {
    pub(crate) fn new(cfg: Config) -> Result<Analyzer, crate::Error> {
        let minhasher = MinHasher::with_kind(cfg.num_perm, cfg.seed, cfg.minhash_kind)?;
        Ok(Analyzer {
            simhasher: SimHasher::new(cfg.seed),
            line_seed: derive_seed(cfg.seed, domain::LINE),
            source_seed: derive_seed(cfg.seed, domain::SOURCE),
            bigram_seed: derive_seed(cfg.seed, domain::BIGRAM),
            tokens: TokenHasher::new(cfg.seed),
            stopwords: StopwordTable::new(),
            minhasher,
            cfg,
        })
    }

    pub(crate) fn config(&self) -> &Config {
        &self.cfg
    }

    fn source_hash(&self, doc: &Document) -> u64 {
        match &doc.source {
            Some(s) if !s.trim().is_empty() => hash_bytes(s.trim().to_lowercase().as_bytes(), self.source_seed) | 1,
            _ => 0,
        }
    }

    /// Appends the tokens of `text[range]` (`lower` is `text` in ASCII
    /// lowercase) to `s.toks`, and a [`Line`] for each line of it that has
    /// tokens (a title segment is one line). Tokenizing a whole body at once
    /// gives the tokens of its lines one by one: no token spans a line break,
    /// and the first token of a line starts a sentence either way.
    fn push_tokens(&self, text: &str, lower: &[u8], range: std::ops::Range<usize>, title: bool, s: &mut Scratch) {
        let piece = &text[range.clone()];
        let base = range.start;
        let b = piece.as_bytes();
        let mut line_start = s.toks.len();
        // End of the line holding the last token (the next '\n', or the end).
        let next_break = |from: usize| crate::text::find_newline(&b[from..]).map_or(b.len(), |k| from + k);
        let mut line_end = next_break(0);
        let mut prev_char: Option<u64> = None;
        let mut norm = std::mem::take(&mut s.norm);
        for_each_full_token(piece, |t, ascii| {
            if !title && t.start > line_end {
                self.close_line(line_start, title, s);
                line_start = s.toks.len();
                prev_char = None;
                line_end = next_break(t.start);
            }
            let at = base + t.start;
            let (hash, term, number) = if ascii {
                let low = &lower[at..at + t.text.len()];
                let hash = self.tokens.hash_raw(low);
                let number = t.kind == TokenKind::Number;
                let form = term_form_bytes(low);
                let form_hash = if form.len() == low.len() { hash } else { self.tokens.hash_raw(form) };
                // `form` starts where `low` does, in `lower`.
                let stop = self.stopwords.contains_in(lower, at, form.len());
                let keep = number || (form.len() >= 2 && !stop);
                (hash, if keep { form_hash | 1 } else { 0 }, number)
            } else {
                normalize_into(t.text, &mut norm);
                let hash = self.tokens.hash(&norm);
                match t.kind {
                    TokenKind::Char => {
                        // A bigram with the previous token of the line, if it is a grapheme too.
                        let term = prev_char.map_or(0, |p| hash_u64s(&[p, hash], self.bigram_seed) | 1);
                        (hash, term, false)
                    }
                    kind => {
                        let form = term_form(&norm);
                        let number = kind == TokenKind::Number;
                        let form_hash = if form.len() == norm.len() { hash } else { self.tokens.hash(form) };
                        let stop = self.stopwords.contains(form.as_bytes());
                        let keep = number || (form.chars().nth(1).is_some() && !stop);
                        (hash, if keep { form_hash | 1 } else { 0 }, number)
                    }
                }
            };
            if t.kind == TokenKind::Char {
                prev_char = Some(hash);
            } else {
                prev_char = None;
            }
            s.toks.push(Tok::of(&t, at, hash, term, number));
        });
        s.norm = norm;
        self.close_line(line_start, title, s);
    }

    /// Records the tokens from `start` to the end of `s.toks` as a line, if any.
    fn close_line(&self, start: usize, title: bool, s: &mut Scratch) {
        let end = s.toks.len();
        if end > start {
            // `hash_u64s` of the token hashes, computed over their bytes in one call.
            s.line_bytes.clear();
            s.line_bytes.extend(s.toks[start..end].iter().flat_map(|t| t.hash.to_le_bytes()));
            let hash = hash_bytes(&s.line_bytes, self.line_seed);
            s.lines.push(Line { hash, start: start as u32, end: end as u32, title });
        }
    }

    fn tokenize(&self, doc: &Document, s: &mut Scratch) {
        s.toks.clear();
        s.lines.clear();
        let mut lower = std::mem::take(&mut s.lower);
        if let Some(title) = &doc.title {
            let mut segments = vec![title.as_str()];
            for sep in TITLE_SEPARATORS {
                segments = segments.iter().flat_map(|p| p.split(sep)).collect();
            }
            lower.clear();
            lower.extend(title.bytes().map(|c| c.to_ascii_lowercase()));
            for piece in segments {
                // Every segment is a sub-slice of the title: its offset is the address difference.
                let at = piece.as_ptr() as usize - title.as_ptr() as usize;
                self.push_tokens(title, &lower, at..at + piece.len(), true, s);
            }
        }
        lower.clear();
        lower.extend(doc.text.bytes().map(|c| c.to_ascii_lowercase()));
        self.push_tokens(&doc.text, &lower, 0..doc.text.len(), false, s);
        // A buffer grown by one huge document is not kept for small ones.
        if lower.capacity() > (1 << 20) && lower.capacity() > 4 * lower.len() {
            lower = Vec::new();
        }
        s.lower = lower;
    }

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

    fn is_boilerplate(&self, stats: &CorpusStats, line: &Line, src: u64) -> bool {
        if !self.cfg.remove_boilerplate {
            return false;
        }
        let len = (line.end - line.start) as usize;
        let df = stats.line_df(line.hash);
        let min = self.cfg.boilerplate_min_docs;
        if len <= self.cfg.boilerplate_max_tokens {
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
    pub(crate) fn features_of_tokens(&self, doc: &Document, stats: &CorpusStats, s: &mut Scratch) -> Features {
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
        stats: &CorpusStats,
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
        shingle_hashes(&s.content, self.cfg.shingle_size, self.cfg.seed, &mut s.shingles);
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
            let w = if l.title { self.cfg.title_weight } else { 1.0 };
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
                        w *= self.cfg.number_boost;
                    } else if st.name {
                        w *= self.cfg.name_boost;
                    }
                    (st.term, w, st.df)
                })
                .collect();
        // The heaviest `profile_terms` (a total order: ties by term), found
        // by selection, then sorted: the same list as sorting them all.
        let order = |a: &(u64, f64, u32), b: &(u64, f64, u32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if weighted.len() > self.cfg.profile_terms {
            weighted.select_nth_unstable_by(self.cfg.profile_terms, order);
            weighted.truncate(self.cfg.profile_terms);
        }
        weighted.sort_unstable_by(order);
        let cap = self.cfg.candidate_df_cap(stats.docs());
        let mut rare: Vec<(u32, usize, u64)> = weighted
            .iter()
            .take(self.cfg.profile_terms)
            .map(|&(t, _, df)| (df, t))
            .filter(|&(df, _)| df <= cap)
            .take(self.cfg.candidate_terms)
            .enumerate()
            .map(|(rank, (df, t))| (df, rank, t))
            .collect();
        rare.sort_unstable();
        weighted.truncate(self.cfg.profile_terms);
        let profile = Profile::top_k(weighted.into_iter().map(|(t, w, _)| (t, w)).collect(), self.cfg.profile_terms);
        // Positions fit: `profile_terms` is at most 4,096.
        let rare = rare.into_iter().filter_map(|(_, _, t)| profile.position(t).map(|i| i as u16)).collect();
        Features { shingles, minhash, simhash, profile, rare, date, content_tokens, total_tokens }
    }
}

impl Features {
    /// The rare salient terms with their profile weights, rarest first
    /// (see [`rare`](Features::rare)). Features built or loaded by this
    /// crate hold valid positions; a position set by hand beyond the profile
    /// gives term 0 with weight 0, which adds nothing to any dot product.
    pub fn rare_terms(&self) -> impl ExactSizeIterator<Item = (u64, f32)> + Clone + '_ {
        // Positions come from the profile they index (or are checked against it when loaded).
        self.rare.iter().map(|&i| self.profile.term_at(usize::from(i)).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{lines, tokens};

    /// The tokenization as first written: each line (or title segment) by
    /// itself through [`tokens`] and [`normalize_into`]: the oracle for the
    /// whole-text scan of [`Analyzer::tokenize`].
    fn reference(an: &Analyzer, doc: &Document) -> (Vec<Tok>, Vec<Line>) {
        let mut toks = Vec::new();
        let mut out_lines = Vec::new();
        let mut push = |base: &str, pieces: Vec<&str>, title: bool| {
            for piece in pieces {
                let base_off = piece.as_ptr() as usize - base.as_ptr() as usize;
                let start = toks.len();
                let mut prev_char: Option<u64> = None;
                let mut norm = String::new();
                for t in tokens(piece) {
                    normalize_into(t.text, &mut norm);
                    let hash = an.tokens.hash(&norm);
                    let (term, number) = match t.kind {
                        TokenKind::Char => {
                            let term = prev_char.map_or(0, |p| hash_u64s(&[p, hash], an.bigram_seed) | 1);
                            prev_char = Some(hash);
                            (term, false)
                        }
                        kind => {
                            prev_char = None;
                            let form = term_form(&norm);
                            let number = kind == TokenKind::Number;
                            let form_hash = an.tokens.hash(form);
                            let stop = crate::text::is_stopword(form);
                            let keep = number || (form.chars().nth(1).is_some() && !stop);
                            (if keep { form_hash | 1 } else { 0 }, number)
                        }
                    };
                    toks.push(Tok::of(&t, base_off + t.start, hash, term, number));
                }
                let end = toks.len();
                if end > start {
                    let hashes: Vec<u64> = toks[start..end].iter().map(|t: &Tok| t.hash).collect();
                    let hash = hash_u64s(&hashes, an.line_seed);
                    out_lines.push(Line { hash, start: start as u32, end: end as u32, title });
                }
            }
        };
        if let Some(title) = &doc.title {
            let mut segments = vec![title.as_str()];
            for sep in TITLE_SEPARATORS {
                segments = segments.iter().flat_map(|p| p.split(sep)).collect();
            }
            push(title, segments, true);
        }
        push(&doc.text, lines(&doc.text).map(|(_, l)| l).collect(), false);
        (toks, out_lines)
    }

    /// Pieces whose concatenations meet the tokenizer's and the line splitter's cases.
    #[rustfmt::skip]
    const PIECES: &[&str] = &[
        "a", "Z", "7", "_", ".", ",", ";", ":", "'", "'s", "’s", " ", "  ", "\t", "\n", "\r\n", "\n\n", "-", " - ",
        " | ", "\"", "é", "\u{301}", "\u{200D}", "’", "北", "京", "ア", "ー", "ก", "\u{E34}", "😀", "א", "٣", "Ｑ",
        "\u{00A0}", "\u{3000}", "\u{2028}", "\u{85}", "Word", "ÉTÉ", "42", "the", "The", "Putin", "it's", "and", "x",
        "Kim's", "1,700", "?", "!",
    ];

    /// A document of pieces, with an optional title, source and date.
    fn piece_doc() -> impl proptest::strategy::Strategy<Value = Document> {
        use proptest::prelude::*;
        let pieces = |n| proptest::collection::vec(proptest::sample::select(PIECES), n);
        (
            pieces(0..40),
            proptest::option::of(pieces(0..8)),
            proptest::option::of(0..3u8),
            proptest::option::of(1..28u32),
        )
            .prop_map(|(body, title, source, day)| {
                let mut d = Document::new("d", body.concat());
                if let Some(t) = title {
                    d = d.with_title(t.concat());
                }
                if let Some(s) = source {
                    d = d.with_source(format!("site{s}"));
                }
                if let Some(day) = day {
                    d = d.with_date(Date::from_ymd(2024, 3, day).expect("a day of March"));
                }
                d
            })
    }

    proptest::proptest! {
        /// Learning in runs, then building the features from the runs'
        /// token types, gives the statistics of learning and the features of
        /// tokenizing each document again: the oracle is the one-document
        /// path (`Analyzer::features`, with a hash map of terms and a
        /// statistics look-up per term).
        #[test]
        fn features_of_runs_equal_features_of_each_document(
            // Repeated documents make repeated lines (boilerplate) and shared terms.
            base in proptest::collection::vec(piece_doc(), 1..6),
            picks in proptest::collection::vec(0..6usize, 1..14),
            run_docs in 1..5usize,
            compact in proptest::bool::ANY,
        ) {
            let docs: Vec<Document> = picks.iter().enumerate().map(|(i, &p)| {
                let mut d = base[p % base.len()].clone();
                d.id = format!("d{i}");
                d
            }).collect();
            let detector = crate::Detector::new();
            let pool = crate::file::LearnerPool::default();
            let runs = pool.learn_runs_of(&detector, &docs, run_docs);
            let (mut stats, types) = pool.finish_with_types();
            proptest::prop_assert_eq!(&stats, &detector.learn(&docs));
            if compact {
                stats.compact();
            }
            let feats = detector.features_of_runs(runs, &types, &stats);
            let an = Analyzer::new(Config::default()).unwrap();
            let mut s = Scratch::default();
            let each: Vec<Features> = docs.iter().map(|d| an.features(d, &stats, &mut s)).collect();
            proptest::prop_assert_eq!(feats, each);
        }

        #[test]
        fn whole_text_tokenization_equals_line_by_line(
            body in proptest::collection::vec(proptest::sample::select(PIECES), 0..60),
            title in proptest::option::of(proptest::collection::vec(proptest::sample::select(PIECES), 0..12)),
        ) {
            let an = Analyzer::new(Config::default()).unwrap();
            let mut doc = Document::new("d", body.concat());
            if let Some(t) = title {
                doc = doc.with_title(t.concat());
            }
            let mut s = Scratch::default();
            an.tokenize(&doc, &mut s);
            let (toks, lines) = reference(&an, &doc);
            proptest::prop_assert_eq!(&s.toks, &toks);
            proptest::prop_assert_eq!(&s.lines, &lines);
        }
    }
}
