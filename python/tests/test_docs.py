"""Every public class, method and function has a docstring."""

from __future__ import annotations

import inspect

import samestory


def test_every_public_name_has_a_docstring() -> None:
    missing = []
    for name in samestory.__all__:
        obj = getattr(samestory, name)
        if not (inspect.isclass(obj) or callable(obj)):
            continue
        if not (obj.__doc__ or "").strip():
            missing.append(name)
        if inspect.isclass(obj) and not issubclass(obj, BaseException):
            for attr, member in vars(obj).items():
                if attr.startswith("_"):
                    continue
                if not (getattr(member, "__doc__", None) or "").strip():
                    missing.append(f"{name}.{attr}")
    assert missing == []
