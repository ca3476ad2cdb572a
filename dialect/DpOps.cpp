//===- DpOps.cpp - dp operations: parsing helpers and verifiers ----------===//

#include "dialect/Dp.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

using namespace mlir;
using namespace mlir::dp;

//===----------------------------------------------------------------------===//
// custom<Activities>: `[active, const]` for an array of #dp.activity
//===----------------------------------------------------------------------===//

static ParseResult parseActivities(OpAsmParser &parser, ArrayAttr &attr) {
  SmallVector<Attribute> activities;
  auto parseOne = [&]() -> ParseResult {
    SMLoc loc = parser.getCurrentLocation();
    StringRef keyword;
    if (parser.parseKeyword(&keyword))
      return failure();
    std::optional<Activity> activity = symbolizeActivity(keyword);
    if (!activity)
      return parser.emitError(loc) << "unknown activity '" << keyword
                                   << "'; expected one of const, active, "
                                      "activenoneed, dup, dupnoneed";
    activities.push_back(
        ActivityAttr::get(parser.getContext(), *activity));
    return success();
  };
  if (parser.parseCommaSeparatedList(OpAsmParser::Delimiter::Square, parseOne))
    return failure();
  attr = parser.getBuilder().getArrayAttr(activities);
  return success();
}

static void printActivities(OpAsmPrinter &printer, Operation *,
                            ArrayAttr attr) {
  printer << '[';
  llvm::interleaveComma(attr, printer, [&](Attribute a) {
    printer << stringifyActivity(cast<ActivityAttr>(a).getValue());
  });
  printer << ']';
}

#define GET_OP_CLASSES
#include "dialect/DpOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Derivative requests
//===----------------------------------------------------------------------===//

namespace {
/// The kinds of derivative request; they differ in the activities they accept
/// and in how operands and results are laid out.
enum class Mode { Reverse, Forward, Augmented, ReverseSplit };
} // namespace

static bool isAllowed(Mode mode, bool isResult, Activity activity) {
  if (mode == Mode::Augmented || mode == Mode::ReverseSplit)
    mode = Mode::Reverse;
  switch (activity) {
  case Activity::Const:
    return true;
  case Activity::Active:
    return mode == Mode::Reverse;
  case Activity::ActiveNoNeed:
    return mode == Mode::Reverse && isResult;
  case Activity::Dup:
    return mode == Mode::Forward || !isResult;
  case Activity::DupNoNeed:
    return mode == Mode::Forward && isResult;
  }
  llvm_unreachable("unknown activity");
}

static StringRef allowedList(Mode mode, bool isResult) {
  if (mode != Mode::Forward)
    return isResult ? "const, active, activenoneed" : "const, active, dup";
  return isResult ? "const, dup, dupnoneed" : "const, dup";
}

/// Checks the activity lists alone; the callee's signature is checked in
/// verifySymbolUses.
static LogicalResult verifyActivities(Operation *op, Mode mode,
                                      ArrayAttr argActivity,
                                      ArrayAttr retActivity) {
  for (auto [isResult, list] :
       {std::pair{false, argActivity}, std::pair{true, retActivity}}) {
    for (auto [index, attr] : llvm::enumerate(list)) {
      Activity activity = cast<ActivityAttr>(attr).getValue();
      if (!isAllowed(mode, isResult, activity))
        return op->emitOpError()
               << (isResult ? "result" : "argument") << " #" << index
               << " has activity '" << stringifyActivity(activity)
               << "'; expected one of " << allowedList(mode, isResult);
    }
  }
  return success();
}

static bool isFloatBuffer(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && isa<FloatType>(memref.getElementType());
}

/// Checks that a value of `type` can carry the derivative `activity` asks for.
static LogicalResult verifyActivityType(Operation *op, Mode mode,
                                        bool isResult, unsigned index,
                                        Activity activity, Type type) {
  StringRef what = isResult ? "result" : "argument";
  switch (activity) {
  case Activity::Const:
    return success();
  case Activity::Active:
  case Activity::ActiveNoNeed:
    if (isDifferentiableType(type))
      return success();
    return op->emitOpError()
           << what << " #" << index << " is '" << stringifyActivity(activity)
           << "' but has type " << type
           << "; active values must be floats, or vectors or tensors of "
              "floats";
  case Activity::Dup:
  case Activity::DupNoNeed:
    if (mode != Mode::Forward) {
      if (isFloatBuffer(type))
        return success();
      return op->emitOpError()
             << what << " #" << index << " is 'dup' but has type " << type
             << "; in reverse mode dup values must be memrefs of floats";
    }
    if (isDifferentiableType(type) || isFloatBuffer(type))
      return success();
    return op->emitOpError()
           << what << " #" << index << " is '" << stringifyActivity(activity)
           << "' but has type " << type
           << "; forward-mode tangents need floats, or vectors, tensors or "
              "memrefs of floats";
  }
  llvm_unreachable("unknown activity");
}

