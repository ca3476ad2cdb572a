"""NVIDIA GPUs: the dp-lower-to-nvvm pipeline, dp's GPU runtime, and arrays across the call.

Compiled GPU code is host code in the LLVM dialect that launches kernels
embedded in it (a cubin when ptxas is found, PTX otherwise) through dp's
GPU runtime library (`dp/lib/libdp_gpu_runtime.so`, plain C over the CUDA
driver, which it dlopens at first use). Every buffer compiled code creates
is CUDA managed memory, so:

- a numpy argument is copied into managed memory (one host memcpy), and
  an argument that is already managed (a result of an earlier GPU call) is
  passed as it is;
- an array that lives on the GPU (anything with `__cuda_array_interface__`,
  as CuPy, PyTorch and Numba arrays have, or `__dlpack__` on a CUDA
  device, as JAX arrays have) is passed zero-copy; only when the compiled
  code reads buffers from the host too (module attribute
  `dp.gpu.host_access`) is device-only memory staged into managed memory;
- a result is a numpy array viewing the managed buffer it was computed in:
  no copy is made; its pages stay on the GPU until the host reads them, and
  passing it to another GPU function moves nothing.
"""

from __future__ import annotations

import ctypes
import functools
import os
import shutil
from typing import Any, Sequence

import numpy as np

from dp.errors import GpuRuntimeError, GpuUnavailableError, TypeMismatchError
from dp.runtime import arrays

# The compute capability kernels are compiled for when no device is visible (the H100/H200's).
DEFAULT_CHIP = "sm_90"
BLOCK_SIZE = 256
HOST_ACCESS = "dp.gpu.host_access"

_DLPACK_CUDA = (2, 13)  # kDLCUDA, kDLCUDAManaged


def runtime_library_path() -> str:
    """The path of dp's GPU runtime library, which compiled GPU code calls."""
    return os.path.join(os.path.dirname(os.path.dirname(__file__)), "lib", "libdp_gpu_runtime.so")


@functools.cache
def runtime() -> ctypes.CDLL:
    """dp's GPU runtime, loaded (it loads on any machine; the driver is opened on first use)."""
    library = ctypes.CDLL(runtime_library_path())
    signatures = {
        "dpGpuAvailable": ([], ctypes.c_int),
        "dpGpuUnavailable": ([], ctypes.c_char_p),
        "dpGpuTakeError": ([], ctypes.c_char_p),
        "dpGpuAlloc": ([ctypes.c_size_t], ctypes.c_void_p),
        "dpGpuFree": ([ctypes.c_void_p], None),
        "dpGpuMemcpy": ([ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t], ctypes.c_int),
        "dpGpuSynchronize": ([], ctypes.c_int),
        "dpGpuIsDeviceOnly": ([ctypes.c_void_p], ctypes.c_int),
        "dpGpuDevice": ([ctypes.c_char_p, ctypes.c_int], ctypes.c_int),
        "dpGpuSetLibrary": ([ctypes.c_int, ctypes.c_char_p], None),
    }
    for name, (argtypes, restype) in signatures.items():
        function = getattr(library, name)
        function.argtypes = argtypes
        function.restype = restype
    cublas = _wheel_library("nvidia.cublas", "libcublas.so.12")
    if cublas is not None:
        library.dpGpuSetLibrary(1, cublas.encode())
    return library


def _wheel_library(package: str, name: str) -> str | None:
    """A shared library an NVIDIA wheel installs (lib/<name> of the package), if installed."""
    directory = _package_directory(package)
    path = os.path.join(directory, "lib", name) if directory else None
    return path if path and os.path.exists(path) else None


def _package_directory(package: str) -> str | None:
    import importlib.util

    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return next(iter(spec.submodule_search_locations))


@functools.cache
def toolkit() -> str | None:
    """A directory with bin/ptxas and nvvm/libdevice: the nvidia-cuda-nvcc wheel, $CUDA_HOME or /usr/local/cuda."""
    candidates = [_package_directory("nvidia.cuda_nvcc"), os.environ.get("CUDA_HOME"), os.environ.get("CUDA_PATH")]
    candidates.append("/usr/local/cuda")
    for directory in candidates:
        if directory and os.path.exists(os.path.join(directory, "nvvm", "libdevice", "libdevice.10.bc")):
            if " " not in directory and "}" not in directory:  # it goes into pass-pipeline text
                return directory
    return None


def ptxas() -> str | None:
    """The ptxas that assembles kernels into cubins, if there is one."""
    directory = toolkit()
    found = os.path.join(directory, "bin", "ptxas") if directory else None
    return found if found and os.access(found, os.X_OK) else shutil.which("ptxas")


