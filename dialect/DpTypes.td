//===- DpTypes.td - dp types --------------------------------*- tablegen -*-===//

#ifndef DP_TYPES_TD
#define DP_TYPES_TD

include "DpDialect.td"
include "mlir/IR/AttrTypeBase.td"

class Dp_Type<string name, string typeMnemonic, list<Trait> traits = []>
    : TypeDef<Dp_Dialect, name, traits> {
  let mnemonic = typeMnemonic;
}

def Dp_TapeType : Dp_Type<"Tape", "tape"> {
  let summary = "a growable last-in first-out stack of values";
  let description = [{
    A tape is a handle to a heap-allocated stack that the forward sweep of a
    derivative fills and the reverse sweep reads back in reverse order. The
    parameters list the element types the tape may hold; every push and pop
    uses one of them. Elements are integers, indices or floats of at most 64
    bits. A tape is a reference: pushing through one SSA value is seen through
    every other value of the same tape.

    ```mlir
    %t = dp.tape.init : !dp.tape<f64, i1>
    ```
  }];
  let parameters = (ins OptionalArrayRefParameter<"::mlir::Type">:$elementTypes);
  let assemblyFormat = "(`<` $elementTypes^ `>`)?";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// True if values of `type` may be pushed to and popped from this tape.
    bool holds(::mlir::Type type) const {
      return ::llvm::is_contained(getElementTypes(), type);
    }
  }];
}

#endif // DP_TYPES_TD
