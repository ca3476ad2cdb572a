// RUN: dp-opt %s --split-input-file --dp-lower-runtime-checks | FileCheck %s
// RUN: dp-opt %s --split-input-file --dp-lower-to-cpu="runtime-checks=1" | FileCheck %s --check-prefix=LLVM

// A failed check calls the runtime with its message, prefixed by the op's
// position, and execution goes on: no abort().
// CHECK-DAG: llvm.mlir.global internal constant @__dp_check_0("user.py:3:7: [overflow] integer overflow in `*`\00")
// CHECK-DAG: func.func private @dpRuntimeError(!llvm.ptr)
// CHECK-LABEL: func.func @mul
// CHECK: %[[FAILED:.*]] = arith.xori %{{.*}}, %true : i1
// CHECK: scf.if %[[FAILED]] {
// CHECK:   %[[ADDRESS:.*]] = llvm.mlir.addressof @__dp_check_0 : !llvm.ptr
// CHECK:   %[[TEXT:.*]] = llvm.getelementptr %[[ADDRESS]][0, 0]
// CHECK:   func.call @dpRuntimeError(%[[TEXT]]) : (!llvm.ptr) -> ()
// CHECK: }
// CHECK-NOT: cf.assert
// CHECK: return %{{.*}} : i64
// LLVM-LABEL: llvm.func @mul
// LLVM: llvm.call @dpRuntimeError
// LLVM-NOT: abort
func.func @mul(%a: i64, %b: i64) -> i64 {
  %low, %high = arith.mulsi_extended %a, %b : i64
  %c63 = arith.constant 63 : i64
  %sign = arith.shrsi %low, %c63 : i64
  %fits = arith.cmpi eq, %high, %sign : i64
  cf.assert %fits, "[overflow] integer overflow in `*`" loc("user.py":3:7)
  return %low : i64
}

// -----

// Two checks get a global each; one without a file location keeps its bare message.
// CHECK-DAG: llvm.mlir.global internal constant @__dp_check_0("a.py:1:1: first\00")
// CHECK-DAG: llvm.mlir.global internal constant @__dp_check_1("second\00")
// CHECK-LABEL: func.func @two
// CHECK-COUNT-2: func.call @dpRuntimeError
func.func @two(%ok: i1) {
  cf.assert %ok, "first" loc("a.py":1:1)
  cf.assert %ok, "second" loc(unknown)
  return
}

// -----

// Without checks the module is left alone.
// CHECK-LABEL: func.func @none
// CHECK-NOT: dpRuntimeError
func.func @none(%a: f64) -> f64 {
  return %a : f64
}
