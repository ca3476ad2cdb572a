"""Differentiation transforms: dp.grad, dp.value_and_grad, dp.jvp, dp.vjp, dp.jacobian.

Each transform imports the Python function for the call's signature (as
dp.compile does), adds an entry point that requests the derivative (see
dp.derivatives), lowers the module with dp-lower-to-cpu and compiles it
(dp.runtime.compiler, which also keeps the object file in the on-disk
cache). Compiled derivatives are cached per function, transform, argnums
and argument signature. Gradients come back in the structure of the arguments,
with None for leaves that are not differentiable (ints, bools, strings).
"""

from __future__ import annotations

import collections
import ctypes
import dataclasses
import functools
import types
import weakref
from typing import Any, Callable, Hashable, Sequence

import numpy as np

from dp import _native, derivatives
from dp._registration import new_context
from dp.arguments import NO_STATIC, BoundCall, StaticArguments, bind_call, check_not_static, static_arguments
from dp.builtin_targets import is_builtin_target
from dp.callables import resolve, resolve_at_caller
from dp.derivatives import Activity
from dp.errors import DpError, InternalCompilerError, NotDifferentiableError, TypeMismatchError, at_caller
from dp.frontend import pytree
from dp.frontend.dtypes import ArraySpec
from dp.frontend.importer import ArgLeaf, ImportedFunction, import_function
from dp.frontend.pytree import NodeKind, TreeDef
from dp.frontend.signature import flatten_arguments, signature_key
from dp.runtime.calling import Pointer
from dp.runtime.compiler import compile_specialization
from dp.runtime import writeback
from dp.runtime.jit import JitFunction, use_target

Argnums = int | tuple[int, ...]


def clear_caches(fn: Callable | None = None) -> None:
    """Forgets the derivatives dp.jvp and dp.vjp compiled, for `fn` or for every function.

    Needed after changing a global a compiled function reads (they are
    compile-time constants); `recompile()` on a dp.compile or dp.grad object
    clears that object's own cache. Without `fn`, also frees the large
    buffers compiled array code keeps for reuse.
    """
    if fn is None:
        _forward_cache.clear()
        _split_cache.clear()
        _native.free_buffers()
        return
    inner = resolve(fn, "dp.clear_caches").function
    _forward_cache.pop(inner, None)
    _split_cache.pop(inner, None)


def _at_definition(error: DpError, fn: types.FunctionType) -> DpError:
    """Points an error about a call of `fn` at its definition (the `def` line)."""
    from dp.api import _at_definition as locate

    return locate(error, fn)


def _normalize_argnums(argnums: Argnums, num_args: int, name: str) -> tuple[int, ...]:
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    if not nums or not all(isinstance(n, int) for n in nums):
        raise TypeError(f"argnums must be an int or a non-empty tuple of ints, not {argnums!r}")
    normalized = tuple(n + num_args if n < 0 else n for n in nums)
    for n, original in zip(normalized, nums):
        if not 0 <= n < num_args:
            raise TypeMismatchError(f"argnums {original} is out of range for {name}() called with {num_args} arguments")
    return normalized


@dataclasses.dataclass
class _Signature:
    """How a specialization's entry function maps to the Python call (known with or without importing)."""

    arg_leaves: list[ArgLeaf]
    arg_treedefs: tuple[TreeDef, ...]
    result_treedef: TreeDef | None = None
    prints: bool = False

    @classmethod
    def of_call(cls, args: tuple, name: str) -> "_Signature":
        _, treedefs = flatten_arguments(args, name)
        leaves = [
            ArgLeaf(index, path, None, kind)
            for index, treedef in enumerate(treedefs)
            for path, kind in zip(pytree.leaf_paths(treedef), pytree.leaf_kinds(treedef))
        ]
        return cls(leaves, treedefs)


