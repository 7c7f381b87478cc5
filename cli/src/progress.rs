//! Progress on standard error, only when it is a terminal and not `--quiet`:
//! while reading, the documents read, the bytes read of the input's total
//! (when the input is files), the rate and the time left; then the stage.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// The display (or nothing), and the count of documents read.
pub struct Progress {
    bar: Option<ProgressBar>,
    docs: Arc<AtomicU64>,
}

/// Redraws a second at most four times; drawing happens on indicatif's
/// ticker thread, so counting costs an atomic add.
const HZ: u8 = 4;

impl Progress {
    /// Shown only on a terminal, unless `quiet`.
    pub fn new(quiet: bool) -> Progress {
        let docs = Arc::new(AtomicU64::new(0));
        if quiet || !std::io::stderr().is_terminal() {
            return Progress { bar: None, docs };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(HZ));
        bar.enable_steady_tick(Duration::from_millis(1000 / u64::from(HZ)));
        Progress { bar: Some(bar), docs }
    }

    /// The reading stage; `total`: the input's size in bytes, when known.
    pub fn reading(&self, total: Option<u64>) {
        let Some(b) = &self.bar else { return };
        let docs = Arc::clone(&self.docs);
        let count = move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{}", HumanCount(docs.load(Ordering::Relaxed)));
        };
        let template = match total {
            Some(_) => {
                "{spinner} reading: {docs} documents  [{bar:25}] {bytes}/{total_bytes} ({bytes_per_sec}, ETA {eta}) {elapsed}"
            }
            None => "{spinner} reading: {docs} documents ({bytes}, {bytes_per_sec}) {elapsed}",
        };
        let style = ProgressStyle::with_template(template)
            .map(|s| s.with_key("docs", count))
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        b.set_style(style);
        if let Some(t) = total {
            b.set_length(t);
        }
        b.reset_eta();
    }

    /// Bytes of input read.
    pub fn read_bytes(&self, n: u64) {
        if let Some(b) = &self.bar {
            b.inc(n);
        }
    }

    /// One more document read.
    pub fn doc(&self) {
        self.docs.fetch_add(1, Ordering::Relaxed);
    }

    /// A new stage after reading (e.g. clustering), with the documents read.
    pub fn stage(&self, msg: &'static str) {
        if let Some(b) = &self.bar {
            let docs = HumanCount(self.docs.load(Ordering::Relaxed)).to_string();
            b.set_style(
                ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            b.set_message(format!("{msg} {docs} documents…"));
        }
    }

    /// Clears the display.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }

    /// Prints a line above the display (or plainly without one).
    pub fn println(&self, line: &str) {
        match &self.bar {
            Some(b) => b.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }
}
