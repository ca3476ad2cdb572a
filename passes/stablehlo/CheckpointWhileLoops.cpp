//===- CheckpointWhileLoops.cpp - while loops reversed in static memory ---===//
//
// Reverse mode keeps values of every iteration of a loop, so a while loop
// whose trip count depends on data needs a tape of unknown size, which
// StableHLO cannot hold. Before differentiation for the export, each such
// loop in code that is differentiated in reverse mode becomes
//
//   n    = the loop run once on its stopped-gradient inputs, counting trips;
//   s    = for k < K: s = segment(s, len_k)   (K snapshots, len_k <= ceil(n/K));
//   r    = the condition region's forwarded values at s,
//
// where `segment(s, len)` runs the loop body `len` times and carries a
// custom VJP rule: its residuals are the segment's first state (K of them
// on the tape: static memory), and its backward function walks the segment
// backwards, recomputing each iteration's state from that snapshot and
// pulling the cotangent through one body (a `dp.autodiff` of the body,
// whose own tape holds one iteration). The primal runs twice and the reverse
// sweep recomputes O(n^2 / K) iterations: memory is bounded, time is not.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"
#include "passes/stablehlo/Emitter.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::dp {
#define GEN_PASS_DEF_DPCHECKPOINTWHILELOOPS
#include "passes/Passes.h.inc"
} // namespace mlir::dp

using namespace mlir;
using namespace mlir::dp;

namespace {
bool isFloatLike(Type t) { return isa<FloatType>(getElementTypeOrSelf(t)); }

Value zeroOf(OpBuilder &b, Location loc, Type t) {
  if (auto tensor = dyn_cast<RankedTensorType>(t))
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(
                    tensor, b.getFloatAttr(tensor.getElementType(), 0.0)));
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(t, 0.0));
}

ArrayAttr activities(OpBuilder &b, TypeRange types) {
  SmallVector<Attribute> out;
  for (Type t : types)
    out.push_back(ActivityAttr::get(
        b.getContext(), isFloatLike(t) ? Activity::Active : Activity::Const));
  return b.getArrayAttr(out);
}

struct LoopRewriter {
  ModuleOp module;
  SymbolTable &symbols;
  int64_t snapshots;

  /// A private function `name(inputs) -> outputs` at the module's end,
  /// with its entry block; `body` fills it and returns the results.
  func::FuncOp function(StringRef name, TypeRange inputs, TypeRange outputs,
                        Location loc,
                        function_ref<SmallVector<Value>(OpBuilder &, Block &)> body) {
    OpBuilder b(module.getContext());
    b.setInsertionPointToEnd(module.getBody());
    auto fn = func::FuncOp::create(b, loc, name,
                                   b.getFunctionType(inputs, outputs));
    fn.setPrivate();
    symbols.insert(fn);
    Block *entry = fn.addEntryBlock();
    b.setInsertionPointToStart(entry);
    func::ReturnOp::create(b, loc, body(b, *entry));
    return fn;
  }

