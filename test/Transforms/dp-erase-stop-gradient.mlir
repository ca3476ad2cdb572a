// RUN: dp-opt %s --dp-erase-stop-gradient | FileCheck %s

// CHECK-LABEL: func.func @forwards_operand
// CHECK-SAME: (%[[X:.*]]: f64)
func.func @forwards_operand(%x: f64) -> f64 {
  // CHECK-NOT: dp.stop_gradient
  // CHECK: %[[Y:.*]] = arith.mulf %[[X]], %[[X]] : f64
  // CHECK: return %[[Y]] : f64
  %s = dp.stop_gradient %x : f64
  %y = arith.mulf %s, %x : f64
  return %y : f64
}

// CHECK-LABEL: func.func @nested_regions
func.func @nested_regions(%x: tensor<4xf32>, %c: i1) -> tensor<4xf32> {
  // CHECK-NOT: dp.stop_gradient
  %r = scf.if %c -> tensor<4xf32> {
    %s = dp.stop_gradient %x : tensor<4xf32>
    scf.yield %s : tensor<4xf32>
  } else {
    scf.yield %x : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}
