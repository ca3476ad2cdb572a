// RUN: dp-opt %s --dp-autodiff | FileCheck %s
// RUN: dp-opt %s --dp-autodiff | FileCheck %s --check-prefix=DROPPED
// Calls of functions with custom derivative rules: dp.custom_vjp (the rule's
// forward function runs, its residuals are cached, its backward function
// gives the gradients), dp.custom_jvp (forward mode calls the rule, reverse
// mode transposes it), dp.checkpoint (only the arguments are cached; the
// reverse sweep runs the function again on a tape of its own).

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
  %a = func.call @ident(%x) {no_inline} : (f64) -> f64
  %b = arith.mulf %a, %x : f64
  %c = func.call @mysin(%b) {no_inline} : (f64) -> f64
  %d = func.call @heavy(%c) {no_inline} : (f64) -> f64
  return %d : f64
}

func.func @grad_use(%x: f64, %s: f64) -> f64 {
  %r, %dx = dp.autodiff @use(%x, %s) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %dx : f64
}
func.func @jvp_mysin(%x: f64, %dx: f64) -> f64 {
  %r, %t = dp.fwddiff @mysin(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %t : f64
}

// The rules are dropped once applied (later passes do not know them), and
// the calls they kept from the inliner may be inlined again.
// DROPPED-LABEL: func.func private @ident(%{{[^)]*}}) -> f64 {
// DROPPED-LABEL: func.func private @use(
// DROPPED-NOT: no_inline
// DROPPED: return
// A request on a function with rules differentiates a call of it.
// CHECK-LABEL: func.func private @__dp_call_mysin(
// CHECK-NEXT: call @mysin(
// CHECK-LABEL: func.func private @__dp_fwd___dp_call_mysin_d_d(
// CHECK-SAME: %[[X:.*]]: f64, %[[DX:.*]]: f64)
// CHECK-NEXT: call @mysin_jvp(%[[X]], %[[DX]])
// The JVP rule's reverse in its tangent, at a zero tangent.
// CHECK-LABEL: func.func private @__dp_aug_mysin_jvp_ca_ca(
// CHECK-LABEL: func.func private @__dp_rev_mysin_jvp_ca_ca(
// CHECK-LABEL: func.func private @__dp_aug_use_a_a(
// CHECK-SAME: %[[X:.*]]: f64, %[[T:.*]]: !dp.tape)
// CHECK-NEXT: %[[F:.*]]:2 = call @ident_fwd(%[[X]]) : (f64) -> (f64, f64)
// CHECK-NEXT: %[[B:.*]] = arith.mulf %[[F]]#0, %[[X]]
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.0
// CHECK-NEXT: %[[S:.*]]:2 = call @__dp_aug_mysin_jvp_ca_ca(%[[B]], %[[ZERO]], %[[T]])
// CHECK-NEXT: call @heavy(%[[S]]#0) : (f64) -> f64
// CHECK: dp.tape.push %[[T]], %[[F]]#1 : !dp.tape, f64
// CHECK-NEXT: return
// CHECK-LABEL: func.func private @__dp_rev_use_a_a(
// CHECK-SAME: %[[T:.*]]: !dp.tape, %[[SEED:.*]]: f64)
// CHECK-NEXT: %[[RES:.*]] = dp.tape.pop %[[T]] : !dp.tape -> f64
// CHECK-NEXT: dp.tape.pop %[[T]] : !dp.tape -> f64
// CHECK-NEXT: dp.tape.pop %[[T]] : !dp.tape -> f64
// CHECK-NEXT: %[[C:.*]] = dp.tape.pop %[[T]] : !dp.tape -> f64
// CHECK-NEXT: %[[LOCAL:.*]] = dp.tape.init : !dp.tape
// CHECK-NEXT: call @__dp_aug_heavy_a_a(%[[C]], %[[LOCAL]])
// CHECK-NEXT: %[[DC:.*]] = call @__dp_rev_heavy_a_a(%[[LOCAL]], %[[SEED]])
// CHECK-NEXT: dp.tape.free %[[LOCAL]]
// CHECK-NEXT: %[[DB:.*]] = call @__dp_rev_mysin_jvp_ca_ca(%[[T]], %[[DC]])
// CHECK: %[[DA:.*]] = arith.mulf %{{.*}}, %[[DB]]
// CHECK: call @ident_bwd(%[[RES]], %[[DA]]) : (f64, f64) -> f64

// A rule runs wherever a varied value reaches it, even where no derivative
// flows out (its forward function may compute something else, as JAX's
// tracing would run it): here the rule's output only feeds an integer.
func.func private @level(%x: f64) -> f64 attributes {dp.custom_vjp = {fwd = @level_fwd, bwd = @level_bwd}} {
  %z = arith.constant 0.0 : f64
  return %z : f64
}
func.func private @level_fwd(%x: f64) -> f64 {
  %one = arith.constant 1.0 : f64
  return %one : f64
}
func.func private @level_bwd(%ct: f64) -> f64 {
  %z = arith.constant 0.0 : f64
  return %z : f64
}
func.func private @prints_level(%x: f64) -> f64 {
  %l = func.call @level(%x) : (f64) -> f64
  %i = arith.fptosi %l : f64 to i64
  vector.print %i : i64
  return %x : f64
}
func.func @grad_prints_level(%x: f64, %s: f64) -> f64 {
  %d = dp.autodiff @prints_level(%x, %s) args [active] results [activenoneed] : (f64, f64) -> f64
  return %d : f64
}
// CHECK-LABEL: func.func private @__dp_aug_prints_level_a_a(
// CHECK-NEXT: %[[L:.*]] = call @level_fwd(
// CHECK-NEXT: arith.fptosi %[[L]]
