"""Which Python objects dp treats as instances of plain classes, and how it rebuilds them.

An instance of a class written in Python (not a dataclass or NamedTuple,
which pytree handles by their fields) is a record of its instance
attributes, in `vars(obj)` order: each attribute is a pytree of its own.
Classes of libraries (the standard library, site-packages, dp itself) are
not plain: their objects stay compile-time constants, as before. Results
and gradients are rebuilt with `object.__new__` and the attribute dict,
without calling `__init__` (which may reject None gradient leaves or do
work); that is the documented form of a gradient with respect to an object.
"""

from __future__ import annotations

import abc
import functools
import os
import site
import sys
import sysconfig
from typing import Any

_METACLASSES = (type, abc.ABCMeta)


@functools.lru_cache(maxsize=None)
def _library_roots() -> tuple[str, ...]:
    """Directories of the standard library and of installed packages."""
    paths = sysconfig.get_paths()
    roots = {paths.get(name) for name in ("stdlib", "platstdlib", "purelib", "platlib")}
    try:
        roots.update(site.getsitepackages())
    except AttributeError:  # a virtualenv's old site module
        pass
    return tuple(sorted({os.path.realpath(root) + os.sep for root in roots if root}))


@functools.lru_cache(maxsize=1024)
def _library_module(name: str) -> bool:
    module = sys.modules.get(name)
    filename = getattr(module, "__file__", None)
    if filename is None:
        return module is not None and name != "__main__"  # a builtin module
    return os.path.realpath(filename).startswith(_library_roots())


def is_user_class(cls: Any) -> bool:
    """Whether `cls` is a plain class of the user's code: Python-defined, no __slots__, no builtin base but object.

    Dataclasses and NamedTuples are excluded (pytree knows them by their fields).
    """
    if not isinstance(cls, type) or type(cls) not in _METACLASSES:
        return False
    if "__dataclass_fields__" in cls.__dict__ or hasattr(cls, "__dataclass_fields__") or hasattr(cls, "_fields"):
        return False
    for klass in cls.__mro__[:-1]:
        if not klass.__flags__ & (1 << 9) or "__slots__" in vars(klass):  # Py_TPFLAGS_HEAPTYPE: defined in Python
            return False
    if cls.__mro__[-1] is not object or "__new__" in _own_attributes(cls):
        return False
    return not _library_module(cls.__module__)


def _own_attributes(cls: type) -> set[str]:
    names: set[str] = set()
    for klass in cls.__mro__[:-1]:
        names |= set(vars(klass))
    return names


def is_plain_object(obj: Any) -> bool:
    """Whether `obj` is an instance of a plain user class (see `is_user_class`)."""
    return is_user_class(type(obj)) and hasattr(obj, "__dict__")


def build_object(cls: type, values: dict[str, Any]) -> Any:
    """An instance of `cls` whose attributes are `values`, made without calling `__init__`."""
    obj = object.__new__(cls)
    obj.__dict__.update(values)
    return obj


__all__ = ["build_object", "is_plain_object", "is_user_class"]
