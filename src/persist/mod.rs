//! Every saved byte: a [`Tracker`](crate::Tracker)'s whole state: parameters, learned
//! statistics, every held document's sketches and profile, stories and the
//! stream's clock. The indexes (LSH bands, SimHash blocks, term postings)
//! are rebuilt from the sketches on load, exactly as the adds built them, so
//! a loaded detector continues the stream as the saved one would have.
//!
//! # Format (version 3)
//! All integers little-endian.
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic `SAMESTRY` |
//! | 4 | format version (`u32`) |
//! | 4 | number of sections (`u32`, 4) |
//! | … | the sections, in the order `CONF`, `STAT`, `DOCS`, `LIVE` |
//!
//! Each section is a 4-byte tag, the payload length (`u64`), the seeded
//! XXH3-64 checksum of the payload (`u64`), then the payload. The loader
//! checks the magic, the version, every tag, length and checksum before it
//! decodes anything, decodes with bounds checks (a length can never make it
//! allocate more than the file holds), then checks the decoded state for
//! consistency (sketch sizes, story and slot references, symmetric pair
//! scores, the free-slot list). A truncated, corrupted or other-version file
//! is an error naming the file and the section, never a panic and never a
//! silently different state.
//!
//! Features depend on the hashing (pinned by `tests/golden.rs`): any change
//! of hashing or of the per-document features bumps the format version.
//! Version 2 removed invisible format characters from tokens; version 3
//! adds each document's lead (the fingerprints of its first shingles, for
//! the copy rule). Version 3 reads version 2 files (their documents keep
//! no lead, which passes every lead test: the copy rule they were scored
//! with) and saves them as version 3; older files are refused with
//! [`ErrorKind::UnsupportedStateVersion`](crate::ErrorKind).
//!
//! # Atomic saves
//! [`Tracker::save`](crate::Tracker::save) writes a temporary file of its
//! own (`.NAME.tmp-PID-N`) in the target's folder, flushes it to disk
//! (`fsync`), gives it the mode of the file it replaces, renames it over the
//! target and flushes the folder, so a crash at any moment leaves either the
//! previous state or the new one; a crash may leave the temporary file
//! behind, and it is never read. When the path is a symbolic link, the file
//! it points to is replaced and the link kept. Saves of one path, from
//! threads or processes, take turns through a lock on `.NAME.lock` (left in
//! the folder): each writes a whole state, and the last to finish is the
//! state on disk. Saving does not lock out a second *writer* between its
//! load and its save: a program that loads, adds and saves must hold its own
//! lock for that whole time (the `samestory track` command does).

pub(crate) mod codec;
pub(crate) mod features;
pub(crate) mod obs;
pub(crate) mod stats;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind};
use crate::features::Features;
use crate::hash::hash_bytes;
use crate::params::{Config, Params};
use crate::tracker::state::{Live, LiveDoc};
use crate::tracker::types::StoryId;

use codec::{DecodeResult, Reader, Writer};
use obs::PackedObs;

/// The state file's magic bytes.
pub(crate) const MAGIC: [u8; 8] = *b"SAMESTRY";
/// The oldest state format version this build reads (version 2: its
/// documents have no lead, so the copy rule they were scored with holds for them).
pub(crate) const OLDEST_READ: u32 = 2;

/// The state format version this build reads and writes.
pub(crate) const VERSION: u32 = 3;
/// Section tags, in file order.
pub(crate) const SECTIONS: [[u8; 4]; 4] = [*b"CONF", *b"STAT", *b"DOCS", *b"LIVE"];
/// Seed of the section checksums.
pub(crate) const CHECKSUM_SEED: u64 = 0x5a3e_c4ec_6b5e_0001;
/// Bytes before the first section.
pub(crate) const HEADER_BYTES: usize = 16;
/// Bytes of a section header (tag, length, checksum).
pub(crate) const SECTION_HEADER_BYTES: usize = 20;

fn write_doc(w: &mut Writer, d: &LiveDoc) {
    w.bytes(d.id.as_bytes());
    w.u64(d.story.0);
    w.opt_f32(d.date_from);
    w.u64(d.seq);
    w.opt_i32(d.stamp);
    features::write(w, &d.features);
    w.u64s(&d.obs.terms);
    w.bytes(&d.obs.counts);
    w.u64s(&d.obs.lines);
    w.u64s(&d.obs.source_lines);
    w.len(d.edges.len());
    for &(j, s) in &d.edges {
        w.u32(j);
        w.f32(s);
    }
}

