"""The entry function's side of write-back: state parameters, and which results go back where.

The entry takes the positional arguments' leaves, then the leaves of the
state objects it reaches (dp.frontend.global_state), numbered -1, -2, ...
as arguments so that no argnums selects them. When the entry mutates a
positional argument (an object, dict or list the caller passed) or state,
its record returns them after the result (dp.frontend.objects); the
ImportedFunction says where each goes, for dp.runtime.writeback.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

from dp.errors import TypeMismatchError
from dp.frontend import pytree
from dp.frontend.global_state import State
from dp.frontend.pytree import NodeKind, TreeDef
from dp.frontend.source import python_signature


def state_parameters(fn: Callable, state: State) -> tuple[list[tuple[str, TreeDef]], tuple[TreeDef, ...]]:
    """The entry's implicit parameters (name, structure) for `state`, and their structures in order."""
    params = []
    for index, name in state.parameters(fn):
        try:
            params.append((name, pytree.flatten(state.objects[index])[1]))
        except TypeMismatchError as error:
            raise TypeMismatchError(
                f"the global '{name}', which compiled code mutates, holds a value dp cannot pass: {error.message}"
            ) from None
    return params, tuple(treedef for _, treedef in params)


def state_leaves(fn: Callable, state: State) -> list[Any]:
    """The leaves the entry takes after the positional arguments' (each call: the objects' current values)."""
    leaves: list[Any] = []
    for index, _ in state.parameters(fn):
        leaves.extend(pytree.flatten(state.objects[index])[0])
    return leaves


def state_key(fn: Callable, state: State) -> tuple:
    """What the state adds to a compile-cache key: the structure of each object."""
    return tuple(pytree.flatten(state.objects[index])[1] for index, _ in state.parameters(fn))


def numbered(treedefs: tuple[TreeDef, ...], state_treedefs: tuple[TreeDef, ...]) -> Iterator[tuple[int, TreeDef]]:
    """Each argument structure with its ArgLeaf index: positional ones from 0, state ones from -1 down."""
    yield from enumerate(treedefs)
    for k, treedef in enumerate(state_treedefs):
        yield -1 - k, treedef


def entry_positions(fn: Callable, num_positional: int, kwargs: dict[str, Any]) -> dict[str, int]:
    """The entry's parameters bound to positional arguments, with the argument's index."""
    signature = python_signature(fn)
    positions = {}
    index = 0
    for name, parameter in signature.parameters.items():
        if index >= num_positional or parameter.kind not in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
            break
        if name in kwargs:
            break
        positions[name] = index
        index += 1
    return positions


def split_result(
    record: Any, positions: dict[str, int], state: State
) -> tuple[TreeDef, tuple[tuple[str, int], ...], tuple[TreeDef, ...]]:
    """The entry's own result structure, and where each written-back value goes, with its structure."""
    if not record.writeback:
        return record.result_spec, (), ()
    assert record.result_spec.kind is NodeKind.TUPLE
    user, *finals = record.result_spec.children
    by_name = {name: index for index, name in state.parameters(record.fn)}
    targets = tuple(("arg", positions[name]) if name in positions else ("state", by_name[name]) for name in record.writeback)
    return user, targets, tuple(finals)


__all__ = ["entry_positions", "numbered", "split_result", "state_key", "state_leaves", "state_parameters"]
