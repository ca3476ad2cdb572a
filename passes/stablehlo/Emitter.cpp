//===- Emitter.cpp - StableHLO export: values, functions, the pass --------===//

#include "passes/stablehlo/Emitter.h"
#include "passes/Passes.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/SymbolTable.h"

using namespace mlir;
using namespace mlir::dp;
using namespace mlir::dp::stablehlo;

MLIR_DEFINE_EXPLICIT_TYPE_ID(::mlir::dp::stablehlo::OpenDialect)

OpenDialect::OpenDialect(MLIRContext *context)
    : Dialect(getDialectNamespace(), context, TypeID::get<OpenDialect>()) {
  allowUnknownOperations();
  allowUnknownTypes();
}

Type Emitter::convertType(Type type) {
  if (isa<IndexType>(type))
    return RankedTensorType::get({}, IntegerType::get(type.getContext(), 64));
  if (isa<IntegerType, FloatType, ComplexType>(type))
    return RankedTensorType::get({}, type);
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return nullptr;
  Type element = tensor.getElementType();
  if (isa<IndexType>(element))
    element = IntegerType::get(type.getContext(), 64);
  if (!isa<IntegerType, FloatType, ComplexType>(element))
    return nullptr;
  return RankedTensorType::get(tensor.getShape(), element);
}

SmallVector<Type> Emitter::tapeStateTypes() const {
  SmallVector<Type> types;
  MLIRContext *ctx = builder.getContext();
  for (auto [element, slots] : layout.capacity) {
    auto converted = cast<RankedTensorType>(convertType(element));
    SmallVector<int64_t> shape{slots};
    llvm::append_range(shape, converted.getShape());
    types.push_back(RankedTensorType::get(shape, converted.getElementType()));
    types.push_back(RankedTensorType::get({}, IntegerType::get(ctx, 64)));
  }
  return types;
}

FunctionType Emitter::convertFunctionType(FunctionType type) {
  SmallVector<Type> inputs, results;
  unsigned tapeArgs = 0;
  for (Type t : type.getInputs()) {
    if (isa<TapeType>(t)) {
      llvm::append_range(inputs, tapeStateTypes());
      ++tapeArgs;
      continue;
    }
    inputs.push_back(convertType(t));
  }
  for (Type t : type.getResults())
    results.push_back(isa<TapeType>(t) ? Type() : convertType(t));
  // A tape result is its stacks; tape arguments come back updated.
  SmallVector<Type> flat;
  for (Type t : results)
    if (t)
      flat.push_back(t);
    else
      llvm::append_range(flat, tapeStateTypes());
  for (unsigned i = 0; i < tapeArgs; ++i)
    llvm::append_range(flat, tapeStateTypes());
  return FunctionType::get(type.getContext(), inputs, flat);
}

Operation *Emitter::opN(StringRef name, ValueRange operands, TypeRange results,
                        ArrayRef<NamedAttribute> attrs, unsigned regions) {
  OperationState state(loc, ("stablehlo." + name).str());
  state.addOperands(operands);
  state.addTypes(results);
  state.addAttributes(attrs);
  for (unsigned i = 0; i < regions; ++i)
    state.addRegion();
  return builder.create(state);
}

Value Emitter::op(StringRef name, ValueRange operands, Type result,
                  ArrayRef<NamedAttribute> attrs) {
  return opN(name, operands, TypeRange{result}, attrs)->getResult(0);
}

Value Emitter::constant(Attribute dense) {
  auto typed = cast<DenseElementsAttr>(dense);
  return op("constant", {}, typed.getType(), {attr("value", typed)});
}

Value Emitter::scalarConstant(Type element, double value) {
  auto type = RankedTensorType::get({}, element);
  if (isa<FloatType>(element))
    return constant(DenseElementsAttr::get(type, FloatAttr::get(element, value)));
  return intConstant(static_cast<int64_t>(value), element);
}

Value Emitter::intConstant(int64_t value, Type element) {
  auto type = RankedTensorType::get({}, element);
  auto width = cast<IntegerType>(element).getWidth();
  return constant(DenseElementsAttr::get(
      type, APInt(width, static_cast<uint64_t>(value), /*isSigned=*/width > 1)));
}

