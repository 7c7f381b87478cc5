//! The seed pair: the two real pages about Putin showing Kim Jong Un the
//! Vostochny Cosmodrome (`demo/seeds/`) must form one story of exactly two
//! documents, next to the demo corpus's hard negatives, and inside a large
//! unrelated corpus when one is available.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use samestory::io::{ReadOptions, read_jsonl, read_txt_dir};
use samestory::{Clustering, Detector, Document, Tracker};

const SEED_IDS: [&str; 2] = ["000_9a7db994ef940da5.txt", "001_6a2f0ebee5de1c9f.txt"];

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn seeds() -> Vec<Document> {
    let corpus = read_txt_dir(&manifest_dir().join("demo/seeds")).expect("demo/seeds is readable");
    let ids: Vec<&str> = corpus.docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, SEED_IDS, "demo/seeds should hold exactly the two seed pages");
    corpus.docs
}

fn demo_articles() -> Vec<Document> {
    let path = manifest_dir().join("demo/articles.jsonl");
    let file = File::open(&path).expect("demo/articles.jsonl exists");
    let corpus = read_jsonl(BufReader::new(file), &path, ReadOptions::default()).expect("demo corpus is valid");
    assert!(corpus.skipped.is_empty());
    assert_eq!(corpus.docs.len(), 13);
    corpus.docs
}

fn position(docs: &[Document], id: &str) -> u32 {
    docs.iter().position(|d| d.id == id).unwrap_or_else(|| panic!("no document {id:?}")) as u32
}

/// The ids in the cluster of document `i`.
fn cluster_ids<'a>(c: &Clustering, docs: &'a [Document], i: u32) -> Vec<&'a str> {
    c.clusters()[c.labels()[i as usize] as usize].iter().map(|&m| docs[m as usize].id.as_str()).collect()
}

/// The seeds followed by the demo articles, clustered in one batch.
fn demo_batch() -> (Vec<Document>, Clustering) {
    let mut docs = seeds();
    docs.extend(demo_articles());
    let c = Detector::new().cluster(&docs).unwrap();
    (docs, c)
}

/// Explains a pair for assertion messages.
fn pair(c: &Clustering, docs: &[Document], a: &str, b: &str) -> String {
    let (i, j) = (position(docs, a), position(docs, b));
    format!("{a} ~ {b}: {:?}; labels {:?}", c.scores(i, j), c.labels())
}

#[test]
fn demo_seeds_share_a_story() {
    let (docs, c) = demo_batch();
    let (s0, s1) = (position(&docs, SEED_IDS[0]), position(&docs, SEED_IDS[1]));
    assert!(c.same_story(s0, s1), "{}", pair(&c, &docs, SEED_IDS[0], SEED_IDS[1]));
}

// Seed 000 carries no date in its page; it inherits seed 001's (similarity
// 0.72). `kim-shoigu-pyongyang-july` (2023-07-27) has profile cosine 0.40 and
// 0.41 with the seeds, 48 days apart: × outside_window_factor 0.5 that is
// 0.20 and 0.205, average below story_threshold 0.21 (at factor 0.55 average
// linkage would add the hard negative to the seeds' cluster).
#[test]
fn demo_seeds_cluster_is_exactly_the_two_seeds() {
    let (docs, c) = demo_batch();
    assert_eq!(cluster_ids(&c, &docs, position(&docs, SEED_IDS[0])), SEED_IDS, "the seeds' cluster");
}

#[test]
fn demo_kim_shoigu_is_not_with_the_seeds() {
    let (docs, c) = demo_batch();
    let shoigu = position(&docs, "kim-shoigu-pyongyang-july");
    for seed in SEED_IDS {
        assert!(!c.same_story(shoigu, position(&docs, seed)), "{}", pair(&c, &docs, "kim-shoigu-pyongyang-july", seed));
    }
}

#[test]
fn demo_alarabiya_pages_stay_apart() {
    // Both wear seed 000's site chrome: boilerplate must not pull them in.
    let (docs, c) = demo_batch();
    let arabiya = ["alarabiya-sahra-airbus-order", "alarabiya-kuwait-power-record"];
    for a in arabiya {
        for seed in SEED_IDS {
            assert!(!c.same_story(position(&docs, a), position(&docs, seed)), "{}", pair(&c, &docs, a, seed));
        }
    }
    assert!(
        !c.same_story(position(&docs, arabiya[0]), position(&docs, arabiya[1])),
        "{}",
        pair(&c, &docs, arabiya[0], arabiya[1])
    );
}

// 2023-04-03 and 2023-09-25 are 175 days apart, outside the 14-day window,
// which only discounts: cosine 0.39 × 0.5 = 0.195 < 0.21 keeps them apart
// (at factor 0.7, 0.27 would join them).
#[test]
fn demo_chile_quakes_stay_apart() {
    let (docs, c) = demo_batch();
    let (a, b) = ("chile-quake-iquique-april", "chile-quake-curico-september");
    assert!(!c.same_story(position(&docs, a), position(&docs, b)), "{}", pair(&c, &docs, a, b));
}

#[test]
fn demo_ferry_reports_are_one_story() {
    // Written independently: no shared 5-shingle, only names and numbers.
    let (docs, c) = demo_batch();
    let (a, b) = ("ferry-fire-sulawesi-wire", "ferry-fire-sulawesi-harbourtimes");
    assert!(c.same_story(position(&docs, a), position(&docs, b)), "{}", pair(&c, &docs, a, b));
}

