//===- Passes.td - dp passes --------------------------------*- tablegen -*-===//

#ifndef DP_PASSES_TD
#define DP_PASSES_TD

include "mlir/Pass/PassBase.td"

def DpEraseStopGradient : Pass<"dp-erase-stop-gradient"> {
  let summary = "Replace dp.stop_gradient by its operand";
  let description = [{
    `dp.stop_gradient` only matters to differentiation. Once `dp-autodiff`
    has run, this pass forwards each stop_gradient's operand to its uses and
    erases the op, so that lowering sees only upstream operations.
  }];
}

def DpConvertTapeToLLVM : Pass<"dp-convert-tape-to-llvm", "ModuleOp"> {
  let summary = "Lower dp tapes to LLVM: heap stacks that grow by doubling";
  let description = [{
    Lowers `!dp.tape` to `!llvm.ptr` and the tape operations to calls of small
    internal LLVM functions that this pass adds to the module (a tape is a
    header with a data pointer, a read position, the end of what was pushed
    and a capacity; it starts with room for the requested capacity and grows
    by doubling with `realloc`). Every element occupies one 8-byte slot. The
    same patterns serve the upstream `convert-to-llvm` pass through the
    dialect's ConvertToLLVMPatternInterface.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // DP_PASSES_TD
