"""x ** y where x = 0 or y = 0: first and second derivatives are finite and match JAX (no inf * 0 = nan)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import dp

jax.config.update("jax_enable_x64", True)


def power(x, y):
    return np.power(x, y) + x**y


def power_jax(x, y):
    return jnp.power(x, y) + x**y


@pytest.mark.parametrize("x,y", [(0.0, 0.3), (0.0, 2.0), (1.7, 0.0), (0.5, 1.5)])
@pytest.mark.parametrize("mode", ["rev", "fwd"])
def test_hessian_matches_jax(x, y, mode):
    expected = np.array(jax.hessian(power_jax, argnums=(0, 1))(x, y))
    got = np.array(dp.jacobian(dp.grad(power, argnums=(0, 1)), argnums=(0, 1), mode=mode)(x, y))
    finite = np.isfinite(expected)
    np.testing.assert_allclose(got[finite], expected[finite], rtol=1e-12)
    assert np.all(np.isfinite(got[finite]))


def test_derivative_in_the_exponent_at_zero_base_is_zero():
    assert dp.grad(lambda y: np.power(0.0, y))(0.4) == 0.0
    assert dp.grad(dp.grad(lambda y: np.power(0.0, y)))(0.4) == 0.0
