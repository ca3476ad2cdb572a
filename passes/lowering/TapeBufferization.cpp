//===- TapeBufferization.cpp - tape ops in one-shot bufferization ---------===//
//
// A tensor pushed on a tape is read once, at the push (the tape keeps a copy
// of its buffer); a tensor popped from a tape is a copy of the tape's buffer,
// a new allocation: the tape may be read again, and it may be freed while the
// popped value is still in use (a derivative's tape is freed right after its
// reverse sweep, whose results may be values it popped, and nested
// derivatives free shadow tapes in the middle of the code that uses them).
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
    return true;
  }
  bool bufferizesToAllocation(Operation *, Value) const { return true; }
  FailureOr<BufferLikeType>
  getBufferType(Operation *, Value value, const BufferizationOptions &,
                const BufferizationState &, SmallVector<Value> &) const {
    return cast<BufferLikeType>(tapeBufferType(value.getType()));
  }
  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &,
                          BufferizationState &) const {
    auto pop = cast<TapePopOp>(op);
    Location loc = op->getLoc();
    MemRefType type = tapeBufferType(pop.getType());
    Value onTape = TapePopOp::create(rewriter, loc, type, pop.getTape());
    Value copy = memref::AllocOp::create(rewriter, loc, type);
    memref::CopyOp::create(rewriter, loc, onTape, copy);
    replaceOpWithBufferizedValues(rewriter, op, copy);
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
