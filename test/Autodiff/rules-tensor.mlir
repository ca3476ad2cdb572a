// RUN: dp-opt %s --split-input-file --dp-autodiff | FileCheck %s

// The derivative rules of passes/autodiff/rules/TensorRules.cpp, one split per
// op: a private primal on static-shaped f64 tensors, then forward (dp.fwddiff)
// and reverse (dp.autodiff) requests for it. Each generated function is
// checked whole, line by line:
//   __dp_fwd_*  the primal op, then the tangent formula;
//   __dp_aug_*  the primal op, then exactly the values the reverse sweep needs,
//               pushed on the tape (nothing else: these ops are linear in their
//               float operands, so only dynamic indices and offsets are kept;
//               the reverse sweep receives the tensor arguments anyway);
//   __dp_rev_*  the pops (last pushed first), then the adjoint formula.
// Generated functions are inserted right after their primal, newest first, so
// the labels below follow the requests in reverse order.

// extract: d(t[i, j]) = dt[i, j]. Reverse adds the seed into element (i, j)
// of t's adjoint in place (extract, addf, insert; the adjoint so far is zeros
// here), not a full-size one-hot addition. Only the indices are cached, popped
// in reverse order: j first.

// CHECK-LABEL: func.func private @__dp_aug_extract_acc_a(
// CHECK-SAME: %[[T:.*]]: tensor<4x3xf64>, %[[I:.*]]: index, %[[J:.*]]: index, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = tensor.extract %[[T]][%[[I]], %[[J]]] : tensor<4x3xf64>
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[I]] : !dp.tape, index
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[J]] : !dp.tape, index
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_extract_acc_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[T:[^:]*]]: tensor<4x3xf64>, %[[SEED:.*]]: f64) -> tensor<4x3xf64> {
// CHECK-NEXT: %[[J:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> index
// CHECK-NEXT: %[[I:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> index
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<4x3xf64>
// CHECK-NEXT: %[[EXT:.*]] = tensor.extract %[[ZERO]][%[[I]], %[[J]]] : tensor<4x3xf64>
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[EXT]], %[[SEED]] : f64
// CHECK-NEXT: %[[DT:.*]] = tensor.insert %[[ADD]] into %[[ZERO]][%[[I]], %[[J]]] : tensor<4x3xf64>
// CHECK-NEXT: return %[[DT]] : tensor<4x3xf64>

// CHECK-LABEL: func.func private @__dp_fwd_extract_dcc_d(
// CHECK-SAME: %[[T:.*]]: tensor<4x3xf64>, %[[DT:.*]]: tensor<4x3xf64>, %[[I:.*]]: index, %[[J:.*]]: index) -> (f64, f64) {
// CHECK-NEXT: %[[R:.*]] = tensor.extract %[[T]][%[[I]], %[[J]]] : tensor<4x3xf64>
// CHECK-NEXT: %[[DR:.*]] = tensor.extract %[[DT]][%[[I]], %[[J]]] : tensor<4x3xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : f64, f64

func.func private @extract(%t: tensor<4x3xf64>, %i: index, %j: index) -> f64 {
  %r = tensor.extract %t[%i, %j] : tensor<4x3xf64>
  return %r : f64
}

func.func @extract_fwd_d(%t: tensor<4x3xf64>, %dt: tensor<4x3xf64>, %i: index, %j: index) -> (f64, f64) {
  %r, %dr = dp.fwddiff @extract(%t, %dt, %i, %j) args [dup, const, const] results [dup] : (tensor<4x3xf64>, tensor<4x3xf64>, index, index) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @extract_rev_a(%t: tensor<4x3xf64>, %i: index, %j: index, %seed: f64) -> (f64, tensor<4x3xf64>) {
  %r, %dt = dp.autodiff @extract(%t, %i, %j, %seed) args [active, const, const] results [active] : (tensor<4x3xf64>, index, index, f64) -> (f64, tensor<4x3xf64>)
  return %r, %dt : f64, tensor<4x3xf64>
}
// -----

// insert: r = t with r[i] = x. dr = dt with dr[i] = dx; a const operand's
// tangent is zero (a zero tensor for t, a zero scalar for x). Reverse: dx =
// seed[i]; dt = seed with element i zeroed (it was overwritten). Only the index
// is cached, and a one-active request builds only that operand's adjoint.

// CHECK-LABEL: func.func private @__dp_aug_insert_cac_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[T:.*]]: tensor<4xf64>, %[[I:.*]]: index, %[[TAPE:.*]]: !dp.tape) -> tensor<4xf64> {
// CHECK-NEXT: %[[R:.*]] = tensor.insert %[[X]] into %[[T]][%[[I]]] : tensor<4xf64>
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[I]] : !dp.tape, index
// CHECK-NEXT: return %[[R]] : tensor<4xf64>

// CHECK-LABEL: func.func private @__dp_rev_insert_cac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[T:[^:]*]]: tensor<4xf64>, %[[SEED:.*]]: tensor<4xf64>) -> tensor<4xf64> {
// CHECK-NEXT: %[[I:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> index
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[DT:.*]] = tensor.insert %[[ZERO]] into %[[SEED]][%[[I]]] : tensor<4xf64>
// CHECK-NEXT: return %[[DT]] : tensor<4xf64>

// CHECK-LABEL: func.func private @__dp_aug_insert_acc_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[T:.*]]: tensor<4xf64>, %[[I:.*]]: index, %[[TAPE:.*]]: !dp.tape) -> tensor<4xf64> {
// CHECK-NEXT: %[[R:.*]] = tensor.insert %[[X]] into %[[T]][%[[I]]] : tensor<4xf64>
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[I]] : !dp.tape, index
// CHECK-NEXT: return %[[R]] : tensor<4xf64>

// CHECK-LABEL: func.func private @__dp_rev_insert_acc_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[T:[^:]*]]: tensor<4xf64>, %[[SEED:.*]]: tensor<4xf64>) -> f64 {
// CHECK-NEXT: %[[I:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> index
// CHECK-NEXT: %[[DX:.*]] = tensor.extract %[[SEED]][%[[I]]] : tensor<4xf64>
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_aug_insert_aac_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[T:.*]]: tensor<4xf64>, %[[I:.*]]: index, %[[TAPE:.*]]: !dp.tape) -> tensor<4xf64> {
// CHECK-NEXT: %[[R:.*]] = tensor.insert %[[X]] into %[[T]][%[[I]]] : tensor<4xf64>
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[I]] : !dp.tape, index
// CHECK-NEXT: return %[[R]] : tensor<4xf64>

// CHECK-LABEL: func.func private @__dp_rev_insert_aac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[T:[^:]*]]: tensor<4xf64>, %[[SEED:.*]]: tensor<4xf64>) -> (f64, tensor<4xf64>) {
// CHECK-NEXT: %[[I:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> index
// CHECK-NEXT: %[[DX:.*]] = tensor.extract %[[SEED]][%[[I]]] : tensor<4xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[DT:.*]] = tensor.insert %[[ZERO]] into %[[SEED]][%[[I]]] : tensor<4xf64>
// CHECK-NEXT: return %[[DX]], %[[DT]] : f64, tensor<4xf64>

