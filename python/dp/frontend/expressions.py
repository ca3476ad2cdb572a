"""Expressions: names, constants, attributes, subscripts, displays and operators."""

from __future__ import annotations

import ast
import inspect
import types
from typing import Any, Callable

from dp.errors import TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import array_indexing, containers, indexing, merge, numpy_functions, operators, scalars, tensors
from dp.frontend import comprehensions, objects
from dp.frontend import complex_arrays, complex_numbers
from dp.frontend.calls import is_pure_callable
from dp.frontend.merge import Mismatch
from dp.frontend.scope import Binding, Unbound
from dp.frontend.values import (
    ComplexValue,
    BoundFunction,
    BoundMethod,
    Const,
    DictValue,
    ListValue,
    RecordValue,
    Scalar,
    Text,
    TupleValue,
    describe,
    from_python,
    is_array,
    is_number,
)

_MISSING = object()
_DICT_METHODS = containers.DICT_METHODS
_LIST_METHODS = containers.LIST_METHODS


class ExpressionVisitor:
    """Visitors returning the importer's value of an expression."""

    # -- names --------------------------------------------------------------------------------

    def lookup(self, name: str) -> Any:
        """The value of a variable: a local, else a closure cell, global or builtin."""
        binding = self.env.get(name)
        if isinstance(binding, Binding):
            return binding.value
        if isinstance(binding, Unbound):
            binding.raise_error()
        if name in self.local_names:
            raise UnsupportedSyntaxError(f"local variable '{name}' is read before it is assigned")
        return self.nonlocals.lookup(name)

    def visit_Name(self, node: ast.Name) -> Any:
        return self.lookup(node.id)

    def visit_Constant(self, node: ast.Constant) -> Any:
        if isinstance(node.value, complex):
            return complex_numbers.constant(node.value)
        return Const(node.value)

    # -- attributes and subscripts ------------------------------------------------------------

    def visit_Attribute(self, node: ast.Attribute) -> Any:
        return self.get_attribute(self.visit(node.value), node.attr)

    def get_attribute(self, base: Any, name: str) -> Any:
        """`base.name` for records, dicts, lists, arrays and compile-time objects (modules, classes)."""
        if isinstance(base, ComplexValue) or (
            name in complex_arrays.REAL_ATTRIBUTES and (is_number(base) or is_array(base))
        ):
            if name in complex_arrays.METHOD_NAMES:
                return BoundMethod(base, name)
            return complex_arrays.attribute(base, name)
        if is_array(base):
            if name in numpy_functions.ARRAY_METHODS:
                return BoundMethod(base, name)
            return numpy_functions.array_attribute(base, name)
        if isinstance(base, RecordValue):
            if name in base.fields:
                return base.get(name)
            return objects.class_attribute(self, base, name) or self._class_attribute(base, name)
        if isinstance(base, objects.SuperValue):
            return objects.super_attribute(self, base, name)
        if isinstance(base, DictValue) and name in _DICT_METHODS:
            return BoundMethod(base, name)
        if isinstance(base, ListValue) and name in _LIST_METHODS:
            return BoundMethod(base, name)
        if isinstance(base, Const) and base.kind is None:
            try:
                attribute = getattr(base.value, name)
            except AttributeError:
                raise UnsupportedSyntaxError(f"{describe(base)} has no attribute '{name}'") from None
            return from_python(attribute, f"'{name}'")
        raise UnsupportedSyntaxError(f"attribute '{name}' of {describe(base)} is not supported")

    def _class_attribute(self, record: RecordValue, name: str) -> Any:
        attribute = inspect.getattr_static(record.cls, name, _MISSING)
        if isinstance(attribute, property) and attribute.fget is not None:
            return self.call_function(attribute.fget, [record], {})
        if isinstance(attribute, staticmethod):
            return Const(attribute.__func__)
        if isinstance(attribute, types.FunctionType):
            return BoundFunction(attribute, record)
        if attribute is _MISSING or isinstance(attribute, classmethod):
            raise UnsupportedSyntaxError(f"{record.cls.__name__} has no field '{name}' that dp can read")
        return from_python(attribute, f"{record.cls.__name__}.{name}")

    def visit_Subscript(self, node: ast.Subscript) -> Any:
        base = self.visit(node.value)
        if isinstance(base, ComplexValue):
            return complex_arrays.get_item(base, self.array_index(node.slice))
        if is_array(base):
            return array_indexing.get_item(base, self.array_index(node.slice))
        if isinstance(node.slice, ast.Slice):
            bounds = [
                None if part is None else self.visit(part)
                for part in (node.slice.lower, node.slice.upper, node.slice.step)
            ]
            return indexing.get_slice(base, *bounds)
        return indexing.get_item(base, self.visit(node.slice))

    def array_index(self, node: ast.expr) -> list[Any]:
        """The components of an array subscript: ints, slices, None and Ellipsis."""
        elements = node.elts if isinstance(node, ast.Tuple) else [node]
        components: list[Any] = []
        for element in elements:
            if isinstance(element, ast.Slice):
                bounds = [
                    None if part is None else self.visit(part) for part in (element.lower, element.upper, element.step)
                ]
                components.append(array_indexing.SliceIndex(*bounds))
                continue
            value = self.visit(element)
            if isinstance(value, TupleValue) and not isinstance(node, ast.Tuple):
                components.extend(array_indexing.component(item) for item in value.items)
            else:
                components.append(array_indexing.component(value))
        return components

    # -- displays -------------------------------------------------------------------------------

    def visit_Tuple(self, node: ast.Tuple) -> TupleValue:
        return TupleValue(containers.display_items(self, node.elts))

    def visit_List(self, node: ast.List) -> ListValue:
        return ListValue(containers.display_items(self, node.elts))

    def visit_Set(self, node: ast.Set) -> Const:
        return comprehensions.constant_set(list(containers.display_items(self, node.elts)), "set display")

    def visit_Dict(self, node: ast.Dict) -> DictValue:
        parts = [
            (None if key is None else self.visit(key), self.visit(value)) for key, value in zip(node.keys, node.values)
        ]
        return containers.merged_dict(parts)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> Any:
        parts: list[Any] = []
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                parts.append(self._formatted(part))
            else:
                parts.append(self.visit(part))
        if all(isinstance(part, Const) for part in parts):
            return Const("".join(str(part.value) for part in parts))
        return Text(tuple(parts))

    def _formatted(self, node: ast.FormattedValue) -> Any:
        value = self.visit(node.value)
        spec = None if node.format_spec is None else self.visit(node.format_spec)
        if isinstance(value, Const) and (spec is None or isinstance(spec, Const)):
            converted = {
                -1: value.value,
                ord("s"): str(value.value),
                ord("r"): repr(value.value),
                ord("a"): ascii(value.value),
            }[node.conversion]
            return Const(format(converted, "" if spec is None else spec.value))
        if spec is not None or node.conversion not in (-1, ord("s")):
            raise UnsupportedSyntaxError("format specifications and conversions of runtime values are not supported")
        return value

    # -- operators --------------------------------------------------------------------------------

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        return self.binary_values(type(node.op), self.visit(node.left), self.visit(node.right))

    def binary_values(self, op: type[ast.operator], left: Any, right: Any) -> Any:
        """`left op right` of two values (also operator.add and its kin)."""
        overloaded = objects.binary(self, op, left, right)
        if overloaded is not objects.NOT_AN_OBJECT:
            return overloaded
        if op is ast.MatMult and not complex_numbers.involves(left, right):
            return tensors.matmul(left, right)
        return operators.binary(op, left, right)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Any:
        return self.unary_value(type(node.op), self.visit(node.operand))

    def unary_value(self, op: type[ast.unaryop], operand: Any) -> Any:
        """`op operand` of a value (also operator.neg and its kin)."""
        overloaded = objects.unary(self, op, operand)
        if overloaded is not objects.NOT_AN_OBJECT:
            return overloaded
        if op is ast.USub:
            return operators.negate(operand)
        if op is ast.UAdd:
            return operators.positive(operand)
        if op is ast.Not:
            return scalars.logical_not(operand)
        return operators.invert(operand)

    def visit_Compare(self, node: ast.Compare) -> Any:
        return self._compare_chain(self.visit(node.left), list(zip(node.ops, node.comparators)))

    def _compare_chain(self, left: Any, rest: list[tuple[ast.cmpop, ast.expr]]) -> Any:
        """`a < b < c` is `(a < b) and (b < c)` with b evaluated once and c only if needed."""
        op, right_node = rest[0]
        right = self.visit(right_node)
        current = operators.compare(type(op), left, right)
        if len(rest) == 1:
            return current
        if isinstance(current, Const):
            return self._compare_chain(right, rest[1:]) if current.value else Const(False)
        if all(self.is_pure(comparator) for _, comparator in rest[1:]):
            return scalars.logical("and", current, self._compare_chain(right, rest[1:]))
        return self.if_value(current, lambda: self._compare_chain(right, rest[1:]), lambda: Const(False))

    def visit_BoolOp(self, node: ast.BoolOp) -> Any:
        return self._bool_chain("and" if isinstance(node.op, ast.And) else "or", node.values)

    def _bool_chain(self, op: str, operands: list[ast.expr]) -> Any:
        """`and`/`or` returning one of the operands, evaluating the right side only when needed.

        The right side is evaluated unconditionally (and combined with
        `andi`/`ori` or a select) when it has no side effects; otherwise an
        scf.if keeps Python's short circuit.
        """
        first = self.visit(operands[0])
        if len(operands) == 1:
            return first
        cond = scalars.truth(first)
        if isinstance(cond, Const):
            decided = (not cond.value) if op == "and" else cond.value
            return first if decided else self._bool_chain(op, operands[1:])
        rest: Callable[[], Any] = lambda: self._bool_chain(op, operands[1:])
        if all(self.is_pure(operand) for operand in operands[1:]):
            second = rest()
            if _is_bool(first) and _is_bool(second):
                return scalars.logical(op, first, second)
            chosen = (second, first) if op == "and" else (first, second)
            return self.select_values(cond, *chosen)
        if op == "and":
            return self.if_value(cond, rest, lambda: first)
        return self.if_value(cond, lambda: first, rest)

    def select_values(self, cond: Any, if_true: Any, if_false: Any) -> Any:
        """A leafwise select between two values that must have the same type."""
        try:
            return merge.select(cond, if_true, if_false)
        except Mismatch as mismatch:
            raise TypeMismatchError(
                f"both sides must have the same type, but they are {mismatch.left} and {mismatch.right}"
            ) from None

    def visit_IfExp(self, node: ast.IfExp) -> Any:
        cond = scalars.truth(self.visit(node.test))
        if isinstance(cond, Const):
            return self.visit(node.body if cond.value else node.orelse)
        return self.if_value(cond, lambda: self.visit(node.body), lambda: self.visit(node.orelse))

    # -- purity -------------------------------------------------------------------------------------

    def is_pure(self, node: ast.expr) -> bool:
        """Whether evaluating `node` has no side effect (no print, no call to a user function)."""
        for child in ast.walk(node):
            if isinstance(child, ast.Call) and not self._pure_callee(child.func):
                return False
        return True

    def _pure_callee(self, func: ast.expr) -> bool:
        target = self._static_object(func)
        return target is not _MISSING and is_pure_callable(target)

    def _static_object(self, node: ast.expr) -> Any:
        """The Python object a callee expression names, when known without building IR."""
        if isinstance(node, ast.Name):
            binding = self.env.get(node.id)
            if binding is None and node.id not in self.local_names:
                value = self.nonlocals.find(node.id)
            elif isinstance(binding, Binding):
                value = binding.value
            else:
                return _MISSING
            return value.value if isinstance(value, Const) else _MISSING
        if isinstance(node, ast.Attribute):
            base = self._static_object(node.value)
            if base is _MISSING:
                return _MISSING
            return getattr(base, node.attr, _MISSING)
        return _MISSING


def _is_bool(value: Any) -> bool:
    return (isinstance(value, Scalar) and value.kind is bool) or (
        isinstance(value, Const) and isinstance(value.value, bool)
    )
