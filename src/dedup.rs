//! Near-identical copies: documents with the same shingles and lead (the
//! same text after normalization and boilerplate removal, whatever their
//! titles, dates or chrome), or whose shingle Jaccard reaches
//! [`NEAR_IDENTICAL`] (a word changed here and there), collapse into one
//! weighted node before candidates are made, when each is one story with
//! the group's first document. A flood of one wire story under many
//! headlines, or of variants a word apart, costs one document, not a pair
//! per two copies. Near-identical documents are found through the LSH
//! bands in linear time: in each band's buckets every document is compared
//! with the bucket's first one only. Each copy's pair with its
//! representative is scored once. Documents without shingles never match.

use crate::cluster::find;
use crate::features::Features;
use crate::hash::{derive_seed, domain};
use crate::lsh::band_key;
use crate::par;
use crate::params::Config;
use crate::score::{NEAR_IDENTICAL, PairScores, score_pair};

/// The copies with the same text of a batch.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Duplicates {
    /// The representative (first copy) of each document; itself when it has no copy.
    pub rep_of: Vec<u32>,
    /// The representatives, in order: position `k` of the collapsed features is document `reps[k]`.
    pub reps: Vec<u32>,
    /// How many documents each representative stands for.
    pub weights: Vec<u64>,
    /// Each collapsed copy's scores with its representative (`None` for a representative).
    pub scores: Vec<Option<PairScores>>,
}

impl Duplicates {
    /// Were any documents collapsed?
    pub(crate) fn any(&self) -> bool {
        self.reps.len() != self.rep_of.len()
    }
}

/// A seeded XXH3 of the text's fingerprints and lead (same text, same hash).
fn text_hash(f: &Features) -> u64 {
    let mut b: Vec<u8> = Vec::with_capacity(4 * (f.shingles.len() + f.lead.len()) + 8);
    f.shingles.as_slice().iter().for_each(|x| b.extend_from_slice(&x.to_le_bytes()));
    b.extend_from_slice(&(f.lead.len() as u64).to_le_bytes());
    f.lead.iter().for_each(|x| b.extend_from_slice(&x.to_le_bytes()));
    crate::hash::hash_bytes(&b, 0)
}

fn same_text(a: &Features, b: &Features) -> bool {
    a.shingles == b.shingles && a.lead == b.lead
}

/// Collapses the copies with the same text that are one story with their
/// first copy: returns the features of one representative per set, the
/// first one, in order, and the mapping with each copy's scores.
pub(crate) fn collapse(cfg: &Config, feats: Vec<Features>) -> (Vec<Features>, Duplicates) {
    let n = feats.len();
    let keys: Vec<u64> = par::map(&feats, text_hash);
    let mut entries: Vec<(u64, u32)> =
        keys.iter().enumerate().filter(|(i, _)| !feats[*i].shingles.is_empty()).map(|(i, &k)| (k, i as u32)).collect();
    par::sort(&mut entries);
    let mut rep_of: Vec<u32> = (0..n as u32).collect();
    for run in entries.chunk_by(|x, y| x.0 == y.0).filter(|r| r.len() > 1) {
        // Within one hash, group by equality (first index of each group represents it).
        let mut heads: Vec<u32> = Vec::new();
        for &(_, i) in run {
            match heads.iter().find(|&&h| same_text(&feats[h as usize], &feats[i as usize])) {
                Some(&h) => rep_of[i as usize] = h,
                None => heads.push(i),
            }
        }
    }
    near_identical(cfg, &feats, &mut rep_of);
    // Each copy scored with its representative; only copies one story with it are collapsed.
    let members: Vec<u32> = (0..n as u32).filter(|&i| rep_of[i as usize] != i).collect();
    let scored: Vec<PairScores> =
        par::map(&members, |&i| score_pair(&feats[rep_of[i as usize] as usize], &feats[i as usize], cfg));
    let mut scores: Vec<Option<PairScores>> = vec![None; n];
    for (&i, s) in members.iter().zip(scored) {
        if f64::from(s.similarity) >= cfg.story.threshold {
            scores[i as usize] = Some(s);
        } else {
            rep_of[i as usize] = i;
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
    (kept, Duplicates { rep_of, reps, weights, scores })
}

/// How far under [`NEAR_IDENTICAL`] a MinHash estimate may fall and the
/// pair still be checked exactly: four standard errors of a 128-slot
/// estimate at 0.8, so a near-identical pair is missed with odds under 10⁻⁴.
const ESTIMATE_MARGIN: f64 = 0.15;

/// Joins near-identical documents (shingle Jaccard ≥ [`NEAR_IDENTICAL`]) to
/// the groups of `rep_of` (each document's group's first member, updated):
/// in each LSH band, the documents sharing a band key are compared with the
/// first of them, at most one comparison per document and band.
fn near_identical(cfg: &Config, feats: &[Features], rep_of: &mut [u32]) {
    let band_seed = derive_seed(cfg.sketch.seed, domain::BAND);
    let rows = cfg.lsh.rows;
    let mut parent: Vec<u32> = rep_of.to_vec();
    let heads: Vec<u32> =
        (0..feats.len() as u32).filter(|&i| rep_of[i as usize] == i && !feats[i as usize].minhash.is_empty()).collect();
    let mut entries: Vec<(u64, u32)> = Vec::with_capacity(heads.len());
    for band in 0..cfg.lsh.bands {
        entries.clear();
        entries.extend(heads.iter().filter_map(|&i| {
            let slots = feats[i as usize].minhash.slots().get(band * rows..(band + 1) * rows)?;
            Some((band_key(slots, band_seed, band), i))
        }));
        par::sort(&mut entries);
        // Each bucket's documents not yet in its first one's group, checked for the whole band at once.
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for run in entries.chunk_by(|x, y| x.0 == y.0).filter(|r| r.len() > 1) {
            let head = run[0].1;
            for &(_, m) in &run[1..] {
                if find(&mut parent, m) != find(&mut parent, head) {
                    pairs.push((head, m));
                }
            }
        }
        let near = par::map(&pairs, |&(h, m)| {
            let (h, f) = (&feats[h as usize], &feats[m as usize]);
            // The MinHash estimate first (128 slots, its error about 0.035 at 0.8): the exact
            // Jaccard only for pairs that can reach NEAR_IDENTICAL.
            h.minhash.estimate_jaccard(&f.minhash).is_ok_and(|e| e >= NEAR_IDENTICAL - ESTIMATE_MARGIN)
                && h.shingles.jaccard_and_containment(&f.shingles).0 >= NEAR_IDENTICAL
        });
        for (&(h, m), near) in pairs.iter().zip(near) {
            if near {
                let (a, b) = (find(&mut parent, h), find(&mut parent, m));
                // The smaller root stays: each group's root is its first document.
                parent[a.max(b) as usize] = a.min(b);
            }
        }
    }
    for (i, r) in rep_of.iter_mut().enumerate() {
        *r = find(&mut parent, i as u32);
    }
}
