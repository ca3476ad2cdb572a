"""dp.fori_loop and its checkpointing policy: the same gradients as JAX's fori_loop, an O(sqrt N) tape."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import dp

jax.config.update("jax_enable_x64", True)


def step(i, x):
    return x + 1e-3 * math.sin(x * (1.0 + 1e-4 * i))


def jax_step(i, x):
    return x + 1e-3 * jnp.sin(x * (1.0 + 1e-4 * i))


def plain(x, n):
    return dp.fori_loop(0, n, step, x)


def sqrt_policy(x, n):
    return dp.fori_loop(0, n, step, x, checkpoint_every="sqrt")


def every_7(x, n):
    return dp.fori_loop(0, n, step, x, checkpoint_every=7)


def array_step(i, state):
    w, v = state
    return w, np.tanh(w @ v) + 0.1 * v


def jax_array_step(i, state):
    w, v = state
    return w, jnp.tanh(w @ v) + 0.1 * v


def array_loop(w, v, n):
    return np.sum(dp.fori_loop(0, n, array_step, (w, v), checkpoint_every="sqrt")[1])


def jax_array_loop(w, v, n):
    return jnp.sum(jax.lax.fori_loop(0, n, jax_array_step, (w, v))[1])


@pytest.mark.parametrize("fn", [plain, sqrt_policy, every_7])
@pytest.mark.parametrize("n", [0, 1, 5, 49, 50, 51, 1000])
def test_gradient_matches_jax(fn, n):
    expected = jax.grad(lambda x: jax.lax.fori_loop(0, n, jax_step, x))(0.3)
    np.testing.assert_allclose(dp.grad(fn)(0.3, n), expected, rtol=1e-12)
    np.testing.assert_allclose(fn(0.3, n), jax.lax.fori_loop(0, n, jax_step, 0.3), rtol=1e-12)


@pytest.mark.parametrize("fn", [plain, sqrt_policy])
def test_second_derivative_matches_jax(fn):
    expected = jax.grad(jax.grad(lambda x: jax.lax.fori_loop(0, 200, jax_step, x)))(0.3)
    np.testing.assert_allclose(dp.grad(dp.grad(fn))(0.3, 200), expected, rtol=1e-10)


def test_arrays_through_the_policy_match_jax():
    rng = np.random.default_rng(3)
    w, v = rng.normal(size=(4, 4)) * 0.5, rng.normal(size=4)
    ours = dp.grad(array_loop, argnums=(0, 1))(w, v, 30)
    theirs = jax.grad(jax_array_loop, argnums=(0, 1))(w, v, 30)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-10)


def test_the_sqrt_policy_records_o_sqrt_n_values():
    n = 40000
    plain_slots = dp.vjp(plain, 0.3, n)[1].tape_slots
    sqrt_slots = dp.vjp(sqrt_policy, 0.3, n)[1].tape_slots
    assert plain_slots >= n  # a value per step
    assert sqrt_slots <= 3 * math.isqrt(n) + 8  # a few per segment of sqrt(n) steps


def test_in_python_it_is_a_loop():
    assert dp.fori_loop(0, 3, lambda i, x: x + i, 10) == 13
    assert dp.fori_loop(0, 10, lambda i, x: x + i, 0, checkpoint_every="sqrt") == 45
