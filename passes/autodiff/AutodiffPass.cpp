//===- AutodiffPass.cpp - dp-autodiff: replace derivative requests --------===//
//
// Replaces each dp.autodiff / dp.fwddiff / dp.augmented / dp.reverse by
// calls of the derivative functions of its callee, creating them on first
// use. A request that cannot be honoured is an error at the op that stands
// in the way, and the pass fails: never a silently zero derivative.
// Requests nest: a request on a function whose code requests derivatives
// itself is replaced after those, differentiating their derivative code.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"
#include "passes/autodiff/Derivatives.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/UB/IR/UBOps.h"

namespace mlir::dp {
#define GEN_PASS_DEF_DPAUTODIFF
#include "passes/Passes.h.inc"
} // namespace mlir::dp

using namespace mlir;
using namespace mlir::dp;
using namespace mlir::dp::autodiff;

namespace {
/// The activities of a request, split into what the builders take.
struct Request {
  func::FuncOp callee;
  SmallVector<Activity> args, results;

  bool argIs(unsigned i, Activity a) const { return args[i] == a; }
  SmallVector<bool> activeArgs() const {
    SmallVector<bool> flags;
    for (Activity a : args)
      flags.push_back(a == Activity::Active || a == Activity::Dup);
    return flags;
  }
  SmallVector<bool> activeResults() const {
    SmallVector<bool> flags;
    for (Activity a : results)
      flags.push_back(a == Activity::Active || a == Activity::ActiveNoNeed);
    return flags;
  }
};

struct AutodiffPass : public dp::impl::DpAutodiffBase<AutodiffPass> {
  using Base::Base;

  llvm::SmallPtrSet<Operation *, 4> firstPullbacks;
  DenseMap<func::FuncOp, func::FuncOp> trampolines;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<Operation *> requests;
    module.walk([&](Operation *op) {
      if (isa<AutodiffOp, FwddiffOp, AugmentedOp, ReverseOp>(op))
        requests.push_back(op);
    });
    if (requests.empty())
      return dropRules(module);
    findFirstPullbacks(requests);
    RuleRegistry rules;
    DerivativeBuilder builder(module, rules);
    // Innermost requests first: a request whose callee (or a function it
    // calls) holds a request itself waits until that one is replaced by
    // derivative code, which this request then differentiates, tapes and all.
    while (!requests.empty()) {
      auto ready = llvm::find_if(requests, [&](Operation *op) {
        return !findInnerRequest(op);
      });
      if (ready == requests.end()) {
        Operation *op = requests.front();
        Operation *inner = findInnerRequest(op);
        InFlightDiagnostic diag =
            op->emitError()
            << "cannot differentiate "
            << op->getAttrOfType<FlatSymbolRefAttr>("callee")
            << ": it requests a derivative of itself (through recursion), "
               "which has no finite derivative code";
        diag.attachNote(inner->getLoc()) << "the inner request";
        return signalPassFailure();
      }
      Operation *op = *ready;
      requests.erase(ready);
      if (failed(lower(builder, op)))
        return signalPassFailure();
    }
    dropRules(module);
  }

  /// Removes the custom rules once every derivative is built: later passes
  /// (the LLVM lowering) do not know them, and calls they kept from the
  /// inliner may be inlined again.
  void dropRules(ModuleOp module) {
    llvm::SmallPtrSet<Operation *, 4> ruled;
    module.walk([&](func::FuncOp fn) {
      bool had = false;
      for (StringRef name :
           {kCustomVjpAttr, kCustomJvpAttr, kCheckpointAttr, kMissingRuleAttr})
        had |= static_cast<bool>(fn->removeAttr(name));
      if (had)
        ruled.insert(fn);
    });
    if (ruled.empty())
      return;
    SymbolTableCollection symbols;
    module.walk([&](func::CallOp call) {
      if (ruled.contains(symbols.lookupNearestSymbolFrom(call, call.getCalleeAttr())))
        call.setNoInline(false);
    });
  }

  /// A derivative request in the callee of `request` or a function the
  /// callee calls, or null.
  Operation *findInnerRequest(Operation *request) {
    auto callee = request->getAttrOfType<FlatSymbolRefAttr>("callee");
    SmallVector<func::FuncOp> work;
    llvm::SmallPtrSet<Operation *, 8> seen;
    auto visit = [&](FlatSymbolRefAttr symbol, Operation *from) {
      auto fn = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(from, symbol);
      if (fn && seen.insert(fn).second)
        work.push_back(fn);
    };
    visit(callee, request);
    Operation *inner = nullptr;
    while (!work.empty() && !inner) {
      func::FuncOp fn = work.pop_back_val();
      fn.walk([&](Operation *op) {
        if (isa<AutodiffOp, FwddiffOp, AugmentedOp, ReverseOp>(op)) {
          inner = op;
          return WalkResult::interrupt();
        }
        if (auto call = dyn_cast<func::CallOp>(op))
          visit(call.getCalleeAttr(), op);
        return WalkResult::advance();
      });
    }
    return inner;
  }

  /// Records the dp.reverse ops that read their tape first, right after the
  /// dp.augmented that made it in the same block: nothing was popped yet,
  /// so they need no rewind (and without one, reverse mode can
  /// differentiate them).
  void findFirstPullbacks(ArrayRef<Operation *> requests) {
    for (Operation *op : requests) {
      auto augmented = dyn_cast<AugmentedOp>(op);
      if (!augmented)
        continue;
      Value tape = augmented.getResults().back();
      Operation *first = nullptr;
      for (Operation *user : tape.getUsers())
        if (isa<ReverseOp>(user) && user->getBlock() == op->getBlock() &&
            (!first || user->isBeforeInBlock(first)))
          first = user;
      if (first)
        firstPullbacks.insert(first);
    }
  }

