"""numpy's layout functions (repeat, tile, pad, roll, flip, split, moveaxis, ...) and scans (cumsum, diff).

Each is a composition of the ops dp.frontend.tensors builds, so that
dp-autodiff differentiates it in both modes with the rules it already has:
pieces along an axis are `tensor.extract_slice`s joined by `tensor.concat`,
repetitions are `linalg.broadcast` followed by a reshape, and scans are
log2(n) rounds of shifted adds (Hillis-Steele), not n sequential ones.
Counts, axes, shifts and pad widths are compile-time constants (shapes are
static); a value that is not is a dp.TypeMismatchError naming the function.
"""

from __future__ import annotations

import ast
import builtins
from typing import Any, Callable, Sequence

import numpy as np
from mlir import ir
from mlir.dialects import tensor

from dp.errors import ShapeError, TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import numpy_functions as nf
from dp.frontend import tensors
from dp.frontend.dtypes import ArraySpec
from dp.frontend.values import Array, Const, ListValue, TupleValue, describe, mlir_type

Handler = Callable[[list[Any], dict[str, Any]], Any]


# -- building blocks ---------------------------------------------------------------------------------------


def array(value: Any) -> Array:
    """An operand of any rank as an Array (lists become arrays, numbers 0-d arrays)."""
    return tensors.as_array(nf._array_like(value))


def result(value: Array) -> Any:
    """A 0-d result as a number (numpy returns scalars there), others unchanged."""
    return tensors.operand(value) if isinstance(value, Array) and value.ndim == 0 else value


def axis_of(value: Any, ndim: int, name: str, default: int | None = 0) -> int:
    """One compile-time axis, normalized into [0, ndim)."""
    axis = default if value is None else nf.static(value, f"the axis of {name}")
    if axis is None:
        raise TypeMismatchError(f"{name}: axis must be an int")
    (d,) = tensors.normalize_axes(axis, ndim, name)
    return d


def _constant_elements(x: Array) -> np.ndarray | None:
    """The elements of an array that an `arith.constant` defines (np.array([1, 0, 2]) in the code), else None."""
    owner = x.value.owner
    if isinstance(owner, ir.Block) or owner.operation.name != "arith.constant":
        return None
    attr = owner.operation.attributes["value"]
    if not isinstance(attr, ir.DenseIntElementsAttr):
        return None
    if attr.is_splat:
        return np.full(x.shape, ir.IntegerAttr(attr.get_splat_value()).value)
    return np.array(attr).reshape(x.shape)


def ints(value: Any, what: str) -> tuple[int, ...]:
    """A compile-time int or sequence of ints (or a constant int array) as a tuple."""
    if isinstance(value, Array):
        data = _constant_elements(value)
        if data is None:
            raise TypeMismatchError(f"{what} must be known at compile time, not {describe(value)}")
    else:
        data = np.asarray(nf.static(value, what))
    if data.dtype.kind not in "iub":
        raise TypeMismatchError(f"{what} must be ints, not {data.tolist()!r}")
    return tuple(int(n) for n in data.reshape(-1))


def piece(x: Array, axis: int, start: int, size: int, stride: int = 1) -> Array:
    """`x[..., start:start+size*stride:stride, ...]` along `axis` (a tensor.extract_slice, a fresh array)."""
    if start == 0 and size == x.shape[axis] and stride == 1:
        return x
    offsets, sizes, strides = [0] * x.ndim, list(x.shape), [1] * x.ndim
    offsets[axis], sizes[axis], strides[axis] = start if size else 0, size, stride  # an empty piece stays in bounds
    spec = x.spec.with_shape(tuple(sizes))
    return Array(tensor.extract_slice(mlir_type(spec), x.value, [], [], [], offsets, sizes, strides), spec)


def join(parts: Sequence[Array], axis: int, like: Array) -> Array:
    """np.concatenate of `parts` along `axis`, dropping empty ones (an empty result keeps `like`'s dtype)."""
    kept = [p for p in parts if p.shape[axis] > 0]
    if not kept:
        shape = list(like.shape)
        shape[axis] = 0
        return tensors.full(like.spec.with_shape(tuple(shape)), Const(0))
    if len(kept) == 1:
        return kept[0]
    return tensors.concatenate(kept, axis)


