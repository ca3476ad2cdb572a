//===- CheckInput.cpp - refuse IR that crashes or floods upstream MLIR ----===//
//
// Upstream MLIR 22 asserts, or works without bound, on some IR that parses
// and verifies: huge shapes (folders and lowerings build one value per
// element), huge vectors (the LLVM lowering unrolls them), a
// tensor.from_elements of ub.poison (its folder asserts), a tensor.pad whose
// static padding is the dynamic marker (its printer asserts). The dp pipelines
// and dp-opt run this check first, so that such input ends in a diagnostic
// at the op and not in an abort of the user's process.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"

namespace mlir::dp {
#define GEN_PASS_DEF_DPCHECKINPUT
#include "passes/Passes.h.inc"
} // namespace mlir::dp

using namespace mlir;

/// The number of elements of a ranked shape with its dynamic sizes left out,
/// saturating at UINT64_MAX (dimensions such as 2^40 x 2^40 overflow).
static uint64_t staticElementCount(ShapedType type) {
  ArrayRef<int64_t> shape = type.getShape();
  if (llvm::is_contained(shape, 0))
    return 0;
  uint64_t count = 1;
  for (int64_t size : shape) {
    if (ShapedType::isDynamic(size))
      continue;
    if (count > UINT64_MAX / static_cast<uint64_t>(size))
      return UINT64_MAX;
    count *= static_cast<uint64_t>(size);
  }
  return count;
}

namespace {
struct CheckInputPass : public dp::impl::DpCheckInputBase<CheckInputPass> {
  using Base::Base;

  /// Why `type` itself breaks a limit, or an empty string.
  std::string whyOversized(Type type) const {
    auto shaped = dyn_cast<ShapedType>(type);
    if (!shaped || !shaped.hasRank())
      return {};
    uint64_t count = staticElementCount(shaped);
    std::string why;
    llvm::raw_string_ostream os(why);
    if (maxElements && count > maxElements)
      os << "has " << count << " elements, more than the limit of "
         << maxElements << " (max-elements)";
    else if (isa<VectorType>(type) && maxVectorElements &&
             count > maxVectorElements)
      os << "has " << count << " elements, more than the "
         << maxVectorElements
         << " that the LLVM lowering may unroll (max-vector-elements)";
    return why;
  }

  /// The first type in `root` (a type, or an attribute such as a function
  /// signature or a constant) that breaks a limit, or null; `why` says how.
  template <typename TypeOrAttr>
  Type findOversized(TypeOrAttr root, std::string &why) const {
    Type bad;
    root.walk([&](Type type) {
      why = whyOversized(type);
      if (why.empty())
        return WalkResult::advance();
      bad = type;
      return WalkResult::interrupt();
    });
    return bad;
  }

  /// Reports an oversized type in `root` as an error at `op`; `what` says
  /// where in `op` it sits.
  template <typename TypeOrAttr>
  LogicalResult check(Operation *op, TypeOrAttr root, const Twine &what) const {
    std::string why;
    Type bad = findOversized(root, why);
    if (!bad)
      return success();
    op->emitOpError() << what << ": type " << bad << " " << why;
    return failure();
  }

  /// tensor.from_elements folds its constant elements into a
  /// DenseElementsAttr, which asserts on a ub.poison element.
  static LogicalResult checkFromElements(tensor::FromElementsOp op) {
    for (auto [index, element] : llvm::enumerate(op.getElements())) {
      Attribute value;
      if (matchPattern(element, m_Constant(&value)) &&
          isa<ub::PoisonAttrInterface>(value))
        return op.emitOpError()
               << "element #" << index
               << " is ub.poison, on which the upstream folder of "
                  "tensor.from_elements asserts; use a defined value";
    }
    return success();
  }

  /// tensor.pad parses the literal -9223372036854775808 in `low`/`high` as
  /// a static value, but it is ShapedType::kDynamic, the marker of a value
  /// given by an operand; its printer and folders then index operands that
  /// do not exist (its verifier does not count them).
  static LogicalResult checkPad(tensor::PadOp op) {
    auto countDynamic = [](ArrayRef<int64_t> sizes) {
      return static_cast<size_t>(llvm::count(sizes, ShapedType::kDynamic));
    };
    if (countDynamic(op.getStaticLow()) == op.getLow().size() &&
        countDynamic(op.getStaticHigh()) == op.getHigh().size())
      return success();
    return op.emitOpError()
           << "has a static padding of " << ShapedType::kDynamic
           << ", the value MLIR reserves for a dynamic one; upstream code "
              "then reads operands that do not exist";
  }

  /// The first limit `op` breaks, as an error at `op`.
  LogicalResult checkOp(Operation *op) const {
    for (auto [index, type] : llvm::enumerate(op->getResultTypes()))
      if (failed(check(op, type, "result #" + Twine(index))))
        return failure();
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument argument : block.getArguments())
          if (failed(check(op, argument.getType(),
                           "block argument #" +
                               Twine(argument.getArgNumber()))))
            return failure();
    if (failed(check(op, op->getAttrDictionary(), "attribute")))
      return failure();
    if (auto fromElements = dyn_cast<tensor::FromElementsOp>(op))
      return checkFromElements(fromElements);
    if (auto pad = dyn_cast<tensor::PadOp>(op))
      return checkPad(pad);
    return success();
  }

  /// Stops at the first error: an oversized type usually recurs in every op
  /// that touches the value, and one error names it.
  void runOnOperation() override {
    WalkResult result = getOperation()->walk([&](Operation *op) {
      return failed(checkOp(op)) ? WalkResult::interrupt()
                                 : WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
