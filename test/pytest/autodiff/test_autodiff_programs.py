"""Executed numeric tests of dp-autodiff on the scalar program corpus (issue 3).

Always run: each program's value against its Python reimplementation, and the
finite-difference oracle's convergence (and agreement with closed forms) at
each test point, so the points are known to be good before any derivative is
compared with them. Run once `dp-lower-to-cpu` is registered (skipped before,
for that reason only): reverse mode against finite differences, forward
against reverse, the dot-product test, closed-form gradients, split mode.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from mlir import ir

from .harness import (
    FLOAT_TYPES,
    check_grads,
    check_pullback,
    compile_program,
    finite_differences,
    forward_wrapper,
    require_autodiff,
    reverse_wrapper,
)
from .programs import POW_WHILE, PROGRAMS, Program

CASES = [pytest.param(p, point, id=f"{p.name}-{i}") for p in PROGRAMS for i, point in enumerate(p.points)]
ANALYTIC_CASES = [c for c in CASES if c.values[0].analytic is not None]

ARITH_FLOAT_OPS = ("addf", "subf", "mulf", "divf", "remf", "negf", "maximumf", "minimumf", "maxnumf",
                   "minnumf", "select", "cmpf", "sitofp", "extf", "truncf")
MATH_OPS = ("sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh",
            "acosh", "atanh", "exp", "exp2", "expm1", "log", "log1p", "log2", "log10", "sqrt", "rsqrt",
            "cbrt", "powf", "fpowi", "absf", "copysign", "erf", "erfc", "floor", "ceil", "round",
            "trunc")
CONTROL_FLOW_OPS = ("scf.for", "scf.while", "scf.if", "scf.execute_region", "func.call", "cf.br",
                    "cf.cond_br")


def _fd_source(program: Program) -> str:
    return program.twin if program.twin is not None else program.source


def test_corpus_covers_issue_3():
    """Every op issue 3 lists appears in some program, and there are at least 35 programs."""
    text = "\n".join(p.source for p in PROGRAMS)
    used = set(re.findall(r"\b(arith|math)\.(\w+)", text))
    missing = [f"arith.{op}" for op in ARITH_FLOAT_OPS if ("arith", op) not in used]
    missing += [f"math.{op}" for op in MATH_OPS if ("math", op) not in used]
    missing += [op for op in CONTROL_FLOW_OPS if op not in text]
    assert not missing, f"no program uses {missing}"
    assert len(PROGRAMS) >= 35
    assert len({p.name for p in PROGRAMS}) == len(PROGRAMS), "program names must be unique"
    assert any("f32" in compile_program(p.source).signature.args for p in PROGRAMS)


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.name)
def test_request_wrappers_verify(program: Program) -> None:
    """The generated dp.autodiff / dp.fwddiff wrappers satisfy the ops' layout verifiers."""
    sig = compile_program(program.source).signature
    text = program.source + forward_wrapper(sig) + reverse_wrapper(sig, "__grad", all_results_active=False)
    text += reverse_wrapper(sig, "__vjp", all_results_active=True)
    with ir.Context():
        ir.Module.parse(text)


@pytest.mark.parametrize("program, point", CASES)
def test_value_matches_reference(program: Program, point: tuple) -> None:
    prog = compile_program(program.source)
    args = prog.rounded(point)
    got = prog.value(*args)
    want = program.reference(*args)
    assert len(got) == len(want)
    for i, t in enumerate(prog.signature.results):
        if t in FLOAT_TYPES:
            np.testing.assert_allclose(got[i], want[i], rtol=program.value_rtol, err_msg=f"result {i}")
        else:
            assert got[i] == want[i], f"result {i}"


@pytest.mark.parametrize("program, point", CASES)
def test_finite_differences_converge(program: Program, point: tuple) -> None:
    """The oracle is trustworthy here: no trip-count change nearby, extrapolation converged."""
    args = compile_program(program.source).rounded(point)
    fd_prog = compile_program(_fd_source(program))
    fd = finite_differences(fd_prog.value, fd_prog.signature, args)
    fd.assert_reliable(program.rtol)


@pytest.mark.parametrize("program, point", ANALYTIC_CASES)
def test_finite_differences_match_closed_form(program: Program, point: tuple) -> None:
    fd_prog = compile_program(_fd_source(program))
    fd = finite_differences(fd_prog.value, fd_prog.signature, point)
    np.testing.assert_allclose(fd.jacobian[0], program.analytic(*point), rtol=program.analytic_rtol,
                               atol=1e-12)


@pytest.mark.parametrize("program, point", CASES)
def test_gradients(program: Program, point: tuple) -> None:
    """Reverse vs finite differences, forward vs reverse, and the dot-product test."""
    check_grads(program.source, point, program.rtol, fd_source=program.twin)


@pytest.mark.parametrize("program, point", ANALYTIC_CASES)
def test_gradient_matches_closed_form(program: Program, point: tuple) -> None:
    """Through Newton / fixed-point iterations the gradient converges to the implicit derivative."""
    prog = compile_program(program.source)
    require_autodiff()
    np.testing.assert_allclose(prog.grad(*point).grads, program.analytic(*point),
                               rtol=program.analytic_rtol, atol=1e-12)


@pytest.mark.parametrize("program, point", CASES)
def test_split_mode_pullback(program: Program, point: tuple) -> None:
    """dp.augmented once, dp.reverse twice on the same tape, each equal to dp.autodiff."""
    check_pullback(program.source, point)


def test_pow_while_gradient_at_5_3_is_75() -> None:
    """Zygote's headline example, exactly: d/dx x^3 at 5 through an scf.while is 75."""
    prog = compile_program(POW_WHILE)
    assert prog.value(5.0, 3) == (125.0,)
    require_autodiff()
    g = prog.grad(5.0, 3)
    assert g.values == (125.0,)
    assert g.grads.tolist() == [75.0]
    t = prog.jvp(5.0, 3, tangents=[1.0])
    assert t.values == (125.0,)
    assert t.tangents.tolist() == [75.0]
