"""Shared checks of the array tests: run a function with dp and with numpy, compare the results."""

from __future__ import annotations

import dataclasses
from typing import Any, Callable

import numpy as np

import dp

RTOL = {np.dtype("float64"): 1e-12, np.dtype("float32"): 1e-5}


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def copy_tree(value: Any) -> Any:
    """A deep copy of the arrays in a value (numpy code may not mutate what dp gets)."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(copy_tree(v) for v in value))
    if isinstance(value, (tuple, list)):
        return type(value)(copy_tree(v) for v in value)
    if isinstance(value, dict):
        return {k: copy_tree(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value, **{f.name: copy_tree(getattr(value, f.name)) for f in dataclasses.fields(value)}
        )
    return value


def assert_same(got: Any, expected: Any, rtol: float | None = None, where: str = "result") -> None:
    """numpy arrays: same shape and dtype, values to rtol (1e-12 for float64, 1e-5 for float32);
    numpy scalars: a Python number of the same value; structures: item by item."""
    if isinstance(expected, np.ndarray):
        assert isinstance(got, np.ndarray), f"{where}: expected an ndarray, got {type(got).__name__}: {got!r}"
        assert got.shape == expected.shape, f"{where}: shape {got.shape} != {expected.shape}"
        assert got.dtype == expected.dtype, f"{where}: dtype {got.dtype} != {expected.dtype}"
        if expected.dtype.kind == "f":
            tolerance = rtol if rtol is not None else RTOL[expected.dtype]
            np.testing.assert_allclose(got, expected, rtol=tolerance, atol=tolerance * 1e-3, err_msg=where)
        else:
            np.testing.assert_array_equal(got, expected, err_msg=where)
        return
    if isinstance(expected, (np.generic, float, int, bool)) and not isinstance(expected, np.ndarray):
        value = expected.item() if isinstance(expected, np.generic) else expected
        assert isinstance(got, (float, int, bool)), f"{where}: expected a number, got {type(got).__name__}"
        if isinstance(value, float):
            tolerance = rtol if rtol is not None else (1e-5 if isinstance(expected, np.float32) else 1e-12)
            np.testing.assert_allclose(got, value, rtol=tolerance, atol=tolerance * 1e-3, err_msg=where)
        else:
            assert got == value and type(got) is type(value), f"{where}: {got!r} != {value!r}"
        return
    if isinstance(expected, (tuple, list)):
        assert type(got) is type(expected) and len(got) == len(expected), f"{where}: {got!r} vs {expected!r}"
        for i, (a, b) in enumerate(zip(got, expected)):
            assert_same(a, b, rtol, f"{where}[{i}]")
        return
    if isinstance(expected, dict):
        assert isinstance(got, dict) and list(got) == list(expected), f"{where}: keys {list(got)} vs {list(expected)}"
        for key in expected:
            assert_same(got[key], expected[key], rtol, f"{where}[{key!r}]")
        return
    if dataclasses.is_dataclass(expected):
        assert type(got) is type(expected), f"{where}: {type(got)} vs {type(expected)}"
        for field in dataclasses.fields(expected):
            assert_same(getattr(got, field.name), getattr(expected, field.name), rtol, f"{where}.{field.name}")
        return
    assert got == expected, f"{where}: {got!r} != {expected!r}"


def check(fn: Callable[..., Any], *args: Any, rtol: float | None = None) -> Any:
    """Compiles `fn` with dp, runs it and the plain numpy version, asserts they agree, returns dp's result."""
    expected = fn(*copy_tree(args))
    given = copy_tree(args)
    got = dp.compile(fn)(*given)
    assert_same(got, expected, rtol)
    for before, after in zip(_arrays(args), _arrays(given)):
        np.testing.assert_array_equal(before, after, err_msg="compiled code changed an argument")
    return got


def _arrays(value: Any) -> list[np.ndarray]:
    if isinstance(value, np.ndarray):
        return [value]
    if isinstance(value, (tuple, list)):
        return [a for v in value for a in _arrays(v)]
    if isinstance(value, dict):
        return [a for v in value.values() for a in _arrays(v)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [a for f in dataclasses.fields(value) for a in _arrays(getattr(value, f.name))]
    return []
