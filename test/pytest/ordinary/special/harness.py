"""Oracles of the special-function tests: JAX twins (float64) for values and derivatives in both modes, to
second order, and central differences where JAX has no twin (t.cdf, iv, ive, erfcinv)."""

from __future__ import annotations

from typing import Any, Callable, Sequence

import jax
import numpy as np

import dp

jax.config.update("jax_enable_x64", True)

RTOL = 1e-9  # dp and JAX evaluate the same functions with different algorithms: agreement to ~1e-12 and below
RTOL_32 = 2e-4  # float32 runs against the float64 oracle
RTOL_FD = 1e-6  # Richardson-extrapolated central differences


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def close(got: Any, expected: Any, rtol: float, where: str) -> None:
    """Same structure and shapes, values to rtol (atol rtol * 1e-3 for values near zero)."""
    if isinstance(expected, (tuple, list)):
        assert isinstance(got, (tuple, list)) and len(got) == len(expected), f"{where}: {got!r} vs {expected!r}"
        for i, (g, e) in enumerate(zip(got, expected)):
            close(g, e, rtol, f"{where}[{i}]")
        return
    assert not isinstance(got, jax.Array), f"{where}: dp returned a JAX array"
    assert isinstance(got, (float, np.ndarray, np.floating)), f"{where}: {type(got).__name__} {got!r}"
    want = np.asarray(expected, dtype=np.float64)
    have = np.asarray(got, dtype=np.float64)
    assert have.shape == want.shape, f"{where}: shape {have.shape} != {want.shape}"
    scale = max(float(np.max(np.abs(want))), 1.0) if want.size else 1.0
    np.testing.assert_allclose(have, want, rtol=rtol, atol=rtol * 1e-3 * scale, err_msg=where)


def _cast(args: Sequence[Any], dtype: Any) -> list[Any]:
    return [a.astype(dtype) if isinstance(a, np.ndarray) and a.dtype.kind == "f" else a for a in args]


def _tangents(args: Sequence[Any], argnums: Sequence[int], seed: int) -> list[Any]:
    r = rng(seed)
    out = []
    for n, a in enumerate(args):
        value = r.standard_normal(np.shape(a)) if n in argnums else np.zeros(np.shape(a))
        out.append(value.astype(a.dtype) if isinstance(a, np.ndarray) else float(value))
    return out


def check(
    f: Callable,
    twin: Callable,
    args: Sequence[Any],
    argnums: Sequence[int] = (0,),
    rtol: float = RTOL,
    rtol32: float = RTOL_32,
    second: bool = True,
) -> None:
    """f (dp) against its JAX twin: the value, dp.grad, dp.jvp, the Hessian of the first of argnums (forward
    over reverse and reverse over reverse), and the value and gradient in float32."""
    argnums = tuple(argnums)
    args = list(args)
    expected_grad = jax.grad(twin, argnums=argnums)(*args)
    value, grads = dp.value_and_grad(f, argnums=argnums)(*args)
    close(value, twin(*args), rtol, "value")
    close(grads, expected_grad, rtol, "grad")
    tangents = _tangents(args, argnums, 1)
    value, tangent = dp.jvp(f, tuple(args), tuple(tangents))
    expected_value, expected_tangent = jax.jvp(twin, tuple(args), tuple(tangents))
    close(value, expected_value, rtol, "jvp value")
    close(tangent, expected_tangent, rtol, "jvp tangent")
    if second:
        k = argnums[0]
        expected = jax.hessian(twin, argnums=k)(*args)
        close(dp.hessian(f, argnums=k)(*args), expected, rtol, "hessian (fwd over rev)")
        close(dp.jacobian(dp.grad(f, argnums=k), argnums=k, mode="rev")(*args), expected, rtol, "hessian (rev over rev)")
    args32 = _cast(args, np.float32)
    if any(isinstance(a, np.ndarray) and a.dtype == np.float32 for a in args32):
        value, grads = dp.value_and_grad(f, argnums=argnums)(*args32)
        close(value, twin(*args), rtol32, "float32 value")
        for n, g in zip(argnums, grads):
            if isinstance(args32[n], np.ndarray):
                assert g.dtype == np.float32, f"float32 grad {n}: dtype {g.dtype}"
        close(grads, expected_grad, rtol32, "float32 grad")


def richardson(fn: Callable[[float], Any], h: float = 1e-3) -> Any:
    """d/dt fn(t) at 0 by central differences with one Richardson step (error O(h^4))."""
    d1 = (np.asarray(fn(h)) - np.asarray(fn(-h))) / (2 * h)
    d2 = (np.asarray(fn(h / 2)) - np.asarray(fn(-h / 2))) / h
    return (4 * d2 - d1) / 3


def check_fd(f: Callable, args: Sequence[Any], argnums: Sequence[int] = (0,), seed: int = 3) -> None:
    """f's derivatives in both modes (and the directional second derivative) against central differences of
    f itself (float64), in a random direction of the arguments in argnums."""
    args = list(args)
    tangents = _tangents(args, argnums, seed)
    compiled = dp.compile(f)

    def along(t: float) -> Any:
        return compiled(*[a + t * v for a, v in zip(args, tangents)])

    expected = richardson(along)
    _, tangent = dp.jvp(f, tuple(args), tuple(tangents))
    close(tangent, expected, RTOL_FD, "jvp vs differences")
    grads = dp.grad(f, argnums=tuple(argnums))(*args)
    directional = sum(float(np.sum(g * tangents[n])) for g, n in zip(grads, argnums))
    close(directional, float(expected), RTOL_FD, "grad vs differences")
    grad_f = dp.grad(f, argnums=tuple(argnums))

    def grad_along(t: float) -> float:
        gs = grad_f(*[a + t * v for a, v in zip(args, tangents)])
        return sum(float(np.sum(g * tangents[n])) for g, n in zip(gs, argnums))

    _, second = dp.jvp(grad_f, tuple(args), tuple(tangents))
    directional2 = sum(float(np.sum(g * tangents[n])) for g, n in zip(second, argnums))
    close(directional2, float(richardson(grad_along)), RTOL_FD * 10, "second derivative vs differences")
