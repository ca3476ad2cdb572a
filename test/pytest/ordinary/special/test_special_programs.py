"""Programs built on scipy.special and math's special functions, checked against JAX twins in both modes,
to second order, in float64 and float32."""

from __future__ import annotations

import math

import jax.numpy as jnp
import jax.scipy.special as jsp
import numpy as np
import pytest
import scipy.special as sp

from ordinary.special.harness import check, rng


# 1. Negative binomial log-likelihood in (r, p) through gammaln.
def negbin_nll(r, logit_p, counts):
    p = sp.expit(logit_p)
    ll = sp.gammaln(counts + r) - sp.gammaln(r) - sp.gammaln(counts + 1.0) + r * np.log(p) + counts * np.log1p(-p)
    return -np.sum(ll)


def negbin_nll_jax(r, logit_p, counts):
    p = jsp.expit(logit_p)
    ll = jsp.gammaln(counts + r) - jsp.gammaln(r) - jsp.gammaln(counts + 1.0) + r * jnp.log(p) + counts * jnp.log1p(-p)
    return -jnp.sum(ll)


def test_negative_binomial_likelihood():
    r = rng(0).uniform(0.5, 4.0, 5)
    check(negbin_nll, negbin_nll_jax, [r, rng(1).standard_normal(5), np.array([0.0, 3.0, 1.0, 7.0, 2.0])], (0, 1))


# 2. The gamma distribution's Fisher information: trigamma and digamma (polygamma of two orders).
def gamma_fisher(a, b):
    info_aa = sp.polygamma(1, a)
    return np.sum(info_aa * a / b + sp.digamma(a) * b - sp.polygamma(2, a) * 0.1)


def gamma_fisher_jax(a, b):
    return jnp.sum(jsp.polygamma(1, a) * a / b + jsp.digamma(a) * b - jsp.polygamma(2, a) * 0.1)


def test_polygamma_fisher_information():
    check(gamma_fisher, gamma_fisher_jax, [rng(2).uniform(0.3, 8.0, 6), rng(3).uniform(0.5, 2.0, 6)], (0, 1))


# 3. Scalar code with math's special functions (Python floats).
def scalar_specials(x, y):
    return math.lgamma(x) + math.gamma(y) * math.erf(x - y) + math.erfc(y) + math.expm1(x / 3.0) * math.log1p(y)


def scalar_specials_jax(x, y):
    return (jsp.gammaln(x) + jnp.exp(jsp.gammaln(y)) * jsp.erf(x - y) + jsp.erfc(y)
            + jnp.expm1(x / 3.0) * jnp.log1p(y))


@pytest.mark.parametrize("x, y", [(2.5, 1.3), (0.7, 3.1), (5.5, 0.4)])
def test_math_lgamma_gamma_erf(x, y):
    check(scalar_specials, scalar_specials_jax, [x, y], (0, 1))


# 4. A logistic regression loss with expit and xlogy (the cross-entropy as scipy users write it).
def logistic_loss(w, X, y):
    p = sp.expit(X @ w)
    return -np.sum(sp.xlogy(y, p) + sp.xlog1py(1.0 - y, -p)) + 0.1 * np.sum(w * w)


def logistic_loss_jax(w, X, y):
    p = jsp.expit(X @ w)
    return -jnp.sum(jsp.xlogy(y, p) + jsp.xlog1py(1.0 - y, -p)) + 0.1 * jnp.sum(w * w)


def test_logistic_regression_xlogy():
    X = rng(4).standard_normal((8, 3))
    y = (rng(5).uniform(size=8) > 0.5).astype(np.float64)
    check(logistic_loss, logistic_loss_jax, [rng(6).standard_normal(3), X, y])


# 5. A mixture of Gaussians' log-likelihood with logsumexp (axis, b=weights).
def mixture_ll(means, x, weights):
    d = x[:, None] - means[None, :]
    return np.sum(sp.logsumexp(-0.5 * d * d, axis=1, b=weights[None, :]))


def mixture_ll_jax(means, x, weights):
    d = x[:, None] - means[None, :]
    return jnp.sum(jsp.logsumexp(-0.5 * d * d, axis=1, b=weights[None, :]))


