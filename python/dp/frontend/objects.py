"""Objects in compiled code: plain class instances, and mutation that reaches the caller.

An instance of a plain class (dp.frontend.instances) is a RecordValue whose
fields are its attributes (NodeKind.OBJECT): attributes read, set and added
like a dataclass's fields, methods, properties, class attributes and
inheritance resolved on the class at compile time.

Values are immutable in the importer, and each Python function is its own
func.func, so a callee's mutation of an argument (`self.x = ...` in a
method, `xs.append(v)` in a helper) reaches the caller by *write-back*: a
parameter the callee may mutate (by the AST: a store into it, a method
called on it, the parameter passed on to a call) and never rebinds is
returned after the result, at every return, and the caller rebinds the
argument it passed (`replace_container`, so aliases see it). Constructing
`Point(x, y)` is the same: `__init__` is compiled with a fresh, empty
instance as `self` and returns what it made of it.
"""

from __future__ import annotations

import ast
import builtins
import inspect
import types
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Iterator

from dp.errors import TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import instances
from dp.frontend.pytree import NodeKind, TreeDef
from dp.frontend.values import (
    Array,
    BoundFunction,
    Const,
    DictValue,
    ListValue,
    RecordValue,
    TupleValue,
    check_mutable,
    dynamic,
    is_frozen_dataclass,
)

if TYPE_CHECKING:
    from dp.frontend.importer import FunctionRecord

# Container kinds a callee can mutate in place (tuples and NamedTuples are immutable, arrays are values).
_MUTABLE_KINDS = (NodeKind.LIST, NodeKind.DICT, NodeKind.OBJECT, NodeKind.DATACLASS)
# Methods of dicts and lists that do not mutate their receiver.
_READING_METHODS = frozenset({"copy", "keys", "values", "items", "get", "index", "count"})
_PURE_MODULES = ("numpy", "math", "cmath", "scipy", "dp", "functools", "itertools", "operator")


# -- which parameters are written back -------------------------------------------------------------


def writeback_parameters(record: "FunctionRecord", module: Any) -> tuple[str, ...]:
    """The parameters of a specialization that its body may mutate and that the caller sees mutated.

    The state a function receives (dp.frontend.global_state) always is one; of the entry's parameters, only
    those bound to positional arguments (the Python objects dp.runtime.writeback writes into).
    """
    state = {name for _, name in module.state.parameters(record.fn)}
    node = record.source.node
    body = [] if isinstance(node, ast.Lambda) else node.body
    rebound = _rebound_names(body)
    names = []
    for name, spec in record.params:
        if name in state:
            names.append(name)
            continue
        if name in rebound or not _mutable_spec(spec) or (record.public and name not in module.entry_arguments):
            continue
        if any(_may_mutate(statement, name, record.fn.__globals__) for statement in body):
            names.append(name)
    return tuple(names)


def _mutable_spec(spec: TreeDef) -> bool:
    if spec.kind is NodeKind.DATACLASS:
        return not is_frozen_dataclass(spec.data[0])
    return spec.kind in _MUTABLE_KINDS


def _rebound_names(body: list[ast.stmt]) -> set[str]:
    """Names a plain assignment, a loop target, `with ... as` or `del` rebinds anywhere in `body`."""
    names = set()
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                names.add(node.id)
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                names.update(node.names)
    return names


def _root(node: ast.AST) -> tuple[str | None, bool]:
    """The variable at the root of `a.b[c].d`, and whether the chain has a subscript."""
    subscripted = False
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        subscripted |= isinstance(node, ast.Subscript)
        node = node.value
    return (node.id if isinstance(node, ast.Name) else None), subscripted


def _may_mutate(statement: ast.stmt, name: str, namespace: dict) -> bool:
    """Whether `statement` may mutate what the variable `name` holds (an over-approximation)."""
    for node in ast.walk(statement):
        if isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, (ast.Store, ast.Del)):
            if _root(node)[0] == name:
                return True
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and _root(func.value)[0] == name and func.attr not in _READING_METHODS:
            return True  # a method of the object, or of a container inside it
        if pure_callee(func, namespace):
            continue
        for arg in [*node.args, *(keyword.value for keyword in node.keywords)]:
            value = arg.value if isinstance(arg, ast.Starred) else arg
            root, subscripted = _root(value)
            if root == name and not (subscripted and not isinstance(value, ast.Attribute)):
                return True  # passed on to a function that may mutate it
    return False


