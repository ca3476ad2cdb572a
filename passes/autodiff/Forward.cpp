//===- Forward.cpp - forward-mode differentiation --------------------------===//
//
// Copies the primal body op by op and, next to each active op, builds the
// tangent of its results with the op's rule. Structured control flow carries
// tangents as extra loop-carried values and region results; calls use the
// tangent function of the callee.
//
// Tapes (in code that holds derivative code) have a tangent tape: each float
// pushed onto a tape has its tangent pushed onto the tangent tape, each
// float popped has its tangent popped, and the tangent tape is created,
// rewound and freed with its tape, so the two stay in step. A call passing a
// tape passes its tangent tape too.
//
// A call of a function with a custom JVP rule (dp.custom_jvp) calls the
// rule; one with only a custom VJP rule cannot be differentiated forward.
//
//===----------------------------------------------------------------------===//

#include "passes/autodiff/Activity.h"
#include "passes/autodiff/Derivatives.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace mlir::dp;
using namespace mlir::dp::autodiff;

namespace {
class ForwardEmitter {
public:
  ForwardEmitter(DerivativeBuilder &builder, ActivityAnalysis &activity)
      : builder(builder), activity(activity) {}

  /// Emits the ops of `block` (without its terminator) at `b`.
  LogicalResult emitBlock(Block &block, OpBuilder &b);

  Value primal(Value value) { return mapping.lookupOrDefault(value); }
  Value tangent(Value value) { return tangents.lookup(value); }
  Value tangentOrZero(Value value, OpBuilder &b, Location loc);
  void map(Value from, Value to) { mapping.map(from, to); }
  void setTangent(Value of, Value tangent) {
    if (tangent)
      tangents[of] = tangent;
  }

private:
  LogicalResult emitOp(Operation *op, OpBuilder &b);
  LogicalResult emitFor(scf::ForOp op, OpBuilder &b);
  LogicalResult emitWhile(scf::WhileOp op, OpBuilder &b);
  LogicalResult emitBranches(Operation *op, OpBuilder &b);
  LogicalResult emitCall(func::CallOp op, OpBuilder &b);
  /// A call of a function with a custom JVP rule: a call of the rule.
  LogicalResult emitCustomJvp(func::CallOp op, func::FuncOp jvp, OpBuilder &b);
  /// A tape op, repeated on the tangent tape for floats.
  LogicalResult emitTapeOp(Operation *op, OpBuilder &b);
  /// A buffer op on a shadowed buffer: the same op on the shadow.
  LogicalResult emitBufferOp(Operation *op, OpBuilder &b);

  /// Positions that carry tangents: where `values` or, when given, the
  /// values `alsoFlowsTo` at the same position are active. A loop-carried
  /// value needs a tangent when its region argument or its result is active.
  SmallVector<unsigned> activePositions(ValueRange values,
                                        ValueRange alsoFlowsTo = {}) {
    SmallVector<unsigned> positions;
    for (auto [i, v] : llvm::enumerate(values))
      if (activity.isActive(v) ||
          (i < alsoFlowsTo.size() && activity.isActive(alsoFlowsTo[i])))
        positions.push_back(i);
    return positions;
  }
  /// Primal values of `values`, then tangents of those at `positions`.
  SmallVector<Value> withTangents(ValueRange values,
                                  ArrayRef<unsigned> positions, OpBuilder &b,
                                  Location loc) {
    SmallVector<Value> result;
    for (Value v : values)
      result.push_back(primal(v));
    for (unsigned i : positions)
      result.push_back(tangentOrZero(values[i], b, loc));
    return result;
  }
  /// Emits `region`'s block into `dest` (whose arguments are the source
  /// block's arguments, then tangents at `argPositions`) and terminates it
  /// with an scf.yield of the source yield's values plus tangents at
  /// `yieldPositions`.
  LogicalResult emitRegion(Region &region, Block *dest,
                           ArrayRef<unsigned> argPositions,
                           ArrayRef<unsigned> yieldPositions);

