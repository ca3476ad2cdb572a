"""Array programs for the gradient tests (test_array_gradients.py), each with a jax.numpy twin.

A program is ordinary numpy code returning one array (or one float); its
twin is the same computation written by hand in jax.numpy (in-place updates
as `.at[...]` updates, index loops as the vectorized expression they
compute). Programs that compute several quantities pack them into one
vector (`np.concatenate([a.ravel(), ...])` or `np.stack`), so a wrong
derivative shows up at the entries of the quantity it belongs to.

`Program.argnums` are the arguments with float leaves (what dp.grad
differentiates); the other arguments (ints, int arrays, strings) are data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .harness import rng

jax.config.update("jax_enable_x64", True)


class Program(NamedTuple):
    fn: Callable[..., Any]
    twin: Callable[..., Any]
    args: Callable[[], tuple]
    argnums: tuple[int, ...]
    # False where the function has kinks or ties at the test point: central differences do not apply
    smooth: bool = True
    # False where numpy itself overflows (the naive softmax spellings, which dp stabilizes)
    numpy_finite: bool = True


def normal(*shape: int, seed: int = 0) -> np.ndarray:
    return rng(seed).standard_normal(shape)


def uniform(low: float, high: float, *shape: int, seed: int = 0) -> np.ndarray:
    return rng(seed).uniform(low, high, shape)


# -- elementwise ufuncs: every one dp compiles -----------------------------------------------------------


def trig(x):
    """x in (-0.9, 0.9): inside the domains of arcsin, arccos and arctanh."""
    return np.stack(
        [
            np.sin(x),
            np.cos(x),
            np.tan(x),
            np.arcsin(x),
            np.arccos(x),
            np.arctan(x),
            np.sinh(x),
            np.cosh(x),
            np.tanh(x),
            np.arcsinh(x),
            np.arccosh(x * x + 1.5),
            np.arctanh(x),
        ]
    )


def trig_twin(x):
    return jnp.stack(
        [
            jnp.sin(x),
            jnp.cos(x),
            jnp.tan(x),
            jnp.arcsin(x),
            jnp.arccos(x),
            jnp.arctan(x),
            jnp.sinh(x),
            jnp.cosh(x),
            jnp.tanh(x),
            jnp.arcsinh(x),
            jnp.arccosh(x * x + 1.5),
            jnp.arctanh(x),
        ]
    )


def exp_log(p):
    return np.stack(
        [
            np.exp(p),
            np.exp2(p),
            np.expm1(p),
            np.log(p),
            np.log2(p),
            np.log10(p),
            np.log1p(p),
            np.sqrt(p),
            np.cbrt(p),
        ]
    )


def exp_log_twin(p):
    return jnp.stack(
        [
            jnp.exp(p),
            jnp.exp2(p),
            jnp.expm1(p),
            jnp.log(p),
            jnp.log2(p),
            jnp.log10(p),
            jnp.log1p(p),
            jnp.sqrt(p),
            jnp.cbrt(p),
        ]
    )


def algebraic(x, p):
    return np.stack(
        [
            np.abs(x),
            np.fabs(x),
            abs(x),
            np.square(x),
            np.reciprocal(p),
            np.negative(x),
            np.positive(x),
            -x,
            np.power(p, 3),
            p**2.5,
            np.float_power(p, 1.5),
            x**2,
            x**3,
            2.0**x,
            np.power(p, x),
            p**x,
        ]
    )


def algebraic_twin(x, p):
    return jnp.stack(
        [
            jnp.abs(x),
            jnp.fabs(x),
            abs(x),
            jnp.square(x),
            jnp.reciprocal(p),
            jnp.negative(x),
            jnp.positive(x),
            -x,
            jnp.power(p, 3),
            p**2.5,
            jnp.float_power(p, 1.5),
            x**2,
            x**3,
            2.0**x,
            jnp.power(p, x),
            p**x,
        ]
    )


def piecewise(x, y):
    """Extrema and clipping away from ties, and the piecewise-constant ufuncs (zero derivative) times y."""
    return np.stack(
        [
            np.maximum(x, y),
            np.minimum(x, y),
            np.fmax(x, y),
            np.fmin(x, y),
            np.maximum(x, 0.0),
            np.clip(x, -0.5, 0.5),
            np.floor(x) * y,
            np.ceil(x) * y,
            np.trunc(x) * y,
            np.rint(x) * y,
        ]
    )


def piecewise_twin(x, y):
    return jnp.stack(
        [
            jnp.maximum(x, y),
            jnp.minimum(x, y),
            jnp.fmax(x, y),
            jnp.fmin(x, y),
            jnp.maximum(x, 0.0),
            jnp.clip(x, -0.5, 0.5),
            jnp.floor(x) * y,
            jnp.ceil(x) * y,
            jnp.trunc(x) * y,
            jnp.rint(x) * y,
        ]
    )


def binary(x, y, p):
    return np.stack(
        [
            np.arctan2(x, y),
            np.hypot(x, y),
            x / p,
            np.divide(x, p),
            np.add(x, y),
            np.subtract(x, y),
            np.multiply(x, y),
            np.floor_divide(x, p) * y,
        ]
    )


def binary_twin(x, y, p):
    return jnp.stack(
        [
            jnp.arctan2(x, y),
            jnp.hypot(x, y),
            x / p,
            jnp.divide(x, p),
            jnp.add(x, y),
            jnp.subtract(x, y),
            jnp.multiply(x, y),
            jnp.floor_divide(x, p) * y,
        ]
    )


def modulo_and_sign(x, y, p):
    """The ufuncs that select on a comparison of their arguments: d mod(x, p) / dp = -floor(x / p)."""
    return np.stack([np.mod(x, p), x % 0.75, np.remainder(y, p), np.sign(x) * y])


def modulo_and_sign_twin(x, y, p):
    return jnp.stack([jnp.mod(x, p), x % 0.75, jnp.remainder(y, p), jnp.sign(x) * y])


def norms(x):
    return np.linalg.norm(x, axis=1) * np.linalg.norm(x)


def norms_twin(x):
    return jnp.linalg.norm(x, axis=1) * jnp.linalg.norm(x)


# -- broadcasting -------------------------------------------------------------------------------------


def outer_broadcast(col, row):
    """(n, 1) against (1, m)."""
    return col * row + np.sin(col) - row / (col * col + 1.0)


def outer_broadcast_twin(col, row):
    return col * row + jnp.sin(col) - row / (col * col + 1.0)


def scalar_with_array(x, s):
    """A float argument against an array: its gradient is the sum over the broadcast."""
    return s * x + s * s - x / s + np.exp(x * s)


def scalar_with_array_twin(x, s):
    return s * x + s * s - x / s + jnp.exp(x * s)


def rank_promotion(a, b):
    """(2, 1, 3) against (4, 1): the result is (2, 4, 3)."""
    return a * b + np.sin(b) - a


def rank_promotion_twin(a, b):
    return a * b + jnp.sin(b) - a


def size_one_either_side(a, b, c, v):
    """(1, 3), (4, 3), (4, 1) and (3,): size-1 dims broadcast on the left and on the right."""
    return a * b + c * b - a * c + v * c + b / (1.0 + v * v)


def size_one_either_side_twin(a, b, c, v):
    return a * b + c * b - a * c + v * c + b / (1.0 + v * v)


def zero_d(z, x):
    """A 0-d array argument: its gradient is a 0-d array."""
    return z * x + np.sin(z) * x * x


def zero_d_twin(z, x):
    return z * x + jnp.sin(z) * x * x


# -- reductions over each axis, with and without keepdims -------------------------------------------------


def sums_and_means(x):
    return np.concatenate(
        [
            np.sum(x, axis=0).ravel(),
            np.sum(x, axis=1).ravel(),
            np.sum(x, axis=2).ravel(),
            np.sum(x, axis=-1, keepdims=True).ravel(),
            np.sum(x, axis=0, keepdims=True).ravel() ** 2,
            np.sum(x, axis=(0, 2)),
            np.sum(x, keepdims=True).ravel() * 3.0,
            x.sum(axis=1, keepdims=True).ravel(),
            np.sum(x) * x[0, 0],
            np.mean(x, axis=0).ravel(),
            np.mean(x, axis=1).ravel() ** 2,
            np.mean(x, axis=(0, 1), keepdims=True).ravel(),
            np.mean(x, axis=-1, keepdims=True).ravel(),
            x.mean(axis=2).ravel(),
            np.mean(x, keepdims=True).ravel(),
            np.mean(x) * x[1, 2],
        ]
    )


def sums_and_means_twin(x):
    return jnp.concatenate(
        [
            jnp.sum(x, axis=0).ravel(),
            jnp.sum(x, axis=1).ravel(),
            jnp.sum(x, axis=2).ravel(),
            jnp.sum(x, axis=-1, keepdims=True).ravel(),
            jnp.sum(x, axis=0, keepdims=True).ravel() ** 2,
            jnp.sum(x, axis=(0, 2)),
            jnp.sum(x, keepdims=True).ravel() * 3.0,
            x.sum(axis=1, keepdims=True).ravel(),
            jnp.sum(x) * x[0, 0],
            jnp.mean(x, axis=0).ravel(),
            jnp.mean(x, axis=1).ravel() ** 2,
            jnp.mean(x, axis=(0, 1), keepdims=True).ravel(),
            jnp.mean(x, axis=-1, keepdims=True).ravel(),
            x.mean(axis=2).ravel(),
            jnp.mean(x, keepdims=True).ravel(),
            jnp.mean(x) * x[1, 2],
        ]
    )


def extrema(x):
    return np.concatenate(
        [
            np.max(x, axis=0),
            np.max(x, axis=1),
            np.max(x, axis=0, keepdims=True).ravel(),
            np.max(x, axis=1, keepdims=True).ravel(),
            np.min(x, axis=0),
            np.min(x, axis=1, keepdims=True).ravel(),
            x.max(axis=-1),
            x.min(axis=0, keepdims=True).ravel(),
            np.max(x) * x[0],
            np.min(x) * x[1],
            np.max(x, keepdims=True).ravel(),
        ]
    )


def extrema_twin(x):
    return jnp.concatenate(
        [
            jnp.max(x, axis=0),
            jnp.max(x, axis=1),
            jnp.max(x, axis=0, keepdims=True).ravel(),
            jnp.max(x, axis=1, keepdims=True).ravel(),
            jnp.min(x, axis=0),
            jnp.min(x, axis=1, keepdims=True).ravel(),
            x.max(axis=-1),
            x.min(axis=0, keepdims=True).ravel(),
            jnp.max(x) * x[0],
            jnp.min(x) * x[1],
            jnp.max(x, keepdims=True).ravel(),
        ]
    )


TIES = np.array([[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, 2.0, 2.0], [5.0, -1.0, 5.0, 4.0]])


def reductions_with_ties(x):
    """Ties in max and min reductions: the derivative is split evenly between the tied entries (as in JAX)."""
    return np.concatenate(
        [
            np.max(x, axis=0),
            np.max(x, axis=1),
            np.max(x, axis=1, keepdims=True).ravel(),
            np.min(x, axis=0, keepdims=True).ravel(),
            np.min(x, axis=1),
            np.max(x) * x[0],
            np.min(x, keepdims=True).ravel(),
        ]
    )


def reductions_with_ties_twin(x):
    return jnp.concatenate(
        [
            jnp.max(x, axis=0),
            jnp.max(x, axis=1),
            jnp.max(x, axis=1, keepdims=True).ravel(),
            jnp.min(x, axis=0, keepdims=True).ravel(),
            jnp.min(x, axis=1),
            jnp.max(x) * x[0],
            jnp.min(x, keepdims=True).ravel(),
        ]
    )


def elementwise_ties(x, y):
    """Ties in np.maximum, np.minimum and np.clip (at its bounds): JAX gives each side half."""
    return np.concatenate([np.maximum(x, y).ravel(), np.minimum(x, y).ravel(), np.clip(x, 2.0, 3.0).ravel()])


def elementwise_ties_twin(x, y):
    return jnp.concatenate([jnp.maximum(x, y).ravel(), jnp.minimum(x, y).ravel(), jnp.clip(x, 2.0, 3.0).ravel()])


def products_over_axes(x):
    return np.concatenate(
        [
            np.prod(x, axis=0),
            np.prod(x, axis=1),
            np.prod(x, axis=0, keepdims=True).ravel(),
            np.prod(x, axis=-1, keepdims=True).ravel(),
            x.prod(axis=1),
            np.prod(x) * x[0],
        ]
    )


def products_over_axes_twin(x):
    return jnp.concatenate(
        [
            jnp.prod(x, axis=0),
            jnp.prod(x, axis=1),
            jnp.prod(x, axis=0, keepdims=True).ravel(),
            jnp.prod(x, axis=-1, keepdims=True).ravel(),
            x.prod(axis=1),
            jnp.prod(x) * x[0],
        ]
    )


WITH_ZEROS = np.array([[1.5, 0.0, -2.0], [0.0, 0.0, 3.0], [0.5, -1.5, 2.5], [1.25, 0.0, -0.75]])


def products_with_zeros(x):
    """Products over rows and columns with no, one and two zeros: the derivative must not divide by zero."""
    return np.concatenate([np.prod(x, axis=1), np.prod(x, axis=0), np.prod(x[2:], keepdims=True).ravel()])


def products_with_zeros_twin(x):
    return jnp.concatenate([jnp.prod(x, axis=1), jnp.prod(x, axis=0), jnp.prod(x[2:], keepdims=True).ravel()])


# -- products ------------------------------------------------------------------------------------------


def matmul(a, b):
    return a @ b


def matmul_twin(a, b):
    return a @ b


def products(a, b, v, w):
    """Matrix-vector, vector-matrix, dot, inner and outer products: a (2, 3), b (3, 4), v and w (4,)."""
    return np.concatenate(
        [
            b @ v,
            np.matmul(b, v) * v[0],
            b.dot(v) * 0.5,
            w[:2] @ a,
            np.dot(w[:2], a) * w[1],
            np.dot(a, b).ravel(),
            np.array([np.dot(v, v), v @ w, np.inner(v, w), v.dot(w) * 2.0]),
            np.dot(a, 2.0).ravel(),
            np.outer(v, w).ravel(),
            np.outer(w, w)[:, 0],
        ]
    )


def products_twin(a, b, v, w):
    return jnp.concatenate(
        [
            b @ v,
            jnp.matmul(b, v) * v[0],
            b.dot(v) * 0.5,
            w[:2] @ a,
            jnp.dot(w[:2], a) * w[1],
            jnp.dot(a, b).ravel(),
            jnp.array([jnp.dot(v, v), v @ w, jnp.inner(v, w), v.dot(w) * 2.0]),
            jnp.dot(a, 2.0).ravel(),
            jnp.outer(v, w).ravel(),
            jnp.outer(w, w)[:, 0],
        ]
    )


def matmul_chain(a, b, c, v):
    return np.concatenate([a @ b @ c @ v, ((a @ b).T @ a @ b).ravel(), v @ c.T @ b.T @ a.T])


def matmul_chain_twin(a, b, c, v):
    return jnp.concatenate([a @ b @ c @ v, ((a @ b).T @ a @ b).ravel(), v @ c.T @ b.T @ a.T])


def mlp(x, w1, b1, w2, b2):
    hidden = np.tanh(x @ w1 + b1)
    return np.mean((hidden @ w2 + b2) ** 2, axis=0)


def mlp_twin(x, w1, b1, w2, b2):
    hidden = jnp.tanh(x @ w1 + b1)
    return jnp.mean((hidden @ w2 + b2) ** 2, axis=0)


# -- layout -------------------------------------------------------------------------------------------


def layout(x, t):
    """Transposes (with axes), reshapes, expand_dims, squeeze, ravel and flatten of x (4, 3) and t (2, 3, 4)."""
    a = x.reshape(2, 6)
    b = np.expand_dims(x.ravel(), 1)
    c = np.squeeze(x.reshape(1, 12, 1))
    d = np.reshape(x, (3, 4)) @ x
    e = np.expand_dims(x, 0) * np.squeeze(x.reshape(1, 4, 3, 1), axis=3)
    return np.concatenate(
        [
            a.reshape(12) * c + b[:, 0] ** 2,
            d.reshape(-1),
            e.flatten(),
            x.reshape(-1, 2)[:, 1],
            x.T.ravel(),
            np.transpose(t, (1, 2, 0)).ravel() * 2.0,
            t.transpose(2, 0, 1).ravel(),
            t.T.ravel() ** 2,
            np.transpose(x).ravel() * x.ravel(),
            t.reshape(6, 4).T.ravel() * t.ravel()[0],
        ]
    )


def layout_twin(x, t):
    a = x.reshape(2, 6)
    b = jnp.expand_dims(x.ravel(), 1)
    c = jnp.squeeze(x.reshape(1, 12, 1))
    d = jnp.reshape(x, (3, 4)) @ x
    e = jnp.expand_dims(x, 0) * jnp.squeeze(x.reshape(1, 4, 3, 1), axis=3)
    return jnp.concatenate(
        [
            a.reshape(12) * c + b[:, 0] ** 2,
            d.reshape(-1),
            e.flatten(),
            x.reshape(-1, 2)[:, 1],
            x.T.ravel(),
            jnp.transpose(t, (1, 2, 0)).ravel() * 2.0,
            t.transpose(2, 0, 1).ravel(),
            t.T.ravel() ** 2,
            jnp.transpose(x).ravel() * x.ravel(),
            t.reshape(6, 4).T.ravel() * t.ravel()[0],
        ]
    )


def joining(a, b):
    return np.concatenate(
        [
            np.concatenate([a, b]).ravel(),
            np.concatenate((a, b * 2.0), axis=1).ravel(),
            np.stack([a, b]).ravel() ** 2,
            np.stack((a, b), axis=2).ravel(),
            np.vstack([a[0], b[1]]).ravel(),
            np.hstack([a[0], b[1] * a[1]]),
            np.stack([a, a], axis=-1).ravel() * b.ravel()[0],
        ]
    )


def joining_twin(a, b):
    return jnp.concatenate(
        [
            jnp.concatenate([a, b]).ravel(),
            jnp.concatenate((a, b * 2.0), axis=1).ravel(),
            jnp.stack([a, b]).ravel() ** 2,
            jnp.stack((a, b), axis=2).ravel(),
            jnp.vstack([a[0], b[1]]).ravel(),
            jnp.hstack([a[0], b[1] * a[1]]),
            jnp.stack([a, a], axis=-1).ravel() * b.ravel()[0],
        ]
    )


# -- indexing (dp compiles positive slice steps only) ----------------------------------------------------


def slices(x):
    return np.concatenate(
        [
            x[1:4].ravel(),
            x[::2].ravel() * 2.0,
            x[1:-1, ::2].ravel() ** 2,
            x[-1] * x[0],
            np.array([x[-2, -1], x[1, 2] * x[-5, -6]]),
            x[..., 1],
            x[:, -3:].ravel(),
            x[-3:, 1::3].ravel(),
            x[0, None].ravel(),
            x[:, None, 2].ravel(),
        ]
    )


def slices_twin(x):
    return jnp.concatenate(
        [
            x[1:4].ravel(),
            x[::2].ravel() * 2.0,
            x[1:-1, ::2].ravel() ** 2,
            x[-1] * x[0],
            jnp.array([x[-2, -1], x[1, 2] * x[-5, -6]]),
            x[..., 1],
            x[:, -3:].ravel(),
            x[-3:, 1::3].ravel(),
            x[0, None].ravel(),
            x[:, None, 2].ravel(),
        ]
    )


def runtime_index(x, i, j):
    """`x[i]`, `x[:, j]` and `x[i, j]` with indices that are arguments (negative ones too)."""
    return np.concatenate([x[i] * x[i, j], x[:, j] ** 2, x[-i - 1, 1:3], x[i, -2:] * x[j, 0]])


def runtime_index_twin(x, i, j):
    return jnp.concatenate([x[i] * x[i, j], x[:, j] ** 2, x[-i - 1, 1:3], x[i, -2:] * x[j, 0]])


# -- in-place updates and index loops --------------------------------------------------------------------


def element_loops(x, v):
    """`out[i] = f(x[i])` reading a neighbour (x[-1] at i = 0), and a running sum written element by element."""
    out = np.zeros_like(x)
    for i in range(len(x)):
        out[i] = math.sin(x[i]) * x[i - 1]
    sums = np.empty(len(v))
    total = 0.0
    for i in range(len(v)):
        total += v[i] * v[i]
        sums[i] = total
    return np.concatenate([out, sums])


def element_loops_twin(x, v):
    return jnp.concatenate([jnp.sin(x) * jnp.roll(x, 1), jnp.cumsum(v * v)])


def row_accumulate(a, r):
    out = a.copy()
    for i in range(a.shape[0]):
        out[i, :] += r * (i + 1.0)
    out[1, :] += r * r
    return out


def row_accumulate_twin(a, r):
    out = a + r[None, :] * jnp.arange(1.0, a.shape[0] + 1.0)[:, None]
    return out.at[1, :].add(r * r)


def augmented_assignments(a, b):
    """`c += b` and friends on a local copy (the arguments are not changed)."""
    c = a.copy()
    c += b
    c *= a
    c -= 1.0
    c /= b * b + 1.0
    c **= 2
    return c


def augmented_assignments_twin(a, b):
    return (((a + b) * a - 1.0) / (b * b + 1.0)) ** 2


def nested_and_while_loops(x, v):
    """A double index loop writing out[i, j]; a while loop updating y[i] from y[i - 1] in place."""
    n, m = x.shape
    out = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            out[i, j] = x[i, j] * x[n - 1 - i, j] + x[i, (j + 1) % m]
    y = v.copy()
    k = 0
    while k < len(y):
        y[k] = y[k] * y[k - 1] + 1.0
        k += 1
    return np.concatenate([out.ravel(), y])


def nested_and_while_loops_twin(x, v):
    out = x * x[::-1, :] + jnp.roll(x, -1, axis=1)
    y = v
    for k in range(len(v)):
        y = y.at[k].set(y[k] * y[k - 1] + 1.0)
    return jnp.concatenate([out.ravel(), y])


def overwrites(x, r):
    """Entries overwritten before they are read back: no derivative flows to what they held."""
    a = x.copy()
    a[1] = r
    a[:, 0] = 0.5
    a[0, 1:3] = r[:2] * 2.0
    a[-1, -1] = a[-1, -1] * a[1, 1]
    a[2, :] += r
    return a * x


def overwrites_twin(x, r):
    a = x.at[1].set(r)
    a = a.at[:, 0].set(0.5)
    a = a.at[0, 1:3].set(r[:2] * 2.0)
    a = a.at[-1, -1].set(a[-1, -1] * a[1, 1])
    a = a.at[2, :].add(r)
    return a * x


# -- np.where ----------------------------------------------------------------------------------------


def where(x, y, k):
    """np.where on float comparisons, with scalar branches, and on an int array's comparison."""
    return (
        np.where(x > y, x * y, y - x)
        + np.where(x > 0.0, x, 0.0)
        + np.where(y < 0.5, 1.0, y * y)
        + np.where(k > 0, x * x, -y)
    )


