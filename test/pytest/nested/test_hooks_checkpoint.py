"""dp.hook and dp.checkpoint.

- dp.hook(fn, x): the identity forward; in the reverse sweep fn is applied to x's cotangent
  (Zygote's `hook`). Its JAX twin is a jax.custom_vjp (harness.jax_hook). The seed's
  `hook(-, a) * b` at (2, 3) has gradient (-3, 2); a printing hook prints the cotangent 3,
  once, from the reverse sweep (compiled code prints through C stdio: capfd, not capsys); in a
  loop the hooks run in reverse order. A hook that changes the cotangent's type or shape is a
  typed dp error.
- dp.checkpoint(f): the same values and derivatives as f (the reverse sweep recomputes f's
  forward instead of taping it), against jax.checkpoint and against the program without it:
  a loop body as a decorator and inline, a body with a while loop, segments of a long loop,
  under grad-of-grad, dp.hessian and forward mode.

Hook functions are module-level (lambdas bound to names): dp compiles calls of function
values, not lambda expressions inside compiled code.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import dp

from .harness import assert_close, jax_hook, rng, to_numpy

HERE = __file__

# ==================================================================================================
# dp.hook
# ==================================================================================================

negate = lambda t: -t  # noqa: E731  (Zygote's `hook(-, a)`)
halve = lambda t: 0.5 * t  # noqa: E731
clip_unit = lambda g: np.clip(g, -1.0, 1.0)  # noqa: E731


def show(a_bar):
    """Zygote's `ā -> @show(ā)`: prints the cotangent and passes it on."""
    print("ā =", a_bar)
    return a_bar


def product(a, b):
    return a * b


def hooked_product(a, b):
    return dp.hook(negate, a) * b


def shown_product(a, b):
    return dp.hook(show, a) * b


def test_hook_reverses_the_gradient_of_a():
    expected = to_numpy(jax.grad(lambda a, b: jax_hook(negate, a) * b, argnums=(0, 1))(2.0, 3.0))
    assert expected == (-3.0, 2.0)
    assert dp.grad(product, argnums=(0, 1))(2.0, 3.0) == (3.0, 2.0)
    assert dp.grad(hooked_product, argnums=(0, 1))(2.0, 3.0) == (-3.0, 2.0)
    assert dp.value_and_grad(hooked_product, argnums=(0, 1))(2.0, 3.0) == (6.0, (-3.0, 2.0))
    value, back = dp.vjp(hooked_product, 2.0, 3.0)
    assert value == 6.0
    assert back(1.0) == (-3.0, 2.0)
    assert back(2.0) == (-6.0, 4.0)


def test_hook_is_the_identity_forward():
    assert dp.compile(hooked_product)(2.0, 3.0) == 6.0
    assert dp.compile(shown_product)(2.0, 3.0) == 6.0


def test_printing_hook_prints_the_cotangent_once(capfd):
    capfd.readouterr()
    grads = dp.grad(shown_product, argnums=(0, 1))(2.0, 3.0)
    out = capfd.readouterr().out
    assert grads == (3.0, 2.0)
    assert out == "ā = 3.0\n"


def test_printing_hook_does_not_print_in_the_forward_sweep(capfd):
    capfd.readouterr()
    assert dp.compile(shown_product)(2.0, 3.0) == 6.0
    assert capfd.readouterr().out == ""
    value, back = dp.vjp(shown_product, 2.0, 3.0)
    assert capfd.readouterr().out == ""
    assert back(1.0) == (3.0, 2.0)
    assert capfd.readouterr().out == "ā = 3.0\n"
    assert back(-2.0) == (-6.0, -4.0)
    assert capfd.readouterr().out == "ā = -6.0\n"


def shown_loop(x, n):
    for i in range(n):
        x = dp.hook(show, x) * 2.0
    return x


def test_printing_hooks_in_a_loop_run_in_reverse_order(capfd):
    capfd.readouterr()
    assert dp.grad(shown_loop)(1.0, 3) == 8.0
    assert capfd.readouterr().out == "ā = 2.0\nā = 4.0\nā = 8.0\n"


