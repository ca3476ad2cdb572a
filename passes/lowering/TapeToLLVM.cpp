//===- TapeToLLVM.cpp - lower dp tapes to the LLVM dialect ----------------===//
//
// A tape is a pointer to a heap header {data, top, end, capacity, owned,
// owned count, owned capacity, chunk, chunk used, chunk capacity}: a stack
// of 8-byte slots (byte offsets into data), plus the chunks of memory the
// tape owns. An array is pushed as a pointer to a copy of its data, placed
// after the previous copy in the current chunk (a new chunk, twice as large,
// when it is full): no malloc per push, and the tape frees the chunks with
// itself, so a pullback can read the copies as often as it runs. Each tape op becomes a call of a small internal
// function defined below in LLVM dialect text; the module gets a copy of the
// functions it uses the first time a tape op is lowered. Keeping the runtime
// as IR (not a C library) means nothing extra has to be linked into the JIT,
// mlir-runner or an object file, and LLVM inlines the push and pop fast
// paths.
//
//===----------------------------------------------------------------------===//

#include "dialect/Dp.h"
#include "passes/Passes.h"

#include "mlir/Conversion/LLVMCommon/ConversionTarget.h"
#include "mlir/Conversion/LLVMCommon/MemRefBuilder.h"
#include "mlir/Conversion/LLVMCommon/Pattern.h"
#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::dp {
#define GEN_PASS_DEF_DPCONVERTTAPETOLLVM
#include "passes/Passes.h.inc"
} // namespace mlir::dp

using namespace mlir;
using namespace mlir::dp;

// Every element takes one 8-byte slot (scalars are at most 64 bits, arrays
// are pointers). A new tape has room for at least 8 elements; a full tape
// doubles, and so does its list of owned arrays.
static constexpr StringLiteral kTapeRuntime = R"mlir(
llvm.func @malloc(i64) -> !llvm.ptr
llvm.func @realloc(!llvm.ptr, i64) -> !llvm.ptr
llvm.func @free(!llvm.ptr)

llvm.func internal @__dp_tape_init(%elements: i64) -> !llvm.ptr {
  %header_bytes = llvm.mlir.constant(80 : i64) : i64
  %slot = llvm.mlir.constant(8 : i64) : i64
  %min_bytes = llvm.mlir.constant(64 : i64) : i64
  %zero = llvm.mlir.constant(0 : i64) : i64
  %null = llvm.mlir.zero : !llvm.ptr
  %tape = llvm.call @malloc(%header_bytes) : (i64) -> !llvm.ptr
  %want = llvm.mul %elements, %slot : i64
  %capacity = llvm.intr.umax(%want, %min_bytes) : (i64, i64) -> i64
  %data = llvm.call @malloc(%capacity) : (i64) -> !llvm.ptr
  %no_tape = llvm.icmp "eq" %tape, %null : !llvm.ptr
  %no_data = llvm.icmp "eq" %data, %null : !llvm.ptr
  %failed = llvm.or %no_tape, %no_data : i1
  llvm.cond_br %failed, ^out_of_memory, ^ready
^out_of_memory:
  llvm.call_intrinsic "llvm.trap"() : () -> ()
  llvm.unreachable
^ready:
  %data_at = llvm.getelementptr %tape[0, 0] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %top_at = llvm.getelementptr %tape[0, 1] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %end_at = llvm.getelementptr %tape[0, 2] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %capacity_at = llvm.getelementptr %tape[0, 3] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  llvm.store %data, %data_at : !llvm.ptr, !llvm.ptr
  llvm.store %zero, %top_at : i64, !llvm.ptr
  llvm.store %zero, %end_at : i64, !llvm.ptr
  llvm.store %capacity, %capacity_at : i64, !llvm.ptr
  %owned_at = llvm.getelementptr %tape[0, 4] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %owned_count_at = llvm.getelementptr %tape[0, 5] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %owned_capacity_at = llvm.getelementptr %tape[0, 6] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  llvm.store %null, %owned_at : !llvm.ptr, !llvm.ptr
  llvm.store %zero, %owned_count_at : i64, !llvm.ptr
  llvm.store %zero, %owned_capacity_at : i64, !llvm.ptr
  %chunk_at = llvm.getelementptr %tape[0, 7] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %chunk_used_at = llvm.getelementptr %tape[0, 8] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %chunk_capacity_at = llvm.getelementptr %tape[0, 9] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  llvm.store %null, %chunk_at : !llvm.ptr, !llvm.ptr
  llvm.store %zero, %chunk_used_at : i64, !llvm.ptr
  llvm.store %zero, %chunk_capacity_at : i64, !llvm.ptr
  llvm.return %tape : !llvm.ptr
}

