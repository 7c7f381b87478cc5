//! The public API as a user writes it: thread safety, parameter validation,
//! errors that name what was wrong, empty input, streaming, dates.

use std::path::Path;

use samestory::io::{BadLine, Corpus, ReadOptions, read_jsonl, read_path};
use samestory::lsh::{BandIndex, HammingIndex, LshParams, TermIndex};
use samestory::{
    Assignment, Clustering, CohesionGuard, CorpusStats, Date, Detector, DetectorBuilder, Document, Error, ErrorKind,
    Features, Linkage, Match, MinHashKind, MinHashSketch, MinHasher, PairScores, Profile, ScoredPair, ShingleSet,
    SimHash, SimHasher, StoryId,
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
    assert_send_sync::<Profile>();
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
    assert_send_sync::<samestory::stats::Observation>();
    assert_send_sync::<samestory::LearnedFile>();
    assert_send_sync::<samestory::ClusteredFile>();
    assert_send_sync::<samestory::TokenizedFile>();
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
    assert_eq!(Detector::builder().story_threshold(0.4).build().unwrap().story_threshold(), 0.4);
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

    let mut d = Detector::new();
    d.add(Document::new("a", KIM)).unwrap();
    assert!(matches!(kind_of(d.add(Document::new("a", BAKERY))), ErrorKind::DuplicateId { id } if id == "a"));
    assert_eq!(d.len(), 1, "a rejected document must leave the detector unchanged");
    assert_eq!(d.story_members(d.story_of("a").unwrap()), ["a"]);
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
        let mut s = d.clone();
        s.add(ok.clone()).unwrap();
        let k = kind_of(s.add(doc));
        assert!(matches!(&k, ErrorKind::DocumentTooLarge { id: i, bytes: 21, limit: 20 } if *i == id), "{k:?}");
        assert_eq!(s.len(), 1);
        assert_eq!(s.story_of(&id), None);
    }
}

#[test]
fn too_many_documents_are_rejected() {
    let mut d = Detector::builder().max_documents(2).build().unwrap();
    let docs = [Document::new("a", KIM), Document::new("b", BAKERY), Document::new("c", KIM_EDITED)];
    assert!(matches!(kind_of(d.cluster(&docs)), ErrorKind::TooManyDocuments { limit: 2 }));
    assert!(d.cluster(&docs[..2]).is_ok());
    d.add(docs[0].clone()).unwrap();
    d.add(docs[1].clone()).unwrap();
    assert!(matches!(kind_of(d.add(docs[2].clone())), ErrorKind::TooManyDocuments { limit: 2 }));
    assert_eq!(d.len(), 2);
}

#[test]
fn empty_batch_gives_empty_clustering() {
    let c = Detector::new().cluster(&[]).unwrap();
    assert!(c.labels().is_empty() && c.clusters().is_empty() && c.pairs().is_empty());
    assert_eq!(c.stories().count(), 0);
    assert_eq!(c.cluster_of(0), None);
    assert!(!c.same_story(0, 1));
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
    let n = EMPTIES.len();
    let c = Detector::new().cluster(&docs).unwrap();
    for i in 0..n {
        assert_eq!(c.clusters()[c.labels()[i] as usize], [i as u32], "empty doc {i} is not a singleton");
        for j in 0..docs.len() {
            if let Some(s) = c.scores(i, j) {
                assert!(!s.copy && s.similarity == 0.0, "empty doc {i} scored against {j}: {s:?}");
            }
        }
    }
    assert!(c.same_story(n, n + 1));
    assert!(!c.same_story(n, n + 2));
    assert_eq!(c.stories().count(), 1);
    // Same with the empties alone.
    let c = Detector::new().cluster(&docs[..n]).unwrap();
    assert_eq!(c.labels(), (0..n as u32).collect::<Vec<_>>());
}

