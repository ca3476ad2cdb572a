"""Pytrees: nested tuples, lists, dicts, NamedTuples and dataclasses of scalars.

A structured argument is flattened into its *dynamic* leaves (Python floats,
ints and bools, which become arguments of the compiled function) and a
hashable `TreeDef` that records the structure and the *static* leaves
(strings, None, functions), which are baked into the compiled code. The same
`TreeDef` rebuilds results and, with `keep_static=False`, gradients, where
static and non-differentiable leaves come back as None.
"""

from __future__ import annotations

import dataclasses
import enum
import numbers
import types
from typing import Any, Callable, Hashable, Iterator, Sequence

import numpy as np

from dp.errors import TypeMismatchError
from dp.frontend import instances
from dp.frontend.dtypes import ArraySpec, is_ndarray, spec_from_name, spec_of_array

PathKey = int | str | Hashable
Path = tuple[PathKey, ...]


class NodeKind(enum.Enum):
    """What a TreeDef node stands for."""

    LEAF = "leaf"  # a dynamic leaf: data is float, int or bool, or an ArraySpec for a numpy array
    STATIC = "static"  # a compile-time value: data is (type, value)
    TUPLE = "tuple"
    LIST = "list"
    DICT = "dict"  # data is the tuple of keys, in insertion order
    NAMEDTUPLE = "namedtuple"  # data is (class, field names)
    DATACLASS = "dataclass"  # data is (class, field names)
    OBJECT = "object"  # an instance of a plain class (dp.frontend.instances): data is (class, attribute names)
    COMPLEX = "complex"  # a complex number or array: data is "complex" or the numpy dtype; children: real, imaginary
    FUNCTION = "function"  # a function made in compiled code: data is (kind, what is known of it at compile time)


@dataclasses.dataclass(frozen=True)
class TreeDef:
    """The structure of a pytree, hashable so that it can key a compile cache."""

    kind: NodeKind
    data: Hashable = None
    children: tuple["TreeDef", ...] = ()

    def __post_init__(self) -> None:
        # Cache keys are hashed on every call of a compiled function: hash once.
        object.__setattr__(self, "_hash", hash((self.kind, self.data, self.children)))

    def __hash__(self) -> int:
        return self._hash

    @property
    def num_leaves(self) -> int:
        """Number of dynamic leaves."""
        if self.kind is NodeKind.LEAF:
            return 1
        return sum(child.num_leaves for child in self.children)

    @property
    def static_value(self) -> Any:
        """The value of a STATIC node."""
        return self.data[1]

    def child_keys(self) -> tuple[PathKey, ...]:
        """The key of each child, as it appears in a leaf's path."""
        if self.kind in (NodeKind.TUPLE, NodeKind.LIST, NodeKind.FUNCTION):
            return tuple(range(len(self.children)))
        if self.kind is NodeKind.DICT:
            return self.data
        if self.kind in (NodeKind.NAMEDTUPLE, NodeKind.DATACLASS, NodeKind.OBJECT):
            return self.data[1]
        if self.kind is NodeKind.COMPLEX:
            return ("real", "imag")
        return ()

    def __str__(self) -> str:
        return describe(self)


def leaf(kind: Any) -> TreeDef:
    """The TreeDef of one dynamic leaf of Python type `kind` (float, int or bool) or of an ArraySpec."""
    found = _LEAVES.get(kind)
    return found if found is not None else TreeDef(NodeKind.LEAF, kind)


def leaf_from_name(name: str) -> TreeDef:
    """The leaf TreeDef whose kind's `__name__` is `name` ("float", "int", "bool" or an array type);
    ValueError otherwise. The inverse of `treedef.data.__name__` for LEAF nodes (for on-disk metadata)."""
    for kind in (float, int, bool):
        if kind.__name__ == name:
            return _LEAVES[kind]
    return TreeDef(NodeKind.LEAF, spec_from_name(name))


_ARRAY_LEAVES: dict[tuple, TreeDef] = {}


def array_leaf(array: Any, path: Path = ()) -> TreeDef:
    """The TreeDef of a numpy array leaf (cached per dtype and shape: this runs on every call)."""
    key = (array.dtype, array.shape)
    found = _ARRAY_LEAVES.get(key) if type(array) is np.ndarray else None  # subclasses are checked every time
    if found is None:
        spec = spec_of_array(array, "" if not path else f" at {_show_path(path)}")
        found = TreeDef(NodeKind.LEAF, spec)
        if len(_ARRAY_LEAVES) < 4096:
            _ARRAY_LEAVES[key] = found
    return found


