"""ADBench objectives (GMM, BA, LSTM) and an MLP training step: dp against JAX, float64, CPU.

    python bench/adbench/run.py [--quick] [--only NAME[,NAME...]] [--no-workers] [--out FILE]
                                [--malloc default|tuned] [--threads N]

Each objective is written once in plain numpy (objectives.py) and compiled/differentiated by
dp (dp.compile, dp.grad, dp.value_and_grad, dp.jvp); its jax.numpy twin (jax_objectives.py)
runs under jax.jit / jax.jit(jax.grad). For every case:

1. In this process (dp and JAX both loaded): every measurement's dp result is checked against
   JAX's (rtol 1e-8) before anything is timed; then per-call times, best of N after warm-up,
   dp and JAX alternated in two rounds (the machine may be shared: the best of both rounds).
2. In a fresh subprocess per (case, measurement, framework), with DP_CACHE_DIR=off: the first
   call's time (tracing + compiling + one run) and peak memory (VmHWM from /proc/self/status,
   reset through /proc/self/clear_refs): the rise over the resident set before the first call,
   and the rise during one steady-state call (malloc_trim first, so that memory earlier calls
   freed into malloc's lists is not counted as already resident).

Columns: per-call times (ms) and dp/JAX; first call in a fresh process (s); peak memory of one
steady call and of the first call (MB above the resident set before it); dp's largest relative
error against JAX. Per case: gradient/primal ratios, the load average and a numpy matmul probe
(OpenBLAS's threads, which dp's matrix products use too, slow down badly when other processes
occupy the cores; the probe shows it). --malloc tuned keeps freed memory in malloc (see
tune_malloc), --threads N limits OpenBLAS and XLA to N threads.

Prints a table and writes bench/adbench/results.json (--out to change).
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import platform
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

os.environ.setdefault("DP_CACHE_DIR", "off")

import cases as C  # noqa: E402

# -- memory ---------------------------------------------------------------------------------------


def _status() -> dict[str, int]:
    values = {}
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":")
                values[key] = int(value.split()[0])  # kB
    return values


def _trim() -> None:
    """Returns the heap's free memory to the OS, so that a call's peak counts what it allocates
    rather than what earlier calls left in malloc's free lists."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _reset_peak() -> bool:
    _trim()
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _block(value):
    """Waits for JAX's asynchronous results (a no-op for numpy)."""
    try:
        import jax

        return jax.block_until_ready(value)
    except ImportError:
        return value


def worker(case_name: str, measure: str, framework: str) -> dict:
    """One fresh process: the first call's time and peak memory, then one steady call's."""
    case = C.case_by_name(case_name)
    args = case.make_data()
    if framework == "jax":
        import jax  # noqa: F401  (imported before the baseline, like dp below)

        import jax_objectives  # noqa: F401
    else:
        import dp  # noqa: F401
    factory = case.measures[measure][0 if framework == "dp" else 1]
    fn = factory()
    can_reset = _reset_peak()
    before = _status()["VmRSS"]
    start = time.perf_counter()
    _block(fn(*args))
    first = time.perf_counter() - start
    first_peak = _status()["VmHWM"] - before
    _block(fn(*args))
    _reset_peak()
    before_call = _status()["VmRSS"]
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    _block(fn(*args))
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
    call_peak = _status()["VmHWM"] - before_call
    alone, _ = best_time(fn, args, budget=0.3, min_runs=3, max_runs=50)
    return {
        "first_call_s": first,
        "first_call_peak_mb": first_peak / 1024 if can_reset else None,
        "call_peak_mb": call_peak / 1024 if can_reset else None,
        "call_minor_page_faults": faults,
        "call_ms_alone": alone * 1e3,
        "rss_after_mb": _status()["VmRSS"] / 1024,
    }


