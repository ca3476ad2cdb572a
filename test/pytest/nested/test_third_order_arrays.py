"""Third derivatives of array code, in every composition of modes, against JAX.

Reverse over reverse over reverse once read tensors popped off a tape
after the tape was freed (the inlined derivative code made it visible);
these programs, which gave wrong numbers then, pin it.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import dp

jax.config.update("jax_enable_x64", True)

X = np.array([0.4, 0.9, -0.3])
V = np.array([1.0, -0.5, 2.0])


def tanh_sum(x):
    return np.sum(np.tanh(x))


def exp_squared(x):
    return np.sum(np.exp(x) * np.exp(x))


def sqrt_sum(x):
    return np.sum(np.sqrt(x + 2.0))


def cubed_exp(x):
    y = np.exp(x)
    return np.sum(y * y * y)


def tanh_times_sum(x):
    return np.sum(np.tanh(x) * x) * np.sum(x)


PROGRAMS = {
    tanh_sum: lambda x: jnp.sum(jnp.tanh(x)),
    exp_squared: lambda x: jnp.sum(jnp.exp(x) * jnp.exp(x)),
    sqrt_sum: lambda x: jnp.sum(jnp.sqrt(x + 2.0)),
    cubed_exp: lambda x: jnp.sum(jnp.exp(x) ** 3),
    tanh_times_sum: lambda x: jnp.sum(jnp.tanh(x) * x) * jnp.sum(x),
}


def _sum_of_grad(f):
    def g(x):
        return np.sum(dp.grad(f)(x))

    return g


@pytest.mark.parametrize("f", list(PROGRAMS), ids=lambda f: f.__name__)
def test_reverse_reverse_reverse(f):
    jf = PROGRAMS[f]
    ours = dp.grad(_sum_of_grad(_sum_of_grad(f)))(X)
    theirs = jax.grad(lambda x: jnp.sum(jax.grad(lambda y: jnp.sum(jax.grad(jf)(y)))(x)))(X)
    np.testing.assert_allclose(ours, theirs, rtol=1e-10)


@pytest.mark.parametrize("f", list(PROGRAMS), ids=lambda f: f.__name__)
def test_forward_reverse_reverse(f):
    jf = PROGRAMS[f]
    ours = dp.jvp(_sum_of_grad(_sum_of_grad(f)), (X,), (V,))[1]
    theirs = jax.jvp(lambda x: jnp.sum(jax.grad(lambda y: jnp.sum(jax.grad(jf)(y)))(x)), (X,), (V,))[1]
    np.testing.assert_allclose(ours, theirs, rtol=1e-10)


@pytest.mark.parametrize("f", list(PROGRAMS), ids=lambda f: f.__name__)
def test_reverse_over_the_hessian(f):
    jf = PROGRAMS[f]

    def hessian_sum(x):
        return np.sum(dp.hessian(f)(x))

    ours = dp.grad(hessian_sum)(X)
    theirs = jax.grad(lambda x: jnp.sum(jax.hessian(jf)(x)))(X)
    np.testing.assert_allclose(ours, theirs, rtol=1e-10)