def static(value: Any) -> TreeDef:
    """The TreeDef of a compile-time leaf."""
    return TreeDef(NodeKind.STATIC, (type(value), value))


_LEAVES = {kind: TreeDef(NodeKind.LEAF, kind) for kind in (float, int, bool)}
COMPLEX_SCALAR = TreeDef(NodeKind.COMPLEX, "complex", (_LEAVES[float], _LEAVES[float]))
SCALAR_LEAVES = _LEAVES  # the leaf TreeDef of an exact float, int or bool type
_STATIC_TYPES = (str, bytes, type(None), types.FunctionType, types.BuiltinFunctionType, types.ModuleType)


def scalar_kind(value: Any) -> type | None:
    """float, int or bool for a Python (or numpy) scalar, None for anything else."""
    if isinstance(value, bool):
        return bool
    if isinstance(value, numbers.Integral):
        return int
    if isinstance(value, numbers.Real):
        return float
    return None


def is_namedtuple_class(cls: type) -> bool:
    """Whether `cls` was made by collections.namedtuple or typing.NamedTuple."""
    return issubclass(cls, tuple) and hasattr(cls, "_fields")


def is_dataclass_class(cls: type) -> bool:
    """Whether `cls` is a dataclass type (not an instance)."""
    return isinstance(cls, type) and dataclasses.is_dataclass(cls)


def record_fields(cls: type) -> tuple[str, ...]:
    """Field names of a NamedTuple or dataclass type, in declaration order."""
    if is_namedtuple_class(cls):
        return tuple(cls._fields)
    return tuple(f.name for f in dataclasses.fields(cls))


def flatten(tree: Any, *, numbers_static: bool = False) -> tuple[list[Any], TreeDef]:
    """The dynamic leaves of `tree` in order, and its TreeDef.

    With `numbers_static`, scalars are static leaves too (for compile-time
    values such as keyword arguments). Raises TypeMismatchError for a value
    that is neither a supported container nor a supported leaf.
    """
    leaves: list[Any] = []
    treedef = _flatten(tree, leaves, numbers_static, ())
    return leaves, treedef


def _flatten(tree: Any, leaves: list[Any], numbers_static: bool, path: Path) -> TreeDef:
    exact = _LEAVES.get(type(tree))
    if exact is not None and not numbers_static:
        leaves.append(tree)
        return exact
    if is_complex_leaf(tree):
        return _flatten_complex(tree, leaves, numbers_static, path)
    if is_ndarray(tree):
        if numbers_static:
            raise TypeMismatchError(
                f"the array at {_show_path(path)} is a compile-time value here (a keyword-only argument or a "
                "default); pass arrays to a positional parameter"
            )
        leaves.append(tree)
        return array_leaf(tree, path)
    kind = scalar_kind(tree)
    if kind is not None:
        if numbers_static:
            return static(tree)
        leaves.append(tree)
        return _LEAVES[kind]
    cls = type(tree)
    if isinstance(tree, tuple):
        if is_namedtuple_class(cls):
            fields = tuple(cls._fields)
            children = tuple(_flatten(item, leaves, numbers_static, path + (name,)) for name, item in zip(fields, tree))
            return TreeDef(NodeKind.NAMEDTUPLE, (cls, fields), children)
        children = tuple(_flatten(item, leaves, numbers_static, path + (i,)) for i, item in enumerate(tree))
        return TreeDef(NodeKind.TUPLE, None, children)
    if isinstance(tree, list):
        children = tuple(_flatten(item, leaves, numbers_static, path + (i,)) for i, item in enumerate(tree))
        return TreeDef(NodeKind.LIST, None, children)
    if isinstance(tree, dict):
        keys = tuple(tree)
        for key in keys:
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise TypeMismatchError(
                    f"dict key {key!r} at {_show_path(path)} is not supported: dict keys must be strings or ints"
                )
        children = tuple(_flatten(tree[key], leaves, numbers_static, path + (key,)) for key in keys)
        return TreeDef(NodeKind.DICT, keys, children)
    if dataclasses.is_dataclass(tree) and not isinstance(tree, type):
        fields = record_fields(cls)
        children = tuple(_flatten(getattr(tree, name), leaves, numbers_static, path + (name,)) for name in fields)
        return TreeDef(NodeKind.DATACLASS, (cls, fields), children)
    if instances.is_plain_object(tree):
        fields = tuple(vars(tree))
        children = tuple(_flatten(getattr(tree, name), leaves, numbers_static, path + (name,)) for name in fields)
        return TreeDef(NodeKind.OBJECT, (cls, fields), children)
    if isinstance(tree, _STATIC_TYPES) or isinstance(tree, type):
        return static(tree)
    raise TypeMismatchError(
        f"value of type {cls.__name__} at {_show_path(path)} is not supported: dp takes floats, ints, bools, "
        "numpy arrays, strings and tuples, lists, dicts, NamedTuples, dataclasses or plain class instances of them"
    )


