// RUN: dp-opt %s --dp-export-stablehlo=entry=f | FileCheck %s

// Scalars become rank-0 tensors; elementwise ops their StableHLO op; the
// entry becomes the public @main.
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[X:.*]]: tensor<f64>, %[[Y:.*]]: tensor<f64>) -> tensor<f64>
// CHECK: %[[S:.*]] = "stablehlo.sine"(%[[X]]) : (tensor<f64>) -> tensor<f64>
// CHECK: %[[M:.*]] = "stablehlo.multiply"(%[[S]], %[[Y]])
// CHECK: %[[C:.*]] = "stablehlo.compare"(%[[X]], %[[Y]]) {compare_type = #stablehlo<comparison_type FLOAT>, comparison_direction = #stablehlo<comparison_direction GT>}
// CHECK: %[[R:.*]] = "stablehlo.select"(%[[C]], %[[M]], %[[X]])
// CHECK: %[[P:.*]] = "stablehlo.power"(%[[R]], %[[Y]])
// CHECK: return %[[P]] : tensor<f64>
func.func @f(%x: f64, %y: f64) -> f64 {
  %s = math.sin %x : f64
  %m = arith.mulf %s, %y : f64
  %c = arith.cmpf ogt, %x, %y : f64
  %r = arith.select %c, %m, %x : f64
  %p = math.powf %r, %y : f64
  return %p : f64
}

// Functions StableHLO lacks are composed: sinh from expm1.
// CHECK-LABEL: func.func private @sinh
// CHECK-COUNT-2: "stablehlo.exponential_minus_one"
// CHECK-NOT: chlo
func.func @sinh(%x: f64) -> f64 {
  %s = math.sinh %x : f64
  return %s : f64
}

// Unsigned integer comparisons flip the sign bit, then compare signed.
// CHECK-LABEL: func.func private @ult
// CHECK: "stablehlo.xor"
// CHECK: "stablehlo.compare"({{.*}}) {compare_type = #stablehlo<comparison_type SIGNED>, comparison_direction = #stablehlo<comparison_direction LT>}
func.func @ult(%a: i64, %b: i64) -> i1 {
  %c = arith.cmpi ult, %a, %b : i64
  return %c : i1
}
