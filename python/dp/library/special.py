"""Special functions (scipy.special's) as elementwise numpy code dp compiles, each with its derivative rule.

Every function takes Python floats or float arrays of any shape (float64 or
float32, computed in that precision) and is written without data-dependent
loops: ranges are split with np.where over safe inputs, and recurrences run
a fixed number of steps, so one body serves scalars and arrays. Derivatives
are dp.custom_jvp rules in terms of other functions here (gammaln' =
digamma, digamma' = polygamma(1, .), erfinv' from erfinv itself, ...), so
every order differentiates; a derivative dp does not provide (the order of
a Bessel function, the shape parameter of an incomplete gamma function) is
an error where one reaches it (see `no_derivative`).

Accuracy in float64 is about 1e-15 relative (1e-13 for gamma of large
arguments, absolute 1e-15 near the zeros of gammaln and digamma), checked
against scipy in test/pytest/ordinary/special.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from dp.custom import custom_jvp
from dp.errors import TypeMismatchError

_EULER = 0.57721566490153286061
_LOG_PI = math.log(math.pi)
_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
_SQRT_PI_2 = 0.5 * math.sqrt(math.pi)
_SQRT_2 = math.sqrt(2.0)
_SQRT_2PI = math.sqrt(2.0 * math.pi)

# B_2k, the Bernoulli numbers of the asymptotic (Stirling and Euler-Maclaurin) series.
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798, -174611 / 330)


def _zeta_minus_one(s: int) -> float:
    """zeta(s) - 1 for an integer s >= 2: a direct sum to 29 and the Euler-Maclaurin tail from 30."""
    n = 30
    terms = [k ** -float(s) for k in range(2, n)]
    terms += [n ** (1.0 - s) / (s - 1), 0.5 * n ** -float(s)]
    rising = float(s)  # s (s + 1) ... (s + 2j - 2)
    factorial = 2.0  # (2j)!
    for j, b in enumerate(_BERNOULLI[:8], start=1):
        terms.append(b / factorial * rising * n ** (-s - 2.0 * j + 1.0))
        rising *= (s + 2 * j - 1) * (s + 2 * j)
        factorial *= (2 * j + 1) * (2 * j + 2)
    return math.fsum(terms)


# lgamma(2 + z) = (1 - euler) z + sum_k (-1)^k (zeta(k) - 1) / k z^k, |z| <= 1/2; highest power first
# (zeta(k) - 1 ~ 2^-k: the terms fall as 4^-k, so 30 of them reach double precision).
_LGAMMA2 = np.array([(-1) ** k * _zeta_minus_one(k) / k for k in range(31, 1, -1)] + [1.0 - _EULER])
# Stirling's series of lgamma: B_2k / (2k (2k - 1)) x^(1 - 2k), highest power first.
_STIRLING = np.array([b / (2 * k * (2 * k - 1)) for k, b in reversed(list(enumerate(_BERNOULLI[:8], start=1)))])
# digamma's asymptotic series: B_2k / (2k) x^(-2k), highest power first.
_DIGAMMA_SERIES = np.array([b / (2 * k) for k, b in reversed(list(enumerate(_BERNOULLI[:8], start=1)))])


def _horner(coefficients: np.ndarray, z: Any) -> Any:
    """sum_i coefficients[i] z^(n - 1 - i) (a loop, not unrolled: the IR stays small)."""
    acc = z * 0.0
    for i in range(coefficients.shape[0]):
        acc = acc * z + coefficients[i]
    return acc


def _sinpi(x: Any) -> Any:
    """sin(pi x) with the argument reduced exactly (zero at the integers)."""
    n = np.floor(x + 0.5)
    r = x - n
    parity = n - 2.0 * np.floor(0.5 * n)
    return np.sin(math.pi * r) * (1.0 - 2.0 * parity)


def _is_pole(x: Any) -> Any:
    """Whether x is 0 or a negative integer (a pole of gamma, digamma and polygamma)."""
    return np.logical_and(x <= 0.0, x == np.floor(x))


# -- gamma and its logarithm -----------------------------------------------------------------------


def _lgamma_positive(x: Any) -> Any:
    """log(gamma(x)) for x > 0: the series about 2 on (0, 10) (shifted there, |z| <= 1/2), Stirling's beyond."""
    tiny = x < 0.5
    small = x < 1.5
    middle = x < 10.0
    xm = np.where(middle, x, 2.0)
    shifts = np.where(small, 0.0, np.floor(xm - 1.5))
    z = np.where(tiny, xm, np.where(small, xm - 1.0, xm - 2.0 - shifts))
    product = xm * 0.0 + 1.0
    for k in range(1, 9):
        product = product * np.where(shifts >= k, xm - k, 1.0)
    core = _horner(_LGAMMA2, z) * z
    # x < 0.5: lgamma(x) = lgamma(x + 2) - log(x (x + 1)); x < 1.5: lgamma(x) = lgamma(x + 1) - log(x).
    xs = np.where(small, xm, 1.0)
    low = core - np.log(xs) - np.where(tiny, np.log1p(xs), 0.0)
    mid = core + np.log(product)
    xl = np.where(middle, 10.0, x)
    r = 1.0 / xl
    big = (xl - 0.5) * np.log(xl) - xl + _LOG_SQRT_2PI + _horner(_STIRLING, r * r) * r
    return np.where(small, low, np.where(middle, mid, big))


