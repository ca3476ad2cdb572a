"""What a call's arguments contribute to a specialization: dynamic leaves and a hashable key.

Positional arguments are flattened into dynamic leaves (the compiled
function's arguments) and TreeDefs, except `Static` ones (static arguments,
skipped defaults), which are compile-time constants; so are the keyword
arguments the importer receives. Constants are part of the key by value.
The dispatcher and the importer both use these functions, so a cache hit
always means the same specialization.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Hashable, Sequence

import numpy as np

from dp.errors import TypeMismatchError
from dp.frontend import pytree
from dp.frontend.pytree import TreeDef


@dataclasses.dataclass(frozen=True)
class Static:
    """A positional argument passed as a compile-time constant: no leaves, its value in the TreeDef."""

    treedef: TreeDef


def flatten_arguments(args: Sequence[Any], function_name: str) -> tuple[list[Any], tuple[TreeDef, ...]]:
    """The dynamic leaves of all positional arguments, in order, and one TreeDef per argument."""
    leaves: list[Any] = []
    treedefs = []
    for index, arg in enumerate(args):
        scalar = pytree.SCALAR_LEAVES.get(type(arg))
        if scalar is not None:  # the common case, checked first because it runs on every call
            leaves.append(arg)
            treedefs.append(scalar)
            continue
        if type(arg) is np.ndarray and arg.dtype.kind != "c":  # the next most common: a real numpy array
            try:
                treedefs.append(pytree.array_leaf(arg))
            except TypeMismatchError as error:
                raise TypeMismatchError(f"argument {index + 1} of {function_name}(): {error.message}") from None
            leaves.append(arg)
            continue
        if type(arg) is Static:
            treedefs.append(arg.treedef)
            continue
        try:
            arg_leaves, treedef = pytree.flatten(arg)
        except TypeMismatchError as error:
            raise TypeMismatchError(f"argument {index + 1} of {function_name}(): {error.message}") from None
        leaves.extend(arg_leaves)
        treedefs.append(treedef)
    return leaves, tuple(treedefs)


def static_treedef(value: Any, what: str) -> TreeDef:
    """The TreeDef of a compile-time value, every leaf static (keyword arguments, defaults)."""
    try:
        return pytree.flatten(value, numbers_static=True)[1]
    except TypeMismatchError as error:
        raise TypeMismatchError(f"{what}: {error.message}") from None


def signature_key(treedefs: tuple[TreeDef, ...], kwargs: dict[str, Any], function_name: str) -> Hashable:
    """The specialization key of a call: argument structures and types, and keyword values."""
    if not kwargs:
        return treedefs
    statics = tuple(
        (name, static_treedef(value, f"keyword argument '{name}' of {function_name}()"))
        for name, value in sorted(kwargs.items())
    )
    return treedefs, statics


__all__ = ["Static", "flatten_arguments", "signature_key", "static_treedef"]