llvm.func internal @__dp_tape_grow(%tape: !llvm.ptr) attributes {passthrough = ["noinline"]} {
  %two = llvm.mlir.constant(2 : i64) : i64
  %null = llvm.mlir.zero : !llvm.ptr
  %data_at = llvm.getelementptr %tape[0, 0] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %capacity_at = llvm.getelementptr %tape[0, 3] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %data = llvm.load %data_at : !llvm.ptr -> !llvm.ptr
  %capacity = llvm.load %capacity_at : !llvm.ptr -> i64
  %grown = llvm.mul %capacity, %two : i64
  %new_data = llvm.call @realloc(%data, %grown) : (!llvm.ptr, i64) -> !llvm.ptr
  %failed = llvm.icmp "eq" %new_data, %null : !llvm.ptr
  llvm.cond_br %failed, ^out_of_memory, ^ready
^out_of_memory:
  llvm.call_intrinsic "llvm.trap"() : () -> ()
  llvm.unreachable
^ready:
  llvm.store %new_data, %data_at : !llvm.ptr, !llvm.ptr
  llvm.store %grown, %capacity_at : i64, !llvm.ptr
  llvm.return
}

llvm.func internal @__dp_tape_push_slot(%tape: !llvm.ptr) -> !llvm.ptr attributes {passthrough = ["alwaysinline"]} {
  %slot = llvm.mlir.constant(8 : i64) : i64
  %data_at = llvm.getelementptr %tape[0, 0] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %top_at = llvm.getelementptr %tape[0, 1] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %end_at = llvm.getelementptr %tape[0, 2] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %capacity_at = llvm.getelementptr %tape[0, 3] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %top = llvm.load %top_at : !llvm.ptr -> i64
  %capacity = llvm.load %capacity_at : !llvm.ptr -> i64
  %full = llvm.icmp "uge" %top, %capacity : i64
  llvm.cond_br %full weights([1, 1000]), ^grow, ^store
^grow:
  llvm.call @__dp_tape_grow(%tape) : (!llvm.ptr) -> ()
  llvm.br ^store
^store:
  %data = llvm.load %data_at : !llvm.ptr -> !llvm.ptr
  %at = llvm.getelementptr %data[%top] : (!llvm.ptr, i64) -> !llvm.ptr, i8
  %next = llvm.add %top, %slot : i64
  llvm.store %next, %top_at : i64, !llvm.ptr
  llvm.store %next, %end_at : i64, !llvm.ptr
  llvm.return %at : !llvm.ptr
}

llvm.func internal @__dp_tape_pop_slot(%tape: !llvm.ptr) -> !llvm.ptr attributes {passthrough = ["alwaysinline"]} {
  %slot = llvm.mlir.constant(8 : i64) : i64
  %zero = llvm.mlir.constant(0 : i64) : i64
  %data_at = llvm.getelementptr %tape[0, 0] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %top_at = llvm.getelementptr %tape[0, 1] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %top = llvm.load %top_at : !llvm.ptr -> i64
  %empty = llvm.icmp "eq" %top, %zero : i64
  llvm.cond_br %empty weights([1, 1000]), ^underflow, ^load
^underflow:
  llvm.call_intrinsic "llvm.trap"() : () -> ()
  llvm.unreachable
^load:
  %previous = llvm.sub %top, %slot : i64
  llvm.store %previous, %top_at : i64, !llvm.ptr
  %data = llvm.load %data_at : !llvm.ptr -> !llvm.ptr
  %at = llvm.getelementptr %data[%previous] : (!llvm.ptr, i64) -> !llvm.ptr, i8
  llvm.return %at : !llvm.ptr
}

llvm.func internal @__dp_tape_rewind(%tape: !llvm.ptr) attributes {passthrough = ["alwaysinline"]} {
  %top_at = llvm.getelementptr %tape[0, 1] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %end_at = llvm.getelementptr %tape[0, 2] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %end = llvm.load %end_at : !llvm.ptr -> i64
  llvm.store %end, %top_at : i64, !llvm.ptr
  llvm.return
}

