"""Scalar-loop programs at size: our gradient against our primal and against JAX.

    python bench/scalar_loops.py

For each program: primal and gradient time (best of 7), gradient/primal
(target <= 3), tape bytes pushed per loop iteration against the minimum a
reverse sweep needs, compile time of the whole pipeline, and our gradient
time over jax.jit(jax.grad) of a JAX twin (lax.fori_loop; JAX cannot
reverse-differentiate a while loop, so the twins of the while programs run
the trip count our run found).
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
from jax import lax

from jit import Function, best_time, compile_module, loop_pushes

jax.config.update("jax_enable_x64", True)

POW = """
func.func private @f(%x: f64, %n: i64) -> f64 {
  %one = arith.constant 1.0 : f64
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %r:2 = scf.while (%acc = %one, %k = %n) : (f64, i64) -> (f64, i64) {
    %more = arith.cmpi sgt, %k, %c0 : i64
    scf.condition(%more) %acc, %k : f64, i64
  } do {
  ^bb0(%a: f64, %k2: i64):
    %a2 = arith.mulf %a, %x : f64
    %k3 = arith.subi %k2, %c1 : i64
    scf.yield %a2, %k3 : f64, i64
  }
  return %r#0 : f64
}
func.func @primal(%x: f64, %n: i64) -> f64 {
  %r = func.call @f(%x, %n) : (f64, i64) -> f64
  return %r : f64
}
func.func @grad(%x: f64, %n: i64) -> (f64, f64) {
  %one = arith.constant 1.0 : f64
  %r, %dx = dp.autodiff @f(%x, %n, %one) args [active, const] results [active] : (f64, i64, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}
"""

# Damped oscillator y'' = -k y - c v, RK4 with a helper called four times a
# step; gradient of the final position with respect to v0, k and c.
RK4 = """
func.func private @accel(%y: f64, %v: f64, %k: f64, %c: f64) -> f64 {
  %ky = arith.mulf %k, %y : f64
  %cv = arith.mulf %c, %v : f64
  %s = arith.addf %ky, %cv : f64
  %a = arith.negf %s : f64
  return %a : f64
}
func.func private @f(%v0: f64, %k: f64, %c: f64, %steps: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %y0 = arith.constant 1.0 : f64
  %dt = arith.constant 1.0e-4 : f64
  %half = arith.constant 0.5 : f64
  %sixth = arith.constant 0.16666666666666666 : f64
  %two = arith.constant 2.0 : f64
  %hdt = arith.mulf %half, %dt : f64
  %r:2 = scf.for %i = %c0 to %steps step %c1 iter_args(%y = %y0, %v = %v0) -> (f64, f64) {
    %a1 = func.call @accel(%y, %v, %k, %c) : (f64, f64, f64, f64) -> f64
    %y2 = arith.mulf %hdt, %v : f64
    %y2s = arith.addf %y, %y2 : f64
    %v2 = arith.mulf %hdt, %a1 : f64
    %v2s = arith.addf %v, %v2 : f64
    %a2 = func.call @accel(%y2s, %v2s, %k, %c) : (f64, f64, f64, f64) -> f64
    %y3 = arith.mulf %hdt, %v2s : f64
    %y3s = arith.addf %y, %y3 : f64
    %v3 = arith.mulf %hdt, %a2 : f64
    %v3s = arith.addf %v, %v3 : f64
    %a3 = func.call @accel(%y3s, %v3s, %k, %c) : (f64, f64, f64, f64) -> f64
    %y4 = arith.mulf %dt, %v3s : f64
    %y4s = arith.addf %y, %y4 : f64
    %v4 = arith.mulf %dt, %a3 : f64
    %v4s = arith.addf %v, %v4 : f64
    %a4 = func.call @accel(%y4s, %v4s, %k, %c) : (f64, f64, f64, f64) -> f64
    %sv1 = arith.mulf %two, %v2s : f64
    %sv2 = arith.mulf %two, %v3s : f64
    %sv = arith.addf %v, %sv1 : f64
    %sv3 = arith.addf %sv, %sv2 : f64
    %sv4 = arith.addf %sv3, %v4s : f64
    %dy = arith.mulf %sixth, %sv4 : f64
    %dyt = arith.mulf %dy, %dt : f64
    %yn = arith.addf %y, %dyt : f64
    %sa1 = arith.mulf %two, %a2 : f64
    %sa2 = arith.mulf %two, %a3 : f64
    %sa = arith.addf %a1, %sa1 : f64
    %sa3 = arith.addf %sa, %sa2 : f64
    %sa4 = arith.addf %sa3, %a4 : f64
    %dv = arith.mulf %sixth, %sa4 : f64
    %dvt = arith.mulf %dv, %dt : f64
    %vn = arith.addf %v, %dvt : f64
    scf.yield %yn, %vn : f64, f64
  }
  return %r#0 : f64
}
func.func @primal(%v0: f64, %k: f64, %c: f64, %steps: index) -> f64 {
  %r = func.call @f(%v0, %k, %c, %steps) : (f64, f64, f64, index) -> f64
  return %r : f64
}
func.func @grad(%v0: f64, %k: f64, %c: f64, %steps: index) -> (f64, f64, f64, f64) {
  %one = arith.constant 1.0 : f64
  %r, %d0, %dk, %dc = dp.autodiff @f(%v0, %k, %c, %steps, %one) args [active, active, active, const] results [active] : (f64, f64, f64, index, f64) -> (f64, f64, f64, f64)
  return %r, %d0, %dk, %dc : f64, f64, f64, f64
}
"""

# A projectile with quadratic drag, integrated (explicit Euler) until it
# lands; the range is interpolated between the last two points. Gradient of
# the range with respect to launch angle and speed.
PROJECTILE = """
func.func private @f(%angle: f64, %speed: f64) -> (f64, i64) {
  %zero = arith.constant 0.0 : f64
  %dt = arith.constant 1.0e-4 : f64
  %g = arith.constant 9.81 : f64
  %drag = arith.constant 0.02 : f64
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %ca = math.cos %angle : f64
  %vx0 = arith.mulf %speed, %ca : f64
  %sa = math.sin %angle : f64
  %vy0 = arith.mulf %speed, %sa : f64
  %eps = arith.constant 1.0e-9 : f64
  %s:7 = scf.while (%x = %zero, %y = %eps, %vx = %vx0, %vy = %vy0, %px = %zero, %py = %zero, %n = %c0)
      : (f64, f64, f64, f64, f64, f64, i64) -> (f64, f64, f64, f64, f64, f64, i64) {
    %up = arith.cmpf oge, %y, %zero : f64
    scf.condition(%up) %x, %y, %vx, %vy, %px, %py, %n : f64, f64, f64, f64, f64, f64, i64
  } do {
  ^bb0(%x: f64, %y: f64, %vx: f64, %vy: f64, %px: f64, %py: f64, %n: i64):
    %vx2 = arith.mulf %vx, %vx : f64
    %vy2 = arith.mulf %vy, %vy : f64
    %v2 = arith.addf %vx2, %vy2 : f64
    %v = math.sqrt %v2 : f64
    %k = arith.mulf %drag, %v : f64
    %kx = arith.mulf %k, %vx : f64
    %ky = arith.mulf %k, %vy : f64
    %ay0 = arith.addf %ky, %g : f64
    %ax = arith.negf %kx : f64
    %ay = arith.negf %ay0 : f64
    %dx = arith.mulf %vx, %dt : f64
    %dy = arith.mulf %vy, %dt : f64
    %xn = arith.addf %x, %dx : f64
    %yn = arith.addf %y, %dy : f64
    %dvx = arith.mulf %ax, %dt : f64
    %dvy = arith.mulf %ay, %dt : f64
    %vxn = arith.addf %vx, %dvx : f64
    %vyn = arith.addf %vy, %dvy : f64
    %nn = arith.addi %n, %c1 : i64
    scf.yield %xn, %yn, %vxn, %vyn, %x, %y, %nn : f64, f64, f64, f64, f64, f64, i64
  }
  // Linear interpolation to y = 0 between (px, py) and (x, y).
  %ydrop = arith.subf %s#5, %s#1 : f64
  %frac = arith.divf %s#5, %ydrop : f64
  %xspan = arith.subf %s#0, %s#4 : f64
  %xoff = arith.mulf %frac, %xspan : f64
  %range = arith.addf %s#4, %xoff : f64
  return %range, %s#6 : f64, i64
}
func.func @primal(%angle: f64, %speed: f64) -> (f64, i64) {
  %r, %n = func.call @f(%angle, %speed) : (f64, f64) -> (f64, i64)
  return %r, %n : f64, i64
}
func.func @grad(%angle: f64, %speed: f64) -> (f64, i64, f64, f64) {
  %one = arith.constant 1.0 : f64
  %r, %n, %da, %ds = dp.autodiff @f(%angle, %speed, %one) args [active, active] results [active, const] : (f64, f64, f64) -> (f64, i64, f64, f64)
  return %r, %n, %da, %ds : f64, i64, f64, f64
}
"""


def jax_pow(x, n):
    return lax.fori_loop(0, n, lambda _, acc: acc * x, jnp.float64(1.0))


def jax_rk4(v0, k, c, steps):
    dt, h = 1.0e-4, 0.5e-4

    def accel(y, v):
        return -(k * y + c * v)

    def step(_, state):
        y, v = state
        a1 = accel(y, v)
        y2, v2 = y + h * v, v + h * a1
        a2 = accel(y2, v2)
        y3, v3 = y + h * v2, v + h * a2
        a3 = accel(y3, v3)
        y4, v4 = y + dt * v3, v + dt * a3
        a4 = accel(y4, v4)
        yn = y + (v + 2 * v2 + 2 * v3 + v4) / 6 * dt
        vn = v + (a1 + 2 * a2 + 2 * a3 + a4) / 6 * dt
        return yn, vn

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


def run(name, source, args, arg_types, result_types, grad_types, minimum_bytes, jax_fn, jax_args, argnums):
    engine, compile_s = compile_module(source)
    primal = Function(engine, "primal", arg_types, result_types)
    grad = Function(engine, "grad", arg_types, grad_types)
    t_primal = best_time(primal, *args)
    t_grad = best_time(grad, *args)
    pushes = loop_pushes(source)
    jitted = jax.jit(jax.grad(jax_fn, argnums=argnums), static_argnums=(len(jax_args) - 1,))
    ours = grad(*args)
    theirs = jitted(*jax_args)
    jax.block_until_ready(theirs)
    t_jax = best_time(lambda *a: jax.block_until_ready(jitted(*a)), *jax_args)
    print(f"{name}:")
    print(f"  primal {t_primal * 1e3:9.3f} ms   gradient {t_grad * 1e3:9.3f} ms   "
          f"gradient/primal {t_grad / t_primal:5.2f}")
    print(f"  tape per loop iteration: {pushes * 8} bytes (minimum with recomputation: {minimum_bytes})")
    print(f"  compile (pipeline + LLVM, primal and gradient): {compile_s * 1e3:.1f} ms")
    print(f"  jax.jit(jax.grad): {t_jax * 1e3:9.3f} ms   ours/JAX {t_grad / t_jax:5.2f}")
    print(f"  gradient ours {ours[len(result_types):]}  JAX {tuple(float(v) for v in jnp.atleast_1d(jnp.asarray(theirs)))}")
    return ours


def main() -> None:
    n = 1_000_000
    run("pow(x, n) by scf.while, n = 10^6", POW, (1.0000001, n), ("f64", "i64"), ("f64",),
        ("f64", "f64"), 8, jax_pow, (1.0000001, n), 0)
    steps = 100_000
    run("RK4 damped oscillator, 10^5 steps, helper called 4x per step", RK4, (0.5, 4.0, 0.3, steps),
        ("f64", "f64", "f64", "index"), ("f64",), ("f64", "f64", "f64", "f64"), 16,
        jax_rk4, (0.5, 4.0, 0.3, steps), (0, 1, 2))
    engine, _ = compile_module(PROJECTILE)
    angle, speed = math.radians(40.0), 25.0
    _, trips = Function(engine, "primal", ("f64", "f64"), ("f64", "i64"))(angle, speed)
    run(f"projectile with drag until it lands ({trips} steps)", PROJECTILE, (angle, speed),
        ("f64", "f64"), ("f64", "i64"), ("f64", "i64", "f64", "f64"), 16,
        jax_projectile, (angle, speed, trips), (0, 1))


if __name__ == "__main__":
    main()