def available() -> bool:
    """True if a driver and a device can run dp's kernels here."""
    return bool(runtime().dpGpuAvailable())


def unavailable_reason() -> str:
    """Why kernels cannot run here ("" when they can)."""
    return "" if available() else runtime().dpGpuUnavailable().decode(errors="replace")


def device() -> tuple[str, str] | None:
    """The GPU's name and its chip (sm_XY), or None without one."""
    if not available():
        return None
    name = ctypes.create_string_buffer(256)
    capability = runtime().dpGpuDevice(name, len(name))
    return name.value.decode(errors="replace"), f"sm_{capability}"


def chip() -> str:
    """The chip to compile for: $DP_GPU_CHIP, else the visible device's, else DEFAULT_CHIP."""
    chosen = os.environ.get("DP_GPU_CHIP")
    if chosen:
        return chosen
    found = device() if os.path.exists(runtime_library_path()) else None
    return found[1] if found else DEFAULT_CHIP


def pipeline(target_chip: str | None = None) -> str:
    """The pass pipeline that lowers a module for this machine's GPU (or `target_chip`)."""
    directory = toolkit()
    options = [f"chip={target_chip or chip()}", f"block-size={BLOCK_SIZE}", "runtime-checks=1"]
    if directory is not None:
        options.append(f"toolkit={directory}")
    options.append("format=bin" if directory is not None and ptxas() else "format=isa")
    return f"builtin.module(dp-lower-to-nvvm{{{' '.join(options)}}})"


def require() -> None:
    """Raises GpuUnavailableError unless kernels can run here."""
    if not available():
        raise GpuUnavailableError(f"target='gpu' needs an NVIDIA GPU and its driver: {unavailable_reason()}")


def check() -> None:
    """Raises the first error the GPU runtime recorded during the last call, if any."""
    error = runtime().dpGpuTakeError()
    if error is not None:
        raise GpuRuntimeError(error.decode(errors="replace"))


class _ManagedAllocation:
    """Owns a buffer of CUDA managed memory; frees it when the last array using it dies."""

    __slots__ = ("pointer", "__weakref__")

    def __init__(self, pointer: int) -> None:
        self.pointer = pointer

    def __del__(self) -> None:
        pointer, self.pointer = self.pointer, 0
        if pointer:
            runtime().dpGpuFree(pointer)


def managed_empty(shape: Sequence[int], dtype: Any) -> np.ndarray:
    """An uninitialized numpy array in CUDA managed memory (readable by kernels and the host)."""
    dtype = np.dtype(dtype)
    size = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    pointer = runtime().dpGpuAlloc(max(size, 1))
    if not pointer:
        check()
        raise GpuRuntimeError(f"cannot allocate {size} bytes of managed memory")
    interface = {"version": 3, "shape": tuple(shape), "typestr": dtype.str, "data": (pointer, False), "strides": None}
    return np.asarray(_Buffer(interface, _ManagedAllocation(pointer)))


def managed_array(value: Any) -> np.ndarray:
    """A copy of an array in CUDA managed memory."""
    value = np.ascontiguousarray(value)
    copy = managed_empty(value.shape, value.dtype)
    copy[...] = value
    return copy


class _Buffer:
    __slots__ = ("__array_interface__", "allocation")

    def __init__(self, interface: dict, allocation: _ManagedAllocation) -> None:
        self.__array_interface__ = interface
        self.allocation = allocation


def is_managed(array: np.ndarray) -> bool:
    """True if a numpy array views memory dp allocated on the GPU (managed)."""
    base = array
    while isinstance(base, np.ndarray):
        if base.base is None:
            return False
        base = base.base
    return isinstance(base, _Buffer)


def _device_pointer(value: Any, plan: arrays.ArgumentPlan, index: int) -> tuple[Any, int] | None:
    """(what to keep alive, data pointer) of an array that lives on the GPU; None for other values."""
    interface = getattr(value, "__cuda_array_interface__", None)
    if interface is not None:
        shape, typestr = tuple(interface["shape"]), np.dtype(interface["typestr"])
        strides = interface.get("strides")
        contiguous = strides is None or tuple(strides) == tuple(s * typestr.itemsize for s in arrays.contiguous_strides(shape))
        _check_device_array(shape, typestr, contiguous, plan, index)
        return value, int(interface["data"][0])
    if hasattr(value, "__dlpack_device__") and value.__dlpack_device__()[0] in _DLPACK_CUDA:
        capsule = value.__dlpack__()
        tensor = _DLTensor.from_capsule(capsule)
        shape = tuple(tensor.shape[d] for d in range(tensor.ndim))
        dtype = _dlpack_dtype(tensor.dtype_code, tensor.dtype_bits)
        contiguous = not tensor.strides or tuple(tensor.strides[d] for d in range(tensor.ndim)) == tuple(
            arrays.contiguous_strides(shape)
        )
        _check_device_array(shape, dtype, contiguous, plan, index)
        return capsule, int(tensor.data or 0) + int(tensor.byte_offset)
    return None


