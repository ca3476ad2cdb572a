// RUN: dp-opt %s --dp-math-to-libm | FileCheck %s

// CHECK-LABEL: func.func @inaccurate_or_missing_in_llvm
// CHECK-SAME: (%[[X:.*]]: f64, %[[Y:.*]]: f32)
func.func @inaccurate_or_missing_in_llvm(%x: f64, %y: f32) -> (f64, f64, f64, f32, f32, f64) {
  // CHECK: call @expm1(%[[X]]) : (f64) -> f64
  %a = math.expm1 %x : f64
  // CHECK: call @log1p(%[[X]]) : (f64) -> f64
  %b = math.log1p %x : f64
  // CHECK: call @atan2(%[[X]], %[[X]]) : (f64, f64) -> f64
  %c = math.atan2 %x, %x : f64
  // CHECK: call @erff(%[[Y]]) : (f32) -> f32
  %d = math.erf %y : f32
  // CHECK: call @cbrtf(%[[Y]]) : (f32) -> f32
  %e = math.cbrt %y : f32
  // Ops with an LLVM intrinsic stay math ops.
  // CHECK: math.sin %[[X]] : f64
  %f = math.sin %x : f64
  return %a, %b, %c, %d, %e, %f : f64, f64, f64, f32, f32, f64
}

// One declaration per function, private.
// CHECK-DAG: func.func private @expm1(f64) -> f64
// CHECK-DAG: func.func private @log1p(f64) -> f64
// CHECK-DAG: func.func private @atan2(f64, f64) -> f64
// CHECK-DAG: func.func private @erff(f32) -> f32
// CHECK-DAG: func.func private @cbrtf(f32) -> f32
