"""dp's GPU runtime loads anywhere and says why kernels cannot run; target='gpu' without a driver
is a typed error, raised when the compiled function is called."""

from __future__ import annotations

import ctypes
import subprocess

import numpy as np
import pytest

import dp
from dp.backends import gpu

no_gpu = pytest.mark.skipif(gpu.available(), reason="a GPU is present")


def test_the_runtime_needs_no_cuda_mlir_or_llvm_to_load():
    done = subprocess.run(["ldd", gpu.runtime_library_path()], capture_output=True, text=True)
    assert done.returncode == 0
    for name in ("libcuda", "libMLIR", "libLLVM", "libcudart", "libstdc++"):
        assert name not in done.stdout
    library = ctypes.CDLL(gpu.runtime_library_path())
    for symbol in ("mgpuModuleLoad", "mgpuLaunchKernel", "mgpuMemAlloc", "mgpuStreamCreate", "dpGpuFree",
                   "dpGpuDgemm", "dpGpuSgemm", "dpGpuTakeError"):
        assert hasattr(library, symbol)


@no_gpu
def test_without_a_driver_the_runtime_says_why():
    assert not gpu.available()
    assert gpu.unavailable_reason()
    assert gpu.runtime().dpGpuAlloc(16) is None
    assert "libcuda" in gpu.runtime().dpGpuTakeError().decode() or gpu.unavailable_reason()


def doubled(x):
    return np.sum(x * 2.0)


@no_gpu
def test_calling_gpu_code_without_a_driver_is_a_typed_error():
    compiled = dp.compile(doubled, target="gpu")
    with pytest.raises(dp.GpuUnavailableError, match="needs an NVIDIA GPU") as info:
        compiled(np.ones(4))
    assert isinstance(info.value, dp.UnsupportedTargetError)
    assert "test_gpu_runtime.py:" in str(info.value)
    with pytest.raises(dp.GpuUnavailableError):
        dp.compile(doubled, target="gpu", grad=True)(np.ones(4))


def test_an_unknown_target_is_refused():
    with pytest.raises(ValueError, match="target must be one of"):
        dp.compile(doubled, target="tpu")


def test_kernels_are_compiled_for_the_chosen_chip(monkeypatch):
    monkeypatch.setenv("DP_GPU_CHIP", "sm_80")
    text = dp.compile(doubled, target="gpu").lower(np.ones(8), stage="llvm")
    assert 'chip = "sm_80"' in text


def test_managed_arrays_need_a_gpu():
    if gpu.available():
        array = gpu.managed_array(np.arange(5.0))
        assert gpu.is_managed(array) and array.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]
    else:
        with pytest.raises(dp.GpuRuntimeError):
            gpu.managed_array(np.arange(5.0))


@no_gpu
def test_grad_for_the_gpu_compiles_and_needs_a_driver_to_run():
    x = np.linspace(0.0, 1.0, 16)
    with pytest.raises(dp.GpuUnavailableError):
        dp.grad(doubled, target="gpu")(x)
    with pytest.raises(dp.GpuUnavailableError):
        dp.value_and_grad(doubled, target="gpu")(x)
    with pytest.raises(ValueError, match="target must be"):
        dp.grad(doubled, target="tpu")


@pytest.mark.skipif(not gpu.available(), reason="no GPU here")
def test_grad_on_the_gpu_equals_the_cpus():
    x = np.linspace(0.0, 1.0, 1000)
    np.testing.assert_allclose(dp.grad(doubled, target="gpu")(x), dp.grad(doubled)(x), rtol=1e-12)
