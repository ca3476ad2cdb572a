// RUN: dp-opt %s --split-input-file --dp-autodiff | FileCheck %s

// scf.for: the reverse loop runs over the same trip count backwards, each
// iteration pops what its forward iteration pushed (sin's operand and the
// value mulf's adjoint needs), and x's adjoint is carried through the loop.

func.func private @for_loop(%x: f64, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %x) -> f64 {
    %s = math.sin %a : f64
    %p = arith.mulf %s, %x : f64
    scf.yield %p : f64
  }
  return %r : f64
}

// CHECK-LABEL: func.func private @__dp_aug_for_loop_ac_a
// CHECK-SAME: (%[[X:.*]]: f64, %[[N:.*]]: index, %[[T:.*]]: !dp.tape) -> f64
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[N]] step %{{.*}} iter_args(%[[A:.*]] = %[[X]]) -> (f64) {
// CHECK-NEXT: %[[S:.*]] = math.sin %[[A]] : f64
// CHECK-NEXT: %[[P:.*]] = arith.mulf %[[S]], %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[T]], %[[S]] : !dp.tape, f64
// CHECK-NEXT: dp.tape.push %[[T]], %[[A]] : !dp.tape, f64
// CHECK-NEXT: scf.yield %[[P]] : f64
// CHECK: dp.tape.push %[[T]], %[[N]] : !dp.tape, index
// CHECK-NEXT: dp.tape.push %[[T]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: return

// CHECK-LABEL: func.func private @__dp_rev_for_loop_ac_a
// CHECK-SAME: (%[[T:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[T]] : !dp.tape -> f64
// CHECK-NEXT: %[[N:.*]] = dp.tape.pop %[[T]] : !dp.tape -> index
// CHECK: %[[SPAN:.*]] = arith.subi %[[N]], %{{.*}} : index
// CHECK-NEXT: %[[DIV:.*]] = arith.ceildivsi %[[SPAN]], %{{.*}} : index
// CHECK-NEXT: %[[TRIPS:.*]] = arith.maxsi %[[DIV]], %{{.*}} : index
// CHECK: %[[LOOP:.*]]:2 = scf.for %{{.*}} = %{{.*}} to %[[TRIPS]] step %{{.*}} iter_args(%[[DA:.*]] = %[[SEED]], %[[DX:.*]] = %{{.*}}) -> (f64, f64) {
// CHECK-NEXT: %[[A:.*]] = dp.tape.pop %[[T]] : !dp.tape -> f64
// CHECK-NEXT: %[[S:.*]] = dp.tape.pop %[[T]] : !dp.tape -> f64
// CHECK: %[[DS:.*]] = arith.mulf %[[X]], %[[DA]] : f64
// CHECK-NEXT: %[[DXI:.*]] = arith.mulf %[[S]], %[[DA]] : f64
// CHECK-NEXT: %[[DXACC:.*]] = arith.addf %[[DX]], %[[DXI]] : f64
// CHECK-NEXT: %[[COS:.*]] = math.cos %[[A]] : f64
// CHECK-NEXT: %[[DANEXT:.*]] = arith.mulf %[[COS]], %[[DS]] : f64
// CHECK-NEXT: scf.yield %[[DANEXT]], %[[DXACC]] : f64, f64
// CHECK: %[[TOTAL:.*]] = arith.addf %[[LOOP]]#1, %[[LOOP]]#0 : f64
// CHECK-NEXT: return %[[TOTAL]] : f64

// The whole request: a tape, the augmented call, the reverse call, free.
// CHECK-LABEL: func.func @grad_for
// CHECK-NEXT: %[[T:.*]] = dp.tape.init : !dp.tape
// CHECK-NEXT: call @__dp_aug_for_loop_ac_a(%{{.*}}, %{{.*}}, %[[T]]) : (f64, index, !dp.tape) -> f64
// CHECK-NEXT: %[[G:.*]] = call @__dp_rev_for_loop_ac_a(%[[T]], %{{.*}}) : (!dp.tape, f64) -> f64
// CHECK-NEXT: dp.tape.free %[[T]] : !dp.tape
// CHECK-NEXT: return %[[G]] : f64
func.func @grad_for(%x: f64, %n: index, %seed: f64) -> f64 {
  %r, %dx = dp.autodiff @for_loop(%x, %n, %seed) args [active, const] results [active] : (f64, index, f64) -> (f64, f64)
  return %dx : f64
}

// -----

// scf.while: the forward loop counts its iterations; the reverse reverses
// the last condition region once, then runs (body, condition) backwards as
// many times as the body ran. Only the accumulator is cached per iteration.

func.func private @pow(%x: f64, %n: i64) -> f64 {
  %one = arith.constant 1.0 : f64
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %r:2 = scf.while (%acc = %one, %k = %n) : (f64, i64) -> (f64, i64) {
    %more = arith.cmpi sgt, %k, %c0 : i64
    scf.condition(%more) %acc, %k : f64, i64
  } do {
  ^bb0(%a: f64, %k2: i64):
    %a2 = arith.mulf %a, %x : f64
    %k3 = arith.subi %k2, %c1 : i64
    scf.yield %a2, %k3 : f64, i64
  }
  return %r#0 : f64
}

// CHECK-LABEL: func.func private @__dp_aug_pow_ac_a
// CHECK-SAME: (%[[X:.*]]: f64, %[[N:.*]]: i64, %[[T:.*]]: !dp.tape) -> f64
// CHECK: %[[ZERO:.*]] = arith.constant 0 : index
// CHECK: %[[W:.*]]:3 = scf.while (%{{.*}} = %{{.*}}, %{{.*}} = %[[N]], %{{.*}} = %[[ZERO]]) : (f64, i64, index) -> (f64, i64, index) {
// CHECK: } do {
// CHECK-NEXT: ^bb0(%[[A:.*]]: f64, %{{.*}}: i64, %[[COUNT:.*]]: index):
// CHECK: %[[NEXT:.*]] = arith.addi %[[COUNT]], %{{.*}} : index
// CHECK: dp.tape.push %[[T]], %[[A]] : !dp.tape, f64
// CHECK-NEXT: scf.yield %{{.*}}, %{{.*}}, %[[NEXT]] : f64, i64, index
// CHECK: dp.tape.push %[[T]], %[[W]]#2 : !dp.tape, index
// CHECK-NEXT: dp.tape.push %[[T]], %[[X]] : !dp.tape, f64
// CHECK-NOT: dp.tape.push

// CHECK-LABEL: func.func private @__dp_rev_pow_ac_a
// CHECK-SAME: (%[[T:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[T]] : !dp.tape -> f64
// CHECK-NEXT: %[[COUNT:.*]] = dp.tape.pop %[[T]] : !dp.tape -> index
// CHECK-NEXT: %[[LAST:.*]]:2 = scf.execute_region -> (f64, f64) {
// CHECK: scf.yield %[[SEED]], %{{.*}} : f64, f64
// CHECK: %[[LOOP:.*]]:2 = scf.for %{{.*}} = %{{.*}} to %[[COUNT]] step %{{.*}} iter_args(%[[DA:.*]] = %[[LAST]]#0, %[[DX:.*]] = %[[LAST]]#1) -> (f64, f64) {
// CHECK-NEXT: %[[A:.*]] = dp.tape.pop %[[T]] : !dp.tape -> f64
// CHECK-NEXT: %[[DANEXT:.*]] = arith.mulf %[[X]], %[[DA]] : f64
// CHECK-NEXT: %[[DXI:.*]] = arith.mulf %[[A]], %[[DA]] : f64
// CHECK-NEXT: %[[DXACC:.*]] = arith.addf %[[DX]], %[[DXI]] : f64
// CHECK: return %[[LOOP]]#1 : f64
func.func @grad_pow(%x: f64, %n: i64, %seed: f64) -> f64 {
  %r, %dx = dp.autodiff @pow(%x, %n, %seed) args [active, const] results [active] : (f64, i64, f64) -> (f64, f64)
  return %dx : f64
}

// -----

// scf.if: the condition is cached and the reverse branches on it; only the
// taken branch pushes (exp keeps its result, sin needs only x, which is
// cached at function level).

func.func private @branch(%x: f64, %c: i1) -> f64 {
  %r = scf.if %c -> f64 {
    %s = math.sin %x : f64
    scf.yield %s : f64
  } else {
    %e = math.exp %x : f64
    scf.yield %e : f64
  }
  return %r : f64
}

// CHECK-LABEL: func.func private @__dp_aug_branch_ac_a
// CHECK-SAME: (%[[X:.*]]: f64, %[[C:.*]]: i1, %[[T:.*]]: !dp.tape) -> f64
// CHECK: scf.if %[[C]] -> (f64) {
// CHECK-NEXT: math.sin
// CHECK-NEXT: scf.yield
// CHECK-NEXT: } else {
// CHECK-NEXT: %[[E:.*]] = math.exp %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[T]], %[[E]] : !dp.tape, f64
// CHECK: dp.tape.push %[[T]], %[[C]] : !dp.tape, i1
// CHECK-NEXT: dp.tape.push %[[T]], %[[X]] : !dp.tape, f64

// CHECK-LABEL: func.func private @__dp_rev_branch_ac_a
// CHECK-SAME: (%[[T:.*]]: !dp.tape, %[[SEED:.*]]: f64) -> f64
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[T]] : !dp.tape -> f64
// CHECK-NEXT: %[[C:.*]] = dp.tape.pop %[[T]] : !dp.tape -> i1
// CHECK: %[[R:.*]] = scf.if %[[C]] -> (f64) {
// CHECK-NEXT: %[[COS:.*]] = math.cos %[[X]] : f64
// CHECK-NEXT: arith.mulf %[[COS]], %[[SEED]] : f64
// CHECK: } else {
// CHECK-NEXT: %[[E:.*]] = dp.tape.pop %[[T]] : !dp.tape -> f64
// CHECK-NEXT: arith.mulf %[[E]], %[[SEED]] : f64
// CHECK: return %[[R]] : f64
func.func @grad_branch(%x: f64, %c: i1, %seed: f64) -> f64 {
  %r, %dx = dp.autodiff @branch(%x, %c, %seed) args [active, const] results [active] : (f64, i1, f64) -> (f64, f64)
  return %dx : f64
}

