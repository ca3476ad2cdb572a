//===- Linalg.cpp - StableHLO export of linalg ops ------------------------===//
//
// Contractions (matmul, matvec, vecmat, dot, batch_matmul, and generics
// that multiply and add) are one dot_general, never loops. Other
// structured ops whose indexing maps are projected permutations run their
// scalar body elementwise on the iteration space: inputs broadcast into it
// (broadcast_in_dim, which also transposes), reductions through
// stablehlo.reduce with the combiner's identity, the output's initial value
// combined last; results transpose back to the output's layout.
//
//===----------------------------------------------------------------------===//

#include "passes/stablehlo/Emitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/SaveAndRestore.h"

#include <limits>

using namespace mlir;
using namespace mlir::dp::stablehlo;

namespace {
/// A reduction's combiner: the StableHLO op and its identity.
struct Combiner {
  StringRef op;
  double identity;
};
} // namespace

static std::optional<Combiner> combinerOf(Operation *op) {
  double inf = std::numeric_limits<double>::infinity();
  return llvm::StringSwitch<std::optional<Combiner>>(
             op->getName().getStringRef())
      .Cases({"arith.addf", "arith.addi"}, Combiner{"add", 0})
      .Cases({"arith.mulf", "arith.muli"}, Combiner{"multiply", 1})
      .Case("arith.maximumf", Combiner{"maximum", -inf})
      .Case("arith.minimumf", Combiner{"minimum", inf})
      .Case("arith.maxsi", Combiner{"maximum", -9.2233720368547758e18})
      .Case("arith.minsi", Combiner{"minimum", 9.2233720368547758e18})
      .Case("arith.ori", Combiner{"or", 0})
      .Case("arith.xori", Combiner{"xor", 0})
      .Case("arith.andi", Combiner{"and", 1})
      .Default(std::nullopt);
}

static Value identityOf(Emitter &e, const Combiner &c, Type element) {
  if (auto i = dyn_cast<IntegerType>(element)) {
    if (c.op == "maximum")
      return e.intConstant(std::numeric_limits<int64_t>::min() >>
                               (64 - i.getWidth()),
                           element);
    if (c.op == "minimum")
      return e.intConstant(std::numeric_limits<int64_t>::max() >>
                               (64 - i.getWidth()),
                           element);
    if (c.op == "and")
      return e.intConstant(-1, element);
  }
  return e.scalarConstant(element, c.identity);
}

/// stablehlo.reduce of `x` over `dims` with `c`.
static Value reduce(Emitter &e, const Combiner &c, Value x,
                    ArrayRef<int64_t> dims) {
  auto type = cast<RankedTensorType>(x.getType());
  Type element = type.getElementType();
  SmallVector<int64_t> shape;
  for (auto [i, size] : llvm::enumerate(type.getShape()))
    if (!llvm::is_contained(dims, (int64_t)i))
      shape.push_back(size);
  Value init = identityOf(e, c, element);
  auto scalar = RankedTensorType::get({}, element);
  Operation *red = e.opN("reduce", {x, init},
                         TypeRange{RankedTensorType::get(shape, element)},
                         {e.i64s("dimensions", dims)}, /*regions=*/1);
  (void)e.emitRegion(red->getRegion(0), {scalar, scalar}, [&](Block &b) {
    Value r = e.op(c.op, {b.getArgument(0), b.getArgument(1)}, scalar);
    e.opN("return", r, {});
    return success();
  });
  return red->getResult(0);
}

/// Loop dims of `map`'s results, or nothing if it is not a projected
/// permutation.
static std::optional<SmallVector<int64_t>> loopDims(AffineMap map) {
  if (!map.isProjectedPermutation())
    return std::nullopt;
  SmallVector<int64_t> dims;
  for (AffineExpr r : map.getResults())
    dims.push_back(cast<AffineDimExpr>(r).getPosition());
  return dims;
}

/// Moves `x`, laid out by loop dims `from`, into the order `to` (a
/// permutation of `from`).
static Value permute(Emitter &e, Value x, ArrayRef<int64_t> from,
                     ArrayRef<int64_t> to) {
  if (from == to)
    return x;
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> perm, shape;
  for (int64_t d : to) {
    int64_t pos = llvm::find(from, d) - from.begin();
    perm.push_back(pos);
    shape.push_back(type.getDimSize(pos));
  }
  return e.op("transpose", x,
              RankedTensorType::get(shape, type.getElementType()),
              {e.i64s("permutation", perm)});
}

