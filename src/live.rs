//! Live story tracking: the streaming state of a [`Detector`].
//!
//! A detector holds the documents given to [`Detector::add`] in *slots*,
//! with their features, their story, their scored edges to the documents
//! they matched, and what they contributed to the corpus statistics (so
//! that [`Detector::remove`] and expiry can take it back out). The LSH,
//! SimHash and term indexes hold slot numbers; a removed document's slot is
//! reused by a later one, so memory follows the number of documents held,
//! not the number ever added.
//!
//! # Stories
//! A new document joins the story whose members it is most similar to on
//! average (with [`Linkage::Single`], the story of its best match) when
//! that reaches the story threshold, and otherwise starts a new story.
//! Story ids are handed out in order and never reused.
//!
//! When a document joins story A, A's average similarity to another story B
//! it matched may reach the story threshold: then A and B merge (the same
//! test average linkage applies in batch: the sum of the similarities of
//! the scored pairs between them, over |A| × |B|), and this repeats while
//! any story the document matched qualifies, best first. **The surviving id
//! is the oldest one** (the smallest), so a story keeps the id it had when it
//! started, whatever joins it later; [`Assignment::merged`] lists the ids
//! that were absorbed. Removing a document never splits a story.
//!
//! Dates travel: a dated document passes its date to held undated documents
//! it strongly matches (`inherit_date_similarity`), as batch clustering
//! does. Their pairs are then rescored (a date may put an old match outside
//! the window) and each story they are in is re-clustered over its stored
//! pairs with the batch linkage; if it falls apart, the part holding the
//! oldest member keeps the id and the other parts become new stories,
//! reported in [`Assignment::split_off`]. So an undated report that first
//! joined an older, similar event moves out once its own event's dated
//! reports arrive.
//!
//! The batch [`CohesionGuard`](crate::CohesionGuard) applies too: two
//! stories of at least its `min_size` merge only when their average cross
//! similarity also reaches its ratio of the lower of their cohesions. As a
//! stream sees groups only as they form, a story holding at least twice
//! `min_size` documents is re-clustered the same way after each add that
//! joins it, and splits (as above) when it holds two stories the guard keeps
//! apart: reports of a second event of the same kind that first joined the
//! earlier event's story move out once they form a group of their own.
//!
//! # Expiry
//! With [`retention_days`](crate::DetectorBuilder::retention_days), each
//! document has a *time*: its date (given, found in the text, or inherited
//! from a very similar document when added); an undated document gets the
//! stream's clock when it is added (the newest date seen so far), so
//! undated documents expire in insertion order. At the end of every `add`,
//! documents whose time is more than `retention_days` before the clock are
//! removed. With [`retention_documents`](crate::DetectorBuilder::retention_documents)
//! at most that many documents are held, the oldest (by insertion) removed
//! first. [`Detector::expire_before`] removes by time on demand. Either
//! bound keeps the memory proportional to the documents in the window.
//!
//! The clock is the newest date seen: one document dated far in the future
//! would expire everything before it, so give dates you trust, or use
//! `retention_documents` and [`Detector::expire_before`] with your own clock.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use crate::analyze::{Features, Scratch};
use crate::cluster::Linkage;
use crate::config::Config;
use crate::detector::{Detector, term_candidates};
use crate::document::Document;
use crate::error::{Error, ErrorKind};
use crate::lsh::{Accumulator, BandIndex, HammingIndex, TermIndex, band_keys};
use crate::score::{PairScores, score_pair};
use crate::stats::{CorpusStats, Observation};
use crate::text::date::Date;

/// A story's id in a streaming detector. Ids are handed out in order and never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StoryId(pub u64);

impl std::fmt::Display for StoryId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One match of a document against another held by the detector.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// The other document's id.
    pub id: String,
    /// The other document's story when the match was made (before any merge
    /// the new document caused; see [`Assignment::merged`]).
    pub story: StoryId,
    /// The pair's scores.
    pub scores: PairScores,
}

