//===- Pipelines.cpp - named lowering pipelines ---------------------------===//

#include "passes/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

// Differentiate optimized IR (inline, canonicalize, CSE first, as Enzyme
// does), then clean the derivatives up.
static constexpr StringLiteral kDifferentiate =
    "inline, canonicalize, cse, "
    "dp-autodiff, dp-erase-stop-gradient, "
    "inline, canonicalize, cse, symbol-dce";

// ... and lower everything to LLVM.
static constexpr StringLiteral kCpuPipeline =
    "dp-differentiate, "
    "dp-math-to-libm, convert-scf-to-cf, convert-to-llvm, "
    "reconcile-unrealized-casts";

void mlir::dp::registerPipelines() {
  PassPipelineRegistration<>(
      "dp-differentiate",
      "Optimize, build every requested derivative (dp-autodiff) and clean up, "
      "staying in upstream dialects",
      [](OpPassManager &pm) {
        if (failed(parsePassPipeline(kDifferentiate, pm)))
          llvm::report_fatal_error("dp-differentiate: invalid pipeline text");
      });
  PassPipelineRegistration<>(
      "dp-lower-to-cpu",
      "Differentiate (dp-autodiff) and lower func/arith/math/scf/cf/memref/dp "
      "to the LLVM dialect for the CPU",
      [](OpPassManager &pm) {
        if (failed(parsePassPipeline(kCpuPipeline, pm)))
          llvm::report_fatal_error("dp-lower-to-cpu: invalid pipeline text");
      });
}
