"""Complex numbers and arrays: Python `complex`, `1j`, `cmath`, and the arithmetic and elementary functions on them.

A complex value is a `ComplexValue` of two real parts (float numbers, or float arrays of one dtype and shape;
complex128 has float64 parts, complex64 float32 ones), and every operation is written in real arithmetic on
the parts. The IR therefore holds only real ops, so each derivative rule, the tapes, loops, branches, calls and
nested derivatives apply unchanged, in both modes, and the derivative of a real function of complex
intermediates is exact. At the boundary, a complex argument is two float leaves (dp.frontend.pytree); the
transforms map the derivatives of those leaves to JAX's convention (a gradient df/dx - i df/dy).

Where a formula has a removable singularity (sqrt at 0), a select keeps the value finite; branch cuts are
numpy's (principal values).
"""

from __future__ import annotations

import ast
import cmath
import math
from typing import Any, Callable

import numpy as np

from dp.errors import TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import operators, scalars, tensors
from dp.frontend.values import (
    Array,
    ComplexValue,
    Const,
    ListValue,
    Scalar,
    TupleValue,
    complex_constant,
    children,
    describe,
    is_array,
    is_const_array,
    is_number,
    leaf_kind,
    with_items,
)

Handler = Callable[[list[Any], dict[str, Any]], Any]


# -- values ----------------------------------------------------------------------------------------------------------


def is_complex(value: Any) -> bool:
    return isinstance(value, ComplexValue)


def involves(*values: Any) -> bool:
    """Whether any of the values (or an item of a tuple or list among them) is complex."""
    for value in values:
        if isinstance(value, ComplexValue):
            return True
        if isinstance(value, (TupleValue, ListValue)) and involves(*value.items):
            return True
    return False


def constant(value: complex) -> ComplexValue:
    """A complex literal (`2j`) or compile-time complex value."""
    return complex_constant(value)


def _is_real(value: Any) -> bool:
    return is_number(value) or is_array(value)


def _float_part(value: Any, what: str) -> Any:
    """A real number or array as a float part (ints and bools convert, as numpy promotes them)."""
    if is_const_array(value):
        data = value.value
        return value if data.dtype.kind == "f" else Const(data.astype(np.float64))
    if isinstance(value, Array):
        return value if value.dtype in ("float64", "float32") else tensors.cast(value, "float64")
    if isinstance(value, Const) and value.kind is not None:
        return Const(float(value.value))
    if isinstance(value, Scalar):
        return scalars.as_scalar(scalars.to_float(value))
    raise TypeMismatchError(f"{what} must be a number or an array, not {describe(value)}")


def _shape(part: Any) -> tuple[int, ...]:
    return leaf_kind(part).shape if is_array(part) else ()


def _dtype(part: Any) -> str | None:
    return leaf_kind(part).dtype if is_array(part) else None


def make(real: Any, imag: Any) -> ComplexValue:
    """The complex value real + i imag, its parts promoted to one float dtype and broadcast to one shape."""
    real, imag = _float_part(real, "the real part"), _float_part(imag, "the imaginary part")
    if not is_array(real) and not is_array(imag):
        return ComplexValue((real, imag))
    dtypes = {_dtype(real), _dtype(imag)} - {None}
    dtype = "float64" if "float64" in dtypes else "float32"
    shape = tensors.broadcast_shapes(_shape(real), _shape(imag))
    return ComplexValue(tuple(_fit(part, dtype, shape) for part in (real, imag)))


def _fit(part: Any, dtype: str, shape: tuple[int, ...]) -> Any:
    if is_const_array(part) or isinstance(part, Const):
        data = np.asarray(part.value)
        if data.shape == shape and data.dtype == np.dtype(dtype):
            return part
        return Const(np.ascontiguousarray(np.broadcast_to(data.astype(dtype), shape)))
    if isinstance(part, Array) and part.shape == shape and part.dtype == dtype:
        return part
    return tensors.broadcast_to(part, dtype, shape)


def lift(value: Any, what: str = "this operand") -> ComplexValue:
    """A complex value for a complex or real operand (real values get a zero imaginary part)."""
    if isinstance(value, ComplexValue):
        return value
    return make(value, Const(0.0) if not is_array(value) else _zeros_like(_float_part(value, what)))


