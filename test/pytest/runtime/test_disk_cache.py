"""The on-disk compile cache: hits without the compiler, keys that follow the sources, corrupt entries."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import dp
from dp.runtime import cache
from dp.runtime.cache import CacheConfig

HELPERS = """
import math
from typing import NamedTuple

K = 2.0

class Point(NamedTuple):
    x: float
    y: float

def helper(x):
    return x * K + math.sin(x)

def f(x, n):
    acc = 0.0
    for i in range(n):
        acc = acc + helper(x)
    return acc

def point(x):
    return Point(helper(x), x)
"""


def entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("v*/*/*"))


def test_hit_after_clearing_the_memory_cache(cache_dir, make_module):
    m = make_module(HELPERS)
    expected = dp.compile(m.f)(0.5, 3)
    assert cache.stats.stores == 1 and cache.stats.misses == 1
    files = entries(cache_dir)
    assert [p.suffix for p in files] == [".meta", ".o"]
    again = dp.compile(m.f)  # a new object: empty in-memory cache
    assert again(0.5, 3) == expected
    assert cache.stats.hits == 1 and cache.stats.misses == 1
    assert again(0.5, 4) == pytest.approx(4 * m.helper(0.5))  # another signature? no: same types, same code
    assert cache.stats.hits == 1
    again.recompile()
    assert again(0.5, 3) == expected
    assert cache.stats.hits == 2
    assert not [p for p in cache_dir.rglob("*") if p.name.endswith(".tmp")]


def test_every_transform_round_trips(cache_dir, make_module):
    m = make_module(HELPERS)

    def everything():
        return (
            dp.compile(m.f)(0.5, 3),
            dp.compile(m.f, grad=True)(0.5, 3),
            dp.grad(m.f)(0.5, 3),
            dp.value_and_grad(m.helper)(0.25),
            dp.jvp(m.helper, (0.5,), (2.0,)),
            dp.vjp(m.point, 0.5)[1](m.Point(1.0, 0.5)),
            dp.jacobian(m.point)(0.5),
            dp.jacobian(m.point, mode="fwd")(0.5),
            dp.compile(m.point)(0.5),
        )

    fresh = everything()
    stores = cache.stats.stores
    assert stores >= 6 and cache.stats.hits < stores
    hits = cache.stats.hits
    dp.transforms._forward_cache.clear()
    dp.transforms._split_cache.clear()
    assert everything() == fresh
    assert cache.stats.stores == stores
    assert cache.stats.hits > hits
    point = dp.compile(m.point)(0.5)
    assert type(point) is m.Point  # the result's class comes back from the metadata


def test_callee_source_change_changes_the_key(cache_dir, make_module):
    m = make_module(HELPERS, name="dp_runtime_cache_callee")
    first = dp.compile(m.f)(0.5, 3)
    m = make_module(
        HELPERS.replace("return x * K + math.sin(x)", "return x * K - math.sin(x) * 10.0"),
        name="dp_runtime_cache_callee",
    )
    second = dp.compile(m.f)(0.5, 3)
    assert cache.stats.hits == 0 and cache.stats.stores == 2
    assert second == pytest.approx(3 * m.helper(0.5)) and second != first


def test_global_constant_change_changes_the_key(cache_dir, make_module):
    m = make_module(HELPERS)
    assert dp.compile(m.f)(0.5, 1) == pytest.approx(0.5 * 2.0 + 0.479425538604203)
    m.K = 3.0
    assert dp.compile(m.f)(0.5, 1) == pytest.approx(0.5 * 3.0 + 0.479425538604203)
    m.K = 2.0
    assert dp.compile(m.f)(0.5, 1) == pytest.approx(0.5 * 2.0 + 0.479425538604203)
    assert cache.stats.stores == 2 and cache.stats.hits == 1


def test_options_are_part_of_the_key(cache_dir, make_module):
    m = make_module("def g(x, y):\n    return x * x * y\n")
    assert dp.grad(m.g, argnums=0)(2.0, 3.0) == 12.0
    assert dp.grad(m.g, argnums=1)(2.0, 3.0) == 4.0
    assert dp.compile(m.g)(2.0, 3.0) == 12.0
    assert dp.compile(m.g)(2, 3) == 12  # ints: another signature
    assert cache.stats.stores == 4 and cache.stats.hits == 0


@pytest.mark.parametrize("damage", ["object", "object size", "metadata", "metadata MAC", "truncated"])
def test_a_corrupt_entry_is_rebuilt(cache_dir, make_module, damage):
    m = make_module(HELPERS)
    expected = dp.compile(m.f)(0.5, 3)
    meta_path, object_path = entries(cache_dir)
    if damage == "object":
        data = bytearray(object_path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        object_path.write_bytes(bytes(data))
    elif damage == "object size":
        object_path.write_bytes(object_path.read_bytes() + b"\0")
    elif damage == "metadata":
        meta_path.write_text("{not json")
    elif damage == "metadata MAC":
        mac, metadata = meta_path.read_bytes().split(b"\n", 1)
        body = json.loads(metadata)
        body["entry"] = "somewhere_else"
        meta_path.write_bytes(mac + b"\n" + json.dumps(body).encode())
    else:
        object_path.write_bytes(object_path.read_bytes()[:100])
    assert dp.compile(m.f)(0.5, 3) == expected
    assert cache.stats.rejected == 1 and cache.stats.hits == 0 and cache.stats.stores == 2
    assert dp.compile(m.f)(0.5, 3) == expected  # the rebuilt entry is good
    assert cache.stats.hits == 1


def test_an_entry_for_another_key_is_not_trusted(cache_dir, make_module):
    m = make_module(HELPERS)
    dp.compile(m.f)(0.5, 3)
    dp.compile(m.helper)(0.5)
    files = entries(cache_dir)
    (first_meta, first_object), (second_meta, second_object) = files[:2], files[2:]
    second_meta.write_bytes(first_meta.read_bytes())  # a valid entry, under the wrong name
    second_object.write_bytes(first_object.read_bytes())
    cache.stats.reset()
    dp.compile(m.f)(0.5, 3)
    dp.compile(m.helper)(0.5)
    assert cache.stats.rejected == 1 and cache.stats.hits == 1


def test_off_disables_the_cache(no_cache, tmp_path, make_module):
    m = make_module(HELPERS)
    dp.compile(m.f)(0.5, 3)
    assert cache.stats.stores == 0 and cache.stats.misses == 0
    assert not list(tmp_path.rglob("*.o"))


def test_configuration_from_the_environment(tmp_path):
    for off in ("off", "OFF", "0", "none", "false", "no"):
        assert CacheConfig.from_environment({"DP_CACHE_DIR": off}).directory is None
    assert CacheConfig.from_environment({"DP_CACHE_DIR": str(tmp_path)}).directory == tmp_path
    assert CacheConfig.from_environment({"XDG_CACHE_HOME": str(tmp_path)}).directory == tmp_path / "dp-mlir"
    default = CacheConfig.from_environment({}).directory
    assert default == Path.home() / ".cache" / "dp-mlir"
    config = CacheConfig(None)
    config.reload({"DP_CACHE_DIR": str(tmp_path)})
    assert config.enabled and config.directory == tmp_path


def test_uncacheable_values_are_compiled_but_not_stored(cache_dir, make_module):
    m = make_module("""
        class Settings:
            scale = 3.0

        settings = Settings()

        def g(x):
            return x * settings.scale
        """)
    assert dp.compile(m.g)(2.0) == 6.0
    assert cache.stats.uncacheable == 1 and cache.stats.stores == 0
    assert "Settings" in cache.stats.last_reason


def test_an_unwritable_directory_only_warns(tmp_path, make_module):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    saved = cache.config.directory
    cache.configure(blocker / "cache")
    try:
        m = make_module(HELPERS)
        with pytest.warns(RuntimeWarning, match="could not write"):
            cache._warned = False
            assert dp.compile(m.f)(0.5, 2) == pytest.approx(2 * m.helper(0.5))
    finally:
        cache.config.directory = saved


FRESH_PROCESS = """
import json, sys
sys.path.insert(0, {folder!r})
import dp
from dp.runtime import cache
import {module} as m
if sys.argv[1] == "hit":
    # A hit must not need the frontend, the pass pipeline or LLVM.
    import dp.api, dp.transforms, dp.runtime.compiler as compiler
    def fail(*args, **kwargs):
        raise AssertionError("compiled instead of loading")
    dp.api.import_function = dp.transforms.import_function = fail
    compiler.lower_to_llvm = compiler.compile_object = fail
