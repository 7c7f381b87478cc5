"""A small typed use of the package, checked by `mypy --strict` (and run by test_typed_usage.py)."""

from __future__ import annotations

import datetime
from typing import Dict, List, Optional

import samestory


def main() -> Dict[str, object]:
    detector = samestory.Detector(story_threshold=0.25, date_window_days=None, cohesion_guard=(0.9, 5))
    threshold: float = detector.params["story_threshold"]
    docs: List[Dict[str, object]] = [
        {"id": "a", "text": "Storm Ciarán hit Brittany with gusts of 207 km/h.", "date": datetime.date(2023, 11, 2)},
        {"id": "b", "text": "Ciarán's 207 km/h gusts hit Brittany.", "date": "2023-11-02"},
    ]
    result: samestory.Clustering = detector.cluster(docs, on_invalid_date="ignore")
    labels: List[int] = result.labels
    stories: List[List[str]] = result.stories()
    best: Optional[samestory.PairScores] = result.scores("a", 1)
    similarity = best.similarity if best is not None else 0.0
    pairs = result.pairs()
    first_a: Optional[str] = pairs[0]["a"] if pairs else None
    explanation = detector.explain(docs, "a", "b")
    report: str = str(explanation)
    tracker = samestory.Tracker(detector)
    assignment: samestory.Assignment = tracker.add(docs[0])
    story: int = assignment.story
    clock: Optional[datetime.date] = tracker.clock
    restored = samestory.Tracker.from_bytes(tracker.to_bytes())
    hasher = samestory.MinHasher(num_perm=64, kind="classic")
    sketches: List[samestory.MinHash] = hasher.sketch_texts(["a b c d e f", "a b c d e g"], k=2)
    estimate: float = sketches[0].jaccard(sketches[1])
    keys: List[int] = samestory.band_keys(sketches[0], 16, 4)
    exact: float = samestory.jaccard(samestory.shingles("a b c", 2), samestory.shingles("a b d", 2))
    try:
        samestory.Detector(story_threshold=2.0)
    except samestory.InvalidParameter as e:
        name: Optional[str] = e.name
    else:
        name = None
    return {
        "threshold": threshold, "labels": labels, "stories": stories, "similarity": similarity,
        "first_a": first_a, "report": report, "story": story, "clock": clock, "restored": len(restored),
        "estimate": estimate, "keys": len(keys), "exact": exact, "name": name,
    }


if __name__ == "__main__":
    print(main())
