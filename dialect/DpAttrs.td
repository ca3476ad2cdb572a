//===- DpAttrs.td - dp attributes ---------------------------*- tablegen -*-===//

#ifndef DP_ATTRS_TD
#define DP_ATTRS_TD

include "DpDialect.td"
include "mlir/IR/EnumAttr.td"

// Activity of an argument or a result of a differentiated function. The
// spelling follows Enzyme: `dup` values carry a shadow of the same type,
// `*noneed` forms drop the primal value from the derivative's results.
def Dp_ActivityConst : I32EnumAttrCase<"Const", 0, "const">;
def Dp_ActivityActive : I32EnumAttrCase<"Active", 1, "active">;
def Dp_ActivityActiveNoNeed : I32EnumAttrCase<"ActiveNoNeed", 2, "activenoneed">;
def Dp_ActivityDup : I32EnumAttrCase<"Dup", 3, "dup">;
def Dp_ActivityDupNoNeed : I32EnumAttrCase<"DupNoNeed", 4, "dupnoneed">;

def Dp_Activity : I32EnumAttr<"Activity",
    "activity of a value with respect to differentiation",
    [Dp_ActivityConst, Dp_ActivityActive, Dp_ActivityActiveNoNeed,
     Dp_ActivityDup, Dp_ActivityDupNoNeed]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::dp";
}

def Dp_ActivityAttr : EnumAttr<Dp_Dialect, Dp_Activity, "activity"> {
  let summary = "activity of one argument or result";
  let assemblyFormat = "`<` $value `>`";
}

def Dp_ActivityArrayAttr
    : TypedArrayAttrBase<Dp_ActivityAttr, "array of activities">;

#endif // DP_ATTRS_TD