def run_worker(case_name: str, measure: str, framework: str, malloc: str) -> dict:
    env = dict(os.environ, DP_CACHE_DIR="off")
    command = [sys.executable, os.path.abspath(__file__), "--malloc", malloc, "--worker", case_name, measure, framework]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        return {"error": (done.stderr or done.stdout).strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the process's environment ----------------------------------------------------------------------

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3


def tune_malloc() -> None:
    """glibc malloc keeping freed memory: no mmap per large buffer (up to its 32 MiB maximum),
    no returning the heap's top to the OS. Compiled dp code mallocs and frees every
    intermediate array on every call; with glibc's defaults many of those are fresh pages (page
    faults) on every call. Applies to JAX as well (same process)."""
    libc = ctypes.CDLL("libc.so.6")
    libc.mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024)
    libc.mallopt(M_TRIM_THRESHOLD, 1 << 30)


def blas_probe() -> float:
    """numpy's own (128 x 784) @ (784 x 128), best of 20, in ms: ~0.3 ms on an idle 2-core
    machine; far more when other processes keep OpenBLAS's threads waiting (then dp's matrix
    products, which call the same OpenBLAS, suffer alike)."""
    import numpy as np

    r = np.random.default_rng(0)
    a, b = r.standard_normal((128, 784)), r.standard_normal((784, 128))
    return best_time(lambda: a @ b, (), budget=0.0, min_runs=20)[0] * 1e3


# -- timing ---------------------------------------------------------------------------------------


def best_time(fn, args, budget: float, min_runs: int = 5, max_runs: int = 200) -> tuple[float, int]:
    """Best per-call time in seconds over runs filling about `budget` seconds."""
    times = []
    spent = 0.0
    while len(times) < min_runs or (spent < budget and len(times) < max_runs):
        start = time.perf_counter()
        _block(fn(*args))
        elapsed = time.perf_counter() - start
        times.append(elapsed)
        spent += elapsed
    return min(times), len(times)


def measure_case(case: C.Case, budget: float) -> dict:
    import jax  # noqa: F401

    args = case.make_data()
    out = {"name": case.name, "objective": case.objective, "sizes": case.sizes, "measures": {}}
    out["blas_probe_ms"] = blas_probe()
    out["loadavg"] = os.getloadavg()[0]
    for name, (dp_factory, jax_factory) in case.measures.items():
        start = time.perf_counter()
        dp_fn = dp_factory()
        dp_result = dp_fn(*args)
        dp_first = time.perf_counter() - start
        start = time.perf_counter()
        jax_fn = jax_factory()
        jax_result = _block(jax_fn(*args))
        jax_first = time.perf_counter() - start
        adapt = case.adapt.get(name, lambda r: r)
        error = C.compare(adapt(dp_result), jax_result, rtol=1e-8)  # raises on a wrong result
        _block(jax_fn(*args))
        dp_fn(*args)
        dp_best, jax_best, runs = float("inf"), float("inf"), 0
        for _ in range(2):
            t, n = best_time(dp_fn, args, budget / 2)
            dp_best, runs = min(dp_best, t), runs + n
            t, n = best_time(jax_fn, args, budget / 2)
            jax_best = min(jax_best, t)
        out["measures"][name] = {
            "dp_ms": dp_best * 1e3,
            "jax_ms": jax_best * 1e3,
            "dp_over_jax": dp_best / jax_best,
            "max_rel_error_vs_jax": error,
            "dp_first_call_in_process_s": dp_first,
            "jax_first_call_in_process_s": jax_first,
            "dp_runs": runs,
        }
    m = out["measures"]
    if "primal" in m and case.gradient in m:
        out["dp_gradient_over_primal"] = m[case.gradient]["dp_ms"] / m["primal"]["dp_ms"]
        out["jax_gradient_over_primal"] = m[case.gradient]["jax_ms"] / m["primal"]["jax_ms"]
    return out


# -- report ---------------------------------------------------------------------------------------


