//===- dp-opt.cpp - mlir-opt with the dp dialect and passes ---------------===//
//
// mlir-opt with dp's dialect and passes, made to end every run on a user's
// file in output or in diagnostics and a non-zero exit, never in an abort or a
// run without bound. The bugs it guards against are in upstream MLIR, where we
// cannot fix them, so there are three layers:
// - before parsing, a scan of the text refuses shapes too large for MLIR's
//   parser (it builds one operand type per element of tensor.from_elements,
//   and "SmallVector unable to grow" aborts) and nesting deep enough to
//   overflow its stack;
// - before any pass pipeline, dp-check-input refuses IR on which upstream
//   passes are known to assert or to unroll without bound;
// - parsing and the pipeline run under llvm::CrashRecoveryContext: any other
//   assertion or crash becomes an "internal error" diagnostic naming a
//   reproducer file, and exit status 70 instead of SIGABRT.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/PrettyStackTrace.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>

using namespace mlir;

/// The exit status of a run that crashed inside and was recovered
/// (EX_SOFTWARE), distinct from 1, the status of an input with errors.
static constexpr int kInternalErrorExit = 70;

static llvm::cl::opt<uint64_t> maxElements(
    "dp-max-elements",
    llvm::cl::desc("Refuse shaped types with more static elements than this, "
                   "before parsing and before any pass (0: no limit)"),
    llvm::cl::init(uint64_t(1) << 31));

static llvm::cl::opt<uint64_t> maxVectorElements(
    "dp-max-vector-elements",
    llvm::cl::desc("Refuse vector types with more elements than this before "
                   "any pass; the LLVM lowering unrolls vectors (0: no limit)"),
    llvm::cl::init(uint64_t(1) << 16));

static llvm::cl::opt<bool> crashRecovery(
    "dp-crash-recovery",
    llvm::cl::desc("Turn a crash in MLIR into an internal-error diagnostic "
                   "with a reproducer (dp-opt then runs single-threaded); "
                   "=false to debug a crash where it happens"),
    llvm::cl::init(true));

//===----------------------------------------------------------------------===//
// The scan of the input text
//===----------------------------------------------------------------------===//

namespace {
/// Reads MLIR text for what MLIR's parser is known to crash on: builtin
/// shaped types too large to parse safely, linalg integer lists spelled
/// otherwise, negative reshape reassociation indices, reserved
/// scf.index_switch cases, nesting deep enough to overflow the stack. It
/// reads just enough of the syntax not to be fooled: comments and string
/// literals are skipped, and only `tensor<`, `memref<` and `vector<` that are
/// not part of a longer name or of a dialect type count.
class InputScanner {
public:
  InputScanner(llvm::SourceMgr &sourceMgr, uint64_t maxElements)
      : sourceMgr(sourceMgr), maxElements(maxElements),
        text(sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID())
                 ->getBuffer()) {}

  /// Reports what it refuses; fails if there is anything.
  LogicalResult scan() {
    // Bytecode has no text to scan; the later layers still apply.
    if (text.starts_with("ML\xefR"))
      return success();
    for (size_t pos = 0; pos < text.size();) {
      char c = text[pos];
      if (c == '/' && text.substr(pos).starts_with("//")) {
        pos = text.find('\n', pos);
        continue;
      }
      if (c == '\n') {
        perElementOp = {};
        ++pos;
        continue;
      }
      if (c == '"') {
        pos = scanString(pos);
        continue;
      }
      if (c == '(' || c == '[' || c == '{') {
        if (++depth > kMaxDepth) {
          error(pos, "nesting deeper than " + Twine(kMaxDepth) +
                         " levels of (), [] and {}: MLIR's parser recurses "
                         "once per level and would overflow the stack");
          return failure();
        }
      } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
        --depth;
      }
      if (llvm::isAlpha(c) || c == '_') {
        pos = scanWord(pos);
        continue;
      }
      ++pos;
    }
    return failure(failed);
  }

