//! Stream against batch on generated news: a [`Tracker`] fed a corpus one
//! document at a time, in order, and [`Detector::cluster`] on the same
//! corpus must agree, within a measured bound, on corpora generated here
//! (no data from `../shared`).
//!
//! # The corpora
//! Each corpus has 3 to 10 *events*. An event is of one of six kinds (a
//! warehouse fire, a flood, an election, a strike, a bank robbery, a
//! football transfer) and has made-up names (three people and a place), two
//! numbers and a day. Several events of one kind may appear in one corpus:
//! they share every template word and differ only in names, numbers and
//! dates, the hard case of real news (two fires, two elections). A corpus
//! holds 20 to 80 reports, in generation order (not date order):
//!
//! * *fresh* reports: 1 to 6 of the event's sentences (of 8 templates
//!   filled with its names and numbers), 0 to 2 sentences of filler shared
//!   by all events, on one line or one sentence a line; dated on the event's
//!   day or up to 3 days later, or (one in six) undated;
//! * *exact copies* of an earlier report (same text and date, new id);
//! * *near copies* of an earlier report: 1 to 3 edits (a sentence
//!   dropped, a filler sentence inserted, a word replaced), dated the same
//!   day or a day later.
//!
//! # The bound
//! Agreement is the pairwise F1 of the tracker's stories against the batch
//! clusters (pairs of documents together in both, over the mean of the
//! pairs together in each; 1 when neither puts any two together).
//! It is not 1: the tracker sees documents one at a time with the statistics
//! learned so far (an early report is weighed against a handful of
//! documents, the batch against all of them, and a held document's features
//! are never recomputed), it places each document greedily in the story it
//! is most similar to on average at that moment and merges stories only
//! through the document being added, where the batch agglomerates the whole
//! graph, and it meets the cohesion guard only as stories form.
//!
//! Measured with the default parameters (`measure_agreement_distribution`,
//! run with `--ignored --nocapture`) on 5,000 corpora of 49.5 documents on
//! average: F1 min 0.383, 1st percentile 0.559, 5th 0.646, 10th 0.697,
//! 25th 0.776, median 0.863, mean 0.847; 8% of the corpora agree exactly
//! (ARI: median 0.842, mean 0.823). Both sides find the generated events
//! equally well: mean F1 against the events 0.817 for the batch, 0.816 for
//! the stream. These corpora are harder than the dev sets (where
//! `tests/accuracy.rs` measured ARI 0.91–0.96): events of one kind share
//! every template word, and many reports share only one or two sentences.
//! In a one-off experiment on 400 of them (not kept as a test), the gap
//! did not come from the order (the stream fed in date order: mean F1
//! 0.849, against 0.853 in generation order), from undated reports (all
//! dated: 0.854) or from the statistics (a tracker started with the whole
//! corpus's statistics, [`Tracker::with_stats`]: 0.856), but from greedy
//! placement and merging; the batch itself is stable (the batch of the
//! reversed input against the batch: 0.999).
//!
//! The asserted bounds, below what was measured:
//! * every corpus: F1 ≥ [`MIN_F1`] = 0.3, under the least of 5,000 (0.383),
//!   so that a randomly drawn corpus does not make the test flaky; it
//!   catches a collapse (one story for everything, or none shared);
//! * the mean over a fixed set of 200 corpora: F1 ≥ [`MEAN_F1`] = 0.82
//!   (measured 0.856, least 0.561), the regression check;
//! * on that set, the stream's mean F1 against the events at most
//!   [`EVENTS_F1_MARGIN`] = 0.02 below the batch's (measured 0.834 and 0.829).
//!
//! Exact agreement where it holds: exact copies of one report always share
//! a batch cluster. In the stream they do not always share a story (a
//! library bug, shown by `exact_copies_share_a_story_in_the_stream_*`,
//! ignored until fixed); what holds is that an exact copy of a one-line
//! report is matched to an earlier copy as a copy of similarity 1.

use std::collections::HashMap;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config as RunnerConfig, RngAlgorithm, TestRng, TestRunner};
use samestory::hash::mix64;
use samestory::{Date, Detector, Document, Tracker};

