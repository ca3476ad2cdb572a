// Gradients of tensor programs through the whole CPU pipeline: matrix
// products, elementwise math and reductions; a loop carrying a tensor (one
// cached tensor per iteration on the tape); an index loop over elements; and
// split mode, two reverse sweeps on one tape holding array copies.
// RUN: dp-opt %s --dp-lower-to-cpu \
// RUN:   | mlir-runner -e main -entry-point-result=void --shared-libs=%mlir_runner_utils \
// RUN:   | FileCheck %s --match-full-lines
// The tapes and the arrays they own are freed exactly once: no leak, no
// invalid access.
// RUN: dp-opt %s --dp-lower-to-cpu -o %t.mlir
// RUN: %if valgrind %{ valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=3 mlir-runner %t.mlir -e main -entry-point-result=void --shared-libs=%mlir_runner_utils | FileCheck %s --match-full-lines %}
//
// Expected values from JAX (jax 0.10, float64), computed independently:
//
//   import jax, jax.numpy as jnp
//   jax.config.update("jax_enable_x64", True)
//   A = jnp.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
//   B = jnp.array([[1.0, -1.0], [0.5, 2.0], [-0.3, 0.7]])
//   C = jnp.array([[0.2, -0.1], [0.3, 0.05]])
//   f = lambda a, b: jnp.sum(jnp.sin(a @ b + C))
//   f(A, B)                       # 2.2770037073299045
//   jax.grad(f, (0, 1))(A, B)     # dA [[0.03521275 2.31040843 0.35628451]
//                                 #     [0.23778644 1.31920379 0.12071376]]
//                                 # dB [[0.38239762 0.28376177]
//                                 #     [0.54942205 0.42348628]
//                                 #     [0.71644647 0.56321078]]
//   UA = jnp.array([[1.0, -0.5, 0.25], [0.0, 2.0, -1.0]])
//   UB = jnp.array([[0.3, 0.0], [-1.0, 0.5], [0.2, 0.1]])
//   jax.jvp(f, (A, B), (UA, UB))  # tangent 1.46342424 (= <dA, UA> + <dB, UB>)
//
//   def iterate(x, n):
//       a = x
//       for _ in range(n):
//           a = jnp.sin(a) * x
//       return jnp.sum(a)
//   x = jnp.array([0.5, 1.2, -0.7])
//   iterate(x, 4)                 # 0.9291198622736122
//   jax.grad(iterate)(x, 4)       # [0.28764608 1.92940388 0.95323551]
//   jax.grad(iterate)(x, 0)       # [1. 1. 1.]
//
//   def scan(x):
//       acc = 1.0; out = jnp.zeros(4)
//       for i in range(4):
//           acc = acc * x[i] + jnp.sin(x[3 - i])
//           out = out.at[i].set(acc)
//       return jnp.sum(out * out)
//   y = jnp.array([0.3, -0.8, 1.1, 0.6])
//   scan(y)                       # 1.035332360235075
//   jax.grad(scan)(y)             # [2.28366434 -1.30233839 -0.51726082 1.89309395]

// (a) sum(sin(A @ B + C)), C constant.
func.func private @loss(%a: tensor<2x3xf64>, %b: tensor<3x2xf64>, %c: tensor<2x2xf64>) -> f64 {
  %zero = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<2x2xf64>
  %init = linalg.fill ins(%zero : f64) outs(%e : tensor<2x2xf64>) -> tensor<2x2xf64>
  %ab = linalg.matmul ins(%a, %b : tensor<2x3xf64>, tensor<3x2xf64>) outs(%init : tensor<2x2xf64>) -> tensor<2x2xf64>
  %s = arith.addf %ab, %c : tensor<2x2xf64>
  %sn = math.sin %s : tensor<2x2xf64>
  %e0 = tensor.empty() : tensor<f64>
  %z0 = linalg.fill ins(%zero : f64) outs(%e0 : tensor<f64>) -> tensor<f64>
  %sum = linalg.reduce ins(%sn : tensor<2x2xf64>) outs(%z0 : tensor<f64>) dimensions = [0, 1]
    (%in: f64, %acc: f64) {
      %t = arith.addf %in, %acc : f64
      linalg.yield %t : f64
    }
  %r = tensor.extract %sum[] : tensor<f64>
  return %r : f64
}

// (b) a = sin(a) * x, n times from a = x, then sum(a): the loop carries a
// tensor, and its reverse pops tensors cached in every iteration.
func.func private @iterate(%x: tensor<3xf64>, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %x) -> (tensor<3xf64>) {
    %s = math.sin %a : tensor<3xf64>
    %m = arith.mulf %s, %x : tensor<3xf64>
    scf.yield %m : tensor<3xf64>
  }
  %e0 = tensor.empty() : tensor<f64>
  %z0 = linalg.fill ins(%zero : f64) outs(%e0 : tensor<f64>) -> tensor<f64>
  %sum = linalg.reduce ins(%r : tensor<3xf64>) outs(%z0 : tensor<f64>) dimensions = [0]
    (%in: f64, %acc: f64) {
      %t = arith.addf %in, %acc : f64
      linalg.yield %t : f64
    }
  %v = tensor.extract %sum[] : tensor<f64>
  return %v : f64
}