class _Compiled:
    """A specialization with derivative entry points, compiled (or loaded from the disk cache)."""

    def __init__(
        self,
        fn: types.FunctionType,
        args: tuple,
        argnums: tuple[int, ...],
        entries: Sequence[str],
        *,
        kwargs: dict[str, Any] | None = None,
        require_floats: bool = True,
        check_result: Callable[["_Compiled"], None] | None = None,
    ):
        name = fn.__qualname__
        kwargs = kwargs or {}
        state = writeback.current_state()
        try:
            self.imported = _Signature.of_call(args, name)
            self.imported.arg_leaves += writeback.state_arg_leaves(fn, state)
        except DpError as error:
            raise error.with_traceback(None) from None
        self.argnums = argnums
        self.function_object = fn

        def build() -> ImportedFunction:
            context = new_context()
            try:
                imported = import_function(fn, args, kwargs, context=context, state=state)
            except InternalCompilerError:
                raise
            except DpError as error:
                raise error.with_traceback(None) from None
            activity = derivatives.activity_of(imported, argnums)
            if require_floats:
                self._check_differentiable(fn, argnums)
            for entry in entries:
                _BUILDERS[entry](imported, activity)
            return imported

        def check(result_treedef: TreeDef) -> None:
            if require_floats:
                self._check_differentiable(fn, argnums)
            self.imported.result_treedef = result_treedef
            self.activity = Activity(
                tuple(leaf.differentiable and leaf.arg_index in argnums for leaf in self.imported.arg_leaves),
                tuple(pytree.is_differentiable(kind) for kind in pytree.leaf_kinds(result_treedef)),
            )
            if check_result is not None:
                check_result(self)

        _, key = writeback.begin_key(fn, state, signature_key(self.imported.arg_treedefs, kwargs, name))
        symbols = [symbol for entry in entries for symbol in _SYMBOLS[entry]]
        self._compiled = compile_specialization(fn, key, ("derivative", argnums), symbols, build, check)
        self.imported.prints = self._compiled.prints
        # Calls that carry globals or write arguments back go through Python (no native fast path).
        self.stateful = bool(state.objects) or bool(writeback.writeback_kinds(self._compiled.imported))

    def _check_differentiable(self, fn: types.FunctionType, argnums: tuple[int, ...]) -> None:
        for n in argnums:
            if not any(leaf.differentiable for leaf in self.imported.arg_leaves if leaf.arg_index == n):
                kinds = pytree.describe(self.imported.arg_treedefs[n])
                raise NotDifferentiableError(
                    f"argument {n} of {fn.__qualname__}() is {kinds}, which has no float leaves to differentiate "
                    "with respect to; pass floats, or leave it out of argnums"
                )

    @property
    def arg_kinds(self) -> list[type]:
        return [leaf.kind for leaf in self.imported.arg_leaves]

    @property
    def result_kinds(self) -> list[type]:
        return pytree.leaf_kinds(self.imported.result_treedef)

    def function(self, entry: str, arg_kinds: Sequence[type], result_kinds: Sequence[type]) -> JitFunction:
        imported = self._compiled.imported
        if entry in (derivatives.PULLBACK, derivatives.FREE_TAPE) or not writeback.writeback_kinds(imported):
            return self._compiled.function(entry, arg_kinds, result_kinds)
        # The entry's results are its own, the written-back values (dp.runtime.writeback), then derivatives.
        n = len(self.result_kinds)
        kinds = [*result_kinds[:n], *writeback.writeback_kinds(imported), *result_kinds[n:]]
        return writeback.wrap(self._compiled.function(entry, arg_kinds, kinds), imported, n)

    def unflatten_grads(self, grads: Sequence[float], argnums: tuple[int, ...]) -> list[Any]:
        """One gradient pytree per argument in `argnums`, None where a leaf has no gradient."""
        per_leaf = iter(grads)
        values = [next(per_leaf) if active else None for active in self.activity.args]
        result = []
        for n in argnums:
            leaves = [v for leaf, v in zip(self.imported.arg_leaves, values) if leaf.arg_index == n]
            treedef = self.imported.arg_treedefs[n]
            result.append(_unflatten_gradient(treedef, pytree.conjugate_leaves(treedef, leaves)))
        return result

    def unflatten_result(self, leaves: Sequence[Any]) -> Any:
        treedef = self.imported.result_treedef
        return leaves[0] if treedef.kind is NodeKind.LEAF else pytree.unflatten(treedef, list(leaves))


def _unflatten_gradient(treedef: TreeDef, leaves: list[Any]) -> Any:
    if treedef.kind is NodeKind.LEAF:
        return leaves[0]
    return pytree.unflatten(treedef, leaves, keep_static=False)


