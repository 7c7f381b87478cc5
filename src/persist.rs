//! Saving and loading a [`Detector`]'s whole state: parameters, learned
//! statistics, every held document's sketches and profile, stories and the
//! stream's clock. The indexes (LSH bands, SimHash blocks, term postings)
//! are rebuilt from the sketches on load, exactly as the adds built them, so
//! a loaded detector continues the stream as the saved one would have.
//!
//! # Format (version 2)
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
//! Version 2 (invisible format characters removed from tokens) refuses
//! version 1 files with [`ErrorKind::UnsupportedStateVersion`](crate::ErrorKind).
//!
//! # Atomic saves
//! [`Detector::save`] writes a temporary file in the target's folder, flushes
//! it to disk (`fsync`), renames it over the target and flushes the folder,
//! so a crash at any moment leaves either the previous state or the new one.
//! A crash may leave the temporary file (`.NAME.tmp-PID`) behind; it is
//! never read.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::analyze::{Analyzer, Features};
use crate::cluster::{CohesionGuard, Linkage};
use crate::config::Config;
use crate::detector::Detector;
use crate::error::{Error, ErrorKind};
use crate::hash::hash_bytes;
use crate::live::{Live, LiveDoc, PackedObs, StoryId};
use crate::minhash::{MinHashKind, MinHashSketch};
use crate::profile::Profile;
use crate::shingle::{Fingerprints, ShingleSet};
use crate::simhash::SimHash;
use crate::stats::CorpusStats;
use crate::text::date::Date;

/// The state file's magic bytes.
pub const MAGIC: [u8; 8] = *b"SAMESTRY";
/// The state format version this build reads and writes.
pub const VERSION: u32 = 2;
/// Section tags, in file order.
pub const SECTIONS: [[u8; 4]; 4] = [*b"CONF", *b"STAT", *b"DOCS", *b"LIVE"];
/// Seed of the section checksums.
pub const CHECKSUM_SEED: u64 = 0x5a3e_c4ec_6b5e_0001;
/// Bytes before the first section.
pub const HEADER_BYTES: usize = 16;
/// Bytes of a section header (tag, length, checksum).
pub const SECTION_HEADER_BYTES: usize = 20;

/// Little-endian encoder.
#[derive(Debug, Default)]
pub(crate) struct Writer(pub Vec<u8>);

impl Writer {
    pub fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    pub fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn i32(&mut self, v: i32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn f32(&mut self, v: f32) {
        self.u32(v.to_bits());
    }
    pub fn f64(&mut self, v: f64) {
        self.u64(v.to_bits());
    }
    pub fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }
    pub fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.0.extend_from_slice(b);
    }
    pub fn opt_u32(&mut self, v: Option<u32>) {
        self.u8(u8::from(v.is_some()));
        self.u32(v.unwrap_or(0));
    }
    pub fn opt_i32(&mut self, v: Option<i32>) {
        self.u8(u8::from(v.is_some()));
        self.i32(v.unwrap_or(0));
    }
    pub fn opt_f32(&mut self, v: Option<f32>) {
        self.u8(u8::from(v.is_some()));
        self.f32(v.unwrap_or(0.0));
    }
    pub fn opt_f64(&mut self, v: Option<f64>) {
        self.u8(u8::from(v.is_some()));
        self.f64(v.unwrap_or(0.0));
    }
    pub fn u64s(&mut self, v: &[u64]) {
        self.len(v.len());
        v.iter().for_each(|&x| self.u64(x));
    }
}

/// Bounds-checked little-endian decoder; errors are plain messages the
/// caller puts in context.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

pub(crate) type DecodeResult<T> = Result<T, String>;