def damped_loop(x, n):
    for i in range(n):
        x = math.sin(dp.hook(halve, x)) + 0.5 * x
    return x


def j_damped_loop(x, n):
    for i in range(n):
        x = jnp.sin(jax_hook(halve, x)) + 0.5 * x
    return x


@pytest.mark.parametrize("x, n", [(0.7, 1), (0.7, 5), (-1.3, 3)])
def test_hook_in_a_loop(x, n):
    expected = float(jax.grad(j_damped_loop)(x, n))
    assert_close(dp.grad(damped_loop)(x, n), expected)
    assert_close(dp.compile(damped_loop)(x, n), float(j_damped_loop(x, n)))


def clipped_layer(w, x):
    h = dp.hook(clip_unit, np.tanh(w @ x))
    return np.sum(h * h * 5.0)


def j_clipped_layer(w, x):
    h = jax_hook(clip_unit, jnp.tanh(w @ x))
    return jnp.sum(h * h * 5.0)


def test_hook_on_an_array():
    r = rng(41)
    w, x = r.standard_normal((4, 3)), r.standard_normal(3)
    expected = to_numpy(jax.grad(j_clipped_layer, argnums=(0, 1))(w, x))
    assert_close(dp.grad(clipped_layer, argnums=(0, 1))(w, x), expected)
    # the hook clips (else the test would not tell it from the identity)
    unhooked = to_numpy(jax.grad(lambda w_, x_: jnp.sum(jnp.tanh(w_ @ x_) ** 2 * 5.0))(w, x))
    assert np.max(np.abs(unhooked - expected[0])) > 1e-3


def hooked_cube(a):
    return dp.hook(negate, a) * a * a


def j_hooked_cube(a):
    return jax_hook(negate, a) * a * a


@pytest.mark.parametrize("a", [1.5, -0.4])
def test_hook_under_grad_of_grad(a):
    """The inner reverse sweep negates a cotangent that depends on a; the outer derivative
    differentiates through it, as JAX does with the custom_vjp twin."""
    assert_close(dp.grad(hooked_cube)(a), float(jax.grad(j_hooked_cube)(a)))
    assert_close(dp.grad(dp.grad(hooked_cube))(a), float(jax.grad(jax.grad(j_hooked_cube))(a)))


def _assert_typed(error: BaseException) -> None:
    assert isinstance(error, dp.DpError), f"{type(error).__name__} is not a dp.DpError: {error}"
    assert not isinstance(error, dp.InternalCompilerError), f"an internal error: {error}"
    assert error.located, f"the error names no source line: {error}"
    assert error.filename == HERE, f"the error points at {error.filename}, not at the test's code"


to_pair = lambda t: (t, t)  # noqa: E731
to_vector = lambda t: np.ones(3) * t  # noqa: E731
drop_one = lambda g: g[:2]  # noqa: E731


def hook_to_pair(a):
    return dp.hook(to_pair, a) * 2.0


def hook_to_vector(a):
    return dp.hook(to_vector, a) * 2.0


def hook_drop_one(x):
    return np.sum(dp.hook(drop_one, x) * 2.0)


def test_hook_changing_the_cotangent_type_is_a_typed_error():
    """A float's cotangent turned into a pair or an array (JAX rejects both; it accepts an int,
    which it promotes, so that case is not tested)."""
    for fn in (to_pair, to_vector):
        with pytest.raises((TypeError, ValueError)):
            jax.grad(lambda a: jax_hook(fn, a) * 2.0)(1.0)
    with pytest.raises(dp.DpError) as info:
        dp.grad(hook_to_pair)(1.0)
    _assert_typed(info.value)
    with pytest.raises(dp.DpError) as info:
        dp.grad(hook_to_vector)(1.0)
    _assert_typed(info.value)


def test_hook_changing_the_cotangent_shape_is_a_typed_error():
    with pytest.raises(ValueError):
        jax.grad(lambda x: jnp.sum(jax_hook(drop_one, x) * 2.0))(np.ones(3))
    with pytest.raises(dp.DpError) as info:
        dp.grad(hook_drop_one)(np.ones(3))
    _assert_typed(info.value)


# ==================================================================================================
# dp.checkpoint
# ==================================================================================================


