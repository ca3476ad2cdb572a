"""Python's ints never overflow: compiled int arithmetic gives Python's number or a typed error.

Python itself is the oracle: for each operation and operands at the edges
of the 64-bit range, either Python's result fits in 64 bits and dp returns
it, or it does not and dp raises IntegerOverflowError, or Python raises and
dp raises a dp error of the same built-in class (ZeroDivisionError,
ValueError, OverflowError), pointing at the user's line.
"""

from __future__ import annotations

import math

import jax
import pytest

import dp

jax.config.update("jax_enable_x64", True)

INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
EDGES = [0, 1, -1, 2, -2, 3, 63, 64, 65, 1000, -1000, 1 << 31, 1 << 32, -(1 << 32), 1 << 62, INT64_MAX, INT64_MIN]


def this_line(marker: str) -> int:
    for number, text in enumerate(open(__file__), start=1):
        if text.rstrip().endswith(f"# {marker}"):
            return number
    raise AssertionError(marker)


def grows(x, n):
    k = 1
    for _ in range(n):
        k = k * 1000  # grows
    return x * k


def test_the_issue_program_raises_instead_of_wrapping():
    assert dp.compile(grows)(1.5, 2) == grows(1.5, 2) == 1.5e6
    assert dp.grad(grows)(1.5, 6) == float(jax.grad(lambda x: x * 1000.0**6)(1.5)) == 1e18
    for run in (lambda: dp.compile(grows)(1.5, 10), lambda: dp.grad(grows)(1.5, 10)):
        with pytest.raises(dp.IntegerOverflowError) as info:
            run()
        assert isinstance(info.value, OverflowError)
        assert f"test_int_checks.py:{this_line('grows')}:" in str(info.value)
        assert "does not fit in 64 bits" in str(info.value)
    # The error is raised once and does not stick: the next call is fine.
    assert dp.compile(grows)(1.5, 2) == 1.5e6


def add(a, b):
    return a + b


def sub(a, b):
    return a - b


def mul(a, b):
    return a * b


def floordiv(a, b):
    return a // b


def mod(a, b):
    return a % b


def lshift(a, b):
    return a << b


def python_lshift(a, b):
    """Python's `a << b` without building a huge int: past 128 bits only fitting matters."""
    return a << min(b, 128)


def rshift(a, b):
    return a >> b


def power(a, b):
    return a**b


def augmented(a, b):
    a += b
    a *= 2
    return a


BINARY = [add, sub, mul, floordiv, mod, lshift, rshift, power, augmented]


def check_like_python(fn, *args):
    try:
        expected = (python_lshift if fn is lshift else fn)(*args)
    except (ArithmeticError, ValueError) as error:
        with pytest.raises(dp.RuntimeCheckError) as info:
            dp.compile(fn)(*args)
        assert isinstance(info.value, type(error)), (fn.__name__, args, info.value)
        return
    if isinstance(expected, int) and not INT64_MIN <= expected <= INT64_MAX:
        with pytest.raises(dp.IntegerOverflowError):
            dp.compile(fn)(*args)
        return
    assert dp.compile(fn)(*args) == expected, (fn.__name__, args)


@pytest.mark.parametrize("fn", BINARY, ids=lambda fn: fn.__name__)
def test_binary_operators_at_the_edges(fn):
    for a in EDGES:
        for b in EDGES:
            if fn is power and not 0 <= b <= 64:
                continue  # a negative runtime exponent: see below; large ones are slow in Python
            check_like_python(fn, a, b)


def negate(a):
    return -a


def absolute(a):
    return abs(a)


def to_int(x):
    return int(x)


def floor(x):
    return math.floor(x)


@pytest.mark.parametrize("fn", [negate, absolute], ids=lambda fn: fn.__name__)
def test_unary_operators_at_the_edges(fn):
    for a in EDGES:
        check_like_python(fn, a)


@pytest.mark.parametrize("fn", [to_int, floor], ids=lambda fn: fn.__name__)
def test_float_to_int_at_the_edges(fn):
    for x in [0.0, -0.5, 2.5, 9.2e18, -9.2e18, 2.0**63, -(2.0**63), 1e300, -math.inf, math.inf, math.nan]:
        check_like_python(fn, x)


def test_a_negative_runtime_exponent_is_an_error_not_a_wrong_int():
    # Python gives the float 0.5; dp compiled `**` for ints and cannot return a float there.
    assert power(2, -1) == 0.5
    with pytest.raises(dp.InvalidValueError, match="negative exponent"):
        dp.compile(power)(2, -1)


def test_the_last_unused_square_of_a_power_does_not_overflow():
    # 3**39 fits, but squaring by squaring computes 3**64 on the way unless it stops in time.
    assert dp.compile(power)(3, 39) == 3**39
    assert dp.compile(power)(-2, 63) == (-2) ** 63


def test_array_ints_wrap_as_numpy_does():
    import numpy as np

    def scale(a):
        return a * 1000

    values = np.array([1 << 62, 3], dtype=np.int64)
    with np.errstate(over="ignore"):
        expected = values * 1000
    assert (dp.compile(scale)(values) == expected).all()


def test_the_checks_do_not_change_derivatives():
    def f(x, n):
        k = n * n - (n << 2) + n // 3
        return x**2 * k

    n = 7
    k = n * n - (n << 2) + n // 3
    assert dp.grad(f)(1.5, n) == float(jax.grad(lambda x: x**2 * k)(1.5))
    assert dp.jvp(f, (1.5, n), (1.0, 0)) == (f(1.5, n), 2 * 1.5 * k)
