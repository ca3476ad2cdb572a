"""Indexing, gather/scatter and sorting programs checked against jax.numpy twins.

Each program runs in dp (compiled), in numpy, and as its JAX twin: the value, the reverse gradient, a forward
JVP and both second orders, in float64 and float32 (harness.check_twin).
"""

from __future__ import annotations

import numpy as np
import pytest

from ordinary.indexing.harness import check_twin, jax

jnp = jax.numpy
DTYPES = ["float64", "float32"]
RNG = np.random.default_rng(12)
X45 = RNG.standard_normal((4, 5))
X564 = RNG.standard_normal((5, 6, 4))
V8 = RNG.standard_normal(8)

# Compile-time constants the programs read as globals.
COLUMNS = [1, -1, 1, 0]
MASK = np.array([True, False, True, True, False])
GRID = np.array([[True, False, False, True, False], [False, False, True, False, False],
                 [True, True, False, False, False], [False, False, False, False, True]])
WEIGHTS = np.linspace(0.5, 2.0, 20).reshape(4, 5)


# 1. rows gathered by a runtime index array (repeats and negative indices)
def gather_rows(x, idx):
    return np.sum(np.sin(x[idx]) * np.arange(20.0).reshape(4, 5))


def gather_rows_twin(x, idx):
    return jnp.sum(jnp.sin(x[idx]) * jnp.arange(20.0).reshape(4, 5))


# 2. columns gathered by a constant list
def gather_columns(x):
    return np.sum(x[:, COLUMNS] ** 3)


def gather_columns_twin(x):
    return jnp.sum(x[:, jnp.array(COLUMNS)] ** 3)


# 3. two broadcast index arrays: an outer-product of rows and columns
def gather_pairs(x, rows, cols):
    picked = x[rows[:, None], cols]
    return np.sum(np.cos(picked) * picked)


def gather_pairs_twin(x, rows, cols):
    picked = x[rows[:, None], cols]
    return jnp.sum(jnp.cos(picked) * picked)


# 4. autograd's test_index_mixed: an int, a slice and a list (non-adjacent: the list's dim comes first)
def gather_mixed(x):
    y = x[3, 2:, [1, 3]]
    return np.sum(y * y * np.arange(8.0).reshape(2, 4))


def gather_mixed_twin(x):
    y = x[3, 2:, jnp.array([1, 3])]
    return jnp.sum(y * y * jnp.arange(8.0).reshape(2, 4))


# 5. negative-step slices
def reversed_slices(x):
    return np.sum(x[::-1, 2:4, ::-2] * np.arange(20.0).reshape(5, 2, 2)) + np.sum(np.exp(x[4:0:-2, 0, 0]))


def reversed_slices_twin(x):
    return jnp.sum(x[::-1, 2:4, ::-2] * jnp.arange(20.0).reshape(5, 2, 2)) + jnp.sum(jnp.exp(x[4:0:-2, 0, 0]))


# 6. a scatter: rows of a new array written at runtime positions (distinct)
def scatter_rows(x, idx):
    y = np.zeros((6, 5))
    y[idx] = np.tanh(x)
    return np.sum(y * y * np.arange(30.0).reshape(6, 5))


def scatter_rows_twin(x, idx):
    y = jnp.zeros((6, 5)).at[idx].set(jnp.tanh(x))
    return jnp.sum(y * y * jnp.arange(30.0).reshape(6, 5))


# 7. x[idx] += v with a repeated index: numpy does not accumulate (the last write of x[idx] + v wins)
def augmented_repeats(x, v):
    y = x * 1.0
    y[[0, 0, 2]] += v
    return np.sum(np.sin(y) * np.arange(5.0))


def augmented_repeats_twin(x, v):
    y = jnp.asarray(x)
    y = y.at[jnp.array([0, 2])].set(jnp.stack([x[0] + v[1], x[2] + v[2]]))
    return jnp.sum(jnp.sin(y) * jnp.arange(5.0))


# 8. np.add.at accumulates repeated indices (a histogram-like scatter-add)
def add_at(x, idx):
    y = np.zeros(5)
    np.add.at(y, idx, x ** 2)
    return np.sum(np.sin(y) * np.arange(1.0, 6.0))


