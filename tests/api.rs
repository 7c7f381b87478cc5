//! The public API as a user writes it: thread safety, parameter validation,
//! errors that name what was wrong, empty input, live tracking, reading
//! files, the stages run by hand, dates.

use std::path::Path;

use samestory::io::{BadLine, Corpus, ReadOptions, read_jsonl, read_path};
use samestory::lsh::{BandIndex, HammingIndex, LshParams, TermIndex};
use samestory::minhash::{MinHashKind, MinHashSketch, MinHasher};
use samestory::shingle::ShingleSet;
use samestory::simhash::{SimHash, SimHasher};
use samestory::stages::Stages;
use samestory::{
    Assignment, Clustering, CohesionGuard, CorpusStats, Date, Detector, DetectorBuilder, Document, Error, ErrorKind,
    Explanation, Features, Linkage, Match, PairScores, Params, Placement, ScoredPair, SharedTerm, Story, StoryId,
    Tracker,
};

const KIM: &str = "Russian President Vladimir Putin showed North Korean leader Kim Jong Un around the \
    Vostochny Cosmodrome on Wednesday, and said Moscow would help Pyongyang build satellites. The two \
    leaders toured the Angara rocket assembly hangar before talks that lasted more than four hours, \
    according to the Kremlin, which said weapons supplies were not discussed in public.";

const KIM_EDITED: &str = "Russian President Vladimir Putin showed North Korean leader Kim Jong Un around the \
    Vostochny Cosmodrome on Wednesday, and said Moscow would help Pyongyang build satellites. The two \
    leaders toured the Soyuz rocket assembly hangar before talks that lasted more than five hours, \
    according to the Kremlin, which said weapons supplies were not discussed in public.";

const BAKERY: &str = "Hatton's Bakery on Church Street reopened on Saturday, five months after floodwater \
    from the River Mill ruined its ovens. Owner Priya Hatton said regulars queued from seven in the \
    morning for the first loaves, and the town council's recovery grant covered a third of the repairs.";

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn public_types_are_send_and_sync() {
    assert_send_sync::<Detector>();
    assert_send_sync::<DetectorBuilder>();
    assert_send_sync::<Tracker>();
    assert_send_sync::<Stages<'static>>();
    assert_send_sync::<Params>();
    assert_send_sync::<Explanation>();
    assert_send_sync::<SharedTerm>();
    assert_send_sync::<Placement>();
    assert_send_sync::<Story<'static>>();
    assert_send_sync::<Document>();
    assert_send_sync::<Clustering>();
    assert_send_sync::<PairScores>();
    assert_send_sync::<ScoredPair>();
    assert_send_sync::<Features>();
    assert_send_sync::<CorpusStats>();
    assert_send_sync::<MinHasher>();
    assert_send_sync::<MinHashSketch>();
    assert_send_sync::<MinHashKind>();
    assert_send_sync::<ShingleSet>();
    assert_send_sync::<SimHash>();
    assert_send_sync::<SimHasher>();
    assert_send_sync::<Error>();
    assert_send_sync::<ErrorKind>();
    assert_send_sync::<Assignment>();
    assert_send_sync::<Match>();
    assert_send_sync::<StoryId>();
    assert_send_sync::<Date>();
    assert_send_sync::<Linkage>();
    assert_send_sync::<CohesionGuard>();
    assert_send_sync::<BandIndex>();
    assert_send_sync::<HammingIndex>();
    assert_send_sync::<TermIndex>();
    assert_send_sync::<LshParams>();
    assert_send_sync::<Corpus>();
    assert_send_sync::<ReadOptions>();
    assert_send_sync::<BadLine>();
    assert_send_sync::<samestory::text::Token<'static>>();
    assert_send_sync::<samestory::text::Tokens<'static>>();
}

#[test]
fn error_is_a_std_error_usable_with_question_mark() {
    fn boxed() -> Result<(), Box<dyn std::error::Error + Send + Sync + 'static>> {
        Date::parse("not a date")?;
        Ok(())
    }
    let e = boxed().unwrap_err();
    assert!(e.to_string().contains("not a date"), "{e}");
}

#[test]
fn detector_can_be_shared_across_threads() {
    let detector = Detector::new();
    let docs = vec![Document::new("a", KIM), Document::new("b", KIM_EDITED), Document::new("c", BAKERY)];
    let want = detector.cluster(&docs).unwrap();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..2).map(|_| s.spawn(|| detector.cluster(&docs).unwrap())).collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), want);
        }
    });
}

/// Builds and returns the name of the rejected parameter; fails when the
/// builder accepts the value or returns another kind of error.
fn rejected(builder: &DetectorBuilder) -> &'static str {
    match builder.build() {
        Ok(_) => panic!("invalid parameters were accepted: {builder:?}"),
        Err(e) => {
            let message = e.to_string();
            match e.kind() {
                ErrorKind::InvalidParameter { name, reason } => {
                    assert!(!reason.is_empty());
                    assert!(message.contains(name), "{message:?} does not name {name}");
                    name
                }
                other => panic!("expected InvalidParameter, got {other:?}"),
            }
        }
    }
}

macro_rules! rejects {
    ($($($setter:ident($value:expr)).+ => $name:literal;)*) => {$(
        let mut b = Detector::builder();
        b$(.$setter($value))+;
        assert_eq!(rejected(&b), $name, "{}", stringify!($($setter($value)).+));
    )*};
}

