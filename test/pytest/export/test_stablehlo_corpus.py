"""The StableHLO export corpus: every program's primal and gradient export, jaxlib verifies them,
the portable artifact round-trips at the minimum version, XLA:CPU runs them, and the numbers equal
dp's native CPU results (rtol 1e-10 primal, 1e-9 gradient) and the JAX twins'."""

from __future__ import annotations

import numpy as np
import pytest

import dp

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)

from dp.backends import xla  # noqa: E402
from dp.frontend.signature import flatten_arguments  # noqa: E402

from .programs import PROGRAMS  # noqa: E402

IDS = [p.name for p in PROGRAMS]


def _dynamic(args):
    """The leaves @main takes: those of every argument but the Python ints and bools (static)."""
    return flatten_arguments([a for a in args if not isinstance(a, (bool, int))], "program")[0]


def _argnums(p):
    return (p.argnums,) if isinstance(p.argnums, int) else tuple(p.argnums)


def _roundtrip(text):
    from jaxlib.mlir.dialects import stablehlo

    artifact = xla.portable_artifact(text, stablehlo.get_minimum_version())
    xla.verify(stablehlo.deserialize_portable_artifact_str(artifact))


def _check_central_differences(program, grads):
    """Float64 central differences of the primal in each scalar float argument differentiated."""
    flat, by_position = iter(grads), {}
    for n in _argnums(program):
        leaves = [next(flat) for _ in _float_leaves(program.args[n])]
        if isinstance(program.args[n], float):
            by_position[n] = leaves[0]
    for n in by_position:
        h = 1e-6 * max(1.0, abs(program.args[n]))
        up, down = list(program.args), list(program.args)
        up[n] += h
        down[n] -= h
        estimate = (program.fn(*up) - program.fn(*down)) / (2 * h)
        np.testing.assert_allclose(by_position[n], estimate, rtol=1e-5, atol=1e-7)


def _float_leaves(grad):
    """A gradient's leaves that have a derivative (None, dp's gradient of a str or int leaf, dropped)."""
    return [g for g in flatten_arguments([grad], "grad")[0] if g is not None]


@pytest.mark.parametrize("program", PROGRAMS, ids=IDS)
def test_primal(program):
    text = dp.export_stablehlo(program.fn, *program.args)
    assert "func.func @main" in text and "\"stablehlo." in text
    _roundtrip(text)
    (value,) = xla.Executable(text)(*_dynamic(program.args))
    native = dp.compile(program.fn)(*program.args)
    np.testing.assert_allclose(value, native, rtol=1e-10, atol=1e-12)
    if program.twin is not None:
        np.testing.assert_allclose(value, program.twin(*program.args), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("program", PROGRAMS, ids=IDS)
def test_gradient(program):
    if program.gradient_refused:
        with pytest.raises(dp.ExportError, match=program.gradient_refused) as refused:
            dp.export_stablehlo(program.fn, *program.args, grad=True, argnums=program.argnums)
        assert refused.value.filename.endswith("programs.py") and refused.value.lineno
        return
    text = dp.export_stablehlo(program.fn, *program.args, grad=True, argnums=program.argnums)
    _roundtrip(text)
    value, *grads = xla.Executable(text)(*_dynamic(program.args))
    native_value, native_grads = dp.value_and_grad(program.fn, argnums=program.argnums)(*program.args)
    if isinstance(program.argnums, int):
        native_grads = (native_grads,)
    expected = [g for grad in native_grads for g in _float_leaves(grad)]
    np.testing.assert_allclose(value, native_value, rtol=1e-10, atol=1e-12)
    assert len(grads) == len(expected)
    for got, want in zip(grads, expected):
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)
    if program.twin is None:
        _check_central_differences(program, grads)
        return
    if program.twin is not None:
        twin_value, twin_grads = jax.value_and_grad(program.twin, argnums=program.argnums)(*program.args)
        if isinstance(program.argnums, int):
            twin_grads = (twin_grads,)
        for got, want in zip(grads, [g for grad in twin_grads for g in jax.tree_util.tree_leaves(grad)]):
            np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)
