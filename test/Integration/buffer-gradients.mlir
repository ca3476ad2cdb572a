// Gradients of buffer programs through the whole CPU pipeline: dup
// arguments whose shadows receive the gradients, an in-place update loop
// with a local accumulator, forward mode, and split mode with two reverse
// sweeps on one tape.
// RUN: dp-opt %s --dp-lower-to-cpu \
// RUN:   | mlir-runner -e main -entry-point-result=void --shared-libs=%mlir_runner_utils \
// RUN:   | FileCheck %s --match-full-lines
// Shadows of local buffers are freed, tapes too: no leak, no invalid access.
// RUN: dp-opt %s --dp-lower-to-cpu -o %t.mlir
// RUN: %if valgrind %{ valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=3 mlir-runner %t.mlir -e main -entry-point-result=void --shared-libs=%mlir_runner_utils | FileCheck %s --match-full-lines %}
//
// Expected values from JAX (jax 0.10, float64), computed independently:
//
//   import jax, jax.numpy as jnp
//   jax.config.update("jax_enable_x64", True)
//   x = jnp.array([0.5, -1.2, 2.0]); dout = jnp.array([1.0, 2.0, -0.5])
//   f = lambda x: jnp.sin(x) * x
//   f(x)                                   # [0.23971277 1.1184469 1.81859485]
//   0.1 + jax.vjp(f, x)[1](dout)[0]        # [1.01821682 -2.63373678 0.06149812]
//   0.1 + 2 * jax.vjp(f, x)[1](dout)[0]    # [1.93643364 -5.36747357 0.02299625]
//   jax.jvp(f, (x,), (jnp.array([1.0, 0.5, -1.0]),))[1]
//                                          # [0.91821682 -0.6834342 -0.07700375]
//   def h(a, y):
//     t = 0.0
//     for k in range(3):
//       for i in range(3):
//         a = a.at[i].set(a[i] * a[i] + y); t = t + a[i]
//     return t
//   a = jnp.array([0.3, -0.2, 0.5]); y = 0.1
//   h(a, y)                                # 1.54053362
//   jax.grad(h, (0, 1))(a, y)              # [0.8900616 -0.5387904 2.0115] 11.798312

func.func private @f(%x: memref<3xf64>, %out: memref<3xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  scf.for %i = %c0 to %c3 step %c1 {
    %v = memref.load %x[%i] : memref<3xf64>
    %s = math.sin %v : f64
    %p = arith.mulf %s, %v : f64
    memref.store %p, %out[%i] : memref<3xf64>
  }
  return
}

func.func private @h(%a: memref<3xf64>, %y: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %t = memref.alloc() : memref<f64>
  %z = arith.constant 0.0 : f64
  memref.store %z, %t[] : memref<f64>
  scf.for %k = %c0 to %c3 step %c1 {
    scf.for %i = %c0 to %c3 step %c1 {
      %v = memref.load %a[%i] : memref<3xf64>
      %sq = arith.mulf %v, %v : f64
      %w = arith.addf %sq, %y : f64
      memref.store %w, %a[%i] : memref<3xf64>
      %acc = memref.load %t[] : memref<f64>
      %acc2 = arith.addf %acc, %w : f64
      memref.store %acc2, %t[] : memref<f64>
    }
  }
  %r = memref.load %t[] : memref<f64>
  memref.dealloc %t : memref<f64>
  return %r : f64
}

func.func private @print(%m: memref<3xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  scf.for %i = %c0 to %c3 step %c1 {
    %v = memref.load %m[%i] : memref<3xf64>
    vector.print %v : f64
  }
  return
}

func.func private @fill(%m: memref<3xf64>, %a: f64, %b: f64, %c: f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  memref.store %a, %m[%c0] : memref<3xf64>
  memref.store %b, %m[%c1] : memref<3xf64>
  memref.store %c, %m[%c2] : memref<3xf64>
  return
}

