"""Compile MLIR text with dp-lower-to-cpu and call its functions from Python.

Benchmarks call functions that take and return scalars; the packed
`_mlir_<name>` interface (an array of pointers to arguments, then to the
result) is the simplest way to do that with ctypes.
"""

from __future__ import annotations

import ctypes
import time
from collections.abc import Sequence

from mlir import ir
from mlir.execution_engine import ExecutionEngine
from mlir.passmanager import PassManager

import dp  # noqa: F401  (registers the dp dialect and passes)

CTYPES = {"f64": ctypes.c_double, "i64": ctypes.c_int64, "index": ctypes.c_int64}


class Function:
    """One JIT-compiled function with scalar arguments and results."""

    def __init__(self, engine: ExecutionEngine, name: str, args: Sequence[str], results: Sequence[str]):
        self._engine = engine
        self._address = engine.raw_lookup(name)
        self._call = ctypes.CFUNCTYPE(None, ctypes.c_void_p)(self._address)
        self._args = [CTYPES[t]() for t in args]
        fields = [(f"r{i}", CTYPES[t]) for i, t in enumerate(results)]
        self._result = type("Result", (ctypes.Structure,), {"_fields_": fields})()
        pointers = [ctypes.addressof(a) for a in self._args] + [ctypes.addressof(self._result)]
        self._packed = (ctypes.c_void_p * len(pointers))(*pointers)

    def __call__(self, *args):
        for slot, value in zip(self._args, args):
            slot.value = value
        self._call(self._packed)
        return tuple(getattr(self._result, f"r{i}") for i in range(len(self._result._fields_)))


def compile_module(source: str, opt_level: int = 3) -> tuple[ExecutionEngine, float]:
    """Lowers `source` with dp-lower-to-cpu and JIT-compiles it; returns the
    engine and the compile time in seconds (pipeline + LLVM)."""
    start = time.perf_counter()
    context = ir.Context()
    with context:
        module = ir.Module.parse(source)
        PassManager.parse("builtin.module(dp-lower-to-cpu)").run(module.operation)
        engine = ExecutionEngine(module, opt_level=opt_level)
        engine.initialize()
    elapsed = time.perf_counter() - start
    engine._dp_context = context  # keep the context alive with the engine
    return engine, elapsed


def loop_pushes(source: str) -> int:
    """Number of tape pushes executed once per iteration of the innermost
    loops of the differentiated code (after inlining and cleanup), i.e. the
    slots of 8 bytes each loop iteration adds to the tape."""
    with ir.Context():
        module = ir.Module.parse(source)
        PassManager.parse(
            "builtin.module(inline, canonicalize, cse, dp-autodiff, dp-erase-stop-gradient, "
            "inline, canonicalize, cse, symbol-dce)"
        ).run(module.operation)
        count = 0

        def visit(op, in_loop: bool) -> None:
            nonlocal count
            name = op.operation.name
            if name == "dp.tape.push" and in_loop:
                count += 1
            inner = in_loop or name in ("scf.for", "scf.while")
            for region in op.operation.regions:
                for block in region:
                    for child in block:
                        visit(child, inner)

        for op in module.body:
            visit(op, False)
        return count


def best_time(fn, *args, repeat: int = 7, number: int = 1) -> float:
    """Minimum over `repeat` runs of the mean time of `number` calls, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn(*args)
        best = min(best, (time.perf_counter() - start) / number)
    return best
