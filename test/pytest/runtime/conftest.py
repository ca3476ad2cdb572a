"""Fixtures for the runtime tests: a private disk cache, and modules written on the fly."""

from __future__ import annotations

import importlib
import itertools
import sys
import textwrap
from pathlib import Path
from typing import Callable

import pytest

from dp.runtime import cache

_counter = itertools.count()


@pytest.fixture
def cache_dir(tmp_path: Path):
    """Points dp's disk cache at an empty directory for one test; resets the counters."""
    saved = cache.config.directory
    directory = tmp_path / "dp-cache"
    cache.configure(directory)
    cache.stats.reset()
    yield directory
    cache.config.directory = saved


@pytest.fixture
def no_cache():
    """Turns the disk cache off for one test."""
    saved = cache.config.directory
    cache.configure(None)
    cache.stats.reset()
    yield
    cache.config.directory = saved


@pytest.fixture
def make_module(tmp_path: Path) -> Callable[..., object]:
    """`make_module(source, name=None)` writes a module file and imports it (again, if it exists)."""
    folder = tmp_path / "modules"
    folder.mkdir()
    sys.path.insert(0, str(folder))
    created: list[str] = []

    def make(source: str, name: str | None = None) -> object:
        name = name or f"dp_runtime_test_module_{next(_counter)}"
        path = folder / f"{name}.py"
        path.write_text(textwrap.dedent(source))
        sys.modules.pop(name, None)
        importlib.invalidate_caches()
        created.append(name)
        return importlib.import_module(name)

    yield make
    sys.path.remove(str(folder))
    for name in created:
        sys.modules.pop(name, None)
