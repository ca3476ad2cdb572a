"""The numpy functions and ndarray methods of indexing, gathering, scattering and sorting.

Handlers bind numpy's parameters and call dp.frontend.gather (np.take,
np.take_along_axis, ufunc.at, np.put) and dp.frontend.sorting (np.argmax,
np.argmin, np.argsort, np.sort, np.nonzero, ...). The functions that write
into an argument (`np.add.at(x, idx, v)`, `np.put`, `x.sort()`, `x.put()`)
are MUTATORS: they return the array that replaces their target, and the
call visitor rebinds every variable holding it, as `x[idx] = v` does.
"""

from __future__ import annotations

import ast
from typing import Any, Callable

import numpy as np

from dp.errors import TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import array_indexing, gather, numpy_functions, sorting, tensors
from dp.frontend.values import Array, Const, TupleValue, describe, is_number

Handler = Callable[[list[Any], dict[str, Any]], Any]
Mutator = Callable[[list[Any], dict[str, Any]], tuple[Any, Array]]


def _bind(name: str, args: list[Any], kwargs: dict[str, Any], params: tuple[str, ...], required: int = 1) -> dict:
    return numpy_functions._bind(name, args, kwargs, params, required)


def static(value: Any, what: str) -> Any:
    return numpy_functions.static(value, what)


def _axis(bound: dict, default: Any = None) -> Any:
    if "axis" not in bound:
        return default
    return static(bound["axis"], "the axis")


def _keepdims(bound: dict, name: str) -> bool:
    return bool(static(bound["keepdims"], f"keepdims of {name}")) if "keepdims" in bound else False


def _no_out(bound: dict, name: str) -> None:
    if "out" in bound and not (isinstance(bound["out"], Const) and bound["out"].value is None):
        raise UnsupportedSyntaxError(f"{name}(out=...) is not supported")


def _sort_kind(bound: dict, name: str) -> None:
    """Every kind sorts stably here; `order` (structured arrays) does not exist in dp."""
    if "order" in bound and not (isinstance(bound["order"], Const) and bound["order"].value is None):
        raise UnsupportedSyntaxError(f"{name}(order=...) is not supported (dp has no structured arrays)")


# -- argmax / argmin / argsort / sort ----------------------------------------------------------------


def _arg_extremum(name: str, maximum: bool) -> Handler:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        bound = _bind(name, args, kwargs, ("a", "axis", "out", "keepdims"))
        _no_out(bound, name)
        return sorting.arg_extremum(bound["a"], _axis(bound), _keepdims(bound, name), maximum)

    return lower


