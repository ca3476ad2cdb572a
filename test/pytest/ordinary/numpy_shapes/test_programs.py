"""The layout, scan and contraction corpus: every program against its JAX twin in both modes and both widths."""

from __future__ import annotations

import numpy as np
import pytest

from . import harness
from .programs import ARRAY, SCALAR

DTYPES = [np.dtype("float64"), np.dtype("float32")]


def test_the_corpus_has_at_least_thirty_programs():
    assert len(SCALAR) + len(ARRAY) >= 30


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("name", list(SCALAR) + list(ARRAY))
def test_value(name, dtype):
    fn, make = {**SCALAR, **ARRAY}[name]
    harness.check_value(fn, make(), dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("name", list(SCALAR))
def test_reverse(name, dtype):
    fn, make = SCALAR[name]
    harness.check_reverse(fn, make(), dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("name", list(SCALAR) + list(ARRAY))
def test_forward(name, dtype):
    fn, make = {**SCALAR, **ARRAY}[name]
    harness.check_forward(fn, make(), dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("name", list(ARRAY))
def test_vjp_of_array_results(name, dtype):
    fn, make = ARRAY[name]
    harness.check_vjp_of_array(fn, make(), dtype)


@pytest.mark.parametrize("name", list(SCALAR))
def test_second_order(name):
    fn, make = SCALAR[name]
    harness.check_second_order(fn, make())
