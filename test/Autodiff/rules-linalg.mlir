// RUN: dp-opt %s --split-input-file --dp-autodiff | FileCheck %s

// The derivative rules of passes/autodiff/rules/LinalgRules.cpp, one split per
// op: a private primal on static-shaped f64 tensors, then forward (dp.fwddiff)
// and reverse (dp.autodiff) requests for it. Each generated function is
// checked whole, line by line:
//   __dp_fwd_*  the primal op, then the tangent formula;
//   __dp_aug_*  the primal op, then exactly the values the reverse sweep needs,
//               pushed on the tape (nothing else; the reverse sweep receives
//               the tensor arguments and reads them again);
//   __dp_rev_*  the pops (last pushed first), then the adjoint formula.
// Generated functions are inserted right after their primal, newest first, so
// the labels below follow the requests in reverse order. The derivatives of
// array ops are array ops again: the adjoint of a matrix product is matrix
// products of transposes, of a broadcast a reduce-sum, of a reduce a broadcast.

// fill: r = splat of x into a fresh tensor (the init is overwritten: no
// derivative). dr = fill of dx into a new empty tensor. Reverse: dx = sum of
// the seed over both dimensions (reduce into a 0-d tensor, then extract).

// CHECK-LABEL: func.func private @__dp_aug_fill_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> tensor<2x3xf64> {
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[R:.*]] = linalg.fill ins(%[[X]] : f64) outs(%[[EMPTY]] : tensor<2x3xf64>) -> tensor<2x3xf64>
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : tensor<2x3xf64>

// CHECK-LABEL: func.func private @__dp_rev_fill_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: tensor<2x3xf64>) -> f64 {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<f64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY]] : tensor<f64>) -> tensor<f64>
// CHECK-NEXT: %[[RED:.*]] = linalg.reduce ins(%[[SEED]] : tensor<2x3xf64>) outs(%[[FILL]] : tensor<f64>) dimensions = [0, 1]
// CHECK-NEXT: (%[[IN:.*]]: f64, %[[ACC:.*]]: f64) {
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[IN]], %[[ACC]] : f64
// CHECK-NEXT: linalg.yield %[[ADD]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[DX:.*]] = tensor.extract %[[RED]][] : tensor<f64>
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_fill_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (tensor<2x3xf64>, tensor<2x3xf64>) {
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[R:.*]] = linalg.fill ins(%[[X]] : f64) outs(%[[EMPTY]] : tensor<2x3xf64>) -> tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_1:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[DR:.*]] = linalg.fill ins(%[[DX]] : f64) outs(%[[EMPTY_1]] : tensor<2x3xf64>) -> tensor<2x3xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<2x3xf64>, tensor<2x3xf64>

func.func private @fill(%x: f64) -> tensor<2x3xf64> {
  %e = tensor.empty() : tensor<2x3xf64>
  %r = linalg.fill ins(%x : f64) outs(%e : tensor<2x3xf64>) -> tensor<2x3xf64>
  return %r : tensor<2x3xf64>
}

func.func @fill_fwd_d(%x: f64, %dx: f64) -> (tensor<2x3xf64>, tensor<2x3xf64>) {
  %r, %dr = dp.fwddiff @fill(%x, %dx) args [dup] results [dup] : (f64, f64) -> (tensor<2x3xf64>, tensor<2x3xf64>)
  return %r, %dr : tensor<2x3xf64>, tensor<2x3xf64>
}

func.func @fill_rev_a(%x: f64, %seed: tensor<2x3xf64>) -> (tensor<2x3xf64>, f64) {
  %r, %dx = dp.autodiff @fill(%x, %seed) args [active] results [active] : (f64, tensor<2x3xf64>) -> (tensor<2x3xf64>, f64)
  return %r, %dx : tensor<2x3xf64>, f64
}
// -----

// broadcast of a 3-vector along the new dimensions 0 and 2: dr = the same
// broadcast of dv. Reverse: dv = the seed summed over the broadcast dimensions
// [0, 2] (a reduce-sum, not a broadcast). Nothing is cached.

// CHECK-LABEL: func.func private @__dp_aug_broadcast_a_a(
// CHECK-SAME: %[[V:.*]]: tensor<3xf64>, %[[TAPE:.*]]: !dp.tape) -> tensor<2x3x4xf64> {
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2x3x4xf64>
// CHECK-NEXT: %[[R:.*]] = linalg.broadcast ins(%[[V]] : tensor<3xf64>) outs(%[[EMPTY]] : tensor<2x3x4xf64>) dimensions = [0, 2]
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : tensor<2x3x4xf64>

// CHECK-LABEL: func.func private @__dp_rev_broadcast_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[V:[^:]*]]: tensor<3xf64>, %[[SEED:.*]]: tensor<2x3x4xf64>) -> tensor<3xf64> {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<3xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY]] : tensor<3xf64>) -> tensor<3xf64>
// CHECK-NEXT: %[[DV:.*]] = linalg.reduce ins(%[[SEED]] : tensor<2x3x4xf64>) outs(%[[FILL]] : tensor<3xf64>) dimensions = [0, 2]
// CHECK-NEXT: (%[[IN:.*]]: f64, %[[ACC:.*]]: f64) {
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[IN]], %[[ACC]] : f64
// CHECK-NEXT: linalg.yield %[[ADD]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: return %[[DV]] : tensor<3xf64>

// CHECK-LABEL: func.func private @__dp_fwd_broadcast_d_d(
// CHECK-SAME: %[[V:.*]]: tensor<3xf64>, %[[DV:.*]]: tensor<3xf64>) -> (tensor<2x3x4xf64>, tensor<2x3x4xf64>) {
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2x3x4xf64>
// CHECK-NEXT: %[[R:.*]] = linalg.broadcast ins(%[[V]] : tensor<3xf64>) outs(%[[EMPTY]] : tensor<2x3x4xf64>) dimensions = [0, 2]
// CHECK-NEXT: %[[EMPTY_1:.*]] = tensor.empty() : tensor<2x3x4xf64>
// CHECK-NEXT: %[[DR:.*]] = linalg.broadcast ins(%[[DV]] : tensor<3xf64>) outs(%[[EMPTY_1]] : tensor<2x3x4xf64>) dimensions = [0, 2]
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<2x3x4xf64>, tensor<2x3x4xf64>

func.func private @broadcast(%v: tensor<3xf64>) -> tensor<2x3x4xf64> {
  %e = tensor.empty() : tensor<2x3x4xf64>
  %r = linalg.broadcast ins(%v : tensor<3xf64>) outs(%e : tensor<2x3x4xf64>) dimensions = [0, 2]
  return %r : tensor<2x3x4xf64>
}

func.func @broadcast_fwd_d(%v: tensor<3xf64>, %dv: tensor<3xf64>) -> (tensor<2x3x4xf64>, tensor<2x3x4xf64>) {
  %r, %dr = dp.fwddiff @broadcast(%v, %dv) args [dup] results [dup] : (tensor<3xf64>, tensor<3xf64>) -> (tensor<2x3x4xf64>, tensor<2x3x4xf64>)
  return %r, %dr : tensor<2x3x4xf64>, tensor<2x3x4xf64>
}

func.func @broadcast_rev_a(%v: tensor<3xf64>, %seed: tensor<2x3x4xf64>) -> (tensor<2x3x4xf64>, tensor<3xf64>) {
  %r, %dv = dp.autodiff @broadcast(%v, %seed) args [active] results [active] : (tensor<3xf64>, tensor<2x3x4xf64>) -> (tensor<2x3x4xf64>, tensor<3xf64>)
  return %r, %dv : tensor<2x3x4xf64>, tensor<3xf64>
}
// -----

// transpose with permutation [1, 2, 0] (not its own inverse): dr = the same
// transpose of dt. Reverse: the seed transposed by the inverse permutation
// [2, 0, 1]. Nothing is cached.

// CHECK-LABEL: func.func private @__dp_aug_transpose_a_a(
// CHECK-SAME: %[[T:.*]]: tensor<2x3x4xf64>, %[[TAPE:.*]]: !dp.tape) -> tensor<3x4x2xf64> {
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<3x4x2xf64>
// CHECK-NEXT: %[[R:.*]] = linalg.transpose ins(%[[T]] : tensor<2x3x4xf64>) outs(%[[EMPTY]] : tensor<3x4x2xf64>) permutation = [1, 2, 0]
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : tensor<3x4x2xf64>

// CHECK-LABEL: func.func private @__dp_rev_transpose_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[T:[^:]*]]: tensor<2x3x4xf64>, %[[SEED:.*]]: tensor<3x4x2xf64>) -> tensor<2x3x4xf64> {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2x3x4xf64>
// CHECK-NEXT: %[[DT:.*]] = linalg.transpose ins(%[[SEED]] : tensor<3x4x2xf64>) outs(%[[EMPTY]] : tensor<2x3x4xf64>) permutation = [2, 0, 1]
// CHECK-NEXT: return %[[DT]] : tensor<2x3x4xf64>

// CHECK-LABEL: func.func private @__dp_fwd_transpose_d_d(
// CHECK-SAME: %[[T:.*]]: tensor<2x3x4xf64>, %[[DT:.*]]: tensor<2x3x4xf64>) -> (tensor<3x4x2xf64>, tensor<3x4x2xf64>) {
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<3x4x2xf64>
// CHECK-NEXT: %[[R:.*]] = linalg.transpose ins(%[[T]] : tensor<2x3x4xf64>) outs(%[[EMPTY]] : tensor<3x4x2xf64>) permutation = [1, 2, 0]
// CHECK-NEXT: %[[EMPTY_1:.*]] = tensor.empty() : tensor<3x4x2xf64>
// CHECK-NEXT: %[[DR:.*]] = linalg.transpose ins(%[[DT]] : tensor<2x3x4xf64>) outs(%[[EMPTY_1]] : tensor<3x4x2xf64>) permutation = [1, 2, 0]
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<3x4x2xf64>, tensor<3x4x2xf64>

func.func private @transpose(%t: tensor<2x3x4xf64>) -> tensor<3x4x2xf64> {
  %e = tensor.empty() : tensor<3x4x2xf64>
  %r = linalg.transpose ins(%t : tensor<2x3x4xf64>) outs(%e : tensor<3x4x2xf64>) permutation = [1, 2, 0]
  return %r : tensor<3x4x2xf64>
}

func.func @transpose_fwd_d(%t: tensor<2x3x4xf64>, %dt: tensor<2x3x4xf64>) -> (tensor<3x4x2xf64>, tensor<3x4x2xf64>) {
  %r, %dr = dp.fwddiff @transpose(%t, %dt) args [dup] results [dup] : (tensor<2x3x4xf64>, tensor<2x3x4xf64>) -> (tensor<3x4x2xf64>, tensor<3x4x2xf64>)
  return %r, %dr : tensor<3x4x2xf64>, tensor<3x4x2xf64>
}

func.func @transpose_rev_a(%t: tensor<2x3x4xf64>, %seed: tensor<3x4x2xf64>) -> (tensor<3x4x2xf64>, tensor<2x3x4xf64>) {
  %r, %dt = dp.autodiff @transpose(%t, %seed) args [active] results [active] : (tensor<2x3x4xf64>, tensor<3x4x2xf64>) -> (tensor<3x4x2xf64>, tensor<2x3x4xf64>)
  return %r, %dt : tensor<3x4x2xf64>, tensor<2x3x4xf64>
}
// -----

// reduce with an addf body (row sums into the init): r = init + sum_j t[:, j].
// dr = reduce-sum of dt (into a fresh zero init) + dinit. Reverse: dt = the
// seed broadcast along the reduced dimension 1, dinit = the seed. Linear:
// nothing is cached; the one-active request builds only dt.

// CHECK-LABEL: func.func private @__dp_aug_reduce_sum_ac_a(
// CHECK-SAME: %[[T:.*]]: tensor<2x3xf64>, %[[INIT:.*]]: tensor<2xf64>, %[[TAPE:.*]]: !dp.tape) -> tensor<2xf64> {
// CHECK-NEXT: %[[R:.*]] = linalg.reduce ins(%[[T]] : tensor<2x3xf64>) outs(%[[INIT]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN:.*]]: f64, %[[ACC:.*]]: f64) {
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[IN]], %[[ACC]] : f64
// CHECK-NEXT: linalg.yield %[[ADD]] : f64
// CHECK-NEXT: }
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : tensor<2xf64>

// CHECK-LABEL: func.func private @__dp_rev_reduce_sum_ac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[T:[^:]*]]: tensor<2x3xf64>, %[[INIT:[^:]*]]: tensor<2xf64>, %[[SEED:.*]]: tensor<2xf64>) -> tensor<2x3xf64> {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[DT:.*]] = linalg.broadcast ins(%[[SEED]] : tensor<2xf64>) outs(%[[EMPTY]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: return %[[DT]] : tensor<2x3xf64>

// CHECK-LABEL: func.func private @__dp_aug_reduce_sum_aa_a(
// CHECK-SAME: %[[T:.*]]: tensor<2x3xf64>, %[[INIT:.*]]: tensor<2xf64>, %[[TAPE:.*]]: !dp.tape) -> tensor<2xf64> {
// CHECK-NEXT: %[[R:.*]] = linalg.reduce ins(%[[T]] : tensor<2x3xf64>) outs(%[[INIT]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN:.*]]: f64, %[[ACC:.*]]: f64) {
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[IN]], %[[ACC]] : f64
// CHECK-NEXT: linalg.yield %[[ADD]] : f64
// CHECK-NEXT: }
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : tensor<2xf64>

// CHECK-LABEL: func.func private @__dp_rev_reduce_sum_aa_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[T:[^:]*]]: tensor<2x3xf64>, %[[INIT:[^:]*]]: tensor<2xf64>, %[[SEED:.*]]: tensor<2xf64>) -> (tensor<2x3xf64>, tensor<2xf64>) {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[DT:.*]] = linalg.broadcast ins(%[[SEED]] : tensor<2xf64>) outs(%[[EMPTY]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: return %[[DT]], %[[SEED]] : tensor<2x3xf64>, tensor<2xf64>

