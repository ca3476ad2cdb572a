"""numpy's reductions of complex arrays that are not linear: np.prod, np.var, np.std, np.max/np.min.

Each is written on the real and imaginary parts with reductions dp already differentiates: a product as
the running complex product of the slices along the reduced axes, the variance as the sum of the parts'
variances (numpy's mean(|z - mean(z)|**2)), and the extrema in numpy's lexicographic order (real part
first, then imaginary) as a mask of the selected elements, whose derivative is that of a gather.
"""

from __future__ import annotations

import ast
from typing import Any

from mlir.dialects import math

from dp.frontend import array_indexing, complex_numbers, tensors
from dp.frontend.complex_numbers import ComplexValue, lift, make
from dp.frontend.dtypes import ArraySpec
from dp.frontend.numpy_functions import _axis, _bind, _flag
from dp.frontend.numpy_statistics import _no_out, variance
from dp.frontend.values import Const, is_array


def _operand(bound: dict, name: str) -> ComplexValue:
    _no_out(f"np.{name}", bound)
    return lift(bound["a"])


def _reduced_shape(shape: tuple[int, ...], axes: tuple[int, ...], keepdims: bool) -> tuple[int, ...]:
    return tuple(1 if d in axes else n for d, n in enumerate(shape) if keepdims or d not in axes)


def prod(args: list[Any], kwargs: dict[str, Any]) -> Any:
    """np.prod of a complex array: the product of the slices along the reduced axes, one complex product each."""
    bound = _bind("np.prod", args, kwargs, ("a", "axis", "dtype", "out", "keepdims"))
    z = _operand(bound, "prod")
    if not is_array(z.real):
        return z
    shape = tensors.shape_of(z.real)
    axes = tensors.normalize_axes(_axis(bound.get("axis"), "np.prod"), len(shape), "np.prod")
    keep = _flag(bound.get("keepdims"), "np.prod", "keepdims")
    rest = [d for d in range(len(shape)) if d not in axes]
    count = 1
    for d in axes:
        count *= shape[d]
    kept_shape = tuple(shape[d] for d in rest)
    out_shape = _reduced_shape(shape, axes, keep)
    if count == 0:
        spec = ArraySpec(tensors.dtype_of(z.real), out_shape)
        return make(tensors.full(spec, Const(1.0)), tensors.full(spec, Const(0.0)))
    parts = [tensors.reshape(tensors.transpose(part, [*axes, *rest]), (count, *kept_shape), view=False)
             for part in z.items]
    result = make(*(array_indexing.get_item(part, [Const(0)]) for part in parts))
    for k in range(1, count):
        factor = make(*(array_indexing.get_item(part, [Const(k)]) for part in parts))
        result = complex_numbers.multiply(result, factor)
    if not out_shape:
        return result
    return make(*(tensors.reshape(tensors.as_array(part), out_shape, view=False) for part in result.items))


def _variance(name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind(name, args, kwargs, ("a", "axis", "dtype", "out", "ddof", "keepdims"))
    z = _operand(bound, name.removeprefix("np."))
    axis, ddof, keep = bound.get("axis"), bound.get("ddof"), bound.get("keepdims")
    parts = [variance(name, part, axis, None, ddof, keep) for part in z.items]
    return tensors.binary(ast.Add, *parts), z, axis


def var(args: list[Any], kwargs: dict[str, Any]) -> Any:
    """np.var of a complex array: var(z.real) + var(z.imag), a real result as numpy's."""
    return _variance("np.var", args, kwargs)[0]


def std(args: list[Any], kwargs: dict[str, Any]) -> Any:
    """np.std of a complex array: the square root of its variance (0, with derivative 0, over one element)."""
    v, z, axis = _variance("np.std", args, kwargs)
    shape = tensors.shape_of(z.real) if is_array(z.real) else ()
    axes = tensors.normalize_axes(_axis(axis, "np.std"), len(shape), "np.std")
    count = 1
    for d in axes:
        count *= shape[d]
    if count == 1:
        return tensors.binary(ast.Mult, v, Const(0.0))
    return tensors.unary_math(math.sqrt, v, "sqrt")


def extremum(maximum: bool) -> Any:
    """np.max / np.min of a complex array in numpy's lexicographic order, ties shared equally."""
    name = "max" if maximum else "min"

    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        bound = _bind(f"np.{name}", args, kwargs, ("a", "axis", "out", "keepdims"))
        z = _operand(bound, name)
        if not is_array(z.real):
            return z
        re, im = (tensors.stop_gradient(part) for part in z.items)
        axis = _axis(bound.get("axis"), f"np.{name}")
        keep = _flag(bound.get("keepdims"), f"np.{name}", "keepdims")
        best_re = tensors.reduce(name, re, axis, True)
        on_best_re = tensors.compare(ast.Eq, re, best_re)
        excluded = Const(float("-inf") if maximum else float("inf"))
        best_im = tensors.reduce(name, tensors.where(on_best_re, im, excluded), axis, True)
        selected = tensors.where(on_best_re, tensors.compare(ast.Eq, im, best_im), Const(False))
        weights = tensors.where(selected, Const(1.0), Const(0.0))
        weights = tensors.cast(tensors.as_array(weights), tensors.dtype_of(z.real))
        share = tensors.binary(ast.Div, weights, tensors.reduce("sum", weights, axis, True))
        return make(*(tensors.reduce("sum", tensors.binary(ast.Mult, part, share), axis, keep) for part in z.items))

    return lower


__all__ = ["extremum", "prod", "std", "var"]
