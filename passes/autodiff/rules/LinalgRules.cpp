//===- LinalgRules.cpp - derivative rules of the linalg dialect ------------===//
//
// The named structured ops an array program uses: fill, broadcast, reduce,
// transpose and the matrix products. Operands are the ins, then the outs
// (inits). An init that the op overwrites (fill, broadcast, transpose) gets
// no derivative; one it accumulates into (reduce, the products) gets the
// result's. The derivatives of array ops are array ops again: the adjoint
// of a matrix product is two matrix products, of a broadcast a reduction.
//
//===----------------------------------------------------------------------===//

#include "passes/autodiff/Rules.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::dp::autodiff;

static ShapedType shapedType(Value value) {
  return cast<ShapedType>(value.getType());
}

/// `a + b` where either may be null (zero).
static Value sum(RuleBuilder &rb, Value a, Value b) {
  if (!a)
    return b;
  if (!b)
    return a;
  return rb.add(a, b);
}

/// The combining op of a linalg.reduce: the single op that computes the
/// yielded value from the two block arguments.
static Operation *combiner(linalg::ReduceOp op) {
  Block &body = op.getCombiner().front();
  Operation *yield = body.getTerminator();
  if (body.getOperations().size() != 2 || yield->getNumOperands() != 1)
    return nullptr;
  return yield->getOperand(0).getDefiningOp();
}

static void registerFill(RuleRegistry &registry) {
  registry.addCustom(
      linalg::FillOp::getOperationName(),
      [](RuleBuilder &rb, ArrayRef<Value> tangents, SmallVectorImpl<Value> &out) {
        Value result = rb.getOp()->getResult(0);
        if (!tangents[0]) {
          out.assign({Value()});
          return;
        }
        out.assign({linalg::FillOp::create(rb.b(), rb.loc(), ValueRange{tangents[0]},
                                           ValueRange{rb.empty(shapedType(result))})
                        .getResult(0)});
      },
      [](RuleBuilder &rb, ArrayRef<Value> adjoints, SmallVectorImpl<Value> &out) {
        if (!adjoints[0] || !rb.isActiveOperand(0))
          return;
        int64_t rank = shapedType(adjoints[0]).getRank();
        Value total = rb.reduceSum(adjoints[0], llvm::to_vector(llvm::seq<int64_t>(0, rank)));
        out[0] = tensor::ExtractOp::create(rb.b(), rb.loc(), total, ValueRange{});
      });
}

static void registerBroadcast(RuleRegistry &registry) {
  registry.addCustom(
      linalg::BroadcastOp::getOperationName(),
      [](RuleBuilder &rb, ArrayRef<Value> tangents, SmallVectorImpl<Value> &out) {
        auto op = cast<linalg::BroadcastOp>(rb.getOp());
        out.assign({tangents[0] ? rb.broadcast(tangents[0], shapedType(op->getResult(0)),
                                               op.getDimensions())
                                : Value()});
      },
      [](RuleBuilder &rb, ArrayRef<Value> adjoints, SmallVectorImpl<Value> &out) {
        auto op = cast<linalg::BroadcastOp>(rb.getOp());
        if (adjoints[0] && rb.isActiveOperand(0))
          out[0] = rb.reduceSum(adjoints[0], op.getDimensions());
      });
}

static void registerTranspose(RuleRegistry &registry) {
  registry.addCustom(
      linalg::TransposeOp::getOperationName(),
      [](RuleBuilder &rb, ArrayRef<Value> tangents, SmallVectorImpl<Value> &out) {
        auto op = cast<linalg::TransposeOp>(rb.getOp());
        out.assign({tangents[0] ? rb.transpose(tangents[0], op.getPermutation()) : Value()});
      },
      [](RuleBuilder &rb, ArrayRef<Value> adjoints, SmallVectorImpl<Value> &out) {
        auto op = cast<linalg::TransposeOp>(rb.getOp());
        if (!adjoints[0] || !rb.isActiveOperand(0))
          return;
        ArrayRef<int64_t> perm = op.getPermutation();
        SmallVector<int64_t> inverse(perm.size());
        for (auto [i, p] : llvm::enumerate(perm))
          inverse[p] = i;
        out[0] = rb.transpose(adjoints[0], inverse);
      });
}

