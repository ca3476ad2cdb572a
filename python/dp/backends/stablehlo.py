"""StableHLO export: a function (or its value and gradient) as StableHLO text or a portable artifact.

The frontend imports the function as for dp.compile; `dp-differentiate` builds
the derivative; `dp-export-stablehlo` rewrites the module into StableHLO ops
with `@main` as the entry. Python ints and bools are compile-time constants
of an export (as `static_argnums`: loop trip counts, hence tape sizes, must be
known for static memory); floats, complex numbers and arrays are `@main`'s
arguments, in the order of their leaves.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from mlir import ir
from mlir.dialects import arith, func
from mlir.passmanager import PassManager

from dp import derivatives
from dp._registration import new_context
from dp.arguments import bind_call, static_arguments
from dp.callables import resolve_at_caller
from dp.errors import DpError, ExportError, InternalCompilerError, TypeMismatchError, at_caller
from dp.frontend.importer import ImportedFunction, import_function
from dp.runtime.jit import not_differentiable, pass_refusal

VALUE_AND_GRAD = "__dp_export_value_and_grad"
# States kept per data-dependent while loop whose reverse sweep needs them (dp-checkpoint-while-loops).
SNAPSHOTS = 64
# scf.for loops of at most this many compile-time trips are unrolled (dp-export-stablehlo's unroll-limit).
UNROLL_LIMIT = 16
_PIPELINE = (
    "builtin.module(dp-differentiate{{snapshots={snapshots}}}, "
    "dp-export-stablehlo{{entry={entry} unroll-limit={unroll}}}, symbol-dce)"
)
_REFUSAL = "cannot be exported to StableHLO"


def _argnums(argnums: int | Sequence[int]) -> tuple[int, ...]:
    return (argnums,) if isinstance(argnums, int) else tuple(argnums)


def _static_positions(args: tuple, explicit: int | Sequence[int]) -> tuple[int, ...]:
    """Explicit static_argnums plus every Python int or bool argument."""
    implicit = [i for i, a in enumerate(args) if isinstance(a, (int, bool))]
    return tuple(sorted(set(_argnums(explicit)) | set(implicit)))


def imported_for_export(
    fn: Callable,
    args: tuple,
    grad: bool,
    argnums: int | Sequence[int],
    static_argnums: int | Sequence[int],
    what: str,
) -> tuple[ImportedFunction, str]:
    """The imported module of `fn` at `args` and the function to export as @main."""
    callee = resolve_at_caller(fn, what)
    statics = _static_positions(args, static_argnums)
    if grad and set(_argnums(argnums)) & set(statics):
        raise at_caller(TypeMismatchError(f"{what}: argnums {argnums} names an int or static argument"))
    try:
        static = static_arguments(callee, statics, (), what)
        call = bind_call(callee, static, args, {})
        imported = import_function(callee.function, call.args, call.kwargs, context=new_context())
    except InternalCompilerError:
        raise
    except DpError as error:
        raise error.with_traceback(None) from None
    if not grad:
        return imported, imported.entry
    positions = tuple(call.offset + n for n in _argnums(argnums))
    activity = derivatives.activity_of(imported, positions)
    if activity.num_active_results != 1 or len(activity.results) != 1:
        raise at_caller(TypeMismatchError(f"{what}(grad=True) needs a function with one float result"))
    derivatives.add_reverse(imported, activity)
    _add_value_and_grad(imported)
    return imported, VALUE_AND_GRAD


def _add_value_and_grad(imported: ImportedFunction) -> None:
    """`VALUE_AND_GRAD(leaves...) -> (value, grads...)`: the reverse entry seeded with 1.0."""
    with imported.module.context, ir.Location.unknown():
        reverse = next(
            op for op in imported.module.body
            if isinstance(op, func.FuncOp) and op.sym_name.value == derivatives.REVERSE
        )
        inputs = list(reverse.type.inputs)[:-1]
        seed_type = list(reverse.type.inputs)[-1]
        results = list(reverse.type.results)
        with ir.InsertionPoint(imported.module.body):
            fn = func.FuncOp(VALUE_AND_GRAD, (inputs, results))
            with ir.InsertionPoint(fn.add_entry_block()):
                seed = arith.ConstantOp(seed_type, ir.FloatAttr.get(seed_type, 1.0))
                call = func.CallOp(results, derivatives.REVERSE, list(fn.arguments) + [seed.result])
                func.ReturnOp(list(call.results))


def lower_to_stablehlo(imported: ImportedFunction, entry: str) -> str:
    """StableHLO text of the imported module, `entry` as @main; a refusal is an ExportError at the user's line."""
    module = imported.module
    with module.context:
        try:
            PassManager.parse(_PIPELINE.format(entry=entry, snapshots=SNAPSHOTS, unroll=UNROLL_LIMIT)).run(module.operation)
        except ir.MLIRError as error:
            raise _refusal(error) from None
        return module.operation.get_asm(enable_debug_info=False)


def _refusal(error: ir.MLIRError) -> DpError:
    """The export's refusal (or dp-autodiff's) at the user's line; any other failure is a bug in dp."""
    refused = pass_refusal(error, lambda message: _REFUSAL in message, ExportError) or not_differentiable(error)
    return refused or InternalCompilerError(f"StableHLO export failed (a bug in dp): {error}")


def export_stablehlo(
    fn: Callable, *args: Any, grad: bool = False, argnums: int | Sequence[int] = 0,
    static_argnums: int | Sequence[int] = (),
) -> str:
    """StableHLO text of `fn` at `args` (with grad, its value and gradient, as dp.value_and_grad returns them)."""
    imported, entry = imported_for_export(fn, args, grad, argnums, static_argnums, "dp.export_stablehlo")
    return lower_to_stablehlo(imported, entry)


def export(
    fn: Callable, *args: Any, grad: bool = False, argnums: int | Sequence[int] = 0,
    static_argnums: int | Sequence[int] = (), version: str | None = None,
) -> bytes:
    """The StableHLO portable artifact of `fn` at `args`, at `version` (default: the minimum StableHLO supports)."""
    from dp.backends import xla

    imported, entry = imported_for_export(fn, args, grad, argnums, static_argnums, "dp.export")
    return xla.portable_artifact(lower_to_stablehlo(imported, entry), version)


__all__ = ["export", "export_stablehlo", "imported_for_export", "lower_to_stablehlo"]
