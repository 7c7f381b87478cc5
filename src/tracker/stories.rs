//! Stories in the tracker: the average-linkage test between two stories
//! over their stored pairs, merges, and re-clustering a story (which may
//! split it).

use rustc_hash::FxHashMap;

use crate::cluster;
use crate::params::{Config, Linkage};
use crate::score::score_pair;

use super::state::Live;
use super::types::StoryId;

impl Live {
    /// The similarity of two stories for a merge: the pair's own similarity
    /// for single linkage; for average linkage the average over all their
    /// cross pairs, or 0 when the cohesion guard keeps them apart (the
    /// batch linkage's test).
    pub(super) fn merge_value(&self, cfg: &Config, story: StoryId, other: StoryId, pair: f64) -> f64 {
        if cfg.story.linkage == Linkage::Single {
            // Any pair at the threshold joins two stories.
            return pair;
        }
        let size = |st: StoryId| self.stories.get(&st).map_or(1, Vec::len) as f64;
        let avg = self.link_sum(story, other) / (size(story) * size(other));
        let cohesion = |st: StoryId| {
            let k = size(st);
            self.link_sum(st, st) / 2.0 / (k * (k - 1.0) / 2.0)
        };
        let sizes = (size(story) as u64, size(other) as u64);
        if cluster::held_back(cfg.story.cohesion_guard, avg, sizes, || (cohesion(story), cohesion(other))) {
            0.0
        } else {
            avg
        }
    }

    /// Sum of the similarities of the scored pairs between two stories.
    pub(super) fn link_sum(&self, a: StoryId, b: StoryId) -> f64 {
        let (Some(ma), Some(mb)) = (self.stories.get(&a), self.stories.get(&b)) else { return 0.0 };
        let (small, other) = if ma.len() <= mb.len() { (ma, b) } else { (mb, a) };
        let mut sum = 0.0;
        for &s in small {
            if let Some(d) = self.doc(s) {
                for &(j, sim) in &d.edges {
                    if self.doc(j).is_some_and(|o| o.story == other) {
                        sum += f64::from(sim);
                    }
                }
            }
        }
        sum
    }

    /// Rescores the stored pairs of `slot` with the current features (after
    /// its date changed); pairs no longer similar are dropped.
    pub(super) fn rescore_edges(&mut self, cfg: &Config, slot: u32) {
        let Some(edges) = self.doc(slot).map(|d| d.edges.clone()) else { return };
        let mut kept = Vec::with_capacity(edges.len());
        for (j, _) in edges {
            let (Some(a), Some(b)) = (self.doc(slot), self.doc(j)) else { continue };
            let sim = score_pair(&a.features, &b.features, cfg).similarity;
            if let Some(Some(o)) = self.slots.get_mut(j as usize) {
                o.edges.retain(|e| e.0 != slot);
                if sim > 0.0 {
                    o.edges.push((slot, sim));
                }
            }
            if sim > 0.0 {
                kept.push((j, sim));
            }
        }
        if let Some(Some(d)) = self.slots.get_mut(slot as usize) {
            d.edges = kept;
        }
    }

    /// Re-clusters one story's members over their stored pairs (the batch
    /// linkage, locally). When they fall apart, the part holding the oldest
    /// member keeps the id and each other part becomes a new story, in the
    /// order of their oldest members. Returns the new ids.
    pub(super) fn recluster(&mut self, cfg: &Config, story: StoryId) -> Vec<StoryId> {
        let Some(members) = self.stories.get(&story).cloned() else { return Vec::new() };
        if members.len() < 2 {
            return Vec::new();
        }
        let local: FxHashMap<u32, u32> = members.iter().enumerate().map(|(i, &s)| (s, i as u32)).collect();
        let mut edges = Vec::new();
        for (i, &s) in members.iter().enumerate() {
            for &(j, sim) in self.doc(s).map_or(&[][..], |d| &d.edges) {
                if let Some(&k) = local.get(&j)
                    && (i as u32) < k
                {
                    edges.push((i as u32, k, f64::from(sim)));
                }
            }
        }
        // Members are in insertion order, and labels are numbered by first
        // member: part 0 holds the oldest member and keeps the id.
        let labels = cluster::labels(
            &vec![1; members.len()],
            &edges,
            cfg.story.threshold,
            cfg.story.linkage,
            cfg.story.cohesion_guard,
        );
        let parts = labels.iter().max().map_or(0, |&m| m as usize + 1);
        if parts < 2 {
            return Vec::new();
        }
        let ids: Vec<StoryId> = (1..parts)
            .map(|_| {
                self.next_story += 1;
                StoryId(self.next_story - 1)
            })
            .collect();
        let mut keep = Vec::new();
        for (&s, &l) in members.iter().zip(&labels) {
            if l == 0 {
                keep.push(s);
                continue;
            }
            let id = ids[l as usize - 1];
            if let Some(Some(d)) = self.slots.get_mut(s as usize) {
                d.story = id;
            }
            self.stories.entry(id).or_default().push(s);
        }
        self.stories.insert(story, keep);
        ids
    }

    /// Merges `gone` into `keep`.
    pub(super) fn merge_stories(&mut self, keep: StoryId, gone: StoryId) {
        let Some(moved) = self.stories.remove(&gone) else { return };
        for &s in &moved {
            if let Some(Some(d)) = self.slots.get_mut(s as usize) {
                d.story = keep;
            }
        }
        let slots = &self.slots;
        let members = self.stories.entry(keep).or_default();
        members.extend(moved);
        members.sort_by_key(|&s| slots[s as usize].as_ref().map_or(u64::MAX, |d| d.seq));
    }
}
