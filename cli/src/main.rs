//! `samestory`: group news articles into stories from the command line.

mod commands;
mod input;
mod output;
mod progress;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand};

use input::InputFormat;
use output::Format;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  runtime failure (writing the output or the index failed)
  2  usage or input error (a bad option, an unreadable path, a bad record without --skip-bad)

Input is read from the PATHs given, or from standard input when the PATH is `-` or when no
PATH is given and standard input is not a terminal. RAYON_NUM_THREADS sets the number of
threads as --threads does.";

/// Near-duplicate news story detection: group copies and independent reports
/// of one event into stories.
#[derive(Parser, Debug)]
#[command(name = "samestory", version, about, after_help = EXIT_CODES, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Cluster a batch of documents into stories: one row per document.
    #[command(after_help = EXIT_CODES)]
    Cluster(ClusterArgs),
    /// Add documents to a saved index, so today's articles join yesterday's stories.
    #[command(after_help = EXIT_CODES)]
    Track(TrackArgs),
    /// Explain why two documents of a batch are, or are not, one story.
    #[command(after_help = EXIT_CODES)]
    Explain(ExplainArgs),
    /// Show what the detector learns from a batch: the boilerplate lines it removes and
    /// the salient terms its documents' profiles hold (the batch is held in memory).
    #[command(after_help = EXIT_CODES)]
    Stats(StatsArgs),
}

/// How the input is read.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Input")]
pub struct ReadArgs {
    /// In folders, read only the files whose path below the folder matches this
    /// pattern (case-insensitive; e.g. `2024-*/**/*.jsonl`).
    #[arg(long, value_name = "PATTERN")]
    pub glob: Option<String>,
    /// Format of the input files (auto: `.csv` is CSV, `.txt` one document, anything
    /// else JSON Lines; gzip and zstd are recognised by extension or content).
    #[arg(long, value_enum, default_value_t = InputFormat::Auto, value_name = "FORMAT")]
    pub input_format: InputFormat,
    /// Field (JSON) or column (CSV) holding the id; a record without one gets its line number.
    #[arg(long, default_value = "id", value_name = "NAME")]
    pub id_field: String,
    /// Field or column holding the text (required).
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_field: String,
    /// Field or column holding the title (optional).
    #[arg(long, default_value = "title", value_name = "NAME")]
    pub title_field: String,
    /// Field or column holding the date, `YYYY-MM-DD` or a timestamp starting with one
    /// (optional; a value that is not a calendar date is a warning and ignored).
    #[arg(long, default_value = "date", value_name = "NAME")]
    pub date_field: String,
    /// Field or column holding the source, e.g. the site's host (optional; boilerplate is learned per source).
    #[arg(long, default_value = "source", value_name = "NAME")]
    pub source_field: String,
    /// Skip bad records (malformed lines, non-UTF-8 text, documents over --max-doc-bytes,
    /// repeated ids), count them and list them on stderr, instead of stopping with exit code 2.
    #[arg(long)]
    pub skip_bad: bool,
    /// Write the skipped records to FILE as JSON Lines `{"file", "line", "reason"}`.
    #[arg(long, value_name = "FILE")]
    pub bad_report: Option<PathBuf>,
    /// Largest document, text and title, in bytes [default: 16777216, or the index's limit].
    #[arg(long, value_name = "BYTES")]
    pub max_doc_bytes: Option<usize>,
}

/// How the work runs and reports.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Run")]
pub struct RunArgs {
    /// Worker threads (default: all cores, or RAYON_NUM_THREADS).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// No progress display and no summary line (the count of what was read and skipped is still printed).
    #[arg(short, long)]
    pub quiet: bool,
}

/// Where and how results are written.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Output format; every format has the same fields: id, story, size, copy, copies,
    /// copy_of, best_match, similarity, new_story, merged, split_off.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write to FILE (atomically: a temporary file beside it, renamed when complete) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Parameters of the detector.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Parameters")]
