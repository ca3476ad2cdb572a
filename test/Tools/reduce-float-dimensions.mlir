// linalg.reduce with a float in `dimensions`: after its error, MLIR's parser
// stores the null attribute it got and asserts ("attributes may never be
// null"); linalg.broadcast and linalg.transpose share the parser. dp-opt
// checks these integer lists before parsing.
// RUN: not dp-opt %s 2>&1 | FileCheck %s

// CHECK: reduce-float-dimensions.mlir:[[# @LINE + 2]]:77: error: 'linalg.reduce' needs `dimensions = [...]` with integers only: after any other spelling, MLIR's parser of this op asserts
func.func @reduce(%in: tensor<4x8xf32>, %init: tensor<4xf32>) -> tensor<4xf32> {
  %r = linalg.reduce ins(%in : tensor<4x8xf32>) outs(%init : tensor<4xf32>) dimensions = [1.0]
    (%a: f32, %b: f32) {
      %s = arith.addf %a, %b : f32
      linalg.yield %s : f32
    }
  return %r : tensor<4xf32>
}

// The list on a line of its own, and the short form.
// CHECK: reduce-float-dimensions.mlir:[[# @LINE + 3]]:5: error: 'linalg.reduce' needs `dimensions = [...]`
func.func @next_line(%in: tensor<4x8xf32>, %init: tensor<4xf32>) -> tensor<4xf32> {
  %r = linalg.reduce ins(%in : tensor<4x8xf32>) outs(%init : tensor<4xf32>)
    dimensions = [1,]
    (%a: f32, %b: f32) {
      %s = arith.addf %a, %b : f32
      linalg.yield %s : f32
    }
  return %r : tensor<4xf32>
}
// CHECK: reduce-float-dimensions.mlir:[[# @LINE + 2]]:92: error: 'linalg.reduce' needs `dimensions = [...]`
func.func @short(%in: tensor<4x8xf32>, %init: tensor<4xf32>) -> tensor<4xf32> {
  %r = linalg.reduce { arith.addf } ins(%in : tensor<4x8xf32>) outs(%init : tensor<4xf32>) dimensions = [one]
  return %r : tensor<4xf32>
}

// CHECK: reduce-float-dimensions.mlir:[[# @LINE + 2]]:80: error: 'linalg.broadcast' needs `dimensions = [...]`
func.func @broadcast(%in: tensor<4xf32>, %init: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %r = linalg.broadcast ins(%in : tensor<4xf32>) outs(%init : tensor<4x8xf32>) dimensions = 1
  return %r : tensor<4x8xf32>
}

// CHECK: reduce-float-dimensions.mlir:[[# @LINE + 2]]:82: error: 'linalg.transpose' needs `permutation = [...]`
func.func @transpose(%in: tensor<4x8xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %r = linalg.transpose ins(%in : tensor<4x8xf32>) outs(%init : tensor<8x4xf32>) permutation = [1, 0.5]
  return %r : tensor<8x4xf32>
}

// Integer lists, and `dimensions` of other ops, are left to the parser.
// CHECK-NOT: error
func.func @fine(%in: tensor<4x8xf32>, %init: tensor<4xf32>) -> tensor<4xf32> {
  %r = linalg.reduce ins(%in : tensor<4x8xf32>) outs(%init : tensor<4xf32>) dimensions = [ 1 ]
    (%a: f32, %b: f32) {
      %s = arith.addf %a, %b : f32
      linalg.yield %s : f32
    }
  %e = "test.op"() {dimensions = [1.0]} : () -> i32
  return %r : tensor<4xf32>
}