impl<'a> Reader<'a> {
    pub fn new(b: &'a [u8]) -> Reader<'a> {
        Reader { b, at: 0 }
    }
    pub fn remaining(&self) -> usize {
        self.b.len() - self.at
    }
    pub fn take(&mut self, n: usize) -> DecodeResult<&'a [u8]> {
        if n > self.remaining() {
            return Err(format!("ends early at byte {} (needs {n} more, has {})", self.at, self.remaining()));
        }
        let s = &self.b[self.at..self.at + n];
        self.at += n;
        Ok(s)
    }
    fn array<const N: usize>(&mut self) -> DecodeResult<[u8; N]> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    pub fn u8(&mut self) -> DecodeResult<u8> {
        Ok(self.array::<1>()?[0])
    }
    pub fn bool(&mut self) -> DecodeResult<bool> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            v => Err(format!("byte {} should be 0 or 1, is {v}", self.at - 1)),
        }
    }
    pub fn u32(&mut self) -> DecodeResult<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    pub fn u64(&mut self) -> DecodeResult<u64> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    pub fn usize(&mut self) -> DecodeResult<usize> {
        let v = self.u64()?;
        usize::try_from(v).map_err(|_| format!("value {v} does not fit this platform"))
    }
    pub fn i32(&mut self) -> DecodeResult<i32> {
        Ok(i32::from_le_bytes(self.array()?))
    }
    pub fn f32(&mut self) -> DecodeResult<f32> {
        let v = f32::from_bits(self.u32()?);
        if v.is_finite() { Ok(v) } else { Err(format!("non-finite number before byte {}", self.at)) }
    }
    pub fn f64(&mut self) -> DecodeResult<f64> {
        let v = f64::from_bits(self.u64()?);
        if v.is_finite() { Ok(v) } else { Err(format!("non-finite number before byte {}", self.at)) }
    }
    /// A count of items of at least `item_bytes` each, checked against the bytes left.
    pub fn len(&mut self, item_bytes: usize) -> DecodeResult<usize> {
        let at = self.at;
        let n = self.u64()?;
        if n.saturating_mul(item_bytes.max(1) as u64) > self.remaining() as u64 {
            return Err(format!("count {n} at byte {at} exceeds the {} bytes left", self.remaining()));
        }
        Ok(n as usize)
    }
    pub fn bytes(&mut self) -> DecodeResult<&'a [u8]> {
        let n = self.len(1)?;
        self.take(n)
    }
    fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> DecodeResult<T>) -> DecodeResult<Option<T>> {
        let some = self.bool()?;
        let v = f(self)?;
        Ok(some.then_some(v))
    }
    pub fn opt_u32(&mut self) -> DecodeResult<Option<u32>> {
        self.opt(Self::u32)
    }
    pub fn opt_i32(&mut self) -> DecodeResult<Option<i32>> {
        self.opt(Self::i32)
    }
    pub fn opt_f32(&mut self) -> DecodeResult<Option<f32>> {
        // The placeholder of `None` is 0.0, finite.
        self.opt(Self::f32)
    }
    pub fn opt_f64(&mut self) -> DecodeResult<Option<f64>> {
        self.opt(Self::f64)
    }
    pub fn u64s(&mut self) -> DecodeResult<Vec<u64>> {
        let n = self.len(8)?;
        (0..n).map(|_| self.u64()).collect()
    }
    pub fn u32s(&mut self) -> DecodeResult<Vec<u32>> {
        let n = self.len(4)?;
        (0..n).map(|_| self.u32()).collect()
    }
    pub fn end(&self) -> DecodeResult<()> {
        if self.remaining() == 0 { Ok(()) } else { Err(format!("{} unexpected bytes at the end", self.remaining())) }
    }
}

