"""Nested derivatives against JAX, in one process.

    python bench/nested_bench.py [--quick]

1. dp.hessian (forward over reverse) of a 100-dimensional scalar function with a loop (20
   steps of a coupled tanh/sin update, then a cubic energy with neighbour coupling), against
   jax.jit(jax.hessian) of its twin (lax.fori_loop).
2. A Hessian-vector product of ADBench's GMM objective, d = 10, k = 25, n = 1000
   (bench/adbench's numpy objective and JAX twin): dp.jvp(dp.grad(f)) over (alphas, means,
   icf) against jax.jit of jax.jvp(jax.grad(f)).
3. The gradient penalty of the MLP training step (bench/adbench's 784-128-10 tanh MLP, batch
   128): the gradient with respect to the parameters of loss + 0.1 ||grad_x loss||^2 (reverse
   over reverse, dp.grad inside the function dp differentiates) against jax.jit(jax.grad).
4. bench_checkpoint_long_loop: dp.grad of a 10^6-step scalar loop, plain, with the loop
   cut by hand into 1000 segments of 1000 steps, each under dp.checkpoint (the sqrt(N)
   scheme), and through dp.fori_loop(checkpoint_every="sqrt"): the time ratios against
   plain (target <= 2), with JAX's checkpointed ratio (lax.fori_loop, jax.checkpoint) for
   scale, and the values each records on its tape (target O(sqrt N)).

Every dp result is checked against JAX's (relative 1e-8) before it is timed. Times are the
best of several runs; ratios are dp / JAX (below 1: dp faster; target: <= 1). A measurement
dp cannot run yet is reported as such and the others still run.
"""

from __future__ import annotations

import functools
import math
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "adbench"))

import numpy as np  # noqa: E402

# bench/runtime.py's table and timing helpers (importing it loads dp and JAX, x64 on)
from runtime import QUICK, note, print_table, row, timed  # noqa: E402

import data as D  # noqa: E402
import dp  # noqa: E402
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import jax_objectives as J  # noqa: E402
import objectives as O  # noqa: E402
from jax import lax  # noqa: E402

jax.config.update("jax_enable_x64", True)

REPEAT = 3 if QUICK else 10

# Measurements dp cannot run yet, printed after the table (long lines would widen its columns).
PENDING: list[str] = []
# Other long lines for after the table.
FOOTNOTES: list[str] = []


def pending(name: str, error: BaseException) -> None:
    PENDING.append(f"{name}: dp cannot run it yet: {type(error).__name__}: {str(error).splitlines()[0][:200]}")


def best(fn, *args) -> float:
    """Best seconds of fn(*args) over REPEAT runs (after the caller's warm-up)."""
    return min(timed(lambda *a: jax.block_until_ready(fn(*a)), *args) for _ in range(REPEAT))


def max_relative_error(ours, theirs) -> float:
    ours_leaves = jax.tree_util.tree_leaves(ours)
    theirs_leaves = jax.tree_util.tree_leaves(theirs)
    assert len(ours_leaves) == len(theirs_leaves), f"{len(ours_leaves)} leaves against {len(theirs_leaves)}"
    worst = 0.0
    for a, b in zip(ours_leaves, theirs_leaves):
        a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
        assert a.shape == b.shape, f"shape {a.shape} against {b.shape}"
        scale = max(float(np.max(np.abs(b))), 1e-300) if b.size else 1.0
        worst = max(worst, float(np.max(np.abs(a - b))) / scale if a.size else 0.0)
    return worst


def compare_and_time(name: str, ours, theirs, dp_args: tuple, jax_args: tuple) -> None:
    """Checks dp's answer against JAX's, then times both (first calls reported separately)."""
    try:
        start = time.perf_counter()
        ours_value = ours(*dp_args)
        ours_first = time.perf_counter() - start
    except (dp.DpError, AttributeError, NotImplementedError, TypeError) as error:
        pending(name, error)
        start = time.perf_counter()
        jax.block_until_ready(theirs(*jax_args))
        theirs_first = time.perf_counter() - start
        row(f"{name}: JAX alone", best(theirs, *jax_args), None, "ms")
        row(f"{name}: JAX first call (trace + compile)", theirs_first, None, "ms")
        return
    start = time.perf_counter()
    theirs_value = jax.block_until_ready(theirs(*jax_args))
    theirs_first = time.perf_counter() - start
    error = max_relative_error(ours_value, theirs_value)
    if not error <= 1e-8:
        note(f"{name}: dp and JAX DIFFER (max relative error {error:.2e}); not timed")
        return
    row(name, best(ours, *dp_args), best(theirs, *jax_args), "ms", "<= 1")
    row(f"{name}: first call (compile)", ours_first, theirs_first, "ms")
    note(f"    max relative error against JAX {error:.1e}")


# -- 1. dp.hessian of a 100-dimensional function with a loop -------------------------------------


