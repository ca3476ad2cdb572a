// linalg.reduce with a float in `dimensions`: after its error, MLIR's parser
// asserts ("attributes may never be null"). dp-opt recovers from the crash:
// an internal-error diagnostic naming a reproducer file (the input as it
// was), and exit status 70, not SIGABRT.
// RUN: rm -rf %t && mkdir -p %t
// RUN: env TMPDIR=%t LLVM_DISABLE_SYMBOLIZATION=1 not dp-opt %s 2>&1 | FileCheck %s
// RUN: env TMPDIR=%t LLVM_DISABLE_SYMBOLIZATION=1 %PYTHON %S/Inputs/exit-status.py dp-opt %s -o %t/out.mlir | FileCheck %s --check-prefix=STATUS
// RUN: cat %t/dp-opt-crash-*.mlir | FileCheck %s --check-prefix=REPRO
// RUN: not test -e %t/out.mlir

// CHECK: reduce-float-dimensions.mlir:[[# @LINE + 6]]:91: error: custom op 'linalg.reduce' expected integer value
// CHECK: reduce-float-dimensions.mlir: error: internal error in dp-opt (an MLIR bug reached by this input); reproducer: [[REPRO:.*dp-opt-crash-.*\.mlir]]
// CHECK-NEXT: reduce-float-dimensions.mlir: note: to reproduce: {{.*}}dp-opt [[REPRO]]
// STATUS: exit 70
// REPRO: func.func @reduce
func.func @reduce(%in: tensor<4x8xf32>, %init: tensor<4xf32>) -> tensor<4xf32> {
  %r = linalg.reduce ins(%in : tensor<4x8xf32>) outs(%init : tensor<4xf32>) dimensions = [1.0]
    (%a: f32, %b: f32) {
      %s = arith.addf %a, %b : f32
      linalg.yield %s : f32
    }
  return %r : tensor<4xf32>
}
