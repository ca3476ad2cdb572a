"""The operator module's functions compile as the operators they name, in value and both derivative modes."""

from __future__ import annotations

import functools
import operator

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import dp

jax.config.update("jax_enable_x64", True)


def with_operators(x, y):
    a = operator.mul(x, y) + operator.add(x, 2.0) - operator.truediv(y, x)
    b = operator.neg(operator.pow(x, 3)) + operator.mod(y, 1.5) + operator.abs(operator.sub(x, y))
    c = functools.reduce(operator.mul, [x, y, x])
    return np.sum(a + b + c + operator.matmul(x, y)) + operator.getitem(x, 1) + operator.lt(x[0], y[0]) * 1.0


def with_operators_jax(x, y):
    a = x * y + (x + 2.0) - y / x
    b = -(x**3) + jnp.mod(y, 1.5) + jnp.abs(x - y)
    return jnp.sum(a + b + x * y * x + x @ y) + x[1] + (x[0] < y[0]) * 1.0


X = np.array([0.5, 1.2, 2.0])
Y = np.array([1.0, 2.5, 0.7])


def test_value_matches_python():
    np.testing.assert_allclose(dp.compile(with_operators)(X, Y), with_operators(X, Y), rtol=1e-12)


@pytest.mark.parametrize("mode", ["rev", "fwd"])
def test_derivatives_match_jax(mode):
    expected = jax.jacobian(with_operators_jax, argnums=(0, 1))(X, Y)
    got = dp.jacobian(with_operators, argnums=(0, 1), mode=mode)(X, Y)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-12)


def scalar_table(x):
    total = 0.0
    for op in (operator.add, operator.sub, operator.mul):
        total = total + op(x, 3.0)
    return total if operator.ge(x, 0.0) else operator.neg(total)


def test_operators_in_a_table():
    assert dp.grad(scalar_table)(2.0) == 5.0
    assert dp.grad(scalar_table)(-2.0) == -5.0


def wrong_arity(x):
    return operator.add(x)


def test_wrong_arity_is_a_typed_error_at_the_line():
    with pytest.raises(dp.TypeMismatchError, match=r"test_operator_functions.py:\d+:\d+: operator.add\(\) takes 2"):
        dp.compile(wrong_arity)(1.0)
