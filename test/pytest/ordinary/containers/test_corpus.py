"""The containers corpus: every program against its JAX twin in both modes and both float widths."""

from __future__ import annotations

import numpy as np
import pytest

from . import harness
from .programs import SCALAR, STRUCTURED

DTYPES = [np.dtype("float64"), np.dtype("float32")]


def test_the_corpus_has_at_least_fifteen_programs():
    assert len({fn for fn, _ in SCALAR.values()} | {fn for fn, _ in STRUCTURED.values()}) >= 15


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("name", list(SCALAR) + list(STRUCTURED))
def test_value(name, dtype):
    fn, make = {**SCALAR, **STRUCTURED}[name]
    harness.check_value(fn, make(), dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("name", list(SCALAR))
def test_reverse(name, dtype):
    fn, make = SCALAR[name]
    harness.check_reverse(fn, make(), dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("name", list(SCALAR) + list(STRUCTURED))
def test_forward(name, dtype):
    fn, make = {**SCALAR, **STRUCTURED}[name]
    harness.check_forward(fn, make(), dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("name", list(STRUCTURED))
def test_vjp_of_structured_results(name, dtype):
    fn, make = STRUCTURED[name]
    harness.check_vjp(fn, make(), dtype)


@pytest.mark.parametrize("name", list(SCALAR))
def test_second_order(name):
    fn, make = SCALAR[name]
    harness.check_second_order(fn, make())
