//===- Activity.cpp - activity analysis ------------------------------------===//

#include "passes/autodiff/Activity.h"

#include "dialect/Dp.h"
#include "passes/autodiff/Rules.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;
using namespace mlir::dp;
using namespace mlir::dp::autodiff;

// The op families the analysis models, each listed once: the predicates below
// and modeledReason (which dp-print-derivative-rules reports) both use them.
#define DP_STRUCTURED_OPS                                                      \
  scf::ForOp, scf::WhileOp, scf::IfOp, scf::IndexSwitchOp, scf::ExecuteRegionOp
#define DP_EDGE_TERMINATORS scf::YieldOp, scf::ConditionOp, func::ReturnOp
#define DP_BUFFER_VIEWS                                                        \
  memref::SubViewOp, memref::CastOp, memref::ReinterpretCastOp,                \
      memref::CollapseShapeOp, memref::ExpandShapeOp, memref::TransposeOp
#define DP_BUFFER_OPS                                                          \
  DP_BUFFER_VIEWS, memref::LoadOp, memref::StoreOp, memref::AllocOp,           \
      memref::AllocaOp, memref::DeallocOp, memref::DimOp, memref::CopyOp
#define DP_REQUEST_OPS AutodiffOp, FwddiffOp, AugmentedOp, ReverseOp
#define DP_TAPE_OPS                                                            \
  TapeInitOp, TapePushOp, TapePopOp, TapeRewindOp, TapeFreeOp

template <typename... Ops>
static bool isOneOf(TypeID id) {
  return ((id == TypeID::get<Ops>()) || ...);
}

StringRef mlir::dp::autodiff::modeledReason(RegisteredOperationName name) {
  TypeID id = name.getTypeID();
  if (isOneOf<DP_STRUCTURED_OPS>(id))
    return "structured control flow: differentiated region by region";
  if (isOneOf<DP_EDGE_TERMINATORS>(id))
    return "a terminator: its operands flow along the edges of its parent";
  if (isOneOf<DP_BUFFER_OPS>(id))
    return "a buffer op: repeated on the buffer's shadow";
  if (isOneOf<DP_REQUEST_OPS>(id))
    return "a derivative request: replaced by dp-autodiff, innermost first";
  if (isOneOf<DP_TAPE_OPS>(id))
    return "a tape op: mirrored on the tape's shadow (nested derivatives)";
  if (isOneOf<func::CallOp>(id))
    return "a call: differentiated through its callee";
  if (isOneOf<vector::PrintOp>(id))
    return "a debug print: needs no derivative";
  if (isOneOf<StopGradientOp>(id))
    return "ends the derivative on request";
  return {};
}

namespace {
/// A flow of a value into another through structured control flow: a loop's
/// initial value into its iteration argument, a yielded value into the
/// region op's result, and so on.
struct Edge {
  Value from, to;
};
} // namespace

/// Flow edges of the structured control-flow ops the differentiator knows.
static void collectEdges(Operation *op, SmallVectorImpl<Edge> &edges) {
  auto zip = [&](ValueRange from, ValueRange to) {
    for (auto [f, t] : llvm::zip(from, to))
      edges.push_back({f, t});
  };
  if (auto forOp = dyn_cast<scf::ForOp>(op)) {
    auto yield = cast<scf::YieldOp>(forOp.getBody()->getTerminator());
    zip(forOp.getInitArgs(), forOp.getRegionIterArgs());
    zip(forOp.getInitArgs(), forOp.getResults());
    zip(yield.getOperands(), forOp.getRegionIterArgs());
    zip(yield.getOperands(), forOp.getResults());
    return;
  }
  if (auto whileOp = dyn_cast<scf::WhileOp>(op)) {
    scf::ConditionOp condition = whileOp.getConditionOp();
    zip(whileOp.getInits(), whileOp.getBeforeArguments());
    zip(whileOp.getYieldOp().getOperands(), whileOp.getBeforeArguments());
    zip(condition.getArgs(), whileOp.getAfterArguments());
    zip(condition.getArgs(), whileOp.getResults());
    return;
  }
  if (isa<scf::IfOp, scf::IndexSwitchOp, scf::ExecuteRegionOp>(op)) {
    for (Region &region : op->getRegions())
      if (!region.empty())
        zip(region.front().getTerminator()->getOperands(), op->getResults());
  }
}

