"""Reconciling the values one variable has on two control-flow paths.

`unify(a, b)` walks two values in parallel. Equal constants stay constants;
any other pair of numbers of the same Python type becomes a `Slot` to be
filled by an scf.if or loop result, with the leaf each path must yield.
Different structures or types raise `Mismatch`. `match` checks a loop
body's value of a variable against its value on entry to the loop.
"""

from __future__ import annotations

from typing import Any

from dp.frontend import scalars
from dp.frontend.values import (
    ComplexValue,
    Array,
    Const,
    DictValue,
    FunctionValue,
    ListValue,
    Placeholder,
    RecordValue,
    Slot,
    TupleValue,
    describe,
    is_array,
    is_const_array,
    is_number,
    leaf_kind,
    rebuild,
    with_items,
)


class Mismatch(Exception):
    """Two values that cannot be merged; carries both type descriptions."""

    def __init__(self, left: Any, right: Any, *, constants: bool = False) -> None:
        super().__init__(f"{describe(left)} vs {describe(right)}")
        self.left = describe(left)
        self.right = describe(right)
        self.constants = constants  # two different compile-time constants (strings, functions, ...)

    @property
    def hint(self) -> str:
        """Advice to append to a message about this mismatch."""
        if self.constants:
            return (
                "; strings, functions and other non-numbers are compile-time constants and must be equal on every "
                "path (which function a call runs must be known at compile time)"
            )
        return ""


def unify(a: Any, b: Any) -> tuple[Any, list, list]:
    """A merge template of `a` and `b`, and the leaves each side yields for its Slots."""
    left: list = []
    right: list = []
    template = _walk(a, b, left, right, a, b)
    return template, left, right


def _same_const(a: Const, b: Const) -> bool:
    if a.value is b.value:
        return True
    return type(a.value) is type(b.value) and repr(a.value) == repr(b.value) and a.value == b.value


def _walk(a: Any, b: Any, left: list, right: list, top_a: Any, top_b: Any) -> Any:
    if a is b:
        return a  # defined before the branch, so visible after it
    if is_array(a) or is_array(b):
        return _walk_arrays(a, b, left, right, top_a, top_b)
    if is_number(a) and is_number(b):
        if isinstance(a, Const) and isinstance(b, Const) and _same_const(a, b):
            return a
        if a.kind is not b.kind:
            raise Mismatch(top_a, top_b)
        left.append(a)
        right.append(b)
        return Slot(a.kind)
    if isinstance(a, Const) and isinstance(b, Const):
        if _same_const(a, b):
            return a
        raise Mismatch(top_a, top_b, constants=True)
    if type(a) is not type(b) or not isinstance(
        a, (TupleValue, ListValue, DictValue, RecordValue, FunctionValue, ComplexValue)
    ):
        raise Mismatch(top_a, top_b)
    if isinstance(a, FunctionValue) and (a.kind, a.data) != (b.kind, b.data):
        raise Mismatch(top_a, top_b, constants=True)  # which function runs must be known at compile time
    if len(a.items) != len(b.items):
        raise Mismatch(top_a, top_b)
    if isinstance(a, DictValue) and a.keys != b.keys:
        raise Mismatch(top_a, top_b)
    if isinstance(a, RecordValue) and (a.cls is not b.cls or a.fields != b.fields):
        raise Mismatch(top_a, top_b)
    items = tuple(_walk(x, y, left, right, top_a, top_b) for x, y in zip(a.items, b.items))
    if isinstance(a, (TupleValue, FunctionValue, ComplexValue)):
        return with_items(a, items)
    return with_items(a, items, keep_identity=a.ident == b.ident)


def _walk_arrays(a: Any, b: Any, left: list, right: list, top_a: Any, top_b: Any) -> Any:
    """Two arrays merge into a Slot when they have one dtype and shape; the result keeps their identity
    (and read-only reason) when both sides hold the same array, or the one side's array when the other
    side is only a placeholder."""
    if not (is_array(a) and is_array(b)) or leaf_kind(a) != leaf_kind(b):
        raise Mismatch(top_a, top_b)
    if is_const_array(a) and is_const_array(b) and a.value.dtype == b.value.dtype and (a.value == b.value).all():
        return a
    left.append(a)
    right.append(b)
    kind = leaf_kind(a)
    if isinstance(a, Array) and isinstance(b, Array) and a.ident == b.ident:
        return Slot(kind, a.ident, a.readonly or b.readonly, a.base if a.base == b.base else None)
    for side, other in ((a, b), (b, a)):
        if isinstance(side, Array) and isinstance(other, Placeholder):
            return Slot(kind, side.ident, side.readonly, side.base)
    return Slot(kind)


def match(carried: Any, value: Any) -> list:
    """The leaves `value` yields for a loop-carried variable whose entry value is `carried`.

    Every numeric leaf of `carried` is an iteration argument, so `value` must
    have the same structure, the same type at each leaf and the same
    constants elsewhere.
    """
    leaves: list = []
    _match(carried, value, leaves, carried, value)
    return leaves


def _match(carried: Any, value: Any, leaves: list, top_a: Any, top_b: Any) -> None:
    if is_array(carried):
        if not is_array(value) or leaf_kind(value) != leaf_kind(carried):
            raise Mismatch(top_a, top_b)
        leaves.append(value)
        return
    if is_number(carried):
        if not is_number(value) or value.kind is not carried.kind:
            raise Mismatch(top_a, top_b)
        leaves.append(value)
        return
    if isinstance(carried, Const):
        if not isinstance(value, Const) or not _same_const(carried, value):
            raise Mismatch(top_a, top_b, constants=isinstance(value, Const))
        return
    if type(carried) is not type(value) or not isinstance(
        carried, (TupleValue, ListValue, DictValue, RecordValue, FunctionValue, ComplexValue)
    ):
        raise Mismatch(top_a, top_b)
    if isinstance(carried, FunctionValue) and (carried.kind, carried.data) != (value.kind, value.data):
        raise Mismatch(top_a, top_b, constants=True)
    if len(carried.items) != len(value.items):
        raise Mismatch(top_a, top_b)
    if isinstance(carried, DictValue) and carried.keys != value.keys:
        raise Mismatch(top_a, top_b)
    if isinstance(carried, RecordValue) and carried.cls is not value.cls:
        raise Mismatch(top_a, top_b)
    for a, b in zip(carried.items, value.items):
        _match(a, b, leaves, top_a, top_b)


def select(cond: Any, if_true: Any, if_false: Any) -> Any:
    """A leafwise `arith.select` between two values of one type; raises Mismatch otherwise."""
    merged, true_leaves, false_leaves = unify(if_true, if_false)
    chosen = [_select_leaf(cond, a, b) for a, b in zip(true_leaves, false_leaves)]
    return rebuild(merged, iter(chosen))


def _select_leaf(cond: Any, a: Any, b: Any) -> Any:
    if not is_array(a):
        return scalars.select(cond, a, b)
    if isinstance(cond, Const):
        return a if cond.value else b
    from mlir.dialects import arith

    from dp.frontend import tensors

    x, y = tensors.materialize(a), tensors.materialize(b)
    return Array(arith.select(cond.value, x.value, y.value), x.spec)


__all__ = ["Mismatch", "match", "select", "unify"]
