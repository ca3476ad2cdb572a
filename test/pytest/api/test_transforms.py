"""The shape of the transforms' answers, composition, and side effects.

What a JAX user relies on beyond the numbers: where gradients are None or
0.0, the structure of pullback results and Jacobians for each argnums form,
composition with dp.compile, pullbacks that outlive their value, and print
running once per call in the forward sweep.
"""

from __future__ import annotations

import gc
import math
from typing import NamedTuple

import jax
import pytest

import dp

from .oracles import assert_tree_close


def power(x, n=3):
    return x**n


def power_n(x, n):
    return x**n


def power_default_vjp(x, n=3.0):
    return x**n


def power_default_jvp(x, n=3.0):
    return x**n


def product(x, y):
    return x * y


def ignores_x(x, y):
    return y * 2.0


def three_results(x, y):
    return x * y, x + y, {"ratio": x / y, "count": 2}


class Point(NamedTuple):
    x: float
    y: float
    label: str


def point_norm(p, scale):
    return scale * math.hypot(p.x, p.y)


# --------------------------------------------------------------------------
# Gradients: zeros, Nones and shapes
# --------------------------------------------------------------------------


def test_an_unused_float_argument_gets_zero_like_jax():
    assert dp.grad(ignores_x)(1.0, 3.0) == 0.0
    assert dp.grad(ignores_x, argnums=(0, 1))(1.0, 3.0) == (0.0, 2.0)
    assert jax.grad(lambda x, y: y * 2.0, argnums=(0, 1))(1.0, 3.0) == (0.0, 2.0)


def test_int_argnums_gives_the_tree_and_tuple_argnums_a_tuple():
    p = Point(3.0, 4.0, "p")
    g = dp.grad(point_norm)(p, 2.0)
    assert type(g) is Point and g.label is None
    assert (g.x, g.y) == (pytest.approx(1.2, rel=1e-15), pytest.approx(1.6, rel=1e-15))
    gs = dp.grad(point_norm, argnums=(0,))(p, 2.0)
    assert type(gs) is tuple and len(gs) == 1 and type(gs[0]) is Point
    gs = dp.grad(point_norm, argnums=(1, 0))(p, 2.0)  # in the order asked for, like JAX
    assert gs[0] == 5.0 and type(gs[1]) is Point


def test_default_arguments_are_used():
    assert dp.grad(power)(2.0) == 12.0
    assert dp.value_and_grad(power)(2.0, 2) == (4.0, 4.0)


def test_pullback_returns_one_entry_per_primal():
    value, pullback = dp.vjp(power_n, 2.0, 2)
    assert value == 4.0 and pullback(1.0) == (4.0, None)
    value, pullback = dp.vjp(ignores_x, 2.0, 3.0)
    assert pullback(1.0) == (0.0, 2.0)
    value, pullback = dp.vjp(point_norm, Point(3.0, 4.0, "p"), 2.0)
    g_point, g_scale = pullback(1.0)
    assert type(g_point) is Point and g_point.label is None and g_scale == 5.0


def test_jacobian_layout_follows_the_result_then_argnums():
    args = (0.5, 2.0)
    expected = (
        (2.0, 0.5),
        (1.0, 1.0),
        {"ratio": (1.0 / 2.0, -0.5 / 4.0), "count": None},
    )
    for mode in ("rev", "fwd"):
        got = dp.jacobian(three_results, argnums=(0, 1), mode=mode)(*args)
        assert_tree_close(got, expected, rtol=1e-15)
        only_x = dp.jacobian(three_results, argnums=0, mode=mode)(*args)
        assert_tree_close(only_x, (2.0, 1.0, {"ratio": 0.5, "count": None}), rtol=1e-15)
    # jax.jacrev has the same layout for the float leaves
    jax_rev = jax.jacrev(lambda x, y: (x * y, x + y, {"ratio": x / y}), argnums=(0, 1))(*args)
    assert float(jax_rev[2]["ratio"][1]) == expected[2]["ratio"][1]


def test_jvp_gives_none_for_non_float_results():
    value, tangent = dp.jvp(three_results, (0.5, 2.0), (1.0, 0.0))
    assert value == (1.0, 2.5, {"ratio": 0.25, "count": 2})
    assert tangent == (2.0, 1.0, {"ratio": 0.5, "count": None})


def test_jvp_tangents_of_ints_and_strings_are_placeholders():
    # The tangent of a non-float leaf is ignored, but must have the primal's structure:
    # an int for an int, the same string for a string (JAX wants float0 zeros instead).
    assert dp.jvp(power_n, (2.0, 3), (1.0, 0)) == (8.0, 12.0)
    p = Point(3.0, 4.0, "p")
    value, tangent = dp.jvp(point_norm, (p, 2.0), (Point(1.0, 0.0, "p"), 0.0))
    assert value == 10.0 and tangent == pytest.approx(1.2, rel=1e-15)


