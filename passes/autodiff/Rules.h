//===- Rules.h - derivative rules of upstream operations --------*- C++ -*-===//
//
// A rule says how one operation differentiates. Most are elementwise: the
// rule gives the partial derivative of the result with respect to each
// operand, and the same partials serve forward mode (dy = sum_i p_i * dx_i)
// and reverse mode (dx_i += p_i * dy). Other rules give their forward and
// reverse code directly. Rules are grouped by dialect (rules/ArithRules.cpp,
// rules/MathRules.cpp) and looked up by operation name.
//
//===----------------------------------------------------------------------===//

#ifndef DP_PASSES_AUTODIFF_RULES_H
#define DP_PASSES_AUTODIFF_RULES_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringMap.h"

#include <functional>

namespace mlir::dp::autodiff {

/// What a rule builds derivative code with: a builder at the point where the
/// code goes, and access to the primal values of the op being differentiated.
/// In reverse mode primal values come from the tape (or are recomputed), so a
/// rule only asks for the values it uses: that decides what gets cached.
class RuleBuilder {
public:
  RuleBuilder(OpBuilder &builder, Operation *op,
              std::function<Value(Value)> primal,
              SmallVector<bool> activeOperands)
      : builder(builder), op(op), primal(std::move(primal)),
        activeOperands(std::move(activeOperands)) {}
  virtual ~RuleBuilder() = default;

  OpBuilder &b() { return builder; }
  Location loc() const { return op->getLoc(); }
  Operation *getOp() const { return op; }

  /// The primal value of operand `i` / result `i` where the code goes.
  Value operand(unsigned i) { return primal(op->getOperand(i)); }
  Value result(unsigned i = 0) { return primal(op->getResult(i)); }
  /// True if operand `i` is active: reverse-mode rules build its adjoint
  /// only then (and so ask only for the primal values that adjoint needs).
  bool isActiveOperand(unsigned i) const { return activeOperands[i]; }
  /// The primal value of any value of the op's function (an index operand,
  /// a value a rule rebuilds an op from).
  Value primalOf(Value value) { return primal(value); }

  /// Reverse mode: replaces the adjoint of operand `i` by `update(current)`,
  /// `current` being its adjoint so far (zeros if none). Rules whose
  /// contribution covers part of a tensor (an element, a slice) write that
  /// part in place, instead of adding a full-size contribution.
  void updateAdjoint(unsigned i, function_ref<Value(Value)> update) {
    updater(i, update);
  }
  void setAdjointUpdater(
      std::function<void(unsigned, function_ref<Value(Value)>)> fn) {
    updater = std::move(fn);
  }

  // Tensor helpers, for rules of array operations.
  Value empty(ShapedType type);
  /// Sum of `input` over `dims`, which disappear from the shape.
  Value reduceSum(Value input, ArrayRef<int64_t> dims);
  /// `input` broadcast to `type` along the new dimensions `dims`.
  Value broadcast(Value input, ShapedType type, ArrayRef<int64_t> dims);
  Value transpose(Value input, ArrayRef<int64_t> permutation);
  /// The 2-D matrix product a @ b.
  Value matmul(Value a, Value b);

