"""The allow-list AST visitor every construct family builds on.

`visit` gives each op the location of the node being visited and attaches
that position to any error raised below it, so messages point at the
user's line; `generic_visit` rejects every construct without a visitor.
"""

from __future__ import annotations

import ast
from typing import Any

from dp.errors import DpError, InternalCompilerError, UnsupportedSyntaxError
from dp.frontend.source import FunctionSource


class ImportSignal(Exception):
    """Control transfer inside the importer; never reaches the user."""


class ReturnTypeUnknown(ImportSignal):
    """A loop needs the function's return type before any return was imported."""

    def __init__(self, record: Any) -> None:
        super().__init__(record.symbol)
        self.record = record


class RecursiveResultUnknown(ImportSignal):
    """A call to a function whose import is in progress and whose return type is unknown."""

    def __init__(self, record: Any) -> None:
        super().__init__(record.symbol)
        self.record = record


class ProbeDone(ImportSignal):
    """A probing import found the function's return type and stops early."""


class Recarry(ImportSignal):
    """A loop body changed variables (through aliases) that the loop does not carry yet."""

    def __init__(self, loop: ast.AST, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.loop = loop
        self.names = names


_CONSTRUCTS: dict[type[ast.AST], str] = {
    ast.Try: "try statement",
    ast.With: "with statement",
    ast.Raise: "raise statement",
    ast.Assert: "assert statement",
    ast.Delete: "del statement",
    ast.Import: "import statement",
    ast.ImportFrom: "import statement",
    ast.Global: "global declaration",
    ast.Nonlocal: "nonlocal declaration",
    ast.FunctionDef: "nested function definition",
    ast.AsyncFunctionDef: "async function definition",
    ast.ClassDef: "class definition",
    ast.Lambda: "lambda expression",
    ast.ListComp: "list comprehension",
    ast.SetComp: "set comprehension",
    ast.DictComp: "dict comprehension",
    ast.GeneratorExp: "generator expression",
    ast.Yield: "yield expression",
    ast.YieldFrom: "yield from expression",
    ast.Await: "await expression",
    ast.AsyncFor: "async for statement",
    ast.AsyncWith: "async with statement",
    ast.Set: "set display",
    ast.NamedExpr: "assignment expression (:=)",
    ast.Starred: "starred expression",
    ast.Match: "match statement",
    ast.Slice: "slice outside a subscript",
    ast.MatMult: "matrix multiplication operator (@)",
}


def construct_name(node: ast.AST) -> str:
    """A readable name of the construct a node stands for."""
    return _CONSTRUCTS.get(type(node), type(node).__name__)


class VisitorBase(ast.NodeVisitor):
    """Locates ops and errors at the node being visited; rejects unknown constructs."""

    source: FunctionSource

    def visit(self, node: ast.AST) -> Any:
        if not hasattr(node, "lineno"):
            return super().visit(node)
        with self.source.location(node):
            try:
                return super().visit(node)
            except ImportSignal:
                raise
            except DpError as error:
                self.source.locate(error, node)
                raise
            except RecursionError:
                raise self.source.error(
                    UnsupportedSyntaxError,
                    "this function nests too deeply for dp's importer (Python's recursion limit); "
                    "split it into smaller functions",
                    node,
                ) from None
            except Exception as error:
                raise self.source.error(
                    InternalCompilerError,
                    f"dp failed to compile this line (a bug in dp): {type(error).__name__}: {error}",
                    node,
                ) from error

    def generic_visit(self, node: ast.AST) -> Any:
        raise UnsupportedSyntaxError(f"unsupported syntax: {construct_name(node)}")


__all__ = [
    "ImportSignal",
    "ProbeDone",
    "Recarry",
    "RecursiveResultUnknown",
    "ReturnTypeUnknown",
    "VisitorBase",
    "construct_name",
]
