//===- ArithRules.cpp - derivative rules of the arith dialect --------------===//
//
// Integer, index and comparison ops never carry derivatives (their results
// are not floats), and int-to-float casts have a zero derivative because
// their operand is never active, so only float-valued ops need rules here.
//
//===----------------------------------------------------------------------===//

#include "passes/autodiff/Rules.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::dp::autodiff;

/// `value` if non-null, else a zero of `like`'s type.
static Value orZero(RuleBuilder &rb, Value value, Type type) {
  return value ? value : rb.zero(type);
}

/// Rules for ops that pick one of two operands: the derivative flows to the
/// picked one. `pick` builds the i1 that is true when operand `first` is the
/// result.
static void addChoice(RuleRegistry &registry, StringRef name, unsigned first,
                      std::function<Value(RuleBuilder &)> pick) {
  unsigned second = first + 1;
  registry.addCustom(
      name,
      [=](RuleBuilder &rb, ArrayRef<Value> tangents,
          SmallVectorImpl<Value> &out) {
        Value a = tangents[first], b = tangents[second];
        if (!a && !b) {
          out.assign({Value()});
          return;
        }
        Type type = rb.getOp()->getResult(0).getType();
        out.assign({arith::SelectOp::create(rb.b(), rb.loc(), pick(rb),
                                            orZero(rb, a, type),
                                            orZero(rb, b, type))});
      },
      [=](RuleBuilder &rb, ArrayRef<Value> adjoints,
          SmallVectorImpl<Value> &out) {
        Value adjoint = adjoints[0];
        if (!adjoint)
          return;
        Value condition = pick(rb);
        Value zero = rb.zero(adjoint.getType());
        if (rb.isActiveOperand(first))
          out[first] = arith::SelectOp::create(rb.b(), rb.loc(), condition,
                                               adjoint, zero);
        if (rb.isActiveOperand(second))
          out[second] = arith::SelectOp::create(rb.b(), rb.loc(), condition,
                                                zero, adjoint);
      });
}

/// max/min: the derivative goes to the operand that is the result, half to
/// each on ties (the mean of the one-sided derivatives, as JAX and the
/// max/min reductions do). `firstWins` compares the operands; when
/// `nanLoses`, a NaN second operand also makes the first one the result
/// (maxnumf/minnumf return the number, not the NaN).
static void addExtremum(RuleRegistry &registry, StringRef name,
                        arith::CmpFPredicate firstWins, bool nanLoses) {
  registry.addPartial(name, [=](RuleBuilder &rb, unsigned i) {
    Value x = rb.operand(0), y = rb.operand(1);
    OpBuilder &b = rb.b();
    Location loc = rb.loc();
    Value wins = arith::CmpFOp::create(b, loc, firstWins, x, y);
    if (nanLoses) {
      Value yIsNaN = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, y, y);
      wins = arith::OrIOp::create(b, loc, wins, yIsNaN);
    }
    Value tie = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, x, y);
    Type type = x.getType();
    Value weight = arith::SelectOp::create(
        b, loc, wins, rb.constant(type, i == 0 ? 1.0 : 0.0),
        rb.constant(type, i == 0 ? 0.0 : 1.0));
    return Partial::of(
        arith::SelectOp::create(b, loc, tie, rb.constant(type, 0.5), weight));
  });
}

/// Float-to-float casts are linear; the adjoint goes through the opposite
/// cast.
template <typename CastOp, typename InverseOp>
static void addCast(RuleRegistry &registry) {
  registry.addCustom(
      CastOp::getOperationName(),
      [](RuleBuilder &rb, ArrayRef<Value> tangents,
         SmallVectorImpl<Value> &out) {
        Type type = rb.getOp()->getResult(0).getType();
        out.assign({tangents[0] ? Value(CastOp::create(rb.b(), rb.loc(), type,
                                                       tangents[0]))
                                : Value()});
      },
      [](RuleBuilder &rb, ArrayRef<Value> adjoints,
         SmallVectorImpl<Value> &out) {
        if (!adjoints[0])
          return;
        Type type = rb.getOp()->getOperand(0).getType();
        out[0] = InverseOp::create(rb.b(), rb.loc(), type, adjoints[0]);
      });
}

