// Fuzzing seeds: linalg on tensors, differentiated and lowered.
func.func @linalg_ops(%a: tensor<4x8xf64>, %b: tensor<8x4xf64>, %v: tensor<4xf64>) -> f64 {
  %zero = arith.constant 0.0 : f64
  %e44 = tensor.empty() : tensor<4x4xf64>
  %f44 = linalg.fill ins(%zero : f64) outs(%e44 : tensor<4x4xf64>) -> tensor<4x4xf64>
  %mm = linalg.matmul ins(%a, %b : tensor<4x8xf64>, tensor<8x4xf64>) outs(%f44 : tensor<4x4xf64>) -> tensor<4x4xf64>
  %e4 = tensor.empty() : tensor<4xf64>
  %f4 = linalg.fill ins(%zero : f64) outs(%e4 : tensor<4xf64>) -> tensor<4xf64>
  %red = linalg.reduce ins(%mm : tensor<4x4xf64>) outs(%f4 : tensor<4xf64>) dimensions = [1]
    (%in: f64, %acc: f64) {
      %s = arith.addf %in, %acc : f64
      linalg.yield %s : f64
    }
  %bc = linalg.broadcast ins(%v : tensor<4xf64>) outs(%e44 : tensor<4x4xf64>) dimensions = [1]
  %tr = linalg.transpose ins(%bc : tensor<4x4xf64>) outs(%e44 : tensor<4x4xf64>) permutation = [1, 0]
  %mv = linalg.matvec ins(%tr, %red : tensor<4x4xf64>, tensor<4xf64>) outs(%f4 : tensor<4xf64>) -> tensor<4xf64>
  %e0 = tensor.empty() : tensor<f64>
  %f0 = linalg.fill ins(%zero : f64) outs(%e0 : tensor<f64>) -> tensor<f64>
  %dot = linalg.dot ins(%mv, %v : tensor<4xf64>, tensor<4xf64>) outs(%f0 : tensor<f64>) -> tensor<f64>
  %r = tensor.extract %dot[] : tensor<f64>
  return %r : f64
}
func.func @grad_linalg_ops(%a: tensor<4x8xf64>, %b: tensor<8x4xf64>, %v: tensor<4xf64>, %s: f64) -> (f64, tensor<4x8xf64>, tensor<4xf64>) {
  %r, %da, %dv = dp.autodiff @linalg_ops(%a, %b, %v, %s) args [active, const, active] results [active] : (tensor<4x8xf64>, tensor<8x4xf64>, tensor<4xf64>, f64) -> (f64, tensor<4x8xf64>, tensor<4xf64>)
  return %r, %da, %dv : f64, tensor<4x8xf64>, tensor<4xf64>
}

// -----

#map = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @linalg_generic(%x: tensor<3x5xf32>) -> tensor<3xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<3xf32>) -> tensor<3xf32>
  %r = linalg.generic {indexing_maps = [#map, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<3x5xf32>) outs(%init : tensor<3xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %ex = math.exp %in : f32
    %s = arith.addf %ex, %acc : f32
    linalg.yield %s : f32
  } -> tensor<3xf32>
  %m = linalg.map { math.log } ins(%r : tensor<3xf32>) outs(%e : tensor<3xf32>)
  return %m : tensor<3xf32>
}
