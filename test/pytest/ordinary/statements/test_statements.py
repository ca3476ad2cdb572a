"""assert, raise, try/except and f-strings in compiled code: values and exceptions as Python gives them,
derivatives against central differences of the Python function (both modes, float64 and float32)."""

from __future__ import annotations

import sys
import traceback

import numpy as np
import pytest

import dp
from nested.harness import richardson

from .programs import PROGRAMS

RTOL_FD = {np.dtype("float64"): 1e-6, np.dtype("float32"): 1e-3}

OK_CASES = [(name, i) for name, p in PROGRAMS.items() for i in range(len(p.ok))]
RAISE_CASES = [(name, i) for name, p in PROGRAMS.items() for i in range(len(p.raises))]


def test_there_are_at_least_fifteen_programs():
    assert len(PROGRAMS) >= 15


def _floats(args: tuple) -> tuple[int, ...]:
    return tuple(i for i, a in enumerate(args) if isinstance(a, float) or (isinstance(a, np.ndarray) and a.dtype.kind == "f"))


def _with_dtype(args: tuple, dtype: np.dtype) -> tuple:
    return tuple(a.astype(dtype) if isinstance(a, np.ndarray) and a.dtype.kind == "f" else a for a in args)


def _dtypes(args: tuple) -> list[np.dtype]:
    """float32 too where the program takes arrays (Python floats are float64)."""
    has_array = any(isinstance(a, np.ndarray) for a in args)
    return [np.dtype("float64"), np.dtype("float32")] if has_array else [np.dtype("float64")]


def _fd_gradient(fn, args: tuple, position: int):
    """d fn / d args[position] by Richardson-extrapolated central differences, in float64."""
    base = args[position]

    def along(direction):
        def shifted(t):
            moved = list(args)
            moved[position] = base + t * direction
            return fn(*moved)

        return richardson(shifted, 0.0, 1e-4)

    if isinstance(base, float):
        return along(1.0)
    grad = np.zeros_like(base, dtype=np.float64)
    for index in np.ndindex(base.shape):
        e = np.zeros_like(base, dtype=np.float64)
        e[index] = 1.0
        grad[index] = along(e)
    return grad


@pytest.mark.parametrize("name,case", OK_CASES)
def test_value_is_pythons(name, case, capfd):
    program = PROGRAMS[name]
    args = program.ok[case]
    expected = program.fn(*args)
    for dtype in _dtypes(args):
        got = dp.compile(program.fn)(*_with_dtype(args, dtype))
        np.testing.assert_allclose(got, expected, rtol=1e-12 if dtype == np.float64 else 1e-5)


@pytest.mark.parametrize("name,case", OK_CASES)
def test_reverse_and_forward_against_differences(name, case):
    program = PROGRAMS[name]
    args = program.ok[case]
    floats = _floats(args)
    expected = [_fd_gradient(program.fn, args, i) for i in floats]
    for dtype in _dtypes(args):
        low = _with_dtype(args, dtype)
        rtol = RTOL_FD[dtype]
        grads = dp.grad(program.fn, argnums=floats)(*low)
        for got, want in zip(grads, expected):
            assert np.asarray(got).dtype == np.dtype(dtype) or isinstance(got, float)
            np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol)
        for i, want in zip(floats, expected):
            tangents = tuple(
                (np.ones_like(a) if isinstance(a, np.ndarray) else 1.0) if j == i else (np.zeros_like(a) if isinstance(a, np.ndarray) else (0.0 if isinstance(a, float) else a))
                for j, a in enumerate(low)
            )
            _, tangent = dp.jvp(program.fn, low, tangents)
            np.testing.assert_allclose(tangent, np.sum(want), rtol=rtol, atol=rtol)


@pytest.mark.parametrize("name,case", [(n, c) for n, c in OK_CASES if _floats(PROGRAMS[n].ok[c]) == (0,) and isinstance(PROGRAMS[n].ok[c][0], float)])
def test_second_derivative(name, case):
    program = PROGRAMS[name]
    args = program.ok[case]
    first = dp.grad(program.fn)
    expected = richardson(lambda t: first(args[0] + t, *args[1:]), 0.0, 1e-3)
    np.testing.assert_allclose(dp.grad(dp.grad(program.fn))(*args), expected, rtol=1e-5, atol=1e-6)
    _, forward = dp.jvp(dp.grad(program.fn), args, (1.0,) + tuple(args[1:]))
    np.testing.assert_allclose(forward, expected, rtol=1e-5, atol=1e-6)


def _python_line(fn, args) -> int:
    try:
        fn(*args)
    except BaseException:
        return traceback.extract_tb(sys.exc_info()[2])[-1].lineno
    raise AssertionError("Python did not raise")


@pytest.mark.parametrize("name,case", RAISE_CASES)
def test_raises_what_python_raises(name, case):
    program = PROGRAMS[name]
    args, cls, message = program.raises[case]
    with pytest.raises(cls) as python:
        program.fn(*args)
    assert str(python.value) == message
    line = _python_line(program.fn, args)
    for run in (dp.compile(program.fn), dp.grad(program.fn, argnums=_floats(args))):
        with pytest.raises(cls) as compiled:
            run(*args)
        error = compiled.value
        assert isinstance(error, dp.errors.RuntimeCheckError)
        assert error.message == message
        assert error.lineno == line, f"dp points at line {error.lineno}, Python raised at line {line}"


def test_printed_fstring_shows_runtime_values(capfd):
    dp.compile(PROGRAMS["prints_fstring"].fn)(0.25)
    out = capfd.readouterr().out
    assert "for x = 0.25" in out