def where_twin(x, y, k):
    return (
        jnp.where(x > y, x * y, y - x)
        + jnp.where(x > 0.0, x, 0.0)
        + jnp.where(y < 0.5, 1.0, y * y)
        + jnp.where(k > 0, x * x, -y)
    )


# -- logsumexp, softmax, log-softmax -----------------------------------------------------------------


def stable_softmax_family(x):
    """logsumexp, softmax and log-softmax, max-shifted by hand."""
    m = np.max(x, axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.sum(np.exp(x - m), axis=1))
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    shifted = x - m
    log_softmax = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return np.concatenate([lse, (e / np.sum(e, axis=-1, keepdims=True)).ravel(), log_softmax.ravel()])


def naive_softmax_family(x):
    """The usual spellings, which overflow in numpy for large entries; dp compiles them max-shifted."""
    e = np.exp(x)
    return np.concatenate(
        [
            np.log(np.sum(np.exp(x), axis=1)),
            np.log(np.sum(np.exp(x), axis=0)),
            (e / np.sum(e, axis=1, keepdims=True)).ravel(),
            (x - np.log(np.sum(np.exp(x), axis=1, keepdims=True))).ravel(),
        ]
    )


def stable_softmax_family_twin(x):
    return jnp.concatenate(
        [
            jax.scipy.special.logsumexp(x, axis=1),
            jax.nn.softmax(x, axis=-1).ravel(),
            jax.nn.log_softmax(x, axis=1).ravel(),
        ]
    )


