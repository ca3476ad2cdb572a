"""Structured control flow: if/elif/else, while, for, break, continue and return.

Everything lowers to scf. `return`, `break` and `continue` set boolean
flags kept in the environment (`<returned>`, `<break>`, `<continue>`, with
the return value in `<result>`); statements after one that may have set a
flag are guarded by an scf.if on "no flag set", and loops carry the flags
so their condition can stop them. A variable goes through an scf.if result
or a loop's iter_args only when it is assigned inside and live afterwards.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, Callable

from mlir import ir
from mlir.dialects import arith, scf

from dp.errors import InternalCompilerError, ShapeError, TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import array_indexing, objects, operators, pytree, scalars, tensors
from dp.frontend.containers import GrowingContainer, changes_length, growth_error, static_trip_items
from dp.frontend.iteration import static_items
from dp.frontend.liveness import assigned_names, contains, stored_names
from dp.frontend.merge import Mismatch, match, unify
from dp.frontend.ranges import affine, trip_count
from dp.frontend.scope import (
    BROKE,
    CONTINUED,
    COUNTER,
    DEAD,
    FLAGS,
    RAISED,
    RESULT,
    RETURNED,
    VALUE,
    Binding,
    Env,
    Unbound,
    is_internal,
)
from dp.frontend.values import (
    Const,
    RangeValue,
    Scalar,
    describe,
    dynamic,
    fill,
    from_spec,
    is_array,
    leaf_kind,
    make_leaf,
    map_leaves,
    mlir_type,
    number_leaves,
    rebuild,
    spec_of,
    zero_leaf,
    zeros_like,
)
from dp.frontend.visitor import ProbeDone, Recarry, RecursiveResultUnknown, ReturnTypeUnknown

FALSE = Binding(Const(False), 0)
TRUE = Binding(Const(True), 0)


@dataclass
class _Carry:
    """The variables a loop carries: their names and entry values (numeric leaves are Scalars)."""

    names: list[str]
    entries: list[Any]
    lines: list[int]

    @property
    def leaves(self) -> list[Scalar]:
        return [leaf for entry in self.entries for leaf in number_leaves(entry)]

    @property
    def types(self) -> list[ir.Type]:
        return [mlir_type(leaf_kind(leaf)) for leaf in self.leaves]

    @property
    def operands(self) -> list[ir.Value]:
        return [leaf.value for leaf in self.leaves]


class ControlFlowVisitor:
    """Visitors of compound statements and jumps, and the region-building helpers they share."""

    # -- flags and reachability -------------------------------------------------------------

    def flag(self, name: str, env: Env | None = None) -> Any:
        """A control flag's value (constant False when unset)."""
        binding = (self.env if env is None else env).get(name)
        return binding.value if isinstance(binding, Binding) else Const(False)

    def falls_through(self, env: Env) -> bool:
        """Whether some path can reach the statement after the current one."""
        if DEAD in env:
            return False
        return not any(isinstance(f, Const) and f.value for f in (self.flag(n, env) for n in FLAGS))

    def import_block(self, statements: list[ast.stmt]) -> None:
        """Imports statements in order, guarding the rest of the block after a possible jump."""
        for index, statement in enumerate(statements):
            if not self.falls_through(self.env):
                return
            self.visit(statement)
            if any(isinstance(self.flag(name), Scalar) for name in FLAGS):
                rest = statements[index + 1 :]
                if rest and self.falls_through(self.env):
                    self.guard(lambda: self.import_block(rest), self.liveness.after(statements[-1]))
                return

    def guard(self, body: Callable[[], None], live: frozenset[str]) -> None:
        """Runs `body` under an scf.if on "no jump flag is set"."""
        flags = [name for name in FLAGS if isinstance(self.flag(name), Scalar)]
        stop = scalars.any_of([self.flag(name) for name in flags])

        def run() -> None:
            for name in flags:
                self.env[name] = FALSE
            body()

        def skip() -> None:
            if len(flags) == 1:
                self.env[flags[0]] = TRUE
            else:
                self.env[DEAD] = TRUE

        self.branch(scalars.logical_not(stop), run, skip, live)

    # -- scf.if ----------------------------------------------------------------------------------

    def branch(
        self, cond: Scalar, then_fn: Callable[[], None], else_fn: Callable[[], None], live: frozenset[str]
    ) -> None:
        """Builds an scf.if whose regions run the two callbacks, then merges their environments.

        The result types are only known once both regions are built, so the
        regions are built inside a result-less scf.if and moved into the final one.
        """
        before = self.env
        draft = scalars.if_op(cond, [])
        sides: list[Env | None] = []
        unknown: RecursiveResultUnknown | None = None
        for block, build in ((draft.then_block, then_fn), (draft.else_block, else_fn)):
            self.env = dict(before)
            with ir.InsertionPoint(block):
                try:
                    build()
                except RecursiveResultUnknown as signal:
                    if not self.probe:
                        raise
                    unknown, self.env = signal, None
            sides.append(self.env)
        if sides[0] is None or sides[1] is None:
            # Probing for a return type: a branch that recurses is skipped; the IR is discarded.
            if sides[0] is None and sides[1] is None:
                raise unknown
            self.env = sides[0] if sides[0] is not None else sides[1]
            return
        merged, plans, then_leaves, else_leaves = self._merge(before, sides[0], sides[1], live)
        for block, leaves in ((draft.then_block, then_leaves), (draft.else_block, else_leaves)):
            with ir.InsertionPoint(block):
                scf.YieldOp([tensors.leaf_value(leaf) for leaf in leaves])
        if then_leaves:
            types = [mlir_type(leaf_kind(leaf)) for leaf in then_leaves]
            final = ir.Operation.create("scf.if", results=types, operands=[cond.value], regions=2)
            draft.then_block.append_to(final.regions[0])
            draft.else_block.append_to(final.regions[1])
            draft.operation.erase()
            results = iter([make_leaf(result, leaf_kind(leaf)) for result, leaf in zip(final.results, then_leaves)])
            for name, template, line in plans:
                merged[name] = Binding(fill(template, results), line)
        self.env = merged

    def if_value(self, cond: Scalar, then_fn: Callable[[], Any], else_fn: Callable[[], Any]) -> Any:
        """The value of `then_fn()` or `else_fn()`, evaluated under an scf.if."""

        def run(fn: Callable[[], Any]) -> Callable[[], None]:
            def evaluate() -> None:
                value = fn()  # may replace self.env (a nested branch), so read it afterwards
                self.env[VALUE] = Binding(value, 0)

            return evaluate

        self.branch(cond, run(then_fn), run(else_fn), frozenset({VALUE}))
        return self.env.pop(VALUE).value

    def _merge(self, before: Env, a: Env, b: Env, live: frozenset[str]) -> tuple[Env, list, list, list]:
        """The environment after a two-way branch, and what each side must yield."""
        merged = dict(before)
        plans: list[tuple[str, Any, int]] = []
        left: list = []
        right: list = []
        falls_a, falls_b = self.falls_through(a), self.falls_through(b)
        for name in dict.fromkeys([*a, *b]):
            va, vb = a.get(name), b.get(name)
            if name == DEAD or (va is before.get(name) and vb is before.get(name)):
                continue
            if name in FLAGS:
                va, vb = va or FALSE, vb or FALSE
            if not is_internal(name) and name not in live:
                merged[name] = Unbound(InternalCompilerError, f"variable '{name}' was dropped as dead (a bug in dp)")
                continue
            use_a = self._relevant(a, name, falls_a, va)
            use_b = self._relevant(b, name, falls_b, vb)
            if use_a != use_b:
                chosen, is_a = (va, True) if use_a else (vb, False)
                if chosen is None:
                    merged.pop(name, None)
                    continue
                if isinstance(chosen, Unbound) or chosen is before.get(name):
                    merged[name] = chosen
                    continue
                pair = (chosen.value, zeros_like(chosen.value)) if is_a else (zeros_like(chosen.value), chosen.value)
                template, la, lb = unify(*pair)
                line = chosen.line
            elif not use_a:
                merged.pop(name, None)
                continue
            elif not isinstance(va, Binding) or not isinstance(vb, Binding):
                merged[name] = self._partly_defined(name, va, vb)
                continue
            else:
                try:
                    template, la, lb = unify(va.value, vb.value)
                except Mismatch as mismatch:
                    raise self._branch_mismatch(name, mismatch, va, vb) from None
                line = max(va.line, vb.line)
            plans.append((name, template, line))
            left.extend(la)
            right.extend(lb)
            merged[name] = Binding(template, line)
        if not falls_a and not falls_b:
            merged[DEAD] = TRUE
        else:
            merged.pop(DEAD, None)
        return merged, plans, left, right

    def _relevant(self, env: Env, name: str, falls: bool, binding: Any) -> bool:
        """Whether a side's value of `name` can be read after the branch."""
        if name == RESULT:
            returned = self.flag(RETURNED, env)
            return not (isinstance(returned, Const) and not returned.value)
        if is_internal(name) or falls:
            return True
        returned = self.flag(RETURNED, env)
        if isinstance(returned, Const) and returned.value:
            return False
        raised = self.flag(RAISED, env)
        if not (isinstance(raised, Const) and not raised.value):
            # The side raised what a handler catches: the handler reads the variables it has (one it lacks was
            # not assigned before the raise, so Python's handler cannot read it either).
            return binding is not None
        # The side left through break/continue: only what the loop carries on matters.
        return self.loop_live is not None and name in self.loop_live and isinstance(binding, Binding)

    @staticmethod
    def _partly_defined(name: str, va: Any, vb: Any) -> Unbound:
        for side in (va, vb):
            if isinstance(side, Unbound):
                return side
        defined = va if isinstance(va, Binding) else vb
        return Unbound(
            UnsupportedSyntaxError,
            f"variable '{name}' may be undefined here: it is assigned at line {defined.line} on only some paths; "
            "assign it on every path (or before the branch)",
        )

    @staticmethod
    def _branch_mismatch(name: str, mismatch: Mismatch, va: Binding, vb: Binding) -> TypeMismatchError:
        if name == VALUE:
            return TypeMismatchError(
                f"the two branches of this expression have different types: {mismatch.left} and {mismatch.right}"
                f"{mismatch.hint}"
            )
        first, second = sorted([(va.line, mismatch.left), (vb.line, mismatch.right)])
        return TypeMismatchError(
            f"variable '{name}' has type {first[1]} at line {first[0]} but {second[1]} at line {second[0]}; "
            f"a variable must keep one type on every path{mismatch.hint}"
        )

    # -- if, return, break, continue -----------------------------------------------------------

    def visit_If(self, node: ast.If) -> None:
        cond = scalars.truth(self.visit(node.test))
        if isinstance(cond, Const):
            self.import_block(node.body if cond.value else node.orelse)
            return
        self.branch(
            cond,
            lambda: self.import_block(node.body),
            lambda: self.import_block(node.orelse),
            self.liveness.after(node),
        )

    def visit_Return(self, node: ast.Return) -> None:
        value = Const(None) if node.value is None else dynamic(self.visit(node.value))
        if self.record.writeback:
            value = objects.with_writeback(self, value)
        spec = spec_of(value)
        record = self.record
        line = self.line(node)
        if record.result_spec is None:
            record.result_spec, record.result_line = spec, line
            if self.probe:
                raise ProbeDone()
        elif spec != record.result_spec:
            raise TypeMismatchError(
                f"{self.source.name} returns {pytree.describe(spec)} here but "
                f"{pytree.describe(record.result_spec)} at line {record.result_line}; every return must give the same type"
            )
        self.env[RESULT] = Binding(value, line)
        self.env[RETURNED] = TRUE

    def visit_Break(self, node: ast.Break) -> None:
        self.env[BROKE] = TRUE

    def visit_Continue(self, node: ast.Continue) -> None:
        self.env[CONTINUED] = TRUE

    # -- loops -------------------------------------------------------------------------------------

    def visit_While(self, node: ast.While) -> None:
        if node.orelse:
            raise UnsupportedSyntaxError("unsupported syntax: else clause of a while loop")
        if isinstance(node.test, ast.Constant) and not node.test.value:
            return
        try:
            self._with_recarry(node, lambda extra: self._while(node, extra))
        except GrowingContainer as signal:
            raise growth_error(signal, "while loop") from None

    def visit_For(self, node: ast.For) -> None:
        if node.orelse:
            raise UnsupportedSyntaxError("unsupported syntax: else clause of a for loop")
        iterable = self.visit(node.iter)
        try:
            self._for_compiled(node, iterable)
        except GrowingContainer as signal:
            # A list changes length in the body: unrolled, so each iteration has its own list type.
            items = static_trip_items(iterable)
            if items is None:
                raise growth_error(signal, "for loop") from None
            self._for_unrolled(node, items)

    def _for_compiled(self, node: ast.For, iterable: Any) -> None:
        """A for loop as scf.for (range, array rows) or unrolled (tuples, lists, dicts)."""
        if isinstance(iterable, RangeValue):
            self._with_recarry(node, lambda extra: self._for_range(node, iterable, extra))
        elif is_array(iterable):
            # `for row in x`: a loop over the first axis, reading x[k] in each iteration.
            array = tensors.materialize(iterable)
            if array.ndim == 0:
                raise TypeMismatchError("iteration over a 0-d array")
            rows = RangeValue(Const(0), Const(array.shape[0]), Const(1))
            item = lambda k: array_indexing.get_item(array, [k])  # noqa: E731
            self._with_recarry(node, lambda extra: self._for_range(node, rows, extra, item))
        else:
            self._for_unrolled(node, static_items(iterable))

    def _with_recarry(self, node: ast.AST, build: Callable[[list[str]], None]) -> None:
        """Builds a loop, rebuilding it when its body turns out to change more variables."""
        extra: list[str] = []
        while True:
            try:
                build(extra)
                return
            except Recarry as recarry:
                if recarry.loop is not node:
                    raise
                if set(recarry.names) <= set(extra):
                    raise InternalCompilerError(f"loop variables {recarry.names} could not be carried (a bug in dp)")
                extra.extend(recarry.names)

    def _exits(self, node: ast.While | ast.For) -> tuple[bool, bool]:
        """Whether a loop body breaks out of this loop, and whether it may return."""
        return contains(node.body, (ast.Break,), own_loop=True), contains(node.body, (ast.Return, ast.Raise), own_loop=False)

    def _assigned(self, node: ast.While | ast.For) -> list[str]:
        targets = list(stored_names(node.target)) if isinstance(node, ast.For) else []
        return list(dict.fromkeys(targets + assigned_names(node.body)))

    def _carry(
        self, node: ast.While | ast.For, extra: list[str], has_break: bool, has_return: bool, counter: bool
    ) -> _Carry:
        """The loop's iteration variables with their entry values, materialized before the loop."""
        head = self.liveness.head(node)
        names = [
            name
            for name in dict.fromkeys(self._assigned(node) + extra)
            if (name in head or name in extra) and isinstance(self.env.get(name), Binding)
        ]
        entries = [self.env[name].value for name in names]
        lines = [self.env[name].line for name in names]
        internal: list[tuple[str, Any]] = []
        if counter:
            internal.append((COUNTER, Const(0)))
        if has_break:
            internal.append((BROKE, Const(False)))
        if has_return:
            if self.record.result_spec is None:
                if not self.probe:
                    raise ReturnTypeUnknown(self.record)
            else:
                internal.append((RETURNED, self.flag(RETURNED)))
                result = self.env.get(RESULT)
                if isinstance(result, Binding):
                    internal.append((RESULT, result.value))
                else:
                    spec = self.record.result_spec
                    internal.append((RESULT, from_spec(spec, iter([zero_leaf(k) for k in pytree.leaf_kinds(spec)]))))
        for name, value in internal:
            names.append(name)
            entries.append(value)
            lines.append(self.line(node))
        entries = [map_leaves(tensors.materialize, dynamic(entry)) for entry in entries]
        return _Carry(names, entries, lines)

    def _bind_carried(self, carry: _Carry, arguments: Any) -> None:
        args = iter(list(arguments))
        for name, entry, line in zip(carry.names, carry.entries, carry.lines):
            leaves = [make_leaf(next(args), leaf.kind, like=leaf) for leaf in number_leaves(entry)]
            self.env[name] = Binding(rebuild(entry, iter(leaves)), line)

    def _loop_condition(self, test: Callable[[], Any]) -> Any:
        """The loop's condition: false once a break or return flag is set, else `test()`."""
        stop = scalars.any_of([self.flag(BROKE), self.flag(RETURNED)])
        if isinstance(stop, Const):
            return test()
        return self.if_value(scalars.logical_not(stop), test, lambda: Const(False))

    def _loop_body(
        self, node: ast.While | ast.For, outer: Env, carry: _Carry, arguments: Any, setup: Callable[[], None]
    ) -> None:
        """Imports one iteration into the current block and yields the carried variables."""
        self.env = dict(outer)
        self._bind_carried(carry, arguments)
        for name in (BROKE, RETURNED):
            if name in carry.names:
                self.env[name] = FALSE
        self.env[CONTINUED] = FALSE
        setup()
        saved, self.loop_live = self.loop_live, self.liveness.head(node)
        try:
            self.import_block(node.body)
        finally:
            self.loop_live = saved
        self.env.pop(DEAD, None)
        head = self.liveness.head(node)
        changed = [
            name
            for name, binding in outer.items()
            if isinstance(binding, Binding)
            and not is_internal(name)
            and name not in carry.names
            and name in head
            and self.env.get(name) is not binding
        ]
        if changed:
            raise Recarry(node, changed)
        scf.YieldOp(self._carried_values(carry))

    def _carried_values(self, carry: _Carry) -> list[ir.Value]:
        values: list[ir.Value] = []
        for name, entry, line in zip(carry.names, carry.entries, carry.lines):
            binding = self.env.get(name, FALSE if name in FLAGS else None)
            if isinstance(binding, Unbound):
                binding.raise_error()
            try:
                leaves = match(entry, binding.value)
            except Mismatch as mismatch:
                if changes_length(entry, binding.value):
                    raise GrowingContainer(name, entry, binding.value) from None
                raise TypeMismatchError(
                    f"variable '{name}' has type {mismatch.left} before the loop (line {line}) but {mismatch.right} "
                    f"at the end of the loop body (line {binding.line}); a variable the loop carries must keep one type"
                    f"{mismatch.hint}"
                ) from None
            values.extend(tensors.leaf_value(leaf) for leaf in leaves)
        return values

    def _after_loop(self, node: ast.While | ast.For, outer: Env, carry: _Carry, results: Any) -> None:
        self.env = dict(outer)
        self._bind_carried(carry, results)
        for name in (BROKE, CONTINUED, COUNTER):
            if name in outer:
                self.env[name] = outer[name]
            else:
                self.env.pop(name, None)
        loop_line = self.line(node)
        for name in self._assigned(node):
            if name in carry.names:
                continue
            if isinstance(outer.get(name), Binding):
                self.env[name] = Unbound(InternalCompilerError, f"variable '{name}' was dropped as dead (a bug in dp)")
            else:
                self.env[name] = Unbound(
                    UnsupportedSyntaxError,
                    f"variable '{name}' is assigned inside the loop at line {loop_line} but not before it, so it has "
                    "no value when the loop body does not run; assign it before the loop",
                )

    def _build_loop(self, node: ast.While | ast.For, outer: Env, op: Any, build: Callable[[], None]) -> None:
        """Runs `build`, erasing the half-built loop if its variables must be recomputed."""
        try:
            build()
        except (Recarry, GrowingContainer):
            self.env = outer
            op.operation.erase()
            raise

    def _while(self, node: ast.While, extra: list[str]) -> None:
        has_break, has_return = self._exits(node)
        outer = self.env
        carry = self._carry(node, extra, has_break, has_return, counter=False)
        op = scf.WhileOp(carry.types, carry.operands)
        before = op.before.blocks.append(*carry.types)
        after = op.after.blocks.append(*carry.types)
        constant_test: list[Any] = []

        def build() -> None:
            with ir.InsertionPoint(before):
                self.env = dict(outer)
                self._bind_carried(carry, before.arguments)

                def test() -> Any:
                    value = scalars.truth(self.visit(node.test))
                    constant_test.append(value)
                    return value

                cond = scalars.as_scalar(self._loop_condition(test))
                scf.ConditionOp(cond.value, list(before.arguments))
            with ir.InsertionPoint(after):
                self._loop_body(node, outer, carry, after.arguments, lambda: None)

        self._build_loop(node, outer, op, build)
        self._after_loop(node, outer, carry, op.results)
        endless = any(isinstance(value, Const) and value.value for value in constant_test)
        if endless and not has_break:
            # The loop only ends by returning.
            self.env[RETURNED] = TRUE
            if not isinstance(self.env.get(RESULT), Binding):
                self.env[DEAD] = TRUE

    def _range_bounds(self, rng: RangeValue) -> tuple[Any, Any, Any]:
        bounds = []
        for part in (rng.start, rng.stop, rng.step):
            if not (isinstance(part, (Scalar, Const)) and part.kind in (int, bool)):
                raise TypeMismatchError(f"range() arguments must be integers, not {describe(part)}")
            bounds.append(scalars.convert(part, int))
        if isinstance(bounds[2], Const) and bounds[2].value == 0:
            raise ShapeError("range() step must not be zero")
        return bounds[0], bounds[1], bounds[2]

    def _for_range(
        self, node: ast.For, rng: RangeValue, extra: list[str], item: Callable[[Any], Any] | None = None
    ) -> None:
        start, stop, step = self._range_bounds(rng)
        trip = trip_count(start, stop, step)
        has_break, has_return = self._exits(node)
        outer = self.env

        def bind_target(k: Any) -> None:
            value = affine(start, k, step)
            self.assign(node.target, value if item is None else item(value), node)

        if not has_break and not has_return:
            carry = self._carry(node, extra, False, False, counter=False)
            index = ir.IndexType.get()
            lower = arith.ConstantOp(index, 0).result
            one = arith.ConstantOp(index, 1).result
            upper = arith.index_cast(index, scalars.as_scalar(trip).value)
            op = scf.ForOp(lower, upper, one, carry.operands)

            def build() -> None:
                with ir.InsertionPoint(op.body):
                    k = Scalar(arith.index_cast(mlir_type(int), op.induction_variable), int)
                    self._loop_body(node, outer, carry, op.inner_iter_args, lambda: bind_target(k))

            self._build_loop(node, outer, op, build)
            self._after_loop(node, outer, carry, op.results)
            return
        carry = self._carry(node, extra, has_break, has_return, counter=True)
        op = scf.WhileOp(carry.types, carry.operands)
        before = op.before.blocks.append(*carry.types)
        after = op.after.blocks.append(*carry.types)

        def setup() -> None:
            k = self.env[COUNTER].value
            self.env[COUNTER] = Binding(operators.binary(ast.Add, k, Const(1)), 0)
            bind_target(k)

        def build() -> None:
            with ir.InsertionPoint(before):
                self.env = dict(outer)
                self._bind_carried(carry, before.arguments)
                running = operators.compare(ast.Lt, self.env[COUNTER].value, trip)
                stop = scalars.any_of([self.flag(BROKE), self.flag(RETURNED)])
                cond = scalars.as_scalar(scalars.logical("and", scalars.logical_not(stop), running))
                scf.ConditionOp(cond.value, list(before.arguments))
            with ir.InsertionPoint(after):
                self._loop_body(node, outer, carry, after.arguments, setup)

        self._build_loop(node, outer, op, build)
        self._after_loop(node, outer, carry, op.results)

    def _for_unrolled(self, node: ast.For, items: tuple) -> None:
        """A loop over a sequence of known length: one copy of the body per item.

        After a possible break or return, each later iteration is guarded on
        its own (a flat sequence of scf.ifs rather than one nested in the next).
        """
        outer_flags = {name: self.env.get(name) for name in (BROKE, CONTINUED)}
        self.env[BROKE] = FALSE
        saved, self.loop_live = self.loop_live, self.liveness.head(node)
        try:
            for item in items:
                stop = [self.flag(BROKE), self.flag(RETURNED)]
                if any(isinstance(f, Const) and f.value for f in stop):
                    break
                if any(isinstance(f, Scalar) for f in stop):
                    self.guard(lambda item=item: self._iteration(node, item), self.liveness.head(node))
                else:
                    self._iteration(node, item)
        finally:
            self.loop_live = saved
        for name, binding in outer_flags.items():
            if binding is None:
                self.env.pop(name, None)
            else:
                self.env[name] = binding
        self.env.pop(DEAD, None)

    def _iteration(self, node: ast.For, item: Any) -> None:
        self.env[CONTINUED] = FALSE
        self.assign(node.target, item, node)
        self.import_block(node.body)
        self.env.pop(CONTINUED, None)
        self.env.pop(DEAD, None)
