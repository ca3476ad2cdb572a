"""The Python runtime against JAX, in one process.

    python bench/runtime.py [--quick]

1. Per-call dispatch of a compiled scalar function `x * y + 1.0` (and of its
   dp.grad), against jax.jit (target: <= 2 us).
2. First-call compile latency of a 20-line function with a loop, a branch
   and math calls, without and with grad=True, disk cache off (target:
   <= 50 ms), against jax.jit(f).lower(...).compile() of a JAX twin.
3. A disk-cache hit: a new dp.compile object for a function compiled before
   (fresh in-memory cache), in this warm process (target: <= 10 ms) and in a
   fresh process (after `import dp`).
4. The scalar programs of bench/scalar_loops.py written as plain Python
   (pow by `while`, 10^6 steps; RK4 with a helper, 10^5 steps; a projectile
   with drag until it lands): dp.grad against jax.jit(jax.grad) of JAX twins
   (lax.fori_loop; JAX cannot reverse-differentiate a while loop, so the
   twins of the while programs run the trip count dp's run found).

Times are the best of several runs; ratios are dp / JAX (below 1: dp faster).
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

QUICK = "--quick" in sys.argv


# -- the programs, as plain Python -------------------------------------------------------------


def scalar(x, y):
    return x * y + 1.0


def loop20(x, n):
    acc = 0.0
    y = x
    for i in range(n):
        t = math.sin(y) * x + 0.5
        if t > 0.3:
            acc = acc + t * t
        else:
            acc = acc - t
        y = y * 0.99 + 0.01 * acc
        for k in range(3):
            y = y + 0.001 * math.cos(y)
        if y > 10.0:
            y = 10.0
    z = acc + y
    z = z * z
    if z < 0.0:
        z = -z
    return z / (1.0 + x * x)


def pow_while(x, n):
    acc = 1.0
    k = n
    while k > 0:
        acc = acc * x
        k = k - 1
    return acc


def accel(y, v, k, c):
    return -(k * y + c * v)


def rk4(v0, k, c, steps):
    dt = 1.0e-4
    h = 0.5e-4
    y = 1.0
    v = v0
    for i in range(steps):
        a1 = accel(y, v, k, c)
        y2 = y + h * v
        v2 = v + h * a1
        a2 = accel(y2, v2, k, c)
        y3 = y + h * v2
        v3 = v + h * a2
        a3 = accel(y3, v3, k, c)
        y4 = y + dt * v3
        v4 = v + dt * a3
        a4 = accel(y4, v4, k, c)
        y, v = y + (v + 2.0 * v2 + 2.0 * v3 + v4) / 6.0 * dt, v + (a1 + 2.0 * a2 + 2.0 * a3 + a4) / 6.0 * dt
    return y


def flight(angle, speed):
    dt = 1.0e-4
    g = 9.81
    drag = 0.02
    x = 0.0
    y = 1.0e-9
    vx = speed * math.cos(angle)
    vy = speed * math.sin(angle)
    px = 0.0
    py = 0.0
    n = 0
    while y >= 0.0:
        k = drag * math.sqrt(vx * vx + vy * vy)
        px = x
        py = y
        x = x + vx * dt
        y = y + vy * dt
        vx = vx - k * vx * dt
        vy = vy - (k * vy + g) * dt
        n += 1
    return px + py / (py - y) * (x - px), n


def projectile(angle, speed):
    return flight(angle, speed)[0]


# -- a fresh process: time `import dp` and a disk-cache hit ------------------------------------


def child() -> None:
    start = time.perf_counter()
    import dp as fresh
    from dp.runtime import cache as fresh_cache

    imported = time.perf_counter()
    f = fresh.compile(loop20)
    f(0.5, 10)
    first = time.perf_counter()
    g = fresh.compile(loop20, grad=True)
    g(0.5, 10)
    second = time.perf_counter()
    print(
        json.dumps(
            {
                "import": imported - start,
                "primal": first - imported,
                "grad": second - first,
                "hits": fresh_cache.stats.hits,
                "misses": fresh_cache.stats.misses,
            }
        )
    )


if __name__ == "__main__" and "--child" in sys.argv:
    child()
    sys.exit(0)


# -- JAX twins ---------------------------------------------------------------------------------

import dp  # noqa: E402  (after the child's entry point, which times `import dp` itself)
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402

from dp.runtime import cache, compiler  # noqa: E402

jax.config.update("jax_enable_x64", True)


def make_jax_loop20():
    """A fresh JAX twin of loop20 each call, so that JAX's caches do not help."""

    def twin(x, n):
        def inner(_, y):
            return y + 0.001 * jnp.cos(y)

        def body(_, state):
            acc, y = state
            t = jnp.sin(y) * x + 0.5
            acc = jnp.where(t > 0.3, acc + t * t, acc - t)
            y = y * 0.99 + 0.01 * acc
            y = lax.fori_loop(0, 3, inner, y)
            y = jnp.where(y > 10.0, 10.0, y)
            return acc, y

        acc, y = lax.fori_loop(0, n, body, (jnp.float64(0.0), x))
        z = acc + y
        z = z * z
        z = jnp.where(z < 0.0, -z, z)
        return z / (1.0 + x * x)

    return twin


