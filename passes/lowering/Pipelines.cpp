//===- Pipelines.cpp - named lowering pipelines ---------------------------===//

#include "passes/Passes.h"

#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

using namespace mlir;

// Differentiate optimized IR (inline, canonicalize, CSE first, as Enzyme
// does; calls that carry custom rules stay calls), then clean the
// derivatives up. dp-check-input first: IR on which
// upstream passes abort or run without bound is an error at its op.
// With snapshots, data-dependent while loops are first rewritten to be
// reversed in static memory (dp-checkpoint-while-loops).
static std::string differentiate(int64_t snapshots) {
  std::string checkpoint =
      snapshots > 0 ? "dp-checkpoint-while-loops{snapshots=" +
                          std::to_string(snapshots) + "}, "
                    : "";
  return "dp-check-input, dp-keep-rule-calls, inline, canonicalize, cse, " +
         checkpoint +
         "dp-autodiff, dp-erase-stop-gradient, "
         "inline, canonicalize, cse, symbol-dce";
}

// ... then tensors to buffers (elementwise ops fused into linalg.generic
// first; function arguments and results as identity-layout memrefs, which
// is what the Python runtime passes and receives; buffers freed by the
// ownership-based deallocation), matrix products to a BLAS when one is
// named, other linalg to loops, and everything to LLVM.
static std::string cpuPipeline(StringRef dgemm, StringRef sgemm,
                               bool genericAlloc, bool runtimeChecks) {
  std::string blas;
  if (!dgemm.empty() || !sgemm.empty())
    blas = ("dp-linalg-to-blas{dgemm=" + dgemm + " sgemm=" + sgemm + "}, ")
               .str();
  return std::string("dp-differentiate, ") +
         (runtimeChecks ? "dp-lower-runtime-checks, " : "") +
         "convert-elementwise-to-linalg, dp-fuse-array-ops, canonicalize, cse, "
         "dp-bufferize, " +
         blas +
         "convert-linalg-to-loops, dp-widen-bool-buffers, "
         "dp-expand-tanh, dp-math-to-libm, convert-scf-to-cf, "
         "expand-strided-metadata, lower-affine, "
         "finalize-memref-to-llvm{use-generic-functions=" +
         (genericAlloc ? "1" : "0") +
         "}, "
         "convert-to-llvm, reconcile-unrealized-casts";
}

// ... or, for NVIDIA GPUs: the same tensor code to buffers in managed memory,
// matrix products to cuBLAS through dp's GPU runtime (its CBLAS-shaped
// dpGpuDgemm/dpGpuSgemm), every other linalg op to parallel loops mapped to
// blocks and threads and outlined into kernels, the kernels to NVVM and to
// PTX or (with ptxas) a cubin embedded in the module, and the host side to
// LLVM calling the runtime's mgpu* functions.
static std::string nvvmPipeline(StringRef chip, StringRef features,
                                int64_t optLevel, StringRef format,
                                StringRef toolkit, int64_t blockSize,
                                bool runtimeChecks, bool cublas) {
  std::string target = ("nvvm-attach-target{chip=" + chip + " O=" +
                        std::to_string(optLevel) +
                        (features.empty() ? "" : " features=" + features) +
                        "}")
                           .str();
  std::string binary = ("gpu-module-to-binary{format=" + format +
                        (toolkit.empty() ? "" : " toolkit=" + toolkit) + "}")
                           .str();
  return std::string("dp-differentiate, ") +
         (runtimeChecks ? "dp-lower-runtime-checks, " : "") +
         "convert-elementwise-to-linalg, dp-fuse-array-ops, canonicalize, cse, "
         "dp-bufferize, " +
         (cublas ? "dp-linalg-to-blas{dgemm=dpGpuDgemm sgemm=dpGpuSgemm}, "
                 : "") +
         "convert-linalg-to-parallel-loops, dp-widen-bool-buffers, canonicalize, "
         "dp-gpu-map-parallel-loops{block-size=" +
         std::to_string(blockSize) +
         "}, func.func(convert-parallel-loops-to-gpu), gpu-kernel-outlining, "
         "dp-gpu-host-memory, lower-affine, "
         "canonicalize, cse, " +
         target +
         ", gpu.module(convert-scf-to-cf, convert-gpu-to-nvvm, canonicalize, "
         "reconcile-unrealized-casts), "
         "dp-expand-tanh, dp-math-to-libm, convert-scf-to-cf, "
         "expand-strided-metadata, lower-affine, gpu-to-llvm, "
         "convert-to-llvm, reconcile-unrealized-casts, " +
         binary;
}

