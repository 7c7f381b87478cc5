//! Criterion benchmarks of every public pipeline stage, of the whole
//! [`Detector::cluster`] and of [`Tracker::add`].
//!
//! Text stages report `Throughput::Bytes` of the source text per language
//! sample (`benches/data/*.txt`, original prose written for this bench);
//! index, stage (`Detector::stages`: statistics, features, pair scores,
//! clustering a component) and whole-pipeline benches report
//! `Throughput::Elements`.
//!
//! As in tantivy's analyzer bench, every benched closure asserts a result
//! computed once before the loop (a token count, a set length, a sketch, a
//! cluster count), so a stage that breaks cannot bench as "fast".
//!
//! Run: `cargo bench --bench stages` (smoke test: `cargo bench --bench stages -- --test`).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use samestory::lsh::{BandIndex, HammingIndex, LshParams, band_keys};
use samestory::minhash::{MinHashKind, MinHasher};
use samestory::shingle::{ShingleSet, hash_tokens, shingle_hashes};
use samestory::simhash::{SimHash, SimHasher};
use samestory::text::{normalize_into, tokens};
use samestory::{
    CorpusStats, DEFAULT_SEED, Date, Detector, Document, Features, Linkage, PairScores, ScoredPair, Tracker,
};

/// Words per shingle (the detector's default).
const K: usize = 5;
/// MinHash slots (the detector's default).
const NUM_PERM: usize = 128;
const SEED: u64 = DEFAULT_SEED;

/// One sample per script family: Latin (two languages), Cyrillic, Arabic
/// (right-to-left), and three scripts written without spaces.
const SAMPLES: &[(&str, &str)] = &[
    ("english", include_str!("data/english.txt")),
    ("german", include_str!("data/german.txt")),
    ("russian", include_str!("data/russian.txt")),
    ("arabic", include_str!("data/arabic.txt")),
    ("chinese", include_str!("data/chinese.txt")),
    ("japanese", include_str!("data/japanese.txt")),
    ("thai", include_str!("data/thai.txt")),
];

// ---------------------------------------------------------------------------
// Deterministic synthetic inputs
// ---------------------------------------------------------------------------

/// A 64-bit LCG (Knuth's MMIX constants); the output takes the high half,
/// whose bits are the well-mixed ones.
struct Lcg(u64);

impl Lcg {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let hi = self.0 >> 32;
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (hi << 32) | (self.0 >> 32)
    }

    /// Uniform-ish in `0..n` (`n > 0`; the modulo bias is irrelevant here).
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `[lo, hi)`.
    fn range_f64(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
    }
}

/// Splits prose into sentences: after `.`, `!` or `?` (and an optional
/// closing quote) followed by whitespace, and at line ends (headlines).
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let mut start = 0;
        let mut it = line.char_indices().peekable();
        while let Some((i, c)) = it.next() {
            if !matches!(c, '.' | '!' | '?') {
                continue;
            }
            let mut end = i + c.len_utf8();
            if let Some(&(j, q)) = it.peek()
                && matches!(q, '”' | '"' | '’')
            {
                end = j + q.len_utf8();
                it.next();
            }
            if line[end..].starts_with(char::is_whitespace) {
                out.push(line[start..end].trim());
                start = end;
            }
        }
        if !line[start..].trim().is_empty() {
            out.push(line[start..].trim());
        }
    }
    out
}

/// A pronounceable invented word, capitalized (story names and places).
fn invented_name(rng: &mut Lcg) -> String {
    const SYL: &[&str] = &[
        "ka", "vor", "len", "dra", "mi", "tes", "ul", "bran", "ov", "ze", "ri", "pol", "an", "gu", "thi", "mar", "sel",
    ];
    let n = 2 + rng.below(2);
    let mut w: String = (0..n).map(|_| SYL[rng.below(SYL.len())]).collect();
    w[..1].make_ascii_uppercase();
    w
}

