//===- Emitter.h - StableHLO export: the shared emitter ---------*- C++ -*-===//
//
// The pinned MLIR has no StableHLO dialect, so the export builds StableHLO
// operations as unregistered operations (`stablehlo.add`, ...), which MLIR
// prints in the generic form that StableHLO's own parser reads; StableHLO
// attributes are opaque attributes of the `stablehlo` namespace
// (`#stablehlo<comparison_direction GT>`, `#stablehlo.dot<...>`).
//
// Every value becomes a ranked tensor: scalars are rank-0 tensors and
// `index` is i64. A `!dp.tape` becomes static stacks, one per element type
// pushed anywhere in the module, each a tensor<capacity x element> plus an
// i64 count; the capacity is the most pushes onto one tape in its life (loops
// with compile-time trip counts), so a tape never overflows. The emitter
// walks each function once, in order, mapping every value of the input to
// its StableHLO counterpart, and threads tape stacks through loops,
// branches and calls as ordinary values.
//
//===----------------------------------------------------------------------===//

#ifndef DP_PASSES_STABLEHLO_EMITTER_H
#define DP_PASSES_STABLEHLO_EMITTER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Dialect.h"
#include "llvm/ADT/MapVector.h"

namespace mlir::dp::stablehlo {

/// Holds the StableHLO operations the export builds: a dialect of the
/// `stablehlo` namespace that registers no operation and accepts any, so
/// that the exported module verifies and prints (in generic form).
class OpenDialect : public Dialect {
public:
  explicit OpenDialect(MLIRContext *context);
  static StringRef getDialectNamespace() { return "stablehlo"; }
};

/// The stacks a tape becomes: for each element type, the buffer and the
/// count, in the order of `TapeLayout::types`.
using TapeState = SmallVector<Value, 4>;

/// Element types a tape holds and how many of each fit.
struct TapeLayout {
  llvm::MapVector<Type, int64_t> capacity; // input element type -> slots
  bool empty() const { return capacity.empty(); }
};

class Emitter {
public:
  Emitter(ModuleOp module, const TapeLayout &layout)
      : module(module), builder(module.getContext()), layout(layout) {}

  /// Converts `fn` into `into` (an empty func.func with converted types).
  LogicalResult emitFunction(func::FuncOp fn, func::FuncOp into);

  /// The StableHLO type of a value of type `type` (rank-0 tensors for
  /// scalars, i64 for index); null if there is none.
  static Type convertType(Type type);
  /// The function type `fn` gets: tape arguments expand into their stacks,
  /// which are also returned, after the results.
  FunctionType convertFunctionType(FunctionType type);

  // Building blocks, shared by the op families.
  Value op(StringRef name, ValueRange operands, Type result,
           ArrayRef<NamedAttribute> attrs = {});
  Operation *opN(StringRef name, ValueRange operands, TypeRange results,
                 ArrayRef<NamedAttribute> attrs = {}, unsigned regions = 0);
  Value constant(Attribute dense);
  Value scalarConstant(Type element, double value);
  Value intConstant(int64_t value, Type element);
  Value reshape(Value value, ArrayRef<int64_t> shape);
  Value broadcastTo(Value value, ArrayRef<int64_t> shape,
                    ArrayRef<int64_t> dims);
  Value convert(Value value, Type element);
  Value compare(Value lhs, Value rhs, StringRef direction);
  Value select(Value pred, Value a, Value b);
  Attribute opaque(StringRef data);
  NamedAttribute attr(StringRef name, Attribute value);
  NamedAttribute i64s(StringRef name, ArrayRef<int64_t> values);

  /// The StableHLO value of an input value.
  Value lookup(Value value);
  /// `lookup`, broadcast to the iteration space inside a structured op's
  /// body (where scalar ops run on whole tensors).
  Value operandAt(Value value);
  void map(Value from, Value to) { values[from] = to; }

  /// Emits `block`'s ops (without its terminator) at the builder.
  LogicalResult emitOps(Block &block);
  /// Creates the block of `into` with arguments of `argTypes` and lets
  /// `body` fill it, terminator included.
  LogicalResult emitRegion(Region &into, TypeRange argTypes,
                           function_ref<LogicalResult(Block &)> body);

  // Op families (one file each).
  LogicalResult emitArithMath(Operation *op, bool &handled);
  LogicalResult emitTensor(Operation *op, bool &handled);
  LogicalResult emitLinalg(Operation *op, bool &handled);
  LogicalResult emitControlFlow(Operation *op, bool &handled);
  LogicalResult emitTape(Operation *op, bool &handled);

  /// Emits the scalar body of a linalg op elementwise on whole tensors:
  /// block argument i is `args[i]`; returns the yielded values.
  FailureOr<SmallVector<Value>> emitElementwiseBody(Block &body,
                                                    ValueRange args);

  // Tapes.
  SmallVector<Type> tapeStateTypes() const;
  TapeState newTape();
  /// Tapes of the enclosing scope that ops in `region` push to or pop from.
  SmallVector<Value> tapesUsedIn(Region &region);
  /// A tape's stacks, after the pushes still pending (pushes are emitted
  /// together, one write per element type, where the stacks are next read).
  TapeState &tapeState(Value tape);
  void flushPushes(Value tape);
  void setTapeState(Value tape, ValueRange state);

  LogicalResult unsupported(Operation *op, const Twine &why);

  ModuleOp module;
  OpBuilder builder;
  const TapeLayout &layout;
  Location loc = UnknownLoc::get(module.getContext());
  /// The iteration space while a structured op's body is emitted.
  std::optional<SmallVector<int64_t>> bodyShape;

private:
  LogicalResult emitOp(Operation *op);
  LogicalResult emitFuncOp(Operation *op, bool &handled);

  DenseMap<Value, Value> values;
  DenseMap<Value, TapeState> tapes;
  /// Per tape, per element type: rows pushed and not yet written.
  DenseMap<Value, SmallVector<SmallVector<Value>>> pendingPushes;
  /// Pops emitted with an earlier pop of their run.
  llvm::SmallPtrSet<Operation *, 16> poppedAlready;
};

/// The most iterations of a while loop that counts (a `range` loop with a
/// `break`, as the frontend writes it), or nothing for a data-dependent one.
std::optional<int64_t> countedTrips(scf::WhileOp loop);

/// The stacks tapes need: per element type, the most pushes onto one tape
/// during its life; an error at a loop whose trip count has no
/// compile-time bound and whose body pushes onto a tape from outside it.
FailureOr<TapeLayout> analyzeTapes(ModuleOp module);

} // namespace mlir::dp::stablehlo

MLIR_DECLARE_EXPLICIT_TYPE_ID(::mlir::dp::stablehlo::OpenDialect)

#endif // DP_PASSES_STABLEHLO_EMITTER_H
