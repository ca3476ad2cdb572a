"""What dp cannot compile among assert/raise/try is a typed error naming the construct at the user's line."""

from __future__ import annotations

import inspect

import pytest

import dp

from . import errors_programs as ep


def _line_of(fn, text: str) -> int:
    lines, start = inspect.getsourcelines(fn)
    exact = [i for i, line in enumerate(lines) if line.strip() == text]
    return start + (exact[0] if exact else next(i for i, line in enumerate(lines) if text in line))


@pytest.mark.parametrize(
    "fn,text,message",
    [
        (ep.catches_helper, "y = helper(x)", "dp catches only what the function holding the try raises itself"),
        (ep.raise_in_loop_in_try, 'raise ValueError("in a loop")', "not in a loop inside it"),
        (ep.uses_exception_object, "print(error)", "the exception object 'error'"),
        (ep.bare_reraise, "raise", "a bare `raise`"),
        (ep.raises_custom, 'raise CustomError("mine")', "raise a builtin exception class"),
        (ep.runtime_message, 'raise ValueError(f"x = {x} is positive")', "must be known at compile time"),
        (ep.finally_after_return, "try:", "`finally` after a try body"),
        (ep.raises_unicode_error, 'raise UnicodeDecodeError("bad bytes")', "cannot be raised with just a message"),
    ],
    ids=lambda v: getattr(v, "__name__", None) if callable(v) else None,
)
def test_unsupported_statements_are_typed_errors(fn, text, message):
    with pytest.raises(dp.UnsupportedSyntaxError) as caught:
        dp.compile(fn)(2.0)
    assert message in str(caught.value)
    assert caught.value.filename == inspect.getsourcefile(fn)
    assert caught.value.lineno == _line_of(fn, text)


def test_a_64_bit_overflow_is_not_caught_as_pythons_overflow_error():
    """Python's ints never overflow, so its handler never runs; dp's IntegerOverflowError reaches the caller."""
    assert ep.overflow_not_caught(1.5, 3) == 1.5 * ((3 * 2**62) % 7)
    with pytest.raises(dp.IntegerOverflowError) as caught:
        dp.compile(ep.overflow_not_caught)(1.5, 3)
    assert caught.value.lineno == _line_of(ep.overflow_not_caught, "big = k *")
    assert dp.compile(ep.overflow_not_caught)(1.5, 1) == ep.overflow_not_caught(1.5, 1)


def test_any_builtin_exception_class_is_raised_as_itself():
    with pytest.raises(OSError) as caught:
        dp.compile(ep.raises_oserror)(2.0)
    assert isinstance(caught.value, dp.errors.RuntimeCheckError) and caught.value.message == "no file"
    assert dp.compile(ep.raises_oserror)(-2.0) == -2.0
