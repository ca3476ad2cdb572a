//===- ArithMath.cpp - StableHLO export of arith and math ops -------------===//
//
// Elementwise on scalars (rank-0 tensors) and tensors alike. Functions
// StableHLO has no op for are composed of ops it has, in forms accurate
// to a few ulps (sinh from expm1, asin from atan2, ...), since the
// portable artifact carries StableHLO only.
//
//===----------------------------------------------------------------------===//

#include "passes/stablehlo/Emitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::dp::stablehlo;

namespace {
/// Ops that are one StableHLO op of the same operands.
StringRef directCounterpart(Operation *op) {
  return llvm::StringSwitch<StringRef>(op->getName().getStringRef())
      .Cases({"arith.addf", "arith.addi"}, "add")
      .Cases({"arith.subf", "arith.subi"}, "subtract")
      .Cases({"arith.mulf", "arith.muli"}, "multiply")
      .Cases({"arith.divf", "arith.divsi"}, "divide")
      .Cases({"arith.remf", "arith.remsi"}, "remainder")
      .Cases({"arith.maximumf", "arith.maxsi"}, "maximum")
      .Cases({"arith.minimumf", "arith.minsi"}, "minimum")
      .Case("arith.negf", "negate")
      .Case("arith.andi", "and")
      .Case("arith.ori", "or")
      .Case("arith.xori", "xor")
      .Case("arith.shli", "shift_left")
      .Case("arith.shrsi", "shift_right_arithmetic")
      .Case("arith.shrui", "shift_right_logical")
      .Case("math.sin", "sine")
      .Case("math.cos", "cosine")
      .Case("math.tan", "tan")
      .Case("math.exp", "exponential")
      .Case("math.expm1", "exponential_minus_one")
      .Case("math.log", "log")
      .Case("math.log1p", "log_plus_one")
      .Case("math.sqrt", "sqrt")
      .Case("math.rsqrt", "rsqrt")
      .Case("math.cbrt", "cbrt")
      .Case("math.tanh", "tanh")
      .Cases({"math.absf", "math.absi"}, "abs")
      .Case("math.powf", "power")
      .Case("math.atan2", "atan2")
      .Case("math.floor", "floor")
      .Case("math.ceil", "ceil")
      .Case("math.round", "round_nearest_afz")
      .Case("math.roundeven", "round_nearest_even")
      .Case("math.isfinite", "is_finite")
      .Default("");
}

bool isCast(Operation *op) {
  return isa<arith::SIToFPOp, arith::UIToFPOp, arith::FPToSIOp,
             arith::ExtFOp, arith::TruncFOp, arith::ExtSIOp, arith::ExtUIOp,
             arith::TruncIOp, arith::IndexCastOp, arith::IndexCastUIOp>(op);
}
} // namespace

static Value splatLike(Emitter &e, Value like, double value) {
  auto type = cast<RankedTensorType>(like.getType());
  Value scalar = e.scalarConstant(type.getElementType(), value);
  return e.broadcastTo(scalar, type.getShape(), {});
}

/// Float comparisons: ordered predicates are StableHLO's FLOAT compares
/// (false on NaN) except `une`; the others are negations or combinations.
static Value compareFloat(Emitter &e, arith::CmpFPredicate pred, Value a,
                          Value b) {
  using P = arith::CmpFPredicate;
  auto negated = [&](StringRef dir) {
    Value c = e.compare(a, b, dir);
    return e.op("not", c, c.getType());
  };
  switch (pred) {
  case P::OEQ: return e.compare(a, b, "EQ");
  case P::OGT: return e.compare(a, b, "GT");
  case P::OGE: return e.compare(a, b, "GE");
  case P::OLT: return e.compare(a, b, "LT");
  case P::OLE: return e.compare(a, b, "LE");
  case P::UNE: return e.compare(a, b, "NE");
  case P::UEQ: {
    Value lt = e.compare(a, b, "LT"), gt = e.compare(a, b, "GT");
    Value ordered = e.op("or", {lt, gt}, lt.getType());
    return e.op("not", ordered, ordered.getType());
  }
  case P::ONE: {
    Value lt = e.compare(a, b, "LT"), gt = e.compare(a, b, "GT");
    return e.op("or", {lt, gt}, lt.getType());
  }
  case P::UGT: return negated("LE");
  case P::UGE: return negated("LT");
  case P::ULT: return negated("GE");
  case P::ULE: return negated("GT");
  case P::ORD: {
    Value x = e.compare(a, a, "EQ"), y = e.compare(b, b, "EQ");
    return e.op("and", {x, y}, x.getType());
  }
  case P::UNO: {
    Value x = e.compare(a, a, "NE"), y = e.compare(b, b, "NE");
    return e.op("or", {x, y}, x.getType());
  }
  case P::AlwaysTrue:
  case P::AlwaysFalse: {
    Value c = e.compare(a, a, "EQ");
    return splatLike(e, c, pred == P::AlwaysTrue ? 1 : 0);
  }
  }
  return nullptr;
}

