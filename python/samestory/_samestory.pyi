"""Type stubs of the samestory extension module (the Rust bindings)."""

import datetime
import os
from typing import Any, Dict, Iterable, List, Literal, Mapping, Optional, Sequence, Tuple, TypedDict, Union, final

DEFAULT_SEED: int
PARAM_NAMES: List[str]
__version__: str

_Date = Union[datetime.date, str, None]
_Doc = Mapping[str, Any]
_Docs = Union[Iterable[_Doc], Any]  # a list/iterable of dicts, a pandas DataFrame or a pyarrow Table
_DocRef = Union[str, int]  # a document's id or its position
_OnInvalidDate = Literal["raise", "ignore"]
_Path = Union[str, "os.PathLike[str]"]

class PairRecord(TypedDict):
    """A pair scored, as `Clustering.pairs()` lists it."""

    a: str
    b: str
    similarity: float
    copy: bool
    related: bool
    jaccard: float
    containment: float
    jaccard_estimate: float
    simhash_distance: int
    cosine: float
    days_apart: Optional[int]

class ParamDict(TypedDict):
    """Every detector parameter, as `Detector.params` gives them."""

    seed: int
    shingle_size: int
    num_perm: int
    minhash_kind: str
    copy_threshold: float
    containment_threshold: float
    min_containment_shingles: int
    simhash_distance: int
    profile_terms: int
    candidate_terms: int
    candidate_df_fraction: float
    candidate_df_floor: int
    candidate_budget: int
    candidate_limit: int
    candidate_min_overlap: float
    title_weight: float
    name_boost: float
    number_boost: float
    date_window_days: Optional[int]
    outside_window_factor: float
    inherit_date_similarity: Optional[float]
    remove_boilerplate: bool
    boilerplate_min_docs: int
    boilerplate_max_tokens: int
    story_threshold: float
    linkage: str
    cohesion_guard: Optional[Tuple[float, int]]
    max_document_bytes: int
    max_documents: int
    retention_days: Optional[int]
    retention_documents: Optional[int]
    events: bool

@final
class PairScores:
    """The scores of one pair of documents."""

    jaccard_estimate: float
    jaccard: float
    containment: float
    simhash_distance: int
    cosine: float
    days_apart: Optional[int]
    copy: bool
    related: bool
    similarity: float
    def to_dict(self) -> Dict[str, Any]:
        """The scores as a dict (field name to value)."""

@final
class Clustering:
    """The stories of a batch: a label per document, the clusters, and the scores of every pair compared."""

    @property
    def labels(self) -> List[int]:
        """The story label of each document, in input order."""
    @property
    def copy_labels(self) -> List[int]:
        """The copy group of each document, in input order (copy groups nest in stories)."""
    @property
    def ids(self) -> List[str]:
        """The documents' ids, in input order."""
    @property
    def skipped(self) -> List[Tuple[int, str]]:
        """Lines skipped as bad by `cluster_file(..., skip_bad=True)`: (line, reason)."""
    @property
    def warnings(self) -> List[Tuple[int, str]]:
        """Optional fields ignored as invalid: (line or position, reason)."""
    def __len__(self) -> int: ...
    def stories(self) -> List[List[str]]:
        """The stories of at least two documents, as lists of ids."""
    def copies(self) -> List[List[str]]:
        """The copy groups of at least two documents (an original and its copies), as lists of ids."""
    def clusters(self) -> List[List[str]]:
        """Every cluster, singletons included; cluster k has label k."""
    def pairs(self) -> List[PairRecord]:
        """Every pair scored: ids `a`, `b` and each score."""
    def label_of(self, doc: _DocRef) -> int:
        """The label of a document (id or position)."""
    def same_story(self, a: _DocRef, b: _DocRef) -> bool:
        """Are two documents in one story?"""
    def scores(self, a: _DocRef, b: _DocRef) -> Optional[PairScores]:
        """The scores of two documents, or None when they were not compared."""
    def labels_at(self, threshold: float, linkage: Literal["average", "single"] = "average") -> List[int]:
        """The labels at another threshold and linkage, without rescoring."""
    def to_pandas(self) -> Any:
        """One row per document (id, story, copy, best_match, best_similarity) as a pandas DataFrame."""
    def to_arrow(self) -> Any:
        """One row per document (id, story, copy, best_match, best_similarity) as a pyarrow Table."""

@final
class Explanation:
    """Why two documents were, or were not, put in one story; `str()` is a readable report."""

    @property
    def ids(self) -> Tuple[str, str]: ...
    @property
    def scores(self) -> PairScores: ...
    @property
    def shared_passages(self) -> List[str]: ...
    @property
    def shared_terms(self) -> List[Tuple[str, float]]: ...
    @property
    def content_tokens(self) -> Tuple[Tuple[int, int], Tuple[int, int]]: ...
    @property
    def pair_same_story(self) -> bool: ...
    @property
    def params(self) -> ParamDict: ...

