"""Writing what compiled code mutated back into the caller's Python objects.

A compiled entry that mutates a positional argument (an object, dict or
list the caller passed) or a global (dp.frontend.global_state) returns the
new values after its own results. `begin` runs at the start of every call:
it finds the state, whose current leaves go after the arguments' (so a
compiled function never reads a stale copy of a mutated global), and
remembers the call's arguments; `WritebackCall` wraps an entry point,
splits the written-back results off and writes them into those objects in
place (dict items, list items, attributes, numpy arrays with np.copyto), so
aliases of them see the change as they would after running the Python code.
Functions that write back are never stored in the on-disk cache.
"""

from __future__ import annotations

import dataclasses
import threading
import types
from typing import Any, Callable, Sequence

import numpy as np

from dp.errors import TypeMismatchError
from dp.frontend import entry_state, instances, pytree
from dp.frontend.global_state import NO_STATE, State, find_state
from dp.frontend.pytree import TreeDef

_current = threading.local()


def begin(fn: Callable, args: Sequence[Any], leaves: list[Any], key: Any) -> tuple[list[Any], Any]:
    """Starts a call of compiled `fn` with positional `args`: the leaves with the state's, and the key with its structure."""
    state = find_state(fn) if isinstance(fn, types.FunctionType) else NO_STATE
    _current.args = args
    _current.state = state
    if not state.objects:
        return leaves, key
    return leaves + entry_state.state_leaves(fn, state), begin_key(fn, state, key)[1]


def begin_key(fn: Callable, state: State, key: Any) -> tuple[None, Any]:
    """`key` extended with the structure of the state (unchanged without state)."""
    if not state.objects:
        return None, key
    return None, (key, ("state", entry_state.state_key(fn, state)))


def state_arg_leaves(fn: Callable, state: State) -> list[Any]:
    """The entry's ArgLeafs of the state (numbered -1, -2, ... so that no argnums selects them)."""
    from dp.frontend.importer import ArgLeaf

    if not state.objects:
        return []
    treedefs = entry_state.state_key(fn, state)
    return [
        ArgLeaf(index, path, None, kind)
        for index, treedef in entry_state.numbered((), treedefs)
        for path, kind in zip(pytree.leaf_paths(treedef), pytree.leaf_kinds(treedef))
    ]


def current_state() -> State:
    """The state of the call `begin` started last in this thread."""
    return getattr(_current, "state", NO_STATE)


def state_kinds(fn: Callable) -> list[Any]:
    """The leaf kinds of the current call's state arguments (after the positional arguments' kinds)."""
    state = current_state()
    return [kind for treedef in entry_state.state_key(fn, state) for kind in pytree.leaf_kinds(treedef)]


class WritebackCall:
    """An entry point whose results `start:start+n` are written back (see the module docstring)."""

    def __init__(self, call: Callable, start: int, targets: tuple, treedefs: tuple[TreeDef, ...]) -> None:
        self._call = call
        self._start = start
        self._targets = targets
        self._treedefs = treedefs
        self._count = sum(treedef.num_leaves for treedef in treedefs)

    def __call__(self, leaves: list[Any]) -> tuple:
        results = tuple(self._call(leaves))
        start, end = self._start, self._start + self._count
        written = iter(results[start:end])
        args, state = getattr(_current, "args", ()), current_state()
        for (kind, index), treedef in zip(self._targets, self._treedefs):
            value = pytree.unflatten(treedef, [next(written) for _ in range(treedef.num_leaves)])
            write_into(args[index] if kind == "arg" else state.objects[index], value)
        return results[:start] + results[end:]


def wrap(call: Callable, imported: Any, num_results: int) -> Callable:
    """`call` (an entry returning `num_results` results, then the write-backs) as a WritebackCall, if needed."""
    if imported is None or not imported.writeback:
        return call
    return WritebackCall(call, num_results, imported.writeback, imported.writeback_treedefs)


def writeback_kinds(imported: Any) -> list[Any]:
    """The leaf kinds of the written-back results of an imported entry (none if it writes nothing back)."""
    if imported is None:
        return []
    return [kind for treedef in imported.writeback_treedefs for kind in pytree.leaf_kinds(treedef)]


def write_into(target: Any, value: Any) -> None:
    """Makes the mutable Python object `target` hold `value` (a fresh object of the same kind), in place."""
    if isinstance(target, dict):
        for key in list(target):
            if key not in value:
                del target[key]
        for key, item in value.items():
            target[key] = _merged(target.get(key), item)
    elif isinstance(target, list):
        target[:] = [_merged(target[i] if i < len(target) else None, item) for i, item in enumerate(value)]
    elif isinstance(target, np.ndarray):
        if target.shape != np.shape(value):
            raise TypeMismatchError(f"cannot write an array of shape {np.shape(value)} back into one of shape {target.shape}")
        np.copyto(target, value)
    else:
        for name, item in vars(value).items():
            object.__setattr__(target, name, _merged(getattr(target, name, None), item))


def _merged(old: Any, new: Any) -> Any:
    """`new`, written into `old` when both are mutable objects of one kind (so aliases of `old` see it)."""
    if type(old) is type(new) and (
        isinstance(old, (dict, list))
        or (isinstance(old, np.ndarray) and old.shape == new.shape and old.dtype == new.dtype and old.flags.writeable)
        or instances.is_plain_object(old)
        or (dataclasses.is_dataclass(old) and not isinstance(old, type))
    ):
        write_into(old, new)
        return old
    return new


__all__ = [
    "WritebackCall",
    "begin",
    "begin_key",
    "current_state",
    "state_arg_leaves",
    "state_kinds",
    "wrap",
    "write_into",
    "writeback_kinds",
]