results = [dp.compile(m.f)(0.5, 3), dp.compile(m.f, grad=True)(0.5, 3), list(dp.compile(m.point)(0.5))]
print(json.dumps({{"results": results, "hits": cache.stats.hits, "misses": cache.stats.misses}}))
"""


def test_hit_in_a_fresh_process(tmp_path, make_module):
    m = make_module(HELPERS)
    folder = Path(m.__file__).parent
    script = tmp_path / "fresh.py"
    script.write_text(FRESH_PROCESS.format(folder=str(folder), module=m.__name__))
    env = dict(os.environ, DP_CACHE_DIR=str(tmp_path / "shared-cache"))

    def run(mode: str) -> dict:
        done = subprocess.run([sys.executable, str(script), mode], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    cold = run("cold")
    assert cold["misses"] == 3 and cold["hits"] == 0
    warm = run("hit")
    assert warm["hits"] == 3 and warm["misses"] == 0
    assert warm["results"] == cold["results"]
    value, (grad_x, grad_n) = warm["results"][1]
    assert grad_n is None and grad_x == pytest.approx(3 * (2.0 + 0.8775825618903728))
    off = subprocess.run(
        [sys.executable, str(script), "cold"], env=dict(env, DP_CACHE_DIR="off"), capture_output=True, text=True
    )
    assert json.loads(off.stdout.strip().splitlines()[-1])["misses"] == 0


def test_key_covers_every_imported_function(cache_dir, make_module):
    # Callees reached through a dict, a class attribute and a closure are in the key.
    m = make_module("""
        def double(x):
            return 2.0 * x

        def triple(x):
            return 3.0 * x

        TABLE = {"op": double}

        class Ops:
            def apply(self, x):
                return triple(x)

        def make(scale):
            def inner(x):
                return TABLE["op"](x) * scale + triple(x)
            return inner
        """)
    f = m.make(5.0)
    assert dp.compile(f)(1.0) == 13.0
    assert cache.stats.stores == 1 and cache.stats.uncacheable == 0
    m.TABLE["op"] = m.triple
    assert dp.compile(f)(1.0) == 18.0  # the dict's new value: a new key
    assert cache.stats.stores == 2


def test_source_text_is_hashed(cache_dir, make_module):
    source = textwrap.dedent("""
        def g(x):
            return x + 1.0
        """)
    m = make_module(source, name="dp_runtime_cache_text")
    assert dp.compile(m.g)(1.0) == 2.0
    m = make_module(source.replace("x + 1.0", "x + 10.0"), name="dp_runtime_cache_text")
    assert dp.compile(m.g)(1.0) == 11.0
    assert cache.stats.hits == 0


def test_functions_missing_from_the_key_are_detected(make_module):
    # The safety net under the bytecode walk: every func.func the frontend built
    # must come from a function whose source the fingerprint hashed.
    from mlir import ir

    from dp.frontend.importer import import_function
    from dp.runtime.compiler import _unfingerprinted_functions
    from dp.runtime.fingerprint import Fingerprint

    m = make_module(HELPERS)
    imported = import_function(m.f, (0.5, 3), context=ir.Context())
    assert len(_unfingerprinted_functions(imported.module, Fingerprint())) == 2
    complete = Fingerprint()
    complete.function(m.f)
    assert _unfingerprinted_functions(imported.module, complete) == []
    partial = Fingerprint()
    partial.function(m.helper)
    missing = _unfingerprinted_functions(imported.module, partial)
    assert len(missing) == 1 and missing[0].endswith(f":{m.f.__code__.co_firstlineno}")


def test_function_attributes_are_in_the_key(cache_dir, make_module):
    m = make_module("""
        def double(x):
            return 2.0 * x

        def triple(x):
            return 3.0 * x

        def g(x):
            return g.op(x) + 1.0

        g.op = double
        """)
    assert dp.compile(m.g)(1.0) == 3.0
    m.g.op = m.triple
    assert dp.compile(m.g)(1.0) == 4.0
    assert cache.stats.stores == 2 and cache.stats.hits == 0


def test_library_functions_are_keyed_by_name_and_version(cache_dir, make_module):
    # numpy's functions are ufuncs and dispatchers, not Python functions: keyed
    # by name and numpy's version (the frontend maps them by identity).
    import numpy as np

    m = make_module("""
        import numpy as np

        def f(x):
            return np.sum(np.sin(x) * 2.0) + np.pi
        """)
    x = np.linspace(0.0, 1.0, 8)
    expected = float(np.sum(np.sin(x) * 2.0) + np.pi)
    assert dp.compile(m.f)(x) == pytest.approx(expected)
    assert cache.stats.stores == 1 and cache.stats.uncacheable == 0
    assert dp.compile(m.f)(x) == pytest.approx(expected)
    assert cache.stats.hits == 1
    assert dp.compile(m.f)(np.linspace(0.0, 1.0, 9)) == pytest.approx(
        float(np.sum(np.sin(np.linspace(0, 1, 9)) * 2) + np.pi)
    )
    assert cache.stats.stores == 2  # another shape, another key
