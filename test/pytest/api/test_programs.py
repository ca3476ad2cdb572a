"""Every program of the corpus through every public transform, against its oracle.

For each case (see programs.py) the oracle gives the Jacobian J of the float
result leaves with respect to the float argument leaves, from the JAX twin
(exact, rtol 1e-9) or from central differences (rtol 1e-7). Then:

- float-valued programs: dp.grad (int argnums), dp.value_and_grad (the
  case's argnums, a tuple for most), dp.compile(grad=True) (every argument,
  None for ints, bools and strings);
- every program: dp.jvp along a seeded random tangent, dp.vjp with the
  pullback called twice (and a third time, reproducing the first),
  dp.jacobian in "rev" and "fwd" modes, and the dot-product test
  <u, J^T v> = <J u, v> between dp.jvp and dp.vjp.

Values are compared with plain Python's to 1e-12 relative.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest

import dp

from .oracles import KEEP, assert_tree_close, float_leaves, rng_for, with_float_leaves
from .programs import CASES, PROGRAMS, SCALAR_CASES, Case

RTOL_VALUE = 1e-12


def ids(cases):
    return [c.id for c in cases]


@functools.cache
def oracle_of(case_id: str):
    return next(c for c in CASES if c.id == case_id).oracle()


def first_argnum(case: Case) -> int:
    return case.argnums if isinstance(case.argnums, int) else case.argnums[0]


def random_like(tree, rng):
    """`tree` with fresh standard-normal floats at its float leaves and its other leaves kept."""
    return with_float_leaves(tree, [float(v) for v in rng.standard_normal(len(float_leaves(tree)))], KEEP)


def assert_value(got, expected):
    assert_tree_close(got, expected, rtol=RTOL_VALUE, atol=1e-300)


def test_the_corpus_is_large_enough():
    assert len(PROGRAMS) >= 50, len(PROGRAMS)
    assert len(SCALAR_CASES) >= 50


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_oracle_is_sound(case):
    """The twin agrees with Python's value and its derivatives are finite (checked inside)."""
    oracle = oracle_of(case.id)
    assert oracle.jacobian.shape == (len(float_leaves(oracle.result)), sum(len(float_leaves(a)) for a in case.args))


@pytest.mark.parametrize("case", SCALAR_CASES, ids=ids(SCALAR_CASES))
def test_grad_with_an_int_argnum(case):
    oracle = oracle_of(case.id)
    n = first_argnum(case)
    got = dp.grad(case.fn, argnums=n)(*case.args)
    assert_tree_close(got, oracle.grads(oracle.jacobian[0], n), oracle.rtol, oracle.atol)


@pytest.mark.parametrize("case", SCALAR_CASES, ids=ids(SCALAR_CASES))
def test_value_and_grad(case):
    oracle = oracle_of(case.id)
    value, grads = dp.value_and_grad(case.fn, argnums=case.argnums)(*case.args)
    assert_value(value, oracle.result)
    assert_tree_close(grads, oracle.grads(oracle.jacobian[0], case.argnums), oracle.rtol, oracle.atol)


@pytest.mark.parametrize("case", SCALAR_CASES, ids=ids(SCALAR_CASES))
def test_compile_grad_true(case):
    oracle = oracle_of(case.id)
    value, grads = dp.compile(case.fn, grad=True)(*case.args)
    assert_value(value, oracle.result)
    assert_tree_close(grads, oracle.grads(oracle.jacobian[0], tuple(range(len(case.args)))), oracle.rtol, oracle.atol)


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_jvp(case):
    oracle = oracle_of(case.id)
    tangents = tuple(random_like(a, rng_for("jvp" + case.id)) for a in case.args)
    value, tangent_out = dp.jvp(case.fn, case.args, tangents)
    assert_value(value, oracle.result)
    assert_tree_close(tangent_out, oracle.tangent_out(tangents), oracle.rtol, oracle.atol * len(tangents))


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_vjp_pullback_called_three_times(case):
    oracle = oracle_of(case.id)
    rng = rng_for("vjp" + case.id)
    value, pullback = dp.vjp(case.fn, *case.args)
    assert_value(value, oracle.result)
    first, second = random_like(oracle.result, rng), random_like(oracle.result, rng)
    got_first = pullback(first)
    got_second = pullback(second)
    atol = oracle.atol * max(1, len(float_leaves(first)))
    assert_tree_close(got_first, oracle.cotangent_in(first), oracle.rtol, atol)
    assert_tree_close(got_second, oracle.cotangent_in(second), oracle.rtol, atol)
    assert_tree_close(pullback(first), got_first, 0.0)  # the tape is intact: bit for bit the same


