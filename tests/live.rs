//! Live tracking: removal, expiry by date and by count with memory bounded
//! by the window, and the story-merge rule (the oldest id survives).

use samestory::{CorpusStats, Date, Detector, Document, ErrorKind, StoryId, Tracker};

const PART_A: &str = "Firefighters in the port city of Valmora battled a blaze at the Castell grain \
terminal through Tuesday night after an explosion in a silo injured fourteen workers, three of them \
seriously, the regional fire service said on Wednesday morning.";
const PART_B: &str = "Harbour master Ilse Brannagh said shipping lanes near pier nine would stay \
closed until inspectors certify the quay, and that two cargo vessels waiting to load wheat had been \
moved to anchorage outside the breakwater as a precaution.";
const OTHER: &str = "The national orchestra announced a new principal conductor on Monday, ending \
an eighteen-month search that drew candidates from eleven countries and included three rounds of \
public rehearsals with the full ensemble and its choir.";

fn doc(id: &str, text: &str, day: i32) -> Document {
    Document::new(id, text).with_date(Date::from_days(Date::from_ymd(2024, 3, 1).unwrap().days() + day))
}

/// The corpus statistics a tracker holds (`Tracker::stats()` is gone), read
/// from its saved state. The state layout: a 16-byte header (magic
/// `SAMESTRY`, `u32` version, `u32` section count), then sections `CONF`,
/// `STAT`, `DOCS`, `LIVE`, each a 4-byte tag, a `u64` payload length, a
/// `u64` checksum and the payload (little-endian). The `STAT` payload is
/// what `CorpusStats::to_bytes` writes after its 3-byte prefix `SS\x01`.
fn held_stats(t: &Tracker) -> CorpusStats {
    let bytes = t.to_bytes();
    let mut at = 16;
    for tag in [b"CONF", b"STAT"] {
        assert_eq!(&bytes[at..at + 4], tag);
        let len = u64::from_le_bytes(bytes[at + 4..at + 12].try_into().unwrap()) as usize;
        if tag == b"STAT" {
            let payload = &bytes[at + 20..at + 20 + len];
            return CorpusStats::from_bytes(&[b"SS\x01".as_slice(), payload].concat()).expect("STAT section decodes");
        }
        at += 20 + len;
    }
    unreachable!()
}

/// The statistics a fresh detector learns from `docs`.
fn learned(docs: &[Document]) -> CorpusStats {
    Detector::new().stages().learn(docs).unwrap()
}

/// Filler articles, each on its own topic (numbers and names differ).
fn filler(i: usize, day: i32) -> Document {
    let text = format!(
        "Officials in district {i} said on day {day} that repairs to bridge number {n} would cost {c} \
         million and take {w} weeks, after inspectors from agency {a}{i} found cracks in pylon {p}. \
         Mayor Zed{i}son promised a ferry service for the {k} commuters affected.",
        n = i * 7 + 3,
        c = i * 3 + 11,
        w = i % 9 + 2,
        a = (b'A' + (i % 26) as u8) as char,
        p = i % 13,
        k = 1000 + i * 37,
    );
    doc(&format!("filler-{i}"), &text, day)
}

#[test]
fn a_bridging_report_merges_two_stories_and_the_oldest_id_survives() {
    let mut d = Tracker::new(Detector::new());
    let a = d.add(doc("part-a", PART_A, 0)).unwrap();
    let b = d.add(doc("part-b", PART_B, 0)).unwrap();
    let o = d.add(doc("other", OTHER, 0)).unwrap();
    assert!(a.new_story && b.new_story && o.new_story, "{b:?}");
    assert_ne!(a.story, b.story);
    // A report carrying both passages copies each part: it joins one of the
    // two stories and links them strongly enough to merge them.
    let full = d.add(doc("full", &format!("{PART_A}\n{PART_B}"), 1)).unwrap();
    assert!(!full.new_story);
    assert_eq!(full.story, a.story, "the oldest id survives: {full:?}");
    assert_eq!(full.merged, vec![b.story]);
    assert_eq!(d.story(a.story).unwrap().members, ["part-a", "part-b", "full"], "members in insertion order");
    assert!(d.story(b.story).is_none(), "the absorbed id is gone");
    assert_eq!(d.story_of("part-b"), Some(a.story));
    assert_eq!(d.story_of("other"), Some(o.story));
    // Ids are never reused after a merge.
    let next = d.add(doc("other-2", "Completely unrelated: a chess club opened in a library.", 1)).unwrap();
    assert!(next.new_story && next.story > o.story);
}

