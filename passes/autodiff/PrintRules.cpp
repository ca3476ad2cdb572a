//===- PrintRules.cpp - dp-print-derivative-rules -------------------------===//
//
// How dp-autodiff treats every op of the dialects loaded in the context, one
// line per op: differentiated by a rule, of zero derivative, discrete
// results, modeled by the analysis itself, or rejected wherever a derivative
// would flow through it. No op is inactive by default; the lit test of this
// pass (test/Python/derivative-rules.py) loads every dialect first and pins
// that for every registered op.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"
#include "passes/autodiff/Activity.h"
#include "passes/autodiff/Rules.h"

#include "llvm/Support/raw_ostream.h"

namespace mlir::dp {
#define GEN_PASS_DEF_DPPRINTDERIVATIVERULES
#include "passes/Passes.h.inc"
} // namespace mlir::dp

using namespace mlir;
using namespace mlir::dp::autodiff;

namespace {
struct PrintDerivativeRulesPass
    : public dp::impl::DpPrintDerivativeRulesBase<PrintDerivativeRulesPass> {
  using Base::Base;

  void runOnOperation() override {
    RuleRegistry rules;
    ArrayRef<RegisteredOperationName> names =
        dialect.empty() ? getContext().getRegisteredOperations()
                        : getContext().getRegisteredOperationsByDialect(dialect);
    for (RegisteredOperationName name : names)
      llvm::outs() << name.getStringRef() << ": " << describe(rules, name)
                   << "\n";
  }

  static std::string describe(const RuleRegistry &rules,
                              RegisteredOperationName name) {
    StringRef op = name.getStringRef();
    auto rule = rules.allRules().find(op);
    if (rule != rules.allRules().end())
      return rule->second.zeroDerivative ? "zero derivative" : "rule";
    auto discrete = rules.discreteOps().find(op);
    if (discrete != rules.discreteOps().end())
      return "discrete (" + discrete->second + ")";
    StringRef modeled = modeledReason(name);
    if (!modeled.empty())
      return ("modeled (" + modeled + ")").str();
    return "rejected where a derivative flows through it";
  }
};
} // namespace
