// Fuzzing seeds: buffers, loops and control flow.
func.func @memref_ops(%n: index, %x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %a = memref.alloc(%n) : memref<?xf64>
  scf.for %i = %c0 to %n step %c1 {
    %f = arith.index_cast %i : index to i64
    %g = arith.sitofp %f : i64 to f64
    %h = arith.mulf %g, %x : f64
    memref.store %h, %a[%i] : memref<?xf64>
  }
  %sub = memref.subview %a[1] [2] [1] : memref<?xf64> to memref<2xf64, strided<[1], offset: 1>>
  %b = memref.alloca() : memref<2xf64>
  memref.copy %sub, %b : memref<2xf64, strided<[1], offset: 1>> to memref<2xf64>
  %v = memref.load %b[%c1] : memref<2xf64>
  %cast = memref.cast %b : memref<2xf64> to memref<?xf64>
  %d = memref.dim %cast, %c0 : memref<?xf64>
  memref.dealloc %a : memref<?xf64>
  %r:2 = scf.while (%acc = %v, %k = %d) : (f64, index) -> (f64, index) {
    %more = arith.cmpi sgt, %k, %c0 : index
    scf.condition(%more) %acc, %k : f64, index
  } do {
  ^bb0(%acc: f64, %k: index):
    %next = arith.mulf %acc, %x : f64
    %km = arith.subi %k, %c1 : index
    scf.yield %next, %km : f64, index
  }
  return %r#0 : f64
}

// -----

func.func @control(%x: f64, %n: i64) -> f64 {
  %zero = arith.constant 0 : i64
  %neg = arith.cmpi slt, %n, %zero : i64
  %r = scf.if %neg -> f64 {
    %y = math.sin %x : f64
    scf.yield %y : f64
  } else {
    %idx = arith.index_cast %n : i64 to index
    %s = scf.index_switch %idx -> f64
    case 1 {
      %c = math.cos %x : f64
      scf.yield %c : f64
    }
    default {
      %p = math.powf %x, %x : f64
      scf.yield %p : f64
    }
    scf.yield %s : f64
  }
  cf.br ^bb1(%r : f64)
^bb1(%v: f64):
  %big = arith.constant 1.0e10 : f64
  %ok = arith.cmpf olt, %v, %big : f64
  cf.cond_br %ok, ^bb2, ^bb3
^bb2:
  return %v : f64
^bb3:
  %t = math.tanh %v : f64
  return %t : f64
}
func.func @grad_control(%x: f64, %n: i64, %s: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @control(%x, %n, %s) args [active, const] results [active] : (f64, i64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
