"""Targets other than the CPU JIT: StableHLO export (and dp functions inside JAX)."""
