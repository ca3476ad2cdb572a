//===- Reverse.cpp - reverse-mode differentiation --------------------------===//
//
// Builds the augmented function (the primal, plus pushes of what the reverse
// sweep needs) and the reverse function (adjoints, op by op in reverse).
//
// Caching. Every block of the primal has a counterpart in the forward sweep
// and, while its reverse is being built, a counterpart in the reverse sweep.
// A primal value the reverse sweep needs is pushed at the end of its
// block's forward counterpart and popped at the start of the reversed block.
// Each execution of a forward block is mirrored by exactly one execution of
// its reversed block, and nested regions and calls push and pop in between,
// so one LIFO tape serves everything: a loop body's values are pushed once
// per iteration, a branch's only when it is taken, a callee's inside the
// call. Constants and loop induction variables are rebuilt, not cached, and
// so are values that a short chain of cheap arithmetic rebuilds from values
// the reversed block has anyway (an RK4 stage from the step's state): a few
// adds and multiplies cost less than a round trip through the tape.
//
// Control flow. scf.for runs backwards over the same trip count; scf.while
// counts its iterations, and its reverse is a for loop over that count;
// scf.if and scf.index_switch branch again on their cached condition.
// Adjoints of values defined outside a region and used in it are carried
// through the reversed region as loop-carried values or region results.
//
// Tapes (in code that holds derivative code). The forward sweep runs tape
// ops as they are. Each tape has a shadow tape in the reverse sweep, created
// where the reversed tape's block starts and freed where its dp.tape.init is
// reversed: the reverse of popping a float pushes its adjoint onto the
// shadow, and the reverse of pushing a float pops the adjoint of the value
// pushed. Reversed code runs the tape's pushes and pops in the opposite
// order, so each adjoint comes off the shadow where its value went onto the
// tape. A call passing a tape passes the shadow to the callee's reverse.
//
// Custom rules. A call of a function with a custom VJP rule runs the rule's
// forward function, caches its residuals like any forward value, and gets
// the gradients from the rule's backward function; with a custom JVP rule,
// the JVP rule's reverse mode in its tangents transposes it; a checkpointed
// function's call records only its arguments and is run again, taped, in the
// reverse sweep.
//
//===----------------------------------------------------------------------===//

#include "passes/autodiff/Activity.h"
#include "passes/autodiff/Derivatives.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/SaveAndRestore.h"

using namespace mlir;
using namespace mlir::dp;
using namespace mlir::dp::autodiff;

namespace {
class ReverseEmitter {
public:
  ReverseEmitter(DerivativeBuilder &builder, ActivityAnalysis &activity,
                 Value forwardTape, Value reverseTape)
      : builder(builder), activity(activity), forwardTape(forwardTape),
        reverseTape(reverseTape) {}

  // Forward sweep.
  LogicalResult emitForwardBlock(Block &block, OpBuilder &b);
  void mapForward(Value from, Value to) { forward.map(from, to); }
  Value forwardValue(Value value) { return forward.lookupOrDefault(value); }
  void setForwardBlock(Block *source, Block *dest) {
    forwardBlocks[source] = dest;
  }

  // Reverse sweep.
  LogicalResult emitReverseBlock(Block &block, OpBuilder &b);
  void enterBlock(Block *source, Block *reversed) {
    reversedBlocks[source] = reversed;
    allReversed.push_back({source, reversed});
  }
  void accumulate(Value of, Value contribution, OpBuilder &b);
  Value adjointOrZero(Value of, OpBuilder &b);
  /// Orders the pops of every reversed block as the reverse of its block's
  /// pushes, adding pops of values a reversed block did not use.
  void finalize();
  bool hadError() const { return error; }
  /// An array argument (a tensor or a buffer) as the reverse function
  /// receives it, and its shadow (buffers only).
  void mapArrayArgument(Value arg, Value reverseArg, Value shadow) {
    reverseArgs[arg] = reverseArg;
    if (shadow)
      shadows[arg] = shadow;
  }
  /// A tape argument's shadow as the reverse function receives it.
  void mapTapeArgument(Value arg, Value shadow) { shadows[arg] = shadow; }

private:
  LogicalResult emitForwardOp(Operation *op, OpBuilder &b);
  LogicalResult forwardFor(scf::ForOp op, OpBuilder &b);
  LogicalResult forwardWhile(scf::WhileOp op, OpBuilder &b);
  LogicalResult forwardBranches(Operation *op, OpBuilder &b);
  LogicalResult forwardCall(func::CallOp op, OpBuilder &b);
  /// The augmented/reverse pair of a custom JVP rule, for transposing it.
  FailureOr<ReversePair> transposedJvp(func::CallOp op, func::FuncOp jvp);
  /// The augmented/reverse pair of a call's callee for the call's activity.
  FailureOr<ReversePair> callDerivatives(func::CallOp op);
  /// Emits `region`'s block into `dest` and terminates it like the source.
  LogicalResult forwardRegion(Region &region, Block *dest,
                              ValueRange extraYields = {});

  LogicalResult reverseOp(Operation *op, OpBuilder &b);
  LogicalResult reverseFor(scf::ForOp op, OpBuilder &b);
  LogicalResult reverseWhile(scf::WhileOp op, OpBuilder &b);
  LogicalResult reverseBranches(Operation *op, OpBuilder &b);
  LogicalResult reverseCall(func::CallOp op, OpBuilder &b);
  LogicalResult reverseCustomVjp(func::CallOp op, func::FuncOp bwd,
                                 OpBuilder &b);
  LogicalResult reverseCustomJvp(func::CallOp op, func::FuncOp jvp,
                                 OpBuilder &b);
  LogicalResult reverseCheckpoint(func::CallOp op, OpBuilder &b);
  LogicalResult reverseTapeOp(Operation *op, OpBuilder &b);
  /// Adjoints of a load or store on a shadowed buffer.
  LogicalResult reverseBufferOp(Operation *op, OpBuilder &b);
  /// Allocates the shadows of `block`'s local buffers (zeroed) and builds
  /// the shadow views it makes, at the start of its reversed block, so that
  /// they dominate every reversed op that uses them.
  void createShadows(Block &block, OpBuilder &b);
  /// Emits, into a new block of `region`, the reverse of `source`: the
  /// adjoints in `seeds` flow into the source terminator's operands, and the
  /// new block yields the adjoints of `yieldValues`.
  LogicalResult reverseRegion(Block &source, Region &region,
                              ArrayRef<std::pair<unsigned, Value>> seeds,
                              ArrayRef<Value> yieldValues, Location loc);

