"""The public entry points: `dp.compile` and `dp.lower`."""

from __future__ import annotations

import functools
import linecache
import types
from typing import Any, Callable, Hashable, Sequence


from dp import _native, derivatives, transforms
from dp._registration import new_context
from dp.arguments import BoundCall, bind_call, static_arguments
from dp.builtin_targets import at_call, is_builtin_target
from dp.callables import Target, resolve_at_caller
from dp.errors import (
    DpError,
    InternalCompilerError,
    StaticArgumentError,
    at_caller,
)
from dp.frontend import pytree
from dp.frontend.importer import ImportedFunction, import_function
from dp.frontend.pytree import NodeKind, TreeDef
from dp.frontend.signature import flatten_arguments, signature_key
from dp.runtime import writeback
from dp.runtime.compiler import PRIMAL, compile_specialization
from dp.runtime.jit import JitFunction, lower_to_llvm, use_target

TARGETS = ("cpu", "gpu")
STAGES = ("imported", "differentiated", "llvm")


def _check_options(target: str, grad: bool) -> None:
    if target not in TARGETS:
        raise ValueError(f"target must be one of {TARGETS}, not {target!r}")
    if not isinstance(grad, bool):
        raise TypeError(f"grad must be True or False, not {grad!r}")


def compile(
    fn: Callable | None = None,
    /,
    *,
    target: str = "cpu",
    grad: bool = False,
    static_argnums: int | Sequence[int] = (),
    static_argnames: str | Sequence[str] = (),
) -> Any:
    """Compiles a Python function to native code, specialized and cached per argument signature.

    Usable bare (`@dp.compile`) or with options (`@dp.compile(target="cpu")`);
    static arguments are compile-time constants, as jax.jit's.
    """
    _check_options(target, grad)
    options = {"target": target, "grad": grad, "static_argnums": static_argnums, "static_argnames": static_argnames}
    if fn is None:
        return functools.partial(compile, **options)
    if isinstance(fn, transforms.Transform) and not grad:
        # A derivative is compiled and cached per signature already (with grad=True, it is
        # differentiated once more, as any function).
        if static_argnums or static_argnames:
            raise at_caller(
                StaticArgumentError(f"dp.compile of {fn!r} with static arguments: pass them to the transform itself")
            )
        return fn
    return CompiledFunction(fn, **options)


_SCALARS = (float, int, bool)
_NO_FAST_PATH = object()


def _result_template(treedef: TreeDef, next_index: list[int]) -> Any:
    """What the native fast path returns for a result of this structure (result indices in
    nested tuples, None for a static None), or _NO_FAST_PATH when Python must rebuild it."""
    kind = treedef.kind
    if kind is NodeKind.LEAF and treedef.data not in _SCALARS:
        return _NO_FAST_PATH  # an array: rebuilt in Python (dp.runtime.arrays)
    if kind is NodeKind.LEAF:
        next_index[0] += 1
        return next_index[0] - 1
    if kind is NodeKind.TUPLE:
        items = tuple(_result_template(child, next_index) for child in treedef.children)
        return _NO_FAST_PATH if any(item is _NO_FAST_PATH for item in items) else items
    if kind is NodeKind.STATIC and treedef.static_value is None:
        return None
    return _NO_FAST_PATH


class _Specialization:
    """A compiled entry point and how to rebuild its Python result."""

    def __init__(self, jit: JitFunction, result_treedef: TreeDef) -> None:
        self._jit = jit
        self._treedef = result_treedef
        self._single = result_treedef.kind is NodeKind.LEAF
        template = _result_template(result_treedef, [0])
        # (call, extra float arguments, result template) for the native fast path
        self.fast = None if template is _NO_FAST_PATH else (jit, (), template)

    def __call__(self, leaves: list[Any]) -> Any:
        results = self._jit(leaves)
        if self._single:
            return results[0]
        return pytree.unflatten(self._treedef, results)