_BUILDERS = {
    derivatives.REVERSE: derivatives.add_reverse,
    derivatives.FORWARD: derivatives.add_forward,
    derivatives.AUGMENTED: derivatives.add_split,
}
# The entry points each builder adds.
_SYMBOLS = {
    derivatives.REVERSE: [derivatives.REVERSE],
    derivatives.FORWARD: [derivatives.FORWARD],
    derivatives.AUGMENTED: [derivatives.AUGMENTED, derivatives.PULLBACK, derivatives.FREE_TAPE],
}


def _compile_reverse(
    fn: types.FunctionType,
    args: tuple,
    argnums: tuple[int, ...],
    kind: str,
    *,
    kwargs: dict[str, Any] | None = None,
    require_floats: bool = True,
):
    def one_float(compiled: _Compiled) -> None:
        kinds = compiled.result_kinds
        if len(kinds) != 1 or kinds[0] is not float:
            raise TypeMismatchError(
                f"dp.{kind} needs {fn.__qualname__}() to return one float, but it returns "
                f"{pytree.describe(compiled.imported.result_treedef)}; use dp.vjp or dp.jacobian for other results"
            )

    compiled = _Compiled(
        fn, args, argnums, [derivatives.REVERSE], kwargs=kwargs, require_floats=require_floats, check_result=one_float
    )
    grads = _active(compiled.arg_kinds, compiled.activity.args)  # float or ArraySpec per active leaf
    jit = compiled.function(derivatives.REVERSE, compiled.arg_kinds + [float], [float] + grads)
    return compiled, jit


def _compile_forward(
    fn: types.FunctionType,
    args: tuple,
    argnums: tuple[int, ...],
    *,
    kwargs: dict[str, Any] | None = None,
    require_floats: bool = True,
):
    compiled = _Compiled(fn, args, argnums, [derivatives.FORWARD], kwargs=kwargs, require_floats=require_floats)
    tangents = _active(compiled.arg_kinds, compiled.activity.args)
    outputs = compiled.result_kinds + _active(compiled.result_kinds, compiled.activity.results)
    jit = compiled.function(derivatives.FORWARD, compiled.arg_kinds + tangents, outputs)
    return compiled, jit


def _compile_split(
    fn: types.FunctionType,
    args: tuple,
    argnums: tuple[int, ...],
    *,
    kwargs: dict[str, Any] | None = None,
    require_floats: bool = True,
):
    compiled = _Compiled(fn, args, argnums, [derivatives.AUGMENTED], kwargs=kwargs, require_floats=require_floats)
    cotangents = _active(compiled.result_kinds, compiled.activity.results)
    grads = _active(compiled.arg_kinds, compiled.activity.args)
    augmented = compiled.function(derivatives.AUGMENTED, compiled.arg_kinds, compiled.result_kinds + [Pointer])
    arrays = [kind for kind in compiled.arg_kinds if isinstance(kind, ArraySpec)]
    pullback = compiled.function(derivatives.PULLBACK, [Pointer] + arrays + cotangents, grads)
    free = compiled.function(derivatives.FREE_TAPE, [Pointer], [])
    return compiled, augmented, pullback, free


compile_reverse = _compile_reverse


def _active(kinds: Sequence[Any], active: Sequence[bool]) -> list[Any]:
    """The kinds (float, or an ArraySpec for a float array) of the active leaves."""
    return [kind for kind, a in zip(kinds, active) if a]


