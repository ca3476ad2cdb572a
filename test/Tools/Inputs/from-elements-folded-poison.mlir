// vector.extract at the poison index folds to ub.poison during
// canonicalization, and then tensor.from_elements' folder asserts on it.
func.func @folded(%v: vector<4xf32>) -> tensor<1xf32> {
  %e = vector.extract %v[-1] : f32 from vector<4xf32>
  %t = tensor.from_elements %e : tensor<1xf32>
  return %t : tensor<1xf32>
}
