// RUN: dp-opt %s --split-input-file --dp-convert-tape-to-llvm | FileCheck %s
// RUN: dp-opt %s --split-input-file --convert-to-llvm | FileCheck %s --check-prefix=CONVERT

// The runtime is added once per module, as internal functions.
// CHECK-DAG: llvm.func @malloc(i64) -> !llvm.ptr
// CHECK-DAG: llvm.func @realloc(!llvm.ptr, i64) -> !llvm.ptr
// CHECK-DAG: llvm.func @free(!llvm.ptr)
// CHECK-DAG: llvm.func internal @__dp_tape_init(%{{.*}}: i64) -> !llvm.ptr
// CHECK-DAG: llvm.func internal @__dp_tape_grow(%{{.*}}: !llvm.ptr) attributes {passthrough = ["noinline"]}
// CHECK-DAG: llvm.func internal @__dp_tape_push_slot(%{{.*}}: !llvm.ptr) -> !llvm.ptr attributes {passthrough = ["alwaysinline"]}
// CHECK-DAG: llvm.func internal @__dp_tape_pop_slot(%{{.*}}: !llvm.ptr) -> !llvm.ptr attributes {passthrough = ["alwaysinline"]}
// CHECK-DAG: llvm.func internal @__dp_tape_rewind(%{{.*}}: !llvm.ptr) attributes {passthrough = ["alwaysinline"]}
// CHECK-DAG: llvm.func internal @__dp_tape_free(%{{.*}}: !llvm.ptr)
// CHECK-DAG: llvm.func internal @__dp_tape_push_array(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64) attributes {passthrough = ["noinline"]}

// CHECK-LABEL: func.func @push_pop
// CONVERT-LABEL: llvm.func @push_pop
func.func @push_pop(%x: f64, %i: index) -> (f64, index) {
  // CHECK: %[[ZERO:.*]] = llvm.mlir.constant(0 : i64) : i64
  // CHECK: %[[T:.*]] = llvm.call @__dp_tape_init(%[[ZERO]]) : (i64) -> !llvm.ptr
  %t = dp.tape.init : !dp.tape<f64, index>
  // CHECK: %[[S0:.*]] = llvm.call @__dp_tape_push_slot(%[[T]]) : (!llvm.ptr) -> !llvm.ptr
  // CHECK: llvm.store %{{.*}}, %[[S0]] : f64, !llvm.ptr
  dp.tape.push %t, %x : !dp.tape<f64, index>, f64
  // CHECK: %[[S1:.*]] = llvm.call @__dp_tape_push_slot(%[[T]]) : (!llvm.ptr) -> !llvm.ptr
  // CHECK: llvm.store %{{.*}}, %[[S1]] : i64, !llvm.ptr
  dp.tape.push %t, %i : !dp.tape<f64, index>, index
  // CHECK: %[[S2:.*]] = llvm.call @__dp_tape_pop_slot(%[[T]]) : (!llvm.ptr) -> !llvm.ptr
  // CHECK: llvm.load %[[S2]] : !llvm.ptr -> i64
  %j = dp.tape.pop %t : !dp.tape<f64, index> -> index
  // CHECK: %[[S3:.*]] = llvm.call @__dp_tape_pop_slot(%[[T]]) : (!llvm.ptr) -> !llvm.ptr
  // CHECK: llvm.load %[[S3]] : !llvm.ptr -> f64
  %y = dp.tape.pop %t : !dp.tape<f64, index> -> f64
  // CHECK: llvm.call @__dp_tape_rewind(%[[T]]) : (!llvm.ptr) -> ()
  dp.tape.rewind %t : !dp.tape<f64, index>
  // CHECK: llvm.call @__dp_tape_free(%[[T]]) : (!llvm.ptr) -> ()
  dp.tape.free %t : !dp.tape<f64, index>
  // CONVERT-NOT: dp.tape
  // CONVERT: llvm.return
  return %y, %j : f64, index
}

// -----

// A tape crossing a function boundary is a pointer once the whole module is
// converted.
// CONVERT-LABEL: llvm.func @takes_tape
// CONVERT-SAME: (%[[T:.*]]: !llvm.ptr)
func.func @takes_tape(%t: !dp.tape<f32>) -> f32 {
  // CONVERT: %[[S:.*]] = llvm.call @__dp_tape_pop_slot(%[[T]])
  // CONVERT: llvm.load %[[S]] : !llvm.ptr -> f32
  %x = dp.tape.pop %t : !dp.tape<f32> -> f32
  return %x : f32
}

