"""np.linspace with traced endpoints and np.gradient, against JAX twins and central differences."""

from __future__ import annotations

import types

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import dp

from nested.harness import assert_close, to_numpy

jax.config.update("jax_enable_x64", True)


def linspace_squares(a, b):
    return np.sum(np.linspace(a, b, 5) ** 2)


def linspace_open(a, b):
    return np.sum(np.sin(np.linspace(a, b, 4, endpoint=False)))


def linspace_single(a, b):
    return np.linspace(a, b, 1)[0] * 3.0 + b


def gradient_axis0(x):
    return np.sum(np.gradient(x, axis=0) ** 2)


def gradient_all_axes(x):
    return sum(np.sum(np.sin(g)) for g in np.gradient(x))


def gradient_spacing(x):
    return np.sum(np.gradient(x, 0.5, axis=-1) * x)


def _twin(f):
    return types.FunctionType(f.__code__, {"np": jnp, "sum": sum})


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("f", [linspace_squares, linspace_open, linspace_single], ids=lambda f: f.__name__)
def test_linspace_endpoints_both_modes(f, dtype):
    a, b = dtype(1.2), dtype(3.4)
    rtol = 1e-10 if dtype == np.float64 else 1e-5
    j = _twin(f)
    assert_close(dp.grad(f, argnums=(0, 1))(a, b), to_numpy(jax.grad(j, argnums=(0, 1))(1.2, 3.4)), rtol)
    assert_close(float(dp.jvp(f, (a, b), (dtype(1.0), dtype(0.5)))[1]), float(jax.jvp(j, (1.2, 3.4), (1.0, 0.5))[1]), rtol)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("f", [gradient_axis0, gradient_all_axes, gradient_spacing], ids=lambda f: f.__name__)
def test_gradient_both_modes(f, dtype):
    x = np.random.default_rng(1).normal(size=(6, 5)).astype(dtype)
    rtol = 1e-10 if dtype == np.float64 else 1e-4
    j = _twin(f)
    x64 = x.astype(np.float64)
    assert_close(dp.compile(f)(x), float(f(x64)), rtol)
    want = to_numpy(jax.grad(j)(x64))
    assert_close(dp.grad(f)(x), want, rtol)
    t = np.random.default_rng(2).normal(size=x.shape).astype(dtype)
    assert_close(float(dp.jvp(f, (x,), (t,))[1]), float(np.sum(want * t)), rtol)


def test_gradient_edge_order_2_against_central_differences():
    def f(x):
        return np.sum(np.gradient(x, 0.5, axis=1, edge_order=2) ** 2)

    x = np.random.default_rng(3).normal(size=(4, 6))
    assert_close(dp.compile(f)(x), float(f(x)))
    g = dp.grad(f)(x)
    h = 1e-6
    for i, j in [(0, 0), (1, 2), (3, 5)]:
        e = np.zeros_like(x)
        e[i, j] = h
        assert abs(g[i, j] - (f(x + e) - f(x - e)) / (2 * h)) < 1e-6


def test_errors():
    def too_short(x):
        return np.gradient(x, edge_order=2)

    def array_endpoints(x):
        return np.linspace(x, x + 1.0, 3)

    with pytest.raises(dp.ShapeError, match="np.gradient needs at least 3 points"):
        dp.grad(lambda x: np.sum(too_short(x)))(np.ones(2))
    with pytest.raises(dp.UnsupportedSyntaxError, match="np.linspace with array endpoints"):
        dp.grad(lambda x: np.sum(array_endpoints(x)))(np.ones(2))
