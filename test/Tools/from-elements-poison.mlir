// tensor.from_elements of ub.poison: its folder asserts (a cast to
// IntegerAttr), reached by --canonicalize and by both dp pipelines. The
// dp-check-input step that dp-opt and the pipelines run first refuses it.
// RUN: not dp-opt %s --canonicalize 2>&1 | FileCheck %s
// RUN: not dp-opt %s --dp-differentiate 2>&1 | FileCheck %s
// RUN: not dp-opt %s --dp-lower-to-cpu 2>&1 | FileCheck %s
// The pipelines check on their own (the Python runtime runs them in-process).
// RUN: not mlir-opt %s --load-dialect-plugin=%dp_plugin --load-pass-plugin=%dp_plugin --pass-pipeline="builtin.module(dp-differentiate)" 2>&1 | FileCheck %s
// RUN: not mlir-opt %s --load-dialect-plugin=%dp_plugin --load-pass-plugin=%dp_plugin --pass-pipeline="builtin.module(dp-lower-to-cpu)" 2>&1 | FileCheck %s
// A poison that canonicalization makes itself still crashes: crash-recovery.mlir.

// CHECK: from-elements-poison.mlir:[[# @LINE + 3]]:8: error: 'tensor.from_elements' op element #1 is ub.poison, on which the upstream folder of tensor.from_elements asserts; use a defined value
func.func @poison(%x: f32) -> tensor<2xf32> {
  %p = ub.poison : f32
  %t = tensor.from_elements %x, %p : tensor<2xf32>
  return %t : tensor<2xf32>
}
