// RUN: dp-opt %s --dp-autodiff | FileCheck %s

// Derivative rules of buffer ops (memref.load, memref.store, views, local
// allocations): tangents and adjoints live in shadow buffers.

// Forward mode: each load of a shadowed buffer reads the tangent next to the
// value, each store writes the tangent next to the value.
// CHECK-LABEL: func.func private @__dp_fwd_square_into_dd_(
// CHECK-SAME:      %[[X:.*]]: memref<?xf64>, %[[DX:.*]]: memref<?xf64>, %[[O:.*]]: memref<?xf64>, %[[DO:.*]]: memref<?xf64>)
// CHECK:         scf.for %[[I:.*]] =
// CHECK:           %[[V:.*]] = memref.load %[[X]][%[[I]]]
// CHECK:           %[[T:.*]] = memref.load %[[DX]][%[[I]]]
// CHECK:           memref.store %{{.*}}, %[[O]][%[[I]]]
// CHECK:           memref.store %{{.*}}, %[[DO]][%[[I]]]

// The forward sweep records nothing: %x is never written, so the reverse
// sweep reads x[i] again from the buffer it receives.
// CHECK-LABEL: func.func private @__dp_aug_square_into_dd_(
// CHECK-NOT:     dp.tape.push
// CHECK:         return
// Reverse: adj(x[i]^2) = out_shadow[i], then out_shadow[i] = 0, then
// x_shadow[i] += 2 x[i] adj.
// CHECK-LABEL: func.func private @__dp_rev_square_into_dd_(
// CHECK-SAME:      %[[TAPE:.*]]: !dp.tape, %[[X:.*]]: memref<?xf64>, %[[DX:.*]]: memref<?xf64>, %[[O:.*]]: memref<?xf64>, %[[DO:.*]]: memref<?xf64>)
// CHECK-NOT:     dp.tape.pop
// CHECK:         scf.for
// CHECK:           %[[V:.*]] = memref.load %[[X]][%[[I:.*]]]
// CHECK:           %[[ADJ:.*]] = memref.load %[[DO]][%[[I]]]
// CHECK:           %[[ZERO:.*]] = arith.constant 0.0
// CHECK:           memref.store %[[ZERO]], %[[DO]][%[[I]]]
// CHECK:           %[[OLD:.*]] = memref.load %[[DX]][%[[I]]]
// CHECK:           %[[NEW:.*]] = arith.addf %[[OLD]],
// CHECK:           memref.store %[[NEW]], %[[DX]][%[[I]]]
// CHECK-LABEL: func.func @grad_square_into(
// CHECK-SAME:      %[[X:.*]]: memref<?xf64>, %[[DX:.*]]: memref<?xf64>, %[[O:.*]]: memref<?xf64>, %[[DO:.*]]: memref<?xf64>)
// CHECK:         %[[T:.*]] = dp.tape.init
// CHECK:         call @__dp_aug_square_into_dd_(%[[X]], %[[O]], %[[T]])
// CHECK:         call @__dp_rev_square_into_dd_(%[[T]], %[[X]], %[[DX]], %[[O]], %[[DO]])
func.func private @square_into(%x: memref<?xf64>, %out: memref<?xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %x, %c0 : memref<?xf64>
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %x[%i] : memref<?xf64>
    %p = arith.mulf %v, %v : f64
    memref.store %p, %out[%i] : memref<?xf64>
  }
  return
}
func.func @grad_square_into(%x: memref<?xf64>, %dx: memref<?xf64>, %o: memref<?xf64>, %do: memref<?xf64>) {
  dp.autodiff @square_into(%x, %dx, %o, %do) args [dup, dup] results [] : (memref<?xf64>, memref<?xf64>, memref<?xf64>, memref<?xf64>) -> ()
  return
}
func.func @jvp_square_into(%x: memref<?xf64>, %dx: memref<?xf64>, %o: memref<?xf64>, %do: memref<?xf64>) {
  dp.fwddiff @square_into(%x, %dx, %o, %do) args [dup, dup] results [] : (memref<?xf64>, memref<?xf64>, memref<?xf64>, memref<?xf64>) -> ()
  return
}
// In place: the store overwrites what the reverse sweep needs, so the loaded
// value goes on the tape.
// CHECK-LABEL: func.func private @__dp_aug_square_in_place_d_(
// CHECK:         %[[V:.*]] = memref.load
// CHECK:         memref.store
// CHECK:         dp.tape.push %{{.*}}, %[[V]] : !dp.tape, f64
// CHECK-LABEL: func.func private @__dp_rev_square_in_place_d_(
// CHECK:         scf.for
// CHECK:           %[[V:.*]] = dp.tape.pop %{{.*}} : !dp.tape -> f64
// CHECK-NOT:       memref.load %arg1
func.func private @square_in_place(%a: memref<4xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %a[%i] : memref<4xf64>
    %p = arith.mulf %v, %v : f64
    memref.store %p, %a[%i] : memref<4xf64>
  }
  return
}
func.func @grad_square_in_place(%a: memref<4xf64>, %da: memref<4xf64>) {
  dp.autodiff @square_in_place(%a, %da) args [dup] results [] : (memref<4xf64>, memref<4xf64>) -> ()
  return
}
// A local buffer: forward mode allocates its tangent buffer next to it;
// reverse mode allocates its shadow zeroed where the reverse of its block
// starts and frees it at the reverse of the allocation.
// CHECK-LABEL: func.func private @__dp_fwd_through_local_d_u(
// CHECK:         %[[M:.*]] = memref.alloc() : memref<2xf64>
// CHECK:         %[[DM:.*]] = memref.alloc() : memref<2xf64>
// CHECK:         memref.dealloc %[[M]]
// CHECK:         memref.dealloc %[[DM]]
// CHECK-LABEL: func.func private @__dp_rev_through_local_a_a(
// CHECK:         %[[S:.*]] = memref.alloc() : memref<2xf64>
// CHECK:         linalg.fill ins(%{{.*}} : f64) outs(%[[S]] : memref<2xf64>)
// CHECK:         memref.store %{{.*}}, %[[S]]
// CHECK:         memref.load %[[S]]
// CHECK:         memref.dealloc %[[S]]
// CHECK-NEXT:    return
func.func private @through_local(%x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %t = memref.alloc() : memref<2xf64>
  %s = math.sin %x : f64
  memref.store %s, %t[%c0] : memref<2xf64>
  %v = memref.load %t[%c0] : memref<2xf64>
  %r = arith.mulf %v, %x : f64
  memref.dealloc %t : memref<2xf64>
  return %r : f64
}
func.func @grad_through_local(%x: f64, %s: f64) -> f64 {
  %r = dp.autodiff @through_local(%x, %s) args [active] results [activenoneed] : (f64, f64) -> f64
  return %r : f64
}
func.func @jvp_through_local(%x: f64, %t: f64) -> f64 {
  %r = dp.fwddiff @through_local(%x, %t) args [dup] results [dupnoneed] : (f64, f64) -> f64
  return %r : f64
}
// A view: its shadow is the same view of the shadow; the loads through the
// view of the read-only buffer are read again.
// CHECK-LABEL: func.func private @__dp_rev_row_sum_dc_a(
// CHECK-SAME:      %[[TAPE:.*]]: !dp.tape, %[[A:.*]]: memref<3x4xf64>, %[[DA:.*]]: memref<3x4xf64>, %{{.*}}: f64)
// CHECK:         %[[I:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> index
// CHECK-DAG:     %[[ROW:.*]] = memref.subview %[[A]][%[[I]], 0] [1, 4] [1, 1]
// CHECK-DAG:     %[[DROW:.*]] = memref.subview %[[DA]][%[[I]], 0] [1, 4] [1, 1]
// CHECK-DAG:     memref.load %[[ROW]]
// CHECK:         memref.store %{{.*}}, %[[DROW]]
func.func private @row_sum(%A: memref<3x4xf64>, %i: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %row = memref.subview %A[%i, 0] [1, 4] [1, 1] : memref<3x4xf64> to memref<4xf64, strided<[1], offset: ?>>
  %a = memref.load %row[%c0] : memref<4xf64, strided<[1], offset: ?>>
  %b = memref.load %row[%c1] : memref<4xf64, strided<[1], offset: ?>>
  %r = arith.mulf %a, %b : f64
  return %r : f64
}
func.func @grad_row_sum(%A: memref<3x4xf64>, %dA: memref<3x4xf64>, %i: index, %s: f64) {
  dp.autodiff @row_sum(%A, %dA, %i, %s) args [dup, const] results [activenoneed] : (memref<3x4xf64>, memref<3x4xf64>, index, f64) -> ()
  return
}
// Split mode: the reverse half takes the buffers again.
// CHECK-LABEL: func.func @split_square_into(
// CHECK-SAME:      %[[X:.*]]: memref<?xf64>, %[[DX:.*]]: memref<?xf64>, %[[O:.*]]: memref<?xf64>, %[[DO:.*]]: memref<?xf64>)
// CHECK:         call @__dp_aug_square_into_dd_(%[[X]], %[[O]], %[[T:[^)]*]])
// CHECK-NOT:     dp.tape.rewind
// CHECK:         call @__dp_rev_square_into_dd_(%[[T]], %[[X]], %[[DX]], %[[O]], %[[DO]])
func.func @split_square_into(%x: memref<?xf64>, %dx: memref<?xf64>, %o: memref<?xf64>, %do: memref<?xf64>) {
  %tape = dp.augmented @square_into(%x, %o) args [dup, dup] results [] : (memref<?xf64>, memref<?xf64>) -> !dp.tape
  dp.reverse @square_into(%tape, %x, %dx, %o, %do) args [dup, dup] results [] : (!dp.tape, memref<?xf64>, memref<?xf64>, memref<?xf64>, memref<?xf64>) -> ()
  dp.tape.free %tape : !dp.tape
  return
}

