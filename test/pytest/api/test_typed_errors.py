"""Inputs that once met an untyped exception or an InternalCompilerError inside dp.

Each either works (checked against JAX) or is a typed dp error that names
what to do, at the user's line.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.special

import dp
from dp.runtime import cache

jax.config.update("jax_enable_x64", True)

MASK = np.random.default_rng(0).standard_normal((4, 5)) > 0  # a bool array held in a global


def where_mask(x, y):
    return np.sum(np.where(MASK, x * x, y))


def test_a_bool_array_constant():
    x = np.linspace(-1.0, 1.0, 20).reshape(4, 5)
    y = np.ones((4, 5))
    assert dp.compile(where_mask)(x, y) == pytest.approx(float(jnp.sum(jnp.where(MASK, x * x, y))), rel=1e-15)
    expected = jax.grad(lambda x, y: jnp.sum(jnp.where(MASK, x * x, y)), argnums=(0, 1))(x, y)
    got = dp.grad(where_mask, argnums=(0, 1))(x, y)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-15)


def uses_scipy_erf(x):
    return scipy.special.j0(x)  # scipy j0


def test_a_scipy_ufunc_is_named_as_scipy_s():
    with pytest.raises(dp.UnsupportedSyntaxError) as info:
        dp.compile(uses_scipy_erf)(0.5)
    message = str(info.value)
    assert "scipy.special.j0 is not supported" in message and "np.j0" not in message


def pair(x):
    return x, x * 2.0


def nothing(x):
    return None


def text(x):
    return "s"


def mixed(x):
    return x, "s", None


@pytest.mark.parametrize(
    "fn,expected",
    [(pair, ((1.5, 3.0), (1.0, 2.0))), (nothing, (None, None)), (text, ("s", None)), (mixed, ((1.5, "s", None), (1.0, None, None)))],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_jvp_of_results_that_are_not_one_float(fn, expected):
    assert dp.jvp(fn, (1.5,), (1.0,)) == expected


def test_a_tangent_that_is_not_a_float_is_a_typed_error():
    with pytest.raises(dp.TypeMismatchError, match="complex"):
        dp.jvp(pair, (1.5,), (1j,))
    with pytest.raises(dp.TypeMismatchError, match="tangent"):
        dp.jvp(pair, (1.5,), ((1.0,),))


def test_two_lambdas_on_one_line_are_told_apart_by_their_code(tmp_path):
    square, cube = (lambda x: x * x), (lambda x: x * x * x)
    assert (dp.grad(square)(2.0), dp.grad(cube)(2.0)) == (4.0, 12.0)
    # Through a fresh disk cache too, whose key once took only the source lines and the qualified name.
    saved = cache.config.directory
    cache.configure(tmp_path / "dp-cache")
    try:
        assert (dp.compile(square)(3.0), dp.compile(cube)(3.0)) == (9.0, 27.0)
        assert cache.stats.stores >= 2
    finally:
        cache.config.directory = saved


def test_an_unavailable_target_is_a_typed_error_at_the_functions_line():
    from dp.backends import gpu

    if gpu.available():
        pytest.skip("a GPU is present")
    with pytest.raises(dp.UnsupportedTargetError) as info:
        dp.compile(pair, target="gpu")(1.0)
    assert isinstance(info.value, dp.GpuUnavailableError)
    assert "test_typed_errors.py:" in str(info.value) and "def pair" in str(info.value)
