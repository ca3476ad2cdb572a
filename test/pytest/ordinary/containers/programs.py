"""Ordinary Python container code (comprehensions, growing lists, unpacking, builtins); each is its own JAX twin.

SCALAR programs return a float (a loss) and are checked with dp.grad,
dp.vjp, dp.jvp and a Hessian-vector product; STRUCTURED programs return
arrays, lists or dicts and are checked through dp.vjp and dp.jvp. Every
program uses `np`, which the twin binds to jax.numpy.
"""

from __future__ import annotations

from typing import Callable

import numpy as np


def R(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed + 10 * sum(shape)).standard_normal(shape)


# -- comprehensions -------------------------------------------------------------------------------------


def neighbour_products(x):
    """A list comprehension over a range with compile-time bounds."""
    n = x.shape[0]
    return sum([x[i] * x[i + 1] for i in range(n - 1)])


def upper_triangle(x):
    """Nested `for` clauses with an `if` on the indices."""
    pairs = [x[i] * np.sin(x[j]) for i in range(4) for j in range(4) if i < j]
    return np.sum(np.array(pairs) ** 2)


def row_features(X, w):
    """A comprehension over the rows of an array, stacked back."""
    features = np.stack([np.tanh(row * w) * np.sum(row) for row in X])
    return np.sum(features**2)


def sum_of_squares(xs):
    """A generator expression consumed by sum()."""
    return sum(np.sum(x * x) for x in xs) + sum((x[0] for x in xs), 1.0)


def dict_of_activations(params):
    """A dict comprehension over .items(), read back by .values() and key."""
    out = {name: np.sin(value) * 2.0 for name, value in params.items()}
    return sum(np.sum(v) for v in out.values()) * np.sum(out["b"])


def matrix_from_nested_lists(x):
    """A list of lists built by nested comprehensions, then np.array."""
    m = np.array([[x[i] * x[j] + (1.0 if i == j else 0.0) for j in range(3)] for i in range(3)])
    return np.sum(m @ m)


def indices_from_a_set(x):
    """A set comprehension of compile-time indices, iterated in sorted order."""
    picked = {i % 3 for i in range(7)}
    return sum(x[i] ** 2 * (i + 1) for i in sorted(picked))


def enumerate_zip_comprehension(xs, ys):
    """Comprehension targets unpacked from enumerate(zip(...))."""
    terms = [(k + 1) * np.dot(a, b) for k, (a, b) in enumerate(zip(xs, ys))]
    return sum(terms)


# -- lists that grow ----------------------------------------------------------------------------------


def appended_in_a_range_loop(x):
    """append() in a loop whose trip count is a constant, then np.array."""
    out = []
    for i in range(4):
        out.append(np.sin(x) * (i + 1))
    return np.sum(np.array(out) ** 2)


def appended_per_row(X, w):
    """append() in a loop over the rows of an array, then np.stack."""
    hidden = []
    for row in X:
        hidden.append(np.tanh(row @ w))
    H = np.stack(hidden)
    return np.sum(H * H)


def extend_plus_and_iadd(x):
    """extend(), `+` and `+=` on lists, inside and outside loops."""
    parts = [x[0]]
    parts.extend([x[1] * 2.0, x[2]])
    for i in range(2):
        parts += [x[i] * x[i + 1]]
    parts = parts + [np.sum(x)]
    return sum(p * p for p in parts)


def insert_and_pop(x):
    """insert() and pop() reorder a list before it is consumed."""
    items = [x[0], x[1], x[2]]
    items.insert(1, np.cos(x[3]))
    last = items.pop()
    first = items.pop(0)
    return last * first + sum(items) ** 2


def running_averages(x):
    """A list of partial results grows while a scalar is carried, both in one loop."""
    means = []
    total = 0.0
    for k in range(x.shape[0]):
        total = total + x[k]
        means.append(total / (k + 1))
    return np.dot(np.array(means), x)


def nested_growth(x):
    """A list grown in an inner loop, for every iteration of an outer loop."""
    rows = []
    for i in range(3):
        row = []
        for j in range(3):
            row.append(x[i] ** (j + 1))
        rows.append(row)
    return np.sum(np.array(rows) * np.array(rows).T)


def break_out_of_a_growing_loop(x):
    """A loop that appends and breaks at a runtime condition (checked on every unrolled iteration)."""
    acc = [x[0]]
    total = x[0]
    for i in range(1, 5):
        if total > 2.0:
            break
        total = total + x[i] ** 2
        acc[0] = acc[0] + total
    return acc[0] + total


# -- unpacking ----------------------------------------------------------------------------------------


def starred_unpacking(xs):
    """`first, *middle, last = xs` and a starred display."""
    first, *middle, last = xs
    joined = [*middle, first * last]
    return sum(np.sum(m**2) for m in joined)


def nested_for_targets(pairs):
    """Nested targets in a for statement, and a swap."""
    total = 0.0
    for i, (a, (b, c)) in enumerate(pairs):
        a, b = b, a
        total = total + (i + 1) * a * b - c
    return total


def merged_dicts(d1, d2):
    """`{**d1, **d2}` with an overridden key, dict.get with a default, `in` on a dict."""
    d = {**d1, **d2, "scale": 2.0}
    shift = d.get("shift", 0.5)
    bonus = d["w"] ** 2 if "w" in d else 0.0
    return d["scale"] * np.sum(np.tanh(d["x"] + shift)) + bonus


def fibonacci_pairs(a, b):
    """Tuple swapping in a loop."""
    for _ in range(5):
        a, b = b, a + 0.5 * b
    return np.sum(a * b)


# -- builtins over containers ----------------------------------------------------------------------------


def squared_norm(v):
    return np.sum(v * v)