/// A held document's features, statistics contribution and pair scores.
type DocBody = (Features, PackedObs, Vec<(u32, f32)>);

fn read_doc(r: &mut Reader<'_>, num_perm: usize, version: u32) -> DecodeResult<LiveDoc> {
    let id = String::from_utf8(r.bytes()?.to_vec()).map_err(|_| "a document id is not UTF-8".to_string())?;
    let ctx = |e: String| format!("document {id:?}: {e}");
    let story = StoryId(r.u64().map_err(ctx)?);
    let date_from = r.opt_f32().map_err(ctx)?;
    let seq = r.u64().map_err(ctx)?;
    let stamp = r.opt_i32().map_err(ctx)?;
    let mut body = || -> DecodeResult<DocBody> {
        let features = features::read(r, num_perm, version >= 3)?;
        let obs = PackedObs {
            terms: r.u64s()?.into_boxed_slice(),
            counts: r.bytes()?.into(),
            lines: r.u64s()?.into_boxed_slice(),
            source_lines: r.u64s()?.into_boxed_slice(),
        };
        if obs.unpack().is_none() {
            return Err("statistics contribution does not decode".into());
        }
        let n = r.len(8)?;
        let mut edges = Vec::with_capacity(n);
        for _ in 0..n {
            let (j, s) = (r.u32()?, r.f32()?);
            if s <= 0.0 {
                return Err(format!("pair score {s} is not positive"));
            }
            edges.push((j, s));
        }
        Ok((features, obs, edges))
    };
    let (features, obs, edges) = body().map_err(ctx)?;
    Ok(LiveDoc { id, features, story, date_from, seq, stamp, obs, edges })
}

fn checks(live: &Live) -> DecodeResult<()> {
    let n = live.slots.len();
    let mut ids = std::collections::HashSet::new();
    let mut seqs = std::collections::HashSet::new();
    for (i, d) in live.slots.iter().enumerate() {
        let Some(d) = d else { continue };
        if !ids.insert(d.id.as_str()) {
            return Err(format!("document id {:?} appears twice", d.id));
        }
        if !seqs.insert(d.seq) || d.seq >= live.next_seq {
            return Err(format!("document {:?}: insertion number {} is repeated or too large", d.id, d.seq));
        }
        if d.story.0 >= live.next_story {
            return Err(format!("document {:?}: story {} was never handed out", d.id, d.story));
        }
        for &(j, s) in &d.edges {
            let other = live.slots.get(j as usize).and_then(Option::as_ref);
            let back =
                other.is_some_and(|o| o.edges.iter().any(|&(k, t)| k as usize == i && t.to_bits() == s.to_bits()));
            if j as usize == i || !back {
                return Err(format!("document {:?}: pair with slot {j} is not mirrored", d.id));
            }
        }
    }
    let mut free = vec![false; n];
    for &s in &live.free {
        let Some(f) = free.get_mut(s as usize) else { return Err(format!("free slot {s} out of range")) };
        if *f || live.slots[s as usize].is_some() {
            return Err(format!("free slot {s} is repeated or occupied"));
        }
        *f = true;
    }
    if free.iter().zip(&live.slots).any(|(f, d)| !*f && d.is_none()) {
        return Err("an empty slot is missing from the free list".into());
    }
    stats_cover(live)
}