def _zeros_like(part: Any) -> Const:
    spec = leaf_kind(part)
    return Const(np.zeros(spec.shape, spec.dtype))


# -- arithmetic on parts (real numbers and arrays), folding the zeros of real operands ---------------------------------


def _is_zero(part: Any) -> bool:
    return isinstance(part, Const) and not is_const_array(part) and part.value == 0


def _is_one(part: Any) -> bool:
    return isinstance(part, Const) and not is_const_array(part) and part.value == 1


def add(a: Any, b: Any) -> Any:
    if _is_zero(a):
        return b
    if _is_zero(b):
        return a
    return operators.binary(ast.Add, a, b)


def sub(a: Any, b: Any) -> Any:
    if _is_zero(b):
        return a
    if _is_zero(a):
        return neg(b)
    return operators.binary(ast.Sub, a, b)


def mul(a: Any, b: Any) -> Any:
    if _is_one(a):
        return b
    if _is_one(b):
        return a
    if (_is_zero(a) and not is_array(b)) or (_is_zero(b) and not is_array(a)):
        return Const(0.0)
    return operators.binary(ast.Mult, a, b)


def div(a: Any, b: Any) -> Any:
    if _is_one(b):
        return a
    return operators.binary(ast.Div, a, b)


def neg(a: Any) -> Any:
    if isinstance(a, Const) and not is_const_array(a):
        return Const(-a.value)
    return operators.negate(a)


def call_real(function: Any, *parts: Any) -> Any:
    """A numpy function dp compiles applied to real parts (numbers or arrays)."""
    from dp.frontend.numpy_functions import NUMPY_FUNCTIONS

    args = [tensors.materialize(part) if is_const_array(part) else part for part in parts]
    return NUMPY_FUNCTIONS[function](args, {})


def _hypot(a: Any, b: Any) -> Any:
    if _is_zero(b):
        return call_real(np.abs, a)
    return call_real(np.hypot, a, b)


def _where(cond: Any, if_true: Any, if_false: Any) -> Any:
    return call_real(np.where, cond, if_true, if_false)


def _less(a: Any, b: Any) -> Any:
    return operators.compare(ast.Lt, a, b)


def _equal(a: Any, b: Any) -> Any:
    return operators.compare(ast.Eq, a, b)


# -- operators ----------------------------------------------------------------------------------------------------------


def binary(op: type[ast.operator], lhs: Any, rhs: Any) -> Any:
    """`lhs op rhs` where an operand is complex (the other complex or real, numbers or arrays)."""
    symbol = operators.SYMBOLS.get(op, op.__name__)
    for operand in (lhs, rhs):
        if not isinstance(operand, ComplexValue) and not _is_real(operand):
            raise TypeMismatchError(f"unsupported operand types for {symbol}: {describe(lhs)} and {describe(rhs)}")
    if op is ast.Add:
        return _add_sub(lhs, rhs, add)
    if op is ast.Sub:
        return _add_sub(lhs, rhs, sub)
    if op is ast.Mult:
        return multiply(lhs, rhs)
    if op is ast.Div:
        return divide(lhs, rhs)
    if op is ast.Pow:
        return power(lhs, rhs)
    if op is ast.MatMult:
        return bilinear(lambda a, b: tensors.matmul(a, b), lhs, rhs)
    raise TypeMismatchError(
        f"unsupported operand types for {symbol}: {describe(lhs)} and {describe(rhs)} (Python and numpy define "
        f"{symbol} for real numbers only)"
    )


def _add_sub(lhs: Any, rhs: Any, combine: Callable[[Any, Any], Any]) -> ComplexValue:
    if not isinstance(lhs, ComplexValue):
        return make(combine(lhs, rhs.real), combine(Const(0.0), rhs.imag))
    if not isinstance(rhs, ComplexValue):
        return make(combine(lhs.real, rhs), lhs.imag)
    return make(combine(lhs.real, rhs.real), combine(lhs.imag, rhs.imag))


