"""What compiled code depends on, hashed without running the frontend.

The on-disk cache must recognize "the same function compiled the same way"
in a fresh process, before importing anything. The frontend reads a
function's source, the functions it calls and every non-local name as a
compile-time constant (globals, closure cells, defaults, module and class
attributes), so the key hashes all of that, found from the bytecode:

- a function: its module, qualified name, file, first line and source text
  (as `dp.frontend.source.source_lines` finds it from the code object: what
  the frontend parses), its defaults, its closure cells, and every global or
  builtin its code (nested code included) names;
- values: numbers, strings, bytes, None exactly; tuples, lists, dicts,
  NamedTuples and dataclass instances item by item; functions recursively;
  builtin functions and C types by name; numpy arrays by dtype, shape and bytes;
- library code (files under the standard library and site-packages: numpy,
  math, dp itself) by name and the library's version, not walked: the
  frontend maps numpy's and math's functions by identity, and a library
  changes only with its version;
- modules and classes are namespaces: each attribute whose name appears in
  any walked code is hashed (iterated to a fixed point, since hashing an
  attribute may walk more code), so `consts.N`, `Model.method` and
  properties are covered. Dataclass and NamedTuple classes add their fields
  and defaults.

Anything else (an arbitrary object whose attributes compiled code might
read) makes the function uncacheable: it is still compiled, and cached in
memory, but never written to or read from disk. This errs towards missing:
a name that merely collides with an attribute name adds to the key.

Classes met during the walk get a token (`module:qualname`, numbered when
two classes share it); the cache stores result structures with these tokens
and resolves them against the same walk on a hit.
"""

from __future__ import annotations

import builtins
import dataclasses
import functools
import hashlib
import numbers
import os
import site
import sys
import sysconfig
import types
from typing import Any, Callable, Iterable

from dp.errors import DpError
from dp.frontend.instances import is_user_class
from dp.frontend.pytree import NodeKind, TreeDef, is_namedtuple_class
from dp.frontend.source import source_lines


class Uncacheable(Exception):
    """The compiled code may depend on something that cannot be hashed; the reason says what."""


_PRIMITIVES = (type(None), bool, int, float, complex, str, bytes)
_C_CALLABLES = (
    types.BuiltinFunctionType,
    types.BuiltinMethodType,
    types.MethodDescriptorType,
    types.WrapperDescriptorType,
    types.MethodWrapperType,
    types.ClassMethodDescriptorType,
    types.GetSetDescriptorType,
    types.MemberDescriptorType,
)
_MAX_DEPTH = 64
_HEAPTYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE: classes defined in Python