@final
class Detector:
    """Finds copies and same-event reports in a batch and groups them into stories."""

    def __init__(
        self,
        *,
        seed: int = ...,
        shingle_size: int = ...,
        num_perm: int = ...,
        minhash_kind: Literal["one-permutation", "classic"] = ...,
        copy_threshold: float = ...,
        containment_threshold: float = ...,
        min_containment_shingles: int = ...,
        simhash_distance: int = ...,
        profile_terms: int = ...,
        candidate_terms: int = ...,
        candidate_df_fraction: float = ...,
        candidate_df_floor: int = ...,
        candidate_budget: int = ...,
        candidate_limit: int = ...,
        candidate_min_overlap: float = ...,
        title_weight: float = ...,
        name_boost: float = ...,
        number_boost: float = ...,
        date_window_days: Optional[int] = ...,
        outside_window_factor: float = ...,
        inherit_date_similarity: Optional[float] = ...,
        remove_boilerplate: bool = ...,
        boilerplate_min_docs: int = ...,
        boilerplate_max_tokens: int = ...,
        story_threshold: float = ...,
        linkage: Literal["average", "single"] = ...,
        cohesion_guard: Optional[Tuple[float, int]] = ...,
        max_document_bytes: int = ...,
        max_documents: int = ...,
        retention_days: Optional[int] = ...,
        retention_documents: Optional[int] = ...,
        events: bool = ...,
    ) -> None: ...
    @property
    def params(self) -> ParamDict:
        """Every parameter in force, by name."""
    def cluster(
        self,
        docs: _Docs,
        *,
        id_col: str = "id",
        text_col: str = "text",
        title_col: str = "title",
        date_col: str = "date",
        source_col: str = "source",
        on_invalid_date: _OnInvalidDate = "raise",
    ) -> Clustering:
        """Clusters a batch (dicts, a pandas DataFrame or a pyarrow Table) into stories."""
    def cluster_file(self, path: _Path, *, skip_bad: bool = False, max_record_bytes: int = ...) -> Clustering:
        """Clusters a JSON Lines file (or a folder of .txt files) without holding its text."""
    def explain(
        self,
        docs: _Docs,
        a: _DocRef,
        b: _DocRef,
        *,
        id_col: str = "id",
        text_col: str = "text",
        title_col: str = "title",
        date_col: str = "date",
        source_col: str = "source",
        on_invalid_date: _OnInvalidDate = "raise",
    ) -> Explanation:
        """Explains why two documents of a batch are, or are not, one story."""

@final
class Match:
    """One match of a document against another held by the tracker."""

    id: str
    story: int
    scores: PairScores

@final
class Assignment:
    """What `Tracker.add` decided for a document."""

    story: int
    new_story: bool
    merged: List[int]
    split_off: List[int]
    matches: List[Match]
    expired: List[str]
    date_outlier: bool
    warning: Optional[str]
    copy_of: Optional[str]

@final
class Placement:
    """Where `Tracker.query` would put a document."""

    story: Optional[int]
    matches: List[Match]

@final
class Tracker:
    """Follows stories one document at a time."""

    def __init__(self, detector: Optional[Detector] = None) -> None: ...
    def add(self, doc: _Doc, *, on_invalid_date: _OnInvalidDate = "raise") -> Assignment:
        """Adds one document and assigns it to a story."""
    def query(self, doc: _Doc, *, on_invalid_date: _OnInvalidDate = "raise") -> Placement:
        """Where `add` would put a document, without changing anything."""
    def remove(self, id: str) -> int:
        """Removes a held document; returns its story."""
    def expire_before(self, date: Union[datetime.date, str]) -> List[str]:
        """Removes the documents older than `date`; returns their ids."""
    def stories(self) -> Dict[int, List[str]]:
        """Story id to its members' ids."""
    def story(self, story: int) -> Optional[List[str]]:
        """The members of a story, or None."""
    def story_of(self, id: str) -> Optional[int]:
        """The story of a held document, or None."""
    def explain(self, a: str, b: str) -> Explanation:
        """Explains the scores of two held documents."""
    @property
    def clock(self) -> Optional[datetime.date]: ...
    @property
    def detector(self) -> Detector: ...
    def __len__(self) -> int: ...
    def __contains__(self, id: object) -> bool: ...
    def save(self, path: _Path) -> None:
        """Saves the whole state to a file, atomically."""
    @staticmethod
    def load(path: _Path) -> "Tracker":
        """Loads a state written by `save`."""
    def to_bytes(self) -> bytes:
        """The whole state as bytes."""
    @staticmethod
    def from_bytes(data: bytes) -> "Tracker":
        """A tracker from `to_bytes` output."""

@final
class MinHash:
    """A MinHash signature."""

    def digest(self) -> List[int]: ...
    @property
    def is_empty(self) -> bool: ...
    def __len__(self) -> int: ...
    def jaccard(self, other: "MinHash") -> float: ...
    def union(self, other: "MinHash") -> "MinHash": ...

@final
class MinHasher:
    """Computes MinHash signatures."""

    def __init__(
        self, num_perm: int = 128, seed: int = ..., kind: Literal["one-permutation", "classic"] = "one-permutation"
    ) -> None: ...
    @property
    def num_perm(self) -> int: ...
    @property
    def seed(self) -> int: ...
    @property
    def kind(self) -> str: ...
    def sketch(self, shingles: Sequence[int]) -> MinHash: ...
    def sketch_text(self, text: str, k: int = 5) -> MinHash: ...
    def sketch_texts(self, texts: Sequence[str], k: int = 5) -> List[MinHash]: ...

def shingles(text: str, k: int = 5, seed: int = ...) -> List[int]: ...
def jaccard(a: Sequence[int], b: Sequence[int]) -> float: ...
def containment(a: Sequence[int], b: Sequence[int]) -> float: ...
def simhash(features: Sequence[int], seed: int = ...) -> int: ...
def hamming(a: int, b: int) -> int: ...
def lsh_params(threshold: float, num_perm: int) -> Tuple[int, int]: ...
def collision_probability(s: float, bands: int, rows: int) -> float: ...
def band_keys(sketch: MinHash, bands: int, rows: int, seed: int = ...) -> List[int]: ...
def _detector_from_params(params: Mapping[str, Any]) -> Detector: ...
def _tracker_from_bytes(data: bytes) -> Tracker: ...
