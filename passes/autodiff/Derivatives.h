//===- Derivatives.h - creation and reuse of derivative functions -*- C++ -*-===//
//
// The differentiators turn one primal function into derivative functions:
//   forward mode: a tangent function, laid out like `dp.fwddiff`;
//   reverse mode: a pair sharing one tape,
//     augmented(args..., tape) -> results...   runs the primal and records,
//     reverse(tape, cotangents...) -> grads... reads the tape backwards.
// Every derivative of a call inside a derivative uses the same tape, so one
// tape (a LIFO stack) serves a whole call tree. DerivativeBuilder creates
// each derivative once per (callee, activities) and hands out the symbol.
//
//===----------------------------------------------------------------------===//

#ifndef DP_PASSES_AUTODIFF_DERIVATIVES_H
#define DP_PASSES_AUTODIFF_DERIVATIVES_H

#include "dialect/Dp.h"
#include "passes/autodiff/Rules.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

#include <map>

namespace mlir::dp::autodiff {

class ActivityAnalysis;

struct ReversePair {
  func::FuncOp augmented;
  func::FuncOp reverse;
};

/// The custom derivative rules of a function (see the dp dialect's
/// attributes); null where it has none.
struct CustomRules {
  func::FuncOp vjpForward, vjpBackward, jvp;
  bool checkpoint = false;
  /// Why differentiating the function is an error (a rule never given).
  StringAttr missing;

  static CustomRules of(func::FuncOp fn);
};

class DerivativeBuilder {
public:
  DerivativeBuilder(ModuleOp module, const RuleRegistry &rules);
  ~DerivativeBuilder();

  /// The tangent function of `primal`: operands are each argument followed
  /// by its tangent when `dupArgs[i]`; results follow `results` (const: the
  /// primal; dup: primal then tangent; dupnoneed: the tangent).
  FailureOr<func::FuncOp> forward(func::FuncOp primal, ArrayRef<bool> dupArgs,
                                  ArrayRef<Activity> results,
                                  Location request);

  /// The augmented/reverse pair of `primal` for the given active arguments
  /// and results. The reverse function returns one gradient per active
  /// argument and takes one cotangent per active result.
  FailureOr<ReversePair> reverse(func::FuncOp primal,
                                 ArrayRef<bool> activeArgs,
                                 ArrayRef<bool> activeResults,
                                 Location request);

  const RuleRegistry &getRules() const { return rules; }
  MLIRContext *getContext() { return module.getContext(); }
  TapeType getTapeType() { return TapeType::get(getContext(), {}); }

  /// Looks up the function a call refers to; emits an error at the call if
  /// it has no body to differentiate.
  FailureOr<func::FuncOp> resolveCallee(func::CallOp call);

private:
  /// The body to differentiate: `primal` itself when it is structured, else
  /// a copy lifted from unstructured control flow to scf.
  FailureOr<func::FuncOp> source(func::FuncOp primal);
  /// Adds `fn` to the module after `primal` under a fresh name.
  void insert(func::FuncOp fn, func::FuncOp primal);

  ModuleOp module;
  SymbolTable symbols;
  const RuleRegistry &rules;
  std::map<std::string, func::FuncOp> forwards;
  std::map<std::string, ReversePair> reverses;
  llvm::DenseMap<Operation *, func::FuncOp> lifted;
};

/// Fills `target`'s body with the tangent code of `source`.
LogicalResult buildForward(DerivativeBuilder &builder, func::FuncOp source,
                           func::FuncOp target, ArrayRef<bool> dupArgs,
                           ArrayRef<Activity> results);

/// Fills the bodies of `pair` with the forward and reverse sweeps of
/// `source`.
LogicalResult buildReverse(DerivativeBuilder &builder, func::FuncOp source,
                           ReversePair pair, ArrayRef<bool> activeArgs,
                           ArrayRef<bool> activeResults);

/// True for a call, passed a varied value, that reaches a custom VJP or JVP
/// rule (see reachesCustomRule): it is differentiated even where no
/// derivative is needed.
bool appliesCustomRule(const ActivityAnalysis &activity, Operation *op);

/// Reports that `op` cannot be differentiated; `reason` completes the
/// sentence "cannot differentiate 'op.name': ...".
InFlightDiagnostic reportNotDifferentiable(Operation *op, const Twine &reason);

/// Sets every element of the float buffer `buffer` to zero (a shadow or a
/// tangent whose old contents no longer count).
void fillWithZeros(OpBuilder &b, Location loc, Value buffer);

/// Fails, with an error at the op in `op` (itself included) where a varied
/// value would flow where its derivative cannot follow.
LogicalResult checkNothingLost(const ActivityAnalysis &activity, Operation *op);

} // namespace mlir::dp::autodiff

#endif // DP_PASSES_AUTODIFF_DERIVATIVES_H
