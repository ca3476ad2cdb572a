//===- MathRules.cpp - derivative rules of the math dialect ----------------===//
//
// Each rule is the partial derivative of the result with respect to each
// operand, written in terms of the primal operand x or the primal result y,
// whichever is cheaper to keep (exp keeps y, sin keeps x).
//
//===----------------------------------------------------------------------===//

#include "passes/autodiff/Rules.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;
using namespace mlir::dp::autodiff;

namespace {
/// Shorthands for the formulas below; all ops are built at the rule's point.
struct Formula {
  RuleBuilder &rb;
  Type type;

  explicit Formula(RuleBuilder &rb)
      : rb(rb), type(rb.getOp()->getResult(0).getType()) {}

  Value x(unsigned i = 0) { return rb.operand(i); }
  Value y() { return rb.result(); }
  Value c(double value) { return rb.constant(type, value); }
  Value add(Value a, Value b) { return rb.add(a, b); }
  Value sub(Value a, Value b) { return rb.sub(a, b); }
  Value mul(Value a, Value b) { return rb.mul(a, b); }
  Value div(Value a, Value b) { return rb.div(a, b); }
  Value neg(Value a) { return rb.neg(a); }
  Value sq(Value a) { return rb.mul(a, a); }
  template <typename OpTy, typename... Args> Value op(Args... args) {
    return OpTy::create(rb.b(), rb.loc(), args...);
  }
  Value sqrt(Value a) { return op<math::SqrtOp>(a); }
  Value rsqrt(Value a) { return op<math::RsqrtOp>(a); }
};

using UnaryFormula = std::function<Value(Formula &)>;
} // namespace

/// Whether a derivative may be infinite at a finite input (see
/// Partial::unbounded): at the edge of the domain of the inverse functions
/// and at a zero of the roots and logarithms.
enum class Bound { Finite, Unbounded };

/// A one-operand op with derivative `dydx`.
static void unary(RuleRegistry &registry, StringRef name, UnaryFormula dydx,
                  Bound bound = Bound::Finite) {
  registry.addPartial(name, [dydx, bound](RuleBuilder &rb, unsigned) {
    Formula f(rb);
    Value partial = dydx(f);
    return bound == Bound::Unbounded ? Partial::ofUnbounded(partial)
                                     : Partial::of(partial);
  });
}

template <typename OpTy>
static void unary(RuleRegistry &registry, UnaryFormula dydx,
                  Bound bound = Bound::Finite) {
  unary(registry, OpTy::getOperationName(), std::move(dydx), bound);
}

