"""np.column_stack and np.row_stack (vstack's alias) in value and both derivative modes, against JAX."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import dp

jax.config.update("jax_enable_x64", True)

WEIGHTS = np.arange(1.0, 13.0)


def stacked(x, y, m):
    rows = np.row_stack((x, y))
    return np.sum(np.column_stack([x, y, m]).ravel() * WEIGHTS[:12]) + np.sum(np.sin(rows))


def stacked_jax(x, y, m):
    return jnp.sum(jnp.column_stack([x, y, m]).ravel() * WEIGHTS[:12]) + jnp.sum(jnp.sin(jnp.vstack((x, y))))


ARGS = (np.array([0.1, 0.5, -0.3]), np.array([1.2, -0.7, 0.4]), np.arange(6.0).reshape(3, 2) / 7)


def test_value():
    np.testing.assert_allclose(dp.compile(stacked)(*ARGS), stacked_jax(*ARGS), rtol=1e-12)


@pytest.mark.parametrize("mode", ["rev", "fwd"])
def test_derivatives(mode):
    got = dp.jacobian(stacked, argnums=(0, 1, 2), mode=mode)(*ARGS)
    for g, e in zip(got, jax.jacobian(stacked_jax, argnums=(0, 1, 2))(*ARGS)):
        np.testing.assert_allclose(g, e, rtol=1e-12)