  /// The value of primal `value` at the reverse sweep's insertion point.
  Value primal(Value value, OpBuilder &b);
  /// The same for a value that is not a constant: from the induction
  /// variables, rebuilt, or from the tape.
  Value available(Value value);
  /// True if `op` is cheap to run again in the reverse sweep, or a read of an
  /// argument tensor or of a buffer nothing writes to (which reads the same
  /// again).
  bool isRebuildable(Operation *op);
  /// Number of ops rebuilding `value` in its reversed block would add, or
  /// more than `budget` if that is all that matters.
  unsigned rebuildCost(Value value, unsigned budget);
  /// Rebuilds `value` from its operands at the start of its reversed block.
  Value rebuild(Value value);
  /// Pops forward value `value` (defined in the counterpart of `block`) in
  /// the reversed counterpart of `block`, pushing it in the forward sweep.
  Value cached(Value value, Block *block);

  /// Active values used inside `op`'s regions but defined outside `op`.
  SmallVector<Value> freeActiveValues(Operation *op);
  SmallVector<unsigned> activePositions(ValueRange values) {
    SmallVector<unsigned> positions;
    for (auto [i, v] : llvm::enumerate(values))
      if (activity.isActive(v))
        positions.push_back(i);
    return positions;
  }
  void clearAdjoints(Block &block) {
    for (Value arg : block.getArguments())
      adjoints.erase(arg);
    for (Operation &op : block)
      for (Value result : op.getResults())
        adjoints.erase(result);
  }
  Value indexConstant(OpBuilder &b, Location loc, Type type, int64_t value) {
    return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, value));
  }

  DerivativeBuilder &builder;
  ActivityAnalysis &activity;
  Value forwardTape, reverseTape;

  IRMapping forward;
  DenseMap<Block *, Block *> forwardBlocks;
  DenseMap<Operation *, Value> whileCounts;
  /// The residuals the custom VJP rule of a call returned, forward values.
  DenseMap<Operation *, SmallVector<Value>> residuals;

  DenseMap<Block *, SmallVector<Value>> pushes;
  DenseMap<Block *, Block *> reversedBlocks;
  SmallVector<std::pair<Block *, Block *>> allReversed;
  DenseMap<Block *, DenseMap<Value, Value>> pops;
  DenseMap<Block *, DenseMap<Value, Value>> rebuilt;
  /// The last op rebuilt at the start of a reversed block (rebuilt ops go
  /// after it, after the block's pops and induction variable).
  DenseMap<Block *, Operation *> lastRebuilt;
  DenseMap<Value, Value> inductionVars;
  DenseMap<Value, Value> adjoints;
  /// Shadow buffers, in the reverse sweep, of shadowed primal buffers.
  DenseMap<Value, Value> shadows;
  /// Array arguments of the primal as the reverse function receives them.
  DenseMap<Value, Value> reverseArgs;
  /// The primal op whose reverse is being built, for diagnostics.
  Operation *reversing = nullptr;
  bool error = false;
};
} // namespace

//===----------------------------------------------------------------------===//
// Forward sweep
//===----------------------------------------------------------------------===//

LogicalResult ReverseEmitter::emitForwardBlock(Block &block, OpBuilder &b) {
  for (Operation &op : block.without_terminator())
    if (failed(emitForwardOp(&op, b)))
      return failure();
  return success();
}

LogicalResult ReverseEmitter::emitForwardOp(Operation *op, OpBuilder &b) {
  if (failed(checkNothingLost(activity, op)))
    return failure();
  // The forward sweep runs buffer ops as they are: shadows are needed only
  // in the reverse sweep.
  if ((!activity.needsDerivative(op) && !appliesCustomRule(activity, op)) ||
      isBufferOp(op) || isTapeOp(op)) {
    b.clone(*op, forward);
    return success();
  }
  if (auto forOp = dyn_cast<scf::ForOp>(op))
    return forwardFor(forOp, b);
  if (auto whileOp = dyn_cast<scf::WhileOp>(op))
    return forwardWhile(whileOp, b);
  if (isa<scf::IfOp, scf::IndexSwitchOp, scf::ExecuteRegionOp>(op))
    return forwardBranches(op, b);
  if (auto call = dyn_cast<func::CallOp>(op))
    return forwardCall(call, b);
  if (!builder.getRules().lookup(op))
    return reportNotDifferentiable(op, "no derivative rule");
  b.clone(*op, forward);
  return success();
}

LogicalResult ReverseEmitter::forwardRegion(Region &region, Block *dest,
                                            ValueRange extraYields) {
  Block &source = region.front();
  for (auto [arg, newArg] :
       llvm::zip(source.getArguments(), dest->getArguments()))
    mapForward(arg, newArg);
  setForwardBlock(&source, dest);
  OpBuilder b = OpBuilder::atBlockEnd(dest);
  if (failed(emitForwardBlock(source, b)))
    return failure();
  Operation *terminator = source.getTerminator();
  SmallVector<Value> operands;
  for (Value v : terminator->getOperands())
    operands.push_back(forwardValue(v));
  llvm::append_range(operands, extraYields);
  if (auto condition = dyn_cast<scf::ConditionOp>(terminator)) {
    scf::ConditionOp::create(b, terminator->getLoc(), operands.front(),
                             ArrayRef(operands).drop_front());
    return success();
  }
  scf::YieldOp::create(b, terminator->getLoc(), operands);
  return success();
}

LogicalResult ReverseEmitter::forwardFor(scf::ForOp op, OpBuilder &b) {
  SmallVector<Value> inits;
  for (Value init : op.getInitArgs())
    inits.push_back(forwardValue(init));
  auto newFor = scf::ForOp::create(
      b, op.getLoc(), forwardValue(op.getLowerBound()),
      forwardValue(op.getUpperBound()), forwardValue(op.getStep()), inits);
  Block *body = newFor.getBody();
  if (!body->empty() && body->back().hasTrait<OpTrait::IsTerminator>())
    body->back().erase();
  if (failed(forwardRegion(op.getRegion(), body)))
    return failure();
  for (auto [result, newResult] :
       llvm::zip(op.getResults(), newFor.getResults()))
    mapForward(result, newResult);
  return success();
}

