"""Basic indexing of arrays: `x[i]`, `x[i, j]`, `x[:, j]`, `x[a:b:s]`, `x[..., None]`, and writes.

Integer indices may be compile-time constants or runtime ints; slice bounds
are compile-time constants (the result's shape must be known). Negative
indices count from the end. A constant index out of range is a dp.ShapeError;
a runtime index out of range is clamped into the axis (an unspecified
element, never memory outside the array). Reading every dim with an integer
gives a scalar (`tensor.extract`); otherwise the result is a
`tensor.extract_slice` whose integer-indexed dims are then dropped by a
`tensor.collapse_shape` (and `None` dims added by a `tensor.expand_shape`).
Like numpy's basic indexing, such a result is a view: read-only here.
Writes build a new tensor (`tensor.insert`, or `tensor.insert_slice` of the
value broadcast to the slice's shape) that replaces the array.

Index arrays, boolean masks and negative-step slices (numpy's advanced
indexing) are lowered by dp.frontend.gather.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlir import ir
from mlir.dialects import arith, tensor

from dp.errors import ShapeError, TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import scalars, tensors
from dp.frontend.values import (
    Array,
    Const,
    ListValue,
    Scalar,
    TupleValue,
    describe,
    is_array,
    is_const_array,
    is_number,
    mlir_type,
)


@dataclass(frozen=True)
class SliceIndex:
    """`lower:upper:step` in a subscript (each a value or None)."""

    lower: Any
    upper: Any
    step: Any


NEWAXIS = "newaxis"
ELLIPSIS = "ellipsis"


def component(value: Any) -> Any:
    """One component of an array subscript from its evaluated value."""
    if isinstance(value, SliceIndex):
        return value
    if isinstance(value, Const):
        if value.value is None:
            return NEWAXIS
        if value.value is Ellipsis:
            return ELLIPSIS
        if isinstance(value.value, slice):
            s = value.value
            return SliceIndex(Const(s.start), Const(s.stop), Const(s.step))
    if is_array(value) or isinstance(value, (ListValue, TupleValue)):
        from dp.frontend import gather

        return gather.array_index(value)
    if is_number(value):
        if value.kind is float:
            raise TypeMismatchError("array indices must be integers or slices, not float")
        if value.kind is bool:
            raise UnsupportedSyntaxError("indexing an array with a bool (a mask) is not supported")
        return value
    raise TypeMismatchError(f"array indices must be integers or slices, not {describe(value)}")


@dataclass
class _Dim:
    offset: Any  # int or an index-typed ir.Value
    size: int
    stride: int
    integer: bool  # indexed by an integer: dropped from the result


def _static_bound(value: Any, what: str) -> int | None:
    if value is None or (isinstance(value, Const) and value.value is None):
        return None
    if isinstance(value, Const) and value.kind in (int, bool):
        return int(value.value)
    raise UnsupportedSyntaxError(
        f"the {what} of an array slice must be a compile-time integer (the slice's shape must be known at compile "
        "time); index single elements with runtime ints instead (x[i], x[i, :])"
    )


def _constant_int(value: ir.Value) -> int | None:
    """The integer of an `arith.constant` (through `arith.index_cast`), None otherwise."""
    owner = value.owner
    if isinstance(owner, ir.Block):
        return None
    name = owner.operation.name
    if name == "arith.index_cast":
        return _constant_int(owner.operation.operands[0])
    if name == "arith.constant":
        attr = owner.operation.attributes["value"]
        return attr.value if isinstance(attr, ir.IntegerAttr) else None
    return None


def _loop_index(value: ir.Value, length: int) -> ir.Value | None:
    """The induction variable behind `value` when `value` is `arith.index_cast` of the induction variable of an
    scf.for from 0 (or more) to at most `length` with a positive step: already in range, no normalization needed."""
    owner = value.owner
    if isinstance(owner, ir.Block) or owner.operation.name != "arith.index_cast":
        return None
    source = owner.operation.operands[0]
    block = source.owner
    if not isinstance(block, ir.Block) or not isinstance(source.type, ir.IndexType):
        return None
    loop = block.owner
    if loop is None or loop.operation.name != "scf.for" or ir.BlockArgument(source).arg_number != 0:
        return None
    lower, upper, step = (_constant_int(v) for v in list(loop.operation.operands)[:3])
    if lower is None or upper is None or step is None or lower < 0 or step <= 0 or upper > length:
        return None
    return source


def _dynamic_index(value: Scalar, length: int) -> ir.Value:
    """A runtime index: negative counts from the end, then clamped into [0, length)."""
    if value.kind is int:
        known = _loop_index(value.value, length)
        if known is not None:
            return known
    i64 = scalars.as_scalar(scalars.convert(value, int)).value
    zero, size = scalars.constant(0).value, scalars.constant(length).value
    negative = arith.cmpi(arith.CmpIPredicate.slt, i64, zero)
    i64 = arith.select(negative, arith.addi(i64, size), i64)
    i64 = arith.maxsi(i64, zero)
    i64 = arith.minsi(i64, scalars.constant(length - 1).value)
    return arith.index_cast(ir.IndexType.get(), i64)


def _plan(shape: tuple[int, ...], components: list[Any]) -> tuple[list[_Dim], list[int]]:
    """Per source dim what is read, and where the result gets new size-1 dims."""
    ellipses = [i for i, c in enumerate(components) if c == ELLIPSIS]
    if len(ellipses) > 1:
        raise ShapeError("an index can only have a single ellipsis ('...')")
    used = sum(1 for c in components if c not in (NEWAXIS, ELLIPSIS))
    ndim = len(shape)
    if used > ndim:
        raise ShapeError(f"too many indices for array: array is {ndim}-dimensional, but {used} were indexed")
    if ellipses:
        at = ellipses[0]
        components = components[:at] + [SliceIndex(None, None, None)] * (ndim - used) + components[at + 1 :]
    else:
        components = components + [SliceIndex(None, None, None)] * (ndim - used)
    dims: list[_Dim] = []
    newaxes: list[int] = []
    position = 0  # in the result
    for c in components:
        if c == NEWAXIS:
            newaxes.append(position)
            position += 1
            continue
        axis = len(dims)
        length = shape[axis]
        if isinstance(c, SliceIndex):
            step = _static_bound(c.step, "step")
            if step is not None and step <= 0:
                if step == 0:
                    raise ShapeError("slice step cannot be zero")
                raise UnsupportedSyntaxError("array slices with a negative step are not supported")
            start, stop, step = slice(_static_bound(c.lower, "start"), _static_bound(c.upper, "stop"), step).indices(
                length
            )
            dims.append(_Dim(start, len(range(start, stop, step)), step, False))
            position += 1
            continue
        if isinstance(c, Const):
            index = int(c.value)
            if not -length <= index < length:
                raise ShapeError(f"index {index} is out of bounds for axis {axis} with size {length}")
            dims.append(_Dim(index + length if index < 0 else index, 1, 1, True))
        else:
            if length == 0:
                raise ShapeError(f"index is out of bounds for axis {axis} with size 0")
            dims.append(_Dim(_dynamic_index(c, length), 1, 1, True))
    return dims, newaxes


def _source(value: Any) -> Array:
    if is_const_array(value):
        return tensors.constant_array(value.value)
    if isinstance(value, Array):
        return value
    raise TypeMismatchError(f"{describe(value)} is not an array")


def _offsets(dims: list[_Dim]) -> tuple[list[ir.Value], list[int]]:
    dynamic, static = [], []
    for d in dims:
        if isinstance(d.offset, int):
            static.append(d.offset)
        else:
            static.append(ir.ShapedType.get_dynamic_stride_or_offset())
            dynamic.append(d.offset)
    return dynamic, static


def _index_values(dims: list[_Dim]) -> list[ir.Value]:
    return [d.offset if not isinstance(d.offset, int) else tensors.index_value(d.offset) for d in dims]


def _is_whole(array: Array, dims: list[_Dim]) -> bool:
    return all(not d.integer and d.offset == 0 and d.size == n and d.stride == 1 for d, n in zip(dims, array.shape))


def get_item(value: Any, components: list[Any]) -> Any:
    """`x[components]`: a scalar, or a view (read-only array); a new array for advanced indexing."""
    from dp.frontend import gather

    if gather.is_advanced(components):
        return gather.get_item(value, components)
    x = _source(value)
    dims, newaxes = _plan(x.shape, components)
    if all(d.integer for d in dims) and not newaxes:
        return tensors.to_python_scalar(tensor.extract(x.value, _index_values(dims)), x.dtype)
    if _is_whole(x, dims):
        sliced = tensors._derived(x, x.value, x.spec, True)
    else:
        spec = x.spec.with_shape(tuple(d.size for d in dims))
        dynamic, static = _offsets(dims)
        # an empty slice reads nothing: offset 0 keeps it in bounds where it starts at the end (x[1:] of one)
        static = [0 if d.size == 0 and o >= 0 else o for d, o in zip(dims, static)]
        value = tensor.extract_slice(
            mlir_type(spec), x.value, dynamic, [], [], static, [d.size for d in dims], [d.stride for d in dims]
        )
        sliced = tensors._derived(x, value, spec, True)
    result = tensors.drop_unit_dims(sliced, [i for i, d in enumerate(dims) if d.integer])
    return tensors.insert_unit_dims(result, newaxes)


def set_item(target: Any, components: list[Any], value: Any) -> Array:
    """The array after `target[components] = value` (same identity)."""
    from dp.frontend import gather

    if gather.is_advanced(components):
        return gather.set_item(target, components, value)
    x = _source(target)
    if NEWAXIS in components:
        raise UnsupportedSyntaxError("assigning to an array subscript that contains None (np.newaxis) is not supported")
    dims, _ = _plan(x.shape, components)
    if all(d.integer for d in dims):
        scalar = tensors.operand(value)
        if isinstance(scalar, Array):
            if scalar.spec.size != 1:
                raise ShapeError(
                    f"cannot assign an array of shape {scalar.shape} to one element of an array of shape {x.shape}"
                )
            scalar = tensors.to_python_scalar(
                tensor.extract(scalar.value, [tensors.index_value(0)] * scalar.ndim), scalar.dtype
            )
        new = tensor.insert(tensors.element(scalar, x.dtype), x.value, _index_values(dims))
        return Array(new, x.spec, x.ident, x.readonly, x.base)
    region = tuple(d.size for d in dims if not d.integer)
    source = tensors.operand(value)
    try:
        update = tensors.broadcast_to(source, x.dtype, region)
    except ShapeError:
        raise ShapeError(
            f"could not broadcast input array from shape {tensors.shape_of(source)} into shape {region}"
        ) from None
    if _is_whole(x, dims):
        return Array(update.value, x.spec, x.ident, x.readonly, x.base)
    update = tensors.insert_unit_dims(update, [i for i, d in enumerate(dims) if d.integer], view=False)
    dynamic, static = _offsets(dims)
    new = tensor.insert_slice(
        update.value, x.value, dynamic, [], [], static, [d.size for d in dims], [d.stride for d in dims]
    )
    return Array(new, x.spec, x.ident, x.readonly, x.base)


__all__ = ["ELLIPSIS", "NEWAXIS", "SliceIndex", "component", "get_item", "set_item"]
