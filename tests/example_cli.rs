//! Runs the compiled `cluster` example as a user would.
//!
//! `cargo test` (and `cargo nextest run --all-targets`) build the example
//! next to the test binaries: `target/<profile>/examples/cluster`. With
//! `cargo test --tests` it is not built; then, or when the binary is older
//! than the sources, each test prints a skip line and passes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::SystemTime;

const SEEDS: [&str; 2] = ["seeds/000_9a7db994ef940da5.txt", "seeds/001_6a2f0ebee5de1c9f.txt"];
const DEMO_DOCS: usize = 15;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Newest modification time of the files under `path`.
fn newest_mtime(path: &Path) -> Option<SystemTime> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.is_file() {
        return meta.modified().ok();
    }
    std::fs::read_dir(path).ok()?.filter_map(|e| e.ok()).filter_map(|e| newest_mtime(&e.path())).max()
}

/// The example binary, or `None` (with a skip line) when it is missing or stale.
fn cli(test: &str) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    // target/<profile>/deps/example_cli-<hash> -> target/<profile>/examples/cluster
    let profile_dir = exe.parent()?.parent()?;
    let bin = profile_dir.join("examples").join(format!("cluster{}", std::env::consts::EXE_SUFFIX));
    let Some(built) = std::fs::metadata(&bin).ok().and_then(|m| m.modified().ok()) else {
        eprintln!(
            "skipped {test}: {} not found (build it with `cargo test` or `cargo build --example cluster`)",
            bin.display()
        );
        return None;
    };
    let dir = manifest_dir();
    let sources =
        [dir.join("src"), dir.join("examples/cluster.rs"), dir.join("demo/articles.jsonl"), dir.join("demo/seeds")];
    if let Some(newest) = sources.iter().filter_map(|p| newest_mtime(p)).max()
        && newest > built
    {
        eprintln!("skipped {test}: {} is older than the sources (rebuild it with `cargo test`)", bin.display());
        return None;
    }
    Some(bin)
}

fn run(bin: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(bin);
    cmd.args(args).current_dir(manifest_dir()).stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("output is UTF-8")
}

/// `(id, cluster)` of each JSON Lines output line, checking the line's shape.
fn parse_jsonl(stdout: &str) -> Vec<(String, u64)> {
    stdout
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{line:?}: {e}"));
            let obj = v.as_object().unwrap_or_else(|| panic!("not an object: {line:?}"));
            assert_eq!(obj.len(), 2, "exactly `id` and `cluster`: {line:?}");
            let id = obj["id"].as_str().unwrap_or_else(|| panic!("id not a string: {line:?}")).to_string();
            let cluster = obj["cluster"].as_u64().unwrap_or_else(|| panic!("cluster not an integer: {line:?}"));
            (id, cluster)
        })
        .collect()
}

/// The demo ids in input order: the two seeds, then `demo/articles.jsonl`.
fn demo_ids() -> Vec<String> {
    let articles = std::fs::read_to_string(manifest_dir().join("demo/articles.jsonl")).unwrap();
    let mut ids: Vec<String> = SEEDS.iter().map(|s| s.to_string()).collect();
    for line in articles.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        ids.push(v["id"].as_str().unwrap().to_string());
    }
    assert_eq!(ids.len(), DEMO_DOCS);
    ids
}

/// A scratch directory unique to this process and test, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("samestory-cli-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const KIM: &str = "Russian President Vladimir Putin showed North Korean leader Kim Jong Un around the Vostochny Cosmodrome on Wednesday, and said Moscow would help Pyongyang build satellites. The two leaders toured the Angara rocket assembly hangar before talks that lasted more than four hours.";
const KIM_EDITED: &str = "Russian President Vladimir Putin showed North Korean leader Kim Jong Un around the Vostochny Cosmodrome on Wednesday, and said Moscow would help Pyongyang build satellites. The two leaders toured the Soyuz rocket assembly hangar before talks that lasted more than five hours.";
const BAKERY: &str = "Hatton's Bakery on Church Street reopened on Saturday, five months after floodwater from the River Mill ruined its ovens. Owner Priya Hatton said regulars queued from seven in the morning.";

