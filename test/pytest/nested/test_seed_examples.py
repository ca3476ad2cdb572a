"""The seeds' "differentiation à la carte" (../shared/seeds/001_*, 002_*: the Zygote talks), in
Python with dp, checked against exact values or JAX:

- nesting levels: `nestlevel()` whose adjoint's forward returns nestlevel() + 1, printed by
  `f`: "0 levels of nesting" when f runs, 1 under grad(f), 2 under grad(x -> x * grad(f, x));
- `hook(-, a) * b` at (2, 3): gradient (-3, 2) (and a * b: (3, 2)); the printing hook
  `hook(ā -> @show(ā), a) * b` prints ā = 3;
- `checkpoint`: dp.checkpoint, and the seed's own definition as a custom adjoint
  (`checkpoint(f, x...) = f(x...), Δ -> J(f, x...)[2](Δ)`, here a dp.custom_vjp whose bwd
  calls dp.vjp);
- `forwarddiff(f, x)` inside `gradient`: a custom adjoint whose forward computes the forward-
  mode Jacobian and whose backward is J'Δ;
- pow by a while loop differentiated twice and three times (30 and 6 at (5, 3));
- the custom adjoint of sin (`@adjoint sin(x) = sin(x), ȳ -> ȳ*cos(x)`) and the bonus slide's
  broken adjoint of `*` (`back(Δ) = 0//0`): the error is raised at the user's line in the
  adjoint, inside a gradient of pow;
- the profiling slide's `loop(x, n)` over `f(x)` (five steps of sin(cos(x))), differentiated
  twice;
- the "deep learning in 5 lines" MLP (dense 10 -> 5 tanh, 5 -> 2): its gradient penalty and a
  Hessian-vector product with respect to the input.
"""

from __future__ import annotations

import functools
import inspect
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import dp

from .harness import assert_close, jax_hook, rng, to_numpy

# --------------------------------------------------------------------------------------------------
# nesting levels
# --------------------------------------------------------------------------------------------------


@dp.custom_vjp
def nestlevel(x):
    """0 outside any derivative; the adjoint's forward adds one per level of differentiation
    (Zygote: `nestlevel() = 0; @adjoint nestlevel() = nestlevel()+1, _ -> nothing`). It takes
    x so that it is on the differentiated path (a custom_vjp of no argument is never
    differentiated)."""
    return 0.0


def nestlevel_fwd(x):
    return nestlevel(x) + 1.0, None


def nestlevel_bwd(_, g):
    return (0.0,)


nestlevel.defvjp(nestlevel_fwd, nestlevel_bwd)


def f_levels(x):
    print(int(nestlevel(x)), "levels of nesting")
    return x


def x_times_grad_f(x):
    return x * dp.grad(f_levels)(x)


@jax.custom_vjp
def j_nestlevel(x):
    return 0.0


j_nestlevel.defvjp(lambda x: (j_nestlevel(x) + 1.0, None), lambda _, g: (0.0,))


def j_f_levels(x):
    print(int(j_nestlevel(x)), "levels of nesting")
    return x


def test_nesting_levels_jax_oracle(capfd):
    """The same program in JAX prints 0, 1, 2 (what the seed shows Zygote printing)."""
    capfd.readouterr()
    j_f_levels(1.0)
    assert capfd.readouterr().out == "0 levels of nesting\n"
    jax.grad(j_f_levels)(1.0)
    assert capfd.readouterr().out == "1 levels of nesting\n"
    jax.grad(lambda x: x * jax.grad(j_f_levels)(x))(1.0)
    assert capfd.readouterr().out == "2 levels of nesting\n"


def test_nesting_levels(capfd):
    capfd.readouterr()
    assert dp.compile(f_levels)(1.0) == 1.0
    assert capfd.readouterr().out == "0 levels of nesting\n"
    assert dp.grad(f_levels)(1.0) == 1.0
    assert capfd.readouterr().out == "1 levels of nesting\n"
    assert dp.grad(x_times_grad_f)(1.0) == 1.0  # d/dx (x * 1) = 1
    assert capfd.readouterr().out == "2 levels of nesting\n"


# --------------------------------------------------------------------------------------------------
# hooks
# --------------------------------------------------------------------------------------------------

neg = lambda t: -t  # noqa: E731  (Julia's `-` as a function)


