//! Adding a document to the tracker, step by step: admit it, analyze it
//! against the statistics with it counted, find and score its candidates,
//! pass dates, choose its story, insert it, merge the stories it links,
//! re-cluster the stories its date or size disturbed, expire.
//!
//! [`Tracker::query`](super::Tracker::query) runs the same steps up to the
//! choice of a story without changing anything.

use crate::admit;
use crate::candidates::term_candidates;
use crate::dates::better_source;
use crate::document::Document;
use crate::error::{Error, ErrorKind};
use crate::features::{Analyzer, Features, Scratch};
use crate::lsh::{Accumulator, band_keys};
use crate::params::{Config, Linkage};
use crate::persist::obs::PackedObs;
use crate::score::{PairScores, score_pair};
use crate::stats::{Observation, StatsView};
use crate::text::Date;

use super::state::{Live, LiveDoc};
use super::types::{Assignment, Match, StoryId};

/// Refuses a document the tracker cannot take; the state is unchanged then.
pub(super) fn admit(live: &Live, cfg: &Config, doc: &Document) -> Result<(), Error> {
    admit::check_size(&cfg.limits, doc)?;
    admit::check_count(&cfg.limits, live.len() + 1)?;
    if live.ids.contains_key(&doc.id) {
        return Err(Error::new(ErrorKind::DuplicateId { id: doc.id.clone() }));
    }
    Ok(())
}

/// A document's statistics contribution and its features against `stats`
/// with that contribution counted (`count` adds it to the real statistics,
/// or views them with it, and gives them back).
pub(super) fn analyze<'s, S: StatsView + 's>(
    an: &Analyzer,
    doc: &Document,
    scratch: &mut Scratch,
    count: impl FnOnce(&Observation) -> S,
) -> (Observation, Features) {
    let obs = an.observe(doc, scratch);
    let stats = count(&obs);
    // `observe` left the document's tokens in the scratch buffers.
    let f = an.features_of_tokens(doc, &stats, scratch);
    (obs, f)
}

/// The held documents worth scoring against `f` (slots, sorted, unique):
/// LSH band collisions, SimHash neighbours, and documents sharing its rare
/// terms. `docs` is the number of documents of the statistics.
pub(super) fn candidates(live: &Live, cfg: &Config, f: &Features, docs: u64, acc: &mut Accumulator) -> Vec<u32> {
    let keys = band_keys(&f.minhash, cfg.lsh, cfg.sketch.seed).unwrap_or_default();
    let mut cands: Vec<u32> = live.bands.query(&keys);
    cands.extend(live.hamming.query(f.simhash));
    let cap = cfg.candidate_df_cap(docs) as usize;
    let date = |j: u32| live.doc(j).and_then(|d| d.features.date);
    if cfg.levels.events {
        cands.extend(term_candidates(cfg, None, f, &live.terms, cap, &date, acc));
    }
    cands.sort_unstable();
    cands.dedup();
    cands
}

/// The candidates' scores against `f`, those with similarity > 0.
pub(super) fn score_all(live: &Live, cfg: &Config, cands: &[u32], f: &Features) -> Vec<(u32, PairScores)> {
    cands
        .iter()
        .filter_map(|&j| {
            let other = live.doc(j)?;
            let scores = score_pair(f, &other.features, cfg);
            (scores.similarity > 0.0).then_some((j, scores))
        })
        .collect()
}

/// An undated document takes the date of its best source among its
/// matches (the batch rule of [`crate::dates`]): returns the similarity it
/// was taken at, and rescores. Nothing changes for a dated document.
pub(super) fn take_date(
    live: &Live,
    cfg: &Config,
    cands: &[u32],
    f: &mut Features,
    scored: &mut Vec<(u32, PairScores)>,
) -> Option<f32> {
    let min = cfg.dates.inherit_similarity?;
    if f.date.is_some() {
        return None;
    }
    let mut best: Option<(f32, u64)> = None;
    let mut from: Option<&LiveDoc> = None;
    for &(j, s) in scored.iter() {
        let Some(o) = live.doc(j) else { continue };
        if o.features.date.is_some()
            && o.date_from.is_none()
            && f64::from(s.similarity) >= min
            && better_source(s.similarity, o.seq, best)
        {
            best = Some((s.similarity, o.seq));
            from = Some(o);
        }
    }
    let (o, (sim, _)) = (from?, best?);
    f.date = o.features.date;
    *scored = score_all(live, cfg, cands, f);
    Some(sim)
}

