"""Where dp's own binaries and the pinned MLIR/LLVM tools are installed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _wheel_dir(package: str) -> Path:
    """Directory of a namespace package installed by the xtc-* wheels."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the '{package}' package (xtc-{package}-* wheels) is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def plugin_path() -> str:
    """The plugin for the upstream mlir-opt (`--load-dialect-plugin` and `--load-pass-plugin`)."""
    return str(_PACKAGE_DIR / "lib" / "libDpPlugin.so")


def dp_opt_path() -> str:
    """The dp-opt executable."""
    return str(_PACKAGE_DIR / "bin" / "dp-opt")


def mlir_bin_dir() -> str:
    """Directory of the pinned MLIR tools (mlir-opt, mlir-runner, mlir-translate)."""
    return str(_wheel_dir("mlir") / "bin")


def mlir_lib_dir() -> str:
    """Directory of libMLIR.so and the MLIR runtime support libraries."""
    return str(_wheel_dir("mlir") / "lib")


def llvm_bin_dir() -> str:
    """Directory of the pinned LLVM tools (FileCheck, not, count, llc)."""
    return str(_wheel_dir("llvm") / "bin")
