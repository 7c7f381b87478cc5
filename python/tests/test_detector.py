"""Detector: parameters, inputs (dicts, pandas, pyarrow), results, explain, pickle, threads."""

from __future__ import annotations

import datetime
import pickle
import threading
from typing import Any, Dict, List

import pytest

import samestory
from samestory import Detector, InvalidParameter

STORM_A = "Storm Ciarán hit Brittany on Thursday with gusts of 207 km/h, cutting power to 1.2 million homes."
STORM_B = "Gusts reached 207 km/h as Ciarán swept across Brittany; about 1.2 million homes lost power."
BANK = "The central bank held its main rate at 4.5 percent, citing sticky services inflation."


def three() -> List[Dict[str, Any]]:
    return [{"id": "a", "text": STORM_A}, {"id": "b", "text": STORM_B}, {"id": "c", "text": BANK}]


def test_params_are_every_rust_parameter_and_round_trip() -> None:
    d = Detector()
    assert list(d.params) == samestory.PARAM_NAMES
    assert len(samestory.PARAM_NAMES) >= 30
    assert d.params["story_threshold"] == 0.21
    assert d.params["date_window_days"] == 14
    assert d.params["cohesion_guard"] == (0.9, 5)
    assert d.params["linkage"] == "average"
    # Every parameter set back from its own value gives the same detector.
    again = Detector(**d.params)
    assert again.params == d.params


def test_each_keyword_is_set() -> None:
    d = Detector(
        story_threshold=0.3,
        date_window_days=None,
        linkage="single",
        cohesion_guard=None,
        minhash_kind="classic",
        remove_boilerplate=False,
        retention_days=7,
        num_perm=64,
        title_weight=3,
    )
    p = d.params
    assert p["story_threshold"] == 0.3
    assert p["date_window_days"] is None
    assert p["linkage"] == "single"
    assert p["cohesion_guard"] is None
    assert p["minhash_kind"] == "classic"
    assert p["remove_boilerplate"] is False
    assert p["retention_days"] == 7
    assert p["num_perm"] == 64
    assert p["title_weight"] == 3.0
    assert Detector(cohesion_guard=(0.8, 6)).params["cohesion_guard"] == (0.8, 6)
    assert "story_threshold=0.3" in repr(d)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"story_threshold": 0.0}, "story_threshold"),
        ({"story_threshold": 1.5}, "story_threshold"),
        ({"story_threshold": float("nan")}, "story_threshold"),
        ({"story_threshold": "0.3"}, "story_threshold"),
        ({"num_perm": 0}, "num_perm"),
        ({"num_perm": -1}, "num_perm"),
        ({"num_perm": 1.5}, "num_perm"),
        ({"num_perm": True}, "num_perm"),
        ({"linkage": "complete"}, "linkage"),
        ({"remove_boilerplate": 1}, "remove_boilerplate"),
        ({"cohesion_guard": (0.9,)}, "cohesion_guard"),
        ({"cohesion_guard": (0.9, 1)}, "cohesion_guard"),
        ({"candidate_terms": 100, "profile_terms": 10}, "candidate_terms"),
        ({"retention_documents": 0}, "retention_documents"),
    ],
)
def test_invalid_parameters_name_the_parameter(kwargs: Dict[str, Any], name: str) -> None:
    with pytest.raises(InvalidParameter) as e:
        Detector(**kwargs)
    assert e.value.name == name
    assert name in str(e.value)
    assert isinstance(e.value, ValueError)


def test_unknown_keyword_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="story_treshold"):
        Detector(story_treshold=0.3)


