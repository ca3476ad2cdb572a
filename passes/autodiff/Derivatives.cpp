//===- Derivatives.cpp - creation and reuse of derivative functions -------===//

#include "passes/autodiff/Derivatives.h"
#include "passes/autodiff/Activity.h"

#include "mlir/Conversion/ControlFlowToSCF/ControlFlowToSCF.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Dominance.h"
#include "mlir/Transforms/CFGToSCF.h"

using namespace mlir;
using namespace mlir::dp;
using namespace mlir::dp::autodiff;

InFlightDiagnostic mlir::dp::autodiff::reportNotDifferentiable(
    Operation *op, const Twine &reason) {
  return op->emitError() << "cannot differentiate '" << op->getName()
                         << "': " << reason;
}

LogicalResult
mlir::dp::autodiff::checkNothingLost(const ActivityAnalysis &activity,
                                     Operation *op) {
  Operation *lost = activity.findLostDerivative(op);
  if (!lost)
    return success();
  return reportNotDifferentiable(lost, activity.whyLost(lost));
}

void mlir::dp::autodiff::fillWithZeros(OpBuilder &b, Location loc,
                                       Value buffer) {
  Type element = cast<MemRefType>(buffer.getType()).getElementType();
  Value zero = arith::ConstantOp::create(
      b, loc, cast<TypedAttr>(b.getZeroAttr(element)));
  linalg::FillOp::create(b, loc, zero, buffer);
}

CustomRules CustomRules::of(func::FuncOp fn) {
  CustomRules rules;
  auto lookup = [&](Attribute symbol) {
    auto ref = dyn_cast_or_null<FlatSymbolRefAttr>(symbol);
    return ref ? SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(fn, ref)
               : func::FuncOp();
  };
  if (auto vjp = fn->getAttrOfType<DictionaryAttr>(kCustomVjpAttr)) {
    rules.vjpForward = lookup(vjp.get("fwd"));
    rules.vjpBackward = lookup(vjp.get("bwd"));
  }
  rules.jvp = lookup(fn->getAttr(kCustomJvpAttr));
  rules.checkpoint = fn->hasAttr(kCheckpointAttr);
  rules.missing = fn->getAttrOfType<StringAttr>(kMissingRuleAttr);
  return rules;
}

bool mlir::dp::autodiff::appliesCustomRule(const ActivityAnalysis &activity,
                                           Operation *op) {
  return llvm::any_of(op->getOperands(),
                      [&](Value v) { return activity.isVaried(v); }) &&
         activity.reachesCustomRule(op);
}

static char activityLetter(Activity activity) {
  switch (activity) {
  case Activity::Const:
    return 'c';
  case Activity::Active:
    return 'a';
  case Activity::ActiveNoNeed:
    return 'n';
  case Activity::Dup:
    return 'd';
  case Activity::DupNoNeed:
    return 'u';
  }
  llvm_unreachable("unknown activity");
}

static std::string mangle(StringRef prefix, func::FuncOp primal,
                          ArrayRef<Activity> args,
                          ArrayRef<Activity> results) {
  std::string name = ("__dp_" + prefix + "_" + primal.getSymName() + "_").str();
  for (Activity a : args)
    name += activityLetter(a);
  name += '_';
  for (Activity a : results)
    name += activityLetter(a);
  return name;
}

DerivativeBuilder::DerivativeBuilder(ModuleOp module, const RuleRegistry &rules)
    : module(module), symbols(module), rules(rules) {}

DerivativeBuilder::~DerivativeBuilder() {
  for (auto &entry : lifted)
    entry.second.erase();
}

void DerivativeBuilder::insert(func::FuncOp fn, func::FuncOp primal) {
  fn.setPrivate();
  symbols.insert(fn, Block::iterator(primal->getNextNode()));
}

FailureOr<func::FuncOp> DerivativeBuilder::resolveCallee(func::CallOp call) {
  auto callee = symbols.lookup<func::FuncOp>(call.getCallee());
  if (!callee || callee.isExternal())
    return reportNotDifferentiable(call, "the callee @")
           << call.getCallee() << " has no body to differentiate";
  return callee;
}

