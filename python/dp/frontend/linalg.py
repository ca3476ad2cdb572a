"""np.linalg in compiled code: the user's call checked, batched and lowered to calls of dp.frontend.linalg_rules.

Each function takes a matrix (or a stack of them, `(..., m, n)`, looped
over at compile time: one call per matrix), converts ints to float64 as
numpy does, and calls the rule-carrying function of linalg_rules for each
matrix, so that both modes and every order differentiate with the matrix
rules. A matrix LAPACK cannot factor raises dp.LinAlgError (a
numpy.linalg.LinAlgError) at the user's line, after the call, as numpy
raises: solve and inv of a singular matrix, cholesky of a matrix that is
not positive definite, an eigh or svd that does not converge. det of a
singular matrix is 0, as in numpy.

np.linalg.norm is computed from reductions (and singular values for the
matrix 2-norms and the nuclear norm), for every ord numpy accepts.
"""

from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
from mlir import ir
from mlir.dialects import arith
from mlir.dialects import math as mlir_math

from dp.errors import ShapeError, TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import array_indexing, checks, linalg_rules, tensors
from dp.frontend.values import Array, ComplexValue, Const, StaticConst, TupleValue

Handler = Callable[[Any, list[Any], dict[str, Any]], Any]


def _nf() -> Any:
    from dp.frontend import numpy_functions

    return numpy_functions


# -- arguments -----------------------------------------------------------------------------------------------------


def _matrix(value: Any, name: str, what: str = "a", square: bool = False) -> Array:
    """A float array of rank >= 2 (ints become float64)."""
    if isinstance(value, ComplexValue):
        raise UnsupportedSyntaxError(f"{name} of complex matrices is not supported: dp's LAPACK calls are real")
    x = tensors.as_array(_nf()._array_like(value))
    if x.ndim < 2:
        raise ShapeError(
            f"{name}: {x.ndim}-dimensional array given; '{what}' must be at least two-dimensional (shape {x.shape})"
        )
    if square and x.shape[-1] != x.shape[-2]:
        raise ShapeError(f"{name}: the last two dimensions of '{what}' must be square, not {x.shape[-2:]}")
    if x.dtype not in ("float64", "float32"):
        x = tensors.cast(x, "float64")
    return x


def _option(bound: dict, key: str, default: Any, name: str) -> Any:
    if key not in bound:
        return default
    return _nf().static(bound[key], f"the argument '{key}' of {name}")


def _call(visitor: Any, rule: Any, *args: Any) -> Any:
    """A call of a linalg_rules function (compiled like user code, with its derivative rules)."""
    return visitor.call(Const(rule), list(args), {}, None)


def _check(info: Any, message: str) -> None:
    """LAPACK's info must be 0: otherwise dp.LinAlgError(message) at the user's line."""
    zero = arith.constant(ir.IntegerType.get_signless(64), 0)
    checks.check(arith.cmpi(arith.CmpIPredicate.eq, info.value, zero), "linalg", message)


# -- batches -------------------------------------------------------------------------------------------------------


def _item(x: Array, index: tuple[int, ...]) -> Array:
    """The matrix at `index` of a stack (broadcast: a size-1 dim serves every index)."""
    batch = x.shape[:-2]
    offset = len(index) - len(batch)
    components = [Const(0 if n == 1 else index[offset + d]) for d, n in enumerate(batch)]
    return array_indexing.get_item(x, components) if components else x


def _stack(parts: list[Any], batch: tuple[int, ...]) -> Any:
    """The per-matrix results `parts` (in row-major batch order) as one array of shape batch + part shape."""
    if not batch:
        return parts[0]
    arrays = [tensors.as_array(part) for part in parts]
    stacked = tensors.stack(arrays, 0)
    return tensors.reshape(stacked, batch + arrays[0].shape, view=False)


