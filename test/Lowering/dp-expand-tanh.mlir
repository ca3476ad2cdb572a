// RUN: dp-opt %s --dp-expand-tanh | FileCheck %s

// f64 tanh becomes x * P(x^2) (Horner's rule in fmas, 17 Taylor terms) for
// |x| < 1/2 and copysign(1 - 2 / (exp(2|x|) + 1), x) otherwise.
// CHECK-LABEL: func.func @tanh_f64
// CHECK-SAME: (%[[X:.*]]: f64)
// CHECK-NOT: math.tanh
// CHECK: %[[Z:.*]] = arith.mulf %[[X]], %[[X]] : f64
// CHECK-COUNT-16: math.fma %{{.*}}, %[[Z]], %{{.*}} : f64
// CHECK: %[[SMALL:.*]] = arith.mulf %[[X]], %{{.*}} : f64
// CHECK: %[[ABS:.*]] = math.absf %[[X]] : f64
// CHECK: %[[TWICE:.*]] = arith.addf %[[ABS]], %[[ABS]] : f64
// CHECK: %[[EXP:.*]] = math.exp %[[TWICE]] : f64
// CHECK: %[[DEN:.*]] = arith.addf %[[EXP]], %{{.*}} : f64
// CHECK: %[[RATIO:.*]] = arith.divf %{{.*}}, %[[DEN]] : f64
// CHECK: %[[ONE_MINUS:.*]] = arith.subf %{{.*}}, %[[RATIO]] : f64
// CHECK: %[[LARGE:.*]] = math.copysign %[[ONE_MINUS]], %[[X]] : f64
// CHECK: %[[IS_SMALL:.*]] = arith.cmpf olt, %[[ABS]], %{{.*}} : f64
// CHECK: %[[R:.*]] = arith.select %[[IS_SMALL]], %[[SMALL]], %[[LARGE]] : f64
// CHECK-NOT: math.tanh
// CHECK: return %[[R]]
func.func @tanh_f64(%x: f64) -> f64 {
  %r = math.tanh %x : f64
  return %r : f64
}

// f32 keeps math.tanh.
// CHECK-LABEL: func.func @tanh_f32
// CHECK: math.tanh %{{.*}} : f32
func.func @tanh_f32(%x: f32) -> f32 {
  %r = math.tanh %x : f32
  return %r : f32
}
