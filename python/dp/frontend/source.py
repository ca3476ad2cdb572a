"""The source of a Python function: its AST, file positions and MLIR locations."""

from __future__ import annotations

import __future__
import ast
import copy
import functools
import inspect
import linecache
import symtable
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
        """Parses `fn`'s source; raises UnsupportedSyntaxError when there is none or it is not `fn`'s code."""
        name = getattr(fn, "__qualname__", repr(fn))
        if not isinstance(fn, types.FunctionType):
            raise UnsupportedSyntaxError(
                f"cannot compile {name}: dp compiles Python functions (def or lambda), "
                f"not {type(fn).__name__} objects"
            )
        lines, first_line, filename = source_lines(fn)
        text = "".join(lines)
        dedented = textwrap.dedent(text)
        indent = len(lines[0]) - len(dedented.splitlines(keepends=True)[0])
        node = _find_definition(fn, dedented, first_line, name)
        check_definition(fn, node)
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
        """Attaches the node's position to an error that has none; returns the error.

        In a function dp wrote itself (the wrapper that calls a nested
        derivative), the position is the definition of the user's function.
        """
        user = getattr(self.fn, "__dp_user_function__", None)
        if isinstance(user, types.FunctionType) and error.filename is None:
            source = FunctionSource.of(user)
            return source.locate(error, source.node)
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
    if fn.__code__.co_name != "<lambda>":
        if module is not None and module.body and isinstance(module.body[0], ast.FunctionDef):
            if module.body[0].name != fn.__code__.co_name:
                raise _not_its_code(fn)
            return module.body[0]
        if module is not None and module.body and isinstance(module.body[0], ast.AsyncFunctionDef):
            raise UnsupportedSyntaxError(f"cannot compile {name}: async functions are not supported")
        raise _not_its_code(fn)
    line = fn.__code__.co_firstlineno - first_line + 1
    lambdas = [] if module is None else [n for n in ast.walk(module) if isinstance(n, ast.Lambda) and n.lineno == line]
    if len(lambdas) > 1:
        # Several lambdas on one line: the one whose bytecode is the function's (any of equal ones).
        lambdas = [n for n in lambdas if _compiles_to(fn.__code__, n)][:1]
    if len(lambdas) != 1:
        raise UnsupportedSyntaxError(
            "cannot compile this lambda: dp could not find its source unambiguously; define it with `def`"
        )
    return lambdas[0]


def source_lines(fn: types.FunctionType) -> tuple[list[str], int, str]:
    """The source lines of the code `fn` runs, its first line and its file.

    Found from `fn.__code__`, never from `fn` itself: `inspect` follows
    `__wrapped__`, which `functools.wraps` sets to a different function.
    """
    code = fn.__code__
    try:
        lines, first_line = inspect.getsourcelines(code)
        filename = inspect.getsourcefile(code) or code.co_filename
    except (OSError, TypeError) as err:
        raise UnsupportedSyntaxError(
            f"cannot compile {fn.__qualname__}: its source code is not available ({err}); define it with `def` in a file"
        ) from None
    return lines, first_line, filename


def python_signature(fn: types.FunctionType) -> inspect.Signature:
    """The signature Python binds calls of `fn` with.

    `inspect.signature(fn)` may instead report `__wrapped__`'s signature or a
    `__signature__` attribute; a bare copy of the function has neither.
    """
    bare = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__, fn.__closure__)
    bare.__kwdefaults__ = fn.__kwdefaults__
    return inspect.signature(bare)


_FUTURE_FLAGS = functools.reduce(
    lambda flags, name: flags | getattr(__future__, name).compiler_flag, __future__.all_feature_names, 0
)
_CO_NESTED = __future__.nested_scopes.compiler_flag


def check_definition(fn: types.FunctionType, node: ast.FunctionDef | ast.Lambda) -> None:
    """Raises UnsupportedSyntaxError unless `node` compiles to the bytecode `fn` runs.

    The source in the file may not be what Python runs: the function may come
    from `exec`, its `__code__` may have been replaced, or the file may have
    been edited since it was imported. dp compiles the source, so it must be
    exactly the code's.
    """
    key = (fn.__code__, ast.dump(node))
    matches = _checked.get(key)
    if matches is None:
        matches = _checked[key] = _compiles_to(fn.__code__, node) or _assertions_rewritten(fn.__code__)
    if not matches:
        raise _not_its_code(fn)


def _assertions_rewritten(code: types.CodeType) -> bool:
    """Whether pytest rewrote the `assert` statements of this code (to explain failures).

    Its bytecode then differs from the source's only in how a failed assert
    reports itself, so the source is still what runs.
    """
    return any(name.startswith("@py") for name in code.co_varnames + code.co_names) or any(
        isinstance(const, types.CodeType) and _assertions_rewritten(const) for const in code.co_consts
    )


