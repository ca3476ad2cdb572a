//===- DpDialect.cpp - dp dialect, attributes and types -------------------===//

#include "dialect/Dp.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/Transforms/InliningUtils.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::dp;

#include "dialect/DpDialect.cpp.inc"
#include "dialect/DpEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialect/DpAttrs.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "dialect/DpTypes.cpp.inc"

namespace {
/// Every dp op may be inlined: derivative functions are meant to disappear
/// into their callers before lowering.
struct DpInlinerInterface : public DialectInlinerInterface {
  using DialectInlinerInterface::DialectInlinerInterface;
  bool isLegalToInline(Operation *, Region *, bool, IRMapping &) const final {
    return true;
  }
};
} // namespace

void DpDialect::initialize() {
  addInterfaces<DpInlinerInterface>();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialect/DpAttrs.cpp.inc"
      >();
  addTypes<
#define GET_TYPEDEF_LIST
#include "dialect/DpTypes.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "dialect/DpOps.cpp.inc"
      >();
}

bool mlir::dp::isArrayType(Type type) {
  if (auto tensor = dyn_cast<RankedTensorType>(type))
    return tensor.hasStaticShape();
  return isa<MemRefType>(type);
}

bool mlir::dp::isDifferentiableType(Type type) {
  if (auto shaped = dyn_cast<ShapedType>(type)) {
    if (!isa<VectorType, RankedTensorType>(type))
      return false;
    type = shaped.getElementType();
  }
  if (auto complex = dyn_cast<ComplexType>(type))
    type = complex.getElementType();
  return isa<FloatType>(type);
}

static bool isTapeScalarType(Type type) {
  if (isa<IndexType>(type))
    return true;
  if (auto intType = dyn_cast<IntegerType>(type))
    return intType.getWidth() <= 64;
  if (auto floatType = dyn_cast<FloatType>(type))
    return floatType.getWidth() <= 64;
  return false;
}

bool mlir::dp::isTapeElementType(Type type) {
  if (auto tensor = dyn_cast<RankedTensorType>(type))
    return tensor.hasStaticShape() && !tensor.getEncoding() &&
           isTapeScalarType(tensor.getElementType());
  if (auto memref = dyn_cast<MemRefType>(type))
    return memref.hasStaticShape() && memref.getLayout().isIdentity() &&
           isTapeScalarType(memref.getElementType());
  return isTapeScalarType(type);
}

bool TapeType::holds(Type type) const {
  if (getElementTypes().empty())
    return isTapeElementType(type);
  return llvm::is_contained(getElementTypes(), type);
}

