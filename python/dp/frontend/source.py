"""The source of a Python function: its AST, file positions and MLIR locations."""

from __future__ import annotations

import ast
import inspect
import textwrap
import types
from dataclasses import dataclass
from typing import Callable

from mlir import ir

from dp.errors import DpError, UnsupportedSyntaxError


@dataclass
class FunctionSource:
    """A function's parsed definition, with positions mapped back to its file."""

    fn: Callable
    filename: str
    first_line: int  # file line number of the first source line
    indent: int  # columns removed by dedenting
    lines: list[str]
    node: ast.FunctionDef | ast.Lambda

    @classmethod
    def of(cls, fn: Callable) -> "FunctionSource":
        """Parses `fn`'s source; raises UnsupportedSyntaxError when there is none."""
        name = getattr(fn, "__qualname__", repr(fn))
        if not isinstance(fn, types.FunctionType):
            raise UnsupportedSyntaxError(
                f"cannot compile {name}: dp compiles Python functions (def or lambda), "
                f"not {type(fn).__name__} objects"
            )
        try:
            lines, first_line = inspect.getsourcelines(fn)
            filename = inspect.getsourcefile(fn) or fn.__code__.co_filename
        except (OSError, TypeError) as err:
            raise UnsupportedSyntaxError(
                f"cannot compile {name}: its source code is not available ({err}); " "define it with `def` in a file"
            ) from None
        text = "".join(lines)
        dedented = textwrap.dedent(text)
        indent = len(lines[0]) - len(dedented.splitlines(keepends=True)[0])
        node = _find_definition(fn, dedented, first_line, name)
        return cls(fn, filename, first_line, indent, lines, node)

    def position(self, node: ast.AST) -> tuple[int, int]:
        """File line and 1-based column of an AST node."""
        return node.lineno + self.first_line - 1, node.col_offset + self.indent + 1

    def line_text(self, lineno: int) -> str | None:
        """The text of a file line of this function, without its newline."""
        index = lineno - self.first_line
        if 0 <= index < len(self.lines):
            return self.lines[index].rstrip("\n")
        return None

    def location(self, node: ast.AST) -> ir.Location:
        """The MLIR location `file:line:col` of a node (needs an active Context)."""
        line, col = self.position(node)
        return ir.Location.file(self.filename, line, col)

    def locate(self, error: DpError, node: ast.AST) -> DpError:
        """Attaches the node's position to an error that has none; returns the error."""
        if hasattr(node, "lineno"):
            line, col = self.position(node)
            error.locate(self.filename, line, col, self.line_text(line))
        return error

    def error(self, cls: type[DpError], message: str, node: ast.AST) -> DpError:
        """A new error of type `cls` located at `node`."""
        return self.locate(cls(message), node)

    @property
    def name(self) -> str:
        """The function's qualified name, for messages."""
        return self.fn.__qualname__


def _find_definition(fn: types.FunctionType, text: str, first_line: int, name: str) -> ast.FunctionDef | ast.Lambda:
    try:
        module = ast.parse(text)
    except SyntaxError:
        module = None
    if fn.__name__ != "<lambda>":
        if module is not None and module.body and isinstance(module.body[0], ast.FunctionDef):
            return module.body[0]
        if module is not None and module.body and isinstance(module.body[0], ast.AsyncFunctionDef):
            raise UnsupportedSyntaxError(f"cannot compile {name}: async functions are not supported")
        raise UnsupportedSyntaxError(f"cannot compile {name}: dp could not parse its source code")
    line = fn.__code__.co_firstlineno - first_line + 1
    lambdas = [] if module is None else [n for n in ast.walk(module) if isinstance(n, ast.Lambda) and n.lineno == line]
    if len(lambdas) != 1:
        raise UnsupportedSyntaxError(
            "cannot compile this lambda: dp could not find its source unambiguously; define it with `def`"
        )
    return lambdas[0]


__all__ = ["FunctionSource"]
