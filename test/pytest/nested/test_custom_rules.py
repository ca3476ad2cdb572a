"""dp.custom_vjp and dp.custom_jvp: JAX's API and semantics, checked against jax.custom_vjp /
jax.custom_jvp with the same rules.

    @dp.custom_vjp
    def f(x): ...
    f.defvjp(f_fwd, f_bwd)          # fwd(*args) -> (out, residuals); bwd(residuals, g) -> tuple

    @functools.partial(dp.custom_vjp, nondiff_argnums=(0, 1))
    def clip_gradient(lo, hi, x): ...   # bwd(lo, hi, residuals, g)

    @dp.custom_jvp
    def f(x): ...
    @f.defjvp
    def f_jvp(primals, tangents): ... return primal_out, tangent_out

Most rules here differ from the derivative of the primal they are attached to (a clipped or
scaled gradient, a gradient stopped in one argument), so a dp that differentiated the primal
code instead of calling the rule fails. The rule functions are ordinary Python in the subset dp
compiles; the custom functions are used directly, inside other compiled functions and loops,
under grad-of-grad and dp.hessian. The errors: a bwd returning the wrong structure or shapes,
a fwd or jvp rule returning no pair, custom_vjp under forward mode, a custom_vjp without
defvjp: each a typed dp error (a dp.DpError, not an internal error) at the user's file,
naming the function, where JAX raises too.
"""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import dp

from .harness import assert_close, rng, to_numpy

HERE = __file__


# ==================================================================================================
# custom_vjp
# ==================================================================================================

# -- a sine with its true derivative as the rule, used in loops --------------------------------------


@dp.custom_vjp
def my_sin(x):
    return math.sin(x)


def my_sin_fwd(x):
    return math.sin(x), math.cos(x)


def my_sin_bwd(cos_x, g):
    return (g * cos_x,)


my_sin.defvjp(my_sin_fwd, my_sin_bwd)


@jax.custom_vjp
def j_my_sin(x):
    return jnp.sin(x)


j_my_sin.defvjp(lambda x: (jnp.sin(x), jnp.cos(x)), lambda cos_x, g: (g * cos_x,))




# -- a rule that is not the primal's derivative -------------------------------------------------------


@dp.custom_vjp
def scaled_sin(x):
    """sin(x), whose gradient is declared to be 2 cos(x)."""
    return math.sin(x)


def scaled_sin_fwd(x):
    return math.sin(x), x


def scaled_sin_bwd(x, g):
    return (2.0 * g * math.cos(x),)


scaled_sin.defvjp(scaled_sin_fwd, scaled_sin_bwd)


@jax.custom_vjp
def j_scaled_sin(x):
    return jnp.sin(x)


j_scaled_sin.defvjp(lambda x: (jnp.sin(x), x), lambda x, g: (2.0 * g * jnp.cos(x),))


def sin_loop(x, n):
    for i in range(n):
        x = my_sin(x) * 1.5 + scaled_sin(x) * 0.2 + 0.1
    return x


def j_sin_loop(x, n):
    for i in range(n):
        x = j_my_sin(x) * 1.5 + j_scaled_sin(x) * 0.2 + 0.1
    return x


def sin_until(x):
    """The custom functions in a while loop whose trip count depends on x."""
    y = x
    while y < 5.0:
        y = y + my_sin(y) + scaled_sin(x * y) * 0.1 + 1.5
    return y * x


def j_sin_until(x):
    y = x
    while y < 5.0:
        y = y + j_my_sin(y) + j_scaled_sin(x * y) * 0.1 + 1.5
    return y * x


# -- the clipped gradient of JAX's documentation: nondiff_argnums -------------------------------------


@functools.partial(dp.custom_vjp, nondiff_argnums=(0, 1))
def clip_gradient(lo, hi, x):
    return x


def clip_gradient_fwd(lo, hi, x):
    return x, None


def clip_gradient_bwd(lo, hi, _, g):
    return (min(max(g, lo), hi),)


clip_gradient.defvjp(clip_gradient_fwd, clip_gradient_bwd)


@functools.partial(jax.custom_vjp, nondiff_argnums=(0, 1))
def j_clip_gradient(lo, hi, x):
    return x


j_clip_gradient.defvjp(lambda lo, hi, x: (x, None), lambda lo, hi, _, g: (jnp.clip(g, lo, hi),))


def clipped_model(x):
    return math.sin(clip_gradient(-0.75, 0.75, x * 3.0)) * 2.0


