"""GradBench's programs (programs.py) against JAX twins: values, gradients in both modes, nesting."""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import jax.scipy.special as jss
import numpy as np
import pytest

import dp

from nested.harness import assert_close, to_numpy
from . import programs as p

jax.config.update("jax_enable_x64", True)

RNG = np.random.default_rng(7)

# -- JAX twins ---------------------------------------------------------------------------------------


def j_kmeans_cost(points, centers):
    d = jnp.sum(points**2, 1)[None, :] + jnp.sum(centers**2, 1)[:, None] - 2 * (points @ centers.T).T
    return jnp.min(d, axis=0).sum()


def j_llsq(x, n):
    m = x.shape[0]
    total = 0.0
    for i in range(n):
        ti = -1.0 + i * 2.0 / (n - 1.0)
        muls = jnp.cumprod(jnp.full(m, ti).at[0].set(1.0))
        total = total + (jnp.sign(ti) + jnp.sum(-x * muls)) ** 2
    return total / 2.0


def j_ode(x, s):
    h = 2.0 / s
    y = jnp.zeros_like(x)

    def f(y):
        return jnp.where(jnp.arange(x.shape[0]) == 0, x, x * jnp.roll(y, 1))

    for _ in range(s):
        k1 = f(y)
        k2 = f(y + h / 2 * k1)
        k3 = f(y + h / 2 * k2)
        k4 = f(y + h * k3)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return y


def j_gmm(alpha, mu, q, l, x, gamma, m):
    n, d = x.shape
    k = mu.shape[0]
    qd = jnp.exp(q)
    sum_qs = jnp.sum(q, axis=1)
    ls = []
    for j in range(k):
        lj = jnp.zeros((d, d))
        idx = 0
        for c in range(d - 1):
            for r in range(c + 1, d):
                lj = lj.at[r, c].set(l[j, idx])
                idx += 1
        ls.append(lj)
    ls = jnp.stack(ls)
    xc = x[:, None, :] - mu[None]
    lx = qd * xc + jnp.einsum("ijk,mik->mij", ls, xc)
    inner = alpha + sum_qs - 0.5 * jnp.sum(lx**2, axis=2)
    slse = jnp.sum(jss.logsumexp(inner, axis=1))
    const = -n * d * 0.5 * math.log(2 * math.pi)
    nn = d + m + 1
    out = jnp.sum(0.5 * gamma**2 * (jnp.sum(qd**2, axis=1) + jnp.sum(l**2, axis=1)) - m * sum_qs)
    prior = -out + k * (nn * d * jnp.log(gamma / math.sqrt(2)) - jss.multigammaln(0.5 * nn, d))
    return const + slse - n * jss.logsumexp(alpha, axis=0) + prior


# -- kmeans ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_kmeans_cost_gradient_both_modes(dtype):
    points, centers = RNG.normal(size=(12, 3)).astype(dtype), RNG.normal(size=(4, 3)).astype(dtype)
    rtol = 1e-10 if dtype == np.float64 else 2e-4
    want = to_numpy(jax.grad(j_kmeans_cost, argnums=1)(points.astype(np.float64), centers.astype(np.float64)))
    assert_close(dp.grad(p.kmeans_cost, argnums=1)(points, centers), want, rtol)
    tangent = RNG.normal(size=centers.shape).astype(dtype)
    _, jvp = dp.jvp(lambda c: p.kmeans_cost(points, c), (centers,), (tangent,))
    assert_close(float(jvp), float(np.sum(want * tangent)), rtol)


def test_kmeans_newton_direction_nests_forward_over_reverse():
    points, centers = RNG.normal(size=(10, 2)), RNG.normal(size=(3, 2))
    g = jax.grad(lambda c: j_kmeans_cost(points, c))
    d, h = jax.jvp(g, (centers,), (jnp.ones(centers.shape),))
    assert_close(dp.compile(p.kmeans_dir)(points, centers), to_numpy(d / h))
    assert_close(p.kmeans_dir(points, centers), to_numpy(d / h))


# -- llsq --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_llsq_gradient_both_modes(dtype):
    x = RNG.normal(size=5).astype(dtype)
    rtol = 1e-10 if dtype == np.float64 else 2e-4
    want = to_numpy(jax.grad(j_llsq)(x.astype(np.float64), 9))
    assert_close(dp.grad(p.llsq, static_argnums=1)(x, 9), want, rtol)
    assert_close(dp.jacobian(p.llsq, mode="fwd", static_argnums=1)(x, 9), want, rtol)
    assert_close(dp.compile(p.llsq, static_argnums=1)(x, 9), float(j_llsq(x.astype(np.float64), 9)), rtol)


