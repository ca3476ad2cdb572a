#!/usr/bin/env bash
# The GPU device check, on a host with Python, numpy, the NVIDIA driver and JAX with CUDA; no compiler.
# Build the artifacts first on any machine with dp: python bench/gpu/build_artifacts.py
# Then, on the GPU host:                          bash bench/gpu/device_check.sh [artifacts dir]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
exec timeout 290 python3 "$here/device_check.py" "${1:-$here/artifacts}"
