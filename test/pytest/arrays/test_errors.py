"""Errors in array code: typed, at the user's line with a caret, saying what to do.

Shapes are static, so a shape mismatch is a compile-time dp.ShapeError that
names both shapes; a numpy function dp does not compile is named.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import dp


def raised(error_type, call) -> str:
    with pytest.raises(error_type) as info:
        call()
    return str(info.value)


def assert_at(message: str, marker: str, caret_under: str | None = None) -> None:
    """The message starts with this file's line holding `marker`, shows that line and a caret."""
    lines = open(__file__).read().splitlines()
    line = next(i + 1 for i, text in enumerate(lines) if marker in text and "assert_at" not in text)
    first, source, caret = message.splitlines()[:3]
    assert re.match(rf".*test_errors\.py:{line}:\d+: ", first), f"not at line {line}:\n{message}"
    assert marker in source, message
    assert caret.strip() == "^", message
    if caret_under is not None:
        column = int(first.split(":")[2])
        text = lines[line - 1]
        assert text[column - 1 :].startswith(caret_under), f"caret at column {column} of {text!r}"
        assert len(caret) - 1 - 4 == column - 1 - (len(text) - len(text.lstrip())), message


def bad_matmul(a, v):
    return a @ v  # matmul mismatch


def bad_broadcast(a, b):
    c = a * 2.0
    return c + b  # broadcast mismatch


def bad_index(x):
    return x[5]  # index out of range


def bad_reshape(x):
    return x.reshape(5, 3)  # bad reshape


def bad_dot(a, b):
    return np.dot(a, b)  # dot mismatch


def bad_concat(a, b):
    return np.concatenate([a, b], axis=0)  # concat mismatch


def inverse(a):
    return np.linalg.eig(a)  # unsupported function


def cumulative(a):
    return np.unwrap(a)  # unsupported unwrap


def writes_argument(x):
    x[0] = 1.0  # writes argument
    return x


def augments_argument(x):
    x += 1.0  # augments argument
    return x


def copy_then_write(x):
    y = x.copy()
    y[0] = 1.0
    z = np.array(x)
    z[1] += 2.0
    return y, z


def writes_view(x):
    y = x.copy()
    v = y[1:3]
    v[0] = 5.0  # writes view
    return y


def reads_stale_view(x):
    y = x.copy()
    row = y[0]
    y[0, 0] = 5.0
    return row + 1.0  # stale view


def runtime_slice(x, k):
    return x[0:k]  # runtime slice


def fancy_index(x):
    return x[x > 0.0]  # fancy index


def runtime_shape(n):
    return np.zeros(n)  # runtime shape


def ambiguous_truth(x):
    if x > 0.0:  # ambiguous truth
        return 1.0
    return 0.0


def shape_changes(x, flag):
    y = x
    if flag:
        y = x[1:]  # shape changes
    return y


def test_matmul_shape_mismatch_names_both_shapes_at_the_line():
    message = raised(dp.ShapeError, lambda: dp.compile(bad_matmul)(np.ones((3, 4)), np.ones(5)))
    assert "(3, 4)" in message and "(5,)" in message
    assert_at(message, "matmul mismatch", "a @ v")


def test_broadcast_mismatch():
    message = raised(dp.ShapeError, lambda: dp.compile(bad_broadcast)(np.ones((3, 4)), np.ones(5)))
    assert "(3, 4)" in message and "(5,)" in message and "broadcast" in message
    assert_at(message, "broadcast mismatch", "c + b")


def test_static_index_out_of_range():
    message = raised(dp.ShapeError, lambda: dp.compile(bad_index)(np.ones(3)))
    assert "index 5 is out of bounds for axis 0 with size 3" in message
    assert_at(message, "index out of range", "x[5]")


def test_reshape_to_another_size():
    message = raised(dp.ShapeError, lambda: dp.compile(bad_reshape)(np.ones(12)))
    assert "size 12" in message and "(5, 3)" in message
    assert_at(message, "bad reshape")


