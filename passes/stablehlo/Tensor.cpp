//===- Tensor.cpp - StableHLO export of tensor ops ------------------------===//
//
// Element reads and writes are dynamic_slice / dynamic_update_slice of one
// element; slices with static offsets are slice (any stride), with dynamic
// offsets dynamic_slice; shape changes are reshape.
//
//===----------------------------------------------------------------------===//

#include "passes/stablehlo/Emitter.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::dp::stablehlo;

/// Offsets as rank-0 i64 tensors, from values or constants.
static SmallVector<Value> indexValues(Emitter &e, ArrayRef<OpFoldResult> ofrs) {
  SmallVector<Value> out;
  Type i64 = e.builder.getI64Type();
  for (OpFoldResult ofr : ofrs) {
    if (auto v = dyn_cast<Value>(ofr))
      out.push_back(e.lookup(v));
    else
      out.push_back(e.intConstant(*getConstantIntValue(ofr), i64));
  }
  return out;
}

static SmallVector<Value> indexValues(Emitter &e, ValueRange indices) {
  SmallVector<OpFoldResult> ofrs(indices.begin(), indices.end());
  return indexValues(e, ofrs);
}

LogicalResult Emitter::emitTensor(Operation *op, bool &handled) {
  if (op->getName().getDialectNamespace() != "tensor")
    return success();
  handled = true;
  auto resultType = [&](unsigned i = 0) {
    return cast<RankedTensorType>(convertType(op->getResult(i).getType()));
  };
  if (op->getNumResults() == 1 && !convertType(op->getResult(0).getType()))
    return unsupported(op, "its result type has no StableHLO form (dynamic "
                           "shapes are not exported)");
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](tensor::ExtractOp x) {
        auto source = cast<RankedTensorType>(lookup(x.getTensor()).getType());
        SmallVector<int64_t> ones(source.getRank(), 1);
        Value slice = this->op(
            "dynamic_slice",
            llvm::to_vector(llvm::concat<Value>(
                ValueRange{lookup(x.getTensor())},
                indexValues(*this, x.getIndices()))),
            RankedTensorType::get(ones, source.getElementType()),
            {i64s("slice_sizes", ones)});
        map(x.getResult(), reshape(slice, {}));
        return success();
      })
      .Case([&](tensor::InsertOp x) {
        auto dest = cast<RankedTensorType>(lookup(x.getDest()).getType());
        SmallVector<int64_t> ones(dest.getRank(), 1);
        Value update = reshape(lookup(x.getScalar()), ones);
        SmallVector<Value> operands{lookup(x.getDest()), update};
        llvm::append_range(operands, indexValues(*this, x.getIndices()));
        map(x.getResult(), this->op("dynamic_update_slice", operands, dest));
        return success();
      })
      .Case([&](tensor::FromElementsOp x) {
        RankedTensorType type = resultType();
        SmallVector<Value> items;
        for (Value v : x.getElements())
          items.push_back(reshape(lookup(v), {1}));
        Value flat = items.size() == 1
                         ? items[0]
                         : this->op("concatenate", items,
                                    RankedTensorType::get(
                                        {(int64_t)items.size()},
                                        type.getElementType()),
                                    {attr("dimension",
                                          builder.getI64IntegerAttr(0))});
        map(x.getResult(), reshape(flat, type.getShape()));
        return success();
      })
      .Case([&](tensor::EmptyOp x) {
        // Its contents are undefined: zeros.
        RankedTensorType type = resultType();
        map(x.getResult(),
            broadcastTo(scalarConstant(type.getElementType(), 0),
                        type.getShape(), {}));
        return success();
      })
      .Case([&](tensor::SplatOp x) {
        map(x.getResult(),
            broadcastTo(lookup(x.getInput()), resultType().getShape(), {}));
        return success();
      })
      .Case([&](tensor::ExtractSliceOp x) {
        RankedTensorType result = resultType();
        auto source = cast<RankedTensorType>(lookup(x.getSource()).getType());
        ArrayRef<int64_t> sizes = x.getStaticSizes();
        SmallVector<int64_t> shape(sizes.begin(), sizes.end());
        auto full = RankedTensorType::get(shape, source.getElementType());
        Value slice;
        if (ShapedType::isDynamicShape(x.getStaticSizes()))
          return unsupported(op, "its sizes are not compile-time constants");
        if (!ShapedType::isDynamicShape(x.getStaticOffsets()) &&
            !ShapedType::isDynamicShape(x.getStaticStrides())) {
          SmallVector<int64_t> limits;
          for (auto [o, s, st] : llvm::zip(x.getStaticOffsets(), sizes,
                                           x.getStaticStrides()))
            limits.push_back(o + (s - 1) * st + 1);
          slice = this->op("slice", lookup(x.getSource()), full,
                           {i64s("start_indices", x.getStaticOffsets()),
                            i64s("limit_indices", limits),
                            i64s("strides", x.getStaticStrides())});
        } else {
          if (!llvm::all_of(x.getStaticStrides(),
                            [](int64_t s) { return s == 1; }))
            return unsupported(op, "it has dynamic offsets and strides "
                                   "other than 1");
          SmallVector<Value> operands{lookup(x.getSource())};
          llvm::append_range(operands,
                             indexValues(*this, x.getMixedOffsets()));
          slice = this->op("dynamic_slice", operands, full,
                           {i64s("slice_sizes", shape)});
        }
        map(x.getResult(), reshape(slice, result.getShape()));
        return success();
      })
      .Case([&](tensor::InsertSliceOp x) {
        RankedTensorType dest = resultType();
        if (ShapedType::isDynamicShape(x.getStaticSizes()) ||
            ShapedType::isDynamicShape(x.getStaticStrides()))
          return unsupported(op, "it writes a slice with dynamic sizes or "
                                 "strides");
        Value update = reshape(lookup(x.getSource()), x.getStaticSizes());
        if (!llvm::all_of(x.getStaticStrides(), [](int64_t s) { return s == 1; })) {
          if (ShapedType::isDynamicShape(x.getStaticOffsets()))
            return unsupported(op, "it writes a strided slice at dynamic "
                                   "offsets");
          // Strided: the update padded into place (interior padding puts
          // stride - 1 elements between its elements), chosen by a mask
          // padded the same way.
          SmallVector<int64_t> low, high, interior;
          for (auto [o, size, st, d] :
               llvm::zip(x.getStaticOffsets(), x.getStaticSizes(),
                         x.getStaticStrides(), dest.getShape())) {
            low.push_back(o);
            high.push_back(d - (o + (size - 1) * st + 1));
            interior.push_back(st - 1);
          }
          auto padded = [&](Value v, Value fill) {
            auto t = cast<RankedTensorType>(v.getType());
            return this->op("pad", {v, fill},
                            RankedTensorType::get(dest.getShape(),
                                                  t.getElementType()),
                            {i64s("edge_padding_low", low),
                             i64s("edge_padding_high", high),
                             i64s("interior_padding", interior)});
          };
          Type i1 = builder.getI1Type();
          Value ones = broadcastTo(intConstant(1, i1), x.getStaticSizes(), {});
          Value mask = padded(ones, intConstant(0, i1));
          Value values = padded(update, scalarConstant(dest.getElementType(), 0));
          map(x.getResult(), select(mask, values, lookup(x.getDest())));
          return success();
        }
        SmallVector<Value> operands{lookup(x.getDest()), update};
        llvm::append_range(operands, indexValues(*this, x.getMixedOffsets()));
        map(x.getResult(), this->op("dynamic_update_slice", operands, dest));
        return success();
      })
      .Case<tensor::CollapseShapeOp, tensor::ExpandShapeOp, tensor::ReshapeOp>(
          [&](Operation *) {
            map(op->getResult(0),
                reshape(lookup(op->getOperand(0)), resultType().getShape()));
            return success();
          })
      .Case([&](tensor::CastOp x) {
        map(x.getResult(), lookup(x.getSource()));
        return success();
      })
      .Case([&](tensor::ConcatOp x) {
        SmallVector<Value> inputs;
        for (Value v : x.getInputs())
          inputs.push_back(lookup(v));
        map(x.getResult(),
            this->op("concatenate", inputs, resultType(),
                     {attr("dimension",
                           builder.getI64IntegerAttr(x.getDim()))}));
        return success();
      })
      .Case([&](tensor::DimOp x) {
        auto source = cast<RankedTensorType>(x.getSource().getType());
        std::optional<int64_t> dim = x.getConstantIndex();
        if (!dim)
          return unsupported(op, "its dimension is not a compile-time constant");
        map(x.getResult(),
            intConstant(source.getDimSize(*dim), builder.getI64Type()));
        return success();
      })
      .Default([&](Operation *) {
        return unsupported(op, "StableHLO export has no form of this tensor "
                               "operation");
      });
}