def naive_softmax_family_twin(x):
    return jnp.concatenate(
        [
            jax.scipy.special.logsumexp(x, axis=1),
            jax.scipy.special.logsumexp(x, axis=0),
            jax.nn.softmax(x, axis=1).ravel(),
            jax.nn.log_softmax(x, axis=1).ravel(),
        ]
    )


def cross_entropy(logits, labels):
    """A float result through the naive log-softmax."""
    log_probs = logits - np.log(np.sum(np.exp(logits), axis=1, keepdims=True))
    return -np.sum(log_probs * labels) / logits.shape[0]


def cross_entropy_twin(logits, labels):
    return -jnp.sum(jax.nn.log_softmax(logits, axis=1) * labels) / logits.shape[0]


# -- loops carrying arrays -----------------------------------------------------------------------


def rnn(w, u, xs, h0):
    """A loop carrying an array state: h = tanh(W h + U x[t])."""
    h = h0
    for t in range(xs.shape[0]):
        h = np.tanh(w @ h + u @ xs[t])
    return h


def rnn_twin(w, u, xs, h0):
    h = h0
    for t in range(xs.shape[0]):
        h = jnp.tanh(w @ h + u @ xs[t])
    return h


def array_loops(x, w, a):
    """A loop over the rows of x carrying a vector; a loop carrying a matrix (a^4)."""
    acc = np.zeros(x.shape[1])
    for row in x:
        acc = acc * w + row * row
    r = np.eye(a.shape[0])
    for _ in range(4):
        r = r @ a
    return np.concatenate([acc, r.ravel()])


