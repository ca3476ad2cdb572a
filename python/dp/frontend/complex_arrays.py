"""numpy on complex values: ufuncs, reductions, products, layout functions, array methods and complex dtypes.

Each numpy function is lowered through its real implementation (dp.frontend.numpy_functions) applied to the
parts of a complex value: a function that is linear in its array arguments (sums, reshapes, concatenation,
indexing, ...) is applied to the real parts and to the imaginary parts, a bilinear product (matmul, dot,
outer, kron, tensordot, einsum, ...) is expanded into real products, and the elementwise functions are those
of dp.frontend.complex_numbers. A numpy function dp compiles for real arrays but not for complex ones is an
UnsupportedSyntaxError naming it, never a silent real-only result.
"""

from __future__ import annotations

import ast
import itertools
from typing import Any, Callable

import numpy as np

from dp.errors import TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import array_indexing, complex_numbers, tensors
from dp.frontend.complex_numbers import ComplexValue, lift, make
from dp.frontend.values import (
    Const,
    ListValue,
    TupleValue,
    is_array,
    is_number,
)

Handler = Callable[[list[Any], dict[str, Any]], Any]

# numpy dtype of a complex array -> dtype of its parts
PART_DTYPES = {"complex128": "float64", "complex64": "float32"}


def complex_dtype(value: Any) -> str | None:
    """The numpy complex dtype a compile-time dtype argument names (complex, np.complex64, 'c16', ...), else None."""
    if not isinstance(value, Const) or value.value is None or isinstance(value.value, bool):
        return None
    try:
        dtype = np.dtype(value.value)
    except TypeError:
        return None
    if dtype.kind != "c":
        return None
    if dtype.name not in PART_DTYPES:
        raise TypeMismatchError(f"arrays of dtype {dtype.name} are not supported: dp compiles complex128 and complex64")
    return dtype.name


def _real_handler(target: Any) -> Handler:
    from dp.frontend.numpy_functions import NUMPY_FUNCTIONS

    return NUMPY_FUNCTIONS[target]


def _name(target: Any) -> str:
    from dp.frontend.numpy_functions import numpy_name

    return numpy_name(target) or getattr(target, "__name__", repr(target))


# -- the parts of arguments --------------------------------------------------------------------------------------


def _part(value: Any, index: int) -> Any:
    """The real (0) or imaginary (1) part of an argument: complex values split, real ones are their own real part
    with a zero imaginary part, and sequences split item by item."""
    if isinstance(value, ComplexValue):
        return value.items[index]
    if isinstance(value, (TupleValue, ListValue)):
        items = tuple(_part(item, index) for item in value.items)
        return TupleValue(items) if isinstance(value, TupleValue) else ListValue(items)
    if index == 0:
        return value
    return lift(value).imag if is_number(value) or is_array(value) else value


def _linear(target: Any, positions: tuple[int, ...], names: tuple[str, ...]) -> Handler:
    """A function linear in the arguments at `positions` (or passed as `names`): applied to each part."""

    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        real = _real_handler(target)
        kwargs = _without_complex_dtype(kwargs)
        parts = []
        for index in (0, 1):
            part_args = [_part(a, index) if n in positions else a for n, a in enumerate(args)]
            part_kwargs = {k: (_part(v, index) if k in names else v) for k, v in kwargs.items()}
            parts.append(real(part_args, part_kwargs))
        return make(*parts)

    return lower


def _without_complex_dtype(kwargs: dict[str, Any]) -> dict[str, Any]:
    """A complex dtype= becomes the dtype of the parts (np.sum(z, dtype=complex))."""
    dtype = complex_dtype(kwargs.get("dtype"))
    if dtype is None:
        return kwargs
    return {**kwargs, "dtype": Const(PART_DTYPES[dtype])}


