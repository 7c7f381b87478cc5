//! The batch façade: [`Detector`] and its builder.

use std::io::BufRead;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use crate::admit;
use crate::batch;
use crate::clustering::Clustering;
use crate::document::Document;
use crate::error::Error;
use crate::explain::{Explanation, explain_batch};
use crate::features::Analyzer;
use crate::file::{Input, TokenizedInput, tokenize};
use crate::io::ReadOptions;
use crate::learn::learn_batch;
use crate::minhash::MinHashKind;
use crate::params::{CohesionGuard, Config, Linkage, Params, for_each_param};
use crate::stages::Stages;
use crate::summary::{Summary, summarize};

/// Finds copies and same-event reports in a batch and groups them into stories.
///
/// Build one with [`Detector::new`] (defaults) or [`Detector::builder`].
/// A detector is immutable: its parameters never change, and
/// [`cluster`](Self::cluster) takes `&self`, so one detector can serve many
/// threads (it is `Clone + Send + Sync`). To follow stories one document
/// at a time, give it to a [`Tracker`](crate::Tracker).
///
/// # Example
/// ```
/// use samestory::{Detector, Document};
/// let docs = vec![
///     Document::new("a", "Storm Ciarán hit Brittany on Thursday with gusts of 207 km/h, cutting power to 1.2 million homes."),
///     Document::new("b", "Gusts reached 207 km/h as Ciarán swept across Brittany; about 1.2 million homes lost power."),
///     Document::new("c", "The central bank held its main rate at 4.5 percent, citing sticky services inflation."),
/// ];
/// let clustering = Detector::new().cluster(&docs)?;
/// assert!(clustering.same_story(0, 1));
/// assert!(!clustering.same_story(0, 2));
/// # Ok::<(), samestory::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Detector {
    pub(crate) an: Analyzer,
}

/// Builds a [`Detector`]; every setter has a documented default (see
/// [`Params`] for the parameters by group).
#[derive(Debug, Clone, Default)]
pub struct DetectorBuilder {
    pub(crate) params: Params,
}

