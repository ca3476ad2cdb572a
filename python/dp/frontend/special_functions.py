"""Calls of special functions: math.lgamma/gamma, scipy.special's functions and scipy.stats' distributions.

Each name the user writes maps to dp's own implementation in dp.library
(Python dp compiles, with custom derivative rules), or, for erf and erfc,
to the math dialect's ops. The arguments are checked here, under the name
as written (`scipy.special.erf`, `scipy.stats.norm.logpdf`), before the
implementation is called. scipy is optional: its entries are looked up only
once the program has imported scipy.special or scipy.stats.
"""

from __future__ import annotations

import ast
import dataclasses
import math as pymath
import sys
from typing import Any, Callable

import numpy as np
from mlir.dialects import math

from dp.errors import TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import numpy_functions, scalars, tensors
from dp.frontend.values import Array, Const, ListValue, TupleValue, describe, is_array, is_const_array, is_number

_NO_DEFAULT = object()


@dataclasses.dataclass(frozen=True)
class Special:
    """A special function as the user names it: its parameters and what computes it."""

    name: str
    params: tuple[str, ...]
    defaults: tuple[Any, ...]  # for the last len(defaults) parameters
    implementation: Callable  # a dp.library function, or a lowering (special, visitor, bound values)
    lowering: bool = False  # implementation(values) builds the IR itself
    static: tuple[str, ...] = ()  # parameters that must be compile-time constants
    integer: tuple[str, ...] = ()  # parameters that are ints (passed on unconverted)
    folding: Callable | None = None  # the Python function evaluating constant calls
    variadic: bool = False  # takes any arguments (a refusal: its lowering raises)

    def call(self, visitor: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """The value of a call with these arguments."""
        values = self._bind(args, kwargs)
        if self.folding is not None and all(_constant_number(v) for v in values):
            try:
                return Const(float(self.folding(*(v.value for v in values))))
            except (ValueError, OverflowError, TypeError, ZeroDivisionError):
                pass
        if self.lowering:
            return self.implementation(self, visitor, values)
        converted = [
            v if name in self.static or name in self.integer else float_operand(v, self.name, name)
            for name, v in zip(self.params, values)
        ]
        return visitor.call(Const(self.implementation), converted, {}, None)

    def _bind(self, args: list[Any], kwargs: dict[str, Any]) -> list[Any]:
        if self.variadic:
            return list(args)
        if len(args) > len(self.params):
            raise TypeMismatchError(
                f"{self.name}() takes at most {len(self.params)} positional arguments ({len(args)} given)"
            )
        bound = dict(zip(self.params, args))
        for key, value in kwargs.items():
            if key not in self.params:
                raise UnsupportedSyntaxError(f"{self.name}() keyword argument '{key}' is not supported")
            if key in bound:
                raise TypeMismatchError(f"{self.name}() got multiple values for argument '{key}'")
            bound[key] = value
        defaults = dict(zip(self.params[len(self.params) - len(self.defaults):], self.defaults))
        values = []
        for name in self.params:
            if name in bound:
                value = bound[name]
            elif name in defaults:
                value = Const(defaults[name])
            else:
                raise TypeMismatchError(f"{self.name}() missing required argument '{name}'")
            if name in self.static and not isinstance(value, Const):
                raise TypeMismatchError(
                    f"the argument '{name}' of {self.name}() must be known at compile time, not {describe(value)}"
                )
            if name in self.integer and not (is_number(value) and getattr(value, "kind", None) in (int, bool)):
                raise TypeMismatchError(f"the argument '{name}' of {self.name}() must be an int, not {describe(value)}")
            values.append(value)
        return values


def _constant_number(value: Any) -> bool:
    return isinstance(value, Const) and value.kind in (int, float, bool)


def float_operand(value: Any, function: str, param: str) -> Any:
    """A float scalar or a float array for a numeric parameter (ints and lists converted as numpy would)."""
    if isinstance(value, (ListValue, TupleValue)) or is_const_array(value):
        value = numpy_functions.array_from(value)
    if is_number(value):
        return scalars.to_float(value)
    if is_array(value):
        array = tensors.as_array(tensors.operand(value))
        return tensors.cast(array, tensors.float_dtype(array.dtype))
    raise TypeMismatchError(f"{function}() needs numbers or arrays for '{param}', not {describe(value)}")


def _math_unary(op: Any, fn_name: str) -> Callable:
    """erf and erfc: the math dialect's op, elementwise on arrays."""

    def lower(special: Special, visitor: Any, values: list[Any]) -> Any:
        x = float_operand(values[0], special.name, special.params[0])
        return tensors.unary_math(op, x, fn_name)

    return lower


# -- logsumexp ---------------------------------------------------------------------------------------------


def _logsumexp(special: Special, visitor: Any, values: list[Any]) -> Any:
    """logsumexp(a, axis, b, keepdims, return_sign): the max-shifted sum, b scaling its terms."""
    a, axis, b, keepdims, return_sign = values
    axis = numpy_functions.static(axis, f"the axis of {special.name}")
    keepdims = bool(numpy_functions.static(keepdims, f"keepdims of {special.name}"))
    return_sign = bool(numpy_functions.static(return_sign, f"return_sign of {special.name}"))
    x = tensors.as_array(float_operand(a, special.name, "a"))
    if isinstance(b, Const) and b.value is None:
        if not return_sign:
            return numpy_functions.logsumexp(x, axis, keepdims)
        weighted = None
    else:
        weights = tensors.as_array(float_operand(b, special.name, "b"))
        shape = tensors.broadcast_shapes(x.shape, weights.shape)
        dtype = tensors.result_dtype(x, weights)
        x, weights = tensors.broadcast_to(x, dtype, shape), tensors.broadcast_to(weights, dtype, shape)
        weighted = weights
    m = tensors.reduce("max", x, axis, True)
    finite = numpy_functions.NUMPY_FUNCTIONS[np.isfinite]([m], {})
    m = tensors.stop_gradient(tensors.where(finite, m, Const(0.0)))
    terms = tensors.unary_math(math.exp, tensors.binary(ast.Sub, x, m), "exp")
    if weighted is not None:
        terms = tensors.binary(ast.Mult, weighted, terms)
    total = tensors.reduce("sum", terms, axis, True)
    sign = None
    if return_sign:
        sign = numpy_functions.NUMPY_FUNCTIONS[np.sign]([total], {})
        total = numpy_functions.NUMPY_FUNCTIONS[np.abs]([total], {})
    out = tensors.binary(ast.Add, tensors.unary_math(math.log, total, "log"), m)
    if not keepdims:
        axes = list(tensors.normalize_axes(axis, x.ndim, special.name))
        out = tensors.operand(tensors.drop_unit_dims(out, axes, view=False))
        if sign is not None:
            sign = tensors.operand(tensors.drop_unit_dims(sign, axes, view=False))
    return out if sign is None else TupleValue((out, sign))


def _softmax(log: bool) -> Callable:
    """softmax(x, axis) = exp(x - logsumexp(x, axis, keepdims=True)); log_softmax without the exp."""

    def lower(special: Special, visitor: Any, values: list[Any]) -> Any:
        x = tensors.as_array(float_operand(values[0], special.name, "x"))
        axis = numpy_functions.static(values[1], f"the axis of {special.name}")
        shifted = tensors.binary(ast.Sub, x, numpy_functions.logsumexp(x, axis, True))
        return shifted if log else tensors.unary_math(math.exp, shifted, "exp")

    return lower


def _unsupported(target: Any) -> str | None:
    """The name of a scipy function or distribution method dp does not compile, None for anything else."""
    owner = getattr(target, "__self__", None)
    if owner is not None and type(owner).__module__.startswith("scipy.stats"):
        distribution = getattr(owner, "name", None) or type(owner).__name__.removesuffix("_gen")
        return f"scipy.stats.{distribution}.{getattr(target, '__name__', '?')}"
    if type(target).__module__.startswith("scipy.stats") and not isinstance(target, type):
        distribution = getattr(target, "name", None) or type(target).__name__.removesuffix("_gen")
        return f"scipy.stats.{distribution}(...) (a frozen distribution)"
    module = getattr(target, "__module__", None)
    name = getattr(target, "__name__", None)
    if isinstance(module, str) and module.startswith("scipy.") and isinstance(name, str):
        return ".".join(module.split(".")[:2] + [name])
    special = sys.modules.get("scipy.special")
    if isinstance(target, np.ufunc) and special is not None and getattr(special, target.__name__, None) is target:
        return f"scipy.special.{target.__name__}"
    return None


def _refuse(name: str) -> Special:
    def lower(special: Special, visitor: Any, values: list[Any]) -> Any:
        raise UnsupportedSyntaxError(
            f"{name} is not supported: dp compiles scipy.special's gamma, beta, error, logistic, entropy and "
            "Bessel functions, logsumexp, softmax and incomplete gamma/beta functions, and the pdf, logpdf, cdf, "
            "logcdf, sf and ppf of scipy.stats' norm, t, gamma, chi2, beta, poisson, dirichlet and "
            "multivariate_normal"
        )

    return Special(name, (), (), lower, lowering=True, variadic=True)


# -- the tables ---------------------------------------------------------------------------------------------

_TABLE: dict[Any, Special] = {}
_LOADED: set[str] = set()


def _entries_math() -> dict[Any, Special]:
    from dp.library import special as lib

    def scalar_only(name: str, implementation: Callable) -> Special:
        def lower(special: Special, visitor: Any, values: list[Any]) -> Any:
            if not is_number(values[0]):
                raise TypeMismatchError(f"{special.name}() needs a number, not {describe(values[0])}")
            return visitor.call(Const(implementation), [scalars.to_float(values[0])], {}, None)

        return Special(f"math.{name}", ("x",), (), lower, lowering=True, folding=getattr(pymath, name))

    return {
        pymath.lgamma: scalar_only("lgamma", lib.gammaln),
        pymath.gamma: scalar_only("gamma", lib.gamma),
        lib.erf: Special("erf", ("x",), (), _math_unary(math.erf, "erf"), lowering=True),
        lib.erfc: Special("erfc", ("x",), (), _math_unary(math.erfc, "erfc"), lowering=True),
    }


def _entries_scipy_special(module: Any) -> dict[Any, Special]:
    from dp.library import special as lib

    def unary(name: str, implementation: Callable, param: str = "x") -> tuple[Any, Special]:
        return getattr(module, name), Special(
            f"scipy.special.{name}", (param,), (), implementation, folding=getattr(module, name)
        )

    def binary(name: str, implementation: Callable, params: tuple[str, str]) -> tuple[Any, Special]:
        return getattr(module, name), Special(
            f"scipy.special.{name}", params, (), implementation, folding=getattr(module, name)
        )

    entries = [
        unary("gammaln", lib.gammaln),
        unary("gamma", lib.gamma),
        unary("gammasgn", lib.gammasgn),
        unary("rgamma", lib.rgamma),
        unary("digamma", lib.digamma),
        unary("psi", lib.digamma),
        unary("erfinv", lib.erfinv, "y"),
        unary("erfcinv", lib.erfcinv, "y"),
        unary("ndtr", lib.ndtr),
        unary("ndtri", lib.ndtri, "y"),
        unary("log_ndtr", lib.log_ndtr),
        unary("expit", lib.expit),
        unary("logit", lib.logit),
        unary("entr", lib.entr),
        binary("beta", lib.beta, ("a", "b")),
        binary("betaln", lib.betaln, ("a", "b")),
        binary("xlogy", lib.xlogy, ("x", "y")),
        binary("xlog1py", lib.xlog1py, ("x", "y")),
        binary("rel_entr", lib.rel_entr, ("x", "y")),
        binary("gammainc", lib.gammainc, ("a", "x")),
        binary("gammaincc", lib.gammaincc, ("a", "x")),
        binary("iv", lib.iv, ("v", "z")),
        binary("ive", lib.ive, ("v", "z")),
        unary("i0", lib.i0),
        unary("i1", lib.i1),
        unary("i0e", lib.i0e),
        unary("i1e", lib.i1e),
        (
            module.betainc,
            Special("scipy.special.betainc", ("a", "b", "x"), (), lib.betainc, folding=module.betainc),
        ),
        (module.polygamma, Special("scipy.special.polygamma", ("n", "x"), (), lib.polygamma, integer=("n",))),
        (
            module.multigammaln,
            Special("scipy.special.multigammaln", ("a", "d"), (), lib.multigammaln, integer=("d",)),
        ),
        (module.softmax, Special("scipy.special.softmax", ("x", "axis"), (None,), _softmax(False), lowering=True)),
        (
            module.log_softmax,
            Special("scipy.special.log_softmax", ("x", "axis"), (None,), _softmax(True), lowering=True),
        ),
        (module.erf, Special("scipy.special.erf", ("z",), (), _math_unary(math.erf, "erf"), lowering=True)),
        (module.erfc, Special("scipy.special.erfc", ("x",), (), _math_unary(math.erfc, "erfc"), lowering=True)),
        (
            module.logsumexp,
            Special(
                "scipy.special.logsumexp",
                ("a", "axis", "b", "keepdims", "return_sign"),
                (None, None, False, False),
                _logsumexp,
                lowering=True,
            ),
        ),
    ]
    return dict(entries)


def _load() -> None:
    if "math" not in _LOADED:
        _LOADED.add("math")
        _TABLE.update(_entries_math())
    special = sys.modules.get("scipy.special")
    if special is not None and "scipy.special" not in _LOADED:
        _LOADED.add("scipy.special")
        _TABLE.update(_entries_scipy_special(special))
    stats = sys.modules.get("scipy.stats")
    if stats is not None and "scipy.stats" not in _LOADED:
        _LOADED.add("scipy.stats")
        from dp.frontend.scipy_stats import stats_entries

        _TABLE.update(stats_entries(stats))


def lookup(target: Any) -> Special | None:
    """The special function `target` is (math.lgamma, scipy.special.gammaln, scipy.stats.norm.pdf, ...), or None."""
    _load()
    try:
        found = _TABLE.get(target)
    except TypeError:  # unhashable: never in the table
        return None
    if found is None:
        name = _unsupported(target)
        return _refuse(name) if name is not None else None
    return found


__all__ = ["Special", "float_operand", "lookup"]
