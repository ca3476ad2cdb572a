"""`assert`, `raise` and `try`/`except`/`else`/`finally` in compiled code.

A `raise` of a builtin exception class (with a compile-time message) that no
enclosing `try` of the same function catches, and an `assert` whose
condition is false, become a runtime check (dp.frontend.checks): the call
returns early (the rest of the function is skipped as after a `return`) and
the caller raises a dp.RuntimeCheckError that is also the builtin class
(`except ValueError` in the caller catches it), with the message, at the
user's line. An `assert` whose condition is a compile-time constant costs
nothing when true.

Inside a `try`, a raise (or a failed runtime check: an int division by zero,
an overflow, a failed assert) that one of its handlers catches sets two of
the importer's control variables instead: RAISED, a jump flag like
`return`'s that skips the rest of the body, and EXCEPTION, the number of the
handler that catches it. After the body, the handlers run under an scf.if
on that number, and `else` runs where nothing was raised. What stays out is
a typed error at the user's line: catching what a called function raises,
or what is raised inside a loop of the `try` body; a handler's `as` name;
`finally` after a body that may return, break or continue.
"""

from __future__ import annotations

import ast
import builtins
import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
from mlir import ir
from mlir.dialects import arith, cf

from dp.errors import UnsupportedSyntaxError, raised_error
from dp.frontend import pytree, scalars
from dp.frontend.liveness import contains
from dp.frontend.scope import DEAD, EXCEPTION, RAISED, RESULT, RETURNED, Binding, Unbound
from dp.frontend.values import Const, Scalar, Text, describe, from_spec, zero_leaf

FALSE = Binding(Const(False), 0)
TRUE = Binding(Const(True), 0)
NONE_CAUGHT = -1

# The builtin class a runtime check's tag raises (dp.errors maps the same tags to its RuntimeCheckErrors).
_CHECK_CLASSES: dict[str, type[BaseException]] = {
    "overflow": OverflowError,
    "zero-division": ZeroDivisionError,
    "value": ValueError,
    "assertion": AssertionError,
    "linalg": np.linalg.LinAlgError,
}
_handler_ids = itertools.count()


@dataclass
class _Try:
    """A `try` statement whose body is being imported: its handlers and where its body starts."""

    visitor: Any
    block: ir.Block
    handlers: list[tuple[tuple[type, ...] | None, int]]
    line: int
    foreign: bool = False  # an enclosing try's handler may catch something raised in this body

    def match(self, cls: type) -> int | None:
        """The number of the first handler that catches `cls`, None if none does."""
        for classes, number in self.handlers:
            if classes is None or issubclass(cls, classes):
                return number
        return None


_ACTIVE: list[_Try] = []


def _inside_loop(start: ir.Block) -> bool | None:
    """Whether the insertion point lies in a loop nested in `start`; None when it is not inside `start` at all."""
    block = ir.InsertionPoint.current.block
    while block != start:
        owner = block.owner
        if owner is None:
            return None
        operation = owner.operation
        if operation.name in ("func.func", "builtin.module"):
            return None
        if operation.name in ("scf.for", "scf.while"):
            return True
        block = operation.block
    return False


def catch(cls: type, ok: Any, where: str) -> bool:
    """Routes a possible raise of `cls` (where `ok` is false) to the innermost `try` that catches it.

    False when none does (the caller then emits the runtime check).
    """
    skipped = []
    for context in reversed(_ACTIVE):
        placement = _inside_loop(context.block)
        if placement is None:
            break  # this try and those outside it are in a caller: see `called`
        number = context.match(cls)
        if number is None:
            skipped.append(context)
            continue
        if placement:
            raise UnsupportedSyntaxError(
                f"the {cls.__name__} {where} inside a loop would be caught by the try at line {context.line}; dp "
                "catches exceptions raised directly in a try body only, not in a loop inside it"
            )
        _set_raised(context.visitor, ok, number)
        for inner in skipped:
            inner.foreign = True
        return True
    _note(cls)
    return False


