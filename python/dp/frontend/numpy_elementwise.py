"""numpy's elementwise functions built from others: np.round, np.deg2rad, np.sinc, np.logaddexp, ...

Each is a composition of operations dp differentiates, chosen to be exact to every order:
np.logaddexp shifts by a stop-gradient maximum (the identity holds for any shift, so only the
overflow guard is cut out of the derivative, as in a stable logsumexp).
"""

from __future__ import annotations

import ast
import math as pymath
from typing import Any

import numpy as np
from mlir.dialects import math

from dp.frontend import tensors
from dp.frontend.numpy_functions import NUMPY_FUNCTIONS, _array_like, _bind, static
from dp.frontend.values import Const


def _call(function: Any, *args: Any) -> Any:
    return NUMPY_FUNCTIONS[function](list(args), {})


def _round(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.round", args, kwargs, ("a", "decimals", "out"))
    x = _array_like(bound["a"])
    decimals = static(bound.get("decimals", Const(0)), "the decimals of np.round")
    if decimals == 0:
        return _call(np.rint, x)
    scale = Const(10.0**decimals)
    return tensors.binary(ast.Div, _call(np.rint, tensors.binary(ast.Mult, x, scale)), scale)


def _scaled(name: str, factor: float) -> Any:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        x = _array_like(_bind(f"np.{name}", args, kwargs, ("x",))["x"])
        return tensors.binary(ast.Mult, tensors.unary_math(lambda v: v, x, name), Const(factor))

    return lower


def _sinc(args: list[Any], kwargs: dict[str, Any]) -> Any:
    """sin(pi x) / (pi x), 1 at 0: the division runs on a point moved off 0, so no 0/0 reaches a derivative."""
    x = tensors.unary_math(lambda v: v, _array_like(_bind("np.sinc", args, kwargs, ("x",))["x"]), "sinc")
    zero = tensors.compare(ast.Eq, x, Const(0.0))
    safe = tensors.binary(ast.Mult, tensors.where(zero, Const(1.0), x), Const(pymath.pi))
    ratio = tensors.binary(ast.Div, tensors.unary_math(math.sin, safe, "sin"), safe)
    return tensors.where(zero, Const(1.0), ratio)


def _logaddexp(name: str, base2: bool) -> Any:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        bound = _bind(f"np.{name}", args, kwargs, ("x1", "x2"), 2)
        a, b = (tensors.unary_math(lambda v: v, _array_like(bound[k]), name) for k in ("x1", "x2"))
        if base2:
            a, b = (tensors.binary(ast.Mult, v, Const(pymath.log(2.0))) for v in (a, b))
        shift = _stop(tensors.extremum(a, b, maximum=True))
        shift = tensors.where(_call(np.isfinite, shift), shift, Const(0.0))
        total = tensors.binary(
            ast.Add,
            tensors.unary_math(math.exp, tensors.binary(ast.Sub, a, shift), "exp"),
            tensors.unary_math(math.exp, tensors.binary(ast.Sub, b, shift), "exp"),
        )
        result = tensors.binary(ast.Add, tensors.unary_math(math.log, total, "log"), shift)
        return tensors.binary(ast.Div, result, Const(pymath.log(2.0))) if base2 else result

    return lower


def _stop(value: Any) -> Any:
    from dp import gradient_control
    from dp.frontend.builtin_functions import BUILTINS

    return BUILTINS[gradient_control.stop_gradient]([value], {})


ELEMENTWISE = {
    np.round: _round,
    np.around: _round,
    np.deg2rad: _scaled("deg2rad", pymath.pi / 180.0),
    np.radians: _scaled("radians", pymath.pi / 180.0),
    np.rad2deg: _scaled("rad2deg", 180.0 / pymath.pi),
    np.degrees: _scaled("degrees", 180.0 / pymath.pi),
    np.sinc: _sinc,
    np.logaddexp: _logaddexp("logaddexp", False),
    np.logaddexp2: _logaddexp("logaddexp2", True),
}
