"""Which variables are live where, computed on the function's AST.

The importer threads a variable through an scf.if result or a loop's
iter_args only when it is assigned inside and still read afterwards (or in
the next iteration); this backward analysis over the structured AST answers
that. It over-approximates (a variable read on any path counts as live).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field


def loaded_names(node: ast.AST) -> set[str]:
    """Every name read anywhere inside `node`."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def stored_names(target: ast.AST) -> set[str]:
    """The names an assignment target rebinds (not the roots of `a[i] = ...`)."""
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def mutation_root(target: ast.AST) -> str | None:
    """For `a[i].x = ...`, the variable `a` whose contents change."""
    while isinstance(target, (ast.Subscript, ast.Attribute)):
        target = target.value
    return target.id if isinstance(target, ast.Name) else None


def assigned_names(statements: list[ast.stmt]) -> list[str]:
    """Names rebound or mutated anywhere in `statements`, in order of first appearance."""
    names: dict[str, None] = {}
    for statement in statements:
        for node in ast.walk(statement):
            targets: list[ast.AST] = []
            if isinstance(node, ast.Assign):
                targets = list(node.targets)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For)):
                targets = [node.target]
            for target in targets:
                for element in ast.walk(target):
                    if isinstance(element, ast.Name) and isinstance(element.ctx, ast.Store):
                        names.setdefault(element.id)
                    elif isinstance(element, (ast.Subscript, ast.Attribute)) and isinstance(element.ctx, ast.Store):
                        root = mutation_root(element)
                        if root is not None:
                            names.setdefault(root)
    return list(names)


def contains(statements: list[ast.stmt], kinds: tuple[type, ...], *, own_loop: bool) -> bool:
    """Whether a statement of one of `kinds` occurs, optionally not counting nested loops."""
    for statement in statements:
        stack: list[ast.AST] = [statement]
        while stack:
            node = stack.pop()
            if isinstance(node, kinds):
                return True
            if own_loop and isinstance(node, (ast.While, ast.For)):
                stack.extend(node.orelse)
                continue
            stack.extend(child for child in ast.iter_child_nodes(node) if isinstance(child, ast.stmt))
    return False


@dataclass
class _Loop:
    after: frozenset[str]
    head: frozenset[str]


@dataclass
class Liveness:
    """Live-variable sets for the statements of one function body."""

    _after: dict[int, frozenset[str]] = field(default_factory=dict)
    _head: dict[int, frozenset[str]] = field(default_factory=dict)
    _returns: frozenset[str] = frozenset()

    def after(self, statement: ast.stmt) -> frozenset[str]:
        """Names that may be read after `statement` runs."""
        return self._after.get(id(statement), frozenset())

    def head(self, loop: ast.While | ast.For) -> frozenset[str]:
        """Names that may be read at the start of an iteration or after the loop."""
        return self._head.get(id(loop), frozenset())

    @classmethod
    def of(cls, body: list[ast.stmt], returns: frozenset[str] = frozenset()) -> "Liveness":
        """The analysis of `body`; `returns` are variables every return reads besides its value."""
        liveness = cls()
        liveness._returns = returns
        liveness._block(body, returns, None)
        return liveness

    def _block(self, statements: list[ast.stmt], out: frozenset[str], loop: _Loop | None) -> frozenset[str]:
        live = out
        for statement in reversed(statements):
            self._after[id(statement)] = live
            live = self._statement(statement, live, loop)
        return live

    def _statement(self, node: ast.stmt, out: frozenset[str], loop: _Loop | None) -> frozenset[str]:
        if isinstance(node, ast.Return):
            return frozenset(loaded_names(node)) | self._returns
        if isinstance(node, ast.Break):
            return loop.after if loop else out
        if isinstance(node, ast.Continue):
            return loop.head if loop else out
        if isinstance(node, ast.If):
            body = self._block(node.body, out, loop)
            orelse = self._block(node.orelse, out, loop)
            return body | orelse | loaded_names(node.test)
        if isinstance(node, ast.While):
            return self._loop(node, out, loaded_names(node.test), frozenset())
        if isinstance(node, ast.Try):
            return self._try(node, out, loop)
        if isinstance(node, ast.For):
            head = self._loop(node, out, loaded_names(node.target), stored_names(node.target))
            return head | loaded_names(node.iter)
        if isinstance(node, ast.Assign):
            defined = set().union(*(stored_names(t) for t in node.targets))
            return (out - defined) | loaded_names(node)
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            return (out - stored_names(node.target)) | loaded_names(node)
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            return out | {node.target.id} | loaded_names(node)
        return out | loaded_names(node)

    def _try(self, node: ast.Try, out: frozenset[str], loop: _Loop | None) -> frozenset[str]:
        """Any statement of a try body may jump to a handler: what the handlers read is live throughout it."""
        after = self._block(node.finalbody, out, loop)
        handlers = frozenset().union(*(self._block(h.body, after, loop) for h in node.handlers))
        live = self._block(node.orelse, after, loop) | handlers
        for statement in reversed(node.body):
            self._after[id(statement)] = live | handlers
            live = self._statement(statement, live | handlers, loop)
        return live | handlers | frozenset(n for h in node.handlers if h.type for n in loaded_names(h.type))

    def _loop(
        self, node: ast.While | ast.For, out: frozenset[str], uses: set[str], defined: set[str]
    ) -> frozenset[str]:
        head = out | uses
        while True:
            body = self._block(node.body, head, _Loop(after=out, head=head))
            new_head = out | uses | (body - defined)
            if new_head == head:
                break
            head = new_head
        self._head[id(node)] = head
        return head


__all__ = ["Liveness", "assigned_names", "contains", "loaded_names", "mutation_root", "stored_names"]