/// Integer comparisons; unsigned ones compare with the sign bit flipped.
static Value compareInt(Emitter &e, arith::CmpIPredicate pred, Value a,
                        Value b) {
  using P = arith::CmpIPredicate;
  auto type = cast<RankedTensorType>(a.getType());
  unsigned width = type.getElementType().getIntOrFloatBitWidth();
  bool isUnsigned = pred == P::ult || pred == P::ule || pred == P::ugt ||
                    pred == P::uge;
  if (isUnsigned && width > 1) {
    Value bit = e.broadcastTo(
        e.intConstant(std::numeric_limits<int64_t>::min() >> (64 - width),
                      type.getElementType()),
        type.getShape(), {});
    a = e.op("xor", {a, bit}, a.getType());
    b = e.op("xor", {b, bit}, b.getType());
  }
  switch (pred) {
  case P::eq: return e.compare(a, b, "EQ");
  case P::ne: return e.compare(a, b, "NE");
  case P::slt: case P::ult: return e.compare(a, b, "LT");
  case P::sle: case P::ule: return e.compare(a, b, "LE");
  case P::sgt: case P::ugt: return e.compare(a, b, "GT");
  case P::sge: case P::uge: return e.compare(a, b, "GE");
  }
  return nullptr;
}

/// The NaN-ignoring maximum/minimum (maxnumf/minnumf): the other operand
/// where one is NaN.
static Value numExtremum(Emitter &e, Value a, Value b, bool maximum) {
  Value m = e.op(maximum ? "maximum" : "minimum", {a, b}, a.getType());
  Value aNan = e.compare(a, a, "NE"), bNan = e.compare(b, b, "NE");
  return e.select(aNan, b, e.select(bNan, a, m));
}

/// floor division of signed integers: the truncated quotient, one less
/// where the remainder is nonzero and its sign differs from the divisor's.
static Value floorDiv(Emitter &e, Value a, Value b, bool ceil) {
  Type t = a.getType();
  Value q = e.op("divide", {a, b}, t), r = e.op("remainder", {a, b}, t);
  Value zero = splatLike(e, a, 0), one = splatLike(e, a, 1);
  Value nonzero = e.compare(r, zero, "NE");
  Value rNeg = e.compare(r, zero, "LT"), bNeg = e.compare(b, zero, "LT");
  Value signs = e.compare(rNeg, bNeg, ceil ? "EQ" : "NE");
  Value adjust = e.op("and", {nonzero, signs}, nonzero.getType());
  Value step = e.select(adjust, one, zero);
  return e.op(ceil ? "add" : "subtract", {q, step}, t);
}

