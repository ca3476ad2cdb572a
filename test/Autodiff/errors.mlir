// RUN: dp-opt %s --split-input-file --allow-unregistered-dialect --dp-autodiff --verify-diagnostics

// An op with no derivative rule on an active value.
func.func private @unknown(%x: f64) -> f64 {
  // expected-error @+1 {{cannot differentiate 'test.unknown': no derivative rule}}
  %y = "test.unknown"(%x) : (f64) -> f64
  return %y : f64
}

func.func @grad_unknown(%x: f64, %s: f64) -> f64 {
  // expected-remark @+1 {{while differentiating @unknown in reverse mode}}
  %r, %dx = dp.autodiff @unknown(%x, %s) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %dx : f64
}

// -----

func.func private @unknown(%x: f64) -> f64 {
  // expected-error @+1 {{cannot differentiate 'test.unknown': no derivative rule}}
  %y = "test.unknown"(%x) : (f64) -> f64
  return %y : f64
}

func.func @jvp_unknown(%x: f64, %dx: f64) -> f64 {
  // expected-remark @+1 {{while differentiating @unknown in forward mode}}
  %r, %t = dp.fwddiff @unknown(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %t : f64
}

// -----

// An op without a rule is fine where nothing active flows through it.
// No expected-error here: this case must produce no diagnostic.
func.func private @inactive_unknown(%x: f64, %c: f64) -> f64 {
  %y = "test.unknown"(%c) : (f64) -> f64
  %z = arith.mulf %x, %y : f64
  return %z : f64
}

func.func @grad_inactive_unknown(%x: f64, %c: f64, %s: f64) -> f64 {
  %r, %dx = dp.autodiff @inactive_unknown(%x, %c, %s) args [active, const] results [active] : (f64, f64, f64) -> (f64, f64)
  return %dx : f64
}

// -----

// A call of a function without a body.
func.func private @external(%x: f64) -> f64

func.func private @calls_external(%x: f64) -> f64 {
  // expected-error @+1 {{cannot differentiate 'func.call': the callee @external has no body to differentiate}}
  %y = func.call @external(%x) : (f64) -> f64
  return %y : f64
}

func.func @grad_external(%x: f64, %s: f64) -> f64 {
  // expected-remark @+1 {{while differentiating @calls_external in reverse mode}}
  %r, %dx = dp.autodiff @calls_external(%x, %s) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %dx : f64
}

// -----

// An active value stored into a buffer that has no shadow: a 'const'
// argument.
func.func private @into_const_buffer(%x: f64, %m: memref<f64>) -> f64 {
  // expected-error @+1 {{cannot differentiate 'memref.store': a differentiated value would be stored into a buffer that has no shadow (a 'const' argument, a global, ...)}}
  memref.store %x, %m[] : memref<f64>
  %y = memref.load %m[] : memref<f64>
  return %y : f64
}

func.func @grad_into_const_buffer(%x: f64, %m: memref<f64>, %s: f64) -> f64 {
  // expected-remark @+1 {{while differentiating @into_const_buffer in reverse mode}}
  %r, %dx = dp.autodiff @into_const_buffer(%x, %m, %s) args [active, const] results [active] : (f64, memref<f64>, f64) -> (f64, f64)
  return %dx : f64
}

// -----

// The same into a global, nested in a loop that is itself inactive.
memref.global "private" @cell : memref<f64> = dense<0.0>

func.func private @memory_in_loop(%x: f64, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = memref.get_global @cell : memref<f64>
  scf.for %i = %c0 to %n step %c1 {
    // expected-error @+1 {{cannot differentiate 'memref.store': a differentiated value would be stored into a buffer that has no shadow}}
    memref.store %x, %m[] : memref<f64>
  }
  %y = memref.load %m[] : memref<f64>
  return %y : f64
}

func.func @jvp_memory_in_loop(%x: f64, %dx: f64, %n: index) -> f64 {
  // expected-remark @+1 {{while differentiating @memory_in_loop in forward mode}}
  %r, %t = dp.fwddiff @memory_in_loop(%x, %dx, %n) args [dup, const] results [dup] : (f64, f64, index) -> (f64, f64)
  return %t : f64
}

// -----

// A region op whose control flow the analysis does not model.
func.func private @generic(%x: f64, %a: tensor<4xf64>) -> tensor<4xf64> {
  %e = tensor.empty() : tensor<4xf64>
  // expected-error @+1 {{cannot differentiate 'linalg.generic': no derivative rule}}
  %r = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]} ins(%a : tensor<4xf64>) outs(%e : tensor<4xf64>) {
  ^bb0(%in: f64, %out: f64):
    %p = arith.mulf %in, %x : f64
    linalg.yield %p : f64
  } -> tensor<4xf64>
  return %r : tensor<4xf64>
}