def add_at_twin(x, idx):
    y = jnp.zeros(5).at[idx].add(x ** 2)
    return jnp.sum(jnp.sin(y) * jnp.arange(1.0, 6.0))


# 9. np.multiply.at and np.subtract.at on rows (slices per position)
def multiply_at(x, v):
    y = x * 1.0
    np.multiply.at(y, [1, 3, 1], v)
    np.subtract.at(y, (0, [2, 2]), v[0, :2])
    return np.sum(y * y)


def multiply_at_twin(x, v):
    y = jnp.asarray(x)
    for row, k in ((1, 0), (3, 1), (1, 2)):  # JAX differentiates scatter_mul only for unique indices
        y = y.at[row].multiply(v[k])
    y = y.at[0, jnp.array([2, 2])].add(-v[0, :2])
    return jnp.sum(y * y)


# 10. np.take along an axis, flattened, and with mode="wrap" / "clip"
def take_modes(x, idx):
    a = np.take(x, idx, axis=1)
    b = np.take(x, [0, 7, 19])
    c = np.take(x, [7, -6], axis=1, mode="wrap")
    d = np.take(x, [9, -1], axis=0, mode="clip")
    return np.sum(np.sin(a)) + np.sum(b * b) + np.sum(c * d[:, :4].T)


def take_modes_twin(x, idx):
    a = jnp.take(x, idx, axis=1)
    b = jnp.take(x, jnp.array([0, 7, 19]))
    c = jnp.take(x, jnp.array([2, 4]), axis=1)
    d = jnp.take(x, jnp.array([3, 0]), axis=0)
    return jnp.sum(jnp.sin(a)) + jnp.sum(b * b) + jnp.sum(c * d[:, :4].T)


# 11. np.take_along_axis with runtime indices
def take_along(x, idx):
    return np.sum(np.take_along_axis(x, idx, axis=1) ** 2 * np.arange(12.0).reshape(4, 3))


def take_along_twin(x, idx):
    return jnp.sum(jnp.take_along_axis(x, idx, axis=1) ** 2 * jnp.arange(12.0).reshape(4, 3))


# 12. np.sort along each axis and flattened (the derivative follows the permutation)
def sorts(x):
    return (np.sum(np.sort(x, axis=1) * WEIGHTS) + np.sum(np.sort(x, axis=0) * WEIGHTS ** 2)
            + np.sum(np.sort(x, axis=None) * np.arange(20.0)))


def sorts_twin(x):
    w = jnp.asarray(WEIGHTS)
    return (jnp.sum(jnp.sort(x, axis=1) * w) + jnp.sum(jnp.sort(x, axis=0) * w ** 2)
            + jnp.sum(jnp.sort(x, axis=None) * jnp.arange(20.0)))


# 13. argsort and take_along_axis: rank-weighted sum, and the rows ordered by their first column
def argsort_reorder(x):
    order = np.argsort(x[:, 0])
    ranked = np.take_along_axis(x, np.argsort(x, axis=1), axis=1)
    return np.sum(x[order] * WEIGHTS) + np.sum(ranked[:, -1])


def argsort_reorder_twin(x):
    order = jnp.argsort(x[:, 0])
    ranked = jnp.take_along_axis(x, jnp.argsort(x, axis=1), axis=1)
    return jnp.sum(x[order] * jnp.asarray(WEIGHTS)) + jnp.sum(ranked[:, -1])


# 14. the largest entry of each row picked by argmax (and the smallest of a column by argmin)
def argmax_pick(x):
    best = x[np.arange(4), np.argmax(x, axis=1)]
    worst = x[np.argmin(x[:, 2]), 2]
    return np.sum(best ** 2) + worst * np.argmax(x) + x.argmin(axis=0)[1]


def argmax_pick_twin(x):
    best = x[jnp.arange(4), jnp.argmax(x, axis=1)]
    worst = x[jnp.argmin(x[:, 2]), 2]
    return jnp.sum(best ** 2) + worst * jnp.argmax(x) + jnp.argmin(x, axis=0)[1]