class Transform:
    """A derivative of a Python function, compiled per argument signature on first call.

    Keyword arguments are values like positional ones and never
    differentiated, static arguments are compile-time constants (see
    dp.arguments); the arguments a partial or a bound method adds come first
    and are not differentiated either.
    """

    kind = ""
    __dp_derivative__ = True
    _static: StaticArguments = NO_STATIC

    def __init__(self, fn: Callable, argnums: Argnums | None = 0) -> None:
        self._target = resolve_at_caller(fn, f"dp.{self.kind}")
        self._fn = self._target.function
        functools.update_wrapper(self, self._fn)
        self._argnums = argnums
        self._cache: dict[Hashable, Any] = {}

    def __repr__(self) -> str:
        return f"<dp.{self.kind} of {self._fn.__qualname__}>"

    @property
    def __dp_options__(self) -> tuple:
        """What besides its function makes this derivative what it is (for the disk cache's key)."""
        static = (tuple(sorted(self._static.argnums)), tuple(sorted(self._static.argnames)))
        return (self.kind, self._argnums, getattr(self, "_mode", None), static)

    def _bind(self, args: tuple, kwargs: dict[str, Any]) -> tuple[list[Any], Any]:
        """`_prepare` for a call of this transform: the target's bound arguments go first."""
        try:
            call = bind_call(self._target, self._static, args, kwargs)
        except DpError as error:
            raise _at_definition(error, self._fn).with_traceback(None) from None
        return self._prepare(call)

    def _prepare(self, call: BoundCall) -> tuple[list[Any], Any]:
        """The leaves of a call and its compiled specialization; argnums count the caller's positional arguments."""
        name = self._fn.__qualname__
        try:
            leaves, treedefs = flatten_arguments(call.args, name)
            key = (call.offset, call.positional, signature_key(treedefs, call.kwargs, name))
            leaves, key = writeback.begin(self._fn, call.args, leaves, key)
        except DpError as error:
            raise _at_definition(error, self._fn).with_traceback(None) from None
        compiled = self._cache.get(key)
        if compiled is None:
            try:
                # argnums None: every positional argument of this call.
                if self._argnums is None:
                    argnums = call.caller_argnums
                else:
                    argnums = tuple(call.offset + n for n in _normalize_argnums(self._argnums, call.positional, name))
                check_not_static(self._static, argnums, call.offset, f"dp.{self.kind}")
                compiled = self._compile(call.args, call.kwargs, argnums)
            except DpError as error:
                if error.filename is None or is_builtin_target(self._fn):
                    error = _at_definition(error, self._fn)
                raise error.with_traceback(None) from None
            self._cache[key] = compiled
        return leaves, compiled

    def recompile(self) -> None:
        """Forgets every compiled specialization."""
        self._cache.clear()


_SCALARS = (float, int, bool)


def _static_at_caller(target: Any, argnums: Any, argnames: Any, what: str) -> StaticArguments:
    """`static_arguments` for a public entry point: an error points at the user's line."""
    try:
        return static_arguments(target, argnums, argnames, what)
    except DpError as error:
        raise at_caller(error).with_traceback(None) from None


class _Gradient(Transform, _native.Dispatcher):
    """Compiled reverse mode of a function with one float result.

    Calls with float, int and bool arguments whose specialization is compiled
    go straight to the compiled code (the native Dispatcher's fast path);
    every other call runs `_call_slow`.
    """

    def __init__(
        self,
        fn: Callable,
        argnums: Argnums = 0,
        *,
        static_argnums: int | Sequence[int] = (),
        static_argnames: str | Sequence[str] = (),
        target: str = "cpu",
    ) -> None:
        super().__init__(fn, argnums)
        if target not in ("cpu", "gpu"):
            raise ValueError(f"target must be 'cpu' or 'gpu', not {target!r}")
        self._static = _static_at_caller(self._target, static_argnums, static_argnames, f"dp.{self.kind}")
        self._fast_types: set[tuple[type, ...]] = set()
        self._device = target

    def _compile(self, args: tuple, kwargs: dict[str, Any], argnums: tuple[int, ...]) -> tuple[_Compiled, JitFunction]:
        with use_target(self._device):
            return _compile_reverse(self._fn, args, argnums, self.kind, kwargs=kwargs)

    def value_and_grads(self, args: tuple, kwargs: dict[str, Any]) -> tuple[float, list[Any]]:
        leaves, (compiled, jit) = self._bind(args, kwargs)
        out = jit(leaves + [1.0])
        # GPU code runs through Python, which checks the device's errors after each call.
        fast = self._device == "cpu" and not compiled.stateful
        if fast and not kwargs and not self._target.bound and not self._static:
            self._register_fast(args, compiled, jit)
        return out[0], compiled.unflatten_grads(out[1:], compiled.argnums)

    def _shape(self, grads: list[Any]) -> Any:
        return grads[0] if isinstance(self._argnums, int) else tuple(grads)

    def _call_slow(self, *args: Any, **kwargs: Any) -> Any:
        value, grads = self.value_and_grads(args, kwargs)
        return self._result(value, self._shape(grads))

    def _result(self, value: Any, grads: Any) -> Any:
        raise NotImplementedError

    def _register_fast(self, args: tuple, compiled: _Compiled, jit: JitFunction) -> None:
        """Lets calls with arguments of exactly these scalar types skip Python."""
        types_ = tuple(type(arg) for arg in args)
        if types_ in self._fast_types or not all(t in _SCALARS for t in types_):
            return
        self._fast_types.add(types_)
        index, per_leaf = 1, []
        for active in compiled.activity.args:  # one leaf per scalar argument
            per_leaf.append(index if active else None)
            index += active
        grads = self._shape([per_leaf[n] for n in compiled.argnums])
        self._add_fast(types_, jit, (1.0,), self._result(0, grads))

    def recompile(self) -> None:
        super().recompile()
        self._clear_fast()
        self._fast_types.clear()


