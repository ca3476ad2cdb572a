//===- RuntimeChecks.cpp - dp-lower-runtime-checks ------------------------===//
//
// Python raises where compiled code would compute a wrong number (an integer
// that overflows 64 bits, a division by zero): the frontend emits those
// checks as cf.assert. Upstream lowers a failed cf.assert to abort(), which
// would kill the user's Python process; this pass calls the runtime's
// dpRuntimeError(message) instead, which records the first failure of a call
// so that the caller raises a typed Python error after the call returns.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::dp {
#define GEN_PASS_DEF_DPLOWERRUNTIMECHECKS
#include "passes/Passes.h.inc"
} // namespace mlir::dp

using namespace mlir;

static constexpr StringLiteral kRuntimeError = "dpRuntimeError";

/// `file:line:col: message`, from the first file location inside `loc`.
static std::string located(Location loc, StringRef message) {
  std::string text;
  loc->walk([&](Location inner) {
    if (auto file = dyn_cast<FileLineColLoc>(inner)) {
      text = (file.getFilename().getValue() + ":" + Twine(file.getLine()) +
              ":" + Twine(file.getColumn()) + ": ")
                 .str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return text + message.str();
}

namespace {
struct LowerRuntimeChecksPass
    : public dp::impl::DpLowerRuntimeChecksBase<LowerRuntimeChecksPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<cf::AssertOp> asserts;
    module.walk([&](cf::AssertOp op) { asserts.push_back(op); });
    if (asserts.empty())
      return;
    OpBuilder b(module.getBodyRegion());
    auto ptr = LLVM::LLVMPointerType::get(&getContext());
    SymbolTable symbols(module);
    auto report = symbols.lookup<func::FuncOp>(kRuntimeError);
    if (!report) {
      report = func::FuncOp::create(b, module.getLoc(), kRuntimeError,
                                    b.getFunctionType({ptr}, {}));
      report.setPrivate();
    }
    unsigned next = 0;
    for (cf::AssertOp op : asserts) {
      Location loc = op.getLoc();
      std::string message = located(loc, op.getMsg());
      std::string name;
      do
        name = "__dp_check_" + std::to_string(next++);
      while (symbols.lookup(name));
      b.setInsertionPoint(op);
      Value failed = arith::XOrIOp::create(
          b, loc, op.getArg(),
          arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1));
      auto branch = scf::IfOp::create(b, loc, failed, /*withElse=*/false);
      b.setInsertionPointToStart(branch.thenBlock());
      Value text = LLVM::createGlobalString(loc, b, name, message + '\0',
                                            LLVM::Linkage::Internal);
      func::CallOp::create(b, loc, report, ValueRange{text});
      op.erase();
    }
  }
};
} // namespace
