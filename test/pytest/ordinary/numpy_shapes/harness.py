"""Checks of a numpy program against its JAX twin: the value, reverse and forward derivatives, second order.

The twin is the program's own code run with `np` bound to jax.numpy (a
different implementation of every function, differentiated by JAX), so a
program is written once. JAX runs in float64; dp's float32 results are
compared with it at float32 precision.
"""

from __future__ import annotations

import types
from typing import Any, Callable, Sequence

import numpy as np
import pytest

import dp

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy

RTOL = {np.dtype("float64"): 1e-10, np.dtype("float32"): 2e-4}


def twin(fn: Callable) -> Callable:
    """`fn` with the global `np` bound to jax.numpy."""
    scope = dict(fn.__globals__)
    scope["np"] = jnp
    return types.FunctionType(fn.__code__, scope, fn.__name__, fn.__defaults__, fn.__closure__)


def _leaves(tree: Any) -> list[Any]:
    if isinstance(tree, (tuple, list)):
        return [leaf for item in tree for leaf in _leaves(item)]
    return [tree]


def assert_close(got: Any, expected: Any, dtype: np.dtype, where: str, same_dtype: bool = True) -> None:
    """Same structure and shapes; values within the dtype's tolerance of the largest expected entry; float
    arrays of `dtype` (with same_dtype; values are compared with numpy's own dtypes by check_value)."""
    got_leaves, expected_leaves = _leaves(got), _leaves(expected)
    assert len(got_leaves) == len(expected_leaves), f"{where}: {len(got_leaves)} leaves, expected {len(expected_leaves)}"
    for i, (g, e) in enumerate(zip(got_leaves, expected_leaves)):
        assert not isinstance(g, jax.Array), f"{where}[{i}]: dp returned a JAX array"
        if isinstance(e, np.ndarray) and not same_dtype:
            assert isinstance(g, np.ndarray) and g.dtype == e.dtype, f"{where}[{i}]: {g!r} is not of dtype {e.dtype}"
        e = np.asarray(e, dtype=np.float64)
        assert np.shape(g) == e.shape, f"{where}[{i}]: shape {np.shape(g)} != {e.shape}"
        if same_dtype and isinstance(g, np.ndarray) and g.dtype.kind == "f":
            assert g.dtype == dtype, f"{where}[{i}]: dtype {g.dtype}, expected {dtype}"
        rtol = RTOL[dtype]
        scale = float(np.max(np.abs(e))) if e.size else 0.0
        np.testing.assert_allclose(np.asarray(g, dtype=np.float64), e, rtol=rtol, atol=rtol * max(scale, 1.0), err_msg=where)


def cast(args: Sequence[Any], dtype: np.dtype) -> tuple:
    return tuple(np.asarray(a, dtype=dtype) if isinstance(a, np.ndarray) and a.dtype.kind == "f" else a for a in args)


def directions(args: Sequence[Any], seed: int) -> tuple:
    """Random tangents in the arguments' structure (a Python float for a float)."""
    generator = np.random.default_rng(seed)
    return tuple(
        float(generator.standard_normal()) if isinstance(a, float) else generator.standard_normal(np.shape(a)).astype(a.dtype)
        for a in args
    )


def check_value(fn: Callable, args: tuple, dtype: np.dtype) -> None:
    """dp's compiled value against numpy's."""
    args = cast(args, dtype)
    assert_close(dp.compile(fn)(*args), fn(*args), dtype, "value", same_dtype=False)


def check_reverse(fn: Callable, args: tuple, dtype: np.dtype) -> None:
    """dp.grad (all arguments) and dp.vjp against jax.grad / jax.vjp of the twin."""
    argnums = tuple(range(len(args)))
    low = cast(args, dtype)
    expected = jax.grad(twin(fn), argnums=argnums)(*args)
    assert_close(dp.grad(fn, argnums=argnums)(*low), expected, dtype, "dp.grad")
    value, pullback = dp.vjp(fn, *low)
    assert_close(pullback(1.0), expected, dtype, "dp.vjp")


def check_forward(fn: Callable, args: tuple, dtype: np.dtype) -> None:
    """dp.jvp against jax.jvp of the twin (float64 primals and tangents for JAX)."""
    tangents = directions(args, 7)
    expected_value, expected = jax.jvp(twin(fn), args, tangents)
    value, tangent = dp.jvp(fn, cast(args, dtype), cast(tangents, dtype))
    assert_close(value, expected_value, dtype, "dp.jvp value", same_dtype=False)
    assert_close(tangent, expected, dtype, "dp.jvp tangent", same_dtype=False)


def check_vjp_of_array(fn: Callable, args: tuple, dtype: np.dtype) -> None:
    """dp.vjp of a program with array (or list) results against jax.vjp, with a random cotangent."""
    expected_value, pullback = jax.vjp(twin(fn), *args)
    generator = np.random.default_rng(3)
    cotangent = jax.tree_util.tree_map(lambda v: generator.standard_normal(np.shape(v)), expected_value)
    value, dp_pullback = dp.vjp(fn, *cast(args, dtype))
    # The cotangent has the dtypes of dp's results (numpy's promotion may widen a float32 program's result).
    low = jax.tree_util.tree_map(lambda c, v: np.asarray(c, dtype=np.asarray(v).dtype), cotangent, _as_lists(value, cotangent))
    if isinstance(low, np.ndarray) and low.ndim == 0:
        low = float(low)
    assert_close(value, expected_value, dtype, "dp.vjp value", same_dtype=False)
    assert_close(dp_pullback(low), pullback(cotangent), dtype, "dp.vjp pullback")


def _as_lists(value: Any, like: Any) -> Any:
    """dp's result in the container types of JAX's (a list for a list)."""
    if isinstance(like, (list, tuple)):
        return type(like)(_as_lists(v, l) for v, l in zip(value, like))
    return value


def check_second_order(fn: Callable, args: tuple) -> None:
    """Forward over reverse (a Hessian-vector product) against JAX's, float64."""
    argnums = tuple(range(len(args)))
    tangents = directions(args, 11)
    _, expected = jax.jvp(jax.grad(twin(fn), argnums=argnums), args, tangents)
    _, got = dp.jvp(dp.grad(fn, argnums=argnums), args, tangents)
    assert_close(got, expected, np.dtype("float64"), "dp.jvp(dp.grad)")


__all__ = ["check_forward", "check_reverse", "check_second_order", "check_value", "check_vjp_of_array", "twin"]