/// True for ops whose results are reached only through edges.
static bool isStructured(Operation *op) { return isa<DP_STRUCTURED_OPS>(op); }

/// True for terminators whose operands flow only along edges.
static bool isEdgeTerminator(Operation *op) {
  return isa<DP_EDGE_TERMINATORS>(op);
}

/// True if `value` is varied as far as an op with regions the analysis does
/// not model is concerned: an operand, or a value its regions use from
/// outside.
static bool usesVaried(Operation *op, const llvm::DenseSet<Value> &varied) {
  if (llvm::any_of(op->getOperands(),
                   [&](Value v) { return varied.contains(v); }))
    return true;
  if (op->getNumRegions() == 0)
    return false;
  WalkResult found = op->walk([&](Operation *inner) {
    for (Value v : inner->getOperands())
      if (varied.contains(v) && !op->isAncestor(v.getParentBlock()->getParentOp()))
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return found.wasInterrupted();
}

/// True if derivatives flow from the operands to the results of `op` (a
/// regular op, not a region or terminator).
static bool passesDerivatives(Operation *op, const RuleRegistry &rules) {
  return !isa<StopGradientOp>(op) && !rules.hasZeroDerivative(op);
}

bool mlir::dp::autodiff::isBufferView(Operation *op) {
  return isa<DP_BUFFER_VIEWS>(op);
}

bool mlir::dp::autodiff::isBufferOp(Operation *op) {
  return isa<DP_BUFFER_OPS>(op);
}

bool mlir::dp::autodiff::isTapeOp(Operation *op) {
  return isa<DP_TAPE_OPS>(op);
}

/// Whether `fn`, or a function it calls, has a custom VJP or JVP rule
/// (memoized in `reaches`; a function being looked into counts as not).
static bool reachesRule(func::FuncOp fn,
                        llvm::DenseMap<Operation *, bool> &reaches) {
  if (!fn)
    return false;
  auto [it, inserted] = reaches.try_emplace(fn, false);
  if (!inserted)
    return it->second;
  bool found = fn->hasAttr(kCustomVjpAttr) || fn->hasAttr(kCustomJvpAttr) ||
               fn->hasAttr(kMissingRuleAttr);
  if (!found)
    found = fn.walk([&](func::CallOp call) {
                return reachesRule(
                           SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
                               call, call.getCalleeAttr()),
                           reaches)
                           ? WalkResult::interrupt()
                           : WalkResult::advance();
              }).wasInterrupted();
  reaches[fn] = found;
  return found;
}

bool mlir::dp::autodiff::usesTape(Operation *op) {
  auto isTape = [](Value v) { return isa<TapeType>(v.getType()); };
  return isa<TapeInitOp>(op) || llvm::any_of(op->getOperands(), isTape);
}

static bool isFloatBuffer(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && isa<FloatType>(memref.getElementType());
}

static void collectWrites(Operation *op, SmallVectorImpl<Value> &writes,
                          llvm::SmallPtrSetImpl<Operation *> &visiting);

/// True if `fn` may write to its buffer argument `index`: unknown for a
/// function without a body, or one already being looked into (recursion).
static bool mayWriteArgument(func::FuncOp fn, unsigned index,
                             llvm::SmallPtrSetImpl<Operation *> &visiting) {
  if (!fn || fn.isExternal() || !visiting.insert(fn).second)
    return true;
  Value arg = fn.getArgument(index);
  WalkResult found = fn.walk([&](Operation *op) {
    SmallVector<Value> writes;
    collectWrites(op, writes, visiting);
    return llvm::any_of(writes,
                        [&](Value v) {
                          return ActivityAnalysis::rootOf(v) == arg;
                        })
               ? WalkResult::interrupt()
               : WalkResult::advance();
  });
  visiting.erase(fn);
  return found.wasInterrupted();
}

/// The buffers `op` may write to. Loads, views, dims and deallocations
/// write nothing, a copy writes its target, a call the buffers its callee
/// may write; any other use of a buffer may write it (a store, an unknown
/// op, ...).
static void collectWrites(Operation *op, SmallVectorImpl<Value> &writes,
                          llvm::SmallPtrSetImpl<Operation *> &visiting) {
  if (isa<memref::LoadOp, memref::DimOp, memref::DeallocOp>(op) ||
      isBufferView(op))
    return;
  if (auto copy = dyn_cast<memref::CopyOp>(op)) {
    writes.push_back(copy.getTarget());
    return;
  }
  auto call = dyn_cast<func::CallOp>(op);
  func::FuncOp callee =
      call ? SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
                 call, call.getCalleeAttr())
           : func::FuncOp();
  for (auto [i, v] : llvm::enumerate(op->getOperands()))
    if (isa<MemRefType>(v.getType()) &&
        (!call || mayWriteArgument(callee, i, visiting)))
      writes.push_back(v);
}