# -- complex numbers: a node of two float leaves, the real and the imaginary part ---------------------------

_COMPLEX_PARTS = {"complex128": "float64", "complex64": "float32"}


def _part_dtype(dtype: str) -> str:
    return _COMPLEX_PARTS[dtype]


def is_complex_leaf(value: Any) -> bool:
    """Whether a Python value is a complex number or a complex numpy array."""
    if isinstance(value, complex):
        return True
    return isinstance(value, (np.ndarray, np.complexfloating)) and value.dtype.kind == "c"


def _flatten_complex(tree: Any, leaves: list[Any], numbers_static: bool, path: Path) -> TreeDef:
    if not is_ndarray(tree):
        if numbers_static:
            return static(complex(tree))
        leaves += [float(tree.real), float(tree.imag)]
        return COMPLEX_SCALAR
    if tree.dtype.name not in _COMPLEX_PARTS:
        raise TypeMismatchError(
            f"array of dtype {tree.dtype} at {_show_path(path)} is not supported: dp compiles complex128 and "
            "complex64 arrays"
        )
    parts = [np.ascontiguousarray(tree.real), np.ascontiguousarray(tree.imag)]
    if numbers_static:
        _flatten(parts[0], [], numbers_static, path)  # raises the error of a compile-time array
    leaves += parts
    part = array_leaf(parts[0], path)
    return TreeDef(NodeKind.COMPLEX, tree.dtype.name, (part, part))


def join_complex(dtype: str, real: Any, imag: Any) -> Any:
    """The complex value of two parts (None when both are None, a zero where one is)."""
    if real is None and imag is None:
        return None
    if dtype == "complex":
        return complex(real or 0.0, imag or 0.0)
    like = real if real is not None else imag
    out = np.zeros(np.shape(like), dtype)
    out.real = 0.0 if real is None else real
    out.imag = 0.0 if imag is None else imag
    return out


def conjugate_leaves(treedef: TreeDef, leaves: Sequence[Any]) -> list[Any]:
    """`leaves` with each complex node's imaginary leaf negated (None stays None).

    Derivatives with respect to the two real leaves of a complex z = x + iy
    are (df/dx, df/dy); JAX's convention gives a gradient df/dx - i df/dy and
    takes a cotangent c as the real pair (Re c, -Im c): both are this map.
    """
    negate = [False] * len(leaves)
    index = 0

    def visit(node: TreeDef) -> None:
        nonlocal index
        if node.kind is NodeKind.LEAF:
            index += 1
            return
        if node.kind is NodeKind.COMPLEX:
            negate[index + 1] = True
        for child in node.children:
            visit(child)

    visit(treedef)
    return [-leaf if flip and leaf is not None else leaf for leaf, flip in zip(leaves, negate)]


def has_complex(treedef: TreeDef) -> bool:
    """Whether a pytree holds complex numbers or arrays."""
    return treedef.kind is NodeKind.COMPLEX or any(has_complex(child) for child in treedef.children)


def unflatten(treedef: TreeDef, leaves: Sequence[Any], *, keep_static: bool = True) -> Any:
    """Rebuilds the pytree of `treedef` from its dynamic leaves.

    With `keep_static=False`, static leaves become None: that is how gradients,
    which exist only for dynamic float leaves, take the structure of the argument.
    """
    if len(leaves) != treedef.num_leaves:
        raise ValueError(f"{treedef} has {treedef.num_leaves} leaves, got {len(leaves)}")
    return _unflatten(treedef, iter(leaves), keep_static)


