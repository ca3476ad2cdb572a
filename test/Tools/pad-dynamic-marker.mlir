// Found by fuzzing: tensor.pad takes the literal -9223372036854775808 in
// `low`/`high` as a static padding, but it is MLIR's marker of a dynamic
// one (ShapedType::kDynamic); the printer then asserts reading an operand
// that does not exist. dp-check-input, which dp-opt runs before printing or
// any pipeline, refuses it.
// RUN: not dp-opt %s 2>&1 | FileCheck %s
// RUN: not dp-opt %s --canonicalize 2>&1 | FileCheck %s
// RUN: not dp-opt %s --dp-lower-to-cpu 2>&1 | FileCheck %s

// CHECK: pad-dynamic-marker.mlir:[[# @LINE + 3]]:8: error: 'tensor.pad' op has a static padding of -9223372036854775808, the value MLIR reserves for a dynamic one; upstream code then reads operands that do not exist
// CHECK-NOT: internal error
func.func @pad(%t: tensor<4xf32>, %z: f32) -> tensor<?xf32> {
  %p = tensor.pad %t low[1] high[-9223372036854775808] {
  ^bb0(%i: index):
    tensor.yield %z : f32
  } : tensor<4xf32> to tensor<?xf32>
  return %p : tensor<?xf32>
}