private:
  /// Far deeper than any real IR, far shallower than the 5000 nested regions
  /// (10000 levels of brackets) that overflow an 8 MiB stack in MLIR's
  /// parser.
  static constexpr unsigned kMaxDepth = 1000;

  static bool isWordChar(char c) {
    return llvm::isAlnum(c) || c == '_' || c == '$' || c == '.';
  }

  /// Ops with one operand or result per element of their shaped type: their
  /// parsers and verifiers build that many types before anything checks the
  /// count, so a type that no input could match is refused first.
  static bool isPerElementOp(StringRef name) {
    return name == "tensor.from_elements" || name == "vector.from_elements" ||
           name == "vector.to_elements";
  }

  /// Skips the string literal at `pos`; a quoted op name (generic form) may
  /// be one whose shape is checked.
  size_t scanString(size_t pos) {
    size_t end = pos + 1;
    while (end < text.size() && text[end] != '"' && text[end] != '\n')
      end += text[end] == '\\' ? 2 : 1;
    StringRef contents = text.slice(pos + 1, end);
    if (isPerElementOp(contents))
      perElementOp = contents;
    return std::min(end + 1, text.size());
  }

  /// Reads the word at `pos`: a shaped type's keyword, the name of an op
  /// that takes one value per element, or anything else.
  size_t scanWord(size_t pos) {
    size_t end = pos;
    while (end < text.size() && isWordChar(text[end]))
      ++end;
    StringRef word = text.slice(pos, end);
    // `%tensor`, `@vector`, `!tensor<...>` (a dialect type), `xtensor` and
    // the like; but the element type right after a dimension list's `x`
    // (`tensor<4xvector<8xf32>>`) is a word of its own.
    char before = pos > 0 ? text[pos - 1] : ' ';
    if (pos != elementTypeStart &&
        (isWordChar(before) || StringRef("%@^!#").contains(before)))
      return end;
    if (isPerElementOp(word)) {
      perElementOp = word;
      return end;
    }
    if (word == "linalg.reduce" || word == "linalg.broadcast" ||
        word == "linalg.transpose") {
      linalgOp = word;
      return end;
    }
    if (!linalgOp.empty() && (word == "dimensions" || word == "permutation"))
      return scanIntegerList(word, end);
    // The next op (`%x = op`, or an op at the start of a line; not the
    // `{ arith.addf }` of linalg.reduce's short form): the linalg op's list,
    // if it had one, is behind.
    if (word.contains('.')) {
      size_t back = pos;
      while (back > 0 && (text[back - 1] == ' ' || text[back - 1] == '\t'))
        --back;
      if (back == 0 || text[back - 1] == '\n' || text[back - 1] == '=')
        linalgOp = {};
    }
    if ((word == "tensor" || word == "memref" || word == "vector") &&
        end < text.size() && text[end] == '<')
      return scanShape(pos, end + 1);
    if (word == "tensor.collapse_shape" || word == "tensor.expand_shape" ||
        word == "memref.collapse_shape" || word == "memref.expand_shape" ||
        word == "reassociation")
      scanReassociation(end);
    else if (word == "case")
      scanSwitchCase(end);
    else if (word == "cases")
      scanSwitchCases(end);
    return end;
  }

  /// The reassociation `[[0, 1], [2]]` of a reshape (custom form, or the
  /// `reassociation = ...` of the generic one): the verifier of the tensor
  /// reshapes builds affine maps from its indices before checking them, and
  /// asserts on a negative one.
  void scanReassociation(size_t pos) {
    size_t open = text.find_first_of("[\n", pos);
    if (open == StringRef::npos || text[open] != '[')
      return;
    unsigned nesting = 0;
    for (size_t at = open; at < text.size(); ++at) {
      char c = text[at];
      if (c == '[') {
        ++nesting;
      } else if (c == ']') {
        if (--nesting == 0)
          return;
      } else if (c == '-') {
        error(at, "reassociation indices must not be negative: MLIR's "
                  "verifier of tensor.collapse_shape and tensor.expand_shape "
                  "asserts on them");
        return;
      } else if (!llvm::isDigit(c) && !llvm::isSpace(c) && c != ',') {
        return;
      }
    }
  }

  /// Reads the integer at `pos` (after spaces), if there is one that fits.
  std::optional<int64_t> readInteger(size_t &pos) const {
    skipSpace(pos);
    size_t end = pos;
    if (end < text.size() && text[end] == '-')
      ++end;
    while (end < text.size() && llvm::isAlnum(text[end]))
      ++end;
    int64_t value;
    if (end == pos || text.slice(pos, end).getAsInteger(0, value))
      return std::nullopt;
    pos = end;
    return value;
  }

  /// scf.index_switch keeps its case values in a DenseMap, whose two
  /// largest int64_t keys are reserved: its verifier asserts on them.
  void checkSwitchCase(size_t at, int64_t value) {
    if (value >= std::numeric_limits<int64_t>::max() - 1)
      error(at, "scf.index_switch case value " + Twine(value) +
                    " is reserved in MLIR (a DenseMap key its verifier "
                    "asserts on); cases must be below " +
                    Twine(std::numeric_limits<int64_t>::max() - 1));
  }

  /// `case 3 {` of scf.index_switch (the only custom syntax with `case N`).
  void scanSwitchCase(size_t pos) {
    skipSpace(pos);
    size_t at = pos;
    if (std::optional<int64_t> value = readInteger(pos))
      checkSwitchCase(at, *value);
  }

  /// `cases = array<i64: 1, 3>` of scf.index_switch in the generic form.
  void scanSwitchCases(size_t pos) {
    skipSpace(pos);
    if (pos >= text.size() || text[pos] != '=')
      return;
    ++pos;
    skipSpace(pos);
    if (!text.substr(pos).starts_with("array<i64:"))
      return;
    pos += strlen("array<i64:");
    while (true) {
      skipSpace(pos);
      size_t at = pos;
      std::optional<int64_t> value = readInteger(pos);
      if (!value)
        return;
      checkSwitchCase(at, *value);
      skipSpace(pos);
      if (pos >= text.size() || text[pos] != ',')
        return;
      ++pos;
    }
  }

  /// Checks `dimensions = [1, 2]` (`permutation = ...`) of the linalg op
  /// seen last. Its parser reports any other spelling, then stores
  /// the null attribute it got and asserts ("attributes may never be null").
  size_t scanIntegerList(StringRef keyword, size_t pos) {
    StringRef op = linalgOp;
    linalgOp = {};
    size_t at = pos;
    skipSpace(at);
    if (at >= text.size() || text[at] != '=')
      return pos;
    ++at;
    skipSpace(at);
    bool valid = at < text.size() && text[at] == '[';
    size_t listEnd = ++at;
    for (bool first = true; valid; first = false) {
      skipSpace(at);
      if (first && at < text.size() && text[at] == ']')
        break;
      if (at < text.size() && text[at] == '-')
        ++at;
      size_t digits = at;
      while (at < text.size() && llvm::isDigit(text[at]))
        ++at;
      skipSpace(at);
      valid = at > digits && at < text.size() &&
              (text[at] == ',' || text[at] == ']');
      if (valid && text[at++] == ']')
        break;
    }
    if (!valid)
      error(pos - keyword.size(),
            "'" + op + "' needs `" + keyword +
                " = [...]` with integers only: after any other spelling, "
                "MLIR's parser of this op asserts");
    return valid ? at : listEnd;
  }

  void skipSpace(size_t &pos) const {
    while (pos < text.size() && llvm::isSpace(text[pos]))
      ++pos;
  }

  /// Reads the dimension list of the type whose keyword starts at `begin`
  /// (`4x?x[8]x` in `vector<4x?x[8]xf32>`), multiplying its static sizes.
  size_t scanShape(size_t begin, size_t pos) {
    uint64_t elements = 1;
    bool empty = false;
    while (true) {
      skipSpace(pos);
      size_t dim = pos;
      bool scalable = dim < text.size() && text[dim] == '[';
      if (scalable)
        ++dim;
      uint64_t size = 1;
      size_t digits = dim;
      if (dim < text.size() && text[dim] == '?' && !scalable) {
        ++digits;
      } else {
        size = 0;
        while (digits < text.size() && llvm::isDigit(text[digits])) {
          unsigned digit = text[digits] - '0';
          size = size > (UINT64_MAX - digit) / 10 ? UINT64_MAX
                                                  : size * 10 + digit;
          ++digits;
        }
        if (digits == dim)
          break;
      }
      size_t next = digits;
      if (scalable) {
        if (next >= text.size() || text[next] != ']')
          break;
        ++next;
      }
      skipSpace(next);
      if (next >= text.size() || text[next] != 'x')
        break;
      pos = next + 1;
      empty |= size == 0;
      elements =
          size && elements > UINT64_MAX / size ? UINT64_MAX : elements * size;
    }
    if (empty)
      elements = 0;
    StringRef keyword = text.slice(begin, text.find('<', begin));
    if (maxElements && elements > maxElements) {
      error(begin, "this " + keyword + " type has " + Twine(elements) +
                       " elements, more than dp-opt accepts (" +
                       Twine(maxElements) + ", --dp-max-elements)");
    } else if (!perElementOp.empty() && elements > text.size()) {
      error(begin, "'" + perElementOp +
                       "' has one operand or result per element, and this "
                       "type has " +
                       Twine(elements) + " elements, more than an input of " +
                       Twine(text.size()) + " bytes can spell");
    }
    perElementOp = {};
    elementTypeStart = pos;
    return pos;
  }

  void error(size_t offset, const Twine &message) {
    sourceMgr.PrintMessage(llvm::errs(),
                           llvm::SMLoc::getFromPointer(text.data() + offset),
                           llvm::SourceMgr::DK_Error, message);
    failed = true;
  }

  llvm::SourceMgr &sourceMgr;
  uint64_t maxElements;
  StringRef text;
  /// An op seen on this line whose type is checked against the input size.
  StringRef perElementOp;
  /// The last linalg op seen whose integer list is to be checked.
  StringRef linalgOp;
  /// How many (), [] and {} are open.
  unsigned depth = 0;
  /// Where the element type of the last dimension list read begins.
  size_t elementTypeStart = StringRef::npos;
  bool failed = false;
};
} // namespace

