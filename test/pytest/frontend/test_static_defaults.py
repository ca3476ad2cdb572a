"""A callee's own defaults are compile-time constants inside compiled code (axis, keepdims, argnums)."""

from __future__ import annotations

import numpy as np

import dp


def _total(x, axis=1, keepdims=False):
    return np.sum(x * x, axis=axis, keepdims=keepdims)


def _gradient_of(fun, x, argnum=0):
    return dp.grad(fun, argnums=argnum)(x)


def uses_defaults(x):
    return np.sum(_total(x)) + _gradient_of(lambda v: np.sum(np.sin(v)), x)[0, 0]


def test_defaults_shape_the_callee():
    x = np.arange(6.0).reshape(2, 3) / 5
    np.testing.assert_allclose(dp.compile(uses_defaults)(x), np.sum(x * x) + np.cos(x[0, 0]))
    expected = 2 * x
    expected[0, 0] -= np.sin(x[0, 0])
    np.testing.assert_allclose(dp.grad(uses_defaults)(x), expected)
