//===- Activity.h - which values carry derivatives --------------*- C++ -*-===//
//
// A value is active when it depends on an active argument (it is *varied*)
// and an active result depends on it (it is *useful*), and its type can carry
// a derivative. Only active values get tangents or adjoints; inactive code is
// copied into derivatives as it is and nothing of it is cached.
//
// Buffers. A memref of floats is *shadowed* when its elements carry
// derivatives: a `dup` argument, or an allocation a varied value is stored
// into. Views of a buffer (subview, cast, reshapes) share its shadowing; a
// load from a shadowed buffer is varied. Derivatives live in a shadow buffer
// of the same shape: forward mode writes tangents into it next to each
// store, reverse mode accumulates adjoints into it at each load and takes
// them out at each store.
//
// Tapes. Differentiating code that itself holds derivative code (nested
// differentiation) differentiates tape pushes and pops. The analysis does
// not follow values through a tape: a float popped off a tape, or returned
// by a call that is passed a tape, is varied, and a float pushed onto a
// tape, or passed to such a call, is useful. That over-approximates
// activity, which costs some zero derivatives but never loses one.
//
//===----------------------------------------------------------------------===//

#ifndef DP_PASSES_AUTODIFF_ACTIVITY_H
#define DP_PASSES_AUTODIFF_ACTIVITY_H

#include "dialect/Dp.h"
#include "mlir/IR/Value.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::dp::autodiff {

class RuleRegistry;

class ActivityAnalysis {
public:
  /// Analyzes the body of `fn` (structured control flow only) for the given
  /// active arguments and results.
  ActivityAnalysis(FunctionOpInterface fn, ArrayRef<bool> activeArgs,
                   ArrayRef<bool> activeResults, const RuleRegistry &rules);

  bool isVaried(Value value) const { return varied.contains(value); }
  bool isUseful(Value value) const { return useful.contains(value); }
  bool isActive(Value value) const {
    return isVaried(value) && isUseful(value);
  }
  /// True if any result of `op` is active (its derivative must be built).
  bool isActive(Operation *op) const;
  /// True if `op` has derivative code: an active result, a buffer op on a
  /// shadowed buffer (a store, a view, an allocation), or such an op nested
  /// in its regions.
  bool needsDerivative(Operation *op) const;

  /// The allocation or argument that the buffer `memref` is a view of.
  static Value rootOf(Value memref);
  /// True if the buffer `memref` (a memref value) has a shadow.
  bool isShadowed(Value memref) const {
    return shadowedRoots.contains(rootOf(memref));
  }
  /// True if `op` is a call that runs a function with a custom VJP or JVP
  /// rule (the callee or a function it calls): the rule must run wherever a
  /// varied value reaches it, as JAX's tracing would, even if no derivative
  /// flows out (a rule's forward function may compute something else).
  bool reachesCustomRule(Operation *op) const { return ruleCalls.contains(op); }
  /// True if `memref` is a view of a function argument that nothing in the
  /// function writes to (through any view): its elements can be read again
  /// in the reverse sweep instead of being recorded.
  bool isReadOnlyArgument(Value memref) const;

  /// Why `op` would lose a derivative, or an empty string if it does not:
  /// a varied value stored where no shadow follows it, a shadowed buffer
  /// used by an op without a buffer rule, a varied value flowing into an
  /// effect the analysis cannot follow.
  StringRef whyLost(Operation *op) const;
  /// The first op in `op` (itself included) that loses a derivative, or null.
  Operation *findLostDerivative(Operation *op) const;

private:
  void findBuffers(FunctionOpInterface fn, ArrayRef<bool> activeArgs);
  void propagateVaried(FunctionOpInterface fn);
  void propagateUseful(FunctionOpInterface fn, ArrayRef<bool> activeResults);
  /// True if `v` is varied or a shadowed buffer.
  bool carriesDerivative(Value v) const {
    return isVaried(v) || (isa<MemRefType>(v.getType()) && isShadowed(v));
  }

  const RuleRegistry &rules;
  llvm::DenseSet<Value> varied;
  llvm::DenseSet<Value> useful;
  llvm::DenseSet<Value> shadowedRoots;
  /// Roots some op may write to (a store, a copy, a call, ...).
  llvm::DenseSet<Value> writtenRoots;
  llvm::DenseSet<Value> argumentRoots;
  /// The calls in the function that reach a custom rule.
  llvm::DenseSet<Operation *> ruleCalls;
};

/// True for the memref ops that make a view of their first operand.
bool isBufferView(Operation *op);
/// True for the buffer ops the differentiators have rules for: loads,
/// stores, copies, views, allocations, deallocations and dims.
bool isBufferOp(Operation *op);
/// True for dp.tape.init/push/pop/rewind/free.
bool isTapeOp(Operation *op);
/// True if `op` uses a tape (a tape op on it, or a call passing it). Tapes
/// in differentiated code come from derivatives requested inside it: every
/// such tape has a shadow tape that records the derivatives of the floats
/// pushed onto it, so ops that use a tape always have derivative code.
bool usesTape(Operation *op);
/// True for the tape element types whose derivatives the shadow tape
/// records (floats and float tensors); integers have none.
inline bool hasShadowOnTape(Type type) { return isDifferentiableType(type); }

/// Why the analysis models ops named `name` itself (control flow, calls,
/// buffers, requests, ...), or empty. Any other op is differentiated by a
/// rule, has discrete results (RuleRegistry::discreteReason), or is an error
/// wherever a derivative would flow through it.
StringRef modeledReason(RegisteredOperationName name);

} // namespace mlir::dp::autodiff

#endif // DP_PASSES_AUTODIFF_ACTIVITY_H