// CHECK-LABEL: func.func @capacity
// CONVERT-LABEL: llvm.func @capacity
func.func @capacity(%n: index) {
  // CHECK: %[[N:.*]] = builtin.unrealized_conversion_cast %{{.*}} : index to i64
  // CHECK: llvm.call @__dp_tape_init(%[[N]]) : (i64) -> !llvm.ptr
  // CONVERT: llvm.call @__dp_tape_init(%{{.*}}) : (i64) -> !llvm.ptr
  %t = dp.tape.init capacity %n : !dp.tape<f32>
  dp.tape.free %t : !dp.tape<f32>
  return
}

// -----

// An array element: the push copies the buffer's bytes (4 * 3 * 8 = 96) from
// its aligned pointer into an allocation the tape owns (freed with the tape);
// the pop loads that pointer back and builds an identity-layout descriptor
// around it (allocated and aligned pointer both the copy, offset 0, the
// static sizes and row-major strides).
// CHECK-LABEL: func.func @push_pop_memref
// CHECK-SAME: (%[[M:.*]]: memref<4x3xf64>) -> memref<4x3xf64>
// CONVERT-LABEL: llvm.func @push_pop_memref
func.func @push_pop_memref(%m: memref<4x3xf64>) -> memref<4x3xf64> {
  // CHECK: %[[DESC:.*]] = builtin.unrealized_conversion_cast %[[M]] : memref<4x3xf64> to !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  // CHECK: %[[T:.*]] = llvm.call @__dp_tape_init(%{{.*}}) : (i64) -> !llvm.ptr
  %t = dp.tape.init : !dp.tape
  // CHECK: %[[ALIGNED:.*]] = llvm.extractvalue %[[DESC]][1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  // CHECK-NEXT: %[[BYTES:.*]] = llvm.mlir.constant(96 : i64) : i64
  // CHECK-NEXT: llvm.call @__dp_tape_push_array(%[[T]], %[[ALIGNED]], %[[BYTES]]) : (!llvm.ptr, !llvm.ptr, i64) -> ()
  // CONVERT: llvm.call @__dp_tape_push_array(%{{.*}}, %{{.*}}, %{{.*}}) : (!llvm.ptr, !llvm.ptr, i64) -> ()
  dp.tape.push %t, %m : !dp.tape, memref<4x3xf64>
  // CHECK-NEXT: %[[SLOT:.*]] = llvm.call @__dp_tape_pop_slot(%[[T]]) : (!llvm.ptr) -> !llvm.ptr
  // CHECK-NEXT: %[[COPY:.*]] = llvm.load %[[SLOT]] : !llvm.ptr -> !llvm.ptr
  // CHECK-NEXT: %[[D0:.*]] = llvm.mlir.poison : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  // CHECK-NEXT: %[[D1:.*]] = llvm.insertvalue %[[COPY]], %[[D0]][0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  // CHECK-NEXT: %[[D2:.*]] = llvm.insertvalue %[[COPY]], %[[D1]][1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  // CHECK-NEXT: %[[OFFSET:.*]] = llvm.mlir.constant(0 : index) : i64
  // CHECK-NEXT: %[[D3:.*]] = llvm.insertvalue %[[OFFSET]], %[[D2]][2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  // CHECK-NEXT: %[[SIZE0:.*]] = llvm.mlir.constant(4 : index) : i64
  // CHECK-NEXT: %[[D4:.*]] = llvm.insertvalue %[[SIZE0]], %[[D3]][3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  // CHECK-NEXT: %[[STRIDE0:.*]] = llvm.mlir.constant(3 : index) : i64
  // CHECK-NEXT: %[[D5:.*]] = llvm.insertvalue %[[STRIDE0]], %[[D4]][4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  // CHECK-NEXT: %[[SIZE1:.*]] = llvm.mlir.constant(3 : index) : i64
  // CHECK-NEXT: %[[D6:.*]] = llvm.insertvalue %[[SIZE1]], %[[D5]][3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  // CHECK-NEXT: %[[STRIDE1:.*]] = llvm.mlir.constant(1 : index) : i64
  // CHECK-NEXT: %[[D7:.*]] = llvm.insertvalue %[[STRIDE1]], %[[D6]][4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  // CHECK-NEXT: %[[R:.*]] = builtin.unrealized_conversion_cast %[[D7]] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> to memref<4x3xf64>
  %r = dp.tape.pop %t : !dp.tape -> memref<4x3xf64>
  // CHECK-NEXT: llvm.call @__dp_tape_free(%[[T]]) : (!llvm.ptr) -> ()
  dp.tape.free %t : !dp.tape
  // CHECK-NEXT: return %[[R]] : memref<4x3xf64>
  // CONVERT-NOT: dp.tape
  // CONVERT: llvm.return
  return %r : memref<4x3xf64>
}
