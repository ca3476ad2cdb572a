"""Arithmetic of `range(start, stop, step)` loops: trip counts and induction values."""

from __future__ import annotations

import ast
from typing import Any

from dp.frontend import operators, scalars
from dp.frontend.values import Const


def trip_count(start: Any, stop: Any, step: Any) -> Any:
    """The number of iterations of `range(start, stop, step)` (0 for a zero step)."""
    if all(isinstance(part, Const) for part in (start, stop, step)):
        return Const(len(range(start.value, stop.value, step.value)))
    span = operators.binary(ast.Sub, stop, start)
    one = Const(1)

    def upward() -> Any:
        return operators.binary(
            ast.FloorDiv, operators.binary(ast.Add, span, operators.binary(ast.Sub, step, one)), step
        )

    def downward() -> Any:
        return operators.binary(
            ast.FloorDiv, operators.binary(ast.Add, span, operators.binary(ast.Add, step, one)), step
        )

    if isinstance(step, Const) and step.value == 1:
        count = span
    elif isinstance(step, Const):
        count = upward() if step.value > 0 else downward()
    else:
        count = scalars.select(operators.compare(ast.Gt, step, Const(0)), upward(), downward())
        count = scalars.select(operators.compare(ast.Eq, step, Const(0)), Const(0), count)
    return scalars.select(operators.compare(ast.Gt, count, Const(0)), count, Const(0))


def affine(start: Any, k: Any, step: Any) -> Any:
    """`start + k * step`, skipping the identity operations."""
    scaled = k if isinstance(step, Const) and step.value == 1 else operators.binary(ast.Mult, k, step)
    if isinstance(start, Const) and start.value == 0:
        return scaled
    return operators.binary(ast.Add, start, scaled)


__all__ = ["affine", "trip_count"]