/// Computes the operand and result types a derivative request of `mode` must
/// have for a callee of type (argTypes) -> (resTypes).
static void expectedSignature(Mode mode, ArrayRef<Type> argTypes,
                              ArrayRef<Type> resTypes, ArrayAttr argActivity,
                              ArrayAttr retActivity,
                              SmallVectorImpl<Type> &inputs,
                              SmallVectorImpl<Type> &outputs) {
  auto activityAt = [](ArrayAttr list, unsigned i) {
    return cast<ActivityAttr>(list[i]).getValue();
  };
  Type tape = TapeType::get(argActivity.getContext(), {});
  if (mode == Mode::Forward) {
    for (auto [i, type] : llvm::enumerate(argTypes)) {
      inputs.push_back(type);
      if (activityAt(argActivity, i) == Activity::Dup)
        inputs.push_back(type);
    }
    for (auto [i, type] : llvm::enumerate(resTypes)) {
      Activity activity = activityAt(retActivity, i);
      if (activity != Activity::DupNoNeed)
        outputs.push_back(type);
      if (activity == Activity::Dup || activity == Activity::DupNoNeed)
        outputs.push_back(type);
    }
    return;
  }

  // Reverse mode, whole or split. Primal arguments (and shadows, unless the
  // tape carries the forward state), then cotangents. The reverse half of a
  // split derivative takes the arrays (tensors, buffers) again: it reads
  // what the primal read from them instead of recording it.
  if (mode == Mode::ReverseSplit)
    inputs.push_back(tape);
  for (auto [i, type] : llvm::enumerate(argTypes)) {
    if (mode != Mode::ReverseSplit || isArrayType(type))
      inputs.push_back(type);
    if (mode != Mode::Augmented && activityAt(argActivity, i) == Activity::Dup)
      inputs.push_back(type);
  }
  for (auto [i, type] : llvm::enumerate(resTypes)) {
    Activity activity = activityAt(retActivity, i);
    bool active =
        activity == Activity::Active || activity == Activity::ActiveNoNeed;
    if (active && mode != Mode::Augmented)
      inputs.push_back(type);
    if (activity != Activity::ActiveNoNeed && mode != Mode::ReverseSplit)
      outputs.push_back(type);
  }
  if (mode == Mode::Augmented) {
    outputs.push_back(tape);
    return;
  }
  for (auto [i, type] : llvm::enumerate(argTypes))
    if (activityAt(argActivity, i) == Activity::Active)
      outputs.push_back(type);
}

static std::string describeTypes(TypeRange types) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << '(';
  llvm::interleaveComma(types, os);
  os << ')';
  return text;
}

static LogicalResult verifyAgainstCallee(Operation *op, Mode mode,
                                         FlatSymbolRefAttr callee,
                                         ArrayAttr argActivity,
                                         ArrayAttr retActivity,
                                         SymbolTableCollection &symbolTable) {
  Operation *target = symbolTable.lookupNearestSymbolFrom(op, callee);
  if (!target)
    return op->emitOpError() << "callee " << callee
                             << " does not reference a symbol";
  auto fn = dyn_cast<FunctionOpInterface>(target);
  if (!fn)
    return op->emitOpError() << "callee " << callee
                             << " does not reference a function";
  ArrayRef<Type> argTypes = fn.getArgumentTypes();
  ArrayRef<Type> resTypes = fn.getResultTypes();
  if (argActivity.size() != argTypes.size())
    return op->emitOpError()
           << "has " << argActivity.size() << " argument activities but "
           << callee << " takes " << argTypes.size() << " arguments";
  if (retActivity.size() != resTypes.size())
    return op->emitOpError()
           << "has " << retActivity.size() << " result activities but "
           << callee << " returns " << resTypes.size() << " results";
  for (auto [isResult, types, list] :
       {std::tuple{false, argTypes, argActivity},
        std::tuple{true, resTypes, retActivity}})
    for (auto [i, type] : llvm::enumerate(types))
      if (failed(verifyActivityType(op, mode, isResult, i,
                                    cast<ActivityAttr>(list[i]).getValue(),
                                    type)))
        return failure();

  SmallVector<Type> inputs, outputs;
  expectedSignature(mode, argTypes, resTypes, argActivity, retActivity, inputs,
                    outputs);
  if (TypeRange(inputs) != op->getOperandTypes())
    return op->emitOpError()
           << "operand types " << describeTypes(op->getOperandTypes())
           << " do not match " << describeTypes(inputs)
           << ", expected from the signature of " << callee
           << " and the activities";
  if (TypeRange(outputs) != op->getResultTypes())
    return op->emitOpError()
           << "result types " << describeTypes(op->getResultTypes())
           << " do not match " << describeTypes(outputs)
           << ", expected from the signature of " << callee
           << " and the activities";
  return success();
}