/// The corpus of the whole-pipeline bench: `STORIES × REPORTS` reports
/// (each a story-specific lead plus sentences of the English sample shuffled
/// by the LCG, about 2.5 KB) and `COPIES` planted copies of random reports
/// (site chrome added, one sentence dropped). Returns the documents and the
/// (copy, original) positions.
fn synthetic_corpus() -> (Vec<Document>, Vec<(u32, u32)>) {
    const STORIES: usize = 80;
    const REPORTS: usize = 5;
    const COPIES: usize = 100;
    const TARGET_BYTES: usize = 2500;
    let pool = sentences(SAMPLES[0].1);
    let mut rng = Lcg(0x5eed_0001);
    let mut docs = Vec::with_capacity(STORIES * REPORTS + COPIES);
    let mut bodies: Vec<Vec<String>> = Vec::with_capacity(STORIES * REPORTS);
    for story in 0..STORIES {
        let (who, place, thing) = (invented_name(&mut rng), invented_name(&mut rng), invented_name(&mut rng));
        let number = 100 + rng.below(9_000);
        let day = 19_600 + 2 * story as i32;
        for report in 0..REPORTS {
            let lead = match rng.below(3) {
                0 => format!(
                    "{who} told reporters in {place} that {number} people were affected by the {thing} decision."
                ),
                1 => format!("In {place}, the {thing} plan announced by {who} will affect {number} residents."),
                _ => format!("About {number} people in {place} face changes after {who} backed the {thing} proposal."),
            };
            let mut body = vec![lead];
            let mut order: Vec<usize> = (0..pool.len()).collect();
            for i in (1..order.len()).rev() {
                order.swap(i, rng.below(i + 1));
            }
            let mut len = body[0].len();
            for (n, &s) in order.iter().enumerate() {
                if len >= TARGET_BYTES {
                    break;
                }
                let sentence = if n % 4 == 3 {
                    format!("{} The {thing} case in {place} was raised again by {who}.", pool[s])
                } else {
                    pool[s].to_string()
                };
                len += sentence.len() + 1;
                body.push(sentence);
            }
            let title = format!("{place}: {who} and the {thing} question ({report})");
            let date = Date::from_days(day + rng.below(2) as i32);
            docs.push(Document::new(format!("s{story:02}r{report}"), body.join(" ")).with_title(title).with_date(date));
            bodies.push(body);
        }
    }
    let mut planted = Vec::with_capacity(COPIES);
    for c in 0..COPIES {
        let orig = rng.below(bodies.len());
        let mut body = bodies[orig].clone();
        if body.len() > 3 {
            body.remove(1 + rng.below(body.len() - 1));
        }
        let text = format!(
            "Home | News | Sport | Weather | Contact\n{}\nShare this article. Sign up for our daily newsletter.",
            body.join(" ")
        );
        let o = &docs[orig];
        let mut copy = Document::new(format!("copy{c:03}"), text);
        if let Some(t) = &o.title {
            copy = copy.with_title(t.clone());
        }
        if let Some(d) = o.date {
            copy = copy.with_date(d);
        }
        planted.push((docs.len() as u32, orig as u32));
        docs.push(copy);
    }
    (docs, planted)
}

/// `n` synthetic shingle sets in groups of four: a random base and three
/// variants with 10 %, 20 % and 40 % of the elements replaced.
fn synthetic_sets(n: usize) -> Vec<Vec<u64>> {
    const SIZE: usize = 300;
    let mut rng = Lcg(0x5eed_0002);
    let mut out: Vec<Vec<u64>> = Vec::with_capacity(n);
    while out.len() < n {
        let base: Vec<u64> = (0..SIZE).map(|_| rng.next_u64()).collect();
        for frac in [0.0, 0.1, 0.2, 0.4] {
            if out.len() == n {
                break;
            }
            let mut v = base.clone();
            let swaps = (SIZE as f64 * frac) as usize;
            for _ in 0..swaps {
                let i = rng.below(SIZE);
                v[i] = rng.next_u64();
            }
            v.sort_unstable();
            v.dedup();
            out.push(v);
        }
    }
    out
}

