"""Hooks the dp dialect and passes into the MLIR that `mlir` loaded."""

from mlir import _mlir_libs, ir

from dp import _native

_registered = False


def register() -> None:
    """Adds dp to the registry every new Context starts from (idempotent)."""
    global _registered
    if _registered:
        return
    _native.register_dialects(_mlir_libs.get_dialect_registry())
    _native.register_passes()
    _registered = True


def new_context() -> ir.Context:
    """A Context for compiling one function, without a thread pool of its own.

    A multithreaded Context starts one thread per core and keeps them while it lives; a compiled function
    keeps its Context, so a process that compiles many (a test suite, a sweep over closures) would hold
    hundreds of idle threads. dp's modules are small: their passes run on the calling thread.
    """
    register()
    context = ir.Context()
    context.enable_multithreading(False)
    return context
