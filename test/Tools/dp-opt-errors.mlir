// Bad input is a diagnostic and a non-zero exit, never a crash.
// RUN: not dp-opt %s --split-input-file 2>&1 | FileCheck %s
// RUN: not dp-opt %S/Inputs/valid.mlir --no-such-pass 2>&1 | FileCheck %s --check-prefix=FLAG
// RUN: not dp-opt %S/Inputs/valid.mlir --pass-pipeline="builtin.module(no-such-pass)" 2>&1 | FileCheck %s --check-prefix=PIPELINE
// RUN: not dp-opt %S/does-not-exist.mlir 2>&1 | FileCheck %s --check-prefix=MISSING

// FLAG: Unknown command line argument '--no-such-pass'
// PIPELINE: 'no-such-pass' does not refer to a registered pass or pass pipeline
// MISSING: cannot open input file '{{.*}}does-not-exist.mlir': No such file or directory

// CHECK: error: expected operation name in quotes
func.func @syntax(%x: f64) -> f64 {
  %y = arith.addf %x, %x : f64 }}
}

// -----

// CHECK: error: custom op 'dp.no_such_op' is unknown
func.func @unknown_op(%x: f64) {
  dp.no_such_op %x : f64
  return
}

// -----

// CHECK: error: 'dp.autodiff' op callee @absent does not reference a symbol
func.func @verifier(%x: f64, %s: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @absent(%x, %s) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