  DerivativeBuilder &builder;
  ActivityAnalysis &activity;
  IRMapping mapping;
  DenseMap<Value, Value> tangents;
};
} // namespace

Value ForwardEmitter::tangentOrZero(Value value, OpBuilder &b, Location loc) {
  if (Value t = tangent(value))
    return t;
  return arith::ConstantOp::create(
      b, loc, cast<TypedAttr>(b.getZeroAttr(value.getType())));
}

LogicalResult ForwardEmitter::emitBlock(Block &block, OpBuilder &b) {
  for (Operation &op : block.without_terminator())
    if (failed(emitOp(&op, b)))
      return failure();
  return success();
}

LogicalResult ForwardEmitter::emitOp(Operation *op, OpBuilder &b) {
  if (failed(checkNothingLost(activity, op)))
    return failure();
  if (!activity.needsDerivative(op) && !appliesCustomRule(activity, op)) {
    b.clone(*op, mapping);
    return success();
  }
  if (isBufferOp(op))
    return emitBufferOp(op, b);
  if (isTapeOp(op))
    return emitTapeOp(op, b);
  if (auto forOp = dyn_cast<scf::ForOp>(op))
    return emitFor(forOp, b);
  if (auto whileOp = dyn_cast<scf::WhileOp>(op))
    return emitWhile(whileOp, b);
  if (isa<scf::IfOp, scf::IndexSwitchOp, scf::ExecuteRegionOp>(op))
    return emitBranches(op, b);
  if (auto call = dyn_cast<func::CallOp>(op))
    return emitCall(call, b);

  const Rule *rule = builder.getRules().lookup(op);
  if (!rule)
    return reportNotDifferentiable(op, "no derivative rule");
  Operation *clone = b.clone(*op, mapping);
  SmallVector<Value> operandTangents;
  SmallVector<bool> activeOperands;
  for (Value operand : op->getOperands()) {
    operandTangents.push_back(tangent(operand));
    activeOperands.push_back(activity.isActive(operand));
  }
  RuleBuilder rb(
      b, clone, [](Value v) { return v; }, activeOperands);
  SmallVector<Value> resultTangents;
  builder.getRules().jvp(*rule, rb, operandTangents, resultTangents);
  for (auto [result, t] : llvm::zip(op->getResults(), resultTangents))
    if (activity.isActive(result))
      setTangent(result, t);
  return success();
}

LogicalResult ForwardEmitter::emitBufferOp(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  Operation *clone = b.clone(*op, mapping);
  if (auto load = dyn_cast<memref::LoadOp>(op)) {
    auto primalLoad = cast<memref::LoadOp>(clone);
    setTangent(load.getResult(),
               memref::LoadOp::create(b, loc, tangent(load.getMemRef()),
                                      primalLoad.getIndices()));
    return success();
  }
  if (auto store = dyn_cast<memref::StoreOp>(op)) {
    // A store of an inactive value zeroes the tangent it overwrites.
    auto primalStore = cast<memref::StoreOp>(clone);
    memref::StoreOp::create(b, loc,
                            tangentOrZero(store.getValue(), b, loc),
                            tangent(store.getMemRef()),
                            primalStore.getIndices());
    return success();
  }
  if (auto dealloc = dyn_cast<memref::DeallocOp>(op)) {
    memref::DeallocOp::create(b, loc, tangent(dealloc.getMemref()));
    return success();
  }
  if (auto copy = dyn_cast<memref::CopyOp>(op)) {
    // The target's tangent is the source's, or zero for a const source.
    Value target = tangent(copy.getTarget());
    if (Value source = tangent(copy.getSource())) {
      memref::CopyOp::create(b, loc, source, target);
      return success();
    }
    fillWithZeros(b, loc, target);
    return success();
  }
  // A view of the shadow, or a shadow allocated like the primal.
  Operation *shadow = b.clone(*clone);
  if (isBufferView(op))
    shadow->setOperand(0, tangent(op->getOperand(0)));
  setTangent(op->getResult(0), shadow->getResult(0));
  return success();
}

