"""Slices and differences that come out empty (x[1:] of a length-1 axis) compile, with zero derivatives."""

from __future__ import annotations

import numpy as np
import pytest

import dp


@pytest.mark.parametrize("shape,axis", [((1,), 0), ((1, 3), 0), ((3, 1), 1), ((1, 1), 1)])
def test_diff_along_a_length_one_axis_is_empty(shape, axis):
    x = np.linspace(0.5, 1.5, int(np.prod(shape))).reshape(shape)
    got = dp.compile(lambda a: np.diff(a, axis=axis))(x)
    assert got.shape == np.diff(x, axis=axis).shape
    grad = dp.grad(lambda a: np.sum(np.diff(a, axis=axis)) + np.sum(a * a))(x)
    np.testing.assert_allclose(grad, 2 * x)


def test_a_slice_past_the_end_is_empty():
    x = np.ones((1, 3))
    assert dp.compile(lambda a: a[1:] * 2.0)(x).shape == (0, 3)
    np.testing.assert_allclose(dp.grad(lambda a: np.sum(a[1:]) + np.sum(a[:, 2:]))(x), [[0.0, 0.0, 1.0]])
