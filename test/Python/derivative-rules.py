# Every op registered with MLIR (every upstream dialect and dp) is either
# differentiated by a rule, has discrete results, is modeled by the activity
# analysis itself, or is rejected wherever a derivative would flow through it:
# none is inactive by default (dp-print-derivative-rules, one line per op).
# RUN: %PYTHON %s > %t
# RUN: FileCheck %s < %t
# RUN: not grep -v -E ': (rule|zero derivative|discrete \(.+\)|modeled \(.+\)|rejected where a derivative flows through it)$' %t
# RUN: grep -c ': rule$' %t | FileCheck %s --check-prefix=RULES

from mlir import ir
from mlir.passmanager import PassManager

import dp  # registers the dp dialect and passes

with ir.Context() as context, ir.Location.unknown():
    context.load_all_available_dialects()
    module = ir.Module.create()
    PassManager.parse("builtin.module(dp-print-derivative-rules)").run(module.operation)

# CHECK-DAG: arith.mulf: rule
# CHECK-DAG: math.sin: rule
# CHECK-DAG: linalg.matmul: rule
# CHECK-DAG: math.floor: zero derivative
# CHECK-DAG: arith.cmpf: discrete (a comparison: its i1 result is discrete)
# CHECK-DAG: arith.fptosi: discrete (a conversion to an integer)
# CHECK-DAG: tensor.dim: discrete (a shape query: its index result is discrete)
# CHECK-DAG: scf.for: modeled (structured control flow: differentiated region by region)
# CHECK-DAG: func.call: modeled (a call: differentiated through its callee)
# CHECK-DAG: memref.load: modeled (a buffer op: repeated on the buffer's shadow)
# CHECK-DAG: dp.autodiff: modeled (a derivative request: replaced by dp-autodiff, innermost first)
# CHECK-DAG: dp.stop_gradient: modeled (ends the derivative on request)
# The ops that once let a derivative end silently are errors now.
# CHECK-DAG: arith.bitcast: rejected where a derivative flows through it
# CHECK-DAG: func.call_indirect: rejected where a derivative flows through it
# CHECK-DAG: complex.create: rejected where a derivative flows through it
# CHECK-DAG: dp.tape.push: modeled (a tape op: mirrored on the tape's shadow (nested derivatives))
# RULES: {{[1-9][0-9]+}}