def loop_energy(x, steps):
    n = x.shape[0]
    y = x
    for i in range(steps):
        y = y - 0.1 * np.tanh(y) + 0.01 * np.sum(y) / n + 0.05 * np.sin(x)
    return np.sum(y * y * y) / 3.0 + np.sum(x[1:] * x[:-1])


def jax_loop_energy(x, steps):
    n = x.shape[0]

    def step(_, y):
        return y - 0.1 * jnp.tanh(y) + 0.01 * jnp.sum(y) / n + 0.05 * jnp.sin(x)

    y = lax.fori_loop(0, steps, step, x)
    return jnp.sum(y * y * y) / 3.0 + jnp.sum(x[1:] * x[:-1])


def bench_hessian_100d() -> None:
    x = np.random.default_rng(0).uniform(-1.0, 1.0, 100)
    steps = 20
    ours = dp.hessian(loop_energy)
    theirs = jax.jit(jax.hessian(jax_loop_energy), static_argnums=1)
    compare_and_time("dp.hessian, 100-d function with a 20-step loop", ours, theirs, (x, steps), (x, steps))


# -- 2. Hessian-vector product of GMM d=10 k=25 ----------------------------------------------------


def gmm_params(x, wishart_gamma, wishart_m, alphas, means, icf):
    """ADBench's GMM objective with the data first (bound by functools.partial) and the
    parameters last."""
    return O.gmm_objective(alphas, means, icf, x, wishart_gamma, wishart_m)


def jax_gmm_hvp(alphas, means, icf, x, wishart_gamma, wishart_m, t_alphas, t_means, t_icf):
    def objective(a, mu, q):
        return J.gmm_objective(a, mu, q, x, wishart_gamma, wishart_m)

    return jax.jvp(jax.grad(objective, argnums=(0, 1, 2)), (alphas, means, icf), (t_alphas, t_means, t_icf))


def bench_gmm_hvp() -> None:
    alphas, means, icf, x, wishart_gamma, wishart_m = D.gmm(10, 25)
    r = np.random.default_rng(1)
    tangents = (r.standard_normal(alphas.shape), r.standard_normal(means.shape), r.standard_normal(icf.shape))
    gradient = dp.grad(functools.partial(gmm_params, x, wishart_gamma, wishart_m), argnums=(0, 1, 2))

    def ours(alphas, means, icf, t_alphas, t_means, t_icf):
        return dp.jvp(gradient, (alphas, means, icf), (t_alphas, t_means, t_icf))

    theirs = jax.jit(jax_gmm_hvp)
    compare_and_time(
        "GMM d=10 k=25 Hessian-vector product (dp.jvp of dp.grad)",
        ours,
        theirs,
        (alphas, means, icf) + tangents,
        (alphas, means, icf, x, wishart_gamma, wishart_m) + tangents,
    )


# -- 3. the gradient penalty of the MLP step -------------------------------------------------------


PENALTY = 0.1


def mlp_penalized_loss(params, x, labels):
    gx = dp.grad(O.mlp_loss, argnums=1)(params, x, labels)
    return O.mlp_loss(params, x, labels) + PENALTY * np.sum(gx * gx)


def jax_mlp_penalized_loss(params, x, labels):
    gx = jax.grad(J.mlp_loss, argnums=1)(params, x, labels)
    return J.mlp_loss(params, x, labels) + PENALTY * jnp.sum(gx * gx)


def bench_mlp_gradient_penalty() -> None:
    params, x, labels = D.mlp()
    ours = dp.grad(mlp_penalized_loss)
    theirs = jax.jit(jax.grad(jax_mlp_penalized_loss))
    name = "MLP 784-128-10 b=128, gradient of loss + 0.1 ||grad_x loss||^2"
    compare_and_time(name, ours, theirs, (params, x, labels), (params, x, labels))


# -- 4. a 10^6-step loop with and without dp.checkpoint -----------------------------------------


def long_loop(x, c, n):
    for i in range(n):
        x = x + 1.0e-6 * math.sin(x * c)
    return x


def long_loop_segment(x, c, k):
    for i in range(k):
        x = x + 1.0e-6 * math.sin(x * c)
    return x


def long_loop_checkpointed(x, c, segments, k):
    for s in range(segments):
        x = dp.checkpoint(long_loop_segment)(x, c, k)
    return x


def _long_loop_step(i, state):
    x, c = state
    return x + 1.0e-6 * math.sin(x * c), c


def long_loop_sqrt(x, c, n):
    """The same loop through dp.fori_loop's checkpointing policy: ceil(sqrt(n)) steps per segment."""
    return dp.fori_loop(0, n, _long_loop_step, (x, c), checkpoint_every="sqrt")[0]


def _jax_segment(x, c, k):
    return lax.fori_loop(0, k, lambda _, y: y + 1.0e-6 * jnp.sin(y * c), x)


