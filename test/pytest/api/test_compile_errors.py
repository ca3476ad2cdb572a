"""Errors from the differentiation API point at the user's code, never at dp's.

In the style of Triton's test_compile_errors.py: each error is a typed
dp exception whose message names this file and the line (and column) of
the offending code, followed by that source line and a caret, and mentions
none of dp's own source files. Lines are found by a marker comment at the
end of the line, so the tests survive edits above them.
"""

from __future__ import annotations

import math
import os
import re

import numpy as np
import pytest

import dp

THIS_FILE = __file__
DP_DIR = os.path.dirname(dp.__file__)


def line_of(marker: str) -> int:
    """The line of this file that ends with the comment `# <marker>`."""
    with open(THIS_FILE) as source:
        for number, text in enumerate(source, start=1):
            if text.rstrip().endswith(f"# {marker}"):
                return number
    raise AssertionError(f"no line marked {marker}")


def source_line(number: int) -> str:
    with open(THIS_FILE) as source:
        return source.read().splitlines()[number - 1]


def raised(error_type, thunk) -> str:
    """Runs `thunk`, expecting `error_type`; returns the message after the generic checks."""
    with pytest.raises(error_type) as info:
        thunk()
    assert isinstance(info.value, dp.DpError), type(info.value)
    message = str(info.value)
    assert DP_DIR not in message and "dp/frontend" not in message and "dp/transforms" not in message, message
    assert "Traceback" not in message, message
    # dp drops its own chained exceptions: nothing of the compiler's internals is attached.
    error = info.value
    assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__), "a chained exception"
    return message


def assert_points_at(message: str, marker: str, column: int | None = None) -> None:
    """`test_compile_errors.py:LINE:COL:` is in the message, then the source line and a caret."""
    line = line_of(marker)
    match = re.search(rf"test_compile_errors\.py:{line}:(\d+): ", message)
    assert match, f"line {line} ({marker}) not in:\n{message}"
    if column is not None:
        assert int(match.group(1)) == column, message
    lines = message.splitlines()
    assert len(lines) >= 3 and lines[-1].strip() == "^", message
    assert lines[-2].strip() == source_line(line).strip(), message
    caret = lines[-1].index("^") - (len(lines[-2]) - len(lines[-2].lstrip()))
    text = source_line(line)
    assert caret == int(match.group(1)) - 1 - (len(text) - len(text.lstrip())), "the caret is not under the column"


# --------------------------------------------------------------------------
# Unsupported syntax inside a function being differentiated
# --------------------------------------------------------------------------


def uses_try(x):
    try:  # try
        return x + 1.0
    finally:
        x = 0.0


def uses_with(x):
    with open("f"):  # with
        pass
    return x


def uses_unknown_function(x):
    return x + not_defined_anywhere(x)  # noqa: F821  # unknown name


def uses_unsupported_math(x):
    return math.nextafter(x, 2.0)  # nextafter


def uses_walrus(x):
    return (y := x + 1.0) * y  # walrus


def uses_fstring(x):
    label = f"{x}"  # fstring
    return label


def uses_class(x):
    class Local:  # class
        pass

    return x


def uses_while_else(x):
    while x > 0.0:  # while else
        x -= 1.0
    else:
        x = 0.0
    return x


UNSUPPORTED = [
    (uses_try, "try", 5),
    (uses_with, "with", 5),
    (uses_unknown_function, "unknown name", None),
    (uses_unsupported_math, "nextafter", 12),
    (uses_walrus, "walrus", None),
    (uses_fstring, "fstring", None),
    (uses_class, "class", 5),
    (uses_while_else, "while else", 5),
]


@pytest.mark.parametrize("fn, marker, column", UNSUPPORTED, ids=[m for _, m, _ in UNSUPPORTED])
def test_unsupported_syntax_under_grad(fn, marker, column):
    message = raised(dp.UnsupportedSyntaxError, lambda: dp.grad(fn)(1.5))
    assert_points_at(message, marker, column)


def test_unsupported_syntax_names_the_construct():
    assert "try" in raised(dp.UnsupportedSyntaxError, lambda: dp.grad(uses_try)(1.5))
    assert "nextafter" in raised(dp.UnsupportedSyntaxError, lambda: dp.grad(uses_unsupported_math)(1.5))
    assert "not_defined_anywhere" in raised(dp.UnsupportedSyntaxError, lambda: dp.grad(uses_unknown_function)(1.5))


TRANSFORMS = {
    "grad": lambda fn: dp.grad(fn)(1.5),
    "value_and_grad": lambda fn: dp.value_and_grad(fn, argnums=(0,))(1.5),
    "jvp": lambda fn: dp.jvp(fn, (1.5,), (1.0,)),
    "vjp": lambda fn: dp.vjp(fn, 1.5),
    "jacobian-rev": lambda fn: dp.jacobian(fn, mode="rev")(1.5),
    "jacobian-fwd": lambda fn: dp.jacobian(fn, mode="fwd")(1.5),
    "compile-grad": lambda fn: dp.compile(fn, grad=True)(1.5),
    "lower-grad": lambda fn: dp.lower(fn, 1.5, grad=True),
}


