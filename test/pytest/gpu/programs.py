"""The GPU corpus: array programs (elementwise, broadcasting, reductions, products, the MLP step,
softmax, GMM, stencils), each compiled for the GPU as primal and as value-and-gradient."""

from __future__ import annotations

import numpy as np

from export import programs as export_programs
from export.programs import Program

r = np.random.default_rng(7)


def elementwise_chain(x):
    return np.sum(np.exp(np.sin(x)) * np.cos(x) + np.log1p(x * x))


def tanh_square(x):
    return np.sum(np.tanh(x) ** 2)


def broadcast_add(x, y):
    return np.sum(np.sin(x[:, None] + y[None, :]) ** 2)


def broadcast_scale(m, v):
    return np.sum((m * v) ** 2 + m / (1.0 + v * v))


def axis_sums(m):
    return np.sum(np.sum(m, axis=0) ** 2) + np.sum(np.sum(m * m, axis=1))


def maximum_reduction(x):
    return np.max(x * x) + np.min(np.cos(x))


def mean_variance(x):
    mu = np.mean(x)
    return np.mean((x - mu) ** 2)


def matrix_chain(a, b, c):
    return np.sum(np.tanh(a @ b) @ c)


def dot_products(u, v):
    return np.dot(u, v) * np.sum(u * u)


def three_point_stencil(x):
    lap = x[2:] - 2.0 * x[1:-1] + x[:-2]
    return np.sum(lap * lap)


def two_dim_stencil(u):
    lap = u[2:, 1:-1] + u[:-2, 1:-1] + u[1:-1, 2:] + u[1:-1, :-2] - 4.0 * u[1:-1, 1:-1]
    return np.sum(lap**2)


def diffusion_steps(u):
    for _ in range(5):
        u = u + 0.1 * np.concatenate([u[:1] * 0.0, u[2:] - 2.0 * u[1:-1] + u[:-2], u[:1] * 0.0])
    return np.sum(u * u)


def relu_network(w, x):
    h = np.maximum(x @ w, 0.0)
    return np.sum(h * h)


def softmax(x):
    e = np.exp(x - np.max(x))
    p = e / np.sum(e)
    return np.sum(p * p)


def large_elementwise(x):
    return np.sum(np.sin(x) * np.exp(-x * x))


def quadratic_form(a, x):
    return x @ (a @ x)


NEW = [
    Program("elementwise_chain", elementwise_chain, (r.random(300),)),
    Program("tanh_square", tanh_square, (r.standard_normal(1000),)),
    Program("broadcast_add", broadcast_add, (r.standard_normal(40), r.standard_normal(30)), argnums=(0, 1)),
    Program("broadcast_scale", broadcast_scale, (r.standard_normal((20, 30)), r.standard_normal(30)), argnums=(0, 1)),
    Program("axis_sums", axis_sums, (r.standard_normal((33, 17)),)),
    Program("maximum_reduction", maximum_reduction, (r.standard_normal(257),)),
    Program("mean_variance", mean_variance, (r.standard_normal(500),)),
    Program("matrix_chain", matrix_chain, (r.standard_normal((16, 8)), r.standard_normal((8, 12)),
                                           r.standard_normal((12, 4))), argnums=(0, 1, 2)),
    Program("dot_products", dot_products, (r.standard_normal(64), r.standard_normal(64)), argnums=(0, 1)),
    Program("three_point_stencil", three_point_stencil, (r.standard_normal(200),)),
    Program("two_dim_stencil", two_dim_stencil, (r.standard_normal((24, 20)),)),
    Program("diffusion_steps", diffusion_steps, (r.standard_normal(50),)),
    Program("relu_network", relu_network, (r.standard_normal((10, 6)), r.standard_normal((7, 10))), argnums=(0, 1)),
    Program("softmax", softmax, (r.standard_normal(100),)),
    Program("large_elementwise", large_elementwise, (r.standard_normal(1 << 16),)),
    Program("quadratic_form", quadratic_form, (r.standard_normal((9, 9)), r.standard_normal(9)), argnums=(0, 1)),
]

_REUSED = ("matmul_tanh", "logsumexp", "softmax_cross_entropy", "statistics", "transposes", "concatenation",
           "slicing", "row_loop", "where_relu", "outer_norm", "batched_quadratic", "elementwise_accumulate",
           "gmm", "ba", "lstm", "mlp")
PROGRAMS = NEW + [p for p in export_programs.PROGRAMS if p.name in _REUSED]
