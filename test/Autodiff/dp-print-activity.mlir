// RUN: dp-opt %s --split-input-file --dp-print-activity --verify-diagnostics

// Active = depends on an active argument (varied) and an active result
// depends on it (useful). exp(x) is varied but unused; cos(c) is useful but
// not varied; stop_gradient and floor cut the dependence.

// expected-remark @+1 {{arguments: [active, const, const]}}
func.func private @f(%x: f64, %c: f64, %n: i64) -> (f64, f64) {
  // expected-remark @+1 {{results: [active]}}
  %s = math.sin %x : f64
  // expected-remark @+1 {{results: [const]}}
  %k = math.cos %c : f64
  // expected-remark @+1 {{results: [active]}}
  %p = arith.mulf %s, %k : f64
  // expected-remark @+1 {{results: [const]}}
  %unused = math.exp %x : f64
  // expected-remark @+1 {{results: [const]}}
  %stop = dp.stop_gradient %s : f64
  // expected-remark @+1 {{results: [const]}}
  %fl = math.floor %x : f64
  // expected-remark @+1 {{results: [const]}}
  %q = arith.addf %stop, %fl : f64
  return %p, %q : f64, f64
}

func.func @request(%x: f64, %c: f64, %n: i64, %s: f64) -> f64 {
  %r:3 = dp.autodiff @f(%x, %c, %n, %s) args [active, const, const] results [active, const] : (f64, f64, i64, f64) -> (f64, f64, f64)
  return %r#2 : f64
}

// -----

// Loop-carried values: the accumulator becomes active through the loop; the
// counter (an integer) never is; a float carried along but never reaching
// the result is not useful.

// expected-remark @+1 {{arguments: [active, const]}}
func.func private @loop(%x: f64, %n: i64) -> f64 {
  // expected-remark @+1 {{results: [const]}}
  %one = arith.constant 1.0 : f64
  // expected-remark @+1 {{results: [const]}}
  %c0 = arith.constant 0 : i64
  // expected-remark @+1 {{results: [const]}}
  %c1 = arith.constant 1 : i64
  // expected-remark @+1 {{results: [active, const, const], region arguments: [active, const, const], region arguments: [active, const, const]}}
  %r:3 = scf.while (%acc = %one, %k = %n, %junk = %x) : (f64, i64, f64) -> (f64, i64, f64) {
    // expected-remark @+1 {{results: [const]}}
    %more = arith.cmpi sgt, %k, %c0 : i64
    scf.condition(%more) %acc, %k, %junk : f64, i64, f64
  } do {
  ^bb0(%a: f64, %k2: i64, %j: f64):
    // expected-remark @+1 {{results: [active]}}
    %a2 = arith.mulf %a, %x : f64
    // expected-remark @+1 {{results: [const]}}
    %j2 = math.sin %j : f64
    // expected-remark @+1 {{results: [const]}}
    %k3 = arith.subi %k2, %c1 : i64
    scf.yield %a2, %k3, %j2 : f64, i64, f64
  }
  return %r#0 : f64
}

func.func @request_loop(%x: f64, %n: i64, %s: f64) -> f64 {
  %r, %dx = dp.autodiff @loop(%x, %n, %s) args [active, const] results [active] : (f64, i64, f64) -> (f64, f64)
  return %dx : f64
}

// -----

// Buffers: a dup argument and a local buffer a varied value is stored into
// are shadowed, and so are their views; a const argument is not, and what
// is loaded from it is const.
// expected-remark @+1 {{arguments: [shadowed, const]}}
func.func private @buffers(%a: memref<4xf64>, %w: memref<4xf64>) -> f64 {
  // expected-remark @+1 {{results: [const]}}
  %c0 = arith.constant 0 : index
  // expected-remark @+1 {{results: [shadowed]}}
  %view = memref.subview %a[1] [2] [1] : memref<4xf64> to memref<2xf64, strided<[1], offset: 1>>
  // expected-remark @+1 {{results: [active]}}
  %v = memref.load %view[%c0] : memref<2xf64, strided<[1], offset: 1>>
  // expected-remark @+1 {{results: [const]}}
  %u = memref.load %w[%c0] : memref<4xf64>
  // expected-remark @+1 {{results: [shadowed]}}
  %t = memref.alloca() : memref<f64>
  // expected-remark @+1 {{results: [active]}}
  %p = arith.mulf %v, %u : f64
  memref.store %p, %t[] : memref<f64>
  // expected-remark @+1 {{results: [active]}}
  %r = memref.load %t[] : memref<f64>
  return %r : f64
}

func.func @request_buffers(%a: memref<4xf64>, %da: memref<4xf64>, %w: memref<4xf64>, %s: f64) {
  dp.autodiff @buffers(%a, %da, %w, %s) args [dup, const] results [activenoneed] : (memref<4xf64>, memref<4xf64>, memref<4xf64>, f64) -> ()
  return
}
