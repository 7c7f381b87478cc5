"""Tracker: add, query, remove, expiry, stories, persistence and pickle."""

from __future__ import annotations

import datetime
import pickle
import threading
from typing import Any

import pytest

import samestory
from samestory import Detector, Tracker

A = "Storm Ciarán hit Brittany with gusts of 207 km/h, cutting power to 1.2 million homes."
B = "Ciarán's 207 km/h gusts left 1.2 million homes in Brittany without power."
C = "The central bank held its main rate at 4.5 percent, citing sticky services inflation."


def test_add_query_remove() -> None:
    t = Tracker()
    a = t.add({"id": "a", "text": A})
    assert a.new_story and a.matches == [] and a.merged == []
    q = t.query({"id": "b", "text": B})
    assert q.story == a.story and q.matches[0].id == "a"
    assert len(t) == 1
    b = t.add({"id": "b", "text": B})
    assert b.story == a.story and not b.new_story
    assert b.matches[0].id == "a" and b.matches[0].story == a.story
    assert b.matches[0].scores.similarity > 0.21
    c = t.add({"id": "c", "text": C})
    assert c.story != a.story
    assert len(t) == 3 and "a" in t and "zzz" not in t
    assert t.stories() == {a.story: ["a", "b"], c.story: ["c"]}
    assert t.story(a.story) == ["a", "b"] and t.story(999) is None
    assert t.story_of("b") == a.story and t.story_of("zzz") is None
    assert t.remove("c") == c.story
    with pytest.raises(KeyError):
        t.remove("c")
    with pytest.raises(samestory.UnknownIdError):
        t.remove("c")
    with pytest.raises(samestory.InputError, match="duplicate"):
        t.add({"id": "a", "text": C})
    assert len(t) == 2
    e = t.explain("a", "b")
    assert e.ids == ("a", "b") and e.shared_passages == [] and "a ~ b" in str(e)


def test_dates_clock_and_expiry() -> None:
    t = Tracker(Detector(retention_days=3))
    t.add({"id": "old", "text": C, "date": "2023-09-01"})
    assert t.clock == datetime.date(2023, 9, 1)
    t.add({"id": "mid", "text": B, "date": datetime.date(2023, 9, 2)})
    a = t.add({"id": "new", "text": A, "date": datetime.datetime(2023, 9, 5, 12)})
    assert a.expired == ["old"]
    assert t.expire_before("2023-09-05") == ["mid"]
    assert t.expire_before(datetime.date(2023, 9, 5)) == []
    assert len(t) == 1
    with pytest.raises(samestory.InvalidParameter):
        t.expire_before("soon")
    with pytest.raises(samestory.InputError):
        t.add({"id": "x", "text": A, "date": "2023-02-30"})
    w = t.add({"id": "x", "text": A, "date": "2023-02-30"}, on_invalid_date="ignore")
    assert w.warning is not None and "2023-02-30" in w.warning


def test_detector_params_travel() -> None:
    t = Tracker(Detector(story_threshold=0.4))
    assert t.detector.params["story_threshold"] == 0.4


def test_save_load_bytes_and_pickle(tmp_path: Any) -> None:
    t = Tracker(Detector(story_threshold=0.3))
    a = t.add({"id": "a", "text": A})
    path = tmp_path / "news.idx"
    t.save(path)
    for again in (Tracker.load(path), Tracker.load(str(path)), Tracker.from_bytes(t.to_bytes()),
                  pickle.loads(pickle.dumps(t))):
        assert len(again) == 1
        assert again.detector.params == t.detector.params
        assert again.to_bytes() == t.to_bytes()
        b = again.add({"id": "b", "text": B})
        assert b.story == a.story


def test_threads_share_a_tracker() -> None:
    t = Tracker()
    errors = []

    def work(k: int) -> None:
        try:
            for i in range(50):
                t.add({"id": f"{k}-{i}", "text": f"{C} {k} {i}"})
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert len(t) == 200
    assert sum(len(m) for m in t.stories().values()) == 200