pub struct ParamArgs {
    /// Similarity (average, for groups) that makes one story, in (0, 1] [default: 0.21].
    #[arg(long, value_name = "T")]
    pub threshold: Option<f64>,
    /// Ignore dates (by default reports more than 14 days apart count half).
    #[arg(long)]
    pub no_dates: bool,
    /// Copies only: stories are the connected groups of copies, with no event-level evidence
    /// (the deduplication job of MinHash LSH tools; `events=false`, single linkage).
    #[arg(long)]
    pub copies_only: bool,
    /// Set any parameter by its name (see the library's README), e.g. `--param num_perm=256`; repeatable.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
}

#[derive(Args, Debug)]
pub struct ClusterArgs {
    /// JSON Lines, CSV or .txt files, folders (read recursively), or `-` for standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub read: ReadArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub params: ParamArgs,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Args, Debug)]
pub struct TrackArgs {
    /// The index: loaded when it exists (with the parameters it was created with), else
    /// created; saved atomically at the end. Its folder must exist.
    #[arg(long, value_name = "FILE")]
    pub index: PathBuf,
    /// JSON Lines, CSV or .txt files, folders, or `-`; documents are added in input order.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// New index only: expire documents dated more than N days before the newest date seen.
    #[arg(long, value_name = "N", help_heading = "Parameters")]
    pub retention_days: Option<u32>,
    /// New index only: hold at most N documents, expiring the oldest.
    #[arg(long, value_name = "N", help_heading = "Parameters")]
    pub retention_documents: Option<usize>,
    /// After adding, print the current story of every held document instead of the assignments.
    #[arg(long, help_heading = "Output")]
    pub list: bool,
    #[command(flatten)]
    pub read: ReadArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub params: ParamArgs,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// The batch: a JSON Lines, CSV or .txt file, a folder, or `-`.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// Id of the first document.
    pub id_a: String,
    /// Id of the second document.
    pub id_b: String,
    /// Print the explanation as JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub read: ReadArgs,
    #[command(flatten)]
    pub params: ParamArgs,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Args, Debug)]
pub struct StatsArgs {
    /// JSON Lines, CSV or .txt files, folders, or `-` for standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// How many boilerplate lines and salient terms to show.
    #[arg(long, default_value_t = 25, value_name = "N")]
    pub top: usize,
    /// Print the summary as JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub read: ReadArgs,
    #[command(flatten)]
    pub params: ParamArgs,
    #[command(flatten)]
    pub run: RunArgs,
}

/// How a run ends.
pub enum Failure {
    /// Exit 2 with this message.
    Input(String),
    /// Exit 1 with this message.
    Runtime(String),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match &cli.command {
        Command::Cluster(a) => with_input(&a.paths, "cluster").and_then(|p| {
            setup(&a.run)?;
            commands::cluster(a, &p)
        }),
        Command::Track(a) => with_input(&a.paths, "track").and_then(|p| {
            setup(&a.run)?;
            commands::track(a, &p)
        }),
        Command::Explain(a) => setup(&a.run).and_then(|()| commands::explain(a)),
        Command::Stats(a) => with_input(&a.paths, "stats").and_then(|p| {
            setup(&a.run)?;
            commands::stats(a, &p)
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Runtime(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}

/// The paths to read: as given, or `-` when none is given and stdin is not a
/// terminal. None and a terminal: the subcommand's usage on stderr, exit 2.
fn with_input(paths: &[PathBuf], sub: &str) -> Result<Vec<PathBuf>, Failure> {
    if !paths.is_empty() {
        return Ok(paths.to_vec());
    }
    if !std::io::stdin().is_terminal() {
        return Ok(vec![PathBuf::from("-")]);
    }
    let mut cmd = Cli::command();
    cmd.build();
    let usage = cmd.find_subcommand_mut(sub).map(|c| c.render_usage().to_string()).unwrap_or_default();
    Err(Failure::Input(format!(
        "no input: give a PATH (a file, a folder, or `-` for standard input) or pipe the documents in\n\n{usage}\n\n\
         For more information, try 'samestory {sub} --help'."
    )))
}

/// The thread pool, before any parallel work.
fn setup(run: &RunArgs) -> Result<(), Failure> {
    if let Some(n) = run.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(n))
            .build_global()
            .map_err(|e| Failure::Runtime(format!("--threads: {e}")))?;
    }
    Ok(())
}
