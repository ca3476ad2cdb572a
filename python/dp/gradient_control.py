"""Functions that shape derivatives inside compiled code."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def stop_gradient(x: T) -> T:
    """Returns `x`; derivatives treat the result as a constant (like jax.lax.stop_gradient).

    Works on numbers and on pytrees of them. Called from plain Python it is
    the identity; in compiled code it becomes `dp.stop_gradient` ops.
    """
    return x


__all__ = ["stop_gradient"]
