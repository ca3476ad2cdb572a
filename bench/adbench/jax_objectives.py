"""jax.numpy twins of objectives.py, written the way a JAX user would (jnp, vmap, fancy indexing).

Each returns the same value as its numpy twin (to rounding); run.py and the tests check it.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.special import gammaln, logsumexp

jax.config.update("jax_enable_x64", True)


# -- GMM -----------------------------------------------------------------------------------------


def _lower_triangle(d):
    """Rows and columns of the strict lower triangle, column by column (ADBench's icf order)."""
    rows, cols = np.tril_indices(d, -1)
    order = np.lexsort((rows, cols))
    return rows[order], cols[order]


def gmm_objective(alphas, means, icf, x, wishart_gamma, wishart_m):
    n, d = x.shape
    k = alphas.shape[0]
    qdiags = jnp.exp(icf[:, :d])
    sum_qs = jnp.sum(icf[:, :d], axis=1)
    rows, cols = _lower_triangle(d)
    ls = jnp.zeros((k, d, d)).at[:, rows, cols].set(icf[:, d:]) + jax.vmap(jnp.diag)(qdiags)
    xcentered = x[:, None, :] - means[None, :, :]
    z = jnp.einsum("kjl,nkl->nkj", ls, xcentered)
    inner = alphas + sum_qs - 0.5 * jnp.sum(z * z, axis=2)
    nw = d + wishart_m + 1
    frobenius = jnp.sum(qdiags * qdiags, axis=1) + jnp.sum(icf[:, d:] ** 2, axis=1)
    out = jnp.sum(0.5 * wishart_gamma**2 * frobenius - wishart_m * sum_qs)
    log_gamma_distrib = 0.25 * d * (d - 1) * math.log(math.pi) + jnp.sum(
        gammaln(0.5 * nw + 0.5 * (1 - jnp.arange(1, d + 1)))
    )
    c = nw * d * (jnp.log(wishart_gamma) - 0.5 * math.log(2.0)) - log_gamma_distrib
    constant = -n * d * 0.5 * math.log(2.0 * math.pi)
    return constant + jnp.sum(logsumexp(inner, axis=1)) - n * logsumexp(alphas) + out - k * c


# -- BA (per observation, vmapped) ---------------------------------------------------------------


def _rodrigues_rotate_point(rot, x):
    sqtheta = jnp.sum(rot * rot)
    nonzero = sqtheta != 0.0
    theta = jnp.sqrt(jnp.where(nonzero, sqtheta, 1.0))
    w = rot / theta
    rotated = x * jnp.cos(theta) + jnp.cross(w, x) * jnp.sin(theta) + w * (jnp.dot(w, x) * (1.0 - jnp.cos(theta)))
    return jnp.where(nonzero, rotated, x + jnp.cross(rot, x))


def _project(cam, x):
    xcam = _rodrigues_rotate_point(cam[0:3], x - cam[3:6])
    proj = xcam[0:2] / xcam[2]
    rsq = jnp.sum(proj * proj)
    distorted = proj * (1.0 + cam[9] * rsq + cam[10] * rsq * rsq)
    return distorted * cam[6] + cam[7:9]


def reprojection_error(cam, x, w, feat):
    """One observation: cam (11), x (3), w (), feat (2) -> (2)."""
    return w * (_project(cam, x) - feat)


def ba_objective(cams, points, w, obs, feats):
    """Same layout as the numpy twin: reprojection errors (2, p), weight errors (p)."""
    reproj = jax.vmap(reprojection_error)(cams[obs[:, 0]], points[obs[:, 1]], w, feats)
    return reproj.T, 1.0 - w * w


def ba_half_squared_norm(cams, points, w, obs, feats):
    reproj, w_err = ba_objective(cams, points, w, obs, feats)
    return 0.5 * (jnp.sum(reproj * reproj) + jnp.sum(w_err * w_err))


def _ba_blocks(jacobian, cams, points, w, obs, feats):
    jac = jax.vmap(jacobian(reprojection_error, argnums=(0, 1, 2)))(cams[obs[:, 0]], points[obs[:, 1]], w, feats)
    blocks = jnp.concatenate([jac[0], jac[1], jac[2][:, :, None]], axis=2)
    weights = jax.vmap(jax.grad(lambda w: 1.0 - w * w))(w)
    return blocks, weights


def ba_jacobian_blocks(cams, points, w, obs, feats):
    """Per observation, the 2 x 15 block of the reprojection error's Jacobian (columns: the 11
    camera parameters, the 3 point coordinates, the weight), and the weight errors' derivatives;
    vmap of jacrev (two reverse sweeps per observation)."""
    return _ba_blocks(jax.jacrev, cams, points, w, obs, feats)


def ba_jacobian_blocks_fwd(cams, points, w, obs, feats):
    """The same by vmap of jacfwd (15 tangents per observation)."""
    return _ba_blocks(jax.jacfwd, cams, points, w, obs, feats)


# -- LSTM ----------------------------------------------------------------------------------------


def _lstm_model(weight, bias, hidden, cell, inp):
    gates = jnp.concatenate((inp, hidden, inp, hidden)) * weight + bias
    b = hidden.shape[0]
    forget = jax.nn.sigmoid(gates[0:b])
    ingate = jax.nn.sigmoid(gates[b : 2 * b])
    outgate = jax.nn.sigmoid(gates[2 * b : 3 * b])
    change = jnp.tanh(gates[3 * b :])
    cell = cell * forget + ingate * change
    hidden = outgate * jnp.tanh(cell)
    return hidden, cell


def _lstm_predict(main_params, extra_params, state, x):
    x = x * extra_params[0]
    rows = []
    for i in range(0, state.shape[0], 2):
        hidden, cell = _lstm_model(main_params[i], main_params[i + 1], state[i], state[i + 1], x)
        rows += [hidden, cell]
        x = hidden
    return x * extra_params[1] + extra_params[2], jnp.stack(rows)


def lstm_objective(main_params, extra_params, state, sequence):
    """The loop over characters as lax.scan (a Python loop would unroll 1023 steps under jit)."""

    def step(state, pair):
        inp, ygold = pair
        ypred, state = _lstm_predict(main_params, extra_params, state, inp)
        ynorm = ypred - jnp.log(jnp.sum(jnp.exp(ypred)) + 2.0)
        return state, jnp.sum(ygold * ynorm)

    _, totals = jax.lax.scan(step, state, (sequence[:-1], sequence[1:]))
    count = (sequence.shape[0] - 1) * sequence.shape[1]
    return -jnp.sum(totals) / count


# -- MLP -----------------------------------------------------------------------------------------


def mlp_loss(params, x, labels):
    w1, b1, w2, b2 = params
    hidden = jnp.tanh(x @ w1 + b1)
    logits = hidden @ w2 + b2
    return -jnp.sum(jax.nn.log_softmax(logits, axis=1) * labels) / x.shape[0]
