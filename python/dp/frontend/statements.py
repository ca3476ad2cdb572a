"""Simple statements: assignments (plain, augmented, unpacking, item and attribute) and expressions."""

from __future__ import annotations

import ast
from typing import Any

from dp.errors import TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import indexing, operators
from dp.frontend.iteration import static_items
from dp.frontend.scope import Binding
from dp.frontend.values import (
    BoundFunction,
    BoundMethod,
    RangeValue,
    RecordValue,
    Text,
    check_mutable,
    contains_ident,
    describe,
    is_frozen_dataclass,
    replace_ident,
    with_items,
)


class StatementVisitor:
    """Visitors of statements that do not change control flow."""

    def line(self, node: ast.AST) -> int:
        """The file line of a node."""
        return self.source.position(node)[0]

    def bind(self, name: str, value: Any, node: ast.AST) -> None:
        """Makes `name` refer to `value` from here on."""
        if isinstance(value, Text):
            raise UnsupportedSyntaxError("f-strings with runtime values can only be passed to print()")
        self.env[name] = Binding(value, self.line(node))

    def visit_Expr(self, node: ast.Expr) -> None:
        self.visit(node.value)

    def visit_Pass(self, node: ast.Pass) -> None:
        return None

    def visit_Assign(self, node: ast.Assign) -> None:
        value = self.visit(node.value)
        for target in node.targets:
            self.assign(target, value, node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.assign(node.target, self.visit(node.value), node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        target = node.target
        if isinstance(target, ast.Name):
            current = self.lookup(target.id)
            self.bind(target.id, operators.binary(type(node.op), current, self.visit(node.value)), node)
        elif isinstance(target, ast.Subscript):
            base = self.visit(target.value)
            index = self.visit(target.slice)
            current = indexing.get_item(base, index)
            self._store_item(base, index, operators.binary(type(node.op), current, self.visit(node.value)), node)
        elif isinstance(target, ast.Attribute):
            base = self.visit(target.value)
            current = self.get_attribute(base, target.attr)
            self._store_attribute(
                base, target.attr, operators.binary(type(node.op), current, self.visit(node.value)), node
            )
        else:
            self.generic_visit(target)

    def assign(self, target: ast.expr, value: Any, node: ast.AST) -> None:
        """Stores `value` into an assignment target."""
        if isinstance(target, ast.Name):
            self.bind(target.id, value, node)
        elif isinstance(target, (ast.Tuple, ast.List)):
            self._unpack(target, value, node)
        elif isinstance(target, ast.Subscript):
            if isinstance(target.slice, ast.Slice):
                raise UnsupportedSyntaxError("unsupported syntax: assignment to a slice")
            base = self.visit(target.value)
            self._store_item(base, self.visit(target.slice), value, node)
        elif isinstance(target, ast.Attribute):
            self._store_attribute(self.visit(target.value), target.attr, value, node)
        else:
            self.generic_visit(target)

    def _unpack(self, target: ast.Tuple | ast.List, value: Any, node: ast.AST) -> None:
        if any(isinstance(element, ast.Starred) for element in target.elts):
            raise UnsupportedSyntaxError("unsupported syntax: starred assignment target")
        if isinstance(value, (RangeValue, BoundMethod, BoundFunction)):
            raise TypeMismatchError(f"cannot unpack {describe(value)}")
        items = static_items(value)
        if len(items) != len(target.elts):
            raise TypeMismatchError(
                f"cannot unpack {describe(value)} into {len(target.elts)} targets: it has {len(items)} items"
            )
        for element, item in zip(target.elts, items):
            self.assign(element, item, node)

    def _store_item(self, base: Any, index: Any, value: Any, node: ast.AST) -> None:
        check_mutable(base, "an item")
        self.replace_container(base, indexing.set_item(base, index, value), node)

    def _store_attribute(self, base: Any, name: str, value: Any, node: ast.AST) -> None:
        if not isinstance(base, RecordValue) or base.is_namedtuple:
            raise TypeMismatchError(f"cannot assign to attribute '{name}' of {describe(base)}")
        if name not in base.fields:
            raise UnsupportedSyntaxError(f"{base.cls.__name__} has no field '{name}'")
        if is_frozen_dataclass(base.cls):
            raise TypeMismatchError(f"cannot assign to field '{name}' of the frozen dataclass {base.cls.__name__}")
        check_mutable(base, f"field '{name}'")
        items = tuple(value if field == name else item for field, item in zip(base.fields, base.items))
        self.replace_container(base, with_items(base, items), node)

    def replace_container(self, old: Any, new: Any, node: ast.AST) -> None:
        """Rebinds every variable that holds the container `old` (an alias sees the mutation)."""
        line = self.line(node)
        for name, binding in list(self.env.items()):
            if isinstance(binding, Binding) and contains_ident(binding.value, old.ident):
                self.env[name] = Binding(replace_ident(binding.value, old.ident, new), line)
