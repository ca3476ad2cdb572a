// The upstream mlir-opt loads dp as a plugin: dp ops parse and verify, and dp
// passes run (named in --pass-pipeline, since mlir-opt parses its --dp-*
// flags before it loads plugins).
// RUN: mlir-opt %s --load-dialect-plugin=%dp_plugin --load-pass-plugin=%dp_plugin \
// RUN:   | FileCheck %s --check-prefix=ROUNDTRIP
// RUN: mlir-opt %s --load-dialect-plugin=%dp_plugin --load-pass-plugin=%dp_plugin \
// RUN:   --pass-pipeline="builtin.module(dp-erase-stop-gradient, convert-to-llvm)" \
// RUN:   | FileCheck %s --check-prefix=LOWERED
// RUN: not mlir-opt %s --split-input-file 2>&1 | FileCheck %s --check-prefix=NOPLUGIN

func.func private @square(%x: f64) -> f64

// ROUNDTRIP-LABEL: func.func @uses_dp
// LOWERED-LABEL: llvm.func @uses_dp
func.func @uses_dp(%x: f64, %s: f64) -> (f64, f64) {
  // ROUNDTRIP: dp.autodiff @square(%{{.*}}, %{{.*}}) args [active] results [active] : (f64, f64) -> (f64, f64)
  // NOPLUGIN: error: Dialect `dp' not found for custom op 'dp.autodiff'
  %r, %dx = dp.autodiff @square(%x, %s) args [active] results [active] : (f64, f64) -> (f64, f64)
  // ROUNDTRIP: dp.stop_gradient
  // LOWERED-NOT: dp.stop_gradient
  %y = dp.stop_gradient %r : f64
  // ROUNDTRIP: dp.tape.init : !dp.tape<f64>
  // LOWERED: llvm.call @__dp_tape_init
  %t = dp.tape.init : !dp.tape<f64>
  dp.tape.free %t : !dp.tape<f64>
  return %y, %dx : f64, f64
}