func.func @jvp_generic(%x: f64, %dx: f64, %a: tensor<4xf64>) -> tensor<4xf64> {
  // expected-remark @+1 {{while differentiating @generic in forward mode}}
  %r, %t = dp.fwddiff @generic(%x, %dx, %a) args [dup, const] results [dup] : (f64, f64, tensor<4xf64>) -> (tensor<4xf64>, tensor<4xf64>)
  return %t : tensor<4xf64>
}

// -----

// The reverse sweep needs a vector operand, which a tape cannot hold yet.
func.func private @vector_sin(%v: vector<4xf64>) -> vector<4xf64> {
  // expected-error @+1 {{cannot differentiate 'math.sin': its reverse needs a value of type 'vector<4xf64>', which cannot be stored on a tape yet}}
  %s = math.sin %v : vector<4xf64>
  return %s : vector<4xf64>
}

func.func @grad_vector_sin(%v: vector<4xf64>, %s: vector<4xf64>) -> vector<4xf64> {
  // expected-remark @+1 {{while differentiating @vector_sin in reverse mode}}
  %r, %dv = dp.autodiff @vector_sin(%v, %s) args [active] results [active] : (vector<4xf64>, vector<4xf64>) -> (vector<4xf64>, vector<4xf64>)
  return %dv : vector<4xf64>
}

// -----

// A shadowed buffer passed to a call: only loads, stores, views,
// allocations and deallocations of such buffers are differentiated.
func.func private @sum2(%a: memref<2xf64>) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %x = memref.load %a[%c0] : memref<2xf64>
  %y = memref.load %a[%c1] : memref<2xf64>
  %r = arith.addf %x, %y : f64
  return %r : f64
}

func.func private @calls_with_buffer(%a: memref<2xf64>) -> f64 {
  // expected-error @+1 {{cannot differentiate 'func.call': it uses a buffer whose elements carry derivatives, and only loads, stores, views, allocations and deallocations of such buffers can be differentiated}}
  %r = func.call @sum2(%a) : (memref<2xf64>) -> f64
  return %r : f64
}

func.func @grad_calls_with_buffer(%a: memref<2xf64>, %da: memref<2xf64>, %s: f64) {
  // expected-remark @+1 {{while differentiating @calls_with_buffer in reverse mode}}
  dp.autodiff @calls_with_buffer(%a, %da, %s) args [dup] results [activenoneed] : (memref<2xf64>, memref<2xf64>, f64) -> ()
  return
}

// -----

// A copy out of a dup buffer into a const one.
func.func private @copies(%a: memref<2xf64>, %b: memref<2xf64>) {
  // expected-error @+1 {{cannot differentiate 'memref.copy': a buffer whose elements carry derivatives would be copied into a buffer that has no shadow (a 'const' argument, a global, ...)}}
  memref.copy %a, %b : memref<2xf64> to memref<2xf64>
  return
}

func.func @jvp_copies(%a: memref<2xf64>, %da: memref<2xf64>, %b: memref<2xf64>) {
  // expected-remark @+1 {{while differentiating @copies in forward mode}}
  dp.fwddiff @copies(%a, %da, %b) args [dup, const] results [] : (memref<2xf64>, memref<2xf64>, memref<2xf64>) -> ()
  return
}

// -----

// A dup buffer read inside a region the analysis does not model.
func.func private @generate_from_buffer(%a: memref<4xf64>) -> tensor<4xf64> {
  // expected-error @+1 {{cannot differentiate 'tensor.generate': it uses a buffer whose elements carry derivatives}}
  %t = tensor.generate {
  ^bb0(%i: index):
    %v = memref.load %a[%i] : memref<4xf64>
    tensor.yield %v : f64
  } : tensor<4xf64>
  return %t : tensor<4xf64>
}