// CHECK-LABEL: func.func private @__dp_fwd_insert_cdc_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[T:.*]]: tensor<4xf64>, %[[DT:.*]]: tensor<4xf64>, %[[I:.*]]: index) -> (tensor<4xf64>, tensor<4xf64>) {
// CHECK-NEXT: %[[R:.*]] = tensor.insert %[[X]] into %[[T]][%[[I]]] : tensor<4xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[DR:.*]] = tensor.insert %[[ZERO]] into %[[DT]][%[[I]]] : tensor<4xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<4xf64>, tensor<4xf64>

// CHECK-LABEL: func.func private @__dp_fwd_insert_dcc_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64, %[[T:.*]]: tensor<4xf64>, %[[I:.*]]: index) -> (tensor<4xf64>, tensor<4xf64>) {
// CHECK-NEXT: %[[R:.*]] = tensor.insert %[[X]] into %[[T]][%[[I]]] : tensor<4xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<4xf64>
// CHECK-NEXT: %[[DR:.*]] = tensor.insert %[[DX]] into %[[ZERO]][%[[I]]] : tensor<4xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<4xf64>, tensor<4xf64>

// CHECK-LABEL: func.func private @__dp_fwd_insert_ddc_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64, %[[T:.*]]: tensor<4xf64>, %[[DT:.*]]: tensor<4xf64>, %[[I:.*]]: index) -> (tensor<4xf64>, tensor<4xf64>) {
// CHECK-NEXT: %[[R:.*]] = tensor.insert %[[X]] into %[[T]][%[[I]]] : tensor<4xf64>
// CHECK-NEXT: %[[DR:.*]] = tensor.insert %[[DX]] into %[[DT]][%[[I]]] : tensor<4xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<4xf64>, tensor<4xf64>

func.func private @insert(%x: f64, %t: tensor<4xf64>, %i: index) -> tensor<4xf64> {
  %r = tensor.insert %x into %t[%i] : tensor<4xf64>
  return %r : tensor<4xf64>
}

func.func @insert_fwd_dd(%x: f64, %dx: f64, %t: tensor<4xf64>, %dt: tensor<4xf64>, %i: index) -> (tensor<4xf64>, tensor<4xf64>) {
  %r, %dr = dp.fwddiff @insert(%x, %dx, %t, %dt, %i) args [dup, dup, const] results [dup] : (f64, f64, tensor<4xf64>, tensor<4xf64>, index) -> (tensor<4xf64>, tensor<4xf64>)
  return %r, %dr : tensor<4xf64>, tensor<4xf64>
}

func.func @insert_fwd_dc(%x: f64, %dx: f64, %t: tensor<4xf64>, %i: index) -> (tensor<4xf64>, tensor<4xf64>) {
  %r, %dr = dp.fwddiff @insert(%x, %dx, %t, %i) args [dup, const, const] results [dup] : (f64, f64, tensor<4xf64>, index) -> (tensor<4xf64>, tensor<4xf64>)
  return %r, %dr : tensor<4xf64>, tensor<4xf64>
}

func.func @insert_fwd_cd(%x: f64, %t: tensor<4xf64>, %dt: tensor<4xf64>, %i: index) -> (tensor<4xf64>, tensor<4xf64>) {
  %r, %dr = dp.fwddiff @insert(%x, %t, %dt, %i) args [const, dup, const] results [dup] : (f64, tensor<4xf64>, tensor<4xf64>, index) -> (tensor<4xf64>, tensor<4xf64>)
  return %r, %dr : tensor<4xf64>, tensor<4xf64>
}

func.func @insert_rev_aa(%x: f64, %t: tensor<4xf64>, %i: index, %seed: tensor<4xf64>) -> (tensor<4xf64>, f64, tensor<4xf64>) {
  %r, %dx, %dt = dp.autodiff @insert(%x, %t, %i, %seed) args [active, active, const] results [active] : (f64, tensor<4xf64>, index, tensor<4xf64>) -> (tensor<4xf64>, f64, tensor<4xf64>)
  return %r, %dx, %dt : tensor<4xf64>, f64, tensor<4xf64>
}

func.func @insert_rev_ac(%x: f64, %t: tensor<4xf64>, %i: index, %seed: tensor<4xf64>) -> (tensor<4xf64>, f64) {
  %r, %dx = dp.autodiff @insert(%x, %t, %i, %seed) args [active, const, const] results [active] : (f64, tensor<4xf64>, index, tensor<4xf64>) -> (tensor<4xf64>, f64)
  return %r, %dx : tensor<4xf64>, f64
}

func.func @insert_rev_ca(%x: f64, %t: tensor<4xf64>, %i: index, %seed: tensor<4xf64>) -> (tensor<4xf64>, tensor<4xf64>) {
  %r, %dt = dp.autodiff @insert(%x, %t, %i, %seed) args [const, active, const] results [active] : (f64, tensor<4xf64>, index, tensor<4xf64>) -> (tensor<4xf64>, tensor<4xf64>)
  return %r, %dt : tensor<4xf64>, tensor<4xf64>
}
// -----

// extract_slice, static offsets and strides: d(t[1:5:2, 0:6:2]) = the same
// slice of dt. Reverse adds the seed into that (strided) slice of t's adjoint
// in place (extract_slice, addf, insert_slice with the same offsets, sizes and
// strides). Nothing is cached.

// CHECK-LABEL: func.func private @__dp_aug_extract_slice_a_a(
// CHECK-SAME: %[[T:.*]]: tensor<4x6xf64>, %[[TAPE:.*]]: !dp.tape) -> tensor<2x3xf64> {
// CHECK-NEXT: %[[R:.*]] = tensor.extract_slice %[[T]][1, 0] [2, 3] [2, 2] : tensor<4x6xf64> to tensor<2x3xf64>
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : tensor<2x3xf64>

// CHECK-LABEL: func.func private @__dp_rev_extract_slice_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[T:[^:]*]]: tensor<4x6xf64>, %[[SEED:.*]]: tensor<2x3xf64>) -> tensor<4x6xf64> {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<4x6xf64>
// CHECK-NEXT: %[[SLICE:.*]] = tensor.extract_slice %[[ZERO]][1, 0] [2, 3] [2, 2] : tensor<4x6xf64> to tensor<2x3xf64>
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[SLICE]], %[[SEED]] : tensor<2x3xf64>
// CHECK-NEXT: %[[DT:.*]] = tensor.insert_slice %[[ADD]] into %[[ZERO]][1, 0] [2, 3] [2, 2] : tensor<2x3xf64> into tensor<4x6xf64>
// CHECK-NEXT: return %[[DT]] : tensor<4x6xf64>

// CHECK-LABEL: func.func private @__dp_fwd_extract_slice_d_d(
// CHECK-SAME: %[[T:.*]]: tensor<4x6xf64>, %[[DT:.*]]: tensor<4x6xf64>) -> (tensor<2x3xf64>, tensor<2x3xf64>) {
// CHECK-NEXT: %[[R:.*]] = tensor.extract_slice %[[T]][1, 0] [2, 3] [2, 2] : tensor<4x6xf64> to tensor<2x3xf64>
// CHECK-NEXT: %[[DR:.*]] = tensor.extract_slice %[[DT]][1, 0] [2, 3] [2, 2] : tensor<4x6xf64> to tensor<2x3xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<2x3xf64>, tensor<2x3xf64>

