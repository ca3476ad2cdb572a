"""Oracles for the executed API tests: pytrees, JAX twins, finite differences.

Everything here is independent of dp: structures are flattened by a small
pytree walker of our own (tuples, lists, dicts, NamedTuples, dataclasses),
Jacobians come from `jax.jacfwd` of a hand-written JAX twin (exact up to
rounding) or from Richardson-extrapolated central differences of the plain
Python function in float64, and each oracle is checked before it is trusted
(the twin's value against Python's, the differences for convergence).

Derivatives are arranged as one matrix J (float result leaves x float
argument leaves over all arguments); gradients, JVPs, VJPs and Jacobians in
the structure dp returns are all built from it.
"""

from __future__ import annotations

import dataclasses
import math
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_enable_x64", True)

# Tolerances. JAX twins are the same arithmetic in another compiler: they
# agree with dp to rounding, so 1e-9 relative is already generous.
RTOL_EXACT = 1e-9
# Central differences, Richardson-extrapolated: truncation error O(h^4) and
# rounding error eps/h ~ 1e-13 relative, so ~1e-10 typically; 1e-7 leaves
# room for the large higher derivatives of loops without hiding real bugs
# (a wrong derivative is off by O(1)).
RTOL_FD = 1e-7


# --------------------------------------------------------------------------
# Pytrees
# --------------------------------------------------------------------------


def is_float(leaf: Any) -> bool:
    return isinstance(leaf, float)


def _is_namedtuple(tree: Any) -> bool:
    return isinstance(tree, tuple) and hasattr(type(tree), "_fields")


def _children(tree: Any) -> list[Any] | None:
    if _is_namedtuple(tree) or isinstance(tree, (tuple, list)):
        return list(tree)
    if isinstance(tree, dict):
        return list(tree.values())
    if dataclasses.is_dataclass(tree) and not isinstance(tree, type):
        return [getattr(tree, f.name) for f in dataclasses.fields(tree)]
    return None


def _rebuild(tree: Any, children: list[Any]) -> Any:
    if _is_namedtuple(tree):
        return type(tree)(*children)
    if isinstance(tree, tuple):
        return tuple(children)
    if isinstance(tree, list):
        return list(children)
    if isinstance(tree, dict):
        return dict(zip(tree.keys(), children))
    return type(tree)(**{f.name: c for f, c in zip(dataclasses.fields(tree), children)})


def leaves(tree: Any) -> list[Any]:
    """All leaves in order: sequence order, dict insertion order, field order."""
    children = _children(tree)
    if children is None:
        return [tree]
    return [leaf for child in children for leaf in leaves(child)]


def replace_leaves(tree: Any, new: Sequence[Any]) -> Any:
    """`tree` with its leaves replaced, in order, by `new`."""
    it = iter(new)

    def go(node: Any) -> Any:
        children = _children(node)
        if children is None:
            return next(it)
        return _rebuild(node, [go(c) for c in children])

    out = go(tree)
    assert next(it, None) is None, "too many leaves"
    return out


def float_leaves(tree: Any) -> list[float]:
    return [leaf for leaf in leaves(tree) if is_float(leaf)]


def with_float_leaves(tree: Any, values: Sequence[Any], other: Any = None) -> Any:
    """`tree` with its float leaves replaced by `values` and every other leaf by `other`.

    `other=KEEP` keeps the non-float leaves (ints, bools, strings) as they are.
    """
    it = iter(values)
    new = [next(it) if is_float(leaf) else (leaf if other is KEEP else other) for leaf in leaves(tree)]
    assert next(it, None) is None, "too many values"
    return replace_leaves(tree, new)


KEEP = object()


def assert_tree_close(got: Any, expected: Any, rtol: float, atol: float = 0.0, path: str = "") -> None:
    """Same structure and node types, None where expected is None, floats close."""
    where = path or "<root>"
    if expected is None:
        assert got is None, f"{where}: expected None, got {got!r}"
        return
    if is_float(expected):
        assert type(got) is float, f"{where}: expected a float, got {type(got).__name__} {got!r}"
        assert math.isclose(got, expected, rel_tol=rtol, abs_tol=atol), (
            f"{where}: got {got!r}, expected {expected!r} (rtol {rtol}, atol {atol})"
        )
        return
    assert type(got) is type(expected), f"{where}: expected {type(expected).__name__}, got {type(got).__name__} {got!r}"
    if isinstance(expected, dict):
        assert set(got) == set(expected), f"{where}: keys {list(got)} != {list(expected)}"
        for key in expected:
            assert_tree_close(got[key], expected[key], rtol, atol, f"{path}[{key!r}]")
        return
    children = _children(expected)
    if children is None:
        assert got == expected, f"{where}: got {got!r}, expected {expected!r}"
        return
    got_children = _children(got)
    assert len(got_children) == len(children), f"{where}: {len(got_children)} children, expected {len(children)}"
    names = (
        [f.name for f in dataclasses.fields(expected)]
        if dataclasses.is_dataclass(expected)
        else list(getattr(type(expected), "_fields", range(len(children))))
    )
    for name, g, e in zip(names, got_children, children):
        assert_tree_close(g, e, rtol, atol, f"{path}.{name}" if isinstance(name, str) else f"{path}[{name}]")


def rng_for(name: str) -> np.random.Generator:
    """A generator seeded from a test's name: reproducible, different per test."""
    return np.random.default_rng(zlib.crc32(name.encode()))


# --------------------------------------------------------------------------
# Jacobian oracles
# --------------------------------------------------------------------------


