"""The BLAS compiled code calls for matrix products: the OpenBLAS numpy ships.

numpy's wheels bundle an ILP64 OpenBLAS (`numpy.libs/libscipy_openblas64_*.so`)
whose CBLAS functions carry a `scipy_` prefix and a `64_` suffix. Loading it
into the JIT gives compiled code a tuned, multithreaded dgemm without any
dependency beyond numpy.
"""

from __future__ import annotations

import ctypes
import functools
import glob
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Blas:
    library: str  # shared library to load into the JIT
    dgemm: str  # CBLAS dgemm symbol, ILP64
    sgemm: str


@functools.cache
def find_blas() -> Blas | None:
    """numpy's bundled OpenBLAS, if this numpy has one with the expected symbols."""
    try:
        import numpy
    except ImportError:
        return None
    libs = os.path.join(os.path.dirname(os.path.dirname(numpy.__file__)), "numpy.libs")
    for path in sorted(glob.glob(os.path.join(libs, "libscipy_openblas64_*.so"))):
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        if hasattr(library, "scipy_cblas_dgemm64_") and hasattr(library, "scipy_cblas_sgemm64_"):
            return Blas(path, "scipy_cblas_dgemm64_", "scipy_cblas_sgemm64_")
    return None


def pipeline_options() -> str:
    """The dp-lower-to-cpu options that route matrix products to the BLAS, or ""."""
    blas = find_blas()
    if blas is None:
        return ""
    return f"dgemm={blas.dgemm} sgemm={blas.sgemm}"


__all__ = ["Blas", "find_blas", "pipeline_options"]
