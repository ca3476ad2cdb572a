"""Compiling many functions does not leave a thread pool per function behind."""

from __future__ import annotations

import os

import numpy as np

import dp


def _closure(k: float):
    def f(x):
        return np.sum(np.sin(x) * k)

    return f


def test_compiled_functions_hold_no_threads():
    kept = []
    before = len(os.listdir("/proc/self/task"))
    for k in range(24):
        f = _closure(float(k))
        kept.append(f)
        dp.jvp(f, (np.ones(3),), (np.ones(3),))
        dp.vjp(f, np.ones(3))[1](1.0)
    assert len(os.listdir("/proc/self/task")) <= before + 2
