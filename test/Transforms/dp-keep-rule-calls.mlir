// RUN: dp-opt %s --dp-keep-rule-calls | FileCheck %s
// Calls of functions with custom rules become no_inline; other calls stay.

func.func private @ruled(%x: f64) -> f64 attributes {dp.custom_jvp = @ruled_jvp} {
  return %x : f64
}
func.func private @ruled_jvp(%x: f64, %dx: f64) -> (f64, f64) {
  return %x, %dx : f64, f64
}
func.func private @recomputed(%x: f64) -> f64 attributes {dp.checkpoint} {
  return %x : f64
}
func.func private @plain(%x: f64) -> f64 {
  return %x : f64
}
// CHECK-LABEL: func.func @calls(
// CHECK-NEXT: call @ruled(%{{.*}}) {no_inline}
// CHECK-NEXT: call @recomputed(%{{.*}}) {no_inline}
// CHECK-NEXT: call @plain(%{{.*}}) : (f64) -> f64
func.func @calls(%x: f64) -> f64 {
  %a = func.call @ruled(%x) : (f64) -> f64
  %b = func.call @recomputed(%a) : (f64) -> f64
  %c = func.call @plain(%b) : (f64) -> f64
  return %c : f64
}
