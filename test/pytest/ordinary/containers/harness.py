"""Checks of a container program against its JAX twin: value, reverse and forward derivatives, second order.

The twin is the program's own code with the global `np` bound to jax.numpy:
the lists, dicts, comprehensions and builtins are plain Python under JAX,
whose eager transforms see concrete values, so Python control flow on traced
values works there too. Arguments are trees (lists, tuples, dicts) of float
arrays and Python floats; every float leaf is differentiated. JAX runs in
float64, and dp's float32 results are compared with it at float32 precision.
"""

from __future__ import annotations

import types
from typing import Any, Callable

import numpy as np
import pytest

import dp

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy

RTOL = {np.dtype("float64"): 1e-10, np.dtype("float32"): 2e-4}
FLOAT64 = np.dtype("float64")


def twin(fn: Callable) -> Callable:
    """`fn` with the global `np` bound to jax.numpy."""
    scope = dict(fn.__globals__)
    scope["np"] = jnp
    return types.FunctionType(fn.__code__, scope, fn.__name__, fn.__defaults__, fn.__closure__)


def _leaves(tree: Any) -> list[Any]:
    return jax.tree_util.tree_leaves(tree)


def assert_close(got: Any, expected: Any, dtype: np.dtype, where: str) -> None:
    """Same tree structure and leaf shapes; values within the dtype's tolerance of the largest expected entry."""
    got_structure = jax.tree_util.tree_structure(jax.tree_util.tree_map(lambda _: 0, got))
    expected_structure = jax.tree_util.tree_structure(jax.tree_util.tree_map(lambda _: 0, expected))
    assert got_structure == expected_structure, f"{where}: structure {got_structure} != {expected_structure}"
    for i, (g, e) in enumerate(zip(_leaves(got), _leaves(expected))):
        assert not isinstance(g, jax.Array), f"{where}[{i}]: dp returned a JAX array"
        assert isinstance(g, (float, int, np.ndarray, np.floating)), f"{where}[{i}]: {type(g).__name__} {g!r}"
        e = np.asarray(e, dtype=np.float64)
        assert np.shape(g) == e.shape, f"{where}[{i}]: shape {np.shape(g)} != {e.shape}"
        rtol = RTOL[dtype]
        scale = float(np.max(np.abs(e))) if e.size else 0.0
        np.testing.assert_allclose(
            np.asarray(g, dtype=np.float64), e, rtol=rtol, atol=rtol * max(scale, 1.0), err_msg=where
        )


def tree_map(fn: Callable[[Any], Any], tree: Any) -> Any:
    """`fn` of every leaf, keeping dicts in their own key order (dp's trees are ordered; JAX sorts keys)."""
    if isinstance(tree, dict):
        return {key: tree_map(fn, value) for key, value in tree.items()}
    if isinstance(tree, (tuple, list)):
        return type(tree)(tree_map(fn, value) for value in tree)
    return fn(tree)


def cast(args: Any, dtype: np.dtype) -> Any:
    """The float arrays of a tree in `dtype` (Python floats stay Python floats: dp computes them in f64)."""
    return tree_map(lambda a: np.asarray(a, dtype=dtype) if isinstance(a, np.ndarray) and a.dtype.kind == "f" else a, args)


def directions(args: Any, seed: int) -> Any:
    """Random tangents with the structure of `args`."""
    generator = np.random.default_rng(seed)

    def draw(a: Any) -> Any:
        if isinstance(a, np.ndarray):
            return generator.standard_normal(a.shape).astype(a.dtype)
        return float(generator.standard_normal())

    return tree_map(draw, args)


def check_value(fn: Callable, args: tuple, dtype: np.dtype) -> None:
    """dp's compiled value against the twin's."""
    expected = twin(fn)(*args)
    assert_close(dp.compile(fn)(*cast(args, dtype)), expected, dtype, "value")


def check_reverse(fn: Callable, args: tuple, dtype: np.dtype) -> None:
    """dp.grad (every argument) and dp.vjp against jax.grad of the twin."""
    argnums = tuple(range(len(args)))
    low = cast(args, dtype)
    expected = jax.grad(twin(fn), argnums=argnums)(*args)
    assert_close(dp.grad(fn, argnums=argnums)(*low), expected, dtype, "dp.grad")
    _, pullback = dp.vjp(fn, *low)
    assert_close(pullback(1.0), expected, dtype, "dp.vjp")


def check_vjp(fn: Callable, args: tuple, dtype: np.dtype) -> None:
    """dp.vjp of a program with structured or array results against jax.vjp, with a random cotangent."""
    expected_value, pullback = jax.vjp(twin(fn), *args)
    value, dp_pullback = dp.vjp(fn, *cast(args, dtype))
    assert_close(value, expected_value, dtype, "dp.vjp value")
    # A cotangent in the structure of dp's result (its floats and arrays), which JAX's matches.
    cotangent = directions(value, 3)
    wide = tree_map(lambda c: np.asarray(c, dtype=np.float64), cotangent)
    assert_close(dp_pullback(cotangent), pullback(wide), dtype, "dp.vjp pullback")


def check_forward(fn: Callable, args: tuple, dtype: np.dtype) -> None:
    """dp.jvp against jax.jvp of the twin, and dp.jacobian(mode="fwd") of the first argument for a scalar one."""
    tangents = directions(args, 7)
    expected_value, expected = jax.jvp(twin(fn), args, tangents)
    value, tangent = dp.jvp(fn, cast(args, dtype), cast(tangents, dtype))
    assert_close(value, expected_value, dtype, "dp.jvp value")
    assert_close(tangent, expected, dtype, "dp.jvp tangent")


def check_second_order(fn: Callable, args: tuple) -> None:
    """Forward over reverse (a Hessian-vector product) against JAX's, in float64."""
    argnums = tuple(range(len(args)))
    tangents = directions(args, 11)
    _, expected = jax.jvp(jax.grad(twin(fn), argnums=argnums), args, tangents)
    _, got = dp.jvp(dp.grad(fn, argnums=argnums), args, tangents)
    assert_close(got, expected, FLOAT64, "dp.jvp(dp.grad)")


__all__ = ["check_forward", "check_reverse", "check_second_order", "check_value", "check_vjp", "twin"]
