//===- PrintActivity.cpp - dp-print-activity ------------------------------===//

#include "passes/Passes.h"
#include "passes/autodiff/Activity.h"
#include "passes/autodiff/Rules.h"

namespace mlir::dp {
#define GEN_PASS_DEF_DPPRINTACTIVITY
#include "passes/Passes.h.inc"
} // namespace mlir::dp

using namespace mlir;
using namespace mlir::dp;
using namespace mlir::dp::autodiff;

namespace {
struct PrintActivityPass
    : public dp::impl::DpPrintActivityBase<PrintActivityPass> {
  using Base::Base;

  void runOnOperation() override {
    RuleRegistry rules;
    getOperation().walk([&](Operation *op) {
      if (!isa<AutodiffOp, FwddiffOp, AugmentedOp, ReverseOp>(op))
        return;
      auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
          op, op->getAttrOfType<FlatSymbolRefAttr>("callee"));
      if (!callee || callee.isExternal())
        return;
      auto flags = [](ArrayAttr list) {
        SmallVector<bool> active;
        for (Attribute a : list)
          active.push_back(cast<ActivityAttr>(a).getValue() != Activity::Const);
        return active;
      };
      ActivityAnalysis activity(
          callee, flags(op->getAttrOfType<ArrayAttr>("arg_activity")),
          flags(op->getAttrOfType<ArrayAttr>("ret_activity")), rules);
      report(callee, activity);
    });
  }

  static StringRef describe(const ActivityAnalysis &activity, Value v) {
    if (isa<MemRefType>(v.getType()))
      return activity.isShadowed(v) ? "shadowed" : "const";
    if (!isDifferentiableType(v.getType()))
      return "const";
    return activity.isActive(v) ? "active" : "const";
  }

  void report(func::FuncOp callee, const ActivityAnalysis &activity) {
    auto list = [&](ValueRange values) {
      std::string text;
      llvm::raw_string_ostream os(text);
      os << '[';
      llvm::interleaveComma(values, os,
                            [&](Value v) { os << describe(activity, v); });
      os << ']';
      return text;
    };
    callee.emitRemark() << "arguments: " << list(callee.getArguments());
    callee.walk([&](Operation *op) {
      if (op == callee.getOperation() || op->getNumResults() == 0)
        return;
      InFlightDiagnostic remark = op->emitRemark()
                                  << "results: " << list(op->getResults());
      for (Region &region : op->getRegions())
        for (Block &block : region)
          if (block.getNumArguments())
            remark << ", region arguments: " << list(block.getArguments());
    });
  }
};
} // namespace
