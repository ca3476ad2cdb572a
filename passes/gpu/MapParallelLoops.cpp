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
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

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


//===----------------------------------------------------------------------===//
// Reductions of all elements into one accumulator
//===----------------------------------------------------------------------===//
//
// linalg lowers a reduction over every dimension to a sequential host loop
// nest that accumulates into one buffer element. On the GPU it becomes two
// kernels and a short host loop: kPartials threads each fold a strided slice
// (consecutive threads read consecutive elements), kFinal threads fold those
// partials, and the host folds the kFinal values into the accumulator.
// The order of the sum changes, as with any parallel reduction.

static constexpr int64_t kPartials = 65536;
static constexpr int64_t kFinal = 256;

/// The identity of a combining op: 0 for sums, 1 for products, -inf/+inf for max/min.
static std::optional<TypedAttr> identity(Operation *combine, Type type) {
  auto floatType = dyn_cast<FloatType>(type);
  if (!floatType)
    return std::nullopt;
  const llvm::fltSemantics &semantics = floatType.getFloatSemantics();
  auto value = [&](llvm::APFloat v) -> TypedAttr {
    return FloatAttr::get(type, v);
  };
  if (isa<arith::AddFOp>(combine))
    return value(llvm::APFloat::getZero(semantics));
  if (isa<arith::MulFOp>(combine))
    return value(llvm::APFloat::getOne(semantics));
  if (isa<arith::MaximumFOp, arith::MaxNumFOp>(combine))
    return value(llvm::APFloat::getInf(semantics, /*Negative=*/true));
  if (isa<arith::MinimumFOp, arith::MinNumFOp>(combine))
    return value(llvm::APFloat::getInf(semantics, /*Negative=*/false));
  return std::nullopt;
}

namespace {
/// A host loop nest `for i0 .. for ik { ...; acc[j] = combine(acc[j], v) }`.
struct FullReduction {
  SmallVector<scf::ForOp> loops; // outermost first
  memref::LoadOp load;           // of the accumulator
  memref::StoreOp store;         // into the accumulator
  Operation *combine;
  Value contribution; // v
};
} // namespace

static bool isConstant(Value v, int64_t expected) {
  auto constant = getConstantIntValue(v);
  return constant && *constant == expected;
}

static std::optional<FullReduction> matchFullReduction(scf::ForOp outer) {
  FullReduction match;
  scf::ForOp loop = outer;
  while (true) {
    if (loop.getNumRegionIterArgs() != 0 || !isConstant(loop.getLowerBound(), 0) ||
        !isConstant(loop.getStep(), 1) ||
        outer->isAncestor(loop.getUpperBound().getParentBlock()->getParentOp()))
      return std::nullopt;
    match.loops.push_back(loop);
    Block *body = loop.getBody();
    auto nested = dyn_cast<scf::ForOp>(&body->front());
    if (nested && body->getOperations().size() == 2) {
      loop = nested;
      continue;
    }
    break;
  }
  Block *body = match.loops.back().getBody();
  for (Operation &op : body->without_terminator()) {
    if (auto store = dyn_cast<memref::StoreOp>(op)) {
      if (match.store)
        return std::nullopt;
      match.store = store;
      continue;
    }
    if (op.getNumRegions() != 0)
      return std::nullopt;
    if (!isa<memref::LoadOp>(op) && !isMemoryEffectFree(&op))
      return std::nullopt;
  }
  if (!match.store)
    return std::nullopt;
  Value acc = match.store.getMemref();
  for (Value index : match.store.getIndices())
    if (outer->isAncestor(index.getParentBlock()->getParentOp()))
      return std::nullopt;
  match.combine = match.store.getValueToStore().getDefiningOp();
  if (!match.combine || match.combine->getBlock() != body ||
      match.combine->getNumOperands() != 2 ||
      !identity(match.combine, match.store.getValueToStore().getType()))
    return std::nullopt;
  for (Operation &op : body->without_terminator()) {
    auto load = dyn_cast<memref::LoadOp>(op);
    if (!load || load.getMemref() != acc)
      continue;
    if (match.load || load.getIndices() != match.store.getIndices())
      return std::nullopt;
    match.load = load;
  }
  if (!match.load || !match.load->hasOneUse())
    return std::nullopt;
  Value a = match.combine->getOperand(0), b = match.combine->getOperand(1);
  if (a == match.load.getResult())
    match.contribution = b;
  else if (b == match.load.getResult())
    match.contribution = a;
  else
    return std::nullopt;
  return match;
}