Value ActivityAnalysis::rootOf(Value memref) {
  while (Operation *def = memref.getDefiningOp()) {
    if (!isBufferView(def))
      break;
    memref = def->getOperand(0);
  }
  return memref;
}

bool ActivityAnalysis::isReadOnlyArgument(Value memref) const {
  Value root = rootOf(memref);
  return argumentRoots.contains(root) && !writtenRoots.contains(root);
}

ActivityAnalysis::ActivityAnalysis(FunctionOpInterface fn,
                                   ArrayRef<bool> activeArgs,
                                   ArrayRef<bool> activeResults,
                                   const RuleRegistry &rules)
    : rules(rules) {
  for (auto [arg, active] : llvm::zip(fn.getArguments(), activeArgs))
    if (active && isDifferentiableType(arg.getType()))
      varied.insert(arg);
  findBuffers(fn, activeArgs);
  llvm::DenseMap<Operation *, bool> reaches;
  fn->walk([&](func::CallOp call) {
    if (reachesRule(SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
                        call, call.getCalleeAttr()),
                    reaches))
      ruleCalls.insert(call);
  });
  propagateVaried(fn);
  propagateUseful(fn, activeResults);
}

void ActivityAnalysis::findBuffers(FunctionOpInterface fn,
                                   ArrayRef<bool> activeArgs) {
  for (auto [arg, active] : llvm::zip(fn.getArguments(), activeArgs)) {
    if (!isa<MemRefType>(arg.getType()))
      continue;
    argumentRoots.insert(arg);
    if (active && isFloatBuffer(arg.getType()))
      shadowedRoots.insert(arg);
  }
  llvm::SmallPtrSet<Operation *, 4> visiting;
  fn->walk([&](Operation *op) {
    SmallVector<Value> writes;
    collectWrites(op, writes, visiting);
    for (Value v : writes)
      writtenRoots.insert(rootOf(v));
  });
}

void ActivityAnalysis::propagateVaried(FunctionOpInterface fn) {
  SmallVector<Edge> edges;
  fn->walk([&](Operation *op) { collectEdges(op, edges); });
  bool changed = true;
  auto mark = [&](Value value) {
    if (isDifferentiableType(value.getType()) && varied.insert(value).second)
      changed = true;
  };
  while (changed) {
    changed = false;
    for (const Edge &edge : edges)
      if (varied.contains(edge.from))
        mark(edge.to);
    fn->walk([&](Operation *op) {
      if (auto load = dyn_cast<memref::LoadOp>(op)) {
        if (isShadowed(load.getMemRef()))
          mark(load.getResult());
        return;
      }
      // A local buffer that receives a varied value (or a copy of a
      // shadowed buffer) gets a shadow; an argument gets one only when it
      // is dup.
      auto receives = [&](Value memref) {
        Value root = rootOf(memref);
        if (isFloatBuffer(root.getType()) &&
            isa_and_nonnull<memref::AllocOp, memref::AllocaOp>(
                root.getDefiningOp()) &&
            shadowedRoots.insert(root).second)
          changed = true;
      };
      if (auto store = dyn_cast<memref::StoreOp>(op)) {
        if (varied.contains(store.getValue()))
          receives(store.getMemRef());
        return;
      }
      if (auto copy = dyn_cast<memref::CopyOp>(op)) {
        if (isShadowed(copy.getSource()))
          receives(copy.getTarget());
        return;
      }
      if (isStructured(op) || isEdgeTerminator(op) ||
          !passesDerivatives(op, rules))
        return;
      if (usesVaried(op, varied) || usesTape(op))
        for (Value result : op->getResults())
          mark(result);
    });
  }
}