  /// A function that only calls `fn`: a request on a function with custom
  /// rules differentiates a call of it, where the rules apply.
  func::FuncOp trampoline(func::FuncOp fn) {
    func::FuncOp &fnTrampoline = trampolines[fn];
    if (fnTrampoline)
      return fnTrampoline;
    OpBuilder b(fn);
    Location loc = fn.getLoc();
    fnTrampoline = func::FuncOp::create(
        b, loc, ("__dp_call_" + fn.getSymName()).str(), fn.getFunctionType());
    fnTrampoline.setPrivate();
    SymbolTable(fn->getParentOp()).insert(fnTrampoline);
    Block *entry = fnTrampoline.addEntryBlock();
    b.setInsertionPointToEnd(entry);
    auto call = func::CallOp::create(b, loc, fn, entry->getArguments());
    func::ReturnOp::create(b, loc, call.getResults());
    return fnTrampoline;
  }

  FailureOr<Request> parse(Operation *op, FlatSymbolRefAttr callee,
                           ArrayAttr args, ArrayAttr results) {
    Request request;
    request.callee =
        SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(op, callee);
    if (!request.callee || request.callee.isExternal())
      return op->emitError() << "cannot differentiate " << callee
                             << ": it is not a func.func with a body";
    CustomRules custom = CustomRules::of(request.callee);
    if (custom.jvp || custom.vjpForward || custom.checkpoint || custom.missing)
      request.callee = trampoline(request.callee);
    for (Attribute a : args)
      request.args.push_back(cast<ActivityAttr>(a).getValue());
    for (auto [i, type] :
         llvm::enumerate(request.callee.getFunctionType().getInputs())) {
      auto tensor = dyn_cast<RankedTensorType>(type);
      if (tensor && !tensor.hasStaticShape() &&
          request.args[i] != Activity::Const)
        return op->emitError()
               << "cannot differentiate " << callee << " with respect to "
               << "argument #" << i << " of dynamic shape " << type
               << "; derivatives need static shapes";
    }
    for (Attribute a : results)
      request.results.push_back(cast<ActivityAttr>(a).getValue());
    return request;
  }

  LogicalResult lower(DerivativeBuilder &builder, Operation *op) {
    OpBuilder b(op);
    Location loc = op->getLoc();
    if (auto fwd = dyn_cast<FwddiffOp>(op)) {
      FailureOr<Request> request = parse(op, fwd.getCalleeAttr(),
                                         fwd.getArgActivity(),
                                         fwd.getRetActivity());
      if (failed(request))
        return failure();
      SmallVector<bool> dupArgs;
      for (Activity a : request->args)
        dupArgs.push_back(a == Activity::Dup);
      FailureOr<func::FuncOp> fn =
          builder.forward(request->callee, dupArgs, request->results, loc);
      if (failed(fn))
        return failure();
      op->replaceAllUsesWith(
          func::CallOp::create(b, loc, *fn, fwd.getInputs()).getResults());
      op->erase();
      return success();
    }

    FlatSymbolRefAttr callee = op->getAttrOfType<FlatSymbolRefAttr>("callee");
    FailureOr<Request> request =
        parse(op, callee, op->getAttrOfType<ArrayAttr>("arg_activity"),
              op->getAttrOfType<ArrayAttr>("ret_activity"));
    if (failed(request))
      return failure();
    FailureOr<ReversePair> pair =
        builder.reverse(request->callee, request->activeArgs(),
                        request->activeResults(), loc);
    if (failed(pair))
      return failure();

    auto primalResults = [&](ValueRange all) {
      SmallVector<Value> kept;
      for (auto [value, activity] : llvm::zip(all, request->results))
        if (activity != Activity::ActiveNoNeed)
          kept.push_back(value);
      return kept;
    };
    SmallVector<Value> replacements;
    if (auto whole = dyn_cast<AutodiffOp>(op)) {
      // Inputs: each argument (then its shadow when dup), then cotangents.
      ValueRange inputs = whole.getInputs();
      Value tape = TapeInitOp::create(b, loc, builder.getTapeType(), Value());
      SmallVector<Value> args, reverseArgs{tape};
      unsigned next = 0;
      for (Activity activity : request->args) {
        Value arg = inputs[next++];
        args.push_back(arg);
        if (isArrayType(arg.getType()))
          reverseArgs.push_back(arg);
        if (activity == Activity::Dup)
          reverseArgs.push_back(inputs[next++]);
      }
      args.push_back(tape);
      auto forward = func::CallOp::create(b, loc, pair->augmented, args);
      llvm::append_range(reverseArgs, inputs.drop_front(next));
      auto reverse = func::CallOp::create(b, loc, pair->reverse, reverseArgs);
      TapeFreeOp::create(b, loc, tape);
      replacements = primalResults(forward.getResults());
      llvm::append_range(replacements, reverse.getResults());
    } else if (auto augmented = dyn_cast<AugmentedOp>(op)) {
      Value tape = TapeInitOp::create(b, loc, builder.getTapeType(), Value());
      SmallVector<Value> args(augmented.getInputs());
      args.push_back(tape);
      auto forward = func::CallOp::create(b, loc, pair->augmented, args);
      replacements = primalResults(forward.getResults());
      replacements.push_back(tape);
    } else {
      auto reverseOp = cast<ReverseOp>(op);
      Value tape = reverseOp.getInputs().front();
      if (!firstPullbacks.contains(op))
        TapeRewindOp::create(b, loc, tape);
      auto reverse =
          func::CallOp::create(b, loc, pair->reverse, reverseOp.getInputs());
      llvm::append_range(replacements, reverse.getResults());
    }
    op->replaceAllUsesWith(replacements);
    op->erase();
    return success();
  }
};
} // namespace
