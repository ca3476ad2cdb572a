// A tensor.from_elements with a huge result shape: MLIR's parser builds one
// operand type per element before anything checks the count, and aborts
// ("SmallVector unable to grow"). dp-opt refuses the shape before parsing.
// RUN: not dp-opt %s --split-input-file 2>&1 | FileCheck %s
// RUN: not dp-opt %s --split-input-file --dp-max-elements=0 2>&1 | FileCheck %s --check-prefix=NOLIMIT

// CHECK: huge-from-elements.mlir:[[# @LINE + 2]]:29: error: this tensor type has 10000000000 elements, more than dp-opt accepts (2147483648, --dp-max-elements)
// NOLIMIT: huge-from-elements.mlir:[[# @LINE + 2]]:34: error: 'tensor.from_elements' has one operand or result per element, and this type has 10000000000 elements, more than an input of {{[0-9]+}} bytes can spell
func.func @huge(%x: f32) -> tensor<10000000000xf32> {
  %t = tensor.from_elements %x : tensor<10000000000xf32>
  return %t : tensor<10000000000xf32>
}

// -----

// Under the element limit, but no input could spell a billion operands.
// CHECK: huge-from-elements.mlir:[[# @LINE + 2]]:34: error: 'tensor.from_elements' has one operand or result per element, and this type has 1000000000 elements, more than an input of {{[0-9]+}} bytes can spell
func.func @billion(%x: f32) -> tensor<?xf32> {
  %t = tensor.from_elements %x : tensor<1000000000xf32>
  %c = tensor.cast %t : tensor<1000000000xf32> to tensor<?xf32>
  return %c : tensor<?xf32>
}

// -----

// The generic form reaches the same code in the verifier.
// CHECK: huge-from-elements.mlir:[[# @LINE + 2]]:46: error: 'tensor.from_elements' has one operand or result per element
func.func @generic(%x: f32) {
  %t = "tensor.from_elements"(%x) : (f32) -> tensor<1000000000xf32>
  return
}

// -----

// vector.to_elements has one result per element.
// CHECK: huge-from-elements.mlir:[[# @LINE + 2]]:32: error: 'vector.to_elements' has one operand or result per element
func.func @to_elements(%v: vector<4xf32>) {
  %a = vector.to_elements %v : vector<100000x10000xf32>
  return
}

// -----

// Types in comments, strings and dialect types are not read; shapes nested
// in element types are.
// CHECK-NOT: huge-from-elements.mlir:[[# @LINE + 1]]:
// tensor<10000000000xf32>
func.func private @words(tensor<4xf32>) attributes {note = "tensor<10000000000xf32>"}
// CHECK: huge-from-elements.mlir:[[# @LINE + 1]]:36: error: this vector type has 4294967296 elements
func.func private @nested(tensor<2xvector<65536x65536xf32>>)