llvm.func internal @__dp_tape_free(%tape: !llvm.ptr) {
  %zero = llvm.mlir.constant(0 : i64) : i64
  %one = llvm.mlir.constant(1 : i64) : i64
  %data_at = llvm.getelementptr %tape[0, 0] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %owned_at = llvm.getelementptr %tape[0, 4] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %owned_count_at = llvm.getelementptr %tape[0, 5] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %owned = llvm.load %owned_at : !llvm.ptr -> !llvm.ptr
  %count = llvm.load %owned_count_at : !llvm.ptr -> i64
  llvm.br ^check(%zero : i64)
^check(%i: i64):
  %more = llvm.icmp "ult" %i, %count : i64
  llvm.cond_br %more, ^release, ^done
^release:
  %entry = llvm.getelementptr %owned[%i] : (!llvm.ptr, i64) -> !llvm.ptr, !llvm.ptr
  %buffer = llvm.load %entry : !llvm.ptr -> !llvm.ptr
  llvm.call @free(%buffer) : (!llvm.ptr) -> ()
  %next = llvm.add %i, %one : i64
  llvm.br ^check(%next : i64)
^done:
  llvm.call @free(%owned) : (!llvm.ptr) -> ()
  %data = llvm.load %data_at : !llvm.ptr -> !llvm.ptr
  llvm.call @free(%data) : (!llvm.ptr) -> ()
  llvm.call @free(%tape) : (!llvm.ptr) -> ()
  llvm.return
}

// Copies of arrays are 64-byte aligned in their chunk; a chunk is at least
// 16 KiB.
llvm.func internal @__dp_tape_push_array(%tape: !llvm.ptr, %source: !llvm.ptr, %bytes: i64) attributes {passthrough = ["noinline"]} {
  %one = llvm.mlir.constant(1 : i64) : i64
  %two = llvm.mlir.constant(2 : i64) : i64
  %eight = llvm.mlir.constant(8 : i64) : i64
  %align_mask = llvm.mlir.constant(63 : i64) : i64
  %align = llvm.mlir.constant(-64 : i64) : i64
  %min_chunk = llvm.mlir.constant(16384 : i64) : i64
  %min_owned = llvm.mlir.constant(8 : i64) : i64
  %zero = llvm.mlir.constant(0 : i64) : i64
  %null = llvm.mlir.zero : !llvm.ptr
  %chunk_at = llvm.getelementptr %tape[0, 7] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %chunk_used_at = llvm.getelementptr %tape[0, 8] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %chunk_capacity_at = llvm.getelementptr %tape[0, 9] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %padded = llvm.add %bytes, %align_mask : i64
  %size = llvm.and %padded, %align : i64
  %used = llvm.load %chunk_used_at : !llvm.ptr -> i64
  %chunk_capacity = llvm.load %chunk_capacity_at : !llvm.ptr -> i64
  %wanted = llvm.add %used, %size : i64
  %chunk_full = llvm.icmp "ugt" %wanted, %chunk_capacity : i64
  llvm.cond_br %chunk_full weights([1, 1000]), ^new_chunk, ^copy
^new_chunk:
  %doubled_chunk = llvm.mul %chunk_capacity, %two : i64
  %at_least = llvm.intr.umax(%doubled_chunk, %min_chunk) : (i64, i64) -> i64
  %new_capacity = llvm.intr.umax(%at_least, %size) : (i64, i64) -> i64
  %new_chunk_data = llvm.call @malloc(%new_capacity) : (i64) -> !llvm.ptr
  %no_chunk = llvm.icmp "eq" %new_chunk_data, %null : !llvm.ptr
  llvm.cond_br %no_chunk, ^out_of_memory, ^own
^own:
  %owned_at = llvm.getelementptr %tape[0, 4] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %owned_count_at = llvm.getelementptr %tape[0, 5] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %owned_capacity_at = llvm.getelementptr %tape[0, 6] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64, i64, i64, ptr, i64, i64, ptr, i64, i64)>
  %count = llvm.load %owned_count_at : !llvm.ptr -> i64
  %capacity = llvm.load %owned_capacity_at : !llvm.ptr -> i64
  %full = llvm.icmp "uge" %count, %capacity : i64
  llvm.cond_br %full, ^grow, ^record
^grow:
  %doubled = llvm.mul %capacity, %two : i64
  %grown = llvm.intr.umax(%doubled, %min_owned) : (i64, i64) -> i64
  %grown_bytes = llvm.mul %grown, %eight : i64
  %owned = llvm.load %owned_at : !llvm.ptr -> !llvm.ptr
  %new_owned = llvm.call @realloc(%owned, %grown_bytes) : (!llvm.ptr, i64) -> !llvm.ptr
  %no_owned = llvm.icmp "eq" %new_owned, %null : !llvm.ptr
  llvm.cond_br %no_owned, ^out_of_memory, ^grown
^grown:
  llvm.store %new_owned, %owned_at : !llvm.ptr, !llvm.ptr
  llvm.store %grown, %owned_capacity_at : i64, !llvm.ptr
  llvm.br ^record
