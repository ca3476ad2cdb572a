"""Imports the body of one specialized Python function into a func.func."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

from mlir import ir
from mlir.dialects import func

from dp.dialects import dp as dpd
from dp.errors import TypeMismatchError
from dp.frontend import objects, pytree, scalars, tensors
from dp.frontend.calls import CallVisitor
from dp.frontend.comprehensions import ComprehensionVisitor
from dp.frontend.control_flow import ControlFlowVisitor
from dp.frontend.custom_calls import CustomCallVisitor
from dp.frontend.derivative_calls import DerivativeCallVisitor
from dp.frontend.exceptions import ExceptionVisitor
from dp.frontend.expressions import ExpressionVisitor
from dp.frontend.function_values import FunctionValueVisitor
from dp.frontend.liveness import Liveness, assigned_names
from dp.frontend.scope import DEAD, RESULT, RETURNED, Binding, Env, NonLocals
from dp.frontend.statements import StatementVisitor
from dp.frontend.values import Const, number_leaves, spec_of
from dp.frontend.visitor import VisitorBase

if TYPE_CHECKING:
    from dp.frontend.importer import FunctionRecord, ModuleImporter


class FunctionImporter(
    ControlFlowVisitor,
    ExceptionVisitor,
    StatementVisitor,
    DerivativeCallVisitor,
    CustomCallVisitor,
    CallVisitor,
    FunctionValueVisitor,
    ComprehensionVisitor,
    ExpressionVisitor,
    VisitorBase,
):
    """Builds the IR of one function body for one specialization.

    In probe mode it only looks for the function's return type (needed
    before a loop or a recursive call can be built) and its IR is discarded.
    """

    def __init__(self, module: "ModuleImporter", record: "FunctionRecord", *, probe: bool) -> None:
        self.module = module
        self.record = record
        self.source = record.source
        self.probe = probe
        self.nonlocals = NonLocals(record.fn)
        definition = self.source.node
        if isinstance(definition, ast.Lambda):
            self.body: list[ast.stmt] = [ast.copy_location(ast.Return(value=definition.body), definition.body)]
        else:
            self.body = definition.body
        if record.writeback:  # every exit returns the parameters the caller rebinds (dp.frontend.objects)
            self.body = objects.trailing_return(self.body)
        self.liveness = Liveness.of(self.body, returns=frozenset(record.writeback))
        arguments = definition.args
        variadic = [arg for arg in (arguments.vararg, arguments.kwarg) if arg is not None]
        parameters = [arg.arg for arg in arguments.posonlyargs + arguments.args + arguments.kwonlyargs + variadic]
        self.local_names = set(parameters) | set(assigned_names(self.body))
        self.env: Env = {}
        self.loop_live: frozenset[str] | None = None
        self.tapes: list[ir.Value] = []  # of the dp.vjp calls in the body, freed before the return
        self.pulled_tapes: set[ir.Value] = set()  # the tapes a pullback call has read
        self.mutated_idents: set[int] = set()  # containers and arrays written in place (see replace_container)

    def import_body(self, block: ir.Block, parameters: list[tuple[str, Any]]) -> None:
        """Imports the body into `block` (the func.func's entry block) with the given parameter values."""
        definition = self.source.node
        line = self.source.position(definition)[0]
        with ir.InsertionPoint(block), self.source.location(definition):
            for name, value in parameters:
                self.env[name] = Binding(value, line)
            self.import_block(self.body)
            value = self._returned_value(definition)
            if self.probe:
                return
            results = [tensors.leaf_value(leaf) for leaf in number_leaves(value)]
            for tape in self.tapes:
                dpd.tape_free(tape)
            func.ReturnOp(results)

    def _returned_value(self, definition: ast.AST) -> Any:
        """The function's result on every path, checking that no path falls off the end with a value missing."""
        returned = self.flag(RETURNED)
        record = self.record
        result = self.env.get(RESULT)
        if isinstance(result, Binding) and (DEAD in self.env or (isinstance(returned, Const) and returned.value)):
            return result.value
        none = spec_of(Const(None))
        if record.result_spec is None:
            record.result_spec = none
            record.result_line = self.source.position(definition)[0]
        if record.result_spec != none:
            last = self.body[-1]
            raise self.source.error(
                TypeMismatchError,
                f"{self.source.name} returns {pytree.describe(record.result_spec)} at line {record.result_line} "
                "but can reach the end of its body, which returns None; add a return at the end",
                last,
            )
        return Const(None)


__all__ = ["FunctionImporter"]
