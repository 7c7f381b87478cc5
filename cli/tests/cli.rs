//! Drives the built `samestory` binary as a user would.
//!
//! "No PATH and a terminal on stdin prints the usage and exits 2" needs a
//! terminal: it is tested under util-linux `script` (a pseudo-terminal) when
//! that is installed, and skipped with a line saying so otherwise. A
//! non-terminal stdin (a pipe, or /dev/null) is read as input, never the demo.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_samestory");

/// Made-up articles: two reports of a rail accident, two of a museum theft, one alone.
const DOCS: [(&str, &str, &str); 5] = [
    (
        "rail-1",
        "Grain train derails near Ostrava Vale",
        "A freight train carrying 40 tonnes of barley derailed near Ostrava Vale on Tuesday, closing the \
         Pellin line for two days, the operator Northrail said. Nobody was hurt.",
    ),
    (
        "museum-1",
        "Gold mask stolen from Carrow museum",
        "Thieves took a gold funeral mask from the Carrow Municipal Museum overnight on Friday, police \
         said, after forcing a skylight above the Etruscan gallery.",
    ),
    (
        "rail-2",
        "Northrail shuts Pellin line after barley spill",
        "Northrail closed the Pellin line after a barley train left the tracks outside Ostrava Vale on \
         Tuesday; 40 tonnes of grain spilled and the line stays shut for two days.",
    ),
    (
        "museum-2",
        "Police hunt thieves of Etruscan gold mask",
        "Police in Carrow are hunting the thieves who broke through a skylight of the Municipal Museum on \
         Friday night and took its Etruscan gold funeral mask.",
    ),
    (
        "rowing",
        "Harrowgate win the river cup",
        "Harrowgate rowing club won the river cup on Saturday, beating Lisle by two lengths in strong wind.",
    ),
];

fn jsonl(docs: &[(&str, &str, &str)]) -> String {
    docs.iter()
        .map(|(id, title, text)| {
            serde_json::json!({"id": id, "title": title, "text": text, "date": "2031-05-06"}).to_string() + "\n"
        })
        .collect()
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("samestory-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).env("NO_COLOR", "1");
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    let mut child = cmd.spawn().expect("run samestory");
    if let Some(input) = stdin {
        let mut w = child.stdin.take().unwrap();
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = w.write_all(&input);
        });
    }
    child.wait_with_output().unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `(id, story)` of each JSON Lines row.
fn stories_jsonl(out: &str) -> Vec<(String, u64)> {
    out.lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            (v["id"].as_str().unwrap().to_string(), v["story"].as_u64().unwrap())
        })
        .collect()
}

fn story_of(rows: &[(String, u64)], id: &str) -> u64 {
    rows.iter().find(|(i, _)| i == id).unwrap_or_else(|| panic!("no row for {id}: {rows:?}")).1
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).unwrap();
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn help_version_and_usage_errors() {
    let o = run(&["--help"], None);
    assert_eq!(code(&o), 0);
    let h = stdout(&o);
    for s in [
        "cluster",
        "track",
        "explain",
        "stats",
        "Exit codes",
        "0  success",
        "1  runtime failure",
        "2  usage or input error",
    ] {
        assert!(h.contains(s), "top-level help lacks {s:?}:\n{h}");
    }
    let o = run(&["cluster", "--help"], None);
    assert_eq!(code(&o), 0);
    let h = stdout(&o);
    for flag in [
        "--glob",
        "--input-format",
        "--id-field",
        "--text-field",
        "--title-field",
        "--date-field",
        "--skip-bad",
        "--bad-report",
        "--max-doc-bytes",
        "--format",
        "--output",
        "--threads",
        "--quiet",
        "--threshold",
        "--param",
    ] {
        assert!(h.contains(flag), "cluster --help lacks {flag}");
    }
    let h = stdout(&run(&["track", "--help"], None));
    assert!(h.contains("--index") && h.contains("--retention-days") && h.contains("--list"));
    assert!(stdout(&run(&["explain", "--help"], None)).contains("ID_A"));
    for v in ["--version", "-V"] {
        let o = run(&[v], None);
        assert_eq!(code(&o), 0);
        assert!(stdout(&o).starts_with("samestory "), "{}", stdout(&o));
    }
    assert_eq!(code(&run(&["cluster", "--no-such-flag"], None)), 2);
    assert_eq!(code(&run(&[], None)), 2);
    assert_eq!(code(&run(&["cluster", "--format", "xml", "-"], Some(b""))), 2);
    assert_eq!(code(&run(&["cluster", "/no/such/file.jsonl"], None)), 2);
    assert_eq!(code(&run(&["cluster", "--threshold", "1.5", "-"], Some(b""))), 2);
}

