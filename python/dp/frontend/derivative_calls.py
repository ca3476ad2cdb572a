"""Derivatives requested inside compiled code: calls of dp.grad, dp.value_and_grad, dp.jvp, dp.vjp, dp.jacobian.

A call of a transform object (or of dp.jvp / dp.vjp) in a function dp
compiles specializes the differentiated function for the call's argument
types and emits a derivative request on its symbol: dp.autodiff for
gradients and reverse-mode Jacobians, dp.fwddiff for JVPs and forward-mode
Jacobians, dp.augmented for dp.vjp and dp.reverse for each call of its
pullback. dp-autodiff replaces the requests innermost first, so a function
holding them can itself be differentiated: that is nested differentiation.
Gradients come back in the structure of the arguments, None at leaves that
are not floats, as at the Python level.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
from mlir import ir
from mlir.dialects import arith, scf, tensor

from dp import callables
from dp.dialects import dp as dpd
from dp.errors import TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import complex_numbers, objects, pytree, scalars, tensors
from dp.frontend.dtypes import ArraySpec
from dp.frontend.pytree import NodeKind, TreeDef
from dp.frontend.values import (
    Array,
    Const,
    FunctionValue,
    TupleValue,
    describe,
    from_leaves,
    is_const_array,
    from_spec,
    leaf_kind,
    make_leaf,
    mlir_type,
    number_leaves,
    rebuild,
    spec_of,
)


def apply(function, *args, **kwargs):
    """Calls a function made in compiled code: what dp differentiates for a transform of one (the function
    is the bound first argument, so the caller's arguments keep their argnums)."""
    return function(*args, **kwargs)


def bound_target(function: Any) -> callables.Target:
    """The target of a transform of a function value (a lambda, nested def, partial or transform of one)."""
    return callables.Target(apply, (function,))


def target_name(target: callables.Target) -> str:
    """The name of what a target calls, for messages (a function value's own name, not `apply`'s)."""
    if target.function is apply and target.args and isinstance(target.args[0], FunctionValue):
        value = target.args[0]
        if value.kind == "closure":
            return value.data[0].__qualname__
        return "a function made in compiled code"
    return target.function.__qualname__


def is_derivative(target: Any) -> bool:
    """Whether calling `target` in compiled code requests a derivative."""
    return getattr(target, "__dp_derivative__", False) is True


def is_transform_class(target: Any) -> bool:
    """Whether `target` is dp.grad, dp.jacobian, dp.checkpoint, ... (called in compiled code to make one)."""
    from dp import custom, transforms

    return isinstance(target, type) and issubclass(target, (transforms.Transform, custom.checkpoint))


@dataclass(frozen=True)
class _Leaf:
    """One dynamic leaf of the differentiated function's arguments."""

    value: ir.Value
    kind: Any
    param: int  # which of the call's positional arguments it belongs to (-1: a keyword or a default)
    active: bool


@dataclass(frozen=True)
class _Callee:
    """The specialization a derivative call differentiates, and its arguments' leaves."""

    name: str
    record: Any  # the FunctionRecord of the specialization
    params: list[tuple[str, Any]]
    leaves: list[_Leaf]
    offset: int  # parameters the callable binds ahead of the caller's arguments
    arguments: list[Any]  # the positional arguments, the callable's bound ones first

    @property
    def symbol(self) -> str:
        return self.record.symbol

    @property
    def result_spec(self) -> TreeDef:
        return self.record.result_spec

    @property
    def result_kinds(self) -> list[Any]:
        return pytree.leaf_kinds(self.result_spec)

    @property
    def arg_activity(self) -> list[str]:
        return ["active" if leaf.active else "const" for leaf in self.leaves]

    @property
    def ret_activity(self) -> list[str]:
        return ["active" if pytree.is_differentiable(kind) else "const" for kind in self.result_kinds]

    def grads_for(self, argnums: Sequence[int], grads: list[Any]) -> list[Any]:
        """One gradient pytree per positional argument in `argnums`, from the gradients of the active leaves."""
        per_leaf = iter(grads)
        values = [next(per_leaf) if leaf.active else Const(None) for leaf in self.leaves]
        trees = []
        for p in argnums:
            mine = [v for leaf, v in zip(self.leaves, values) if leaf.param == p]
            trees.append(complex_numbers.conjugate_tree(rebuild(self.arguments[p], iter(mine))))
        return trees


class DerivativeCallVisitor:
    """Lowers calls of transforms inside compiled code to derivative requests."""

    def call_derivative(self, target: Any, args: list[Any], kwargs: dict[str, Any], bound: tuple = ()) -> Any:
        """The value of `target(*args, **kwargs)` for a transform object or dp.jvp / dp.vjp; `bound` is the
        function value a transform of one made in compiled code differentiates."""
        from dp import transforms

        if target is transforms.jvp:
            return self._jvp(args, kwargs)
        if target is transforms.vjp:
            return self._vjp(args, kwargs)
        kind = getattr(target, "kind", None)
        if kind in ("grad", "value_and_grad"):
            return self._gradient(target, args, kwargs, bound)
        if kind in ("jacobian", "hessian"):
            return self._jacobian(target, args, kwargs, bound)
        raise UnsupportedSyntaxError(f"cannot call {target!r} in compiled code")

    def make_transform(self, cls: type, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """`dp.grad(f, ...)` or `dp.checkpoint(f)` in compiled code: the object, made at compile time. Of a
        function made in compiled code (a lambda, a closure, a partial, another such transform), a function
        value holding it: the transform of `apply` with the function bound."""
        function_value = args[0] if args and isinstance(args[0], FunctionValue) else None
        if function_value is not None and getattr(cls, "kind", None) not in ("grad", "value_and_grad", "jacobian",
                                                                               "hessian"):
            raise UnsupportedSyntaxError(
                f"{cls.__name__}() in compiled code takes a function defined outside, not {describe(function_value)}"
            )
        values = [apply] if function_value is not None else []
        for value in [*(args[1:] if function_value is not None else args), *kwargs.values()]:
            constant = _constant(value)
            if constant is _NOT_CONSTANT:
                raise UnsupportedSyntaxError(
                    f"dp.{cls.kind}() in compiled code takes compile-time arguments (a function and constant "
                    f"argnums), not {describe(value)}"
                )
            values.append(constant)
        positional = values[: len(args)]
        keywords = dict(zip(kwargs, values[len(args):]))
        transform = cls(*positional, **keywords)
        if function_value is None:
            return Const(transform)
        return FunctionValue("transform", transform, (function_value,))

    def _target(self, transform: Any, bound: tuple) -> callables.Target:
        target = transform._target
        return dataclasses.replace(target, args=tuple(bound) + tuple(target.args)) if bound else target

    # -- the differentiated function -------------------------------------------------------------

    def _callee(
        self, target: callables.Target, args: list[Any], kwargs: dict[str, Any], argnums: Sequence[int] | None
    ) -> _Callee:
        """Specializes `target` for a call; the float leaves of the arguments in `argnums` (all when None) are active."""
        from dp.frontend.calls import with_bound_arguments

        offset = len(target.args)
        args, kwargs = with_bound_arguments(target, args, kwargs)
        params, record = self.specialize_call(target.function, args, kwargs)
        objects.check_no_writeback(record, "a derivative")
        positions = range(offset, len(args)) if argnums is None else [offset + n for n in argnums]
        # The positional arguments bind the leading parameters (a `*args` parameter takes the rest), so
        # their leaves come first among the parameters' leaves, in order.
        owners = [p for p, arg in enumerate(args) for _ in number_leaves(arg)]
        leaves = []
        for _, value in params:
            for leaf in number_leaves(value):
                p = owners[len(leaves)] if len(leaves) < len(owners) else -1
                kind = leaf_kind(leaf)
                active = p in positions and pytree.is_differentiable(kind)
                leaves.append(_Leaf(tensors.leaf_value(leaf), kind, p, active))
        return _Callee(target_name(target), record, params, leaves, offset, list(args))

    def _argnums(self, transform: Any, num_args: int, bound: tuple = ()) -> tuple[tuple[int, ...], bool]:
        """The transform's argnums counted over the caller's positional arguments, and whether it is one int."""
        from dp.transforms import _normalize_argnums

        argnums = transform._argnums
        single = isinstance(argnums, int)
        name = target_name(self._target(transform, bound))
        nums = _normalize_argnums(argnums, num_args, name)
        static = getattr(transform, "_static", None)
        for n in nums:
            if static is not None and n in getattr(static, "argnums", ()):
                raise TypeMismatchError(f"argnums {n} of dp.{transform.kind} is also a static argument")
        return nums, single

    # -- reverse mode ----------------------------------------------------------------------------

    def _reverse(self, callee: _Callee, seeds: list[ir.Value]) -> tuple[list[Any], list[Any]]:
        """A dp.autodiff on the callee with cotangents `seeds`: its result leaves and its gradients."""
        kinds = callee.result_kinds
        grad_kinds = [leaf.kind for leaf in callee.leaves if leaf.active]
        op = dpd.AutodiffOp(
            [mlir_type(k) for k in kinds] + [mlir_type(k) for k in grad_kinds],
            callee.symbol,
            [leaf.value for leaf in callee.leaves] + seeds,
            callee.arg_activity,
            callee.ret_activity,
        )
        results = list(op.results)
        values = [make_leaf(v, k) for v, k in zip(results, kinds)]
        grads = [make_leaf(v, k) for v, k in zip(results[len(kinds):], grad_kinds)]
        return values, grads

    def _gradient(self, transform: Any, args: list[Any], kwargs: dict[str, Any], bound: tuple = ()) -> Any:
        argnums, single = self._argnums(transform, len(args), bound)
        callee = self._callee(self._target(transform, bound), args, kwargs, argnums)
        if callee.result_spec.kind is not NodeKind.LEAF or callee.result_kinds[0] is not float:
            raise TypeMismatchError(
                f"dp.{transform.kind} needs {callee.name}() to return one float, but it returns "
                f"{pytree.describe(callee.result_spec)}; use dp.vjp or dp.jacobian for other results"
            )
        values, grads = self._reverse(callee, [scalars.constant(1.0).value])
        trees = callee.grads_for([callee.offset + n for n in argnums], grads)
        gradient = trees[0] if single else TupleValue(tuple(trees))
        if transform.kind == "value_and_grad":
            return TupleValue((values[0], gradient))
        return gradient

    # -- forward mode ----------------------------------------------------------------------------

    def _forward(self, callee: _Callee, tangents: list[ir.Value]) -> tuple[list[Any], list[Any]]:
        """A dp.fwddiff on the callee along `tangents` (one per active leaf): result leaves and tangents."""
        operands, given = [], iter(tangents)
        for leaf in callee.leaves:
            operands.append(leaf.value)
            if leaf.active:
                operands.append(next(given))
        kinds = callee.result_kinds
        dup = [pytree.is_differentiable(k) for k in kinds]
        types = []
        for kind, d in zip(kinds, dup):
            types += [mlir_type(kind)] * (2 if d else 1)
        op = dpd.FwddiffOp(
            types,
            callee.symbol,
            operands,
            ["dup" if leaf.active else "const" for leaf in callee.leaves],
            ["dup" if d else "const" for d in dup],
        )
        results = iter(op.results)
        values, result_tangents = [], []
        for kind, d in zip(kinds, dup):
            values.append(make_leaf(next(results), kind))
            result_tangents.append(make_leaf(next(results), kind) if d else Const(None))
        return values, result_tangents

    def _jvp(self, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if kwargs or len(args) != 3:
            raise TypeMismatchError("dp.jvp(f, primals, tangents) takes three positional arguments")
        fn, primals, tangents = args
        fn = _function(fn, "dp.jvp")
        primals, tangents = _sequence(primals, "primals"), _sequence(tangents, "tangents")
        if len(primals) != len(tangents):
            raise TypeMismatchError(f"jvp got {len(primals)} primals but {len(tangents)} tangents")
        callee = self._callee(fn, list(primals), {}, None)
        directions = []
        for n, tangent in enumerate(tangents):
            p = callee.offset + n
            leaves = [leaf for leaf in callee.leaves if leaf.param == p]
            _check_structure(tangent, spec_of(callee.arguments[p]), f"the tangent of argument {n}")
            for leaf, t in zip(leaves, number_leaves(tangent)):
                if leaf.active:
                    directions.append(_as_kind(t, leaf.kind, f"the tangent of argument {n}"))
        values, result_tangents = self._forward(callee, directions)
        return TupleValue(
            (from_spec(callee.result_spec, iter(values)), from_leaves(callee.result_spec, result_tangents))
        )

    def _jacobian(self, transform: Any, args: list[Any], kwargs: dict[str, Any], bound: tuple = ()) -> Any:
        argnums, single = self._argnums(transform, len(args), bound)
        callee = self._callee(self._target(transform, bound), args, kwargs, argnums)
        if pytree.has_complex(callee.result_spec) or any(
            pytree.has_complex(spec_of(callee.arguments[callee.offset + n])) for n in argnums
        ):
            raise TypeMismatchError(
                f"dp.{transform.kind} of {callee.name}() has complex arguments or results, whose Jacobian JAX's "
                "jacfwd/jacrev take only for holomorphic functions; use dp.jvp or dp.vjp"
            )
        active = [leaf for leaf in callee.leaves if leaf.active]
        kinds = callee.result_kinds
        result_active = [pytree.is_differentiable(k) for k in kinds]
        # blocks[r][a]: the derivatives of active result leaf r with respect to active leaf a,
        # of shape result.shape + argument.shape.
        results = [k for k, a in zip(kinds, result_active) if a]
        blocks: list[list[Any]] = [[None] * len(active) for _ in results]
        if transform._mode == "fwd":
            # One forward derivative per element of each active argument leaf: a loop over its
            # flat index whose body seeds a basis tangent and writes the columns it gets.
            for a, leaf in enumerate(active):
                def run(k: Any, a: int = a) -> list[Any]:
                    directions = [_basis(other.kind, k if b == a else None) for b, other in enumerate(active)]
                    _, tangents = self._forward(callee, directions)
                    return [t for t, r in zip(tangents, result_active) if r]

                for r, block in enumerate(_blocks(run, leaf.kind, results, leading=False)):
                    blocks[r][a] = block
        else:
            # One reverse pass per element of each active result leaf, seeded by a basis cotangent.
            for r, kind in enumerate(results):
                def run(k: Any, r: int = r) -> list[Any]:
                    seeds = [_basis(other, k if q == r else None) for q, other in enumerate(results)]
                    return self._reverse(callee, seeds)[1]

                blocks[r] = _blocks(run, kind, [leaf.kind for leaf in active], leading=True)
        rows, per_result = [], iter(blocks)
        for is_active in result_active:
            if not is_active:
                rows.append(Const(None))
                continue
            trees = callee.grads_for([callee.offset + n for n in argnums], list(next(per_result)))
            rows.append(trees[0] if single else TupleValue(tuple(trees)))
        return from_leaves(callee.result_spec, rows)

    # -- split reverse mode ----------------------------------------------------------------------

    def _vjp(self, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if kwargs or not args:
            raise TypeMismatchError("dp.vjp(f, *primals) takes the function and its positional arguments")
        fn = _function(args[0], "dp.vjp")
        callee = self._callee(fn, list(args[1:]), {}, None)
        kinds = callee.result_kinds
        entry = self.record.func_op.regions[0].blocks[0]
        if ir.InsertionPoint.current.block != entry:
            # In a loop or branch a tape could not be freed where it is made visible to the whole
            # function: the value is a plain call, and each pullback call a whole reverse pass.
            from dp.frontend.calls import emit_call

            value = emit_call(callee.record, callee.params)
            return TupleValue((value, PullbackValue(callee, None, (), len(args) - 1)))
        tape_type = ir.Type.parse("!dp.tape")
        op = dpd.AugmentedOp(
            [mlir_type(k) for k in kinds] + [tape_type],
            callee.symbol,
            [leaf.value for leaf in callee.leaves],
            callee.arg_activity,
            callee.ret_activity,
        )
        results = list(op.results)
        tape = results[-1]
        self.tapes.append(tape)
        value = from_spec(callee.result_spec, iter([make_leaf(v, k) for v, k in zip(results, kinds)]))
        arrays = [leaf.value for leaf in callee.leaves if isinstance(leaf.kind, ArraySpec)]
        return TupleValue((value, PullbackValue(callee, tape, tuple(arrays), len(args) - 1)))

    def call_pullback(self, pullback: "PullbackValue", args: list[Any], kwargs: dict[str, Any]) -> Any:
        """`pullback(cotangent)`: a dp.reverse on the vjp's tape."""
        if kwargs or len(args) != 1:
            raise TypeMismatchError("a pullback takes one cotangent")
        callee = pullback.callee
        _check_structure(args[0], callee.result_spec, "the cotangent")
        seeds = [
            _as_kind(ct, kind, "the cotangent")
            for ct, kind in zip(number_leaves(complex_numbers.conjugate_tree(args[0])), callee.result_kinds)
            if pytree.is_differentiable(kind)
        ]
        positions = [callee.offset + n for n in range(pullback.num_primals)]
        # The tape serves the first call, made where the forward pass ran: reading it again (after a
        # rewind) could not be differentiated in reverse mode. Other calls are reverse passes of
        # their own.
        here = ir.InsertionPoint.current.block
        used = self.pulled_tapes
        if pullback.tape is None or pullback.tape in used or here != pullback.tape.owner.operation.block:
            _, grads = self._reverse(callee, seeds)
            return TupleValue(tuple(callee.grads_for(positions, grads)))
        used.add(pullback.tape)
        grad_kinds = [leaf.kind for leaf in callee.leaves if leaf.active]
        op = dpd.ReverseOp(
            [mlir_type(k) for k in grad_kinds],
            callee.symbol,
            [pullback.tape, *pullback.arrays, *seeds],
            callee.arg_activity,
            callee.ret_activity,
        )
        grads = [make_leaf(v, k) for v, k in zip(op.results, grad_kinds)]
        return TupleValue(tuple(callee.grads_for(positions, grads)))


@dataclass(frozen=True, eq=False)
class PullbackValue:
    """The pullback of a dp.vjp in compiled code: its tape and what dp.reverse reads again.

    The tape serves the first call in the block of the dp.vjp; without one (a
    dp.vjp in a loop or branch), and for other calls, each call is a whole
    reverse pass (dp.autodiff) of the same call.
    """

    callee: _Callee
    tape: ir.Value | None
    arrays: tuple[ir.Value, ...]
    num_primals: int


_NOT_CONSTANT = object()


def _constant(value: Any) -> Any:
    """The Python value of a compile-time value (constants and tuples of them), else _NOT_CONSTANT."""
    if isinstance(value, Const):
        return value.value
    if isinstance(value, TupleValue):
        items = tuple(_constant(item) for item in value.items)
        return _NOT_CONSTANT if any(item is _NOT_CONSTANT for item in items) else items
    return _NOT_CONSTANT


def _function(value: Any, what: str) -> callables.Target:
    """What a dp.jvp or dp.vjp in compiled code differentiates."""
    if isinstance(value, FunctionValue):
        return bound_target(value)
    if not isinstance(value, Const) or not callable(value.value):
        raise UnsupportedSyntaxError(f"{what} in compiled code takes a function defined outside, not {describe(value)}")
    return callables.resolve(value.value, what)


def _sequence(value: Any, what: str) -> tuple:
    items = getattr(value, "items", None)
    if items is None or not isinstance(items, tuple) or hasattr(value, "keys"):
        raise TypeMismatchError(f"dp.jvp takes {what} as a tuple or list, not {describe(value)}")
    return items


def _check_structure(value: Any, like: TreeDef, what: str) -> None:
    """Raises unless `value`'s dynamic structure is `like`'s (static leaves aside)."""
    spec = spec_of(value)
    if _shape_of_tree(spec) != _shape_of_tree(like):
        raise TypeMismatchError(f"{what} must have the structure {pytree.describe(like)}, not {pytree.describe(spec)}")


def _shape_of_tree(spec: TreeDef) -> Any:
    """A TreeDef's nesting with leaves reduced to their shapes (int and float leaves alike)."""
    if spec.kind is NodeKind.LEAF:
        return ("leaf", _shape(spec.data) if isinstance(spec.data, ArraySpec) else ())
    if spec.kind is NodeKind.STATIC:
        return ("static",)
    return (spec.kind, tuple(_shape_of_tree(child) for child in spec.children))


def _as_kind(value: Any, kind: Any, what: str) -> ir.Value:
    """The SSA value of a tangent or cotangent leaf, converted to the type of the leaf it goes with."""
    if isinstance(kind, ArraySpec):
        array = tensors.as_array(value)
        if array.shape != kind.shape:
            raise TypeMismatchError(f"{what} has shape {array.shape} where {kind.shape} is needed")
        if array.dtype != kind.dtype:
            array = tensors.cast(array, kind.dtype)
        return array.value
    if isinstance(value, Array) or is_const_array(value):
        # A 0-d array stands for a number, as a numpy cotangent of a scalar result does.
        shape = value.shape if isinstance(value, Array) else np.shape(value.value)
        if shape != ():
            raise TypeMismatchError(f"{what} has shape {shape} where a number is needed")
        value = tensors.operand(value)
    return tensors.leaf_value(scalars.to_float(value))


def _shape(kind: Any) -> tuple[int, ...]:
    return kind.shape if isinstance(kind, ArraySpec) else ()


_ONE = object()  # the index of the one element of a float or a 0-d array


def _basis(kind: Any, k: Any) -> ir.Value:
    """A zero tangent or cotangent of leaf kind `kind`, with a 1 at flat index `k` (an index value, or _ONE)
    unless `k` is None."""
    if not isinstance(kind, ArraySpec):
        return scalars.constant(0.0 if k is None else 1.0).value
    if k is None or not kind.shape:
        return tensors.constant_array((np.zeros if k is None else np.ones)(kind.shape, kind.numpy_dtype)).value
    size = int(np.prod(kind.shape))
    flat = tensors.constant_array(np.zeros((size,), kind.numpy_dtype))
    one = tensors.constant_array(np.ones((), kind.numpy_dtype))
    value = tensor.insert(tensor.extract(one.value, []), flat.value, [k])
    if len(kind.shape) == 1:
        return value
    return tensors.expand(Array(value, ArraySpec(kind.dtype, (size,))), kind.shape, [list(range(len(kind.shape)))]).value


def _blocks(run: Any, looped: Any, others: list[Any], *, leading: bool) -> list[Any]:
    """Jacobian blocks, built by `run(k)` for each flat index k of leaf kind `looped`.

    `run(k)` returns one derivative per kind of `others` (of that kind's
    shape). Forward mode (`leading` false) loops over an argument leaf and
    gets columns: block = other.shape + looped.shape. Reverse mode loops over
    a result leaf and gets rows: block = looped.shape + other.shape. An array
    leaf is looped over by an scf.for (one derivative request in its body,
    whatever the size); a float leaf takes one run.
    """
    if not isinstance(looped, ArraySpec) or not looped.shape:
        # A float, or a 0-d array: its one element's derivatives are the blocks.
        return run(_ONE)
    size = int(np.prod(looped.shape))
    flat = [_flat_spec(other, size, leading) for other in others]
    inits = [tensors.constant_array(np.zeros(spec.shape, spec.numpy_dtype)).value for spec in flat]
    loop = scf.ForOp(_index(0), _index(size), _index(1), inits)
    with ir.InsertionPoint(loop.body):
        k = loop.induction_variable
        pieces = run(k)
        blocks = loop.inner_iter_args
        updated = [_place(piece, block, spec, k, leading) for piece, block, spec in zip(pieces, blocks, flat)]
        scf.YieldOp(updated)
    return [_unflatten_block(Array(result, spec), looped, leading) for result, spec in zip(loop.results, flat)]


def _index(n: int) -> ir.Value:
    return arith.ConstantOp(ir.IndexType.get(), n).result


def _flat_spec(other: Any, size: int, leading: bool) -> ArraySpec:
    """The block of `other` with the looped leaf's dimensions flattened to one of `size`."""
    dtype = other.dtype if isinstance(other, ArraySpec) else "float64"
    shape = _shape(other)
    return ArraySpec(dtype, (size, *shape) if leading else (*shape, size))


def _place(piece: Any, block: ir.Value, spec: ArraySpec, k: ir.Value, leading: bool) -> ir.Value:
    """Writes one derivative (a row or column) at flat index k of a flattened block."""
    if not isinstance(piece, Array):
        return tensor.insert(tensors.leaf_value(scalars.to_float(piece)), block, [k])
    value = piece.value if piece.dtype == spec.dtype else tensors.cast(piece, spec.dtype).value
    rank = len(spec.shape)
    dynamic = ir.ShapedType.get_dynamic_size()
    position = 0 if leading else rank - 1
    static_offsets = [dynamic if d == position else 0 for d in range(rank)]
    sizes = [1 if d == position else n for d, n in enumerate(spec.shape)]
    return tensor.insert_slice(value, block, [k], [], [], static_offsets, sizes, [1] * rank)


def _unflatten_block(block: Array, looped: ArraySpec, leading: bool) -> Array:
    """A flattened block with the looped leaf's dimensions restored."""
    rank = len(block.shape)
    if len(looped.shape) == 1:
        return block
    if leading:
        groups = [list(range(len(looped.shape)))] + [[len(looped.shape) + d] for d in range(rank - 1)]
        shape = (*looped.shape, *block.shape[1:])
    else:
        groups = [[d] for d in range(rank - 1)] + [[rank - 1 + d for d in range(len(looped.shape))]]
        shape = (*block.shape[:-1], *looped.shape)
    return tensors.expand(block, shape, groups, view=False)


__all__ = ["DerivativeCallVisitor", "PullbackValue", "is_derivative", "is_transform_class"]
