// RUN: dp-opt %s --pass-pipeline='builtin.module(dp-lower-to-nvvm)' | FileCheck %s
// RUN: dp-opt %s --pass-pipeline='builtin.module(dp-lower-to-nvvm{chip=sm_80 block-size=128})' | FileCheck %s --check-prefix=SM80

// Elementwise code: one kernel of ceil(n/256) blocks of 256 threads, guarded
// against an empty launch, over buffers in managed memory; PTX for sm_90
// embedded in the module; the host side calls dp's runtime.

// CHECK-LABEL: llvm.func @scale
// CHECK: llvm.call @mgpuMemAlloc
// CHECK: llvm.cond_br
// CHECK: gpu.launch_func @scale_kernel::@scale_kernel blocks in ({{.*}}) threads in (%[[T:.*]], %{{.*}}, %{{.*}}) : i64
// CHECK: gpu.binary @scale_kernel [#gpu.object<#nvvm.target<O = 3, chip = "sm_90">
// CHECK-SAME: .target sm_90
// CHECK-SAME: .entry scale_kernel
// SM80-LABEL: llvm.func @scale
// SM80: %[[T:.*]] = llvm.mlir.constant(128 : index) : i64
// SM80: gpu.launch_func @scale_kernel::@scale_kernel blocks in ({{.*}}) threads in (%[[T]], %{{.*}}, %{{.*}}) : i64
// SM80: gpu.binary @scale_kernel [#gpu.object<#nvvm.target<O = 3, chip = "sm_80">
func.func @scale(%x: tensor<?xf64>, %y: tensor<?xf64>) -> tensor<?xf64> {
  %0 = math.exp %x : tensor<?xf64>
  %1 = arith.mulf %0, %y : tensor<?xf64>
  return %1 : tensor<?xf64>
}

// A gradient: dp-autodiff's adjoint is tensor code, lowered to kernels too.
// CHECK-LABEL: llvm.func @grad_of_square
// CHECK: gpu.launch_func
// CHECK: gpu.binary @grad_of_square_kernel
func.func private @square(%x: tensor<16xf64>) -> tensor<16xf64> {
  %0 = arith.mulf %x, %x : tensor<16xf64>
  return %0 : tensor<16xf64>
}
func.func @grad_of_square(%x: tensor<16xf64>, %dy: tensor<16xf64>) -> tensor<16xf64> {
  %dx = dp.autodiff @square(%x, %dy) args [active] results [activenoneed] : (tensor<16xf64>, tensor<16xf64>) -> tensor<16xf64>
  return %dx : tensor<16xf64>
}

// Matrix products call cuBLAS through the runtime's CBLAS-shaped dpGpuDgemm.
// CHECK-LABEL: llvm.func @product
// CHECK: llvm.call @dpGpuDgemm
func.func @product(%a: tensor<8x4xf64>, %b: tensor<4x5xf64>) -> tensor<8x5xf64> {
  %z = arith.constant dense<0.0> : tensor<8x5xf64>
  %c = linalg.matmul ins(%a, %b : tensor<8x4xf64>, tensor<4x5xf64>) outs(%z : tensor<8x5xf64>) -> tensor<8x5xf64>
  return %c : tensor<8x5xf64>
}