/// The example's embedded demo, read from `demo/`: the two seed pages are
/// one story of exactly two documents, story 0 (stories are numbered by
/// their first document), one row per document in input order.
#[test]
fn demo_seeds_and_articles_give_one_story_of_the_two_seeds() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../demo");
    let (seeds, articles) = (demo.join("seeds"), demo.join("articles.jsonl"));
    let o = run(&["cluster", seeds.to_str().unwrap(), articles.to_str().unwrap(), "-f", "jsonl"], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let rows = stories_jsonl(&stdout(&o));
    let mut ids = vec!["000_9a7db994ef940da5.txt".to_string(), "001_6a2f0ebee5de1c9f.txt".to_string()];
    for l in std::fs::read_to_string(&articles).unwrap().lines().filter(|l| !l.trim().is_empty()) {
        ids.push(serde_json::from_str::<Value>(l).unwrap()["id"].as_str().unwrap().to_string());
    }
    assert_eq!(rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>(), ids, "input order");
    assert_eq!(rows.len(), 15);
    assert_eq!((rows[0].1, rows[1].1), (0, 0), "the seeds are story 0");
    assert_eq!(rows.iter().filter(|r| r.1 == 0).count(), 2, "and only they: {rows:?}");
}

#[test]
fn piped_stdin_without_dash_is_read_not_the_demo() {
    let o = run(&["cluster", "--format", "jsonl"], Some(jsonl(&DOCS).as_bytes()));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let rows = stories_jsonl(&stdout(&o));
    assert_eq!(rows.len(), 5);
    assert_eq!(story_of(&rows, "rail-1"), story_of(&rows, "rail-2"));
    assert_eq!(story_of(&rows, "museum-1"), story_of(&rows, "museum-2"));
    assert_ne!(story_of(&rows, "rail-1"), story_of(&rows, "museum-1"));
    assert!(stderr(&o).contains("read 5 documents"), "{}", stderr(&o));
    assert!(!stdout(&o).contains("seeds/"), "the demo ran");
}

#[test]
fn empty_stdin_reads_nothing_and_says_so() {
    let o = run(&["cluster"], None); // stdin is /dev/null: not a terminal, so it is the input
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("read 0 documents") && e.contains("standard input held no documents"), "{e}");
    assert!(!stdout(&o).contains("seeds/"), "the demo ran");
}

#[test]
fn no_input_on_a_terminal_prints_the_usage_and_exits_2() {
    let probe = Command::new("script").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status();
    if !probe.is_ok_and(|s| s.success()) {
        eprintln!("skipped: util-linux `script` is not installed (it gives the command a terminal)");
        return;
    }
    // `script -e` runs the command on a pseudo-terminal and exits with its code.
    let o = Command::new("script")
        .args(["-qec", &format!("'{BIN}' cluster"), "/dev/null"])
        .stdin(Stdio::null())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let all = String::from_utf8_lossy(&o.stdout).into_owned() + &stderr(&o);
    assert_eq!(code(&o), 2, "{all}");
    assert!(all.contains("no input") && all.contains("Usage: samestory cluster"), "{all}");
    assert!(!all.contains("seeds/"), "the demo ran");
}

