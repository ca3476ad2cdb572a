"""The disk cache runs only what dp wrote: planted, foreign, writable or broken entries and keys are refused."""

from __future__ import annotations

import json
import os
import shutil
import stat
import struct
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

import dp
from dp.runtime import cache

SOURCE = """
def g(x):
    return x + 1.0

def h(x):
    return x * 10.0
"""
RIGHT = [3.0, 20.0]  # g(2.0), h(2.0)

# A fresh process calling g and h through the disk cache in DP_CACHE_DIR; prints what happened.
VICTIM = """
import json, os, sys, warnings
if sys.argv[1:] == ["umask0"]:
    os.umask(0)
sys.path.insert(0, {folder!r})
import dp
from dp.runtime import cache
import {module} as m
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    values = [dp.compile(m.g)(2.0), dp.compile(m.h)(2.0)]
stats = cache.stats
print(json.dumps({{
    "values": values, "hits": stats.hits, "stores": stats.stores, "rejected": stats.rejected,
    "last_rejected": getattr(stats, "last_rejected", ""), "disabled": getattr(cache.config, "disabled", ""),
    "warnings": [str(w.message) for w in caught],
}}))
"""

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="making a file another user's needs root")
ANOTHER_USER = 12345


@pytest.fixture
def module(make_module):
    return make_module(SOURCE)


