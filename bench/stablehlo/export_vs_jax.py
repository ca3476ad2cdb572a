"""dp's exported gradients run by XLA:CPU against jax.jit(jax.grad) of the JAX twins, in one process.

Prints, per objective: the export time (frontend, dp-autodiff, dp-export-stablehlo), the XLA
compile time of each side, and the steady-state time of one gradient with its ratio
(dp exported / JAX; below 1 is faster). dp's executables compile with dp.backends.xla's
COMPILER_OPTIONS; JAX is timed as users get it (jax.jit's defaults) and with the same options
("jax+opt"). Usage: python bench/stablehlo/export_vs_jax.py [--small]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "adbench"))

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)

import data as D  # noqa: E402
import jax_objectives as J  # noqa: E402
import objectives as O  # noqa: E402

import dp  # noqa: E402
from dp.backends import xla  # noqa: E402


def _best(fn, repeats):
    fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    small = "--small" in sys.argv
    cases = [
        ("GMM", O.gmm_objective, J.gmm_objective, D.gmm(2, 5, n=200 if small else 1000), (0, 1, 2)),
        ("BA", O.ba_half_squared_norm, J.ba_half_squared_norm,
         D.ba(n=3, m=20, p=60) if small else D.ba(n=10, m=200, p=1000), (0, 1, 2)),
        ("LSTM", O.lstm_objective, J.lstm_objective, D.lstm(layers=2, chars=16 if small else 128, b=14), (0, 1)),
        ("MLP", O.mlp_loss, J.mlp_loss, D.mlp(batch=32, sizes=(64, 32, 10)) if small else D.mlp(), 0),
    ]
    repeats = 5 if small else 30
    print(f"{'objective':10} {'export s':>9} {'dp xla s':>9} {'jax xla s':>9} {'dp us':>10} {'jax us':>10} "
          f"{'ratio':>6} {'jax+opt us':>11} {'ratio':>6}")
    for name, fn, twin, args, argnums in cases:
        start = time.perf_counter()
        text = dp.export_stablehlo(fn, *args, grad=True, argnums=argnums)
        export_s = time.perf_counter() - start
        start = time.perf_counter()
        run = xla.Executable(text)
        dp_compile = time.perf_counter() - start
        leaves = [leaf for a in args if not isinstance(a, (bool, int)) for leaf in jax.tree_util.tree_leaves(a)]
        device_args = [jax.device_put(np.asarray(leaf)) for leaf in leaves]
        ours = run._executable
        start = time.perf_counter()
        ref = jax.jit(jax.value_and_grad(twin, argnums=argnums))
        jax.block_until_ready(ref(*args))
        jax_compile = time.perf_counter() - start
        value = run(*leaves)[0]
        np.testing.assert_allclose(value, ref(*args)[0], rtol=1e-9)
        dp_t = _best(lambda: jax.block_until_ready(ours.execute(device_args)), repeats)
        jax_args = [jax.device_put(a) if not isinstance(a, (int, float)) else a for a in args]
        jax_t = _best(lambda: jax.block_until_ready(ref(*jax_args)), repeats)
        tuned = ref.lower(*jax_args).compile(compiler_options=xla.COMPILER_OPTIONS)
        tuned_t = _best(lambda: jax.block_until_ready(tuned(*jax_args)), repeats)
        print(f"{name:10} {export_s:9.2f} {dp_compile:9.2f} {jax_compile:9.2f} {dp_t * 1e6:10.1f} {jax_t * 1e6:10.1f} "
              f"{dp_t / jax_t:6.2f} {tuned_t * 1e6:11.1f} {dp_t / tuned_t:6.2f}")


if __name__ == "__main__":
    main()
