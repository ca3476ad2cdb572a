//===- TensorRules.cpp - derivative rules of the tensor dialect ------------===//
//
// Element and slice access, reshapes and concatenation: all linear in their
// tensor operands. A read of one element or slice adds its adjoint into
// that part of the source's adjoint in place (tensor.insert /
// insert_slice), so an index loop over an array costs O(1) per iteration
// in reverse, not a full-size addition.
//
//===----------------------------------------------------------------------===//

#include "passes/autodiff/Rules.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace mlir::dp::autodiff;

/// The primal values of `values` (indices, dynamic offsets) where the rule's
/// code goes.
static SmallVector<Value> primals(RuleBuilder &rb, ValueRange values) {
  SmallVector<Value> result;
  for (Value v : values)
    result.push_back(rb.primalOf(v));
  return result;
}

static SmallVector<OpFoldResult> primals(RuleBuilder &rb,
                                         ArrayRef<OpFoldResult> mixed) {
  SmallVector<OpFoldResult> result;
  for (OpFoldResult ofr : mixed) {
    if (auto value = dyn_cast<Value>(ofr))
      result.push_back(rb.primalOf(value));
    else
      result.push_back(ofr);
  }
  return result;
}

static Value orZero(RuleBuilder &rb, Value value, Type type) {
  return value ? value : rb.zero(type);
}

static void registerExtract(RuleRegistry &registry) {
  registry.addCustom(
      tensor::ExtractOp::getOperationName(),
      [](RuleBuilder &rb, ArrayRef<Value> tangents, SmallVectorImpl<Value> &out) {
        auto op = cast<tensor::ExtractOp>(rb.getOp());
        out.assign({tangents[0] ? Value(tensor::ExtractOp::create(
                                      rb.b(), rb.loc(), tangents[0],
                                      primals(rb, op.getIndices())))
                                : Value()});
      },
      [](RuleBuilder &rb, ArrayRef<Value> adjoints, SmallVectorImpl<Value> &) {
        auto op = cast<tensor::ExtractOp>(rb.getOp());
        Value adjoint = adjoints[0];
        if (!adjoint || !rb.isActiveOperand(0))
          return;
        SmallVector<Value> indices = primals(rb, op.getIndices());
        rb.updateAdjoint(0, [&](Value current) -> Value {
          Value old = tensor::ExtractOp::create(rb.b(), rb.loc(), current, indices);
          return tensor::InsertOp::create(rb.b(), rb.loc(), rb.add(old, adjoint),
                                          current, indices);
        });
      });
}

static void registerInsert(RuleRegistry &registry) {
  registry.addCustom(
      tensor::InsertOp::getOperationName(),
      [](RuleBuilder &rb, ArrayRef<Value> tangents, SmallVectorImpl<Value> &out) {
        auto op = cast<tensor::InsertOp>(rb.getOp());
        if (!tangents[0] && !tangents[1]) {
          out.assign({Value()});
          return;
        }
        out.assign({tensor::InsertOp::create(
            rb.b(), rb.loc(), orZero(rb, tangents[0], op.getScalar().getType()),
            orZero(rb, tangents[1], op.getDest().getType()),
            primals(rb, op.getIndices()))});
      },
      [](RuleBuilder &rb, ArrayRef<Value> adjoints, SmallVectorImpl<Value> &out) {
        auto op = cast<tensor::InsertOp>(rb.getOp());
        Value adjoint = adjoints[0];
        if (!adjoint)
          return;
        SmallVector<Value> indices = primals(rb, op.getIndices());
        if (rb.isActiveOperand(0))
          out[0] = tensor::ExtractOp::create(rb.b(), rb.loc(), adjoint, indices);
        // The element was overwritten: the old array's adjoint is zero there.
        if (rb.isActiveOperand(1))
          out[1] = tensor::InsertOp::create(rb.b(), rb.loc(),
                                            rb.zero(op.getScalar().getType()),
                                            adjoint, indices);
      });
}

