"""Python's arithmetic and comparison operators on scalars, with Python semantics.

Ints are 64-bit; an int result that would not fit raises after the call
(dp.frontend.checks), as do int division by zero and negative shift counts,
so that an int is always Python's int or an error. `//` and `%` round toward
negative infinity like Python, for ints and floats. Operations whose operands are
all compile-time constants are evaluated by Python itself.
"""

from __future__ import annotations

import ast
import operator
from typing import Any, Callable

from mlir.dialects import arith, math, scf
from mlir import ir

from dp.errors import TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import checks, pytree, scalars
from dp.frontend.scalars import as_scalar, constant, convert, wider
from dp.frontend.values import (
    ComplexValue,
    Const,
    DictValue,
    ListValue,
    RecordValue,
    Scalar,
    StaticConst,
    TupleValue,
    describe,
    is_array,
    is_number,
    mlir_type,
)

_PYTHON_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
    ast.BitAnd: operator.and_,
    ast.BitOr: operator.or_,
    ast.BitXor: operator.xor,
    ast.LShift: operator.lshift,
    ast.RShift: operator.rshift,
}

SYMBOLS: dict[type[ast.AST], str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.MatMult: "@",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}


def _fold(fn: Callable[..., Any], *operands: Const) -> Const | None:
    """Evaluates an operation on constants in Python; None if Python raises."""
    try:
        value = fn(*(c.value for c in operands))
    except (ArithmeticError, ValueError, TypeError):
        return None
    # A number computed from a static argument is static too: `d - 1` stays constant in the callees it reaches.
    static = any(isinstance(c, StaticConst) for c in operands) and pytree.scalar_kind(value) is not None
    return StaticConst(value) if static else Const(value)


def binary(op: type[ast.operator], lhs: Any, rhs: Any) -> Any:
    """`lhs op rhs` for two numbers, or for sequences where Python allows it (numpy semantics for arrays)."""
    if isinstance(lhs, ComplexValue) or isinstance(rhs, ComplexValue):
        from dp.frontend import complex_numbers

        return complex_numbers.binary(op, lhs, rhs)
    if is_array(lhs) or is_array(rhs):
        from dp.frontend import tensors

        return tensors.binary(op, lhs, rhs)
    if isinstance(lhs, Const) and isinstance(rhs, Const) and op in _PYTHON_BINARY:
        folded = _fold(_PYTHON_BINARY[op], lhs, rhs)
        if folded is not None and (is_number(folded) or isinstance(folded.value, str)):
            return folded
    if not (is_number(lhs) and is_number(rhs)):
        return _sequence_binary(op, lhs, rhs)
    kind = wider(wider(lhs.kind, rhs.kind), int)
    if op is ast.Div:
        return _float_binary(arith.divf, lhs, rhs)
    if op is ast.Pow:
        return power(lhs, rhs)
    if op in (ast.BitAnd, ast.BitOr, ast.BitXor):
        return _bitwise(op, lhs, rhs)
    if op in (ast.LShift, ast.RShift):
        if kind is float:
            raise TypeMismatchError(f"unsupported operand types for {SYMBOLS[op]}: float")
        a, b = as_scalar(convert(lhs, int)), as_scalar(convert(rhs, int))
        fn = checks.shl if op is ast.LShift else checks.shr
        return Scalar(fn(a.value, b.value), int)
    if op not in (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Mod):
        raise UnsupportedSyntaxError(f"the operator {SYMBOLS.get(op, op.__name__)} is not supported")
    a, b = as_scalar(convert(lhs, kind)), as_scalar(convert(rhs, kind))
    if kind is float:
        if op is ast.FloorDiv:
            return floordiv_float(a, b)
        if op is ast.Mod:
            return mod_float(a, b)
        fn = {ast.Add: arith.addf, ast.Sub: arith.subf, ast.Mult: arith.mulf}[op]
        return Scalar(fn(a.value, b.value), float)
    if op is ast.FloorDiv:
        checks.quotient(a.value, b.value, "//")
        return floordiv_int(a, b, "//")[0]
    if op is ast.Mod:
        return floordiv_int(a, b, "%")[1]
    fn = {ast.Add: checks.add, ast.Sub: checks.sub, ast.Mult: checks.mul}[op]
    return Scalar(fn(a.value, b.value), int)


def _float_binary(fn: Callable, lhs: Any, rhs: Any) -> Scalar:
    a, b = as_scalar(scalars.to_float(lhs)), as_scalar(scalars.to_float(rhs))
    return Scalar(fn(a.value, b.value), float)