/// A sparse graph of `nodes` nodes with planted communities of eight:
/// 70 % of the `edges` inside a community (similarity 0.35–0.95), the rest
/// anywhere (0.02–0.4). Each pair appears once, as `(a, b)` with `a < b`.
fn synthetic_graph(nodes: usize, edges: usize) -> Vec<(u32, u32, f64)> {
    const COMMUNITY: usize = 8;
    let mut rng = Lcg(0x5eed_0004);
    let mut out = Vec::with_capacity(edges);
    let mut seen = std::collections::HashSet::with_capacity(edges);
    while out.len() < edges {
        let (a, b, w) = if out.len() % 10 < 7 {
            let base = rng.below(nodes / COMMUNITY) * COMMUNITY;
            (base + rng.below(COMMUNITY), base + rng.below(COMMUNITY), rng.range_f64(0.35, 0.95))
        } else {
            (rng.below(nodes), rng.below(nodes), rng.range_f64(0.02, 0.4))
        };
        let (a, b) = (a.min(b) as u32, a.max(b) as u32);
        if a != b && seen.insert((a, b)) {
            out.push((a, b, w));
        }
    }
    out
}

/// Number of distinct labels (labels are dense, so max + 1).
fn label_count(labels: &[u32]) -> usize {
    labels.iter().max().map_or(0, |&m| m as usize + 1)
}

fn shingle_set(text: &str) -> ShingleSet {
    let mut toks = Vec::new();
    hash_tokens(text, SEED, &mut toks);
    let mut sh = Vec::with_capacity(toks.len());
    shingle_hashes(&toks, K, SEED, &mut sh);
    ShingleSet::from_hashes(sh)
}

// ---------------------------------------------------------------------------
// Text stages (Throughput::Bytes per language)
// ---------------------------------------------------------------------------

fn bench_tokenize(c: &mut Criterion) {
    let mut group = c.benchmark_group("tokenize_normalize");
    for &(lang, text) in SAMPLES {
        let mut buf = String::new();
        let expected = tokens(text).fold((0usize, 0usize), |(n, b), t| {
            normalize_into(t.text, &mut buf);
            (n + 1, b + buf.len())
        });
        assert!(expected.0 > 100, "{lang}: only {} tokens", expected.0);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(lang), text, |b, text| {
            let mut buf = String::with_capacity(64);
            b.iter(|| {
                let (mut n, mut bytes) = (0usize, 0usize);
                for t in tokens(black_box(text)) {
                    normalize_into(t.text, &mut buf);
                    n += 1;
                    bytes += buf.len();
                }
                assert_eq!((n, bytes), expected);
                black_box(bytes)
            });
        });
    }
    group.finish();
}

fn bench_shingle(c: &mut Criterion) {
    let mut group = c.benchmark_group("hash_shingle");
    for &(lang, text) in SAMPLES {
        let expected = shingle_set(text).len();
        assert!(expected > 100, "{lang}: only {expected} shingles");
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(lang), text, |b, text| {
            let mut toks = Vec::with_capacity(4096);
            b.iter(|| {
                toks.clear();
                hash_tokens(black_box(text), SEED, &mut toks);
                let mut sh = Vec::with_capacity(toks.len());
                shingle_hashes(&toks, K, SEED, &mut sh);
                let set = ShingleSet::from_hashes(sh);
                assert_eq!(set.len(), expected);
                black_box(set)
            });
        });
    }
    group.finish();
}

fn bench_minhash(c: &mut Criterion) {
    for (name, kind) in [("minhash128_oph", MinHashKind::OnePermutation), ("minhash128_classic", MinHashKind::Classic)]
    {
        let hasher = MinHasher::with_kind(NUM_PERM, SEED, kind).expect("valid MinHash parameters");
        let mut group = c.benchmark_group(name);
        for &(lang, text) in SAMPLES {
            let set = shingle_set(text);
            let expected = hasher.sketch(set.as_slice());
            assert!(!expected.is_empty() && expected.slots().len() == NUM_PERM);
            group.throughput(Throughput::Bytes(text.len() as u64));
            group.bench_with_input(BenchmarkId::from_parameter(lang), &set, |b, set| {
                b.iter(|| {
                    let sketch = hasher.sketch(black_box(set.as_slice()));
                    assert!(!sketch.is_empty());
                    assert_eq!(sketch, expected);
                    black_box(sketch)
                });
            });
        }
        group.finish();
    }
}

