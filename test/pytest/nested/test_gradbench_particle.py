"""GradBench's particle eval (Pearlmutter and Siskind's nested-AD benchmark) in plain Python with dp.

The objective integrates a charged particle's path with a gradient of the
field's potential inside a data-dependent while loop; its derivative with
respect to the control w is nested AD. All four of the eval's variants
(forward or reverse outside, forward or reverse inside) must agree with
each other and with central differences of the compiled primal.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import dp


def p(x0, x1, w):
    return 1.0 / math.sqrt((x0 - 10.0) ** 2 + (x1 - (10.0 - w)) ** 2) + 1.0 / math.sqrt((x0 - 10.0) ** 2 + x1 ** 2)

def naive_euler_r(w):
    x0, x1 = 0.0, 8.0
    v0, v1 = 0.75, 0.0
    dt = 0.1
    go = True
    while go:
        g0, g1 = dp.grad(p, argnums=(0, 1))(x0, x1, w)
        n0, n1 = x0 + dt * v0, x1 + dt * v1
        if n1 > 0.0:
            x0, x1 = n0, n1
            v0, v1 = v0 - dt * g0, v1 - dt * g1
        else:
            go = False
    dtf = -x1 / v1
    xf = x0 + dtf * v0
    return xf * xf

def naive_euler_f(w):
    x0, x1 = 0.0, 8.0
    v0, v1 = 0.75, 0.0
    dt = 0.1
    go = True
    while go:
        g0 = dp.jvp(p, (x0, x1, w), (1.0, 0.0, 0.0))[1]
        g1 = dp.jvp(p, (x0, x1, w), (0.0, 1.0, 0.0))[1]
        n0, n1 = x0 + dt * v0, x1 + dt * v1
        if n1 > 0.0:
            x0, x1 = n0, n1
            v0, v1 = v0 - dt * g0, v1 - dt * g1
        else:
            go = False
    dtf = -x1 / v1
    xf = x0 + dtf * v0
    return xf * xf


def _central_difference(w: float, h: float = 1e-6) -> float:
    primal = dp.compile(naive_euler_r)
    return (primal(w + h) - primal(w - h)) / (2 * h)


@pytest.mark.parametrize("w", [0.0, 0.3])
def test_the_four_variants_agree_with_central_differences(w):
    variants = {
        "rr": dp.grad(naive_euler_r)(w),
        "rf": dp.grad(naive_euler_f)(w),
        "fr": dp.jvp(naive_euler_r, (w,), (1.0,))[1],
        "ff": dp.jvp(naive_euler_f, (w,), (1.0,))[1],
    }
    expected = _central_difference(w)
    for name, value in variants.items():
        np.testing.assert_allclose(value, expected, rtol=1e-6, err_msg=name)
        np.testing.assert_allclose(value, variants["rr"], rtol=1e-12, err_msg=name)


def test_gradient_descent_lowers_the_miss():
    grad = dp.grad(naive_euler_r)
    w = 0.0
    misses = [dp.compile(naive_euler_r)(w)]
    for _ in range(3):
        w = w - 0.005 * grad(w)
        misses.append(dp.compile(naive_euler_r)(w))
    assert all(b < a for a, b in zip(misses, misses[1:])), misses
