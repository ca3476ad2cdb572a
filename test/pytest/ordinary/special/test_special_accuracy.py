"""dp's special functions against scipy's values: the library as plain numpy on wide grids (relative 1e-12 or
better away from zeros), and compiled by dp on the same grids in float64 and float32."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import scipy.special as sp
import scipy.stats as st

import dp
from dp.library import special as lib

R = np.random.default_rng(0)


def _grid(low: float, high: float, n: int = 400) -> np.ndarray:
    return R.uniform(low, high, n)


POSITIVE = np.concatenate([_grid(1e-3, 30), np.exp(_grid(-20, 60, 200)), [0.5, 1.0, 1.5, 2.0, 2.5, 10.0]])
REAL = np.concatenate([POSITIVE, _grid(-20, 0), [-0.5, -1.5, -2.5]])
UNIT = np.concatenate([_grid(-1, 1), 1.0 - np.exp(-_grid(0, 700, 100)), [0.0, 0.5, -0.5]])

# (name, dp's function, scipy's, arguments, relative tolerance, absolute tolerance)
CASES = [
    ("gammaln", lib.gammaln, sp.gammaln, (REAL,), 1e-13, 1e-14),
    ("gamma", lib.gamma, sp.gamma, (REAL[REAL < 100],), 1e-13, 0.0),
    ("rgamma", lib.rgamma, sp.rgamma, (REAL[REAL < 100],), 1e-13, 0.0),
    ("gammasgn", lib.gammasgn, sp.gammasgn, (REAL,), 0.0, 0.0),
    ("digamma", lib.digamma, sp.digamma, (REAL,), 1e-12, 1e-14),
    ("polygamma1", lambda x: lib.polygamma(1, x), lambda x: sp.polygamma(1, x), (REAL[REAL > -6],), 1e-12, 0.0),
    ("polygamma3", lambda x: lib.polygamma(3, x), lambda x: sp.polygamma(3, x), (REAL[REAL > -6],), 1e-12, 0.0),
    ("erfinv", lib.erfinv, sp.erfinv, (UNIT,), 1e-14, 0.0),
    ("erfcinv", lib.erfcinv, sp.erfcinv, (np.concatenate([_grid(0, 2), np.exp(-_grid(0, 700, 100))]),), 1e-14, 0.0),
    ("ndtri", lib.ndtri, sp.ndtri, (np.concatenate([_grid(0, 1), np.exp(-_grid(0, 700, 100))]),), 1e-14, 0.0),
    ("ndtr", lib.ndtr, sp.ndtr, (_grid(-30, 10),), 1e-12, 0.0),  # erfc(x / sqrt 2) amplifies x's rounding by x^2
    ("log_ndtr", lib.log_ndtr, sp.log_ndtr, (np.concatenate([_grid(-40, 8), -np.exp(_grid(0, 20, 100))]),), 1e-13, 0.0),
    ("expit", lib.expit, sp.expit, (_grid(-700, 700),), 1e-15, 0.0),
    ("logit", lib.logit, sp.logit, (_grid(0, 1),), 1e-14, 1e-15),
    ("betaln", lib.betaln, sp.betaln, (_grid(0.1, 30), _grid(0.1, 30)), 1e-12, 1e-13),
    ("beta", lib.beta, sp.beta, (_grid(0.1, 30), _grid(0.1, 30)), 1e-12, 0.0),
    ("multigammaln", lambda a: lib.multigammaln(a, 4), lambda a: sp.multigammaln(a, 4), (_grid(1.6, 30),), 1e-13, 0.0),
    ("xlogy", lib.xlogy, sp.xlogy, (np.concatenate([_grid(-3, 3), [0.0]]), np.concatenate([_grid(0, 5), [0.0]])), 1e-15, 0.0),
    ("xlog1py", lib.xlog1py, sp.xlog1py, (_grid(-3, 3), _grid(-0.9, 5)), 1e-15, 0.0),
    ("entr", lib.entr, sp.entr, (np.concatenate([_grid(0, 5), [0.0, -1.0]]),), 1e-15, 0.0),
    ("rel_entr", lib.rel_entr, sp.rel_entr, (np.concatenate([_grid(0, 5), [0.0]]), np.concatenate([_grid(0, 5), [1.0]])), 1e-14, 1e-15),
    ("gammainc", lib.gammainc, sp.gammainc, (_grid(0.05, 40), _grid(0, 50)), 1e-12, 1e-15),
    ("gammaincc", lib.gammaincc, sp.gammaincc, (_grid(0.05, 40), _grid(0, 50)), 1e-12, 1e-15),
    ("betainc", lib.betainc, sp.betainc, (_grid(0.1, 30), _grid(0.1, 30), _grid(0, 1)), 1e-12, 1e-15),
    ("iv", lib.iv, sp.iv, (_grid(0, 30), _grid(0, 500)), 1e-12, 0.0),
    ("iv_large_x", lib.iv, sp.iv, (_grid(0, 5), _grid(600, 700)), 1e-12, 0.0),
    ("ive", lib.ive, sp.ive, (R.integers(0, 6, 400).astype(float), _grid(-300, 300)), 1e-12, 0.0),
    ("i0", lib.i0, sp.i0, (_grid(-700, 700),), 1e-13, 0.0),
    ("i1e", lib.i1e, sp.i1e, (_grid(-700, 700),), 1e-13, 0.0),
]


@pytest.mark.parametrize("name, ours, theirs, args, rtol, atol", CASES, ids=[c[0] for c in CASES])
def test_library_against_scipy(name, ours, theirs, args, rtol, atol):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got, expected = np.asarray(ours(*args)), theirs(*args)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected), err_msg=f"{name}: where nan")
    finite = np.isfinite(expected)
    np.testing.assert_array_equal(got[~finite], expected[~finite], err_msg=f"{name}: infinities")
    np.testing.assert_allclose(got[finite], expected[finite], rtol=rtol, atol=atol, err_msg=name)


def _compiled_cases():
    ufuncs = {
        "gammaln": sp.gammaln, "digamma": sp.digamma, "erfinv": sp.erfinv, "erfcinv": sp.erfcinv, "ndtri": sp.ndtri,
        "log_ndtr": sp.log_ndtr, "expit": sp.expit, "gammainc": sp.gammainc, "iv": sp.iv, "betainc": sp.betainc,
    }
    return [c for c in CASES if c[0] in ufuncs]


def _program(theirs):
    # One compiled program per function: dp maps the scipy name to its implementation.
    arity = {sp.gammainc: 2, sp.iv: 2, sp.betainc: 3}.get(theirs, 1)
    if arity == 1:
        def f(x):
            return theirs(x)
    elif arity == 2:
        def f(x, y):
            return theirs(x, y)
    else:
        def f(x, y, z):
            return theirs(x, y, z)
    return f


@pytest.mark.parametrize("name, ours, theirs, args, rtol, atol", _compiled_cases(), ids=[c[0] for c in _compiled_cases()])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_compiled_against_scipy(name, ours, theirs, args, rtol, atol, dtype):
    f = dp.compile(_program(theirs))
    if dtype == "float32":
        # float32 arguments the float64 evaluation can be compared with; exponents kept in float32's range
        args = tuple(a.astype(np.float32) for a in args)
        keep = np.all([np.isfinite(a) & (np.abs(a) < 80) & ((a == 0) | (np.abs(a) > 1e-30)) for a in args], axis=0)
        args = tuple(a[keep] for a in args)
        got = f(*args)
        assert got.dtype == np.float32
        expected = theirs(*(a.astype(np.float64) for a in args))
        finite = np.isfinite(expected) & (np.abs(expected) < 1e30) & (np.abs(expected) > 1e-30)
        np.testing.assert_allclose(got[finite], expected[finite], rtol=2e-5, atol=1e-6, err_msg=name)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = theirs(*args)
    got = f(*args)
    finite = np.isfinite(expected)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
    np.testing.assert_allclose(got[finite], expected[finite], rtol=rtol, atol=atol, err_msg=name)


def test_scalars_and_constants():
    def f(x):
        return math.lgamma(x) + sp.gammaln(3.5) + sp.digamma(x) + st.norm.logpdf(x, 1.0, 2.0)

    expected = math.lgamma(2.25) + sp.gammaln(3.5) + sp.digamma(2.25) + st.norm.logpdf(2.25, 1.0, 2.0)
    assert abs(dp.compile(f)(2.25) - expected) < 1e-13
