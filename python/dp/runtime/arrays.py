"""numpy arrays across the calling convention of compiled entry functions.

After lowering (one-shot bufferization with identity-layout memrefs at
function boundaries), an array argument of rank r is a memref descriptor
expanded into 3 + 2r scalars of the LLVM function and of its packed wrapper
`_mlir_<entry>`: the allocated pointer, the aligned pointer, the offset (i64),
r sizes and r strides (i64, in elements). An array result is the struct
`{ptr, ptr, i64, [r x i64], [r x i64]}` inside the result struct, which has
the C layout of the same fields flattened (every field is 8 bytes).

So an entry whose leaves include arrays is called through the scalar
trampoline (dp.runtime.calling) with each array leaf expanded: an argument
passes its data pointer twice, offset 0, its shape and its C-contiguous
strides; C-contiguous, aligned, native-endian arrays are passed without a
copy (anything else goes through np.ascontiguousarray first). Compiled code
never writes into an argument (the frontend marks array arguments
`bufferization.writable = false`).

A result's buffer was malloc'd by the compiled code and belongs to the
caller (ownership-based deallocation clones anything else before returning
it). It becomes a numpy array that owns it: the array's base is a small
object that calls libc `free` on the allocated pointer when the last array
using the buffer is garbage-collected. Results that share one buffer share
that owner; a buffer that is an argument's memory or a global constant
(never expected) is copied instead of freed.
"""

from __future__ import annotations

import ctypes
from typing import Any, Sequence

import numpy as np

from dp.errors import TypeMismatchError
from dp.frontend.dtypes import ArraySpec
from dp.runtime.calling import Pointer

_libc = ctypes.CDLL(None)
_free = _libc.free
_free.argtypes = [ctypes.c_void_p]
_free.restype = None

# The allocated pointer MLIR puts in descriptors of global constants (memref.get_global).
_GLOBAL_MARKER = 0xDEADBEEF


def has_arrays(*kind_lists: Sequence[Any]) -> bool:
    """Whether any of these leaf kinds is an array."""
    return any(isinstance(kind, ArraySpec) for kinds in kind_lists for kind in kinds)


def descriptor_kinds(spec: ArraySpec) -> list[Any]:
    """The scalar kinds an array leaf expands to: allocated, aligned, offset, sizes, strides."""
    return [Pointer, Pointer, int] + [int] * (2 * len(spec.shape))


def expand_kinds(kinds: Sequence[Any]) -> list[Any]:
    """Leaf kinds with every array expanded into its memref descriptor's scalars."""
    out: list[Any] = []
    for kind in kinds:
        if isinstance(kind, ArraySpec):
            out.extend(descriptor_kinds(kind))
        else:
            out.append(kind)
    return out


def contiguous_strides(shape: Sequence[int]) -> tuple[int, ...]:
    """Row-major strides in elements."""
    strides = []
    step = 1
    for n in reversed(shape):
        strides.append(step)
        step *= max(int(n), 1)
    return tuple(reversed(strides))


class _Allocation:
    """Owns one buffer malloc'd by compiled code; frees it when the last array using it dies."""

    __slots__ = ("pointer", "__weakref__")

    def __init__(self, pointer: int) -> None:
        self.pointer = pointer

    def __del__(self, _free: Any = _free) -> None:
        pointer, self.pointer = self.pointer, 0
        if pointer:
            _free(pointer)


class _Buffer:
    """What a result array views: the memory, and the allocation that keeps it alive."""

    __slots__ = ("__array_interface__", "allocation")

    def __init__(self, interface: dict, allocation: _Allocation | None) -> None:
        self.__array_interface__ = interface
        self.allocation = allocation


class _ArgumentPlan:
    __slots__ = ("spec", "dtype", "shape", "tail")

    def __init__(self, spec: ArraySpec) -> None:
        self.spec = spec
        self.dtype = spec.numpy_dtype
        self.shape = spec.shape
        self.tail = (0, *spec.shape, *contiguous_strides(spec.shape))


def _argument(value: Any, plan: _ArgumentPlan, index: int) -> np.ndarray:
    """The array to pass for an argument leaf: contiguous, aligned, of exactly the compiled dtype and shape."""
    if type(value) is not np.ndarray:
        if not isinstance(value, np.ndarray):
            raise TypeMismatchError(
                f"argument leaf {index}: expected a numpy array of {plan.spec}, not {type(value).__name__}"
            )
        value = np.asarray(value)
    if value.shape != plan.shape or value.dtype != plan.dtype:
        if value.dtype.name != plan.spec.dtype or value.shape != plan.shape:
            raise TypeMismatchError(
                f"argument leaf {index}: expected an array of {plan.spec}, not ndarray[{value.dtype}, {value.shape}]"
            )
        value = np.ascontiguousarray(value, dtype=plan.dtype)  # another byte order
    flags = value.flags
    if not (flags.c_contiguous and flags.aligned):
        value = np.ascontiguousarray(value)
    return value


