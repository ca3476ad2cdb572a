"""numpy's advanced indexing: integer-array and boolean-mask subscripts, their writes, and ufunc.at.

`x[idx]`, `x[idx, :]`, `x[:, idx]`, `x[i_arr, j_arr]`, `x[3, 2:, [1, 3]]`
follow numpy's rules: the index arrays (and the ints beside them) broadcast
to one shape B; when they stand next to each other B replaces their dims in
place, otherwise B comes first. Each gather is an scf.for over the n = |B|
indexed positions whose body reads one element (`tensor.extract`) or one
slice (`tensor.extract_slice`) and writes it into the result
(`tensor.insert` / `tensor.insert_slice`). These are ops dp-autodiff already
differentiates in both modes, so no new derivative rule is needed: the
reverse sweep of a gather adds the cotangent into the indexed positions (a
scatter-add: repeated indices accumulate), the reverse sweep of a scatter
reads the cotangent back (a gather).

Index arrays are int arrays (any int dtype), lists of ints, or bool masks.
Negative indices count from the end. A constant index out of range is a
dp.ShapeError at compile time; a runtime index out of range is clamped into
the axis (an unspecified element, never memory outside the array), as for
basic indexing.

`x[idx] = v` writes the positions in order, so with repeated indices the
last write wins; `x[idx] += v` is `x[idx] = x[idx] + v` (repeats do not
accumulate, as in numpy); `np.add.at(x, idx, v)` (and the other ufuncs'
`.at`) accumulates.

A boolean mask known at compile time (a constant array) is its np.nonzero
indices. A mask computed at run time selects a data-dependent number of
elements, which dp's static shapes cannot hold: reading `x[mask]` is a
dp.UnsupportedSyntaxError that suggests np.where; writing `x[mask] = v` and
`x[mask] op= v` compile to np.where(mask, ..., x) when v broadcasts to every
selected element (a scalar, or an array of the trailing dims).

Negative-step slices (`x[::-1]`, `x[5:1:-2]`) are gathers with a constant
index array along their axis.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np
from mlir import ir
from mlir.dialects import arith, scf, tensor

from dp.errors import ShapeError, TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import array_indexing, tensors
from dp.frontend.array_indexing import ELLIPSIS, NEWAXIS, SliceIndex
from dp.frontend.dtypes import INT_DTYPES
from dp.frontend.values import Array, Const, ListValue, Scalar, TupleValue, describe, is_const_array, mlir_type

_FULL = SliceIndex(None, None, None)


@dataclass(frozen=True, eq=False)
class ArrayIndex:
    """An int or bool array in a subscript (numpy's advanced indexing); `data` holds it when it is a constant."""

    array: Array
    data: np.ndarray | None

    @property
    def is_mask(self) -> bool:
        return self.array.dtype == "bool"

    @property
    def shape(self) -> tuple[int, ...]:
        return self.array.shape


def constant_data(array: Array) -> np.ndarray | None:
    """The elements of an array defined by an `arith.constant`, None for a runtime array."""
    owner = array.value.owner
    if isinstance(owner, ir.Block) or owner.operation.name != "arith.constant":
        return None
    attr = owner.operation.attributes["value"]
    if not isinstance(attr, ir.DenseElementsAttr):
        return None
    if attr.is_splat:
        splat = attr.get_splat_value()
        item = ir.IntegerAttr(splat).value if not isinstance(splat, ir.FloatAttr) else ir.FloatAttr(splat).value
        return np.full(array.shape, item).astype(array.spec.numpy_dtype)
    return np.array(attr).reshape(array.shape).astype(array.spec.numpy_dtype)


def array_index(value: Any) -> ArrayIndex:
    """An index array from a subscript component: an int or bool array, or a (nested) list of ints or bools."""
    if isinstance(value, (ListValue, TupleValue)):
        from dp.frontend.numpy_functions import array_from

        value = array_from(value, None, "an index list")
    array = tensors.as_array(value)
    if array.dtype not in INT_DTYPES and array.dtype != "bool":
        raise TypeMismatchError(
            f"arrays used as indices must be of integer (or boolean) type, not {array.dtype}"
        )
    return ArrayIndex(array, constant_data(array))


def is_advanced(components: Sequence[Any]) -> bool:
    """Whether a subscript needs advanced indexing (an index array or a negative-step slice)."""
    return any(isinstance(c, ArrayIndex) or _negative_step(c) is not None for c in components)


def has_runtime_mask(components: Sequence[Any]) -> bool:
    """Whether a subscript holds a boolean mask known only at run time."""
    return any(isinstance(c, ArrayIndex) and c.is_mask and c.data is None for c in components)


# -- the plan of a subscript ---------------------------------------------------------------------------


def _negative_step(component: Any) -> int | None:
    if not isinstance(component, SliceIndex):
        return None
    step = array_indexing._static_bound(component.step, "step")
    return step if step is not None and step < 0 else None


def _consumed(component: Any) -> int:
    """How many dims of the indexed array a component consumes."""
    if isinstance(component, ArrayIndex) and component.is_mask:
        return max(component.array.ndim, 1)
    return 0 if isinstance(component, str) else 1


def _expanded(shape: tuple[int, ...], components: Sequence[Any]) -> list[Any]:
    """The components with the ellipsis replaced by full slices and trailing full slices added."""
    ellipses = [i for i, c in enumerate(components) if isinstance(c, str) and c == ELLIPSIS]
    if len(ellipses) > 1:
        raise ShapeError("an index can only have a single ellipsis ('...')")
    used = sum(_consumed(c) for c in components)
    if used > len(shape):
        raise ShapeError(
            f"too many indices for array: array is {len(shape)}-dimensional, but {used} were indexed"
        )
    fill = [_FULL] * (len(shape) - used)
    if ellipses:
        at = ellipses[0]
        return list(components[:at]) + fill + list(components[at + 1 :])
    return list(components) + fill


def _axes(components: Sequence[Any]) -> list[int]:
    """The first dim of the indexed array each component consumes (-1 for None)."""
    axes, axis = [], 0
    for c in components:
        axes.append(-1 if isinstance(c, str) else axis)
        axis += _consumed(c)
    return axes


def _constant_masks(shape: tuple[int, ...], components: list[Any]) -> list[Any]:
    """Constant boolean masks replaced by their np.nonzero index arrays (one per dim they cover)."""
    result: list[Any] = []
    for c, axis in zip(components, _axes(components)):
        if isinstance(c, ArrayIndex) and c.is_mask:
            covered = shape[axis : axis + c.array.ndim]
            if c.array.ndim == 0:
                raise UnsupportedSyntaxError("indexing an array with a 0-d boolean mask is not supported")
            for d, (m, n) in enumerate(zip(c.shape, covered)):
                if m != n:
                    raise ShapeError(
                        f"boolean index did not match indexed array along axis {axis + d}; size of axis is {n} but "
                        f"size of corresponding boolean axis is {m}"
                    )
            if c.data is not None:
                for part in np.nonzero(c.data):
                    indices = part.astype(np.int64)
                    result.append(ArrayIndex(tensors.constant_array(indices), indices))
                continue
        result.append(c)
    return result


def _runtime_mask_error() -> UnsupportedSyntaxError:
    return UnsupportedSyntaxError(
        "indexing an array with a boolean mask computed at run time (x[mask]) selects a data-dependent number of "
        "elements, and dp's array shapes are static; use np.where(mask, x, 0) (e.g. np.sum(np.where(mask, x, 0.0))), "
        "or a mask known at compile time"
    )


# -- loops ---------------------------------------------------------------------------------------------


def _loop(
    count: int, inits: list[ir.Value], body: Callable[[ir.Value, list[ir.Value]], list[ir.Value]]
) -> list[ir.Value]:
    """An scf.for from 0 to `count` carrying `inits`; `body(k, carried)` builds the yielded values."""
    loop = scf.ForOp(tensors.index_value(0), tensors.index_value(count), tensors.index_value(1), inits)
    with ir.InsertionPoint(loop.body):
        scf.YieldOp(body(loop.induction_variable, list(loop.inner_iter_args)))
    return list(loop.results)


@dataclass
class _Plan:
    """Where the advanced indices of `source` point and how the gathered values are laid out.

    The gathered values live in a flat layout `flat_shape`: the dims of
    `source` that are not indexed, with one dim of the n indexed positions at
    `slot` (where B goes when the index arrays are adjacent, else first);
    `result_shape` has B in place of that dim.
    """

    source: Array
    axes: list[int]  # the dims of `source` the index arrays index, ascending
    indices: list[Array]  # per axis: the flat (n,) int64 positions
    checked: bool  # the positions are known in range (constants, checked at compile time)
    count: int
    slot: int
    flat_shape: tuple[int, ...]
    result_shape: tuple[int, ...]

    def positions(self, k: ir.Value) -> list[ir.Value]:
        """The offsets into `source` (index values) of the k-th indexed position."""
        offsets: list[ir.Value] = [tensors.index_value(0)] * self.source.ndim
        for axis, flat in zip(self.axes, self.indices):
            element = tensor.extract(flat.value, [k])
            if self.checked:
                offsets[axis] = arith.index_cast(ir.IndexType.get(), element)
            else:
                offsets[axis] = array_indexing._dynamic_index(Scalar(element, int), self.source.shape[axis])
        return offsets

    @property
    def piece_shape(self) -> tuple[int, ...]:
        """One indexed slice of `source`: size 1 at the indexed dims."""
        return tuple(1 if d in self.axes else n for d, n in enumerate(self.source.shape))

    @property
    def slot_shape(self) -> tuple[int, ...]:
        """One indexed slice in the flat layout: size 1 at `slot`."""
        return self.flat_shape[: self.slot] + (1,) + self.flat_shape[self.slot + 1 :]

    @property
    def scalar(self) -> bool:
        """Every dim is indexed: each position is one element."""
        return len(self.axes) == self.source.ndim


def _index_source(component: Any, length: int, axis: int) -> tuple[Any, bool]:
    """An advanced index as an int64 array or number, and whether it is a checked constant."""
    if isinstance(component, ArrayIndex):
        if component.data is not None:
            data = component.data.astype(np.int64)
            bad = (data < -length) | (data >= length)
            if bad.any():
                raise ShapeError(
                    f"index {int(data[bad].flat[0])} is out of bounds for axis {axis} with size {length}"
                )
            return tensors.constant_array(np.where(data < 0, data + length, data)), True
        return tensors.cast(component.array, "int64"), False
    if isinstance(component, Const):
        index = int(component.value)
        if not -length <= index < length:
            raise ShapeError(f"index {index} is out of bounds for axis {axis} with size {length}")
        return Const(index + length if index < 0 else index), True
    return component, False


def plan(source: Array, components: list[Any], axes: list[int]) -> _Plan:
    """The plan of indexing `source` with one advanced component per dim in `axes` (ascending)."""
    sources, checked = [], True
    for component, axis in zip(components, axes):
        value, known = _index_source(component, source.shape[axis], axis)
        sources.append(value)
        checked = checked and known
    batch = tensors.broadcast_shapes(*[tensors.shape_of(v) for v in sources])
    count = int(np.prod(batch, dtype=np.int64))
    flat = [tensors.reshape(tensors.broadcast_to(v, "int64", batch), (count,), view=False) for v in sources]
    rest = tuple(n for d, n in enumerate(source.shape) if d not in axes)
    adjacent = axes == list(range(axes[0], axes[0] + len(axes)))
    slot = axes[0] if adjacent else 0
    flat_shape = rest[:slot] + (count,) + rest[slot:]
    result_shape = rest[:slot] + batch + rest[slot:]
    return _Plan(source, list(axes), flat, checked, count, slot, flat_shape, result_shape)


def gather(p: _Plan) -> Array:
    """The values of `p.source` at the planned positions, in the result layout."""
    source = p.source
    spec = source.spec.with_shape(p.flat_shape)
    init = tensors.constant_array(np.zeros(p.flat_shape, spec.numpy_dtype)).value

    def body(k: ir.Value, carried: list[ir.Value]) -> list[ir.Value]:
        offsets = p.positions(k)
        if p.scalar:
            return [tensor.insert(tensor.extract(source.value, offsets), carried[0], [k])]
        piece = _read_piece(source, offsets, p.piece_shape)
        piece = tensors.reshape(piece, p.slot_shape, view=False)
        return [_write_slot(piece, carried[0], p, k)]

    (flat,) = _loop(p.count, [init], body)
    return tensors.reshape(Array(flat, spec), p.result_shape, view=False)


def scatter(p: _Plan, value: Any, combine: Callable[[Any, Any], Any] | None = None) -> Array:
    """`p.source` with `value` (broadcast to the result layout) written at the planned positions, in order.

    With `combine`, each position gets combine(old, new) instead (ufunc.at: repeated positions accumulate).
    """
    source = p.source
    try:
        update = tensors.broadcast_to(tensors.operand(value), source.dtype, p.result_shape)
    except ShapeError:
        raise ShapeError(
            f"shape mismatch: value array of shape {tensors.shape_of(tensors.operand(value))} could not be broadcast "
            f"to indexing result of shape {p.result_shape}"
        ) from None
    update = tensors.reshape(update, p.flat_shape, view=False)

    def body(k: ir.Value, carried: list[ir.Value]) -> list[ir.Value]:
        offsets = p.positions(k)
        target = Array(carried[0], source.spec)
        if p.scalar:
            new: Any = tensors.to_python_scalar(tensor.extract(update.value, [k]), source.dtype)
            if combine is not None:
                old = tensors.to_python_scalar(tensor.extract(target.value, offsets), source.dtype)
                new = combine(old, new)
            return [tensor.insert(tensors.element(new, source.dtype), target.value, offsets)]
        offsets_k = [tensors.index_value(0)] * len(p.flat_shape)
        offsets_k[p.slot] = k
        piece = _read_piece(update, offsets_k, p.slot_shape)
        piece = tensors.reshape(piece, p.piece_shape, view=False)
        if combine is not None:
            piece = tensors.cast(tensors.as_array(combine(_read_piece(target, offsets, p.piece_shape), piece)), source.dtype)
        return [_write_piece(piece, target, offsets)]

    (new,) = _loop(p.count, [source.value], body)
    return Array(new, source.spec)


def _read_piece(source: Array, offsets: list[ir.Value], shape: tuple[int, ...]) -> Array:
    spec = source.spec.with_shape(shape)
    dynamic_offset = ir.ShapedType.get_dynamic_stride_or_offset()
    value = tensor.extract_slice(
        mlir_type(spec), source.value, offsets, [], [], [dynamic_offset] * len(shape), list(shape), [1] * len(shape)
    )
    return Array(value, spec)


def _write_piece(piece: Array, target: Array, offsets: list[ir.Value]) -> ir.Value:
    dynamic_offset = ir.ShapedType.get_dynamic_stride_or_offset()
    rank = len(piece.shape)
    return tensor.insert_slice(
        piece.value, target.value, offsets, [], [], [dynamic_offset] * rank, list(piece.shape), [1] * rank
    )


def _write_slot(piece: Array, flat: ir.Value, p: _Plan, k: ir.Value) -> ir.Value:
    offsets = [tensors.index_value(0)] * len(p.flat_shape)
    offsets[p.slot] = k
    return _write_piece(piece, Array(flat, piece.spec.with_shape(p.flat_shape)), offsets)


# -- subscripts ------------------------------------------------------------------------------------------


def _source(value: Any) -> Array:
    if is_const_array(value):
        return tensors.constant_array(value.value)
    if isinstance(value, Array):
        return value
    raise TypeMismatchError(f"{describe(value)} is not an array")


def take_axis(x: Array, indices: np.ndarray, axis: int) -> Array:
    """`np.take(x, indices, axis)` for a constant 1-D `indices` (in range)."""
    return gather(plan(x, [ArrayIndex(tensors.constant_array(indices), indices)], [axis]))


def _reversed_slices(x: Array, components: list[Any]) -> tuple[list[tuple[int, np.ndarray]], list[Any]]:
    """The negative-step slices as (dim, the constant positions they pick), and the components without them."""
    picks, kept = [], []
    for c, axis in zip(components, _axes(components)):
        step = _negative_step(c)
        if step is None:
            kept.append(c)
            continue
        start = array_indexing._static_bound(c.lower, "start")
        stop = array_indexing._static_bound(c.upper, "stop")
        picks.append((axis, np.arange(x.shape[axis], dtype=np.int64)[slice(start, stop, step)]))
        kept.append(_FULL)
    return picks, kept


def _split(components: list[Any]) -> tuple[list[Any], list[Any], list[int]]:
    """The basic part of an advanced subscript (index arrays and ints replaced by full slices), the advanced
    components, and the dims of the basic part's result they index."""
    has_array = any(isinstance(c, ArrayIndex) for c in components)
    basic, advanced, axes = [], [], []
    for position, c in enumerate(components):
        if isinstance(c, ArrayIndex) or (has_array and not isinstance(c, (str, SliceIndex))):
            advanced.append(c)
            axes.append(position)  # every component of the basic part gives one result dim
            basic.append(_FULL)
        else:
            basic.append(c)
    return basic, advanced, axes


def get_item(value: Any, components: list[Any]) -> Array:
    """`x[components]` with index arrays, masks or negative steps: a new array (numpy's advanced indexing copies)."""
    x = _source(value)
    components = _expanded(x.shape, components)
    if has_runtime_mask(components):
        raise _runtime_mask_error()
    components = _constant_masks(x.shape, components)
    picks, components = _reversed_slices(x, components)
    for axis, positions in picks:
        x = take_axis(x, positions, axis)
    basic, advanced, axes = _split(components)
    if not advanced:
        result = array_indexing.get_item(x, basic)
        return result if not isinstance(result, Array) else Array(result.value, result.spec)
    y = tensors.as_array(array_indexing.get_item(x, basic))
    return gather(plan(y, advanced, axes))


def set_item(target: Any, components: list[Any], value: Any, combine: Callable[[Any, Any], Any] | None = None) -> Array:
    """The array after `target[components] = value` (same identity); with `combine`, ufunc.at's accumulation."""
    x = _source(target)
    components = _expanded(x.shape, components)
    if has_runtime_mask(components):
        if combine is not None:
            raise _runtime_mask_error()
        return _keep_identity(x, _masked_write(x, components, value, None))
    components = _constant_masks(x.shape, components)
    picks, components = _reversed_slices(x, components)
    if picks:
        # Write into the re-ordered array, then scatter each stage back into the one it was taken from (a
        # negative-step slice never repeats a position, so the scatters are exact).
        stages = [x]
        for axis, positions in picks:
            stages.append(take_axis(stages[-1], positions, axis))
        new = set_item(stages[-1], components, value, combine)
        for (axis, positions), base in zip(reversed(picks), reversed(stages[:-1])):
            index = ArrayIndex(tensors.constant_array(positions), positions)
            new = scatter(plan(base, [index], [axis]), new)
        return _keep_identity(x, new)
    if any(isinstance(c, str) and c == NEWAXIS for c in components):
        raise UnsupportedSyntaxError("assigning to an array subscript that contains None (np.newaxis) is not supported")
    basic, advanced, axes = _split(components)
    if not advanced:
        current = array_indexing.get_item(x, basic)
        return array_indexing.set_item(x, basic, combine(current, value) if combine else value)
    whole = all(c is _FULL for c in basic)
    y = x if whole else tensors.as_array(array_indexing.get_item(x, basic))
    y = Array(y.value, y.spec)
    written = scatter(plan(y, advanced, axes), value, combine)
    if whole:
        return _keep_identity(x, written)
    return array_indexing.set_item(x, basic, written)


def _keep_identity(original: Array, new: Array) -> Array:
    return Array(new.value, original.spec, original.ident, original.readonly, original.base)


# -- runtime masks -------------------------------------------------------------------------------------


def _masked_write(x: Array, components: list[Any], value: Any, op: type[ast.operator] | None) -> Array:
    """`x[mask] = value` (or `x[mask] op= value`) for a runtime mask: np.where(mask, new, x)."""
    masks = [(i, c) for i, c in enumerate(components) if isinstance(c, ArrayIndex)]
    if len(masks) != 1 or any(c is not _FULL and not isinstance(c, ArrayIndex) for c in components):
        raise UnsupportedSyntaxError(
            "assigning through a boolean mask computed at run time is supported as x[mask] = v and x[mask] op= v "
            "(other dims taken whole with ':'); combine it with other indices by np.where"
        )
    position, mask = masks[0]
    axis = _axes(components)[position]
    covered = x.shape[axis : axis + mask.array.ndim]
    if mask.shape != covered:
        raise ShapeError(
            f"boolean index of shape {mask.shape} does not match the indexed dims {covered} of an array of shape "
            f"{x.shape}"
        )
    before, after = x.shape[:axis], x.shape[axis + mask.array.ndim :]
    source = tensors.operand(value)
    try:
        update = tensors.broadcast_to(source, x.dtype, before + (1,) + after)
    except ShapeError:
        raise UnsupportedSyntaxError(
            f"assigning an array of shape {tensors.shape_of(source)} through a boolean mask computed at run time "
            "needs one value per selected element, a number known only at run time; assign a scalar, or use "
            "np.where(mask, values, x) with values of x's shape"
        ) from None
    update = tensors.reshape(update, before + (1,) * mask.array.ndim + after, view=False)
    update = tensors.broadcast_to(update, x.dtype, x.shape)
    if op is not None:
        from dp.frontend import operators

        update = tensors.cast(tensors.as_array(operators.binary(op, Array(x.value, x.spec), update)), x.dtype)
    selector = tensors.reshape(mask.array, before + mask.shape + (1,) * len(after), view=False)
    return tensors.as_array(tensors.where(selector, update, Array(x.value, x.spec)))


def masked_update(target: Any, components: list[Any], op: type[ast.operator], value: Any) -> Array:
    """The array after `target[mask] op= value` for a runtime mask (same identity)."""
    x = _source(target)
    return _keep_identity(x, _masked_write(x, _expanded(x.shape, components), value, op))


__all__ = [
    "ArrayIndex",
    "array_index",
    "constant_data",
    "gather",
    "get_item",
    "has_runtime_mask",
    "is_advanced",
    "masked_update",
    "plan",
    "scatter",
    "set_item",
    "take_axis",
]
