"""`import_function`: a Python function and its arguments → an MLIR module.

The module holds one func.func per specialized Python function (the entry
public, callees private). A callee is specialized per argument structure
and types on its first call; recursion works because the callee's symbol
exists before its body is imported, and its return type is known from its
first `return` (or, when a recursive call or a loop comes first, from a
probing import that skips recursive branches).
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable

from mlir import ir
from mlir.dialects import func

from dp.errors import DpError, InternalCompilerError, TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import entry_state, global_state, objects, pytree
from dp.frontend.function_importer import FunctionImporter
from dp.frontend.function_values import contains_function, variadic_tree
from dp.frontend.pytree import Path, TreeDef
from dp.frontend.signature import flatten_arguments, signature_key, static_treedef
from dp.frontend.source import FunctionSource, python_signature
from dp.frontend.dtypes import ArraySpec
from dp.frontend.values import from_spec, make_leaf, mlir_type
from dp.frontend.visitor import ProbeDone, RecursiveResultUnknown, ReturnTypeUnknown

# Symbols the lowering itself declares (libm, the printing runtime): user functions must not take them.
_RESERVED_SYMBOLS = set(dir(math)) | {
    "abs",
    "fabs",
    "exp",
    "log",
    "pow",
    "printF64",
    "printI64",
    "printU64",
    "printString",
    "printNewline",
    "printOpen",
    "printClose",
    "printComma",
    "malloc",
    "free",
    "memcpy",
}


@dataclass(frozen=True)
class ArgLeaf:
    """One argument of the entry function: a dynamic leaf of a positional argument."""

    arg_index: int  # which positional argument it comes from
    path: Path  # keys from that argument down to the leaf
    type: ir.Type  # f64, i64 or i1, or a ranked tensor
    kind: Any  # float, int or bool, or an ArraySpec

    @property
    def differentiable(self) -> bool:
        """Whether the leaf gets a gradient (floats only)."""
        return pytree.is_differentiable(self.kind)


@dataclass
class ImportedFunction:
    """An imported module and how its entry function maps to the Python call."""

    module: ir.Module
    entry: str
    arg_leaves: list[ArgLeaf]
    arg_treedefs: tuple[TreeDef, ...]
    result_treedef: TreeDef
    result_types: list[ir.Type]
    signature_key: Hashable
    name: str  # the Python function's qualified name
    filename: str
    lineno: int
    prints: bool  # whether the module calls the printing runtime
    static_kwargs: dict[str, Any] = field(default_factory=dict)
    # What the results after `result_treedef`'s leaves are written into when the call returns
    # (dp.runtime.writeback): ("arg", positional index) or ("state", state object index), with their structures.
    writeback: tuple[tuple[str, int], ...] = ()
    writeback_treedefs: tuple[TreeDef, ...] = ()


@dataclass(eq=False)
class FunctionRecord:
    """One specialization of a Python function and the func.func that implements it."""

    fn: Callable
    source: FunctionSource
    symbol: str
    params: list[tuple[str, TreeDef]]
    public: bool = False
    func_op: func.FuncOp | None = None
    result_spec: TreeDef | None = None
    result_line: int | None = None
    # Parameters returned after the result for the caller to rebind (dp.frontend.objects), and which of them the
    # body mutates (None while its import is in progress).
    writeback: tuple[str, ...] = ()
    mutated: frozenset[str] | None = None


class ModuleImporter:
    """Builds one module: the specializations it holds and the symbols they use."""

    def __init__(self) -> None:
        self.module = ir.Module.create()
        self.prints = False
        self._records: dict[Hashable, FunctionRecord] = {}
        self._symbols: set[str] = set()
        self._sources: dict[Callable, FunctionSource] = {}
        # Symbols of functions whose custom rule is being built (its functions may call them plainly).
        self.rules_in_progress: set[str] = set()
        self.state = global_state.NO_STATE  # the globals compiled code mutates (dp.frontend.global_state)
        self.entry_arguments: dict[str, int] = {}  # the entry's positional parameters: their argument index

    def add_source(self, fn: Callable, source: FunctionSource) -> None:
        """Gives a function made in compiled code its source: a lambda or def inside the function's own."""
        self._sources.setdefault(fn, source)

    def source_of(self, fn: Callable) -> FunctionSource:
        """The parsed source of a function (parsed once per module)."""
        if fn not in self._sources:
            self._sources[fn] = FunctionSource.of(fn)
        return self._sources[fn]

    def specialize(
        self, fn: Callable, params: list[tuple[str, TreeDef]], *, public: bool = False, variant: Hashable = None
    ) -> FunctionRecord:
        """The specialization of `fn` for these parameter structures, imported if new.

        A record whose import is still in progress (a recursive call) is
        returned as is; the caller checks whether its return type is known.
        `variant` keeps apart specializations that differ otherwise (a
        function with custom derivative rules attached, and the same function
        called plainly).
        """
        key = (fn, tuple(params), variant)
        record = self._records.get(key)
        if record is not None:
            return record
        record = FunctionRecord(fn, self.source_of(fn), self._new_symbol(fn), list(params), public)
        self._records[key] = record
        try:
            try:
                self._build(record, probe=False)
            except (RecursiveResultUnknown, ReturnTypeUnknown) as signal:
                if signal.record is not record:
                    raise
                self._probe(record)
                self._build(record, probe=False)
            if objects.restrict_writeback(record):
                self._build(record, probe=False)  # again, returning only the parameters it did mutate
        except BaseException:
            self._erase(record)
            del self._records[key]
            self._symbols.discard(record.symbol)
            raise
        return record

    def add_function(
        self, name: str, arg_kinds: list[Any], body: Callable[[list[Any]], list[ir.Value]], location: ir.Location
    ) -> str:
        """Adds a private func.func whose body `body(argument leaves)` builds and returns; its symbol."""
        symbol = self._new_name(name)
        with ir.InsertionPoint(self.module.body), location:
            op = func.FuncOp(symbol, ([mlir_type(k) for k in arg_kinds], []), visibility="private")
            block = op.add_entry_block(arg_locs=[location] * len(arg_kinds))
            _read_only_tensor_arguments(op, arg_kinds)
        with ir.InsertionPoint(block), location:
            results = body([make_leaf(arg, kind) for arg, kind in zip(block.arguments, arg_kinds)])
            func.ReturnOp(results)
        op.attributes["function_type"] = ir.TypeAttr.get(
            ir.FunctionType.get([mlir_type(k) for k in arg_kinds], [r.type for r in results])
        )
        return symbol

    def _new_symbol(self, fn: Callable) -> str:
        return self._new_name(fn.__name__)

    def _new_name(self, name: str) -> str:
        base = re.sub(r"\W", "_", name).strip("_") or "function"
        if base in _RESERVED_SYMBOLS:
            base += "_"
        name, count = base, 0
        while name in self._symbols:
            count += 1
            name = f"{base}_{count}"
        self._symbols.add(name)
        return name

    def _erase(self, record: FunctionRecord) -> None:
        if record.func_op is not None:
            record.func_op.operation.erase()
            record.func_op = None

    def _build(self, record: FunctionRecord, *, probe: bool) -> None:
        """Creates the func.func and imports the body into it."""
        self._erase(record)
        arg_kinds = [kind for _, spec in record.params for kind in pytree.leaf_kinds(spec)]
        result_kinds = [] if record.result_spec is None else pytree.leaf_kinds(record.result_spec)
        location = record.source.location(record.source.node)
        with ir.InsertionPoint(self.module.body), location:
            op = func.FuncOp(
                record.symbol,
                ([mlir_type(k) for k in arg_kinds], [mlir_type(k) for k in result_kinds]),
                visibility=None if record.public else "private",
            )
            block = op.add_entry_block(arg_locs=[location] * len(arg_kinds))
            _read_only_tensor_arguments(op, arg_kinds)
        record.func_op = op
        arguments = iter([make_leaf(arg, kind) for arg, kind in zip(block.arguments, arg_kinds)])
        if record.mutated is None:
            record.writeback = objects.writeback_parameters(record, self)
        parameters = [
            (name, from_spec(spec, arguments, readonly=None if name in record.writeback else f"argument '{name}'"))
            for name, spec in record.params
        ]
        body = FunctionImporter(self, record, probe=probe)
        body.import_body(block, parameters)
        if not probe:
            record.mutated = objects.mutated_parameters(record, parameters, body.mutated_idents)
        if not probe:
            result_types = [mlir_type(kind) for kind in pytree.leaf_kinds(record.result_spec)]
            op.attributes["function_type"] = ir.TypeAttr.get(
                ir.FunctionType.get([mlir_type(k) for k in arg_kinds], result_types)
            )

    def _probe(self, record: FunctionRecord) -> None:
        """Finds a function's return type by importing it while skipping branches that recurse."""
        try:
            self._build(record, probe=True)
        except ProbeDone:
            pass
        except RecursiveResultUnknown as signal:
            if signal.record is not record:
                raise
            raise record.source.error(
                UnsupportedSyntaxError,
                f"cannot infer the return type of the recursive function {record.source.name}: every path "
                "calls it again before returning; return the base case on some path first",
                record.source.node,
            ) from None
        finally:
            self._erase(record)


