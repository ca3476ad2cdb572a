"""Aim a trebuchet by gradient descent through its flight simulation.

The flight is ordinary Python: a `while` loop that integrates the projectile
(with air drag and wind) until it hits the ground, a helper for the release
speed, and a dataclass for the machine. dp compiles it to native code and
differentiates it in reverse mode, loop and all (JAX's `grad` cannot go
through a while loop whose trip count depends on the data). Gradient descent
on the release angle and the counterweight then lands the shot on target.

    python examples/trebuchet.py
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import dp

GRAVITY = 9.81
DRAG = 0.0015  # per metre: quadratic air drag of the stone, divided by its mass
STEP = 1.0e-3  # seconds


@dataclass
class Trebuchet:
    counterweight: float  # kg
    arm: float  # m, length of the throwing arm
    stone: float  # kg
    name: str


def release_speed(machine: Trebuchet, angle: float) -> float:
    """Speed of the stone at release: the counterweight's drop, less losses, as kinetic energy."""
    drop = machine.arm * (1.0 + math.sin(angle))
    efficiency = 0.75 - 0.2 * (angle - 0.7) ** 2
    energy = efficiency * machine.counterweight * GRAVITY * drop
    return math.sqrt(2.0 * energy / (machine.stone + 0.05 * machine.counterweight))


def flight(machine: Trebuchet, angle: float, wind: float) -> float:
    """Distance where the stone lands (m), integrating until it reaches the ground."""
    speed = release_speed(machine, angle)
    x = 0.0
    y = machine.arm * (1.0 + math.sin(angle))
    vx = speed * math.cos(angle)
    vy = speed * math.sin(angle)
    previous_x, previous_y = x, y
    while y > 0.0:
        previous_x, previous_y = x, y
        air_x = vx - wind
        airspeed = math.sqrt(air_x * air_x + vy * vy)
        x += vx * STEP
        y += vy * STEP
        vx -= DRAG * airspeed * air_x * STEP
        vy -= (GRAVITY + DRAG * airspeed * vy) * STEP
    # Where the last step crossed the ground, by linear interpolation.
    return previous_x + (x - previous_x) * previous_y / (previous_y - y)


def miss(machine: Trebuchet, angle: float, wind: float, target: float) -> float:
    """Squared distance between the landing point and the target."""
    error = flight(machine, angle, wind) - target
    return error * error


def main() -> None:
    machine = Trebuchet(counterweight=2000.0, arm=6.0, stone=30.0, name="Warwolf")
    angle, wind, target = 0.4, -4.0, 180.0

    shoot = dp.compile(flight)
    loss_and_grad = dp.value_and_grad(miss, argnums=(0, 1))

    start = time.perf_counter()
    loss, (dmachine, dangle) = loss_and_grad(machine, angle, wind, target)
    first = time.perf_counter() - start
    print(f"{machine.name}: first shot lands at {shoot(machine, angle, wind):.2f} m, target {target:.0f} m")
    print(f"compiled the simulation and its gradient in {first * 1e3:.0f} ms")
    print(f"d miss / d angle = {dangle:.3f}, d miss / d machine = {dmachine}")

    # Check the derivative against central differences of the compiled simulation.
    h = 1e-6
    numeric = (shoot(machine, angle + h, wind) - shoot(machine, angle - h, wind)) / (2 * h)
    print(f"d range / d angle: reverse mode {dp.grad(flight, argnums=1)(machine, angle, wind):.6f}, "
          f"finite differences {numeric:.6f}")

    # Gradient descent on the release angle and the counterweight (scaled steps).
    for step in range(40):
        loss, (dmachine, dangle) = loss_and_grad(machine, angle, wind, target)
        if loss < 1e-6:
            break
        angle -= 2e-5 * dangle
        machine.counterweight -= 2.0 * dmachine.counterweight
        if step % 5 == 0:
            print(f"  step {step:2d}: miss {math.sqrt(loss):8.4f} m   angle {math.degrees(angle):6.2f} deg   "
                  f"counterweight {machine.counterweight:7.1f} kg")

    start = time.perf_counter()
    runs = 100
    for _ in range(runs):
        loss_and_grad(machine, angle, wind, target)
    per_gradient = (time.perf_counter() - start) / runs
    landing = shoot(machine, angle, wind)
    print(f"aimed: angle {math.degrees(angle):.2f} deg, counterweight {machine.counterweight:.1f} kg, "
          f"lands at {landing:.4f} m (target {target:.0f} m)")
    print(f"one value-and-gradient of the whole flight: {per_gradient * 1e6:.0f} us")
    if abs(landing - target) > 1e-2:
        raise SystemExit(f"missed the target by {landing - target:.4f} m")


if __name__ == "__main__":
    main()
