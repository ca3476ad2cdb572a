//===- WidenBoolBuffers.cpp - dp-widen-bool-buffers ------------------------===//

#include "dialect/Dp.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::dp {
#define GEN_PASS_DEF_DPWIDENBOOLBUFFERS
#include "passes/Passes.h.inc"
} // namespace mlir::dp

using namespace mlir;

static bool isBoolBuffer(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && memref.getElementType().isInteger(1);
}

namespace {
/// memref.load of a bool: load the byte, keep its lowest bit.
struct LoadLowering : public OpConversionPattern<memref::LoadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(memref::LoadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value byte = memref::LoadOp::create(rewriter, op.getLoc(), adaptor.getMemref(),
                                        adaptor.getIndices());
    rewriter.replaceOpWithNewOp<arith::TruncIOp>(op, rewriter.getI1Type(), byte);
    return success();
  }
};

/// memref.store of a bool: store it as 0 or 1 in a byte.
struct StoreLowering : public OpConversionPattern<memref::StoreOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(memref::StoreOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value byte = arith::ExtUIOp::create(rewriter, op.getLoc(),
                                        rewriter.getI8Type(), adaptor.getValue());
    rewriter.replaceOpWithNewOp<memref::StoreOp>(op, byte, adaptor.getMemref(),
                                                 adaptor.getIndices());
    return success();
  }
};

/// A global bool array: bytes, with its initial value as bytes.
struct GlobalLowering : public OpConversionPattern<memref::GlobalOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(memref::GlobalOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<MemRefType>(getTypeConverter()->convertType(op.getType()));
    Attribute initial = op.getInitialValueAttr();
    if (auto dense = dyn_cast_or_null<DenseIntElementsAttr>(initial))
      initial = dense.mapValues(rewriter.getI8Type(), [](const APInt &bit) {
        return bit.zext(8);
      });
    rewriter.replaceOpWithNewOp<memref::GlobalOp>(
        op, op.getSymName(), op.getSymVisibilityAttr(), type, initial,
        op.getConstant(), op.getAlignmentAttr());
    return success();
  }
};

/// Any other op touching bool buffers keeps its meaning with byte buffers:
/// rebuild it with converted types (alloc, dealloc, cast, copy, subview...,
/// and tape pushes and pops, which copy the bytes as they are).
struct RetypeOp : public ConversionPattern {
  RetypeOp(const TypeConverter &converter, MLIRContext *context)
      : ConversionPattern(converter, MatchAnyOpTypeTag(), /*benefit=*/0,
                          context) {}
  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    if (op->getNumRegions() ||
        !isa<memref::MemRefDialect, dp::DpDialect>(op->getDialect()))
      return rewriter.notifyMatchFailure(op, "not a memref or dp op");
    SmallVector<Type> types;
    if (failed(getTypeConverter()->convertTypes(op->getResultTypes(), types)))
      return failure();
    OperationState state(op->getLoc(), op->getName(), operands, types,
                         op->getAttrs(), op->getSuccessors());
    rewriter.replaceOp(op, rewriter.create(state)->getResults());
    return success();
  }
};

struct WidenBoolBuffersPass
    : public dp::impl::DpWidenBoolBuffersBase<WidenBoolBuffersPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    TypeConverter converter;
    converter.addConversion([](Type type) { return type; });
    converter.addConversion([](MemRefType type) -> Type {
      if (!type.getElementType().isInteger(1))
        return type;
      return MemRefType::get(type.getShape(), IntegerType::get(type.getContext(), 8),
                             type.getLayout(), type.getMemorySpace());
    });
    converter.addConversion([&converter](dp::TapeType type) -> Type {
      SmallVector<Type> elements;
      if (failed(converter.convertTypes(type.getElementTypes(), elements)))
        return {};
      return dp::TapeType::get(type.getContext(), elements);
    });
    auto legal = [&](Operation *op) { return converter.isLegal(op); };
    ConversionTarget target(*context);
    target.markUnknownOpDynamicallyLegal(legal);
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp fn) {
      return converter.isSignatureLegal(fn.getFunctionType());
    });
    target.addDynamicallyLegalOp<memref::GlobalOp>(
        [&](memref::GlobalOp global) { return !isBoolBuffer(global.getType()); });
    RewritePatternSet patterns(context);
    patterns.add<LoadLowering, StoreLowering, GlobalLowering>(converter,
                                                              context);
    patterns.add<RetypeOp>(converter, context);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    scf::populateSCFStructuralTypeConversionsAndLegality(converter, patterns,
                                                         target);
    // Only rewrite when something holds a bool buffer.
    bool any = false;
    getOperation()->walk([&](Operation *op) {
      any |= llvm::any_of(op->getOperandTypes(), isBoolBuffer) ||
             llvm::any_of(op->getResultTypes(), isBoolBuffer);
      if (auto fn = dyn_cast<func::FuncOp>(op))
        any |= llvm::any_of(fn.getArgumentTypes(), isBoolBuffer) ||
               llvm::any_of(fn.getResultTypes(), isBoolBuffer);
      if (auto global = dyn_cast<memref::GlobalOp>(op))
        any |= isBoolBuffer(global.getType());
    });
    if (any && failed(applyPartialConversion(getOperation(), target,
                                             std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
