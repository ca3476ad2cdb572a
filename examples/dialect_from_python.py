"""dp-mlir demo: the dp dialect at work from Python.

Builds a function that records values on a dp tape in a loop and reads them
back in reverse (what a reverse-mode derivative does with a loop), checks the
IR, lowers it with the upstream `convert-to-llvm` pass (which picks up dp's
lowering), JIT-compiles it and runs it.
"""

import ctypes

from mlir import ir
from mlir.execution_engine import ExecutionEngine
from mlir.passmanager import PassManager

import dp  # noqa: F401  (makes the dp dialect known to every mlir Context)

SOURCE = """
// Horner's rule evaluated backwards over a tape: push x^k for k = 0..n-1,
// pop them in reverse and sum, i.e. x^(n-1) + ... + x + 1.
func.func @geometric(%x: f64, %n: index) -> f64 attributes { llvm.emit_c_interface } {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f64
  %zero = arith.constant 0.0 : f64
  %tape = dp.tape.init capacity %n : !dp.tape<f64>
  %last = scf.for %i = %c0 to %n step %c1 iter_args(%p = %one) -> f64 {
    dp.tape.push %tape, %p : !dp.tape<f64>, f64
    %next = arith.mulf %p, %x : f64
    scf.yield %next : f64
  }
  %sum = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> f64 {
    %p = dp.tape.pop %tape : !dp.tape<f64> -> f64
    %s = arith.addf %acc, %p : f64
    scf.yield %s : f64
  }
  dp.tape.free %tape : !dp.tape<f64>
  return %sum : f64
}
"""


def main() -> None:
    with ir.Context():
        module = ir.Module.parse(SOURCE)
        print("== dp IR, verified ==")
        print(module)
        PassManager.parse(
            "builtin.module(convert-scf-to-cf, convert-to-llvm, reconcile-unrealized-casts)"
        ).run(module.operation)
        engine = ExecutionEngine(module, opt_level=3)
        for x, n in [(0.5, 10), (2.0, 20), (1.0, 1000)]:
            result = ctypes.c_double()
            engine.invoke(
                "geometric",
                ctypes.pointer(ctypes.c_double(x)),
                ctypes.pointer(ctypes.c_int64(n)),
                ctypes.pointer(result),
            )
            expected = sum(x**k for k in range(n))
            print(f"geometric(x={x}, n={n}) = {result.value:.6f}   (Python: {expected:.6f})")
            assert abs(result.value - expected) <= 1e-12 * max(1.0, abs(expected))


if __name__ == "__main__":
    main()