#[test]
fn builder_rejects_each_bad_parameter_by_name() {
    rejects! {
        story_threshold(0.0) => "story_threshold";
        story_threshold(-0.2) => "story_threshold";
        story_threshold(1.5) => "story_threshold";
        story_threshold(f64::NAN) => "story_threshold";
        story_threshold(f64::INFINITY) => "story_threshold";
        copy_threshold(0.0) => "copy_threshold";
        copy_threshold(1.0) => "copy_threshold";
        copy_threshold(1.5) => "copy_threshold";
        copy_threshold(f64::NAN) => "copy_threshold";
        containment_threshold(0.0) => "containment_threshold";
        containment_threshold(1.5) => "containment_threshold";
        containment_threshold(f64::NAN) => "containment_threshold";
        candidate_df_fraction(0.0) => "candidate_df_fraction";
        candidate_df_fraction(f64::NAN) => "candidate_df_fraction";
        num_perm(0) => "num_perm";
        num_perm(5000) => "num_perm";
        shingle_size(0) => "shingle_size";
        shingle_size(17) => "shingle_size";
        profile_terms(0) => "profile_terms";
        candidate_terms(0) => "candidate_terms";
        candidate_terms(49) => "candidate_terms";
        profile_terms(8).candidate_terms(9) => "candidate_terms";
        boilerplate_min_docs(1) => "boilerplate_min_docs";
        boilerplate_min_docs(0) => "boilerplate_min_docs";
        simhash_distance(17) => "simhash_distance";
        title_weight(0.0) => "title_weight";
        title_weight(f64::NAN) => "title_weight";
        name_boost(-1.0) => "name_boost";
        number_boost(f64::INFINITY) => "number_boost";
        outside_window_factor(-0.1) => "outside_window_factor";
        outside_window_factor(1.5) => "outside_window_factor";
        outside_window_factor(f64::NAN) => "outside_window_factor";
        max_document_bytes(0) => "max_document_bytes";
        max_documents(0) => "max_documents";
        cohesion_guard(Some(CohesionGuard { ratio: -0.1, min_size: 5 })) => "cohesion_guard";
        cohesion_guard(Some(CohesionGuard { ratio: f64::NAN, min_size: 5 })) => "cohesion_guard";
        cohesion_guard(Some(CohesionGuard { ratio: 0.9, min_size: 1 })) => "cohesion_guard";
    }
}

#[test]
fn builder_accepts_edge_values() {
    for b in [
        Detector::builder().story_threshold(1.0).clone(),
        Detector::builder().num_perm(1).clone(),
        Detector::builder().shingle_size(16).clone(),
        Detector::builder().shingle_size(1).clone(),
        Detector::builder().candidate_terms(48).clone(),
        Detector::builder().boilerplate_min_docs(2).clone(),
        Detector::builder().simhash_distance(16).clone(),
        Detector::builder().copy_threshold(0.9).num_perm(64).clone(),
        Detector::builder().date_window_days(None).linkage(Linkage::Single).clone(),
    ] {
        let d = b.build().unwrap_or_else(|e| panic!("{b:?}: {e}"));
        assert!(d.cluster(&[Document::new("a", KIM)]).is_ok());
    }
    assert_eq!(Detector::builder().story_threshold(0.4).build().unwrap().params().story.threshold, 0.4);
}

fn kind_of<T: std::fmt::Debug>(r: Result<T, Error>) -> ErrorKind {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => {
            // Every error message names something; never empty.
            assert!(!e.to_string().is_empty());
            match e.kind() {
                ErrorKind::DuplicateId { id } => ErrorKind::DuplicateId { id: id.clone() },
                ErrorKind::DocumentTooLarge { id, bytes, limit } => {
                    assert!(e.to_string().contains(id.as_str()));
                    ErrorKind::DocumentTooLarge { id: id.clone(), bytes: *bytes, limit: *limit }
                }
                ErrorKind::TooManyDocuments { limit } => ErrorKind::TooManyDocuments { limit: *limit },
                other => panic!("unexpected error kind {other:?}"),
            }
        }
    }
}

#[test]
fn duplicate_ids_are_rejected_in_batch_and_streaming() {
    let d = Detector::new();
    let docs = [Document::new("a", KIM), Document::new("b", BAKERY), Document::new("a", KIM_EDITED)];
    assert!(matches!(kind_of(d.cluster(&docs)), ErrorKind::DuplicateId { id } if id == "a"));

    let mut t = Tracker::new(Detector::new());
    t.add(Document::new("a", KIM)).unwrap();
    let before = t.to_bytes();
    assert!(matches!(kind_of(t.add(Document::new("a", BAKERY))), ErrorKind::DuplicateId { id } if id == "a"));
    assert!(matches!(kind_of(t.query(&Document::new("a", BAKERY))), ErrorKind::DuplicateId { id } if id == "a"));
    assert_eq!(t.len(), 1, "a rejected document must leave the tracker unchanged");
    assert_eq!(t.to_bytes(), before);
    assert_eq!(t.story(t.story_of("a").unwrap()).unwrap().members, ["a"]);
}

#[test]
fn oversized_documents_are_rejected_in_batch_and_streaming() {
    let d = Detector::builder().max_document_bytes(20).build().unwrap();
    let ok = Document::new("ok", "twenty bytes exactly");
    assert_eq!(ok.size(), 20);
    let big = Document::new("big", "twenty-one bytes here");
    let titled = Document::new("titled", "ten bytes!").with_title("eleven byte");
    assert!(d.cluster(std::slice::from_ref(&ok)).is_ok());
    for doc in [big, titled] {
        let id = doc.id.clone();
        let k = kind_of(d.cluster(&[ok.clone(), doc.clone()]));
        assert!(matches!(&k, ErrorKind::DocumentTooLarge { id: i, bytes: 21, limit: 20 } if *i == id), "{k:?}");
        let mut s = Tracker::new(d.clone());
        s.add(ok.clone()).unwrap();
        let k = kind_of(s.query(&doc));
        assert!(matches!(&k, ErrorKind::DocumentTooLarge { id: i, bytes: 21, limit: 20 } if *i == id), "{k:?}");
        let k = kind_of(s.add(doc));
        assert!(matches!(&k, ErrorKind::DocumentTooLarge { id: i, bytes: 21, limit: 20 } if *i == id), "{k:?}");
        assert_eq!(s.len(), 1);
        assert_eq!(s.story_of(&id), None);
    }
}