def multiply(lhs: Any, rhs: Any) -> ComplexValue:
    """(a + ib)(c + id) = (ac - bd) + i(ad + bc); a real factor scales both parts."""
    if not isinstance(lhs, ComplexValue):
        return make(mul(lhs, rhs.real), mul(lhs, rhs.imag))
    if not isinstance(rhs, ComplexValue):
        return make(mul(lhs.real, rhs), mul(lhs.imag, rhs))
    a, b, c, d = lhs.real, lhs.imag, rhs.real, rhs.imag
    return make(sub(mul(a, c), mul(b, d)), add(mul(a, d), mul(b, c)))


def divide(lhs: Any, rhs: Any) -> ComplexValue:
    """(a + ib) / (c + id) = ((ac + bd) + i(bc - ad)) / (c^2 + d^2)."""
    if not isinstance(rhs, ComplexValue):
        return make(div(lhs.real, rhs), div(lhs.imag, rhs))
    lhs = lift(lhs)
    a, b, c, d = lhs.real, lhs.imag, rhs.real, rhs.imag
    norm = add(mul(c, c), mul(d, d))
    return make(div(add(mul(a, c), mul(b, d)), norm), div(sub(mul(b, c), mul(a, d)), norm))


def negate(value: ComplexValue) -> ComplexValue:
    return make(neg(value.real), neg(value.imag))


def conjugate(value: Any) -> Any:
    """conj(z); a real value is its own conjugate."""
    if not isinstance(value, ComplexValue):
        return value
    return make(value.real, neg(value.imag))


def conjugate_tree(value: Any) -> Any:
    """`value` with every complex value in it conjugated (None parts, of inactive leaves, stay None).

    Derivative requests in compiled code take and give derivatives of the two real leaves of a complex value;
    JAX's convention (a gradient df/dx - i df/dy, a cotangent c seeding (Re c, -Im c)) is this map at both ends.
    """
    if isinstance(value, ComplexValue):
        real, imag = value.items
        return ComplexValue((real, imag if isinstance(imag, Const) and imag.value is None else neg(imag)))
    items = children(value)
    if not items:
        return value
    return with_items(value, tuple(conjugate_tree(item) for item in items))


def power(base: Any, exponent: Any) -> ComplexValue:
    """z ** w: repeated multiplication for a compile-time integer w (exact, as Python and numpy), else exp(w log z)."""
    if isinstance(exponent, Const) and not is_const_array(exponent) and exponent.kind is not None:
        n = exponent.value
        if float(n).is_integer() and abs(n) <= 64:
            return _integer_power(lift(base), int(n))
    return exp(multiply(exponent, log(lift(base))))


def _integer_power(z: ComplexValue, n: int) -> ComplexValue:
    if n < 0:
        return divide(Const(1.0), _integer_power(z, -n))
    result: ComplexValue | None = None
    square = z
    while n:
        if n & 1:
            result = square if result is None else multiply(result, square)
        n >>= 1
        if n:
            square = multiply(square, square)
    return result if result is not None else make(_ones_like(z.real), Const(0.0))


def _ones_like(part: Any) -> Any:
    if not is_array(part):
        return Const(1.0)
    spec = leaf_kind(part)
    return Const(np.ones(spec.shape, spec.dtype))


def compare(op: type[ast.cmpop], lhs: Any, rhs: Any) -> Any:
    """== and != of complex values (elementwise for arrays); Python and numpy order no complex numbers."""
    if op not in (ast.Eq, ast.NotEq):
        symbol = operators.SYMBOLS.get(op, op.__name__)
        raise TypeMismatchError(
            f"'{symbol}' is not supported between {describe(lhs)} and {describe(rhs)}: complex numbers are not "
            "ordered (compare abs(z) or z.real)"
        )
    for operand in (lhs, rhs):
        if not isinstance(operand, ComplexValue) and not _is_real(operand):
            return Const(op is ast.NotEq)
    a, b = lift(lhs), lift(rhs)
    both = _logical("and", _equal(a.real, b.real), _equal(a.imag, b.imag))
    return both if op is ast.Eq else _logical_not(both)


def _logical(kind: str, a: Any, b: Any) -> Any:
    if is_array(a) or is_array(b):
        return call_real(np.logical_and if kind == "and" else np.logical_or, a, b)
    return scalars.logical(kind, a, b)