func.func private @extract_slice(%t: tensor<4x6xf64>) -> tensor<2x3xf64> {
  %r = tensor.extract_slice %t[1, 0] [2, 3] [2, 2] : tensor<4x6xf64> to tensor<2x3xf64>
  return %r : tensor<2x3xf64>
}

func.func @extract_slice_fwd_d(%t: tensor<4x6xf64>, %dt: tensor<4x6xf64>) -> (tensor<2x3xf64>, tensor<2x3xf64>) {
  %r, %dr = dp.fwddiff @extract_slice(%t, %dt) args [dup] results [dup] : (tensor<4x6xf64>, tensor<4x6xf64>) -> (tensor<2x3xf64>, tensor<2x3xf64>)
  return %r, %dr : tensor<2x3xf64>, tensor<2x3xf64>
}

func.func @extract_slice_rev_a(%t: tensor<4x6xf64>, %seed: tensor<2x3xf64>) -> (tensor<2x3xf64>, tensor<4x6xf64>) {
  %r, %dt = dp.autodiff @extract_slice(%t, %seed) args [active] results [active] : (tensor<4x6xf64>, tensor<2x3xf64>) -> (tensor<2x3xf64>, tensor<4x6xf64>)
  return %r, %dt : tensor<2x3xf64>, tensor<4x6xf64>
}
// -----

// extract_slice, dynamic offsets: the offsets are cached (popped j first) and
// reused for the in-place update of t's adjoint.

// CHECK-LABEL: func.func private @__dp_aug_extract_slice_dyn_acc_a(
// CHECK-SAME: %[[T:.*]]: tensor<4x6xf64>, %[[I:.*]]: index, %[[J:.*]]: index, %[[TAPE:.*]]: !dp.tape) -> tensor<2x3xf64> {
// CHECK-NEXT: %[[R:.*]] = tensor.extract_slice %[[T]][%[[I]], %[[J]]] [2, 3] [1, 1] : tensor<4x6xf64> to tensor<2x3xf64>
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[I]] : !dp.tape, index
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[J]] : !dp.tape, index
// CHECK-NEXT: return %[[R]] : tensor<2x3xf64>

// CHECK-LABEL: func.func private @__dp_rev_extract_slice_dyn_acc_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[T:[^:]*]]: tensor<4x6xf64>, %[[SEED:.*]]: tensor<2x3xf64>) -> tensor<4x6xf64> {
// CHECK-NEXT: %[[J:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> index
// CHECK-NEXT: %[[I:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> index
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<4x6xf64>
// CHECK-NEXT: %[[SLICE:.*]] = tensor.extract_slice %[[ZERO]][%[[I]], %[[J]]] [2, 3] [1, 1] : tensor<4x6xf64> to tensor<2x3xf64>
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[SLICE]], %[[SEED]] : tensor<2x3xf64>
// CHECK-NEXT: %[[DT:.*]] = tensor.insert_slice %[[ADD]] into %[[ZERO]][%[[I]], %[[J]]] [2, 3] [1, 1] : tensor<2x3xf64> into tensor<4x6xf64>
// CHECK-NEXT: return %[[DT]] : tensor<4x6xf64>

// CHECK-LABEL: func.func private @__dp_fwd_extract_slice_dyn_dcc_d(
// CHECK-SAME: %[[T:.*]]: tensor<4x6xf64>, %[[DT:.*]]: tensor<4x6xf64>, %[[I:.*]]: index, %[[J:.*]]: index) -> (tensor<2x3xf64>, tensor<2x3xf64>) {
// CHECK-NEXT: %[[R:.*]] = tensor.extract_slice %[[T]][%[[I]], %[[J]]] [2, 3] [1, 1] : tensor<4x6xf64> to tensor<2x3xf64>
// CHECK-NEXT: %[[DR:.*]] = tensor.extract_slice %[[DT]][%[[I]], %[[J]]] [2, 3] [1, 1] : tensor<4x6xf64> to tensor<2x3xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<2x3xf64>, tensor<2x3xf64>

func.func private @extract_slice_dyn(%t: tensor<4x6xf64>, %i: index, %j: index) -> tensor<2x3xf64> {
  %r = tensor.extract_slice %t[%i, %j] [2, 3] [1, 1] : tensor<4x6xf64> to tensor<2x3xf64>
  return %r : tensor<2x3xf64>
}

func.func @extract_slice_dyn_fwd_d(%t: tensor<4x6xf64>, %dt: tensor<4x6xf64>, %i: index, %j: index) -> (tensor<2x3xf64>, tensor<2x3xf64>) {
  %r, %dr = dp.fwddiff @extract_slice_dyn(%t, %dt, %i, %j) args [dup, const, const] results [dup] : (tensor<4x6xf64>, tensor<4x6xf64>, index, index) -> (tensor<2x3xf64>, tensor<2x3xf64>)
  return %r, %dr : tensor<2x3xf64>, tensor<2x3xf64>
}

func.func @extract_slice_dyn_rev_a(%t: tensor<4x6xf64>, %i: index, %j: index, %seed: tensor<2x3xf64>) -> (tensor<2x3xf64>, tensor<4x6xf64>) {
  %r, %dt = dp.autodiff @extract_slice_dyn(%t, %i, %j, %seed) args [active, const, const] results [active] : (tensor<4x6xf64>, index, index, tensor<2x3xf64>) -> (tensor<2x3xf64>, tensor<4x6xf64>)
  return %r, %dt : tensor<2x3xf64>, tensor<4x6xf64>
}
// -----

// extract_slice, rank-reducing (row i of a matrix): the tangent and the
// adjoint update keep the reduced type tensor<6xf64>.

// CHECK-LABEL: func.func private @__dp_aug_extract_row_ac_a(
// CHECK-SAME: %[[T:.*]]: tensor<4x6xf64>, %[[I:.*]]: index, %[[TAPE:.*]]: !dp.tape) -> tensor<6xf64> {
// CHECK-NEXT: %[[R:.*]] = tensor.extract_slice %[[T]][%[[I]], 0] [1, 6] [1, 1] : tensor<4x6xf64> to tensor<6xf64>
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[I]] : !dp.tape, index
// CHECK-NEXT: return %[[R]] : tensor<6xf64>

// CHECK-LABEL: func.func private @__dp_rev_extract_row_ac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[T:[^:]*]]: tensor<4x6xf64>, %[[SEED:.*]]: tensor<6xf64>) -> tensor<4x6xf64> {
// CHECK-NEXT: %[[I:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> index
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<4x6xf64>
// CHECK-NEXT: %[[SLICE:.*]] = tensor.extract_slice %[[ZERO]][%[[I]], 0] [1, 6] [1, 1] : tensor<4x6xf64> to tensor<6xf64>
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[SLICE]], %[[SEED]] : tensor<6xf64>
// CHECK-NEXT: %[[DT:.*]] = tensor.insert_slice %[[ADD]] into %[[ZERO]][%[[I]], 0] [1, 6] [1, 1] : tensor<6xf64> into tensor<4x6xf64>
// CHECK-NEXT: return %[[DT]] : tensor<4x6xf64>