/// Least pairwise F1 of the tracker's stories against the batch clusters, for every corpus.
const MIN_F1: f64 = 0.3;
/// Least mean pairwise F1 over [`FIXED_CASES`] corpora drawn from a fixed seed.
const MEAN_F1: f64 = 0.82;
/// Corpora of the mean check.
const FIXED_CASES: u32 = 200;
/// How far below the batch's mean F1 against the generated events the stream's may be.
const EVENTS_F1_MARGIN: f64 = 0.02;

/// `default` cases, unless `PROPTEST_CASES` asks for another number.
fn cases(default: u32) -> ProptestConfig {
    let n = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    ProptestConfig { cases: n, ..ProptestConfig::default() }
}

// ---------------------------------------------------------------------------
// Generated news
// ---------------------------------------------------------------------------

/// Sentence templates of each kind of event: `{a}`, `{b}`, `{c}` are the
/// event's people, `{p}` its place, `{x}` and `{y}` its numbers.
const KINDS: [[&str; 8]; 6] = [
    [
        "A fire broke out at the {p} textile warehouse owned by {c} late at night.",
        "Firefighters led by chief {a} fought the blaze in {p} for {x} hours.",
        "{y} people were treated for smoke inhalation, according to {b}, a spokesperson for the {p} fire service.",
        "The warehouse run by {c} stored about {x} tonnes of cotton.",
        "Investigators said the cause of the fire in {p} was not yet known.",
        "Residents near the site in {p} were told to keep their windows shut.",
        "{a} said {y} crews were sent from neighbouring towns.",
        "Damage was estimated at {x} million, {b} told reporters.",
    ],
    [
        "Heavy rain caused the {p} river to burst its banks, forcing {x} residents from their homes.",
        "Mayor {a} declared a state of emergency in {p}.",
        "Rescue teams coordinated by {b} evacuated {y} people by boat.",
        "The water level in {p} rose {x} centimetres overnight, {c} of the weather office said.",
        "Schools across {p} will remain closed until the water recedes.",
        "{a} asked the national government for {y} million in emergency aid.",
        "Roads between {p} and the coast were cut off.",
        "Forecasters warned that more rain was expected later in the week.",
    ],
    [
        "{a} won the mayoral election in {p} with {x} percent of the vote.",
        "Turnout in {p} reached {y} percent, the electoral commission said.",
        "The main rival, {b}, conceded defeat late in the evening.",
        "{a} promised to cut local taxes and build {x} new homes.",
        "Supporters of {a} gathered in the central square of {p} to celebrate.",
        "{c}, a political analyst, called the result a clear mandate.",
        "The new council in {p} will be sworn in next month.",
        "{b} said the party would review its campaign after winning {y} percent.",
    ],
    [
        "Workers at the {c} car plant in {p} walked out on strike over pay.",
        "Union leader {a} said {x} employees joined the stoppage.",
        "The company, headed by {b}, offered a raise of {y} percent, which the union rejected.",
        "Production of about {x} vehicles a day has been halted in {p}.",
        "{a} warned the strike could last for weeks.",
        "Talks between the union and {c} management are due to resume on Friday.",
        "Local suppliers in {p} said the stoppage was already hurting them.",
        "{b} called the demands unrealistic.",
    ],
    [
        "Armed robbers stole {x} thousand from the {c} bank branch in {p}.",
        "Police inspector {a} said the robbers escaped in a grey van.",
        "{y} customers were inside the branch during the raid, {b} told reporters.",
        "Officers in {p} set up roadblocks on the main roads out of town.",
        "{a} appealed to witnesses to come forward.",
        "The {c} bank said no staff were injured.",
        "Security footage from {p} shows {y} masked men.",
        "It was the second bank robbery in {p} this year, according to {b}.",
    ],
    [
        "{a} signed a {y}-year contract with {p} United for a fee of {x} million.",
        "The striker joins {p} United from {c} City.",
        "Manager {b} said {a} was the player the club had wanted all summer.",
        "{a} scored {x} goals in all competitions last season.",
        "The transfer fee of {x} million is a club record for {p} United.",
        "{c} City fans expressed disappointment at losing their top scorer.",
        "{a} will wear the number {y} shirt.",
        "{b} expects {a} to make a debut next weekend.",
    ],
];

/// Sentences any report may carry, whatever its event.
const FILLER: [&str; 8] = [
    "More details are expected later today.",
    "This story has been updated.",
    "Officials did not immediately respond to a request for comment.",
    "Follow us for the latest news from the region.",
    "The information could not be independently verified.",
    "Reporting by our correspondents, editing by the news desk.",
    "Read more stories from our local team.",
    "Share this article with your friends.",
];

