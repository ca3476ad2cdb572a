"""dp.jvp and dp.vjp keep the compiled code of a bounded number of recent functions, not of every closure."""

from __future__ import annotations

import gc

import numpy as np

import dp
from dp import transforms


def _closure(k: float):
    def f(x):
        return np.sum(np.sin(x) * k)

    return f


def test_fresh_closures_do_not_accumulate():
    dp.clear_caches()
    for k in range(140):
        f = _closure(float(k))
        assert dp.jvp(f, (np.ones(2),), (np.ones(2),))[1] == 2 * k * np.cos(1.0)
        np.testing.assert_allclose(dp.vjp(f, np.ones(2))[1](1.0)[0], k * np.cos(np.ones(2)))
    del f
    gc.collect()
    assert len(transforms._forward_cache) <= 128
    assert len(transforms._split_cache) <= 128


def test_a_function_called_again_reuses_its_transform():
    g = _closure(3.0)
    dp.jvp(g, (np.ones(2),), (np.ones(2),))
    first = transforms._forward_cache.get(g)
    dp.jvp(g, (np.zeros(2),), (np.ones(2),))
    assert transforms._forward_cache.get(g) is first
