"""dp.lower at each stage, checked FileCheck-style.

`filecheck(text, checks)` runs ordered CHECK / CHECK-NOT / CHECK-SAME
directives (regular expressions) over the IR, as FileCheck does: each CHECK
matches after the previous one, CHECK-SAME on the same line, and a
CHECK-NOT must not match between its neighbours. Locations printed as
aliases (`loc(#loc3)` with `#loc3 = loc("file":L:C)` at the end) are
resolved inline first, so each op line shows its own `file:line:col`.
"""

from __future__ import annotations

import math
import re

import pytest

import dp

THIS_FILE = __file__
LOC = r'loc\("[^"]*test_lower\.py":{line}:{col}\)'


def line_of(marker: str) -> int:
    with open(THIS_FILE) as source:
        for number, text in enumerate(source, start=1):
            if text.rstrip().endswith(f"# {marker}"):
                return number
    raise AssertionError(f"no line marked {marker}")


def at(marker: str, col: int | str = r"\d+") -> str:
    """A regex for the location of the line marked `marker`."""
    return LOC.format(line=line_of(marker), col=col)


def resolve_locations(text: str) -> str:
    """Replaces every `#locN` alias by its definition, recursively, and drops the definitions."""
    definitions = dict(re.findall(r"^(#loc\d*) = (loc\(.*\))$", text, flags=re.M))
    body = re.sub(r"^#loc\d* = loc\(.*\)\n?", "", text, flags=re.M)

    def expand(s: str, depth: int = 0) -> str:
        assert depth < 16, "cyclic location aliases"
        return re.sub(r"loc\((#loc\d*)\)", lambda m: expand(definitions[m.group(1)], depth + 1), s)

    def expand_bare(s: str) -> str:
        return re.sub(r"(#loc\d*)\b", lambda m: expand(definitions[m.group(1)]), s)

    return expand_bare(expand(body))


def filecheck(text: str, checks: list[tuple[str, str]]) -> None:
    pos, line_start, pending_not = 0, 0, []
    for kind, pattern in checks:
        if kind == "CHECK-NOT":
            pending_not.append(pattern)
            continue
        if kind == "CHECK-SAME":
            line_end = text.find("\n", pos)
            line_end = len(text) if line_end < 0 else line_end
            match = re.compile(pattern).search(text, pos, line_end)
        elif kind == "CHECK":
            match = re.compile(pattern).search(text, pos)
        else:
            raise ValueError(kind)
        assert match, f"{kind}: {pattern!r} not found after:\n{text[line_start:][:2000]}"
        for forbidden in pending_not:
            hit = re.compile(forbidden).search(text, pos, match.start())
            assert not hit, f"CHECK-NOT: {forbidden!r} matched {hit.group(0)!r}"
        pending_not = []
        pos = match.end()
        line_start = text.rfind("\n", 0, match.start()) + 1
    for forbidden in pending_not:
        hit = re.compile(forbidden).search(text, pos)
        assert not hit, f"CHECK-NOT: {forbidden!r} matched {hit.group(0)!r}"


def op_lines(text: str, function: str) -> list[str]:
    """The lines of the body of `func.func @function`, up to its closing brace."""
    start = text.index(f"func.func @{function}(")
    body = text[start:].splitlines()
    end = next(i for i, line in enumerate(body) if line.startswith("  }"))
    return body[1:end]


def test_the_checker_checks():
    """filecheck and resolve_locations fail when they should (no test here can pass vacuously)."""
    text = "a = 1\nb = 2 x\nc = 3\n"
    filecheck(text, [("CHECK", "a ="), ("CHECK-NOT", "c ="), ("CHECK", "b ="), ("CHECK-SAME", "x"), ("CHECK", "c")])
    for checks in [
        [("CHECK", "b ="), ("CHECK", "a =")],  # out of order
        [("CHECK", "a ="), ("CHECK-NOT", "b"), ("CHECK", "c")],  # forbidden in between
        [("CHECK", "a ="), ("CHECK-SAME", "2")],  # on the next line, not the same one
        [("CHECK", "d")],
    ]:
        with pytest.raises(AssertionError):
            filecheck(text, checks)
    aliased = '#loc = loc("f.py":1:2)\n#loc1 = loc(callsite(#loc at #loc))\nop loc(#loc1)\n'
    assert resolve_locations(aliased) == 'op loc(callsite(loc("f.py":1:2) at loc("f.py":1:2)))\n'