/// Words a near copy puts in place of one of the original's.
const REPLACEMENTS: [&str; 6] = ["reportedly", "officially", "nearly", "locally", "again", "finally"];

/// A made-up capitalized name, one of 4,096 (2 or 3 syllables).
fn name(i: usize) -> String {
    const SYL: [&str; 16] =
        ["ka", "lo", "mer", "tin", "vas", "rul", "bren", "do", "sha", "quil", "zor", "pet", "an", "vi", "gor", "lem"];
    let h = mix64(i as u64 ^ 0x6e61_6d65);
    let n = 2 + (h & 1) as usize;
    let s: String = (0..n).map(|k| SYL[((h >> (4 + 4 * k)) & 15) as usize]).collect();
    let mut c = s.chars();
    c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
}

#[derive(Debug, Clone)]
struct Event {
    kind: usize,
    /// Three people and a place, as indices of [`name`].
    names: [usize; 4],
    x: u32,
    y: u32,
    day: i32,
}

impl Event {
    fn sentence(&self, k: usize) -> String {
        let [a, b, c, p] = self.names.map(name);
        KINDS[self.kind][k % 8]
            .replace("{a}", &a)
            .replace("{b}", &b)
            .replace("{c}", &c)
            .replace("{p}", &p)
            .replace("{x}", &self.x.to_string())
            .replace("{y}", &self.y.to_string())
    }
}

#[derive(Debug, Clone)]
enum Edit {
    /// Drop a sentence (index modulo the count; never the last one left).
    Drop(usize),
    /// Insert a filler sentence at a position.
    Filler(usize, usize),
    /// Replace a word (sentence, word) by one of [`REPLACEMENTS`].
    Word(usize, usize, usize),
}

#[derive(Debug, Clone)]
enum Plan {
    Fresh {
        event: usize,
        sentences: Vec<usize>,
        filler: Vec<usize>,
        multiline: bool,
        offset: i32,
        dated: bool,
    },
    /// An exact copy of an earlier report (index modulo the reports so far).
    Copy(usize),
    /// A near copy of an earlier report.
    Near {
        of: usize,
        edits: Vec<Edit>,
        later: bool,
    },
}

#[derive(Debug, Clone)]
struct Corpus {
    events: Vec<Event>,
    plans: Vec<Plan>,
}

/// A report as built: its sentences, layout and date, and its event.
#[derive(Debug, Clone)]
struct Report {
    event: usize,
    sentences: Vec<String>,
    multiline: bool,
    date: Option<i32>,
}

impl Report {
    fn text(&self) -> String {
        self.sentences.join(if self.multiline { "\n" } else { " " })
    }
}

fn event() -> impl Strategy<Value = Event> {
    (0usize..6, [0usize..4096, 0usize..4096, 0usize..4096, 0usize..4096], 2u32..1000, 2u32..100, 0i32..90)
        .prop_map(|(kind, names, x, y, day)| Event { kind, names, x, y, day })
}

fn plan() -> impl Strategy<Value = Plan> {
    let edit = prop_oneof![
        any::<usize>().prop_map(Edit::Drop),
        (any::<usize>(), 0usize..FILLER.len()).prop_map(|(at, f)| Edit::Filler(at, f)),
        (any::<usize>(), any::<usize>(), 0usize..REPLACEMENTS.len()).prop_map(|(s, w, r)| Edit::Word(s, w, r)),
    ];
    prop_oneof![
        7 => (
            any::<usize>(),
            prop::collection::vec(0usize..8, 2..7),
            prop::collection::vec(0usize..FILLER.len(), 0..3),
            any::<bool>(),
            0i32..4,
            prop::bool::weighted(5.0 / 6.0),
        )
            .prop_map(|(event, sentences, filler, multiline, offset, dated)| Plan::Fresh {
                event,
                sentences,
                filler,
                multiline,
                offset,
                dated
            }),
        1 => any::<usize>().prop_map(Plan::Copy),
        2 => (any::<usize>(), prop::collection::vec(edit, 1..4), any::<bool>())
            .prop_map(|(of, edits, later)| Plan::Near { of, edits, later }),
    ]
}

fn corpus() -> impl Strategy<Value = Corpus> {
    (prop::collection::vec(event(), 3..=10), prop::collection::vec(plan(), 20..=80))
        .prop_map(|(events, plans)| Corpus { events, plans })
}

