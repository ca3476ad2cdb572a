//===- Activity.h - which values carry derivatives --------------*- C++ -*-===//
//
// A value is active when it depends on an active argument (it is *varied*)
// and an active result depends on it (it is *useful*), and its type can carry
// a derivative. Only active values get tangents or adjoints; inactive code is
// copied into derivatives as it is and nothing of it is cached.
//
//===----------------------------------------------------------------------===//

#ifndef DP_PASSES_AUTODIFF_ACTIVITY_H
#define DP_PASSES_AUTODIFF_ACTIVITY_H

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
  /// True if an operand of `op` is varied although `op` has no result that
  /// could carry the derivative on (a store to memory, an unknown effect):
  /// the derivative would be lost, so differentiation must refuse.
  bool losesDerivative(Operation *op) const;
  /// The first op in `op` (itself included) that loses a derivative, or null.
  Operation *findLostDerivative(Operation *op) const;

private:
  void propagateVaried(FunctionOpInterface fn);
  void propagateUseful(FunctionOpInterface fn, ArrayRef<bool> activeResults);

  const RuleRegistry &rules;
  llvm::DenseSet<Value> varied;
  llvm::DenseSet<Value> useful;
};

} // namespace mlir::dp::autodiff

#endif // DP_PASSES_AUTODIFF_ACTIVITY_H
