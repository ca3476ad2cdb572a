"""np.fft in compiled code: each 1-D transform a product with a constant DFT matrix, on the real and imaginary parts.

numpy's pocketfft exposes no C symbols (its extension module exports only
PyInit__pocketfft_umath), so compiled code cannot call it. dp computes the
DFT along an axis of length L as `x @ W`, with W the constant L x m matrix
of exp(∓2πi jk/n) (scaled for `norm`, its rows past n zero and only the
rows of the given entries kept, which is how `n` crops and zero-pads), in
four real products (two for a real input): O(L m) work per row instead of
O(n log n), exact to rounding, and differentiable in both modes and every
order by the product's own rules. The n-d transforms apply the 1-D ones
axis by axis, as numpy defines them. rfft keeps the n//2 + 1 non-negative
frequencies; irfft weights them as the Hermitian-symmetric spectrum they
stand for (numpy's c2r: the imaginary parts of the zero and, for even n,
the Nyquist bins are ignored).
"""

from __future__ import annotations

import ast
import math
from typing import Any, Callable

import numpy as np

from dp.errors import ShapeError, TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import tensors
from dp.frontend.values import Array, ComplexValue, Const, is_const_array

Handler = Callable[[list[Any], dict[str, Any]], Any]
_NORMS = (None, "backward", "ortho", "forward")


def _nf() -> Any:
    from dp.frontend import numpy_functions

    return numpy_functions


def _static(bound: dict, key: str, default: Any, name: str) -> Any:
    if key not in bound:
        return default
    return _nf().static(bound[key], f"the argument '{key}' of {name}")


def _part(value: Any) -> Array | None:
    """A float array for a part of a value (None for a part that is a constant zero)."""
    if is_const_array(value):
        data = value.value
        return None if not data.any() else tensors.constant_array(np.asarray(data, dtype=data.dtype))
    if isinstance(value, Const):
        return None if value.value == 0 else tensors.as_array(value)
    array = tensors.as_array(tensors.operand(value))
    return array if array.dtype in ("float64", "float32") else tensors.cast(array, "float64")


def _parts(value: Any, name: str) -> tuple[Array, Array | None]:
    """(real part, imaginary part or None) of an array argument, in float64 or float32."""
    if isinstance(value, ComplexValue):
        real, imag = (_part(item) for item in value.items)
        if real is None and imag is None:
            raise TypeMismatchError(f"{name}: the array is a constant zero, which dp cannot size")
        like = real if real is not None else imag
        if real is None:
            real = tensors.binary(ast.Mult, like, Const(0.0))
        if imag is not None and imag.dtype != real.dtype:
            real, imag = tensors.cast(real, "float64"), tensors.cast(imag, "float64")
        return real, imag
    array = _nf()._array_like(value)
    array = tensors.as_array(array)
    if array.ndim == 0:
        raise ShapeError(f"{name}: the input must be an array of at least one dimension, not a scalar")
    return (array if array.dtype in ("float64", "float32") else tensors.cast(array, "float64")), None


