"""Shared oracles of the nested-differentiation tests: tree comparison, JAX helpers, differences.

Everything here is independent of dp. JAX runs in float64 and eagerly (no jit), so the
JAX twins may use Python control flow on traced values (`while y < 10.0`, `if x > 0`):
every JAX transform sees concrete primal values, as dp's compiled code does, and the
twins follow the same path through the program.
"""

from __future__ import annotations

import functools
import math
from typing import Any, Callable, Sequence

import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_enable_x64", True)

# JAX twins are the same arithmetic compiled by another compiler: agreement to rounding.
RTOL = 1e-10
# Richardson-extrapolated central differences of a (first) derivative dp computes.
RTOL_FD = 1e-6


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def _is_leaf(value: Any) -> bool:
    return not isinstance(value, (tuple, list, dict)) and value is not None


def assert_close(got: Any, expected: Any, rtol: float = RTOL, where: str = "result") -> None:
    """Same tree (tuples, lists, dicts; None where expected is None), leaves of the same shape
    and close values. Leaves of dp's answer must be numpy arrays or Python numbers, not JAX
    arrays (a test that compared JAX with itself would pass for any dp)."""
    if expected is None:
        assert got is None, f"{where}: expected None, got {got!r}"
        return
    if isinstance(expected, dict):
        assert isinstance(got, dict), f"{where}: expected a dict, got {type(got).__name__} {got!r}"
        assert list(got) == list(expected), f"{where}: keys {list(got)} != {list(expected)}"
        for key in expected:
            assert_close(got[key], expected[key], rtol, f"{where}[{key!r}]")
        return
    if isinstance(expected, (tuple, list)):
        assert isinstance(got, (tuple, list)), f"{where}: expected a sequence, got {type(got).__name__} {got!r}"
        assert len(got) == len(expected), f"{where}: {len(got)} items, expected {len(expected)}"
        for i, (g, e) in enumerate(zip(got, expected)):
            assert_close(g, e, rtol, f"{where}[{i}]")
        return
    assert not isinstance(got, jax.Array), f"{where}: dp returned a JAX array"
    assert isinstance(got, (float, int, np.ndarray, np.floating)), (
        f"{where}: expected a number or an ndarray, got {type(got).__name__} {got!r}"
    )
    want = np.asarray(expected, dtype=np.float64)
    have = np.asarray(got, dtype=np.float64)
    assert have.shape == want.shape, f"{where}: shape {have.shape} != {want.shape}"
    finite = np.abs(want[np.isfinite(want)])
    scale = max(1.0, float(np.max(finite))) if finite.size else 1.0
    np.testing.assert_allclose(have, want, rtol=rtol, atol=rtol * 1e-2 * scale, err_msg=where)


def to_numpy(tree: Any) -> Any:
    """JAX results as numpy arrays / Python floats, in the same structure."""
    return jax.tree_util.tree_map(
        lambda leaf: float(leaf) if np.ndim(leaf) == 0 else np.asarray(leaf), tree
    )


def is_float_arg(value: Any) -> bool:
    """A differentiable leaf: a Python float or a float ndarray (ints and int arrays are data)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return True
    return isinstance(value, np.ndarray) and value.dtype.kind == "f"


def zero_tangent(value: Any) -> Any:
    """What dp.jvp takes as the tangent of an argument held still (0 for ints, as dp's README)."""
    if isinstance(value, np.ndarray):
        return np.zeros_like(value)
    if isinstance(value, float):
        return 0.0
    return 0


def bind_data(fn: Callable, args: Sequence[Any], positions: Sequence[int]) -> Callable:
    """`fn` as a function of args[positions] only, the other arguments fixed (for jax.vjp/jvp,
    which take no int primals)."""
    args = list(args)

    def bound(*values):
        full = list(args)
        for i, v in zip(positions, values):
            full[i] = v
        return fn(*full)

    return bound


def jax_hook(fn: Callable, x: Any) -> Any:
    """The JAX twin of dp.hook / Zygote's hook: identity forward, `fn` of the cotangent backward."""
    return _jax_hook(fn, x)


@functools.partial(jax.custom_vjp, nondiff_argnums=(0,))
def _jax_hook(fn, x):
    return x


def _jax_hook_fwd(fn, x):
    return x, None


def _jax_hook_bwd(fn, _, cotangent):
    return (fn(cotangent),)


_jax_hook.defvjp(_jax_hook_fwd, _jax_hook_bwd)


def richardson(fn: Callable[[float], Any], x: float, h: float = 1e-3) -> Any:
    """d fn / dx at x by central differences, Richardson-extrapolated twice (error O(h^6))."""

    def central(step: float) -> np.ndarray:
        return (np.asarray(fn(x + step), dtype=np.float64) - np.asarray(fn(x - step), dtype=np.float64)) / (2 * step)

    d1, d2, d3 = central(h), central(h / 2), central(h / 4)
    r1 = (4 * d2 - d1) / 3
    r2 = (4 * d3 - d2) / 3
    return (16 * r2 - r1) / 15


def directional_fd(fn: Callable[[np.ndarray], Any], x: np.ndarray, v: np.ndarray, h: float = 1e-3) -> np.ndarray:
    """d/dt fn(x + t v) at t = 0 by Richardson-extrapolated central differences."""
    return richardson(lambda t: fn(x + t * v), 0.0, h)


def jacobian_fd(fn: Callable[[np.ndarray], Any], x: np.ndarray, h: float = 1e-3) -> np.ndarray:
    """The Jacobian of an array-valued fn of an array x, laid out as jax.jacfwd: out.shape + x.shape."""
    columns = []
    for index in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[index] = 1.0
        columns.append(directional_fd(fn, x, e, h))
    out_shape = np.shape(columns[0])
    stacked = np.stack(columns, axis=-1)
    return stacked.reshape(out_shape + x.shape)


def assert_fd_close(got: Any, expected: Any, where: str = "result") -> None:
    assert_close(got, expected, RTOL_FD, where)


__all__ = [
    "RTOL",
    "RTOL_FD",
    "assert_close",
    "assert_fd_close",
    "bind_data",
    "directional_fd",
    "is_float_arg",
    "jacobian_fd",
    "jax_hook",
    "jnp",
    "math",
    "richardson",
    "rng",
    "to_numpy",
    "zero_tangent",
]