/// The reports of a corpus, in order. A copy or near copy with nothing
/// before it is a fresh report of the first event.
fn build(c: &Corpus) -> Vec<Report> {
    let mut out: Vec<Report> = Vec::new();
    for p in &c.plans {
        let r = match p {
            Plan::Copy(i) if !out.is_empty() => out[i % out.len()].clone(),
            Plan::Near { of, edits, later } if !out.is_empty() => {
                let mut r = out[of % out.len()].clone();
                for e in edits {
                    match *e {
                        Edit::Drop(k) if r.sentences.len() > 1 => {
                            let k = k % r.sentences.len();
                            r.sentences.remove(k);
                        }
                        Edit::Drop(_) => {}
                        Edit::Filler(at, f) => {
                            let at = at % (r.sentences.len() + 1);
                            r.sentences.insert(at, FILLER[f].to_string());
                        }
                        Edit::Word(s, w, k) => {
                            let s = s % r.sentences.len();
                            let mut words: Vec<&str> = r.sentences[s].split(' ').collect();
                            let w = w % words.len();
                            words[w] = REPLACEMENTS[k];
                            r.sentences[s] = words.join(" ");
                        }
                    }
                }
                r.date = r.date.map(|d| d + i32::from(*later));
                r
            }
            Plan::Fresh { event, sentences, filler, multiline, offset, dated } => {
                let e = event % c.events.len();
                fresh(c, e, sentences, filler, *multiline, *offset, *dated)
            }
            _ => fresh(c, 0, &[0, 1, 2], &[], false, 0, true),
        };
        out.push(r);
    }
    out
}

fn fresh(c: &Corpus, e: usize, picks: &[usize], filler: &[usize], multiline: bool, offset: i32, dated: bool) -> Report {
    let ev = &c.events[e];
    let mut seen = [false; 8];
    let mut sentences: Vec<String> =
        picks.iter().filter(|&&k| !std::mem::replace(&mut seen[k], true)).map(|&k| ev.sentence(k)).collect();
    for (i, &f) in filler.iter().enumerate() {
        let at = (i * 3 + f) % (sentences.len() + 1);
        sentences.insert(at, FILLER[f].to_string());
    }
    Report { event: e, sentences, multiline, date: dated.then_some(ev.day + offset) }
}

