"""A function in a module whose asserts pytest rewrote is still compiled from its source."""

import pytest

import dp


def has_an_assert(x):
    assert x > 0.0, "x must be positive"
    return x * x


def test_pytest_rewrote_the_assert_and_dp_still_reads_the_source():
    assert any(name.startswith("@py") for name in has_an_assert.__code__.co_varnames + has_an_assert.__code__.co_names)
    assert dp.compile(has_an_assert)(2.0) == 4.0
    with pytest.raises(AssertionError, match="x must be positive"):
        dp.compile(has_an_assert)(-2.0)
