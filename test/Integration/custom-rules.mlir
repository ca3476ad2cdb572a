// Custom rules through the CPU pipeline, with calls the inliner would
// otherwise dissolve (dp-keep-rule-calls keeps them). At x = 0.7:
// use(x) = heavy(mysin(ident(x) * x)), with ident's rule halving the
// cotangent and multiplying it by x; the gradient is 1.96316 (the true
// derivative without the rule would differ). sin's JVP rule gives cos(0.7).
// RUN: dp-opt %s --dp-lower-to-cpu \
// RUN:   | mlir-runner -e main -entry-point-result=void --shared-libs=%mlir_runner_utils \
// RUN:   | FileCheck %s

// A clipped gradient: the primal is the identity, the rule halves the cotangent.
func.func private @ident(%x: f64) -> f64 attributes {dp.custom_vjp = {fwd = @ident_fwd, bwd = @ident_bwd}} {
  return %x : f64
}
func.func private @ident_fwd(%x: f64) -> (f64, f64) {
  return %x, %x : f64, f64
}
func.func private @ident_bwd(%r: f64, %ct: f64) -> f64 {
  %h = arith.constant 0.5 : f64
  %g = arith.mulf %ct, %h : f64
  %g2 = arith.mulf %g, %r : f64
  return %g2 : f64
}
// sin with its JVP rule written out.
func.func private @mysin(%x: f64) -> f64 attributes {dp.custom_jvp = @mysin_jvp} {
  %y = math.sin %x : f64
  return %y : f64
}
func.func private @mysin_jvp(%x: f64, %dx: f64) -> (f64, f64) {
  %y = math.sin %x : f64
  %c = math.cos %x : f64
  %t = arith.mulf %c, %dx : f64
  return %y, %t : f64, f64
}
func.func private @heavy(%x: f64) -> f64 attributes {dp.checkpoint} {
  %a = math.exp %x : f64
  %b = arith.mulf %a, %x : f64
  return %b : f64
}
func.func private @use(%x: f64) -> f64 {
  %a = func.call @ident(%x) : (f64) -> f64
  %b = arith.mulf %a, %x : f64
  %c = func.call @mysin(%b) : (f64) -> f64
  %d = func.call @heavy(%c) : (f64) -> f64
  return %d : f64
}
func.func @main() {
  %x = arith.constant 0.7 : f64
  %one = arith.constant 1.0 : f64
  // CHECK: 1.96316
  %r, %dx = dp.autodiff @use(%x, %one) args [active] results [active] : (f64, f64) -> (f64, f64)
  vector.print %dx : f64
  // CHECK-NEXT: 0.764842
  %f, %t = dp.fwddiff @mysin(%x, %one) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  vector.print %t : f64
  // CHECK-NEXT: 0.764842
  %r2, %d2 = dp.autodiff @mysin(%x, %one) args [active] results [active] : (f64, f64) -> (f64, f64)
  vector.print %d2 : f64
  return
}
