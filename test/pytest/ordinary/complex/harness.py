"""Checks of a complex program against its JAX twin: value, dp.grad/dp.vjp (reverse), dp.jvp (forward), second order.

The twin is the program's code with `np` bound to jax.numpy, `cmath` to jax equivalents and `complex` to
`re + 1j * im`. JAX's convention for complex derivatives is the contract: jax.grad of a real function of complex
z is df/dx - i df/dy, a pullback takes a complex cotangent c as the covector (Re c, -Im c), and jvp pushes a
complex tangent forward. JAX runs in complex128/float64; dp's complex64/float32 runs are compared at float32
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

RTOL = {"double": 1e-10, "single": 2e-4}
NARROW = {np.dtype("complex128"): np.dtype("complex64"), np.dtype("float64"): np.dtype("float32")}

jax_cmath = types.SimpleNamespace(
    exp=jnp.exp,
    log=jnp.log,
    sqrt=jnp.sqrt,
    sin=jnp.sin,
    cos=jnp.cos,
    tan=jnp.tan,
    sinh=jnp.sinh,
    cosh=jnp.cosh,
    tanh=jnp.tanh,
    phase=jnp.angle,
    polar=lambda z: (jnp.abs(z), jnp.angle(z)),
    rect=lambda r, phi: r * jnp.exp(1j * phi),
)


class _JaxComplex:
    """complex() for traced values (re + 1j * im), and the dtype complex128 where a dtype is wanted (astype)."""

    dtype = np.dtype(np.complex128)

    def __call__(self, re: Any = 0.0, im: Any = 0.0) -> Any:
        return re + 1j * im


def twin(fn: Callable) -> Callable:
    """`fn` (and the module-level helpers it calls) with numpy, cmath and complex() bound to JAX's."""
    scope = dict(fn.__globals__)
    scope["np"] = jnp
    scope["cmath"] = jax_cmath
    scope["complex"] = _JaxComplex()
    for name, value in list(scope.items()):
        if isinstance(value, types.FunctionType) and value.__module__ == fn.__module__ and name.startswith("_"):
            scope[name] = types.FunctionType(value.__code__, scope, value.__name__, value.__defaults__)
    return types.FunctionType(fn.__code__, scope, fn.__name__, fn.__defaults__, fn.__closure__)


def narrow(args: Any, precision: str) -> Any:
    """The arrays of a tree in single precision (complex64, float32) when asked; Python numbers stay."""
    if precision == "double":
        return args
    return jax.tree_util.tree_map(
        lambda a: a.astype(NARROW[a.dtype]) if isinstance(a, np.ndarray) and a.dtype in NARROW else a, args
    )


def assert_close(got: Any, expected: Any, precision: str, where: str, like: Any = None) -> None:
    """Same structure; complex where JAX is complex; values close to the largest expected entry.

    `like` (the arguments a gradient belongs to) fixes the expected dtype of each array leaf.
    """
    got_leaves, got_structure = jax.tree_util.tree_flatten(got)
    expected_leaves, expected_structure = jax.tree_util.tree_flatten(expected)
    assert got_structure == expected_structure, f"{where}: structure {got_structure} != {expected_structure}"
    like_leaves = jax.tree_util.tree_leaves(like) if like is not None else [None] * len(got_leaves)
    for i, (g, e, l) in enumerate(zip(got_leaves, expected_leaves, like_leaves)):
        assert not isinstance(g, jax.Array), f"{where}[{i}]: dp returned a JAX array"
        e = np.asarray(e)
        assert np.shape(g) == e.shape, f"{where}[{i}]: shape {np.shape(g)} != {e.shape}"
        assert np.iscomplexobj(g) == np.iscomplexobj(e), f"{where}[{i}]: {type(g).__name__} {g!r} vs {e!r}"
        if isinstance(l, np.ndarray):
            assert isinstance(g, np.ndarray) and g.dtype == l.dtype, f"{where}[{i}]: dtype of {g!r} vs {l.dtype}"
        rtol = RTOL[precision]
        scale = float(np.max(np.abs(e))) if e.size else 0.0
        np.testing.assert_allclose(np.asarray(g), e, rtol=rtol, atol=rtol * max(scale, 1.0), err_msg=where)


