// Fuzzing seeds: tensor ops, differentiated and lowered.
func.func @tensor_ops(%x: f64, %t: tensor<2x3xf64>) -> f64 {
  %fe = tensor.from_elements %x, %x, %x, %x, %x, %x : tensor<2x3xf64>
  %s = arith.mulf %fe, %t : tensor<2x3xf64>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %e = tensor.extract %s[%c1, %c0] : tensor<2x3xf64>
  %i = tensor.insert %e into %s[%c0, %c1] : tensor<2x3xf64>
  %sl = tensor.extract_slice %i[0, 1] [2, 2] [1, 1] : tensor<2x3xf64> to tensor<2x2xf64>
  %col = tensor.collapse_shape %sl [[0, 1]] : tensor<2x2xf64> into tensor<4xf64>
  %ex = tensor.expand_shape %col [[0, 1]] output_shape [4, 1] : tensor<4xf64> into tensor<4x1xf64>
  %e2 = tensor.extract %ex[%c1, %c0] : tensor<4x1xf64>
  %r = arith.addf %e, %e2 : f64
  return %r : f64
}
func.func @grad_tensor_ops(%x: f64, %t: tensor<2x3xf64>, %s: f64) -> (f64, f64) {
  %r, %dx = dp.autodiff @tensor_ops(%x, %t, %s) args [active, const] results [active] : (f64, tensor<2x3xf64>, f64) -> (f64, f64)
  return %r, %dx : f64, f64
}

// -----

func.func @tensor_shapes(%t: tensor<4xf32>, %n: index) -> tensor<?xf32> {
  %e = tensor.empty(%n) : tensor<?xf32>
  %g = tensor.generate %n {
  ^bb0(%i: index):
    %f = arith.index_cast %i : index to i32
    %v = arith.sitofp %f : i32 to f32
    tensor.yield %v : f32
  } : tensor<?xf32>
  %c = tensor.cast %t : tensor<4xf32> to tensor<?xf32>
  %cat = tensor.concat dim(0) %g, %c : (tensor<?xf32>, tensor<?xf32>) -> tensor<?xf32>
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %cat low[1] high[2] {
  ^bb0(%i: index):
    tensor.yield %zero : f32
  } : tensor<?xf32> to tensor<?xf32>
  %c0 = arith.constant 0 : index
  %d = tensor.dim %p, %c0 : tensor<?xf32>
  %sp = tensor.splat %zero[%d] : tensor<?xf32>
  %ins = tensor.insert_slice %t into %sp[0] [4] [1] : tensor<4xf32> into tensor<?xf32>
  return %ins : tensor<?xf32>
}

// -----

func.func @tensor_reshape(%t: tensor<6xf32>) -> tensor<3x2xf32> {
  %shape = arith.constant dense<[3, 2]> : tensor<2xi64>
  %r = tensor.reshape %t(%shape) : (tensor<6xf32>, tensor<2xi64>) -> tensor<3x2xf32>
  %cst = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %s = arith.subf %r, %cst : tensor<3x2xf32>
  %splat = arith.constant dense<2.5> : tensor<3x2xf32>
  %d = arith.divf %s, %splat : tensor<3x2xf32>
  return %d : tensor<3x2xf32>
}
