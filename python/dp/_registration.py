"""Hooks the dp dialect and passes into the MLIR that `mlir` loaded."""

from mlir import _mlir_libs

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
