"""Accuracy of the compiled elementary functions against numpy's (glibc's libm).

Array code computes tanh by dp-expand-tanh's expansion and, where glibc's libmvec
is there, exp, log, sin, cos through its vectorized versions: both within a few
ulp of libm, and exact at the special values.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import dp


def ulps(got: np.ndarray, expected: np.ndarray) -> float:
    """The largest distance from `expected`, in units of its last place."""
    spacing = np.spacing(np.abs(expected))
    return float(np.max(np.abs(got - expected) / spacing))


def np_tanh(x):
    return np.tanh(x)


def np_exp(x):
    return np.exp(x)


def np_log(x):
    return np.log(x)


def np_sin(x):
    return np.sin(x)


def scalar_tanh(x):
    return math.tanh(x)


SAMPLES = np.concatenate(
    [
        np.linspace(-0.6, 0.6, 4001),
        np.geomspace(1e-300, 30.0, 4001),
        -np.geomspace(1e-300, 30.0, 4001),
        np.nextafter(0.5, [0.0, 1.0]),
    ]
)


@pytest.mark.parametrize(
    "fn, reference, samples, bound",
    [
        (np_tanh, np.tanh, SAMPLES, 3.0),
        (np_exp, np.exp, np.linspace(-700.0, 700.0, 20001), 4.0),
        (np_log, np.log, np.geomspace(1e-300, 1e300, 20001), 4.0),
        (np_sin, np.sin, np.linspace(-100.0, 100.0, 20001), 4.0),
    ],
    ids=["tanh", "exp", "log", "sin"],
)
def test_array_functions_are_within_a_few_ulps_of_libm(fn, reference, samples, bound):
    assert ulps(dp.compile(fn)(samples), reference(samples)) <= bound


def test_tanh_special_values():
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-310, -1e-310, 400.0, -400.0])
    got = dp.compile(np_tanh)(x)
    np.testing.assert_array_equal(got, np.tanh(x))
    assert np.signbit(got[1]) and not np.signbit(got[0])


def test_scalar_tanh_is_within_two_ulps():
    compiled = dp.compile(scalar_tanh)
    for x in (1e-8, 0.3, 0.49999999999, 0.5, 0.75, 3.0, -2.0, 19.0):
        assert ulps(np.array(compiled(x)), np.array(math.tanh(x))) <= 2.0
    assert math.copysign(1.0, compiled(-0.0)) == -1.0
