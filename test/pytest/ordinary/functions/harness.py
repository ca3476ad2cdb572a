"""Checks of a functions-as-values program against its JAX twin: value, reverse and forward derivatives,
second order, in float64 and float32.

The twin is the program's module run again with `np` bound to jax.numpy:
every function of the module is rebuilt over that namespace, so the helpers
that make and compose closures (`dense`, `chain`) run JAX code too. JAX runs
eagerly in float64; dp's float32 results are compared with it at float32
precision.
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
_twins: dict[int, dict[str, Any]] = {}


def twin(fn: Callable) -> Callable:
    """`fn` with its module's functions rebuilt over a namespace where `np` is jax.numpy."""
    module = fn.__globals__
    scope = _twins.get(id(module))
    if scope is None:
        scope = dict(module)
        scope["np"] = jnp
        for name, value in module.items():
            if isinstance(value, types.FunctionType) and value.__globals__ is module:
                scope[name] = types.FunctionType(
                    value.__code__, scope, value.__name__, value.__defaults__, value.__closure__
                )
                scope[name].__kwdefaults__ = value.__kwdefaults__
        # A default that is a module-level function (dense's `act=identity`) must be the twin's too.
        for name, value in list(scope.items()):
            if isinstance(value, types.FunctionType) and value.__globals__ is scope and value.__defaults__:
                value.__defaults__ = tuple(
                    scope[d.__name__] if isinstance(d, types.FunctionType) and d.__globals__ is module else d
                    for d in value.__defaults__
                )
        _twins[id(module)] = scope
    return scope[fn.__name__]


def tree_map(fn: Callable[[Any], Any], tree: Any) -> Any:
    """`fn` of every leaf of nested tuples, lists and dicts (dict key order kept)."""
    if isinstance(tree, dict):
        return {key: tree_map(fn, value) for key, value in tree.items()}
    if isinstance(tree, (tuple, list)):
        return type(tree)(tree_map(fn, value) for value in tree)
    return fn(tree)


def assert_close(got: Any, expected: Any, dtype: np.dtype, where: str) -> None:
    """Same tree structure and leaf shapes; values within the dtype's tolerance of the largest expected entry."""
    structure = jax.tree_util.tree_structure
    assert structure(tree_map(lambda _: 0, got)) == structure(tree_map(lambda _: 0, expected)), (
        f"{where}: structure of {got!r} differs from {expected!r}"
    )
    for i, (g, e) in enumerate(zip(jax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(expected))):
        assert not isinstance(g, jax.Array), f"{where}[{i}]: dp returned a JAX array"
        assert isinstance(g, (float, int, np.ndarray, np.floating)), f"{where}[{i}]: {type(g).__name__} {g!r}"
        e = np.asarray(e, dtype=np.float64)
        assert np.shape(g) == e.shape, f"{where}[{i}]: shape {np.shape(g)} != {e.shape}"
        rtol = RTOL[dtype]
        scale = float(np.max(np.abs(e))) if e.size else 0.0
        np.testing.assert_allclose(
            np.asarray(g, dtype=np.float64), e, rtol=rtol, atol=rtol * max(scale, 1.0), err_msg=where
        )


def cast(args: Any, dtype: np.dtype) -> Any:
    """The float arrays of a tree in `dtype` (Python floats stay Python floats: dp computes them in f64)."""
    return tree_map(lambda a: a.astype(dtype) if isinstance(a, np.ndarray) and a.dtype.kind == "f" else a, args)


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
    assert_close(dp.compile(fn)(*cast(args, dtype)), twin(fn)(*args), dtype, "value")


def check_reverse(fn: Callable, args: tuple, dtype: np.dtype) -> None:
    """dp.grad (every argument) and dp.vjp against jax.grad of the twin."""
    argnums = tuple(range(len(args)))
    low = cast(args, dtype)
    expected = jax.grad(twin(fn), argnums=argnums)(*args)
    assert_close(dp.grad(fn, argnums=argnums)(*low), expected, dtype, "dp.grad")
    _, pullback = dp.vjp(fn, *low)
    assert_close(pullback(1.0), expected, dtype, "dp.vjp")


def check_forward(fn: Callable, args: tuple, dtype: np.dtype) -> None:
    """dp.jvp along a random direction against jax.jvp of the twin."""
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


__all__ = ["assert_close", "check_forward", "check_reverse", "check_second_order", "check_value", "twin"]