def _check_device_array(shape: tuple, dtype: np.dtype, contiguous: bool, plan: arrays.ArgumentPlan, index: int) -> None:
    if shape != plan.shape or dtype != plan.dtype:
        raise TypeMismatchError(f"argument leaf {index}: expected a GPU array of {plan.spec}, not {dtype}{list(shape)}")
    if not contiguous:
        raise TypeMismatchError(f"argument leaf {index}: a GPU array must be C-contiguous (copy it first)")


def _dlpack_dtype(code: int, bits: int) -> np.dtype:
    kinds = {0: "i", 1: "u", 2: "f", 6: "b"}
    if code not in kinds:
        return np.dtype("V1")
    return np.dtype(f"{kinds[code]}{bits // 8}") if code != 6 else np.dtype(bool)


class _DLTensor(ctypes.Structure):
    """DLPack's DLTensor: the head of the DLManagedTensor a "dltensor" capsule holds."""

    _fields_ = [
        ("data", ctypes.c_void_p),
        ("device_type", ctypes.c_int32),
        ("device_id", ctypes.c_int32),
        ("ndim", ctypes.c_int32),
        ("dtype_code", ctypes.c_uint8),
        ("dtype_bits", ctypes.c_uint8),
        ("dtype_lanes", ctypes.c_uint16),
        ("shape", ctypes.POINTER(ctypes.c_int64)),
        ("strides", ctypes.POINTER(ctypes.c_int64)),
        ("byte_offset", ctypes.c_uint64),
    ]

    @classmethod
    def from_capsule(cls, capsule: Any) -> "_DLTensor":
        get = ctypes.pythonapi.PyCapsule_GetPointer
        get.restype = ctypes.c_void_p
        get.argtypes = [ctypes.py_object, ctypes.c_char_p]
        return cls.from_address(get(capsule, b"dltensor"))


class GpuArrayCall(arrays.ArrayCall):
    """An ArrayCall of compiled GPU code: arguments in GPU-readable memory, results owned as managed memory."""

    allocation_type = _ManagedAllocation

    def __init__(self, call: Any, arg_kinds: Sequence[Any], result_kinds: Sequence[Any], host_access: bool) -> None:
        super().__init__(call, arg_kinds, result_kinds)
        self._host_access = host_access

    def _prepare(self, leaf: Any, plan: arrays.ArgumentPlan, index: int) -> tuple[Any, int]:
        if isinstance(leaf, np.ndarray):
            array = arrays.argument_array(leaf, plan, index)
            if not is_managed(array):
                array = managed_array(array)
            return array, array.__array_interface__["data"][0]
        found = _device_pointer(leaf, plan, index)
        if found is None:
            return super()._prepare(leaf, plan, index)
        keep, pointer = found
        runtime().dpGpuSynchronize()  # the producer's stream may still be writing it
        if self._host_access and runtime().dpGpuIsDeviceOnly(pointer):
            staged = managed_empty(plan.shape, plan.dtype)
            if not runtime().dpGpuMemcpy(staged.ctypes.data, pointer, staged.nbytes):
                check()
            return staged, staged.ctypes.data
        return keep, pointer

    def __call__(self, leaves: Sequence[Any]) -> tuple:
        require()
        check()  # an error of earlier work on the device is not this call's
        results = super().__call__(leaves)
        check()
        return results


class GpuCall:
    """A compiled GPU entry whose leaves are all scalars: checks the runtime's errors after the call."""

    __slots__ = ("_call",)

    def __init__(self, call: Any) -> None:
        self._call = call

    @property
    def owner(self) -> Any:
        return self._call.owner

    @property
    def library(self) -> Any:
        return self._call.owner

    def __call__(self, leaves: Sequence[Any]) -> tuple:
        require()
        check()
        results = self._call(leaves)
        check()
        return results


__all__ = [
    "GpuArrayCall",
    "GpuCall",
    "available",
    "chip",
    "device",
    "managed_array",
    "managed_empty",
    "pipeline",
    "ptxas",
    "require",
    "runtime_library_path",
    "toolkit",
    "unavailable_reason",
]
