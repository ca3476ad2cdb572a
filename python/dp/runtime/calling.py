"""The calling convention between Python and a JIT'd entry function.

The ExecutionEngine wraps every function as `void _mlir_<name>(void **args)`:
`args` points to each argument and, last, to storage for the result (one
scalar, or an LLVM struct when there are several, laid out like the C
struct of the same fields). Everything that depends only on the signature
(ctypes types, struct formats, the pointer array) is built once here; a
call fills preallocated per-thread buffers.
"""

from __future__ import annotations

import ctypes
import struct
import threading
from typing import Any, Sequence

from dp.errors import TypeMismatchError

class Pointer:
    """The kind of an opaque pointer argument or result (a `!dp.tape`)."""


_CTYPES = {float: ctypes.c_double, int: ctypes.c_int64, bool: ctypes.c_bool, Pointer: ctypes.c_void_p}
_FORMATS = {float: "d", int: "q", bool: "?", Pointer: "P"}
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


class PackedCall:
    """Calls a packed JIT wrapper with Python scalars and returns a tuple of Python scalars."""

    def __init__(self, address: int, arg_kinds: Sequence[type], result_kinds: Sequence[type], owner: Any) -> None:
        self._owner = owner  # the ExecutionEngine that owns the code
        self._function = ctypes.CFUNCTYPE(None, ctypes.c_void_p)(address)
        self._args_type = type(
            "Args", (ctypes.Structure,), {"_fields_": [(f"a{i}", _CTYPES[kind]) for i, kind in enumerate(arg_kinds)]}
        )
        self._results_type = type(
            "Results",
            (ctypes.Structure,),
            {"_fields_": [(f"r{i}", _CTYPES[kind]) for i, kind in enumerate(result_kinds)]},
        )
        self._result_format = "@" + "".join(_FORMATS[kind] for kind in result_kinds)
        self._has_results = bool(result_kinds)
        self._int_positions = [i for i, kind in enumerate(arg_kinds) if kind is int]
        self._offsets = [getattr(self._args_type, f"a{i}").offset for i in range(len(arg_kinds))]
        self._local = threading.local()

    def _buffers(self) -> tuple[ctypes.Structure, ctypes.Structure, ctypes.Array]:
        try:
            return self._local.buffers
        except AttributeError:
            args = self._args_type()
            results = self._results_type()
            base = ctypes.addressof(args)
            pointers = [base + offset for offset in self._offsets]
            if self._has_results:
                pointers.append(ctypes.addressof(results))
            array = (ctypes.c_void_p * max(len(pointers), 1))(*pointers)
            self._local.buffers = (args, results, array)
            return self._local.buffers

    def __call__(self, leaves: Sequence[Any]) -> tuple:
        for position in self._int_positions:
            if not _INT64_MIN <= leaves[position] <= _INT64_MAX:
                raise TypeMismatchError(f"integer argument {leaves[position]} does not fit in 64 bits")
        args, results, array = self._buffers()
        self._args_type.__init__(args, *leaves)
        self._function(array)
        return struct.unpack_from(self._result_format, results) if self._has_results else ()


__all__ = ["PackedCall", "Pointer"]