  void rewrite(scf::WhileOp loop) {
    Location loc = loop.getLoc();
    Block &before = loop.getBefore().front(), &after = loop.getAfter().front();
    auto condition = cast<scf::ConditionOp>(before.getTerminator());
    auto yield = cast<scf::YieldOp>(after.getTerminator());
    llvm::SetVector<Value> captured;
    getUsedValuesDefinedAbove(loop->getRegions(), captured);
    SmallVector<Value> caps;
    SmallVector<Operation *> constants;
    for (Value v : captured) {
      Operation *def = v.getDefiningOp();
      if (def && matchPattern(v, m_Constant()))
        constants.push_back(def);
      else
        caps.push_back(v);
    }
    SmallVector<Type> state(loop.getInits().getTypes());
    SmallVector<Type> capTypes(ValueRange(caps).getTypes());
    SmallVector<Type> results(loop.getResultTypes());
    unsigned n = state.size();
    SmallVector<Type> inputs(state);
    llvm::append_range(inputs, capTypes);

    // Maps the loop's state and captured values to `args`; constants are
    // cloned in.
    auto bind = [&](OpBuilder &b, IRMapping &map, ValueRange args) {
      for (Operation *c : constants)
        b.clone(*c, map);
      map.map(before.getArguments(), args.take_front(n));
      map.map(caps, args.slice(n, caps.size()));
    };
    auto runBefore = [&](OpBuilder &b, IRMapping &map) {
      for (Operation &op : before.without_terminator())
        b.clone(op, map);
    };
    std::string tag = "__dp_while";
    func::FuncOp condFn = function(
        tag + "_cond", inputs, {IntegerType::get(module.getContext(), 1)}, loc,
        [&](OpBuilder &b, Block &e) -> SmallVector<Value> {
          IRMapping map;
          bind(b, map, e.getArguments());
          runBefore(b, map);
          return {map.lookup(condition.getCondition())};
        });
    func::FuncOp exitFn = function(
        tag + "_exit", inputs, results, loc,
        [&](OpBuilder &b, Block &e) {
          IRMapping map;
          bind(b, map, e.getArguments());
          runBefore(b, map);
          return llvm::map_to_vector(condition.getArgs(), [&](Value v) {
            return map.lookup(v);
          });
        });
    func::FuncOp bodyFn = function(
        tag + "_body", inputs, state, loc, [&](OpBuilder &b, Block &e) {
          IRMapping map;
          bind(b, map, e.getArguments());
          runBefore(b, map);
          for (auto [arg, v] : llvm::zip(after.getArguments(), condition.getArgs()))
            map.map(arg, map.lookup(v));
          for (Operation &op : after.without_terminator())
            b.clone(op, map);
          return llvm::map_to_vector(yield.getOperands(),
                                     [&](Value v) { return map.lookup(v); });
        });

    IndexType index = IndexType::get(module.getContext());
    // body applied `count` times to `start`.
    auto iterate = [&](OpBuilder &b, ValueRange start, ValueRange capsArgs,
                       Value count) {
      Value c0 = arith::ConstantIndexOp::create(b, loc, 0);
      Value c1 = arith::ConstantIndexOp::create(b, loc, 1);
      auto forOp = scf::ForOp::create(
          b, loc, c0, count, c1, start,
          [&](OpBuilder &nb, Location, Value, ValueRange s) {
            SmallVector<Value> args(s);
            llvm::append_range(args, capsArgs);
            auto call = func::CallOp::create(nb, loc, bodyFn, args);
            scf::YieldOp::create(nb, loc, call.getResults());
          });
      return SmallVector<Value>(forOp.getResults());
    };

    SmallVector<Type> segmentInputs(inputs);
    segmentInputs.push_back(index);
    func::FuncOp segmentFn = function(
        tag + "_segment", segmentInputs, state, loc,
        [&](OpBuilder &b, Block &e) {
          return iterate(b, e.getArguments().take_front(n),
                         e.getArguments().slice(n, caps.size()),
                         e.getArguments().back());
        });
    SmallVector<Type> fwdResults(state);
    llvm::append_range(fwdResults, segmentInputs);
    func::FuncOp fwdFn = function(
        tag + "_segment_fwd", segmentInputs, fwdResults, loc,
        [&](OpBuilder &b, Block &e) {
          auto call = func::CallOp::create(b, loc, segmentFn, e.getArguments());
          SmallVector<Value> out(call.getResults());
          llvm::append_range(out, e.getArguments());
          return out;
        });
    // bwd(residuals = segment inputs, cotangents of float state) -> grads
    // of the float state and float captured values.
    SmallVector<Type> floatState, floatCaps;
    for (Type t : state)
      if (isFloatLike(t))
        floatState.push_back(t);
    for (Type t : capTypes)
      if (isFloatLike(t))
        floatCaps.push_back(t);
    SmallVector<Type> bwdInputs(segmentInputs);
    llvm::append_range(bwdInputs, floatState);
    SmallVector<Type> grads(floatState);
    llvm::append_range(grads, floatCaps);
    func::FuncOp bwdFn = function(
        tag + "_segment_bwd", bwdInputs, grads, loc,
        [&](OpBuilder &b, Block &e) {
          ValueRange first = e.getArguments().take_front(n);
          ValueRange capsArgs = e.getArguments().slice(n, caps.size());
          Value len = e.getArgument(n + caps.size());
          SmallVector<Value> carried(
              e.getArguments().drop_front(n + caps.size() + 1));
          for (Type t : floatCaps)
            carried.push_back(zeroOf(b, loc, t));
          Value c0 = arith::ConstantIndexOp::create(b, loc, 0);
          Value c1 = arith::ConstantIndexOp::create(b, loc, 1);
          auto walk = scf::ForOp::create(
              b, loc, c0, len, c1, carried,
              [&](OpBuilder &nb, Location, Value jj, ValueRange acc) {
                Value last = arith::SubIOp::create(nb, loc, len, c1);
                Value j = arith::SubIOp::create(nb, loc, last, jj);
                SmallVector<Value> sj = iterate(nb, first, capsArgs, j);
                SmallVector<Value> operands(sj);
                llvm::append_range(operands, capsArgs);
                llvm::append_range(operands, acc.take_front(floatState.size()));
                SmallVector<Type> outTypes(state);
                llvm::append_range(outTypes, grads);
                auto request = AutodiffOp::create(
                    nb, loc, outTypes,
                    FlatSymbolRefAttr::get(bodyFn.getSymNameAttr()), operands,
                    activities(nb, inputs), activities(nb, state));
                ValueRange g = request.getResults().drop_front(n);
                SmallVector<Value> next(g.take_front(floatState.size()));
                for (auto [sum, d] :
                     llvm::zip(acc.drop_front(floatState.size()),
                               g.drop_front(floatState.size())))
                  next.push_back(arith::AddFOp::create(nb, loc, sum, d));
                scf::YieldOp::create(nb, loc, next);
              });
          return SmallVector<Value>(walk.getResults());
        });
    MLIRContext *ctx = module.getContext();
    segmentFn->setAttr(
        kCustomVjpAttr,
        DictionaryAttr::get(
            ctx, {NamedAttribute(StringAttr::get(ctx, "fwd"),
                                 FlatSymbolRefAttr::get(fwdFn.getSymNameAttr())),
                  NamedAttribute(StringAttr::get(ctx, "bwd"),
                                 FlatSymbolRefAttr::get(bwdFn.getSymNameAttr()))}));

    // The loop's replacement.
    OpBuilder b(loop);
    auto stopped = [&](ValueRange values) {
      return llvm::map_to_vector(values, [&](Value v) -> Value {
        return isFloatLike(v.getType()) ? StopGradientOp::create(b, loc, v)
                                        : v;
      });
    };
    SmallVector<Value> countInits = stopped(loop.getInits());
    SmallVector<Value> stoppedCaps = stopped(caps);
    Value c0 = arith::ConstantIndexOp::create(b, loc, 0);
    Value c1 = arith::ConstantIndexOp::create(b, loc, 1);
    countInits.push_back(c0);
    SmallVector<Type> countTypes(state);
    countTypes.push_back(index);
    auto count = scf::WhileOp::create(
        b, loc, countTypes, countInits,
        [&](OpBuilder &nb, Location, ValueRange args) {
          SmallVector<Value> operands(args.take_front(n));
          llvm::append_range(operands, stoppedCaps);
          auto c = func::CallOp::create(nb, loc, condFn, operands);
          scf::ConditionOp::create(nb, loc, c.getResult(0), args);
        },
        [&](OpBuilder &nb, Location, ValueRange args) {
          SmallVector<Value> operands(args.take_front(n));
          llvm::append_range(operands, stoppedCaps);
          auto next = func::CallOp::create(nb, loc, bodyFn, operands);
          SmallVector<Value> out(next.getResults());
          out.push_back(arith::AddIOp::create(nb, loc, args.back(), c1));
          scf::YieldOp::create(nb, loc, out);
        });
    Value trips = count.getResults().back();
    Value k = arith::ConstantIndexOp::create(b, loc, snapshots);
    Value length = arith::CeilDivSIOp::create(b, loc, trips, k);
    auto segments = scf::ForOp::create(
        b, loc, c0, k, c1, loop.getInits(),
        [&](OpBuilder &nb, Location, Value i, ValueRange s) {
          Value start = arith::MulIOp::create(nb, loc, i, length);
          Value rest = arith::SubIOp::create(nb, loc, trips, start);
          Value len = arith::MaxSIOp::create(
              nb, loc, c0, arith::MinSIOp::create(nb, loc, length, rest));
          SmallVector<Value> operands(s);
          llvm::append_range(operands, caps);
          operands.push_back(len);
          auto call = func::CallOp::create(nb, loc, segmentFn, operands);
          call->setAttr("no_inline", nb.getUnitAttr());
          scf::YieldOp::create(nb, loc, call.getResults());
        });
    SmallVector<Value> exitArgs(segments.getResults());
    llvm::append_range(exitArgs, caps);
    auto exit = func::CallOp::create(b, loc, exitFn, exitArgs);
    loop.replaceAllUsesWith(exit.getResults());
    loop.erase();
  }
};

