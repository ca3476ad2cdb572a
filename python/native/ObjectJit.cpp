//===- ObjectJit.cpp - machine code for the host, as object files ---------===//
//
// compile_object: an LLVM-dialect module (already lowered by
// dp-lower-to-cpu) -> translated to LLVM IR, a packed wrapper
// `void _mlir_<entry>(void **)` added for each requested entry, every other
// function internalized, optimized and compiled for the host CPU -> the bytes
// of a relocatable object file.
//
// JitLibrary: loads such an object with LLVM ORC (one LLJIT per process, one
// JITDylib per object) and looks up its wrappers. External symbols resolve
// against dp's runtime (the printing functions `vector.print` lowers to and
// memrefCopy, as in MLIR's libmlir_c_runner_utils.so, defined here because that
// library depends on libMLIR.so: loading it would put a second MLIR into the
// process; the buffer allocator of BufferCache.cpp), the process (libc, libm), and shared libraries given by path.
// The same loader serves freshly compiled code and objects read back from
// the disk cache, so a cache hit runs no MLIR pass and no LLVM codegen.
//
// Everything here runs with the GIL held: one compilation or load at a time.
//
//===----------------------------------------------------------------------===//

#include "Native.h"

#include "mlir-c/Bindings/Python/Interop.h"
#include "mlir-c/IR.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <algorithm>
#include <chrono>
#include <dlfcn.h>
#include <cinttypes>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <vector>
#include <memory>
#include <string>

namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point start, Clock::time_point end) {
  return std::chrono::duration<double>(end - start).count();
}

PyObject *raise(const std::string &message) {
  PyErr_SetString(PyExc_RuntimeError, message.c_str());
  return nullptr;
}

std::string describe(llvm::Error error) {
  return llvm::toString(std::move(error));
}

/// How the host's code is generated: position independent (the loader may
/// place it anywhere), small code model, the host CPU and its features.
llvm::Expected<llvm::orc::JITTargetMachineBuilder> hostBuilder() {
  static bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::InitializeNativeTargetAsmParser();
    return true;
  }();
  (void)initialized;
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  builder->setRelocationModel(llvm::Reloc::PIC_);
  builder->setCodeModel(llvm::CodeModel::Small);
  return builder;
}

/// The host's TargetMachine, made once (deliberately never destroyed: LLVM's
/// own globals may be gone by the time static destructors run).
llvm::TargetMachine *hostMachine(std::string &error) {
  static llvm::TargetMachine *machine = nullptr;
  if (machine)
    return machine;
  auto builder = hostBuilder();
  if (!builder) {
    error = describe(builder.takeError());
    return nullptr;
  }
  auto created = builder->createTargetMachine();
  if (!created) {
    error = describe(created.takeError());
    return nullptr;
  }
  machine = created->release();
  return machine;
}

/// Replaces llvm.global_ctors (for `dp_initialize`) or llvm.global_dtors
/// (`dp_finalize`) by an exported function calling its entries in priority
/// order; nullptr when the module has none. The JIT runs no static
/// initializers, and an exported library should not load GPU code when it
/// is merely opened: the caller runs them (the GPU runtime loads the kernels
/// of a module there).
llvm::Function *addStaticList(llvm::Module &module, llvm::StringRef name) {
  llvm::StringRef listName =
      name == "dp_initialize" ? "llvm.global_ctors" : "llvm.global_dtors";
  llvm::GlobalVariable *list = module.getGlobalVariable(listName);
  if (!list)
    return nullptr;
  std::vector<std::pair<uint64_t, llvm::Function *>> entries;
  if (auto *array = llvm::dyn_cast_or_null<llvm::ConstantArray>(
          list->hasInitializer() ? list->getInitializer() : nullptr))
    for (llvm::Value *operand : array->operands()) {
      auto *entry = llvm::cast<llvm::ConstantStruct>(operand);
      auto *priority = llvm::cast<llvm::ConstantInt>(entry->getOperand(0));
      if (auto *fn = llvm::dyn_cast<llvm::Function>(entry->getOperand(1)))
        entries.emplace_back(priority->getZExtValue(), fn);
    }
  std::stable_sort(entries.begin(), entries.end(),
                   [](auto &a, auto &b) { return a.first < b.first; });
  if (name == "dp_finalize")
    std::reverse(entries.begin(), entries.end());
  list->eraseFromParent();
  llvm::LLVMContext &context = module.getContext();
  auto *type = llvm::FunctionType::get(llvm::Type::getVoidTy(context), false);
  auto *runner = llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage,
                                        name, module);
  llvm::IRBuilder<> builder(llvm::BasicBlock::Create(context, "entry", runner));
  for (auto &[priority, fn] : entries)
    builder.CreateCall(fn);
  builder.CreateRetVoid();
  return runner;
}

