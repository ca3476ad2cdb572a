// RUN: dp-opt %s --dp-linalg-to-blas="dgemm=cblas_dgemm sgemm=cblas_sgemm" --canonicalize | FileCheck %s
// RUN: dp-opt %s --dp-linalg-to-blas | FileCheck %s --check-prefix=NONE

// Matrix products on buffers become CBLAS calls (row-major; linalg.matmul
// accumulates into its init, so alpha = beta = 1). Without a BLAS to call,
// nothing changes.
// NONE-NOT: call
// NONE-COUNT-6: linalg.matmul
// NONE-NOT: call

#mk = affine_map<(m, n, k) -> (m, k)>
#km = affine_map<(m, n, k) -> (k, m)>
#kn = affine_map<(m, n, k) -> (k, n)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>
#k = affine_map<(m, n, k) -> (k)>


// C = A B: row-major, no transposes; M, N, K = 3, 5, 4; lda 4, ldb 5, ldc 5.
// CHECK-LABEL: func.func @plain
// CHECK: call @cblas_dgemm(%c101_i32, %c111_i32, %c111_i32, %c3_i64, %c5_i64, %c4_i64, %cst, %{{.*}}, %c4_i64, %{{.*}}, %c5_i64, %cst, %{{.*}}, %c5_i64)
// CHECK-NOT: linalg.matmul
func.func @plain(%a: memref<3x4xf64>, %b: memref<4x5xf64>, %c: memref<3x5xf64>) {
  linalg.matmul ins(%a, %b : memref<3x4xf64>, memref<4x5xf64>) outs(%c : memref<3x5xf64>)
  return
}

// A stored as K x M (4 x 3): CblasTrans for A, whose leading dimension is 3.
// CHECK-LABEL: func.func @transposed_a
// CHECK: call @cblas_dgemm(%c101_i32, %c112_i32, %c111_i32, %c3_i64, %c5_i64, %c4_i64, %cst, %{{.*}}, %c3_i64, %{{.*}}, %c5_i64, %cst, %{{.*}}, %c5_i64)
func.func @transposed_a(%a: memref<4x3xf64>, %b: memref<4x5xf64>, %c: memref<3x5xf64>) {
  linalg.matmul indexing_maps = [#km, #kn, #mn] ins(%a, %b : memref<4x3xf64>, memref<4x5xf64>) outs(%c : memref<3x5xf64>)
  return
}

// B stored as N x K (5 x 4), in float32: sgemm with CblasTrans for B, ldb 4.
// CHECK-LABEL: func.func @transposed_b
// CHECK: call @cblas_sgemm(%c101_i32, %c111_i32, %c112_i32, %c3_i64, %c5_i64, %c4_i64, %cst, %{{.*}}, %c4_i64, %{{.*}}, %c4_i64, %cst, %{{.*}}, %c5_i64)
func.func @transposed_b(%a: memref<3x4xf32>, %b: memref<5x4xf32>, %c: memref<3x5xf32>) {
  linalg.matmul indexing_maps = [#mk, #nk, #mn] ins(%a, %b : memref<3x4xf32>, memref<5x4xf32>) outs(%c : memref<3x5xf32>)
  return
}

// CHECK-LABEL: func.func @transposed_both
// CHECK: call @cblas_dgemm(%c101_i32, %c112_i32, %c112_i32, %c3_i64, %c5_i64, %c4_i64, %cst, %{{.*}}, %c3_i64, %{{.*}}, %c4_i64, %cst, %{{.*}}, %c5_i64)
func.func @transposed_both(%a: memref<4x3xf64>, %b: memref<5x4xf64>, %c: memref<3x5xf64>) {
  linalg.matmul indexing_maps = [#km, #nk, #mn] ins(%a, %b : memref<4x3xf64>, memref<5x4xf64>) outs(%c : memref<3x5xf64>)
  return
}

// Broadcast maps have no BLAS form: the matmul stays (for loops).
// CHECK-LABEL: func.func @broadcast_stays
// CHECK-NOT: call
// CHECK: linalg.matmul
func.func @broadcast_stays(%a: memref<4xf64>, %b: memref<4x5xf64>, %c: memref<3x5xf64>) {
  linalg.matmul indexing_maps = [#k, #kn, #mn] ins(%a, %b : memref<4xf64>, memref<4x5xf64>) outs(%c : memref<3x5xf64>)
  return
}

// A BLAS needs unit stride along rows.
// CHECK-LABEL: func.func @strided_columns_stay
// CHECK-NOT: call
// CHECK: linalg.matmul
func.func @strided_columns_stay(%a: memref<3x4xf64, strided<[8, 2]>>, %b: memref<4x5xf64>, %c: memref<3x5xf64>) {
  linalg.matmul ins(%a, %b : memref<3x4xf64, strided<[8, 2]>>, memref<4x5xf64>) outs(%c : memref<3x5xf64>)
  return
}