// -----

// Calls: the callee's augmented function runs in the forward loop and pushes
// onto the caller's tape; its reverse function pops in the reverse loop.

func.func private @square(%x: f64) -> f64 {
  %y = arith.mulf %x, %x : f64
  return %y : f64
}

func.func private @caller(%x: f64, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %x) -> f64 {
    %s = func.call @square(%a) : (f64) -> f64
    scf.yield %s : f64
  }
  return %r : f64
}

// CHECK-LABEL: func.func private @__dp_aug_square_a_a
// CHECK-SAME: (%[[X:.*]]: f64, %[[T:.*]]: !dp.tape) -> f64
// CHECK-NEXT: %[[Y:.*]] = arith.mulf %[[X]], %[[X]] : f64
// CHECK-NEXT: dp.tape.push %[[T]], %[[X]] : !dp.tape, f64
// CHECK-NEXT: return %[[Y]] : f64

// CHECK-LABEL: func.func private @__dp_rev_square_a_a
// CHECK-SAME: (%[[T:.*]]: !dp.tape, %[[DY:.*]]: f64) -> f64
// CHECK-NEXT: %[[X:.*]] = dp.tape.pop %[[T]] : !dp.tape -> f64
// CHECK-NEXT: %[[L:.*]] = arith.mulf %[[X]], %[[DY]] : f64
// CHECK-NEXT: %[[R:.*]] = arith.mulf %[[X]], %[[DY]] : f64
// CHECK-NEXT: %[[SUM:.*]] = arith.addf %[[L]], %[[R]] : f64
// CHECK-NEXT: return %[[SUM]] : f64