def test_cluster_dicts() -> None:
    r = Detector().cluster(three())
    assert r.labels == [0, 0, 1]
    assert r.ids == ["a", "b", "c"]
    assert len(r) == 3
    assert r.stories() == [["a", "b"]]
    assert r.clusters() == [["a", "b"], ["c"]]
    assert r.same_story("a", 1) and not r.same_story(0, "c")
    assert r.label_of("c") == 1
    pairs = r.pairs()
    assert pairs and all(set(p) >= {"a", "b", "similarity", "copy", "jaccard", "containment",
                                     "jaccard_estimate", "simhash_distance", "cosine", "days_apart"} for p in pairs)
    ab = [p for p in pairs if (p["a"], p["b"]) == ("a", "b")][0]
    s = r.scores("a", "b")
    assert s is not None and s.similarity == pytest.approx(ab["similarity"])
    assert s.to_dict()["cosine"] == pytest.approx(s.cosine)
    assert r.scores("a", "a") is None
    assert r.labels_at(0.99) == [0, 1, 2]
    assert r.labels_at(0.21, "single") == [0, 0, 1]
    with pytest.raises(InvalidParameter):
        r.labels_at(0.5, "complete")
    with pytest.raises(KeyError):
        r.label_of("zzz")
    with pytest.raises(InvalidParameter):
        r.label_of(3)
    assert r.skipped == [] and r.warnings == []


def test_generators_and_int_ids() -> None:
    docs = ({"id": i, "text": t} for i, t in enumerate([STORM_A, STORM_B, BANK]))
    r = Detector().cluster(docs)
    assert r.ids == ["0", "1", "2"]
    assert r.labels == [0, 0, 1]


def test_dates_of_every_kind() -> None:
    docs = three()
    docs[0]["date"] = datetime.date(2023, 11, 2)
    docs[1]["date"] = datetime.datetime(2023, 11, 3, 23, 59)
    docs[2]["date"] = "2023-11-02T10:00:00Z"
    r = Detector().cluster(docs)
    s = r.scores("a", "b")
    assert s is not None and s.days_apart == 1
    # Outside the window the pair is weaker: dates reach the detector.
    docs[1]["date"] = "2024-06-01"
    far = Detector().cluster(docs).scores("a", "b")
    assert far is not None and far.days_apart is not None and far.days_apart > 14
    assert far.similarity < s.similarity


def test_title_and_source_reach_the_detector() -> None:
    base = three()
    titled = [dict(d, title="Storm Ciarán" if d["id"] != "c" else "Rates") for d in base]
    a = Detector().cluster(base).scores("a", "b")
    b = Detector().cluster(titled).scores("a", "b")
    assert a is not None and b is not None and a.cosine != b.cosine


def test_copy_groups_nest_in_stories() -> None:
    wire = ("Storm Ciarán hit Brittany on Thursday with gusts of 207 km/h, cutting power to 1.2 million homes, "
            "the grid operator Enedis said, as schools closed and trains stopped across the region.")
    docs = [{"id": "wire", "text": wire},
            {"id": "reprint", "text": wire + " Read more on our site."},
            {"id": "report", "text": STORM_B},
            {"id": "bank", "text": BANK}]
    r = Detector().cluster(docs)
    assert r.same_story("wire", "report")
    assert r.copies() == [["wire", "reprint"]]
    c = r.copy_labels
    assert c[0] == c[1] and c[2] != c[0] and len(set(c)) == 3
    # Nested: one copy group never spans two stories.
    for group in r.copies():
        assert len({r.label_of(i) for i in group}) == 1
    s = r.scores("wire", "reprint")
    assert s is not None and s.copy and not s.related
    t = samestory.Tracker(Detector())
    assert t.add(docs[0]).copy_of is None
    assert t.add(docs[1]).copy_of == "wire"
    assert t.add(docs[2]).copy_of is None


def test_pandas_dataframe_and_columns() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"doc": ["a", "b", "c"], "body": [STORM_A, STORM_B, BANK],
                       "published": pd.to_datetime(["2023-11-02", "2023-11-02", None])})
    r = Detector().cluster(df, id_col="doc", text_col="body", date_col="published")
    assert r.labels == Detector().cluster(three()).labels
    out = r.to_pandas()
    assert list(out.columns) == ["id", "story", "copy", "best_match", "best_similarity"]
    assert out["id"].tolist() == ["a", "b", "c"]
    assert out["story"].tolist() == [0, 0, 1]
    assert out["best_match"].tolist()[:2] == ["b", "a"]
    assert out["best_similarity"].isna().tolist() == [False, False, True]


