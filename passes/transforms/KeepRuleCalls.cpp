//===- KeepRuleCalls.cpp - keep calls of functions with custom rules ------===//
//
// dp-autodiff applies a function's custom derivative rules (dp.custom_vjp,
// dp.custom_jvp, dp.checkpoint) where the function is called. The inliner,
// which runs before it, would dissolve such calls and, with them, the rules:
// the derivative would silently be the primal's. This pass marks those calls
// `no_inline` first.
//
//===----------------------------------------------------------------------===//

#include "dialect/Dp.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::dp {
#define GEN_PASS_DEF_DPKEEPRULECALLS
#include "passes/Passes.h.inc"
} // namespace mlir::dp

using namespace mlir;

namespace {
struct KeepRuleCallsPass
    : public dp::impl::DpKeepRuleCallsBase<KeepRuleCallsPass> {
  using Base::Base;

  void runOnOperation() override {
    SymbolTableCollection symbols;
    getOperation()->walk([&](func::CallOp call) {
      auto callee = symbols.lookupNearestSymbolFrom<func::FuncOp>(
          call, call.getCalleeAttr());
      if (callee && (callee->hasAttr(dp::kCustomVjpAttr) ||
                     callee->hasAttr(dp::kCustomJvpAttr) ||
                     callee->hasAttr(dp::kCheckpointAttr) ||
                     callee->hasAttr(dp::kMissingRuleAttr)))
        call.setNoInline(true);
    });
  }
};
} // namespace