^record:
  %list = llvm.load %owned_at : !llvm.ptr -> !llvm.ptr
  %entry = llvm.getelementptr %list[%count] : (!llvm.ptr, i64) -> !llvm.ptr, !llvm.ptr
  llvm.store %new_chunk_data, %entry : !llvm.ptr, !llvm.ptr
  %next = llvm.add %count, %one : i64
  llvm.store %next, %owned_count_at : i64, !llvm.ptr
  llvm.store %new_chunk_data, %chunk_at : !llvm.ptr, !llvm.ptr
  llvm.store %zero, %chunk_used_at : i64, !llvm.ptr
  llvm.store %new_capacity, %chunk_capacity_at : i64, !llvm.ptr
  llvm.br ^copy
^copy:
  %chunk = llvm.load %chunk_at : !llvm.ptr -> !llvm.ptr
  %offset = llvm.load %chunk_used_at : !llvm.ptr -> i64
  %copy = llvm.getelementptr %chunk[%offset] : (!llvm.ptr, i64) -> !llvm.ptr, i8
  %after = llvm.add %offset, %size : i64
  llvm.store %after, %chunk_used_at : i64, !llvm.ptr
  "llvm.intr.memcpy"(%copy, %source, %bytes) <{isVolatile = false}> : (!llvm.ptr, !llvm.ptr, i64) -> ()
  %slot = llvm.call @__dp_tape_push_slot(%tape) : (!llvm.ptr) -> !llvm.ptr
  llvm.store %copy, %slot : !llvm.ptr, !llvm.ptr
  llvm.return
^out_of_memory:
  llvm.call_intrinsic "llvm.trap"() : () -> ()
  llvm.unreachable
}
)mlir";

/// Returns the runtime function `name` in the module around `op`, first
/// copying the tape runtime into that module if it is not there yet.
static FailureOr<LLVM::LLVMFuncOp>
getRuntimeFunction(ConversionPatternRewriter &rewriter, Operation *op,
                   StringRef name) {
  Operation *table = SymbolTable::getNearestSymbolTable(op->getParentOp());
  if (!table || table->getNumRegions() != 1 ||
      !table->getRegion(0).hasOneBlock())
    return rewriter.notifyMatchFailure(op, "no symbol table to hold the tape "
                                           "runtime");
  if (auto fn = dyn_cast_or_null<LLVM::LLVMFuncOp>(
          SymbolTable::lookupSymbolIn(table, name)))
    return fn;

  OwningOpRef<ModuleOp> runtime =
      parseSourceString<ModuleOp>(kTapeRuntime, rewriter.getContext());
  if (!runtime)
    return rewriter.notifyMatchFailure(op, "the tape runtime does not parse");
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPointToStart(&table->getRegion(0).front());
  for (auto fn : runtime->getOps<LLVM::LLVMFuncOp>()) {
    Operation *existing = SymbolTable::lookupSymbolIn(table, fn.getName());
    if (!existing) {
      rewriter.clone(*fn);
      continue;
    }
    auto existingFn = dyn_cast<LLVM::LLVMFuncOp>(existing);
    if (!existingFn || existingFn.getFunctionType() != fn.getFunctionType())
      return rewriter.notifyMatchFailure(
          op, "the module defines '" + fn.getName() +
                  "' with a type the tape runtime cannot use");
  }
  return cast<LLVM::LLVMFuncOp>(SymbolTable::lookupSymbolIn(table, name));
}