class grad(_Gradient):
    """dp.grad(f, argnums=0, *, static_argnums=(), static_argnames=(), target="cpu"): the gradient of a float-valued function."""

    kind = "grad"

    def _result(self, value: Any, grads: Any) -> Any:
        return grads


class value_and_grad(_Gradient):
    """dp.value_and_grad(f, argnums=0, *, static_argnums=(), static_argnames=(), target="cpu"): (f(*args), gradient)."""

    kind = "value_and_grad"

    def _result(self, value: Any, grads: Any) -> tuple[float, Any]:
        return value, grads


class _Forward(Transform):
    """Compiled forward mode: tangents of the float results along tangents of the float leaves."""

    kind = "jvp"

    def _compile(self, args: tuple, kwargs: dict[str, Any], argnums: tuple[int, ...]) -> tuple[_Compiled, JitFunction]:
        return _compile_forward(self._fn, args, argnums, kwargs=kwargs, require_floats=False)


def _result_tangents(compiled: _Compiled, out: tuple) -> tuple[Any, Any]:
    """Splits a forward entry's outputs into the value and the tangent pytrees."""
    n = len(compiled.result_kinds)
    values, given = out[:n], iter(out[n:])
    tangents = [next(given) if active else None for active in compiled.activity.results]
    treedef = compiled.imported.result_treedef
    if treedef.kind is NodeKind.LEAF:
        return values[0], tangents[0]
    return pytree.unflatten(treedef, list(values)), pytree.unflatten(treedef, tangents, keep_static=False)


class _RecentTransforms:
    """The transforms dp.jvp / dp.vjp made for the functions they were called with most recently.

    A bounded map, not a weak one: a transform holds its function, so weak keys would never be released
    and every fresh lambda or closure would keep its compiled code for the life of the process.
    """

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._entries: collections.OrderedDict[types.FunctionType, Any] = collections.OrderedDict()

    def get(self, fn: types.FunctionType) -> Any:
        transform = self._entries.get(fn)
        if transform is not None:
            self._entries.move_to_end(fn)
        return transform

    def __setitem__(self, fn: types.FunctionType, transform: Any) -> None:
        self._entries[fn] = transform
        self._entries.move_to_end(fn)
        while len(self._entries) > self._capacity:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)

    def pop(self, fn: types.FunctionType, default: Any = None) -> Any:
        return self._entries.pop(fn, default)

    def clear(self) -> None:
        self._entries.clear()


_forward_cache = _RecentTransforms(128)
_split_cache = _RecentTransforms(128)


def _float_leaves(tree: Any, like: TreeDef, what: str, active: Sequence[bool]) -> list[float]:
    """The float leaves of `tree`, which must have the structure `like`, at the active positions."""
    if like.kind is NodeKind.COMPLEX and pytree.scalar_kind(tree) is not None or (
        like.kind is NodeKind.COMPLEX and isinstance(tree, np.ndarray) and tree.dtype.kind in "fiub"
    ):
        tree = np.asarray(tree).astype(like.data) if like.data != "complex" else complex(tree)  # a real direction
    leaves, treedef = pytree.flatten(tree)
    if treedef != like and isinstance(tree, np.ndarray) and tree.shape == () and tree.dtype.kind in "fiu":
        # A 0-d array for a number, as numpy produces where a scalar result's cotangent is computed.
        leaves, treedef = pytree.flatten(float(tree))
    if treedef != like:
        raise TypeMismatchError(
            f"{what} must have the structure {pytree.describe(like)}, not {pytree.describe(treedef)}"
        )
    floats = []
    for path, v, a in zip(pytree.leaf_paths(treedef), leaves, active):
        if not a:
            continue
        if hasattr(v, "__array_interface__"):
            floats.append(v)
        elif isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
            floats.append(float(v))
        else:
            where = " at " + "".join(f"[{key!r}]" for key in path) if path else ""
            raise TypeMismatchError(f"{what} must be a float{where}, not {type(v).__name__} {v!r}")
    return floats


