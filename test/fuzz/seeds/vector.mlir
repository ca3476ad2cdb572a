// Fuzzing seeds: vector ops through the CPU pipeline.
func.func @vector_ops(%x: f32, %v: vector<4xf32>, %m: vector<2x4xf32>) -> (vector<4xf32>, f32) {
  %b = vector.broadcast %x : f32 to vector<2x4xf32>
  %s = arith.addf %b, %m : vector<2x4xf32>
  %row = vector.extract %s[1] : vector<4xf32> from vector<2x4xf32>
  %e = vector.extract %row[2] : f32 from vector<4xf32>
  %i = vector.insert %e, %v [0] : f32 into vector<4xf32>
  %sh = vector.shuffle %i, %row [0, 5, 2, 7] : vector<4xf32>, vector<4xf32>
  %r = vector.reduction <add>, %sh : vector<4xf32> into f32
  %fe = vector.from_elements %x, %e, %r, %x : vector<4xf32>
  %c = vector.shape_cast %s : vector<2x4xf32> to vector<8xf32>
  %lo = vector.extract_strided_slice %c {offsets = [2], sizes = [4], strides = [1]} : vector<8xf32> to vector<4xf32>
  %f = arith.mulf %fe, %lo : vector<4xf32>
  %parts:4 = vector.to_elements %f : vector<4xf32>
  %t = arith.addf %parts#0, %parts#3 : f32
  return %f, %t : vector<4xf32>, f32
}

// -----

func.func @vector_memory(%buf: memref<16xf32>, %i: index) -> vector<4xf32> {
  %pad = arith.constant 0.0 : f32
  %v = vector.transfer_read %buf[%i], %pad : memref<16xf32>, vector<4xf32>
  %c = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : vector<4xf32>
  %w = arith.mulf %v, %c : vector<4xf32>
  vector.transfer_write %w, %buf[%i] : vector<4xf32>, memref<16xf32>
  %l = vector.load %buf[%i] : memref<16xf32>, vector<4xf32>
  %mask = vector.constant_mask [2] : vector<4xi1>
  %sel = arith.select %mask, %l, %w : vector<4xi1>, vector<4xf32>
  %fma = vector.fma %sel, %w, %c : vector<4xf32>
  return %fma : vector<4xf32>
}

// -----

func.func @vector_contract(%a: vector<2x3xf32>, %b: vector<3x2xf32>, %acc: vector<2x2xf32>) -> vector<2x2xf32> {
  %r = vector.contract {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a, %b, %acc : vector<2x3xf32>, vector<3x2xf32> into vector<2x2xf32>
  %t = vector.transpose %r, [1, 0] : vector<2x2xf32> to vector<2x2xf32>
  return %t : vector<2x2xf32>
}
