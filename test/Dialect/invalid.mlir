// RUN: dp-opt %s -split-input-file -verify-diagnostics

func.func @missing_callee(%x: f64, %s: f64) -> (f64, f64) {
  // expected-error @+1 {{'dp.autodiff' op callee @nowhere does not reference a symbol}}
  %r, %dx = dp.autodiff @nowhere(%x, %s) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}

// -----

memref.global "private" @g : memref<f64>

func.func @callee_not_function(%x: f64, %s: f64) -> (f64, f64) {
  // expected-error @+1 {{'dp.autodiff' op callee @g does not reference a function}}
  %r, %dx = dp.autodiff @g(%x, %s) args [active] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}

// -----

func.func private @f(%x: f64, %n: i64) -> f64

func.func @too_few_arg_activities(%x: f64, %n: i64, %s: f64) -> (f64, f64) {
  // expected-error @+1 {{'dp.autodiff' op has 1 argument activities but @f takes 2 arguments}}
  %r, %dx = dp.autodiff @f(%x, %n, %s) args [active] results [active] : (f64, i64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}

// -----

func.func private @f(%x: f64) -> f64

func.func @too_many_result_activities(%x: f64, %s: f64) -> (f64, f64) {
  // expected-error @+1 {{'dp.autodiff' op has 2 result activities but @f returns 1 results}}
  %r, %dx = dp.autodiff @f(%x, %s) args [active] results [active, const] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}

// -----

func.func private @f(%x: f64, %n: i64) -> f64

func.func @active_integer_argument(%x: f64, %n: i64, %s: f64) -> (f64, i64) {
  // expected-error @+1 {{'dp.autodiff' op argument #1 is 'active' but has type 'i64'; active values must be floats, or vectors or tensors of floats}}
  %r, %dn = dp.autodiff @f(%x, %n, %s) args [const, active] results [active] : (f64, i64, f64) -> (f64, i64)
  return %r, %dn : f64, i64
}

// -----

func.func private @f(%x: f64) -> i64

func.func @active_integer_result(%x: f64, %s: i64) -> (i64, f64) {
  // expected-error @+1 {{'dp.autodiff' op result #0 is 'active' but has type 'i64'; active values must be floats, or vectors or tensors of floats}}
  %r, %dx = dp.autodiff @f(%x, %s) args [active] results [active] : (f64, i64) -> (i64, f64)
  return %r, %dx : i64, f64
}

// -----

func.func private @f(%x: tensor<4xf64>) -> f64

func.func @reverse_dup_not_buffer(%x: tensor<4xf64>, %dx: tensor<4xf64>, %s: f64) -> f64 {
  // expected-error @+1 {{'dp.autodiff' op argument #0 is 'dup' but has type 'tensor<4xf64>'; in reverse mode dup values must be memrefs of floats}}
  %r = dp.autodiff @f(%x, %dx, %s) args [dup] results [active] : (tensor<4xf64>, tensor<4xf64>, f64) -> f64
  return %r : f64
}

// -----

func.func private @f(%x: f64) -> f64

func.func @reverse_activenoneed_argument(%x: f64, %s: f64) -> (f64, f64) {
  // expected-error @+1 {{'dp.autodiff' op argument #0 has activity 'activenoneed'; expected one of const, active, dup}}
  %r, %dx = dp.autodiff @f(%x, %s) args [activenoneed] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}

// -----

func.func private @f(%x: f64) -> f64

func.func @reverse_dup_result(%x: f64, %s: f64) -> (f64, f64) {
  // expected-error @+1 {{'dp.autodiff' op result #0 has activity 'dup'; expected one of const, active, activenoneed}}
  %r, %dx = dp.autodiff @f(%x, %s) args [active] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}

// -----

func.func private @f(%x: f64, %n: i64) -> f64

func.func @operand_types_mismatch(%x: f64, %n: i32, %s: f64) -> (f64, f64) {
  // expected-error @+1 {{'dp.autodiff' op operand types (f64, i32, f64) do not match (f64, i64, f64), expected from the signature of @f and the activities}}
  %r, %dx = dp.autodiff @f(%x, %n, %s) args [active, const] results [active] : (f64, i32, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}

// -----

func.func private @f(%x: f64) -> f64

func.func @missing_cotangent(%x: f64) -> (f64, f64) {
  // expected-error @+1 {{'dp.autodiff' op operand types (f64) do not match (f64, f64), expected from the signature of @f and the activities}}
  %r, %dx = dp.autodiff @f(%x) args [active] results [active] : (f64) -> (f64, f64)
  return %r, %dx : f64, f64
}

// -----

func.func private @f(%x: f64, %y: f64) -> f64

func.func @result_types_mismatch(%x: f64, %y: f64, %s: f64) -> f64 {
  // expected-error @+1 {{'dp.autodiff' op result types (f64, f64) do not match (f64, f64, f64), expected from the signature of @f and the activities}}
  %r, %dx = dp.autodiff @f(%x, %y, %s) args [active, active] results [active] : (f64, f64, f64) -> (f64, f64)
  return %r : f64
}

// -----

func.func private @f(%x: f64) -> f64

func.func @unknown_activity(%x: f64, %s: f64) -> (f64, f64) {
  // expected-error @+1 {{unknown activity 'passive'; expected one of const, active, activenoneed, dup, dupnoneed}}
  %r, %dx = dp.autodiff @f(%x, %s) args [passive] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}

// -----

func.func private @f(%x: f64) -> f64

func.func @forward_active_argument(%x: f64, %dx: f64) -> (f64, f64) {
  // expected-error @+1 {{'dp.fwddiff' op argument #0 has activity 'active'; expected one of const, dup}}
  %r, %dr = dp.fwddiff @f(%x, %dx) args [active] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

// -----

func.func private @f(%x: f64) -> f64

func.func @forward_dupnoneed_argument(%x: f64, %dx: f64) -> (f64, f64) {
  // expected-error @+1 {{'dp.fwddiff' op argument #0 has activity 'dupnoneed'; expected one of const, dup}}
  %r, %dr = dp.fwddiff @f(%x, %dx) args [dupnoneed] results [dup] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

// -----

func.func private @f(%x: f64) -> f64

func.func @forward_active_result(%x: f64, %dx: f64) -> (f64, f64) {
  // expected-error @+1 {{'dp.fwddiff' op result #0 has activity 'active'; expected one of const, dup, dupnoneed}}
  %r, %dr = dp.fwddiff @f(%x, %dx) args [dup] results [active] : (f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

// -----

func.func private @f(%n: i64) -> f64

func.func @forward_dup_integer(%n: i64, %dn: i64) -> (f64, f64) {
  // expected-error @+1 {{'dp.fwddiff' op argument #0 is 'dup' but has type 'i64'; forward-mode tangents need floats, or vectors, tensors or memrefs of floats}}
  %r, %dr = dp.fwddiff @f(%n, %dn) args [dup] results [dup] : (i64, i64) -> (f64, f64)
  return %r, %dr : f64, f64
}

// -----

func.func private @f(%x: f64) -> f64

func.func @forward_result_types_mismatch(%x: f64, %dx: f64) -> f64 {
  // expected-error @+1 {{'dp.fwddiff' op result types (f64) do not match (f64, f64), expected from the signature of @f and the activities}}
  %r = dp.fwddiff @f(%x, %dx) args [dup] results [dup] : (f64, f64) -> f64
  return %r : f64
}

// -----

func.func @stop_gradient_type_mismatch(%x: f64) -> f32 {
  // expected-error @+1 {{'dp.stop_gradient' op requires the same type for all operands and results}}
  %y = "dp.stop_gradient"(%x) : (f64) -> f32
  return %y : f32
}

// -----

// expected-error @+1 {{tape element type 'f128' is not an integer, index or float of at most 64 bits, or a statically shaped tensor or identity-layout memref of them}}
func.func @tape_wide_element(%t: !dp.tape<f128>)

// -----

// expected-error @+1 {{tape element type 'memref<?xf64>' is not an integer, index or float of at most 64 bits, or a statically shaped tensor or identity-layout memref of them}}
func.func @tape_buffer_element(%t: !dp.tape<memref<?xf64>>)

// -----

// expected-error @+1 {{tape element type 'f64' is listed twice}}
func.func @tape_duplicate_element(%t: !dp.tape<f64, i1, f64>)

// -----

func.func @push_wrong_type(%t: !dp.tape<f64>, %x: f32) {
  // expected-error @+1 {{'dp.tape.push' op pushed type 'f32' is not an element type of '!dp.tape<f64>'}}
  dp.tape.push %t, %x : !dp.tape<f64>, f32
  return
}

// -----

func.func @pop_wrong_type(%t: !dp.tape<f64, index>) -> i1 {
  // expected-error @+1 {{'dp.tape.pop' op popped type 'i1' is not an element type of '!dp.tape<f64, index>'}}
  %b = dp.tape.pop %t : !dp.tape<f64, index> -> i1
  return %b : i1
}

// -----

func.func @init_capacity_not_index(%n: i64) {
  // expected-error @+1 {{'dp.tape.init' op operand #0 must be index, but got 'i64'}}
  %t = "dp.tape.init"(%n) : (i64) -> !dp.tape<f64>
  return
}

// -----

func.func private @f(%x: f64) -> f64

func.func @augmented_without_tape(%x: f64) -> f64 {
  // expected-error @+1 {{'dp.augmented' op result types (f64) do not match (f64, !dp.tape), expected from the signature of @f and the activities}}
  %r = dp.augmented @f(%x) args [active] results [active] : (f64) -> f64
  return %r : f64
}

// -----

func.func private @f(%x: f64) -> f64

func.func @augmented_with_cotangent(%x: f64, %s: f64) -> f64 {
  // expected-error @+1 {{'dp.augmented' op operand types (f64, f64) do not match (f64), expected from the signature of @f and the activities}}
  %r, %t = dp.augmented @f(%x, %s) args [active] results [active] : (f64, f64) -> (f64, !dp.tape)
  return %r : f64
}

// -----

func.func private @f(%x: f64) -> f64

func.func @reverse_without_tape(%s: f64) -> f64 {
  // expected-error @+1 {{'dp.reverse' op operand types (f64) do not match (!dp.tape, f64), expected from the signature of @f and the activities}}
  %dx = dp.reverse @f(%s) args [active] results [active] : (f64) -> f64
  return %dx : f64
}

// -----

func.func private @g(%x: tensor<4xf64>) -> f64

func.func @reverse_without_array(%t: !dp.tape, %s: f64) -> tensor<4xf64> {
  // expected-error @+1 {{'dp.reverse' op operand types (!dp.tape, f64) do not match (!dp.tape, tensor<4xf64>, f64), expected from the signature of @g and the activities}}
  %dx = dp.reverse @g(%t, %s) args [active] results [active] : (!dp.tape, f64) -> tensor<4xf64>
  return %dx : tensor<4xf64>
}

// -----

func.func private @f(%x: f64) -> f64

func.func @reverse_typed_tape(%t: !dp.tape<f64>, %s: f64) -> f64 {
  // expected-error @+1 {{'dp.reverse' op operand types (!dp.tape<f64>, f64) do not match (!dp.tape, f64), expected from the signature of @f and the activities}}
  %dx = dp.reverse @f(%t, %s) args [active] results [active] : (!dp.tape<f64>, f64) -> f64
  return %dx : f64
}

// -----

func.func private @f(%x: f64) -> f64

func.func @reverse_dupnoneed_argument(%t: !dp.tape, %s: f64) -> f64 {
  // expected-error @+1 {{'dp.reverse' op argument #0 has activity 'dupnoneed'; expected one of const, active, dup}}
  %dx = dp.reverse @f(%t, %s) args [dupnoneed] results [active] : (!dp.tape, f64) -> f64
  return %dx : f64
}

// -----

func.func @untyped_tape_buffer(%t: !dp.tape, %m: tensor<?xf64>) {
  // expected-error @+1 {{'dp.tape.push' op pushed type 'tensor<?xf64>' is not an integer, index or float of at most 64 bits, or a statically shaped tensor or identity-layout memref of them}}
  dp.tape.push %t, %m : !dp.tape, tensor<?xf64>
  return
}