#[test]
fn remove_takes_a_document_out_of_everything() {
    let mut d = Tracker::new(Detector::new());
    let docs = [doc("part-a", PART_A, 0), doc("other", OTHER, 0), doc("part-a-copy", PART_A, 0)];
    let stories: Vec<StoryId> = docs.iter().map(|x| d.add(x.clone()).unwrap().story).collect();
    assert_eq!(stories[0], stories[2]);
    assert_eq!(d.remove("part-a").unwrap(), stories[0]);
    assert_eq!(d.len(), 2);
    assert_eq!(d.story_of("part-a"), None);
    assert_eq!(d.story(stories[0]).unwrap().members, ["part-a-copy"]);
    // The statistics are those of the documents still held.
    let held = [docs[1].clone(), docs[2].clone()];
    assert_eq!(held_stats(&d), learned(&held));
    // Unknown ids are an error naming the id; the state is unchanged.
    let err = d.remove("part-a").expect_err("already removed");
    assert!(matches!(err.kind(), ErrorKind::UnknownId { id } if id == "part-a"), "{err}");
    assert_eq!(d.len(), 2);
    // The id can be added again, and finds its copy.
    let again = d.add(doc("part-a", PART_A, 0)).unwrap();
    assert_eq!(again.story, stories[0]);
    assert_eq!(again.matches[0].id, "part-a-copy");
    // Removing the last member deletes the story.
    d.remove("other").unwrap();
    assert!(d.story(stories[1]).is_none());
    assert_eq!(d.stories().count(), 1);
}

#[test]
fn retention_by_date_bounds_what_is_held() {
    let window = 10;
    let mut d = Tracker::new(Detector::builder().retention_days(Some(window)).build().unwrap());
    let mut all = Vec::new();
    let mut max_held = 0;
    for i in 0..300 {
        let day = (i / 4) as i32; // four articles a day for 75 days
        let x = filler(i, day);
        all.push(x.clone());
        let a = d.add(x).unwrap();
        max_held = max_held.max(d.len());
        // Everything held is inside the window of the newest date.
        let clock = d.clock().unwrap().days();
        for e in &a.expired {
            let j: usize = e.trim_start_matches("filler-").parse().unwrap();
            assert!((j / 4) as i32 + (window as i32) < clock, "{e} expired too early");
        }
    }
    assert!(max_held <= 4 * (window as usize + 1), "held {max_held} documents for a {window}-day window");
    let clock = d.clock().unwrap().days();
    let held: Vec<_> = all.iter().filter(|x| x.date.unwrap().days() >= clock - window as i32).cloned().collect();
    assert_eq!(d.len(), held.len());
    for x in &held {
        assert!(d.story_of(&x.id).is_some(), "{} should be held", x.id);
    }
    // Expiry takes back the statistics too: vocabulary follows the window.
    assert_eq!(held_stats(&d), learned(&held));
    // Expire on demand.
    let gone = d.expire_before(Date::from_days(clock));
    assert_eq!(gone.len(), held.len() - 4);
    assert_eq!(d.len(), 4);
}

#[test]
fn undated_documents_expire_in_insertion_order_by_the_clock() {
    let mut d = Tracker::new(Detector::builder().retention_days(Some(2)).build().unwrap());
    let undated = |i: usize| {
        let mut x = filler(i, 0);
        x.date = None;
        x.text = x.text.replace("on day 0", "recently");
        x
    };
    // Before any date is known, undated documents have no time and stay.
    d.add(undated(1)).unwrap();
    d.add(filler(2, 0)).unwrap(); // the clock starts: document 1 takes day 0
    d.add(undated(3)).unwrap(); // stamped with the clock, day 0
    d.add(filler(4, 2)).unwrap();
    assert_eq!(d.len(), 4);
    let a = d.add(filler(5, 3)).unwrap(); // window [1, 3]: day-0 documents go
    assert_eq!(a.expired, ["filler-1", "filler-2", "filler-3"]);
    assert_eq!(d.len(), 2);
}

#[test]
fn retention_by_count_keeps_the_newest() {
    let mut d = Tracker::new(Detector::builder().retention_documents(Some(5)).build().unwrap());
    let mut expired = Vec::new();
    for i in 0..12 {
        expired.extend(d.add(filler(i, 0)).unwrap().expired);
        assert!(d.len() <= 5);
    }
    let want: Vec<String> = (0..7).map(|i| format!("filler-{i}")).collect();
    assert_eq!(expired, want);
    let held: Vec<_> = (7..12).map(|i| filler(i, 0)).collect();
    assert_eq!(held_stats(&d), learned(&held));
    assert!(Detector::builder().retention_documents(Some(0)).build().is_err());
}

