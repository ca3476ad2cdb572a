"""How a call of dp.compile or a transform reaches the Python function: keywords and static arguments.

As in JAX, keyword arguments are values like positional ones (runtime
values, never differentiated): a call is rebound so that every parameter up
to the last one given is passed by position, keywords after the caller's
positional arguments (so argnums still count those) and skipped defaults as
compile-time constants. Static arguments (`static_argnums`,
`static_argnames`, jax.jit's meaning) are compile-time constants, part of
the specialization key by value, so they must be hashable; inside compiled
code they stay constants, also in the functions they are passed to.
Keyword-only parameters stay keywords, which dp compiles as constants.
"""

from __future__ import annotations

import dataclasses
import inspect
import types
import weakref
from typing import Any, Iterable

from dp.callables import Target
from dp.errors import StaticArgumentError, UnsupportedSyntaxError
from dp.frontend.signature import Static, static_treedef
from dp.frontend.source import python_signature

_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
_VARIADIC = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)


@dataclasses.dataclass(frozen=True)
class StaticArguments:
    """The caller's argument positions and the parameter names whose values are compile-time constants."""

    argnums: frozenset[int] = frozenset()
    argnames: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.argnums or self.argnames)


NO_STATIC = StaticArguments()


@dataclasses.dataclass(frozen=True)
class BoundCall:
    """A call as the importer takes it: positional arguments (`Static` for constants) and constant keywords."""

    args: tuple
    kwargs: dict[str, Any]
    offset: int  # leading arguments the callable binds (a partial's, a method's receiver)
    positional: int  # arguments the caller passed by position: what argnums count

    @property
    def caller_argnums(self) -> tuple[int, ...]:
        """The positions in `args` of the caller's positional arguments."""
        return tuple(range(self.offset, self.offset + self.positional))


def static_arguments(
    target: Target, argnums: int | Iterable[int], argnames: str | Iterable[str], what: str
) -> StaticArguments:
    """Checks `static_argnums` and `static_argnames` against `target`'s signature; each completes the other."""
    nums = _collection(argnums, int, "static_argnums")
    names = _collection(argnames, str, "static_argnames")
    if not nums and not names:
        return NO_STATIC
    fn = target.function
    parameters = list(python_signature(fn).parameters.values())
    if any(parameter.kind in _VARIADIC for parameter in parameters):
        raise UnsupportedSyntaxError(
            f"cannot compile {fn.__qualname__}: *args and **kwargs parameters are not supported"
        )
    positional = [p.name for p in parameters if p.kind in _POSITIONAL][len(target.args) :]
    count = len(positional)
    for n in nums:
        if not -count <= n < count:
            raise StaticArgumentError(
                f"{what} has static_argnums={argnums!r}, but {fn.__qualname__}() takes only {count} positional "
                "argument(s) from its caller"
            )
    unknown = sorted(names - {p.name for p in parameters})
    if unknown:
        raise StaticArgumentError(
            f"{what} has static_argnames {unknown}, which {fn.__qualname__}() does not take as parameters"
        )
    positions = {n % count for n in nums} | {positional.index(name) for name in names if name in positional}
    return StaticArguments(frozenset(positions), frozenset(names | {positional[n] for n in positions}))


def _collection(value: Any, kind: type, what: str) -> frozenset:
    """An int or str option (`kind`) or a collection of them, as a frozenset; TypeError for anything else."""
    try:
        items = (value,) if isinstance(value, kind) else tuple(value)
    except TypeError:
        items = (value,)
    if not all(isinstance(item, kind) and not isinstance(item, bool) for item in items):
        raise TypeError(f"{what} must be {kind.__name__} or a collection of them, not {value!r}")
    return frozenset(items)


