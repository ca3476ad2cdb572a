//===- Pipelines.cpp - named lowering pipelines ---------------------------===//

#include "passes/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

// Differentiate optimized IR (inline, canonicalize, CSE first, as Enzyme
// does), then clean the derivatives up and lower everything to LLVM.
static constexpr StringLiteral kCpuPipeline =
    "inline, canonicalize, cse, "
    "dp-autodiff, dp-erase-stop-gradient, "
    "inline, canonicalize, cse, symbol-dce, "
    "dp-math-to-libm, convert-scf-to-cf, convert-to-llvm, "
    "reconcile-unrealized-casts";

void mlir::dp::registerPipelines() {
  PassPipelineRegistration<>(
      "dp-lower-to-cpu",
      "Differentiate (dp-autodiff) and lower func/arith/math/scf/cf/memref/dp "
      "to the LLVM dialect for the CPU",
      [](OpPassManager &pm) {
        if (failed(parsePassPipeline(kCpuPipeline, pm)))
          llvm::report_fatal_error("dp-lower-to-cpu: invalid pipeline text");
      });
}