def _multilinear(target: Any, positions: Callable[[list[Any]], list[int]]) -> Handler:
    """A product linear in each of several operands (matmul, dot, einsum, ...): the sum over choices of a real or
    imaginary part per complex operand, each imaginary part contributing a factor i."""

    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        real = _real_handler(target)
        complex_positions = [n for n in positions(args) if isinstance(args[n], ComplexValue)]
        sums: list[Any] = [Const(0.0), Const(0.0)]
        for choice in itertools.product((0, 1), repeat=len(complex_positions)):
            chosen = dict(zip(complex_positions, choice))
            term = real([args[n].items[chosen[n]] if n in chosen else a for n, a in enumerate(args)], kwargs)
            power = sum(choice) % 4  # i^power: 1, i, -1, -i
            target_part = power % 2
            combine = complex_numbers.add if power in (0, 1) else complex_numbers.sub
            sums[target_part] = combine(sums[target_part], term)
        return make(*sums)

    return lower


# -- elementwise -----------------------------------------------------------------------------------------------------


def _unary(name: str, function: Callable[[Any], Any]) -> Handler:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        if len(args) != 1 or set(kwargs) - {"x"}:
            raise UnsupportedSyntaxError(f"np.{name} of a complex value takes one argument (out=, where= are not "
                                         "supported)")
        return function(args[0] if args else kwargs["x"])

    return lower


def _binary(name: str, op: type[ast.operator]) -> Handler:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        if len(args) != 2 or kwargs:
            raise UnsupportedSyntaxError(f"np.{name} of complex values takes two positional arguments")
        return complex_numbers.binary(op, *args)

    return lower


def _comparison(name: str, op: type[ast.cmpop]) -> Handler:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        if len(args) != 2 or kwargs:
            raise UnsupportedSyntaxError(f"np.{name} of complex values takes two positional arguments")
        return complex_numbers.compare(op, *args)

    return lower


def _angle(args: list[Any], kwargs: dict[str, Any]) -> Any:
    if not 1 <= len(args) <= 2 or set(kwargs) - {"deg"}:
        raise TypeMismatchError("np.angle() takes z and deg")
    deg = args[1] if len(args) == 2 else kwargs.get("deg", Const(False))
    if not isinstance(deg, Const):
        raise TypeMismatchError("the deg argument of np.angle must be a compile-time constant")
    return complex_numbers.angle(args[0], bool(deg.value))


def _one(name: str, args: list[Any], kwargs: dict[str, Any], param: str = "val") -> Any:
    if len(args) + len(kwargs) != 1 or (kwargs and param not in kwargs):
        raise TypeMismatchError(f"np.{name}() takes exactly one argument")
    return args[0] if args else kwargs[param]


def _real(args: list[Any], kwargs: dict[str, Any]) -> Any:
    return complex_numbers.attribute(_one("real", args, kwargs), "real")


def _imag(args: list[Any], kwargs: dict[str, Any]) -> Any:
    return complex_numbers.attribute(_one("imag", args, kwargs), "imag")


def _conj(args: list[Any], kwargs: dict[str, Any]) -> Any:
    return complex_numbers.conjugate(_one("conj", args, kwargs, "x"))


def _real_if_close(args: list[Any], kwargs: dict[str, Any]) -> Any:
    value = args[0] if args else kwargs.get("a")
    if not isinstance(value, ComplexValue):
        return value
    if all(isinstance(part, Const) for part in value.items):
        return Const(np.real_if_close(value.real.value + 1j * value.imag.value))
    raise UnsupportedSyntaxError(
        "np.real_if_close of a complex value computed at run time is not supported: its result type would depend "
        "on the values; take np.real(z) if the imaginary part is known to vanish"
    )


def _is_complex_object(expected: bool) -> Handler:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        value = _one("iscomplexobj" if expected else "isrealobj", args, kwargs, "x")
        return Const(isinstance(value, ComplexValue) == expected)

    return lower


def _is_real_elementwise(expected_real: bool) -> Handler:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        z = lift(_one("isreal" if expected_real else "iscomplex", args, kwargs, "x"))
        test = ast.Eq if expected_real else ast.NotEq
        from dp.frontend import operators

        return operators.compare(test, z.imag, Const(0.0))

    return lower