def _bitwise(op: type[ast.operator], lhs: Any, rhs: Any) -> Scalar:
    if lhs.kind is float or rhs.kind is float:
        raise TypeMismatchError(f"unsupported operand types for {SYMBOLS[op]}: float")
    kind = bool if lhs.kind is bool and rhs.kind is bool else int
    a, b = as_scalar(convert(lhs, kind)), as_scalar(convert(rhs, kind))
    fn = {ast.BitAnd: arith.andi, ast.BitOr: arith.ori, ast.BitXor: arith.xori}[op]
    return Scalar(fn(a.value, b.value), kind)


def _sequence_binary(op: type[ast.operator], lhs: Any, rhs: Any) -> Any:
    """Concatenation and repetition of tuples and lists (structure known at compile time)."""
    if op is ast.Add and type(lhs) is type(rhs) and isinstance(lhs, (TupleValue, ListValue)):
        items = lhs.items + rhs.items
        return TupleValue(items) if isinstance(lhs, TupleValue) else ListValue(items)
    if op is ast.Mult:
        for seq, count in ((lhs, rhs), (rhs, lhs)):
            if isinstance(seq, (TupleValue, ListValue)) and isinstance(count, Const) and count.kind is int:
                items = seq.items * max(count.value, 0)
                return TupleValue(items) if isinstance(seq, TupleValue) else ListValue(items)
    raise TypeMismatchError(
        f"unsupported operand types for {SYMBOLS.get(op, op.__name__)}: {describe(lhs)} and {describe(rhs)}"
    )


def floordiv_int(a: Scalar, b: Scalar, symbol: str) -> tuple[Scalar, Scalar]:
    """Python's `a // b` and `a % b` for i64 (floor rounding).

    A zero divisor raises DivisionByZeroError after the call, as Python
    raises ZeroDivisionError; the caller checks INT64_MIN // -1 where it uses
    the quotient. The hardware division traps on both, so the divisor is made
    safe first.
    """
    checks.divisor(b.value, symbol)
    zero, one, minus_one = constant(0), constant(1), constant(-1)
    is_zero = arith.cmpi(arith.CmpIPredicate.eq, b.value, zero.value)
    is_minus_one = arith.cmpi(arith.CmpIPredicate.eq, b.value, minus_one.value)
    unsafe = arith.ori(is_zero, is_minus_one)
    divisor = arith.select(unsafe, one.value, b.value)
    quotient = arith.divsi(a.value, divisor)
    negated = arith.subi(zero.value, a.value)
    quotient = arith.select(is_minus_one, negated, quotient)
    remainder = arith.subi(a.value, arith.muli(quotient, b.value))
    # Truncation rounds toward zero; floor differs when the remainder's sign differs from the divisor's.
    nonzero = arith.cmpi(arith.CmpIPredicate.ne, remainder, zero.value)
    signs_differ = arith.cmpi(arith.CmpIPredicate.slt, arith.xori(remainder, b.value), zero.value)
    adjust = arith.andi(nonzero, signs_differ)
    quotient = arith.select(adjust, arith.subi(quotient, one.value), quotient)
    remainder = arith.select(adjust, arith.addi(remainder, b.value), remainder)
    return Scalar(quotient, int), Scalar(remainder, int)


def _float_divmod(a: Scalar, b: Scalar) -> tuple[Scalar, Scalar]:
    """CPython's float divmod (Objects/floatobject.c), which `//` and `%` use."""
    zero = constant(0.0)
    one = constant(1.0)
    half = constant(0.5)
    mod = Scalar(arith.remf(a.value, b.value), float)
    div = arith.divf(arith.subf(a.value, mod.value), b.value)
    mod_nonzero = arith.cmpf(arith.CmpFPredicate.UNE, mod.value, zero.value)
    b_negative = arith.cmpf(arith.CmpFPredicate.OLT, b.value, zero.value)
    mod_negative = arith.cmpf(arith.CmpFPredicate.OLT, mod.value, zero.value)
    fix = arith.andi(mod_nonzero, arith.xori(b_negative, mod_negative))
    mod_fixed = arith.select(fix, arith.addf(mod.value, b.value), mod.value)
    div = arith.select(fix, arith.subf(div, one.value), div)
    signed_zero_mod = scalars.copysign(zero, b).value
    mod_final = arith.select(mod_nonzero, mod_fixed, signed_zero_mod)
    floor_div = math.floor(div)
    round_up = arith.cmpf(arith.CmpFPredicate.OGT, arith.subf(div, floor_div), half.value)
    floor_div = arith.select(round_up, arith.addf(floor_div, one.value), floor_div)
    div_nonzero = arith.cmpf(arith.CmpFPredicate.UNE, div, zero.value)
    quotient_sign = Scalar(arith.divf(a.value, b.value), float)
    signed_zero_div = scalars.copysign(zero, quotient_sign).value
    result = arith.select(div_nonzero, floor_div, signed_zero_div)
    return Scalar(result, float), Scalar(mod_final, float)