# --------------------------------------------------------------------------
# Functions to lower
# --------------------------------------------------------------------------


def lowered_pow(x, n):  # pow def
    r = 1.0  # pow init
    while n > 0:  # pow while
        n -= 1  # pow decrement
        r *= x  # pow multiply
    return r  # pow return


def _lowered_helper(a):  # helper def
    return a * a  # helper square


def lowered_branch(x, y, n):  # branch def
    if x > y:  # branch if
        z = math.sin(x)  # branch sin
    else:
        z = _lowered_helper(y)  # branch call
    for i in range(n):  # branch for
        z = z * 0.5 + x  # branch update
    return z


# --------------------------------------------------------------------------
# stage="imported"
# --------------------------------------------------------------------------


def test_imported_with_grad_shows_located_ops_and_the_request():
    text = resolve_locations(dp.lower(lowered_pow, 5.0, 3, grad=True, debug_info=True))
    filecheck(
        text,
        [
            ("CHECK", r"func\.func @lowered_pow\(%arg0: f64 " + at("pow def", 1)),
            ("CHECK-SAME", r"%arg1: i64"),
            ("CHECK-SAME", r"-> f64"),
            ("CHECK", r"arith\.constant 1\.0+e\+00 : f64 "),
            ("CHECK", r"scf\.while"),
            ("CHECK", r"arith\.cmpi sgt, .* " + at("pow while", 11)),
            ("CHECK", r"scf\.condition"),
            ("CHECK", r"arith\.subi .* " + at("pow decrement", 9)),
            ("CHECK", r"arith\.mulf .* " + at("pow multiply", 9)),
            ("CHECK", r"scf\.yield"),
            ("CHECK", r"\} " + at("pow while", 5)),  # the scf.while op itself
            ("CHECK", r"return %\S+ : f64 " + at("pow def", 1)),
            ("CHECK-NOT", r"dp\.autodiff @lowered_pow"),
            ("CHECK", r"func\.func @\w+\("),
            ("CHECK", r"dp\.autodiff @lowered_pow\(%arg0, %arg1, %arg2\) args \[active, const\] results \[active\]"),
            ("CHECK-SAME", r": \(f64, i64, f64\) -> \(f64, f64\)"),
        ],
    )


def test_imported_every_op_of_the_users_function_is_located_in_this_file():
    text = resolve_locations(dp.lower(lowered_branch, 1.0, 2.0, 3, grad=True, debug_info=True))
    first, last = line_of("branch def"), line_of("branch update")
    lines = op_lines(text, "lowered_branch")
    assert len(lines) > 10
    for line in lines:
        if line.rstrip().endswith("{") or line.strip().startswith("^bb"):
            continue  # a region op opens here; its location is on its closing brace
        match = re.search(r'loc\("[^"]*test_lower\.py":(\d+):(\d+)\)\s*$', line)
        assert match, f"op without a location in this file: {line}"
        assert first <= int(match.group(1)) <= last, line
    filecheck(
        text,
        [
            ("CHECK", r"arith\.cmpf ogt, %arg0, %arg1 : f64 " + at("branch if", 8)),
            ("CHECK", r"scf\.if"),
            ("CHECK", r"math\.sin %arg0 : f64 " + at("branch sin", 13)),
            ("CHECK", r"\} else \{"),
            ("CHECK", r"call @\w+\(%arg1\) : \(f64\) -> f64 " + at("branch call", 13)),
            ("CHECK", r"\} " + at("branch if", 5)),
            ("CHECK", r"scf\.for .* iter_args"),
            ("CHECK", r"arith\.mulf .* " + at("branch update", 13)),
            ("CHECK", r"arith\.addf .* " + at("branch update", 13)),
            ("CHECK", r"\} " + at("branch for", 5)),
            # the helper, compiled alongside as a private function, located in its own lines
            ("CHECK", r"func\.func private @\w+\(%arg0: f64 " + at("helper def", 1)),
            ("CHECK", r"arith\.mulf %arg0, %arg0 : f64 " + at("helper square", 12)),
            ("CHECK", r"dp\.autodiff @lowered_branch\(.*\) args \[active, active, const\] results \[active\]"),
        ],
    )