// (c) An index loop: reads x[i] and x[3 - i] (every element is read twice,
// so its adjoint accumulates), writes out[i], then sum(out * out).
func.func private @scan(%x: tensor<4xf64>) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f64
  %one = arith.constant 1.0 : f64
  %out0 = arith.constant dense<0.0> : tensor<4xf64>
  %res:2 = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %one, %out = %out0) -> (f64, tensor<4xf64>) {
    %v = tensor.extract %x[%i] : tensor<4xf64>
    %j = arith.subi %c3, %i : index
    %w = tensor.extract %x[%j] : tensor<4xf64>
    %p = arith.mulf %acc, %v : f64
    %sw = math.sin %w : f64
    %acc2 = arith.addf %p, %sw : f64
    %out2 = tensor.insert %acc2 into %out[%i] : tensor<4xf64>
    scf.yield %acc2, %out2 : f64, tensor<4xf64>
  }
  %sq = arith.mulf %res#1, %res#1 : tensor<4xf64>
  %e0 = tensor.empty() : tensor<f64>
  %z0 = linalg.fill ins(%zero : f64) outs(%e0 : tensor<f64>) -> tensor<f64>
  %sum = linalg.reduce ins(%sq : tensor<4xf64>) outs(%z0 : tensor<f64>) dimensions = [0]
    (%in: f64, %a: f64) {
      %t = arith.addf %in, %a : f64
      linalg.yield %t : f64
    }
  %r = tensor.extract %sum[] : tensor<f64>
  return %r : f64
}

// Prints every element, row-major, one per line.
func.func private @print1d(%t: tensor<?xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = tensor.dim %t, %c0 : tensor<?xf64>
  scf.for %i = %c0 to %n step %c1 {
    %v = tensor.extract %t[%i] : tensor<?xf64>
    vector.print %v : f64
  }
  return
}

func.func private @print2d(%t: tensor<?x?xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = tensor.dim %t, %c0 : tensor<?x?xf64>
  %n = tensor.dim %t, %c1 : tensor<?x?xf64>
  scf.for %i = %c0 to %m step %c1 {
    scf.for %j = %c0 to %n step %c1 {
      %v = tensor.extract %t[%i, %j] : tensor<?x?xf64>
      vector.print %v : f64
    }
  }
  return
}

