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

/// linalg.reduce with one input and one init, combining with addf, mulf or
/// one of the max/min ops.
static void registerReduce(RuleRegistry &registry) {
  registry.addCustom(
      linalg::ReduceOp::getOperationName(),
      [](RuleBuilder &rb, ArrayRef<Value> tangents, SmallVectorImpl<Value> &out) {
        auto op = cast<linalg::ReduceOp>(rb.getOp());
        Operation *kind = combiner(op);
        ArrayRef<int64_t> dims = op.getDimensions();
        Value input = tangents[0];
        if (input && isa<arith::MulFOp>(kind)) {
          // d(prod x) = sum(prod(x) / x * dx)
          Value y = rb.broadcast(rb.result(0), shapedType(input), dims);
          input = rb.mul(rb.div(y, rb.operand(0)), input);
        } else if (input && !isa<arith::AddFOp>(kind)) {
          // Max/min: the tangent of the selected elements.
          Value y = rb.broadcast(rb.result(0), shapedType(input), dims);
          Value picked = arith::CmpFOp::create(rb.b(), rb.loc(), arith::CmpFPredicate::OEQ,
                                               rb.operand(0), y);
          input = arith::SelectOp::create(rb.b(), rb.loc(), picked, input,
                                          rb.zero(input.getType()));
        }
        Value reduced = input ? rb.reduceSum(input, dims) : Value();
        out.assign({isa<arith::AddFOp>(kind) ? sum(rb, reduced, tangents[1]) : reduced});
      },
      [](RuleBuilder &rb, ArrayRef<Value> adjoints, SmallVectorImpl<Value> &out) {
        auto op = cast<linalg::ReduceOp>(rb.getOp());
        Value adjoint = adjoints[0];
        if (!adjoint)
          return;
        Operation *kind = combiner(op);
        ArrayRef<int64_t> dims = op.getDimensions();
        if (rb.isActiveOperand(1) && isa<arith::AddFOp>(kind))
          out[1] = adjoint;
        if (!rb.isActiveOperand(0))
          return;
        ShapedType inputType = shapedType(op.getInputs()[0]);
        Value spread = rb.broadcast(adjoint, inputType, dims);
        if (isa<arith::AddFOp>(kind)) {
          out[0] = spread;
        } else if (isa<arith::MulFOp>(kind)) {
          Value y = rb.broadcast(rb.result(0), inputType, dims);
          out[0] = rb.mul(spread, rb.div(y, rb.operand(0)));
        } else {
          Value y = rb.broadcast(rb.result(0), inputType, dims);
          Value picked = arith::CmpFOp::create(rb.b(), rb.loc(), arith::CmpFPredicate::OEQ,
                                               rb.operand(0), y);
          out[0] = arith::SelectOp::create(rb.b(), rb.loc(), picked, spread,
                                           rb.zero(inputType));
        }
      });
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
