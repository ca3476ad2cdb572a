"""Globals that compiled code mutates: runtime state, an extra input and output of the compiled function.

A global (or closure cell) naming a dict, list, numpy array or plain class
instance that some function reachable from the compiled one mutates (an
item or attribute store, `+=` on one, a method call on it, passing it to a
function that may mutate it) is *state*: its current value is flattened
into extra arguments of the entry on every call (so the compiled code never
reads a stale compile-time copy of it), every function that reaches it by
name receives it as an implicit parameter, and what the code made of it
comes back after the result and is written into the Python object in place
when the call returns (dp.runtime.writeback). Derivatives flow through
state like through any local: it is an input that is not differentiated.

Which functions are reachable is found on their ASTs, before importing (the
compile cache's key needs the state's structure): the functions a body
names (globals, closure cells) and the methods of the classes it names. A
function reached otherwise (passed as an argument) sees globals as
compile-time constants, and mutating one is dp's usual typed error.
"""

from __future__ import annotations

import ast
import types
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from dp.errors import DpError
from dp.frontend import instances
from dp.frontend.objects import pure_callee
from dp.frontend.source import FunctionSource

_READING_METHODS = frozenset({"copy", "keys", "values", "items", "get", "index", "count", "sum", "mean", "dot",
                              "reshape", "transpose", "astype", "max", "min", "prod", "ravel", "flatten", "tolist"})


@dataclass(frozen=True)
class _Scan:
    """What one function's code does with the non-local names it reads (the same for every closure of it)."""

    reads: frozenset[str]  # names it reads as globals or free variables
    stores: frozenset[str]  # of those, the ones whose object it mutates itself (item/attribute stores, methods)
    # each call: the callee's root name (None if not a name), the names it passes, the names it unpacks (*t, **d)
    calls: tuple[tuple[str | None, frozenset[str], frozenset[str]], ...]


_scans: dict[types.CodeType, _Scan] = {}


def _scan(fn: types.FunctionType) -> _Scan:
    scan = _scans.get(fn.__code__)
    if scan is None:
        scan = _scan_code(fn)
        if len(_scans) < 4096:
            _scans[fn.__code__] = scan
    return scan


def _scan_code(fn: types.FunctionType) -> _Scan:
    code = fn.__code__
    local = set(code.co_varnames) | set(code.co_cellvars)
    nonlocal_names = (set(code.co_names) | set(code.co_freevars)) - local
    try:
        node = FunctionSource.of(fn).node
    except DpError:
        return _Scan(frozenset(), frozenset(), ())
    stores, calls = set(), []
    for child in ast.walk(node):
        root = None
        if isinstance(child, (ast.Subscript, ast.Attribute)) and isinstance(child.ctx, (ast.Store, ast.Del)):
            root = _root(child.value)
        elif isinstance(child, ast.Call):
            if isinstance(child.func, ast.Attribute) and child.func.attr not in _READING_METHODS:
                root = _root(child.func.value)
            passed, unpacked = set(), set()
            for arg in child.args:
                if isinstance(arg, ast.Starred):
                    unpacked.add(_root(arg.value))
                else:
                    passed.add(_root(arg))
            for keyword in child.keywords:
                (passed if keyword.arg is not None else unpacked).add(_root(keyword.value))
            calls.append((_root(child.func), frozenset(passed & nonlocal_names), frozenset(unpacked & nonlocal_names)))
        if root in nonlocal_names:
            stores.add(root)
    return _Scan(frozenset(nonlocal_names), frozenset(stores), tuple(calls))


def _mutations(fn: types.FunctionType) -> tuple[frozenset[str], frozenset[str]]:
    """The non-local names whose object `fn` may mutate, and those it only unpacks into calls that may mutate.

    A callee named by a global or a closure cell of this very function is resolved to decide whether it is a
    library function (which never mutates); a callee receives the items of `*t` and `**d`, never the container.
    """
    scan = _scan(fn)
    namespace = {**fn.__globals__, **_cell_contents(fn)}
    mutated, unpacked = set(scan.stores), set()
    for callee, passed, spread in scan.calls:
        if callee is not None and pure_callee(ast.Name(callee, ast.Load()), namespace):
            continue
        mutated |= passed
        unpacked |= spread
    return frozenset(mutated), frozenset(unpacked - mutated)


def _cell_contents(fn: types.FunctionType) -> dict[str, Any]:
    """The bound closure cells of `fn` by name."""
    contents = {}
    for name, cell in zip(fn.__code__.co_freevars, fn.__closure__ or ()):
        try:
            contents[name] = cell.cell_contents
        except ValueError:
            continue
    return contents


