"""Globals and closure cells that compiled code mutates are written back; ones it only reads stay constants."""

from __future__ import annotations

import numpy as np
import pytest

import dp

vars = {"r": 1.0}
history = []


def pow_vars(x, n):
    """The seed's `pow` with its accumulator in a global dict (Zygote's `vars[:r] *= x`)."""
    vars["r"] = 1.0
    while n > 0:
        vars["r"] *= x
        n -= 1
    return vars["r"]


def test_the_seeds_global_dict_pow_is_written_back():
    vars["r"] = 0.0
    assert dp.grad(pow_vars)(5.0, 3) == 75.0
    assert vars["r"] == 125.0
    vars["r"] = 0.0
    assert dp.compile(pow_vars)(2.0, 4) == 16.0
    assert vars["r"] == 16.0


def _keyword_caller(fun, kwargs):
    def call(x):
        return fun(x, **kwargs)

    return call


@pytest.mark.parametrize("keepdims", [True, False])
def test_keywords_unpacked_from_a_closure_stay_compile_time_constants(keepdims):
    """`fun(x, **kwargs)` cannot mutate the dict: its ints and bools stay static (axis, keepdims)."""
    x = np.arange(6.0).reshape(2, 3)
    call = _keyword_caller(np.max, {"axis": 1, "keepdims": keepdims})
    np.testing.assert_allclose(dp.compile(call)(x), np.max(x, axis=1, keepdims=keepdims))
    expected = np.zeros_like(x)
    expected[:, 2] = 1.0
    np.testing.assert_allclose(dp.grad(lambda v: np.sum(call(v)))(x), expected)


def _append_to(value, log):
    log.append(value)
    return value


def _options_caller(fun, options):
    def call(x):
        return fun(x, **options)

    return call


def test_a_list_unpacked_from_a_closure_into_a_mutating_callee_is_written_back():
    """`fun(x, **options)` passes the dict's items: the list among them is state, so its append reaches Python."""
    history.clear()
    call = _options_caller(_append_to, {"log": history})
    assert dp.compile(call)(3.0) == 3.0
    assert history == [3.0]


def _positional_caller(fun, args):
    def call(x):
        return fun(x, *args)

    return call


def test_a_list_in_a_captured_tuple_a_callee_mutates_is_a_typed_error():
    """A tuple is not state dp writes back: mutating the list it holds is an error at the user's line."""
    call = _positional_caller(_append_to, (history,))
    with pytest.raises(dp.UnsupportedSyntaxError, match=r"test_global_state.py:\d+:\d+: cannot mutate global 'args'"):
        dp.compile(call)(3.0)


def test_two_closures_of_one_code_keep_their_own_cells():
    """A closure calling (through dp.jvp) another closure of the same code: each sees its own kwargs."""
    inner = _keyword_caller(np.transpose, {"axes": [1, 2, 0]})

    def tangent(v, x):
        return dp.jvp(inner, (x,), (v,))[1]

    outer = _keyword_caller(tangent, {"x": np.arange(24.0).reshape(2, 3, 4)})
    v, dv = np.ones((2, 3, 4)), np.linspace(0.0, 1.0, 24).reshape(2, 3, 4)
    np.testing.assert_allclose(dp.compile(outer)(dv), np.transpose(dv, [1, 2, 0]))
    np.testing.assert_allclose(dp.jvp(outer, (v,), (dv,))[1], np.transpose(dv, [1, 2, 0]))
    np.testing.assert_allclose(dp.vjp(outer, v)[1](np.transpose(dv, [1, 2, 0]))[0], dv)
