"""Lowering a module to the LLVM dialect and compiling it to machine code for the CPU.

A lowered module becomes an object file (`dp._native.compile_object`: LLVM
IR, a packed wrapper per entry, the other functions internalized, optimized
at OPT_LEVEL for the host CPU), which is loaded with LLVM ORC
(`dp._native.JitLibrary`). The same loader takes object files read back from
the on-disk cache (dp.runtime.cache), so a cache hit needs neither the
frontend, nor the pass pipeline, nor LLVM codegen.
"""

from __future__ import annotations

import contextlib
import contextvars
import ctypes
import linecache
import os
import platform
from typing import Callable, Iterator, Sequence

from mlir import ir
from mlir.passmanager import PassManager

from dp import _native, config
from dp.errors import DpError, InternalCompilerError, NotDifferentiableError
from dp.frontend import pytree
from dp.frontend.importer import ImportedFunction
from dp.runtime import arrays, blas
from dp.runtime.calling import PackedCall

# The one CPU lowering pipeline: differentiate the dp requests, clean up,
# and lower everything to LLVM (registered in C++ as dp-lower-to-cpu), with
# matrix products calling numpy's OpenBLAS when there is one, buffers
# allocated through dp._native's cache of large blocks (generic-alloc), and
# failed checks (integer overflow, ...) reported to dp._native, which raises
# after the call (runtime-checks).
LOWERING_PIPELINE = f"builtin.module(dp-lower-to-cpu{{generic-alloc=1 runtime-checks=1 {blas.pipeline_options()}}})"
# LLVM's optimization level (the -O of clang) for compiled code, and the pass
# pipeline (opt's -passes syntax; None: LLVM's default pipeline for OPT_LEVEL).
# Scalar code runs as fast at O1 as at O2 and compiles in half the time; code
# over arrays needs the loop vectorizer, which O1 does not run.
OPT_LEVEL = 1
ARRAY_OPT_LEVEL = 3
PIPELINE: str | None = None


# The target compiled code is for: "cpu", or "gpu" (dp.backends.gpu) inside use_target("gpu").
_TARGET: contextvars.ContextVar[str] = contextvars.ContextVar("dp_target", default="cpu")


@contextlib.contextmanager
def use_target(target: str) -> Iterator[None]:
    """Compiles for `target` ("cpu" or "gpu") inside the block: pipeline, runtime library, calling convention."""
    token = _TARGET.set(target)
    try:
        yield
    finally:
        _TARGET.reset(token)


def current_target() -> str:
    return _TARGET.get()


def current_pipeline() -> str:
    """The lowering pipeline of the current target."""
    if _TARGET.get() == "gpu":
        from dp.backends import gpu

        return gpu.pipeline()
    return LOWERING_PIPELINE


def find_vector_library() -> str | None:
    """glibc's vector math library (exp, log, sin, ... on 2-8 lanes), if this x86-64 Linux has it."""
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"):
        return None
    try:
        ctypes.CDLL("libmvec.so.1")
    except OSError:
        return None
    return "libmvec.so.1"


# Vectorized loops of array code call it (LLVM's loop vectorizer maps exp,
# log, sin, cos, pow to its functions); None: they call libm per element.
VECTOR_LIBRARY: str | None = find_vector_library()
# Module attribute set before lowering when the module computes on arrays.
_ARRAYS = "dp.arrays"


def runner_utils_library() -> str:
    """MLIR's runtime library with the functions `vector.print` calls.

    Compiled code does not load it: it depends on libMLIR.so, a second MLIR in
    the process. dp._native defines the same printing functions instead.
    """
    return os.path.join(config.mlir_lib_dir(), "libmlir_c_runner_utils.so")


def lower_to_llvm(module: ir.Module, pipeline: str | None = None) -> None:
    """Runs the lowering pipeline (the current target's by default) on a module, in place; a failure is a bug in dp."""
    pipeline = pipeline or current_pipeline()
    with module.context:
        if "tensor<" in str(module.operation):
            module.operation.attributes[_ARRAYS] = ir.UnitAttr.get()
        try:
            PassManager.parse(pipeline).run(module.operation)
        except ir.MLIRError as error:
            refused = not_differentiable(error)
            if refused is not None:
                raise refused from None
            raise InternalCompilerError(f"lowering to LLVM failed (a bug in dp): {error}") from None


def not_differentiable(error: ir.MLIRError) -> NotDifferentiableError | None:
    """dp-autodiff's refusal of a derivative the frontend cannot foresee, as a typed error at the user's line.

    (A custom VJP rule under forward mode, a pullback read twice under
    reverse mode, a recursive derivative request.) Every other pass failure
    is a bug in dp.
    """
    return pass_refusal(error, lambda message: message.startswith("cannot differentiate"), NotDifferentiableError)


def pass_refusal(error: ir.MLIRError, refuses: Callable[[str], bool], kind: type[DpError]) -> DpError | None:
    """A pass's first diagnostic, when `refuses` it, as a `kind` error at the user's line; None otherwise."""
    diagnostics = getattr(error, "error_diagnostics", None) or []
    first = diagnostics[0] if diagnostics else None
    if first is None or not refuses(first.message):
        return None
    refused = kind(first.message)
    location = _file_location(first.location)
    if location is not None:
        from dp.nesting import user_position

        filename, line, col = user_position(location.filename, location.start_line, location.start_col)
        refused.locate(filename, line, col, linecache.getline(filename, line).rstrip("\n") or None)
    return refused


