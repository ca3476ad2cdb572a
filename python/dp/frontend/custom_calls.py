"""Calls of functions with custom derivative rules (dp.custom_vjp, dp.custom_jvp, dp.hook, dp.checkpoint).

The function is specialized as usual, under a key of its own, and its
func.func gets the rule as an attribute (see the dp dialect): the rule
functions are compiled with the arguments' types and wrapped in adapters of
the flat signatures the attribute's verifier checks. The call stays a
func.call; dp-autodiff applies the rule there, in every derivative of any
order that reaches it. Each rule's result is checked against what the
function returns and takes: a mismatch is a typed error naming the rule.
"""

from __future__ import annotations

import types
from typing import Any, Callable, Sequence

from mlir import ir

from dp.errors import DpError, TypeMismatchError
from dp.frontend import pytree, tensors
from dp.frontend.dtypes import ArraySpec
from dp.frontend.pytree import NodeKind, TreeDef
from dp.frontend.values import (
    Const,
    TupleValue,
    describe,
    from_leaves,
    from_spec,
    leaf_kind,
    number_leaves,
    spec_of,
    zero_leaf,
)


def is_custom_rule(target: Any) -> bool:
    """Whether `target` is a dp.custom_vjp, dp.custom_jvp or dp.checkpoint object (not the class)."""
    return not isinstance(target, type) and getattr(target, "__dp_custom_rule__", False) is True


def _kinds(spec: TreeDef) -> list[Any]:
    return pytree.leaf_kinds(spec)


def _floats(kinds: Sequence[Any]) -> list[Any]:
    return [k for k in kinds if pytree.is_differentiable(k)]


def _rule_name(rule: Any) -> str:
    return getattr(rule, "__qualname__", None) or getattr(rule, "__name__", None) or repr(rule)