def _lgamma(x: Any) -> Any:
    positive = x > 0.0
    value = _lgamma_positive(np.where(positive, x, 1.0 - x))
    # Reflection: gamma(x) gamma(1 - x) = pi / sin(pi x); infinite at the poles.
    reflected = _LOG_PI - np.log(np.abs(_sinpi(np.where(positive, 0.5, x)))) - value
    return np.where(positive, value, reflected)


@custom_jvp
def gammaln(x: Any) -> Any:
    """log|gamma(x)| (scipy.special.gammaln, math.lgamma)."""
    return _lgamma(x)


@gammaln.defjvp
def _gammaln_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    return gammaln(x), digamma(x) * t


def gammasgn(x: Any) -> Any:
    """The sign of gamma(x): 1 for x > 0, (-1)^ceil(-x) below (nan at the negative integers)."""
    negative_sign = 1.0 - 2.0 * (np.floor(x) - 2.0 * np.floor(0.5 * np.floor(x)))
    sign = np.where(x > 0.0, 1.0, negative_sign)
    return np.where(np.logical_and(x < 0.0, x == np.floor(x)), np.nan, sign)


def gamma(x: Any) -> Any:
    """gamma(x) (scipy.special.gamma, math.gamma): nan at the negative integers, inf at 0."""
    value = gammasgn(x) * np.exp(gammaln(x))
    return np.where(np.logical_and(x < 0.0, x == np.floor(x)), np.nan, value)


def rgamma(x: Any) -> Any:
    """1 / gamma(x), 0 at the poles."""
    return np.where(_is_pole(x), 0.0, gammasgn(np.where(_is_pole(x), 1.0, x)) * np.exp(-gammaln(x)))


def betaln(a: Any, b: Any) -> Any:
    """log|B(a, b)| = gammaln(a) + gammaln(b) - gammaln(a + b)."""
    return gammaln(a) + gammaln(b) - gammaln(a + b)


def beta(a: Any, b: Any) -> Any:
    """B(a, b) = gamma(a) gamma(b) / gamma(a + b)."""
    return gammasgn(a) * gammasgn(b) * gammasgn(a + b) * np.exp(betaln(a, b))


def multigammaln(a: Any, d: int) -> Any:
    """The log of the multivariate gamma function of dimension d."""
    total = a * 0.0 + 0.25 * d * (d - 1) * _LOG_PI
    for j in range(d):
        total = total + gammaln(a - 0.5 * j)
    return total


