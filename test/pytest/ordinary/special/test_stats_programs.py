"""Programs built on scipy.stats' distributions, checked against jax.scipy.stats twins in both modes, to second
order, in float64 and float32 (central differences where JAX has no twin)."""

from __future__ import annotations

import jax.numpy as jnp
import jax.scipy.special as jsp
import jax.scipy.stats as jst
import numpy as np
import pytest
import scipy.special as sp
import scipy.stats as st

from ordinary.special.harness import check, check_fd, rng


# 1. Black-Scholes: a call's price from norm.cdf, differentiated in spot, volatility and rate (its greeks).
def black_scholes(spot, sigma, rate):
    strike, t = 100.0, 0.75
    d1 = (np.log(spot / strike) + (rate + 0.5 * sigma * sigma) * t) / (sigma * np.sqrt(t))
    d2 = d1 - sigma * np.sqrt(t)
    price = spot * st.norm.cdf(d1) - strike * np.exp(-rate * t) * st.norm.cdf(d2)
    return np.sum(price)


def black_scholes_jax(spot, sigma, rate):
    strike, t = 100.0, 0.75
    d1 = (jnp.log(spot / strike) + (rate + 0.5 * sigma * sigma) * t) / (sigma * jnp.sqrt(t))
    d2 = d1 - sigma * jnp.sqrt(t)
    return jnp.sum(spot * jst.norm.cdf(d1) - strike * jnp.exp(-rate * t) * jst.norm.cdf(d2))


def test_black_scholes_greeks():
    check(black_scholes, black_scholes_jax, [np.array([80.0, 100.0, 125.0]), np.array([0.2, 0.35, 0.5]), np.array([0.01, 0.03, 0.05])], (0, 1, 2))


# 2. Robust regression: Student-t log-likelihood in the coefficients, df, and scale.
def t_regression(w, df, scale, X, y):
    return -np.sum(st.t.logpdf(y, df, loc=X @ w, scale=scale))


def t_regression_jax(w, df, scale, X, y):
    return -jnp.sum(jst.t.logpdf(y, df, loc=X @ w, scale=scale))


def test_student_t_regression():
    X = rng(1).standard_normal((6, 2))
    y = X @ np.array([1.0, -0.5]) + rng(2).standard_t(3.0, 6)
    check(t_regression, t_regression_jax, [np.array([0.8, -0.3]), 3.5, 1.2, X, y], (0, 1, 2))


# 3. Poisson regression: logpmf with a log link, and pmf/cdf of the same counts in mu.
def poisson_regression(w, X, counts):
    mu = np.exp(X @ w)
    return -np.sum(st.poisson.logpmf(counts, mu)) + np.sum(st.poisson.pmf(counts, mu)) + np.sum(st.poisson.cdf(counts, mu))


def poisson_regression_jax(w, X, counts):
    mu = jnp.exp(X @ w)
    return -jnp.sum(jst.poisson.logpmf(counts, mu)) + jnp.sum(jst.poisson.pmf(counts, mu)) + jnp.sum(jst.poisson.cdf(counts, mu))


def test_poisson_regression():
    X = rng(3).standard_normal((7, 3)) * 0.5
    check(poisson_regression, poisson_regression_jax, [np.array([0.5, -0.2, 0.3]), X, np.array([0.0, 1.0, 4.0, 2.0, 0.0, 7.0, 3.0])])


# 4. A gamma likelihood in shape and scale, and its CDF in x.
def gamma_model(a, scale, x):
    return -np.sum(st.gamma.logpdf(x, a, scale=scale)) + np.sum(st.gamma.pdf(x, a, scale=scale)) + np.sum(st.gamma.cdf(x, 2.5, scale=1.5))


def gamma_model_jax(a, scale, x):
    return (-jnp.sum(jst.gamma.logpdf(x, a, scale=scale)) + jnp.sum(jst.gamma.pdf(x, a, scale=scale))
            + jnp.sum(jst.gamma.cdf(x, 2.5, scale=1.5)))


def test_gamma_distribution():
    check(gamma_model, gamma_model_jax, [np.array([1.5, 2.5, 0.8, 4.0]), np.array([0.7, 1.2, 2.0, 0.9]), np.array([0.5, 1.7, 3.2, 6.0])], (0, 1, 2))


# 5. A beta likelihood in a and b, and its CDF in x (with loc and scale).
def beta_model(a, b, x):
    return (-np.sum(st.beta.logpdf(x, a, b)) + np.sum(st.beta.pdf(x, a, b))
            + np.sum(st.beta.cdf(2.0 * x + 1.0, 2.0, 3.0, loc=1.0, scale=2.0)))


def beta_model_jax(a, b, x):
    return (-jnp.sum(jst.beta.logpdf(x, a, b)) + jnp.sum(jst.beta.pdf(x, a, b))
            + jnp.sum(jst.beta.cdf(2.0 * x + 1.0, 2.0, 3.0, loc=1.0, scale=2.0)))


def test_beta_distribution():
    check(beta_model, beta_model_jax, [np.array([1.5, 2.5, 0.8]), np.array([3.0, 1.2, 2.2]), np.array([0.2, 0.55, 0.9])], (0, 1, 2))


