"""What dp does not compile or differentiate among the special functions is a typed error naming the function
as the user wrote it, at the user's file."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.special as sp
import scipy.stats as st

import dp

THIS_FILE = __file__


def gammainc_in_a(a):
    return np.sum(sp.gammainc(a, 2.0))


def iv_in_order(v):
    return sp.iv(v, 1.5)


def t_cdf_in_df(df):
    return st.t.cdf(0.3, df)


def beta_cdf_in_b(b):
    return st.beta.cdf(0.3, 2.0, b)


@pytest.mark.parametrize(
    "fn, arg, message",
    [
        (gammainc_in_a, np.array([1.0, 2.0]), "scipy.special.gammainc is not differentiable with respect to its first argument a"),
        (iv_in_order, 0.5, "scipy.special.iv is not differentiable with respect to its order v"),
        (t_cdf_in_df, 3.0, "the CDF of scipy.stats.t is not differentiable with respect to df"),
        (beta_cdf_in_b, 3.0, "the CDF of scipy.stats.beta is not differentiable with respect to a or b"),
    ],
)
@pytest.mark.parametrize("mode", ["rev", "fwd"])
def test_missing_derivative_is_an_error(fn, arg, message, mode):
    with pytest.raises(dp.NotDifferentiableError, match=message) as info:
        if mode == "rev":
            dp.grad(fn)(arg)
        else:
            dp.jvp(fn, (arg,), (np.ones_like(arg) if isinstance(arg, np.ndarray) else 1.0,))
    assert info.value.filename == THIS_FILE


def test_value_without_derivative_compiles():
    # The same functions compile, and differentiate in their other arguments.
    assert abs(dp.compile(gammainc_in_a)(np.array([1.0, 2.0])) - np.sum(sp.gammainc([1.0, 2.0], 2.0))) < 1e-13
    assert abs(dp.grad(lambda x: sp.iv(0.5, x))(1.5) - 0.5 * (sp.iv(-0.5, 1.5) + sp.iv(1.5, 1.5))) < 1e-12


def erf_of_string(x):
    return sp.erf("one") + x


def lgamma_of_array(x):
    return math.lgamma(x)


def polygamma_of_float_order(x):
    return sp.polygamma(1.5, x)


def unknown_keyword(x):
    return sp.logsumexp(x, axes=0)


def runtime_axis(x, axis):
    return sp.logsumexp(x, axis=axis)


def zeta(x):
    return sp.zeta(x, 1.0)


def norm_rvs(x):
    return st.norm.rvs(x)


def frozen(x):
    return st.norm(0.0, 1.0).pdf(x)


def too_many(x):
    return sp.gammaln(x, x)


@pytest.mark.parametrize(
    "fn, args, error, message",
    [
        (erf_of_string, (1.0,), dp.TypeMismatchError, r"scipy.special.erf\(\) needs numbers or arrays for 'z'"),
        (lgamma_of_array, (np.ones(2),), dp.TypeMismatchError, r"math.lgamma\(\) needs a number"),
        (polygamma_of_float_order, (1.0,), dp.TypeMismatchError, r"'n' of scipy.special.polygamma\(\) must be an int"),
        (unknown_keyword, (np.ones(2),), dp.UnsupportedSyntaxError, r"scipy.special.logsumexp\(\) keyword argument 'axes'"),
        (runtime_axis, (np.ones((2, 2)), 0), dp.TypeMismatchError, r"the axis of scipy.special.logsumexp must be known at compile time"),
        (zeta, (2.0,), dp.UnsupportedSyntaxError, r"scipy.special.zeta is not supported"),
        (norm_rvs, (2.0,), dp.UnsupportedSyntaxError, r"scipy.stats.norm.rvs is not supported"),
        (frozen, (2.0,), dp.UnsupportedSyntaxError, r"scipy.stats.norm\(...\) \(a frozen distribution\) is not supported"),
        (too_many, (2.0,), dp.TypeMismatchError, r"scipy.special.gammaln\(\) takes at most 1 positional"),
    ],
)
def test_typed_errors_name_the_function(fn, args, error, message):
    with pytest.raises(error, match=message) as info:
        dp.compile(fn)(*args)
    assert info.value.filename == THIS_FILE
    line = fn.__code__.co_firstlineno + 1  # the return line of each program above
    assert info.value.lineno == line


def test_dp_imports_without_scipy():
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['scipy'] = None\n"
        "import math, dp\n"
        "def f(x):\n    return math.lgamma(x) * math.erf(x)\n"
        "print(dp.grad(f)(2.5))\n"
    )
    path = __import__("pathlib").Path(__import__("tempfile").mkdtemp()) / "noscipy.py"
    path.write_text(code)
    out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    x = 2.5
    expected = sp.digamma(x) * math.erf(x) + math.lgamma(x) * 2 / math.sqrt(math.pi) * math.exp(-x * x)
    assert abs(float(out.stdout) - expected) < 1e-12