// CHECK-LABEL: func.func private @__dp_fwd_extract_row_dc_d(
// CHECK-SAME: %[[T:.*]]: tensor<4x6xf64>, %[[DT:.*]]: tensor<4x6xf64>, %[[I:.*]]: index) -> (tensor<6xf64>, tensor<6xf64>) {
// CHECK-NEXT: %[[R:.*]] = tensor.extract_slice %[[T]][%[[I]], 0] [1, 6] [1, 1] : tensor<4x6xf64> to tensor<6xf64>
// CHECK-NEXT: %[[DR:.*]] = tensor.extract_slice %[[DT]][%[[I]], 0] [1, 6] [1, 1] : tensor<4x6xf64> to tensor<6xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<6xf64>, tensor<6xf64>

func.func private @extract_row(%t: tensor<4x6xf64>, %i: index) -> tensor<6xf64> {
  %r = tensor.extract_slice %t[%i, 0] [1, 6] [1, 1] : tensor<4x6xf64> to tensor<6xf64>
  return %r : tensor<6xf64>
}

func.func @extract_row_fwd_d(%t: tensor<4x6xf64>, %dt: tensor<4x6xf64>, %i: index) -> (tensor<6xf64>, tensor<6xf64>) {
  %r, %dr = dp.fwddiff @extract_row(%t, %dt, %i) args [dup, const] results [dup] : (tensor<4x6xf64>, tensor<4x6xf64>, index) -> (tensor<6xf64>, tensor<6xf64>)
  return %r, %dr : tensor<6xf64>, tensor<6xf64>
}

func.func @extract_row_rev_a(%t: tensor<4x6xf64>, %i: index, %seed: tensor<6xf64>) -> (tensor<6xf64>, tensor<4x6xf64>) {
  %r, %dt = dp.autodiff @extract_row(%t, %i, %seed) args [active, const] results [active] : (tensor<4x6xf64>, index, tensor<6xf64>) -> (tensor<6xf64>, tensor<4x6xf64>)
  return %r, %dt : tensor<6xf64>, tensor<4x6xf64>
}
// -----

// insert_slice: r = d with the (strided) slice [i:i+2, 1:7:2] replaced by s.
// dr = dd with that slice replaced by ds (zeros for a const operand). Reverse:
// ds = that slice of the seed; dd = the seed with the slice zeroed. Only the
// dynamic offset is cached; a one-active request builds one adjoint.

// CHECK-LABEL: func.func private @__dp_aug_insert_slice_cac_a(
// CHECK-SAME: %[[S:.*]]: tensor<2x3xf64>, %[[D:.*]]: tensor<4x6xf64>, %[[I:.*]]: index, %[[TAPE:.*]]: !dp.tape) -> tensor<4x6xf64> {
// CHECK-NEXT: %[[R:.*]] = tensor.insert_slice %[[S]] into %[[D]][%[[I]], 1] [2, 3] [1, 2] : tensor<2x3xf64> into tensor<4x6xf64>
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[I]] : !dp.tape, index
// CHECK-NEXT: return %[[R]] : tensor<4x6xf64>

// CHECK-LABEL: func.func private @__dp_rev_insert_slice_cac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[S:[^:]*]]: tensor<2x3xf64>, %[[D:[^:]*]]: tensor<4x6xf64>, %[[SEED:.*]]: tensor<4x6xf64>) -> tensor<4x6xf64> {
// CHECK-NEXT: %[[I:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> index
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[DD:.*]] = tensor.insert_slice %[[ZERO]] into %[[SEED]][%[[I]], 1] [2, 3] [1, 2] : tensor<2x3xf64> into tensor<4x6xf64>
// CHECK-NEXT: return %[[DD]] : tensor<4x6xf64>

// CHECK-LABEL: func.func private @__dp_aug_insert_slice_acc_a(
// CHECK-SAME: %[[S:.*]]: tensor<2x3xf64>, %[[D:.*]]: tensor<4x6xf64>, %[[I:.*]]: index, %[[TAPE:.*]]: !dp.tape) -> tensor<4x6xf64> {
// CHECK-NEXT: %[[R:.*]] = tensor.insert_slice %[[S]] into %[[D]][%[[I]], 1] [2, 3] [1, 2] : tensor<2x3xf64> into tensor<4x6xf64>
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[I]] : !dp.tape, index
// CHECK-NEXT: return %[[R]] : tensor<4x6xf64>

// CHECK-LABEL: func.func private @__dp_rev_insert_slice_acc_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[S:[^:]*]]: tensor<2x3xf64>, %[[D:[^:]*]]: tensor<4x6xf64>, %[[SEED:.*]]: tensor<4x6xf64>) -> tensor<2x3xf64> {
// CHECK-NEXT: %[[I:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> index
// CHECK-NEXT: %[[DS:.*]] = tensor.extract_slice %[[SEED]][%[[I]], 1] [2, 3] [1, 2] : tensor<4x6xf64> to tensor<2x3xf64>
// CHECK-NEXT: return %[[DS]] : tensor<2x3xf64>

// CHECK-LABEL: func.func private @__dp_aug_insert_slice_aac_a(
// CHECK-SAME: %[[S:.*]]: tensor<2x3xf64>, %[[D:.*]]: tensor<4x6xf64>, %[[I:.*]]: index, %[[TAPE:.*]]: !dp.tape) -> tensor<4x6xf64> {
// CHECK-NEXT: %[[R:.*]] = tensor.insert_slice %[[S]] into %[[D]][%[[I]], 1] [2, 3] [1, 2] : tensor<2x3xf64> into tensor<4x6xf64>
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[I]] : !dp.tape, index
// CHECK-NEXT: return %[[R]] : tensor<4x6xf64>

// CHECK-LABEL: func.func private @__dp_rev_insert_slice_aac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[S:[^:]*]]: tensor<2x3xf64>, %[[D:[^:]*]]: tensor<4x6xf64>, %[[SEED:.*]]: tensor<4x6xf64>) -> (tensor<2x3xf64>, tensor<4x6xf64>) {
// CHECK-NEXT: %[[I:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> index
// CHECK-NEXT: %[[DS:.*]] = tensor.extract_slice %[[SEED]][%[[I]], 1] [2, 3] [1, 2] : tensor<4x6xf64> to tensor<2x3xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[DD:.*]] = tensor.insert_slice %[[ZERO]] into %[[SEED]][%[[I]], 1] [2, 3] [1, 2] : tensor<2x3xf64> into tensor<4x6xf64>
// CHECK-NEXT: return %[[DS]], %[[DD]] : tensor<2x3xf64>, tensor<4x6xf64>

// CHECK-LABEL: func.func private @__dp_fwd_insert_slice_cdc_d(
// CHECK-SAME: %[[S:.*]]: tensor<2x3xf64>, %[[D:.*]]: tensor<4x6xf64>, %[[DD:.*]]: tensor<4x6xf64>, %[[I:.*]]: index) -> (tensor<4x6xf64>, tensor<4x6xf64>) {
// CHECK-NEXT: %[[R:.*]] = tensor.insert_slice %[[S]] into %[[D]][%[[I]], 1] [2, 3] [1, 2] : tensor<2x3xf64> into tensor<4x6xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[DR:.*]] = tensor.insert_slice %[[ZERO]] into %[[DD]][%[[I]], 1] [2, 3] [1, 2] : tensor<2x3xf64> into tensor<4x6xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<4x6xf64>, tensor<4x6xf64>