def _read_only_tensor_arguments(op: func.FuncOp, kinds: list) -> None:
    """Marks array arguments `bufferization.writable = false`: compiled code never writes into the caller's
    numpy arrays (bufferization copies before an in-place update instead)."""
    if not any(isinstance(kind, ArraySpec) for kind in kinds):
        return
    read_only = ir.DictAttr.get({"bufferization.writable": ir.BoolAttr.get(False)})
    empty = ir.DictAttr.get({})
    op.attributes["arg_attrs"] = ir.ArrayAttr.get([read_only if isinstance(k, ArraySpec) else empty for k in kinds])


def import_function(
    fn: Callable,
    args: tuple,
    kwargs: dict[str, Any] | None = None,
    *,
    context: ir.Context,
    state: global_state.State = global_state.NO_STATE,
) -> ImportedFunction:
    """Imports `fn` specialized for `args` (dynamic) and `kwargs` (compile-time constants); `state`'s objects
    (dp.frontend.global_state) are extra arguments after the positional ones."""
    kwargs = dict(kwargs or {})
    with context, ir.Location.unknown():
        importer = ModuleImporter()
        importer.state = state
        source = importer.source_of(fn)
        name = source.name
        try:
            _, treedefs = flatten_arguments(args, name)
            key = signature_key(treedefs, kwargs, name)
            params = _entry_parameters(fn, treedefs, kwargs)
            state_params, state_treedefs = entry_state.state_parameters(fn, state)
        except DpError as error:
            raise source.locate(error, source.node)
        importer.entry_arguments = entry_state.entry_positions(fn, len(treedefs), kwargs)
        record = importer.specialize(fn, params + state_params, public=True)
        result_treedef, targets, written = entry_state.split_result(record, importer.entry_arguments, state)
        if contains_function(record.result_spec):
            returns = [node for node in ast.walk(source.node) if isinstance(node, ast.Return)]
            at = next((node for node in returns if source.position(node)[0] == record.result_line), source.node)
            raise source.error(
                UnsupportedSyntaxError,
                f"{name} returns {pytree.describe(record.result_spec)}: a function made in compiled code (a lambda, "
                "a nested def, a functools.partial) cannot be returned to Python; return values, or call the "
                "function inside compiled code",
                at,
            )
        _verify(importer.module, source)
        arg_leaves = [
            ArgLeaf(index, path, mlir_type(kind), kind)
            for index, treedef in entry_state.numbered(treedefs, state_treedefs)
            for path, kind in zip(pytree.leaf_paths(treedef), pytree.leaf_kinds(treedef))
        ]
        result_types = [mlir_type(kind) for kind in pytree.leaf_kinds(record.result_spec)]
    line = source.position(source.node)[0]
    return ImportedFunction(
        module=importer.module,
        entry=record.symbol,
        arg_leaves=arg_leaves,
        arg_treedefs=treedefs,
        result_treedef=result_treedef,
        result_types=result_types,
        signature_key=key,
        name=name,
        filename=source.filename,
        lineno=line,
        prints=importer.prints,
        static_kwargs=kwargs,
        writeback=targets,
        writeback_treedefs=written,
    )