def array_loops_twin(x, w, a):
    acc = jnp.zeros(x.shape[1])
    for row in x:
        acc = acc * w + row * row
    return jnp.concatenate([acc, jnp.linalg.matrix_power(a, 4).ravel()])


# -- structures and mixed arguments ------------------------------------------------------------------


@dataclass
class Model:
    weights: np.ndarray
    bias: float
    name: str


def predict(model, x):
    return np.tanh(x @ model.weights + model.bias)


def predict_twin(model, x):
    return jnp.tanh(x @ model.weights + model.bias)


class Layer(NamedTuple):
    w: np.ndarray
    b: np.ndarray


def two_layers(first, second, x):
    h = np.tanh(x @ first.w + first.b)
    return h @ second.w + second.b


def two_layers_twin(first, second, x):
    h = jnp.tanh(x @ first.w + first.b)
    return h @ second.w + second.b


def mixed_arguments(x, s, k, t):
    """Arrays, floats and an int: the int's gradient is None, the floats' are floats."""
    return s * np.sin(x) ** 2 + t * x * k - s * t


def mixed_arguments_twin(x, s, k, t):
    return s * jnp.sin(x) ** 2 + t * x * k - s * t


def int_array_data(x, k):
    """An int array as data: it scales, masks and indexes, and has no derivative."""
    return x * k + (k > 0) * x * x + k.astype(np.float64) * np.sum(x) + x[k[0]] * x[k[-1]]


