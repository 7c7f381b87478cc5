//! Live tracking benchmark: `add` throughput and latency while a `Tracker`
//! holds a sliding window of documents, and the cost of saving and loading
//! that state.
//!
//! ```text
//! cargo run --release -p samestory-tools --bin bench_corpus -- --docs 110000 --write bench-out/live.jsonl
//! cargo run --release -p samestory-tools --bin bench_live -- bench-out/live.jsonl [--hold 100000] [--measure 10000]
//! ```
//!
//! Fills a tracker with the default parameters (plus `retention_documents = hold`) with the
//! first `hold` documents of the JSONL file, one `add` at a time, then adds
//! `measure` more, each of which evicts the oldest document, so every
//! measured `add` runs against `hold` documents held. Prints fill and steady
//! throughput, the latency percentiles of the measured adds, resident memory
//! per held document, and the save / load time and file size of the state.
//! One thread (`add` is sequential).

use std::time::Instant;

use samestory::io::{ReadOptions, read_path};
use samestory::{Detector, Tracker};
use samestory_tools::sys::rss_mb;

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut path, mut hold, mut measure) = (None, 100_000usize, 10_000usize);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--hold" => hold = args.next().and_then(|v| v.parse().ok()).unwrap_or(hold),
            "--measure" => measure = args.next().and_then(|v| v.parse().ok()).unwrap_or(measure),
            s => path = Some(s.to_string()),
        }
    }
    let Some(path) = path else {
        eprintln!("usage: bench_live CORPUS.jsonl [--hold 100000] [--measure 10000]");
        std::process::exit(2);
    };
    let corpus = read_path(path.as_ref(), ReadOptions::default()).unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(2)
    });
    let docs = corpus.docs;
    if docs.len() < hold + measure {
        eprintln!(
            "error: {path} has {} documents; --hold {hold} --measure {measure} needs {}",
            docs.len(),
            hold + measure
        );
        std::process::exit(2);
    }
    let bytes: usize = docs[..hold + measure].iter().map(|d| d.size()).sum();
    let mut det = Tracker::new(Detector::builder().retention_documents(Some(hold)).build().expect("valid parameters"));
    let rss0 = rss_mb("VmRSS:").unwrap_or(0.0);
    let mut it = docs.into_iter();
    let t = Instant::now();
    let mut stories = 0usize;
    for d in it.by_ref().take(hold) {
        stories += usize::from(det.add(d).expect("add").new_story);
    }
    let fill = t.elapsed().as_secs_f64();
    let rss1 = rss_mb("VmRSS:").unwrap_or(0.0);
    println!(
        "fill: {hold} adds in {fill:.2} s ({:.0} docs/s, {:.0} µs/add); {stories} stories started; RSS {:.0} MB -> {:.0} MB ({:.2} KB per held document, texts dropped after each add)",
        hold as f64 / fill,
        fill / hold as f64 * 1e6,
        rss0,
        rss1,
        (rss1 - rss0) * 1024.0 / hold as f64
    );
    let mut lat = Vec::with_capacity(measure);
    let (mut expired, mut joined) = (0usize, 0usize);
    let t = Instant::now();
    for d in it.take(measure) {
        let s = Instant::now();
        let a = det.add(d).expect("add");
        lat.push(s.elapsed().as_secs_f64() * 1e6);
        expired += a.expired.len();
        joined += usize::from(!a.new_story);
    }
    let steady = t.elapsed().as_secs_f64();
    lat.sort_by(f64::total_cmp);
    let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
    println!(
        "steady, {} held: {measure} adds in {steady:.2} s ({:.0} docs/s); latency µs p50 {:.0}, p90 {:.0}, p99 {:.0}, p99.9 {:.0}, max {:.0}; {joined} joined a story, {expired} expired",
        det.len(),
        measure as f64 / steady,
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(0.999),
        lat[lat.len() - 1]
    );
    let dir = std::env::temp_dir().join(format!("samestory-bench-live-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("live.idx");
    let t = Instant::now();
    det.save(&file).expect("save");
    let save = t.elapsed().as_secs_f64();
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    let t = Instant::now();
    let loaded = Tracker::load(&file).expect("load");
    let load = t.elapsed().as_secs_f64();
    assert_eq!(loaded.len(), det.len());
    println!(
        "state of {} documents: {:.1} MB on disk ({:.2} KB per document); save {save:.2} s, load {load:.2} s",
        det.len(),
        size as f64 / 1e6,
        size as f64 / 1024.0 / det.len() as f64,
    );
    println!("input {:.1} MB; peak RSS {:.0} MB", bytes as f64 / 1e6, rss_mb("VmHWM:").unwrap_or(0.0));
    let _ = std::fs::remove_dir_all(&dir);
}
