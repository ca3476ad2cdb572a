"""Statements dp does not compile as Python runs them: each must be a typed error at the user's line."""

from __future__ import annotations

import math


class CustomError(Exception):
    pass


def helper(x):
    if x > 1.0:
        raise ValueError("from the helper")
    return x


def catches_helper(x):
    try:
        y = helper(x)
    except ValueError:
        y = 0.0
    return y


def raise_in_loop_in_try(x):
    try:
        for i in range(3):
            if x > i:
                raise ValueError("in a loop")
            x = x + 1.0
    except ValueError:
        x = -x
    return x


def uses_exception_object(x):
    try:
        if x > 0.0:
            raise ValueError("boom")
    except ValueError as error:
        print(error)
    return x


def bare_reraise(x):
    try:
        if x > 0.0:
            raise ValueError("boom")
    except ValueError:
        raise
    return x


def raises_custom(x):
    if x > 0.0:
        raise CustomError("mine")
    return x


def runtime_message(x):
    if x > 0.0:
        raise ValueError(f"x = {x} is positive")
    return x


def finally_after_return(x):
    try:
        return x * 2.0
    finally:
        print("done")


def raises_unicode_error(x):
    if x > 0.0:
        raise UnicodeDecodeError("bad bytes")
    return x


def overflow_not_caught(x, k):
    try:
        big = k * 4611686018427387904  # Python's ints never overflow: dp's 64-bit ones do
        y = x * (big % 7)
    except OverflowError:
        y = x * 100.0
    return y


def sqrt_after_check(x):
    return math.sqrt(x)


def raises_oserror(x):
    if x > 0.0:
        raise OSError("no file")
    return x
