"""The vector spaces of check_grads' values: arrays, scalars and containers of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class ArraySpace:
    """Real or complex arrays (or scalars, shape ()) of one shape."""

    shape: tuple[int, ...]
    complex: bool
    scalar: bool = field(compare=False)  # a Python or numpy scalar rather than a 0-d ndarray: the same space

    def randn(self) -> Any:
        value = np.asarray(np.random.randn(*self.shape))
        if self.complex:
            value = value + 1j * np.random.randn(*self.shape)
        return value[()] if self.scalar else value

    def add(self, a: Any, b: Any) -> Any:
        return a + b

    def scale(self, a: Any, s: float) -> Any:
        return a * s

    def covector(self, a: Any) -> Any:
        return np.conj(a) if self.complex else a

    def inner(self, a: Any, b: Any) -> float:
        return float(np.real(np.sum(np.conj(np.asarray(a)) * np.asarray(b))))


@dataclass(frozen=True)
class SequenceSpace:
    """Tuples or lists of values, each in its own space."""

    kind: type
    spaces: tuple

    def randn(self) -> Any:
        return self.kind(space.randn() for space in self.spaces)

    def add(self, a: Any, b: Any) -> Any:
        return self.kind(s.add(x, y) for s, x, y in zip(self.spaces, a, b))

    def scale(self, a: Any, s: float) -> Any:
        return self.kind(space.scale(x, s) for space, x in zip(self.spaces, a))

    def covector(self, a: Any) -> Any:
        return self.kind(space.covector(x) for space, x in zip(self.spaces, a))

    def inner(self, a: Any, b: Any) -> float:
        return sum(space.inner(x, y) for space, x, y in zip(self.spaces, a, b))


@dataclass(frozen=True)
class DictSpace:
    """Dicts of values, each key in its own space."""

    spaces: tuple  # (key, space) pairs in insertion order

    def randn(self) -> Any:
        return {key: space.randn() for key, space in self.spaces}

    def add(self, a: Any, b: Any) -> Any:
        return {key: space.add(a[key], b[key]) for key, space in self.spaces}

    def scale(self, a: Any, s: float) -> Any:
        return {key: space.scale(a[key], s) for key, space in self.spaces}

    def covector(self, a: Any) -> Any:
        return {key: space.covector(a[key]) for key, space in self.spaces}

    def inner(self, a: Any, b: Any) -> float:
        return sum(space.inner(a[key], b[key]) for key, space in self.spaces)


def vspace(value: Any) -> Any:
    """The space `value` lives in."""
    if isinstance(value, (tuple, list)):
        return SequenceSpace(type(value), tuple(vspace(v) for v in value))
    if isinstance(value, dict):
        return DictSpace(tuple((key, vspace(v)) for key, v in value.items()))
    array = np.asarray(value)
    if array.dtype == object:
        raise TypeError(f"no vector space for {type(value).__name__}")
    return ArraySpace(array.shape, np.iscomplexobj(array), not isinstance(value, np.ndarray))
