# Builds dp operations from Python with the builders generated from the ODS,
# verifies and prints the module, and runs dp passes through the upstream
# PassManager.
# RUN: %PYTHON %s | FileCheck %s

from mlir import ir
from mlir.dialects import arith, func
from mlir.passmanager import PassManager

from dp.dialects import dp as dpd


def run(test):
    print(f"TEST: {test.__name__}")
    with ir.Context(), ir.Location.unknown():
        test()
    return test


# CHECK-LABEL: TEST: build_autodiff
@run
def build_autodiff():
    f64, i64 = ir.F64Type.get(), ir.IntegerType.get_signless(64)
    module = ir.Module.create()
    with ir.InsertionPoint(module.body):
        square = func.FuncOp("square", ([f64], [f64]))
        with ir.InsertionPoint(square.add_entry_block()):
            x = square.arguments[0]
            func.ReturnOp([arith.mulf(x, x)])

        caller = func.FuncOp("grad_square", ([f64, i64, f64], [f64, f64]))
        with ir.InsertionPoint(caller.add_entry_block()):
            x, n, seed = caller.arguments
            diff = dpd.AutodiffOp(
                [f64, f64],
                "square",
                [x, seed],
                [dpd.Activity.Active],
                ["active"],
            )
            held = dpd.stop_gradient(diff.results[0])
            func.ReturnOp([held, diff.results[1]])
    # CHECK: verified: True
    print("verified:", module.operation.verify())
    # CHECK: func.func @grad_square
    # CHECK: %[[D:.*]]:2 = dp.autodiff @square(%{{.*}}, %{{.*}}) args [active] results [active] : (f64, f64) -> (f64, f64)
    # CHECK: %[[S:.*]] = dp.stop_gradient %[[D]]#0 : f64
    print(module)

    PassManager.parse("builtin.module(dp-erase-stop-gradient)").run(module.operation)
    # CHECK-LABEL: after dp-erase-stop-gradient
    # CHECK-NOT: dp.stop_gradient
    # CHECK: return %{{.*}}#0, %{{.*}}#1 : f64, f64
    print("after dp-erase-stop-gradient")
    print(module)


# CHECK-LABEL: TEST: build_tape_and_lower
@run
def build_tape_and_lower():
    f64 = ir.F64Type.get()
    tape_type = ir.Type.parse("!dp.tape<f64>")
    module = ir.Module.create()
    with ir.InsertionPoint(module.body):
        fn = func.FuncOp("roundtrip", ([f64], [f64]))
        with ir.InsertionPoint(fn.add_entry_block()):
            tape = dpd.tape_init(tape_type)
            dpd.tape_push(tape, fn.arguments[0])
            value = dpd.tape_pop(f64, tape)
            dpd.tape_free(tape)
            func.ReturnOp([value])
    # CHECK: %[[T:.*]] = dp.tape.init : !dp.tape<f64>
    # CHECK: dp.tape.push %[[T]], %{{.*}} : !dp.tape<f64>, f64
    # CHECK: dp.tape.pop %[[T]] : !dp.tape<f64> -> f64
    print(module)
    PassManager.parse("builtin.module(convert-to-llvm)").run(module.operation)
    # CHECK: llvm.func @roundtrip
    # CHECK: llvm.call @__dp_tape_init
    # CHECK: llvm.call @__dp_tape_push_slot
    # CHECK: llvm.call @__dp_tape_pop_slot
    # CHECK: llvm.call @__dp_tape_free
    print(module)


# CHECK-LABEL: TEST: verifier_error_is_an_exception
@run
def verifier_error_is_an_exception():
    try:
        ir.Module.parse(
            """
            func.func private @f(%x: f64) -> f64
            func.func @g(%x: f64) -> (f64, f64) {
              %r, %d = dp.autodiff @f(%x) args [active] results [active] : (f64) -> (f64, f64)
              return %r, %d : f64, f64
            }
            """
        )
    except ir.MLIRError as error:
        # CHECK: 'dp.autodiff' op operand types (f64) do not match (f64, f64)
        print(error)
    else:
        print("no error")