// CHECK-LABEL: func.func private @__dp_fwd_reduce_sum_dc_d(
// CHECK-SAME: %[[T:.*]]: tensor<2x3xf64>, %[[DT:.*]]: tensor<2x3xf64>, %[[INIT:.*]]: tensor<2xf64>) -> (tensor<2xf64>, tensor<2xf64>) {
// CHECK-NEXT: %[[R:.*]] = linalg.reduce ins(%[[T]] : tensor<2x3xf64>) outs(%[[INIT]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN:.*]]: f64, %[[ACC:.*]]: f64) {
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[IN]], %[[ACC]] : f64
// CHECK-NEXT: linalg.yield %[[ADD]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[DR:.*]] = linalg.reduce ins(%[[DT]] : tensor<2x3xf64>) outs(%[[FILL]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN_1:.*]]: f64, %[[ACC_1:.*]]: f64) {
// CHECK-NEXT: %[[ADD_1:.*]] = arith.addf %[[IN_1]], %[[ACC_1]] : f64
// CHECK-NEXT: linalg.yield %[[ADD_1]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<2xf64>, tensor<2xf64>

// CHECK-LABEL: func.func private @__dp_fwd_reduce_sum_dd_d(
// CHECK-SAME: %[[T:.*]]: tensor<2x3xf64>, %[[DT:.*]]: tensor<2x3xf64>, %[[INIT:.*]]: tensor<2xf64>, %[[DINIT:.*]]: tensor<2xf64>) -> (tensor<2xf64>, tensor<2xf64>) {
// CHECK-NEXT: %[[R:.*]] = linalg.reduce ins(%[[T]] : tensor<2x3xf64>) outs(%[[INIT]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN:.*]]: f64, %[[ACC:.*]]: f64) {
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[IN]], %[[ACC]] : f64
// CHECK-NEXT: linalg.yield %[[ADD]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[RED:.*]] = linalg.reduce ins(%[[DT]] : tensor<2x3xf64>) outs(%[[FILL]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN_1:.*]]: f64, %[[ACC_1:.*]]: f64) {
// CHECK-NEXT: %[[ADD_1:.*]] = arith.addf %[[IN_1]], %[[ACC_1]] : f64
// CHECK-NEXT: linalg.yield %[[ADD_1]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[DR:.*]] = arith.addf %[[RED]], %[[DINIT]] : tensor<2xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<2xf64>, tensor<2xf64>

func.func private @reduce_sum(%t: tensor<2x3xf64>, %init: tensor<2xf64>) -> tensor<2xf64> {
  %r = linalg.reduce ins(%t : tensor<2x3xf64>) outs(%init : tensor<2xf64>) dimensions = [1]
    (%in: f64, %acc: f64) {
      %sum = arith.addf %in, %acc : f64
      linalg.yield %sum : f64
    }
  return %r : tensor<2xf64>
}

func.func @reduce_sum_fwd_dd(%t: tensor<2x3xf64>, %dt: tensor<2x3xf64>, %init: tensor<2xf64>, %dinit: tensor<2xf64>) -> (tensor<2xf64>, tensor<2xf64>) {
  %r, %dr = dp.fwddiff @reduce_sum(%t, %dt, %init, %dinit) args [dup, dup] results [dup] : (tensor<2x3xf64>, tensor<2x3xf64>, tensor<2xf64>, tensor<2xf64>) -> (tensor<2xf64>, tensor<2xf64>)
  return %r, %dr : tensor<2xf64>, tensor<2xf64>
}

func.func @reduce_sum_fwd_dc(%t: tensor<2x3xf64>, %dt: tensor<2x3xf64>, %init: tensor<2xf64>) -> (tensor<2xf64>, tensor<2xf64>) {
  %r, %dr = dp.fwddiff @reduce_sum(%t, %dt, %init) args [dup, const] results [dup] : (tensor<2x3xf64>, tensor<2x3xf64>, tensor<2xf64>) -> (tensor<2xf64>, tensor<2xf64>)
  return %r, %dr : tensor<2xf64>, tensor<2xf64>
}

func.func @reduce_sum_rev_aa(%t: tensor<2x3xf64>, %init: tensor<2xf64>, %seed: tensor<2xf64>) -> (tensor<2xf64>, tensor<2x3xf64>, tensor<2xf64>) {
  %r, %dt, %dinit = dp.autodiff @reduce_sum(%t, %init, %seed) args [active, active] results [active] : (tensor<2x3xf64>, tensor<2xf64>, tensor<2xf64>) -> (tensor<2xf64>, tensor<2x3xf64>, tensor<2xf64>)
  return %r, %dt, %dinit : tensor<2xf64>, tensor<2x3xf64>, tensor<2xf64>
}

func.func @reduce_sum_rev_ac(%t: tensor<2x3xf64>, %init: tensor<2xf64>, %seed: tensor<2xf64>) -> (tensor<2xf64>, tensor<2x3xf64>) {
  %r, %dt = dp.autodiff @reduce_sum(%t, %init, %seed) args [active, const] results [active] : (tensor<2x3xf64>, tensor<2xf64>, tensor<2xf64>) -> (tensor<2xf64>, tensor<2x3xf64>)
  return %r, %dt : tensor<2xf64>, tensor<2x3xf64>
}
// -----

// reduce with a mulf body (row products): r = init * prod_j t[:, j], with no
// division by a zero input. With z = the number of zeros in a row (a
// reduce-sum of select(t == 0, 1, 0)) and p = the product of the row's
// nonzero factors (a mulf-reduce of select(t == 0, 1, t) into a fill of 1):
//   factor of t[:, j] = r / t[:, j]           where z = 0,
//                       p * init at the zero  where z = 1 (0 elsewhere),
//                       0                     where z > 1;
//   factor of init    = select(z == 0, p, 0) (the product of the inputs).
// dr = reduce-sum of factor * dt (+ init factor * dinit). Reverse: dt =
// broadcast(seed) * factor, dinit = seed * init factor. The init factor is
// built even when the init is not active (unused then).
// @reduce_prod fills its init with 1: the reverse sweep rebuilds that fill
// (tensor.empty + linalg.fill) instead of caching it, and caches only r (t
// is an argument). @reduce_prod_init takes an active init: init and r are
// cached.

// CHECK-LABEL: func.func private @__dp_aug_reduce_prod_a_a(
// CHECK-SAME: %[[T:.*]]: tensor<2x3xf64>, %[[TAPE:.*]]: !dp.tape) -> tensor<2xf64> {
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[INIT:.*]] = linalg.fill ins(%[[ONE]] : f64) outs(%[[EMPTY]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[R:.*]] = linalg.reduce ins(%[[T]] : tensor<2x3xf64>) outs(%[[INIT]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN:.*]]: f64, %[[ACC:.*]]: f64) {
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[IN]], %[[ACC]] : f64
// CHECK-NEXT: linalg.yield %[[MUL]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[R]] : !dp.tape, tensor<2xf64>
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : tensor<2xf64>

// CHECK-LABEL: func.func private @__dp_rev_reduce_prod_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[T:[^:]*]]: tensor<2x3xf64>, %[[SEED:.*]]: tensor<2xf64>) -> tensor<2x3xf64> {
// CHECK-NEXT: %[[R:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> tensor<2xf64>
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[INIT:.*]] = linalg.fill ins(%[[ONE]] : f64) outs(%[[EMPTY]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[EMPTY_1:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[SPREAD:.*]] = linalg.broadcast ins(%[[SEED]] : tensor<2xf64>) outs(%[[EMPTY_1]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[ZERO_X:.*]] = arith.constant dense<0.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[ONE_X:.*]] = arith.constant dense<1.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[ISZERO:.*]] = arith.cmpf oeq, %[[T]], %[[ZERO_X]] : tensor<2x3xf64>
// CHECK-NEXT: %[[NONZERO:.*]] = arith.select %[[ISZERO]], %[[ONE_X]], %[[T]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_2:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[ONE_1:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ONE_1]] : f64) outs(%[[EMPTY_2]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[NZPROD:.*]] = linalg.reduce ins(%[[NONZERO]] : tensor<2x3xf64>) outs(%[[FILL]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN:.*]]: f64, %[[ACC:.*]]: f64) {
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[IN]], %[[ACC]] : f64
// CHECK-NEXT: linalg.yield %[[MUL]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[ZMASK:.*]] = arith.select %[[ISZERO]], %[[ONE_X]], %[[ZERO_X]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_3:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL_1:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY_3]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[ZEROS:.*]] = linalg.reduce ins(%[[ZMASK]] : tensor<2x3xf64>) outs(%[[FILL_1]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN_1:.*]]: f64, %[[ACC_1:.*]]: f64) {
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[IN_1]], %[[ACC_1]] : f64
// CHECK-NEXT: linalg.yield %[[ADD]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[EMPTY_4:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[ZEROS_X:.*]] = linalg.broadcast ins(%[[ZEROS]] : tensor<2xf64>) outs(%[[EMPTY_4]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[RECIP:.*]] = arith.divf %[[ONE_X]], %[[NONZERO]] : tensor<2x3xf64>
// CHECK-NEXT: %[[RECIP_NZ:.*]] = arith.select %[[ISZERO]], %[[ONE_X]], %[[RECIP]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[PROD_INIT:.*]] = arith.mulf %[[NZPROD]], %[[INIT]] : tensor<2xf64>
// CHECK-NEXT: %[[EMPTY_5:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[PROD_INIT_X:.*]] = linalg.broadcast ins(%[[PROD_INIT]] : tensor<2xf64>) outs(%[[EMPTY_5]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[OTHERS:.*]] = arith.mulf %[[PROD_INIT_X]], %[[RECIP_NZ]] : tensor<2x3xf64>
// CHECK-NEXT: %[[NONE:.*]] = arith.cmpf oeq, %[[ZEROS_X]], %[[ZERO_X]] : tensor<2x3xf64>
// CHECK-NEXT: %[[SINGLE:.*]] = arith.cmpf oeq, %[[ZEROS_X]], %[[ONE_X]] : tensor<2x3xf64>
// CHECK-NEXT: %[[AT_ZERO:.*]] = arith.select %[[ISZERO]], %[[OTHERS]], %[[ZERO_X]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[AT_SINGLE:.*]] = arith.select %[[SINGLE]], %[[AT_ZERO]], %[[ZERO_X]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[SAFE_T:.*]] = arith.select %[[ISZERO]], %[[ONE_X]], %[[T]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_6:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[R_X:.*]] = linalg.broadcast ins(%[[R]] : tensor<2xf64>) outs(%[[EMPTY_6]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[QUOT:.*]] = arith.divf %[[R_X]], %[[SAFE_T]] : tensor<2x3xf64>
// CHECK-NEXT: %[[FACTOR:.*]] = arith.select %[[NONE]], %[[QUOT]], %[[AT_SINGLE]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[ZERO_Y:.*]] = arith.constant dense<0.000000e+00> : tensor<2xf64>
// CHECK-NEXT: %[[NO_ZEROS:.*]] = arith.cmpf oeq, %[[ZEROS]], %[[ZERO_Y]] : tensor<2xf64>
// CHECK-NEXT: %[[INIT_FACTOR:.*]] = arith.select %[[NO_ZEROS]], %[[NZPROD]], %[[ZERO_Y]] : tensor<2xi1>, tensor<2xf64>
// CHECK-NEXT: %[[DT:.*]] = arith.mulf %[[SPREAD]], %[[FACTOR]] : tensor<2x3xf64>
// CHECK-NEXT: return %[[DT]] : tensor<2x3xf64>

