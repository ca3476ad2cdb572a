"""dp.jacobian and dp.hessian called inside compiled code: one loop of derivative requests per leaf, JAX's layout."""

from __future__ import annotations

import time

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import dp

jax.config.update("jax_enable_x64", True)


def outputs(x, s):
    return np.sin(x) * s, np.sum(x * x) * s, x.reshape(2, 3) * 2.0, s * s


def jax_outputs(x, s):
    return jnp.sin(x) * s, jnp.sum(x * x) * s, x.reshape(2, 3) * 2.0, s * s


def jacobian_rev(x, s):
    return dp.jacobian(outputs, argnums=(0, 1))(x, s)


def jacobian_fwd(x, s):
    return dp.jacobian(outputs, argnums=(0, 1), mode="fwd")(x, s)


def energy(X):
    return np.sum(np.sin(X) * X) + np.sum(X[0] * X[1])


def hessian_inside(X):
    return dp.hessian(energy)(X)


def wide_energy(x):
    return np.sum(np.tanh(x) * x) * np.sum(x)


def wide_hessian(x):
    return dp.hessian(wide_energy)(x)


@pytest.mark.parametrize("fn", [jacobian_rev, jacobian_fwd])
def test_jacobian_blocks_match_jax(fn):
    x = np.arange(6.0) / 7
    ours = dp.compile(fn)(x, 2.0)
    theirs = jax.jacrev(jax_outputs, argnums=(0, 1))(x, 2.0)
    for row, expected_row in zip(ours, theirs):
        for block, expected in zip(row, expected_row):
            assert np.shape(block) == np.shape(expected)
            np.testing.assert_allclose(block, expected, rtol=1e-12, atol=1e-15)


def test_hessian_of_a_matrix_argument_matches_jax():
    X = np.arange(6.0).reshape(2, 3) / 5
    expected = jax.hessian(lambda X: jnp.sum(jnp.sin(X) * X) + jnp.sum(X[0] * X[1]))(X)
    np.testing.assert_allclose(dp.compile(hessian_inside)(X), expected, rtol=1e-12, atol=1e-15)


def test_a_wide_hessian_compiles_one_loop_not_one_request_per_element():
    x = np.linspace(-1.0, 1.0, 200)
    start = time.perf_counter()
    ours = dp.compile(wide_hessian)(x)
    assert time.perf_counter() - start < 60  # unrolled, 200 requests took minutes
    expected = jax.hessian(lambda x: jnp.sum(jnp.tanh(x) * x) * jnp.sum(x))(x)
    np.testing.assert_allclose(ours, expected, rtol=1e-10, atol=1e-12)
    # ... and it is differentiable again (third derivatives, contracted).
    np.testing.assert_allclose(
        dp.grad(lambda x: np.sum(wide_hessian(x)))(x[:20]),
        jax.grad(lambda x: jnp.sum(jax.hessian(lambda y: jnp.sum(jnp.tanh(y) * y) * jnp.sum(y))(x)))(x[:20]),
        rtol=1e-10,
    )