def show(a_bar):
    print("ā =", a_bar)
    return a_bar


def a_times_b(a, b):
    return a * b


def hook_neg_a_times_b(a, b):
    return dp.hook(neg, a) * b


def hook_show_a_times_b(a, b):
    return dp.hook(show, a) * b


def test_gradient_of_a_times_b():
    assert dp.grad(a_times_b, argnums=(0, 1))(2.0, 3.0) == (3.0, 2.0)


def test_hook_negates_the_gradient_of_a():
    assert jax.grad(lambda a, b: jax_hook(neg, a) * b, argnums=(0, 1))(2.0, 3.0) == (-3.0, 2.0)
    assert dp.grad(hook_neg_a_times_b, argnums=(0, 1))(2.0, 3.0) == (-3.0, 2.0)


def test_printing_hook(capfd):
    capfd.readouterr()
    assert dp.grad(hook_show_a_times_b, argnums=(0, 1))(2.0, 3.0) == (3.0, 2.0)
    assert capfd.readouterr().out == "ā = 3.0\n"


# Zygote's own definition, `@adjoint hook(f, x) = x, Δ -> (nothing, f(Δ))`, as a custom_vjp
# with the function a non-differentiated argument.


@functools.partial(dp.custom_vjp, nondiff_argnums=(0,))
def my_hook(f, x):
    return x


def my_hook_fwd(f, x):
    return x, None


def my_hook_bwd(f, _, delta):
    return (f(delta),)


my_hook.defvjp(my_hook_fwd, my_hook_bwd)


def my_hook_neg_a_times_b(a, b):
    return my_hook(neg, a) * b


def my_hook_show_a_times_b(a, b):
    return my_hook(show, a) * b


def test_hook_as_a_custom_adjoint(capfd):
    assert dp.grad(my_hook_neg_a_times_b, argnums=(0, 1))(2.0, 3.0) == (-3.0, 2.0)
    capfd.readouterr()
    assert dp.grad(my_hook_show_a_times_b, argnums=(0, 1))(2.0, 3.0) == (3.0, 2.0)
    assert capfd.readouterr().out == "ā = 3.0\n"


# --------------------------------------------------------------------------------------------------
# checkpoint
# --------------------------------------------------------------------------------------------------


def body(x):
    """The profiling slide's f: five steps of sin(cos(x))."""
    for i in range(5):
        x = math.sin(math.cos(x))
    return x


def j_body(x):
    for i in range(5):
        x = jnp.sin(jnp.cos(x))
    return x


def loop(x, n):
    """The profiling slide's loop(x, n): `r = x/x; for i = 1:n; r *= f(x); end; sin(cos(r))`."""
    r = x / x
    for i in range(n):
        r *= body(x)
    return math.sin(math.cos(r))


def j_loop(x, n):
    r = x / x
    for i in range(n):
        r *= j_body(x)
    return jnp.sin(jnp.cos(r))


def loop_checkpointed(x, n):
    r = x / x
    for i in range(n):
        r *= dp.checkpoint(body)(x)
    return math.sin(math.cos(r))


def j_loop_checkpointed(x, n):
    r = x / x
    for i in range(n):
        r *= jax.checkpoint(j_body)(x)
    return jnp.sin(jnp.cos(r))


@functools.partial(dp.custom_vjp, nondiff_argnums=(0,))
def seed_checkpoint(f, x):
    """The seed's `@adjoint checkpoint(f, x...) = f(x...), Δ -> J(f, x...)[2](Δ)`: keep only
    the input, and run f's pullback (recomputing its forward) in the reverse sweep."""
    return f(x)


def seed_checkpoint_fwd(f, x):
    return f(x), x


def seed_checkpoint_bwd(f, x, delta):
    return dp.vjp(f, x)[1](delta)


seed_checkpoint.defvjp(seed_checkpoint_fwd, seed_checkpoint_bwd)


def loop_seed_checkpoint(x, n):
    r = x / x
    for i in range(n):
        r *= seed_checkpoint(body, x)
    return math.sin(math.cos(r))


def test_loop_gradient_jax_oracle_agrees_with_single_level_dp():
    """Holds today: the oracle and dp's first derivative of the seed's loop agree."""
    assert_close(dp.grad(loop)(2.0, 3), float(jax.grad(j_loop)(2.0, 3)))


