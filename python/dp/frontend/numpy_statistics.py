"""numpy's statistics beyond the plain reductions: np.var, np.std, np.average, np.ptp.

Each is written as the reductions and elementwise operations dp already differentiates, so both
derivative modes (and their nesting) follow from those rules.
"""

from __future__ import annotations

import ast
from typing import Any

import numpy as np
from mlir.dialects import math

from dp.errors import ShapeError, UnsupportedSyntaxError
from dp.frontend import tensors
from dp.frontend.numpy_functions import _array_like, _axis, _bind, _dtype, _flag, reduction, static
from dp.frontend.values import Const


def _reduced_count(shape: tuple[int, ...], axis: Any, name: str) -> int:
    """How many elements each result of a reduction over `axis` combines."""
    axes = tensors.normalize_axes(axis, len(shape), name)
    count = 1
    for a in axes:
        count *= shape[a]
    return count


def variance(name: str, a: Any, axis: Any, dtype: Any, ddof: Any, keepdims: Any) -> Any:
    """mean(|x - mean(x)|**2) * n / (n - ddof), numpy's two-pass formula."""
    x = tensors.as_array(_array_like(a))
    if x.spec.dtype.startswith("complex"):
        raise UnsupportedSyntaxError(f"{name} of a complex array is not supported")
    axis_value = _axis(axis, name)
    keep = _flag(keepdims, name, "keepdims")
    x = tensors.cast(x, _dtype(dtype, None, name) or tensors.float_dtype(x.dtype))
    centered = tensors.binary(ast.Sub, x, tensors.reduce("mean", x, axis_value, True))
    squares = tensors.binary(ast.Mult, centered, centered)
    total = tensors.reduce("sum", squares, axis_value, keep)
    correction = static(ddof, f"the ddof of {name}") if ddof is not None else 0
    divisor = _reduced_count(x.shape, axis_value, name) - correction
    if divisor <= 0:
        raise ShapeError(f"{name}: ddof={correction} leaves no degrees of freedom")
    return tensors.binary(ast.Div, total, Const(float(divisor)))


def _var(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.var", args, kwargs, ("a", "axis", "dtype", "out", "ddof", "keepdims"))
    _no_out("np.var", bound)
    return variance("np.var", bound["a"], bound.get("axis"), bound.get("dtype"), bound.get("ddof"), bound.get("keepdims"))


def _std(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.std", args, kwargs, ("a", "axis", "dtype", "out", "ddof", "keepdims"))
    _no_out("np.std", bound)
    v = variance("np.std", bound["a"], bound.get("axis"), bound.get("dtype"), bound.get("ddof"), bound.get("keepdims"))
    x = tensors.as_array(_array_like(bound["a"]))
    if _reduced_count(x.shape, _axis(bound.get("axis"), "np.std"), "np.std") == 1:
        # One element per result: the deviation is identically 0, so is its derivative (sqrt' would be inf * 0).
        return tensors.binary(ast.Mult, v, Const(0.0))
    return tensors.unary_math(math.sqrt, v, "sqrt")


def _no_out(name: str, bound: dict) -> None:
    out = bound.get("out")
    if out is not None and not (isinstance(out, Const) and out.value is None):
        raise UnsupportedSyntaxError(f"{name}(out=...) is not supported")


def _average(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.average", args, kwargs, ("a", "axis", "weights", "returned", "keepdims"))
    if _flag(bound.get("returned"), "np.average", "returned"):
        raise UnsupportedSyntaxError("np.average(returned=True) is not supported")
    axis, keep = bound.get("axis"), bound.get("keepdims")
    weights = bound.get("weights")
    if weights is None or (isinstance(weights, Const) and weights.value is None):
        return reduction("mean", bound["a"], axis, keep)
    x = tensors.as_array(_array_like(bound["a"]))
    w = tensors.as_array(_array_like(weights))
    axis_value = _axis(axis, "np.average")
    if w.shape != x.shape:
        if axis_value is None or w.ndim != 1 or not isinstance(axis_value, int):
            raise ShapeError(f"np.average: weights of shape {w.shape} do not fit an array of shape {x.shape}")
        position = axis_value % x.ndim
        if w.shape[0] != x.shape[position]:
            raise ShapeError(f"np.average: {w.shape[0]} weights for an axis of length {x.shape[position]}")
        shape = [1] * x.ndim
        shape[position] = w.shape[0]
        w = tensors.reshape(w, tuple(shape))
    keep_flag = _flag(keep, "np.average", "keepdims")
    num = tensors.reduce("sum", tensors.binary(ast.Mult, x, w), axis_value, keep_flag)
    den = tensors.reduce("sum", tensors.broadcast_to(w, w.dtype, x.shape), axis_value, keep_flag)
    return tensors.binary(ast.Div, num, den)


def _ptp(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.ptp", args, kwargs, ("a", "axis", "out", "keepdims"))
    _no_out("np.ptp", bound)
    high = reduction("max", bound["a"], bound.get("axis"), bound.get("keepdims"))
    low = reduction("min", bound["a"], bound.get("axis"), bound.get("keepdims"))
    return tensors.binary(ast.Sub, high, low)


STATISTICS = {np.var: _var, np.std: _std, np.average: _average, np.ptp: _ptp}
