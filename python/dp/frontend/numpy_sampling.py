"""Grids and finite differences: np.linspace with traced endpoints, np.gradient.

np.linspace's count is a compile-time constant (it fixes the shape) but its endpoints may be
runtime values, so derivatives with respect to them flow; np.gradient is numpy's second-order
central difference (first or second order at the edges) built from slices, O(n) per axis.
"""

from __future__ import annotations

import ast
from typing import Any

import numpy as np

from dp.errors import ShapeError, TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import numpy_functions as nf
from dp.frontend import tensors
from dp.frontend.numpy_shapes import array, join, piece
from dp.frontend.values import Array, Const, TupleValue, is_number


def _linspace(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = nf._bind("np.linspace", args, kwargs, ("start", "stop", "num", "endpoint", "retstep", "dtype", "axis"), 2)
    if nf._flag(bound.get("retstep"), "np.linspace", "retstep"):
        raise UnsupportedSyntaxError("np.linspace(retstep=True) is not supported")
    if nf.static(bound.get("axis", Const(0)), "the axis of np.linspace") != 0:
        raise UnsupportedSyntaxError("np.linspace(axis=...) is not supported")
    num = nf.static(bound.get("num", Const(50)), "the num of np.linspace")
    endpoint = nf._flag(bound.get("endpoint", Const(True)), "np.linspace", "endpoint")
    dtype = nf._dtype(bound.get("dtype"), None, "np.linspace")
    start, stop = nf._array_like(bound["start"]), nf._array_like(bound["stop"])
    if isinstance(start, Const) and isinstance(stop, Const):
        return tensors.constant_array(np.linspace(start.value, stop.value, num, endpoint=endpoint, dtype=dtype))
    if not isinstance(num, int) or num < 0:
        raise TypeMismatchError(f"the num of np.linspace must be a non-negative int, not {num!r}")
    if any(isinstance(v, Array) and v.ndim > 0 for v in (start, stop)):
        raise UnsupportedSyntaxError("np.linspace with array endpoints is not supported")
    out = dtype or tensors.float_dtype(tensors.result_dtype(start, stop))
    div = (num - 1) if endpoint else num
    # start * (1 - t) + stop * t is exact at both ends (t = 0 and t = 1), as numpy's result is.
    t = np.arange(num, dtype=np.float64) / div if div > 0 else np.zeros(num)
    weights = tensors.constant_array(t.astype(out))
    first = tensors.binary(ast.Mult, tensors.constant_array((1.0 - t).astype(out)), start)
    return tensors.cast(tensors.binary(ast.Add, first, tensors.binary(ast.Mult, weights, stop)), out)


def _difference(x: Array, axis: int, spacing: Any, edge_order: int) -> Array:
    """np.gradient along one axis with uniform spacing."""
    n = x.shape[axis]
    if n < edge_order + 1:
        raise ShapeError(f"np.gradient needs at least {edge_order + 1} points along axis {axis}, not {n}")

    def take(start: int, size: int = 1) -> Array:
        return piece(x, axis, start, size)

    def combine(*terms: tuple[float, Array]) -> Array:
        total = None
        for weight, part in terms:
            term = tensors.binary(ast.Mult, part, Const(weight))
            total = term if total is None else tensors.binary(ast.Add, total, term)
        return total

    interior = combine((0.5, take(2, n - 2)), (-0.5, take(0, n - 2)))
    if edge_order == 1:
        first = combine((1.0, take(1)), (-1.0, take(0)))
        last = combine((1.0, take(n - 1)), (-1.0, take(n - 2)))
    else:
        first = combine((-1.5, take(0)), (2.0, take(1)), (-0.5, take(2)))
        last = combine((1.5, take(n - 1)), (-2.0, take(n - 2)), (0.5, take(n - 3)))
    result = join([first, interior, last], axis, x)
    return tensors.binary(ast.Div, result, spacing)


def _gradient(args: list[Any], kwargs: dict[str, Any]) -> Any:
    if not args:
        raise TypeMismatchError("np.gradient() needs an array")
    unknown = set(kwargs) - {"axis", "edge_order"}
    if unknown:
        raise UnsupportedSyntaxError(f"np.gradient() keyword argument '{sorted(unknown)[0]}' is not supported")
    x = array(args[0])
    x = tensors.cast(x, tensors.float_dtype(x.dtype))
    axis = kwargs.get("axis")
    axes = tensors.normalize_axes(None if axis is None else nf.static(axis, "the axis of np.gradient"), x.ndim, "np.gradient")
    edge_order = nf.static(kwargs.get("edge_order", Const(1)), "the edge_order of np.gradient")
    if edge_order not in (1, 2):
        raise TypeMismatchError(f"np.gradient: edge_order must be 1 or 2, not {edge_order!r}")
    spacings = list(args[1:])
    if len(spacings) == 1:
        spacings = spacings * len(axes)
    if spacings and len(spacings) != len(axes):
        raise TypeMismatchError(f"np.gradient: {len(spacings)} spacings for {len(axes)} axes")
    for h in spacings:
        if not is_number(nf._array_like(h)) and not (isinstance(h, Array) and h.ndim == 0):
            raise UnsupportedSyntaxError("np.gradient with coordinate arrays as spacings is not supported")
    steps = [nf._array_like(h) for h in spacings] or [Const(1.0)] * len(axes)
    results = [_difference(x, a, h, edge_order) for a, h in zip(axes, steps)]
    return results[0] if len(results) == 1 else TupleValue(tuple(results))


SAMPLING = {np.linspace: _linspace, np.gradient: _gradient}
