// A constant bool array bufferizes to a memref.global: it is widened with
// its users, its initial value as bytes.
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