def _float_test(name: str) -> Handler:
    combine = "and" if name == "isfinite" else "or"

    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        z = lift(_one(name, args, kwargs, "x"))
        real = _real_handler(getattr(np, name))
        return complex_numbers._logical(combine, real([z.real], {}), real([z.imag], {}))

    return lower


def _where(args: list[Any], kwargs: dict[str, Any]) -> Any:
    if len(args) != 3 or kwargs:
        raise UnsupportedSyntaxError("np.where of complex values takes condition, x and y positionally")
    real = _real_handler(np.where)
    cond, a, b = args[0], lift(args[1]), lift(args[2])
    return make(real([cond, a.real, b.real], {}), real([cond, a.imag, b.imag], {}))


def _vdot(args: list[Any], kwargs: dict[str, Any]) -> Any:
    if len(args) != 2 or kwargs:
        raise TypeMismatchError("np.vdot() takes two arguments")
    a, b = (complex_numbers.conjugate(args[0]), args[1])
    flat = [_ravel(x) for x in (a, b)]
    return _multilinear(np.dot, lambda _: [0, 1])(flat, {})


def _ravel(value: Any) -> Any:
    if isinstance(value, ComplexValue):
        return _linear(np.ravel, (0,), ("a",))([value], {})
    return _real_handler(np.ravel)([value], {})


def _ones_like(args: list[Any], kwargs: dict[str, Any]) -> Any:
    value = args[0] if args else kwargs.get("a")
    real = _real_handler(np.ones_like)
    dtype = complex_dtype(kwargs.get("dtype"))
    if not isinstance(value, ComplexValue) and dtype is None:
        return real(args, kwargs)
    kwargs = _without_complex_dtype(kwargs)
    base = value.real if isinstance(value, ComplexValue) else value
    ones = real([base, *args[1:]], {k: v for k, v in kwargs.items() if k != "a"})
    return lift(ones)


def _creation(target: Any) -> Handler:
    """np.zeros/ones/empty/full/eye/identity/array/asarray/arange/linspace with a complex dtype: a real array with
    the parts' dtype, and a zero imaginary part (a complex fill value of np.full fills both parts)."""

    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        real = _real_handler(target)
        if target in (np.full, np.full_like) and involves_any(args, kwargs):
            return _linear(target, (1,), ("fill_value",))(args, kwargs)
        if target in (np.array, np.asarray) and involves_any(args, kwargs):
            return _linear(target, (0,), ("object", "a"))(args, kwargs)
        return lift(real(args, _without_complex_dtype(kwargs)))

    return lower


def involves_any(args: list[Any], kwargs: dict[str, Any]) -> bool:
    return complex_numbers.involves(*args, *kwargs.values())


# Functions linear in the arguments at these positions / with these names (most take the array first).
_LINEAR: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {
    name: ((0,), ("a", "x", "m", "arr", "ary")) for name in (
        "sum", "mean", "transpose", "reshape", "ravel", "expand_dims", "squeeze", "copy", "trace", "diag",
        "diagonal", "triu", "tril", "moveaxis", "swapaxes", "flip", "fliplr", "flipud", "roll", "rot90", "repeat",
        "tile", "diff", "cumsum", "atleast_1d", "atleast_2d", "atleast_3d", "broadcast_to", "take", "pad",
        "zeros_like", "negative", "positive",
    )
}
for _name_ in ("concatenate", "concat", "stack", "vstack", "hstack", "dstack", "column_stack", "block"):
    _LINEAR[_name_] = ((0,), ("arrays", "tup", "arrays"))
for _name_ in ("split", "array_split", "hsplit", "vsplit"):
    _LINEAR[_name_] = ((0,), ("ary",))

# Products: the positions of their factors.
_MULTILINEAR: dict[str, Callable[[list[Any]], list[int]]] = {
    **{name: (lambda args: [0, 1]) for name in ("dot", "matmul", "inner", "outer", "kron", "tensordot", "cross",
                                                  "convolve", "multiply")},
    "einsum": lambda args: list(range(1, len(args))),
    "linalg.multi_dot": lambda args: [0],
}

