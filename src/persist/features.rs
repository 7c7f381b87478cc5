//! The encoding of a document's [`Features`]: in a saved tracker state, and
//! alone ([`Features::to_bytes`]) for engines that move features between
//! machines.

use crate::error::{Error, ErrorKind};
use crate::features::Features;
use crate::features::Profile;
use crate::minhash::MinHashSketch;
use crate::shingle::{Fingerprints, ShingleSet};
use crate::simhash::SimHash;
use crate::text::Date;

use super::codec::{DecodeResult, Reader, Writer};

/// Format of [`Features::to_bytes`]: a magic byte pair and a version.
const MAGIC: [u8; 3] = [b'S', b'F', 2];

pub(crate) fn write(w: &mut Writer, f: &Features) {
    let sh = f.shingles.as_slice();
    w.len(sh.len());
    sh.iter().for_each(|&x| w.u32(x));
    w.len(f.lead.len());
    f.lead.iter().for_each(|&x| w.u32(x));
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
}

/// Reads features; `with_lead`: the lead is stored (state version 3 and
/// features format 2). Features of older states have none: an empty lead,
/// which every lead test passes (the copy rule of the version that saved them).
pub(crate) fn read(r: &mut Reader<'_>, num_perm: usize, with_lead: bool) -> DecodeResult<Features> {
    let shingles = r.u32s()?;
    if shingles.windows(2).any(|w| w[0] >= w[1]) {
        return Err("shingle fingerprints are not strictly increasing".into());
    }
    let lead = if with_lead { r.u32s()? } else { Vec::new() };
    if lead.windows(2).any(|w| w[0] >= w[1]) || lead.len() > crate::features::LEAD_SHINGLES {
        return Err("lead fingerprints are not strictly increasing, or too many".into());
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
    Ok(Features {
        // Fingerprints are the high halves of shingle hashes.
        shingles: Fingerprints::of(&ShingleSet::from_hashes(shingles.iter().map(|&x| u64::from(x) << 32).collect())),
        lead: lead.into_boxed_slice(),
        minhash: MinHashSketch::from_slots(slots.into_boxed_slice(), empty),
        simhash,
        profile,
        rare: rare.into_boxed_slice(),
        date,
        content_tokens,
        total_tokens,
    })
}

impl Features {
    /// The features as bytes, for engines that move them between machines;
    /// [`Stages::features_from_bytes`](crate::stages::Stages::features_from_bytes)
    /// reads them back.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.0.extend_from_slice(&MAGIC);
        write(&mut w, self);
        w.0
    }
}

/// Decodes [`Features::to_bytes`] output for a detector of `num_perm` MinHash slots.
pub(crate) fn from_bytes(bytes: &[u8], num_perm: usize) -> Result<Features, Error> {
    let invalid = |reason: String| Error::new(ErrorKind::InvalidState { path: "features".into(), reason });
    let mut r = Reader::new(bytes);
    if r.take(MAGIC.len()).ok() != Some(&MAGIC[..]) {
        return Err(invalid("not features of this format (magic bytes)".into()));
    }
    let f = read(&mut r, num_perm, true).map_err(invalid)?;
    r.end().map_err(invalid)?;
    Ok(f)
}