@pytest.mark.parametrize("mode", ["rev", "fwd"])
@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_jacobian(case, mode):
    oracle = oracle_of(case.id)
    got = dp.jacobian(case.fn, argnums=case.argnums, mode=mode)(*case.args)
    assert_tree_close(got, oracle.jacobian_tree(case.argnums), oracle.rtol, oracle.atol)


def _dot(a, b) -> float:
    return math.fsum(x * y for x, y in zip(float_leaves(a), float_leaves(b)))


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_dot_product_jvp_vjp(case):
    """JAX's check_vjp: <u, J^T v> = <J u, v>, with dp's own dp.jvp and dp.vjp."""
    rng = rng_for("dot" + case.id)
    u = tuple(random_like(a, rng) for a in case.args)
    value, ju = dp.jvp(case.fn, case.args, u)
    v = random_like(value, rng)
    _, pullback = dp.vjp(case.fn, *case.args)
    jtv = pullback(v)
    lhs, rhs = _dot(u, jtv), _dot(ju, v)
    scale = max(1.0, math.fsum(abs(x * y) for x, y in zip(float_leaves(u), float_leaves(jtv))))
    assert abs(lhs - rhs) <= 1e-12 * scale, (lhs, rhs)


MULTI_IO = [c for c in CASES if len(float_leaves(c.fn(*c.args))) > 1 and sum(len(float_leaves(a)) for a in c.args) > 1]


@pytest.mark.parametrize("case", MULTI_IO, ids=ids(MULTI_IO))
def test_dot_product_many_directions(case):
    """The dot-product test along 5 seeded directions on each multi-input, multi-output program."""
    rng = rng_for("dot5" + case.id)
    _, pullback = dp.vjp(case.fn, *case.args)
    for _ in range(5):
        u = tuple(random_like(a, rng) for a in case.args)
        value, ju = dp.jvp(case.fn, case.args, u)
        v = random_like(value, rng)
        jtv = pullback(v)
        lhs, rhs = _dot(u, jtv), _dot(ju, v)
        assert lhs == pytest.approx(rhs, rel=1e-12, abs=1e-12), (lhs, rhs)


def test_multi_io_programs_exist():
    assert len(MULTI_IO) >= 5, [c.id for c in MULTI_IO]


@pytest.mark.parametrize("case", SCALAR_CASES[:8], ids=ids(SCALAR_CASES[:8]))
def test_negative_argnums_like_jax(case):
    oracle = oracle_of(case.id)
    n = first_argnum(case)
    got = dp.grad(case.fn, argnums=n - len(case.args))(*case.args)
    assert_tree_close(got, oracle.grads(oracle.jacobian[0], n), oracle.rtol, oracle.atol)


def test_the_jacobian_modes_agree_on_a_random_point():
    from .programs import rk4_oscillator, State

    rng = np.random.default_rng(7)
    s = State(float(rng.normal()), float(rng.normal()))
    rev = dp.jacobian(rk4_oscillator, argnums=(0, 1), mode="rev")(s, 1.5, 0.01, 50)
    fwd = dp.jacobian(rk4_oscillator, argnums=(0, 1), mode="fwd")(s, 1.5, 0.01, 50)
    assert_tree_close(rev, fwd, rtol=1e-12, atol=1e-14)
