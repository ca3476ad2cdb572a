//===- EraseStopGradient.cpp - forward dp.stop_gradient operands ----------===//

#include "dialect/Dp.h"
#include "passes/Passes.h"

namespace mlir::dp {
#define GEN_PASS_DEF_DPERASESTOPGRADIENT
#include "passes/Passes.h.inc"
} // namespace mlir::dp

using namespace mlir;

namespace {
struct EraseStopGradientPass
    : public dp::impl::DpEraseStopGradientBase<EraseStopGradientPass> {
  using Base::Base;

  void runOnOperation() override {
    getOperation()->walk([](dp::StopGradientOp op) {
      op.getResult().replaceAllUsesWith(op.getOperand());
      op.erase();
    });
  }
};
} // namespace
