//===- HostMemory.cpp - dp-gpu-host-memory ---------------------------------===//
//
// Kernels dereference the buffers the host passes them, so every buffer the
// host code creates must live where the GPU can read it. Managed memory
// (gpu.alloc host_shared) serves both sides: kernels, and the host's own
// scalar code (loops that stay sequential, tape bookkeeping). Constants,
// which bufferization places in host globals, are copied into managed
// memory where they are used.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::dp {
#define GEN_PASS_DEF_DPGPUHOSTMEMORY
#include "passes/Passes.h.inc"
} // namespace mlir::dp

using namespace mlir;

static constexpr StringLiteral kHostAccess = "dp.gpu.host_access";
static constexpr StringLiteral kFree = "dpGpuFree";

/// True if some use of `value` (through views of it) is a kernel operand.
static bool reachesKernel(Value value) {
  SmallVector<Value> work{value};
  while (!work.empty()) {
    Value v = work.pop_back_val();
    for (Operation *user : v.getUsers()) {
      if (isa<gpu::LaunchFuncOp>(user))
        return true;
      if (isa<ViewLikeOpInterface>(user) ||
          isa<memref::CastOp, memref::ReinterpretCastOp,
              memref::ExpandShapeOp, memref::CollapseShapeOp>(user))
        llvm::append_range(work, user->getResults());
    }
  }
  return false;
}

namespace {
struct GpuHostMemoryPass
    : public dp::impl::DpGpuHostMemoryBase<GpuHostMemoryPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> hostFunctions(module.getOps<func::FuncOp>());
    hostFunctions.erase(llvm::remove_if(hostFunctions,
                                        [](func::FuncOp fn) {
                                          return fn.getName() == kFree;
                                        }),
                        hostFunctions.end());
    bool hostAccess = false;
    for (func::FuncOp fn : hostFunctions) {
      if (fn.isExternal())
        continue;
      if (failed(rewrite(fn)))
        return signalPassFailure();
      fn.walk([&](Operation *op) {
        hostAccess |= isa<memref::LoadOp, memref::StoreOp, memref::CopyOp,
                          memref::AtomicRMWOp>(op);
      });
    }
    if (hostAccess)
      module->setAttr(kHostAccess, UnitAttr::get(module.getContext()));
  }

  LogicalResult rewrite(func::FuncOp fn) {
    SmallVector<memref::AllocOp> allocs;
    SmallVector<memref::DeallocOp> deallocs;
    SmallVector<memref::GetGlobalOp> globals;
    WalkResult walk = fn.walk([&](Operation *op) {
      if (auto alloc = dyn_cast<memref::AllocOp>(op))
        allocs.push_back(alloc);
      else if (auto dealloc = dyn_cast<memref::DeallocOp>(op))
        deallocs.push_back(dealloc);
      else if (auto global = dyn_cast<memref::GetGlobalOp>(op)) {
        if (reachesKernel(global))
          globals.push_back(global);
      } else if (auto alloca = dyn_cast<memref::AllocaOp>(op)) {
        if (reachesKernel(alloca)) {
          alloca.emitError("a stack buffer (memref.alloca) of host code "
                           "cannot be read by a GPU kernel");
          return WalkResult::interrupt();
        }
      }
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return failure();
    for (memref::AllocOp alloc : allocs) {
      OpBuilder b(alloc);
      auto shared = gpu::AllocOp::create(
          b, alloc.getLoc(), alloc.getType(), /*asyncToken=*/Type(),
          /*asyncDependencies=*/ValueRange(), alloc.getDynamicSizes(),
          alloc.getSymbolOperands(), /*hostShared=*/true);
      alloc.replaceAllUsesWith(shared.getMemref());
      alloc.erase();
    }
    for (memref::DeallocOp dealloc : deallocs) {
      OpBuilder b(dealloc);
      free(b, dealloc.getLoc(), dealloc.getMemref());
      dealloc.erase();
    }
    for (memref::GetGlobalOp global : globals)
      if (failed(copyToManaged(fn, global)))
        return failure();
    return success();
  }

  /// Frees a managed buffer through the runtime's dpGpuFree(pointer).
  /// (gpu.dealloc lowers only in its asynchronous form, which would create
  /// a stream per buffer.)
  void free(OpBuilder &b, Location loc, Value buffer) {
    ModuleOp module = getOperation();
    Type ptr = LLVM::LLVMPointerType::get(b.getContext());
    auto fn = module.lookupSymbol<func::FuncOp>(kFree);
    if (!fn) {
      OpBuilder mb = OpBuilder::atBlockEnd(module.getBody());
      fn = func::FuncOp::create(mb, loc, kFree,
                                mb.getFunctionType({ptr}, {}));
      fn.setPrivate();
    }
    // A buffer from gpu.alloc starts at its allocation: aligned == allocated.
    Value address = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer);
    Value word = arith::IndexCastOp::create(b, loc, b.getI64Type(), address);
    Value pointer = LLVM::IntToPtrOp::create(b, loc, ptr, word);
    func::CallOp::create(b, loc, fn, ValueRange{pointer});
  }

  /// Uses of a constant global read a managed copy, freed at every return.
  LogicalResult copyToManaged(func::FuncOp fn, memref::GetGlobalOp global) {
    auto type = cast<MemRefType>(global.getType());
    if (!type.hasStaticShape())
      return global.emitError("a host global of dynamic shape cannot be "
                              "copied for a GPU kernel");
    for (Operation *user : global->getUsers())
      if (isa<func::ReturnOp>(user))
        return success(); // returned as is: the caller copies it out
    OpBuilder b(global->getNextNode());
    Location loc = global.getLoc();
    auto shared = gpu::AllocOp::create(b, loc, type, Type(), ValueRange(),
                                       ValueRange(), ValueRange(),
                                       /*hostShared=*/true);
    global.getResult().replaceAllUsesExcept(shared.getMemref(), {});
    memref::CopyOp::create(b, loc, global.getResult(), shared.getMemref());
    fn.walk([&](func::ReturnOp ret) {
      OpBuilder rb(ret);
      free(rb, loc, shared.getMemref());
    });
    return success();
  }
};
} // namespace
