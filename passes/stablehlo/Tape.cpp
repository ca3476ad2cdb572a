//===- Tape.cpp - StableHLO export of dp tapes: static stacks -------------===//
//
// A tape is LIFO, so each element type's own pushes and pops are LIFO too:
// one stack per type serves. A stack is a buffer tensor<capacity x element>
// and an i64 count; push is dynamic_update_slice at the count, pop a
// dynamic_slice below it. The capacity is the most pushes of that type one
// call of any function makes (every tape lives within one call), counted
// through loops with compile-time trip counts, the larger branch of each
// branch, and callees; where that count does not exist (a loop with a
// data-dependent trip count that pushes), the export is an error at the loop.
//
//===----------------------------------------------------------------------===//

#include "passes/stablehlo/Emitter.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace mlir::dp;
using namespace mlir::dp::stablehlo;

namespace {
using Counts = llvm::MapVector<Type, int64_t>;

/// Bounds of an integer or index value: constants, induction variables of
/// enclosing loops with bounded limits, and sums, differences, constant
/// multiples, extrema and selections of those.
std::optional<std::pair<int64_t, int64_t>> bounds(Value v, int depth = 0) {
  using Range = std::pair<int64_t, int64_t>;
  if (depth > 16)
    return std::nullopt;
  if (std::optional<int64_t> c = getConstantIntValue(v))
    return Range{*c, *c};
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    auto loop = dyn_cast<scf::ForOp>(arg.getOwner()->getParentOp());
    if (!loop || arg != loop.getInductionVar())
      return std::nullopt;
    auto lb = bounds(loop.getLowerBound(), depth + 1),
         ub = bounds(loop.getUpperBound(), depth + 1);
    if (!lb || !ub)
      return std::nullopt;
    return Range{lb->first, std::max(lb->first, ub->second - 1)};
  }
  Operation *op = v.getDefiningOp();
  if (!op)
    return std::nullopt;
  auto operand = [&](unsigned i) { return bounds(op->getOperand(i), depth + 1); };
  if (isa<arith::IndexCastOp, arith::ExtSIOp>(op))
    return operand(0);
  if (op->getNumOperands() != 2 && !isa<arith::SelectOp>(op))
    return std::nullopt;
  if (auto sel = dyn_cast<arith::SelectOp>(op)) {
    auto a = operand(1), b = operand(2);
    if (!a || !b)
      return std::nullopt;
    return Range{std::min(a->first, b->first), std::max(a->second, b->second)};
  }
  auto a = operand(0), b = operand(1);
  if (!a || !b)
    return std::nullopt;
  if (isa<arith::AddIOp>(op))
    return Range{a->first + b->first, a->second + b->second};
  if (isa<arith::SubIOp>(op))
    return Range{a->first - b->second, a->second - b->first};
  if (isa<arith::MaxSIOp>(op))
    return Range{std::max(a->first, b->first), std::max(a->second, b->second)};
  if (isa<arith::MinSIOp>(op))
    return Range{std::min(a->first, b->first), std::min(a->second, b->second)};
  if (isa<arith::MulIOp>(op)) {
    int64_t p[] = {a->first * b->first, a->first * b->second,
                   a->second * b->first, a->second * b->second};
    return Range{*std::min_element(p, p + 4), *std::max_element(p, p + 4)};
  }
  return std::nullopt;
}

/// Pushes onto one tape during its life: a tape is made by dp.tape.init
/// (or returned by a call) and lives in the region that holds it, so a loop
/// multiplies the pushes onto a tape from outside the loop, and a tape made
/// in each iteration is counted once.
struct TapeCounter {
  ModuleOp module;
  DenseMap<std::pair<Operation *, unsigned>, Counts> done; // (callee, arg)
  llvm::SmallPtrSet<Operation *, 8> active;
  DenseMap<Operation *, int64_t> largestMade; // callee -> largest tape it makes
  llvm::SmallPtrSet<Operation *, 16> visited;

  static void add(Counts &into, const Counts &from, int64_t times = 1) {
    for (auto [t, n] : from)
      into[t] += n * times;
  }
  static void maxInto(Counts &into, const Counts &from) {
    for (auto [t, n] : from)
      into[t] = std::max(into.lookup(t), n);
  }

