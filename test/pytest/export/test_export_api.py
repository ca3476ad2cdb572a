"""dp.export, dp.to_jax and the export's refusals: typed errors at the user's line."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import dp

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402

from dp.backends import xla  # noqa: E402


def loss(w, x):
    return np.sum(np.tanh(x @ w) ** 2)


def jax_loss(w, x):
    return jnp.sum(jnp.tanh(x @ w) ** 2)


W = np.linspace(-1.0, 1.0, 12).reshape(4, 3)
X = np.linspace(0.0, 2.0, 32).reshape(8, 4)


def test_export_is_a_portable_artifact_at_the_requested_version():
    from jaxlib.mlir.dialects import stablehlo

    for version in (stablehlo.get_minimum_version(), stablehlo.get_current_version()):
        artifact = dp.export(loss, W, X, grad=True, version=version)
        assert isinstance(artifact, bytes)
        text = stablehlo.deserialize_portable_artifact_str(artifact)
        value, dw = xla.Executable(text)(W, X)
        want_value, want_dw = jax.value_and_grad(jax_loss)(W, X)
        np.testing.assert_allclose(value, want_value, rtol=1e-12)
        np.testing.assert_allclose(dw, want_dw, rtol=1e-10)


def test_to_jax_under_jit_and_grad_is_dps_derivative():
    f = dp.to_jax(loss)
    np.testing.assert_allclose(jax.jit(f)(W, X), jax_loss(W, X), rtol=1e-12)
    for argnums in (0, 1, (0, 1)):
        got = jax.jit(jax.grad(f, argnums=argnums))(W, X)
        want = jax.grad(jax_loss, argnums=argnums)(W, X)
        for g, w in zip(jax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(want)):
            np.testing.assert_allclose(g, w, rtol=1e-10)


def test_to_jax_gradient_comes_from_dp_not_from_jax():
    # A custom VJP rule that JAX cannot know: jax.grad must return the rule's number.
    @dp.custom_vjp
    def clipped(x):
        return x * 1.0

    clipped.defvjp(lambda x: (x * 1.0, x), lambda x, g: (g * 0.5,))

    def f(x):
        return clipped(x) * 3.0

    assert jax.grad(dp.to_jax(f))(2.0) == pytest.approx(1.5)


def test_to_jax_vector_output_and_static_ints():
    def powers(x, n):
        out = x
        for _ in range(n - 1):
            out = out * x
        return out

    f = dp.to_jax(powers)
    x = jnp.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(f(x, 3), x**3)
    value, pullback = jax.vjp(lambda x: f(x, 3), x)
    np.testing.assert_allclose(value, x**3)
    np.testing.assert_allclose(pullback(jnp.array([1.0, 0.5, 2.0]))[0], 3 * x**2 * np.array([1.0, 0.5, 2.0]))


def test_to_jax_under_vmap_and_jacobians():
    f = dp.to_jax(loss)
    xs = jnp.stack([X, 2.0 * X, -X])
    np.testing.assert_allclose(jax.vmap(f, in_axes=(None, 0))(W, xs), jax.vmap(jax_loss, in_axes=(None, 0))(W, xs),
                               rtol=1e-12)
    per_example = jax.vmap(jax.grad(f), in_axes=(None, 0))(W, xs)
    np.testing.assert_allclose(per_example, jax.vmap(jax.grad(jax_loss), in_axes=(None, 0))(W, xs), rtol=1e-10)

    def powers(x, n):
        out = x
        for _ in range(n - 1):
            out = out * x
        return out

    x = jnp.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(jax.jacrev(dp.to_jax(powers))(x, 3), np.diag(3 * x**2), rtol=1e-12)


def test_to_jax_across_four_devices_with_shardings(tmp_path):
    script = tmp_path / "sharded.py"
    script.write_text(textwrap.dedent(
        """
        import numpy as np, jax, jax.numpy as jnp, dp
        from jax.sharding import Mesh, NamedSharding, PartitionSpec as P
        jax.config.update("jax_enable_x64", True)
        def loss(w, x):
            return np.sum(np.tanh(x @ w) ** 2)
        assert len(jax.devices()) == 4
        mesh = Mesh(np.array(jax.devices()), ("batch",))
        rows, replicated = NamedSharding(mesh, P("batch", None)), NamedSharding(mesh, P())
        w = np.linspace(-1.0, 1.0, 12).reshape(4, 3)
        x = np.linspace(0.0, 2.0, 32).reshape(8, 4)
        step = jax.jit(jax.value_and_grad(dp.to_jax(loss)), in_shardings=(replicated, rows))
        value, grad = step(jax.device_put(w, replicated), jax.device_put(x, rows))
        want_value, want_grad = jax.value_and_grad(lambda w, x: jnp.sum(jnp.tanh(x @ w) ** 2))(w, x)
        np.testing.assert_allclose(value, want_value, rtol=1e-12)
        np.testing.assert_allclose(grad, want_grad, rtol=1e-10)
        print("ok")
        """
    ))
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=4")
    out = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip().endswith("ok")


def repeat(x, config):
    for _ in range(config[0]):  # an int inside a tuple is a runtime value of the export
        x = math.sin(x) * x
    return x


def printing(x):
    print("x is", x)
    return x * 2.0


def test_refusals_are_export_errors_at_the_users_line():
    # The primal of a loop with a runtime trip count exports; its reverse keeps values of every
    # iteration, a tape of unknown size.
    text = dp.export_stablehlo(repeat, 0.7, (3,))
    np.testing.assert_allclose(xla.Executable(text)(0.7, 3)[0], repeat(0.7, (3,)), rtol=1e-12)
    with pytest.raises(dp.ExportError, match="'scf.for' op cannot be exported") as refused:
        dp.export_stablehlo(repeat, 0.7, (3,), grad=True)
    assert refused.value.filename == __file__
    assert "for _ in range(config[0])" in refused.value.source_line
    with pytest.raises(dp.ExportError, match="cannot be exported to StableHLO") as refused:
        dp.export_stablehlo(printing, 1.0)
    assert refused.value.filename == __file__


def solve(a, b):
    return np.sum(np.linalg.solve(a, b))


def test_lapack_calls_are_refused_at_the_users_line():
    a = np.array([[2.0, 1.0], [1.0, 3.0]])
    with pytest.raises(dp.ExportError, match="works on a buffer.*LAPACK") as refused:
        dp.export_stablehlo(solve, a, np.ones(2))
    assert refused.value.filename == __file__
    assert "np.linalg.solve" in refused.value.source_line


def test_grad_needs_one_float_result():
    with pytest.raises(dp.TypeMismatchError, match="one float result"):
        dp.export_stablehlo(lambda x: (x, x), 1.0, grad=True)