void ActivityAnalysis::propagateUseful(FunctionOpInterface fn,
                                       ArrayRef<bool> activeResults) {
  bool changed = true;
  auto mark = [&](Value value) {
    if (isDifferentiableType(value.getType()) && useful.insert(value).second)
      changed = true;
  };
  fn->walk([&](func::ReturnOp ret) {
    for (auto [value, active] : llvm::zip(ret.getOperands(), activeResults))
      if (active)
        mark(value);
  });
  SmallVector<Edge> edges;
  fn->walk([&](Operation *op) { collectEdges(op, edges); });
  while (changed) {
    changed = false;
    for (const Edge &edge : edges)
      if (useful.contains(edge.to))
        mark(edge.from);
    fn->walk([&](Operation *op) {
      // What goes into a shadowed buffer may be read back into a result.
      if (auto store = dyn_cast<memref::StoreOp>(op)) {
        if (isShadowed(store.getMemRef()))
          mark(store.getValue());
        return;
      }
      if (isStructured(op) || isEdgeTerminator(op) ||
          !passesDerivatives(op, rules))
        return;
      if (usesTape(op) || reachesCustomRule(op) ||
          llvm::any_of(op->getResults(),
                       [&](Value v) { return useful.contains(v); }))
        for (Value operand : op->getOperands())
          mark(operand);
    });
  }
}

bool ActivityAnalysis::isActive(Operation *op) const {
  return llvm::any_of(op->getResults(),
                      [&](Value v) { return isActive(v); });
}

/// True if `op` itself (not its regions) has buffer derivative code.
static bool isShadowedBufferOp(const ActivityAnalysis &activity,
                               Operation *op) {
  if (auto store = dyn_cast<memref::StoreOp>(op))
    return activity.isShadowed(store.getMemRef());
  if (isBufferView(op) || isa<memref::AllocOp, memref::AllocaOp>(op))
    return activity.isShadowed(op->getResult(0));
  if (auto dealloc = dyn_cast<memref::DeallocOp>(op))
    return activity.isShadowed(dealloc.getMemref());
  if (auto copy = dyn_cast<memref::CopyOp>(op))
    return activity.isShadowed(copy.getTarget());
  return false;
}

bool ActivityAnalysis::needsDerivative(Operation *op) const {
  if (isActive(op) || isShadowedBufferOp(*this, op) || usesTape(op))
    return true;
  if (op->getNumRegions() == 0)
    return false;
  WalkResult found = op->walk([&](Operation *inner) {
    return inner != op && (isActive(inner) ||
                           isShadowedBufferOp(*this, inner) || usesTape(inner))
               ? WalkResult::interrupt()
               : WalkResult::advance();
  });
  return found.wasInterrupted();
}

