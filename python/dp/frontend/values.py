"""What the importer knows about a Python value while it builds IR.

A value is either dynamic (`Scalar`: an SSA value of type f64, i64 or i1;
`Array`: an SSA ranked tensor of static shape, a numpy array),
known at compile time (`Const`: numbers, strings, None, functions, modules,
classes; `StaticConst`: a number from a static argument, which stays
compile-time in the callees it is passed to), or a structure of values
(tuples, lists, dicts, NamedTuples, dataclass instances). Values are
immutable: mutating a list, dict or dataclass builds a new value with the
same `ident`, and the importer rebinds every variable that holds that
identity, which is how aliases see the mutation and how control flow can
snapshot and merge environments.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterator

import numpy as np
from mlir import ir

from dp.errors import TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import pytree
from dp.frontend.dtypes import DTYPES, ArraySpec, is_ndarray, spec_of_array
from dp.frontend.pytree import NodeKind, TreeDef

_idents = itertools.count(1)


def fresh_ident() -> int:
    """A new identity for a mutable container."""
    return next(_idents)


def mlir_type(kind: Any) -> ir.Type:
    """The MLIR type of a leaf kind: float → f64, int → i64, bool → i1, an ArraySpec → a ranked tensor."""
    if kind is float:
        return ir.F64Type.get()
    if kind is int:
        return ir.IntegerType.get_signless(64)
    if isinstance(kind, ArraySpec):
        return ir.RankedTensorType.get(list(kind.shape), element_type(kind.dtype))
    return ir.IntegerType.get_signless(1)


def element_type(dtype: str) -> ir.Type:
    """The MLIR element type of a numpy dtype name."""
    spelling = DTYPES[dtype][0]
    if spelling == "f64":
        return ir.F64Type.get()
    if spelling == "f32":
        return ir.F32Type.get()
    return ir.IntegerType.get_signless(int(spelling[1:]))


@dataclass(frozen=True, eq=False)
class Scalar:
    """A dynamic scalar: an SSA value and its Python type (float, int or bool).

    `origin` optionally records how an array op made it (for recognizing
    patterns such as log(sum(exp(x)))).
    """

    value: ir.Value
    kind: type
    origin: Any = None


@dataclass(frozen=True, eq=False)
class Array:
    """A numpy array: an SSA ranked tensor of static shape and its ArraySpec.

    Arrays are values: writing into one builds a new tensor with the same
    `ident`, and every variable holding that identity is rebound (as for
    lists), so aliases see the write. `readonly` says why it may not be
    written (an argument, a view); `base` is the identity of the array a view
    (slice, transpose, reshape) was taken from, so that the view can be
    invalidated when that array is written. `origin` is as for Scalar.
    """

    value: ir.Value
    spec: ArraySpec
    ident: int = field(default_factory=lambda: fresh_ident())
    readonly: str | None = None
    base: int | None = None
    origin: Any = None

    @property
    def kind(self) -> ArraySpec:
        return self.spec

    @property
    def shape(self) -> tuple[int, ...]:
        return self.spec.shape

    @property
    def dtype(self) -> str:
        return self.spec.dtype

    @property
    def ndim(self) -> int:
        return len(self.spec.shape)


@dataclass(frozen=True, eq=False)
class Const:
    """A value known at compile time."""

    value: Any

    @property
    def kind(self) -> type | None:
        """float, int or bool for numbers, None for anything else."""
        return pytree.scalar_kind(self.value)


@dataclass(frozen=True, eq=False)
class StaticConst(Const):
    """A number fixed by the call (a static argument, a default or keyword-only argument of the entry, or computed
    from one): no leaf of a TreeDef, unlike other constant numbers, so the callees it reaches are specialized for
    its value (JAX's static arguments)."""


@dataclass(frozen=True, eq=False)
class Slot:
    """A placeholder leaf in a merge template, filled with an op result later.

    For arrays, `ident`, `readonly` and `base` are what the merged array keeps.
    """

    kind: Any
    ident: int | None = None
    readonly: str | None = None
    base: int | None = None


@dataclass(frozen=True, eq=False)
class TupleValue:
    """A tuple of values."""

    items: tuple


@dataclass(frozen=True, eq=False)
class ListValue:
    """A list of fixed length; `readonly` says why it may not be mutated, if so."""

    items: tuple
    ident: int = field(default_factory=fresh_ident)
    readonly: str | None = None


@dataclass(frozen=True, eq=False)
class DictValue:
    """A dict with compile-time keys (strings or ints)."""

    keys: tuple
    items: tuple
    ident: int = field(default_factory=fresh_ident)
    readonly: str | None = None

    def get(self, key: Any) -> Any:
        """The value at `key`; KeyError if absent."""
        return self.items[self.keys.index(key)]


@dataclass(frozen=True, eq=False)
class RecordValue:
    """A NamedTuple, dataclass or plain class instance: its class and field (attribute) values."""

    cls: type
    fields: tuple[str, ...]
    items: tuple
    ident: int = field(default_factory=fresh_ident)
    readonly: str | None = None

    @property
    def is_namedtuple(self) -> bool:
        return pytree.is_namedtuple_class(self.cls)

    @property
    def node_kind(self) -> NodeKind:
        """NAMEDTUPLE, DATACLASS, or OBJECT for an instance of a plain class (whose attributes may be added)."""
        if self.is_namedtuple:
            return NodeKind.NAMEDTUPLE
        return NodeKind.DATACLASS if pytree.is_dataclass_class(self.cls) else NodeKind.OBJECT

    def get(self, name: str) -> Any:
        return self.items[self.fields.index(name)]


@dataclass(frozen=True, eq=False)
class RangeValue:
    """The result of `range(...)`: only iterated over or measured."""

    start: Any
    stop: Any
    step: Any


@dataclass(frozen=True, eq=False)
class BoundMethod:
    """`receiver.name` for a method dp implements itself (dict.items, ...)."""

    receiver: Any
    name: str


@dataclass(frozen=True, eq=False)
class BoundFunction:
    """A user-defined method bound to a dataclass or NamedTuple instance."""

    function: Callable
    receiver: Any


@dataclass(frozen=True, eq=False)
class FunctionValue:
    """A function made in compiled code: a lambda, a nested def or a functools.partial (dp.frontend.function_values).

    `data` is what is known at compile time (for a closure its Python function, the names of its free
    variables and of its defaults; for a partial how many arguments and which keywords it binds), `items`
    the values it holds, which may be dynamic: a closure's free variables and defaults, a partial's callee
    and bound arguments. `frame` identifies the function body that made a closure, whose later assignments
    to a free variable the closure sees (Python's late binding).
    """

    kind: str  # "closure", "partial" or "transform" (dp.grad and its kin of a function value)
    data: Any
    items: tuple
    frame: int | None = None


@dataclass(frozen=True, eq=False)
class ComplexValue:
    """A complex number or array as its two parts (dp.frontend.complex_numbers): `items` is (real, imag), two
    float numbers or two float arrays of the same dtype and shape, so that the IR is real and every derivative
    rule applies unchanged."""

    items: tuple

    @property
    def real(self) -> Any:
        return self.items[0]

    @property
    def imag(self) -> Any:
        return self.items[1]

    @property
    def dtype(self) -> str:
        """The TreeDef data: "complex" for a number, else the array's numpy dtype, complex128 or complex64."""
        part = self.items[0]
        if is_array(part):
            return "complex64" if leaf_kind(part).dtype == "float32" else "complex128"
        return "complex"


@dataclass(frozen=True, eq=False)
class Text:
    """An f-string with dynamic parts; only `print` consumes it."""

    parts: tuple


def is_number(value: Any) -> bool:
    """Whether a value is a scalar number, dynamic or constant."""
    return isinstance(value, Scalar) or (isinstance(value, Const) and value.kind is not None)


def is_const_array(value: Any) -> bool:
    """Whether a value is a numpy array known at compile time (a global, a default)."""
    return isinstance(value, Const) and is_ndarray(value.value)


def is_array(value: Any) -> bool:
    """Whether a value is an array, dynamic or constant."""
    return isinstance(value, Array) or is_const_array(value)


def is_leaf(value: Any) -> bool:
    """Whether a value is a leaf of a TreeDef: a number or an array (or a merge Slot)."""
    if isinstance(value, StaticConst):
        return False
    return is_number(value) or isinstance(value, (Array, Slot)) or is_const_array(value)


def leaf_kind(value: Any) -> Any:
    """float, int or bool for a number, the ArraySpec of an array."""
    if is_const_array(value):
        return spec_of_array(value.value)
    return value.kind


def make_leaf(value: ir.Value, kind: Any, like: Any = None) -> "Scalar | Array":
    """The importer's value of an SSA value of leaf kind `kind`.

    For an array, `like` (a Slot or an Array) gives the identity, read-only
    reason and base the new value keeps.
    """
    if isinstance(kind, ArraySpec):
        if isinstance(like, (Slot, Array)) and like.ident is not None:
            return Array(value, kind, like.ident, like.readonly, like.base)
        return Array(value, kind)
    return Scalar(value, kind)


def children(value: Any) -> tuple:
    """The sub-values of a structured value (empty for leaves)."""
    if isinstance(value, (TupleValue, ListValue, DictValue, RecordValue, FunctionValue, ComplexValue)):
        return value.items
    return ()


def with_items(value: Any, items: tuple, *, keep_identity: bool = True) -> Any:
    """A copy of a structured value with new items (same identity unless told otherwise)."""
    if isinstance(value, TupleValue):
        return TupleValue(items)
    if isinstance(value, ComplexValue):
        return ComplexValue(items)
    if isinstance(value, FunctionValue):
        return replace(value, items=items)
    if keep_identity:
        return replace(value, items=items)
    return replace(value, items=items, ident=fresh_ident(), readonly=None)


def contains_ident(value: Any, ident: int) -> bool:
    """Whether a mutable container with this identity is inside `value`."""
    if getattr(value, "ident", None) == ident:
        return True
    return any(contains_ident(item, ident) for item in children(value))


def replace_ident(value: Any, ident: int, new: Any) -> Any:
    """`value` with every container of identity `ident` replaced by `new`."""
    if getattr(value, "ident", None) == ident:
        return new
    items = children(value)
    if not items:
        return value
    new_items = tuple(replace_ident(item, ident, new) for item in items)
    if all(a is b for a, b in zip(items, new_items)):
        return value
    return with_items(value, new_items)


def spec_of(value: Any) -> TreeDef:
    """The TreeDef of a value: numbers and arrays are dynamic leaves, other constants static."""
    if is_leaf(value):
        return pytree.leaf(leaf_kind(value))
    if isinstance(value, Const):
        return pytree.static(value.value)
    if isinstance(value, TupleValue):
        return TreeDef(NodeKind.TUPLE, None, tuple(spec_of(v) for v in value.items))
    if isinstance(value, ComplexValue):
        return TreeDef(NodeKind.COMPLEX, value.dtype, tuple(spec_of(v) for v in value.items))
    if isinstance(value, ListValue):
        return TreeDef(NodeKind.LIST, None, tuple(spec_of(v) for v in value.items))
    if isinstance(value, DictValue):
        return TreeDef(NodeKind.DICT, value.keys, tuple(spec_of(v) for v in value.items))
    if isinstance(value, RecordValue):
        return TreeDef(value.node_kind, (value.cls, value.fields), tuple(spec_of(v) for v in value.items))
    if isinstance(value, FunctionValue):
        return TreeDef(NodeKind.FUNCTION, (value.kind, value.data), tuple(spec_of(v) for v in value.items))
    raise UnsupportedSyntaxError(
        f"{describe(value)} cannot be stored in a variable that flows through control flow, "
        "passed to a function or returned"
    )


def describe(value: Any) -> str:
    """A short description of a value's type for messages."""
    if isinstance(value, RangeValue):
        return "a range object"
    if isinstance(value, (BoundMethod, BoundFunction)):
        return "a bound method"
    if isinstance(value, Text):
        return "an f-string"
    if isinstance(value, FunctionValue):
        return pytree.describe(spec_of(value))
    if is_const_array(value):
        return f"the constant {leaf_kind(value)}"
    if isinstance(value, Const) and value.kind is None and not isinstance(value.value, (str, bytes, type(None))):
        return f"the {type(value.value).__name__} {getattr(value.value, '__name__', repr(value.value))}"
    return pytree.describe(spec_of(value))


def number_leaves(value: Any) -> list:
    """The leaves (Scalars, Arrays, numeric and array Consts) of a value, in TreeDef order."""
    if is_leaf(value):
        return [value]
    out: list = []
    for item in children(value):
        out.extend(number_leaves(item))
    return out


def dynamic(value: Any) -> Any:
    """`value` with its StaticConsts as ordinary constants (leaves again): for what loops carry and returns give."""
    if isinstance(value, StaticConst):
        return Const(value.value)
    items = children(value)
    if not items or isinstance(value, FunctionValue):  # a function's constants stay its compile-time constants
        return value
    return with_items(value, tuple(dynamic(item) for item in items))


def rebuild(template: Any, leaves: Iterator) -> Any:
    """`template` with each leaf or Slot replaced by the next of `leaves`."""
    if is_leaf(template):
        return next(leaves)
    items = children(template)
    if not items:
        return template
    return with_items(template, tuple(rebuild(item, leaves) for item in items))


def fill(template: Any, results: Iterator) -> Any:
    """`template` with each Slot replaced by the next of `results` (other leaves kept)."""
    if isinstance(template, Slot):
        result = next(results)
        if isinstance(result, Array) and template.ident is not None:
            return replace(result, ident=template.ident, readonly=template.readonly, base=template.base)
        return result
    items = children(template)
    if not items:
        return template
    return with_items(template, tuple(fill(item, results) for item in items))


def from_spec(spec: TreeDef, leaves: Iterator, readonly: str | None = None) -> Any:
    """A fresh value of structure `spec` whose dynamic leaves come from `leaves`."""
    kind = spec.kind
    if kind is NodeKind.LEAF:
        leaf = next(leaves)
        if readonly is not None and isinstance(leaf, Array):
            leaf = replace(leaf, readonly=readonly)
        return leaf
    if kind is NodeKind.STATIC:
        value = spec.static_value
        return StaticConst(value) if pytree.scalar_kind(value) is not None else Const(value)
    items = tuple(from_spec(child, leaves, readonly) for child in spec.children)
    if kind is NodeKind.TUPLE:
        return TupleValue(items)
    if kind is NodeKind.COMPLEX:
        return ComplexValue(items)
    if kind is NodeKind.LIST:
        return ListValue(items, readonly=readonly)
    if kind is NodeKind.DICT:
        return DictValue(spec.data, items, readonly=readonly)
    if kind is NodeKind.FUNCTION:
        return FunctionValue(*spec.data, items)
    cls, fields = spec.data
    return RecordValue(cls, fields, items, readonly=readonly)


def from_leaves(spec: TreeDef, leaves: list[Any]) -> Any:
    """A value of structure `spec` whose leaves are `leaves`, any values (derivatives, None constants)."""
    if spec.kind is NodeKind.LEAF:
        return leaves[0]
    template = from_spec(spec, iter([Const(0.0)] * len(pytree.leaf_kinds(spec))))
    return rebuild(template, iter(leaves))


@dataclass(frozen=True, eq=False)
class Placeholder(Const):
    """A zero array standing for a value that a control-flow path never uses (see `zeros_like`)."""


def zero_leaf(kind: Any) -> Const:
    """A zero constant of a leaf kind (an array of zeros for an ArraySpec)."""
    if isinstance(kind, ArraySpec):
        import numpy

        return Placeholder(numpy.zeros(kind.shape, kind.numpy_dtype))
    return Const(kind(0))


def zeros_like(value: Any) -> Any:
    """The same structure with every leaf a zero constant."""
    return rebuild(value, iter([zero_leaf(leaf_kind(leaf)) for leaf in number_leaves(value)]))


def from_python(obj: Any, origin: str) -> Any:
    """The compile-time value of a Python object read from globals, closures or defaults.

    Lists, dicts and dataclass instances are read-only: mutating them inside
    compiled code would not change the Python object. `origin` names the
    object for that error message.
    """
    if pytree.is_complex_leaf(obj):
        return complex_constant(obj)
    if isinstance(obj, tuple):
        items = tuple(from_python(item, origin) for item in obj)
        if pytree.is_namedtuple_class(type(obj)):
            return RecordValue(type(obj), tuple(type(obj)._fields), items, readonly=origin)
        return TupleValue(items)
    if isinstance(obj, list):
        return ListValue(tuple(from_python(item, origin) for item in obj), readonly=origin)
    if isinstance(obj, dict):
        return DictValue(tuple(obj), tuple(from_python(v, origin) for v in obj.values()), readonly=origin)
    if pytree.is_dataclass_class(type(obj)):
        fields = pytree.record_fields(type(obj))
        items = tuple(from_python(getattr(obj, name), origin) for name in fields)
        return RecordValue(type(obj), fields, items, readonly=origin)
    return Const(obj)


def complex_constant(value: Any) -> ComplexValue:
    """A complex number or array known at compile time, as constant parts."""
    if is_ndarray(value):
        return ComplexValue((Const(np.ascontiguousarray(value.real)), Const(np.ascontiguousarray(value.imag))))
    return ComplexValue((Const(float(value.real)), Const(float(value.imag))))


def check_mutable(value: Any, what: str) -> None:
    """Raises if `value` may not be mutated (not a container, or read-only)."""
    if isinstance(value, Array) or is_const_array(value):
        check_array_mutable(value)
        return
    if isinstance(value, TupleValue) or (isinstance(value, RecordValue) and value.is_namedtuple):
        raise TypeMismatchError(f"cannot assign to {what}: {describe(value)} is immutable")
    if not isinstance(value, (ListValue, DictValue, RecordValue)):
        raise TypeMismatchError(f"cannot assign to {what}: {describe(value)} does not support item assignment")
    if value.readonly is not None:
        raise UnsupportedSyntaxError(
            f"cannot mutate {value.readonly} inside compiled code: the change would not be visible outside; "
            "copy it first (e.g. `d = dict(d)`, `xs = list(xs)`)"
        )


def check_array_mutable(value: Any) -> None:
    """Raises if an array may not be written in place (an argument, a view, a constant)."""
    if is_const_array(value):
        raise UnsupportedSyntaxError(
            "cannot write into a numpy array that is a compile-time constant (a global or default) inside compiled "
            "code: the change would not be visible outside; copy it first (e.g. `a = a.copy()` or `a = np.array(a)`)"
        )
    if value.readonly is not None:
        if value.base is not None:
            raise UnsupportedSyntaxError(
                f"cannot write into {value.readonly} inside compiled code: dp arrays are values, so the write would "
                "not reach the array it views; copy it first (e.g. `v = v.copy()`) or write into the original array"
            )
        raise UnsupportedSyntaxError(
            f"cannot write into {value.readonly} inside compiled code: the change would not be visible outside; "
            "copy it first (e.g. `a = a.copy()` or `a = np.array(a)`)"
        )


def is_frozen_dataclass(cls: type) -> bool:
    """Whether a dataclass type was declared frozen."""
    params = getattr(cls, "__dataclass_params__", None)
    return bool(params and params.frozen)


def map_leaves(fn: Callable[[Any], Any], value: Any) -> Any:
    """`value` with `fn` applied to each leaf."""
    return rebuild(value, iter([fn(leaf) for leaf in number_leaves(value)]))