  /// Pushes onto argument `index` during one call of `fn`.
  FailureOr<Counts> argument(func::FuncOp fn, unsigned index) {
    auto key = std::make_pair(fn.getOperation(), index);
    if (auto it = done.find(key); it != done.end())
      return it->second;
    if (!active.insert(fn).second)
      return fn.emitOpError()
             << "cannot be exported to StableHLO: it calls itself and its "
                "tape has no size known at compile time";
    FailureOr<Counts> counts = onto(fn.getBody(), fn.getArgument(index));
    active.erase(fn);
    if (succeeded(counts))
      done[key] = *counts;
    return counts;
  }

  FailureOr<Counts> onto(Region &r, Value tape) {
    Counts counts;
    for (Block &b : r)
      for (Operation &op : b)
        if (failed(operation(&op, tape, counts)))
          return failure();
    return counts;
  }

  LogicalResult operation(Operation *op, Value tape, Counts &counts) {
    if (auto push = dyn_cast<TapePushOp>(op)) {
      if (push.getTape() == tape)
        counts[push.getValue().getType()] += 1;
      return success();
    }
    if (auto call = dyn_cast<func::CallOp>(op)) {
      auto callee = module.lookupSymbol<func::FuncOp>(call.getCallee());
      if (!callee || callee.isExternal())
        return success();
      for (auto [i, operand] : llvm::enumerate(call.getOperands())) {
        if (operand != tape)
          continue;
        FailureOr<Counts> inner = argument(callee, i);
        if (failed(inner))
          return failure();
        add(counts, *inner);
      }
      return success();
    }
    if (op->getNumRegions() == 0)
      return success();
    Counts inner;
    bool branches = isa<scf::IfOp, scf::IndexSwitchOp>(op);
    for (Region &r : op->getRegions()) {
      FailureOr<Counts> c = onto(r, tape);
      if (failed(c))
        return failure();
      if (branches)
        maxInto(inner, *c);
      else
        add(inner, *c);
    }
    if (inner.empty())
      return success();
    if (auto loop = dyn_cast<scf::ForOp>(op)) {
      auto lb = bounds(loop.getLowerBound()), ub = bounds(loop.getUpperBound());
      std::optional<int64_t> step = getConstantIntValue(loop.getStep());
      if (!lb || !ub || !step || *step <= 0)
        return loop.emitOpError()
               << "cannot be exported to StableHLO: its trip count is not "
                  "bounded at compile time and its derivative keeps values "
                  "of every iteration (a tape of unknown size)";
      int64_t trips = ub->second > lb->first
                          ? (ub->second - lb->first + *step - 1) / *step
                          : 0;
      add(counts, inner, trips);
      return success();
    }
    if (auto loop = dyn_cast<scf::WhileOp>(op)) {
      std::optional<int64_t> trips = countedTrips(loop);
      if (!trips)
        return loop.emitOpError()
               << "cannot be exported to StableHLO: a while loop with a "
                  "data-dependent trip count whose derivative keeps values "
                  "of every iteration needs a tape of unknown size";
      add(counts, inner, *trips + 1);
      return success();
    }
    add(counts, inner);
    return success();
  }

  /// The capacity each tape `fn` makes (dp.tape.init, or a call's tape
  /// result) needs, folded into `capacity`.
  LogicalResult function(func::FuncOp fn, llvm::MapVector<Type, int64_t> &capacity) {
    if (!visited.insert(fn).second)
      return success();
    WalkResult walk = fn.walk([&](Operation *op) {
      for (Value result : op->getResults()) {
        if (!isa<TapeType>(result.getType()))
          continue;
        FailureOr<Counts> counts = onto(*op->getParentRegion(), result);
        if (failed(counts))
          return WalkResult::interrupt();
        int64_t made = 0;
        if (auto call = dyn_cast<func::CallOp>(op))
          if (auto callee = module.lookupSymbol<func::FuncOp>(call.getCallee())) {
            if (failed(function(callee, capacity)))
              return WalkResult::interrupt();
            made = largestMade.lookup(callee);
          }
        int64_t total = made;
        for (auto [t, n] : *counts) {
          capacity[t] = std::max(capacity.lookup(t), n + made);
          total = std::max(total, n);
        }
        largestMade[fn] = std::max(largestMade.lookup(fn), total);
      }
      return WalkResult::advance();
    });
    return failure(walk.wasInterrupted());
  }
};
} // namespace