// CHECK-LABEL: func.func private @__dp_fwd_insert_slice_dcc_d(
// CHECK-SAME: %[[S:.*]]: tensor<2x3xf64>, %[[DS:.*]]: tensor<2x3xf64>, %[[D:.*]]: tensor<4x6xf64>, %[[I:.*]]: index) -> (tensor<4x6xf64>, tensor<4x6xf64>) {
// CHECK-NEXT: %[[R:.*]] = tensor.insert_slice %[[S]] into %[[D]][%[[I]], 1] [2, 3] [1, 2] : tensor<2x3xf64> into tensor<4x6xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<4x6xf64>
// CHECK-NEXT: %[[DR:.*]] = tensor.insert_slice %[[DS]] into %[[ZERO]][%[[I]], 1] [2, 3] [1, 2] : tensor<2x3xf64> into tensor<4x6xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<4x6xf64>, tensor<4x6xf64>

// CHECK-LABEL: func.func private @__dp_fwd_insert_slice_ddc_d(
// CHECK-SAME: %[[S:.*]]: tensor<2x3xf64>, %[[DS:.*]]: tensor<2x3xf64>, %[[D:.*]]: tensor<4x6xf64>, %[[DD:.*]]: tensor<4x6xf64>, %[[I:.*]]: index) -> (tensor<4x6xf64>, tensor<4x6xf64>) {
// CHECK-NEXT: %[[R:.*]] = tensor.insert_slice %[[S]] into %[[D]][%[[I]], 1] [2, 3] [1, 2] : tensor<2x3xf64> into tensor<4x6xf64>
// CHECK-NEXT: %[[DR:.*]] = tensor.insert_slice %[[DS]] into %[[DD]][%[[I]], 1] [2, 3] [1, 2] : tensor<2x3xf64> into tensor<4x6xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<4x6xf64>, tensor<4x6xf64>

func.func private @insert_slice(%s: tensor<2x3xf64>, %d: tensor<4x6xf64>, %i: index) -> tensor<4x6xf64> {
  %r = tensor.insert_slice %s into %d[%i, 1] [2, 3] [1, 2] : tensor<2x3xf64> into tensor<4x6xf64>
  return %r : tensor<4x6xf64>
}

func.func @insert_slice_fwd_dd(%s: tensor<2x3xf64>, %ds: tensor<2x3xf64>, %d: tensor<4x6xf64>, %dd: tensor<4x6xf64>, %i: index) -> (tensor<4x6xf64>, tensor<4x6xf64>) {
  %r, %dr = dp.fwddiff @insert_slice(%s, %ds, %d, %dd, %i) args [dup, dup, const] results [dup] : (tensor<2x3xf64>, tensor<2x3xf64>, tensor<4x6xf64>, tensor<4x6xf64>, index) -> (tensor<4x6xf64>, tensor<4x6xf64>)
  return %r, %dr : tensor<4x6xf64>, tensor<4x6xf64>
}

func.func @insert_slice_fwd_dc(%s: tensor<2x3xf64>, %ds: tensor<2x3xf64>, %d: tensor<4x6xf64>, %i: index) -> (tensor<4x6xf64>, tensor<4x6xf64>) {
  %r, %dr = dp.fwddiff @insert_slice(%s, %ds, %d, %i) args [dup, const, const] results [dup] : (tensor<2x3xf64>, tensor<2x3xf64>, tensor<4x6xf64>, index) -> (tensor<4x6xf64>, tensor<4x6xf64>)
  return %r, %dr : tensor<4x6xf64>, tensor<4x6xf64>
}

func.func @insert_slice_fwd_cd(%s: tensor<2x3xf64>, %d: tensor<4x6xf64>, %dd: tensor<4x6xf64>, %i: index) -> (tensor<4x6xf64>, tensor<4x6xf64>) {
  %r, %dr = dp.fwddiff @insert_slice(%s, %d, %dd, %i) args [const, dup, const] results [dup] : (tensor<2x3xf64>, tensor<4x6xf64>, tensor<4x6xf64>, index) -> (tensor<4x6xf64>, tensor<4x6xf64>)
  return %r, %dr : tensor<4x6xf64>, tensor<4x6xf64>
}

func.func @insert_slice_rev_aa(%s: tensor<2x3xf64>, %d: tensor<4x6xf64>, %i: index, %seed: tensor<4x6xf64>) -> (tensor<4x6xf64>, tensor<2x3xf64>, tensor<4x6xf64>) {
  %r, %ds, %dd = dp.autodiff @insert_slice(%s, %d, %i, %seed) args [active, active, const] results [active] : (tensor<2x3xf64>, tensor<4x6xf64>, index, tensor<4x6xf64>) -> (tensor<4x6xf64>, tensor<2x3xf64>, tensor<4x6xf64>)
  return %r, %ds, %dd : tensor<4x6xf64>, tensor<2x3xf64>, tensor<4x6xf64>
}

func.func @insert_slice_rev_ac(%s: tensor<2x3xf64>, %d: tensor<4x6xf64>, %i: index, %seed: tensor<4x6xf64>) -> (tensor<4x6xf64>, tensor<2x3xf64>) {
  %r, %ds = dp.autodiff @insert_slice(%s, %d, %i, %seed) args [active, const, const] results [active] : (tensor<2x3xf64>, tensor<4x6xf64>, index, tensor<4x6xf64>) -> (tensor<4x6xf64>, tensor<2x3xf64>)
  return %r, %ds : tensor<4x6xf64>, tensor<2x3xf64>
}

func.func @insert_slice_rev_ca(%s: tensor<2x3xf64>, %d: tensor<4x6xf64>, %i: index, %seed: tensor<4x6xf64>) -> (tensor<4x6xf64>, tensor<4x6xf64>) {
  %r, %dd = dp.autodiff @insert_slice(%s, %d, %i, %seed) args [const, active, const] results [active] : (tensor<2x3xf64>, tensor<4x6xf64>, index, tensor<4x6xf64>) -> (tensor<4x6xf64>, tensor<4x6xf64>)
  return %r, %dd : tensor<4x6xf64>, tensor<4x6xf64>
}
// -----

// collapse_shape: the tangent is collapsed the same way; the adjoint goes
// back through the inverse reshape, expand_shape to 2x3. Nothing is cached.

// CHECK-LABEL: func.func private @__dp_aug_collapse_a_a(
// CHECK-SAME: %[[T:.*]]: tensor<2x3xf64>, %[[TAPE:.*]]: !dp.tape) -> tensor<6xf64> {
// CHECK-NEXT: %[[R:.*]] = tensor.collapse_shape %[[T]] {{\[\[}}0, 1{{\]\]}} : tensor<2x3xf64> into tensor<6xf64>
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : tensor<6xf64>