fn write_config(w: &mut Writer, c: &Config) {
    w.u64(c.seed);
    w.len(c.shingle_size);
    w.len(c.num_perm);
    w.u8(match c.minhash_kind {
        MinHashKind::OnePermutation => 0,
        MinHashKind::Classic => 1,
    });
    w.f64(c.copy_threshold);
    w.f64(c.containment_threshold);
    w.len(c.min_containment_shingles);
    w.u32(c.simhash_distance);
    w.len(c.profile_terms);
    w.len(c.candidate_terms);
    w.f64(c.candidate_df_fraction);
    w.u32(c.candidate_df_floor);
    w.len(c.candidate_budget);
    w.len(c.candidate_limit);
    w.f64(c.candidate_min_overlap);
    w.f64(c.title_weight);
    w.f64(c.name_boost);
    w.f64(c.number_boost);
    w.opt_u32(c.date_window_days);
    w.f64(c.outside_window_factor);
    w.opt_f64(c.inherit_date_similarity);
    w.u8(u8::from(c.remove_boilerplate));
    w.u32(c.boilerplate_min_docs);
    w.len(c.boilerplate_max_tokens);
    w.f64(c.story_threshold);
    w.u8(match c.linkage {
        Linkage::Single => 1,
        _ => 0,
    });
    w.u8(u8::from(c.cohesion_guard.is_some()));
    let g = c.cohesion_guard.unwrap_or_default();
    w.f64(g.ratio);
    w.u32(g.min_size);
    w.len(c.max_document_bytes);
    w.len(c.max_documents);
    w.opt_u32(c.retention_days);
    w.u8(u8::from(c.retention_documents.is_some()));
    w.len(c.retention_documents.unwrap_or(0));
}

fn read_config(r: &mut Reader<'_>) -> DecodeResult<Config> {
    let mut c = Config {
        seed: r.u64()?,
        shingle_size: r.usize()?,
        num_perm: r.usize()?,
        minhash_kind: match r.u8()? {
            0 => MinHashKind::OnePermutation,
            1 => MinHashKind::Classic,
            v => return Err(format!("unknown MinHash kind {v}")),
        },
        copy_threshold: r.f64()?,
        containment_threshold: r.f64()?,
        min_containment_shingles: r.usize()?,
        simhash_distance: r.u32()?,
        profile_terms: r.usize()?,
        candidate_terms: r.usize()?,
        candidate_df_fraction: r.f64()?,
        candidate_df_floor: r.u32()?,
        candidate_budget: r.usize()?,
        candidate_limit: r.usize()?,
        candidate_min_overlap: r.f64()?,
        title_weight: r.f64()?,
        name_boost: r.f64()?,
        number_boost: r.f64()?,
        date_window_days: r.opt_u32()?,
        outside_window_factor: r.f64()?,
        inherit_date_similarity: r.opt_f64()?,
        remove_boilerplate: r.bool()?,
        boilerplate_min_docs: r.u32()?,
        boilerplate_max_tokens: r.usize()?,
        story_threshold: r.f64()?,
        linkage: match r.u8()? {
            0 => Linkage::Average,
            1 => Linkage::Single,
            v => return Err(format!("unknown linkage {v}")),
        },
        cohesion_guard: {
            let on = r.bool()?;
            let g = CohesionGuard { ratio: r.f64()?, min_size: r.u32()? };
            on.then_some(g)
        },
        max_document_bytes: r.usize()?,
        max_documents: r.usize()?,
        retention_days: r.opt_u32()?,
        ..Config::default()
    };
    let some = r.bool()?;
    let n = r.usize()?;
    c.retention_documents = some.then_some(n);
    r.end()?;
    c.validated().map_err(|e| format!("parameters out of range: {e}"))
}