fn documents(reports: &[Report]) -> Vec<Document> {
    let start = Date::from_ymd(2025, 1, 6).expect("valid date").days();
    reports
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let d = Document::new(format!("r{i}"), r.text());
            match r.date {
                Some(day) => d.with_date(Date::from_days(start + day)),
                None => d,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Agreement
// ---------------------------------------------------------------------------

/// Pairwise F1 of partition `a` against partition `b` (labels per
/// document): pairs together in both, over the mean of the pairs together
/// in each; 1 when neither puts two documents together.
fn pairwise_f1(a: &[u64], b: &[u64]) -> f64 {
    let (mut both, mut in_a, mut in_b) = (0u64, 0u64, 0u64);
    for i in 0..a.len() {
        for j in i + 1..a.len() {
            let (x, y) = (a[i] == a[j], b[i] == b[j]);
            both += u64::from(x && y);
            in_a += u64::from(x);
            in_b += u64::from(y);
        }
    }
    if in_a + in_b == 0 { 1.0 } else { 2.0 * both as f64 / (in_a + in_b) as f64 }
}

/// Adjusted Rand index of two partitions (1 when both are trivial alike).
fn ari(a: &[u64], b: &[u64]) -> f64 {
    let c2 = |n: u64| (n * n.saturating_sub(1) / 2) as f64;
    let mut table: HashMap<(u64, u64), u64> = HashMap::new();
    let (mut ra, mut rb): (HashMap<u64, u64>, HashMap<u64, u64>) = (HashMap::new(), HashMap::new());
    for (&x, &y) in a.iter().zip(b) {
        *table.entry((x, y)).or_default() += 1;
        *ra.entry(x).or_default() += 1;
        *rb.entry(y).or_default() += 1;
    }
    let index: f64 = table.values().map(|&n| c2(n)).sum();
    let (sa, sb): (f64, f64) = (ra.values().map(|&n| c2(n)).sum(), rb.values().map(|&n| c2(n)).sum());
    let expected = sa * sb / c2(a.len() as u64).max(1.0);
    let max = (sa + sb) / 2.0;
    if (max - expected).abs() < 1e-12 { 1.0 } else { (index - expected) / (max - expected) }
}

/// The outcome of one corpus: labels of the stream, the batch and the events.
struct Outcome {
    stream: Vec<u64>,
    batch: Vec<u64>,
    gold: Vec<u64>,
    reports: Vec<Report>,
}

fn run(c: &Corpus) -> Outcome {
    let reports = build(c);
    let docs = documents(&reports);
    let batch = Detector::new().cluster(&docs).expect("batch clustering");
    let mut tracker = Tracker::new(Detector::new());
    for d in &docs {
        tracker.add(d.clone()).expect("tracker add");
    }
    let stream = docs.iter().map(|d| tracker.story_of(&d.id).expect("every document is held").0).collect();
    Outcome {
        stream,
        batch: batch.labels().iter().map(|&l| u64::from(l)).collect(),
        gold: reports.iter().map(|r| r.event as u64).collect(),
        reports,
    }
}

/// Pairs of reports with identical text and date (exact copies).
fn exact_copies(reports: &[Report]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for i in 0..reports.len() {
        for j in i + 1..reports.len() {
            if reports[i].text() == reports[j].text() && reports[i].date == reports[j].date {
                out.push((i, j));
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(cases(32))]

    /// Every corpus: the stream agrees with the batch to F1 ≥ [`MIN_F1`];
    /// exact copies share a batch cluster; and in the stream, an exact copy
    /// of a one-line report is matched, when added, to an earlier copy as a
    /// copy of similarity 1 (sharing a story is not asserted for the stream:
    /// it does not always hold, see `exact_copies_stay_together_in_the_stream`).
    #[test]
    fn tracker_agrees_with_batch_on_generated_news(c in corpus()) {
        let reports = build(&c);
        let docs = documents(&reports);
        let batch = Detector::new().cluster(&docs).expect("batch clustering");
        let copies = exact_copies(&reports);
        for &(i, j) in &copies {
            prop_assert!(batch.same_story(i as u32, j as u32), "batch: exact copies r{} and r{} apart", i, j);
        }
        let mut tracker = Tracker::new(Detector::new());
        for (n, d) in docs.iter().enumerate() {
            let a = tracker.add(d.clone()).expect("tracker add");
            if reports[n].sentences.len() == 1 || !reports[n].multiline {
                let earlier: Vec<&str> = copies.iter().filter(|p| p.1 == n).map(|p| docs[p.0].id.as_str()).collect();
                if !earlier.is_empty() {
                    prop_assert!(
                        a.matches.iter().any(|m| earlier.contains(&m.id.as_str()) && m.scores.copy && m.scores.similarity == 1.0),
                        "stream: r{} matches no earlier copy {:?} as a copy: {:?}",
                        n,
                        earlier,
                        a.matches
                    );
                }
            }
        }
        let stream: Vec<u64> = docs.iter().map(|d| tracker.story_of(&d.id).expect("held").0).collect();
        let batch: Vec<u64> = batch.labels().iter().map(|&l| u64::from(l)).collect();
        let f1 = pairwise_f1(&stream, &batch);
        prop_assert!(f1 >= MIN_F1, "stream vs batch F1 {:.3} < {}: stream {:?} batch {:?}", f1, MIN_F1, stream, batch);
    }
}

/// `n` corpora drawn from a fixed seed.
fn fixed_corpora(n: u32) -> Vec<Corpus> {
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(RunnerConfig::default(), rng);
    let strategy = corpus();
    (0..n).map(|_| strategy.new_tree(&mut runner).expect("a corpus").current()).collect()
}

/// Over a fixed set of corpora: the mean agreement reaches [`MEAN_F1`],
/// every corpus reaches [`MIN_F1`], exact copies share a batch cluster, and
/// the stream finds the generated events about as well as the batch does
/// (mean pairwise F1 against the events at most [`EVENTS_F1_MARGIN`] below
/// the batch's).
#[test]
fn mean_agreement_over_fixed_corpora() {
    let (mut agree, mut batch_events, mut stream_events) = (Vec::new(), 0.0, 0.0);
    for c in fixed_corpora(FIXED_CASES) {
        let o = run(&c);
        for (i, j) in exact_copies(&o.reports) {
            assert_eq!(o.batch[i], o.batch[j], "batch: exact copies r{i} and r{j} apart in {c:?}");
        }
        agree.push(pairwise_f1(&o.stream, &o.batch));
        batch_events += pairwise_f1(&o.batch, &o.gold);
        stream_events += pairwise_f1(&o.stream, &o.gold);
    }
    let n = f64::from(FIXED_CASES);
    let mean = agree.iter().sum::<f64>() / n;
    let min = agree.iter().copied().fold(1.0, f64::min);
    let (batch_events, stream_events) = (batch_events / n, stream_events / n);
    eprintln!(
        "stream vs batch over {FIXED_CASES} fixed corpora: mean F1 {mean:.4}, min {min:.4}; \
         F1 against the events: batch {batch_events:.4}, stream {stream_events:.4}"
    );
    assert!(mean >= MEAN_F1, "mean F1 {mean:.4} < {MEAN_F1}");
    assert!(min >= MIN_F1, "min F1 {min:.4} < {MIN_F1}");
    assert!(
        stream_events >= batch_events - EVENTS_F1_MARGIN,
        "the stream finds the events with F1 {stream_events:.4}, the batch {batch_events:.4}"
    );
}

// ---------------------------------------------------------------------------
// Exact copies in the stream (library bug)
// ---------------------------------------------------------------------------

/// Adds `docs` in order; the story of each.
fn stream_stories(docs: &[Document]) -> Vec<u64> {
    let mut t = Tracker::new(Detector::new());
    for d in docs {
        t.add(d.clone()).expect("add");
    }
    docs.iter().map(|d| t.story_of(&d.id).expect("held").0).collect()
}

fn dated(id: &str, text: &str, date: Option<&str>) -> Document {
    let d = Document::new(id, text);
    match date {
        Some(date) => d.with_date(Date::parse(date).expect("valid date")),
        None => d,
    }
}

/// Library bug: a tracker can put two identical documents in different
/// stories, which the batch never does (it collapses exact duplicates
/// before clustering). It happens in two ways; each test below holds a case
/// minimized from a generated corpus and fails today. On 5,000 generated
/// corpora (`measure_agreement_distribution`), 1,095 of 30,004 exact-copy
/// pairs ended in different stories of the stream, in 824 corpora; most of
/// them multi-line reports (boilerplate drift), some one-line reports
/// matched to their original with similarity 1 (placement by average).
///
/// *Boilerplate drift.* A held document keeps the features computed when
/// it was added. Its copy, added later, is analyzed against newer
/// statistics, in which one of its lines has meanwhile been seen in
/// `boilerplate_min_docs` (3) documents and is dropped as boilerplate: the
/// two are no longer a copy pair (similarity 0.41), and the copy's average
/// similarity to the original's story (0.41 + 0 over 2 members = 0.20)
/// misses the story threshold 0.21, so it starts a new story. The batch
/// puts `a` and `c` together.
#[test]
#[ignore = "library bug: an exact copy added after one of its lines became boilerplate leaves its original's story"]
fn exact_copies_share_a_story_in_the_stream_despite_boilerplate_drift() {
    let drift = [
        dated("a", "Union leader Tinmer said 131 employees joined the stoppage.\nThis story has been updated.", None),
        dated("b", "Union leader Tinmer said 131 employees joined the stoppage.", Some("2025-03-26")),
        dated("c", "Union leader Tinmer said 131 employees joined the stoppage.\nThis story has been updated.", None),
    ];
    assert!(Detector::new().cluster(&drift).unwrap().same_story(0, 2), "batch: a and c together");
    let s = stream_stories(&drift);
    assert_eq!(s[0], s[2], "stream: a and c apart: {s:?}");
}

/// Library bug (see above), *placement by average*: a copy matched to its
/// original with similarity 1 (a copy pair) still joins the story it is
/// most similar to *on average*. Here the original `r17`'s story, grown
/// loose by a merge, averages 0.277 for the copy `r50` (1.0, 0.241 and
/// 0.142 over 5 members), the one-member story of `r43` 0.289, so the copy
/// goes there.
/// The batch puts `r17` and `r50` together.
#[test]
#[ignore = "library bug: an exact copy can join another story than its original's (placement by average)"]
fn exact_copies_share_a_story_in_the_stream_despite_a_loose_story() {
    let average = [
        dated(
            "r6",
            "The main rival, Tinquil, conceded defeat late in the evening. Tinquil said the party would review its \
             campaign after winning 16 percent.",
            Some("2025-03-03"),
        ),
        dated(
            "r8",
            "The new council in Quilshavas will be sworn in next month. Quilvaslem won the mayoral election in \
             Quilshavas with 663 percent of the vote. Share this article with your friends.",
            Some("2025-03-04"),
        ),
        dated(
            "r17",
            "The main rival, Vishamer, conceded defeat late in the evening. Ruldoan promised to cut local taxes and \
             build 152 new homes. Share this article with your friends.",
            Some("2025-02-19"),
        ),
        dated(
            "r21",
            "Supporters of Quilvaslem gathered in the central square of Quilshavas to celebrate. Tinquil said the \
             party would review its campaign after winning 16 percent.",
            Some("2025-03-02"),
        ),
        dated(
            "r23",
            "Turnout in Quilshavas reached 16 percent, the electoral commission said.Tinquil said the party would \
             review its campaign after winning 16 percent.The main rival, Tinquil, conceded defeat late in the \
             evening.Brendorul, a political analyst, called the result a clear mandate.",
            None,
        ),
        dated("r43", "Ruldoan won the mayoral election in Petpet with 152 percent of the vote.", Some("2025-02-21")),
        dated(
            "r50",
            "The main rival, Vishamer, conceded defeat late in the evening. Ruldoan promised to cut local taxes and \
             build 152 new homes. Share this article with your friends.",
            Some("2025-02-19"),
        ),
    ];
    assert!(Detector::new().cluster(&average).unwrap().same_story(2, 6), "batch: r17 and r50 together");
    let s = stream_stories(&average);
    assert_eq!(s[2], s[6], "stream: r17 and r50 apart: {s:?}");
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// Prints the distribution of the agreement (and of each side's F1 against
/// the generated events) over `STREAM_MEASURE_CASES` corpora (default
/// 5,000) drawn from another fixed seed: how the bounds above were chosen.
#[test]
#[ignore = "a measurement: run with --ignored --nocapture"]
fn measure_agreement_distribution() {
    let n: u32 = std::env::var("STREAM_MEASURE_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(5000);
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[11; 32]);
    let mut runner = TestRunner::new_with_rng(RunnerConfig::default(), rng);
    let strategy = corpus();
    let mut rows: Vec<[f64; 4]> = Vec::new();
    let mut docs = 0usize;
    let (mut copies, mut apart, mut corpora_apart) = (0usize, 0usize, 0usize);
    for _ in 0..n {
        let c = strategy.new_tree(&mut runner).expect("a corpus").current();
        let o = run(&c);
        docs += o.batch.len();
        let pairs = exact_copies(&o.reports);
        let split = pairs.iter().filter(|&&(i, j)| o.stream[i] != o.stream[j]).count();
        copies += pairs.len();
        apart += split;
        corpora_apart += usize::from(split > 0);
        rows.push([
            pairwise_f1(&o.stream, &o.batch),
            ari(&o.stream, &o.batch),
            pairwise_f1(&o.batch, &o.gold),
            pairwise_f1(&o.stream, &o.gold),
        ]);
    }
    eprintln!("{n} corpora, {:.1} documents on average", docs as f64 / f64::from(n));
    eprintln!("exact-copy pairs: {copies}, in different stories in the stream: {apart} (in {corpora_apart} corpora)");
    for (k, what) in
        ["F1 stream vs batch", "ARI stream vs batch", "F1 batch vs events", "F1 stream vs events"].iter().enumerate()
    {
        let mut v: Vec<f64> = rows.iter().map(|r| r[k]).collect();
        v.sort_by(f64::total_cmp);
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        let below = |t: f64| v.iter().filter(|&&x| x < t).count();
        eprintln!(
            "{what}: min {:.3} p1 {:.3} p5 {:.3} p10 {:.3} p25 {:.3} median {:.3} mean {mean:.3}; below 0.8: {}, below 0.9: {}, exactly 1: {}",
            v[0],
            quantile(&v, 0.01),
            quantile(&v, 0.05),
            quantile(&v, 0.10),
            quantile(&v, 0.25),
            quantile(&v, 0.5),
            below(0.8),
            below(0.9),
            v.iter().filter(|&&x| x == 1.0).count(),
        );
    }
}
