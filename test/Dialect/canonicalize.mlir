// RUN: dp-opt %s --split-input-file --canonicalize | FileCheck %s

// CHECK-LABEL: func.func @push_then_pop
// CHECK-SAME: (%[[X:.*]]: f64, %[[I:.*]]: index)
// CHECK-NOT: dp.tape
// CHECK: return %[[X]], %[[I]] : f64, index
func.func @push_then_pop(%x: f64, %i: index) -> (f64, index) {
  %t = dp.tape.init : !dp.tape
  dp.tape.push %t, %x : !dp.tape, f64
  dp.tape.push %t, %i : !dp.tape, index
  %j = dp.tape.pop %t : !dp.tape -> index
  %y = dp.tape.pop %t : !dp.tape -> f64
  dp.tape.free %t : !dp.tape
  return %y, %j : f64, index
}

// -----

// A value pushed in a loop and popped in another stays on the tape.
// CHECK-LABEL: func.func @push_pop_across_loops
// CHECK: dp.tape.init
// CHECK: scf.for
// CHECK: dp.tape.push
// CHECK: scf.for
// CHECK: dp.tape.pop
// CHECK: dp.tape.free
func.func @push_pop_across_loops(%x: f64, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = dp.tape.init : !dp.tape
  scf.for %i = %c0 to %n step %c1 {
    dp.tape.push %t, %x : !dp.tape, f64
  }
  %s = scf.for %i = %c0 to %n step %c1 iter_args(%a = %x) -> f64 {
    %v = dp.tape.pop %t : !dp.tape -> f64
    %b = arith.addf %a, %v : f64
    scf.yield %b : f64
  }
  dp.tape.free %t : !dp.tape
  return %s : f64
}

// -----

// A tape that may be rewound (or that escapes into a call) keeps its pushes:
// popping is not the last read.
// CHECK-LABEL: func.func @rewound_tape_nofold
// CHECK: dp.tape.push
// CHECK-NEXT: dp.tape.pop
// CHECK-NEXT: dp.tape.rewind
func.func @rewound_tape_nofold(%x: f64) -> (f64, f64) {
  %t = dp.tape.init : !dp.tape
  dp.tape.push %t, %x : !dp.tape, f64
  %y = dp.tape.pop %t : !dp.tape -> f64
  dp.tape.rewind %t : !dp.tape
  %z = dp.tape.pop %t : !dp.tape -> f64
  dp.tape.free %t : !dp.tape
  return %y, %z : f64, f64
}

// -----

// CHECK-LABEL: func.func @tape_argument_nofold
// CHECK: dp.tape.push
// CHECK-NEXT: dp.tape.pop
func.func @tape_argument_nofold(%t: !dp.tape, %x: f64) -> f64 {
  dp.tape.push %t, %x : !dp.tape, f64
  %y = dp.tape.pop %t : !dp.tape -> f64
  return %y : f64
}

// -----

// Pushes and pops of different types do not pair up.
// CHECK-LABEL: func.func @type_mismatch_nofold
// CHECK: dp.tape.push %{{.*}}, %{{.*}} : !dp.tape, f64
// CHECK-NEXT: dp.tape.pop %{{.*}} : !dp.tape -> i64
func.func @type_mismatch_nofold(%x: f64) -> i64 {
  %t = dp.tape.init : !dp.tape
  dp.tape.push %t, %x : !dp.tape, f64
  %y = dp.tape.pop %t : !dp.tape -> i64
  dp.tape.free %t : !dp.tape
  return %y : i64
}

// -----

// CHECK-LABEL: func.func @unused_tape
// CHECK-NEXT: return
func.func @unused_tape() {
  %t = dp.tape.init : !dp.tape
  dp.tape.free %t : !dp.tape
  return
}