def _logical_not(a: Any) -> Any:
    if is_array(a):
        return call_real(np.logical_not, a)
    return scalars.logical_not(a)


def truth(value: ComplexValue) -> Any:
    """bool(z): z != 0 (arrays of more than one element are ambiguous, as for real arrays)."""
    if is_array(value.real):
        if leaf_kind(value.real).size != 1:
            raise TypeMismatchError(
                f"the truth value of an array with more than one element (shape {leaf_kind(value.real).shape}) "
                "is ambiguous; use np.any() or np.all()"
            )
    nonzero = compare(ast.NotEq, value, Const(0.0))
    return scalars.truth(nonzero)


def bilinear(product: Callable[[Any, Any], Any], lhs: Any, rhs: Any) -> Any:
    """A product that is bilinear in its operands (matmul, dot, outer, ...), expanded over the parts."""
    if not isinstance(lhs, ComplexValue):
        return make(product(lhs, rhs.real), product(lhs, rhs.imag))
    if not isinstance(rhs, ComplexValue):
        return make(product(lhs.real, rhs), product(lhs.imag, rhs))
    a, b, c, d = lhs.real, lhs.imag, rhs.real, rhs.imag
    return make(sub(product(a, c), product(b, d)), add(product(a, d), product(b, c)))


# -- elementary functions ---------------------------------------------------------------------------------------


def absolute(value: Any) -> Any:
    """|z| = hypot(re, im), a real value."""
    if not isinstance(value, ComplexValue):
        return call_real(np.abs, value)
    return _hypot(value.real, value.imag)


def angle(value: Any, degrees: bool = False) -> Any:
    """The phase atan2(im, re) in (-pi, pi] (degrees on request), a real value."""
    z = lift(value, "the argument of np.angle")
    phase = call_real(np.arctan2, z.imag, z.real)
    return mul(phase, Const(180.0 / math.pi)) if degrees else phase


def exp(value: Any) -> ComplexValue:
    """e^(a + ib) = e^a (cos b + i sin b)."""
    z = lift(value)
    scale = call_real(np.exp, z.real)
    if _is_zero(z.imag):
        return make(scale, Const(0.0))
    return make(mul(scale, call_real(np.cos, z.imag)), mul(scale, call_real(np.sin, z.imag)))


def expm1(value: Any) -> ComplexValue:
    """e^z - 1, its real part as expm1(a) cos b + (cos b - 1) to keep accuracy where a is small."""
    z = lift(value)
    cos_b = call_real(np.cos, z.imag)
    real = add(mul(call_real(np.expm1, z.real), cos_b), sub(cos_b, Const(1.0)))
    return make(real, mul(call_real(np.exp, z.real), call_real(np.sin, z.imag)))


def log(value: Any) -> ComplexValue:
    """The principal log: log|z| + i arg z."""
    z = lift(value)
    return make(call_real(np.log, _hypot(z.real, z.imag)), call_real(np.arctan2, z.imag, z.real))


def log_base(value: Any, base: float) -> ComplexValue:
    """log(z) / log(base) for a real compile-time base (log10, log2)."""
    return scale(log(value), 1.0 / math.log(base))


def scale(value: ComplexValue, factor: float) -> ComplexValue:
    return make(mul(value.real, Const(factor)), mul(value.imag, Const(factor)))


def sqrt(value: Any) -> ComplexValue:
    """The principal square root, by the stable real formula: t = sqrt((|z| + |a|) / 2), then
    (t, b / 2t) for a >= 0 and (|b| / 2t, t sign b) otherwise; 0 at 0."""
    z = lift(value)
    a, b = z.real, z.imag
    t = call_real(np.sqrt, mul(add(_hypot(a, b), call_real(np.abs, a)), Const(0.5)))
    at_zero = _equal(t, Const(0.0))
    safe = _where(at_zero, Const(1.0), t)
    u = _where(at_zero, Const(0.0), div(b, mul(safe, Const(2.0))))
    nonnegative = operators.compare(ast.GtE, a, Const(0.0))
    signed_t = _where(_less(b, Const(0.0)), neg(t), t)
    return make(_where(nonnegative, t, call_real(np.abs, u)), _where(nonnegative, u, signed_t))