fn bench_simhash(c: &mut Criterion) {
    let hasher = SimHasher::new(SEED);
    let mut group = c.benchmark_group("simhash");
    for &(lang, text) in SAMPLES {
        let set = shingle_set(text);
        let expected = hasher.hash_set(set.as_slice());
        assert_ne!(expected, SimHash::EMPTY, "{lang}");
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(lang), &set, |b, set| {
            b.iter(|| {
                let fp = hasher.hash_set(black_box(set.as_slice()));
                assert_eq!(fp, expected);
                black_box(fp)
            });
        });
    }
    group.finish();
}

// ---------------------------------------------------------------------------
// Index, pipeline-stage, batch and live benches (Throughput::Elements)
// ---------------------------------------------------------------------------

const SKETCHES: usize = 2000;

fn bench_lsh(c: &mut Criterion) {
    let hasher = MinHasher::new(NUM_PERM, SEED).expect("valid MinHash parameters");
    let params = LshParams::for_threshold(0.5, NUM_PERM).expect("valid LSH parameters");
    let sets = synthetic_sets(SKETCHES);
    let sketches: Vec<_> = sets.iter().map(|s| hasher.sketch(s)).collect();
    let keys: Vec<Vec<u64>> = sketches.iter().map(|s| band_keys(s, params, SEED).expect("128 slots")).collect();
    let key_total = SKETCHES * params.bands;
    assert_eq!(keys.iter().map(Vec::len).sum::<usize>(), key_total);

    let mut index = BandIndex::new(params.bands);
    for (i, k) in keys.iter().enumerate() {
        index.insert(i as u32, k);
    }
    let first_query = index.query(&keys[0]);
    assert!(first_query.contains(&0) && first_query.contains(&1), "{first_query:?}");
    let query_total: usize = keys.iter().map(|k| index.query(k).len()).sum();
    assert!(query_total > SKETCHES, "near-duplicates must collide: {query_total}");

    let mut group = c.benchmark_group("lsh_bands");
    group.throughput(Throughput::Elements(SKETCHES as u64));
    group.bench_function("band_keys", |b| {
        b.iter(|| {
            let mut n = 0;
            for s in &sketches {
                n += black_box(band_keys(black_box(s), params, SEED).expect("128 slots")).len();
            }
            assert_eq!(n, key_total);
        });
    });
    group.bench_function("insert", |b| {
        b.iter(|| {
            let mut idx = BandIndex::new(params.bands);
            for (i, k) in keys.iter().enumerate() {
                idx.insert(i as u32, black_box(k));
            }
            assert_eq!(idx.query(&keys[0]), first_query);
            black_box(idx)
        });
    });
    group.bench_function("query", |b| {
        b.iter(|| {
            let n: usize = keys.iter().map(|k| index.query(black_box(k)).len()).sum();
            assert_eq!(n, query_total);
            black_box(n)
        });
    });
    group.finish();

    let simhasher = SimHasher::new(SEED);
    let fps: Vec<SimHash> = sets.iter().map(|s| simhasher.hash_set(s)).collect();
    let mut hindex = HammingIndex::new(3);
    for (i, &fp) in fps.iter().enumerate() {
        hindex.insert(i as u32, fp);
    }
    let first_hamming = hindex.query(fps[0]);
    assert!(first_hamming.contains(&0));
    let hamming_total: usize = fps.iter().map(|&fp| hindex.query(fp).len()).sum();
    assert!(hamming_total >= SKETCHES);

    let mut group = c.benchmark_group("lsh_hamming");
    group.throughput(Throughput::Elements(SKETCHES as u64));
    group.bench_function("insert", |b| {
        b.iter(|| {
            let mut idx = HammingIndex::new(3);
            for (i, &fp) in fps.iter().enumerate() {
                idx.insert(i as u32, black_box(fp));
            }
            assert_eq!(idx.query(fps[0]), first_hamming);
            black_box(idx)
        });
    });
    group.bench_function("query", |b| {
        b.iter(|| {
            let n: usize = fps.iter().map(|&fp| hindex.query(black_box(fp)).len()).sum();
            assert_eq!(n, hamming_total);
            black_box(n)
        });
    });
    group.finish();
}