def j_clipped_model(x):
    return jnp.sin(j_clip_gradient(-0.75, 0.75, x * 3.0)) * 2.0


def clipped_steps(x, n):
    """The clip applied at every step of a loop: each step's cotangent is clipped in turn."""
    for i in range(n):
        x = clip_gradient(-1.0, 1.0, x * x) + 0.3
    return x


def j_clipped_steps(x, n):
    for i in range(n):
        x = j_clip_gradient(-1.0, 1.0, x * x) + 0.3
    return x


@functools.partial(dp.custom_vjp, nondiff_argnums=(0, 1))
def clip_gradient_array(lo, hi, x):
    return x


def clip_gradient_array_fwd(lo, hi, x):
    return x, None


def clip_gradient_array_bwd(lo, hi, _, g):
    return (np.clip(g, lo, hi),)


clip_gradient_array.defvjp(clip_gradient_array_fwd, clip_gradient_array_bwd)


def clipped_array_model(w, x):
    return np.sum(clip_gradient_array(-0.5, 0.5, np.tanh(w @ x)) ** 2 * 3.0)


def j_clipped_array_model(w, x):
    return jnp.sum(j_clip_gradient(-0.5, 0.5, jnp.tanh(w @ x)) ** 2 * 3.0)


# -- an int argument in nondiff_argnums --------------------------------------------------------------


def _pow_while(x, n):
    r = 1.0
    while n > 0:
        n -= 1
        r *= x
    return r


@functools.partial(dp.custom_vjp, nondiff_argnums=(1,))
def int_pow(x, n):
    return _pow_while(x, n)


def int_pow_fwd(x, n):
    return _pow_while(x, n), x


def int_pow_bwd(n, x, g):
    # the true derivative plus 1: a rule dp must use, also when differentiated again
    return (g * (n * _pow_while(x, n - 1) + 1.0),)


int_pow.defvjp(int_pow_fwd, int_pow_bwd)


@functools.partial(jax.custom_vjp, nondiff_argnums=(1,))
def j_int_pow(x, n):
    return x**n


j_int_pow.defvjp(lambda x, n: (x**n, x), lambda n, x, g: (g * (n * x ** (n - 1) + 1.0),))


# -- residuals that are arrays -----------------------------------------------------------------------


@dp.custom_vjp
def tanh_sum(x):
    return np.sum(np.tanh(x))


def tanh_sum_fwd(x):
    t = np.tanh(x)
    return np.sum(t), (t, x)


def tanh_sum_bwd(residuals, g):
    t, x = residuals
    # the true derivative 1 - t^2, plus 0.1 x: distinguishable from differentiating the primal
    return (g * (1.0 - t * t) + 0.1 * x,)


tanh_sum.defvjp(tanh_sum_fwd, tanh_sum_bwd)


@jax.custom_vjp
def j_tanh_sum(x):
    return jnp.sum(jnp.tanh(x))


def _j_tanh_sum_fwd(x):
    t = jnp.tanh(x)
    return jnp.sum(t), (t, x)


def _j_tanh_sum_bwd(residuals, g):
    t, x = residuals
    return (g * (1.0 - t * t) + 0.1 * x,)


j_tanh_sum.defvjp(_j_tanh_sum_fwd, _j_tanh_sum_bwd)


def tanh_layer_loss(w, x):
    return tanh_sum(w @ x) + 0.5 * np.sum(w * w)


def j_tanh_layer_loss(w, x):
    return j_tanh_sum(w @ x) + 0.5 * jnp.sum(w * w)


# -- two arguments (Zygote's `@adjoint a * b`), with the gradient of b stopped -----------------------


@dp.custom_vjp
def mul(a, b):
    return a * b


def mul_fwd(a, b):
    return a * b, (a, b)


def mul_bwd(residuals, g):
    a, b = residuals
    return (g * b, 0.0)


mul.defvjp(mul_fwd, mul_bwd)


@jax.custom_vjp
def j_mul(a, b):
    return a * b


j_mul.defvjp(lambda a, b: (a * b, (a, b)), lambda r, g: (g * r[1], 0.0 * g))


def mul_pow(x, y, n):
    r = 1.0
    for i in range(n):
        r = mul(r, x) + mul(y, r) * 0.1
    return r


def j_mul_pow(x, y, n):
    r = 1.0
    for i in range(n):
        r = j_mul(r, x) + j_mul(y, r) * 0.1
    return r


# -- an array result and array residuals, with a branch in bwd ---------------------------------------