def step(x, w):
    return np.tanh(w @ x) * 0.9 + 0.1 * x


@dp.checkpoint
def checkpointed_step(x, w):
    return np.tanh(w @ x) * 0.9 + 0.1 * x


def j_step(x, w):
    return jnp.tanh(w @ x) * 0.9 + 0.1 * x


def run_plain(x, w, n):
    for i in range(n):
        x = step(x, w)
    return np.sum(x * x)


def run_checkpointed(x, w, n):
    for i in range(n):
        x = checkpointed_step(x, w)
    return np.sum(x * x)


def run_inline(x, w, n):
    for i in range(n):
        x = dp.checkpoint(step)(x, w)
    return np.sum(x * x)


def j_run_checkpointed(x, w, n):
    body = jax.checkpoint(j_step)
    for i in range(n):
        x = body(x, w)
    return jnp.sum(x * x)


def _loop_args():
    r = rng(42)
    return r.standard_normal(4), r.standard_normal((4, 4)) * 0.7, 6


@pytest.mark.parametrize("fn", [run_checkpointed, run_inline], ids=["decorator", "inline"])
def test_checkpoint_loop_body_same_gradient(fn):
    x, w, n = _loop_args()
    expected = to_numpy(jax.grad(j_run_checkpointed, argnums=(0, 1))(x, w, n))
    plain = dp.grad(run_plain, argnums=(0, 1))(x, w, n)
    assert_close(plain, expected)
    got = dp.grad(fn, argnums=(0, 1))(x, w, n)
    assert_close(got, expected)
    assert_close(got, plain, rtol=1e-13)
    assert_close(dp.compile(fn)(x, w, n), dp.compile(run_plain)(x, w, n), rtol=1e-15)


def test_checkpoint_pullback_called_twice():
    x, w, n = _loop_args()
    value, back = dp.vjp(run_checkpointed, x, w, n)
    j_value, j_back = jax.vjp(lambda x_, w_: j_run_checkpointed(x_, w_, n), x, w)
    assert_close(value, float(j_value))
    assert_close(back(1.0), to_numpy(j_back(1.0)) + (None,))
    assert_close(back(-3.0), to_numpy(j_back(-3.0)) + (None,))


def test_checkpointed_function_itself():
    x, w, _ = _loop_args()
    u = rng(43).standard_normal(4)
    value, back = dp.vjp(checkpointed_step, x, w)
    j_value, j_back = jax.vjp(jax.checkpoint(j_step), x, w)
    assert_close(value, to_numpy(j_value))
    assert_close(back(u), to_numpy(j_back(u)))


@dp.checkpoint
def grow(x, c):
    """A checkpointed function with a data-dependent while loop: its recomputation must take
    the same trip count."""
    y = x
    while y < 3.0:
        y = y * 1.2 + c * math.sin(y)
    return y


def j_grow(x, c):
    y = x
    while y < 3.0:
        y = y * 1.2 + c * jnp.sin(y)
    return y


def run_grow(x, c, n):
    s = 0.0
    for i in range(n):
        s = s + grow(x + 0.1 * i, c) * math.cos(x)
    return s


def _grow_plain(x, c):
    y = x
    while y < 3.0:
        y = y * 1.2 + c * math.sin(y)
    return y


def run_grow_plain(x, c, n):
    s = 0.0
    for i in range(n):
        s = s + _grow_plain(x + 0.1 * i, c) * math.cos(x)
    return s


def j_run_grow(x, c, n):
    # jax.checkpoint traces its function abstractly, which a Python while on values does not
    # survive; checkpointing changes no derivative, so the twin runs without it.
    s = 0.0
    for i in range(n):
        s = s + j_grow(x + 0.1 * i, c) * jnp.cos(x)
    return s


@pytest.mark.parametrize("x", [0.4, 1.1])
def test_checkpoint_with_a_while_loop_inside(x):
    expected = to_numpy(jax.grad(j_run_grow, argnums=(0, 1))(x, 0.3, 4))
    plain = dp.grad(run_grow_plain, argnums=(0, 1))(x, 0.3, 4)
    assert_close(plain, expected)
    got = dp.grad(run_grow, argnums=(0, 1))(x, 0.3, 4)
    assert_close(got, expected)
    assert_close(got, plain, rtol=1e-13)
    assert_close(dp.grad(dp.grad(run_grow))(x, 0.3, 4), float(jax.grad(jax.grad(j_run_grow))(x, 0.3, 4)))