#[test]
fn folder_with_mixed_case_extensions_subfolder_and_unread_files() {
    let d = tmpdir("folder");
    write(&d.join("RAIL1.TXT"), DOCS[0].2);
    write(&d.join("sub/rail2.Txt"), DOCS[2].2);
    write(&d.join("more.JSONL"), jsonl(&DOCS[1..2]) + &jsonl(&DOCS[3..4]));
    write(&d.join("README.md"), "# notes\n");
    write(&d.join("photo.jpeg"), [0xff, 0xd8, 0xff]);
    let o = run(&["cluster", d.to_str().unwrap(), "-f", "jsonl"], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let rows = stories_jsonl(&stdout(&o));
    let ids: Vec<&str> = rows.iter().map(|(i, _)| i.as_str()).collect();
    assert_eq!(ids, ["RAIL1.TXT", "museum-1", "museum-2", "sub/rail2.Txt"]);
    assert_eq!(story_of(&rows, "RAIL1.TXT"), story_of(&rows, "sub/rail2.Txt"));
    let e = stderr(&o);
    assert!(e.contains("read 4 documents from 3 files") && e.contains("2 files not read"), "{e}");
    assert!(e.contains("README.md") && e.contains("photo.jpeg"), "unread files must be listed: {e}");

    let o = run(&["cluster", d.to_str().unwrap(), "--glob", "SUB/*", "-f", "jsonl"], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stories_jsonl(&stdout(&o)).len(), 1);
    assert!(stderr(&o).contains("4 files not read") && stderr(&o).contains("does not match --glob"), "{}", stderr(&o));
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn csv_input_with_other_field_names() {
    let d = tmpdir("csv");
    let mut csv = String::from("Headline,Body,key,published\n");
    for (id, title, text) in DOCS {
        csv.push_str(&format!("\"{title}\",\"{}\",{id},2031-05-06\n", text.replace('"', "\"\"")));
    }
    write(&d.join("news.CSV"), &csv);
    let f = d.join("news.CSV");
    let args = [
        "cluster",
        f.to_str().unwrap(),
        "-f",
        "jsonl",
        "--id-field",
        "key",
        "--text-field",
        "body",
        "--title-field",
        "headline",
        "--date-field",
        "published",
    ];
    let o = run(&args, None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let rows = stories_jsonl(&stdout(&o));
    assert_eq!(rows.len(), 5);
    assert_eq!(story_of(&rows, "rail-1"), story_of(&rows, "rail-2"));
    // Without the text column: an input error naming the file.
    let o = run(&["cluster", f.to_str().unwrap()], None);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("news.CSV:1") && stderr(&o).contains("`text`"), "{}", stderr(&o));
    // JSON Lines with other field names.
    let renamed: String =
        DOCS.iter().map(|(id, _, text)| serde_json::json!({"doc_id": id, "body": text}).to_string() + "\n").collect();
    let o = run(&["cluster", "-f", "jsonl", "--id-field", "doc_id", "--text-field", "body"], Some(renamed.as_bytes()));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(story_of(&stories_jsonl(&stdout(&o)), "museum-1"), story_of(&stories_jsonl(&stdout(&o)), "museum-2"));
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn gzip_and_zstd_are_read_transparently() {
    let d = tmpdir("compressed");
    let plain = jsonl(&DOCS);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(plain.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let zst = zstd::encode_all(plain.as_bytes(), 3).unwrap();
    write(&d.join("a.jsonl"), &plain);
    write(&d.join("b.jsonl.gz"), &gz);
    write(&d.join("c.JSONL.ZST"), &zst);
    write(&d.join("d.jsonl"), &gz); // gzip under a plain name: found by its magic bytes
    let expected = stdout(&run(&["cluster", d.join("a.jsonl").to_str().unwrap(), "-f", "jsonl"], None));
    assert_eq!(stories_jsonl(&expected).len(), 5);
    for f in ["b.jsonl.gz", "c.JSONL.ZST", "d.jsonl"] {
        let o = run(&["cluster", d.join(f).to_str().unwrap(), "-f", "jsonl"], None);
        assert_eq!(code(&o), 0, "{f}: {}", stderr(&o));
        assert_eq!(stdout(&o), expected, "{f}");
    }
    let o = run(&["cluster", "-f", "jsonl"], Some(&zst));
    assert_eq!(stdout(&o), expected, "zstd on stdin");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn document_of_36_mb_with_and_without_skip_bad_and_a_higher_limit() {
    let d = tmpdir("big");
    let words = ["harbour", "crane", "Velmar", "tonnes", "ferry", "quay", "storm", "pilot"];
    let mut text = String::with_capacity(37 << 20);
    let mut i = 0usize;
    while text.len() < 36_000_000 {
        text.push_str(words[i % 8]);
        text.push_str(&(i % 4999).to_string());
        text.push(' ');
        i += 1;
    }
    let mut input = jsonl(&DOCS[..2]);
    input.push_str(&(serde_json::json!({"id": "huge", "text": text}).to_string() + "\n"));
    input.push_str(&jsonl(&DOCS[2..]));
    let f = d.join("big.jsonl");
    write(&f, &input);
    let p = f.to_str().unwrap();

    let o = run(&["cluster", p, "-f", "jsonl"], None);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("big.jsonl:3:") && stderr(&o).contains("--max-doc-bytes"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());

    let o = run(&["cluster", p, "-f", "jsonl", "--skip-bad"], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let rows = stories_jsonl(&stdout(&o));
    assert_eq!(rows.len(), 5);
    assert_eq!(story_of(&rows, "rail-1"), story_of(&rows, "rail-2"));
    assert!(stderr(&o).contains("skipped 1 bad record") && stderr(&o).contains("big.jsonl:3"), "{}", stderr(&o));

    let o = run(&["cluster", p, "-f", "jsonl", "--max-doc-bytes", "40000000", "-q"], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stories_jsonl(&stdout(&o)).len(), 6);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn latin1_lines_and_files_are_bad_records() {
    let d = tmpdir("latin1");
    let mut bytes = jsonl(&DOCS[..1]).into_bytes();
    bytes.extend_from_slice(b"{\"id\": \"cafe\", \"text\": \"Le caf\xe9 de la gare a rouvert.\"}\n");
    bytes.extend_from_slice(jsonl(&DOCS[1..]).as_bytes());
    let f = d.join("mixed.jsonl");
    write(&f, &bytes);
    let o = run(&["cluster", f.to_str().unwrap()], None);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("mixed.jsonl:2:") && stderr(&o).contains("not UTF-8"), "{}", stderr(&o));
    let report = d.join("bad.jsonl");
    let o = run(
        &["cluster", f.to_str().unwrap(), "--skip-bad", "-f", "jsonl", "--bad-report", report.to_str().unwrap()],
        None,
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stories_jsonl(&stdout(&o)).len(), 5);
    let rep = std::fs::read_to_string(&report).unwrap();
    let v: Value = serde_json::from_str(rep.trim()).unwrap();
    assert!(v["file"].as_str().unwrap().ends_with("mixed.jsonl"));
    assert_eq!(v["line"], 2);
    assert!(v["reason"].as_str().unwrap().contains("UTF-8"));
    // A Latin-1 .txt file in a folder: skipped with --skip-bad, the others read.
    let dir = d.join("folder");
    write(&dir.join("ok.txt"), DOCS[0].2);
    write(&dir.join("latin.txt"), b"Le caf\xe9 de la gare\n");
    let o = run(&["cluster", dir.to_str().unwrap()], None);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("latin.txt") && o.stdout.is_empty(), "the file is named: {}", stderr(&o));
    let o = run(&["cluster", dir.to_str().unwrap(), "--skip-bad", "-f", "jsonl"], None);
    assert_eq!(code(&o), 0);
    assert_eq!(stories_jsonl(&stdout(&o)), [("ok.txt".to_string(), 0)]);
    assert!(stderr(&o).contains("latin.txt"), "{}", stderr(&o));
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn malformed_lines_stop_the_run_or_are_skipped() {
    let input = jsonl(&DOCS[..2]) + "{not json\n" + "{\"id\": \"x\"}\n" + &jsonl(&DOCS[2..]);
    for f in ["text", "jsonl", "csv", "json"] {
        let o = run(&["cluster", "-", "-f", f], Some(input.as_bytes()));
        assert_eq!(code(&o), 2, "{f}");
        assert!(stderr(&o).contains("<stdin>:3: invalid JSON"), "{f}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{f}: nothing may be printed: {}", stdout(&o));
    }
    let o = run(&["cluster", "-", "--skip-bad", "-f", "jsonl"], Some(input.as_bytes()));
    assert_eq!(code(&o), 0);
    assert_eq!(stories_jsonl(&stdout(&o)).len(), 5);
    let e = stderr(&o);
    assert!(e.contains("skipped 2 bad records") && e.contains("<stdin>:4: missing field `text`"), "{e}");
    // A repeated id is a bad record too.
    let input = jsonl(&DOCS) + &jsonl(&DOCS[..1]);
    let o = run(&["cluster", "-"], Some(input.as_bytes()));
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("<stdin>:6: repeated id \"rail-1\""), "{}", stderr(&o));
}

#[test]
fn impossible_date_is_a_warning_and_the_document_is_kept() {
    let input = jsonl(&DOCS[..2])
        + &serde_json::json!({"id": "late", "text": DOCS[2].2, "date": "2014-09-31"}).to_string()
        + "\n"
        + &jsonl(&DOCS[3..]);
    let o = run(&["cluster", "-", "-f", "jsonl"], Some(input.as_bytes()));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let rows = stories_jsonl(&stdout(&o));
    assert_eq!(rows.len(), 5);
    assert_eq!(story_of(&rows, "late"), story_of(&rows, "rail-1"));
    let e = stderr(&o);
    assert!(e.contains("warning: <stdin>:3: field `date`: \"2014-09-31\""), "{e}");
    assert!(e.contains("1 warning"), "{e}");
}

#[test]
fn output_file_is_written_atomically() {
    let d = tmpdir("output");
    let out = d.join("stories.jsonl");
    let o = run(&["cluster", "-", "-f", "jsonl", "-o", out.to_str().unwrap()], Some(jsonl(&DOCS).as_bytes()));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let direct = stdout(&run(&["cluster", "-", "-f", "jsonl"], Some(jsonl(&DOCS).as_bytes())));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), direct);
    let names: Vec<String> =
        std::fs::read_dir(&d).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["stories.jsonl"], "a temporary file was left");
    // A missing folder is an error before any work, and nothing is written.
    let o = run(&["cluster", "-", "-o", d.join("missing/x.jsonl").to_str().unwrap()], Some(jsonl(&DOCS).as_bytes()));
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("does not exist") && !stderr(&o).contains("read 5"), "{}", stderr(&o));
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn formats_agree_on_the_story_of_each_id() {
    let input = jsonl(&DOCS);
    let get = |f: &str| stdout(&run(&["cluster", "-", "-f", f, "--threads", "1"], Some(input.as_bytes())));
    let from_jsonl = stories_jsonl(&get("jsonl"));
    let json: Vec<Value> = serde_json::from_str(&get("json")).unwrap();
    let from_json: Vec<(String, u64)> =
        json.iter().map(|v| (v["id"].as_str().unwrap().to_string(), v["story"].as_u64().unwrap())).collect();
    let csv = get("csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id,story,size,copy,copies,copy_of,best_match,similarity,new_story,merged,split_off"
    );
    let from_csv: Vec<(String, u64)> = lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_string(), f[1].parse().unwrap())
        })
        .collect();
    // Text: "story N (k documents)" then "  ID  snippet" members; singles as "  story N  ID  snippet".
    let text = get("text");
    let mut from_text = Vec::new();
    let mut current = None;
    for l in text.lines() {
        if let Some(rest) = l.strip_prefix("story ") {
            current = Some(rest.split(' ').next().unwrap().parse::<u64>().unwrap());
        } else if let Some(rest) = l.strip_prefix("  story ") {
            let mut f = rest.split("  ");
            let n = f.next().unwrap().parse().unwrap();
            from_text.push((f.next().unwrap().to_string(), n));
        } else if let (Some(n), Some(rest)) = (current, l.strip_prefix("  "))
            && !rest.starts_with(' ')
        {
            from_text.push((rest.split(' ').next().unwrap().to_string(), n));
        } else if l.is_empty() {
            current = None;
        }
    }
    assert!(text.contains("Grain train derails near Ostrava Vale"), "titles shown:\n{text}");
    assert_eq!(from_jsonl.len(), 5);
    assert_eq!(from_json, from_jsonl);
    assert_eq!(from_csv, from_jsonl);
    let mut a = from_text.clone();
    let mut b = from_jsonl.clone();
    a.sort();
    b.sort();
    assert_eq!(a, b, "text:\n{text}");
    // The best match of a story member is in its story.
    let rows: Vec<Value> = json;
    let r1 = rows.iter().find(|r| r["id"] == "rail-1").unwrap();
    assert_eq!(r1["best_match"], "rail-2");
    assert_eq!(r1["size"], 2);
    assert!(r1["similarity"].as_f64().unwrap() > 0.2);
}

