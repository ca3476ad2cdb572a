"""A value computed before a branch and used only on the branch not taken has a zero adjoint.

Its derivative may be infinite there (sqrt at 0, log at 0, the inverse
functions at the edge of their domain): the zero adjoint must stay zero, not
become 0 * inf = NaN. GradBench's hand-tracking objective
(angle_axis_to_rotation_matrix at a zero rotation) met this in reverse mode.
Oracle: float64 central differences of the Python function, in both modes.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import dp


def rotation_angle(x):
    n = np.sqrt(np.sum(x**2))
    if n < 0.0001:
        return np.sum(x)
    return n


def scalar_root(x):
    n = math.sqrt(x * x)
    if n < 0.0001:
        return 2.0 * x
    return n


def log_unless_zero(x):
    y = math.log(x * x)
    if x == 0.0:
        return 3.0 * x
    return y


def inverse_edges(x):
    a = math.asin(x) + math.acos(x) + math.atanh(x)
    if x >= 1.0:
        return 5.0 * x
    return a


def central(fn, x, h=1e-7):
    x = np.asarray(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(*x.shape):
        step = np.zeros_like(x)
        step[index] = h
        grad[index] = (fn(x + step) - fn(x - step)) / (2 * h)
    return grad if x.shape else float(grad)


@pytest.mark.parametrize(
    "fn,x",
    [(rotation_angle, np.zeros(3)), (scalar_root, 0.0), (log_unless_zero, 0.0), (inverse_edges, 1.0)],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_the_branch_not_taken_contributes_zero(fn, x):
    # Where the branch holds at one point only, the derivative is the branch's own (3 and 5):
    # a central difference there would straddle the other branch.
    expected = {log_unless_zero: 3.0, inverse_edges: 5.0}.get(fn)
    if expected is None:
        expected = central(fn, x)
    np.testing.assert_allclose(dp.grad(fn)(x), expected, rtol=1e-6)
    if np.ndim(x):
        np.testing.assert_allclose(dp.jacobian(fn, mode="fwd")(x), expected, rtol=1e-6)
    else:
        assert dp.jvp(fn, (x,), (1.0,))[1] == pytest.approx(expected, rel=1e-6)


def test_a_taken_branch_still_gets_its_derivative():
    x = np.array([0.3, -0.4, 1.2])
    np.testing.assert_allclose(dp.grad(rotation_angle)(x), x / np.linalg.norm(x), rtol=1e-14)
    assert dp.grad(log_unless_zero)(0.5) == pytest.approx(2.0 / 0.5, rel=1e-15)