// CHECK-LABEL: func.func private @__dp_aug_caller_ac_a
// CHECK-SAME: (%{{.*}}: f64, %{{.*}}: index, %[[T:.*]]: !dp.tape) -> f64
// CHECK: func.call @__dp_aug_square_a_a(%{{.*}}, %[[T]]) : (f64, !dp.tape) -> f64

// CHECK-LABEL: func.func private @__dp_rev_caller_ac_a
// CHECK-SAME: (%[[T:.*]]: !dp.tape, %{{.*}}: f64) -> f64
// CHECK: scf.for
// CHECK: %[[D:.*]] = func.call @__dp_rev_square_a_a(%[[T]], %{{.*}}) : (!dp.tape, f64) -> f64
// CHECK-NEXT: scf.yield %[[D]] : f64
func.func @grad_caller(%x: f64, %n: index, %seed: f64) -> f64 {
  %r, %dx = dp.autodiff @caller(%x, %n, %seed) args [active, const] results [active] : (f64, index, f64) -> (f64, f64)
  return %dx : f64
}

// Split mode: one augmented call makes the tape; each later reverse call
// rewinds it first, so the pullback may run more than once. The first one,
// right after the augmented call, finds nothing popped and needs no rewind.
// The same derivative functions serve the call inside @caller and this
// request.
// CHECK-LABEL: func.func @split
// CHECK-SAME: (%[[X:.*]]: f64, %[[SEED:.*]]: f64)
// CHECK-NEXT: %[[T:.*]] = dp.tape.init : !dp.tape
// CHECK-NEXT: %[[R:.*]] = call @__dp_aug_square_a_a(%[[X]], %[[T]]) : (f64, !dp.tape) -> f64
// CHECK-NEXT: %[[D1:.*]] = call @__dp_rev_square_a_a(%[[T]], %[[SEED]]) : (!dp.tape, f64) -> f64
// CHECK-NEXT: dp.tape.rewind %[[T]] : !dp.tape
// CHECK-NEXT: %[[D2:.*]] = call @__dp_rev_square_a_a(%[[T]], %[[SEED]]) : (!dp.tape, f64) -> f64
// CHECK-NEXT: dp.tape.free %[[T]] : !dp.tape
// CHECK-NEXT: return %[[R]], %[[D1]], %[[D2]] : f64, f64, f64
func.func @split(%x: f64, %seed: f64) -> (f64, f64, f64) {
  %r, %t = dp.augmented @square(%x) args [active] results [active] : (f64) -> (f64, !dp.tape)
  %d1 = dp.reverse @square(%t, %seed) args [active] results [active] : (!dp.tape, f64) -> f64
  %d2 = dp.reverse @square(%t, %seed) args [active] results [active] : (!dp.tape, f64) -> f64
  dp.tape.free %t : !dp.tape
  return %r, %d1, %d2 : f64, f64, f64
}