#[test]
fn track_twice_on_one_index_continues_the_stories() {
    let d = tmpdir("track");
    let index = d.join("news.idx");
    let ix = index.to_str().unwrap();
    let first = jsonl(&[DOCS[0], DOCS[1], DOCS[4]]);
    let o = run(&["track", "--index", ix, "-f", "jsonl"], Some(first.as_bytes()));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let rows1 = stories_jsonl(&stdout(&o));
    assert_eq!(rows1.len(), 3);
    assert!(index.exists());
    let second = jsonl(&[DOCS[2], DOCS[3], DOCS[0]]); // rail-1 again: reported and skipped
    let o = run(&["track", "--index", ix, "-f", "jsonl"], Some(second.as_bytes()));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    let rows2 = stories_jsonl(&out);
    assert_eq!(rows2.len(), 2, "{out}");
    assert_eq!(story_of(&rows2, "rail-2"), story_of(&rows1, "rail-1"));
    assert_eq!(story_of(&rows2, "museum-2"), story_of(&rows1, "museum-1"));
    let v: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(v["new_story"], false);
    assert_eq!(v["best_match"], "rail-1");
    assert!(stderr(&o).contains("rail-1: already in the index"), "{}", stderr(&o));
    // --list: the current story of every held document.
    let o = run(&["track", "--index", ix, "--list", "-f", "jsonl"], Some(b""));
    let listed = stories_jsonl(&stdout(&o));
    assert_eq!(listed.len(), 5);
    assert_eq!(story_of(&listed, "rail-2"), story_of(&listed, "rail-1"));
    // Re-running a batch reports its documents as held, prints no row and saves the same bytes.
    let before = std::fs::read(&index).unwrap();
    let o = run(&["track", "--index", ix, "-f", "jsonl"], Some(second.as_bytes()));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(o.stdout.is_empty() && stderr(&o).contains("rail-2: already in the index"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&index).unwrap(), before, "an unchanged state saves to the same bytes");
    // Parameters belong to a new index only; a missing folder is an error before any work.
    let o = run(&["track", "--index", ix, "--threshold", "0.5"], Some(b""));
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("keeps the parameters"), "{}", stderr(&o));
    let o = run(&["track", "--index", d.join("nope/x.idx").to_str().unwrap()], Some(first.as_bytes()));
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("does not exist") && !stderr(&o).contains("read 3"), "{}", stderr(&o));
    // No temporary file is left (the lock files of the index's writers stay).
    let names: Vec<String> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".lock"))
        .collect();
    assert_eq!(names, ["news.idx"]);
    // A damaged index is an input error naming the file, and is left as it was.
    let mut damaged = before.clone();
    let at = damaged.len() / 2;
    damaged[at] ^= 0x40;
    std::fs::write(&index, &damaged).unwrap();
    let o = run(&["track", "--index", ix], Some(jsonl(&DOCS[4..]).as_bytes()));
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("news.idx") && stderr(&o).contains("checksum"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&index).unwrap(), damaged);
    std::fs::remove_dir_all(&d).unwrap();
}

