//! Saved states: round trips that continue the stream exactly, and damaged
//! files (flipped bytes, truncation at every section boundary, another
//! version, a process killed mid-save) that load as clear errors or as the
//! last complete state, never as a panic or a silently different state.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use samestory::io::{ReadOptions, read_jsonl, read_txt_dir};
use samestory::{Date, Detector, Document, ErrorKind, Params, StoryId, Tracker};

// The state layout (format version 2), hard-coded here because the
// library's format constants are private: all integers little-endian; a
// 16-byte header (magic `SAMESTRY`, `u32` version, `u32` section count = 4),
// then the sections `CONF`, `STAT`, `DOCS`, `LIVE`, each a 4-byte tag, a
// `u64` payload length, a `u64` checksum (seeded XXH3-64 of the payload)
// and the payload.

/// The state file's magic bytes.
const MAGIC: &[u8; 8] = b"SAMESTRY";
/// The state format version this release reads and writes.
const VERSION: u32 = 3;
/// Bytes before the first section.
const HEADER_BYTES: usize = 16;
/// Bytes of a section header (tag, length, checksum).
const SECTION_HEADER_BYTES: usize = 20;
/// Section tags, in file order.
const SECTIONS: [[u8; 4]; 4] = [*b"CONF", *b"STAT", *b"DOCS", *b"LIVE"];
/// Seed of the section checksums.
const CHECKSUM_SEED: u64 = 0x5a3e_c4ec_6b5e_0001;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The demo corpus and seeds, plus dated variants of each (truncated,
/// re-dated, other source), in a fixed order: about 90 documents.
fn corpus() -> Vec<Document> {
    let path = manifest_dir().join("demo/articles.jsonl");
    let file = File::open(&path).expect("demo/articles.jsonl exists");
    let mut base = read_jsonl(BufReader::new(file), &path, ReadOptions::default()).expect("demo corpus is valid").docs;
    base.extend(read_txt_dir(&manifest_dir().join("demo/seeds")).expect("demo/seeds is readable").docs);
    let start = Date::from_ymd(2023, 9, 1).expect("valid date");
    let mut docs = Vec::new();
    for round in 0..6 {
        for (i, d) in base.iter().enumerate() {
            let mut v = d.clone();
            v.id = format!("{}#{round}", d.id);
            if round > 0 {
                let cut = v.text.len() * (10 - round) / 10;
                let cut = (0..=cut).rev().find(|&c| v.text.is_char_boundary(c)).unwrap_or(0);
                v.text.truncate(cut);
                v.source = Some(format!("outlet{round}.example"));
            }
            v.date = Some(Date::from_days(start.days() + (round * 7 + i % 5) as i32));
            docs.push(v);
        }
    }
    docs
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("samestory-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn filled(n: usize) -> Tracker {
    let mut d = Tracker::new(Detector::builder().retention_days(Some(20)).build().expect("valid parameters"));
    for doc in corpus().into_iter().take(n) {
        d.add(doc).expect("add");
    }
    d
}

#[test]
fn save_load_continues_the_stream_exactly() {
    let docs = corpus();
    let half = docs.len() / 2;
    let mut a = Tracker::new(Detector::builder().retention_days(Some(20)).build().unwrap());
    for d in &docs[..half] {
        a.add(d.clone()).unwrap();
    }
    let dir = temp_dir("roundtrip");
    let path = dir.join("news.idx");
    a.save(&path).unwrap();
    let mut b = Tracker::load(&path).unwrap();
    assert_eq!(b.to_bytes(), a.to_bytes(), "a loaded state saves to the same bytes");
    assert_eq!(b.len(), a.len());
    assert!(b.stories().eq(a.stories()));
    assert_eq!(b.detector().params(), a.detector().params());
    assert_eq!(b.clock(), a.clock());
    let mut expired = 0;
    for d in &docs[half..] {
        let x = a.add(d.clone()).unwrap();
        let y = b.add(d.clone()).unwrap();
        assert_eq!(x, y, "document {}", d.id);
        expired += x.expired.len();
    }
    assert!(expired > 0, "the 20-day window should expire documents in this stream");
    assert_eq!(a.to_bytes(), b.to_bytes());
    std::fs::remove_dir_all(&dir).unwrap();
}

fn load_err(bytes: &[u8]) -> samestory::Error {
    match Tracker::from_bytes(bytes) {
        Ok(_) => panic!("a damaged state loaded"),
        Err(e) => {
            assert!(
                matches!(e.kind(), ErrorKind::InvalidState { .. } | ErrorKind::UnsupportedStateVersion { .. }),
                "unexpected error kind: {e:?}"
            );
            e
        }
    }
}

/// Offsets where each section starts, plus the end of the file.
fn section_boundaries(bytes: &[u8]) -> Vec<usize> {
    let mut at = HEADER_BYTES;
    let mut out = vec![at];
    for tag in SECTIONS {
        assert_eq!(&bytes[at..at + 4], &tag);
        let len = u64::from_le_bytes(bytes[at + 4..at + 12].try_into().unwrap()) as usize;
        at += SECTION_HEADER_BYTES + len;
        out.push(at);
    }
    assert_eq!(at, bytes.len());
    out
}

/// Checks the documented layout: magic, version, section count, then each
/// section's tag, length and checksum, ending exactly at the end of the bytes.
fn check_layout(bytes: &[u8]) {
    check_layout_of(bytes, VERSION);
}

/// [`check_layout`] of a state saved in format `version`.
fn check_layout_of(bytes: &[u8], version: u32) {
    assert_eq!(&bytes[..8], MAGIC);
    assert_eq!(u32::from_le_bytes(bytes[8..12].try_into().unwrap()), version);
    assert_eq!(u32::from_le_bytes(bytes[12..16].try_into().unwrap()), SECTIONS.len() as u32);
    let bounds = section_boundaries(bytes);
    for (s, w) in bounds.windows(2).enumerate() {
        let (start, end) = (w[0], w[1]);
        let sum = u64::from_le_bytes(bytes[start + 12..start + 20].try_into().unwrap());
        let payload = &bytes[start + SECTION_HEADER_BYTES..end];
        assert_eq!(
            samestory::hash::hash_bytes(payload, CHECKSUM_SEED),
            sum,
            "checksum of section {}",
            String::from_utf8_lossy(&SECTIONS[s])
        );
    }
}

#[test]
fn saved_states_have_the_documented_layout() {
    check_layout(&Tracker::new(Detector::new()).to_bytes());
    check_layout(&filled(5).to_bytes());
}

/// A match as compared below: id, story, similarity, cosine, SimHash
/// distance, days apart, copy.
type MatchSummary<'a> = (&'a str, StoryId, f32, f32, u32, Option<u32>, bool);

/// The 3-document stream of `tests/data/state-v2.idx`, in order.
const V2_FIXTURE_DOCS: [(&str, &str, &str); 3] = [
    (
        "flood-1",
        "2025-04-06",
        "Flooding on the Tarnow river forced 340 residents of Brellin to leave their homes on Sunday, mayor Oskar \
         Veltman said.",
    ),
    (
        "orchestra-1",
        "2025-04-06",
        "The Kessel Valley orchestra named Mirela Danko its new principal conductor after a two-year search.",
    ),
    (
        "flood-2",
        "2025-04-07",
        "Mayor Oskar Veltman said 340 Brellin residents were evacuated as the Tarnow river flooded on Sunday.",
    ),
];

/// `tests/data/state-v2.idx` was saved by the previous release (commit
/// afe82a0, before `Detector` and `Tracker` were split), with its example:
/// `cluster --index state-v2.idx --format jsonl three.jsonl` on the three
/// made-up reports of [`V2_FIXTURE_DOCS`] (default parameters). That run
/// printed story 0 (new), story 1 (new), story 0 (best match `flood-1`,
/// similarity 0.7701). Adding a fourth report to a copy of the state with
/// the same example printed
/// `{"best_match":"flood-2","id":"flood-3","merged":[],"new_story":false,"similarity":0.7614,"split_off":[],"story":0}`;
/// the old library's full `Assignment` for it (`Debug`) is asserted below.
/// Format 3 (each document's lead) reads it: the documents it holds have no
/// lead, so the copy rule they were scored with holds for them. The new
/// release must load the file, save it as format 3 (which loads back to the
/// same bytes), and continue the stream exactly as the old one did.
#[test]
fn a_state_saved_by_the_previous_release_loads_and_continues() {
    let path = manifest_dir().join("tests/data/state-v2.idx");
    let bytes = std::fs::read(&path).expect("tests/data/state-v2.idx exists");
    check_layout_of(&bytes, 2);
    let mut t = Tracker::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let saved = t.to_bytes();
    check_layout(&saved);
    assert_eq!(Tracker::from_bytes(&saved).unwrap().to_bytes(), saved, "saved as format 3, it loads back alike");
    assert_eq!(t.detector().params(), &Params::default(), "the old example used the default parameters");
    assert_eq!(t.len(), 3);
    for (id, _, _) in V2_FIXTURE_DOCS {
        assert!(t.story_of(id).is_some(), "{id} is held");
    }
    let stories: Vec<(StoryId, Vec<&str>)> = t.stories().map(|s| (s.id, s.members)).collect();
    assert_eq!(stories, [(StoryId(0), vec!["flood-1", "flood-2"]), (StoryId(1), vec!["orchestra-1"])]);
    assert_eq!(t.clock(), Some(Date::parse("2025-04-07").unwrap()));
    // The same three reports added by this release give the same bytes.
    let mut fresh = Tracker::new(Detector::new());
    for (id, date, text) in V2_FIXTURE_DOCS {
        fresh.add(Document::new(id, text).with_date(Date::parse(date).unwrap())).unwrap();
    }
    let fresh_stories: Vec<(StoryId, Vec<&str>)> = fresh.stories().map(|s| (s.id, s.members)).collect();
    assert_eq!(fresh_stories, stories, "this release builds the same stories from the same stream");
    assert_eq!(fresh.clock(), t.clock());
    // Adding one of the fixture's documents again is refused: its id is held.
    let (id, date, text) = V2_FIXTURE_DOCS[0];
    let again = Document::new(id, text).with_date(Date::parse(date).unwrap());
    assert!(matches!(t.add(again).unwrap_err().kind(), ErrorKind::DuplicateId { .. }));

    let fourth = Document::new(
        "flood-3",
        "The Tarnow river receded on Tuesday and the 340 evacuated Brellin residents may return home, mayor Oskar \
         Veltman said.",
    )
    .with_date(Date::parse("2025-04-08").unwrap());
    let a = t.add(fourth).unwrap();
    // What the previous release decided for it.
    assert_eq!(a.story, StoryId(0));
    assert!(!a.new_story);
    assert!(a.merged.is_empty() && a.split_off.is_empty() && a.expired.is_empty(), "{a:?}");
    let got: Vec<MatchSummary<'_>> = a
        .matches
        .iter()
        .map(|m| {
            let s = &m.scores;
            (m.id.as_str(), m.story, s.similarity, s.cosine, s.simhash_distance, s.days_apart, s.copy)
        })
        .collect();
    assert_eq!(
        got,
        [
            ("flood-2", StoryId(0), 0.7613552, 0.7613552, 27, Some(1), false),
            ("flood-1", StoryId(0), 0.63989234, 0.63989234, 36, Some(2), false),
        ]
    );
    for m in &a.matches {
        let s = &m.scores;
        assert_eq!((s.jaccard, s.containment, s.jaccard_estimate), (0.0, 0.0, 0.0), "{m:?}");
    }
    let stories: Vec<(StoryId, Vec<&str>)> = t.stories().map(|s| (s.id, s.members)).collect();
    assert_eq!(stories, [(StoryId(0), vec!["flood-1", "flood-2", "flood-3"]), (StoryId(1), vec!["orchestra-1"])]);
}

#[test]
fn truncation_anywhere_is_a_clear_error() {
    let bytes = filled(40).to_bytes();
    let bounds = section_boundaries(&bytes);
    let mut cuts: Vec<usize> = Vec::new();
    for &b in &bounds {
        // At each boundary, just before and after it, and inside the next section header.
        cuts.extend([b.saturating_sub(1), b, b + 1, b + 4, b + 12, b + SECTION_HEADER_BYTES]);
    }
    cuts.extend(0..HEADER_BYTES);
    cuts.extend((0..bytes.len()).step_by(997));
    cuts.retain(|&c| c < bytes.len());
    cuts.sort_unstable();
    cuts.dedup();
    for c in cuts {
        match load_err(&bytes[..c]).kind() {
            ErrorKind::InvalidState { reason, .. } => assert!(!reason.is_empty()),
            other => panic!("cut at {c}: {other:?}"),
        }
    }
    // Extra bytes after the last section are refused too.
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(
        matches!(load_err(&longer).kind(), ErrorKind::InvalidState { reason, .. } if reason.contains("after the last section"))
    );
}

#[test]
fn flipped_bytes_are_detected_and_name_the_section() {
    let bytes = filled(40).to_bytes();
    let bounds = section_boundaries(&bytes);
    let mut positions: Vec<usize> = (0..bytes.len()).step_by(89).collect();
    positions.extend(0..HEADER_BYTES + SECTION_HEADER_BYTES);
    for &b in &bounds[..4] {
        positions.extend(b..b + SECTION_HEADER_BYTES + 2);
    }
    for p in positions {
        for bit in [0x01u8, 0x80] {
            let mut bad = bytes.clone();
            bad[p] ^= bit;
            let err = load_err(&bad);
            let kind = err.kind();
            if (8..12).contains(&p) {
                // Another version: refused, or (version 2, which is read) its sections do not decode.
                let v2_docs = matches!(kind, ErrorKind::InvalidState { reason, .. } if reason.starts_with("section "));
                assert!(matches!(kind, ErrorKind::UnsupportedStateVersion { .. }) || v2_docs, "flip at {p}: {kind:?}");
                continue;
            }
            let ErrorKind::InvalidState { reason, .. } = kind else { panic!("flip at {p}: {kind:?}") };
            // A flip inside a section names that section.
            if let Some(s) = (0..4).find(|&s| (bounds[s]..bounds[s + 1]).contains(&p)) {
                let tag = String::from_utf8_lossy(&SECTIONS[s]).into_owned();
                assert!(
                    reason.contains(&tag) || (p < bounds[s] + 4 && reason.contains("found tag")),
                    "flip at {p} in {tag}: {reason}"
                );
            }
        }
    }
}

#[test]
fn other_version_and_foreign_files_are_refused() {
    let mut bytes = filled(5).to_bytes();
    bytes[8..12].copy_from_slice(&(VERSION + 1).to_le_bytes());
    assert!(matches!(
        load_err(&bytes).kind(),
        ErrorKind::UnsupportedStateVersion { found, supported, .. } if *found == VERSION + 1 && *supported == VERSION
    ));
    // Version 1, older than the oldest read (2), is refused the same way.
    bytes[8..12].copy_from_slice(&1u32.to_le_bytes());
    assert!(matches!(
        load_err(&bytes).kind(),
        ErrorKind::UnsupportedStateVersion { found: 1, supported, .. } if *supported == VERSION
    ));
    assert!(matches!(load_err(b"").kind(), ErrorKind::InvalidState { .. }));
    assert!(matches!(load_err(b"{\"id\": 1, \"text\": \"a json line\"}\n").kind(), ErrorKind::InvalidState { .. }));
    // A missing file is an I/O error naming it.
    let missing = std::env::temp_dir().join("samestory-no-such-state.idx");
    let err = Tracker::load(&missing).expect_err("missing file");
    assert!(matches!(err.kind(), ErrorKind::Io { path, .. } if path == &missing));
    assert!(err.to_string().contains("samestory-no-such-state.idx"));
}

#[test]
fn save_replaces_atomically_and_reports_unwritable_paths() {
    let dir = temp_dir("atomic");
    let path = dir.join("state.idx");
    let small = filled(3);
    small.save(&path).unwrap();
    let big = filled(30);
    big.save(&path).unwrap();
    assert_eq!(Tracker::load(&path).unwrap().to_bytes(), big.to_bytes());
    // No temporary file is left behind by a completed save (the lock file of
    // the saves of this path stays).
    let mut names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, [".state.idx.lock", "state.idx"]);
    // Saving into a missing folder fails naming the path, and changes nothing.
    let err = small.save(dir.join("missing/state.idx")).expect_err("missing folder");
    assert!(matches!(err.kind(), ErrorKind::Io { .. }), "{err}");
    assert!(err.to_string().contains("missing"));
    assert_eq!(Tracker::load(&path).unwrap().to_bytes(), big.to_bytes());
    std::fs::remove_dir_all(&dir).unwrap();
}