# What each function (by symbol) may raise to its caller, for the check at its calls.
_RAISES: dict[str, set[type]] = {}


def _function_symbol() -> str | None:
    block = ir.InsertionPoint.current.block
    while block.owner is not None:
        operation = block.owner.operation
        if operation.name == "func.func":
            return ir.StringAttr(operation.attributes["sym_name"]).value
        block = operation.block
    return None


def _note(cls: type) -> None:
    symbol = _function_symbol()
    if symbol is not None:
        _RAISES.setdefault(symbol, set()).add(cls)


def called(symbol: str) -> None:
    """At a call of the function `symbol`: what it may raise must not be what a try around the call catches
    (dp does not carry exceptions across calls); what it may raise, the caller may raise too."""
    for cls in sorted(_RAISES.get(symbol, ()), key=lambda c: c.__name__):
        for context in reversed(_ACTIVE):
            if _inside_loop(context.block) is None:
                break
            if context.match(cls) is not None:
                raise UnsupportedSyntaxError(
                    f"the {cls.__name__} this called function may raise would be caught by the try at line "
                    f"{context.line}, but dp catches only what the function holding the try raises itself (not "
                    "what the functions it calls raise); catch it inside the called function"
                )
        _note(cls)


def _set_raised(visitor: Any, ok: Any, number: int) -> None:
    env = visitor.env
    before = visitor.flag(RAISED)
    exception = env[EXCEPTION].value
    failed = scalars.logical_not(ok)
    if isinstance(failed, Const) and isinstance(before, Const):
        if failed.value and not before.value:
            env[RAISED], env[EXCEPTION] = TRUE, Binding(Const(number), 0)
        return
    env[RAISED] = Binding(scalars.any_of([before, failed]), 0)
    fresh = scalars.select(failed, Const(number), exception) if not isinstance(failed, Const) else Const(number)
    env[EXCEPTION] = Binding(scalars.select(before, exception, fresh) if not isinstance(before, Const) else fresh, 0)


def runtime_check(ok: ir.Value, tag: str) -> bool:
    """Whether an enclosing `try` catches a failed runtime check of `tag` (called by dp.frontend.checks.check)."""
    cls = _CHECK_CLASSES.get(tag)
    if cls is None:
        return False
    return catch(cls, Scalar(ok, bool), "raised by this operation")


def _assert_message(tag: str, message: str) -> str:
    return f"[{tag}] {message}"