/// Adds `void _mlir_<name>(void **args)`: loads each argument through
/// args[i], calls `name`, stores its result (a scalar or a struct) through
/// args[n]. The layout the Python side (PackedCall) expects.
llvm::Function *addPackedWrapper(llvm::Module &module, llvm::StringRef name,
                                 std::string &error) {
  llvm::Function *callee = module.getFunction(name);
  if (!callee || callee->isDeclaration()) {
    error = "the module defines no function '" + name.str() + "'";
    return nullptr;
  }
  llvm::LLVMContext &context = module.getContext();
  auto *pointer = llvm::PointerType::getUnqual(context);
  auto *type = llvm::FunctionType::get(llvm::Type::getVoidTy(context),
                                       {pointer}, /*isVarArg=*/false);
  auto *wrapper =
      llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage,
                             "_mlir_" + name.str(), module);
  wrapper->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::IRBuilder<> builder(llvm::BasicBlock::Create(context, "entry", wrapper));
  llvm::Value *packed = wrapper->getArg(0);
  llvm::SmallVector<llvm::Value *> arguments;
  for (llvm::Argument &argument : callee->args()) {
    llvm::Value *slot =
        builder.CreateConstGEP1_64(pointer, packed, argument.getArgNo());
    llvm::Value *address = builder.CreateLoad(pointer, slot);
    arguments.push_back(builder.CreateLoad(argument.getType(), address));
  }
  llvm::Value *result = builder.CreateCall(callee, arguments);
  if (!result->getType()->isVoidTy()) {
    llvm::Value *slot =
        builder.CreateConstGEP1_64(pointer, packed, callee->arg_size());
    builder.CreateStore(result, builder.CreateLoad(pointer, slot));
  }
  builder.CreateRetVoid();
  return wrapper;
}

/// Runs LLVM's default pipeline for `level`, or the textual `pipeline`
/// (opt's -passes syntax) when one is given. With `vectorLibrary`, loops
/// calling exp, log, sin, cos, pow... vectorize into calls of glibc's
/// libmvec, which the code is then linked against.
bool optimize(llvm::Module &module, llvm::TargetMachine *machine, int level,
              const char *pipeline, bool vectorLibrary, std::string &error) {
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::TargetLibraryInfoImpl libraryInfo(module.getTargetTriple());
  if (vectorLibrary)
    libraryInfo.addVectorizableFunctionsFromVecLib(
        llvm::VectorLibrary::LIBMVEC, module.getTargetTriple());
  functions.registerPass(
      [&] { return llvm::TargetLibraryAnalysis(libraryInfo); });
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;
  llvm::PipelineTuningOptions tuning;
  // No unrolling: it multiplies LLVM's time on array code (bundle
  // adjustment's gradient: 4.9 -> 1.9 s to compile) for no measured speed,
  // as vectorized, interleaved loops already do 8-16 elements an iteration.
  tuning.LoopUnrolling = false;
  tuning.LoopInterleaving = level >= 2;
  tuning.LoopVectorization = level >= 2;
  tuning.SLPVectorization = level >= 2;
  llvm::PassBuilder builder(machine, tuning);
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(cgscc);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, cgscc, modules);
  llvm::OptimizationLevel optimization =
      level <= 0   ? llvm::OptimizationLevel::O0
      : level == 1 ? llvm::OptimizationLevel::O1
      : level == 2 ? llvm::OptimizationLevel::O2
                   : llvm::OptimizationLevel::O3;
  llvm::ModulePassManager passes;
  if (pipeline) {
    if (llvm::Error parsed = builder.parsePassPipeline(passes, pipeline)) {
      error = describe(std::move(parsed));
      return false;
    }
  } else {
    passes = level <= 0 ? builder.buildO0DefaultPipeline(optimization)
                        : builder.buildPerModuleDefaultPipeline(optimization);
  }
  passes.run(module, modules);
  return true;
}

