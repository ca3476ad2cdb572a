"""Functions as values in compiled code: lambdas, nested defs, closures, functools.partial, map, filter, reduce.

A lambda or nested `def` evaluated in compiled code is a `FunctionValue` of
kind "closure": a compile-time Python function (made once from the nested
code object, with empty cells) and the values of its free variables and
defaults, which may be dynamic. Calling one specializes that function with
the free variables as extra parameters (closure conversion), like any call
of a Python function, so closures returned from a function, passed to
one, stored in tuples, lists and dicts and called later all compile and
differentiate like other code. A free variable the enclosing function
assigns again after the closure was made is updated in every closure the
enclosing body still holds (Python's late binding). `functools.partial` in
compiled code is a FunctionValue of kind "partial": its callee and bound
arguments, any values. Functions made outside compiled code stay
compile-time constants (their cells are read like globals).
"""

from __future__ import annotations

import ast
import builtins
import functools
import types
from typing import Any

from dp.errors import TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import pytree, scalars
from dp.frontend.iteration import static_items
from dp.frontend.pytree import NodeKind, TreeDef
from dp.frontend.scope import Binding
from dp.frontend.source import FunctionSource
from dp.frontend.values import (
    Const,
    DictValue,
    FunctionValue,
    StaticConst,
    TupleValue,
    children,
    describe,
    from_python,
    with_items,
)

_COMPREHENSIONS = ("<listcomp>", "<setcomp>", "<dictcomp>", "<genexpr>")
_EMPTY = object()  # the default of a parameter whose default value is in the FunctionValue
_UNSET = object()
_functions: dict[tuple[types.CodeType, int], types.FunctionType] = {}  # (nested code, id(globals)) -> its function
_sources: dict[tuple[types.CodeType, int], FunctionSource] = {}


def _closure_function(code: types.CodeType, namespace: dict, node: ast.Lambda | ast.FunctionDef) -> types.FunctionType:
    """The Python function dp compiles for a nested code object (one per code and globals, so calls share
    specializations). Its cells are empty: the importer passes free variables as parameters."""
    key = (code, id(namespace))
    function = _functions.get(key)
    if function is None:
        cells = tuple(types.CellType() for _ in code.co_freevars)
        function = types.FunctionType(code, namespace, code.co_name, None, cells)
        function.__qualname__ = code.co_qualname
        arguments = node.args
        if arguments.defaults:
            function.__defaults__ = (_EMPTY,) * len(arguments.defaults)
        keyword_defaults = [a.arg for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults) if d is not None]
        if keyword_defaults:
            function.__kwdefaults__ = {name: _EMPTY for name in keyword_defaults}
        _functions[key] = function
    return function


def _nested_codes(code: types.CodeType, *, deep: bool = True) -> list[tuple[types.CodeType, types.CodeType]]:
    """(code, the code it is a constant of) for the functions defined in `code`: with `deep`, at any depth (a
    lambda inside a lambda that is evaluated in place), else directly in its scope or its comprehensions'
    (which Python 3.11 compiles as functions of their own)."""
    found = []
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found.append((const, code))
            if deep or const.co_name in _COMPREHENSIONS:
                found.extend(_nested_codes(const, deep=deep))
    return found


def _within(code: types.CodeType, node: ast.AST, source: FunctionSource) -> bool:
    """Whether every position of `code`'s instructions lies inside `node` (columns as in the file)."""
    start = (source.position(node)[0], node.col_offset + source.indent)
    end = (node.end_lineno + source.first_line - 1, node.end_col_offset + source.indent)
    for line, _, col, _ in code.co_positions():
        if line is None or col is None or (line == code.co_firstlineno and col == 0):
            continue  # the RESUME of the function's prologue
        if not start <= (line, col) <= end:
            return False
    return True


