"""autograd's gradient checks, with dp computing the exact derivatives.

Each check compares dp's forward-mode JVP and reverse-mode VJP of a function against central
differences of the same function run by plain Python and numpy (the independent oracle), along
random directions, and with `order=2` checks the derivatives of dp's JVP and VJP themselves
(dp differentiating code that calls dp.jvp / dp.vjp). Complex values pair as Re(conj(a) . b), with
covectors conjugated, so that the check holds exactly when dp follows JAX's convention.
"""

from __future__ import annotations

import itertools
from typing import Any, Callable

import numpy as np

import dp

from . import _unary, _selected
from .vspace import vspace

TOL = 1e-6
RTOL = 1e-6
EPS = 1e-6


class GradientMismatch(AssertionError):
    """dp's derivative disagrees with central differences: a wrong gradient."""


def scalar_close(a: float, b: float) -> bool:
    """autograd's closeness test: absolute or relative error within 1e-6."""
    return abs(a - b) < TOL or abs(a - b) / abs(a + b) < RTOL


def numerical_jvp(f: Callable, x: Any) -> Callable:
    """Central differences of `f` at `x` along a direction (plain Python evaluation)."""
    y_space = vspace(f(x))
    x_space = vspace(x)

    def jvp(v):
        plus = f(x_space.add(x, x_space.scale(v, EPS / 2)))
        minus = f(x_space.add(x, x_space.scale(v, -EPS / 2)))
        return y_space.scale(y_space.add(plus, y_space.scale(minus, -1.0)), 1.0 / EPS)

    return jvp


def check_vjp(f: Callable, x: Any) -> None:
    """dp.vjp against central differences: <u, J v> computed both ways."""
    y, pullback = dp.vjp(f, x)
    x_space, y_space = vspace(x), vspace(y)
    x_v, y_v = x_space.randn(), y_space.randn()
    vjp_y = x_space.covector(pullback(y_space.covector(y_v))[0])
    if vspace(vjp_y) != x_space:
        raise GradientMismatch(f"VJP of {_name(f)} has the wrong space: {vspace(vjp_y)} for {x_space}")
    exact = x_space.inner(x_v, vjp_y)
    numeric = y_space.inner(y_v, numerical_jvp(f, x)(x_v))
    if not scalar_close(numeric, exact):
        raise GradientMismatch(f"VJP of {_name(f)} at {x}:\nanalytic: {exact}\nnumeric:  {numeric}")


def check_jvp(f: Callable, x: Any) -> None:
    """dp.jvp against central differences along a random tangent."""
    x_v = vspace(x).randn()
    _, tangent = dp.jvp(f, (x,), (x_v,))
    check_equivalent(tangent, numerical_jvp(f, x)(x_v))


def check_equivalent(a: Any, b: Any) -> None:
    """Two values of the same space agree along a random direction."""
    a_space, b_space = vspace(a), vspace(b)
    if a_space != b_space:
        raise GradientMismatch(f"space mismatch:\na: {a_space}\nb: {b_space}")
    v = a_space.randn()
    if not scalar_close(a_space.inner(a, v), a_space.inner(b, v)):
        raise GradientMismatch(f"value mismatch:\na: {a}\nb: {b}")


def _name(f: Callable) -> str:
    return getattr(f, "__name__", repr(f))


def _check(f: Callable, x: Any, modes: Any, order: int) -> None:
    """Checks `f`'s derivatives at `x`, and those of its JVP and VJP up to `order`."""
    if "fwd" in modes:
        check_jvp(f, x)
        if order > 1:

            def jvp_f(x, v):
                return dp.jvp(f, (x,), (v,))[1]

            check_grads(jvp_f, (0, 1), modes, order=order - 1)(x, vspace(x).randn())
    if "rev" in modes:
        check_vjp(f, x)
        if order > 1:

            def vjp_f(x, v):
                return dp.vjp(f, x)[1](v)[0]

            check_grads(vjp_f, (0, 1), modes, order=order - 1)(x, vspace(f(x)).randn())


def check_grads(fun: Callable, argnum: Any = 0, modes: Any = ("fwd", "rev"), order: int = 2) -> Callable:
    """autograd's check_grads(fun, argnum, modes, order)(*args, **kwargs)."""
    if not all(mode in ("fwd", "rev") for mode in modes):
        raise ValueError(f"modes must be 'fwd' or 'rev', not {modes}")

    def checked(*args, **kwargs):
        _check(_unary(fun, args, kwargs, argnum), _selected(args, argnum), modes, order)

    return checked


def combo_check(fun: Callable, *check_args: Any, **check_kwargs: Any) -> Callable:
    """check_grads over every combination of the given argument and keyword values."""

    def combos(*arg_lists, **kwarg_lists):
        keyed = [[(key, value) for value in values] for key, values in kwarg_lists.items()]
        for args in itertools.product(*arg_lists):
            for kwargs in itertools.product(*keyed):
                check_grads(fun, *check_args, **check_kwargs)(*args, **dict(kwargs))

    return combos
