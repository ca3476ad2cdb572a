"""The numpy functions and ndarray methods dp compiles, each lowered by dp.frontend.tensors.

Arguments that fix shapes (shapes, axes, dtypes, sizes of np.arange, ...)
must be compile-time constants. A numpy function not listed here is a
dp.UnsupportedSyntaxError naming it (e.g. "np.linalg.inv is not supported").

`log(sum(exp(x)))` is recognized however it is spelled (np.log(np.sum(np.exp(x), axis=...)),
np.log(np.exp(x).sum()), or across statements) and compiled in the stable,
max-shifted form `m + log(sum(exp(x - m)))` with `m` the (finite) maximum,
behind dp.stop_gradient as JAX's logsumexp does; so is the naive softmax
`exp(x) / sum(exp(x), axis)`, as `exp(x - m) / sum(exp(x - m), axis)`. The
values np.exp and its sums carry an `origin` for this.
"""

from __future__ import annotations

import ast
import dataclasses
import sys
from typing import Any, Callable

import numpy as np
from mlir.dialects import arith, math

from dp.errors import ShapeError, TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import array_indexing, scalars, tensors
from dp.frontend.dtypes import FLOAT_DTYPES, INT_DTYPES, ArraySpec, dtype_name, kind_dtype
from dp.frontend.values import (
    Array,
    Const,
    ListValue,
    Scalar,
    TupleValue,
    describe,
    is_array,
    is_const_array,
    is_number,
)

Handler = Callable[[list[Any], dict[str, Any]], Any]
_MISSING = object()


# -- arguments -------------------------------------------------------------------------------------


def _bind(name: str, args: list[Any], kwargs: dict[str, Any], params: tuple[str, ...], required: int = 1) -> dict:
    """Binds positional and keyword arguments to parameter names (missing ones are absent)."""
    if len(args) > len(params):
        raise TypeMismatchError(f"{name}() takes at most {len(params)} positional arguments ({len(args)} given)")
    bound = dict(zip(params, args))
    for key, value in kwargs.items():
        if key not in params:
            raise UnsupportedSyntaxError(f"{name}() keyword argument '{key}' is not supported")
        if key in bound:
            raise TypeMismatchError(f"{name}() got multiple values for argument '{key}'")
        bound[key] = value
    for param in params[:required]:
        if param not in bound:
            raise TypeMismatchError(f"{name}() missing required argument '{param}'")
    return bound


def static(value: Any, what: str) -> Any:
    """The Python value of a compile-time argument (numbers, None, tuples and lists of them, dtypes)."""
    if isinstance(value, Const):
        return value.value
    if isinstance(value, (TupleValue, ListValue)):
        return tuple(static(item, what) for item in value.items)
    raise TypeMismatchError(
        f"{what} must be known at compile time, not {describe(value)} (array shapes are static in dp: derive them "
        "from x.shape or len(x), or make the size a static argument: static_argnums or static_argnames)"
    )


def _shape(value: Any, name: str) -> tuple[int, ...]:
    shape = static(value, f"the shape given to {name}")
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    if not isinstance(shape, tuple) or not all(
        isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in shape
    ):
        raise TypeMismatchError(f"{name}: a shape is an int or a tuple of ints, not {shape!r}")
    if any(n < 0 for n in shape):
        raise ShapeError(f"{name}: negative dimensions are not allowed ({shape})")
    return tuple(int(n) for n in shape)


def _dtype(value: Any, default: str | None, name: str) -> str | None:
    if value is None or (isinstance(value, Const) and value.value is None):
        return default
    return dtype_name(static(value, f"the dtype given to {name}"), f"{name}: dtype")


def _axis(value: Any, name: str) -> Any:
    if value is None:
        return None
    axis = static(value, f"the axis given to {name}")
    return axis


def _flag(value: Any, name: str, what: str) -> bool:
    if value is None:
        return False
    flag = static(value, f"{what} of {name}")
    return bool(flag)


def _spec_of(value: Any) -> ArraySpec:
    value = _array_like(value)
    if isinstance(value, Array):
        return value.spec
    return ArraySpec(kind_dtype(value.kind), ())


# -- conversion of Python values ------------------------------------------------------------------------


def _nested(value: Any) -> tuple[list[Any], tuple[int, ...]] | None:
    """The leaves and shape of nested lists/tuples of numbers; None when they hold arrays."""
    if isinstance(value, (ListValue, TupleValue)):
        parts = [_nested(item) for item in value.items]
        if any(part is None for part in parts):
            return None
        if not parts:
            return [], (0,)
        shapes = {part[1] for part in parts}
        if len(shapes) != 1:
            raise ShapeError("setting an array element with a sequence: the nested sequences have different lengths")
        return [leaf for part in parts for leaf in part[0]], (len(parts),) + parts[0][1]
    if is_number(value):
        return [value], ()
    return None