_ELEMENTWISE_NAMES = ("exp", "expm1", "exp2", "log", "log1p", "log10", "log2", "sqrt", "sin", "cos", "tan", "sinh",
                      "cosh", "tanh", "arcsin", "arccos", "arctan", "arcsinh", "arccosh", "arctanh", "square",
                      "reciprocal")


def _numpy_table() -> dict[Any, Handler]:
    from dp.frontend import complex_statistics  # builds on numpy_functions, which imports this module

    table: dict[Any, Handler] = {}
    for name in _ELEMENTWISE_NAMES:
        table[getattr(np, name)] = _unary(name, complex_numbers.ELEMENTARY[name])
    for alias, name in (("asin", "arcsin"), ("acos", "arccos"), ("atan", "arctan"), ("asinh", "arcsinh"),
                        ("acosh", "arccosh"), ("atanh", "arctanh")):
        if hasattr(np, alias):
            table[getattr(np, alias)] = table[getattr(np, name)]
    table[np.abs] = table[np.absolute] = _unary("abs", complex_numbers.absolute)
    for name, op in (("add", ast.Add), ("subtract", ast.Sub), ("divide", ast.Div), ("true_divide", ast.Div),
                     ("power", ast.Pow)):
        table[getattr(np, name)] = _binary(name, op)
    if hasattr(np, "pow"):
        table[np.pow] = table[np.power]
    table[np.equal] = _comparison("equal", ast.Eq)
    table[np.not_equal] = _comparison("not_equal", ast.NotEq)
    for name in ("less", "less_equal", "greater", "greater_equal", "maximum", "minimum", "fmax", "fmin", "argmax", "argmin", "sort", "argsort", "clip", "sign", "floor", "ceil",
                 "trunc", "rint", "fabs", "arctan2", "hypot", "mod", "remainder", "floor_divide", "logaddexp"):
        if hasattr(np, name):
            table[getattr(np, name)] = _unordered(name)
    table[np.where] = _where
    table[np.prod] = complex_statistics.prod
    table[np.var] = complex_statistics.var
    table[np.std] = complex_statistics.std
    for name, maximum in (("max", True), ("amax", True), ("min", False), ("amin", False)):
        if hasattr(np, name):
            table[getattr(np, name)] = complex_statistics.extremum(maximum)
    for name in ("isnan", "isinf", "isfinite"):
        table[getattr(np, name)] = _float_test(name)
    for name, (positions, names) in _LINEAR.items():
        target = _resolve(name)
        if target is not None:
            table.setdefault(target, _linear(target, positions, names))
    for name, positions in _MULTILINEAR.items():
        target = _resolve(name)
        if target is not None:
            table[target] = _multilinear(target, positions)
    table[np.ones_like] = _ones_like
    return table


def _resolve(name: str) -> Any:
    target: Any = np
    for part in name.split("."):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target


def _unordered(name: str) -> Handler:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        raise TypeMismatchError(
            f"np.{name} of a complex value is not supported: complex numbers are not ordered (numpy's "
            "lexicographic order has no derivative); apply it to np.abs(z), z.real or z.imag"
        )

    return lower


# Handlers that take real arguments too (np.real(x) of a float array is x).
_ANY_ARGUMENT: dict[Any, Handler] = {
    np.real: _real,
    np.imag: _imag,
    np.conj: _conj,
    np.conjugate: _conj,
    np.angle: _angle,
    np.real_if_close: _real_if_close,
    np.iscomplexobj: _is_complex_object(True),
    np.isrealobj: _is_complex_object(False),
    np.iscomplex: _is_real_elementwise(False),
    np.isreal: _is_real_elementwise(True),
    np.vdot: _vdot,
}

