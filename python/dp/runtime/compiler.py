"""Compiling one specialization, through the on-disk cache.

`compile_specialization` is what dp.compile and the transforms call on an
in-memory cache miss. With the disk cache on, it first fingerprints the call
(dp.runtime.fingerprint: no frontend involved) and, on a trusted entry, loads
the object file and returns without importing, lowering or generating code.
Otherwise it runs `build` (the frontend and any derivative entry points),
lowers the module, compiles it to an object file, loads it, and stores the
object with its metadata for the next process.
"""

from __future__ import annotations

import dataclasses
import re
import time
import types
from typing import Any, Callable, Hashable, Sequence

from mlir import ir
from mlir.dialects import func

from dp.errors import InternalCompilerError
from dp.frontend.importer import ImportedFunction
from dp.frontend.pytree import TreeDef
from dp.runtime import cache, jit
from dp.runtime.fingerprint import Fingerprint, Uncacheable, fingerprint_call
from dp.runtime.jit import JitFunction, Library, compile_object, lower_to_llvm

# In `entries`: the imported function's own entry point (its symbol is only known after importing).
PRIMAL = None

# Seconds spent in each step of the last compile_specialization (for benchmarks):
# key (fingerprint), load (disk hit), frontend (import and derivative entries),
# lowering (the MLIR pipeline), llvm (LLVM IR, optimization, codegen), link, store.
last_timings: dict[str, float] = {}


@dataclasses.dataclass(eq=False)
class Compiled:
    """Loaded machine code of one specialization and what the Python side needs to call it."""

    library: Library
    entry: str  # the symbol of the imported function's entry
    result_treedef: TreeDef
    prints: bool
    imported: ImportedFunction | None  # None when loaded from the disk cache
    from_disk: bool = False

    def function(self, entry: str | None, arg_kinds: Sequence[type], result_kinds: Sequence[type]) -> JitFunction:
        """An entry point (PRIMAL for the function itself) called with leaves of `arg_kinds`."""
        symbol = self.entry if entry is PRIMAL else entry
        return self.library.function(symbol, arg_kinds, result_kinds, prints=self.prints)


def compile_specialization(
    fn: types.FunctionType,
    signature_key: Hashable,
    options: tuple,
    entries: Sequence[str | None],
    build: Callable[[], ImportedFunction],
    check: Callable[[TreeDef], None] | None = None,
) -> Compiled:
    """Machine code for `fn` specialized for a call signature, from the disk cache or compiled.

    `options` (primitives) and `entries` distinguish compilations of the same
    function and signature; `build()` imports the function and adds the
    derivative entries; `check(result_treedef)` raises for a result the caller
    cannot use, on a cache hit as after importing.
    """
    last_timings.clear()
    options = (*options, jit.current_target())
    start = time.perf_counter()
    fingerprint, key = _key(fn, signature_key, options, entries)
    start = _lap("key", start)
    if key is not None:
        compiled = _load(key, fingerprint, fn.__qualname__)
        if compiled is not None:
            if check is not None:
                check(compiled.result_treedef)
            cache.stats.hits += 1
            _lap("load", start)
            return compiled
        cache.stats.misses += 1
        start = _lap("load", start)
    imported = build()
    if check is not None:
        check(imported.result_treedef)
    symbols = [imported.entry if entry is PRIMAL else entry for entry in entries]
    body = _metadata(imported, symbols, fingerprint) if key is not None else None
    start = _lap("frontend", start)
    try:
        lower_to_llvm(imported.module)
    except InternalCompilerError as error:
        error.locate(imported.filename, imported.lineno, 1, None)
        raise
    start = _lap("lowering", start)
    object_file = compile_object(imported.module, symbols)
    start = _lap("llvm", start)
    with imported.module.context:
        host_access = "dp.gpu.host_access" in imported.module.operation.attributes
    library = Library(object_file, imported.name, host_access=host_access)
    for symbol in symbols:
        library.address(symbol)
    start = _lap("link", start)
    if body is not None:
        cache.store(key, object_file, body)
        _lap("store", start)
    return Compiled(library, imported.entry, imported.result_treedef, imported.prints, imported)


def _lap(step: str, start: float) -> float:
    now = time.perf_counter()
    last_timings[step] = now - start
    return now


def _key(
    fn: types.FunctionType, signature_key: Hashable, options: tuple, entries: Sequence[str | None]
) -> tuple[Fingerprint | None, str | None]:
    if not cache.config.enabled:
        return None, None
    try:
        compilation = (jit.OPT_LEVEL, jit.ARRAY_OPT_LEVEL, jit.PIPELINE, jit.current_pipeline(), jit.VECTOR_LIBRARY)
        fingerprint = fingerprint_call(fn, signature_key, (options, tuple(entries), *compilation), cache.environment())
        return fingerprint, fingerprint.hexdigest()
    except Uncacheable as reason:
        _uncacheable(str(reason))
    except RecursionError:
        _uncacheable("its compile-time values are nested too deeply")
    return None, None


def _uncacheable(reason: str) -> None:
    cache.stats.uncacheable += 1
    cache.stats.last_reason = reason


def _load(key: str, fingerprint: Fingerprint, name: str) -> Compiled | None:
    found = cache.load(key)
    if found is None:
        return None
    object_file, body = found
    try:
        result = cache.decode_treedef(body["result"], fingerprint)
        library = Library(object_file, name)
        for symbol in body["entries"]:
            library.address(symbol)  # links now: a failure is a miss, not an error later
        return Compiled(library, str(body["entry"]), result, bool(body["prints"]), None, from_disk=True)
    except Exception as error:  # an authentic entry dp cannot use (a bug of dp's): rebuilt, never raised
        cache.reject(f"{key}: {type(error).__name__}: {error}")
        return None


_LOCATION = re.compile(r'^loc\("(.*)":(\d+):(\d+)\)$')


def _metadata(imported: ImportedFunction, symbols: list[str], fingerprint: Fingerprint) -> dict[str, Any] | None:
    """What a later process needs besides the object file; None when the entry must not be stored."""
    if imported.writeback:
        _uncacheable("it writes arguments or globals back (dp.runtime.writeback)")
        return None
    uncovered = _unfingerprinted_functions(imported.module, fingerprint)
    if uncovered:
        _uncacheable(f"the compiled code includes {uncovered[0]}, which the key does not cover")
        return None
    try:
        result = cache.encode_treedef(imported.result_treedef, fingerprint)
        if cache.decode_treedef(result, fingerprint) != imported.result_treedef:
            raise Uncacheable("its result structure does not survive the metadata")
    except Uncacheable as reason:
        _uncacheable(str(reason))
        return None
    return {
        "function": imported.name,
        "entry": imported.entry,
        "entries": symbols,
        "result": result,
        "prints": imported.prints,
    }


def _unfingerprinted_functions(module: ir.Module, fingerprint: Fingerprint) -> list[str]:
    """Python functions compiled into `module` (by their located func.func) that the fingerprint missed.

    A safety net under the fingerprint's bytecode walk: every function the
    frontend imported must be one whose source is in the key.
    """
    missing = []
    with module.context:
        for op in module.body:
            if not isinstance(op, func.FuncOp):
                continue
            match = _LOCATION.match(str(op.location))
            if match is None:
                continue
            filename, line = match.group(1), int(match.group(2))
            if not any(f == filename and first <= line <= last for f, first, last in fingerprint.functions):
                missing.append(f"{filename}:{line}")
    return missing


__all__ = ["Compiled", "PRIMAL", "compile_specialization"]