// CHECK-LABEL: func.func private @__dp_rev_collapse_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[T:[^:]*]]: tensor<2x3xf64>, %[[SEED:.*]]: tensor<6xf64>) -> tensor<2x3xf64> {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[DT:.*]] = tensor.expand_shape %[[SEED]] {{\[\[}}0, 1{{\]\]}} output_shape [2, 3] : tensor<6xf64> into tensor<2x3xf64>
// CHECK-NEXT: return %[[DT]] : tensor<2x3xf64>

// CHECK-LABEL: func.func private @__dp_fwd_collapse_d_d(
// CHECK-SAME: %[[T:.*]]: tensor<2x3xf64>, %[[DT:.*]]: tensor<2x3xf64>) -> (tensor<6xf64>, tensor<6xf64>) {
// CHECK-NEXT: %[[R:.*]] = tensor.collapse_shape %[[T]] {{\[\[}}0, 1{{\]\]}} : tensor<2x3xf64> into tensor<6xf64>
// CHECK-NEXT: %[[DR:.*]] = tensor.collapse_shape %[[DT]] {{\[\[}}0, 1{{\]\]}} : tensor<2x3xf64> into tensor<6xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<6xf64>, tensor<6xf64>

func.func private @collapse(%t: tensor<2x3xf64>) -> tensor<6xf64> {
  %r = tensor.collapse_shape %t [[0, 1]] : tensor<2x3xf64> into tensor<6xf64>
  return %r : tensor<6xf64>
}

func.func @collapse_fwd_d(%t: tensor<2x3xf64>, %dt: tensor<2x3xf64>) -> (tensor<6xf64>, tensor<6xf64>) {
  %r, %dr = dp.fwddiff @collapse(%t, %dt) args [dup] results [dup] : (tensor<2x3xf64>, tensor<2x3xf64>) -> (tensor<6xf64>, tensor<6xf64>)
  return %r, %dr : tensor<6xf64>, tensor<6xf64>
}

func.func @collapse_rev_a(%t: tensor<2x3xf64>, %seed: tensor<6xf64>) -> (tensor<6xf64>, tensor<2x3xf64>) {
  %r, %dt = dp.autodiff @collapse(%t, %seed) args [active] results [active] : (tensor<2x3xf64>, tensor<6xf64>) -> (tensor<6xf64>, tensor<2x3xf64>)
  return %r, %dt : tensor<6xf64>, tensor<2x3xf64>
}
// -----

// expand_shape: the tangent is expanded the same way; the adjoint is
// collapsed back to 6. Nothing is cached.

// CHECK-LABEL: func.func private @__dp_aug_expand_a_a(
// CHECK-SAME: %[[T:.*]]: tensor<6xf64>, %[[TAPE:.*]]: !dp.tape) -> tensor<2x3xf64> {
// CHECK-NEXT: %[[R:.*]] = tensor.expand_shape %[[T]] {{\[\[}}0, 1{{\]\]}} output_shape [2, 3] : tensor<6xf64> into tensor<2x3xf64>
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : tensor<2x3xf64>

// CHECK-LABEL: func.func private @__dp_rev_expand_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[T:[^:]*]]: tensor<6xf64>, %[[SEED:.*]]: tensor<2x3xf64>) -> tensor<6xf64> {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[DT:.*]] = tensor.collapse_shape %[[SEED]] {{\[\[}}0, 1{{\]\]}} : tensor<2x3xf64> into tensor<6xf64>
// CHECK-NEXT: return %[[DT]] : tensor<6xf64>

// CHECK-LABEL: func.func private @__dp_fwd_expand_d_d(
// CHECK-SAME: %[[T:.*]]: tensor<6xf64>, %[[DT:.*]]: tensor<6xf64>) -> (tensor<2x3xf64>, tensor<2x3xf64>) {
// CHECK-NEXT: %[[R:.*]] = tensor.expand_shape %[[T]] {{\[\[}}0, 1{{\]\]}} output_shape [2, 3] : tensor<6xf64> into tensor<2x3xf64>
// CHECK-NEXT: %[[DR:.*]] = tensor.expand_shape %[[DT]] {{\[\[}}0, 1{{\]\]}} output_shape [2, 3] : tensor<6xf64> into tensor<2x3xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<2x3xf64>, tensor<2x3xf64>

func.func private @expand(%t: tensor<6xf64>) -> tensor<2x3xf64> {
  %r = tensor.expand_shape %t [[0, 1]] output_shape [2, 3] : tensor<6xf64> into tensor<2x3xf64>
  return %r : tensor<2x3xf64>
}

func.func @expand_fwd_d(%t: tensor<6xf64>, %dt: tensor<6xf64>) -> (tensor<2x3xf64>, tensor<2x3xf64>) {
  %r, %dr = dp.fwddiff @expand(%t, %dt) args [dup] results [dup] : (tensor<6xf64>, tensor<6xf64>) -> (tensor<2x3xf64>, tensor<2x3xf64>)
  return %r, %dr : tensor<2x3xf64>, tensor<2x3xf64>
}

func.func @expand_rev_a(%t: tensor<6xf64>, %seed: tensor<2x3xf64>) -> (tensor<2x3xf64>, tensor<6xf64>) {
  %r, %dt = dp.autodiff @expand(%t, %seed) args [active] results [active] : (tensor<6xf64>, tensor<2x3xf64>) -> (tensor<2x3xf64>, tensor<6xf64>)
  return %r, %dt : tensor<2x3xf64>, tensor<6xf64>
}
// -----

// concat along dim 1: dr = concat(da, db), zeros for a const operand. Reverse
// slices the seed: da = seed[:, 0:3], db = seed[:, 3:5] (the offset of b is
// the width of a). Nothing is cached; a one-active request builds one slice.

// CHECK-LABEL: func.func private @__dp_aug_concat_ca_a(
// CHECK-SAME: %[[A:.*]]: tensor<2x3xf64>, %[[B:.*]]: tensor<2x2xf64>, %[[TAPE:.*]]: !dp.tape) -> tensor<2x5xf64> {
// CHECK-NEXT: %[[R:.*]] = tensor.concat dim(1) %[[A]], %[[B]] : (tensor<2x3xf64>, tensor<2x2xf64>) -> tensor<2x5xf64>
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : tensor<2x5xf64>

// CHECK-LABEL: func.func private @__dp_rev_concat_ca_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[A:[^:]*]]: tensor<2x3xf64>, %[[B:[^:]*]]: tensor<2x2xf64>, %[[SEED:.*]]: tensor<2x5xf64>) -> tensor<2x2xf64> {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[DB:.*]] = tensor.extract_slice %[[SEED]][0, 3] [2, 2] [1, 1] : tensor<2x5xf64> to tensor<2x2xf64>
// CHECK-NEXT: return %[[DB]] : tensor<2x2xf64>

// CHECK-LABEL: func.func private @__dp_aug_concat_aa_a(
// CHECK-SAME: %[[A:.*]]: tensor<2x3xf64>, %[[B:.*]]: tensor<2x2xf64>, %[[TAPE:.*]]: !dp.tape) -> tensor<2x5xf64> {
// CHECK-NEXT: %[[R:.*]] = tensor.concat dim(1) %[[A]], %[[B]] : (tensor<2x3xf64>, tensor<2x2xf64>) -> tensor<2x5xf64>
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : tensor<2x5xf64>

