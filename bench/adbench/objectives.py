"""The ADBench objectives as plain numpy, the code dp compiles and differentiates.

Each objective follows ADBench's definition (Srajer, Kukelova, Fitzgibbon:
"A benchmark of selected algorithmic differentiation tools on some problems
in computer vision and machine learning", 2018; the Python/autograd and C++
reference implementations of github.com/microsoft/ADBench). numpy runs the
same functions unchanged (the tests use that: numpy value == dp value).

Where dp lacks a construct the reference code uses, the function is written
the way a numpy user could write it instead; each such place says so
(`dp:`), and bench/adbench/README.md lists them.
"""

from __future__ import annotations

import math

import numpy as np

# -- GMM: Gaussian mixture with a log-Wishart prior ------------------------------------------------


def log_gamma_half(x):
    """log Gamma(x) for x a positive multiple of 1/2, by Gamma(x + 1) = x Gamma(x).

    dp: there is no math.lgamma / scipy.special.gammaln; the prior only needs
    it at (d + m + 1 - j) / 2 for an integer Wishart m, a multiple of 1/2.
    """
    r = 0.0
    while x > 1.0:
        x -= 1.0
        r += math.log(x)
    if x == 0.5:
        r += 0.5 * math.log(math.pi)
    return r


def log_wishart_prior(wishart_gamma, wishart_m, sum_qs, qdiags, icf):
    # dp: d comes from a shape here: passed in as an int argument (ADBench's `p`), it would be a
    # runtime value in this helper, and `icf[:, d:]` needs a compile-time start.
    k, d = qdiags.shape
    n = d + wishart_m + 1
    frobenius = np.sum(qdiags * qdiags, axis=1) + np.sum(icf[:, d:] * icf[:, d:], axis=1)
    out = np.sum(0.5 * wishart_gamma * wishart_gamma * frobenius - wishart_m * sum_qs)
    log_gamma_distrib = 0.25 * d * (d - 1) * math.log(math.pi)
    for j in range(1, d + 1):
        log_gamma_distrib += log_gamma_half(0.5 * n + 0.5 * (1 - j))
    c = n * d * (math.log(wishart_gamma) - 0.5 * math.log(2.0)) - log_gamma_distrib
    return out - k * c


def gmm_objective(alphas, means, icf, x, wishart_gamma, wishart_m):
    """ADBench's GMM objective: alphas (k), means (k, d), icf (k, d(d+1)/2): per component the
    log of the diagonal of the inverse-covariance factor L, then its strict lower triangle
    column by column; x (n, d); the Wishart prior's gamma (float) and m (int)."""
    n, d = x.shape
    k = alphas.shape[0]
    qdiags = np.exp(icf[:, :d])
    sum_qs = np.sum(icf[:, :d], axis=1)
    inner = np.zeros((k, n))
    for c in range(k):
        # lt = L_c transposed (lt[l, j] = L_c[j, l]), built by an index loop from icf.
        lt = np.zeros((d, d))
        idx = d
        for i in range(d):
            lt[i, i] = qdiags[c, i]
            for j in range(i + 1, d):
                lt[i, j] = icf[c, idx]
                idx += 1
        z = x @ lt - means[c] @ lt  # rows: L_c (x_i - mu_c)
        inner[c] = alphas[c] + sum_qs[c] - 0.5 * np.sum(z * z, axis=1)
    m = np.max(inner, axis=0)
    lse = np.log(np.sum(np.exp(inner - m), axis=0)) + m
    am = np.max(alphas)
    lse_alphas = np.log(np.sum(np.exp(alphas - am))) + am
    constant = -n * d * 0.5 * math.log(2.0 * math.pi)
    prior = log_wishart_prior(wishart_gamma, wishart_m, sum_qs, qdiags, icf)
    return constant + np.sum(lse) - n * lse_alphas + prior


# -- BA: bundle adjustment ----------------------------------------------------------------------
#
# The projection is written once for a batch of observations stored column-wise (a camera is
# cam[:, i], 11 rows: rotation (3, Rodrigues), center (3), focal length, principal point (2),
# radial distortion (2)); with 1-D arguments it is ADBench's per-observation function.


