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
