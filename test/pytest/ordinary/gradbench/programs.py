"""GradBench's kmeans, llsq, ode, lse, gmm and saddle evals written as ordinary numpy Python.

Each follows its eval's specification in the style a numpy user writes: nested `def`s and
closures, comprehensions, functions passed as arguments, and numpy's own functions. The JAX twins
in test_gradbench.py are written independently against jax.numpy.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import logsumexp, multigammaln

import dp


# -- kmeans: the cost, its gradient and the Newton direction grad / (H . 1) -----------------------


def kmeans_cost(points, centers):
    def all_pairs_norm(a, b):
        a_sqr = np.sum(a**2, 1)[None, :]
        b_sqr = np.sum(b**2, 1)[:, None]
        diff = np.matmul(a, b.T).T
        return a_sqr + b_sqr - 2 * diff

    dists = all_pairs_norm(points, centers)
    return np.min(dists, axis=0).sum()


def kmeans_dir(points, centers):
    gradient = dp.grad(lambda cs: kmeans_cost(points, cs))
    d, hes = dp.jvp(gradient, (centers,), (np.ones(centers.shape),))
    return d / hes


# -- llsq: least squares of a polynomial fit to sign(t) ---------------------------------------------


def llsq(x, n):
    m = x.shape[0]

    def t(i):
        return -1.0 + (i * 2.0) / (n - 1.0)

    def residual(i):
        ti = t(i)
        muls = np.cumprod(np.concatenate((np.ones(1), np.full(m - 1, ti))))
        return (np.sign(ti) + np.sum(-x * muls)) ** 2

    return sum(residual(i) for i in range(n)) / 2.0


# -- ode: fourth-order Runge-Kutta of y' = f(y) with f a closure over x --------------------------


def ode_field(x):
    def f(y):
        iota = np.arange(x.shape[0])
        y_rot = np.roll(y, shift=1)
        return np.where(iota == 0, x, x * y_rot)

    return f


def runge_kutta(f, yi, tf, s):
    h = tf / s
    yf = yi
    for _ in range(s):
        k1 = f(yf)
        k2 = f(yf + h / 2 * k1)
        k3 = f(yf + h / 2 * k2)
        k4 = f(yf + h * k3)
        yf = yf + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return yf


def ode(x, s):
    return runge_kutta(ode_field(x), np.zeros_like(x), 2.0, s)


def ode_last(x, s):
    return ode(x, s)[-1]


# -- lse --------------------------------------------------------------------------------------------


def lse(x):
    x_max = np.max(x)
    return np.log(np.sum(np.exp(x - x_max))) + x_max


# -- gmm: the ADBench Gaussian mixture objective with the Wishart prior --------------------------


def log_wishart_prior(p, gamma, m, sum_qs, q_diags, l):
    k = q_diags.shape[0]
    n = p + m + 1
    out = np.sum(0.5 * gamma * gamma * (np.sum(q_diags**2, axis=1) + np.sum(l**2, axis=1)) - m * sum_qs)
    c = n * p * np.log(gamma / math.sqrt(2))
    return -out + k * (c - multigammaln(0.5 * n, p))


def gmm_objective(alpha, mu, q, l, x, gamma, m):
    n, d = x.shape
    k = mu.shape[0]
    q_diags = np.exp(q)
    sum_qs = np.sum(q, axis=1)
    cols = np.repeat(np.arange(d - 1), np.arange(d - 1, 0, -1))
    rows = np.concatenate([np.arange(c + 1, d) for c in range(d - 1)])
    ls = np.zeros((k, d, d))
    ls[:, rows, cols] = l
    xcentered = x[:, None, :] - mu[None, ...]
    lxcentered = q_diags * xcentered + np.einsum("ijk,mik->mij", ls, xcentered)
    sqsum = np.sum(lxcentered**2, axis=2)
    inner_term = alpha + sum_qs - 0.5 * sqsum
    slse = np.sum(logsumexp(inner_term, axis=1))
    constant = -n * d * 0.5 * math.log(2 * math.pi)
    return constant + slse - n * logsumexp(alpha, axis=0) + log_wishart_prior(d, gamma, m, sum_qs, q_diags, l)


# -- saddle: min over x of max over y of f(x, y) by nested gradient descent ------------------------


def saddle_f(x1, y1, x2, y2):
    return (x1**2 + y1**2) - (x2**2 + y2**2)


def grad_r(f, x):
    return dp.grad(f)(x)


def grad_f(f, x):
    return np.array([dp.jvp(f, (x,), (np.eye(2)[i],))[1] for i in range(2)])


def argmin(grad, f, x):
    fx = f(x)
    gx = grad(f, x)
    eta = 1e-5
    i = 0
    go = True
    while go:
        if np.sqrt(np.sum(gx * gx)) <= 1e-5:
            go = False
        elif i == 10:
            eta = 2 * eta
            i = 0
        else:
            x_prime = x - eta * gx
            if np.sqrt(np.sum((x - x_prime) ** 2)) <= 1e-5:
                go = False
            else:
                fx_prime = f(x_prime)
                if fx_prime < fx:
                    x, fx, gx = x_prime, fx_prime, grad(f, x_prime)
                    i = i + 1
                else:
                    eta = eta / 2
                    i = 0
    return x


def argmax(grad, f, x):
    return argmin(grad, lambda z: -f(z), x)


def saddle(grad0, grad1, start):
    def r2_cost(p1):
        return lambda p: saddle_f(p1[0], p1[1], p[0], p[1])

    def r1_cost(p1):
        cost = r2_cost(p1)
        return cost(argmax(grad1, cost, start))

    r1 = argmin(grad0, r1_cost, start)
    r2 = argmax(grad0, r2_cost(r1), start)
    return np.stack([r1, r2])
