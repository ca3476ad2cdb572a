//===- ControlFlow.cpp - StableHLO export of scf ops ----------------------===//
//
// scf.for and scf.while become stablehlo.while, scf.if stablehlo.if,
// scf.index_switch stablehlo.case. The stacks of tapes that a region
// pushes to or pops from travel through it as carried values or results.
//
//===----------------------------------------------------------------------===//

#include "passes/stablehlo/Emitter.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::dp::stablehlo;

namespace {
/// The tapes a region uses and where their stacks sit among a region's
/// values.
struct ThreadedTapes {
  SmallVector<Value> tapes;
  unsigned width;

  SmallVector<Value> states(Emitter &e) const {
    SmallVector<Value> out;
    for (Value t : tapes)
      llvm::append_range(out, e.tapeState(t));
    return out;
  }
  SmallVector<Type> types(Emitter &e) const {
    SmallVector<Type> out;
    for (Value t : tapes)
      for (Value v : e.tapeState(t))
        out.push_back(v.getType());
    return out;
  }
  /// Sets each tape's stacks from `values`, starting at `first`.
  void assign(Emitter &e, ValueRange values, unsigned first) const {
    for (auto [i, t] : llvm::enumerate(tapes))
      e.setTapeState(t, values.slice(first + i * width, width));
  }
};
} // namespace

static ThreadedTapes threaded(Emitter &e, ArrayRef<Region *> regions) {
  llvm::SetVector<Value> tapes;
  for (Region *r : regions)
    for (Value t : e.tapesUsedIn(*r))
      tapes.insert(t);
  return {tapes.takeVector(), (unsigned)e.tapeStateTypes().size()};
}

static SmallVector<Type> typesOf(ValueRange values) {
  return llvm::to_vector(values.getTypes());
}

static LogicalResult emitFor(Emitter &e, scf::ForOp loop) {
  ThreadedTapes tt = threaded(e, {&loop.getRegion()});
  SmallVector<Value> init{e.lookup(loop.getLowerBound())};
  for (Value v : loop.getInitArgs())
    init.push_back(e.lookup(v));
  llvm::append_range(init, tt.states(e));
  Value upper = e.lookup(loop.getUpperBound()),
        step = e.lookup(loop.getStep());
  SmallVector<Type> types = typesOf(init);
  Operation *w = e.opN("while", init, types, {}, /*regions=*/2);
  Location loc = e.loc;
  if (failed(e.emitRegion(w->getRegion(0), types, [&](Block &b) {
        e.opN("return", e.compare(b.getArgument(0), upper, "LT"), {});
        return success();
      })))
    return failure();
  if (failed(e.emitRegion(w->getRegion(1), types, [&](Block &b) {
        Block *body = loop.getBody();
        e.map(loop.getInductionVar(), b.getArgument(0));
        for (auto [arg, value] :
             llvm::zip(loop.getRegionIterArgs(), b.getArguments().drop_front()))
          e.map(arg, value);
        tt.assign(e, b.getArguments(), 1 + loop.getNumRegionIterArgs());
        if (failed(e.emitOps(*body)))
          return failure();
        e.loc = loc;
        SmallVector<Value> next{
            e.op("add", {b.getArgument(0), step}, b.getArgument(0).getType())};
        for (Value v : body->getTerminator()->getOperands())
          next.push_back(e.lookup(v));
        llvm::append_range(next, tt.states(e));
        e.opN("return", next, {});
        return success();
      })))
    return failure();
  for (auto [r, v] : llvm::zip(loop.getResults(), w->getResults().drop_front()))
    e.map(r, v);
  tt.assign(e, w->getResults(), 1 + loop.getNumResults());
  return success();
}

