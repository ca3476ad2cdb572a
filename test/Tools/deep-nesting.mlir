// Regions nested 5000 deep overflow the stack of MLIR's recursive parser
// (SIGSEGV). dp-opt refuses nesting over 1000 levels before parsing; what
// still overflows (types nested tens of thousands deep) is recovered as an
// internal error, since the crash handlers run on the alternate stack.
// RUN: %PYTHON -c "n = 5000; print('func.func @f() {\n' + '\"test.op\"() ({' * n + '}) : () -> ()' * n + '\n  return\n}')" > %t.mlir
// RUN: not dp-opt %t.mlir --allow-unregistered-dialect 2>&1 | FileCheck %s
// RUN: %PYTHON -c "n = 400; print('func.func @f() {\n' + '\"test.op\"() ({' * n + '}) : () -> ()' * n + '\n  return\n}')" > %t.ok.mlir
// RUN: dp-opt %t.ok.mlir --allow-unregistered-dialect | FileCheck %s --check-prefix=OK

// CHECK: deep-nesting.mlir.tmp.mlir:2:{{[0-9]+}}: error: nesting deeper than 1000 levels of (), [] and {}: MLIR's parser recurses once per level and would overflow the stack
// CHECK-NOT: internal error
// OK-LABEL: func.func @f