// A copy: forward mode copies the tangents; reverse mode adds the target's
// shadow into the source's, then zeroes the target's (its old contents were
// overwritten).
func.func private @copy_in_out(%x: memref<3xf64>, %out: memref<3xf64>) {
  %c0 = arith.constant 0 : index
  %t = memref.alloc() : memref<3xf64>
  memref.copy %x, %t : memref<3xf64> to memref<3xf64>
  %v = memref.load %t[%c0] : memref<3xf64>
  %e = math.exp %v : f64
  memref.store %e, %t[%c0] : memref<3xf64>
  memref.copy %t, %out : memref<3xf64> to memref<3xf64>
  memref.dealloc %t : memref<3xf64>
  return
}
// CHECK-LABEL: func.func private @__dp_fwd_copy_in_out_dd_(
// CHECK-SAME:      %[[X:.*]]: memref<3xf64>, %[[DX:.*]]: memref<3xf64>, %[[O:.*]]: memref<3xf64>, %[[DO:.*]]: memref<3xf64>)
// CHECK:         %[[T:.*]] = memref.alloc()
// CHECK:         %[[DT:.*]] = memref.alloc()
// CHECK:         memref.copy %[[X]], %[[T]]
// CHECK:         memref.copy %[[DX]], %[[DT]]
// CHECK:         memref.copy %[[T]], %[[O]]
// CHECK:         memref.copy %[[DT]], %[[DO]]
// CHECK-LABEL: func.func private @__dp_rev_copy_in_out_dd_(
// CHECK-SAME:      %[[TAPE:.*]]: !dp.tape, %[[X:[^:]*]]: memref<3xf64>, %[[DX:[^:]*]]: memref<3xf64>, %[[O:[^:]*]]: memref<3xf64>, %[[DO:[^:]*]]: memref<3xf64>)
// CHECK:         %[[DT:.*]] = memref.alloc()
// CHECK:         linalg.add ins(%[[DO]], %[[DT]] : memref<3xf64>, memref<3xf64>) outs(%[[DT]] : memref<3xf64>)
// CHECK:         linalg.fill ins(%{{.*}} : f64) outs(%[[DO]] : memref<3xf64>)
// CHECK:         linalg.add ins(%[[DT]], %[[DX]] : memref<3xf64>, memref<3xf64>) outs(%[[DX]] : memref<3xf64>)
// CHECK:         linalg.fill ins(%{{.*}} : f64) outs(%[[DT]] : memref<3xf64>)
// CHECK:         memref.dealloc %[[DT]]
func.func @grad_copy_in_out(%x: memref<3xf64>, %dx: memref<3xf64>, %o: memref<3xf64>, %do: memref<3xf64>) {
  dp.autodiff @copy_in_out(%x, %dx, %o, %do) args [dup, dup] results [] : (memref<3xf64>, memref<3xf64>, memref<3xf64>, memref<3xf64>) -> ()
  return
}
func.func @jvp_copy_in_out(%x: memref<3xf64>, %dx: memref<3xf64>, %o: memref<3xf64>, %do: memref<3xf64>) {
  dp.fwddiff @copy_in_out(%x, %dx, %o, %do) args [dup, dup] results [] : (memref<3xf64>, memref<3xf64>, memref<3xf64>, memref<3xf64>) -> ()
  return
}

