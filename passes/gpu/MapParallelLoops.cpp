//===- MapParallelLoops.cpp - dp-gpu-map-parallel-loops --------------------===//
//
// convert-parallel-loops-to-gpu turns an scf.parallel into a gpu.launch only
// when every dimension carries a mapping; upstream's greedy mapper gives
// each outer iteration a block of one thread. Here every outermost loop is
// collapsed to one dimension and tiled by the block size, so that a kernel
// over n elements runs ceil(n / block) blocks of `block` threads whatever
// the rank of the loop it came from.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/ParallelLoopMapper.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::dp {
#define GEN_PASS_DEF_DPGPUMAPPARALLELLOOPS
#include "passes/Passes.h.inc"
} // namespace mlir::dp

using namespace mlir;

/// True if `op` is host code: not inside a GPU module or a launch.
static bool onHost(Operation *op) {
  return !op->getParentOfType<gpu::GPUModuleOp>() &&
         !op->getParentOfType<gpu::LaunchOp>();
}

/// A copy between buffers as a parallel loop of loads and stores, so that it
/// becomes a kernel instead of a host memcpy of device memory.
static void copyAsParallelLoop(memref::CopyOp copy) {
  OpBuilder b(copy);
  Location loc = copy.getLoc();
  auto type = cast<MemRefType>(copy.getSource().getType());
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  SmallVector<Value> lower(type.getRank(), zero), steps(type.getRank(), one),
      upper;
  for (int64_t d = 0; d < type.getRank(); ++d)
    upper.push_back(memref::DimOp::create(b, loc, copy.getSource(), d));
  scf::ParallelOp::create(
      b, loc, lower, upper, steps,
      [&](OpBuilder &nb, Location nloc, ValueRange ivs) {
        Value element = memref::LoadOp::create(nb, nloc, copy.getSource(), ivs);
        memref::StoreOp::create(nb, nloc, element, copy.getTarget(), ivs);
      });
  copy.erase();
}

/// Every dimension of `loop` mapped to `processor`.
static LogicalResult map(scf::ParallelOp loop, gpu::Processor processor) {
  MLIRContext *context = loop.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(1, context);
  SmallVector<gpu::ParallelLoopDimMappingAttr> mapping(
      loop.getNumLoops(), gpu::ParallelLoopDimMappingAttr::get(
                              context, processor, identity, identity));
  return gpu::setMappingAttr(loop, mapping);
}

namespace {
struct GpuMapParallelLoopsPass
    : public dp::impl::DpGpuMapParallelLoopsBase<GpuMapParallelLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (blockSize <= 0 || blockSize > 1024) {
      getOperation().emitError("dp-gpu-map-parallel-loops: block-size must "
                               "be in [1, 1024], got ")
          << blockSize;
      return signalPassFailure();
    }
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) {
      if (onHost(copy) &&
          cast<MemRefType>(copy.getSource().getType()).getRank() > 0)
        copies.push_back(copy);
    });
    for (memref::CopyOp copy : copies)
      copyAsParallelLoop(copy);

    SmallVector<scf::ParallelOp> outermost;
    getOperation().walk([&](scf::ParallelOp loop) {
      if (onHost(loop) && !loop->getParentOfType<scf::ParallelOp>() &&
          loop.getNumReductions() == 0)
        outermost.push_back(loop);
    });
    for (scf::ParallelOp loop : outermost)
      if (failed(mapToBlocksAndThreads(loop)))
        return signalPassFailure();
  }

  LogicalResult mapToBlocksAndThreads(scf::ParallelOp loop) {
    IRRewriter rewriter(loop.getContext());
    if (loop.getNumLoops() > 1) {
      Operation *next = loop->getNextNode();
      std::vector<unsigned> all(loop.getNumLoops());
      std::iota(all.begin(), all.end(), 0u);
      collapseParallelLoops(rewriter, loop, {all});
      loop = dyn_cast_or_null<scf::ParallelOp>(next->getPrevNode());
      if (!loop)
        return emitError(next->getLoc(),
                         "dp-gpu-map-parallel-loops: collapsing a parallel "
                         "loop did not leave one loop");
    }
    // An empty loop must not launch: a grid of zero blocks is an error.
    OpBuilder b(loop);
    Location loc = loop.getLoc();
    Value nonEmpty =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                              loop.getLowerBound()[0], loop.getUpperBound()[0]);
    auto guard = scf::IfOp::create(b, loc, nonEmpty, /*withElseRegion=*/false);
    loop->moveBefore(guard.thenBlock()->getTerminator());
    auto [tiles, inner] =
        scf::tileParallelLoop(loop, {blockSize}, /*noMinMaxBounds=*/true);
    if (failed(map(tiles, gpu::Processor::BlockX)) ||
        failed(map(inner, gpu::Processor::ThreadX)))
      return failure();
    WalkResult nested = inner.getBody()->walk([&](scf::ParallelOp loop) {
      return failed(map(loop, gpu::Processor::Sequential))
                 ? WalkResult::interrupt()
                 : WalkResult::advance();
    });
    return failure(nested.wasInterrupted());
  }
};
} // namespace
