"""Sorting the autograd suite's failures into causes, for causes.md."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

INTERNALS = "autograd internals (primitive, boxes, vspace, ...)"

# (broad cause, pattern in "ExceptionType: message"), first match wins.
RULES: list[tuple[str, str]] = [
    ("WRONG GRADIENT", r"^GradientMismatch"),
    ("WRONG RESULT (the test's own assert)", r"^AssertionError"),
    (INTERNALS, r"No module named 'autograd\.|cannot import name .* from 'autograd"),
    ("timeout", r"^timeout"),
    ("complex numbers", r"complex|1j\b"),
    ("np.fft", r"np\.fft|numpy\.fft"),
    ("np.linalg", r"np\.linalg|numpy\.linalg"),
    ("scipy functions", r"scipy"),
    ("functions as values (lambda, nested def, *args, **kwargs, partial)",
     r"lambda|nested function|starred|\*\* unpacking|\*args|\*\*kwargs|partial|function value|closure"),
    ("comprehensions and growing containers", r"comprehension|append|generator"),
    ("statements (assert, raise, try)", r"assert statement|raise|try statement"),
    ("numpy function not compiled", r"np\.\w+(\.\w+)* is not supported|ndarray\.\w+ is not supported"),
]


def _detail(error: BaseException) -> str:
    """The exception's type and first line, with file paths reduced to file names."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    text = re.sub(r"(/[^\s:]+/)([^/\s:]+\.py)", r"\2", text)
    return f"{type(error).__name__}: {text}"


def cause_of(error: BaseException) -> tuple[str, str]:
    """(broad cause, detail) of one failure."""
    detail = _detail(error)
    for cause, pattern in RULES:
        if re.search(pattern, detail):
            return cause, detail
    return "other: " + type(error).__name__, detail


def report(results: dict[str, tuple[str, str]]) -> str:
    """causes.md: the pass figure, then the failures grouped by cause and detail."""
    total = len(results)
    passed = sum(1 for cause, _ in results.values() if cause == "pass")
    differentiating = total - sum(1 for cause, _ in results.values() if cause == INTERNALS)
    lines = [
        "# The autograd suite against dp",
        "",
        f"{passed} of {total} tests pass ({100 * passed / total:.1f}%): {100 * passed / differentiating:.1f}% of the "
        f"{differentiating} that do not test autograd's internals. Regenerate with",
        "`python test/pytest/autograd_suite/suite.py survey` (a timeout is a test over the survey's time limit).",
        "",
        "| cause | tests |",
        "|---|---|",
    ]
    by_cause = Counter(cause for cause, _ in results.values() if cause != "pass")
    for cause, count in by_cause.most_common():
        lines.append(f"| {cause} | {count} |")
    details: dict[str, Counter] = defaultdict(Counter)
    for cause, detail in results.values():
        if cause != "pass":
            details[cause][detail] += 1
    for cause, _ in by_cause.most_common():
        lines += ["", f"## {cause}", ""]
        for detail, count in details[cause].most_common(25):
            lines.append(f"- {count} × `{detail[:160]}`")
    return "\n".join(lines) + "\n"
