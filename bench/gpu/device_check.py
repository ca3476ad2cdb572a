"""The GPU device check: runs the artifacts bench/gpu/build_artifacts.py built (no dp, MLIR or LLVM
here: numpy, ctypes, and JAX with CUDA for the reference) and prints correctness and benchmark tables."""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ARTIFACTS = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "artifacts"
sys.path.insert(0, str(HERE.parents[1] / "bench" / "adbench"))


def load(directory: Path, name: str):
    sys.path.insert(0, str(directory))
    try:
        return getattr(importlib.import_module(name), name)
    finally:
        sys.path.pop(0)


def correctness() -> int:
    failures = 0
    names = (ARTIFACTS / "programs.txt").read_text().split()
    print(f"{'program':28} {'primal rel err':>15} {'grad rel err':>15}")
    for name in names:
        case = np.load(ARTIFACTS / name / "case.npz")
        leaves = [case[f"arr_{i}"] for i in range(sum(k.startswith("arr_") for k in case.files))]
        leaves = [float(v) if v.ndim == 0 else v for v in leaves]
        try:
            primal = load(ARTIFACTS / name, f"{name}_primal")(*leaves)
            value, *grads = load(ARTIFACTS / name, f"{name}_grad")(*leaves)
        except Exception as error:  # report and go on: one program's failure is a row of the table
            print(f"{name:28} FAILED: {error}")
            failures += 1
            continue
        expected = [case[f"grad_{i}"] for i in range(len(grads))]
        primal_error = _relative(primal, case["value"])
        grad_error = max([_relative(value, case["grad_value"])] + [_relative(g, e) for g, e in zip(grads, expected)])
        ok = primal_error <= 1e-9 and grad_error <= 1e-9
        failures += not ok
        print(f"{name:28} {primal_error:15.2e} {grad_error:15.2e} {'' if ok else 'MISMATCH'}")
    print(f"{len(names) - failures}/{len(names)} programs equal the CPU's results (rtol 1e-9)")
    return failures


def _relative(got, want) -> float:
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    scale = max(float(np.max(np.abs(want))) if want.size else 0.0, 1e-300)
    return float(np.max(np.abs(got - want))) / scale if want.size else 0.0


def best(fn, repeats=20) -> float:
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def benchmarks() -> None:
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)
    device = jax.devices("gpu")[0]
    print(f"\nbenchmarks on {device.device_kind} (best of 20)")
    # Memory bandwidth: a copy-like kernel, read 8 bytes and write 8 bytes per element.
    n = 1 << 26
    x = jax.device_put(jnp.linspace(0.0, 1.0, n), device)
    scale = jax.jit(lambda v: v * 2.0)
    copy_time = best(lambda: scale(x).block_until_ready())
    bandwidth = 16 * n / copy_time
    # Elementwise gradient: d/dx sum(sin(x) * x) = cos(x) * x + sin(x), 16 bytes per element at best.
    elementwise = load(ARTIFACTS / "bench_elementwise", "elementwise_grad")
    dp_time = best(lambda: elementwise(x, device_results=True))
    jax_grad = jax.jit(jax.grad(lambda v: jnp.sum(jnp.sin(v) * v)))
    jax_time = best(lambda: jax_grad(x).block_until_ready())
    got = elementwise(x[:], device_results=False)[1]
    want = np.asarray(jax_grad(x))
    print(f"elementwise grad 2^26: dp {dp_time * 1e3:.2f} ms, JAX {jax_time * 1e3:.2f} ms, dp/JAX "
          f"{dp_time / jax_time:.2f}; dp at {16 * n / dp_time / bandwidth:.0%} of the copy bandwidth "
          f"{bandwidth / 1e9:.0f} GB/s; max error {np.max(np.abs(got - want)):.1e}")
    import jax_objectives as J

    case = np.load(ARTIFACTS / "bench_mlp" / "case.npz")
    leaves = [jax.device_put(case[f"arr_{i}"], device) for i in range(len(case.files))]
    mlp = load(ARTIFACTS / "bench_mlp", "mlp_grad")
    dp_time = best(lambda: mlp(*leaves, device_results=True))
    params, x_mlp, labels = leaves[:-2], leaves[-2], leaves[-1]
    jax_mlp = jax.jit(jax.grad(J.mlp_loss))
    jax_time = best(lambda: jax.block_until_ready(jax_mlp(params, x_mlp, labels)))
    print(f"MLP step grad: dp {dp_time * 1e3:.3f} ms, JAX {jax_time * 1e3:.3f} ms, dp/JAX {dp_time / jax_time:.2f}")


if __name__ == "__main__":
    failed = correctness()
    try:
        benchmarks()
    except Exception as error:
        print(f"benchmarks did not run: {type(error).__name__}: {error}")
    sys.exit(1 if failed else 0)
