"""Shared helpers: where the repository and the shared data are."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

PYTHON_DIR = Path(__file__).resolve().parent.parent
REPO = PYTHON_DIR.parent
SHARED = REPO.parent / "shared"
DEMO = REPO / "demo" / "articles.jsonl"

#: The only fields given to the detector: the dev files' other fields are labels.
FIELDS = ("id", "text", "title", "date", "source")


def read_records(path: Path) -> List[Dict[str, Any]]:
    """The documents of a JSON Lines file, with only id, text, title, date and source."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                out.append({k: d[k] for k in FIELDS if k in d})
    return out


def dev_sets() -> List[Path]:
    return sorted(SHARED.glob("data/*/dev.jsonl")) if SHARED.is_dir() else []


@pytest.fixture
def demo_records() -> List[Dict[str, Any]]:
    if not DEMO.is_file():
        pytest.skip(f"{DEMO} not found (the tests run from a clone of the repository)")
    return read_records(DEMO)