static LogicalResult emitContraction(Emitter &e, linalg::LinalgOp op,
                                     const linalg::ContractionDimensions &cd) {
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  auto lhsDims = loopDims(maps[0]), rhsDims = loopDims(maps[1]),
       outDims = loopDims(maps[2]);
  if (!lhsDims || !rhsDims || !outDims)
    return e.unsupported(op, "its indexing maps are not permutations");
  auto position = [](ArrayRef<int64_t> dims, unsigned d) {
    return (int64_t)(llvm::find(dims, (int64_t)d) - dims.begin());
  };
  SmallVector<int64_t> lb, rb, lc, rc, resultDims;
  for (unsigned d : cd.batch) {
    lb.push_back(position(*lhsDims, d));
    rb.push_back(position(*rhsDims, d));
    resultDims.push_back(d);
  }
  for (unsigned d : cd.k) {
    lc.push_back(position(*lhsDims, d));
    rc.push_back(position(*rhsDims, d));
  }
  for (int64_t d : *lhsDims)
    if (llvm::is_contained(cd.m, d))
      resultDims.push_back(d);
  for (int64_t d : *rhsDims)
    if (llvm::is_contained(cd.n, d))
      resultDims.push_back(d);
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<int64_t> shape;
  for (int64_t d : resultDims)
    shape.push_back(ranges[d]);
  Value init = e.lookup(op.getDpsInits()[0]);
  Type element = cast<RankedTensorType>(init.getType()).getElementType();
  auto list = [](ArrayRef<int64_t> v) {
    std::string s = "[";
    for (auto [i, x] : llvm::enumerate(v))
      s += (i ? ", " : "") + std::to_string(x);
    return s + "]";
  };
  std::string numbers = "dot<lhs_batching_dimensions = " + list(lb) +
                        ", rhs_batching_dimensions = " + list(rb) +
                        ", lhs_contracting_dimensions = " + list(lc) +
                        ", rhs_contracting_dimensions = " + list(rc) + ">";
  Value lhs = e.lookup(op.getDpsInputs()[0]),
        rhs = e.lookup(op.getDpsInputs()[1]);
  Value dot = e.op("dot_general", {lhs, rhs},
                   RankedTensorType::get(shape, element),
                   {e.attr("dot_dimension_numbers", e.opaque(numbers))});
  dot = permute(e, dot, resultDims, *outDims);
  e.map(op->getResult(0), e.op("add", {init, dot}, init.getType()));
  return success();
}

/// A contraction's body: out + lhs * rhs, in floats.
static bool multipliesAndAdds(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add)
    return false;
  for (Value v : add->getOperands())
    if (auto mul = v.getDefiningOp<arith::MulFOp>())
      return llvm::is_contained(add->getOperands(), body->getArgument(2)) &&
             mul->getOperand(0) == body->getArgument(0) &&
             mul->getOperand(1) == body->getArgument(1);
  return false;
}

static LogicalResult emitStructured(Emitter &e, linalg::LinalgOp op) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (ShapedType::isDynamicShape(ranges))
    return e.unsupported(op, "its loop ranges are not compile-time constants");
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<int64_t> reductionDims, parallelDims;
  for (auto [i, it] : llvm::enumerate(iterators))
    (it == utils::IteratorType::reduction ? reductionDims : parallelDims)
        .push_back(i);
  Block *body = op.getBlock();
  SmallVector<Value> args;
  for (OpOperand &input : op->getOpOperands()) {
    Value v = e.lookup(input.get());
    AffineMap map = op.getMatchingIndexingMap(&input);
    auto dims = loopDims(map);
    if (!dims)
      return e.unsupported(op, "an indexing map is not a projected "
                               "permutation (a gather or stencil)");
    if (op.isDpsInit(&input))
      break;
    args.push_back(e.broadcastTo(v, ranges, *dims));
  }
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  SmallVector<std::optional<Combiner>> combiners;
  for (OpOperand &init : op.getDpsInitsMutable()) {
    BlockArgument outArg = op.getMatchingBlockArgument(&init);
    Value initValue = e.lookup(init.get());
    Type element = cast<RankedTensorType>(initValue.getType()).getElementType();
    if (reductionDims.empty()) {
      auto dims = loopDims(op.getMatchingIndexingMap(&init));
      args.push_back(e.broadcastTo(initValue, ranges, *dims));
      combiners.push_back(std::nullopt);
      continue;
    }
    // out = combine(out, x): with out the combiner's identity, the body
    // yields x.
    Value yielded = yield.getOperand(init.getOperandNumber() -
                                     op.getNumDpsInputs());
    Operation *combine = yielded.getDefiningOp();
    std::optional<Combiner> c =
        combine ? combinerOf(combine) : std::optional<Combiner>();
    if (!c || !llvm::is_contained(combine->getOperands(), outArg) ||
        !outArg.hasOneUse())
      return e.unsupported(op, "its reduction is not one add, multiply, "
                               "maximum, minimum or logical op of the "
                               "accumulator");
    args.push_back(e.broadcastTo(identityOf(e, *c, element), ranges, {}));
    combiners.push_back(c);
  }
  FailureOr<SmallVector<Value>> results = e.emitElementwiseBody(*body, args);
  if (failed(results))
    return failure();
  for (auto [i, init] : llvm::enumerate(op.getDpsInits())) {
    auto outDims = *loopDims(op.getIndexingMapsArray()[op.getNumDpsInputs() + i]);
    Value r = (*results)[i];
    SmallVector<int64_t> kept = parallelDims;
    if (!reductionDims.empty())
      r = reduce(e, *combiners[i], r, reductionDims);
    else
      kept = llvm::to_vector(llvm::seq<int64_t>(0, ranges.size()));
    r = permute(e, r, kept, outDims);
    if (combiners[i]) {
      Value initValue = e.lookup(init);
      r = e.op(combiners[i]->op, {initValue, r}, initValue.getType());
    }
    e.map(op->getResult(i), r);
  }
  return success();
}

