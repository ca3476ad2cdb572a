"""Builtins, math functions and numpy functions as targets of their own: `dp.grad(math.sin)`, `dp.jacobian(np.tanh)`.

dp compiles calls of these inside Python functions (dp.frontend); given to
dp.compile or a transform directly, one is compiled as a small Python
function that calls it with its required positional arguments (a ufunc's
`nin`). The function is made once per callable, so its compiled code is
cached like any function's, and it is named after the callable (`math.sin`,
`np.tanh`) in messages.
"""

from __future__ import annotations

import inspect
import math
import types
from typing import Any, Callable

import numpy as np

from dp.errors import DpError, at_caller
from dp.frontend import numpy_functions
from dp.frontend.builtin_functions import BUILTINS
from dp.frontend.math_functions import MATH_FUNCTIONS

_ARITIES = {math.log: 1}  # callables without a signature: the arity of the form compiled (log(x), not log(x, base))
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
_wrappers: dict[Any, types.FunctionType] = {}  # callable -> its function
_made: set[types.FunctionType] = set()


def builtin_target(fn: Any) -> types.FunctionType | None:
    """The Python function dp compiles for a callable it knows as a builtin; None for any other callable."""
    if isinstance(fn, type) or not _known(fn):
        return None
    wrapper = _wrappers.get(fn)
    if wrapper is None:
        arity = _arity(fn)
        if arity is None:
            return None
        wrapper = _wrappers[fn] = _wrap(fn, arity, _name(fn))
        _made.add(wrapper)
    return wrapper


def is_builtin_target(fn: Callable) -> bool:
    """Whether `fn` is a function `builtin_target` made."""
    return fn in _made


def at_call(error: DpError) -> DpError:
    """An error compiling a builtin's function, pointed at the user's call instead of into dp's function."""
    error.filename = error.lineno = error.col = error.source_line = None
    return at_caller(error)


def _known(fn: Any) -> bool:
    from dp.frontend import fft, linalg  # np.linalg and np.fft have registries of their own

    try:
        if fn in MATH_FUNCTIONS or fn in BUILTINS:
            return True
        # getattr: this runs while dp.frontend.linalg itself is being imported (its rules are resolved then).
        return any(getattr(table, "lookup", lambda _: None)(fn) is not None for table in (numpy_functions, linalg, fft))
    except TypeError:  # an unhashable callable
        return False


def _arity(fn: Any) -> int | None:
    """How many positional arguments the function passes: the callable's required ones (None: variadic)."""
    if isinstance(fn, np.ufunc):
        return fn.nin
    if fn in _ARITIES:
        return _ARITIES[fn]
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):  # min, max, math.hypot: no signature
        return None
    if any(parameter.kind is parameter.VAR_POSITIONAL for parameter in parameters):
        return None
    count = sum(1 for p in parameters if p.kind in _POSITIONAL and p.default is p.empty)
    return count if 1 <= count <= 3 else None


def _name(fn: Any) -> str:
    """`math.sin`, `np.tanh`, `abs`, `dp.stop_gradient`: how messages name the callable."""
    numpy_name = numpy_functions.numpy_name(fn)
    if numpy_name is not None:
        return numpy_name
    package = (getattr(fn, "__module__", None) or "builtins").partition(".")[0]
    return fn.__name__ if package == "builtins" else f"{package}.{fn.__name__}"


def _wrap(fn: Callable, arity: int, name: str) -> types.FunctionType:
    """A Python function of `arity` arguments that returns `fn` of them; keywords (a partial's `axis=0`) are
    passed on as compile-time constants."""
    if arity == 1:

        def call(x, **keywords):
            return fn(x, **keywords)

    elif arity == 2:

        def call(x, y, **keywords):
            return fn(x, y, **keywords)

    else:

        def call(x, y, z, **keywords):
            return fn(x, y, z, **keywords)

    call.__name__ = fn.__name__
    call.__qualname__ = name
    return call


__all__ = ["at_call", "builtin_target", "is_builtin_target"]
