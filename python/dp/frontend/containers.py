"""Lists, tuples, dicts and sets whose structure is known at compile time: methods, unpacking, builtins.

A list is a value of fixed length (`ListValue`); `append`, `extend`,
`insert`, `pop`, `+=` build a longer or shorter list with the same identity,
which every alias is rebound to. A loop whose body changes a list's length
cannot carry it through scf iter_args (their types are fixed), so such a
loop is unrolled when its trip count is known at compile time
(`GrowingContainer` tells the loop builder so) and is an error otherwise.
The builtins here need the importer (to call a `key=` function, to mutate) or
decide at compile time what Python decides from a container's structure.
"""

from __future__ import annotations

import ast
import builtins
import operator
from typing import Any, Callable

from dp.errors import ShapeError, TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import merge, operators, scalars
from dp.frontend.builtin_functions import BUILTINS as PLAIN_BUILTINS
from dp.frontend.comprehensions import constant_set, dict_key
from dp.frontend.iteration import static_items
from dp.frontend.merge import Mismatch
from dp.frontend.values import (
    Array,
    Const,
    DictValue,
    ListValue,
    RangeValue,
    RecordValue,
    Scalar,
    TupleValue,
    check_mutable,
    describe,
    is_array,
    is_number,
)
from dp.frontend.visitor import ImportSignal

LIST_METHODS = ("append", "extend", "insert", "pop", "remove", "clear", "reverse", "sort", "index", "count", "copy")
DICT_METHODS = ("keys", "values", "items", "get", "copy", "pop", "update", "setdefault")


class GrowingContainer(ImportSignal):
    """A loop body changed the length of a list (or the keys of a dict) the loop carries."""

    def __init__(self, name: str, before: Any, after: Any) -> None:
        super().__init__(name)
        self.name = name
        self.before = before
        self.after = after


def changes_length(before: Any, after: Any) -> bool:
    """Whether `after` is `before` with some list's length or some dict's keys changed (the rest alike)."""
    if isinstance(before, ListValue) and isinstance(after, ListValue):
        if len(before.items) != len(after.items):
            return True
    elif isinstance(before, DictValue) and isinstance(after, DictValue):
        if before.keys != after.keys:
            return True
    elif not (
        (isinstance(before, TupleValue) and isinstance(after, TupleValue))
        or (isinstance(before, RecordValue) and isinstance(after, RecordValue) and before.cls is after.cls)
    ):
        return False
    if len(before.items) != len(after.items):
        return False
    return any(changes_length(a, b) for a, b in zip(before.items, after.items))


def _size(value: Any) -> str:
    if isinstance(value, DictValue):
        return f"keys {list(value.keys)}"
    if isinstance(value, ListValue):
        return f"{len(value.items)} item" + ("" if len(value.items) == 1 else "s")
    return describe(value)


def growth_error(signal: GrowingContainer, loop: str) -> TypeMismatchError:
    """The error for a container whose length changes in a loop that cannot be unrolled."""
    kind = "dict" if isinstance(signal.before, DictValue) else "list"
    return TypeMismatchError(
        f"{kind} '{signal.name}' changes length in this {loop} ({_size(signal.before)} before it, "
        f"{_size(signal.after)} after one iteration), and the number of iterations depends on runtime data: dp "
        f"needs a {kind}'s length at compile time; loop a compile-time number of times (range() of constants or "
        f"static arguments, a tuple, the rows of an array), or preallocate an array (`{signal.name} = np.zeros(n)`, "
        f"`{signal.name}[i] = ...`)"
    )


def static_trip_items(iterable: Any) -> tuple | None:
    """The items of a `for` loop's iterable when their number is known at compile time, else None."""
    if isinstance(iterable, RangeValue):
        if all(isinstance(part, Const) for part in (iterable.start, iterable.stop, iterable.step)):
            return static_items(iterable)
        return None
    return static_items(iterable)


# -- unpacking ----------------------------------------------------------------------------------------


