"""What dp cannot compile about containers is a typed error that names the construct at the user's line."""

from __future__ import annotations

import numpy as np
import pytest

import dp

THIS_FILE = __file__


def line_of(marker: str) -> int:
    """The line of this file that ends with the comment `# <marker>`."""
    with open(THIS_FILE) as source:
        for number, text in enumerate(source, start=1):
            if text.rstrip().endswith(f"# {marker}"):
                return number
    raise AssertionError(f"no line marked {marker}")


def compile_error(fn, *args, error) -> str:
    with pytest.raises(error) as info:
        dp.compile(fn)(*args)
    message = str(info.value)
    assert "dp/frontend" not in message and "Traceback" not in message, message
    return message


def assert_points_at(message: str, marker: str) -> None:
    line = line_of(marker)
    assert f"test_container_errors.py:{line}:" in message, message
    lines = message.splitlines()
    assert lines[-1].strip() == "^", message
    assert lines[-2].strip() == open(THIS_FILE).read().splitlines()[line - 1].strip(), message


def grows_in_a_runtime_range(x, n):
    ys = []
    for i in range(n):  # runtime range
        ys.append(x * i)
    return sum(ys)


def grows_in_a_while_loop(x):
    ys = [x]
    while x < 10.0:  # while loop
        x = x * 2.0
        ys.append(x)
    return sum(ys)


def grows_in_a_nested_runtime_loop(x, n):
    out = []
    for _ in range(n):  # outer runtime loop
        for j in range(2):
            out.append(x * j)
    return len(out) * x


def dict_gains_keys_in_a_runtime_loop(x, n):
    d = {"a": x}
    for i in range(n):  # dict loop
        d["b"] = x
    return d["a"]


def filters_on_runtime_values(x):
    return sum([v for v in x if v > 0.0])  # runtime filter


def comprehension_over_runtime_range(x, n):
    return sum([x * i for i in range(n)])  # runtime comprehension


def set_of_runtime_values(x):
    return len({v * 2.0 for v in x})  # runtime set


def dict_comprehension_runtime_key(x):
    return {v: 1.0 for v in x}  # runtime key


def index_of_runtime_value(x):
    xs = [x, 2.0 * x]
    return xs.index(2.0)  # runtime index


def pops_an_empty_list(x):
    xs = [x]
    xs.pop()
    return xs.pop() + x  # empty pop


def unpacks_too_few(x):
    a, b, *rest = (x,)  # too few
    return a


def sorts_arrays(x):
    return sorted([x, 2.0 * x])[0]  # sorted arrays


def max_by_key_of_mixed_items(x):
    return max([x[0], x], key=np.sum)  # mixed max


def appends_in_a_runtime_branch(x):
    ys = [x]
    if x > 0.0:  # runtime branch
        ys.append(x)
    return sum(ys)


ERRORS = [
    (grows_in_a_runtime_range, (1.5, 3), dp.TypeMismatchError, "runtime range",
     ["list 'ys' changes length in this for loop", "0 items before it, 1 item after one iteration"]),
    (grows_in_a_while_loop, (1.5,), dp.TypeMismatchError, "while loop", ["list 'ys' changes length in this while loop"]),
    (grows_in_a_nested_runtime_loop, (1.5, 2), dp.TypeMismatchError, "outer runtime loop",
     ["list 'out' changes length in this for loop", "0 items before it, 2 items after one iteration"]),
    (dict_gains_keys_in_a_runtime_loop, (1.5, 2), dp.TypeMismatchError, "dict loop", ["dict 'd' changes length"]),
    (filters_on_runtime_values, (np.ones(3),), dp.TypeMismatchError, "runtime filter",
     ["the condition `v > 0.0` of this comprehension depends on runtime values"]),
    (comprehension_over_runtime_range, (1.5, 3), dp.TypeMismatchError, "runtime comprehension",
     ["a comprehension over range() with runtime bounds"]),
    (set_of_runtime_values, (np.ones(3),), dp.TypeMismatchError, "runtime set", ["set comprehension of runtime values"]),
    (dict_comprehension_runtime_key, (np.ones(2),), dp.TypeMismatchError, "runtime key",
     ["dict keys must be compile-time strings or ints"]),
    (index_of_runtime_value, (1.5,), dp.TypeMismatchError, "runtime index", ["list.index() compares items with runtime"]),
    (pops_an_empty_list, (1.5,), dp.ShapeError, "empty pop", ["pop from an empty list"]),
    (unpacks_too_few, (1.5,), dp.TypeMismatchError, "too few", ["into at least 2 targets: it has 1 items"]),
    (sorts_arrays, (np.ones(2),), dp.TypeMismatchError, "sorted arrays", ["sorted() of ndarray"]),
    (max_by_key_of_mixed_items, (np.ones(2),), dp.TypeMismatchError, "mixed max",
     ["max(key=...) with runtime keys picks its result at run time, so the items must have one type"]),
    (appends_in_a_runtime_branch, (1.5,), dp.TypeMismatchError, "runtime branch", ["variable 'ys' has type"]),
]


@pytest.mark.parametrize("fn,args,error,marker,texts", ERRORS, ids=[e[0].__name__ for e in ERRORS])
def test_typed_error_at_the_line(fn, args, error, marker, texts):
    message = compile_error(fn, *args, error=error)
    for text in texts:
        assert text in message, message
    assert_points_at(message, marker)


def test_growth_error_under_dp_grad_too():
    """The same error reaches a derivative transform, not an internal one."""
    with pytest.raises(dp.TypeMismatchError, match="list 'ys' changes length"):
        dp.grad(grows_in_a_runtime_range)(1.5, 3)


def test_the_same_loop_compiles_when_its_trip_count_is_static():
    """With n a static argument the growing loop is unrolled, and its gradient is sum(range(n))."""
    compiled = dp.grad(grows_in_a_runtime_range, static_argnums=(1,))
    assert compiled(1.5, 4) == 6.0
    assert compiled(1.5, 5) == 10.0
