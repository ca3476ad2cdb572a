"""The `math` module functions dp compiles, each mapped to `math` dialect ops.

Every function here has a derivative. Calls whose arguments are all
compile-time constants are evaluated by Python's own `math`.
"""

from __future__ import annotations

import math as pymath
from typing import Any, Callable

from mlir.dialects import arith, math

from dp.errors import TypeMismatchError
from dp.frontend import scalars
from dp.frontend.values import Const, Scalar, describe, is_number

Handler = Callable[[list[Any]], Any]


def _floats(name: str, args: list[Any], arity: int | tuple[int, ...]) -> list[Scalar]:
    counts = (arity,) if isinstance(arity, int) else arity
    if len(args) not in counts:
        expected = " or ".join(str(count) for count in counts)
        raise TypeMismatchError(f"math.{name}() takes {expected} argument(s) ({len(args)} given)")
    for arg in args:
        if not is_number(arg):
            raise TypeMismatchError(f"math.{name}() needs numbers, not {describe(arg)}")
    return [scalars.as_scalar(scalars.to_float(arg)) for arg in args]


def _unary(name: str, op: Callable) -> Handler:
    def lower(args: list[Any]) -> Scalar:
        (x,) = _floats(name, args, 1)
        return Scalar(op(x.value), float)

    return lower


def _binary(name: str, op: Callable) -> Handler:
    def lower(args: list[Any]) -> Scalar:
        x, y = _floats(name, args, 2)
        return Scalar(op(x.value, y.value), float)

    return lower


def _log(args: list[Any]) -> Scalar:
    # Python computes log(x, base) as log(x) / log(base).
    values = _floats("log", args, (1, 2))
    logs = [math.log(v.value) for v in values]
    return Scalar(logs[0] if len(logs) == 1 else arith.divf(logs[0], logs[1]), float)


def _hypot(args: list[Any]) -> Scalar:
    values = _floats("hypot", args, tuple(range(1, 33)))
    total = None
    for v in values:
        square = arith.mulf(v.value, v.value)
        total = square if total is None else arith.addf(total, square)
    return Scalar(math.sqrt(total), float)


def _copysign(args: list[Any]) -> Scalar:
    x, y = _floats("copysign", args, 2)
    return scalars.copysign(x, y)


def _rounding(name: str, op: Callable) -> Handler:
    """math.floor and math.ceil return ints in Python 3."""

    def lower(args: list[Any]) -> Any:
        if len(args) == 1 and is_number(args[0]) and args[0].kind is not float:
            return scalars.convert(args[0], int)
        (x,) = _floats(name, args, 1)
        return scalars.to_int(Scalar(op(x.value), float))

    return lower


_UNARY = {
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "asin": math.asin,
    "acos": math.acos,
    "atan": math.atan,
    "sinh": math.sinh,
    "cosh": math.cosh,
    "tanh": math.tanh,
    "asinh": math.asinh,
    "acosh": math.acosh,
    "atanh": math.atanh,
    "exp": math.exp,
    "expm1": math.expm1,
    "log1p": math.log1p,
    "log2": math.log2,
    "log10": math.log10,
    "sqrt": math.sqrt,
    "erf": math.erf,
    "erfc": math.erfc,
    "fabs": math.absf,
}

MATH_FUNCTIONS: dict[Callable, Handler] = {
    **{getattr(pymath, name): _unary(name, op) for name, op in _UNARY.items()},
    pymath.log: _log,
    pymath.atan2: _binary("atan2", math.atan2),
    pymath.pow: _binary("pow", math.powf),
    pymath.hypot: _hypot,
    pymath.copysign: _copysign,
    pymath.floor: _rounding("floor", math.floor),
    pymath.ceil: _rounding("ceil", math.ceil),
}


def call_math(function: Callable, args: list[Any]) -> Any:
    """Lowers a call to a supported `math` function, folding it when all arguments are constants."""
    if args and all(isinstance(arg, Const) and arg.kind is not None for arg in args):
        try:
            return Const(function(*(arg.value for arg in args)))
        except (ValueError, OverflowError, TypeError):
            pass
    return MATH_FUNCTIONS[function](args)


__all__ = ["MATH_FUNCTIONS", "call_math"]
