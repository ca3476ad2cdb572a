"""Variables: local bindings, and names resolved in closures, globals and builtins.

Locals live in an `Env`, a dict from name to `Binding` (a value and the
line that assigned it) or `Unbound` (why reading the name is an error:
defined in one branch only, assigned only inside a loop, ...). Control flow
copies an Env per region and merges them afterwards. Non-local names are
compile-time constants.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import Any, Callable

from dp.errors import DpError, UnsupportedSyntaxError
from dp.frontend.values import from_python


@dataclass(frozen=True, eq=False)
class Binding:
    """A variable's current value and the source line that assigned it."""

    value: Any
    line: int


@dataclass(frozen=True, eq=False)
class Unbound:
    """A variable that may not be read here, and the error reading it raises."""

    error: type[DpError]
    message: str

    def raise_error(self) -> None:
        raise self.error(self.message)


Env = dict[str, "Binding | Unbound"]

# Names the importer keeps in an Env for control flow; `<` keeps them apart from Python names.
RETURNED = "<returned>"
RESULT = "<result>"
BROKE = "<break>"
CONTINUED = "<continue>"
DEAD = "<dead>"
VALUE = "<value>"
COUNTER = "<counter>"
RAISED = "<raised>"  # a raise that a handler of an enclosing try catches happened (dp.frontend.exceptions)
EXCEPTION = "<exception>"  # the number of that handler
FLAGS = (RETURNED, BROKE, CONTINUED, RAISED)


def is_internal(name: str) -> bool:
    """Whether a name is one of the importer's own control-flow variables."""
    return name.startswith("<")


_MISSING = object()


class NonLocals:
    """Resolves names that are not local: closure cells, then globals, then builtins."""

    def __init__(self, fn: Callable) -> None:
        self._fn = fn
        code = fn.__code__
        cells = fn.__closure__ or ()
        self._closure = dict(zip(code.co_freevars, cells))
        self._globals = fn.__globals__
        builtins_ = self._globals.get("__builtins__", builtins)
        self._builtins = builtins_ if isinstance(builtins_, dict) else vars(builtins_)
        self._cache: dict[str, Any] = {}

    def python_object(self, name: str) -> Any:
        """The Python object bound to a non-local name; raises if there is none."""
        if name in self._closure:
            try:
                return self._closure[name].cell_contents
            except ValueError:
                raise UnsupportedSyntaxError(f"free variable '{name}' is not bound yet") from None
        value = self._globals.get(name, _MISSING)
        if value is _MISSING:
            value = self._builtins.get(name, _MISSING)
        if value is _MISSING:
            raise UnsupportedSyntaxError(f"name '{name}' is not defined")
        return value

    def lookup(self, name: str) -> Any:
        """The compile-time value of a non-local name."""
        if name not in self._cache:
            self._cache[name] = from_python(self.python_object(name), f"global '{name}'")
        return self._cache[name]

    def find(self, name: str) -> Any:
        """Like `lookup`, but None when the name is not defined."""
        try:
            return self.lookup(name)
        except UnsupportedSyntaxError:
            return None


__all__ = [
    "BROKE",
    "Binding",
    "CONTINUED",
    "COUNTER",
    "DEAD",
    "EXCEPTION",
    "Env",
    "FLAGS",
    "NonLocals",
    "RAISED",
    "RESULT",
    "RETURNED",
    "Unbound",
    "VALUE",
    "is_internal",
]