def int_array_data_twin(x, k):
    return x * k + (k > 0) * x * x + k.astype(jnp.float64) * jnp.sum(x) + x[k[0]] * x[k[-1]]


def scalar_loss(w, x, y):
    """A float result."""
    r = x @ w - y
    return np.sum(r * r) / len(y) + 0.1 * np.sum(np.abs(w))


def scalar_loss_twin(w, x, y):
    r = x @ w - y
    return jnp.sum(r * r) / len(y) + 0.1 * jnp.sum(jnp.abs(w))


def helper(v, scale):
    return v * scale + np.sum(v * v)


def calls_helper(x, y):
    return helper(x, 2.0) * helper(y, x[0])


def calls_helper_twin(x, y):
    def helper_twin(v, scale):
        return v * scale + jnp.sum(v * v)

    return helper_twin(x, 2.0) * helper_twin(y, x[0])


def branches(x, flag):
    if flag > 0.0:
        y = x * x
    else:
        y = np.sin(x)
    if np.sum(y) > 0.0:
        y = y * flag
    return y


def branches_twin(x, flag):
    y = jnp.where(flag > 0.0, x * x, jnp.sin(x))
    return jnp.where(jnp.sum(y) > 0.0, y * flag, y)


# -- the table -----------------------------------------------------------------------------------------