/// The statistics hold at least what the held documents contributed (they
/// may hold more: a tracker can start from background statistics), so that
/// removing any of them takes out counts that are there.
fn stats_cover(live: &Live) -> DecodeResult<()> {
    let held = live.slots.iter().flatten();
    if (held.clone().count() as u64) > live.stats.docs {
        return Err(format!("{} documents held, the statistics count {}", held.count(), live.stats.docs));
    }
    let mut terms: rustc_hash::FxHashMap<u64, (u64, u64, u64)> = rustc_hash::FxHashMap::default();
    let mut lines: rustc_hash::FxHashMap<u64, u64> = rustc_hash::FxHashMap::default();
    let mut source_lines: rustc_hash::FxHashMap<u64, u64> = rustc_hash::FxHashMap::default();
    for d in held {
        let obs = d.obs.unpack().ok_or_else(|| format!("document {:?}: contribution does not decode", d.id))?;
        for (t, mid, cap) in obs.terms {
            let e = terms.entry(t).or_default();
            *e = (e.0 + 1, e.1 + u64::from(mid), e.2 + u64::from(cap));
        }
        obs.lines.iter().for_each(|&l| *lines.entry(l).or_default() += 1);
        obs.source_lines.iter().for_each(|&l| *source_lines.entry(l).or_default() += 1);
    }
    for (t, (df, mid, cap)) in terms {
        let s = live.stats.term(t);
        if u64::from(s.df) < df || u64::from(s.mid) < mid || u64::from(s.mid_capitalized) < cap {
            return Err(format!("term {t:016x}: the statistics count less than the held documents add"));
        }
    }
    for (map, held, name) in
        [(&live.stats.lines, lines, "line"), (&live.stats.source_lines, source_lines, "source line")]
    {
        for (l, c) in held {
            if u64::from(map.get(&l).copied().unwrap_or(0)) < c {
                return Err(format!("{name} {l:016x}: the statistics count less than the held documents add"));
            }
        }
    }
    Ok(())
}

fn invalid(path: &Path, reason: String) -> Error {
    Error::new(ErrorKind::InvalidState { path: path.to_path_buf(), reason })
}

/// A tracker's whole state, its parameters and live state, in the
/// versioned format of the module docs.
pub(crate) fn encode(params: &Params, live: &Live) -> Vec<u8> {
    let mut sections: Vec<Writer> = (0..4).map(|_| Writer::default()).collect();
    params.encode(&mut sections[0].0);
    stats::write(&mut sections[1], &live.stats);
    let w = &mut sections[2];
    w.len(live.slots.len());
    for d in &live.slots {
        w.u8(u8::from(d.is_some()));
        if let Some(d) = d {
            write_doc(w, d);
        }
    }
    w.len(live.free.len());
    live.free.iter().for_each(|&s| w.u32(s));
    let w = &mut sections[3];
    w.u64(live.next_story);
    w.u64(live.next_seq);
    w.opt_i32(live.clock);
    let mut out = Vec::with_capacity(64 + sections.iter().map(|s| s.0.len()).sum::<usize>());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(SECTIONS.len() as u32).to_le_bytes());
    for (tag, s) in SECTIONS.iter().zip(&sections) {
        out.extend_from_slice(tag);
        out.extend_from_slice(&(s.0.len() as u64).to_le_bytes());
        out.extend_from_slice(&hash_bytes(&s.0, CHECKSUM_SEED).to_le_bytes());
        out.extend_from_slice(&s.0);
    }
    out
}

/// Writes `bytes` to `path` atomically and durably (see the module docs):
/// the file a symbolic link at `path` points to is replaced, not the link;
/// a temporary file of this call alone, beside the target, is written,
/// flushed, given the mode of the file it replaces, and renamed over it,
/// and the folder is flushed. Saves of one path (from threads or
/// processes) take turns through a lock on a sidecar file
/// `.NAME.lock`, so each save writes a whole state and the last one to
/// finish is the one on disk.
pub(crate) fn save_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let target = resolve_links(path).map_err(|e| Error::io(path, e))?;
    let name = target.file_name().ok_or_else(|| {
        Error::io(path, std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path has no file name"))
    })?;
    let name = name.to_string_lossy().into_owned();
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let lock_path = dir.join(format!(".{name}.lock"));
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .and_then(|f| f.lock().map(|()| f))
        .map_err(|e| Error::io(&lock_path, e))?;
    static SAVES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = SAVES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.tmp-{}-{n}", std::process::id()));
    let mode = std::fs::metadata(&target).ok().map(|m| m.permissions());
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        if let Some(mode) = mode {
            f.set_permissions(mode)?;
        }
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, &target)
    };
    if let Err(e) = write() {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(path, e));
    }
    // Make the rename itself durable (directories can be opened and
    // flushed on Unix; elsewhere this is skipped).
    #[cfg(unix)]
    std::fs::File::open(&dir).and_then(|d| d.sync_all()).map_err(|e| Error::io(&dir, e))?;
    drop(lock);
    Ok(())
}

/// The file `path` names, following symbolic links (at most 40, as the
/// operating systems do); the path itself when it is not a link or does
/// not exist yet.
fn resolve_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut at = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = std::fs::read_link(&at)?;
                at = match at.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(at),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// The parameters and live state of [`encode`] output; `path` names the
