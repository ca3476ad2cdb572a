"""scipy.stats' common distributions (pdf, logpdf, cdf, logcdf, sf, logsf, ppf) as numpy code dp compiles.

Each function takes the arguments scipy's method takes, loc and scale
included, broadcasting as scipy does. Densities outside the support are 0
(log density -inf). Derivatives come from dp.library.special's rules; those
it does not provide (a cdf with respect to its shape parameter) are errors
where one is requested.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from dp.library.special import (
    no_derivative,
    betainc,
    betaln,
    gammainc,
    gammaincc,
    gammaln,
    log_ndtr,
    ndtr,
    ndtri,
    xlog1py,
    xlogy,
)

_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
_LOG_PI = math.log(math.pi)

# The CDFs are differentiable in x, loc and scale, not in their shape parameters.
_T_DF = no_derivative("the CDF of scipy.stats.t", "df (only x, loc and scale)")
_GAMMA_A = no_derivative("the CDF of scipy.stats.gamma", "a (only x, loc and scale)")
_CHI2_DF = no_derivative("the CDF of scipy.stats.chi2", "df (only x, loc and scale)")
_BETA_AB = no_derivative("the CDF of scipy.stats.beta", "a or b (only x, loc and scale)")


# -- norm ----------------------------------------------------------------------------------------------


def norm_logpdf(x: Any, loc: Any, scale: Any) -> Any:
    """log N(x; loc, scale^2)."""
    z = (x - loc) / scale
    return -0.5 * z * z - np.log(scale) - _LOG_SQRT_2PI


def norm_pdf(x: Any, loc: Any, scale: Any) -> Any:
    """N(x; loc, scale^2)."""
    return np.exp(norm_logpdf(x, loc, scale))


def norm_cdf(x: Any, loc: Any, scale: Any) -> Any:
    """The normal CDF."""
    return ndtr((x - loc) / scale)


def norm_logcdf(x: Any, loc: Any, scale: Any) -> Any:
    """The log of the normal CDF (no underflow in the lower tail)."""
    return log_ndtr((x - loc) / scale)


def norm_sf(x: Any, loc: Any, scale: Any) -> Any:
    """1 - cdf, accurate in the upper tail."""
    return ndtr((loc - x) / scale)


def norm_logsf(x: Any, loc: Any, scale: Any) -> Any:
    """log(1 - cdf)."""
    return log_ndtr((loc - x) / scale)


def norm_ppf(q: Any, loc: Any, scale: Any) -> Any:
    """The quantile function."""
    return loc + scale * ndtri(q)


# -- t -------------------------------------------------------------------------------------------------


def t_logpdf(x: Any, df: Any, loc: Any, scale: Any) -> Any:
    """log of Student's t density."""
    z = (x - loc) / scale
    half = 0.5 * (df + 1.0)
    return (
        gammaln(half) - gammaln(0.5 * df) - 0.5 * (np.log(df) + _LOG_PI) - np.log(scale)
        - half * np.log1p(z * z / df)
    )


def t_pdf(x: Any, df: Any, loc: Any, scale: Any) -> Any:
    """Student's t density."""
    return np.exp(t_logpdf(x, df, loc, scale))


def t_cdf(x: Any, df: Any, loc: Any, scale: Any) -> Any:
    """Student's t CDF: I_{df / (df + z^2)}(df / 2, 1 / 2) / 2 on each side of 0."""
    z = (x - loc) / scale
    df = _T_DF(df)
    tail = 0.5 * betainc(0.5 * df, 0.5, df / (df + z * z))
    return np.where(z < 0.0, tail, 1.0 - tail)


def t_logcdf(x: Any, df: Any, loc: Any, scale: Any) -> Any:
    """log of Student's t CDF."""
    return np.log(t_cdf(x, df, loc, scale))


def t_sf(x: Any, df: Any, loc: Any, scale: Any) -> Any:
    """1 - cdf of Student's t."""
    return t_cdf(2.0 * loc - x, df, loc, scale)


# -- gamma, chi2, beta --------------------------------------------------------------------------------


def gamma_logpdf(x: Any, a: Any, loc: Any, scale: Any) -> Any:
    """log of the gamma density with shape a."""
    z = (x - loc) / scale
    inside = z >= 0.0
    zs = np.where(inside, z, 1.0)
    value = xlogy(a - 1.0, zs) - zs - gammaln(a) - np.log(scale)
    return np.where(inside, value, -np.inf)


def gamma_pdf(x: Any, a: Any, loc: Any, scale: Any) -> Any:
    """The gamma density."""
    return np.exp(gamma_logpdf(x, a, loc, scale))


def gamma_cdf(x: Any, a: Any, loc: Any, scale: Any) -> Any:
    """P(a, (x - loc) / scale), 0 below loc."""
    z = (x - loc) / scale
    return gammainc(_GAMMA_A(a), np.maximum(z, 0.0))


def gamma_sf(x: Any, a: Any, loc: Any, scale: Any) -> Any:
    """Q(a, (x - loc) / scale)."""
    z = (x - loc) / scale
    return gammaincc(_GAMMA_A(a), np.maximum(z, 0.0))


def gamma_logcdf(x: Any, a: Any, loc: Any, scale: Any) -> Any:
    """log of the gamma CDF."""
    return np.log(gamma_cdf(x, a, loc, scale))


def chi2_logpdf(x: Any, df: Any, loc: Any, scale: Any) -> Any:
    """log of the chi-squared density: gamma with shape df / 2 and scale 2."""
    return gamma_logpdf(x, 0.5 * df, loc, 2.0 * scale)