def _not_its_code(fn: types.FunctionType) -> UnsupportedSyntaxError:
    return UnsupportedSyntaxError(
        f"cannot compile {fn.__qualname__}: the source dp found in {fn.__code__.co_filename} is not the code "
        "Python runs for it (its __code__ was replaced, it was created by exec, or the file changed since it "
        "was imported)"
    )


_checked: dict[tuple[types.CodeType, str], bool] = {}  # (code, dump of its definition) -> whether they match


def _compiles_to(code: types.CodeType, node: ast.FunctionDef | ast.Lambda) -> bool:
    """Whether the definition `node` compiles to `code`."""
    definition = copy.deepcopy(node)
    if isinstance(definition, ast.Lambda):
        definition = ast.Assign(targets=[ast.Name("__dp_lambda__", ast.Store())], value=definition)
    else:
        definition.decorator_list = []  # decorators run in the enclosing scope, not in the code
        # A def binds its name in the enclosing scope: renamed, so that a module-level function's
        # recursive calls stay global lookups here as in the module.
        definition.name = "__dp_definition__"
    body: list[ast.stmt] = [definition]
    if "__class__" in code.co_freevars:  # a method using super() or __class__ closes over its class
        body = [ast.ClassDef("__dp_class__", [], [], body, [])]
    scope = [ast.Assign([ast.Name(name, ast.Store())], ast.Constant(None)) for name in code.co_freevars]
    outer = ast.FunctionDef("__dp_scope__", ast.arguments([], [], None, [], [], None, []), scope + body, [], None)
    # The compiler treats attributes of imported module-level names differently (no method-call
    # form for `math.gamma(x)`), so the file's imports are repeated, never run, only compiled.
    imports = [ast.Import([ast.alias(name)]) for name in sorted(_imported_names(code.co_filename))]
    module = ast.fix_missing_locations(ast.Module([*imports, outer], []))
    try:
        compiled = compile(module, code.co_filename, "exec", flags=code.co_flags & _FUTURE_FLAGS, dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    scope_code = _code_constants(compiled)[0]
    if "__class__" in code.co_freevars:
        scope_code = _code_constants(scope_code)[0]
    name = "<lambda>" if isinstance(node, ast.Lambda) else "__dp_definition__"
    candidates = [c for c in _code_constants(scope_code) if c.co_name == name]
    if len(candidates) != 1:
        return False
    # Nested classes keep their qualified name as a constant: the definition's is the synthetic one.
    qualname = getattr(candidates[0], "co_qualname", None)
    names = (qualname, getattr(code, "co_qualname", qualname))
    return _same_code(candidates[0], code, names, top=True)


def _imported_names(filename: str) -> frozenset[str]:
    """The names a file's module scope binds by `import`, as the compiler sees them."""
    text = "".join(linecache.getlines(filename))
    key = (filename, hash(text))
    names = _imports.get(key)
    if names is None:
        try:
            table = symtable.symtable(text, filename, "exec")
        except (SyntaxError, ValueError):
            names = frozenset()
        else:
            names = frozenset(symbol.get_name() for symbol in table.get_symbols() if symbol.is_imported())
        _imports[key] = names
    return names


_imports: dict[tuple[str, int], frozenset[str]] = {}


def _code_constants(code: types.CodeType) -> list[types.CodeType]:
    return [const for const in code.co_consts if isinstance(const, types.CodeType)]


def _same_code(a: types.CodeType, b: types.CodeType, qualnames: tuple, top: bool = False) -> bool:
    """Equal bytecode, names and constants (nested code compared the same way); positions ignored.

    The name of the top-level code is not compared: the definition was compiled renamed, and
    `qualnames` (the compiled definition's and the real one's) maps the qualified names in string
    constants.
    """
    fields = ("co_code", "co_names", "co_varnames", "co_freevars", "co_cellvars", "co_argcount",
              "co_posonlyargcount", "co_kwonlyargcount")
    if any(getattr(a, field) != getattr(b, field) for field in fields) or (not top and a.co_name != b.co_name):
        return False
    if a.co_flags & ~_CO_NESTED != b.co_flags & ~_CO_NESTED or len(a.co_consts) != len(b.co_consts):
        return False
    for x, y in zip(a.co_consts, b.co_consts):
        if isinstance(x, types.CodeType) and isinstance(y, types.CodeType):
            if not _same_code(x, y, qualnames):
                return False
        elif isinstance(x, str) and isinstance(y, str) and qualnames[0] and x.startswith(qualnames[0]):
            if qualnames[1] + x[len(qualnames[0]):] != y:
                return False
        elif type(x) is not type(y) or repr(x) != repr(y):
            return False
    return True


__all__ = ["FunctionSource", "check_definition", "python_signature", "source_lines"]
