# lit configuration: runs against the installed dp-mlir package and the pinned
# MLIR/LLVM wheels of the Python environment that runs lit.

import os
import shutil
import sys

import lit.formats

from dp import config as dp_config

config.name = "dp-mlir"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".py"]
config.excludes = ["lit.cfg.py", "pytest", "Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.test_source_root, "Output")

tool_dirs = [
    os.path.dirname(dp_config.dp_opt_path()),
    dp_config.mlir_bin_dir(),
    dp_config.llvm_bin_dir(),
]
config.environment["PATH"] = os.pathsep.join(tool_dirs + [config.environment.get("PATH", os.environ.get("PATH", ""))])
config.environment["PYTHONPATH"] = os.environ.get("PYTHONPATH", "")

config.substitutions.append(("%PYTHON", sys.executable))
config.substitutions.append(("%dp_plugin", dp_config.plugin_path()))
config.substitutions.append(("%mlir_lib_dir", dp_config.mlir_lib_dir()))
config.substitutions.append(
    ("%mlir_runner_utils", os.path.join(dp_config.mlir_lib_dir(), "libmlir_c_runner_utils.so"))
)

if shutil.which("valgrind"):
    config.available_features.add("valgrind")

# GPU lowering: cubins need ptxas (the nvidia-cuda-nvcc wheel, `pip install ".[gpu]"`).
from dp.backends import gpu as dp_gpu

config.substitutions.append(("%cuda_toolkit", dp_gpu.toolkit() or ""))
if dp_gpu.ptxas():
    config.available_features.add("ptxas")