LogicalResult ReverseEmitter::forwardWhile(scf::WhileOp op, OpBuilder &b) {
  // The same loop, counting its iterations in an extra loop-carried index;
  // the reverse sweep runs that many times.
  Location loc = op.getLoc();
  Type index = b.getIndexType();
  SmallVector<Value> inits;
  for (Value init : op.getInits())
    inits.push_back(forwardValue(init));
  inits.push_back(indexConstant(b, loc, index, 0));
  SmallVector<Type> resultTypes(op.getResultTypes());
  resultTypes.push_back(index);
  auto newWhile = scf::WhileOp::create(b, loc, resultTypes, inits);

  auto makeBlock = [&](Region &region, TypeRange types) {
    SmallVector<Type> all(types);
    all.push_back(index);
    SmallVector<Location> locs(all.size(), loc);
    OpBuilder::InsertionGuard guard(b);
    return b.createBlock(&region, {}, all, locs);
  };
  Block *before = makeBlock(newWhile.getBefore(),
                            ValueRange(op.getBeforeArguments()).getTypes());
  if (failed(forwardRegion(op.getBefore(), before, before->getArguments().back())))
    return failure();
  Block *after =
      makeBlock(newWhile.getAfter(), ValueRange(op.getAfterArguments()).getTypes());
  Value count = after->getArguments().back();
  Value next;
  {
    OpBuilder ab = OpBuilder::atBlockEnd(after);
    next = arith::AddIOp::create(ab, loc, count,
                                 indexConstant(ab, loc, index, 1));
  }
  if (failed(forwardRegion(op.getAfter(), after, next)))
    return failure();
  for (auto [result, newResult] :
       llvm::zip(op.getResults(), newWhile.getResults()))
    mapForward(result, newResult);
  whileCounts[op] = newWhile.getResults().back();
  return success();
}

LogicalResult ReverseEmitter::forwardBranches(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  Operation *newOp;
  if (auto ifOp = dyn_cast<scf::IfOp>(op))
    newOp = scf::IfOp::create(b, loc, op->getResultTypes(),
                              forwardValue(ifOp.getCondition()),
                              /*addThenBlock=*/false, /*addElseBlock=*/false);
  else if (auto switchOp = dyn_cast<scf::IndexSwitchOp>(op))
    newOp = scf::IndexSwitchOp::create(b, loc, op->getResultTypes(),
                                       forwardValue(switchOp.getArg()),
                                       switchOp.getCases(),
                                       switchOp.getCaseRegions().size());
  else
    newOp = scf::ExecuteRegionOp::create(b, loc, op->getResultTypes());
  for (auto [region, newRegion] :
       llvm::zip(op->getRegions(), newOp->getRegions())) {
    if (region.empty())
      continue;
    if (!region.hasOneBlock())
      return reportNotDifferentiable(op, "a region has more than one block");
    Block *block = &newRegion.emplaceBlock();
    if (failed(forwardRegion(region, block)))
      return failure();
  }
  for (auto [result, newResult] :
       llvm::zip(op->getResults(), newOp->getResults()))
    mapForward(result, newResult);
  return success();
}

FailureOr<ReversePair> ReverseEmitter::callDerivatives(func::CallOp op) {
  FailureOr<func::FuncOp> callee = builder.resolveCallee(op);
  if (failed(callee))
    return failure();
  SmallVector<bool> activeArgs, activeResults;
  for (Value operand : op.getOperands())
    activeArgs.push_back(activity.isActive(operand) ||
                         isa<TapeType>(operand.getType()));
  for (Value result : op.getResults())
    activeResults.push_back(activity.isActive(result));
  return builder.reverse(*callee, activeArgs, activeResults, op.getLoc());
}

FailureOr<ReversePair> ReverseEmitter::transposedJvp(func::CallOp op,
                                                     func::FuncOp jvp) {
  // The rule's tangent outputs are linear in its tangent inputs: the reverse
  // mode of the rule with respect to them, at zero tangents, is the
  // transpose of the JVP, which is the call's VJP.
  SmallVector<bool> activeArgs(op.getNumOperands(), false);
  SmallVector<bool> activeResults(op.getNumResults(), false);
  for (Value operand : op.getOperands())
    if (isDifferentiableType(operand.getType()))
      activeArgs.push_back(activity.isActive(operand));
  for (Value result : op.getResults())
    if (isDifferentiableType(result.getType()))
      activeResults.push_back(activity.isActive(result));
  return builder.reverse(jvp, activeArgs, activeResults, op.getLoc());
}

LogicalResult ReverseEmitter::forwardCall(func::CallOp op, OpBuilder &b) {
  FailureOr<func::FuncOp> callee = builder.resolveCallee(op);
  if (failed(callee))
    return failure();
  CustomRules custom = CustomRules::of(*callee);
  if (custom.missing)
    return reportNotDifferentiable(op, custom.missing.getValue());
  Location loc = op.getLoc();
  SmallVector<Value> operands;
  for (Value operand : op.getOperands())
    operands.push_back(forwardValue(operand));
  auto mapResults = [&](func::CallOp call) {
    for (auto [result, newResult] :
         llvm::zip(op.getResults(), call.getResults()))
      mapForward(result, newResult);
  };
  if (custom.vjpForward) {
    auto call = func::CallOp::create(b, loc, custom.vjpForward, operands);
    mapResults(call);
    residuals[op] = SmallVector<Value>(
        call.getResults().drop_front(op.getNumResults()));
    return success();
  }
  if (custom.jvp) {
    FailureOr<ReversePair> pair = transposedJvp(op, custom.jvp);
    if (failed(pair))
      return failure();
    for (Value operand : op.getOperands())
      if (isDifferentiableType(operand.getType()))
        operands.push_back(arith::ConstantOp::create(
            b, loc, cast<TypedAttr>(b.getZeroAttr(operand.getType()))));
    operands.push_back(forwardTape);
    mapResults(func::CallOp::create(b, loc, pair->augmented, operands));
    return success();
  }
  if (custom.checkpoint) {
    // Only the arguments are recorded (as the reverse sweep reads them).
    mapResults(func::CallOp::create(b, loc, *callee, operands));
    return success();
  }
  FailureOr<ReversePair> pair = callDerivatives(op);
  if (failed(pair))
    return failure();
  operands.push_back(forwardTape);
  auto call = func::CallOp::create(b, op.getLoc(), pair->augmented, operands);
  for (auto [result, newResult] : llvm::zip(op.getResults(), call.getResults()))
    mapForward(result, newResult);
  return success();
}

