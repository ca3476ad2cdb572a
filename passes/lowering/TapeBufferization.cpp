//===- TapeBufferization.cpp - tape ops in one-shot bufferization ---------===//
//
// A tensor pushed on a tape is read once, at the push (the tape keeps a copy
// of its buffer); a tensor popped from a tape is the tape's buffer, which
// nothing may write since the tape may be read again.
//
//===----------------------------------------------------------------------===//

#include "dialect/Dp.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::bufferization;
using namespace mlir::dp;

/// The identity-layout memref type a tensor of `type` lives in on a tape.
static MemRefType tapeBufferType(Type type) {
  auto tensor = cast<RankedTensorType>(type);
  return MemRefType::get(tensor.getShape(), tensor.getElementType());
}

namespace {
struct TapePushModel
    : public BufferizableOpInterface::ExternalModel<TapePushModel,
                                                    TapePushOp> {
  bool bufferizesToMemoryRead(Operation *, OpOperand &,
                              const AnalysisState &) const {
    return true;
  }
  bool bufferizesToMemoryWrite(Operation *, OpOperand &,
                               const AnalysisState &) const {
    return false;
  }
  AliasingValueList getAliasingValues(Operation *, OpOperand &,
                                      const AnalysisState &) const {
    return {};
  }
  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto push = cast<TapePushOp>(op);
    FailureOr<Value> buffer =
        getBuffer(rewriter, push.getValue(), options, state);
    if (failed(buffer))
      return failure();
    Value value = *buffer;
    auto type = cast<MemRefType>(value.getType());
    if (!type.getLayout().isIdentity()) {
      // The tape copies contiguous memory: lay a strided view out first.
      auto contiguous = MemRefType::get(type.getShape(), type.getElementType());
      Value copy = memref::AllocOp::create(rewriter, op->getLoc(), contiguous);
      memref::CopyOp::create(rewriter, op->getLoc(), value, copy);
      value = copy;
    }
    replaceOpWithNewBufferizedOp<TapePushOp>(rewriter, op, push.getTape(),
                                             value);
    return success();
  }
};

struct TapePopModel
    : public BufferizableOpInterface::ExternalModel<TapePopModel, TapePopOp> {
  AliasingOpOperandList getAliasingOpOperands(Operation *, Value,
                                              const AnalysisState &) const {
    return {};
  }
  bool isWritable(Operation *, Value, const AnalysisState &) const {
    return false;
  }
  FailureOr<BufferLikeType>
  getBufferType(Operation *, Value value, const BufferizationOptions &,
                const BufferizationState &, SmallVector<Value> &) const {
    return cast<BufferLikeType>(tapeBufferType(value.getType()));
  }
  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &,
                          BufferizationState &) const {
    auto pop = cast<TapePopOp>(op);
    replaceOpWithNewBufferizedOp<TapePopOp>(
        rewriter, op, tapeBufferType(pop.getType()), pop.getTape());
    return success();
  }
};
} // namespace

void mlir::dp::registerTapeBufferizationModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, DpDialect *) {
    TapePushOp::attachInterface<TapePushModel>(*context);
    TapePopOp::attachInterface<TapePopModel>(*context);
  });
}