@pytest.mark.parametrize("transform", list(TRANSFORMS))
def test_every_transform_reports_the_users_line(transform):
    message = raised(dp.UnsupportedSyntaxError, lambda: TRANSFORMS[transform](uses_try))
    assert_points_at(message, "try", 5)


def _bad_helper(y):
    return (z := y * 2.0) * z  # helper walrus


def calls_bad_helper(x):
    return _bad_helper(x) * 2.0


def test_unsupported_syntax_in_a_helper_points_into_the_helper():
    message = raised(dp.UnsupportedSyntaxError, lambda: dp.grad(calls_bad_helper)(1.5))
    assert_points_at(message, "helper walrus")


def changes_type(x, n):
    if n > 0:  # changes type
        y = x  # float branch
    else:
        y = n  # int branch
    return y


def test_a_variable_with_two_types_names_it_and_both_lines():
    message = raised(dp.TypeMismatchError, lambda: dp.grad(changes_type)(1.5, 2))
    assert "'y'" in message
    assert f"line {line_of('float branch')}" in message and f"line {line_of('int branch')}" in message
    assert_points_at(message, "changes type")


def int_then_float(x, n):
    r = 1  # starts as int
    while n > 0:  # loop carries r
        n -= 1
        r *= x
    return r


def test_a_loop_variable_that_changes_type():
    # The seed's `r = 1` (Julia promotes it): in dp the loop-carried r must keep one type.
    message = raised(dp.TypeMismatchError, lambda: dp.grad(int_then_float)(5.0, 3))
    assert "'r'" in message and "int" in message and "float" in message
    assert_points_at(message, "loop carries r")


def recurses_forever(x):  # no base case
    return recurses_forever(x)


def test_recursion_without_a_base_case():
    message = raised(dp.UnsupportedSyntaxError, lambda: dp.grad(recurses_forever)(1.5))
    assert "recurses_forever" in message
    assert_points_at(message, "no base case")


# --------------------------------------------------------------------------
# Differentiating what is not differentiable
# --------------------------------------------------------------------------


def scale(x, n):  # scale
    return x * n  # scales


def label_length(x, name):  # label length
    return x * len(name)


def test_grad_of_an_int_argument():
    message = raised(dp.NotDifferentiableError, lambda: dp.grad(scale, argnums=1)(1.5, 3))
    assert "argument 1" in message and "scale" in message and "int" in message
    message = raised(dp.NotDifferentiableError, lambda: dp.grad(scale)(3, 1.5))  # an int where a float was meant
    assert "argument 0" in message and "int" in message
    message = raised(dp.NotDifferentiableError, lambda: dp.value_and_grad(scale, argnums=(0, 1))(1.5, 3))
    assert "argument 1" in message
    message = raised(dp.NotDifferentiableError, lambda: dp.grad(label_length, argnums=1)(1.5, "abc"))
    assert "argument 1" in message and "abc" in message
    message = raised(dp.NotDifferentiableError, lambda: dp.jacobian(scale, argnums=1)(1.5, 3))
    assert "argument 1" in message


def test_grad_of_an_int_argument_points_at_the_function():
    message = raised(dp.NotDifferentiableError, lambda: dp.grad(scale, argnums=1)(1.5, 3))
    assert_points_at(message, "scale")


def returns_pair(x):  # returns pair
    return x, 2.0 * x


def returns_int(x):  # returns int
    return math.floor(x)


def test_grad_of_a_function_returning_a_tuple():
    message = raised(dp.TypeMismatchError, lambda: dp.grad(returns_pair)(1.5))
    assert "returns_pair" in message and "tuple[float, float]" in message
    assert "dp.vjp" in message and "dp.jacobian" in message  # says what to do instead
    message = raised(dp.TypeMismatchError, lambda: dp.value_and_grad(returns_pair)(1.5))
    assert "tuple[float, float]" in message
    message = raised(dp.TypeMismatchError, lambda: dp.compile(returns_pair, grad=True)(1.5))
    assert "tuple[float, float]" in message
    message = raised(dp.TypeMismatchError, lambda: dp.grad(returns_int)(1.5))
    assert "returns int" in message


def test_grad_of_a_function_returning_a_tuple_points_at_the_function():
    message = raised(dp.TypeMismatchError, lambda: dp.grad(returns_pair)(1.5))
    assert_points_at(message, "returns pair")


# --------------------------------------------------------------------------
# Wrong arguments at call time
# --------------------------------------------------------------------------


def two_args(x, n):  # two args
    y = x
    for _ in range(n):  # loops n times
        y = y * x
    return y


@pytest.mark.parametrize(
    "call",
    [
        lambda: dp.grad(two_args)(1.5),
        lambda: dp.grad(two_args)(1.5, 2, 3),
        lambda: dp.value_and_grad(two_args)(1.5),
        lambda: dp.vjp(two_args, 1.5),
        lambda: dp.jvp(two_args, (1.5,), (1.0,)),
        lambda: dp.jacobian(two_args)(1.5, 2, 3),
        lambda: dp.compile(two_args, grad=True)(1.5),
    ],
    ids=["grad-missing", "grad-extra", "value_and_grad", "vjp", "jvp", "jacobian", "compile-grad"],
)
def test_wrong_number_of_arguments(call):
    message = raised(dp.TypeMismatchError, call)
    assert "two_args()" in message
    assert "missing" in message or "too many" in message
    assert_points_at(message, "two args")


