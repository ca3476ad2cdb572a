"""The HIPS autograd project's own test suite, run against dp through the `shim/autograd` package.

The tests come from autograd's PyPI sdist (downloaded once into a cache directory, never vendored):
autograd.numpy is numpy, and check_grads / grad / jacobian / ... are dp's transforms checked
against central differences (shim/autograd/test_util.py). Files that test autograd's own
machinery rather than differentiation are not run (NOT_DIFFERENTIATION).

    python test/pytest/autograd_suite/suite.py survey   # run every test, write results.json + causes.md
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Callable

VERSION = "1.9.1"
HERE = Path(__file__).resolve().parent
SHIM = HERE / "shim"
PASS_LIST = HERE / "pass_list.txt"
CAUSES = HERE / "causes.md"
RESULTS = HERE / "results.json"

# autograd's boxes, vspaces, numpy dispatch, test utilities and wrapper API, not differentiation.
NOT_DIFFERENTIATION = {"test_wrappers.py", "test_vspaces.py", "test_tests.py", "test_ufunc_dispatch.py"}


def cache_dir() -> Path:
    """Where the sdist's tests are unpacked (DP_AUTOGRAD_SUITE_DIR, else the user's cache)."""
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "dp-mlir"
    return Path(os.environ.get("DP_AUTOGRAD_SUITE_DIR", default)) / f"autograd-{VERSION}"


def tests_dir() -> Path:
    """autograd's tests/ directory, downloading the sdist from the package index the first time."""
    target = cache_dir()
    tests = target / "tests"
    if (tests / "test_numpy.py").exists():
        return tests
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
             f"autograd=={VERSION}", "-d", scratch],
            check=True,
        )
        (sdist,) = Path(scratch).glob("autograd-*.tar.gz")
        with tarfile.open(sdist) as archive:
            prefix = f"autograd-{VERSION}/tests/"
            members = [m for m in archive.getmembers() if m.name.startswith(prefix) and m.isfile()]
            for member in members:
                member.name = member.name[len(f"autograd-{VERSION}/"):]
            archive.extractall(target, members=members, filter="data")
    return tests


def test_files() -> list[str]:
    """The test files that exercise differentiation."""
    names = sorted(p.name for p in tests_dir().glob("test_*.py"))
    return [name for name in names if name not in NOT_DIFFERENTIATION]


_modules: dict[str, ModuleType | BaseException] = {}


def load(file: str) -> ModuleType:
    """Imports one of autograd's test modules with the shim as `autograd`."""
    if file not in _modules:
        tests = str(tests_dir())
        for path in (tests, str(SHIM)):
            if path in sys.path:
                sys.path.remove(path)
            sys.path.insert(0, path)
        spec = importlib.util.spec_from_file_location(f"autograd_tests.{file[:-3]}", Path(tests) / file)
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
            _modules[file] = module
        except BaseException as error:  # an import failure fails each of its tests
            _modules[file] = error
    loaded = _modules[file]
    if isinstance(loaded, BaseException):
        raise loaded
    return loaded


def test_names(file: str) -> list[str]:
    """The tests pytest would collect from `file`, parametrized ones as `name[key=value,...]`."""
    source = (tests_dir() / file).read_text()
    names = list(dict.fromkeys(re.findall(r"^\s*def (test_\w+)\(", source, flags=re.M)))
    try:
        module = load(file)
    except BaseException:  # noqa: BLE001  its tests fail at the import, one by one
        return names
    collected = []
    for name in names:
        test = getattr(module, name, None)
        if test is None:  # defined under a condition this numpy does not meet
            continue
        collected += [name + _suffix(params) for params in _parameters(test)]
    return collected


def _parameters(test: Callable) -> list[dict]:
    """The keyword arguments of each case of a pytest-parametrized test ([{}] if not parametrized)."""
    cases = [{}]
    for mark in getattr(test, "pytestmark", []):
        if mark.name != "parametrize":
            continue
        names, values = mark.args[0], mark.args[1]
        keys = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
        rows = [v if len(keys) > 1 else (v,) for v in values]
        cases = [{**case, **dict(zip(keys, row))} for row in rows for case in cases]
    return cases


def _suffix(params: dict) -> str:
    """The case's id: `[key=value,...]` without spaces, so an id is one word in the pass list."""
    if not params:
        return ""
    return "[" + ",".join(f"{k}={v!r}".replace(" ", "") for k, v in sorted(params.items())) + "]"


def run(test_id: str) -> None:
    """Runs one test (`file::name`) as pytest would, after the suite's conftest reseeds numpy."""
    import numpy as np

    file, name = test_id.split("::")
    module = load(file)
    base = name.split("[")[0]
    test: Callable = getattr(module, base)
    (params,) = [p for p in _parameters(test) if base + _suffix(p) == name]
    np.random.seed(42)
    test(**params)


class Timeout(Exception):
    """A test ran past the survey's time limit."""


def _alarm(signum, frame):
    raise Timeout()


def survey(limit_s: int) -> None:
    """Runs every test, writing results.json, the pass list and causes.md."""
    sys.path.insert(0, str(HERE))
    from causes import cause_of, report

    signal.signal(signal.SIGALRM, _alarm)
    results = {}
    for file in test_files():
        for name in test_names(file):
            test_id = f"{file}::{name}"
            start = time.perf_counter()
            signal.alarm(limit_s)
            try:
                run(test_id)
                results[test_id] = ("pass", "")
            except Timeout:
                results[test_id] = ("timeout", f"over {limit_s} s")
            except BaseException as error:  # noqa: BLE001  every failure is classified
                signal.alarm(0)
                results[test_id] = cause_of(error)
                if os.environ.get("SURVEY_VERBOSE"):
                    traceback.print_exception(error, limit=-3)
            finally:
                signal.alarm(0)
            seconds = time.perf_counter() - start
            print(f"{results[test_id][0]:<24} {seconds:6.1f}s {test_id}  {results[test_id][1][:150]}", flush=True)
    RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True))
    PASS_LIST.write_text("".join(f"{t}\n" for t, (c, _) in sorted(results.items()) if c == "pass"))
    CAUSES.write_text(report(results))
    counts = Counter(c for c, _ in results.values())
    print(dict(counts), f"{counts['pass']}/{len(results)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["survey", "run"])
    parser.add_argument("tests", nargs="*")
    parser.add_argument("--limit", type=int, default=120, help="seconds per test in a survey")
    options = parser.parse_args()
    if options.command == "survey":
        survey(options.limit)
    else:
        for test_id in options.tests:
            run(test_id)
            print("pass", test_id)
