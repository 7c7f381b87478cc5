//! A held document's statistics contribution, packed: what
//! [`Tracker::remove`](crate::Tracker::remove) takes back out of the statistics.

use crate::stats::Observation;

/// A document's statistics contribution, packed: term hashes, then the
/// (mid-sentence, capitalized) counts as LEB128 varints, then line hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PackedObs {
    pub terms: Box<[u64]>,
    pub counts: Box<[u8]>,
    pub lines: Box<[u64]>,
    pub source_lines: Box<[u64]>,
}

fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads one varint; `None` when the bytes run out or it overflows `u32`.
fn get_varint(bytes: &[u8], at: &mut usize) -> Option<u32> {
    let mut v: u64 = 0;
    for shift in (0..35).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return u32::try_from(v).ok();
        }
    }
    None
}

impl PackedObs {
    pub(crate) fn pack(obs: &Observation) -> PackedObs {
        let mut counts = Vec::with_capacity(obs.terms.len() * 2);
        for &(_, mid, cap) in &obs.terms {
            put_varint(&mut counts, mid);
            put_varint(&mut counts, cap);
        }
        PackedObs {
            terms: obs.terms.iter().map(|t| t.0).collect(),
            counts: counts.into_boxed_slice(),
            lines: obs.lines.clone().into_boxed_slice(),
            source_lines: obs.source_lines.clone().into_boxed_slice(),
        }
    }

    /// The observation back; `None` when the counts do not decode to one
    /// pair per term (a corrupted state).
    pub(crate) fn unpack(&self) -> Option<Observation> {
        let mut at = 0;
        let mut terms = Vec::with_capacity(self.terms.len());
        for &t in self.terms.iter() {
            let mid = get_varint(&self.counts, &mut at)?;
            let cap = get_varint(&self.counts, &mut at)?;
            terms.push((t, mid, cap));
        }
        (at == self.counts.len()).then(|| Observation {
            terms,
            lines: self.lines.to_vec(),
            source_lines: self.source_lines.to_vec(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_observation_round_trips() {
        let obs = Observation {
            terms: vec![(1, 0, 0), (2, 127, 128), (3, u32::MAX, 70_000)],
            lines: vec![9, 8],
            source_lines: vec![7],
        };
        let p = PackedObs::pack(&obs);
        assert_eq!(p.unpack(), Some(obs));
        let mut bad = p.clone();
        bad.counts = bad.counts[..bad.counts.len() - 1].into();
        assert_eq!(bad.unpack(), None);
        let mut extra = p;
        extra.counts = [&extra.counts[..], &[0]].concat().into();
        assert_eq!(extra.unpack(), None);
    }
}
