// RUN: dp-opt %s --dp-gpu-map-parallel-loops --split-input-file | FileCheck %s
// RUN: not dp-opt %s --dp-gpu-map-parallel-loops=block-size=0 --split-input-file 2>&1 | FileCheck %s --check-prefix=BAD

// A 2-D parallel loop: collapsed to one dimension, tiled by 256, the tiles
// mapped to blocks and the elements of a tile to threads, behind a guard
// against an empty launch.
// CHECK-LABEL: func.func @two_dims
// CHECK: %[[N:.*]] = arith.muli
// CHECK: scf.if
// CHECK: scf.parallel
// CHECK: scf.parallel
// CHECK: memref.store
// CHECK: {mapping = [#gpu.loop_dim_map<processor = thread_x, map = (d0) -> (d0), bound = (d0) -> (d0)>]}
// CHECK: {mapping = [#gpu.loop_dim_map<processor = block_x, map = (d0) -> (d0), bound = (d0) -> (d0)>]}
// BAD: error: dp-gpu-map-parallel-loops: block-size must be in [1, 1024], got 0
func.func @two_dims(%a: memref<?x?xf64>, %b: memref<?x?xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = memref.dim %a, %c0 : memref<?x?xf64>
  %n = memref.dim %a, %c1 : memref<?x?xf64>
  scf.parallel (%i, %j) = (%c0, %c0) to (%m, %n) step (%c1, %c1) {
    %v = memref.load %a[%i, %j] : memref<?x?xf64>
    %w = arith.mulf %v, %v : f64
    memref.store %w, %b[%i, %j] : memref<?x?xf64>
  }
  return
}

// -----

// A sum of every element into one accumulator: strided partial sums on the
// GPU (two parallel loops), then the last 256 values on the host.
// CHECK-LABEL: func.func @total
// CHECK: arith.constant 65536 : index
// CHECK: arith.constant 256 : index
// CHECK: %[[P:.*]] = memref.alloc(%{{.*}}) : memref<?xf64>
// CHECK: %[[F:.*]] = memref.alloc(%{{.*}}) : memref<?xf64>
// CHECK: scf.parallel
// CHECK: scf.for {{.*}} iter_args
// CHECK: memref.store %{{.*}}, %[[P]]
// CHECK: processor = block_x
// CHECK: scf.parallel
// CHECK: memref.load %[[P]]
// CHECK: memref.store %{{.*}}, %[[F]]
// CHECK: processor = block_x
// CHECK: scf.for {{.*}} iter_args
// CHECK: memref.load %[[F]]
// CHECK: memref.store %{{.*}}, %arg1[]
// CHECK: memref.dealloc %[[P]]
func.func @total(%x: memref<?xf64>, %acc: memref<f64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %x, %c0 : memref<?xf64>
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %x[%i] : memref<?xf64>
    %e = math.exp %v : f64
    %a = memref.load %acc[] : memref<f64>
    %s = arith.addf %a, %e : f64
    memref.store %s, %acc[] : memref<f64>
  }
  return
}

// -----

// A loop that is not a fold (it stores elsewhere) stays on the host.
// CHECK-LABEL: func.func @prefix
// CHECK-NOT: scf.parallel
// CHECK: scf.for
func.func @prefix(%x: memref<?xf64>, %acc: memref<f64>, %out: memref<?xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %x, %c0 : memref<?xf64>
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %x[%i] : memref<?xf64>
    %a = memref.load %acc[] : memref<f64>
    %s = arith.addf %a, %v : f64
    memref.store %s, %out[%i] : memref<?xf64>
  }
  return
}
