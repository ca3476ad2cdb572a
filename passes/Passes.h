//===- Passes.h - dp passes and registration --------------------*- C++ -*-===//

#ifndef DP_PASSES_PASSES_H
#define DP_PASSES_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Pass/Pass.h"

#include "dialect/Dp.h"

namespace mlir {
class DialectRegistry;
class LLVMTypeConverter;
class RewritePatternSet;

namespace dp {

#define GEN_PASS_DECL
#include "passes/Passes.h.inc"

/// Patterns lowering dp tape operations to the LLVM dialect; `!dp.tape`
/// becomes `!llvm.ptr` in `converter`.
void populateTapeToLLVMConversionPatterns(LLVMTypeConverter &converter,
                                          RewritePatternSet &patterns);

/// Lets one-shot bufferization handle tensors pushed to and popped from
/// tapes.
void registerTapeBufferizationModels(DialectRegistry &registry);

/// Registers the dp dialect and its interface implementations.
void registerDialects(DialectRegistry &registry);

/// Registers dp passes and pipelines with the global pass registry.
void registerPasses();

/// Registers the named pipelines (dp-lower-to-cpu).
void registerPipelines();

#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"

} // namespace dp
} // namespace mlir

#endif // DP_PASSES_PASSES_H