// CHECK-LABEL: func.func private @__dp_fwd_reduce_prod_d_d(
// CHECK-SAME: %[[T:.*]]: tensor<2x3xf64>, %[[DT:.*]]: tensor<2x3xf64>) -> (tensor<2xf64>, tensor<2xf64>) {
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[INIT:.*]] = linalg.fill ins(%[[ONE]] : f64) outs(%[[EMPTY]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[R:.*]] = linalg.reduce ins(%[[T]] : tensor<2x3xf64>) outs(%[[INIT]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN:.*]]: f64, %[[ACC:.*]]: f64) {
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[IN]], %[[ACC]] : f64
// CHECK-NEXT: linalg.yield %[[MUL]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[ZERO_X:.*]] = arith.constant dense<0.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[ONE_X:.*]] = arith.constant dense<1.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[ISZERO:.*]] = arith.cmpf oeq, %[[T]], %[[ZERO_X]] : tensor<2x3xf64>
// CHECK-NEXT: %[[NONZERO:.*]] = arith.select %[[ISZERO]], %[[ONE_X]], %[[T]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_1:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[ONE_1:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ONE_1]] : f64) outs(%[[EMPTY_1]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[NZPROD:.*]] = linalg.reduce ins(%[[NONZERO]] : tensor<2x3xf64>) outs(%[[FILL]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN_1:.*]]: f64, %[[ACC_1:.*]]: f64) {
// CHECK-NEXT: %[[MUL_1:.*]] = arith.mulf %[[IN_1]], %[[ACC_1]] : f64
// CHECK-NEXT: linalg.yield %[[MUL_1]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[ZMASK:.*]] = arith.select %[[ISZERO]], %[[ONE_X]], %[[ZERO_X]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_2:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL_1:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY_2]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[ZEROS:.*]] = linalg.reduce ins(%[[ZMASK]] : tensor<2x3xf64>) outs(%[[FILL_1]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN_2:.*]]: f64, %[[ACC_2:.*]]: f64) {
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[IN_2]], %[[ACC_2]] : f64
// CHECK-NEXT: linalg.yield %[[ADD]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[EMPTY_3:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[ZEROS_X:.*]] = linalg.broadcast ins(%[[ZEROS]] : tensor<2xf64>) outs(%[[EMPTY_3]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[RECIP:.*]] = arith.divf %[[ONE_X]], %[[NONZERO]] : tensor<2x3xf64>
// CHECK-NEXT: %[[RECIP_NZ:.*]] = arith.select %[[ISZERO]], %[[ONE_X]], %[[RECIP]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[PROD_INIT:.*]] = arith.mulf %[[NZPROD]], %[[INIT]] : tensor<2xf64>
// CHECK-NEXT: %[[EMPTY_4:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[PROD_INIT_X:.*]] = linalg.broadcast ins(%[[PROD_INIT]] : tensor<2xf64>) outs(%[[EMPTY_4]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[OTHERS:.*]] = arith.mulf %[[PROD_INIT_X]], %[[RECIP_NZ]] : tensor<2x3xf64>
// CHECK-NEXT: %[[NONE:.*]] = arith.cmpf oeq, %[[ZEROS_X]], %[[ZERO_X]] : tensor<2x3xf64>
// CHECK-NEXT: %[[SINGLE:.*]] = arith.cmpf oeq, %[[ZEROS_X]], %[[ONE_X]] : tensor<2x3xf64>
// CHECK-NEXT: %[[AT_ZERO:.*]] = arith.select %[[ISZERO]], %[[OTHERS]], %[[ZERO_X]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[AT_SINGLE:.*]] = arith.select %[[SINGLE]], %[[AT_ZERO]], %[[ZERO_X]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[SAFE_T:.*]] = arith.select %[[ISZERO]], %[[ONE_X]], %[[T]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_5:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[R_X:.*]] = linalg.broadcast ins(%[[R]] : tensor<2xf64>) outs(%[[EMPTY_5]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[QUOT:.*]] = arith.divf %[[R_X]], %[[SAFE_T]] : tensor<2x3xf64>
// CHECK-NEXT: %[[FACTOR:.*]] = arith.select %[[NONE]], %[[QUOT]], %[[AT_SINGLE]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[ZERO_Y:.*]] = arith.constant dense<0.000000e+00> : tensor<2xf64>
// CHECK-NEXT: %[[NO_ZEROS:.*]] = arith.cmpf oeq, %[[ZEROS]], %[[ZERO_Y]] : tensor<2xf64>
// CHECK-NEXT: %[[INIT_FACTOR:.*]] = arith.select %[[NO_ZEROS]], %[[NZPROD]], %[[ZERO_Y]] : tensor<2xi1>, tensor<2xf64>
// CHECK-NEXT: %[[TAN:.*]] = arith.mulf %[[FACTOR]], %[[DT]] : tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_6:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[ZERO_1:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL_2:.*]] = linalg.fill ins(%[[ZERO_1]] : f64) outs(%[[EMPTY_6]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[DR:.*]] = linalg.reduce ins(%[[TAN]] : tensor<2x3xf64>) outs(%[[FILL_2]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN_3:.*]]: f64, %[[ACC_3:.*]]: f64) {
// CHECK-NEXT: %[[ADD_1:.*]] = arith.addf %[[IN_3]], %[[ACC_3]] : f64
// CHECK-NEXT: linalg.yield %[[ADD_1]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<2xf64>, tensor<2xf64>

// CHECK-LABEL: func.func private @__dp_aug_reduce_prod_init_aa_a(
// CHECK-SAME: %[[T:.*]]: tensor<2x3xf64>, %[[INIT:.*]]: tensor<2xf64>, %[[TAPE:.*]]: !dp.tape) -> tensor<2xf64> {
// CHECK-NEXT: %[[R:.*]] = linalg.reduce ins(%[[T]] : tensor<2x3xf64>) outs(%[[INIT]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN:.*]]: f64, %[[ACC:.*]]: f64) {
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[IN]], %[[ACC]] : f64
// CHECK-NEXT: linalg.yield %[[MUL]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[R]] : !dp.tape, tensor<2xf64>
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : tensor<2xf64>

// CHECK-LABEL: func.func private @__dp_rev_reduce_prod_init_aa_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[T:[^:]*]]: tensor<2x3xf64>, %[[INIT:[^:]*]]: tensor<2xf64>, %[[SEED:.*]]: tensor<2xf64>) -> (tensor<2x3xf64>, tensor<2xf64>) {
// CHECK-NEXT: %[[R:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> tensor<2xf64>
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[SPREAD:.*]] = linalg.broadcast ins(%[[SEED]] : tensor<2xf64>) outs(%[[EMPTY]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[ZERO_X:.*]] = arith.constant dense<0.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[ONE_X:.*]] = arith.constant dense<1.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[ISZERO:.*]] = arith.cmpf oeq, %[[T]], %[[ZERO_X]] : tensor<2x3xf64>
// CHECK-NEXT: %[[NONZERO:.*]] = arith.select %[[ISZERO]], %[[ONE_X]], %[[T]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_1:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ONE]] : f64) outs(%[[EMPTY_1]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[NZPROD:.*]] = linalg.reduce ins(%[[NONZERO]] : tensor<2x3xf64>) outs(%[[FILL]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN:.*]]: f64, %[[ACC:.*]]: f64) {
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[IN]], %[[ACC]] : f64
// CHECK-NEXT: linalg.yield %[[MUL]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[ZMASK:.*]] = arith.select %[[ISZERO]], %[[ONE_X]], %[[ZERO_X]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_2:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL_1:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY_2]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[ZEROS:.*]] = linalg.reduce ins(%[[ZMASK]] : tensor<2x3xf64>) outs(%[[FILL_1]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN_1:.*]]: f64, %[[ACC_1:.*]]: f64) {
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[IN_1]], %[[ACC_1]] : f64
// CHECK-NEXT: linalg.yield %[[ADD]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[EMPTY_3:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[ZEROS_X:.*]] = linalg.broadcast ins(%[[ZEROS]] : tensor<2xf64>) outs(%[[EMPTY_3]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[RECIP:.*]] = arith.divf %[[ONE_X]], %[[NONZERO]] : tensor<2x3xf64>
// CHECK-NEXT: %[[RECIP_NZ:.*]] = arith.select %[[ISZERO]], %[[ONE_X]], %[[RECIP]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[PROD_INIT:.*]] = arith.mulf %[[NZPROD]], %[[INIT]] : tensor<2xf64>
// CHECK-NEXT: %[[EMPTY_4:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[PROD_INIT_X:.*]] = linalg.broadcast ins(%[[PROD_INIT]] : tensor<2xf64>) outs(%[[EMPTY_4]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[OTHERS:.*]] = arith.mulf %[[PROD_INIT_X]], %[[RECIP_NZ]] : tensor<2x3xf64>
// CHECK-NEXT: %[[NONE:.*]] = arith.cmpf oeq, %[[ZEROS_X]], %[[ZERO_X]] : tensor<2x3xf64>
// CHECK-NEXT: %[[SINGLE:.*]] = arith.cmpf oeq, %[[ZEROS_X]], %[[ONE_X]] : tensor<2x3xf64>
// CHECK-NEXT: %[[AT_ZERO:.*]] = arith.select %[[ISZERO]], %[[OTHERS]], %[[ZERO_X]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[AT_SINGLE:.*]] = arith.select %[[SINGLE]], %[[AT_ZERO]], %[[ZERO_X]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[SAFE_T:.*]] = arith.select %[[ISZERO]], %[[ONE_X]], %[[T]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_5:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[R_X:.*]] = linalg.broadcast ins(%[[R]] : tensor<2xf64>) outs(%[[EMPTY_5]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[QUOT:.*]] = arith.divf %[[R_X]], %[[SAFE_T]] : tensor<2x3xf64>
// CHECK-NEXT: %[[FACTOR:.*]] = arith.select %[[NONE]], %[[QUOT]], %[[AT_SINGLE]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[ZERO_Y:.*]] = arith.constant dense<0.000000e+00> : tensor<2xf64>
// CHECK-NEXT: %[[NO_ZEROS:.*]] = arith.cmpf oeq, %[[ZEROS]], %[[ZERO_Y]] : tensor<2xf64>
// CHECK-NEXT: %[[INIT_FACTOR:.*]] = arith.select %[[NO_ZEROS]], %[[NZPROD]], %[[ZERO_Y]] : tensor<2xi1>, tensor<2xf64>
// CHECK-NEXT: %[[DT:.*]] = arith.mulf %[[SPREAD]], %[[FACTOR]] : tensor<2x3xf64>
// CHECK-NEXT: %[[DINIT:.*]] = arith.mulf %[[SEED]], %[[INIT_FACTOR]] : tensor<2xf64>
// CHECK-NEXT: return %[[DT]], %[[DINIT]] : tensor<2x3xf64>, tensor<2xf64>

// CHECK-LABEL: func.func private @__dp_fwd_reduce_prod_init_dd_d(
// CHECK-SAME: %[[T:.*]]: tensor<2x3xf64>, %[[DT:.*]]: tensor<2x3xf64>, %[[INIT:.*]]: tensor<2xf64>, %[[DINIT:.*]]: tensor<2xf64>) -> (tensor<2xf64>, tensor<2xf64>) {
// CHECK-NEXT: %[[R:.*]] = linalg.reduce ins(%[[T]] : tensor<2x3xf64>) outs(%[[INIT]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN:.*]]: f64, %[[ACC:.*]]: f64) {
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[IN]], %[[ACC]] : f64
// CHECK-NEXT: linalg.yield %[[MUL]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[ZERO_X:.*]] = arith.constant dense<0.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[ONE_X:.*]] = arith.constant dense<1.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[ISZERO:.*]] = arith.cmpf oeq, %[[T]], %[[ZERO_X]] : tensor<2x3xf64>
// CHECK-NEXT: %[[NONZERO:.*]] = arith.select %[[ISZERO]], %[[ONE_X]], %[[T]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ONE]] : f64) outs(%[[EMPTY]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[NZPROD:.*]] = linalg.reduce ins(%[[NONZERO]] : tensor<2x3xf64>) outs(%[[FILL]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN_1:.*]]: f64, %[[ACC_1:.*]]: f64) {
// CHECK-NEXT: %[[MUL_1:.*]] = arith.mulf %[[IN_1]], %[[ACC_1]] : f64
// CHECK-NEXT: linalg.yield %[[MUL_1]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[ZMASK:.*]] = arith.select %[[ISZERO]], %[[ONE_X]], %[[ZERO_X]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_1:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL_1:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY_1]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[ZEROS:.*]] = linalg.reduce ins(%[[ZMASK]] : tensor<2x3xf64>) outs(%[[FILL_1]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN_2:.*]]: f64, %[[ACC_2:.*]]: f64) {
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[IN_2]], %[[ACC_2]] : f64
// CHECK-NEXT: linalg.yield %[[ADD]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[EMPTY_2:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[ZEROS_X:.*]] = linalg.broadcast ins(%[[ZEROS]] : tensor<2xf64>) outs(%[[EMPTY_2]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[RECIP:.*]] = arith.divf %[[ONE_X]], %[[NONZERO]] : tensor<2x3xf64>
// CHECK-NEXT: %[[RECIP_NZ:.*]] = arith.select %[[ISZERO]], %[[ONE_X]], %[[RECIP]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[PROD_INIT:.*]] = arith.mulf %[[NZPROD]], %[[INIT]] : tensor<2xf64>
// CHECK-NEXT: %[[EMPTY_3:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[PROD_INIT_X:.*]] = linalg.broadcast ins(%[[PROD_INIT]] : tensor<2xf64>) outs(%[[EMPTY_3]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[OTHERS:.*]] = arith.mulf %[[PROD_INIT_X]], %[[RECIP_NZ]] : tensor<2x3xf64>
// CHECK-NEXT: %[[NONE:.*]] = arith.cmpf oeq, %[[ZEROS_X]], %[[ZERO_X]] : tensor<2x3xf64>
// CHECK-NEXT: %[[SINGLE:.*]] = arith.cmpf oeq, %[[ZEROS_X]], %[[ONE_X]] : tensor<2x3xf64>
// CHECK-NEXT: %[[AT_ZERO:.*]] = arith.select %[[ISZERO]], %[[OTHERS]], %[[ZERO_X]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[AT_SINGLE:.*]] = arith.select %[[SINGLE]], %[[AT_ZERO]], %[[ZERO_X]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[SAFE_T:.*]] = arith.select %[[ISZERO]], %[[ONE_X]], %[[T]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_4:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[R_X:.*]] = linalg.broadcast ins(%[[R]] : tensor<2xf64>) outs(%[[EMPTY_4]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[QUOT:.*]] = arith.divf %[[R_X]], %[[SAFE_T]] : tensor<2x3xf64>
// CHECK-NEXT: %[[FACTOR:.*]] = arith.select %[[NONE]], %[[QUOT]], %[[AT_SINGLE]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[ZERO_Y:.*]] = arith.constant dense<0.000000e+00> : tensor<2xf64>
// CHECK-NEXT: %[[NO_ZEROS:.*]] = arith.cmpf oeq, %[[ZEROS]], %[[ZERO_Y]] : tensor<2xf64>
// CHECK-NEXT: %[[INIT_FACTOR:.*]] = arith.select %[[NO_ZEROS]], %[[NZPROD]], %[[ZERO_Y]] : tensor<2xi1>, tensor<2xf64>
// CHECK-NEXT: %[[TAN:.*]] = arith.mulf %[[FACTOR]], %[[DT]] : tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_5:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[ZERO_1:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL_2:.*]] = linalg.fill ins(%[[ZERO_1]] : f64) outs(%[[EMPTY_5]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[RED:.*]] = linalg.reduce ins(%[[TAN]] : tensor<2x3xf64>) outs(%[[FILL_2]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN_3:.*]]: f64, %[[ACC_3:.*]]: f64) {
// CHECK-NEXT: %[[ADD_1:.*]] = arith.addf %[[IN_3]], %[[ACC_3]] : f64
// CHECK-NEXT: linalg.yield %[[ADD_1]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[TAN_INIT:.*]] = arith.mulf %[[INIT_FACTOR]], %[[DINIT]] : tensor<2xf64>
// CHECK-NEXT: %[[DR:.*]] = arith.addf %[[RED]], %[[TAN_INIT]] : tensor<2xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<2xf64>, tensor<2xf64>

func.func private @reduce_prod(%t: tensor<2x3xf64>) -> tensor<2xf64> {
  %one = arith.constant 1.0 : f64
  %e = tensor.empty() : tensor<2xf64>
  %init = linalg.fill ins(%one : f64) outs(%e : tensor<2xf64>) -> tensor<2xf64>
  %r = linalg.reduce ins(%t : tensor<2x3xf64>) outs(%init : tensor<2xf64>) dimensions = [1]
    (%in: f64, %acc: f64) {
      %p = arith.mulf %in, %acc : f64
      linalg.yield %p : f64
    }
  return %r : tensor<2xf64>
}