def reverse(x: Array, axis: int) -> Array:
    """`x` reversed along `axis`: its size-1 slices concatenated in reverse order."""
    n = x.shape[axis]
    if n <= 1:
        return x
    return tensors.concatenate([piece(x, axis, i, 1) for i in range(n - 1, -1, -1)], axis)


def move_to_end(x: Array, axes: Sequence[int]) -> Array:
    """`x` with `axes` (in this order) moved behind the others."""
    rest = [d for d in range(x.ndim) if d not in axes]
    return tensors.transpose(x, rest + list(axes))


def filled_like(x: Array, axis: int, size: int, value: Any) -> Array:
    """An array of `x`'s shape with `size` along `axis`, filled with a number."""
    shape = list(x.shape)
    shape[axis] = size
    return tensors.broadcast_to(tensors.operand(value), x.dtype, tuple(shape))


def stretch(x: Array, axis: int, size: int) -> Array:
    """A size-1 `axis` of `x` broadcast to `size`."""
    shape = list(x.shape)
    shape[axis] = size
    return tensors.broadcast_to(x, x.dtype, tuple(shape))


def flat(x: Array) -> Array:
    return tensors.reshape(x, (x.spec.size,), view=False)


# -- scans ----------------------------------------------------------------------------------------------------


def scan(kind: str, value: Any, axis: Any, dtype: Any, name: str) -> Array:
    """np.cumsum / np.cumprod: Hillis-Steele rounds y = y op shift(y, k) for k = 1, 2, 4, ..."""
    x = array(value)
    if axis is None or (isinstance(axis, Const) and axis.value is None):
        x, d = flat(x), 0
    else:
        d = axis_of(axis, x.ndim, name)
    target = nf._dtype(dtype, None, name)
    if target is None:
        target = "int64" if x.dtype in ("bool", "int32") else x.dtype
    y = tensors.cast(Array(x.value, x.spec), target)
    n, k = y.shape[d], 1
    op = ast.Add if kind == "sum" else ast.Mult
    while k < n:
        shifted = join([filled_like(y, d, k, Const(0 if kind == "sum" else 1)), piece(y, d, 0, n - k)], d, y)
        y = tensors.binary(op, y, shifted)
        k *= 2
    return y


def _cumulative(kind: str) -> Handler:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        name = f"np.cum{kind}"
        bound = nf._bind(name, args, kwargs, ("a", "axis", "dtype", "out"))
        _no_out(bound, name)
        return scan(kind, bound["a"], bound.get("axis"), bound.get("dtype"), name)

    return lower


def _no_out(bound: dict, name: str) -> None:
    out = bound.get("out")
    if out is not None and not (isinstance(out, Const) and out.value is None):
        raise UnsupportedSyntaxError(f"{name}(out=...) is not supported")


def diff(value: Any, n: Any, axis: Any, prepend: Any, append: Any, name: str = "np.diff") -> Any:
    """np.diff: n rounds of x[1:] - x[:-1] along `axis` (not-equal for bools, as numpy)."""
    x = array(value)
    if x.ndim == 0:
        raise ShapeError(f"{name} requires input that is at least one dimensional")
    count = 1 if n is None else nf.static(n, f"the order n of {name}")
    if not isinstance(count, int) or count < 0:
        raise ShapeError(f"{name}: order must be non-negative but got {count!r}")
    d = axis_of(axis, x.ndim, name, -1)
    parts = []
    for extra in (prepend, append):
        if extra is None or (isinstance(extra, Const) and extra.value is None):
            parts.append(None)
            continue
        e = array(extra)
        if e.ndim == 0:
            shape = list(x.shape)
            shape[d] = 1
            e = tensors.broadcast_to(tensors.operand(e), tensors.result_dtype(x, e), tuple(shape))
        parts.append(e)
    if parts[0] is not None or parts[1] is not None:
        pieces = [p for p in (parts[0], x, parts[1]) if p is not None]
        x = tensors.concatenate(pieces, d)
    for _ in range(count):
        size = x.shape[d]
        if size == 0:
            break
        later, earlier = piece(x, d, 1, size - 1), piece(x, d, 0, size - 1)
        if x.dtype == "bool":
            x = tensors.compare(ast.NotEq, later, earlier)
        else:
            x = tensors.binary(ast.Sub, later, earlier)
    return x


