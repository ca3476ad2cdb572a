"""Functions as values in ordinary Python: lambdas, nested defs, closures, *args/**kwargs, partial, map/filter.

Each program is its own JAX twin: the harness runs this module's code again
with `np` bound to jax.numpy (every function of the module, so the helpers
that make closures too). SCALAR programs return a float and are checked with
dp.grad, dp.vjp, dp.jvp and a Hessian-vector product.
"""

from __future__ import annotations

import functools
from typing import Callable

import numpy as np


def R(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed + 10 * sum(shape)).standard_normal(shape)


# -- the seed's "deep learning in 5 lines": closures returned from functions and composed -------------


def identity(x):
    return x


def dense(W, b, act=identity):
    return lambda x: act(W @ x + b)


def chain(*layers):
    def run(x):
        for layer in layers:
            x = layer(x)
        return x

    return run


def mlp_loss(W1, b1, W2, b2, x):
    """A two-layer perceptron built from closures returned by `dense` and composed by `chain`."""
    mlp = chain(dense(W1, b1, np.tanh), dense(W2, b2))
    return np.sum(mlp(x) ** 2)


def mlp_by_reduce(W1, b1, W2, b2, x):
    """The same layers composed by functools.reduce over a tuple of closures (a closure of closures)."""
    layers = (dense(W1, b1, np.tanh), dense(W2, b2, np.sin))
    compose = functools.reduce(lambda f, g: lambda v: g(f(v)), layers)
    return np.sum(compose(x))


# -- lambdas and nested defs inside compiled code ------------------------------------------------------


def closure_over_argument(x, s):
    """A lambda closing over a dynamic argument, called twice."""
    scale = lambda v: v * s + np.sin(s)
    return np.sum(scale(x) * scale(x * x))


def nested_def_with_defaults(x, y):
    """A nested def with a default computed from a runtime value and a keyword-only parameter."""
    offset = y * y

    def energy(v, shift=offset, *, power=2):
        return np.sum((v - shift) ** power)

    return energy(x) + energy(x, y, power=3) * 0.1


def late_binding(x, y):
    """A closure sees the variable's value at the call, not at its definition (Python's late binding)."""
    a = x
    f = lambda t: t * a
    first = f(y)
    a = np.cos(x)
    return first + f(y)


def closures_two_deep(a, b, c):
    """A def returning a lambda that closes over both enclosing functions' variables."""

    def outer(p):
        def middle(q):
            return lambda r: p * q * r + p

        return middle(p + b)

    return outer(a)(c) * outer(c)(a)


def closure_in_loop(x, h):
    """A step function closing over the step size, called in a loop over a compile-time range."""
    step = lambda y: y + h * np.sin(y)
    for _ in range(4):
        x = step(x)
    return np.sum(x)


# -- functions passed as arguments and stored in containers ---------------------------------------------


def apply_twice(f, x):
    return f(f(x))


def function_arguments(x, w):
    """Lambdas and a nested def passed to a module-level function."""

    def damp(v):
        return v * w

    return np.sum(apply_twice(damp, x) + apply_twice(lambda v: np.tanh(v) + w, x))


def functions_in_containers(x, w):
    """Functions stored in a dict and a list, picked by compile-time keys and indices."""
    activations = {"tanh": np.tanh, "scaled": lambda v: v * w, "square": lambda v: v * v}
    order = ["square", "tanh", "scaled"]
    steps = [activations[name] for name in order]
    y = x
    for i, step in enumerate(steps):
        y = step(y) if i != 1 else steps[1](y) + 0.5
    return np.sum(y) + np.sum(activations["scaled"](x))


def tuple_of_functions(x):
    """Iterating over a tuple of functions (a lambda, a numpy ufunc, a module-level function)."""
    total = 0.0
    for f in (lambda v: v * 3.0, np.exp, identity):
        total = total + np.sum(f(x))
    return total


# -- *args and **kwargs -------------------------------------------------------------------------------


def weighted(*terms, scale=1.0, **weights):
    total = 0.0
    for i, term in enumerate(terms):
        total = total + weights.get(f"w{i}", 1.0) * np.sum(term)
    return total * scale


def star_arguments(x, y, z):
    """*args and **kwargs in a definition and at call sites, keyword-only defaults."""
    parts = (x * y, np.sin(z))
    options = {"w0": 2.0, "w1": z}
    return weighted(*parts, scale=0.5, **options) + weighted(x, **{"w0": y})


