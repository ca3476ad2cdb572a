"""Arrays across the call boundary: no copies of contiguous inputs, safe ownership of results.

Results are numpy arrays that own the buffer compiled code malloc'd (freed
with libc `free` when the last array viewing it is collected). Inputs that
are not C-contiguous, aligned and native-endian are copied first. A call
with another dtype, rank or shape compiles another specialization.
"""

from __future__ import annotations

import gc
import os
import tracemalloc

import numpy as np
import pytest

import dp

from .harness import assert_same


def double(x):
    return x * 2.0


def total(x):
    return np.sum(x)


def shift(x):
    return x + 1.0


def pair(x):
    s = x + 1.0
    return s, s


def identity(x):
    return x


def constant():
    return np.arange(4.0)


def first_row(x):
    return x[0]


def test_non_contiguous_inputs_are_read_correctly():
    f = dp.compile(double)
    base = np.arange(24.0).reshape(4, 6)
    for view in (base[:, ::2], base.T, base[::2], np.asfortranarray(base), base[1:3, 1:5]):
        assert_same(f(view), view * 2.0)


def test_big_endian_and_read_only_inputs():
    f = dp.compile(total)
    big = np.arange(5.0).astype(">f8")
    assert f(big) == 10.0
    frozen = np.arange(5.0)
    frozen.flags.writeable = False
    assert f(frozen) == 10.0


def test_results_own_their_buffers_and_outlive_later_calls():
    f = dp.compile(shift)
    x = np.arange(6.0)
    kept = [f(x + k) for k in range(50)]
    for _ in range(1000):
        f(x)
    gc.collect()
    for k, result in enumerate(kept):
        np.testing.assert_array_equal(result, x + k + 1.0)
    assert kept[0].flags.owndata is False and kept[0].base is not None  # owned through its base object
    kept[0][0] = 42.0  # writable
    assert kept[1][0] == 2.0


def test_results_sharing_a_buffer_share_its_owner():
    f = dp.compile(pair)
    a, b = f(np.arange(3.0))
    np.testing.assert_array_equal(a, [1.0, 2.0, 3.0])
    del a
    gc.collect()
    np.testing.assert_array_equal(b, [1.0, 2.0, 3.0])


def test_returning_an_argument_or_a_constant_returns_a_copy():
    x = np.arange(3.0)
    y = dp.compile(identity)(x)
    assert y is not x and not np.shares_memory(x, y)
    np.testing.assert_array_equal(y, x)
    y[0] = 9.0
    assert x[0] == 0.0
    c = dp.compile(constant)()
    c[0] = 5.0
    np.testing.assert_array_equal(dp.compile(constant)(), np.arange(4.0))


def test_a_view_result_is_copied_out():
    x = np.arange(12.0).reshape(3, 4)
    row = dp.compile(first_row)(x)
    np.testing.assert_array_equal(row, x[0])
    assert not np.shares_memory(row, x)


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc")
def test_no_leak_over_a_hundred_thousand_calls():
    f = dp.compile(shift)
    x = np.ones(1000)  # 8 KB per result: a leak would be 800 MB
    for _ in range(1000):
        f(x)
    gc.collect()
    before = _rss_bytes()
    for _ in range(100_000):
        f(x)
    gc.collect()
    grown = _rss_bytes() - before
    assert grown < 32 * 2**20, f"resident memory grew by {grown / 2**20:.1f} MiB over 1e5 calls"
    tracemalloc.start()
    snapshot = tracemalloc.take_snapshot()
    for _ in range(10_000):
        f(x)
    gc.collect()
    python_grown = sum(stat.size_diff for stat in tracemalloc.take_snapshot().compare_to(snapshot, "filename"))
    tracemalloc.stop()
    assert python_grown < 2**20, f"Python allocations grew by {python_grown} bytes over 1e4 calls"


def test_dtype_rank_and_shape_select_specializations():
    f = dp.compile(double)
    cases = [
        np.arange(3.0),
        np.arange(3, dtype=np.float32),
        np.arange(6.0).reshape(2, 3),
        np.arange(4.0),
        np.arange(3),
        np.arange(3, dtype=np.int32),
        np.array([True, False]),
    ]
    for x in cases:
        assert_same(f(x), x * 2.0)
    assert len(f._cache) == len(cases)
    for x in cases:  # every specialization is reused
        assert_same(f(x), x * 2.0)
    assert len(f._cache) == len(cases)


def test_zero_size_and_zero_d_arrays():
    f = dp.compile(shift)
    assert_same(f(np.zeros((0, 3))), np.zeros((0, 3)) + 1.0)
    assert_same(f(np.array(2.0)), np.array(2.0) + 1.0)
    assert dp.compile(total)(np.zeros(0)) == 0.0


def test_unsupported_dtypes_are_rejected_before_compiling():
    for bad in (
        np.ones(2, dtype=np.clongdouble),
        np.ones(2, dtype=np.float16),
        np.ones(2, dtype=np.uint8),
        np.array(["a"]),
    ):
        with pytest.raises(dp.TypeMismatchError, match="not supported"):
            dp.compile(double)(bad)


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_ndarray_subclasses_with_other_semantics_are_rejected():
    for bad in (np.matrix(np.eye(2)), np.ma.masked_array([1.0, 2.0], mask=[False, True])):
        with pytest.raises(dp.TypeMismatchError, match="np.asarray"):
            dp.compile(double)(bad)


def test_arrays_may_be_keywords_but_not_keyword_only_arguments():
    scaled = dp.compile(lambda x, scale: x * scale)(np.ones(2), scale=np.full(2, 3.0))
    np.testing.assert_array_equal(scaled, [3.0, 3.0])
    with pytest.raises(dp.TypeMismatchError, match="positional parameter"):
        dp.compile(lambda x, *, scale: x * scale)(np.ones(2), scale=np.ones(2))