const CHILD_ENV: &str = "SAMESTORY_SAVE_LOOP";

/// In the child process: save two different states to the same path, in
/// turn, until killed. In the test process: kill such a child at many
/// moments and load what it left.
#[test]
fn killed_mid_save_leaves_the_previous_or_the_new_state() {
    let small = filled(60);
    let big = filled(90);
    if let Ok(path) = std::env::var(CHILD_ENV) {
        let path = PathBuf::from(path);
        let marker = path.with_extension("started");
        let mut i = 0u64;
        loop {
            let d = if i.is_multiple_of(2) { &small } else { &big };
            d.save(&path).expect("save in the child");
            if i == 0 {
                std::fs::write(&marker, b"1").expect("marker");
            }
            i += 1;
        }
    }
    let (a, b) = (small.to_bytes(), big.to_bytes());
    let dir = temp_dir("kill");
    let path = dir.join("news.idx");
    let exe = std::env::current_exe().expect("test binary");
    let mut outcomes = [0usize; 2];
    let mut torn = 0;
    for round in 0..12u64 {
        let marker = path.with_extension("started");
        let _ = std::fs::remove_file(&marker);
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "killed_mid_save_leaves_the_previous_or_the_new_state",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &path)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn the saving child");
        let t0 = Instant::now();
        while !marker.exists() {
            assert!(t0.elapsed() < Duration::from_secs(120), "the child never saved");
            std::thread::sleep(Duration::from_millis(2));
        }
        // Kill at a different moment of the save loop each round.
        std::thread::sleep(Duration::from_micros(1_000 + round * 2_300));
        child.kill().expect("kill");
        child.wait().expect("wait");
        // A temporary file left behind means the kill landed mid-save.
        for e in std::fs::read_dir(&dir).unwrap() {
            let e = e.unwrap();
            if e.file_name().to_string_lossy().contains(".tmp-") {
                torn += 1;
                std::fs::remove_file(e.path()).unwrap();
            }
        }
        let loaded = Tracker::load(&path).unwrap_or_else(|e| panic!("round {round}: {e}")).to_bytes();
        if loaded == a {
            outcomes[0] += 1;
        } else if loaded == b {
            outcomes[1] += 1;
        } else {
            panic!("round {round}: the file is neither saved state");
        }
    }
    eprintln!(
        "after 12 kills ({torn} during a write): small state {} times, big state {} times",
        outcomes[0], outcomes[1]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A fresh folder for one test.
fn save_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("samestory-save-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Files of a folder other than the state and its lock: temporary files left behind.
fn leftovers(dir: &Path, keep: &[&str]) -> Vec<String> {
    let mut left: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()) && !n.ends_with(".lock"))
        .collect();
    left.sort();
    left
}