@dp.custom_vjp
def safe_normalize(x):
    return x / np.sqrt(np.sum(x * x))


def safe_normalize_fwd(x):
    norm = np.sqrt(np.sum(x * x))
    y = x / norm
    return y, (y, norm)


def safe_normalize_bwd(residuals, g):
    y, norm = residuals
    # the true derivative (g - y <g, y>) / norm, plus 0.01 g: distinguishable from the primal's
    if norm > 1e-12:
        return ((g - y * np.sum(g * y)) / norm + 0.01 * g,)
    return (np.zeros_like(g),)


safe_normalize.defvjp(safe_normalize_fwd, safe_normalize_bwd)


@jax.custom_vjp
def j_safe_normalize(x):
    return x / jnp.sqrt(jnp.sum(x * x))


def _j_safe_normalize_fwd(x):
    norm = jnp.sqrt(jnp.sum(x * x))
    y = x / norm
    return y, (y, norm)


def _j_safe_normalize_bwd(residuals, g):
    y, norm = residuals
    return ((g - y * jnp.sum(g * y)) / norm + 0.01 * g,)


j_safe_normalize.defvjp(_j_safe_normalize_fwd, _j_safe_normalize_bwd)


def normalized_energy(x, m):
    y = safe_normalize(x)
    return y @ (m @ y) + np.sum(x * x) * 0.1


def j_normalized_energy(x, m):
    y = j_safe_normalize(x)
    return y @ (m @ y) + jnp.sum(x * x) * 0.1


# -- a custom_vjp under grad-of-grad and dp.hessian: its bwd is differentiated ------------------------


@dp.custom_vjp
def cube(x):
    return x * x * x


def cube_fwd(x):
    return x * x * x, x


def cube_bwd(x, g):
    return (g * (3.0 * x * x + math.sin(x)),)


cube.defvjp(cube_fwd, cube_bwd)


@jax.custom_vjp
def j_cube(x):
    return x * x * x


j_cube.defvjp(lambda x: (x * x * x, x), lambda x, g: (g * (3.0 * x * x + jnp.sin(x)),))


def cube_chain(x):
    return cube(math.tanh(x)) * 2.0 + x


def j_cube_chain(x):
    return j_cube(jnp.tanh(x)) * 2.0 + x


# -- a custom function called from a helper called from the differentiated function ------------------


def _helper(x, y):
    return scaled_sin(x * y) + tanh_like(y)


def tanh_like(y):
    return y / (1.0 + abs(y))


def calls_helper(x, y):
    s = 0.0
    for i in range(3):
        s = s + _helper(x + 0.1 * i, y)
    return s


def _j_helper(x, y):
    return j_scaled_sin(x * y) + y / (1.0 + jnp.abs(y))


def j_calls_helper(x, y):
    s = 0.0
    for i in range(3):
        s = s + _j_helper(x + 0.1 * i, y)
    return s


# ==================================================================================================
# custom_jvp
# ==================================================================================================

# -- log1pexp, as in JAX's documentation: numerically stable where the naive derivative is NaN ------


@dp.custom_jvp
def log1pexp(x):
    return np.log(1.0 + np.exp(x))


@log1pexp.defjvp
def log1pexp_jvp(primals, tangents):
    (x,) = primals
    (x_dot,) = tangents
    ans = log1pexp(x)
    ans_dot = (1.0 - 1.0 / (1.0 + np.exp(x))) * x_dot
    return ans, ans_dot


@jax.custom_jvp
def j_log1pexp(x):
    return jnp.log(1.0 + jnp.exp(x))


@j_log1pexp.defjvp
def _j_log1pexp_jvp(primals, tangents):
    (x,) = primals
    (x_dot,) = tangents
    return j_log1pexp(x), (1.0 - 1.0 / (1.0 + jnp.exp(x))) * x_dot


def naive_log1pexp_sum(x):
    return np.sum(np.log(1.0 + np.exp(x)))


def log1pexp_sum(x):
    return np.sum(log1pexp(x))


def j_log1pexp_sum(x):
    return jnp.sum(j_log1pexp(x))


# Far out (|x| = 1000) exp overflows: the naive derivative exp/(1 + exp) is inf/inf there.
EXTREME = np.array([-1000.0, -30.0, -2.0, 0.0, 0.5, 3.0, 100.0, 1000.0])
MODERATE = np.array([-3.0, -0.5, 0.0, 0.7, 2.5])


# -- a scalar custom_jvp whose rule is not the primal's derivative (decorator form) ---------------