def test_mixture_logsumexp_weights():
    check(mixture_ll, mixture_ll_jax, [np.array([-1.0, 0.5, 2.0]), rng(7).standard_normal(6), np.array([0.2, 0.5, 0.3])], (0, 2))


@pytest.mark.parametrize("axis, keepdims", [(None, False), (0, True), (1, False), ((0, 1), True)])
def test_logsumexp_axis_keepdims(axis, keepdims):
    def f(a):
        return np.sum(sp.logsumexp(a, axis=axis, keepdims=keepdims) ** 2)

    def f_jax(a):
        return jnp.sum(jsp.logsumexp(a, axis=axis, keepdims=keepdims) ** 2)

    check(f, f_jax, [rng(8).standard_normal((3, 4))])


# 6. A probit model: log_ndtr of a linear predictor, both tails (log_ndtr is exact far out).
def probit_ll(w, X, signs):
    return np.sum(sp.log_ndtr(signs * (X @ w)))


def probit_ll_jax(w, X, signs):
    return jnp.sum(jsp.log_ndtr(signs * (X @ w)))


def test_probit_log_ndtr():
    X = rng(9).standard_normal((7, 2)) * 2.0  # JAX's log_ndtr gradient is off by 3e-9 below -20
    check(probit_ll, probit_ll_jax, [np.array([1.5, -2.0]), X, np.array([1.0, -1.0, 1.0, 1.0, -1.0, -1.0, 1.0])])


# 7. A Gaussian copula: ndtri of uniforms, erfinv of correlations.
def copula(u, r):
    z = sp.ndtri(u)
    return np.sum(z * z * r) + np.sum(sp.erfinv(r * 0.9)) + np.sum(sp.ndtr(z * r))


def copula_jax(u, r):
    z = jsp.ndtri(u)
    return jnp.sum(z * z * r) + jnp.sum(jsp.erfinv(r * 0.9)) + jnp.sum(jsp.ndtr(z * r))


def test_gaussian_copula_ndtri_erfinv():
    check(copula, copula_jax, [np.array([0.01, 0.3, 0.5, 0.77, 0.999]), np.array([-0.8, -0.2, 0.1, 0.5, 0.95])], (0, 1))


# 8. Entropy and KL divergence of softmax distributions (entr, rel_entr).
def kl_entropy(logits, q):
    e = np.exp(logits - np.max(logits))
    p = e / np.sum(e)
    return np.sum(sp.entr(p)) + np.sum(sp.rel_entr(p, q))


def kl_entropy_jax(logits, q):
    e = jnp.exp(logits - jnp.max(logits))
    p = e / jnp.sum(e)
    return jnp.sum(jsp.entr(p)) + jnp.sum(jsp.rel_entr(p, q))


def test_entropy_kl_softmax():
    check(kl_entropy, kl_entropy_jax, [rng(10).standard_normal(5), np.array([0.1, 0.2, 0.3, 0.15, 0.25])], (0, 1))


# 9. A von Mises log density: log I0(kappa) as log(i0e(kappa)) + kappa; i1e / i0e is the mean resultant length.
def von_mises_nll(kappa, mu, theta):
    log_norm = np.log(sp.i0e(kappa)) + kappa + math.log(2.0 * math.pi)
    return -np.sum(kappa * np.cos(theta - mu) - log_norm) + np.sum(sp.i1e(kappa) / sp.i0e(kappa)) + np.sum(sp.i0(kappa) * 0.01 + sp.i1(kappa) * 0.01)


def von_mises_nll_jax(kappa, mu, theta):
    log_norm = jnp.log(jsp.i0e(kappa)) + kappa + math.log(2.0 * math.pi)
    return (-jnp.sum(kappa * jnp.cos(theta - mu) - log_norm) + jnp.sum(jsp.i1e(kappa) / jsp.i0e(kappa))
            + jnp.sum(jsp.i0(kappa) * 0.01 + jsp.i1(kappa) * 0.01))


def test_von_mises_bessel_i():
    check(von_mises_nll, von_mises_nll_jax, [np.array([0.5, 2.0, 7.5, 30.0]), np.array([0.1, -0.3, 1.0, 2.0]), rng(11).uniform(-3, 3, 4)], (0, 1))