FailureOr<TapeLayout> mlir::dp::stablehlo::analyzeTapes(ModuleOp module) {
  TapeCounter counter{module, {}, {}, {}, {}};
  TapeLayout layout;
  for (auto fn : module.getOps<func::FuncOp>())
    if (!fn.isExternal() && failed(counter.function(fn, layout.capacity)))
      return failure();
  for (auto [t, n] : layout.capacity)
    if (!Emitter::convertType(t))
      return module.emitOpError()
             << "cannot be exported to StableHLO: a tape holds values of "
                "type "
             << t;
  // A type pushed only in loops that run no iteration still needs a slot
  // for the (never executed) push to be well-typed.
  for (auto &entry : layout.capacity)
    entry.second = std::max<int64_t>(entry.second, 1);
  return layout;
}

/// The most iterations of a while loop that counts: its condition is a
/// conjunction with `counter < limit` (or <=), the counter a carried value
/// that starts at a bounded value and grows by a positive constant each
/// iteration (a `for ... in range(n)` with a `break`, as the frontend
/// writes it).
std::optional<int64_t> mlir::dp::stablehlo::countedTrips(scf::WhileOp loop) {
  Block &before = loop.getBefore().front();
  auto condition = cast<scf::ConditionOp>(before.getTerminator());
  auto yield = cast<scf::YieldOp>(loop.getAfter().front().getTerminator());
  SmallVector<Value> conjuncts{condition.getCondition()};
  std::optional<int64_t> best;
  while (!conjuncts.empty()) {
    Value c = conjuncts.pop_back_val();
    if (auto andOp = c.getDefiningOp<arith::AndIOp>()) {
      conjuncts.append({andOp.getLhs(), andOp.getRhs()});
      continue;
    }
    auto cmp = c.getDefiningOp<arith::CmpIOp>();
    if (!cmp || (cmp.getPredicate() != arith::CmpIPredicate::slt &&
                 cmp.getPredicate() != arith::CmpIPredicate::sle))
      continue;
    auto counter = dyn_cast<BlockArgument>(cmp.getLhs());
    auto limit = bounds(cmp.getRhs());
    if (!counter || counter.getOwner() != &before || !limit)
      continue;
    unsigned k = counter.getArgNumber();
    // Forwarded unchanged to the body, which yields it plus a step.
    auto forwarded = llvm::find(condition.getArgs(), counter);
    if (forwarded == condition.getArgs().end())
      continue;
    Value bodyArg = loop.getAfter().front().getArgument(
        forwarded - condition.getArgs().begin());
    auto add = yield.getOperand(k).getDefiningOp<arith::AddIOp>();
    if (!add)
      continue;
    Value other = add.getLhs() == bodyArg   ? add.getRhs()
                  : add.getRhs() == bodyArg ? add.getLhs()
                                            : Value();
    std::optional<int64_t> step = other ? getConstantIntValue(other)
                                        : std::optional<int64_t>();
    auto start = bounds(loop.getInits()[k]);
    if (!step || *step <= 0 || !start)
      continue;
    int64_t last = limit->second +
                   (cmp.getPredicate() == arith::CmpIPredicate::sle ? 1 : 0);
    int64_t trips =
        last > start->first ? (last - start->first + *step - 1) / *step : 0;
    best = best ? std::min(*best, trips) : trips;
  }
  return best;
}

SmallVector<Value> Emitter::tapesUsedIn(Region &region) {
  llvm::SetVector<Value> used;
  region.walk([&](Operation *op) {
    for (Value v : op->getOperands())
      if (isa<TapeType>(v.getType()) && !region.isAncestor(v.getParentRegion()))
        used.insert(v);
  });
  return used.takeVector();
}

TapeState Emitter::newTape() {
  TapeState state;
  Type i64 = builder.getI64Type();
  for (Type t : tapeStateTypes()) {
    auto type = cast<RankedTensorType>(t);
    if (type.getRank() == 0) {
      state.push_back(intConstant(0, i64));
      continue;
    }
    state.push_back(broadcastTo(scalarConstant(type.getElementType(), 0),
                                type.getShape(), {}));
  }
  return state;
}

