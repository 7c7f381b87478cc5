"""Near-duplicate news story detection: copies and independent reports of
one event, grouped into stories.

The batch entry point is :class:`Detector` (``cluster``, ``cluster_file``,
``explain``); :class:`Tracker` follows stories one document at a time. The
building blocks (:func:`shingles`, :class:`MinHasher`, :func:`jaccard`,
:func:`containment`, :func:`simhash`, :func:`band_keys`, ...) serve your own
pipeline. Every error is a :class:`SamestoryError`.

Thread safety: a :class:`Detector` and a :class:`Clustering` are immutable
and may be shared between threads; batch calls release the GIL, so threads
cluster in parallel. A :class:`Tracker` serializes its calls with a lock.
"""

from ._errors import (
    FileError,
    InputError,
    InvalidParameter,
    SamestoryError,
    StateError,
    UnknownIdError,
)
from ._samestory import (
    DEFAULT_SEED,
    PARAM_NAMES,
    Assignment,
    Clustering,
    Detector,
    Explanation,
    Match,
    MinHash,
    MinHasher,
    PairScores,
    Placement,
    Tracker,
    __version__,
    band_keys,
    collision_probability,
    containment,
    hamming,
    jaccard,
    lsh_params,
    shingles,
    simhash,
)

__all__ = [
    "DEFAULT_SEED",
    "PARAM_NAMES",
    "Assignment",
    "Clustering",
    "Detector",
    "Explanation",
    "FileError",
    "InputError",
    "InvalidParameter",
    "Match",
    "MinHash",
    "MinHasher",
    "PairScores",
    "Placement",
    "SamestoryError",
    "StateError",
    "Tracker",
    "UnknownIdError",
    "__version__",
    "band_keys",
    "collision_probability",
    "containment",
    "hamming",
    "jaccard",
    "lsh_params",
    "shingles",
    "simhash",
]
