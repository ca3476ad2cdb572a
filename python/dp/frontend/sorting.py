"""np.argmax / argmin / argsort / sort, and np.nonzero & co. of constants.

The positions these compute are ints, so they carry no derivative: the
functions read their argument behind dp.stop_gradient and build only
elementwise comparisons and reductions (ops with derivative rules, all
inactive). `np.sort(x)` is `x` gathered by `np.argsort(x)` (dp.frontend.gather),
so its derivative routes each cotangent to the element that landed there,
in both modes.

argmax/argmin return the first position of the extremum, NaN counting as the
extremum (numpy's rule). argsort ranks each element by counting the elements
that sort before it (smaller, or equal and earlier; NaN sorts last), so it is
stable (numpy's kind="stable") and costs O(n²) compares per sorted lane: fine
for the lengths of differentiable programs, not a replacement for a sort of
millions of elements.

np.nonzero, np.where(cond) with one argument, np.flatnonzero and np.argwhere
have results whose length depends on the data: they compile for compile-time
constants (e.g. a constant mask) and are a dp.UnsupportedSyntaxError for
arrays computed at run time.
"""

from __future__ import annotations

import ast
from typing import Any

import numpy as np

from dp.errors import ShapeError, TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import gather, tensors
from dp.frontend.dtypes import FLOAT_DTYPES
from dp.frontend.values import Array, Const, TupleValue, is_const_array


def _positions(x: Any, axis: Any, name: str) -> tuple[Array, int]:
    """The argument as an array behind dp.stop_gradient (bools as ints), flattened for axis=None, and the axis."""
    array = tensors.as_array(tensors.operand(x))
    array = tensors.stop_gradient(array)
    if array.dtype == "bool":
        array = tensors.cast(array, "int64")
    if axis is None:
        return tensors.reshape(array, (array.spec.size,), view=False), 0
    return array, single_axis(axis, array.ndim, name)


def single_axis(axis: Any, ndim: int, name: str) -> int:
    """One axis (an int, negative counting from the end) of an array of rank `ndim`."""
    if isinstance(axis, tuple):
        raise TypeMismatchError(f"{name}: axis must be an int, not a tuple")
    (d,) = tensors.normalize_axes(axis, ndim, name)
    return d


def _iota(n: int, axis: int, ndim: int) -> Array:
    """0..n-1 along `axis` of an otherwise size-1 int64 array of rank `ndim`."""
    return tensors.constant_array(np.arange(n, dtype=np.int64).reshape([n if d == axis else 1 for d in range(ndim)]))


def _isnan(x: Array) -> Any:
    return tensors.compare(ast.NotEq, x, x)


def arg_extremum(x: Any, axis: Any, keepdims: bool, maximum: bool) -> Any:
    """np.argmax / np.argmin: the first position of the maximum (minimum) along `axis`, NaN first."""
    name = "np.argmax" if maximum else "np.argmin"
    original = tensors.shape_of(tensors.as_array(tensors.operand(x)))
    array, d = _positions(x, axis, name)
    n = array.shape[d]
    if n == 0:
        raise ShapeError(f"attempt to get {name[3:]} of an empty sequence")
    best = tensors.reduce("max" if maximum else "min", array, (d,), keepdims=True)
    hit = tensors.compare(ast.Eq, array, best)
    if array.dtype in FLOAT_DTYPES:
        hit = tensors.binary(ast.BitOr, hit, _isnan(array))
    candidates = tensors.where(hit, _iota(n, d, array.ndim), Const(n))
    result = tensors.reduce("min", candidates, (d,), keepdims=keepdims)
    if keepdims and axis is None:
        return tensors.reshape(tensors.as_array(result), (1,) * len(original), view=False)
    return result


def _moved_last(array: Array, axis: int) -> Array:
    if axis == array.ndim - 1:
        return array
    order = [d for d in range(array.ndim) if d != axis] + [axis]
    return tensors.as_array(tensors.transpose(array, order))


def _moved_back(array: Array, axis: int) -> Array:
    if axis == array.ndim - 1:
        return array
    order = list(range(array.ndim - 1))
    order.insert(axis, array.ndim - 1)
    return tensors.as_array(tensors.transpose(array, order))


