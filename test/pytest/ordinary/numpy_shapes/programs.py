"""Ordinary numpy programs built on layout, scan and contraction functions; each is its own JAX twin.

SCALAR programs return a float (a loss) and are checked with dp.grad,
dp.vjp, dp.jvp and a Hessian-vector product; ARRAY programs return arrays
or lists of arrays and are checked through dp.vjp and dp.jvp.
"""

from __future__ import annotations

from typing import Callable

import numpy as np


def R(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed + sum(shape)).standard_normal(shape)


# -- scalar programs ------------------------------------------------------------------------------------


def attention_scores(q, k, v):
    """Softmax attention written with einsum (batched over heads)."""
    s = np.einsum("hqd,hkd->hqk", q, k) / np.sqrt(q.shape[-1])
    w = np.exp(s - np.max(s, axis=-1, keepdims=True))
    w = w / np.sum(w, axis=-1, keepdims=True)
    out = np.einsum("hqk,hkd->hqd", w, v)
    return np.sum(out * out)


def bilinear_form(x, a, y):
    return np.einsum("i,ij,j->", x, a, y) + np.einsum("ii", a)


def trace_of_products(a, b):
    return np.trace(a @ b) + np.trace(np.dot(a, b.T), offset=1) - np.einsum("ij,ji", a, b)


def tensor_contraction(t, m):
    u = np.tensordot(t, m, axes=([1, 2], [0, 1]))
    w = np.tensordot(t, m, 2)
    return np.sum(np.tanh(u)) + np.sum(w * w)


def batched_matmul_loss(a, b):
    c = a @ b
    return np.sum(np.sin(c)) + np.sum(np.matmul(a[0], b) ** 2)


def higher_rank_dot(a, b):
    return np.sum(np.dot(a, b) ** 2) + np.sum(np.inner(a, a))


def cumulative_returns(r):
    wealth = np.cumprod(1.0 + 0.1 * r, axis=0)
    drawdown = np.cumsum(r, axis=1)
    return np.sum(wealth) + np.sum(drawdown * drawdown) + np.sum(np.cumsum(r))


def total_variation(img):
    dx = np.diff(img, axis=1)
    dy = np.diff(img, axis=0)
    curvature = np.diff(img, n=2, axis=0)
    return np.sum(np.sqrt(dx[:-1, :] ** 2 + dy[:, :-1] ** 2 + 1e-3)) + 0.1 * np.sum(curvature**2)


def convolution_by_padding(x, kernel):
    """A 1-D convolution as shifted slices of the zero-padded signal."""
    padded = np.pad(x, 1)
    y = kernel[0] * padded[:-2] + kernel[1] * padded[1:-1] + kernel[2] * padded[2:]
    edge = np.pad(x, (2, 1), mode="edge")
    reflect = np.pad(x, (2, 2), mode="reflect")
    return np.sum(y * y) + np.sum(edge[:-1] * x[0]) + np.sum(np.sin(reflect))


def periodic_laplacian(u):
    lap = np.roll(u, 1, axis=0) + np.roll(u, -1, axis=0) + np.roll(u, 1, axis=1) + np.roll(u, -1, axis=1) - 4 * u
    return np.sum(lap**2) + np.sum(np.roll(u, 3) * u)


def upsample(x, w):
    big = np.repeat(np.repeat(x, 2, axis=0), 3, axis=1)
    tiled = np.tile(w, (2, 3))
    return np.sum(big * tiled) + np.sum(np.repeat(x, np.array([1, 0, 2]), axis=0) ** 2)


def flips_and_rotations(m):
    sym = m + np.flip(m) + np.fliplr(m) * np.flipud(m)
    return np.sum(sym * np.rot90(m, 2)) + np.sum(np.rot90(m) @ m)


def axis_shuffles(t):
    a = np.moveaxis(t, 0, -1)
    b = np.swapaxes(t, 0, 2)
    c = np.transpose(t, (1, 0, 2))
    return np.sum(a * b) + np.sum(np.sin(c)) + np.sum(t.swapaxes(1, 2) ** 3)


def split_and_recombine(x):
    top, bottom = np.split(x, 2)
    left, middle, right = np.array_split(x, 3, axis=1)
    return np.sum(top * bottom) + np.sum(left) + np.sum(middle**2) - np.sum(np.exp(right))


def piecewise_select(x):
    y = np.select([x < -0.5, x > 0.5], [x**2, np.sin(x)], default=0.5 * x)
    return np.sum(y)


def rigid_body_torque(r, f):
    torque = np.cross(r, f)
    return np.sum(torque**2) + np.sum(np.cross(r[0], f[1]))


def triangular_parts(m):
    upper = np.triu(m, 1)
    lower = np.tril(m)
    return np.sum(upper @ lower) + np.sum(np.diag(m)) + np.sum(np.diag(np.diag(m), 1) * m[0, 0])


def kronecker_factors(a, b):
    k = np.kron(a, b)
    return np.sum(np.tanh(k)) + np.sum(k @ k.T)


def horner(p, x):
    return np.sum(np.polyval(p, x)) + np.polyval(np.array([1.0, -2.0, 0.5]), x[0])


