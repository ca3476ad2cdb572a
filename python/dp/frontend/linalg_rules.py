"""np.linalg's matrix functions as compiled Python with their derivative rules (for single 2-D matrices).

dp compiles this module's functions like user code. Each `Primitive` calls
a LAPACK primitive (dp.frontend.lapack_calls) and carries both a reverse
rule (dp.custom_vjp's fwd/bwd) and a forward rule (a JVP), so dp-autodiff
never looks inside the factorization: reverse mode uses the VJP, forward
mode the JVP. The rules are written with the primitives themselves (a
solve's adjoint is a transposed solve), so every derivative of any order
is again made of rule-carrying calls. dp.frontend.linalg checks the user's
arguments, batches stacked matrices and reports LAPACK's failures.

The rules are the standard ones (e.g. Giles 2008, Murray 2016, Townsend
2016): with S = sym(dA) = (dA + dAᵀ)/2 where the function reads one
triangle of a symmetric matrix (cholesky, eigh), as jax.numpy does, and
F[i, j] = 1/(λⱼ - λᵢ) (eigh) or 1/(sⱼ² - sᵢ²) (svd) off the diagonal.
Each VJP is the exact transpose of its JVP, so both modes agree.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from dp.custom import custom_vjp
from dp.errors import TypeMismatchError
from dp.frontend import lapack_calls as lapack


class Primitive(custom_vjp):
    """A function with a reverse rule (defvjp) and a forward rule (defjvp), which dp-autodiff uses per mode."""

    def __init__(self, fun: Callable, nondiff_argnums: int | Sequence[int] = ()) -> None:
        super().__init__(fun, nondiff_argnums)
        self.forward_rule: Callable | None = None

    def defjvp(self, jvp: Callable) -> Callable:
        """Sets the forward rule, `jvp(primals, tangents) -> (outputs, output tangents)`."""
        self.forward_rule = jvp
        return jvp


class NoDerivative(custom_vjp):
    """A function dp computes but does not differentiate: a derivative reaching it is an error with `why`."""

    def __init__(self, fun: Callable, why: str) -> None:
        super().__init__(fun)
        self.why = why

    def rule_functions(self) -> tuple[Callable, ...]:
        raise TypeMismatchError(self.why)


# -- helpers (compiled) ------------------------------------------------------------------------------------


def _eye(x):
    """The identity of x's leading size and dtype."""
    return np.eye(x.shape[0], dtype=x.dtype)


def _diag(x):
    """The diagonal of a square matrix."""
    return np.sum(x * _eye(x), axis=1)


def _diagm(v):
    """The square matrix with `v` on its diagonal."""
    return v[:, None] * _eye(v)


def _trace(x):
    return np.sum(x * _eye(x))


def _lower(x, k):
    """np.tril(x, k)."""
    keep = np.arange(x.shape[0])[:, None] + k >= np.arange(x.shape[1])[None, :]
    return np.where(keep, x, np.zeros_like(x))


def _upper(x):
    """np.triu(x)."""
    keep = np.arange(x.shape[0])[:, None] <= np.arange(x.shape[1])[None, :]
    return np.where(keep, x, np.zeros_like(x))


def _sym(x):
    return (x + x.T) * 0.5


def _triangle(x, lower):
    """The symmetric matrix LAPACK's eigh sees in `x`: one triangle mirrored (the other is never read)."""
    if lower:
        return np.tril(x) + np.tril(x, -1).T
    return np.triu(x) + np.triu(x, 1).T


def _triangle_transpose(g, lower):
    """The adjoint of _triangle: a mirrored entry gathers both cotangents, the unread triangle none."""
    both = g + g.T
    if lower:
        return np.tril(both, -1) + np.diag(np.diag(g))
    return np.triu(both, 1) + np.diag(np.diag(g))


def _phi(x):
    """The lower triangle of x with its diagonal halved (Cholesky's rule)."""
    return _lower(x, -1) + 0.5 * _diagm(_diag(x))


