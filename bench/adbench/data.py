"""Inputs of the ADBench objectives, generated (seeded) at ADBench's sizes.

- GMM: ADBench's gmm_d{d}_K{k} with n = 1000 points (random alphas, means, icf and x;
  Wishart gamma = 1, m = 0 as in ADBench's data files).
- BA: the smallest ADBench instance's sizes (ba1_n49_m7776_p31843) and structure: ADBench's
  generator reads one camera, point, weight and feature and repeats them; here each copy gets
  noise, and observation i sees camera i mod n and point i mod m, as in ADBench.
- LSTM: lstm_l{l}_c{c} with b = 14 (ADBench's character width), random parameters, a random
  one-hot-like sequence.
- MLP: 784-128-10, batch 128, one-hot labels.
"""

from __future__ import annotations

import numpy as np


def gmm(d, k, n=1000, seed=0):
    r = np.random.default_rng(seed)
    alphas = r.standard_normal(k)
    means = r.uniform(0.0, 1.0, (k, d))
    icf = r.standard_normal((k, d * (d + 1) // 2)) * 0.5
    x = r.uniform(0.0, 1.0, (n, d))
    return alphas, means, icf, x, 1.0, 0


BA_SIZES = (49, 7776, 31843)  # cameras, points, observations


def ba(n=BA_SIZES[0], m=BA_SIZES[1], p=BA_SIZES[2], seed=0):
    r = np.random.default_rng(seed)
    camera = np.array([0.1, -0.2, 0.05, 0.3, -0.2, -6.0, 400.0, 2.0, -1.0, -0.05, 0.01])
    scale = np.array([0.05, 0.05, 0.05, 0.2, 0.2, 0.2, 10.0, 1.0, 1.0, 0.01, 0.001])
    cams = camera + r.standard_normal((n, 11)) * scale
    points = r.standard_normal((m, 3))
    w = 1.0 + 0.1 * r.standard_normal(p)
    obs = np.stack([np.arange(p) % n, np.arange(p) % m], axis=1).astype(np.int64)
    feats = r.standard_normal((p, 2)) * 50.0
    return cams, points, w, obs, feats


def lstm(layers=2, chars=1024, b=14, seed=0):
    r = np.random.default_rng(seed)
    main_params = r.standard_normal((2 * layers, 4 * b)) * 0.5
    extra_params = r.standard_normal((3, b)) * 0.5
    state = r.standard_normal((2 * layers, b)) * 0.5
    sequence = r.standard_normal((chars, b))
    return main_params, extra_params, state, sequence


def mlp(batch=128, sizes=(784, 128, 10), seed=0):
    r = np.random.default_rng(seed)
    w1 = r.standard_normal((sizes[0], sizes[1])) / np.sqrt(sizes[0])
    b1 = r.standard_normal(sizes[1]) * 0.1
    w2 = r.standard_normal((sizes[1], sizes[2])) / np.sqrt(sizes[1])
    b2 = r.standard_normal(sizes[2]) * 0.1
    x = r.standard_normal((batch, sizes[0]))
    labels = np.eye(sizes[2])[r.integers(0, sizes[2], batch)]
    return (w1, b1, w2, b2), x, labels