namespace {
template <typename OpTy>
struct TapeOpLowering : public ConvertOpToLLVMPattern<OpTy> {
  using ConvertOpToLLVMPattern<OpTy>::ConvertOpToLLVMPattern;

protected:
  /// Emits a call of the runtime function `name`.
  FailureOr<Value> call(ConversionPatternRewriter &rewriter, OpTy op,
                        StringRef name, ValueRange args) const {
    FailureOr<LLVM::LLVMFuncOp> fn = getRuntimeFunction(rewriter, op, name);
    if (failed(fn))
      return failure();
    auto callOp = LLVM::CallOp::create(rewriter, op.getLoc(), *fn, args);
    return callOp.getNumResults() ? callOp.getResult() : Value();
  }
};

struct TapeInitLowering : public TapeOpLowering<TapeInitOp> {
  using TapeOpLowering::TapeOpLowering;
  LogicalResult
  matchAndRewrite(TapeInitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type i64 = rewriter.getI64Type();
    Value capacity = adaptor.getCapacity();
    if (!capacity)
      capacity = LLVM::ConstantOp::create(rewriter, op.getLoc(), i64,
                                          rewriter.getI64IntegerAttr(0));
    else if (capacity.getType() != i64)
      capacity = LLVM::ZExtOp::create(rewriter, op.getLoc(), i64, capacity);
    FailureOr<Value> tape = call(rewriter, op, "__dp_tape_init", capacity);
    if (failed(tape))
      return failure();
    rewriter.replaceOp(op, *tape);
    return success();
  }
};

/// Bytes of an identity-layout memref with a static shape.
static int64_t byteSize(MemRefType type) {
  return type.getNumElements() *
         llvm::divideCeil(type.getElementTypeBitWidth(), 8);
}

struct TapePushLowering : public TapeOpLowering<TapePushOp> {
  using TapeOpLowering::TapeOpLowering;
  LogicalResult
  matchAndRewrite(TapePushOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (auto type = dyn_cast<MemRefType>(op.getValue().getType())) {
      MemRefDescriptor descriptor(adaptor.getValue());
      Value data = descriptor.alignedPtr(rewriter, op.getLoc());
      Value bytes = LLVM::ConstantOp::create(
          rewriter, op.getLoc(), rewriter.getI64Type(),
          rewriter.getI64IntegerAttr(byteSize(type)));
      if (failed(call(rewriter, op, "__dp_tape_push_array",
                      {adaptor.getTape(), data, bytes})))
        return failure();
      rewriter.eraseOp(op);
      return success();
    }
    if (isa<TensorType>(op.getValue().getType()))
      return rewriter.notifyMatchFailure(op, "tensors are pushed once "
                                             "bufferized");
    FailureOr<Value> slot =
        call(rewriter, op, "__dp_tape_push_slot", adaptor.getTape());
    if (failed(slot))
      return failure();
    LLVM::StoreOp::create(rewriter, op.getLoc(), adaptor.getValue(), *slot);
    rewriter.eraseOp(op);
    return success();
  }
};

struct TapePopLowering : public TapeOpLowering<TapePopOp> {
  using TapeOpLowering::TapeOpLowering;
  LogicalResult
  matchAndRewrite(TapePopOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (isa<TensorType>(op.getValue().getType()))
      return rewriter.notifyMatchFailure(op, "tensors are popped once "
                                             "bufferized");
    FailureOr<Value> slot =
        call(rewriter, op, "__dp_tape_pop_slot", adaptor.getTape());
    if (failed(slot))
      return failure();
    if (auto type = dyn_cast<MemRefType>(op.getValue().getType())) {
      // The slot holds the tape's copy of the array.
      Value data = LLVM::LoadOp::create(
          rewriter, op.getLoc(), LLVM::LLVMPointerType::get(getContext()), *slot);
      Value descriptor = MemRefDescriptor::fromStaticShape(
          rewriter, op.getLoc(), *getTypeConverter(), type, data);
      rewriter.replaceOp(op, descriptor);
      return success();
    }
    Type type = getTypeConverter()->convertType(op.getValue().getType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "element type does not lower");
    rewriter.replaceOpWithNewOp<LLVM::LoadOp>(op, type, *slot);
    return success();
  }
};

/// Lowers an op whose whole effect is one runtime call on the tape.
template <typename OpTy>
struct TapeCallLowering : public TapeOpLowering<OpTy> {
  TapeCallLowering(const LLVMTypeConverter &converter, StringRef function)
      : TapeOpLowering<OpTy>(converter), function(function) {}
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(this->call(rewriter, op, function, adaptor.getTape())))
      return failure();
    rewriter.eraseOp(op);
    return success();
  }
  StringRef function;
};

struct ConvertTapeToLLVMPass
    : public dp::impl::DpConvertTapeToLLVMBase<ConvertTapeToLLVMPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    LLVMTypeConverter converter(context);
    RewritePatternSet patterns(context);
    populateTapeToLLVMConversionPatterns(converter, patterns);
    ConversionTarget target(*context);
    target.addLegalDialect<LLVM::LLVMDialect>();
    target.addIllegalOp<TapeInitOp, TapePushOp, TapePopOp, TapeRewindOp,
                        TapeFreeOp>();
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void mlir::dp::populateTapeToLLVMConversionPatterns(
    LLVMTypeConverter &converter, RewritePatternSet &patterns) {
  converter.addConversion([](TapeType type) -> Type {
    return LLVM::LLVMPointerType::get(type.getContext());
  });
  patterns.add<TapeInitLowering, TapePushLowering, TapePopLowering>(converter);
  patterns.add<TapeCallLowering<TapeRewindOp>>(converter, "__dp_tape_rewind");
  patterns.add<TapeCallLowering<TapeFreeOp>>(converter, "__dp_tape_free");
}
