"""A short seeded run of the dp-opt fuzzer (test/fuzz): no input may abort dp-opt or hang it."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import dp

HARNESS = Path(__file__).resolve().parent.parent / "fuzz" / "fuzz_dp_opt.py"


def load_harness():
    """Imports test/fuzz/fuzz_dp_opt.py, which is a script and not a package."""
    spec = importlib.util.spec_from_file_location("fuzz_dp_opt", HARNESS)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_fuzz_dp_opt_short_budget() -> None:
    """A bounded number of mutated lit inputs through every pipeline: 0 aborts, 0 hangs.

    DP_FUZZ_SEED, DP_FUZZ_CASES and DP_FUZZ_BUDGET (seconds) change the run.
    """
    harness = load_harness()
    report = harness.fuzz(
        dp.dp_opt_path(),
        seed=int(os.environ.get("DP_FUZZ_SEED", "0")),
        cases=int(os.environ.get("DP_FUZZ_CASES", "800")),
        budget=float(os.environ.get("DP_FUZZ_BUDGET", "90")),
        timeout=20.0,
        memory_mb=4096,
        jobs=min(2, os.cpu_count() or 1),
    )
    print(report.summary())
    assert report.runs > 0
    failures = [key for key in report.findings if key.split(":")[0] in harness.FAILING]
    assert not report.failed(), f"dp-opt aborted or hung: {failures}\n{report.summary()}"


def test_fuzz_harness_classifies_outcomes(tmp_path: Path) -> None:
    """The harness tells successes, clean errors, internal errors, aborts and hangs apart."""
    harness = load_harness()
    fake = tmp_path / "fake-dp-opt"
    fake.write_text(
        "#!/bin/sh\n"
        'case "$(cat "$1")" in\n'
        "  abort) kill -ABRT $$ ;;\n"
        "  hang) exec sleep 30 ;;\n"
        "  error) echo 'x.mlir:1:1: error: bad' >&2; exit 1 ;;\n"
        "  internal) echo 'error: internal error in dp-opt (an MLIR bug reached by this input)' >&2; exit 70 ;;\n"
        "  silent) exit 1 ;;\n"
        "esac\n"
    )
    fake.chmod(0o755)
    runner = harness.Runner(str(fake), timeout=2.0, memory_mb=1024, scratch=tmp_path)
    outcomes = {text: runner.run(0, text, ()).outcome for text in ("ok", "error", "internal", "silent", "abort", "hang")}
    assert outcomes == {
        "ok": "success",
        "error": "clean_error",
        "internal": "internal_error",
        "silent": "silent_failure",
        "abort": "abort",
        "hang": "hang",
    }


def test_fuzz_cases_are_seeded() -> None:
    """The same seed and case number give the same input; another seed another one."""
    harness = load_harness()
    mutator = harness.Mutator(harness.seed_inputs())
    assert harness.case_input(mutator, 7, 3) == harness.case_input(mutator, 7, 3)
    assert any(harness.case_input(mutator, 7, case) != harness.case_input(mutator, 8, case) for case in range(5))