def outer_products(a, b):
    return np.sum(np.outer(a, b) ** 2) + np.sum(np.einsum("i,j->ij", a, b) * np.outer(b[:2], a[:2]).sum())


def atleast_and_broadcast(x, s):
    a = np.atleast_2d(x)
    b = np.atleast_3d(x)
    c = np.broadcast_to(x, (4, 3))
    return np.sum(a * a) + np.sum(b) * s + np.sum(c * s) + np.sum(np.atleast_1d(s) ** 2)


def diagonal_views(t):
    d = np.diagonal(t, 0, 1, 2)
    e = t[0].diagonal(1)
    return np.sum(d**2) + np.sum(e) + np.einsum("iij->", t[:, :, :3]) + t[1].trace()


def gram_matrix_trace(x):
    g = np.einsum("ni,nj->ij", x, x)
    return np.einsum("ij,ij->", g, g) + np.trace(g)


SCALAR: dict[str, tuple[Callable, Callable[[], tuple]]] = {
    "attention_scores": (attention_scores, lambda: (R(2, 3, 4), R(2, 5, 4, seed=1), R(2, 5, 4, seed=2))),
    "bilinear_form": (bilinear_form, lambda: (R(3), R(3, 3, seed=1), R(3, seed=2))),
    "trace_of_products": (trace_of_products, lambda: (R(4, 4), R(4, 4, seed=1))),
    "tensor_contraction": (tensor_contraction, lambda: (R(2, 3, 4), R(3, 4, seed=1))),
    "batched_matmul_loss": (batched_matmul_loss, lambda: (R(2, 3, 4), R(4, 2, seed=1))),
    "higher_rank_dot": (higher_rank_dot, lambda: (R(2, 3, 4), R(2, 4, 3, seed=1))),
    "cumulative_returns": (cumulative_returns, lambda: (R(5, 3),)),
    "total_variation": (total_variation, lambda: (R(5, 4),)),
    "convolution_by_padding": (convolution_by_padding, lambda: (R(6), R(3, seed=1))),
    "periodic_laplacian": (periodic_laplacian, lambda: (R(4, 5),)),
    "upsample": (upsample, lambda: (R(3, 2), R(3, 2, seed=1))),
    "flips_and_rotations": (flips_and_rotations, lambda: (R(4, 4),)),
    "axis_shuffles": (axis_shuffles, lambda: (R(3, 3, 3),)),
    "split_and_recombine": (split_and_recombine, lambda: (R(4, 6),)),
    "piecewise_select": (piecewise_select, lambda: (R(3, 4),)),
    "rigid_body_torque": (rigid_body_torque, lambda: (R(4, 3), R(4, 3, seed=1))),
    "triangular_parts": (triangular_parts, lambda: (R(4, 4),)),
    "kronecker_factors": (kronecker_factors, lambda: (R(2, 3), R(2, 2, seed=1))),
    "horner": (horner, lambda: (R(4), R(5, seed=1))),
    "outer_products": (outer_products, lambda: (R(3), R(4, seed=1))),
    "atleast_and_broadcast": (atleast_and_broadcast, lambda: (R(3), 0.7)),
    "diagonal_views": (diagonal_views, lambda: (R(3, 3, 4),)),
    "gram_matrix_trace": (gram_matrix_trace, lambda: (R(5, 3),)),
}


# -- array programs --------------------------------------------------------------------------------------


def einsum_ellipsis(a, b):
    return np.einsum("j...k,lj...->lk...", a, b)


def einsum_sublists(a, b):
    return np.einsum(a, [0, 1, 2], b, [3, 1, 0], [3, 2, 0])


def diagonal_of_square(a):
    return np.einsum("ii->i", a) * np.diag(a, -1).sum()


def split_pieces(x):
    return np.hsplit(x, 2)


def scan_and_difference(x):
    return np.diff(np.cumsum(x, axis=1), axis=1, prepend=0.0)


def padded_wrap(x):
    return np.pad(x, ((1, 0), (2, 1)), mode="wrap") * np.pad(x, ((0, 1), (1, 2)), mode="symmetric")


def implicit_output(a, b):
    return np.einsum("ij,k", a, b)


def tiled_3d(x):
    return np.tile(x, (1, 4, 1, 2))


ARRAY: dict[str, tuple[Callable, Callable[[], tuple]]] = {
    "einsum_ellipsis": (einsum_ellipsis, lambda: (R(2, 2, 2), R(2, 2, 2, seed=1))),
    "einsum_sublists": (einsum_sublists, lambda: (R(3, 4, 4), R(4, 4, 3, seed=1))),
    "diagonal_of_square": (diagonal_of_square, lambda: (R(4, 4),)),
    "split_pieces": (split_pieces, lambda: (R(3, 4),)),
    "scan_and_difference": (scan_and_difference, lambda: (R(3, 5),)),
    "padded_wrap": (padded_wrap, lambda: (R(3, 4),)),
    "implicit_output": (implicit_output, lambda: (R(3, 4), R(3, seed=1))),
    "tiled_3d": (tiled_3d, lambda: (R(2, 1, 3, 1),)),
}

__all__ = ["ARRAY", "R", "SCALAR"]


