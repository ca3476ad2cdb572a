"""np.var, np.std, np.average, np.ptp, np.round, np.deg2rad, np.sinc, np.logaddexp, ... against JAX.

Each program's JAX twin is the same code object run with `np` bound to jax.numpy, so the two
compute the same mathematics by different compilers. Checked: the compiled value, dp.grad
(reverse), dp.jvp (forward) and dp.hessian (second order), in float64 and float32.
"""

from __future__ import annotations

import types

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import dp

from nested.harness import assert_close, to_numpy

jax.config.update("jax_enable_x64", True)


def var_axis0(x, y):
    return np.sum(np.var(x, axis=0) * y[0])


def std_all(x, y):
    return np.std(x) + np.std(y)


def std_ddof_keepdims(x, y):
    return np.sum(np.std(x, axis=1, ddof=1, keepdims=True) * y)


def var_of_product(x, y):
    return np.var(x * y, axis=(0, 1))


def average_weighted(x, y):
    return np.sum(np.average(x, axis=1, weights=np.arange(1.0, 5.0)) ** 2)


def average_full_weights(x, y):
    return np.average(x, weights=np.exp(y))


def ptp_axis(x, y):
    return np.sum(np.ptp(x, axis=0) * np.ptp(y, axis=0))


def rounded_and_radians(x, y):
    return np.sum(np.round(x * 3.3, 1) + np.deg2rad(x) * np.degrees(y) + np.radians(np.rad2deg(x * y)))


def sinc_product(x, y):
    return np.sum(np.sinc(x) * y)


def logaddexp_sum(x, y):
    return np.sum(np.logaddexp(x, y))


def logaddexp2_square(x, y):
    return np.sum(np.logaddexp2(x, y) ** 2)


def logaddexp_tie(x, y):
    return np.logaddexp(x[0, 0], x[0, 0]) + np.sinc(y[1, 1])


def logaddexp_large(x, y):
    return np.sum(np.logaddexp(800.0 * x, 800.0 * y))


PROGRAMS = [
    var_axis0, std_all, std_ddof_keepdims, var_of_product, average_weighted, average_full_weights, ptp_axis,
    rounded_and_radians, sinc_product, logaddexp_sum, logaddexp2_square, logaddexp_tie, logaddexp_large,
]


def _twin(f):
    return types.FunctionType(f.__code__, {"np": jnp})


def _inputs(dtype):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(3, 4)).astype(dtype)
    y = rng.normal(size=(3, 4)).astype(dtype)
    return x, y


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("f", PROGRAMS, ids=lambda f: f.__name__)
def test_value_and_both_modes(f, dtype):
    x, y = _inputs(dtype)
    rtol = 1e-10 if dtype == np.float64 else 5e-4
    j = _twin(f)
    x64, y64 = x.astype(np.float64), y.astype(np.float64)
    assert_close(dp.compile(f)(x, y), float(j(x64, y64)), rtol)
    want = to_numpy(jax.grad(j, argnums=(0, 1))(x64, y64))
    assert_close(dp.grad(f, argnums=(0, 1))(x, y), want, rtol)
    rng = np.random.default_rng(4)
    tx, ty = rng.normal(size=x.shape).astype(dtype), rng.normal(size=y.shape).astype(dtype)
    _, tangent = dp.jvp(f, (x, y), (tx, ty))
    assert_close(float(tangent), float(jax.jvp(j, (x64, y64), (tx.astype(np.float64), ty.astype(np.float64)))[1]), rtol)


@pytest.mark.parametrize("f", [std_all, average_full_weights, sinc_product, logaddexp_sum, logaddexp2_square, logaddexp_tie],
                         ids=lambda f: f.__name__)
def test_second_order(f):
    x, y = _inputs(np.float64)
    assert_close(dp.hessian(f)(x, y), to_numpy(jax.hessian(_twin(f))(x, y)), 1e-9)


def test_errors_name_the_function():
    def bad_ddof(x):
        return np.var(x, ddof=4)

    def var_into(x):
        return np.var(x, out=x)

    x = np.ones(4)
    with pytest.raises(dp.ShapeError, match=r"np\.var: ddof=4"):
        dp.grad(bad_ddof)(x)
    with pytest.raises(dp.UnsupportedSyntaxError, match=r"np\.var\(out=\.\.\.\) is not supported"):
        dp.grad(var_into)(x)
