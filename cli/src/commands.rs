//! The subcommands: read, run the library, write.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use samestory::{Detector, DetectorBuilder, Document, ErrorKind, Params, Tracker};

use crate::input::{self, ReadConfig, ReadError, ReadReport};
use crate::output::{self, Format, Row, Shown, Sink, Style};
use crate::progress::Progress;
use crate::{ClusterArgs, ExplainArgs, Failure, OutputArgs, ParamArgs, ReadArgs, StatsArgs, TrackArgs};

/// The library's default document limit.
const DEFAULT_MAX_DOC_BYTES: usize = 16 << 20;

fn read_config(read: &ReadArgs, max_doc_bytes: usize) -> Result<ReadConfig, Failure> {
    let glob = match &read.glob {
        Some(g) => Some(glob::Pattern::new(g).map_err(|e| Failure::Input(format!("--glob {g:?}: {e}")))?),
        None => None,
    };
    Ok(ReadConfig {
        id_field: read.id_field.clone(),
        text_field: read.text_field.clone(),
        title_field: read.title_field.clone(),
        date_field: read.date_field.clone(),
        source_field: read.source_field.clone(),
        skip_bad: read.skip_bad,
        max_doc_bytes,
        glob,
        format: read.input_format,
    })
}

/// An error of the library: parameters and input are exit 2, the rest 1.
fn lib_error(e: &samestory::Error) -> Failure {
    match e.kind() {
        ErrorKind::InvalidParameter { .. }
        | ErrorKind::DocumentTooLarge { .. }
        | ErrorKind::DuplicateId { .. }
        | ErrorKind::TooManyDocuments { .. }
        | ErrorKind::UnknownId { .. }
        | ErrorKind::InvalidState { .. }
        | ErrorKind::UnsupportedStateVersion { .. }
        | ErrorKind::InvalidDate { .. } => Failure::Input(e.to_string()),
        _ => Failure::Runtime(e.to_string()),
    }
}

/// The builder the parameter flags ask for.
fn builder(p: &ParamArgs, max_doc_bytes: usize) -> Result<DetectorBuilder, Failure> {
    let mut params = Params::default();
    for kv in &p.params {
        let Some((k, v)) = kv.split_once('=') else {
            return Err(Failure::Input(format!("--param {kv:?}: expected NAME=VALUE")));
        };
        params.set(k.trim(), v.trim()).map_err(|e| Failure::Input(format!("--param {kv}: {e}")))?;
    }
    let mut b = Detector::builder();
    b.params(params);
    if p.copies_only {
        b.copies_only();
    }
    if let Some(t) = p.threshold {
        b.story_threshold(t);
    }
    if p.no_dates {
        b.date_window_days(None);
    }
    b.max_document_bytes(max_doc_bytes);
    Ok(b)
}

impl From<samestory::Error> for Failure {
    fn from(e: samestory::Error) -> Failure {
        lib_error(&e)
    }
}

/// Reads the input, handing each document to `emit`; then reports on stderr
/// what was read and skipped (always) and writes `--bad-report`.
fn read_input(
    paths: &[PathBuf],
    cfg: &ReadConfig,
    read: &ReadArgs,
    progress: &Progress,
    emit: &mut dyn FnMut(Document) -> bool,
) -> Result<ReadReport, Failure> {
    let report = match input::load(paths, cfg, progress, emit) {
        Ok(r) => r,
        Err(ReadError::Input(msg)) => return Err(Failure::Input(msg)),
        // The consumer stopped: its error is the one reported.
        Err(ReadError::Stopped) => return Err(Failure::Runtime("reading stopped".into())),
    };
    for (file, why) in &report.not_read {
        progress.println(&format!("not read: {file}: {why}"));
    }
    for b in &report.bad {
        let at = b.line.map_or(b.file.clone(), |l| format!("{}:{l}", b.file));
        progress.println(&format!("skipped: {at}: {}", b.reason));
    }
    progress.println(&format!(
        "read {} documents from {} file{}; skipped {} bad record{}; {} file{} not read; {} warning{}",
        report.docs,
        report.files_read,
        plural(report.files_read),
        report.bad.len(),
        plural(report.bad.len()),
        report.not_read.len(),
        plural(report.not_read.len()),
        report.warnings,
        plural(report.warnings),
    ));
    if paths.iter().any(|p| p.as_os_str() == "-") && report.docs == 0 && report.bad.is_empty() {
        progress.println("note: standard input held no documents");
    }
    if let Some(r) = &read.bad_report {
        let mut sink = Sink::file(r).map_err(|e| Failure::Runtime(format!("--bad-report {}: {e}", r.display())))?;
        let w = sink.writer();
        let written = report.bad.iter().try_for_each(|b| {
            serde_json::to_writer(&mut *w, b)?;
            w.write_all(b"\n")
        });
        written
            .and_then(|()| sink.commit())
            .map_err(|e| Failure::Runtime(format!("--bad-report {}: {e}", r.display())))?;
    }
    Ok(report)
}