def _root(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _resolve(fn: types.FunctionType, name: str) -> Any:
    """The object a non-local name of `fn` refers to now (a closure cell first), or None."""
    code = fn.__code__
    if name in code.co_freevars:
        cell = (fn.__closure__ or ())[code.co_freevars.index(name)]
        try:
            return cell.cell_contents
        except ValueError:
            return None
    return fn.__globals__.get(name)


def is_state_candidate(obj: Any) -> bool:
    """Whether compiled code can treat `obj` as state: a dict, list, numpy array or plain class instance."""
    return type(obj) in (dict, list) or isinstance(obj, np.ndarray) or instances.is_plain_object(obj)


@dataclass(frozen=True, eq=False)
class State:
    """The state of one compiled call: the mutated objects and, per function, the name it knows each by."""

    objects: tuple[Any, ...]
    # keyed by the function object: closures of one code close over different objects
    names: dict[types.FunctionType, dict[int, str]]  # function -> {index in objects -> the non-local name}
    reaches: dict[types.FunctionType, frozenset[int]]  # function -> indices of the objects it reaches

    def parameters(self, fn: types.FunctionType) -> list[tuple[int, str]]:
        """The implicit parameters of `fn`: (object index, parameter name), in object order."""
        names = self.names.get(fn, {})
        reached = self.reaches.get(fn, frozenset())
        return [(index, names.get(index, f"{index}@state")) for index in sorted(reached)]


NO_STATE = State((), {}, {})


def find_state(fn: types.FunctionType) -> State:
    """The state a call of `fn` carries (NO_STATE when the code it reaches mutates no global)."""
    functions: list[types.FunctionType] = []
    seen: set[int] = set()
    stack = [fn]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        functions.append(current)
        for name in _scan(current).reads:
            stack.extend(_functions_of(_resolve(current, name)))
    objects: list[Any] = []
    index_of: dict[int, int] = {}
    for current in functions:
        mutated, unpacked = _mutations(current)
        for name in sorted(mutated | unpacked):
            obj = _resolve(current, name)
            if name in unpacked and not _holds_mutable(obj):
                continue
            if is_state_candidate(obj) and id(obj) not in index_of:
                index_of[id(obj)] = len(objects)
                objects.append(obj)
    if not objects:
        return NO_STATE
    names: dict[types.FunctionType, dict[int, str]] = {}
    direct: dict[types.FunctionType, set[int]] = {}
    calls: dict[types.FunctionType, list[types.FunctionType]] = {}
    for current in functions:
        own = names.setdefault(current, {})
        for name in _scan(current).reads:
            obj = _resolve(current, name)
            if id(obj) in index_of:
                own.setdefault(index_of[id(obj)], name)
            calls.setdefault(current, []).extend(_functions_of(obj))
        direct[current] = set(own)
    reaches = {fn: set(indices) for fn, indices in direct.items()}
    changed = True
    while changed:  # what a callee reaches, its callers pass on
        changed = False
        for caller, callees in calls.items():
            for callee in callees:
                extra = reaches.get(callee, set()) - reaches[caller]
                if extra:
                    reaches[caller] |= extra
                    changed = True
    return State(tuple(objects), names, {fn: frozenset(indices) for fn, indices in reaches.items()})


def _holds_mutable(obj: Any) -> bool:
    """Whether unpacking `obj` into a call passes the callee something it could mutate."""
    items = obj.values() if isinstance(obj, dict) else obj if isinstance(obj, (list, tuple)) else ()
    return any(is_state_candidate(item) or isinstance(item, (list, tuple)) and _holds_mutable(item) for item in items)


def _functions_of(obj: Any) -> list[types.FunctionType]:
    """The Python functions compiled code may reach through `obj`: itself, a class's methods, an instance's."""
    if isinstance(obj, types.FunctionType):
        return [obj]
    target = getattr(obj, "__dp_target__", None)
    if target is not None and isinstance(getattr(target, "function", None), types.FunctionType):
        return [target.function]
    cls = obj if isinstance(obj, type) else type(obj) if instances.is_plain_object(obj) else None
    if cls is None or not instances.is_user_class(cls):
        return []
    found = []
    for klass in cls.__mro__[:-1]:
        for attribute in vars(klass).values():
            if isinstance(attribute, (staticmethod, classmethod)):
                attribute = attribute.__func__
            elif isinstance(attribute, property):
                found.extend(f for f in (attribute.fget, attribute.fset) if isinstance(f, types.FunctionType))
                continue
            if isinstance(attribute, types.FunctionType):
                found.append(attribute)
    return found


def implicit_arguments(visitor: Any, fn: Callable) -> list[tuple[str, Any]]:
    """The state a call of `fn` inside compiled code passes: each object's current value in the caller."""
    state: State = visitor.module.state
    if not state.objects or not isinstance(fn, types.FunctionType):
        return []
    mine = dict((index, name) for index, name in state.parameters(visitor.record.fn))
    out = []
    for index, name in state.parameters(fn):
        if index in mine:
            out.append((name, visitor.lookup(mine[index])))
    return out


__all__ = ["NO_STATE", "State", "find_state", "implicit_arguments", "is_state_candidate"]