/// input in errors.
pub(crate) fn decode(bytes: &[u8], path: &Path) -> Result<(Config, Live), Error> {
    let mut r = Reader::new(bytes);
    let head = r.take(HEADER_BYTES).map_err(|_| invalid(path, format!("{} bytes is too short", bytes.len())))?;
    if head[..8] != MAGIC {
        return Err(invalid(path, "no samestory state header (wrong magic bytes)".into()));
    }
    let version = u32::from_le_bytes([head[8], head[9], head[10], head[11]]);
    if !(OLDEST_READ..=VERSION).contains(&version) {
        return Err(Error::new(ErrorKind::UnsupportedStateVersion {
            path: path.to_path_buf(),
            found: version,
            supported: VERSION,
        }));
    }
    let count = u32::from_le_bytes([head[12], head[13], head[14], head[15]]);
    if count as usize != SECTIONS.len() {
        return Err(invalid(path, format!("{count} sections, expected {}", SECTIONS.len())));
    }
    let mut payloads: Vec<&[u8]> = Vec::with_capacity(SECTIONS.len());
    for tag in &SECTIONS {
        let name = String::from_utf8_lossy(tag);
        let mut section = || -> DecodeResult<&[u8]> {
            let h = r.take(SECTION_HEADER_BYTES)?;
            if &h[..4] != tag {
                return Err(format!("found tag {:?}", String::from_utf8_lossy(&h[..4])));
            }
            let len = u64::from_le_bytes(h[4..12].try_into().unwrap_or_default());
            let sum = u64::from_le_bytes(h[12..20].try_into().unwrap_or_default());
            if len > r.remaining() as u64 {
                return Err(format!("truncated: {len} bytes announced, {} left", r.remaining()));
            }
            let payload = r.take(len as usize)?;
            if hash_bytes(payload, CHECKSUM_SEED) != sum {
                return Err("checksum mismatch (corrupted)".into());
            }
            Ok(payload)
        };
        let p = section().map_err(|e| invalid(path, format!("section {name}: {e}")))?;
        payloads.push(p);
    }
    if r.remaining() != 0 {
        return Err(invalid(path, format!("{} unexpected bytes after the last section", r.remaining())));
    }
    // Version 2 states end their parameters before `events` (added at the end with version 3): on.
    let conf: std::borrow::Cow<'_, [u8]> = if version == 2 {
        let mut b = payloads[0].to_vec();
        b.push(1);
        b.into()
    } else {
        payloads[0].into()
    };
    let params = Params::decode(&conf).map_err(|e| invalid(path, format!("section CONF: {e}")))?;
    let cfg = Config::new(params).map_err(|e| invalid(path, format!("section CONF: parameters out of range: {e}")))?;
    let mut live = Live::new(&cfg);
    let mut stats_reader = Reader::new(payloads[1]);
    live.stats = stats::read(&mut stats_reader)
        .and_then(|s| stats_reader.end().map(|()| s))
        .map_err(|e| invalid(path, format!("section STAT: {e}")))?;
    let mut docs = || -> DecodeResult<()> {
        let r = &mut Reader::new(payloads[2]);
        let n = r.len(1)?;
        if n > u32::MAX as usize {
            return Err(format!("{n} slots is more than the documents a detector can hold"));
        }
        let mut slots = Vec::with_capacity(n);
        for _ in 0..n {
            slots.push(if r.bool()? { Some(read_doc(r, cfg.sketch.num_perm, version)?) } else { None });
        }
        live.slots = slots;
        live.free = r.u32s()?;
        r.end()
    };
    docs().map_err(|e| invalid(path, format!("section DOCS: {e}")))?;
    let mut tail = || -> DecodeResult<()> {
        let r = &mut Reader::new(payloads[3]);
        live.next_story = r.u64()?;
        live.next_seq = r.u64()?;
        live.clock = r.opt_i32()?;
        r.end()
    };
    tail().map_err(|e| invalid(path, format!("section LIVE: {e}")))?;
    checks(&live).map_err(|e| invalid(path, format!("section DOCS: {e}")))?;
    if live.slots.iter().flatten().count() > cfg.limits.max_documents {
        return Err(invalid(path, format!("more documents than max_documents ({})", cfg.limits.max_documents)));
    }
    live.rebuild_indexes(&cfg);
    Ok((cfg, live))
}