//===----------------------------------------------------------------------===//
// Caching
//===----------------------------------------------------------------------===//

/// Pure scalar ops cheap enough to rebuild in the reverse sweep instead of
/// caching their results (on arrays they are whole loops: cache those).
static bool isCheap(Operation *op) {
  // An array filled with one value (a reduction's init) is cheaper to fill
  // again than to copy onto the tape.
  if (isa<tensor::EmptyOp, linalg::FillOp>(op))
    return true;
  if (llvm::any_of(op->getResultTypes(),
                   [](Type t) { return isa<ShapedType>(t); }))
    return false;
  return isa<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::NegFOp,
             arith::SelectOp, arith::MaximumFOp, arith::MinimumFOp,
             arith::MaxNumFOp, arith::MinNumFOp, arith::ExtFOp,
             arith::TruncFOp, arith::SIToFPOp, arith::UIToFPOp,
             arith::IndexCastOp, arith::AddIOp, arith::SubIOp, arith::MulIOp,
             arith::MaxSIOp, arith::MinSIOp, arith::MaxUIOp, arith::MinUIOp,
             arith::ExtSIOp, arith::ExtUIOp, arith::TruncIOp, arith::CmpFOp,
             arith::CmpIOp, arith::MulSIExtendedOp, arith::AndIOp,
             arith::OrIOp, arith::XOrIOp, arith::ShLIOp, arith::ShRSIOp>(op);
}

/// Most ops one rebuild may add; past that, caching is the better trade.
static constexpr unsigned kRebuildBudget = 12;

bool ReverseEmitter::isRebuildable(Operation *op) {
  if (isCheap(op))
    return true;
  // Reads of argument tensors, and of argument buffers no op writes to (with
  // the views and dims they read through): the reverse function has the
  // argument, so reading an element again costs less than a trip through the
  // tape, and nothing of these reads is recorded.
  if (isBufferView(op) || isa<memref::LoadOp, memref::DimOp>(op))
    return activity.isReadOnlyArgument(op->getOperand(0));
  if (isa<tensor::ExtractOp, tensor::DimOp, tensor::ExtractSliceOp>(op)) {
    Value source = op->getOperand(0);
    Operation *def = source.getDefiningOp();
    return reverseArgs.count(source) ||
           (def && isa<tensor::ExtractSliceOp>(def) && isRebuildable(def));
  }
  return false;
}

unsigned ReverseEmitter::rebuildCost(Value value, unsigned budget) {
  Operation *def = value.getDefiningOp();
  if (inductionVars.count(value) || !def ||
      def->hasTrait<OpTrait::ConstantLike>() || !isRebuildable(def))
    return 0;
  Block *reversed = reversedBlocks.lookup(value.getParentBlock());
  if (!reversed)
    return budget + 1;
  if (rebuilt[reversed].count(value) ||
      pops[reversed].count(forwardValue(value)))
    return 0;
  unsigned cost = 1;
  for (Value operand : def->getOperands()) {
    if (cost > budget)
      break;
    cost += rebuildCost(operand, budget - cost);
  }
  return cost;
}

Value ReverseEmitter::rebuild(Value value) {
  Operation *def = value.getDefiningOp();
  Block *reversed = reversedBlocks.lookup(value.getParentBlock());
  IRMapping operands;
  SmallVector<Operation *> constants;
  for (Value operand : def->getOperands()) {
    Operation *operandDef = operand.getDefiningOp();
    if (operandDef && operandDef->hasTrait<OpTrait::ConstantLike>() &&
        !inductionVars.count(operand))
      constants.push_back(operandDef);
    else
      operands.map(operand, available(operand));
  }
  Operation *after = lastRebuilt.lookup(reversed);
  OpBuilder b = after ? OpBuilder(after->getBlock(), ++Block::iterator(after))
                      : OpBuilder::atBlockBegin(reversed);
  for (Operation *constant : constants)
    b.clone(*constant, operands);
  Operation *clone = b.clone(*def, operands);
  lastRebuilt[reversed] = clone;
  for (auto [result, newResult] :
       llvm::zip(def->getResults(), clone->getResults()))
    rebuilt[reversed][result] = newResult;
  return clone->getResult(cast<OpResult>(value).getResultNumber());
}

Value ReverseEmitter::primal(Value value, OpBuilder &b) {
  Operation *def = value.getDefiningOp();
  if (def && def->hasTrait<OpTrait::ConstantLike>())
    return b.clone(*def)->getResult(cast<OpResult>(value).getResultNumber());
  return available(value);
}

Value ReverseEmitter::available(Value value) {
  if (Value iv = inductionVars.lookup(value))
    return iv;
  if (Value arg = reverseArgs.lookup(value))
    return arg;
  if (Block *reversed = reversedBlocks.lookup(value.getParentBlock())) {
    if (Value v = rebuilt[reversed].lookup(value))
      return v;
    if (Value v = pops[reversed].lookup(forwardValue(value)))
      return v;
  }
  Operation *def = value.getDefiningOp();
  if (def && isRebuildable(def) &&
      rebuildCost(value, kRebuildBudget) <= kRebuildBudget)
    return rebuild(value);
  return cached(forwardValue(value), value.getParentBlock());
}

Value ReverseEmitter::cached(Value value, Block *block) {
  Block *reversed = reversedBlocks.lookup(block);
  assert(reversed && "a primal value is needed outside its reversed scope");
  DenseMap<Value, Value> &popped = pops[reversed];
  if (Value v = popped.lookup(value))
    return v;
  OpBuilder popBuilder = OpBuilder::atBlockBegin(reversed);
  if (!isTapeElementType(value.getType())) {
    error = true;
    reportNotDifferentiable(reversing, "its reverse needs a value of type ")
        << value.getType() << ", which cannot be stored on a tape yet";
    return ub::PoisonOp::create(popBuilder, value.getLoc(), value.getType());
  }
  SmallVector<Value> &pushed = pushes[block];
  if (!llvm::is_contained(pushed, value)) {
    pushed.push_back(value);
    OpBuilder pushBuilder(forwardBlocks.lookup(block)->getTerminator());
    TapePushOp::create(pushBuilder, value.getLoc(), forwardTape, value);
  }
  Value v = TapePopOp::create(popBuilder, value.getLoc(), value.getType(),
                              reverseTape);
  popped[value] = v;
  return v;
}