func.func @jvp_generate_from_buffer(%a: memref<4xf64>, %da: memref<4xf64>) -> tensor<4xf64> {
  // expected-remark @+1 {{while differentiating @generate_from_buffer in forward mode}}
  %t, %dt = dp.fwddiff @generate_from_buffer(%a, %da) args [dup] results [dup] : (memref<4xf64>, memref<4xf64>) -> (tensor<4xf64>, tensor<4xf64>)
  return %dt : tensor<4xf64>
}

// -----

// A local buffer that carries derivatives returned to the caller.
func.func private @returns_buffer(%x: f64) -> memref<f64> {
  %m = memref.alloc() : memref<f64>
  memref.store %x, %m[] : memref<f64>
  // expected-error @+1 {{cannot differentiate 'func.return': it uses a buffer whose elements carry derivatives}}
  return %m : memref<f64>
}

func.func @jvp_returns_buffer(%x: f64, %dx: f64) -> memref<f64> {
  // expected-remark @+1 {{while differentiating @returns_buffer in forward mode}}
  %r = dp.fwddiff @returns_buffer(%x, %dx) args [dup] results [const] : (f64, f64) -> memref<f64>
  return %r : memref<f64>
}

// -----

// The callee's reverse reads its buffer argument again, but the caller
// writes that buffer after the call.
func.func private @scaled(%w: memref<f64>, %x: f64) -> f64 {
  %v = memref.load %w[] : memref<f64>
  %r = arith.mulf %v, %x : f64
  return %r : f64
}

func.func private @calls_then_writes(%w: memref<f64>, %x: f64) -> f64 {
  // expected-error @+1 {{cannot differentiate 'func.call': it passes a buffer that is not a read-only argument of the caller to a function being differentiated}}
  %r = func.call @scaled(%w, %x) : (memref<f64>, f64) -> f64
  %zero = arith.constant 0.0 : f64
  memref.store %zero, %w[] : memref<f64>
  return %r : f64
}

func.func @grad_calls_then_writes(%w: memref<f64>, %x: f64, %s: f64) -> f64 {
  // expected-remark @+1 {{while differentiating @calls_then_writes in reverse mode}}
  %r, %dx = dp.autodiff @calls_then_writes(%w, %x, %s) args [const, active] results [active] : (memref<f64>, f64, f64) -> (f64, f64)
  return %dx : f64
}

// -----

// Tensors of dynamic shape: an active argument, and an active value made
// inside.
func.func private @dynamic_arg(%t: tensor<?xf64>) -> f64 {
  %c0 = arith.constant 0 : index
  %v = tensor.extract %t[%c0] : tensor<?xf64>
  return %v : f64
}

func.func @grad_dynamic_arg(%t: tensor<?xf64>, %s: f64) -> tensor<?xf64> {
  // expected-error @+1 {{cannot differentiate @dynamic_arg with respect to argument #0 of dynamic shape 'tensor<?xf64>'; derivatives need static shapes}}
  %dt = dp.autodiff @dynamic_arg(%t, %s) args [active] results [activenoneed] : (tensor<?xf64>, f64) -> tensor<?xf64>
  return %dt : tensor<?xf64>
}

// -----

func.func private @dynamic_inside(%x: f64, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{cannot differentiate 'tensor.splat': its result is a differentiated tensor of dynamic shape; derivatives need static shapes}}
  %t = tensor.splat %x[%n] : tensor<?xf64>
  %v = tensor.extract %t[%c0] : tensor<?xf64>
  return %v : f64
}

func.func @grad_dynamic_inside(%x: f64, %n: index, %s: f64) -> f64 {
  // expected-remark @+1 {{while differentiating @dynamic_inside in reverse mode}}
  %r, %dx = dp.autodiff @dynamic_inside(%x, %n, %s) args [active, const] results [active] : (f64, index, f64) -> (f64, f64)
  return %dx : f64
}

// -----