@dp.custom_jvp
def twice_sin(x):
    """sin(x), whose tangent is declared to be 2 cos(x) dx."""
    return math.sin(x)


@twice_sin.defjvp
def twice_sin_jvp(primals, tangents):
    (x,) = primals
    (dx,) = tangents
    return math.sin(x), 2.0 * math.cos(x) * dx


@jax.custom_jvp
def j_twice_sin(x):
    return jnp.sin(x)


@j_twice_sin.defjvp
def _j_twice_sin_jvp(primals, tangents):
    (x,) = primals
    (dx,) = tangents
    return jnp.sin(x), 2.0 * jnp.cos(x) * dx


def twice_sin_loop(x, n):
    for i in range(n):
        x = twice_sin(x) + 0.5 * x
    return x


def j_twice_sin_loop(x, n):
    for i in range(n):
        x = j_twice_sin(x) + 0.5 * x
    return x


# -- two arguments, registered with f.defjvp(rule) (not as a decorator), asymmetric rule -------------


def weighted(x, w):
    return x * w


def weighted_jvp(primals, tangents):
    x, w = primals
    dx, dw = tangents
    return x * w, dx * w + 2.0 * x * dw


weighted = dp.custom_jvp(weighted)
weighted.defjvp(weighted_jvp)


@jax.custom_jvp
def j_weighted(x, w):
    return x * w


@j_weighted.defjvp
def _j_weighted_jvp(primals, tangents):
    x, w = primals
    dx, dw = tangents
    return x * w, dx * w + 2.0 * x * dw


def weighted_model(x, w):
    return weighted(math.sin(x), w * w) + weighted(x, w)


def j_weighted_model(x, w):
    return j_weighted(jnp.sin(x), w * w) + j_weighted(x, w)


# ==================================================================================================
# Tests: custom_vjp
# ==================================================================================================


@pytest.mark.parametrize("x", [0.3, -1.2, 2.0])
def test_custom_vjp_primal_and_gradient(x):
    assert dp.compile(my_sin)(x) == math.sin(x)
    assert_close(dp.grad(my_sin)(x), math.cos(x))
    assert_close(dp.value_and_grad(my_sin)(x), (math.sin(x), math.cos(x)))


def test_custom_vjp_rule_is_used_not_the_primal_derivative():
    x = 0.4
    expected = float(jax.grad(j_scaled_sin)(x))
    assert expected == pytest.approx(2.0 * math.cos(x), rel=1e-15)
    assert_close(dp.grad(scaled_sin)(x), expected)
    value, back = dp.vjp(scaled_sin, x)
    assert_close(value, math.sin(x))
    assert_close(back(3.0), (3.0 * expected,))


@pytest.mark.parametrize("x, n", [(0.5, 4), (-0.9, 7)])
def test_custom_vjp_in_a_loop(x, n):
    expected = float(jax.grad(j_sin_loop)(x, n))
    assert_close(dp.grad(sin_loop)(x, n), expected)


@pytest.mark.parametrize("x", [0.2, 1.7])
def test_custom_vjp_in_a_data_dependent_while_loop(x):
    assert_close(dp.grad(sin_until)(x), float(jax.grad(j_sin_until)(x)))


@pytest.mark.parametrize("x", [0.05, 0.2, -0.7])
def test_clip_gradient_nondiff_argnums(x):
    """JAX's clip_gradient: identity forward, the cotangent clipped to [lo, hi] backward."""
    expected = float(jax.grad(j_clipped_model)(x))
    assert_close(dp.grad(clipped_model)(x), expected)
    assert_close(dp.compile(clipped_model)(x), float(j_clipped_model(x)))


def test_clip_gradient_applied_at_every_step_of_a_loop():
    x, n = 0.9, 5
    expected = float(jax.grad(j_clipped_steps)(x, n))
    assert_close(dp.grad(clipped_steps)(x, n), expected)
    # the clip bites (else the test would not tell the rule from the identity's derivative)
    unclipped = float(jax.grad(lambda y: _unclipped_steps(y, n))(x))
    assert abs(unclipped - expected) > 1e-3


def _unclipped_steps(x, n):
    for i in range(n):
        x = x * x + 0.3
    return x


def test_clip_gradient_on_arrays():
    r = rng(31)
    w, x = r.standard_normal((4, 3)), r.standard_normal(3)
    expected = to_numpy(jax.grad(j_clipped_array_model, argnums=(0, 1))(w, x))
    assert_close(dp.grad(clipped_array_model, argnums=(0, 1))(w, x), expected)