// -----

// Forward mode carries tangents as extra loop-carried values: through the
// while loop's condition arguments and body arguments, zero-initialized.

func.func private @pow_fwd(%x: f64, %n: i64) -> f64 {
  %one = arith.constant 1.0 : f64
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %r:2 = scf.while (%acc = %one, %k = %n) : (f64, i64) -> (f64, i64) {
    %more = arith.cmpi sgt, %k, %c0 : i64
    scf.condition(%more) %acc, %k : f64, i64
  } do {
  ^bb0(%a: f64, %k2: i64):
    %a2 = arith.mulf %a, %x : f64
    %k3 = arith.subi %k2, %c1 : i64
    scf.yield %a2, %k3 : f64, i64
  }
  return %r#0 : f64
}

// CHECK-LABEL: func.func private @__dp_fwd_pow_fwd_dc_d
// CHECK-SAME: (%[[X:.*]]: f64, %[[DX:.*]]: f64, %[[N:.*]]: i64) -> (f64, f64)
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK: %[[W:.*]]:3 = scf.while (%{{.*}} = %{{.*}}, %{{.*}} = %[[N]], %{{.*}} = %[[ZERO]]) : (f64, i64, f64) -> (f64, i64, f64) {
// CHECK: ^bb0(%[[A:.*]]: f64, %{{.*}}: i64, %[[DA:.*]]: f64):
// CHECK-NEXT: %[[A2:.*]] = arith.mulf %[[A]], %[[X]] : f64
// CHECK-NEXT: %[[T1:.*]] = arith.mulf %[[X]], %[[DA]] : f64
// CHECK-NEXT: %[[T2:.*]] = arith.mulf %[[A]], %[[DX]] : f64
// CHECK-NEXT: %[[DA2:.*]] = arith.addf %[[T1]], %[[T2]] : f64
// CHECK: scf.yield %[[A2]], %{{.*}}, %[[DA2]] : f64, i64, f64
// CHECK: return %[[W]]#0, %[[W]]#2 : f64, f64
func.func @jvp_pow(%x: f64, %dx: f64, %n: i64) -> (f64, f64) {
  %r, %dr = dp.fwddiff @pow_fwd(%x, %dx, %n) args [dup, const] results [dup] : (f64, f64, i64) -> (f64, f64)
  return %r, %dr : f64, f64
}

// -----

// Unstructured control flow is lifted to scf on a copy before
// differentiation; the user's function keeps its blocks.

func.func private @cf_abs(%x: f64) -> f64 {
  %zero = arith.constant 0.0 : f64
  %neg = arith.cmpf olt, %x, %zero : f64
  cf.cond_br %neg, ^flip, ^keep
^flip:
  %m = arith.negf %x : f64
  return %m : f64
^keep:
  return %x : f64
}

// CHECK-LABEL: func.func private @cf_abs
// CHECK: cf.cond_br
// CHECK-LABEL: func.func private @__dp_fwd_cf_abs_d_u
// CHECK-NOT: cf.cond_br
// CHECK: scf.if
// CHECK: arith.negf
// CHECK: return
func.func @jvp_cf_abs(%x: f64, %dx: f64) -> f64 {
  %t = dp.fwddiff @cf_abs(%x, %dx) args [dup] results [dupnoneed] : (f64, f64) -> f64
  return %t : f64
}

// -----

// An index loop over a tensor argument, writing into a loop-carried tensor
// (the form `for i: out[i] = sin(x[i]) * x[i]` takes): the reverse sweep
// receives x and reads x[i] again, so only sin(x[i]) goes on the tape.

func.func private @index_loop(%x: tensor<8xf64>) -> tensor<8xf64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %init = arith.constant dense<0.0> : tensor<8xf64>
  %r = scf.for %i = %c0 to %c8 step %c1 iter_args(%out = %init) -> (tensor<8xf64>) {
    %v = tensor.extract %x[%i] : tensor<8xf64>
    %s = math.sin %v : f64
    %p = arith.mulf %s, %v : f64
    %next = tensor.insert %p into %out[%i] : tensor<8xf64>
    scf.yield %next : tensor<8xf64>
  }
  return %r : tensor<8xf64>
}

