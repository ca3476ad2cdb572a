"""Shared checks for the frontend tests: compile a function and compare with plain Python."""

from __future__ import annotations

import dataclasses
import math
from typing import Any, Callable

import pytest

import dp


def same(got: Any, expected: Any) -> bool:
    """Exact for ints, bools and strings; relative 1e-12 for floats; recursive for structures."""
    if type(got) is not type(expected):
        return False
    if isinstance(expected, float):
        if math.isnan(expected):
            return math.isnan(got)
        return got == expected or math.isclose(got, expected, rel_tol=1e-12, abs_tol=0.0)
    if isinstance(expected, (tuple, list)):
        return len(got) == len(expected) and all(same(a, b) for a, b in zip(got, expected))
    if isinstance(expected, dict):
        return list(got) == list(expected) and all(same(got[k], expected[k]) for k in expected)
    if dataclasses.is_dataclass(expected):
        return all(same(getattr(got, f.name), getattr(expected, f.name)) for f in dataclasses.fields(expected))
    return got == expected


@pytest.fixture
def check() -> Callable[..., Any]:
    """`check(fn, *args)` compiles `fn` with dp, runs both versions and asserts they agree."""

    def run(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        expected = fn(*args, **kwargs)
        got = dp.compile(fn)(*args, **kwargs)
        assert same(got, expected), f"{fn.__name__}{args}: dp gave {got!r}, Python gives {expected!r}"
        return got

    return run
