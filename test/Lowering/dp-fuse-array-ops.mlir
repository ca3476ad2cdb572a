// RUN: dp-opt %s --convert-elementwise-to-linalg --dp-fuse-array-ops --canonicalize --cse | FileCheck %s

// The transposed operand maps of matrix products (see @products_of_transposes).
// CHECK-DAG: #[[KM:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[NK:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>

// The max-shifted logsumexp: broadcast, subtract, exp and the sum become one
// reduction loop nest; no 4x8 temporary is left.
// CHECK-LABEL: func.func @logsumexp_rows
// CHECK-NOT: tensor.empty() : tensor<4x8xf64>
// CHECK: %[[MAX:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]{{.*}} ins(%arg0 : tensor<4x8xf64>)
// CHECK: arith.maximumf
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]{{.*}} ins(%arg0, %[[MAX]] : tensor<4x8xf64>, tensor<4xf64>)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.subf
// CHECK-NEXT: math.exp
// CHECK-NEXT: arith.addf
// CHECK: linalg.generic {{.*}} ins(%[[SUM]], %[[MAX]] : tensor<4xf64>, tensor<4xf64>)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: math.log
// CHECK-NEXT: arith.addf
// CHECK-NOT: linalg.broadcast
// CHECK: return
func.func @logsumexp_rows(%x: tensor<4x8xf64>) -> tensor<4xf64> {
  %ninf = arith.constant 0xFFF0000000000000 : f64
  %zero = arith.constant 0.0 : f64
  %e0 = tensor.empty() : tensor<4xf64>
  %mi = linalg.fill ins(%ninf : f64) outs(%e0 : tensor<4xf64>) -> tensor<4xf64>
  %m = linalg.reduce ins(%x : tensor<4x8xf64>) outs(%mi : tensor<4xf64>) dimensions = [1]
    (%a: f64, %b: f64) { %r = arith.maximumf %a, %b : f64
      linalg.yield %r : f64 }
  %e1 = tensor.empty() : tensor<4x8xf64>
  %mb = linalg.broadcast ins(%m : tensor<4xf64>) outs(%e1 : tensor<4x8xf64>) dimensions = [1]
  %d = arith.subf %x, %mb : tensor<4x8xf64>
  %ex = math.exp %d : tensor<4x8xf64>
  %si = linalg.fill ins(%zero : f64) outs(%e0 : tensor<4xf64>) -> tensor<4xf64>
  %s = linalg.reduce ins(%ex : tensor<4x8xf64>) outs(%si : tensor<4xf64>) dimensions = [1]
    (%a: f64, %b: f64) { %r = arith.addf %a, %b : f64
      linalg.yield %r : f64 }
  %l = math.log %s : tensor<4xf64>
  %out = arith.addf %l, %m : tensor<4xf64>
  return %out : tensor<4xf64>
}

// Matmul stays a named op (a BLAS call may take it); its consumer is not fused in.
// CHECK-LABEL: func.func @matmul_kept
// CHECK: linalg.matmul
// CHECK: linalg.generic
// CHECK: math.tanh
func.func @matmul_kept(%a: tensor<4x8xf64>, %b: tensor<8x3xf64>) -> tensor<4x3xf64> {
  %zero = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<4x3xf64>
  %f = linalg.fill ins(%zero : f64) outs(%e : tensor<4x3xf64>) -> tensor<4x3xf64>
  %c = linalg.matmul ins(%a, %b : tensor<4x8xf64>, tensor<8x3xf64>) outs(%f : tensor<4x3xf64>) -> tensor<4x3xf64>
  %t = math.tanh %c : tensor<4x3xf64>
  return %t : tensor<4x3xf64>
}


// A producer with two users is computed once, not fused into each.
// CHECK-LABEL: func.func @shared_producer_not_duplicated
// CHECK: %[[E:.*]] = linalg.generic
// CHECK-NEXT: ^bb0
// CHECK-NEXT: math.exp
// CHECK: linalg.generic {{.*}} ins(%[[E]] :
// CHECK-NEXT: ^bb0
// CHECK-NEXT: math.sin
// CHECK: linalg.generic {{.*}} ins(%[[E]] :
// CHECK-NEXT: ^bb0
// CHECK-NEXT: math.cos
func.func @shared_producer_not_duplicated(%x: tensor<8xf64>) -> (tensor<8xf64>, tensor<8xf64>) {
  %e = math.exp %x : tensor<8xf64>
  %a = math.sin %e : tensor<8xf64>
  %b = math.cos %e : tensor<8xf64>
  return %a, %b : tensor<8xf64>, tensor<8xf64>
}

// The products reverse mode builds, g b^T and a^T g: the transposes become
// matmul indexing maps (no transposed copies).
// CHECK-LABEL: func.func @products_of_transposes
// CHECK-SAME: (%[[A:.*]]: tensor<3x4xf64>, %[[B:.*]]: tensor<4x5xf64>, %[[G:.*]]: tensor<3x5xf64>)
// CHECK-NOT: linalg.transpose
// CHECK: linalg.matmul indexing_maps = [#{{.*}}, #[[NK]], #{{.*}}] ins(%[[G]], %[[B]] : tensor<3x5xf64>, tensor<4x5xf64>)
// CHECK: linalg.matmul indexing_maps = [#[[KM]], #{{.*}}, #{{.*}}] ins(%[[A]], %[[G]] : tensor<3x4xf64>, tensor<3x5xf64>)
func.func @products_of_transposes(%a: tensor<3x4xf64>, %b: tensor<4x5xf64>, %g: tensor<3x5xf64>) -> (tensor<3x4xf64>, tensor<4x5xf64>) {
  %zero = arith.constant 0.0 : f64
  %eb = tensor.empty() : tensor<5x4xf64>
  %bt = linalg.transpose ins(%b : tensor<4x5xf64>) outs(%eb : tensor<5x4xf64>) permutation = [1, 0]
  %e1 = tensor.empty() : tensor<3x4xf64>
  %f1 = linalg.fill ins(%zero : f64) outs(%e1 : tensor<3x4xf64>) -> tensor<3x4xf64>
  %da = linalg.matmul ins(%g, %bt : tensor<3x5xf64>, tensor<5x4xf64>) outs(%f1 : tensor<3x4xf64>) -> tensor<3x4xf64>
  %ea = tensor.empty() : tensor<4x3xf64>
  %at = linalg.transpose ins(%a : tensor<3x4xf64>) outs(%ea : tensor<4x3xf64>) permutation = [1, 0]
  %e2 = tensor.empty() : tensor<4x5xf64>
  %f2 = linalg.fill ins(%zero : f64) outs(%e2 : tensor<4x5xf64>) -> tensor<4x5xf64>
  %db = linalg.matmul ins(%at, %g : tensor<4x3xf64>, tensor<3x5xf64>) outs(%f2 : tensor<4x5xf64>) -> tensor<4x5xf64>
  return %da, %db : tensor<3x4xf64>, tensor<4x5xf64>
}
