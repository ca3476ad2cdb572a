// RUN: dp-opt %s --dp-export-stablehlo=unroll-limit=0 | FileCheck %s
// RUN: dp-opt %s --dp-export-stablehlo | FileCheck %s --check-prefix=UNROLL

// Short loops of constant trip count are unrolled (XLA runs each iteration
// of a while loop as a step of its own).
// UNROLL-LABEL: func.func @loop
// UNROLL-NOT: stablehlo.while
// UNROLL-COUNT-3: "stablehlo.multiply"
// UNROLL-NOT: stablehlo.while
// UNROLL-LABEL: func.func @branch

// scf.for is a stablehlo.while carrying the induction variable first.
// CHECK-LABEL: func.func @loop
// CHECK: %[[W:.*]]:2 = "stablehlo.while"(%{{.*}}, %arg0) ({
// CHECK: ^bb0(%[[I:.*]]: tensor<i64>, %{{.*}}: tensor<f64>):
// CHECK: %[[C:.*]] = "stablehlo.compare"(%[[I]], %{{.*}}) {{{.*}}comparison_direction LT{{.*}}}
// CHECK: "stablehlo.return"(%[[C]])
// CHECK: }, {
// CHECK: ^bb0(%[[J:.*]]: tensor<i64>, %[[ACC:.*]]: tensor<f64>):
// CHECK: %[[M:.*]] = "stablehlo.multiply"(%[[ACC]], %arg0)
// CHECK: %[[NEXT:.*]] = "stablehlo.add"(%[[J]], %{{.*}})
// CHECK: "stablehlo.return"(%[[NEXT]], %[[M]])
// CHECK: return %[[W]]#1
func.func @loop(%x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %r = scf.for %i = %c0 to %c3 step %c1 iter_args(%acc = %x) -> (f64) {
    %m = arith.mulf %acc, %x : f64
    scf.yield %m : f64
  }
  return %r : f64
}

// scf.if is stablehlo.if.
// CHECK-LABEL: func.func @branch
// CHECK: "stablehlo.if"(%{{.*}}) ({
// CHECK: "stablehlo.multiply"
// CHECK: "stablehlo.return"
// CHECK: }, {
// CHECK: "stablehlo.exponential"
// CHECK: "stablehlo.return"
// CHECK: }) : (tensor<i1>) -> tensor<f64>
func.func @branch(%x: f64, %c: i1) -> f64 {
  %r = scf.if %c -> (f64) {
    %m = arith.mulf %x, %x : f64
    scf.yield %m : f64
  } else {
    %e = math.exp %x : f64
    scf.yield %e : f64
  }
  return %r : f64
}

// A tape is static stacks: a buffer per pushed type, sized by the trip
// count (3 pushes), and its count; push is dynamic_update_slice at the
// count, pop a dynamic_slice below it.
// CHECK-LABEL: func.func @tape
// CHECK: %[[BUF:.*]] = "stablehlo.broadcast_in_dim"(%{{.*}}) {broadcast_dimensions = array<i64>} : (tensor<f64>) -> tensor<3xf64>
// CHECK: "stablehlo.while"(%{{.*}}, %[[BUF]], %{{.*}})
// CHECK: "stablehlo.dynamic_update_slice"(%{{.*}}, %{{.*}}, %{{.*}}) : (tensor<3xf64>, tensor<1xf64>, tensor<i64>) -> tensor<3xf64>
// CHECK: "stablehlo.subtract"
// CHECK: "stablehlo.dynamic_slice"(%{{.*}}, %{{.*}}) {slice_sizes = array<i64: 1>} : (tensor<3xf64>, tensor<i64>) -> tensor<1xf64>
func.func @tape(%x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %t = dp.tape.init : !dp.tape
  scf.for %i = %c0 to %c3 step %c1 {
    dp.tape.push %t, %x : !dp.tape, f64
  }
  %v = dp.tape.pop %t : !dp.tape -> f64
  dp.tape.free %t : !dp.tape
  return %v : f64
}
