"""Same labels from Python as from Rust: `cluster(records)`, `cluster_file(path)`
and the command line's `cluster PATH --format jsonl`, on the demo and on
every dev set of ../shared (only id, text, title, date and source are passed:
the dev files' other fields are labels)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Dict, List, Optional

import pytest

import samestory
from conftest import DEMO, REPO, SHARED, dev_sets, read_records

_CLI_ROWS: Dict[Path, Optional[List[dict]]] = {}


def cli_rows(path: Path) -> List[dict]:
    """The command line's rows for `path`, or a skip saying why there are none."""
    if shutil.which("cargo") is None:
        pytest.skip("cargo is not on PATH: the command line's labels are not compared")
    if not (REPO / "cli" / "Cargo.toml").is_file():
        pytest.skip(f"{REPO / 'cli'} not found: the command line's labels are not compared")
    if path not in _CLI_ROWS:
        out = subprocess.run(
            ["cargo", "run", "--release", "-q", "-p", "samestory-cli", "--", "cluster", str(path), "--format", "jsonl", "-q"],
            cwd=REPO, capture_output=True, text=True, env=os.environ.copy(), timeout=1800,
        )
        assert out.returncode == 0, out.stderr
        _CLI_ROWS[path] = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    rows = _CLI_ROWS[path]
    assert rows is not None
    return rows


def inputs() -> List[Path]:
    return ([DEMO] if DEMO.is_file() else []) + dev_sets()


def check(path: Path) -> None:
    records = read_records(path)
    from_records = samestory.Detector().cluster(records, on_invalid_date="ignore")
    from_file = samestory.Detector().cluster_file(path)
    assert from_records.ids == from_file.ids
    assert from_records.labels == from_file.labels
    # The dates dropped are the ones the file reader warned about.
    assert [i + 1 for i, _ in from_records.warnings] == [line for line, _ in from_file.warnings]
    rows = cli_rows(path)
    assert [r["id"] for r in rows] == from_records.ids
    assert [r["story"] for r in rows] == from_records.labels
    df = from_records.to_pandas() if _has("pandas") else None
    if df is not None:
        best = [None if isinstance(x, float) else x for x in df["best_match"].tolist()]
        assert best == [r["best_match"] for r in rows]
        sims = [None if x != x else round(x, 4) for x in df["best_similarity"].tolist()]
        assert sims == [None if r["similarity"] is None else pytest.approx(r["similarity"], abs=1e-4) for r in rows]


def _has(module: str) -> bool:
    try:
        __import__(module)
        return True
    except ImportError:
        return False


def test_demo() -> None:
    if not DEMO.is_file():
        pytest.skip(f"{DEMO} not found (the tests run from a clone of the repository)")
    check(DEMO)


@pytest.mark.parametrize("name", ["basil", "counter-urdu", "ecbplus", "gva-incidents", "sg-mmds", "vims"])
def test_dev_set(name: str) -> None:
    path = SHARED / "data" / name / "dev.jsonl"
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: the dev sets are not compared")
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    check(path)


def test_every_dev_set_is_listed() -> None:
    """A dev set added to ../shared must be added to the list above."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent")
    listed = {"basil", "counter-urdu", "ecbplus", "gva-incidents", "sg-mmds", "vims"}
    assert {p.parent.name for p in dev_sets()} <= listed