def sin(value: Any) -> ComplexValue:
    """sin(a + ib) = sin a cosh b + i cos a sinh b."""
    z = lift(value)
    a, b = z.real, z.imag
    return make(mul(call_real(np.sin, a), call_real(np.cosh, b)), mul(call_real(np.cos, a), call_real(np.sinh, b)))


def cos(value: Any) -> ComplexValue:
    """cos(a + ib) = cos a cosh b - i sin a sinh b."""
    z = lift(value)
    a, b = z.real, z.imag
    return make(
        mul(call_real(np.cos, a), call_real(np.cosh, b)), neg(mul(call_real(np.sin, a), call_real(np.sinh, b)))
    )


def tan(value: Any) -> ComplexValue:
    """tan(a + ib) = (sin 2a + i sinh 2b) / (cos 2a + cosh 2b)."""
    z = lift(value)
    a2, b2 = mul(z.real, Const(2.0)), mul(z.imag, Const(2.0))
    denominator = add(call_real(np.cos, a2), call_real(np.cosh, b2))
    return make(div(call_real(np.sin, a2), denominator), div(call_real(np.sinh, b2), denominator))


def sinh(value: Any) -> ComplexValue:
    """sinh(a + ib) = sinh a cos b + i cosh a sin b."""
    z = lift(value)
    a, b = z.real, z.imag
    return make(mul(call_real(np.sinh, a), call_real(np.cos, b)), mul(call_real(np.cosh, a), call_real(np.sin, b)))


def cosh(value: Any) -> ComplexValue:
    """cosh(a + ib) = cosh a cos b + i sinh a sin b."""
    z = lift(value)
    a, b = z.real, z.imag
    return make(mul(call_real(np.cosh, a), call_real(np.cos, b)), mul(call_real(np.sinh, a), call_real(np.sin, b)))


def tanh(value: Any) -> ComplexValue:
    """tanh(a + ib) = (sinh 2a + i sin 2b) / (cosh 2a + cos 2b)."""
    z = lift(value)
    a2, b2 = mul(z.real, Const(2.0)), mul(z.imag, Const(2.0))
    denominator = add(call_real(np.cosh, a2), call_real(np.cos, b2))
    return make(div(call_real(np.sinh, a2), denominator), div(call_real(np.sin, b2), denominator))


_I = ComplexValue((Const(0.0), Const(1.0)))


def arcsinh(value: Any) -> ComplexValue:
    """asinh z = log(z + sqrt(z^2 + 1))."""
    z = lift(value)
    return log(binary(ast.Add, z, sqrt(binary(ast.Add, multiply(z, z), Const(1.0)))))


def arccosh(value: Any) -> ComplexValue:
    """acosh z = log(z + sqrt(z + 1) sqrt(z - 1)) (the principal branch)."""
    z = lift(value)
    root = multiply(sqrt(binary(ast.Add, z, Const(1.0))), sqrt(binary(ast.Sub, z, Const(1.0))))
    return log(binary(ast.Add, z, root))


def arctanh(value: Any) -> ComplexValue:
    """atanh z = (log(1 + z) - log(1 - z)) / 2."""
    z = lift(value)
    difference = binary(ast.Sub, log(binary(ast.Add, Const(1.0), z)), log(binary(ast.Sub, Const(1.0), z)))
    return scale(difference, 0.5)


def arcsin(value: Any) -> ComplexValue:
    """asin z = -i asinh(i z)."""
    return multiply(ComplexValue((Const(0.0), Const(-1.0))), arcsinh(multiply(_I, lift(value))))


def arccos(value: Any) -> ComplexValue:
    """acos z = pi/2 - asin z."""
    return binary(ast.Sub, Const(math.pi / 2), arcsin(value))


def arctan(value: Any) -> ComplexValue:
    """atan z = -i atanh(i z)."""
    return multiply(ComplexValue((Const(0.0), Const(-1.0))), arctanh(multiply(_I, lift(value))))


def log1p(value: Any) -> ComplexValue:
    return log(binary(ast.Add, Const(1.0), lift(value)))