func.func @main() {
  %x = memref.alloc() : memref<3xf64>
  %dx = memref.alloc() : memref<3xf64>
  %out = memref.alloc() : memref<3xf64>
  %dout = memref.alloc() : memref<3xf64>
  %tenth = arith.constant 0.1 : f64
  %one = arith.constant 1.0 : f64
  %two = arith.constant 2.0 : f64
  %half = arith.constant 0.5 : f64
  %mhalf = arith.constant -0.5 : f64
  %m1 = arith.constant -1.0 : f64
  %m12 = arith.constant -1.2 : f64
  %zero = arith.constant 0.0 : f64

  // (a) Reverse mode: out = sin(x) x, the gradient accumulates into dx
  // (0.1 to start with), and the cotangent of out is consumed.
  // CHECK: 0.239713
  // CHECK-NEXT: 1.11845
  // CHECK-NEXT: 1.81859
  // CHECK-NEXT: 1.01822
  // CHECK-NEXT: -2.63374
  // CHECK-NEXT: 0.0614981
  // CHECK-NEXT: 0
  // CHECK-NEXT: 0
  // CHECK-NEXT: 0
  call @fill(%x, %half, %m12, %two) : (memref<3xf64>, f64, f64, f64) -> ()
  call @fill(%dx, %tenth, %tenth, %tenth) : (memref<3xf64>, f64, f64, f64) -> ()
  call @fill(%dout, %one, %two, %mhalf) : (memref<3xf64>, f64, f64, f64) -> ()
  dp.autodiff @f(%x, %dx, %out, %dout) args [dup, dup] results [] : (memref<3xf64>, memref<3xf64>, memref<3xf64>, memref<3xf64>) -> ()
  call @print(%out) : (memref<3xf64>) -> ()
  call @print(%dx) : (memref<3xf64>) -> ()
  call @print(%dout) : (memref<3xf64>) -> ()

  // (b) Split mode: one forward sweep, two reverse sweeps into the same dx.
  // CHECK-NEXT: 1.93643
  // CHECK-NEXT: -5.36747
  // CHECK-NEXT: 0.0229962
  call @fill(%dx, %tenth, %tenth, %tenth) : (memref<3xf64>, f64, f64, f64) -> ()
  %tape = dp.augmented @f(%x, %out) args [dup, dup] results [] : (memref<3xf64>, memref<3xf64>) -> !dp.tape
  call @fill(%dout, %one, %two, %mhalf) : (memref<3xf64>, f64, f64, f64) -> ()
  dp.reverse @f(%tape, %x, %dx, %out, %dout) args [dup, dup] results [] : (!dp.tape, memref<3xf64>, memref<3xf64>, memref<3xf64>, memref<3xf64>) -> ()
  call @fill(%dout, %one, %two, %mhalf) : (memref<3xf64>, f64, f64, f64) -> ()
  dp.reverse @f(%tape, %x, %dx, %out, %dout) args [dup, dup] results [] : (!dp.tape, memref<3xf64>, memref<3xf64>, memref<3xf64>, memref<3xf64>) -> ()
  dp.tape.free %tape : !dp.tape
  call @print(%dx) : (memref<3xf64>) -> ()

  // (c) Forward mode: the tangent of out along (1, 0.5, -1).
  // CHECK-NEXT: 0.918217
  // CHECK-NEXT: -0.683434
  // CHECK-NEXT: -0.0770038
  call @fill(%dx, %one, %half, %m1) : (memref<3xf64>, f64, f64, f64) -> ()
  dp.fwddiff @f(%x, %dx, %out, %dout) args [dup, dup] results [] : (memref<3xf64>, memref<3xf64>, memref<3xf64>, memref<3xf64>) -> ()
  call @print(%dout) : (memref<3xf64>) -> ()

  // (d) In place with a local accumulator: the value, d/dy, then the
  // gradient with respect to the initial contents of a.
  // CHECK-NEXT: 1.54053
  // CHECK-NEXT: 11.7983
  // CHECK-NEXT: 0.890062
  // CHECK-NEXT: -0.53879
  // CHECK-NEXT: 2.0115
  %mtwo = arith.constant -0.2 : f64
  %three = arith.constant 0.3 : f64
  call @fill(%x, %three, %mtwo, %half) : (memref<3xf64>, f64, f64, f64) -> ()
  call @fill(%dx, %zero, %zero, %zero) : (memref<3xf64>, f64, f64, f64) -> ()
  %r, %dy = dp.autodiff @h(%x, %dx, %tenth, %one) args [dup, active] results [active] : (memref<3xf64>, memref<3xf64>, f64, f64) -> (f64, f64)
  vector.print %r : f64
  vector.print %dy : f64
  call @print(%dx) : (memref<3xf64>) -> ()

  memref.dealloc %x : memref<3xf64>
  memref.dealloc %dx : memref<3xf64>
  memref.dealloc %out : memref<3xf64>
  memref.dealloc %dout : memref<3xf64>
  return
}