def array_from(value: Any, dtype: str | None = None, name: str = "np.array") -> Any:
    """np.array(value): arrays (copied), numbers, and nested lists/tuples of numbers or arrays."""
    if is_const_array(value):
        data = value.value if dtype is None else value.value.astype(dtype)
        return tensors.constant_array(data)
    if isinstance(value, Array):
        copied = Array(value.value, value.spec)
        return copied if dtype is None else tensors.cast(copied, dtype)
    if is_number(value):
        spec = ArraySpec(dtype or kind_dtype(value.kind), ())
        return tensors.full(spec, value)
    if isinstance(value, (ListValue, TupleValue)):
        nested = _nested(value)
        if nested is not None:
            leaves, shape = nested
            result = dtype or (tensors.result_dtype(*leaves) if leaves else "float64")
            return tensors.from_elements(leaves, shape, result)
        items = [array_from(item, dtype, name) for item in value.items]
        stacked = tensors.stack(items, 0)
        return stacked if dtype is None else tensors.cast(stacked, dtype)
    raise TypeMismatchError(f"{name}() cannot make an array from {describe(value)}")


def _array_like(value: Any) -> Any:
    """An operand that may be a list: lists and tuples become arrays (numpy's array_like)."""
    if isinstance(value, (ListValue, TupleValue)):
        return array_from(value)
    return tensors.operand(value)


def _array(value: Any, name: str) -> Array:
    return tensors.as_array(_array_like(value))


# -- elementwise ------------------------------------------------------------------------------------------


def _with_origin(value: Any, origin: Any) -> Any:
    if isinstance(value, (Array, Scalar)):
        return dataclasses.replace(value, origin=origin)
    return value


def _unary(name: str, op: Callable, fold: Callable) -> Handler:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        bound = _bind(f"np.{name}", args, kwargs, ("x",))
        x = _array_like(bound["x"])
        if isinstance(x, Const):
            return Const(float(fold(x.value)))
        if name == "log" and getattr(x, "origin", None) is not None and x.origin[0] == "sumexp":
            return logsumexp(*x.origin[1:])
        result = tensors.unary_math(op, x, name)
        if name == "exp" and isinstance(x, Array):
            return _with_origin(result, ("exp", tensors.cast(x, tensors.float_dtype(x.dtype))))
        return result

    return lower


_UNARY = {
    "sin": (math.sin, np.sin),
    "cos": (math.cos, np.cos),
    "tan": (math.tan, np.tan),
    "arcsin": (math.asin, np.arcsin),
    "arccos": (math.acos, np.arccos),
    "arctan": (math.atan, np.arctan),
    "sinh": (math.sinh, np.sinh),
    "cosh": (math.cosh, np.cosh),
    "tanh": (math.tanh, np.tanh),
    "arcsinh": (math.asinh, np.arcsinh),
    "arccosh": (math.acosh, np.arccosh),
    "arctanh": (math.atanh, np.arctanh),
    "exp": (math.exp, np.exp),
    "exp2": (math.exp2, np.exp2),
    "expm1": (math.expm1, np.expm1),
    "log": (math.log, np.log),
    "log2": (math.log2, np.log2),
    "log10": (math.log10, np.log10),
    "log1p": (math.log1p, np.log1p),
    "sqrt": (math.sqrt, np.sqrt),
    "cbrt": (math.cbrt, np.cbrt),
    "floor": (math.floor, np.floor),
    "ceil": (math.ceil, np.ceil),
    "trunc": (math.trunc, np.trunc),
    "rint": (math.roundeven, np.rint),
}


def _abs(args: list[Any], kwargs: dict[str, Any]) -> Any:
    x = _array_like(_bind("np.abs", args, kwargs, ("x",))["x"])
    if not isinstance(x, Array):
        from dp.frontend.builtin_functions import BUILTINS
        import builtins

        return BUILTINS[builtins.abs]([x], {})
    if x.dtype in FLOAT_DTYPES:
        return Array(math.absf(x.value), x.spec)
    if x.dtype in INT_DTYPES:
        return Array(math.absi(x.value), x.spec)
    return Array(x.value, x.spec)


def _square(args: list[Any], kwargs: dict[str, Any]) -> Any:
    x = _array_like(_bind("np.square", args, kwargs, ("x",))["x"])
    return tensors.binary(ast.Mult, x, x)


def _reciprocal(args: list[Any], kwargs: dict[str, Any]) -> Any:
    x = _array_like(_bind("np.reciprocal", args, kwargs, ("x",))["x"])
    return (
        tensors.binary(ast.Div, Const(1.0), x)
        if not isinstance(x, Array) or x.dtype in FLOAT_DTYPES
        else _int_only("np.reciprocal")
    )


def _int_only(name: str) -> Any:
    raise TypeMismatchError(f"{name} of an integer array is not supported; convert it with astype(float)")


def _sign(args: list[Any], kwargs: dict[str, Any]) -> Any:
    x = _array_like(_bind("np.sign", args, kwargs, ("x",))["x"])
    if not isinstance(x, Array):
        x = tensors.as_array(x)
        scalar = True
    else:
        scalar = False
    zero = tensors.full(x.spec, Const(0))
    one = tensors.full(x.spec, Const(1))
    minus = tensors.full(x.spec, Const(-1))
    positive = tensors.compare(ast.Gt, x, zero)
    negative = tensors.compare(ast.Lt, x, zero)
    result = tensors.where(positive, one, tensors.where(negative, minus, x))
    return tensors.operand(result) if scalar else result