LogicalResult Emitter::emitLinalg(Operation *op, bool &handled) {
  if (op->getName().getDialectNamespace() != "linalg")
    return success();
  handled = true;
  if (auto fill = dyn_cast<linalg::FillOp>(op)) {
    auto type = cast<RankedTensorType>(convertType(fill.getResult(0).getType()));
    map(fill.getResult(0),
        broadcastTo(convert(lookup(fill.getInputs()[0]), type.getElementType()),
                    type.getShape(), {}));
    return success();
  }
  if (auto bcast = dyn_cast<linalg::BroadcastOp>(op)) {
    auto type = cast<RankedTensorType>(convertType(bcast.getResult()[0].getType()));
    SmallVector<int64_t> kept;
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (!llvm::is_contained(bcast.getDimensions(), d))
        kept.push_back(d);
    map(bcast.getResult()[0],
        broadcastTo(lookup(bcast.getInput()), type.getShape(), kept));
    return success();
  }
  if (auto transpose = dyn_cast<linalg::TransposeOp>(op)) {
    auto type = convertType(transpose.getResult()[0].getType());
    map(transpose.getResult()[0],
        this->op("transpose", lookup(transpose.getInput()), type,
                 {i64s("permutation", transpose.getPermutation())}));
    return success();
  }
  if (auto copy = dyn_cast<linalg::CopyOp>(op)) {
    map(copy.getResult(0), lookup(copy.getInputs()[0]));
    return success();
  }
  auto structured = dyn_cast<linalg::LinalgOp>(op);
  if (!structured || !structured.hasPureTensorSemantics())
    return unsupported(op, "StableHLO export has no form of this linalg "
                           "operation");
  if (linalg::isaContractionOpInterface(structured) &&
      structured.getNumDpsInputs() == 2 && multipliesAndAdds(structured)) {
    FailureOr<linalg::ContractionDimensions> dims =
        linalg::inferContractionDims(structured);
    if (succeeded(dims))
      return emitContraction(*this, structured, *dims);
  }
  return emitStructured(*this, structured);
}

FailureOr<SmallVector<Value>> Emitter::emitElementwiseBody(Block &body,
                                                           ValueRange args) {
  auto shape = cast<RankedTensorType>(args.front().getType()).getShape();
  llvm::SaveAndRestore<std::optional<SmallVector<int64_t>>> saved(
      bodyShape, SmallVector<int64_t>(shape));
  for (auto [arg, value] : llvm::zip(body.getArguments(), args))
    map(arg, value);
  for (Operation &inner : body.without_terminator()) {
    loc = inner.getLoc();
    if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
      map(index.getResult(),
          this->op("iota", {}, RankedTensorType::get(shape, builder.getI64Type()),
                   {attr("iota_dimension",
                         builder.getI64IntegerAttr(index.getDim()))}));
      continue;
    }
    if (inner.getName().getDialectNamespace() != "arith" &&
        inner.getName().getDialectNamespace() != "math")
      return unsupported(&inner, "StableHLO export runs the bodies of "
                                 "structured ops elementwise, and this op is "
                                 "not elementwise");
    bool handled = false;
    if (failed(emitArithMath(&inner, handled)))
      return failure();
  }
  SmallVector<Value> results;
  for (Value v : body.getTerminator()->getOperands())
    results.push_back(operandAt(v));
  return results;
}