/// Two `track` processes on one index at once: the second waits for the
/// first, then continues its index, so every document of both is held.
#[test]
fn two_track_processes_on_one_index_lose_nothing() {
    let d = tmpdir("two-tracks");
    let index = d.join("news.idx");
    let ix = index.to_str().unwrap();
    let batch = |k: usize| -> String {
        (0..40)
            .map(|i| {
                format!(
                    "{{\"id\":\"p{k}-{i}\",\"text\":\"Report {i} of writer {k}: the council of town {i} met about road {k}{i}.\"}}\n"
                )
            })
            .collect()
    };
    let spawn = |input: String| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_samestory"))
            .args(["track", "--index", ix, "-f", "jsonl", "-q"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write as _;
        c.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        c
    };
    let (one, two) = (spawn(batch(1)), spawn(batch(2)));
    for c in [one, two] {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let o = run(&["track", "--index", ix, "--list", "-f", "jsonl"], Some(b""));
    assert_eq!(stories_jsonl(&stdout(&o)).len(), 80, "every document of both writers is held");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn explain_reports_the_pair() {
    let input = jsonl(&DOCS);
    let o = run(&["explain", "-", "rail-1", "rail-2"], Some(input.as_bytes()));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("rail-1") && out.contains("rail-2") && out.contains("one story"), "{out}");
    let o = run(&["explain", "-", "rail-1", "rail-2", "--json"], Some(input.as_bytes()));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["same_story_in_batch"], true);
    let o = run(&["explain", "-", "rail-1", "nobody"], Some(input.as_bytes()));
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("\"nobody\""));
}