def test_dot_and_concatenate_mismatches():
    message = raised(dp.ShapeError, lambda: dp.compile(bad_dot)(np.ones((2, 3)), np.ones((2, 3))))
    assert "(2, 3)" in message and "not aligned" in message
    assert_at(message, "dot mismatch")
    message = raised(dp.ShapeError, lambda: dp.compile(bad_concat)(np.ones((2, 3)), np.ones((2, 4))))
    assert "(2, 3)" in message and "(2, 4)" in message
    assert_at(message, "concat mismatch")


def test_unsupported_numpy_functions_are_named():
    message = raised(dp.UnsupportedSyntaxError, lambda: dp.compile(inverse)(np.eye(2)))
    assert "np.linalg.eig is not supported" in message
    assert_at(message, "unsupported function", "np.linalg.eig(a)")
    message = raised(dp.UnsupportedSyntaxError, lambda: dp.compile(cumulative)(np.ones(3)))
    assert "np.unwrap is not supported" in message


def test_writing_into_an_argument_is_rejected_with_advice():
    message = raised(dp.UnsupportedSyntaxError, lambda: dp.compile(writes_argument)(np.ones(3)))
    assert "argument 'x'" in message and "a = a.copy()" in message
    assert_at(message, "writes argument")
    message = raised(dp.UnsupportedSyntaxError, lambda: dp.compile(augments_argument)(np.ones(3)))
    assert "argument 'x'" in message
    assert_at(message, "augments argument")


def test_a_copy_may_be_written():
    x = np.arange(3.0)
    y, z = dp.compile(copy_then_write)(x)
    np.testing.assert_array_equal(y, [1.0, 1.0, 2.0])
    np.testing.assert_array_equal(z, [0.0, 3.0, 2.0])
    np.testing.assert_array_equal(x, [0.0, 1.0, 2.0])


def test_views_are_read_only_and_go_stale():
    message = raised(dp.UnsupportedSyntaxError, lambda: dp.compile(writes_view)(np.ones(4)))
    assert "view" in message and ".copy()" in message
    assert_at(message, "writes view")
    message = raised(dp.UnsupportedSyntaxError, lambda: dp.compile(reads_stale_view)(np.ones((2, 2))))
    assert "'row' is a view" in message
    assert_at(message, "stale view")


def test_slices_need_compile_time_bounds():
    message = raised(dp.UnsupportedSyntaxError, lambda: dp.compile(runtime_slice)(np.ones(4), 2))
    assert "compile-time" in message
    assert_at(message, "runtime slice")


def test_reading_through_a_runtime_mask_is_rejected():
    message = raised(dp.UnsupportedSyntaxError, lambda: dp.compile(fancy_index)(np.ones(4)))
    assert "data-dependent number of elements" in message and "np.where(mask, x, 0)" in message
    assert_at(message, "fancy index")


def test_shapes_must_be_known_at_compile_time():
    message = raised(dp.TypeMismatchError, lambda: dp.compile(runtime_shape)(3))
    assert "compile time" in message and "static_argnums" in message
    assert_at(message, "runtime shape")
    np.testing.assert_array_equal(dp.compile(runtime_shape, static_argnums=0)(3), np.zeros(3))
    np.testing.assert_array_equal(dp.compile(runtime_shape, static_argnames="n")(n=4), np.zeros(4))


def test_the_truth_value_of_an_array_is_ambiguous():
    message = raised(dp.TypeMismatchError, lambda: dp.compile(ambiguous_truth)(np.ones(3)))
    assert "np.any() or np.all()" in message
    assert_at(message, "ambiguous truth")


def test_a_variable_keeps_its_shape_across_branches():
    message = raised(dp.TypeMismatchError, lambda: dp.compile(shape_changes)(np.ones(3), True))
    assert "(3,)" in message and "(2,)" in message
