"""dp.export_library: the CPU library runs in a fresh process that imports only numpy and ctypes, and
returns dp's JIT results; the GPU library (kernels embedded, dp's runtime beside it) builds anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import dp
from dp.backends import gpu

from .programs import PROGRAMS

_BY_NAME = {p.name: p for p in PROGRAMS}
_EXPORTED = ["matrix_chain", "two_dim_stencil", "softmax_cross_entropy", "relu_network", "gmm"]

_RUNNER = """
import json, sys
import numpy as np
sys.path.insert(0, sys.argv[1])
module = __import__(sys.argv[2])
args = [np.load(path) if path.endswith('.npy') else float(path) for path in sys.argv[3:]]
out = getattr(module, sys.argv[2])(*args)
out = out if isinstance(out, tuple) else (out,)
loaded = sorted(name for name in sys.modules if name.split('.')[0] in ('dp', 'mlir', 'jax', 'llvm'))
print(json.dumps({'out': [np.asarray(o).tolist() for o in out], 'loaded': loaded}))
"""


def _run(directory, name, args):
    paths = []
    for i, arg in enumerate(args):
        if isinstance(arg, np.ndarray):
            paths.append(os.path.join(directory, f"arg{i}.npy"))
            np.save(paths[-1], arg)
        else:
            paths.append(repr(float(arg)))
    done = subprocess.run([sys.executable, "-c", _RUNNER, directory, name, *paths], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["loaded"] == []  # neither dp, nor MLIR, nor JAX: only numpy and ctypes
    return result["out"]


@pytest.mark.parametrize("name", _EXPORTED)
def test_cpu_library_runs_without_dp_and_matches_the_jit(name, tmp_path):
    p = _BY_NAME[name]
    if any(not isinstance(a, (np.ndarray, float)) for a in p.args):
        pytest.skip("the loader takes arrays and floats")
    directory = str(tmp_path / "primal")
    dp.export_library(p.fn, *p.args, path=directory)
    assert os.path.exists(os.path.join(directory, f"{p.fn.__name__}.h"))
    (value,) = _run(directory, p.fn.__name__, p.args)
    np.testing.assert_allclose(value, dp.compile(p.fn)(*p.args), rtol=1e-12)

    directory = str(tmp_path / "gradient")
    dp.export_library(p.fn, *p.args, path=directory, grad=True)
    value, *grads = _run(directory, p.fn.__name__, p.args)
    expected_value, expected = dp.value_and_grad(p.fn, argnums=tuple(range(len(p.args))))(*p.args)
    np.testing.assert_allclose(value, expected_value, rtol=1e-12)
    for grad, want in zip(grads, expected):
        np.testing.assert_allclose(np.asarray(grad), np.asarray(want), rtol=1e-10, atol=1e-13)


def test_header_declares_the_entry_and_its_layout(tmp_path):
    p = _BY_NAME["relu_network"]
    dp.export_library(p.fn, *p.args, path=str(tmp_path), grad=True, name="relu_grad")
    header = (tmp_path / "relu_grad.h").read_text()
    assert "void relu_grad(void **args);" in header and "void dp_initialize(void);" in header
    assert "arguments: float64[10, 6], float64[7, 10], f64" in header
    assert "results: f64, float64[10, 6], float64[7, 10]" in header


def test_gpu_library_embeds_kernels_and_ships_the_runtime(tmp_path):
    p = _BY_NAME["matrix_chain"]
    dp.export_library(p.fn, *p.args, path=str(tmp_path), target="gpu", grad=True)
    library = (tmp_path / "libmatrix_chain.so").read_bytes()
    assert (tmp_path / "libdp_gpu_runtime.so").exists()
    assert b"mgpuLaunchKernel" in library and b"dpGpuDgemm" in library
    assert (b"\x7fELF" in library[64:]) if gpu.ptxas() else (b".target sm_" in library)
    needed = subprocess.run(["readelf", "-d", str(tmp_path / "libmatrix_chain.so")], capture_output=True, text=True)
    if needed.returncode == 0:
        assert "libdp_gpu_runtime.so" in needed.stdout and "libcuda" not in needed.stdout


@pytest.mark.skipif(gpu.available(), reason="a GPU is present")
def test_gpu_library_without_a_driver_says_so(tmp_path):
    p = _BY_NAME["tanh_square"]
    dp.export_library(p.fn, *p.args, path=str(tmp_path), target="gpu")
    done = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import tanh_square"],
                          capture_output=True, text=True)
    assert done.returncode != 0 and "this library needs an NVIDIA GPU" in done.stderr


def test_unsupported_leaves_are_export_errors(tmp_path):
    def flag(x, b):
        return x if b else -x

    with pytest.raises(dp.ExportError, match="bool"):
        dp.export_library(flag, 1.0, np.array([True]), path=str(tmp_path))