def _binary(name: str, op: type[ast.operator]) -> Handler:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        bound = _bind(f"np.{name}", args, kwargs, ("x1", "x2"), 2)
        return tensors.binary(op, _array_like(bound["x1"]), _array_like(bound["x2"]))

    return lower


def _comparison(name: str, op: type[ast.cmpop]) -> Handler:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        bound = _bind(f"np.{name}", args, kwargs, ("x1", "x2"), 2)
        return tensors.compare(op, _array_like(bound["x1"]), _array_like(bound["x2"]))

    return lower


def _power(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.power", args, kwargs, ("x1", "x2"), 2)
    return tensors.power(_array_like(bound["x1"]), _array_like(bound["x2"]))


def _float_power(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.float_power", args, kwargs, ("x1", "x2"), 2)
    base = _array_like(bound["x1"])
    base = tensors.cast(base, "float64") if isinstance(base, Array) else scalars.to_float(base)
    return tensors.power(base, _array_like(bound["x2"]))


def _extremum(name: str, maximum: bool, nan_propagating: bool) -> Handler:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        bound = _bind(f"np.{name}", args, kwargs, ("x1", "x2"), 2)
        return tensors.extremum(_array_like(bound["x1"]), _array_like(bound["x2"]), maximum, nan_propagating)

    return lower


def _where(args: list[Any], kwargs: dict[str, Any]) -> Any:
    if len(args) + len(kwargs) == 1:
        return numpy_indexing.where_positions(_bind("np.where", args, kwargs, ("condition",))["condition"])
    bound = _bind("np.where", args, kwargs, ("condition", "x", "y"), 3)
    return tensors.where(_array_like(bound["condition"]), _array_like(bound["x"]), _array_like(bound["y"]))


def _clip(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.clip", args, kwargs, ("a", "a_min", "a_max"), 3)
    return clip(bound["a"], bound["a_min"], bound["a_max"])


def clip(a: Any, low: Any, high: Any) -> Any:
    x = _array_like(a)
    if not (isinstance(low, Const) and low.value is None):
        x = tensors.extremum(x, _array_like(low), True)
    if not (isinstance(high, Const) and high.value is None):
        x = tensors.extremum(x, _array_like(high), False)
    return x


def _atan2(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.arctan2", args, kwargs, ("x1", "x2"), 2)
    y, x = _array_like(bound["x1"]), _array_like(bound["x2"])
    dtype = tensors.float_dtype(tensors.result_dtype(y, x))
    if not isinstance(y, Array) and not isinstance(x, Array):
        a, b = scalars.as_scalar(scalars.to_float(y)), scalars.as_scalar(scalars.to_float(x))
        return Scalar(math.atan2(a.value, b.value), float)
    shape = tensors.broadcast_shapes(tensors.shape_of(y), tensors.shape_of(x))
    a, b = tensors.broadcast_to(y, dtype, shape), tensors.broadcast_to(x, dtype, shape)
    return Array(math.atan2(a.value, b.value), a.spec)


def _hypot(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.hypot", args, kwargs, ("x1", "x2"), 2)
    a, b = _array_like(bound["x1"]), _array_like(bound["x2"])
    total = tensors.binary(ast.Add, tensors.binary(ast.Mult, a, a), tensors.binary(ast.Mult, b, b))
    return tensors.unary_math(math.sqrt, total, "sqrt")


def _logical(name: str, op: Callable) -> Handler:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        bound = _bind(f"np.{name}", args, kwargs, ("x1", "x2"), 2)
        a, b = _truth_array(bound["x1"]), _truth_array(bound["x2"])
        shape = tensors.broadcast_shapes(a.shape, b.shape)
        x, y = tensors.broadcast_to(a, "bool", shape), tensors.broadcast_to(b, "bool", shape)
        return Array(op(x.value, y.value), x.spec)

    return lower


def _truth_array(value: Any) -> Array:
    return tensors.cast(tensors.as_array(_array_like(value)), "bool")


def _logical_not(args: list[Any], kwargs: dict[str, Any]) -> Any:
    x = _truth_array(_bind("np.logical_not", args, kwargs, ("x",))["x"])
    return tensors.invert(x)


def _float_test(name: str) -> Handler:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        x = tensors.as_array(_array_like(_bind(f"np.{name}", args, kwargs, ("x",))["x"]))
        spec = ArraySpec("bool", x.shape)
        if x.dtype not in FLOAT_DTYPES:
            return tensors.full(spec, Const(name == "isfinite"))
        if name == "isnan":
            value = arith.cmpf(arith.CmpFPredicate.UNO, x.value, x.value)
        else:
            magnitude = math.absf(x.value)
            inf = tensors.full(x.spec, Const(float("inf"))).value
            predicate = arith.CmpFPredicate.OEQ if name == "isinf" else arith.CmpFPredicate.OLT
            value = arith.cmpf(predicate, magnitude, inf)
        return tensors.operand(Array(value, spec)) if x.ndim == 0 else Array(value, spec)

    return lower


# -- reductions -----------------------------------------------------------------------------------------------


def reduction(kind: str, value: Any, axis: Any = None, keepdims: Any = None, dtype: Any = None) -> Any:
    name = f"np.{kind}"
    x = tensors.as_array(_array_like(value))
    axis_value = _axis(axis, name)
    keep = _flag(keepdims, name, "keepdims")
    result = tensors.reduce(kind, x, axis_value, keep, _dtype(dtype, None, name))
    if kind == "sum" and getattr(x, "origin", None) is not None and x.origin[0] == "exp":
        return _with_origin(result, ("sumexp", x.origin[1], axis_value, keep))
    return result


def _reduction(kind: str, extra: tuple[str, ...] = ()) -> Handler:
    params = ("a", "axis") + extra + ("keepdims",)

    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        bound = _bind(f"np.{kind}", args, kwargs, params)
        return reduction(kind, bound["a"], bound.get("axis"), bound.get("keepdims"), bound.get("dtype"))

    return lower


def logsumexp(x: Array, axis: Any, keepdims: bool) -> Any:
    """log(sum(exp(x), axis)) as m + log(sum(exp(x - m))) with m the finite maximum (no overflow)."""
    axes = tensors.normalize_axes(axis, x.ndim, "np.log(np.sum(np.exp(...)))")
    if any(x.shape[d] == 0 for d in axes):
        total = tensors.reduce("sum", tensors.unary_math(math.exp, x, "exp"), axis, keepdims)
        return tensors.unary_math(math.log, total, "log")
    m = _finite_max(x, axis)
    shifted = tensors.binary(ast.Sub, x, m)
    total = tensors.reduce("sum", tensors.unary_math(math.exp, shifted, "exp"), axis, keepdims)
    if not keepdims:
        m = tensors.drop_unit_dims(m, list(axes), view=False)
        m = tensors.operand(m)
    return tensors.binary(ast.Add, tensors.unary_math(math.log, total, "log"), m)


def _finite_max(x: Array, axis: Any) -> Array:
    """max(x, axis, keepdims=True), 0 where it is not finite, behind dp.stop_gradient (the shift of a stable
    logsumexp or softmax: any finite shift gives the same value, so no derivative flows through it)."""
    m = tensors.reduce("max", x, axis, True)
    finite = _float_test("isfinite")([m], {})
    return tensors.stop_gradient(tensors.where(finite, m, Const(0.0)))


def stable_softmax(numerator: Any, denominator: Any) -> Any:
    """exp(x) / sum(exp(x), axis) as exp(x - m) / sum(exp(x - m), axis); None when the operands are not that."""
    top, bottom = getattr(numerator, "origin", None), getattr(denominator, "origin", None)
    if top is None or bottom is None or top[0] != "exp" or bottom[0] != "sumexp" or top[1].value != bottom[1].value:
        return None
    x, axis, keepdims = bottom[1], bottom[2], bottom[3]
    axes = tensors.normalize_axes(axis, x.ndim, "softmax")
    if any(x.shape[d] == 0 for d in axes):
        return None
    e = tensors.unary_math(math.exp, tensors.binary(ast.Sub, x, _finite_max(x, axis)), "exp")
    return tensors.binary(ast.Div, e, tensors.reduce("sum", e, axis, keepdims))


# -- products ------------------------------------------------------------------------------------------------


def _matmul(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.matmul", args, kwargs, ("x1", "x2"), 2)
    return tensors.matmul(_array_like(bound["x1"]), _array_like(bound["x2"]), "matmul")


def _dot(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.dot", args, kwargs, ("a", "b"), 2)
    return dot(bound["a"], bound["b"])


def dot(a: Any, b: Any) -> Any:
    x, y = _array_like(a), _array_like(b)
    if not isinstance(x, Array) or not isinstance(y, Array):
        return tensors.binary(ast.Mult, x, y)
    if x.ndim > 2 or y.ndim > 2:
        from dp.frontend import numpy_contractions

        return numpy_contractions.dot(x, y)
    return tensors.matmul(x, y, "dot")


def _inner(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.inner", args, kwargs, ("a", "b"), 2)
    x, y = _array_like(bound["a"]), _array_like(bound["b"])
    if isinstance(x, Array) and isinstance(y, Array) and (x.ndim != 1 or y.ndim != 1):
        raise UnsupportedSyntaxError("np.inner is supported for 1-D arrays only")
    return dot(x, y)


def _outer(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.outer", args, kwargs, ("a", "b"), 2)
    return tensors.outer(_array_like(bound["a"]), _array_like(bound["b"]))


# -- layout -----------------------------------------------------------------------------------------------------


def _transpose(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.transpose", args, kwargs, ("a", "axes"))
    axes = bound.get("axes")
    axes = None if axes is None else static(axes, "the axes of np.transpose")
    return tensors.transpose(_array_like(bound["a"]), axes)


def _reshape(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.reshape", args, kwargs, ("a", "shape", "newshape"))
    shape = bound.get("shape", bound.get("newshape"))
    if shape is None:
        raise TypeMismatchError("np.reshape() missing required argument 'shape'")
    return tensors.reshape(_array(bound["a"], "np.reshape"), _shape_with_unknown(shape, "np.reshape"))


def _shape_with_unknown(value: Any, name: str) -> tuple[int, ...]:
    shape = static(value, f"the shape given to {name}")
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    if not isinstance(shape, tuple) or not all(isinstance(n, (int, np.integer)) for n in shape):
        raise TypeMismatchError(f"{name}: a shape is an int or a tuple of ints, not {shape!r}")
    return tuple(int(n) for n in shape)


def _ravel(args: list[Any], kwargs: dict[str, Any]) -> Any:
    x = _array(_bind("np.ravel", args, kwargs, ("a",))["a"], "np.ravel")
    return tensors.reshape(x, (x.spec.size,))


def _expand_dims(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.expand_dims", args, kwargs, ("a", "axis"), 2)
    x = _array(bound["a"], "np.expand_dims")
    axis = static(bound["axis"], "the axis of np.expand_dims")
    axes = tensors.normalize_axes(axis, x.ndim + (len(axis) if isinstance(axis, tuple) else 1), "np.expand_dims")
    return tensors.insert_unit_dims(x, list(axes))


def _squeeze(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.squeeze", args, kwargs, ("a", "axis"))
    return squeeze(_array(bound["a"], "np.squeeze"), bound.get("axis"))


def squeeze(x: Array, axis: Any) -> Any:
    if axis is None or (isinstance(axis, Const) and axis.value is None):
        dims = [d for d, n in enumerate(x.shape) if n == 1]
    else:
        dims = list(tensors.normalize_axes(static(axis, "the axis of squeeze"), x.ndim, "np.squeeze"))
        for d in dims:
            if x.shape[d] != 1:
                raise ShapeError(f"cannot select an axis to squeeze out which has size not equal to one (axis {d})")
    result = tensors.drop_unit_dims(x, dims)
    return result


def _sequence(value: Any, name: str) -> list[Any]:
    if isinstance(value, (TupleValue, ListValue)):
        return [_array_like(item) for item in value.items]
    if is_array(value):
        x = _array(value, name)
        return [array_indexing.get_item(x, [Const(i)]) for i in range(x.shape[0])]
    raise TypeMismatchError(f"{name}() takes a sequence of arrays, not {describe(value)}")


def _concatenate(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.concatenate", args, kwargs, ("arrays", "axis"))
    axis = bound.get("axis", Const(0))
    return tensors.concatenate(_sequence(bound["arrays"], "np.concatenate"), static(axis, "the axis of np.concatenate"))


def _stack(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.stack", args, kwargs, ("arrays", "axis"))
    axis = bound.get("axis", Const(0))
    return tensors.stack(_sequence(bound["arrays"], "np.stack"), static(axis, "the axis of np.stack"))


def _vstack(args: list[Any], kwargs: dict[str, Any]) -> Any:
    items = [
        tensors.as_array(item) for item in _sequence(_bind("np.vstack", args, kwargs, ("tup",))["tup"], "np.vstack")
    ]
    items = [tensors.reshape(a, (1, a.spec.size), view=False) if a.ndim < 2 else a for a in items]
    return tensors.concatenate(items, 0)


def _hstack(args: list[Any], kwargs: dict[str, Any]) -> Any:
    items = [
        tensors.as_array(item) for item in _sequence(_bind("np.hstack", args, kwargs, ("tup",))["tup"], "np.hstack")
    ]
    items = [tensors.reshape(a, (1,), view=False) if a.ndim == 0 else a for a in items]
    return tensors.concatenate(items, 0 if items[0].ndim == 1 else 1)


def _column_stack(args: list[Any], kwargs: dict[str, Any]) -> Any:
    """np.column_stack: 0-d and 1-d arrays become columns, the rest are joined along axis 1."""
    tup = _bind("np.column_stack", args, kwargs, ("tup",))["tup"]
    items = [tensors.as_array(item) for item in _sequence(tup, "np.column_stack")]
    items = [tensors.reshape(a, (a.spec.size, 1), view=False) if a.ndim < 2 else a for a in items]
    return tensors.concatenate(items, 1)


# -- creation ----------------------------------------------------------------------------------------------------


def _filled(name: str, value: Any) -> Handler:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        bound = _bind(f"np.{name}", args, kwargs, ("shape", "dtype"))
        spec = ArraySpec(_dtype(bound.get("dtype"), "float64", f"np.{name}"), _shape(bound["shape"], f"np.{name}"))
        return tensors.full(spec, Const(value))

    return lower


def _full(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.full", args, kwargs, ("shape", "fill_value", "dtype"), 2)
    fill = _array_like(bound["fill_value"])
    default = tensors.dtype_of(fill) if not isinstance(fill, Array) else fill.dtype
    spec = ArraySpec(_dtype(bound.get("dtype"), default, "np.full"), _shape(bound["shape"], "np.full"))
    if isinstance(fill, Array):
        return tensors.broadcast_to(fill, spec.dtype, spec.shape)
    return tensors.full(spec, fill)


def _like(name: str, value: Any) -> Handler:
    params = ("a", "fill_value", "dtype", "shape") if value is _MISSING else ("a", "dtype", "shape")

    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        bound = _bind(f"np.{name}", args, kwargs, params, 2 if value is _MISSING else 1)
        like = _spec_of(bound["a"])
        dtype = _dtype(bound.get("dtype"), like.dtype, f"np.{name}")
        shape = like.shape if bound.get("shape") is None else _shape(bound["shape"], f"np.{name}")
        spec = ArraySpec(dtype, shape)
        fill = _array_like(bound["fill_value"]) if value is _MISSING else Const(value)
        if isinstance(fill, Array):
            return tensors.broadcast_to(fill, dtype, shape)
        result = tensors.full(spec, fill)
        return tensors.operand(result) if not shape and not is_array(bound["a"]) else result

    return lower


def _eye(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.eye", args, kwargs, ("N", "M", "k", "dtype"))
    n = static(bound["N"], "the size of np.eye")
    m = static(bound.get("M", Const(None)), "the size of np.eye")
    k = static(bound.get("k", Const(0)), "the diagonal of np.eye")
    dtype = _dtype(bound.get("dtype"), "float64", "np.eye")
    return tensors.constant_array(np.eye(n, m, k, dtype=dtype))


def _identity(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.identity", args, kwargs, ("n", "dtype"))
    dtype = _dtype(bound.get("dtype"), "float64", "np.identity")
    return tensors.constant_array(np.identity(static(bound["n"], "the size of np.identity"), dtype=dtype))


def _arange(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.arange", args, kwargs, ("start", "stop", "step", "dtype"))
    values = [static(bound[p], f"the {p} of np.arange") for p in ("start", "stop", "step") if p in bound]
    dtype = _dtype(bound.get("dtype"), None, "np.arange")
    data = np.arange(*values, dtype=dtype)
    if data.dtype.name not in ("float64", "float32", "int64", "int32", "bool"):
        data = data.astype("float64" if data.dtype.kind == "f" else "int64")
    return tensors.constant_array(data)


def _linspace(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.linspace", args, kwargs, ("start", "stop", "num", "endpoint", "dtype"), 2)
    values = {p: static(v, f"the {p} of np.linspace") for p, v in bound.items() if p != "dtype"}
    dtype = _dtype(bound.get("dtype"), None, "np.linspace")
    return tensors.constant_array(np.linspace(**values, dtype=dtype))


def _np_array(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.array", args, kwargs, ("object", "dtype", "copy"))
    return array_from(bound["object"], _dtype(bound.get("dtype"), None, "np.array"))


def _asarray(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.asarray", args, kwargs, ("a", "dtype"))
    value, dtype = bound["a"], _dtype(bound.get("dtype"), None, "np.asarray")
    if isinstance(value, Array) and (dtype is None or dtype == value.dtype):
        return value  # no copy: the same array
    return array_from(value, dtype, "np.asarray")


def _copy(args: list[Any], kwargs: dict[str, Any]) -> Any:
    return array_from(_bind("np.copy", args, kwargs, ("a",))["a"], None, "np.copy")


def _scalar_type(dtype: str) -> Handler:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        bound = _bind(f"np.{dtype}", args, kwargs, ("value",), 0)
        if "value" not in bound:
            return Const(np.dtype(dtype).type(0).item())
        value = _array_like(bound["value"])
        if isinstance(value, Array):
            return tensors.cast(value, dtype)
        if isinstance(value, Const):
            return Const(np.dtype(dtype).type(value.value).item())
        kind = {"float64": float, "float32": float, "int64": int, "int32": int, "bool": bool}[dtype]
        if kind is float:
            converted = scalars.to_float(value)
            if dtype == "float32":
                converted = tensors.to_python_scalar(tensors.element(converted, "float32"), "float32")
            return converted
        if kind is int:
            return scalars.to_int(value)
        return scalars.truth(value)

    return lower


def _shape_of(args: list[Any], kwargs: dict[str, Any]) -> Any:
    return _attribute_value(_array_like(_bind("np.shape", args, kwargs, ("a",))["a"]), "shape")


def _ndim_of(args: list[Any], kwargs: dict[str, Any]) -> Any:
    return Const(_spec_of(_bind("np.ndim", args, kwargs, ("a",))["a"]).ndim)


def _size_of(args: list[Any], kwargs: dict[str, Any]) -> Any:
    return Const(_spec_of(_bind("np.size", args, kwargs, ("a",))["a"]).size)


NUMPY_FUNCTIONS: dict[Any, Handler] = {
    **{getattr(np, name): _unary(name, op, fold) for name, (op, fold) in _UNARY.items()},
    np.abs: _abs,
    np.fabs: _abs,
    np.square: _square,
    np.reciprocal: _reciprocal,
    np.sign: _sign,
    np.negative: lambda args, kwargs: tensors.negate(_array_like(_bind("np.negative", args, kwargs, ("x",))["x"])),
    np.positive: lambda args, kwargs: _array_like(_bind("np.positive", args, kwargs, ("x",))["x"]),
    np.add: _binary("add", ast.Add),
    np.subtract: _binary("subtract", ast.Sub),
    np.multiply: _binary("multiply", ast.Mult),
    np.divide: _binary("divide", ast.Div),
    np.floor_divide: _binary("floor_divide", ast.FloorDiv),
    np.mod: _binary("mod", ast.Mod),
    np.power: _power,
    np.float_power: _float_power,
    np.maximum: _extremum("maximum", True, True),
    np.minimum: _extremum("minimum", False, True),
    np.fmax: _extremum("fmax", True, False),
    np.fmin: _extremum("fmin", False, False),
    np.arctan2: _atan2,
    np.hypot: _hypot,
    np.where: _where,
    np.clip: _clip,
    np.equal: _comparison("equal", ast.Eq),
    np.not_equal: _comparison("not_equal", ast.NotEq),
    np.less: _comparison("less", ast.Lt),
    np.less_equal: _comparison("less_equal", ast.LtE),
    np.greater: _comparison("greater", ast.Gt),
    np.greater_equal: _comparison("greater_equal", ast.GtE),
    np.logical_and: _logical("logical_and", arith.andi),
    np.logical_or: _logical("logical_or", arith.ori),
    np.logical_xor: _logical("logical_xor", arith.xori),
    np.logical_not: _logical_not,
    np.isnan: _float_test("isnan"),
    np.isinf: _float_test("isinf"),
    np.isfinite: _float_test("isfinite"),
    np.sum: _reduction("sum", ("dtype",)),
    np.prod: _reduction("prod", ("dtype",)),
    np.mean: _reduction("mean", ("dtype",)),
    np.max: _reduction("max"),
    np.amax: _reduction("max"),
    np.min: _reduction("min"),
    np.amin: _reduction("min"),
    np.any: _reduction("any"),
    np.all: _reduction("all"),
    np.matmul: _matmul,
    np.dot: _dot,
    np.inner: _inner,
    np.outer: _outer,
    np.transpose: _transpose,
    np.reshape: _reshape,
    np.ravel: _ravel,
    np.expand_dims: _expand_dims,
    np.squeeze: _squeeze,
    np.concatenate: _concatenate,
    np.stack: _stack,
    np.vstack: _vstack,
    np.column_stack: _column_stack,
    np.hstack: _hstack,
    np.zeros: _filled("zeros", 0),
    np.ones: _filled("ones", 1),
    np.empty: _filled("empty", 0),
    np.full: _full,
    np.zeros_like: _like("zeros_like", 0),
    np.ones_like: _like("ones_like", 1),
    np.empty_like: _like("empty_like", 0),
    np.full_like: _like("full_like", _MISSING),
    np.eye: _eye,
    np.identity: _identity,
    np.arange: _arange,
    np.linspace: _linspace,
    np.array: _np_array,
    np.asarray: _asarray,
    np.copy: _copy,
    np.float64: _scalar_type("float64"),
    np.float32: _scalar_type("float32"),
    np.int64: _scalar_type("int64"),
    np.int32: _scalar_type("int32"),
    np.bool_: _scalar_type("bool"),
    np.shape: _shape_of,
    np.ndim: _ndim_of,
    np.size: _size_of,
}
if hasattr(np, "concat"):
    NUMPY_FUNCTIONS[np.concat] = _concatenate
if hasattr(np, "pow"):
    NUMPY_FUNCTIONS[np.pow] = _power
if hasattr(np, "row_stack"):  # vstack's deprecated alias
    NUMPY_FUNCTIONS[np.row_stack] = _vstack
for _alias, _name in (("absolute", "abs"), ("true_divide", "divide"), ("remainder", "mod")):
    if hasattr(np, _alias) and getattr(np, _alias) not in NUMPY_FUNCTIONS:
        NUMPY_FUNCTIONS[getattr(np, _alias)] = NUMPY_FUNCTIONS[getattr(np, _name)]
for _alias, _name in (
    ("asin", "arcsin"),
    ("acos", "arccos"),
    ("atan", "arctan"),
    ("asinh", "arcsinh"),
    ("acosh", "arccosh"),
    ("atanh", "arctanh"),
):
    if hasattr(np, _alias) and getattr(np, _alias) not in NUMPY_FUNCTIONS:
        NUMPY_FUNCTIONS[getattr(np, _alias)] = NUMPY_FUNCTIONS[getattr(np, _name)]


def lookup(target: Any) -> Handler | None:
    """The handler of a numpy function, None for anything else."""
    try:
        return NUMPY_FUNCTIONS.get(target)
    except TypeError:
        return None


def numpy_name(target: Any) -> str | None:
    """`np.linalg.inv` for a numpy function (or ufunc, or class) that dp does not compile; None otherwise.

    Ufuncs of other libraries (scipy.special's) are named by the module that holds them.
    """
    module = getattr(target, "__module__", None)
    name = getattr(target, "__name__", None) or type(target).__name__
    if isinstance(target, np.ufunc):
        if getattr(np, name, None) is target:
            return f"np.{name}"
        holders = [m for m, mod in list(sys.modules.items()) if "." in m and getattr(mod, name, None) is target]
        holder = min(holders, key=len, default=None)  # the public module before its _private parts
        return f"{holder}.{name}" if holder else f"the ufunc {name}"
    if not isinstance(module, str) or not (module == "numpy" or module.startswith("numpy.")):
        return None
    parts = [part for part in module.split(".") if not part.startswith("_")]
    return ".".join(["np"] + parts[1:] + [name])


# -- attributes and methods of arrays ------------------------------------------------------------------------------

ARRAY_METHODS = (
    "sum",
    "prod",
    "mean",
    "max",
    "min",
    "any",
    "all",
    "reshape",
    "transpose",
    "copy",
    "astype",
    "dot",
    "flatten",
    "ravel",
    "squeeze",
    "clip",
    "item",
)


def array_attribute(value: Any, name: str) -> Any:
    """`x.name` for an array (a BoundMethod is made by the caller for methods)."""
    return _attribute_value(tensors.as_array(value) if not is_const_array(value) else value, name)


def _attribute_value(value: Any, name: str) -> Any:
    if is_const_array(value):
        data = value.value
        if name in ("shape", "ndim", "size"):
            attribute = getattr(data, name)
            return TupleValue(tuple(Const(int(n)) for n in attribute)) if name == "shape" else Const(int(attribute))
        if name == "dtype":
            return Const(data.dtype)
        if name == "T":
            return tensors.constant_array(np.ascontiguousarray(data.T))
        raise UnsupportedSyntaxError(f"attribute '{name}' of a numpy array is not supported")
    spec = value.spec if isinstance(value, Array) else ArraySpec(kind_dtype(value.kind), ())
    if name == "shape":
        return TupleValue(tuple(Const(n) for n in spec.shape))
    if name == "ndim":
        return Const(spec.ndim)
    if name == "size":
        return Const(spec.size)
    if name == "dtype":
        return Const(spec.numpy_dtype)
    if name == "T":
        return tensors.transpose(value)
    raise UnsupportedSyntaxError(f"attribute '{name}' of a numpy array is not supported")


def call_method(receiver: Any, name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """`x.name(*args, **kwargs)` for an array."""
    x = tensors.as_array(tensors.operand(receiver)) if is_array(receiver) else receiver
    method = f"ndarray.{name}"
    if name in ("sum", "prod", "mean", "max", "min", "any", "all"):
        params = (
            ("axis", "dtype", "out", "keepdims") if name in ("sum", "prod", "mean") else ("axis", "out", "keepdims")
        )
        bound = _bind(method, args, kwargs, params, 0)
        if bound.get("out") is not None:
            raise UnsupportedSyntaxError(f"{method}(out=...) is not supported")
        return reduction(name, receiver, bound.get("axis"), bound.get("keepdims"), bound.get("dtype"))
    if name == "reshape":
        if kwargs:
            raise UnsupportedSyntaxError("ndarray.reshape() takes the shape positionally")
        shape = args[0] if len(args) == 1 else TupleValue(tuple(args))
        return tensors.reshape(x, _shape_with_unknown(shape, method))
    if name == "transpose":
        if not args:
            return tensors.transpose(x)
        axes = args[0] if len(args) == 1 else TupleValue(tuple(args))
        return tensors.transpose(x, static(axes, "the axes of transpose"))
    if name == "copy":
        return Array(x.value, x.spec)
    if name == "astype":
        bound = _bind(method, args, kwargs, ("dtype", "copy"), 1)
        dtype = _dtype(bound["dtype"], None, method)
        return tensors.cast(Array(x.value, x.spec), dtype)
    if name == "dot":
        return dot(x, _bind(method, args, kwargs, ("b",))["b"])
    if name == "flatten":
        return tensors.reshape(x, (x.spec.size,), view=False)
    if name == "ravel":
        return tensors.reshape(x, (x.spec.size,))
    if name == "squeeze":
        return squeeze(x, _bind(method, args, kwargs, ("axis",), 0).get("axis"))
    if name == "clip":
        bound = _bind(method, args, kwargs, ("min", "max"), 0)
        return clip(x, bound.get("min", Const(None)), bound.get("max", Const(None)))
    if name == "item":
        if args or kwargs:
            raise UnsupportedSyntaxError("ndarray.item() with arguments is not supported")
        if x.spec.size != 1:
            raise ShapeError(f"can only convert an array of size 1 to a Python scalar, not shape {x.shape}")
        return tensors.operand(tensors.reshape(x, ()))
    for module in (numpy_shapes, numpy_contractions, numpy_indexing):
        if name in module.METHODS:
            return module.call_method(x, name, args, kwargs)
    raise UnsupportedSyntaxError(f"the array method {name}() is not supported")


# The rest of numpy lives in modules of its own, which build on the helpers above: layout, scans and
# contractions; statistics; composed elementwise functions; grids and differences; indexing, gathers,
# scatters and sorting; and the LAPACK primitives dp.frontend.linalg_rules compiles np.linalg from.
from dp.frontend import (  # noqa: E402
    lapack_calls,
    numpy_contractions,
    numpy_elementwise,
    numpy_indexing,
    numpy_sampling,
    numpy_shapes,
    numpy_statistics,
)

for _table in (
    numpy_shapes.FUNCTIONS,
    numpy_contractions.FUNCTIONS,
    numpy_statistics.STATISTICS,
    numpy_elementwise.ELEMENTWISE,
    numpy_sampling.SAMPLING,
    numpy_indexing.FUNCTIONS,
    lapack_calls.PRIMITIVES,
):
    NUMPY_FUNCTIONS.update(_table)
ARRAY_METHODS += (
    numpy_shapes.METHODS + numpy_contractions.METHODS + numpy_indexing.METHODS + numpy_indexing.MUTATING_METHODS
)

__all__ = ["ARRAY_METHODS", "NUMPY_FUNCTIONS", "array_attribute", "array_from", "call_method", "lookup", "numpy_name"]
