// RUN: dp-opt %s --split-input-file --dp-autodiff | FileCheck %s

// The derivative rules of passes/autodiff/rules/ArithRules.cpp, one split per
// op: a private primal, then forward (dp.fwddiff) and reverse (dp.autodiff)
// requests for it. Each generated function is checked whole, line by line:
//   __dp_fwd_*  the primal op, then the tangent formula;
//   __dp_aug_*  the primal op, then exactly the values the reverse sweep needs,
//               pushed on the tape (nothing else);
//   __dp_rev_*  the pops (last pushed first), then the adjoint formula.
// Generated functions are inserted right after their primal, newest first, so
// the labels below follow the requests in reverse order.

// addf: d(x + y) = dx + dy. Linear: nothing is cached, no multiplication.

// CHECK-LABEL: func.func private @__dp_aug_addf_ac_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = arith.addf %[[X]], %[[Y]] : f64
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_addf_ac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: return %[[SEED]] : f64

// CHECK-LABEL: func.func private @__dp_aug_addf_aa_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = arith.addf %[[X]], %[[Y]] : f64
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_addf_aa_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> (f64, f64) {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: return %[[SEED]], %[[SEED]] : f64, f64

// CHECK-LABEL: func.func private @__dp_fwd_addf_dc_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64, %[[Y:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[R:.*]] = arith.addf %[[X]], %[[Y]] : f64
// CHECK-NEXT: return %[[R]], %[[DX]] : f64, f64

// CHECK-LABEL: func.func private @__dp_fwd_addf_dd_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64, %[[Y:.*]]: f64, %[[DY:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[R:.*]] = arith.addf %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[DR:.*]] = arith.addf %[[DX]], %[[DY]] : f64
// CHECK-NEXT: return %[[R]], %[[DR]] : f64, f64

func.func private @addf(%x: f64, %y: f64) -> f64 {
  %r = arith.addf %x, %y : f64
  return %r : f64
}

func.func @addf_fwd_dd(%x: f64, %dx: f64, %y: f64, %dy: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @addf(%x, %dx, %y, %dy) args [dup, dup] results [dup] : (f64, f64, f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @addf_fwd_dc(%x: f64, %dx: f64, %y: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @addf(%x, %dx, %y) args [dup, const] results [dup] : (f64, f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @addf_rev_aa(%x: f64, %y: f64, %seed: f64) -> (f64, f64, f64) {
  %r, %dx, %dy = dp.autodiff @addf(%x, %y, %seed) args [active, active] results [active] : (f64, f64, f64) -> (f64, f64, f64)
  return %r, %dx, %dy : f64, f64, f64
}

func.func @addf_rev_ac(%x: f64, %y: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @addf(%x, %y, %seed) args [active, const] results [active] : (f64, f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// subf: d(x - y) = dx - dy. Linear: nothing is cached. The dd tangent is one
// subf of the tangents (no negf of dy, no addf).

// CHECK-LABEL: func.func private @__dp_aug_subf_ca_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = arith.subf %[[X]], %[[Y]] : f64
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_subf_ca_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[DY:.*]] = arith.negf %[[SEED]] : f64
// CHECK-NEXT: return %[[DY]] : f64

// CHECK-LABEL: func.func private @__dp_aug_subf_aa_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = arith.subf %[[X]], %[[Y]] : f64
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_subf_aa_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> (f64, f64) {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[DY:.*]] = arith.negf %[[SEED]] : f64
// CHECK-NEXT: return %[[SEED]], %[[DY]] : f64, f64

// CHECK-LABEL: func.func private @__dp_fwd_subf_cd_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[DY:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[R:.*]] = arith.subf %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[DR:.*]] = arith.negf %[[DY]] : f64
// CHECK-NEXT: return %[[R]], %[[DR]] : f64, f64

// CHECK-LABEL: func.func private @__dp_fwd_subf_dd_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64, %[[Y:.*]]: f64, %[[DY:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[R:.*]] = arith.subf %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[DR:.*]] = arith.subf %[[DX]], %[[DY]] : f64
// CHECK-NEXT: return %[[R]], %[[DR]] : f64, f64

func.func private @subf(%x: f64, %y: f64) -> f64 {
  %r = arith.subf %x, %y : f64
  return %r : f64
}

func.func @subf_fwd_dd(%x: f64, %dx: f64, %y: f64, %dy: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @subf(%x, %dx, %y, %dy) args [dup, dup] results [dup] : (f64, f64, f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @subf_fwd_cd(%x: f64, %y: f64, %dy: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @subf(%x, %y, %dy) args [const, dup] results [dup] : (f64, f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @subf_rev_aa(%x: f64, %y: f64, %seed: f64) -> (f64, f64, f64) {
  %r, %dx, %dy = dp.autodiff @subf(%x, %y, %seed) args [active, active] results [active] : (f64, f64, f64) -> (f64, f64, f64)
  return %r, %dx, %dy : f64, f64, f64
}

func.func @subf_rev_ca(%x: f64, %y: f64, %seed: f64) -> (f64, f64) {
  %r, %dy = dp.autodiff @subf(%x, %y, %seed) args [const, active] results [active] : (f64, f64, f64) -> (f64, f64)
  return %r, %dy : f64, f64
}
// -----

// mulf: d(x * y) = y dx + x dy. Each adjoint needs the other operand, and only
// that one is cached.

// CHECK-LABEL: func.func private @__dp_aug_mulf_ac_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = arith.mulf %[[X]], %[[Y]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[Y]] : !dp.tape, f64
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_mulf_ac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[Y]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_aug_mulf_aa_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = arith.mulf %[[X]], %[[Y]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[Y]] : !dp.tape, f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_mulf_aa_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[Y:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[Y]], %[[SEED]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.mulf %[[X]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]], %[[DY]] : f64, f64

// CHECK-LABEL: func.func private @__dp_fwd_mulf_dc_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64, %[[Y:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[R:.*]] = arith.mulf %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[DR:.*]] = arith.mulf %[[Y]], %[[DX]] : f64
// CHECK-NEXT: return %[[R]], %[[DR]] : f64, f64

// CHECK-LABEL: func.func private @__dp_fwd_mulf_dd_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64, %[[Y:.*]]: f64, %[[DY:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[R:.*]] = arith.mulf %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[Y]], %[[DX]] : f64
// CHECK-NEXT: %[[MUL_1:.*]] = arith.mulf %[[X]], %[[DY]] : f64
// CHECK-NEXT: %[[DR:.*]] = arith.addf %[[MUL]], %[[MUL_1]] : f64
// CHECK-NEXT: return %[[R]], %[[DR]] : f64, f64

func.func private @mulf(%x: f64, %y: f64) -> f64 {
  %r = arith.mulf %x, %y : f64
  return %r : f64
}

func.func @mulf_fwd_dd(%x: f64, %dx: f64, %y: f64, %dy: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @mulf(%x, %dx, %y, %dy) args [dup, dup] results [dup] : (f64, f64, f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @mulf_fwd_dc(%x: f64, %dx: f64, %y: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @mulf(%x, %dx, %y) args [dup, const] results [dup] : (f64, f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @mulf_rev_aa(%x: f64, %y: f64, %seed: f64) -> (f64, f64, f64) {
  %r, %dx, %dy = dp.autodiff @mulf(%x, %y, %seed) args [active, active] results [active] : (f64, f64, f64) -> (f64, f64, f64)
  return %r, %dx, %dy : f64, f64, f64
}

func.func @mulf_rev_ac(%x: f64, %y: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @mulf(%x, %y, %seed) args [active, const] results [active] : (f64, f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// divf: d(x / y) = (dx - r dy) / y with r = x / y. The adjoint of x needs y; the
// adjoint of y needs y and r (never x).

// CHECK-LABEL: func.func private @__dp_aug_divf_ca_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = arith.divf %[[X]], %[[Y]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[Y]] : !dp.tape, f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[R]] : !dp.tape, f64
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_divf_ca_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[R:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[Y:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[SEED]], %[[Y]] : f64
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[DIV]], %[[R]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.negf %[[MUL]] : f64
// CHECK-NEXT: return %[[DY]] : f64

// CHECK-LABEL: func.func private @__dp_aug_divf_ac_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = arith.divf %[[X]], %[[Y]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[Y]] : !dp.tape, f64
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_divf_ac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[DX:.*]] = arith.divf %[[SEED]], %[[Y]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_aug_divf_aa_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = arith.divf %[[X]], %[[Y]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[Y]] : !dp.tape, f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[R]] : !dp.tape, f64
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_divf_aa_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[R:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[Y:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[DX:.*]] = arith.divf %[[SEED]], %[[Y]] : f64
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[DX]], %[[R]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.negf %[[MUL]] : f64
// CHECK-NEXT: return %[[DX]], %[[DY]] : f64, f64

// CHECK-LABEL: func.func private @__dp_fwd_divf_cd_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[DY:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[R:.*]] = arith.divf %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[R]], %[[DY]] : f64
// CHECK-NEXT: %[[NEG:.*]] = arith.negf %[[MUL]] : f64
// CHECK-NEXT: %[[DR:.*]] = arith.divf %[[NEG]], %[[Y]] : f64
// CHECK-NEXT: return %[[R]], %[[DR]] : f64, f64

// CHECK-LABEL: func.func private @__dp_fwd_divf_dc_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64, %[[Y:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[R:.*]] = arith.divf %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[DR:.*]] = arith.divf %[[DX]], %[[Y]] : f64
// CHECK-NEXT: return %[[R]], %[[DR]] : f64, f64

// CHECK-LABEL: func.func private @__dp_fwd_divf_dd_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64, %[[Y:.*]]: f64, %[[DY:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[R:.*]] = arith.divf %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[R]], %[[DY]] : f64
// CHECK-NEXT: %[[SUB:.*]] = arith.subf %[[DX]], %[[MUL]] : f64
// CHECK-NEXT: %[[DR:.*]] = arith.divf %[[SUB]], %[[Y]] : f64
// CHECK-NEXT: return %[[R]], %[[DR]] : f64, f64

func.func private @divf(%x: f64, %y: f64) -> f64 {
  %r = arith.divf %x, %y : f64
  return %r : f64
}

func.func @divf_fwd_dd(%x: f64, %dx: f64, %y: f64, %dy: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @divf(%x, %dx, %y, %dy) args [dup, dup] results [dup] : (f64, f64, f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @divf_fwd_dc(%x: f64, %dx: f64, %y: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @divf(%x, %dx, %y) args [dup, const] results [dup] : (f64, f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @divf_fwd_cd(%x: f64, %y: f64, %dy: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @divf(%x, %y, %dy) args [const, dup] results [dup] : (f64, f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @divf_rev_aa(%x: f64, %y: f64, %seed: f64) -> (f64, f64, f64) {
  %r, %dx, %dy = dp.autodiff @divf(%x, %y, %seed) args [active, active] results [active] : (f64, f64, f64) -> (f64, f64, f64)
  return %r, %dx, %dy : f64, f64, f64
}

func.func @divf_rev_ac(%x: f64, %y: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @divf(%x, %y, %seed) args [active, const] results [active] : (f64, f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}

func.func @divf_rev_ca(%x: f64, %y: f64, %seed: f64) -> (f64, f64) {
  %r, %dy = dp.autodiff @divf(%x, %y, %seed) args [const, active] results [active] : (f64, f64, f64) -> (f64, f64)
  return %r, %dy : f64, f64
}
// -----

// remf: r = x - y q with q = roundeven((x - r) / y), the integer quotient
// recovered from the result (trunc(x / y) can be off by one next to a multiple
// of y), so dr/dx = 1 and dr/dy = -roundeven((x - r) / y). The adjoint of x
// needs nothing cached; the adjoint of y needs x, y and the result r.

// CHECK-LABEL: func.func private @__dp_aug_remf_ca_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = arith.remf %[[X]], %[[Y]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[Y]] : !dp.tape, f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[R]] : !dp.tape, f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_remf_ca_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[R:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[Y:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[SUB:.*]] = arith.subf %[[X]], %[[R]] : f64
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[SUB]], %[[Y]] : f64
// CHECK-NEXT: %[[ROUND:.*]] = math.roundeven %[[DIV]] : f64
// CHECK-NEXT: %[[NEG:.*]] = arith.negf %[[ROUND]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.mulf %[[NEG]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DY]] : f64

// CHECK-LABEL: func.func private @__dp_aug_remf_ac_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = arith.remf %[[X]], %[[Y]] : f64
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_remf_ac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: return %[[SEED]] : f64

// CHECK-LABEL: func.func private @__dp_aug_remf_aa_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = arith.remf %[[X]], %[[Y]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[Y]] : !dp.tape, f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[R]] : !dp.tape, f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_remf_aa_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[R:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[Y:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[SUB:.*]] = arith.subf %[[X]], %[[R]] : f64
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[SUB]], %[[Y]] : f64
// CHECK-NEXT: %[[ROUND:.*]] = math.roundeven %[[DIV]] : f64
// CHECK-NEXT: %[[NEG:.*]] = arith.negf %[[ROUND]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.mulf %[[NEG]], %[[SEED]] : f64
// CHECK-NEXT: return %[[SEED]], %[[DY]] : f64, f64

// CHECK-LABEL: func.func private @__dp_fwd_remf_dc_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64, %[[Y:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[R:.*]] = arith.remf %[[X]], %[[Y]] : f64
// CHECK-NEXT: return %[[R]], %[[DX]] : f64, f64

// CHECK-LABEL: func.func private @__dp_fwd_remf_dd_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64, %[[Y:.*]]: f64, %[[DY:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[R:.*]] = arith.remf %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[SUB:.*]] = arith.subf %[[X]], %[[R]] : f64
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[SUB]], %[[Y]] : f64
// CHECK-NEXT: %[[ROUND:.*]] = math.roundeven %[[DIV]] : f64
// CHECK-NEXT: %[[NEG:.*]] = arith.negf %[[ROUND]] : f64
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[NEG]], %[[DY]] : f64
// CHECK-NEXT: %[[DR:.*]] = arith.addf %[[DX]], %[[MUL]] : f64
// CHECK-NEXT: return %[[R]], %[[DR]] : f64, f64

func.func private @remf(%x: f64, %y: f64) -> f64 {
  %r = arith.remf %x, %y : f64
  return %r : f64
}

func.func @remf_fwd_dd(%x: f64, %dx: f64, %y: f64, %dy: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @remf(%x, %dx, %y, %dy) args [dup, dup] results [dup] : (f64, f64, f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @remf_fwd_dc(%x: f64, %dx: f64, %y: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @remf(%x, %dx, %y) args [dup, const] results [dup] : (f64, f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @remf_rev_aa(%x: f64, %y: f64, %seed: f64) -> (f64, f64, f64) {
  %r, %dx, %dy = dp.autodiff @remf(%x, %y, %seed) args [active, active] results [active] : (f64, f64, f64) -> (f64, f64, f64)
  return %r, %dx, %dy : f64, f64, f64
}

func.func @remf_rev_ac(%x: f64, %y: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @remf(%x, %y, %seed) args [active, const] results [active] : (f64, f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}

func.func @remf_rev_ca(%x: f64, %y: f64, %seed: f64) -> (f64, f64) {
  %r, %dy = dp.autodiff @remf(%x, %y, %seed) args [const, active] results [active] : (f64, f64, f64) -> (f64, f64)
  return %r, %dy : f64, f64
}
// -----

// negf: d(-x) = -dx. Nothing is cached.

// CHECK-LABEL: func.func private @__dp_aug_negf_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = arith.negf %[[X]] : f64
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_negf_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[DX:.*]] = arith.negf %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_negf_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = arith.negf %[[X]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.negf %[[DX]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @negf(%x: f64) -> f64 {
  %y = arith.negf %x : f64
  return %y : f64
}

func.func @negf_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @negf(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @negf_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @negf(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// select: the tangent/adjoint flows to the picked operand; only the condition
// is cached.

// CHECK-LABEL: func.func private @__dp_aug_select_cac_a(
// CHECK-SAME: %[[B:.*]]: i1, %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = arith.select %[[B]], %[[X]], %[[Y]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[B]] : !dp.tape, i1
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_select_cac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[B:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> i1
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[DX:.*]] = arith.select %[[B]], %[[SEED]], %[[ZERO]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_aug_select_caa_a(
// CHECK-SAME: %[[B:.*]]: i1, %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = arith.select %[[B]], %[[X]], %[[Y]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[B]] : !dp.tape, i1
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_select_caa_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[B:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> i1
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[DX:.*]] = arith.select %[[B]], %[[SEED]], %[[ZERO]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.select %[[B]], %[[ZERO]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]], %[[DY]] : f64, f64

// CHECK-LABEL: func.func private @__dp_fwd_select_cdc_d(
// CHECK-SAME: %[[B:.*]]: i1, %[[X:.*]]: f64, %[[DX:.*]]: f64, %[[Y:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[R:.*]] = arith.select %[[B]], %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[DR:.*]] = arith.select %[[B]], %[[DX]], %[[ZERO]] : f64
// CHECK-NEXT: return %[[R]], %[[DR]] : f64, f64

// CHECK-LABEL: func.func private @__dp_fwd_select_cdd_d(
// CHECK-SAME: %[[B:.*]]: i1, %[[X:.*]]: f64, %[[DX:.*]]: f64, %[[Y:.*]]: f64, %[[DY:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[R:.*]] = arith.select %[[B]], %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[DR:.*]] = arith.select %[[B]], %[[DX]], %[[DY]] : f64
// CHECK-NEXT: return %[[R]], %[[DR]] : f64, f64

func.func private @select(%b: i1, %x: f64, %y: f64) -> f64 {
  %r = arith.select %b, %x, %y : f64
  return %r : f64
}

func.func @select_fwd_cdd(%b: i1, %x: f64, %dx: f64, %y: f64, %dy: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @select(%b, %x, %dx, %y, %dy) args [const, dup, dup] results [dup] : (i1, f64, f64, f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @select_fwd_cdc(%b: i1, %x: f64, %dx: f64, %y: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @select(%b, %x, %dx, %y) args [const, dup, const] results [dup] : (i1, f64, f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @select_rev_caa(%b: i1, %x: f64, %y: f64, %seed: f64) -> (f64, f64, f64) {
  %r, %dx, %dy = dp.autodiff @select(%b, %x, %y, %seed) args [const, active, active] results [active] : (i1, f64, f64, f64) -> (f64, f64, f64)
  return %r, %dx, %dy : f64, f64, f64
}

func.func @select_rev_cac(%b: i1, %x: f64, %y: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @select(%b, %x, %y, %seed) args [const, active, const] results [active] : (i1, f64, f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// maximumf: the derivative goes to x when x > y or x is NaN (unordered counts
// as x: NaN propagates), to y when y > x, half to each on ties (as JAX, and
// as the max reductions split ties). Reverse caches both operands.

// CHECK-LABEL: func.func private @__dp_aug_maximumf_ac_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = arith.maximumf %[[X]], %[[Y]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[Y]] : !dp.tape, f64
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_maximumf_ac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[CMP:.*]] = arith.cmpf uge, %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[TIE:.*]] = arith.cmpf oeq, %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[W:.*]] = arith.select %[[CMP]], %[[ONE]], %[[ZERO]] : f64
// CHECK-NEXT: %[[HALF:.*]] = arith.constant 5.000000e-01 : f64
// CHECK-NEXT: %[[WX:.*]] = arith.select %[[TIE]], %[[HALF]], %[[W]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[WX]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// y's weight is the complement: 0 where x wins, 1 where y does, 1/2 on ties.
// CHECK-LABEL: func.func private @__dp_rev_maximumf_aa_a(
// CHECK: %[[WY:.*]] = arith.select %{{.*}}, %[[ZERO:.*]], %[[ONE:.*]] : f64
// CHECK: arith.select %{{.*}}, %{{.*}}, %[[WY]] : f64
// CHECK: return

// CHECK-LABEL: func.func private @__dp_fwd_maximumf_dd_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64, %[[Y:.*]]: f64, %[[DY:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[R:.*]] = arith.maximumf %[[X]], %[[Y]] : f64
// CHECK: arith.cmpf uge, %[[X]], %[[Y]] : f64
// CHECK: arith.cmpf oeq, %[[X]], %[[Y]] : f64
// CHECK: arith.mulf %{{.*}}, %[[DX]] : f64
// CHECK: arith.mulf %{{.*}}, %[[DY]] : f64
// CHECK: arith.addf

func.func private @maximumf(%x: f64, %y: f64) -> f64 {
  %r = arith.maximumf %x, %y : f64
  return %r : f64
}

func.func @maximumf_fwd_dd(%x: f64, %dx: f64, %y: f64, %dy: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @maximumf(%x, %dx, %y, %dy) args [dup, dup] results [dup] : (f64, f64, f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @maximumf_rev_aa(%x: f64, %y: f64, %seed: f64) -> (f64, f64, f64) {
  %r, %dx, %dy = dp.autodiff @maximumf(%x, %y, %seed) args [active, active] results [active] : (f64, f64, f64) -> (f64, f64, f64)
  return %r, %dx, %dy : f64, f64, f64
}

func.func @maximumf_rev_ac(%x: f64, %y: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @maximumf(%x, %y, %seed) args [active, const] results [active] : (f64, f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// minimumf: to x when x < y or unordered, to y when y < x, half each on ties.

// CHECK-LABEL: func.func private @__dp_aug_minimumf_ac_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = arith.minimumf %[[X]], %[[Y]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[Y]] : !dp.tape, f64
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_minimumf_ac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[CMP:.*]] = arith.cmpf ule, %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[TIE:.*]] = arith.cmpf oeq, %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[W:.*]] = arith.select %[[CMP]], %[[ONE]], %[[ZERO]] : f64
// CHECK-NEXT: %[[HALF:.*]] = arith.constant 5.000000e-01 : f64
// CHECK-NEXT: %[[WX:.*]] = arith.select %[[TIE]], %[[HALF]], %[[W]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[WX]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// y's weight is the complement: 0 where x wins, 1 where y does, 1/2 on ties.
// CHECK-LABEL: func.func private @__dp_rev_minimumf_aa_a(
// CHECK: %[[WY:.*]] = arith.select %{{.*}}, %[[ZERO:.*]], %[[ONE:.*]] : f64
// CHECK: arith.select %{{.*}}, %{{.*}}, %[[WY]] : f64
// CHECK: return

// CHECK-LABEL: func.func private @__dp_fwd_minimumf_dd_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64, %[[Y:.*]]: f64, %[[DY:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[R:.*]] = arith.minimumf %[[X]], %[[Y]] : f64
// CHECK: arith.cmpf ule, %[[X]], %[[Y]] : f64
// CHECK: arith.cmpf oeq, %[[X]], %[[Y]] : f64
// CHECK: arith.mulf %{{.*}}, %[[DX]] : f64
// CHECK: arith.mulf %{{.*}}, %[[DY]] : f64
// CHECK: arith.addf

func.func private @minimumf(%x: f64, %y: f64) -> f64 {
  %r = arith.minimumf %x, %y : f64
  return %r : f64
}

func.func @minimumf_fwd_dd(%x: f64, %dx: f64, %y: f64, %dy: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @minimumf(%x, %dx, %y, %dy) args [dup, dup] results [dup] : (f64, f64, f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @minimumf_rev_aa(%x: f64, %y: f64, %seed: f64) -> (f64, f64, f64) {
  %r, %dx, %dy = dp.autodiff @minimumf(%x, %y, %seed) args [active, active] results [active] : (f64, f64, f64) -> (f64, f64, f64)
  return %r, %dx, %dy : f64, f64, f64
}

func.func @minimumf_rev_ac(%x: f64, %y: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @minimumf(%x, %y, %seed) args [active, const] results [active] : (f64, f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// maxnumf: to x when x > y or y is NaN (maxnumf(x, NaN) = x), to y when y > x
// or x is NaN, half each on ties.

// CHECK-LABEL: func.func private @__dp_aug_maxnumf_ac_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = arith.maxnumf %[[X]], %[[Y]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[Y]] : !dp.tape, f64
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_maxnumf_ac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[CMP:.*]] = arith.cmpf oge, %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[NAN:.*]] = arith.cmpf uno, %[[Y]], %[[Y]] : f64
// CHECK-NEXT: %[[WINS:.*]] = arith.ori %[[CMP]], %[[NAN]] : i1
// CHECK-NEXT: %[[TIE:.*]] = arith.cmpf oeq, %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[W:.*]] = arith.select %[[WINS]], %[[ONE]], %[[ZERO]] : f64
// CHECK-NEXT: %[[HALF:.*]] = arith.constant 5.000000e-01 : f64
// CHECK-NEXT: %[[WX:.*]] = arith.select %[[TIE]], %[[HALF]], %[[W]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[WX]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// y's weight is the complement: 0 where x wins, 1 where y does, 1/2 on ties.
// CHECK-LABEL: func.func private @__dp_rev_maxnumf_aa_a(
// CHECK: %[[WY:.*]] = arith.select %{{.*}}, %[[ZERO:.*]], %[[ONE:.*]] : f64
// CHECK: arith.select %{{.*}}, %{{.*}}, %[[WY]] : f64
// CHECK: return

// CHECK-LABEL: func.func private @__dp_fwd_maxnumf_dd_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64, %[[Y:.*]]: f64, %[[DY:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[R:.*]] = arith.maxnumf %[[X]], %[[Y]] : f64
// CHECK: arith.cmpf oge, %[[X]], %[[Y]] : f64
// CHECK: arith.cmpf oeq, %[[X]], %[[Y]] : f64
// CHECK: arith.mulf %{{.*}}, %[[DX]] : f64
// CHECK: arith.mulf %{{.*}}, %[[DY]] : f64
// CHECK: arith.addf

func.func private @maxnumf(%x: f64, %y: f64) -> f64 {
  %r = arith.maxnumf %x, %y : f64
  return %r : f64
}

func.func @maxnumf_fwd_dd(%x: f64, %dx: f64, %y: f64, %dy: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @maxnumf(%x, %dx, %y, %dy) args [dup, dup] results [dup] : (f64, f64, f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @maxnumf_rev_aa(%x: f64, %y: f64, %seed: f64) -> (f64, f64, f64) {
  %r, %dx, %dy = dp.autodiff @maxnumf(%x, %y, %seed) args [active, active] results [active] : (f64, f64, f64) -> (f64, f64, f64)
  return %r, %dx, %dy : f64, f64, f64
}

func.func @maxnumf_rev_ac(%x: f64, %y: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @maxnumf(%x, %y, %seed) args [active, const] results [active] : (f64, f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// minnumf: to x when x < y or y is NaN, to y when y < x or x is NaN, half each
// on ties.

// CHECK-LABEL: func.func private @__dp_aug_minnumf_ac_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = arith.minnumf %[[X]], %[[Y]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[Y]] : !dp.tape, f64
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_minnumf_ac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[CMP:.*]] = arith.cmpf ole, %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[NAN:.*]] = arith.cmpf uno, %[[Y]], %[[Y]] : f64
// CHECK-NEXT: %[[WINS:.*]] = arith.ori %[[CMP]], %[[NAN]] : i1
// CHECK-NEXT: %[[TIE:.*]] = arith.cmpf oeq, %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[W:.*]] = arith.select %[[WINS]], %[[ONE]], %[[ZERO]] : f64
// CHECK-NEXT: %[[HALF:.*]] = arith.constant 5.000000e-01 : f64
// CHECK-NEXT: %[[WX:.*]] = arith.select %[[TIE]], %[[HALF]], %[[W]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[WX]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// y's weight is the complement: 0 where x wins, 1 where y does, 1/2 on ties.
// CHECK-LABEL: func.func private @__dp_rev_minnumf_aa_a(
// CHECK: %[[WY:.*]] = arith.select %{{.*}}, %[[ZERO:.*]], %[[ONE:.*]] : f64
// CHECK: arith.select %{{.*}}, %{{.*}}, %[[WY]] : f64
// CHECK: return

// CHECK-LABEL: func.func private @__dp_fwd_minnumf_dd_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64, %[[Y:.*]]: f64, %[[DY:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[R:.*]] = arith.minnumf %[[X]], %[[Y]] : f64
// CHECK: arith.cmpf ole, %[[X]], %[[Y]] : f64
// CHECK: arith.cmpf oeq, %[[X]], %[[Y]] : f64
// CHECK: arith.mulf %{{.*}}, %[[DX]] : f64
// CHECK: arith.mulf %{{.*}}, %[[DY]] : f64
// CHECK: arith.addf

func.func private @minnumf(%x: f64, %y: f64) -> f64 {
  %r = arith.minnumf %x, %y : f64
  return %r : f64
}

func.func @minnumf_fwd_dd(%x: f64, %dx: f64, %y: f64, %dy: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @minnumf(%x, %dx, %y, %dy) args [dup, dup] results [dup] : (f64, f64, f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @minnumf_rev_aa(%x: f64, %y: f64, %seed: f64) -> (f64, f64, f64) {
  %r, %dx, %dy = dp.autodiff @minnumf(%x, %y, %seed) args [active, active] results [active] : (f64, f64, f64) -> (f64, f64, f64)
  return %r, %dx, %dy : f64, f64, f64
}

func.func @minnumf_rev_ac(%x: f64, %y: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @minnumf(%x, %y, %seed) args [active, const] results [active] : (f64, f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// extf: linear; the tangent is extended, the adjoint truncated back. Nothing is
// cached.

// CHECK-LABEL: func.func private @__dp_aug_extf_a_a(
// CHECK-SAME: %[[X:.*]]: f32, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = arith.extf %[[X]] : f32 to f64
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_extf_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f32 {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[DX:.*]] = arith.truncf %[[SEED]] : f64 to f32
// CHECK-NEXT: return %[[DX]] : f32

// CHECK-LABEL: func.func private @__dp_fwd_extf_d_d(
// CHECK-SAME: %[[X:.*]]: f32, %[[DX:.*]]: f32) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = arith.extf %[[X]] : f32 to f64
// CHECK-NEXT: %[[DY:.*]] = arith.extf %[[DX]] : f32 to f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @extf(%x: f32) -> f64 {
  %y = arith.extf %x : f32 to f64
  return %y : f64
}

func.func @extf_fwd_d(%x: f32, %dx: f32) -> (f64, f64) {
  %r, %dr = dp.fwddiff @extf(%x, %dx) args [dup] results [dup] : (f32, f32) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @extf_rev_a(%x: f32, %seed: f64) -> (f64, f32) {
  %r, %dx = dp.autodiff @extf(%x, %seed) args [active] results [active] : (f32, f64) -> (f64, f32)
  return %r, %dx : f64, f32
}
// -----

// truncf: linear; the tangent is truncated, the adjoint extended back. Nothing
// is cached.

// CHECK-LABEL: func.func private @__dp_aug_truncf_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f32 {
// CHECK-NEXT: %[[Y:.*]] = arith.truncf %[[X]] : f64 to f32
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[Y]] : f32

// CHECK-LABEL: func.func private @__dp_rev_truncf_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f32) -> f64 {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[DX:.*]] = arith.extf %[[SEED]] : f32 to f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_truncf_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f32, f32) {
// CHECK-NEXT: %[[Y:.*]] = arith.truncf %[[X]] : f64 to f32
// CHECK-NEXT: %[[DY:.*]] = arith.truncf %[[DX]] : f64 to f32
// CHECK-NEXT: return %[[Y]], %[[DY]] : f32, f32

func.func private @truncf(%x: f64) -> f32 {
  %y = arith.truncf %x : f64 to f32
  return %y : f32
}

func.func @truncf_fwd_d(%x: f64, %dx: f64) -> (f32, f32) {
  %r, %dr = dp.fwddiff @truncf(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f32, f32)
  return %r, %dr : f32, f32
}

func.func @truncf_rev_a(%x: f64, %seed: f32) -> (f32, f64) {
  %r, %dx = dp.autodiff @truncf(%x, %seed) args [active] results [active] : (f64, f32) -> (f32, f64)
  return %r, %dx : f32, f64
}
// -----

// sitofp of an integer argument has no derivative: no code is built for it, and
// its result is an ordinary (const) factor of the mulf that uses it. Whether
// the reverse sweep pops that factor or rebuilds it from the popped integer is
// the caching policy's choice (Reverse.cpp), not the rules', so it is left open.

// CHECK-LABEL: func.func private @__dp_aug_sitofp_ac_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[N:.*]]: i32, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[F:.*]] = arith.sitofp %[[N]] : i32 to f64
// CHECK-NEXT: %[[Y:.*]] = arith.mulf %[[X]], %[[F]] : f64
// CHECK-NOT: arith.
// CHECK: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_sitofp_ac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NOT: arith.mulf
// CHECK: %[[DX:.*]] = arith.mulf %[[F:.*]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_sitofp_dc_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64, %[[N:.*]]: i32) -> (f64, f64) {
// CHECK-NEXT: %[[F:.*]] = arith.sitofp %[[N]] : i32 to f64
// CHECK-NEXT: %[[Y:.*]] = arith.mulf %[[X]], %[[F]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.mulf %[[F]], %[[DX]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @sitofp(%x: f64, %n: i32) -> f64 {
  %f = arith.sitofp %n : i32 to f64
  %y = arith.mulf %x, %f : f64
  return %y : f64
}

func.func @sitofp_fwd_dc(%x: f64, %dx: f64, %n: i32) -> (f64, f64) {
  %r, %dr = dp.fwddiff @sitofp(%x, %dx, %n) args [dup, const] results [dup] : (f64, f64, i32) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @sitofp_rev_ac(%x: f64, %n: i32, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @sitofp(%x, %n, %seed) args [active, const] results [active] : (f64, i32, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// cmpf has no derivative (its result is an i1): only the select it feeds gets
// derivative code. The reverse sweep pops the i1 or rebuilds it from popped
// operands (the caching policy's choice, left open); the adjoints are selects
// on it.

// CHECK-LABEL: func.func private @__dp_aug_cmpf_aa_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[B:.*]] = arith.cmpf olt, %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[R:.*]] = arith.select %[[B]], %[[X]], %[[Y]] : f64
// CHECK-NOT: arith.
// CHECK: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_cmpf_aa_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> (f64, f64) {
// CHECK-NOT: arith.select
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[DX:.*]] = arith.select %[[B:.*]], %[[SEED]], %[[ZERO]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.select %[[B]], %[[ZERO]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]], %[[DY]] : f64, f64

// CHECK-LABEL: func.func private @__dp_fwd_cmpf_dd_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64, %[[Y:.*]]: f64, %[[DY:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[B:.*]] = arith.cmpf olt, %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[R:.*]] = arith.select %[[B]], %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[DR:.*]] = arith.select %[[B]], %[[DX]], %[[DY]] : f64
// CHECK-NEXT: return %[[R]], %[[DR]] : f64, f64

func.func private @cmpf(%x: f64, %y: f64) -> f64 {
  %b = arith.cmpf olt, %x, %y : f64
  %r = arith.select %b, %x, %y : f64
  return %r : f64
}

func.func @cmpf_fwd_dd(%x: f64, %dx: f64, %y: f64, %dy: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @cmpf(%x, %dx, %y, %dy) args [dup, dup] results [dup] : (f64, f64, f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @cmpf_rev_aa(%x: f64, %y: f64, %seed: f64) -> (f64, f64, f64) {
  %r, %dx, %dy = dp.autodiff @cmpf(%x, %y, %seed) args [active, active] results [active] : (f64, f64, f64) -> (f64, f64, f64)
  return %r, %dx, %dy : f64, f64, f64
}