/// What [`Detector::add`] decided for a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The story it joined or started (after merges).
    pub story: StoryId,
    /// It started a new story.
    pub new_story: bool,
    /// Stories merged because of this document into the oldest story it
    /// joined, which is `story` unless a split followed (see `split_off`).
    pub merged: Vec<StoryId>,
    /// New stories split off existing ones because this document's date,
    /// passed on to similar undated documents, changed their scores (see
    /// the [module docs](self)); possibly including `story`.
    pub split_off: Vec<StoryId>,
    /// Its best matches (similarity > 0), best first, at most 10.
    pub matches: Vec<Match>,
    /// Ids of the documents expired at the end of this `add`, oldest first
    /// (possibly the new document itself, when it is older than the window).
    pub expired: Vec<String>,
}

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
            hamming: HammingIndex::new(cfg.simhash_distance),
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

    fn index(&mut self, cfg: &Config, slot: u32) {
        let Some(d) = self.slots.get(slot as usize).and_then(Option::as_ref) else { return };
        let keys = band_keys(&d.features.minhash, cfg.lsh, cfg.seed).unwrap_or_default();
        self.bands.insert(slot, &keys);
        self.hamming.insert(slot, d.features.simhash);
        self.terms.insert(slot, d.features.rare_terms());
    }

    /// Rebuilds every derived structure from the slots (after loading a
    /// saved state), in slot order, exactly as the adds built them.
    pub(crate) fn rebuild_indexes(&mut self, cfg: &Config) {
        self.bands = BandIndex::new(cfg.lsh.bands);
        self.hamming = HammingIndex::new(cfg.simhash_distance);
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
    fn remove_slot(&mut self, cfg: &Config, slot: u32) -> Option<LiveDoc> {
        let d = self.slots.get_mut(slot as usize)?.take()?;
        let keys = band_keys(&d.features.minhash, cfg.lsh, cfg.seed).unwrap_or_default();
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

    /// Removes documents whose time is before `cutoff` (days), oldest first.
    fn expire_before(&mut self, cfg: &Config, cutoff: i32, out: &mut Vec<String>) {
        while let Some(&(t, seq)) = self.by_stamp.first() {
            if t >= cutoff {
                break;
            }
            let slot = self.by_seq[&seq];
            if let Some(d) = self.remove_slot(cfg, slot) {
                out.push(d.id);
            }
        }
    }

    /// Applies the retention policy.
    fn expire(&mut self, cfg: &Config) -> Vec<String> {
        let mut out = Vec::new();
        if let (Some(days), Some(clock)) = (cfg.retention_days, self.clock) {
            let cutoff = i64::from(clock) - i64::from(days);
            let cutoff = cutoff.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
            self.expire_before(cfg, cutoff, &mut out);
        }
        if let Some(n) = cfg.retention_documents {
            while self.len() > n {
                let Some((_, &slot)) = self.by_seq.first_key_value() else { break };
                if let Some(d) = self.remove_slot(cfg, slot) {
                    out.push(d.id);
                }
            }
        }
        out
    }

    /// Sum of the similarities of the scored pairs between two stories.
    fn link_sum(&self, a: StoryId, b: StoryId) -> f64 {
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
    fn rescore_edges(&mut self, cfg: &Config, slot: u32) {
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
    fn recluster(&mut self, cfg: &Config, story: StoryId) -> Vec<StoryId> {
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
        let labels = crate::cluster::cluster_labels_with(
            &vec![1; members.len()],
            &edges,
            cfg.story_threshold,
            cfg.linkage,
            cfg.cohesion_guard,
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
    fn merge_stories(&mut self, keep: StoryId, gone: StoryId) {
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

impl Detector {
    /// Adds one document to the live state and assigns it to a story.
    ///
    /// The corpus statistics are updated with the document first, then its
    /// candidates (from the LSH, SimHash and term indexes over the documents
    /// held) are scored, and it joins the story whose members it is most
    /// similar to on average (or, with [`Linkage::Single`], the story of its
    /// best match) when that reaches the story threshold; otherwise it
    /// starts a new story. Stories it links strongly enough are merged (the
    /// oldest id survives) and the retention policy is applied; see the
    /// [`live`](crate::live) module docs. Earlier documents keep the
    /// features computed when they were added.
    ///
    /// # Errors
    /// [`ErrorKind::DocumentTooLarge`], [`ErrorKind::DuplicateId`] or
    /// [`ErrorKind::TooManyDocuments`]; the detector is unchanged then.
    ///
    /// # Example
    /// ```
    /// use samestory::{Detector, Document};
    /// let mut d = Detector::new();
    /// let a = d.add(Document::new("a", "Storm Ciarán hit Brittany with gusts of 207 km/h, cutting power to 1.2 million homes."))?;
    /// let b = d.add(Document::new("b", "Ciarán's 207 km/h gusts left 1.2 million homes in Brittany without power."))?;
    /// assert!(a.new_story);
    /// assert_eq!(b.story, a.story);
    /// assert_eq!(b.matches[0].id, "a");
    /// # Ok::<(), samestory::Error>(())
    /// ```
    pub fn add(&mut self, doc: Document) -> Result<Assignment, Error> {
        let cfg = self.an.config();
        if doc.size() > cfg.max_document_bytes {
            let bytes = doc.size();
            return Err(Error::new(ErrorKind::DocumentTooLarge { id: doc.id, bytes, limit: cfg.max_document_bytes }));
        }
        if self.live.len() >= cfg.max_documents {
            return Err(Error::new(ErrorKind::TooManyDocuments { limit: cfg.max_documents }));
        }
        if self.live.ids.contains_key(&doc.id) {
            return Err(Error::new(ErrorKind::DuplicateId { id: doc.id }));
        }
        let live = &mut self.live;
        let obs = self.an.observe(&doc, &mut live.scratch);
        live.stats.observe(&obs);
        // `observe` left the document's tokens in the scratch buffers.
        let mut f = self.an.features_of_tokens(&doc, &live.stats, &mut live.scratch);
        let keys = band_keys(&f.minhash, cfg.lsh, cfg.seed).unwrap_or_default();

        let mut cands: Vec<u32> = live.bands.query(&keys);
        cands.extend(live.hamming.query(f.simhash));
        let cap = cfg.candidate_df_cap(live.stats.docs()) as usize;
        let slots = &live.slots;
        let date = |j: u32| slots.get(j as usize).and_then(Option::as_ref).and_then(|d| d.features.date);
        cands.extend(term_candidates(cfg, None, &f, &live.terms, cap, &date, &mut live.acc));
        cands.sort_unstable();
        cands.dedup();
        let own_date = f.date;
        let score_all = |live: &Live, f: &Features| -> Vec<(u32, PairScores)> {
            cands
                .iter()
                .filter_map(|&j| {
                    let other = live.doc(j)?;
                    let scores = score_pair(f, &other.features, cfg);
                    (scores.similarity > 0.0).then_some((j, scores))
                })
                .collect()
        };
        let mut scored = score_all(live, &f);
        let mut date_from = None;
        // Held documents given this document's date: their pairs are rescored below.
        let mut redated: Vec<u32> = Vec::new();
        if let Some(min) = cfg.inherit_date_similarity {
            if f.date.is_none() {
                // Take the date of the most similar document that has its own date.
                let best = scored
                    .iter()
                    .filter_map(|&(j, s)| live.doc(j).map(|o| (o, s)))
                    .filter(|(o, s)| {
                        o.features.date.is_some() && o.date_from.is_none() && f64::from(s.similarity) >= min
                    })
                    .max_by(|a, b| a.1.similarity.total_cmp(&b.1.similarity).then(b.0.seq.cmp(&a.0.seq)));
                if let Some((o, s)) = best {
                    f.date = o.features.date;
                    date_from = Some(s.similarity);
                    scored = score_all(live, &f);
                }
            } else {
                // Give this date to held undated documents it strongly matches,
                // unless they already have one from a more similar document.
                for &(j, s) in &scored {
                    if let Some(Some(o)) = live.slots.get_mut(j as usize) {
                        let undated = o.features.date.is_none() || o.date_from.is_some_and(|d| d < s.similarity);
                        if undated && f64::from(s.similarity) >= min {
                            if o.features.date != f.date {
                                redated.push(j);
                            }
                            o.features.date = f.date;
                            o.date_from = Some(s.similarity);
                        }
                    }
                }
            }
        }
        let seq_of = |j: u32| live.doc(j).map_or(u64::MAX, |d| d.seq);
        scored.sort_by(|a, b| b.1.similarity.total_cmp(&a.1.similarity).then(seq_of(a.0).cmp(&seq_of(b.0))));

        // Story choice: average (or best, for single linkage) similarity to each story's members.
        let mut per_story: Vec<(StoryId, f64, f64)> = Vec::new();
        for &(j, s) in &scored {
            let Some(story) = live.doc(j).map(|d| d.story) else { continue };
            let sim = f64::from(s.similarity);
            match per_story.iter_mut().find(|(st, _, _)| *st == story) {
                Some(e) => {
                    e.1 += sim;
                    e.2 = e.2.max(sim);
                }
                None => per_story.push((story, sim, sim)),
            }
        }
        let value = |live: &Live, story: StoryId, sum: f64, max: f64| match cfg.linkage {
            Linkage::Single => max,
            _ => sum / live.stories.get(&story).map_or(1, Vec::len) as f64,
        };
        let best = per_story
            .iter()
            .map(|&(story, sum, max)| (story, value(live, story, sum, max)))
            .filter(|&(_, v)| v >= cfg.story_threshold)
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        let (mut story, new_story) = match best {
            Some((story, _)) => (story, false),
            None => {
                live.next_story += 1;
                (StoryId(live.next_story - 1), true)
            }
        };
        let matches: Vec<Match> = scored
            .iter()
            .take(10)
            .filter_map(|&(j, scores)| live.doc(j).map(|o| Match { id: o.id.clone(), story: o.story, scores }))
            .collect();

        // Insert.
        let slot = match live.free.pop() {
            Some(s) => s,
            None => {
                live.slots.push(None);
                (live.slots.len() - 1) as u32
            }
        };
        let seq = live.next_seq;
        live.next_seq += 1;
        if let Some(d) = own_date {
            let d = d.days();
            if live.clock.is_none() {
                // The first date known: undated documents held so far take it.
                let undated: Vec<(u32, u64)> = live
                    .by_seq
                    .values()
                    .filter_map(|&s| live.doc(s).filter(|x| x.stamp.is_none()).map(|x| (s, x.seq)))
                    .collect();
                for (s, q) in undated {
                    if let Some(Some(x)) = live.slots.get_mut(s as usize) {
                        x.stamp = Some(d);
                        live.by_stamp.insert((d, q));
                    }
                }
            }
            live.clock = Some(live.clock.map_or(d, |c| c.max(d)));
        }
        let stamp = f.date.map(Date::days).or(live.clock);
        let edges: Vec<(u32, f32)> = scored.iter().map(|&(j, s)| (j, s.similarity)).collect();
        for &(j, sim) in &edges {
            if let Some(Some(o)) = live.slots.get_mut(j as usize) {
                o.edges.push((slot, sim));
            }
        }
        live.slots[slot as usize] = Some(LiveDoc {
            id: doc.id.clone(),
            features: f,
            story,
            date_from,
            seq,
            stamp,
            obs: PackedObs::pack(&obs),
            edges,
        });
        live.ids.insert(doc.id, slot);
        live.by_seq.insert(seq, slot);
        if let Some(t) = stamp {
            live.by_stamp.insert((t, seq));
        }
        live.stories.entry(story).or_default().push(slot);
        live.index(cfg, slot);

        // Merges: the stories this document links to, while one qualifies.
        let mut merged = Vec::new();
        if !new_story {
            loop {
                let mut best: Option<(StoryId, f64)> = None;
                let mut seen: Vec<StoryId> = Vec::new();
                for &(j, s) in &scored {
                    let Some(other) = live.doc(j).map(|d| d.story) else { continue };
                    if other == story || seen.contains(&other) {
                        continue;
                    }
                    seen.push(other);
                    let v = match cfg.linkage {
                        // Any pair at the threshold joins two stories.
                        Linkage::Single => f64::from(s.similarity),
                        _ => {
                            let size = |st: StoryId| live.stories.get(&st).map_or(1, Vec::len) as f64;
                            let avg = live.link_sum(story, other) / (size(story) * size(other));
                            // The batch cohesion guard: two well-formed stories
                            // join only when about as alike as each is within.
                            match cfg.cohesion_guard {
                                Some(g) if size(story).min(size(other)) >= f64::from(g.min_size.max(2)) => {
                                    let cohesion = |st: StoryId| {
                                        let k = size(st);
                                        live.link_sum(st, st) / 2.0 / (k * (k - 1.0) / 2.0)
                                    };
                                    if avg < g.ratio * cohesion(story).min(cohesion(other)) { 0.0 } else { avg }
                                }
                                _ => avg,
                            }
                        }
                    };
                    if v >= cfg.story_threshold && best.is_none_or(|(b, bv)| v > bv || (v == bv && other < b)) {
                        best = Some((other, v));
                    }
                }
                let Some((other, _)) = best else { break };
                let (keep, gone) = (story.min(other), story.max(other));
                live.merge_stories(keep, gone);
                merged.push(gone);
                story = keep;
            }
            merged.sort_unstable();
        }
        // Documents that got a date: rescore their pairs, then re-cluster
        // their stories, which may split (the part with the oldest member
        // keeps the id).
        let mut split_off = Vec::new();
        if !redated.is_empty() {
            let mut stories_hit: Vec<StoryId> = Vec::new();
            for &j in &redated {
                live.rescore_edges(cfg, j);
                if let Some(d) = live.doc(j)
                    && !stories_hit.contains(&d.story)
                {
                    stories_hit.push(d.story);
                }
            }
            stories_hit.sort_unstable();
            for st in stories_hit {
                split_off.extend(live.recluster(cfg, st));
            }
            story = live.doc(slot).map_or(story, |d| d.story);
        }
        // The cohesion guard looks at whole groups, which a stream sees only
        // as they form: a story large enough to hold two guarded groups is
        // re-clustered with the batch linkage when it grows, and splits when
        // it holds two stories the guard keeps apart.
        if let (Linkage::Average, Some(g)) = (cfg.linkage, cfg.cohesion_guard)
            && live.stories.get(&story).map_or(0, Vec::len) >= 2 * g.min_size.max(2) as usize
        {
            split_off.extend(live.recluster(cfg, story));
            story = live.doc(slot).map_or(story, |d| d.story);
        }
        let expired = live.expire(cfg);
        Ok(Assignment { story, new_story, merged, split_off, matches, expired })
    }

    /// Removes a document from the live state: from the indexes, its story
    /// (which is deleted when it empties; removal never splits a story) and
    /// the corpus statistics. Returns the story it was in.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownId`] when no held document has this id.
    ///
    /// # Example
    /// ```
    /// use samestory::{Detector, Document};
    /// let mut d = Detector::new();
    /// let a = d.add(Document::new("a", "The central bank held its main rate at 4.5 percent."))?;
    /// assert_eq!(d.remove("a")?, a.story);
    /// assert!(d.is_empty() && d.story_of("a").is_none());
    /// assert!(d.remove("a").is_err());
    /// # Ok::<(), samestory::Error>(())
    /// ```
    pub fn remove(&mut self, id: &str) -> Result<StoryId, Error> {
        let cfg = self.an.config();
        let Some(&slot) = self.live.ids.get(id) else {
            return Err(Error::new(ErrorKind::UnknownId { id: id.to_string() }));
        };
        match self.live.remove_slot(cfg, slot) {
            Some(d) => Ok(d.story),
            None => Err(Error::new(ErrorKind::UnknownId { id: id.to_string() })),
        }
    }

    /// Removes every held document whose time (its date, else the clock
    /// when it was added; see the [`live`](crate::live) module docs) is
    /// before `date`, oldest first, and returns their ids. Documents added
    /// before any date was seen have no time and stay.
    pub fn expire_before(&mut self, date: Date) -> Vec<String> {
        let cfg = self.an.config();
        let mut out = Vec::new();
        self.live.expire_before(cfg, date.days(), &mut out);
        out
    }

    /// Number of documents held.
    pub fn len(&self) -> usize {
        self.live.len()
    }

    /// No documents held.
    pub fn is_empty(&self) -> bool {
        self.live.len() == 0
    }

    /// The story of a held document.
    pub fn story_of(&self, id: &str) -> Option<StoryId> {
        self.live.ids.get(id).and_then(|&s| self.live.doc(s)).map(|d| d.story)
    }

    /// The ids of a story's held documents, in insertion order.
    pub fn story_members(&self, story: StoryId) -> Vec<&str> {
        self.live
            .stories
            .get(&story)
            .map_or_else(Vec::new, |m| m.iter().filter_map(|&s| self.live.doc(s)).map(|d| d.id.as_str()).collect())
    }

    /// The stories held, each with its members' ids in insertion order,
    /// ordered by story id.
    pub fn stories(&self) -> Vec<(StoryId, Vec<&str>)> {
        let mut ids: Vec<StoryId> = self.live.stories.keys().copied().collect();
        ids.sort_unstable();
        ids.into_iter().map(|s| (s, self.story_members(s))).collect()
    }

    /// The newest document date seen by [`add`](Self::add) (the clock of the
    /// retention window).
    pub fn clock(&self) -> Option<Date> {
        self.live.clock.map(Date::from_days)
    }

    /// The live corpus statistics.
    pub fn stats(&self) -> &CorpusStats {
        &self.live.stats
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