/// `stats` names the chrome repeated on every page of a site and the
/// salient terms of the stories, as text and as JSON.
#[test]
fn stats_names_boilerplate_and_salient_terms() {
    let dir = tmpdir("stats");
    let path = dir.join("site.jsonl");
    let lines: String = DOCS
        .iter()
        .map(|(id, title, text)| {
            let page = format!("Skip to content | Sections | Sign in\n{text}\nShare this story on social media");
            serde_json::json!({"id": id, "title": title, "text": page, "source": "paper.example"}).to_string() + "\n"
        })
        .collect();
    write(&path, lines);
    let p = path.to_str().unwrap();
    let o = run(&["stats", p, "--top", "5"], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("5 documents"), "{text}");
    assert!(text.contains("      5  Skip to content | Sections | Sign in"), "{text}");
    assert!(text.contains("Share this story on social media"), "{text}");

    let o = run(&["stats", p, "--top", "50", "--json"], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["documents"], 5);
    assert_eq!(v["documents_with_boilerplate"], 5);
    let terms: Vec<&str> = v["salient_terms"].as_array().unwrap().iter().map(|t| t["term"].as_str().unwrap()).collect();
    // Terms of both rail reports and both museum reports; never the chrome's words.
    for t in ["pellin", "etruscan", "barley"] {
        assert!(terms.contains(&t), "{t} missing from {terms:?}");
    }
    for t in ["skip", "sections", "social"] {
        assert!(!terms.contains(&t), "{t} is chrome, not salient: {terms:?}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Copy groups nest in stories: a reprint under other chrome is a copy of
/// the wire report (`copy_of`), another report of the event is in the story
/// but in its own copy group; in `cluster` and in `track`.
#[test]
fn rows_carry_story_and_copy_group() {
    let dir = tmpdir("copies");
    let (_, title, text) = DOCS[0];
    let mut docs: Vec<(&str, &str, &str)> = DOCS.to_vec();
    let reprint = format!("Home | News | Weather\n{text}\nRead more from Northrail's press office.");
    docs.push(("rail-1-reprint", title, &reprint));
    let path = dir.join("in.jsonl");
    write(&path, jsonl(&docs));
    let p = path.to_str().unwrap();
    let o = run(&["cluster", p, "--format", "jsonl", "-q"], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let rows: Vec<Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let row = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap().clone();
    let (wire, copy, other) = (row("rail-1"), row("rail-1-reprint"), row("rail-2"));
    assert_eq!(wire["story"], other["story"], "{rows:?}");
    assert_eq!(wire["story"], copy["story"]);
    assert_eq!(wire["copy"], copy["copy"]);
    assert_ne!(wire["copy"], other["copy"]);
    assert_eq!(wire["copies"], 2);
    assert_eq!(other["copies"], 1);
    assert_eq!(copy["copy_of"], "rail-1");
    assert!(wire["copy_of"].is_null() && other["copy_of"].is_null());

    let index = dir.join("index.bin");
    let o = run(&["track", "--index", index.to_str().unwrap(), p, "--format", "jsonl", "-q"], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let rows: Vec<Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let row = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap().clone();
    assert_eq!(row("rail-1-reprint")["copy_of"], "rail-1");
    assert!(row("rail-2")["copy_of"].is_null());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// With a retention window, a date far beyond the index's clock found in
/// the text ("Posted 1 January 2099") is reported and does not expire the
/// index: the documents held before stay, and later documents of the
/// present are kept.
#[test]
fn track_with_retention_reports_a_far_future_date_and_expires_nothing() {
    let dir = tmpdir("retention");
    let index = dir.join("index.bin");
    let idx = index.to_str().unwrap();
    let day1 = dir.join("day1.jsonl");
    write(&day1, jsonl(&DOCS[..4]));
    let o = run(&["track", "--index", idx, "--retention-days", "14", day1.to_str().unwrap(), "-q"], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let future = dir.join("future.jsonl");
    let line = serde_json::json!({"id": "comet", "text": "Posted 1 January 2099\nA comet was seen over the northern hills by amateur astronomers."});
    let later = serde_json::json!({"id": "rail-3", "text": DOCS[2].2, "date": "2031-05-07"});
    write(&future, format!("{line}\n{later}\n"));
    let o = run(&["track", "--index", idx, future.to_str().unwrap(), "--list", "--format", "jsonl"], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("warning: comet: 2099-01-01 lies more than the retention window"), "{err}");
    assert!(err.contains("0 expired, 1 with an outlying date"), "{err}");
    let held: Vec<String> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].as_str().unwrap().to_string())
        .collect();
    for id in ["rail-1", "museum-1", "rail-2", "museum-2", "comet", "rail-3"] {
        assert!(held.iter().any(|h| h == id), "{id} not held: {held:?}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A JSON line longer than four times `--max-doc-bytes` is a bad record,
/// read past without being held whole; the lines after it are read.
#[test]
fn an_over_long_line_is_a_bad_record_and_the_rest_is_read() {
    let dir = tmpdir("longline");
    let path = dir.join("in.jsonl");
    let long = serde_json::json!({"id": "long", "text": "word ".repeat(2000)}).to_string();
    write(&path, format!("{}{long}\n{}", jsonl(&DOCS[..1]), jsonl(&DOCS[1..2])));
    let p = path.to_str().unwrap();
    let o = run(&["cluster", p, "--format", "jsonl", "-q", "--max-doc-bytes", "1000"], None);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains(":2: line longer than 4000 bytes"), "{}", stderr(&o));
    let o = run(&["cluster", p, "--format", "jsonl", "-q", "--max-doc-bytes", "1000", "--skip-bad"], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let ids: Vec<String> = stories_jsonl(&stdout(&o)).into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids, ["rail-1", "museum-1"]);
    std::fs::remove_dir_all(&dir).unwrap();
}