# Builtins (types among them) that never mutate their arguments; map, filter and sorted call user functions.
_PURE_BUILTINS = (float, int, bool, complex, str, len, abs, range, print, zip, enumerate, reversed, list, tuple,
                  dict, set, frozenset, isinstance, issubclass, min, max, sum, any, all, round, divmod, pow, type)


def pure_callee(func: ast.expr, namespace: dict) -> bool:
    """Whether a callee expression names a builtin or a library function (which never mutates dp values)."""
    root = func
    while isinstance(root, ast.Attribute):
        root = root.value
    if not isinstance(root, ast.Name):
        return False
    target = namespace.get(root.id, getattr(builtins, root.id, None))
    if target is None:
        return False
    if isinstance(target, types.ModuleType):
        return target.__name__.partition(".")[0] in _PURE_MODULES
    if isinstance(target, types.BuiltinFunctionType) or any(target is f for f in _PURE_BUILTINS):
        return True
    module = getattr(target, "__module__", None) or ""
    return module.partition(".")[0] in _PURE_MODULES and not isinstance(target, type)


def mutated_parameters(record: "FunctionRecord", parameters: list[tuple[str, Any]], idents: set[int]) -> frozenset:
    """The write-back parameters whose containers the body did mutate (the caller rebinds only those)."""
    values = dict(parameters)
    return frozenset(name for name in record.writeback if any(i in idents for i in _idents(values[name])))


def restrict_writeback(record: "FunctionRecord") -> bool:
    """Drops the write-back parameters the body did not mutate (their result spec too); whether any were dropped.

    The function is then imported again: only what it mutates comes back, so a caller, a derivative or a custom
    rule of a function that merely might have mutated sees its plain result.
    """
    if not record.writeback or set(record.writeback) == record.mutated:
        return False
    kept = [i for i, name in enumerate(record.writeback) if name in record.mutated]
    parts = record.result_spec.children
    if kept:
        record.result_spec = TreeDef(NodeKind.TUPLE, None, (parts[0], *[parts[1 + i] for i in kept]))
    else:
        record.result_spec = parts[0]
    record.writeback = tuple(record.writeback[i] for i in kept)
    return True


def _idents(value: Any) -> Iterator[int]:
    ident = getattr(value, "ident", None)
    if ident is not None:
        yield ident
    for item in getattr(value, "items", ()) if not isinstance(value, TupleValue) else value.items:
        yield from _idents(item)


def with_writeback(visitor: Any, value: Any) -> Any:
    """A return's value with the current values of the write-back parameters after it."""
    finals = tuple(dynamic(visitor.lookup(name)) for name in visitor.record.writeback)
    return TupleValue((value, *finals))


def trailing_return(body: list[ast.stmt]) -> list[ast.stmt]:
    """`body` with a `return None` at its end where it may fall off it (every exit then returns the parameters)."""
    if body and isinstance(body[-1], (ast.Return, ast.Raise)):
        return body
    last = body[-1]
    line = getattr(last, "end_lineno", None) or last.lineno
    done = ast.Return(value=None, lineno=line, col_offset=last.col_offset, end_lineno=line,
                      end_col_offset=last.col_offset)
    return [*body, done]


# -- the caller's side -------------------------------------------------------------------------------


def apply_writeback(visitor: Any, record: "FunctionRecord", params: list[tuple[str, Any]], value: Any,
                    node: ast.AST | None) -> Any:
    """The result of a call whose callee writes parameters back; rebinds the arguments it mutated."""
    result, *finals = value.items
    passed = dict(params)
    for name, final in zip(record.writeback, finals):
        argument = passed[name]
        check_mutable(argument, f"argument '{name}' of {record.fn.__qualname__}")
        new = adopt(argument, final)
        for old, updated in _pairs(argument, new):
            visitor.replace_container(old, updated, node or visitor.source.node)
    return result


def adopt(old: Any, new: Any) -> Any:
    """`new` with the identities (and read-only reasons) of the containers and arrays of `old` it corresponds to."""
    if isinstance(old, Array) and isinstance(new, Array):
        return replace(new, ident=old.ident, readonly=old.readonly, base=old.base)
    if type(old) is not type(new) or not isinstance(old, (ListValue, DictValue, RecordValue)):
        return new
    if isinstance(old, ListValue):
        items = tuple(adopt(o, n) for o, n in zip(old.items, new.items)) + new.items[len(old.items):]
    else:
        keys_old = old.keys if isinstance(old, DictValue) else old.fields
        keys_new = new.keys if isinstance(new, DictValue) else new.fields
        if isinstance(old, RecordValue) and old.cls is not new.cls:
            return new
        before = dict(zip(keys_old, old.items))
        items = tuple(adopt(before[k], n) if k in before else n for k, n in zip(keys_new, new.items))
    return replace(new, items=items, ident=old.ident, readonly=old.readonly)