def _diff(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = nf._bind("np.diff", args, kwargs, ("a", "n", "axis", "prepend", "append"))
    return diff(bound["a"], bound.get("n"), bound.get("axis"), bound.get("prepend"), bound.get("append"))


# -- repetition ---------------------------------------------------------------------------------------------------


def repeat(value: Any, repeats: Any, axis: Any, name: str = "np.repeat") -> Array:
    """np.repeat: a uniform count broadcasts a new dim after `axis` and merges it; per-element counts
    broadcast each size-1 slice and concatenate."""
    x = array(value)
    if axis is None or (isinstance(axis, Const) and axis.value is None):
        x, d = flat(x), 0
    else:
        d = axis_of(axis, x.ndim, name)
    counts = ints(repeats, f"the repeats of {name}")
    if any(c < 0 for c in counts):
        raise ShapeError(f"{name}: negative dimensions are not allowed")
    n = x.shape[d]
    if len(counts) == 1:
        (c,) = counts
        shape = list(x.shape)
        shape[d] = n * c
        if n * c == 0:
            return tensors.full(x.spec.with_shape(tuple(shape)), Const(0))
        wide = tensors.insert_unit_dims(x, [d + 1], view=False)
        wide = stretch(wide, d + 1, c)
        return tensors.reshape(wide, tuple(shape), view=False)
    if len(counts) != n:
        raise ShapeError(f"{name}: operands could not be broadcast together with shape ({n},) and ({len(counts)},)")
    parts = [stretch(piece(x, d, i, 1), d, c) for i, c in enumerate(counts) if c]
    return join(parts, d, x)


def _repeat(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = nf._bind("np.repeat", args, kwargs, ("a", "repeats", "axis"), 2)
    return repeat(bound["a"], bound["repeats"], bound.get("axis"))


def tile(value: Any, reps: Any, name: str = "np.tile") -> Array:
    """np.tile: the array (with leading size-1 dims) gets a broadcast dim before each of its dims."""
    x = array(value)
    counts = ints(reps, f"the reps of {name}")
    rank = builtins.max(x.ndim, len(counts))
    counts = (1,) * (rank - len(counts)) + counts
    x = tensors.reshape(x, (1,) * (rank - x.ndim) + x.shape, view=False)
    shape = tuple(c * n for c, n in zip(counts, x.shape))
    if 0 in shape:
        return tensors.full(x.spec.with_shape(shape), Const(0))
    wide = tensors.insert_unit_dims(x, [2 * d for d in range(rank)], view=False)
    interleaved = tuple(v for c, n in zip(counts, x.shape) for v in (c, n))
    wide = tensors.broadcast_to(wide, x.dtype, interleaved)
    return tensors.reshape(wide, shape, view=False)


def _tile(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = nf._bind("np.tile", args, kwargs, ("A", "reps"), 2)
    return tile(bound["A"], bound["reps"])


# -- padding --------------------------------------------------------------------------------------------------------


def _pairs(value: Any, ndim: int, what: str) -> list[tuple[Any, Any]]:
    """numpy's per-axis (before, after) pairs from a scalar, a pair, or one pair per axis."""
    data = value if isinstance(value, tuple) else (value,)
    if data and not isinstance(data[0], tuple):
        data = (data,)
    if len(data) == 1:
        data = data * ndim
    if len(data) != ndim:
        raise ShapeError(f"{what}: {len(data)} pairs given for an array of dimension {ndim}")
    pairs = []
    for pair in data:
        if len(pair) == 1:
            pair = pair * 2
        if len(pair) != 2:
            raise ShapeError(f"{what}: each axis takes a (before, after) pair, not {pair!r}")
        pairs.append(tuple(pair))
    return pairs


def _pad_values(value: Any, ndim: int, name: str) -> list[tuple[Any, Any]]:
    """Constant values per axis and side: compile-time pairs, or one runtime scalar everywhere."""
    if value is None:
        return [(Const(0), Const(0))] * ndim
    if isinstance(value, (Const, TupleValue, ListValue)):
        try:
            data = nf.static(value, "")
        except TypeMismatchError:
            data = None
        if data is not None:
            return [(Const(a), Const(b)) for a, b in _pairs(data, ndim, f"the constant_values of {name}")]
    scalar = tensors.operand(value)
    if isinstance(scalar, Array):
        raise UnsupportedSyntaxError(f"{name}: constant_values must be a number or compile-time pairs of numbers")
    return [(scalar, scalar)] * ndim


def pad(value: Any, width: Any, mode: Any, constant_values: Any, name: str = "np.pad") -> Array:
    """np.pad with mode constant, edge, reflect, symmetric or wrap: the padding is concatenated axis by axis."""
    x = array(value)
    how = "constant" if mode is None else nf.static(mode, f"the mode of {name}")
    if how not in ("constant", "edge", "reflect", "symmetric", "wrap"):
        raise UnsupportedSyntaxError(f"{name}(mode={how!r}) is not supported (constant, edge, reflect, symmetric, wrap are)")
    widths = _pairs(nf.static(width, f"the pad_width of {name}"), x.ndim, f"the pad_width of {name}")
    for pair in widths:
        if any(not isinstance(w, (int, np.integer)) or w < 0 for w in pair):
            raise ShapeError(f"{name}: pad widths must be non-negative ints, not {pair!r}")
    fills = _pad_values(constant_values, x.ndim, name) if how == "constant" else None
    for d, (before, after) in enumerate(widths):
        n = x.shape[d]
        if (before or after) and n == 0 and how != "constant":
            raise ShapeError(f"{name}: can't extend an empty axis {d} using mode {how!r}")
        limit = n - 1 if how == "reflect" else n
        if how in ("reflect", "symmetric", "wrap") and builtins.max(before, after) > limit:
            raise UnsupportedSyntaxError(
                f"{name}(mode={how!r}) with a pad width ({builtins.max(before, after)}) beyond the axis "
                f"({n} elements) is not supported"
            )
        sides = []
        for side, w in ((0, before), (1, after)):
            if how == "constant":
                sides.append(filled_like(x, d, w, fills[d][side]))
            elif how == "edge":
                sides.append(stretch(piece(x, d, 0 if side == 0 else n - 1, 1), d, w))
            elif how == "reflect":
                sides.append(reverse(piece(x, d, 1, w) if side == 0 else piece(x, d, n - 1 - w, w), d))
            elif how == "symmetric":
                sides.append(reverse(piece(x, d, 0, w) if side == 0 else piece(x, d, n - w, w), d))
            else:
                sides.append(piece(x, d, n - w, w) if side == 0 else piece(x, d, 0, w))
        x = join([sides[0], x, sides[1]], d, x)
    return x


def _pad(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = nf._bind("np.pad", args, kwargs, ("array", "pad_width", "mode", "constant_values"), 2)
    return pad(bound["array"], bound["pad_width"], bound.get("mode"), bound.get("constant_values"))


# -- reordering -------------------------------------------------------------------------------------------------------


def roll(value: Any, shift: Any, axis: Any, name: str = "np.roll") -> Any:
    """np.roll: the last `shift` elements along each axis come first (two slices, concatenated)."""
    x = array(value)
    shifts = ints(shift, f"the shift of {name}")
    if axis is None or (isinstance(axis, Const) and axis.value is None):
        if len(shifts) != 1:
            raise ShapeError(f"{name}: a tuple of shifts needs a tuple of axes")
        rolled = roll(flat(x), Const(shifts[0]), Const(0), name)
        return tensors.reshape(rolled, x.shape, view=False)
    axes = ints(axis, f"the axis of {name}")
    if len(shifts) == 1:
        shifts = shifts * len(axes)
    elif len(axes) == 1:
        axes = axes * len(shifts)
    if len(shifts) != len(axes):
        raise ShapeError(f"{name}: 'shift' and 'axis' should be scalars or 1D sequences of the same length")
    totals: dict[int, int] = {}
    for s, a in zip(shifts, axes):
        d = axis_of(Const(a), x.ndim, name)
        totals[d] = totals.get(d, 0) + s
    for d, s in totals.items():
        n = x.shape[d]
        if n == 0 or s % n == 0:
            continue
        s %= n
        x = tensors.concatenate([piece(x, d, n - s, s), piece(x, d, 0, n - s)], d)
    return x


def _roll(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = nf._bind("np.roll", args, kwargs, ("a", "shift", "axis"), 2)
    return roll(bound["a"], bound["shift"], bound.get("axis"))


def flip(value: Any, axis: Any, name: str = "np.flip") -> Any:
    x = array(value)
    if axis is None or (isinstance(axis, Const) and axis.value is None):
        axes = tuple(range(x.ndim))
    else:
        axes = tensors.normalize_axes(nf.static(axis, f"the axis of {name}"), x.ndim, name)
    for d in axes:
        x = reverse(x, d)
    return result(x)


def _flip(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = nf._bind("np.flip", args, kwargs, ("m", "axis"))
    return flip(bound["m"], bound.get("axis"))


def _flip_axis(name: str, axis: int) -> Handler:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        x = array(nf._bind(f"np.{name}", args, kwargs, ("m",))["m"])
        if x.ndim <= axis:
            raise ShapeError(f"np.{name}: input must be >= {axis + 1}-d")
        return reverse(x, axis)

    return lower


def rot90(value: Any, k: Any, axes: Any, name: str = "np.rot90") -> Array:
    """np.rot90: k quarter turns in the plane of `axes` (flips and a swap of the two axes)."""
    x = array(value)
    turns = 1 if k is None else nf.static(k, f"k of {name}")
    plane = (0, 1) if axes is None else nf.static(axes, f"the axes of {name}")
    if len(plane) != 2:
        raise ShapeError(f"{name}: len(axes) must be 2")
    a, b = (axis_of(Const(p), x.ndim, name) for p in plane)
    if a == b:
        raise ShapeError(f"{name}: axes must be different")
    turns %= 4
    if turns == 0:
        return x
    if turns == 2:
        return reverse(reverse(x, a), b)
    perm = list(range(x.ndim))
    perm[a], perm[b] = perm[b], perm[a]
    if turns == 1:
        return tensors.transpose(reverse(x, b), perm)
    return reverse(tensors.transpose(x, perm), b)


def _rot90(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = nf._bind("np.rot90", args, kwargs, ("m", "k", "axes"))
    return rot90(bound["m"], bound.get("k"), bound.get("axes"))


def moveaxis(value: Any, source: Any, destination: Any, name: str = "np.moveaxis") -> Array:
    x = array(value)
    src = [axis_of(Const(a), x.ndim, name) for a in ints(source, f"the source of {name}")]
    dst = [axis_of(Const(a), x.ndim, name) for a in ints(destination, f"the destination of {name}")]
    if len(src) != len(dst):
        raise ShapeError(f"{name}: `source` and `destination` arguments must have the same number of elements")
    if len(set(src)) != len(src) or len(set(dst)) != len(dst):
        raise ShapeError(f"{name}: repeated axis")
    order = [d for d in range(x.ndim) if d not in src]
    for s, t in sorted(zip(dst, src)):
        order.insert(s, t)
    return tensors.transpose(x, order)


def _moveaxis(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = nf._bind("np.moveaxis", args, kwargs, ("a", "source", "destination"), 3)
    return moveaxis(bound["a"], bound["source"], bound["destination"])


def _rollaxis(args: list[Any], kwargs: dict[str, Any]) -> Any:
    """np.rollaxis(a, axis, start): `axis` moved to just before `start` (numpy's older moveaxis)."""
    bound = nf._bind("np.rollaxis", args, kwargs, ("a", "axis", "start"), 2)
    x = array(bound["a"])
    axis = axis_of(bound["axis"], x.ndim, "np.rollaxis")
    start = 0 if bound.get("start") is None else int(nf.static(bound["start"], "the start of np.rollaxis"))
    start = start + x.ndim if start < 0 else start
    if not 0 <= start <= x.ndim:
        raise ShapeError(f"np.rollaxis: start {start} is out of bounds for an array of dimension {x.ndim}")
    order = [d for d in range(x.ndim) if d != axis]
    order.insert(start - 1 if axis < start else start, axis)
    return tensors.transpose(x, order)


def swapaxes(value: Any, axis1: Any, axis2: Any, name: str = "np.swapaxes") -> Array:
    x = array(value)
    a, b = axis_of(axis1, x.ndim, name), axis_of(axis2, x.ndim, name)
    perm = list(range(x.ndim))
    perm[a], perm[b] = perm[b], perm[a]
    return tensors.transpose(x, perm)


def _swapaxes(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = nf._bind("np.swapaxes", args, kwargs, ("a", "axis1", "axis2"), 3)
    return swapaxes(bound["a"], bound["axis1"], bound["axis2"])


def _atleast(rank: int) -> Handler:
    def one(value: Any) -> Array:
        x = array(value)
        if x.ndim >= rank:
            return x
        if rank == 1 or x.ndim == 0:
            shape = (1,) * (rank - x.ndim) + x.shape
        elif rank == 2:
            shape = (1,) + x.shape
        else:
            shape = ((1,) + x.shape + (1,)) if x.ndim == 1 else (x.shape + (1,))
        return tensors.reshape(x, shape, view=False)

    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        if kwargs:
            raise UnsupportedSyntaxError(f"np.atleast_{rank}d() takes its arrays positionally")
        results = [one(a) for a in args]
        return results[0] if len(results) == 1 else ListValue(tuple(results))

    return lower


def _broadcast_to(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = nf._bind("np.broadcast_to", args, kwargs, ("array", "shape", "subok"), 2)
    x = array(bound["array"])
    shape = nf._shape(bound["shape"], "np.broadcast_to")
    out = tensors.broadcast_to(x, x.dtype, shape)
    return tensors._derived(x, out.value, out.spec, True)


# -- splitting -------------------------------------------------------------------------------------------------


def split(value: Any, sections: Any, axis: Any, name: str, even: bool) -> ListValue:
    """np.split / array_split: views of the pieces along `axis` between the given indices."""
    x = array(value)
    d = axis_of(axis, x.ndim, name)
    n = x.shape[d]
    spec = nf.static(sections, f"the indices_or_sections of {name}")
    if isinstance(spec, (int, np.integer)) and not isinstance(spec, bool):
        count = int(spec)
        if count <= 0:
            raise ShapeError(f"{name}: number sections must be larger than 0")
        if even and n % count:
            raise ShapeError(f"{name}: array split does not result in an equal division ({n} into {count})")
        size, extra = divmod(n, count)
        bounds = [0]
        for i in range(count):
            bounds.append(bounds[-1] + size + (1 if i < extra else 0))
    else:
        points = [int(i) for i in ints(sections, f"the indices_or_sections of {name}")]
        bounds = [0] + [builtins.min(builtins.max(p + n if p < 0 else p, 0), n) for p in points] + [n]
    pieces = []
    for start, stop in zip(bounds, bounds[1:]):
        part = piece(x, d, start, builtins.max(stop - start, 0))
        pieces.append(tensors._derived(x, part.value, part.spec, True))
    return ListValue(tuple(pieces))


def _split(name: str, even: bool) -> Handler:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        bound = nf._bind(f"np.{name}", args, kwargs, ("ary", "indices_or_sections", "axis"), 2)
        return split(bound["ary"], bound["indices_or_sections"], bound.get("axis"), f"np.{name}", even)

    return lower


def _split_along(name: str, axis: int, rank: int) -> Handler:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        bound = nf._bind(f"np.{name}", args, kwargs, ("ary", "indices_or_sections"), 2)
        x = array(bound["ary"])
        if x.ndim < rank:
            raise ShapeError(f"np.{name} only works on arrays of {rank} or more dimensions")
        d = 0 if name == "hsplit" and x.ndim == 1 else axis
        return split(x, bound["indices_or_sections"], Const(d), f"np.{name}", True)

    return lower


# -- selection ----------------------------------------------------------------------------------------------


def _select(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = nf._bind("np.select", args, kwargs, ("condlist", "choicelist", "default"), 2)
    conditions, choices = bound["condlist"], bound["choicelist"]
    if not isinstance(conditions, (ListValue, TupleValue)) or not isinstance(choices, (ListValue, TupleValue)):
        raise TypeMismatchError("np.select takes lists of conditions and choices")
    if len(conditions.items) != len(choices.items):
        raise ShapeError("np.select: list of cases must be same length as list of conditions")
    default = bound.get("default", Const(0))
    values = [nf._array_like(c) for c in choices.items] + [nf._array_like(default)]
    dtype = tensors.result_dtype(*values)
    conds = [nf._array_like(c) for c in conditions.items]
    for c in conds:
        if tensors.dtype_of(c) != "bool":
            raise TypeMismatchError(f"np.select: invalid entry in condlist: should be boolean ndarray, not {describe(c)}")
    shape = tensors.broadcast_shapes(*[tensors.shape_of(v) for v in values + conds])
    out: Any = tensors.broadcast_to(values[-1], dtype, shape)
    for cond, choice in reversed(list(zip(conds, values))):
        out = tensors.where(cond, tensors.broadcast_to(choice, dtype, shape), out)
    return result(tensors.as_array(out))


def polyval(p: Any, x: Any, name: str = "np.polyval") -> Any:
    """np.polyval by Horner's rule: y = y * x + p[i]."""
    xs = nf._array_like(x)
    if isinstance(p, (ListValue, TupleValue)):
        coefficients = [nf._array_like(c) for c in p.items]
    else:
        coefficients = array(p)
        if coefficients.ndim != 1:
            raise ShapeError(f"{name}: the coefficients must be 1-D, not of shape {coefficients.shape}")
        coefficients = [result(tensors.reshape(piece(coefficients, 0, i, 1), ())) for i in range(coefficients.shape[0])]
    dtype = tensors.result_dtype(xs, *coefficients) if coefficients else tensors.dtype_of(xs)
    y: Any = tensors.broadcast_to(Const(0), dtype, tensors.shape_of(xs))
    for c in coefficients:
        y = tensors.binary(ast.Add, tensors.binary(ast.Mult, y, xs), c)
    return result(y) if isinstance(y, Array) else y


def _polyval(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = nf._bind("np.polyval", args, kwargs, ("p", "x"), 2)
    return polyval(bound["p"], bound["x"])


FUNCTIONS: dict[Any, Handler] = {
    np.cumsum: _cumulative("sum"),
    np.cumprod: _cumulative("prod"),
    np.diff: _diff,
    np.repeat: _repeat,
    np.tile: _tile,
    np.pad: _pad,
    np.roll: _roll,
    np.flip: _flip,
    np.fliplr: _flip_axis("fliplr", 1),
    np.flipud: _flip_axis("flipud", 0),
    np.rot90: _rot90,
    np.moveaxis: _moveaxis,
    np.swapaxes: _swapaxes,
    np.rollaxis: _rollaxis,
    np.atleast_1d: _atleast(1),
    np.atleast_2d: _atleast(2),
    np.atleast_3d: _atleast(3),
    np.broadcast_to: _broadcast_to,
    np.split: _split("split", True),
    np.array_split: _split("array_split", False),
    np.hsplit: _split_along("hsplit", 1, 1),
    np.vsplit: _split_along("vsplit", 0, 2),
    np.dsplit: _split_along("dsplit", 2, 3),
    np.select: _select,
    np.polyval: _polyval,
}
if hasattr(np, "cumulative_sum"):
    FUNCTIONS[np.cumulative_sum] = _cumulative("sum")


def call_method(x: Array, name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """The ndarray methods of this module's functions (`x.cumsum(axis)`, `x.repeat(r)`, `x.swapaxes(a, b)`)."""
    method = f"ndarray.{name}"
    if name in ("cumsum", "cumprod"):
        bound = nf._bind(method, args, kwargs, ("axis", "dtype", "out"), 0)
        _no_out(bound, method)
        return scan(name[3:], x, bound.get("axis"), bound.get("dtype"), method)
    if name == "repeat":
        bound = nf._bind(method, args, kwargs, ("repeats", "axis"), 1)
        return repeat(x, bound["repeats"], bound.get("axis"), method)
    if name == "swapaxes":
        bound = nf._bind(method, args, kwargs, ("axis1", "axis2"), 2)
        return swapaxes(x, bound["axis1"], bound["axis2"], method)
    return None


METHODS = ("cumsum", "cumprod", "repeat", "swapaxes")

__all__ = ["FUNCTIONS", "METHODS", "call_method", "flip", "move_to_end", "piece", "reverse"]