// CHECK-LABEL: func.func private @__dp_rev_concat_aa_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[A:[^:]*]]: tensor<2x3xf64>, %[[B:[^:]*]]: tensor<2x2xf64>, %[[SEED:.*]]: tensor<2x5xf64>) -> (tensor<2x3xf64>, tensor<2x2xf64>) {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[DA:.*]] = tensor.extract_slice %[[SEED]][0, 0] [2, 3] [1, 1] : tensor<2x5xf64> to tensor<2x3xf64>
// CHECK-NEXT: %[[DB:.*]] = tensor.extract_slice %[[SEED]][0, 3] [2, 2] [1, 1] : tensor<2x5xf64> to tensor<2x2xf64>
// CHECK-NEXT: return %[[DA]], %[[DB]] : tensor<2x3xf64>, tensor<2x2xf64>

// CHECK-LABEL: func.func private @__dp_fwd_concat_cd_d(
// CHECK-SAME: %[[A:.*]]: tensor<2x3xf64>, %[[B:.*]]: tensor<2x2xf64>, %[[DB:.*]]: tensor<2x2xf64>) -> (tensor<2x5xf64>, tensor<2x5xf64>) {
// CHECK-NEXT: %[[R:.*]] = tensor.concat dim(1) %[[A]], %[[B]] : (tensor<2x3xf64>, tensor<2x2xf64>) -> tensor<2x5xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[DR:.*]] = tensor.concat dim(1) %[[ZERO]], %[[DB]] : (tensor<2x3xf64>, tensor<2x2xf64>) -> tensor<2x5xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<2x5xf64>, tensor<2x5xf64>

// CHECK-LABEL: func.func private @__dp_fwd_concat_dd_d(
// CHECK-SAME: %[[A:.*]]: tensor<2x3xf64>, %[[DA:.*]]: tensor<2x3xf64>, %[[B:.*]]: tensor<2x2xf64>, %[[DB:.*]]: tensor<2x2xf64>) -> (tensor<2x5xf64>, tensor<2x5xf64>) {
// CHECK-NEXT: %[[R:.*]] = tensor.concat dim(1) %[[A]], %[[B]] : (tensor<2x3xf64>, tensor<2x2xf64>) -> tensor<2x5xf64>
// CHECK-NEXT: %[[DR:.*]] = tensor.concat dim(1) %[[DA]], %[[DB]] : (tensor<2x3xf64>, tensor<2x2xf64>) -> tensor<2x5xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<2x5xf64>, tensor<2x5xf64>

func.func private @concat(%a: tensor<2x3xf64>, %b: tensor<2x2xf64>) -> tensor<2x5xf64> {
  %r = tensor.concat dim(1) %a, %b : (tensor<2x3xf64>, tensor<2x2xf64>) -> tensor<2x5xf64>
  return %r : tensor<2x5xf64>
}

func.func @concat_fwd_dd(%a: tensor<2x3xf64>, %da: tensor<2x3xf64>, %b: tensor<2x2xf64>, %db: tensor<2x2xf64>) -> (tensor<2x5xf64>, tensor<2x5xf64>) {
  %r, %dr = dp.fwddiff @concat(%a, %da, %b, %db) args [dup, dup] results [dup] : (tensor<2x3xf64>, tensor<2x3xf64>, tensor<2x2xf64>, tensor<2x2xf64>) -> (tensor<2x5xf64>, tensor<2x5xf64>)
  return %r, %dr : tensor<2x5xf64>, tensor<2x5xf64>
}

func.func @concat_fwd_cd(%a: tensor<2x3xf64>, %b: tensor<2x2xf64>, %db: tensor<2x2xf64>) -> (tensor<2x5xf64>, tensor<2x5xf64>) {
  %r, %dr = dp.fwddiff @concat(%a, %b, %db) args [const, dup] results [dup] : (tensor<2x3xf64>, tensor<2x2xf64>, tensor<2x2xf64>) -> (tensor<2x5xf64>, tensor<2x5xf64>)
  return %r, %dr : tensor<2x5xf64>, tensor<2x5xf64>
}

func.func @concat_rev_aa(%a: tensor<2x3xf64>, %b: tensor<2x2xf64>, %seed: tensor<2x5xf64>) -> (tensor<2x5xf64>, tensor<2x3xf64>, tensor<2x2xf64>) {
  %r, %da, %db = dp.autodiff @concat(%a, %b, %seed) args [active, active] results [active] : (tensor<2x3xf64>, tensor<2x2xf64>, tensor<2x5xf64>) -> (tensor<2x5xf64>, tensor<2x3xf64>, tensor<2x2xf64>)
  return %r, %da, %db : tensor<2x5xf64>, tensor<2x3xf64>, tensor<2x2xf64>
}

func.func @concat_rev_ca(%a: tensor<2x3xf64>, %b: tensor<2x2xf64>, %seed: tensor<2x5xf64>) -> (tensor<2x5xf64>, tensor<2x2xf64>) {
  %r, %db = dp.autodiff @concat(%a, %b, %seed) args [const, active] results [active] : (tensor<2x3xf64>, tensor<2x2xf64>, tensor<2x5xf64>) -> (tensor<2x5xf64>, tensor<2x2xf64>)
  return %r, %db : tensor<2x5xf64>, tensor<2x2xf64>
}
// -----

// splat: dr = splat(dx). Reverse: dx = sum of all the seed's elements, a
// linalg.reduce over both dimensions into a 0-d tensor, then extract.

// CHECK-LABEL: func.func private @__dp_aug_splat_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> tensor<2x3xf64> {
// CHECK-NEXT: %[[R:.*]] = tensor.splat %[[X]] : tensor<2x3xf64>
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : tensor<2x3xf64>

// CHECK-LABEL: func.func private @__dp_rev_splat_a_a(
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

// CHECK-LABEL: func.func private @__dp_fwd_splat_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (tensor<2x3xf64>, tensor<2x3xf64>) {
// CHECK-NEXT: %[[R:.*]] = tensor.splat %[[X]] : tensor<2x3xf64>
// CHECK-NEXT: %[[DR:.*]] = tensor.splat %[[DX]] : tensor<2x3xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<2x3xf64>, tensor<2x3xf64>

func.func private @splat(%x: f64) -> tensor<2x3xf64> {
  %r = tensor.splat %x : tensor<2x3xf64>
  return %r : tensor<2x3xf64>
}

func.func @splat_fwd_d(%x: f64, %dx: f64) -> (tensor<2x3xf64>, tensor<2x3xf64>) {
  %r, %dr = dp.fwddiff @splat(%x, %dx) args [dup] results [dup] : (f64, f64) -> (tensor<2x3xf64>, tensor<2x3xf64>)
  return %r, %dr : tensor<2x3xf64>, tensor<2x3xf64>
}

func.func @splat_rev_a(%x: f64, %seed: tensor<2x3xf64>) -> (tensor<2x3xf64>, f64) {
  %r, %dx = dp.autodiff @splat(%x, %seed) args [active] results [active] : (f64, tensor<2x3xf64>) -> (tensor<2x3xf64>, f64)
  return %r, %dx : tensor<2x3xf64>, f64
}
// -----

