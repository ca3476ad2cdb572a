"""Builds the GPU device check's artifacts on a CPU machine: the corpus and benchmark programs as
shared libraries for the GPU (dp.export_library), their arguments, and dp's CPU results to compare with.

    python bench/gpu/build_artifacts.py [--out bench/gpu/artifacts] [--chip sm_90]

The directory (a few MB) is all bench/gpu/device_check.sh needs besides numpy and JAX.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "test" / "pytest"))
sys.path.insert(0, str(ROOT / "bench" / "adbench"))

import dp  # noqa: E402
from dp.frontend.signature import flatten_arguments  # noqa: E402
from gpu.programs import PROGRAMS  # noqa: E402

import data as adbench_data  # noqa: E402
import objectives as O  # noqa: E402

ELEMENTWISE_SIZE = 1 << 26


def elementwise_loss(x):
    return np.sum(np.sin(x) * x)


def _leaves(args):
    return flatten_arguments(list(args), "program")[0]


def _exportable(args):
    """Floats and float arrays only: the check differentiates with respect to every leaf."""
    return all(isinstance(leaf, float) or (isinstance(leaf, np.ndarray) and leaf.dtype.kind == "f")
               for leaf in _leaves(args))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "bench" / "gpu" / "artifacts"))
    parser.add_argument("--chip", default="sm_90")
    options = parser.parse_args()
    os.environ["DP_GPU_CHIP"] = options.chip
    out = Path(options.out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    built = []
    for p in PROGRAMS:
        if not _exportable(p.args):
            print(f"skip {p.name}: not only floats and float arrays")
            continue
        leaves = _leaves(p.args)
        value, grads = dp.value_and_grad(p.fn, argnums=tuple(range(len(p.args))))(*p.args)
        grad_leaves = _leaves((grads,))
        dp.export_library(p.fn, *p.args, target="gpu", path=str(out / p.name), name=f"{p.name}_primal")
        dp.export_library(p.fn, *p.args, target="gpu", grad=True, path=str(out / p.name), name=f"{p.name}_grad")
        np.savez(out / p.name / "case.npz", *leaves, value=np.asarray(dp.compile(p.fn)(*p.args)),
                 grad_value=np.asarray(value), **{f"grad_{i}": np.asarray(g) for i, g in enumerate(grad_leaves)})
        built.append(p.name)
        print(f"built {p.name}")
    # Benchmarks: the MLP step's gradient, and an elementwise gradient over 2^26 floats.
    mlp = adbench_data.mlp(batch=256, sizes=(784, 512, 512, 10))
    dp.export_library(O.mlp_loss, *mlp, target="gpu", grad=True, path=str(out / "bench_mlp"), name="mlp_grad")
    np.savez(out / "bench_mlp" / "case.npz", *_leaves(mlp))
    x = np.zeros(ELEMENTWISE_SIZE)
    dp.export_library(elementwise_loss, x, target="gpu", grad=True, path=str(out / "bench_elementwise"),
                      name="elementwise_grad")
    (out / "programs.txt").write_text("\n".join(built) + "\n")
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"{len(built)} corpus programs and 2 benchmarks in {out} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
