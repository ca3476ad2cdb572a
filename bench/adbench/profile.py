"""Profiles one steady-state measurement of a case with perf (compilation excluded).

    python bench/adbench/profile.py CASE MEASURE [--seconds S] [--framework dp|jax] [--keep FILE]

CASE is a name from cases.py (e.g. ba_n49_m7776_p31843, lstm_l2_c1024, gmm_d64_k50,
mlp_784-128-10_b128); MEASURE one of its measures (primal, gradient, jacobian, ...).
Compiles and warms the callable, then attaches `perf record` to this process for S seconds of
calls and prints where the time went: by shared object (JIT-compiled code shows as
"[JIT] tid ...": perf has no symbols for it), then by symbol outside the JIT code (libm's
transcendental functions, libc's memcpy/memset and malloc, the kernel's page faults, BLAS).
Also prints the minor page faults and the time per call.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
os.environ.setdefault("DP_CACHE_DIR", "off")

import cases as C  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("case")
    parser.add_argument("measure")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--framework", choices=("dp", "jax"), default="dp")
    parser.add_argument("--keep", help="keep perf.data here")
    parser.add_argument("--top", type=int, default=25)
    options = parser.parse_args()

    case = C.case_by_name(options.case)
    args = case.make_data()
    fn = case.measures[options.measure][0 if options.framework == "dp" else 1]()
    if options.framework == "jax":
        import jax

        call = lambda: jax.block_until_ready(fn(*args))  # noqa: E731
    else:
        call = lambda: fn(*args)  # noqa: E731
    for _ in range(5):
        call()
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    start, calls = time.perf_counter(), 0
    while time.perf_counter() - start < 1.0:
        call()
        calls += 1
    per_call = (time.perf_counter() - start) / calls
    faults = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults) / calls
    print(f"{options.case} {options.measure} ({options.framework}): {per_call * 1e3:.3f} ms/call (mean), "
          f"{faults:.0f} minor page faults/call")

    data = options.keep or tempfile.mktemp(suffix=".perf.data")
    perf = subprocess.Popen(
        ["perf", "record", "-q", "-g", "-o", data, "-p", str(os.getpid())],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)  # perf attaching
    start, calls = time.perf_counter(), 0
    while time.perf_counter() - start < options.seconds:
        call()
        calls += 1
    perf.send_signal(signal.SIGINT)
    perf.wait()
    print(f"profiled {calls} calls")
    for sort in ("dso", "dso,sym"):
        report = subprocess.run(
            ["perf", "report", "-i", data, "--stdio", "--no-children", "--sort", sort, "-g", "none"],
            capture_output=True,
            text=True,
        ).stdout
        rows = [line for line in report.splitlines() if "%" in line and not line.startswith("#")]
        if sort == "dso,sym":
            rows = [row for row in rows if "[JIT]" not in row]
            print(f"-- by symbol, outside JIT-compiled code (top {options.top})")
        else:
            print("-- by shared object")
        print("\n".join(rows[: options.top]))
    if not options.keep:
        os.unlink(data)


if __name__ == "__main__":
    main()
