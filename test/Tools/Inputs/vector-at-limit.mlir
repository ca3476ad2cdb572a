// 256 x 256 elements: at dp-opt's vector limit, lowered.
func.func @at_limit(%x: f32) -> vector<256x256xf32> {
  %v = vector.broadcast %x : f32 to vector<256x256xf32>
  return %v : vector<256x256xf32>
}