def _file_location(location: ir.Location) -> ir.Location | None:
    """The source position of a location: a call site's caller (the user's line) before its callee."""
    if location.is_a_file():
        return location
    if location.is_a_callsite():
        return _file_location(location.caller) or _file_location(location.callee)
    if location.is_a_name():
        return _file_location(location.child_loc)
    if location.is_a_fused():
        return next(filter(None, map(_file_location, location.locations)), None)
    return None


def compile_object(module: ir.Module, entries: Sequence[str]) -> bytes:
    """The object file of a lowered module, with a packed wrapper `_mlir_<entry>` per entry."""
    with module.context:
        level = ARRAY_OPT_LEVEL if _ARRAYS in module.operation.attributes else OPT_LEVEL
    try:
        return _native.compile_object(
            module, list(entries), level, None, PIPELINE, VECTOR_LIBRARY is not None and level >= 2
        )
    except RuntimeError as error:
        raise InternalCompilerError(f"compiling to machine code failed (a bug in dp): {error}") from None


def compile_times() -> tuple[float, float, float]:
    """Seconds the last compile_object spent translating to LLVM IR, optimizing and generating code."""
    return _native.compile_times()


class Library:
    """An object file loaded into the process; its code lives as long as this object."""

    def __init__(self, object_file: bytes, name: str = "module", *, host_access: bool = True) -> None:
        found = blas.find_blas()
        libraries = [library for library in (found.library if found else None, VECTOR_LIBRARY) if library]
        self.target = current_target()
        # GPU code: whether host code reads buffers (conservatively yes when unknown, as from the disk cache).
        self.host_access = host_access
        if self.target == "gpu":
            from dp.backends import gpu

            gpu.runtime()  # loaded first: it learns where cuBLAS is before compiled code runs
            libraries.append(gpu.runtime_library_path())
        try:
            self._library = _native.JitLibrary(object_file, name, libraries or None)
        except RuntimeError as error:
            raise InternalCompilerError(f"loading compiled code failed: {error}") from None
        self._initialize()

    def _initialize(self) -> None:
        """Runs the module's static initializers (GPU code registers its kernels there), if it has any."""
        try:
            address = self._library.lookup("dp_initialize")
        except RuntimeError:
            return
        ctypes.CFUNCTYPE(None)(address)()

    def address(self, entry: str) -> int:
        """The address of the packed wrapper of `entry`."""
        try:
            return self._library.lookup("_mlir_" + entry)
        except RuntimeError as error:
            raise InternalCompilerError(f"the compiled code has no usable entry {entry}: {error}") from None

    def function(
        self, entry: str, arg_kinds: Sequence[type], result_kinds: Sequence[type], *, prints: bool = False
    ) -> "JitFunction":
        """The entry `entry`, called with a sequence of leaves of `arg_kinds`."""
        if self.target == "gpu":
            from dp.backends import gpu

            call = JitFunction(self, entry, arrays.expand_kinds(arg_kinds), arrays.expand_kinds(result_kinds), prints=prints)
            if arrays.has_arrays(arg_kinds, result_kinds):
                return gpu.GpuArrayCall(call, arg_kinds, result_kinds, self.host_access)
            return gpu.GpuCall(call)
        if arrays.has_arrays(arg_kinds, result_kinds):  # numpy arrays: memref descriptors (dp.runtime.arrays)
            call = JitFunction(
                self, entry, arrays.expand_kinds(arg_kinds), arrays.expand_kinds(result_kinds), prints=prints
            )
            return arrays.ArrayCall(call, arg_kinds, result_kinds)
        return JitFunction(self, entry, arg_kinds, result_kinds, prints=prints)


class JitFunction(PackedCall):
    """A compiled entry function of a Library, called with a sequence of scalar leaves."""

    __slots__ = ()

    def __new__(
        cls,
        library: Library,
        entry: str,
        arg_kinds: Sequence[type],
        result_kinds: Sequence[type],
        *,
        prints: bool = False,
    ) -> "JitFunction":
        return super().__new__(cls, library.address(entry), arg_kinds, result_kinds, library, prints=prints)

    @property
    def library(self) -> Library:
        return self.owner


def compile_library(module: ir.Module, entries: Sequence[str], name: str = "module") -> tuple[Library, bytes]:
    """Compiles a lowered module and loads it: the library and its object file."""
    object_file = compile_object(module, entries)
    return Library(object_file, name), object_file


def jit_compile(imported: ImportedFunction) -> JitFunction:
    """Lowers an imported function's module (in place) and compiles its entry."""
    try:
        lower_to_llvm(imported.module)
    except InternalCompilerError as error:
        error.locate(imported.filename, imported.lineno, 1, None)
        raise
    library, _ = compile_library(imported.module, [imported.entry], imported.name)
    return library.function(
        imported.entry,
        [leaf.kind for leaf in imported.arg_leaves],
        pytree.leaf_kinds(imported.result_treedef),
        prints=imported.prints,
    )


__all__ = [
    "LOWERING_PIPELINE",
    "JitFunction",
    "Library",
    "ARRAY_OPT_LEVEL",
    "OPT_LEVEL",
    "VECTOR_LIBRARY",
    "compile_library",
    "compile_object",
    "compile_times",
    "current_pipeline",
    "current_target",
    "jit_compile",
    "lower_to_llvm",
    "runner_utils_library",
    "use_target",
]