_CREATION = tuple(
    target for target in (np.zeros, np.ones, np.empty, np.full, np.full_like, np.zeros_like, np.empty_like, np.eye,
                          np.identity, np.array, np.asarray, np.arange, np.linspace)
)

_COMPLEX_NUMPY: dict[Any, Handler] | None = None


def _complex_numpy() -> dict[Any, Handler]:
    global _COMPLEX_NUMPY
    if _COMPLEX_NUMPY is None:
        _COMPLEX_NUMPY = _numpy_table()
    return _COMPLEX_NUMPY


def is_function(target: Any) -> bool:
    """Whether dp.frontend.complex_arrays implements `target` for some arguments (cmath, complex(), np.real ...)."""
    try:
        return (
            target in complex_numbers.CMATH_FUNCTIONS
            or target is complex
            or target in _ANY_ARGUMENT
            or target in (np.complex128, np.complex64)
        )
    except TypeError:
        return False


def lookup(target: Any, args: list[Any], kwargs: dict[str, Any]) -> Handler | None:
    """The handler of a call of `target` with these arguments when complex numbers are involved, else None."""
    try:
        hash(target)
    except TypeError:
        return None
    if target in complex_numbers.CMATH_FUNCTIONS:
        return complex_numbers.CMATH_FUNCTIONS[target]
    if target is complex:
        return complex_numbers.BUILTIN_FUNCTIONS[complex]
    if target in _ANY_ARGUMENT:
        return _ANY_ARGUMENT[target]
    if target in (np.complex128, np.complex64):
        return _scalar_type(target)
    complex_args = involves_any(args, kwargs)
    if target in _CREATION and (complex_args or complex_dtype(kwargs.get("dtype")) is not None):
        return _creation(target)
    if not complex_args:
        return None
    if target in complex_numbers.BUILTIN_FUNCTIONS:
        return complex_numbers.BUILTIN_FUNCTIONS[target]
    handler = _complex_numpy().get(target)
    if handler is not None:
        return handler
    module = getattr(target, "__module__", None) or ""
    if module == "math":
        raise TypeMismatchError(
            f"math.{target.__name__}() takes real numbers, not complex ones (Python raises TypeError); use "
            f"cmath.{target.__name__}"
        )
    if isinstance(target, np.ufunc) or module.split(".")[0] in ("numpy", "scipy"):
        raise UnsupportedSyntaxError(
            f"{_qualified(target)} of a complex value is not supported (dp compiles complex arithmetic, cmath, "
            "numpy's elementwise functions, sums, products and layout functions of complex arrays)"
        )
    return None


def _qualified(target: Any) -> str:
    module = getattr(target, "__module__", "") or ""
    if module in ("math", "cmath"):
        return f"{module}.{target.__name__}"
    if module.startswith("scipy"):
        return f"{module.split('._')[0]}.{target.__name__}"
    return _name(target)


def _scalar_type(target: Any) -> Handler:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        if kwargs or len(args) > 1:
            raise TypeMismatchError(f"np.{target.__name__}() takes one argument")
        value = lift(args[0]) if args else make(Const(0.0), Const(0.0))
        return cast(value, np.dtype(target).name)

    return lower


def cast(value: ComplexValue, dtype: str) -> ComplexValue:
    """`value` as a complex value of `dtype` (for arrays; numbers stay Python complex numbers)."""
    if not is_array(value.real):
        return value
    part = PART_DTYPES[dtype]
    return make(*(tensors.cast(tensors.as_array(tensors.operand(p)), part) for p in value.items))


# -- attributes, methods and indexing of complex arrays ------------------------------------------------------------

_LINEAR_METHODS = ("sum", "mean", "reshape", "transpose", "copy", "flatten", "ravel", "squeeze", "trace",
                   "diagonal", "repeat", "swapaxes", "take", "cumsum")
_ORDERED_METHODS = ("argmax", "argmin", "sort", "argsort", "clip")
_STATISTICS_METHODS = {"max": np.max, "min": np.min, "prod": np.prod, "var": np.var, "std": np.std}