def jax_pow(x, n):
    return lax.fori_loop(0, n, lambda _, acc: acc * x, jnp.float64(1.0))


def jax_rk4(v0, k, c, steps):
    dt, h = 1.0e-4, 0.5e-4

    def accel_(y, v):
        return -(k * y + c * v)

    def step(_, state):
        y, v = state
        a1 = accel_(y, v)
        y2, v2 = y + h * v, v + h * a1
        a2 = accel_(y2, v2)
        y3, v3 = y + h * v2, v + h * a2
        a3 = accel_(y3, v3)
        y4, v4 = y + dt * v3, v + dt * a3
        a4 = accel_(y4, v4)
        return y + (v + 2.0 * v2 + 2.0 * v3 + v4) / 6.0 * dt, v + (a1 + 2.0 * a2 + 2.0 * a3 + a4) / 6.0 * dt

    return lax.fori_loop(0, steps, step, (jnp.float64(1.0), v0))[0]


def jax_projectile(angle, speed, steps):
    dt, g, drag = 1.0e-4, 9.81, 0.02

    def step(_, s):
        x, y, vx, vy, px, py = s
        k = drag * jnp.sqrt(vx * vx + vy * vy)
        return (x + vx * dt, y + vy * dt, vx - k * vx * dt, vy - (k * vy + g) * dt, x, y)

    init = (0.0, 1.0e-9, speed * jnp.cos(angle), speed * jnp.sin(angle), 0.0, 0.0)
    x, y, _, _, px, py = lax.fori_loop(0, steps, step, init)
    return px + py / (py - y) * (x - px)


# -- measuring ---------------------------------------------------------------------------------


def per_call(fn, args, number: int, repeat: int = 5) -> float:
    """Best seconds per call of fn(*args) over `repeat` loops of `number` calls."""
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn(*args)
        best = min(best, (time.perf_counter() - start) / number)
    return best


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


ROWS: list[tuple[str, str, str, str, str]] = []


def row(name: str, ours: float, theirs: float | None, unit: str, target: str = "") -> None:
    scale = {"us": 1e6, "ms": 1e3}[unit]
    ratio = f"{ours / theirs:8.3f}" if theirs else ""
    ROWS.append(
        (name, f"{ours * scale:10.3f} {unit}", f"{theirs * scale:10.3f} {unit}" if theirs else "", ratio, target)
    )


def note(text: str) -> None:
    ROWS.append((text, "", "", "", ""))


def print_table() -> None:
    header = ("benchmark", "dp-mlir", "JAX", "dp/JAX", "target")
    widths = [max(len(r[i]) for r in ROWS + [header]) for i in range(5)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths))
    print(line)
    print("-" * len(line))
    for r in ROWS:
        if not any(r[1:]):
            print(r[0])
            continue
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths))))