void mlir::dp::autodiff::registerMathRules(RuleRegistry &registry) {
  // Trigonometric.
  unary<math::SinOp>(registry, [](Formula &f) { return f.op<math::CosOp>(f.x()); });
  unary<math::CosOp>(registry, [](Formula &f) {
    return f.neg(f.op<math::SinOp>(f.x()));
  });
  unary<math::TanOp>(registry, [](Formula &f) { return f.add(f.c(1), f.sq(f.y())); });
  unary<math::AsinOp>(registry, [](Formula &f) {
    return f.rsqrt(f.sub(f.c(1), f.sq(f.x())));
  }, Bound::Unbounded);
  unary<math::AcosOp>(registry, [](Formula &f) {
    return f.neg(f.rsqrt(f.sub(f.c(1), f.sq(f.x()))));
  }, Bound::Unbounded);
  unary<math::AtanOp>(registry, [](Formula &f) {
    return f.div(f.c(1), f.add(f.c(1), f.sq(f.x())));
  });
  // atan2(a, b): d/da = b / (a^2 + b^2), d/db = -a / (a^2 + b^2).
  registry.addPartial(math::Atan2Op::getOperationName(),
                      [](RuleBuilder &rb, unsigned i) {
                        Formula f(rb);
                        Value a = f.x(0), b = f.x(1);
                        Value norm = f.add(f.sq(a), f.sq(b));
                        return Partial::of(i == 0 ? f.div(b, norm)
                                                  : f.div(f.neg(a), norm));
                      });

  // Hyperbolic.
  unary<math::SinhOp>(registry, [](Formula &f) { return f.op<math::CoshOp>(f.x()); });
  unary<math::CoshOp>(registry, [](Formula &f) { return f.op<math::SinhOp>(f.x()); });
  unary<math::TanhOp>(registry, [](Formula &f) { return f.sub(f.c(1), f.sq(f.y())); });
  unary<math::AsinhOp>(registry, [](Formula &f) {
    return f.rsqrt(f.add(f.sq(f.x()), f.c(1)));
  });
  // 1/sqrt(x^2 - 1) written to stay accurate near x = 1.
  unary<math::AcoshOp>(registry, [](Formula &f) {
    Value x = f.x();
    return f.mul(f.rsqrt(f.sub(x, f.c(1))), f.rsqrt(f.add(x, f.c(1))));
  }, Bound::Unbounded);
  unary<math::AtanhOp>(registry, [](Formula &f) {
    return f.div(f.c(1), f.sub(f.c(1), f.sq(f.x())));
  }, Bound::Unbounded);

  // Exponentials and logarithms.
  unary<math::ExpOp>(registry, [](Formula &f) { return f.y(); });
  unary<math::Exp2Op>(registry, [](Formula &f) { return f.mul(f.y(), f.c(M_LN2)); });
  unary<math::ExpM1Op>(registry, [](Formula &f) { return f.add(f.y(), f.c(1)); });
  unary<math::LogOp>(registry, [](Formula &f) { return f.div(f.c(1), f.x()); }, Bound::Unbounded);
  unary<math::Log1pOp>(registry, [](Formula &f) {
    return f.div(f.c(1), f.add(f.x(), f.c(1)));
  }, Bound::Unbounded);
  unary<math::Log2Op>(registry, [](Formula &f) {
    return f.div(f.c(1 / M_LN2), f.x());
  }, Bound::Unbounded);
  unary<math::Log10Op>(registry, [](Formula &f) {
    return f.div(f.c(1 / M_LN10), f.x());
  }, Bound::Unbounded);

  // Powers and roots.
  unary<math::SqrtOp>(registry, [](Formula &f) { return f.div(f.c(0.5), f.y()); }, Bound::Unbounded);
  // -x^(-3/2) / 2 = -y^3 / 2: keeps only y.
  unary<math::RsqrtOp>(registry, [](Formula &f) {
    Value y = f.y();
    return f.mul(f.c(-0.5), f.mul(y, f.sq(y)));
  }, Bound::Unbounded);
  unary<math::CbrtOp>(registry, [](Formula &f) {
    return f.div(f.c(1.0 / 3.0), f.sq(f.y()));
  }, Bound::Unbounded);
  // powf(a, b): d/da = b * a^(b - 1), d/db = log(a) * a^b. Where a = b = 0
  // (resp. a^b = 0) the other factor is infinite: the partial is 0 there, as
  // for the constant 1 (resp. 0) that powf then is. The guarded operand is
  // replaced by 1 in the unselected branch, or differentiating the partial
  // again would meet inf * 0 = nan; at b = 0 alone d/da stays b * a^(b - 1),
  // whose derivative in b is 1/a.
  registry.addPartial(
      math::PowFOp::getOperationName(), [](RuleBuilder &rb, unsigned i) {
        Formula f(rb);
        auto isZero = [&](Value v) {
          return Value(
              f.op<arith::CmpFOp>(arith::CmpFPredicate::OEQ, v, f.c(0)));
        };
        auto guarded = [&](Value guard, Value operand, auto partial) {
          Value safe = f.op<arith::SelectOp>(guard, f.c(1), operand);
          return Value(f.op<arith::SelectOp>(guard, f.c(0), partial(safe)));
        };
        if (i == 0) {
          Value a = f.x(0), b = f.x(1);
          Value aZero = isZero(a), bZero = isZero(b);
          Value guard = f.op<arith::AndIOp>(aZero, bZero);
          return Partial::ofUnbounded(guarded(guard, b, [&](Value safeB) {
            return f.mul(safeB, f.op<math::PowFOp>(a, f.sub(safeB, f.c(1))));
          }));
        }
        Value y = f.y();
        return Partial::ofUnbounded(guarded(isZero(y), f.x(0), [&](Value safeA) {
          return f.mul(f.op<math::LogOp>(safeA), y);
        }));
      });
  // fpowi(x, n) = x^n with an integer n: d/dx = n * x^(n - 1).
  registry.addPartial(
      math::FPowIOp::getOperationName(), [](RuleBuilder &rb, unsigned) {
        Formula f(rb);
        Value n = f.x(1);
        Value one = arith::ConstantOp::create(
            rb.b(), rb.loc(), rb.b().getIntegerAttr(n.getType(), 1));
        Value nMinusOne = arith::SubIOp::create(rb.b(), rb.loc(), n, one);
        Value power = f.op<math::FPowIOp>(f.x(0), nMinusOne);
        Value factor = arith::SIToFPOp::create(rb.b(), rb.loc(), f.type, n);
        // x^0 is the constant 1, even at x = 0 where x^-1 is infinite.
        Value isZero = f.op<arith::CmpFOp>(arith::CmpFPredicate::OEQ, factor, f.c(0));
        return Partial::of(
            f.op<arith::SelectOp>(isZero, f.c(0), f.mul(factor, power)));
      });

  // Sign manipulation. |x|' is sign(x), and 0 at 0 as in JAX.
  unary<math::AbsFOp>(registry, [](Formula &f) {
    Value x = f.x();
    Value sign = f.op<math::CopySignOp>(f.c(1), x);
    Value isZero =
        f.op<arith::CmpFOp>(arith::CmpFPredicate::OEQ, x, f.c(0));
    return Value(f.op<arith::SelectOp>(isZero, f.c(0), sign));
  });
  // copysign(a, b) = |a| * sign(b): d/da = sign(a) * sign(b) (0 at a = 0,
  // like |a|), d/db = 0.
  registry.addPartial(
      math::CopySignOp::getOperationName(), [](RuleBuilder &rb, unsigned i) {
        if (i == 1)
          return Partial::zero();
        Formula f(rb);
        Value a = f.x(0);
        Value signA = f.op<math::CopySignOp>(f.c(1), a);
        Value signB = f.op<math::CopySignOp>(f.c(1), f.x(1));
        Value isZero =
            f.op<arith::CmpFOp>(arith::CmpFPredicate::OEQ, a, f.c(0));
        return Partial::of(
            f.op<arith::SelectOp>(isZero, f.c(0), f.mul(signA, signB)));
      });

  // Error functions: erf'(x) = 2/sqrt(pi) exp(-x^2).
  unary<math::ErfOp>(registry, [](Formula &f) {
    return f.mul(f.c(M_2_SQRTPI), f.op<math::ExpOp>(f.neg(f.sq(f.x()))));
  });
  unary<math::ErfcOp>(registry, [](Formula &f) {
    return f.mul(f.c(-M_2_SQRTPI), f.op<math::ExpOp>(f.neg(f.sq(f.x()))));
  });

  // Piecewise constant: zero derivative wherever it exists.
  for (StringRef name :
       {math::FloorOp::getOperationName(), math::CeilOp::getOperationName(),
        math::RoundOp::getOperationName(),
        math::RoundEvenOp::getOperationName(),
        math::TruncOp::getOperationName()})
    registry.addZero(name);

  for (StringRef name :
       {math::IsNaNOp::getOperationName(), math::IsInfOp::getOperationName(),
        math::IsFiniteOp::getOperationName(),
        math::IsNormalOp::getOperationName()})
    registry.addDiscrete(name, "a classification: its i1 result is discrete");
}
