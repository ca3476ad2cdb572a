"""The program corpus: plain Python functions, each with its oracle.

Each program is an ordinary Python function, written as a scientist would
(loops, branches, helpers, the math module, small structs), next to a
hand-written JAX twin where one exists: the same computation with `jnp`,
`lax.fori_loop`/`lax.scan` with the trip count for loops, `jnp.where` for
branches and `lax.while_loop` for data-dependent loops (the oracle uses
forward mode, `jax.jacfwd`, which differentiates through `while_loop`).
Programs without a twin are checked against central differences of the
Python function, with an invariant (the loop's trip count) that the
perturbations must not change.

`CASES` lists (program, arguments, argnums, oracle) entries; a program may
appear at several points (both sides of a branch).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

import jax.numpy as jnp
import jax.scipy.special as jsp
from jax import lax

import dp

from .oracles import RTOL_EXACT, RTOL_FD, Oracle, fd_oracle, jax_oracle

# ==========================================================================
# Arithmetic and the math module
# ==========================================================================


def poly(x, y):
    return 3.0 * x**3 - 2.0 * x * y + y**2 / x - 7.0


def poly_jax(x, y):
    return 3.0 * x**3 - 2.0 * x * y + y**2 / x - 7.0


def math_unary(x):
    return (
        math.sin(x) * math.cos(2.0 * x)
        + math.tan(x / 3.0)
        + math.exp(-x) * math.log(x + 2.0)
        + math.sqrt(x) * math.tanh(x)
    )


def math_unary_jax(x):
    return jnp.sin(x) * jnp.cos(2.0 * x) + jnp.tan(x / 3.0) + jnp.exp(-x) * jnp.log(x + 2.0) + jnp.sqrt(x) * jnp.tanh(x)


def inverse_trig(x, y):
    return math.asin(x) + math.acos(y) * math.atan(x * y) + math.atan2(y, x - 1.0)


def inverse_trig_jax(x, y):
    return jnp.arcsin(x) + jnp.arccos(y) * jnp.arctan(x * y) + jnp.arctan2(y, x - 1.0)


def hyperbolic(x):
    return math.sinh(x) * math.cosh(0.5 * x) + math.asinh(3.0 * x) - math.acosh(1.0 + x * x) + math.atanh(x / 2.0)


def hyperbolic_jax(x):
    return jnp.sinh(x) * jnp.cosh(0.5 * x) + jnp.arcsinh(3.0 * x) - jnp.arccosh(1.0 + x * x) + jnp.arctanh(x / 2.0)


def logarithms(x, y):
    return math.log1p(x * y) + math.expm1(x) - math.log2(y) + math.log10(x + y) + math.log(x, y)


def logarithms_jax(x, y):
    return jnp.log1p(x * y) + jnp.expm1(x) - jnp.log2(y) + jnp.log10(x + y) + jnp.log(x) / jnp.log(y)


def special(x, y):
    return math.erf(x) * math.erfc(y) + math.hypot(x, y) + math.pow(x, y) + math.fabs(x - y) + math.copysign(x, y)


def special_jax(x, y):
    return jsp.erf(x) * jsp.erfc(y) + jnp.hypot(x, y) + jnp.power(x, y) + jnp.abs(x - y) + jnp.copysign(x, y)


def constants(x):
    return x * math.pi + math.e**x + min(x, math.inf) + math.tau / x


def constants_jax(x):
    return x * jnp.pi + jnp.e**x + jnp.minimum(x, jnp.inf) + 2 * jnp.pi / x


def floor_ceil(x, y):
    return math.floor(x) * x + math.ceil(y) * y * y


def floor_ceil_jax(x, y):
    return jnp.floor(x) * x + jnp.ceil(y) * y * y


def floordiv_mod(x, y):
    return (x // y) * x + x % y + y % -1.3


def floordiv_mod_jax(x, y):
    return jnp.floor_divide(x, y) * x + jnp.remainder(x, y) + jnp.remainder(y, -1.3)


def abs_min_max(x, y):
    return abs(x - y) + max(x, y, 0.5) * min(x, y) - max(x * y, 0.0)


def abs_min_max_jax(x, y):
    return jnp.abs(x - y) + jnp.maximum(jnp.maximum(x, y), 0.5) * jnp.minimum(x, y) - jnp.maximum(x * y, 0.0)


def int_mix(x, n):
    return x * n + float(n) / x + (n // 2) * x**2 - n % 3 * x + int(x * 10.0)


def int_mix_jax(x, n):
    return x * n + float(n) / x + (n // 2) * x**2 - n % 3 * x + jnp.trunc(x * 10.0)


def power_forms(x, n):
    return x**2.5 + x**n + 2.0**x + x**-1 + (-x) ** 3


def power_forms_jax(x, n):
    return x**2.5 + x**n + 2.0**x + x**-1 + (-x) ** 3


def augmented_assignments(x):
    y = x
    y += 1.0
    y *= x
    y -= 0.5
    y /= 2.0
    y **= 2
    pass
    return -y


def augmented_assignments_jax(x):
    return -((((x + 1.0) * x - 0.5) / 2.0) ** 2)


# ==========================================================================
# Branches
# ==========================================================================


def bool_logic(x, y):
    if 0.0 < x < y and not x > 3.0 or y > 10.0:
        return x * y
    return x - y


def bool_logic_jax(x, y):
    return jnp.where(((0.0 < x) & (x < y) & ~(x > 3.0)) | (y > 10.0), x * y, x - y)


def nested_conditional(x):
    return x * x if x > 1.0 else (math.sin(x) if x > -1.0 else -x)


def nested_conditional_jax(x):
    return jnp.where(x > 1.0, x * x, jnp.where(x > -1.0, jnp.sin(x), -x))


def piecewise(x, y):
    if x > y:
        return x - y
    elif x * y > 1.0:
        return x * y
    else:
        z = x + y
    return z * z


def piecewise_jax(x, y):
    return jnp.where(x > y, x - y, jnp.where(x * y > 1.0, x * y, (x + y) ** 2))


def softplus(x):
    if x > 20.0:
        return x
    elif x < -20.0:
        return math.exp(x)
    return math.log1p(math.exp(x))


def softplus_jax(x):
    return lax.cond(x > 20.0, lambda: x, lambda: lax.cond(x < -20.0, lambda: jnp.exp(x), lambda: jnp.log1p(jnp.exp(x))))


def bool_flag(x, flag):
    if flag:
        return x * x
    return -x


def bool_flag_jax(x, flag):
    return x * x if flag else -x


def string_mode(x, mode):
    if mode == "square":
        return x * x
    return math.sin(x)


def string_mode_jax(x, mode):
    return x * x if mode == "square" else jnp.sin(x)


# ==========================================================================
# Loops
# ==========================================================================


def sum_range(x, y, n):
    s = 0.0
    for i in range(n):
        s += math.sin(x * i) * y**i
    return s


def sum_range_jax(x, y, n):
    return lax.fori_loop(0, n, lambda i, s: s + jnp.sin(x * i) * y**i, 0.0)


def range_negative_step(x, n):
    s = 0.0
    for i in range(n, 0, -2):
        s = s * x + i
    return s


def range_negative_step_jax(x, n):
    count = len(range(n, 0, -2))
    return lax.fori_loop(0, count, lambda k, s: s * x + (n - 2 * k), 0.0)


def range_start_stop_step(x):
    s = 0.0
    for i in range(2, 11, 3):
        s += x**i / i
    return s


def range_start_stop_step_jax(x):
    return lax.fori_loop(0, 3, lambda k, s: s + x ** (2 + 3 * k) / (2 + 3 * k), 0.0)


def nested_loops(x, y, n):
    s = 0.0
    for i in range(n):
        for j in range(i):
            s += x**i * y**j / (1 + i + j)
    return s


def nested_loops_jax(x, y, n):
    def outer(i, s):
        return lax.fori_loop(0, i, lambda j, t: t + x**i * y**j / (1 + i + j), s)

    return lax.fori_loop(0, n, outer, 0.0)


def loop_branch(x, n):
    s = 1.0
    for i in range(n):
        if s < 2.0:
            s = s + x * i
        else:
            s = s * 0.5 - x
    return s


def loop_branch_jax(x, n):
    return lax.fori_loop(0, n, lambda i, s: jnp.where(s < 2.0, s + x * i, s * 0.5 - x), 1.0)


def loop_break(x, n):
    s = 0.0
    for i in range(n):
        s += x**i
        if s > 10.0:
            break
    return s


def loop_break_jax(x, n):
    def body(i, carry):
        s, done = carry
        s = jnp.where(done, s, s + x**i)
        return s, done | (s > 10.0)

    return lax.fori_loop(0, n, body, (0.0, False))[0]


def loop_continue(x, n):
    s = 0.0
    for i in range(n):
        if i % 3 == 0:
            continue
        s += math.cos(x * i)
    return s


def loop_continue_jax(x, n):
    return lax.fori_loop(0, n, lambda i, s: jnp.where(i % 3 == 0, s, s + jnp.cos(x * i)), 0.0)


def early_return_in_loop(x):
    for i in range(10):
        x = x * 1.5 + 0.1
        if x > 5.0:
            return x * x
    return -x


def early_return_in_loop_jax(x):
    def body(i, carry):
        y, done = carry
        y = jnp.where(done, y, y * 1.5 + 0.1)
        return y, done | (y > 5.0)

    y, done = lax.fori_loop(0, 10, body, (x, False))
    return jnp.where(done, y * y, -y)


def while_float_condition(x, y):
    while x < 100.0:
        x = x * 1.5 + y
    return x


def while_float_condition_jax(x, y):
    return lax.while_loop(lambda x: x < 100.0, lambda x: x * 1.5 + y, x)


def while_true_break(x, c):
    k = 0
    while True:
        x = math.cos(x) * c
        k += 1
        if k >= 7:
            break
    return x


def while_true_break_jax(x, c):
    return lax.fori_loop(0, 7, lambda k, x: jnp.cos(x) * c, x)


def newton_sqrt(a):
    y = a
    while abs(y * y - a) > 1e-10 * a:
        y = 0.5 * (y + a / y)
    return y


def newton_sqrt_steps(a):
    y, steps = a, 0
    while abs(y * y - a) > 1e-10 * a:
        y, steps = 0.5 * (y + a / y), steps + 1
    return steps


def fixed_point(x, c):
    y = 0.0
    steps = 0
    while steps < 200:
        nxt = c * math.cos(y) + x
        steps += 1
        if abs(nxt - y) < 1e-6:
            break
        y = nxt
    return y


def fixed_point_steps(x, c):
    y, steps = 0.0, 0
    while steps < 200:
        nxt = c * math.cos(y) + x
        steps += 1
        if abs(nxt - y) < 1e-6:
            break
        y = nxt
    return steps


def collatz_like(x, n):
    k = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
            x = x * 0.5 + 1.0
        else:
            n = 3 * n + 1
            x = math.sqrt(x * x + 1.0)
        k += 1
    return x * k


def collatz_like_jax(x, n):
    k = 0
    while n != 1:  # Python control on the int: the trip count is static
        if n % 2 == 0:
            n, x = n // 2, x * 0.5 + 1.0
        else:
            n, x = 3 * n + 1, jnp.sqrt(x * x + 1.0)
        k += 1
    return x * k


# ==========================================================================
# Helpers, recursion, globals, closures
# ==========================================================================


def _square(a):
    return a * a


def _norm(x, y):
    return math.sqrt(_square(x) + _square(y))


def helper_calls(x, y):
    return _norm(x, y) * _square(x - y) + _norm(y, 1.0)


def helper_calls_jax(x, y):
    return jnp.sqrt(x * x + y * y) * (x - y) ** 2 + jnp.sqrt(y * y + 1.0)


def _polar(x, y):
    return math.hypot(x, y), math.atan2(y, x)


def helper_tuple(x, y):
    r, theta = _polar(x, y)
    return r * math.cos(2.0 * theta) + theta


def helper_tuple_jax(x, y):
    r, theta = jnp.hypot(x, y), jnp.arctan2(y, x)
    return r * jnp.cos(2.0 * theta) + theta


def _leaf(a, k):
    return a * k + 1.0


def _middle(a, k):
    return _leaf(a, k) * _leaf(a, k + 1)


def helper_chain(x, k):
    return _middle(x, k) / _leaf(x, 2 * k)


def helper_chain_jax(x, k):
    return (x * k + 1.0) * (x * (k + 1) + 1.0) / (x * 2 * k + 1.0)


def recursive_pow(x, n):
    if n == 0:
        return 1.0
    if n % 2 == 0:
        half = recursive_pow(x, n // 2)
        return half * half
    return x * recursive_pow(x, n - 1)


def recursive_pow_jax(x, n):
    return x**n


def recursive_series(x, n):
    if n < 2:
        return x
    return recursive_series(x, n - 1) + math.sin(recursive_series(x, n - 2))


def recursive_series_jax(x, n):
    if n < 2:
        return x
    return recursive_series_jax(x, n - 1) + jnp.sin(recursive_series_jax(x, n - 2))


GRAVITY = 9.81
COEFFICIENTS = (1.0, -2.0, 0.5, 0.25)


def global_constants(x):
    s = 0.0
    for c in COEFFICIENTS:
        s = s * x + c
    return s * GRAVITY


def global_constants_jax(x):
    s, _ = lax.scan(lambda s, c: (s * x + c, None), 0.0, jnp.array(COEFFICIENTS))
    return s * GRAVITY


def make_damped(k, w):
    def damped(t):
        return math.exp(-k * t) * math.sin(w * t)

    return damped


damped = make_damped(0.3, 2.0)


def damped_jax(t):
    return jnp.exp(-0.3 * t) * jnp.sin(2.0 * t)


@dp.compile
def _compiled_cube(a):
    return a * a * a


def calls_compiled(x, y):
    return _compiled_cube(x) * y + _compiled_cube(y)


def calls_compiled_jax(x, y):
    return x**3 * y + y**3


def stopped(x, y):
    a, b = dp.stop_gradient((x * y, y))
    return x * a + math.sin(b) + y * dp.stop_gradient(y) + y


def stopped_jax(x, y):
    a, b = lax.stop_gradient((x * y, y))
    return x * a + jnp.sin(b) + y * lax.stop_gradient(y) + y


# ==========================================================================
# Structured values
# ==========================================================================


class Particle(NamedTuple):
    x: float
    v: float
    mass: float
    ident: int


@dataclass
class Config:
    scale: float
    offset: float
    label: str
    steps: int


def tuple_argument(p, s):
    x, y = p
    return x * y + s * x**2


def tuple_argument_jax(p, s):
    x, y = p
    return x * y + s * x**2


def list_argument(xs):
    s = 0.0
    for i, x in enumerate(xs):
        s += (i + 1) * x * x
    return s + len(xs) * xs[0] - xs[-1]


def list_argument_jax(xs):
    return sum((i + 1) * x * x for i, x in enumerate(xs)) + len(xs) * xs[0] - xs[-1]


def list_runtime_index(xs, i):
    return xs[i] * xs[0] + xs[i - 1]


def list_runtime_index_jax(xs, i):
    return xs[i] * xs[0] + xs[i - 1]


def dict_argument(d):
    return d["a"] * math.exp(d["b"]) + d["c"] * d["n"]


def dict_argument_jax(d):
    return d["a"] * jnp.exp(d["b"]) + d["c"] * d["n"]


def dict_state(x0, k, n):
    state = {"x": x0, "v": 0.0}
    for _ in range(n):
        state["v"] += -k * state["x"] * 0.1
        state["x"] += state["v"] * 0.1
    return state["x"] + 0.5 * state["v"]


def dict_state_jax(x0, k, n):
    def body(_, s):
        x, v = s
        v = v - k * x * 0.1
        return x + v * 0.1, v

    x, v = lax.fori_loop(0, n, body, (x0, 0.0))
    return x + 0.5 * v


def list_mutation(xs):
    ys = [0.0, 0.0, 0.0]
    ys[0] = xs[0] * 2.0
    ys[1] += xs[1] * ys[0]
    ys[2] = ys[1] - xs[2]
    return ys[0] * ys[1] * ys[2]


def list_mutation_jax(xs):
    y0 = xs[0] * 2.0
    y1 = xs[1] * y0
    y2 = y1 - xs[2]
    return y0 * y1 * y2


def particle_energy(p, g):
    kinetic = 0.5 * p.mass * p.v**2
    return kinetic + p.mass * g * p.x + p.ident


def particle_energy_jax(p, g):
    return 0.5 * p.mass * p.v**2 + p.mass * g * p.x + p.ident


def dataclass_config(cfg, x):
    y = x
    for _ in range(cfg.steps):
        y = math.sin(y) * cfg.scale + cfg.offset
    if cfg.label == "twice":
        return 2.0 * y
    return y


def dataclass_config_jax(cfg, x):
    y = lax.fori_loop(0, cfg.steps, lambda _, y: jnp.sin(y) * cfg.scale + cfg.offset, x)
    return 2.0 * y if cfg.label == "twice" else y


def nested_structures(data, w):
    (x, y), params = data["pos"], data["params"]
    s = 0.0
    for i in range(params.ident):
        s += (x * w[0] + y * w[1]) ** i / (i + 1) * params.mass
    return s + params.v


def nested_structures_jax(data, w):
    (x, y), params = data["pos"], data["params"]
    s = lax.fori_loop(0, params.ident, lambda i, s: s + (x * w[0] + y * w[1]) ** i / (i + 1) * params.mass, 0.0)
    return s + params.v


def tuple_swap(x, y, n):
    a, b = x, y
    for _ in range(n):
        a, b = b, 0.5 * (a + b) + 0.1 * a * b
    return a - b


def tuple_swap_jax(x, y, n):
    a, b = lax.fori_loop(0, n, lambda _, ab: (ab[1], 0.5 * (ab[0] + ab[1]) + 0.1 * ab[0] * ab[1]), (x, y))
    return a - b


def zip_lists(xs, ws):
    s = 0.0
    for x, w in zip(xs, ws):
        s += w * math.tanh(x)
    return s


def zip_lists_jax(xs, ws):
    return sum(w * jnp.tanh(x) for x, w in zip(xs, ws))


def mean_variance(t):
    m = sum(t) / len(t)
    v = 0.0
    for x in t:
        v += (x - m) ** 2
    return v / len(t) + m


def mean_variance_jax(t):
    a = jnp.stack(t)
    return jnp.var(a) + jnp.mean(a)


def kahan_sum(t):
    s, c = 0.0, 0.0
    for x in t:
        y = x * x - c
        u = s + y
        c = (u - s) - y
        s = u
    return s


def kahan_sum_jax(t):
    s, c = 0.0, 0.0
    for x in t:  # a tuple: unrolled, like dp does
        y = x * x - c
        u = s + y
        c = (u - s) - y
        s = u
    return s


def horner(coefficients, x):
    s = 0.0
    for c in coefficients:
        s = s * x + c
    return s


def horner_jax(coefficients, x):
    s, _ = lax.scan(lambda s, c: (s * x + c, None), 0.0, jnp.stack(coefficients))
    return s


# ==========================================================================
# Structured and several results
# ==========================================================================


def several_results(x, y):
    return x * y, math.sin(x) + y, x / y


def several_results_jax(x, y):
    return x * y, jnp.sin(x) + y, x / y


def dict_result(x, y, n):
    return {"sum": x + y, "prod": x * y**n, "n": n, "positive": x > 0.0}


def dict_result_jax(x, y, n):
    return {"sum": x + y, "prod": x * y**n, "n": n, "positive": x > 0.0}


def to_polar(x, y):
    return math.hypot(x, y), math.atan2(y, x)


def to_polar_jax(x, y):
    return jnp.hypot(x, y), jnp.arctan2(y, x)


class State(NamedTuple):
    x: float
    v: float


def rk4_oscillator(s, w, dt, n):
    x, v = s.x, s.v
    for _ in range(n):
        k1x, k1v = v, -w * w * x
        k2x, k2v = v + 0.5 * dt * k1v, -w * w * (x + 0.5 * dt * k1x)
        k3x, k3v = v + 0.5 * dt * k2v, -w * w * (x + 0.5 * dt * k2x)
        k4x, k4v = v + dt * k3v, -w * w * (x + dt * k3x)
        x += dt / 6.0 * (k1x + 2.0 * k2x + 2.0 * k3x + k4x)
        v += dt / 6.0 * (k1v + 2.0 * k2v + 2.0 * k3v + k4v)
    return State(x, v)


def rk4_oscillator_jax(s, w, dt, n):
    def step(_, xv):
        x, v = xv
        k1x, k1v = v, -w * w * x
        k2x, k2v = v + 0.5 * dt * k1v, -w * w * (x + 0.5 * dt * k1x)
        k3x, k3v = v + 0.5 * dt * k2v, -w * w * (x + 0.5 * dt * k2x)
        k4x, k4v = v + dt * k3v, -w * w * (x + dt * k3x)
        return (
            x + dt / 6.0 * (k1x + 2.0 * k2x + 2.0 * k3x + k4x),
            v + dt / 6.0 * (k1v + 2.0 * k2v + 2.0 * k3v + k4v),
        )

    return State(*lax.fori_loop(0, n, step, (s.x, s.v)))


@dataclass
class LotkaVolterra:
    alpha: float
    beta: float
    delta: float
    gamma: float


def lotka_volterra(prey, predator, p, dt, n):
    for _ in range(n):
        dprey = p.alpha * prey - p.beta * prey * predator
        dpred = p.delta * prey * predator - p.gamma * predator
        prey, predator = prey + dt * dprey, predator + dt * dpred
    return prey, predator


def lotka_volterra_jax(prey, predator, p, dt, n):
    def step(_, s):
        prey, predator = s
        dprey = p.alpha * prey - p.beta * prey * predator
        dpred = p.delta * prey * predator - p.gamma * predator
        return prey + dt * dprey, predator + dt * dpred

    return lax.fori_loop(0, n, step, (prey, predator))


DATA = ((0.0, 1.1), (0.5, 1.9), (1.0, 3.2), (1.5, 3.9), (2.0, 5.1))


def sgd_linear_regression(w, b, lr, epochs):
    for _ in range(epochs):
        for x, y in DATA:
            err = w * x + b - y
            w -= lr * 2.0 * err * x
            b -= lr * 2.0 * err
    return w, b


def sgd_linear_regression_jax(w, b, lr, epochs):
    xs, ys = jnp.array([d[0] for d in DATA]), jnp.array([d[1] for d in DATA])

    def sample(wb, xy):
        w, b = wb
        err = w * xy[0] + b - xy[1]
        return (w - lr * 2.0 * err * xy[0], b - lr * 2.0 * err), None

    def epoch(_, wb):
        return lax.scan(sample, wb, (xs, ys))[0]

    return lax.fori_loop(0, epochs, epoch, (w, b))


def logistic_loss(w, b):
    total = 0.0
    for x, y in DATA:
        label = 1.0 if y > 3.0 else -1.0
        total += math.log1p(math.exp(-label * (w * x + b)))
    return total / len(DATA)


def logistic_loss_jax(w, b):
    xs, ys = jnp.array([d[0] for d in DATA]), jnp.array([d[1] for d in DATA])
    labels = jnp.where(ys > 3.0, 1.0, -1.0)
    return jnp.mean(jnp.log1p(jnp.exp(-labels * (w * xs + b))))


def returns_with_int(x, n):
    y = x
    for _ in range(n):
        y = y * x
    return y, n * 2, y > 1.0


def returns_with_int_jax(x, n):
    y = lax.fori_loop(0, n, lambda _, y: y * x, x)
    return y, n * 2, y > 1.0


# ==========================================================================
# The cases
# ==========================================================================


@dataclass
class Case:
    """A program at one point, with how to compute its oracle.

    `argnums` is used for dp.grad/value_and_grad/jacobian (int or tuple);
    `twin` is the JAX twin (None: finite differences, with `invariant`).
    """

    fn: Callable
    args: tuple
    argnums: int | tuple[int, ...]
    twin: Callable | None = None
    invariant: Callable | None = None
    rtol: float | None = None
    id: str = ""

    def oracle(self) -> Oracle:
        if self.twin is not None:
            return jax_oracle(self.fn, self.twin, self.args, self.rtol or RTOL_EXACT)
        return fd_oracle(self.fn, self.args, self.rtol or RTOL_FD, self.invariant)

    @property
    def scalar(self) -> bool:
        return isinstance(self.fn(*self.args), float)


def case(
    fn: Callable,
    *args: Any,
    argnums: Any = 0,
    twin: Any = "auto",
    invariant: Any = None,
    rtol: Any = None,
    tag: str = "",
) -> Case:
    if twin == "auto":
        twin = globals()[fn.__name__ + "_jax"]
    return Case(fn, args, argnums, twin, invariant, rtol, fn.__name__ + (f"-{tag}" if tag else ""))


CASES = [
    # arithmetic and math
    case(poly, 1.3, -0.7, argnums=(0, 1)),
    case(math_unary, 0.8),
    case(inverse_trig, 0.3, -0.4, argnums=(0, 1)),
    case(inverse_trig, -0.6, 0.5, argnums=1, tag="other-quadrant"),
    case(hyperbolic, 0.7),
    case(logarithms, 0.6, 2.5, argnums=(0, 1)),
    case(special, 0.4, 1.7, argnums=(0, 1)),
    case(special, 1.9, -0.6, argnums=(1, 0), tag="negative"),
    case(constants, 1.2),
    case(floor_ceil, 2.3, -1.6, argnums=(0, 1)),
    case(floordiv_mod, 5.3, 0.7, argnums=(0, 1)),
    case(floordiv_mod, -5.3, 0.7, argnums=(0, 1), tag="negative"),
    case(abs_min_max, 0.3, 1.4, argnums=(0, 1)),
    case(abs_min_max, 2.2, -1.5, argnums=(0, 1), tag="swapped"),
    case(int_mix, 1.37, 5),
    case(power_forms, 1.4, 3),
    case(augmented_assignments, 1.5),
    # branches
    case(bool_logic, 1.0, 2.0, argnums=(0, 1), tag="and"),
    case(bool_logic, 2.0, 1.0, argnums=(0, 1), tag="false"),
    case(bool_logic, 5.0, 11.0, argnums=(0, 1), tag="or"),
    case(nested_conditional, 2.0, tag="outer"),
    case(nested_conditional, 0.5, tag="inner"),
    case(nested_conditional, -2.0, tag="else"),
    case(piecewise, 2.0, 1.0, argnums=(0, 1), tag="if"),
    case(piecewise, 1.5, 2.0, argnums=(0, 1), tag="elif"),
    case(piecewise, 0.2, 0.5, argnums=(0, 1), tag="else"),
    case(softplus, 25.0, tag="large"),
    case(softplus, -25.0, tag="small"),
    case(softplus, 0.3, tag="middle"),
    case(bool_flag, 1.5, True, tag="true"),
    case(bool_flag, 1.5, False, tag="false"),
    case(string_mode, 1.5, "square", tag="square"),
    case(string_mode, 1.5, "sine", tag="sine"),
    # loops
    case(sum_range, 0.7, 1.1, 6, argnums=(0, 1)),
    case(range_negative_step, 0.9, 9),
    case(range_start_stop_step, 1.2),
    case(nested_loops, 0.9, 1.2, 5, argnums=(1, 0)),
    case(loop_branch, 0.37, 12),
    case(loop_break, 1.7, 20),
    case(loop_continue, 0.45, 10),
    case(early_return_in_loop, 0.5, tag="inside"),
    case(early_return_in_loop, -3.0, tag="after"),
    case(while_float_condition, 0.5, 0.25, argnums=(0, 1)),
    case(while_true_break, 0.5, 0.9, argnums=(0, 1)),
    case(newton_sqrt, 7.0, twin=None, invariant=newton_sqrt_steps),
    case(fixed_point, 0.3, 0.5, argnums=(0, 1), twin=None, invariant=fixed_point_steps),
    case(collatz_like, 1.3, 6),
    # helpers, recursion, globals, closures
    case(helper_calls, 1.1, -0.4, argnums=(0, 1)),
    case(helper_tuple, 0.8, 1.3, argnums=(0, 1)),
    case(helper_chain, 0.6, 3),
    case(recursive_pow, 1.1, 13),
    case(recursive_series, 0.7, 6),
    case(global_constants, 0.9),
    case(damped, 1.7),
    case(calls_compiled, 0.8, 1.4, argnums=(0, 1)),
    case(stopped, 1.5, 2.0, argnums=(0, 1)),
    # structures
    case(tuple_argument, (1.5, -0.5), 0.3, argnums=(0, 1)),
    case(list_argument, [1.0, -2.0, 0.5]),
    case(list_runtime_index, [1.0, -2.0, 0.5], 2),
    case(dict_argument, {"a": 1.5, "b": -0.3, "c": 2.0, "n": 3}),
    case(dict_state, 1.0, 2.0, 15, argnums=(0, 1)),
    case(list_mutation, [1.2, 0.7, -0.4]),
    case(particle_energy, Particle(1.0, -2.0, 3.0, 4), 9.81, argnums=(0, 1)),
    case(dataclass_config, Config(0.9, 0.2, "twice", 4), 0.5, argnums=(0, 1)),
    case(dataclass_config, Config(0.9, 0.2, "once", 3), 0.5, argnums=(0, 1), tag="once"),
    case(nested_structures, {"pos": (0.5, 0.8), "params": Particle(0.1, 0.2, 1.5, 4)}, [0.3, -0.7], argnums=(0, 1)),
    case(tuple_swap, 1.0, 2.0, 5, argnums=(0, 1)),
    case(zip_lists, [0.1, -0.4, 0.9], (2.0, 3.0, -1.0), argnums=(0, 1)),
    case(mean_variance, (1.0, 2.5, -0.5, 4.0)),
    case(kahan_sum, (0.1, 0.2, 0.3, 1e3)),
    case(horner, (1.0, -3.0, 0.5, 2.0), 0.7, argnums=(0, 1)),
    case(logistic_loss, 1.2, -0.4, argnums=(0, 1)),
    # several or structured results (dp.jvp, dp.vjp, dp.jacobian only)
    case(several_results, 0.7, 1.9, argnums=(0, 1)),
    case(dict_result, 0.7, 1.9, 3, argnums=(0, 1)),
    case(to_polar, -0.6, 0.8, argnums=(0, 1)),
    case(rk4_oscillator, State(1.0, 0.0), 2.0, 0.05, 20, argnums=(0, 1, 2)),
    case(lotka_volterra, 1.0, 0.5, LotkaVolterra(1.1, 0.4, 0.1, 0.4), 0.05, 30, argnums=(0, 2)),
    case(sgd_linear_regression, 0.1, 0.2, 0.02, 3, argnums=(0, 1, 2)),
    case(returns_with_int, 1.1, 3),
]

SCALAR_CASES = [c for c in CASES if c.scalar]
PROGRAMS = sorted({c.fn.__name__ for c in CASES})