/// scf.parallel (%p) = 0 to count: out[p] = fold of f(k) for k = p, p + count, ... < total.
static void foldStrided(OpBuilder &b, Location loc, Value total, Value count,
                        Value out, Operation *combine, TypedAttr neutral,
                        function_ref<Value(OpBuilder &, Location, Value)> element) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  scf::ParallelOp::create(
      b, loc, ValueRange{zero}, ValueRange{count}, ValueRange{one},
      [&](OpBuilder &pb, Location ploc, ValueRange ivs) {
        Value start = arith::ConstantOp::create(pb, ploc, neutral);
        auto fold = scf::ForOp::create(
            pb, ploc, ivs[0], total, count, ValueRange{start},
            [&](OpBuilder &fb, Location floc, Value k, ValueRange acc) {
              Value v = element(fb, floc, k);
              OperationState state(floc, combine->getName(), {acc[0], v},
                                   {v.getType()}, combine->getAttrs());
              Value folded = fb.create(state)->getResult(0);
              scf::YieldOp::create(fb, floc, folded);
            });
        memref::StoreOp::create(pb, ploc, fold.getResult(0), out, ivs[0]);
      });
}

static void rewriteFullReduction(FullReduction &match) {
  scf::ForOp outer = match.loops.front();
  OpBuilder b(outer);
  Location loc = outer.getLoc();
  Type type = match.store.getValueToStore().getType();
  TypedAttr neutral = *identity(match.combine, type);
  Value total = arith::ConstantIndexOp::create(b, loc, 1);
  for (scf::ForOp loop : match.loops)
    total = arith::MulIOp::create(b, loc, total, loop.getUpperBound());
  Value partialCount = arith::MinSIOp::create(
      b, loc, total, arith::ConstantIndexOp::create(b, loc, kPartials));
  Value finalCount = arith::MinSIOp::create(
      b, loc, partialCount, arith::ConstantIndexOp::create(b, loc, kFinal));
  auto buffer = [&](Value size) {
    return memref::AllocOp::create(
        b, loc, MemRefType::get({ShapedType::kDynamic}, type), ValueRange{size});
  };
  Value partials = buffer(partialCount), finals = buffer(finalCount);

  // Stage 1: the loop body at the delinearized index k, into partials.
  foldStrided(b, loc, total, partialCount, partials, match.combine, neutral,
              [&](OpBuilder &eb, Location eloc, Value k) -> Value {
                IRMapping mapping;
                Value rest = k;
                for (scf::ForOp loop : llvm::reverse(match.loops)) {
                  Value ub = loop.getUpperBound();
                  mapping.map(loop.getInductionVar(),
                              arith::RemSIOp::create(eb, eloc, rest, ub));
                  rest = arith::DivSIOp::create(eb, eloc, rest, ub);
                }
                for (Operation &op :
                     match.loops.back().getBody()->without_terminator()) {
                  if (&op == match.load.getOperation() || &op == match.combine ||
                      &op == match.store.getOperation())
                    continue;
                  eb.clone(op, mapping);
                }
                return mapping.lookupOrDefault(match.contribution);
              });
  // Stage 2: the partials into finals.
  foldStrided(b, loc, partialCount, finalCount, finals, match.combine, neutral,
              [&](OpBuilder &eb, Location eloc, Value k) -> Value {
                return memref::LoadOp::create(eb, eloc, partials, k);
              });
  // On the host: the accumulator with the finals, in order.
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value acc = match.store.getMemref();
  ValueRange indices = match.store.getIndices();
  SmallVector<Value> where(indices.begin(), indices.end());
  Value initial = memref::LoadOp::create(b, loc, acc, where);
  auto host = scf::ForOp::create(
      b, loc, zero, finalCount, one, ValueRange{initial},
      [&](OpBuilder &fb, Location floc, Value k, ValueRange folded) {
        Value v = memref::LoadOp::create(fb, floc, finals, k);
        OperationState state(floc, match.combine->getName(), {folded[0], v},
                             {type}, match.combine->getAttrs());
        scf::YieldOp::create(fb, floc, fb.create(state)->getResult(0));
      });
  memref::StoreOp::create(b, loc, host.getResult(0), acc, where);
  memref::DeallocOp::create(b, loc, partials);
  memref::DeallocOp::create(b, loc, finals);
  outer.erase();
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
          << static_cast<int64_t>(blockSize);
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

    SmallVector<FullReduction> reductions;
    getOperation().walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (isa<gpu::GPUModuleOp, gpu::LaunchOp, scf::ParallelOp>(op))
        return WalkResult::skip();
      auto loop = dyn_cast<scf::ForOp>(op);
      if (!loop)
        return WalkResult::advance();
      std::optional<FullReduction> match = matchFullReduction(loop);
      if (!match)
        return WalkResult::advance();
      reductions.push_back(*match);
      return WalkResult::skip();
    });
    for (FullReduction &match : reductions)
      rewriteFullReduction(match);

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