Value Emitter::reshape(Value value, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  return op("reshape", value, RankedTensorType::get(shape, type.getElementType()));
}

Value Emitter::broadcastTo(Value value, ArrayRef<int64_t> shape,
                           ArrayRef<int64_t> dims) {
  auto type = cast<RankedTensorType>(value.getType());
  return op("broadcast_in_dim", value,
            RankedTensorType::get(shape, type.getElementType()),
            {i64s("broadcast_dimensions", dims)});
}

Value Emitter::convert(Value value, Type element) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getElementType() == element)
    return value;
  return op("convert", value, RankedTensorType::get(type.getShape(), element));
}

Value Emitter::compare(Value lhs, Value rhs, StringRef direction) {
  auto type = cast<RankedTensorType>(lhs.getType());
  Type element = type.getElementType();
  StringRef kind = isa<FloatType>(element) ? "FLOAT"
                   : element.isInteger(1)  ? "UNSIGNED"
                                           : "SIGNED";
  return op("compare", {lhs, rhs},
            RankedTensorType::get(type.getShape(), builder.getI1Type()),
            {attr("comparison_direction",
                  opaque(("comparison_direction " + direction).str())),
             attr("compare_type", opaque(("comparison_type " + kind).str()))});
}

Value Emitter::select(Value pred, Value a, Value b) {
  return op("select", {pred, a, b}, a.getType());
}

Attribute Emitter::opaque(StringRef data) {
  MLIRContext *ctx = module.getContext();
  return OpaqueAttr::get(StringAttr::get(ctx, "stablehlo"), data,
                         NoneType::get(ctx));
}

NamedAttribute Emitter::attr(StringRef name, Attribute value) {
  return builder.getNamedAttr(name, value);
}

NamedAttribute Emitter::i64s(StringRef name, ArrayRef<int64_t> values) {
  return attr(name, builder.getDenseI64ArrayAttr(values));
}

Value Emitter::lookup(Value value) { return values.lookup(value); }

Value Emitter::operandAt(Value value) {
  Value v = lookup(value);
  if (bodyShape && !bodyShape->empty() &&
      cast<RankedTensorType>(v.getType()).getRank() == 0)
    return broadcastTo(v, *bodyShape, {});
  return v;
}

LogicalResult Emitter::unsupported(Operation *op, const Twine &why) {
  return op->emitOpError() << "cannot be exported to StableHLO: " << why;
}

LogicalResult Emitter::emitOps(Block &block) {
  for (Operation &op : block.without_terminator())
    if (failed(emitOp(&op)))
      return failure();
  return success();
}

LogicalResult Emitter::emitRegion(Region &into, TypeRange argTypes,
                                  function_ref<LogicalResult(Block &)> body) {
  OpBuilder::InsertionGuard guard(builder);
  Block *block = builder.createBlock(&into);
  for (Type t : argTypes)
    block->addArgument(t, loc);
  return body(*block);
}

LogicalResult Emitter::emitOp(Operation *op) {
  loc = op->getLoc();
  bool handled = false;
  if (failed(emitFuncOp(op, handled)))
    return failure();
  if (handled)
    return success();
  for (auto family :
       {&Emitter::emitArithMath, &Emitter::emitTensor, &Emitter::emitLinalg,
        &Emitter::emitControlFlow, &Emitter::emitTape}) {
    if (failed((this->*family)(op, handled)))
      return failure();
    if (handled)
      return success();
  }
  // Runtime checks (bounds, integer overflow) have no StableHLO form; as in
  // XLA, exported code does not check them.
  if (isa<cf::AssertOp>(op))
    return success();
  if (op->getName().getDialectNamespace() == "memref")
    return unsupported(op, "it works on a buffer, which StableHLO does not "
                           "have (dp builds buffers for calls into LAPACK, "
                           "np.linalg)");
  return unsupported(op, "StableHLO has no counterpart of this operation");
}