func.func @reduce_prod_fwd_d(%t: tensor<2x3xf64>, %dt: tensor<2x3xf64>) -> (tensor<2xf64>, tensor<2xf64>) {
  %r, %dr = dp.fwddiff @reduce_prod(%t, %dt) args [dup] results [dup] : (tensor<2x3xf64>, tensor<2x3xf64>) -> (tensor<2xf64>, tensor<2xf64>)
  return %r, %dr : tensor<2xf64>, tensor<2xf64>
}

func.func @reduce_prod_rev_a(%t: tensor<2x3xf64>, %seed: tensor<2xf64>) -> (tensor<2xf64>, tensor<2x3xf64>) {
  %r, %dt = dp.autodiff @reduce_prod(%t, %seed) args [active] results [active] : (tensor<2x3xf64>, tensor<2xf64>) -> (tensor<2xf64>, tensor<2x3xf64>)
  return %r, %dt : tensor<2xf64>, tensor<2x3xf64>
}

func.func private @reduce_prod_init(%t: tensor<2x3xf64>, %init: tensor<2xf64>) -> tensor<2xf64> {
  %r = linalg.reduce ins(%t : tensor<2x3xf64>) outs(%init : tensor<2xf64>) dimensions = [1]
    (%in: f64, %acc: f64) {
      %p = arith.mulf %in, %acc : f64
      linalg.yield %p : f64
    }
  return %r : tensor<2xf64>
}

func.func @reduce_prod_init_fwd_dd(%t: tensor<2x3xf64>, %dt: tensor<2x3xf64>, %init: tensor<2xf64>, %dinit: tensor<2xf64>) -> (tensor<2xf64>, tensor<2xf64>) {
  %r, %dr = dp.fwddiff @reduce_prod_init(%t, %dt, %init, %dinit) args [dup, dup] results [dup] : (tensor<2x3xf64>, tensor<2x3xf64>, tensor<2xf64>, tensor<2xf64>) -> (tensor<2xf64>, tensor<2xf64>)
  return %r, %dr : tensor<2xf64>, tensor<2xf64>
}

func.func @reduce_prod_init_rev_aa(%t: tensor<2x3xf64>, %init: tensor<2xf64>, %seed: tensor<2xf64>) -> (tensor<2xf64>, tensor<2x3xf64>, tensor<2xf64>) {
  %r, %dt, %dinit = dp.autodiff @reduce_prod_init(%t, %init, %seed) args [active, active] results [active] : (tensor<2x3xf64>, tensor<2xf64>, tensor<2xf64>) -> (tensor<2xf64>, tensor<2x3xf64>, tensor<2xf64>)
  return %r, %dt, %dinit : tensor<2xf64>, tensor<2x3xf64>, tensor<2xf64>
}
// -----

// reduce with a maximumf body (row maxima): r = max(init, max_j t[:, j]).
// Ties are split as in JAX: the k elements equal to r, the init included,
// get 1/k each. k = reduce-sum of select(t == broadcast(r), 1, 0) +
// select(init == r, 1, 0), share = 1 / k:
//   factor of t    = select(t == broadcast(r), broadcast(share), 0);
//   factor of init = select(init == r, share, 0).
// dr = reduce-sum of factor * dt (+ init factor * dinit). Reverse: dt =
// broadcast(seed) * factor, dinit = seed * init factor. The init factor is
// built even when the init is not active (unused then).
// @reduce_max fills its init with -inf: the reverse sweep rebuilds that fill
// instead of caching it, and caches only r. @reduce_max_init takes an
// active init: init and r are cached.

// CHECK-LABEL: func.func private @__dp_aug_reduce_max_a_a(
// CHECK-SAME: %[[T:.*]]: tensor<2x3xf64>, %[[TAPE:.*]]: !dp.tape) -> tensor<2xf64> {
// CHECK-NEXT: %[[NINF:.*]] = arith.constant 0xFFF0000000000000 : f64
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[INIT:.*]] = linalg.fill ins(%[[NINF]] : f64) outs(%[[EMPTY]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[R:.*]] = linalg.reduce ins(%[[T]] : tensor<2x3xf64>) outs(%[[INIT]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN:.*]]: f64, %[[ACC:.*]]: f64) {
// CHECK-NEXT: %[[MAX:.*]] = arith.maximumf %[[IN]], %[[ACC]] : f64
// CHECK-NEXT: linalg.yield %[[MAX]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[R]] : !dp.tape, tensor<2xf64>
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : tensor<2xf64>

// CHECK-LABEL: func.func private @__dp_rev_reduce_max_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[T:[^:]*]]: tensor<2x3xf64>, %[[SEED:.*]]: tensor<2xf64>) -> tensor<2x3xf64> {
// CHECK-NEXT: %[[R:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> tensor<2xf64>
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[NINF:.*]] = arith.constant 0xFFF0000000000000 : f64
// CHECK-NEXT: %[[INIT:.*]] = linalg.fill ins(%[[NINF]] : f64) outs(%[[EMPTY]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[EMPTY_1:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[SPREAD:.*]] = linalg.broadcast ins(%[[SEED]] : tensor<2xf64>) outs(%[[EMPTY_1]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[ZERO_X:.*]] = arith.constant dense<0.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[ONE_X:.*]] = arith.constant dense<1.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_2:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[R_X:.*]] = linalg.broadcast ins(%[[R]] : tensor<2xf64>) outs(%[[EMPTY_2]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[PICKED:.*]] = arith.cmpf oeq, %[[T]], %[[R_X]] : tensor<2x3xf64>
// CHECK-NEXT: %[[PICKED_INIT:.*]] = arith.cmpf oeq, %[[INIT]], %[[R]] : tensor<2xf64>
// CHECK-NEXT: %[[ONE_Y:.*]] = arith.constant dense<1.000000e+00> : tensor<2xf64>
// CHECK-NEXT: %[[ZERO_Y:.*]] = arith.constant dense<0.000000e+00> : tensor<2xf64>
// CHECK-NEXT: %[[INIT_COUNT:.*]] = arith.select %[[PICKED_INIT]], %[[ONE_Y]], %[[ZERO_Y]] : tensor<2xi1>, tensor<2xf64>
// CHECK-NEXT: %[[MASK:.*]] = arith.select %[[PICKED]], %[[ONE_X]], %[[ZERO_X]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_3:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY_3]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[PICKED_COUNT:.*]] = linalg.reduce ins(%[[MASK]] : tensor<2x3xf64>) outs(%[[FILL]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN:.*]]: f64, %[[ACC:.*]]: f64) {
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[IN]], %[[ACC]] : f64
// CHECK-NEXT: linalg.yield %[[ADD]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[COUNT:.*]] = arith.addf %[[PICKED_COUNT]], %[[INIT_COUNT]] : tensor<2xf64>
// CHECK-NEXT: %[[SHARE:.*]] = arith.divf %[[ONE_Y]], %[[COUNT]] : tensor<2xf64>
// CHECK-NEXT: %[[EMPTY_4:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[SHARE_X:.*]] = linalg.broadcast ins(%[[SHARE]] : tensor<2xf64>) outs(%[[EMPTY_4]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[FACTOR:.*]] = arith.select %[[PICKED]], %[[SHARE_X]], %[[ZERO_X]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[INIT_FACTOR:.*]] = arith.select %[[PICKED_INIT]], %[[SHARE]], %[[ZERO_Y]] : tensor<2xi1>, tensor<2xf64>
// CHECK-NEXT: %[[DT:.*]] = arith.mulf %[[SPREAD]], %[[FACTOR]] : tensor<2x3xf64>
// CHECK-NEXT: return %[[DT]] : tensor<2x3xf64>

// CHECK-LABEL: func.func private @__dp_fwd_reduce_max_d_d(
// CHECK-SAME: %[[T:.*]]: tensor<2x3xf64>, %[[DT:.*]]: tensor<2x3xf64>) -> (tensor<2xf64>, tensor<2xf64>) {
// CHECK-NEXT: %[[NINF:.*]] = arith.constant 0xFFF0000000000000 : f64
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[INIT:.*]] = linalg.fill ins(%[[NINF]] : f64) outs(%[[EMPTY]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[R:.*]] = linalg.reduce ins(%[[T]] : tensor<2x3xf64>) outs(%[[INIT]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN:.*]]: f64, %[[ACC:.*]]: f64) {
// CHECK-NEXT: %[[MAX:.*]] = arith.maximumf %[[IN]], %[[ACC]] : f64
// CHECK-NEXT: linalg.yield %[[MAX]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[ZERO_X:.*]] = arith.constant dense<0.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[ONE_X:.*]] = arith.constant dense<1.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_1:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[R_X:.*]] = linalg.broadcast ins(%[[R]] : tensor<2xf64>) outs(%[[EMPTY_1]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[PICKED:.*]] = arith.cmpf oeq, %[[T]], %[[R_X]] : tensor<2x3xf64>
// CHECK-NEXT: %[[PICKED_INIT:.*]] = arith.cmpf oeq, %[[INIT]], %[[R]] : tensor<2xf64>
// CHECK-NEXT: %[[ONE_Y:.*]] = arith.constant dense<1.000000e+00> : tensor<2xf64>
// CHECK-NEXT: %[[ZERO_Y:.*]] = arith.constant dense<0.000000e+00> : tensor<2xf64>
// CHECK-NEXT: %[[INIT_COUNT:.*]] = arith.select %[[PICKED_INIT]], %[[ONE_Y]], %[[ZERO_Y]] : tensor<2xi1>, tensor<2xf64>
// CHECK-NEXT: %[[MASK:.*]] = arith.select %[[PICKED]], %[[ONE_X]], %[[ZERO_X]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_2:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY_2]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[PICKED_COUNT:.*]] = linalg.reduce ins(%[[MASK]] : tensor<2x3xf64>) outs(%[[FILL]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN_1:.*]]: f64, %[[ACC_1:.*]]: f64) {
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[IN_1]], %[[ACC_1]] : f64
// CHECK-NEXT: linalg.yield %[[ADD]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[COUNT:.*]] = arith.addf %[[PICKED_COUNT]], %[[INIT_COUNT]] : tensor<2xf64>
// CHECK-NEXT: %[[SHARE:.*]] = arith.divf %[[ONE_Y]], %[[COUNT]] : tensor<2xf64>
// CHECK-NEXT: %[[EMPTY_3:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[SHARE_X:.*]] = linalg.broadcast ins(%[[SHARE]] : tensor<2xf64>) outs(%[[EMPTY_3]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[FACTOR:.*]] = arith.select %[[PICKED]], %[[SHARE_X]], %[[ZERO_X]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[INIT_FACTOR:.*]] = arith.select %[[PICKED_INIT]], %[[SHARE]], %[[ZERO_Y]] : tensor<2xi1>, tensor<2xf64>
// CHECK-NEXT: %[[TAN:.*]] = arith.mulf %[[FACTOR]], %[[DT]] : tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_4:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[ZERO_1:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL_1:.*]] = linalg.fill ins(%[[ZERO_1]] : f64) outs(%[[EMPTY_4]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[DR:.*]] = linalg.reduce ins(%[[TAN]] : tensor<2x3xf64>) outs(%[[FILL_1]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN_2:.*]]: f64, %[[ACC_2:.*]]: f64) {
// CHECK-NEXT: %[[ADD_1:.*]] = arith.addf %[[IN_2]], %[[ACC_2]] : f64
// CHECK-NEXT: linalg.yield %[[ADD_1]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<2xf64>, tensor<2xf64>

// CHECK-LABEL: func.func private @__dp_aug_reduce_max_init_aa_a(
// CHECK-SAME: %[[T:.*]]: tensor<2x3xf64>, %[[INIT:.*]]: tensor<2xf64>, %[[TAPE:.*]]: !dp.tape) -> tensor<2xf64> {
// CHECK-NEXT: %[[R:.*]] = linalg.reduce ins(%[[T]] : tensor<2x3xf64>) outs(%[[INIT]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN:.*]]: f64, %[[ACC:.*]]: f64) {
// CHECK-NEXT: %[[MAX:.*]] = arith.maximumf %[[IN]], %[[ACC]] : f64
// CHECK-NEXT: linalg.yield %[[MAX]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[R]] : !dp.tape, tensor<2xf64>
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : tensor<2xf64>