/// The builder's setters, one per parameter of [`crate::params`]'s declaration.
macro_rules! define_setters {
    ($(
        $(#[$gdoc:meta])*
        $group:ident: $Group:ident {
            $( $(#[$doc:meta])* $field:ident ($setter:ident): $ty:ty = $default:expr, $check:expr; )*
        }
    )*) => {
        impl DetectorBuilder {
            $($(
                $(#[$doc])*
                pub fn $setter(&mut self, value: $ty) -> &mut Self {
                    self.params.$group.$field = value;
                    self
                }
            )*)*
        }
    };
}

for_each_param!(define_setters);

impl DetectorBuilder {
    /// The copy-level preset: only copies link documents (`events(false)`),
    /// and stories are the connected copy groups (`linkage(Single)`, no
    /// cohesion guard). It is the deduplication job of MinHash LSH tools
    /// (datasketch, rensa, gaoya), with this crate's copy rule (resemblance,
    /// or containment of the main text, with boilerplate removed); the other
    /// parameters keep their values.
    ///
    /// # Example
    /// ```
    /// use samestory::{Detector, Document};
    /// let wire = "Storm Ciarán hit Brittany on Thursday with gusts of 207 km/h, cutting power to 1.2 million homes, \
    ///             the grid operator Enedis said, as schools closed and trains stopped across the region.";
    /// let docs = vec![
    ///     Document::new("wire", wire),
    ///     Document::new("reprint", format!("{wire} Read more on our site.")),
    ///     Document::new("report", "Gusts reached 207 km/h as Ciarán swept across Brittany; about 1.2 million homes lost power."),
    /// ];
    /// let dedup = Detector::builder().copies_only().build()?;
    /// let c = dedup.cluster(&docs)?;
    /// assert!(c.same_story(0, 1)); // copies
    /// assert!(!c.same_story(0, 2)); // another report of the event: not a copy
    /// assert!(Detector::new().cluster(&docs)?.same_story(0, 2)); // one story by default
    /// # Ok::<(), samestory::Error>(())
    /// ```
    pub fn copies_only(&mut self) -> &mut Self {
        self.params.levels.events = false;
        self.params.story.linkage = Linkage::Single;
        self.params.story.cohesion_guard = None;
        self
    }

    /// Starts from `params` instead of the defaults.
    pub fn params(&mut self, params: Params) -> &mut Self {
        self.params = params;
        self
    }

    /// Validates the parameters and builds the detector.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidParameter`](crate::ErrorKind::InvalidParameter)
    /// naming the first parameter out of range.
    pub fn build(&self) -> Result<Detector, Error> {
        Detector::from_config(Config::new(self.params.clone())?)
    }
}

impl Default for Detector {
    fn default() -> Detector {
        Detector::new()
    }
}

impl Detector {
    /// A detector with the default parameters.
    pub fn new() -> Detector {
        Detector::builder().build().unwrap_or_else(|e| unreachable!("default parameters are valid: {e}"))
    }

    /// A builder starting from the defaults.
    pub fn builder() -> DetectorBuilder {
        DetectorBuilder::default()
    }

    pub(crate) fn from_config(cfg: Config) -> Result<Detector, Error> {
        Ok(Detector { an: Analyzer::new(cfg)? })
    }

    pub(crate) fn config(&self) -> &Config {
        self.an.config()
    }

    /// Every parameter in force (also for a tracker loaded from a saved state).
    pub fn params(&self) -> &Params {
        &self.an.config().params
    }

    /// Clusters a batch of documents into stories.
    ///
    /// Two passes: corpus statistics (term IDF, names, boilerplate lines) are
    /// learned from the whole batch, keeping each document's tokens; then
    /// each document's features are built, exact duplicates collapsed,
    /// candidates generated, scored exactly and clustered.
    ///
    /// # Errors
    /// [`ErrorKind::DocumentTooLarge`](crate::ErrorKind::DocumentTooLarge),
    /// [`ErrorKind::DuplicateId`](crate::ErrorKind::DuplicateId) or
    /// [`ErrorKind::TooManyDocuments`](crate::ErrorKind::TooManyDocuments), naming the document.
    pub fn cluster(&self, docs: &[Document]) -> Result<Clustering, Error> {
        admit::check_batch(&self.config().limits, docs)?;
        let learned = learn_batch(&self.an, docs);
        let ids = docs.iter().map(|d| d.id.clone()).collect();
        Ok(batch::cluster_learned(&self.an, ids, learned))
    }

    /// Clusters a JSON Lines file (`-` for standard input, or a folder of
    /// `.txt` files) as [`cluster`](Self::cluster) clusters its documents,
    /// without holding the text: the file is read once, on one thread while
    /// the batches already read are learned on the others, keeping each
    /// document's tokens (four bytes a token), not its text; once the
    /// statistics are complete, the features are built from those tokens,
    /// which are freed as they go. Gives the same clustering as reading the
    /// file with [`read_path`](crate::io::read_path), then [`cluster`](Self::cluster).
    /// The clustering knows the ids and the lines skipped.
    ///
    /// # Errors
    /// [`ErrorKind::Io`](crate::ErrorKind::Io) when the path cannot be read,
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) naming the
    /// file and line of bad content (unless `opts.skip_bad`), and the errors
    /// of [`cluster`](Self::cluster).
    ///
    /// # Example
    /// ```
    /// use samestory::{Detector, io::ReadOptions};
    /// let dir = std::env::temp_dir().join(format!("samestory-cluster-file-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// let path = dir.join("news.jsonl");
    /// std::fs::write(
    ///     &path,
    ///     "{\"id\": \"a\", \"text\": \"Storm Ciarán hit Brittany on Thursday with gusts of 207 km/h, cutting power to 1.2 million homes.\"}\n\
    ///      {\"id\": \"b\", \"text\": \"Gusts reached 207 km/h as Ciarán swept across Brittany; about 1.2 million homes lost power.\"}\n\
    ///      {\"id\": \"c\", \"text\": \"The central bank held its main rate at 4.5 percent, citing sticky services inflation.\"}\n",
    /// )?;
    /// let clustering = Detector::new().cluster_file(&path, ReadOptions::default())?;
    /// assert_eq!(clustering.ids(), ["a", "b", "c"]);
    /// assert!(clustering.same_story(0, 1));
    /// assert!(!clustering.same_story(0, 2));
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cluster_file(&self, path: impl AsRef<Path>, opts: ReadOptions) -> Result<Clustering, Error> {
        self.cluster_input(Input::<std::io::Empty>::Path(path.as_ref()), opts)
    }

    /// [`cluster_file`](Self::cluster_file) of JSON Lines read from
    /// `reader`; `name` names the input in errors.
    ///
    /// # Errors
    /// As [`cluster_file`](Self::cluster_file).
    ///
    /// # Example
    /// ```
    /// use samestory::{Detector, io::ReadOptions};
    /// let lines = "{\"id\": \"a\", \"text\": \"Kim Jong Un arrived at the Vostochny Cosmodrome.\"}\nnot json\n";
    /// let clustering = Detector::new().cluster_reader(lines.as_bytes(), "feed", ReadOptions::with_skip_bad(true))?;
    /// assert_eq!(clustering.ids(), ["a"]);
    /// assert_eq!(clustering.skipped()[0].line, 2);
    /// # Ok::<(), samestory::Error>(())
    /// ```
    pub fn cluster_reader(
        &self,
        reader: impl BufRead + Send,
        name: impl AsRef<Path>,
        opts: ReadOptions,
    ) -> Result<Clustering, Error> {
        self.cluster_input(Input::Reader(reader, name.as_ref()), opts)
    }

    /// Clusters documents from an iterator as [`cluster`](Self::cluster)
    /// clusters them, without holding their text: documents are taken in
    /// batches (on one thread while the batches before are learned on the
    /// others), and only their ids and tokens are kept, as
    /// [`cluster_file`](Self::cluster_file) does. For sources of other
    /// formats (CSV, a database cursor, a message queue): an item that is an
    /// error stops the reading, and that error is returned.
    ///
    /// # Errors
    /// The first `Err` item of `docs`, else the errors of
    /// [`cluster`](Self::cluster) converted into `E`.
    ///
    /// # Example
    /// ```
    /// use samestory::{Detector, Document};
    /// type BoxError = Box<dyn std::error::Error + Send + Sync>;
    /// // Tab-separated `id<TAB>text` rows, as a source other than JSON Lines.
    /// let rows = "a\tStorm Ciarán hit Brittany on Thursday with gusts of 207 km/h, cutting power to 1.2 million homes.\n\
    ///             b\tGusts reached 207 km/h as Ciarán swept across Brittany; about 1.2 million homes lost power.\n";
    /// let parse = |(i, row): (usize, &str)| -> Result<Document, BoxError> {
    ///     let (id, text) = row.split_once('\t').ok_or_else(|| format!("row {}: no tab", i + 1))?;
    ///     Ok(Document::new(id, text))
    /// };
    /// let clustering = Detector::new().cluster_iter(rows.lines().enumerate().map(parse))?;
    /// assert_eq!(clustering.ids(), ["a", "b"]);
    /// assert!(clustering.same_story(0, 1));
    ///
    /// let stopped = Detector::new().cluster_iter("a\tone\nno tab here\n".lines().enumerate().map(parse));
    /// assert_eq!(stopped.unwrap_err().to_string(), "row 2: no tab");
    /// # Ok::<(), BoxError>(())
    /// ```
    pub fn cluster_iter<I, E>(&self, docs: I) -> Result<Clustering, E>
    where
        I: IntoIterator<Item = Result<Document, E>>,
        I::IntoIter: Send,
        E: From<Error> + Send,
    {
        let failed: Mutex<Option<E>> = Mutex::new(None);
        let docs = docs.into_iter().map_while(|item| match item {
            Ok(doc) => Some(doc),
            Err(e) => {
                *failed.lock().unwrap_or_else(PoisonError::into_inner) = Some(e);
                None
            }
        });
        // Fused: nothing is pulled from `docs` after its first error.
        let docs = docs.fuse();
        let tokenized = tokenize(&self.an, Input::<std::io::Empty>::Docs(Box::new(docs)), ReadOptions::default());
        if let Some(e) = failed.into_inner().unwrap_or_else(PoisonError::into_inner) {
            return Err(e);
        }
        let TokenizedInput { ids, skipped, warnings, learned } = tokenized?;
        admit::check_unique(&ids)?;
        Ok(batch::cluster_learned(&self.an, ids, learned).with_input_report(skipped, warnings))
    }

    fn cluster_input<R: BufRead + Send>(&self, input: Input<'_, R>, opts: ReadOptions) -> Result<Clustering, Error> {
        let TokenizedInput { ids, skipped, warnings, learned } = tokenize(&self.an, input, opts)?;
        Ok(batch::cluster_learned(&self.an, ids, learned).with_input_report(skipped, warnings))
    }

    /// Explains the scores of documents `a` and `b` of a batch (positions in
    /// `docs`), with statistics learned from the whole batch as
    /// [`cluster`](Self::cluster) does.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidParameter`](crate::ErrorKind::InvalidParameter)
    /// when `a` or `b` is out of range, and the errors of [`cluster`](Self::cluster).
    ///
    /// # Example
    /// ```
    /// use samestory::{Detector, Document};
    /// let docs = vec![
    ///     Document::new("a", "The Indian navy captured 23 pirates in the Gulf of Aden on Saturday, a navy spokesman said."),
    ///     Document::new("b", "A navy spokesman said the Indian navy captured 23 pirates in the Gulf of Aden on Saturday."),
    /// ];
    /// let e = Detector::new().explain(&docs, 0, 1)?;
    /// assert!(e.shared_terms.iter().any(|t| t.term == "aden"));
    /// println!("{e}");
    /// # Ok::<(), samestory::Error>(())
    /// ```
    pub fn explain(&self, docs: &[Document], a: u32, b: u32) -> Result<Explanation, Error> {
        admit::check_batch(&self.config().limits, docs)?;
        for (name, i) in [("a", a), ("b", b)] {
            if i as usize >= docs.len() {
                return Err(Error::param(name, format!("document position {i} is out of range (0..{})", docs.len())));
            }
        }
        Ok(explain_batch(&self.an, docs, a as usize, b as usize))
    }

    /// What the detector learns from `docs`, in words: the boilerplate
    /// lines it removes (with the documents each was removed from) and the
    /// salient terms its profiles hold (with how many), at most `top` of
    /// each. Its `Display` is a readable report.
    ///
    /// # Errors
    /// As [`cluster`](Self::cluster).
    ///
    /// # Example
    /// ```
    /// use samestory::{Detector, Document};
    /// let docs: Vec<Document> = (0..4)
    ///     .map(|i| {
    ///         let story = ["Storm Ciarán cut power to 1.2 million homes in Brittany.", "The central bank held rates at 4.5 percent.",
    ///                      "Kim Jong Un met Vladimir Putin at the Vostochny Cosmodrome.", "Floods closed 40 schools in Valencia."][i];
    ///         Document::new(i.to_string(), format!("Home | World | Sport\n{story}\nSubscribe to our newsletter"))
    ///             .with_source("news.example")
    ///     })
    ///     .collect();
    /// let summary = Detector::new().summarize(&docs, 10)?;
    /// assert!(summary.boilerplate.iter().any(|l| l.text == "Home | World | Sport" && l.documents == 4));
    /// println!("{summary}");
    /// # Ok::<(), samestory::Error>(())
    /// ```
    pub fn summarize(&self, docs: &[Document], top: usize) -> Result<Summary, Error> {
        admit::check_batch(&self.config().limits, docs)?;
        Ok(summarize(&self.an, docs, top))
    }

    /// The pipeline's stages one by one, for engines that run them
    /// partition by partition (see [`Stages`]).
    pub fn stages(&self) -> Stages<'_> {
        Stages::new(&self.an)
    }
}