@dp.checkpoint
def segment(x, w, k):
    for i in range(k):
        x = np.tanh(w @ x) * 0.9 + 0.1 * x
    return x


def run_segments(x, w, segments, k):
    """The sqrt(N) scheme written by hand: N = segments * k steps, one checkpoint per segment."""
    for s in range(segments):
        x = segment(x, w, k)
    return np.sum(x * x)


def test_checkpointed_segments_same_gradient_as_the_plain_loop():
    x, w, _ = _loop_args()
    expected = dp.grad(run_plain, argnums=(0, 1))(x, w, 12)
    assert_close(dp.grad(run_segments, argnums=(0, 1))(x, w, 4, 3), expected, rtol=1e-13)
    j_expected = to_numpy(jax.grad(j_run_checkpointed, argnums=(0, 1))(x, w, 12))
    assert_close(dp.grad(run_segments, argnums=(0, 1))(x, w, 4, 3), j_expected)


@dp.checkpoint
def scalar_body(y, x):
    return math.sin(y) * x + math.cos(x * y)


def j_scalar_body(y, x):
    return jnp.sin(y) * x + jnp.cos(x * y)


def scalar_run(x, n):
    y = x
    for i in range(n):
        y = scalar_body(y, x)
    return y


def j_scalar_run(x, n):
    body = jax.checkpoint(j_scalar_body)
    y = x
    for i in range(n):
        y = body(y, x)
    return y


@pytest.mark.parametrize("x", [0.3, 1.2])
def test_checkpoint_under_grad_of_grad(x):
    n = 5
    assert_close(dp.grad(scalar_run)(x, n), float(jax.grad(j_scalar_run)(x, n)))
    assert_close(dp.grad(dp.grad(scalar_run))(x, n), float(jax.grad(jax.grad(j_scalar_run))(x, n)))
    assert_close(
        dp.grad(dp.grad(dp.grad(scalar_run)))(x, n), float(jax.grad(jax.grad(jax.grad(j_scalar_run)))(x, n)), rtol=1e-9
    )


def test_checkpoint_under_hessian_and_forward_mode():
    x, w, n = _loop_args()
    assert_close(dp.hessian(run_checkpointed)(x, w, n), to_numpy(jax.hessian(j_run_checkpointed)(x, w, n)))
    v = rng(44).standard_normal(4)
    expected = to_numpy(jax.jvp(lambda x_: j_run_checkpointed(x_, w, n), (x,), (v,)))
    assert_close(dp.jvp(run_checkpointed, (x, w, n), (v, np.zeros_like(w), 0)), expected)
    expected_hvp = to_numpy(jax.jvp(lambda x_: jax.grad(j_run_checkpointed)(x_, w, n), (x,), (v,)))
    assert_close(dp.jvp(dp.grad(run_checkpointed), (x, w, n), (v, np.zeros_like(w), 0)), expected_hvp)


def checkpointed_gradient_penalty(w, x):
    """A checkpointed function whose body takes a gradient itself."""
    gx = dp.checkpoint(_inner_gradient)(w, x)
    return np.sum(gx * gx)


def _inner_gradient(w, x):
    return dp.grad(_net, argnums=1)(w, x)


def _net(w, x):
    return np.sum(np.tanh(w @ x))


def j_checkpointed_gradient_penalty(w, x):
    gx = jax.checkpoint(jax.grad(lambda w_, x_: jnp.sum(jnp.tanh(w_ @ x_)), argnums=1))(w, x)
    return jnp.sum(gx * gx)


def test_checkpoint_of_a_gradient():
    r = rng(45)
    w, x = r.standard_normal((3, 4)), r.standard_normal(4)
    expected = to_numpy(jax.grad(j_checkpointed_gradient_penalty)(w, x))
    assert_close(dp.grad(checkpointed_gradient_penalty)(w, x), expected, rtol=1e-9)
