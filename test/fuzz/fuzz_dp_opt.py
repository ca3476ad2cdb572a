#!/usr/bin/env python3
"""Mutation fuzzing of dp-opt: bad input must end in a diagnostic, never an abort or a hang.

Seeds are the lit inputs (test/**/*.mlir, split at `// -----`). Each case mutates one seed
(byte flips, token swaps and replacements, number blowups, line deletions and duplications,
splices from other seeds), runs it through `dp-opt` without a pipeline and, when that parses,
through `--canonicalize`, `--dp-differentiate` and `--dp-lower-to-cpu`, each run under a time
and memory limit. A run is a success (exit 0), a clean error (non-zero exit with a
diagnostic), an internal error (a crash dp-opt recovered from: exit 70, a reproducer), a
silent failure (non-zero exit, no diagnostic), an abort (killed by a signal) or a hang (past
the time limit). Everything is seeded: the same seed and case number give the same input.

    python test/fuzz/fuzz_dp_opt.py --budget 1800 --out /tmp/dp-fuzz   # a long run
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import dataclasses
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Iterable, Sequence

TEST_DIR = Path(__file__).resolve().parent.parent
PIPELINES: tuple[tuple[str, ...], ...] = (
    (),
    ("--canonicalize",),
    ("--dp-differentiate",),
    ("--dp-lower-to-cpu",),
)
INTERNAL_ERROR_EXIT = 70
OUTCOMES = ("success", "clean_error", "internal_error", "silent_failure", "abort", "hang")
FAILING = ("abort", "hang")

TOKEN = re.compile(
    r"""%[\w.$-]+(?:\#\d+)?|@[\w.$-]+|\^[\w.$-]+|![\w.$-]+|\#[\w.$-]+|"(?:[^"\\\n]|\\.)*"|"""
    r"""[A-Za-z_][\w.$]*|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\S"""
)
NUMBER = re.compile(r"(?<![\w%@^#!.])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
BLOWUPS = (
    "0", "1", "-1", "2", "3", "64", "65536", "65537", "100000000", "2147483647", "2147483648",
    "4294967296", "10000000000", "9223372036854775807", "-9223372036854775808",
    "18446744073709551616", "1.0e308", "-0.0", "1.5", "0x7FF0000000000000",
)


def token_kind(token: str) -> str:
    """A coarse class of a token, so that replacements mostly keep the text parseable."""
    if token[0] in "%@^!#\"":
        return token[0]
    if token[0].isdigit() or token[0] == "-":
        return "number"
    if "." in token and token[0].isalpha():
        return "op"
    if re.fullmatch(r"[a-z]+\d*|index", token):
        return "word"
    return "other"


@dataclasses.dataclass(frozen=True)
class Run:
    """One dp-opt run of a mutated input and how it ended."""

    case: int
    pipeline: tuple[str, ...]
    outcome: str
    seconds: float
    signature: str
    text: str
    stderr: str


def seed_inputs(root: Path = TEST_DIR) -> list[str]:
    """The lit inputs under `root`, split at `// -----`, without their comment lines."""
    chunks = []
    for path in sorted(root.rglob("*.mlir")):
        if "Output" in path.parts:
            continue
        for chunk in path.read_text(errors="replace").split("// -----"):
            lines = [line for line in chunk.splitlines() if not line.lstrip().startswith("//")]
            text = "\n".join(lines).strip()
            if text:
                chunks.append(text + "\n")
    return chunks


class Mutator:
    """Seeded mutations of MLIR text, drawing replacement material from all seeds."""

    def __init__(self, seeds: Sequence[str]) -> None:
        """Indexes the seeds' tokens (by kind) and lines."""
        self.seeds = list(seeds)
        self.tokens = sorted({token for seed in seeds for token in TOKEN.findall(seed)})
        self.by_kind: dict[str, list[str]] = collections.defaultdict(list)
        for token in self.tokens:
            self.by_kind[token_kind(token)].append(token)
        self.lines = sorted({line for seed in seeds for line in seed.splitlines() if line.strip()})

    def mutate(self, rng: random.Random, text: str) -> str:
        """Applies one to four random mutations to `text`; half the time only ones that tend to parse."""
        if rng.random() < 0.5:
            return self.mutate_gently(rng, text)
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
            text = rng.choice(
                (
                    self.flip_byte,
                    self.swap_tokens,
                    self.replace_token,
                    self.replace_token,
                    self.blow_up_number,
                    self.blow_up_number,
                    self.delete_line,
                    self.duplicate_line,
                    self.splice,
                )
            )(rng, text)
        return text

    def mutate_gently(self, rng: random.Random, text: str) -> str:
        """Number blowups and same-kind replacements of ops, types and values: inputs that
        often still parse, so that they reach the passes."""
        for _ in range(rng.choice((1, 1, 2, 3))):
            if rng.random() < 0.5:
                text = self.blow_up_number(rng, text)
                continue
            spans = [span for span in self._spans(text) if token_kind(text[span[0] : span[1]]) in ("op", "word", "%")]
            if not spans:
                continue
            start, end = rng.choice(spans)
            same = self.by_kind[token_kind(text[start:end])]
            text = text[:start] + rng.choice(same) + text[end:]
        return text

    @staticmethod
    def flip_byte(rng: random.Random, text: str) -> str:
        """Replaces one character by a random printable one."""
        if not text:
            return text
        i = rng.randrange(len(text))
        return text[:i] + chr(rng.randrange(32, 127)) + text[i + 1 :]

    @staticmethod
    def _spans(text: str) -> list[tuple[int, int]]:
        """The (start, end) of each token of `text`."""
        return [m.span() for m in TOKEN.finditer(text)]

    def swap_tokens(self, rng: random.Random, text: str) -> str:
        """Swaps two tokens of the text."""
        spans = self._spans(text)
        if len(spans) < 2:
            return text
        (a0, a1), (b0, b1) = sorted(rng.sample(spans, 2))
        return text[:a0] + text[b0:b1] + text[a1:b0] + text[a0:a1] + text[b1:]

    def replace_token(self, rng: random.Random, text: str) -> str:
        """Replaces a token by one from any seed, mostly one of the same kind (an op by an op)."""
        spans = self._spans(text)
        if not spans or not self.tokens:
            return text
        start, end = rng.choice(spans)
        same = self.by_kind.get(token_kind(text[start:end]))
        pool = same if same and rng.random() < 0.8 else self.tokens
        return text[:start] + rng.choice(pool) + text[end:]

    @staticmethod
    def blow_up_number(rng: random.Random, text: str) -> str:
        """Replaces a number (a dimension, a constant, an index) by an extreme one."""
        numbers = [m.span() for m in NUMBER.finditer(text)]
        if not numbers:
            return text
        start, end = rng.choice(numbers)
        return text[:start] + rng.choice(BLOWUPS) + text[end:]

    @staticmethod
    def delete_line(rng: random.Random, text: str) -> str:
        """Deletes one line."""
        lines = text.splitlines(keepends=True)
        if len(lines) < 2:
            return text
        del lines[rng.randrange(len(lines))]
        return "".join(lines)

    @staticmethod
    def duplicate_line(rng: random.Random, text: str) -> str:
        """Repeats one line, once or a few times."""
        lines = text.splitlines(keepends=True)
        if not lines:
            return text
        i = rng.randrange(len(lines))
        lines[i:i] = [lines[i]] * rng.choice((1, 1, 2, 8))
        return "".join(lines)

    def splice(self, rng: random.Random, text: str) -> str:
        """Inserts lines from another seed (or a whole other seed) at a random line."""
        lines = text.splitlines(keepends=True)
        if rng.random() < 0.3:
            other = rng.choice(self.seeds).splitlines(keepends=True)
        else:
            other = [line + "\n" for line in rng.sample(self.lines, min(len(self.lines), rng.randint(1, 3)))]
        i = rng.randint(0, len(lines))
        return "".join(lines[:i] + other + lines[i:])


def case_input(mutator: Mutator, seed: int, case: int) -> str:
    """The mutated input of case `case` under `seed` (the same every time)."""
    rng = random.Random(f"{seed}:{case}")
    return mutator.mutate(rng, rng.choice(mutator.seeds))


def signature(stderr: str, outcome: str) -> str:
    """A short key that groups runs failing the same way (the assertion, fatal error or signal)."""
    for line in stderr.splitlines():
        if "Assertion `" in line or "LLVM ERROR:" in line or "UNREACHABLE" in line:
            return re.sub(r"^\S*: ", "", line.strip())[:200]
    if outcome in ("success", "clean_error"):
        return ""
    for line in stderr.splitlines():
        if "error:" in line:
            return re.sub(r"^.*?error: ", "", line.strip())[:200]
    return outcome


class Runner:
    """Runs dp-opt on inputs under a time and memory limit, in a scratch directory."""

    def __init__(self, dp_opt: str, timeout: float, memory_mb: int, scratch: Path) -> None:
        """Keeps the limits; reproducers from internal errors go into `scratch`."""
        self.dp_opt = dp_opt
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.scratch = scratch
        self.env = dict(os.environ, TMPDIR=str(scratch), LLVM_DISABLE_SYMBOLIZATION="1")

    def run(self, case: int, text: str, pipeline: tuple[str, ...]) -> Run:
        """Runs one input through one pipeline and classifies the result."""
        path = self.scratch / f"case-{case}-{threading.get_ident()}.mlir"
        path.write_text(text)
        # The shell sets the memory limit (preexec_fn is unsafe with threads); exec keeps
        # dp-opt's exit status, or the signal that killed it, as the shell's.
        command = [
            "/bin/sh", "-c", f'ulimit -v {self.memory_mb * 1024}; exec "$0" "$@"',
            self.dp_opt, str(path), *pipeline, "-o", os.devnull,
        ]
        start = time.monotonic()
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=self.env,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
        try:
            _, stderr_bytes = process.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            # The whole session: a child it started (a symbolizer) would keep stderr open.
            os.killpg(process.pid, signal.SIGKILL)
            _, stderr_bytes = process.communicate()
            stderr = stderr_bytes.decode(errors="replace")
            return Run(case, pipeline, "hang", time.monotonic() - start, "hang", text, stderr)
        finally:
            path.unlink(missing_ok=True)
        seconds = time.monotonic() - start
        stderr = stderr_bytes.decode(errors="replace")
        status = process.returncode
        if status == 0:
            outcome = "success"
        elif status < 0 or status > 128:
            outcome = "abort"
        elif status == INTERNAL_ERROR_EXIT or "internal error in dp-opt" in stderr:
            outcome = "internal_error"
        elif "error" in stderr.lower():
            outcome = "clean_error"
        else:
            outcome = "silent_failure"
        return Run(case, pipeline, outcome, seconds, signature(stderr, outcome), text, stderr)


def run_case(runner: Runner, case: int, text: str) -> list[Run]:
    """Runs an input without a pipeline and, if that parses, through every pipeline."""
    first = runner.run(case, text, PIPELINES[0])
    if first.outcome != "success":
        return [first]
    return [first] + [runner.run(case, text, pipeline) for pipeline in PIPELINES[1:]]


@dataclasses.dataclass
class Report:
    """The counts of a fuzzing session and the distinct findings."""

    seed: int
    cases: int = 0
    runs: int = 0
    seconds: float = 0.0
    outcomes: collections.Counter = dataclasses.field(default_factory=collections.Counter)
    by_pipeline: dict = dataclasses.field(default_factory=dict)
    findings: dict = dataclasses.field(default_factory=dict)
    slowest: tuple[float, str] = (0.0, "")

    def add(self, run: Run) -> None:
        """Counts a run; keeps the first run of each finding's signature."""
        self.runs += 1
        self.outcomes[run.outcome] += 1
        name = " ".join(run.pipeline) or "(parse)"
        self.by_pipeline.setdefault(name, collections.Counter())[run.outcome] += 1
        if run.seconds > self.slowest[0]:
            self.slowest = (run.seconds, f"case {run.case} {name}")
        if run.outcome not in ("success", "clean_error"):
            key = f"{run.outcome}: {run.signature}"
            self.findings.setdefault(key, run)

    def failed(self) -> bool:
        """True if any run aborted or hung."""
        return any(self.outcomes[outcome] for outcome in FAILING)

    def summary(self) -> str:
        """The counts, one line per outcome and pipeline, then the findings."""
        lines = [
            f"seed {self.seed}: {self.cases} cases, {self.runs} runs in {self.seconds:.0f} s "
            f"(slowest run {self.slowest[0]:.1f} s: {self.slowest[1]})",
            "  " + ", ".join(f"{outcome} {self.outcomes[outcome]}" for outcome in OUTCOMES),
        ]
        for name, counts in sorted(self.by_pipeline.items()):
            lines.append(f"  {name}: " + ", ".join(f"{o} {counts[o]}" for o in OUTCOMES if counts[o]))
        for key, run in sorted(self.findings.items()):
            lines.append(f"  finding: {key} (case {run.case}, {' '.join(run.pipeline) or 'parse'})")
        return "\n".join(lines)

    def to_json(self) -> dict:
        """The counts as plain data."""
        return {
            "seed": self.seed, "cases": self.cases, "runs": self.runs,
            "seconds": round(self.seconds, 1), "outcomes": dict(self.outcomes),
            "by_pipeline": {k: dict(v) for k, v in self.by_pipeline.items()},
            "findings": sorted(self.findings),
        }


def save_findings(report: Report, out: Path) -> None:
    """Writes each finding's input, command line and stderr under `out`."""
    out.mkdir(parents=True, exist_ok=True)
    for key, run in report.findings.items():
        name = f"{run.outcome}-{hashlib.sha1(key.encode()).hexdigest()[:10]}"
        (out / f"{name}.mlir").write_text(run.text)
        (out / f"{name}.txt").write_text(
            f"{key}\ndp-opt {name}.mlir {' '.join(run.pipeline)}\n\n{run.stderr}"
        )
    (out / "report.json").write_text(json.dumps(report.to_json(), indent=1) + "\n")


def fuzz(
    dp_opt: str,
    seed: int = 0,
    cases: int | None = None,
    budget: float | None = None,
    timeout: float = 10.0,
    memory_mb: int = 4096,
    jobs: int = 2,
    seeds: Iterable[str] | None = None,
    first_case: int = 0,
) -> Report:
    """Runs cases `first_case`, `first_case + 1`, ... until `cases` are done or `budget` seconds pass."""
    mutator = Mutator(list(seeds) if seeds is not None else seed_inputs())
    report = Report(seed=seed)
    start = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="dp-fuzz-"))
    runner = Runner(dp_opt, timeout, memory_mb, scratch)
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            pending: set[concurrent.futures.Future] = set()
            case = first_case
            while True:
                out_of_time = budget is not None and time.monotonic() - start > budget
                out_of_cases = cases is not None and case >= first_case + cases
                while not (out_of_time or out_of_cases) and len(pending) < 2 * jobs:
                    pending.add(pool.submit(run_case, runner, case, case_input(mutator, seed, case)))
                    case += 1
                    out_of_cases = cases is not None and case >= first_case + cases
                if not pending:
                    break
                done, pending = concurrent.futures.wait(pending, return_when=concurrent.futures.FIRST_COMPLETED)
                for future in done:
                    report.cases += 1
                    for run in future.result():
                        report.add(run)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report.seconds = time.monotonic() - start
    return report