/// Files that will be written must have a folder, before any work.
fn check_outputs(read: &ReadArgs, out: &OutputArgs) -> Result<(), Failure> {
    if let Some(r) = &read.bad_report {
        output::check_parent(r, "--bad-report").map_err(Failure::Input)?;
    }
    if let Some(o) = &out.output {
        output::check_parent(o, "-o").map_err(Failure::Input)?;
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn open_sink(out: &OutputArgs) -> Result<Sink, Failure> {
    match &out.output {
        None => Ok(Sink::stdout()),
        Some(p) => Sink::file(p).map_err(|e| Failure::Runtime(format!("{}: {e}", p.display()))),
    }
}

/// Writes with `f` and commits; a closed stdout pipe is not an error.
fn emit(out: &OutputArgs, f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), Failure> {
    let mut sink = open_sink(out)?;
    let name = out.output.as_ref().map_or("standard output".to_string(), |p| p.display().to_string());
    match f(sink.writer()).and_then(|()| sink.commit()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe && out.output.is_none() => Ok(()),
        Err(e) => Err(Failure::Runtime(format!("writing {name}: {e}"))),
        Ok(()) => Ok(()),
    }
}

/// `samestory cluster`: the documents stream from a reading thread into
/// [`Detector::cluster_iter`], which keeps their tokens, not their text.
pub fn cluster(a: &ClusterArgs, paths: &[PathBuf]) -> Result<(), Failure> {
    let start = Instant::now();
    check_outputs(&a.read, &a.output)?;
    let max = a.read.max_doc_bytes.unwrap_or(DEFAULT_MAX_DOC_BYTES);
    let detector = builder(&a.params, max)?.build().map_err(|e| lib_error(&e))?;
    let cfg = read_config(&a.read, max)?;
    let progress = Progress::new(a.run.quiet);
    // The text report shows each document's date and first words; nothing else is kept.
    let text = a.output.format == Format::Text;
    let mut shown: Vec<Shown> = Vec::new();
    let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Document, Failure>>(1024);
    let (cfg, progress) = (&cfg, &progress);
    let (clustering, read) = std::thread::scope(|scope| {
        let reading = scope.spawn(move || {
            let mut emit = |d: Document| tx.send(Ok(d)).is_ok();
            let read = read_input(paths, cfg, &a.read, progress, &mut emit);
            match &read {
                Ok(_) => progress.stage("clustering"),
                Err(Failure::Input(msg)) => {
                    let _ = tx.send(Err(Failure::Input(msg.clone())));
                }
                Err(_) => {}
            }
            drop(tx);
            read
        });
        let docs = rx.into_iter().map(|r| {
            r.inspect(|d| {
                if text {
                    shown.push(Shown::of(d));
                }
            })
        });
        let clustering = detector.cluster_iter(docs);
        (clustering, reading.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    });
    progress.finish();
    // A reading error comes first: it is why the clustering stopped, if it did.
    let (read, clustering) = match (read, clustering) {
        (Err(Failure::Runtime(_)), Err(e)) | (Ok(_), Err(e)) => return Err(e),
        (Err(e), _) => return Err(e),
        (Ok(r), Ok(c)) => (r, c),
    };
    let rows = output::batch_rows(&clustering);
    let style = Style::for_stdout(a.output.output.is_some());
    emit(&a.output, |w| match a.output.format {
        Format::Text => output::write_text(w, &shown, &clustering, &rows, &style),
        f => output::write_rows(w, f, &rows),
    })?;
    if !a.run.quiet {
        eprintln!(
            "{} documents, {} stories ({} with 2+ documents), {} skipped, {:.2} s",
            clustering.len(),
            clustering.clusters().len(),
            clustering.stories().count(),
            read.bad.len(),
            start.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// The index's folder must exist before any work.
fn check_index(index: &Path) -> Result<(), Failure> {
    output::check_parent(index, "--index").map_err(Failure::Input)?;
    if index.is_dir() {
        return Err(Failure::Input(format!("--index {}: is a folder, not a file", index.display())));
    }
    Ok(())
}

/// Takes the exclusive lock of the index's writers, `.NAME.writer.lock`
/// beside it, waiting (and saying so) while another process holds it.
fn lock_index(index: &std::path::Path) -> Result<std::fs::File, Failure> {
    let name = index.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let dir = match index.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let path = dir.join(format!(".{name}.writer.lock"));
    let fail = |e: std::io::Error| Failure::Runtime(format!("locking {}: {e}", path.display()));
    let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(fail)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!("waiting for another samestory track on {}", index.display());
            file.lock().map_err(fail)?;
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(fail(e)),
    }
    Ok(file)
}

/// `samestory track`.
pub fn track(a: &TrackArgs, paths: &[PathBuf]) -> Result<(), Failure> {
    let start = Instant::now();
    check_index(&a.index)?;
    check_outputs(&a.read, &a.output)?;
    // One writer at a time from load to save: a second `track` on this
    // index waits here, then loads what the first saved (the lock is freed
    // when the process ends, even if it is killed).
    let _writer = lock_index(&a.index)?;
    let exists = a.index.exists();
    let mut tracker = if exists {
        let p = &a.params;
        if p.threshold.is_some()
            || p.no_dates
            || p.copies_only
            || !p.params.is_empty()
            || a.retention_days.is_some()
            || a.retention_documents.is_some()
        {
            return Err(Failure::Input(format!(
                "{}: an index keeps the parameters it was created with; --threshold, --no-dates, --copies-only, --param, \
                 --retention-days and --retention-documents apply only to a new index",
                a.index.display()
            )));
        }
        Tracker::load(&a.index).map_err(|e| lib_error(&e))?
    } else {
        let max = a.read.max_doc_bytes.unwrap_or(DEFAULT_MAX_DOC_BYTES);
        let mut b = builder(&a.params, max)?;
        b.retention_days(a.retention_days).retention_documents(a.retention_documents);
        Tracker::new(b.build().map_err(|e| lib_error(&e))?)
    };
    let max = a.read.max_doc_bytes.unwrap_or(tracker.detector().params().limits.max_document_bytes);
    let cfg = read_config(&a.read, max)?;
    let progress = Progress::new(a.run.quiet);
    let held_before = tracker.len();
    let (mut added, mut known, mut rejected, mut expired, mut new_stories) = (0usize, 0usize, 0usize, 0usize, 0usize);
    let mut outliers = 0usize;
    let mut rows: Vec<Row> = Vec::new();
    let mut failed: Option<samestory::Error> = None;
    // Each document is added as it is read.
    let mut add = |doc: Document| {
        let id = doc.id.clone();
        if let Some(story) = tracker.story_of(&id) {
            known += 1;
            progress.println(&format!("{id}: already in the index (story {story}); skipped"));
            return true;
        }
        let own_date = doc.date.or_else(|| samestory::text::find_date(&doc.text));
        let asg = match tracker.add(doc) {
            Ok(asg) => asg,
            Err(e) if a.read.skip_bad && !matches!(e.kind(), ErrorKind::Io { .. }) => {
                rejected += 1;
                progress.println(&format!("skipped: {id}: {e}"));
                return true;
            }
            Err(e) => {
                failed = Some(e);
                return false;
            }
        };
        added += 1;
        if asg.date_outlier {
            outliers += 1;
            let date = own_date.map_or_else(|| "its date".to_string(), |d| d.to_string());
            let clock = tracker.clock().map_or_else(|| "none".to_string(), |d| d.to_string());
            progress.println(&format!(
                "warning: {id}: {date} lies more than the retention window beyond the newest date held ({clock}) \
                 and no held document confirms it: kept, but it did not move the clock"
            ));
        }
        new_stories += usize::from(asg.new_story);
        expired += asg.expired.len();
        let best = asg.matches.iter().find(|m| tracker.story_of(&m.id) == Some(asg.story));
        rows.push(Row {
            id,
            story: asg.story.0,
            size: tracker.story(asg.story).map_or(1, |s| s.members.len()),
            best_match: best.map(|m| m.id.clone()),
            similarity: best.map(|m| ((f64::from(m.scores.similarity) * 1e4).round() / 1e4) as f32),
            copy: None,
            copies: None,
            copy_of: asg.copy_of.clone(),
            new_story: Some(asg.new_story),
            merged: asg.merged.iter().map(|s| s.0).collect(),
            split_off: asg.split_off.iter().map(|s| s.0).collect(),
        });
        true
    };
    let read = read_input(paths, &cfg, &a.read, &progress, &mut add);
    if let Some(e) = failed {
        progress.finish();
        eprintln!("nothing saved: {} is unchanged", a.index.display());
        return Err(lib_error(&e));
    }
    let read = read.inspect_err(|_| {
        progress.finish();
        eprintln!("nothing saved: {} is unchanged", a.index.display());
    })?;
    progress.stage("saving");
    tracker.save(&a.index).map_err(|e| Failure::Runtime(format!("saving the index: {e}")))?;
    progress.finish();
    if a.list {
        rows = list_rows(&tracker);
    }
    let style = Style::for_stdout(a.output.output.is_some());
    emit(&a.output, |w| match a.output.format {
        Format::Text => write_track_text(w, &rows, &style),
        f => output::write_rows(w, f, &rows),
    })?;
    if !a.run.quiet {
        eprintln!(
            "{}: held {held_before}; added {} ({new_stories} new stories), {known} already held, {rejected} rejected, \
             {expired} expired, {outliers} with an outlying date; now {} documents in {} stories; {} skipped; {:.2} s",
            a.index.display(),
            added,
            tracker.len(),
            tracker.stories().count(),
            read.bad.len(),
            start.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// One row per held document: its current story and that story's size.
fn list_rows(tracker: &Tracker) -> Vec<Row> {
    let mut rows = Vec::with_capacity(tracker.len());
    for story in tracker.stories() {
        for id in &story.members {
            rows.push(Row {
                id: (*id).to_string(),
                story: story.id.0,
                size: story.members.len(),
                best_match: None,
                similarity: None,
                copy: None,
                copies: None,
                copy_of: None,
                new_story: None,
                merged: Vec::new(),
                split_off: Vec::new(),
            });
        }
    }
    rows
}

fn write_track_text(w: &mut dyn Write, rows: &[Row], style: &Style) -> std::io::Result<()> {
    let Style { bold, dim, reset } = style;
    for r in rows {
        write!(w, "{}  ->  {bold}story {}{reset}", r.id, r.story)?;
        if r.new_story == Some(true) {
            write!(w, " (new)")?;
        }
        write!(w, " ({} document{})", r.size, plural(r.size))?;
        if let Some(o) = &r.copy_of {
            write!(w, "  copy of {o}")?;
        }
        if let (Some(m), Some(s)) = (&r.best_match, r.similarity) {
            write!(w, "  {dim}best match {m} (similarity {s:.2}){reset}")?;
        }
        if !r.merged.is_empty() {
            write!(w, "  merged stories {}", r.merged.iter().map(u64::to_string).collect::<Vec<_>>().join(", "))?;
        }
        if !r.split_off.is_empty() {
            write!(w, "  split off stories {}", r.split_off.iter().map(u64::to_string).collect::<Vec<_>>().join(", "))?;
        }
        writeln!(w)?;
    }
    Ok(())
}

/// `samestory explain`.
pub fn explain(a: &ExplainArgs) -> Result<(), Failure> {
    check_outputs(&a.read, &OutputArgs { format: Format::Text, output: None })?;
    let max = a.read.max_doc_bytes.unwrap_or(DEFAULT_MAX_DOC_BYTES);
    let detector = builder(&a.params, max)?.build().map_err(|e| lib_error(&e))?;
    let cfg = read_config(&a.read, max)?;
    let progress = Progress::new(a.run.quiet);
    let mut docs: Vec<Document> = Vec::new();
    read_input(std::slice::from_ref(&a.path), &cfg, &a.read, &progress, &mut |d| {
        docs.push(d);
        true
    })?;
    progress.finish();
    let pos = |id: &str| {
        docs.iter()
            .position(|d| d.id == id)
            .map(|p| p as u32)
            .ok_or_else(|| Failure::Input(format!("no document with id {id:?} in {}", a.path.display())))
    };
    let (pa, pb) = (pos(&a.id_a)?, pos(&a.id_b)?);
    let why = detector.explain(&docs, pa, pb).map_err(|e| lib_error(&e))?;
    let clustering = detector.cluster(&docs).map_err(|e| lib_error(&e))?;
    let same = clustering.same_story(pa, pb);
    let out = OutputArgs { format: Format::Text, output: None };
    emit(&out, |w| {
        if a.json {
            let v = serde_json::json!({ "explanation": why, "same_story_in_batch": same });
            serde_json::to_writer_pretty(&mut *w, &v)?;
            writeln!(w)
        } else {
            write!(w, "{why}")?;
            writeln!(
                w,
                "  in the batch: {}",
                if same { "one story" } else { "different stories (average linkage over all members decides)" }
            )
        }
    })
}

/// `samestory stats`.
pub fn stats(a: &StatsArgs, paths: &[PathBuf]) -> Result<(), Failure> {
    let max = a.read.max_doc_bytes.unwrap_or(DEFAULT_MAX_DOC_BYTES);
    let detector = builder(&a.params, max)?.build().map_err(|e| lib_error(&e))?;
    let cfg = read_config(&a.read, max)?;
    check_outputs(&a.read, &OutputArgs { format: Format::Text, output: None })?;
    let progress = Progress::new(a.run.quiet);
    let mut docs: Vec<Document> = Vec::new();
    read_input(paths, &cfg, &a.read, &progress, &mut |d| {
        docs.push(d);
        true
    })?;
    progress.stage("learning");
    let summary = detector.summarize(&docs, a.top).map_err(|e| lib_error(&e))?;
    progress.finish();
    let out = OutputArgs { format: Format::Text, output: None };
    emit(&out, |w| {
        if a.json {
            serde_json::to_writer_pretty(&mut *w, &summary)?;
            writeln!(w)
        } else {
            write!(w, "{summary}")
        }
    })
}