/// Composed functions: StableHLO has no op of their own.
static Value composed(Emitter &e, Operation *op, ValueRange x) {
  Type t = x[0].getType();
  auto c = [&](double v) { return splatLike(e, x[0], v); };
  auto mul = [&](Value a, Value b) { return e.op("multiply", {a, b}, t); };
  auto add = [&](Value a, Value b) { return e.op("add", {a, b}, t); };
  auto sub = [&](Value a, Value b) { return e.op("subtract", {a, b}, t); };
  auto div = [&](Value a, Value b) { return e.op("divide", {a, b}, t); };
  auto un = [&](StringRef name, Value a) { return e.op(name, a, t); };
  // sqrt((1 - x)(1 + x)), accurate near |x| = 1.
  auto cosOfAsin = [&](Value a) {
    return un("sqrt", mul(sub(c(1), a), add(c(1), a)));
  };
  return llvm::TypeSwitch<Operation *, Value>(op)
      .Case([&](math::SinhOp) {
        return mul(c(0.5), sub(un("exponential_minus_one", x[0]),
                               un("exponential_minus_one", un("negate", x[0]))));
      })
      .Case([&](math::CoshOp) {
        return mul(c(0.5), add(un("exponential", x[0]),
                               un("exponential", un("negate", x[0]))));
      })
      .Case([&](math::AtanOp) { return e.op("atan2", {x[0], c(1)}, t); })
      .Case([&](math::AsinOp) {
        return e.op("atan2", {x[0], cosOfAsin(x[0])}, t);
      })
      .Case([&](math::AcosOp) {
        return e.op("atan2", {cosOfAsin(x[0]), x[0]}, t);
      })
      .Case([&](math::AsinhOp) {
        // sign(x) log1p(|x| + x^2 / (1 + sqrt(1 + x^2)))
        Value a = un("abs", x[0]);
        Value s = un("sqrt", add(c(1), mul(a, a)));
        Value r = un("log_plus_one", add(a, div(mul(a, a), add(c(1), s))));
        return mul(un("sign", x[0]), r);
      })
      .Case([&](math::AcoshOp) {
        return un("log", add(x[0], un("sqrt", mul(sub(x[0], c(1)),
                                                  add(x[0], c(1))))));
      })
      .Case([&](math::AtanhOp) {
        return mul(c(0.5), un("log_plus_one",
                              div(mul(c(2), x[0]), sub(c(1), x[0]))));
      })
      .Case([&](math::Exp2Op) { return e.op("power", {c(2), x[0]}, t); })
      .Case([&](math::Log2Op) { return div(un("log", x[0]), c(std::log(2.0))); })
      .Case([&](math::Log10Op) {
        return div(un("log", x[0]), c(std::log(10.0)));
      })
      .Case([&](math::TruncOp) {
        Value neg = e.compare(x[0], c(0), "LT");
        return e.select(neg, un("ceil", x[0]), un("floor", x[0]));
      })
      .Case([&](math::FmaOp) { return add(mul(x[0], x[1]), x[2]); })
      .Case([&](math::CopySignOp) {
        // |x| with the sign bit of y (its bits, so -0.0 counts as negative).
        auto type = cast<RankedTensorType>(t);
        unsigned width = type.getElementType().getIntOrFloatBitWidth();
        auto bitsType = RankedTensorType::get(
            type.getShape(), IntegerType::get(t.getContext(), width));
        Value bits = e.op("bitcast_convert", x[1], bitsType);
        Value zero = e.broadcastTo(e.intConstant(0, bitsType.getElementType()),
                                   type.getShape(), {});
        Value negative = e.compare(bits, zero, "LT");
        Value a = un("abs", x[0]);
        return e.select(negative, un("negate", a), a);
      })
      .Case([&](math::IsNaNOp) { return e.compare(x[0], x[0], "NE"); })
      .Case([&](math::IsInfOp) {
        Value inf = c(std::numeric_limits<double>::infinity());
        return e.compare(un("abs", x[0]), inf, "EQ");
      })
      .Case([&](math::FPowIOp) {
        return e.op("power", {x[0], e.convert(x[1], cast<RankedTensorType>(t)
                                                        .getElementType())},
                    t);
      })
      .Case([&](math::IPowIOp) { return e.op("power", {x[0], x[1]}, t); })
      .Case([&](arith::MaxNumFOp) { return numExtremum(e, x[0], x[1], true); })
      .Case([&](arith::MinNumFOp) { return numExtremum(e, x[0], x[1], false); })
      .Case([&](arith::FloorDivSIOp) { return floorDiv(e, x[0], x[1], false); })
      .Case([&](arith::CeilDivSIOp) { return floorDiv(e, x[0], x[1], true); })
      .Default([](Operation *) { return Value(); });
}