def split_starred(targets: list[ast.expr], items: tuple, value: Any) -> list[tuple[ast.expr, Any]]:
    """Pairs each unpacking target with its value; a `*name` target takes the rest as a list."""
    stars = [i for i, target in enumerate(targets) if isinstance(target, ast.Starred)]
    if len(stars) > 1:
        raise UnsupportedSyntaxError("multiple starred expressions in assignment")
    if not stars:
        if len(items) != len(targets):
            raise TypeMismatchError(
                f"cannot unpack {describe(value)} into {len(targets)} targets: it has {len(items)} items"
            )
        return list(zip(targets, items))
    star = stars[0]
    after = len(targets) - star - 1
    if len(items) < len(targets) - 1:
        raise TypeMismatchError(
            f"cannot unpack {describe(value)} into at least {len(targets) - 1} targets: it has {len(items)} items"
        )
    pairs = list(zip(targets[:star], items[:star]))
    pairs.append((targets[star].value, ListValue(items[star : len(items) - after])))
    pairs.extend(zip(targets[star + 1 :], items[len(items) - after :]))
    return pairs


def display_items(importer: Any, elements: list[ast.expr]) -> tuple:
    """The items of a tuple, list or set display, with each `*iterable` spliced in."""
    items: list = []
    for element in elements:
        if isinstance(element, ast.Starred):
            items.extend(static_items(importer.visit(element.value)))
        else:
            items.append(importer.visit(element))
    return tuple(items)


def merged_dict(parts: list[tuple[Any, Any]]) -> DictValue:
    """A dict display: `(key, value)` pairs and `(None, mapping)` for `**mapping`, later keys winning."""
    entries: dict[Any, Any] = {}
    for key, value in parts:
        if key is None:
            if not isinstance(value, DictValue):
                raise TypeMismatchError(f"'**' in a dict display needs a dict, not {describe(value)}")
            entries.update(zip(value.keys, value.items))
        else:
            entries[dict_key(key)] = value
    return DictValue(tuple(entries), tuple(entries.values()))


# -- methods ----------------------------------------------------------------------------------------------


def _const_int(value: Any, what: str) -> int:
    if not isinstance(value, Const) or value.kind not in (int, bool):
        raise TypeMismatchError(f"{what} must be a compile-time integer, not {describe(value)}")
    return int(value.value)


def _static_equal(a: Any, b: Any, method: str) -> bool:
    equal = operators.compare(ast.Eq, a, b)
    if not isinstance(equal, Const):
        raise TypeMismatchError(
            f"list.{method}() compares items with runtime values, so its result is not known at compile time"
        )
    return bool(equal.value)


def call_list_method(importer: Any, receiver: ListValue, name: str, args: list[Any], node: ast.AST) -> Any:
    """`receiver.name(*args)` for a list; mutating methods rebind every alias of the list."""
    items = receiver.items

    def arity(low: int, high: int) -> None:
        if not low <= len(args) <= high:
            expected = str(low) if low == high else f"{low} to {high}"
            raise TypeMismatchError(f"list.{name}() takes {expected} argument(s) ({len(args)} given)")

    def mutate(new_items: tuple) -> None:
        check_mutable(receiver, "the list")
        importer.replace_container(receiver, ListValue(new_items, receiver.ident), node)

    if name == "copy":
        arity(0, 0)
        return ListValue(items)
    if name == "index":
        arity(1, 1)
        for position, item in enumerate(items):
            if _static_equal(item, args[0], name):
                return Const(position)
        raise ShapeError(f"list.index(): {describe(args[0])} is not in the list")
    if name == "count":
        arity(1, 1)
        hits = [operators.compare(ast.Eq, item, args[0]) for item in items]
        total: Any = Const(0)
        for hit in hits:
            total = operators.binary(ast.Add, total, scalars.convert(hit, int))
        return total
    if name == "append":
        arity(1, 1)
        mutate(items + (args[0],))
    elif name == "extend":
        arity(1, 1)
        mutate(items + static_items(args[0]))
    elif name == "insert":
        arity(2, 2)
        position = _const_int(args[0], "the position of list.insert()")
        position = max(0, position + len(items)) if position < 0 else min(position, len(items))
        mutate(items[:position] + (args[1],) + items[position:])
    elif name == "pop":
        arity(0, 1)
        if not items:
            raise ShapeError("pop from an empty list")
        position = _const_int(args[0], "the index of list.pop()") if args else -1
        if not -len(items) <= position < len(items):
            raise ShapeError(f"pop index {position} is out of range for a list of {len(items)} items")
        position %= len(items)
        popped = items[position]
        mutate(items[:position] + items[position + 1 :])
        return popped
    elif name == "remove":
        arity(1, 1)
        for position, item in enumerate(items):
            if _static_equal(item, args[0], name):
                mutate(items[:position] + items[position + 1 :])
                return Const(None)
        raise ShapeError(f"list.remove(): {describe(args[0])} is not in the list")
    elif name == "clear":
        arity(0, 0)
        mutate(())
    elif name == "reverse":
        arity(0, 0)
        mutate(items[::-1])
    else:
        arity(0, 0)
        mutate(sorted_items(items, None, False, "list.sort()"))
    return Const(None)