# 15. softmax cross-entropy with integer labels (the classic gather)
def cross_entropy(logits, labels):
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -np.mean(log_probs[np.arange(logits.shape[0]), labels])


def cross_entropy_twin(logits, labels):
    shifted = logits - jnp.max(logits, axis=1, keepdims=True)
    log_probs = shifted - jnp.log(jnp.sum(jnp.exp(shifted), axis=1, keepdims=True))
    return -jnp.mean(log_probs[jnp.arange(logits.shape[0]), labels])


# 16. an embedding lookup followed by a projection
def embedding(table, w, tokens):
    hidden = np.tanh(table[tokens] @ w)
    return np.sum(hidden ** 2)


def embedding_twin(table, w, tokens):
    hidden = jnp.tanh(table[tokens] @ w)
    return jnp.sum(hidden ** 2)


# 17. k-means' assignment step: each point's nearest centre by argmin, the centres gathered back
def kmeans_cost(points, centres):
    d = np.sum((points[:, None, :] - centres[None, :, :]) ** 2, axis=2)
    nearest = np.argmin(d, axis=1)
    return np.sum((points - centres[nearest]) ** 2)


def kmeans_cost_twin(points, centres):
    d = jnp.sum((points[:, None, :] - centres[None, :, :]) ** 2, axis=2)
    nearest = jnp.argmin(d, axis=1)
    return jnp.sum((points - centres[nearest]) ** 2)


# 18. constant boolean masks: reading x[MASK], x[:, MASK], x[GRID]
def constant_masks(x):
    return np.sum(x[:, MASK] ** 2) + np.sum(np.sin(x[GRID])) + np.sum(x[0][MASK] * x[1][MASK])


def constant_masks_twin(x):
    return (jnp.sum(x[:, jnp.asarray(MASK)] ** 2) + jnp.sum(jnp.sin(x[jnp.asarray(GRID)]))
            + jnp.sum(x[0][jnp.asarray(MASK)] * x[1][jnp.asarray(MASK)]))


# 19. writes through a runtime mask (a leaky ReLU and a clamp written the numpy way)
def runtime_mask_writes(x):
    y = x * 1.0
    y[x < 0.0] *= 0.1
    y[y > 0.8] = 0.8
    z = x * x
    z[x[:, 0] > 0.0] += np.arange(5.0)
    return np.sum(y * x) + np.sum(z)


def runtime_mask_writes_twin(x):
    y = jnp.where(x < 0.0, x * 0.1, x)
    y = jnp.where(y > 0.8, 0.8, y)
    z = jnp.where((x[:, 0] > 0.0)[:, None], x * x + jnp.arange(5.0), x * x)
    return jnp.sum(y * x) + jnp.sum(z)


# 20. np.nonzero / np.where(cond) of constants used as indices
def nonzero_indices(x):
    rows, cols = np.nonzero(GRID)
    (picked,) = np.where(MASK)
    return np.sum(np.cos(x[rows, cols])) + np.sum(x[1:3, picked] ** 2) + np.sum(x.ravel()[np.flatnonzero(GRID)])


def nonzero_indices_twin(x):
    rows, cols = np.nonzero(GRID)
    (picked,) = np.where(MASK)
    return (jnp.sum(jnp.cos(x[rows, cols])) + jnp.sum(x[1:3, picked] ** 2)
            + jnp.sum(x.ravel()[np.flatnonzero(GRID)]))


# 21. np.put (values repeated to the index count) and ndarray.put
def put_values(x, v):
    y = x * 1.0
    np.put(y, [0, 6, 13], v[:2])
    y.put([19], v[2] * 3.0)
    return np.sum(y * y * WEIGHTS)


def put_values_twin(x, v):
    flat = jnp.asarray(x).ravel()
    flat = flat.at[jnp.array([0, 6, 13, 19])].set(jnp.stack([v[0], v[1], v[0], v[2] * 3.0]))
    return jnp.sum(flat.reshape(4, 5) ** 2 * jnp.asarray(WEIGHTS))