def nested_code(enclosing: types.CodeType, node: ast.Lambda | ast.FunctionDef, source: FunctionSource):
    """The code object of a lambda or nested def of the function being imported, and its parent code."""
    name = "<lambda>" if isinstance(node, ast.Lambda) else node.name
    first = min([source.position(node)[0]] + [source.position(d)[0] for d in getattr(node, "decorator_list", [])])
    candidates = [
        (code, parent) for code, parent in _nested_codes(enclosing) if code.co_name == name and code.co_firstlineno == first
    ]
    if len(candidates) > 1:
        names = _parameter_names(node)
        candidates = [
            (code, parent)
            for code, parent in candidates
            if code.co_varnames[: len(names)] == names and _within(code, node, source)
        ]
    if len(candidates) != 1:
        raise UnsupportedSyntaxError(
            f"dp could not match this {'lambda' if name == '<lambda>' else 'nested function'} to its bytecode; "
            "define it on a line of its own"
        )
    return candidates[0]


def _parameter_names(node: ast.Lambda | ast.FunctionDef) -> tuple[str, ...]:
    """A definition's parameter names in the order its code object lists them (co_varnames)."""
    arguments = node.args
    names = [a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs]
    names += [a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None]
    return tuple(names)


def _late_bound(code: types.CodeType, parent: types.CodeType) -> list[str]:
    """Free variables of a function made in a comprehension that are the comprehension's own variables."""
    if parent.co_name not in _COMPREHENSIONS:
        return []
    return [name for name in code.co_freevars if name in parent.co_cellvars]


def cell_names(code: types.CodeType) -> frozenset[str]:
    """The variables of a function that functions defined in it close over."""
    names = set(code.co_cellvars)
    for const, _ in _nested_codes(code, deep=False):
        if const.co_name in _COMPREHENSIONS:
            names |= set(const.co_cellvars)
    return frozenset(names)


def _closure_parts(value: FunctionValue) -> tuple[types.FunctionType, tuple[str, ...], tuple, tuple, dict[str, Any]]:
    """A closure's function, free variable names and values, positional defaults and keyword defaults."""
    function, names, defaults, keyword_defaults = value.data
    items = value.items
    captured = items[: len(names)]
    positional = items[len(names) : len(names) + defaults]
    keywords = dict(zip(keyword_defaults, items[len(names) + defaults :]))
    return function, names, captured, positional, keywords


def is_closure_of(value: Any, frame: int, name: str) -> bool:
    """Whether `value` is a closure made in `frame` that closes over `name`."""
    return isinstance(value, FunctionValue) and value.frame == frame and value.kind == "closure" and name in value.data[1]


def _rebound(value: Any, frame: int, name: str, new: Any) -> Any:
    """`value` with the free variable `name` of each closure made in `frame` set to `new`."""
    items = children(value)
    if not items:
        return value
    new_items = tuple(_rebound(item, frame, name, new) for item in items)
    if is_closure_of(value, frame, name):
        index = value.data[1].index(name)
        new_items = new_items[:index] + (new,) + new_items[index + 1 :]
    if all(a is b for a, b in zip(items, new_items)):
        return value
    return with_items(value, new_items)


def _contains_closure(value: Any, frame: int, name: str) -> bool:
    return is_closure_of(value, frame, name) or any(_contains_closure(item, frame, name) for item in children(value))


def contains_function(treedef: TreeDef) -> bool:
    """Whether a structure holds a function made in compiled code."""
    return treedef.kind is NodeKind.FUNCTION or any(contains_function(child) for child in treedef.children)


