"""Array types: the dtype and static shape of a numpy array argument, value or result.

An `ArraySpec` is what a TreeDef leaf records for an array (where it records
float, int or bool for a scalar): the specialization key therefore includes
every array's dtype and shape, so a call with another shape compiles a new
specialization and a call with another dtype or rank never reuses code built
for different memory. In IR an array is a ranked tensor of static shape
(`tensor<4x3xf64>`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from dp.errors import TypeMismatchError

# numpy dtype name -> (MLIR element type spelling, Python kind of one element)
DTYPES: dict[str, tuple[str, type]] = {
    "float64": ("f64", float),
    "float32": ("f32", float),
    "int64": ("i64", int),
    "int32": ("i32", int),
    "bool": ("i1", bool),
}
FLOAT_DTYPES = ("float64", "float32")
INT_DTYPES = ("int64", "int32")


@dataclass(frozen=True)
class ArraySpec:
    """The type of an array: numpy dtype name and static shape."""

    dtype: str
    shape: tuple[int, ...]

    @property
    def __name__(self) -> str:  # how TreeDef descriptions, fingerprints and cache keys spell a leaf kind
        dims = ", ".join(str(n) for n in self.shape)
        return f"ndarray[{self.dtype}, ({dims}{',' if len(self.shape) == 1 else ''})]"

    def __str__(self) -> str:
        return self.__name__

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        size = 1
        for n in self.shape:
            size *= n
        return size

    @property
    def is_float(self) -> bool:
        return self.dtype in FLOAT_DTYPES

    @property
    def element_kind(self) -> type:
        """The Python type of one element read as a scalar: float, int or bool."""
        return DTYPES[self.dtype][1]

    @property
    def numpy_dtype(self) -> np.dtype:
        return np.dtype(self.dtype)

    def with_shape(self, shape: tuple[int, ...]) -> "ArraySpec":
        return ArraySpec(self.dtype, tuple(int(n) for n in shape))

    def with_dtype(self, dtype: str) -> "ArraySpec":
        return ArraySpec(dtype, self.shape)


def is_ndarray(value: Any) -> bool:
    return isinstance(value, np.ndarray)


def dtype_name(dtype: Any, what: str = "dtype") -> str:
    """The name of a supported dtype given as numpy would take it (np.float32, float, 'int32', ...)."""
    try:
        name = np.dtype(dtype).name
    except TypeError:
        raise TypeMismatchError(f"{what} {dtype!r} is not a numpy dtype") from None
    if name not in DTYPES:
        raise TypeMismatchError(
            f"arrays of dtype {name} are not supported: dp compiles float64, float32, int64, int32 and bool arrays"
        )
    return name


def spec_of_array(array: np.ndarray, where: str = "") -> ArraySpec:
    """The ArraySpec of a numpy array; TypeMismatchError for an unsupported dtype."""
    if isinstance(array, (np.matrix, np.ma.MaskedArray)):
        raise TypeMismatchError(
            f"{type(array).__module__}.{type(array).__name__}{where} is not supported (its operators differ from "
            "ndarray's); pass np.asarray(...) of it"
        )
    name = array.dtype.name
    if name not in DTYPES or array.dtype.hasobject:
        raise TypeMismatchError(
            f"array of dtype {array.dtype}{where} is not supported: dp compiles float64, float32, int64, int32 "
            "and bool arrays"
        )
    return ArraySpec(name, tuple(int(n) for n in array.shape))


def spec_from_name(name: str) -> ArraySpec:
    """The ArraySpec whose `__name__` is `name` (for caches that store leaf kinds by name); ValueError otherwise."""
    import re

    match = re.fullmatch(r"ndarray\[(\w+), \(([0-9, ]*)\)\]", name)
    if match is None or match.group(1) not in DTYPES:
        raise ValueError(f"not an array type: {name!r}")
    dims = tuple(int(part) for part in match.group(2).replace(" ", "").split(",") if part)
    spec = ArraySpec(match.group(1), dims)
    if spec.__name__ != name:
        raise ValueError(f"not an array type: {name!r}")
    return spec


def kind_dtype(kind: type) -> str:
    """The array dtype numpy gives a Python scalar of this kind."""
    return {float: "float64", int: "int64", bool: "bool"}[kind]


__all__ = [
    "ArraySpec",
    "DTYPES",
    "FLOAT_DTYPES",
    "INT_DTYPES",
    "dtype_name",
    "is_ndarray",
    "kind_dtype",
    "spec_of_array",
]
