"""List, set, dict and generator comprehensions, unrolled over sequences of known length.

A comprehension runs in its own scope (Python 3): its targets are bound
while its element is evaluated and the enclosing variables of the same
names are restored afterwards. Every `for` clause iterates over a sequence
whose length is known at compile time (a tuple, list or dict, a range with
constant bounds, the rows of an array) and every `if` clause must be decided
at compile time, so the result's length is known; a generator expression is
the tuple of its items (dp's consumers, `sum`, `any`, `np.array`, ..., only
iterate over it once).
"""

from __future__ import annotations

import ast
from typing import Any, Callable

from dp.errors import TypeMismatchError
from dp.frontend import scalars
from dp.frontend.iteration import static_items
from dp.frontend.liveness import stored_names
from dp.frontend.values import Const, DictValue, ListValue, RangeValue, TupleValue, describe

_MISSING = object()


def _static_iterable(value: Any) -> tuple:
    """The items a comprehension's `for` clause iterates over, with a message naming the clause when unknown."""
    if isinstance(value, RangeValue) and not all(
        isinstance(part, Const) for part in (value.start, value.stop, value.step)
    ):
        raise TypeMismatchError(
            "a comprehension over range() with runtime bounds: dp needs the number of items at compile time; "
            "make the bounds compile-time constants (e.g. static arguments) or use numpy operations on arrays"
        )
    return static_items(value)


class ComprehensionVisitor:
    """Visitors of the four comprehension forms."""

    def visit_ListComp(self, node: ast.ListComp) -> ListValue:
        return ListValue(tuple(self._comprehend(node, lambda: self.visit(node.elt))))

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> TupleValue:
        return TupleValue(tuple(self._comprehend(node, lambda: self.visit(node.elt))))

    def visit_SetComp(self, node: ast.SetComp) -> Const:
        items = self._comprehend(node, lambda: self.visit(node.elt))
        return constant_set(items, "set comprehension")

    def visit_DictComp(self, node: ast.DictComp) -> DictValue:
        pairs = self._comprehend(node, lambda: (self.visit(node.key), self.visit(node.value)))
        entries: dict[Any, Any] = {}
        for key, value in pairs:
            entries[dict_key(key)] = value
        return DictValue(tuple(entries), tuple(entries.values()))

    def _comprehend(self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp, element: Callable[[], Any]) -> list:
        """The elements a comprehension produces, each `element()` evaluated with the targets bound."""
        names = set().union(*(stored_names(generator.target) for generator in node.generators))
        saved = {name: self.env.get(name, _MISSING) for name in names}
        out: list = []
        try:
            self._clauses(node.generators, element, out)
        finally:
            for name, binding in saved.items():
                if binding is _MISSING:
                    self.env.pop(name, None)
                else:
                    self.env[name] = binding
        return out

    def _clauses(self, generators: list[ast.comprehension], element: Callable[[], Any], out: list) -> None:
        generator, rest = generators[0], generators[1:]
        if generator.is_async:
            raise TypeMismatchError("asynchronous comprehensions are not supported")
        for item in _static_iterable(self.visit(generator.iter)):
            self.assign(generator.target, item, generator.target)
            if not all(self._keeps(condition) for condition in generator.ifs):
                continue
            if rest:
                self._clauses(rest, element, out)
            else:
                out.append(element())

    def _keeps(self, condition: ast.expr) -> bool:
        """Whether an `if` clause keeps the current item; it must be known at compile time."""
        truth = scalars.truth(self.visit(condition))
        if not isinstance(truth, Const):
            raise TypeMismatchError(
                f"the condition `{ast.unparse(condition)}` of this comprehension depends on runtime values, so the "
                "number of items is not known at compile time; keep every item and choose its value instead "
                "(`[x if c else 0.0 for ...]`, or np.where on an array)"
            )
        return bool(truth.value)


def dict_key(key: Any) -> Any:
    """A dict key as dp keeps it: a compile-time string or int."""
    if not isinstance(key, Const) or not isinstance(key.value, (str, int)) or isinstance(key.value, bool):
        raise TypeMismatchError(f"dict keys must be compile-time strings or ints, not {describe(key)}")
    return key.value


def constant_set(items: list, what: str) -> Const:
    """A set of compile-time values (dp cannot deduplicate runtime values at compile time)."""
    if not all(isinstance(item, Const) for item in items):
        runtime = next(item for item in items if not isinstance(item, Const))
        raise TypeMismatchError(
            f"a {what} of runtime values ({describe(runtime)}): dp builds sets only of compile-time values, since "
            "which items are duplicates is not known before the run; use a list or a tuple"
        )
    try:
        return Const(frozenset(item.value for item in items))
    except TypeError as error:
        raise TypeMismatchError(f"a {what} of unhashable values: {error}") from None


__all__ = ["ComprehensionVisitor", "constant_set", "dict_key"]
