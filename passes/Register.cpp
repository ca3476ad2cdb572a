//===- Register.cpp - registration of the dp dialect and passes -----------===//

#include "dialect/Dp.h"
#include "passes/Passes.h"

#include "mlir/Conversion/ConvertToLLVM/ToLLVMInterface.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;

namespace {
/// Lets the upstream `convert-to-llvm` pass lower dp operations.
struct DpToLLVMInterface : public ConvertToLLVMPatternInterface {
  using ConvertToLLVMPatternInterface::ConvertToLLVMPatternInterface;

  void loadDependentDialects(MLIRContext *context) const final {
    context->loadDialect<LLVM::LLVMDialect>();
  }

  void populateConvertToLLVMConversionPatterns(
      ConversionTarget &, LLVMTypeConverter &typeConverter,
      RewritePatternSet &patterns) const final {
    dp::populateTapeToLLVMConversionPatterns(typeConverter, patterns);
  }
};
} // namespace

void dp::registerDialects(DialectRegistry &registry) {
  registry.insert<DpDialect>();
  registry.addExtension(+[](MLIRContext *, DpDialect *dialect) {
    dialect->addInterfaces<DpToLLVMInterface>();
  });
  registerTapeBufferizationModels(registry);
}

void dp::registerPasses() {
  registerDpPasses();
  registerPipelines();
}
