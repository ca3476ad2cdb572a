"""autograd's public API on top of dp, so the HIPS autograd test suite runs against dp unchanged.

`autograd.numpy` is numpy itself (dp compiles numpy code directly), and every differential
operator is the dp transform that computes the same derivative. `list`, `tuple`, `dict` and
`isinstance` are the builtins: autograd needs its own only to see through its tracing boxes.
"""

from __future__ import annotations

import builtins
import sys
from typing import Any, Callable

import numpy
import numpy.fft
import numpy.linalg
import numpy.random

import dp

list = builtins.list
tuple = builtins.tuple
dict = builtins.dict
isinstance = builtins.isinstance

_ALIASES = {
    "autograd.numpy": numpy,
    "autograd.numpy.random": numpy.random,
    "autograd.numpy.linalg": numpy.linalg,
    "autograd.numpy.fft": numpy.fft,
}
for _name, _module in _ALIASES.items():
    sys.modules.setdefault(_name, _module)


# autograd's argnum (an int, tuple or list) becomes dp's argnums in place, not in a helper: the result of a
# call in compiled code is a runtime value even where it is a constant, and argnums must be known at compile time.


def grad(fun: Callable, argnum: Any = 0) -> Callable:
    """The gradient of a scalar function with respect to argument `argnum`."""
    return dp.grad(fun, argnums=builtins.tuple(argnum) if builtins.isinstance(argnum, builtins.list) else argnum)


def value_and_grad(fun: Callable, argnum: Any = 0) -> Callable:
    """The value and the gradient with respect to argument `argnum`."""
    return dp.value_and_grad(fun, argnums=builtins.tuple(argnum) if builtins.isinstance(argnum, builtins.list) else argnum)


def jacobian(fun: Callable, argnum: Any = 0) -> Callable:
    """The Jacobian in autograd's layout: output dimensions first, then the argument's."""
    return dp.jacobian(fun, argnums=builtins.tuple(argnum) if builtins.isinstance(argnum, builtins.list) else argnum)


def hessian(fun: Callable, argnum: Any = 0) -> Callable:
    """The Hessian, as the Jacobian of the Jacobian."""
    return dp.hessian(fun, argnums=builtins.tuple(argnum) if builtins.isinstance(argnum, builtins.list) else argnum)


def holomorphic_grad(fun: Callable, argnum: int = 0) -> Callable:
    """The complex derivative f'(z) of a holomorphic f: under JAX's convention, the gradient of Re f."""

    def real_part(*args):
        return numpy.real(fun(*args))

    return dp.grad(real_part, argnums=argnum)


def _unary(fun: Callable, args: builtins.tuple, kwargs: builtins.dict, argnum: Any) -> Callable:
    """`fun` as a function of argument `argnum` alone (an int or a tuple), the others fixed."""
    if builtins.isinstance(argnum, int):

        def unary(x):
            new = list(args)
            new[argnum] = x
            return fun(*new, **kwargs)

    else:

        def unary(x):
            new = list(args)
            for i, xi in zip(argnum, x):
                new[i] = xi
            return fun(*new, **kwargs)

    return unary


def _selected(args: builtins.tuple, argnum: Any) -> Any:
    return args[argnum] if builtins.isinstance(argnum, int) else builtins.tuple(args[i] for i in argnum)


def elementwise_grad(fun: Callable, argnum: Any = 0) -> Callable:
    """The vector-Jacobian product with a cotangent of ones (the diagonal of an elementwise Jacobian)."""

    def gradient(*args, **kwargs):
        y, pullback = dp.vjp(_unary(fun, args, kwargs, argnum), _selected(args, argnum))
        return pullback(numpy.ones_like(y))[0]

    return gradient


def deriv(fun: Callable, argnum: Any = 0) -> Callable:
    """The Jacobian-vector product with a tangent of ones (the derivative of a scalar function)."""

    def derivative(*args, **kwargs):
        x = _selected(args, argnum)
        return dp.jvp(_unary(fun, args, kwargs, argnum), (x,), (numpy.ones_like(x),))[1]

    return derivative


def make_vjp(fun: Callable, argnum: Any = 0) -> Callable:
    """autograd's make_vjp: (pullback of one cotangent, value)."""

    def build(*args, **kwargs):
        y, pullback = dp.vjp(_unary(fun, args, kwargs, argnum), _selected(args, argnum))
        return (lambda g: pullback(g)[0]), y

    return build


def make_jvp(fun: Callable, argnum: Any = 0) -> Callable:
    """autograd's make_jvp: a function of the tangent returning (value, tangent out)."""

    def build(*args, **kwargs):
        x = _selected(args, argnum)
        return lambda v: dp.jvp(_unary(fun, args, kwargs, argnum), (x,), (v,))

    return build
