"""Executed tests of dp-autodiff on buffer (memref) programs: Enzyme-style `dup` shadows.

Each program reads and writes its buffers in place. Reverse, forward and split
mode are checked against the Jacobian of (initial contents, scalars) ->
(final contents, results) by central finite differences in float64, and the
dot-product identity <u, J^T v> = <J u, v> holds between the two modes.
"""

from __future__ import annotations

import numpy as np
import pytest

from .buffer_harness import BufferProgram, CompiledBuffers, jacobian_fd

RNG = np.random.default_rng(7)

ELEMENTWISE = BufferProgram(
    "elementwise",
    """
func.func @f(%x: memref<3xf64>, %out: memref<3xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  scf.for %i = %c0 to %c3 step %c1 {
    %v = memref.load %x[%i] : memref<3xf64>
    %s = math.sin %v : f64
    %p = arith.mulf %s, %v : f64
    memref.store %p, %out[%i] : memref<3xf64>
  }
  return
}
""",
    (np.array([0.5, -1.2, 2.0]), np.zeros(3)),
)

IN_PLACE = BufferProgram(
    "in_place_with_local_accumulator",
    """
func.func @f(%a: memref<3xf64>, %y: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %t = memref.alloca() : memref<f64>
  %z = arith.constant 0.0 : f64
  memref.store %z, %t[] : memref<f64>
  scf.for %k = %c0 to %c3 step %c1 {
    scf.for %i = %c0 to %c3 step %c1 {
      %v = memref.load %a[%i] : memref<3xf64>
      %sq = arith.mulf %v, %v : f64
      %w = arith.addf %sq, %y : f64
      memref.store %w, %a[%i] : memref<3xf64>
      %acc = memref.load %t[] : memref<f64>
      %acc2 = arith.addf %acc, %w : f64
      memref.store %acc2, %t[] : memref<f64>
    }
  }
  %r = memref.load %t[] : memref<f64>
  return %r : f64
}
""",
    (np.array([0.3, -0.2, 0.5]), 0.1),
    results=1,
)

CUMSUM_SUBVIEW = BufferProgram(
    "cumsum_into_heap_buffer_then_subview",
    """
func.func @f(%x: memref<4xf64>) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %x, %c0 : memref<4xf64>
  %t = memref.alloc(%n) : memref<?xf64>
  %zero = arith.constant 0.0 : f64
  %s = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f64) {
    %v = memref.load %x[%i] : memref<4xf64>
    %sq = arith.mulf %v, %v : f64
    %acc2 = arith.addf %acc, %sq : f64
    memref.store %acc2, %t[%i] : memref<?xf64>
    scf.yield %acc2 : f64
  }
  %m = arith.subi %n, %c1 : index
  %tail = memref.subview %t[1] [%m] [1] : memref<?xf64> to memref<?xf64, strided<[1], offset: 1>>
  %r = scf.for %j = %c0 to %m step %c1 iter_args(%acc = %zero) -> (f64) {
    %v = memref.load %tail[%j] : memref<?xf64, strided<[1], offset: 1>>
    %j1 = arith.addi %j, %c1 : index
    %ji = arith.index_cast %j1 : index to i64
    %w = arith.sitofp %ji : i64 to f64
    %p = arith.mulf %v, %w : f64
    %acc2 = arith.addf %acc, %p : f64
    scf.yield %acc2 : f64
  }
  memref.dealloc %t : memref<?xf64>
  return %r : f64
}
""",
    (np.array([0.4, 1.1, -0.7, 0.9]),),
    results=1,
)

MATVEC = BufferProgram(
    "matvec_2d_buffers",
    """
func.func @f(%A: memref<2x3xf64>, %x: memref<3xf64>, %y: memref<2xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %zero = arith.constant 0.0 : f64
  scf.for %i = %c0 to %c2 step %c1 {
    %s = scf.for %j = %c0 to %c3 step %c1 iter_args(%acc = %zero) -> (f64) {
      %a = memref.load %A[%i, %j] : memref<2x3xf64>
      %v = memref.load %x[%j] : memref<3xf64>
      %p = arith.mulf %a, %v : f64
      %acc2 = arith.addf %acc, %p : f64
      scf.yield %acc2 : f64
    }
    %t = math.tanh %s : f64
    memref.store %t, %y[%i] : memref<2xf64>
  }
  return
}
""",
    (RNG.normal(size=(2, 3)), RNG.normal(size=3), np.zeros(2)),
)