def test_pyarrow_table() -> None:
    pa = pytest.importorskip("pyarrow")
    t = pa.table({"id": ["a", "b", "c"], "text": [STORM_A, STORM_B, BANK],
                  "date": pa.array([datetime.date(2023, 11, 2), None, None], pa.date32())})
    r = Detector().cluster(t)
    assert r.labels == [0, 0, 1]
    out = r.to_arrow()
    assert out.column_names == ["id", "story", "copy", "best_match", "best_similarity"]
    assert out.column("story").to_pylist() == [0, 0, 1]
    assert out.column("best_match").to_pylist() == ["b", "a", None]


def test_missing_column_names_it() -> None:
    pd = pytest.importorskip("pandas")
    with pytest.raises(samestory.InputError, match="text_col"):
        Detector().cluster(pd.DataFrame({"id": ["a"], "body": ["x"]}))


def test_explain_by_id_and_position() -> None:
    docs = three()
    e = Detector().explain(docs, "a", 1)
    assert e.ids == ("a", "b")
    assert e.pair_same_story
    assert any(t == "brittany" for t, _ in e.shared_terms)
    text = str(e)
    assert text.startswith("a ~ b") and "story threshold" in text
    assert e.params["story_threshold"] == 0.21
    assert e.scores.similarity == pytest.approx(Detector().cluster(docs).scores(0, 1).similarity)  # type: ignore[union-attr]
    with pytest.raises(InvalidParameter):
        Detector().explain(docs, 0, 3)
    with pytest.raises(KeyError):
        Detector().explain(docs, "a", "nope")


def test_cluster_file_matches_cluster(tmp_path: Any) -> None:
    import json

    p = tmp_path / "news.jsonl"
    p.write_text("".join(json.dumps(d) + "\n" for d in three()) + "not json\n", encoding="utf-8")
    with pytest.raises(samestory.InputError) as e:
        Detector().cluster_file(p)
    assert e.value.line == 4 and e.value.file == str(p)
    r = Detector().cluster_file(str(p), skip_bad=True)
    assert r.labels == Detector().cluster(three()).labels
    assert r.skipped[0][0] == 4


def test_pickle_detector() -> None:
    d = Detector(story_threshold=0.4, date_window_days=None)
    d2 = pickle.loads(pickle.dumps(d))
    assert d2.params == d.params


def test_threads_share_a_detector() -> None:
    d = Detector()
    docs = three() * 1 + [{"id": f"x{i}", "text": f"{BANK} number {i}"} for i in range(200)]
    want = d.cluster(docs).labels
    got: List[List[int]] = []
    lock = threading.Lock()

    def work() -> None:
        labels = d.cluster(docs).labels
        with lock:
            got.append(labels)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [want] * 4


def test_gil_is_released_during_cluster() -> None:
    """Another Python thread makes progress while a batch is clustered."""
    import time

    import random

    rng = random.Random(7)
    vocab = [f"w{k}" for k in range(20000)]
    big = [{"id": str(i), "text": " ".join(rng.choice(vocab) for _ in range(300))} for i in range(4000)]
    ticks = 0
    done = threading.Event()

    def ticker() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    start = time.perf_counter()
    d = Detector()
    d.cluster(big)
    elapsed = time.perf_counter() - start
    done.set()
    t.join()
    # With the GIL held throughout, the ticker would barely run during the call.
    # The ticker sleeps 1 ms a tick: while the GIL is released it ticks
    # hundreds of times a second; with the GIL held it would barely tick.
    assert elapsed > 0.1
    assert ticks >= 50, (ticks, elapsed)
