// An n-D vector with huge leading dimensions: the LLVM lowering unrolls it
// into one op per leading index (13 GB in 90 s for this input). dp-opt's
// dp-check-input step, and the one dp-lower-to-cpu runs itself, refuse it.
// RUN: not dp-opt %s --dp-lower-to-cpu 2>&1 | FileCheck %s
// RUN: not dp-opt %s --convert-to-llvm 2>&1 | FileCheck %s
// RUN: not dp-opt %s --dp-max-vector-elements=0 --dp-lower-to-cpu 2>&1 | FileCheck %s
// RUN: dp-opt %S/Inputs/vector-at-limit.mlir --dp-lower-to-cpu | FileCheck %s --check-prefix=LIMIT

// CHECK: vector-unroll.mlir:[[# @LINE + 3]]:8: error: 'vector.broadcast' op result #0: type 'vector<100000000x4xf32>' has 400000000 elements, more than the 65536 that the LLVM lowering may unroll (max-vector-elements)
// CHECK-NOT: error:
func.func @unroll(%x: f32) -> vector<100000000x4xf32> {
  %v = vector.broadcast %x : f32 to vector<100000000x4xf32>
  return %v : vector<100000000x4xf32>
}
// LIMIT-LABEL: llvm.func @at_limit