static LogicalResult emitWhile(Emitter &e, scf::WhileOp loop) {
  if (!e.tapesUsedIn(loop.getBefore()).empty())
    return e.unsupported(loop, "its condition region uses a tape");
  ThreadedTapes tt = threaded(e, {&loop.getAfter()});
  SmallVector<Value> init;
  for (Value v : loop.getInits())
    init.push_back(e.lookup(v));
  unsigned n = init.size();
  llvm::append_range(init, tt.states(e));
  SmallVector<Type> types = typesOf(init);
  Block &before = loop.getBefore().front(), &after = loop.getAfter().front();
  auto condition = cast<scf::ConditionOp>(before.getTerminator());
  // The condition region runs again where its forwarded values are needed:
  // in the body and after the loop (it is pure code).
  auto runBefore = [&](ValueRange args) {
    for (auto [arg, v] : llvm::zip(before.getArguments(), args))
      e.map(arg, v);
    return e.emitOps(before);
  };
  Location loc = e.loc;
  Operation *w = e.opN("while", init, types, {}, /*regions=*/2);
  if (failed(e.emitRegion(w->getRegion(0), types, [&](Block &b) {
        if (failed(runBefore(b.getArguments().take_front(n))))
          return failure();
        e.loc = loc;
        e.opN("return", e.lookup(condition.getCondition()), {});
        return success();
      })))
    return failure();
  if (failed(e.emitRegion(w->getRegion(1), types, [&](Block &b) {
        if (failed(runBefore(b.getArguments().take_front(n))))
          return failure();
        for (auto [arg, v] : llvm::zip(after.getArguments(), condition.getArgs()))
          e.map(arg, e.lookup(v));
        tt.assign(e, b.getArguments(), n);
        if (failed(e.emitOps(after)))
          return failure();
        e.loc = loc;
        SmallVector<Value> next;
        for (Value v : after.getTerminator()->getOperands())
          next.push_back(e.lookup(v));
        llvm::append_range(next, tt.states(e));
        e.opN("return", next, {});
        return success();
      })))
    return failure();
  tt.assign(e, w->getResults(), n);
  if (failed(runBefore(w->getResults().take_front(n))))
    return failure();
  for (auto [r, v] : llvm::zip(loop.getResults(), condition.getArgs()))
    e.map(r, e.lookup(v));
  return success();
}

/// Emits `regions` as the branches of `op` (stablehlo.if or case): each
/// returns the op's results and the tapes' stacks.
static LogicalResult emitBranches(Emitter &e, Operation *op,
                                  ArrayRef<Region *> regions, Value selector,
                                  StringRef name) {
  ThreadedTapes tt = threaded(e, regions);
  SmallVector<Type> types;
  for (Value r : op->getResults())
    types.push_back(Emitter::convertType(r.getType()));
  unsigned n = types.size();
  llvm::append_range(types, tt.types(e));
  SmallVector<Value> outer = tt.states(e);
  Location loc = e.loc;
  Operation *branch = e.opN(name, selector, types, {}, regions.size());
  for (auto [i, region] : llvm::enumerate(regions)) {
    if (failed(e.emitRegion(branch->getRegion(i), {}, [&](Block &) {
          tt.assign(e, outer, 0);
          if (!region->empty() && failed(e.emitOps(region->front())))
            return failure();
          e.loc = loc;
          SmallVector<Value> out;
          if (!region->empty())
            for (Value v : region->front().getTerminator()->getOperands())
              out.push_back(e.lookup(v));
          llvm::append_range(out, tt.states(e));
          e.opN("return", out, {});
          return success();
        })))
      return failure();
  }
  for (auto [r, v] : llvm::zip(op->getResults(), branch->getResults()))
    e.map(r, v);
  tt.assign(e, branch->getResults(), n);
  return success();
}

LogicalResult Emitter::emitControlFlow(Operation *op, bool &handled) {
  if (op->getName().getDialectNamespace() != "scf")
    return success();
  handled = true;
  for (Type t : op->getResultTypes())
    if (!convertType(t))
      return unsupported(op, "a result type has no StableHLO form");
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](scf::ForOp loop) { return emitFor(*this, loop); })
      .Case([&](scf::WhileOp loop) { return emitWhile(*this, loop); })
      .Case([&](scf::IfOp branch) {
        return emitBranches(*this, op,
                            {&branch.getThenRegion(), &branch.getElseRegion()},
                            lookup(branch.getCondition()), "if");
      })
      .Case([&](scf::IndexSwitchOp sw) {
        // stablehlo.case runs the branch of an index; out-of-range indices
        // run the last branch, the default.
        Type i64 = builder.getI64Type();
        Value arg = lookup(sw.getArg());
        Value index = intConstant(sw.getNumCases(), i64);
        for (auto [i, value] : llvm::reverse(llvm::enumerate(sw.getCases())))
          index = select(compare(arg, intConstant(value, i64), "EQ"),
                         intConstant(i, i64), index);
        SmallVector<Region *> regions;
        for (Region &r : sw.getCaseRegions())
          regions.push_back(&r);
        regions.push_back(&sw.getDefaultRegion());
        return emitBranches(*this, op, regions,
                            convert(index, builder.getI32Type()), "case");
      })
      .Case([&](scf::ExecuteRegionOp region) {
        if (!region.getRegion().hasOneBlock())
          return unsupported(op, "its region has more than one block");
        Block &block = region.getRegion().front();
        if (failed(emitOps(block)))
          return failure();
        for (auto [r, v] :
             llvm::zip(region.getResults(), block.getTerminator()->getOperands()))
          map(r, lookup(v));
        return success();
      })
      .Default([&](Operation *) {
        return unsupported(op, "StableHLO export has no form of this scf "
                               "operation");
      });
}
