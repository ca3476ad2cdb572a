// RUN: dp-opt %s --split-input-file --dp-widen-bool-buffers | FileCheck %s

// Every memref of i1 becomes a memref of i8 (one byte per bool, as numpy
// stores them): a load reads the byte and truncates it to i1, a store extends
// the i1 (zero-extension: true is 1) and writes the byte. Other memref ops
// are rebuilt on the byte buffers; function signatures, calls and structured
// control flow are converted with them. Scalar i1 values stay i1.

// CHECK-LABEL: func.func @alloc_load_store(
// CHECK-SAME: %[[B:.*]]: i1, %[[I:.*]]: index) -> i1 {
// CHECK-NEXT: %[[M:.*]] = memref.alloc() : memref<4xi8>
// CHECK-NEXT: %[[BYTE:.*]] = arith.extui %[[B]] : i1 to i8
// CHECK-NEXT: memref.store %[[BYTE]], %[[M]][%[[I]]] : memref<4xi8>
// CHECK-NEXT: %[[LOADED:.*]] = memref.load %[[M]][%[[I]]] : memref<4xi8>
// CHECK-NEXT: %[[V:.*]] = arith.trunci %[[LOADED]] : i8 to i1
// CHECK-NEXT: memref.dealloc %[[M]] : memref<4xi8>
// CHECK-NEXT: return %[[V]] : i1
func.func @alloc_load_store(%b: i1, %i: index) -> i1 {
  %m = memref.alloc() : memref<4xi1>
  memref.store %b, %m[%i] : memref<4xi1>
  %v = memref.load %m[%i] : memref<4xi1>
  memref.dealloc %m : memref<4xi1>
  return %v : i1
}

// A 0-d buffer (one flag).
// CHECK-LABEL: func.func @zero_d(
// CHECK-SAME: %[[B:.*]]: i1) -> i1 {
// CHECK-NEXT: %[[M:.*]] = memref.alloc() : memref<i8>
// CHECK-NEXT: %[[BYTE:.*]] = arith.extui %[[B]] : i1 to i8
// CHECK-NEXT: memref.store %[[BYTE]], %[[M]][] : memref<i8>
// CHECK-NEXT: %[[LOADED:.*]] = memref.load %[[M]][] : memref<i8>
// CHECK-NEXT: %[[V:.*]] = arith.trunci %[[LOADED]] : i8 to i1
// CHECK-NEXT: memref.dealloc %[[M]] : memref<i8>
// CHECK-NEXT: return %[[V]] : i1
func.func @zero_d(%b: i1) -> i1 {
  %m = memref.alloc() : memref<i1>
  memref.store %b, %m[] : memref<i1>
  %v = memref.load %m[] : memref<i1>
  memref.dealloc %m : memref<i1>
  return %v : i1
}

// -----

// Signatures of definitions and declarations, and calls; other buffers
// (f64) are unchanged.

// CHECK-LABEL: func.func private @callee(memref<2x3xi8>) -> memref<2x3xi8>
func.func private @callee(%m: memref<2x3xi1>) -> memref<2x3xi1>

// CHECK-LABEL: func.func @signature(
// CHECK-SAME: %[[M:.*]]: memref<2x3xi8>, %[[F:.*]]: memref<2xf64>) -> memref<2x3xi8> {
// CHECK-NEXT: %[[R:.*]] = call @callee(%[[M]]) : (memref<2x3xi8>) -> memref<2x3xi8>
// CHECK-NEXT: return %[[R]] : memref<2x3xi8>
func.func @signature(%m: memref<2x3xi1>, %f: memref<2xf64>) -> memref<2x3xi1> {
  %r = call @callee(%m) : (memref<2x3xi1>) -> memref<2x3xi1>
  return %r : memref<2x3xi1>
}

// -----

// Structured control flow: scf.for iter_args and scf.if results carry byte
// buffers; the loads and stores inside are rewritten.

// CHECK-LABEL: func.func @loop(
// CHECK-SAME: %[[M:.*]]: memref<4xi8>, %[[N:.*]]: index) -> memref<4xi8> {
// CHECK-NEXT: %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[C1:.*]] = arith.constant 1 : index
// CHECK-NEXT: %[[R:.*]] = scf.for %[[I:.*]] = %[[C0]] to %[[N]] step %[[C1]] iter_args(%[[ACC:.*]] = %[[M]]) -> (memref<4xi8>) {
// CHECK-NEXT: %[[LOADED:.*]] = memref.load %[[ACC]][%[[I]]] : memref<4xi8>
// CHECK-NEXT: %[[V:.*]] = arith.trunci %[[LOADED]] : i8 to i1
// CHECK-NEXT: %[[TRUE:.*]] = arith.constant true
// CHECK-NEXT: %[[NOT:.*]] = arith.xori %[[V]], %[[TRUE]] : i1
// CHECK-NEXT: %[[BYTE:.*]] = arith.extui %[[NOT]] : i1 to i8
// CHECK-NEXT: memref.store %[[BYTE]], %[[ACC]][%[[I]]] : memref<4xi8>
// CHECK-NEXT: scf.yield %[[ACC]] : memref<4xi8>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[R]] : memref<4xi8>
func.func @loop(%m: memref<4xi1>, %n: index) -> memref<4xi1> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %m) -> (memref<4xi1>) {
    %v = memref.load %acc[%i] : memref<4xi1>
    %true = arith.constant true
    %not = arith.xori %v, %true : i1
    memref.store %not, %acc[%i] : memref<4xi1>
    scf.yield %acc : memref<4xi1>
  }
  return %r : memref<4xi1>
}

