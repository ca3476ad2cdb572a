// RUN: dp-opt %s --dp-lower-to-cpu | FileCheck %s --check-prefix=MALLOC
// RUN: dp-opt %s --dp-lower-to-cpu="generic-alloc=1" | FileCheck %s --check-prefix=GENERIC

// By default buffers come from malloc/free (what mlir-runner provides); with
// generic-alloc from _mlir_memref_to_llvm_alloc/_free, which dp's Python
// runtime defines (its cache of large blocks).

// MALLOC-LABEL: llvm.func @scaled
// MALLOC: llvm.call @malloc
// MALLOC: llvm.call @free
// MALLOC-NOT: _mlir_memref_to_llvm

// GENERIC-LABEL: llvm.func @scaled
// GENERIC: llvm.call @_mlir_memref_to_llvm_alloc
// GENERIC: llvm.call @_mlir_memref_to_llvm_free
// GENERIC-NOT: @malloc
func.func @scaled(%x: tensor<1024xf64>, %s: f64) -> f64 {
  %zero = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<1024xf64>
  %b = linalg.fill ins(%s : f64) outs(%e : tensor<1024xf64>) -> tensor<1024xf64>
  %y = arith.mulf %x, %b : tensor<1024xf64>
  %z = math.exp %y : tensor<1024xf64>
  %w = arith.addf %z, %y : tensor<1024xf64>
  %i = tensor.empty() : tensor<f64>
  %f = linalg.fill ins(%zero : f64) outs(%i : tensor<f64>) -> tensor<f64>
  %r = linalg.reduce ins(%w : tensor<1024xf64>) outs(%f : tensor<f64>) dimensions = [0]
    (%a: f64, %acc: f64) { %t = arith.addf %a, %acc : f64
      linalg.yield %t : f64 }
  %v = tensor.extract %r[] : tensor<f64>
  return %v : f64
}
