"""np.fft programs against their jax.numpy twins: value, reverse, forward and second order, float64 and float32."""

from __future__ import annotations

import numpy as np
import pytest

from ordinary.linalg.harness import check_twin, general, jax

jnp = jax.numpy
DTYPES = ["float64", "float32"]


def power_spectrum(x):
    return np.sum(np.abs(np.fft.fft(x)) ** 2)


def power_spectrum_twin(x):
    return jnp.sum(jnp.abs(jnp.fft.fft(x)) ** 2)


def ortho_axis0(x):
    y = np.fft.fft(x, axis=0, norm="ortho")
    return np.sum(np.real(y) * x) + np.sum(np.imag(y) ** 3)


def ortho_axis0_twin(x):
    y = jnp.fft.fft(x, axis=0, norm="ortho")
    return jnp.sum(jnp.real(y) * x) + jnp.sum(jnp.imag(y) ** 3)


def crop_and_pad(x):
    y = np.fft.ifft(np.fft.fft(x) * np.sin(x), n=3)
    z = np.fft.ifft(x, n=7, norm="forward")
    return np.sum(np.real(y)) + np.sum(np.imag(z) ** 2)


def crop_and_pad_twin(x):
    y = jnp.fft.ifft(jnp.fft.fft(x) * jnp.sin(x), n=3)
    z = jnp.fft.ifft(x, n=7, norm="forward")
    return jnp.sum(jnp.real(y)) + jnp.sum(jnp.imag(z) ** 2)


def real_filter(x):
    spectrum = np.fft.rfft(x)
    gain = np.exp(-np.arange(spectrum.shape[-1]) / 2.0)
    return np.sum(np.fft.irfft(spectrum * gain, n=x.shape[-1]) * np.cos(x))


def real_filter_twin(x):
    spectrum = jnp.fft.rfft(x)
    gain = jnp.exp(-jnp.arange(spectrum.shape[-1]) / 2.0)
    return jnp.sum(jnp.fft.irfft(spectrum * gain, n=x.shape[-1]) * jnp.cos(x))


def irfft_default_length(x):
    return np.sum(np.fft.irfft(np.fft.fft(x, axis=0), axis=0) ** 2)


def irfft_default_length_twin(x):
    return jnp.sum(jnp.fft.irfft(jnp.fft.fft(x, axis=0), axis=0) ** 2)


def circular_convolution(a, b):
    return np.sum(np.real(np.fft.ifft(np.fft.fft(a) * np.fft.fft(b))) ** 2)


def circular_convolution_twin(a, b):
    return jnp.sum(jnp.real(jnp.fft.ifft(jnp.fft.fft(a) * jnp.fft.fft(b))) ** 2)


def complex_input(x, y):
    z = np.fft.fft(x + 1j * y, norm="ortho")
    return np.sum(np.abs(z - np.fft.ifft(z)) ** 2)


def complex_input_twin(x, y):
    z = jnp.fft.fft(x + 1j * y, norm="ortho")
    return jnp.sum(jnp.abs(z - jnp.fft.ifft(z)) ** 2)


def two_dimensional(x):
    y = np.fft.ifft2(np.fft.fft2(x) * np.cos(x))
    return np.sum(np.real(y) * x) + np.sum(np.imag(y))


def two_dimensional_twin(x):
    y = jnp.fft.ifft2(jnp.fft.fft2(x) * jnp.cos(x))
    return jnp.sum(jnp.real(y) * x) + jnp.sum(jnp.imag(y))


def real_two_dimensional(x):
    return np.sum(np.fft.irfft2(np.fft.rfft2(x) ** 2, s=x.shape) * x)


def real_two_dimensional_twin(x):
    return jnp.sum(jnp.fft.irfft2(jnp.fft.rfft2(x) ** 2, s=x.shape) * x)


def n_dimensional(x):
    y = np.fft.fftn(x, s=(3, 6), axes=(0, 2))
    return np.sum(np.abs(np.fft.ifftn(y * y)))


def n_dimensional_twin(x):
    y = jnp.fft.fftn(x, s=(3, 6), axes=(0, 2))
    return jnp.sum(jnp.abs(jnp.fft.ifftn(y * y)))


def real_n_dimensional(x):
    return np.sum(np.sin(np.fft.irfftn(np.fft.rfftn(x) * 0.5, s=x.shape)))


def real_n_dimensional_twin(x):
    return jnp.sum(jnp.sin(jnp.fft.irfftn(jnp.fft.rfftn(x) * 0.5, s=x.shape)))


def shifted(x):
    y = np.fft.fftshift(np.fft.fft(x), axes=-1)
    return np.sum(np.real(np.fft.ifftshift(y)) * x) + np.sum(np.real(y) * np.arange(x.shape[-1]))


def shifted_twin(x):
    y = jnp.fft.fftshift(jnp.fft.fft(x), axes=-1)
    return jnp.sum(jnp.real(jnp.fft.ifftshift(y)) * x) + jnp.sum(jnp.real(y) * jnp.arange(x.shape[-1]))


def frequencies(x):
    return np.sum(np.abs(np.fft.rfft(x)) * np.fft.rfftfreq(x.shape[-1], 0.1)) + np.sum(x * np.fft.fftfreq(5))


def frequencies_twin(x):
    return jnp.sum(jnp.abs(jnp.fft.rfft(x)) * jnp.fft.rfftfreq(x.shape[-1], 0.1)) + jnp.sum(x * jnp.fft.fftfreq(5))


PROGRAMS = [
    (power_spectrum, power_spectrum_twin, [(4, 5)]),
    (ortho_axis0, ortho_axis0_twin, [(5, 3)]),
    (crop_and_pad, crop_and_pad_twin, [(2, 5)]),
    (real_filter, real_filter_twin, [(3, 6)]),
    (irfft_default_length, irfft_default_length_twin, [(5, 2)]),
    (circular_convolution, circular_convolution_twin, [(6,), (6,)]),
    (complex_input, complex_input_twin, [(4,), (4,)]),
    (two_dimensional, two_dimensional_twin, [(3, 4)]),
    (real_two_dimensional, real_two_dimensional_twin, [(4, 5)]),
    (n_dimensional, n_dimensional_twin, [(2, 3, 4)]),
    (real_n_dimensional, real_n_dimensional_twin, [(2, 3, 4)]),
    (shifted, shifted_twin, [(2, 5)]),
    (frequencies, frequencies_twin, [(5,)]),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p[0].__name__)
def test_fft_program(program, dtype):
    fn, twin, shapes = program
    args = [general(shape, seed) for seed, shape in enumerate(shapes)]
    check_twin(fn, twin, args, dtype)
