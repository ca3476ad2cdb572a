"""np.linalg.norm for every ord numpy accepts, with axis and keepdims, against jnp.linalg.norm in both modes."""

from __future__ import annotations

import numpy as np
import pytest

from ordinary.linalg.harness import check_twin, general, jax

jnp = jax.numpy
DTYPES = ["float64", "float32"]


def vector_default(x):
    return np.linalg.norm(np.sin(x))


def vector_one(x):
    return np.linalg.norm(np.sin(x), 1)


def vector_inf(x):
    return np.linalg.norm(np.sin(x), np.inf)


def vector_minus_inf(x):
    return np.linalg.norm(np.sin(x), -np.inf)


def vector_three(x):
    return np.linalg.norm(np.sin(x), 3)


def vector_half(x):
    return np.linalg.norm(np.sin(x) + 2.0, 0.5)


def vector_zero(x):
    return np.linalg.norm(np.sin(x), 0) * np.sum(x)


VECTOR = {
    vector_default: lambda x: jnp.linalg.norm(jnp.sin(x)),
    vector_one: lambda x: jnp.linalg.norm(jnp.sin(x), 1),
    vector_inf: lambda x: jnp.linalg.norm(jnp.sin(x), jnp.inf),
    vector_minus_inf: lambda x: jnp.linalg.norm(jnp.sin(x), -jnp.inf),
    vector_three: lambda x: jnp.linalg.norm(jnp.sin(x), 3),
    vector_half: lambda x: jnp.linalg.norm(jnp.sin(x) + 2.0, 0.5),
    vector_zero: lambda x: jnp.linalg.norm(jnp.sin(x), 0) * jnp.sum(x),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn", list(VECTOR), ids=lambda f: f.__name__)
def test_vector_norm(fn, dtype):
    check_twin(fn, VECTOR[fn], [general((5,), 4)], dtype)


def matrix_fro(x):
    return np.linalg.norm(x, "fro")


def matrix_nuc(x):
    return np.linalg.norm(x, "nuc")


def matrix_one(x):
    return np.linalg.norm(x, 1)


def matrix_minus_one(x):
    return np.linalg.norm(x, -1)


def matrix_two(x):
    return np.linalg.norm(x, 2)


def matrix_minus_two(x):
    return np.linalg.norm(x, -2)


def matrix_inf(x):
    return np.linalg.norm(x, np.inf)


def matrix_minus_inf(x):
    return np.linalg.norm(x, -np.inf)


MATRIX = {
    matrix_fro: lambda x: jnp.linalg.norm(x, "fro"),
    matrix_nuc: lambda x: jnp.linalg.norm(x, "nuc"),
    matrix_one: lambda x: jnp.linalg.norm(x, 1),
    matrix_minus_one: lambda x: jnp.linalg.norm(x, -1),
    matrix_two: lambda x: jnp.linalg.norm(x, 2),
    matrix_minus_two: lambda x: jnp.linalg.norm(x, -2),
    matrix_inf: lambda x: jnp.linalg.norm(x, jnp.inf),
    matrix_minus_inf: lambda x: jnp.linalg.norm(x, -jnp.inf),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn", list(MATRIX), ids=lambda f: f.__name__)
def test_matrix_norm(fn, dtype):
    check_twin(fn, MATRIX[fn], [general((4, 3), 5)], dtype)


def axes_fro(x):
    return np.sum(np.linalg.norm(x, axis=(0, 2)) ** 3)


def axis_vector_keepdims(x):
    return np.sum(x / np.linalg.norm(x, 3, axis=1, keepdims=True))


def stacked_nuclear(x):
    return np.sum(np.linalg.norm(x, "nuc", axis=(2, 1)))


AXES = {
    axes_fro: lambda x: jnp.sum(jnp.linalg.norm(x, axis=(0, 2)) ** 3),
    axis_vector_keepdims: lambda x: jnp.sum(x / jnp.linalg.norm(x, 3, axis=1, keepdims=True)),
    stacked_nuclear: lambda x: jnp.sum(jnp.linalg.norm(x, "nuc", axis=(2, 1))),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn", list(AXES), ids=lambda f: f.__name__)
def test_norm_axes(fn, dtype):
    check_twin(fn, AXES[fn], [general((2, 4, 3), 6)], dtype)


def complex_two_norm(x, y):
    return np.linalg.norm(x + 1j * y)


def complex_one_norm(x, y):
    return np.linalg.norm(x * 1j + y, 1) + np.linalg.norm(x - 2j * y, np.inf)


def complex_frobenius(x, y):
    return np.linalg.norm(np.outer(x, y) * (1 + 2j), "fro")


COMPLEX = {
    complex_two_norm: lambda x, y: jnp.linalg.norm(x + 1j * y),
    complex_one_norm: lambda x, y: jnp.linalg.norm(x * 1j + y, 1) + jnp.linalg.norm(x - 2j * y, jnp.inf),
    complex_frobenius: lambda x, y: jnp.linalg.norm(jnp.outer(x, y) * (1 + 2j), "fro"),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn", list(COMPLEX), ids=lambda f: f.__name__)
def test_complex_norm(fn, dtype):
    check_twin(fn, COMPLEX[fn], [general((4,), 7), general((4,), 8)], dtype)
