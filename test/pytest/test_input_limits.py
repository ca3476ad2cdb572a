"""The Python runtime runs dp-check-input in-process: IR that would crash MLIR is an error, not an abort."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

PROGRAM = textwrap.dedent(
    """
    import numpy as np
    import dp

    @dp.compile
    def total(x):
        return np.sum(x)

    # A broadcast view costs no memory, but its tensor type has 2^32 elements.
    view = np.broadcast_to(np.ones(1), (2**20, 2**12))
    try:
        total(view)
    except dp.DpError as error:
        print("refused:", "max-elements" in str(error))
    """
)


def test_huge_argument_is_refused_in_process(tmp_path: Path) -> None:
    """An argument with more elements than dp-check-input allows raises a dp error; the process lives on."""
    program = tmp_path / "huge_argument.py"  # dp compiles functions from their source file
    program.write_text(PROGRAM)
    done = subprocess.run(
        [sys.executable, str(program)], capture_output=True, text=True, timeout=300,
        env={**os.environ, "DP_CACHE_DIR": "off"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "refused: True", done.stdout + done.stderr[-2000:]