// CHECK-LABEL: func.func private @__dp_rev_reduce_max_init_aa_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[T:[^:]*]]: tensor<2x3xf64>, %[[INIT:[^:]*]]: tensor<2xf64>, %[[SEED:.*]]: tensor<2xf64>) -> (tensor<2x3xf64>, tensor<2xf64>) {
// CHECK-NEXT: %[[R:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> tensor<2xf64>
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[SPREAD:.*]] = linalg.broadcast ins(%[[SEED]] : tensor<2xf64>) outs(%[[EMPTY]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[ZERO_X:.*]] = arith.constant dense<0.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[ONE_X:.*]] = arith.constant dense<1.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_1:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[R_X:.*]] = linalg.broadcast ins(%[[R]] : tensor<2xf64>) outs(%[[EMPTY_1]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[PICKED:.*]] = arith.cmpf oeq, %[[T]], %[[R_X]] : tensor<2x3xf64>
// CHECK-NEXT: %[[PICKED_INIT:.*]] = arith.cmpf oeq, %[[INIT]], %[[R]] : tensor<2xf64>
// CHECK-NEXT: %[[ONE_Y:.*]] = arith.constant dense<1.000000e+00> : tensor<2xf64>
// CHECK-NEXT: %[[ZERO_Y:.*]] = arith.constant dense<0.000000e+00> : tensor<2xf64>
// CHECK-NEXT: %[[INIT_COUNT:.*]] = arith.select %[[PICKED_INIT]], %[[ONE_Y]], %[[ZERO_Y]] : tensor<2xi1>, tensor<2xf64>
// CHECK-NEXT: %[[MASK:.*]] = arith.select %[[PICKED]], %[[ONE_X]], %[[ZERO_X]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_2:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY_2]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[PICKED_COUNT:.*]] = linalg.reduce ins(%[[MASK]] : tensor<2x3xf64>) outs(%[[FILL]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN:.*]]: f64, %[[ACC:.*]]: f64) {
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[IN]], %[[ACC]] : f64
// CHECK-NEXT: linalg.yield %[[ADD]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[COUNT:.*]] = arith.addf %[[PICKED_COUNT]], %[[INIT_COUNT]] : tensor<2xf64>
// CHECK-NEXT: %[[SHARE:.*]] = arith.divf %[[ONE_Y]], %[[COUNT]] : tensor<2xf64>
// CHECK-NEXT: %[[EMPTY_3:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[SHARE_X:.*]] = linalg.broadcast ins(%[[SHARE]] : tensor<2xf64>) outs(%[[EMPTY_3]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[FACTOR:.*]] = arith.select %[[PICKED]], %[[SHARE_X]], %[[ZERO_X]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[INIT_FACTOR:.*]] = arith.select %[[PICKED_INIT]], %[[SHARE]], %[[ZERO_Y]] : tensor<2xi1>, tensor<2xf64>
// CHECK-NEXT: %[[DT:.*]] = arith.mulf %[[SPREAD]], %[[FACTOR]] : tensor<2x3xf64>
// CHECK-NEXT: %[[DINIT:.*]] = arith.mulf %[[SEED]], %[[INIT_FACTOR]] : tensor<2xf64>
// CHECK-NEXT: return %[[DT]], %[[DINIT]] : tensor<2x3xf64>, tensor<2xf64>

// CHECK-LABEL: func.func private @__dp_fwd_reduce_max_init_dd_d(
// CHECK-SAME: %[[T:.*]]: tensor<2x3xf64>, %[[DT:.*]]: tensor<2x3xf64>, %[[INIT:.*]]: tensor<2xf64>, %[[DINIT:.*]]: tensor<2xf64>) -> (tensor<2xf64>, tensor<2xf64>) {
// CHECK-NEXT: %[[R:.*]] = linalg.reduce ins(%[[T]] : tensor<2x3xf64>) outs(%[[INIT]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN:.*]]: f64, %[[ACC:.*]]: f64) {
// CHECK-NEXT: %[[MAX:.*]] = arith.maximumf %[[IN]], %[[ACC]] : f64
// CHECK-NEXT: linalg.yield %[[MAX]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[ZERO_X:.*]] = arith.constant dense<0.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[ONE_X:.*]] = arith.constant dense<1.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[R_X:.*]] = linalg.broadcast ins(%[[R]] : tensor<2xf64>) outs(%[[EMPTY]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[PICKED:.*]] = arith.cmpf oeq, %[[T]], %[[R_X]] : tensor<2x3xf64>
// CHECK-NEXT: %[[PICKED_INIT:.*]] = arith.cmpf oeq, %[[INIT]], %[[R]] : tensor<2xf64>
// CHECK-NEXT: %[[ONE_Y:.*]] = arith.constant dense<1.000000e+00> : tensor<2xf64>
// CHECK-NEXT: %[[ZERO_Y:.*]] = arith.constant dense<0.000000e+00> : tensor<2xf64>
// CHECK-NEXT: %[[INIT_COUNT:.*]] = arith.select %[[PICKED_INIT]], %[[ONE_Y]], %[[ZERO_Y]] : tensor<2xi1>, tensor<2xf64>
// CHECK-NEXT: %[[MASK:.*]] = arith.select %[[PICKED]], %[[ONE_X]], %[[ZERO_X]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_1:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY_1]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[PICKED_COUNT:.*]] = linalg.reduce ins(%[[MASK]] : tensor<2x3xf64>) outs(%[[FILL]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN_1:.*]]: f64, %[[ACC_1:.*]]: f64) {
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[IN_1]], %[[ACC_1]] : f64
// CHECK-NEXT: linalg.yield %[[ADD]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[COUNT:.*]] = arith.addf %[[PICKED_COUNT]], %[[INIT_COUNT]] : tensor<2xf64>
// CHECK-NEXT: %[[SHARE:.*]] = arith.divf %[[ONE_Y]], %[[COUNT]] : tensor<2xf64>
// CHECK-NEXT: %[[EMPTY_2:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[SHARE_X:.*]] = linalg.broadcast ins(%[[SHARE]] : tensor<2xf64>) outs(%[[EMPTY_2]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[FACTOR:.*]] = arith.select %[[PICKED]], %[[SHARE_X]], %[[ZERO_X]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[INIT_FACTOR:.*]] = arith.select %[[PICKED_INIT]], %[[SHARE]], %[[ZERO_Y]] : tensor<2xi1>, tensor<2xf64>
// CHECK-NEXT: %[[TAN:.*]] = arith.mulf %[[FACTOR]], %[[DT]] : tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_3:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[ZERO_1:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL_1:.*]] = linalg.fill ins(%[[ZERO_1]] : f64) outs(%[[EMPTY_3]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[RED:.*]] = linalg.reduce ins(%[[TAN]] : tensor<2x3xf64>) outs(%[[FILL_1]] : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[IN_2:.*]]: f64, %[[ACC_2:.*]]: f64) {
// CHECK-NEXT: %[[ADD_1:.*]] = arith.addf %[[IN_2]], %[[ACC_2]] : f64
// CHECK-NEXT: linalg.yield %[[ADD_1]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[TAN_INIT:.*]] = arith.mulf %[[INIT_FACTOR]], %[[DINIT]] : tensor<2xf64>
// CHECK-NEXT: %[[DR:.*]] = arith.addf %[[RED]], %[[TAN_INIT]] : tensor<2xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<2xf64>, tensor<2xf64>

func.func private @reduce_max(%t: tensor<2x3xf64>) -> tensor<2xf64> {
  %ninf = arith.constant 0xFFF0000000000000 : f64
  %e = tensor.empty() : tensor<2xf64>
  %init = linalg.fill ins(%ninf : f64) outs(%e : tensor<2xf64>) -> tensor<2xf64>
  %r = linalg.reduce ins(%t : tensor<2x3xf64>) outs(%init : tensor<2xf64>) dimensions = [1]
    (%in: f64, %acc: f64) {
      %m = arith.maximumf %in, %acc : f64
      linalg.yield %m : f64
    }
  return %r : tensor<2xf64>
}

func.func @reduce_max_fwd_d(%t: tensor<2x3xf64>, %dt: tensor<2x3xf64>) -> (tensor<2xf64>, tensor<2xf64>) {
  %r, %dr = dp.fwddiff @reduce_max(%t, %dt) args [dup] results [dup] : (tensor<2x3xf64>, tensor<2x3xf64>) -> (tensor<2xf64>, tensor<2xf64>)
  return %r, %dr : tensor<2xf64>, tensor<2xf64>
}

func.func @reduce_max_rev_a(%t: tensor<2x3xf64>, %seed: tensor<2xf64>) -> (tensor<2xf64>, tensor<2x3xf64>) {
  %r, %dt = dp.autodiff @reduce_max(%t, %seed) args [active] results [active] : (tensor<2x3xf64>, tensor<2xf64>) -> (tensor<2xf64>, tensor<2x3xf64>)
  return %r, %dt : tensor<2xf64>, tensor<2x3xf64>
}

func.func private @reduce_max_init(%t: tensor<2x3xf64>, %init: tensor<2xf64>) -> tensor<2xf64> {
  %r = linalg.reduce ins(%t : tensor<2x3xf64>) outs(%init : tensor<2xf64>) dimensions = [1]
    (%in: f64, %acc: f64) {
      %m = arith.maximumf %in, %acc : f64
      linalg.yield %m : f64
    }
  return %r : tensor<2xf64>
}

func.func @reduce_max_init_fwd_dd(%t: tensor<2x3xf64>, %dt: tensor<2x3xf64>, %init: tensor<2xf64>, %dinit: tensor<2xf64>) -> (tensor<2xf64>, tensor<2xf64>) {
  %r, %dr = dp.fwddiff @reduce_max_init(%t, %dt, %init, %dinit) args [dup, dup] results [dup] : (tensor<2x3xf64>, tensor<2x3xf64>, tensor<2xf64>, tensor<2xf64>) -> (tensor<2xf64>, tensor<2xf64>)
  return %r, %dr : tensor<2xf64>, tensor<2xf64>
}

func.func @reduce_max_init_rev_aa(%t: tensor<2x3xf64>, %init: tensor<2xf64>, %seed: tensor<2xf64>) -> (tensor<2xf64>, tensor<2x3xf64>, tensor<2xf64>) {
  %r, %dt, %dinit = dp.autodiff @reduce_max_init(%t, %init, %seed) args [active, active] results [active] : (tensor<2x3xf64>, tensor<2xf64>, tensor<2xf64>) -> (tensor<2xf64>, tensor<2x3xf64>, tensor<2xf64>)
  return %r, %dt, %dinit : tensor<2xf64>, tensor<2x3xf64>, tensor<2xf64>
}
// -----

// reduce with a minimumf body over dimension 0 (column minima, init +inf):
// as maximumf (ties split 1/k, the +inf fill rebuilt in the reverse sweep,
// r cached), with the broadcasts along dimension 0.

// CHECK-LABEL: func.func private @__dp_aug_reduce_min_a_a(
// CHECK-SAME: %[[T:.*]]: tensor<2x3xf64>, %[[TAPE:.*]]: !dp.tape) -> tensor<3xf64> {
// CHECK-NEXT: %[[INF:.*]] = arith.constant 0x7FF0000000000000 : f64
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<3xf64>
// CHECK-NEXT: %[[INIT:.*]] = linalg.fill ins(%[[INF]] : f64) outs(%[[EMPTY]] : tensor<3xf64>) -> tensor<3xf64>
// CHECK-NEXT: %[[R:.*]] = linalg.reduce ins(%[[T]] : tensor<2x3xf64>) outs(%[[INIT]] : tensor<3xf64>) dimensions = [0]
// CHECK-NEXT: (%[[IN:.*]]: f64, %[[ACC:.*]]: f64) {
// CHECK-NEXT: %[[MIN:.*]] = arith.minimumf %[[IN]], %[[ACC]] : f64
// CHECK-NEXT: linalg.yield %[[MIN]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[R]] : !dp.tape, tensor<3xf64>
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : tensor<3xf64>

// CHECK-LABEL: func.func private @__dp_rev_reduce_min_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[T:[^:]*]]: tensor<2x3xf64>, %[[SEED:.*]]: tensor<3xf64>) -> tensor<2x3xf64> {
// CHECK-NEXT: %[[R:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> tensor<3xf64>
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<3xf64>
// CHECK-NEXT: %[[INF:.*]] = arith.constant 0x7FF0000000000000 : f64
// CHECK-NEXT: %[[INIT:.*]] = linalg.fill ins(%[[INF]] : f64) outs(%[[EMPTY]] : tensor<3xf64>) -> tensor<3xf64>
// CHECK-NEXT: %[[EMPTY_1:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[SPREAD:.*]] = linalg.broadcast ins(%[[SEED]] : tensor<3xf64>) outs(%[[EMPTY_1]] : tensor<2x3xf64>) dimensions = [0]
// CHECK-NEXT: %[[ZERO_X:.*]] = arith.constant dense<0.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[ONE_X:.*]] = arith.constant dense<1.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_2:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[R_X:.*]] = linalg.broadcast ins(%[[R]] : tensor<3xf64>) outs(%[[EMPTY_2]] : tensor<2x3xf64>) dimensions = [0]
// CHECK-NEXT: %[[PICKED:.*]] = arith.cmpf oeq, %[[T]], %[[R_X]] : tensor<2x3xf64>
// CHECK-NEXT: %[[PICKED_INIT:.*]] = arith.cmpf oeq, %[[INIT]], %[[R]] : tensor<3xf64>
// CHECK-NEXT: %[[ONE_Y:.*]] = arith.constant dense<1.000000e+00> : tensor<3xf64>
// CHECK-NEXT: %[[ZERO_Y:.*]] = arith.constant dense<0.000000e+00> : tensor<3xf64>
// CHECK-NEXT: %[[INIT_COUNT:.*]] = arith.select %[[PICKED_INIT]], %[[ONE_Y]], %[[ZERO_Y]] : tensor<3xi1>, tensor<3xf64>
// CHECK-NEXT: %[[MASK:.*]] = arith.select %[[PICKED]], %[[ONE_X]], %[[ZERO_X]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_3:.*]] = tensor.empty() : tensor<3xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY_3]] : tensor<3xf64>) -> tensor<3xf64>
// CHECK-NEXT: %[[PICKED_COUNT:.*]] = linalg.reduce ins(%[[MASK]] : tensor<2x3xf64>) outs(%[[FILL]] : tensor<3xf64>) dimensions = [0]
// CHECK-NEXT: (%[[IN:.*]]: f64, %[[ACC:.*]]: f64) {
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[IN]], %[[ACC]] : f64
// CHECK-NEXT: linalg.yield %[[ADD]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[COUNT:.*]] = arith.addf %[[PICKED_COUNT]], %[[INIT_COUNT]] : tensor<3xf64>
// CHECK-NEXT: %[[SHARE:.*]] = arith.divf %[[ONE_Y]], %[[COUNT]] : tensor<3xf64>
// CHECK-NEXT: %[[EMPTY_4:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[SHARE_X:.*]] = linalg.broadcast ins(%[[SHARE]] : tensor<3xf64>) outs(%[[EMPTY_4]] : tensor<2x3xf64>) dimensions = [0]
// CHECK-NEXT: %[[FACTOR:.*]] = arith.select %[[PICKED]], %[[SHARE_X]], %[[ZERO_X]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[INIT_FACTOR:.*]] = arith.select %[[PICKED_INIT]], %[[SHARE]], %[[ZERO_Y]] : tensor<3xi1>, tensor<3xf64>
// CHECK-NEXT: %[[DT:.*]] = arith.mulf %[[SPREAD]], %[[FACTOR]] : tensor<2x3xf64>
// CHECK-NEXT: return %[[DT]] : tensor<2x3xf64>

