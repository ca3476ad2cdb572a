//===- LinalgToBlas.cpp - dp-linalg-to-blas --------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::dp {
#define GEN_PASS_DEF_DPLINALGTOBLAS
#include "passes/Passes.h.inc"
} // namespace mlir::dp

using namespace mlir;

// CBLAS enumerators.
static constexpr int32_t kRowMajor = 101;
static constexpr int32_t kNoTrans = 111;
static constexpr int32_t kTrans = 112;

/// Which operands of `op` are read transposed: (a, b) for a matmul whose
/// maps are matmul's own with a stored as K x M and/or b as N x K; nullopt
/// for other maps (broadcasts), which stay loops.
static std::optional<std::pair<bool, bool>>
transposedOperands(linalg::MatmulOp op) {
  MLIRContext *context = op.getContext();
  AffineExpr m, n, k;
  bindDims(context, m, n, k);
  auto map = [&](AffineExpr a, AffineExpr b) {
    return AffineMap::get(3, 0, {a, b}, context);
  };
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (maps[2] != map(m, n))
    return std::nullopt;
  bool transA = maps[0] == map(k, m), transB = maps[1] == map(n, k);
  if ((!transA && maps[0] != map(m, k)) || (!transB && maps[1] != map(k, n)))
    return std::nullopt;
  return std::make_pair(transA, transB);
}

/// True if `type` is a 2-D memref whose rows are contiguous (unit inner
/// stride), as a BLAS needs.
static bool hasContiguousRows(MemRefType type) {
  if (type.getRank() != 2)
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(type.getStridesAndOffset(strides, offset)) &&
         strides[1] == 1;
}

namespace {
struct LinalgToBlasPass
    : public dp::impl::DpLinalgToBlasBase<LinalgToBlasPass> {
  using Base::Base;

  void runOnOperation() override {
    if (dgemm.empty() && sgemm.empty())
      return;
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<linalg::MatmulOp> products;
    module.walk([&](linalg::MatmulOp op) {
      if (!op.hasPureBufferSemantics() || !transposedOperands(op))
        return;
      auto c = cast<MemRefType>(op.getDpsInits()[0].getType());
      if (!llvm::all_of(op->getOperandTypes(), [](Type t) {
            return hasContiguousRows(cast<MemRefType>(t));
          }))
        return;
      if ((c.getElementType().isF64() && !dgemm.empty()) ||
          (c.getElementType().isF32() && !sgemm.empty()))
        products.push_back(op);
    });
    for (linalg::MatmulOp op : products)
      lower(op, symbols);
  }

  /// Aligned pointer to the first element of `buffer`, and its row stride.
  std::pair<Value, Value> view(OpBuilder &b, Location loc, Value buffer) {
    auto metadata = memref::ExtractStridedMetadataOp::create(b, loc, buffer);
    Value base = memref::ExtractAlignedPointerAsIndexOp::create(
        b, loc, metadata.getBaseBuffer());
    auto type = cast<MemRefType>(buffer.getType());
    Value bytes = arith::ConstantIndexOp::create(
        b, loc, type.getElementTypeBitWidth() / 8);
    Value start = arith::AddIOp::create(
        b, loc, base,
        arith::MulIOp::create(b, loc, metadata.getOffset(), bytes));
    Value address =
        arith::IndexCastOp::create(b, loc, b.getI64Type(), start);
    Value pointer = LLVM::IntToPtrOp::create(
        b, loc, LLVM::LLVMPointerType::get(b.getContext()), address);
    Value stride = arith::IndexCastOp::create(b, loc, b.getI64Type(),
                                              metadata.getStrides()[0]);
    return {pointer, stride};
  }

  void lower(linalg::MatmulOp op, SymbolTable &symbols) {
    OpBuilder b(op);
    Location loc = op.getLoc();
    Value a = op.getDpsInputs()[0], bm = op.getDpsInputs()[1],
          c = op.getDpsInits()[0];
    Type element = cast<MemRefType>(c.getType()).getElementType();
    StringRef name = element.isF64() ? dgemm : sgemm;
    Type i32 = b.getI32Type(), i64 = b.getI64Type();
    Type ptr = LLVM::LLVMPointerType::get(b.getContext());
    auto fnType = b.getFunctionType(
        {i32, i32, i32, i64, i64, i64, element, ptr, i64, ptr, i64, element,
         ptr, i64},
        {});
    auto fn = symbols.lookup<func::FuncOp>(name);
    if (!fn) {
      OpBuilder mb = OpBuilder::atBlockEnd(getOperation().getBody());
      fn = func::FuncOp::create(mb, loc, name, fnType);
      fn.setPrivate();
      symbols.insert(fn);
    }
    auto dim = [&](Value buffer, int64_t d) -> Value {
      return arith::IndexCastOp::create(
          b, loc, i64, memref::DimOp::create(b, loc, buffer, d));
    };
    auto constant32 = [&](int32_t v) -> Value {
      return arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(v));
    };
    Value one = arith::ConstantOp::create(b, loc, b.getFloatAttr(element, 1.0));
    auto [aPtr, lda] = view(b, loc, a);
    auto [bPtr, ldb] = view(b, loc, bm);
    auto [cPtr, ldc] = view(b, loc, c);
    auto [transA, transB] = *transposedOperands(op);
    // C = 1 * op(A) op(B) + 1 * C: linalg.matmul accumulates into its init.
    func::CallOp::create(
        b, loc, fn,
        ValueRange{constant32(kRowMajor), constant32(transA ? kTrans : kNoTrans),
                   constant32(transB ? kTrans : kNoTrans), dim(c, 0), dim(c, 1),
                   dim(a, transA ? 0 : 1), one, aPtr, lda, bPtr, ldb, one, cPtr,
                   ldc});
    op.erase();
  }
};
} // namespace