def _gaps(values, squared):
    """F[i, j] = 1/(vⱼ - vᵢ) (of the squares when `squared`) off the diagonal, 0 on it."""
    v = values * values if squared else values
    eye = _eye(v)
    return (1.0 - eye) / (v[None, :] - v[:, None] + eye)


# -- solve ------------------------------------------------------------------------------------------------------


def _solve(a, b):
    return lapack.GESV(a, b)


solve = Primitive(_solve)


def _solve_fwd(a, b):
    x, info = solve(a, b)
    return (x, info), (a, x)


def _solve_bwd(residuals, cotangent):
    a, x = residuals
    gb, info = solve(a.T, cotangent[0])
    return -(gb @ x.T), gb


def _solve_jvp(primals, tangents):
    a, b = primals
    da, db = tangents
    x, info = solve(a, b)
    dx, info_dx = solve(a, db - da @ x)
    return (x, info), (dx, None)


solve.defvjp(_solve_fwd, _solve_bwd)
solve.defjvp(_solve_jvp)


# -- inv --------------------------------------------------------------------------------------------------------


def _inv(a):
    return lapack.GESV(a, _eye(a))


inv = Primitive(_inv)


def _inv_fwd(a):
    y, info = inv(a)
    return (y, info), y


def _inv_bwd(y, cotangent):
    return (-(y.T @ cotangent[0] @ y.T),)


def _inv_jvp(primals, tangents):
    y, info = inv(primals[0])
    return (y, info), (-(y @ tangents[0] @ y), None)


inv.defvjp(_inv_fwd, _inv_bwd)
inv.defjvp(_inv_jvp)


# -- det and slogdet --------------------------------------------------------------------------------------------


def _lu_parts(a):
    """The diagonal of U and the sign of the row permutation of a's LU factors."""
    lu, pivots, info = lapack.GETRF(a)
    swaps = np.sum(pivots != np.arange(1, a.shape[0] + 1))
    return _diag(lu), 1.0 - 2.0 * (swaps % 2)


def _det(a):
    u, sign = _lu_parts(a)
    return sign * np.prod(u)


det = Primitive(_det)


def _det_fwd(a):
    d = det(a)
    return d, (a, d)


def _det_bwd(residuals, g):
    a, d = residuals
    y, info = inv(a)
    return (g * d * y.T,)


def _det_jvp(primals, tangents):
    a = primals[0]
    d = det(a)
    z, info = solve(a, tangents[0])
    return d, d * _trace(z)


det.defvjp(_det_fwd, _det_bwd)
det.defjvp(_det_jvp)


def _slogdet(a):
    u, sign = _lu_parts(a)
    return sign * np.prod(np.sign(u)), np.sum(np.log(np.abs(u)))


slogdet = Primitive(_slogdet)


def _slogdet_fwd(a):
    out = slogdet(a)
    return out, a


def _slogdet_bwd(a, cotangent):
    y, info = inv(a)
    return (cotangent[1] * y.T,)


def _slogdet_jvp(primals, tangents):
    a = primals[0]
    out = slogdet(a)
    z, info = solve(a, tangents[0])
    return out, (0.0, _trace(z))


slogdet.defvjp(_slogdet_fwd, _slogdet_bwd)
slogdet.defjvp(_slogdet_jvp)


# -- cholesky ---------------------------------------------------------------------------------------------------


def _cholesky(a):
    l, info = lapack.POTRF(a)
    return _lower(l, 0), info


cholesky = Primitive(_cholesky)


def _cholesky_fwd(a):
    l, info = cholesky(a)
    return (l, info), l


def _cholesky_bwd(l, cotangent):
    p = _phi(l.T @ cotangent[0])
    z, info = solve(l.T, p)  # L⁻ᵀ P
    w, info_w = solve(l.T, z.T)  # (L⁻ᵀ P L⁻¹)ᵀ
    return (_sym(w),)