// A function that requests a derivative of itself has no finite
// derivative code: an error at the request, not a hang.
func.func private @self_grad(%x: f64) -> f64 {
  %one = arith.constant 1.0 : f64
  // expected-error @+2 {{cannot differentiate @self_grad: it requests a derivative of itself (through recursion), which has no finite derivative code}}
  // expected-note @+1 {{the inner request}}
  %dx = dp.autodiff @self_grad(%x, %one) args [active] results [activenoneed] : (f64, f64) -> f64
  return %dx : f64
}

// -----

// A pullback run twice on one tape reads the tape again after a rewind;
// reverse mode cannot differentiate that (the second reading's adjoints
// would go onto the shadow tape after the first's), so it is an error.
func.func private @square(%x: f64) -> f64 {
  %y = arith.mulf %x, %x : f64
  return %y : f64
}

func.func private @two_pullbacks(%x: f64) -> f64 {
  %one = arith.constant 1.0 : f64
  %two = arith.constant 2.0 : f64
  %y, %t = dp.augmented @square(%x) args [active] results [active] : (f64) -> (f64, !dp.tape)
  %g1 = dp.reverse @square(%t, %one) args [active] results [active] : (!dp.tape, f64) -> f64
  // expected-error @+1 {{cannot differentiate 'dp.tape.rewind': it reads a tape a second time (a pullback called more than once), which reverse mode cannot differentiate}}
  %g2 = dp.reverse @square(%t, %two) args [active] results [active] : (!dp.tape, f64) -> f64
  dp.tape.free %t : !dp.tape
  %s = arith.addf %g1, %g2 : f64
  return %s : f64
}

func.func @grad_two_pullbacks(%x: f64, %s: f64) -> f64 {
  // expected-remark @+1 {{while differentiating @two_pullbacks in reverse mode}}
  %d2 = dp.autodiff @two_pullbacks(%x, %s) args [active] results [activenoneed] : (f64, f64) -> f64
  return %d2 : f64
}

// -----

// A pure op whose operand carries a derivative and whose result cannot: the
// derivative would end silently (here a round trip through the bits).
func.func private @through_bits(%x: f64) -> f64 {
  // expected-error @+1 {{cannot differentiate 'arith.bitcast': its operands carry a derivative but its results cannot, and dp-autodiff has no rule for it}}
  %bits = arith.bitcast %x : f64 to i64
  %y = arith.bitcast %bits : i64 to f64
  return %y : f64
}

func.func @grad_through_bits(%x: f64, %s: f64) -> f64 {
  // expected-remark @+1 {{while differentiating @through_bits in reverse mode}}
  %dx = dp.autodiff @through_bits(%x, %s) args [active] results [activenoneed] : (f64, f64) -> f64
  return %dx : f64
}

// -----

// Complex numbers have no derivative rules yet: building one from an active
// float is an error, not a zero.
func.func private @through_complex(%x: f64) -> f64 {
  %zero = arith.constant 0.0 : f64
  // expected-error @+1 {{cannot differentiate 'complex.create': no derivative rule}}
  %z = complex.create %x, %zero : complex<f64>
  %y = complex.re %z : complex<f64>
  return %y : f64
}

