//===- Rules.cpp - rule registry and helpers -------------------------------===//

#include "passes/autodiff/Rules.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::dp::autodiff;

Value RuleBuilder::constant(Type type, double value) {
  Type element = getElementTypeOrSelf(type);
  auto attr = FloatAttr::get(element, value);
  if (auto shaped = dyn_cast<ShapedType>(type))
    return arith::ConstantOp::create(builder, loc(),
                                     DenseElementsAttr::get(shaped, attr));
  return arith::ConstantOp::create(builder, loc(), attr);
}

Value RuleBuilder::add(Value a, Value b) {
  return arith::AddFOp::create(builder, loc(), a, b);
}
Value RuleBuilder::sub(Value a, Value b) {
  return arith::SubFOp::create(builder, loc(), a, b);
}
Value RuleBuilder::mul(Value a, Value b) {
  return arith::MulFOp::create(builder, loc(), a, b);
}
Value RuleBuilder::mulUnlessZero(Value partial, Value value) {
  Value zero = this->zero(value.getType());
  Value isZero = arith::CmpFOp::create(builder, loc(), arith::CmpFPredicate::OEQ,
                                       value, zero);
  return arith::SelectOp::create(builder, loc(), isZero, zero,
                                 mul(partial, value));
}
Value RuleBuilder::div(Value a, Value b) {
  return arith::DivFOp::create(builder, loc(), a, b);
}
Value RuleBuilder::neg(Value a) {
  return arith::NegFOp::create(builder, loc(), a);
}

Value RuleBuilder::empty(ShapedType type) {
  return tensor::EmptyOp::create(builder, loc(), type.getShape(),
                                 type.getElementType());
}

Value RuleBuilder::reduceSum(Value input, ArrayRef<int64_t> dims) {
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape;
  for (auto [i, size] : llvm::enumerate(type.getShape()))
    if (!llvm::is_contained(dims, int64_t(i)))
      shape.push_back(size);
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  Value init = linalg::FillOp::create(builder, loc(), ValueRange{zero(type.getElementType())},
                                      ValueRange{empty(resultType)})
                   .getResult(0);
  return linalg::ReduceOp::create(
             builder, loc(), ValueRange{input}, ValueRange{init}, dims,
             [](OpBuilder &b, Location loc, ValueRange args) {
               Value sum = arith::AddFOp::create(b, loc, args[0], args[1]);
               linalg::YieldOp::create(b, loc, sum);
             })
      .getResult(0);
}

Value RuleBuilder::broadcast(Value input, ShapedType type,
                             ArrayRef<int64_t> dims) {
  return linalg::BroadcastOp::create(builder, loc(), input, empty(type), dims)
      ->getResult(0);
}

Value RuleBuilder::transpose(Value input, ArrayRef<int64_t> permutation) {
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape;
  for (int64_t p : permutation)
    shape.push_back(type.getDimSize(p));
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  return linalg::TransposeOp::create(builder, loc(), input, empty(resultType),
                                     permutation)
      ->getResult(0);
}

Value RuleBuilder::matmul(Value a, Value b) {
  auto aType = cast<RankedTensorType>(a.getType());
  auto bType = cast<RankedTensorType>(b.getType());
  auto resultType = RankedTensorType::get(
      {aType.getDimSize(0), bType.getDimSize(1)}, aType.getElementType());
  Value init = linalg::FillOp::create(builder, loc(), ValueRange{zero(aType.getElementType())},
                                      ValueRange{empty(resultType)})
                   .getResult(0);
  return linalg::MatmulOp::create(builder, loc(), TypeRange{resultType},
                                  ValueRange{a, b}, ValueRange{init})
      .getResult(0);
}

RuleRegistry::RuleRegistry() {
  registerArithRules(*this);
  registerMathRules(*this);
  registerTensorRules(*this);
  registerLinalgRules(*this);
}

const Rule *RuleRegistry::lookup(Operation *op) const {
  auto it = rules.find(op->getName().getStringRef());
  if (it == rules.end() || (it->second.applies && !it->second.applies(op)))
    return nullptr;
  return &it->second;
}

void RuleRegistry::addPartial(StringRef opName, PartialFn partial) {
  rules[opName].partial = std::move(partial);
}

void RuleRegistry::addCustom(StringRef opName, JvpFn jvp, VjpFn vjp,
                             std::function<bool(Operation *)> applies) {
  Rule &rule = rules[opName];
  rule.jvp = std::move(jvp);
  rule.vjp = std::move(vjp);
  rule.applies = std::move(applies);
}

void RuleRegistry::addZero(StringRef opName) {
  rules[opName].zeroDerivative = true;
}

void RuleRegistry::addDiscrete(StringRef opName, StringRef reason) {
  discrete[opName] = reason.str();
}

StringRef RuleRegistry::discreteReason(Operation *op) const {
  auto it = discrete.find(op->getName().getStringRef());
  return it == discrete.end() ? StringRef() : StringRef(it->second);
}

/// Applies a partial to a tangent or adjoint `value`.
static Value scale(RuleBuilder &rb, const Partial &partial, Value value) {
  switch (partial.kind) {
  case Partial::Zero:
    return {};
  case Partial::One:
    return value;
  case Partial::MinusOne:
    return rb.neg(value);
  case Partial::Value:
    return partial.unbounded ? rb.mulUnlessZero(partial.value, value)
                             : rb.mul(partial.value, value);
  }
  llvm_unreachable("unknown partial kind");
}

void RuleRegistry::jvp(const Rule &rule, RuleBuilder &rb,
                       ArrayRef<Value> tangents,
                       SmallVectorImpl<Value> &resultTangents) const {
  if (rule.zeroDerivative) {
    resultTangents.assign(rb.getOp()->getNumResults(), Value());
    return;
  }
  if (!rule.partial) {
    rule.jvp(rb, tangents, resultTangents);
    return;
  }
  Value sum;
  for (auto [index, tangent] : llvm::enumerate(tangents)) {
    if (!tangent)
      continue;
    Partial partial = rule.partial(rb, index);
    // Subtract a negated term rather than negating it first.
    if (partial.kind == Partial::MinusOne && sum) {
      sum = rb.sub(sum, tangent);
      continue;
    }
    if (Value term = scale(rb, partial, tangent))
      sum = sum ? rb.add(sum, term) : term;
  }
  resultTangents.assign({sum});
}

void RuleRegistry::vjp(const Rule &rule, RuleBuilder &rb,
                       ArrayRef<Value> adjoints,
                       SmallVectorImpl<Value> &operandAdjoints) const {
  operandAdjoints.assign(rb.getOp()->getNumOperands(), Value());
  if (rule.zeroDerivative)
    return;
  if (!rule.partial) {
    rule.vjp(rb, adjoints, operandAdjoints);
    return;
  }
  Value adjoint = adjoints.front();
  if (!adjoint)
    return;
  for (unsigned index = 0, e = rb.getOp()->getNumOperands(); index < e;
       ++index)
    if (rb.isActiveOperand(index))
      operandAdjoints[index] = scale(rb, rule.partial(rb, index), adjoint);
}
