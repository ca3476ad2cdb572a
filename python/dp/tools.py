"""Console entry points: `dp-opt` and `dp-config`."""

from __future__ import annotations

import argparse
import os
import sys

from dp import config


def dp_opt() -> None:
    """Runs the dp-opt binary with this process's arguments."""
    path = config.dp_opt_path()
    os.execv(path, [path, *sys.argv[1:]])


def dp_config(argv: list[str] | None = None) -> int:
    """Prints where dp's binaries and the pinned MLIR/LLVM tools live."""
    parser = argparse.ArgumentParser(
        prog="dp-config", description="Paths of dp-mlir's installed pieces."
    )
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--plugin", action="store_true", help="the mlir-opt plugin library")
    group.add_argument("--dp-opt", action="store_true", help="the dp-opt executable")
    group.add_argument("--mlir-bin", action="store_true", help="directory of mlir-opt, mlir-runner")
    group.add_argument("--mlir-lib", action="store_true", help="directory of MLIR runtime libraries")
    group.add_argument("--llvm-bin", action="store_true", help="directory of FileCheck, not, count")
    args = parser.parse_args(argv)
    if args.plugin:
        print(config.plugin_path())
    elif args.dp_opt:
        print(config.dp_opt_path())
    elif args.mlir_bin:
        print(config.mlir_bin_dir())
    elif args.mlir_lib:
        print(config.mlir_lib_dir())
    else:
        print(config.llvm_bin_dir())
    return 0


def dp_config_main() -> None:
    sys.exit(dp_config())
