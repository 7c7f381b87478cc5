//! Progress on standard error, only when it is a terminal and not `--quiet`.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A spinner (reading, unknown length) or a bar (adding to an index), or nothing.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// Shown only on a terminal, unless `quiet`.
    pub fn new(quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(4));
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg}: {human_pos} documents ({per_sec}) {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message("reading");
        bar.enable_steady_tick(Duration::from_millis(250));
        Progress { bar: Some(bar) }
    }

    /// One more document.
    pub fn inc(&self) {
        if let Some(b) = &self.bar {
            b.inc(1);
        }
    }

    /// A new stage without a count (e.g. clustering).
    pub fn stage(&self, msg: &'static str) {
        if let Some(b) = &self.bar {
            b.set_style(
                ProgressStyle::with_template("{spinner} {msg} {human_pos} documents… {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            b.set_message(msg);
        }
    }

    /// A new stage counting `len` documents (adding to an index).
    pub fn counted(&self, msg: &'static str, len: u64) {
        if let Some(b) = &self.bar {
            b.set_style(
                ProgressStyle::with_template("{msg} [{bar:30}] {human_pos}/{human_len} ({per_sec}, ETA {eta})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            b.set_length(len);
            b.set_position(0);
            b.reset_eta();
            b.set_message(msg);
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
