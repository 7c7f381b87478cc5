//! Live story tracking: [`Tracker`] follows stories one document at a time.
//!
//! How stories form, merge, split and expire: the [`Tracker`] docs.

mod add;
mod expiry;
pub(crate) mod state;
mod stories;
pub(crate) mod types;

use std::path::Path;

use crate::detector::Detector;
use crate::document::Document;
use crate::error::{Error, ErrorKind};
use crate::explain::{Explanation, explain_features};
use crate::features::Scratch;
use crate::lsh::Accumulator;
use crate::persist;
use crate::stats::{CorpusStats, WithDocument};
use crate::text::Date;

use state::Live;

pub use types::{Assignment, Match, Placement, Story, StoryId};

/// Follows stories one document at a time: each [`add`](Self::add)ed
/// document joins a story or starts one.
///
/// A tracker owns a [`Detector`] (its parameters) and the live state: the
/// documents held (their features, not their text), their stories and the
/// corpus statistics learned from them. It can start from statistics
/// learned on a background corpus ([`with_stats`](Self::with_stats)), and
/// is saved and loaded whole. It is `Clone + Send + Sync`.
///
/// # Stories
/// A new document joins the story whose members it is most similar to on
/// average (with [`Linkage::Single`](crate::Linkage::Single), the story of its best match) when
/// that reaches the story threshold, and otherwise starts a new story.
/// Story ids are handed out in order and never reused.
///
/// When a document joins story A, A's average similarity to another story B
/// it matched may reach the story threshold: then A and B merge (the same
/// test average linkage applies in batch: the sum of the similarities of
/// the scored pairs between them, over |A| × |B|), and this repeats while
/// any story the document matched qualifies, best first. **The surviving id
/// is the oldest one** (the smallest), so a story keeps the id it had when it
/// started, whatever joins it later; [`Assignment::merged`] lists the ids
/// that were absorbed. Removing a document never splits a story.
///
/// Dates travel: a dated document passes its date to held undated documents
/// it strongly matches (`inherit_date_similarity`), as batch clustering
/// does. Their pairs are then rescored (a date may put an old match outside
/// the window) and each story they are in is re-clustered over its stored
/// pairs with the batch linkage; if it falls apart, the part holding the
/// oldest member keeps the id and the other parts become new stories,
/// reported in [`Assignment::split_off`]. So an undated report that first
/// joined an older, similar event moves out once its own event's dated
/// reports arrive.
///
/// The batch [`CohesionGuard`](crate::CohesionGuard) applies too: two
/// stories of at least its `min_size` merge only when their average cross
/// similarity also reaches its ratio of the lower of their cohesions. As a
/// stream sees groups only as they form, a story holding at least twice
/// `min_size` documents is re-clustered the same way after each add that
/// joins it, and splits (as above) when it holds two stories the guard keeps
/// apart: reports of a second event of the same kind that first joined the
/// earlier event's story move out once they form a group of their own.
///
/// # Expiry
/// With [`retention_days`](crate::DetectorBuilder::retention_days), each
/// document has a *time*: its date (given, found in the text, or inherited
/// from a very similar document when added); an undated document gets the
/// stream's clock when it is added (the newest date seen so far), so
/// undated documents expire in insertion order. At the end of every `add`,
/// documents whose time is more than `retention_days` before the clock are
/// removed. With [`retention_documents`](crate::DetectorBuilder::retention_documents)
/// at most that many documents are held, the oldest (by insertion) removed
/// first. [`expire_before`](Self::expire_before) removes by time on demand. Either
/// bound keeps the memory proportional to the documents in the window.
///
/// The clock is the newest own date seen (an inherited date does not move
/// it), with one guard against outliers: with `retention_days` w, a date
/// more than w days beyond the clock moves it only when a held document
/// with a date of its own within w days of it confirms it. So one mistyped
/// or misread date ("2095", a "Posted 1 January 2099" found in the text)
/// expires nothing and is reported ([`Assignment::date_outlier`]), while a
/// feed that really moved on moves the clock at its second document. The
/// outlier itself keeps its date as its time. To run on a clock of your
/// own, use `retention_documents` and [`expire_before`](Self::expire_before).
///
/// # Example
/// ```
/// use samestory::{Detector, Document, Tracker};
/// let mut tracker = Tracker::new(Detector::builder().story_threshold(0.3).build()?);
/// let first = tracker.add(Document::new("1", "Kim Jong Un arrived at the Vostochny Cosmodrome by train to meet Putin."))?;
/// let second = tracker.add(Document::new("2", "Putin met Kim Jong Un at the Vostochny Cosmodrome after Kim's train arrived."))?;
/// assert_eq!(first.story, second.story);
/// assert_eq!(tracker.story_of("2"), Some(first.story));
/// # Ok::<(), samestory::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Tracker {
    detector: Detector,
    live: Live,
}

