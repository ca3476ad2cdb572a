// RUN: dp-opt %s --dp-export-stablehlo -split-input-file -verify-diagnostics

func.func private @host(f64) -> f64

func.func @calls_host(%x: f64) -> f64 {
  // expected-error @+1 {{'func.call' op cannot be exported to StableHLO: it calls a function without a body}}
  %r = func.call @host(%x) : (f64) -> f64
  return %r : f64
}

// -----

func.func @while_tape(%x: f64) -> f64 {
  %t = dp.tape.init : !dp.tape
  // expected-error @+1 {{'scf.while' op cannot be exported to StableHLO: a while loop with a data-dependent trip count}}
  %r = scf.while (%a = %x) : (f64) -> f64 {
    %zero = arith.constant 0.0 : f64
    %c = arith.cmpf ogt, %a, %zero : f64
    scf.condition(%c) %a : f64
  } do {
  ^bb0(%a: f64):
    dp.tape.push %t, %a : !dp.tape, f64
    %one = arith.constant 1.0 : f64
    %n = arith.subf %a, %one : f64
    scf.yield %n : f64
  }
  dp.tape.free %t : !dp.tape
  return %r : f64
}

// -----

func.func @dynamic_loop_tape(%x: f64, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = dp.tape.init : !dp.tape
  // expected-error @+1 {{'scf.for' op cannot be exported to StableHLO: its trip count is not bounded at compile time}}
  scf.for %i = %c0 to %n step %c1 {
    dp.tape.push %t, %x : !dp.tape, f64
  }
  dp.tape.free %t : !dp.tape
  return %x : f64
}

// -----

func.func @f(%x: f64) -> f64 {
  return %x : f64
}

func.func @request(%x: f64, %s: f64) -> f64 {
  // expected-error @+1 {{cannot be exported to StableHLO before dp-autodiff has built the derivative}}
  %g:2 = dp.autodiff @f(%x, %s) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %g#1 : f64
}

// -----

// expected-error @+1 {{'func.func' op cannot be exported to StableHLO: its signature has type 'tensor<?xf64>', which has no StableHLO form}}
func.func @dynamic(%x: tensor<?xf64>) -> tensor<?xf64> {
  %e = math.exp %x : tensor<?xf64>
  return %e : tensor<?xf64>
}

// -----

// Code already bufferized (and its matrix products turned into BLAS calls)
// is past what StableHLO expresses.
func.func private @cblas_dgemm(i32, i32, i32, i64, i64, i64, f64, memref<?xf64>, i64, memref<?xf64>, i64, f64, memref<?xf64>, i64)

// expected-error @+1 {{'func.func' op cannot be exported to StableHLO: its signature has type 'memref<4xf64>', which has no StableHLO form}}
func.func @lowered(%a: memref<4xf64>) -> f64 {
  %c0 = arith.constant 0 : index
  %v = memref.load %a[%c0] : memref<4xf64>
  return %v : f64
}

// -----

func.func @buffer(%x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{'memref.alloca' op cannot be exported to StableHLO: it works on a buffer, which StableHLO does not have}}
  %a = memref.alloca() : memref<4xf64>
  memref.store %x, %a[%c0] : memref<4xf64>
  %v = memref.load %a[%c0] : memref<4xf64>
  return %v : f64
}

// -----

func.func @prints(%x: f64) -> f64 {
  // expected-error @+1 {{'vector.print' op cannot be exported to StableHLO}}
  vector.print %x : f64
  return %x : f64
}
