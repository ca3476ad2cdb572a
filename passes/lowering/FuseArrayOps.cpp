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
/// matmul(transpose(a), b) and matmul(a, transpose(b)) as one matmul whose
/// indexing maps read the operand transposed: no transposed copy, and a BLAS
/// takes it as a transpose flag. Reverse mode builds these for every matrix
/// product (da = g b^T, db = a^T g).
struct FoldTransposeIntoMatmul : public OpRewritePattern<linalg::MatmulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::MatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (op.hasUserDefinedMaps() || !op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "not a plain matmul on tensors");
    MLIRContext *context = op.getContext();
    AffineExpr m, n, k;
    bindDims(context, m, n, k);
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    SmallVector<Value> inputs(op.getDpsInputs());
    bool folded = false;
    for (unsigned i = 0; i < 2; ++i) {
      auto transpose = inputs[i].getDefiningOp<linalg::TransposeOp>();
      if (!transpose || transpose.getPermutation() != ArrayRef<int64_t>{1, 0})
        continue;
      inputs[i] = transpose.getInput();
      maps[i] = i == 0 ? AffineMap::get(3, 0, {k, m}, context)
                       : AffineMap::get(3, 0, {n, k}, context);
      folded = true;
    }
    if (!folded)
      return rewriter.notifyMatchFailure(op, "no transposed operand");
    SmallVector<Attribute> mapAttrs = llvm::map_to_vector(
        maps, [](AffineMap map) -> Attribute { return AffineMapAttr::get(map); });
    rewriter.replaceOpWithNewOp<linalg::MatmulOp>(
        op, op->getResultTypes(), inputs, op.getDpsInits(),
        ArrayRef<NamedAttribute>{rewriter.getNamedAttr(
            "indexing_maps", rewriter.getArrayAttr(mapAttrs))});
    return success();
  }
};

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
    // Transposes are folded into products before they are generalized.
    RewritePatternSet products(context);
    products.add<FoldTransposeIntoMatmul>(context);
    if (failed(applyPatternsGreedily(getOperation(), std::move(products))))
      return signalPassFailure();
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