@dataclass
class Oracle:
    """Derivatives of `fn` at `args`: J[i, j] = d(float result leaf i) / d(float argument leaf j)."""

    args: tuple
    result: Any  # fn(*args), evaluated by Python
    jacobian: np.ndarray
    rtol: float
    atol: float
    # float leaves per argument: columns [offsets[k], offsets[k + 1]) belong to args[k]
    offsets: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        counts = [len(float_leaves(a)) for a in self.args]
        self.offsets = [0] + list(np.cumsum(counts))

    def grad_tree(self, row: np.ndarray, argnum: int) -> Any:
        """One argument's gradient in its structure: floats from `row`, None for other leaves."""
        values = [float(v) for v in row[self.offsets[argnum] : self.offsets[argnum + 1]]]
        return with_float_leaves(self.args[argnum], values)

    def grads(self, row: np.ndarray, argnums: int | tuple[int, ...]) -> Any:
        if isinstance(argnums, int):
            return self.grad_tree(row, argnums)
        return tuple(self.grad_tree(row, n) for n in argnums)

    def jacobian_tree(self, argnums: int | tuple[int, ...]) -> Any:
        """dp.jacobian's layout: the result's structure, each float leaf holding the gradients."""
        rows = [self.grads(self.jacobian[i], argnums) for i in range(self.jacobian.shape[0])]
        return with_float_leaves(self.result, rows)

    def tangent_out(self, tangent_args: tuple) -> Any:
        t = np.array([v for a in tangent_args for v in float_leaves(a)])
        return with_float_leaves(self.result, [float(v) for v in self.jacobian @ t])

    def cotangent_in(self, cotangent: Any) -> tuple:
        v = np.array(float_leaves(cotangent))
        row = self.jacobian.T @ v if v.size else np.zeros(self.jacobian.shape[1])
        return tuple(self.grad_tree(row, n) for n in range(len(self.args)))


def _scale(matrix: np.ndarray) -> float:
    return max(1.0, float(np.max(np.abs(matrix)))) if matrix.size else 1.0


def jax_oracle(fn: Callable, twin: Callable, args: tuple, rtol: float = RTOL_EXACT) -> Oracle:
    """The Jacobian of the JAX twin by jax.jacfwd (forward mode: works through lax.while_loop too)."""
    result = fn(*args)
    result_float = [is_float(leaf) for leaf in leaves(result)]
    count = sum(len(float_leaves(a)) for a in args)

    def flat(x: jax.Array) -> jax.Array:
        it = iter(range(count))
        rebuilt = tuple(with_float_leaves(a, [x[next(it)] for _ in float_leaves(a)], KEEP) for a in args)
        out = leaves(twin(*rebuilt))
        assert len(out) == len(result_float), "the twin's result has another structure than the function's"
        picked = [jnp.asarray(o, dtype=jnp.float64) for o, f in zip(out, result_float) if f]
        return jnp.stack(picked) if picked else jnp.zeros((0,))

    x0 = jnp.array([v for a in args for v in float_leaves(a)], dtype=jnp.float64)
    twin_value = np.asarray(flat(x0))
    python_value = np.array(float_leaves(result))
    np.testing.assert_allclose(twin_value, python_value, rtol=1e-12, atol=1e-300, err_msg="the JAX twin is wrong")
    jacobian = np.asarray(jax.jacfwd(flat)(x0)).reshape(len(python_value), count)
    assert np.all(np.isfinite(jacobian)), jacobian
    return Oracle(args, result, jacobian, rtol, 1e-12 * _scale(jacobian))


def fd_oracle(
    fn: Callable,
    args: tuple,
    rtol: float = RTOL_FD,
    invariant: Callable[..., Any] | None = None,
    step: float = 1e-3,
) -> Oracle:
    """The Jacobian by Richardson-extrapolated central differences of the Python function.

    `invariant(*args)` (for example a loop's trip count) must not change at
    any perturbed point, so the differences never straddle a discontinuity;
    the extrapolations at h and h/2 must agree, so the oracle has converged.
    """
    result = fn(*args)
    base_inv = invariant(*args) if invariant else None
    x0 = np.array([v for a in args for v in float_leaves(a)], dtype=np.float64)

    def at(x: np.ndarray) -> np.ndarray:
        it = iter(x.tolist())
        rebuilt = tuple(with_float_leaves(a, [next(it) for _ in float_leaves(a)], KEEP) for a in args)
        if invariant:
            assert invariant(*rebuilt) == base_inv, "a perturbation changed the invariant: move the test point"
        return np.array(float_leaves(fn(*rebuilt)), dtype=np.float64)

    columns = []
    for j in range(len(x0)):
        h = step * max(0.1, abs(x0[j]))

        def central(hh: float) -> np.ndarray:
            e = np.zeros_like(x0)
            e[j] = hh
            return (at(x0 + e) - at(x0 - e)) / (2 * hh)

        d1, d2, d4 = central(h), central(h / 2), central(h / 4)
        r1 = (4 * d2 - d1) / 3
        r2 = (4 * d4 - d2) / 3
        scale = np.maximum(np.abs(r2), 1.0)
        assert np.all(np.abs(r1 - r2) <= 0.1 * rtol * scale), f"differences have not converged: {r1} vs {r2}"
        columns.append(r2)
    jacobian = np.stack(columns, axis=1) if columns else np.zeros((len(float_leaves(result)), 0))
    return Oracle(args, result, jacobian, rtol, rtol * _scale(jacobian))