def argsort(x: Any, axis: Any = -1) -> Array:
    """np.argsort(x, axis, kind="stable"): the permutation that sorts each lane (NaN last)."""
    array, d = _positions(x, axis, "np.argsort")
    lanes = _moved_last(array, d)
    rank, n = lanes.ndim, lanes.shape[-1]
    mine = tensors.insert_unit_dims(lanes, [rank], view=False)  # element i along dim -2
    other = tensors.insert_unit_dims(lanes, [rank - 1], view=False)  # element j along dim -1
    smaller = tensors.compare(ast.Lt, other, mine)
    equal = tensors.compare(ast.Eq, other, mine)
    if lanes.dtype in FLOAT_DTYPES:
        mine_nan, other_nan = _isnan(mine), _isnan(other)
        smaller = tensors.binary(ast.BitOr, smaller, tensors.binary(ast.BitAnd, mine_nan, tensors.invert(other_nan)))
        equal = tensors.binary(ast.BitOr, equal, tensors.binary(ast.BitAnd, mine_nan, other_nan))
    earlier = tensors.constant_array(np.arange(n)[None, :] < np.arange(n)[:, None])  # [i, j]: j < i
    before = tensors.binary(ast.BitOr, smaller, tensors.binary(ast.BitAnd, equal, earlier))
    ranks = tensors.reduce("sum", before, (rank,))  # how many sort before element i
    ranks = tensors.as_array(ranks)
    # The element whose rank is r goes to position r: sum_i i * (rank_i == r).
    at = tensors.compare(ast.Eq, tensors.insert_unit_dims(ranks, [rank - 1], view=False), _iota(n, 0, 2))
    chosen = tensors.where(at, _iota(n, 1, 2), Const(0))
    permutation = tensors.as_array(tensors.reduce("sum", chosen, (rank,)))
    return _moved_back(permutation, d)


def sort(x: Any, axis: Any = -1) -> Array:
    """np.sort(x, axis): `x` gathered by its argsort along `axis` (differentiable)."""
    array = tensors.as_array(tensors.operand(x))
    if axis is None:
        array, axis = tensors.reshape(array, (array.spec.size,), view=False), 0
    d = single_axis(axis, array.ndim, "np.sort")
    return take_along_axis(array, argsort(array, d), d)


def take_along_axis(arr: Any, indices: Any, axis: Any) -> Array:
    """np.take_along_axis: `arr` gathered at `indices` along `axis`, the other dims broadcast against them."""
    array = tensors.as_array(tensors.operand(arr))
    index = gather.array_index(indices)
    if index.is_mask:
        raise UnsupportedSyntaxError("np.take_along_axis: `indices` must be an integer array, not a boolean mask")
    if axis is None:
        array, axis = tensors.reshape(array, (array.spec.size,), view=False), 0
        if index.array.ndim != 1:
            raise ShapeError("np.take_along_axis: when axis=None, `indices` must have a single dimension")
    if index.array.ndim != array.ndim:
        raise ShapeError("np.take_along_axis: `indices` and `arr` must have the same number of dimensions")
    d = single_axis(axis, array.ndim, "np.take_along_axis")
    components: list[Any] = []
    for e in range(array.ndim):
        if e == d:
            components.append(index)
        else:
            iota = _iota(array.shape[e], e, array.ndim)
            components.append(gather.ArrayIndex(iota, gather.constant_data(iota)))
    for e, (m, n) in enumerate(zip(index.shape, array.shape)):
        if e != d and m != n and m != 1 and n != 1:
            raise ShapeError(
                f"np.take_along_axis: shape mismatch: indices of shape {index.shape} cannot be broadcast against "
                f"an array of shape {array.shape}"
            )
    return gather.gather(gather.plan(array, components, list(range(array.ndim))))


# -- positions of nonzero elements (constants only) -----------------------------------------------------


def _constant(value: Any, name: str) -> np.ndarray:
    if is_const_array(value):
        return np.asarray(value.value)
    if isinstance(value, Const):
        return np.asarray(value.value)
    data = gather.constant_data(tensors.as_array(tensors.operand(value)))
    if data is None:
        raise UnsupportedSyntaxError(
            f"{name} of an array computed at run time has a data-dependent length, and dp's array shapes are static; "
            "it compiles for compile-time constants (e.g. a constant mask). For a runtime condition use "
            "np.where(cond, x, y), or a boolean mask in an assignment (x[mask] = v)"
        )
    return data


def nonzero(value: Any, name: str = "np.nonzero") -> TupleValue:
    """np.nonzero of a constant: a tuple of int64 arrays, one per dim."""
    data = _constant(value, name)
    if data.ndim == 0:
        raise ShapeError(f"{name} of a 0-d array is not supported (numpy deprecates it); use np.atleast_1d")
    return TupleValue(tuple(tensors.constant_array(part.astype(np.int64)) for part in np.nonzero(data)))


def flatnonzero(value: Any) -> Array:
    """np.flatnonzero of a constant."""
    return tensors.constant_array(np.flatnonzero(_constant(value, "np.flatnonzero")).astype(np.int64))


def argwhere(value: Any) -> Array:
    """np.argwhere of a constant."""
    return tensors.constant_array(np.argwhere(_constant(value, "np.argwhere")).astype(np.int64))


def count_nonzero(value: Any, axis: Any = None) -> Any:
    """np.count_nonzero: a sum of `x != 0` (ints; compiles for runtime arrays)."""
    array = tensors.stop_gradient(tensors.as_array(tensors.operand(value)))
    nonzero_mask = tensors.compare(ast.NotEq, array, Const(0 if array.dtype not in FLOAT_DTYPES else 0.0))
    return tensors.reduce("sum", tensors.cast(tensors.as_array(nonzero_mask), "int64"), axis)


__all__ = [
    "arg_extremum",
    "argsort",
    "argwhere",
    "count_nonzero",
    "flatnonzero",
    "nonzero",
    "sort",
    "take_along_axis",
]
