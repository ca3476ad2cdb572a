"""dp.grad, dp.jvp, dp.vjp and dp.jacobian of lambdas, closures and partials made inside compiled code.

Each program is checked against its JAX twin in value, in reverse and forward mode over it (so the inner
derivative request is itself differentiated), in double precision.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import dp

jax.config.update("jax_enable_x64", True)


def closures(x, y):
    g = dp.grad(lambda a: np.sin(a) * y + a * a)
    h = dp.grad(dp.grad(lambda a: a**3 * y))

    def inner(b):
        return np.sum(np.exp(b) * x)

    _, pullback = dp.vjp(inner, np.array([x, y]))
    tangent = dp.jvp(lambda q: q * q * y, (x,), (1.0,))[1]
    jac = dp.jacobian(lambda z: z * z * x)(np.array([1.0, 2.0]))
    return g(x) + h(x) + pullback(1.0)[0][1] + tangent + np.sum(jac)


def closures_jax(x, y):
    g = jax.grad(lambda a: jnp.sin(a) * y + a * a)
    h = jax.grad(jax.grad(lambda a: a**3 * y))
    _, pullback = jax.vjp(lambda b: jnp.sum(jnp.exp(b) * x), jnp.array([x, y]))
    tangent = jax.jvp(lambda q: q * q * y, (x,), (1.0,))[1]
    jac = jax.jacobian(lambda z: z * z * x)(jnp.array([1.0, 2.0]))
    return g(x) + h(x) + pullback(1.0)[0][1] + tangent + jnp.sum(jac)


def _scaled_power(a, n, scale):
    return scale * a**n


def partials_and_argnums(x, y):
    cube = functools.partial(_scaled_power, n=3, scale=y)
    both = dp.value_and_grad(lambda a, b: a * b * b + np.cos(a), argnums=(0, 1))
    value, (da, db) = both(x, y)
    return dp.grad(cube)(x) + value + da * db


def partials_and_argnums_jax(x, y):
    value, (da, db) = jax.value_and_grad(lambda a, b: a * b * b + jnp.cos(a), argnums=(0, 1))(x, y)
    return jax.grad(lambda a: y * a**3)(x) + value + da * db


def newton_step(x, c):
    """A Newton step on f(z) = z^3 - c, its derivative by dp.grad of a lambda over c (as GradBench's kmeans)."""
    f = lambda z: z**3 - c  # noqa: E731
    return x - f(x) / dp.grad(f)(x)


def newton_step_jax(x, c):
    f = lambda z: z**3 - c  # noqa: E731
    return x - f(x) / jax.grad(f)(x)


PROGRAMS = [(closures, closures_jax), (partials_and_argnums, partials_and_argnums_jax), (newton_step, newton_step_jax)]
ARGS = (0.7, 1.3)


@pytest.mark.parametrize("program,twin", PROGRAMS, ids=[p.__name__ for p, _ in PROGRAMS])
def test_value(program, twin):
    np.testing.assert_allclose(dp.compile(program)(*ARGS), twin(*ARGS), rtol=1e-12)


@pytest.mark.parametrize("mode", ["rev", "fwd"])
@pytest.mark.parametrize("program,twin", PROGRAMS, ids=[p.__name__ for p, _ in PROGRAMS])
def test_derivative_of_the_request(program, twin, mode):
    got = dp.jacobian(program, argnums=(0, 1), mode=mode)(*ARGS)
    expected = jax.jacobian(twin, argnums=(0, 1))(*ARGS)
    np.testing.assert_allclose(np.array(got), np.array(expected), rtol=1e-10)


def checkpointed(x):
    return dp.checkpoint(lambda a: a * x)(x)


def test_other_wrappers_of_a_function_value_are_typed_errors():
    with pytest.raises(dp.UnsupportedSyntaxError, match=r"test_transforms_of_function_values.py:\d+:\d+: checkpoint"):
        dp.compile(checkpointed)(1.0)