double lastTimes[3] = {0, 0, 0}; // translate, optimize, codegen

/// compile_object(module, entries, opt_level, ir_path=None, pipeline=None,
///                vector_library=False) -> bytes
PyObject *compileObject(PyObject *, PyObject *args) {
  PyObject *pyModule, *entries;
  int level;
  const char *irPath = nullptr;
  const char *pipeline = nullptr;
  int vectorLibrary = 0;
  if (!PyArg_ParseTuple(args, "OOi|zzp", &pyModule, &entries, &level, &irPath,
                        &pipeline, &vectorLibrary))
    return nullptr;
  PyObject *capsule = PyObject_GetAttrString(pyModule, MLIR_PYTHON_CAPI_PTR_ATTR);
  if (!capsule)
    return nullptr;
  MlirModule handle = mlirPythonCapsuleToModule(capsule);
  Py_DECREF(capsule);
  if (mlirModuleIsNull(handle))
    return nullptr;
  PyObject *names = PySequence_Fast(entries, "entries must be a sequence");
  if (!names)
    return nullptr;
  std::vector<std::string> entryNames;
  for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(names); ++i) {
    const char *text = PyUnicode_AsUTF8(PySequence_Fast_GET_ITEM(names, i));
    if (!text) {
      Py_DECREF(names);
      return nullptr;
    }
    entryNames.emplace_back(text);
  }
  Py_DECREF(names);

  std::string error;
  llvm::TargetMachine *machine = hostMachine(error);
  if (!machine)
    return raise("cannot target the host CPU: " + error);

  auto start = Clock::now();
  auto *operation =
      static_cast<mlir::Operation *>(mlirModuleGetOperation(handle).ptr);
  mlir::MLIRContext *mlirContext = operation->getContext();
  mlir::registerBuiltinDialectTranslation(*mlirContext);
  mlir::registerLLVMDialectTranslation(*mlirContext);
  // GPU modules: gpu.binary becomes an embedded blob, gpu.launch_func calls
  // of the mgpu* runtime functions.
  mlir::registerGPUDialectTranslation(*mlirContext);
  {
    mlir::DialectRegistry offloading;
    mlir::gpu::registerOffloadingLLVMTranslationInterfaceExternalModels(
        offloading);
    mlirContext->appendDialectRegistry(offloading);
  }
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module =
      mlir::translateModuleToLLVMIR(operation, context, "dp");
  if (!module)
    return raise("translating the module to LLVM IR failed");
  module->setDataLayout(machine->createDataLayout());
  module->setTargetTriple(machine->getTargetTriple());

  llvm::SmallPtrSet<llvm::Function *, 4> wrappers;
  for (const char *name : {"dp_initialize", "dp_finalize"})
    if (llvm::Function *list = addStaticList(*module, name))
      wrappers.insert(list);
  for (const std::string &name : entryNames) {
    llvm::Function *wrapper = addPackedWrapper(*module, name, error);
    if (!wrapper)
      return raise(error);
    wrappers.insert(wrapper);
  }
  // Only the wrappers are called from outside: everything else may be
  // inlined into them and dropped.
  for (llvm::Function &function : *module)
    if (!function.isDeclaration() && !wrappers.count(&function))
      function.setLinkage(llvm::GlobalValue::InternalLinkage);
  std::string broken;
  llvm::raw_string_ostream brokenStream(broken);
  if (llvm::verifyModule(*module, &brokenStream))
    return raise("invalid LLVM IR (a bug in dp): " + broken);
  if (irPath) {
    std::error_code code;
    llvm::raw_fd_ostream file(irPath, code);
    if (code)
      return raise("cannot write " + std::string(irPath) + ": " + code.message());
    module->print(file, nullptr);
  }
  auto translated = Clock::now();

  if (!optimize(*module, machine, level, pipeline, vectorLibrary, error))
    return raise("bad LLVM pass pipeline: " + error);
  auto optimized = Clock::now();

  machine->setOptLevel(level <= 0   ? llvm::CodeGenOptLevel::None
                       : level == 1 ? llvm::CodeGenOptLevel::Less
                       : level == 2 ? llvm::CodeGenOptLevel::Default
                                    : llvm::CodeGenOptLevel::Aggressive);
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream stream(buffer);
  llvm::legacy::PassManager codegen;
  if (machine->addPassesToEmitFile(codegen, stream, nullptr,
                                   llvm::CodeGenFileType::ObjectFile))
    return raise("the host target cannot emit object files");
  codegen.run(*module);
  auto generated = Clock::now();
  lastTimes[0] = seconds(start, translated);
  lastTimes[1] = seconds(translated, optimized);
  lastTimes[2] = seconds(optimized, generated);
  return PyBytes_FromStringAndSize(buffer.data(), buffer.size());
}