class ExceptionVisitor:
    """Visitors of `assert`, `raise` and `try`."""

    def visit_Assert(self, node: ast.Assert) -> None:
        ok = scalars.truth(self.visit(node.test))
        if isinstance(ok, Const) and ok.value:
            return
        message = "" if node.msg is None else self._message(self.visit(node.msg), "the message of an assert")
        self._raise(AssertionError, message, ok, node)

    def visit_Raise(self, node: ast.Raise) -> None:
        if node.exc is None:
            raise UnsupportedSyntaxError("a bare `raise` (re-raising the exception being handled) is not supported")
        if node.cause is not None and not (isinstance(node.cause, ast.Constant) and node.cause.value is None):
            raise UnsupportedSyntaxError("`raise ... from` an exception is not supported (`from None` is)")
        cls, message = self._exception(node.exc)
        self._raise(cls, message, Const(False), node)

    def _exception(self, node: ast.expr) -> tuple[type, str]:
        """The class and message of `raise Cls`, `raise Cls("message")`."""
        call = node if isinstance(node, ast.Call) else None
        target = self.visit(call.func if call else node)
        cls = target.value if isinstance(target, Const) else None
        if not (isinstance(cls, type) and issubclass(cls, BaseException)):
            raise UnsupportedSyntaxError(
                f"dp raises instances of builtin exception classes only (raise ValueError('...')), not {describe(target)}"
            )
        if getattr(builtins, cls.__name__, None) is not cls:
            raise UnsupportedSyntaxError(
                f"raising {cls.__module__}.{cls.__qualname__} in compiled code is not supported; raise a builtin "
                "exception class (ValueError, RuntimeError, ...)"
            )
        raised_error(cls)  # a class dp cannot raise as itself is an error here, at compile time
        if call is not None and (call.keywords or len(call.args) > 1):
            raise UnsupportedSyntaxError(f"{cls.__name__}() in a raise takes at most one argument, its message")
        message = self._message(self.visit(call.args[0]), f"the message of {cls.__name__}") if call and call.args else ""
        try:
            cls(message)
        except Exception:
            raise UnsupportedSyntaxError(f"{cls.__name__} cannot be raised with just a message") from None
        return cls, message

    def _message(self, value: Any, what: str) -> str:
        if isinstance(value, Const):
            return str(value.value)
        if isinstance(value, Text) and all(isinstance(part, Const) for part in value.parts):
            return "".join(str(part.value) for part in value.parts)
        raise UnsupportedSyntaxError(
            f"{what} must be known at compile time, not {describe(value)} (an f-string of runtime values can be "
            "printed, but a raised message is fixed when the function is compiled)"
        )

    def _raise(self, cls: type, message: str, ok: Any, node: ast.AST) -> None:
        """Raises `cls(message)` where `ok` is false: caught by a `try` here, or a runtime check."""
        what = "raised here" if isinstance(node, ast.Raise) else "of this assert"
        if catch(cls, ok, what):
            return
        text = f"{cls.__name__}: {message}" if cls is not AssertionError else message
        tag = "assertion" if cls is AssertionError and isinstance(node, ast.Assert) else "raise"
        if tag == "raise" and cls is AssertionError:
            text = f"AssertionError: {message}"
        condition = scalars.as_scalar(ok).value if not isinstance(ok, Const) else _false()
        cf.AssertOp(condition, _assert_message(tag, text))
        if isinstance(ok, Const):
            self._stop()

    def _stop(self) -> None:
        """Leaves the function after a raise that always happens here, as a `return` would."""
        spec = self.record.result_spec
        if self.loop_live is not None and spec is not None:
            self.env[RESULT] = Binding(from_spec(spec, iter([zero_leaf(k) for k in pytree.leaf_kinds(spec)])), 0)
            self.env[RETURNED] = TRUE
        else:
            self.env[DEAD] = TRUE

    # -- try -----------------------------------------------------------------------------------------

    def visit_Try(self, node: ast.Try) -> None:
        jumps = (ast.Return, ast.Break, ast.Continue)
        if node.finalbody and any(
            contains(part, jumps, own_loop=False) for part in [node.body, node.orelse, *[h.body for h in node.handlers]]
        ):
            raise UnsupportedSyntaxError(
                "`finally` after a try body (or handler) that may return, break or continue is not supported"
            )
        if node.finalbody and any(
            contains(part, (ast.Raise,), own_loop=False) for part in [node.finalbody, *[h.body for h in node.handlers]]
        ):
            raise UnsupportedSyntaxError("`finally` with a handler or a finally block that raises is not supported")
        handlers = [(self._handled(h), next(_handler_ids)) for h in node.handlers]
        outer_raised, outer_exception = self.env.get(RAISED), self.env.get(EXCEPTION)
        self.env[RAISED], self.env[EXCEPTION] = FALSE, Binding(Const(NONE_CAUGHT), 0)
        context = _Try(self, ir.InsertionPoint.current.block, handlers, self.line(node))
        _ACTIVE.append(context)
        try:
            self.import_block(node.body)
        finally:
            _ACTIVE.remove(context)
        if not self._never_raised():
            self.env.pop(DEAD, None)  # a path that raised goes on in its handler
        self._dispatch(node, handlers, 0, context.foreign)
        if self._never_raised():
            self._restore(outer_raised, outer_exception)
        if node.finalbody:
            # finally runs on every path, also where an enclosing try's handler is next (it cannot raise itself).
            pending = self.env.get(RAISED)
            self.env[RAISED] = FALSE
            if self.falls_through(self.env):
                self.import_block(node.finalbody)
            if pending is not None:
                self.env[RAISED] = pending

    def _never_raised(self) -> bool:
        raised = self.flag(RAISED)
        return isinstance(raised, Const) and not raised.value

    def _restore(self, raised: Any, exception: Any) -> None:
        for name, value in ((RAISED, raised), (EXCEPTION, exception)):
            if value is None:
                self.env.pop(name, None)
            else:
                self.env[name] = value

    def _handled(self, handler: ast.ExceptHandler) -> tuple[type, ...] | None:
        """The classes an `except` clause catches (None: a bare `except:`), known at compile time."""
        if handler.type is None:
            return None
        value = self.visit(handler.type)
        items = value.items if hasattr(value, "items") and not isinstance(value, Const) else (value,)
        classes = []
        for item in items:
            cls = item.value if isinstance(item, Const) else None
            if not (isinstance(cls, type) and issubclass(cls, BaseException)):
                raise UnsupportedSyntaxError(f"an except clause names exception classes, not {describe(item)}")
            classes.append(cls)
        return tuple(classes)

    def _dispatch(self, node: ast.Try, handlers: list, index: int, foreign: bool) -> None:
        """Runs handler `index` where EXCEPTION is its number, else the next one; `else` where nothing was raised."""
        raised = self.flag(RAISED)
        exception = self.env[EXCEPTION].value
        if index == len(handlers):
            mine = {number for _, number in handlers}
            if (isinstance(raised, Const) and not raised.value) or not foreign:
                self.env[RAISED] = FALSE
                if self.falls_through(self.env):
                    self.import_block(node.orelse)
                return
            # Raised for a handler of an enclosing try: that try's handlers run; here only `else` may.
            if isinstance(exception, Const):
                if exception.value == NONE_CAUGHT:
                    self.env[RAISED] = FALSE
                    self.import_block(node.orelse)
                else:
                    self.env[RAISED] = Binding(Const(exception.value not in mine), 0)
                return
            nothing = _equal(exception, NONE_CAUGHT)

            def no_exception() -> None:
                self.env[RAISED] = FALSE
                self.import_block(node.orelse)

            self.branch(nothing, no_exception, lambda: None, self.liveness.after(node))
            return
        classes, number = handlers[index]
        handler = node.handlers[index]
        if isinstance(exception, Const):
            if exception.value == number:
                self._handle(handler)
            else:
                self._dispatch(node, handlers, index + 1, foreign)
            return

        def handle() -> None:
            self._handle(handler)

        self.branch(_equal(exception, number), handle, lambda: self._dispatch(node, handlers, index + 1, foreign), self.liveness.after(node))

    def _handle(self, handler: ast.ExceptHandler) -> None:
        self.env.pop(DEAD, None)
        self.env[RAISED], self.env[EXCEPTION] = FALSE, Binding(Const(NONE_CAUGHT), 0)
        if handler.name is not None:
            self.env[handler.name] = Unbound(
                UnsupportedSyntaxError,
                f"the exception object '{handler.name}' of an except clause is not available in compiled code",
            )
        self.import_block(handler.body)
        if handler.name is not None:
            self.env.pop(handler.name, None)  # Python deletes it at the end of the handler


def _equal(value: Scalar, number: int) -> Scalar:
    scalar = scalars.as_scalar(value)
    return Scalar(arith.cmpi(arith.CmpIPredicate.eq, scalar.value, scalars.constant(number).value), bool)


def _false() -> ir.Value:
    return arith.constant(ir.IntegerType.get_signless(1), 0)


__all__ = ["ExceptionVisitor", "called", "catch", "runtime_check"]
