// RUN: dp-opt %s --dp-bufferize | FileCheck %s
// A tensor popped off a tape is copied out into a buffer of its own: the
// value outlives the tape, which its owner frees right after the reverse
// sweep (here before the popped value is returned).

// CHECK-LABEL: func.func @pop_then_free(
// CHECK-SAME: %[[T:[^:]*]]: !dp.tape
// CHECK: dp.tape.push %[[T]], %{{.*}} : !dp.tape, memref<3xf64>
// CHECK: %[[ON:.*]] = dp.tape.pop %[[T]] : !dp.tape -> memref<3xf64>
// CHECK: %[[COPY:.*]] = memref.alloc() {{.*}}: memref<3xf64>
// CHECK: memref.copy %[[ON]], %[[COPY]]
// CHECK: dp.tape.free %[[T]]
// CHECK: return %[[COPY]]
func.func @pop_then_free(%t: !dp.tape, %x: tensor<3xf64>) -> tensor<3xf64> {
  dp.tape.push %t, %x : !dp.tape, tensor<3xf64>
  %y = dp.tape.pop %t : !dp.tape -> tensor<3xf64>
  dp.tape.free %t : !dp.tape
  return %y : tensor<3xf64>
}