def cross(a, b):
    return np.stack(
        [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
    )


def rodrigues_rotate_point(rot, x):
    sqtheta = np.sum(rot * rot, axis=0)
    nonzero = sqtheta != 0.0
    theta = np.sqrt(np.where(nonzero, sqtheta, 1.0))
    costheta = np.cos(theta)
    sintheta = np.sin(theta)
    w = rot / theta
    tmp = np.sum(w * x, axis=0) * (1.0 - costheta)
    rotated = x * costheta + cross(w, x) * sintheta + w * tmp
    return np.where(nonzero, rotated, x + cross(rot, x))


def radial_distort(rad_params, proj):
    rsq = np.sum(proj * proj, axis=0)
    return proj * (1.0 + rad_params[0] * rsq + rad_params[1] * rsq * rsq)


def project(cam, x):
    xcam = rodrigues_rotate_point(cam[0:3], x - cam[3:6])
    distorted = radial_distort(cam[9:11], xcam[0:2] / xcam[2])
    return distorted * cam[6] + cam[7:9]


def reprojection_error(cam, x, w, feat):
    """Weighted reprojection errors: cam (11, p), x (3, p), w (p), feat (2, p) -> (2, p)."""
    return w * (project(cam, x) - feat)


def gather_observations(cams, points, obs):
    """The camera (11, p) and point (3, p) of each observation, column-wise.

    dp: numpy's `cams[obs[:, 0]].T` (indexing with an array) is not supported: an index loop.
    """
    p = obs.shape[0]
    cam = np.zeros((11, p))
    x = np.zeros((3, p))
    for i in range(p):
        c = obs[i, 0]
        q = obs[i, 1]
        for j in range(11):
            cam[j, i] = cams[c, j]
        for j in range(3):
            x[j, i] = points[q, j]
    return cam, x


def ba_objective(cams, points, w, obs, feats):
    """ADBench's BA residuals: cams (n, 11), points (m, 3), w (p), obs (p, 2) int, feats (p, 2)
    -> reprojection errors (2, p) and weight errors 1 - w^2 (p)."""
    cam, x = gather_observations(cams, points, obs)
    return reprojection_error(cam, x, w, feats.T), 1.0 - w * w


def ba_half_squared_norm(cams, points, w, obs, feats):
    """1/2 ||r||^2 of the BA residual vector (the least-squares cost)."""
    reproj, w_err = ba_objective(cams, points, w, obs, feats)
    return 0.5 * (np.sum(reproj * reproj) + np.sum(w_err * w_err))


# -- LSTM ---------------------------------------------------------------------------------------


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def lstm_model(weight, bias, hidden, cell, inp):
    gates = np.concatenate((inp, hidden, inp, hidden)) * weight + bias
    b = hidden.shape[0]
    forget = sigmoid(gates[0:b])
    ingate = sigmoid(gates[b : 2 * b])
    outgate = sigmoid(gates[2 * b : 3 * b])
    change = np.tanh(gates[3 * b :])
    cell = cell * forget + ingate * change
    hidden = outgate * np.tanh(cell)
    return hidden, cell


def lstm_predict(main_params, extra_params, state, x):
    new_state = state.copy()
    x = x * extra_params[0]
    for i in range(0, state.shape[0], 2):
        hidden, cell = lstm_model(main_params[i], main_params[i + 1], state[i], state[i + 1], x)
        new_state[i] = hidden
        new_state[i + 1] = cell
        x = hidden
    return x * extra_params[1] + extra_params[2], new_state


def lstm_objective(main_params, extra_params, state, sequence):
    """ADBench's LSTM loss: main_params (2 l, 4 b), extra_params (3, b), state (2 l, b),
    sequence (c, b). (ADBench's log-sum-exp adds 2 to the sum of exponentials.)"""
    total = 0.0
    count = 0
    inp = sequence[0]
    for t in range(sequence.shape[0] - 1):
        ypred, state = lstm_predict(main_params, extra_params, state, inp)
        ynorm = ypred - np.log(np.sum(np.exp(ypred)) + 2.0)
        ygold = sequence[t + 1]
        total += np.sum(ygold * ynorm)
        count += ygold.shape[0]
        inp = ygold
    return -total / count


# -- MLP training step -------------------------------------------------------------------------


def mlp_loss(params, x, labels):
    """Softmax cross-entropy of a 784-128-10 tanh MLP; params = (w1, b1, w2, b2), labels one-hot.

    dp: integer labels picked with `logp[np.arange(batch), y]` (advanced indexing) are not
    supported: one-hot labels.
    """
    w1, b1, w2, b2 = params
    hidden = np.tanh(x @ w1 + b1)
    logits = hidden @ w2 + b2
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -np.sum(log_probs * labels) / x.shape[0]