def test_pullback_outlives_its_value_and_other_tapes():
    value, pullback = dp.vjp(power_n, 3.0, 4)
    del value
    others = [dp.vjp(power_n, float(i), 4)[1] for i in range(200)]
    assert sum(other(1.0)[0] for other in others) == sum(4.0 * i**3 for i in range(200))
    del others
    gc.collect()
    assert pullback(1.0) == (108.0, None)
    assert pullback(-1.0) == (-108.0, None)


def test_vjp_and_jvp_with_a_varying_number_of_primals():
    log2 = math.log(2.0)
    assert dp.vjp(power_default_vjp, 2.0)[1](1.0) == (12.0,)
    assert dp.vjp(power_default_vjp, 2.0, 2.0)[1](1.0) == (4.0, pytest.approx(4.0 * log2, rel=1e-15))
    assert dp.jvp(power_default_jvp, (2.0,), (1.0,)) == (8.0, 12.0)
    assert dp.jvp(power_default_jvp, (2.0, 2.0), (0.0, 1.0)) == (4.0, pytest.approx(4.0 * log2, rel=1e-15))


def test_stop_gradient_is_the_identity_in_python():
    assert dp.stop_gradient(1.5) == 1.5
    assert dp.stop_gradient((1.0, {"a": 2.0})) == (1.0, {"a": 2.0})


# --------------------------------------------------------------------------
# Composition
# --------------------------------------------------------------------------


def test_compile_of_a_derivative_is_the_derivative():
    derivative = dp.grad(product, argnums=(0, 1))
    assert dp.compile(derivative)(2.0, 3.0) == (3.0, 2.0)


def test_transforms_of_a_compiled_function():
    compiled = dp.compile(product)
    assert dp.grad(compiled)(2.0, 3.0) == 3.0
    assert dp.jvp(compiled, (2.0, 3.0), (1.0, 1.0)) == (6.0, 5.0)
    assert dp.vjp(compiled, 2.0, 3.0)[1](1.0) == (3.0, 2.0)
    assert dp.jacobian(compiled, argnums=1, mode="fwd")(2.0, 3.0) == 2.0


def test_transforms_of_transforms_nest():
    # x**3 at 2: second derivative 6x = 12, third 6.
    assert dp.grad(dp.grad(power))(2.0) == 12.0
    assert dp.jacobian(dp.grad(power))(2.0) == 12.0
    assert dp.grad(dp.grad(dp.grad(power)))(2.0) == 6.0
    assert dp.compile(dp.grad(power), grad=True)(2.0) == (12.0, (12.0,))


# --------------------------------------------------------------------------
# print: once per call, in the forward sweep only
# --------------------------------------------------------------------------


def prints_an_int(x, n):
    print("n is", n)
    return x**n


def prints_a_float(x):
    print("x is", x)
    return x * x


def prints_in_two_columns(x, y):
    print("step", 1)
    return x * y


def test_print_of_an_int_runs_once_in_the_forward_sweep(capfd):
    assert dp.grad(prints_an_int)(2.0, 3) == 12.0
    assert capfd.readouterr().out == "n is 3\n"
    value, pullback = dp.vjp(prints_an_int, 2.0, 3)
    assert capfd.readouterr().out == "n is 3\n"
    pullback(1.0)
    pullback(2.0)
    assert capfd.readouterr().out == ""  # the reverse sweep does not print
    assert dp.jvp(prints_an_int, (2.0, 3), (1.0, 0)) == (8.0, 12.0)
    assert capfd.readouterr().out == "n is 3\n"
    assert dp.compile(prints_an_int, grad=True)(2.0, 3) == (8.0, (12.0, None))
    assert capfd.readouterr().out == "n is 3\n"


def test_print_of_an_active_float_runs_in_the_forward_sweep(capfd):
    assert dp.grad(prints_a_float)(3.0) == 6.0
    assert capfd.readouterr().out == "x is 3.0\n"


@pytest.mark.xfail(
    strict=True,
    reason="dp.jacobian(mode='fwd') runs the forward entry once per float input leaf, so print "
    "inside the function runs that many times per call",
)
def test_print_runs_once_per_jacobian_call(capfd):
    assert dp.jacobian(prints_in_two_columns, argnums=(0, 1), mode="fwd")(2.0, 3.0) == (3.0, 2.0)
    assert capfd.readouterr().out == "step 1\n"


def test_print_runs_once_per_reverse_jacobian_call(capfd):
    assert dp.jacobian(prints_in_two_columns, argnums=(0, 1), mode="rev")(2.0, 3.0) == (3.0, 2.0)
    assert capfd.readouterr().out == "step 1\n"