  /// A float constant of `type` (a scalar float type, or a vector/tensor of
  /// one, as a splat).
  Value constant(Type type, double value);
  Value zero(Type type) { return constant(type, 0.0); }
  Value add(Value a, Value b);
  Value sub(Value a, Value b);
  Value mul(Value a, Value b);
  /// `partial * value`, but zero wherever `value` is zero (even where
  /// `partial` is infinite or NaN).
  Value mulUnlessZero(Value partial, Value value);
  Value div(Value a, Value b);
  Value neg(Value a);

private:
  OpBuilder &builder;
  Operation *op;
  std::function<Value(Value)> primal;
  SmallVector<bool> activeOperands;
  std::function<void(unsigned, function_ref<Value(Value)>)> updater;
};

/// A partial derivative: zero, one, minus one, or a value. The special forms
/// let rules for linear ops (addf, subf, negf) build no multiplications.
struct Partial {
  enum Kind { Zero, One, MinusOne, Value } kind;
  ::mlir::Value value;
  /// The partial may be infinite at finite inputs (sqrt at 0, log at 0, ...):
  /// a zero tangent or adjoint then gives zero, never 0 * inf = NaN. That is
  /// the derivative of code whose branch taken does not use the result (its
  /// adjoint is zero), as a tracing AD such as JAX or Zygote computes it.
  bool unbounded = false;
  static Partial zero() { return {Zero, {}}; }
  static Partial one() { return {One, {}}; }
  static Partial minusOne() { return {MinusOne, {}}; }
  static Partial of(::mlir::Value v) { return {Value, v}; }
  static Partial ofUnbounded(::mlir::Value v) { return {Value, v, true}; }
};

/// Builds the partial derivative of the (single) result with respect to
/// operand `index`.
using PartialFn = std::function<Partial(RuleBuilder &, unsigned index)>;
/// Forward mode: result tangents from operand tangents (null = zero).
using JvpFn = std::function<void(RuleBuilder &, ArrayRef<Value> tangents,
                                 SmallVectorImpl<Value> &resultTangents)>;
/// Reverse mode: operand adjoints (null = no contribution) from result
/// adjoints (null = zero).
using VjpFn = std::function<void(RuleBuilder &, ArrayRef<Value> adjoints,
                                 SmallVectorImpl<Value> &operandAdjoints)>;

struct Rule {
  /// Elementwise rules set `partial`; the others set `jvp` and `vjp`.
  PartialFn partial;
  JvpFn jvp;
  VjpFn vjp;
  /// The derivative is zero everywhere it exists (floor, round, ...): results
  /// are never active.
  bool zeroDerivative = false;
  /// For ops whose rule covers only some forms (a linalg.reduce with a known
  /// combiner): whether this op is one of them. Others have no rule.
  std::function<bool(Operation *)> applies;
};

class RuleRegistry {
public:
  RuleRegistry();

  const Rule *lookup(Operation *op) const;
  bool hasZeroDerivative(Operation *op) const {
    const Rule *rule = lookup(op);
    return rule && rule->zeroDerivative;
  }

  void addPartial(StringRef opName, PartialFn partial);
  void addCustom(StringRef opName, JvpFn jvp, VjpFn vjp,
                 std::function<bool(Operation *)> applies = {});
  void addZero(StringRef opName);

  /// Ops whose results are discrete (comparisons, conversions to integers,
  /// shapes) although their operands may carry derivatives: the derivative
  /// stops there by definition. Any other op whose operands carry a
  /// derivative and whose results cannot is an error, never a silent zero.
  void addDiscrete(StringRef opName, StringRef reason);
  /// Why `op`'s results carry no derivative, or empty if it is not listed.
  StringRef discreteReason(Operation *op) const;
  /// Every listed op name with its reason (for dp-print-derivative-rules).
  const llvm::StringMap<std::string> &discreteOps() const { return discrete; }
  /// Every op name with a derivative rule, and whether it is zero.
  const llvm::StringMap<Rule> &allRules() const { return rules; }

  /// Forward and reverse code of a rule, whatever its kind.
  void jvp(const Rule &rule, RuleBuilder &rb, ArrayRef<Value> tangents,
           SmallVectorImpl<Value> &resultTangents) const;
  void vjp(const Rule &rule, RuleBuilder &rb, ArrayRef<Value> adjoints,
           SmallVectorImpl<Value> &operandAdjoints) const;

private:
  llvm::StringMap<Rule> rules;
  llvm::StringMap<std::string> discrete;
};

void registerArithRules(RuleRegistry &registry);
void registerMathRules(RuleRegistry &registry);
void registerTensorRules(RuleRegistry &registry);
void registerLinalgRules(RuleRegistry &registry);

} // namespace mlir::dp::autodiff

#endif // DP_PASSES_AUTODIFF_RULES_H
