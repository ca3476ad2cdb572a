//===- Dp.h - the dp dialect ------------------------------------*- C++ -*-===//
//
// Dialect, attributes, types and operations of dp. Everything that uses the
// dialect includes this header.
//
//===----------------------------------------------------------------------===//

#ifndef DP_DIALECT_DP_H
#define DP_DIALECT_DP_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialect/DpDialect.h.inc"
#include "dialect/DpEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialect/DpAttrs.h.inc"

#define GET_TYPEDEF_CLASSES
#include "dialect/DpTypes.h.inc"

namespace mlir::dp {

/// Attribute names of the custom derivative rules of a func.func.
inline constexpr llvm::StringLiteral kCustomVjpAttr = "dp.custom_vjp";
inline constexpr llvm::StringLiteral kCustomJvpAttr = "dp.custom_jvp";
inline constexpr llvm::StringLiteral kCheckpointAttr = "dp.checkpoint";
/// A function declared with a custom rule that was never given: its
/// derivative is an error with this message, not the primal's derivative.
inline constexpr llvm::StringLiteral kMissingRuleAttr = "dp.missing_rule";

} // namespace mlir::dp

namespace mlir::dp {

/// The memory a tape owns; tape ops read, write, allocate and free it.
struct TapeResource : public SideEffects::Resource::Base<TapeResource> {
  StringRef getName() final { return "dp.tape"; }
};

/// True for the types a value marked `active` may have: floats, complex
/// numbers, and vectors or ranked tensors of them.
/// True for memrefs and statically shaped tensors: the arguments a
/// reverse-mode derivative's reverse half receives again, to read instead of
/// recording. (A caller can always hand on a static tensor: if it is not its
/// own argument, it records a copy; a dynamic one could not be recorded.)
bool isArrayType(Type type);
bool isDifferentiableType(Type type);

/// True for the types a `dp.tape` may hold: integers, indices and floats of
/// at most 64 bits, and statically shaped tensors and identity-layout memrefs
/// of them (a tape keeps its own copy of an array).
bool isTapeElementType(Type type);

} // namespace mlir::dp

#define GET_OP_CLASSES
#include "dialect/DpOps.h.inc"

#endif // DP_DIALECT_DP_H
