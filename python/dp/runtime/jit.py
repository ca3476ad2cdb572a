"""Lowering an imported module to the LLVM dialect and JIT-compiling it for the CPU."""

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

# The one CPU lowering pipeline. `convert-math-to-libm` must run before
# `convert-to-llvm`: math ops without an LLVM intrinsic become libm calls.
LOWERING_PIPELINE = (
    "builtin.module(inline, canonicalize, cse, convert-scf-to-cf, convert-math-to-libm, "
    "convert-to-llvm, reconcile-unrealized-casts)"
)
OPT_LEVEL = 3

_libc = ctypes.CDLL(None)


def runner_utils_library() -> str:
    """The MLIR runtime library with the functions `vector.print` calls."""
    return os.path.join(config.mlir_lib_dir(), "libmlir_c_runner_utils.so")


def lower_to_llvm(imported: ImportedFunction) -> None:
    """Runs the lowering pipeline on the imported module, in place."""
    with imported.module.context:
        try:
            PassManager.parse(LOWERING_PIPELINE).run(imported.module.operation)
        except ir.MLIRError as error:
            raise InternalCompilerError(
                f"lowering {imported.name} to LLVM failed (a bug in dp): {error}",
                filename=imported.filename,
                lineno=imported.lineno,
                col=1,
            ) from None


class JitFunction:
    """A JIT-compiled entry function, called with a list of dynamic leaves."""

    def __init__(self, imported: ImportedFunction) -> None:
        lower_to_llvm(imported)
        with imported.module.context:
            self.engine = ExecutionEngine(imported.module, opt_level=OPT_LEVEL, shared_libs=[runner_utils_library()])
            address = self.engine.raw_lookup(imported.entry)
        if not address:
            raise InternalCompilerError(f"the JIT has no symbol for {imported.entry} (a bug in dp)")
        arg_kinds = [leaf.kind for leaf in imported.arg_leaves]
        result_kinds = pytree.leaf_kinds(imported.result_treedef)
        self._call = PackedCall(address, arg_kinds, result_kinds, owner=self.engine)
        self._prints = imported.prints

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
    """Lowers and JIT-compiles an imported function (its module is consumed)."""
    return JitFunction(imported)


__all__ = ["LOWERING_PIPELINE", "JitFunction", "jit_compile", "lower_to_llvm", "runner_utils_library"]