def code_names(code: types.CodeType) -> set[str]:
    """Names a code object and the code nested in it read as globals or attributes."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= code_names(const)
    return names


def _code_digest(code: types.CodeType) -> str:
    """A hash of a code object's bytecode, names and constants, nested code included."""
    digest = hashlib.sha256()
    digest.update(code.co_code)
    digest.update(repr((code.co_names, code.co_varnames, code.co_freevars, code.co_cellvars)).encode())
    for const in code.co_consts:
        text = _code_digest(const) if isinstance(const, types.CodeType) else f"{type(const).__name__}:{const!r}"
        digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class Fingerprint:
    """A canonical hash of functions, values and structures, and the classes met on the way."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self._ids: dict[int, int] = {}  # id of a function, module or class -> order of first visit
        self._alive: list[Any] = []  # keeps visited objects alive so that ids stay unique
        self._names: set[str] = set()  # every name any walked code reads
        self._namespaces: list[Any] = []  # modules and classes, in order of first visit
        self._done: set[tuple[int, str]] = set()  # (namespace index, attribute) already hashed
        self.classes: dict[str, type] = {}  # token -> class
        self._tokens: dict[int, str] = {}  # id of a class -> token
        self.functions: list[tuple[str, int, int]] = []  # (file, first line, last line) of each function

    # -- output --------------------------------------------------------------------------------

    def add(self, *items: Any) -> None:
        """Hashes a record of primitives (str, int, float, bool, None, tuples of them)."""
        self._hash.update(repr(items).encode("utf-8", "surrogatepass"))
        self._hash.update(b"\x1e")

    def hexdigest(self) -> str:
        """The hash of everything added, after hashing the namespaces' attributes to a fixed point."""
        self._close_namespaces()
        return self._hash.hexdigest()

    def token(self, cls: type) -> str | None:
        """The token of a class met during the walk, or None."""
        return self._tokens.get(id(cls))

    # -- functions -----------------------------------------------------------------------------

    def function(self, fn: types.FunctionType) -> None:
        """Hashes a Python function and, transitively, everything its code may read."""
        if self._seen(fn, "function"):
            return
        code = fn.__code__
        version = _library_version(fn.__module__) if _in_library(code.co_filename) else None
        if version is not None:
            lines = [line for _, _, line in code.co_lines() if line is not None]
            self.functions.append((code.co_filename, code.co_firstlineno, max(lines, default=code.co_firstlineno)))
            self.add("library function", fn.__module__, fn.__qualname__, version)
            return
        try:
            lines, first, filename = source_lines(fn)
        except DpError as error:
            raise Uncacheable(error.message) from None
        source = "".join(lines)
        self.functions.append((filename, first, first + len(lines) - 1))
        # The bytecode too: two lambdas on one line share their source lines and qualified name.
        self.add("function", fn.__module__, fn.__qualname__, filename, first, source, _code_digest(code))
        names = code_names(code)
        self._names |= names
        self.add("defaults")
        self.value(fn.__defaults__)
        self.value(fn.__kwdefaults__)
        for name, cell in zip(code.co_freevars, fn.__closure__ or ()):
            try:
                contents = cell.cell_contents
            except ValueError:
                self.add("free", name, "unbound")
                continue
            self.add("free", name)
            self.value(contents)
        for name in sorted(names & fn.__dict__.keys()):  # attributes set on the function object
            if not _is_dunder(name):
                self.add("function attribute", name)
                self.value(fn.__dict__[name])
        namespace = fn.__globals__
        builtin_names = namespace.get("__builtins__", builtins)
        builtin_names = builtin_names if isinstance(builtin_names, dict) else vars(builtin_names)
        for name in sorted(names):
            if name in namespace:
                self.add("global", name)
                self.value(namespace[name])
            elif name in builtin_names:
                self.add("builtin", name, _qualified(builtin_names[name]))

    def _seen(self, obj: Any, what: str) -> bool:
        """Whether `obj` was visited before (then hashes a reference to it); else records it."""
        index = self._ids.get(id(obj))
        if index is not None:
            self.add("ref", what, index)
            return True
        self._ids[id(obj)] = len(self._ids)
        self._alive.append(obj)
        return False

    # -- values --------------------------------------------------------------------------------

    def value(self, obj: Any, depth: int = 0) -> None:
        """Hashes a compile-time value; raises Uncacheable for one that cannot be hashed."""
        if depth > _MAX_DEPTH:
            raise Uncacheable("a compile-time value is nested too deeply (or contains itself)")
        cls = type(obj)
        if cls in _PRIMITIVES:
            self.add("const", cls.__name__, repr(obj))
        elif cls is tuple or cls is list:
            self.add(cls.__name__, len(obj))
            for item in obj:
                self.value(item, depth + 1)
        elif cls is dict:
            self.add("dict", len(obj))
            for key, item in obj.items():
                if type(key) not in _PRIMITIVES:
                    raise Uncacheable(f"a dict with a key of type {type(key).__name__}")
                self.add("key", type(key).__name__, repr(key))
                self.value(item, depth + 1)
        elif isinstance(obj, types.FunctionType):
            self.function(obj)
        elif isinstance(obj, type):
            self.cls(obj)
        elif isinstance(obj, types.ModuleType):
            if not self._seen(obj, "module"):
                self.add("module", obj.__name__)
                self._namespaces.append(obj)
        elif isinstance(obj, tuple) and is_namedtuple_class(cls):
            self.add("namedtuple", len(obj))
            self.cls(cls)
            for item in obj:
                self.value(item, depth + 1)
        elif dataclasses.is_dataclass(obj):
            self.add("dataclass instance")
            self.cls(cls)
            for field in dataclasses.fields(obj):
                self.add("field", field.name)
                self.value(getattr(obj, field.name), depth + 1)
        elif isinstance(obj, _C_CALLABLES):
            owner = getattr(obj, "__self__", None)
            if owner is not None and not isinstance(owner, (types.ModuleType, type)):
                raise Uncacheable(f"the bound method {_qualified(obj)}")
            self.add("builtin", _qualified(obj), _library_version(getattr(obj, "__module__", None) or ""))
        elif isinstance(obj, (staticmethod, classmethod)):
            self.add(cls.__name__)
            self.value(obj.__func__, depth + 1)
        elif isinstance(obj, property):
            self.add("property")
            self.value(obj.fget, depth + 1)
            self.value(obj.fset, depth + 1)
        elif hasattr(obj, "__dp_target__"):
            target = obj.__dp_target__
            self.add("dp", _qualified(cls))
            self.function(target.function)
            self.value(target.args, depth + 1)
            self.value(target.kwargs, depth + 1)
        elif getattr(obj, "__dp_custom_rule__", False) is True:
            # A function with a custom derivative rule: its options and its functions.
            self.add("dp custom rule", _qualified(cls), repr(obj.__dp_options__))
            for name in ("fun", "fwd", "bwd", "jvp"):
                self.value(getattr(obj, name, None), depth + 1)
        elif getattr(obj, "__dp_derivative__", False) is True and hasattr(obj, "_target"):
            # A transform object (a derivative called in compiled code): its options and its function.
            target = obj._target
            self.add("dp derivative", _qualified(cls), repr(obj.__dp_options__))
            self.function(target.function)
            self.value(target.args, depth + 1)
            self.value(target.kwargs, depth + 1)
        elif isinstance(obj, functools.partial):
            self.add("partial")
            self.value(obj.func, depth + 1)
            self.value(obj.args, depth + 1)
            self.value(obj.keywords, depth + 1)
        elif isinstance(obj, types.MethodType):
            self.add("method")
            self.value(obj.__func__, depth + 1)
            self.value(obj.__self__, depth + 1)
        elif isinstance(obj, numbers.Number):  # numpy and other scalar types
            self.add("number", _qualified(cls), repr(obj))
        elif _is_ndarray(obj):
            self.add("ndarray", obj.dtype.str, obj.shape, hashlib.sha256(obj.tobytes()).hexdigest())
        elif callable(obj) and isinstance(getattr(obj, "__name__", None), str) and _library_version(cls.__module__):
            # A named callable of a library type (numpy's ufuncs and array-function dispatchers).
            name = getattr(obj, "__qualname__", None) or obj.__name__
            self.add("library object", _qualified(cls), getattr(obj, "__module__", None), name)
            self.add(_library_version(cls.__module__))
        else:
            raise Uncacheable(f"a compile-time value of type {_qualified(cls)}")

    def cls(self, cls: type) -> None:
        """Hashes a class: its name, and for Python classes their fields; attributes come later."""
        if self._seen(cls, "class"):
            return
        token = f"{cls.__module__}:{cls.__qualname__}"
        if token in self.classes:
            token += f"#{len(self.classes)}"
        self.classes[token] = cls
        self._tokens[id(cls)] = token
        self.add("class", token)
        if not cls.__flags__ & _HEAPTYPE:
            return  # a C type: its name is all there is
        if dataclasses.is_dataclass(cls):
            for field in dataclasses.fields(cls):
                self.add("field", field.name, field.init)
                if field.default is not dataclasses.MISSING:
                    self.value(field.default)
                if field.default_factory is not dataclasses.MISSING:
                    self.add("factory")
                    self.value(field.default_factory)
        if is_namedtuple_class(cls):
            self.add("fields", tuple(cls._fields))
            self.value(dict(getattr(cls, "_field_defaults", {})))
        if is_user_class(cls):
            # Compiled code calls __init__, __call__ and operator methods without naming them.
            for klass in cls.__mro__[:-1]:
                for name, value in vars(klass).items():
                    if _is_dunder(name) and isinstance(value, (types.FunctionType, staticmethod, classmethod, property)):
                        self.add("special method", klass.__qualname__, name)
                        self.value(value)
        self._namespaces.append(cls)

    def _close_namespaces(self) -> None:
        """Hashes each attribute of each module and class whose name some walked code reads."""
        changed = True
        while changed:
            changed = False
            for index, namespace in enumerate(list(self._namespaces)):
                for name in sorted(self._names):
                    if (index, name) in self._done or _is_dunder(name):
                        continue
                    found, value = _attribute(namespace, name)
                    if not found:
                        continue
                    self._done.add((index, name))
                    self.add("attribute", index, name)
                    self.value(value)
                    changed = True

    # -- structures ----------------------------------------------------------------------------

    def treedef(self, treedef: TreeDef) -> None:
        """Hashes a TreeDef (a call signature's structure, types and static values)."""
        kind = treedef.kind
        self.add("tree", kind.value, len(treedef.children))
        if kind is NodeKind.LEAF:
            self.add(treedef.data.__name__)
        elif kind is NodeKind.STATIC:
            self.value(treedef.static_value)
        elif kind is NodeKind.DICT:
            self.add(tuple((type(key).__name__, repr(key)) for key in treedef.data))
        elif kind in (NodeKind.NAMEDTUPLE, NodeKind.DATACLASS, NodeKind.OBJECT):
            cls, fields = treedef.data
            self.cls(cls)
            self.add(tuple(fields))
        for child in treedef.children:
            self.treedef(child)

    def key(self, key: Any) -> None:
        """Hashes a signature key: nested tuples of TreeDefs and (name, TreeDef) pairs."""
        if isinstance(key, TreeDef):
            self.treedef(key)
        elif isinstance(key, tuple):
            self.add("tuple", len(key))
            for item in key:
                self.key(item)
        else:
            self.value(key)


