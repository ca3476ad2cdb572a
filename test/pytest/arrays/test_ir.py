"""The IR vocabulary of array code: only ops that dp-autodiff has derivative rules for.

Array programs import to arith/math elementwise ops on tensors, linalg
named ops (broadcast, fill, reduce, transpose, matmul, matvec, vecmat, dot),
tensor reshapes, slices, element access, concat, splat and from_elements,
plus scf control flow, dp.stop_gradient and the cf.assert checks of int
arithmetic. These tests pin that vocabulary
and the specific forms the derivative rules match.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import dp

from . import programs
from .programs import CASES

ALLOWED = {
    "func.func",
    "func.return",
    "func.call",
    "arith.constant",
    "arith.addf",
    "arith.subf",
    "arith.mulf",
    "arith.divf",
    "arith.negf",
    "arith.remf",
    "arith.maximumf",
    "arith.minimumf",
    "arith.maxnumf",
    "arith.minnumf",
    "arith.cmpf",
    "arith.select",
    "arith.sitofp",
    "arith.uitofp",
    "arith.fptosi",
    "arith.extf",
    "arith.truncf",
    "arith.extsi",
    "arith.extui",
    "arith.trunci",
    "arith.index_cast",
    "arith.addi",
    "arith.subi",
    "arith.muli",
    "arith.cmpi",
    "arith.andi",
    "arith.ori",
    "arith.xori",
    "arith.maxsi",
    "arith.minsi",
    "arith.floordivsi",
    "arith.remsi",
    "arith.divsi",
    "arith.shli",
    "arith.shrsi",
    "arith.bitcast",
    "math.sin",
    "math.cos",
    "math.tan",
    "math.asin",
    "math.acos",
    "math.atan",
    "math.atan2",
    "math.sinh",
    "math.cosh",
    "math.tanh",
    "math.asinh",
    "math.acosh",
    "math.atanh",
    "math.exp",
    "math.exp2",
    "math.expm1",
    "math.log",
    "math.log2",
    "math.log10",
    "math.log1p",
    "math.sqrt",
    "math.cbrt",
    "math.absf",
    "math.absi",
    "math.floor",
    "math.ceil",
    "math.trunc",
    "math.roundeven",
    "math.powf",
    "scf.for",
    "scf.while",
    "scf.if",
    "scf.yield",
    "scf.condition",
    "tensor.empty",
    "tensor.extract",
    "tensor.insert",
    "tensor.extract_slice",
    "tensor.insert_slice",
    "tensor.expand_shape",
    "tensor.collapse_shape",
    "tensor.concat",
    "tensor.splat",
    "tensor.from_elements",
    "linalg.broadcast",
    "linalg.fill",
    "linalg.reduce",
    "linalg.yield",
    "linalg.transpose",
    "linalg.matmul",
    "linalg.matvec",
    "linalg.vecmat",
    "linalg.dot",
    "dp.stop_gradient",
    # Checks of int arithmetic (dp.frontend.checks): on ints only, never active.
    "cf.assert",
    "arith.mulsi_extended",
    "arith.minsi",
}
_OP = re.compile(r"(?:^|=\s*|\s)([a-z_]+\.[a-z_0-9]+)(?=[\s(<{]|$)")


def op_names(text: str) -> set[str]:
    names = set()
    for line in text.splitlines():
        line = line.split("//")[0]
        stripped = line.strip()
        if not stripped or stripped.startswith(("module", "}", "^", "(%")):
            continue
        body = stripped.split("=", 1)[1].strip() if re.match(r"^%[\w:#, %]+=", stripped) else stripped
        match = re.match(r"([a-z_]+\.[a-z_0-9]+)", body)
        if match:
            names.add(match.group(1))
    return names


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_only_ops_with_derivative_rules(case):
    text = dp.lower(case.fn, *case.args())
    unexpected = op_names(text) - ALLOWED
    assert not unexpected, f"{case.id} imports ops outside the vocabulary: {sorted(unexpected)}"


def lowered(fn, *args) -> str:
    return dp.lower(fn, *args)


def test_broadcasting_collapses_size_one_dims_then_broadcasts():
    text = lowered(programs.size_one_dims, np.ones((4, 1)), np.ones((1, 3)))
    assert "tensor.collapse_shape %arg0 [[0, 1]] : tensor<4x1xf64> into tensor<4xf64>" in text
    assert "linalg.broadcast ins(%collapsed : tensor<4xf64>) outs(%0 : tensor<4x3xf64>) dimensions = [1]" in text
    assert "arith.addf" in text and "tensor<4x3xf64>" in text


def test_scalars_become_dense_constants_or_splats():
    text = lowered(programs.scalar_on_both_sides, np.ones(5), 1.5)
    assert "arith.constant dense<2.000000e+00> : tensor<5xf64>" in text
    assert "tensor.splat %arg1 : tensor<5xf64>" in text
    assert "arith.mulf %arg0, %arg0 : tensor<5xf64>" in text  # x ** 2


def test_products_fill_a_zero_init():
    text = lowered(programs.products, np.ones((3, 4)), np.ones((4, 2)), np.ones(4), np.ones(3))
    for op in ("linalg.matmul", "linalg.matvec", "linalg.vecmat", "linalg.dot"):
        assert op in text
    assert re.search(r"linalg.fill ins\(%cst\w* : f64\) outs\(%\d+ : tensor<3x2xf64>\)", text)


def test_reductions_are_linalg_reduce_with_one_op_and_an_identity():
    text = lowered(programs.reductions_2d, np.ones((3, 4)))
    bodies = re.findall(r"linalg.reduce .*?\n\s+\(%in: f64, %init: f64\) \{\n\s+%\w+ = (arith\.\w+) %in, %init", text)
    assert set(bodies) == {"arith.addf", "arith.maximumf", "arith.minimumf", "arith.mulf"}
    assert "arith.constant 0xFFF0000000000000 : f64" in text  # -inf, the identity of max
    assert "tensor.expand_shape" in text  # keepdims


def test_naive_logsumexp_compiles_to_the_max_shifted_form():
    text = lowered(programs.naive_logsumexp, np.ones(10))
    assert "arith.maximumf" in text and "dp.stop_gradient" in text and "arith.subf" in text
    value = dp.compile(programs.naive_logsumexp)(np.array([1000.0, 1000.0]))
    assert value == pytest.approx(1000.0 + np.log(2.0), rel=1e-15)  # numpy's naive form overflows to inf
    rows = dp.compile(programs.naive_logsumexp_rows)(np.array([[800.0, 800.0], [-800.0, -800.0]]))
    np.testing.assert_allclose(rows[0], [800.0 + np.log(2.0), -800.0 + np.log(2.0)], rtol=1e-15)


def test_naive_softmax_compiles_to_the_max_shifted_form():
    text = lowered(programs.naive_softmax, np.ones((2, 3)))
    assert text.count("dp.stop_gradient") == 2 and "arith.maximumf" in text
    probabilities, first = dp.compile(programs.naive_softmax)(np.array([[1000.0, 1000.0], [0.0, -1000.0]]))
    np.testing.assert_allclose(probabilities, [[0.5, 0.5], [1.0, 0.0]], rtol=1e-15)  # numpy gives nan
    np.testing.assert_allclose(first, [0.5, 0.5], rtol=1e-15)


def test_indexing_ops():
    text = lowered(programs.runtime_indexing, np.ones((4, 5)), 2, 3)
    assert "tensor.extract %arg0[" in text
    assert "tensor.extract_slice %arg0[" in text and "tensor.collapse_shape" in text
    text = lowered(programs.row_updates, np.ones((4, 3)), np.ones(3))
    assert "tensor.insert_slice" in text and "tensor.insert " in text
    assert "{bufferization.writable = false}" in text


def test_index_loops_carry_the_tensor_and_use_the_induction_variable():
    text = lowered(programs.element_loop, np.ones(6))
    loop = re.search(r"scf.for %(\w+) = .* iter_args\(%\w+ = %\w+\) -> \(tensor<6xf64>\)", text)
    assert loop, text
    assert re.search(rf"tensor.insert %\w+ into %\w+\[%{loop.group(1)}\] : tensor<6xf64>", text)


def test_float32_stays_float32():
    text = lowered(programs.float32_program, np.ones((4, 3), np.float32), np.ones((3, 5), np.float32))
    assert "linalg.matmul ins(%arg0, %arg1 : tensor<4x3xf32>, tensor<3x5xf32>)" in text
    assert "math.tanh %" in text and "tensor<4x5xf32>" in text
    assert "arith.extf" in text  # astype(np.float64)
