"""Oracle checks of indexing programs: dp against a JAX twin, both modes, first and second order, f64 and f32.

Integer arguments (index arrays, labels) are data: passed to both programs
unchanged, never differentiated. Float arguments are cast to the dtype under
test; the twin always runs in float64, so float32 results are compared at a
float32 tolerance.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

import dp

jax = __import__("pytest").importorskip("jax")
jax.config.update("jax_enable_x64", True)

RTOL = {"float64": 1e-10, "float32": 1e-4}


def _close(got: Any, expected: Any, rtol: float, what: str) -> None:
    got_leaves = jax.tree_util.tree_leaves(got)
    expected_leaves = jax.tree_util.tree_leaves(expected)
    assert len(got_leaves) == len(expected_leaves), f"{what}: {len(got_leaves)} leaves vs {len(expected_leaves)}"
    for k, (g, e) in enumerate(zip(got_leaves, expected_leaves)):
        assert not isinstance(g, jax.Array), f"{what}: dp returned a JAX array"
        e = np.asarray(e, dtype=np.float64)
        g = np.asarray(g, dtype=np.float64)
        assert g.shape == e.shape, f"{what} (leaf {k}): shape {g.shape} != {e.shape}"
        scale = max(1.0, float(np.max(np.abs(e)))) if e.size else 1.0
        np.testing.assert_allclose(g, e, rtol=rtol, atol=rtol * scale, err_msg=f"{what} (leaf {k})")


def _is_float(a: Any) -> bool:
    return isinstance(a, np.ndarray) and a.dtype.kind == "f"


def check_twin(
    fn: Callable[..., Any],
    twin: Callable[..., Any],
    args: Sequence[Any],
    dtype: str = "float64",
    second_order: bool = True,
    seed: int = 0,
) -> None:
    """fn (dp) vs twin (jax.numpy): the value (and numpy's own value of fn), the gradient in reverse mode, a JVP
    along a random direction in forward mode, and both second orders (reverse over forward, forward over
    reverse), with respect to every float argument."""
    rtol = RTOL[dtype]
    diff = tuple(i for i, a in enumerate(args) if _is_float(a))
    x64 = [np.asarray(a, dtype=np.float64) if i in diff else a for i, a in enumerate(args)]
    xs = [a.astype(dtype) if i in diff else a for i, a in enumerate(x64)]
    rng = np.random.default_rng(seed)
    t64 = [rng.standard_normal(a.shape) if i in diff else None for i, a in enumerate(x64)]
    ts = tuple(t.astype(dtype) if t is not None else np.zeros_like(a) for a, t in zip(xs, t64))

    def bound(program: Callable[..., Any], data: Sequence[Any]) -> Callable[..., Any]:
        """The program as a function of its float arguments only (JAX takes no int primals)."""

        def call(*floats: Any) -> Any:
            full = list(data)
            for i, v in zip(diff, floats):
                full[i] = v
            return program(*full)

        return call

    twin_floats = bound(twin, x64)
    floats64 = tuple(x64[i] for i in diff)
    floats_t = tuple(t64[i] for i in diff)
    _close(dp.compile(fn)(*xs), twin(*x64), rtol, "value")
    _close(fn(*xs), twin(*x64), rtol, "numpy's value (the program means what the twin means)")
    argnums = tuple(range(len(diff)))
    _close(dp.grad(fn, argnums=diff)(*xs), jax.grad(twin_floats, argnums=argnums)(*floats64), rtol, "reverse")
    _, tangent = dp.jvp(fn, tuple(xs), ts)
    _, expected = jax.jvp(twin_floats, floats64, floats_t)
    _close(tangent, expected, rtol, "forward")
    if not second_order:
        return

    def directional(*a: Any) -> Any:
        return dp.jvp(fn, a, ts)[1]

    def twin_directional(*floats: Any) -> Any:
        return jax.jvp(twin_floats, floats, floats_t)[1]

    _close(dp.grad(directional, argnums=diff)(*xs), jax.grad(twin_directional, argnums=argnums)(*floats64),
           10 * rtol, "reverse over forward")
    _, second = dp.jvp(dp.grad(fn, argnums=diff), tuple(xs), ts)
    _, expected2 = jax.jvp(jax.grad(twin_floats, argnums=argnums), floats64, floats_t)
    _close(second, expected2, 10 * rtol, "forward over reverse")