LogicalResult TapeType::verify(function_ref<InFlightDiagnostic()> emitError,
                               ArrayRef<Type> elementTypes) {
  llvm::SmallPtrSet<Type, 4> seen;
  for (Type type : elementTypes) {
    if (!isTapeElementType(type))
      return emitError() << "tape element type " << type
                         << " is not an integer, index or float of at most "
                            "64 bits, or a statically shaped tensor or "
                            "identity-layout memref of them";
    if (!seen.insert(type).second)
      return emitError() << "tape element type " << type
                         << " is listed twice";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Custom derivative rules
//===----------------------------------------------------------------------===//

/// The types of `types` that carry derivatives.
static SmallVector<Type> differentiable(TypeRange types) {
  SmallVector<Type> kept;
  for (Type type : types)
    if (isDifferentiableType(type))
      kept.push_back(type);
  return kept;
}

/// Checks that `types` of a rule's `what` are `expected`.
static LogicalResult expectTypes(Operation *op, StringRef attr,
                                 FlatSymbolRefAttr rule, StringRef what,
                                 TypeRange types, ArrayRef<Type> expected,
                                 StringRef meaning) {
  if (TypeRange(expected) == types)
    return success();
  InFlightDiagnostic diag = op->emitOpError()
                            << "'" << attr << "' rule " << rule << " has "
                            << what << " (";
  llvm::interleaveComma(types, diag);
  diag << ") but needs (";
  llvm::interleaveComma(expected, diag);
  return diag << "): " << meaning;
}

static FailureOr<func::FuncOp> ruleFunction(func::FuncOp fn, StringRef attr,
                                            Attribute symbol) {
  auto ref = dyn_cast_or_null<FlatSymbolRefAttr>(symbol);
  if (!ref)
    return fn.emitOpError() << "'" << attr
                            << "' needs a function symbol, not " << symbol;
  auto rule = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(fn, ref);
  if (!rule)
    return fn.emitOpError() << "'" << attr << "' names " << ref
                            << ", which is not a func.func";
  return rule;
}

LogicalResult DpDialect::verifyOperationAttribute(Operation *op,
                                                  NamedAttribute attr) {
  StringRef name = attr.getName().strref();
  if (name != kCustomVjpAttr && name != kCustomJvpAttr &&
      name != kCheckpointAttr && name != kMissingRuleAttr)
    return success();
  auto fn = dyn_cast<func::FuncOp>(op);
  if (!fn)
    return op->emitError() << "'" << name
                           << "' is an attribute of func.func only";
  FunctionType type = fn.getFunctionType();
  SmallVector<Type> floatArgs = differentiable(type.getInputs());
  SmallVector<Type> floatResults = differentiable(type.getResults());
  if (name == kMissingRuleAttr) {
    if (!isa<StringAttr>(attr.getValue()))
      return fn.emitOpError() << "'" << name << "' is a string attribute";
    return success();
  }
  if (name == kCheckpointAttr) {
    if (!isa<UnitAttr>(attr.getValue()))
      return fn.emitOpError() << "'" << name << "' is a unit attribute";
    return success();
  }
  if (name == kCustomJvpAttr) {
    FailureOr<func::FuncOp> jvp = ruleFunction(fn, name, attr.getValue());
    if (failed(jvp))
      return failure();
    auto ref = cast<FlatSymbolRefAttr>(attr.getValue());
    SmallVector<Type> inputs(type.getInputs()), results(type.getResults());
    llvm::append_range(inputs, floatArgs);
    llvm::append_range(results, floatResults);
    FunctionType rule = jvp->getFunctionType();
    if (failed(expectTypes(op, name, ref, "arguments", rule.getInputs(),
                           inputs,
                           "the function's arguments, then a tangent per "
                           "float argument")) ||
        failed(expectTypes(op, name, ref, "results", rule.getResults(),
                           results,
                           "the function's results, then a tangent per "
                           "float result")))
      return failure();
    return success();
  }
  auto dict = dyn_cast<DictionaryAttr>(attr.getValue());
  if (!dict || dict.size() != 2 || !dict.get("fwd") || !dict.get("bwd"))
    return fn.emitOpError() << "'" << name
                            << "' needs {fwd = @..., bwd = @...}";
  FailureOr<func::FuncOp> fwd = ruleFunction(fn, name, dict.get("fwd"));
  FailureOr<func::FuncOp> bwd = ruleFunction(fn, name, dict.get("bwd"));
  if (failed(fwd) || failed(bwd))
    return failure();
  FunctionType fwdType = fwd->getFunctionType();
  auto fwdRef = cast<FlatSymbolRefAttr>(dict.get("fwd"));
  auto bwdRef = cast<FlatSymbolRefAttr>(dict.get("bwd"));
  if (failed(expectTypes(op, name, fwdRef, "arguments", fwdType.getInputs(),
                         SmallVector<Type>(type.getInputs()),
                         "the function's arguments")))
    return failure();
  TypeRange fwdResults = fwdType.getResults();
  unsigned numResults = type.getNumResults();
  if (fwdResults.size() < numResults ||
      fwdResults.take_front(numResults) != type.getResults())
    return fn.emitOpError() << "'" << name << "' rule " << fwdRef
                            << " must return the function's results first, "
                               "then the residuals";
  TypeRange residuals = fwdResults.drop_front(numResults);
  for (Type residual : residuals)
    if (!isTapeElementType(residual))
      return fn.emitOpError()
             << "'" << name << "' rule " << fwdRef << " has the residual "
             << residual << ", which cannot be kept on a tape";
  SmallVector<Type> bwdInputs(residuals);
  llvm::append_range(bwdInputs, floatResults);
  FunctionType bwdType = bwd->getFunctionType();
  if (failed(expectTypes(op, name, bwdRef, "arguments", bwdType.getInputs(),
                         bwdInputs,
                         "the residuals, then a cotangent per float "
                         "result")) ||
      failed(expectTypes(op, name, bwdRef, "results", bwdType.getResults(),
                         floatArgs, "a gradient per float argument")))
    return failure();
  return success();
}