def test_checkpoint():
    expected = float(jax.grad(j_loop_checkpointed)(2.0, 3))
    assert_close(expected, float(jax.grad(j_loop)(2.0, 3)), rtol=1e-14)
    assert_close(dp.grad(loop_checkpointed)(2.0, 3), expected)
    assert_close(dp.grad(loop_checkpointed)(2.0, 3), dp.grad(loop)(2.0, 3), rtol=1e-14)


def test_checkpoint_as_a_custom_adjoint():
    assert_close(dp.grad(loop_seed_checkpoint)(2.0, 3), float(jax.grad(j_loop)(2.0, 3)))
    assert_close(dp.grad(loop_seed_checkpoint)(0.7, 5), float(jax.grad(j_loop)(0.7, 5)))


@pytest.mark.parametrize("x, n", [(2.0, 3), (0.7, 2)])
def test_loop_differentiated_twice(x, n):
    expected = float(jax.grad(jax.grad(j_loop))(x, n))
    assert_close(dp.grad(dp.grad(loop))(x, n), expected, rtol=1e-9)
    assert_close(dp.grad(dp.grad(loop_checkpointed))(x, n), expected, rtol=1e-9)


# --------------------------------------------------------------------------------------------------
# forwarddiff inside gradient
# --------------------------------------------------------------------------------------------------


@functools.partial(dp.custom_vjp, nondiff_argnums=(0,))
def forwarddiff(f, x):
    """The seed's `@adjoint forwarddiff(f, x) = (y, J = forward_jacobian(f, x); y, Δ -> (J'Δ,))`:
    f's Jacobian by forward mode in the forward sweep, its transpose applied backward."""
    return f(x)


def forwarddiff_fwd(f, x):
    return f(x), dp.jacobian(f, mode="fwd")(x)


def forwarddiff_bwd(f, jac, delta):
    return (jac.T @ delta,)


forwarddiff.defvjp(forwarddiff_fwd, forwarddiff_bwd)


def sincos_map(x):
    return np.stack([np.sum(np.sin(x) * x), np.sum(np.cos(x)), x[0] * x[1] * x[2]])


def j_sincos_map(x):
    return jnp.stack([jnp.sum(jnp.sin(x) * x), jnp.sum(jnp.cos(x)), x[0] * x[1] * x[2]])


def loss_through_forwarddiff(x):
    y = forwarddiff(sincos_map, x)
    return np.sum(y * y)


def j_loss(x):
    y = j_sincos_map(x)
    return jnp.sum(y * y)


def test_forwarddiff_inside_gradient():
    x = rng(51).standard_normal(3)
    expected = to_numpy(jax.grad(j_loss)(x))
    assert_close(dp.grad(loss_through_forwarddiff)(x), expected)
    assert_close(dp.compile(loss_through_forwarddiff)(x), float(j_loss(x)))


def scalar_forwarddiff(x):
    """Forward mode called directly inside a function reverse mode differentiates."""
    value, slope = dp.jvp(body, (x,), (1.0,))
    return value * slope


def j_scalar_forwarddiff(x):
    value, slope = jax.jvp(j_body, (x,), (1.0,))
    return value * slope


@pytest.mark.parametrize("x", [0.3, 2.0])
def test_jvp_inside_gradient(x):
    assert_close(dp.grad(scalar_forwarddiff)(x), float(jax.grad(j_scalar_forwarddiff)(x)), rtol=1e-9)


# --------------------------------------------------------------------------------------------------
# pow, custom adjoints
# --------------------------------------------------------------------------------------------------


def pow(x, n):  # noqa: A001  (the seed's name)
    r = 1.0
    while n > 0:
        n -= 1
        r *= x
    return r


def test_pow_nested():
    """pow(5, 3) == 125 and gradient(pow, 5, 3) == (75, 0) in the seed; differentiated again."""
    assert dp.grad(dp.grad(pow))(5.0, 3) == 30.0
    assert dp.grad(dp.grad(dp.grad(pow)))(5.0, 3) == 6.0
    assert dp.grad(dp.grad(lambda x: pow(x, 3)))(5.0) == 30.0  # `gradient(x -> pow(x, 3), 5)`
    assert dp.hessian(pow)(5.0, 3) == 30.0


@dp.custom_vjp
def sin_adjoint(x):
    """`@adjoint sin(x) = sin(x), ȳ -> ȳ*cos(x)`."""
    return math.sin(x)