# -- the benchmarks ----------------------------------------------------------------------------


def bench_dispatch() -> None:
    number = 20_000 if QUICK else 200_000
    f = dp.compile(scalar)
    assert f(1.5, 2.5) == scalar(1.5, 2.5)
    jitted = jax.jit(scalar)
    jitted(1.5, 2.5).block_until_ready()
    ours = per_call(f, (1.5, 2.5), number)
    theirs = per_call(jitted, (1.5, 2.5), number // 10)
    theirs_float = per_call(lambda x, y: float(jitted(x, y)), (1.5, 2.5), number // 10)
    row("dispatch: dp.compile f(x, y) = x*y + 1.0", ours, theirs, "us", "<= 2 us")
    row("  ... JAX result converted with float()", ours, theirs_float, "us")
    g = dp.grad(scalar, argnums=(0, 1))
    g(1.5, 2.5)
    jax_g = jax.jit(jax.grad(scalar, argnums=(0, 1)))
    jax_g(1.5, 2.5)
    row(
        "dispatch: dp.grad(f, argnums=(0, 1))",
        per_call(g, (1.5, 2.5), number),
        per_call(jax_g, (1.5, 2.5), number // 10),
        "us",
    )
    row("  (plain Python call of f, for scale)", per_call(scalar, (1.5, 2.5), number), None, "us")
    # The generic path: a structured argument goes through flattening in Python.
    pair = dp.compile(lambda p: p[0] * p[1] + 1.0)
    pair((1.5, 2.5))
    row("dispatch: tuple argument (Python flattening)", per_call(pair, ((1.5, 2.5),), number // 4), None, "us")


def bench_compile() -> None:
    cache.configure(None)  # measure compiling, not the disk cache
    reps = 3 if QUICK else 7
    first = timed(dp.compile(pow_while), 1.5, 3)  # the first compile of the process pays one-time setup
    note(f"(first compile in this process, a 7-line function: {first * 1e3:.1f} ms; the rows below are later ones)")
    for grad in (False, True):
        runs = []
        for _ in range(reps):
            f = dp.compile(loop20, grad=grad)
            runs.append((timed(f, 0.5, 10), dict(compiler.last_timings)))
        runs.sort(key=lambda run: run[0])
        best, median = runs[0][0], runs[len(runs) // 2][0]
        jax_times = []
        for _ in range(reps):
            twin = make_jax_loop20()
            fn = jax.grad(twin) if grad else twin
            start = time.perf_counter()
            jax.jit(fn, static_argnums=1).lower(0.5, 10).compile()
            jax_times.append(time.perf_counter() - start)
        label = "grad=True " if grad else "grad=False"
        row(f"compile: 20-line loop function, {label} (best)", best, min(jax_times), "ms", "<= 50 ms")
        row(f"compile: 20-line loop function, {label} (median)", median, statistics.median(jax_times), "ms")
        phases = runs[len(runs) // 2][1]
        note("    median run: " + ", ".join(f"{k} {v * 1e3:.1f}" for k, v in phases.items()) + " ms")


def bench_disk_cache() -> None:
    with tempfile.TemporaryDirectory(prefix="dp-bench-cache-") as directory:
        cache.configure(directory)
        for grad in (False, True):
            dp.compile(loop20, grad=grad)(0.5, 10)  # compiles and stores
            times = []
            for _ in range(5 if QUICK else 15):
                hits = cache.stats.hits
                times.append(timed(dp.compile(loop20, grad=grad), 0.5, 10))
                assert cache.stats.hits == hits + 1, "expected a disk-cache hit"
            label = "grad=True " if grad else "grad=False"
            row(f"disk-cache hit, warm process, {label} (best)", min(times), None, "ms", "<= 10 ms")
            row(f"disk-cache hit, warm process, {label} (median)", statistics.median(times), None, "ms")
        note("    a hit: " + ", ".join(f"{k} {v * 1e3:.2f}" for k, v in compiler.last_timings.items()) + " ms")
        cache.configure(None)
    with tempfile.TemporaryDirectory(prefix="dp-bench-cache-") as directory:
        env = dict(os.environ, DP_CACHE_DIR=directory)
        script = os.path.abspath(__file__)
        runs = []
        for _ in range(3 if QUICK else 4):  # the first run compiles and stores, the others hit
            output = subprocess.run(
                [sys.executable, script, "--child"], env=env, capture_output=True, text=True, check=True
            ).stdout
            runs.append(json.loads(output.strip().splitlines()[-1]))
        fresh = [r for r in runs[1:] if r["hits"] == 2]
        if fresh:
            best = min(fresh, key=lambda r: r["primal"])
            row("disk-cache hit, fresh process, grad=False", best["primal"], None, "ms")
            row("disk-cache hit, fresh process, grad=True", min(r["grad"] for r in fresh), None, "ms")
            row("  (import dp in that process)", min(r["import"] for r in fresh), None, "ms")
        first = runs[0]
        row("compile in a fresh process (empty cache), grad=False", first["primal"], None, "ms")
        row("compile in a fresh process (empty cache), grad=True", first["grad"], None, "ms")


def bench_scalar_programs() -> None:
    cache.configure(None)
    repeat = 3 if QUICK else 7

    def gradient_row(name, fn, argnums, args, jax_fn, jax_args, static):
        ours = dp.grad(fn, argnums=argnums)
        compile_s = timed(ours, *args)
        jitted = jax.jit(jax.grad(jax_fn, argnums=argnums), static_argnums=static)
        start = time.perf_counter()
        theirs_value = jax.block_until_ready(jitted(*jax_args))
        jax_compile_s = time.perf_counter() - start
        ours_value = ours(*args)
        best_ours = min(timed(ours, *args) for _ in range(repeat))
        best_theirs = min(timed(lambda *a: jax.block_until_ready(jitted(*a)), *jax_args) for _ in range(repeat))
        row(f"{name}: gradient", best_ours, best_theirs, "ms")
        row(f"{name}: compile (first call)", compile_s, jax_compile_s, "ms")
        ours_tuple = ours_value if isinstance(ours_value, tuple) else (ours_value,)
        theirs_tuple = tuple(float(v) for v in jnp.atleast_1d(jnp.asarray(theirs_value)))
        agree = all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in zip(ours_tuple, theirs_tuple))
        note(
            f"    gradient dp {tuple(round(v, 10) for v in ours_tuple)}  JAX {tuple(round(v, 10) for v in theirs_tuple)}"
            f"  {'agree' if agree else 'DIFFER'}"
        )

    n = 1_000_000
    gradient_row("pow(x, n) by while, n = 10^6", pow_while, 0, (1.0000001, n), jax_pow, (1.0000001, n), (1,))
    steps = 100_000
    gradient_row(
        "RK4, 10^5 steps, helper called 4x/step",
        rk4,
        (0, 1, 2),
        (0.5, 4.0, 0.3, steps),
        jax_rk4,
        (0.5, 4.0, 0.3, steps),
        (3,),
    )
    angle, speed = math.radians(40.0), 25.0
    trips = dp.compile(flight)(angle, speed)[1]
    gradient_row(
        f"projectile until it lands ({trips} steps)",
        projectile,
        (0, 1),
        (angle, speed),
        jax_projectile,
        (angle, speed, trips),
        (2,),
    )


def main() -> None:
    print(
        f"dp-mlir runtime benchmarks (JAX {jax.__version__}, {jax.devices()[0].platform}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}){' --quick' if QUICK else ''}"
    )
    print()
    bench_compile()
    bench_dispatch()
    bench_disk_cache()
    bench_scalar_programs()
    print_table()


if __name__ == "__main__":
    main()
