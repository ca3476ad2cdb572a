"""The `operator` module's functions (operator.add, operator.mul, ...) as the operators they name.

`functools.reduce(operator.mul, xs)`, `map(operator.add, a, b)` and tables of operators are ordinary Python;
each function lowers exactly like its operator, including classes' overloads, complex values and arrays.
"""

from __future__ import annotations

import ast
import operator
from typing import Any, Callable

from dp.errors import TypeMismatchError
from dp.frontend import array_indexing, complex_arrays, indexing, operators
from dp.frontend.complex_numbers import ComplexValue
from dp.frontend.values import Const, TupleValue, is_array

Handler = Callable[[Any, list[Any], dict[str, Any]], Any]

_BINARY = {
    operator.add: ast.Add, operator.sub: ast.Sub, operator.mul: ast.Mult, operator.truediv: ast.Div,
    operator.floordiv: ast.FloorDiv, operator.mod: ast.Mod, operator.pow: ast.Pow, operator.matmul: ast.MatMult,
    operator.and_: ast.BitAnd, operator.or_: ast.BitOr, operator.xor: ast.BitXor,
    operator.lshift: ast.LShift, operator.rshift: ast.RShift,
}
_UNARY = {operator.neg: ast.USub, operator.pos: ast.UAdd, operator.not_: ast.Not, operator.invert: ast.Invert,
          operator.inv: ast.Invert}
_COMPARE = {operator.eq: ast.Eq, operator.ne: ast.NotEq, operator.lt: ast.Lt, operator.le: ast.LtE,
            operator.gt: ast.Gt, operator.ge: ast.GtE, operator.is_: ast.Is, operator.is_not: ast.IsNot,
            operator.contains: ast.In}


def _arguments(name: str, args: list[Any], kwargs: dict[str, Any], count: int) -> list[Any]:
    if kwargs or len(args) != count:
        raise TypeMismatchError(f"operator.{name}() takes {count} positional argument{'s' * (count > 1)}")
    return args


def _binary(name: str, op: type[ast.operator]) -> Handler:
    def lower(visitor: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        return visitor.binary_values(op, *_arguments(name, args, kwargs, 2))

    return lower


def _unary(name: str, op: type[ast.unaryop]) -> Handler:
    def lower(visitor: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        return visitor.unary_value(op, *_arguments(name, args, kwargs, 1))

    return lower


def _compare(name: str, op: type[ast.cmpop]) -> Handler:
    def lower(visitor: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        a, b = _arguments(name, args, kwargs, 2)
        return operators.compare(ast.In, b, a) if op is ast.In else operators.compare(op, a, b)

    return lower


def _getitem(visitor: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
    base, index = _arguments("getitem", args, kwargs, 2)
    components = list(index.items) if isinstance(index, TupleValue) else [index]
    if isinstance(base, ComplexValue):
        return complex_arrays.get_item(base, components)
    if is_array(base):
        return array_indexing.get_item(base, components)
    return indexing.get_item(base, index)


_TABLE: dict[Any, Handler] = {
    **{f: _binary(f.__name__, op) for f, op in _BINARY.items()},
    **{f: _unary(f.__name__, op) for f, op in _UNARY.items()},
    **{f: _compare(f.__name__, op) for f, op in _COMPARE.items()},
    operator.getitem: _getitem,
    operator.abs: lambda visitor, args, kwargs: visitor.call(Const(abs), _arguments("abs", args, kwargs, 1), {}, None),
}


def lookup(target: Any) -> Handler | None:
    """The handler of an `operator` function, else None."""
    try:
        return _TABLE.get(target)
    except TypeError:  # an unhashable callee
        return None


__all__ = ["lookup"]