#[test]
fn too_many_documents_are_rejected() {
    let d = Detector::builder().max_documents(2).build().unwrap();
    let docs = [Document::new("a", KIM), Document::new("b", BAKERY), Document::new("c", KIM_EDITED)];
    assert!(matches!(kind_of(d.cluster(&docs)), ErrorKind::TooManyDocuments { limit: 2 }));
    assert!(d.cluster(&docs[..2]).is_ok());
    let mut t = Tracker::new(d);
    t.add(docs[0].clone()).unwrap();
    t.add(docs[1].clone()).unwrap();
    assert!(matches!(kind_of(t.query(&docs[2])), ErrorKind::TooManyDocuments { limit: 2 }));
    assert!(matches!(kind_of(t.add(docs[2].clone())), ErrorKind::TooManyDocuments { limit: 2 }));
    assert_eq!(t.len(), 2);
}

#[test]
fn empty_batch_gives_empty_clustering() {
    let c = Detector::new().cluster(&[]).unwrap();
    assert!(c.labels().is_empty() && c.clusters().is_empty() && c.pairs().is_empty());
    assert_eq!(c.stories().count(), 0);
    assert!(c.is_empty() && c.ids().is_empty() && c.skipped().is_empty());
    assert_eq!(c.label_of(0), None);
    assert_eq!(c.representative(0), None);
    assert_eq!(c.scores(0, 1), None);
    assert!(!c.same_story(0, 1));
    assert_eq!(c.labels_at(0.5, Linkage::Average).unwrap(), Vec::<u32>::new());
}

const EMPTIES: [&str; 8] = ["", "", " ", "   ", "\n\n", "\t \r\n ", "...", "“ ” — !"];

#[test]
fn empty_documents_are_singletons_in_batch() {
    let mut docs: Vec<Document> =
        EMPTIES.iter().enumerate().map(|(i, t)| Document::new(format!("empty-{i}"), *t)).collect();
    // Real documents in the same batch still cluster, and empties stay out.
    docs.push(Document::new("kim", KIM));
    docs.push(Document::new("kim-copy", KIM));
    docs.push(Document::new("bakery", BAKERY));
    let n = EMPTIES.len() as u32;
    let c = Detector::new().cluster(&docs).unwrap();
    for i in 0..n {
        assert_eq!(c.clusters()[c.labels()[i as usize] as usize], [i], "empty doc {i} is not a singleton");
        for j in 0..docs.len() as u32 {
            if let Some(s) = c.scores(i, j) {
                assert!(!s.copy && s.similarity == 0.0, "empty doc {i} scored against {j}: {s:?}");
            }
        }
    }
    assert!(c.same_story(n, n + 1));
    assert!(!c.same_story(n, n + 2));
    assert_eq!(c.stories().count(), 1);
    // Same with the empties alone.
    let c = Detector::new().cluster(&docs[..n as usize]).unwrap();
    assert_eq!(c.labels(), (0..n).collect::<Vec<_>>());
}

#[test]
fn empty_documents_are_singletons_when_streaming() {
    let mut d = Tracker::new(Detector::new());
    let mut stories = Vec::new();
    for (i, t) in EMPTIES.iter().enumerate() {
        let a = d.add(Document::new(format!("empty-{i}"), *t)).unwrap();
        assert!(a.new_story && a.matches.is_empty(), "empty doc {i}: {a:?}");
        stories.push(a.story);
    }
    let real = d.add(Document::new("kim", KIM)).unwrap();
    assert!(real.new_story && real.matches.is_empty(), "{real:?}");
    stories.push(real.story);
    stories.sort();
    stories.dedup();
    assert_eq!(stories.len(), EMPTIES.len() + 1, "story ids must not repeat");
}

#[test]
fn streaming_near_copy_joins_and_unrelated_starts_a_story() {
    let mut d = Tracker::new(Detector::new());
    assert!(d.is_empty());
    let a = d.add(Document::new("kim", KIM)).unwrap();
    assert!(a.new_story && a.matches.is_empty());

    let b = d.add(Document::new("kim-edited", KIM_EDITED)).unwrap();
    assert!(!b.new_story, "{b:?}");
    assert_eq!(b.story, a.story);
    let m = &b.matches[0];
    assert_eq!((m.id.as_str(), m.story), ("kim", a.story));
    assert!(m.scores.copy && m.scores.similarity as f64 >= d.detector().params().story.threshold, "{:?}", m.scores);

    let c = d.add(Document::new("bakery", BAKERY)).unwrap();
    assert!(c.new_story, "{c:?}");
    assert_ne!(c.story, a.story);

    let copy = d.add(Document::new("bakery-reprint", BAKERY).with_source("other.example")).unwrap();
    assert_eq!(copy.story, c.story);
    assert_eq!(copy.matches[0].scores.jaccard, 1.0);

    assert_eq!(d.len(), 4);
    assert_eq!(d.story_of("kim-edited"), Some(a.story));
    assert_eq!(d.story_of("nope"), None);
    assert_eq!(d.story(a.story), Some(Story { id: a.story, members: vec!["kim", "kim-edited"] }));
    assert_eq!(d.story(c.story).unwrap().members, ["bakery", "bakery-reprint"]);
    assert!(d.story(StoryId(u64::MAX)).is_none());
    let all: Vec<Story<'_>> = d.stories().collect();
    assert_eq!(all.iter().map(|s| s.id).collect::<Vec<_>>(), [a.story, c.story]);
}

#[test]
fn batch_agrees_with_streaming_on_a_clear_case() {
    let docs = [Document::new("kim", KIM), Document::new("bakery", BAKERY), Document::new("kim-edited", KIM_EDITED)];
    let c = Detector::new().cluster(&docs).unwrap();
    assert_eq!(c.labels(), [0, 1, 0]);
    let s = c.scores(2, 0).unwrap();
    assert!(s.copy && s.jaccard > 0.5 && s.containment >= s.jaccard, "{s:?}");
    assert_eq!(c.stories().collect::<Vec<_>>(), [&[0u32, 2][..]]);
}