/// compile_times() -> (translate_s, optimize_s, codegen_s) of the last compile.
PyObject *compileTimes(PyObject *, PyObject *) {
  return Py_BuildValue("(ddd)", lastTimes[0], lastTimes[1], lastTimes[2]);
}

/// host_target() -> (triple, cpu, features): what compiled code assumes.
PyObject *hostTarget(PyObject *, PyObject *) {
  auto builder = hostBuilder();
  if (!builder)
    return raise(describe(builder.takeError()));
  return Py_BuildValue("(sss)", builder->getTargetTriple().str().c_str(),
                       builder->getCPU().c_str(),
                       builder->getFeatures().getString().c_str());
}

//===----------------------------------------------------------------------===//
// JitLibrary
//===----------------------------------------------------------------------===//

// What `vector.print` lowers to; as in MLIR's CRunnerUtils.cpp.
void printI64(int64_t value) { std::fprintf(stdout, "%" PRId64, value); }
void printU64(uint64_t value) { std::fprintf(stdout, "%" PRIu64, value); }
void printF32(float value) {
  if (std::isnan(value) && std::signbit(value))
    std::fprintf(stdout, "-nan");
  else
    std::fprintf(stdout, "%g", value);
}
void printF64(double value) {
  if (std::isnan(value) && std::signbit(value))
    std::fprintf(stdout, "-nan");
  else
    std::fprintf(stdout, "%lg", value);
}
void printString(const char *text) { std::fputs(text, stdout); }
void printOpen() { std::fputs("( ", stdout); }
void printClose() { std::fputs(" )", stdout); }
void printComma() { std::fputs(", ", stdout); }
void printNewline() { std::fputc('\n', stdout); }

// What memref.copy lowers to when a layout is not the identity; as in MLIR's
// CRunnerUtils.cpp (an unranked memref: the rank and a pointer to the ranked
// descriptor {allocated, aligned, offset, sizes[rank], strides[rank]}).
struct UnrankedMemRef {
  int64_t rank;
  void *descriptor;
};

