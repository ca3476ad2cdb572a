"""What np.linalg in dp refuses or reports: typed errors at the user's line, LinAlgError for matrices LAPACK rejects."""

from __future__ import annotations

import numpy as np
import pytest

import dp

HERE = __file__


def solve_singular(a, b):
    return np.linalg.solve(a, b)


def inv_singular(a):
    return np.linalg.inv(a)


def cholesky_indefinite(a):
    return np.linalg.cholesky(a)


def det_singular(a):
    return np.linalg.det(a)


def test_solve_of_a_singular_matrix_raises_linalg_error_at_the_call():
    with pytest.raises(np.linalg.LinAlgError) as info:
        dp.compile(solve_singular)(np.ones((3, 3)), np.ones(3))
    assert isinstance(info.value, dp.errors.LinAlgError)
    assert "Singular matrix" in str(info.value)
    assert info.value.filename == HERE and "np.linalg.solve(a, b)" in info.value.source_line


def test_inv_of_a_singular_matrix_raises_in_the_gradient_too():
    with pytest.raises(dp.errors.LinAlgError, match="Singular matrix"):
        dp.grad(lambda a: np.sum(inv_singular(a)))(np.zeros((2, 2)))


def test_cholesky_of_an_indefinite_matrix():
    with pytest.raises(dp.errors.LinAlgError, match="not positive definite") as info:
        dp.compile(cholesky_indefinite)(np.diag([1.0, -1.0]))
    assert "np.linalg.cholesky(a)" in info.value.source_line


def test_det_of_a_singular_matrix_is_zero_as_in_numpy():
    assert dp.compile(det_singular)(np.ones((3, 3))) == pytest.approx(np.linalg.det(np.ones((3, 3))), abs=1e-12)


def test_a_matrix_norm_order_numpy_rejects():
    def bad(x):
        return np.linalg.norm(x, 3)

    with pytest.raises(dp.UnsupportedSyntaxError, match="ord=3 is not a matrix norm") as info:
        dp.compile(bad)(np.ones((2, 2)))
    assert info.value.filename == HERE and "np.linalg.norm(x, 3)" in info.value.source_line


def test_a_string_order_of_a_vector_norm():
    def bad(x):
        return np.linalg.norm(x, "nuc")

    with pytest.raises(dp.UnsupportedSyntaxError, match="'nuc' is a matrix norm"):
        dp.compile(bad)(np.ones(3))


def test_solve_shapes_that_do_not_fit():
    def bad(a, b):
        return np.linalg.solve(a, b)

    with pytest.raises(dp.ShapeError, match="does not fit") as info:
        dp.compile(bad)(np.eye(3), np.ones(4))
    assert info.value.filename == HERE


def test_a_non_square_matrix_to_inv():
    def bad(a):
        return np.linalg.inv(a)

    with pytest.raises(dp.ShapeError, match="must be square"):
        dp.compile(bad)(np.ones((2, 3)))


def test_qr_raw_mode_is_unsupported():
    def bad(a):
        return np.linalg.qr(a, mode="raw")

    with pytest.raises(dp.UnsupportedSyntaxError, match="mode='raw'"):
        dp.compile(bad)(np.ones((3, 2)))


def full_svd(a):
    u, s, vt = np.linalg.svd(a)
    return np.sum(u) + np.sum(vt)


def test_full_svd_of_a_non_square_matrix_computes_but_has_no_derivative():
    a = np.random.default_rng(0).standard_normal((4, 2))
    u, s, vt = dp.compile(lambda a: np.linalg.svd(a))(a)
    np.testing.assert_allclose(s, np.linalg.svd(a)[1], rtol=1e-12)
    np.testing.assert_allclose(np.abs(u.T @ u), np.eye(4), atol=1e-12)
    with pytest.raises(dp.NotDifferentiableError, match="full_matrices=True"):
        dp.grad(full_svd)(a)


def complete_qr(a):
    q, r = np.linalg.qr(a, mode="complete")
    return np.sum(q)


def test_complete_qr_of_a_tall_matrix_has_no_derivative():
    a = np.random.default_rng(1).standard_normal((4, 2))
    q, r = dp.compile(lambda a: np.linalg.qr(a, mode="complete"))(a)
    np.testing.assert_allclose(q @ r, a, atol=1e-12)
    with pytest.raises(dp.NotDifferentiableError, match="mode='complete'"):
        dp.grad(complete_qr)(a)


def test_np_linalg_eig_is_an_unsupported_function():
    def bad(a):
        return np.linalg.eig(a)

    with pytest.raises(dp.UnsupportedSyntaxError, match="np.linalg.eig is not supported"):
        dp.compile(bad)(np.eye(2))


def test_dp_keeps_scipy_linalg_working_in_the_process():
    """dp loads numpy's ILP64 OpenBLAS into its JIT privately: scipy's own LAPACK still works after."""
    scipy_linalg = pytest.importorskip("scipy.linalg")
    a = np.random.default_rng(2).standard_normal((5, 3))
    dp.compile(lambda a: np.linalg.svd(a, compute_uv=False))(a)
    np.testing.assert_allclose(scipy_linalg.svd(a, compute_uv=False), np.linalg.svd(a, compute_uv=False), rtol=1e-12)


def test_rfft_of_a_complex_array():
    def bad(x):
        return np.fft.rfft(x * 1j)

    with pytest.raises(dp.TypeMismatchError, match="takes a real array") as info:
        dp.compile(bad)(np.ones(4))
    assert info.value.filename == HERE


def test_an_fft_norm_numpy_rejects():
    def bad(x):
        return np.fft.fft(x, norm="unitary")

    with pytest.raises(dp.UnsupportedSyntaxError, match="invalid norm 'unitary'"):
        dp.compile(bad)(np.ones(4))


def test_an_fft_length_that_is_not_positive():
    def bad(x):
        return np.fft.fft(x, n=0)

    with pytest.raises(dp.ShapeError, match="invalid number of data points"):
        dp.compile(bad)(np.ones(4))


def test_linalg_of_complex_matrices_is_a_typed_error():
    def bad(x):
        return np.linalg.inv(x * 1j)

    with pytest.raises(dp.UnsupportedSyntaxError, match="np.linalg.inv of complex"):
        dp.compile(bad)(np.eye(2))
