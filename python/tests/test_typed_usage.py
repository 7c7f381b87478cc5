"""The typed usage file runs (mypy checks it in CI), and the stubs list every name the module has."""

from __future__ import annotations

import ast
from pathlib import Path

import samestory
import samestory._samestory as ext


def test_typed_usage_runs() -> None:
    from typed_usage import main

    out = main()
    assert out["labels"] == [0, 0]
    assert out["name"] == "story_threshold"
    assert out["restored"] == 1


def test_stubs_cover_the_module() -> None:
    stub = Path(samestory.__file__).with_name("_samestory.pyi")
    tree = ast.parse(stub.read_text(encoding="utf-8"))
    declared = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            declared.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            declared.add(node.target.id)
    public = {n for n in dir(ext) if not n.startswith("__") or n == "__version__"}
    assert public - declared == set()


def test_stub_keywords_are_the_parameters() -> None:
    stub = Path(samestory.__file__).with_name("_samestory.pyi")
    tree = ast.parse(stub.read_text(encoding="utf-8"))
    det = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Detector")
    init = next(n for n in det.body if isinstance(n, ast.FunctionDef) and n.name == "__init__")
    assert [a.arg for a in init.args.kwonlyargs] == samestory.PARAM_NAMES
    params = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "ParamDict")
    assert [n.target.id for n in params.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)] == samestory.PARAM_NAMES