class _GradSpecialization:
    """A compiled value-and-gradient entry point: returns (value, one gradient per argument)."""

    def __init__(self, compiled: Any, jit: JitFunction) -> None:
        self._compiled = compiled
        self._jit = jit
        self._argnums = compiled.argnums
        self.fast = None
        if all(treedef.kind is NodeKind.LEAF for treedef in compiled.imported.arg_treedefs):
            index, grads = 1, []
            for active in compiled.activity.args:  # one leaf per argument
                grads.append(index if active else None)
                index += active
            self.fast = (jit, (1.0,), (0, tuple(grads)))

    def __call__(self, leaves: list[Any]) -> tuple[Any, tuple]:
        out = self._jit(leaves + [1.0])
        return out[0], tuple(self._compiled.unflatten_grads(out[1:], self._argnums))


class CompiledFunction(_native.Dispatcher):
    """A Python function compiled by dp on its first call for each argument signature.

    Calls whose arguments are floats, ints and bools matching a compiled
    specialization go from the native Dispatcher straight to the compiled
    code; every other call (first calls, structured arguments, keywords)
    runs `_call_slow`.
    """

    def __init__(
        self,
        fn: Callable,
        *,
        target: str = "cpu",
        grad: bool = False,
        static_argnums: int | Sequence[int] = (),
        static_argnames: str | Sequence[str] = (),
    ) -> None:
        self._callee = resolve_at_caller(fn, "dp.compile")
        self._fn = self._callee.function
        try:
            self._static = static_arguments(self._callee, static_argnums, static_argnames, "dp.compile")
        except DpError as error:
            raise at_caller(error).with_traceback(None) from None
        functools.update_wrapper(self, self._fn)
        self._target = target
        self._grad = grad
        self._cache: dict[Hashable, Any] = {}
        self._fast_types: set[tuple[type, ...]] = set()

    def __repr__(self) -> str:
        return f"<dp.compile of {self._fn.__qualname__}>"

    @property
    def __dp_target__(self) -> Target:
        """The Python function and bound arguments, which compiled code calling this object compiles in directly."""
        return self._callee

    def _call_slow(self, *args: Any, **kwargs: Any) -> Any:
        name = self._fn.__qualname__
        try:
            call = bind_call(self._callee, self._static, args, kwargs)
            leaves, treedefs = flatten_arguments(call.args, name)
            key = signature_key(treedefs, call.kwargs, name)
            leaves, key = writeback.begin(self._fn, call.args, leaves, key)
        except DpError as error:
            raise _at_definition(error, self._fn).with_traceback(None) from None
        specialization = self._cache.get((call.positional, key))
        if specialization is None:
            try:
                specialization = self._compile(call, key, treedefs)
            except DpError as error:
                if not is_builtin_target(self._fn):
                    raise
                raise at_call(error).with_traceback(None) from None
        if not kwargs and not self._callee.bound and not self._static and specialization.fast is not None:
            self._register_fast(args, specialization.fast)
        try:
            return specialization(leaves)
        except DpError as error:
            raise _at_definition(error, self._fn).with_traceback(None) from None

    def _register_fast(self, args: tuple, fast: tuple) -> None:
        """Lets calls with arguments of exactly these scalar types skip Python."""
        types_ = tuple(type(arg) for arg in args)
        if types_ in self._fast_types or not all(t in _SCALARS for t in types_):
            return
        self._fast_types.add(types_)
        self._add_fast(types_, *fast)

    def _compile(self, call: BoundCall, key: Hashable, treedefs: tuple[TreeDef, ...]) -> Any:
        with use_target(self._target):
            specialization = self._compile_for_target(call, key, treedefs)
        if self._target != "cpu":  # through Python, which checks the device's errors after each call
            specialization.fast = None
        return specialization

    def _compile_for_target(self, call: BoundCall, key: Hashable, treedefs: tuple[TreeDef, ...]) -> Any:
        if self._grad:
            compiled, jit = transforms.compile_reverse(
                self._fn, call.args, call.caller_argnums, "compile(grad=True)", kwargs=call.kwargs, require_floats=False
            )
            specialization = _GradSpecialization(compiled, jit)
            if compiled.stateful:
                specialization.fast = None
            self._cache[(call.positional, key)] = specialization
            return specialization
        fn = self._fn
        state = writeback.current_state()

        def build() -> ImportedFunction:
            try:
                return import_function(fn, call.args, call.kwargs, context=new_context(), state=state)
            except InternalCompilerError:
                raise
            except DpError as error:
                raise error.with_traceback(None) from None

        compiled = compile_specialization(fn, key, ("compile",), [PRIMAL], build)
        arg_kinds = [kind for treedef in treedefs for kind in pytree.leaf_kinds(treedef)] + writeback.state_kinds(fn)
        result_kinds = pytree.leaf_kinds(compiled.result_treedef)
        extra = writeback.writeback_kinds(compiled.imported)
        jit = writeback.wrap(compiled.function(PRIMAL, arg_kinds, result_kinds + extra), compiled.imported, len(result_kinds))
        specialization = _Specialization(jit, compiled.result_treedef)
        if state.objects or extra:  # through Python, which passes the globals and writes back
            specialization.fast = None
        self._cache[(call.positional, key)] = specialization
        return specialization

    def recompile(self) -> None:
        """Forgets every compiled specialization (its dp.jvp/dp.vjp derivatives too)."""
        self._cache.clear()
        transforms.clear_caches(self._fn)
        self._clear_fast()
        self._fast_types.clear()

    def lower(self, *args: Any, stage: str = "imported", debug_info: bool = False) -> str:
        """The IR of this function specialized for `args` at a compilation stage."""
        static = {"static_argnums": self._static.argnums, "static_argnames": self._static.argnames}
        return lower(self, *args, grad=self._grad, stage=stage, debug_info=debug_info, target=self._target, **static)


