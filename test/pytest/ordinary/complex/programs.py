"""The complex-numbers corpus: ordinary Python and numpy with complex intermediates, arguments and results.

Each entry is (program, arguments). The programs use Python's complex numbers, `1j`, `complex()`, `cmath`,
`.real`/`.imag`/`.conjugate()`, `abs`, numpy complex arrays and ufuncs, and control flow around them; their
JAX twins are the same code with `np` bound to jax.numpy and `cmath`/`complex` to jax equivalents.
"""

from __future__ import annotations

import cmath

import numpy as np


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _complex_array(seed: int, *shape: int, low: float = -1.0, high: float = 1.0) -> np.ndarray:
    g = _rng(seed)
    return g.uniform(low, high, shape) + 1j * g.uniform(low, high, shape)


# -- real results: dp.grad against jax.grad (JAX's convention: df/dx - i df/dy) ----------------------------------------


def modulus_squared(z):
    w = z * (2 + 1j) + 1j
    return (w * w.conjugate()).real + z.imag**2


def cmath_mix(z):
    return abs(cmath.exp(z) + cmath.sin(z) * cmath.cos(z)) + cmath.sqrt(z).imag


def polar_roundtrip(z):
    r, phi = cmath.polar(z)
    w = cmath.rect(r * r, 2 * phi)
    return (w - z * z).real + abs(w) + cmath.log(z).imag


def phase_of_pair(x, y):
    z = complex(x, 2.0 * y)
    return cmath.phase(z) + abs(z) ** 2 + (z / (1 + 1j)).real


def energy(z):
    return np.sum(np.abs(z) ** 2) + np.sum(np.real(z * z))


def fourier_coefficient(x, k):
    w = np.exp(1j * k * x)
    c = np.sum(w * x)
    return abs(c) ** 2


def matvec_norm(a, v):
    return np.sum(np.abs(a @ v))


def elementary_ufuncs(z):
    return np.sum(np.real(np.log(z) + np.sqrt(z) + np.tanh(z) + np.cosh(z) + np.exp2(z) + np.log10(z)))


def trigonometric(z):
    return np.sum(np.imag(np.sin(z) * np.cos(z) + np.tan(z) - np.sinh(z) + np.arctan(z)))


def loop_accumulator(z):
    w = 1 + 0j
    for i in range(5):
        w = w * z + 0.5j * i
    return abs(w)


def escape_time(c):
    z = 0j
    n = 0
    while abs(z) < 2.0 and n < 12:
        z = z * z + c
        n += 1
    return abs(z) + n


def branch_on_real_part(z):
    if z.real > 0:
        w = z * z
    else:
        w = -z * 1j
    return abs(w) + w.real


def _rotate(z, angle):
    return z * cmath.exp(1j * angle)


def helper_calls(z, angle):
    w = _rotate(z, angle)
    return (w * _rotate(w, 2 * angle)).imag


def degrees_weighted(z):
    return np.sum(np.angle(z, deg=True) * np.abs(z)) / 100.0


def dot_products(a, b):
    return np.real(np.vdot(a, b)) + np.abs(np.dot(a, b)) + np.sum(np.abs(np.outer(a, b)))


def layout(m):
    flat = m.T.reshape(-1)
    return np.sum(np.abs(flat[1:] * 2j - flat[:-1])) + np.abs(m[1, 0])


def astype_complex(x):
    z = x.astype(complex) * (1 + 2j)
    return np.sum(np.real(np.exp(z)))


def means_and_powers(z):
    return abs(np.mean(z)) + np.real(np.sum(z**3)) + np.sum(np.abs(np.square(z)))


def complex_power(z, w):
    return abs(z**w) + (z**-2).real


def products(z):
    return np.real(np.prod(z)) + np.sum(np.abs(np.prod(z, axis=0)) ** 2) + np.imag(np.prod(z, axis=1)).sum()


def spreads(z):
    return np.var(z) + np.sum(np.std(z, axis=1, keepdims=True)) + np.sum(np.var(z, axis=0, ddof=1))


def lexicographic_extrema(z):
    return np.real(np.max(z)) * np.imag(np.min(z, axis=0)).sum() + np.sum(np.abs(np.max(z, axis=1)))


SCALAR = {
    "modulus_squared": (modulus_squared, lambda: (0.7 - 0.4j,)),
    "cmath_mix": (cmath_mix, lambda: (0.3 + 0.8j,)),
    "polar_roundtrip": (polar_roundtrip, lambda: (1.2 + 0.5j,)),
    "phase_of_pair": (phase_of_pair, lambda: (0.6, -0.3)),
    "energy": (energy, lambda: (_complex_array(1, 4),)),
    "fourier_coefficient": (fourier_coefficient, lambda: (_rng(2).uniform(-1, 1, 5), 1.3)),
    "matvec_norm": (matvec_norm, lambda: (_complex_array(3, 3, 2), _complex_array(4, 2))),
    "elementary_ufuncs": (elementary_ufuncs, lambda: (_complex_array(5, 2, 3, low=0.3, high=1.5),)),
    "trigonometric": (trigonometric, lambda: (_complex_array(6, 3, low=-0.8, high=0.8),)),
    "loop_accumulator": (loop_accumulator, lambda: (0.6 + 0.5j,)),
    "escape_time": (escape_time, lambda: (-0.4 + 0.3j,)),
    "branch_on_real_part": (branch_on_real_part, lambda: (-0.5 + 0.7j,)),
    "helper_calls": (helper_calls, lambda: (0.9 - 0.2j, 0.4)),
    "degrees_weighted": (degrees_weighted, lambda: (_complex_array(7, 4, low=0.2, high=1.0),)),
    "dot_products": (dot_products, lambda: (_complex_array(8, 3), _complex_array(9, 3))),
    "layout": (layout, lambda: (_complex_array(10, 2, 3),)),
    "astype_complex": (astype_complex, lambda: (_rng(11).uniform(-1, 1, 4),)),
    "means_and_powers": (means_and_powers, lambda: (_complex_array(12, 3),)),
    "complex_power": (complex_power, lambda: (0.8 + 0.6j, 1.5 - 0.5j)),
    "products": (products, lambda: (_complex_array(18, 2, 3, low=0.3, high=1.2),)),
    "spreads": (spreads, lambda: (_complex_array(19, 3, 4),)),
    "lexicographic_extrema": (lexicographic_extrema, lambda: (_complex_array(20, 3, 2),)),
}


# -- complex results: dp.vjp with a complex cotangent against jax.vjp, dp.jvp against jax.jvp ------------------------


def holomorphic(z):
    return z * z * (2 + 1j) + cmath.exp(z) / (z + 2)


def array_map(z):
    return np.exp(z) * np.conj(z) + np.sqrt(z + 2)


def real_to_complex(x):
    return x * np.exp(1j * x) + 1j


def mixed_results(z, s):
    return z.real * s, z * 1j + s, abs(z)


def complex_matvec(a, v):
    return a @ v - 2j * v[0]


def row_products(z):
    return np.prod(z, axis=-1)


STRUCTURED = {
    "row_products": (row_products, lambda: (_complex_array(21, 3, 2),)),
    "holomorphic": (holomorphic, lambda: (0.4 + 0.9j,)),
    "array_map": (array_map, lambda: (_complex_array(13, 3),)),
    "real_to_complex": (real_to_complex, lambda: (_rng(14).uniform(-1, 1, 4),)),
    "mixed_results": (mixed_results, lambda: (_complex_array(15, 2), 0.7)),
    "complex_matvec": (complex_matvec, lambda: (_complex_array(16, 2, 2), _complex_array(17, 2))),
}
