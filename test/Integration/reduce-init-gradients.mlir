// A linalg.reduce with a mulf, maximumf or minimumf combiner passes a
// derivative to its init too: with maximumf, a row whose maximum is the init
// keeps its derivative there.
// RUN: dp-opt %s --dp-lower-to-cpu \
// RUN:   | mlir-runner -e main -entry-point-result=void --shared-libs=%mlir_runner_utils \
// RUN:   | FileCheck %s --match-full-lines
//
// Expected values from JAX (float64):
//   t = jnp.array([[0.5, 2.0, -1.5], [1.2, 0.3, 0.7]])
//   prod_init = lambda t, i: jnp.sum(i * jnp.prod(t, axis=1))
//   jax.grad(prod_init, (0, 1))(t, jnp.array([2.0, -0.5]))
//     # dt [[-6. -1.5 2.] [-0.105 -0.42 -0.18]], dinit [-1.5 0.252]
//   max_init = lambda t, i: jnp.sum(jnp.maximum(i, jnp.max(t, axis=1)))
//   jax.grad(max_init, (0, 1))(t, jnp.array([3.0, 0.0]))
//     # dt [[0. 0. 0.] [1. 0. 0.]], dinit [1. 0.]

func.func private @prod_init(%t: tensor<2x3xf64>, %init: tensor<2xf64>) -> f64 {
  %zero = arith.constant 0.0 : f64
  %p = linalg.reduce ins(%t : tensor<2x3xf64>) outs(%init : tensor<2xf64>) dimensions = [1]
    (%in: f64, %acc: f64) {
      %m = arith.mulf %in, %acc : f64
      linalg.yield %m : f64
    }
  %e0 = tensor.empty() : tensor<f64>
  %z0 = linalg.fill ins(%zero : f64) outs(%e0 : tensor<f64>) -> tensor<f64>
  %sum = linalg.reduce ins(%p : tensor<2xf64>) outs(%z0 : tensor<f64>) dimensions = [0]
    (%in: f64, %acc: f64) {
      %a = arith.addf %in, %acc : f64
      linalg.yield %a : f64
    }
  %r = tensor.extract %sum[] : tensor<f64>
  return %r : f64
}

func.func private @max_init(%t: tensor<2x3xf64>, %init: tensor<2xf64>) -> f64 {
  %zero = arith.constant 0.0 : f64
  %p = linalg.reduce ins(%t : tensor<2x3xf64>) outs(%init : tensor<2xf64>) dimensions = [1]
    (%in: f64, %acc: f64) {
      %m = arith.maximumf %in, %acc : f64
      linalg.yield %m : f64
    }
  %e0 = tensor.empty() : tensor<f64>
  %z0 = linalg.fill ins(%zero : f64) outs(%e0 : tensor<f64>) -> tensor<f64>
  %sum = linalg.reduce ins(%p : tensor<2xf64>) outs(%z0 : tensor<f64>) dimensions = [0]
    (%in: f64, %acc: f64) {
      %a = arith.addf %in, %acc : f64
      linalg.yield %a : f64
    }
  %r = tensor.extract %sum[] : tensor<f64>
  return %r : f64
}

func.func private @print(%t: tensor<?xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = tensor.dim %t, %c0 : tensor<?xf64>
  scf.for %i = %c0 to %n step %c1 {
    %v = tensor.extract %t[%i] : tensor<?xf64>
    vector.print %v : f64
  }
  return
}

func.func @main() {
  %one = arith.constant 1.0 : f64
  %t = arith.constant dense<[[0.5, 2.0, -1.5], [1.2, 0.3, 0.7]]> : tensor<2x3xf64>

  // CHECK: -6
  // CHECK-NEXT: -1.5
  // CHECK-NEXT: 2
  // CHECK-NEXT: -0.105
  // CHECK-NEXT: -0.42
  // CHECK-NEXT: -0.18
  // CHECK-NEXT: -1.5
  // CHECK-NEXT: 0.252
  %i1 = arith.constant dense<[2.0, -0.5]> : tensor<2xf64>
  %dt1, %di1 = dp.autodiff @prod_init(%t, %i1, %one) args [active, active] results [activenoneed] : (tensor<2x3xf64>, tensor<2xf64>, f64) -> (tensor<2x3xf64>, tensor<2xf64>)
  %dt1_flat = tensor.collapse_shape %dt1 [[0, 1]] : tensor<2x3xf64> into tensor<6xf64>
  %dt1_p = tensor.cast %dt1_flat : tensor<6xf64> to tensor<?xf64>
  call @print(%dt1_p) : (tensor<?xf64>) -> ()
  %di1_p = tensor.cast %di1 : tensor<2xf64> to tensor<?xf64>
  call @print(%di1_p) : (tensor<?xf64>) -> ()

  // CHECK-NEXT: 0
  // CHECK-NEXT: 0
  // CHECK-NEXT: 0
  // CHECK-NEXT: 1
  // CHECK-NEXT: 0
  // CHECK-NEXT: 0
  // CHECK-NEXT: 1
  // CHECK-NEXT: 0
  %i2 = arith.constant dense<[3.0, 0.0]> : tensor<2xf64>
  %dt2, %di2 = dp.autodiff @max_init(%t, %i2, %one) args [active, active] results [activenoneed] : (tensor<2x3xf64>, tensor<2xf64>, f64) -> (tensor<2x3xf64>, tensor<2xf64>)
  %dt2_flat = tensor.collapse_shape %dt2 [[0, 1]] : tensor<2x3xf64> into tensor<6xf64>
  %dt2_p = tensor.cast %dt2_flat : tensor<6xf64> to tensor<?xf64>
  call @print(%dt2_p) : (tensor<?xf64>) -> ()
  %di2_p = tensor.cast %di2 : tensor<2xf64> to tensor<?xf64>
  call @print(%di2_p) : (tensor<?xf64>) -> ()
  return
}