def jvp(fn: Callable, primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, Any]:
    """dp.jvp(f, primals, tangents) -> (f(*primals), tangent of the result), like jax.jvp.

    `tangents` has the structure of `primals`; its float leaves are the
    direction (non-float leaves are ignored). Result leaves that are not
    floats get None as tangent.
    """
    primals, tangents = tuple(primals), tuple(tangents)
    if len(primals) != len(tangents):
        raise TypeMismatchError(f"jvp got {len(primals)} primals but {len(tangents)} tangents")
    target = resolve_at_caller(fn, "dp.jvp")
    transform = _forward_cache.get(target.function)
    if transform is None:
        transform = _Forward(target.function, None)
        _forward_cache[target.function] = transform
    call = bind_call(target, NO_STATIC, primals, {})
    leaves, (compiled, jit) = transform._prepare(call)
    direction = []
    for n, tangent in enumerate(tangents, start=call.offset):
        like = compiled.imported.arg_treedefs[n]
        active = [leaf.differentiable for leaf in compiled.imported.arg_leaves if leaf.arg_index == n]
        direction += _float_leaves(tangent, like, f"the tangent of argument {n - call.offset}", active)
    return _result_tangents(compiled, jit(leaves + direction))


jvp.__dp_derivative__ = True


class _Split(Transform):
    """Compiled split reverse mode: a forward run that keeps a tape, and a pullback."""

    kind = "vjp"

    def _compile(self, args: tuple, kwargs: dict[str, Any], argnums: tuple[int, ...]):
        return _compile_split(self._fn, args, argnums, kwargs=kwargs, require_floats=False)


class Pullback:
    """The pullback of a dp.vjp: maps a cotangent of the result to gradients of the arguments.

    It reads the tape the forward run recorded and may be called any number
    of times; the tape is freed when the pullback is garbage-collected.
    """

    def __init__(
        self, compiled: _Compiled, pullback: JitFunction, free: JitFunction, tape: int, arrays: list[np.ndarray]
    ) -> None:
        self._compiled = compiled
        self._pullback = pullback
        self._tape = tape
        self._arrays = arrays
        weakref.finalize(self, free, [tape])

    @property
    def tape_slots(self) -> int:
        """How many values the forward run recorded on the tape (what the reverse sweep reads back).

        Each value takes one 8-byte slot; an array's slot points to a copy of
        its data, kept next to the slots. For measuring what checkpointing
        saves: a plain loop records per iteration, a checkpointed one per
        segment.
        """
        # The tape's header (see dp-convert-tape-to-llvm): {data, top, end, ...}, `end` in bytes.
        header = (ctypes.c_int64 * 3).from_address(self._tape)
        return header[2] // 8

    def __call__(self, cotangent: Any) -> tuple[Any, ...]:
        compiled = self._compiled
        try:
            treedef = compiled.imported.result_treedef
            seeds = _float_leaves(cotangent, treedef, "the cotangent", compiled.activity.results)
            if pytree.has_complex(treedef):  # JAX's convention: a cotangent c seeds the pair (Re c, -Im c)
                active = [n for n, a in enumerate(compiled.activity.results) if a]
                flipped = pytree.conjugate_leaves(treedef, [seeds[active.index(n)] if n in active else None
                                                            for n in range(len(compiled.activity.results))])
                seeds = [flipped[n] for n in active]
        except DpError as error:
            raise _at_definition(error, compiled.function_object).with_traceback(None) from None
        grads = self._pullback([self._tape] + self._arrays + seeds)
        return tuple(compiled.unflatten_grads(grads, compiled.argnums))