/// A dated document gives its date to held undated documents it strongly
/// matches, unless they have one from a more similar document: returns the
/// documents whose date changed (their pairs are rescored later).
fn give_date(live: &mut Live, cfg: &Config, f: &Features, scored: &[(u32, PairScores)]) -> Vec<u32> {
    let mut redated = Vec::new();
    let (Some(min), Some(_)) = (cfg.dates.inherit_similarity, f.date) else { return redated };
    for &(j, s) in scored {
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
    redated
}

/// Sorts matches best first, ties to the earlier document.
pub(super) fn rank(live: &Live, scored: &mut [(u32, PairScores)]) {
    let seq_of = |j: u32| live.doc(j).map_or(u64::MAX, |d| d.seq);
    scored.sort_by(|a, b| b.1.similarity.total_cmp(&a.1.similarity).then(seq_of(a.0).cmp(&seq_of(b.0))));
}

/// The story whose members the document is most similar to on average
/// (the story of its best match, for single linkage), if that reaches the
/// story threshold.
pub(super) fn choose_story(live: &Live, cfg: &Config, scored: &[(u32, PairScores)]) -> Option<StoryId> {
    let mut per_story: Vec<(StoryId, f64, f64)> = Vec::new();
    for &(j, s) in scored {
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
    let value = |story: StoryId, sum: f64, max: f64| match cfg.story.linkage {
        Linkage::Single => max,
        _ => sum / live.stories.get(&story).map_or(1, Vec::len) as f64,
    };
    per_story
        .iter()
        .map(|&(story, sum, max)| (story, value(story, sum, max)))
        .filter(|&(_, v)| v >= cfg.story.threshold)
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(story, _)| story)
}

/// The best matches, at most 10, with their stories before any merge.
pub(super) fn matches(live: &Live, scored: &[(u32, PairScores)]) -> Vec<Match> {
    scored
        .iter()
        .take(10)
        .filter_map(|&(j, scores)| live.doc(j).map(|o| Match { id: o.id.clone(), story: o.story, scores }))
        .collect()
}

/// What the steps before insertion found.
struct Placed {
    obs: Observation,
    features: Features,
    date_from: Option<f32>,
    scored: Vec<(u32, PairScores)>,
    story: StoryId,
}

/// Is a document's own date `d` (days) an outlier that must not move the
/// clock? Only with `retention_days` w: when it is more than w days beyond
/// the clock, and no held document with a date of its own within w days of
/// it (and also beyond the window) confirms it. One mistyped or misread
/// date ("2095", "Posted 1 January 2099") then expires nothing, while a
/// feed that really moved on moves the clock at its second document.
fn date_outlier(live: &Live, cfg: &Config, d: i32) -> bool {
    let (Some(w), Some(clock)) = (cfg.retention.days, live.clock) else { return false };
    let (w, d, clock) = (i64::from(w), i64::from(d), i64::from(clock));
    if d <= clock + w {
        return false;
    }
    let clamp = |x: i64| x.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
    let (lo, hi) = (clamp((d - w).max(clock + w + 1)), clamp(d + w));
    let confirmed = live.by_stamp.range((lo, 0)..=(hi, u64::MAX)).any(|&(t, seq)| {
        live.by_seq
            .get(&seq)
            .and_then(|&s| live.doc(s))
            .is_some_and(|o| o.date_from.is_none() && o.features.date.map(Date::days) == Some(t))
    });
    !confirmed
}

/// Puts the document in a slot, with its edges, in its story and the
/// indexes. Returns its slot, and whether its own date was an outlier that
/// did not move the clock ([`date_outlier`]).
fn insert(live: &mut Live, cfg: &Config, id: String, p: Placed) -> (u32, bool) {
    let Placed { obs, features: f, date_from, scored, story } = p;
    let slot = match live.free.pop() {
        Some(s) => s,
        None => {
            live.slots.push(None);
            (live.slots.len() - 1) as u32
        }
    };
    let seq = live.next_seq;
    live.next_seq += 1;
    // The clock moves with dates of documents' own (an inherited date is not
    // one), unless the date is an outlier.
    let outlier = date_from.is_none() && f.date.is_some_and(|d| date_outlier(live, cfg, d.days()));
    if date_from.is_none()
        && !outlier
        && let Some(d) = f.date
    {
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
    live.slots[slot as usize] =
        Some(LiveDoc { id: id.clone(), features: f, story, date_from, seq, stamp, obs: PackedObs::pack(&obs), edges });
    live.ids.insert(id, slot);
    live.by_seq.insert(seq, slot);
    if let Some(t) = stamp {
        live.by_stamp.insert((t, seq));
    }
    live.stories.entry(story).or_default().push(slot);
    live.index(cfg, slot);
    (slot, outlier)
}

/// Merges into `story` the stories the document links to, while one
/// qualifies (best first; the oldest id survives). Returns the absorbed ids.
fn merge_linked(live: &mut Live, cfg: &Config, story: &mut StoryId, links: &[(u32, f32)]) -> Vec<StoryId> {
    let mut merged = Vec::new();
    loop {
        let mut best: Option<(StoryId, f64)> = None;
        let mut seen: Vec<StoryId> = Vec::new();
        for &(j, sim) in links {
            let Some(other) = live.doc(j).map(|d| d.story) else { continue };
            if other == *story || seen.contains(&other) {
                continue;
            }
            seen.push(other);
            let v = live.merge_value(cfg, *story, other, f64::from(sim));
            if v >= cfg.story.threshold && best.is_none_or(|(b, bv)| v > bv || (v == bv && other < b)) {
                best = Some((other, v));
            }
        }
        let Some((other, _)) = best else { break };
        let (keep, gone) = ((*story).min(other), (*story).max(other));
        live.merge_stories(keep, gone);
        merged.push(gone);
        *story = keep;
    }
    merged.sort_unstable();
    merged
}

/// Adds a document (see [`Tracker::add`](super::Tracker::add)).
pub(super) fn add(an: &Analyzer, live: &mut Live, doc: Document) -> Result<Assignment, Error> {
    let cfg = an.config();
    admit(live, cfg, &doc)?;
    let mut scratch = std::mem::take(&mut live.scratch);
    let (obs, mut f) = analyze(an, &doc, &mut scratch, |obs| {
        live.stats.observe(obs);
        &live.stats
    });
    live.scratch = scratch;
    let mut acc = std::mem::take(&mut live.acc);
    let cands = candidates(live, cfg, &f, live.stats.docs(), &mut acc);
    live.acc = acc;
    let mut scored = score_all(live, cfg, &cands, &f);
    let date_from = take_date(live, cfg, &cands, &mut f, &mut scored);
    // Held documents given this document's date: their pairs are rescored below.
    let redated = if date_from.is_none() { give_date(live, cfg, &f, &scored) } else { Vec::new() };
    rank(live, &mut scored);
    let chosen = choose_story(live, cfg, &scored);
    let new_story = chosen.is_none();
    let mut story = chosen.unwrap_or_else(|| {
        live.next_story += 1;
        StoryId(live.next_story - 1)
    });
    let matches = matches(live, &scored);
    let links: Vec<(u32, f32)> = scored.iter().map(|&(j, s)| (j, s.similarity)).collect();
    let copies: Vec<u32> = scored.iter().filter(|(_, s)| s.copy).map(|&(j, _)| j).collect();
    let placed = Placed { obs, features: f, date_from, scored, story };
    let (slot, date_outlier) = insert(live, cfg, doc.id, placed);
    let merged = if new_story { Vec::new() } else { merge_linked(live, cfg, &mut story, &links) };
    let mut split_off = Vec::new();
    // Documents that got a date: rescore their pairs, then re-cluster their
    // stories, which may split (the part with the oldest member keeps the id).
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
    // The cohesion guard looks at whole groups, which a stream sees only as
    // they form: a story large enough to hold two guarded groups is
    // re-clustered with the batch linkage when it grows, and splits when it
    // holds two stories the guard keeps apart.
    if let (Linkage::Average, Some(g)) = (cfg.story.linkage, cfg.story.cohesion_guard)
        && live.stories.get(&story).map_or(0, Vec::len) >= 2 * g.min_size.max(2) as usize
    {
        split_off.extend(live.recluster(cfg, story));
        story = live.doc(slot).map_or(story, |d| d.story);
    }
    let expired = live.expire(cfg);
    let copy_of = copy_of(live, &copies, story);
    Ok(Assignment { story, new_story, merged, split_off, matches, expired, date_outlier, copy_of })
}

/// The earliest added of the held documents of `story` that the new
/// document copies (`copies`: the slots of its copy pairs).
fn copy_of(live: &Live, copies: &[u32], story: StoryId) -> Option<String> {
    copies.iter().filter_map(|&j| live.doc(j)).filter(|d| d.story == story).min_by_key(|d| d.seq).map(|d| d.id.clone())
}