static LogicalResult scanInput(const llvm::MemoryBuffer &input) {
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBuffer(input.getMemBufferRef(),
                                       /*RequiresNullTerminator=*/false),
      llvm::SMLoc());
  return InputScanner(sourceMgr, maxElements).scan();
}

//===----------------------------------------------------------------------===//
// Crash recovery
//===----------------------------------------------------------------------===//

/// CrashRecoveryContext only recovers crashes on the thread that runs
/// RunSafely; one on a worker thread of MLIR's pool would still kill the
/// process. So with crash recovery dp-opt is single-threaded, as if
/// --mlir-disable-threading had been given.
static void disableMultithreading() {
  auto &options = llvm::cl::getRegisteredOptions();
  auto it = options.find("mlir-disable-threading");
  if (it != options.end())
    static_cast<llvm::cl::opt<bool> *>(it->second)->setValue(true);
}

/// CrashRecoveryContext installs its signal handlers without SA_ONSTACK: a
/// stack overflow (deeply nested input) could not run them and would kill
/// the process. InitLLVM has set up an alternate signal stack; use it.
static void runCrashHandlersOnAltStack() {
  for (int signal : {SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGSEGV, SIGTRAP}) {
    struct sigaction action;
    if (sigaction(signal, nullptr, &action) != 0)
      continue;
    action.sa_flags |= SA_ONSTACK;
    sigaction(signal, &action, nullptr);
  }
}

