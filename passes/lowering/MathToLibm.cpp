//===- MathToLibm.cpp - dp-math-to-libm -----------------------------------===//

#include "passes/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mlir::dp {
#define GEN_PASS_DEF_DPMATHTOLIBM
#include "passes/Passes.h.inc"
} // namespace mlir::dp

using namespace mlir;

/// The libm name of `op` for f64 (f32 adds an `f`), or empty.
static StringRef libmName(Operation *op) {
  return llvm::TypeSwitch<Operation *, StringRef>(op)
      .Case([](math::TanOp) { return "tan"; })
      .Case([](math::AsinOp) { return "asin"; })
      .Case([](math::AcosOp) { return "acos"; })
      .Case([](math::AtanOp) { return "atan"; })
      .Case([](math::Atan2Op) { return "atan2"; })
      .Case([](math::SinhOp) { return "sinh"; })
      .Case([](math::CoshOp) { return "cosh"; })
      .Case([](math::TanhOp) { return "tanh"; })
      .Case([](math::AsinhOp) { return "asinh"; })
      .Case([](math::AcoshOp) { return "acosh"; })
      .Case([](math::AtanhOp) { return "atanh"; })
      .Case([](math::ErfOp) { return "erf"; })
      .Case([](math::ErfcOp) { return "erfc"; })
      .Case([](math::CbrtOp) { return "cbrt"; })
      .Case([](math::ExpM1Op) { return "expm1"; })
      .Case([](math::Log1pOp) { return "log1p"; })
      .Default([](Operation *) { return StringRef(); });
}

namespace {
struct MathToLibmPass : public dp::impl::DpMathToLibmBase<MathToLibmPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<Operation *> ops;
    module.walk([&](Operation *op) {
      if (!libmName(op).empty() && op->getNumResults() == 1 &&
          (op->getResult(0).getType().isF32() ||
           op->getResult(0).getType().isF64()))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      Type type = op->getResult(0).getType();
      std::string name = libmName(op).str();
      if (type.isF32())
        name += 'f';
      auto fnType = FunctionType::get(
          &getContext(), SmallVector<Type>(op->getNumOperands(), type), type);
      auto fn = symbols.lookup<func::FuncOp>(name);
      if (!fn) {
        OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
        fn = func::FuncOp::create(b, module.getLoc(), name, fnType);
        fn.setPrivate();
        symbols.insert(fn);
      } else if (fn.getFunctionType() != fnType) {
        fn.emitError() << "@" << name
                       << " is declared with a type that does not match the C "
                          "math library";
        return signalPassFailure();
      }
      OpBuilder b(op);
      auto call = func::CallOp::create(b, op->getLoc(), fn, op->getOperands());
      op->replaceAllUsesWith(call);
      op->erase();
    }
  }
};
} // namespace