LogicalResult Emitter::emitTape(Operation *op, bool &handled) {
  if (!isa<TapeInitOp, TapePushOp, TapePopOp, TapeFreeOp, TapeRewindOp>(op))
    return success();
  handled = true;
  if (auto init = dyn_cast<TapeInitOp>(op)) {
    setTapeState(init.getResult(), newTape());
    return success();
  }
  if (isa<TapeFreeOp>(op))
    return success();
  if (isa<TapeRewindOp>(op))
    return unsupported(op, "a tape read a second time (a pullback called "
                           "more than once) is not exported");
  if (poppedAlready.erase(op))
    return success();
  Value tape = op->getOperand(0);
  if (auto push = dyn_cast<TapePushOp>(op)) {
    Type element = push.getValue().getType();
    auto found = layout.capacity.find(element);
    if (found == layout.capacity.end())
      return unsupported(op, "nothing of its type is ever pushed");
    unsigned k = std::distance(layout.capacity.begin(), found);
    auto type = cast<RankedTensorType>(convertType(element));
    SmallVector<int64_t> row{1};
    llvm::append_range(row, type.getShape());
    auto &pending = pendingPushes[tape];
    pending.resize(layout.capacity.size());
    pending[k].push_back(reshape(lookup(push.getValue()), row));
    return success();
  }
  // A run of pops of one tape (a reversed block starts with them) reads
  // each type's top rows at once.
  SmallVector<TapePopOp> run;
  for (Operation *next = op; auto pop = dyn_cast_or_null<TapePopOp>(next);
       next = next->getNextNode()) {
    if (pop.getTape() != tape)
      break;
    run.push_back(pop);
  }
  TapeState &state = tapeState(tape);
  Type i64 = builder.getI64Type();
  Value zero = intConstant(0, i64);
  for (auto [k, entry] : llvm::enumerate(layout.capacity)) {
    SmallVector<TapePopOp> ofType;
    for (TapePopOp pop : run)
      if (pop.getType() == entry.first)
        ofType.push_back(pop);
    if (ofType.empty())
      continue;
    Value buffer = state[2 * k], count = state[2 * k + 1];
    auto bufferType = cast<RankedTensorType>(buffer.getType());
    auto elementType = cast<RankedTensorType>(convertType(entry.first));
    int64_t m = ofType.size();
    Value below = this->op("subtract", {count, intConstant(m, i64)},
                           count.getType());
    SmallVector<int64_t> rows(bufferType.getShape());
    rows[0] = m;
    SmallVector<Value> operands{buffer, below};
    operands.append(elementType.getRank(), zero);
    Value slab = this->op(
        "dynamic_slice", operands,
        RankedTensorType::get(rows, bufferType.getElementType()),
        {i64s("slice_sizes", rows)});
    state[2 * k + 1] = below;
    // The first pop takes the top row.
    for (auto [i, pop] : llvm::enumerate(ofType)) {
      int64_t r = m - 1 - i;
      SmallVector<int64_t> start(rows.size(), 0), limit(rows), strides(rows.size(), 1);
      start[0] = r;
      limit[0] = r + 1;
      SmallVector<int64_t> one(rows);
      one[0] = 1;
      Value slice =
          m == 1 ? slab
                 : this->op("slice", slab,
                            RankedTensorType::get(one, bufferType.getElementType()),
                            {i64s("start_indices", start),
                             i64s("limit_indices", limit), i64s("strides", strides)});
      map(pop.getResult(), reshape(slice, elementType.getShape()));
      if (pop != op)
        poppedAlready.insert(pop);
    }
  }
  return success();
}

void Emitter::flushPushes(Value tape) {
  auto found = pendingPushes.find(tape);
  if (found == pendingPushes.end())
    return;
  SmallVector<SmallVector<Value>> pending = std::move(found->second);
  pendingPushes.erase(found);
  TapeState &state = tapes[tape];
  Type i64 = builder.getI64Type();
  Value zero = intConstant(0, i64);
  for (auto [k, rows] : llvm::enumerate(pending)) {
    if (rows.empty())
      continue;
    Value buffer = state[2 * k], count = state[2 * k + 1];
    auto bufferType = cast<RankedTensorType>(buffer.getType());
    Value slab = rows.front();
    if (rows.size() > 1) {
      SmallVector<int64_t> shape(bufferType.getShape());
      shape[0] = rows.size();
      slab = this->op("concatenate", rows,
                      RankedTensorType::get(shape, bufferType.getElementType()),
                      {attr("dimension", builder.getI64IntegerAttr(0))});
    }
    SmallVector<Value> operands{buffer, slab, count};
    operands.append(bufferType.getRank() - 1, zero);
    state[2 * k] = this->op("dynamic_update_slice", operands, bufferType);
    state[2 * k + 1] = this->op(
        "add", {count, intConstant(rows.size(), i64)}, count.getType());
  }
}