/// True if `fn` or a region inside it has more than one block.
static bool hasUnstructuredControlFlow(func::FuncOp fn) {
  WalkResult result = fn.walk([](Operation *op) {
    for (Region &region : op->getRegions())
      if (!region.empty() && !region.hasOneBlock())
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return result.wasInterrupted();
}

FailureOr<func::FuncOp> DerivativeBuilder::source(func::FuncOp primal) {
  if (!hasUnstructuredControlFlow(primal))
    return primal;
  auto it = lifted.find(primal);
  if (it != lifted.end())
    return it->second;
  // Lift branches and loops written with cf to scf, innermost regions first,
  // on a detached copy so the user's function stays as it is.
  auto copy = cast<func::FuncOp>(primal->clone());
  ControlFlowToSCFTransformation transformation;
  SmallVector<Region *> regions;
  copy.walk<WalkOrder::PostOrder>([&](Operation *op) {
    for (Region &region : op->getRegions())
      if (!region.empty() && !region.hasOneBlock())
        regions.push_back(&region);
  });
  bool lifted = true;
  for (Region *region : regions) {
    DominanceInfo dominance(region->getParentOp());
    if (failed(transformCFGToSCF(*region, transformation, dominance))) {
      lifted = false;
      break;
    }
  }
  if (!lifted || hasUnstructuredControlFlow(copy)) {
    copy.erase();
    return primal.emitError()
           << "cannot differentiate @" << primal.getSymName()
           << ": its control flow could not be lifted to structured loops "
              "and branches";
  }
  this->lifted[primal] = copy;
  return copy;
}

FailureOr<func::FuncOp>
DerivativeBuilder::forward(func::FuncOp primal, ArrayRef<bool> dupArgs,
                           ArrayRef<Activity> results, Location request) {
  SmallVector<Activity> args;
  for (bool dup : dupArgs)
    args.push_back(dup ? Activity::Dup : Activity::Const);
  std::string key = mangle("fwd", primal, args, results);
  auto it = forwards.find(key);
  if (it != forwards.end())
    return it->second;

  FunctionType type = primal.getFunctionType();
  SmallVector<Type> inputs, outputs;
  for (auto [argType, dup] : llvm::zip(type.getInputs(), dupArgs)) {
    inputs.push_back(argType);
    if (dup)
      inputs.push_back(argType);
  }
  for (auto [resultType, activity] : llvm::zip(type.getResults(), results)) {
    if (activity != Activity::DupNoNeed)
      outputs.push_back(resultType);
    if (activity != Activity::Const)
      outputs.push_back(resultType);
  }
  OpBuilder builder(getContext());
  auto fn = func::FuncOp::create(builder, primal.getLoc(), key,
                                 builder.getFunctionType(inputs, outputs));
  insert(fn, primal);
  forwards[key] = fn;

  FailureOr<func::FuncOp> body = source(primal);
  if (failed(body) ||
      failed(buildForward(*this, *body, fn, dupArgs, results))) {
    mlir::emitRemark(request) << "while differentiating @"
                              << primal.getSymName() << " in forward mode";
    return failure();
  }
  return fn;
}

FailureOr<ReversePair>
DerivativeBuilder::reverse(func::FuncOp primal, ArrayRef<bool> activeArgs,
                           ArrayRef<bool> activeResults, Location request) {
  SmallVector<Activity> args, results;
  FunctionType type = primal.getFunctionType();
  for (auto [argType, active] : llvm::zip(type.getInputs(), activeArgs))
    args.push_back(!active ? Activity::Const
                   : isa<MemRefType, TapeType>(argType) ? Activity::Dup
                                                        : Activity::Active);
  for (bool active : activeResults)
    results.push_back(active ? Activity::Active : Activity::Const);
  std::string key = mangle("rev", primal, args, results);
  auto it = reverses.find(key);
  if (it != reverses.end())
    return it->second;

  // reverse(tape, array arguments (each buffer followed by its shadow when
  //         dup)..., cotangents...) -> gradients of the active non-buffer
  //         arguments.
  Type tape = getTapeType();
  SmallVector<Type> augInputs(type.getInputs()), revInputs{tape}, grads;
  augInputs.push_back(tape);
  for (auto [argType, activity] : llvm::zip(type.getInputs(), args)) {
    // A tape argument's shadow tape (not the tape, which the reverse sweep
    // never reads).
    if (isa<TapeType>(argType) && activity == Activity::Dup) {
      revInputs.push_back(argType);
      continue;
    }
    if (!isArrayType(argType))
      continue;
    revInputs.push_back(argType);
    if (activity == Activity::Dup)
      revInputs.push_back(argType);
  }
  for (auto [resultType, active] : llvm::zip(type.getResults(), activeResults))
    if (active)
      revInputs.push_back(resultType);
  for (auto [argType, activity] : llvm::zip(type.getInputs(), args))
    if (activity == Activity::Active)
      grads.push_back(argType);

  OpBuilder builder(getContext());
  ReversePair pair;
  pair.augmented = func::FuncOp::create(
      builder, primal.getLoc(), mangle("aug", primal, args, results),
      builder.getFunctionType(augInputs, type.getResults()));
  pair.reverse = func::FuncOp::create(builder, primal.getLoc(), key,
                                      builder.getFunctionType(revInputs, grads));
  insert(pair.reverse, primal);
  insert(pair.augmented, primal);
  reverses[key] = pair;

  FailureOr<func::FuncOp> body = source(primal);
  if (failed(body) ||
      failed(buildReverse(*this, *body, pair, activeArgs, activeResults))) {
    mlir::emitRemark(request) << "while differentiating @"
                              << primal.getSymName() << " in reverse mode";
    return failure();
  }
  return pair;
}