def default_dp_opt() -> str:
    """The installed dp-opt binary."""
    import dp

    return dp.dp_opt_path()


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: fuzz for a number of cases or seconds, print the counts, exit 1 on an abort or hang."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dp-opt", default=None, help="the dp-opt binary (default: the installed one)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cases", type=int, default=None, help="number of cases (default: until --budget)")
    parser.add_argument("--budget", type=float, default=None, help="seconds to run (default: 60 without --cases)")
    parser.add_argument("--first-case", type=int, default=0, help="start at this case number (to replay one)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per run before it counts as a hang")
    parser.add_argument("--memory-mb", type=int, default=4096, help="address-space limit per run")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--out", type=Path, default=None, help="write findings and report.json here")
    parser.add_argument("--print-case", type=int, default=None, help="print the input of one case and exit")
    args = parser.parse_args(argv)
    if args.print_case is not None:
        sys.stdout.write(case_input(Mutator(seed_inputs()), args.seed, args.print_case))
        return 0
    budget = args.budget if args.budget is not None or args.cases is not None else 60.0
    report = fuzz(
        args.dp_opt or default_dp_opt(), seed=args.seed, cases=args.cases, budget=budget,
        timeout=args.timeout, memory_mb=args.memory_mb, jobs=args.jobs, first_case=args.first_case,
    )
    print(report.summary())
    if args.out:
        save_findings(report, args.out)
    return 1 if report.failed() else 0


if __name__ == "__main__":
    sys.exit(main())