/// The synthetic corpus with its statistics (complete, compacted as
/// [`Detector::cluster`] compacts them) and features, for the stage benches.
struct StageInputs {
    docs: Vec<Document>,
    stats: CorpusStats,
    feats: Vec<Features>,
}

fn stage_inputs(detector: &Detector) -> StageInputs {
    let (docs, _) = synthetic_corpus();
    let stages = detector.stages();
    let mut stats = stages.learn(&docs).expect("valid corpus");
    stats.compact();
    let feats = stages.features(&docs, &stats).expect("valid corpus");
    StageInputs { docs, stats, feats }
}

/// Statistics, features and pair scores (`Stages::learn`,
/// `Stages::features`, `Stages::score`): the public stages that build and
/// compare the salient-term profiles (top-k terms, exact cosine) and the
/// sketches.
fn bench_stages(c: &mut Criterion) {
    let detector = Detector::new();
    let stages = detector.stages();
    let StageInputs { docs, stats, feats } = stage_inputs(&detector);
    let n = docs.len();
    let vocabulary = stages.learn(&docs).expect("valid corpus").vocabulary();
    assert_eq!(stats.docs(), n as u64);
    assert!(vocabulary > 500, "vocabulary {vocabulary}");
    let feature_bytes: Vec<Vec<u8>> = feats.iter().map(Features::to_bytes).collect();
    let pairs: Vec<(usize, usize)> = (0..n).flat_map(|i| [(i, (i + 1) % n), (i, (i + 5) % n)]).collect();
    let similarity_sum =
        |fs: &[Features]| pairs.iter().map(|&(a, b)| f64::from(stages.score(&fs[a], &fs[b]).similarity)).sum::<f64>();
    let expected_sum = similarity_sum(&feats);
    assert!(expected_sum > 0.0);

    let mut group = c.benchmark_group("stages");
    group.sample_size(10).sampling_mode(SamplingMode::Flat).measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function("learn_500docs", |b| {
        b.iter(|| {
            let s = stages.learn(black_box(&docs)).expect("valid corpus");
            assert_eq!(s.vocabulary(), vocabulary);
            black_box(s)
        });
    });
    group.bench_function("features_500docs", |b| {
        b.iter(|| {
            let fs = stages.features(black_box(&docs), &stats).expect("valid corpus");
            assert_eq!(fs.len(), n);
            assert_eq!(fs[n - 1].to_bytes(), feature_bytes[n - 1]);
            black_box(fs)
        });
    });
    group.finish();

    let mut group = c.benchmark_group("stages");
    group.throughput(Throughput::Elements(pairs.len() as u64));
    group.bench_function("score", |b| {
        b.iter(|| {
            let s = similarity_sum(black_box(&feats));
            assert_eq!(s.to_bits(), expected_sum.to_bits());
            s
        });
    });
    group.finish();
}