LogicalResult Emitter::emitArithMath(Operation *op, bool &handled) {
  StringRef dialect = op->getName().getDialectNamespace();
  if (dialect != "arith" && dialect != "math")
    return success();
  handled = true;
  SmallVector<Value> operands;
  for (Value v : op->getOperands())
    operands.push_back(operandAt(v));
  auto setResult = [&](Value v) {
    map(op->getResult(0), v);
    return success();
  };

  if (auto cst = dyn_cast<arith::ConstantOp>(op)) {
    Type type = convertType(cst.getType());
    if (!type)
      return unsupported(op, "its type has no StableHLO form");
    auto shaped = cast<RankedTensorType>(type);
    Attribute value = cst.getValue();
    if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
      if (isa<IndexType>(dense.getElementType()))
        dense = DenseElementsAttr::get(
            shaped, llvm::to_vector(dense.getValues<APInt>()));
      return setResult(constant(dense.reshape(shaped)));
    }
    if (auto i = dyn_cast<IntegerAttr>(value))
      return setResult(constant(DenseElementsAttr::get(
          shaped, APInt(shaped.getElementType().getIntOrFloatBitWidth(),
                        i.getValue().getSExtValue(), true))));
    if (auto f = dyn_cast<FloatAttr>(value))
      return setResult(constant(DenseElementsAttr::get(shaped, f.getValue())));
    return unsupported(op, "its constant has no StableHLO form");
  }
  if (auto mul = dyn_cast<arith::MulSIExtendedOp>(op)) {
    // The frontend's integer-overflow checks read the high half; like the
    // other runtime checks, they are not exported (XLA's integers wrap), so
    // the high half is the low half's sign.
    Type t = operands[0].getType();
    Value low = this->op("multiply", operands, t);
    auto type = cast<RankedTensorType>(t);
    int64_t bits = type.getElementType().getIntOrFloatBitWidth() - 1;
    Value shift = broadcastTo(intConstant(bits, type.getElementType()),
                              type.getShape(), {});
    map(mul.getLow(), low);
    map(mul.getHigh(), this->op("shift_right_arithmetic", {low, shift}, t));
    return success();
  }
  Type resultType =
      op->getNumResults() == 1 ? convertType(op->getResult(0).getType()) : Type();
  if (!resultType)
    return unsupported(op, "its result type has no StableHLO form");
  if (bodyShape)
    resultType = RankedTensorType::get(
        *bodyShape, cast<RankedTensorType>(resultType).getElementType());

  if (StringRef name = directCounterpart(op); !name.empty())
    return setResult(this->op(name, operands, resultType));
  if (auto cmp = dyn_cast<arith::CmpFOp>(op))
    return setResult(compareFloat(*this, cmp.getPredicate(), operands[0],
                                  operands[1]));
  if (auto cmp = dyn_cast<arith::CmpIOp>(op))
    return setResult(
        compareInt(*this, cmp.getPredicate(), operands[0], operands[1]));
  if (isa<arith::SelectOp>(op))
    return setResult(select(operands[0], operands[1], operands[2]));
  if (isCast(op)) {
    Type element = cast<RankedTensorType>(resultType).getElementType();
    Type from = cast<RankedTensorType>(operands[0].getType()).getElementType();
    // uitofp/extui of i1 are 0 and 1; of wider unsigned ints they would
    // need an unsigned type StableHLO's signless integers lack.
    if (isa<arith::UIToFPOp, arith::ExtUIOp, arith::IndexCastUIOp>(op) &&
        !from.isInteger(1) && from.getIntOrFloatBitWidth() >= 64 &&
        from != element)
      return unsupported(op, "it reads a 64-bit integer as unsigned");
    return setResult(convert(operands[0], element));
  }
  if (isa<arith::BitcastOp>(op))
    return setResult(this->op("bitcast_convert", operands, resultType));
  if (Value v = composed(*this, op, operands))
    return setResult(v);
  return unsupported(op, "StableHLO has no counterpart of this operation");
}