void memrefCopy(int64_t elementSize, UnrankedMemRef *source,
                UnrankedMemRef *target) {
  int64_t rank = source->rank;
  auto fields = [](UnrankedMemRef *memref, char *&data, int64_t *&sizes,
                   int64_t *&strides) {
    char **pointers = static_cast<char **>(memref->descriptor);
    int64_t *integers = reinterpret_cast<int64_t *>(pointers + 2);
    data = pointers[1]; // the aligned pointer; the offset is returned
    sizes = integers + 1;
    strides = integers + 1 + memref->rank;
    return integers[0];
  };
  char *sourceData, *targetData;
  int64_t *sourceSizes, *sourceStrides, *targetSizes, *targetStrides;
  int64_t sourceOffset = fields(source, sourceData, sourceSizes, sourceStrides);
  int64_t targetOffset = fields(target, targetData, targetSizes, targetStrides);
  for (int64_t axis = 0; axis < rank; ++axis)
    if (sourceSizes[axis] == 0)
      return;
  char *from = sourceData + sourceOffset * elementSize;
  char *to = targetData + targetOffset * elementSize;
  if (rank == 0) {
    std::memcpy(to, from, elementSize);
    return;
  }
  std::vector<int64_t> indices(rank, 0), fromStrides(rank), toStrides(rank);
  for (int64_t axis = 0; axis < rank; ++axis) {
    fromStrides[axis] = sourceStrides[axis] * elementSize;
    toStrides[axis] = targetStrides[axis] * elementSize;
  }
  int64_t read = 0, write = 0;
  for (;;) {
    std::memcpy(to + write, from + read, elementSize);
    for (int64_t axis = rank - 1; axis >= 0; --axis) {
      int64_t next = ++indices[axis];
      read += fromStrides[axis];
      write += toStrides[axis];
      if (sourceSizes[axis] != next)
        break;
      if (axis == 0)
        return;
      indices[axis] = 0;
      read -= sourceSizes[axis] * fromStrides[axis];
      write -= targetSizes[axis] * toStrides[axis];
    }
  }
}

struct JitState {
  std::unique_ptr<llvm::orc::LLJIT> jit;
  llvm::orc::JITDylib *runtime = nullptr; // dp's runtime functions
  llvm::StringMap<llvm::orc::JITDylib *> libraries;
  unsigned long long counter = 0;
};

/// The process's LLJIT, made on first use and never destroyed.
JitState *jitState(std::string &error) {
  static JitState *state = nullptr;
  if (state)
    return state;
  auto builder = hostBuilder();
  if (!builder) {
    error = describe(builder.takeError());
    return nullptr;
  }
  // No platform: dp's objects have no static initializers to run.
  auto jit = llvm::orc::LLJITBuilder()
                 .setJITTargetMachineBuilder(std::move(*builder))
                 .setPlatformSetUp(llvm::orc::setUpInactivePlatform)
                 .create();
  if (!jit) {
    error = describe(jit.takeError());
    return nullptr;
  }
  auto *created = new JitState();
  created->jit = std::move(*jit);
  llvm::orc::LLJIT &lljit = *created->jit;
  llvm::orc::SymbolMap symbols;
  auto define = [&](const char *name, auto *function) {
    symbols[lljit.mangleAndIntern(name)] = {
        llvm::orc::ExecutorAddr::fromPtr(function),
        llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable};
  };
  define("printI64", &printI64);
  define("printU64", &printU64);
  define("printF32", &printF32);
  define("printF64", &printF64);
  define("printString", &printString);
  define("printOpen", &printOpen);
  define("printClose", &printClose);
  define("printComma", &printComma);
  define("printNewline", &printNewline);
  define("memrefCopy", &memrefCopy);
  define("_mlir_memref_to_llvm_alloc", &dpBufferAllocate);
  define("_mlir_memref_to_llvm_free", &dpBufferRelease);
  define("dpRuntimeError", &dpRuntimeError);
  llvm::orc::JITDylib &runtime =
      lljit.getExecutionSession().createBareJITDylib("dp.runtime");
  if (llvm::Error defined =
          runtime.define(llvm::orc::absoluteSymbols(std::move(symbols)))) {
    error = describe(std::move(defined));
    return nullptr;
  }
  created->runtime = &runtime;
  state = created;
  return state;
}

