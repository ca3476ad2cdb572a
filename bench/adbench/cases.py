"""The benchmark cases: each objective at a size, and what is measured on it with dp and with JAX.

A case's `measures` maps a measurement name ("primal", "gradient", "jacobian", ...) to a pair of
factories (dp, jax); each factory returns a callable taking the case's data arguments. The
factories are called lazily, so a process pays only for the compilations it measures. run.py
times these callables; test/pytest/adbench checks them against each other at small sizes.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import data as D  # noqa: E402
import objectives as O  # noqa: E402

Factory = Callable[[], Callable[..., Any]]


def _dp():
    import dp

    return dp


def _jax():
    import jax

    import jax_objectives as J

    return jax, J


# -- dp-side derivatives that take more than one transform call ---------------------------------


def ba_reprojection_selected(cam, x, w, feats, sel):
    """sum(sel * r): with sel = (1, 0) or (0, 1) (broadcast over observations) its gradient with
    respect to the per-observation inputs is row 0 or row 1 of every observation's 2 x 15
    Jacobian block (each observation's error depends only on its own inputs)."""
    return np.sum(O.reprojection_error(cam, x, w, feats.T) * sel)


def ba_weight_error_sum(w):
    return np.sum(1.0 - w * w)


SELECTORS = (np.array([[1.0], [0.0]]), np.array([[0.0], [1.0]]))


class BAJacobianReverse:
    """The BA Jacobian's per-observation blocks by reverse mode: gather the observations' cameras
    and points (compiled), then two gradients of the row-selected error (one reverse sweep per
    output row, all observations at once); the weight errors' diagonal from a third, tiny one.
    Blocks come back as (2, 15, p): [row, column, observation], columns = 11 camera parameters,
    3 point coordinates, the weight."""

    def __init__(self):
        dp = _dp()
        self.gather = dp.compile(O.gather_observations)
        self.rows = dp.grad(ba_reprojection_selected, argnums=(0, 1, 2))
        self.weights = dp.grad(ba_weight_error_sum)

    def __call__(self, cams, points, w, obs, feats):
        cam, x = self.gather(cams, points, obs)
        blocks = np.empty((2, 15, w.shape[0]))
        for row, sel in enumerate(SELECTORS):
            gcam, gx, gw = self.rows(cam, x, w, feats, sel)
            blocks[row, :11] = gcam
            blocks[row, 11:14] = gx
            blocks[row, 14] = gw
        return blocks, self.weights(w)


class BAJacobianForward:
    """The same blocks by forward mode: 15 dp.jvp calls, each pushing one unit tangent (the same
    parameter of every observation) through all observations at once."""

    def __init__(self):
        dp = _dp()
        self.dp = dp
        self.gather = dp.compile(O.gather_observations)
        self.weights = dp.grad(ba_weight_error_sum)

    def __call__(self, cams, points, w, obs, feats):
        cam, x = self.gather(cams, points, obs)
        p = w.shape[0]
        feats_t = np.ascontiguousarray(feats.T)
        zero_cam, zero_x, zero_w, zero_f = np.zeros((11, p)), np.zeros((3, p)), np.zeros(p), np.zeros((2, p))
        blocks = np.empty((2, 15, p))
        for j in range(15):
            t_cam, t_x, t_w = zero_cam, zero_x, zero_w
            if j < 11:
                t_cam = zero_cam.copy()
                t_cam[j] = 1.0
            elif j < 14:
                t_x = zero_x.copy()
                t_x[j - 11] = 1.0
            else:
                t_w = np.ones(p)
            _, tangent = self.dp.jvp(O.reprojection_error, (cam, x, w, feats_t), (t_cam, t_x, t_w, zero_f))
            blocks[:, j] = tangent
        return blocks, self.weights(w)


def ba_blocks_like_jax(dp_result):
    """dp's (2, 15, p) blocks in JAX's (p, 2, 15) layout, for comparing."""
    blocks, weights = dp_result
    return np.transpose(blocks, (2, 0, 1)), weights


# -- cases ----------------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    objective: str
    sizes: dict
    make_data: Callable[[], tuple]
    measures: dict[str, tuple[Factory, Factory]]
    # dp result -> the structure of JAX's result, per measure (default: as is)
    adapt: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    # the measurement the gradient/primal ratio uses
    gradient: str = "gradient"


def gmm_case(d, k, n=1000):
    def measures():
        return {
            "primal": (lambda: _dp().compile(O.gmm_objective), lambda: _jax()[0].jit(_jax()[1].gmm_objective)),
            "gradient": (
                lambda: _dp().grad(O.gmm_objective, argnums=(0, 1, 2)),
                lambda: _jax()[0].jit(_jax()[0].grad(_jax()[1].gmm_objective, argnums=(0, 1, 2))),
            ),
        }

    return Case(f"gmm_d{d}_k{k}", "GMM", {"d": d, "k": k, "n": n}, lambda: D.gmm(d, k, n), measures())


def ba_case(n=D.BA_SIZES[0], m=D.BA_SIZES[1], p=D.BA_SIZES[2]):
    measures = {
        "primal": (lambda: _dp().compile(O.ba_objective), lambda: _jax()[0].jit(_jax()[1].ba_objective)),
        "gradient": (
            lambda: _dp().grad(O.ba_half_squared_norm, argnums=(0, 1, 2)),
            lambda: _jax()[0].jit(_jax()[0].grad(_jax()[1].ba_half_squared_norm, argnums=(0, 1, 2))),
        ),
        "jacobian": (BAJacobianReverse, lambda: _jax()[0].jit(_jax()[1].ba_jacobian_blocks)),
        "jacobian_fwd": (BAJacobianForward, lambda: _jax()[0].jit(_jax()[1].ba_jacobian_blocks_fwd)),
    }
    adapt = {"jacobian": ba_blocks_like_jax, "jacobian_fwd": ba_blocks_like_jax}
    return Case(f"ba_n{n}_m{m}_p{p}", "BA", {"n": n, "m": m, "p": p}, lambda: D.ba(n, m, p), measures, adapt)


def lstm_case(layers=2, chars=1024, b=14):
    measures = {
        "primal": (lambda: _dp().compile(O.lstm_objective), lambda: _jax()[0].jit(_jax()[1].lstm_objective)),
        "gradient": (
            lambda: _dp().grad(O.lstm_objective, argnums=(0, 1)),
            lambda: _jax()[0].jit(_jax()[0].grad(_jax()[1].lstm_objective, argnums=(0, 1))),
        ),
    }
    return Case(
        f"lstm_l{layers}_c{chars}", "LSTM", {"l": layers, "c": chars, "b": b}, lambda: D.lstm(layers, chars, b), measures
    )


def mlp_case(batch=128, sizes=(784, 128, 10)):
    measures = {
        "primal": (lambda: _dp().compile(O.mlp_loss), lambda: _jax()[0].jit(_jax()[1].mlp_loss)),
        "gradient": (
            lambda: _dp().value_and_grad(O.mlp_loss),
            lambda: _jax()[0].jit(_jax()[0].value_and_grad(_jax()[1].mlp_loss)),
        ),
    }
    name = f"mlp_{'-'.join(map(str, sizes))}_b{batch}"
    return Case(name, "MLP", {"batch": batch, "sizes": list(sizes)}, lambda: D.mlp(batch, sizes), measures)


GMM_SIZES_QUICK = [(2, 5), (10, 25), (64, 50)]
GMM_SIZES = [(2, 5), (2, 50), (10, 5), (10, 25), (20, 50), (32, 25), (64, 5), (64, 50)]


def all_cases(quick: bool = False) -> list[Case]:
    gmm = GMM_SIZES_QUICK if quick else GMM_SIZES
    return [gmm_case(d, k) for d, k in gmm] + [ba_case(), lstm_case(), mlp_case()]


def case_by_name(name: str) -> Case:
    for case in all_cases(quick=False):
        if case.name == name:
            return case
    raise KeyError(name)


# -- comparing results ----------------------------------------------------------------------------


def leaves(value: Any) -> list[np.ndarray]:
    """The arrays and numbers of a (nested tuple/list) result, as float64 numpy arrays."""
    if isinstance(value, (tuple, list)):
        return [leaf for item in value for leaf in leaves(item)]
    return [np.asarray(value, dtype=np.float64)]


def compare(got: Any, expected: Any, rtol: float = 1e-8) -> float:
    """Asserts got == expected leaf by leaf to rtol (with an absolute floor of 1e-12 times the
    leaf's largest magnitude, for entries that are zero up to rounding); returns the largest
    elementwise relative error over the entries above that floor."""
    got_leaves, expected_leaves = leaves(got), leaves(expected)
    assert len(got_leaves) == len(expected_leaves), f"{len(got_leaves)} leaves vs {len(expected_leaves)}"
    worst = 0.0
    for i, (a, b) in enumerate(zip(got_leaves, expected_leaves)):
        assert a.shape == b.shape, f"leaf {i}: shape {a.shape} vs {b.shape}"
        floor = 1e-12 * float(np.max(np.abs(b))) if b.size else 0.0
        np.testing.assert_allclose(a, b, rtol=rtol, atol=floor, err_msg=f"leaf {i}")
        big = np.abs(b) > floor
        if np.any(big):
            worst = max(worst, float(np.max(np.abs(a[big] - b[big]) / np.abs(b[big]))))
    return worst
