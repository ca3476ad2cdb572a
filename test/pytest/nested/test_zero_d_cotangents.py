"""A 0-d ndarray is accepted as the cotangent of a float result, as jax.vjp accepts a shape-() array.

numpy produces such arrays wherever a scalar result's cotangent is computed (np.ones_like(y),
np.random.randn() of a 0-d space), both for a pullback called from Python and for one called inside
compiled code (where it used to build invalid IR).
"""

from __future__ import annotations

import jax
import numpy as np
import pytest

import dp

from .harness import assert_close

jax.config.update("jax_enable_x64", True)


def cube(x):
    return x * x * x


def pullback_inside(x, v):
    return dp.vjp(cube, x)[1](v)[0]


def test_python_pullback_takes_a_0d_cotangent():
    _, pullback = dp.vjp(cube, 0.4)
    _, jax_pullback = jax.vjp(lambda x: x**3, 0.4)
    assert_close(pullback(np.array(0.7)), tuple(float(g) for g in jax_pullback(0.7)))


def test_compiled_pullback_takes_a_0d_cotangent_and_differentiates():
    assert_close(dp.compile(pullback_inside)(0.4, np.array(0.7)), 3 * 0.4**2 * 0.7)
    got = dp.grad(pullback_inside, argnums=(0, 1))(0.4, np.array(0.7))
    assert_close(got, (6 * 0.4 * 0.7, np.array(3 * 0.4**2)))


def test_a_cotangent_of_another_shape_is_still_an_error():
    with pytest.raises(dp.TypeMismatchError, match="cotangent"):
        dp.compile(pullback_inside)(0.4, np.ones(2))
    with pytest.raises(dp.TypeMismatchError, match="structure"):
        dp.vjp(cube, 0.4)[1](np.ones(2))
