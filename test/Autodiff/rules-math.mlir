// RUN: dp-opt %s --split-input-file --dp-autodiff | FileCheck %s

// The derivative rules of passes/autodiff/rules/MathRules.cpp, one split per
// op: a private primal, then forward (dp.fwddiff) and reverse (dp.autodiff)
// requests for it. Each generated function is checked whole, line by line:
//   __dp_fwd_*  the primal op, then the tangent formula;
//   __dp_aug_*  the primal op, then exactly the values the reverse sweep needs,
//               pushed on the tape (nothing else);
//   __dp_rev_*  the pops (last pushed first), then the adjoint formula.
// Generated functions are inserted right after their primal, newest first, so
// the labels below follow the requests in reverse order.

// sin: d sin(x) = cos(x) dx. Reverse caches x.

// CHECK-LABEL: func.func private @__dp_aug_sin_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.sin %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_sin_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[COS:.*]] = math.cos %[[X]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[COS]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_sin_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.sin %[[X]] : f64
// CHECK-NEXT: %[[COS:.*]] = math.cos %[[X]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.mulf %[[COS]], %[[DX]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @sin(%x: f64) -> f64 {
  %y = math.sin %x : f64
  return %y : f64
}

func.func @sin_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @sin(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @sin_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @sin(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// cos: d cos(x) = -sin(x) dx. Reverse caches x.

// CHECK-LABEL: func.func private @__dp_aug_cos_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.cos %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_cos_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[SIN:.*]] = math.sin %[[X]] : f64
// CHECK-NEXT: %[[NEG:.*]] = arith.negf %[[SIN]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[NEG]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_cos_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.cos %[[X]] : f64
// CHECK-NEXT: %[[SIN:.*]] = math.sin %[[X]] : f64
// CHECK-NEXT: %[[NEG:.*]] = arith.negf %[[SIN]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.mulf %[[NEG]], %[[DX]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @cos(%x: f64) -> f64 {
  %y = math.cos %x : f64
  return %y : f64
}

func.func @cos_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @cos(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @cos_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @cos(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// tan: d tan(x) = (1 + y^2) dx with y = tan(x). Reverse caches y, not x.

// CHECK-LABEL: func.func private @__dp_aug_tan_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.tan %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[Y]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_tan_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[Y2:.*]] = arith.mulf %[[Y]], %[[Y]] : f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[ONE]], %[[Y2]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[ADD]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_tan_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.tan %[[X]] : f64
// CHECK-NEXT: %[[Y2:.*]] = arith.mulf %[[Y]], %[[Y]] : f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[ONE]], %[[Y2]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.mulf %[[ADD]], %[[DX]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @tan(%x: f64) -> f64 {
  %y = math.tan %x : f64
  return %y : f64
}

func.func @tan_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @tan(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @tan_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @tan(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// asin: d asin(x) = rsqrt(1 - x^2) dx. Reverse caches x.

// CHECK-LABEL: func.func private @__dp_aug_asin_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.asin %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_asin_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[X2:.*]] = arith.mulf %[[X]], %[[X]] : f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[SUB:.*]] = arith.subf %[[ONE]], %[[X2]] : f64
// CHECK-NEXT: %[[RSQRT:.*]] = math.rsqrt %[[SUB]] : f64
// CHECK-NEXT: %[[ZERO148:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZERO148:.*]] = arith.cmpf oeq, %[[SEED]], %[[ZERO148]] : f64
// CHECK-NEXT: %[[PRODUCT148:.*]] = arith.mulf %[[RSQRT]], %[[SEED]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.select %[[ISZERO148]], %[[ZERO148]], %[[PRODUCT148]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_asin_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.asin %[[X]] : f64
// CHECK-NEXT: %[[X2:.*]] = arith.mulf %[[X]], %[[X]] : f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[SUB:.*]] = arith.subf %[[ONE]], %[[X2]] : f64
// CHECK-NEXT: %[[RSQRT:.*]] = math.rsqrt %[[SUB]] : f64
// CHECK-NEXT: %[[ZERO158:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZERO158:.*]] = arith.cmpf oeq, %[[DX]], %[[ZERO158]] : f64
// CHECK-NEXT: %[[PRODUCT158:.*]] = arith.mulf %[[RSQRT]], %[[DX]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.select %[[ISZERO158]], %[[ZERO158]], %[[PRODUCT158]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @asin(%x: f64) -> f64 {
  %y = math.asin %x : f64
  return %y : f64
}

func.func @asin_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @asin(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @asin_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @asin(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// acos: d acos(x) = -rsqrt(1 - x^2) dx. Reverse caches x.

// CHECK-LABEL: func.func private @__dp_aug_acos_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.acos %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_acos_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[X2:.*]] = arith.mulf %[[X]], %[[X]] : f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[SUB:.*]] = arith.subf %[[ONE]], %[[X2]] : f64
// CHECK-NEXT: %[[RSQRT:.*]] = math.rsqrt %[[SUB]] : f64
// CHECK-NEXT: %[[NEG:.*]] = arith.negf %[[RSQRT]] : f64
// CHECK-NEXT: %[[ZERO193:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZERO193:.*]] = arith.cmpf oeq, %[[SEED]], %[[ZERO193]] : f64
// CHECK-NEXT: %[[PRODUCT193:.*]] = arith.mulf %[[NEG]], %[[SEED]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.select %[[ISZERO193]], %[[ZERO193]], %[[PRODUCT193]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_acos_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.acos %[[X]] : f64
// CHECK-NEXT: %[[X2:.*]] = arith.mulf %[[X]], %[[X]] : f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[SUB:.*]] = arith.subf %[[ONE]], %[[X2]] : f64
// CHECK-NEXT: %[[RSQRT:.*]] = math.rsqrt %[[SUB]] : f64
// CHECK-NEXT: %[[NEG:.*]] = arith.negf %[[RSQRT]] : f64
// CHECK-NEXT: %[[ZERO204:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZERO204:.*]] = arith.cmpf oeq, %[[DX]], %[[ZERO204]] : f64
// CHECK-NEXT: %[[PRODUCT204:.*]] = arith.mulf %[[NEG]], %[[DX]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.select %[[ISZERO204]], %[[ZERO204]], %[[PRODUCT204]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @acos(%x: f64) -> f64 {
  %y = math.acos %x : f64
  return %y : f64
}

func.func @acos_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @acos(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @acos_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @acos(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// atan: d atan(x) = 1 / (1 + x^2) dx. Reverse caches x.

// CHECK-LABEL: func.func private @__dp_aug_atan_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.atan %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_atan_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[X2:.*]] = arith.mulf %[[X]], %[[X]] : f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[ONE]], %[[X2]] : f64
// CHECK-NEXT: %[[ONE_1:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[ONE_1]], %[[ADD]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[DIV]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_atan_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.atan %[[X]] : f64
// CHECK-NEXT: %[[X2:.*]] = arith.mulf %[[X]], %[[X]] : f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[ONE]], %[[X2]] : f64
// CHECK-NEXT: %[[ONE_1:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[ONE_1]], %[[ADD]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.mulf %[[DIV]], %[[DX]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @atan(%x: f64) -> f64 {
  %y = math.atan %x : f64
  return %y : f64
}

func.func @atan_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @atan(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @atan_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @atan(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// atan2(x, y): d/dx = y / (x^2 + y^2), d/dy = -x / (x^2 + y^2). Either partial
// needs both operands. x^2 + y^2 is built once per partial, so twice when both
// operands are active.

// CHECK-LABEL: func.func private @__dp_aug_atan2_ca_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = math.atan2 %[[X]], %[[Y]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[Y]] : !dp.tape, f64
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_atan2_ca_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[Y2:.*]] = arith.mulf %[[Y]], %[[Y]] : f64
// CHECK-NEXT: %[[X2:.*]] = arith.mulf %[[X]], %[[X]] : f64
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[X2]], %[[Y2]] : f64
// CHECK-NEXT: %[[NEG:.*]] = arith.negf %[[X]] : f64
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[NEG]], %[[ADD]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.mulf %[[DIV]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DY]] : f64

// CHECK-LABEL: func.func private @__dp_aug_atan2_aa_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = math.atan2 %[[X]], %[[Y]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[Y]] : !dp.tape, f64
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_atan2_aa_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[Y2:.*]] = arith.mulf %[[Y]], %[[Y]] : f64
// CHECK-NEXT: %[[X2:.*]] = arith.mulf %[[X]], %[[X]] : f64
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[X2]], %[[Y2]] : f64
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[Y]], %[[ADD]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[DIV]], %[[SEED]] : f64
// CHECK-NEXT: %[[Y2_1:.*]] = arith.mulf %[[Y]], %[[Y]] : f64
// CHECK-NEXT: %[[X2_1:.*]] = arith.mulf %[[X]], %[[X]] : f64
// CHECK-NEXT: %[[ADD_1:.*]] = arith.addf %[[X2_1]], %[[Y2_1]] : f64
// CHECK-NEXT: %[[NEG:.*]] = arith.negf %[[X]] : f64
// CHECK-NEXT: %[[DIV_1:.*]] = arith.divf %[[NEG]], %[[ADD_1]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.mulf %[[DIV_1]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]], %[[DY]] : f64, f64

// CHECK-LABEL: func.func private @__dp_fwd_atan2_dd_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64, %[[Y:.*]]: f64, %[[DY:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[R:.*]] = math.atan2 %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[Y2:.*]] = arith.mulf %[[Y]], %[[Y]] : f64
// CHECK-NEXT: %[[X2:.*]] = arith.mulf %[[X]], %[[X]] : f64
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[X2]], %[[Y2]] : f64
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[Y]], %[[ADD]] : f64
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[DIV]], %[[DX]] : f64
// CHECK-NEXT: %[[Y2_1:.*]] = arith.mulf %[[Y]], %[[Y]] : f64
// CHECK-NEXT: %[[X2_1:.*]] = arith.mulf %[[X]], %[[X]] : f64
// CHECK-NEXT: %[[ADD_1:.*]] = arith.addf %[[X2_1]], %[[Y2_1]] : f64
// CHECK-NEXT: %[[NEG:.*]] = arith.negf %[[X]] : f64
// CHECK-NEXT: %[[DIV_1:.*]] = arith.divf %[[NEG]], %[[ADD_1]] : f64
// CHECK-NEXT: %[[MUL_1:.*]] = arith.mulf %[[DIV_1]], %[[DY]] : f64
// CHECK-NEXT: %[[DR:.*]] = arith.addf %[[MUL]], %[[MUL_1]] : f64
// CHECK-NEXT: return %[[R]], %[[DR]] : f64, f64

