"""The items of a value whose length is known at compile time (for unrolling and unpacking)."""

from __future__ import annotations

from typing import Any

from dp.errors import TypeMismatchError
from dp.frontend.values import (
    Const,
    DictValue,
    ListValue,
    RangeValue,
    RecordValue,
    TupleValue,
    describe,
    from_python,
    is_array,
)


def static_items(value: Any) -> tuple:
    """The items iterating over `value` yields; raises when their number is not known statically."""
    if isinstance(value, (TupleValue, ListValue)):
        return value.items
    if isinstance(value, RecordValue) and value.is_namedtuple:
        return value.items
    if isinstance(value, DictValue):
        return tuple(Const(key) for key in value.keys)
    if isinstance(value, RangeValue) and all(isinstance(part, Const) for part in (value.start, value.stop, value.step)):
        return tuple(Const(i) for i in range(value.start.value, value.stop.value, value.step.value))
    if is_array(value):
        from dp.frontend import array_indexing, tensors

        array = tensors.materialize(value)
        if array.ndim == 0:
            raise TypeMismatchError("iteration over a 0-d array")
        return tuple(array_indexing.get_item(array, [Const(i)]) for i in range(array.shape[0]))
    if isinstance(value, Const) and isinstance(value.value, (tuple, list, str, range, frozenset)):
        return tuple(from_python(item, "a constant") for item in value.value)
    raise TypeMismatchError(
        f"cannot iterate over {describe(value)}: dp unrolls loops over tuples, lists and dicts "
        "and compiles loops over range()"
    )


__all__ = ["static_items"]
