//! The statistics pass of a batch: corpus statistics learned on every
//! core, with each document's tokens kept (as four-byte codes) so that the
//! features pass need not tokenize the text again.
//!
//! Learning is a sum of counts, so any split of the documents over the
//! learners gives the same statistics: each pool thread keeps a learner of
//! its own, and they are merged at the end.

use crate::document::Document;
use crate::features::{Analyzer, Features, Scratch, TermWeights, Tokenized};
use crate::par::{self, PerThread};
use crate::stats::{CorpusStats, Learner, TokenTypes};

/// Documents per [`Tokenized`] run: a few runs per batch for each thread.
const RUN_DOCS: usize = 256;

/// A learner with its buffers.
#[derive(Default)]
struct Worker {
    learner: Learner,
    scratch: Scratch,
}

/// A learner for each thread of the pool, merged at the end.
#[derive(Default)]
pub(crate) struct LearnerPool {
    workers: PerThread<Worker>,
}

/// A run of documents learned by [`LearnerPool::learn_runs`]: their tokens,
/// as codes of the learner numbered `learner`.
pub(crate) struct LearnedRun {
    learner: u32,
    run: Tokenized,
}

/// What learning a batch leaves: the statistics, and the tokens of every
/// document (in runs, in input order) with the learners' token types.
pub(crate) struct Learned {
    pub stats: CorpusStats,
    pub runs: Vec<LearnedRun>,
    pub types: Vec<TokenTypes>,
}

impl LearnerPool {
    /// Learns a batch of documents without keeping their tokens.
    pub(crate) fn learn(&self, an: &Analyzer, docs: &[Document]) {
        par::for_each_chunk(docs, 64, |part| {
            let (_, mut w) = self.workers.get();
            let Worker { learner, scratch } = &mut *w;
            for d in part {
                an.learn_into(d, scratch, learner);
            }
        });
    }

    /// Learns a batch of documents, keeping their tokens in runs, in input order.
    pub(crate) fn learn_runs(&self, an: &Analyzer, docs: &[Document]) -> Vec<LearnedRun> {
        self.learn_runs_of(an, docs, RUN_DOCS)
    }

    /// [`learn_runs`](Self::learn_runs) in runs of `run_docs` documents.
    pub(crate) fn learn_runs_of(&self, an: &Analyzer, docs: &[Document], run_docs: usize) -> Vec<LearnedRun> {
        par::map_chunks(docs, run_docs, |part| {
            let (i, mut w) = self.workers.get();
            let Worker { learner, scratch } = &mut *w;
            let mut run = Tokenized::default();
            for d in part {
                an.learn_into_run(d, scratch, learner, &mut run);
            }
            run.shrink_to_fit();
            LearnedRun { learner: i as u32, run }
        })
    }

    /// The statistics of everything learned.
    pub(crate) fn finish(self) -> CorpusStats {
        self.finish_with_types().0
    }

    /// The statistics of everything learned, and the token types of each
    /// learner, by its number.
    pub(crate) fn finish_with_types(self) -> (CorpusStats, Vec<TokenTypes>) {
        let learners: Vec<Learner> = self.workers.into_inner().into_iter().map(|w| w.learner).collect();
        // Each learner's maps become statistics on a thread of its own; the
        // others are then merged into the largest, which is not copied.
        let (mut parts, types): (Vec<CorpusStats>, Vec<TokenTypes>) =
            par::map_owned_init(learners, |l: Learner, _: &mut ()| l.finish_with_types()).into_iter().unzip();
        let largest = (0..parts.len()).max_by_key(|&i| parts[i].docs()).unwrap_or(0);
        let mut all = if parts.is_empty() { CorpusStats::new() } else { parts.swap_remove(largest) };
        for p in &parts {
            all.merge(p);
        }
        (all, types)
    }
}

/// Learns a batch in memory, keeping the tokens.
pub(crate) fn learn_batch(an: &Analyzer, docs: &[Document]) -> Learned {
    let pool = LearnerPool::default();
    let runs = pool.learn_runs(an, docs);
    let (stats, types) = pool.finish_with_types();
    Learned { stats, runs, types }
}

/// Learns a batch in memory without keeping the tokens, on large splits
/// (merging the per-split maps costs about one vocabulary per split).
pub(crate) fn learn_stats(an: &Analyzer, docs: &[Document]) -> CorpusStats {
    let pool = LearnerPool::default();
    pool.learn(an, docs);
    pool.finish()
}

/// The features of documents learned in `runs` (in order) by learners
/// whose types are `types`, against the complete statistics: the features
/// of the documents, without reading or tokenizing them again. Each run is
/// freed once its features are built.
pub(crate) fn features_of_runs(
    an: &Analyzer,
    runs: Vec<LearnedRun>,
    types: &[TokenTypes],
    stats: &CorpusStats,
) -> Vec<Features> {
    let weights: Vec<TermWeights> = par::map(types, |t| TermWeights::of(t, stats));
    let per_run = par::map_owned_init(runs, |r, s: &mut Scratch| {
        let i = r.learner as usize;
        an.features_of_run(&r.run, &types[i], &weights[i], stats, s)
    });
    let mut feats = Vec::with_capacity(per_run.iter().map(Vec::len).sum());
    for f in per_run {
        feats.extend(f);
    }
    feats
}

/// The features of documents against `stats`, tokenizing each.
pub(crate) fn features_of(an: &Analyzer, docs: &[Document], stats: &CorpusStats) -> Vec<Features> {
    par::map_init(docs, |_, d, s: &mut Scratch| an.features(d, stats, s))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORDS: &[&str] = &[
        "Putin",
        "met",
        "Kim",
        "at",
        "the",
        "Vostochny",
        "cosmodrome",
        "on",
        "Wednesday",
        "13",
        "2023",
        "Kim's",
        "train",
        "arrived",
        "Home | News",
        "Advertisement",
        "北京",
        "市",
        "é",
        "the",
        "The",
        "said",
        ".",
        "\n",
        "\n\n",
        "  ",
    ];

    proptest::proptest! {
        /// Batch learning equals observing each document in order.
        #[test]
        fn learn_equals_observing_each_document(
            docs in proptest::collection::vec(
                (proptest::collection::vec(proptest::sample::select(WORDS), 0..40), proptest::option::of(0..3u8)),
                0..12,
            ),
        ) {
            let docs: Vec<Document> = docs
                .iter()
                .enumerate()
                .map(|(i, (words, src))| {
                    let d = Document::new(i.to_string(), words.join(" "));
                    match src { Some(k) => d.with_source(format!("site{k}")), None => d }
                })
                .collect();
            let an = Analyzer::new(crate::params::Config::new(crate::params::Params::default()).unwrap()).unwrap();
            let mut s = Scratch::default();
            let mut expected = CorpusStats::new();
            for d in &docs {
                expected.observe(&an.observe(d, &mut s));
            }
            proptest::prop_assert_eq!(learn_stats(&an, &docs), expected);
        }
    }
}