static void registerExtractSlice(RuleRegistry &registry) {
  registry.addCustom(
      tensor::ExtractSliceOp::getOperationName(),
      [](RuleBuilder &rb, ArrayRef<Value> tangents, SmallVectorImpl<Value> &out) {
        auto op = cast<tensor::ExtractSliceOp>(rb.getOp());
        out.assign({tangents[0] ? Value(tensor::ExtractSliceOp::create(
                                      rb.b(), rb.loc(), op.getType(), tangents[0],
                                      primals(rb, op.getMixedOffsets()),
                                      primals(rb, op.getMixedSizes()),
                                      primals(rb, op.getMixedStrides())))
                                : Value()});
      },
      [](RuleBuilder &rb, ArrayRef<Value> adjoints, SmallVectorImpl<Value> &) {
        auto op = cast<tensor::ExtractSliceOp>(rb.getOp());
        Value adjoint = adjoints[0];
        if (!adjoint || !rb.isActiveOperand(0))
          return;
        SmallVector<OpFoldResult> offsets = primals(rb, op.getMixedOffsets());
        SmallVector<OpFoldResult> sizes = primals(rb, op.getMixedSizes());
        SmallVector<OpFoldResult> strides = primals(rb, op.getMixedStrides());
        rb.updateAdjoint(0, [&](Value current) -> Value {
          Value old = tensor::ExtractSliceOp::create(rb.b(), rb.loc(), op.getType(),
                                                     current, offsets, sizes, strides);
          return tensor::InsertSliceOp::create(rb.b(), rb.loc(), rb.add(old, adjoint),
                                               current, offsets, sizes, strides);
        });
      });
}

static void registerInsertSlice(RuleRegistry &registry) {
  registry.addCustom(
      tensor::InsertSliceOp::getOperationName(),
      [](RuleBuilder &rb, ArrayRef<Value> tangents, SmallVectorImpl<Value> &out) {
        auto op = cast<tensor::InsertSliceOp>(rb.getOp());
        if (!tangents[0] && !tangents[1]) {
          out.assign({Value()});
          return;
        }
        out.assign({tensor::InsertSliceOp::create(
            rb.b(), rb.loc(), orZero(rb, tangents[0], op.getSourceType()),
            orZero(rb, tangents[1], op.getDestType()),
            primals(rb, op.getMixedOffsets()), primals(rb, op.getMixedSizes()),
            primals(rb, op.getMixedStrides()))});
      },
      [](RuleBuilder &rb, ArrayRef<Value> adjoints, SmallVectorImpl<Value> &out) {
        auto op = cast<tensor::InsertSliceOp>(rb.getOp());
        Value adjoint = adjoints[0];
        if (!adjoint)
          return;
        SmallVector<OpFoldResult> offsets = primals(rb, op.getMixedOffsets());
        SmallVector<OpFoldResult> sizes = primals(rb, op.getMixedSizes());
        SmallVector<OpFoldResult> strides = primals(rb, op.getMixedStrides());
        if (rb.isActiveOperand(0))
          out[0] = tensor::ExtractSliceOp::create(rb.b(), rb.loc(), op.getSourceType(),
                                                  adjoint, offsets, sizes, strides);
        // The slice was overwritten: the old array's adjoint is zero there.
        if (rb.isActiveOperand(1))
          out[1] = tensor::InsertSliceOp::create(rb.b(), rb.loc(),
                                                 rb.zero(op.getSourceType()), adjoint,
                                                 offsets, sizes, strides);
      });
}

/// Reshapes: the adjoint goes through the opposite reshape.
template <typename OpTy, typename InverseOp>
static void registerReshape(RuleRegistry &registry) {
  registry.addCustom(
      OpTy::getOperationName(),
      [](RuleBuilder &rb, ArrayRef<Value> tangents, SmallVectorImpl<Value> &out) {
        auto op = cast<OpTy>(rb.getOp());
        out.assign({tangents[0] ? Value(OpTy::create(rb.b(), rb.loc(), op.getResultType(),
                                                     tangents[0],
                                                     op.getReassociationIndices()))
                                : Value()});
      },
      [](RuleBuilder &rb, ArrayRef<Value> adjoints, SmallVectorImpl<Value> &out) {
        auto op = cast<OpTy>(rb.getOp());
        if (adjoints[0] && rb.isActiveOperand(0))
          out[0] = InverseOp::create(rb.b(), rb.loc(), op.getSrcType(), adjoints[0],
                                     op.getReassociationIndices());
      });
}