def _cholesky_jvp(primals, tangents):
    l, info = cholesky(primals[0])
    y, info_y = solve(l, _sym(tangents[0]))  # L⁻¹ S
    x, info_x = solve(l, y.T)  # (L⁻¹ S L⁻ᵀ)ᵀ, symmetric
    return (l, info), (l @ _phi(x.T), None)


cholesky.defvjp(_cholesky_fwd, _cholesky_bwd)
cholesky.defjvp(_cholesky_jvp)


# -- qr (m >= n; a wide matrix is split) -------------------------------------------------------------------------


def _qr(a):
    n = a.shape[1]
    q, factored, info = lapack.GEQRF_ORGQR(a, n)
    return q, _upper(factored[:n])


qr = Primitive(_qr)


def _qr_fwd(a):
    q, r = qr(a)
    return (q, r), (q, r)


def _qr_bwd(residuals, cotangent):
    q, r = residuals
    qb, rb = cotangent
    m = rb @ r.T - q.T @ qb
    n = m - _lower(m, -1) + _lower(m.T, -1)
    xt, info = solve(r, (qb + q @ n).T)
    return (xt.T,)


def _qr_jvp(primals, tangents):
    q, r = qr(primals[0])
    bt, info = solve(r.T, tangents[0].T)  # (dA R⁻¹)ᵀ
    b = bt.T
    c = q.T @ b
    low = _lower(c, -1)
    omega = low - low.T
    return (q, r), (q @ (omega - c) + b, (c - omega) @ r)


qr.defvjp(_qr_fwd, _qr_bwd)
qr.defjvp(_qr_jvp)


def qr_wide(a):
    """The QR decomposition of a wide [X | Y] (X square): Q [R_X | Qᵀ Y], differentiable through X's."""
    m = a.shape[0]
    q, r_left = qr(a[:, :m])
    return q, np.concatenate([r_left, q.T @ a[:, m:]], axis=1)


def _qr_complete(a):
    m = a.shape[0]
    q, factored, info = lapack.GEQRF_ORGQR(a, m)
    return q, _upper(factored)


qr_complete = NoDerivative(
    _qr_complete,
    "np.linalg.qr(a, mode='complete') of a tall matrix has no derivative: the columns of Q beyond a's are not "
    "unique (use mode='reduced')",
)


# -- eigh --------------------------------------------------------------------------------------------------------


def _eigh(a, lower):
    return lapack.SYEVD(a, lower)


eigh = Primitive(_eigh, nondiff_argnums=(1,))


def _eigh_fwd(a, lower):
    w, v, info = eigh(a, lower)
    return (w, v, info), (w, v)


def _eigh_bwd(lower, residuals, cotangent):
    w, v = residuals
    k = _diagm(cotangent[0]) + _gaps(w, False) * (v.T @ cotangent[1])
    return (_triangle_transpose(_sym(v @ k @ v.T), lower),)


def _eigh_jvp(lower, primals, tangents):
    w, v, info = eigh(primals[0], lower)
    s = v.T @ _triangle(tangents[0], lower) @ v
    return (w, v, info), (_diag(s), v @ (_gaps(w, False) * s), None)


eigh.defvjp(_eigh_fwd, _eigh_bwd)
eigh.defjvp(_eigh_jvp)


# -- svd ---------------------------------------------------------------------------------------------------------


def _svd(a):
    return lapack.GESDD(a, False, True)


svd = Primitive(_svd)  # the reduced SVD (u m x k, vt k x n); for a square matrix also the full one


def _svd_fwd(a):
    u, s, vt, info = svd(a)
    return (u, s, vt, info), (u, s, vt)


def _svd_bwd(residuals, cotangent):
    u, s, vt = residuals
    ub, sb, vtb = cotangent[0], cotangent[1], cotangent[2]
    v, vb = vt.T, vtb.T
    f = _gaps(s, True)
    gu = f * (u.T @ ub)
    gv = f * (v.T @ vb)
    d = _diagm(sb) + (gu + gu.T) * s[None, :] + s[:, None] * (gv + gv.T)
    ga = u @ d @ vt
    if u.shape[0] > s.shape[0]:
        ga = ga + ((ub - u @ (u.T @ ub)) / s[None, :]) @ vt
    if vt.shape[1] > s.shape[0]:
        ga = ga + u @ ((vb - v @ (v.T @ vb)) / s[None, :]).T
    return (ga,)