void ReverseEmitter::finalize() {
  for (auto [block, reversed] : allReversed) {
    DenseMap<Value, Value> &popped = pops[reversed];
    for (Value value : pushes[block]) {
      Value v = popped.lookup(value);
      if (!v) {
        OpBuilder b = OpBuilder::atBlockBegin(reversed);
        v = TapePopOp::create(b, value.getLoc(), value.getType(), reverseTape);
        popped[value] = v;
      }
      v.getDefiningOp()->moveBefore(&reversed->front());
    }
  }
}

//===----------------------------------------------------------------------===//
// Reverse sweep
//===----------------------------------------------------------------------===//

void ReverseEmitter::accumulate(Value of, Value contribution, OpBuilder &b) {
  // Inactive values have no adjoint; recording one would also let a value
  // built inside a region escape it through this map.
  if (!contribution || !activity.isActive(of))
    return;
  auto [it, inserted] = adjoints.try_emplace(of, contribution);
  if (!inserted)
    it->second =
        arith::AddFOp::create(b, of.getLoc(), it->second, contribution);
}

Value ReverseEmitter::adjointOrZero(Value of, OpBuilder &b) {
  if (Value adjoint = adjoints.lookup(of))
    return adjoint;
  return arith::ConstantOp::create(
      b, of.getLoc(), cast<TypedAttr>(b.getZeroAttr(of.getType())));
}

SmallVector<Value> ReverseEmitter::freeActiveValues(Operation *op) {
  llvm::SetVector<Value> values;
  op->walk([&](Operation *inner) {
    if (inner == op)
      return;
    for (Value v : inner->getOperands())
      if (activity.isActive(v) &&
          !op->isAncestor(v.getParentBlock()->getParentOp()))
        values.insert(v);
  });
  return values.takeVector();
}

LogicalResult ReverseEmitter::emitReverseBlock(Block &block, OpBuilder &b) {
  createShadows(block, b);
  for (Operation &op : llvm::reverse(block.without_terminator()))
    if (activity.needsDerivative(&op) && failed(reverseOp(&op, b)))
      return failure();
  return success();
}

void ReverseEmitter::createShadows(Block &block, OpBuilder &b) {
  for (Operation &op : block.without_terminator()) {
    if (auto init = dyn_cast<TapeInitOp>(op)) {
      shadows[init.getResult()] =
          TapeInitOp::create(b, op.getLoc(), init.getType(), Value());
      continue;
    }
    bool alloc = isa<memref::AllocOp, memref::AllocaOp>(op);
    if ((!alloc && !isBufferView(&op)) || !activity.isShadowed(op.getResult(0)))
      continue;
    IRMapping operands;
    for (Value operand : op.getOperands())
      operands.map(operand, shadows.count(operand) ? shadows.lookup(operand)
                                                   : primal(operand, b));
    Operation *shadow = b.clone(op, operands);
    shadows[op.getResult(0)] = shadow->getResult(0);
    if (!alloc)
      continue;
    // Adjoints accumulate into a local buffer's shadow from zero.
    fillWithZeros(b, op.getLoc(), shadow->getResult(0));
  }
}

LogicalResult ReverseEmitter::reverseBufferOp(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  auto indices = [&](ValueRange primalIndices) {
    SmallVector<Value> values;
    for (Value index : primalIndices)
      values.push_back(primal(index, b));
    return values;
  };
  if (auto load = dyn_cast<memref::LoadOp>(op)) {
    // shadow[i] += adjoint of the loaded value.
    Value adjoint = adjoints.lookup(load.getResult());
    if (!adjoint)
      return success();
    Value shadow = shadows.lookup(load.getMemRef());
    SmallVector<Value> at = indices(load.getIndices());
    Value old = memref::LoadOp::create(b, loc, shadow, at);
    memref::StoreOp::create(b, loc, arith::AddFOp::create(b, loc, old, adjoint),
                            shadow, at);
    return success();
  }
  if (auto store = dyn_cast<memref::StoreOp>(op)) {
    // The stored value takes the adjoint of the element it wrote, which the
    // store overwrote: earlier values of that element get none of it.
    Value shadow = shadows.lookup(store.getMemRef());
    SmallVector<Value> at = indices(store.getIndices());
    if (activity.isActive(store.getValue()))
      accumulate(store.getValue(), memref::LoadOp::create(b, loc, shadow, at),
                 b);
    Value zero = arith::ConstantOp::create(
        b, loc, cast<TypedAttr>(b.getZeroAttr(store.getValue().getType())));
    memref::StoreOp::create(b, loc, zero, shadow, at);
    return success();
  }
  if (auto copy = dyn_cast<memref::CopyOp>(op)) {
    // The source takes the adjoint of what the copy overwrote.
    Value target = shadows.lookup(copy.getTarget());
    if (Value source = shadows.lookup(copy.getSource()))
      linalg::AddOp::create(b, loc, ValueRange{target, source},
                            ValueRange{source});
    fillWithZeros(b, loc, target);
    return success();
  }
  if (auto alloc = dyn_cast<memref::AllocOp>(op))
    memref::DeallocOp::create(b, loc, shadows.lookup(alloc.getResult()));
  return success();
}

LogicalResult ReverseEmitter::reverseTapeOp(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  if (isa<TapeFreeOp>(op))
    return success();
  if (auto init = dyn_cast<TapeInitOp>(op)) {
    TapeFreeOp::create(b, loc, shadows.lookup(init.getResult()));
    return success();
  }
  Value shadow = shadows.lookup(op->getOperand(0));
  if (!shadow)
    return reportNotDifferentiable(op, "its tape has no shadow tape");
  if (isa<TapeRewindOp>(op))
    return reportNotDifferentiable(
        op, "it reads a tape a second time (a pullback called more than "
            "once), which reverse mode cannot differentiate; call dp.vjp "
            "again for each cotangent, or differentiate in forward mode");
  if (auto pop = dyn_cast<TapePopOp>(op)) {
    if (hasShadowOnTape(pop.getType()))
      TapePushOp::create(b, loc, shadow, adjointOrZero(pop.getResult(), b));
    return success();
  }
  auto push = cast<TapePushOp>(op);
  Value value = push.getValue();
  if (!hasShadowOnTape(value.getType()))
    return success();
  Value adjoint = TapePopOp::create(b, loc, value.getType(), shadow);
  if (activity.isActive(value))
    accumulate(value, adjoint, b);
  return success();
}