# -- ode ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_ode_gradient_both_modes(dtype):
    x = RNG.uniform(0.5, 1.5, size=4).astype(dtype)
    rtol = 1e-10 if dtype == np.float64 else 2e-4
    x64 = x.astype(np.float64)
    assert_close(dp.compile(p.ode, static_argnums=1)(x, 6), to_numpy(j_ode(x64, 6)), rtol)
    want = to_numpy(jax.grad(lambda x: j_ode(x, 6)[-1])(x64))
    assert_close(dp.grad(p.ode_last, static_argnums=1)(x, 6), want, rtol)
    assert_close(dp.jacobian(p.ode_last, mode="fwd", static_argnums=1)(x, 6), want, rtol)


# -- lse ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_lse_gradient(dtype):
    x = RNG.normal(size=7).astype(dtype)
    rtol = 1e-10 if dtype == np.float64 else 2e-5
    want = to_numpy(jax.grad(jss.logsumexp)(x.astype(np.float64)))
    assert_close(dp.grad(p.lse)(x), want, rtol)
    assert_close(dp.jacobian(p.lse, mode="fwd")(x), want, rtol)


# -- gmm ---------------------------------------------------------------------------------------------


def _gmm_inputs(dtype):
    n, d, k = 6, 3, 2
    return (
        RNG.normal(size=k).astype(dtype),
        RNG.normal(size=(k, d)).astype(dtype),
        RNG.normal(size=(k, d)).astype(dtype) * 0.1,
        RNG.normal(size=(k, d * (d - 1) // 2)).astype(dtype) * 0.1,
        RNG.normal(size=(n, d)).astype(dtype),
    )


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gmm_objective_gradient_both_modes(dtype):
    args = _gmm_inputs(dtype)
    rtol = 1e-10 if dtype == np.float64 else 1e-4
    args64 = [a.astype(np.float64) for a in args]
    assert_close(dp.compile(p.gmm_objective)(*args, 1.0, 0), float(j_gmm(*args64, 1.0, 0)), rtol)
    want = to_numpy(jax.grad(j_gmm, argnums=(0, 1, 2, 3))(*args64, 1.0, 0))
    assert_close(dp.grad(p.gmm_objective, argnums=(0, 1, 2, 3))(*args, 1.0, 0), want, rtol)
    assert_close(dp.jacobian(p.gmm_objective, argnums=(0, 1, 2, 3), mode="fwd")(*args, 1.0, 0), want, rtol)


# -- saddle ------------------------------------------------------------------------------------------


def _j_saddle(start):
    """The saddle point by the same nested gradient descent, with JAX's gradients."""

    def argmin(f, x):
        g = jax.grad(f)
        fx, gx, eta, i = f(x), g(x), 1e-5, 0
        while True:
            if jnp.sqrt(jnp.sum(gx * gx)) <= 1e-5:
                return x
            if i == 10:
                eta, i = 2 * eta, 0
                continue
            xp = x - eta * gx
            if jnp.sqrt(jnp.sum((x - xp) ** 2)) <= 1e-5:
                return x
            fxp = f(xp)
            if fxp < fx:
                x, fx, gx, i = xp, fxp, g(xp), i + 1
            else:
                eta, i = eta / 2, 0

    def cost(p1):
        return lambda q: (p1[0] ** 2 + p1[1] ** 2) - (q[0] ** 2 + q[1] ** 2)

    def r1_cost(p1):
        c = cost(p1)
        return c(argmin(lambda z: -c(z), start))

    r1 = argmin(r1_cost, start)
    return np.stack([np.asarray(r1), np.asarray(argmin(lambda z: -cost(r1)(z), start))])


@functools.cache
def _saddle_reference() -> np.ndarray:
    """The JAX twin's saddle point from (1, 1), computed once: eager JAX takes minutes for its nested loops."""
    return _j_saddle(jnp.asarray(np.array([1.0, 1.0])))


@pytest.mark.xdist_group("saddle")  # one worker computes the reference for all four
@pytest.mark.parametrize("outer,inner", [("r", "r"), ("f", "f"), ("f", "r"), ("r", "f")])
def test_saddle_all_four_nestings(outer, inner):
    start = np.array([1.0, 1.0])
    grads = {"r": p.grad_r, "f": p.grad_f}
    got = dp.compile(p.saddle, static_argnums=(0, 1))(grads[outer], grads[inner], start)
    assert_close(got, _saddle_reference(), 1e-8)