def _entry_parameters(fn: Callable, treedefs: tuple[TreeDef, ...], kwargs: dict[str, Any]) -> list[tuple[str, TreeDef]]:
    """Each parameter's structure: positional arguments are dynamic, the rest compile-time."""
    signature = python_signature(fn)
    try:
        bound = signature.bind(*range(len(treedefs)), **kwargs)
    except TypeError as error:
        raise TypeMismatchError(
            f"{fn.__qualname__}() {error}; it was called with {len(treedefs)} positional argument(s)"
        ) from None
    params = []
    for name, parameter in signature.parameters.items():
        if parameter.kind is parameter.VAR_POSITIONAL:
            params.append((name, variadic_tree(tuple(treedefs[i] for i in bound.arguments.get(name, ())))))
        elif parameter.kind is parameter.VAR_KEYWORD:
            params.append((name, static_treedef(bound.arguments.get(name, {}), "the keyword arguments")))
        elif name in kwargs:
            params.append((name, static_treedef(kwargs[name], f"keyword argument '{name}'")))
        elif name in bound.arguments:
            params.append((name, treedefs[bound.arguments[name]]))
        else:
            params.append((name, static_treedef(parameter.default, f"the default of '{name}'")))
    return params


def _verify(module: ir.Module, source: FunctionSource) -> None:
    """Verifies the module: a failure is a bug in dp, reported with the IR."""
    try:
        valid = module.operation.verify()
    except ir.MLIRError as error:
        message = str(error)
    else:
        if valid:
            return
        message = "verification failed"
    raise source.error(
        InternalCompilerError,
        f"dp built invalid IR for {source.name} (a bug in dp): {message}\n{module.operation.get_asm(enable_debug_info=False)}",
        source.node,
    )


__all__ = ["ArgLeaf", "FunctionRecord", "ImportedFunction", "ModuleImporter", "import_function"]