// from_elements into a 2x2 tensor (row-major): dr = from_elements of the
// tangents, a zero for each const element. Reverse: element k's adjoint is
// seed[k / 2, k % 2]; a one-active request (c, element 2) reads only seed[1, 0].

// CHECK-LABEL: func.func private @__dp_aug_from_elements_ccac_a(
// CHECK-SAME: %[[A:.*]]: f64, %[[B:.*]]: f64, %[[C:.*]]: f64, %[[D:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> tensor<2x2xf64> {
// CHECK-NEXT: %[[R:.*]] = tensor.from_elements %[[A]], %[[B]], %[[C]], %[[D]] : tensor<2x2xf64>
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : tensor<2x2xf64>

// CHECK-LABEL: func.func private @__dp_rev_from_elements_ccac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: tensor<2x2xf64>) -> f64 {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[C1:.*]] = arith.constant 1 : index
// CHECK-NEXT: %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[DC:.*]] = tensor.extract %[[SEED]][%[[C1]], %[[C0]]] : tensor<2x2xf64>
// CHECK-NEXT: return %[[DC]] : f64

// CHECK-LABEL: func.func private @__dp_aug_from_elements_aaaa_a(
// CHECK-SAME: %[[A:.*]]: f64, %[[B:.*]]: f64, %[[C:.*]]: f64, %[[D:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> tensor<2x2xf64> {
// CHECK-NEXT: %[[R:.*]] = tensor.from_elements %[[A]], %[[B]], %[[C]], %[[D]] : tensor<2x2xf64>
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : tensor<2x2xf64>

// CHECK-LABEL: func.func private @__dp_rev_from_elements_aaaa_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: tensor<2x2xf64>) -> (f64, f64, f64, f64) {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[C0_1:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[DA:.*]] = tensor.extract %[[SEED]][%[[C0]], %[[C0_1]]] : tensor<2x2xf64>
// CHECK-NEXT: %[[C0_2:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[C1:.*]] = arith.constant 1 : index
// CHECK-NEXT: %[[DB:.*]] = tensor.extract %[[SEED]][%[[C0_2]], %[[C1]]] : tensor<2x2xf64>
// CHECK-NEXT: %[[C1_1:.*]] = arith.constant 1 : index
// CHECK-NEXT: %[[C0_3:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[DC:.*]] = tensor.extract %[[SEED]][%[[C1_1]], %[[C0_3]]] : tensor<2x2xf64>
// CHECK-NEXT: %[[C1_2:.*]] = arith.constant 1 : index
// CHECK-NEXT: %[[C1_3:.*]] = arith.constant 1 : index
// CHECK-NEXT: %[[DD:.*]] = tensor.extract %[[SEED]][%[[C1_2]], %[[C1_3]]] : tensor<2x2xf64>
// CHECK-NEXT: return %[[DA]], %[[DB]], %[[DC]], %[[DD]] : f64, f64, f64, f64

// CHECK-LABEL: func.func private @__dp_fwd_from_elements_cdcc_d(
// CHECK-SAME: %[[A:.*]]: f64, %[[B:.*]]: f64, %[[DB:.*]]: f64, %[[C:.*]]: f64, %[[D:.*]]: f64) -> (tensor<2x2xf64>, tensor<2x2xf64>) {
// CHECK-NEXT: %[[R:.*]] = tensor.from_elements %[[A]], %[[B]], %[[C]], %[[D]] : tensor<2x2xf64>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ZERO_1:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ZERO_2:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[DR:.*]] = tensor.from_elements %[[ZERO]], %[[DB]], %[[ZERO_1]], %[[ZERO_2]] : tensor<2x2xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<2x2xf64>, tensor<2x2xf64>

// CHECK-LABEL: func.func private @__dp_fwd_from_elements_dddd_d(
// CHECK-SAME: %[[A:.*]]: f64, %[[DA:.*]]: f64, %[[B:.*]]: f64, %[[DB:.*]]: f64, %[[C:.*]]: f64, %[[DC:.*]]: f64, %[[D:.*]]: f64, %[[DD:.*]]: f64) -> (tensor<2x2xf64>, tensor<2x2xf64>) {
// CHECK-NEXT: %[[R:.*]] = tensor.from_elements %[[A]], %[[B]], %[[C]], %[[D]] : tensor<2x2xf64>
// CHECK-NEXT: %[[DR:.*]] = tensor.from_elements %[[DA]], %[[DB]], %[[DC]], %[[DD]] : tensor<2x2xf64>
// CHECK-NEXT: return %[[R]], %[[DR]] : tensor<2x2xf64>, tensor<2x2xf64>

func.func private @from_elements(%a: f64, %b: f64, %c: f64, %d: f64) -> tensor<2x2xf64> {
  %r = tensor.from_elements %a, %b, %c, %d : tensor<2x2xf64>
  return %r : tensor<2x2xf64>
}

func.func @from_elements_fwd_dddd(%a: f64, %da: f64, %b: f64, %db: f64, %c: f64, %dc: f64, %d: f64, %dd: f64) -> (tensor<2x2xf64>, tensor<2x2xf64>) {
  %r, %dr = dp.fwddiff @from_elements(%a, %da, %b, %db, %c, %dc, %d, %dd) args [dup, dup, dup, dup] results [dup] : (f64, f64, f64, f64, f64, f64, f64, f64) -> (tensor<2x2xf64>, tensor<2x2xf64>)
  return %r, %dr : tensor<2x2xf64>, tensor<2x2xf64>
}

func.func @from_elements_fwd_cdcc(%a: f64, %b: f64, %db: f64, %c: f64, %d: f64) -> (tensor<2x2xf64>, tensor<2x2xf64>) {
  %r, %dr = dp.fwddiff @from_elements(%a, %b, %db, %c, %d) args [const, dup, const, const] results [dup] : (f64, f64, f64, f64, f64) -> (tensor<2x2xf64>, tensor<2x2xf64>)
  return %r, %dr : tensor<2x2xf64>, tensor<2x2xf64>
}

func.func @from_elements_rev_aaaa(%a: f64, %b: f64, %c: f64, %d: f64, %seed: tensor<2x2xf64>) -> (tensor<2x2xf64>, f64, f64, f64, f64) {
  %r, %da, %db, %dc, %dd = dp.autodiff @from_elements(%a, %b, %c, %d, %seed) args [active, active, active, active] results [active] : (f64, f64, f64, f64, tensor<2x2xf64>) -> (tensor<2x2xf64>, f64, f64, f64, f64)
  return %r, %da, %db, %dc, %dd : tensor<2x2xf64>, f64, f64, f64, f64
}

func.func @from_elements_rev_ccac(%a: f64, %b: f64, %c: f64, %d: f64, %seed: tensor<2x2xf64>) -> (tensor<2x2xf64>, f64) {
  %r, %dc = dp.autodiff @from_elements(%a, %b, %c, %d, %seed) args [const, const, active, const] results [active] : (f64, f64, f64, f64, tensor<2x2xf64>) -> (tensor<2x2xf64>, f64)
  return %r, %dc : tensor<2x2xf64>, f64
}