// CHECK-LABEL: func.func private @__dp_fwd_reduce_min_d_d(
// CHECK-SAME: %[[T:.*]]: tensor<2x3xf64>, %[[DT:.*]]: tensor<2x3xf64>) -> (tensor<3xf64>, tensor<3xf64>) {
// CHECK-NEXT: %[[INF:.*]] = arith.constant 0x7FF0000000000000 : f64
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<3xf64>
// CHECK-NEXT: %[[INIT:.*]] = linalg.fill ins(%[[INF]] : f64) outs(%[[EMPTY]] : tensor<3xf64>) -> tensor<3xf64>
// CHECK-NEXT: %[[R:.*]] = linalg.reduce ins(%[[T]] : tensor<2x3xf64>) outs(%[[INIT]] : tensor<3xf64>) dimensions = [0]
// CHECK-NEXT: (%[[IN:.*]]: f64, %[[ACC:.*]]: f64) {
// CHECK-NEXT: %[[MIN:.*]] = arith.minimumf %[[IN]], %[[ACC]] : f64
// CHECK-NEXT: linalg.yield %[[MIN]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[ZERO_X:.*]] = arith.constant dense<0.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[ONE_X:.*]] = arith.constant dense<1.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_1:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[R_X:.*]] = linalg.broadcast ins(%[[R]] : tensor<3xf64>) outs(%[[EMPTY_1]] : tensor<2x3xf64>) dimensions = [0]
// CHECK-NEXT: %[[PICKED:.*]] = arith.cmpf oeq, %[[T]], %[[R_X]] : tensor<2x3xf64>
// CHECK-NEXT: %[[PICKED_INIT:.*]] = arith.cmpf oeq, %[[INIT]], %[[R]] : tensor<3xf64>
// CHECK-NEXT: %[[ONE_Y:.*]] = arith.constant dense<1.000000e+00> : tensor<3xf64>
// CHECK-NEXT: %[[ZERO_Y:.*]] = arith.constant dense<0.000000e+00> : tensor<3xf64>
// CHECK-NEXT: %[[INIT_COUNT:.*]] = arith.select %[[PICKED_INIT]], %[[ONE_Y]], %[[ZERO_Y]] : tensor<3xi1>, tensor<3xf64>
// CHECK-NEXT: %[[MASK:.*]] = arith.select %[[PICKED]], %[[ONE_X]], %[[ZERO_X]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_2:.*]] = tensor.empty() : tensor<3xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY_2]] : tensor<3xf64>) -> tensor<3xf64>
// CHECK-NEXT: %[[PICKED_COUNT:.*]] = linalg.reduce ins(%[[MASK]] : tensor<2x3xf64>) outs(%[[FILL]] : tensor<3xf64>) dimensions = [0]
// CHECK-NEXT: (%[[IN_1:.*]]: f64, %[[ACC_1:.*]]: f64) {
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[IN_1]], %[[ACC_1]] : f64
// CHECK-NEXT: linalg.yield %[[ADD]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: %[[COUNT:.*]] = arith.addf %[[PICKED_COUNT]], %[[INIT_COUNT]] : tensor<3xf64>
// CHECK-NEXT: %[[SHARE:.*]] = arith.divf %[[ONE_Y]], %[[COUNT]] : tensor<3xf64>
// CHECK-NEXT: %[[EMPTY_3:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[SHARE_X:.*]] = linalg.broadcast ins(%[[SHARE]] : tensor<3xf64>) outs(%[[EMPTY_3]] : tensor<2x3xf64>) dimensions = [0]
// CHECK-NEXT: %[[FACTOR:.*]] = arith.select %[[PICKED]], %[[SHARE_X]], %[[ZERO_X]] : tensor<2x3xi1>, tensor<2x3xf64>
// CHECK-NEXT: %[[INIT_FACTOR:.*]] = arith.select %[[PICKED_INIT]], %[[SHARE]], %[[ZERO_Y]] : tensor<3xi1>, tensor<3xf64>
// CHECK-NEXT: %[[TAN:.*]] = arith.mulf %[[FACTOR]], %[[DT]] : tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_4:.*]] = tensor.empty() : tensor<3xf64>
// CHECK-NEXT: %[[ZERO_1:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL_1:.*]] = linalg.fill ins(%[[ZERO_1]] : f64) outs(%[[EMPTY_4]] : tensor<3xf64>) -> tensor<3xf64>
// CHECK-NEXT: %[[DR:.*]] = linalg.reduce ins(%[[TAN]] : tensor<2x3xf64>) outs(%[[FILL_1]] : tensor<3xf64>) dimensions = [0]
// CHECK-NEXT: (%[[IN_2:.*]]: f64, %[[ACC_2:.*]]: f64) {
// CHECK-NEXT: %[[ADD_1:.*]] = arith.addf %[[IN_2]], %[[ACC_2]] : f64
// CHECK-NEXT: linalg.yield %[[ADD_1]] : f64
// CHECK-NEXT: }
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<3xf64>, tensor<3xf64>

func.func private @reduce_min(%t: tensor<2x3xf64>) -> tensor<3xf64> {
  %inf = arith.constant 0x7FF0000000000000 : f64
  %e = tensor.empty() : tensor<3xf64>
  %init = linalg.fill ins(%inf : f64) outs(%e : tensor<3xf64>) -> tensor<3xf64>
  %r = linalg.reduce ins(%t : tensor<2x3xf64>) outs(%init : tensor<3xf64>) dimensions = [0]
    (%in: f64, %acc: f64) {
      %m = arith.minimumf %in, %acc : f64
      linalg.yield %m : f64
    }
  return %r : tensor<3xf64>
}

func.func @reduce_min_fwd_d(%t: tensor<2x3xf64>, %dt: tensor<2x3xf64>) -> (tensor<3xf64>, tensor<3xf64>) {
  %r, %dr = dp.fwddiff @reduce_min(%t, %dt) args [dup] results [dup] : (tensor<2x3xf64>, tensor<2x3xf64>) -> (tensor<3xf64>, tensor<3xf64>)
  return %r, %dr : tensor<3xf64>, tensor<3xf64>
}

func.func @reduce_min_rev_a(%t: tensor<2x3xf64>, %seed: tensor<3xf64>) -> (tensor<3xf64>, tensor<2x3xf64>) {
  %r, %dt = dp.autodiff @reduce_min(%t, %seed) args [active] results [active] : (tensor<2x3xf64>, tensor<3xf64>) -> (tensor<3xf64>, tensor<2x3xf64>)
  return %r, %dt : tensor<3xf64>, tensor<2x3xf64>
}
// -----

// matmul: r = c + a b (the init c accumulates). dr = dc + da b + a db, each
// product into a fresh zero-filled init. Reverse: da = seed b^T, db = a^T
// seed (transposes and matmuls), dc = seed. Each adjoint needs only the other
// factor, which the reverse sweep reads from its argument: nothing is cached,
// and the one-active requests build one product.

// CHECK-LABEL: func.func private @__dp_aug_matmul_cac_a(
// CHECK-SAME: %[[A:.*]]: tensor<2x3xf64>, %[[B:.*]]: tensor<3x4xf64>, %[[C:.*]]: tensor<2x4xf64>, %[[TAPE:.*]]: !dp.tape) -> tensor<2x4xf64> {
// CHECK-NEXT: %[[R:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<2x3xf64>, tensor<3x4xf64>) outs(%[[C]] : tensor<2x4xf64>) -> tensor<2x4xf64>
// CHECK-NEXT: return %[[R]] : tensor<2x4xf64>

// CHECK-LABEL: func.func private @__dp_rev_matmul_cac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[A:[^:]*]]: tensor<2x3xf64>, %[[B:[^:]*]]: tensor<3x4xf64>, %[[C:[^:]*]]: tensor<2x4xf64>, %[[SEED:.*]]: tensor<2x4xf64>) -> tensor<3x4xf64> {
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<3x2xf64>
// CHECK-NEXT: %[[TR:.*]] = linalg.transpose ins(%[[A]] : tensor<2x3xf64>) outs(%[[EMPTY]] : tensor<3x2xf64>) permutation = [1, 0]
// CHECK-NEXT: %[[EMPTY_1:.*]] = tensor.empty() : tensor<3x4xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY_1]] : tensor<3x4xf64>) -> tensor<3x4xf64>
// CHECK-NEXT: %[[DB:.*]] = linalg.matmul ins(%[[TR]], %[[SEED]] : tensor<3x2xf64>, tensor<2x4xf64>) outs(%[[FILL]] : tensor<3x4xf64>) -> tensor<3x4xf64>
// CHECK-NEXT: return %[[DB]] : tensor<3x4xf64>

// CHECK-LABEL: func.func private @__dp_aug_matmul_acc_a(
// CHECK-SAME: %[[A:.*]]: tensor<2x3xf64>, %[[B:.*]]: tensor<3x4xf64>, %[[C:.*]]: tensor<2x4xf64>, %[[TAPE:.*]]: !dp.tape) -> tensor<2x4xf64> {
// CHECK-NEXT: %[[R:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<2x3xf64>, tensor<3x4xf64>) outs(%[[C]] : tensor<2x4xf64>) -> tensor<2x4xf64>
// CHECK-NEXT: return %[[R]] : tensor<2x4xf64>

// CHECK-LABEL: func.func private @__dp_rev_matmul_acc_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[A:[^:]*]]: tensor<2x3xf64>, %[[B:[^:]*]]: tensor<3x4xf64>, %[[C:[^:]*]]: tensor<2x4xf64>, %[[SEED:.*]]: tensor<2x4xf64>) -> tensor<2x3xf64> {
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<4x3xf64>
// CHECK-NEXT: %[[TR:.*]] = linalg.transpose ins(%[[B]] : tensor<3x4xf64>) outs(%[[EMPTY]] : tensor<4x3xf64>) permutation = [1, 0]
// CHECK-NEXT: %[[EMPTY_1:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY_1]] : tensor<2x3xf64>) -> tensor<2x3xf64>
// CHECK-NEXT: %[[DA:.*]] = linalg.matmul ins(%[[SEED]], %[[TR]] : tensor<2x4xf64>, tensor<4x3xf64>) outs(%[[FILL]] : tensor<2x3xf64>) -> tensor<2x3xf64>
// CHECK-NEXT: return %[[DA]] : tensor<2x3xf64>

// CHECK-LABEL: func.func private @__dp_aug_matmul_aaa_a(
// CHECK-SAME: %[[A:.*]]: tensor<2x3xf64>, %[[B:.*]]: tensor<3x4xf64>, %[[C:.*]]: tensor<2x4xf64>, %[[TAPE:.*]]: !dp.tape) -> tensor<2x4xf64> {
// CHECK-NEXT: %[[R:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<2x3xf64>, tensor<3x4xf64>) outs(%[[C]] : tensor<2x4xf64>) -> tensor<2x4xf64>
// CHECK-NEXT: return %[[R]] : tensor<2x4xf64>

// CHECK-LABEL: func.func private @__dp_rev_matmul_aaa_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[A:[^:]*]]: tensor<2x3xf64>, %[[B:[^:]*]]: tensor<3x4xf64>, %[[C:[^:]*]]: tensor<2x4xf64>, %[[SEED:.*]]: tensor<2x4xf64>) -> (tensor<2x3xf64>, tensor<3x4xf64>, tensor<2x4xf64>) {
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<4x3xf64>
// CHECK-NEXT: %[[TR:.*]] = linalg.transpose ins(%[[B]] : tensor<3x4xf64>) outs(%[[EMPTY]] : tensor<4x3xf64>) permutation = [1, 0]
// CHECK-NEXT: %[[EMPTY_1:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY_1]] : tensor<2x3xf64>) -> tensor<2x3xf64>
// CHECK-NEXT: %[[DA:.*]] = linalg.matmul ins(%[[SEED]], %[[TR]] : tensor<2x4xf64>, tensor<4x3xf64>) outs(%[[FILL]] : tensor<2x3xf64>) -> tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_2:.*]] = tensor.empty() : tensor<3x2xf64>
// CHECK-NEXT: %[[TR_1:.*]] = linalg.transpose ins(%[[A]] : tensor<2x3xf64>) outs(%[[EMPTY_2]] : tensor<3x2xf64>) permutation = [1, 0]
// CHECK-NEXT: %[[EMPTY_3:.*]] = tensor.empty() : tensor<3x4xf64>
// CHECK-NEXT: %[[ZERO_1:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL_1:.*]] = linalg.fill ins(%[[ZERO_1]] : f64) outs(%[[EMPTY_3]] : tensor<3x4xf64>) -> tensor<3x4xf64>
// CHECK-NEXT: %[[DB:.*]] = linalg.matmul ins(%[[TR_1]], %[[SEED]] : tensor<3x2xf64>, tensor<2x4xf64>) outs(%[[FILL_1]] : tensor<3x4xf64>) -> tensor<3x4xf64>
// CHECK-NEXT: return %[[DA]], %[[DB]], %[[SEED]] : tensor<2x3xf64>, tensor<3x4xf64>, tensor<2x4xf64>

// CHECK-LABEL: func.func private @__dp_fwd_matmul_cdc_d(
// CHECK-SAME: %[[A:.*]]: tensor<2x3xf64>, %[[B:.*]]: tensor<3x4xf64>, %[[DB:.*]]: tensor<3x4xf64>, %[[C:.*]]: tensor<2x4xf64>) -> (tensor<2x4xf64>, tensor<2x4xf64>) {
// CHECK-NEXT: %[[R:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<2x3xf64>, tensor<3x4xf64>) outs(%[[C]] : tensor<2x4xf64>) -> tensor<2x4xf64>
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2x4xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY]] : tensor<2x4xf64>) -> tensor<2x4xf64>
// CHECK-NEXT: %[[DR:.*]] = linalg.matmul ins(%[[A]], %[[DB]] : tensor<2x3xf64>, tensor<3x4xf64>) outs(%[[FILL]] : tensor<2x4xf64>) -> tensor<2x4xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<2x4xf64>, tensor<2x4xf64>

