//! Runs the compiled `cluster` example as a user would: the embedded demo,
//! one PATH, and nothing else (its options are the `samestory` command's,
//! tested in `cli/tests/cli.rs`).
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

/// The member ids of each `story N (k documents)` block (members are
/// indented by two spaces, pair lines by four).
fn story_blocks(stdout: &str) -> Vec<Vec<&str>> {
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    for line in stdout.lines() {
        if line.contains("documents on their own") {
            break;
        }
        if line.starts_with("story ") {
            blocks.push(Vec::new());
        } else if let (Some(block), Some(member)) = (blocks.last_mut(), line.strip_prefix("  "))
            && !member.starts_with(' ')
            && !member.is_empty()
        {
            block.push(member.split_whitespace().next().unwrap());
        }
    }
    blocks
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

#[test]
fn demo_output_groups_the_seeds_in_one_story_of_two() {
    let Some(bin) = cli("demo_output_groups_the_seeds_in_one_story_of_two") else { return };
    let out = run(&bin, &[], None);
    assert!(out.status.success(), "exit {:?}; stderr: {}", out.status, text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("story 1 (2 documents)\n"), "{stdout}");
    let blocks = story_blocks(&stdout);
    assert!(blocks.iter().any(|b| b.len() == 2 && SEEDS.iter().all(|s| b.contains(s))), "{blocks:?}\n{stdout}");
    assert!(stdout.contains("similarity") && stdout.contains("documents on their own:"), "{stdout}");
    assert!(text(&out.stderr).starts_with("15 documents, "), "{}", text(&out.stderr));
}

#[test]
fn a_jsonl_path_and_stdin_are_clustered() {
    let Some(bin) = cli("a_jsonl_path_and_stdin_are_clustered") else { return };
    let dir = TempDir::new("example-path");
    let path = dir.0.join("in.jsonl");
    let input = [jsonl_line("kim", KIM), jsonl_line("bakery", BAKERY), jsonl_line("kim-edited", KIM_EDITED)].join("\n");
    std::fs::write(&path, &input).unwrap();
    let from_file = run(&bin, &[path.to_str().unwrap()], None);
    assert!(from_file.status.success(), "stderr: {}", text(&from_file.stderr));
    let stdout = text(&from_file.stdout);
    assert_eq!(story_blocks(&stdout), [["kim", "kim-edited"]], "{stdout}");
    assert!(stdout.contains("1 stories with 2+ documents; 1 documents on their own:\n  bakery\n"), "{stdout}");
    let from_stdin = run(&bin, &["-"], Some(&input));
    assert!(from_stdin.status.success(), "stderr: {}", text(&from_stdin.stderr));
    assert_eq!(text(&from_stdin.stdout), stdout);
    // A malformed line stops the run, naming the line, before anything is printed.
    std::fs::write(&path, format!("{input}\nnot json\n")).unwrap();
    let bad = run(&bin, &[path.to_str().unwrap()], None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("in.jsonl:4"), "{}", text(&bad.stderr));
    assert!(bad.stdout.is_empty());
}

#[test]
fn the_example_takes_no_options() {
    let Some(bin) = cli("the_example_takes_no_options") else { return };
    for args in [&["a.jsonl", "b.jsonl"][..], &["demo/articles.jsonl", "--format"], &["--format"], &["--help"]] {
        let out = run(&bin, args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(text(&out.stderr).contains("usage: cluster [PATH]") && out.stdout.is_empty(), "{args:?}");
    }
}