fn jsonl_line(id: &str, body: &str) -> String {
    serde_json::json!({"id": id, "text": body}).to_string()
}

/// Five lines; line 3 is malformed JSON; line 4 has empty text.
fn jsonl_with_bad_line_3() -> String {
    [
        jsonl_line("kim", KIM),
        jsonl_line("kim-edited", KIM_EDITED),
        "{\"id\": \"broken\", \"text\": \"unterminated".to_string(),
        jsonl_line("empty", ""),
        jsonl_line("bakery", BAKERY),
    ]
    .join("\n")
        + "\n"
}

#[test]
fn demo_text_output_groups_the_seeds() {
    let Some(bin) = cli("demo_text_output_groups_the_seeds") else { return };
    let out = run(&bin, &[], None);
    assert!(out.status.success(), "exit {:?}; stderr: {}", out.status, text(&out.stderr));
    let stdout = text(&out.stdout);
    // Blocks start with `story N (k documents)`; members are indented by two spaces.
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    for line in stdout.lines() {
        if line.starts_with("story ") {
            blocks.push(Vec::new());
        } else if let (Some(block), Some(member)) = (blocks.last_mut(), line.strip_prefix("  "))
            && !member.starts_with(' ')
            && !member.is_empty()
        {
            block.push(member.split_whitespace().next().unwrap());
        }
        if line.contains("documents on their own") {
            break;
        }
    }
    assert!(
        blocks.iter().any(|b| SEEDS.iter().all(|s| b.contains(s))),
        "no story block holds both seeds: {blocks:?}\n{stdout}"
    );
}

#[test]
fn demo_jsonl_output_one_line_per_document() {
    let Some(bin) = cli("demo_jsonl_output_one_line_per_document") else { return };
    let out = run(&bin, &["--format", "jsonl"], None);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for line in stdout.lines() {
        assert!(line.starts_with("{\"id\":"), "{line:?}");
    }
    let rows = parse_jsonl(&stdout);
    assert_eq!(rows.len(), DEMO_DOCS);
    assert_eq!(rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>(), demo_ids(), "input order");
    assert_eq!(rows[0].1, rows[1].1, "the seeds share a cluster");
    assert_eq!(rows[0].1, 0, "labels are numbered by first member");
}

#[test]
fn demo_csv_output() {
    let Some(bin) = cli("demo_csv_output") else { return };
    let out = run(&bin, &["--format", "csv"], None);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "id,cluster");
    assert_eq!(lines.len(), DEMO_DOCS + 1);
    let rows: Vec<(&str, u64)> = lines[1..]
        .iter()
        .map(|l| {
            let (id, c) = l.rsplit_once(',').unwrap_or_else(|| panic!("{l:?}"));
            (id, c.parse().unwrap_or_else(|_| panic!("{l:?}")))
        })
        .collect();
    assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), demo_ids());
    assert_eq!(rows[0].1, rows[1].1);
    // Same labels as the JSON Lines output.
    let jsonl = parse_jsonl(&text(&run(&bin, &["--format", "jsonl"], None).stdout));
    assert_eq!(rows.iter().map(|r| r.1).collect::<Vec<_>>(), jsonl.iter().map(|r| r.1).collect::<Vec<_>>());
}

#[test]
fn malformed_line_stops_the_run_and_names_the_line() {
    let Some(bin) = cli("malformed_line_stops_the_run_and_names_the_line") else { return };
    let dir = TempDir::new("malformed");
    let path = dir.0.join("in.jsonl");
    std::fs::write(&path, jsonl_with_bad_line_3()).unwrap();
    for format in ["text", "jsonl", "csv"] {
        let out = run(&bin, &[path.to_str().unwrap(), "--format", format], None);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{format}: stderr {stderr}");
        assert!(stderr.contains("in.jsonl:3:"), "{format}: stderr should name line 3: {stderr}");
        assert!(out.stdout.is_empty(), "{format}: nothing may be printed: {}", text(&out.stdout));
    }
}

