//===- DpOps.td - dp operations -----------------------------*- tablegen -*-===//

#ifndef DP_OPS_TD
#define DP_OPS_TD

include "DpAttrs.td"
include "DpTypes.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Derivative requests
//===----------------------------------------------------------------------===//

// A request for a derivative of the function `callee`. The operands and
// results are laid out from the callee's signature and the activities; the
// verifier checks that layout against the callee.
class Dp_DiffOp<string mnemonic> : Dp_Op<mnemonic,
    [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let arguments = (ins FlatSymbolRefAttr:$callee,
                       Variadic<AnyType>:$inputs,
                       Dp_ActivityArrayAttr:$arg_activity,
                       Dp_ActivityArrayAttr:$ret_activity);
  let results = (outs Variadic<AnyType>:$outputs);
  let assemblyFormat = [{
    $callee `(` $inputs `)`
    `args` custom<Activities>($arg_activity)
    `results` custom<Activities>($ret_activity)
    attr-dict `:` functional-type($inputs, $outputs)
  }];
  let hasVerifier = 1;
}

def Dp_AutodiffOp : Dp_DiffOp<"autodiff"> {
  let summary = "reverse-mode derivative of a function";
  let description = [{
    Calls the reverse-mode derivative (vector-Jacobian product) of `callee`.

    Operands: for each callee argument, its primal value, followed by its
    shadow when the argument is `dup` (a buffer whose gradient accumulates in
    place); then, for each `active` or `activenoneed` result, its cotangent.

    Results: the primal value of each `active` or `const` result (an
    `activenoneed` result is not returned), then the gradient of each
    `active` argument, in argument order.

    Argument activities: `const`, `active` (float scalars, vectors and
    tensors), `dup` (memrefs of floats). Result activities: `const`, `active`,
    `activenoneed`.

    ```mlir
    func.func @pow(%x: f64, %n: i64) -> f64 { ... }
    // %r = pow(%x, %n); %dx = d(%r)/d(%x) * %seed
    %r, %dx = dp.autodiff @pow(%x, %n, %seed) args [active, const]
        results [active] : (f64, i64, f64) -> (f64, f64)
    ```
  }];
}

def Dp_FwddiffOp : Dp_DiffOp<"fwddiff"> {
  let summary = "forward-mode derivative of a function";
  let description = [{
    Calls the forward-mode derivative (Jacobian-vector product) of `callee`.

    Operands: for each callee argument, its primal value, followed by its
    tangent when the argument is `dup`.

    Results, for each callee result in order: its primal value when `const`;
    its primal value and then its tangent when `dup`; only its tangent when
    `dupnoneed`.

    Argument activities: `const`, `dup`. Result activities: `const`, `dup`,
    `dupnoneed`. `dup` values are float scalars, vectors, tensors or memrefs.

    ```mlir
    %r, %dr = dp.fwddiff @pow(%x, %dx, %n) args [dup, const]
        results [dup] : (f64, f64, i64) -> (f64, f64)
    ```
  }];
}

def Dp_AugmentedOp : Dp_DiffOp<"augmented"> {
  let summary = "forward half of a split reverse-mode derivative";
  let description = [{
    Runs `callee` and records on a new tape everything the reverse sweep of
    the same derivative needs; `dp.reverse` with the same activities consumes
    that tape. Together they are a pullback: the forward half runs once, the
    reverse half as many times as needed (it rewinds the tape first). The
    tape is freed with `dp.tape.free` once no reverse call needs it.

    Operands: the callee's arguments. Results: the primal value of each
    `active` or `const` result, then the tape (`!dp.tape`). Activities as in
    `dp.autodiff`.

    ```mlir
    %r, %tape = dp.augmented @pow(%x, %n) args [active, const]
        results [active] : (f64, i64) -> (f64, !dp.tape)
    %dx = dp.reverse @pow(%tape, %seed) args [active, const]
        results [active] : (!dp.tape, f64) -> f64
    dp.tape.free %tape : !dp.tape
    ```
  }];
}

