"""Every GPU corpus program compiles for the GPU, primal and gradient, into kernels embedded as a cubin
(or PTX where ptxas is absent); where a GPU is present, results equal the CPU's (rtol 1e-9)."""

from __future__ import annotations

import numpy as np
import pytest

import dp
from dp.backends import gpu

from .programs import PROGRAMS

IDS = [p.name for p in PROGRAMS]
needs_gpu = pytest.mark.skipif(not gpu.available(), reason=f"no GPU here: {gpu.unavailable_reason()}")


def _argnums(p):
    return (p.argnums,) if isinstance(p.argnums, int) else tuple(p.argnums)


def _check_kernels(text):
    assert "gpu.binary" in text and "gpu.launch_func" in text
    if gpu.ptxas() is not None:
        assert 'bin = "\\7FELF' in text  # a cubin ptxas assembled
    else:
        assert ".target sm_" in text  # PTX the driver compiles


def test_the_corpus_is_large_enough():
    assert len(PROGRAMS) >= 25


@pytest.mark.parametrize("p", PROGRAMS, ids=IDS)
def test_primal_compiles_for_the_gpu(p):
    _check_kernels(dp.compile(p.fn, target="gpu").lower(*p.args, stage="llvm"))


@pytest.mark.parametrize("p", PROGRAMS, ids=IDS)
def test_gradient_compiles_for_the_gpu(p):
    lowered = dp.lower(p.fn, *p.args, grad=True, stage="llvm", target="gpu")
    _check_kernels(lowered)


@needs_gpu
@pytest.mark.parametrize("p", PROGRAMS, ids=IDS)
def test_gpu_results_equal_the_cpus(p):
    expected = dp.compile(p.fn)(*p.args)
    np.testing.assert_allclose(dp.compile(p.fn, target="gpu")(*p.args), expected, rtol=1e-9)
    value, grads = dp.compile(p.fn, target="gpu", grad=True)(*p.args)
    cpu_value, cpu_grads = dp.value_and_grad(p.fn, argnums=tuple(range(len(p.args))))(*p.args)
    np.testing.assert_allclose(value, cpu_value, rtol=1e-9)
    for index in _argnums(p):
        np.testing.assert_allclose(np.asarray(grads[index]), np.asarray(cpu_grads[index]), rtol=1e-9, atol=1e-12)
