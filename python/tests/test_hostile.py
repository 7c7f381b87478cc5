"""Hostile input from Python: every case is a clear exception or a documented coercion."""

from __future__ import annotations

import datetime
from typing import Any, Dict, List

import pytest

import samestory
from samestory import Detector, InputError

OK = "The central bank held its main rate at 4.5 percent, citing sticky services inflation."


def docs_with(**fields: Any) -> List[Dict[str, Any]]:
    return [{"id": "ok", "text": OK}, dict({"id": "bad", "text": OK + " again"}, **fields)]


@pytest.mark.parametrize("text, kind", [(None, "missing text"), (b"bytes", "bytes"), (7, "int"), (["x"], "list")])
def test_texts_that_are_not_str(text: Any, kind: str) -> None:
    with pytest.raises(InputError) as e:
        Detector().cluster(docs_with(text=text))
    assert e.value.index == 1
    assert kind in str(e.value)
    assert e.value.file is None and e.value.line is None


def test_missing_text_key() -> None:
    with pytest.raises(InputError, match="missing text") as e:
        Detector().cluster([{"id": "a"}])
    assert e.value.index == 0


@pytest.mark.parametrize("doc", [{"text": OK}, {"id": None, "text": OK}, {"id": float("nan"), "text": OK}])
def test_missing_ids(doc: Dict[str, Any]) -> None:
    with pytest.raises(InputError, match="missing id") as e:
        Detector().cluster([{"id": "x", "text": OK}, doc])
    assert e.value.index == 1


@pytest.mark.parametrize("bad", [1.5, True, b"id", ("t",)])
def test_ids_of_other_types(bad: Any) -> None:
    with pytest.raises(InputError, match="must be a str or an int"):
        Detector().cluster([{"id": bad, "text": OK}])


def test_duplicate_ids() -> None:
    with pytest.raises(InputError, match="duplicate") as e:
        Detector().cluster([{"id": "a", "text": OK}, {"id": "b", "text": OK}, {"id": "a", "text": OK + "!"}])
    assert e.value.id == "a"
    assert e.value.index == 2
    # An int id and its str are the same id.
    with pytest.raises(InputError, match="duplicate"):
        Detector().cluster([{"id": 1, "text": OK}, {"id": "1", "text": OK}])


def test_fifty_megabyte_text() -> None:
    big = "word " * (10 << 20)  # 50 MiB
    with pytest.raises(InputError, match="over the limit") as e:
        Detector().cluster([{"id": "a", "text": OK}, {"id": "big", "text": big}])
    assert e.value.id == "big" and e.value.index == 1
    # The limit is a parameter: raised, the same text is clustered.
    r = Detector(max_document_bytes=64 << 20).cluster([{"id": "a", "text": OK}, {"id": "big", "text": big}])
    assert r.labels == [0, 1]


@pytest.mark.parametrize("date", ["2023-02-30", "13/09/2023", "yesterday", 20230913, datetime.date(999, 1, 1)])
def test_invalid_dates_raise_or_are_ignored(date: Any) -> None:
    with pytest.raises(InputError, match="date") as e:
        Detector().cluster(docs_with(date=date))
    assert e.value.index == 1
    r = Detector().cluster(docs_with(date=date), on_invalid_date="ignore")
    assert len(r.warnings) == 1 and r.warnings[0][0] == 1
    # Ignored means absent: the same labels and scores as without a date.
    assert r.pairs() == Detector().cluster(docs_with()).pairs()


def test_on_invalid_date_is_checked() -> None:
    with pytest.raises(samestory.InvalidParameter):
        Detector().cluster(docs_with(), on_invalid_date="warn")  # type: ignore[arg-type]


def test_empty_values_are_absent() -> None:
    r = Detector().cluster(docs_with(date="", title=None, source=float("nan")))
    assert r.warnings == []


@pytest.mark.parametrize("field, value", [("title", 5), ("source", b"x"), ("title", ["t"])])
def test_optional_fields_of_other_types(field: str, value: Any) -> None:
    with pytest.raises(InputError, match=field):
        Detector().cluster(docs_with(**{field: value}))