def test_imported_without_grad_has_no_request_and_no_locations_unless_asked():
    text = dp.lower(lowered_pow, 5.0, 3)
    assert "func.func @lowered_pow(" in text
    assert "dp." not in text
    assert "loc(" not in text
    assert dp.lower(lowered_pow, 5.0, 3, stage="imported") == text


def test_the_request_follows_the_argument_types():
    # A float n: both arguments active.
    text = dp.lower(lowered_branch, 1.0, 2.0, 3, grad=True)
    assert re.search(r"dp\.autodiff @lowered_branch\(.*\) args \[active, active, const\] results \[active\]", text)
    text = dp.lower(lowered_pow, 5.0, 3, grad=True)
    assert "args [active, const] results [active]" in text


def test_lower_of_a_compiled_function_is_the_same():
    compiled = dp.compile(lowered_pow)
    assert dp.lower(compiled, 5.0, 3, grad=True) == dp.lower(lowered_pow, 5.0, 3, grad=True)
    assert compiled.lower(5.0, 3) == dp.lower(lowered_pow, 5.0, 3)


# --------------------------------------------------------------------------
# stage="differentiated" and stage="llvm"
# --------------------------------------------------------------------------

REQUEST_OPS = r"dp\.(autodiff|fwddiff|augmented|reverse|pullback)\b"


@pytest.mark.parametrize("fn, args", [(lowered_pow, (5.0, 3)), (lowered_branch, (1.0, 2.0, 3))], ids=["pow", "branch"])
def test_differentiated_has_no_requests_left(fn, args):
    imported = dp.lower(fn, *args, grad=True)
    assert re.search(REQUEST_OPS, imported)
    text = dp.lower(fn, *args, grad=True, stage="differentiated")
    assert not re.search(REQUEST_OPS, text), text
    filecheck(
        text,
        [
            ("CHECK", rf"func\.func @{fn.__name__}\("),  # the primal is kept
            ("CHECK-NOT", REQUEST_OPS),
            ("CHECK", r"func\.func @\w+\("),  # the entry now holds the derivative code
            ("CHECK", r"arith\.mulf"),
            ("CHECK", r"return"),
        ],
    )
    # Still above the LLVM dialect: func/arith/scf remain.
    assert "llvm.func" not in text


def test_differentiated_while_loop_keeps_a_tape():
    """scf.while has no trip count: its reverse sweep needs the tape ops (pushed forward, popped backward)."""
    text = dp.lower(lowered_pow, 5.0, 3, grad=True, stage="differentiated")
    filecheck(
        text,
        [
            ("CHECK", r"dp\.tape\.init"),
            ("CHECK", r"scf\.while"),
            ("CHECK", r"dp\.tape\.push"),
            ("CHECK", r"dp\.tape\.pop"),
            ("CHECK", r"dp\.tape\.free"),
        ],
    )


@pytest.mark.parametrize("grad", [False, True])
@pytest.mark.parametrize("fn, args", [(lowered_pow, (5.0, 3)), (lowered_branch, (1.0, 2.0, 3))], ids=["pow", "branch"])
def test_llvm_stage_is_llvm_dialect_only(fn, args, grad):
    text = dp.lower(fn, *args, grad=grad, stage="llvm")
    assert re.search(rf"llvm\.func @{fn.__name__}\(", text)
    ops = re.findall(r"^\s*(?:%[\w#:, ]+ = )?\"?([a-z_]+\.[a-z_.]+)", text, flags=re.M)
    assert ops, text
    foreign = sorted({op for op in ops if not op.startswith("llvm.")})
    assert not foreign, f"non-LLVM ops at stage='llvm': {foreign}"
    for dialect in ("func.func", "scf.", "arith.", "math.", "dp.", "cf.", "memref."):
        assert not re.search(rf"^\s*(%\S+ = )?{re.escape(dialect)}", text, flags=re.M), dialect


def test_llvm_stage_keeps_locations_when_asked():
    text = resolve_locations(dp.lower(lowered_pow, 5.0, 3, stage="llvm", debug_info=True))
    assert re.search(r"llvm\.fmul .* " + at("pow multiply"), text), text


def test_unknown_stage():
    with pytest.raises(ValueError, match="stage"):
        dp.lower(lowered_pow, 5.0, 3, stage="ptx")