/// Two groups of reports of one kind of event (the same hijacking template,
/// half of the names shared): plain average linkage joins them (cross
/// similarity 0.27–0.59, within 0.68), the default cohesion guard keeps
/// them apart. A stream of the same reports first puts the second group's
/// early reports into the first story, then, once that story has grown to
/// twice the guard's size, re-cuts it and splits the second group off: the
/// stream ends with the batch stories.
#[test]
fn cohesion_guard_separates_two_events_of_one_kind_in_batch_and_stream() {
    let doc = |group: usize, k: usize| {
        let names = [
            ["Valdora", "Kestrin", "Oberhalt", "Marisol", "Tenbrook", "Quillan"],
            ["Valdora", "Kestrin", "Oberhalt", "Ravensky", "Pellucid", "Umbrello"],
        ][group];
        let n = |i: usize| names[(k + i) % 6];
        Document::new(
            format!("{}{k}", ["a", "b"][group]),
            format!(
                "Navy commandos stormed the hijacked tanker in the Gulf of Aden after pirates seized the vessel \
                 and its crew of twenty sailors off the Somali coast.\nThe ship {} was boarded near {} while \
                 captain {} radioed {} for help; officials in {} said {} had been freed. Report {k}.",
                n(0),
                n(1),
                n(2),
                n(3),
                n(4),
                n(5)
            ),
        )
    };
    let docs: Vec<Document> = (0..2).flat_map(|g| (0..6).map(move |k| doc(g, k))).collect();
    let two = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
    assert_eq!(Detector::new().cluster(&docs).unwrap().labels(), two);
    let plain = Detector::builder().cohesion_guard(None).build().unwrap();
    assert_eq!(plain.cluster(&docs).unwrap().labels(), [0; 12], "without the guard the two events join");

    let mut live = Tracker::new(Detector::new());
    let mut splits = Vec::new();
    for d in &docs {
        splits.extend(live.add(d.clone()).unwrap().split_off);
    }
    assert_eq!(splits.len(), 1, "one split once the story had grown: {splits:?}");
    let a = live.story_of("a0").unwrap();
    let b = live.story_of("b0").unwrap();
    assert_ne!(a, b);
    assert!((0..6).all(|k| live.story_of(&format!("a{k}")) == Some(a) && live.story_of(&format!("b{k}")) == Some(b)));
    let mut plain_live = Tracker::new(Detector::builder().cohesion_guard(None).build().unwrap());
    for d in &docs {
        plain_live.add(d.clone()).unwrap();
    }
    assert_eq!(plain_live.story_of("a0"), plain_live.story_of("b5"), "without the guard the stream keeps one story");
}

/// One document dated far beyond the clock (here a date found in its text,
/// as a misread "Posted" line gives) expires nothing and does not move the
/// clock; it is reported. A second document of that far date confirms it:
/// the feed really moved on, the clock follows and the old window expires.
#[test]
fn a_far_future_date_is_an_outlier_until_a_second_document_confirms_it() {
    let mut t = Tracker::new(Detector::builder().retention_days(Some(14)).build().unwrap());
    let topics = ["harbour strike", "bridge repair", "orchestra tour", "wheat harvest", "tram line", "school board"];
    for (i, topic) in topics.iter().enumerate() {
        let date = Date::parse(&format!("2023-09-{:02}", i + 1)).unwrap();
        let text = format!("Officials discussed the {topic} in the council on day {i}, residents said.");
        let a = t.add(Document::new(format!("d{i}"), text).with_date(date)).unwrap();
        assert!(!a.date_outlier);
    }
    let clock = t.clock();
    assert_eq!(clock, Some(Date::parse("2023-09-06").unwrap()));
    let far = t
        .add(Document::new(
            "far",
            "Posted 1 January 2099\nA comet was seen over the northern hills by amateur astronomers.",
        ))
        .unwrap();
    assert!(far.date_outlier, "{far:?}");
    assert!(far.expired.is_empty(), "one outlier expires nothing: {:?}", far.expired);
    assert_eq!(t.clock(), clock);
    assert_eq!(t.len(), topics.len() + 1);
    // Ordinary documents go on as before.
    let next = t
        .add(
            Document::new("d6", "The council approved the harbour strike settlement.")
                .with_date(Date::parse("2023-09-07").unwrap()),
        )
        .unwrap();
    assert!(!next.date_outlier && next.expired.is_empty());
    // A second document of the far date confirms it.
    let second = t
        .add(
            Document::new("far2", "Astronomers confirmed the comet seen over the northern hills.")
                .with_date(Date::parse("2099-01-02").unwrap()),
        )
        .unwrap();
    assert!(!second.date_outlier);
    assert_eq!(t.clock(), Some(Date::parse("2099-01-02").unwrap()));
    assert_eq!(second.expired.len(), topics.len() + 1, "the old window expires: {:?}", second.expired);
}