class _ResultPlan:
    __slots__ = ("spec", "rank", "shape", "typestr", "itemsize", "strides", "size")

    def __init__(self, spec: ArraySpec) -> None:
        self.spec = spec
        self.rank = len(spec.shape)
        self.shape = spec.shape
        self.typestr = spec.numpy_dtype.str
        self.itemsize = spec.numpy_dtype.itemsize
        self.strides = contiguous_strides(spec.shape)
        self.size = spec.size


class ArrayCall:
    """Calls a compiled entry whose arguments or results include arrays.

    `call` is the scalar trampoline built for the expanded kinds; this object
    expands array leaves into descriptors, calls it, and turns returned
    descriptors into numpy arrays that own their buffers. It returns the
    tuple of result leaves, like the trampoline.
    """

    def __init__(self, call: Any, arg_kinds: Sequence[Any], result_kinds: Sequence[Any]) -> None:
        self._call = call
        self._args = tuple(_ArgumentPlan(k) if isinstance(k, ArraySpec) else None for k in arg_kinds)
        self._has_array_args = any(plan is not None for plan in self._args)
        self._results = tuple(_ResultPlan(k) if isinstance(k, ArraySpec) else None for k in result_kinds)
        self._has_array_results = any(plan is not None for plan in self._results)

    @property
    def owner(self) -> Any:
        return self._call.owner

    @property
    def library(self) -> Any:
        return self._call.owner

    def __call__(self, leaves: Sequence[Any]) -> tuple:
        if len(leaves) != len(self._args):
            raise TypeMismatchError(f"the compiled function takes {len(self._args)} argument leaves, got {len(leaves)}")
        keep: list[np.ndarray] = []
        pointers: list[int] = []
        if self._has_array_args:
            flat: list[Any] = []
            for index, (leaf, plan) in enumerate(zip(leaves, self._args)):
                if plan is None:
                    flat.append(leaf)
                    continue
                array, pointer = self._prepare(leaf, plan, index)
                keep.append(array)
                pointers.append(pointer)
                flat.append(pointer)
                flat.append(pointer)
                flat.extend(plan.tail)
        else:
            flat = leaves
        out = self._call(flat)
        if not self._has_array_results:
            return out
        return self._unpack(out, pointers)

    # What owns a returned buffer (and frees it with the allocator compiled code used).
    allocation_type: type = _Allocation

    def _prepare(self, leaf: Any, plan: _ArgumentPlan, index: int) -> tuple[Any, int]:
        """What to keep alive during the call for an array leaf, and the data pointer to pass."""
        array = _argument(leaf, plan, index)
        return array, array.__array_interface__["data"][0]

    def _unpack(self, out: tuple, arguments: list[int]) -> tuple:
        results: list[Any] = []
        owners: dict[int, _Allocation] = {}
        position = 0
        for plan in self._results:
            if plan is None:
                results.append(out[position])
                position += 1
                continue
            end = position + 3 + 2 * plan.rank
            results.append(_result_array(plan, out[position:end], owners, arguments, self.allocation_type))
            position = end
        # A buffer no result views (none is expected) is freed when `owners` goes away.
        return tuple(results)


def _result_array(
    plan: _ResultPlan,
    descriptor: tuple,
    owners: dict[int, _Allocation],
    arguments: list[int],
    allocation_type: type = _Allocation,
) -> np.ndarray:
    """The numpy array of a returned memref descriptor, owning (or sharing) the malloc'd buffer."""
    allocated, aligned, offset = descriptor[0], descriptor[1], descriptor[2]
    rank = plan.rank
    sizes = descriptor[3 : 3 + rank]
    strides = descriptor[3 + rank :]
    if sizes != plan.shape:
        raise TypeMismatchError(f"compiled code returned an array of shape {sizes} for {plan.spec} (a bug in dp)")
    borrowed = allocated == _GLOBAL_MARKER or allocated in arguments
    allocation = None
    if allocated and not borrowed:
        allocation = owners.get(allocated)
        if allocation is None:
            allocation = owners[allocated] = allocation_type(allocated)
    if plan.size == 0 or not aligned:
        return np.empty(plan.shape, plan.spec.numpy_dtype)
    itemsize = plan.itemsize
    interface = {
        "version": 3,
        "shape": plan.shape,
        "typestr": plan.typestr,
        "data": (aligned + offset * itemsize, False),
        "strides": None if strides == plan.strides else tuple(s * itemsize for s in strides),
    }
    array = np.asarray(_Buffer(interface, allocation))
    if borrowed:
        return array.copy()
    return array


__all__ = ["ArrayCall", "ArgumentPlan", "argument_array", "contiguous_strides", "descriptor_kinds", "expand_kinds", "has_arrays"]

ArgumentPlan = _ArgumentPlan
argument_array = _argument
