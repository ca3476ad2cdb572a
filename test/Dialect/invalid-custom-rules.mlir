// RUN: dp-opt %s -split-input-file -verify-diagnostics
// Every invalid form of the custom derivative rule attributes of func.func.

func.func @f() -> f64 {
  // expected-error @+1 {{'dp.custom_jvp' is an attribute of func.func only}}
  %c = arith.constant {dp.custom_jvp = @f} 0.0 : f64
  return %c : f64
}

// -----

// expected-error @+1 {{'func.func' op 'dp.custom_jvp' names @nowhere, which is not a func.func}}
func.func private @f(%x: f64) -> f64 attributes {dp.custom_jvp = @nowhere} {
  return %x : f64
}

// -----

// expected-error @+1 {{'func.func' op 'dp.custom_jvp' needs a function symbol, not 3 : i64}}
func.func private @f(%x: f64) -> f64 attributes {dp.custom_jvp = 3} {
  return %x : f64
}

// -----

// expected-error @+1 {{'func.func' op 'dp.custom_jvp' rule @f_jvp has arguments ('f64') but needs ('f64', 'f64'): the function's arguments, then a tangent per float argument}}
func.func private @f(%x: f64) -> f64 attributes {dp.custom_jvp = @f_jvp} {
  return %x : f64
}
func.func private @f_jvp(%x: f64) -> (f64, f64) {
  return %x, %x : f64, f64
}

// -----

// The integer argument has no tangent, the result's tangent is missing.
// expected-error @+1 {{'func.func' op 'dp.custom_jvp' rule @f_jvp has results ('f64') but needs ('f64', 'f64'): the function's results, then a tangent per float result}}
func.func private @f(%x: f64, %n: i64) -> f64 attributes {dp.custom_jvp = @f_jvp} {
  return %x : f64
}
func.func private @f_jvp(%x: f64, %n: i64, %dx: f64) -> f64 {
  return %x : f64
}

// -----

// expected-error @+1 {{'func.func' op 'dp.custom_vjp' needs {fwd = @..., bwd = @...}}}
func.func private @f(%x: f64) -> f64 attributes {dp.custom_vjp = {fwd = @f}} {
  return %x : f64
}

// -----

// expected-error @+1 {{'func.func' op 'dp.custom_vjp' rule @f_fwd has arguments ('f32') but needs ('f64'): the function's arguments}}
func.func private @f(%x: f64) -> f64 attributes {dp.custom_vjp = {fwd = @f_fwd, bwd = @f_bwd}} {
  return %x : f64
}
func.func private @f_fwd(%x: f32) -> f64 {
  %y = arith.extf %x : f32 to f64
  return %y : f64
}
func.func private @f_bwd(%ct: f64) -> f64 {
  return %ct : f64
}

// -----

// expected-error @+1 {{'func.func' op 'dp.custom_vjp' rule @f_fwd must return the function's results first, then the residuals}}
func.func private @f(%x: f64) -> f64 attributes {dp.custom_vjp = {fwd = @f_fwd, bwd = @f_bwd}} {
  return %x : f64
}
func.func private @f_fwd(%x: f64) -> i64 {
  %c = arith.constant 0 : i64
  return %c : i64
}
func.func private @f_bwd(%ct: f64) -> f64 {
  return %ct : f64
}

// -----

// expected-error @+1 {{'func.func' op 'dp.custom_vjp' rule @f_fwd has the residual 'tensor<?xf64>', which cannot be kept on a tape}}
func.func private @f(%x: tensor<?xf64>) -> f64 attributes {dp.custom_vjp = {fwd = @f_fwd, bwd = @f_bwd}} {
  %c = arith.constant 0.0 : f64
  return %c : f64
}
func.func private @f_fwd(%x: tensor<?xf64>) -> (f64, tensor<?xf64>) {
  %c = arith.constant 0.0 : f64
  return %c, %x : f64, tensor<?xf64>
}
func.func private @f_bwd(%r: tensor<?xf64>, %ct: f64) -> () {
  return
}

// -----

// expected-error @+1 {{'func.func' op 'dp.custom_vjp' rule @f_bwd has arguments ('f64') but needs ('f64', 'f64'): the residuals, then a cotangent per float result}}
func.func private @f(%x: f64) -> f64 attributes {dp.custom_vjp = {fwd = @f_fwd, bwd = @f_bwd}} {
  return %x : f64
}
func.func private @f_fwd(%x: f64) -> (f64, f64) {
  return %x, %x : f64, f64
}
func.func private @f_bwd(%ct: f64) -> f64 {
  return %ct : f64
}

// -----

// expected-error @+1 {{'func.func' op 'dp.custom_vjp' rule @f_bwd has results ('f64', 'f64') but needs ('f64'): a gradient per float argument}}
func.func private @f(%x: f64, %n: i64) -> f64 attributes {dp.custom_vjp = {fwd = @f_fwd, bwd = @f_bwd}} {
  return %x : f64
}
func.func private @f_fwd(%x: f64, %n: i64) -> f64 {
  return %x : f64
}
func.func private @f_bwd(%ct: f64) -> (f64, f64) {
  return %ct, %ct : f64, f64
}

// -----

// expected-error @+1 {{'func.func' op 'dp.checkpoint' is a unit attribute}}
func.func private @f(%x: f64) -> f64 attributes {dp.checkpoint = 1 : i64} {
  return %x : f64
}

// -----

// expected-error @+1 {{'func.func' op 'dp.missing_rule' is a string attribute}}
func.func private @f(%x: f64) -> f64 attributes {dp.missing_rule = 1 : i64} {
  return %x : f64
}