STENCIL = BufferProgram(
    "smoothing_stencil_in_place_via_temporary",
    """
func.func @f(%u: memref<5xf64>, %w: f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %c3 = arith.constant 3 : index
  %half = arith.constant 0.5 : f64
  scf.for %sweep = %c0 to %c3 step %c1 {
    %tmp = memref.alloc() : memref<5xf64>
    scf.for %i = %c1 to %c4 step %c1 {
      %im = arith.subi %i, %c1 : index
      %ip = arith.addi %i, %c1 : index
      %l = memref.load %u[%im] : memref<5xf64>
      %m = memref.load %u[%i] : memref<5xf64>
      %r = memref.load %u[%ip] : memref<5xf64>
      %lr = arith.addf %l, %r : f64
      %side = arith.mulf %lr, %w : f64
      %mid = arith.mulf %m, %half : f64
      %new = arith.addf %mid, %side : f64
      %sq = arith.mulf %new, %m : f64
      memref.store %sq, %tmp[%i] : memref<5xf64>
    }
    scf.for %i = %c1 to %c4 step %c1 {
      %v = memref.load %tmp[%i] : memref<5xf64>
      memref.store %v, %u[%i] : memref<5xf64>
    }
    memref.dealloc %tmp : memref<5xf64>
  }
  return
}
""",
    (np.array([0.9, 0.4, -0.6, 0.8, 0.3]), 0.25),
)

SCATTER_ADD = BufferProgram(
    "gather_scatter_add_through_index_buffer",
    """
func.func @f(%x: memref<4xf64>, %idx: memref<4xi64>, %out: memref<3xf64>, %s: f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %k = %c0 to %c4 step %c1 {
    %j64 = memref.load %idx[%k] : memref<4xi64>
    %j = arith.index_cast %j64 : i64 to index
    %v = memref.load %x[%k] : memref<4xf64>
    %o = memref.load %out[%j] : memref<3xf64>
    %sv = arith.mulf %s, %v : f64
    %p = arith.mulf %sv, %o : f64
    %n = arith.addf %o, %p : f64
    memref.store %n, %out[%j] : memref<3xf64>
  }
  return
}
""",
    (np.array([0.5, -0.3, 0.8, 0.2]), np.array([2, 0, 2, 1]), np.array([1.0, 0.7, -0.4]), 0.6),
)

WHILE_UNTIL = BufferProgram(
    "while_until_buffer_value_exceeds",
    """
func.func @f(%b: memref<2xf64>, %a: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %limit = arith.constant 10.0 : f64
  %one = arith.constant 1.0 : f64
  %n = scf.while (%count = %c0) : (index) -> index {
    %v = memref.load %b[%c0] : memref<2xf64>
    %go = arith.cmpf olt, %v, %limit : f64
    scf.condition(%go) %count : index
  } do {
  ^bb0(%count: index):
    %v = memref.load %b[%c0] : memref<2xf64>
    %w = memref.load %b[%c1] : memref<2xf64>
    %va = arith.mulf %v, %a : f64
    %next = arith.addf %va, %one : f64
    %wn = arith.addf %w, %next : f64
    memref.store %next, %b[%c0] : memref<2xf64>
    memref.store %wn, %b[%c1] : memref<2xf64>
    %c = arith.addi %count, %c1 : index
    scf.yield %c : index
  }
  %r = memref.load %b[%c1] : memref<2xf64>
  %rs = math.sqrt %r : f64
  return %rs : f64
}
""",
    (np.array([1.3, 0.2]), 1.7),
    results=1,
)