class FunctionValueVisitor:
    """Lambdas, nested defs and their calls; star arguments; partial, map, filter and reduce."""

    # -- making closures ---------------------------------------------------------------------------

    def visit_Lambda(self, node: ast.Lambda) -> FunctionValue:
        return self.make_closure(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if node.decorator_list:
            raise UnsupportedSyntaxError(
                f"decorators on the nested function {node.name} are not supported in compiled code; "
                "define the decorated function outside the function dp compiles"
            )
        self.bind(node.name, self.make_closure(node), node)

    def make_closure(self, node: ast.Lambda | ast.FunctionDef) -> FunctionValue:
        """The value of a lambda or nested def: its function and the current values of its free variables."""
        code, parent = nested_code(self.record.fn.__code__, node, self.source)
        late = _late_bound(code, parent)
        if late:
            raise UnsupportedSyntaxError(
                f"a function made in a comprehension that closes over the comprehension's variable '{late[0]}': "
                f"Python's closures would see its last value when called later; bind it as a default "
                f"(`lambda ..., {late[0]}={late[0]}: ...`)"
            )
        if isinstance(node, ast.FunctionDef) and node.name in code.co_freevars:
            raise UnsupportedSyntaxError(
                f"the nested function {node.name} calls itself: recursion of nested functions is not supported; "
                "define it at module level"
            )
        function = _closure_function(code, self.record.fn.__globals__, node)
        key = (code, id(function.__globals__))
        if key not in _sources:
            source = self.source
            _sources[key] = FunctionSource(function, source.filename, source.first_line, source.indent, source.lines, node)
        self.module.add_source(function, _sources[key])
        arguments = node.args
        defaults = tuple(self.visit(default) for default in arguments.defaults)
        keyword_names = tuple(a.arg for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults) if d is not None)
        keyword_defaults = tuple(self.visit(d) for d in arguments.kw_defaults if d is not None)
        captured = []
        for name in code.co_freevars:
            try:
                captured.append(self.lookup(name))
            except UnsupportedSyntaxError as error:
                raise UnsupportedSyntaxError(
                    f"{'the lambda' if code.co_name == '<lambda>' else code.co_name} closes over '{name}', which "
                    f"has no value where it is defined ({error.message}); assign '{name}' before defining it"
                ) from None
        data = (function, tuple(code.co_freevars), len(defaults), keyword_names)
        frame = None if getattr(self, "_inlining", 0) else id(self)
        items = tuple(compile_time(value) for value in (*captured, *defaults, *keyword_defaults))
        return FunctionValue("closure", data, items, frame)

    def rebind_closures(self, name: str, value: Any) -> None:
        """After `name = value`: the closures this body made over `name` see the new value (late binding)."""
        if name not in self.closed_over:
            return
        value = compile_time(value)
        frame = id(self)
        if _contains_closure(value, frame, name):
            raise UnsupportedSyntaxError(
                f"'{name}' is assigned a function that calls '{name}' itself: recursion of functions made in "
                "compiled code is not supported; define the function at module level"
            )
        for key, binding in list(self.env.items()):
            if isinstance(binding, Binding) and _contains_closure(binding.value, frame, name):
                self.env[key] = Binding(_rebound(binding.value, frame, name, value), binding.line)

    @functools.cached_property
    def closed_over(self) -> frozenset[str]:
        """The variables of this function that the functions defined in it close over."""
        return cell_names(self.record.fn.__code__)

    # -- arguments of calls ------------------------------------------------------------------------

    def call_arguments(self, node: ast.Call) -> tuple[list[Any], dict[str, Any]]:
        """The positional and keyword arguments of a call, `*iterable` and `**mapping` unpacked."""
        args: list[Any] = []
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                args.extend(static_items(self.visit(arg.value)))
            else:
                args.append(self.visit(arg))
        kwargs: dict[str, Any] = {}
        for keyword in node.keywords:
            if keyword.arg is not None:
                pairs = [(keyword.arg, self.visit(keyword.value))]
            else:
                pairs = _mapping_items(self.visit(keyword.value))
            for name, value in pairs:
                if name in kwargs:
                    raise TypeMismatchError(f"the call got multiple values for keyword argument '{name}'")
                kwargs[name] = value
        return args, kwargs

    # -- calls of function values ------------------------------------------------------------------

    def call_function_value(self, callee: FunctionValue, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        """A call of a closure (a func.call of its specialization) or of a partial (its callee's call)."""
        if callee.kind == "partial":
            target, bound, keywords = partial_parts(callee)
            return self.call(target, [*bound, *args], {**keywords, **kwargs}, node)
        if callee.kind == "transform":  # dp.grad(f) of a function value f (dp.frontend.derivative_calls)
            return self.call_derivative(callee.data, args, kwargs, bound=callee.items)
        function, names, captured, positional, keywords = _closure_parts(callee)
        defaults = dict(zip(_positional_with_defaults(function, len(positional)), positional))
        defaults.update(keywords)
        params = bind_values(function, args, kwargs, defaults) + list(zip(names, captured))
        if callee.frame == id(self) and function.__name__ == "<lambda>":
            return self._inline_lambda(function, params)
        return self.call_with_parameters(function, params)

    def _inline_lambda(self, function: types.FunctionType, params: list[tuple[str, Any]]) -> Any:
        """A lambda this body made, called here: its expression evaluated in place with its parameters and
        free variables bound (so constants fold, as in `filter(lambda v: v > 0, (1, -2, 3))`). Functions
        made inside it do not follow later assignments of this body (their variables are the lambda's)."""
        node = self.module.source_of(function).node
        saved = {name: self.env.get(name, _UNSET) for name, _ in params}
        line = self.line(node)
        self._inlining = getattr(self, "_inlining", 0) + 1
        try:
            for name, value in params:
                self.env[name] = Binding(value, line)
            return self.visit(node.body)
        finally:
            self._inlining -= 1
            for name, binding in saved.items():
                if binding is _UNSET:
                    self.env.pop(name, None)
                else:
                    self.env[name] = binding

    def make_partial(self, args: list[Any], kwargs: dict[str, Any]) -> FunctionValue:
        """`functools.partial(f, *args, **kwargs)` in compiled code."""
        if not args:
            raise TypeMismatchError("functools.partial() needs a function to bind arguments to")
        callee = args[0]
        if isinstance(callee, FunctionValue) and callee.kind == "partial":  # partial of a partial: flattened, as Python does
            inner, bound, keywords = partial_parts(callee)
            args = [inner, *bound, *args[1:]]
            kwargs = {**keywords, **kwargs}
        elif not callable_value(callee):
            raise TypeMismatchError(f"functools.partial() needs a function, not {describe(callee)}")
        items = (args[0], *(compile_time(value) for value in (*args[1:], *kwargs.values())))
        return FunctionValue("partial", (len(args) - 1, tuple(kwargs)), items)

    # -- map, filter, functools.reduce -------------------------------------------------------------

    def call_higher_order(self, target: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        """map, filter and functools.reduce over sequences whose length is known at compile time."""
        name = "functools.reduce" if target is functools.reduce else target.__name__
        if kwargs:
            raise TypeMismatchError(f"{name}() takes no keyword arguments")
        if target is builtins.map:
            if len(args) < 2:
                raise TypeMismatchError("map() must have at least two arguments")
            columns = [static_items(arg) for arg in args[1:]]
            return TupleValue(tuple(self.call(args[0], list(row), {}, node) for row in zip(*columns)))
        if target is builtins.filter:
            if len(args) != 2:
                raise TypeMismatchError(f"filter expected 2 arguments, got {len(args)}")
            kept = []
            for item in static_items(args[1]):
                keep = item if _is_none(args[0]) else self.call(args[0], [item], {}, node)
                truth = scalars.truth(keep)
                if not isinstance(truth, Const):
                    raise TypeMismatchError(
                        "filter() with a condition known only at run time: the number of items it keeps must be "
                        "known at compile time; use np.where on arrays, or a select such as `x if c else 0.0`"
                    )
                if truth.value:
                    kept.append(item)
            return TupleValue(tuple(kept))
        if not 2 <= len(args) <= 3:
            raise TypeMismatchError(f"reduce expected 2 or 3 arguments, got {len(args)}")
        items = list(static_items(args[1]))
        if len(args) == 3:
            accumulator = args[2]
        elif items:
            accumulator = items.pop(0)
        else:
            raise TypeMismatchError("reduce() of empty iterable with no initial value")
        for item in items:
            accumulator = self.call(args[0], [accumulator, item], {}, node)
        return accumulator


HIGHER_ORDER = (builtins.map, builtins.filter, functools.reduce)


def is_higher_order(target: Any) -> bool:
    """Whether a callee is map, filter or functools.reduce (which call a function value)."""
    return any(target is function for function in HIGHER_ORDER)


def compile_time(value: Any) -> Any:
    """A constant number as a StaticConst, which the functions it is passed to see as a constant too (a
    closure's constants, a partial's bound constants, `**kwargs` options); other values unchanged."""
    if type(value) is Const and pytree.scalar_kind(value.value) is not None:
        return StaticConst(value.value)
    return value


def partial_parts(value: FunctionValue) -> tuple[Any, list[Any], dict[str, Any]]:
    """A partial's callee, bound positional arguments and bound keywords."""
    count, keywords = value.data
    items = value.items
    return items[0], list(items[1 : 1 + count]), dict(zip(keywords, items[1 + count :]))


def callable_value(value: Any) -> bool:
    """Whether a value may be called (a function value or a callable constant)."""
    return isinstance(value, FunctionValue) or (isinstance(value, Const) and callable(value.value))


def _is_none(value: Any) -> bool:
    return isinstance(value, Const) and value.value is None


def _mapping_items(value: Any) -> list[tuple[str, Any]]:
    """The (key, value) pairs `**value` passes to a call."""
    if isinstance(value, DictValue):
        pairs = list(zip(value.keys, value.items))
    elif isinstance(value, Const) and isinstance(value.value, dict):
        pairs = [(key, from_python(item, "a ** argument")) for key, item in value.value.items()]
    else:
        raise TypeMismatchError(f"argument after ** must be a mapping, not {describe(value)}")
    for key, _ in pairs:
        if not isinstance(key, str):
            raise TypeMismatchError(f"keywords must be strings, not {type(key).__name__} {key!r}")
    return pairs


def _positional_with_defaults(function: types.FunctionType, count: int) -> list[str]:
    """The names of the last `count` positional parameters (those a def gives defaults)."""
    code = function.__code__
    positional = code.co_varnames[: code.co_argcount]
    return list(positional[len(positional) - count :]) if count else []


def bind_values(
    function: types.FunctionType, args: list[Any], kwargs: dict[str, Any], defaults: dict[str, Any] | None = None
) -> list[tuple[str, Any]]:
    """Each parameter of `function` with its value at a call: `*args` a tuple, `**kwargs` a dict, and missing
    parameters their default (from `defaults` where given, else the function's own, read as a constant)."""
    from dp.frontend.source import python_signature

    signature = python_signature(function)
    try:
        bound = signature.bind(*args, **kwargs)
    except TypeError as error:
        raise TypeMismatchError(f"{function.__qualname__}(): {error}") from None
    values = []
    for name, parameter in signature.parameters.items():
        if parameter.kind is parameter.VAR_POSITIONAL:
            values.append((name, TupleValue(tuple(bound.arguments.get(name, ())))))
        elif parameter.kind is parameter.VAR_KEYWORD:
            # Options passed on by keyword (`axis=0`, `keepdims=True`) stay compile-time constants.
            extra = bound.arguments.get(name, {})
            values.append((name, DictValue(tuple(extra), tuple(compile_time(v) for v in extra.values()))))
        elif parameter.kind is parameter.KEYWORD_ONLY and name in bound.arguments:
            # As at the entry, keyword-only parameters are compile-time where their value is a constant.
            values.append((name, compile_time(bound.arguments[name])))
        elif name in bound.arguments:
            values.append((name, bound.arguments[name]))
        elif defaults is not None and name in defaults:
            values.append((name, defaults[name]))
        else:  # the function's own default: the same for every call that omits it, so a compile-time constant
            values.append((name, compile_time(from_python(parameter.default, f"the default of '{name}'"))))
    return values


def variadic_tree(treedefs: tuple[TreeDef, ...]) -> TreeDef:
    """The TreeDef of the tuple a `*args` parameter receives from the entry's positional arguments."""
    return TreeDef(NodeKind.TUPLE, None, tuple(treedefs))


__all__ = [
    "FunctionValueVisitor",
    "bind_values",
    "callable_value",
    "cell_names",
    "contains_function",
    "is_higher_order",
    "nested_code",
    "partial_parts",
    "variadic_tree",
]
