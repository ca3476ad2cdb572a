// RUN: dp-opt %s --dp-autodiff | FileCheck %s
// The derivative rules of the tape ops, which derivative code holds and a
// nested derivative differentiates. Every tape gets a shadow tape: forward
// mode pushes and pops each float's tangent on it next to the float; reverse
// mode pops a pushed float's adjoint off it and pushes a popped float's
// adjoint onto it. Integers have no shadow.

// A function that keeps floats and an integer on its own tape.
func.func private @through_tape(%x: f64, %v: tensor<3xf64>, %n: index) -> f64 {
  %t = dp.tape.init : !dp.tape
  %y = arith.mulf %x, %x : f64
  dp.tape.push %t, %y : !dp.tape, f64
  dp.tape.push %t, %v : !dp.tape, tensor<3xf64>
  dp.tape.push %t, %n : !dp.tape, index
  %m = dp.tape.pop %t : !dp.tape -> index
  %w = dp.tape.pop %t : !dp.tape -> tensor<3xf64>
  %z = dp.tape.pop %t : !dp.tape -> f64
  dp.tape.free %t : !dp.tape
  %e = tensor.extract %w[%m] : tensor<3xf64>
  %s = arith.mulf %z, %e : f64
  return %s : f64
}
// A function that pushes onto a tape it is given and one that pops off it.
func.func private @push_sin(%x: f64, %t: !dp.tape) {
  %s = math.sin %x : f64
  dp.tape.push %t, %s : !dp.tape, f64
  return
}
func.func private @pop_twice(%t: !dp.tape) -> f64 {
  %a = dp.tape.pop %t : !dp.tape -> f64
  %b = arith.mulf %a, %a : f64
  return %b : f64
}
func.func private @calls(%x: f64) -> f64 {
  %t = dp.tape.init : !dp.tape
  func.call @push_sin(%x, %t) : (f64, !dp.tape) -> ()
  dp.tape.rewind %t : !dp.tape
  %y = func.call @pop_twice(%t) : (!dp.tape) -> f64
  dp.tape.free %t : !dp.tape
  return %y : f64
}
func.func @jvp_through_tape(%x: f64, %dx: f64, %v: tensor<3xf64>, %dv: tensor<3xf64>, %n: index) -> f64 {
  %r, %t = dp.fwddiff @through_tape(%x, %dx, %v, %dv, %n) args [dup, dup, const] results [dup] : (f64, f64, tensor<3xf64>, tensor<3xf64>, index) -> (f64, f64)
  return %t : f64
}
func.func @grad_through_tape(%x: f64, %v: tensor<3xf64>, %n: index, %s: f64) -> (f64, tensor<3xf64>) {
  %dx, %dv = dp.autodiff @through_tape(%x, %v, %n, %s) args [active, active, const] results [activenoneed] : (f64, tensor<3xf64>, index, f64) -> (f64, tensor<3xf64>)
  return %dx, %dv : f64, tensor<3xf64>
}
func.func @jvp_calls(%x: f64, %dx: f64) -> f64 {
  %r, %t = dp.fwddiff @calls(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %t : f64
}
func.func @grad_calls_split(%x: f64, %s: f64) -> f64 {
  %dx = dp.autodiff @push_sin_pop(%x, %s) args [active] results [activenoneed] : (f64, f64) -> f64
  return %dx : f64
}
func.func private @push_sin_pop(%x: f64) -> f64 {
  %t = dp.tape.init : !dp.tape
  func.call @push_sin(%x, %t) : (f64, !dp.tape) -> ()
  %y = func.call @pop_twice(%t) : (!dp.tape) -> f64
  dp.tape.free %t : !dp.tape
  return %y : f64
}

// Reverse: the shadow tape lives in the reversed block; popping a float
// pushes its adjoint, pushing a float pops the adjoint of what was pushed,
// and the reverse of the dp.tape.init frees the shadow.
// CHECK-LABEL: func.func private @__dp_rev_through_tape_aac_a(
// CHECK: %[[S:.*]] = dp.tape.init : !dp.tape
// CHECK: dp.tape.push %[[S]], %{{.*}} : !dp.tape, f64
// CHECK-NEXT: dp.tape.push %[[S]], %{{.*}} : !dp.tape, tensor<3xf64>
// CHECK-NEXT: %[[DV:.*]] = dp.tape.pop %[[S]] : !dp.tape -> tensor<3xf64>
// CHECK-NEXT: %[[DY:.*]] = dp.tape.pop %[[S]] : !dp.tape -> f64
// CHECK-NOT: -> index
// CHECK: arith.mulf %{{.*}}, %[[DY]]
// CHECK: dp.tape.free %[[S]] : !dp.tape
// CHECK-NEXT: return %{{.*}}, %[[DV]] : f64, tensor<3xf64>
// Forward: a tangent tape next to the tape, in step with it.
// CHECK-LABEL: func.func private @__dp_fwd_through_tape_ddc_d(
// CHECK-SAME: %[[X:[^:]*]]: f64, %[[DX:[^:]*]]: f64, %[[V:[^:]*]]: tensor<3xf64>, %[[DV:[^:]*]]: tensor<3xf64>, %[[N:[^:]*]]: index
// CHECK-NEXT: %[[T:.*]] = dp.tape.init : !dp.tape
// CHECK-NEXT: %[[S:.*]] = dp.tape.init : !dp.tape
// CHECK: dp.tape.push %[[T]], %{{.*}} : !dp.tape, f64
// CHECK-NEXT: dp.tape.push %[[S]], %{{.*}} : !dp.tape, f64
// CHECK-NEXT: dp.tape.push %[[T]], %[[V]] : !dp.tape, tensor<3xf64>
// CHECK-NEXT: dp.tape.push %[[S]], %[[DV]] : !dp.tape, tensor<3xf64>
// CHECK-NEXT: dp.tape.push %[[T]], %[[N]] : !dp.tape, index
// CHECK-NEXT: dp.tape.pop %[[T]] : !dp.tape -> index
// CHECK-NEXT: dp.tape.pop %[[T]] : !dp.tape -> tensor<3xf64>
// CHECK-NEXT: dp.tape.pop %[[S]] : !dp.tape -> tensor<3xf64>
// CHECK-NEXT: dp.tape.pop %[[T]] : !dp.tape -> f64
// CHECK-NEXT: dp.tape.pop %[[S]] : !dp.tape -> f64
// CHECK-NEXT: dp.tape.free %[[T]] : !dp.tape
// CHECK-NEXT: dp.tape.free %[[S]] : !dp.tape
// Calls passing a tape pass its shadow: the callee's augmented function
// takes the tape, its reverse the shadow, its tangent function both.
// CHECK-LABEL: func.func private @__dp_aug_push_sin_ad_(
// CHECK-SAME: %{{.*}}: f64, %[[T:.*]]: !dp.tape, %[[TAPE:.*]]: !dp.tape)
// CHECK: dp.tape.push %[[T]], %{{.*}} : !dp.tape, f64
// CHECK-LABEL: func.func private @__dp_rev_push_sin_ad_(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[S:.*]]: !dp.tape) -> f64
// CHECK: %[[A:.*]] = dp.tape.pop %[[S]] : !dp.tape -> f64
// CHECK: arith.mulf %{{.*}}, %[[A]] : f64
// CHECK-LABEL: func.func private @__dp_fwd_push_sin_dd_(
// CHECK-SAME: %{{.*}}: f64, %{{.*}}: f64, %[[T:.*]]: !dp.tape, %[[S:.*]]: !dp.tape)
// CHECK: dp.tape.push %[[T]]
// CHECK-NEXT: dp.tape.push %[[S]]
// CHECK-LABEL: func.func private @__dp_rev_pop_twice_d_a(
// CHECK-SAME: %{{.*}}: !dp.tape, %[[S:.*]]: !dp.tape, %{{.*}}: f64)
// CHECK: %[[A:.*]] = arith.addf
// CHECK-NEXT: dp.tape.push %[[S]], %[[A]] : !dp.tape, f64
// CHECK-LABEL: func.func private @__dp_fwd_pop_twice_d_d(
// CHECK-SAME: %[[T:.*]]: !dp.tape, %[[S:.*]]: !dp.tape)
// CHECK-NEXT: dp.tape.pop %[[T]]
// CHECK-NEXT: dp.tape.pop %[[S]]
// A rewind rewinds the tangent tape too.
// CHECK-LABEL: func.func private @__dp_fwd_calls_d_d(
// CHECK: %[[T:.*]] = dp.tape.init
// CHECK-NEXT: %[[S:.*]] = dp.tape.init
// CHECK-NEXT: call @__dp_fwd_push_sin_dd_(%{{.*}}, %{{.*}}, %[[T]], %[[S]])
// CHECK-NEXT: dp.tape.rewind %[[T]]
// CHECK-NEXT: dp.tape.rewind %[[S]]
// CHECK-NEXT: call @__dp_fwd_pop_twice_d_d(%[[T]], %[[S]])
// CHECK-NEXT: dp.tape.free %[[T]]
// CHECK-NEXT: dp.tape.free %[[S]]
// Reverse over calls that push and pop: the reverse calls run in the
// opposite order on the shadow tape, which the reversed block creates and
// frees.
// CHECK-LABEL: func.func private @__dp_rev_push_sin_pop_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64)
// CHECK-NEXT: %[[S:.*]] = dp.tape.init : !dp.tape
// CHECK-NEXT: call @__dp_rev_pop_twice_d_a(%[[TAPE]], %[[S]], %[[SEED]])
// CHECK-NEXT: %[[G:.*]] = call @__dp_rev_push_sin_ad_(%[[TAPE]], %[[S]])
// CHECK-NEXT: dp.tape.free %[[S]] : !dp.tape
// CHECK-NEXT: return %[[G]] : f64