def lower(
    fn: Callable,
    *args: Any,
    grad: bool = False,
    stage: str = "imported",
    debug_info: bool = False,
    static_argnums: int | Sequence[int] = (),
    static_argnames: str | Sequence[str] = (),
    target: str = "cpu",
) -> str:
    """The IR text of `fn` specialized for `args` at a compilation stage (for `target`).

    "imported" is the frontend's output (with `grad`, plus an entry point whose
    dp.autodiff requests the gradient with respect to every argument);
    "differentiated" is after dp-autodiff and cleanup; "llvm" is the LLVM dialect
    the JIT compiles (for the GPU: host code with the kernels embedded in
    gpu.binary ops). With `debug_info`, every op shows its source location.
    """
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {STAGES}, not {stage!r}")
    _check_options(target, grad)
    callee = resolve_at_caller(fn, "dp.lower")
    context = new_context()
    try:
        call = bind_call(callee, static_arguments(callee, static_argnums, static_argnames, "dp.lower"), args, {})
        imported: ImportedFunction = import_function(callee.function, call.args, call.kwargs, context=context)
    except InternalCompilerError:
        raise
    except DpError as error:
        raise error.with_traceback(None) from None
    if grad:
        activity = derivatives.activity_of(imported, call.caller_argnums)
        derivatives.add_reverse(imported, activity)
    if stage == "differentiated":
        lower_to_llvm(imported.module, "builtin.module(dp-differentiate)")
    elif stage == "llvm":
        with use_target(target):
            lower_to_llvm(imported.module)
    with context:
        return imported.module.operation.get_asm(enable_debug_info=debug_info)


def _at_definition(error: DpError, fn: types.FunctionType) -> DpError:
    """Points an error about a call's arguments at the called function's definition (or, for a builtin, the call)."""
    if is_builtin_target(fn):
        return at_call(error)
    filename, line = fn.__code__.co_filename, fn.__code__.co_firstlineno
    text = linecache.getline(filename, line)
    while text.lstrip().startswith("@"):  # skip decorators
        line += 1
        text = linecache.getline(filename, line)
    column = len(text) - len(text.lstrip()) + 1
    error.locate(filename, line, column, text.rstrip("\n") or None)
    return error


__all__ = ["CompiledFunction", "compile", "lower"]