#[test]
fn skip_bad_skips_and_counts_the_malformed_line() {
    let Some(bin) = cli("skip_bad_skips_and_counts_the_malformed_line") else { return };
    let dir = TempDir::new("skip-bad");
    let path = dir.0.join("in.jsonl");
    std::fs::write(&path, jsonl_with_bad_line_3()).unwrap();
    let out = run(&bin, &[path.to_str().unwrap(), "--format", "jsonl", "--skip-bad"], None);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "stderr: {stderr}");
    assert!(stderr.contains("skipped 1 bad line"), "{stderr}");
    assert!(stderr.contains("line 3"), "{stderr}");
    let rows = parse_jsonl(&text(&out.stdout));
    let ids: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(ids, ["kim", "kim-edited", "empty", "bakery"]);
    let label = |id: &str| rows.iter().find(|r| r.0 == id).unwrap().1;
    assert_eq!(label("kim"), label("kim-edited"), "a near copy shares the story");
    assert_eq!(rows.iter().filter(|r| r.1 == label("empty")).count(), 1, "the empty document is a singleton");
    assert_ne!(label("bakery"), label("kim"));
}

#[test]
fn non_utf8_txt_file_is_named() {
    let Some(bin) = cli("non_utf8_txt_file_is_named") else { return };
    let dir = TempDir::new("non-utf8");
    std::fs::write(dir.0.join("good.txt"), KIM).unwrap();
    std::fs::write(dir.0.join("latin1.txt"), b"Caf\xe9 au lait, cr\xe8me br\xfbl\xe9e.").unwrap();
    let out = run(&bin, &[dir.0.to_str().unwrap()], None);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(stderr.contains("latin1.txt"), "stderr should name the file: {stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn txt_folder_is_read_by_file_name() {
    let Some(bin) = cli("txt_folder_is_read_by_file_name") else { return };
    let dir = TempDir::new("txt-dir");
    std::fs::write(dir.0.join("b.txt"), KIM_EDITED).unwrap();
    std::fs::write(dir.0.join("a.txt"), KIM).unwrap();
    std::fs::write(dir.0.join("c.txt"), BAKERY).unwrap();
    std::fs::write(dir.0.join("ignored.md"), "not a txt file").unwrap();
    let out = run(&bin, &[dir.0.to_str().unwrap(), "--format", "jsonl"], None);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let rows = parse_jsonl(&text(&out.stdout));
    assert_eq!(rows, [("a.txt".to_string(), 0), ("b.txt".to_string(), 0), ("c.txt".to_string(), 1)]);
}

#[test]
fn stdin_dash_reads_jsonl() {
    let Some(bin) = cli("stdin_dash_reads_jsonl") else { return };
    let input = format!("{}\n{}\n", jsonl_line("kim", KIM), jsonl_line("bakery", BAKERY));
    let out = run(&bin, &["-", "--format", "csv"], Some(&input));
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "id,cluster\nkim,0\nbakery,1\n");
    // A malformed line on stdin is named too.
    let out = run(&bin, &["-", "--format", "csv"], Some("{\"text\": \"ok\"}\nnot json\n"));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains(":2:"), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_arguments_exit_2() {
    let Some(bin) = cli("bad_arguments_exit_2") else { return };
    for args in [&["--format", "xml"][..], &["--threshold", "abc"], &["--bogus"], &["a.jsonl", "b.jsonl"]] {
        let out = run(&bin, args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty() && out.stdout.is_empty(), "{args:?}");
    }
    let out = run(&bin, &["--threshold", "0"], None);
    assert_eq!(out.status.code(), Some(2), "threshold 0 is an invalid parameter");
    assert!(text(&out.stderr).contains("story_threshold"), "{}", text(&out.stderr));
}

#[test]
fn index_round_trip_assigns_tomorrows_report_to_todays_story() {
    let Some(bin) = cli("index_round_trip_assigns_tomorrows_report_to_todays_story") else { return };
    let tmp = TempDir::new("index");
    let seeds = manifest_dir().join("demo/seeds");
    let (day1, day2) = (tmp.0.join("day1"), tmp.0.join("day2"));
    for (dir, seed) in [(&day1, 0), (&day2, 1)] {
        std::fs::create_dir_all(dir).unwrap();
        let name = SEEDS[seed].trim_start_matches("seeds/");
        std::fs::copy(seeds.join(name), dir.join(name)).unwrap();
    }
    // Day one: a seed and an unrelated story; day two: the other seed and a reprint.
    std::fs::write(day1.join("bakery.txt"), BAKERY).unwrap();
    std::fs::write(day2.join("bakery-reprint.txt"), BAKERY).unwrap();
    let index = tmp.0.join("news.idx");
    let idx = index.to_str().unwrap();

    let first = run(&bin, &[day1.to_str().unwrap(), "--index", idx, "--format", "jsonl"], None);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let lines: Vec<serde_json::Value> = text(&first.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|v| v["new_story"] == true), "{lines:?}");
    let story_of = |lines: &[serde_json::Value], id: &str| {
        lines.iter().find(|v| v["id"] == id).unwrap_or_else(|| panic!("{id} missing: {lines:?}"))["story"].clone()
    };
    let seed0 = SEEDS[0].trim_start_matches("seeds/");
    let seed1 = SEEDS[1].trim_start_matches("seeds/");
    let seed_story = story_of(&lines, seed0);
    let bakery_story = story_of(&lines, "bakery.txt");
    assert_ne!(seed_story, bakery_story);
    assert!(index.exists());

    // Day two joins day one's stories through the saved index.
    let second = run(&bin, &[day2.to_str().unwrap(), "--index", idx, "--format", "jsonl"], None);
    assert!(second.status.success(), "{}", text(&second.stderr));
    let lines: Vec<serde_json::Value> =
        text(&second.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(story_of(&lines, seed1), seed_story, "{lines:?}");
    assert_eq!(story_of(&lines, "bakery-reprint.txt"), bakery_story);
    let seed_line = lines.iter().find(|v| v["id"] == seed1).unwrap();
    assert_eq!(seed_line["new_story"], false);
    assert_eq!(seed_line["best_match"], seed0);
    assert!(text(&second.stderr).contains("held 2 documents; added 2"), "{}", text(&second.stderr));

    // Re-running a day reports its documents as already indexed and changes nothing.
    let before = std::fs::read(&index).unwrap();
    let again = run(&bin, &[day2.to_str().unwrap(), "--index", idx], None);
    assert!(again.status.success());
    assert!(text(&again.stderr).contains("already in the index"), "{}", text(&again.stderr));
    assert!(text(&again.stdout).is_empty());
    assert_eq!(std::fs::read(&index).unwrap(), before, "an unchanged state saves to the same bytes");

    // Parameters belong to the index.
    let refused = run(&bin, &[day2.to_str().unwrap(), "--index", idx, "--threshold", "0.3"], None);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("keeps the parameters"), "{}", text(&refused.stderr));

    // A damaged index is a clear error naming the file, and is left as it was.
    let mut damaged = before.clone();
    let at = damaged.len() / 2;
    damaged[at] ^= 0x40;
    std::fs::write(&index, &damaged).unwrap();
    let bad = run(&bin, &[day2.to_str().unwrap(), "--index", idx], None);
    assert_eq!(bad.status.code(), Some(2));
    let err = text(&bad.stderr);
    assert!(err.contains("news.idx") && err.contains("checksum"), "{err}");
    assert_eq!(std::fs::read(&index).unwrap(), damaged);
}