def test_wrong_type_of_argument_used_in_the_body():
    message = raised(dp.TypeMismatchError, lambda: dp.grad(two_args)(1.5, "three"))
    assert "range()" in message and "'three'" in message
    assert_points_at(message, "loops n times", 14)


def test_an_argument_of_unsupported_type_under_compile_points_at_the_function():
    message = raised(dp.TypeMismatchError, lambda: dp.compile(two_args)(1.5, np.ones(2, dtype=np.float16)))
    assert "float16" in message
    assert_points_at(message, "two args")


@pytest.mark.parametrize(
    "call",
    [
        lambda: dp.grad(two_args)(1.5, np.ones(2, dtype=np.float16)),
        lambda: dp.jvp(two_args, (1.5, np.ones(2, dtype=np.float16)), (1.0, np.ones(2, dtype=np.float16))),
    ],
    ids=["grad-ndarray", "jvp-ndarray"],
)
def test_an_argument_of_unsupported_type_under_a_transform_points_at_the_function(call):
    message = raised(dp.TypeMismatchError, call)
    assert_points_at(message, "two args")


def test_a_none_argument_fails_where_it_is_used():
    message = raised(dp.TypeMismatchError, lambda: dp.grad(scale)(1.5, None))
    assert "None" in message
    assert_points_at(message, "scales", 12)


def test_bad_argnums_are_rejected_before_compiling():
    message = raised(dp.TypeMismatchError, lambda: dp.grad(scale, argnums=2)(1.5, 2.0))
    assert "argnums 2" in message and "2 arguments" in message
    with pytest.raises(TypeError):
        dp.grad(scale, argnums="x")(1.5, 2.0)
    with pytest.raises(TypeError):
        dp.value_and_grad(scale, argnums=())(1.5, 2.0)
    with pytest.raises(ValueError):
        dp.jacobian(scale, mode="backward")


# --------------------------------------------------------------------------
# Tangents and cotangents of the wrong structure
# --------------------------------------------------------------------------


def pair(x, y):  # pair
    return x * y, x + y


def test_a_cotangent_of_the_wrong_structure():
    _, pullback = dp.vjp(pair, 1.5, 2.0)
    for wrong in [1.0, (1.0,), (1.0, 2.0, 3.0), [1.0, 2.0], (1.0, (2.0,)), {"a": 1.0}]:
        message = raised(dp.TypeMismatchError, lambda: pullback(wrong))
        assert "cotangent" in message and "tuple[float, float]" in message, message
    assert pullback((1.0, 2.0)) == (2.0 * 1.0 + 2.0, 1.5 * 1.0 + 2.0)  # still usable afterwards


def test_a_cotangent_of_the_wrong_structure_points_at_the_function():
    _, pullback = dp.vjp(pair, 1.5, 2.0)
    message = raised(dp.TypeMismatchError, lambda: pullback(1.0))
    assert_points_at(message, "pair")


def test_a_tangent_of_the_wrong_structure():
    message = raised(dp.TypeMismatchError, lambda: dp.jvp(pair, (1.5, 2.0), (1.0, (2.0,))))
    assert "tangent of argument 1" in message
    message = raised(dp.TypeMismatchError, lambda: dp.jvp(pair, (1.5, 2.0), (1.0,)))
    assert "2 primals" in message and "1 tangents" in message
    message = raised(dp.TypeMismatchError, lambda: dp.jvp(pair, (1.5, 2.0), (1.0, 2)))  # int tangent for a float
    assert "tangent of argument 1" in message


# --------------------------------------------------------------------------
# Functions without source
# --------------------------------------------------------------------------


def test_a_function_without_source():
    namespace: dict = {}
    exec("def made_by_exec(x):\n    return x * x\n", namespace)
    for call in [
        lambda: dp.grad(namespace["made_by_exec"])(1.5),
        lambda: dp.vjp(namespace["made_by_exec"], 1.5),
        lambda: dp.compile(namespace["made_by_exec"], grad=True)(1.5),
        lambda: dp.lower(namespace["made_by_exec"], 1.5),
    ]:
        message = raised(dp.UnsupportedSyntaxError, call)
        assert "made_by_exec" in message and "source" in message and "def" in message
    anonymous = eval("lambda x: x * 2.0")
    message = raised(dp.UnsupportedSyntaxError, lambda: dp.grad(anonymous)(1.5))
    assert "lambda" in message and "source" in message


def test_a_builtin_dp_does_not_compile_is_rejected():
    with pytest.raises(dp.UnsupportedSyntaxError, match="gamma"):
        dp.compile(math.gamma)
    message = raised(dp.UnsupportedSyntaxError, lambda: dp.grad(math.gamma))  # builtin grad
    assert "Python function" in message and "lambda x: math.gamma(x)" in message
    assert_points_at(message, "builtin grad")
