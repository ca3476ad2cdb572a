"""The ADBench objectives of bench/adbench at small sizes: dp's values equal numpy's, and dp's
values, gradients and Jacobians equal JAX's (rtol 1e-8, float64), so the benchmark's objectives
stay correct (bench/adbench/run.py checks the same at full size before timing)."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import numpy as np
import pytest

import dp

pytest.importorskip("jax")

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench" / "adbench"))

import cases as C  # noqa: E402

CASES = [
    C.gmm_case(3, 4, n=20),
    C.gmm_case(2, 1, n=5),
    C.ba_case(n=3, m=5, p=12),
    C.lstm_case(layers=2, chars=6, b=4),
    C.mlp_case(batch=6, sizes=(12, 8, 5)),
]
BY_NAME = {case.name: case for case in CASES}


@functools.cache
def dp_callable(case_name, measure):
    """One compiled callable per case and measure, shared by the tests (each dp transform object
    compiles once)."""
    return BY_NAME[case_name].measures[measure][0]()


PRIMALS = {
    "GMM": "gmm_objective",
    "BA": "ba_objective",
    "LSTM": "lstm_objective",
    "MLP": "mlp_loss",
}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_primal_matches_numpy(case):
    fn = getattr(C.O, PRIMALS[case.objective])
    args = case.make_data()
    expected = fn(*args)
    got = dp.compile(fn)(*args)
    C.compare(got, expected, rtol=1e-12)


@pytest.mark.parametrize(
    "case,measure",
    [(c, m) for c in CASES for m in c.measures],
    ids=lambda v: v if isinstance(v, str) else v.name,
)
def test_matches_jax(case, measure):
    args = case.make_data()
    got = case.adapt.get(measure, lambda r: r)(dp_callable(case.name, measure)(*args))
    expected = case.measures[measure][1]()(*args)
    C.compare(got, expected, rtol=1e-8)


def test_ba_jacobian_blocks_are_the_jacobian():
    """The per-observation blocks are the Jacobian of the residuals with respect to each
    observation's camera, point and weight (central differences of the numpy residuals)."""
    case = C.ba_case(n=3, m=5, p=12)
    cams, points, w, obs, feats = case.make_data()
    blocks, weights = dp_callable(case.name, "jacobian")(cams, points, w, obs, feats)
    cam, x = C.O.gather_observations(cams, points, obs)
    inputs = np.concatenate([cam, x, w[None]])  # (15, p): the columns of the blocks

    def residuals(v):
        return C.O.reprojection_error(v[:11], v[11:14], v[14], feats.T)

    for j in range(15):
        h = 1e-6 * max(1.0, float(np.max(np.abs(inputs[j]))))
        up, down = inputs.copy(), inputs.copy()
        up[j] += h
        down[j] -= h
        column = (residuals(up) - residuals(down)) / (2 * h)  # (2, p): column j of every block
        np.testing.assert_allclose(blocks[:, j], column, rtol=1e-5, atol=1e-6 * np.max(np.abs(column)))
    np.testing.assert_allclose(weights, -2.0 * w, rtol=1e-15)