# 10. The Wishart log normalizer: multigammaln and betaln, beta.
def wishart_norm(nu, a, b):
    return np.sum(sp.multigammaln(nu, 3) + sp.betaln(a, b) + sp.beta(a, b) + sp.gamma(a) * 0.1)


def wishart_norm_jax(nu, a, b):
    return jnp.sum(jsp.multigammaln(nu, 3) + jsp.betaln(a, b) + jnp.exp(jsp.betaln(a, b)) + jnp.exp(jsp.gammaln(a)) * 0.1)


def test_multigammaln_beta():
    check(wishart_norm, wishart_norm_jax, [np.array([3.5, 4.2, 7.0]), np.array([0.5, 1.5, 3.0]), np.array([2.0, 0.7, 1.1])], (0, 1, 2))


# 11. Gamma shape estimation: Newton steps on log(a) - digamma(a) = s, differentiated through the loop.
def gamma_shape(s):
    a = 0.5 / s
    for _ in range(4):
        a = a - (np.log(a) - sp.digamma(a) - s) / (1.0 / a - sp.polygamma(1, a))
    return np.sum(a * a)


def gamma_shape_jax(s):
    a = 0.5 / s
    for _ in range(4):
        a = a - (jnp.log(a) - jsp.digamma(a) - s) / (1.0 / a - jsp.polygamma(1, a))
    return jnp.sum(a * a)


def test_gamma_shape_newton():
    check(gamma_shape, gamma_shape_jax, [np.array([0.05, 0.2, 0.6])])


# 12. Lower tail probabilities: gammainc and gammaincc in x, betainc in x.
def tail_probs(x, u):
    return np.sum(sp.gammainc(2.5, x) * sp.gammaincc(0.7, x) + sp.betainc(2.0, 3.5, u) ** 2)


def tail_probs_jax(x, u):
    return jnp.sum(jsp.gammainc(2.5, x) * jsp.gammaincc(0.7, x) + jsp.betainc(2.0, 3.5, u) ** 2)


def test_incomplete_gamma_beta():
    check(tail_probs, tail_probs_jax, [np.array([0.3, 1.5, 4.0, 12.0]), np.array([0.05, 0.3, 0.6, 0.97])], (0, 1))


# 13. Gamma-function identities on negative arguments: reflection in gammaln, digamma, gamma.
def reflected(x):
    return np.sum(sp.gammaln(x) + sp.digamma(x) * 0.3 + sp.gamma(x) * 0.01 + sp.erfc(x) + sp.erf(x))


def reflected_jax(x):
    return jnp.sum(jsp.gammaln(x) + jsp.digamma(x) * 0.3 + jsp.gamma(x) * 0.01 + jsp.erfc(x) + jsp.erf(x))


def test_negative_arguments():
    check(reflected, reflected_jax, [np.array([-2.7, -1.5, -0.3, 0.2, 1.7, 12.5])], rtol32=2e-3)


# 14. A logit-normal transform: logit, expit and log_ndtr of the same variables.
def logit_normal(p, x):
    return np.sum(sp.logit(p) ** 2 + sp.expit(x) * sp.log_ndtr(x) + sp.ndtr(x - sp.logit(p)))


def logit_normal_jax(p, x):
    return jnp.sum(jsp.logit(p) ** 2 + jsp.expit(x) * jsp.log_ndtr(x) + jsp.ndtr(x - jsp.logit(p)))


def test_logit_expit():
    check(logit_normal, logit_normal_jax, [np.array([0.1, 0.45, 0.9]), np.array([-8.0, 0.5, 3.0])], (0, 1))


# 15. Rank-2 inputs of shape (3, 2) and (1, 2) (the autograd suite's shapes): erfcinv's twin is -erfinv(q - 1)... in
# JAX, erfcinv(q) = -ndtri(q / 2) / sqrt(2).
def matrix_inverse_erfs(q):
    return np.sum(sp.erfcinv(q) * q)


def matrix_inverse_erfs_jax(q):
    return jnp.sum(-jsp.ndtri(q / 2.0) / math.sqrt(2.0) * q)


@pytest.mark.parametrize("shape", [(3, 2), (1, 2)])
def test_erfcinv_matrices(shape):
    check(matrix_inverse_erfs, matrix_inverse_erfs_jax, [rng(12).uniform(0.05, 1.95, shape)])
