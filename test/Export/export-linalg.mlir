// RUN: dp-opt %s --dp-export-stablehlo | FileCheck %s

// A matrix product is one dot_general (not loops), added to its init.
// CHECK-LABEL: func.func @matmul
// CHECK: %[[D:.*]] = "stablehlo.dot_general"(%arg0, %arg1) {dot_dimension_numbers = #stablehlo.dot<lhs_batching_dimensions = [], rhs_batching_dimensions = [], lhs_contracting_dimensions = [1], rhs_contracting_dimensions = [0]>} : (tensor<3x4xf64>, tensor<4x5xf64>) -> tensor<3x5xf64>
// CHECK: "stablehlo.add"(%{{.*}}, %[[D]])
// CHECK-NOT: stablehlo.while
func.func @matmul(%a: tensor<3x4xf64>, %b: tensor<4x5xf64>) -> tensor<3x5xf64> {
  %zero = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<3x5xf64>
  %init = linalg.fill ins(%zero : f64) outs(%e : tensor<3x5xf64>) -> tensor<3x5xf64>
  %r = linalg.matmul ins(%a, %b : tensor<3x4xf64>, tensor<4x5xf64>) outs(%init : tensor<3x5xf64>) -> tensor<3x5xf64>
  return %r : tensor<3x5xf64>
}

// vecmat contracts the vector with the matrix's rows.
// CHECK-LABEL: func.func @vecmat
// CHECK: "stablehlo.dot_general"(%arg0, %arg1) {dot_dimension_numbers = #stablehlo.dot<lhs_batching_dimensions = [], rhs_batching_dimensions = [], lhs_contracting_dimensions = [0], rhs_contracting_dimensions = [0]>} : (tensor<3xf64>, tensor<3x4xf64>) -> tensor<4xf64>
func.func @vecmat(%v: tensor<3xf64>, %m: tensor<3x4xf64>, %init: tensor<4xf64>) -> tensor<4xf64> {
  %r = linalg.vecmat ins(%v, %m : tensor<3xf64>, tensor<3x4xf64>) outs(%init : tensor<4xf64>) -> tensor<4xf64>
  return %r : tensor<4xf64>
}

// A reduction is stablehlo.reduce from the combiner's identity; the init
// is combined after.
// CHECK-LABEL: func.func @reduce_max
// CHECK: "stablehlo.constant"() {value = dense<0xFFF0000000000000> : tensor<f64>}
// CHECK: %[[R:.*]] = "stablehlo.reduce"(%{{.*}}, %{{.*}}) ({
// CHECK: ^bb0(%[[A:.*]]: tensor<f64>, %[[B:.*]]: tensor<f64>):
// CHECK: %[[M:.*]] = "stablehlo.maximum"(%[[A]], %[[B]])
// CHECK: "stablehlo.return"(%[[M]])
// CHECK: }) {dimensions = array<i64: 1>} : (tensor<3x4xf64>, tensor<f64>) -> tensor<3xf64>
// CHECK: "stablehlo.maximum"(%arg1, %[[R]])
func.func @reduce_max(%x: tensor<3x4xf64>, %init: tensor<3xf64>) -> tensor<3xf64> {
  %r = linalg.reduce ins(%x : tensor<3x4xf64>) outs(%init : tensor<3xf64>) dimensions = [1]
    (%in: f64, %acc: f64) {
      %m = arith.maximumf %in, %acc : f64
      linalg.yield %m : f64
    }
  return %r : tensor<3xf64>
}

// Broadcasts and transposes.
// CHECK-LABEL: func.func @layout
// CHECK: "stablehlo.broadcast_in_dim"(%arg0) {broadcast_dimensions = array<i64: 1>} : (tensor<4xf64>) -> tensor<3x4xf64>
// CHECK: "stablehlo.transpose"(%{{.*}}) {permutation = array<i64: 1, 0>} : (tensor<3x4xf64>) -> tensor<4x3xf64>
func.func @layout(%v: tensor<4xf64>) -> tensor<4x3xf64> {
  %e = tensor.empty() : tensor<3x4xf64>
  %b = linalg.broadcast ins(%v : tensor<4xf64>) outs(%e : tensor<3x4xf64>) dimensions = [0]
  %e2 = tensor.empty() : tensor<4x3xf64>
  %t = linalg.transpose ins(%b : tensor<3x4xf64>) outs(%e2 : tensor<4x3xf64>) permutation = [1, 0]
  return %t : tensor<4x3xf64>
}
