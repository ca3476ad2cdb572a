// RUN: dp-opt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(func.func(convert-parallel-loops-to-gpu), gpu-kernel-outlining, dp-gpu-host-memory)' | FileCheck %s

// Host buffers become managed memory, freed through dpGpuFree; constants a
// kernel reads are copied into managed memory first.
// CHECK: module attributes {dp.gpu.host_access, gpu.container_module}
// CHECK-LABEL: func.func @buffers
// CHECK: %[[C:.*]] = memref.get_global @table
// CHECK: %[[M:.*]] = gpu.alloc host_shared () : memref<4xf64>
// CHECK: memref.copy %[[C]], %[[M]]
// CHECK: %[[B:.*]] = gpu.alloc host_shared () : memref<4xf64>
// CHECK: gpu.launch_func {{.*}} args({{.*}}%[[M]] : memref<4xf64>, %[[B]] : memref<4xf64>)
// CHECK: memref.extract_aligned_pointer_as_index %[[B]]
// CHECK: call @dpGpuFree
// CHECK: call @dpGpuFree
// CHECK-NOT: memref.alloc
memref.global "private" constant @table : memref<4xf64> = dense<[1.0, 2.0, 3.0, 4.0]>
func.func @buffers() -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %t = memref.get_global @table : memref<4xf64>
  %b = memref.alloc() : memref<4xf64>
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    %v = memref.load %t[%i] : memref<4xf64>
    memref.store %v, %b[%i] : memref<4xf64>
  } {mapping = [#gpu.loop_dim_map<processor = thread_x, map = (d0) -> (d0), bound = (d0) -> (d0)>]}
  %r = memref.load %b[%c0] : memref<4xf64>
  memref.dealloc %b : memref<4xf64>
  return %r : f64
}

// -----

func.func @stack() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  // expected-error @below {{a stack buffer (memref.alloca) of host code cannot be read by a GPU kernel}}
  %b = memref.alloca() : memref<4xf64>
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    %v = arith.constant 1.0 : f64
    memref.store %v, %b[%i] : memref<4xf64>
  } {mapping = [#gpu.loop_dim_map<processor = thread_x, map = (d0) -> (d0), bound = (d0) -> (d0)>]}
  return
}