func.func @jvp_through_complex(%x: f64, %dx: f64) -> f64 {
  // expected-remark @+1 {{while differentiating @through_complex in forward mode}}
  %v, %t = dp.fwddiff @through_complex(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %t : f64
}

// -----

// An indirect call has no callee to differentiate: an error, not a zero.
func.func private @square(%x: f64) -> f64 {
  %y = arith.mulf %x, %x : f64
  return %y : f64
}

func.func private @indirect(%x: f64) -> f64 {
  %f = func.constant @square : (f64) -> f64
  // expected-error @+1 {{cannot differentiate 'func.call_indirect': no derivative rule}}
  %y = func.call_indirect %f(%x) : (f64) -> f64
  return %y : f64
}

func.func @grad_indirect(%x: f64, %s: f64) -> f64 {
  // expected-remark @+1 {{while differentiating @indirect in reverse mode}}
  %dx = dp.autodiff @indirect(%x, %s) args [active] results [activenoneed] : (f64, f64) -> f64
  return %dx : f64
}

// -----

// An op of a dialect dp does not know, with no results, that consumes an
// active value: the derivative would vanish into it.
func.func private @sink(%x: f64) -> f64 {
  // expected-error @+1 {{cannot differentiate 'test.sink': a differentiated value would flow into memory or an effect the derivative cannot follow}}
  "test.sink"(%x) : (f64) -> ()
  %y = arith.mulf %x, %x : f64
  return %y : f64
}

func.func @grad_sink(%x: f64, %s: f64) -> f64 {
  // expected-remark @+1 {{while differentiating @sink in reverse mode}}
  %dx = dp.autodiff @sink(%x, %s) args [active] results [activenoneed] : (f64, f64) -> f64
  return %dx : f64
}

// -----

// A custom VJP rule has no forward mode (as in JAX): an error, not the
// derivative of the primal.
func.func private @ruled(%x: f64) -> f64 attributes {dp.custom_vjp = {fwd = @ruled_fwd, bwd = @ruled_bwd}} {
  return %x : f64
}
func.func private @ruled_fwd(%x: f64) -> (f64, f64) {
  return %x, %x : f64, f64
}
func.func private @ruled_bwd(%r: f64, %ct: f64) -> f64 {
  return %ct : f64
}
func.func private @calls_ruled(%x: f64) -> f64 {
  // expected-error @+1 {{cannot differentiate 'func.call': its callee @ruled has a custom VJP rule (dp.custom_vjp) and no JVP rule, so forward mode cannot differentiate it; give it a custom JVP rule (dp.custom_jvp) instead}}
  %y = func.call @ruled(%x) {no_inline} : (f64) -> f64
  return %y : f64
}
func.func @jvp_calls_ruled(%x: f64, %dx: f64) -> f64 {
  // expected-remark @+1 {{while differentiating @calls_ruled in forward mode}}
  %y, %t = dp.fwddiff @calls_ruled(%x, %dx) args [dup] results [dup] : (f64, f64) -> (f64, f64)
  return %t : f64
}

// -----

// A function declared with a custom rule that was never given: its
// derivative is an error with the frontend's message, not the primal's.
func.func private @unruled(%x: f64) -> f64 attributes {dp.missing_rule = "the dp.custom_vjp function unruled has no rule"} {
  return %x : f64
}
func.func private @calls_unruled(%x: f64) -> f64 {
  // expected-error @+1 {{cannot differentiate 'func.call': the dp.custom_vjp function unruled has no rule}}
  %y = func.call @unruled(%x) : (f64) -> f64
  return %y : f64
}
func.func @grad_calls_unruled(%x: f64, %s: f64) -> f64 {
  // expected-remark @+1 {{while differentiating @calls_unruled in reverse mode}}
  %d = dp.autodiff @calls_unruled(%x, %s) args [active] results [activenoneed] : (f64, f64) -> f64
  return %d : f64
}

// -----

// A custom rule's signature has no shadows: a buffer whose elements carry
// derivatives, passed to a function with a rule, is an error (as at any
// call), not a derivative lost.
func.func private @ruled_buffer(%x: memref<3xf64>) -> f64 attributes {dp.custom_jvp = @ruled_buffer_jvp} {
  %c0 = arith.constant 0 : index
  %v = memref.load %x[%c0] : memref<3xf64>
  return %v : f64
}
func.func private @ruled_buffer_jvp(%x: memref<3xf64>) -> (f64, f64) {
  %c0 = arith.constant 0 : index
  %v = memref.load %x[%c0] : memref<3xf64>
  return %v, %v : f64, f64
}
func.func private @calls_ruled_buffer(%x: memref<3xf64>) -> f64 {
  // expected-error @+1 {{cannot differentiate 'func.call': it uses a buffer whose elements carry derivatives, and only loads, stores, views, allocations and deallocations of such buffers can be differentiated}}
  %y = func.call @ruled_buffer(%x) : (memref<3xf64>) -> f64
  return %y : f64
}
func.func @jvp_calls_ruled_buffer(%x: memref<3xf64>, %dx: memref<3xf64>) -> f64 {
  // expected-remark @+1 {{while differentiating @calls_ruled_buffer in forward mode}}
  %y, %t = dp.fwddiff @calls_ruled_buffer(%x, %dx) args [dup] results [dup] : (memref<3xf64>, memref<3xf64>) -> (f64, f64)
  return %t : f64
}