def _unflatten(treedef: TreeDef, leaves: Iterator[Any], keep_static: bool) -> Any:
    kind = treedef.kind
    if kind is NodeKind.LEAF:
        return next(leaves)
    if kind is NodeKind.STATIC:
        return treedef.static_value if keep_static else None
    children = [_unflatten(child, leaves, keep_static) for child in treedef.children]
    if kind is NodeKind.COMPLEX:
        return join_complex(treedef.data, *children)
    if kind is NodeKind.TUPLE:
        return tuple(children)
    if kind is NodeKind.LIST:
        return children
    if kind is NodeKind.DICT:
        return dict(zip(treedef.data, children))
    cls, fields = treedef.data
    if kind is NodeKind.NAMEDTUPLE:
        return cls(*children)
    if kind is NodeKind.OBJECT:
        return instances.build_object(cls, dict(zip(fields, children)))
    return build_dataclass(cls, dict(zip(fields, children)))


def build_dataclass(cls: type, values: dict[str, Any]) -> Any:
    """An instance of dataclass `cls` with the given field values.

    Bypasses `__init__` and `__post_init__` (which may reject gradient leaves
    such as None) and works for frozen dataclasses too.
    """
    obj = object.__new__(cls)
    for name, value in values.items():
        object.__setattr__(obj, name, value)
    return obj


def leaf_paths(treedef: TreeDef) -> list[Path]:
    """The path of each dynamic leaf: the keys from the root down to it."""
    paths: list[Path] = []
    _walk(treedef, (), lambda node, path: paths.append(path) if node.kind is NodeKind.LEAF else None)
    return paths


def leaf_kinds(treedef: TreeDef) -> list[Any]:
    """The Python type (float, int or bool) or ArraySpec of each dynamic leaf."""
    kinds: list[type] = []
    _walk(treedef, (), lambda node, path: kinds.append(node.data) if node.kind is NodeKind.LEAF else None)
    return kinds


def _walk(treedef: TreeDef, path: Path, visit: Callable[[TreeDef, Path], None]) -> None:
    visit(treedef, path)
    for key, child in zip(treedef.child_keys(), treedef.children):
        _walk(child, path + (key,), visit)


def is_differentiable(kind: Any) -> bool:
    """Whether a dynamic leaf of this kind gets a gradient (floats and float arrays only)."""
    return kind is float or (isinstance(kind, ArraySpec) and kind.is_float)


def describe(treedef: TreeDef) -> str:
    """A short human-readable type, e.g. `tuple[float, int]` or `Model(w: float, name: 'a')`."""
    kind = treedef.kind
    if kind is NodeKind.LEAF:
        return treedef.data.__name__
    if kind is NodeKind.STATIC:
        value = treedef.static_value
        return repr(value) if isinstance(value, (str, bytes, type(None))) else f"static {type(value).__name__}"
    inner = [describe(child) for child in treedef.children]
    if kind is NodeKind.TUPLE:
        return f"tuple[{', '.join(inner)}]"
    if kind is NodeKind.LIST:
        return f"list[{', '.join(inner)}]"
    if kind is NodeKind.DICT:
        return "{" + ", ".join(f"{key!r}: {text}" for key, text in zip(treedef.data, inner)) + "}"
    if kind is NodeKind.COMPLEX:
        return "complex" if treedef.data == "complex" else inner[0].replace(_part_dtype(treedef.data), treedef.data)
    if kind is NodeKind.FUNCTION:
        return describe_function(treedef.data)
    cls, fields = treedef.data
    return f"{cls.__name__}(" + ", ".join(f"{name}: {text}" for name, text in zip(fields, inner)) + ")"


def describe_function(data: tuple) -> str:
    """How messages name a function made in compiled code (a FUNCTION node's data)."""
    kind, details = data
    if kind == "partial":
        return "a functools.partial object"
    name = details[0].__qualname__
    return "a lambda" if details[0].__name__ == "<lambda>" else f"the nested function {name}"


def _show_path(path: Path) -> str:
    return "the top level" if not path else "".join(f"[{key!r}]" for key in path)


__all__ = [
    "NodeKind",
    "Path",
    "SCALAR_LEAVES",
    "TreeDef",
    "build_dataclass",
    "conjugate_leaves",
    "has_complex",
    "is_complex_leaf",
    "join_complex",
    "describe",
    "flatten",
    "is_dataclass_class",
    "is_differentiable",
    "is_namedtuple_class",
    "leaf",
    "leaf_from_name",
    "leaf_kinds",
    "leaf_paths",
    "record_fields",
    "scalar_kind",
    "static",
    "unflatten",
]