def vjp(fn: Callable, *primals: Any) -> tuple[Any, Pullback]:
    """dp.vjp(f, *primals) -> (f(*primals), pullback), like jax.vjp.

    pullback(cotangent) returns one gradient per primal, in its structure.
    """
    target = resolve_at_caller(fn, "dp.vjp")
    transform = _split_cache.get(target.function)
    if transform is None:
        transform = _Split(target.function, None)
        _split_cache[target.function] = transform
    leaves, (compiled, augmented, pullback, free) = transform._prepare(bind_call(target, NO_STATIC, primals, {}))
    out = augmented(leaves)
    value = compiled.unflatten_result(out[:-1])
    # The pullback reads the array arguments again: it keeps copies, so that
    # changing an argument in place afterwards changes no gradient (as in JAX,
    # whose arrays are immutable).
    arrays = [np.array(leaf, copy=True) for leaf in _array_leaves(compiled, leaves)]
    return value, Pullback(compiled, pullback, free, out[-1], arrays)


vjp.__dp_derivative__ = True


def _array_leaves(compiled: _Compiled, leaves: list[Any]) -> list[Any]:
    """The leaves passed as arrays, in order: what a pullback reads again."""
    return [leaf for leaf, kind in zip(leaves, compiled.arg_kinds) if isinstance(kind, ArraySpec)]


def _shape_of(kind: Any) -> tuple[int, ...]:
    """The shape of a float leaf: an ArraySpec's, () for a Python float."""
    return kind.shape if isinstance(kind, ArraySpec) else ()


def _dtype_of(kind: Any) -> np.dtype:
    """The dtype of a float leaf's derivatives: an ArraySpec's, float64 for a Python float."""
    return kind.numpy_dtype if isinstance(kind, ArraySpec) else np.dtype(np.float64)


def _zero(kind: Any) -> Any:
    """A zero seed for a float leaf: 0.0, or a (writable, fresh) zero array of the leaf's dtype and shape."""
    return np.zeros(kind.shape, kind.numpy_dtype) if isinstance(kind, ArraySpec) else 0.0