def is_method(receiver: Any, name: str, args: list[Any], kwargs: dict[str, Any]) -> bool:
    """Whether `receiver.name(...)` is for this module: a method of a complex value, or a real array's astype(complex)."""
    if isinstance(receiver, ComplexValue):
        return True
    if name in complex_numbers.COMPLEX_METHODS:
        return True
    if name == "astype" and is_array(receiver):
        dtype = args[0] if args else kwargs.get("dtype")
        return complex_dtype(dtype) is not None
    return False


def call_method(receiver: Any, name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """`z.name(*args, **kwargs)` for a complex z (and conj/conjugate/astype(complex) of real values)."""
    from dp.frontend.numpy_functions import call_method as real_method

    if name in complex_numbers.COMPLEX_METHODS:
        if args or kwargs:
            raise TypeMismatchError(f"{name}() takes no arguments")
        return complex_numbers.conjugate(receiver)
    if name == "astype":
        dtype_arg = args[0] if args else kwargs.get("dtype")
        dtype = complex_dtype(dtype_arg)
        if dtype is not None:
            return cast(lift(receiver), dtype)
        if not isinstance(receiver, ComplexValue):
            return real_method(receiver, name, args, kwargs)
        # numpy discards the imaginary part (with a ComplexWarning)
        return real_method(receiver.real, name, args, kwargs)
    z = receiver
    if not is_array(z.real):
        raise UnsupportedSyntaxError(f"the complex number method {name}() is not supported")
    if name in _LINEAR_METHODS:
        kwargs = _without_complex_dtype(kwargs)
        return make(*(real_method(part, name, args, kwargs) for part in z.items))
    if name == "dot":
        return complex_numbers.bilinear(lambda a, b: real_method(a, "dot", [b], {}), z, args[0])
    if name == "item":
        return make(*(real_method(part, name, args, kwargs) for part in z.items))
    if name in _STATISTICS_METHODS:
        return _complex_numpy()[_STATISTICS_METHODS[name]]([z, *args], kwargs)
    if name in _ORDERED_METHODS:
        return _unordered(name)(args, kwargs)
    raise UnsupportedSyntaxError(f"the method {name}() of a complex array is not supported")


def attribute(value: ComplexValue, name: str) -> Any:
    """z.real, z.imag, z.T, z.shape, z.ndim, z.size, z.dtype; a BoundMethod is made by the caller for methods."""
    from dp.frontend.numpy_functions import array_attribute

    if name in complex_numbers.COMPLEX_ATTRIBUTES:
        return complex_numbers.attribute(value, name)
    if not is_array(value.real):
        raise UnsupportedSyntaxError(f"attribute '{name}' of a complex number is not supported")
    if name == "T":
        return make(*(array_attribute(part, "T") for part in value.items))
    if name in ("shape", "ndim", "size"):
        return array_attribute(value.real, name)
    if name == "dtype":
        return Const(np.dtype(value.dtype))
    raise UnsupportedSyntaxError(f"attribute '{name}' of a complex array is not supported")


# What real numbers and arrays have too (x.real is x, x.imag zeros, x.conj() x).
REAL_ATTRIBUTES = complex_numbers.COMPLEX_ATTRIBUTES + complex_numbers.COMPLEX_METHODS
METHOD_NAMES = (complex_numbers.COMPLEX_METHODS + _LINEAR_METHODS + _ORDERED_METHODS + tuple(_STATISTICS_METHODS)
                + ("dot", "item", "astype"))


def get_item(value: ComplexValue, components: list[Any]) -> Any:
    """z[index]: the same index of both parts."""
    if not is_array(value.real):
        raise TypeMismatchError("'complex' object is not subscriptable")
    return make(*(array_indexing.get_item(part, components) for part in value.items))


__all__ = [
    "attribute",
    "call_method",
    "cast",
    "complex_dtype",
    "get_item",
    "is_function",
    "is_method",
    "lookup",
    "METHOD_NAMES",
    "REAL_ATTRIBUTES",
]
