"""Derivatives at the edges of their domains: zeros of powers, ties and kinks.

Where the derivative exists, dp must give it (JAX agrees); at kinks and ties
any subgradient is acceptable (dp and JAX pick different ones), so only
that is checked.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import pytest

import dp

jax.config.update("jax_enable_x64", True)


def power_zero(x):
    return x**0 + x


def power_int(x, n):
    return x**n


def power_float(x, y):
    return x**y


def math_power(x, y):
    return math.pow(x, y)


def larger(x, y):
    return max(x, y)


def smaller(x, y):
    return min(x, y)


def magnitude(x):
    return abs(x)


@pytest.mark.parametrize("n, expected", [(1, 1.0), (2, 0.0), (3, 0.0)])
def test_integer_power_at_zero(n, expected):
    assert dp.grad(power_int)(0.0, n) == expected == float(jax.grad(lambda x: x**n)(0.0))


def test_power_zero_at_zero():
    assert float(jax.grad(lambda x: x**0 + x)(0.0)) == 1.0
    assert dp.grad(power_zero)(0.0) == 1.0
    assert dp.grad(power_int)(0.0, 0) == 0.0
    assert dp.jvp(power_int, (0.0, 0), (1.0, 0)) == (1.0, 0.0)


@pytest.mark.parametrize("fn", [power_float, math_power], ids=["operator", "math.pow"])
def test_derivative_in_the_exponent_at_base_zero(fn):
    for y in (1.0, 2.0, 2.5):
        expected = tuple(float(g) for g in jax.grad(lambda x, y: x**y, argnums=(0, 1))(0.0, y))
        assert expected[1] == 0.0
        assert dp.grad(fn, argnums=(0, 1))(0.0, y) == expected


@pytest.mark.parametrize("fn, jax_fn", [(larger, jnp.maximum), (smaller, jnp.minimum)], ids=["max", "min"])
def test_ties_give_a_subgradient(fn, jax_fn):
    gx, gy = dp.grad(fn, argnums=(0, 1))(1.5, 1.5)
    assert 0.0 <= gx <= 1.0 and 0.0 <= gy <= 1.0 and gx + gy == 1.0
    # JAX splits a tie evenly; dp gives it to one side. Both are subgradients.
    jx, jy = jax.grad(jax_fn, argnums=(0, 1))(1.5, 1.5)
    assert float(jx) + float(jy) == 1.0
    # Away from the tie they agree exactly.
    assert dp.grad(fn, argnums=(0, 1))(1.5, 2.5) == tuple(float(g) for g in jax.grad(jax_fn, argnums=(0, 1))(1.5, 2.5))


def test_abs_at_zero_gives_a_subgradient():
    for zero in (0.0, -0.0):
        assert -1.0 <= dp.grad(magnitude)(zero) <= 1.0
    assert dp.grad(magnitude)(-2.0) == -1.0 and dp.grad(magnitude)(2.0) == 1.0