fn write_doc(w: &mut Writer, d: &LiveDoc) {
    w.bytes(d.id.as_bytes());
    w.u64(d.story.0);
    w.opt_f32(d.date_from);
    w.u64(d.seq);
    w.opt_i32(d.stamp);
    let f = &d.features;
    let sh = f.shingles.as_slice();
    w.len(sh.len());
    sh.iter().for_each(|&x| w.u32(x));
    w.u8(u8::from(f.minhash.is_empty()));
    w.len(f.minhash.slots().len());
    f.minhash.slots().iter().for_each(|&x| w.u32(x));
    w.u64(f.simhash.0);
    w.len(f.profile.len());
    for (t, x) in f.profile.terms() {
        w.u64(t);
        w.f32(x);
    }
    w.len(f.rare.len());
    for (t, x) in f.rare_terms() {
        w.u64(t);
        w.f32(x);
    }
    w.opt_i32(f.date.map(Date::days));
    w.u32(f.content_tokens);
    w.u32(f.total_tokens);
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

fn read_doc(r: &mut Reader<'_>, num_perm: usize) -> DecodeResult<LiveDoc> {
    let id = String::from_utf8(r.bytes()?.to_vec()).map_err(|_| "a document id is not UTF-8".to_string())?;
    let ctx = |e: String| format!("document {id:?}: {e}");
    let story = StoryId(r.u64().map_err(ctx)?);
    let date_from = r.opt_f32().map_err(ctx)?;
    let seq = r.u64().map_err(ctx)?;
    let stamp = r.opt_i32().map_err(ctx)?;
    let mut body = || -> DecodeResult<DocBody> {
        let shingles = r.u32s()?;
        if shingles.windows(2).any(|w| w[0] >= w[1]) {
            return Err("shingle fingerprints are not strictly increasing".into());
        }
        let empty = r.bool()?;
        let slots = r.u32s()?;
        if slots.len() != num_perm {
            return Err(format!("MinHash has {} slots, the parameters say {num_perm}", slots.len()));
        }
        let simhash = SimHash(r.u64()?);
        let n = r.len(12)?;
        let mut ids = Vec::with_capacity(n);
        let mut weights = Vec::with_capacity(n);
        for _ in 0..n {
            ids.push(r.u64()?);
            weights.push(r.f32()?);
        }
        let profile = Profile::from_parts(ids, weights).ok_or("profile terms are not strictly increasing")?;
        let n = r.len(12)?;
        let mut rare = Vec::with_capacity(n);
        for _ in 0..n {
            // Stored as (term, weight) pairs; held as positions in the profile.
            let (t, x) = (r.u64()?, r.f32()?);
            let at = profile.position(t).filter(|&i| profile.term_at(i).map(|(_, w)| w.to_bits()) == Some(x.to_bits()));
            let Some(i) = at else {
                return Err(format!("rare term {t:#x} is not in the profile with weight {x}"));
            };
            // Features hold two-byte positions (`profile_terms` is at most 4,096 when built).
            rare.push(u16::try_from(i).map_err(|_| format!("rare term at profile position {i}, beyond 65,535"))?);
        }
        let date = r.opt_i32()?.map(Date::from_days);
        let content_tokens = r.u32()?;
        let total_tokens = r.u32()?;
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
        let features = Features {
            // Fingerprints are the high halves of shingle hashes.
            shingles: Fingerprints::of(&ShingleSet::from_hashes(
                shingles.iter().map(|&x| u64::from(x) << 32).collect(),
            )),
            minhash: MinHashSketch::from_slots(slots.into_boxed_slice(), empty),
            simhash,
            profile,
            rare: rare.into_boxed_slice(),
            date,
            content_tokens,
            total_tokens,
        };
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
    Ok(())
}

fn invalid(path: &Path, reason: String) -> Error {
    Error::new(ErrorKind::InvalidState { path: path.to_path_buf(), reason })
}

impl Detector {
    /// The whole state in the versioned binary format of the
    /// [`persist`](crate::persist) module.
    pub fn to_bytes(&self) -> Vec<u8> {
        let live = &self.live;
        let mut sections: Vec<Writer> = (0..4).map(|_| Writer::default()).collect();
        write_config(&mut sections[0], self.an.config());
        live.stats.write_to(&mut sections[1]);
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

    /// A detector from [`to_bytes`](Self::to_bytes) output.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidState`] (with an empty path) when the bytes are
    /// truncated, corrupted or not a state; [`ErrorKind::UnsupportedStateVersion`]
    /// when another format version wrote them.
    pub fn from_bytes(bytes: &[u8]) -> Result<Detector, Error> {
        decode(bytes, Path::new(""))
    }

    /// Saves the whole state to `path` atomically: a temporary file beside
    /// it, flushed to disk, then renamed over it (see the
    /// [`persist`](crate::persist) module docs).
    ///
    /// # Errors
    /// [`ErrorKind::Io`] naming the file when writing, flushing or renaming
    /// fails; the previous file at `path`, if any, is then unchanged.
    ///
    /// # Example
    /// ```
    /// use samestory::{Detector, Document};
    /// let dir = std::env::temp_dir().join(format!("samestory-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// let path = dir.join("news.idx");
    /// let mut d = Detector::new();
    /// let a = d.add(Document::new("a", "Storm Ciarán hit Brittany with gusts of 207 km/h, cutting power to 1.2 million homes."))?;
    /// d.save(&path)?;
    /// let mut again = Detector::load(&path)?;
    /// let b = again.add(Document::new("b", "Ciarán's 207 km/h gusts left 1.2 million homes in Brittany without power."))?;
    /// assert_eq!(b.story, a.story);
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// # Ok::<(), samestory::Error>(())
    /// ```
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), Error> {
        let path = path.as_ref();
        let bytes = self.to_bytes();
        let name = path.file_name().ok_or_else(|| {
            Error::io(path, std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path has no file name"))
        })?;
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let tmp = dir.join(format!(".{}.tmp-{}", name.to_string_lossy(), std::process::id()));
        let write = || -> std::io::Result<()> {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
            drop(f);
            std::fs::rename(&tmp, path)
        };
        if let Err(e) = write() {
            let _ = std::fs::remove_file(&tmp);
            return Err(Error::io(path, e));
        }
        // Make the rename itself durable (directories can be opened and
        // flushed on Unix; elsewhere this is skipped).
        #[cfg(unix)]
        std::fs::File::open(&dir).and_then(|d| d.sync_all()).map_err(|e| Error::io(&dir, e))?;
        Ok(())
    }

    /// Loads a state saved by [`save`](Self::save).
    ///
    /// # Errors
    /// [`ErrorKind::Io`] when the file cannot be read;
    /// [`ErrorKind::InvalidState`] naming the file and section when it is
    /// truncated, corrupted or not a state; [`ErrorKind::UnsupportedStateVersion`]
    /// when another format version wrote it.
    pub fn load(path: impl AsRef<Path>) -> Result<Detector, Error> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        decode(&bytes, path)
    }
}

fn decode(bytes: &[u8], path: &Path) -> Result<Detector, Error> {
    let mut r = Reader::new(bytes);
    let head = r.take(HEADER_BYTES).map_err(|_| invalid(path, format!("{} bytes is too short", bytes.len())))?;
    if head[..8] != MAGIC {
        return Err(invalid(path, "no samestory state header (wrong magic bytes)".into()));
    }
    let version = u32::from_le_bytes([head[8], head[9], head[10], head[11]]);
    if version != VERSION {
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
    let cfg = read_config(&mut Reader::new(payloads[0])).map_err(|e| invalid(path, format!("section CONF: {e}")))?;
    let mut live = Live::new(&cfg);
    let mut stats_reader = Reader::new(payloads[1]);
    live.stats = CorpusStats::read_from(&mut stats_reader)
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
            slots.push(if r.bool()? { Some(read_doc(r, cfg.num_perm)?) } else { None });
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
    if live.slots.iter().flatten().count() > cfg.max_documents {
        return Err(invalid(path, format!("more documents than max_documents ({})", cfg.max_documents)));
    }
    live.rebuild_indexes(&cfg);
    let an = Analyzer::new(cfg).map_err(|e| invalid(path, format!("section CONF: {e}")))?;
    Ok(Detector { an, live })
}