@pytest.mark.parametrize("x, n", [(1.3, 3), (0.7, 5)])
def test_custom_vjp_int_nondiff_argument(x, n):
    assert_close(dp.grad(int_pow)(x, n), float(jax.grad(j_int_pow)(x, n)))
    # differentiated again: the bwd rule itself is differentiated (n (n - 1) x^(n - 2))
    assert_close(dp.grad(dp.grad(int_pow))(x, n), float(jax.grad(jax.grad(j_int_pow))(x, n)))


def test_custom_vjp_array_residuals():
    r = rng(32)
    w, x = r.standard_normal((3, 4)), r.standard_normal(4)
    expected = to_numpy(jax.grad(j_tanh_layer_loss, argnums=(0, 1))(w, x))
    assert_close(dp.grad(tanh_layer_loss, argnums=(0, 1))(w, x), expected)
    v = r.standard_normal(3)
    assert_close(dp.grad(tanh_sum)(v), to_numpy(jax.grad(j_tanh_sum)(v)))


def test_custom_vjp_two_arguments_in_a_loop():
    x, y, n = 1.1, 0.7, 4
    expected = to_numpy(jax.grad(j_mul_pow, argnums=(0, 1))(x, y, n))
    assert_close(dp.grad(mul_pow, argnums=(0, 1))(x, y, n), expected)
    assert dp.grad(mul, argnums=(0, 1))(2.0, 3.0) == (3.0, 0.0)


def test_custom_vjp_array_result():
    r = rng(33)
    x, m = r.standard_normal(4), r.standard_normal((4, 4))
    expected = to_numpy(jax.grad(j_normalized_energy)(x, m))
    assert_close(dp.grad(normalized_energy)(x, m), expected)
    # the pullback of the array-valued custom function itself
    u = r.standard_normal(4)
    value, back = dp.vjp(safe_normalize, x)
    j_value, j_back = jax.vjp(j_safe_normalize, x)
    assert_close(value, to_numpy(j_value))
    assert_close(back(u), to_numpy(j_back(u)))


@pytest.mark.parametrize("x", [0.4, -1.1])
def test_custom_vjp_under_grad_of_grad(x):
    assert_close(dp.grad(dp.grad(cube))(x), float(jax.grad(jax.grad(j_cube))(x)))
    assert_close(dp.grad(dp.grad(cube_chain))(x), float(jax.grad(jax.grad(j_cube_chain))(x)))


def test_custom_vjp_under_hessian():
    r = rng(34)
    x, m = r.standard_normal(4), r.standard_normal((4, 4))
    assert_close(dp.hessian(normalized_energy)(x, m), to_numpy(jax.hessian(j_normalized_energy)(x, m)))
    assert_close(dp.hessian(cube_chain)(0.3), float(jax.hessian(j_cube_chain)(0.3)))


def test_custom_vjp_called_from_a_helper():
    x, y = 0.6, -0.8
    expected = to_numpy(jax.grad(j_calls_helper, argnums=(0, 1))(x, y))
    assert_close(dp.grad(calls_helper, argnums=(0, 1))(x, y), expected)


def _calls_grad_of_custom(x):
    return dp.grad(scaled_sin)(x) * x


def _j_calls_grad_of_custom(x):
    return jax.grad(j_scaled_sin)(x) * x


def test_custom_vjp_gradient_inside_compiled_code():
    x = 0.9
    assert_close(dp.compile(_calls_grad_of_custom)(x), float(_j_calls_grad_of_custom(x)))
    assert_close(dp.grad(_calls_grad_of_custom)(x), float(jax.grad(_j_calls_grad_of_custom)(x)))


# ==================================================================================================
# Tests: custom_jvp
# ==================================================================================================


def test_log1pexp_point_needs_the_rule():
    """The oracle's premise (holds today): at |x| = 1000 the naive gradient is NaN, JAX's rule is not."""
    with np.errstate(over="ignore", invalid="ignore"):
        naive = dp.grad(naive_log1pexp_sum)(EXTREME)
    assert np.isnan(naive[-1])
    assert not np.any(np.isnan(np.asarray(jax.grad(j_log1pexp_sum)(EXTREME))))


def test_log1pexp_custom_jvp_gradient():
    expected = to_numpy(jax.grad(j_log1pexp_sum)(EXTREME))
    with np.errstate(over="ignore"):
        got = dp.grad(log1pexp_sum)(EXTREME)
    assert not np.any(np.isnan(got))
    assert_close(got, expected)
    assert got[-1] == 1.0 and got[0] == 0.0