# 22. order statistics: the median of each row and a top-3 sum, through np.sort
def order_statistics(x):
    rows = np.sort(x, axis=1)
    top = np.sort(x.ravel())[-3:]
    return np.sum(rows[:, 2] ** 2) + np.sum(top)


def order_statistics_twin(x):
    rows = jnp.sort(x, axis=1)
    top = jnp.sort(x.ravel())[-3:]
    return jnp.sum(rows[:, 2] ** 2) + jnp.sum(top)


# 23. gathers inside a loop: a runtime int from an index array picks a row each iteration
def loop_gather(x, idx):
    total = 0.0
    for k in range(idx.shape[0]):
        row = x[idx[k]]
        total = total + np.sum(row * x[idx[(k + 1) % idx.shape[0]]])
    return total


def loop_gather_twin(x, idx):
    total = 0.0
    for k in range(idx.shape[0]):
        row = x[idx[k]]
        total = total + jnp.sum(row * x[idx[(k + 1) % idx.shape[0]]])
    return total


# 24. in-place ndarray.sort of a local copy, then a gather of the sorted values
def sort_in_place(x, idx):
    y = x * 2.0
    y.sort()
    return np.sum(y[idx] ** 2) + np.sum(y * np.arange(8.0))


def sort_in_place_twin(x, idx):
    y = jnp.sort(x * 2.0)
    return jnp.sum(y[idx] ** 2) + jnp.sum(y * jnp.arange(8.0))


PROGRAMS = {
    "gather_rows": (gather_rows, gather_rows_twin, (X45, np.array([3, -1, 0, 0]))),
    "gather_columns": (gather_columns, gather_columns_twin, (X45,)),
    "gather_pairs": (gather_pairs, gather_pairs_twin, (X45, np.array([0, 2, 2]), np.array([4, -2]))),
    "gather_mixed": (gather_mixed, gather_mixed_twin, (X564,)),
    "reversed_slices": (reversed_slices, reversed_slices_twin, (X564,)),
    "scatter_rows": (scatter_rows, scatter_rows_twin, (X45, np.array([5, 0, 2, 3]))),
    "augmented_repeats": (augmented_repeats, augmented_repeats_twin, (X45[0], X45[1, :3])),
    "add_at": (add_at, add_at_twin, (V8, np.array([0, 4, 0, 2, 2, 0, 1, 4]))),
    "multiply_at": (multiply_at, multiply_at_twin, (X45, X45[1:] + 1.0)),
    "take_modes": (take_modes, take_modes_twin, (X45, np.array([4, 0, 4]))),
    "take_along": (take_along, take_along_twin, (X45, np.array([[0, 4, 1], [2, 2, 3], [4, 3, 0], [1, 1, 1]]))),
    "sorts": (sorts, sorts_twin, (X45,)),
    "argsort_reorder": (argsort_reorder, argsort_reorder_twin, (X45,)),
    "argmax_pick": (argmax_pick, argmax_pick_twin, (X45,)),
    "cross_entropy": (cross_entropy, cross_entropy_twin, (X45, np.array([4, 0, 2, 2]))),
    "embedding": (embedding, embedding_twin, (X45, X45.T[:, :3], np.array([[0, 3], [3, 1], [2, 2]]))),
    "kmeans_cost": (kmeans_cost, kmeans_cost_twin, (RNG.standard_normal((7, 2)), RNG.standard_normal((3, 2)))),
    "constant_masks": (constant_masks, constant_masks_twin, (X45,)),
    "runtime_mask_writes": (runtime_mask_writes, runtime_mask_writes_twin, (X45,)),
    "nonzero_indices": (nonzero_indices, nonzero_indices_twin, (X45,)),
    "put_values": (put_values, put_values_twin, (X45, V8[:3])),
    "order_statistics": (order_statistics, order_statistics_twin, (X45,)),
    "loop_gather": (loop_gather, loop_gather_twin, (X45, np.array([2, 0, 3, 3]))),
    "sort_in_place": (sort_in_place, sort_in_place_twin, (V8, np.array([7, 0, 3]))),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program(name: str, dtype: str) -> None:
    fn, twin, args = PROGRAMS[name]
    check_twin(fn, twin, args, dtype)
