"""Subscripts of tuples, lists, dicts and records: `c[i]`, `c[i] = v`, `c[a:b]`.

Constant indices pick an item at compile time. A runtime index into a
sequence whose items all have one type selects among them with a chain of
`arith.select` (negative indices count from the end; an index out of range
gives an unspecified item instead of raising IndexError).
"""

from __future__ import annotations

from typing import Any

from mlir.dialects import arith

from dp.errors import ShapeError, TypeMismatchError
from dp.frontend import merge, scalars
from dp.frontend.merge import Mismatch, unify
from dp.frontend.values import (
    Const,
    DictValue,
    ListValue,
    RecordValue,
    Scalar,
    TupleValue,
    describe,
    with_items,
)


def _sequence_items(container: Any) -> tuple | None:
    if isinstance(container, (TupleValue, ListValue)):
        return container.items
    if isinstance(container, RecordValue) and container.is_namedtuple:
        return container.items
    return None


def _constant_index(index: int, length: int, container: Any) -> int:
    position = index + length if index < 0 else index
    if not 0 <= position < length:
        raise ShapeError(f"index {index} is out of range for {describe(container)}")
    return position


def get_item(container: Any, index: Any) -> Any:
    """`container[index]`."""
    if isinstance(container, DictValue):
        return container.get(_dict_key(container, index))
    items = _sequence_items(container)
    if items is None:
        if isinstance(container, Const) and isinstance(index, Const):
            try:
                return Const(container.value[index.value])
            except (IndexError, KeyError, TypeError) as err:
                raise ShapeError(f"cannot index {describe(container)} with {index.value!r}: {err}") from None
        raise TypeMismatchError(f"{describe(container)} is not subscriptable")
    if isinstance(index, Const):
        if index.kind not in (int, bool):
            raise TypeMismatchError(f"sequence indices must be integers, not {describe(index)}")
        return items[_constant_index(int(index.value), len(items), container)]
    if not isinstance(index, Scalar) or index.kind is float:
        raise TypeMismatchError(f"sequence indices must be integers, not {describe(index)}")
    return _select_item(items, _normalize(index, len(items)), container)


def _normalize(index: Scalar, length: int) -> Scalar:
    """A runtime index with negative values counted from the end."""
    index = scalars.as_scalar(scalars.convert(index, int))
    zero, size = scalars.constant(0), scalars.constant(length)
    negative = arith.cmpi(arith.CmpIPredicate.slt, index.value, zero.value)
    wrapped = arith.addi(index.value, size.value)
    return Scalar(arith.select(negative, wrapped, index.value), int)


def _select_item(items: tuple, index: Scalar, container: Any) -> Any:
    if not items:
        raise ShapeError(f"cannot index the empty {describe(container)}")
    for item in items[1:]:
        try:
            unify(items[0], item)
        except Mismatch:
            raise TypeMismatchError(
                f"a runtime index needs items of one type, but {describe(container)} mixes types; "
                "index it with a constant"
            ) from None
    result = items[-1]
    for position in range(len(items) - 2, -1, -1):
        hit = arith.cmpi(arith.CmpIPredicate.eq, index.value, scalars.constant(position).value)
        result = merge.select(Scalar(hit, bool), items[position], result)
    return result


def set_item(container: Any, index: Any, value: Any) -> Any:
    """The container after `container[index] = value` (same identity)."""
    if isinstance(container, DictValue):
        key = _dict_key(container, index, allow_new=True)
        if key in container.keys:
            items = tuple(value if k == key else v for k, v in zip(container.keys, container.items))
            return with_items(container, items)
        return DictValue(container.keys + (key,), container.items + (value,), container.ident, container.readonly)
    if not isinstance(container, ListValue):
        raise TypeMismatchError(f"{describe(container)} does not support item assignment")
    items = container.items
    if isinstance(index, Const):
        if index.kind not in (int, bool):
            raise TypeMismatchError(f"list indices must be integers, not {describe(index)}")
        position = _constant_index(int(index.value), len(items), container)
        return with_items(container, items[:position] + (value,) + items[position + 1 :])
    if not isinstance(index, Scalar) or index.kind is float:
        raise TypeMismatchError(f"list indices must be integers, not {describe(index)}")
    index = _normalize(index, len(items))
    new_items = []
    for position, item in enumerate(items):
        try:
            unify(item, value)
        except Mismatch:
            raise TypeMismatchError(
                f"cannot store {describe(value)} at a runtime index of a list holding {describe(item)}"
            ) from None
        hit = arith.cmpi(arith.CmpIPredicate.eq, index.value, scalars.constant(position).value)
        new_items.append(merge.select(Scalar(hit, bool), value, item))
    return with_items(container, tuple(new_items))


def _dict_key(container: DictValue, index: Any, allow_new: bool = False) -> Any:
    if not isinstance(index, Const) or not isinstance(index.value, (str, int)):
        raise TypeMismatchError(f"dict keys must be compile-time strings or ints, not {describe(index)}")
    if index.value not in container.keys and not allow_new:
        raise ShapeError(f"key {index.value!r} is not in the dict (its keys are {list(container.keys)})")
    return index.value


def get_slice(container: Any, lower: Any, upper: Any, step: Any) -> Any:
    """`container[lower:upper:step]` with compile-time bounds."""
    items = _sequence_items(container)
    bounds = []
    for bound in (lower, upper, step):
        if bound is not None and not (isinstance(bound, Const) and (bound.value is None or bound.kind is int)):
            raise TypeMismatchError("slice bounds must be compile-time integers")
        bounds.append(None if bound is None else bound.value)
    if items is None:
        if isinstance(container, Const) and isinstance(container.value, str):
            return Const(container.value[slice(*bounds)])
        raise TypeMismatchError(f"{describe(container)} cannot be sliced")
    picked = items[slice(*bounds)]
    if isinstance(container, ListValue):
        return ListValue(picked)
    return TupleValue(picked)


__all__ = ["get_item", "get_slice", "set_item"]