LogicalResult AutodiffOp::verify() {
  return verifyActivities(*this, Mode::Reverse, getArgActivity(),
                          getRetActivity());
}

LogicalResult
AutodiffOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  return verifyAgainstCallee(*this, Mode::Reverse, getCalleeAttr(),
                             getArgActivity(), getRetActivity(), symbolTable);
}

LogicalResult FwddiffOp::verify() {
  return verifyActivities(*this, Mode::Forward, getArgActivity(),
                          getRetActivity());
}

LogicalResult
FwddiffOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  return verifyAgainstCallee(*this, Mode::Forward, getCalleeAttr(),
                             getArgActivity(), getRetActivity(), symbolTable);
}

LogicalResult AugmentedOp::verify() {
  return verifyActivities(*this, Mode::Augmented, getArgActivity(),
                          getRetActivity());
}

LogicalResult
AugmentedOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  return verifyAgainstCallee(*this, Mode::Augmented, getCalleeAttr(),
                             getArgActivity(), getRetActivity(), symbolTable);
}

LogicalResult ReverseOp::verify() {
  return verifyActivities(*this, Mode::ReverseSplit, getArgActivity(),
                          getRetActivity());
}

LogicalResult
ReverseOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  return verifyAgainstCallee(*this, Mode::ReverseSplit, getCalleeAttr(),
                             getArgActivity(), getRetActivity(), symbolTable);
}

//===----------------------------------------------------------------------===//
// Tapes
//===----------------------------------------------------------------------===//

static LogicalResult verifyTapeElement(Operation *op, TapeType tape,
                                       Type type, StringRef what) {
  if (tape.holds(type))
    return success();
  if (tape.getElementTypes().empty())
    return op->emitOpError() << what << " type " << type
                             << " is not an integer, index or float of at "
                                "most 64 bits, or a statically shaped tensor "
                                "or identity-layout memref of them";
  return op->emitOpError() << what << " type " << type
                           << " is not an element type of " << tape;
}

LogicalResult TapePushOp::verify() {
  return verifyTapeElement(*this, getTape().getType(), getValue().getType(),
                           "pushed");
}

LogicalResult TapePopOp::verify() {
  return verifyTapeElement(*this, getTape().getType(), getValue().getType(),
                           "popped");
}

/// True if `tape` is made by a dp.tape.init and only pushed to, popped from
/// and freed: nobody rewinds it, and it does not escape into a call.
static bool isPrivateTape(Value tape) {
  if (!tape.getDefiningOp<TapeInitOp>())
    return false;
  return llvm::all_of(tape.getUsers(), [](Operation *user) {
    return isa<TapePushOp, TapePopOp, TapeFreeOp>(user);
  });
}

namespace {
/// push %t, %v immediately followed by pop %t: the pop yields %v. Once a
/// derivative is inlined next to its primal, this keeps values the forward
/// sweep computes at top level in registers instead of a round trip
/// through the tape.
struct ForwardPushToPop : public OpRewritePattern<TapePopOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TapePopOp pop,
                                PatternRewriter &rewriter) const override {
    auto push = dyn_cast_or_null<TapePushOp>(pop->getPrevNode());
    if (!push || push.getTape() != pop.getTape() ||
        push.getValue().getType() != pop.getType())
      return rewriter.notifyMatchFailure(pop, "not right after a push");
    if (!isPrivateTape(pop.getTape()))
      return rewriter.notifyMatchFailure(pop, "the tape may be rewound");
    rewriter.replaceOp(pop, push.getValue());
    rewriter.eraseOp(push);
    return success();
  }
};

/// A tape that is created and freed, and nothing else, is not needed.
struct EraseUnusedTape : public OpRewritePattern<TapeFreeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TapeFreeOp free,
                                PatternRewriter &rewriter) const override {
    auto init = free.getTape().getDefiningOp<TapeInitOp>();
    if (!init || !free.getTape().hasOneUse())
      return rewriter.notifyMatchFailure(free, "the tape is used");
    rewriter.eraseOp(free);
    rewriter.eraseOp(init);
    return success();
  }
};
} // namespace

void TapePopOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<ForwardPushToPop>(context);
}

void TapeFreeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                             MLIRContext *context) {
  results.add<EraseUnusedTape>(context);
}
