"""The installed package: registration, paths, entry points, JIT of dp IR."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys

import pytest
from mlir import ir
from mlir.execution_engine import ExecutionEngine
from mlir.passmanager import PassManager

import dp
from dp.dialects import dp as dpd


def test_every_new_context_knows_dp():
    with ir.Context():
        module = ir.Module.parse("func.func @f(%x: f64) -> f64 {\n"
                                 "  %y = dp.stop_gradient %x : f64\n"
                                 "  return %y : f64\n}")
        assert "dp.stop_gradient" in str(module)


def test_installed_paths_exist():
    assert os.path.isfile(dp.plugin_path())
    assert os.access(dp.dp_opt_path(), os.X_OK)
    assert os.access(os.path.join(dp.mlir_bin_dir(), "mlir-opt"), os.X_OK)
    assert os.access(os.path.join(dp.llvm_bin_dir(), "FileCheck"), os.X_OK)


def test_dp_config_prints_plugin_path():
    out = subprocess.run(
        [sys.executable, "-c", "from dp.tools import dp_config_main; dp_config_main()", "--plugin"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    assert out == dp.plugin_path()


def test_dp_opt_lists_dp_passes():
    out = subprocess.run(
        [sys.executable, "-c", "from dp.tools import dp_opt; dp_opt()", "--help"],
        check=True, capture_output=True, text=True,
    ).stdout
    assert "--dp-erase-stop-gradient" in out
    assert "--dp-convert-tape-to-llvm" in out


def test_activity_attribute_builder_accepts_enum_and_names():
    with ir.Context():
        assert str(dpd.activity_attr(dpd.Activity.DupNoNeed)) == "#dp.activity<dupnoneed>"
        assert str(dpd.activity_attr("activenoneed")) == "#dp.activity<activenoneed>"
        assert str(dpd.activity_attr("ActiveNoNeed")) == "#dp.activity<activenoneed>"
        with pytest.raises(ir.MLIRError):
            dpd.activity_attr("passive")


def test_invalid_ir_raises_instead_of_crashing():
    with ir.Context():
        with pytest.raises(ir.MLIRError, match="is not an element type of"):
            ir.Module.parse("func.func @f(%t: !dp.tape<f64>, %x: f32) {\n"
                            "  dp.tape.push %t, %x : !dp.tape<f64>, f32\n"
                            "  return\n}")
        with pytest.raises(ValueError, match="does not refer to a registered pass"):
            PassManager.parse("builtin.module(dp-no-such-pass)")


TAPE_SUM = """
func.func @reverse_weighted_sum(%n: index) -> f64 attributes { llvm.emit_c_interface } {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  %t = dp.tape.init : !dp.tape<f64>
  scf.for %i = %c0 to %n step %c1 {
    %ii = arith.index_cast %i : index to i64
    %f = arith.sitofp %ii : i64 to f64
    dp.tape.push %t, %f : !dp.tape<f64>, f64
  }
  // sum over k of k * popped_k: popping returns n-1, n-2, ..., 0
  %s = scf.for %k = %c0 to %n step %c1 iter_args(%acc = %zero) -> f64 {
    %v = dp.tape.pop %t : !dp.tape<f64> -> f64
    %kk = arith.index_cast %k : index to i64
    %w = arith.sitofp %kk : i64 to f64
    %p = arith.mulf %v, %w : f64
    %a = arith.addf %acc, %p : f64
    scf.yield %a : f64
  }
  dp.tape.free %t : !dp.tape<f64>
  return %s : f64
}
"""


@pytest.mark.parametrize("n", [1, 7, 8, 9, 1000])
def test_tape_runs_in_the_jit(n):
    with ir.Context():
        module = ir.Module.parse(TAPE_SUM)
        PassManager.parse(
            "builtin.module(convert-scf-to-cf, convert-to-llvm, reconcile-unrealized-casts)"
        ).run(module.operation)
        engine = ExecutionEngine(module, opt_level=2)
        result = ctypes.c_double()
        engine.invoke("reverse_weighted_sum", ctypes.pointer(ctypes.c_int64(n)), ctypes.pointer(result))
    expected = float(sum(k * (n - 1 - k) for k in range(n)))
    assert result.value == expected
