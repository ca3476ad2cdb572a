"""Lowering a module to the LLVM dialect and JIT-compiling it for the CPU."""

from __future__ import annotations

import ctypes
import os
import sys
from typing import Any, Sequence

from mlir import ir
from mlir.execution_engine import ExecutionEngine
from mlir.passmanager import PassManager

from dp import config
from dp.errors import InternalCompilerError
from dp.frontend import pytree
from dp.frontend.importer import ImportedFunction
from dp.runtime.calling import PackedCall

# The one CPU lowering pipeline: differentiate the dp requests, clean up,
# and lower everything to LLVM (registered in C++ as dp-lower-to-cpu).
LOWERING_PIPELINE = "builtin.module(dp-lower-to-cpu)"
OPT_LEVEL = 3

_libc = ctypes.CDLL(None)


def runner_utils_library() -> str:
    """The MLIR runtime library with the functions `vector.print` calls."""
    return os.path.join(config.mlir_lib_dir(), "libmlir_c_runner_utils.so")


def lower_to_llvm(module: ir.Module, pipeline: str = LOWERING_PIPELINE) -> None:
    """Runs the lowering pipeline on a module, in place; a failure is a bug in dp."""
    with module.context:
        try:
            PassManager.parse(pipeline).run(module.operation)
        except ir.MLIRError as error:
            raise InternalCompilerError(f"lowering to LLVM failed (a bug in dp): {error}") from None


class JitFunction:
    """A JIT-compiled function of a lowered module, called with a sequence of scalar leaves."""

    def __init__(
        self,
        module: ir.Module,
        entry: str,
        arg_kinds: Sequence[type],
        result_kinds: Sequence[type],
        *,
        prints: bool = False,
    ) -> None:
        with module.context:
            self.engine = ExecutionEngine(module, opt_level=OPT_LEVEL, shared_libs=[runner_utils_library()])
            address = self.engine.raw_lookup(entry)
        if not address:
            raise InternalCompilerError(f"the JIT has no symbol for {entry} (a bug in dp)")
        self._call = PackedCall(address, arg_kinds, result_kinds, owner=self.engine)
        self._prints = prints

    def __call__(self, leaves: Sequence[Any]) -> tuple:
        if not self._prints:
            return self._call(leaves)
        # Compiled code prints through C's stdio: keep Python's and C's output in order.
        sys.stdout.flush()
        try:
            return self._call(leaves)
        finally:
            _libc.fflush(None)


def jit_compile(imported: ImportedFunction) -> JitFunction:
    """Lowers an imported function's module (in place) and JIT-compiles its entry."""
    try:
        lower_to_llvm(imported.module)
    except InternalCompilerError as error:
        error.locate(imported.filename, imported.lineno, 1, None)
        raise
    return JitFunction(
        imported.module,
        imported.entry,
        [leaf.kind for leaf in imported.arg_leaves],
        pytree.leaf_kinds(imported.result_treedef),
        prints=imported.prints,
    )


__all__ = ["LOWERING_PIPELINE", "JitFunction", "jit_compile", "lower_to_llvm", "runner_utils_library"]
