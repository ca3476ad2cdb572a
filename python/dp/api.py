"""The public entry points: `dp.compile` and `dp.lower`."""

from __future__ import annotations

import functools
import linecache
import types
from typing import Any, Callable, Hashable

from mlir import ir

from dp import _native, derivatives, transforms
from dp.callables import Target, resolve_at_caller
from dp.errors import (
    DpError,
    InternalCompilerError,
    NotDifferentiableError,
    UnsupportedTargetError,
    at_caller,
)
from dp.frontend import pytree
from dp.frontend.importer import ImportedFunction, import_function
from dp.frontend.pytree import NodeKind, TreeDef
from dp.frontend.signature import flatten_arguments, signature_key
from dp.runtime.compiler import PRIMAL, compile_specialization
from dp.runtime.jit import JitFunction, lower_to_llvm

TARGETS = ("cpu", "gpu")
STAGES = ("imported", "differentiated", "llvm")


def _check_options(target: str, grad: bool) -> None:
    if target not in TARGETS:
        raise ValueError(f"target must be one of {TARGETS}, not {target!r}")
    if not isinstance(grad, bool):
        raise TypeError(f"grad must be True or False, not {grad!r}")
    if target == "gpu":
        raise at_caller(UnsupportedTargetError("target='gpu' is not available yet: dp compiles for the CPU only"))


def compile(fn: Callable | None = None, /, *, target: str = "cpu", grad: bool = False) -> Any:
    """Compiles a Python function to native code, specialized and cached per argument signature.

    Usable bare (`@dp.compile`) or with options (`@dp.compile(target="cpu")`).
    """
    _check_options(target, grad)
    if fn is None:
        return functools.partial(compile, target=target, grad=grad)
    if isinstance(fn, transforms.Transform):
        # A derivative is compiled and cached per signature already.
        if grad:
            raise NotDifferentiableError(
                f"dp.compile(grad=True) of {fn!r} differentiates a derivative (nested differentiation), "
                "which is not supported yet"
            )
        return fn
    return CompiledFunction(fn, target=target, grad=grad)


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

    def __init__(self, fn: Callable, *, target: str = "cpu", grad: bool = False) -> None:
        self._callee = resolve_at_caller(fn, "dp.compile")
        self._fn = self._callee.function
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
        args, kwargs = self._callee.bind(args, kwargs)
        try:
            leaves, treedefs = flatten_arguments(args, name)
            key = signature_key(treedefs, kwargs, name)
        except DpError as error:
            raise _at_definition(error, self._fn).with_traceback(None) from None
        specialization = self._cache.get(key)
        if specialization is None:
            specialization = self._compile(args, kwargs, key, treedefs)
        if not kwargs and not self._callee.bound and specialization.fast is not None:
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

    def _compile(self, args: tuple, kwargs: dict[str, Any], key: Hashable, treedefs: tuple[TreeDef, ...]) -> Any:
        if self._grad:
            offset = len(self._callee.args)
            compiled, jit = transforms.compile_reverse(
                self._fn, args, tuple(range(offset, len(args))), "compile(grad=True)", kwargs=kwargs, require_floats=False
            )
            specialization = _GradSpecialization(compiled, jit)
            self._cache[key] = specialization
            return specialization
        fn = self._fn

        def build() -> ImportedFunction:
            try:
                return import_function(fn, args, kwargs, context=ir.Context())
            except InternalCompilerError:
                raise
            except DpError as error:
                raise error.with_traceback(None) from None

        compiled = compile_specialization(fn, key, ("compile",), [PRIMAL], build)
        arg_kinds = [kind for treedef in treedefs for kind in pytree.leaf_kinds(treedef)]
        jit = compiled.function(PRIMAL, arg_kinds, pytree.leaf_kinds(compiled.result_treedef))
        specialization = _Specialization(jit, compiled.result_treedef)
        self._cache[key] = specialization
        return specialization

    def recompile(self) -> None:
        """Forgets every compiled specialization (its dp.jvp/dp.vjp derivatives too)."""
        self._cache.clear()
        transforms.clear_caches(self._fn)
        self._clear_fast()
        self._fast_types.clear()

    def lower(self, *args: Any, stage: str = "imported", debug_info: bool = False) -> str:
        """The IR of this function specialized for `args` at a compilation stage."""
        return lower(self, *args, stage=stage, debug_info=debug_info)


def lower(fn: Callable, *args: Any, grad: bool = False, stage: str = "imported", debug_info: bool = False) -> str:
    """The IR text of `fn` specialized for `args` at a compilation stage.

    "imported" is the frontend's output (with `grad`, plus an entry point whose
    dp.autodiff requests the gradient with respect to every argument);
    "differentiated" is after dp-autodiff and cleanup; "llvm" is the LLVM dialect
    the JIT compiles. With `debug_info`, every op shows its source location.
    """
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {STAGES}, not {stage!r}")
    callee = resolve_at_caller(fn, "dp.lower")
    args, kwargs = callee.bind(args, {})
    context = ir.Context()
    try:
        imported: ImportedFunction = import_function(callee.function, args, kwargs, context=context)
    except InternalCompilerError:
        raise
    except DpError as error:
        raise error.with_traceback(None) from None
    if grad:
        activity = derivatives.activity_of(imported, tuple(range(len(callee.args), len(args))))
        derivatives.add_reverse(imported, activity)
    if stage == "differentiated":
        lower_to_llvm(imported.module, "builtin.module(dp-differentiate)")
    elif stage == "llvm":
        lower_to_llvm(imported.module)
    with context:
        return imported.module.operation.get_asm(enable_debug_info=debug_info)


def _at_definition(error: DpError, fn: types.FunctionType) -> DpError:
    """Points an error about a call's arguments at the called function's definition."""
    filename, line = fn.__code__.co_filename, fn.__code__.co_firstlineno
    text = linecache.getline(filename, line)
    while text.lstrip().startswith("@"):  # skip decorators
        line += 1
        text = linecache.getline(filename, line)
    column = len(text) - len(text.lstrip()) + 1
    error.locate(filename, line, column, text.rstrip("\n") or None)
    return error


__all__ = ["CompiledFunction", "compile", "lower"]
