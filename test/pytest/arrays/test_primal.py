"""numpy programs compiled by dp agree with numpy (rtol 1e-12 in float64, 1e-5 in float32).

Each case runs the same Python function with numpy and through dp.compile
and compares every result leaf: shape, dtype and values (numpy scalars
against Python numbers). Arguments must come back unchanged.
"""

from __future__ import annotations

import pytest

from .harness import check
from .programs import CASES

# numpy itself warns on some cases (an int division by zero, isfinite of inf); dp gives the same values.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_program_matches_numpy(case):
    check(case.fn, *case.args(), rtol=case.rtol)


def test_there_are_at_least_forty_programs():
    assert len({case.fn for case in CASES}) >= 40
