"""The seed examples from the Zygote talks (../shared/seeds), as plain Python.

- `pow` by a `while` loop: the gradient at (5, 3) is exactly 75, also with
  the loop state kept in a dict (Zygote's `vars[:r] *= x`);
- a small dataclass model whose gradient is the same dataclass, with None
  for its string field, and linear regression by SGD with it;
- colours: a struct of three floats (NamedTuple and dataclass) as argument
  and result, with dp.jacobian;
- a projectile (the trebuchet demo): a `while`-until-it-lands simulation,
  differentiated and then aimed by gradient descent.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax import lax

import dp

from .oracles import RTOL_EXACT, assert_tree_close, fd_oracle, jax_oracle

# --------------------------------------------------------------------------
# pow by while
# --------------------------------------------------------------------------


def pow_while(x, n):
    r = 1.0
    while n > 0:
        n -= 1
        r *= x
    return r


def pow_dict(x, n):
    r = {"r": 1.0}
    while n > 0:
        n -= 1
        r["r"] *= x
    return r["r"]


def pow_vars(x, n):
    variables = {"r": 1.0, "n": n}
    while variables["n"] > 0:
        variables["n"] -= 1
        variables["r"] *= x
    return variables["r"]


@pytest.mark.parametrize("fn", [pow_while, pow_dict, pow_vars])
def test_pow_gradient_at_5_3_is_exactly_75(fn):
    assert fn(5.0, 3) == 125.0
    assert dp.grad(fn)(5.0, 3) == 75.0
    assert dp.value_and_grad(fn)(5.0, 3) == (125.0, 75.0)
    assert dp.value_and_grad(fn, argnums=(0,))(5.0, 3) == (125.0, (75.0,))
    assert dp.compile(fn, grad=True)(5.0, 3) == (125.0, (75.0, None))
    assert dp.jvp(fn, (5.0, 3), (1.0, 0)) == (125.0, 75.0)
    assert dp.jacobian(fn, mode="rev")(5.0, 3) == 75.0
    assert dp.jacobian(fn, mode="fwd")(5.0, 3) == 75.0
    value, back = dp.vjp(fn, 5.0, 3)  # Zygote's `y, back = J(pow, 5, 3); back(1) == (75, nothing)`
    assert value == 125.0
    assert back(1.0) == (75.0, None)
    assert back(2.0) == (150.0, None)
    assert back(1.0) == (75.0, None)


@pytest.mark.parametrize("fn", [pow_while, pow_dict, pow_vars])
@pytest.mark.parametrize("x, n", [(1.3, 7), (-0.8, 4), (2.0, 0), (0.5, 1)])
def test_pow_against_jax(fn, x, n):
    value, grad = dp.value_and_grad(fn)(x, n)
    assert value == pytest.approx(x**n, rel=1e-15)
    expected = float(jax.grad(lambda x: lax.fori_loop(0, n, lambda _, r: r * x, 1.0))(x))
    assert grad == pytest.approx(expected, rel=RTOL_EXACT, abs=0.0)


def test_pow_with_many_iterations_uses_a_growing_tape():
    # 10^5 iterations: the while loop's tape grows far past its initial size.
    x, n = 1.0000001, 100_000
    value, grad = dp.value_and_grad(pow_while)(x, n)
    assert value == pytest.approx(x**n, rel=1e-9)
    assert grad == pytest.approx(n * x ** (n - 1), rel=1e-9)


# --------------------------------------------------------------------------
# A dataclass model
# --------------------------------------------------------------------------


@dataclass
class Linear:
    weights: float
    bias: float
    name: str


def predict(model, x):
    return model.weights * x + model.bias


def loss(model, x, y):
    return (predict(model, x) - y) ** 2


def test_model_gradient_is_the_same_dataclass_with_none_for_the_string():
    model = Linear(2.0, 1.0, "linear")
    grad = dp.grad(loss)(model, 3.0, 4.0)
    # d/dw (w x + b - y)^2 = 2 (w x + b - y) x = 2 * 3 * 3; d/db = 2 * 3
    assert type(grad) is Linear
    assert (grad.weights, grad.bias, grad.name) == (18.0, 6.0, None)
    assert model == Linear(2.0, 1.0, "linear")  # the argument is untouched


def test_model_gradient_through_every_transform():
    model = Linear(2.0, 1.0, "linear")
    value, (g_model, g_x, g_y) = dp.value_and_grad(loss, argnums=(0, 1, 2))(model, 3.0, 4.0)
    assert value == 9.0
    assert type(g_model) is Linear and dataclasses.astuple(g_model) == (18.0, 6.0, None)
    assert (g_x, g_y) == (12.0, -6.0)

    value, grads = dp.compile(loss, grad=True)(model, 3.0, 4.0)
    assert value == 9.0
    assert grads == (Linear(18.0, 6.0, None), 12.0, -6.0) and type(grads[0]) is Linear

    value, pullback = dp.vjp(loss, model, 3.0, 4.0)
    assert value == 9.0
    assert pullback(1.0) == (Linear(18.0, 6.0, None), 12.0, -6.0)
    assert pullback(0.5) == (Linear(9.0, 3.0, None), 6.0, -3.0)

    tangent = Linear(1.0, 0.0, "linear")
    assert dp.jvp(loss, (model, 3.0, 4.0), (tangent, 0.0, 0.0)) == (9.0, 18.0)
    assert dp.jacobian(loss, mode="fwd")(model, 3.0, 4.0) == Linear(18.0, 6.0, None)


DATA = ((0.0, 1.1), (0.5, 1.9), (1.0, 3.2), (1.5, 3.9), (2.0, 5.1))


def dataset_loss(model):
    total = 0.0
    for x, y in DATA:
        total += loss(model, x, y)
    return total / len(DATA)


@dp.compile(grad=True)
def training_step(model):
    return dataset_loss(model)


def test_linear_regression_by_gradient_descent():
    """The talk's linear regression: a few hundred steps reach numpy's least-squares fit."""
    step = training_step
    model = Linear(0.0, 0.0, "fit")
    first, _ = step(model)
    for _ in range(500):
        value, (g,) = step(model)
        model = dataclasses.replace(model, weights=model.weights - 0.2 * g.weights, bias=model.bias - 0.2 * g.bias)
    slope, intercept = np.polyfit([x for x, _ in DATA], [y for _, y in DATA], 1)
    assert model.name == "fit"
    assert model.weights == pytest.approx(slope, rel=1e-6)
    assert model.bias == pytest.approx(intercept, rel=1e-6)
    assert value < first


# --------------------------------------------------------------------------
# Colours: a struct of three floats
# --------------------------------------------------------------------------


class RGB(NamedTuple):
    r: float
    g: float
    b: float


@dataclass
class Colour:
    r: float
    g: float
    b: float


def red_squared(c):
    return c.r**2


def test_gradient_of_one_field():
    # Zygote: gradient(c -> c.r^2, RGB(1, 0, 0)) == ((r = 2.0, g = nothing, b = nothing),)
    # dp, like JAX, gives zeros (floats) for the float fields that are not used.
    assert dp.grad(red_squared)(RGB(1.0, 0.0, 0.0)) == RGB(2.0, 0.0, 0.0)
    grad = dp.grad(red_squared)(Colour(1.0, 0.0, 0.0))
    assert type(grad) is Colour and dataclasses.astuple(grad) == (2.0, 0.0, 0.0)


def _mix_channel(x, y, t):
    return ((1.0 - t) * x**2.2 + t * y**2.2) ** (1.0 / 2.2)


def gamma_mix(a, b, t):
    return RGB(_mix_channel(a.r, b.r, t), _mix_channel(a.g, b.g, t), _mix_channel(a.b, b.b, t))


def gamma_mix_inline(a, b, t):
    s = 1.0 - t
    return RGB(
        (s * a.r**2.2 + t * b.r**2.2) ** (1.0 / 2.2),
        (s * a.g**2.2 + t * b.g**2.2) ** (1.0 / 2.2),
        (s * a.b**2.2 + t * b.b**2.2) ** (1.0 / 2.2),
    )


def gamma_mix_jax(a, b, t):
    def channel(x, y):
        return ((1.0 - t) * x**2.2 + t * y**2.2) ** (1.0 / 2.2)

    return RGB(channel(a.r, b.r), channel(a.g, b.g), channel(a.b, b.b))


def saturate(c, amount):
    grey = 0.299 * c.r + 0.587 * c.g + 0.114 * c.b
    return Colour(grey + amount * (c.r - grey), grey + amount * (c.g - grey), grey + amount * (c.b - grey))


def saturate_jax(c, amount):
    grey = 0.299 * c.r + 0.587 * c.g + 0.114 * c.b
    return Colour(grey + amount * (c.r - grey), grey + amount * (c.g - grey), grey + amount * (c.b - grey))


def colour_distance(a, b):
    """A CIE76-like distance after a gamma: branches for the small differences."""
    total = 0.0
    for x, y, w in zip((a.r, a.g, a.b), (b.r, b.g, b.b), (2.0, 4.0, 3.0)):
        d = x**2.2 - y**2.2
        if abs(d) < 1e-3:
            total += w * 1e3 * d * d * d * d  # smooth near zero
        else:
            total += w * d * d
    return math.sqrt(total)


def colour_distance_jax(a, b):
    total = 0.0
    for x, y, w in zip((a.r, a.g, a.b), (b.r, b.g, b.b), (2.0, 4.0, 3.0)):
        d = x**2.2 - y**2.2
        total += jnp.where(jnp.abs(d) < 1e-3, w * 1e3 * d**4, w * d * d)
    return jnp.sqrt(total)


@pytest.mark.parametrize("mode", ["rev", "fwd"])
def test_colour_jacobian_namedtuple(mode):
    a, b, t = RGB(0.9, 0.2, 0.4), RGB(0.1, 0.8, 0.4), 0.3
    oracle = jax_oracle(gamma_mix, gamma_mix_jax, (a, b, t))
    got = dp.jacobian(gamma_mix, argnums=(0, 1, 2), mode=mode)(a, b, t)
    assert type(got) is RGB and type(got.r[0]) is RGB and type(got.r[1]) is RGB
    assert_tree_close(got, oracle.jacobian_tree((0, 1, 2)), oracle.rtol, oracle.atol)
    # The inlined version is the same program.
    again = dp.jacobian(gamma_mix_inline, argnums=(0, 1, 2), mode=mode)(a, b, t)
    assert_tree_close(again, oracle.jacobian_tree((0, 1, 2)), oracle.rtol, oracle.atol)
    # d r_out / d a: only the red channel of a moves the red channel of the result.
    assert got.r[0].g == 0.0 and got.r[0].b == 0.0


@pytest.mark.parametrize("mode", ["rev", "fwd"])
def test_colour_jacobian_dataclass(mode):
    c = Colour(0.8, 0.3, 0.5)
    oracle = jax_oracle(saturate, saturate_jax, (c, 1.4))
    got = dp.jacobian(saturate, argnums=0, mode=mode)(c, 1.4)
    assert type(got) is Colour and all(type(getattr(got, f)) is Colour for f in "rgb")
    assert_tree_close(got, oracle.jacobian_tree(0), oracle.rtol, oracle.atol)


def test_colour_value_vjp_and_jvp():
    c = Colour(0.8, 0.3, 0.5)
    value, pullback = dp.vjp(saturate, c, 1.4)
    assert type(value) is Colour
    assert_tree_close(value, saturate(c, 1.4), rtol=1e-15)
    oracle = jax_oracle(saturate, saturate_jax, (c, 1.4))
    cotangent = Colour(1.0, -2.0, 0.5)
    assert_tree_close(pullback(cotangent), oracle.cotangent_in(cotangent), oracle.rtol, oracle.atol)
    tangents = (Colour(0.1, 0.2, -0.3), 0.7)
    value, tangent = dp.jvp(saturate, (c, 1.4), tangents)
    assert_tree_close(tangent, oracle.tangent_out(tangents), oracle.rtol, oracle.atol)


def test_colour_distance_gradient():
    a, b = RGB(0.9, 0.2, 0.4), RGB(0.1, 0.8, 0.4)  # blue channels equal: the smooth branch
    oracle = jax_oracle(colour_distance, colour_distance_jax, (a, b))
    grads = dp.grad(colour_distance, argnums=(0, 1))(a, b)
    assert_tree_close(grads, oracle.grads(oracle.jacobian[0], (0, 1)), oracle.rtol, oracle.atol)
    assert type(grads[0]) is RGB and grads[0].b == 0.0


# --------------------------------------------------------------------------
# The trebuchet: a projectile simulated until it lands
# --------------------------------------------------------------------------

GRAVITY = 9.81
DT = 0.01


def shot(angle, speed, drag):
    """Distance at which a projectile with quadratic drag lands (interpolated to y = 0)."""
    x, y = 0.0, 0.0
    vx, vy = speed * math.cos(angle), speed * math.sin(angle)
    while y >= 0.0:
        v = math.sqrt(vx * vx + vy * vy)
        vx -= drag * v * vx * DT
        vy -= (GRAVITY + drag * v * vy) * DT
        x += vx * DT
        y += vy * DT
    return x - y * vx / vy


def shot_steps(angle, speed, drag):
    x, y, steps = 0.0, 0.0, 0
    vx, vy = speed * math.cos(angle), speed * math.sin(angle)
    while y >= 0.0:
        v = math.sqrt(vx * vx + vy * vy)
        vx -= drag * v * vx * DT
        vy -= (GRAVITY + drag * v * vy) * DT
        x += vx * DT
        y += vy * DT
        steps += 1
    return steps


def shot_jax(angle, speed, drag):
    def step(s):
        x, y, vx, vy = s
        v = jnp.sqrt(vx * vx + vy * vy)
        vx = vx - drag * v * vx * DT
        vy = vy - (GRAVITY + drag * v * vy) * DT
        return x + vx * DT, y + vy * DT, vx, vy

    x, y, vx, vy = lax.while_loop(
        lambda s: s[1] >= 0.0, step, (0.0, 0.0, speed * jnp.cos(angle), speed * jnp.sin(angle))
    )
    return x - y * vx / vy


SHOTS = [(0.7, 20.0, 0.01), (1.1, 35.0, 0.003), (0.3, 12.0, 0.02)]


@pytest.mark.parametrize("point", SHOTS)
def test_shot_gradient_against_jax_forward_mode(point):
    oracle = jax_oracle(shot, shot_jax, point)
    value, grads = dp.value_and_grad(shot, argnums=(0, 1, 2))(*point)
    assert value == pytest.approx(shot(*point), rel=1e-12)
    assert_tree_close(grads, oracle.grads(oracle.jacobian[0], (0, 1, 2)), oracle.rtol, oracle.atol)


@pytest.mark.parametrize("point", SHOTS)
def test_shot_gradient_against_finite_differences(point):
    # The perturbations must not change the number of steps (checked by the oracle).
    oracle = fd_oracle(shot, point, invariant=shot_steps, step=1e-5)
    value, grads = dp.compile(shot, grad=True)(*point)
    assert value == pytest.approx(shot(*point), rel=1e-12)
    assert_tree_close(grads, oracle.grads(oracle.jacobian[0], (0, 1, 2)), oracle.rtol, oracle.atol)


def test_shot_pullback_is_reusable():
    value, pullback = dp.vjp(shot, 0.7, 20.0, 0.01)
    once = pullback(1.0)
    assert pullback(3.0) == pytest.approx(tuple(3.0 * g for g in once), rel=1e-15)
    assert pullback(1.0) == once


def aim_loss(angle, speed, drag, target):
    miss = shot(angle, speed, drag) - target
    return miss * miss


def test_aim_the_trebuchet_by_gradient_descent():
    """Newton's method on the launch angle (the gradient from dp) hits a 30 m target."""
    speed, drag, target = 20.0, 0.01, 30.0
    value_and_grad = dp.compile(shot, grad=True)
    angle = 0.3
    for _ in range(20):
        distance, (slope, _, _) = value_and_grad(angle, speed, drag)
        if abs(distance - target) < 1e-9:
            break
        angle -= (distance - target) / slope
    assert shot(angle, speed, drag) == pytest.approx(target, abs=1e-8)
    assert 0.3 < angle < math.pi / 4  # the low solution
    # The squared loss is minimal there: its gradient is zero.
    assert abs(dp.grad(aim_loss)(angle, speed, drag, target)) < 1e-6