/// The kinds of linalg.reduce with a rule: one input, one init, and a body
/// that combines the two block arguments with one op.
enum class Combiner { Sum, Product, Extremum, Unknown };

static Combiner combinerKind(Operation *op) {
  auto reduce = cast<linalg::ReduceOp>(op);
  if (reduce.getInputs().size() != 1 || reduce.getInits().size() != 1)
    return Combiner::Unknown;
  Operation *combine = combiner(reduce);
  Block &body = reduce.getCombiner().front();
  if (!combine || combine->getNumOperands() != 2 ||
      !llvm::is_contained(combine->getOperands(), body.getArgument(0)) ||
      !llvm::is_contained(combine->getOperands(), body.getArgument(1)))
    return Combiner::Unknown;
  if (isa<arith::AddFOp>(combine))
    return Combiner::Sum;
  if (isa<arith::MulFOp>(combine))
    return Combiner::Product;
  if (isa<arith::MaximumFOp, arith::MinimumFOp, arith::MaxNumFOp,
          arith::MinNumFOp>(combine))
    return Combiner::Extremum;
  return Combiner::Unknown;
}

/// Derivatives of a reduction with respect to its input and init, as the
/// factors that multiply the (broadcast) result adjoint or tangent:
///   sum:      1 for both;
///   product:  the product of the other factors (with zeros handled: no
///             division by a zero input);
///   max/min:  1/k for each of the k elements (init included) equal to the
///             result, 0 elsewhere, as JAX splits ties.
struct ReduceFactors {
  Value input; // shaped like the input
  Value init;  // shaped like the init (the result)
};

static ReduceFactors reduceFactors(RuleBuilder &rb, Combiner kind) {
  auto op = cast<linalg::ReduceOp>(rb.getOp());
  ArrayRef<int64_t> dims = op.getDimensions();
  ShapedType inputType = shapedType(op.getInputs()[0]);
  ShapedType resultType = shapedType(op->getResult(0));
  Value x = rb.operand(0);
  Value init = rb.operand(1);
  Value y = rb.result(0);
  Value zeroX = rb.zero(inputType), oneX = rb.constant(inputType, 1.0);
  auto select = [&](Value c, Value a, Value b) -> Value {
    return arith::SelectOp::create(rb.b(), rb.loc(), c, a, b);
  };
  auto equal = [&](Value a, Value b) -> Value {
    return arith::CmpFOp::create(rb.b(), rb.loc(), arith::CmpFPredicate::OEQ, a, b);
  };
  if (kind == Combiner::Product) {
    // y = init * prod(x). With z zeros among x: z = 0 gives y / x; z = 1
    // gives the product of the nonzero factors at the zero and 0 elsewhere;
    // z > 1 gives 0 everywhere.
    Value isZero = equal(x, zeroX);
    Value nonzero = select(isZero, oneX, x);
    Value nonzeroProduct = linalg::ReduceOp::create(
                               rb.b(), rb.loc(), ValueRange{nonzero},
                               ValueRange{linalg::FillOp::create(
                                              rb.b(), rb.loc(),
                                              ValueRange{rb.constant(resultType.getElementType(), 1.0)},
                                              ValueRange{rb.empty(resultType)})
                                              .getResult(0)},
                               dims,
                               [](OpBuilder &b, Location loc, ValueRange args) {
                                 linalg::YieldOp::create(
                                     b, loc, Value(arith::MulFOp::create(b, loc, args[0], args[1])));
                               })
                               .getResult(0);
    Value zeros = rb.reduceSum(select(isZero, oneX, zeroX), dims);
    Value zerosX = rb.broadcast(zeros, inputType, dims);
    Value othersX = rb.mul(rb.broadcast(rb.mul(nonzeroProduct, init), inputType, dims),
                           select(isZero, oneX, rb.div(oneX, nonzero)));
    Value none = equal(zerosX, zeroX), one = equal(zerosX, oneX);
    Value inputFactor =
        select(none, rb.div(rb.broadcast(y, inputType, dims), select(isZero, oneX, x)),
               select(one, select(isZero, othersX, zeroX), zeroX));
    Value zeroY = rb.zero(resultType);
    Value initFactor = select(equal(zeros, zeroY), nonzeroProduct, zeroY);
    return {inputFactor, initFactor};
  }
  // Extremum: split among the elements equal to the result.
  Value yX = rb.broadcast(y, inputType, dims);
  Value pickedX = equal(x, yX);
  Value pickedInit = equal(init, y);
  Value oneY = rb.constant(resultType, 1.0), zeroY = rb.zero(resultType);
  Value count = rb.add(rb.reduceSum(select(pickedX, oneX, zeroX), dims),
                       select(pickedInit, oneY, zeroY));
  Value share = rb.div(oneY, count);
  return {select(pickedX, rb.broadcast(share, inputType, dims), zeroX),
          select(pickedInit, share, zeroY)};
}