#[test]
fn date_parse_accepts_iso_dates() {
    for (text, ymd) in [
        ("2023-09-13", (2023, 9, 13)),
        (" 2023-09-13 ", (2023, 9, 13)),
        ("2023-09-13T10:00:00Z", (2023, 9, 13)),
        ("2024-02-29", (2024, 2, 29)),
        ("1000-01-01", (1000, 1, 1)),
        ("9999-12-31", (9999, 12, 31)),
    ] {
        let d = Date::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(d.ymd(), ymd, "{text:?}");
    }
    let (a, b) = (Date::parse("2023-09-13").unwrap(), Date::parse("2023-10-13").unwrap());
    assert_eq!(b.days_since(a), 30);
    assert_eq!(Date::from_ymd(1970, 1, 1).unwrap().days(), 0);
}

#[test]
fn date_parse_errors_name_the_text() {
    for text in [
        "",
        "   ",
        "13/09/2023",
        "2023/09/13",
        "2023-13-01",
        "2023-00-10",
        "2023-02-30",
        "2023-02-29",
        "2023-09-00",
        "2023-9-13",
        "20230913",
        "2023-09-131",
        "0999-12-31",
        "+023-09-13",
        "2023-09-1x",
        "abcd-ef-gh",
        "September 13, 2023",
    ] {
        let e = Date::parse(text).expect_err(text);
        match e.kind() {
            ErrorKind::InvalidDate { text: t } => assert_eq!(t, text),
            other => panic!("{text:?}: expected InvalidDate, got {other:?}"),
        }
        assert!(e.to_string().contains(&format!("{text:?}")), "{e}");
    }
}

#[test]
fn date_parse_rejects_non_ascii_without_panicking() {
    for text in ["2023-09-1é", "2023-09-€", "2023-09-1０", "0000-00-0\u{FFFC}"] {
        let e = Date::parse(text).expect_err(text);
        assert!(matches!(e.kind(), ErrorKind::InvalidDate { text: t } if t == text), "{text:?}: {e:?}");
    }
}

#[test]
fn jsonl_with_non_ascii_date_is_a_warning_naming_the_line() {
    // An invalid optional field loses the field, not the document, with or without skip_bad.
    let input = "{\"id\":\"a\",\"text\":\"fine\"}\n{\"id\":\"b\",\"text\":\"x\",\"date\":\"2023-09-1é\"}\n";
    for skip in [false, true] {
        let c = read_jsonl(input.as_bytes(), Path::new("in.jsonl"), ReadOptions::with_skip_bad(skip)).unwrap();
        assert_eq!(c.docs.len(), 2);
        assert_eq!(c.docs[1].date, None);
        assert!(c.skipped.is_empty());
        assert_eq!(c.warnings.len(), 1);
        assert_eq!(c.warnings[0].line, 2);
        assert!(c.warnings[0].reason.contains("`date`"), "{:?}", c.warnings);
    }
}

#[test]
fn io_errors_name_the_path() {
    let missing = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/definitely-missing.jsonl");
    let e = read_path(&missing, ReadOptions::default()).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Io { path, .. } if *path == missing), "{e:?}");
    assert!(std::error::Error::source(&e).is_some());
    assert!(e.to_string().contains("definitely-missing.jsonl"), "{e}");
}