namespace {
struct NvvmPipelineOptions : public PassPipelineOptions<NvvmPipelineOptions> {
  Option<std::string> chip{*this, "chip",
                           llvm::cl::desc("The GPU architecture (sm_XY)"),
                           llvm::cl::init("sm_90")};
  Option<std::string> features{
      *this, "features",
      llvm::cl::desc("PTX features, e.g. +ptx80 (default: the lowest PTX "
                     "version the chip needs)")};
  Option<int64_t> optLevel{*this, "opt-level",
                           llvm::cl::desc("Optimization level of the kernels"),
                           llvm::cl::init(3)};
  Option<std::string> format{
      *this, "format",
      llvm::cl::desc("Embedded kernel form: isa (PTX, compiled by the "
                     "driver at load), bin (a cubin, assembled by ptxas), "
                     "or fatbin"),
      llvm::cl::init("isa")};
  Option<std::string> toolkit{
      *this, "toolkit",
      llvm::cl::desc("Directory with bin/ptxas and nvvm/libdevice (the "
                     "nvidia-cuda-nvcc wheel, or a CUDA toolkit)")};
  Option<int64_t> blockSize{*this, "block-size",
                            llvm::cl::desc("Threads per block"),
                            llvm::cl::init(256)};
  Option<bool> runtimeChecks{
      *this, "runtime-checks",
      llvm::cl::desc("Failed cf.assert checks of host code call "
                     "dpRuntimeError(message) instead of abort()"),
      llvm::cl::init(false)};
  Option<bool> cublas{
      *this, "cublas",
      llvm::cl::desc("Matrix products call cuBLAS through dpGpuDgemm and "
                     "dpGpuSgemm"),
      llvm::cl::init(true)};
};

/// What is wrong with dp-lower-to-nvvm's options ("" if nothing): they are
/// spliced into pipeline text, which must parse.
std::string invalidNvvmOptions(const NvvmPipelineOptions &options) {
  StringRef chip = options.chip;
  if (!chip.consume_front("sm_") || chip.empty() ||
      !llvm::all_of(chip, [](char c) { return llvm::isAlnum(c); }))
    return "chip must be sm_<version> (e.g. sm_90), got '" +
           options.chip.getValue() + "'";
  if (!llvm::is_contained({"isa", "bin", "fatbin"},
                          StringRef(options.format)))
    return "format must be isa, bin or fatbin, got '" +
           options.format.getValue() + "'";
  if (options.optLevel < 0 || options.optLevel > 3)
    return "opt-level must be 0 to 3, got " +
           std::to_string(options.optLevel);
  if (options.blockSize < 1 || options.blockSize > 1024)
    return "block-size must be 1 to 1024, got " +
           std::to_string(options.blockSize);
  auto plain = [](StringRef text) {
    return llvm::none_of(text, [](char c) {
      return c == ' ' || c == '{' || c == '}' || c == ',' || c == '(' ||
             c == ')' || c == '"' || c == '\'';
    });
  };
  if (!plain(options.toolkit) || !plain(options.features))
    return "toolkit and features must not contain spaces, quotes, commas, "
           "braces or parentheses";
  return "";
}

/// Fails with a diagnostic: how a pipeline reports options it cannot run.
struct RefusePass : public PassWrapper<RefusePass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(RefusePass)
  explicit RefusePass(std::string message) : message(std::move(message)) {}
  StringRef getArgument() const override { return "dp-refuse-options"; }
  void runOnOperation() override {
    getOperation().emitError("dp-lower-to-nvvm: ") << message;
    signalPassFailure();
  }
  std::string message;
};

struct DifferentiateOptions
    : public PassPipelineOptions<DifferentiateOptions> {
  Option<int64_t> snapshots{
      *this, "snapshots",
      llvm::cl::desc("Reverse data-dependent while loops in static memory "
                     "with this many states per loop (0: a growing tape)"),
      llvm::cl::init(0)};
};

