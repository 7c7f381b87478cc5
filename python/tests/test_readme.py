"""The README's Python example, run as written from the README itself."""

from __future__ import annotations

import re
import textwrap

import pytest

from conftest import REPO


def python_blocks() -> list[str]:
    readme = REPO / "README.md"
    if not readme.is_file():
        pytest.skip(f"{readme} not found (the tests run from a clone of the repository)")
    text = readme.read_text(encoding="utf-8")
    section = text.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^[ ]*```python\n(.*?)^[ ]*```", section, flags=re.S | re.M)
    return [textwrap.dedent(b) for b in blocks]


def test_readme_example_runs() -> None:
    blocks = python_blocks()
    assert blocks, "the README's Python section has no python block"
    example = blocks[0]
    assert "samestory.Detector().cluster(docs)" in example
    assert len(example.strip().splitlines()) <= 12
    namespace: dict[str, object] = {}
    exec(compile(example, "README.md", "exec"), namespace)
    assert namespace["result"].labels == [0, 0, 1]  # type: ignore[attr-defined]


def test_readme_pandas_example_runs() -> None:
    pandas = pytest.importorskip("pandas")
    import os

    import samestory

    block = [b for b in python_blocks() if "read_json" in b][0]
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        namespace: dict[str, object] = {"pandas": pandas, "samestory": samestory}
        exec(compile(block, "README.md", "exec"), namespace)
    finally:
        os.chdir(cwd)
    assert len(namespace["result"]) == 13  # type: ignore[arg-type]


def test_readme_tracker_example_runs(tmp_path: object) -> None:
    import os

    import samestory

    block = [b for b in python_blocks() if "Tracker(" in b][0]
    feed = [{"id": "a", "text": "The central bank held its main rate at 4.5 percent."},
            {"id": "b", "text": "The central bank held its main rate at 4.5 percent, again."}]
    cwd = os.getcwd()
    os.chdir(str(tmp_path))
    try:
        namespace: dict[str, object] = {"samestory": samestory, "feed": feed}
        exec(compile(block, "README.md", "exec"), namespace)
    finally:
        os.chdir(cwd)
    assert len(samestory.Tracker.load(os.path.join(str(tmp_path), "news.idx"))) == 2