LogicalResult Emitter::emitFuncOp(Operation *op, bool &handled) {
  handled = true;
  if (auto call = dyn_cast<func::CallOp>(op)) {
    auto callee = module.lookupSymbol<func::FuncOp>(call.getCallee());
    if (!callee || callee.isExternal())
      return unsupported(op, "it calls a function without a body (a call "
                             "into the host or a library)");
    SmallVector<Value> operands;
    SmallVector<Value> tapeArgs;
    for (Value v : call.getOperands()) {
      if (isa<TapeType>(v.getType())) {
        llvm::append_range(operands, tapeState(v));
        tapeArgs.push_back(v);
        continue;
      }
      operands.push_back(lookup(v));
    }
    FunctionType type = convertFunctionType(call.getCalleeType());
    auto newCall = func::CallOp::create(builder, loc, call.getCallee(),
                                        type.getResults(), operands);
    unsigned next = 0;
    unsigned width = tapeStateTypes().size();
    for (Value r : call.getResults()) {
      if (isa<TapeType>(r.getType())) {
        setTapeState(r, newCall.getResults().slice(next, width));
        next += width;
        continue;
      }
      map(r, newCall.getResult(next++));
    }
    for (Value tape : tapeArgs) {
      setTapeState(tape, newCall.getResults().slice(next, width));
      next += width;
    }
    return success();
  }
  if (isa<func::ReturnOp>(op))
    return success(); // emitted by emitFunction
  handled = false;
  return success();
}

TapeState &Emitter::tapeState(Value tape) {
  flushPushes(tape);
  return tapes[tape];
}

void Emitter::setTapeState(Value tape, ValueRange state) {
  tapes[tape] = llvm::to_vector_of<Value, 4>(state);
}

