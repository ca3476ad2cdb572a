// Found by fuzzing: a negative index in the reassociation of
// tensor.collapse_shape / tensor.expand_shape makes their verifier assert
// (AffineMap::get) while the file is parsed. dp-opt refuses it before.
// RUN: not dp-opt %s 2>&1 | FileCheck %s

// CHECK: reshape-negative-reassociation.mlir:[[# @LINE + 2]]:38: error: reassociation indices must not be negative: MLIR's verifier of tensor.collapse_shape and tensor.expand_shape asserts on them
func.func @collapse(%t: tensor<2x2xf64>) -> tensor<4xf64> {
  %c = tensor.collapse_shape %t [[0, -1]] : tensor<2x2xf64> into tensor<4xf64>
  return %c : tensor<4xf64>
}
// CHECK: reshape-negative-reassociation.mlir:[[# @LINE + 2]]:33: error: reassociation indices must not be negative
func.func @expand(%t: tensor<4xf64>) -> tensor<4x1xf64> {
  %c = tensor.expand_shape %t [[-1, 1]] output_shape [4, 1] : tensor<4xf64> into tensor<4x1xf64>
  return %c : tensor<4x1xf64>
}
// CHECK: reshape-negative-reassociation.mlir:[[# @LINE + 2]]:64: error: reassociation indices must not be negative
func.func @generic(%t: tensor<2x2xf64>) -> tensor<4xf64> {
  %c = "tensor.collapse_shape"(%t) <{reassociation = [[0, 1], [-2]]}> : (tensor<2x2xf64>) -> tensor<4xf64>
  return %c : tensor<4xf64>
}
// Other lists on the line (the output shape) are not reassociations.
// CHECK-NOT: error
func.func @fine(%t: tensor<4xf64>, %n: index) -> tensor<?x1xf64> {
  %c = tensor.expand_shape %t [[0, 1]] output_shape [%n, 1] : tensor<4xf64> into tensor<?x1xf64>
  %s = arith.constant -1 : index
  return %c : tensor<?x1xf64>
}