def _fmt(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def table(results: list[dict]) -> str:
    header = (
        f"{'case':<22} {'measure':<13} {'dp ms':>9} {'jax ms':>9} {'dp/jax':>7} "
        f"{'dp 1st s':>8} {'jax 1st s':>9} {'dp MB':>7} {'jax MB':>7} {'dp 1st MB':>9} {'jax 1st MB':>10} {'rel err':>8}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        for name, m in r["measures"].items():
            w = m.get("workers", {})
            dpw, jw = w.get("dp", {}), w.get("jax", {})
            lines.append(
                f"{r['name']:<22} {name:<13} {m['dp_ms']:>9.3f} {m['jax_ms']:>9.3f} {m['dp_over_jax']:>7.2f} "
                f"{_fmt(dpw.get('first_call_s'), '8.2f')} {_fmt(jw.get('first_call_s'), '9.2f')} "
                f"{_fmt(dpw.get('call_peak_mb'), '7.1f')} {_fmt(jw.get('call_peak_mb'), '7.1f')} "
                f"{_fmt(dpw.get('first_call_peak_mb'), '9.1f')} {_fmt(jw.get('first_call_peak_mb'), '10.1f')} "
                f"{m['max_rel_error_vs_jax']:>8.1e}"
            )
        if "dp_gradient_over_primal" in r:
            lines.append(
                f"{'':<22} {'grad/primal':<13} {r['dp_gradient_over_primal']:>9.2f} {r['jax_gradient_over_primal']:>9.2f}"
                f"   (load {r['loadavg']:.1f}, numpy matmul probe {r['blas_probe_ms']:.2f} ms)"
            )
    return "\n".join(lines)


def environment() -> dict:
    import jax
    import numpy as np

    import dp

    try:
        commit = subprocess.run(
            ["git", "-C", HERE, "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = None
    cpu = None
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), None)
    except OSError:
        pass
    return {
        "argv": sys.argv[1:],
        "python": platform.python_version(),
        "numpy": np.__version__,
        "jax": jax.__version__,
        "repo_commit": commit,
        "dp_file": dp.__file__,
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "loadavg_start": os.getloadavg(),
        "malloc_env": {k: v for k, v in os.environ.items() if k.startswith("MALLOC_")},
        "threads_env": {
            k: v for k, v in os.environ.items() if k.endswith("_NUM_THREADS") or k == "XLA_FLAGS"
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="three GMM sizes, shorter timing budgets")
    parser.add_argument("--only", help="comma-separated case names (see cases.py), or objective names")
    parser.add_argument("--no-workers", action="store_true", help="skip the fresh-process compile/memory runs")
    parser.add_argument("--out", default=os.path.join(HERE, "results.json"))
    parser.add_argument(
        "--malloc",
        choices=("default", "tuned"),
        default="default",
        help="tuned: mallopt keeps freed memory (see tune_malloc); default: glibc's defaults",
    )
    parser.add_argument(
        "--threads",
        type=int,
        help="threads for OpenBLAS (dp's and numpy's matrix products) and XLA's CPU client",
    )
    parser.add_argument("--worker", nargs=3, metavar=("CASE", "MEASURE", "FRAMEWORK"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.threads and os.environ.get("OPENBLAS_NUM_THREADS") != str(options.threads):
        # set before numpy (and its OpenBLAS) loads: run again with the environment
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(options.threads), OMP_NUM_THREADS=str(options.threads))
        env["XLA_FLAGS"] = (
            env.get("XLA_FLAGS", "") + f" --xla_cpu_multi_thread_eigen={'true' if options.threads > 1 else 'false'}"
            f" intra_op_parallelism_threads={options.threads}"
        ).strip()
        os.execve(sys.executable, [sys.executable, *sys.argv], env)
    if options.malloc == "tuned":
        tune_malloc()
    if options.worker:
        print(json.dumps(worker(*options.worker)))
        return

    selected = C.all_cases(quick=options.quick)
    if options.only:
        wanted = set(options.only.split(","))
        selected = [c for c in selected if c.name in wanted or c.objective.lower() in {w.lower() for w in wanted}]
    budget = 0.6 if options.quick else 2.0
    env = environment()
    results = []
    for case in selected:
        start = time.perf_counter()
        result = measure_case(case, budget)
        if not options.no_workers:
            for name in case.measures:
                result["measures"][name]["workers"] = {
                    fw: run_worker(case.name, name, fw, options.malloc) for fw in ("dp", "jax")
                }
        result["wall_s"] = time.perf_counter() - start
        results.append(result)
        print(table([result]).split("\n", 2)[2], flush=True)
    env["loadavg_end"] = os.getloadavg()
    print()
    print(table(results))
    with open(options.out, "w") as f:
        json.dump({"environment": env, "quick": options.quick, "results": results}, f, indent=1)
    print(f"\nwrote {options.out}")


if __name__ == "__main__":
    main()