func.func private @atan2(%x: f64, %y: f64) -> f64 {
  %r = math.atan2 %x, %y : f64
  return %r : f64
}

func.func @atan2_fwd_dd(%x: f64, %dx: f64, %y: f64, %dy: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @atan2(%x, %dx, %y, %dy) args [dup, dup] results [dup] : (f64, f64, f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @atan2_rev_aa(%x: f64, %y: f64, %seed: f64) -> (f64, f64, f64) {
  %r, %dx, %dy = dp.autodiff @atan2(%x, %y, %seed) args [active, active] results [active] : (f64, f64, f64) -> (f64, f64, f64)
  return %r, %dx, %dy : f64, f64, f64
}

func.func @atan2_rev_ca(%x: f64, %y: f64, %seed: f64) -> (f64, f64) {
  %r, %dy = dp.autodiff @atan2(%x, %y, %seed) args [const, active] results [active] : (f64, f64, f64) -> (f64, f64)
  return %r, %dy : f64, f64
}
// -----

// sinh: d sinh(x) = cosh(x) dx. Reverse caches x.

// CHECK-LABEL: func.func private @__dp_aug_sinh_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.sinh %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_sinh_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[COSH:.*]] = math.cosh %[[X]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[COSH]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_sinh_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.sinh %[[X]] : f64
// CHECK-NEXT: %[[COSH:.*]] = math.cosh %[[X]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.mulf %[[COSH]], %[[DX]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @sinh(%x: f64) -> f64 {
  %y = math.sinh %x : f64
  return %y : f64
}

func.func @sinh_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @sinh(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @sinh_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @sinh(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// cosh: d cosh(x) = sinh(x) dx. Reverse caches x.

// CHECK-LABEL: func.func private @__dp_aug_cosh_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.cosh %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_cosh_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[SINH:.*]] = math.sinh %[[X]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[SINH]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_cosh_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.cosh %[[X]] : f64
// CHECK-NEXT: %[[SINH:.*]] = math.sinh %[[X]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.mulf %[[SINH]], %[[DX]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @cosh(%x: f64) -> f64 {
  %y = math.cosh %x : f64
  return %y : f64
}

func.func @cosh_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @cosh(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @cosh_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @cosh(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// tanh: d tanh(x) = (1 - y^2) dx with y = tanh(x). Reverse caches y.

// CHECK-LABEL: func.func private @__dp_aug_tanh_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.tanh %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[Y]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_tanh_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[Y2:.*]] = arith.mulf %[[Y]], %[[Y]] : f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[SUB:.*]] = arith.subf %[[ONE]], %[[Y2]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[SUB]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_tanh_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.tanh %[[X]] : f64
// CHECK-NEXT: %[[Y2:.*]] = arith.mulf %[[Y]], %[[Y]] : f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[SUB:.*]] = arith.subf %[[ONE]], %[[Y2]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.mulf %[[SUB]], %[[DX]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @tanh(%x: f64) -> f64 {
  %y = math.tanh %x : f64
  return %y : f64
}

func.func @tanh_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @tanh(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @tanh_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @tanh(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// asinh: d asinh(x) = rsqrt(x^2 + 1) dx. Reverse caches x.

// CHECK-LABEL: func.func private @__dp_aug_asinh_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.asinh %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_asinh_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[X2:.*]] = arith.mulf %[[X]], %[[X]] : f64
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[X2]], %[[ONE]] : f64
// CHECK-NEXT: %[[RSQRT:.*]] = math.rsqrt %[[ADD]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[RSQRT]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_asinh_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.asinh %[[X]] : f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[X2:.*]] = arith.mulf %[[X]], %[[X]] : f64
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[X2]], %[[ONE]] : f64
// CHECK-NEXT: %[[RSQRT:.*]] = math.rsqrt %[[ADD]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.mulf %[[RSQRT]], %[[DX]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @asinh(%x: f64) -> f64 {
  %y = math.asinh %x : f64
  return %y : f64
}

func.func @asinh_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @asinh(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @asinh_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @asinh(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// acosh: d acosh(x) = rsqrt(x - 1) rsqrt(x + 1) dx. Reverse caches x.

// CHECK-LABEL: func.func private @__dp_aug_acosh_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.acosh %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_acosh_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[X]], %[[ONE]] : f64
// CHECK-NEXT: %[[RSQRT:.*]] = math.rsqrt %[[ADD]] : f64
// CHECK-NEXT: %[[ONE_1:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[SUB:.*]] = arith.subf %[[X]], %[[ONE_1]] : f64
// CHECK-NEXT: %[[RSQRT_1:.*]] = math.rsqrt %[[SUB]] : f64
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[RSQRT_1]], %[[RSQRT]] : f64
// CHECK-NEXT: %[[ZERO534:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZERO534:.*]] = arith.cmpf oeq, %[[SEED]], %[[ZERO534]] : f64
// CHECK-NEXT: %[[PRODUCT534:.*]] = arith.mulf %[[MUL]], %[[SEED]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.select %[[ISZERO534]], %[[ZERO534]], %[[PRODUCT534]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_acosh_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.acosh %[[X]] : f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[X]], %[[ONE]] : f64
// CHECK-NEXT: %[[RSQRT:.*]] = math.rsqrt %[[ADD]] : f64
// CHECK-NEXT: %[[ONE_1:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[SUB:.*]] = arith.subf %[[X]], %[[ONE_1]] : f64
// CHECK-NEXT: %[[RSQRT_1:.*]] = math.rsqrt %[[SUB]] : f64
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[RSQRT_1]], %[[RSQRT]] : f64
// CHECK-NEXT: %[[ZERO547:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZERO547:.*]] = arith.cmpf oeq, %[[DX]], %[[ZERO547]] : f64
// CHECK-NEXT: %[[PRODUCT547:.*]] = arith.mulf %[[MUL]], %[[DX]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.select %[[ISZERO547]], %[[ZERO547]], %[[PRODUCT547]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @acosh(%x: f64) -> f64 {
  %y = math.acosh %x : f64
  return %y : f64
}

func.func @acosh_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @acosh(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @acosh_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @acosh(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// atanh: d atanh(x) = 1 / (1 - x^2) dx. Reverse caches x.

// CHECK-LABEL: func.func private @__dp_aug_atanh_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.atanh %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_atanh_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[X2:.*]] = arith.mulf %[[X]], %[[X]] : f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[SUB:.*]] = arith.subf %[[ONE]], %[[X2]] : f64
// CHECK-NEXT: %[[ONE_1:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[ONE_1]], %[[SUB]] : f64
// CHECK-NEXT: %[[ZERO582:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZERO582:.*]] = arith.cmpf oeq, %[[SEED]], %[[ZERO582]] : f64
// CHECK-NEXT: %[[PRODUCT582:.*]] = arith.mulf %[[DIV]], %[[SEED]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.select %[[ISZERO582]], %[[ZERO582]], %[[PRODUCT582]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_atanh_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.atanh %[[X]] : f64
// CHECK-NEXT: %[[X2:.*]] = arith.mulf %[[X]], %[[X]] : f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[SUB:.*]] = arith.subf %[[ONE]], %[[X2]] : f64
// CHECK-NEXT: %[[ONE_1:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[ONE_1]], %[[SUB]] : f64
// CHECK-NEXT: %[[ZERO593:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZERO593:.*]] = arith.cmpf oeq, %[[DX]], %[[ZERO593]] : f64
// CHECK-NEXT: %[[PRODUCT593:.*]] = arith.mulf %[[DIV]], %[[DX]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.select %[[ISZERO593]], %[[ZERO593]], %[[PRODUCT593]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @atanh(%x: f64) -> f64 {
  %y = math.atanh %x : f64
  return %y : f64
}

func.func @atanh_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @atanh(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @atanh_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @atanh(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// exp: d exp(x) = y dx with y = exp(x). Reverse caches y, not x, and builds no
// new exp.

// CHECK-LABEL: func.func private @__dp_aug_exp_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.exp %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[Y]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_exp_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[Y]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_exp_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.exp %[[X]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.mulf %[[Y]], %[[DX]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @exp(%x: f64) -> f64 {
  %y = math.exp %x : f64
  return %y : f64
}

func.func @exp_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @exp(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @exp_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @exp(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// exp2: d exp2(x) = y ln(2) dx. Reverse caches y.

// CHECK-LABEL: func.func private @__dp_aug_exp2_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.exp2 %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[Y]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_exp2_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[LN2:.*]] = arith.constant 0.69314718055994529 : f64
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[Y]], %[[LN2]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[MUL]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_exp2_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.exp2 %[[X]] : f64
// CHECK-NEXT: %[[LN2:.*]] = arith.constant 0.69314718055994529 : f64
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[Y]], %[[LN2]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.mulf %[[MUL]], %[[DX]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @exp2(%x: f64) -> f64 {
  %y = math.exp2 %x : f64
  return %y : f64
}

func.func @exp2_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @exp2(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @exp2_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @exp2(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// expm1: d expm1(x) = (y + 1) dx. Reverse caches y.

// CHECK-LABEL: func.func private @__dp_aug_expm1_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.expm1 %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[Y]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_expm1_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[Y]], %[[ONE]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[ADD]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_expm1_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.expm1 %[[X]] : f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[Y]], %[[ONE]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.mulf %[[ADD]], %[[DX]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @expm1(%x: f64) -> f64 {
  %y = math.expm1 %x : f64
  return %y : f64
}

func.func @expm1_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @expm1(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @expm1_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @expm1(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// log: d log(x) = (1 / x) dx. Reverse caches x.

// CHECK-LABEL: func.func private @__dp_aug_log_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.log %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_log_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[ONE]], %[[X]] : f64
// CHECK-NEXT: %[[ZERO742:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZERO742:.*]] = arith.cmpf oeq, %[[SEED]], %[[ZERO742]] : f64
// CHECK-NEXT: %[[PRODUCT742:.*]] = arith.mulf %[[DIV]], %[[SEED]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.select %[[ISZERO742]], %[[ZERO742]], %[[PRODUCT742]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_log_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.log %[[X]] : f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[ONE]], %[[X]] : f64
// CHECK-NEXT: %[[ZERO750:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZERO750:.*]] = arith.cmpf oeq, %[[DX]], %[[ZERO750]] : f64
// CHECK-NEXT: %[[PRODUCT750:.*]] = arith.mulf %[[DIV]], %[[DX]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.select %[[ISZERO750]], %[[ZERO750]], %[[PRODUCT750]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @log(%x: f64) -> f64 {
  %y = math.log %x : f64
  return %y : f64
}

func.func @log_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @log(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @log_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @log(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// log1p: d log1p(x) = 1 / (x + 1) dx. Reverse caches x.

// CHECK-LABEL: func.func private @__dp_aug_log1p_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.log1p %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_log1p_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[X]], %[[ONE]] : f64
// CHECK-NEXT: %[[ONE_1:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[ONE_1]], %[[ADD]] : f64
// CHECK-NEXT: %[[ZERO784:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZERO784:.*]] = arith.cmpf oeq, %[[SEED]], %[[ZERO784]] : f64
// CHECK-NEXT: %[[PRODUCT784:.*]] = arith.mulf %[[DIV]], %[[SEED]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.select %[[ISZERO784]], %[[ZERO784]], %[[PRODUCT784]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_log1p_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.log1p %[[X]] : f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[X]], %[[ONE]] : f64
// CHECK-NEXT: %[[ONE_1:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[ONE_1]], %[[ADD]] : f64
// CHECK-NEXT: %[[ZERO794:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZERO794:.*]] = arith.cmpf oeq, %[[DX]], %[[ZERO794]] : f64
// CHECK-NEXT: %[[PRODUCT794:.*]] = arith.mulf %[[DIV]], %[[DX]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.select %[[ISZERO794]], %[[ZERO794]], %[[PRODUCT794]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @log1p(%x: f64) -> f64 {
  %y = math.log1p %x : f64
  return %y : f64
}

func.func @log1p_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @log1p(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @log1p_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @log1p(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// log2: d log2(x) = (1 / ln 2) / x dx. Reverse caches x.

// CHECK-LABEL: func.func private @__dp_aug_log2_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.log2 %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_log2_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[INV_LN2:.*]] = arith.constant 1.4426950408889634 : f64
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[INV_LN2]], %[[X]] : f64
// CHECK-NEXT: %[[ZERO826:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZERO826:.*]] = arith.cmpf oeq, %[[SEED]], %[[ZERO826]] : f64
// CHECK-NEXT: %[[PRODUCT826:.*]] = arith.mulf %[[DIV]], %[[SEED]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.select %[[ISZERO826]], %[[ZERO826]], %[[PRODUCT826]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_log2_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.log2 %[[X]] : f64
// CHECK-NEXT: %[[INV_LN2:.*]] = arith.constant 1.4426950408889634 : f64
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[INV_LN2]], %[[X]] : f64
// CHECK-NEXT: %[[ZERO834:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZERO834:.*]] = arith.cmpf oeq, %[[DX]], %[[ZERO834]] : f64
// CHECK-NEXT: %[[PRODUCT834:.*]] = arith.mulf %[[DIV]], %[[DX]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.select %[[ISZERO834]], %[[ZERO834]], %[[PRODUCT834]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @log2(%x: f64) -> f64 {
  %y = math.log2 %x : f64
  return %y : f64
}

func.func @log2_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @log2(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @log2_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @log2(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// log10: d log10(x) = (1 / ln 10) / x dx. Reverse caches x.

// CHECK-LABEL: func.func private @__dp_aug_log10_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.log10 %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_log10_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[INV_LN10:.*]] = arith.constant 0.43429448190325176 : f64
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[INV_LN10]], %[[X]] : f64
// CHECK-NEXT: %[[ZERO866:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZERO866:.*]] = arith.cmpf oeq, %[[SEED]], %[[ZERO866]] : f64
// CHECK-NEXT: %[[PRODUCT866:.*]] = arith.mulf %[[DIV]], %[[SEED]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.select %[[ISZERO866]], %[[ZERO866]], %[[PRODUCT866]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_log10_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.log10 %[[X]] : f64
// CHECK-NEXT: %[[INV_LN10:.*]] = arith.constant 0.43429448190325176 : f64
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[INV_LN10]], %[[X]] : f64
// CHECK-NEXT: %[[ZERO874:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZERO874:.*]] = arith.cmpf oeq, %[[DX]], %[[ZERO874]] : f64
// CHECK-NEXT: %[[PRODUCT874:.*]] = arith.mulf %[[DIV]], %[[DX]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.select %[[ISZERO874]], %[[ZERO874]], %[[PRODUCT874]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @log10(%x: f64) -> f64 {
  %y = math.log10 %x : f64
  return %y : f64
}

func.func @log10_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @log10(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @log10_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @log10(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// sqrt: d sqrt(x) = 0.5 / y dx with y = sqrt(x). Reverse caches y.

// CHECK-LABEL: func.func private @__dp_aug_sqrt_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.sqrt %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[Y]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_sqrt_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[HALF:.*]] = arith.constant 5.000000e-01 : f64
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[HALF]], %[[Y]] : f64
// CHECK-NEXT: %[[ZERO906:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZERO906:.*]] = arith.cmpf oeq, %[[SEED]], %[[ZERO906]] : f64
// CHECK-NEXT: %[[PRODUCT906:.*]] = arith.mulf %[[DIV]], %[[SEED]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.select %[[ISZERO906]], %[[ZERO906]], %[[PRODUCT906]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_sqrt_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.sqrt %[[X]] : f64
// CHECK-NEXT: %[[HALF:.*]] = arith.constant 5.000000e-01 : f64
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[HALF]], %[[Y]] : f64
// CHECK-NEXT: %[[ZERO914:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZERO914:.*]] = arith.cmpf oeq, %[[DX]], %[[ZERO914]] : f64
// CHECK-NEXT: %[[PRODUCT914:.*]] = arith.mulf %[[DIV]], %[[DX]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.select %[[ISZERO914]], %[[ZERO914]], %[[PRODUCT914]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @sqrt(%x: f64) -> f64 {
  %y = math.sqrt %x : f64
  return %y : f64
}

func.func @sqrt_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @sqrt(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @sqrt_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @sqrt(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// rsqrt: d rsqrt(x) = -0.5 y^3 dx with y = rsqrt(x), as -0.5 (y (y y)). Reverse
// caches y alone, never x.

// CHECK-LABEL: func.func private @__dp_aug_rsqrt_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.rsqrt %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[Y]] : !dp.tape, f64
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_rsqrt_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[Y2:.*]] = arith.mulf %[[Y]], %[[Y]] : f64
// CHECK-NEXT: %[[Y3:.*]] = arith.mulf %[[Y]], %[[Y2]] : f64
// CHECK-NEXT: %[[MHALF:.*]] = arith.constant -5.000000e-01 : f64
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[MHALF]], %[[Y3]] : f64
// CHECK-NEXT: %[[ZERO951:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZERO951:.*]] = arith.cmpf oeq, %[[SEED]], %[[ZERO951]] : f64
// CHECK-NEXT: %[[PRODUCT951:.*]] = arith.mulf %[[MUL]], %[[SEED]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.select %[[ISZERO951]], %[[ZERO951]], %[[PRODUCT951]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_rsqrt_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.rsqrt %[[X]] : f64
// CHECK-NEXT: %[[Y2:.*]] = arith.mulf %[[Y]], %[[Y]] : f64
// CHECK-NEXT: %[[Y3:.*]] = arith.mulf %[[Y]], %[[Y2]] : f64
// CHECK-NEXT: %[[MHALF:.*]] = arith.constant -5.000000e-01 : f64
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[MHALF]], %[[Y3]] : f64
// CHECK-NEXT: %[[ZERO961:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZERO961:.*]] = arith.cmpf oeq, %[[DX]], %[[ZERO961]] : f64
// CHECK-NEXT: %[[PRODUCT961:.*]] = arith.mulf %[[MUL]], %[[DX]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.select %[[ISZERO961]], %[[ZERO961]], %[[PRODUCT961]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @rsqrt(%x: f64) -> f64 {
  %y = math.rsqrt %x : f64
  return %y : f64
}

func.func @rsqrt_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @rsqrt(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @rsqrt_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @rsqrt(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// cbrt: d cbrt(x) = (1/3) / y^2 dx with y = cbrt(x). Reverse caches y.

// CHECK-LABEL: func.func private @__dp_aug_cbrt_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.cbrt %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[Y]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_cbrt_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[Y2:.*]] = arith.mulf %[[Y]], %[[Y]] : f64
// CHECK-NEXT: %[[THIRD:.*]] = arith.constant 0.33333333333333331 : f64
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[THIRD]], %[[Y2]] : f64
// CHECK-NEXT: %[[ZERO994:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZERO994:.*]] = arith.cmpf oeq, %[[SEED]], %[[ZERO994]] : f64
// CHECK-NEXT: %[[PRODUCT994:.*]] = arith.mulf %[[DIV]], %[[SEED]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.select %[[ISZERO994]], %[[ZERO994]], %[[PRODUCT994]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_cbrt_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.cbrt %[[X]] : f64
// CHECK-NEXT: %[[Y2:.*]] = arith.mulf %[[Y]], %[[Y]] : f64
// CHECK-NEXT: %[[THIRD:.*]] = arith.constant 0.33333333333333331 : f64
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[THIRD]], %[[Y2]] : f64
// CHECK-NEXT: %[[ZERO1066:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZERO1066:.*]] = arith.cmpf oeq, %[[DX]], %[[ZERO1066]] : f64
// CHECK-NEXT: %[[PRODUCT1066:.*]] = arith.mulf %[[DIV]], %[[DX]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.select %[[ISZERO1066]], %[[ZERO1066]], %[[PRODUCT1066]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @cbrt(%x: f64) -> f64 {
  %y = math.cbrt %x : f64
  return %y : f64
}

func.func @cbrt_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @cbrt(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @cbrt_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @cbrt(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// powf(x, y) = r: with g = (x == 0 and y == 0), d/dx = select(g, 0,
// y' x^(y' - 1)) where y' = select(g, 1, y), and d/dy = select(r == 0, 0,
// log(select(r == 0, 1, x)) r). The guards give 0 where the other factor is
// infinite (x^(y - 1) at x = y = 0, where powf is the constant 1; log(x) at
// x = 0 when r = 0), and the guarded operand is 1 in the unselected branch
// so that differentiating the partial again meets no inf * 0. r is cached only when the exponent is
// active; with only the exponent active, y is not cached (the partial needs
// x and r alone).

// CHECK-LABEL: func.func private @__dp_aug_powf_ca_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = math.powf %[[X]], %[[Y]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[R]] : !dp.tape, f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_powf_ca_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[R:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[ZEROA:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[RZEROA:.*]] = arith.cmpf oeq, %[[R]], %[[ZEROA]] : f64
// CHECK-NEXT: %[[ONEA:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[SAFEXA:.*]] = arith.select %[[RZEROA]], %[[ONEA]], %[[X]] : f64
// CHECK-NEXT: %[[LOGA:.*]] = math.log %[[SAFEXA]] : f64
// CHECK-NEXT: %[[MULA:.*]] = arith.mulf %[[LOGA]], %[[R]] : f64
// CHECK-NEXT: %[[ZERO_A:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[PYA:.*]] = arith.select %[[RZEROA]], %[[ZERO_A]], %[[MULA]] : f64
// CHECK-NEXT: %[[ZEROB:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZEROB:.*]] = arith.cmpf oeq, %[[SEED]], %[[ZEROB]] : f64
// CHECK-NEXT: %[[PRODUCTB:.*]] = arith.mulf %[[PYA]], %[[SEED]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.select %[[ISZEROB]], %[[ZEROB]], %[[PRODUCTB]] : f64
// CHECK-NEXT: return %[[DY]] : f64

// CHECK-LABEL: func.func private @__dp_aug_powf_ac_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = math.powf %[[X]], %[[Y]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[Y]] : !dp.tape, f64
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_powf_ac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[ZEROA:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[XZEROA:.*]] = arith.cmpf oeq, %[[X]], %[[ZEROA]] : f64
// CHECK-NEXT: %[[ZEROYA:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[YZEROA:.*]] = arith.cmpf oeq, %[[Y]], %[[ZEROYA]] : f64
// CHECK-NEXT: %[[BOTHA:.*]] = arith.andi %[[XZEROA]], %[[YZEROA]] : i1
// CHECK-NEXT: %[[ONEA:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[SAFEYA:.*]] = arith.select %[[BOTHA]], %[[ONEA]], %[[Y]] : f64
// CHECK-NEXT: %[[ONE_A:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[SUBA:.*]] = arith.subf %[[SAFEYA]], %[[ONE_A]] : f64
// CHECK-NEXT: %[[POWFA:.*]] = math.powf %[[X]], %[[SUBA]] : f64
// CHECK-NEXT: %[[MULA:.*]] = arith.mulf %[[SAFEYA]], %[[POWFA]] : f64
// CHECK-NEXT: %[[ZERO_A:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[PXA:.*]] = arith.select %[[BOTHA]], %[[ZERO_A]], %[[MULA]] : f64
// CHECK-NEXT: %[[ZEROB:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZEROB:.*]] = arith.cmpf oeq, %[[SEED]], %[[ZEROB]] : f64
// CHECK-NEXT: %[[PRODUCTB:.*]] = arith.mulf %[[PXA]], %[[SEED]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.select %[[ISZEROB]], %[[ZEROB]], %[[PRODUCTB]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_aug_powf_aa_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = math.powf %[[X]], %[[Y]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[Y]] : !dp.tape, f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[R]] : !dp.tape, f64
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_powf_aa_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[R:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[Y:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[ZEROA:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[XZEROA:.*]] = arith.cmpf oeq, %[[X]], %[[ZEROA]] : f64
// CHECK-NEXT: %[[ZEROYA:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[YZEROA:.*]] = arith.cmpf oeq, %[[Y]], %[[ZEROYA]] : f64
// CHECK-NEXT: %[[BOTHA:.*]] = arith.andi %[[XZEROA]], %[[YZEROA]] : i1
// CHECK-NEXT: %[[ONEA:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[SAFEYA:.*]] = arith.select %[[BOTHA]], %[[ONEA]], %[[Y]] : f64
// CHECK-NEXT: %[[ONE_A:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[SUBA:.*]] = arith.subf %[[SAFEYA]], %[[ONE_A]] : f64
// CHECK-NEXT: %[[POWFA:.*]] = math.powf %[[X]], %[[SUBA]] : f64
// CHECK-NEXT: %[[MULA:.*]] = arith.mulf %[[SAFEYA]], %[[POWFA]] : f64
// CHECK-NEXT: %[[ZERO_A:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[PXA:.*]] = arith.select %[[BOTHA]], %[[ZERO_A]], %[[MULA]] : f64
// CHECK-NEXT: %[[ZEROB:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZEROB:.*]] = arith.cmpf oeq, %[[SEED]], %[[ZEROB]] : f64
// CHECK-NEXT: %[[PRODUCTB:.*]] = arith.mulf %[[PXA]], %[[SEED]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.select %[[ISZEROB]], %[[ZEROB]], %[[PRODUCTB]] : f64
// CHECK-NEXT: %[[ZEROC:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[RZEROC:.*]] = arith.cmpf oeq, %[[R]], %[[ZEROC]] : f64
// CHECK-NEXT: %[[ONEC:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[SAFEXC:.*]] = arith.select %[[RZEROC]], %[[ONEC]], %[[X]] : f64
// CHECK-NEXT: %[[LOGC:.*]] = math.log %[[SAFEXC]] : f64
// CHECK-NEXT: %[[MULC:.*]] = arith.mulf %[[LOGC]], %[[R]] : f64
// CHECK-NEXT: %[[ZERO_C:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[PYC:.*]] = arith.select %[[RZEROC]], %[[ZERO_C]], %[[MULC]] : f64
// CHECK-NEXT: %[[ZEROD:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZEROD:.*]] = arith.cmpf oeq, %[[SEED]], %[[ZEROD]] : f64
// CHECK-NEXT: %[[PRODUCTD:.*]] = arith.mulf %[[PYC]], %[[SEED]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.select %[[ISZEROD]], %[[ZEROD]], %[[PRODUCTD]] : f64
// CHECK-NEXT: return %[[DX]], %[[DY]] : f64, f64

// CHECK-LABEL: func.func private @__dp_fwd_powf_dd_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64, %[[Y:.*]]: f64, %[[DY:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[R:.*]] = math.powf %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[ZEROA:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[XZEROA:.*]] = arith.cmpf oeq, %[[X]], %[[ZEROA]] : f64
// CHECK-NEXT: %[[ZEROYA:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[YZEROA:.*]] = arith.cmpf oeq, %[[Y]], %[[ZEROYA]] : f64
// CHECK-NEXT: %[[BOTHA:.*]] = arith.andi %[[XZEROA]], %[[YZEROA]] : i1
// CHECK-NEXT: %[[ONEA:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[SAFEYA:.*]] = arith.select %[[BOTHA]], %[[ONEA]], %[[Y]] : f64
// CHECK-NEXT: %[[ONE_A:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[SUBA:.*]] = arith.subf %[[SAFEYA]], %[[ONE_A]] : f64
// CHECK-NEXT: %[[POWFA:.*]] = math.powf %[[X]], %[[SUBA]] : f64
// CHECK-NEXT: %[[MULA:.*]] = arith.mulf %[[SAFEYA]], %[[POWFA]] : f64
// CHECK-NEXT: %[[ZERO_A:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[PXA:.*]] = arith.select %[[BOTHA]], %[[ZERO_A]], %[[MULA]] : f64
// CHECK-NEXT: %[[ZEROB:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZEROB:.*]] = arith.cmpf oeq, %[[DX]], %[[ZEROB]] : f64
// CHECK-NEXT: %[[PRODUCTB:.*]] = arith.mulf %[[PXA]], %[[DX]] : f64
// CHECK-NEXT: %[[TX:.*]] = arith.select %[[ISZEROB]], %[[ZEROB]], %[[PRODUCTB]] : f64
// CHECK-NEXT: %[[ZEROC:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[RZEROC:.*]] = arith.cmpf oeq, %[[R]], %[[ZEROC]] : f64
// CHECK-NEXT: %[[ONEC:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[SAFEXC:.*]] = arith.select %[[RZEROC]], %[[ONEC]], %[[X]] : f64
// CHECK-NEXT: %[[LOGC:.*]] = math.log %[[SAFEXC]] : f64
// CHECK-NEXT: %[[MULC:.*]] = arith.mulf %[[LOGC]], %[[R]] : f64
// CHECK-NEXT: %[[ZERO_C:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[PYC:.*]] = arith.select %[[RZEROC]], %[[ZERO_C]], %[[MULC]] : f64
// CHECK-NEXT: %[[ZEROD:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[ISZEROD:.*]] = arith.cmpf oeq, %[[DY]], %[[ZEROD]] : f64
// CHECK-NEXT: %[[PRODUCTD:.*]] = arith.mulf %[[PYC]], %[[DY]] : f64
// CHECK-NEXT: %[[TY:.*]] = arith.select %[[ISZEROD]], %[[ZEROD]], %[[PRODUCTD]] : f64
// CHECK-NEXT: %[[DR:.*]] = arith.addf %[[TX]], %[[TY]] : f64
// CHECK-NEXT: return %[[R]], %[[DR]] : f64, f64

func.func private @powf(%x: f64, %y: f64) -> f64 {
  %r = math.powf %x, %y : f64
  return %r : f64
}

func.func @powf_fwd_dd(%x: f64, %dx: f64, %y: f64, %dy: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @powf(%x, %dx, %y, %dy) args [dup, dup] results [dup] : (f64, f64, f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @powf_rev_aa(%x: f64, %y: f64, %seed: f64) -> (f64, f64, f64) {
  %r, %dx, %dy = dp.autodiff @powf(%x, %y, %seed) args [active, active] results [active] : (f64, f64, f64) -> (f64, f64, f64)
  return %r, %dx, %dy : f64, f64, f64
}

func.func @powf_rev_ac(%x: f64, %y: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @powf(%x, %y, %seed) args [active, const] results [active] : (f64, f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}

func.func @powf_rev_ca(%x: f64, %y: f64, %seed: f64) -> (f64, f64) {
  %r, %dy = dp.autodiff @powf(%x, %y, %seed) args [const, active] results [active] : (f64, f64, f64) -> (f64, f64)
  return %r, %dy : f64, f64
}
// -----

// fpowi(x, n): d/dx = select(float(n) == 0, 0, float(n) x^(n - 1)); n is an
// integer, never active. At n = 0 fpowi is the constant 1: the partial is 0
// there, even at x = 0 where x^-1 is infinite.

// CHECK-LABEL: func.func private @__dp_aug_fpowi_ac_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[N:.*]]: i32, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.fpowi %[[X]], %[[N]] : f64, i32
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[N]] : !dp.tape, i32
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_fpowi_ac_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[N:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> i32
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[C1:.*]] = arith.constant 1 : i32
// CHECK-NEXT: %[[SUBI:.*]] = arith.subi %[[N]], %[[C1]] : i32
// CHECK-NEXT: %[[FPOWI:.*]] = math.fpowi %[[X]], %[[SUBI]] : f64, i32
// CHECK-NEXT: %[[SITOFP:.*]] = arith.sitofp %[[N]] : i32 to f64
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[NZERO:.*]] = arith.cmpf oeq, %[[SITOFP]], %[[ZERO]] : f64
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[SITOFP]], %[[FPOWI]] : f64
// CHECK-NEXT: %[[ZERO_1:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[PARTIAL:.*]] = arith.select %[[NZERO]], %[[ZERO_1]], %[[MUL]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[PARTIAL]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_fpowi_dc_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64, %[[N:.*]]: i32) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.fpowi %[[X]], %[[N]] : f64, i32
// CHECK-NEXT: %[[C1:.*]] = arith.constant 1 : i32
// CHECK-NEXT: %[[SUBI:.*]] = arith.subi %[[N]], %[[C1]] : i32
// CHECK-NEXT: %[[FPOWI:.*]] = math.fpowi %[[X]], %[[SUBI]] : f64, i32
// CHECK-NEXT: %[[SITOFP:.*]] = arith.sitofp %[[N]] : i32 to f64
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[NZERO:.*]] = arith.cmpf oeq, %[[SITOFP]], %[[ZERO]] : f64
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[SITOFP]], %[[FPOWI]] : f64
// CHECK-NEXT: %[[ZERO_1:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[PARTIAL:.*]] = arith.select %[[NZERO]], %[[ZERO_1]], %[[MUL]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.mulf %[[PARTIAL]], %[[DX]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @fpowi(%x: f64, %n: i32) -> f64 {
  %y = math.fpowi %x, %n : f64, i32
  return %y : f64
}

func.func @fpowi_fwd_dc(%x: f64, %dx: f64, %n: i32) -> (f64, f64) {
  %r, %dr = dp.fwddiff @fpowi(%x, %dx, %n) args [dup, const] results [dup] : (f64, f64, i32) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @fpowi_rev_ac(%x: f64, %n: i32, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @fpowi(%x, %n, %seed) args [active, const] results [active] : (f64, i32, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// absf: d|x| = sign(x) dx, with sign(0) = 0. Reverse caches x.

// CHECK-LABEL: func.func private @__dp_aug_absf_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.absf %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_absf_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[COPYSIGN:.*]] = math.copysign %[[ONE]], %[[X]] : f64
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[CMP:.*]] = arith.cmpf oeq, %[[X]], %[[ZERO]] : f64
// CHECK-NEXT: %[[ZERO_1:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[SELECT:.*]] = arith.select %[[CMP]], %[[ZERO_1]], %[[COPYSIGN]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[SELECT]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_absf_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.absf %[[X]] : f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[COPYSIGN:.*]] = math.copysign %[[ONE]], %[[X]] : f64
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[CMP:.*]] = arith.cmpf oeq, %[[X]], %[[ZERO]] : f64
// CHECK-NEXT: %[[ZERO_1:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[SELECT:.*]] = arith.select %[[CMP]], %[[ZERO_1]], %[[COPYSIGN]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.mulf %[[SELECT]], %[[DX]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @absf(%x: f64) -> f64 {
  %y = math.absf %x : f64
  return %y : f64
}

func.func @absf_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @absf(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @absf_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @absf(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// copysign(x, y) = |x| sign(y): d/dx = x == 0 ? 0 : sign(x) sign(y) (0 at
// x = 0, like absf), d/dy = 0. With only y active nothing is cached and the
// gradient is zero.

// CHECK-LABEL: func.func private @__dp_aug_copysign_ca_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = math.copysign %[[X]], %[[Y]] : f64
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_copysign_ca_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: return %[[ZERO]] : f64

// CHECK-LABEL: func.func private @__dp_aug_copysign_aa_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[Y:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[R:.*]] = math.copysign %[[X]], %[[Y]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[Y]] : !dp.tape, f64
// CHECK-NEXT: return %[[R]] : f64

// CHECK-LABEL: func.func private @__dp_rev_copysign_aa_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[COPYSIGN:.*]] = math.copysign %[[ONE]], %[[X]] : f64
// CHECK-NEXT: %[[ONE_1:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[COPYSIGN_1:.*]] = math.copysign %[[ONE_1]], %[[Y]] : f64
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[CMP:.*]] = arith.cmpf oeq, %[[X]], %[[ZERO]] : f64
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[COPYSIGN]], %[[COPYSIGN_1]] : f64
// CHECK-NEXT: %[[ZERO_1:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[SELECT:.*]] = arith.select %[[CMP]], %[[ZERO_1]], %[[MUL]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[SELECT]], %[[SEED]] : f64
// CHECK-NEXT: %[[ZERO_2:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: return %[[DX]], %[[ZERO_2]] : f64, f64

// CHECK-LABEL: func.func private @__dp_fwd_copysign_dd_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64, %[[Y:.*]]: f64, %[[DY:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[R:.*]] = math.copysign %[[X]], %[[Y]] : f64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[COPYSIGN:.*]] = math.copysign %[[ONE]], %[[X]] : f64
// CHECK-NEXT: %[[ONE_1:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[COPYSIGN_1:.*]] = math.copysign %[[ONE_1]], %[[Y]] : f64
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[CMP:.*]] = arith.cmpf oeq, %[[X]], %[[ZERO]] : f64
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[COPYSIGN]], %[[COPYSIGN_1]] : f64
// CHECK-NEXT: %[[ZERO_1:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[SELECT:.*]] = arith.select %[[CMP]], %[[ZERO_1]], %[[MUL]] : f64
// CHECK-NEXT: %[[DR:.*]] = arith.mulf %[[SELECT]], %[[DX]] : f64
// CHECK-NEXT: return %[[R]], %[[DR]] : f64, f64

func.func private @copysign(%x: f64, %y: f64) -> f64 {
  %r = math.copysign %x, %y : f64
  return %r : f64
}

func.func @copysign_fwd_dd(%x: f64, %dx: f64, %y: f64, %dy: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @copysign(%x, %dx, %y, %dy) args [dup, dup] results [dup] : (f64, f64, f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @copysign_rev_aa(%x: f64, %y: f64, %seed: f64) -> (f64, f64, f64) {
  %r, %dx, %dy = dp.autodiff @copysign(%x, %y, %seed) args [active, active] results [active] : (f64, f64, f64) -> (f64, f64, f64)
  return %r, %dx, %dy : f64, f64, f64
}

func.func @copysign_rev_ca(%x: f64, %y: f64, %seed: f64) -> (f64, f64) {
  %r, %dy = dp.autodiff @copysign(%x, %y, %seed) args [const, active] results [active] : (f64, f64, f64) -> (f64, f64)
  return %r, %dy : f64, f64
}
// -----

// erf: d erf(x) = 2/sqrt(pi) exp(-x^2) dx. Reverse caches x.

// CHECK-LABEL: func.func private @__dp_aug_erf_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.erf %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_erf_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[X2:.*]] = arith.mulf %[[X]], %[[X]] : f64
// CHECK-NEXT: %[[NEG:.*]] = arith.negf %[[X2]] : f64
// CHECK-NEXT: %[[EXP:.*]] = math.exp %[[NEG]] : f64
// CHECK-NEXT: %[[TWO_RSQRTPI:.*]] = arith.constant 1.1283791670955126 : f64
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[TWO_RSQRTPI]], %[[EXP]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[MUL]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_erf_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.erf %[[X]] : f64
// CHECK-NEXT: %[[X2:.*]] = arith.mulf %[[X]], %[[X]] : f64
// CHECK-NEXT: %[[NEG:.*]] = arith.negf %[[X2]] : f64
// CHECK-NEXT: %[[EXP:.*]] = math.exp %[[NEG]] : f64
// CHECK-NEXT: %[[TWO_RSQRTPI:.*]] = arith.constant 1.1283791670955126 : f64
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[TWO_RSQRTPI]], %[[EXP]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.mulf %[[MUL]], %[[DX]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @erf(%x: f64) -> f64 {
  %y = math.erf %x : f64
  return %y : f64
}

func.func @erf_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @erf(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @erf_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @erf(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// erfc: d erfc(x) = -2/sqrt(pi) exp(-x^2) dx. Reverse caches x.

// CHECK-LABEL: func.func private @__dp_aug_erfc_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.erfc %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[TAPE]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_erfc_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NEXT: %[[X2:.*]] = arith.mulf %[[X]], %[[X]] : f64
// CHECK-NEXT: %[[NEG:.*]] = arith.negf %[[X2]] : f64
// CHECK-NEXT: %[[EXP:.*]] = math.exp %[[NEG]] : f64
// CHECK-NEXT: %[[MTWO_RSQRTPI:.*]] = arith.constant -1.1283791670955126 : f64
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[MTWO_RSQRTPI]], %[[EXP]] : f64
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[MUL]], %[[SEED]] : f64
// CHECK-NEXT: return %[[DX]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_erfc_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.erfc %[[X]] : f64
// CHECK-NEXT: %[[X2:.*]] = arith.mulf %[[X]], %[[X]] : f64
// CHECK-NEXT: %[[NEG:.*]] = arith.negf %[[X2]] : f64
// CHECK-NEXT: %[[EXP:.*]] = math.exp %[[NEG]] : f64
// CHECK-NEXT: %[[MTWO_RSQRTPI:.*]] = arith.constant -1.1283791670955126 : f64
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[MTWO_RSQRTPI]], %[[EXP]] : f64
// CHECK-NEXT: %[[DY:.*]] = arith.mulf %[[MUL]], %[[DX]] : f64
// CHECK-NEXT: return %[[Y]], %[[DY]] : f64, f64

func.func private @erfc(%x: f64) -> f64 {
  %y = math.erfc %x : f64
  return %y : f64
}

func.func @erfc_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @erfc(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @erfc_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @erfc(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// floor: piecewise constant. The tangent is a zero constant, the gradient is zero,
// nothing is cached and no derivative math is built.

// CHECK-LABEL: func.func private @__dp_aug_floor_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.floor %[[X]] : f64
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_floor_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: return %[[ZERO]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_floor_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.floor %[[X]] : f64
// CHECK-NOT: math.
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: return %[[Y]], %[[ZERO]] : f64, f64

func.func private @floor(%x: f64) -> f64 {
  %y = math.floor %x : f64
  return %y : f64
}

func.func @floor_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @floor(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @floor_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @floor(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// ceil: piecewise constant. The tangent is a zero constant, the gradient is zero,
// nothing is cached and no derivative math is built.

// CHECK-LABEL: func.func private @__dp_aug_ceil_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.ceil %[[X]] : f64
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_ceil_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: return %[[ZERO]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_ceil_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.ceil %[[X]] : f64
// CHECK-NOT: math.
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: return %[[Y]], %[[ZERO]] : f64, f64

func.func private @ceil(%x: f64) -> f64 {
  %y = math.ceil %x : f64
  return %y : f64
}

func.func @ceil_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @ceil(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @ceil_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @ceil(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// round: piecewise constant. The tangent is a zero constant, the gradient is zero,
// nothing is cached and no derivative math is built.

// CHECK-LABEL: func.func private @__dp_aug_round_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.round %[[X]] : f64
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_round_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: return %[[ZERO]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_round_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.round %[[X]] : f64
// CHECK-NOT: math.
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: return %[[Y]], %[[ZERO]] : f64, f64

func.func private @round(%x: f64) -> f64 {
  %y = math.round %x : f64
  return %y : f64
}

func.func @round_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @round(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @round_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @round(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// roundeven: piecewise constant. The tangent is a zero constant, the gradient is zero,
// nothing is cached and no derivative math is built.

// CHECK-LABEL: func.func private @__dp_aug_roundeven_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.roundeven %[[X]] : f64
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_roundeven_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: return %[[ZERO]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_roundeven_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.roundeven %[[X]] : f64
// CHECK-NOT: math.
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: return %[[Y]], %[[ZERO]] : f64, f64

func.func private @roundeven(%x: f64) -> f64 {
  %y = math.roundeven %x : f64
  return %y : f64
}

func.func @roundeven_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @roundeven(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @roundeven_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @roundeven(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
// -----

// trunc: piecewise constant. The tangent is a zero constant, the gradient is zero,
// nothing is cached and no derivative math is built.

// CHECK-LABEL: func.func private @__dp_aug_trunc_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[TAPE:.*]]: !dp.tape) -> f64 {
// CHECK-NEXT: %[[Y:.*]] = math.trunc %[[X]] : f64
// CHECK-NOT: dp.tape.push
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_trunc_a_a(
// CHECK-SAME: %[[TAPE:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64 {
// CHECK-NOT: dp.tape.pop
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: return %[[ZERO]] : f64

// CHECK-LABEL: func.func private @__dp_fwd_trunc_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64) -> (f64, f64) {
// CHECK-NEXT: %[[Y:.*]] = math.trunc %[[X]] : f64
// CHECK-NOT: math.
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: return %[[Y]], %[[ZERO]] : f64, f64

func.func private @trunc(%x: f64) -> f64 {
  %y = math.trunc %x : f64
  return %y : f64
}

func.func @trunc_fwd_d(%x: f64, %dx: f64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @trunc(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

func.func @trunc_rev_a(%x: f64, %seed: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @trunc(%x, %seed) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
