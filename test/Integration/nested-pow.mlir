// Nested derivatives through the CPU pipeline: pow(x, n) as a while loop
// with a data-dependent trip count, whose first derivative (in reverse,
// forward and split mode) is differentiated again in both modes. The inner
// derivative's tape pushes and pops are differentiated with it.
// d/dx x^3 = 3x^2 = 75 and d2/dx2 x^3 = 6x = 30 at 5; d3/dx3 = 6.
// RUN: dp-opt %s --dp-lower-to-cpu \
// RUN:   | mlir-runner -e main -entry-point-result=void --shared-libs=%mlir_runner_utils \
// RUN:   | FileCheck %s
// Every tape and shadow tape is freed exactly once.
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

// The gradient of pow in reverse mode.
func.func private @dpow(%x: f64, %n: i64) -> f64 {
  %one = arith.constant 1.0 : f64
  %r, %dx = dp.autodiff @pow(%x, %n, %one) args [active, const] results [active] : (f64, i64, f64) -> (f64, f64)
  return %dx : f64
}

// ... in forward mode.
func.func private @dpow_fwd(%x: f64, %n: i64) -> f64 {
  %one = arith.constant 1.0 : f64
  %r, %t = dp.fwddiff @pow(%x, %one, %n) args [dup, const] results [dup] : (f64, f64, i64) -> (f64, f64)
  return %t : f64
}

// ... in split mode (a pullback called once, right after the forward pass).
func.func private @dpow_split(%x: f64, %n: i64) -> f64 {
  %one = arith.constant 1.0 : f64
  %p, %tape = dp.augmented @pow(%x, %n) args [active, const] results [active] : (f64, i64) -> (f64, !dp.tape)
  %g = dp.reverse @pow(%tape, %one) args [active, const] results [active] : (!dp.tape, f64) -> f64
  dp.tape.free %tape : !dp.tape
  return %g : f64
}

// The second derivative in reverse mode, to differentiate a third time.
func.func private @ddpow(%x: f64, %n: i64) -> f64 {
  %one = arith.constant 1.0 : f64
  %r, %dx = dp.autodiff @dpow(%x, %n, %one) args [active, const] results [active] : (f64, i64, f64) -> (f64, f64)
  return %dx : f64
}

func.func @main() {
  %x = arith.constant 5.0 : f64
  %n = arith.constant 3 : i64
  %one = arith.constant 1.0 : f64
  // Reverse over reverse, forward over reverse, reverse over forward,
  // forward over forward, reverse over split, forward over split.
  // CHECK: 30
  // CHECK-NEXT: 30
  // CHECK-NEXT: 30
  // CHECK-NEXT: 30
  // CHECK-NEXT: 30
  // CHECK-NEXT: 30
  %rr:2 = dp.autodiff @dpow(%x, %n, %one) args [active, const] results [active] : (f64, i64, f64) -> (f64, f64)
  vector.print %rr#1 : f64
  %fr:2 = dp.fwddiff @dpow(%x, %one, %n) args [dup, const] results [dup] : (f64, f64, i64) -> (f64, f64)
  vector.print %fr#1 : f64
  %rf:2 = dp.autodiff @dpow_fwd(%x, %n, %one) args [active, const] results [active] : (f64, i64, f64) -> (f64, f64)
  vector.print %rf#1 : f64
  %ff:2 = dp.fwddiff @dpow_fwd(%x, %one, %n) args [dup, const] results [dup] : (f64, f64, i64) -> (f64, f64)
  vector.print %ff#1 : f64
  %rs:2 = dp.autodiff @dpow_split(%x, %n, %one) args [active, const] results [active] : (f64, i64, f64) -> (f64, f64)
  vector.print %rs#1 : f64
  %fs:2 = dp.fwddiff @dpow_split(%x, %one, %n) args [dup, const] results [dup] : (f64, f64, i64) -> (f64, f64)
  vector.print %fs#1 : f64
  // Third order: reverse and forward over reverse over reverse.
  // CHECK-NEXT: 6
  // CHECK-NEXT: 6
  %rrr:2 = dp.autodiff @ddpow(%x, %n, %one) args [active, const] results [active] : (f64, i64, f64) -> (f64, f64)
  vector.print %rrr#1 : f64
  %frr:2 = dp.fwddiff @ddpow(%x, %one, %n) args [dup, const] results [dup] : (f64, f64, i64) -> (f64, f64)
  vector.print %frr#1 : f64
  // Zero trips: every derivative of pow(x, 0) = 1 is 0.
  // CHECK-NEXT: 0
  // CHECK-NEXT: 0
  %zero = arith.constant 0 : i64
  %z1:2 = dp.autodiff @dpow(%x, %zero, %one) args [active, const] results [active] : (f64, i64, f64) -> (f64, f64)
  vector.print %z1#1 : f64
  %z2:2 = dp.fwddiff @dpow(%x, %one, %zero) args [dup, const] results [dup] : (f64, f64, i64) -> (f64, f64)
  vector.print %z2#1 : f64
  return
}