// A call that only reads a buffer argument of the caller: the callee's
// reverse receives the buffer and reads it again; nothing is recorded.
func.func private @scale_by_first(%w: memref<3xf64>, %x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %v = memref.load %w[%c0] : memref<3xf64>
  %r = arith.mulf %v, %x : f64
  return %r : f64
}
func.func private @calls_reader(%w: memref<3xf64>, %x: f64) -> f64 {
  %r = func.call @scale_by_first(%w, %x) : (memref<3xf64>, f64) -> f64
  return %r : f64
}
// CHECK-LABEL: func.func private @__dp_aug_scale_by_first_ca_a(
// CHECK-NOT:     dp.tape.push
// CHECK:         return
// CHECK-LABEL: func.func private @__dp_rev_scale_by_first_ca_a(
// CHECK-SAME:      %[[TAPE:.*]]: !dp.tape, %[[W:[^:]*]]: memref<3xf64>, %[[SEED:[^:]*]]: f64)
// CHECK:         %[[V:.*]] = memref.load %[[W]]
// CHECK:         arith.mulf %[[V]], %[[SEED]]
// CHECK-LABEL: func.func private @__dp_rev_calls_reader_ca_a(
// CHECK-SAME:      %[[TAPE:.*]]: !dp.tape, %[[W:[^:]*]]: memref<3xf64>, %[[SEED:[^:]*]]: f64)
// CHECK-NEXT:    %[[DX:.*]] = call @__dp_rev_scale_by_first_ca_a(%[[TAPE]], %[[W]], %[[SEED]])
// CHECK-NEXT:    return %[[DX]] : f64
func.func @grad_calls_reader(%w: memref<3xf64>, %x: f64, %s: f64) -> f64 {
  %r, %dx = dp.autodiff @calls_reader(%w, %x, %s) args [const, active] results [active] : (memref<3xf64>, f64, f64) -> (f64, f64)
  return %dx : f64
}
