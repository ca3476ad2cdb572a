"""Calls: Python functions (compiled as separate func.funcs), record constructors, builtins, math, methods."""

from __future__ import annotations

import ast
import dataclasses
import functools
import inspect
import types
from typing import Any, Callable

from mlir import ir
from mlir.dialects import func

from dp import callables
from dp.errors import TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import (
    complex_arrays,
    containers,
    fft,
    global_state,
    linalg,
    numpy_functions,
    numpy_indexing,
    objects,
    operator_functions,
    printing,
    pytree,
    special_functions,
    tensors,
)
from dp.frontend.builtin_functions import BUILTINS
from dp.frontend.custom_calls import is_custom_rule
from dp.frontend.derivative_calls import PullbackValue, is_derivative, is_transform_class
from dp.frontend.function_values import bind_values, is_higher_order
from dp.frontend.math_functions import MATH_FUNCTIONS, call_math
from dp.frontend.values import (
    Array,
    BoundFunction,
    BoundMethod,
    Const,
    FunctionValue,
    ListValue,
    RecordValue,
    check_array_mutable,
    describe,
    from_python,
    from_spec,
    is_array,
    make_leaf,
    mlir_type,
    number_leaves,
    spec_of,
)
from dp.frontend.visitor import RecursiveResultUnknown


# Callables that bind arguments to a Python function: compiled as a call of that function.
BINDING_CALLABLES = (functools.partial, types.MethodType, staticmethod)


def _lookup(table: dict, target: Any) -> Any:
    try:
        return table.get(target)
    except TypeError:  # unhashable objects are never in the tables
        return None


def is_pure_callable(target: Any) -> bool:
    """Whether calling `target` has no side effect dp must preserve."""
    if _lookup(MATH_FUNCTIONS, target) is not None or _lookup(BUILTINS, target) is not None:
        return True
    if containers.lookup(target) is not None:
        return True
    if numpy_functions.lookup(target) is not None or special_functions.lookup(target) is not None:
        return True
    if complex_arrays.is_function(target):
        return True
    return isinstance(target, type) and (pytree.is_namedtuple_class(target) or pytree.is_dataclass_class(target))