def _batched(
    batch: tuple[int, ...], each: Callable[[tuple[int, ...]], tuple[Any, ...]], count: int
) -> tuple[Any, ...]:
    """`each(index)` for every index of `batch`, its `count` results stacked."""
    results = [each(index) for index in itertools.product(*[range(n) for n in batch])]
    return tuple(_stack([result[k] for result in results], batch) for k in range(count))


def _batch_shape(name: str, *arrays: Array) -> tuple[int, ...]:
    try:
        return tensors.broadcast_shapes(*[x.shape[:-2] for x in arrays])
    except ShapeError:
        shapes = ", ".join(str(x.shape) for x in arrays)
        raise ShapeError(f"{name}: the stacks of matrices of shapes {shapes} do not broadcast") from None


def _same_dtype(*arrays: Array) -> list[Array]:
    dtype = "float32" if all(x.dtype == "float32" for x in arrays) else "float64"
    return [tensors.cast(x, dtype) for x in arrays]


# -- the functions ---------------------------------------------------------------------------------------------------


def _solve(visitor: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
    name = "np.linalg.solve"
    bound = _nf()._bind(name, args, kwargs, ("a", "b"), 2)
    a = _matrix(bound["a"], name, "a", square=True)
    b = tensors.as_array(_nf()._array_like(bound["b"]))
    if b.dtype not in ("float64", "float32"):
        b = tensors.cast(b, "float64")
    a, b = _same_dtype(a, b)
    n = a.shape[-1]
    vector = b.ndim == 1  # numpy 2: b is a vector only when it is 1-D
    if b.ndim == 0 or b.shape[0 if vector else -2] != n:
        raise ShapeError(f"{name}: 'b' of shape {b.shape} does not fit 'a' of shape {a.shape} (its rows must be {n})")
    if vector:
        b = tensors.reshape(b, (n, 1), view=False)
    batch = _batch_shape(name, a, b)

    def each(index: tuple[int, ...]) -> tuple[Any, ...]:
        x, info = _call(visitor, linalg_rules.solve, _item(a, index), _item(b, index)).items
        _check(info, "Singular matrix")
        return (tensors.reshape(x, (n,), view=False) if vector else x,)

    return _batched(batch, each, 1)[0]


def _square_function(
    name: str, rule: Any, message: str | None, outputs: int, options: tuple[str, ...] = ()
) -> Handler:
    """A function of one stack of square matrices; `message` is the LinAlgError for a nonzero info, if any."""

    def lower(visitor: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        bound = _nf()._bind(name, args, kwargs, ("a",) + options)
        a = _matrix(bound["a"], name, "a", square=True)

        def each(index: tuple[int, ...]) -> tuple[Any, ...]:
            out = _call(visitor, rule, _item(a, index))
            items = out.items if isinstance(out, TupleValue) else (out,)
            if message is not None:
                _check(items[-1], message)
                items = items[:-1]
            return items

        results = _batched(a.shape[:-2], each, outputs)
        return results[0] if outputs == 1 else TupleValue(results)

    return lower


_inv = _square_function("np.linalg.inv", linalg_rules.inv, "Singular matrix", 1)
_det = _square_function("np.linalg.det", linalg_rules.det, None, 1)
_slogdet = _square_function("np.linalg.slogdet", linalg_rules.slogdet, None, 2)


def _cholesky(visitor: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
    name = "np.linalg.cholesky"
    bound = _nf()._bind(name, args, kwargs, ("a", "upper"))
    upper = bool(_option(bound, "upper", False, name))
    lower = _square_function(name, linalg_rules.cholesky, "Matrix is not positive definite", 1)
    l = lower(visitor, [bound["a"]], {})
    return _swap_last(l) if upper else l


def _swap_last(x: Array) -> Array:
    axes = list(range(x.ndim))
    axes[-2], axes[-1] = axes[-1], axes[-2]
    return tensors.transpose(x, axes)


def _eigh(visitor: Any, args: list[Any], kwargs: dict[str, Any], name: str = "np.linalg.eigh") -> Any:
    bound = _nf()._bind(name, args, kwargs, ("a", "UPLO"))
    uplo = _option(bound, "UPLO", "L", name)
    if uplo not in ("L", "U"):
        raise UnsupportedSyntaxError(f"{name}: UPLO must be 'L' or 'U', not {uplo!r}")
    a = _matrix(bound["a"], name, "a", square=True)

    def each(index: tuple[int, ...]) -> tuple[Any, ...]:
        w, v, info = _call(visitor, linalg_rules.eigh, _item(a, index), StaticConst(uplo == "L")).items
        _check(info, "Eigenvalues did not converge")
        return w, v

    return TupleValue(_batched(a.shape[:-2], each, 2))


def _eigvalsh(visitor: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
    return _eigh(visitor, args, kwargs, "np.linalg.eigvalsh").items[0]


def _svd(visitor: Any, args: list[Any], kwargs: dict[str, Any], name: str = "np.linalg.svd") -> Any:
    bound = _nf()._bind(name, args, kwargs, ("a", "full_matrices", "compute_uv", "hermitian"))
    full = bool(_option(bound, "full_matrices", True, name))
    compute_uv = bool(_option(bound, "compute_uv", True, name))
    if _option(bound, "hermitian", False, name):
        raise UnsupportedSyntaxError(f"{name}(hermitian=True) is not supported (use np.linalg.eigh)")
    a = _matrix(bound["a"], name, "a")
    m, n = a.shape[-2:]

    def each(index: tuple[int, ...]) -> tuple[Any, ...]:
        matrix = _item(a, index)
        if not compute_uv:
            s, info = _call(visitor, linalg_rules.svd_values, matrix).items
            _check(info, "SVD did not converge")
            return (s,)
        if full and m != n:
            u, s, vt, info = _call(visitor, linalg_rules.svd_full, matrix).items
        else:
            u, s, vt, info = _call(visitor, linalg_rules.svd, matrix).items
        _check(info, "SVD did not converge")
        return u, s, vt

    results = _batched(a.shape[:-2], each, 3 if compute_uv else 1)
    return TupleValue(results) if compute_uv else results[0]


def _svdvals(visitor: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _nf()._bind("np.linalg.svdvals", args, kwargs, ("x",))
    return _svd(visitor, [bound["x"]], {"compute_uv": Const(False)}, "np.linalg.svdvals")


def _qr(visitor: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
    name = "np.linalg.qr"
    bound = _nf()._bind(name, args, kwargs, ("a", "mode"))
    mode = _option(bound, "mode", "reduced", name)
    if mode not in ("reduced", "complete", "r"):
        raise UnsupportedSyntaxError(f"{name}(mode={mode!r}) is not supported: dp computes 'reduced', 'complete' and 'r'")
    a = _matrix(bound["a"], name, "a")
    m, n = a.shape[-2:]

    def each(index: tuple[int, ...]) -> tuple[Any, ...]:
        matrix = _item(a, index)
        if mode == "complete" and m > n:
            return _call(visitor, linalg_rules.qr_complete, matrix).items
        if m >= n:
            return _call(visitor, linalg_rules.qr, matrix).items
        return _call(visitor, linalg_rules.qr_wide, matrix).items

    q, r = _batched(a.shape[:-2], each, 2)
    return r if mode == "r" else TupleValue((q, r))


def _pinv(visitor: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
    name = "np.linalg.pinv"
    bound = _nf()._bind(name, args, kwargs, ("a", "rcond", "hermitian"))
    rcond = _option(bound, "rcond", None, name)
    rcond = 1e-15 if rcond is None else float(rcond)
    if _option(bound, "hermitian", False, name):
        raise UnsupportedSyntaxError(f"{name}(hermitian=True) is not supported")
    a = _matrix(bound["a"], name, "a")
    return _batched(a.shape[:-2], lambda index: (_call(visitor, linalg_rules.pinv, _item(a, index),
                                                         StaticConst(rcond)),), 1)[0]


def _matrix_power(visitor: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
    name = "np.linalg.matrix_power"
    bound = _nf()._bind(name, args, kwargs, ("a", "n"), 2)
    power = _nf().static(bound["n"], f"the exponent of {name}")
    if not isinstance(power, (int, np.integer)) or isinstance(power, bool):
        raise TypeMismatchError(f"{name}: the exponent must be an integer, not {power!r}")
    a = tensors.as_array(_nf()._array_like(bound["a"]))
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ShapeError(f"{name}: 'a' must be a stack of square matrices, not shape {a.shape}")
    if power < 0:
        a = _inv(visitor, [a], {})
        power = -power

    def each(index: tuple[int, ...]) -> tuple[Any, ...]:
        base, result = _item(a, index), None
        remaining = power
        while remaining:  # binary exponentiation, unrolled at compile time
            if remaining & 1:
                result = base if result is None else tensors.matmul(result, base)
            remaining >>= 1
            if remaining:
                base = tensors.matmul(base, base)
        if result is None:
            return (tensors.constant_array(np.eye(a.shape[-1], dtype=a.dtype)),)
        return (result,)

    return _batched(a.shape[:-2], each, 1)[0]


# -- norm --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entries:
    """What the norms of x are computed from: |x|² and |x| elementwise, and x itself when it is real."""

    squares: Array
    magnitudes: Array
    real: Array | None

    @property
    def shape(self) -> tuple[int, ...]:
        return self.squares.shape


def _entries(value: Any) -> _Entries:
    if isinstance(value, ComplexValue):
        from dp.frontend import complex_numbers

        real, imag = (tensors.as_array(tensors.operand(part)) for part in value.items)
        squares = tensors.binary(ast.Add, tensors.binary(ast.Mult, real, real), tensors.binary(ast.Mult, imag, imag))
        return _Entries(squares, tensors.as_array(complex_numbers.absolute(value)), None)
    x = tensors.as_array(_nf()._array_like(value))
    x = tensors.cast(x, tensors.float_dtype(x.dtype))
    return _Entries(tensors.binary(ast.Mult, x, x), tensors.unary_math(mlir_math.absf, x, "abs"), x)


def _norm(visitor: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
    name = "np.linalg.norm"
    bound = _nf()._bind(name, args, kwargs, ("x", "ord", "axis", "keepdims"))
    x = _entries(bound["x"])
    ndim = len(x.shape)
    order = _option(bound, "ord", None, name)
    keepdims = bool(_option(bound, "keepdims", False, name))
    axis = _option(bound, "axis", None, name)
    if axis is None:
        if order is None:  # the 2-norm of x flattened, whatever its rank
            return _keep(_sqrt(tensors.reduce("sum", x.squares, None)), x, tuple(range(ndim)), keepdims)
        if ndim not in (1, 2):
            raise ShapeError(f"{name}: an 'ord' needs a 1-D or 2-D array or an 'axis', not shape {x.shape}")
        axis = tuple(range(ndim))
    given = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    if len(given) not in (1, 2) or not all(isinstance(d, (int, np.integer)) for d in given):
        raise TypeMismatchError(f"{name}: 'axis' must be an int or a pair of ints, not {axis!r}")
    for d in given:
        if not -ndim <= d < ndim:
            raise ShapeError(f"{name}: axis {d} is out of bounds for an array of dimension {ndim}")
    given = tuple(int(d) % ndim for d in given)
    if len(set(given)) != len(given):
        raise ShapeError(f"{name}: duplicate axes given ({axis!r})")
    if len(given) == 1:
        result = _vector_norm(x, given[0], order, name)
    else:
        result = _matrix_norm(visitor, x, given, order, name)
    return _keep(result, x, given, keepdims)


def _keep(result: Any, x: _Entries, axes: tuple[int, ...], keepdims: bool) -> Any:
    if not keepdims:
        return result
    shape = tuple(1 if d in axes else n for d, n in enumerate(x.shape))
    return tensors.reshape(tensors.as_array(result), shape, view=False)


def _sqrt(value: Any) -> Any:
    return tensors.unary_math(mlir_math.sqrt, value, "sqrt")


def _vector_norm(x: _Entries, axis: int, order: Any, name: str) -> Any:
    if order is None or order == 2:
        return _sqrt(tensors.reduce("sum", x.squares, axis))
    if isinstance(order, str):
        raise UnsupportedSyntaxError(f"{name}: ord={order!r} is a matrix norm; a vector norm takes a number")
    if order == np.inf:
        return tensors.reduce("max", x.magnitudes, axis)
    if order == -np.inf:
        return tensors.reduce("min", x.magnitudes, axis)
    if order == 0:  # the number of nonzero entries (no derivative: a count)
        nonzero = tensors.compare(ast.NotEq, x.squares, Const(0.0))
        return tensors.reduce("sum", tensors.cast(tensors.as_array(nonzero), x.squares.dtype), axis)
    if order == 1:
        return tensors.reduce("sum", x.magnitudes, axis)
    p = float(order)
    total = tensors.reduce("sum", tensors.power(x.magnitudes, Const(p)), axis)
    return tensors.power(total, Const(1.0 / p))


def _matrix_norm(visitor: Any, x: _Entries, axes: tuple[int, int], order: Any, name: str) -> Any:
    row, col = axes
    if order in (None, "fro"):
        return _sqrt(tensors.reduce("sum", x.squares, tuple(sorted(axes))))
    if order in (1, -1, np.inf, -np.inf):
        summed, other = (row, col) if order in (1, -1) else (col, row)
        sums = tensors.reduce("sum", x.magnitudes, summed)
        remaining = other - (1 if summed < other else 0)
        return tensors.reduce("max" if order > 0 else "min", sums, remaining)
    if order in (2, -2, "nuc"):
        if x.real is None:
            raise UnsupportedSyntaxError(f"{name}: ord={order!r} of a complex matrix (a complex SVD) is not supported")
        # singular values of each matrix: move the two axes last
        rest = [d for d in range(len(x.shape)) if d not in axes]
        moved = tensors.transpose(x.real, rest + [row, col])
        s = _svd(visitor, [moved], {"compute_uv": Const(False)}, name)
        last = s.ndim - 1
        if order == "nuc":
            return tensors.reduce("sum", s, last)
        return tensors.reduce("max" if order == 2 else "min", s, last)
    raise UnsupportedSyntaxError(
        f"{name}: ord={order!r} is not a matrix norm (numpy takes None, 'fro', 'nuc', 1, -1, 2, -2, inf, -inf)"
    )


# The numpy functions this module compiles: handler(visitor, args, kwargs).
LINALG_FUNCTIONS: dict[Any, Handler] = {
    np.linalg.solve: _solve,
    np.linalg.inv: _inv,
    np.linalg.det: _det,
    np.linalg.slogdet: _slogdet,
    np.linalg.cholesky: _cholesky,
    np.linalg.qr: _qr,
    np.linalg.eigh: _eigh,
    np.linalg.eigvalsh: _eigvalsh,
    np.linalg.svd: _svd,
    np.linalg.norm: _norm,
    np.linalg.pinv: _pinv,
    np.linalg.matrix_power: _matrix_power,
}
if hasattr(np.linalg, "svdvals"):
    LINALG_FUNCTIONS[np.linalg.svdvals] = _svdvals

def lookup(target: Any) -> Handler | None:
    """The handler of an np.linalg function dp compiles, None for anything else."""
    try:
        return LINALG_FUNCTIONS.get(target)
    except TypeError:
        return None


__all__ = ["LINALG_FUNCTIONS", "lookup"]