#[test]
fn jsonl_errors_name_file_and_line() {
    let input =
        "{\"id\":\"a\",\"text\":\"one\"}\n\n{\"id\":\"b\",\"text\":7}\n{\"text\":\"no id\",\"date\":\"2023-09-13\"}\n";
    let e = read_jsonl(input.as_bytes(), Path::new("in.jsonl"), ReadOptions::default()).unwrap_err();
    match e.kind() {
        ErrorKind::InvalidInput { path, line, reason } => {
            assert_eq!(path, Path::new("in.jsonl"));
            assert_eq!(*line, Some(3));
            assert!(reason.contains("`text`"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().starts_with("in.jsonl:3:"), "{e}");
    let c = read_jsonl(input.as_bytes(), Path::new("in.jsonl"), ReadOptions::with_skip_bad(true)).unwrap();
    assert_eq!(c.docs.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["a", "4"]);
    assert_eq!(c.docs[1].date, Some(Date::from_ymd(2023, 9, 13).unwrap()));
    assert_eq!(c.skipped, [BadLine { line: 3, reason: c.skipped[0].reason.clone() }]);
}

#[test]
fn minhash_and_lsh_parameter_errors() {
    assert!(matches!(MinHasher::new(0, 1).unwrap_err().kind(), ErrorKind::InvalidParameter { name: "num_perm", .. }));
    assert!(matches!(
        MinHasher::new(4097, 1).unwrap_err().kind(),
        ErrorKind::InvalidParameter { name: "num_perm", .. }
    ));
    assert!(matches!(LshParams::new(0, 3).unwrap_err().kind(), ErrorKind::InvalidParameter { .. }));
    assert!(matches!(LshParams::for_threshold(f64::NAN, 128).unwrap_err().kind(), ErrorKind::InvalidParameter { .. }));
    let a = MinHasher::new(64, 1).unwrap().sketch(&[1, 2, 3]);
    assert!(matches!(
        a.union(&MinHasher::new(32, 1).unwrap().sketch(&[1])).unwrap_err().kind(),
        ErrorKind::SketchMismatch { .. }
    ));
    let b = MinHasher::new(32, 1).unwrap().sketch(&[1, 2, 3]);
    assert!(matches!(a.estimate_jaccard(&b).unwrap_err().kind(), ErrorKind::SketchMismatch { expected: 64, got: 32 }));
    let p = LshParams::new(8, 8).unwrap();
    assert!(matches!(
        samestory::lsh::band_keys(&b, p, 1).unwrap_err().kind(),
        ErrorKind::SketchMismatch { expected: 64, got: 32 }
    ));
}

/// Every pair of two clusterings that must be the same apart from where
/// they came from (a file knows its skipped lines; a batch does not).
fn assert_same_clusters(got: &Clustering, want: &Clustering) {
    assert_eq!(got.ids(), want.ids());
    assert_eq!(got.len(), want.len());
    assert_eq!(got.labels(), want.labels());
    assert_eq!(got.clusters(), want.clusters());
    assert!(got.pairs() == want.pairs(), "the same pairs and scores");
    for i in 0..got.len() as u32 {
        assert_eq!(got.representative(i), want.representative(i), "representative of {i}");
    }
    assert_eq!(
        got.labels_at(0.5, Linkage::Average).expect("valid threshold"),
        want.labels_at(0.5, Linkage::Average).expect("valid threshold")
    );
}

/// `cluster_file` (one streaming pass over the file that keeps the tokens,
/// the text never held) and `cluster_reader` give what reading the file,
/// then clustering gives: the same ids, skipped lines, labels, pairs and
/// scores, over enough documents for many batches (9,000, with bad lines),
/// and the same error for a bad line without `skip_bad`. A line over
/// `max_record_bytes` is skipped as `read_path` skips it, the document
/// limits are checked while reading, and a folder is read whole. (The
/// two-pass `learn_file` / `features_file` and their check of a file changed
/// between passes are gone with the single-pass API, and so is the refusal of
/// standard input by `learn_file`.)
#[test]
fn cluster_file_equals_reading_then_clustering() {
    let dir = std::env::temp_dir().join(format!("samestory-cluster-file-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let stories = [KIM, KIM_EDITED, BAKERY];
    let words = ["storm", "Brittany", "power", "homes", "gusts", "ferry", "Brest", "council", "207", "rail"];
    let mut lines = Vec::new();
    for i in 0..9_000usize {
        // Groups of reprints of a few stories, each with its own number, so
        // there are stories to find; and short texts of a few words with
        // repeated chrome lines.
        let text = if i % 2 == 0 {
            format!("{}\nHome | News\nReport {}.", stories[i % 3], i / 30)
        } else {
            let text: Vec<&str> = (0..12).map(|k| words[(i * 7 + k * k) % words.len()]).collect();
            format!("{}\nHome | News\n{}", text.join(" "), i % 97)
        };
        lines.push(serde_json::json!({"id": format!("d{i}"), "text": text}).to_string());
        if i % 2_500 == 1_000 {
            lines.push("{\"id\": 1, \"text\": 5}".to_string());
        }
    }
    let path = dir.join("corpus.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").expect("write corpus");
    let detector = Detector::new();
    for skip_bad in [true, false] {
        let opts = ReadOptions::with_skip_bad(skip_bad);
        let streamed = detector.cluster_file(&path, opts);
        let file = std::io::BufReader::new(std::fs::File::open(&path).expect("open"));
        let from_reader = detector.cluster_reader(file, &path, opts);
        match read_path(&path, opts) {
            Ok(corpus) => {
                let file = streamed.expect("cluster_file succeeds where read_path does");
                assert_eq!(file.ids(), corpus.docs.iter().map(|d| d.id.clone()).collect::<Vec<_>>());
                assert_eq!(file.skipped(), corpus.skipped);
                assert_eq!(file.skipped().len(), 4);
                let held = detector.cluster(&corpus.docs).expect("cluster");
                assert!(held.skipped().is_empty());
                assert_same_clusters(&file, &held);
                assert_eq!(from_reader.expect("cluster_reader succeeds where read_path does"), file);
                assert!(file.stories().count() < 9_000 / 2, "reprints are grouped");
                assert!(file.stories().count() >= 2, "there are stories");
            }
            Err(e) => {
                assert_eq!(streamed.expect_err("same error").to_string(), e.to_string());
                assert_eq!(from_reader.expect_err("same error").to_string(), e.to_string());
            }
        }
    }
    // A line over max_record_bytes is skipped as `read_path` skips it.
    let capped = ReadOptions { max_record_bytes: 2_000, ..ReadOptions::with_skip_bad(true) };
    let long = serde_json::json!({"id": "long", "text": KIM.repeat(8)}).to_string();
    let short = dir.join("long.jsonl");
    std::fs::write(&short, [lines[0].as_str(), &long, &lines[1], &lines[2]].join("\n")).expect("write long");
    let file = detector.cluster_file(&short, capped).expect("long line skipped");
    let corpus = read_path(&short, capped).expect("read_path");
    assert_eq!((file.ids().len(), file.skipped()), (3, &corpus.skipped[..]));
    assert_eq!(file.skipped()[0].line, 2);
    assert_same_clusters(&file, &detector.cluster(&corpus.docs).expect("cluster"));
    // Limits are checked while reading.
    let small = Detector::builder().max_document_bytes(100).build().expect("valid");
    let err = small.cluster_file(&path, ReadOptions::with_skip_bad(true)).expect_err("too large");
    assert!(matches!(err.kind(), ErrorKind::DocumentTooLarge { .. }), "{err}");
    let few = Detector::builder().max_documents(100).build().expect("valid");
    let err = few.cluster_file(&path, ReadOptions::with_skip_bad(true)).expect_err("too many");
    assert!(matches!(err.kind(), ErrorKind::TooManyDocuments { limit: 100 }), "{err}");
    // A folder is read whole.
    let txt = dir.join("txt");
    std::fs::create_dir_all(&txt).expect("txt dir");
    std::fs::write(txt.join("a.txt"), KIM).expect("write a.txt");
    std::fs::write(txt.join("b.txt"), KIM_EDITED).expect("write b.txt");
    let file = detector.cluster_file(&txt, ReadOptions::default()).expect("folder");
    assert_eq!(file.ids(), ["a.txt", "b.txt"]);
    assert!(file.same_story(0, 1));
    let corpus = read_path(&txt, ReadOptions::default()).expect("read folder");
    assert_same_clusters(&file, &detector.cluster(&corpus.docs).expect("cluster"));
    // A missing file is an I/O error naming it.
    let missing = detector.cluster_file(dir.join("missing.jsonl"), ReadOptions::default()).expect_err("missing");
    assert!(matches!(missing.kind(), ErrorKind::Io { .. }));
    assert!(missing.to_string().contains("missing.jsonl"), "{missing}");
    std::fs::remove_dir_all(&dir).expect("clean up");
}

/// A fixed-seed xorshift64* generator: the same corpus on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

const FILLER: [&str; 48] = [
    "the",
    "a",
    "of",
    "in",
    "on",
    "and",
    "to",
    "said",
    "after",
    "before",
    "with",
    "by",
    "officials",
    "local",
    "people",
    "on",
    "was",
    "were",
    "has",
    "had",
    "its",
    "their",
    "at",
    "from",
    "for",
    "that",
    "this",
    "week",
    "reported",
    "according",
    "told",
    "reporters",
    "early",
    "late",
    "morning",
    "evening",
    "about",
    "more",
    "than",
    "some",
    "many",
    "around",
    "near",
    "city",
    "region",
    "statement",
    "later",
    "also",
];

const TOPICS: [&str; 40] = [
    "flood",
    "ferry",
    "strike",
    "election",
    "bridge",
    "vaccine",
    "airport",
    "budget",
    "festival",
    "museum",
    "earthquake",
    "wildfire",
    "treaty",
    "summit",
    "court",
    "police",
    "harbour",
    "council",
    "storm",
    "railway",
    "hospital",
    "school",
    "factory",
    "mine",
    "drought",
    "protest",
    "tariff",
    "satellite",
    "orchestra",
    "stadium",
    "pipeline",
    "refinery",
    "volcano",
    "landslide",
    "cyclone",
    "merger",
    "verdict",
    "ceasefire",
    "outbreak",
    "heatwave",
];

const SYLLABLES: [&str; 16] =
    ["val", "mor", "bran", "kel", "tor", "ash", "lin", "dra", "gos", "vik", "mel", "rud", "sen", "tal", "ory", "quin"];

/// A made-up proper name of two or three syllables, capitalized.
fn name(rng: &mut Rng) -> String {
    let n = 2 + rng.below(2);
    let mut s: String = (0..n).map(|_| rng.pick(&SYLLABLES)).collect();
    s[..1].make_ascii_uppercase();
    s
}

/// A few hundred documents: 60 events, each reported two to five times by
/// different outlets in their own words (sharing the event's names, topic
/// words and numbers, not its sentences), with site chrome learned as
/// boilerplate, some reports dated and some not, exact copies (identical
/// documents, collapsed), copies under another date (not exact
/// duplicates), and edited reprints on other sites.
fn generated_corpus() -> Vec<Document> {
    let mut rng = Rng(0x5a3e_0000_0000_0001);
    let mut docs = Vec::new();
    for e in 0..60usize {
        let names: Vec<String> = (0..4).map(|_| name(&mut rng)).collect();
        let topics: Vec<&str> = (0..4).map(|_| rng.pick(&TOPICS)).collect();
        let numbers: Vec<String> = (0..2).map(|_| (10 + rng.below(990)).to_string()).collect();
        let date = Date::from_ymd(2023, 1 + (e % 12) as u32, 1 + (e % 28) as u32).expect("valid date");
        let reports = 2 + rng.below(4);
        for r in 0..reports {
            let site = rng.below(8);
            let mut sentences = Vec::new();
            for _ in 0..6 {
                let words: Vec<String> = (0..12)
                    .map(|_| match rng.below(6) {
                        0 => names[rng.below(names.len())].clone(),
                        1 => topics[rng.below(topics.len())].to_string(),
                        2 if rng.below(3) == 0 => numbers[rng.below(numbers.len())].clone(),
                        _ => rng.pick(&FILLER).to_string(),
                    })
                    .collect();
                sentences.push(words.join(" ") + ".");
            }
            let body = sentences.join(" ");
            let text = format!("Site{site} News | Home | World\n{body}\nShare this article\n© Site{site} Media");
            let mut doc = Document::new(format!("e{e}-r{r}"), text).with_source(format!("site{site}.example"));
            if r % 3 != 2 {
                doc = doc.with_date(date);
            }
            if rng.below(5) == 0 {
                doc = doc.with_title(format!("{} {} in {}", names[0], topics[0], names[1]));
            }
            docs.push(doc.clone());
            match rng.below(6) {
                0 | 1 => {
                    let mut copy = doc.clone();
                    copy.id = format!("e{e}-r{r}-copy");
                    docs.push(copy);
                }
                2 => {
                    let mut copy = doc.clone().with_date(Date::from_days(date.days() + 1));
                    copy.id = format!("e{e}-r{r}-next-day");
                    docs.push(copy);
                }
                3 => {
                    let other = (site + 1) % 8;
                    let edited = sentences[1..].join(" ");
                    let text =
                        format!("Site{other} News | Home | World\n{edited}\nShare this article\n© Site{other} Media");
                    docs.push(
                        Document::new(format!("e{e}-r{r}-reprint"), text).with_source(format!("site{other}.example")),
                    );
                }
                _ => {}
            }
        }
    }
    docs
}

/// The stages run by hand, as a partitioned engine runs them, give exactly
/// `Detector::cluster`'s clustering: statistics learned on two halves and
/// merged (equal to learning the whole batch, and through their bytes),
/// features against the merged statistics (equal whichever part they are
/// built in, compacted or not, and through their bytes), then
/// `cluster_features`.
#[test]
fn stages_by_hand_equal_detector_cluster() {
    let docs = generated_corpus();
    assert!((250..=450).contains(&docs.len()), "{} documents", docs.len());
    let detector = Detector::new();
    let want = detector.cluster(&docs).expect("cluster");
    // The corpus exercises every path: exact and near-identical copies collapsed, event-level pairs, stories.
    let n = docs.len() as u32;
    assert!((0..n).any(|i| want.representative(i) != Some(i)), "exact duplicates are collapsed");
    let rep = |i: u32| want.representative(i).expect("in range");
    assert!(
        want.pairs().iter().any(|p| rep(p.b) == p.a && p.a != p.b && p.scores.jaccard < 1.0),
        "near-identical copies (not the same text) collapsed"
    );
    let threshold = detector.params().story.threshold as f32;
    assert!(want.pairs().iter().any(|p| !p.scores.copy && p.scores.similarity >= threshold), "event-level pairs");
    assert!(want.stories().count() >= 30, "{} stories", want.stories().count());

    let stages = detector.stages();
    let half = docs.len() / 2;
    let first = stages.learn(&docs[..half]).expect("learn");
    let second = stages.learn(&docs[half..]).expect("learn");
    let second = CorpusStats::from_bytes(&second.to_bytes()).expect("statistics from bytes");
    let mut stats = first.clone();
    stats.merge(&second);
    assert_eq!(stats, stages.learn(&docs).expect("learn all"), "merging is a sum of counts");
    let mut other_order = second.clone();
    other_order.merge(&first);
    assert_eq!(other_order, stats, "in any order");
    let bytes = stats.to_bytes();
    let stats = CorpusStats::from_bytes(&bytes).expect("statistics from bytes");
    assert_eq!(stats.to_bytes(), bytes);
    assert_eq!(stats.docs(), docs.len() as u64);
    assert!(stats.vocabulary() > 100);

    let feats = stages.features(&docs, &stats).expect("features");
    let mut parts = stages.features(&docs[..half], &stats).expect("features");
    parts.extend(stages.features(&docs[half..], &stats).expect("features"));
    assert!(parts == feats, "features do not depend on the part they are built in");
    let mut compacted = stats.clone();
    compacted.compact();
    assert!(compacted.to_bytes().len() < bytes.len(), "compacting drops the lines seen once");
    assert!(stages.features(&docs, &compacted).expect("features") == feats, "compacting does not change features");
    let moved: Vec<Features> =
        feats.iter().map(|f| stages.features_from_bytes(&f.to_bytes()).expect("features from bytes")).collect();
    assert!(moved == feats, "features survive their bytes");
    let dated = docs.iter().zip(&feats).filter(|(d, f)| d.date.is_some() && f.date() == d.date).count();
    assert_eq!(dated, docs.iter().filter(|d| d.date.is_some()).count(), "given dates are kept");

    let ids: Vec<String> = docs.iter().map(|d| d.id.clone()).collect();
    let got = stages.cluster_features(ids, moved, stats.docs()).expect("cluster_features");
    assert_eq!(got, want);

    // `cluster_component` over the representatives, each weighing as many
    // documents as it stands for, with the pairs between them, reproduces
    // the labels.
    let mut node = vec![u32::MAX; docs.len()];
    let mut weights: Vec<u64> = Vec::new();
    for i in 0..n {
        let r = rep(i) as usize;
        if node[r] == u32::MAX {
            node[r] = weights.len() as u32;
            weights.push(0);
        }
        weights[node[r] as usize] += 1;
    }
    let between: Vec<ScoredPair> = want
        .pairs()
        .iter()
        .filter(|p| rep(p.a) != rep(p.b))
        .map(|p| ScoredPair { a: node[rep(p.a) as usize], b: node[rep(p.b) as usize], scores: p.scores })
        .collect();
    assert!(weights.iter().any(|&w| w > 1) && between.len() > docs.len() / 2);
    let by_node = stages.cluster_component(&weights, &between).expect("cluster_component");
    let labels: Vec<u32> = (0..n).map(|i| by_node[node[rep(i) as usize] as usize]).collect();
    assert_eq!(labels, want.labels());
    // And each pair's scores are those of `score` on the features (a date
    // inherited in the batch aside: pairs of dated documents only).
    for p in want.pairs().iter().filter(|p| docs[p.a as usize].date.is_some() && docs[p.b as usize].date.is_some()) {
        assert_eq!(stages.score(&feats[p.a as usize], &feats[p.b as usize]), p.scores, "pair {p:?}");
    }
}

/// The generated corpus as JSON Lines: `cluster_reader`, `cluster_file`
/// and `cluster` give one clustering.
#[test]
fn cluster_reader_equals_cluster_file_equals_cluster() {
    let docs = generated_corpus();
    let mut jsonl = String::new();
    for d in &docs {
        let mut v = serde_json::json!({"id": d.id, "text": d.text});
        if let Some(t) = &d.title {
            v["title"] = t.as_str().into();
        }
        if let Some(date) = d.date {
            v["date"] = date.to_string().into();
        }
        if let Some(s) = &d.source {
            v["source"] = s.as_str().into();
        }
        jsonl.push_str(&v.to_string());
        jsonl.push('\n');
    }
    let read = read_jsonl(jsonl.as_bytes(), Path::new("generated.jsonl"), ReadOptions::default()).expect("read");
    assert_eq!(read.docs, docs, "the JSON Lines hold the documents");
    let dir = std::env::temp_dir().join(format!("samestory-reader-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("generated.jsonl");
    std::fs::write(&path, &jsonl).expect("write");
    let detector = Detector::new();
    let batch = detector.cluster(&docs).expect("cluster");
    let file = detector.cluster_file(&path, ReadOptions::default()).expect("cluster_file");
    let reader = detector.cluster_reader(jsonl.as_bytes(), "generated.jsonl", ReadOptions::default()).expect("reader");
    assert_eq!(file, batch);
    assert_eq!(reader, batch);
    let iter = detector.cluster_iter(docs.iter().cloned().map(Ok::<_, Error>)).expect("cluster_iter");
    assert_eq!(iter, batch);
    std::fs::remove_dir_all(&dir).expect("clean up");
}

/// `cluster_iter` checks what `cluster` checks, and stops at the source's error.
#[test]
fn cluster_iter_checks_its_documents_and_stops_at_an_error() {
    let d = Detector::builder().max_documents(3).max_document_bytes(5000).build().unwrap();
    let ok = |docs: &[Document]| docs.iter().cloned().map(Ok::<_, Error>).collect::<Vec<_>>();
    let docs = [Document::new("a", KIM), Document::new("b", BAKERY), Document::new("a", KIM_EDITED)];
    assert!(matches!(kind_of(d.cluster_iter(ok(&docs))), ErrorKind::DuplicateId { id } if id == "a"));
    let four =
        [Document::new("a", KIM), Document::new("b", BAKERY), Document::new("c", KIM_EDITED), Document::new("d", "x")];
    assert!(matches!(kind_of(d.cluster_iter(ok(&four))), ErrorKind::TooManyDocuments { limit: 3 }));
    let big = [Document::new("a", KIM), Document::new("big", "y".repeat(5001))];
    assert!(matches!(kind_of(d.cluster_iter(ok(&big))), ErrorKind::DocumentTooLarge { bytes: 5001, .. }));
    assert_eq!(d.cluster_iter(ok(&four[..2])).unwrap(), d.cluster(&four[..2]).unwrap());
    assert_eq!(d.cluster_iter(Vec::<Result<Document, Error>>::new()).unwrap().len(), 0);

    #[derive(Debug, PartialEq)]
    enum Source {
        Lost(u32),
        Lib(String),
    }
    impl From<Error> for Source {
        fn from(e: Error) -> Source {
            Source::Lib(e.to_string())
        }
    }
    // The source fails at its second item: that error comes back, nothing else is read.
    let mut read = 0;
    let items = (0..10_000u32).map(|i| {
        read += 1;
        if i == 1 { Err(Source::Lost(i)) } else { Ok(Document::new(i.to_string(), KIM)) }
    });
    assert_eq!(Detector::new().cluster_iter(items), Err(Source::Lost(1)));
    assert!(read < 10_000, "reading went on after the error ({read} items)");
}

/// `Tracker::query` tells where `add` then puts a document (the story it
/// joins, or none for a new one, and the same matches) and changes nothing:
/// the state's bytes are the same before and after.
#[test]
fn tracker_query_foretells_add_and_changes_nothing() {
    let docs = generated_corpus();
    let mut t = Tracker::new(Detector::new());
    let (mut joined, mut foretold_exactly) = (0, 0);
    for doc in &docs {
        let before = t.to_bytes();
        let p = t.query(doc).expect("query");
        assert_eq!(t.to_bytes(), before, "query changed the tracker at {}", doc.id);
        assert_eq!(t.story_of(&doc.id), None);
        let a = t.add(doc.clone()).expect("add");
        assert_eq!(p.matches, a.matches, "{}", doc.id);
        assert_eq!(p.story.is_none(), a.new_story, "{}: {p:?} then {a:?}", doc.id);
        if let Some(s) = p.story {
            joined += 1;
            if a.merged.is_empty() && a.split_off.is_empty() {
                // Nothing a query cannot foresee happened: the same story.
                assert_eq!(a.story, s, "{}", doc.id);
                foretold_exactly += 1;
            } else if a.split_off.is_empty() {
                // It joined `s`, which then merged with older stories or absorbed newer ones.
                assert!(a.story == s || (a.merged.contains(&s) && a.story < s), "{}: {p:?} then {a:?}", doc.id);
            } else {
                // ... or then split, and the document's part took a new id.
                let ok = a.story == s || a.merged.contains(&s) || a.split_off.contains(&a.story);
                assert!(ok, "{}: {p:?} then {a:?}", doc.id);
            }
        }
    }
    assert!(joined > docs.len() / 3, "{joined} of {} joined a story", docs.len());
    assert!(foretold_exactly > joined * 3 / 4, "{foretold_exactly} of {joined}");
    // A query of a held document's text under a new id finds its story.
    let held = &docs[0];
    let again = Document { id: "again".into(), ..held.clone() };
    assert_eq!(t.query(&again).expect("query").story, t.story_of(&held.id));
}

/// Two identical documents are scored as a pair of similarity 1 (the copy
/// paired with its representative).
#[test]
fn pairs_list_identical_documents_at_similarity_one() {
    let docs = [
        Document::new("kim", KIM),
        Document::new("bakery", BAKERY),
        Document::new("kim-again", KIM),
        Document::new("kim-edited", KIM_EDITED),
    ];
    let c = Detector::new().cluster(&docs).unwrap();
    let pair = c.pairs().iter().find(|p| (p.a, p.b) == (0, 2)).expect("the identical pair is listed");
    assert_eq!(pair.scores.similarity, 1.0);
    assert!(pair.scores.copy && pair.scores.jaccard == 1.0 && pair.scores.containment == 1.0, "{pair:?}");
    assert_eq!(c.scores(2, 0), Some(&pair.scores));
    assert_eq!(c.representative(2), Some(0));
    assert!(c.pairs().windows(2).all(|w| (w[0].a, w[0].b) < (w[1].a, w[1].b)), "sorted by (a, b)");
    assert!(c.pairs().iter().all(|p| p.a < p.b));
    // The copy shares its representative's scores with the edited copy.
    assert_eq!(c.scores(2, 3), c.scores(0, 3));
    assert_eq!(c.labels(), [0, 1, 0, 0]);
}

/// The copy-level preset: only copies link documents, so the stories are
/// the copy groups, every pair of positive similarity is a copy, and the
/// same documents with event-level evidence make fewer, larger stories.
#[test]
fn copies_only_stories_are_copy_groups() {
    let docs = generated_corpus();
    let dedup = Detector::builder().copies_only().build().unwrap();
    assert!(!dedup.params().levels.events);
    let c = dedup.cluster(&docs).unwrap();
    assert_eq!(c.labels(), c.copy_labels(), "stories are the copy groups");
    assert!(c.pairs().iter().all(|p| p.scores.copy || p.scores.similarity == 0.0), "only copies link");
    assert!(c.pairs().iter().any(|p| p.scores.copy));
    let full = Detector::new().cluster(&docs).unwrap();
    assert!(full.clusters().len() < c.clusters().len(), "event-level evidence joins reports");
    // Every copy group of the preset lies inside a story of the full detector.
    for g in c.copy_groups() {
        assert!(g.iter().all(|&m| full.same_story(m, g[0])), "copy group {g:?} split by the full detector");
    }
}