LogicalResult ForwardEmitter::emitTapeOp(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  Operation *clone = b.clone(*op, mapping);
  if (isa<TapeInitOp>(op)) {
    setTangent(op->getResult(0), b.clone(*clone)->getResult(0));
    return success();
  }
  Value shadow = tangent(op->getOperand(0));
  if (!shadow)
    return reportNotDifferentiable(op, "its tape has no tangent tape");
  if (auto push = dyn_cast<TapePushOp>(op)) {
    if (hasShadowOnTape(push.getValue().getType()))
      TapePushOp::create(b, loc, shadow,
                         tangentOrZero(push.getValue(), b, loc));
    return success();
  }
  if (auto pop = dyn_cast<TapePopOp>(op)) {
    if (!hasShadowOnTape(pop.getType()))
      return success();
    Value t = TapePopOp::create(b, loc, pop.getType(), shadow);
    if (activity.isActive(pop.getResult()))
      setTangent(pop.getResult(), t);
    return success();
  }
  if (isa<TapeRewindOp>(op))
    TapeRewindOp::create(b, loc, shadow);
  else
    TapeFreeOp::create(b, loc, shadow);
  return success();
}

LogicalResult ForwardEmitter::emitRegion(Region &region, Block *dest,
                                         ArrayRef<unsigned> argPositions,
                                         ArrayRef<unsigned> yieldPositions) {
  Block &source = region.front();
  unsigned numArgs = source.getNumArguments();
  for (auto [i, arg] : llvm::enumerate(source.getArguments()))
    map(arg, dest->getArgument(i));
  for (auto [k, i] : llvm::enumerate(argPositions))
    setTangent(source.getArgument(i), dest->getArgument(numArgs + k));
  OpBuilder b = OpBuilder::atBlockEnd(dest);
  if (failed(emitBlock(source, b)))
    return failure();
  Operation *terminator = source.getTerminator();
  Location loc = terminator->getLoc();
  if (auto condition = dyn_cast<scf::ConditionOp>(terminator)) {
    scf::ConditionOp::create(
        b, loc, primal(condition.getCondition()),
        withTangents(condition.getArgs(), yieldPositions, b, loc));
    return success();
  }
  scf::YieldOp::create(
      b, loc, withTangents(terminator->getOperands(), yieldPositions, b, loc));
  return success();
}

LogicalResult ForwardEmitter::emitFor(scf::ForOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  SmallVector<unsigned> positions =
      activePositions(op.getRegionIterArgs(), op.getResults());
  auto newFor = scf::ForOp::create(
      b, loc, primal(op.getLowerBound()), primal(op.getUpperBound()),
      primal(op.getStep()), withTangents(op.getInitArgs(), positions, b, loc));
  Block *body = newFor.getBody();
  if (!body->empty() && body->back().hasTrait<OpTrait::IsTerminator>())
    body->back().erase();
  map(op.getInductionVar(), newFor.getInductionVar());
  // The body block's arguments are (iv, iter args..., tangents...).
  SmallVector<unsigned> argPositions;
  for (unsigned i : positions)
    argPositions.push_back(i + 1);
  if (failed(emitRegion(op.getRegion(), body, argPositions, positions)))
    return failure();
  unsigned n = op.getNumResults();
  for (unsigned i = 0; i < n; ++i)
    map(op.getResult(i), newFor.getResult(i));
  for (auto [k, i] : llvm::enumerate(positions))
    setTangent(op.getResult(i), newFor.getResult(n + k));
  return success();
}

