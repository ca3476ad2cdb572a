"""Typed errors raised by dp, each pointing at the user's source line.

An error formats as ``file:line:col: message`` followed by the source line
and a caret under the column, so that the user sees their own code and
never the compiler's frames.
"""

from __future__ import annotations

import linecache
import os
import sys


class DpError(Exception):
    """Base class of every error dp raises on purpose."""

    def __init__(
        self,
        message: str,
        *,
        filename: str | None = None,
        lineno: int | None = None,
        col: int | None = None,
        source_line: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.filename = filename
        self.lineno = lineno
        self.col = col
        self.source_line = source_line

    @property
    def located(self) -> bool:
        """Whether the error already names a source position."""
        return self.lineno is not None

    def locate(self, filename: str, lineno: int, col: int, source_line: str | None) -> None:
        """Attaches a source position (1-based line and column) unless one is set."""
        if self.located:
            return
        self.filename = filename
        self.lineno = lineno
        self.col = col
        self.source_line = source_line

    def __str__(self) -> str:
        if not self.located:
            return self.message
        text = f"{self.filename}:{self.lineno}:{self.col}: {self.message}"
        if self.source_line is None:
            return text
        stripped = self.source_line.lstrip()
        indent = len(self.source_line) - len(stripped)
        caret_at = max((self.col or 1) - 1 - indent, 0)
        return f"{text}\n    {stripped.rstrip()}\n    {' ' * caret_at}^"


class UnsupportedSyntaxError(DpError):
    """A Python construct dp does not compile (or a name it cannot resolve)."""


class TypeMismatchError(DpError):
    """Values whose types dp cannot reconcile: branches, loops, returns, call arguments."""


class NotDifferentiableError(DpError):
    """An operation on an active value that has no derivative rule."""


class ShapeError(DpError):
    """Structured values or arrays whose shapes do not agree."""


class InternalCompilerError(DpError):
    """A bug in dp: the IR it built is invalid or a pass failed unexpectedly."""


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def at_caller(error: DpError) -> DpError:
    """Points an error without a position at the innermost frame outside dp: the user's call."""
    frame = sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE_DIR):
        frame = frame.f_back
    if frame is not None:
        filename, line = frame.f_code.co_filename, frame.f_lineno
        text = linecache.getline(filename, line).rstrip("\n")
        error.locate(filename, line, len(text) - len(text.lstrip()) + 1, text or None)
    return error


__all__ = [
    "DpError",
    "InternalCompilerError",
    "NotDifferentiableError",
    "ShapeError",
    "TypeMismatchError",
    "UnsupportedSyntaxError",
    "at_caller",
]