def jax_long_loop(x, c, n):
    return _jax_segment(x, c, n)


def jax_long_loop_checkpointed(x, c, segments, k):
    segment = jax.checkpoint(_jax_segment, static_argnums=(2,))
    return lax.fori_loop(0, segments, lambda _, y: segment(y, c, k), x)


def bench_checkpoint_long_loop() -> None:
    """dp.grad of a 10^6-step loop, plain and checkpointed per segment (sqrt(N) segments of
    sqrt(N) steps): the time ratio checkpointed / plain, target <= 2."""
    segments = k = 1000
    n = segments * k
    x, c = 0.3, 2.0
    plain = dp.grad(long_loop, argnums=(0, 1))
    checkpointed = dp.grad(long_loop_checkpointed, argnums=(0, 1))
    jax_plain = jax.jit(jax.grad(jax_long_loop, argnums=(0, 1)), static_argnums=2)
    jax_checkpointed = jax.jit(jax.grad(jax_long_loop_checkpointed, argnums=(0, 1)), static_argnums=(2, 3))
    expected = jax.block_until_ready(jax_plain(x, c, n))
    assert max_relative_error(jax.block_until_ready(jax_checkpointed(x, c, segments, k)), expected) < 1e-10
    jax_plain_s = best(jax_plain, x, c, n)
    jax_checkpointed_s = best(jax_checkpointed, x, c, segments, k)
    ours = plain(x, c, n)
    error = max_relative_error(ours, expected)
    if not error <= 1e-8:
        note(f"10^6-step loop: dp and JAX DIFFER (max relative error {error:.2e}); not timed")
        return
    plain_s = best(plain, x, c, n)
    row("10^6-step loop, dp.grad, plain", plain_s, jax_plain_s, "ms")
    try:
        ours_checkpointed = checkpointed(x, c, segments, k)
    except (dp.DpError, AttributeError, NotImplementedError, TypeError) as error:
        pending("10^6-step loop with dp.checkpoint", error)
        row("10^6-step loop, JAX alone, 1000 checkpointed segments", jax_checkpointed_s, None, "ms")
        note(f"    JAX checkpointed / plain: {jax_checkpointed_s / jax_plain_s:.2f}")
        return
    error = max_relative_error(ours_checkpointed, expected)
    if not error <= 1e-8:
        note(f"10^6-step loop with dp.checkpoint: dp DIFFERS from JAX (max relative error {error:.2e}); not timed")
        return
    checkpointed_s = best(checkpointed, x, c, segments, k)
    row("10^6-step loop, dp.grad, 1000 checkpointed segments", checkpointed_s, jax_checkpointed_s, "ms")
    note(
        f"    checkpointed / plain: dp {checkpointed_s / plain_s:.2f} (target <= 2), "
        f"JAX {jax_checkpointed_s / jax_plain_s:.2f}"
    )
    policy = dp.grad(long_loop_sqrt, argnums=(0, 1))
    error = max_relative_error(policy(x, c, n), expected)
    if not error <= 1e-8:
        note(f"10^6-step loop, dp.fori_loop(checkpoint_every='sqrt'): dp DIFFERS from JAX ({error:.2e}); not timed")
        return
    policy_s = best(policy, x, c, n)
    row("10^6-step loop, dp.grad, sqrt policy (dp.fori_loop)", policy_s, jax_checkpointed_s, "ms")
    note(f"    sqrt policy / plain: dp {policy_s / plain_s:.2f} (target <= 2)")
    # What the forward run records (8 bytes a value): per step plainly, per segment checkpointed;
    # a checkpointed segment's own tape, rebuilt in the reverse sweep, holds k steps at a time.
    plain_slots = dp.vjp(long_loop, x, c, n)[1].tape_slots
    policy_slots = dp.vjp(long_loop_sqrt, x, c, n)[1].tape_slots
    segment_slots = dp.vjp(long_loop_segment, x, c, k)[1].tape_slots
    FOOTNOTES.append(
        f"tape of the 10^6-step loop: plain {plain_slots * 8 / 1e6:.1f} MB ({plain_slots} values); "
        f"sqrt policy {policy_slots * 8 / 1e3:.1f} KB outer + {segment_slots * 8 / 1e3:.1f} KB per segment "
        f"({policy_slots + segment_slots} values at most, O(sqrt N))"
    )


def main() -> None:
    print(
        f"dp-mlir nested-derivative benchmarks (JAX {jax.__version__}, {jax.devices()[0].platform}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}){' --quick' if QUICK else ''}"
    )
    print()
    bench_hessian_100d()
    bench_gmm_hvp()
    bench_mlp_gradient_penalty()
    bench_checkpoint_long_loop()
    print_table()
    for line in FOOTNOTES + PENDING:
        print(line)


if __name__ == "__main__":
    main()
