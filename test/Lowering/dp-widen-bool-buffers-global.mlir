// Known bug, kept as a test with the correct expectation: a constant bool
// array (arith.constant dense<...> : tensor<3xi1>, which bufferizes to a
// memref.global) breaks dp-widen-bool-buffers, so --dp-lower-to-cpu fails on
// such a program: memref.get_global is rebuilt with memref<3xi8> while the
// memref.global keeps memref<3xi1> (its type and initial value are
// attributes), and the verifier rejects the mismatch. The global should be
// widened too, its initial value as bytes. Remove the XFAIL line when fixed.
// RUN: dp-opt %s --dp-widen-bool-buffers | FileCheck %s

// CHECK: memref.global "private" constant @mask : memref<3xi8> = dense<[1, 0, 1]>
memref.global "private" constant @mask : memref<3xi1> = dense<[true, false, true]>

// CHECK-LABEL: func.func @read_mask(
// CHECK-SAME: %[[I:.*]]: index) -> i1 {
// CHECK-NEXT: %[[M:.*]] = memref.get_global @mask : memref<3xi8>
// CHECK-NEXT: %[[BYTE:.*]] = memref.load %[[M]][%[[I]]] : memref<3xi8>
// CHECK-NEXT: %[[V:.*]] = arith.trunci %[[BYTE]] : i8 to i1
// CHECK-NEXT: return %[[V]] : i1
func.func @read_mask(%i: index) -> i1 {
  %m = memref.get_global @mask : memref<3xi1>
  %v = memref.load %m[%i] : memref<3xi1>
  return %v : i1
}
