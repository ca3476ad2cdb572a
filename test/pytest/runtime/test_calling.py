"""The C trampoline (PackedCall) and the native fast path of compiled functions."""

from __future__ import annotations

import gc
import math
import sys
import tracemalloc

import numpy as np
import pytest
from mlir import ir

import dp
from dp.runtime.calling import PackedCall, Pointer
from dp.runtime.jit import Library, compile_object, lower_to_llvm

# Every kind in both directions, results in an order that needs padding: (i1, f64, i64, i1, f64).
MIXED = """
func.func @mixed(%a: f64, %b: i64, %c: i1, %d: f64) -> (i1, f64, i64, i1, f64) {
  %s = arith.sitofp %b : i64 to f64
  %x = arith.addf %a, %s : f64
  %y = arith.mulf %x, %d : f64
  %one = arith.constant 1 : i64
  %n = arith.addi %b, %one : i64
  %t = arith.constant true
  %nc = arith.xori %c, %t : i1
  %pos = arith.cmpf ogt, %y, %d : f64
  return %nc, %y, %n, %pos, %a : i1, f64, i64, i1, f64
}
func.func @pointer(%p: !llvm.ptr, %k: i64) -> !llvm.ptr {
  %q = llvm.getelementptr %p[%k] : (!llvm.ptr, i64) -> !llvm.ptr, i8
  return %q : !llvm.ptr
}
func.func @nothing(%x: f64) {
  return
}
"""


@pytest.fixture(scope="module")
def library() -> Library:
    with ir.Context():
        module = ir.Module.parse(MIXED)
        lower_to_llvm(module)
        return Library(compile_object(module, ["mixed", "pointer", "nothing"]), "mixed")


@pytest.fixture(scope="module")
def mixed(library: Library) -> PackedCall:
    return PackedCall(library.address("mixed"), [float, int, bool, float], [bool, float, int, bool, float], library)


def reference(a, b, c, d):
    y = (a + b) * d
    return (not c, y, b + 1, y > d, a)


def test_every_kind_in_and_out(mixed):
    for args in [(1.5, 2, True, 3.0), (-1.0, -7, False, 0.5), (0.0, 2**62, True, -2.0)]:
        got = mixed(list(args))
        assert got == reference(*args)
        assert [type(v) for v in got] == [bool, float, int, bool, float]
    assert mixed((1.5, 2, True, 3.0)) == reference(1.5, 2, True, 3.0)  # a tuple works too


def test_int64_limits(mixed):
    assert mixed([0.0, 2**63 - 2, False, 1.0])[2] == 2**63 - 1
    assert mixed([0.0, -(2**63), False, 1.0])[2] == -(2**63) + 1


def test_numpy_and_subclass_scalars_convert(mixed):
    class MyFloat(float):
        pass

    got = mixed([np.float64(1.5), np.int64(2), np.bool_(True), MyFloat(3.0)])
    assert got == reference(1.5, 2, True, 3.0)
    assert mixed([np.float32(0.5), np.int32(-3), np.bool_(False), 2])[1] == (0.5 - 3) * 2.0


def test_pointers(library):
    call = PackedCall(library.address("pointer"), [Pointer, int], [Pointer], library)
    assert call([4096, 10]) == (4106,)
    assert call([None, 8]) == (8,)
    with pytest.raises(dp.TypeMismatchError):
        call([1.5, 8])


def test_no_results(library):
    call = PackedCall(library.address("nothing"), [float], [], library)
    assert call([1.0]) == ()


@pytest.mark.parametrize(
    "args, message",
    [
        ([0.0, 2**63, False, 1.0], "integer argument 9223372036854775808 does not fit in 64 bits"),
        ([0.0, -(2**63) - 1, False, 1.0], "does not fit in 64 bits"),
        (["1.0", 2, False, 1.0], "argument leaf 0: expected a float, not str"),
        ([1.0, 2.5, False, 1.0], "argument leaf 1: expected an int, not float"),
        ([1.0, 2, 1.0, 1.0], "argument leaf 2: expected a bool, not float"),
        ([1.0, 2, None, 1.0], "argument leaf 2: expected a bool, not NoneType"),
        ([1.0, 2, True], "takes 4 argument leaves, got 3"),
        ([1.0, 2, True, 1.0, 5.0], "takes 4 argument leaves, got 5"),
        ([10**400, 2, True, 1.0], "too large to convert to a float"),
    ],
)
def test_bad_arguments_raise_type_mismatch(mixed, args, message):
    with pytest.raises(dp.TypeMismatchError, match=message.replace("(", r"\(")):
        mixed(args)


def test_call_takes_one_sequence(mixed):
    with pytest.raises(TypeError):
        mixed(1.0, 2, True, 1.0)
    with pytest.raises(TypeError):
        mixed(5)


def test_bad_construction(library):
    address = library.address("mixed")
    with pytest.raises(TypeError):
        PackedCall(address, [str], [float], library)
    with pytest.raises(ValueError):
        PackedCall(0, [float], [float], library)


