"""numpy programs compiled by dp and compared with numpy itself (see test_primal.py).

Each program is ordinary numpy code; CASES pairs it with arguments. The
gradient tests (test_gradients.py) reuse some of them with jax.numpy twins.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

import numpy as np

from .harness import rng

# -- elementwise arithmetic and ufuncs -------------------------------------------------------------


def arithmetic(x, y):
    return x * y + 2.0 - x / (y + 3.0) - (-x) * 0.5


def scalar_on_both_sides(x, s):
    return 2.0 - x, 1.0 / (x + 3.0), s * x, x**2, 3 * x - s


def ufuncs(x):
    return np.sin(x) + np.cos(x) * np.tanh(x) - np.exp(-x) + np.log(x + 2.0) * np.sqrt(np.abs(x) + 1.0)


def more_ufuncs(x):
    p = np.abs(x) + 0.5
    return (
        np.log1p(p),
        np.expm1(x),
        np.square(x),
        np.power(p, 3),
        p**0.5,
        np.power(p, 2.5),
        np.arctan(x) + np.sinh(x) - np.cosh(x * 0.5) + np.arcsinh(x),
        np.log2(p) + np.log10(p) + np.exp2(x) + np.cbrt(p),
    )


def rounding_and_sign(x):
    return np.floor(x), np.ceil(x), np.sign(x), np.trunc(x), np.reciprocal(x + 10.0)


def relu_and_friends(x, y):
    relu = np.maximum(x, 0.0)
    capped = np.minimum(x, y)
    picked = np.where(x > y, x, y * 2.0)
    clipped = np.clip(x, -0.5, 0.5)
    return relu, capped, picked, clipped, x.clip(min=0.0)


def comparisons(x, y):
    mask = (x > 0.0) & (y <= 0.5) | (x == y)
    return mask, np.where(mask, 1.0, -1.0), x != y, np.logical_not(x < 0.1), np.isfinite(x / y)


# -- broadcasting --------------------------------------------------------------------------------------


def row_broadcast(x, b):
    return x + b, b * x, x - b


def size_one_dims(col, row):
    return col + row, col * 2.0 - row, np.maximum(col, row)


def rank_promotion(a, b):
    return a * b + 1.0, b - a


def column_with_newaxis(x, c):
    return x * c[:, None] + c.reshape(-1, 1), x / np.expand_dims(c, 1)


# -- products ------------------------------------------------------------------------------------------


def products(a, b, v, w):
    return a @ b, a @ v, w @ a, v @ v, np.dot(a, b), np.matmul(w, a), a.dot(v), np.dot(w, w)


def outer_product(u, v):
    return np.outer(u, v), np.outer(u, v).sum()


def mlp(x, w1, b1, w2, b2):
    hidden = np.tanh(x @ w1 + b1)
    return hidden @ w2 + b2


# -- reductions ----------------------------------------------------------------------------------------


def reductions_2d(x):
    return (
        np.sum(x),
        np.sum(x, axis=0),
        np.sum(x, axis=1),
        np.sum(x, axis=-1, keepdims=True),
        np.mean(x, axis=0, keepdims=True),
        np.max(x, axis=1),
        np.min(x),
        np.prod(x, axis=0),
        x.sum(),
        x.mean(),
        x.max(axis=0),
        x.min(axis=1, keepdims=True),
        x.prod(),
    )


def reductions_3d(x):
    return (
        np.sum(x, axis=(0, 2)),
        np.mean(x, axis=(1, 2), keepdims=True),
        np.max(x, axis=(0, 1)),
        np.sum(x, axis=None, keepdims=True),
        x.sum(axis=1).mean(axis=-1),
        np.linalg.norm(x),
        np.linalg.norm(x, axis=2),
    )


def stable_logsumexp(x):
    m = np.max(x)
    return m + np.log(np.sum(np.exp(x - m)))


def naive_logsumexp(x):
    return np.log(np.sum(np.exp(x)))


def naive_logsumexp_rows(x):
    return np.log(np.sum(np.exp(x), axis=1)), np.log(np.exp(x).sum(axis=0, keepdims=True))


def softmax(x):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def log_softmax(x):
    shifted = x - np.max(x, axis=1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))


def naive_softmax(x):
    e = np.exp(x)
    first = np.exp(x[0])
    return e / np.sum(e, axis=1, keepdims=True), first / first.sum()


def naive_log_softmax(x):
    return x - np.log(np.sum(np.exp(x), axis=1, keepdims=True))


# -- layout --------------------------------------------------------------------------------------------


def transposes(x, t):
    return x.T, np.transpose(t, (1, 2, 0)), t.transpose(2, 0, 1), x.T @ x


def reshapes(x):
    return (
        x.reshape(3, 4),
        x.reshape(-1),
        np.reshape(x, (2, 6)),
        x.reshape(2, 2, 3).sum(axis=1),
        np.expand_dims(x, 0),
        np.squeeze(x.reshape(1, 12, 1)),
        x.ravel(),
        x.flatten(),
    )


def joining(a, b):
    return (
        np.concatenate([a, b]),
        np.concatenate((a, b), axis=1),
        np.stack([a, b]),
        np.stack((a, b), axis=2),
        np.vstack([a[0], b[1]]),
        np.hstack([a[0], b[1]]),
    )


# -- indexing ------------------------------------------------------------------------------------------


def static_indexing(x):
    return x[1], x[1, 2], x[:, 0], x[1:3], x[-1], x[-2, -1], x[1:-1, ::2], x[..., 1], x[::2, 1:], x[0, None]


def runtime_indexing(x, i, j):
    return x[i], x[i, j], x[:, j], x[-i - 1], x[i, 1:3]


def element_loop(x):
    out = np.zeros_like(x)
    for i in range(x.shape[0]):
        out[i] = math.exp(x[i]) * 0.5 + x[i - 1]
    return out


def matrix_loops(x):
    n, m = x.shape
    out = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            out[i, j] = x[i, j] * (i + 1) - x[n - 1 - i, j]
    return out


def row_updates(x, r):
    a = x.copy()
    a[1] = 7.0
    a[2, :] += r
    a[:, 0] = -1.0
    a[0, 1:3] = r[:2] * 2.0
    a += 1.0
    a *= x
    b = np.array(x)
    b[-1, -1] = 100.0
    return a, b


def cumulative_sum(v):
    out = np.empty(len(v))
    total = 0.0
    for i in range(len(v)):
        total += v[i]
        out[i] = total
    return out


def rows_loop(x):
    acc = np.zeros(x.shape[1])
    for row in x:
        acc = acc + row * row
    return acc


def while_loop(x):
    y = x.copy()
    steps = 0
    while np.max(np.abs(y)) > 1e-3 and steps < 100:
        y = y * 0.5
        steps += 1
    return y, steps


def branches(x, flag):
    if flag > 0.0:
        y = x * 2.0
    else:
        y = x - 1.0
    if np.sum(y) > 0.0:
        y[0] = 0.0
    return y


# -- creation ------------------------------------------------------------------------------------------


def creation(x):
    n = len(x)
    return (
        np.zeros(n),
        np.ones((2, n)),
        np.full((n,), 3.5),
        np.zeros_like(x),
        np.ones_like(x),
        np.full_like(x, 2.0),
        np.eye(3),
        np.eye(n, 4, 1),
        np.arange(5),
        np.arange(1.0, 3.0, 0.5),
        np.linspace(0.0, 1.0, 5),
        np.identity(2),
        np.zeros(3, dtype=np.int64),
        np.ones(2, dtype=np.float32),
    )


def from_scalars(a, b):
    return np.array([a, b, a * b]), np.array([[a, 1.0], [2.0, b]]), np.array([a, b]) @ np.array([b, a])


def from_arrays(u, v):
    return np.array([u, v]), np.asarray(u) + 1.0, np.array(u, dtype=np.float32)


def shape_constants(x):
    total = 0.0
    for i in range(len(x)):
        for j in range(x.shape[1]):
            total += x[i, j] * x.ndim
    return total, x.shape, x.size, len(x)


# -- dtypes --------------------------------------------------------------------------------------------


def float32_program(x, w):
    y = np.tanh(x @ w) * 2.0 + 1.0
    return y, y.sum(axis=0), y.astype(np.float64), np.exp(x) / 3


def int_program(k, m):
    return k + m, k * 3 - m, k // 2, k % 3, k * k, np.sum(k), k.max(axis=0), k > m, k.astype(np.float64) / 2


def int32_program(k):
    return k + 1, k * k, k.sum(), k.astype(np.float32) * 0.5


def bool_program(mask, x):
    return np.where(mask, x, 0.0), np.any(mask), np.all(mask), mask & (x > 0.0), ~mask, np.sum(mask), mask.any(axis=0)


def casts(x):
    return x.astype(np.int64), (x > 0).astype(np.float64), x.astype(np.float32), x.astype(int).astype(bool)


# -- structures ----------------------------------------------------------------------------------------


@dataclass
class Model:
    weights: np.ndarray
    bias: float
    name: str


def predict(model, x):
    return x @ model.weights + model.bias


def train_step(model, x, y, lr):
    residual = predict(model, x) - y
    grad_w = x.T @ residual / len(y)
    grad_b = np.mean(residual)
    return Model(model.weights - lr * grad_w, model.bias - lr * grad_b, model.name)


class Pair(NamedTuple):
    left: np.ndarray
    right: np.ndarray


def structures(pair, table):
    return {"sum": pair.left + pair.right, "scaled": table["w"] * table["s"]}, (pair.right, table["s"])


def helper(v, scale):
    return v * scale + np.sum(v)


def calls_helpers(x, y):
    return helper(x, 2.0) + helper(y, 3.0), helper(x[0], 1.0)


def returns_arguments(x, y):
    s = x + y
    return x, s, s, np.zeros(2)


def zero_d_and_empty(z, e):
    return z * 2.0 + 1.0, e + 1.0, np.sum(e), e.reshape(0, 3)


def python_builtins(x):
    return abs(x), len(x), sum(x), float(x[0]), int(x[1] * 10.0), max(x[0], x[1])


def global_constant(x):
    return x @ MATRIX + OFFSET


MATRIX = np.arange(6.0).reshape(3, 2) / 10.0
OFFSET = np.array([0.5, -0.5])


# -- aliasing, control flow and calls ------------------------------------------------------------


def alias_update(x):
    a = x.copy()
    b = a
    a += 1.0
    b[0] = 10.0
    return a, b


def loop_break(x):
    acc = np.zeros(3)
    for i in range(len(x)):
        if x[i] > 2.0:
            break
        acc[i % 3] += x[i]
    return acc


def loop_return(x):
    out = np.zeros_like(x)
    for i in range(len(x)):
        if x[i] < 0.0:
            return out
        out[i] = x[i] * 2
    return out


def recursive(x, n):
    if n == 0:
        return x
    return recursive(x * 0.5, n - 1) + 1.0


def while_update(x):
    y = x.copy()
    i = 0
    while i < len(y):
        y[i] = y[i] ** 2
        i += 1
    return y


def nested_struct_loop(x):
    state = {"a": x.copy(), "n": 0}
    for i in range(3):
        state["a"] = state["a"] * 2.0
        state["n"] += 1
    return state


def ifexp(x, c):
    y = x if c > 0 else x * 2.0
    return y + 1.0


def list_of_arrays(x):
    parts = [x, x * 2.0]
    parts.append(x + 1.0)
    return sum(parts), np.stack(parts), parts[1]


def zip_rows(x, y):
    t = 0.0
    for a, b in zip(x, y):
        t += np.dot(a, b)
    return t


def enumerate_rows(x):
    out = np.zeros(len(x))
    for i, row in enumerate(x):
        out[i] = np.sum(row) * i
    return out


def matrix_power(a):
    r = np.eye(a.shape[0])
    for _ in range(3):
        r = r @ a
    return r


def scalar_from_array_math(x):
    return math.sqrt(x[0] ** 2 + x[1] ** 2) + float(np.sum(x))


def int_index_arith(x, i):
    return x[(i + 1) % len(x)] + x[i // 2]


def f32_mix(x):
    return x + np.float32(1.5), x * 2, x.sum() * 2.0


def compare_chain(x):
    return np.where((0.0 < x) & (x < 1.0), 1.0, 0.0)


def newaxis_ops(x):
    return x[:, None] - x[None, :]


def unpack_shape(x):
    n, m = x.shape
    a, b, c = x[0]
    return n * m + a + b + c


def mean_int(k):
    return np.mean(k), k.mean(axis=0)


# -- more numpy functions -----------------------------------------------------------------------


def full_arr(x):
    return np.full((2, 3), x[:3]), np.full_like(x, 7, dtype=np.int64)


def where_scalar_cond(x, c):
    return np.where(c > 0, x, -x), np.where(x > 0, 1, 0)


def clip_arrays(x, lo, hi):
    return np.clip(x, lo, hi), np.clip(x, None, 0.5)


def stacks(a):
    return np.hstack([a, a]), np.vstack([a, a]), np.squeeze(a[None, :, :1], axis=2), np.squeeze(a[:1])


def items(x):
    return x[1:2].item() + x.transpose().sum() + x.T.sum()


def tests(x):
    return np.isnan(x), np.isinf(x), np.any(x), np.all(x > -10), np.fmax(x, 0.1), np.fmin(x, np.nan)


def trig2(y, x):
    return np.arctan2(y, x), np.hypot(y, x)


def logical(a, b):
    return np.logical_and(a > 0, b > 0), np.logical_or(a > 0, b), np.logical_xor(a > 0, b > 0)


def ints(k):
    return np.sign(k), np.abs(k), -k, k**3, np.power(k, 2), k // 0, k % -3, k << 1, k >> 1, ~k


def floats_mod(x):
    return x % 1.5, x % -1.5, x // 0.7, np.floor_divide(x, -0.7), np.mod(x, 2.0)


def conv(x):
    return np.asarray([1.0, 2.0, 3.0]) * x, np.float32(x[0]), np.int64(x * 10), np.copy(x), np.negative(x)


def matmul_assign(a, b):
    c = a.copy()
    c @= b
    return c


def sums(x):
    return np.sum(x, dtype=np.float32), x.sum(axis=0, dtype=np.int64), np.prod(x > 0), np.mean(x > 0)


def where_int(k, x):
    return np.where(k > 0, k, x), np.maximum(k, 2), np.minimum(k, x)


def arange_stuff(x):
    return x * np.arange(len(x)), np.arange(6).reshape(2, 3) @ np.ones(3), np.arange(3, dtype=np.float32)


def bool_arith(m):
    return m.astype(np.int32) + 1, m * 2.0, m | m, np.sum(m, axis=0)


def reshape_more(x):
    return x.reshape((2, -1)), x.reshape(1, 2, 3, 1).squeeze(), np.reshape(x, -1), x.reshape(6)[::2]


def scalar_0d(z):
    return float(z) + 1.0, z + z, np.sin(z), np.array(2.0) * z


def ge_le(x, y):
    return x >= y, x <= 0.5, 0.5 < x, x == 0.0


def dot_mixed(a, v):
    return np.dot(a, 2.0), np.dot(3.0, v), np.inner(v, v), v.dot(v)


def concat_none(a, b):
    return np.concatenate([a, b], axis=None), np.concatenate([a[0], b[0]], axis=-1)


def expand_multi(x):
    return np.expand_dims(x, (0, 2)), np.expand_dims(x, -1)


def ellipsis(t):
    return t[..., 0], t[0, ...], t[..., 1:, 0], t[None, ..., None].shape


# -- cases ---------------------------------------------------------------------------------------------


class Case(NamedTuple):
    fn: Callable[..., Any]
    args: Callable[[], tuple]
    id: str
    rtol: float | None = None  # None: 1e-12 for float64 results, 1e-5 for float32


def _normal(*shape, seed=0, dtype=np.float64):
    return rng(seed).standard_normal(shape).astype(dtype)


def _positive(*shape, seed=0):
    return rng(seed).uniform(0.5, 2.0, shape)


CASES = [
    Case(arithmetic, lambda: (_normal(4, 3), _positive(4, 3, seed=1)), "arithmetic"),
    Case(scalar_on_both_sides, lambda: (_positive(5), 1.5), "scalar_on_both_sides"),
    Case(ufuncs, lambda: (_normal(3, 4),), "ufuncs"),
    Case(more_ufuncs, lambda: (_normal(6),), "more_ufuncs"),
    Case(rounding_and_sign, lambda: (_normal(7) * 3.0,), "rounding_and_sign"),
    Case(relu_and_friends, lambda: (_normal(3, 3), _normal(3, 3, seed=2)), "relu_and_friends"),
    Case(comparisons, lambda: (_normal(5), np.array([0.1, 0.2, -0.3, 0.9, 0.0])), "comparisons"),
    Case(row_broadcast, lambda: (_normal(4, 3), _normal(3, seed=1)), "row_broadcast"),
    Case(size_one_dims, lambda: (_normal(4, 1), _normal(1, 3, seed=1)), "size_one_dims"),
    Case(rank_promotion, lambda: (_normal(2, 1, 3), _normal(4, 1, seed=1)), "rank_promotion"),
    Case(column_with_newaxis, lambda: (_normal(4, 3), _positive(4)), "column_with_newaxis"),
    Case(products, lambda: (_normal(3, 4), _normal(4, 2, seed=1), _normal(4, seed=2), _normal(3, seed=3)), "products"),
    Case(outer_product, lambda: (_normal(3), _normal(4, seed=1)), "outer_product"),
    Case(
        mlp,
        lambda: (_normal(5, 4), _normal(4, 8, seed=1), _normal(8, seed=2), _normal(8, 2, seed=3), _normal(2, seed=4)),
        "mlp",
    ),
    Case(reductions_2d, lambda: (_positive(3, 4),), "reductions_2d"),
    Case(reductions_3d, lambda: (_normal(2, 3, 4),), "reductions_3d"),
    Case(stable_logsumexp, lambda: (_normal(10) * 5.0,), "stable_logsumexp"),
    Case(naive_logsumexp, lambda: (_normal(10) * 5.0,), "naive_logsumexp"),
    Case(naive_logsumexp_rows, lambda: (_normal(3, 5),), "naive_logsumexp_rows"),
    Case(softmax, lambda: (_normal(4, 6),), "softmax"),
    Case(log_softmax, lambda: (_normal(4, 6),), "log_softmax"),
    Case(naive_log_softmax, lambda: (_normal(4, 6),), "naive_log_softmax"),
    Case(naive_softmax, lambda: (_normal(4, 6),), "naive_softmax"),
    Case(transposes, lambda: (_normal(3, 4), _normal(2, 3, 4, seed=1)), "transposes"),
    Case(reshapes, lambda: (_normal(4, 3),), "reshapes"),
    Case(joining, lambda: (_normal(2, 3), _normal(2, 3, seed=1)), "joining"),
    Case(static_indexing, lambda: (_normal(4, 5),), "static_indexing"),
    Case(runtime_indexing, lambda: (_normal(4, 5), 2, 3), "runtime_indexing"),
    Case(runtime_indexing, lambda: (_normal(4, 5), -1, -2), "runtime_indexing_negative"),
    Case(element_loop, lambda: (_normal(6),), "element_loop"),
    Case(matrix_loops, lambda: (_normal(3, 4),), "matrix_loops"),
    Case(row_updates, lambda: (_normal(4, 3), _normal(3, seed=1)), "row_updates"),
    Case(cumulative_sum, lambda: (_normal(7),), "cumulative_sum"),
    Case(rows_loop, lambda: (_normal(5, 3),), "rows_loop"),
    Case(while_loop, lambda: (_normal(4) * 10.0,), "while_loop"),
    Case(branches, lambda: (_normal(4), 1.0), "branches_then"),
    Case(branches, lambda: (_normal(4) - 5.0, -1.0), "branches_else"),
    Case(creation, lambda: (_normal(3),), "creation"),
    Case(from_scalars, lambda: (1.5, -2.0), "from_scalars"),
    Case(from_arrays, lambda: (_normal(3), _normal(3, seed=1)), "from_arrays"),
    Case(shape_constants, lambda: (_normal(3, 2),), "shape_constants"),
    Case(
        float32_program,
        lambda: (_normal(4, 3, dtype=np.float32), _normal(3, 5, seed=1, dtype=np.float32)),
        "float32",
        1e-5,
    ),
    Case(
        int_program,
        lambda: (rng(0).integers(-9, 9, (3, 4)), rng(1).integers(1, 9, (3, 4))),
        "int64",
    ),
    Case(int32_program, lambda: (rng(0).integers(-9, 9, (5,)).astype(np.int32),), "int32"),
    Case(bool_program, lambda: (rng(0).random((3, 4)) > 0.5, _normal(3, 4)), "bool"),
    Case(casts, lambda: (_normal(5) * 3.0,), "casts"),
    Case(predict, lambda: (Model(_normal(4), 0.25, "linear"), _normal(6, 4, seed=1)), "dataclass_argument"),
    Case(
        train_step,
        lambda: (Model(_normal(4), 0.25, "linear"), _normal(6, 4, seed=1), _normal(6, seed=2), 0.1),
        "dataclass_result",
    ),
    Case(
        structures,
        lambda: (Pair(_normal(2, 2), _normal(2, 2, seed=1)), {"w": _normal(3, seed=2), "s": 2.5}),
        "namedtuple_and_dict",
    ),
    Case(calls_helpers, lambda: (_normal(3), _normal(3, seed=1)), "calls_helpers"),
    Case(returns_arguments, lambda: (_normal(3), _normal(3, seed=1)), "returns_arguments"),
    Case(zero_d_and_empty, lambda: (np.array(1.5), np.zeros((0,))), "zero_d_and_empty"),
    Case(python_builtins, lambda: (_normal(4),), "python_builtins"),
    Case(global_constant, lambda: (_normal(4, 3),), "global_constant"),
    Case(alias_update, lambda: (_normal(3),), "alias_update"),
    Case(loop_break, lambda: (np.array([1.0, 1.5, 0.5, 3.0, 1.0]),), "loop_break"),
    Case(loop_return, lambda: (np.array([1.0, 1.5, -0.5, 3.0]),), "loop_return_early"),
    Case(loop_return, lambda: (np.array([1.0, 1.5, 0.5, 3.0]),), "loop_return_late"),
    Case(recursive, lambda: (_normal(3), 3), "recursive"),
    Case(while_update, lambda: (_normal(4),), "while_update"),
    Case(nested_struct_loop, lambda: (_normal(2),), "nested_struct_loop"),
    Case(ifexp, lambda: (_normal(2), 1.0), "ifexp_then"),
    Case(ifexp, lambda: (_normal(2), -1.0), "ifexp_else"),
    Case(list_of_arrays, lambda: (_normal(2),), "list_of_arrays"),
    Case(zip_rows, lambda: (_normal(3, 2), _normal(3, 2, seed=1)), "zip_rows"),
    Case(enumerate_rows, lambda: (_normal(3, 2),), "enumerate_rows"),
    Case(matrix_power, lambda: (_normal(3, 3),), "matrix_power"),
    Case(scalar_from_array_math, lambda: (_normal(3),), "scalar_from_array_math"),
    Case(int_index_arith, lambda: (_normal(5), 3), "int_index_arith"),
    Case(f32_mix, lambda: (_normal(3, dtype=np.float32),), "float32_weak_scalars", 1e-5),
    Case(compare_chain, lambda: (_normal(5),), "compare_chain"),
    Case(newaxis_ops, lambda: (_normal(4),), "newaxis_ops"),
    Case(unpack_shape, lambda: (_normal(2, 3),), "unpack_shape"),
    Case(mean_int, lambda: (np.arange(6).reshape(2, 3),), "mean_int"),
    Case(full_arr, lambda: (_normal(4),), "full_from_array"),
    Case(where_scalar_cond, lambda: (_normal(3), 1.0), "where_scalar_condition"),
    Case(clip_arrays, lambda: (_normal(4), _normal(4, seed=1) - 1.0, _normal(4, seed=2) + 1.0), "clip_arrays"),
    Case(stacks, lambda: (_normal(2, 3),), "hstack_vstack_squeeze"),
    Case(items, lambda: (_normal(3),), "item_and_transpose"),
    Case(tests, lambda: (np.array([1.0, np.nan, np.inf, -2.0]),), "nan_inf_tests"),
    Case(trig2, lambda: (_normal(3), _normal(3, seed=1)), "arctan2_hypot"),
    Case(logical, lambda: (_normal(4), rng(1).random(4) > 0.5), "logical_functions"),
    Case(ints, lambda: (np.array([-7, -1, 0, 3, 8]),), "int_operators"),
    Case(floats_mod, lambda: (_normal(6) * 3.0,), "float_floor_and_mod"),
    Case(conv, lambda: (_normal(3),), "conversions", 1e-5),
    Case(matmul_assign, lambda: (_normal(3, 3), _normal(3, 3, seed=1)), "matmul_assign"),
    Case(sums, lambda: (_normal(3, 2),), "reduction_dtypes", 1e-5),
    Case(where_int, lambda: (np.array([-1, 2, 3]), _normal(3)), "int_float_promotion"),
    Case(arange_stuff, lambda: (_normal(4),), "arange"),
    Case(bool_arith, lambda: (rng(2).random((2, 3)) > 0.5,), "bool_arithmetic"),
    Case(reshape_more, lambda: (_normal(6),), "reshape_variants"),
    Case(scalar_0d, lambda: (np.array(0.7),), "zero_d_argument"),
    Case(ge_le, lambda: (_normal(4), _normal(4, seed=1)), "comparison_operators"),
    Case(dot_mixed, lambda: (_normal(2, 2), _normal(2, seed=1)), "dot_with_scalars"),
    Case(concat_none, lambda: (_normal(2, 2), _normal(3, 2, seed=1)), "concatenate_axis_none"),
    Case(expand_multi, lambda: (_normal(3),), "expand_dims_tuple"),
    Case(ellipsis, lambda: (_normal(2, 3, 4),), "ellipsis_and_newaxis"),
]