class CallVisitor:
    """The visitor of calls and the lowering of each kind of callee."""

    def visit_Call(self, node: ast.Call) -> Any:
        callee = self.visit(node.func)
        args, kwargs = self.call_arguments(node)
        return self.call(callee, args, kwargs, node)

    def call(self, callee: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        """The value of `callee(*args, **kwargs)` at `node`."""
        if isinstance(callee, BoundMethod):
            return self._call_method(callee, args, kwargs, node)
        if isinstance(callee, BoundFunction):
            return self.call_function(callee.function, [callee.receiver, *args], kwargs, node)
        if isinstance(callee, RecordValue):
            return objects.call_object(self, callee, args, kwargs, node)
        if isinstance(callee, PullbackValue):
            return self.call_pullback(callee, args, kwargs)
        if isinstance(callee, FunctionValue):
            return self.call_function_value(callee, args, kwargs, node)
        if isinstance(callee, Const):
            target = callee.value
            special = special_functions.lookup(target)
            if special is not None:  # before bound methods: scipy.stats.norm.pdf is one
                return special.call(self, args, kwargs)
            linalg_function = linalg.lookup(target)
            if linalg_function is not None:  # np.linalg: calls of compiled functions with matrix rules
                return linalg_function(self, args, kwargs)
            fft_function = fft.lookup(target)
            if fft_function is not None:  # np.fft: products with constant DFT matrices, real or complex
                return fft_function(args, kwargs)
            if target is functools.partial:
                return self.make_partial(args, kwargs)
            if is_higher_order(target):
                return self.call_higher_order(target, args, kwargs, node)
            if is_custom_rule(target):
                return self.call_custom(target, args, kwargs)
            if is_transform_class(target):
                return self.make_transform(target, args, kwargs)
            if is_derivative(target):
                return self.call_derivative(target, args, kwargs)
            if isinstance(target, BINDING_CALLABLES) or hasattr(target, "__dp_target__"):
                bound = callables.resolve(target, "compiled code")
                return self.call_function(bound.function, *with_bound_arguments(bound, args, kwargs))
            if target is print:
                self.module.prints = True
                return printing.print_values(args, kwargs)
            handler = containers.lookup(target)
            if handler is not None:
                return handler(self, args, kwargs, node)
            operator_function = operator_functions.lookup(target)
            if operator_function is not None:
                return operator_function(self, args, kwargs)
            handler = complex_arrays.lookup(target, args, kwargs)
            if handler is not None:
                return handler(args, kwargs)
            handler = _lookup(BUILTINS, target)
            if handler is not None:
                return handler(args, kwargs)
            handler = numpy_functions.lookup(target)
            if handler is not None:
                return handler(args, kwargs)
            mutator = numpy_indexing.mutator(target)
            if mutator is not None:  # np.add.at, np.put: write into their first argument
                return self.write_into_array(*mutator(args, kwargs), node)
            unsupported = numpy_functions.numpy_name(target)
            if unsupported is not None:
                raise UnsupportedSyntaxError(
                    f"{unsupported} is not supported: dp compiles numpy's elementwise functions, reductions, products, "
                    "reshapes, concatenation, creation functions and basic indexing"
                )
            if _lookup(MATH_FUNCTIONS, target) is not None:
                if kwargs:
                    raise UnsupportedSyntaxError(f"math.{target.__name__}() takes no keyword arguments")
                return call_math(target, args)
            if isinstance(target, types.FunctionType):
                return self.call_function(target, args, kwargs, node)
            if isinstance(target, type) and (pytree.is_namedtuple_class(target) or pytree.is_dataclass_class(target)):
                return self.construct(target, args, kwargs)
            if target is super:
                return objects.make_super(self, args)
            if objects.is_constructible(target):
                return objects.construct(self, target, args, kwargs, node)
        raise UnsupportedSyntaxError(
            f"cannot call {describe(callee)}: dp compiles calls to Python functions, NamedTuple and dataclass "
            "constructors, the math module's functions with a derivative, and the builtins "
            "abs min max float int bool len sum range enumerate zip tuple list dict print"
        )

    # -- user functions ------------------------------------------------------------------------------

    def call_function(
        self, function: types.FunctionType, args: list[Any], kwargs: dict[str, Any], node: ast.AST | None = None
    ) -> Any:
        """A func.call to `function` specialized for the argument types (imported on first use); the arguments it
        mutates are rebound (dp.frontend.objects)."""
        params, record = self.specialize_call(function, args, kwargs)
        value = emit_call(record, params)
        if record.writeback:
            return objects.apply_writeback(self, record, params, value, node)
        return value

    def specialize_call(
        self, function: types.FunctionType, args: list[Any], kwargs: dict[str, Any], variant: Any = None
    ) -> tuple[list[tuple[str, Any]], Any]:
        """The parameters of a call of `function` and its specialization for them (see ModuleImporter.specialize)."""
        params = bind_arguments(function, args, kwargs) + global_state.implicit_arguments(self, function)
        return params, self.specialize_parameters(function, params, variant)

    def call_with_parameters(self, function: types.FunctionType, params: list[tuple[str, Any]]) -> Any:
        """A func.call to `function` with these parameter values (a closure's include its free variables)."""
        return emit_call(self.specialize_parameters(function, params), params)

    def specialize_parameters(self, function: types.FunctionType, params: list[tuple[str, Any]], variant: Any = None) -> Any:
        """The specialization of `function` for these parameter values (see ModuleImporter.specialize)."""
        specs = []
        for name, value in params:
            try:
                specs.append((name, spec_of(value)))
            except UnsupportedSyntaxError as error:
                raise UnsupportedSyntaxError(f"argument '{name}' of {function.__qualname__}: {error.message}") from None
        record = self.module.specialize(function, specs, variant=variant)
        if record.result_spec is None:
            raise RecursiveResultUnknown(record)
        return record

    # -- records ------------------------------------------------------------------------------------------

    def construct(self, cls: type, args: list[Any], kwargs: dict[str, Any]) -> RecordValue:
        """A NamedTuple or dataclass instance built in compiled code."""
        fields = pytree.record_fields(cls)
        if pytree.is_dataclass_class(cls):
            if hasattr(cls, "__post_init__"):
                raise UnsupportedSyntaxError(f"cannot construct {cls.__name__} in compiled code: it has __post_init__")
            for field in dataclasses.fields(cls):
                if field.default_factory is not dataclasses.MISSING:
                    raise UnsupportedSyntaxError(
                        f"cannot construct {cls.__name__} in compiled code: field '{field.name}' has a default_factory"
                    )
        try:
            bound = inspect.signature(cls).bind(*args, **kwargs)
        except TypeError as error:
            raise TypeMismatchError(f"{cls.__name__}(): {error}") from None
        values = dict(bound.arguments)
        for field in fields:
            if field not in values:
                values[field] = self._field_default(cls, field)
        return RecordValue(cls, fields, tuple(values[field] for field in fields))

    @staticmethod
    def _field_default(cls: type, name: str) -> Any:
        if pytree.is_namedtuple_class(cls):
            return from_python(cls._field_defaults[name], f"{cls.__name__}.{name}")
        field = next(f for f in dataclasses.fields(cls) if f.name == name)
        if field.default is dataclasses.MISSING:
            raise TypeMismatchError(f"{cls.__name__}(): field '{name}' has no value")
        return from_python(field.default, f"{cls.__name__}.{name}")

    # -- methods of dicts and lists -----------------------------------------------------------------------

    def write_into_array(self, target: Any, new: Any, node: ast.AST) -> Const:
        """A numpy call that writes into the array `target`: every variable holding it now holds `new`."""
        if not isinstance(target, Array):
            raise TypeMismatchError(f"cannot write into {describe(target)}: only arrays are written in place")
        check_array_mutable(target)
        self.replace_container(target, Array(new.value, target.spec, target.ident, target.readonly, target.base), node)
        return Const(None)

    def _call_method(self, method: BoundMethod, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        receiver, name = method.receiver, method.name
        if complex_arrays.is_method(receiver, name, args, kwargs):
            return complex_arrays.call_method(receiver, name, args, kwargs)
        if is_array(receiver) and name in numpy_indexing.MUTATING_METHODS:  # x.sort(), x.put(...)
            return self.write_into_array(
                receiver, numpy_indexing.call_mutating_method(receiver, name, args, kwargs), node
            )
        if is_array(receiver):
            return numpy_functions.call_method(receiver, name, args, kwargs)
        if kwargs:
            raise UnsupportedSyntaxError(f"{name}() keyword arguments are not supported")
        if isinstance(receiver, ListValue):
            return containers.call_list_method(self, receiver, name, args, node)
        return containers.call_dict_method(self, receiver, name, args, node)


def emit_call(record: Any, params: list[tuple[str, Any]]) -> Any:
    """A func.call of a specialization with the given parameter values; the result as a value."""
    from dp.frontend import exceptions

    exceptions.called(record.symbol)
    operands = [tensors.leaf_value(leaf) for _, value in params for leaf in number_leaves(value)]
    result_kinds = pytree.leaf_kinds(record.result_spec)
    call = func.CallOp([mlir_type(kind) for kind in result_kinds], ir.FlatSymbolRefAttr.get(record.symbol), operands)
    results = iter([make_leaf(result, kind) for result, kind in zip(call.results, result_kinds)])
    return from_spec(record.result_spec, results)


def with_bound_arguments(
    target: callables.Target, args: list[Any], kwargs: dict[str, Any]
) -> tuple[list[Any], dict[str, Any]]:
    """The arguments `target`'s function receives: what its callable binds (function values made in compiled
    code as they are), then the call's."""
    if not target.bound:
        return list(args), kwargs
    bound = [arg if isinstance(arg, FunctionValue) else from_python(arg, "a bound argument") for arg in target.args]
    args = bound + list(args)
    return args, {**{k: from_python(v, "a bound keyword") for k, v in target.kwargs.items()}, **kwargs}


def bind_arguments(function: Callable, args: list[Any], kwargs: dict[str, Any]) -> list[tuple[str, Any]]:
    """Each parameter of `function` with its value at a call (defaults filled in, `*args` a tuple, `**kwargs` a dict)."""
    return bind_values(function, args, kwargs)


__all__ = ["CallVisitor", "bind_arguments", "emit_call", "is_pure_callable", "with_bound_arguments"]
