// Zygote's headline example: pow(x, n) as a while loop with a data-dependent
// trip count, differentiated in both modes and in split mode, through the
// whole CPU pipeline. d/dx x^3 at 5 is 75.
// RUN: dp-opt %s --dp-lower-to-cpu \
// RUN:   | mlir-runner -e main -entry-point-result=void --shared-libs=%mlir_runner_utils \
// RUN:   | FileCheck %s
// The tapes are freed exactly once: no leak, no invalid access.
// RUN: dp-opt %s --dp-lower-to-cpu -o %t.mlir
// RUN: %if valgrind %{ valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=3 mlir-runner %t.mlir -e main -entry-point-result=void --shared-libs=%mlir_runner_utils | FileCheck %s %}

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

func.func @main() {
  %x = arith.constant 5.0 : f64
  %n = arith.constant 3 : i64
  %one = arith.constant 1.0 : f64
  %two = arith.constant 2.0 : f64
  // CHECK: 125
  // CHECK-NEXT: 75
  %r, %dx = dp.autodiff @pow(%x, %n, %one) args [active, const] results [active] : (f64, i64, f64) -> (f64, f64)
  vector.print %r : f64
  vector.print %dx : f64
  // CHECK-NEXT: 75
  %fr, %t = dp.fwddiff @pow(%x, %one, %n) args [dup, const] results [dup] : (f64, f64, i64) -> (f64, f64)
  vector.print %t : f64
  // The pullback runs twice on one tape, with different cotangents.
  // CHECK-NEXT: 125
  // CHECK-NEXT: 75
  // CHECK-NEXT: 150
  %p, %tape = dp.augmented @pow(%x, %n) args [active, const] results [active] : (f64, i64) -> (f64, !dp.tape)
  %g1 = dp.reverse @pow(%tape, %one) args [active, const] results [active] : (!dp.tape, f64) -> f64
  %g2 = dp.reverse @pow(%tape, %two) args [active, const] results [active] : (!dp.tape, f64) -> f64
  dp.tape.free %tape : !dp.tape
  vector.print %p : f64
  vector.print %g1 : f64
  vector.print %g2 : f64
  // Zero trips: pow(x, 0) = 1, derivative 0.
  // CHECK-NEXT: 0
  %zero = arith.constant 0 : i64
  %r0, %d0 = dp.autodiff @pow(%x, %zero, %one) args [active, const] results [active] : (f64, i64, f64) -> (f64, f64)
  vector.print %d0 : f64
  return
}