# -- digamma and polygamma -------------------------------------------------------------------------


def _digamma_positive(x: Any) -> Any:
    """digamma(x) for x > 0: the recurrence up to x + 10 >= 10, then the asymptotic series."""
    shift = x < 10.0
    total = x * 0.0
    for k in range(10):
        total = total + np.where(shift, 1.0 / (x + k), 0.0)
    z = np.where(shift, x + 10.0, x)
    r2 = 1.0 / (z * z)
    return np.log(z) - 0.5 / z - _horner(_DIGAMMA_SERIES, r2) * r2 - total


def _digamma(x: Any) -> Any:
    positive = x > 0.0
    value = _digamma_positive(np.where(positive, x, 1.0 - x))
    # Reflection: digamma(1 - x) - digamma(x) = pi cot(pi x), with the argument reduced exactly.
    xr = np.where(positive, 0.25, x)
    r = xr - np.floor(xr + 0.5)
    reflected = value - math.pi / np.tan(math.pi * r)
    out = np.where(positive, value, reflected)
    return np.where(x == 0.0, -np.inf, np.where(np.logical_and(x < 0.0, x == np.floor(x)), np.nan, out))


@custom_jvp
def digamma(x: Any) -> Any:
    """digamma(x) = d/dx log gamma(x) (scipy.special.digamma and psi): -inf at 0, nan at the negative integers."""
    return _digamma(x)


@digamma.defjvp
def _digamma_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    return digamma(x), polygamma(1, x) * t


def _hurwitz_zeta(s: Any, n: int, x: Any) -> Any:
    """zeta(s, x) = sum_k (x + k)^-s for the integer s = n + 1 >= 2 and x > -6.

    16 terms of the sum (signed for x + k < 0), then the Euler-Maclaurin tail at b = x + 16 >= 10.
    """
    odd = 1.0 if n % 2 == 0 else 0.0  # (x + k)^-s < 0 for x + k < 0 when s is odd
    total = x * 0.0
    for k in range(16):
        base = x + k
        term = np.abs(base) ** -s
        total = total + np.where(base < 0.0, (1.0 - 2.0 * odd) * term, term)
    b = x + 16.0
    tail = b ** (1.0 - s) / (s - 1.0) + 0.5 * b ** -s
    rising = s
    factorial = 2.0
    power = b ** (-s - 1.0)
    for j in range(8):
        tail = tail + _BERNOULLI[j] / factorial * rising * power
        rising = rising * (s + 2.0 * j + 1.0) * (s + 2.0 * j + 2.0)
        factorial = factorial * (2.0 * j + 3.0) * (2.0 * j + 4.0)
        power = power / (b * b)
    return np.where(x > -6.0, total + tail, np.nan)


def _polygamma(n: int, x: Any) -> Any:
    if n == 0:
        value = _digamma(x)  # not digamma: its rule calls polygamma, and rules may not recurse into each other
    else:
        factorial = 1.0
        for k in range(2, n + 1):
            factorial = factorial * k
        sign = 1.0 if n % 2 == 1 else -1.0
        value = sign * factorial * _hurwitz_zeta(n + 1.0, n, x)
        value = np.where(_is_pole(x), np.inf if n % 2 == 1 else np.nan, value)
    return value


polygamma = custom_jvp(_polygamma, nondiff_argnums=(0,))
polygamma.__doc__ = """polygamma(n, x): the n-th derivative of digamma (n >= 0 an int, exact for x > -6, nan below)."""