def bind_call(target: Target, static: StaticArguments, args: tuple, kwargs: dict[str, Any]) -> BoundCall:
    """The call of `target.function` for a call of the callable with `args` and `kwargs`."""
    offset = len(target.args)
    full, keywords = target.bind(args, kwargs)
    if not keywords and not static:
        return BoundCall(full, {}, offset, len(args))
    fn = target.function
    bound = _bind(_parameters_of(fn), full, keywords)
    if bound is None:
        return BoundCall(full, keywords, offset, len(args))  # not a call Python accepts: the importer reports it
    given, constants = bound
    values: list[Any] = []
    for index, (name, value, passed) in enumerate(given):
        if not passed:
            values.append(Static(static_treedef(value, f"the default of '{name}'")))
        elif index >= offset and (name in static.argnames or (index - offset) in static.argnums):
            values.append(_static(value, name, fn.__qualname__))
        else:
            values.append(value)
    for name, value in constants.items():
        if name in static.argnames:
            _static(value, name, fn.__qualname__)
    return BoundCall(tuple(values), constants, offset, len(args))


@dataclasses.dataclass(frozen=True)
class _Parameters:
    """A function's parameters as calls bind them, for the defaults it had when they were read."""

    defaults: tuple | None
    kwdefaults: dict | None
    positional: tuple[tuple[str, bool, Any], ...]  # (name, positional-only, default or _EMPTY)
    keyword_only: frozenset[str]
    variadic: bool


_EMPTY = inspect.Parameter.empty
_parameters: "weakref.WeakKeyDictionary[types.FunctionType, _Parameters]" = weakref.WeakKeyDictionary()


def _parameters_of(fn: types.FunctionType) -> _Parameters:
    """`fn`'s parameters, read once (again when its defaults are replaced)."""
    found = _parameters.get(fn)
    if found is not None and found.defaults is fn.__defaults__ and found.kwdefaults is fn.__kwdefaults__:
        return found
    parameters = python_signature(fn).parameters.values()
    found = _Parameters(
        fn.__defaults__,
        fn.__kwdefaults__,
        tuple((p.name, p.kind is p.POSITIONAL_ONLY, p.default) for p in parameters if p.kind in _POSITIONAL),
        frozenset(p.name for p in parameters if p.kind is p.KEYWORD_ONLY),
        any(p.kind in _VARIADIC for p in parameters),
    )
    _parameters[fn] = found
    return found


def _bind(parameters: _Parameters, args: tuple, keywords: dict[str, Any]) -> tuple[list, dict[str, Any]] | None:
    """(name, value, given) per positional parameter up to the last one given, and the keyword-only arguments."""
    if parameters.variadic or len(args) > len(parameters.positional):
        return None  # None: a call Python would reject, or a function the importer rejects
    rest = dict(keywords)
    given = []
    for index, (name, positional_only, default) in enumerate(parameters.positional):
        if index < len(args):
            if name in rest:
                return None  # given twice
            given.append((name, args[index], True))
        elif name in rest and not positional_only:
            given.append((name, rest.pop(name), True))
        else:
            given.append((name, default, False))
    while given and not given[-1][2]:
        given.pop()  # trailing defaults: the importer fills them in
    if any(value is _EMPTY for _, value, passed in given if not passed) or not rest.keys() <= parameters.keyword_only:
        return None  # a required argument missing, or an unknown keyword
    return given, rest


def _static(value: Any, name: str, function_name: str) -> Static:
    """A static argument's value as a constant; it must be hashable (it keys the specialization)."""
    try:
        hash(value)
    except TypeError as error:
        raise StaticArgumentError(
            f"static argument '{name}' of {function_name}() must be hashable, not {type(value).__name__} "
            f"({error}): a static argument is a compile-time constant, and compiled code is cached by its value; "
            "pass a tuple instead of a list, or make it a non-static argument"
        ) from None
    return Static(static_treedef(value, f"static argument '{name}' of {function_name}()"))


def check_not_static(static: StaticArguments, argnums: tuple[int, ...], offset: int, what: str) -> None:
    """Raises StaticArgumentError when argnums (positions counted from `offset`) name a static argument."""
    overlap = sorted(n - offset for n in argnums if n - offset in static.argnums)
    if overlap:
        raise StaticArgumentError(
            f"{what} differentiates with respect to argument {overlap[0]}, which is static (a compile-time constant "
            "without a derivative); leave it out of argnums or of static_argnums"
        )


__all__ = ["BoundCall", "NO_STATIC", "StaticArguments", "bind_call", "check_not_static", "static_arguments"]