// CHECK-LABEL: func.func private @__dp_fwd_matmul_ddd_d(
// CHECK-SAME: %[[A:.*]]: tensor<2x3xf64>, %[[DA:.*]]: tensor<2x3xf64>, %[[B:.*]]: tensor<3x4xf64>, %[[DB:.*]]: tensor<3x4xf64>, %[[C:.*]]: tensor<2x4xf64>, %[[DC:.*]]: tensor<2x4xf64>) -> (tensor<2x4xf64>, tensor<2x4xf64>) {
// CHECK-NEXT: %[[R:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<2x3xf64>, tensor<3x4xf64>) outs(%[[C]] : tensor<2x4xf64>) -> tensor<2x4xf64>
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2x4xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY]] : tensor<2x4xf64>) -> tensor<2x4xf64>
// CHECK-NEXT: %[[MATMUL:.*]] = linalg.matmul ins(%[[DA]], %[[B]] : tensor<2x3xf64>, tensor<3x4xf64>) outs(%[[FILL]] : tensor<2x4xf64>) -> tensor<2x4xf64>
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[DC]], %[[MATMUL]] : tensor<2x4xf64>
// CHECK-NEXT: %[[EMPTY_1:.*]] = tensor.empty() : tensor<2x4xf64>
// CHECK-NEXT: %[[ZERO_1:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL_1:.*]] = linalg.fill ins(%[[ZERO_1]] : f64) outs(%[[EMPTY_1]] : tensor<2x4xf64>) -> tensor<2x4xf64>
// CHECK-NEXT: %[[MATMUL_1:.*]] = linalg.matmul ins(%[[A]], %[[DB]] : tensor<2x3xf64>, tensor<3x4xf64>) outs(%[[FILL_1]] : tensor<2x4xf64>) -> tensor<2x4xf64>
// CHECK-NEXT: %[[DR:.*]] = arith.addf %[[ADD]], %[[MATMUL_1]] : tensor<2x4xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<2x4xf64>, tensor<2x4xf64>

func.func private @matmul(%a: tensor<2x3xf64>, %b: tensor<3x4xf64>, %c: tensor<2x4xf64>) -> tensor<2x4xf64> {
  %r = linalg.matmul ins(%a, %b : tensor<2x3xf64>, tensor<3x4xf64>) outs(%c : tensor<2x4xf64>) -> tensor<2x4xf64>
  return %r : tensor<2x4xf64>
}

func.func @matmul_fwd_ddd(%a: tensor<2x3xf64>, %da: tensor<2x3xf64>, %b: tensor<3x4xf64>, %db: tensor<3x4xf64>, %c: tensor<2x4xf64>, %dc: tensor<2x4xf64>) -> (tensor<2x4xf64>, tensor<2x4xf64>) {
  %r, %dr = dp.fwddiff @matmul(%a, %da, %b, %db, %c, %dc) args [dup, dup, dup] results [dup] : (tensor<2x3xf64>, tensor<2x3xf64>, tensor<3x4xf64>, tensor<3x4xf64>, tensor<2x4xf64>, tensor<2x4xf64>) -> (tensor<2x4xf64>, tensor<2x4xf64>)
  return %r, %dr : tensor<2x4xf64>, tensor<2x4xf64>
}

func.func @matmul_fwd_cdc(%a: tensor<2x3xf64>, %b: tensor<3x4xf64>, %db: tensor<3x4xf64>, %c: tensor<2x4xf64>) -> (tensor<2x4xf64>, tensor<2x4xf64>) {
  %r, %dr = dp.fwddiff @matmul(%a, %b, %db, %c) args [const, dup, const] results [dup] : (tensor<2x3xf64>, tensor<3x4xf64>, tensor<3x4xf64>, tensor<2x4xf64>) -> (tensor<2x4xf64>, tensor<2x4xf64>)
  return %r, %dr : tensor<2x4xf64>, tensor<2x4xf64>
}

func.func @matmul_rev_aaa(%a: tensor<2x3xf64>, %b: tensor<3x4xf64>, %c: tensor<2x4xf64>, %seed: tensor<2x4xf64>) -> (tensor<2x4xf64>, tensor<2x3xf64>, tensor<3x4xf64>, tensor<2x4xf64>) {
  %r, %da, %db, %dc = dp.autodiff @matmul(%a, %b, %c, %seed) args [active, active, active] results [active] : (tensor<2x3xf64>, tensor<3x4xf64>, tensor<2x4xf64>, tensor<2x4xf64>) -> (tensor<2x4xf64>, tensor<2x3xf64>, tensor<3x4xf64>, tensor<2x4xf64>)
  return %r, %da, %db, %dc : tensor<2x4xf64>, tensor<2x3xf64>, tensor<3x4xf64>, tensor<2x4xf64>
}

func.func @matmul_rev_acc(%a: tensor<2x3xf64>, %b: tensor<3x4xf64>, %c: tensor<2x4xf64>, %seed: tensor<2x4xf64>) -> (tensor<2x4xf64>, tensor<2x3xf64>) {
  %r, %da = dp.autodiff @matmul(%a, %b, %c, %seed) args [active, const, const] results [active] : (tensor<2x3xf64>, tensor<3x4xf64>, tensor<2x4xf64>, tensor<2x4xf64>) -> (tensor<2x4xf64>, tensor<2x3xf64>)
  return %r, %da : tensor<2x4xf64>, tensor<2x3xf64>
}

func.func @matmul_rev_cac(%a: tensor<2x3xf64>, %b: tensor<3x4xf64>, %c: tensor<2x4xf64>, %seed: tensor<2x4xf64>) -> (tensor<2x4xf64>, tensor<3x4xf64>) {
  %r, %db = dp.autodiff @matmul(%a, %b, %c, %seed) args [const, active, const] results [active] : (tensor<2x3xf64>, tensor<3x4xf64>, tensor<2x4xf64>, tensor<2x4xf64>) -> (tensor<2x4xf64>, tensor<3x4xf64>)
  return %r, %db : tensor<2x4xf64>, tensor<3x4xf64>
}
// -----

// matvec: r = y + A x. dr = dA x + A dx (two matvecs). Reverse: dA = seed x^T
// (the outer product as broadcasts and a mulf), dx = A^T seed (a vecmat).
// The one-active request for x needs only A (an argument: nothing is cached).

// CHECK-LABEL: func.func private @__dp_aug_matvec_cac_a(
// CHECK-SAME: %[[A:.*]]: tensor<2x3xf64>, %[[X:.*]]: tensor<3xf64>, %[[Y:.*]]: tensor<2xf64>, %[[TAPE:.*]]: !dp.tape) -> tensor<2xf64> {
// CHECK-NEXT: %[[R:.*]] = linalg.matvec ins(%[[A]], %[[X]] : tensor<2x3xf64>, tensor<3xf64>) outs(%[[Y]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: return %[[R]] : tensor<2xf64>

// CHECK-LABEL: func.func private @__dp_rev_matvec_cac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[A:[^:]*]]: tensor<2x3xf64>, %[[X:[^:]*]]: tensor<3xf64>, %[[Y:[^:]*]]: tensor<2xf64>, %[[SEED:.*]]: tensor<2xf64>) -> tensor<3xf64> {
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<3xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY]] : tensor<3xf64>) -> tensor<3xf64>
// CHECK-NEXT: %[[DX:.*]] = linalg.vecmat ins(%[[SEED]], %[[A]] : tensor<2xf64>, tensor<2x3xf64>) outs(%[[FILL]] : tensor<3xf64>) -> tensor<3xf64>
// CHECK-NEXT: return %[[DX]] : tensor<3xf64>

// CHECK-LABEL: func.func private @__dp_aug_matvec_aac_a(
// CHECK-SAME: %[[A:.*]]: tensor<2x3xf64>, %[[X:.*]]: tensor<3xf64>, %[[Y:.*]]: tensor<2xf64>, %[[TAPE:.*]]: !dp.tape) -> tensor<2xf64> {
// CHECK-NEXT: %[[R:.*]] = linalg.matvec ins(%[[A]], %[[X]] : tensor<2x3xf64>, tensor<3xf64>) outs(%[[Y]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: return %[[R]] : tensor<2xf64>

// CHECK-LABEL: func.func private @__dp_rev_matvec_aac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[A:[^:]*]]: tensor<2x3xf64>, %[[X:[^:]*]]: tensor<3xf64>, %[[Y:[^:]*]]: tensor<2xf64>, %[[SEED:.*]]: tensor<2xf64>) -> (tensor<2x3xf64>, tensor<3xf64>) {
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[BCAST:.*]] = linalg.broadcast ins(%[[X]] : tensor<3xf64>) outs(%[[EMPTY]] : tensor<2x3xf64>) dimensions = [0]
// CHECK-NEXT: %[[EMPTY_1:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[BCAST_1:.*]] = linalg.broadcast ins(%[[SEED]] : tensor<2xf64>) outs(%[[EMPTY_1]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[DA:.*]] = arith.mulf %[[BCAST_1]], %[[BCAST]] : tensor<2x3xf64>
// CHECK-NEXT: %[[EMPTY_2:.*]] = tensor.empty() : tensor<3xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY_2]] : tensor<3xf64>) -> tensor<3xf64>
// CHECK-NEXT: %[[DX:.*]] = linalg.vecmat ins(%[[SEED]], %[[A]] : tensor<2xf64>, tensor<2x3xf64>) outs(%[[FILL]] : tensor<3xf64>) -> tensor<3xf64>
// CHECK-NEXT: return %[[DA]], %[[DX]] : tensor<2x3xf64>, tensor<3xf64>

// CHECK-LABEL: func.func private @__dp_fwd_matvec_ddc_d(
// CHECK-SAME: %[[A:.*]]: tensor<2x3xf64>, %[[DA:.*]]: tensor<2x3xf64>, %[[X:.*]]: tensor<3xf64>, %[[DX:.*]]: tensor<3xf64>, %[[Y:.*]]: tensor<2xf64>) -> (tensor<2xf64>, tensor<2xf64>) {
// CHECK-NEXT: %[[R:.*]] = linalg.matvec ins(%[[A]], %[[X]] : tensor<2x3xf64>, tensor<3xf64>) outs(%[[Y]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[MATVEC:.*]] = linalg.matvec ins(%[[DA]], %[[X]] : tensor<2x3xf64>, tensor<3xf64>) outs(%[[FILL]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[EMPTY_1:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[ZERO_1:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL_1:.*]] = linalg.fill ins(%[[ZERO_1]] : f64) outs(%[[EMPTY_1]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[MATVEC_1:.*]] = linalg.matvec ins(%[[A]], %[[DX]] : tensor<2x3xf64>, tensor<3xf64>) outs(%[[FILL_1]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[DR:.*]] = arith.addf %[[MATVEC]], %[[MATVEC_1]] : tensor<2xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<2xf64>, tensor<2xf64>

func.func private @matvec(%a: tensor<2x3xf64>, %x: tensor<3xf64>, %y: tensor<2xf64>) -> tensor<2xf64> {
  %r = linalg.matvec ins(%a, %x : tensor<2x3xf64>, tensor<3xf64>) outs(%y : tensor<2xf64>) -> tensor<2xf64>
  return %r : tensor<2xf64>
}

func.func @matvec_fwd_ddc(%a: tensor<2x3xf64>, %da: tensor<2x3xf64>, %x: tensor<3xf64>, %dx: tensor<3xf64>, %y: tensor<2xf64>) -> (tensor<2xf64>, tensor<2xf64>) {
  %r, %dr = dp.fwddiff @matvec(%a, %da, %x, %dx, %y) args [dup, dup, const] results [dup] : (tensor<2x3xf64>, tensor<2x3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<2xf64>) -> (tensor<2xf64>, tensor<2xf64>)
  return %r, %dr : tensor<2xf64>, tensor<2xf64>
}

func.func @matvec_rev_aac(%a: tensor<2x3xf64>, %x: tensor<3xf64>, %y: tensor<2xf64>, %seed: tensor<2xf64>) -> (tensor<2xf64>, tensor<2x3xf64>, tensor<3xf64>) {
  %r, %da, %dx = dp.autodiff @matvec(%a, %x, %y, %seed) args [active, active, const] results [active] : (tensor<2x3xf64>, tensor<3xf64>, tensor<2xf64>, tensor<2xf64>) -> (tensor<2xf64>, tensor<2x3xf64>, tensor<3xf64>)
  return %r, %da, %dx : tensor<2xf64>, tensor<2x3xf64>, tensor<3xf64>
}

func.func @matvec_rev_cac(%a: tensor<2x3xf64>, %x: tensor<3xf64>, %y: tensor<2xf64>, %seed: tensor<2xf64>) -> (tensor<2xf64>, tensor<3xf64>) {
  %r, %dx = dp.autodiff @matvec(%a, %x, %y, %seed) args [const, active, const] results [active] : (tensor<2x3xf64>, tensor<3xf64>, tensor<2xf64>, tensor<2xf64>) -> (tensor<2xf64>, tensor<3xf64>)
  return %r, %dx : tensor<2xf64>, tensor<3xf64>
}
// -----

// vecmat: r = y + x A. dr = dx A + x dA (two vecmats). Reverse: dx = A seed (a
// matvec), dA = x seed^T (outer product). The one-active request for A needs
// only x (an argument: nothing is cached).

// CHECK-LABEL: func.func private @__dp_aug_vecmat_cac_a(
// CHECK-SAME: %[[X:.*]]: tensor<2xf64>, %[[A:.*]]: tensor<2x3xf64>, %[[Y:.*]]: tensor<3xf64>, %[[TAPE:.*]]: !dp.tape) -> tensor<3xf64> {
// CHECK-NEXT: %[[R:.*]] = linalg.vecmat ins(%[[X]], %[[A]] : tensor<2xf64>, tensor<2x3xf64>) outs(%[[Y]] : tensor<3xf64>) -> tensor<3xf64>
// CHECK-NEXT: return %[[R]] : tensor<3xf64>