def test_log1pexp_custom_jvp_forward_mode():
    v = rng(35).standard_normal(EXTREME.shape)
    expected = to_numpy(jax.jvp(j_log1pexp, (EXTREME,), (v,)))
    with np.errstate(over="ignore"):
        value, tangent = dp.jvp(log1pexp, (EXTREME,), (v,))
    assert not np.any(np.isnan(tangent))
    assert_close((value, tangent), expected)
    assert_close(dp.jacobian(log1pexp, mode="fwd")(MODERATE), to_numpy(jax.jacfwd(j_log1pexp)(MODERATE)))
    assert_close(dp.jacobian(log1pexp, mode="rev")(MODERATE), to_numpy(jax.jacrev(j_log1pexp)(MODERATE)))


def test_log1pexp_custom_jvp_under_hessian():
    """Forward over reverse through the rule: the Hessian is diag(sigmoid'(x)), from the rule."""
    assert_close(dp.hessian(log1pexp_sum)(MODERATE), to_numpy(jax.hessian(j_log1pexp_sum)(MODERATE)))
    v = rng(36).standard_normal(MODERATE.shape)
    expected = to_numpy(jax.jvp(jax.grad(j_log1pexp_sum), (MODERATE,), (v,)))
    assert_close(dp.jvp(dp.grad(log1pexp_sum), (MODERATE,), (v,)), expected)


@pytest.mark.parametrize("x", [0.3, -2.0])
def test_custom_jvp_decorator_rule_is_used(x):
    assert dp.compile(twice_sin)(x) == math.sin(x)
    assert_close(dp.jvp(twice_sin, (x,), (1.0,)), (math.sin(x), 2.0 * math.cos(x)))
    assert_close(dp.grad(twice_sin)(x), float(jax.grad(j_twice_sin)(x)))


@pytest.mark.parametrize("x", [0.3, -2.0])
def test_custom_jvp_under_grad_of_grad(x):
    expected = float(jax.grad(jax.grad(j_twice_sin))(x))
    assert expected == pytest.approx(-2.0 * math.sin(x), rel=1e-14)
    assert_close(dp.grad(dp.grad(twice_sin))(x), expected)
    assert_close(dp.hessian(twice_sin)(x), float(jax.hessian(j_twice_sin)(x)))
    assert_close(dp.grad(dp.grad(dp.grad(twice_sin)))(x), float(jax.grad(jax.grad(jax.grad(j_twice_sin)))(x)))


@pytest.mark.parametrize("x, n", [(0.4, 3), (1.5, 6)])
def test_custom_jvp_in_a_loop(x, n):
    assert_close(dp.grad(twice_sin_loop)(x, n), float(jax.grad(j_twice_sin_loop)(x, n)))
    expected = to_numpy(jax.jvp(lambda y: j_twice_sin_loop(y, n), (x,), (1.0,)))
    assert_close(dp.jvp(twice_sin_loop, (x, n), (1.0, 0)), expected)
    assert_close(dp.grad(dp.grad(twice_sin_loop))(x, n), float(jax.grad(jax.grad(j_twice_sin_loop))(x, n)))


def test_custom_jvp_two_arguments_defjvp_call():
    """The rule is linear in the tangents but not the primal's derivative; reverse mode must
    transpose it (as JAX does), forward mode apply it."""
    x, w = 0.8, -1.3
    assert_close(dp.grad(weighted, argnums=(0, 1))(x, w), to_numpy(jax.grad(j_weighted, argnums=(0, 1))(x, w)))
    assert dp.grad(weighted, argnums=(0, 1))(2.0, 3.0) == (3.0, 4.0)
    expected = to_numpy(jax.grad(j_weighted_model, argnums=(0, 1))(x, w))
    assert_close(dp.grad(weighted_model, argnums=(0, 1))(x, w), expected)
    expected = to_numpy(jax.jvp(j_weighted_model, (x, w), (0.5, -0.25)))
    assert_close(dp.jvp(weighted_model, (x, w), (0.5, -0.25)), expected)
    expected = to_numpy(jax.hessian(j_weighted_model, argnums=(0, 1))(x, w))
    assert_close(dp.hessian(weighted_model, argnums=(0, 1))(x, w), expected)


# ==================================================================================================
# Errors: typed dp errors where JAX raises
# ==================================================================================================