#[test]
fn empty_documents_are_singletons_when_streaming() {
    let mut d = Detector::new();
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
    let mut d = Detector::new();
    assert!(d.is_empty());
    let a = d.add(Document::new("kim", KIM)).unwrap();
    assert!(a.new_story && a.matches.is_empty());

    let b = d.add(Document::new("kim-edited", KIM_EDITED)).unwrap();
    assert!(!b.new_story, "{b:?}");
    assert_eq!(b.story, a.story);
    let m = &b.matches[0];
    assert_eq!((m.id.as_str(), m.story), ("kim", a.story));
    assert!(m.scores.copy && m.scores.similarity as f64 >= d.story_threshold(), "{:?}", m.scores);

    let c = d.add(Document::new("bakery", BAKERY)).unwrap();
    assert!(c.new_story, "{c:?}");
    assert_ne!(c.story, a.story);

    let copy = d.add(Document::new("bakery-reprint", BAKERY).with_source("other.example")).unwrap();
    assert_eq!(copy.story, c.story);
    assert_eq!(copy.matches[0].scores.jaccard, 1.0);

    assert_eq!(d.len(), 4);
    assert_eq!(d.story_of("kim-edited"), Some(a.story));
    assert_eq!(d.story_of("nope"), None);
    assert_eq!(d.story_members(a.story), ["kim", "kim-edited"]);
    assert_eq!(d.story_members(c.story), ["bakery", "bakery-reprint"]);
    assert!(d.story_members(StoryId(u64::MAX)).is_empty());
    assert_eq!(d.stats().docs(), 4);
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
fn jsonl_with_non_ascii_date_is_an_error_naming_the_line() {
    let input = "{\"id\":\"a\",\"text\":\"fine\"}\n{\"id\":\"b\",\"text\":\"x\",\"date\":\"2023-09-1é\"}\n";
    let e = read_jsonl(input.as_bytes(), Path::new("in.jsonl"), ReadOptions::default()).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::InvalidInput { line: Some(2), .. }), "{e}");
    let c = read_jsonl(input.as_bytes(), Path::new("in.jsonl"), ReadOptions::with_skip_bad(true)).unwrap();
    assert_eq!(c.docs.len(), 1);
    assert_eq!(c.skipped[0].line, 2);
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
    let b = MinHasher::new(32, 1).unwrap().sketch(&[1, 2, 3]);
    assert!(matches!(a.estimate_jaccard(&b).unwrap_err().kind(), ErrorKind::SketchMismatch { expected: 64, got: 32 }));
    let p = LshParams::new(8, 8).unwrap();
    assert!(matches!(
        samestory::lsh::band_keys(&b, p, 1).unwrap_err().kind(),
        ErrorKind::SketchMismatch { expected: 64, got: 32 }
    ));
}