/// Two threads saving trackers to one path at once: both calls succeed,
/// each writes a whole state (saves take turns), the file holds one of the
/// two states, and no temporary file is left.
#[test]
fn concurrent_saves_of_one_path_each_write_a_whole_state() {
    let dir = save_dir("threads");
    let path = dir.join("news.idx");
    let (a, b) = (filled(20), filled(30));
    let (ba, bb) = (a.to_bytes(), b.to_bytes());
    for _ in 0..20 {
        std::thread::scope(|s| {
            let one = s.spawn(|| a.save(&path));
            let two = s.spawn(|| b.save(&path));
            one.join().unwrap().unwrap();
            two.join().unwrap().unwrap();
        });
        let on_disk = std::fs::read(&path).unwrap();
        assert!(on_disk == ba || on_disk == bb, "the file holds one whole state");
        assert!(Tracker::load(&path).is_ok());
    }
    assert_eq!(leftovers(&dir, &["news.idx"]), Vec::<String>::new());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Saving keeps the mode of the file it replaces, and replaces the file a
/// symbolic link points to, keeping the link.
#[cfg(unix)]
#[test]
fn saving_keeps_the_mode_and_the_symbolic_link() {
    use std::os::unix::fs::PermissionsExt;
    let dir = save_dir("mode");
    let path = dir.join("news.idx");
    let t = filled(5);
    t.save(&path).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    filled(6).save(&path).unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    let link = dir.join("current.idx");
    std::os::unix::fs::symlink("news.idx", &link).unwrap();
    t.save(&link).unwrap();
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is kept");
    assert_eq!(std::fs::read(&path).unwrap(), t.to_bytes(), "the file it points to is replaced");
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(leftovers(&dir, &["news.idx", "current.idx"]), Vec::<String>::new());
    std::fs::remove_dir_all(&dir).unwrap();
}
