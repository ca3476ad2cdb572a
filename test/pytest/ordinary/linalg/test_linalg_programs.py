"""np.linalg programs checked against their jax.numpy twins: value, reverse, forward and second order, f64 and f32."""

from __future__ import annotations

import numpy as np
import pytest

from ordinary.linalg.harness import check_twin, general, jax, spd

jnp = jax.numpy
DTYPES = ["float64", "float32"]


def sym(x):
    return (x + x.T) / 2


def jsym(x):
    return (x + x.T) / 2


# -- solve --------------------------------------------------------------------------------------------------------


def solve_matrix(a, b):
    return np.sum(np.sin(np.linalg.solve(a, b)))


def solve_matrix_twin(a, b):
    return jnp.sum(jnp.sin(jnp.linalg.solve(a, b)))


def solve_vector(a, b):
    x = np.linalg.solve(a, b)
    return np.dot(x, x) + np.sum(a * a)


def solve_vector_twin(a, b):
    x = jnp.linalg.solve(a, b)
    return jnp.dot(x, x) + jnp.sum(a * a)


def solve_stacked(a, b):
    return np.sum(np.linalg.solve(a, b) ** 2)


def solve_stacked_twin(a, b):
    return jnp.sum(jnp.linalg.solve(a, b) ** 2)