def _matrix(length: int, n: int, columns: int, inverse: bool, scale: float, hermitian: bool) -> np.ndarray:
    """The complex L x m DFT matrix of a transform of length n applied to L given entries."""
    j = np.arange(min(length, n if not hermitian else n // 2 + 1))
    k = np.arange(columns)
    w = np.exp((2j if inverse else -2j) * np.pi * np.outer(j, k) / n) * scale
    if hermitian:  # the entries 1..ceil(n/2)-1 stand for themselves and their conjugates
        weights = np.where((j == 0) | ((n % 2 == 0) & (j == n // 2)), 1.0, 2.0)
        w = w * weights[:, None]
    full = np.zeros((length, columns), dtype=complex)
    full[: len(j)] = w
    return full


def _apply(part: Array, axis: int, matrix: np.ndarray) -> Array:
    """part with `axis` replaced by its product with the constant real `matrix` (L x m)."""
    perm = [d for d in range(part.ndim) if d != axis] + [axis]
    moved = tensors.transpose(part, perm) if axis != part.ndim - 1 else part
    rows = moved.spec.size // moved.shape[-1] if moved.shape[-1] else 0
    flat = tensors.reshape(moved, (rows, moved.shape[-1]), view=False)
    w = tensors.constant_array(np.ascontiguousarray(matrix.astype(part.dtype)))
    product = tensors.matmul(flat, w)
    out = tensors.reshape(product, moved.shape[:-1] + (matrix.shape[1],), view=False)
    if axis == part.ndim - 1:
        return out
    back = [0] * part.ndim
    for position, d in enumerate(perm):
        back[d] = position
    return tensors.transpose(out, back)


def _combine(a: Array | None, b: Array | None, subtract: bool) -> Array | None:
    if a is None:
        return None if b is None else (tensors.negate(b) if subtract else b)
    if b is None:
        return a
    return tensors.binary(ast.Sub if subtract else ast.Add, a, b)


def _transform(
    real: Array, imag: Array | None, axis: int, n: int, kind: str, norm: str | None
) -> tuple[Array, Array | None]:
    """One 1-D transform along `axis`: kind "fft", "ifft", "rfft" (real in) or "irfft" (real out)."""
    inverse = kind in ("ifft", "irfft")
    if norm == "ortho":
        scale = 1 / math.sqrt(n)
    elif (norm in (None, "backward")) == inverse:
        scale = 1 / n
    else:
        scale = 1.0
    columns = n // 2 + 1 if kind == "rfft" else n
    w = _matrix(real.shape[axis], n, columns, inverse, scale, kind == "irfft")
    # (xr + i xi)(wr + i wi) = xr wr - xi wi + i (xr wi + xi wr)
    out_real = _combine(_apply(real, axis, w.real), None if imag is None else _apply(imag, axis, w.imag), True)
    if kind == "irfft":
        return out_real, None
    out_imag = _combine(_apply(real, axis, w.imag), None if imag is None else _apply(imag, axis, w.real), False)
    return out_real, out_imag


def _result(real: Array, imag: Array | None) -> Any:
    if imag is None:
        return real
    from dp.frontend.complex_numbers import make

    return make(real, imag)


def _axis(axis: Any, ndim: int, name: str) -> int:
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeMismatchError(f"{name}: axis must be an int, not {axis!r}")
    if not -ndim <= axis < ndim:
        raise ShapeError(f"{name}: axis {axis} is out of bounds for an array of dimension {ndim}")
    return int(axis) % ndim


def _length(n: Any, default: int, name: str) -> int:
    if n is None:
        return default
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise ShapeError(f"{name}: invalid number of data points ({n!r}) specified")
    return int(n)


def _norm_option(bound: dict, name: str) -> str | None:
    norm = _static(bound, "norm", None, name)
    if norm not in _NORMS:
        raise UnsupportedSyntaxError(f"{name}: invalid norm {norm!r} (numpy takes 'backward', 'ortho' or 'forward')")
    return norm


def _one_dimensional(kind: str) -> Handler:
    name = f"np.fft.{kind}"

    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        bound = _nf()._bind(name, args, kwargs, ("a", "n", "axis", "norm", "out"))
        if _static(bound, "out", None, name) is not None:
            raise UnsupportedSyntaxError(f"{name}(out=...) is not supported")
        real, imag = _parts(bound["a"], name)
        if kind == "rfft" and imag is not None:
            raise TypeMismatchError(f"{name} takes a real array, not a complex one (use np.fft.fft)")
        axis = _axis(_static(bound, "axis", -1, name), real.ndim, name)
        default = 2 * (real.shape[axis] - 1) if kind == "irfft" else real.shape[axis]
        n = _length(_static(bound, "n", None, name), default, name)
        return _result(*_transform(real, imag, axis, n, kind, _norm_option(bound, name)))

    return lower


def _many_dimensional(kind: str, default_axes: tuple[int, ...] | None, suffix: str) -> Handler:
    """fft2/fftn and their inverse and real forms: the 1-D transform over each axis, the real one last."""
    name = f"np.fft.{kind}{suffix}"

    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        bound = _nf()._bind(name, args, kwargs, ("a", "s", "axes", "norm", "out"))
        if _static(bound, "out", None, name) is not None:
            raise UnsupportedSyntaxError(f"{name}(out=...) is not supported")
        real, imag = _parts(bound["a"], name)
        if kind == "rfft" and imag is not None:
            raise TypeMismatchError(f"{name} takes a real array, not a complex one")
        s = _static(bound, "s", None, name)
        axes = _static(bound, "axes", default_axes, name)
        if axes is None:
            axes = tuple(range(real.ndim)) if s is None else tuple(range(real.ndim - len(s), real.ndim))
        axes = [_axis(a, real.ndim, name) for a in axes]
        if s is not None and len(s) != len(axes):
            raise ShapeError(f"{name}: s and axes have different lengths ({len(s)} and {len(axes)})")
        if len(set(axes)) != len(axes):
            raise UnsupportedSyntaxError(f"{name}: repeated axes {tuple(axes)} are not supported")
        norm = _norm_option(bound, name)
        sizes = list(s) if s is not None else [real.shape[a] for a in axes]
        if kind == "irfft" and s is None:
            sizes[-1] = 2 * (real.shape[axes[-1]] - 1)
        sizes = [_length(n, 1, name) for n in sizes]
        complex_kind = {"fft": "fft", "ifft": "ifft", "rfft": "fft", "irfft": "ifft"}[kind]
        order = list(zip(axes, sizes))
        if kind == "rfft":  # the real transform first (last axis), then complex ones
            real, imag = _transform(real, imag, *order[-1], "rfft", norm)
            order = order[:-1]
        last = order.pop() if kind == "irfft" else None
        for axis, n in order:
            real, imag = _transform(real, imag, axis, n, complex_kind, norm)
        if last is not None:
            real, imag = _transform(real, imag, *last, "irfft", norm)
        return _result(real, imag)

    return lower


def _shift(inverse: bool) -> Handler:
    name = "np.fft.ifftshift" if inverse else "np.fft.fftshift"

    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        from dp.frontend import numpy_shapes

        bound = _nf()._bind(name, args, kwargs, ("x", "axes"))
        value = bound["x"]
        items = value.items if isinstance(value, ComplexValue) else (value,)
        shape = tensors.as_array(_nf()._array_like(items[0])).shape
        axes = _static(bound, "axes", None, name)
        axes = tuple(range(len(shape))) if axes is None else ((axes,) if isinstance(axes, (int, np.integer)) else axes)
        axes = tuple(_axis(a, len(shape), name) for a in axes)
        shifts = tuple(-(shape[a] // 2) if inverse else shape[a] // 2 for a in axes)
        rolled = [numpy_shapes.roll(item, Const(shifts), Const(axes), name) for item in items]
        return ComplexValue(tuple(rolled)) if isinstance(value, ComplexValue) else rolled[0]

    return lower


def _frequencies(real: bool) -> Handler:
    name = "np.fft.rfftfreq" if real else "np.fft.fftfreq"

    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        bound = _nf()._bind(name, args, kwargs, ("n", "d", "device"))
        n = _static(bound, "n", None, name)
        d = _static(bound, "d", 1.0, name)
        return tensors.constant_array((np.fft.rfftfreq if real else np.fft.fftfreq)(n, d))

    return lower


FFT_FUNCTIONS: dict[Any, Handler] = {
    **{getattr(np.fft, kind): _one_dimensional(kind) for kind in ("fft", "ifft", "rfft", "irfft")},
    **{getattr(np.fft, kind + "2"): _many_dimensional(kind, (-2, -1), "2") for kind in ("fft", "ifft", "rfft", "irfft")},
    **{getattr(np.fft, kind + "n"): _many_dimensional(kind, None, "n") for kind in ("fft", "ifft", "rfft", "irfft")},
    np.fft.fftshift: _shift(False),
    np.fft.ifftshift: _shift(True),
    np.fft.fftfreq: _frequencies(False),
    np.fft.rfftfreq: _frequencies(True),
}


def lookup(target: Any) -> Handler | None:
    """The handler of an np.fft function dp compiles, None for anything else."""
    try:
        return FFT_FUNCTIONS.get(target)
    except TypeError:
        return None


__all__ = ["FFT_FUNCTIONS", "lookup"]
