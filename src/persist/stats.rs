//! The encoding of [`CorpusStats`]: in a saved tracker state, and alone
//! ([`CorpusStats::to_bytes`]) for engines that merge statistics learned
//! on many machines. Keys are written in increasing order, so equal
//! statistics give equal bytes.

use rustc_hash::FxHashMap;

use crate::error::{Error, ErrorKind};
use crate::stats::{CorpusStats, TermStat};

use super::codec::{DecodeResult, Reader, Writer};

pub(crate) fn write(w: &mut Writer, s: &CorpusStats) {
    w.u64(s.docs);
    let mut terms: Vec<(&u64, &TermStat)> = s.terms.iter().collect();
    terms.sort_unstable_by_key(|t| *t.0);
    w.len(terms.len());
    for (&t, s) in terms {
        w.u64(t);
        w.u32(s.df);
        w.u32(s.mid);
        w.u32(s.mid_capitalized);
    }
    for map in [&s.lines, &s.source_lines] {
        let mut v: Vec<(&u64, &u32)> = map.iter().collect();
        v.sort_unstable_by_key(|t| *t.0);
        w.len(v.len());
        for (&l, &c) in v {
            w.u64(l);
            w.u32(c);
        }
    }
}

/// Decodes [`write`] output: keys strictly increasing, counts positive.
pub(crate) fn read(r: &mut Reader<'_>) -> DecodeResult<CorpusStats> {
    let docs = r.u64()?;
    let n = r.len(20)?;
    let mut terms = FxHashMap::default();
    terms.reserve(n);
    let mut last = None;
    for _ in 0..n {
        let t = r.u64()?;
        let s = TermStat { df: r.u32()?, mid: r.u32()?, mid_capitalized: r.u32()? };
        if last.is_some_and(|l| l >= t) || s.df == 0 || u64::from(s.df) > docs {
            return Err(format!("term {t:016x}: keys out of order or count out of range"));
        }
        last = Some(t);
        terms.insert(t, s);
    }
    let mut maps = [FxHashMap::default(), FxHashMap::default()];
    for map in &mut maps {
        let n = r.len(12)?;
        map.reserve(n);
        let mut last = None;
        for _ in 0..n {
            let (l, c) = (r.u64()?, r.u32()?);
            if last.is_some_and(|x| x >= l) || c == 0 || u64::from(c) > docs {
                return Err(format!("line {l:016x}: keys out of order or count out of range"));
            }
            last = Some(l);
            map.insert(l, c);
        }
    }
    let [lines, source_lines] = maps;
    Ok(CorpusStats { docs, terms, lines, source_lines })
}

/// Format of [`CorpusStats::to_bytes`]: magic bytes and a version.
const MAGIC: [u8; 3] = [b'S', b'S', 1];

impl CorpusStats {
    /// The statistics as bytes (keys sorted: equal statistics give equal
    /// bytes), for engines that learn parts of a corpus on many machines.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.0.extend_from_slice(&MAGIC);
        write(&mut w, self);
        w.0
    }

    /// Statistics from [`to_bytes`](Self::to_bytes) output.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidState`] when the bytes are truncated, corrupted
    /// or not statistics.
    pub fn from_bytes(bytes: &[u8]) -> Result<CorpusStats, Error> {
        let invalid = |reason: String| Error::new(ErrorKind::InvalidState { path: "statistics".into(), reason });
        let mut r = Reader::new(bytes);
        if r.take(MAGIC.len()).ok() != Some(&MAGIC[..]) {
            return Err(invalid("not statistics of this format (magic bytes)".into()));
        }
        let s = read(&mut r).map_err(invalid)?;
        r.end().map_err(invalid)?;
        Ok(s)
    }
}
