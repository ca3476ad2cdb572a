// Pushes 1000 (f64, index) pairs onto a tape that starts with room for 8
// slots, so it grows by doubling eight times; pops them back in reverse
// order, then rewinds and reads the last pair again.
// RUN: dp-opt %s --convert-scf-to-cf --convert-to-llvm --reconcile-unrealized-casts \
// RUN:   | mlir-runner -e main -entry-point-result=void --shared-libs=%mlir_runner_utils \
// RUN:   | FileCheck %s
// RUN: dp-opt %s --convert-scf-to-cf --convert-to-llvm --reconcile-unrealized-casts -o %t.mlir
// RUN: %if valgrind %{ valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=3 mlir-runner %t.mlir -e main -entry-point-result=void --shared-libs=%mlir_runner_utils | FileCheck %s %}

func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 1000 : index
  %zero = arith.constant 0.0 : f64
  %t = dp.tape.init : !dp.tape<f64, index>
  scf.for %i = %c0 to %n step %c1 {
    %ii = arith.index_cast %i : index to i64
    %f = arith.sitofp %ii : i64 to f64
    dp.tape.push %t, %f : !dp.tape<f64, index>, f64
    dp.tape.push %t, %i : !dp.tape<f64, index>, index
  }
  // Sum of the popped values whose index came back in the expected order.
  %last = arith.subi %n, %c1 : index
  %sum = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> f64 {
    %j = dp.tape.pop %t : !dp.tape<f64, index> -> index
    %f = dp.tape.pop %t : !dp.tape<f64, index> -> f64
    %expected = arith.subi %last, %i : index
    %in_order = arith.cmpi eq, %j, %expected : index
    %kept = arith.select %in_order, %f, %zero : f64
    %next = arith.addf %acc, %kept : f64
    scf.yield %next : f64
  }
  // CHECK: 499500
  vector.print %sum : f64
  dp.tape.rewind %t : !dp.tape<f64, index>
  %j = dp.tape.pop %t : !dp.tape<f64, index> -> index
  %f = dp.tape.pop %t : !dp.tape<f64, index> -> f64
  // CHECK-NEXT: 999
  vector.print %j : index
  // CHECK-NEXT: 999
  vector.print %f : f64
  dp.tape.free %t : !dp.tape<f64, index>
  return
}