func.func @main() {
  %one = arith.constant 1.0 : f64
  %two = arith.constant 2.0 : f64
  %a = arith.constant dense<[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]> : tensor<2x3xf64>
  %b = arith.constant dense<[[1.0, -1.0], [0.5, 2.0], [-0.3, 0.7]]> : tensor<3x2xf64>
  %c = arith.constant dense<[[0.2, -0.1], [0.3, 0.05]]> : tensor<2x2xf64>

  // (a) Reverse mode: the value, then dA and dB.
  // CHECK: 2.277
  // CHECK-NEXT: 0.0352127
  // CHECK-NEXT: 2.31041
  // CHECK-NEXT: 0.356285
  // CHECK-NEXT: 0.237786
  // CHECK-NEXT: 1.3192
  // CHECK-NEXT: 0.120714
  // CHECK-NEXT: 0.382398
  // CHECK-NEXT: 0.283762
  // CHECK-NEXT: 0.549422
  // CHECK-NEXT: 0.423486
  // CHECK-NEXT: 0.716446
  // CHECK-NEXT: 0.563211
  %r, %da, %db = dp.autodiff @loss(%a, %b, %c, %one) args [active, active, const] results [active] : (tensor<2x3xf64>, tensor<3x2xf64>, tensor<2x2xf64>, f64) -> (f64, tensor<2x3xf64>, tensor<3x2xf64>)
  vector.print %r : f64
  %da_p = tensor.cast %da : tensor<2x3xf64> to tensor<?x?xf64>
  call @print2d(%da_p) : (tensor<?x?xf64>) -> ()
  %db_p = tensor.cast %db : tensor<3x2xf64> to tensor<?x?xf64>
  call @print2d(%db_p) : (tensor<?x?xf64>) -> ()

  // (a) Forward mode along (UA, UB): the JVP, which is also <dA, UA> +
  // <dB, UB> (the dot-product test of the two modes).
  // CHECK-NEXT: 1.46342
  %ua = arith.constant dense<[[1.0, -0.5, 0.25], [0.0, 2.0, -1.0]]> : tensor<2x3xf64>
  %ub = arith.constant dense<[[0.3, 0.0], [-1.0, 0.5], [0.2, 0.1]]> : tensor<3x2xf64>
  %ft = dp.fwddiff @loss(%a, %ua, %b, %ub, %c) args [dup, dup, const] results [dupnoneed] : (tensor<2x3xf64>, tensor<2x3xf64>, tensor<3x2xf64>, tensor<3x2xf64>, tensor<2x2xf64>) -> f64
  vector.print %ft : f64

  // (b) Four iterations, then zero iterations (the gradient of sum(x)).
  // CHECK-NEXT: 0.92912
  // CHECK-NEXT: 0.287646
  // CHECK-NEXT: 1.9294
  // CHECK-NEXT: 0.953236
  // CHECK-NEXT: 1
  // CHECK-NEXT: 1
  // CHECK-NEXT: 1
  %x = arith.constant dense<[0.5, 1.2, -0.7]> : tensor<3xf64>
  %n4 = arith.constant 4 : index
  %ri, %dx = dp.autodiff @iterate(%x, %n4, %one) args [active, const] results [active] : (tensor<3xf64>, index, f64) -> (f64, tensor<3xf64>)
  vector.print %ri : f64
  %dx_p = tensor.cast %dx : tensor<3xf64> to tensor<?xf64>
  call @print1d(%dx_p) : (tensor<?xf64>) -> ()
  %n0 = arith.constant 0 : index
  %dx0 = dp.autodiff @iterate(%x, %n0, %one) args [active, const] results [activenoneed] : (tensor<3xf64>, index, f64) -> tensor<3xf64>
  %dx0_p = tensor.cast %dx0 : tensor<3xf64> to tensor<?xf64>
  call @print1d(%dx0_p) : (tensor<?xf64>) -> ()

  // (c) The index loop.
  // CHECK-NEXT: 1.03533
  // CHECK-NEXT: 2.28366
  // CHECK-NEXT: -1.30234
  // CHECK-NEXT: -0.517261
  // CHECK-NEXT: 1.89309
  %y = arith.constant dense<[0.3, -0.8, 1.1, 0.6]> : tensor<4xf64>
  %rs, %dy = dp.autodiff @scan(%y, %one) args [active] results [active] : (tensor<4xf64>, f64) -> (f64, tensor<4xf64>)
  vector.print %rs : f64
  %dy_p = tensor.cast %dy : tensor<4xf64> to tensor<?xf64>
  call @print1d(%dy_p) : (tensor<?xf64>) -> ()

  // (d) Split mode: one augmented forward sweep, whose tape owns a copy of
  // A @ B + C, then two reverse sweeps on it (which read A and B again from
  // the arguments they are given) with cotangents 1 and 2: dA as in (a),
  // then dB doubled. The tape is freed once, after both.
  // CHECK-NEXT: 2.277
  // CHECK-NEXT: 0.0352127
  // CHECK-NEXT: 2.31041
  // CHECK-NEXT: 0.356285
  // CHECK-NEXT: 0.237786
  // CHECK-NEXT: 1.3192
  // CHECK-NEXT: 0.120714
  // CHECK-NEXT: 0.764795
  // CHECK-NEXT: 0.567524
  // CHECK-NEXT: 1.09884
  // CHECK-NEXT: 0.846973
  // CHECK-NEXT: 1.43289
  // CHECK-NEXT: 1.12642
  %p, %tape = dp.augmented @loss(%a, %b, %c) args [active, active, const] results [active] : (tensor<2x3xf64>, tensor<3x2xf64>, tensor<2x2xf64>) -> (f64, !dp.tape)
  %g1a, %g1b = dp.reverse @loss(%tape, %a, %b, %c, %one) args [active, active, const] results [active] : (!dp.tape, tensor<2x3xf64>, tensor<3x2xf64>, tensor<2x2xf64>, f64) -> (tensor<2x3xf64>, tensor<3x2xf64>)
  %g2a, %g2b = dp.reverse @loss(%tape, %a, %b, %c, %two) args [active, active, const] results [active] : (!dp.tape, tensor<2x3xf64>, tensor<3x2xf64>, tensor<2x2xf64>, f64) -> (tensor<2x3xf64>, tensor<3x2xf64>)
  dp.tape.free %tape : !dp.tape
  vector.print %p : f64
  %g1a_p = tensor.cast %g1a : tensor<2x3xf64> to tensor<?x?xf64>
  call @print2d(%g1a_p) : (tensor<?x?xf64>) -> ()
  %g2b_p = tensor.cast %g2b : tensor<3x2xf64> to tensor<?x?xf64>
  call @print2d(%g2b_p) : (tensor<?x?xf64>) -> ()
  return
}