/// `Stages::cluster_component` on one large sparse component, by average
/// linkage (with the default cohesion guard) and single linkage.
fn bench_cluster(c: &mut Criterion) {
    const NODES: usize = 5000;
    const EDGES: usize = 20_000;
    const THRESHOLD: f64 = 0.3;
    let pairs: Vec<ScoredPair> = synthetic_graph(NODES, EDGES)
        .into_iter()
        .map(|(a, b, w)| ScoredPair { a, b, scores: PairScores { similarity: w as f32, ..PairScores::default() } })
        .collect();
    let weights = vec![1u64; NODES];
    let mut group = c.benchmark_group("cluster_component");
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(EDGES as u64));
    for (name, linkage) in [("average", Linkage::Average), ("single", Linkage::Single)] {
        let detector =
            Detector::builder().story_threshold(THRESHOLD).linkage(linkage).build().expect("valid parameters");
        let stages = detector.stages();
        let expected = label_count(&stages.cluster_component(&weights, &pairs).expect("valid component"));
        assert!(expected > 1 && expected < NODES, "{name}: {expected} clusters");
        group.bench_function(name, |b| {
            b.iter(|| {
                let labels = stages.cluster_component(&weights, black_box(&pairs)).expect("valid component");
                assert_eq!(labels.len(), NODES);
                assert_eq!(label_count(&labels), expected);
                black_box(labels)
            });
        });
    }
    group.finish();
}

/// The whole batch pipeline ([`Detector::cluster`]) and the live one
/// ([`Tracker::add`], one document at a time) on the synthetic corpus.
fn bench_detector(c: &mut Criterion) {
    let (docs, planted) = synthetic_corpus();
    let detector = Detector::new();
    let clustering = detector.cluster(&docs).expect("valid corpus");
    let expected = clustering.clusters().len();
    assert!(expected > 1 && expected < docs.len(), "{expected} clusters of {} documents", docs.len());
    for &(copy, orig) in &planted {
        assert!(clustering.same_story(copy, orig), "planted copy {copy} lost its original {orig}");
    }
    let track = |docs: Vec<Document>| {
        let mut tracker = Tracker::new(detector.clone());
        let mut new_stories = 0usize;
        for doc in docs {
            new_stories += usize::from(tracker.add(doc).expect("unique ids").new_story);
        }
        (tracker, new_stories)
    };
    let (tracker, expected_new) = track(docs.clone());
    let expected_stories = tracker.stories().count();
    assert_eq!(tracker.len(), docs.len());
    assert!(expected_stories > 1 && expected_stories < docs.len(), "{expected_stories} live stories");
    for &(copy, orig) in &planted {
        let story = |i: u32| tracker.story_of(&docs[i as usize].id);
        assert_eq!(story(copy), story(orig), "live: planted copy {copy} lost its original {orig}");
    }
    drop(tracker);
    let bytes: usize = docs.iter().map(Document::size).sum();
    eprintln!(
        "detector corpus: {} documents ({} planted copies), {bytes} bytes, {} scored pairs, {expected} clusters, \
         {expected_stories} live stories",
        docs.len(),
        planted.len(),
        clustering.pairs().len(),
    );
    let mut group = c.benchmark_group("detector");
    group.sample_size(10).sampling_mode(SamplingMode::Flat).measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(docs.len() as u64));
    group.bench_function("cluster_500docs", |b| {
        b.iter(|| {
            let clustering = detector.cluster(black_box(&docs)).expect("valid corpus");
            assert_eq!(clustering.clusters().len(), expected);
            black_box(clustering)
        });
    });
    group.finish();

    let mut group = c.benchmark_group("tracker");
    group.sample_size(10).sampling_mode(SamplingMode::Flat).measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(docs.len() as u64));
    group.bench_function("add_500docs", |b| {
        b.iter_batched(
            || docs.clone(),
            |docs| {
                let (tracker, new_stories) = track(black_box(docs));
                assert_eq!(new_stories, expected_new);
                assert_eq!(tracker.stories().count(), expected_stories);
                tracker
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

/// The groups live in a private module: `criterion_group!` defines `pub fn`s.
mod groups {
    use super::*;

    criterion_group! {
        name = text_stages;
        config = config();
        targets = bench_tokenize, bench_shingle, bench_minhash, bench_simhash
    }
    criterion_group! {
        name = index_stages;
        config = config();
        targets = bench_lsh, bench_stages, bench_cluster, bench_detector
    }
}
criterion_main!(groups::text_stages, groups::index_stages);
