"""`print` lowered to `vector.print`, for debugging compiled code.

Strings and constants print exactly as Python prints them; ints print in
decimal and bools as True/False. Runtime floats with an integral value
print like Python (`125.0`); others use the C runtime's `%g` format, which
keeps 6 significant digits where Python prints the shortest repr. The runtime flushes C's stdout after each
call of a function that prints.
"""

from __future__ import annotations

from typing import Any, Callable

from mlir import ir
from mlir.dialects import arith, math, scf, vector

from dp.errors import TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import scalars
from dp.frontend.values import (
    Const,
    DictValue,
    ListValue,
    RecordValue,
    Scalar,
    Text,
    TupleValue,
    describe,
)


def _no_punctuation() -> ir.Attribute:
    return ir.Attribute.parse("#vector.punctuation<no_punctuation>")


def print_text(text: str) -> None:
    """Prints a string known at compile time."""
    if text:
        vector.PrintOp(stringLiteral=ir.StringAttr.get(text))


def print_values(args: list[Any], kwargs: dict[str, Any]) -> Const:
    """Lowers `print(*args, sep=..., end=...)`."""
    sep = _string_option(kwargs, "sep", " ")
    end = _string_option(kwargs, "end", "\n")
    kwargs.pop("flush", None)
    if kwargs:
        raise UnsupportedSyntaxError(f"print() keyword argument '{next(iter(kwargs))}' is not supported")
    for index, arg in enumerate(args):
        if index:
            print_text(sep)
        _print(arg, top=True)
    print_text(end)
    return Const(None)


def _string_option(kwargs: dict[str, Any], name: str, default: str) -> str:
    value = kwargs.pop(name, None)
    if value is None or (isinstance(value, Const) and value.value is None):
        return default
    if not isinstance(value, Const) or not isinstance(value.value, str):
        raise TypeMismatchError(f"print() argument '{name}' must be a compile-time string")
    return value.value


def _print(value: Any, top: bool) -> None:
    """Prints like `str(value)` at the top level and `repr(value)` inside containers."""
    if isinstance(value, Const):
        print_text(str(value.value) if top else repr(value.value))
    elif isinstance(value, Scalar):
        _print_scalar(value)
    elif isinstance(value, Text):
        for part in value.parts:
            _print(part, top=True)
    elif isinstance(value, (TupleValue, ListValue)):
        opening, closing = ("(", ")") if isinstance(value, TupleValue) else ("[", "]")
        trailing = "," if isinstance(value, TupleValue) and len(value.items) == 1 else ""
        _print_items(opening, [("", item) for item in value.items], trailing + closing)
    elif isinstance(value, DictValue):
        _print_items("{", [(f"{key!r}: ", item) for key, item in zip(value.keys, value.items)], "}")
    elif isinstance(value, RecordValue):
        _print_items(
            f"{value.cls.__name__}(", [(f"{name}=", item) for name, item in zip(value.fields, value.items)], ")"
        )
    else:
        raise TypeMismatchError(f"cannot print {describe(value)}")


def _print_items(opening: str, items: list[tuple[str, Any]], closing: str) -> None:
    print_text(opening)
    for index, (prefix, item) in enumerate(items):
        print_text((", " if index else "") + prefix)
        _print(item, top=False)
    print_text(closing)


def _print_scalar(value: Scalar) -> None:
    if value.kind is int:
        vector.PrintOp(source=value.value, punctuation=_no_punctuation())
    elif value.kind is bool:
        _print_if(value, lambda: print_text("True"), lambda: print_text("False"))
    else:
        _print_float(value)


def _print_float(value: Scalar) -> None:
    """Integral values as an int and ".0" (as Python does, and %g does not); others with %g."""
    integral = arith.cmpf(arith.CmpFPredicate.OEQ, math.floor(value.value), value.value)
    small = arith.cmpf(arith.CmpFPredicate.OLT, math.absf(value.value), scalars.constant(1e15).value)
    negative_zero = arith.andi(
        arith.cmpf(arith.CmpFPredicate.OEQ, value.value, scalars.constant(0.0).value), scalars.signbit(value).value
    )
    as_int = arith.andi(arith.andi(integral, small), arith.xori(negative_zero, scalars.constant(True).value))

    def print_integral() -> None:
        vector.PrintOp(source=scalars.to_int(value).value, punctuation=_no_punctuation())
        print_text(".0")

    _print_if(
        Scalar(as_int, bool), print_integral, lambda: vector.PrintOp(source=value.value, punctuation=_no_punctuation())
    )


def _print_if(cond: Scalar, then_fn: Callable[[], None], else_fn: Callable[[], None]) -> None:
    branch = scalars.if_op(cond, [])
    for block, build in ((branch.then_block, then_fn), (branch.else_block, else_fn)):
        with ir.InsertionPoint(block):
            build()
            scf.YieldOp([])


__all__ = ["print_text", "print_values"]