class jacobian(Transform):
    """dp.jacobian(f, argnums=0, mode="rev"|"fwd"): the Jacobian of f, like jax.jacrev/jacfwd.

    The result has the structure of f's result (None at leaves that are not
    floats); each float leaf holds the derivatives with respect to the
    arguments in argnums: one pytree per argument, a tuple of them when
    argnums is a tuple, with None at leaves that are not floats. The block of
    a result leaf and an argument leaf has the shape result.shape +
    argument.shape (a Python float counts as shape ()): a Python float where
    both are Python floats, else a numpy array, of the argument's dtype in
    reverse mode and of the result's in forward mode (as JAX). Reverse mode
    records one tape and runs the compiled pullback once per element of the
    float results, seeded by basis cotangents; forward mode runs the compiled
    forward derivative once per element of the float arguments, along basis
    tangents.
    """

    kind = "jacobian"

    def __init__(
        self,
        fn: Callable,
        argnums: Argnums = 0,
        mode: str = "rev",
        *,
        static_argnums: int | Sequence[int] = (),
        static_argnames: str | Sequence[str] = (),
    ) -> None:
        if mode not in ("rev", "fwd"):
            raise ValueError(f'mode must be "rev" or "fwd", not {mode!r}')
        super().__init__(fn, argnums)
        self._static = _static_at_caller(self._target, static_argnums, static_argnames, "dp.jacobian")
        self._mode = mode

    def _compile(self, args: tuple, kwargs: dict[str, Any], argnums: tuple[int, ...]):
        if self._mode == "rev":
            return _compile_split(self._fn, args, argnums, kwargs=kwargs)
        return _compile_forward(self._fn, args, argnums, kwargs=kwargs)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        leaves, compiled_entry = self._bind(args, kwargs)
        compiled = compiled_entry[0]
        treedefs = [compiled.imported.arg_treedefs[n] for n in compiled.argnums] + [compiled.imported.result_treedef]
        if any(pytree.has_complex(treedef) for treedef in treedefs):
            raise _at_definition(
                TypeMismatchError(
                    f"dp.{self.kind} of {self._fn.__qualname__}() has complex arguments or results, whose Jacobian "
                    "JAX's jacfwd/jacrev take only for holomorphic functions; use dp.jvp or dp.vjp, or split the "
                    "complex values into real and imaginary parts"
                ),
                self._fn,
            ).with_traceback(None)
        blocks = (self._blocks_rev if self._mode == "rev" else self._blocks_fwd)(leaves, compiled_entry)
        rows, per_result = [], iter(blocks)
        for active in compiled.activity.results:
            if not active:
                rows.append(None)
                continue
            row = compiled.unflatten_grads(next(per_result), compiled.argnums)
            rows.append(row[0] if isinstance(self._argnums, int) else tuple(row))
        treedef = compiled.imported.result_treedef
        if treedef.kind is NodeKind.LEAF:
            return rows[0]
        return pytree.unflatten(treedef, rows, keep_static=False)

    def _blocks_rev(self, leaves: list[Any], entry: tuple) -> list[list[Any]]:
        """Per active result leaf, its block with respect to each active argument leaf: rows of the pullback."""
        compiled, augmented, pullback, free = entry
        results = _active(compiled.result_kinds, compiled.activity.results)
        args = _active(compiled.arg_kinds, compiled.activity.args)
        tape = augmented(leaves)[-1]
        arrays = _array_leaves(compiled, leaves)
        try:
            seeds = [_zero(kind) for kind in results]
            blocks = []
            for k, kind in enumerate(results):
                if not isinstance(kind, ArraySpec):
                    # a float result: the pullback's gradients are the blocks (of the arguments' shapes)
                    seeds[k] = 1.0
                    blocks.append(list(pullback([tape] + arrays + seeds)))
                    seeds[k] = 0.0
                    continue
                row = [np.zeros(kind.shape + _shape_of(arg), _dtype_of(arg)) for arg in args]
                seed = seeds[k]
                for index in np.ndindex(*kind.shape):
                    seed[index] = 1
                    for block, grad in zip(row, pullback([tape] + arrays + seeds)):
                        block[index] = grad
                    seed[index] = 0
                blocks.append(row)
            return blocks
        finally:
            free([tape])

    def _blocks_fwd(self, leaves: list[Any], entry: tuple) -> list[list[Any]]:
        """Per active result leaf, its block with respect to each active argument leaf: columns of the JVP."""
        compiled, jit = entry
        results = _active(compiled.result_kinds, compiled.activity.results)
        args = _active(compiled.arg_kinds, compiled.activity.args)
        n_values = len(compiled.result_kinds)
        directions = [_zero(kind) for kind in args]
        blocks: list[list[Any]] = [[None] * len(args) for _ in results]
        for a, kind in enumerate(args):
            if not isinstance(kind, ArraySpec):
                # a float argument: the result tangents are the blocks (of the results' shapes)
                directions[a] = 1.0
                for row, tangent in zip(blocks, jit(leaves + directions)[n_values:]):
                    row[a] = tangent
                directions[a] = 0.0
                continue
            for row, result in zip(blocks, results):
                row[a] = np.zeros(_shape_of(result) + kind.shape, _dtype_of(result))
            direction = directions[a]
            for index in np.ndindex(*kind.shape):
                direction[index] = 1
                at = (Ellipsis, *index)
                for row, tangent in zip(blocks, jit(leaves + directions)[n_values:]):
                    row[a][at] = tangent
                direction[index] = 0
        return blocks


class hessian(jacobian):
    """dp.hessian(f, argnums=0): the Hessian of a float-valued function, like jax.hessian.

    Forward over reverse: the forward-mode Jacobian of dp.grad(f, argnums),
    compiled as one nested derivative. The block of two argument leaves has
    the shape of the first followed by the shape of the second; with a tuple
    argnums, blocks nest as a tuple of tuples (JAX's layout).
    """

    kind = "hessian"

    def __init__(
        self,
        fn: Callable,
        argnums: Argnums = 0,
        *,
        static_argnums: int | Sequence[int] = (),
        static_argnames: str | Sequence[str] = (),
    ) -> None:
        inner = grad(fn, argnums, static_argnums=static_argnums, static_argnames=static_argnames)
        super().__init__(inner, argnums, "fwd", static_argnums=static_argnums, static_argnames=static_argnames)


__all__ = [
    "Pullback",
    "Transform",
    "clear_caches",
    "compile_reverse",
    "grad",
    "hessian",
    "jacobian",
    "jvp",
    "value_and_grad",
    "vjp",
]
