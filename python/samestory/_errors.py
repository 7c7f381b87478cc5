"""The exceptions samestory raises (one per kind of Rust error)."""

from __future__ import annotations

from typing import Optional


class SamestoryError(Exception):
    """Base class of every error samestory raises."""


class InvalidParameter(SamestoryError, ValueError):
    """A detector parameter (or a stage function's argument) is unknown in
    value or out of range; ``name`` is the parameter's name."""

    def __init__(self, message: str, name: Optional[str] = None) -> None:
        super().__init__(message)
        self.name = name


class InputError(SamestoryError, ValueError):
    """A document, a record or an input file could not be read.

    ``file`` and ``line`` name the file and 1-based line when the documents
    came from a file; ``index`` is the 0-based position in the input for
    documents given in memory; ``id`` is the document's id when known. Each
    is ``None`` when it does not apply.
    """

    def __init__(
        self,
        message: str,
        file: Optional[str] = None,
        line: Optional[int] = None,
        index: Optional[int] = None,
        id: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.index = index
        self.id = id


class StateError(SamestoryError):
    """A saved tracker state is truncated, corrupted, not a state, or was
    written by another version of the format; ``file`` names the file
    (``None`` for bytes)."""

    def __init__(self, message: str, file: Optional[str] = None) -> None:
        super().__init__(message)
        self.file = file


class UnknownIdError(SamestoryError, KeyError):
    """No held document has this id (a ``KeyError``); ``id`` is the id."""

    def __init__(self, message: str, id: Optional[str] = None) -> None:
        super().__init__(message)
        self.id = id

    def __str__(self) -> str:
        return str(self.args[0])


class FileError(SamestoryError, OSError):
    """A file or folder could not be read or written (an ``OSError``:
    ``errno``, ``strerror`` and ``filename`` are set when known)."""
