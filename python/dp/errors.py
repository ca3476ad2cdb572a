"""Typed errors raised by dp, each pointing at the user's source line.

An error formats as ``file:line:col: message`` followed by the source line
and a caret under the column, so that the user sees their own code and
never the compiler's frames.
"""

from __future__ import annotations

import builtins
import linecache
import os
import re
import sys

import numpy


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


class UnsupportedTargetError(DpError):
    """A compilation target this build of dp cannot compile for (yet)."""


class GpuUnavailableError(UnsupportedTargetError):
    """target="gpu" where no NVIDIA driver or device can run kernels."""


class GpuRuntimeError(DpError):
    """A CUDA call of compiled GPU code failed (a kernel, an allocation, cuBLAS)."""


class ExportError(DpError):
    """A construct StableHLO cannot express (a call into the host, a tape of unknown size), at export time."""


class StaticArgumentError(DpError, ValueError):
    """A static argument dp cannot use: unhashable, differentiated, or not a parameter (a ValueError, as JAX's)."""


class InternalCompilerError(DpError):
    """A bug in dp: the IR it built is invalid or a pass failed unexpectedly."""


class RuntimeCheckError(DpError):
    """Compiled code reached a point where Python raises (the check the frontend put there failed)."""


class IntegerOverflowError(RuntimeCheckError, OverflowError):
    """A Python int left the 64 bits dp compiles ints to: Python's result would differ."""


class DivisionByZeroError(RuntimeCheckError, ZeroDivisionError):
    """An integer division or modulo by zero in compiled code, which Python raises for."""


class InvalidValueError(RuntimeCheckError, ValueError):
    """An operation Python rejects for its value (a negative shift count, int() of NaN)."""


class LinAlgError(RuntimeCheckError, numpy.linalg.LinAlgError):
    """A matrix np.linalg cannot factor (singular, not positive definite, no convergence): numpy's LinAlgError."""


class AssertionCheckError(RuntimeCheckError, AssertionError):
    """An `assert` in compiled code whose condition was false: Python's AssertionError, with its message."""


_RAISED: dict[type, type[RuntimeCheckError]] = {AssertionError: AssertionCheckError}


def raised_error(cls: type[BaseException]) -> type[RuntimeCheckError]:
    """The error a compiled `raise cls(...)` raises: a RuntimeCheckError that is also a `cls` (so `except cls`
    catches it). A class that cannot be combined with it (OSError and other classes with fields of their own)
    is an UnsupportedSyntaxError."""
    error = _RAISED.get(cls)
    if error is None:
        try:
            error = type(cls.__name__, (RuntimeCheckError, cls), {"__module__": __name__, "__doc__": cls.__doc__})
        except TypeError:
            raise UnsupportedSyntaxError(f"raising {cls.__name__} in compiled code is not supported") from None
        _RAISED[cls] = error
    return error


# The tag a check's message starts with (see dp.frontend.checks) -> the error it raises.
_CHECK_ERRORS: dict[str, type[RuntimeCheckError]] = {
    "overflow": IntegerOverflowError,
    "zero-division": DivisionByZeroError,
    "value": InvalidValueError,
    "assertion": AssertionCheckError,
    "linalg": LinAlgError,
}


def runtime_error(text: str) -> RuntimeCheckError:
    """The error for a failed check's message `file:line:col: [tag] message` (called by dp._native)."""
    match = re.fullmatch(r"(?s)(.*):(\d+):(\d+): \[([a-z-]+)\] (.*)", text)
    if match is None:
        return RuntimeCheckError(text)
    filename, line, col, tag, message = match.groups()
    if tag == "raise":  # `raise ValueError("message")`: "ValueError: message"
        name, _, message = message.partition(": ")
        cls = getattr(builtins, name, None)
        if isinstance(cls, type) and issubclass(cls, BaseException):
            error = raised_error(cls)(message)
            source_line = linecache.getline(filename, int(line)).rstrip("\n") or None
            error.locate(filename, int(line), int(col), source_line)
            return error
    error = _CHECK_ERRORS.get(tag, RuntimeCheckError)(message)
    source_line = linecache.getline(filename, int(line)).rstrip("\n") or None
    error.locate(filename, int(line), int(col), source_line)
    return error


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
    "AssertionCheckError",
    "DivisionByZeroError",
    "DpError",
    "GpuRuntimeError",
    "GpuUnavailableError",
    "IntegerOverflowError",
    "InvalidValueError",
    "RuntimeCheckError",
    "InternalCompilerError",
    "LinAlgError",
    "NotDifferentiableError",
    "ShapeError",
    "StaticArgumentError",
    "TypeMismatchError",
    "UnsupportedSyntaxError",
    "UnsupportedTargetError",
    "at_caller",
    "raised_error",
    "runtime_error",
]
