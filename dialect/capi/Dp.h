//===- Dp.h - C API of the dp dialect and passes ------------------*- C -*-===//

#ifndef DP_CAPI_DP_H
#define DP_CAPI_DP_H

#include "mlir-c/IR.h"

#ifdef __cplusplus
extern "C" {
#endif

MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(Dp, dp);

/// Adds the dp dialect and its interface implementations to `registry`.
MLIR_CAPI_EXPORTED void dpRegisterDialects(MlirDialectRegistry registry);

/// Registers dp passes and pipelines with the global pass registry.
MLIR_CAPI_EXPORTED void dpRegisterPasses(void);

#ifdef __cplusplus
}
#endif

#endif // DP_CAPI_DP_H