static void registerConcat(RuleRegistry &registry) {
  registry.addCustom(
      tensor::ConcatOp::getOperationName(),
      [](RuleBuilder &rb, ArrayRef<Value> tangents, SmallVectorImpl<Value> &out) {
        auto op = cast<tensor::ConcatOp>(rb.getOp());
        SmallVector<Value> parts;
        for (auto [input, tangent] : llvm::zip(op.getInputs(), tangents))
          parts.push_back(orZero(rb, tangent, input.getType()));
        out.assign({tensor::ConcatOp::create(rb.b(), rb.loc(), op.getDim(), parts)});
      },
      [](RuleBuilder &rb, ArrayRef<Value> adjoints, SmallVectorImpl<Value> &out) {
        auto op = cast<tensor::ConcatOp>(rb.getOp());
        if (!adjoints[0])
          return;
        int64_t dim = op.getDim();
        int64_t offset = 0;
        for (auto [i, input] : llvm::enumerate(op.getInputs())) {
          auto type = cast<RankedTensorType>(input.getType());
          if (rb.isActiveOperand(i)) {
            SmallVector<OpFoldResult> offsets(type.getRank(), rb.b().getIndexAttr(0));
            offsets[dim] = rb.b().getIndexAttr(offset);
            SmallVector<OpFoldResult> sizes, strides(type.getRank(), rb.b().getIndexAttr(1));
            for (int64_t size : type.getShape())
              sizes.push_back(rb.b().getIndexAttr(size));
            out[i] = tensor::ExtractSliceOp::create(rb.b(), rb.loc(), type, adjoints[0],
                                                    offsets, sizes, strides);
          }
          offset += type.getDimSize(dim);
        }
      });
}

static void registerSplat(RuleRegistry &registry) {
  registry.addCustom(
      tensor::SplatOp::getOperationName(),
      [](RuleBuilder &rb, ArrayRef<Value> tangents, SmallVectorImpl<Value> &out) {
        Type type = rb.getOp()->getResult(0).getType();
        out.assign({tangents[0] ? Value(tensor::SplatOp::create(rb.b(), rb.loc(), tangents[0], type))
                                : Value()});
      },
      [](RuleBuilder &rb, ArrayRef<Value> adjoints, SmallVectorImpl<Value> &out) {
        if (!adjoints[0] || !rb.isActiveOperand(0))
          return;
        int64_t rank = cast<ShapedType>(adjoints[0].getType()).getRank();
        Value total = rb.reduceSum(adjoints[0], llvm::to_vector(llvm::seq<int64_t>(0, rank)));
        out[0] = tensor::ExtractOp::create(rb.b(), rb.loc(), total, ValueRange{});
      });
}

static void registerFromElements(RuleRegistry &registry) {
  registry.addCustom(
      tensor::FromElementsOp::getOperationName(),
      [](RuleBuilder &rb, ArrayRef<Value> tangents, SmallVectorImpl<Value> &out) {
        auto op = cast<tensor::FromElementsOp>(rb.getOp());
        SmallVector<Value> elements;
        for (auto [element, tangent] : llvm::zip(op.getElements(), tangents))
          elements.push_back(orZero(rb, tangent, element.getType()));
        out.assign({tensor::FromElementsOp::create(rb.b(), rb.loc(), op.getType(), elements)});
      },
      [](RuleBuilder &rb, ArrayRef<Value> adjoints, SmallVectorImpl<Value> &out) {
        auto op = cast<tensor::FromElementsOp>(rb.getOp());
        if (!adjoints[0])
          return;
        auto type = cast<RankedTensorType>(op.getType());
        SmallVector<int64_t> strides = computeStrides(type.getShape());
        for (unsigned i = 0, e = op.getElements().size(); i < e; ++i) {
          if (!rb.isActiveOperand(i))
            continue;
          SmallVector<Value> indices;
          int64_t rest = i;
          for (int64_t stride : strides) {
            indices.push_back(arith::ConstantIndexOp::create(rb.b(), rb.loc(), rest / stride));
            rest %= stride;
          }
          out[i] = tensor::ExtractOp::create(rb.b(), rb.loc(), adjoints[0], indices);
        }
      });
}

void mlir::dp::autodiff::registerTensorRules(RuleRegistry &registry) {
  for (StringRef name : {tensor::DimOp::getOperationName(),
                         tensor::RankOp::getOperationName()})
    registry.addDiscrete(name, "a shape query: its index result is discrete");
  registerExtract(registry);
  registerInsert(registry);
  registerExtractSlice(registry);
  registerInsertSlice(registry);
  registerReshape<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(registry);
  registerReshape<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(registry);
  registerConcat(registry);
  registerSplat(registry);
  registerFromElements(registry);
}