def max_by_key(xs):
    """max/min with key=: the winning array is chosen at run time from runtime keys."""
    best = max(xs, key=np.sum)
    worst = min(xs, key=squared_norm)
    return np.sum(best * worst)


def any_all_guards(x):
    """any()/all() of generators deciding a runtime branch."""
    if any(v > 1.5 for v in x):
        y = np.sum(x**2)
    else:
        y = np.sum(np.sin(x))
    if all(v > -3.0 for v in x):
        y = y * 2.0
    return y


def sorted_runtime_values(x):
    """sorted() of runtime numbers (a sorting network), weighted by rank."""
    ordered = sorted([x[0], x[1], x[2], x[3]])
    return sum((k + 1.0) * v for k, v in enumerate(ordered))


def reversed_and_len(xs):
    """reversed() and len() of a list of arrays."""
    n = len(xs)
    return sum(np.dot(a, b) / n for a, b in zip(xs, reversed(xs)))


def static_list_methods(x):
    """list.index and list.count of compile-time values pick entries."""
    names = ["a", "b", "c", "b"]
    return x[names.index("c")] * names.count("b") + x[len(names) - 1]


def dict_built_from_pairs(x):
    """dict(zip(...)), dict(pairs, **kw), sorted keys, .keys()/.values()/.items()."""
    names = ("w", "b", "c")
    d = dict(zip(names, [x[0], x[1], x[2]]))
    e = dict([("u", x[3])], v=x[0] * x[1])
    total = 0.0
    for i, k in enumerate(sorted(d.keys())):
        total = total + (i + 1) * d[k]
    for k, v in e.items():
        total = total + v**2
    return total + sum(d.values()) * len(e)


# -- structured results ----------------------------------------------------------------------------------


def layer_outputs(x, ws):
    """A list of per-layer activations, returned as a list."""
    outs = []
    h = x
    for w in ws:
        h = np.tanh(w @ h)
        outs.append(h)
    return outs


def named_statistics(x):
    """A dict of statistics built in a loop over a tuple of names."""
    stats = {}
    for name, power in (("first", 1), ("second", 2), ("third", 3)):
        stats[name] = np.mean(x**power)
    stats["norms"] = [np.sum(np.abs(r)) for r in x]
    return stats


def grown_matrix(x):
    """Rows appended in a loop, returned as an array."""
    rows = []
    for k in range(3):
        rows.append(x * (k + 1.0) + x[k])
    return np.stack(rows)


SCALAR: dict[str, tuple[Callable, Callable[[], tuple]]] = {
    "neighbour_products": (neighbour_products, lambda: (R(6),)),
    "upper_triangle": (upper_triangle, lambda: (R(4),)),
    "row_features": (row_features, lambda: (R(3, 4), R(4, seed=1))),
    "sum_of_squares": (sum_of_squares, lambda: ([R(3), R(3, seed=1), R(3, seed=2)],)),
    "dict_of_activations": (dict_of_activations, lambda: ({"w": R(2, 3), "b": R(3)},)),
    "matrix_from_nested_lists": (matrix_from_nested_lists, lambda: (R(3),)),
    "indices_from_a_set": (indices_from_a_set, lambda: (R(3),)),
    "enumerate_zip_comprehension": (enumerate_zip_comprehension, lambda: ((R(2), R(2, seed=1)), [R(2, seed=2), R(2, seed=3)])),
    "appended_in_a_range_loop": (appended_in_a_range_loop, lambda: (R(3),)),
    "appended_per_row": (appended_per_row, lambda: (R(4, 3), R(3, 2))),
    "extend_plus_and_iadd": (extend_plus_and_iadd, lambda: (R(4),)),
    "insert_and_pop": (insert_and_pop, lambda: (R(4),)),
    "running_averages": (running_averages, lambda: (R(5),)),
    "nested_growth": (nested_growth, lambda: (R(3),)),
    "break_out_of_a_growing_loop": (break_out_of_a_growing_loop, lambda: (np.array([0.9, 1.2, -0.4, 0.7, 1.1]),)),
    "starred_unpacking": (starred_unpacking, lambda: ((R(2), R(2, seed=1), R(2, seed=2), R(2, seed=3)),)),
    "nested_for_targets": (nested_for_targets, lambda: ([(0.5, (1.5, -0.3)), (2.0, (0.25, 1.0))],)),
    "merged_dicts": (merged_dicts, lambda: ({"x": R(3), "scale": 3.0}, {"w": 0.7, "x": R(3, seed=1)})),
    "fibonacci_pairs": (fibonacci_pairs, lambda: (R(3), R(3, seed=1))),
    "max_by_key": (max_by_key, lambda: ([R(3), R(3, seed=1), R(3, seed=2)],)),
    "any_all_guards": (any_all_guards, lambda: (np.array([0.3, 1.7, -0.5]),)),
    "any_all_guards_other_branch": (any_all_guards, lambda: (np.array([0.3, 0.7, -3.5]),)),
    "sorted_runtime_values": (sorted_runtime_values, lambda: (np.array([0.3, -1.2, 2.5, 0.1]),)),
    "reversed_and_len": (reversed_and_len, lambda: ([R(2), R(2, seed=1), R(2, seed=2)],)),
    "static_list_methods": (static_list_methods, lambda: (R(4),)),
    "dict_built_from_pairs": (dict_built_from_pairs, lambda: (R(4),)),
}

STRUCTURED: dict[str, tuple[Callable, Callable[[], tuple]]] = {
    "layer_outputs": (layer_outputs, lambda: (R(3), [R(3, 3), R(3, 3, seed=1)])),
    "named_statistics": (named_statistics, lambda: (R(2, 3),)),
    "grown_matrix": (grown_matrix, lambda: (R(3),)),
}

__all__ = ["SCALAR", "STRUCTURED"]
