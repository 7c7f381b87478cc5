//! The tracker's state: held documents in slots, the indexes over them,
//! and the statistics they contributed.
//!
//! A held document lives in a *slot*; the LSH, SimHash and term indexes
//! hold slot numbers, and a removed document's slot is reused by a later
//! one, so memory follows the number of documents held, not the number
//! ever added. The indexes and maps are derived from the slots
//! ([`Live::rebuild_indexes`]); everything else is saved as is.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use crate::features::{Features, Scratch};
use crate::lsh::{Accumulator, BandIndex, HammingIndex, TermIndex, band_keys};
use crate::params::Config;
use crate::persist::obs::PackedObs;
use crate::stats::CorpusStats;

use super::types::StoryId;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LiveDoc {
    pub id: String,
    pub features: Features,
    pub story: StoryId,
    /// Similarity to the document its date was inherited from; `None` when the
    /// date is its own or unknown.
    pub date_from: Option<f32>,
    /// Insertion number.
    pub seq: u64,
    /// Expiry time in days (see the module docs); `None` until a date is known.
    pub stamp: Option<i32>,
    pub obs: PackedObs,
    /// Scored pairs with other held documents (slot, similarity > 0).
    pub edges: Vec<(u32, f32)>,
}

/// The streaming state. The indexes are derived from the documents (see
/// [`Live::rebuild_indexes`]); everything else is persisted as is.
#[derive(Debug, Clone)]
pub(crate) struct Live {
    pub stats: CorpusStats,
    pub slots: Vec<Option<LiveDoc>>,
    /// Free slots, reused last-freed first.
    pub free: Vec<u32>,
    pub next_story: u64,
    pub next_seq: u64,
    /// Newest own date seen, in days.
    pub clock: Option<i32>,
    // Derived from `slots`:
    // In-memory maps keyed by caller ids / story numbers; never iterated for output.
    pub ids: FxHashMap<String, u32>,
    /// Members (slots) of each story, in insertion order.
    pub stories: FxHashMap<StoryId, Vec<u32>>,
    /// Held documents by insertion number.
    pub by_seq: BTreeMap<u64, u32>,
    /// Held documents with a time, by (time, insertion number).
    pub by_stamp: BTreeSet<(i32, u64)>,
    pub bands: BandIndex,
    pub hamming: HammingIndex,
    pub terms: TermIndex,
    /// Buffers reused by every `add`.
    pub scratch: Scratch,
    pub acc: Accumulator,
}

impl Live {
    pub(crate) fn new(cfg: &Config) -> Live {
        Live {
            stats: CorpusStats::new(),
            slots: Vec::new(),
            free: Vec::new(),
            next_story: 0,
            next_seq: 0,
            clock: None,
            ids: FxHashMap::default(),
            stories: FxHashMap::default(),
            by_seq: BTreeMap::new(),
            by_stamp: BTreeSet::new(),
            bands: BandIndex::new(cfg.lsh.bands),
            hamming: HammingIndex::new(cfg.copy.simhash_distance),
            terms: TermIndex::new(),
            scratch: Scratch::default(),
            acc: Accumulator::default(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    pub(crate) fn doc(&self, slot: u32) -> Option<&LiveDoc> {
        self.slots.get(slot as usize).and_then(Option::as_ref)
    }

    pub(super) fn index(&mut self, cfg: &Config, slot: u32) {
        let Some(d) = self.slots.get(slot as usize).and_then(Option::as_ref) else { return };
        let keys = band_keys(&d.features.minhash, cfg.lsh, cfg.sketch.seed).unwrap_or_default();
        self.bands.insert(slot, &keys);
        self.hamming.insert(slot, d.features.simhash);
        self.terms.insert(slot, d.features.rare_terms());
    }

    /// Rebuilds every derived structure from the slots (after loading a
    /// saved state), in slot order, exactly as the adds built them.
    pub(crate) fn rebuild_indexes(&mut self, cfg: &Config) {
        self.bands = BandIndex::new(cfg.lsh.bands);
        self.hamming = HammingIndex::new(cfg.copy.simhash_distance);
        self.terms = TermIndex::new();
        self.ids.clear();
        self.stories.clear();
        self.by_seq.clear();
        self.by_stamp.clear();
        for slot in 0..self.slots.len() as u32 {
            let Some(d) = self.doc(slot) else { continue };
            let (id, seq, stamp) = (d.id.clone(), d.seq, d.stamp);
            self.ids.insert(id, slot);
            self.by_seq.insert(seq, slot);
            if let Some(t) = stamp {
                self.by_stamp.insert((t, seq));
            }
            self.index(cfg, slot);
        }
        // Story members in insertion order.
        for (_, &slot) in self.by_seq.iter() {
            if let Some(d) = self.slots[slot as usize].as_ref() {
                self.stories.entry(d.story).or_default().push(slot);
            }
        }
    }

    /// Takes a document out of everything; returns it.
    pub(super) fn remove_slot(&mut self, cfg: &Config, slot: u32) -> Option<LiveDoc> {
        let d = self.slots.get_mut(slot as usize)?.take()?;
        let keys = band_keys(&d.features.minhash, cfg.lsh, cfg.sketch.seed).unwrap_or_default();
        self.bands.remove(slot, &keys);
        self.hamming.remove(slot, d.features.simhash);
        self.terms.remove(slot, d.features.rare_terms());
        if let Some(obs) = d.obs.unpack() {
            self.stats.forget(&obs);
        }
        for &(j, _) in &d.edges {
            if let Some(Some(o)) = self.slots.get_mut(j as usize) {
                o.edges.retain(|e| e.0 != slot);
            }
        }
        if let Some(members) = self.stories.get_mut(&d.story) {
            members.retain(|&m| m != slot);
            if members.is_empty() {
                self.stories.remove(&d.story);
            }
        }
        self.by_seq.remove(&d.seq);
        if let Some(t) = d.stamp {
            self.by_stamp.remove(&(t, d.seq));
        }
        self.ids.remove(&d.id);
        self.free.push(slot);
        Some(d)
    }
}