def _pairs(old: Any, new: Any) -> Iterator[tuple[Any, Any]]:
    """Each container or array of `old` with its counterpart (same identity) in `new`, outermost first."""
    found: dict[int, Any] = {}
    _collect(new, found)
    stack = [old]
    while stack:
        value = stack.pop()
        ident = getattr(value, "ident", None)
        if ident is not None and ident in found and found[ident] is not value:
            yield value, found[ident]
        if isinstance(value, (ListValue, DictValue, RecordValue)):
            stack.extend(reversed(value.items))


def _collect(value: Any, found: dict[int, Any]) -> None:
    ident = getattr(value, "ident", None)
    if ident is not None:
        found.setdefault(ident, value)
    if isinstance(value, (ListValue, DictValue, RecordValue, TupleValue)):
        for item in value.items:
            _collect(item, found)


def check_no_writeback(record: "FunctionRecord", what: str) -> None:
    """Raises where a derivative or custom rule would need a callee's write-back, which it cannot carry."""
    if record.writeback:
        names = ", ".join(f"'{name}'" for name in record.writeback)
        raise UnsupportedSyntaxError(
            f"{what} of {record.fn.__qualname__}, which mutates its argument {names}: a derivative taken inside "
            "compiled code returns no mutated arguments; copy the argument in the function, or take the derivative "
            "of a function that returns the new value"
        )


# -- plain classes ---------------------------------------------------------------------------------


def is_constructible(target: Any) -> bool:
    """Whether calling `target` in compiled code constructs a plain class instance."""
    return instances.is_user_class(target)


