//===- Dp.cpp - C API of the dp dialect and passes ------------------------===//

#include "dialect/capi/Dp.h"
#include "dialect/Dp.h"
#include "passes/Passes.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Registration.h"

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(Dp, dp, mlir::dp::DpDialect)

void dpRegisterDialects(MlirDialectRegistry registry) {
  mlir::dp::registerDialects(*unwrap(registry));
}

void dpRegisterPasses(void) { mlir::dp::registerPasses(); }
