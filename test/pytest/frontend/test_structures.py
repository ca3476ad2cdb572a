"""Tuples, lists, dicts, NamedTuples and dataclasses as arguments, locals and results."""

import dataclasses
from typing import NamedTuple

import pytest

import dp


def zygote_pow(x, n):
    r = {"r": 1.0}
    while n > 0:
        r["r"] *= x
        n -= 1
    return r["r"]


def test_dict_mutated_in_a_loop(check):
    assert check(zygote_pow, 5.0, 3) == 125.0
    check(zygote_pow, 1.5, 0)


def dict_state(x, n):
    state = {"sum": 0.0, "count": 0, "label": "s"}
    for i in range(n):
        if i % 2 == 0:
            state["sum"] += x * i
        else:
            state["count"] += 1
    state["mean"] = state["sum"] / max(state["count"], 1)
    return state


def test_dict_results_and_new_keys(check):
    check(dict_state, 1.5, 7)


def tuple_ops(t, u):
    a, b = t
    swapped = (b, a)
    joined = t + u
    return swapped, joined[1:], joined[-1], joined[::2], len(joined), t == (a, b)


def test_tuple_unpacking_slicing_and_concatenation(check):
    check(tuple_ops, (1.0, 2), (3.5, 4.5))


def fibonacci_pair(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def test_tuple_assignment_in_a_loop(check):
    check(fibonacci_pair, 30)


def list_mutation(xs, n):
    ys = list(xs)
    for i in range(n):
        ys[i % 3] = ys[i % 3] * 2.0 + i
    ys.append(-1.0)
    return ys, xs


def test_list_mutation_with_runtime_index(check):
    check(list_mutation, [1.0, 2.0, 3.0], 7)


def runtime_index(t, i):
    return t[i] + t[-1 - i]


@pytest.mark.parametrize("i", [0, 1, 2])
def test_runtime_index_into_homogeneous_tuple(check, i):
    check(runtime_index, (1.5, -2.0, 7.25), i)


def aliasing(x):
    a = [x, 0.0]
    b = a
    b[1] = x * 3.0
    for i in range(3):
        b[0] += a[1]
    return a


def test_mutation_through_an_alias(check):
    check(aliasing, 2.0)


def nested_structures(p):
    weights, (lo, hi) = p["w"], p["range"]
    total = 0.0
    for w in weights:
        total += min(max(w, lo), hi)
    return {"total": total, "n": len(weights)}, [lo, hi]


def test_nested_dict_tuple_list_arguments(check):
    check(nested_structures, {"w": [0.5, 3.0, -2.0], "range": (0.0, 2.0)})


class RGB(NamedTuple):
    r: float
    g: float
    b: float


def brighten(color, factor):
    return RGB(min(color.r * factor, 1.0), min(color.g * factor, 1.0), color.b)


def luminance(color):
    r, g, b = color
    return 0.2126 * r + 0.7152 * g + 0.0722 * color[2]


def test_namedtuple_argument_and_result(check):
    result = check(brighten, RGB(0.2, 0.6, 0.9), 2.0)
    assert isinstance(result, RGB)
    check(luminance, RGB(0.5, 0.25, 1.0))


@dataclasses.dataclass
class Model:
    weights: float
    bias: float
    name: str

    def predict(self, x):
        return self.weights * x + self.bias


def loss(model, x, y):
    error = model.predict(x) - y
    if model.name == "l1":
        return abs(error)
    return error * error


def test_dataclass_argument_with_a_static_string_field(check):
    check(loss, Model(2.0, 0.5, "l2"), 3.0, 1.0)
    check(loss, Model(2.0, 0.5, "l1"), 3.0, 10.0)


def step(model, lr):
    updated = Model(model.weights - lr, model.bias + lr, model.name)
    updated.bias = updated.bias * 2.0
    return updated


def test_dataclass_built_and_returned(check):
    result = check(step, Model(1.0, 0.25, "m"), 0.125)
    assert isinstance(result, Model) and result.name == "m"


@dataclasses.dataclass(frozen=True)
class Point:
    x: float
    y: float
    weight: int = 1

    @property
    def norm2(self):
        return self.x * self.x + self.y * self.y


def centroid(points):
    sx = sy = 0.0
    total = 0
    for p in points:
        sx += p.x * p.weight
        sy += p.y * p.weight
        total += p.weight
    return Point(sx / total, sy / total), points[0].norm2


def test_tuple_of_frozen_dataclasses_with_defaults_and_properties(check):
    check(centroid, (Point(1.0, 2.0), Point(3.0, -1.0, 3)))


def structured_loop_state(x, n):
    state = (x, 0.0)
    for i in range(n):
        state = (state[0] * 0.5, state[1] + state[0])
    return state


def test_tuple_carried_through_a_loop(check):
    check(structured_loop_state, 8.0, 5)


def dict_iteration(d):
    total = 0.0
    for key in d:
        total += d[key]
    for key, value in d.items():
        total += len(key) * value
    return total + sum(d.values()) + d.get("z", 100.0)


def test_dict_iteration_and_methods(check):
    check(dict_iteration, {"a": 1.0, "bb": 2.0})


def copy_argument(d):
    d = dict(d)
    d["x"] = 1.0
    return d


def test_copied_argument_may_be_mutated(check):
    check(copy_argument, {"x": 5.0, "y": 2.0})


def test_none_and_strings_pass_through():
    def describe(label, value, nothing):
        if nothing is None:
            return label, value * 2.0
        return label, value

    assert dp.compile(describe)("k", 1.5, None) == ("k", 3.0)
