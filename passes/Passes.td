//===- Passes.td - dp passes --------------------------------*- tablegen -*-===//

#ifndef DP_PASSES_TD
#define DP_PASSES_TD

include "mlir/Pass/PassBase.td"

def DpEraseStopGradient : Pass<"dp-erase-stop-gradient"> {
  let summary = "Replace dp.stop_gradient by its operand";
  let description = [{
    `dp.stop_gradient` only matters to differentiation. Once `dp-autodiff`
    has run, this pass forwards each stop_gradient's operand to its uses and
    erases the op, so that lowering sees only upstream operations.
  }];
}

def DpKeepRuleCalls : Pass<"dp-keep-rule-calls"> {
  let summary = "Mark calls of functions with custom derivative rules no_inline";
  let description = [{
    `dp-autodiff` applies the custom derivative rules of a function
    (`dp.custom_vjp`, `dp.custom_jvp`, `dp.checkpoint`) at its calls. This
    pass, run before the inliner, marks those calls `no_inline`, so that
    inlining cannot dissolve them and silently replace the rule by the
    derivative of the primal.
  }];
}

def DpConvertTapeToLLVM : Pass<"dp-convert-tape-to-llvm", "ModuleOp"> {
  let summary = "Lower dp tapes to LLVM: heap stacks that grow by doubling";
  let description = [{
    Lowers `!dp.tape` to `!llvm.ptr` and the tape operations to calls of small
    internal LLVM functions that this pass adds to the module (a tape is a
    header with a data pointer, a read position, the end of what was pushed
    and a capacity; it starts with room for the requested capacity and grows
    by doubling with `realloc`). Every element occupies one 8-byte slot. The
    same patterns serve the upstream `convert-to-llvm` pass through the
    dialect's ConvertToLLVMPatternInterface.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def DpExportStableHLO : Pass<"dp-export-stablehlo", "ModuleOp"> {
  let summary = "Export a differentiated module as StableHLO (in generic "
                "form)";
  let description = [{
    Rewrites a module of func/arith/math/scf/tensor/linalg and dp tape
    operations, as `dp-autodiff` leaves it, into StableHLO: `stablehlo.*`
    operations inside `func.func`, every value a static tensor (scalars
    rank-0, index i64). Loops become `stablehlo.while`, branches
    `stablehlo.if`/`stablehlo.case`, contractions `stablehlo.dot_general`,
    reductions `stablehlo.reduce`; tapes become static stacks sized by the
    module's compile-time trip counts. The pinned MLIR has no StableHLO
    dialect: the operations are unregistered and print in generic form,
    which StableHLO's parser reads. An operation without a StableHLO form
    (a call into the host, a loop whose derivative needs a tape of unknown
    size) is an error at that operation. With `entry`, that function
    becomes the public `@main` and every other one private.
  }];
  let options = [
    Option<"entry", "entry", "std::string", /*default=*/"\"\"",
           "The function to export as the public @main">,
    Option<"unrollLimit", "unroll-limit", "int64_t", /*default=*/"16",
           "Unroll scf.for loops of at most this many (compile-time) trips, "
           "since XLA runs each iteration of a while loop as a step">,
  ];
}

def DpCheckpointWhileLoops : Pass<"dp-checkpoint-while-loops", "ModuleOp"> {
  let summary = "Reverse data-dependent while loops in static memory: count "
                "the trips, then run checkpointed segments";
  let description = [{
    Run before `dp-autodiff` where memory must be static (the StableHLO
    export). Each `scf.while` whose trip count depends on data, in a function
    that reverse mode differentiates (and forward mode does not), becomes a
    count of its trips on stopped-gradient inputs, then `snapshots` calls of
    a segment function that runs at most ceil(trips / snapshots) iterations.
    The segment carries a `dp.custom_vjp` rule: its residuals are the
    segment's first state, and its backward function recomputes each
    iteration's state from it and pulls the cotangent through one body
    (`dp.autodiff` of the outlined body). The tape then holds `snapshots`
    states and one iteration's values, whatever the trip count; the reverse
    sweep recomputes O(trips^2 / snapshots) iterations.
  }];
  let options = [
    Option<"snapshots", "snapshots", "int64_t", /*default=*/"64",
           "States kept per loop (segments of the loop)">,
  ];
}

def DpAutodiff : Pass<"dp-autodiff", "ModuleOp"> {
  let summary = "Build derivatives: replace dp.autodiff, dp.fwddiff, "
                "dp.augmented and dp.reverse by calls of generated functions";
  let description = [{
    Differentiates each callee once per activity signature. Forward mode
    builds a tangent function; reverse mode builds an augmented function
    (the primal plus pushes of what the reverse sweep needs onto a tape) and
    a reverse function (the adjoints, reading the tape backwards). Loops,
    branches and calls are differentiated structurally (`scf.for`,
    `scf.while`, `scf.if`, `scf.index_switch`, `scf.execute_region`,
    `func.call`); unstructured `cf` control flow is first lifted to `scf`
    on a copy of the function. An operation on an active value without a
    derivative rule is an error at that operation.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::ub::UBDialect",
    "::mlir::dp::DpDialect",
  ];
}

def DpPrintActivity : Pass<"dp-print-activity", "ModuleOp"> {
  let summary = "Report the activity analysis of every differentiated callee";
  let description = [{
    For each derivative request, runs the activity analysis of its callee
    under the request's activities and reports, as remarks, which arguments
    and which results of each op are active. A debugging aid, like Enzyme's
    print-activity-analysis.
  }];
}

def DpPrintDerivativeRules : Pass<"dp-print-derivative-rules", "ModuleOp"> {
  let summary = "List how dp-autodiff treats every registered op";
  let description = [{
    Prints one line per op of the dialects loaded in the context (or of one
    dialect; `MLIRContext::loadAllAvailableDialects` first lists them all):
    `rule` or `zero derivative` (a derivative rule), `discrete (why)` (its
    results carry no derivative by definition: comparisons, conversions to
    integers, shapes), `modeled (why)` (control flow, calls, buffers and
    requests, which the activity analysis handles itself), or `rejected`:
    an error naming the op wherever a derivative would flow through it.
    There is no fourth kind: no op is inactive by default.
  }];
  let options = [
    Option<"dialect", "dialect", "std::string", /*default=*/"\"\"",
           "Only the ops of this dialect (all when empty)">,
  ];
}

def DpMathToLibm : Pass<"dp-math-to-libm", "ModuleOp"> {
  let summary = "Call libm for the math ops LLVM lowers inaccurately or not "
                "at all";
  let description = [{
    Replaces scalar f32/f64 `math` ops that have no exact LLVM intrinsic
    (tan, the inverse and hyperbolic functions, atan2, erf, erfc, cbrt) and
    those whose generic lowering loses accuracy near zero (expm1, log1p) by
    calls of the C math library. Ops with an LLVM intrinsic (sin, exp, sqrt,
    pow, ...) are left to `convert-to-llvm`.
  }];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

def DpLowerRuntimeChecks : Pass<"dp-lower-runtime-checks", "ModuleOp"> {
  let summary = "Failed cf.assert checks call the runtime instead of abort()";
  let description = [{
    Replaces each `cf.assert %ok, "message"` by a call of the runtime's
    `dpRuntimeError(const char *)` when `%ok` is false, with the message
    prefixed by the op's `file:line:col`. The call records the failure and
    returns; the caller of the compiled function raises a typed Python error
    after it returns. The Python frontend emits these checks where Python
    would raise (an integer overflowing 64 bits, a division by zero).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::scf::SCFDialect"];
}

def DpExpandTanh : Pass<"dp-expand-tanh", "ModuleOp"> {
  let summary = "Expand f64 tanh into multiply-adds and exp, which vectorize";
  let description = [{
    Replaces `math.tanh` on f64 by `x * P(x^2)` (the Taylor series, 17 terms)
    for |x| < 1/2 and `copysign(1 - 2 / (exp(2|x|) + 1), x)` otherwise: within
    3 ulp of libm's tanh. Unlike a call of libm's tanh, a loop of these
    vectorizes.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

def DpBufferize : Pass<"dp-bufferize", "ModuleOp"> {
  let summary = "Turn tensors into buffers, when the module has any";
  let description = [{
    Runs one-shot bufferization (with function arguments and results as
    identity-layout memrefs), then frees buffers with the ownership-based
    deallocation. A module without tensors is left as it is, so that code
    bufferization does not support (an `scf.execute_region` with several
    blocks, from lifted control flow) still lowers when it has no tensors.
  }];
  let dependentDialects = [
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def DpWidenBoolBuffers : Pass<"dp-widen-bool-buffers", "ModuleOp"> {
  let summary = "Store booleans in memory as bytes";
  let description = [{
    Rewrites every `memref` of `i1` (numpy bool arrays, the ownership flags of
    buffer deallocation) to a `memref` of `i8`, extending on store and
    truncating on load, in functions, calls and structured control flow. A
    bool array is one byte per element, as in numpy, and LLVM lowering of
    memory needs whole bytes.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def DpLinalgToBlas : Pass<"dp-linalg-to-blas", "ModuleOp"> {
  let summary = "Call a BLAS for matrix products on buffers";
  let description = [{
    Replaces `linalg.matmul` on f64 (f32) memrefs whose rows are contiguous
    by a call of the CBLAS function named by `dgemm` (`sgemm`), row-major,
    with 64-bit integers (ILP64, like the OpenBLAS that numpy ships:
    `scipy_cblas_dgemm64_`). A tuned, multithreaded BLAS beats the loops
    linalg lowers to by one or two orders of magnitude. With no function
    named, the pass changes nothing.
  }];
  let options = [
    Option<"dgemm", "dgemm", "std::string", "\"\"",
           "CBLAS dgemm symbol (ILP64) to call for f64 products">,
    Option<"sgemm", "sgemm", "std::string", "\"\"",
           "CBLAS sgemm symbol (ILP64) to call for f32 products">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def DpFuseArrayOps : Pass<"dp-fuse-array-ops", "ModuleOp"> {
  let summary = "Fuse broadcasts, transposes, fills and elementwise ops on "
                "tensors into their consumers";
  let description = [{
    Rewrites the named linalg ops an array program is made of (broadcast,
    transpose, fill, reduce, matvec, vecmat, dot; everything but matmul,
    which a BLAS may take) as linalg.generic, then fuses each elementwise
    producer with a single use into its consumer, reductions included. A
    chain like `sum(exp(x[:, None] - m))` then runs as one loop nest with no
    temporary arrays.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def DpCheckInput : Pass<"dp-check-input"> {
  let summary = "Refuse IR that reaches known aborts or unbounded work in "
                "upstream MLIR";
  let description = [{
    A verification step run before the dp pipelines (and by `dp-opt` before
    any pipeline): an error at the op, instead of an upstream assertion or a
    run without bound, for
    - shaped types (tensor, memref, vector, nested ones included) with more
      than `max-elements` static elements: folders and lowerings build one
      value per element;
    - vectors with more than `max-vector-elements` elements: the LLVM
      lowering unrolls n-D vectors into one op per leading index and spells
      1-D masks element by element;
    - `tensor.from_elements` of `ub.poison`: its folder asserts (MLIR 22);
    - `tensor.pad` with a static padding of -2^63, the marker of a dynamic
      one: its printer asserts.
    A limit of 0 turns its check off. The IR is not changed.
  }];
  let options = [
    Option<"maxElements", "max-elements", "uint64_t", "2147483648",
           "Most static elements of a shaped type">,
    Option<"maxVectorElements", "max-vector-elements", "uint64_t", "65536",
           "Most elements of a vector type">,
  ];
}

def DpGpuMapParallelLoops : Pass<"dp-gpu-map-parallel-loops", "ModuleOp"> {
  let summary = "Map the outermost parallel loops of host code to GPU blocks "
                "and threads";
  let description = [{
    Prepares buffer code for `convert-parallel-loops-to-gpu`. Host-side
    `memref.copy` becomes `linalg.copy` lowered to a parallel loop, so that
    no copy touches device memory from the host. Every outermost
    `scf.parallel` (one not nested in another) has its dimensions collapsed
    into one, which is tiled by `block-size`: the tile loop maps to
    `block_x`, the loop inside a tile to `thread_x`, with a bounds guard
    for the last block. Parallel loops nested inside run sequentially in
    each thread. A host loop nest that folds every element into one buffer
    element with an add, mul, max or min of floats (what linalg leaves of a
    full reduction) becomes two parallel loops, 65536 strided partial folds
    and 256 folds of those, and a host fold of the last 256 values. A
    parallel loop with reductions stays on the host as a sequential loop.
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", "256",
           "Threads per block">,
  ];
  let dependentDialects = ["::mlir::gpu::GPUDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::scf::SCFDialect"];
}

def DpGpuHostMemory : Pass<"dp-gpu-host-memory", "ModuleOp"> {
  let summary = "Allocate the buffers of host code in memory the GPU can "
                "read: gpu.alloc host_shared";
  let description = [{
    After kernel outlining, the host code's `memref.alloc` becomes
    `gpu.alloc host_shared` (CUDA managed memory) and `memref.dealloc` a
    call of the runtime's `dpGpuFree(pointer)`: kernels read and write them, and scalar host
    code (loop counters, a tape's bookkeeping, a reduction left on the host)
    reads them too. A host-side `memref.alloca` (a stack buffer, which a
    kernel cannot see) that a kernel uses is an error at the op. The module
    gets the unit attribute `dp.gpu.host_access` when host code still loads
    or stores buffer elements, so that the runtime knows whether device
    arrays passed in zero-copy must be staged into managed memory first.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect",
                           "::mlir::LLVM::LLVMDialect"];
}

#endif // DP_PASSES_TD
