// Found by fuzzing: scf.index_switch keeps its cases in a DenseMap, and its
// verifier asserts on a case equal to one of the map's reserved keys
// (INT64_MAX, INT64_MAX - 1) while the file is parsed. dp-opt refuses them
// before.
// RUN: not dp-opt %s 2>&1 | FileCheck %s

// CHECK: index-switch-reserved-case.mlir:[[# @LINE + 3]]:8: error: scf.index_switch case value 9223372036854775807 is reserved in MLIR (a DenseMap key its verifier asserts on); cases must be below 9223372036854775806
func.func @empty_key(%i: index) -> i32 {
  %s = scf.index_switch %i -> i32
  case 9223372036854775807 {
    %c = arith.constant 1 : i32
    scf.yield %c : i32
  }
  default {
    %c = arith.constant 0 : i32
    scf.yield %c : i32
  }
  return %s : i32
}
// CHECK: index-switch-reserved-case.mlir:[[# @LINE + 3]]:8: error: scf.index_switch case value 9223372036854775806 is reserved
func.func @tombstone_key(%i: index) -> i32 {
  %s = scf.index_switch %i -> i32
  case 0x7FFFFFFFFFFFFFFE {
    %c = arith.constant 1 : i32
    scf.yield %c : i32
  }
  default {
    %c = arith.constant 0 : i32
    scf.yield %c : i32
  }
  return %s : i32
}
// CHECK: index-switch-reserved-case.mlir:[[# @LINE + 2]]:55: error: scf.index_switch case value 9223372036854775807 is reserved
func.func @generic(%i: index) -> i32 {
  %s = "scf.index_switch"(%i) <{cases = array<i64: 1, 9223372036854775807>}> ({
    %c = arith.constant 0 : i32
    scf.yield %c : i32
  }, {
    %c = arith.constant 1 : i32
    scf.yield %c : i32
  }, {
    %c = arith.constant 2 : i32
    scf.yield %c : i32
  }) : (index) -> i32
  return %s : i32
}
// The smallest int64_t is a fine case.
// CHECK-NOT: error
func.func @fine(%i: index) -> i32 {
  %s = scf.index_switch %i -> i32
  case -9223372036854775808 {
    %c = arith.constant 1 : i32
    scf.yield %c : i32
  }
  default {
    %c = arith.constant 0 : i32
    scf.yield %c : i32
  }
  return %s : i32
}