def sin_adjoint_fwd(x):
    return math.sin(x), x


def sin_adjoint_bwd(x, y_bar):
    return (y_bar * math.cos(x),)


sin_adjoint.defvjp(sin_adjoint_fwd, sin_adjoint_bwd)


def test_custom_adjoint_of_sin():
    assert_close(dp.grad(sin_adjoint)(1.0), math.cos(1.0))
    assert_close(dp.grad(dp.grad(sin_adjoint))(1.0), -math.sin(1.0))


@dp.custom_vjp
def broken_mul(a, b):
    return a * b


def broken_mul_fwd(a, b):
    return a * b, (a, b)


def broken_mul_bwd(residuals, delta):
    a, b = residuals
    zero = int(delta * 0.0)
    return (delta * b + zero // zero, delta * a)  # the seed's `back(Δ) = 0//0`


broken_mul.defvjp(broken_mul_fwd, broken_mul_bwd)


def pow_broken(x, n):
    r = 1.0
    while n > 0:
        r = broken_mul(r, x)
        n -= 1
    return r


def _line_of(fn, text: str) -> int:
    lines, first = inspect.getsourcelines(fn)
    return first + next(i for i, line in enumerate(lines) if text in line)


def test_broken_adjoint_error_points_at_the_adjoint():
    with pytest.raises(ZeroDivisionError):
        broken_mul_bwd((2.0, 3.0), 1.0)  # what Python does with the rule
    assert dp.compile(pow_broken)(2.0, 3) == 8.0  # the primal is fine
    with pytest.raises(dp.DivisionByZeroError) as info:
        dp.grad(pow_broken)(2.0, 3)
    error = info.value
    assert isinstance(error, ZeroDivisionError)
    assert error.filename == __file__
    assert error.lineno == _line_of(broken_mul_bwd, "zero // zero")


# --------------------------------------------------------------------------------------------------
# "Deep learning in 5 lines": dense(W, b, σ) chained, 10 -> 5 (tanh) -> 2
# --------------------------------------------------------------------------------------------------


def mlp(params, x):
    (w1, b1), (w2, b2) = params
    return w2 @ np.tanh(w1 @ x + b1) + b2


def j_mlp(params, x):
    (w1, b1), (w2, b2) = params
    return w2 @ jnp.tanh(w1 @ x + b1) + b2


def mlp_sum(params, x):
    return np.sum(mlp(params, x))  # `gradient(m -> sum(m(x)), mlp)`


def j_mlp_sum(params, x):
    return jnp.sum(j_mlp(params, x))


def mlp_penalty(params, x):
    gx = dp.grad(mlp_sum, argnums=1)(params, x)
    return np.sum(gx * gx)


def j_mlp_penalty(params, x):
    gx = jax.grad(j_mlp_sum, argnums=1)(params, x)
    return jnp.sum(gx * gx)


def _mlp_args():
    r = rng(52)
    params = ((r.standard_normal((5, 10)), r.standard_normal(5)), (r.standard_normal((2, 5)), r.standard_normal(2)))
    return params, r.uniform(0.0, 1.0, 10)


def test_mlp_gradient_jax_oracle_agrees_with_single_level_dp():
    """Holds today: the seed's gradient of sum(m(x)) with respect to the model."""
    params, x = _mlp_args()
    assert_close(dp.grad(mlp_sum)(params, x), to_numpy(jax.grad(j_mlp_sum)(params, x)))


def test_mlp_gradient_penalty():
    params, x = _mlp_args()
    expected = to_numpy(jax.grad(j_mlp_penalty)(params, x))
    assert_close(dp.grad(mlp_penalty)(params, x), expected, rtol=1e-9)


def test_mlp_input_hessian_vector_product():
    params, x = _mlp_args()
    v = rng(53).standard_normal(10)
    zero = jax.tree_util.tree_map(np.zeros_like, params)
    expected = to_numpy(jax.jvp(lambda x_: jax.grad(j_mlp_sum, argnums=1)(params, x_), (x,), (v,)))
    assert_close(dp.jvp(dp.grad(mlp_sum, argnums=1), (params, x), (zero, v)), expected)
    assert_close(dp.hessian(mlp_sum, argnums=1)(params, x), to_numpy(jax.hessian(j_mlp_sum, argnums=1)(params, x)))
