//! Exact duplicates: documents with identical features (the same text
//! after normalization and boilerplate removal, the same title terms and
//! date) that are one story with each other collapse into one weighted
//! node before candidates are made, so a flood of identical pages costs one
//! document, not a pair per two copies. Empty documents never match, so
//! they are not collapsed.

use rustc_hash::FxHashMap;

use crate::features::Features;
use crate::par;
use crate::params::Config;
use crate::score::score_pair;

/// The exact duplicates of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Duplicates {
    /// The representative (first copy) of each document; itself when it has no copy.
    pub rep_of: Vec<u32>,
    /// The representatives, in order: position `k` of the collapsed features is document `reps[k]`.
    pub reps: Vec<u32>,
    /// How many documents each representative stands for.
    pub weights: Vec<u64>,
}

impl Duplicates {
    /// Were any documents collapsed?
    pub(crate) fn any(&self) -> bool {
        self.reps.len() != self.rep_of.len()
    }
}

/// A seeded XXH3 of every field of the features (equal features, equal hash).
fn features_hash(f: &Features) -> u64 {
    let mut b: Vec<u8> =
        Vec::with_capacity(4 * f.shingles.len() + 4 * f.minhash.slots().len() + 16 * f.profile.len() + 64);
    f.shingles.as_slice().iter().for_each(|x| b.extend_from_slice(&x.to_le_bytes()));
    b.push(u8::from(f.minhash.is_empty()));
    f.minhash.slots().iter().for_each(|x| b.extend_from_slice(&x.to_le_bytes()));
    b.extend_from_slice(&f.simhash.0.to_le_bytes());
    for (t, w) in f.profile.terms() {
        b.extend_from_slice(&t.to_le_bytes());
        b.extend_from_slice(&w.to_bits().to_le_bytes());
    }
    for (t, w) in f.rare_terms() {
        b.extend_from_slice(&t.to_le_bytes());
        b.extend_from_slice(&w.to_bits().to_le_bytes());
    }
    b.extend_from_slice(&f.date.map_or(i64::MIN, |d| i64::from(d.days())).to_le_bytes());
    b.extend_from_slice(&f.content_tokens.to_le_bytes());
    b.extend_from_slice(&f.total_tokens.to_le_bytes());
    crate::hash::hash_bytes(&b, 0)
}

/// Collapses exact duplicates that are one story with each other: returns
/// the features of one representative per set, the first one, in order,
/// and the mapping.
pub(crate) fn collapse(cfg: &Config, feats: Vec<Features>) -> (Vec<Features>, Duplicates) {
    let n = feats.len();
    let keys: Vec<u64> = par::map(&feats, features_hash);
    let mut entries: Vec<(u64, u32)> = keys.iter().enumerate().map(|(i, &k)| (k, i as u32)).collect();
    par::sort(&mut entries);
    let mut rep_of: Vec<u32> = (0..n as u32).collect();
    for run in entries.chunk_by(|x, y| x.0 == y.0).filter(|r| r.len() > 1) {
        // Within one hash, group by equality (first index of each group represents it).
        let mut heads: Vec<u32> = Vec::new();
        for &(_, i) in run {
            match heads.iter().find(|&&h| feats[h as usize] == feats[i as usize]) {
                Some(&h) => rep_of[i as usize] = h,
                None => heads.push(i),
            }
        }
    }
    // Only copies that are one story with each other.
    let mut ok: FxHashMap<u32, bool> = FxHashMap::default();
    for (i, r) in rep_of.iter_mut().enumerate() {
        if *r as usize != i {
            let same = *ok.entry(*r).or_insert_with(|| {
                let f = &feats[*r as usize];
                f64::from(score_pair(f, f, cfg).similarity) >= cfg.story.threshold
            });
            if !same {
                *r = i as u32;
            }
        }
    }
    let reps: Vec<u32> = (0..n as u32).filter(|&i| rep_of[i as usize] == i).collect();
    let mut node = vec![0u32; n];
    for (k, &r) in reps.iter().enumerate() {
        node[r as usize] = k as u32;
    }
    let mut weights = vec![0u64; reps.len()];
    for &r in &rep_of {
        weights[node[r as usize] as usize] += 1;
    }
    let kept: Vec<Features> =
        feats.into_iter().enumerate().filter(|(i, _)| rep_of[*i] as usize == *i).map(|(_, f)| f).collect();
    (kept, Duplicates { rep_of, reps, weights })
}