/// `read_and_learn` (reading on one thread, learning on the others) gives
/// what reading, then learning gives: the same documents in order, the same
/// skipped lines, the same statistics, and the same error for a bad line,
/// over enough documents for many batches.
#[test]
fn read_and_learn_equals_reading_then_learning() {
    let dir = std::env::temp_dir().join(format!("samestory-read-and-learn-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let words = ["storm", "Brittany", "power", "homes", "gusts", "ferry", "Brest", "council", "207", "rail"];
    let mut good = String::new();
    for i in 0..9_000usize {
        let text: Vec<&str> = (0..12).map(|k| words[(i * 7 + k * k) % words.len()]).collect();
        let line =
            serde_json::json!({"id": format!("d{i}"), "text": format!("{}\nHome | News\n{}", text.join(" "), i % 97)});
        good.push_str(&line.to_string());
        good.push('\n');
        if i % 2_500 == 1_000 {
            good.push_str("{\"id\": 1, \"text\": 5}\n");
        }
    }
    let path = dir.join("corpus.jsonl");
    std::fs::write(&path, &good).expect("write corpus");
    let detector = Detector::new();
    for skip_bad in [true, false] {
        let opts = ReadOptions::with_skip_bad(skip_bad);
        let together = detector.read_and_learn(&path, opts);
        match read_path(&path, opts) {
            Ok(corpus) => {
                let (c, stats) = together.expect("read_and_learn succeeds where read_path does");
                assert_eq!(c, corpus);
                assert_eq!(c.skipped.len(), 4);
                assert_eq!(stats, detector.learn(&corpus.docs));
                assert_eq!(stats.docs(), 9_000);
                let learned = detector.cluster_learned(&c.docs, stats).expect("cluster_learned");
                assert_eq!(learned.labels(), detector.cluster(&corpus.docs).expect("cluster").labels());
            }
            Err(e) => assert_eq!(together.expect_err("same error").to_string(), e.to_string()),
        }
    }
    // A folder is read, then learned.
    let txt = dir.join("txt");
    std::fs::create_dir_all(&txt).expect("txt dir");
    std::fs::write(txt.join("a.txt"), KIM).expect("write a.txt");
    let (c, stats) = detector.read_and_learn(&txt, ReadOptions::default()).expect("folder");
    assert_eq!(c.docs.len(), 1);
    assert_eq!(stats, detector.learn(&c.docs));
    let missing = detector.read_and_learn(&dir.join("missing.jsonl"), ReadOptions::default()).expect_err("missing");
    assert!(matches!(missing.kind(), ErrorKind::Io { .. }));
    assert!(missing.to_string().contains("missing.jsonl"), "{missing}");
    std::fs::remove_dir_all(&dir).expect("clean up");
}

/// `cluster_file` (one streaming pass over the file that keeps the tokens,
/// the text never held) gives what reading the file, then clustering gives:
/// the same ids, skipped lines, statistics, features and stories, over
/// enough documents for many batches; so do its two stages, and the two
/// streaming passes of `learn_file` and `features_file`, where a file
/// changed between the passes is an error, not a wrong result.
#[test]
fn cluster_file_equals_reading_then_clustering() {
    let dir = std::env::temp_dir().join(format!("samestory-cluster-file-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let stories = [KIM, KIM_EDITED, BAKERY];
    let mut lines = Vec::new();
    for i in 0..9_000usize {
        // Groups of reprints of a few stories, each with its own number, so there are stories to find.
        let text = format!("{}\nHome | News\nReport {}.", stories[i % 3], i / 30);
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
        match read_path(&path, opts) {
            Ok(corpus) => {
                let file = streamed.expect("cluster_file succeeds where read_path does");
                assert_eq!(file.ids, corpus.docs.iter().map(|d| d.id.clone()).collect::<Vec<_>>());
                assert_eq!(file.skipped, corpus.skipped);
                assert_eq!(file.skipped.len(), 4);
                let held = detector.cluster(&corpus.docs).expect("cluster");
                assert_eq!(file.clustering.labels(), held.labels());
                // Both keep the tokens while learning; building the features from the
                // documents again, with the statistics learned, clusters the same.
                let again = detector.cluster_learned(&corpus.docs, detector.learn(&corpus.docs)).expect("again");
                assert_eq!(held.labels(), again.labels());
                let mut tokens = detector.tokenize_file(&path, opts).expect("tokenize_file");
                assert_eq!(tokens.stats, detector.learn(&corpus.docs));
                tokens.stats.compact();
                let (feats, rest) = detector.features_tokenized(tokens);
                assert!(feats == detector.features(&corpus.docs, &rest.stats), "same features from the tokens");
                assert_eq!((&rest.ids, &rest.skipped), (&file.ids, &file.skipped));
                assert!(file.clustering.stories().count() < 9_000 / 2, "reprints are grouped");
                let mut learned = detector.learn_file(&path, opts).expect("learn_file");
                assert_eq!(learned.stats, detector.learn(&corpus.docs));
                assert_eq!(learned.text_bytes, corpus.docs.iter().map(|d| d.size() as u64).sum::<u64>());
                learned.stats.compact();
                let feats = detector.features_file(&path, opts, &learned).expect("features_file");
                assert!(feats == detector.features(&corpus.docs, &learned.stats), "same features");
                // The file changes between the two passes: two documents swap places.
                let mut swapped = lines.clone();
                swapped.swap(10, 11);
                let other = dir.join("swapped.jsonl");
                std::fs::write(&other, swapped.join("\n") + "\n").expect("write swapped");
                let err = detector.features_file(&other, opts, &learned).expect_err("changed");
                assert!(err.to_string().contains("swapped.jsonl") && err.to_string().contains("changed"), "{err}");
                std::fs::write(&other, lines[..100].join("\n") + "\n").expect("write truncated");
                let err = detector.features_file(&other, opts, &learned).expect_err("truncated");
                assert!(err.to_string().contains("changed"), "{err}");
            }
            Err(e) => assert_eq!(streamed.expect_err("same error").to_string(), e.to_string()),
        }
    }
    // A line over max_record_bytes, skipped by the first pass, is skipped by the second.
    let capped = ReadOptions { max_record_bytes: 2_000, ..ReadOptions::with_skip_bad(true) };
    let long = serde_json::json!({"id": "long", "text": KIM.repeat(8)}).to_string();
    let short = dir.join("long.jsonl");
    std::fs::write(&short, [lines[0].as_str(), &long, &lines[1], &lines[2]].join("\n")).expect("write long");
    let file = detector.cluster_file(&short, capped).expect("long line skipped");
    let corpus = read_path(&short, capped).expect("read_path");
    assert_eq!((file.ids.len(), file.skipped.clone()), (3, corpus.skipped));
    assert_eq!(file.skipped[0].line, 2);
    assert_eq!(file.clustering.labels(), detector.cluster(&corpus.docs).expect("cluster").labels());
    // Limits are checked while reading.
    let small = Detector::builder().max_document_bytes(100).build().expect("valid");
    let err = small.cluster_file(&path, ReadOptions::with_skip_bad(true)).expect_err("too large");
    assert!(matches!(err.kind(), ErrorKind::DocumentTooLarge { .. }), "{err}");
    // A folder is read whole; `learn_file` cannot read standard input (it would have to read it twice).
    let txt = dir.join("txt");
    std::fs::create_dir_all(&txt).expect("txt dir");
    std::fs::write(txt.join("a.txt"), KIM).expect("write a.txt");
    std::fs::write(txt.join("b.txt"), KIM_EDITED).expect("write b.txt");
    let file = detector.cluster_file(&txt, ReadOptions::default()).expect("folder");
    assert_eq!(file.ids, ["a.txt", "b.txt"]);
    assert!(file.clustering.same_story(0, 1));
    let err = detector.learn_file("-".as_ref(), ReadOptions::default()).expect_err("stdin");
    assert!(matches!(err.kind(), ErrorKind::InvalidParameter { .. }), "{err}");
    std::fs::remove_dir_all(&dir).expect("clean up");
}
