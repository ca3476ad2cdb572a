"""The complex corpus: every program against its JAX twin in both modes, in double and single precision."""

from __future__ import annotations

import pytest

from . import harness
from .programs import SCALAR, STRUCTURED

PRECISIONS = ["double", "single"]
ONE_ARGUMENT = [name for name, (_, make) in STRUCTURED.items() if len(make()) == 1]


def test_the_corpus_has_at_least_fifteen_programs():
    assert len(SCALAR) + len(STRUCTURED) >= 15


@pytest.mark.parametrize("precision", PRECISIONS)
@pytest.mark.parametrize("name", list(SCALAR) + list(STRUCTURED))
def test_value(name, precision):
    fn, make = {**SCALAR, **STRUCTURED}[name]
    harness.check_value(fn, make(), precision)


@pytest.mark.parametrize("precision", PRECISIONS)
@pytest.mark.parametrize("name", list(SCALAR))
def test_reverse(name, precision):
    fn, make = SCALAR[name]
    harness.check_reverse(fn, make(), precision)


@pytest.mark.parametrize("precision", PRECISIONS)
@pytest.mark.parametrize("name", list(SCALAR) + list(STRUCTURED))
def test_forward(name, precision):
    fn, make = {**SCALAR, **STRUCTURED}[name]
    harness.check_forward(fn, make(), precision)


@pytest.mark.parametrize("precision", PRECISIONS)
@pytest.mark.parametrize("name", list(STRUCTURED))
def test_vjp_of_complex_results(name, precision):
    fn, make = STRUCTURED[name]
    harness.check_vjp(fn, make(), precision)


@pytest.mark.parametrize("name", list(SCALAR))
def test_second_order(name):
    fn, make = SCALAR[name]
    harness.check_second_order(fn, make())


@pytest.mark.parametrize("name", ONE_ARGUMENT)
def test_reverse_over_a_pullback_in_compiled_code(name):
    fn, make = STRUCTURED[name]
    harness.check_reverse_over_vjp(fn, make()[0])