BRANCHES = BufferProgram(
    "branch_on_buffer_value_stores_in_both_arms",
    """
func.func @f(%x: memref<4xf64>, %out: memref<4xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f64
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %x[%i] : memref<4xf64>
    %pos = arith.cmpf ogt, %v, %zero : f64
    scf.if %pos {
      %sq = arith.mulf %v, %v : f64
      memref.store %sq, %out[%i] : memref<4xf64>
    } else {
      %e = math.exp %v : f64
      memref.store %e, %out[%i] : memref<4xf64>
      %prev = memref.load %x[%i] : memref<4xf64>
      %h = arith.mulf %prev, %e : f64
      memref.store %h, %x[%i] : memref<4xf64>
    }
  }
  return
}
""",
    (np.array([0.7, -0.4, 1.5, -1.1]), np.zeros(4)),
)

ROW_SUBVIEW = BufferProgram(
    "scale_rows_through_rank_reduced_subviews",
    """
func.func @f(%A: memref<3x4xf64>, %s: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f64
  %r = scf.for %i = %c0 to %c3 step %c1 iter_args(%acc = %zero) -> (f64) {
    %row = memref.subview %A[%i, 0] [1, 4] [1, 1] : memref<3x4xf64> to memref<4xf64, strided<[1], offset: ?>>
    %t = scf.for %j = %c0 to %c4 step %c1 iter_args(%a2 = %acc) -> (f64) {
      %v = memref.load %row[%j] : memref<4xf64, strided<[1], offset: ?>>
      %sv = arith.mulf %v, %s : f64
      %c = math.cos %sv : f64
      memref.store %c, %row[%j] : memref<4xf64, strided<[1], offset: ?>>
      %a3 = arith.addf %a2, %sv : f64
      scf.yield %a3 : f64
    }
    scf.yield %t : f64
  }
  return %r : f64
}
""",
    (RNG.normal(size=(3, 4)), 0.8),
    results=1,
)

COLLAPSED = BufferProgram(
    "collapse_shape_and_cast_views",
    """
func.func @f(%A: memref<2x3xf64>, %p: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c6 = arith.constant 6 : index
  %zero = arith.constant 0.0 : f64
  %flat = memref.collapse_shape %A [[0, 1]] : memref<2x3xf64> into memref<6xf64>
  %dyn = memref.cast %flat : memref<6xf64> to memref<?xf64>
  %r = scf.for %i = %c0 to %c6 step %c1 iter_args(%acc = %zero) -> (f64) {
    %v = memref.load %dyn[%i] : memref<?xf64>
    %q = math.powf %v, %p : f64
    %acc2 = arith.addf %acc, %q : f64
    scf.yield %acc2 : f64
  }
  return %r : f64
}
""",
    (np.abs(RNG.normal(size=(2, 3))) + 0.5, 2.5),
    results=1,
)

CALL_READ_ONLY = BufferProgram(
    "call_with_read_only_weight_buffer",
    """
func.func private @weighted(%w: memref<3xf64>, %x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %r = scf.for %i = %c0 to %c3 step %c1 iter_args(%acc = %x) -> (f64) {
    %wi = memref.load %w[%i] : memref<3xf64>
    %m = arith.mulf %acc, %wi : f64
    %s = math.sin %m : f64
    scf.yield %s : f64
  }
  return %r : f64
}
func.func @f(%w: memref<3xf64>, %out: memref<2xf64>, %x: f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %a = func.call @weighted(%w, %x) : (memref<3xf64>, f64) -> f64
  %b = func.call @weighted(%w, %a) : (memref<3xf64>, f64) -> f64
  memref.store %a, %out[%c0] : memref<2xf64>
  memref.store %b, %out[%c1] : memref<2xf64>
  return
}
""",
    (np.array([0.9, 1.3, -0.6]), np.zeros(2), 0.7),
    const=frozenset({0}),
)

