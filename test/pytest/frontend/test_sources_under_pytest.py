"""A function in a module whose asserts pytest rewrote is still compiled from its source."""

import dp


def has_an_assert(x):
    assert x > 0.0, "x must be positive"
    return x * x


def test_pytest_rewrote_the_assert_and_dp_still_reads_the_source():
    assert any(name.startswith("@py") for name in has_an_assert.__code__.co_varnames + has_an_assert.__code__.co_names)
    # dp compiles the source; assert statements themselves are not supported yet (a typed error).
    try:
        dp.compile(has_an_assert)(2.0)
    except dp.UnsupportedSyntaxError as error:
        assert "not the code Python runs" not in str(error)
        assert "assert" in str(error)
    else:
        assert dp.compile(has_an_assert)(2.0) == 4.0
