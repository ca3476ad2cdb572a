// RUN: dp-opt %s --dp-export-stablehlo=entry=f | FileCheck %s

// The entry becomes the public @main; a function already named main steps
// aside under a unique name, and its calls follow it.
// CHECK: func.func private @[[OLD:main_[0-9]+]](%{{.*}}: tensor<f64>) -> tensor<f64>
// CHECK: func.func @main(%[[X:.*]]: tensor<f64>) -> tensor<f64>
// CHECK: call @[[OLD]](%[[X]])
func.func @main(%x: f64) -> f64 {
  return %x : f64
}
func.func @f(%x: f64) -> f64 {
  %r = func.call @main(%x) : (f64) -> f64
  return %r : f64
}
