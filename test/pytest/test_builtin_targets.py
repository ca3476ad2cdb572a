"""Builtins, math functions and numpy ufuncs and functions as targets of dp.compile and every transform.

`dp.grad(math.sin)`, `dp.jacobian(np.tanh)`, `dp.compile(np.sin)`: each is
compiled as a small Python function calling the builtin, made once per
builtin. Every derivative is compared with JAX's in float64.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import dp
from dp import transforms

jax.config.update("jax_enable_x64", True)


def close(actual, expected) -> None:
    """Equal to rounding, leaf by leaf through tuples and lists."""
    if isinstance(expected, (tuple, list)):
        assert isinstance(actual, (tuple, list)) and len(actual) == len(expected)
        for a, e in zip(actual, expected):
            close(a, e)
        return
    np.testing.assert_allclose(np.asarray(actual), np.asarray(expected), rtol=1e-12, atol=1e-14)


# (dp's callable, JAX's, a point in the domain)
MATH_UNARY = [
    (math.sin, jnp.sin, 0.7),
    (math.cos, jnp.cos, 0.7),
    (math.tan, jnp.tan, 0.7),
    (math.asin, jnp.arcsin, 0.3),
    (math.acos, jnp.arccos, 0.3),
    (math.atan, jnp.arctan, 0.7),
    (math.sinh, jnp.sinh, 0.7),
    (math.cosh, jnp.cosh, 0.7),
    (math.tanh, jnp.tanh, 0.7),
    (math.asinh, jnp.arcsinh, 0.7),
    (math.acosh, jnp.arccosh, 1.7),
    (math.atanh, jnp.arctanh, 0.3),
    (math.exp, jnp.exp, 0.7),
    (math.expm1, jnp.expm1, 0.7),
    (math.log, jnp.log, 1.7),
    (math.log1p, jnp.log1p, 0.7),
    (math.log2, jnp.log2, 1.7),
    (math.log10, jnp.log10, 1.7),
    (math.sqrt, jnp.sqrt, 1.7),
    (math.erf, jax.scipy.special.erf, 0.7),
    (math.erfc, jax.scipy.special.erfc, 0.7),
    (math.fabs, jnp.abs, -0.7),
    (abs, jnp.abs, -0.7),
]


@pytest.mark.parametrize("fn, oracle, x", MATH_UNARY, ids=lambda v: getattr(v, "__name__", None))
def test_math_functions_are_differentiable_targets(fn, oracle, x):
    close(dp.grad(fn)(x), jax.grad(oracle)(x))
    value, grad = dp.value_and_grad(fn)(x)
    close(value, fn(x))
    close(grad, jax.grad(oracle)(x))
    close(dp.compile(fn)(x), fn(x))
    primal, tangent = dp.jvp(fn, (x,), (2.0,))
    close((primal, tangent), jax.jvp(oracle, (x,), (2.0,)))
    primal, pullback = dp.vjp(fn, x)
    close(pullback(-1.5)[0], jax.vjp(oracle, x)[1](-1.5)[0])


@pytest.mark.parametrize(
    "fn, oracle",
    [(math.atan2, jnp.arctan2), (math.pow, jnp.power), (math.copysign, jnp.copysign)],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_binary_math_functions_take_two_arguments(fn, oracle):
    x, y = 1.3, 0.6
    close(dp.grad(fn, argnums=(0, 1))(x, y), jax.grad(oracle, argnums=(0, 1))(x, y))
    close(dp.jacobian(fn, argnums=(0, 1), mode="fwd")(x, y), jax.jacfwd(oracle, argnums=(0, 1))(x, y))
    close(dp.compile(fn)(x, y), fn(x, y))


UFUNCS_UNARY = [
    (np.sin, jnp.sin),
    (np.cos, jnp.cos),
    (np.tanh, jnp.tanh),
    (np.exp, jnp.exp),
    (np.log1p, jnp.log1p),
    (np.sqrt, jnp.sqrt),
    (np.arctan, jnp.arctan),
    (np.square, jnp.square),
    (np.reciprocal, jnp.reciprocal),
    (np.negative, jnp.negative),
    (np.absolute, jnp.abs),
]


@pytest.mark.parametrize("fn, oracle", UFUNCS_UNARY, ids=lambda v: getattr(v, "__name__", None))
def test_unary_ufuncs_on_scalars_and_arrays(fn, oracle):
    x = np.array([0.3, 1.2, 2.5])
    tangent = np.array([1.0, -0.5, 2.0])
    close(dp.grad(fn)(0.8), jax.grad(oracle)(0.8))
    close(dp.jacobian(fn)(x), jax.jacrev(oracle)(x))
    close(dp.jacobian(fn, mode="fwd")(x), jax.jacfwd(oracle)(x))
    primal, out = dp.jvp(fn, (x,), (tangent,))
    expected_primal, expected_out = jax.jvp(oracle, (x,), (tangent,))
    close(primal, expected_primal)
    close(out, expected_out)
    primal, pullback = dp.vjp(fn, x)
    close(pullback(tangent)[0], jax.vjp(oracle, x)[1](tangent)[0])
    close(dp.compile(fn)(x), fn(x))


@pytest.mark.parametrize(
    "fn, oracle",
    [
        (np.arctan2, jnp.arctan2),
        (np.power, jnp.power),
        (np.hypot, jnp.hypot),
        (np.multiply, jnp.multiply),
        (np.divide, jnp.divide),
        (np.maximum, jnp.maximum),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_binary_ufuncs_take_two_arguments(fn, oracle):
    x, y = np.array([0.5, 1.5, 2.5]), np.array([2.0, -0.5, 1.25])
    close(dp.jacobian(fn, argnums=(0, 1))(x, y), jax.jacrev(oracle, argnums=(0, 1))(x, y))
    close(dp.grad(fn, argnums=(0, 1))(1.5, 0.75), jax.grad(oracle, argnums=(0, 1))(1.5, 0.75))
    close(dp.compile(fn)(x, y), fn(x, y))


@pytest.mark.parametrize(
    "fn, oracle",
    [(np.sum, jnp.sum), (np.mean, jnp.mean), (np.prod, jnp.prod), (np.max, jnp.max), (np.linalg.norm, jnp.linalg.norm)],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_numpy_reductions(fn, oracle):
    x = np.array([[0.5, -1.5, 2.0], [3.0, 0.25, -0.75]])
    close(dp.grad(fn)(x), jax.grad(oracle)(x))
    value, grad = dp.value_and_grad(fn)(x)
    close(value, fn(x))
    close(grad, jax.grad(oracle)(x))


def test_numpy_functions_of_two_arguments():
    a, b = np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([0.5, -2.0])
    close(dp.jacobian(np.dot, argnums=(0, 1))(a, b), jax.jacrev(jnp.dot, argnums=(0, 1))(a, b))
    close(dp.jacobian(np.outer, argnums=(0, 1))(b, b), jax.jacrev(jnp.outer, argnums=(0, 1))(b, b))


def test_builtins_and_stop_gradient():
    close(dp.grad(sum)((1.5, -2.0, 3.0)), (1.0, 1.0, 1.0))
    assert dp.compile(len)((1.0, 2.0, 3.0)) == 3
    assert dp.grad(dp.stop_gradient)(3.0) == float(jax.grad(jax.lax.stop_gradient)(3.0)) == 0.0


def test_one_function_per_builtin_so_compiled_code_is_reused(monkeypatch):
    count = [0]
    real = transforms.compile_specialization

    def counting(*args, **kwargs):
        count[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(transforms, "compile_specialization", counting)
    dp.clear_caches(np.cos)
    x = np.array([0.1, 0.2])
    for _ in range(3):
        primal, tangent = dp.jvp(np.cos, (x,), (np.ones(2),))
        close(tangent, -np.sin(x))
    assert count[0] == 1  # dp.jvp keeps the derivatives of np.cos's one function
    assert dp.grad(math.sin).__wrapped__ is dp.grad(math.sin).__wrapped__


def test_errors_name_the_builtin_and_point_at_the_users_line():
    with pytest.raises(dp.TypeMismatchError, match=r"np\.sin\(\) to return one float") as info:
        dp.grad(np.sin)(np.ones(3))  # an array result
    assert f"{__file__}:" in str(info.value) and "# an array result" in str(info.value)
    with pytest.raises(dp.TypeMismatchError, match=r"math\.sin\(\) needs numbers") as info:
        dp.grad(math.sin)(np.ones(3))  # an array argument
    assert f"{__file__}:" in str(info.value) and "# an array argument" in str(info.value)
    with pytest.raises(dp.TypeMismatchError, match=r"math\.exp\(\) too many positional arguments"):
        dp.value_and_grad(math.exp)(1.0, 2.0)
    assert "math.sin" in repr(dp.grad(math.sin))


@pytest.mark.parametrize("fn", [math.gamma, math.hypot, min, max, np.frexp], ids=lambda f: f.__name__)
def test_builtins_dp_does_not_compile_stay_typed_errors(fn):
    with pytest.raises(dp.UnsupportedSyntaxError, match="takes a Python function"):
        dp.grad(fn)