LogicalResult Emitter::emitFunction(func::FuncOp fn, func::FuncOp into) {
  Block &entry = fn.getBody().front();
  if (!fn.getBody().hasOneBlock())
    return unsupported(fn, "its body has more than one block (unstructured "
                           "control flow)");
  Block *block = into.addEntryBlock();
  builder.setInsertionPointToStart(block);
  unsigned next = 0;
  unsigned width = tapeStateTypes().size();
  SmallVector<Value> tapeArgs;
  for (BlockArgument arg : entry.getArguments()) {
    if (isa<TapeType>(arg.getType())) {
      setTapeState(arg, block->getArguments().slice(next, width));
      tapeArgs.push_back(arg);
      next += width;
      continue;
    }
    map(arg, block->getArgument(next++));
  }
  if (failed(emitOps(entry)))
    return failure();
  auto ret = cast<func::ReturnOp>(entry.getTerminator());
  loc = ret.getLoc();
  SmallVector<Value> results;
  for (Value v : ret.getOperands()) {
    if (isa<TapeType>(v.getType()))
      llvm::append_range(results, tapeState(v));
    else
      results.push_back(lookup(v));
  }
  for (Value tape : tapeArgs)
    llvm::append_range(results, tapeState(tape));
  func::ReturnOp::create(builder, loc, results);
  return success();
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

namespace mlir::dp {
#define GEN_PASS_DEF_DPEXPORTSTABLEHLO
#include "passes/Passes.h.inc"
} // namespace mlir::dp

/// Elements an iteration of `body` computes (an in-place write counts
/// what it writes, not the tensor it writes into).
static int64_t elementsComputed(Block *body) {
  int64_t total = 0;
  body->walk([&](Operation *op) {
    auto elements = [](Type t) -> int64_t {
      auto tensor = dyn_cast<RankedTensorType>(t);
      if (!tensor)
        return 1;
      return tensor.hasStaticShape() ? tensor.getNumElements() : 1 << 20;
    };
    if (isa<tensor::InsertOp>(op))
      total += 1;
    else if (auto insert = dyn_cast<tensor::InsertSliceOp>(op))
      total += elements(insert.getSource().getType());
    else
      for (Type t : op->getResultTypes())
        total += elements(t);
  });
  return total;
}

namespace {
struct ExportStableHLOPass
    : public dp::impl::DpExportStableHLOBase<ExportStableHLOPass> {
  using Base::Base;

  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<OpenDialect>();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = module.getContext();
    SmallVector<func::FuncOp> functions;
    for (Operation &op : module.getOps()) {
      auto fn = dyn_cast<func::FuncOp>(&op);
      if (!fn) {
        op.emitOpError() << "cannot be exported to StableHLO: a module of "
                            "StableHLO holds only functions";
        return signalPassFailure();
      }
      if (!fn.isExternal())
        functions.push_back(fn);
    }
    if (!entry.empty() && !module.lookupSymbol<func::FuncOp>(entry)) {
      module.emitError() << "dp-export-stablehlo: no function @" << entry;
      return signalPassFailure();
    }
    for (func::FuncOp fn : functions) {
      for (Type t : llvm::concat<const Type>(fn.getArgumentTypes(),
                                             fn.getResultTypes()))
        if (!isa<TapeType>(t) && !Emitter::convertType(t)) {
          fn.emitOpError() << "cannot be exported to StableHLO: its "
                              "signature has type "
                           << t << ", which has no StableHLO form";
          return signalPassFailure();
        }
      WalkResult request = fn.walk([&](Operation *op) {
        if (isa<AutodiffOp, FwddiffOp, AugmentedOp, ReverseOp>(op)) {
          op->emitOpError() << "cannot be exported to StableHLO before "
                               "dp-autodiff has built the derivative";
          return WalkResult::interrupt();
        }
        return WalkResult::advance();
      });
      if (request.wasInterrupted())
        return signalPassFailure();
    }
    // XLA runs each iteration of a while loop as steps of their own, which
    // costs more than the work of a short loop over scalars or small
    // tensors: loops of at most unroll-limit compile-time trips whose
    // iterations compute few elements are unrolled (innermost first).
    SmallVector<scf::ForOp> shortLoops;
    module.walk([&](scf::ForOp loop) {
      std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound()),
                             ub = getConstantIntValue(loop.getUpperBound()),
                             step = getConstantIntValue(loop.getStep());
      if (!lb || !ub || !step || *step <= 0)
        return;
      int64_t trips = *ub > *lb ? (*ub - *lb + *step - 1) / *step : 0;
      if (trips > unrollLimit)
        return;
      if (trips * elementsComputed(loop.getBody()) <= 256 * unrollLimit)
        shortLoops.push_back(loop);
    });
    for (scf::ForOp loop : shortLoops)
      if (failed(loopUnrollFull(loop))) {
        loop.emitOpError() << "dp-export-stablehlo: could not unroll";
        return signalPassFailure();
      }
    FailureOr<TapeLayout> layout = analyzeTapes(module);
    if (failed(layout))
      return signalPassFailure();

    Emitter emitter(module, *layout);
    OpBuilder builder(ctx);
    SmallVector<func::FuncOp> converted;
    for (func::FuncOp fn : functions) {
      builder.setInsertionPoint(fn);
      auto into = func::FuncOp::create(
          builder, fn.getLoc(), fn.getName(),
          emitter.convertFunctionType(fn.getFunctionType()));
      if (failed(emitter.emitFunction(fn, into))) {
        into.erase();
        return signalPassFailure();
      }
      converted.push_back(into);
    }
    for (Operation &op : llvm::make_early_inc_range(module.getOps()))
      if (auto fn = dyn_cast<func::FuncOp>(&op);
          fn && !llvm::is_contained(converted, fn))
        op.erase();
    module->setAttrs(ArrayRef<NamedAttribute>{});
    if (entry.empty())
      return;
    for (func::FuncOp fn : converted) {
      bool isEntry = fn.getName() == entry;
      fn.setVisibility(isEntry ? SymbolTable::Visibility::Public
                               : SymbolTable::Visibility::Private);
    }
    // XLA runs @main; another function of that name steps aside.
    SymbolTable symbols(module);
    if (entry != "main")
      if (Operation *clash = symbols.lookup("main"))
        if (failed(symbols.renameToUnique(clash, {})))
          return signalPassFailure();
    if (failed(symbols.rename(symbols.lookup(entry), "main")))
      return signalPassFailure();
  }
};
} // namespace
