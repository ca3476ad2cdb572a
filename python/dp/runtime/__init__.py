"""Running compiled code: lowering to LLVM, the JIT, and the native calling convention."""

from dp.runtime.jit import LOWERING_PIPELINE, JitFunction, jit_compile, lower_to_llvm

__all__ = ["JitFunction", "LOWERING_PIPELINE", "jit_compile", "lower_to_llvm"]