StringRef ActivityAnalysis::whyLost(Operation *op) const {
  static constexpr StringLiteral kIntoMemory =
      "a differentiated value would flow into memory or an effect the "
      "derivative cannot follow";
  if (llvm::any_of(op->getResults(), [&](Value v) {
        auto tensor = dyn_cast<RankedTensorType>(v.getType());
        return tensor && !tensor.hasStaticShape() && isVaried(v);
      }))
    return "its result is a differentiated tensor of dynamic shape; "
           "derivatives need static shapes";
  if (auto store = dyn_cast<memref::StoreOp>(op))
    return isVaried(store.getValue()) && !isShadowed(store.getMemRef())
               ? StringRef("a differentiated value would be stored into a "
                           "buffer that has no shadow (a 'const' argument, "
                           "a global, ...)")
               : StringRef();
  if (auto copy = dyn_cast<memref::CopyOp>(op))
    return isShadowed(copy.getSource()) && !isShadowed(copy.getTarget())
               ? StringRef("a buffer whose elements carry derivatives would "
                           "be copied into a buffer that has no shadow (a "
                           "'const' argument, a global, ...)")
               : StringRef();
  if (isBufferOp(op))
    return {};
  auto isShadowedBuffer = [&](Value v) {
    return isa<MemRefType>(v.getType()) && isShadowed(v);
  };
  static constexpr StringLiteral kUsesBuffer =
      "it uses a buffer whose elements carry derivatives, and only loads, "
      "stores, views, allocations and deallocations of such buffers can be "
      "differentiated";
  if (llvm::any_of(op->getOperands(), isShadowedBuffer))
    return kUsesBuffer;
  // Inside regions the analysis does not model (linalg.generic,
  // tensor.generate, ...), a load of a shadowed buffer would go unseen.
  if (op->getNumRegions() && !isStructured(op)) {
    WalkResult found = op->walk([&](Operation *inner) {
      return llvm::any_of(inner->getOperands(),
                          [&](Value v) {
                            return isShadowedBuffer(v) &&
                                   !op->isAncestor(
                                       v.getParentBlock()->getParentOp());
                          })
                 ? WalkResult::interrupt()
                 : WalkResult::advance();
    });
    if (found.wasInterrupted())
      return kUsesBuffer;
  }
  // An op with regions the analysis does not model is treated like any
  // other op when it has results that carry the derivative on (then it is
  // active, and without a rule it is reported as such).
  bool carries = llvm::any_of(op->getResults(), [](Value v) {
    return isDifferentiableType(v.getType());
  });
  if (op->getNumRegions() && !isStructured(op) && !rules.lookup(op) &&
      !carries) {
    // An op with regions whose control flow this analysis does not model
    // (linalg.generic, affine.for, ...) must not see varied values or
    // shadowed buffers at all.
    WalkResult found = op->walk([&](Operation *inner) {
      return llvm::any_of(inner->getOperands(),
                          [&](Value v) { return carriesDerivative(v); })
                 ? WalkResult::interrupt()
                 : WalkResult::advance();
    });
    return found.wasInterrupted() ? StringRef(kIntoMemory) : StringRef();
  }
  // Printing a value for debugging does not need its derivative.
  if (isStructured(op) || isEdgeTerminator(op) ||
      isa<func::CallOp, vector::PrintOp>(op) || isTapeOp(op) ||
      !passesDerivatives(op, rules))
    return {};
  if (!llvm::any_of(op->getOperands(),
                    [&](Value v) { return isVaried(v); }))
    return {};
  if (carries)
    return {};
  // A varied value that goes into memory (or anywhere unknown) would carry
  // its derivative past anything this analysis can follow.
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects || effects.hasEffect<MemoryEffects::Write>())
    return kIntoMemory;
  // A pure op whose results cannot carry the derivative of its operands
  // (a bitcast to an integer, a complex number, ...) would end it silently
  // unless its results are discrete by definition.
  if (op->getNumResults() == 0 || op->hasTrait<OpTrait::IsTerminator>() ||
      !rules.discreteReason(op).empty())
    return {};
  return "its operands carry a derivative but its results cannot, and "
         "dp-autodiff has no rule for it";
}

Operation *ActivityAnalysis::findLostDerivative(Operation *op) const {
  Operation *lost = nullptr;
  op->walk<WalkOrder::PreOrder>([&](Operation *inner) {
    if (whyLost(inner).empty())
      return WalkResult::advance();
    lost = inner;
    return WalkResult::interrupt();
  });
  return lost;
}