LogicalResult ForwardEmitter::emitWhile(scf::WhileOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  SmallVector<unsigned> before = activePositions(op.getBeforeArguments());
  SmallVector<unsigned> after =
      activePositions(op.getAfterArguments(), op.getResults());
  SmallVector<Type> resultTypes(op.getResultTypes());
  for (unsigned i : after)
    resultTypes.push_back(op.getResult(i).getType());
  SmallVector<Value> inits = withTangents(op.getInits(), before, b, loc);
  auto newWhile = scf::WhileOp::create(b, loc, resultTypes, inits);

  auto makeBlock = [&](Region &region, ValueRange args,
                       ArrayRef<unsigned> positions) {
    SmallVector<Type> types(args.getTypes());
    for (unsigned i : positions)
      types.push_back(args[i].getType());
    SmallVector<Location> locs(types.size(), loc);
    return b.createBlock(&region, {}, types, locs);
  };
  OpBuilder::InsertionGuard guard(b);
  Block *beforeBlock =
      makeBlock(newWhile.getBefore(), op.getBeforeArguments(), before);
  if (failed(emitRegion(op.getBefore(), beforeBlock, before, after)))
    return failure();
  Block *afterBlock =
      makeBlock(newWhile.getAfter(), op.getAfterArguments(), after);
  if (failed(emitRegion(op.getAfter(), afterBlock, after, before)))
    return failure();
  unsigned n = op.getNumResults();
  for (unsigned i = 0; i < n; ++i)
    map(op.getResult(i), newWhile.getResult(i));
  for (auto [k, i] : llvm::enumerate(after))
    setTangent(op.getResult(i), newWhile.getResult(n + k));
  return success();
}

LogicalResult ForwardEmitter::emitBranches(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  SmallVector<unsigned> positions = activePositions(op->getResults());
  SmallVector<Type> resultTypes(op->getResultTypes());
  for (unsigned i : positions)
    resultTypes.push_back(op->getResult(i).getType());

  Operation *newOp;
  if (auto ifOp = dyn_cast<scf::IfOp>(op))
    newOp = scf::IfOp::create(b, loc, resultTypes, primal(ifOp.getCondition()),
                              /*addThenBlock=*/false, /*addElseBlock=*/false);
  else if (auto switchOp = dyn_cast<scf::IndexSwitchOp>(op))
    newOp = scf::IndexSwitchOp::create(b, loc, resultTypes,
                                       primal(switchOp.getArg()),
                                       switchOp.getCases(),
                                       switchOp.getCaseRegions().size());
  else
    newOp = scf::ExecuteRegionOp::create(b, loc, resultTypes);

  OpBuilder::InsertionGuard guard(b);
  for (auto [region, newRegion] :
       llvm::zip(op->getRegions(), newOp->getRegions())) {
    if (region.empty())
      continue;
    if (!region.hasOneBlock())
      return reportNotDifferentiable(op, "a region has more than one block");
    Block *block = b.createBlock(&newRegion);
    if (failed(emitRegion(region, block, {}, positions)))
      return failure();
  }
  unsigned n = op->getNumResults();
  for (unsigned i = 0; i < n; ++i)
    map(op->getResult(i), newOp->getResult(i));
  for (auto [k, i] : llvm::enumerate(positions))
    setTangent(op->getResult(i), newOp->getResult(n + k));
  return success();
}