/// Adds the seeds, then the articles, one at a time in file order.
fn demo_streaming() -> (Tracker, Vec<samestory::Assignment>) {
    let mut tracker = Tracker::new(Detector::new());
    let assignments = seeds().into_iter().chain(demo_articles()).map(|d| tracker.add(d).unwrap()).collect();
    (tracker, assignments)
}

#[test]
fn seeds_share_a_story_when_streaming() {
    let (tracker, assignments) = demo_streaming();
    let story = tracker.story_of(SEED_IDS[0]).unwrap();
    assert_eq!(tracker.story_of(SEED_IDS[1]), Some(story));
    assert!(assignments[0].new_story);
    assert!(!assignments[1].new_story, "the second seed should join the first: {:?}", assignments[1]);
    assert_eq!(assignments[1].matches[0].id, SEED_IDS[0]);
}

#[test]
fn seeds_story_is_exactly_the_seeds_when_streaming() {
    let (tracker, _) = demo_streaming();
    let story = tracker.story_of(SEED_IDS[0]).unwrap();
    assert_eq!(tracker.story(story).unwrap().members, SEED_IDS, "nothing else joins the seeds' story");
}

fn gva_dev() -> Option<PathBuf> {
    let path = manifest_dir().join("../shared/data/gva-incidents/dev.jsonl");
    path.is_file().then_some(path)
}

#[test]
fn seeds_stay_a_pair_inside_gva_dev() {
    let Some(path) = gva_dev() else {
        eprintln!("skipped: ../shared/data/gva-incidents/dev.jsonl not found");
        return;
    };
    let file = File::open(&path).unwrap();
    let corpus = read_jsonl(BufReader::new(file), &path, ReadOptions::default()).unwrap();
    assert!(corpus.docs.len() > 100, "dev.jsonl looks truncated: {} docs", corpus.docs.len());
    // Ids are replaced by positions, so nothing in an id (a hash of the page,
    // say) can carry information; the reader already drops the labels.
    let mut docs: Vec<Document> =
        corpus.docs.into_iter().enumerate().map(|(i, d)| Document { id: i.to_string(), ..d }).collect();
    let n = docs.len();
    docs.extend(seeds());
    let c = Detector::new().cluster(&docs).unwrap();
    assert_eq!(cluster_ids(&c, &docs, n as u32), SEED_IDS, "the seeds' cluster among {n} GVA pages");
}

/// On the demo corpus, streaming gives exactly the batch clusters.
#[test]
fn demo_stream_equals_batch() {
    let (docs, c) = demo_batch();
    let (tracker, _) = demo_streaming();
    for (i, a) in docs.iter().enumerate() {
        for (j, b) in docs.iter().enumerate().skip(i + 1) {
            let stream = tracker.story_of(&a.id) == tracker.story_of(&b.id);
            assert_eq!(
                stream,
                c.same_story(i as u32, j as u32),
                "{} and {}: stream {stream}, batch {}",
                a.id,
                b.id,
                !stream
            );
        }
    }
}

/// The undated seed page arrives after the July Kim/Shoigu report and
/// before the dated seed: it first joins the July story (profile cosine
/// 0.39, no date to discount it), then, when the dated seed arrives and
/// passes it its date, the July story is re-clustered and the seeds split
/// off together, as batch clustering groups them.
#[test]
fn undated_seed_moves_out_of_an_older_story_when_its_date_arrives() {
    let articles = demo_articles();
    let shoigu = articles.iter().find(|d| d.id == "kim-shoigu-pyongyang-july").expect("demo article").clone();
    let seeds = seeds();
    assert!(seeds[0].date.is_none());
    let mut d = Tracker::new(Detector::new());
    let july = d.add(shoigu).unwrap();
    let first = d.add(seeds[0].clone()).unwrap();
    assert_eq!(first.story, july.story, "without a date the seed page joins the July story: {first:?}");
    let second = d.add(seeds[1].clone()).unwrap();
    assert_eq!(second.split_off.len(), 1, "{second:?}");
    assert_eq!(second.story, second.split_off[0]);
    assert_eq!(d.story(second.story).unwrap().members, SEED_IDS);
    assert_eq!(d.story(july.story).unwrap().members, ["kim-shoigu-pyongyang-july"], "the July story keeps its id");
}

/// README's figure: the two raw seed pages (site chrome included) share
/// only about a ninth of their word 5-shingles.
#[test]
fn raw_seed_pages_have_word_5_shingle_jaccard_0_11() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/seeds");
    let a = std::fs::read_to_string(dir.join("000_9a7db994ef940da5.txt")).unwrap();
    let b = std::fs::read_to_string(dir.join("001_6a2f0ebee5de1c9f.txt")).unwrap();
    let (sa, sb) = (
        samestory::shingle::ShingleSet::of_text(&a, 5, samestory::DEFAULT_SEED),
        samestory::shingle::ShingleSet::of_text(&b, 5, samestory::DEFAULT_SEED),
    );
    let j = sa.jaccard(&sb);
    assert!((0.105..0.115).contains(&j), "word 5-shingle Jaccard {j}");
}
