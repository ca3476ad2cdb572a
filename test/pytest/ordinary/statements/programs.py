"""Ordinary code with assert, raise, try/except/else/finally and f-strings, as users write it.

Each entry: the function, inputs on which it returns (checked with values and
derivatives), and inputs on which it raises (checked with the exception class
and message Python gives).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np


def safe_log(x):
    assert x > 0, "log of a non-positive number"
    return math.log(x) * x


def checked_sqrt(x):
    if x < 0:
        raise ValueError("math domain error: negative input")
    return math.sqrt(x) + x


def clipped_or_caught(x):
    try:
        if x > 2.0:
            raise OverflowError("too large")
        y = x * x
    except OverflowError:
        y = 4.0 * x - 4.0
    return y


def division_guard(x, n):
    try:
        k = 10 // n
        y = x * k
    except ZeroDivisionError:
        y = -x
    return y


def two_handlers(x):
    try:
        if x < -1.0:
            raise KeyError("low")
        if x > 1.0:
            raise IndexError("high")
        r = math.sin(x)
    except KeyError:
        r = x + 1.0
    except (IndexError, TypeError):
        r = x * x
    return r


def try_else_finally(x):
    scale = 1.0
    try:
        if x < 0.0:
            raise ArithmeticError("negative")
    except ArithmeticError:
        out = -x * scale
    else:
        out = math.exp(x) * scale
    finally:
        scale = 2.0
    return out * scale


def nested_tries(x):
    try:
        try:
            if x > 1.0:
                raise ValueError("outer catches this")
            z = x * 3.0
        except KeyError:
            z = 0.0
        z = z + 1.0
    except ValueError:
        z = x * x
    return z


def bare_except(x):
    try:
        if x * x > 4.0:
            raise RuntimeError("out of range")
        v = math.cos(x)
    except:  # noqa: E722
        v = 0.5 * x
    return v


def assert_caught(x):
    try:
        assert x < 3.0, "must stay below 3"
        v = x**3
    except AssertionError:
        v = 27.0 + 27.0 * (x - 3.0)
    return v


def newton_sqrt(a):
    """Newton's iteration that raises when it does not converge."""
    x = a
    for _ in range(30):
        x = 0.5 * (x + a / x)
        if abs(x * x - a) < 1e-12 * a:
            return x
    raise RuntimeError("Newton's iteration did not converge")


def helper_raises(x):
    if x > 5.0:
        raise ValueError("helper got a large input")
    return 2.0 * x


def calls_helper(x):
    return helper_raises(x) + helper_raises(x * 0.5)


def array_precondition(x):
    assert x.shape == (3,), f"expected 3 values, got {x.shape}"
    assert np.all(x > 0), "weights must be positive"
    return np.sum(np.log(x) * x)


def array_caught(x):
    try:
        if np.sum(x) < 0.0:
            raise ValueError("negative total")
        y = np.sum(x**2)
    except ValueError:
        y = -np.sum(x)
    return y


def constant_checks(x):
    n = 3
    assert n == 3
    if n != 3:
        raise AssertionError(f"n was {n}")
    assert isinstance(n, int), "n is an int"
    return x * n


def fstring_message(x, n):
    if n > 3:
        raise ValueError(f"at most {3} steps, not more")
    return x**n


def pass_handler(x):
    y = x
    try:
        if x > 0.0:
            raise ValueError("ignored")
        y = 2.0 * x
    except ValueError:
        pass
    return y * y


def prints_fstring(x):
    y = math.tanh(x)
    print(f"y = {y} for x = {x}")
    return y


def raise_class_only(x):
    if x < 0.0:
        raise ValueError
    return x + 1.0


@dataclass
class Program:
    fn: Callable
    ok: list[tuple] = field(default_factory=list)  # arguments on which it returns
    raises: list[tuple[tuple, type, str]] = field(default_factory=list)  # arguments, class, message


PROGRAMS: dict[str, Program] = {
    "safe_log": Program(safe_log, [(2.0,), (0.3,)], [((-1.0,), AssertionError, "log of a non-positive number")]),
    "checked_sqrt": Program(checked_sqrt, [(4.0,), (0.5,)], [((-2.0,), ValueError, "math domain error: negative input")]),
    "clipped_or_caught": Program(clipped_or_caught, [(1.5,), (3.0,)]),
    "division_guard": Program(division_guard, [(1.5, 3), (1.5, 0)]),
    "two_handlers": Program(two_handlers, [(-2.0,), (0.3,), (2.0,)]),
    "try_else_finally": Program(try_else_finally, [(-0.5,), (0.5,)]),
    "nested_tries": Program(nested_tries, [(0.5,), (2.0,)]),
    "bare_except": Program(bare_except, [(1.0,), (3.0,)]),
    "assert_caught": Program(assert_caught, [(2.0,), (4.0,)]),
    "newton_sqrt": Program(newton_sqrt, [(2.0,), (9.0,)], [((-4.0,), RuntimeError, "Newton's iteration did not converge")]),
    "calls_helper": Program(calls_helper, [(1.0,), (4.0,)], [((7.0,), ValueError, "helper got a large input")]),
    "array_precondition": Program(
        array_precondition,
        [(np.array([0.5, 1.0, 2.0]),)],
        [((np.array([0.5, -1.0, 2.0]),), AssertionError, "weights must be positive")],
    ),
    "array_caught": Program(array_caught, [(np.array([0.5, 1.0, -0.2]),), (np.array([-0.5, -1.0, 0.2]),)]),
    "constant_checks": Program(constant_checks, [(1.5,)]),
    "fstring_message": Program(fstring_message, [(1.5, 2)], [((1.5, 4), ValueError, "at most 3 steps, not more")]),
    "pass_handler": Program(pass_handler, [(0.7,), (-0.7,)]),
    "prints_fstring": Program(prints_fstring, [(0.25,)]),
    "raise_class_only": Program(raise_class_only, [(2.0,)], [((-2.0,), ValueError, "")]),
}

__all__ = ["PROGRAMS", "Program"]