def call_dict_method(importer: Any, receiver: DictValue, name: str, args: list[Any], node: ast.AST) -> Any:
    """`receiver.name(*args)` for a dict with compile-time keys."""
    keys, items = receiver.keys, receiver.items

    def mutate(new_keys: tuple, new_items: tuple) -> None:
        check_mutable(receiver, "the dict")
        importer.replace_container(receiver, DictValue(new_keys, new_items, receiver.ident), node)

    if name == "copy":
        return DictValue(keys, items)
    if name == "keys":
        return TupleValue(tuple(Const(key) for key in keys))
    if name == "values":
        return TupleValue(items)
    if name == "items":
        return TupleValue(tuple(TupleValue((Const(key), item)) for key, item in zip(keys, items)))
    if name == "update":
        if len(args) != 1:
            raise TypeMismatchError(f"dict.update() takes 1 argument ({len(args)} given)")
        merged = merged_dict([(None, receiver), *_pairs(args[0], "dict.update()")])
        mutate(merged.keys, merged.items)
        return Const(None)
    if not 1 <= len(args) <= 2:
        raise TypeMismatchError(f"dict.{name}() takes a compile-time key and an optional default")
    key = dict_key(args[0])
    default = args[1] if len(args) == 2 else None
    if name == "get":
        return receiver.get(key) if key in keys else (Const(None) if default is None else default)
    if name == "setdefault":
        if key in keys:
            return receiver.get(key)
        value = Const(None) if default is None else default
        mutate(keys + (key,), items + (value,))
        return value
    if key not in keys:
        if default is None:
            raise ShapeError(f"dict.pop(): key {key!r} is not in the dict (its keys are {list(keys)})")
        return default
    position = keys.index(key)
    mutate(keys[:position] + keys[position + 1 :], items[:position] + items[position + 1 :])
    return items[position]


def _pairs(source: Any, what: str) -> list[tuple[Any, Any]]:
    """The (key, value) pairs of a dict or of a sequence of pairs."""
    if isinstance(source, DictValue):
        return [(Const(key), value) for key, value in zip(source.keys, source.items)]
    pairs = []
    for pair in static_items(source):
        if isinstance(pair, (Array, RangeValue)) or is_array(pair):
            raise TypeMismatchError(f"{what} needs a dict or a sequence of (key, value) pairs, not {describe(source)}")
        entry = static_items(pair)
        if len(entry) != 2:
            raise TypeMismatchError(f"{what}: a sequence element has {len(entry)} items; 2 are required")
        pairs.append((entry[0], entry[1]))
    return pairs


def extend_in_place(importer: Any, current: ListValue, other: Any, node: ast.AST) -> None:
    """`xs += other` for a list: extends it in place, as Python does (its aliases see the new items)."""
    check_mutable(current, "the list")
    importer.replace_container(current, ListValue(current.items + static_items(other), current.ident), node)


# -- builtins that decide from structure or call a key function ---------------------------------------------


def sorted_items(items: tuple, keys: list | None, reverse: bool, what: str) -> tuple:
    """`items` sorted by `keys` (the items themselves when None): at compile time for constant keys, else by
    a sorting network."""
    keys = list(items) if keys is None else keys
    if not all(isinstance(key, Const) for key in keys):
        return _sorting_network(list(items), keys, reverse, what)
    try:
        order = builtins.sorted(range(len(items)), key=lambda i: keys[i].value, reverse=reverse)
    except TypeError as error:
        raise TypeMismatchError(f"{what}: {error}") from None
    return tuple(items[i] for i in order)