def _assert_typed(error: BaseException, *names: str) -> None:
    """A dp error (not a bug report), at a line of this file, naming one of `names`."""
    assert isinstance(error, dp.DpError), f"{type(error).__name__} is not a dp.DpError: {error}"
    assert not isinstance(error, dp.InternalCompilerError), f"an internal error: {error}"
    assert error.located, f"the error names no source line: {error}"
    assert error.filename == HERE, f"the error points at {error.filename}, not at the test's code"
    assert any(name in str(error) for name in names), f"the error names none of {names}: {error}"


# -- bwd returning a bare value where a tuple (one entry per argument) is due -------------------


@dp.custom_vjp
def pair_product(a, b):
    return a * b


def pair_product_fwd(a, b):
    return a * b, (a, b)


def pair_product_bwd_bare(residuals, g):
    a, b = residuals
    return g * b


pair_product.defvjp(pair_product_fwd, pair_product_bwd_bare)


@jax.custom_vjp
def j_pair_product_bare(a, b):
    return a * b


j_pair_product_bare.defvjp(lambda a, b: (a * b, (a, b)), lambda r, g: g * r[1])


def test_bwd_returning_a_bare_value_is_a_typed_error():
    with pytest.raises(TypeError, match="bwd rule must produce"):
        jax.grad(j_pair_product_bare)(2.0, 3.0)
    with pytest.raises(dp.DpError) as info:
        dp.grad(pair_product, argnums=(0, 1))(2.0, 3.0)
    _assert_typed(info.value, "pair_product")


# -- bwd returning a tuple of the wrong length ----------------------------------------------


@dp.custom_vjp
def short_bwd(a, b):
    return a * b


def short_bwd_fwd(a, b):
    return a * b, (a, b)


def short_bwd_bwd(residuals, g):
    a, b = residuals
    return (g * b,)


short_bwd.defvjp(short_bwd_fwd, short_bwd_bwd)


@jax.custom_vjp
def j_short_bwd(a, b):
    return a * b


j_short_bwd.defvjp(lambda a, b: (a * b, (a, b)), lambda r, g: (g * r[1],))


def _uses_short_bwd(x):
    return short_bwd(x, 2.0) + x


def test_bwd_returning_too_few_cotangents_is_a_typed_error():
    with pytest.raises(TypeError, match="bwd rule must produce"):
        jax.grad(j_short_bwd)(2.0, 3.0)
    with pytest.raises(dp.DpError) as info:
        dp.grad(short_bwd)(2.0, 3.0)
    _assert_typed(info.value, "short_bwd")
    # also when the custom function is called inside another compiled function
    with pytest.raises(dp.DpError) as info:
        dp.grad(_uses_short_bwd)(2.0)
    _assert_typed(info.value, "short_bwd")


# -- bwd returning an array of the wrong shape ----------------------------------------------


@dp.custom_vjp
def wrong_shape(x):
    return np.sum(x * x)


def wrong_shape_fwd(x):
    return np.sum(x * x), x


def wrong_shape_bwd(x, g):
    return (2.0 * g * x[:2],)


wrong_shape.defvjp(wrong_shape_fwd, wrong_shape_bwd)


@jax.custom_vjp
def j_wrong_shape(x):
    return jnp.sum(x * x)


j_wrong_shape.defvjp(lambda x: (jnp.sum(x * x), x), lambda x, g: (2.0 * g * x[:2],))


