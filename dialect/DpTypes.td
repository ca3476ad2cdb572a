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
    derivative fills and the reverse sweep reads back in reverse order.
    Elements are integers, indices or floats of at most 64 bits, or
    statically shaped tensors and identity-layout memrefs of them (the tape
    keeps its own copy of an array, freed with the tape). The optional
    parameters restrict the element types: every push and pop of a
    `!dp.tape<f64, i1>` uses f64 or i1, while a plain `!dp.tape` holds any
    element type (the form derivatives use, since one tape is shared by a
    function and the derivatives of everything it calls). A tape is a
    reference: pushing through one SSA value is seen through every other
    value of the same tape.

    ```mlir
    %t = dp.tape.init : !dp.tape<f64, i1>
    %u = dp.tape.init : !dp.tape
    ```
  }];
  let parameters = (ins OptionalArrayRefParameter<"::mlir::Type">:$elementTypes);
  let assemblyFormat = "(`<` $elementTypes^ `>`)?";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// True if values of `type` may be pushed to and popped from this tape.
    bool holds(::mlir::Type type) const;
  }];
}

#endif // DP_TYPES_TD