def _attribute(namespace: Any, name: str) -> tuple[bool, Any]:
    """A module's global or a class's own attribute (along its Python MRO), without descriptors."""
    if isinstance(namespace, types.ModuleType):
        contents = vars(namespace)
        return (True, contents[name]) if name in contents else (False, None)
    for klass in namespace.__mro__:
        if klass is object or not klass.__flags__ & _HEAPTYPE:
            continue
        contents = vars(klass)
        if name in contents:
            fields = getattr(klass, "_fields", ()) if is_namedtuple_class(klass) else ()
            if name in fields:
                return False, None  # a NamedTuple field accessor: the field is hashed already
            return True, contents[name]
    return False, None


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def _qualified(obj: Any) -> str:
    module = getattr(obj, "__module__", None) or ""
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or type(obj).__qualname__
    return f"{module}:{name}"


@functools.lru_cache(maxsize=None)
def _library_roots() -> tuple[str, ...]:
    """Directories of the standard library and of installed packages."""
    paths = sysconfig.get_paths()
    roots = {paths.get(name) for name in ("stdlib", "platstdlib", "purelib", "platlib")}
    try:
        roots.update(site.getsitepackages())
        roots.add(site.getusersitepackages())
    except AttributeError:  # a virtualenv's old site module
        pass
    return tuple(sorted({os.path.realpath(root) + os.sep for root in roots if root}))


