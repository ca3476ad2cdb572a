"""Specialization and caching, observed through the public API only.

A module global is a compile-time constant (issue 4): a specialization
compiled while SCALE was 2 keeps computing with 2 after SCALE changes. That
makes compilation observable without touching dp's private caches: a call
that still sees the old constant reused a specialization, a call that sees
the new one compiled. Timings back this up loosely (a compile takes
milliseconds, a cached call microseconds).
"""

from __future__ import annotations

import sys
import time

import pytest

import dp

SCALE = 2.0
THIS = sys.modules[__name__]


def scaled(x, n, tag):
    return SCALE * x * n


def scaled_bool(x, flag):
    if flag:
        return SCALE * x
    return -SCALE * x


@pytest.fixture
def scale(monkeypatch):
    """Sets SCALE (restored after the test)."""

    def set_scale(value: float) -> None:
        monkeypatch.setattr(THIS, "SCALE", value)

    set_scale(2.0)
    return set_scale


def test_same_signature_reuses_the_specialization(scale):
    compiled = dp.compile(scaled)
    assert compiled(1.0, 3, "a") == 6.0
    scale(5.0)
    assert compiled(1.0, 3, "a") == 6.0  # the constant 2.0 was compiled in
    assert compiled(1.5, 4, "a") == 12.0  # other values, same types: same specialization


def test_a_new_signature_compiles_a_new_specialization(scale):
    compiled = dp.compile(scaled)
    assert compiled(1.0, 3, "a") == 6.0
    scale(5.0)
    assert compiled(1.0, 3, "b") == 15.0  # a string is static: another specialization
    assert compiled(1.0, 3.0, "a") == 15.0  # a float where an int was
    assert compiled(1.0, 3, "a") == 6.0  # the first one is still there
    scale(7.0)
    assert compiled(1.0, 3, "b") == 15.0 and compiled(1.0, 3.0, "a") == 15.0


def test_bools_and_ints_are_different_signatures(scale):
    compiled = dp.compile(scaled_bool)
    assert compiled(1.0, True) == 2.0
    scale(5.0)
    assert compiled(1.0, 1) == 5.0  # 1 == True in Python, but an int is another signature
    assert compiled(1.0, False) == -2.0


def test_recompile_forgets_every_specialization(scale):
    compiled = dp.compile(scaled)
    assert compiled(1.0, 3, "a") == 6.0 and compiled(1.0, 3, "b") == 6.0
    scale(5.0)
    compiled.recompile()
    assert compiled(1.0, 3, "a") == 15.0 and compiled(1.0, 3, "b") == 15.0


@pytest.mark.parametrize(
    "make, call, before, after",
    [
        (lambda: dp.grad(scaled), lambda t: t(1.0, 3, "a"), 6.0, 15.0),
        (lambda: dp.value_and_grad(scaled, argnums=(0,)), lambda t: t(1.0, 3, "a"), (6.0, (6.0,)), (15.0, (15.0,))),
        (lambda: dp.jacobian(scaled, mode="rev"), lambda t: t(1.0, 3, "a"), 6.0, 15.0),
        (lambda: dp.jacobian(scaled, mode="fwd"), lambda t: t(1.0, 3, "a"), 6.0, 15.0),
        (
            lambda: dp.compile(scaled, grad=True),
            lambda t: t(1.0, 3, "a"),
            (6.0, (6.0, None, None)),
            (15.0, (15.0, None, None)),
        ),
    ],
    ids=["grad", "value_and_grad", "jacobian-rev", "jacobian-fwd", "compile-grad"],
)
def test_transforms_cache_per_signature_and_recompile(scale, make, call, before, after):
    transform = make()
    assert call(transform) == before
    scale(5.0)
    assert call(transform) == before  # cached
    transform.recompile()
    assert call(transform) == after


def test_recompile_also_refreshes_jvp_and_vjp(scale):
    compiled = dp.compile(scaled)
    assert dp.jvp(compiled, (1.0, 3, "a"), (1.0, 0, "a")) == (6.0, 6.0)
    assert dp.vjp(compiled, 1.0, 3, "a")[1](1.0) == (6.0, None, None)
    scale(5.0)
    compiled.recompile()
    assert dp.jvp(compiled, (1.0, 3, "a"), (1.0, 0, "a")) == (15.0, 15.0)
    assert dp.vjp(compiled, 1.0, 3, "a")[1](1.0) == (15.0, None, None)


def _timed(thunk) -> float:
    start = time.perf_counter()
    thunk()
    return time.perf_counter() - start


def polynomial_loop(x, n, tag):
    s = 0.0 if tag == "zero" else 1.0
    for i in range(n):
        s = s * x + i
        if s > 100.0:
            s = s / x
    return s


@pytest.mark.parametrize(
    "make",
    [lambda f: dp.compile(f), lambda f: dp.compile(f, grad=True), lambda f: dp.grad(f)],
    ids=["compile", "compile-grad", "grad"],
)
def test_a_cached_call_is_much_faster_than_a_compile(make):
    # Loose on purpose: a compile takes milliseconds, a cached call microseconds.
    fn = make(polynomial_loop)
    first = _timed(lambda: fn(1.1, 10, "zero"))
    cached = min(_timed(lambda: fn(1.2, 12, "zero")) for _ in range(5))
    new_signature = _timed(lambda: fn(1.1, 10, "one"))  # another static string: compiles again
    assert cached * 5 < first, (first, cached)
    assert cached * 5 < new_signature, (new_signature, cached)
    fn.recompile()
    assert cached * 5 < _timed(lambda: fn(1.2, 12, "zero")), "recompile() did not force a compile"
