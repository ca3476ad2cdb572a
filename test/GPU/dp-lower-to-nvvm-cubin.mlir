// REQUIRES: ptxas
// RUN: dp-opt %s --pass-pipeline='builtin.module(dp-lower-to-nvvm{format=bin toolkit=%cuda_toolkit})' | FileCheck %s

// With ptxas, the kernels are assembled for sm_90 and embedded as a cubin (an ELF image).
// CHECK: gpu.binary @tanh_kernel [#gpu.object<#nvvm.target<O = 3, chip = "sm_90">, properties = {{.*}}, bin = "\7FELF
func.func @tanh(%x: tensor<1024xf32>) -> tensor<1024xf32> {
  %0 = math.tanh %x : tensor<1024xf32>
  return %0 : tensor<1024xf32>
}
