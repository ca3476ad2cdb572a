"""The cache of large buffers compiled array code allocates from (dp._native's BufferCache)."""

from __future__ import annotations

import numpy as np

import dp
from dp import _native


def chain(x, s):
    y = np.exp(x * s)
    z = np.sin(y) + x
    return z * z + y


def test_reused_buffers_give_the_same_results():
    """Intermediates of one call land in blocks an earlier call freed: no stale values."""
    compiled = dp.compile(chain)
    generator = np.random.default_rng(0)
    for _ in range(20):
        x, s = generator.standard_normal(100_000), float(generator.uniform(0.1, 1.0))
        np.testing.assert_allclose(compiled(x, s), chain(x, s), rtol=1e-14)


def test_cache_stays_bounded_and_can_be_emptied():
    compiled = dp.compile(chain)
    x = np.linspace(0.0, 1.0, 200_000)
    compiled(x, 0.5)
    after_one = _native.cached_buffer_bytes()
    assert after_one >= 200_000 * 8
    for _ in range(50):
        compiled(x, 0.5)
    assert _native.cached_buffer_bytes() == after_one
    assert _native.free_buffers() == after_one
    assert _native.cached_buffer_bytes() == 0
    np.testing.assert_allclose(compiled(x, 0.5), chain(x, 0.5), rtol=1e-14)


def test_results_outlive_the_cache():
    """A result array is a plain malloc block numpy frees; emptying the cache leaves it alone."""
    compiled = dp.compile(chain)
    x = np.linspace(0.0, 1.0, 100_000)
    results = [compiled(x, 0.25 * k) for k in range(1, 5)]
    _native.free_buffers()
    for k, result in enumerate(results, start=1):
        np.testing.assert_allclose(result, chain(x, 0.25 * k), rtol=1e-14)


def test_clear_caches_frees_the_buffers():
    dp.compile(chain)(np.linspace(0.0, 1.0, 100_000), 0.5)
    assert _native.cached_buffer_bytes() > 0
    dp.clear_caches()
    assert _native.cached_buffer_bytes() == 0