def construct(visitor: Any, cls: type, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> RecordValue:
    """`cls(*args, **kwargs)`: a fresh instance, with `__init__` compiled on it."""
    instance = RecordValue(cls, (), ())
    init = inspect.getattr_static(cls, "__init__")
    if init is object.__init__:
        if args or kwargs:
            raise TypeMismatchError(f"{cls.__name__}() takes no arguments")
        return instance
    if not isinstance(init, types.FunctionType):
        raise UnsupportedSyntaxError(f"cannot construct {cls.__name__} in compiled code: its __init__ is not a Python function")
    params, record = visitor.specialize_call(init, [instance, *args], kwargs)
    value = _emit(record, params)
    result, *finals = value.items if record.writeback else (value,)
    first = params[0][0]
    if first not in record.writeback:
        return instance
    made = finals[record.writeback.index(first)]
    return replace(made, ident=instance.ident)


def _emit(record: Any, params: list) -> Any:
    from dp.frontend.calls import emit_call

    return emit_call(record, params)


def call_object(visitor: Any, obj: RecordValue, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
    """`obj(*args)` for an instance whose class defines `__call__`."""
    method = inspect.getattr_static(obj.cls, "__call__", None)
    if not isinstance(method, types.FunctionType):
        raise TypeMismatchError(f"'{obj.cls.__name__}' object is not callable")
    return visitor.call_function(method, [obj, *args], kwargs)


def class_attribute(visitor: Any, record: RecordValue, name: str) -> Any:
    """`record.name` for a name that is not an instance attribute: a classmethod bound to the class, else None."""
    attribute = inspect.getattr_static(record.cls, name, None)
    if isinstance(attribute, classmethod):
        return BoundFunction(attribute.__func__, Const(record.cls))
    return None


def store_attribute(visitor: Any, base: RecordValue, name: str, value: Any, node: ast.AST) -> bool:
    """`base.name = value` where the class has a property setter, or a new attribute of a plain instance.

    Returns False where the record's ordinary field assignment applies.
    """
    attribute = inspect.getattr_static(base.cls, name, None)
    if isinstance(attribute, property):
        if attribute.fset is None:
            raise TypeMismatchError(f"cannot assign to the property '{name}' of {base.cls.__name__}: it has no setter")
        visitor.call_function(attribute.fset, [base, value], {}, node)
        return True
    if name in base.fields or base.node_kind is not NodeKind.OBJECT:
        return False
    check_mutable(base, f"attribute '{name}'")
    added = replace(base, fields=base.fields + (name,), items=base.items + (value,))
    visitor.replace_container(base, added, node)
    return True


@dataclass(frozen=True, eq=False)
class SuperValue:
    """`super()` in a method: attribute lookup starts after `cls` in the receiver's MRO."""

    cls: type
    receiver: Any


def make_super(visitor: Any, args: list[Any]) -> SuperValue:
    """`super()` (no arguments) in a method compiled by dp."""
    if args:
        raise UnsupportedSyntaxError("super() with arguments is not supported in compiled code; write super()")
    fn = visitor.record.fn
    cells = dict(zip(fn.__code__.co_freevars, fn.__closure__ or ()))
    definition = visitor.source.node
    parameters = [arg.arg for arg in definition.args.posonlyargs + definition.args.args]
    if "__class__" not in cells or not parameters:
        raise UnsupportedSyntaxError("super() is only supported inside a method defined in a class body")
    return SuperValue(cells["__class__"].cell_contents, visitor.lookup(parameters[0]))


def super_attribute(visitor: Any, sup: SuperValue, name: str) -> Any:
    """`super().name`: the method of the next class in the MRO, bound to the receiver."""
    receiver = sup.receiver
    cls = receiver.cls if isinstance(receiver, RecordValue) else type(receiver.value)
    mro = cls.__mro__
    for klass in mro[mro.index(sup.cls) + 1:]:
        if name not in vars(klass):
            continue
        attribute = vars(klass)[name]
        if attribute is object.__init__:
            return Const(_no_init)
        if isinstance(attribute, types.FunctionType):
            return BoundFunction(attribute, receiver)
        if isinstance(attribute, property) and attribute.fget is not None:
            return visitor.call_function(attribute.fget, [receiver], {})
        raise UnsupportedSyntaxError(f"super().{name} is not a method dp can call")
    raise UnsupportedSyntaxError(f"super() of {sup.cls.__name__} has no attribute '{name}'")


def _no_init() -> None:
    """object.__init__ called through super(): nothing to do."""


# -- operators on instances --------------------------------------------------------------------------

_BINARY = {
    ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "truediv", ast.FloorDiv: "floordiv",
    ast.Mod: "mod", ast.Pow: "pow", ast.MatMult: "matmul",
}
_UNARY = {ast.USub: "__neg__", ast.UAdd: "__pos__"}
NOT_AN_OBJECT = object()


def _is_instance(value: Any) -> bool:
    return isinstance(value, RecordValue) and not value.is_namedtuple


def binary(visitor: Any, op: type, left: Any, right: Any) -> Any:
    """`left op right` through `__add__`/`__radd__`... of a plain or dataclass instance; NOT_AN_OBJECT otherwise."""
    name = _BINARY.get(op)
    if name is None or not (_is_instance(left) or _is_instance(right)):
        return NOT_AN_OBJECT
    if _is_instance(left):
        method = inspect.getattr_static(left.cls, f"__{name}__", None)
        if isinstance(method, types.FunctionType):
            return visitor.call_function(method, [left, right], {})
    if _is_instance(right):
        method = inspect.getattr_static(right.cls, f"__r{name}__", None)
        if isinstance(method, types.FunctionType):
            return visitor.call_function(method, [right, left], {})
    owner = left if _is_instance(left) else right
    raise TypeMismatchError(f"unsupported operand type for {name}: {owner.cls.__name__} defines no __{name}__")


def unary(visitor: Any, op: type, operand: Any) -> Any:
    """`-obj` / `+obj` through `__neg__` / `__pos__`; NOT_AN_OBJECT for other operands."""
    if op not in _UNARY or not _is_instance(operand):
        return NOT_AN_OBJECT
    method = inspect.getattr_static(operand.cls, _UNARY[op], None)
    if not isinstance(method, types.FunctionType):
        raise TypeMismatchError(f"bad operand type for unary operator: {operand.cls.__name__} defines no {_UNARY[op]}")
    return visitor.call_function(method, [operand], {})


__all__ = [
    "NOT_AN_OBJECT",
    "SuperValue",
    "adopt",
    "apply_writeback",
    "binary",
    "call_object",
    "check_no_writeback",
    "class_attribute",
    "construct",
    "is_constructible",
    "make_super",
    "mutated_parameters",
    "store_attribute",
    "super_attribute",
    "trailing_return",
    "unary",
    "with_writeback",
    "writeback_parameters",
]