def directions(args: Any, seed: int) -> Any:
    """Random tangents (or cotangents) with the structure and types of `args`."""
    generator = np.random.default_rng(seed)

    def draw(a: Any) -> Any:
        if isinstance(a, (np.ndarray, jax.Array)):
            a = np.asarray(a)
            value = generator.standard_normal(a.shape)
            if np.iscomplexobj(a):
                value = value + 1j * generator.standard_normal(a.shape)
            return value.astype(a.dtype)
        if isinstance(a, complex):
            return complex(generator.standard_normal(), generator.standard_normal())
        return float(generator.standard_normal())

    return jax.tree_util.tree_map(draw, args)


def _python_scalars(tree: Any) -> Any:
    """JAX's 0-d results as Python numbers, as dp returns them."""
    return jax.tree_util.tree_map(lambda a: np.asarray(a).item() if np.ndim(a) == 0 else np.asarray(a), tree)


def check_value(fn: Callable, args: tuple, precision: str) -> None:
    expected = twin(fn)(*args)
    assert_close(dp.compile(fn)(*narrow(args, precision)), expected, precision, "value")


def check_reverse(fn: Callable, args: tuple, precision: str) -> None:
    """dp.grad and dp.vjp of a real-valued program against jax.grad."""
    argnums = tuple(range(len(args)))
    low = narrow(args, precision)
    expected = jax.grad(twin(fn), argnums=argnums)(*args)
    assert_close(dp.grad(fn, argnums=argnums)(*low), expected, precision, "dp.grad", like=low)
    _, pullback = dp.vjp(fn, *low)
    assert_close(pullback(1.0), expected, precision, "dp.vjp", like=low)


def check_vjp(fn: Callable, args: tuple, precision: str) -> None:
    """dp.vjp of a program with complex (or structured) results against jax.vjp, with a random cotangent."""
    expected_value, pullback = jax.vjp(twin(fn), *args)
    cotangent = _python_scalars(directions(_python_scalars(expected_value), 3))
    low = narrow(args, precision)
    value, dp_pullback = dp.vjp(fn, *low)
    assert_close(value, _python_scalars(expected_value), precision, "dp.vjp value")
    jax_cotangent = jax.tree_util.tree_map(jnp.asarray, cotangent)
    assert_close(dp_pullback(narrow(cotangent, precision)), pullback(jax_cotangent), precision, "dp.vjp pullback",
                 like=low)


def check_forward(fn: Callable, args: tuple, precision: str) -> None:
    """dp.jvp against jax.jvp along a random (complex where the argument is) direction."""
    tangents = directions(args, 7)
    expected_value, expected = jax.jvp(twin(fn), args, tangents)
    value, tangent = dp.jvp(fn, narrow(args, precision), narrow(tangents, precision))
    assert_close(value, _python_scalars(expected_value), precision, "dp.jvp value")
    assert_close(tangent, _python_scalars(expected), precision, "dp.jvp tangent")


def check_second_order(fn: Callable, args: tuple) -> None:
    """Forward over reverse (a Hessian-vector product, complex where the arguments are) against JAX's."""
    argnums = tuple(range(len(args)))
    tangents = directions(args, 11)
    _, expected = jax.jvp(jax.grad(twin(fn), argnums=argnums), args, tangents)
    _, got = dp.jvp(dp.grad(fn, argnums=argnums), args, tangents)
    assert_close(got, _python_scalars(expected), "double", "dp.jvp(dp.grad)")


def check_reverse_over_vjp(fn: Callable, z: Any) -> None:
    """Reverse over a pullback called in compiled code: the gradient of Re <v, pullback(c)> against JAX's (for a
    program of one argument; the second order check_grads of the autograd suite runs)."""
    c = _python_scalars(directions(_python_scalars(twin(fn)(z)), 5))
    v = directions(z, 13)

    def jax_inner(x: Any) -> Any:
        _, pullback = jax.vjp(twin(fn), x)
        (g,) = pullback(jax.tree_util.tree_map(jnp.asarray, c))
        return jnp.sum(jnp.real(jnp.conj(v) * g))

    expected = jax.grad(jax_inner)(z)
    scope = dict(_inner.__globals__, _fn=fn, _c=c, _v=v)
    inner = types.FunctionType(_inner.__code__, scope, "inner")
    assert_close(dp.grad(inner)(z), _python_scalars(expected), "double", "dp.grad(pullback)")


def _inner(z):
    _, pullback = dp.vjp(_fn, z)  # noqa: F821 (globals of the copy check_reverse_over_vjp makes)
    (g,) = pullback(_c)  # noqa: F821
    return np.sum(np.real(np.conj(_v) * g))  # noqa: F821


__all__ = ["check_forward", "check_reverse", "check_reverse_over_vjp", "check_second_order", "check_value",
           "check_vjp", "twin"]