def exp2(value: Any) -> ComplexValue:
    return exp(scale(lift(value), math.log(2.0)))


def square(value: ComplexValue) -> ComplexValue:
    return multiply(value, value)


def reciprocal(value: ComplexValue) -> ComplexValue:
    return divide(Const(1.0), value)


# The complex functions by name, shared by cmath and numpy.
ELEMENTARY: dict[str, Callable[[Any], ComplexValue]] = {
    "exp": exp,
    "expm1": expm1,
    "exp2": exp2,
    "log": log,
    "log1p": log1p,
    "log10": lambda z: log_base(z, 10.0),
    "log2": lambda z: log_base(z, 2.0),
    "sqrt": sqrt,
    "sin": sin,
    "cos": cos,
    "tan": tan,
    "sinh": sinh,
    "cosh": cosh,
    "tanh": tanh,
    "arcsin": arcsin,
    "arccos": arccos,
    "arctan": arctan,
    "arcsinh": arcsinh,
    "arccosh": arccosh,
    "arctanh": arctanh,
    "square": square,
    "reciprocal": reciprocal,
}


# -- cmath and the builtins -------------------------------------------------------------------------------------------


def _one_number(name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    if kwargs or len(args) != 1:
        raise TypeMismatchError(f"{name}() takes exactly one positional argument")
    value = args[0]
    if not isinstance(value, ComplexValue) and not is_number(value):
        raise TypeMismatchError(f"{name}() takes a number, not {describe(value)}")
    if is_array(value.real if isinstance(value, ComplexValue) else value):
        raise TypeMismatchError(f"{name}() takes a number, not an array; use the numpy function")
    return value


def _cmath_unary(name: str, function: Callable[[Any], ComplexValue]) -> Handler:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        return function(_one_number(f"cmath.{name}", args, kwargs))

    return lower


def _cmath_log(args: list[Any], kwargs: dict[str, Any]) -> Any:
    if kwargs or not 1 <= len(args) <= 2:
        raise TypeMismatchError("cmath.log() takes a number and an optional base")
    z = log(_one_number("cmath.log", args[:1], {}))
    if len(args) == 1:
        return z
    return divide(z, log(_one_number("cmath.log", args[1:], {})))


def _phase(args: list[Any], kwargs: dict[str, Any]) -> Any:
    return angle(_one_number("cmath.phase", args, kwargs))


def _polar(args: list[Any], kwargs: dict[str, Any]) -> Any:
    z = _one_number("cmath.polar", args, kwargs)
    return TupleValue((absolute(lift(z)), angle(z)))


def _rect(args: list[Any], kwargs: dict[str, Any]) -> Any:
    if kwargs or len(args) != 2 or not all(is_number(arg) for arg in args):
        raise TypeMismatchError("cmath.rect() takes two real numbers, the modulus and the phase")
    r, phi = args
    return make(mul(r, call_real(np.cos, phi)), mul(r, call_real(np.sin, phi)))


def _classify(name: str, test: Callable[[Any], Any], combine: str) -> Handler:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        z = lift(_one_number(f"cmath.{name}", args, kwargs))
        return _logical(combine, test(z.real), test(z.imag))

    return lower


def _isclose(args: list[Any], kwargs: dict[str, Any]) -> Any:
    if len(args) != 2 or set(kwargs) - {"rel_tol", "abs_tol"}:
        raise TypeMismatchError("cmath.isclose() takes two numbers and the keywords rel_tol, abs_tol")
    rel = kwargs.get("rel_tol", Const(1e-9))
    tol = kwargs.get("abs_tol", Const(0.0))
    a, b = (_one_number("cmath.isclose", [arg], {}) for arg in args)
    gap = absolute(binary(ast.Sub, lift(a), lift(b)))
    bound = call_real(np.maximum, mul(rel, call_real(np.maximum, absolute(lift(a)), absolute(lift(b)))), tol)
    return operators.compare(ast.LtE, gap, bound)


CMATH_FUNCTIONS: dict[Callable, Handler] = {
    **{getattr(cmath, name): _cmath_unary(name, ELEMENTARY[name]) for name in ("exp", "sqrt", "sin", "cos", "tan",
                                                                              "sinh", "cosh", "tanh", "log10")},
    cmath.asin: _cmath_unary("asin", arcsin),
    cmath.acos: _cmath_unary("acos", arccos),
    cmath.atan: _cmath_unary("atan", arctan),
    cmath.asinh: _cmath_unary("asinh", arcsinh),
    cmath.acosh: _cmath_unary("acosh", arccosh),
    cmath.atanh: _cmath_unary("atanh", arctanh),
    cmath.log: _cmath_log,
    cmath.phase: _phase,
    cmath.polar: _polar,
    cmath.rect: _rect,
    cmath.isfinite: _classify("isfinite", lambda x: call_real(np.isfinite, x), "and"),
    cmath.isnan: _classify("isnan", lambda x: call_real(np.isnan, x), "or"),
    cmath.isinf: _classify("isinf", lambda x: call_real(np.isinf, x), "or"),
    cmath.isclose: _isclose,
}


def _complex_builtin(args: list[Any], kwargs: dict[str, Any]) -> Any:
    """complex(), complex(x), complex(re, im) (re and im real or complex, as Python computes re + im*1j)."""
    params = ["real", "imag"]
    values = list(args)
    for name in params[len(values) :]:
        if name in kwargs:
            values.append(kwargs.pop(name))
    if kwargs or len(values) > 2:
        raise TypeMismatchError("complex() takes at most two arguments, real and imag")
    for value in values:
        if isinstance(value, Const) and isinstance(value.value, str):
            raise UnsupportedSyntaxError("complex() of a string is not supported in compiled code")
        if not isinstance(value, ComplexValue) and not is_number(value):
            raise TypeMismatchError(f"complex() argument must be a number, not {describe(value)}")
        if is_array(value.real if isinstance(value, ComplexValue) else value):
            raise TypeMismatchError("complex() takes numbers; use x.astype(complex) for an array")
    if not values:
        return make(Const(0.0), Const(0.0))
    real = lift(values[0])
    if len(values) == 1:
        return real
    return binary(ast.Add, real, multiply(_I, lift(values[1])))


def _abs_builtin(args: list[Any], kwargs: dict[str, Any]) -> Any:
    if kwargs or len(args) != 1:
        raise TypeMismatchError("abs() takes exactly one argument")
    return absolute(args[0])


def _not_real(name: str) -> Handler:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        raise TypeMismatchError(
            f"{name}() of a complex number is not defined (Python raises TypeError); take .real, .imag or abs() first"
        )

    return lower


def _pow_builtin(args: list[Any], kwargs: dict[str, Any]) -> Any:
    if kwargs or len(args) != 2:
        raise TypeMismatchError("pow() of complex numbers takes exactly two arguments")
    return binary(ast.Pow, args[0], args[1])


BUILTIN_FUNCTIONS: dict[Callable, Handler] = {
    complex: _complex_builtin,
    abs: _abs_builtin,
    pow: _pow_builtin,
    float: _not_real("float"),
    int: _not_real("int"),
    round: _not_real("round"),
    min: _not_real("min"),
    max: _not_real("max"),
}


# -- attributes ------------------------------------------------------------------------------------------------


COMPLEX_ATTRIBUTES = ("real", "imag")
COMPLEX_METHODS = ("conjugate", "conj")


def attribute(value: Any, name: str) -> Any:
    """z.real, z.imag (also of real numbers and arrays, as Python and numpy define them)."""
    if isinstance(value, ComplexValue):
        return value.real if name == "real" else value.imag
    if name == "real":
        return value
    if is_array(value):
        spec = leaf_kind(value)
        return Const(np.zeros(spec.shape, spec.dtype))
    return Const(value.kind(0))


__all__ = [
    "BUILTIN_FUNCTIONS",
    "CMATH_FUNCTIONS",
    "COMPLEX_ATTRIBUTES",
    "COMPLEX_METHODS",
    "ELEMENTARY",
    "absolute",
    "angle",
    "attribute",
    "bilinear",
    "binary",
    "compare",
    "conjugate",
    "conjugate_tree",
    "constant",
    "involves",
    "is_complex",
    "lift",
    "make",
    "negate",
    "truth",
]
