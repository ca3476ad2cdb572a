"""dp.grad of array programs against jax.grad of jax.numpy twins (rtol 1e-9, float64)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

import numpy as np
import pytest

import dp

from .harness import rng

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy


def mse(w, x, y):
    r = x @ w - y
    return np.sum(r * r) / len(y)


def mse_twin(w, x, y):
    r = x @ w - y
    return jnp.sum(r * r) / len(y)


def mlp_loss(w1, b1, w2, x):
    h = np.tanh(x @ w1 + b1)
    return np.mean((h @ w2) ** 2)


def mlp_loss_twin(w1, b1, w2, x):
    h = jnp.tanh(x @ w1 + b1)
    return jnp.mean((h @ w2) ** 2)


def logsumexp(x):
    return np.log(np.sum(np.exp(x)))


def logsumexp_twin(x):
    return jax.scipy.special.logsumexp(x)


def cross_entropy(logits, labels):
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -np.sum(log_probs * labels) / logits.shape[0]


def cross_entropy_twin(logits, labels):
    shifted = logits - jnp.max(logits, axis=1, keepdims=True)
    log_probs = shifted - jnp.log(jnp.sum(jnp.exp(shifted), axis=1, keepdims=True))
    return -jnp.sum(log_probs * labels) / logits.shape[0]


def naive_softmax_loss(logits, labels):
    e = np.exp(logits)
    p = e / np.sum(e, axis=1, keepdims=True)
    return -np.sum(np.log(p) * labels) - np.sum(np.log(np.sum(np.exp(logits), axis=0)))


def naive_softmax_loss_twin(logits, labels):
    p = jax.nn.softmax(logits, axis=1)
    return -jnp.sum(jnp.log(p) * labels) - jnp.sum(jax.scipy.special.logsumexp(logits, axis=0))


def broadcasting(col, row, s):
    return np.sum(np.sin(col * row + s) * (col - row))


def broadcasting_twin(col, row, s):
    return jnp.sum(jnp.sin(col * row + s) * (col - row))


def axes(x):
    return np.sum(np.max(x, axis=0) ** 2) + np.sum(np.mean(x, axis=1, keepdims=True) * x) + np.prod(x[0])


def axes_twin(x):
    return jnp.sum(jnp.max(x, axis=0) ** 2) + jnp.sum(jnp.mean(x, axis=1, keepdims=True) * x) + jnp.prod(x[0])


def slices(x):
    return np.sum(x[1:, :2] * x[:-1, 1:]) + x[-1, -1] * x[0, 0] + np.sum(x[:, 1] ** 3)


def slices_twin(x):
    return jnp.sum(x[1:, :2] * x[:-1, 1:]) + x[-1, -1] * x[0, 0] + jnp.sum(x[:, 1] ** 3)


def update_loop(x):
    out = np.zeros(len(x))
    for i in range(len(x)):
        out[i] = math.sin(x[i]) * x[i - 1]
    out[0] += 1.0
    return np.sum(out * out)


def update_loop_twin(x):
    out = jnp.sin(x) * jnp.roll(x, 1)
    out = out.at[0].add(1.0)
    return jnp.sum(out * out)


def relu_where(x, y):
    return np.sum(np.maximum(x, 0.0) * y + np.where(x > y, x * y, y))


def relu_where_twin(x, y):
    return jnp.sum(jnp.maximum(x, 0.0) * y + jnp.where(x > y, x * y, y))


def layout(x):
    return np.sum(x.reshape(3, 4)[:, :3] @ x.T) + np.sum(np.concatenate([x, x**2], axis=1))


def layout_twin(x):
    return jnp.sum(x.reshape(3, 4)[:, :3] @ x.T) + jnp.sum(jnp.concatenate([x, x**2], axis=1))


@dataclass
class Linear:
    weights: np.ndarray
    bias: float
    name: str


def model_loss(model, x, y):
    r = x @ model.weights + model.bias - y
    return np.mean(r * r)


class Case(NamedTuple):
    fn: Callable[..., Any]
    twin: Callable[..., Any]
    args: Callable[[], tuple]
    argnums: tuple[int, ...]


def _normal(*shape, seed=0):
    return rng(seed).standard_normal(shape)


CASES = {
    "mse": Case(mse, mse_twin, lambda: (_normal(3), _normal(5, 3, seed=1), _normal(5, seed=2)), (0, 1, 2)),
    "mlp": Case(
        mlp_loss,
        mlp_loss_twin,
        lambda: (_normal(4, 6), _normal(6, seed=1), _normal(6, 2, seed=2), _normal(5, 4, seed=3)),
        (0, 1, 2),
    ),
    "logsumexp": Case(logsumexp, logsumexp_twin, lambda: (_normal(7) * 10.0,), (0,)),
    "cross_entropy": Case(cross_entropy, cross_entropy_twin, lambda: (_normal(4, 3), np.eye(3)[[0, 2, 1, 2]]), (0,)),
    "naive_softmax": Case(
        naive_softmax_loss, naive_softmax_loss_twin, lambda: (_normal(4, 3) * 30.0, np.eye(3)[[0, 2, 1, 2]]), (0,)
    ),
    "broadcasting": Case(
        broadcasting, broadcasting_twin, lambda: (_normal(4, 1), _normal(1, 3, seed=1), 0.3), (0, 1, 2)
    ),
    "axes": Case(axes, axes_twin, lambda: (_normal(3, 4),), (0,)),
    "slices": Case(slices, slices_twin, lambda: (_normal(4, 3),), (0,)),
    "update_loop": Case(update_loop, update_loop_twin, lambda: (_normal(6),), (0,)),
    "relu_where": Case(relu_where, relu_where_twin, lambda: (_normal(5), _normal(5, seed=1)), (0, 1)),
    "layout": Case(layout, layout_twin, lambda: (_normal(4, 3),), (0,)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_grad_matches_jax(name):
    case = CASES[name]
    args = case.args()
    got = dp.grad(case.fn, argnums=case.argnums)(*args)
    expected = jax.grad(case.twin, argnums=case.argnums)(*args)
    for g, e in zip(got, expected):
        assert isinstance(g, (np.ndarray, float)), type(g)
        np.testing.assert_allclose(g, np.asarray(e), rtol=1e-9, atol=1e-12)
        if isinstance(g, np.ndarray):
            assert g.shape == np.shape(e) and g.dtype == np.float64


def test_value_and_grad_of_a_dataclass_model():
    model = Linear(_normal(4), 0.5, "linear")
    x, y = _normal(8, 4, seed=1), _normal(8, seed=2)
    value, grads = dp.value_and_grad(model_loss)(model, x, y)
    assert value == pytest.approx(model_loss(model, x, y), rel=1e-12)
    r = x @ model.weights + model.bias - y
    np.testing.assert_allclose(grads.weights, 2.0 * x.T @ r / len(y), rtol=1e-9)
    assert grads.bias == pytest.approx(2.0 * np.mean(r), rel=1e-9)
    assert grads.name is None


def test_linear_regression_by_sgd_recovers_the_weights():
    true_w, true_b = np.array([1.0, 2.7, 0.3, 1.2]), 0.4
    x = _normal(64, 4, seed=3)
    y = x @ true_w + true_b
    grad = dp.grad(model_loss)
    model = Linear(np.zeros(4), 0.0, "sgd")
    for _ in range(2000):
        g = grad(model, x, y)
        model = Linear(model.weights - 0.05 * g.weights, model.bias - 0.05 * g.bias, model.name)
    np.testing.assert_allclose(model.weights, true_w, atol=1e-2)
    assert model.bias == pytest.approx(true_b, abs=1e-2)
