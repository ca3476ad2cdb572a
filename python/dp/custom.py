"""Custom derivative rules, gradient hooks and checkpointing: dp.custom_vjp, dp.custom_jvp, dp.hook, dp.checkpoint.

JAX's API and semantics. A rule object wraps a Python function; calling it
in Python runs the function, and calling it in a function dp compiles (or
differentiating it) compiles the function with its rule attached
(dp.frontend.custom_calls): the rule functions are ordinary Python that dp
compiles too, and dp-autodiff applies the rule at each call.
"""

from __future__ import annotations

import functools
import math
from typing import Any, Callable, Sequence

from dp.callables import resolve_at_caller
from dp.errors import TypeMismatchError


def _argnums(nondiff_argnums: int | Sequence[int]) -> tuple[int, ...]:
    nums = (nondiff_argnums,) if isinstance(nondiff_argnums, int) else tuple(nondiff_argnums)
    if not all(isinstance(n, int) and n >= 0 for n in nums):
        raise TypeError(f"nondiff_argnums must be non-negative ints, not {nondiff_argnums!r}")
    return tuple(sorted(set(nums)))


class _Rule:
    """A function with a derivative rule; called in Python, it runs the function."""

    __dp_custom_rule__ = True
    kind = ""

    def __init__(self, fun: Callable, nondiff_argnums: int | Sequence[int] = ()) -> None:
        if not callable(fun):
            raise TypeError(f"dp.{self.kind} takes a function, not {type(fun).__name__}")
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.nondiff_argnums = _argnums(nondiff_argnums)
        self._target = resolve_at_caller(fun, f"dp.{self.kind}")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.fun(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<dp.{self.kind} of {getattr(self.fun, '__qualname__', self.fun)!r}>"

    @property
    def __dp_options__(self) -> tuple:
        """What besides its functions makes this rule what it is (for the disk cache's key)."""
        return (self.kind, self.nondiff_argnums)

    def rule_functions(self) -> tuple[Callable, ...]:
        """The Python functions the rule consists of, the primal first."""
        raise NotImplementedError


class custom_vjp(_Rule):
    """dp.custom_vjp(fun, nondiff_argnums=()): `fun` with a reverse-mode rule set by `defvjp(fwd, bwd)`.

    `fwd(*args)` returns `(fun(*args), residuals)`; `bwd(*nondiff_args,
    residuals, cotangent)` returns a tuple with a gradient per argument that
    is not in nondiff_argnums (None for zero). Forward mode (dp.jvp) of a
    custom_vjp function is an error, as in JAX.
    """

    kind = "custom_vjp"

    def __init__(self, fun: Callable, nondiff_argnums: int | Sequence[int] = ()) -> None:
        super().__init__(fun, nondiff_argnums)
        self.fwd: Callable | None = None
        self.bwd: Callable | None = None

    def defvjp(self, fwd: Callable, bwd: Callable) -> None:
        """Sets the rule: `fwd` runs in the forward sweep, `bwd` in the reverse sweep."""
        if not callable(fwd) or not callable(bwd):
            raise TypeError("defvjp takes two functions, fwd and bwd")
        self.fwd, self.bwd = fwd, bwd

    def rule_functions(self) -> tuple[Callable, ...]:
        if self.fwd is None or self.bwd is None:
            raise TypeMismatchError(
                f"the dp.custom_vjp function {self.fun.__qualname__} has no rule: call "
                f"{self.fun.__name__}.defvjp(fwd, bwd) before differentiating it"
            )
        return (self.fun, self.fwd, self.bwd)


class custom_jvp(_Rule):
    """dp.custom_jvp(fun, nondiff_argnums=()): `fun` with a forward-mode rule set by `defjvp(jvp)`.

    `jvp(*nondiff_args, primals, tangents)` returns `(fun(*primals),
    tangent_out)`. Reverse mode transposes the rule (it is linear in the
    tangents), so one rule serves both modes and every order, as in JAX.
    """

    kind = "custom_jvp"

    def __init__(self, fun: Callable, nondiff_argnums: int | Sequence[int] = ()) -> None:
        super().__init__(fun, nondiff_argnums)
        self.jvp: Callable | None = None

    def defjvp(self, jvp: Callable) -> Callable:
        """Sets the rule; returns it, so that `@f.defjvp` works as a decorator."""
        if not callable(jvp):
            raise TypeError("defjvp takes a function")
        self.jvp = jvp
        return jvp

    def rule_functions(self) -> tuple[Callable, ...]:
        if self.jvp is None:
            raise TypeMismatchError(
                f"the dp.custom_jvp function {self.fun.__qualname__} has no rule: decorate its JVP with "
                f"@{self.fun.__name__}.defjvp before differentiating it"
            )
        return (self.fun, self.jvp)


class checkpoint(_Rule):
    """dp.checkpoint(fun): `fun`, whose reverse mode records only its arguments and recomputes it.

    Like jax.checkpoint: the gradient is the same, the tape keeps the inputs
    of each call instead of everything the call computes, and the reverse
    sweep runs the call again (taped) before its reverse.
    """

    kind = "checkpoint"

    def rule_functions(self) -> tuple[Callable, ...]:
        return (self.fun,)


def _hook(fn: Callable, x: Any) -> Any:
    return x


def _hook_fwd(fn: Callable, x: Any) -> tuple[Any, None]:
    return x, None


def _hook_bwd(fn: Callable, residuals: None, cotangent: Any) -> tuple[Any]:
    return (fn(cotangent),)


hook = custom_vjp(_hook, nondiff_argnums=(0,))
hook.defvjp(_hook_fwd, _hook_bwd)
hook.__doc__ = """dp.hook(fn, x): x, whose cotangent in the reverse sweep is fn(cotangent).

`fn` sees the cotangent flowing back into x and returns the one to pass on
(of the same type and shape); it may print it (`dp.hook(show, x)`) or change
it (`dp.hook(lambda g: -g, x)` flips the gradient's sign).
"""
hook.__name__ = hook.__qualname__ = "hook"
hook.__dp_hook__ = True  # errors in its rule are about the hook function, argument 0




def _segment(body: Callable, start: int, stop: int, value: Any) -> Any:
    for i in range(start, stop):
        value = body(i, value)
    return value


_checkpointed_segment = checkpoint(_segment)


def fori_loop(lower: int, upper: int, body: Callable, init: Any, *, checkpoint_every: Any = None) -> Any:
    """dp.fori_loop(lower, upper, body, init): `body(i, value)` for i in range(lower, upper), like jax.lax.fori_loop.

    checkpoint_every=k cuts the loop into segments of k iterations, each
    under dp.checkpoint: reverse mode records the value at the start of each
    segment and recomputes the segment's iterations, taped, when its turn
    comes. "sqrt" takes k = ceil(sqrt(n)) for n iterations, so that a long
    loop's tape is O(sqrt(n)) instead of O(n), at the cost of running the
    loop twice.
    """
    if checkpoint_every is None:
        value = init
        for i in range(lower, upper):
            value = body(i, value)
        return value
    if checkpoint_every == "sqrt":
        k = max(int(math.ceil(math.sqrt(max(upper - lower, 1)))), 1)
    else:
        k = checkpoint_every
    value = init
    start = lower
    while start < upper:
        stop = min(start + k, upper)
        value = _checkpointed_segment(body, start, stop, value)
        start = stop
    return value


__all__ = ["checkpoint", "custom_jvp", "custom_vjp", "fori_loop", "hook"]