// CHECK-LABEL: func.func @branch(
// CHECK-SAME: %[[C:.*]]: i1, %[[A:.*]]: memref<4xi8>, %[[B:.*]]: memref<4xi8>) -> memref<4xi8> {
// CHECK-NEXT: %[[R:.*]] = scf.if %[[C]] -> (memref<4xi8>) {
// CHECK-NEXT: scf.yield %[[A]] : memref<4xi8>
// CHECK-NEXT: } else {
// CHECK-NEXT: scf.yield %[[B]] : memref<4xi8>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[R]] : memref<4xi8>
func.func @branch(%c: i1, %a: memref<4xi1>, %b: memref<4xi1>) -> memref<4xi1> {
  %r = scf.if %c -> (memref<4xi1>) {
    scf.yield %a : memref<4xi1>
  } else {
    scf.yield %b : memref<4xi1>
  }
  return %r : memref<4xi1>
}

// -----

// Other memref ops are rebuilt with byte types: alloca, copy, subview (the
// layout is kept), dynamic alloc, cast.

// CHECK-LABEL: func.func @views(
// CHECK-SAME: %[[M:.*]]: memref<4x4xi8>, %[[N:.*]]: index) -> memref<?xi8> {
// CHECK-NEXT: %[[A:.*]] = memref.alloca() : memref<4x4xi8>
// CHECK-NEXT: memref.copy %[[M]], %[[A]] : memref<4x4xi8> to memref<4x4xi8>
// CHECK-NEXT: %{{.*}} = memref.subview %[[A]][1, 0] [2, 4] [1, 1] : memref<4x4xi8> to memref<2x4xi8, strided<[4, 1], offset: 4>>
// CHECK-NEXT: %[[D:.*]] = memref.alloc(%[[N]]) : memref<?xi8>
// CHECK-NEXT: %{{.*}} = memref.cast %[[M]] : memref<4x4xi8> to memref<?x?xi8>
// CHECK-NEXT: return %[[D]] : memref<?xi8>
func.func @views(%m: memref<4x4xi1>, %n: index) -> memref<?xi1> {
  %a = memref.alloca() : memref<4x4xi1>
  memref.copy %m, %a : memref<4x4xi1> to memref<4x4xi1>
  %s = memref.subview %a[1, 0] [2, 4] [1, 1] : memref<4x4xi1> to memref<2x4xi1, strided<[4, 1], offset: 4>>
  %d = memref.alloc(%n) : memref<?xi1>
  %c = memref.cast %m : memref<4x4xi1> to memref<?x?xi1>
  return %d : memref<?xi1>
}

// -----

// A module without bool buffers is left as it is: i1 scalars, i8 and f64
// buffers, no extension or truncation added.

// CHECK-LABEL: func.func @no_bool(
// CHECK-SAME: %[[M:.*]]: memref<4xf64>, %[[BYTES:.*]]: memref<4xi8>, %[[B:.*]]: i1, %[[I:.*]]: index) -> f64 {
// CHECK-NEXT: %[[V:.*]] = memref.load %[[M]][%[[I]]] : memref<4xf64>
// CHECK-NEXT: %[[BYTE:.*]] = memref.load %[[BYTES]][%[[I]]] : memref<4xi8>
// CHECK-NEXT: memref.store %[[BYTE]], %[[BYTES]][%[[I]]] : memref<4xi8>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[R:.*]] = arith.select %[[B]], %[[V]], %[[ZERO]] : f64
// CHECK-NEXT: return %[[R]] : f64
// CHECK-NOT: arith.extui
// CHECK-NOT: arith.trunci
func.func @no_bool(%m: memref<4xf64>, %bytes: memref<4xi8>, %b: i1, %i: index) -> f64 {
  %v = memref.load %m[%i] : memref<4xf64>
  %byte = memref.load %bytes[%i] : memref<4xi8>
  memref.store %byte, %bytes[%i] : memref<4xi8>
  %zero = arith.constant 0.0 : f64
  %r = arith.select %b, %v, %zero : f64
  return %r : f64
}

// -----

// A comparison's mask saved for the reverse pass: the tape holds bytes.
// CHECK-LABEL: func.func @tape_of_masks
// CHECK-SAME: (%[[M:.*]]: memref<5xi8>) -> memref<5xi8>
// CHECK: %[[T:.*]] = dp.tape.init : !dp.tape<memref<5xi8>>
// CHECK: dp.tape.push %[[T]], %[[M]] : !dp.tape<memref<5xi8>>, memref<5xi8>
// CHECK: dp.tape.pop %[[T]] : !dp.tape<memref<5xi8>> -> memref<5xi8>
func.func @tape_of_masks(%m: memref<5xi1>) -> memref<5xi1> {
  %t = dp.tape.init : !dp.tape<memref<5xi1>>
  dp.tape.push %t, %m : !dp.tape<memref<5xi1>>, memref<5xi1>
  %r = dp.tape.pop %t : !dp.tape<memref<5xi1>> -> memref<5xi1>
  return %r : memref<5xi1>
}