# 6. chi2: density and log density in df and x, the CDF in x.
def chi2_model(df, x):
    return np.sum(st.chi2.logpdf(x, df) + st.chi2.pdf(x, df) + st.chi2.cdf(x, 3.0) + st.chi2.sf(x, 2.0))


def chi2_model_jax(df, x):
    return jnp.sum(jst.chi2.logpdf(x, df) + jst.chi2.pdf(x, df) + jst.chi2.cdf(x, 3.0) + jst.chi2.sf(x, 2.0))


def test_chi2_distribution():
    check(chi2_model, chi2_model_jax, [np.array([1.0, 2.0, 3.5, 6.0]), np.array([0.3, 1.5, 2.5, 9.0])], (0, 1))


# 7. A Dirichlet log density, in alpha and in x (normalized, so that it stays on the simplex).
def dirichlet_model(alpha, w):
    x = w / np.sum(w)
    return st.dirichlet.logpdf(x, alpha) + 0.1 * st.dirichlet.pdf(x, alpha)


def dirichlet_model_jax(alpha, w):
    x = w / jnp.sum(w)
    return jst.dirichlet.logpdf(x, alpha) + 0.1 * jst.dirichlet.pdf(x, alpha)


def test_dirichlet():
    check(dirichlet_model, dirichlet_model_jax, [np.array([1.5, 2.2, 3.1, 1.3]), np.array([0.2, 0.3, 0.1, 0.4])], (0, 1))


# 8. The normal distribution's functions under broadcasting (the shapes of the autograd suite's tests).
def norm_all(x, loc, scale):
    return np.sum(st.norm.pdf(x, loc, scale) + st.norm.logpdf(x, loc, scale) + st.norm.cdf(x, loc, scale)
                  + st.norm.logcdf(x, loc, scale) + st.norm.sf(x, loc, scale) + st.norm.logsf(x, loc, scale))


def norm_all_jax(x, loc, scale):
    return jnp.sum(jst.norm.pdf(x, loc, scale) + jst.norm.logpdf(x, loc, scale) + jst.norm.cdf(x, loc, scale)
                   + jst.norm.logcdf(x, loc, scale) + jst.norm.sf(x, loc, scale) + jst.norm.logsf(x, loc, scale))


def test_norm_broadcast():
    r = rng(4)
    check(norm_all, norm_all_jax, [r.standard_normal((4, 3)), r.standard_normal((1, 3)), r.standard_normal((4, 1)) ** 2 + 1.1], (0, 1, 2))


def norm_quantiles(q, loc, scale):
    return np.sum(st.norm.ppf(q, loc, scale) ** 2)


def norm_quantiles_jax(q, loc, scale):
    return jnp.sum(jst.norm.ppf(q, loc, scale) ** 2)


def test_norm_ppf():
    check(norm_quantiles, norm_quantiles_jax, [np.array([0.001, 0.2, 0.5, 0.93]), 0.5, 2.0], (0, 1, 2))


# 9. Student's t CDF in x and loc (JAX has no t.cdf: central differences), logcdf and sf.
def t_tails(x, loc):
    return np.sum(st.t.cdf(x, 4.5, loc, 1.3) + st.t.logcdf(x, 2.5, loc) + st.t.sf(x, 7.0, loc) ** 2)


def test_t_cdf_differences():
    check_fd(t_tails, [np.array([-2.0, -0.3, 0.4, 3.0]), np.array([0.1, -0.2, 0.3, 0.0])], (0, 1))
    x = np.array([-2.0, -0.3, 0.4, 3.0])
    loc = np.array([0.1, -0.2, 0.3, 0.0])
    expected = np.sum(st.t.cdf(x, 4.5, loc, 1.3) + st.t.logcdf(x, 2.5, loc) + st.t.sf(x, 7.0, loc) ** 2)
    import dp

    np.testing.assert_allclose(dp.compile(t_tails)(x, loc), expected, rtol=1e-12)


# 10. Bessel functions of any order in x (central differences) and their values against scipy.
def bessel_orders(x):
    return np.sum(sp.iv(2.5, x) * sp.ive(0.5, x) + sp.iv(3.0, -x) + sp.ive(7.0, x * 3.0))


def test_iv_ive_differences():
    x = np.array([0.3, 1.7, 4.0, 11.0])
    check_fd(bessel_orders, [x])
    import dp

    expected = np.sum(sp.iv(2.5, x) * sp.ive(0.5, x) + sp.iv(3.0, -x) + sp.ive(7.0, x * 3.0))
    np.testing.assert_allclose(dp.compile(bessel_orders)(x), expected, rtol=1e-12)


# 11. A multivariate normal log-likelihood of 5 points in the mean and the (symmetrized) covariance.
def mvn_model(x, mean, cov):
    c = 0.5 * (cov + cov.T)
    return np.sum(st.multivariate_normal.logpdf(x, mean, c)) + st.multivariate_normal.pdf(x[0], mean, c)


def mvn_model_jax(x, mean, cov):
    c = 0.5 * (cov + cov.T)
    return jnp.sum(jst.multivariate_normal.logpdf(x, mean, c)) + jst.multivariate_normal.pdf(x[0], mean, c)


def test_multivariate_normal():
    r = rng(5)
    a = r.standard_normal((3, 3))
    check(mvn_model, mvn_model_jax, [r.standard_normal((5, 3)), r.standard_normal(3), a @ a.T + np.eye(3)], (1, 0, 2))