# -- dp.compile's fast path -------------------------------------------------------------------


def product(x, y):
    return x * y + 1.0


def mixed_result(x, n, flag):
    if flag:
        return (x * n, n + 1), flag
    return (x - n, n - 1), flag


def test_fast_path_matches_python(no_cache):
    f = dp.compile(product)
    for x, y in [(2.0, 3.0), (-1.5, 0.25), (1e300, 1e10)]:
        assert f(x, y) == product(x, y)
        assert f(x, y) == product(x, y)  # the second call takes the fast path
    assert f._num_fast() == 1
    assert f(2, 3) == 7.0  # ints: another specialization, also on the fast path
    assert f._num_fast() == 2
    assert f(2.0, y=3.0) == 7.0  # keywords take the Python path
    g = dp.compile(mixed_result)
    for args in [(1.5, 3, True), (1.5, 3, False), (-2.0, -(2**62), True)]:
        assert g(*args) == mixed_result(*args)
        assert g(*args) == mixed_result(*args)
    assert g._num_fast() == 1


def test_fast_path_int_overflow_is_a_located_type_error(no_cache):
    f = dp.compile(product)
    assert f(2, 3) == 7.0
    assert f(2, 3) == 7.0
    with pytest.raises(dp.TypeMismatchError) as info:
        f(2**64, 3)
    assert "does not fit in 64 bits" in str(info.value)
    assert info.value.filename == __file__  # located at the definition, like the Python path


def test_fast_path_for_gradients(no_cache):
    f = dp.compile(mixed_result)
    h = dp.compile(lambda x, n: x * x * n, grad=True)
    assert h(3.0, 2) == (18.0, (12.0, None))
    assert h(3.0, 2) == (18.0, (12.0, None))
    assert h._num_fast() == 1
    g = dp.grad(product, argnums=(0, 1))
    assert g(2.0, 3.0) == (3.0, 2.0)
    assert g(2.0, 3.0) == (3.0, 2.0)
    assert g._num_fast() == 1
    g0 = dp.grad(product)
    assert g0(2.0, 3.0) == 3.0
    assert g0(2.0, 3.0) == 3.0
    vg = dp.value_and_grad(product, argnums=1)
    assert vg(2.0, 3.0) == (7.0, 2.0)
    assert vg(2.0, 3.0) == (7.0, 2.0)
    del f


def test_recompile_clears_the_fast_path(no_cache):
    f = dp.compile(product)
    f(1.0, 2.0)
    assert f._num_fast() == 1
    f.recompile()
    assert f._num_fast() == 0
    assert f(1.0, 2.0) == 3.0


def test_structured_arguments_take_the_python_path(no_cache):
    f = dp.compile(lambda p: p[0] * p[1])
    assert f((2.0, 4.0)) == 8.0
    assert f((2.0, 4.0)) == 8.0
    assert f._num_fast() == 0


# -- no leaks ------------------------------------------------------------------------------------

CALLS = 100_000


def _growth(run) -> int:
    """Bytes of Python memory still allocated after `run()` beyond a warmed-up baseline."""
    run()  # warm up: compile, caches, free lists
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        run()
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def test_no_leak_over_many_calls(no_cache, mixed):
    f = dp.compile(product)
    g = dp.grad(product, argnums=(0, 1))
    tup = dp.compile(mixed_result)
    args = [1.5, 2, True, 3.0]

    def fast():
        for _ in range(CALLS):
            f(1.5, 2.5)
            g(1.5, 2.5)
            tup(1.5, 3, True)

    def slow():
        for _ in range(CALLS):
            mixed(args)
            f(1.5, y=2.5)

    def errors():
        for _ in range(CALLS // 10):
            try:
                mixed([0.0, 2**64, True, 1.0])
            except dp.TypeMismatchError:
                pass

    for run in (fast, slow, errors):
        assert _growth(run) < 64 * 1024, run.__name__


def test_no_reference_leaks(mixed):
    owner = mixed.owner
    before = sys.getrefcount(owner), sys.getrefcount(1.5), sys.getrefcount(True)
    for _ in range(10_000):
        mixed([1.5, 2, True, 3.0])
    assert (sys.getrefcount(owner), sys.getrefcount(1.5), sys.getrefcount(True)) == before


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
def test_pullback_tapes_are_freed(no_cache):
    def f(x):
        acc = 0.0
        for i in range(1000):
            acc = acc + math.sin(x * i)
        return acc

    for _ in range(200):
        dp.vjp(f, 0.5)[1](1.0)
    gc.collect()
    before = _rss_bytes()
    for _ in range(20_000):  # each tape holds ~1000 steps: a leak would be hundreds of MB
        value, pullback = dp.vjp(f, 0.5)
        pullback(1.0)
    gc.collect()
    assert _rss_bytes() - before < 32 * 1024 * 1024