COPIES = BufferProgram(
    "copy_into_local_buffer_update_copy_back",
    """
func.func @f(%x: memref<3xf64>, %out: memref<3xf64>, %w: memref<3xf64>, %s: f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %t = memref.alloc() : memref<3xf64>
  memref.copy %x, %t : memref<3xf64> to memref<3xf64>
  scf.for %i = %c0 to %c3 step %c1 {
    %v = memref.load %t[%i] : memref<3xf64>
    %sv = arith.mulf %v, %s : f64
    %e = math.exp %sv : f64
    memref.store %e, %t[%i] : memref<3xf64>
  }
  memref.copy %t, %out : memref<3xf64> to memref<3xf64>
  memref.copy %w, %t : memref<3xf64> to memref<3xf64>
  %v0 = memref.load %t[%c1] : memref<3xf64>
  %o0 = memref.load %out[%c0] : memref<3xf64>
  %p = arith.mulf %v0, %o0 : f64
  memref.store %p, %out[%c0] : memref<3xf64>
  memref.dealloc %t : memref<3xf64>
  return
}
""",
    (np.array([0.3, -0.5, 0.9]), np.zeros(3), np.array([1.5, -0.7, 0.2]), 0.8),
    const=frozenset({2}),
)

PROGRAMS = [ELEMENTWISE, IN_PLACE, CUMSUM_SUBVIEW, MATVEC, STENCIL, SCATTER_ADD, WHILE_UNTIL, BRANCHES,
            ROW_SUBVIEW, COLLAPSED, CALL_READ_ONLY, COPIES]


@pytest.fixture(scope="module", params=PROGRAMS, ids=[p.name for p in PROGRAMS])
def compiled(request) -> CompiledBuffers:
    return CompiledBuffers(request.param)


def test_reverse_matches_finite_differences(compiled):
    point = compiled.program.point
    jac = jacobian_fd(compiled, point)
    v = np.random.default_rng(11).normal(size=jac.shape[0])
    np.testing.assert_allclose(compiled.vjp(point, v), jac.T @ v, rtol=1e-7, atol=1e-9)
    for k in range(jac.shape[0]):
        np.testing.assert_allclose(compiled.vjp(point, np.eye(jac.shape[0])[k]), jac[k], rtol=1e-7, atol=1e-9)


def test_forward_matches_finite_differences(compiled):
    point = compiled.program.point
    jac = jacobian_fd(compiled, point)
    u = np.random.default_rng(13).normal(size=jac.shape[1])
    np.testing.assert_allclose(compiled.jvp(point, u), jac @ u, rtol=1e-7, atol=1e-9)


def test_dot_product_identity(compiled):
    point = compiled.program.point
    rng = np.random.default_rng(5)
    n_in = compiled.flatten_inputs(point).size
    n_out = compiled.flat_map(compiled.flatten_inputs(point), point).size
    for _ in range(3):
        u, v = rng.normal(size=n_in), rng.normal(size=n_out)
        assert np.dot(u, compiled.vjp(point, v)) == pytest.approx(np.dot(compiled.jvp(point, u), v), rel=1e-11)


def test_split_mode_two_reverse_sweeps(compiled):
    point = compiled.program.point
    rng = np.random.default_rng(3)
    n_out = compiled.flat_map(compiled.flatten_inputs(point), point).size
    v1, v2 = rng.normal(size=n_out), rng.normal(size=n_out)
    first, second = compiled.split_vjp(point, v1, v2)
    np.testing.assert_allclose(first, compiled.vjp(point, v1), rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(second, compiled.vjp(point, v2), rtol=1e-13, atol=1e-14)


def test_elementwise_matches_closed_form():
    """The JAX oracle of the first program, by hand: d/dx (x sin x) = sin x + x cos x."""
    compiled = CompiledBuffers(ELEMENTWISE)
    x = ELEMENTWISE.point[0]
    dout = np.array([1.0, 2.0, -0.5])
    grads = compiled.vjp(ELEMENTWISE.point, np.concatenate([np.full(3, 0.1), dout]))
    np.testing.assert_allclose(grads[:3], 0.1 + dout * (np.sin(x) + x * np.cos(x)), rtol=1e-14)
    np.testing.assert_array_equal(grads[3:], 0.0)
