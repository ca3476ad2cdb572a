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
  }];
  let useDefaultTypePrinterParser = 1;
  let useDefaultAttributePrinterParser = 1;
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

class Dp_Op<string mnemonic, list<Trait> traits = []>
    : Op<Dp_Dialect, mnemonic, traits>;

#endif // DP_DIALECT_TD