/// Functions that reverse mode differentiates (callees of dp.autodiff and
/// dp.augmented, and what they call) and forward mode does not.
llvm::DenseSet<Operation *> reversedFunctions(ModuleOp module) {
  auto reach = [&](auto isRequest) {
    llvm::DenseSet<Operation *> seen;
    SmallVector<func::FuncOp> work;
    module.walk([&](Operation *op) {
      if (!isRequest(op))
        return;
      auto callee = op->getAttrOfType<FlatSymbolRefAttr>("callee");
      if (auto fn = module.lookupSymbol<func::FuncOp>(callee))
        work.push_back(fn);
    });
    while (!work.empty()) {
      func::FuncOp fn = work.pop_back_val();
      if (fn.isExternal() || !seen.insert(fn).second)
        continue;
      fn.walk([&](func::CallOp call) {
        if (auto callee = module.lookupSymbol<func::FuncOp>(call.getCallee()))
          work.push_back(callee);
      });
    }
    return seen;
  };
  llvm::DenseSet<Operation *> reversed = reach([](Operation *op) {
    return isa<AutodiffOp, AugmentedOp>(op);
  });
  for (Operation *fn : reach([](Operation *op) { return isa<FwddiffOp>(op); }))
    reversed.erase(fn);
  return reversed;
}

struct CheckpointWhileLoopsPass
    : public dp::impl::DpCheckpointWhileLoopsBase<CheckpointWhileLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (snapshots < 1) {
      module.emitError() << "dp-checkpoint-while-loops: snapshots must be "
                            "at least 1";
      return signalPassFailure();
    }
    llvm::DenseSet<Operation *> reversed = reversedFunctions(module);
    SmallVector<scf::WhileOp> loops;
    for (auto fn : module.getOps<func::FuncOp>())
      if (reversed.contains(fn))
        fn->walk([&](scf::WhileOp loop) {
          bool floats = llvm::any_of(loop.getInits().getTypes(), isFloatLike);
          if (floats && !stablehlo::countedTrips(loop))
            loops.push_back(loop);
        });
    SymbolTable symbols(module);
    LoopRewriter rewriter{module, symbols, snapshots};
    for (scf::WhileOp loop : loops)
      rewriter.rewrite(loop);
  }
};
} // namespace
