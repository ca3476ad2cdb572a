"""Keyword arguments and static arguments of dp.compile and the transforms, checked against JAX.

Keyword arguments are runtime values, never differentiated (one compilation
serves every value); static arguments (static_argnums / static_argnames) are
compile-time constants, one compilation per value, that reach the functions
they are passed to. Every derivative is compared with JAX's in float64.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import dp
from dp import api, transforms

jax.config.update("jax_enable_x64", True)


@pytest.fixture
def compilations(monkeypatch):
    """Counts the specializations dp compiles (or loads) from here on."""
    count = [0]

    def counting(real):
        def compile_specialization(*args, **kwargs):
            count[0] += 1
            return real(*args, **kwargs)

        return compile_specialization

    monkeypatch.setattr(transforms, "compile_specialization", counting(transforms.compile_specialization))
    monkeypatch.setattr(api, "compile_specialization", counting(api.compile_specialization))
    return count


def close(actual, expected) -> None:
    """Equal to rounding, leaf by leaf through tuples and lists."""
    if isinstance(expected, (tuple, list)):
        assert isinstance(actual, (tuple, list)) and len(actual) == len(expected)
        for a, e in zip(actual, expected):
            close(a, e)
        return
    np.testing.assert_allclose(np.asarray(actual), np.asarray(expected), rtol=1e-12, atol=1e-14)


# -- keyword arguments -------------------------------------------------------------------------------------------


def power(a, x, scale=1.0):
    return a * x**3 * scale


def jax_power(a, x, scale=1.0):
    return a * x**3 * scale


@pytest.mark.parametrize("scale", [0.5, 2.0, -3.0])
def test_keyword_arguments_are_not_differentiated(scale):
    expected = jax.grad(jax_power, argnums=(0, 1))(3.0, 2.0, scale=scale)
    close(dp.grad(power, argnums=(0, 1))(3.0, 2.0, scale=scale), expected)
    value, grads = dp.value_and_grad(power, argnums=(0, 1))(3.0, 2.0, scale=scale)
    close(value, jax_power(3.0, 2.0, scale))
    close(grads, expected)
    reverse = dp.jacobian(power, argnums=(0, 1))(3.0, 2.0, scale=scale)
    close(reverse, jax.jacrev(jax_power, argnums=(0, 1))(3.0, 2.0, scale))
    forward = dp.jacobian(power, argnums=(0, 1), mode="fwd")(3.0, 2.0, scale=scale)
    close(forward, jax.jacfwd(jax_power, argnums=(0, 1))(3.0, 2.0, scale))


def test_float_keywords_are_runtime_values(compilations):
    gradient = dp.grad(power, argnums=1)
    compiled = dp.compile(power)
    for scale in (0.5, 1.5, 2.5, 4.0):
        close(gradient(3.0, 2.0, scale=scale), jax.grad(jax_power, argnums=1)(3.0, 2.0, scale))
        close(compiled(3.0, 2.0, scale=scale), jax_power(3.0, 2.0, scale))
    assert compilations[0] == 2  # one for the gradient, one for the function, whatever the scale


def test_a_keyword_and_a_positional_argument_give_the_same_values():
    compiled = dp.compile(power)
    assert compiled(3.0, 2.0, scale=2.0) == compiled(3.0, 2.0, 2.0) == 48.0
    assert compiled(3.0, 2.0) == 24.0  # the default again, after the keyword call
    value, grads = dp.compile(power, grad=True)(3.0, 2.0, scale=2.0)
    close(value, 48.0)
    close(grads, jax.grad(jax_power, argnums=(0, 1))(3.0, 2.0, 2.0))  # the keyword gets no gradient


def weighted(x, w, bias=0.0, *, offset=0.0):
    return np.sum(np.tanh(x * w) + bias) + offset


def jax_weighted(x, w, bias=0.0, offset=0.0):
    return jnp.sum(jnp.tanh(x * w) + bias) + offset


def test_array_keywords_skipped_defaults_and_keyword_only_arguments():
    x, w = np.linspace(-1.0, 1.0, 4), np.array([0.5, -1.0, 2.0, 0.25])
    expected = jax.grad(jax_weighted)(x, w, 0.0, 1.5)
    close(dp.grad(weighted)(x, w=w, offset=1.5), expected)  # w by keyword, bias left at its default
    close(dp.grad(weighted)(x, offset=1.5, w=w), expected)  # keywords in any order
    value, grad = dp.value_and_grad(weighted)(x, w, bias=0.25)
    close(value, jax_weighted(x, w, 0.25))
    close(grad, jax.grad(jax_weighted)(x, w, 0.25))


def test_keywords_of_forward_and_reverse_mode_through_partials():
    x = np.array([0.3, -0.7, 1.1])
    w = np.array([1.0, 2.0, -0.5])
    tangent = np.array([1.0, -2.0, 0.5])
    fn = functools.partial(weighted, w=w, bias=0.5)
    value, out = dp.jvp(fn, (x,), (tangent,))
    expected_value, expected_out = jax.jvp(lambda x: jax_weighted(x, w, 0.5), (x,), (tangent,))
    close(value, expected_value)
    close(out, expected_out)
    value, pullback = dp.vjp(fn, x)
    expected_value, expected_pullback = jax.vjp(lambda x: jax_weighted(x, w, 0.5), x)
    close(value, expected_value)
    close(pullback(2.0)[0], expected_pullback(2.0)[0])
    assert len(pullback(2.0)) == 1  # no gradient for the partial's keywords


def repeat(x, n=1):
    r = 1.0
    while n > 0:
        r = r * x
        n -= 1
    return r


@pytest.mark.parametrize("n", [1, 3, 6])
def test_an_int_keyword_is_a_runtime_loop_bound(n):
    close(dp.grad(repeat)(1.3, n=n), jax.grad(lambda x: x**n)(1.3))
    close(dp.compile(repeat)(1.3, n=n), 1.3**n)


def test_argnums_count_the_positional_arguments_as_in_jax():
    with pytest.raises(dp.TypeMismatchError, match="argnums 1 is out of range"):
        dp.grad(power, argnums=1)(3.0, x=2.0)


def select(x, mode="add"):
    return x + 1.0 if mode == "add" else x * 10.0


def test_string_keywords_stay_compile_time_constants():
    assert dp.grad(select)(2.0, mode="mul") == 10.0
    assert dp.grad(select)(2.0, mode="add") == 1.0


# -- static arguments --------------------------------------------------------------------------------------------


def prefix_sum(x, d):
    return np.sum(x[: d - 1] * np.arange(d - 1))


def calls_prefix_sum(x, d):
    return prefix_sum(x, d)


def jax_prefix_sum(x, d):
    return jnp.sum(x[: d - 1] * jnp.arange(d - 1))


@pytest.mark.parametrize("d", [2, 4, 6])
def test_a_static_argument_reaches_the_callee(d):
    x = np.linspace(0.5, 2.5, 6)
    expected = jax.grad(jax_prefix_sum)(x, d)
    close(dp.grad(calls_prefix_sum, static_argnums=1)(x, d), expected)
    close(dp.grad(calls_prefix_sum, static_argnames="d")(x, d=d), expected)  # by name, passed by keyword
    close(dp.grad(calls_prefix_sum, static_argnames="d")(x, d), expected)  # by name, passed by position
    close(dp.grad(calls_prefix_sum, static_argnums=-1)(x, d=d), expected)  # by position, passed by keyword
    value, grad = dp.value_and_grad(calls_prefix_sum, static_argnums=(1,))(x, d)
    close(value, jax_prefix_sum(x, d))
    close(grad, expected)
    close(dp.compile(calls_prefix_sum, static_argnums=1)(x, d), jax_prefix_sum(x, d))


def test_each_static_value_is_one_specialization(compilations):
    gradient = dp.grad(calls_prefix_sum, static_argnums=1)
    x = np.linspace(0.5, 2.5, 6)
    for d in (3, 4, 3, 5, 4):
        close(gradient(x, d), jax.grad(jax_prefix_sum)(x, d))
    assert compilations[0] == 3


def scalar_power(x, n):
    return x**n


def test_scalar_calls_with_static_arguments_select_their_specialization():
    # Scalar calls may skip Python (the native fast path): a static argument must still select its specialization.
    gradient = dp.grad(scalar_power, static_argnums=1)
    compiled = dp.compile(scalar_power, static_argnums=1)
    for n in (3, 4, 3, 2, 4):
        close(gradient(2.0, n), jax.grad(scalar_power)(2.0, n))
        close(compiled(1.5, n), 1.5**n)


def block_sum(x, shape, scale):
    return np.sum(np.reshape(x, shape) ** 2 * scale)


def jax_block_sum(x, shape, scale):
    return jnp.sum(jnp.reshape(x, shape) ** 2 * scale)


def test_static_tuples_and_floats():
    x = np.arange(6.0)
    for shape, scale in (((2, 3), 0.5), ((3, 2), 2.0)):
        expected = jax.grad(jax_block_sum)(x, shape, scale)
        close(dp.grad(block_sum, static_argnums=(1, 2))(x, shape, scale), expected)
        close(dp.jacobian(block_sum, static_argnames=("shape", "scale"))(x, shape=shape, scale=scale), expected)


def count_down(x, d):
    n = d
    total = 0.0
    while n > 0:  # a loop carrying a variable that starts as the static value
        total = total + x[n - 1] * n
        n -= 1
    return total + two_levels(x, d)


def two_levels(x, d):
    return one_level(x, d - 1) if d > 1 else 0.0


def one_level(x, k):
    out = np.sum(x[:k] * np.arange(k))  # k = d - 1, computed from the static d by the caller
    for i in range(k):
        out = out + x[i] * k
    return out


def jax_count_down(x, d):
    total = sum(x[n - 1] * n for n in range(d, 0, -1))
    k = d - 1
    extra = jnp.sum(x[:k] * jnp.arange(k)) + sum(x[i] * k for i in range(k)) if d > 1 else 0.0
    return total + extra


@pytest.mark.parametrize("d", [1, 3, 4])
def test_static_values_through_loops_and_nested_callees(d):
    x = np.array([0.5, -1.0, 2.0, 3.0])
    close(dp.grad(count_down, static_argnums=1)(x, d), jax.grad(jax_count_down)(x, d))
    forward = dp.jacobian(count_down, static_argnums=1, mode="fwd")(x, d)
    close(forward, jax.jacfwd(jax_count_down)(x, d))


def pick(x, flag):
    if flag:
        return x * x
    return (x, 2.0 * x)


def test_a_static_bool_may_change_the_result_type():
    compiled = dp.compile(pick, static_argnums=1)
    assert compiled(3.0, True) == 9.0
    assert compiled(3.0, False) == (3.0, 6.0)
    close(dp.grad(pick, static_argnums=1)(3.0, True), 6.0)


def static_default(x, d=3, *, e=2):
    return np.sum(x[:d] * np.arange(d)) * e


def jax_static_default(x, d=3, e=2):
    return jnp.sum(x[:d] * jnp.arange(d)) * e


def test_static_defaults_and_keyword_only_static_arguments():
    x = np.linspace(1.0, 2.0, 5)
    gradient = dp.grad(static_default, static_argnames=("d", "e"))
    close(gradient(x), jax.grad(jax_static_default)(x))
    close(gradient(x, 4, e=3), jax.grad(jax_static_default)(x, 4, 3))
    close(gradient(x, e=5), jax.grad(jax_static_default)(x, 3, 5))


def test_static_arguments_of_partials_count_the_callers_arguments():
    x = np.linspace(0.5, 2.5, 6)
    fn = functools.partial(block_sum, x)  # the partial binds x; the caller passes shape and scale
    value, grads = dp.compile(fn, grad=True, static_argnums=0)((3, 2), 1.5)
    close(value, jax_block_sum(x, (3, 2), 1.5))
    assert grads[0] == (None, None)  # static: no gradient, in the structure of the argument
    close(grads[1], jax.grad(jax_block_sum, argnums=2)(x, (3, 2), 1.5))


def test_static_arguments_in_the_imported_ir():
    text = dp.lower(calls_prefix_sum, np.ones(5), 4, static_argnums=1)
    assert "func.func @calls_prefix_sum(%arg0: tensor<5xf64>" in text  # d is no argument
    assert "tensor.extract_slice %arg0[0] [3] [1]" in text  # x[: d - 1] with d = 4, in the callee
    assert dp.compile(calls_prefix_sum, static_argnums=1).lower(np.ones(5), 4) == text


# -- errors ------------------------------------------------------------------------------------------------------


def test_an_unhashable_static_argument_is_a_typed_error():
    with pytest.raises(dp.StaticArgumentError, match="must be hashable") as info:
        dp.grad(block_sum, static_argnums=(1, 2))(np.arange(6.0), [2, 3], 1.0)
    assert isinstance(info.value, ValueError)  # as JAX's
    with pytest.raises(dp.StaticArgumentError, match="'shape' .* must be hashable"):
        dp.compile(block_sum, static_argnames="shape")(np.arange(6.0), shape=[2, 3], scale=1.0)


def test_static_argnums_out_of_range_are_typed_errors_at_the_users_line():
    with pytest.raises(dp.StaticArgumentError, match=r"static_argnums=2, but scalar_power\(\) takes only 2") as info:
        dp.grad(scalar_power, static_argnums=2)  # out of range
    assert f"{__file__}:" in str(info.value) and "# out of range" in str(info.value)
    with pytest.raises(dp.StaticArgumentError, match="static_argnums"):
        dp.compile(scalar_power, static_argnums=-3)
    with pytest.raises(dp.StaticArgumentError, match="static_argnums"):
        dp.jacobian(functools.partial(scalar_power, 2.0), static_argnums=1)  # the partial binds x
    with pytest.raises(dp.StaticArgumentError, match=r"static_argnames \['m'\]"):
        dp.value_and_grad(scalar_power, static_argnames="m")


def test_a_static_argument_is_not_differentiated():
    with pytest.raises(dp.StaticArgumentError, match="argument 1, which is static"):
        dp.grad(scalar_power, argnums=(0, 1), static_argnums=1)(2.0, 3)


def test_malformed_static_options_are_type_errors():
    with pytest.raises(TypeError, match="static_argnums"):
        dp.grad(scalar_power, static_argnums="n")
    with pytest.raises(TypeError, match="static_argnames"):
        dp.compile(scalar_power, static_argnames=1)
    with pytest.raises(dp.StaticArgumentError, match="pass them to the transform"):
        dp.compile(dp.grad(scalar_power), static_argnums=1)