LogicalResult ForwardEmitter::emitCall(func::CallOp op, OpBuilder &b) {
  FailureOr<func::FuncOp> callee = builder.resolveCallee(op);
  if (failed(callee))
    return failure();
  CustomRules custom = CustomRules::of(*callee);
  if (custom.missing)
    return reportNotDifferentiable(op, custom.missing.getValue());
  if (custom.jvp)
    return emitCustomJvp(op, custom.jvp, b);
  if (custom.vjpForward)
    return reportNotDifferentiable(op, "its callee @")
           << callee->getSymName()
           << " has a custom VJP rule (dp.custom_vjp) and no JVP rule, so "
              "forward mode cannot differentiate it; give it a custom JVP "
              "rule (dp.custom_jvp) instead";
  SmallVector<bool> dupArgs;
  SmallVector<Value> operands;
  for (Value operand : op.getOperands()) {
    bool tape = isa<TapeType>(operand.getType());
    bool dup = tape || activity.isActive(operand);
    dupArgs.push_back(dup);
    operands.push_back(primal(operand));
    if (tape && !tangent(operand))
      return reportNotDifferentiable(op, "a tape it passes has no tangent "
                                         "tape");
    if (dup)
      operands.push_back(tangentOrZero(operand, b, op.getLoc()));
  }
  SmallVector<Activity> results;
  for (Value result : op.getResults())
    results.push_back(activity.isActive(result) ? Activity::Dup
                                                : Activity::Const);
  FailureOr<func::FuncOp> derivative =
      builder.forward(*callee, dupArgs, results, op.getLoc());
  if (failed(derivative))
    return failure();
  auto call = func::CallOp::create(b, op.getLoc(), *derivative, operands);
  unsigned next = 0;
  for (auto [result, activityKind] : llvm::zip(op.getResults(), results)) {
    map(result, call.getResult(next++));
    if (activityKind == Activity::Dup)
      setTangent(result, call.getResult(next++));
  }
  return success();
}

LogicalResult ForwardEmitter::emitCustomJvp(func::CallOp op, func::FuncOp jvp,
                                            OpBuilder &b) {
  Location loc = op.getLoc();
  SmallVector<Value> operands;
  for (Value operand : op.getOperands())
    operands.push_back(primal(operand));
  for (Value operand : op.getOperands())
    if (isDifferentiableType(operand.getType()))
      operands.push_back(tangentOrZero(operand, b, loc));
  auto call = func::CallOp::create(b, loc, jvp, operands);
  unsigned next = op.getNumResults();
  for (auto [i, result] : llvm::enumerate(op.getResults())) {
    map(result, call.getResult(i));
    if (!isDifferentiableType(result.getType()))
      continue;
    Value t = call.getResult(next++);
    if (activity.isActive(result))
      setTangent(result, t);
  }
  return success();
}

LogicalResult mlir::dp::autodiff::buildForward(DerivativeBuilder &builder,
                                               func::FuncOp source,
                                               func::FuncOp target,
                                               ArrayRef<bool> dupArgs,
                                               ArrayRef<Activity> results) {
  SmallVector<bool> activeResults;
  for (Activity a : results)
    activeResults.push_back(a != Activity::Const);
  ActivityAnalysis activity(source, dupArgs, activeResults,
                            builder.getRules());
  ForwardEmitter emitter(builder, activity);

  Block *entry = target.addEntryBlock();
  unsigned next = 0;
  for (auto [arg, dup] : llvm::zip(source.getArguments(), dupArgs)) {
    emitter.map(arg, entry->getArgument(next++));
    if (dup) {
      Value t = entry->getArgument(next++);
      if (activity.isActive(arg) || isa<TapeType>(arg.getType()) ||
          (isa<MemRefType>(arg.getType()) && activity.isShadowed(arg)))
        emitter.setTangent(arg, t);
    }
  }
  OpBuilder b = OpBuilder::atBlockEnd(entry);
  Block &body = source.getBody().front();
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  if (failed(emitter.emitBlock(body, b)) ||
      failed(checkNothingLost(activity, ret)))
    return failure();
  SmallVector<Value> outputs;
  for (auto [value, activityKind] : llvm::zip(ret.getOperands(), results)) {
    if (activityKind != Activity::DupNoNeed)
      outputs.push_back(emitter.primal(value));
    if (activityKind != Activity::Const)
      outputs.push_back(emitter.tangentOrZero(value, b, ret.getLoc()));
  }
  func::ReturnOp::create(b, ret.getLoc(), outputs);
  return success();
}