@polygamma.defjvp
def _polygamma_jvp(n: int, primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    return polygamma(n, x), polygamma(n + 1, x) * t


# -- error functions -------------------------------------------------------------------------------


def erf(x: Any) -> Any:
    """The error function (math.erf elementwise; dp compiles it to the math dialect's erf, derivative built in)."""
    return np.vectorize(math.erf, otypes=[np.asarray(x).dtype if np.asarray(x).dtype.kind == "f" else float])(x)


def erfc(x: Any) -> Any:
    """1 - erf(x), accurate where erf(x) is close to 1 (math.erfc elementwise in Python; math.erfc compiled)."""
    return np.vectorize(math.erfc, otypes=[np.asarray(x).dtype if np.asarray(x).dtype.kind == "f" else float])(x)


_WINITZKI = 0.147  # the constant of Winitzki's closed-form approximation of erfinv (relative error < 2e-3)


def _winitzki(w: Any) -> Any:
    """erfinv(p) approximately, given w = log(1 - p^2) <= 0."""
    t = 2.0 / (math.pi * _WINITZKI) + 0.5 * w
    return np.sqrt(np.sqrt(t * t - w / _WINITZKI) - t)


def _erfinv_halley(p: Any) -> Any:
    """y with erf(y) = p for 0 <= p <= 0.5: Winitzki's guess and three Halley steps (cubic convergence)."""
    y = _winitzki(np.log1p(-p * p))
    for _ in range(3):
        f = erf(y) - p
        slope = (2.0 / math.sqrt(math.pi)) * np.exp(-y * y)
        y = y - f / (slope + y * f)
    return y


def _erfcinv_halley(q: Any) -> Any:
    """y >= 0 with erfc(y) = q for 0 < q <= 1 (solved on erfc itself, so tiny q keeps its precision)."""
    y = _winitzki(np.log(q) + np.log(2.0 - q))
    for _ in range(4):
        f = erfc(y) - q
        slope = -(2.0 / math.sqrt(math.pi)) * np.exp(-y * y)
        y = y - f / (slope + y * f)
    return y


def _erfcinv_unit(q: Any) -> Any:
    """erfcinv(q) for 0 <= q <= 1 (1 - q is exact for q >= 0.5)."""
    near_one = q >= 0.5
    a = _erfinv_halley(np.where(near_one, 1.0 - q, 0.25))
    b = _erfcinv_halley(np.where(near_one, 0.5, np.where(q > 0.0, q, 0.5)))
    return np.where(near_one, a, np.where(q > 0.0, b, np.inf))


@custom_jvp
def erfcinv(q: Any) -> Any:
    """The inverse of erfc on [0, 2]: inf at 0, -inf at 2, nan outside."""
    upper = q > 1.0
    value = _erfcinv_unit(np.where(upper, 2.0 - q, q))
    value = np.where(upper, -value, value)
    return np.where(np.logical_or(q < 0.0, q > 2.0), np.nan, value)


@erfcinv.defjvp
def _erfcinv_jvp(primals: tuple, tangents: tuple) -> tuple:
    (q,), (t,) = primals, tangents
    y = erfcinv(q)
    return y, -_SQRT_PI_2 * np.exp(y * y) * t


@custom_jvp
def erfinv(x: Any) -> Any:
    """The inverse of erf on [-1, 1]: +-inf at +-1, nan outside."""
    a = np.abs(x)
    low = a <= 0.5
    value = np.where(low, _erfinv_halley(np.where(low, a, 0.25)), _erfcinv_unit(np.where(low, 0.5, np.minimum(1.0 - a, 1.0))))
    value = np.where(a > 1.0, np.nan, value)
    return np.where(x < 0.0, -value, value)


@erfinv.defjvp
def _erfinv_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    y = erfinv(x)
    return y, _SQRT_PI_2 * np.exp(y * y) * t


def ndtr(x: Any) -> Any:
    """The standard normal CDF, 0.5 erfc(-x / sqrt 2)."""
    return 0.5 * erfc(-x / _SQRT_2)


@custom_jvp
def ndtri(p: Any) -> Any:
    """The inverse of ndtr: -sqrt(2) erfcinv(2 p)."""
    return -_SQRT_2 * erfcinv(2.0 * p)


@ndtri.defjvp
def _ndtri_jvp(primals: tuple, tangents: tuple) -> tuple:
    (p,), (t,) = primals, tangents
    y = ndtri(p)
    return y, _SQRT_2PI * np.exp(0.5 * y * y) * t


@custom_jvp
def log_ndtr(x: Any) -> Any:
    """log(ndtr(x)) without underflow: log1p(-ndtr(-x)) above 0, log(ndtr) down to -12, the asymptotic series
    below (where erfc would underflow in float32)."""
    upper = np.log1p(-0.5 * erfc(np.where(x > 0.0, x, 0.0) / _SQRT_2))
    xm = np.where(np.logical_and(x <= 0.0, x > -12.0), x, -1.0)
    middle = np.log(0.5 * erfc(-xm / _SQRT_2))
    # ndtr(x) = phi(x) / -x (1 - 1/x^2 + 3/x^4 - 15/x^6 + ...) for x -> -inf.
    xa = np.where(x <= -12.0, x, -12.0)
    r = 1.0 / (xa * xa)
    series = xa * 0.0 + 1.0
    term = xa * 0.0 + 1.0
    for k in range(1, 16):
        term = -term * (2.0 * k - 1.0) * r
        series = series + term
    lower = -0.5 * xa * xa - np.log(-xa) - _LOG_SQRT_2PI + np.log(series)
    return np.where(x > 0.0, upper, np.where(x > -12.0, middle, lower))


@log_ndtr.defjvp
def _log_ndtr_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    y = log_ndtr(x)
    return y, np.exp(-0.5 * x * x - _LOG_SQRT_2PI - y) * t


# -- logistic and entropy functions ----------------------------------------------------------------


@custom_jvp
def expit(x: Any) -> Any:
    """The logistic sigmoid 1 / (1 + exp(-x)), without overflow for either sign."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))


@expit.defjvp
def _expit_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    s = expit(x)
    return s, s * (1.0 - s) * t


def logit(p: Any) -> Any:
    """log(p / (1 - p))."""
    return np.log(p) - np.log1p(-p)


@custom_jvp
def xlogy(x: Any, y: Any) -> Any:
    """x log(y), 0 where x = 0 (whatever y is)."""
    zero = x == 0.0
    return np.where(zero, 0.0, x * np.log(np.where(zero, 1.0, y)))


@xlogy.defjvp
def _xlogy_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, y), (tx, ty) = primals, tangents
    zero = x == 0.0
    ys = np.where(zero, 1.0, y)
    return xlogy(x, y), tx * np.log(y) + np.where(zero, 0.0, ty * x / ys)


@custom_jvp
def xlog1py(x: Any, y: Any) -> Any:
    """x log1p(y), 0 where x = 0."""
    zero = x == 0.0
    return np.where(zero, 0.0, x * np.log1p(np.where(zero, 0.0, y)))


@xlog1py.defjvp
def _xlog1py_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, y), (tx, ty) = primals, tangents
    zero = x == 0.0
    ys = np.where(zero, 0.0, y)
    return xlog1py(x, y), tx * np.log1p(y) + np.where(zero, 0.0, ty * x / (1.0 + ys))


def entr(x: Any) -> Any:
    """-x log(x) for x > 0, 0 at 0, -inf below."""
    positive = x > 0.0
    value = -x * np.log(np.where(positive, x, 1.0))
    return np.where(positive, value, np.where(x == 0.0, x * 0.0, -np.inf))


def rel_entr(x: Any, y: Any) -> Any:
    """x log(x / y) for x, y > 0; 0 for x = 0 <= y; inf otherwise."""
    both = np.logical_and(x > 0.0, y > 0.0)
    value = x * np.log(np.where(both, x, 1.0) / np.where(both, y, 1.0))
    return np.where(both, value, np.where(np.logical_and(x == 0.0, y >= 0.0), value * 0.0, np.inf))


# -- derivatives dp does not provide -----------------------------------------------------------------


class _NoDerivative(custom_jvp):
    """The identity, with a rule that is an error where a derivative reaches it (dp.missing_rule)."""

    def __init__(self, message: str) -> None:
        super().__init__(_identity)
        self.message = message

    def rule_functions(self) -> tuple:
        raise TypeMismatchError(self.message)


def _identity(x: Any) -> Any:
    return x


def no_derivative(function: str, parameter: str) -> _NoDerivative:
    return _NoDerivative(f"{function} is not differentiable with respect to {parameter}")


# -- incomplete gamma and beta functions -------------------------------------------------------------

_ITERATIONS = 120  # of the series and continued fractions below: enough for arguments up to about 100
_TINY = 1e-300


def _gammainc_series(a: Any, x: Any) -> Any:
    """P(a, x) = x^a e^-x / gamma(a + 1) sum_k x^k / ((a + 1) ... (a + k)), for x < a + 1."""
    term = x * 0.0 + 1.0
    total = term
    for k in range(1, _ITERATIONS):
        term = term * x / (a + k)
        total = total + term
    return np.exp(a * np.log(x) - x - gammaln(a + 1.0)) * total


def _gammaincc_fraction(a: Any, x: Any) -> Any:
    """Q(a, x) by its continued fraction (modified Lentz), for x >= a + 1."""
    b = x + 1.0 - a
    c = x * 0.0 + 1.0 / _TINY
    d = 1.0 / b
    h = d
    for i in range(1, _ITERATIONS):
        an = -i * (i - a)
        b = b + 2.0
        d = an * d + b
        d = np.where(np.abs(d) < _TINY, _TINY, d)
        c = b + an / c
        c = np.where(np.abs(c) < _TINY, _TINY, c)
        d = 1.0 / d
        h = h * d * c
    return np.exp(a * np.log(x) - x - gammaln(a)) * h


def _gammainc_pair(a: Any, x: Any) -> tuple:
    """(P(a, x), Q(a, x)) for a > 0 and x > 0, each from the expansion that converges for it."""
    series = x < a + 1.0
    p = _gammainc_series(a, np.where(series, x, a))
    q = _gammaincc_fraction(a, np.where(series, a + 1.0, x))
    return np.where(series, p, 1.0 - q), np.where(series, 1.0 - p, q)


def _gammainc_edges(a: Any, x: Any, value: Any, at_zero: float) -> Any:
    """nan for a < 0 or x < 0, the limits at x = 0 and a = 0 (P(0, x) = 1)."""
    value = np.where(x == 0.0, at_zero, value)
    value = np.where(np.logical_and(a == 0.0, x > 0.0), 1.0 - at_zero, value)
    return np.where(np.logical_or(a < 0.0, x < 0.0), np.nan, value)


def _gammainc_x(a: Any, x: Any) -> Any:
    safe = np.logical_and(a > 0.0, x > 0.0)
    p, _ = _gammainc_pair(np.where(safe, a, 1.0), np.where(safe, x, 1.0))
    return _gammainc_edges(a, x, p, 0.0)


def _gammaincc_x(a: Any, x: Any) -> Any:
    safe = np.logical_and(a > 0.0, x > 0.0)
    _, q = _gammainc_pair(np.where(safe, a, 1.0), np.where(safe, x, 1.0))
    return _gammainc_edges(a, x, q, 1.0)


def _gammainc_density(a: Any, x: Any) -> Any:
    """dP(a, x)/dx = x^(a - 1) e^-x / gamma(a)."""
    return np.exp(xlogy(a - 1.0, x) - x - gammaln(a))


_gammainc_of_x = custom_jvp(_gammainc_x, nondiff_argnums=(0,))
_gammaincc_of_x = custom_jvp(_gammaincc_x, nondiff_argnums=(0,))


@_gammainc_of_x.defjvp
def _gammainc_jvp(a: Any, primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    return _gammainc_of_x(a, x), _gammainc_density(a, x) * t


@_gammaincc_of_x.defjvp
def _gammaincc_jvp(a: Any, primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    return _gammaincc_of_x(a, x), -_gammainc_density(a, x) * t


def _betainc_fraction(a: Any, b: Any, x: Any) -> Any:
    """I_x(a, b) by its continued fraction (modified Lentz), for x < (a + 1) / (a + b + 2)."""
    c = x * 0.0 + 1.0
    d = 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / np.where(np.abs(d) < _TINY, _TINY, d)
    h = d
    for m in range(1, _ITERATIONS):
        even = m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m))
        d = 1.0 + even * d
        d = 1.0 / np.where(np.abs(d) < _TINY, _TINY, d)
        c = 1.0 + even / c
        c = np.where(np.abs(c) < _TINY, _TINY, c)
        h = h * d * c
        odd = -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0))
        d = 1.0 + odd * d
        d = 1.0 / np.where(np.abs(d) < _TINY, _TINY, d)
        c = 1.0 + odd / c
        c = np.where(np.abs(c) < _TINY, _TINY, c)
        h = h * d * c
    return np.exp(a * np.log(x) + b * np.log1p(-x) - betaln(a, b)) * h / a


def _betainc_x(a: Any, b: Any, x: Any) -> Any:
    inside = np.logical_and(x > 0.0, x < 1.0)
    xs = np.where(inside, x, 0.5)
    direct = xs < (a + 1.0) / (a + b + 2.0)
    low = _betainc_fraction(a, b, np.where(direct, xs, 0.0 * xs + 0.25 * (a + 1.0) / (a + b + 2.0)))
    high = _betainc_fraction(b, a, np.where(direct, 0.5 + 0.0 * xs, 1.0 - xs))
    value = np.where(direct, low, 1.0 - high)
    value = np.where(x <= 0.0, 0.0 * value, np.where(x >= 1.0, 1.0 + 0.0 * value, value))
    return np.where(np.logical_or(np.logical_or(a <= 0.0, b <= 0.0), np.logical_or(x < 0.0, x > 1.0)), np.nan, value)


_betainc_of_x = custom_jvp(_betainc_x, nondiff_argnums=(0, 1))


@_betainc_of_x.defjvp
def _betainc_jvp(a: Any, b: Any, primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    density = np.exp(xlogy(a - 1.0, x) + xlog1py(b - 1.0, -x) - betaln(a, b))
    return _betainc_of_x(a, b, x), density * t


_GAMMAINC_A = no_derivative("scipy.special.gammainc", "its first argument a (only x)")
_GAMMAINCC_A = no_derivative("scipy.special.gammaincc", "its first argument a (only x)")
_BETAINC_A = no_derivative("scipy.special.betainc", "its argument a (only x)")
_BETAINC_B = no_derivative("scipy.special.betainc", "its argument b (only x)")


def gammainc(a: Any, x: Any) -> Any:
    """The regularized lower incomplete gamma function P(a, x), differentiable in x."""
    return _gammainc_of_x(_GAMMAINC_A(a), x)


def gammaincc(a: Any, x: Any) -> Any:
    """The regularized upper incomplete gamma function Q(a, x) = 1 - P(a, x), differentiable in x."""
    return _gammaincc_of_x(_GAMMAINCC_A(a), x)


def betainc(a: Any, b: Any, x: Any) -> Any:
    """The regularized incomplete beta function I_x(a, b), differentiable in x."""
    return _betainc_of_x(_BETAINC_A(a), _BETAINC_B(b), x)


# -- modified Bessel functions of the first kind -------------------------------------------------------


def _ive_nonnegative(v: Any, x: Any) -> Any:
    """I_v(x) e^-x for v >= 0 and x >= 0: the power series (its terms are positive; as many as the largest x
    needs) up to x = 600, the asymptotic expansion e^x / sqrt(2 pi x) sum_k (-1)^k a_k(v) / x^k beyond, where
    it converges for 4 v^2 < x (nan for larger orders there)."""
    big = x > 600.0
    xs = np.where(np.logical_or(big, x == 0.0), 1.0, x)
    h = 0.5 * xs
    term = np.exp(v * np.log(h) - gammaln(v + 1.0) - xs)
    total = term
    for k in range(1, 60 + int(np.max(xs))):
        term = term * h * h / (k * (k + v))
        total = total + term
    xl = np.where(big, x, 1000.0)
    mu = 4.0 * v * v
    term = xl * 0.0 + 1.0
    series = term
    for k in range(1, 30):
        term = -term * (mu - (2.0 * k - 1.0) ** 2) / (8.0 * k * xl)
        series = series + term
    asymptotic = np.where(mu < xl, series / np.sqrt(2.0 * math.pi * xl), np.nan)
    value = np.where(big, asymptotic, total)
    return np.where(x == 0.0, np.where(v == 0.0, 1.0 + 0.0 * value, 0.0 * value), value)


def _ive(v: Any, x: Any) -> Any:
    """I_v(x) e^-|x| for real x; orders below 0 and negative x for fractional orders are nan."""
    order = np.abs(v)
    fractional = order != np.floor(order)
    value = _ive_nonnegative(order, np.abs(x))
    parity = order - 2.0 * np.floor(0.5 * order)
    value = np.where(x < 0.0, (1.0 - 2.0 * parity) * value, value)
    return np.where(np.logical_and(fractional, np.logical_or(v < 0.0, x < 0.0)), np.nan, value)


def _bessel_x_derivative(v: Any, x: Any, value: Any, next_order: Any) -> Any:
    """d/dx I_v(x) = I_{v+1}(x) + (v / x) I_v(x) (I_1 for v = 0), the same for the scaled ones."""
    return np.where(v == 0.0, next_order, next_order + v / np.where(x == 0.0, 1.0, x) * value)


def _iv(v: Any, x: Any) -> Any:
    return _ive(v, x) * np.exp(np.abs(x))


_ive_of_x = custom_jvp(_ive, nondiff_argnums=(0,))
_iv_of_x = custom_jvp(_iv, nondiff_argnums=(0,))


@_iv_of_x.defjvp
def _iv_jvp(v: Any, primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    value = _iv_of_x(v, x)
    return value, _bessel_x_derivative(v, x, value, _iv_of_x(v + 1.0, x)) * t


@_ive_of_x.defjvp
def _ive_jvp(v: Any, primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    value = _ive_of_x(v, x)
    slope = _bessel_x_derivative(v, x, value, _ive_of_x(v + 1.0, x)) - np.sign(x) * value
    return value, slope * t


_IV_V = no_derivative("scipy.special.iv", "its order v (only x)")
_IVE_V = no_derivative("scipy.special.ive", "its order v (only x)")


def iv(v: Any, x: Any) -> Any:
    """The modified Bessel function of the first kind I_v(x), differentiable in x."""
    return _iv_of_x(_IV_V(v), x)


def ive(v: Any, x: Any) -> Any:
    """I_v(x) exp(-|x|), differentiable in x."""
    return _ive_of_x(_IVE_V(v), x)


def i0(x: Any) -> Any:
    """I_0(x)."""
    return _iv_of_x(0.0, x)


def i1(x: Any) -> Any:
    """I_1(x)."""
    return _iv_of_x(1.0, x)


def i0e(x: Any) -> Any:
    """I_0(x) exp(-|x|)."""
    return _ive_of_x(0.0, x)


def i1e(x: Any) -> Any:
    """I_1(x) exp(-|x|)."""
    return _ive_of_x(1.0, x)
