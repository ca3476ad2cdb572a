"""Scalar building blocks: constants, conversions, selects and truth values.

Every function builds at the current insertion point and location (the
importer sets both from the AST node being visited).
"""

from __future__ import annotations

import ast
from typing import Any

from mlir import ir
from mlir.dialects import arith, math, scf

from dp.dialects import dp as dpd

from dp.errors import TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import checks
from dp.frontend.values import (
    ComplexValue,
    Const,
    DictValue,
    ListValue,
    RecordValue,
    Scalar,
    TupleValue,
    describe,
    mlir_type,
)


# Python comparison operators as arith predicates (floats: ordered, except
# != which is true for NaN, as in Python).
FLOAT_PREDICATES = {
    ast.Eq: arith.CmpFPredicate.OEQ,
    ast.NotEq: arith.CmpFPredicate.UNE,
    ast.Lt: arith.CmpFPredicate.OLT,
    ast.LtE: arith.CmpFPredicate.OLE,
    ast.Gt: arith.CmpFPredicate.OGT,
    ast.GtE: arith.CmpFPredicate.OGE,
}
INT_PREDICATES = {
    ast.Eq: arith.CmpIPredicate.eq,
    ast.NotEq: arith.CmpIPredicate.ne,
    ast.Lt: arith.CmpIPredicate.slt,
    ast.LtE: arith.CmpIPredicate.sle,
    ast.Gt: arith.CmpIPredicate.sgt,
    ast.GtE: arith.CmpIPredicate.sge,
}


INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
_RANK = {bool: 0, int: 1, float: 2}


def constant(value: bool | int | float) -> Scalar:
    """An arith.constant of a Python number."""
    kind = bool if isinstance(value, bool) else int if isinstance(value, int) else float
    type_ = mlir_type(kind)
    if kind is float:
        attr = ir.FloatAttr.get(type_, float(value))
    else:
        if not INT64_MIN <= value <= INT64_MAX:
            raise TypeMismatchError(f"integer {value} does not fit in 64 bits")
        attr = ir.IntegerAttr.get(type_, int(value))
    return Scalar(arith.ConstantOp(type_, attr).result, kind)


def as_scalar(value: Any, what: str = "this operand") -> Scalar:
    """A dynamic scalar for a number, materializing constants; raises for non-numbers."""
    if isinstance(value, Scalar):
        return value
    if isinstance(value, Const) and value.kind is not None:
        return constant(value.value)
    raise TypeMismatchError(f"{what} must be a number, not {describe(value)}")


def wider(a: type, b: type) -> type:
    """The common Python type of two scalar types (bool < int < float)."""
    return a if _RANK[a] >= _RANK[b] else b


def convert(value: Any, kind: type) -> Scalar | Const:
    """A number converted to `kind` the way Python promotes it (never narrowing)."""
    if isinstance(value, Const):
        return Const(kind(value.value))
    if value.kind is kind:
        return value
    if kind is float:
        if value.kind is bool:
            return Scalar(arith.uitofp(mlir_type(float), value.value), float)
        return Scalar(arith.sitofp(mlir_type(float), value.value), float)
    if kind is int and value.kind is bool:
        return Scalar(arith.extui(mlir_type(int), value.value), int)
    raise TypeMismatchError(f"cannot convert {value.kind.__name__} to {kind.__name__} implicitly")


def to_float(value: Any) -> Scalar | Const:
    """float(value) for a number."""
    return convert(value, float)


def to_int(value: Any) -> Scalar | Const:
    """int(value): floats truncate toward zero, bools become 0 or 1."""
    if isinstance(value, Const):
        return Const(int(value.value))
    if value.kind is float:
        return Scalar(checks.float_to_int(value.value), int)
    return convert(value, int)


def select(cond: Any, if_true: Any, if_false: Any) -> Any:
    """arith.select of two numbers of the same type (constants fold)."""
    if isinstance(cond, Const):
        return if_true if cond.value else if_false
    if isinstance(if_true, Const) and isinstance(if_false, Const) and _same_const(if_true, if_false):
        return if_true
    kind = if_true.kind
    a, b = as_scalar(if_true), as_scalar(if_false)
    return Scalar(arith.select(cond.value, a.value, b.value), kind)


