"""The LAPACK compiled code calls for np.linalg: the one in numpy's bundled OpenBLAS.

numpy's wheels bundle an ILP64 OpenBLAS (see dp.runtime.blas) that carries
LAPACK and its C interface LAPACKE, with a `scipy_` prefix and a `64_`
suffix (`scipy_LAPACKE_dgesv64_`). Compiled code calls LAPACKE's row-major
entry points directly (the library is loaded into the JIT with the BLAS):
LAPACKE allocates the workspace, and every integer is 64 bits.
"""

from __future__ import annotations

import ctypes
import functools

from dp.runtime import blas

# The LAPACK routines np.linalg needs, by what they compute.
ROUTINES = (
    "gesv",  # solve, inv: LU with partial pivoting
    "getrf",  # det, slogdet: the LU factors
    "potrf",  # cholesky
    "geqrf",  # qr: Householder reflectors and R
    "orgqr",  # qr: Q from the reflectors
    "syevd",  # eigh
    "gesdd",  # svd (divide and conquer)
)
ROW_MAJOR = 101


@functools.cache
def find_lapack() -> str | None:
    """The shared library (numpy's OpenBLAS) holding LAPACKE, or None."""
    found = blas.find_blas()
    if found is None:
        return None
    library = ctypes.CDLL(found.library)
    if all(hasattr(library, symbol(routine, dtype)) for routine in ROUTINES for dtype in ("float64", "float32")):
        return found.library
    return None


def symbol(routine: str, dtype: str) -> str:
    """The LAPACKE symbol of `routine` (e.g. "gesv") for float64 or float32 matrices."""
    prefix = "d" if dtype == "float64" else "s"
    return f"scipy_LAPACKE_{prefix}{routine}64_"


__all__ = ["ROUTINES", "ROW_MAJOR", "find_lapack", "symbol"]