impl Tracker {
    /// An empty tracker with `detector`'s parameters.
    pub fn new(detector: Detector) -> Tracker {
        let live = Live::new(detector.config());
        Tracker { detector, live }
    }

    /// An empty tracker whose statistics start from `stats`, learned on a
    /// background corpus ([`Stages::learn`](crate::stages::Stages::learn)):
    /// term weights and boilerplate are then known from the first document,
    /// as in a batch, instead of learned from the few documents held.
    /// Removing or expiring documents takes out only what they added.
    ///
    /// # Example
    /// ```
    /// use samestory::{Detector, Document, Tracker};
    /// let background = vec![
    ///     Document::new("b1", "The central bank held its main rate at 4.5 percent."),
    ///     Document::new("b2", "The league title went to Castlebrook after a 2-1 win."),
    /// ];
    /// let detector = Detector::new();
    /// let stats = detector.stages().learn(&background)?;
    /// let mut tracker = Tracker::with_stats(detector, stats);
    /// tracker.add(Document::new("a", "Storm Ciarán hit Brittany with gusts of 207 km/h."))?;
    /// assert_eq!(tracker.len(), 1);
    /// # Ok::<(), samestory::Error>(())
    /// ```
    pub fn with_stats(detector: Detector, stats: CorpusStats) -> Tracker {
        let mut t = Tracker::new(detector);
        t.live.stats = stats;
        t
    }

    /// The detector whose parameters the tracker uses.
    pub fn detector(&self) -> &Detector {
        &self.detector
    }

    /// Adds one document and assigns it to a story.
    ///
    /// The corpus statistics are updated with the document first, then its
    /// candidates (from the LSH, SimHash and term indexes over the documents
    /// held) are scored, and it joins the story whose members it is most
    /// similar to on average (with single linkage, the story of its best
    /// match) when that reaches the story threshold; otherwise it starts a
    /// new story. Stories it links strongly enough are merged (the oldest
    /// id survives) and the retention policy is applied; see the
    /// [type docs](Tracker). Earlier documents keep the features computed
    /// when they were added.
    ///
    /// # Errors
    /// [`ErrorKind::DocumentTooLarge`], [`ErrorKind::DuplicateId`] or
    /// [`ErrorKind::TooManyDocuments`]; the tracker is unchanged then.
    ///
    /// # Example
    /// ```
    /// use samestory::{Detector, Document, Tracker};
    /// let mut t = Tracker::new(Detector::new());
    /// let a = t.add(Document::new("a", "Storm Ciarán hit Brittany with gusts of 207 km/h, cutting power to 1.2 million homes."))?;
    /// let b = t.add(Document::new("b", "Ciarán's 207 km/h gusts left 1.2 million homes in Brittany without power."))?;
    /// assert!(a.new_story);
    /// assert_eq!(b.story, a.story);
    /// assert_eq!(b.matches[0].id, "a");
    /// # Ok::<(), samestory::Error>(())
    /// ```
    pub fn add(&mut self, doc: Document) -> Result<Assignment, Error> {
        add::add(&self.detector.an, &mut self.live, doc)
    }

