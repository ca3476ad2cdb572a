"""Python builtins dp compiles: abs min max float int bool len sum range enumerate zip tuple list dict,
and dp.stop_gradient.

`min` and `max` of mixed ints and floats give a float (Python keeps the
winner's type, which is not known at compile time).
"""

from __future__ import annotations

import ast
import builtins
from typing import Any, Callable

from mlir.dialects import math

from dp import gradient_control
from dp.dialects import dp as dpd
from dp.errors import TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import operators, scalars
from dp.frontend.iteration import static_items
from dp.frontend.ranges import trip_count
from dp.frontend.values import (
    Const,
    DictValue,
    ListValue,
    RangeValue,
    Scalar,
    TupleValue,
    describe,
    is_array,
    is_number,
    map_leaves,
)

Handler = Callable[[list[Any], dict[str, Any]], Any]


def _arity(
    name: str, args: list[Any], kwargs: dict[str, Any], low: int, high: int, keywords: tuple[str, ...] = ()
) -> None:
    unknown = [key for key in kwargs if key not in keywords]
    if unknown:
        raise UnsupportedSyntaxError(f"{name}() keyword argument '{unknown[0]}' is not supported")
    if not low <= len(args) <= high:
        expected = str(low) if low == high else f"{low} to {high}"
        raise TypeMismatchError(f"{name}() takes {expected} positional argument(s) ({len(args)} given)")


def _number(name: str, value: Any) -> Any:
    if is_array(value):
        from dp.frontend import tensors

        operand = tensors.operand(value)
        if not is_number(operand):
            if operand.spec.size != 1:
                raise TypeMismatchError(
                    f"{name}() of an array needs exactly one element, not an array of shape {operand.shape}"
                )
            return tensors.operand(tensors.reshape(operand, ()))
        return operand
    if not is_number(value):
        raise TypeMismatchError(f"{name}() needs a number, not {describe(value)}")
    return value


def _abs(args: list[Any], kwargs: dict[str, Any]) -> Any:
    _arity("abs", args, kwargs, 1, 1)
    if is_array(args[0]):
        from dp.frontend import numpy_functions

        return numpy_functions.NUMPY_FUNCTIONS[numpy_abs()](args, {})
    value = _number("abs", args[0])
    if isinstance(value, Const):
        return Const(abs(value.value))
    if value.kind is float:
        return Scalar(math.absf(value.value), float)
    return scalars.abs_int(scalars.as_scalar(scalars.convert(value, int)))


def _extremum(name: str, op: type[ast.cmpop]) -> Handler:
    """min/max: Python keeps the first of equal items and replaces it only on a strict comparison."""

    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        _arity(name, args, kwargs, 1, 1 << 30)
        items = list(static_items(args[0])) if len(args) == 1 else args
        if any(is_array(item) and not is_number(_scalar_or_array(item)) for item in items):
            raise TypeMismatchError(
                f"{name}() of arrays compares whole arrays, whose truth value is ambiguous; use np.{name}imum or "
                f"np.{name}"
            )
        items = [_scalar_or_array(item) for item in items]
        if not items:
            raise TypeMismatchError(f"{name}() of an empty sequence")
        for item in items:
            _number(name, item)
        if all(isinstance(item, Const) for item in items):
            return Const(getattr(builtins, name)(item.value for item in items))
        kind = int
        for item in items:
            kind = scalars.wider(kind, item.kind)
        best = scalars.convert(items[0], kind)
        for item in items[1:]:
            candidate = scalars.convert(item, kind)
            best = scalars.select(operators.compare(op, candidate, best), candidate, best)
        return best

    return lower


def _float(args: list[Any], kwargs: dict[str, Any]) -> Any:
    _arity("float", args, kwargs, 0, 1)
    if not args:
        return Const(0.0)
    if isinstance(args[0], Const) and isinstance(args[0].value, str):
        return Const(float(args[0].value))
    return scalars.to_float(_number("float", args[0]))


def _int(args: list[Any], kwargs: dict[str, Any]) -> Any:
    _arity("int", args, kwargs, 0, 1)
    if not args:
        return Const(0)
    if isinstance(args[0], Const) and isinstance(args[0].value, str):
        return Const(int(args[0].value))
    return scalars.to_int(_number("int", args[0]))


def _bool(args: list[Any], kwargs: dict[str, Any]) -> Any:
    _arity("bool", args, kwargs, 0, 1)
    return scalars.truth(args[0]) if args else Const(False)