/// Saves the input of a crashed run as a file and says where, with the
/// command line that reproduces the crash on it.
static void reportInternalError(int argc, char **argv,
                                StringRef inputFilename, StringRef input) {
  llvm::errs().flush();
  StringRef where = inputFilename == "-" ? "<stdin>" : inputFilename;
  int fd = -1;
  llvm::SmallString<128> path;
  std::error_code ec = llvm::sys::fs::createTemporaryFile("dp-opt-crash",
                                                          "mlir", fd, path);
  if (!ec) {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << input;
    os.close();
    if (os.has_error())
      ec = os.error();
  }
  llvm::WithColor::error(llvm::errs(), where)
      << "internal error in dp-opt (an MLIR bug reached by this input); ";
  if (ec) {
    llvm::errs() << "could not save a reproducer: " << ec.message() << "\n";
    return;
  }
  llvm::errs() << "reproducer: " << path << "\n";
  llvm::WithColor::note(llvm::errs(), where) << "to reproduce:";
  bool replaced = false;
  for (int i = 0; i < argc; ++i) {
    StringRef arg = argv[i];
    if (i > 0 && !replaced && arg == inputFilename) {
      arg = path;
      replaced = true;
    }
    llvm::errs() << " " << arg;
  }
  if (!replaced)
    llvm::errs() << " " << path;
  llvm::errs() << "\n";
}

