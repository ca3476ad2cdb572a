// RUN: dp-opt %s --dp-checkpoint-while-loops=snapshots=8 | FileCheck %s
// RUN: dp-opt %s --dp-differentiate=snapshots=8 --dp-export-stablehlo=entry=grad | FileCheck %s --check-prefix=EXPORT

// Halves %x until it is below 1: the trip count depends on the data.
func.func private @halve(%x: f64, %scale: f64) -> f64 {
  %r = scf.while (%a = %x) : (f64) -> f64 {
    %one = arith.constant 1.0 : f64
    %c = arith.cmpf ogt, %a, %one : f64
    scf.condition(%c) %a : f64
  } do {
  ^bb0(%a: f64):
    %h = arith.mulf %a, %scale : f64
    %s = math.sin %h : f64
    %n = arith.addf %h, %s : f64
    scf.yield %n : f64
  }
  return %r : f64
}

func.func @grad(%x: f64, %scale: f64, %seed: f64) -> (f64, f64, f64) {
  %r:3 = dp.autodiff @halve(%x, %scale, %seed) args [active, active] results [active] : (f64, f64, f64) -> (f64, f64, f64)
  return %r#0, %r#1, %r#2 : f64, f64, f64
}

// The loop: its trips counted on stopped-gradient inputs, then 8 segments
// of at most ceil(trips / 8) iterations, then the exit values.
// CHECK-LABEL: func.func private @halve
// CHECK-SAME: (%[[X:.*]]: f64, %[[SCALE:.*]]: f64)
// CHECK-DAG: %[[SX:.*]] = dp.stop_gradient %[[X]] : f64
// CHECK-DAG: %[[SS:.*]] = dp.stop_gradient %[[SCALE]] : f64
// CHECK: %[[COUNT:.*]]:2 = scf.while (%{{.*}} = %[[SX]], %{{.*}} = %{{.*}}) : (f64, index) -> (f64, index)
// CHECK: call @__dp_while_cond(%{{.*}}, %[[SS]])
// CHECK: call @__dp_while_body(%{{.*}}, %[[SS]])
// CHECK: %[[K:.*]] = arith.constant 8 : index
// CHECK: %[[LEN:.*]] = arith.ceildivsi %[[COUNT]]#1, %[[K]] : index
// CHECK: %[[S:.*]] = scf.for %{{.*}} = %{{.*}} to %[[K]] step %{{.*}} iter_args(%[[ST:.*]] = %[[X]]) -> (f64)
// CHECK: call @__dp_while_segment(%[[ST]], %[[SCALE]], %{{.*}}) {no_inline}
// CHECK: %[[R:.*]] = call @__dp_while_exit(%[[S]], %[[SCALE]])
// CHECK: return %[[R]]
// CHECK-NOT: scf.while
// The segment runs the body; its rule keeps its first state and walks it
// backwards, recomputing each state and differentiating one body.
// CHECK-LABEL: func.func private @__dp_while_segment(
// CHECK-SAME: attributes {dp.custom_vjp = {bwd = @__dp_while_segment_bwd, fwd = @__dp_while_segment_fwd}}
// CHECK-LABEL: func.func private @__dp_while_segment_bwd(
// CHECK-SAME: %[[S0:.*]]: f64, %[[C:.*]]: f64, %[[N:.*]]: index, %[[CT:.*]]: f64) -> (f64, f64)
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[N]] step %{{.*}} iter_args(%[[DS:.*]] = %[[CT]], %[[DC:.*]] = %{{.*}}) -> (f64, f64)
// CHECK: %[[SJ:.*]] = scf.for
// CHECK: call @__dp_while_body
// CHECK: %[[G:.*]]:3 = dp.autodiff @__dp_while_body(%[[SJ]], %[[C]], %[[DS]]) args [active, active] results [active]
// CHECK: %[[SUM:.*]] = arith.addf %[[DC]], %[[G]]#2 : f64
// CHECK: scf.yield %[[G]]#1, %[[SUM]] : f64, f64

// Exported: every tape is static.
// EXPORT-LABEL: func.func @main
// EXPORT-NOT: dp.tape
// EXPORT: "stablehlo.while"
