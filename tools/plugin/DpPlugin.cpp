//===- DpPlugin.cpp - dp as a plugin of the upstream mlir-opt -------------===//
//
// One library serves both plugin flags:
//   mlir-opt --load-dialect-plugin=libDpPlugin.so \
//            --load-pass-plugin=libDpPlugin.so ...
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"

extern "C" LLVM_ATTRIBUTE_WEAK mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "dp", LLVM_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            mlir::dp::registerDialects(*registry);
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "dp", LLVM_VERSION_STRING,
          []() { mlir::dp::registerPasses(); }};
}
