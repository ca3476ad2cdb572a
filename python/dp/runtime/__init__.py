"""Running compiled code: lowering to LLVM, object files loaded with ORC, the native calling
convention, and the on-disk compile cache (configured by `DP_CACHE_DIR` or `configure_cache`)."""

from dp.runtime.cache import config as cache_config
from dp.runtime.cache import configure as configure_cache
from dp.runtime.jit import LOWERING_PIPELINE, JitFunction, jit_compile, lower_to_llvm

__all__ = ["JitFunction", "LOWERING_PIPELINE", "cache_config", "configure_cache", "jit_compile", "lower_to_llvm"]