def _sorting_network(items: list, keys: list, reverse: bool, what: str) -> tuple:
    """A stable bubble-sort network of compare-and-swap selects on runtime number keys (differentiable: each
    output is one of the inputs, chosen by comparisons)."""
    for key in keys:
        if not is_number(key):
            raise TypeMismatchError(
                f"{what} of {describe(key)}: dp sorts runtime values only when they (or their keys) are numbers; "
                "sort an array with np.sort"
            )
    before = ast.Gt if reverse else ast.Lt
    n = len(items)
    for sweep in range(n - 1):
        for j in range(n - 1 - sweep):
            # Swap only on a strict comparison, so equal keys keep their order (Python's sort is stable).
            swap = operators.compare(before, keys[j + 1], keys[j])
            if isinstance(swap, Const):
                if swap.value:
                    items[j], items[j + 1], keys[j], keys[j + 1] = items[j + 1], items[j], keys[j + 1], keys[j]
                continue
            try:
                items[j], items[j + 1] = (
                    merge.select(swap, items[j + 1], items[j]),
                    merge.select(swap, items[j], items[j + 1]),
                )
            except Mismatch as mismatch:
                raise TypeMismatchError(
                    f"{what} with runtime keys chooses each position at run time, so the items must have one type, "
                    f"but they are {mismatch.left} and {mismatch.right}"
                ) from None
            keys[j], keys[j + 1] = scalars.select(swap, keys[j + 1], keys[j]), scalars.select(swap, keys[j], keys[j + 1])
    return tuple(items)


def _keys(importer: Any, key: Any, items: tuple, node: ast.AST) -> list:
    if isinstance(key, Const) and isinstance(key.value, operator.itemgetter):
        # itemgetter(0) of a (key, value) pair: picked at compile time like any subscript.
        from dp.frontend import indexing

        getter = key.value
        indices = getter.__reduce__()[1]
        picked = []
        for item in items:
            parts = [indexing.get_item(item, Const(index)) for index in indices]
            picked.append(parts[0] if len(parts) == 1 else TupleValue(tuple(parts)))
        return picked
    return [importer.call(key, [item], {}, node) for item in items]