LogicalResult ReverseEmitter::reverseOp(Operation *op, OpBuilder &b) {
  llvm::SaveAndRestore<Operation *> current(reversing, op);
  if (auto forOp = dyn_cast<scf::ForOp>(op))
    return reverseFor(forOp, b);
  if (auto whileOp = dyn_cast<scf::WhileOp>(op))
    return reverseWhile(whileOp, b);
  if (isa<scf::IfOp, scf::IndexSwitchOp, scf::ExecuteRegionOp>(op))
    return reverseBranches(op, b);
  if (auto call = dyn_cast<func::CallOp>(op))
    return reverseCall(call, b);
  if (isBufferOp(op))
    return reverseBufferOp(op, b);
  if (isTapeOp(op))
    return reverseTapeOp(op, b);

  SmallVector<Value> resultAdjoints;
  for (Value result : op->getResults())
    resultAdjoints.push_back(adjoints.lookup(result));
  if (llvm::all_of(resultAdjoints, [](Value v) { return !v; }))
    return success();
  SmallVector<bool> activeOperands;
  for (Value operand : op->getOperands())
    activeOperands.push_back(activity.isActive(operand));
  RuleBuilder rb(
      b, op, [&](Value v) { return primal(v, b); }, activeOperands);
  rb.setAdjointUpdater([&](unsigned i, function_ref<Value(Value)> update) {
    Value operand = op->getOperand(i);
    if (activity.isActive(operand))
      adjoints[operand] = update(adjointOrZero(operand, b));
  });
  SmallVector<Value> operandAdjoints;
  builder.getRules().vjp(*builder.getRules().lookup(op), rb, resultAdjoints,
                         operandAdjoints);
  for (auto [operand, adjoint, active] :
       llvm::zip(op->getOperands(), operandAdjoints, activeOperands))
    if (active)
      accumulate(operand, adjoint, b);
  return success();
}

LogicalResult
ReverseEmitter::reverseRegion(Block &source, Region &region,
                              ArrayRef<std::pair<unsigned, Value>> seeds,
                              ArrayRef<Value> yieldValues, Location loc) {
  Block *reversed = &region.emplaceBlock();
  OpBuilder b = OpBuilder::atBlockEnd(reversed);
  clearAdjoints(source);
  Operation *terminator = source.getTerminator();
  unsigned offset = isa<scf::ConditionOp>(terminator) ? 1 : 0;
  for (auto [position, adjoint] : seeds)
    accumulate(terminator->getOperand(position + offset), adjoint, b);
  enterBlock(&source, reversed);
  if (failed(emitReverseBlock(source, b)))
    return failure();
  SmallVector<Value> results;
  for (Value v : yieldValues)
    results.push_back(adjointOrZero(v, b));
  scf::YieldOp::create(b, loc, results);
  return success();
}

LogicalResult ReverseEmitter::reverseFor(scf::ForOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  Value lower = primal(op.getLowerBound(), b);
  Value upper = primal(op.getUpperBound(), b);
  Value step = primal(op.getStep(), b);
  Type ivType = lower.getType();
  Value zero = indexConstant(b, loc, ivType, 0);
  Value one = indexConstant(b, loc, ivType, 1);
  Value span = arith::SubIOp::create(b, loc, upper, lower);
  Value trips = arith::MaxSIOp::create(
      b, loc, arith::CeilDivSIOp::create(b, loc, span, step), zero);

  SmallVector<unsigned> positions;
  for (unsigned i = 0, e = op.getNumResults(); i < e; ++i)
    if (activity.isActive(op.getResult(i)) ||
        activity.isActive(op.getRegionIterArgs()[i]))
      positions.push_back(i);
  SmallVector<Value> free = freeActiveValues(op);
  SmallVector<Value> inits;
  for (unsigned i : positions)
    inits.push_back(adjointOrZero(op.getResult(i), b));
  for (Value v : free)
    inits.push_back(adjointOrZero(v, b));

  auto reversed = scf::ForOp::create(b, loc, zero, trips, one, inits);
  Block *body = reversed.getBody();
  if (!body->empty() && body->back().hasTrait<OpTrait::IsTerminator>())
    body->back().erase();
  OpBuilder bb = OpBuilder::atBlockEnd(body);
  // Iteration k of the reverse loop mirrors iteration trips - 1 - k.
  Value mirrored = arith::SubIOp::create(
      bb, loc, arith::SubIOp::create(bb, loc, trips, one),
      reversed.getInductionVar());
  auto iv = arith::AddIOp::create(
      bb, loc, lower, arith::MulIOp::create(bb, loc, mirrored, step));
  inductionVars[op.getInductionVar()] = iv;
  lastRebuilt[body] = iv;

  Block &source = *op.getBody();
  clearAdjoints(source);
  unsigned numCarried = positions.size();
  for (auto [k, v] : llvm::enumerate(free))
    adjoints[v] = body->getArgument(1 + numCarried + k);
  Operation *yield = source.getTerminator();
  for (auto [k, i] : llvm::enumerate(positions))
    accumulate(yield->getOperand(i), body->getArgument(1 + k), bb);
  enterBlock(&source, body);
  if (failed(emitReverseBlock(source, bb)))
    return failure();
  SmallVector<Value> results;
  for (unsigned i : positions)
    results.push_back(adjointOrZero(op.getRegionIterArgs()[i], bb));
  for (Value v : free)
    results.push_back(adjointOrZero(v, bb));
  scf::YieldOp::create(bb, loc, results);

  for (auto [k, v] : llvm::enumerate(free))
    adjoints[v] = reversed.getResult(numCarried + k);
  for (auto [k, i] : llvm::enumerate(positions)) {
    Value init = op.getInitArgs()[i];
    if (activity.isActive(init))
      accumulate(init, reversed.getResult(k), b);
  }
  return success();
}