def _same_const(a: Const, b: Const) -> bool:
    return type(a.value) is type(b.value) and repr(a.value) == repr(b.value)


def truth(value: Any) -> Scalar | Const:
    """Python truthiness as an i1 (or a constant when known at compile time)."""
    if isinstance(value, Const):
        return Const(bool(value.value))
    if isinstance(value, Scalar):
        if value.kind is bool:
            return value
        if value.kind is int:
            zero = constant(0)
            return Scalar(arith.cmpi(arith.CmpIPredicate.ne, value.value, zero.value), bool)
        zero = constant(0.0)
        return Scalar(arith.cmpf(arith.CmpFPredicate.UNE, value.value, zero.value), bool)
    if isinstance(value, ComplexValue):
        from dp.frontend import complex_numbers

        return complex_numbers.truth(value)
    if isinstance(value, (TupleValue, ListValue, DictValue)):
        return Const(len(value.items) > 0)
    from dp.frontend.values import is_array

    if is_array(value):
        from dp.frontend import tensors

        operand = tensors.operand(value)
        if isinstance(operand, (Scalar, Const)):
            return truth(operand)
        if operand.spec.size != 1:
            raise TypeMismatchError(
                f"the truth value of an array with more than one element (shape {operand.shape}) is ambiguous; "
                "use np.any() or np.all()"
            )
        return truth(tensors.operand(tensors.reshape(operand, ())))
    if isinstance(value, RecordValue):
        return Const(len(value.items) > 0 if value.is_namedtuple else True)
    raise UnsupportedSyntaxError(f"the truth value of {describe(value)} is not supported")


def logical_not(value: Any) -> Scalar | Const:
    """`not value`."""
    cond = truth(value)
    if isinstance(cond, Const):
        return Const(not cond.value)
    true = constant(True)
    return Scalar(arith.xori(cond.value, true.value), bool)


def logical(op: str, a: Any, b: Any) -> Scalar | Const:
    """`and`/`or` of two booleans (i1 or constants)."""
    if isinstance(a, Const) and isinstance(b, Const):
        return Const(a.value and b.value if op == "and" else a.value or b.value)
    for known, other in ((a, b), (b, a)):
        if isinstance(known, Const):
            if op == "and":
                return other if known.value else Const(False)
            return Const(True) if known.value else other
    fn = arith.andi if op == "and" else arith.ori
    return Scalar(fn(a.value, b.value), bool)


def any_of(flags: list[Any]) -> Scalar | Const:
    """The `or` of several booleans."""
    result: Any = Const(False)
    for flag in flags:
        result = logical("or", result, flag)
    return result


def signbit(value: Scalar) -> Scalar:
    """Whether the sign bit of an f64 is set (true for -0.0 and negative NaNs).

    The bits carry no derivative, which dp-autodiff must be told: an int
    made from a float's bits ends its derivative only by a stop_gradient.
    """
    i64 = mlir_type(int)
    bits = arith.bitcast(i64, dpd.stop_gradient(value.value))
    zero = constant(0)
    return Scalar(arith.cmpi(arith.CmpIPredicate.slt, bits, zero.value), bool)


def copysign(magnitude: Scalar, sign: Scalar) -> Scalar:
    """copysign(x, y) for f64: |x| with the sign bit of y."""
    absolute = math.absf(magnitude.value)
    negated = arith.negf(absolute)
    return Scalar(arith.select(signbit(sign).value, negated, absolute), float)


def abs_int(value: Scalar) -> Scalar:
    """|n| for i64 (the most negative value overflows)."""
    zero = constant(0)
    negative = arith.cmpi(arith.CmpIPredicate.slt, value.value, zero.value)
    negated = checks.neg(value.value, "abs()")
    return Scalar(arith.select(negative, negated, value.value), int)


def if_op(cond: Scalar, result_types: list[ir.Type]) -> scf.IfOp:
    """An scf.if with both regions, at the current insertion point."""
    return scf.IfOp(cond.value, result_types, has_else=True)