static void registerReduce(RuleRegistry &registry) {
  registry.addCustom(
      linalg::ReduceOp::getOperationName(),
      [](RuleBuilder &rb, ArrayRef<Value> tangents, SmallVectorImpl<Value> &out) {
        auto op = cast<linalg::ReduceOp>(rb.getOp());
        Combiner kind = combinerKind(op);
        ArrayRef<int64_t> dims = op.getDimensions();
        if (kind == Combiner::Sum) {
          Value reduced = tangents[0] ? rb.reduceSum(tangents[0], dims) : Value();
          out.assign({sum(rb, reduced, tangents[1])});
          return;
        }
        ReduceFactors factors = reduceFactors(rb, kind);
        Value result;
        if (tangents[0])
          result = rb.reduceSum(rb.mul(factors.input, tangents[0]), dims);
        if (tangents[1])
          result = sum(rb, result, rb.mul(factors.init, tangents[1]));
        out.assign({result});
      },
      [](RuleBuilder &rb, ArrayRef<Value> adjoints, SmallVectorImpl<Value> &out) {
        auto op = cast<linalg::ReduceOp>(rb.getOp());
        Value adjoint = adjoints[0];
        if (!adjoint)
          return;
        Combiner kind = combinerKind(op);
        ArrayRef<int64_t> dims = op.getDimensions();
        ShapedType inputType = shapedType(op.getInputs()[0]);
        Value spread = rb.isActiveOperand(0) ? rb.broadcast(adjoint, inputType, dims) : Value();
        if (kind == Combiner::Sum) {
          out[0] = spread;
          if (rb.isActiveOperand(1))
            out[1] = adjoint;
          return;
        }
        ReduceFactors factors = reduceFactors(rb, kind);
        if (spread)
          out[0] = rb.mul(spread, factors.input);
        if (rb.isActiveOperand(1))
          out[1] = rb.mul(adjoint, factors.init);
      },
      [](Operation *op) { return combinerKind(op) != Combiner::Unknown; });
}

/// Matrix products c = init + a * b, with `product` building the primal op
/// on other operands, and the adjoint rules `dA(adj, b)`, `dB(a, adj)`.
using Product = std::function<Value(RuleBuilder &, Value, Value)>;

static void registerProduct(RuleRegistry &registry, StringRef name,
                            Product product, Product adjointA,
                            Product adjointB) {
  registry.addCustom(
      name,
      [=](RuleBuilder &rb, ArrayRef<Value> tangents, SmallVectorImpl<Value> &out) {
        Value result = tangents[2];
        if (tangents[0])
          result = sum(rb, result, product(rb, tangents[0], rb.operand(1)));
        if (tangents[1])
          result = sum(rb, result, product(rb, rb.operand(0), tangents[1]));
        out.assign({result});
      },
      [=](RuleBuilder &rb, ArrayRef<Value> adjoints, SmallVectorImpl<Value> &out) {
        Value adjoint = adjoints[0];
        if (!adjoint)
          return;
        if (rb.isActiveOperand(0))
          out[0] = adjointA(rb, adjoint, rb.operand(1));
        if (rb.isActiveOperand(1))
          out[1] = adjointB(rb, rb.operand(0), adjoint);
        if (rb.isActiveOperand(2))
          out[2] = adjoint;
      });
}