LogicalResult ReverseEmitter::reverseWhile(scf::WhileOp op, OpBuilder &b) {
  // Forward: before_0, after_0, ..., after_{n-1}, before_n. Reverse: the last
  // before once, then n times (after, before) backwards.
  Location loc = op.getLoc();
  Value trips = cached(whileCounts.lookup(op), op->getBlock());
  Block &before = op.getBefore().front();
  Block &after = op.getAfter().front();
  SmallVector<unsigned> beforeActive = activePositions(op.getBeforeArguments());
  SmallVector<unsigned> afterActive;
  for (unsigned j = 0, e = op.getNumResults(); j < e; ++j)
    if (activity.isActive(op.getResult(j)) ||
        activity.isActive(op.getAfterArguments()[j]))
      afterActive.push_back(j);
  SmallVector<Value> free = freeActiveValues(op);

  // Adjoints a reversed `before` yields: its active arguments', then the
  // free values'.
  SmallVector<Value> beforeYields;
  for (unsigned i : beforeActive)
    beforeYields.push_back(op.getBeforeArguments()[i]);
  llvm::append_range(beforeYields, free);
  SmallVector<Type> beforeYieldTypes;
  for (Value v : beforeYields)
    beforeYieldTypes.push_back(v.getType());

  SmallVector<std::pair<unsigned, Value>> seeds;
  for (unsigned j : afterActive)
    if (Value adjoint = adjoints.lookup(op.getResult(j)))
      seeds.push_back({j, adjoint});
  auto last = scf::ExecuteRegionOp::create(b, loc, beforeYieldTypes);
  if (failed(reverseRegion(before, last.getRegion(), seeds, beforeYields,
                           loc)))
    return failure();

  Type index = b.getIndexType();
  auto loop = scf::ForOp::create(b, loc, indexConstant(b, loc, index, 0),
                                 trips, indexConstant(b, loc, index, 1),
                                 last.getResults());
  Block *body = loop.getBody();
  if (!body->empty() && body->back().hasTrait<OpTrait::IsTerminator>())
    body->back().erase();
  OpBuilder bb = OpBuilder::atBlockEnd(body);
  clearAdjoints(after);
  unsigned numBefore = beforeActive.size();
  for (auto [k, v] : llvm::enumerate(free))
    adjoints[v] = body->getArgument(1 + numBefore + k);
  auto yield = cast<scf::YieldOp>(after.getTerminator());
  for (auto [k, i] : llvm::enumerate(beforeActive))
    accumulate(yield.getOperand(i), body->getArgument(1 + k), bb);
  enterBlock(&after, body);
  if (failed(emitReverseBlock(after, bb)))
    return failure();
  SmallVector<std::pair<unsigned, Value>> innerSeeds;
  for (unsigned j : afterActive)
    if (Value adjoint = adjoints.lookup(op.getAfterArguments()[j]))
      innerSeeds.push_back({j, adjoint});
  auto inner = scf::ExecuteRegionOp::create(bb, loc, beforeYieldTypes);
  if (failed(reverseRegion(before, inner.getRegion(), innerSeeds,
                           beforeYields, loc)))
    return failure();
  scf::YieldOp::create(bb, loc, inner.getResults());

  for (auto [k, v] : llvm::enumerate(free))
    adjoints[v] = loop.getResult(numBefore + k);
  for (auto [k, i] : llvm::enumerate(beforeActive)) {
    Value init = op.getInits()[i];
    if (activity.isActive(init))
      accumulate(init, loop.getResult(k), b);
  }
  return success();
}

LogicalResult ReverseEmitter::reverseBranches(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  SmallVector<Value> free = freeActiveValues(op);
  SmallVector<Type> types;
  SmallVector<Value> outer;
  for (Value v : free) {
    types.push_back(v.getType());
    outer.push_back(adjointOrZero(v, b));
  }
  SmallVector<std::pair<unsigned, Value>> seeds;
  for (auto [i, result] : llvm::enumerate(op->getResults()))
    if (Value adjoint = adjoints.lookup(result))
      seeds.push_back({unsigned(i), adjoint});

  Operation *newOp;
  if (auto ifOp = dyn_cast<scf::IfOp>(op))
    newOp = scf::IfOp::create(b, loc, types, primal(ifOp.getCondition(), b),
                              /*addThenBlock=*/false, /*addElseBlock=*/false);
  else if (auto switchOp = dyn_cast<scf::IndexSwitchOp>(op))
    newOp = scf::IndexSwitchOp::create(b, loc, types,
                                       primal(switchOp.getArg(), b),
                                       switchOp.getCases(),
                                       switchOp.getCaseRegions().size());
  else
    newOp = scf::ExecuteRegionOp::create(b, loc, types);

  for (auto [region, newRegion] :
       llvm::zip(op->getRegions(), newOp->getRegions())) {
    for (auto [v, adjoint] : llvm::zip(free, outer))
      adjoints[v] = adjoint;
    if (region.empty()) {
      // An scf.if without else: nothing happens, the adjoints pass through.
      OpBuilder eb = OpBuilder::atBlockEnd(&newRegion.emplaceBlock());
      scf::YieldOp::create(eb, loc, outer);
      continue;
    }
    if (failed(reverseRegion(region.front(), newRegion, seeds, free, loc)))
      return failure();
  }
  for (auto [k, v] : llvm::enumerate(free))
    adjoints[v] = newOp->getResult(k);
  return success();
}

LogicalResult ReverseEmitter::reverseCustomVjp(func::CallOp op,
                                               func::FuncOp bwd,
                                               OpBuilder &b) {
  SmallVector<Value> operands;
  for (Value residual : residuals.lookup(op))
    operands.push_back(cached(residual, op->getBlock()));
  for (Value result : op.getResults())
    if (isDifferentiableType(result.getType()))
      operands.push_back(adjointOrZero(result, b));
  auto call = func::CallOp::create(b, op.getLoc(), bwd, operands);
  unsigned next = 0;
  for (Value operand : op.getOperands()) {
    if (!isDifferentiableType(operand.getType()))
      continue;
    Value grad = call.getResult(next++);
    if (activity.isActive(operand))
      accumulate(operand, grad, b);
  }
  return success();
}

LogicalResult ReverseEmitter::reverseCustomJvp(func::CallOp op,
                                               func::FuncOp jvp,
                                               OpBuilder &b) {
  FailureOr<ReversePair> pair = transposedJvp(op, jvp);
  if (failed(pair))
    return failure();
  Location loc = op.getLoc();
  SmallVector<Value> operands{reverseTape};
  for (Value operand : op.getOperands())
    if (isArrayType(operand.getType()))
      operands.push_back(available(operand));
  for (Value operand : op.getOperands())
    if (isDifferentiableType(operand.getType()) &&
        isArrayType(operand.getType()))
      operands.push_back(arith::ConstantOp::create(
          b, loc, cast<TypedAttr>(b.getZeroAttr(operand.getType()))));
  for (Value result : op.getResults())
    if (isDifferentiableType(result.getType()) && activity.isActive(result))
      operands.push_back(adjointOrZero(result, b));
  auto call = func::CallOp::create(b, loc, pair->reverse, operands);
  unsigned next = 0;
  for (Value operand : op.getOperands())
    if (isDifferentiableType(operand.getType()) && activity.isActive(operand))
      accumulate(operand, call.getResult(next++), b);
  return success();
}

