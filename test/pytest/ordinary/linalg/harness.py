"""Oracle checks of np.linalg programs: dp against a JAX twin, in both modes, first and second order."""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

import dp

jax = __import__("pytest").importorskip("jax")
jax.config.update("jax_enable_x64", True)

# float32 programs are compared with the float64 twin: LAPACK in single precision drifts by ~1e-6 relative
RTOL = {"float64": 1e-7, "float32": 2e-3}


def _close(got: Any, expected: Any, rtol: float, what: str) -> None:
    got_leaves = jax.tree_util.tree_leaves(got)
    expected_leaves = jax.tree_util.tree_leaves(expected)
    assert len(got_leaves) == len(expected_leaves), f"{what}: {len(got_leaves)} leaves vs {len(expected_leaves)}"
    for k, (g, e) in enumerate(zip(got_leaves, expected_leaves)):
        e = np.asarray(e, dtype=np.float64)
        scale = max(1.0, float(np.max(np.abs(e)))) if e.size else 1.0
        np.testing.assert_allclose(np.asarray(g, dtype=np.float64), e, rtol=rtol, atol=rtol * scale,
                                   err_msg=f"{what} (leaf {k})")


def check_twin(
    fn: Callable[..., Any],
    twin: Callable[..., Any],
    args: Sequence[np.ndarray],
    dtype: str = "float64",
    second_order: bool = True,
    seed: int = 0,
) -> None:
    """fn (dp) vs twin (jax.numpy) on args cast to dtype: the value, the gradient (reverse), a JVP along a random
    direction (forward), and in float64 second order three ways (reverse over forward, reverse over reverse,
    forward over reverse)."""
    rtol = RTOL[dtype]
    x64 = [np.asarray(a, dtype=np.float64) for a in args]
    xs = [a.astype(dtype) for a in x64]
    rng = np.random.default_rng(seed)
    ts = [rng.standard_normal(a.shape).astype(dtype) for a in x64]
    t64 = [t.astype(np.float64) for t in ts]
    argnums = tuple(range(len(xs)))
    _close(dp.compile(fn)(*xs), twin(*x64), rtol, "value")
    _close(fn(*xs), twin(*x64), rtol, "numpy value")  # the program means what the twin means
    _close(dp.grad(fn, argnums=argnums)(*xs), jax.grad(twin, argnums=argnums)(*x64), rtol, "reverse gradient")
    _, tangent = dp.jvp(fn, tuple(xs), tuple(ts))
    _, expected = jax.jvp(twin, tuple(x64), tuple(t64))
    _close(tangent, expected, rtol, "forward tangent")
    if not second_order or dtype != "float64":  # second order in float64 only: it compiles four more programs
        return

    def directional(*a: Any) -> Any:
        return dp.jvp(fn, a, tuple(ts))[1]

    def twin_directional(*a: Any) -> Any:
        return jax.jvp(twin, a, tuple(t64))[1]

    expected2 = jax.grad(twin_directional, argnums=argnums)(*x64)
    _close(dp.grad(directional, argnums=argnums)(*xs), expected2, 10 * rtol, "reverse over forward")
    def projected(*a: Any) -> Any:  # what autograd's check_grads differentiates: a VJP, again in reverse
        return sum(np.sum(g * t) for g, t in zip(dp.grad(fn, argnums=argnums)(*a), ts))

    def twin_projected(*a: Any) -> Any:
        return sum(jax.numpy.sum(g * t) for g, t in zip(jax.grad(twin, argnums=argnums)(*a), t64))

    _close(dp.grad(projected, argnums=argnums)(*xs), jax.grad(twin_projected, argnums=argnums)(*x64), 10 * rtol,
           "reverse over reverse")
    gradient = dp.grad(fn, argnums=argnums)
    twin_gradient = jax.grad(twin, argnums=argnums)
    _close(dp.jvp(gradient, tuple(xs), tuple(ts))[1], jax.jvp(twin_gradient, tuple(x64), tuple(t64))[1],
           10 * rtol, "forward over reverse")


def spd(n: int, seed: int = 0, batch: tuple[int, ...] = ()) -> np.ndarray:
    """A well-conditioned symmetric positive definite matrix (or a stack)."""
    a = np.random.default_rng(seed).standard_normal(batch + (n, n))
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


def general(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    """A random matrix (or stack) whose square blocks are comfortably invertible."""
    a = np.random.default_rng(seed).standard_normal(shape)
    if len(shape) >= 2 and shape[-1] == shape[-2]:
        a = a + shape[-1] * np.eye(shape[-1])
    return a