// CHECK-LABEL: func.func private @__dp_aug_index_loop_a_a(
// CHECK:         scf.for
// CHECK:           %[[S:.*]] = math.sin
// CHECK-NOT:       dp.tape.push
// CHECK:           dp.tape.push %{{.*}}, %[[S]] : !dp.tape, f64
// CHECK-NOT:       dp.tape.push
// CHECK:         return
// CHECK-LABEL: func.func private @__dp_rev_index_loop_a_a(
// CHECK-SAME:      %[[TAPE:.*]]: !dp.tape, %[[X:[^:]*]]: tensor<8xf64>, %{{.*}}: tensor<8xf64>)
// CHECK:         scf.for
// CHECK:           %[[S:.*]] = dp.tape.pop %[[TAPE]] : !dp.tape -> f64
// CHECK-NOT:       dp.tape.pop
// CHECK:           %[[V:.*]] = tensor.extract %[[X]][%{{.*}}] : tensor<8xf64>
// CHECK:           math.cos %[[V]]
func.func @grad_index_loop(%x: tensor<8xf64>, %seed: tensor<8xf64>) -> tensor<8xf64> {
  %dx = dp.autodiff @index_loop(%x, %seed) args [active] results [activenoneed] : (tensor<8xf64>, tensor<8xf64>) -> tensor<8xf64>
  return %dx : tensor<8xf64>
}