LogicalResult ReverseEmitter::reverseCheckpoint(func::CallOp op,
                                                OpBuilder &b) {
  // Runs the callee again, taped on a tape of its own, then its reverse.
  Location loc = op.getLoc();
  SmallVector<Value> args;
  for (Value operand : op.getOperands()) {
    if (isa<MemRefType, TapeType>(operand.getType()))
      return reportNotDifferentiable(
          op, "a checkpointed call takes scalars and tensors only");
    args.push_back(primal(operand, b));
  }
  FailureOr<ReversePair> pair = callDerivatives(op);
  if (failed(pair))
    return failure();
  Value tape = TapeInitOp::create(b, loc, builder.getTapeType(), Value());
  SmallVector<Value> augArgs(args);
  augArgs.push_back(tape);
  func::CallOp::create(b, loc, pair->augmented, augArgs);
  SmallVector<Value> operands{tape};
  for (Value arg : args)
    if (isArrayType(arg.getType()))
      operands.push_back(arg);
  for (Value result : op.getResults())
    if (activity.isActive(result))
      operands.push_back(adjointOrZero(result, b));
  auto call = func::CallOp::create(b, loc, pair->reverse, operands);
  TapeFreeOp::create(b, loc, tape);
  unsigned next = 0;
  for (Value operand : op.getOperands())
    if (activity.isActive(operand))
      accumulate(operand, call.getResult(next++), b);
  return success();
}

LogicalResult ReverseEmitter::reverseCall(func::CallOp op, OpBuilder &b) {
  FailureOr<func::FuncOp> callee = builder.resolveCallee(op);
  if (failed(callee))
    return failure();
  CustomRules custom = CustomRules::of(*callee);
  if (custom.vjpBackward)
    return reverseCustomVjp(op, custom.vjpBackward, b);
  if (custom.jvp)
    return reverseCustomJvp(op, custom.jvp, b);
  if (custom.checkpoint)
    return reverseCheckpoint(op, b);
  FailureOr<ReversePair> pair = callDerivatives(op);
  if (failed(pair))
    return failure();
  SmallVector<Value> operands{reverseTape};
  // The callee's reverse reads its array arguments again. A tensor is a
  // value, but a buffer must hold what it held at the call: an argument of
  // this function that nothing here writes to.
  for (Value operand : op.getOperands()) {
    if (isa<TapeType>(operand.getType())) {
      Value shadow = shadows.lookup(operand);
      if (!shadow)
        return reportNotDifferentiable(op, "a tape it passes has no shadow "
                                           "tape");
      operands.push_back(shadow);
      continue;
    }
    if (!isArrayType(operand.getType()))
      continue;
    if (isa<MemRefType>(operand.getType()) &&
        !activity.isReadOnlyArgument(operand))
      return reportNotDifferentiable(
          op, "it passes a buffer that is not a read-only argument of the "
              "caller to a function being differentiated");
    operands.push_back(available(operand));
  }
  for (Value result : op.getResults())
    if (activity.isActive(result))
      operands.push_back(adjointOrZero(result, b));
  auto call = func::CallOp::create(b, op.getLoc(), pair->reverse, operands);
  unsigned next = 0;
  for (Value operand : op.getOperands())
    if (activity.isActive(operand))
      accumulate(operand, call.getResult(next++), b);
  return success();
}

LogicalResult mlir::dp::autodiff::buildReverse(DerivativeBuilder &builder,
                                               func::FuncOp source,
                                               ReversePair pair,
                                               ArrayRef<bool> activeArgs,
                                               ArrayRef<bool> activeResults) {
  ActivityAnalysis activity(source, activeArgs, activeResults,
                            builder.getRules());
  Block &body = source.getBody().front();
  auto ret = cast<func::ReturnOp>(body.getTerminator());

  Block *augEntry = pair.augmented.addEntryBlock();
  Block *revEntry = pair.reverse.addEntryBlock();
  ReverseEmitter emitter(builder, activity, augEntry->getArguments().back(),
                         revEntry->getArgument(0));

  for (auto [arg, newArg] :
       llvm::zip(source.getArguments(), augEntry->getArguments()))
    emitter.mapForward(arg, newArg);
  emitter.setForwardBlock(&body, augEntry);
  OpBuilder fb = OpBuilder::atBlockEnd(augEntry);
  if (failed(emitter.emitForwardBlock(body, fb)) ||
      failed(checkNothingLost(activity, ret)))
    return failure();
  SmallVector<Value> results;
  for (Value v : ret.getOperands())
    results.push_back(emitter.forwardValue(v));
  func::ReturnOp::create(fb, ret.getLoc(), results);

  OpBuilder rb = OpBuilder::atBlockEnd(revEntry);
  emitter.enterBlock(&body, revEntry);
  unsigned next = 1;
  for (auto [arg, active] : llvm::zip(source.getArguments(), activeArgs)) {
    if (isa<TapeType>(arg.getType()) && active) {
      emitter.mapTapeArgument(arg, revEntry->getArgument(next++));
      continue;
    }
    if (!isArrayType(arg.getType()))
      continue;
    Value reverseArg = revEntry->getArgument(next++);
    bool buffer = isa<MemRefType>(arg.getType());
    Value shadow = active && buffer ? revEntry->getArgument(next++) : Value();
    emitter.mapArrayArgument(arg, reverseArg, shadow);
  }
  for (auto [value, active] : llvm::zip(ret.getOperands(), activeResults)) {
    if (!active)
      continue;
    Value cotangent = revEntry->getArgument(next++);
    if (activity.isActive(value))
      emitter.accumulate(value, cotangent, rb);
  }
  if (failed(emitter.emitReverseBlock(body, rb)))
    return failure();
  SmallVector<Value> grads;
  for (auto [arg, active] : llvm::zip(source.getArguments(), activeArgs))
    if (active && !isa<MemRefType, TapeType>(arg.getType()))
      grads.push_back(emitter.adjointOrZero(arg, rb));
  func::ReturnOp::create(rb, ret.getLoc(), grads);
  emitter.finalize();
  return failure(emitter.hadError());
}