//===----------------------------------------------------------------------===//
// main
//===----------------------------------------------------------------------===//

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  mlir::registerAllPasses();
  mlir::dp::registerPasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // gpu-module-to-binary translates kernels to LLVM IR inside the pipeline.
  mlir::registerAllToLLVMIRTranslations(registry);
  mlir::dp::registerDialects(registry);

  auto [inputFilename, outputFilename] = registerAndParseCLIOptions(
      argc, argv, "dp-opt: MLIR optimizer driver with the dp dialect\n",
      registry);
  if (crashRecovery)
    disableMultithreading();
  MlirOptMainConfig config = MlirOptMainConfig::createFromCLOptions();
  if (config.shouldShowDialects() || config.shouldListPasses())
    return asMainReturnCode(MlirOptMain(
        llvm::outs(), llvm::MemoryBuffer::getMemBuffer(""), registry, config));

  // dp-check-input before whatever pipeline the command line asks for, and
  // before none: it is the verification step that keeps the input away from
  // known upstream aborts.
  dp::DpCheckInputOptions checkOptions;
  checkOptions.maxElements = maxElements;
  checkOptions.maxVectorElements = maxVectorElements;
  MlirOptMainConfig userConfig = config;
  config.setPassPipelineSetupFn([userConfig, checkOptions](PassManager &pm) {
    pm.addPass(dp::createDpCheckInput(checkOptions));
    return userConfig.setupPassPipeline(pm);
  });

  if (inputFilename == "-" &&
      llvm::sys::Process::FileDescriptorIsDisplayed(fileno(stdin)))
    llvm::errs() << "(processing input from stdin now, hit ctrl-c/ctrl-d to "
                    "interrupt)\n";
  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> input =
      openInputFile(inputFilename, &errorMessage);
  if (!input) {
    llvm::errs() << errorMessage << "\n";
    return EXIT_FAILURE;
  }
  if (failed(scanInput(*input)))
    return EXIT_FAILURE;
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFilename, &errorMessage);
  if (!output) {
    llvm::errs() << errorMessage << "\n";
    return EXIT_FAILURE;
  }

  // MlirOptMain gets a view of the input; `input` stays for the reproducer.
  LogicalResult result = failure();
  auto run = [&] {
    result = MlirOptMain(output->os(),
                         llvm::MemoryBuffer::getMemBuffer(
                             input->getMemBufferRef(),
                             /*RequiresNullTerminator=*/false),
                         registry, config);
  };
  if (!crashRecovery) {
    run();
  } else {
    llvm::setBugReportMsg(
        "dp-opt crashed in MLIR; the stack dump below helps to find why:\n");
    llvm::CrashRecoveryContext::Enable();
    runCrashHandlersOnAltStack();
    llvm::CrashRecoveryContext recovery;
    // Prints the stack dump and removes a partly written output file.
    recovery.DumpStackAndCleanupOnFailure = true;
    if (!recovery.RunSafely(run)) {
      reportInternalError(argc, argv, inputFilename, input->getBuffer());
      llvm::errs().flush();
      // The crash left MLIR's state as it was when it happened: exit
      // without running destructors, and without flushing partial output.
      std::_Exit(kInternalErrorExit);
    }
  }
  if (failed(result))
    return EXIT_FAILURE;
  output->keep();
  return EXIT_SUCCESS;
}
