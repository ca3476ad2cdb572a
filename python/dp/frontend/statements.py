"""Simple statements: assignments (plain, augmented, unpacking, item and attribute) and expressions."""

from __future__ import annotations

import ast
from typing import Any

from dp.errors import ShapeError, TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import array_indexing, containers, gather, indexing, objects, operators, tensors
from dp.frontend.scope import Binding, Unbound
from dp.frontend.values import (
    Array,
    BoundFunction,
    BoundMethod,
    ListValue,
    RecordValue,
    Text,
    check_array_mutable,
    check_mutable,
    contains_ident,
    describe,
    is_array,
    is_frozen_dataclass,
    replace_ident,
    with_items,
)


def _kind_order(dtype: str) -> int:
    return {"bool": 0, "int32": 1, "int64": 1, "float32": 2, "float64": 2}[dtype]


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
        self.rebind_closures(name, value)

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
            if isinstance(current, ListValue) and isinstance(node.op, ast.Add):
                containers.extend_in_place(self, current, self.visit(node.value), node)
                return
            result = operators.binary(type(node.op), current, self.visit(node.value))
            if is_array(current):
                self._update_array(current, result, node)
            else:
                self.bind(target.id, result, node)
        elif isinstance(target, ast.Subscript) and is_array(base := self.visit(target.value)):
            components = self.array_index(target.slice)
            if gather.has_runtime_mask(components):  # x[mask] op= v: np.where(mask, x op v, x)
                check_array_mutable(base)
                self.replace_container(
                    base, gather.masked_update(base, components, type(node.op), self.visit(node.value)), node
                )
                return
            current = array_indexing.get_item(base, components)
            result = operators.binary(type(node.op), current, self.visit(node.value))
            check_array_mutable(base)
            self.replace_container(base, array_indexing.set_item(base, components, result), node)
        elif isinstance(target, ast.Subscript):
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
            base = self.visit(target.value)
            if is_array(base):
                components = self.array_index(target.slice)
                check_array_mutable(base)
                self.replace_container(base, array_indexing.set_item(base, components, value), node)
                return
            if isinstance(target.slice, ast.Slice):
                raise UnsupportedSyntaxError("unsupported syntax: assignment to a slice")
            self._store_item(base, self.visit(target.slice), value, node)
        elif isinstance(target, ast.Attribute):
            self._store_attribute(self.visit(target.value), target.attr, value, node)
        else:
            self.generic_visit(target)

    def _unpack(self, target: ast.Tuple | ast.List, value: Any, node: ast.AST) -> None:
        if isinstance(value, (BoundMethod, BoundFunction)):
            raise TypeMismatchError(f"cannot unpack {describe(value)}")
        items = containers.static_trip_items(value)
        if items is None:
            raise TypeMismatchError(f"cannot unpack {describe(value)} with runtime bounds: its length is not known")
        for element, item in containers.split_starred(target.elts, items, value):
            self.assign(element, item, node)

    def _store_item(self, base: Any, index: Any, value: Any, node: ast.AST) -> None:
        check_mutable(base, "an item")
        self.replace_container(base, indexing.set_item(base, index, value), node)

    def _store_attribute(self, base: Any, name: str, value: Any, node: ast.AST) -> None:
        if not isinstance(base, RecordValue) or base.is_namedtuple:
            raise TypeMismatchError(f"cannot assign to attribute '{name}' of {describe(base)}")
        if objects.store_attribute(self, base, name, value, node):
            return
        if name not in base.fields:
            raise UnsupportedSyntaxError(f"{base.cls.__name__} has no field '{name}'")
        if is_frozen_dataclass(base.cls):
            raise TypeMismatchError(f"cannot assign to field '{name}' of the frozen dataclass {base.cls.__name__}")
        check_mutable(base, f"field '{name}'")
        items = tuple(value if field == name else item for field, item in zip(base.fields, base.items))
        self.replace_container(base, with_items(base, items), node)

    def _update_array(self, current: Any, result: Any, node: ast.AugAssign) -> None:
        """`a op= b` for an array `a`: numpy writes the result into `a` (its aliases see it)."""
        check_array_mutable(current)
        result = tensors.as_array(tensors.operand(result))
        if result.shape != current.shape:
            raise ShapeError(
                f"non-broadcastable output operand with shape {current.shape} doesn't match the broadcast shape "
                f"{result.shape}"
            )
        dtype = current.dtype
        if result.dtype != dtype and _kind_order(result.dtype) > _kind_order(dtype):
            raise TypeMismatchError(
                f"cannot cast the result of an in-place operation from {result.dtype} to the array's dtype {dtype} "
                "(numpy's same-kind rule); write `a = a op b` to get a new array"
            )
        new = tensors.cast(result, dtype)
        self.replace_container(
            current, Array(new.value, current.spec, current.ident, current.readonly, current.base), node
        )

    def replace_container(self, old: Any, new: Any, node: ast.AST) -> None:
        """Rebinds every variable that holds the container `old` (an alias sees the mutation).

        Writing into an array also invalidates the views taken from it
        (slices, transposes, reshapes): numpy's views would see the write, dp's
        arrays are values, so reading such a view afterwards is an error.
        """
        line = self.line(node)
        self.mutated_idents.add(old.ident)
        for name, binding in list(self.env.items()):
            if isinstance(binding, Binding) and contains_ident(binding.value, old.ident):
                self.env[name] = Binding(replace_ident(binding.value, old.ident, new), line)
            elif (
                isinstance(binding, Binding)
                and isinstance(binding.value, Array)
                and binding.value.base is not None
                and binding.value.base == old.ident
            ):
                self.env[name] = Unbound(
                    UnsupportedSyntaxError,
                    f"'{name}' is a view of an array that was written to at line {line} after '{name}' was taken "
                    f"(at line {binding.line}); numpy's view would see the write, dp's arrays are values: take the "
                    f"view again after the write, or take a copy (`.copy()`) instead of a view if you meant the old values",
                )