def _sorted(importer: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> ListValue:
    if len(args) != 1:
        raise TypeMismatchError(f"sorted() takes exactly one positional argument ({len(args)} given)")
    unknown = [name for name in kwargs if name not in ("key", "reverse")]
    if unknown:
        raise TypeMismatchError(f"sorted() got an unexpected keyword argument '{unknown[0]}'")
    reverse = kwargs.get("reverse", Const(False))
    if not isinstance(reverse, Const):
        raise TypeMismatchError("sorted()'s reverse= must be a compile-time bool")
    items = static_items(args[0])
    key = kwargs.get("key", Const(None))
    keys = None if isinstance(key, Const) and key.value is None else _keys(importer, key, items, node)
    return ListValue(sorted_items(items, keys, bool(reverse.value), "sorted()"))


def _extremum(name: str, op: type[ast.cmpop]) -> Callable:
    """min/max; with key=, the item whose key wins (selected at run time when the keys are runtime values)."""
    plain = PLAIN_BUILTINS[getattr(builtins, name)]

    def lower(importer: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        kwargs = dict(kwargs)
        key = kwargs.pop("key", Const(None))
        default = kwargs.pop("default", None)
        if kwargs:
            raise TypeMismatchError(f"{name}() got an unexpected keyword argument '{next(iter(kwargs))}'")
        items = tuple(static_items(args[0])) if len(args) == 1 else tuple(args)
        if not items:
            if default is not None:
                return default
            raise TypeMismatchError(f"{name}() of an empty sequence")
        if isinstance(key, Const) and key.value is None:
            return plain(list(items), {})
        keys = _keys(importer, key, items, node)
        best, best_key = items[0], keys[0]
        for item, item_key in zip(items[1:], keys[1:]):
            better = operators.compare(op, item_key, best_key)
            if isinstance(better, Const):
                if better.value:
                    best, best_key = item, item_key
                continue
            try:
                best = merge.select(better, item, best)
            except Mismatch as mismatch:
                raise TypeMismatchError(
                    f"{name}(key=...) with runtime keys picks its result at run time, so the items must have one "
                    f"type, but they are {mismatch.left} and {mismatch.right}"
                ) from None
            best_key = scalars.select(better, item_key, best_key)
        return best

    return lower


def _truth_fold(name: str, combine: str) -> Callable:
    """any/all: the truth of each item, combined (constant items decide at compile time)."""

    def lower(importer: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        if len(args) != 1 or kwargs:
            raise TypeMismatchError(f"{name}() takes exactly one argument")
        truths = [scalars.truth(item) for item in static_items(args[0])]
        result: Any = Const(combine == "and")
        for truth in truths:
            if isinstance(truth, Const):
                if bool(truth.value) != (combine == "and"):
                    return Const(combine != "and")
                continue
            result = scalars.logical(combine, result, truth)
        return result

    return lower


def _reversed(importer: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> TupleValue:
    if len(args) != 1 or kwargs:
        raise TypeMismatchError("reversed() takes exactly one argument")
    if isinstance(args[0], DictValue):
        return TupleValue(tuple(Const(key) for key in reversed(args[0].keys)))
    return TupleValue(static_items(args[0])[::-1])


def _python_type(value: Any) -> type | None:
    """The Python type a value has at run time, when dp knows it (None for a runtime number's numpy kinds)."""
    import numpy

    if isinstance(value, ListValue):
        return list
    if isinstance(value, TupleValue):
        return tuple
    if isinstance(value, DictValue):
        return dict
    if isinstance(value, RecordValue):
        return value.cls
    if isinstance(value, RangeValue):
        return range
    if is_array(value):
        return numpy.ndarray
    if isinstance(value, Scalar):
        return value.kind
    if isinstance(value, Const):
        return type(value.value)
    return None


def _isinstance(importer: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Const:
    if len(args) != 2 or kwargs:
        raise TypeMismatchError(f"isinstance() takes 2 arguments ({len(args)} given)")
    value, spec = args

    def classes(spec: Any) -> tuple:
        if isinstance(spec, TupleValue):
            return tuple(cls for item in spec.items for cls in classes(item))
        if isinstance(spec, Const) and isinstance(spec.value, (type, tuple)):
            return spec.value if isinstance(spec.value, tuple) else (spec.value,)
        raise TypeMismatchError(f"isinstance()'s second argument must be a class or a tuple of classes, not {describe(spec)}")

    kind = _python_type(value)
    if kind is None:
        raise TypeMismatchError(f"isinstance() of {describe(value)} is not known at compile time")
    wanted = classes(spec)
    if isinstance(value, Const):
        return Const(builtins.isinstance(value.value, wanted))
    return Const(builtins.issubclass(kind, wanted))


def _set(importer: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Const:
    if len(args) > 1 or kwargs:
        raise TypeMismatchError(f"set() takes at most 1 argument ({len(args)} given)")
    return constant_set(list(static_items(args[0])) if args else [], "set")


def _dict(importer: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> DictValue:
    if len(args) > 1:
        raise TypeMismatchError(f"dict() takes at most 1 positional argument ({len(args)} given)")
    parts = _pairs(args[0], "dict()") if args else []
    parts.extend((Const(key), value) for key, value in kwargs.items())
    return merged_dict(parts)


def _slice(importer: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Const:
    if not 1 <= len(args) <= 3 or kwargs:
        raise TypeMismatchError(f"slice() takes 1 to 3 arguments ({len(args)} given)")
    if not all(isinstance(arg, Const) and (arg.value is None or arg.kind is int) for arg in args):
        raise TypeMismatchError("slice() bounds must be compile-time integers or None")
    return Const(builtins.slice(*(arg.value for arg in args)))


CONTAINER_BUILTINS: dict[Any, Callable] = {
    builtins.sorted: _sorted,
    builtins.min: _extremum("min", ast.Lt),
    builtins.max: _extremum("max", ast.Gt),
    builtins.any: _truth_fold("any", "or"),
    builtins.all: _truth_fold("all", "and"),
    builtins.reversed: _reversed,
    builtins.isinstance: _isinstance,
    builtins.set: _set,
    builtins.frozenset: _set,
    builtins.dict: _dict,
    builtins.slice: _slice,
}


def lookup(target: Any) -> Callable | None:
    """The handler of a container builtin, or None."""
    try:
        return CONTAINER_BUILTINS.get(target)
    except TypeError:  # unhashable objects are never builtins
        return None


__all__ = [
    "CONTAINER_BUILTINS",
    "DICT_METHODS",
    "GrowingContainer",
    "LIST_METHODS",
    "call_dict_method",
    "call_list_method",
    "changes_length",
    "extend_in_place",
    "growth_error",
    "lookup",
    "display_items",
    "merged_dict",
    "split_starred",
    "static_trip_items",
]