@pytest.mark.parametrize("dtype", DTYPES)
def test_solve_matrix(dtype):
    check_twin(solve_matrix, solve_matrix_twin, [general((4, 4)), general((4, 3), 1)], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_solve_vector(dtype):
    check_twin(solve_vector, solve_vector_twin, [general((3, 3)), general((3,), 1)], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_solve_stacked(dtype):
    check_twin(solve_stacked, solve_stacked_twin, [general((2, 3, 3)), general((2, 3, 2), 1)], dtype)


# -- inv, det, slogdet, matrix_power --------------------------------------------------------------------------------


def inv_squares(a):
    return np.sum(np.linalg.inv(a) ** 2)


def inv_squares_twin(a):
    return jnp.sum(jnp.linalg.inv(a) ** 2)


def det_of_product(a):
    return np.linalg.det(a) + np.linalg.det(a @ a.T)


def det_of_product_twin(a):
    return jnp.linalg.det(a) + jnp.linalg.det(a @ a.T)


def det_stacked(a):
    return np.sum(np.linalg.det(a) ** 2)


def det_stacked_twin(a):
    return jnp.sum(jnp.linalg.det(a) ** 2)


def logdet(a):
    sign, value = np.linalg.slogdet(a)
    return sign * value


def logdet_twin(a):
    sign, value = jnp.linalg.slogdet(a)
    return sign * value


def matrix_powers(a):
    return np.sum(np.linalg.matrix_power(a, 3)) + np.sum(np.linalg.matrix_power(a, -2))


def matrix_powers_twin(a):
    return jnp.sum(jnp.linalg.matrix_power(a, 3)) + jnp.sum(jnp.linalg.matrix_power(a, -2))


@pytest.mark.parametrize("dtype", DTYPES)
def test_inv(dtype):
    check_twin(inv_squares, inv_squares_twin, [general((4, 4))], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_inv_stacked(dtype):
    check_twin(inv_squares, inv_squares_twin, [general((2, 3, 3))], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_det(dtype):
    check_twin(det_of_product, det_of_product_twin, [general((3, 3))], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_det_stacked(dtype):
    check_twin(det_stacked, det_stacked_twin, [general((2, 2, 3, 3))], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("flip", [1.0, -1.0])
def test_slogdet(dtype, flip):
    check_twin(logdet, logdet_twin, [flip * general((3, 3))], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_matrix_power(dtype):
    check_twin(matrix_powers, matrix_powers_twin, [general((3, 3)) / 3], dtype)


# -- cholesky: a Gaussian log-likelihood --------------------------------------------------------------------------


def chol_sines(x):
    return np.sum(np.sin(np.linalg.cholesky(sym(x))))


def chol_sines_twin(x):
    return jnp.sum(jnp.sin(jnp.linalg.cholesky(jsym(x))))


def gaussian_loglik(k, y):
    l = np.linalg.cholesky(sym(k))
    z = np.linalg.solve(l, y)
    _, logabsdet = np.linalg.slogdet(l)
    return -0.5 * np.dot(z, z) - logabsdet


def gaussian_loglik_twin(k, y):
    l = jnp.linalg.cholesky(jsym(k))
    z = jnp.linalg.solve(l, y)
    _, logabsdet = jnp.linalg.slogdet(l)
    return -0.5 * jnp.dot(z, z) - logabsdet


@pytest.mark.parametrize("dtype", DTYPES)
def test_cholesky(dtype):
    check_twin(chol_sines, chol_sines_twin, [spd(4)], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_gaussian_loglik(dtype):
    check_twin(gaussian_loglik, gaussian_loglik_twin, [spd(4), general((4,), 3)], dtype)


# -- qr -----------------------------------------------------------------------------------------------------------


def qr_weighted(a):
    q, r = np.linalg.qr(a)
    return np.sum(np.sin(q)) + np.sum(r * r * r)


def qr_weighted_twin(a):
    q, r = jnp.linalg.qr(a)
    return jnp.sum(jnp.sin(q)) + jnp.sum(r * r * r)


def qr_r_only(a):
    return np.sum(np.cos(np.linalg.qr(a, mode="r")))


def qr_r_only_twin(a):
    return jnp.sum(jnp.cos(jnp.linalg.qr(a, mode="r")))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(5, 3), (4, 4), (3, 5)])
def test_qr(dtype, shape):
    check_twin(qr_weighted, qr_weighted_twin, [general(shape)], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_qr_r(dtype):
    check_twin(qr_r_only, qr_r_only_twin, [general((4, 3))], dtype)


# -- eigh ---------------------------------------------------------------------------------------------------------


def eigh_lower(x):
    w, v = np.linalg.eigh(sym(x))
    return np.sum(w * np.arange(1.0, 5.0)) + np.sum(v * v * np.arange(16.0).reshape(4, 4))


def eigh_lower_twin(x):
    w, v = jnp.linalg.eigh(jsym(x))
    return jnp.sum(w * jnp.arange(1.0, 5.0)) + jnp.sum(v * v * jnp.arange(16.0).reshape(4, 4))


def eigh_upper(x):
    w, v = np.linalg.eigh(sym(x), "U")
    return np.sum(np.exp(w / 10)) + np.sum((v[:, 0] * v[:, 1]) ** 2)


def eigh_upper_twin(x):
    w, v = jnp.linalg.eigh(jsym(x), "U")
    return jnp.sum(jnp.exp(w / 10)) + jnp.sum((v[:, 0] * v[:, 1]) ** 2)


def eigvalsh_energy(x):
    return np.sum(np.linalg.eigvalsh(x @ x.T) ** 2)


def eigvalsh_energy_twin(x):
    return jnp.sum(jnp.linalg.eigvalsh(x @ x.T) ** 2)


@pytest.mark.parametrize("dtype", DTYPES)
def test_eigh(dtype):
    check_twin(eigh_lower, eigh_lower_twin, [general((4, 4))], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_eigh_upper(dtype):
    check_twin(eigh_upper, eigh_upper_twin, [general((3, 3))], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_eigvalsh(dtype):
    check_twin(eigvalsh_energy, eigvalsh_energy_twin, [general((3, 4))], dtype)


# -- svd ------------------------------------------------------------------------------------------------------------


def svd_reduced(a):
    u, s, vt = np.linalg.svd(a, full_matrices=False)
    return np.sum(s ** 2) + np.sum(u * u * a[:, :1]) + np.sum(vt * vt * a[:1, :].T[: vt.shape[0]])


def svd_reduced_twin(a):
    u, s, vt = jnp.linalg.svd(a, full_matrices=False)
    return jnp.sum(s ** 2) + jnp.sum(u * u * a[:, :1]) + jnp.sum(vt * vt * a[:1, :].T[: vt.shape[0]])


def svd_values(a):
    return np.sum(np.exp(np.linalg.svd(a, compute_uv=False)))


def svd_values_twin(a):
    return jnp.sum(jnp.exp(jnp.linalg.svd(a, compute_uv=False)))


def svd_reconstruct(a):
    u, s, vt = np.linalg.svd(a)
    return np.sum(np.sin((u * s) @ vt))


def svd_reconstruct_twin(a):
    u, s, vt = jnp.linalg.svd(a)
    return jnp.sum(jnp.sin((u * s) @ vt))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(5, 3), (3, 3), (3, 5)])
def test_svd(dtype, shape):
    check_twin(svd_reduced, svd_reduced_twin, [general(shape)], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(4, 3), (3, 4)])
def test_svd_values(dtype, shape):
    check_twin(svd_values, svd_values_twin, [general(shape)], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_svd_square_full(dtype):
    check_twin(svd_reconstruct, svd_reconstruct_twin, [general((3, 3))], dtype)


# -- pinv -----------------------------------------------------------------------------------------------------------


def pinv_fit(a, y):
    return np.sum((np.linalg.pinv(a) @ y) ** 2)


def pinv_fit_twin(a, y):
    return jnp.sum((jnp.linalg.pinv(a) @ y) ** 2)


@pytest.mark.parametrize("dtype", DTYPES)
def test_pinv(dtype):
    check_twin(pinv_fit, pinv_fit_twin, [general((5, 3)), general((5,), 2)], dtype)