    /// Where [`add`](Self::add) would put `doc` (the story it would join,
    /// its matches), without changing anything: no story id is used up.
    /// The document is weighed with the statistics as `add` would count it;
    /// merges and splits that adding it could cause are not foreseen.
    ///
    /// # Errors
    /// As [`add`](Self::add) (a held id is a [`ErrorKind::DuplicateId`]).
    ///
    /// # Example
    /// ```
    /// use samestory::{Detector, Document, Tracker};
    /// let mut t = Tracker::new(Detector::new());
    /// let a = t.add(Document::new("a", "Storm Ciarán hit Brittany with gusts of 207 km/h, cutting power to 1.2 million homes."))?;
    /// let b = Document::new("b", "Ciarán's 207 km/h gusts left 1.2 million homes in Brittany without power.");
    /// assert_eq!(t.query(&b)?.story, Some(a.story));
    /// assert_eq!(t.len(), 1);
    /// # Ok::<(), samestory::Error>(())
    /// ```
    pub fn query(&self, doc: &Document) -> Result<Placement, Error> {
        let an = &self.detector.an;
        let cfg = an.config();
        let live = &self.live;
        add::admit(live, cfg, doc)?;
        let mut scratch = Scratch::default();
        let (_, mut f) = add::analyze(an, doc, &mut scratch, |obs| WithDocument::new(&live.stats, obs));
        let cands = add::candidates(live, cfg, &f, live.stats.docs() + 1, &mut Accumulator::default());
        let mut scored = add::score_all(live, cfg, &cands, &f);
        add::take_date(live, cfg, &cands, &mut f, &mut scored);
        add::rank(live, &mut scored);
        Ok(Placement { story: add::choose_story(live, cfg, &scored), matches: add::matches(live, &scored) })
    }

    /// Removes a held document: from the indexes, its story (which is
    /// deleted when it empties; removal never splits a story) and the
    /// corpus statistics. Returns the story it was in.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownId`] when no held document has this id.
    ///
    /// # Example
    /// ```
    /// use samestory::{Detector, Document, Tracker};
    /// let mut t = Tracker::new(Detector::new());
    /// let a = t.add(Document::new("a", "The central bank held its main rate at 4.5 percent."))?;
    /// assert_eq!(t.remove("a")?, a.story);
    /// assert!(t.is_empty() && t.story_of("a").is_none());
    /// assert!(t.remove("a").is_err());
    /// # Ok::<(), samestory::Error>(())
    /// ```
    pub fn remove(&mut self, id: &str) -> Result<StoryId, Error> {
        let cfg = self.detector.config();
        let unknown = || Error::new(ErrorKind::UnknownId { id: id.to_string() });
        let &slot = self.live.ids.get(id).ok_or_else(unknown)?;
        self.live.remove_slot(cfg, slot).map(|d| d.story).ok_or_else(unknown)
    }

    /// Removes every held document whose time (its date, else the clock
    /// when it was added; see the [type docs](Tracker)) is before `date`,
    /// oldest first, and returns their ids. Documents added before any date
    /// was seen have no time and stay.
    pub fn expire_before(&mut self, date: Date) -> Vec<String> {
        let mut out = Vec::new();
        self.live.expire_before(self.detector.config(), date.days(), &mut out);
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

    /// A story held, with its members' ids in insertion order; `None`
    /// when no held document is in it.
    pub fn story(&self, id: StoryId) -> Option<Story<'_>> {
        let members = self.live.stories.get(&id)?;
        Some(Story { id, members: members.iter().filter_map(|&s| self.live.doc(s)).map(|d| d.id.as_str()).collect() })
    }

    /// The stories held, by story id.
    pub fn stories(&self) -> impl Iterator<Item = Story<'_>> + '_ {
        let mut ids: Vec<StoryId> = self.live.stories.keys().copied().collect();
        ids.sort_unstable();
        ids.into_iter().filter_map(|s| self.story(s))
    }

