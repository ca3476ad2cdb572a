//===- DpDialect.td - the dp differentiation dialect -------*- tablegen -*-===//
//
// The dialect that requests derivatives of functions written in upstream
// dialects, and carries the runtime structures the derivatives need (tapes).
//
//===----------------------------------------------------------------------===//

#ifndef DP_DIALECT_TD
#define DP_DIALECT_TD

include "mlir/IR/OpBase.td"

def Dp_Dialect : Dialect {
  let name = "dp";
  let cppNamespace = "::mlir::dp";
  let summary = "Differentiable programming: derivative requests and tapes";
  let description = [{
    The `dp` dialect asks for derivatives of functions written in upstream
    dialects (`func`, `arith`, `math`, `scf`, ...). `dp.autodiff` requests
    reverse mode and `dp.fwddiff` forward mode of a function symbol, with an
    activity per argument and per result. The `dp-autodiff` pass replaces
    these requests by calls to generated derivative functions, which use
    `!dp.tape` values to carry what the reverse sweep needs out of loops.

    Attributes of `func.func` change how `dp-autodiff` differentiates calls
    of the function (which must not be inlined first: call it with
    `{no_inline}`):
    - `dp.custom_vjp = {fwd = @F, bwd = @B}`: reverse mode calls
      `@F(args...) -> (results..., residuals...)` instead of the function,
      keeps the residuals on the tape, and gets the gradients of the float
      arguments from `@B(residuals..., cotangents of the float results...)`.
      Forward mode is an error.
    - `dp.custom_jvp = @J`: forward mode calls `@J(args..., tangents of the
      float arguments...) -> (results..., tangents of the float results...)`;
      reverse mode transposes it (the reverse mode of `@J` with respect to
      the tangents, which it is linear in).
    - `dp.checkpoint`: reverse mode records only the call's arguments and
      runs the function again, taped, in the reverse sweep.
    - `dp.missing_rule = "message"`: the function was declared with a custom
      rule that was never given; differentiating a call of it is an error
      with that message.
  }];
  let useDefaultTypePrinterParser = 1;
  let useDefaultAttributePrinterParser = 1;
  // dp.custom_vjp, dp.custom_jvp and dp.checkpoint on func.func: custom
  // derivative rules and recomputation, checked against the function's type.
  let hasOperationAttrVerify = 1;
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

class Dp_Op<string mnemonic, list<Trait> traits = []>
    : Op<Dp_Dialect, mnemonic, traits>;

#endif // DP_DIALECT_TD