def Dp_ReverseOp : Dp_DiffOp<"reverse"> {
  let summary = "reverse half of a split reverse-mode derivative";
  let description = [{
    Reads a tape made by `dp.augmented` with the same callee and activities
    and returns the gradients. May be called any number of times with the
    same tape.

    Operands: the tape; each statically shaped tensor or memref argument of
    the callee (the same values as given to `dp.augmented`), a memref followed
    by its shadow when it is `dup`; then the cotangent of each `active` or
    `activenoneed` result. Results: the gradient of each `active` argument,
    in argument order. The reverse half reads again the elements the primal
    read from tensor arguments and from buffers it never writes (instead of
    recording them), so buffers must hold the same contents as during
    `dp.augmented`, and buffer arguments must not alias one another.

    ```mlir
    %dx = dp.reverse @pow(%tape, %seed) args [active, const]
        results [active] : (!dp.tape, f64) -> f64
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Gradient control
//===----------------------------------------------------------------------===//

def Dp_StopGradientOp : Dp_Op<"stop_gradient",
    [Pure, SameOperandsAndResultType]> {
  let summary = "identity whose derivative is zero";
  let description = [{
    Returns its operand unchanged. Differentiation treats the result as a
    constant: no derivative flows back through it. `dp-erase-stop-gradient`
    removes the op once differentiation is done.

    ```mlir
    %y = dp.stop_gradient %x : f64
    ```
  }];
  let arguments = (ins AnyType:$operand);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$operand attr-dict `:` type($result)";
}

//===----------------------------------------------------------------------===//
// Tapes
//===----------------------------------------------------------------------===//

def Dp_TapeResource : Resource<"::mlir::dp::TapeResource">;

def Dp_TapeInitOp : Dp_Op<"tape.init",
    [MemoryEffects<[MemAlloc<Dp_TapeResource>]>]> {
  let summary = "creates an empty tape";
  let description = [{
    Allocates an empty tape. The optional capacity is the number of elements
    to reserve (a hint: the tape grows past it by doubling).

    ```mlir
    %t = dp.tape.init capacity %n : !dp.tape<f64>
    ```
  }];
  let arguments = (ins Optional<Index>:$capacity);
  let results = (outs Dp_TapeType:$tape);
  let assemblyFormat = "(`capacity` $capacity^)? attr-dict `:` qualified(type($tape))";
}

def Dp_TapePushOp : Dp_Op<"tape.push",
    [MemoryEffects<[MemRead<Dp_TapeResource>, MemWrite<Dp_TapeResource>]>]> {
  let summary = "pushes a value onto a tape";
  let description = [{
    Appends `value` to the tape. Its type must be one of the tape's element
    types.

    ```mlir
    dp.tape.push %t, %x : !dp.tape<f64, i1>, f64
    ```
  }];
  let arguments = (ins Dp_TapeType:$tape, AnyType:$value);
  let assemblyFormat = "$tape `,` $value attr-dict `:` qualified(type($tape)) `,` type($value)";
  let hasVerifier = 1;
}

def Dp_TapePopOp : Dp_Op<"tape.pop",
    [MemoryEffects<[MemRead<Dp_TapeResource>, MemWrite<Dp_TapeResource>]>]> {
  let summary = "pops the most recently pushed value off a tape";
  let description = [{
    Removes and returns the last value pushed that has not been popped. The
    result type must be one of the tape's element types and must be the type
    of the value pushed at that position.

    ```mlir
    %x = dp.tape.pop %t : !dp.tape<f64, i1> -> f64
    ```
  }];
  let arguments = (ins Dp_TapeType:$tape);
  let results = (outs AnyType:$value);
  let assemblyFormat = "$tape attr-dict `:` qualified(type($tape)) `->` type($value)";
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

def Dp_TapeRewindOp : Dp_Op<"tape.rewind",
    [MemoryEffects<[MemWrite<Dp_TapeResource>]>]> {
  let summary = "makes every pushed value poppable again";
  let description = [{
    Popping does not discard storage: rewinding moves the read position back
    to the last value ever pushed, so the same tape can be read in reverse a
    second time (a pullback called twice).

    ```mlir
    dp.tape.rewind %t : !dp.tape<f64>
    ```
  }];
  let arguments = (ins Dp_TapeType:$tape);
  let assemblyFormat = "$tape attr-dict `:` qualified(type($tape))";
}

def Dp_TapeFreeOp : Dp_Op<"tape.free",
    [MemoryEffects<[MemFree<Dp_TapeResource>]>]> {
  let summary = "releases a tape";
  let description = [{
    Frees the tape's storage. The tape must not be used afterwards.

    ```mlir
    dp.tape.free %t : !dp.tape<f64>
    ```
  }];
  let arguments = (ins Dp_TapeType:$tape);
  let assemblyFormat = "$tape attr-dict `:` qualified(type($tape))";
  let hasCanonicalizer = 1;
}

#endif // DP_OPS_TD
