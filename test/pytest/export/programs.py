"""The StableHLO export corpus: programs as users write them, their arguments, and JAX twins.

Each entry exports primal and gradient (`argnums`); `twin` is the same program in jax.numpy
(None where the program is not expressible in JAX without rewriting its control flow).
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench" / "adbench"))
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "examples"))

from api.programs import newton_sqrt  # noqa: E402

import data as adbench_data  # noqa: E402
import jax_objectives as J  # noqa: E402
import objectives as O  # noqa: E402
import trebuchet  # noqa: E402


@dataclass
class Program:
    name: str
    fn: Callable
    args: tuple
    argnums: Any = 0
    twin: Callable | None = None
    # Why the gradient does not export (an ExportError the test checks), or None.
    gradient_refused: str | None = None


def power_loop(x, n):
    r = 1.0
    for _ in range(n):
        r = r * x
    return r


def sine_series(x):
    s = 0.0
    for i in range(1, 8):
        s = s + math.sin(x * i) / i
    return s


def branch(x):
    if x > 1.0:
        return x * x
    return math.exp(x)


def nested_branches(x, y):
    if x > y:
        if x > 2.0 * y:
            return x - y
        return x * y
    return math.log(1.0 + y * y) + x


def elementary(x):
    return math.tanh(x) + math.sqrt(1.0 + x * x) + math.atan2(x, 2.0) + math.log1p(x * x) + math.expm1(-x)


def hyperbolic(x):
    return math.sinh(x) + math.cosh(x) + math.asinh(x) + math.atan(x) + math.acos(x / 4.0) + math.asin(x / 4.0)


def extrema(x, y):
    return max(x, y) * min(x, 2.0) + abs(x - y)


def linear_flight(v):
    x, y, vx, vy = 0.0, 0.0, v, v
    while y >= 0.0:
        x = x + vx * 0.01
        y = y + vy * 0.01
        vy = vy - 9.8 * 0.01
    return x


def drag_flight(v):
    x, y, vx, vy = 0.0, 0.0, v, v
    while y >= 0.0:
        s = math.sqrt(vx * vx + vy * vy)
        vx = vx - 0.1 * s * vx * 0.01
        vy = vy - (9.8 + 0.1 * s * vy) * 0.01
        x = x + vx * 0.01
        y = y + vy * 0.01
    return x


def nested_loops(x, n):
    s = 0.0
    for i in range(n):
        for j in range(i):
            s = s + math.cos(x * (i - j)) * 0.1
    return s


def integer_arithmetic(x, n):
    k = n // 3 + n % 3
    return x ** k + float(k)


def matmul_tanh(w, x):
    return np.sum(np.tanh(w @ x) ** 2)


def logsumexp(x):
    m = np.max(x)
    return m + np.log(np.sum(np.exp(x - m)))


def softmax_cross_entropy(w, x, labels):
    logits = x @ w
    z = logits - np.max(logits, axis=1, keepdims=True)
    logp = z - np.log(np.sum(np.exp(z), axis=1, keepdims=True))
    return -np.mean(np.sum(labels * logp, axis=1))


def statistics(x):
    return np.mean(x) * np.var(x) + np.std(x)


def transposes(a, b):
    return np.sum((a.T @ b) * (a.T @ b)) + np.sum(a.reshape(-1) * b.reshape(-1))


def concatenation(a, b):
    c = np.concatenate([a, b * 2.0])
    return np.sum(c * c) + np.sum(np.stack([a, b]) ** 3)


def slicing(x):
    return np.sum(x[1:] * x[:-1]) + np.sum(x[::2] ** 2) + x[0] * x[-1]


def row_loop(m):
    s = 0.0
    for i in range(m.shape[0]):
        s = s + np.sum(np.sin(m[i]) * m[i])
    return s


def where_relu(x):
    return np.sum(np.where(x > 0.0, x, 0.1 * x) ** 2)


def outer_norm(a, b):
    return np.sqrt(np.sum(np.outer(a, b) ** 2))


def batched_quadratic(a, x):
    return np.sum((x @ a) * x)


def elementwise_accumulate(x, n):
    acc = np.zeros_like(x)
    for i in range(n):
        acc = acc + np.cos(x * (i + 1)) / (i + 1)
    return np.sum(acc)


def polynomial_horner(coeffs, x):
    r = 0.0
    for c in coeffs:
        r = r * x + c
    return r


def rk4_oscillator(k):
    x, v, h = 1.0, 0.0, 0.05
    for _ in range(40):
        def f(x, v):
            return v, -k * x - 0.1 * v * abs(v)
        a1, b1 = f(x, v)
        a2, b2 = f(x + 0.5 * h * a1, v + 0.5 * h * b1)
        a3, b3 = f(x + 0.5 * h * a2, v + 0.5 * h * b2)
        a4, b4 = f(x + h * a3, v + h * b3)
        x = x + h / 6.0 * (a1 + 2 * a2 + 2 * a3 + a4)
        v = v + h / 6.0 * (b1 + 2 * b2 + 2 * b3 + b4)
    return x


def _jnp():
    import jax.numpy as jnp

    return jnp


def _np_twin(fn):
    """The numpy program run by JAX: the same source with np bound to jax.numpy."""
    import types

    def twin(*args):
        g = dict(fn.__globals__, np=_jnp())
        return types.FunctionType(fn.__code__, g)(*args)

    return twin


def _rng(seed=0):
    return np.random.default_rng(seed)


r = _rng()
_gmm = adbench_data.gmm(3, 4, n=20)
_ba = adbench_data.ba(n=3, m=5, p=12)
_lstm = adbench_data.lstm(layers=2, chars=6, b=4)
_mlp = adbench_data.mlp(batch=6, sizes=(12, 8, 5))
_machine = trebuchet.Trebuchet(counterweight=2000.0, arm=6.0, stone=30.0, name="Warwolf")

PROGRAMS = [
    Program("power_loop", power_loop, (1.3, 5), twin=lambda x, n: x**n),
    Program("sine_series", sine_series, (0.7,), twin=lambda x: sum(_jnp().sin(x * i) / i for i in range(1, 8))),
    Program("branch_then", branch, (2.0,)),
    Program("branch_else", branch, (0.5,)),
    Program("nested_branches", nested_branches, (3.0, 1.0), argnums=(0, 1)),
    Program("nested_branches_else", nested_branches, (1.0, 3.0), argnums=(0, 1)),
    Program("elementary", elementary, (0.8,)),
    Program("hyperbolic", hyperbolic, (0.6,)),
    Program("extrema", extrema, (1.5, 0.5), argnums=(0, 1)),
    Program("newton_sqrt", newton_sqrt, (2.0,)),
    Program("drag_flight", drag_flight, (3.0,)),
    Program("trebuchet", trebuchet.miss, (_machine, 0.6, -4.0, 180.0), argnums=(0, 1)),
    Program("linear_flight", linear_flight, (3.0,)),
    Program("nested_loops", nested_loops, (0.4, 6)),
    Program("integer_arithmetic", integer_arithmetic, (1.1, 7)),
    Program("matmul_tanh", matmul_tanh, (r.standard_normal((3, 4)), r.standard_normal(4)), argnums=(0, 1),
            twin=_np_twin(matmul_tanh)),
    Program("logsumexp", logsumexp, (r.standard_normal(7),), twin=_np_twin(logsumexp)),
    Program("softmax_cross_entropy", softmax_cross_entropy,
            (r.standard_normal((5, 3)), r.standard_normal((4, 5)), np.eye(3)[[0, 2, 1, 1]]),
            twin=_np_twin(softmax_cross_entropy)),
    Program("statistics", statistics, (r.standard_normal(9),), twin=_np_twin(statistics)),
    Program("transposes", transposes, (r.standard_normal((3, 2)), r.standard_normal((3, 2))), argnums=(0, 1),
            twin=_np_twin(transposes)),
    Program("concatenation", concatenation, (r.standard_normal(3), r.standard_normal(3)), argnums=(0, 1),
            twin=_np_twin(concatenation)),
    Program("slicing", slicing, (r.standard_normal(8),), twin=_np_twin(slicing)),
    Program("row_loop", row_loop, (r.standard_normal((4, 3)),), twin=_np_twin(row_loop)),
    Program("where_relu", where_relu, (r.standard_normal(6),), twin=_np_twin(where_relu)),
    Program("outer_norm", outer_norm, (r.standard_normal(3), r.standard_normal(4)), argnums=(0, 1),
            twin=_np_twin(outer_norm)),
    Program("batched_quadratic", batched_quadratic, (r.standard_normal((3, 3)), r.standard_normal((5, 3))),
            argnums=(0, 1), twin=_np_twin(batched_quadratic)),
    Program("elementwise_accumulate", elementwise_accumulate, (r.standard_normal(5), 4)),
    Program("polynomial_horner", polynomial_horner, (r.standard_normal(5), 0.7), argnums=(0, 1)),
    Program("rk4_oscillator", rk4_oscillator, (2.0,)),
    Program("gmm", O.gmm_objective, _gmm, argnums=(0, 1, 2), twin=J.gmm_objective),
    Program("ba", O.ba_half_squared_norm, _ba, argnums=(0, 1, 2), twin=J.ba_half_squared_norm),
    Program("lstm", O.lstm_objective, _lstm, argnums=(0, 1), twin=J.lstm_objective),
    Program("mlp", O.mlp_loss, _mlp, argnums=0, twin=J.mlp_loss),
]