def test_lone_surrogates() -> None:
    with pytest.raises(InputError, match="Unicode"):
        Detector().cluster([{"id": "a", "text": "bad \ud800 text"}])


@pytest.mark.parametrize("docs", ["not documents", {"id": "a", "text": OK}, 5, None])
def test_documents_that_are_not_a_collection(docs: Any) -> None:
    with pytest.raises(InputError, match="documents must be"):
        Detector().cluster(docs)


def test_items_that_are_not_dicts() -> None:
    with pytest.raises(InputError, match="must be a dict") as e:
        Detector().cluster([{"id": "a", "text": OK}, "just text"])
    assert e.value.index == 1


def test_empty_batch() -> None:
    r = Detector().cluster([])
    assert r.labels == [] and r.stories() == [] and r.pairs() == []


def test_empty_and_blank_texts() -> None:
    r = Detector().cluster([{"id": "a", "text": ""}, {"id": "b", "text": "   "}, {"id": "c", "text": OK}])
    assert len(r.labels) == 3


def test_dataframe_with_nan() -> None:
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    df = pd.DataFrame({
        "id": ["a", "b", "c"],
        "text": [OK, OK + " again", "Another text entirely about the football league."],
        "title": ["Rates", np.nan, None],
        "date": ["2023-09-13", np.nan, None],
        "source": [np.nan, "x.example", pd.NA],
    })
    r = Detector().cluster(df)
    assert len(r.labels) == 3 and r.warnings == []
    df.loc[1, "text"] = np.nan
    with pytest.raises(InputError, match="missing text") as e:
        Detector().cluster(df)
    assert e.value.index == 1
    df2 = pd.DataFrame({"id": [1.0, np.nan], "text": [OK, OK]})
    with pytest.raises(InputError):
        Detector().cluster(df2)


def test_dataframe_with_nat_dates() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"id": ["a", "b"], "text": [OK, OK + "!"],
                       "date": pd.to_datetime(["2023-09-13", None])})
    assert len(Detector().cluster(df).labels) == 2


def test_stage_functions_reject_bad_arguments() -> None:
    with pytest.raises(samestory.InvalidParameter):
        samestory.MinHasher(num_perm=0)
    with pytest.raises(samestory.InvalidParameter):
        samestory.MinHasher(kind="weighted")  # type: ignore[arg-type]
    with pytest.raises(OverflowError):
        samestory.shingles("text", k=-1)
    a = samestory.MinHasher(num_perm=64).sketch_text(OK)
    b = samestory.MinHasher(num_perm=128).sketch_text(OK)
    with pytest.raises(samestory.InvalidParameter):
        a.jaccard(b)
    with pytest.raises(samestory.InvalidParameter):
        samestory.band_keys(a, 32, 4)
    with pytest.raises(samestory.InvalidParameter):
        samestory.lsh_params(1.5, 128)
    with pytest.raises(samestory.InvalidParameter):
        samestory.collision_probability(0.5, 0, 4)


def test_state_bytes_that_are_not_a_state() -> None:
    with pytest.raises(samestory.StateError):
        samestory.Tracker.from_bytes(b"not a state")
    good = samestory.Tracker()
    good.add({"id": "a", "text": OK})
    data = bytearray(good.to_bytes())
    data[-1] ^= 0xFF
    with pytest.raises(samestory.StateError):
        samestory.Tracker.from_bytes(bytes(data))
    with pytest.raises(samestory.StateError):
        samestory.Tracker.from_bytes(bytes(data[: len(data) // 2]))


def test_files_that_cannot_be_read(tmp_path: Any) -> None:
    with pytest.raises(samestory.FileError) as e:
        Detector().cluster_file(tmp_path / "absent.jsonl")
    assert isinstance(e.value, OSError) and e.value.errno == 2
    with pytest.raises(samestory.FileError):
        samestory.Tracker.load(tmp_path / "absent.idx")
    bad = tmp_path / "bad.idx"
    bad.write_bytes(b"SAMESTRY" + b"\0" * 4)
    with pytest.raises(samestory.StateError) as s:
        samestory.Tracker.load(bad)
    assert s.value.file == str(bad)
