"""dp.vjp in a loop or branch of compiled code: each pullback call is a reverse pass of its own."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

import dp

jax.config.update("jax_enable_x64", True)


def f(x):
    return np.sum(np.sin(x) * x * x)


def jf(x):
    return jnp.sum(jnp.sin(x) * x * x)


def vjp_in_a_loop(x, n):
    total = 0.0
    for k in range(n):
        y, pullback = dp.vjp(f, x * (k + 1.0))
        (g,) = pullback(2.0)
        (h,) = pullback(y)
        total = total + np.sum(g * h)
    return total


def jax_vjp_in_a_loop(x, n):
    total = 0.0
    for k in range(n):
        y, pullback = jax.vjp(jf, x * (k + 1.0))
        (g,) = pullback(2.0)
        (h,) = pullback(y)
        total = total + jnp.sum(g * h)
    return total


def vjp_in_a_branch(x, flag):
    if flag > 0:
        y, pullback = dp.vjp(f, x)
        return np.sum(pullback(1.0)[0]) * y
    return f(x)


def jax_vjp_in_a_branch(x, flag):
    if flag > 0:
        y, pullback = jax.vjp(jf, x)
        return jnp.sum(pullback(1.0)[0]) * y
    return jf(x)


X = np.array([0.3, -0.7, 1.1])
V = np.array([0.5, 1.0, -2.0])


def test_in_a_loop_value_gradient_and_tangent_match_jax():
    np.testing.assert_allclose(dp.compile(vjp_in_a_loop)(X, 3), jax_vjp_in_a_loop(X, 3), rtol=1e-12)
    np.testing.assert_allclose(dp.grad(vjp_in_a_loop)(X, 3), jax.grad(jax_vjp_in_a_loop)(X, 3), rtol=1e-10)
    np.testing.assert_allclose(
        dp.jvp(vjp_in_a_loop, (X, 3), (V, 0))[1], jax.jvp(lambda x: jax_vjp_in_a_loop(x, 3), (X,), (V,))[1], rtol=1e-10
    )


def test_in_a_branch_matches_jax():
    for flag in (1, -1):
        np.testing.assert_allclose(
            dp.grad(vjp_in_a_branch)(X, flag), jax.grad(jax_vjp_in_a_branch)(X, flag), rtol=1e-10
        )


def two_pullbacks(x):
    y, pullback = dp.vjp(f, x)
    (a,) = pullback(1.0)
    (b,) = pullback(3.0)
    return np.sum(a * b) + y


def jax_two_pullbacks(x):
    y, pullback = jax.vjp(jf, x)
    (a,) = pullback(1.0)
    (b,) = pullback(3.0)
    return jnp.sum(a * b) + y


def test_a_pullback_called_twice_is_differentiable_in_both_modes():
    np.testing.assert_allclose(dp.grad(two_pullbacks)(X), jax.grad(jax_two_pullbacks)(X), rtol=1e-10)
    np.testing.assert_allclose(
        dp.jvp(two_pullbacks, (X,), (V,))[1], jax.jvp(jax_two_pullbacks, (X,), (V,))[1], rtol=1e-10
    )