struct CpuPipelineOptions : public PassPipelineOptions<CpuPipelineOptions> {
  Option<std::string> dgemm{
      *this, "dgemm",
      llvm::cl::desc("CBLAS dgemm symbol (ILP64) for f64 matrix products")};
  Option<std::string> sgemm{
      *this, "sgemm",
      llvm::cl::desc("CBLAS sgemm symbol (ILP64) for f32 matrix products")};
  Option<bool> genericAlloc{
      *this, "generic-alloc",
      llvm::cl::desc("Allocate buffers with _mlir_memref_to_llvm_alloc/_free "
                     "(which the runtime defines) instead of malloc/free"),
      llvm::cl::init(false)};
  Option<bool> runtimeChecks{
      *this, "runtime-checks",
      llvm::cl::desc("Failed cf.assert checks call dpRuntimeError(message), "
                     "which the runtime defines, instead of abort()"),
      llvm::cl::init(false)};
};
} // namespace

namespace mlir::dp {
#define GEN_PASS_DEF_DPBUFFERIZE
#include "passes/Passes.h.inc"
} // namespace mlir::dp

static constexpr StringLiteral kBufferize =
    "one-shot-bufferize{bufferize-function-boundaries allow-return-allocs-from-loops "
    "function-boundary-type-conversion=identity-layout-map}, "
    "func.func(buffer-hoisting), ownership-based-buffer-deallocation, "
    "canonicalize, buffer-deallocation-simplification, "
    "bufferization-lower-deallocations, convert-bufferization-to-memref";

namespace {
struct BufferizePass : public dp::impl::DpBufferizeBase<BufferizePass> {
  using Base::Base;

  void runOnOperation() override {
    auto isTensor = [](Type type) { return isa<TensorType>(type); };
    WalkResult found = getOperation()->walk([&](Operation *op) {
      bool uses = llvm::any_of(op->getOperandTypes(), isTensor) ||
                  llvm::any_of(op->getResultTypes(), isTensor);
      if (auto fn = dyn_cast<FunctionOpInterface>(op))
        uses |= llvm::any_of(fn.getArgumentTypes(), isTensor) ||
                llvm::any_of(fn.getResultTypes(), isTensor);
      return uses ? WalkResult::interrupt() : WalkResult::advance();
    });
    if (!found.wasInterrupted())
      return;
    OpPassManager pm(ModuleOp::getOperationName());
    if (failed(parsePassPipeline(kBufferize, pm)) ||
        failed(runPipeline(pm, getOperation())))
      signalPassFailure();
  }
};
} // namespace

void mlir::dp::registerPipelines() {
  PassPipelineRegistration<DifferentiateOptions>(
      "dp-differentiate",
      "Optimize, build every requested derivative (dp-autodiff) and clean up, "
      "staying in upstream dialects",
      [](OpPassManager &pm, const DifferentiateOptions &options) {
        if (failed(parsePassPipeline(differentiate(options.snapshots), pm)))
          llvm::report_fatal_error("dp-differentiate: invalid pipeline text");
      });
  PassPipelineRegistration<CpuPipelineOptions>(
      "dp-lower-to-cpu",
      "Differentiate (dp-autodiff) and lower func/arith/math/scf/cf/tensor/"
      "linalg/memref/dp to the LLVM dialect for the CPU",
      [](OpPassManager &pm, const CpuPipelineOptions &options) {
        if (failed(parsePassPipeline(
                cpuPipeline(options.dgemm, options.sgemm, options.genericAlloc,
                            options.runtimeChecks),
                pm)))
          llvm::report_fatal_error("dp-lower-to-cpu: invalid pipeline text");
      });
  PassPipelineRegistration<NvvmPipelineOptions>(
      "dp-lower-to-nvvm",
      "Differentiate (dp-autodiff) and lower to NVIDIA GPU kernels (NVVM, "
      "PTX or cubin) launched from host code in the LLVM dialect",
      [](OpPassManager &pm, const NvvmPipelineOptions &options) {
        if (std::string invalid = invalidNvvmOptions(options);
            !invalid.empty()) {
          pm.addPass(std::make_unique<RefusePass>(std::move(invalid)));
          return;
        }
        std::string text = nvvmPipeline(
            options.chip, options.features, options.optLevel, options.format,
            options.toolkit, options.blockSize, options.runtimeChecks,
            options.cublas);
        if (failed(parsePassPipeline(text, pm)))
          llvm::report_fatal_error("dp-lower-to-nvvm: invalid pipeline text");
      });
}