/// A JITDylib that resolves symbols from the shared library at `path`.
///
/// The library is opened RTLD_LOCAL: LLVM's own loader opens it
/// RTLD_GLOBAL, and numpy's ILP64 OpenBLAS (and its libgfortran) made
/// global then interposes the 32-bit OpenBLAS that scipy and jaxlib call,
/// whose LAPACK fails ("Too large work array required").
llvm::orc::JITDylib *libraryDylib(JitState &state, llvm::StringRef path,
                                  std::string &error) {
  auto found = state.libraries.find(path);
  if (found != state.libraries.end())
    return found->second;
  llvm::orc::LLJIT &jit = *state.jit;
  void *handle = ::dlopen(path.str().c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    error = std::string("cannot load ") + path.str() + ": " + ::dlerror();
    return nullptr;
  }
  auto generator = std::make_unique<llvm::orc::DynamicLibrarySearchGenerator>(
      llvm::sys::DynamicLibrary(handle),
      jit.getDataLayout().getGlobalPrefix());
  llvm::orc::JITDylib &dylib =
      jit.getExecutionSession().createBareJITDylib("lib:" + path.str());
  dylib.addGenerator(std::move(generator));
  state.libraries[path] = &dylib;
  return &dylib;
}

struct JitLibraryObject {
  PyObject_HEAD
  llvm::orc::JITDylib *dylib;
  PyObject *weakrefs;
};

PyObject *jitLibraryNew(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
  static const char *keywords[] = {"object", "name", "libraries", nullptr};
  Py_buffer object;
  const char *name = "object";
  PyObject *libraries = nullptr;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "y*|sO",
                                   const_cast<char **>(keywords), &object,
                                   &name, &libraries))
    return nullptr;
  std::vector<std::string> paths;
  if (libraries && libraries != Py_None) {
    PyObject *items = PySequence_Fast(libraries, "libraries must be a sequence");
    if (!items) {
      PyBuffer_Release(&object);
      return nullptr;
    }
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(items); ++i) {
      const char *path = PyUnicode_AsUTF8(PySequence_Fast_GET_ITEM(items, i));
      if (!path) {
        Py_DECREF(items);
        PyBuffer_Release(&object);
        return nullptr;
      }
      paths.emplace_back(path);
    }
    Py_DECREF(items);
  }
  std::string error;
  JitState *state = jitState(error);
  if (!state) {
    PyBuffer_Release(&object);
    return raise("cannot start the JIT: " + error);
  }
  std::string dylibName =
      "dp." + std::to_string(state->counter++) + "." + name;
  auto created = state->jit->createJITDylib(dylibName);
  if (!created) {
    PyBuffer_Release(&object);
    return raise(describe(created.takeError()));
  }
  llvm::orc::JITDylib &dylib = *created;
  // dp's runtime first, then the process, then the given libraries.
  llvm::orc::JITDylibSearchOrder order;
  order.push_back({state->runtime,
                   llvm::orc::JITDylibLookupFlags::MatchExportedSymbolsOnly});
  for (auto &link : state->jit->defaultLinkOrder())
    order.push_back(link);
  dylib.setLinkOrder(std::move(order));
  for (const std::string &path : paths) {
    llvm::orc::JITDylib *library = libraryDylib(*state, path, error);
    if (!library) {
      llvm::consumeError(
          state->jit->getExecutionSession().removeJITDylib(dylib));
      PyBuffer_Release(&object);
      return raise("cannot load " + path + ": " + error);
    }
    dylib.addToLinkOrder(*library);
  }
  auto buffer = llvm::MemoryBuffer::getMemBufferCopy(
      llvm::StringRef(static_cast<const char *>(object.buf), object.len),
      dylibName);
  PyBuffer_Release(&object);
  if (llvm::Error added = state->jit->addObjectFile(dylib, std::move(buffer))) {
    llvm::consumeError(state->jit->getExecutionSession().removeJITDylib(dylib));
    return raise("cannot load the object file: " + describe(std::move(added)));
  }
  auto *self = reinterpret_cast<JitLibraryObject *>(type->tp_alloc(type, 0));
  if (!self) {
    llvm::consumeError(state->jit->getExecutionSession().removeJITDylib(dylib));
    return nullptr;
  }
  self->dylib = &dylib;
  return reinterpret_cast<PyObject *>(self);
}