/// A named product op with a zero-filled init, for the adjoint formulas.
template <typename OpTy>
static Value product(RuleBuilder &rb, Value a, Value b, ShapedType resultType) {
  Value init = linalg::FillOp::create(rb.b(), rb.loc(), ValueRange{rb.zero(resultType.getElementType())},
                                      ValueRange{rb.empty(resultType)})
                   .getResult(0);
  return OpTy::create(rb.b(), rb.loc(), TypeRange{resultType}, ValueRange{a, b},
                      ValueRange{init})
      .getResult(0);
}

static RankedTensorType vectorType(Value v, int64_t size) {
  return RankedTensorType::get({size}, shapedType(v).getElementType());
}

/// outer(u, v)[i, j] = u[i] * v[j].
static Value outer(RuleBuilder &rb, Value u, Value v) {
  auto type = RankedTensorType::get({shapedType(u).getDimSize(0), shapedType(v).getDimSize(0)},
                                    shapedType(u).getElementType());
  return rb.mul(rb.broadcast(u, type, {1}), rb.broadcast(v, type, {0}));
}

void mlir::dp::autodiff::registerLinalgRules(RuleRegistry &registry) {
  registerFill(registry);
  registerBroadcast(registry);
  registerTranspose(registry);
  registerReduce(registry);

  // C = A B: dA = adj B^T, dB = A^T adj.
  registerProduct(
      registry, linalg::MatmulOp::getOperationName(),
      [](RuleBuilder &rb, Value a, Value b) { return rb.matmul(a, b); },
      [](RuleBuilder &rb, Value adj, Value b) { return rb.matmul(adj, rb.transpose(b, {1, 0})); },
      [](RuleBuilder &rb, Value a, Value adj) { return rb.matmul(rb.transpose(a, {1, 0}), adj); });
  // y = A x: dA = adj x^T, dx = adj A (vecmat).
  registerProduct(
      registry, linalg::MatvecOp::getOperationName(),
      [](RuleBuilder &rb, Value a, Value x) {
        return product<linalg::MatvecOp>(rb, a, x, vectorType(a, shapedType(a).getDimSize(0)));
      },
      [](RuleBuilder &rb, Value adj, Value x) { return outer(rb, adj, x); },
      [](RuleBuilder &rb, Value a, Value adj) {
        return product<linalg::VecmatOp>(rb, adj, a, vectorType(a, shapedType(a).getDimSize(1)));
      });
  // y = x A: dx = A adj (matvec), dA = x adj^T.
  registerProduct(
      registry, linalg::VecmatOp::getOperationName(),
      [](RuleBuilder &rb, Value x, Value a) {
        return product<linalg::VecmatOp>(rb, x, a, vectorType(a, shapedType(a).getDimSize(1)));
      },
      [](RuleBuilder &rb, Value adj, Value a) {
        return product<linalg::MatvecOp>(rb, a, adj, vectorType(a, shapedType(a).getDimSize(0)));
      },
      [](RuleBuilder &rb, Value x, Value adj) { return outer(rb, x, adj); });
  // s = x . y (a 0-d tensor): dx = adj y, dy = adj x.
  registerProduct(
      registry, linalg::DotOp::getOperationName(),
      [](RuleBuilder &rb, Value x, Value y) {
        return product<linalg::DotOp>(rb, x, y, RankedTensorType::get({}, shapedType(x).getElementType()));
      },
      [](RuleBuilder &rb, Value adj, Value y) {
        return rb.mul(rb.broadcast(adj, shapedType(y), {0}), y);
      },
      [](RuleBuilder &rb, Value x, Value adj) {
        return rb.mul(x, rb.broadcast(adj, shapedType(x), {0}));
      });
}