def floordiv_float(a: Scalar, b: Scalar) -> Scalar:
    """Python's `a // b` for floats."""
    return _float_divmod(a, b)[0]


def mod_float(a: Scalar, b: Scalar) -> Scalar:
    """Python's `a % b` for floats (the result has the divisor's sign)."""
    return _float_divmod(a, b)[1]


def power(base: Any, exponent: Any) -> Any:
    """`base ** exponent`.

    A float on either side gives `math.powf` on floats, as CPython computes
    it. Ints give an int by exponentiation by squaring, unrolled for a
    constant exponent; a negative constant exponent gives a float like
    Python; a negative runtime exponent raises (Python's result would be a
    float) and a result beyond 64 bits overflows.
    """
    if base.kind is float or exponent.kind is float:
        return _float_binary(math.powf, base, exponent)
    if isinstance(exponent, Const):
        if exponent.value < 0:
            return _float_binary(math.powf, base, exponent)
        return _int_power_constant(as_scalar(convert(base, int)), int(exponent.value))
    return _int_power_loop(as_scalar(convert(base, int)), as_scalar(convert(exponent, int)))


def _int_power_constant(base: Scalar, exponent: int) -> Scalar:
    result: Scalar | None = None
    square = base
    while exponent:
        if exponent & 1:
            result = square if result is None else Scalar(checks.mul(result.value, square.value, "**"), int)
        exponent >>= 1
        if exponent:
            square = Scalar(checks.mul(square.value, square.value, "**"), int)
    return result if result is not None else constant(1)


def _int_power_loop(base: Scalar, exponent: Scalar) -> Scalar:
    """Exponentiation by squaring in an scf.while carrying (result, square, exponent)."""
    checks.exponent(exponent.value)
    i64 = mlir_type(int)
    zero, one = constant(0), constant(1)
    loop = scf.WhileOp([i64, i64, i64], [one.value, base.value, exponent.value])
    before = loop.before.blocks.append(i64, i64, i64)
    after = loop.after.blocks.append(i64, i64, i64)
    with ir.InsertionPoint(before):
        positive = arith.cmpi(arith.CmpIPredicate.sgt, before.arguments[2], zero.value)
        scf.ConditionOp(positive, list(before.arguments))
    with ir.InsertionPoint(after):
        result, square, remaining = after.arguments
        odd = arith.cmpi(arith.CmpIPredicate.ne, arith.andi(remaining, one.value), zero.value)
        result = arith.select(odd, checks.mul(result, square, "**", needed=odd), result)
        remaining = arith.shrsi(remaining, one.value)
        # The last square is computed but never used: it may overflow.
        more = arith.cmpi(arith.CmpIPredicate.sgt, remaining, zero.value)
        square = checks.mul(square, square, "**", needed=more)
        scf.YieldOp([result, square, remaining])
    return Scalar(loop.results[0], int)


def negate(value: Any) -> Any:
    """`-value`."""
    if isinstance(value, ComplexValue):
        from dp.frontend import complex_numbers

        return complex_numbers.negate(value)
    if is_array(value):
        from dp.frontend import tensors

        return tensors.negate(value)
    if isinstance(value, Const):
        folded = _fold(operator.neg, value)
        if folded is not None:
            return folded
    if not is_number(value):
        raise TypeMismatchError(f"bad operand type for unary -: {describe(value)}")
    if value.kind is float:
        return Scalar(arith.negf(value.value), float)
    operand = as_scalar(convert(value, int))
    return Scalar(checks.neg(operand.value), int)


def positive(value: Any) -> Any:
    """`+value` (bools become ints)."""
    if isinstance(value, ComplexValue):
        return value
    if is_array(value):
        from dp.frontend import tensors

        return tensors.operand(value)
    if not is_number(value):
        raise TypeMismatchError(f"bad operand type for unary +: {describe(value)}")
    return convert(value, wider(value.kind, int))


