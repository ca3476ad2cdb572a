// Fuzzing seeds: scalar arithmetic and its folders.
func.func @ints(%a: i32, %b: i32) -> (i32, i64, i1) {
  %c7 = arith.constant 7 : i32
  %m = arith.muli %a, %c7 : i32
  %d = arith.divsi %m, %b : i32
  %r = arith.remui %d, %c7 : i32
  %sh = arith.shli %r, %c7 : i32
  %sr = arith.shrsi %sh, %b : i32
  %x = arith.xori %sr, %a : i32
  %mx = arith.maxsi %x, %b : i32
  %e = arith.extsi %mx : i32 to i64
  %t = arith.trunci %e : i64 to i16
  %z = arith.extui %t : i16 to i32
  %cmp = arith.cmpi ult, %z, %c7 : i32
  %sel = arith.select %cmp, %z, %a : i32
  %ceil = arith.ceildivsi %sel, %c7 : i32
  return %ceil, %e, %cmp : i32, i64, i1
}

// -----

func.func @floats(%x: f32, %y: f64) -> (f32, f64) {
  %c = arith.constant 3.5 : f32
  %p = ub.poison : f32
  %a = arith.addf %x, %c fastmath<fast> : f32
  %n = arith.negf %a : f32
  %mx = arith.maximumf %n, %x : f32
  %e = arith.extf %mx : f32 to f64
  %q = arith.divf %e, %y : f64
  %r = arith.remf %q, %y : f64
  %t = arith.truncf %r : f64 to f32
  %i = arith.fptosi %t : f32 to i32
  %f = arith.sitofp %i : i32 to f32
  %b = arith.bitcast %f : f32 to i32
  %g = arith.bitcast %b : i32 to f32
  %s = math.sqrt %g : f32
  %ab = math.absf %s : f32
  %fl = math.floor %ab : f32
  %ex = math.exp2 %fl : f32
  %fm0 = arith.mulf %ex, %x : f32
  %fm = arith.addf %fm0, %c : f32
  %cmp = arith.cmpf ogt, %fm, %c : f32
  %res = arith.select %cmp, %fm, %p : f32
  %y2 = math.log1p %y : f64
  %y3 = math.atan2 %y2, %y : f64
  return %res, %y3 : f32, f64
}
func.func @grad_floats(%x: f32, %y: f64, %s: f32, %t: f64) -> (f32, f64, f32, f64) {
  %r:2, %dx, %dy = dp.autodiff @floats(%x, %y, %s, %t) args [active, active] results [active, active] : (f32, f64, f32, f64) -> (f32, f64, f32, f64)
  return %r#0, %r#1, %dx, %dy : f32, f64, f32, f64
}

// -----

func.func @index_math(%i: index, %j: index) -> index {
  %a = affine.apply affine_map<(d0, d1) -> (d0 * 4 + d1 floordiv 2)>(%i, %j)
  %c = arith.constant 16 : index
  %m = arith.minui %a, %c : index
  %s = arith.floordivsi %m, %j : index
  %r = index.add %s, %i
  return %r : index
}