class CustomCallVisitor:
    """Lowers calls of rule objects: the function's call, with its rule attached to its func.func."""

    def call_custom(self, rule: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        from dp.frontend.calls import emit_call

        try:
            functions = rule.rule_functions()
            missing = None
        except TypeMismatchError as error:  # no rule given: an error only where a derivative reaches it
            functions, missing = (rule.fun,), error.message
        fun = functions[0]
        params, record = self.specialize_call(fun, args, kwargs, variant=(rule.kind, id(rule)))
        specs = record.params
        for n in rule.nondiff_argnums:
            if n >= len(params):
                raise TypeMismatchError(
                    f"nondiff_argnums {n} of dp.{rule.kind} {fun.__qualname__} is out of range: it takes "
                    f"{len(params)} arguments"
                )
        building = self.module.rules_in_progress
        op = record.func_op
        # A rule that calls its own function (a JVP rule computing the primal) calls it plainly: the
        # attribute is being built.
        if missing is not None:
            op.attributes["dp.missing_rule"] = ir.StringAttr.get(missing)
        elif _ATTRIBUTES[rule.kind] not in op.attributes and record.symbol not in building:
            building.add(record.symbol)
            # dp's own primitives (dp.frontend.linalg_rules.Primitive) have a forward rule next to their VJP.
            forward = getattr(rule, "forward_rule", None)
            try:
                attribute = _BUILDERS[rule.kind](self, rule, functions, specs, record.result_spec)
                jvp = None if forward is None else self._custom_jvp(rule, (fun, forward), specs, record.result_spec)
            finally:
                building.discard(record.symbol)
            op.attributes[_ATTRIBUTES[rule.kind]] = attribute
            if jvp is not None:
                op.attributes["dp.custom_jvp"] = jvp
        # dp-keep-rule-calls marks the call no_inline when the pipeline runs.
        return emit_call(record, params)

    # -- adapters ---------------------------------------------------------------------------------

    def _adapter(
        self, name: str, arg_kinds: list[Any], body: Callable[[list[Any]], list[Any]], rule: Callable
    ) -> str:
        """A func.func of the flat signature a rule attribute needs, calling the user's rule in its body.

        An error about what the rule returns points at the rule's definition.
        """
        location = ir.Location.current

        def build(leaves: list[Any]) -> list[ir.Value]:
            try:
                return [tensors.leaf_value(leaf) for leaf in body(leaves)]
            except DpError as error:
                if error.filename is None and isinstance(rule, types.FunctionType):
                    source = self.module.source_of(rule)
                    source.locate(error, source.node)
                raise

        return self.module.add_function(name, arg_kinds, build, location)

    def _call_rule(self, fn: Callable, args: list[Any]) -> Any:
        """A call of a rule function (a Python function, compiled), or of any callable dp can call."""
        return self.call(Const(fn), args, {}, None)

    def _custom_vjp(self, rule: Any, functions: tuple, specs: list, result_spec: TreeDef) -> ir.Attribute:
        fun, fwd, bwd = functions
        arg_kinds = [k for _, spec in specs for k in _kinds(spec)]
        nondiff = rule.nondiff_argnums
        state: dict[str, Any] = {}

        def forward(leaves: list[Any]) -> list[Any]:
            values = iter(leaves)
            args = [from_spec(spec, values) for _, spec in specs]
            out = self._call_rule(fwd, args)
            if not isinstance(out, TupleValue) or len(out.items) != 2:
                raise TypeMismatchError(
                    f"the custom_vjp forward rule {_rule_name(fwd)} of {fun.__qualname__} must return a pair "
                    f"(output, residuals), not {describe(out)}"
                )
            value, residuals = out.items
            _check_same(spec_of(value), result_spec, f"the output of the custom_vjp forward rule {_rule_name(fwd)}",
                        f"what {fun.__qualname__} returns")
            state["residuals"] = spec_of(residuals)
            kept = [leaf for n, arg in enumerate(args) if n in nondiff for leaf in number_leaves(arg)]
            return number_leaves(value) + number_leaves(residuals) + kept

        fwd_symbol = self._adapter(f"{fun.__name__}_vjp_fwd", arg_kinds, forward, fwd)
        residual_kinds = _kinds(state["residuals"]) + [
            k for n, (_, spec) in enumerate(specs) if n in nondiff for k in _kinds(spec)
        ]
        result_kinds = _kinds(result_spec)

        def backward(leaves: list[Any]) -> list[Any]:
            values = iter(leaves)
            residuals = from_spec(state["residuals"], values)
            kept = {n: from_spec(specs[n][1], values) for n in nondiff}
            cotangents = [next(values) if pytree.is_differentiable(k) else zero_leaf(k) for k in result_kinds]
            cotangent = from_leaves(result_spec, cotangents)
            out = self._call_rule(bwd, [kept[n] for n in nondiff] + [residuals, cotangent])
            differentiated = [n for n in range(len(specs)) if n not in nondiff]
            if not isinstance(out, TupleValue) or len(out.items) != len(differentiated):
                raise TypeMismatchError(
                    f"the custom_vjp backward rule {_rule_name(bwd)} of {fun.__qualname__} must return a tuple of "
                    f"{len(differentiated)} gradient(s), one per argument not in nondiff_argnums, not {describe(out)}"
                )
            grads = dict(zip(differentiated, out.items))
            flat = []
            for n, (name, spec) in enumerate(specs):
                what = f"the gradient of '{name}' from {_rule_name(bwd)}"
                if hook is not None:
                    what = f"the cotangent the hook {_rule_name(hook)} returns"
                flat += _gradient_leaves(grads.get(n), spec, n in nondiff, what)
            return flat

        # dp.hook's rule is dp's own: what goes wrong in it is the hook function's doing.
        hook = specs[0][1].static_value if getattr(rule, "__dp_hook__", False) else None
        blame = hook if isinstance(hook, types.FunctionType) else bwd
        bwd_symbol = self._adapter(
            f"{fun.__name__}_vjp_bwd", residual_kinds + _floats(result_kinds), backward, blame
        )
        return ir.DictAttr.get(
            {"fwd": ir.FlatSymbolRefAttr.get(fwd_symbol), "bwd": ir.FlatSymbolRefAttr.get(bwd_symbol)}
        )

    def _custom_jvp(self, rule: Any, functions: tuple, specs: list, result_spec: TreeDef) -> ir.Attribute:
        fun, jvp = functions
        arg_kinds = [k for _, spec in specs for k in _kinds(spec)]
        nondiff = rule.nondiff_argnums

        def body(leaves: list[Any]) -> list[Any]:
            values = iter(leaves[: len(arg_kinds)])
            args = [from_spec(spec, values) for _, spec in specs]
            given = iter(leaves[len(arg_kinds):])
            tangents = []
            for n, (_, spec) in enumerate(specs):
                leaf_tangents = [next(given) if pytree.is_differentiable(k) else zero_leaf(k) for k in _kinds(spec)]
                tangents.append(from_leaves(spec, leaf_tangents))
            differentiated = [n for n in range(len(specs)) if n not in nondiff]
            primals = TupleValue(tuple(args[n] for n in differentiated))
            directions = TupleValue(tuple(tangents[n] for n in differentiated))
            out = self._call_rule(jvp, [args[n] for n in nondiff] + [primals, directions])
            if not isinstance(out, TupleValue) or len(out.items) != 2:
                raise TypeMismatchError(
                    f"the custom_jvp rule {_rule_name(jvp)} of {fun.__qualname__} must return a pair "
                    f"(primal_out, tangent_out), not {describe(out)}"
                )
            value, tangent = out.items
            what = f"the primal output of the custom_jvp rule {_rule_name(jvp)}"
            _check_same(spec_of(value), result_spec, what, f"what {fun.__qualname__} returns")
            flat_tangents = _gradient_leaves(tangent, result_spec, False,
                                             f"the tangent output of the custom_jvp rule {_rule_name(jvp)}")
            return number_leaves(value) + flat_tangents

        symbol = self._adapter(f"{fun.__name__}_jvp", arg_kinds + _floats(arg_kinds), body, jvp)
        return ir.FlatSymbolRefAttr.get(symbol)

    def _checkpoint(self, rule: Any, functions: tuple, specs: list, result_spec: TreeDef) -> ir.Attribute:
        return ir.UnitAttr.get()


_ATTRIBUTES = {"custom_vjp": "dp.custom_vjp", "custom_jvp": "dp.custom_jvp", "checkpoint": "dp.checkpoint"}
_BUILDERS = {
    "custom_vjp": CustomCallVisitor._custom_vjp,
    "custom_jvp": CustomCallVisitor._custom_jvp,
    "checkpoint": CustomCallVisitor._checkpoint,
}


def _check_same(spec: TreeDef, like: TreeDef, what: str, expected: str) -> None:
    if spec != like:
        raise TypeMismatchError(
            f"{what} is {pytree.describe(spec)}, but it must have the structure and types of {expected}, "
            f"{pytree.describe(like)}"
        )


def _gradient_leaves(value: Any, spec: TreeDef, zero: bool, what: str) -> list[Any]:
    """The derivative leaves for the float leaves of `spec` from a rule's `value` (None: zeros)."""
    kinds = _floats(_kinds(spec))
    if zero or value is None or (isinstance(value, Const) and value.value is None):
        return [zero_leaf(k) for k in kinds]
    leaves = _derivative_leaves(value, spec, what)
    out = []
    for leaf, kind in zip(leaves, _kinds(spec)):
        if not pytree.is_differentiable(kind):
            continue
        if isinstance(leaf, Const) and leaf.value is None:
            out.append(zero_leaf(kind))
            continue
        got = leaf_kind(leaf)
        if isinstance(kind, ArraySpec):
            if not isinstance(got, ArraySpec) or got.shape != kind.shape:
                raise TypeMismatchError(f"{what} is {_describe_kind(got)} where {_describe_kind(kind)} is needed")
            leaf = tensors.cast(tensors.as_array(leaf), kind.dtype) if got.dtype != kind.dtype else leaf
        elif got not in (float, int):
            raise TypeMismatchError(f"{what} is {_describe_kind(got)} where a float is needed")
        else:
            from dp.frontend import scalars

            leaf = scalars.to_float(leaf)
        out.append(leaf)
    return out


def _derivative_leaves(value: Any, spec: TreeDef, what: str) -> list[Any]:
    """The leaves of `value` in the order of `spec`'s leaves; a structure mismatch is an error."""
    if spec.kind is NodeKind.LEAF:
        if isinstance(value, (TupleValue,)) or (not number_leaves(value) and not isinstance(value, Const)):
            raise TypeMismatchError(f"{what} is {describe(value)} where {_describe_kind(spec.data)} is needed")
        return [value]
    if spec.kind is NodeKind.STATIC:
        return []
    items = getattr(value, "items", None)
    if items is None or len(items) != len(spec.children):
        raise TypeMismatchError(f"{what} is {describe(value)}, not of the structure {pytree.describe(spec)}")
    out = []
    for item, child in zip(items, spec.children):
        out += _derivative_leaves(item, child, what)
    return out


def _describe_kind(kind: Any) -> str:
    if isinstance(kind, ArraySpec):
        return f"an array of shape {kind.shape} and dtype {kind.dtype}"
    return f"a {getattr(kind, '__name__', kind)}"


__all__ = ["CustomCallVisitor", "is_custom_rule"]