@pytest.fixture
def victim(tmp_path: Path, module, cache_dir: Path) -> Callable[..., dict]:
    """`victim(*args, directory=cache_dir)` runs VICTIM in a new process; an abort fails the test."""
    script = tmp_path / "victim.py"
    script.write_text(VICTIM.format(folder=str(Path(module.__file__).parent), module=module.__name__))

    def run(*args: str, directory: Path = cache_dir) -> dict:
        env = dict(os.environ, DP_CACHE_DIR=str(directory))
        done = subprocess.run([sys.executable, str(script), *args], env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"the victim exited with {done.returncode}:\n{done.stderr[-3000:]}"
        return json.loads(done.stdout.strip().splitlines()[-1])

    return run


def entry_keys(directory: Path) -> dict[str, str]:
    """The key of each function's entry, by function name (read through dp, as this user)."""
    keys = {}
    for object_path in directory.glob("v*/*/*.o"):
        _, body = cache.load(object_path.stem)
        keys[body["function"]] = object_path.stem
    return keys


def entry_files(directory: Path, key: str) -> list[Path]:
    return sorted(directory.glob(f"v*/*/{key}.*"))


def test_an_entry_planted_under_another_key_is_not_run(cache_dir, victim, tmp_path):
    assert victim()["values"] == RIGHT
    keys = entry_keys(cache_dir)
    donor_object, donor_body = cache.load(keys["g"])
    # Whoever can write the cache folder plants g's code under h's key: a complete, consistent
    # entry, written by dp's own store, but under another secret (the planter's own cache).
    planter = tmp_path / "planter"
    cache.configure(planter)
    assert cache.store(keys["h"], donor_object, donor_body)
    cache.configure(cache_dir)
    for planted in entry_files(planter, keys["h"]):
        shutil.copy(planted, cache_dir / planted.relative_to(planter))
    done = victim()
    assert done["values"] == RIGHT
    assert done["hits"] == 1 and done["rejected"] == 1 and "MAC" in done["last_rejected"]
    assert victim()["hits"] == 2  # rebuilt and overwritten


@pytest.mark.parametrize("how", ["group-writable", "world-writable", pytest.param("another user's", marks=needs_root)])
def test_an_entry_others_could_write_is_not_run(cache_dir, victim, how):
    assert victim()["values"] == RIGHT
    key = entry_keys(cache_dir)["h"]
    for path in entry_files(cache_dir, key):
        if how == "another user's":
            os.chown(path, ANOTHER_USER, ANOTHER_USER)
        else:
            path.chmod(0o620 if how == "group-writable" else 0o606)
            path.parent.chmod(0o777)
    done = victim()
    assert done["values"] == RIGHT
    assert done["hits"] == 1 and done["rejected"] == 1
    assert ("another user" if how == "another user's" else "has mode") in done["last_rejected"]
    assert victim()["hits"] == 2
    for path in entry_files(cache_dir, key):  # the rebuilt entry is the user's, and private
        info = path.stat()
        assert info.st_uid == os.geteuid() and stat.S_IMODE(info.st_mode) == 0o600


def damaged(object_file: bytes, damage: str) -> bytes:
    """`object_file` with one kind of damage; LLVM's ELF reader aborts the process on the ABORTING ones."""
    data = bytearray(object_file)
    (table,) = struct.unpack_from("<Q", data, 40)  # e_shoff
    if damage == "section name table index":
        struct.pack_into("<H", data, 62, 999)  # e_shstrndx
    elif damage == "section name":
        struct.pack_into("<I", data, table + 2 * 64, 0x330006)  # sh_name of section 2
    elif damage == "section offset":
        struct.pack_into("<Q", data, table + 2 * 64 + 24, 4 * len(data))  # sh_offset of section 2
    elif damage == "another machine":
        struct.pack_into("<H", data, 18, 0xBEEF)  # e_machine
    elif damage == "not relocatable":
        struct.pack_into("<H", data, 16, 2)  # e_type: an executable
    elif damage == "section headers cut off":
        del data[table + 64 :]
    elif damage == "truncated":
        del data[100:]
    else:
        data = bytearray(range(256)) * 4
    return bytes(data)


ABORTING = ["section name table index", "section name"]


@pytest.mark.parametrize("damage", ABORTING)
def test_a_broken_object_is_rebuilt_not_loaded(cache_dir, victim, module, monkeypatch, damage):
    # dp itself stores the broken object (as a bug or a disk error could): its MAC matches, so only
    # the ELF check stands between the object and LLVM.
    store = cache.store
    monkeypatch.setattr(cache, "store", lambda key, object_file, body: store(key, damaged(object_file, damage), body))
    assert dp.compile(module.h)(2.0) == 20.0
    monkeypatch.undo()
    done = victim()  # in another process: an abort there is a failed test, not a dead pytest
    assert done["values"] == RIGHT
    assert done["rejected"] == 1 and "object" in done["last_rejected"]
    assert victim()["hits"] == 2


REFUSED = ["section offset", "another machine", "not relocatable", "section headers cut off", "truncated", "garbage"]


@pytest.mark.parametrize("damage", ABORTING + REFUSED)
def test_the_object_check(cache_dir, module, damage):
    dp.compile(module.h)(2.0)
    object_file, _ = cache.load(entry_keys(cache_dir)["h"])
    cache._check_object(object_file)  # what dp compiles passes
    with pytest.raises(cache.UntrustedFile):
        cache._check_object(damaged(object_file, damage))


@pytest.mark.parametrize("authentic", [False, True])
def test_deeply_nested_metadata_is_rebuilt(cache_dir, module, authentic):
    assert dp.compile(module.h)(2.0) == 20.0
    (object_path,) = cache_dir.glob("v*/*/*.o")
    (meta_path,) = (path for path in object_path.parent.iterdir() if path != object_path)
    nested = b"[" * 100_000 + b"]" * 100_000
    if authentic:  # as if dp had written it: past the MAC, the parser itself must not raise
        key = object_path.stem
        nested = cache._mac(cache._secret(cache_dir), key, nested, object_path.read_bytes()) + b"\n" + nested
    meta_path.write_bytes(nested)
    assert dp.compile(module.h)(2.0) == 20.0
    assert cache.stats.rejected == 1 and cache.stats.stores == 2
    assert dp.compile(module.h)(2.0) == 20.0  # the rebuilt entry is good
    assert cache.stats.hits == 1


def test_what_dp_creates_is_private_whatever_the_umask(tmp_path, victim):
    top = tmp_path / "new"
    assert victim("umask0", directory=top / "nested" / "cache")["stores"] == 2
    made = [top, *top.rglob("*")]
    assert sum(path.is_file() for path in made) == 5  # the key and two entries of two files
    for path in made:
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path


@pytest.mark.parametrize(
    "tamper", ["readable by others", "short", "symlink", "changed", pytest.param("another user's", marks=needs_root)]
)
def test_a_key_file_that_is_not_trustworthy_is_replaced(cache_dir, victim, tamper):
    assert victim()["stores"] == 2
    key_file = cache_dir / cache.KEY_FILE
    old = key_file.read_bytes()
    if tamper == "readable by others":
        key_file.chmod(0o644)
    elif tamper == "short":
        key_file.write_bytes(old[:16])
    elif tamper == "symlink":  # to a key someone else knows
        known = cache_dir.parent / "known"
        known.write_bytes(b"k" * cache.KEY_SIZE)
        known.chmod(0o600)
        key_file.unlink()
        key_file.symlink_to(known)
    elif tamper == "changed":  # a sound key, not the one the entries were made with
        key_file.write_bytes(bytes(byte ^ 1 for byte in old))
    else:
        os.chown(key_file, ANOTHER_USER, ANOTHER_USER)
    done = victim()
    assert done["values"] == RIGHT
    assert done["rejected"] == 2 and done["hits"] == 0 and done["stores"] == 2
    replaced = any("replaced its compile cache key" in warning for warning in done["warnings"])
    assert replaced == (tamper != "changed")
    info = os.lstat(key_file)
    assert stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o600 and info.st_uid == os.geteuid()
    assert len(key_file.read_bytes()) == cache.KEY_SIZE and key_file.read_bytes() != old
    assert victim()["hits"] == 2


def test_a_key_file_that_cannot_be_replaced_turns_the_cache_off(cache_dir, victim):
    key_file = cache_dir / cache.KEY_FILE
    (key_file / "inside").mkdir(parents=True)  # a folder where the key should be: not a key, not replaceable
    done = victim()
    assert done["values"] == RIGHT
    assert done["stores"] == 0 and cache.KEY_FILE in done["disabled"]
    assert any("compile cache is off" in warning for warning in done["warnings"])
    assert not list(cache_dir.glob("v*"))
