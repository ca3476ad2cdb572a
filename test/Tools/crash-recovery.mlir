// A crash in upstream MLIR that no guard foresees (here: canonicalization
// folds vector.extract at the poison index to ub.poison, and the folder of
// tensor.from_elements then asserts on it) is an internal-error diagnostic
// naming a reproducer file (the input as it was) and exit status 70, not
// SIGABRT; a partly written output file is removed.
// RUN: rm -rf %t && mkdir -p %t
// RUN: env TMPDIR=%t LLVM_DISABLE_SYMBOLIZATION=1 not dp-opt %s --canonicalize 2>&1 | FileCheck %s
// RUN: env TMPDIR=%t LLVM_DISABLE_SYMBOLIZATION=1 %PYTHON %S/Inputs/exit-status.py dp-opt %s --canonicalize -o %t/out.mlir | FileCheck %s --check-prefix=STATUS
// RUN: cat %t/dp-opt-crash-*.mlir | FileCheck %s --check-prefix=REPRO
// RUN: not test -e %t/out.mlir
// Without crash recovery (to debug in place) it is the abort.
// RUN: env LLVM_DISABLE_SYMBOLIZATION=1 %PYTHON %S/Inputs/exit-status.py dp-opt %s --canonicalize --dp-crash-recovery=false | FileCheck %s --check-prefix=ABORT

// CHECK: Assertion
// CHECK: crash-recovery.mlir: error: internal error in dp-opt (an MLIR bug reached by this input); reproducer: [[REPRO:.*dp-opt-crash-.*\.mlir]]
// CHECK-NEXT: crash-recovery.mlir: note: to reproduce: {{.*}}dp-opt [[REPRO]] --canonicalize
// STATUS: exit 70
// ABORT: signal 6
// REPRO: func.func @folded
func.func @folded(%v: vector<4xf32>) -> tensor<1xf32> {
  %e = vector.extract %v[-1] : f32 from vector<4xf32>
  %t = tensor.from_elements %e : tensor<1xf32>
  return %t : tensor<1xf32>
}