def test_bwd_returning_the_wrong_shape_is_a_typed_error():
    x = np.array([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="bwd rule must produce an output with the same type"):
        jax.grad(j_wrong_shape)(x)
    with pytest.raises(dp.DpError) as info:
        dp.grad(wrong_shape)(x)
    _assert_typed(info.value, "wrong_shape")


# -- bwd returning a float where the argument is an array -----------------------------------


@dp.custom_vjp
def scalar_for_array(x):
    return np.sum(x)


def scalar_for_array_fwd(x):
    return np.sum(x), None


def scalar_for_array_bwd(_, g):
    return (g,)


scalar_for_array.defvjp(scalar_for_array_fwd, scalar_for_array_bwd)


def test_bwd_returning_a_float_for_an_array_is_a_typed_error():
    with pytest.raises(dp.DpError) as info:
        dp.grad(scalar_for_array)(np.ones(3))
    _assert_typed(info.value, "scalar_for_array")


# -- fwd returning no (output, residuals) pair ----------------------------------------------


@dp.custom_vjp
def no_pair(x):
    return math.sin(x)


def no_pair_fwd(x):
    return math.sin(x)


def no_pair_bwd(residuals, g):
    return (g,)


no_pair.defvjp(no_pair_fwd, no_pair_bwd)


@jax.custom_vjp
def j_no_pair(x):
    return jnp.sin(x)


j_no_pair.defvjp(lambda x: jnp.sin(x), lambda r, g: (g,))


def test_fwd_returning_no_pair_is_a_typed_error():
    with pytest.raises(TypeError, match="fwd rule .* must produce a pair"):
        jax.grad(j_no_pair)(1.0)
    with pytest.raises(dp.DpError) as info:
        dp.grad(no_pair)(1.0)
    _assert_typed(info.value, "no_pair")


# -- a custom_vjp without defvjp ------------------------------------------------------------


@dp.custom_vjp
def no_rule(x):
    return x * x


@jax.custom_vjp
def j_no_rule(x):
    return x * x


def test_custom_vjp_without_defvjp_is_a_typed_error():
    with pytest.raises(AttributeError, match="No VJP defined"):
        jax.grad(j_no_rule)(1.0)
    assert dp.compile(no_rule)(3.0) == 9.0  # calling it is fine
    with pytest.raises(dp.DpError) as info:
        dp.grad(no_rule)(3.0)
    _assert_typed(info.value, "no_rule")


# -- forward mode of a custom_vjp function ---------------------------------------------------


def _sin_model(x):
    return my_sin(x) * x


def test_custom_vjp_under_forward_mode_is_a_typed_error():
    """JAX: "can't apply forward-mode autodiff (jvp) to a custom_vjp function"."""
    with pytest.raises(TypeError, match="custom_vjp"):
        jax.jvp(j_my_sin, (1.0,), (1.0,))
    with pytest.raises(TypeError, match="custom_vjp"):
        jax.jacfwd(j_my_sin)(1.0)
    with pytest.raises(dp.DpError, match="custom_vjp") as info:
        dp.jvp(my_sin, (1.0,), (1.0,))
    _assert_typed(info.value, "my_sin")
    with pytest.raises(dp.DpError, match="custom_vjp") as info:
        dp.jvp(_sin_model, (1.0,), (1.0,))
    _assert_typed(info.value, "my_sin")
    with pytest.raises(dp.DpError, match="custom_vjp") as info:
        dp.jacobian(_sin_model, mode="fwd")(1.0)
    _assert_typed(info.value, "my_sin")


# -- custom_jvp rules returning the wrong things ---------------------------------------------


@dp.custom_jvp
def jvp_wrong_shape(x):
    return math.sin(x)


@jvp_wrong_shape.defjvp
def jvp_wrong_shape_rule(primals, tangents):
    (x,) = primals
    (dx,) = tangents
    return math.sin(x), np.ones(3) * dx


@dp.custom_jvp
def jvp_no_pair(x):
    return math.sin(x)


@jvp_no_pair.defjvp
def jvp_no_pair_rule(primals, tangents):
    (x,) = primals
    return math.sin(x)


@jax.custom_jvp
def j_jvp_wrong_shape(x):
    return jnp.sin(x)


@j_jvp_wrong_shape.defjvp
def _j_jvp_wrong_shape_rule(primals, tangents):
    return jnp.sin(primals[0]), jnp.ones(3) * tangents[0]


@jax.custom_jvp
def j_jvp_no_pair(x):
    return jnp.sin(x)


@j_jvp_no_pair.defjvp
def _j_jvp_no_pair_rule(primals, tangents):
    return jnp.sin(primals[0])


def test_custom_jvp_tangent_of_the_wrong_shape_is_a_typed_error():
    with pytest.raises(TypeError, match="corresponding shapes"):
        jax.jvp(j_jvp_wrong_shape, (1.0,), (1.0,))
    with pytest.raises(dp.DpError) as info:
        dp.jvp(jvp_wrong_shape, (1.0,), (1.0,))
    _assert_typed(info.value, "jvp_wrong_shape")
    with pytest.raises(dp.DpError) as info:
        dp.grad(jvp_wrong_shape)(1.0)
    _assert_typed(info.value, "jvp_wrong_shape")


def test_custom_jvp_rule_returning_no_pair_is_a_typed_error():
    with pytest.raises(TypeError, match="must produce a pair"):
        jax.jvp(j_jvp_no_pair, (1.0,), (1.0,))
    with pytest.raises(dp.DpError) as info:
        dp.jvp(jvp_no_pair, (1.0,), (1.0,))
    _assert_typed(info.value, "jvp_no_pair")
