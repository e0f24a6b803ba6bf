"""The one exception every reader raises for input it cannot read."""

from __future__ import annotations


class ReadError(Exception):
    """Unreadable input; ``str(exc)`` is one Chinese line for the user."""

    def __init__(self, message: str):
        super().__init__(message.replace("\n", " ").strip())


class ScannedError(ReadError):
    """A PDF whose pages are pictures: no text layer to read (OCR may read it)."""
