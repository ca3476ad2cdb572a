"""The calling convention between Python and a compiled entry function.

Every entry `f` is called through its packed wrapper `void _mlir_f(void **args)`:
`args` points to each argument and, last, to storage for the result (one
scalar, or a struct laid out like the C struct of the same fields). The call
itself is a C trampoline in `dp._native` (`PackedCall`): it converts the
Python leaves into a stack buffer according to kinds fixed when the
PackedCall is made, calls the wrapper and builds the result tuple, with no
per-call allocation beyond the result objects. Arguments that do not convert
(an int beyond 64 bits, a string for a float) raise dp.TypeMismatchError.
"""

from __future__ import annotations

from typing import Any, Sequence

from dp import _native
from dp.errors import TypeMismatchError


class Pointer:
    """The kind of an opaque pointer argument or result (a `!dp.tape`)."""


# One character per kind, as the trampoline reads them.
KIND_CODES = {float: "d", int: "q", bool: "?", Pointer: "P"}


def kind_codes(kinds: Sequence[type]) -> str:
    """The trampoline's spelling of a sequence of kinds."""
    try:
        return "".join(KIND_CODES[kind] for kind in kinds)
    except KeyError as error:
        raise TypeError(f"no calling convention for leaves of kind {error.args[0]!r}") from None


class PackedCall(_native.PackedCall):
    """Calls a packed wrapper with a sequence of Python scalars; returns the tuple of results.

    `owner` keeps the code alive (the library it was loaded from). With
    `prints`, Python's and C's stdout are flushed around the call so that
    output of compiled `print` calls stays in order with Python's.
    """

    __slots__ = ()

    def __new__(
        cls, address: int, arg_kinds: Sequence[type], result_kinds: Sequence[type], owner: Any, *, prints: bool = False
    ) -> "PackedCall":
        return super().__new__(cls, address, kind_codes(arg_kinds), kind_codes(result_kinds), owner, prints)


_native.set_type_mismatch_error(TypeMismatchError)

__all__ = ["KIND_CODES", "PackedCall", "Pointer", "kind_codes"]
