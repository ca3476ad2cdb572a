"""Checked int arithmetic: where Python's unbounded ints give another number than 64 bits, dp raises.

Python ints never overflow; dp compiles them to i64. Each operation that can
leave the 64-bit range (or that Python rejects: a division by zero, a
negative shift count, int() of NaN) gets a check: a `cf.assert` at the
current MLIR location, the user's line. dp-lower-runtime-checks turns a
failed check into a call of the runtime, and the caller of the compiled
function raises the error its tag names (dp.errors.runtime_error): an
IntegerOverflowError, a DivisionByZeroError or an InvalidValueError.
Numpy int arrays wrap, as numpy's do, and are not checked.
"""

from __future__ import annotations

from mlir import ir
from mlir.dialects import arith, cf

_WHY = "Python's ints are unbounded; dp compiles them to 64-bit integers"
INT64_MIN = -(1 << 63)


def check(ok: ir.Value, tag: str, message: str, catchable: bool = True) -> None:
    """Raises the error for `tag` with `message` (after the call) when `ok` is false at run time, unless an
    enclosing try of the same function catches it there (dp.frontend.exceptions). An error Python would not
    raise (an int leaving 64 bits, which Python's ints never do) is not `catchable`: it always reaches the caller."""
    from dp.frontend import exceptions

    if catchable and tag != "overflow" and exceptions.runtime_check(ok, tag):
        return
    cf.AssertOp(ok, f"[{tag}] {message}")


def _i64(value: int) -> ir.Value:
    return arith.constant(ir.IntegerType.get_signless(64), value)


def _negative(value: ir.Value) -> ir.Value:
    return arith.cmpi(arith.CmpIPredicate.slt, value, _i64(0))


def _overflow(symbol: str) -> str:
    return f"integer overflow in `{symbol}`: the result does not fit in 64 bits ({_WHY})"


def add(a: ir.Value, b: ir.Value) -> ir.Value:
    """a + b; overflow when both operands' signs differ from the result's."""
    result = arith.addi(a, b)
    wrapped = _negative(arith.andi(arith.xori(a, result), arith.xori(b, result)))
    check(arith.xori(wrapped, _true()), "overflow", _overflow("+"))
    return result


def sub(a: ir.Value, b: ir.Value, symbol: str = "-") -> ir.Value:
    """a - b; overflow when the operands' signs differ and the result's differs from a's."""
    result = arith.subi(a, b)
    wrapped = _negative(arith.andi(arith.xori(a, b), arith.xori(a, result)))
    check(arith.xori(wrapped, _true()), "overflow", _overflow(symbol))
    return result


def mul(a: ir.Value, b: ir.Value, symbol: str = "*", needed: ir.Value | None = None) -> ir.Value:
    """a * b; overflow when the high half of the 128-bit product is not the low half's sign.

    With `needed`, the check applies only where `needed` is true (a product
    that exponentiation by squaring computes but may not use).
    """
    product = arith.MulSIExtendedOp(a, b)
    low, high = product.low, product.high
    fits = arith.cmpi(arith.CmpIPredicate.eq, high, arith.shrsi(low, _i64(63)))
    if needed is not None:
        fits = arith.ori(fits, arith.xori(needed, _true()))
    check(fits, "overflow", _overflow(symbol))
    return low


def neg(a: ir.Value, symbol: str = "-") -> ir.Value:
    """-a; overflow for the most negative i64."""
    check(arith.cmpi(arith.CmpIPredicate.ne, a, _i64(INT64_MIN)), "overflow", _overflow(symbol))
    return arith.subi(_i64(0), a)


def shift_count(b: ir.Value) -> ir.Value:
    """A shift count that is not negative (Python raises), clamped to 63 (LLVM's shifts of 64+ are poison)."""
    check(arith.xori(_negative(b), _true()), "value", "negative shift count")
    return arith.minsi(b, _i64(63))


def shl(a: ir.Value, b: ir.Value) -> ir.Value:
    """a << b; overflow when shifting back does not give a (any nonzero a shifted by 64 or more)."""
    count = shift_count(b)
    result = arith.shli(a, count)
    exact = arith.cmpi(arith.CmpIPredicate.eq, arith.shrsi(result, count), a)
    in_range = arith.cmpi(arith.CmpIPredicate.slt, b, _i64(64))
    is_zero = arith.cmpi(arith.CmpIPredicate.eq, a, _i64(0))
    check(arith.ori(arith.andi(exact, in_range), is_zero), "overflow", _overflow("<<"))
    return result


def shr(a: ir.Value, b: ir.Value) -> ir.Value:
    """a >> b, which Python floors: shifts of 63 or more give 0 or -1."""
    return arith.shrsi(a, shift_count(b))


def divisor(b: ir.Value, symbol: str) -> None:
    """Raises for an int division or modulo by zero, as Python does."""
    check(arith.cmpi(arith.CmpIPredicate.ne, b, _i64(0)), "zero-division", f"integer division or modulo by zero (`{symbol}`)")


def quotient(a: ir.Value, b: ir.Value, symbol: str) -> None:
    """Raises for INT64_MIN // -1, whose quotient 2**63 does not fit."""
    is_min = arith.cmpi(arith.CmpIPredicate.eq, a, _i64(INT64_MIN))
    is_minus_one = arith.cmpi(arith.CmpIPredicate.eq, b, _i64(-1))
    check(arith.xori(arith.andi(is_min, is_minus_one), _true()), "overflow", _overflow(symbol))


def exponent(b: ir.Value) -> None:
    """Raises for a negative int exponent known only at run time: Python's result would be a float."""
    check(
        arith.xori(_negative(b), _true()),
        "value",
        "negative exponent in int `**`: Python returns a float there, but dp compiled this power for ints; "
        "make the base or the exponent a float",
        catchable=False,
    )


def float_to_int(x: ir.Value) -> ir.Value:
    """int(x) of an f64, truncating: NaN and values outside the i64 range raise as Python's int() does."""
    f64 = x.type
    check(arith.cmpf(arith.CmpFPredicate.ORD, x, x), "value", "cannot convert float NaN to integer")
    low = arith.constant(f64, float(INT64_MIN))  # -2**63, exact
    high = arith.constant(f64, -float(INT64_MIN))  # 2**63, exact and just out of range
    in_range = arith.andi(
        arith.cmpf(arith.CmpFPredicate.UGE, x, low), arith.cmpf(arith.CmpFPredicate.ULT, x, high)
    )
    check(in_range, "overflow", f"integer overflow in int(): the float does not fit in 64 bits ({_WHY})")
    return arith.fptosi(ir.IntegerType.get_signless(64), x)


def _true() -> ir.Value:
    return arith.constant(ir.IntegerType.get_signless(1), 1)


__all__ = [
    "INT64_MIN",
    "add",
    "check",
    "divisor",
    "exponent",
    "float_to_int",
    "mul",
    "neg",
    "quotient",
    "shl",
    "shift_count",
    "shr",
    "sub",
]