/// lookup(symbol) -> int: the address of a symbol (links the object on first use).
PyObject *jitLibraryLookup(PyObject *object, PyObject *symbol) {
  auto *self = reinterpret_cast<JitLibraryObject *>(object);
  const char *name = PyUnicode_AsUTF8(symbol);
  if (!name)
    return nullptr;
  if (!self->dylib)
    return raise("the library is closed");
  std::string error;
  JitState *state = jitState(error);
  auto address = state->jit->lookup(*self->dylib, name);
  if (!address)
    return raise("cannot link '" + std::string(name) +
                 "': " + describe(address.takeError()));
  return PyLong_FromUnsignedLongLong(address->getValue());
}

void jitLibraryDealloc(PyObject *object) {
  auto *self = reinterpret_cast<JitLibraryObject *>(object);
  if (self->weakrefs)
    PyObject_ClearWeakRefs(object);
  if (self->dylib) {
    std::string error;
    if (JitState *state = jitState(error))
      llvm::consumeError(
          state->jit->getExecutionSession().removeJITDylib(*self->dylib));
    self->dylib = nullptr;
  }
  Py_TYPE(object)->tp_free(object);
}

PyMethodDef jitLibraryMethods[] = {
    {"lookup", jitLibraryLookup, METH_O,
     "lookup(symbol) -> int: the address of a symbol of the object; links "
     "the object on first use."},
    {nullptr, nullptr, 0, nullptr}};

PyTypeObject jitLibraryType = {
    PyVarObject_HEAD_INIT(nullptr, 0) "dp._native.JitLibrary", /* tp_name */
    sizeof(JitLibraryObject), /* tp_basicsize */
};

PyMethodDef objectJitFunctions[] = {
    {"compile_object", compileObject, METH_VARARGS,
     "compile_object(module, entries, opt_level, ir_path=None, pipeline=None, "
     "vector_library=False) -> bytes: an object file for the host with a "
     "packed wrapper _mlir_<entry> per entry, optimized by LLVM's default "
     "pipeline for opt_level or by `pipeline` (opt's -passes syntax), code "
     "generated at opt_level; with ir_path, the LLVM IR before optimization "
     "is written there; with vector_library, vectorized math calls glibc's "
     "libmvec (which the loader must then be given)."},
    {"compile_times", compileTimes, METH_NOARGS,
     "(translate, optimize, codegen) seconds of the last compile_object."},
    {"host_target", hostTarget, METH_NOARGS,
     "(triple, cpu, features) of the code compile_object generates."},
    {nullptr, nullptr, 0, nullptr}};

} // namespace

int dpAddObjectJit(PyObject *module) {
  jitLibraryType.tp_flags = Py_TPFLAGS_DEFAULT;
  jitLibraryType.tp_doc =
      "JitLibrary(object, name='object', libraries=()): an object file "
      "loaded into the process; symbols resolve against the process and the "
      "shared libraries at the given paths. The code is freed with it.";
  jitLibraryType.tp_new = jitLibraryNew;
  jitLibraryType.tp_dealloc = jitLibraryDealloc;
  jitLibraryType.tp_methods = jitLibraryMethods;
  jitLibraryType.tp_weaklistoffset = offsetof(JitLibraryObject, weakrefs);
  if (PyType_Ready(&jitLibraryType) < 0)
    return -1;
  Py_INCREF(&jitLibraryType);
  if (PyModule_AddObject(module, "JitLibrary",
                         reinterpret_cast<PyObject *>(&jitLibraryType)) < 0)
    return -1;
  return PyModule_AddFunctions(module, objectJitFunctions);
}