// CHECK-LABEL: func.func private @__dp_rev_vecmat_cac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[X:[^:]*]]: tensor<2xf64>, %[[A:[^:]*]]: tensor<2x3xf64>, %[[Y:[^:]*]]: tensor<3xf64>, %[[SEED:.*]]: tensor<3xf64>) -> tensor<2x3xf64> {
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[BCAST:.*]] = linalg.broadcast ins(%[[SEED]] : tensor<3xf64>) outs(%[[EMPTY]] : tensor<2x3xf64>) dimensions = [0]
// CHECK-NEXT: %[[EMPTY_1:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[BCAST_1:.*]] = linalg.broadcast ins(%[[X]] : tensor<2xf64>) outs(%[[EMPTY_1]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[DA:.*]] = arith.mulf %[[BCAST_1]], %[[BCAST]] : tensor<2x3xf64>
// CHECK-NEXT: return %[[DA]] : tensor<2x3xf64>

// CHECK-LABEL: func.func private @__dp_aug_vecmat_aac_a(
// CHECK-SAME: %[[X:.*]]: tensor<2xf64>, %[[A:.*]]: tensor<2x3xf64>, %[[Y:.*]]: tensor<3xf64>, %[[TAPE:.*]]: !dp.tape) -> tensor<3xf64> {
// CHECK-NEXT: %[[R:.*]] = linalg.vecmat ins(%[[X]], %[[A]] : tensor<2xf64>, tensor<2x3xf64>) outs(%[[Y]] : tensor<3xf64>) -> tensor<3xf64>
// CHECK-NEXT: return %[[R]] : tensor<3xf64>

// CHECK-LABEL: func.func private @__dp_rev_vecmat_aac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[X:[^:]*]]: tensor<2xf64>, %[[A:[^:]*]]: tensor<2x3xf64>, %[[Y:[^:]*]]: tensor<3xf64>, %[[SEED:.*]]: tensor<3xf64>) -> (tensor<2xf64>, tensor<2x3xf64>) {
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[DX:.*]] = linalg.matvec ins(%[[A]], %[[SEED]] : tensor<2x3xf64>, tensor<3xf64>) outs(%[[FILL]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT: %[[EMPTY_1:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[BCAST:.*]] = linalg.broadcast ins(%[[SEED]] : tensor<3xf64>) outs(%[[EMPTY_1]] : tensor<2x3xf64>) dimensions = [0]
// CHECK-NEXT: %[[EMPTY_2:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT: %[[BCAST_1:.*]] = linalg.broadcast ins(%[[X]] : tensor<2xf64>) outs(%[[EMPTY_2]] : tensor<2x3xf64>) dimensions = [1]
// CHECK-NEXT: %[[DA:.*]] = arith.mulf %[[BCAST_1]], %[[BCAST]] : tensor<2x3xf64>
// CHECK-NEXT: return %[[DX]], %[[DA]] : tensor<2xf64>, tensor<2x3xf64>

// CHECK-LABEL: func.func private @__dp_fwd_vecmat_ddc_d(
// CHECK-SAME: %[[X:.*]]: tensor<2xf64>, %[[DX:.*]]: tensor<2xf64>, %[[A:.*]]: tensor<2x3xf64>, %[[DA:.*]]: tensor<2x3xf64>, %[[Y:.*]]: tensor<3xf64>) -> (tensor<3xf64>, tensor<3xf64>) {
// CHECK-NEXT: %[[R:.*]] = linalg.vecmat ins(%[[X]], %[[A]] : tensor<2xf64>, tensor<2x3xf64>) outs(%[[Y]] : tensor<3xf64>) -> tensor<3xf64>
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<3xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY]] : tensor<3xf64>) -> tensor<3xf64>
// CHECK-NEXT: %[[VECMAT:.*]] = linalg.vecmat ins(%[[DX]], %[[A]] : tensor<2xf64>, tensor<2x3xf64>) outs(%[[FILL]] : tensor<3xf64>) -> tensor<3xf64>
// CHECK-NEXT: %[[EMPTY_1:.*]] = tensor.empty() : tensor<3xf64>
// CHECK-NEXT: %[[ZERO_1:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL_1:.*]] = linalg.fill ins(%[[ZERO_1]] : f64) outs(%[[EMPTY_1]] : tensor<3xf64>) -> tensor<3xf64>
// CHECK-NEXT: %[[VECMAT_1:.*]] = linalg.vecmat ins(%[[X]], %[[DA]] : tensor<2xf64>, tensor<2x3xf64>) outs(%[[FILL_1]] : tensor<3xf64>) -> tensor<3xf64>
// CHECK-NEXT: %[[DR:.*]] = arith.addf %[[VECMAT]], %[[VECMAT_1]] : tensor<3xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<3xf64>, tensor<3xf64>

func.func private @vecmat(%x: tensor<2xf64>, %a: tensor<2x3xf64>, %y: tensor<3xf64>) -> tensor<3xf64> {
  %r = linalg.vecmat ins(%x, %a : tensor<2xf64>, tensor<2x3xf64>) outs(%y : tensor<3xf64>) -> tensor<3xf64>
  return %r : tensor<3xf64>
}

func.func @vecmat_fwd_ddc(%x: tensor<2xf64>, %dx: tensor<2xf64>, %a: tensor<2x3xf64>, %da: tensor<2x3xf64>, %y: tensor<3xf64>) -> (tensor<3xf64>, tensor<3xf64>) {
  %r, %dr = dp.fwddiff @vecmat(%x, %dx, %a, %da, %y) args [dup, dup, const] results [dup] : (tensor<2xf64>, tensor<2xf64>, tensor<2x3xf64>, tensor<2x3xf64>, tensor<3xf64>) -> (tensor<3xf64>, tensor<3xf64>)
  return %r, %dr : tensor<3xf64>, tensor<3xf64>
}

func.func @vecmat_rev_aac(%x: tensor<2xf64>, %a: tensor<2x3xf64>, %y: tensor<3xf64>, %seed: tensor<3xf64>) -> (tensor<3xf64>, tensor<2xf64>, tensor<2x3xf64>) {
  %r, %dx, %da = dp.autodiff @vecmat(%x, %a, %y, %seed) args [active, active, const] results [active] : (tensor<2xf64>, tensor<2x3xf64>, tensor<3xf64>, tensor<3xf64>) -> (tensor<3xf64>, tensor<2xf64>, tensor<2x3xf64>)
  return %r, %dx, %da : tensor<3xf64>, tensor<2xf64>, tensor<2x3xf64>
}

func.func @vecmat_rev_cac(%x: tensor<2xf64>, %a: tensor<2x3xf64>, %y: tensor<3xf64>, %seed: tensor<3xf64>) -> (tensor<3xf64>, tensor<2x3xf64>) {
  %r, %da = dp.autodiff @vecmat(%x, %a, %y, %seed) args [const, active, const] results [active] : (tensor<2xf64>, tensor<2x3xf64>, tensor<3xf64>, tensor<3xf64>) -> (tensor<3xf64>, tensor<2x3xf64>)
  return %r, %da : tensor<3xf64>, tensor<2x3xf64>
}
// -----

// dot: r = s0 + x . y (a 0-d tensor). dr = dx . y + x . dy. Reverse: dx =
// broadcast(seed) * y, dy = x * broadcast(seed). The one-active request for y
// needs only x (an argument: nothing is cached).

// CHECK-LABEL: func.func private @__dp_aug_dot_cac_a(
// CHECK-SAME: %[[X:.*]]: tensor<3xf64>, %[[Y:.*]]: tensor<3xf64>, %[[S0:.*]]: tensor<f64>, %[[TAPE:.*]]: !dp.tape) -> tensor<f64> {
// CHECK-NEXT: %[[R:.*]] = linalg.dot ins(%[[X]], %[[Y]] : tensor<3xf64>, tensor<3xf64>) outs(%[[S0]] : tensor<f64>) -> tensor<f64>
// CHECK-NEXT: return %[[R]] : tensor<f64>

// CHECK-LABEL: func.func private @__dp_rev_dot_cac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[X:[^:]*]]: tensor<3xf64>, %[[Y:[^:]*]]: tensor<3xf64>, %[[S0:[^:]*]]: tensor<f64>, %[[SEED:.*]]: tensor<f64>) -> tensor<3xf64> {
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<3xf64>
// CHECK-NEXT: %[[BCAST:.*]] = linalg.broadcast ins(%[[SEED]] : tensor<f64>) outs(%[[EMPTY]] : tensor<3xf64>) dimensions = [0]
// CHECK-NEXT: %[[DY:.*]] = arith.mulf %[[X]], %[[BCAST]] : tensor<3xf64>
// CHECK-NEXT: return %[[DY]] : tensor<3xf64>

// CHECK-LABEL: func.func private @__dp_aug_dot_aac_a(
// CHECK-SAME: %[[X:.*]]: tensor<3xf64>, %[[Y:.*]]: tensor<3xf64>, %[[S0:.*]]: tensor<f64>, %[[TAPE:.*]]: !dp.tape) -> tensor<f64> {
// CHECK-NEXT: %[[R:.*]] = linalg.dot ins(%[[X]], %[[Y]] : tensor<3xf64>, tensor<3xf64>) outs(%[[S0]] : tensor<f64>) -> tensor<f64>
// CHECK-NEXT: return %[[R]] : tensor<f64>

// CHECK-LABEL: func.func private @__dp_rev_dot_aac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[X:[^:]*]]: tensor<3xf64>, %[[Y:[^:]*]]: tensor<3xf64>, %[[S0:[^:]*]]: tensor<f64>, %[[SEED:.*]]: tensor<f64>) -> (tensor<3xf64>, tensor<3xf64>) {
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<3xf64>
// CHECK-NEXT: %[[BCAST:.*]] = linalg.broadcast ins(%[[SEED]] : tensor<f64>) outs(%[[EMPTY]] : tensor<3xf64>) dimensions = [0]
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[BCAST]], %[[Y]] : tensor<3xf64>
// CHECK-NEXT: %[[EMPTY_1:.*]] = tensor.empty() : tensor<3xf64>
// CHECK-NEXT: %[[BCAST_1:.*]] = linalg.broadcast ins(%[[SEED]] : tensor<f64>) outs(%[[EMPTY_1]] : tensor<3xf64>) dimensions = [0]
// CHECK-NEXT: %[[DY:.*]] = arith.mulf %[[X]], %[[BCAST_1]] : tensor<3xf64>
// CHECK-NEXT: return %[[DX]], %[[DY]] : tensor<3xf64>, tensor<3xf64>

// CHECK-LABEL: func.func private @__dp_fwd_dot_ddc_d(
// CHECK-SAME: %[[X:.*]]: tensor<3xf64>, %[[DX:.*]]: tensor<3xf64>, %[[Y:.*]]: tensor<3xf64>, %[[DY:.*]]: tensor<3xf64>, %[[S0:.*]]: tensor<f64>) -> (tensor<f64>, tensor<f64>) {
// CHECK-NEXT: %[[R:.*]] = linalg.dot ins(%[[X]], %[[Y]] : tensor<3xf64>, tensor<3xf64>) outs(%[[S0]] : tensor<f64>) -> tensor<f64>
// CHECK-NEXT: %[[EMPTY:.*]] = tensor.empty() : tensor<f64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY]] : tensor<f64>) -> tensor<f64>
// CHECK-NEXT: %[[DOT:.*]] = linalg.dot ins(%[[DX]], %[[Y]] : tensor<3xf64>, tensor<3xf64>) outs(%[[FILL]] : tensor<f64>) -> tensor<f64>
// CHECK-NEXT: %[[EMPTY_1:.*]] = tensor.empty() : tensor<f64>
// CHECK-NEXT: %[[ZERO_1:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[FILL_1:.*]] = linalg.fill ins(%[[ZERO_1]] : f64) outs(%[[EMPTY_1]] : tensor<f64>) -> tensor<f64>
// CHECK-NEXT: %[[DOT_1:.*]] = linalg.dot ins(%[[X]], %[[DY]] : tensor<3xf64>, tensor<3xf64>) outs(%[[FILL_1]] : tensor<f64>) -> tensor<f64>
// CHECK-NEXT: %[[DR:.*]] = arith.addf %[[DOT]], %[[DOT_1]] : tensor<f64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<f64>, tensor<f64>

func.func private @dot(%x: tensor<3xf64>, %y: tensor<3xf64>, %s0: tensor<f64>) -> tensor<f64> {
  %r = linalg.dot ins(%x, %y : tensor<3xf64>, tensor<3xf64>) outs(%s0 : tensor<f64>) -> tensor<f64>
  return %r : tensor<f64>
}

func.func @dot_fwd_ddc(%x: tensor<3xf64>, %dx: tensor<3xf64>, %y: tensor<3xf64>, %dy: tensor<3xf64>, %s0: tensor<f64>) -> (tensor<f64>, tensor<f64>) {
  %r, %dr = dp.fwddiff @dot(%x, %dx, %y, %dy, %s0) args [dup, dup, const] results [dup] : (tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<f64>) -> (tensor<f64>, tensor<f64>)
  return %r, %dr : tensor<f64>, tensor<f64>
}

func.func @dot_rev_aac(%x: tensor<3xf64>, %y: tensor<3xf64>, %s0: tensor<f64>, %seed: tensor<f64>) -> (tensor<f64>, tensor<3xf64>, tensor<3xf64>) {
  %r, %dx, %dy = dp.autodiff @dot(%x, %y, %s0, %seed) args [active, active, const] results [active] : (tensor<3xf64>, tensor<3xf64>, tensor<f64>, tensor<f64>) -> (tensor<f64>, tensor<3xf64>, tensor<3xf64>)
  return %r, %dx, %dy : tensor<f64>, tensor<3xf64>, tensor<3xf64>
}

func.func @dot_rev_cac(%x: tensor<3xf64>, %y: tensor<3xf64>, %s0: tensor<f64>, %seed: tensor<f64>) -> (tensor<f64>, tensor<3xf64>) {
  %r, %dy = dp.autodiff @dot(%x, %y, %s0, %seed) args [const, active, const] results [active] : (tensor<3xf64>, tensor<3xf64>, tensor<f64>, tensor<f64>) -> (tensor<f64>, tensor<3xf64>)
  return %r, %dy : tensor<f64>, tensor<3xf64>
}