def invert(value: Any) -> Any:
    """`~value` for ints (and int and bool arrays)."""
    if is_array(value):
        from dp.frontend import tensors

        return tensors.invert(value)
    if not is_number(value) or value.kind is float:
        raise TypeMismatchError(f"bad operand type for unary ~: {describe(value)}")
    if isinstance(value, Const):
        return Const(~value.value)
    operand = as_scalar(convert(value, int))
    return Scalar(arith.xori(operand.value, constant(-1).value), int)


_PYTHON_COMPARE = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}


def compare(op: type[ast.cmpop], lhs: Any, rhs: Any) -> Any:
    """`lhs op rhs` as a bool (i1 or constant); elementwise, a bool array, for arrays."""
    if op in scalars.FLOAT_PREDICATES and (isinstance(lhs, ComplexValue) or isinstance(rhs, ComplexValue)):
        from dp.frontend import complex_numbers

        return complex_numbers.compare(op, lhs, rhs)
    if op in scalars.FLOAT_PREDICATES and (is_array(lhs) or is_array(rhs)):
        from dp.frontend import tensors

        return tensors.compare(op, lhs, rhs)
    if isinstance(lhs, Const) and isinstance(rhs, Const):
        folded = _fold(_PYTHON_COMPARE[op], lhs, rhs)
        if folded is not None:
            return Const(bool(folded.value))
    if op in (ast.Is, ast.IsNot):
        return _identity(op, lhs, rhs)
    if op in (ast.In, ast.NotIn):
        found = _contains(rhs, lhs)
        return found if op is ast.In else scalars.logical_not(found)
    if is_number(lhs) and is_number(rhs):
        return _compare_numbers(op, lhs, rhs)
    if op in (ast.Eq, ast.NotEq):
        equal = _structural_equal(lhs, rhs)
        return equal if op is ast.Eq else scalars.logical_not(equal)
    raise TypeMismatchError(f"'{SYMBOLS[op]}' is not supported between {describe(lhs)} and {describe(rhs)}")


def _compare_numbers(op: type[ast.cmpop], lhs: Any, rhs: Any) -> Scalar:
    kind = wider(lhs.kind, rhs.kind)
    if kind is bool and op not in (ast.Eq, ast.NotEq):
        kind = int
    a, b = as_scalar(convert(lhs, kind)), as_scalar(convert(rhs, kind))
    if kind is float:
        return Scalar(arith.cmpf(scalars.FLOAT_PREDICATES[op], a.value, b.value), bool)
    return Scalar(arith.cmpi(scalars.INT_PREDICATES[op], a.value, b.value), bool)


def _identity(op: type[ast.cmpop], lhs: Any, rhs: Any) -> Const:
    """`is` is decided at compile time: a dynamic number is never None or a constant object."""
    if is_number(lhs) and is_number(rhs):
        raise TypeMismatchError("'is' between numbers is not supported: use '=='")
    if isinstance(lhs, Const) and isinstance(rhs, Const):
        same = lhs.value is rhs.value
    else:
        ident = getattr(lhs, "ident", None)
        same = lhs is rhs or (ident is not None and ident == getattr(rhs, "ident", None))
    return Const(same if op is ast.Is else not same)


def _contains(container: Any, item: Any) -> Any:
    if isinstance(container, DictValue):
        keys = [Const(key) for key in container.keys]
        return scalars.any_of([compare(ast.Eq, item, key) for key in keys])
    if isinstance(container, (TupleValue, ListValue, RecordValue)):
        return scalars.any_of([compare(ast.Eq, item, element) for element in container.items])
    if isinstance(container, Const) and isinstance(container.value, str) and isinstance(item, Const):
        return Const(item.value in container.value)
    if isinstance(container, Const) and isinstance(container.value, frozenset):
        return scalars.any_of([compare(ast.Eq, item, Const(element)) for element in container.value])
    raise TypeMismatchError(f"'in' is not supported for {describe(container)}")


def _structural_equal(lhs: Any, rhs: Any) -> Any:
    """Tuples, lists and records compare item by item; different structures are unequal."""
    if (
        type(lhs) is not type(rhs)
        or not hasattr(lhs, "items")
        or isinstance(lhs, DictValue) != isinstance(rhs, DictValue)
    ):
        return Const(False)
    if isinstance(lhs, DictValue) and lhs.keys != rhs.keys:
        return Const(False)
    if isinstance(lhs, RecordValue) and lhs.cls is not rhs.cls:
        return Const(False)
    if len(lhs.items) != len(rhs.items):
        return Const(False)
    result: Any = Const(True)
    for a, b in zip(lhs.items, rhs.items):
        result = scalars.logical("and", result, compare(ast.Eq, a, b))
    return result