_LABELS = np.eye(3)[[0, 2, 1, 2]]
# Rows where numpy's exp overflows (800) or underflows to 0 (-800): the naive spellings give inf or nan in
# numpy, and dp compiles them max-shifted.
_OFFSETS = np.array([[800.0], [0.0], [-800.0]])

PROGRAMS: dict[str, Program] = {
    # elementwise
    "trig": Program(trig, trig_twin, lambda: (uniform(-0.9, 0.9, 3, 4),), (0,)),
    "exp_log": Program(exp_log, exp_log_twin, lambda: (uniform(0.3, 2.0, 2, 3),), (0,)),
    "algebraic": Program(algebraic, algebraic_twin, lambda: (normal(5), uniform(0.5, 2.0, 5, seed=1)), (0, 1)),
    "piecewise": Program(piecewise, piecewise_twin, lambda: (normal(6) * 2.0, normal(6, seed=1)), (0, 1)),
    "binary": Program(
        binary, binary_twin, lambda: (normal(6) * 2.0, normal(6, seed=1), uniform(0.5, 2.0, 6, seed=2)), (0, 1, 2)
    ),
    "modulo_and_sign": Program(
        modulo_and_sign,
        modulo_and_sign_twin,
        lambda: (normal(6) * 2.0, normal(6, seed=1), uniform(0.5, 2.0, 6, seed=2)),
        (0, 1, 2),
    ),
    "norms": Program(norms, norms_twin, lambda: (normal(3, 4),), (0,)),
    # broadcasting
    "outer_broadcast": Program(
        outer_broadcast, outer_broadcast_twin, lambda: (normal(4, 1), normal(1, 3, seed=1)), (0, 1)
    ),
    "scalar_with_array": Program(scalar_with_array, scalar_with_array_twin, lambda: (normal(3, 4), 0.7), (0, 1)),
    "rank_promotion": Program(
        rank_promotion, rank_promotion_twin, lambda: (normal(2, 1, 3), normal(4, 1, seed=1)), (0, 1)
    ),
    "size_one_either_side": Program(
        size_one_either_side,
        size_one_either_side_twin,
        lambda: (normal(1, 3), normal(4, 3, seed=1), normal(4, 1, seed=2), normal(3, seed=3)),
        (0, 1, 2, 3),
    ),
    "zero_d": Program(zero_d, zero_d_twin, lambda: (np.array(0.8), normal(2, 3)), (0, 1)),
    # reductions
    "sums_and_means": Program(sums_and_means, sums_and_means_twin, lambda: (normal(3, 4, 2),), (0,)),
    "extrema": Program(extrema, extrema_twin, lambda: (normal(3, 4),), (0,)),
    "reductions_with_ties": Program(
        reductions_with_ties, reductions_with_ties_twin, lambda: (TIES.copy(),), (0,), smooth=False
    ),
    "elementwise_ties": Program(
        elementwise_ties,
        elementwise_ties_twin,
        lambda: (TIES.copy(), np.where(TIES > 1.5, TIES, -TIES)),
        (0, 1),
        smooth=False,
    ),
    "products_over_axes": Program(
        products_over_axes, products_over_axes_twin, lambda: (uniform(0.5, 1.5, 3, 4),), (0,)
    ),
    "products_with_zeros": Program(products_with_zeros, products_with_zeros_twin, lambda: (WITH_ZEROS.copy(),), (0,)),
    # products
    "matmul": Program(matmul, matmul_twin, lambda: (normal(3, 4), normal(4, 2, seed=1)), (0, 1)),
    "products": Program(
        products,
        products_twin,
        lambda: (normal(2, 3), normal(3, 4, seed=1), normal(4, seed=2), normal(4, seed=3)),
        (0, 1, 2, 3),
    ),
    "matmul_chain": Program(
        matmul_chain,
        matmul_chain_twin,
        lambda: (normal(3, 4), normal(4, 5, seed=1), normal(5, 2, seed=2), normal(2, seed=3)),
        (0, 1, 2, 3),
    ),
    "mlp": Program(
        mlp,
        mlp_twin,
        lambda: (normal(5, 4), normal(4, 6, seed=1), normal(6, seed=2), normal(6, 2, seed=3), normal(2, seed=4)),
        (0, 1, 2, 3, 4),
    ),
    # layout
    "layout": Program(layout, layout_twin, lambda: (normal(4, 3), normal(2, 3, 4, seed=1)), (0, 1)),
    "joining": Program(joining, joining_twin, lambda: (normal(2, 3), normal(2, 3, seed=1)), (0, 1)),
    # indexing
    "slices": Program(slices, slices_twin, lambda: (normal(5, 6),), (0,)),
    "runtime_index": Program(runtime_index, runtime_index_twin, lambda: (normal(4, 5), 2, 3), (0,)),
    "runtime_index_negative": Program(runtime_index, runtime_index_twin, lambda: (normal(4, 5), -1, -2), (0,)),
    # in-place updates and index loops
    "element_loops": Program(element_loops, element_loops_twin, lambda: (normal(6), normal(7, seed=1)), (0, 1)),
    "row_accumulate": Program(row_accumulate, row_accumulate_twin, lambda: (normal(4, 3), normal(3, seed=1)), (0, 1)),
    "augmented_assignments": Program(
        augmented_assignments, augmented_assignments_twin, lambda: (normal(3, 2), normal(3, 2, seed=1)), (0, 1)
    ),
    "nested_and_while_loops": Program(
        nested_and_while_loops, nested_and_while_loops_twin, lambda: (normal(3, 4), normal(5, seed=1) * 0.5), (0, 1)
    ),
    "overwrites": Program(overwrites, overwrites_twin, lambda: (normal(4, 3), normal(3, seed=1)), (0, 1)),
    # np.where
    "where": Program(
        where, where_twin, lambda: (normal(3, 4), normal(3, 4, seed=1), rng(2).integers(-3, 3, (3, 4))), (0, 1)
    ),
    # logsumexp and softmax
    "stable_softmax_family": Program(
        stable_softmax_family, stable_softmax_family_twin, lambda: (normal(3, 5) * 3.0,), (0,)
    ),
    "naive_softmax_family": Program(
        naive_softmax_family, naive_softmax_family_twin, lambda: (normal(3, 5) + _OFFSETS,), (0,), numpy_finite=False
    ),
    "cross_entropy": Program(cross_entropy, cross_entropy_twin, lambda: (normal(4, 3) * 2.0, _LABELS), (0, 1)),
    # loops carrying arrays
    "rnn": Program(
        rnn,
        rnn_twin,
        lambda: (normal(4, 4) * 0.5, normal(4, 3, seed=1), normal(5, 3, seed=2), normal(4, seed=3)),
        (0, 1, 2, 3),
    ),
    "array_loops": Program(
        array_loops,
        array_loops_twin,
        lambda: (normal(5, 3), normal(3, seed=1), normal(3, 3, seed=2) * 0.7),
        (0, 1, 2),
    ),
    # structures and mixed arguments
    "dataclass_model": Program(
        predict, predict_twin, lambda: (Model(normal(4) * 0.5, 0.25, "linear"), normal(6, 4, seed=1)), (0, 1)
    ),
    "namedtuple_layers": Program(
        two_layers,
        two_layers_twin,
        lambda: (
            Layer(normal(3, 4), normal(4, seed=1)),
            Layer(normal(4, 2, seed=2), normal(2, seed=3)),
            normal(5, 3, seed=4),
        ),
        (0, 1, 2),
    ),
    "mixed_arguments": Program(mixed_arguments, mixed_arguments_twin, lambda: (normal(2, 3), 1.5, 3, -0.5), (0, 1, 3)),
    "int_array_data": Program(
        int_array_data, int_array_data_twin, lambda: (normal(5), np.array([2, -1, 0, 3, 1])), (0,)
    ),
    "scalar_loss": Program(
        scalar_loss, scalar_loss_twin, lambda: (normal(3), normal(6, 3, seed=1), normal(6, seed=2)), (0, 1, 2)
    ),
    "calls_helper": Program(calls_helper, calls_helper_twin, lambda: (normal(3), normal(3, seed=1)), (0, 1)),
    "branches_then": Program(branches, branches_twin, lambda: (normal(4), 1.5), (0, 1)),
    "branches_else": Program(branches, branches_twin, lambda: (normal(4) - 3.0, -1.5), (0, 1)),
}