def chi2_pdf(x: Any, df: Any, loc: Any, scale: Any) -> Any:
    """The chi-squared density."""
    return np.exp(chi2_logpdf(x, df, loc, scale))


def chi2_cdf(x: Any, df: Any, loc: Any, scale: Any) -> Any:
    """The chi-squared CDF."""
    return gamma_cdf(x, 0.5 * _CHI2_DF(df), loc, 2.0 * scale)


def chi2_sf(x: Any, df: Any, loc: Any, scale: Any) -> Any:
    """1 - the chi-squared CDF."""
    return gamma_sf(x, 0.5 * _CHI2_DF(df), loc, 2.0 * scale)


def chi2_logcdf(x: Any, df: Any, loc: Any, scale: Any) -> Any:
    """log of the chi-squared CDF."""
    return np.log(chi2_cdf(x, df, loc, scale))


def beta_logpdf(x: Any, a: Any, b: Any, loc: Any, scale: Any) -> Any:
    """log of the beta density."""
    z = (x - loc) / scale
    inside = np.logical_and(z >= 0.0, z <= 1.0)
    zs = np.where(inside, z, 0.5)
    value = xlogy(a - 1.0, zs) + xlog1py(b - 1.0, -zs) - betaln(a, b) - np.log(scale)
    return np.where(inside, value, -np.inf)


def beta_pdf(x: Any, a: Any, b: Any, loc: Any, scale: Any) -> Any:
    """The beta density."""
    return np.exp(beta_logpdf(x, a, b, loc, scale))


def beta_cdf(x: Any, a: Any, b: Any, loc: Any, scale: Any) -> Any:
    """I_z(a, b) with z = (x - loc) / scale clipped to [0, 1]."""
    z = (x - loc) / scale
    return betainc(_BETA_AB(a), _BETA_AB(b), np.clip(z, 0.0, 1.0))


def beta_logcdf(x: Any, a: Any, b: Any, loc: Any, scale: Any) -> Any:
    """log of the beta CDF."""
    return np.log(beta_cdf(x, a, b, loc, scale))


def beta_sf(x: Any, a: Any, b: Any, loc: Any, scale: Any) -> Any:
    """1 - the beta CDF, from the reflected distribution."""
    z = (x - loc) / scale
    return betainc(_BETA_AB(b), _BETA_AB(a), np.clip(1.0 - z, 0.0, 1.0))


# -- poisson --------------------------------------------------------------------------------------------


def poisson_logpmf(k: Any, mu: Any, loc: Any) -> Any:
    """log P(K = k) for K ~ Poisson(mu) shifted by loc: -inf off the non-negative integers."""
    n = k - loc
    valid = np.logical_and(n >= 0.0, n == np.floor(n))
    ns = np.where(valid, n, 0.0)
    value = xlogy(ns, mu) - gammaln(ns + 1.0) - mu
    return np.where(valid, value, -np.inf)


def poisson_pmf(k: Any, mu: Any, loc: Any) -> Any:
    """P(K = k)."""
    return np.exp(poisson_logpmf(k, mu, loc))


def poisson_cdf(k: Any, mu: Any, loc: Any) -> Any:
    """P(K <= k) = Q(floor(k) + 1, mu), 0 below loc."""
    n = np.floor(k - loc)
    valid = n >= 0.0
    value = gammaincc(np.where(valid, n, 0.0) + 1.0, mu)
    return np.where(valid, value, 0.0 * value)


def poisson_logcdf(k: Any, mu: Any, loc: Any) -> Any:
    """log P(K <= k)."""
    return np.log(poisson_cdf(k, mu, loc))


def poisson_sf(k: Any, mu: Any, loc: Any) -> Any:
    """P(K > k) = P(floor(k) + 1, mu), 1 below loc."""
    n = np.floor(k - loc)
    valid = n >= 0.0
    value = gammainc(np.where(valid, n, 0.0) + 1.0, mu)
    return np.where(valid, value, 1.0 + 0.0 * value)


# -- dirichlet ------------------------------------------------------------------------------------------


def dirichlet_logpdf(x: Any, alpha: Any) -> Any:
    """log of the Dirichlet density of x (one point of shape (k,), or k points as the columns of (k, n))."""
    a = np.reshape(alpha, np.shape(alpha) + (1,) * (np.ndim(x) - 1))
    norm = np.sum(gammaln(alpha)) - gammaln(np.sum(alpha))
    return np.sum(xlogy(a - 1.0, x), axis=0) - norm


def dirichlet_pdf(x: Any, alpha: Any) -> Any:
    """The Dirichlet density."""
    return np.exp(dirichlet_logpdf(x, alpha))


# -- multivariate_normal --------------------------------------------------------------------------------


def mvn_logpdf(x: Any, mean: Any, cov: Any) -> Any:
    """log N(x; mean, cov) for one point x of shape (k,) or n points as the rows of (n, k) (np.linalg's solve
    and slogdet: LAPACK, with their matrix derivative rules)."""
    k = np.shape(cov)[0]
    d = x - mean
    _, logdet = np.linalg.slogdet(cov)
    if np.ndim(d) == 1:
        maha = np.sum(d * np.linalg.solve(cov, d))
    else:
        maha = np.sum(d.T * np.linalg.solve(cov, d.T), axis=0)
    return -0.5 * (k * math.log(2.0 * math.pi) + logdet + maha)


def mvn_pdf(x: Any, mean: Any, cov: Any) -> Any:
    """N(x; mean, cov)."""
    return np.exp(mvn_logpdf(x, mean, cov))