void mlir::dp::autodiff::registerArithRules(RuleRegistry &registry) {
  registry.addPartial(arith::AddFOp::getOperationName(),
                      [](RuleBuilder &, unsigned) { return Partial::one(); });
  registry.addPartial(arith::SubFOp::getOperationName(),
                      [](RuleBuilder &, unsigned i) {
                        return i == 0 ? Partial::one() : Partial::minusOne();
                      });
  registry.addPartial(
      arith::NegFOp::getOperationName(),
      [](RuleBuilder &, unsigned) { return Partial::minusOne(); });
  registry.addPartial(arith::MulFOp::getOperationName(),
                      [](RuleBuilder &rb, unsigned i) {
                        return Partial::of(rb.operand(1 - i));
                      });
  // d(a/b) = da / b - db * (a/b) / b: divide instead of multiplying by 1/b.
  registry.addCustom(
      arith::DivFOp::getOperationName(),
      [](RuleBuilder &rb, ArrayRef<Value> tangents,
         SmallVectorImpl<Value> &out) {
        Value numerator = tangents[0];
        if (tangents[1]) {
          Value term = rb.mul(rb.result(), tangents[1]);
          numerator = numerator ? rb.sub(numerator, term) : rb.neg(term);
        }
        out.assign({rb.div(numerator, rb.operand(1))});
      },
      [](RuleBuilder &rb, ArrayRef<Value> adjoints,
         SmallVectorImpl<Value> &out) {
        if (!adjoints[0])
          return;
        Value scaled = rb.div(adjoints[0], rb.operand(1));
        if (rb.isActiveOperand(0))
          out[0] = scaled;
        if (rb.isActiveOperand(1))
          out[1] = rb.neg(rb.mul(scaled, rb.result()));
      });
  // remf(a, b) = a - b * q with q the integer quotient fmod used. q is
  // recovered from the result, (a - r) / b rounded, because trunc(a / b)
  // can be off by one next to a multiple of b.
  registry.addPartial(arith::RemFOp::getOperationName(),
                      [](RuleBuilder &rb, unsigned i) {
                        if (i == 0)
                          return Partial::one();
                        Value quotient = rb.div(
                            rb.sub(rb.operand(0), rb.result()), rb.operand(1));
                        return Partial::of(rb.neg(math::RoundEvenOp::create(
                            rb.b(), rb.loc(), quotient)));
                      });

  addChoice(registry, arith::SelectOp::getOperationName(), 1,
            [](RuleBuilder &rb) { return rb.operand(0); });
  addExtremum(registry, arith::MaximumFOp::getOperationName(),
              arith::CmpFPredicate::UGE, /*nanLoses=*/false);
  addExtremum(registry, arith::MaxNumFOp::getOperationName(),
              arith::CmpFPredicate::OGE, /*nanLoses=*/true);
  addExtremum(registry, arith::MinimumFOp::getOperationName(),
              arith::CmpFPredicate::ULE, /*nanLoses=*/false);
  addExtremum(registry, arith::MinNumFOp::getOperationName(),
              arith::CmpFPredicate::OLE, /*nanLoses=*/true);

  addCast<arith::ExtFOp, arith::TruncFOp>(registry);
  addCast<arith::TruncFOp, arith::ExtFOp>(registry);

  registry.addDiscrete(arith::CmpFOp::getOperationName(),
                       "a comparison: its i1 result is discrete");
  for (StringRef name : {arith::FPToSIOp::getOperationName(),
                         arith::FPToUIOp::getOperationName()})
    registry.addDiscrete(name, "a conversion to an integer");
}