@functools.lru_cache(maxsize=4096)
def _in_library(filename: str) -> bool:
    return os.path.realpath(filename).startswith(_library_roots())


@functools.lru_cache(maxsize=None)
def _library_version(module_name: str) -> str | None:
    """The version of the library (top-level package) a module belongs to; None for user code."""
    top = module_name.partition(".")[0]
    module = sys.modules.get(top)
    if module is None:
        return None
    filename = getattr(module, "__file__", None)
    if filename is None:
        return f"builtin {top} {sys.version}" if top in sys.builtin_module_names else None
    if not _in_library(filename):
        return None
    version = getattr(module, "__version__", None)
    if isinstance(version, str):
        return f"{top} {version}"
    info = os.stat(filename)
    return f"{top} {info.st_size} {info.st_mtime_ns}"


def _is_ndarray(obj: Any) -> bool:
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(obj, numpy.ndarray)


def fingerprint_call(
    fn: types.FunctionType, signature_key: Any, options: Iterable[Any], environment: str
) -> Fingerprint:
    """The fingerprint of compiling `fn` for a call signature with options, in an environment."""
    fingerprint = Fingerprint()
    fingerprint.add("dp compile", environment, tuple(options))
    fingerprint.function(fn)
    fingerprint.add("signature")
    fingerprint.key(signature_key)
    return fingerprint


__all__ = ["Fingerprint", "Uncacheable", "code_names", "fingerprint_call"]
