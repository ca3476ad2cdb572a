"""Entry points that request derivatives of an imported function.

Each builder appends one public function to the imported module. Its
arguments are the entry function's dynamic leaves (plus tangents,
cotangents or a tape) and its body is a single dp request op on the entry
function; `dp-autodiff` turns the request into derivative code when the
module is lowered. Which leaves are active is decided here: floats of the
differentiated arguments; ints, bools and other arguments are constants.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlir import ir
from mlir.dialects import func

from dp.dialects import dp as dpd
from dp.frontend import pytree
from dp.frontend.importer import ImportedFunction

REVERSE = "__dp_reverse_entry"
FORWARD = "__dp_forward_entry"
AUGMENTED = "__dp_augmented_entry"
PULLBACK = "__dp_pullback_entry"
FREE_TAPE = "__dp_free_tape"


@dataclass(frozen=True)
class Activity:
    """Which entry arguments and results carry derivatives."""

    args: tuple[bool, ...]  # per dynamic leaf of the arguments
    results: tuple[bool, ...]  # per result leaf

    @property
    def num_active_args(self) -> int:
        return sum(self.args)

    @property
    def num_active_results(self) -> int:
        return sum(self.results)


def activity_of(imported: ImportedFunction, argnums: tuple[int, ...]) -> Activity:
    """Float leaves of the arguments in `argnums` and float results are active."""
    args = tuple(leaf.differentiable and leaf.arg_index in argnums for leaf in imported.arg_leaves)
    # Results after the function's own are values written back into arguments or globals: no derivatives.
    own = len(pytree.leaf_kinds(imported.result_treedef))
    results = tuple(_is_float(t) and i < own for i, t in enumerate(imported.result_types))
    return Activity(args, results)


def _is_float(type_: ir.Type) -> bool:
    """f64/f32 scalars and ranked tensors of them carry derivatives."""
    if isinstance(type_, ir.RankedTensorType):
        type_ = type_.element_type
    return isinstance(type_, ir.FloatType)


def _names(flags: tuple[bool, ...], on: str, off: str = "const") -> list[str]:
    return [on if flag else off for flag in flags]


def _entry_types(imported: ImportedFunction) -> tuple[list[ir.Type], list[ir.Type]]:
    """Argument and result types of the entry function."""
    for op in imported.module.body:
        if isinstance(op, func.FuncOp) and op.sym_name.value == imported.entry:
            return list(op.type.inputs), list(op.type.results)
    raise LookupError(f"no entry function {imported.entry} in the imported module")


def _add_function(imported: ImportedFunction, name: str, inputs: list[ir.Type], outputs: list[ir.Type], body) -> None:
    """Appends `func.func @name(inputs) -> outputs` whose body `body(args)` returns the results."""
    with imported.module.context, ir.Location.unknown():
        with ir.InsertionPoint(imported.module.body):
            fn = func.FuncOp(name, (inputs, outputs))
            if any(isinstance(t, ir.RankedTensorType) for t in inputs):
                # Arrays come from the caller's numpy arrays: never written in place.
                read_only = ir.DictAttr.get({"bufferization.writable": ir.BoolAttr.get(False)})
                fn.attributes["arg_attrs"] = ir.ArrayAttr.get(
                    [read_only if isinstance(t, ir.RankedTensorType) else ir.DictAttr.get({}) for t in inputs]
                )
            with ir.InsertionPoint(fn.add_entry_block()):
                func.ReturnOp(body(list(fn.arguments)))


def add_reverse(imported: ImportedFunction, activity: Activity) -> None:
    """`REVERSE(leaves..., cotangents of active results...) -> (results..., grads of active leaves...)`."""
    arg_types, result_types = _entry_types(imported)
    cotangents = [t for t, a in zip(result_types, activity.results) if a]
    grads = [t for t, a in zip(arg_types, activity.args) if a]

    def body(args):
        op = dpd.AutodiffOp(
            result_types + grads, imported.entry, args,
            _names(activity.args, "active"), _names(activity.results, "active"),
        )
        return list(op.results)

    _add_function(imported, REVERSE, arg_types + cotangents, result_types + grads, body)


def add_forward(imported: ImportedFunction, activity: Activity) -> None:
    """`FORWARD(leaves..., tangents of active leaves...) -> (results..., tangents of active results...)`."""
    arg_types, result_types = _entry_types(imported)
    tangents = [t for t, a in zip(arg_types, activity.args) if a]
    outputs = list(result_types) + [t for t, a in zip(result_types, activity.results) if a]

    def body(args):
        primals, given = args[: len(arg_types)], iter(args[len(arg_types):])
        operands = []
        for value, active in zip(primals, activity.args):
            operands.append(value)
            if active:
                operands.append(next(given))
        op_results = []
        for t, active in zip(result_types, activity.results):
            op_results += [t, t] if active else [t]
        op = dpd.FwddiffOp(
            op_results, imported.entry, operands,
            _names(activity.args, "dup"), _names(activity.results, "dup"),
        )
        values, tangents_out, results = [], [], iter(op.results)
        for active in activity.results:
            values.append(next(results))
            if active:
                tangents_out.append(next(results))
        return values + tangents_out

    _add_function(imported, FORWARD, arg_types + tangents, outputs, body)


def add_split(imported: ImportedFunction, activity: Activity) -> None:
    """Split reverse mode for pullbacks:
    `AUGMENTED(leaves...) -> (results..., tape)`,
    `PULLBACK(tape, array leaves..., cotangents...) -> grads` (callable any number
    of times on one tape; it reads the arrays again instead of recording them)
    and `FREE_TAPE(tape)`."""
    arg_types, result_types = _entry_types(imported)
    with imported.module.context:
        tape = ir.Type.parse("!dp.tape")
    arrays = [t for t in arg_types if isinstance(t, ir.RankedTensorType) and t.has_static_shape]
    cotangents = [t for t, a in zip(result_types, activity.results) if a]
    grads = [t for t, a in zip(arg_types, activity.args) if a]
    args_activity = _names(activity.args, "active")
    results_activity = _names(activity.results, "active")

    def augmented(args):
        op = dpd.AugmentedOp(result_types + [tape], imported.entry, args, args_activity, results_activity)
        return list(op.results)

    def pullback(args):
        op = dpd.ReverseOp(grads, imported.entry, args, args_activity, results_activity)
        return list(op.results)

    def free(args):
        dpd.tape_free(args[0])
        return []

    _add_function(imported, AUGMENTED, arg_types, result_types + [tape], augmented)
    _add_function(imported, PULLBACK, [tape] + arrays + cotangents, grads, pullback)
    _add_function(imported, FREE_TAPE, [tape], [], free)


__all__ = [
    "AUGMENTED", "FORWARD", "FREE_TAPE", "PULLBACK", "REVERSE",
    "Activity", "activity_of", "add_forward", "add_reverse", "add_split",
]