def _argsort(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.argsort", args, kwargs, ("a", "axis", "kind", "order", "stable"))
    _sort_kind(bound, "np.argsort")
    return sorting.argsort(bound["a"], _axis(bound, -1))


def _sort(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.sort", args, kwargs, ("a", "axis", "kind", "order", "stable"))
    _sort_kind(bound, "np.sort")
    return sorting.sort(bound["a"], _axis(bound, -1))


# -- take / take_along_axis / put / ufunc.at -------------------------------------------------------


def _index_component(value: Any) -> Any:
    """An index argument of np.take / np.put: a number stays a basic index, anything else is an index array."""
    if is_number(value):
        return array_indexing.component(value)
    return gather.array_index(value)


def _wrapped(index: Any, length: int, mode: str, name: str) -> Any:
    """Indices under np.take's mode: 'raise' as given, 'wrap' modulo the length, 'clip' into [0, length)."""
    if mode == "raise":
        return index
    if mode not in ("wrap", "clip"):
        raise TypeMismatchError(f"{name}: mode must be 'raise', 'wrap' or 'clip', not {mode!r}")
    if isinstance(index, gather.ArrayIndex):
        if index.data is not None:
            data = np.mod(index.data, length) if mode == "wrap" else np.clip(index.data, 0, length - 1)
            return gather.ArrayIndex(tensors.constant_array(data.astype(np.int64)), data.astype(np.int64))
        array = tensors.cast(index.array, "int64")
        if mode == "wrap":
            return gather.ArrayIndex(tensors.as_array(tensors.binary(ast.Mod, array, Const(length))), None)
        low = tensors.extremum(array, Const(0), True)
        return gather.ArrayIndex(tensors.as_array(tensors.extremum(low, Const(length - 1), False)), None)
    if isinstance(index, Const):
        return Const(int(np.mod(index.value, length)) if mode == "wrap" else int(np.clip(index.value, 0, length - 1)))
    from dp.frontend import operators

    if mode == "wrap":
        return operators.binary(ast.Mod, index, Const(length))
    return tensors.extremum(tensors.extremum(index, Const(0), True), Const(length - 1), False)


def _mode(bound: dict, name: str) -> str:
    return str(static(bound["mode"], f"the mode of {name}")) if "mode" in bound else "raise"


def take(a: Any, indices: Any, axis: Any = None, mode: str = "raise") -> Any:
    """np.take(a, indices, axis, mode): a[indices] along `axis` (the flattened array for axis=None)."""
    array = tensors.as_array(tensors.operand(a))
    if axis is None:
        array, axis = tensors.reshape(array, (array.spec.size,), view=False), 0
    d = sorting.single_axis(axis, array.ndim, "np.take")
    index = _wrapped(_index_component(indices), array.shape[d], mode, "np.take")
    if isinstance(index, gather.ArrayIndex) and index.is_mask:
        raise TypeMismatchError("np.take: indices must be integers, not a boolean mask")
    return array_indexing.get_item(array, [array_indexing.SliceIndex(None, None, None)] * d + [index])


def _take(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.take", args, kwargs, ("a", "indices", "axis", "out", "mode"), 2)
    _no_out(bound, "np.take")
    return take(bound["a"], bound["indices"], _axis(bound), _mode(bound, "np.take"))


def _take_along_axis(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.take_along_axis", args, kwargs, ("arr", "indices", "axis"), 2)
    return sorting.take_along_axis(bound["arr"], bound["indices"], _axis(bound, -1))


def _target(value: Any, name: str) -> Array:
    if not isinstance(value, Array):
        raise TypeMismatchError(f"{name} writes into its first argument, which must be an array, not {describe(value)}")
    return value


def put(a: Any, indices: Any, values: Any, mode: str = "raise") -> Array:
    """The array after np.put(a, indices, values): a.flat[indices] = values, values repeated as needed."""
    x = _target(a, "np.put")
    flat = tensors.reshape(Array(x.value, x.spec), (x.spec.size,), view=False)
    index = _wrapped(_index_component(indices), x.spec.size, mode, "np.put")
    count = int(np.prod(index.shape, dtype=np.int64)) if isinstance(index, gather.ArrayIndex) else 1
    source = tensors.as_array(tensors.cast(tensors.as_array(tensors.operand(values)), x.dtype))
    source = tensors.reshape(source, (source.spec.size,), view=False)
    if source.spec.size == 0:
        raise TypeMismatchError("np.put: cannot put an empty array of values")
    if source.spec.size != count:
        source = gather.take_axis(source, np.arange(count, dtype=np.int64) % source.spec.size, 0)
    if isinstance(index, gather.ArrayIndex):
        source = tensors.reshape(source, index.shape, view=False)
    written = array_indexing.set_item(flat, [index], source)
    return tensors.reshape(Array(written.value, flat.spec), x.shape, view=False)


def _put(args: list[Any], kwargs: dict[str, Any]) -> tuple[Any, Array]:
    bound = _bind("np.put", args, kwargs, ("a", "ind", "v", "mode"), 3)
    return bound["a"], put(bound["a"], bound["ind"], bound["v"], _mode(bound, "np.put"))


_AT_OPS: dict[Any, Callable[[Any, Any], Any]] = {
    np.add: lambda old, new: tensors.binary(ast.Add, old, new),
    np.subtract: lambda old, new: tensors.binary(ast.Sub, old, new),
    np.multiply: lambda old, new: tensors.binary(ast.Mult, old, new),
    np.divide: lambda old, new: tensors.binary(ast.Div, old, new),
    np.maximum: lambda old, new: tensors.extremum(old, new, True),
    np.minimum: lambda old, new: tensors.extremum(old, new, False),
}


def _ufunc_at(ufunc: np.ufunc) -> Mutator:
    name = f"np.{ufunc.__name__}.at"

    def lower(args: list[Any], kwargs: dict[str, Any]) -> tuple[Any, Array]:
        bound = _bind(name, args, kwargs, ("a", "indices", "b"), 3)
        x = _target(bound["a"], name)
        indices = bound["indices"]
        items = indices.items if isinstance(indices, TupleValue) else (indices,)
        components = [
            array_indexing.SliceIndex(*(Const(v) for v in (i.value.start, i.value.stop, i.value.step)))
            if isinstance(i, Const) and isinstance(i.value, slice)
            else array_indexing.component(i)
            for i in items
        ]
        return x, gather.set_item(x, components, bound["b"], _AT_OPS[ufunc])

    return lower


# -- nonzero & co. -------------------------------------------------------------------------------------


def _nonzero(args: list[Any], kwargs: dict[str, Any]) -> Any:
    return sorting.nonzero(_bind("np.nonzero", args, kwargs, ("a",))["a"])


def where_positions(condition: Any) -> TupleValue:
    """np.where(condition) with one argument: np.nonzero(condition)."""
    return sorting.nonzero(condition, "np.where(condition)")


def _count_nonzero(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = _bind("np.count_nonzero", args, kwargs, ("a", "axis", "keepdims"))
    if _keepdims(bound, "np.count_nonzero"):
        raise UnsupportedSyntaxError("np.count_nonzero(keepdims=True) is not supported")
    return sorting.count_nonzero(bound["a"], _axis(bound))


FUNCTIONS: dict[Any, Handler] = {
    np.argmax: _arg_extremum("np.argmax", True),
    np.argmin: _arg_extremum("np.argmin", False),
    np.argsort: _argsort,
    np.sort: _sort,
    np.take: _take,
    np.take_along_axis: _take_along_axis,
    np.nonzero: _nonzero,
    np.flatnonzero: lambda args, kwargs: sorting.flatnonzero(_bind("np.flatnonzero", args, kwargs, ("a",))["a"]),
    np.argwhere: lambda args, kwargs: sorting.argwhere(_bind("np.argwhere", args, kwargs, ("a",))["a"]),
    np.count_nonzero: _count_nonzero,
}

MUTATORS: dict[Any, Mutator] = {
    np.put: _put,
    **{ufunc.at: _ufunc_at(ufunc) for ufunc in _AT_OPS},
}


def mutator(target: Any) -> Mutator | None:
    """The lowering of a numpy function that writes into its first argument, None for anything else."""
    try:
        return MUTATORS.get(target)
    except TypeError:
        return None


# -- ndarray methods -----------------------------------------------------------------------------------

METHODS = ("argmax", "argmin", "argsort", "take", "nonzero")
MUTATING_METHODS = ("sort", "put")


def call_method(x: Any, name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """`x.name(...)` for the methods in METHODS."""
    method = f"ndarray.{name}"
    if name in ("argmax", "argmin"):
        bound = _bind(method, args, kwargs, ("axis", "out", "keepdims"), 0)
        _no_out(bound, method)
        return sorting.arg_extremum(x, _axis(bound), _keepdims(bound, method), name == "argmax")
    if name == "argsort":
        bound = _bind(method, args, kwargs, ("axis", "kind", "order", "stable"), 0)
        _sort_kind(bound, method)
        return sorting.argsort(x, _axis(bound, -1))
    if name == "take":
        bound = _bind(method, args, kwargs, ("indices", "axis", "out", "mode"))
        _no_out(bound, method)
        return take(x, bound["indices"], _axis(bound), _mode(bound, method))
    if args or kwargs:
        raise TypeMismatchError(f"{method}() takes no arguments")
    return sorting.nonzero(x, method)


def call_mutating_method(x: Any, name: str, args: list[Any], kwargs: dict[str, Any]) -> Array:
    """The array that replaces `x` after `x.name(...)` for the methods in MUTATING_METHODS."""
    method = f"ndarray.{name}"
    if name == "sort":
        bound = _bind(method, args, kwargs, ("axis", "kind", "order", "stable"), 0)
        _sort_kind(bound, method)
        return sorting.sort(x, _axis(bound, -1))
    bound = _bind(method, args, kwargs, ("indices", "values", "mode"), 2)
    return put(x, bound["indices"], bound["values"], _mode(bound, method))


__all__ = [
    "FUNCTIONS",
    "METHODS",
    "MUTATING_METHODS",
    "MUTATORS",
    "call_method",
    "call_mutating_method",
    "mutator",
    "take",
    "where_positions",
]
