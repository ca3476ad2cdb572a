//===- ExpandTanh.cpp - dp-expand-tanh ------------------------------------===//
//
// libm's tanh is a scalar call a loop cannot vectorize, and it dominates
// array code like an MLP layer or an LSTM cell. This expansion uses only
// multiply-adds, a division and exp, which LLVM vectorizes (exp through the
// vector math library when the JIT has one), within 3 ulp of libm's tanh
// (1 with libm's exp):
//   |x| < 1/2:  x * P(x^2), the Taylor series of tanh to 17 terms (at
//               |x| = 1/2 the next term is below 2^-55 of the sum);
//   otherwise:  copysign(1 - 2 / (exp(2|x|) + 1), x), no cancellation since
//               the result is at least tanh(1/2) ~ 0.46.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::dp {
#define GEN_PASS_DEF_DPEXPANDTANH
#include "passes/Passes.h.inc"
} // namespace mlir::dp

using namespace mlir;

// tanh(x) / x = sum_n 2^2n (2^2n - 1) B_2n / (2n)! (x^2)^(n-1), n = 1..17,
// with B_2n the Bernoulli numbers, rounded to double.
static constexpr double kTaylor[] = {
    1.0,
    -0.3333333333333333,
    0.13333333333333333,
    -0.05396825396825397,
    0.021869488536155203,
    -0.008863235529902197,
    0.003592128036572481,
    -0.0014558343870513183,
    0.000590027440945586,
    -0.00023912911424355248,
    9.691537956929451e-05,
    -3.927832388331683e-05,
    1.5918905069328964e-05,
    -6.451689215655431e-06,
    2.6147711512907546e-06,
    -1.0597268320104654e-06,
    4.294911078273806e-07,
};

namespace {
struct ExpandTanh : public OpRewritePattern<math::TanhOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::TanhOp op,
                                PatternRewriter &rewriter) const override {
    Type type = op.getType();
    if (!type.isF64())
      return rewriter.notifyMatchFailure(op, "only f64 is expanded");
    Location loc = op.getLoc();
    auto constant = [&](double value) -> Value {
      return arith::ConstantOp::create(rewriter, loc,
                                       rewriter.getF64FloatAttr(value));
    };
    Value x = op.getOperand();
    Value z = arith::MulFOp::create(rewriter, loc, x, x);
    Value sum = constant(kTaylor[std::size(kTaylor) - 1]);
    for (int i = std::size(kTaylor) - 2; i >= 0; --i)
      sum = math::FmaOp::create(rewriter, loc, sum, z, constant(kTaylor[i]));
    Value small = arith::MulFOp::create(rewriter, loc, x, sum);

    Value magnitude = math::AbsFOp::create(rewriter, loc, x);
    Value exp = math::ExpOp::create(
        rewriter, loc, arith::AddFOp::create(rewriter, loc, magnitude, magnitude));
    Value ratio = arith::DivFOp::create(
        rewriter, loc, constant(2.0),
        arith::AddFOp::create(rewriter, loc, exp, constant(1.0)));
    Value large = math::CopySignOp::create(
        rewriter, loc, arith::SubFOp::create(rewriter, loc, constant(1.0), ratio),
        x);
    // NaN compares false and takes the exp path, which keeps it NaN.
    Value isSmall = arith::CmpFOp::create(
        rewriter, loc, arith::CmpFPredicate::OLT, magnitude, constant(0.5));
    rewriter.replaceOpWithNewOp<arith::SelectOp>(op, isSmall, small, large);
    return success();
  }
};

struct ExpandTanhPass : public dp::impl::DpExpandTanhBase<ExpandTanhPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ExpandTanh>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