    /// Explains the scores of two held documents from their stored
    /// features (the tracker keeps no text: no passages, shared terms by
    /// hash; see [`Explanation`]).
    ///
    /// # Errors
    /// [`ErrorKind::UnknownId`] naming an id no held document has.
    pub fn explain(&self, a: &str, b: &str) -> Result<Explanation, Error> {
        let features = |id: &str| {
            self.live
                .ids
                .get(id)
                .and_then(|&s| self.live.doc(s))
                .map(|d| &d.features)
                .ok_or_else(|| Error::new(ErrorKind::UnknownId { id: id.to_string() }))
        };
        // The tracker keeps no text: terms are named by their hashes.
        let hash = |t: u64| format!("#{t:016x}");
        Ok(explain_features(self.detector.config(), (a, features(a)?), (b, features(b)?), hash))
    }

    /// The newest document date seen by [`add`](Self::add) (the clock of the
    /// retention window).
    pub fn clock(&self) -> Option<Date> {
        self.live.clock.map(Date::from_days)
    }

    /// Saves the whole state to `path` atomically (see
    /// [`to_bytes`](Self::to_bytes) for what it holds): a temporary file
    /// beside it, flushed to disk, then renamed over it, so a crash leaves
    /// the previous state or the new one.
    ///
    /// # Errors
    /// [`ErrorKind::Io`] naming the file when writing, flushing or renaming
    /// fails; the previous file at `path`, if any, is then unchanged.
    ///
    /// # Example
    /// ```
    /// use samestory::{Detector, Document, Tracker};
    /// let dir = std::env::temp_dir().join(format!("samestory-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// let path = dir.join("news.idx");
    /// let mut t = Tracker::new(Detector::new());
    /// let a = t.add(Document::new("a", "Storm Ciarán hit Brittany with gusts of 207 km/h, cutting power to 1.2 million homes."))?;
    /// t.save(&path)?;
    /// let mut again = Tracker::load(&path)?;
    /// let b = again.add(Document::new("b", "Ciarán's 207 km/h gusts left 1.2 million homes in Brittany without power."))?;
    /// assert_eq!(b.story, a.story);
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// # Ok::<(), samestory::Error>(())
    /// ```
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), Error> {
        persist::save_atomically(path.as_ref(), &self.to_bytes())
    }

    /// Loads a state saved by [`save`](Self::save), parameters included.
    ///
    /// # Errors
    /// [`ErrorKind::Io`] when the file cannot be read;
    /// [`ErrorKind::InvalidState`] naming the file and section when it is
    /// truncated, corrupted or not a state; [`ErrorKind::UnsupportedStateVersion`]
    /// when another format version wrote it.
    pub fn load(path: impl AsRef<Path>) -> Result<Tracker, Error> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Tracker::decode(&bytes, path)
    }

    /// The whole state in a versioned binary format: parameters, learned
    /// statistics, every held document's sketches and profile, stories and
    /// the stream's clock (the indexes are rebuilt on load, exactly as the
    /// adds built them). Same bytes as [`save`](Self::save) writes.
    pub fn to_bytes(&self) -> Vec<u8> {
        persist::encode(self.detector.params(), &self.live)
    }

    /// A tracker from [`to_bytes`](Self::to_bytes) output.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidState`] (with an empty path) when the bytes are
    /// truncated, corrupted or not a state; [`ErrorKind::UnsupportedStateVersion`]
    /// when another format version wrote them.
    pub fn from_bytes(bytes: &[u8]) -> Result<Tracker, Error> {
        Tracker::decode(bytes, Path::new(""))
    }

    fn decode(bytes: &[u8], path: &Path) -> Result<Tracker, Error> {
        let (cfg, live) = persist::decode(bytes, path)?;
        let detector = Detector::from_config(cfg).map_err(|e| {
            Error::new(ErrorKind::InvalidState { path: path.to_path_buf(), reason: format!("section CONF: {e}") })
        })?;
        Ok(Tracker { detector, live })
    }
}