def _svd_jvp(primals, tangents):
    u, s, vt, info = svd(primals[0])
    da = tangents[0]
    v = vt.T
    ds = u.T @ da @ v
    f = _gaps(s, True)
    du = u @ (f * (ds * s[None, :] + s[:, None] * ds.T))
    dv = v @ (f * (s[:, None] * ds + ds.T * s[None, :]))
    if u.shape[0] > s.shape[0]:
        dav = da @ v
        du = du + (dav - u @ (u.T @ dav)) / s[None, :]
    if vt.shape[1] > s.shape[0]:
        dau = da.T @ u
        dv = dv + (dau - v @ (v.T @ dau)) / s[None, :]
    return (u, s, vt, info), (du, _diag(ds), dv.T, None)


svd.defvjp(_svd_fwd, _svd_bwd)
svd.defjvp(_svd_jvp)


def _svd_wide_full(a):
    return lapack.GESDD(a, True, True)


svd_full = NoDerivative(
    _svd_wide_full,
    "np.linalg.svd(a, full_matrices=True) of a non-square matrix has no derivative: the singular vectors beyond "
    "min(m, n) are not unique (pass full_matrices=False)",
)


def _svd_values(a):
    u, s, vt, info = lapack.GESDD(a, False, False)
    return s, info


svd_values = Primitive(_svd_values)


def _svd_values_fwd(a):
    s, info = svd_values(a)
    u, s_again, vt, info_uv = svd(a)
    return (s, info), (u, vt)


def _svd_values_bwd(residuals, cotangent):
    u, vt = residuals
    return ((u * cotangent[0][None, :]) @ vt,)


def _svd_values_jvp(primals, tangents):
    a = primals[0]
    s, info = svd_values(a)
    u, s_again, vt, info_uv = svd(a)
    return (s, info), (_diag(u.T @ tangents[0] @ vt.T), None)


svd_values.defvjp(_svd_values_fwd, _svd_values_bwd)
svd_values.defjvp(_svd_values_jvp)


# -- pinv ---------------------------------------------------------------------------------------------------------


def _pinv(a, rcond):
    u, s, vt, info = svd(a)
    keep = s > rcond * np.max(s)
    s_inv = np.where(keep, 1.0 / np.where(keep, s, np.ones_like(s)), np.zeros_like(s))
    return (vt.T * s_inv[None, :]) @ u.T


pinv = Primitive(_pinv, nondiff_argnums=(1,))


def _pinv_fwd(a, rcond):
    p = pinv(a, rcond)
    return p, (a, p)


def _pinv_tangent(a, p, da):
    """The derivative of the pseudo-inverse along da at constant rank (Golub and Pereyra 1973)."""
    left = _eye(a.T) - p @ a
    right = _eye(a) - a @ p
    return -(p @ da @ p) + p @ p.T @ da.T @ right + left @ da.T @ p.T @ p


def _pinv_bwd(rcond, residuals, g):
    a, p = residuals
    left = _eye(a.T) - p @ a
    right = _eye(a) - a @ p
    return (-(p.T @ g @ p.T) + right @ g.T @ p @ p.T + p.T @ p @ g.T @ left,)


def _pinv_jvp(rcond, primals, tangents):
    a = primals[0]
    p = pinv(a, rcond)
    return p, _pinv_tangent(a, p, tangents[0])


pinv.defvjp(_pinv_fwd, _pinv_bwd)
pinv.defjvp(_pinv_jvp)

__all__ = [
    "NoDerivative",
    "Primitive",
    "cholesky",
    "det",
    "eigh",
    "inv",
    "pinv",
    "qr",
    "qr_complete",
    "qr_wide",
    "slogdet",
    "solve",
    "svd",
    "svd_full",
    "svd_values",
]