def forward(fun, *args, **kwargs):
    return fun(*args, **kwargs)


def forwarded_numpy_keywords(A, v):
    """**kwargs with compile-time values forwarded to numpy (np.sum(x, **{"axis": 0}))."""
    column = forward(np.sum, A, **{"axis": 0})
    kept = forward(np.mean, A * v, axis=1, keepdims=True)
    return np.sum(column * v) + np.sum(kept**2)


def unary_closure_pattern(A, B):
    """The autograd-suite harness's pattern made in compiled code: a closure over a tuple of arguments
    and numpy keywords, one argument replaced by the variable (keyword-only, so a compile-time index)."""

    def unary(fun, args, *, argnum, **kwargs):
        def f(x):
            new = list(args)
            new[argnum] = x
            return fun(*new, **kwargs)

        return f

    g = unary(np.sum, (A,), argnum=0, **{"axis": 0, "keepdims": True})
    h = unary(np.dot, (A, B), argnum=1)
    return np.sum(g(A * B) ** 2) + np.sum(h(B * 2.0))


# -- functools.partial ----------------------------------------------------------------------------------


def affine(w, b, x):
    return w * x + b


def partial_over_dynamic(x, w, b):
    """functools.partial of a module-level function over runtime values, and a partial of a partial."""
    layer = functools.partial(affine, w)
    shifted = functools.partial(layer, b)
    reduce_rows = functools.partial(np.sum, axis=0)
    return np.sum(reduce_rows(np.outer(shifted(x), layer(b, x))))


# -- map, filter, zip, sorted ---------------------------------------------------------------------------


def map_filter_zip(xs, ys):
    """map with a lambda over two lists, zip, filter on compile-time data, sum of a generator."""
    products = list(map(lambda a, b: a * np.sin(b), xs, ys))
    chosen = list(filter(lambda i: i % 2 == 0, range(len(products))))
    pairs = zip(products, xs)
    return sum(products[i] for i in chosen) + sum(p * q for p, q in pairs)


def sorted_by_key(xs, w):
    """sorted(key=lambda) over a list whose keys are compile-time values; min with a runtime key."""
    weights = (3, 1, 2)
    order = sorted(range(len(xs)), key=lambda i: weights[i])
    ranked = [xs[i] * (k + 1.0) for k, i in enumerate(order)]
    closest = min(xs, key=lambda v: (v - w) ** 2)
    return sum(ranked) * closest


SCALAR: dict[str, tuple[Callable, Callable[[], tuple]]] = {
    "mlp_loss": (mlp_loss, lambda: (R(4, 3), R(4, seed=1), R(2, 4, seed=2), R(2, seed=3), R(3, seed=4))),
    "mlp_by_reduce": (mlp_by_reduce, lambda: (R(4, 3), R(4, seed=1), R(2, 4, seed=2), R(2, seed=3), R(3, seed=4))),
    "closure_over_argument": (closure_over_argument, lambda: (R(5), 0.7)),
    "nested_def_with_defaults": (nested_def_with_defaults, lambda: (R(4), 0.3)),
    "late_binding": (late_binding, lambda: (0.4, 1.7)),
    "closures_two_deep": (closures_two_deep, lambda: (0.5, -1.2, 2.0)),
    "closure_in_loop": (closure_in_loop, lambda: (R(3), 0.1)),
    "function_arguments": (function_arguments, lambda: (R(3), 0.8)),
    "functions_in_containers": (functions_in_containers, lambda: (R(3), 1.3)),
    "tuple_of_functions": (tuple_of_functions, lambda: (R(4) * 0.5,)),
    "star_arguments": (star_arguments, lambda: (R(3), 1.1, 0.6)),
    "forwarded_numpy_keywords": (forwarded_numpy_keywords, lambda: (R(3, 4), R(4, seed=5))),
    "unary_closure_pattern": (unary_closure_pattern, lambda: (R(3, 3), R(3, seed=6))),
    "partial_over_dynamic": (partial_over_dynamic, lambda: (R(3), 0.9, -0.4)),
    "map_filter_zip": (map_filter_zip, lambda: ([0.3, -1.0, 2.0, 0.5], [1.0, 0.2, -0.7, 1.5])),
    "sorted_by_key": (sorted_by_key, lambda: ([0.3, -1.0, 2.0], 0.1)),
}