def _len(args: list[Any], kwargs: dict[str, Any]) -> Any:
    _arity("len", args, kwargs, 1, 1)
    value = args[0]
    if is_array(value):
        from dp.frontend import numpy_functions

        shape = numpy_functions.array_attribute(value, "shape").items
        if not shape:
            raise TypeMismatchError("len() of a 0-d array")
        return shape[0]
    if isinstance(value, RangeValue):
        return trip_count(*(scalars.convert(part, int) for part in (value.start, value.stop, value.step)))
    return Const(len(static_items(value)))


def _sum(args: list[Any], kwargs: dict[str, Any]) -> Any:
    _arity("sum", args, kwargs, 1, 2, ("start",))
    total = args[1] if len(args) == 2 else kwargs.get("start", Const(0))
    if is_array(args[0]):
        from dp.frontend import tensors

        array = tensors.as_array(tensors.operand(args[0]))
        if array.ndim == 0:
            raise TypeMismatchError("sum() of a 0-d array: a 0-d array is not iterable")
        return operators.binary(ast.Add, total, tensors.reduce("sum", array, 0))
    for item in static_items(args[0]):
        total = operators.binary(ast.Add, total, item)
    return total


def _range(args: list[Any], kwargs: dict[str, Any]) -> RangeValue:
    _arity("range", args, kwargs, 1, 3)
    for arg in args:
        if not is_number(arg) or arg.kind is float:
            raise TypeMismatchError(f"range() arguments must be integers, not {describe(arg)}")
    if len(args) == 1:
        return RangeValue(Const(0), args[0], Const(1))
    return RangeValue(args[0], args[1], args[2] if len(args) == 3 else Const(1))


def _enumerate(args: list[Any], kwargs: dict[str, Any]) -> TupleValue:
    _arity("enumerate", args, kwargs, 1, 2, ("start",))
    start = args[1] if len(args) == 2 else kwargs.get("start", Const(0))
    if not isinstance(start, Const) or start.kind is not int:
        raise TypeMismatchError("enumerate() start must be a compile-time integer")
    items = static_items(args[0])
    return TupleValue(tuple(TupleValue((Const(start.value + i), item)) for i, item in enumerate(items)))


def _zip(args: list[Any], kwargs: dict[str, Any]) -> TupleValue:
    _arity("zip", args, kwargs, 0, 1 << 30)
    columns = [static_items(arg) for arg in args]
    return TupleValue(tuple(TupleValue(row) for row in zip(*columns)))


def _tuple(args: list[Any], kwargs: dict[str, Any]) -> TupleValue:
    _arity("tuple", args, kwargs, 0, 1)
    return TupleValue(static_items(args[0]) if args else ())


def _list(args: list[Any], kwargs: dict[str, Any]) -> ListValue:
    _arity("list", args, kwargs, 0, 1)
    return ListValue(static_items(args[0]) if args else ())


def _dict(args: list[Any], kwargs: dict[str, Any]) -> DictValue:
    if len(args) > 1:
        raise TypeMismatchError(f"dict() takes at most 1 positional argument ({len(args)} given)")
    keys: list[Any] = []
    values: list[Any] = []
    if args:
        source = args[0]
        if not isinstance(source, DictValue):
            raise TypeMismatchError(f"dict() copies a dict, not {describe(source)}")
        keys, values = list(source.keys), list(source.items)
    for key, value in kwargs.items():
        if key in keys:
            values[keys.index(key)] = value
        else:
            keys.append(key)
            values.append(value)
    return DictValue(tuple(keys), tuple(values))


def _stop_gradient(args: list[Any], kwargs: dict[str, Any]) -> Any:
    _arity("stop_gradient", args, kwargs, 1, 1)

    def stop(leaf: Any) -> Any:
        if isinstance(leaf, Scalar) and leaf.kind is float:
            return Scalar(dpd.stop_gradient(leaf.value), float)
        if is_array(leaf):
            from dp.frontend import tensors

            return tensors.stop_gradient(tensors.materialize(leaf))
        return leaf

    return map_leaves(stop, args[0])


def numpy_abs() -> Any:
    import numpy

    return numpy.abs


def _scalar_or_array(value: Any) -> Any:
    if is_array(value):
        from dp.frontend import tensors

        return tensors.operand(value)
    return value


BUILTINS: dict[Any, Handler] = {
    builtins.abs: _abs,
    builtins.min: _extremum("min", ast.Lt),
    builtins.max: _extremum("max", ast.Gt),
    builtins.float: _float,
    builtins.int: _int,
    builtins.bool: _bool,
    builtins.len: _len,
    builtins.sum: _sum,
    builtins.range: _range,
    builtins.enumerate: _enumerate,
    builtins.zip: _zip,
    builtins.tuple: _tuple,
    builtins.list: _list,
    builtins.dict: _dict,
    gradient_control.stop_gradient: _stop_gradient,
}

__all__ = ["BUILTINS"]
