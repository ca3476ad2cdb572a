// RUN: dp-opt %s | dp-opt | FileCheck %s
// RUN: dp-opt %s --mlir-print-op-generic | dp-opt | FileCheck %s
// RUN: dp-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

func.func private @pow(%x: f64, %n: i64) -> f64
func.func private @two(%x: f32, %y: f32) -> (f32, f32)
func.func private @buffer(%a: memref<4xf64>, %s: f64) -> f64
func.func private @vec(%v: vector<4xf32>, %t: tensor<2x3xf64>) -> tensor<2x3xf64>

// CHECK-LABEL: func.func @autodiff_scalar
func.func @autodiff_scalar(%x: f64, %n: i64, %seed: f64) -> (f64, f64) {
  // CHECK: %{{.*}}:2 = dp.autodiff @pow(%{{.*}}, %{{.*}}, %{{.*}}) args [active, const] results [active] : (f64, i64, f64) -> (f64, f64)
  // GENERIC: "dp.autodiff"(%{{.*}}, %{{.*}}, %{{.*}}) <{arg_activity = [#dp.activity<active>, #dp.activity<const>], callee = @pow, ret_activity = [#dp.activity<active>]}> : (f64, i64, f64) -> (f64, f64)
  %r, %dx = dp.autodiff @pow(%x, %n, %seed) args [active, const] results [active] : (f64, i64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}

// CHECK-LABEL: func.func @autodiff_noneed
func.func @autodiff_noneed(%x: f32, %y: f32, %s0: f32, %s1: f32) -> (f32, f32) {
  // CHECK: dp.autodiff @two(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) args [active, active] results [activenoneed, activenoneed] : (f32, f32, f32, f32) -> (f32, f32)
  %dx, %dy = dp.autodiff @two(%x, %y, %s0, %s1) args [active, active] results [activenoneed, activenoneed] : (f32, f32, f32, f32) -> (f32, f32)
  return %dx, %dy : f32, f32
}

// CHECK-LABEL: func.func @autodiff_const_result
func.func @autodiff_const_result(%x: f32, %y: f32, %s0: f32) -> (f32, f32, f32) {
  // CHECK: dp.autodiff @two(%{{.*}}, %{{.*}}, %{{.*}}) args [active, const] results [const, active] : (f32, f32, f32) -> (f32, f32, f32)
  %a, %b, %dx = dp.autodiff @two(%x, %y, %s0) args [active, const] results [const, active] : (f32, f32, f32) -> (f32, f32, f32)
  return %a, %b, %dx : f32, f32, f32
}

// CHECK-LABEL: func.func @autodiff_dup_buffer
func.func @autodiff_dup_buffer(%a: memref<4xf64>, %da: memref<4xf64>, %s: f64, %seed: f64) -> f64 {
  // CHECK: dp.autodiff @buffer(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) args [dup, const] results [activenoneed] : (memref<4xf64>, memref<4xf64>, f64, f64) -> ()
  dp.autodiff @buffer(%a, %da, %s, %seed) args [dup, const] results [activenoneed] : (memref<4xf64>, memref<4xf64>, f64, f64) -> ()
  return %s : f64
}

// CHECK-LABEL: func.func @autodiff_vector_tensor
func.func @autodiff_vector_tensor(%v: vector<4xf32>, %t: tensor<2x3xf64>, %seed: tensor<2x3xf64>) -> vector<4xf32> {
  // CHECK: dp.autodiff @vec(%{{.*}}, %{{.*}}, %{{.*}}) args [active, active] results [activenoneed] : (vector<4xf32>, tensor<2x3xf64>, tensor<2x3xf64>) -> (vector<4xf32>, tensor<2x3xf64>)
  %dv, %dt = dp.autodiff @vec(%v, %t, %seed) args [active, active] results [activenoneed] : (vector<4xf32>, tensor<2x3xf64>, tensor<2x3xf64>) -> (vector<4xf32>, tensor<2x3xf64>)
  return %dv : vector<4xf32>
}

// CHECK-LABEL: func.func @fwddiff_scalar
func.func @fwddiff_scalar(%x: f64, %dx: f64, %n: i64) -> (f64, f64, f64) {
  // CHECK: dp.fwddiff @pow(%{{.*}}, %{{.*}}, %{{.*}}) args [dup, const] results [dup] : (f64, f64, i64) -> (f64, f64)
  // GENERIC: "dp.fwddiff"(%{{.*}}, %{{.*}}, %{{.*}}) <{arg_activity = [#dp.activity<dup>, #dp.activity<const>], callee = @pow, ret_activity = [#dp.activity<dup>]}> : (f64, f64, i64) -> (f64, f64)
  %r, %dr = dp.fwddiff @pow(%x, %dx, %n) args [dup, const] results [dup] : (f64, f64, i64) -> (f64, f64)
  // CHECK: dp.fwddiff @pow(%{{.*}}, %{{.*}}, %{{.*}}) args [dup, const] results [dupnoneed] : (f64, f64, i64) -> f64
  %t = dp.fwddiff @pow(%x, %dx, %n) args [dup, const] results [dupnoneed] : (f64, f64, i64) -> f64
  return %r, %dr, %t : f64, f64, f64
}

// CHECK-LABEL: func.func @fwddiff_mixed
func.func @fwddiff_mixed(%x: f32, %y: f32, %dy: f32) -> (f32, f32, f32) {
  // CHECK: dp.fwddiff @two(%{{.*}}, %{{.*}}, %{{.*}}) args [const, dup] results [const, dup] : (f32, f32, f32) -> (f32, f32, f32)
  %a, %b, %db = dp.fwddiff @two(%x, %y, %dy) args [const, dup] results [const, dup] : (f32, f32, f32) -> (f32, f32, f32)
  return %a, %b, %db : f32, f32, f32
}

// CHECK-LABEL: func.func @stop_gradient
func.func @stop_gradient(%x: f64, %v: tensor<3xf32>) -> (f64, tensor<3xf32>) {
  // CHECK: dp.stop_gradient %{{.*}} : f64
  // GENERIC: "dp.stop_gradient"(%{{.*}}) : (f64) -> f64
  %y = dp.stop_gradient %x : f64
  // CHECK: dp.stop_gradient %{{.*}} : tensor<3xf32>
  %w = dp.stop_gradient %v : tensor<3xf32>
  return %y, %w : f64, tensor<3xf32>
}

// CHECK-LABEL: func.func @tape
func.func @tape(%x: f64, %b: i1, %i: index, %n: index) -> (f64, i1, index) {
  // CHECK: %[[T:.*]] = dp.tape.init capacity %{{.*}} : !dp.tape<f64, i1, index>
  // GENERIC: "dp.tape.init"(%{{.*}}) : (index) -> !dp.tape<f64, i1, index>
  %t = dp.tape.init capacity %n : !dp.tape<f64, i1, index>
  // CHECK: dp.tape.push %[[T]], %{{.*}} : !dp.tape<f64, i1, index>, f64
  // GENERIC: "dp.tape.push"(%{{.*}}, %{{.*}}) : (!dp.tape<f64, i1, index>, f64) -> ()
  dp.tape.push %t, %x : !dp.tape<f64, i1, index>, f64
  dp.tape.push %t, %b : !dp.tape<f64, i1, index>, i1
  dp.tape.push %t, %i : !dp.tape<f64, i1, index>, index
  // CHECK: dp.tape.pop %[[T]] : !dp.tape<f64, i1, index> -> index
  // GENERIC: "dp.tape.pop"(%{{.*}}) : (!dp.tape<f64, i1, index>) -> index
  %pi = dp.tape.pop %t : !dp.tape<f64, i1, index> -> index
  %pb = dp.tape.pop %t : !dp.tape<f64, i1, index> -> i1
  %px = dp.tape.pop %t : !dp.tape<f64, i1, index> -> f64
  // CHECK: dp.tape.rewind %[[T]] : !dp.tape<f64, i1, index>
  dp.tape.rewind %t : !dp.tape<f64, i1, index>
  // CHECK: dp.tape.free %[[T]] : !dp.tape<f64, i1, index>
  dp.tape.free %t : !dp.tape<f64, i1, index>
  return %px, %pb, %pi : f64, i1, index
}

// CHECK-LABEL: func.func @untyped_tape
func.func @untyped_tape(%t: !dp.tape, %x: f32, %i: i8) -> f32 {
  // CHECK: %{{.*}} = dp.tape.init : !dp.tape
  %u = dp.tape.init : !dp.tape
  // CHECK: dp.tape.push %{{.*}}, %{{.*}} : !dp.tape, f32
  dp.tape.push %t, %x : !dp.tape, f32
  // CHECK: dp.tape.push %{{.*}}, %{{.*}} : !dp.tape, i8
  dp.tape.push %t, %i : !dp.tape, i8
  // CHECK: dp.tape.pop %{{.*}} : !dp.tape -> i8
  %j = dp.tape.pop %t : !dp.tape -> i8
  %y = dp.tape.pop %t : !dp.tape -> f32
  // CHECK: dp.tape.free %{{.*}} : !dp.tape
  dp.tape.free %u : !dp.tape
  return %y : f32
}

// CHECK-LABEL: func.func @split
func.func @split(%x: f64, %n: i64, %seed: f64) -> (f64, f64) {
  // CHECK: %{{.*}}:2 = dp.augmented @pow(%{{.*}}, %{{.*}}) args [active, const] results [active] : (f64, i64) -> (f64, !dp.tape)
  // GENERIC: "dp.augmented"(%{{.*}}, %{{.*}}) <{arg_activity = [#dp.activity<active>, #dp.activity<const>], callee = @pow, ret_activity = [#dp.activity<active>]}> : (f64, i64) -> (f64, !dp.tape)
  %r, %t = dp.augmented @pow(%x, %n) args [active, const] results [active] : (f64, i64) -> (f64, !dp.tape)
  // CHECK: dp.reverse @pow(%{{.*}}, %{{.*}}) args [active, const] results [active] : (!dp.tape, f64) -> f64
  %dx = dp.reverse @pow(%t, %seed) args [active, const] results [active] : (!dp.tape, f64) -> f64
  dp.tape.free %t : !dp.tape
  return %r, %dx : f64, f64
}

// The reverse half takes the array arguments again: tensors, and buffers
// followed by their shadows when dup.
// CHECK-LABEL: func.func @split_arrays
func.func @split_arrays(%a: memref<4xf64>, %da: memref<4xf64>, %s: f64, %seed: f64) {
  // CHECK: %{{.*}} = dp.augmented @buffer(%{{.*}}, %{{.*}}) args [dup, const] results [activenoneed] : (memref<4xf64>, f64) -> !dp.tape
  %t = dp.augmented @buffer(%a, %s) args [dup, const] results [activenoneed] : (memref<4xf64>, f64) -> !dp.tape
  // CHECK: dp.reverse @buffer(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) args [dup, const] results [activenoneed] : (!dp.tape, memref<4xf64>, memref<4xf64>, f64) -> ()
  dp.reverse @buffer(%t, %a, %da, %seed) args [dup, const] results [activenoneed] : (!dp.tape, memref<4xf64>, memref<4xf64>, f64) -> ()
  dp.tape.free %t : !dp.tape
  return
}

// CHECK-LABEL: func.func @split_noneed_and_const
func.func @split_noneed_and_const(%x: f32, %y: f32, %s: f32) -> f32 {
  // CHECK: dp.augmented @two(%{{.*}}, %{{.*}}) args [active, const] results [activenoneed, const] : (f32, f32) -> (f32, !dp.tape)
  %b, %t = dp.augmented @two(%x, %y) args [active, const] results [activenoneed, const] : (f32, f32) -> (f32, !dp.tape)
  // CHECK: dp.reverse @two(%{{.*}}, %{{.*}}) args [active, const] results [activenoneed, const] : (!dp.tape, f32) -> f32
  %dx = dp.reverse @two(%t, %s) args [active, const] results [activenoneed, const] : (!dp.tape, f32) -> f32
  dp.tape.free %t : !dp.tape
  return %dx : f32
}

// Custom derivative rules and checkpointing round-trip as attributes of
// func.func.
// CHECK-LABEL: func.func private @ruled(
// CHECK-SAME: attributes {dp.custom_vjp = {bwd = @ruled_bwd, fwd = @ruled_fwd}}
// CHECK-LABEL: func.func private @smooth(
// CHECK-SAME: attributes {dp.custom_jvp = @smooth_jvp}
// CHECK-LABEL: func.func private @recomputed(
// CHECK-SAME: attributes {dp.checkpoint}
func.func private @ruled(%x: f64, %n: i64) -> f64 attributes {dp.custom_vjp = {fwd = @ruled_fwd, bwd = @ruled_bwd}} {
  return %x : f64
}
func.func private @ruled_fwd(%x: f64, %n: i64) -> (f64, i64, tensor<2xf64>) {
  %t = tensor.splat %x : tensor<2xf64>
  return %x, %n, %t : f64, i64, tensor<2xf64>
}
func.func private @ruled_bwd(%n: i64, %t: tensor<2xf64>, %ct: f64) -> f64 {
  return %ct : f64
}
func.func private @smooth(%x: f64, %n: i64) -> (f64, i64) attributes {dp.custom_jvp = @smooth_jvp} {
  return %x, %n : f64, i64
}
func.func private @smooth_jvp(%x: f64, %n: i64, %dx: f64) -> (f64, i64, f64) {
  return %x, %n, %dx : f64, i64, f64
}
func.func private @recomputed(%x: f64) -> f64 attributes {dp.checkpoint} {
  return %x : f64
}
