"""What dp compiles for a callable: the Python function Python would run, and what is bound to it.

`functools.partial` objects and bound methods add arguments to every call
(the partial's arguments and keywords, the method's receiver); callable
objects run their class's `__call__`. dp compiles the function at the end of
that chain, with the bound arguments passed ahead of the caller's, exactly as
Python calls it. A builtin, math or numpy function that dp compiles is
compiled as a small Python function calling it (dp.builtin_targets).
Anything else that is not a Python function is a typed error that says what
to pass instead.
"""

from __future__ import annotations

import dataclasses
import functools
import sys
import types
from typing import Any, Callable

from dp.builtin_targets import builtin_target
from dp.errors import DpError, UnsupportedSyntaxError, at_caller


@dataclasses.dataclass(frozen=True, eq=False)
class Target:
    """A Python function and the leading arguments and keywords its callable binds."""

    function: types.FunctionType
    args: tuple = ()
    kwargs: dict[str, Any] = dataclasses.field(default_factory=dict)

    def bind(self, args: tuple, kwargs: dict[str, Any]) -> tuple[tuple, dict[str, Any]]:
        """The arguments the function receives for a call of the callable with `args` and `kwargs`."""
        if not self.args and not self.kwargs:
            return args, kwargs
        return self.args + tuple(args), {**self.kwargs, **kwargs}

    @property
    def bound(self) -> bool:
        """Whether calls pass more than the caller's arguments."""
        return bool(self.args or self.kwargs)


def resolve_at_caller(fn: Callable, what: str) -> Target:
    """`resolve` for a public entry point: an error points at the user's line that passed `fn`."""
    try:
        return resolve(fn, what)
    except DpError as error:
        raise at_caller(error).with_traceback(None) from None


def resolve(fn: Callable, what: str = "dp") -> Target:
    """The function and bound arguments dp compiles for `fn`; `what` names the caller in errors."""
    target = getattr(fn, "__dp_target__", None)
    if isinstance(target, Target):  # a dp.compile object
        return target
    if getattr(fn, "__dp_derivative__", False) is True or getattr(fn, "__dp_custom_rule__", False) is True:
        if not hasattr(fn, "_target"):
            raise UnsupportedSyntaxError(
                f"{what} of {fn.__name__}: dp.jvp and dp.vjp are functions of a function and its arguments; "
                f"pass a function that calls {fn.__name__}"
            )
        from dp.nesting import derivative_function

        return Target(derivative_function(fn))  # a derivative, or a function with a rule: called in compiled code
    builtin = builtin_target(fn)
    if builtin is not None:
        return Target(builtin)
    if isinstance(fn, types.FunctionType):
        return Target(fn)
    if isinstance(fn, functools.partial):
        inner = resolve(fn.func, what)
        return Target(inner.function, inner.args + fn.args, {**inner.kwargs, **fn.keywords})
    if isinstance(fn, types.MethodType):
        if isinstance(fn.__self__, type):
            raise UnsupportedSyntaxError(
                f"{what} of the classmethod {fn.__qualname__}: dp cannot pass the class {fn.__self__.__name__} "
                "as an argument; make it a staticmethod or a plain function"
            )
        inner = resolve(fn.__func__, what)
        return Target(inner.function, inner.args + (fn.__self__,), inner.kwargs)
    if isinstance(fn, staticmethod):
        return resolve(fn.__func__, what)
    if isinstance(fn, classmethod):
        raise UnsupportedSyntaxError(
            f"{what} of a classmethod object: dp cannot pass a class as an argument; make it a staticmethod "
            "or a plain function"
        )
    call = getattr(type(fn), "__call__", None)
    numpy = sys.modules.get("numpy")
    vectorized = numpy is not None and isinstance(fn, numpy.vectorize)
    if isinstance(call, types.FunctionType) and not isinstance(fn, type) and not vectorized:
        return resolve(types.MethodType(call, fn), what)  # a callable object runs its class's __call__
    raise UnsupportedSyntaxError(f"{what} takes a Python function (def or lambda), not {_describe(fn)}{_instead(fn)}")


def _describe(fn: Any) -> str:
    if isinstance(fn, type):
        return f"the class {fn.__qualname__}"
    name = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None)
    kind = type(fn).__name__
    return f"the {kind} {name}" if name else f"a {kind} object"


def _instead(fn: Any) -> str:
    """What to pass instead of a callable dp does not compile."""
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(fn, numpy.vectorize):
        return "; pass the function it wraps (dp compiles numpy code on whole arrays)"
    if isinstance(fn, type):
        return "; call the class inside a function and pass that function"
    if isinstance(fn, (types.BuiltinFunctionType, types.BuiltinMethodType)) or (
        numpy is not None and isinstance(fn, numpy.ufunc)
    ):
        module = "np" if numpy is not None and isinstance(fn, numpy.ufunc) else getattr(fn, "__module__", None)
        name = f"{module}.{fn.__name__}" if module else fn.__name__
        return f"; wrap it in a function, e.g. `lambda x: {name}(x)`"
    return ""


__all__ = ["Target", "resolve", "resolve_at_caller"]
