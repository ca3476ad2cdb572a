//===- FuseArrayOps.cpp - dp-fuse-array-ops --------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::dp {
#define GEN_PASS_DEF_DPFUSEARRAYOPS
#include "passes/Passes.h.inc"
} // namespace mlir::dp

using namespace mlir;

namespace {
/// Named ops other than matmul, on tensors, as linalg.generic.
struct Generalize : public OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;
  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    if (isa<linalg::GenericOp, linalg::MatmulOp>(op) ||
        !op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "kept as it is");
    return linalg::generalizeNamedOp(rewriter, op);
  }
};

struct FuseArrayOpsPass
    : public dp::impl::DpFuseArrayOpsBase<FuseArrayOpsPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    patterns.add<Generalize>(context);
    // Fuse a producer only into its one consumer: never compute it twice.
    linalg::populateElementwiseOpsFusionPatterns(
        patterns, [](OpOperand *operand) {
          Operation *producer = operand->get().getDefiningOp();
          return producer && producer->hasOneUse();
        });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
