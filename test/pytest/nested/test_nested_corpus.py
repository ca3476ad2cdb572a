"""The nested-differentiation corpus: derivatives of derivatives, checked against JAX in float64.

Every program is plain Python/numpy in the subset dp compiles today (math-module scalars,
numpy arrays with elementwise ops, reductions and products, for loops, data-dependent while
loops, branches, calls of helpers, int arguments held as data), with a hand-written
jax.numpy twin. JAX runs eagerly, so the twins keep the programs' Python control flow and
take the same path (see harness.py). Checked:

- scalar programs: dp.grad(dp.grad(f)) (and dp.hessian, dp.value_and_grad(dp.grad(f)), a
  third order on some) against jax.grad(jax.grad(twin)), and against Richardson central
  differences of the first derivative dp computes today;
- array programs: dp.hessian(f) against jax.hessian, Hessian-vector products
  dp.jvp(dp.grad(f), ...) against jax.jvp(jax.grad(twin), ...), dp.jacobian(dp.grad(f),
  mode="fwd") against jax.jacfwd(jax.grad(twin)), dp.vjp(dp.grad(f), ...) against jax.vjp,
  and the Hessian against central differences of dp.grad;
- programs that call dp.grad / dp.jvp / dp.vjp / dp.value_and_grad / dp.jacobian /
  dp.hessian inside the function dp compiles (the seeds' `x * grad(f, x)`), differentiated
  again, against the same program written with JAX's transforms;
- gradient penalties: the gradient with respect to weights of ||grad_x f(W, x)||^2
  (reverse over reverse), for array W and x;
- the seeds' `pow` by a `while` loop: dp.grad(dp.grad(pow))(5.0, 3) == 30.0 exactly.
"""

from __future__ import annotations

import math
from typing import Any, Callable, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import dp

from .harness import (
    RTOL,
    assert_close,
    assert_fd_close,
    bind_data,
    directional_fd,
    is_float_arg,
    jacobian_fd,
    richardson,
    rng,
    to_numpy,
    zero_tangent,
)


class Program(NamedTuple):
    name: str
    fn: Callable[..., Any]
    twin: Callable[..., Any]
    # one or more argument tuples (test points); argument 0 is the one differentiated
    points: tuple[tuple, ...]
    # whether a third derivative is checked too (scalar programs)
    third: bool = False


def _ids(programs):
    return [p.name for p in programs]


def _cases(programs):
    """(program, point) pairs for parametrize, with readable ids."""
    return [
        pytest.param(p, point, id=p.name if len(p.points) == 1 else f"{p.name}-{k}")
        for p in programs
        for k, point in enumerate(p.points)
    ]


# ==================================================================================================
# Scalar programs: f(x, *data) -> float
# ==================================================================================================


def cubic(x):
    return x * x * x - 2.0 * x * x + 0.5 * x


def sin_exp(x):
    return math.sin(x) * math.exp(0.5 * x)


def sin_exp_twin(x):
    return jnp.sin(x) * jnp.exp(0.5 * x)


def log_sqrt(x):
    return math.log(1.0 + x * x) + math.sqrt(x * x + 2.0)


def log_sqrt_twin(x):
    return jnp.log(1.0 + x * x) + jnp.sqrt(x * x + 2.0)


def tanh_tanh(x):
    return math.tanh(2.0 * math.tanh(x))


def tanh_tanh_twin(x):
    return jnp.tanh(2.0 * jnp.tanh(x))


def rational_atan(x):
    return x / (1.0 + x * x) + math.atan(x)


def rational_atan_twin(x):
    return x / (1.0 + x * x) + jnp.arctan(x)


def pow_while(x, n):
    """The seeds' pow: a while loop whose trip count is the int argument."""
    r = 1.0
    while n > 0:
        n -= 1
        r *= x
    return r


def sin_loop(x, n):
    y = x
    for i in range(n):
        y = math.sin(y) + 0.5 * x
    return y


def sin_loop_twin(x, n):
    y = x
    for i in range(n):
        y = jnp.sin(y) + 0.5 * x
    return y


def grow_until(x):
    """A while loop whose trip count depends on the value of x."""
    y = x
    while y < 10.0:
        y = y * 1.5 + math.cos(y)
    return y * x


def grow_until_twin(x):
    y = x
    while y < 10.0:
        y = y * 1.5 + jnp.cos(y)
    return y * x


def branchy(x):
    if x > 0.5:
        return x**3 / 3.0
    else:
        return math.cos(x) * x


def branchy_twin(x):
    if x > 0.5:
        return x**3 / 3.0
    else:
        return jnp.cos(x) * x


def _square_plus(y, c):
    return y * y + c


def _damp(y):
    return y / (1.0 + abs(y))


def helpers(x, n):
    """Calls of helper functions, one of them in a loop."""
    y = x
    for i in range(n):
        y = _damp(_square_plus(y, x))
    return y + _square_plus(x, 1.0)


def loop_branch(x, n):
    y = x
    for i in range(n):
        if y > 1.0:
            y = math.sqrt(y) + 0.1 * x
        else:
            y = y * y + x
    return y


def loop_branch_twin(x, n):
    y = x
    for i in range(n):
        if y > 1.0:
            y = jnp.sqrt(y) + 0.1 * x
        else:
            y = y * y + x
    return y


def newton_sqrt(a):
    """Newton's iteration for sqrt(a) until converged: a data-dependent trip count."""
    x = a
    while abs(x * x - a) > 1e-12 * a:
        x = 0.5 * (x + a / x)
    return x * math.sin(a)


def newton_sqrt_twin(a):
    x = a
    while abs(x * x - a) > 1e-12 * a:
        x = 0.5 * (x + a / x)
    return x * jnp.sin(a)


def hypot_expm1(x):
    return math.hypot(x, 1.0) * math.expm1(x) + math.log1p(x * x)


def hypot_expm1_twin(x):
    return jnp.hypot(x, 1.0) * jnp.expm1(x) + jnp.log1p(x * x)


def scaled(x, c):
    """A float argument that is not differentiated (argnums=0)."""
    return c * math.sin(c * x) + x**4


def scaled_twin(x, c):
    return c * jnp.sin(c * x) + x**4


def int_power(x, n):
    """x ** n with an int exponent held in a variable."""
    return x**n + 2.0 * x ** (n - 1)


def break_loop(x, n):
    y = x
    for i in range(n):
        if y > 5.0:
            break
        y = y * 1.5 + math.sin(y)
    return y * y


def break_loop_twin(x, n):
    y = x
    for i in range(n):
        if y > 5.0:
            break
        y = y * 1.5 + jnp.sin(y)
    return y * y


def exp_while(x):
    """A while loop with an int counter and a float condition; the counter enters the result."""
    k = 0
    s = 0.0
    term = 1.0
    while abs(term) > 1e-17:
        s += term
        k += 1
        term = term * x / k
    return s + 0.0 * k


SCALAR = [
    Program("cubic", cubic, cubic, ((0.7,), (-1.3,)), third=True),
    Program("sin_exp", sin_exp, sin_exp_twin, ((0.4,), (-2.1,)), third=True),
    Program("log_sqrt", log_sqrt, log_sqrt_twin, ((0.8,),)),
    Program("tanh_tanh", tanh_tanh, tanh_tanh_twin, ((0.3,),)),
    Program("rational_atan", rational_atan, rational_atan_twin, ((1.7,),)),
    Program("pow_while", pow_while, pow_while, ((5.0, 3), (1.3, 7), (-0.7, 4), (2.0, 0)), third=True),
    Program("sin_loop", sin_loop, sin_loop_twin, ((0.9, 5),), third=True),
    Program("grow_until", grow_until, grow_until_twin, ((0.8,), (2.3,)), third=True),
    Program("branchy", branchy, branchy_twin, ((1.2,), (-0.4,))),
    Program("helpers", helpers, helpers, ((0.6, 4),)),
    Program("loop_branch", loop_branch, loop_branch_twin, ((0.7, 6), (1.5, 6))),
    Program("newton_sqrt", newton_sqrt, newton_sqrt_twin, ((2.0,), (10.0,))),
    Program("hypot_expm1", hypot_expm1, hypot_expm1_twin, ((0.3,),)),
    Program("scaled", scaled, scaled_twin, ((0.6, 1.7),)),
    Program("int_power", int_power, int_power, ((1.7, 5), (-1.1, 3))),
    Program("break_loop", break_loop, break_loop_twin, ((0.5, 10), (0.5, 2))),
    Program("exp_while", exp_while, exp_while, ((0.7,), (-1.9,)), third=True),
]

THIRD = [p for p in SCALAR if p.third]


@pytest.mark.parametrize("program, args", _cases(SCALAR))
def test_scalar_twin_matches_python(program, args):
    """The oracle first: the JAX twin computes what the Python program computes."""
    np.testing.assert_allclose(float(program.twin(*args)), program.fn(*args), rtol=1e-13)


@pytest.mark.parametrize("program, args", _cases(SCALAR))
def test_grad_of_grad(program, args):
    expected = to_numpy(jax.grad(jax.grad(program.twin))(*args))
    got = dp.grad(dp.grad(program.fn))(*args)
    assert isinstance(got, float), f"expected a float, got {type(got).__name__} {got!r}"
    assert_close(got, expected)


@pytest.mark.parametrize("program, args", _cases(SCALAR))
def test_grad_of_grad_against_central_differences(program, args):
    """Independent of JAX: the second derivative against differences of the first, which
    dp.grad computes today (single level)."""
    first = dp.grad(program.fn)
    expected = richardson(lambda x: first(x, *args[1:]), args[0])
    assert_fd_close(dp.grad(dp.grad(program.fn))(*args), float(expected))


@pytest.mark.parametrize("program, args", _cases(THIRD))
def test_third_order(program, args):
    expected = to_numpy(jax.grad(jax.grad(jax.grad(program.twin)))(*args))
    assert_close(dp.grad(dp.grad(dp.grad(program.fn)))(*args), expected, rtol=1e-9)


@pytest.mark.parametrize("program, args", _cases(SCALAR))
def test_scalar_hessian(program, args):
    """dp.hessian of a float function of a float is a float, as jax.hessian's 0-d array."""
    expected = to_numpy(jax.hessian(program.twin)(*args))
    got = dp.hessian(program.fn)(*args)
    assert isinstance(got, float), f"expected a float, got {type(got).__name__} {got!r}"
    assert_close(got, expected)


@pytest.mark.parametrize("program, args", _cases(SCALAR))
def test_value_and_grad_of_grad(program, args):
    expected = to_numpy(jax.value_and_grad(jax.grad(program.twin))(*args))
    assert_close(dp.value_and_grad(dp.grad(program.fn))(*args), expected)


@pytest.mark.parametrize("program, args", _cases(SCALAR[:8]))
def test_scalar_jvp_of_grad(program, args):
    """Forward over reverse on a scalar: (f'(x), f''(x) v)."""
    v = 0.75
    tangents = (v,) + tuple(zero_tangent(a) for a in args[1:])
    expected = to_numpy(jax.jvp(lambda x: jax.grad(program.twin)(x, *args[1:]), (args[0],), (v,)))
    assert_close(dp.jvp(dp.grad(program.fn), args, tangents), expected)


def test_pow_while_second_derivative_is_exactly_30():
    """The issue's example, through the data-dependent while loop: d^2/dx^2 x^3 at 5 = 30."""
    assert dp.grad(dp.grad(pow_while))(5.0, 3) == 30.0
    assert dp.grad(dp.grad(dp.grad(pow_while)))(5.0, 3) == 6.0
    assert dp.grad(dp.grad(dp.grad(dp.grad(pow_while))))(5.0, 3) == 0.0
    assert dp.hessian(pow_while)(5.0, 3) == 30.0
    assert dp.value_and_grad(dp.grad(pow_while))(5.0, 3) == (75.0, 30.0)
    assert dp.jvp(dp.grad(pow_while), (5.0, 3), (1.0, 0)) == (75.0, 30.0)
    assert dp.jacobian(dp.grad(pow_while), mode="fwd")(5.0, 3) == 30.0
    assert dp.jacobian(dp.grad(pow_while), mode="rev")(5.0, 3) == 30.0
    value, back = dp.vjp(dp.grad(pow_while), 5.0, 3)
    assert value == 75.0
    assert back(1.0) == (30.0, None)
    assert back(2.0) == (60.0, None)
    assert dp.compile(dp.grad(dp.grad(pow_while)))(5.0, 3) == 30.0


def mixed(x, y):
    return x * x * y + math.sin(x * y)


def mixed_twin(x, y):
    return x * x * y + jnp.sin(x * y)


def test_mixed_partials_and_two_argument_hessian():
    x, y = 0.7, -1.3
    expected_xy = float(jax.grad(jax.grad(mixed_twin, argnums=1), argnums=0)(x, y))
    assert_close(dp.grad(dp.grad(mixed, argnums=1), argnums=0)(x, y), expected_xy)
    expected_yx = float(jax.grad(jax.grad(mixed_twin, argnums=0), argnums=1)(x, y))
    assert_close(dp.grad(dp.grad(mixed, argnums=0), argnums=1)(x, y), expected_yx)
    # the gradient with respect to both, differentiated with respect to both: a 2 x 2 Hessian
    expected = to_numpy(jax.hessian(mixed_twin, argnums=(0, 1))(x, y))
    assert_close(dp.hessian(mixed, argnums=(0, 1))(x, y), expected)
    assert_close(dp.jacobian(dp.grad(mixed, argnums=(0, 1)), argnums=(0, 1), mode="fwd")(x, y), expected)


# ==================================================================================================
# Array programs: f(x, *data) -> float, x an array
# ==================================================================================================


def quad_sin(x, m):
    return 0.5 * (x @ (m @ x)) + np.sum(np.sin(x))


def quad_sin_twin(x, m):
    return 0.5 * (x @ (m @ x)) + jnp.sum(jnp.sin(x))


def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def rosenbrock_twin(x):
    return jnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def logsumexp(x):
    return np.log(np.sum(np.exp(x)))


def logsumexp_twin(x):
    return jnp.log(jnp.sum(jnp.exp(x)))


def tanh_loop(x, w, n):
    """A loop over matrix-vector products: the Hessian of a function with a loop."""
    y = x
    for i in range(n):
        y = np.tanh(w @ y) + 0.5 * x
    return np.sum(y * y)


def tanh_loop_twin(x, w, n):
    y = x
    for i in range(n):
        y = jnp.tanh(w @ y) + 0.5 * x
    return jnp.sum(y * y)


def index_loop(x):
    s = 0.0
    for i in range(x.shape[0] - 1):
        s += x[i] * x[i + 1] ** 2 + math.sin(x[i])
    return s


def index_loop_twin(x):
    s = 0.0
    for i in range(x.shape[0] - 1):
        s += x[i] * x[i + 1] ** 2 + jnp.sin(x[i])
    return s


def while_rescale(x):
    """Rescale until the norm is large: the trip count depends on x."""
    y = x
    while np.sum(y * y) < 50.0:
        y = y * 1.3 + 0.1 * np.sin(y)
    return np.sum(np.cos(y)) + np.sum(y * x)


def while_rescale_twin(x):
    y = x
    while jnp.sum(y * y) < 50.0:
        y = y * 1.3 + 0.1 * jnp.sin(y)
    return jnp.sum(jnp.cos(y)) + jnp.sum(y * x)


def softplus(x):
    return np.sum(np.log1p(np.exp(x)))


def softplus_twin(x):
    return jnp.sum(jnp.log1p(jnp.exp(x)))


def norm_power(x):
    return np.dot(x, x) ** 1.5 / (1.0 + np.sum(x * x * x) ** 2)


def norm_power_twin(x):
    return jnp.dot(x, x) ** 1.5 / (1.0 + jnp.sum(x * x * x) ** 2)


def matrix_input(xm, w):
    """A rank-2 argument: the Hessian has shape x.shape + x.shape = (3, 2, 3, 2)."""
    return np.sum(np.tanh(xm @ w)) + 0.5 * np.sum(xm * xm * xm)


def matrix_input_twin(xm, w):
    return jnp.sum(jnp.tanh(xm @ w)) + 0.5 * jnp.sum(xm * xm * xm)


def branch_sum(x):
    if np.sum(x) > 0.0:
        return np.sum(x**3)
    else:
        return np.sum(np.exp(x) * x)


def branch_sum_twin(x):
    if jnp.sum(x) > 0.0:
        return jnp.sum(x**3)
    else:
        return jnp.sum(jnp.exp(x) * x)


def _pair(a, b):
    return 1.0 / (1.0 + (a - b) ** 2)


def pair_energy(x):
    """Nested index loops calling a helper on pairs of elements."""
    s = 0.0
    n = x.shape[0]
    for i in range(n):
        for j in range(i + 1, n):
            s += _pair(x[i], x[j])
    return s


def product_log(x, n):
    """An int argument bounds the loop over the elements."""
    p = 1.0
    for i in range(n):
        p = p * (1.0 + x[i] * x[i])
    return math.log(p)


def product_log_twin(x, n):
    p = 1.0
    for i in range(n):
        p = p * (1.0 + x[i] * x[i])
    return jnp.log(p)


def gmm_small(x, mus, s, w):
    """A mixture's log density at x: log-sum-exp of scaled quadratic forms."""
    inner = -0.5 * np.sum(((x - mus) * s) ** 2, axis=1) + np.log(w)
    return np.log(np.sum(np.exp(inner)))


def gmm_small_twin(x, mus, s, w):
    inner = -0.5 * jnp.sum(((x - mus) * s) ** 2, axis=1) + jnp.log(w)
    return jnp.log(jnp.sum(jnp.exp(inner)))


def recurrence(x):
    """In-place updates of a local array in a loop."""
    n = x.shape[0]
    y = np.zeros(n)
    y[0] = x[0]
    for i in range(1, n):
        y[i] = y[i - 1] * math.cos(x[i]) + x[i]
    return np.sum(y * y)


def recurrence_twin(x):
    n = x.shape[0]
    y = jnp.zeros(n)
    y = y.at[0].set(x[0])
    for i in range(1, n):
        y = y.at[i].set(y[i - 1] * jnp.cos(x[i]) + x[i])
    return jnp.sum(y * y)


_r = rng(11)
_M = _r.standard_normal((4, 4))
_W = _r.standard_normal((4, 4)) * 0.6
_MUS = _r.standard_normal((3, 2))
_S = _r.uniform(0.5, 1.5, (3, 2))
_WEIGHTS = np.array([0.2, 0.5, 0.3])

ARRAY = [
    Program("quad_sin", quad_sin, quad_sin_twin, ((_r.standard_normal(4), _M),)),
    Program("rosenbrock", rosenbrock, rosenbrock_twin, ((_r.uniform(-1.0, 1.5, 5),),)),
    Program("logsumexp", logsumexp, logsumexp_twin, ((_r.standard_normal(5),),)),
    Program("tanh_loop", tanh_loop, tanh_loop_twin, ((_r.standard_normal(4), _W, 3),)),
    Program("index_loop", index_loop, index_loop_twin, ((_r.standard_normal(5),),)),
    Program("while_rescale", while_rescale, while_rescale_twin, ((_r.uniform(0.2, 1.0, 4),),)),
    Program("softplus", softplus, softplus_twin, ((_r.standard_normal(5) * 3.0,),)),
    Program("norm_power", norm_power, norm_power_twin, ((_r.uniform(0.3, 1.0, 3),),)),
    Program("matrix_input", matrix_input, matrix_input_twin, ((_r.standard_normal((3, 2)), _r.standard_normal(2)),)),
    Program(
        "branch_sum",
        branch_sum,
        branch_sum_twin,
        ((np.array([0.5, 1.2, -0.3]),), (np.array([-0.5, -1.2, 0.3]),)),
    ),
    Program("pair_energy", pair_energy, pair_energy, ((_r.standard_normal(4),),)),
    Program("product_log", product_log, product_log_twin, ((_r.standard_normal(5), 4),)),
    Program("gmm_small", gmm_small, gmm_small_twin, ((_r.standard_normal(2), _MUS, _S, _WEIGHTS),)),
    Program("recurrence", recurrence, recurrence_twin, ((_r.standard_normal(5),),)),
]


def _jax_data_bound(program: Program, args: tuple) -> Callable:
    """The twin as a function of its float arguments only (the ints fixed), and their positions."""
    floats = [i for i, a in enumerate(args) if is_float_arg(a)]
    return bind_data(program.twin, args, floats), floats


@pytest.mark.parametrize("program, args", _cases(ARRAY))
def test_array_twin_matches_python(program, args):
    np.testing.assert_allclose(float(program.twin(*args)), program.fn(*args), rtol=1e-13)


@pytest.mark.parametrize("program, args", _cases(ARRAY))
def test_hessian(program, args):
    expected = to_numpy(jax.hessian(program.twin)(*args))
    got = dp.hessian(program.fn)(*args)
    assert isinstance(got, np.ndarray), f"expected an ndarray, got {type(got).__name__}"
    assert got.shape == args[0].shape + args[0].shape
    assert_close(got, expected)


@pytest.mark.parametrize("program, args", _cases(ARRAY))
def test_hessian_against_central_differences(program, args):
    """Independent of JAX: the Hessian against differences of dp.grad (single level, today)."""
    first = dp.grad(program.fn)
    expected = jacobian_fd(lambda x: first(x, *args[1:]), args[0])
    assert_fd_close(dp.hessian(program.fn)(*args), expected)


@pytest.mark.parametrize("program, args", _cases(ARRAY))
def test_hessian_vector_product(program, args):
    """Forward over reverse: dp.jvp(dp.grad(f)) -> (grad f(x), H v)."""
    x = args[0]
    v = rng(3).standard_normal(x.shape)
    tangents = (v,) + tuple(zero_tangent(a) for a in args[1:])
    expected = to_numpy(jax.jvp(lambda x_: jax.grad(program.twin)(x_, *args[1:]), (x,), (v,)))
    grad_value, hvp = dp.jvp(dp.grad(program.fn), args, tangents)
    assert_close((grad_value, hvp), expected)
    # and the dot-product test against the Hessian JAX computes: <u, H v> = <H u, v>
    u = rng(4).standard_normal(x.shape)
    _, hu = dp.jvp(dp.grad(program.fn), args, (u,) + tangents[1:])
    np.testing.assert_allclose(np.sum(u * hvp), np.sum(hu * v), rtol=1e-10)


@pytest.mark.parametrize("program, args", _cases(ARRAY))
def test_hessian_vector_product_against_central_differences(program, args):
    x = args[0]
    v = rng(5).standard_normal(x.shape)
    first = dp.grad(program.fn)
    expected = directional_fd(lambda y: first(y, *args[1:]), x, v)
    tangents = (v,) + tuple(zero_tangent(a) for a in args[1:])
    assert_fd_close(dp.jvp(dp.grad(program.fn), args, tangents)[1], expected)


@pytest.mark.parametrize("program, args", _cases(ARRAY))
def test_jacfwd_of_grad(program, args):
    expected = to_numpy(jax.jacfwd(jax.grad(program.twin))(*args))
    assert_close(dp.jacobian(dp.grad(program.fn), mode="fwd")(*args), expected)


@pytest.mark.parametrize("program, args", _cases(ARRAY[:6]))
def test_jacrev_of_grad(program, args):
    expected = to_numpy(jax.jacrev(jax.grad(program.twin))(*args))
    assert_close(dp.jacobian(dp.grad(program.fn), mode="rev")(*args), expected)


@pytest.mark.parametrize("program, args", _cases(ARRAY))
def test_vjp_of_grad(program, args):
    """The pullback of the gradient: H u for x, and the mixed second derivatives for the
    other float arguments; None for ints."""
    bound, floats = _jax_data_bound(program, args)
    grad_of_bound = jax.grad(bound)
    value, back = jax.vjp(grad_of_bound, *[args[i] for i in floats])
    u = rng(6).standard_normal(args[0].shape)
    jax_cotangents = iter(to_numpy(back(u)))
    expected = tuple(next(jax_cotangents) if i in floats else None for i in range(len(args)))
    got_value, pullback = dp.vjp(dp.grad(program.fn), *args)
    assert_close(got_value, to_numpy(value))
    assert_close(pullback(u), expected)
    assert_close(pullback(2.0 * u), tuple(None if e is None else 2.0 * e for e in expected))


# ==================================================================================================
# Programs that call a transform inside the function dp compiles
# ==================================================================================================


def _sin_x(x):
    return math.sin(x) * x


def _sin_x_twin(x):
    return jnp.sin(x) * x


def x_times_grad(x):
    """The seeds' `x -> x * grad(f, x)`."""
    return x * dp.grad(_sin_x)(x)


def x_times_grad_twin(x):
    return x * jax.grad(_sin_x_twin)(x)


def grad_squared(x):
    """The square of a derivative through a while loop (with an int argument)."""
    return dp.grad(pow_while)(x, 3) ** 2 + pow_while(x, 2)


def grad_squared_twin(x):
    return jax.grad(pow_while)(x, 3) ** 2 + pow_while(x, 2)


def jvp_inside(x):
    """Forward mode inside reverse mode (the seeds' forwarddiff inside gradient)."""
    value, tangent = dp.jvp(sin_exp, (x,), (1.0,))
    return tangent * math.cos(x) + value


def jvp_inside_twin(x):
    value, tangent = jax.jvp(sin_exp_twin, (x,), (1.0,))
    return tangent * jnp.cos(x) + value


def value_and_grad_inside(x):
    value, slope = dp.value_and_grad(log_sqrt)(x)
    return value * slope


def value_and_grad_inside_twin(x):
    value, slope = jax.value_and_grad(log_sqrt_twin)(x)
    return value * slope


def array_grad_dot(x):
    return np.sum(dp.grad(softplus)(x) * x)


def array_grad_dot_twin(x):
    return jnp.sum(jax.grad(softplus_twin)(x) * x)


def vjp_inside(x):
    """A pullback called inside compiled code; its result is a tuple with one gradient."""
    y, back = dp.vjp(tanh_tanh, x)
    gx = back(2.0)[0]
    return y * gx


def vjp_inside_twin(x):
    y, back = jax.vjp(tanh_tanh_twin, x)
    gx = back(2.0)[0]
    return y * gx


def _vector_fn(x):
    return np.sin(x) * np.sum(x * x)


def _vector_fn_twin(x):
    return jnp.sin(x) * jnp.sum(x * x)


def jacobian_inside(x, m):
    return np.sum(dp.jacobian(_vector_fn, mode="fwd")(x) * m)


def jacobian_inside_twin(x, m):
    return jnp.sum(jax.jacfwd(_vector_fn_twin)(x) * m)


def _quartic(x):
    return 0.25 * x**4 - x + 0.1 * math.sin(3.0 * x)


def _quartic_twin(x):
    return 0.25 * x**4 - x + 0.1 * jnp.sin(3.0 * x)


def gradient_steps(lr, x0, n):
    """Gradient descent in a loop, differentiated with respect to the step size and the start
    (meta-learning: the outer derivative goes through every inner gradient)."""
    x = x0
    for i in range(n):
        x = x - lr * dp.grad(_quartic)(x)
    return _quartic(x)


def gradient_steps_twin(lr, x0, n):
    x = x0
    for i in range(n):
        x = x - lr * jax.grad(_quartic_twin)(x)
    return _quartic_twin(x)


def _objective(x, a):
    return math.cosh(x - a) + 0.1 * x**4


def _objective_twin(x, a):
    return jnp.cosh(x - a) + 0.1 * x**4


def newton_argmin(a, n):
    """Newton's method with dp.grad and dp.hessian inside; its derivative with respect to a
    is the implicit-function derivative of the argmin (third order in all)."""
    x = 0.0
    for i in range(n):
        x = x - dp.grad(_objective)(x, a) / dp.hessian(_objective)(x, a)
    return x


def newton_argmin_twin(a, n):
    x = 0.0
    for i in range(n):
        x = x - jax.grad(_objective_twin)(x, a) / jax.hessian(_objective_twin)(x, a)
    return x


def hessian_inside(x, m):
    return np.sum(dp.hessian(rosenbrock)(x) * m)


def hessian_inside_twin(x, m):
    return jnp.sum(jax.hessian(rosenbrock_twin)(x) * m)


def grad_in_while(x):
    """A derivative in a while loop's condition: the trip count depends on it."""
    y = x
    while dp.grad(cubic)(y) < 20.0:
        y = y + 0.5
    return y * y * math.sin(x)


def grad_in_while_twin(x):
    y = x
    while jax.grad(cubic)(y) < 20.0:
        y = y + 0.5
    return y * y * jnp.sin(x)


class Inner(NamedTuple):
    name: str
    fn: Callable[..., Any]
    twin: Callable[..., Any]
    args: tuple
    argnums: Any = 0


INNER = [
    Inner("x_times_grad", x_times_grad, x_times_grad_twin, (0.7,)),
    Inner("grad_squared", grad_squared, grad_squared_twin, (1.3,)),
    Inner("jvp_inside", jvp_inside, jvp_inside_twin, (0.4,)),
    Inner("value_and_grad_inside", value_and_grad_inside, value_and_grad_inside_twin, (0.8,)),
    Inner("array_grad_dot", array_grad_dot, array_grad_dot_twin, (rng(7).standard_normal(4),)),
    Inner("vjp_inside", vjp_inside, vjp_inside_twin, (0.3,)),
    Inner(
        "jacobian_inside",
        jacobian_inside,
        jacobian_inside_twin,
        (rng(8).standard_normal(3), rng(9).standard_normal((3, 3))),
    ),
    Inner("gradient_steps", gradient_steps, gradient_steps_twin, (0.1, 0.3, 6), (0, 1)),
    Inner("newton_argmin", newton_argmin, newton_argmin_twin, (0.8, 8)),
    Inner(
        "hessian_inside",
        hessian_inside,
        hessian_inside_twin,
        (rng(10).uniform(-1.0, 1.5, 4), rng(12).standard_normal((4, 4))),
    ),
    Inner("grad_in_while", grad_in_while, grad_in_while_twin, (0.6,)),
]


@pytest.mark.parametrize("program", INNER, ids=_ids(INNER))
def test_inner_transform_primal(program):
    """The program's value, with the transform inside compiled code, against JAX's twin."""
    assert_close(dp.compile(program.fn)(*program.args), to_numpy(program.twin(*program.args)))


@pytest.mark.parametrize("program", INNER, ids=_ids(INNER))
def test_grad_of_inner_transform(program):
    expected = to_numpy(jax.grad(program.twin, argnums=program.argnums)(*program.args))
    assert_close(dp.grad(program.fn, argnums=program.argnums)(*program.args), expected, rtol=1e-9)


@pytest.mark.parametrize("program", INNER, ids=_ids(INNER))
def test_grad_of_inner_transform_against_central_differences(program):
    """The outer derivative along argument 0 against differences of the compiled primal."""
    compiled = dp.compile(program.fn)
    x, rest = program.args[0], program.args[1:]
    if isinstance(x, np.ndarray):
        v = rng(13).standard_normal(x.shape)
        expected = directional_fd(lambda y: compiled(y, *rest), x, v)
        got = np.sum(dp.grad(program.fn)(*program.args) * v)
    else:
        expected = richardson(lambda y: compiled(y, *rest), x)
        got = dp.grad(program.fn)(*program.args)
    assert_fd_close(float(got), float(expected))


# ==================================================================================================
# Gradient penalties: d/dW ||grad_x f(W, x)||^2, reverse over reverse
# ==================================================================================================


def _tanh_net(w, x):
    return np.sum(np.tanh(w @ x))


def _tanh_net_twin(w, x):
    return jnp.sum(jnp.tanh(w @ x))


def penalty_linear_tanh(w, x):
    gx = dp.grad(_tanh_net, argnums=1)(w, x)
    return np.sum(gx * gx)


def penalty_linear_tanh_twin(w, x):
    gx = jax.grad(_tanh_net_twin, argnums=1)(w, x)
    return jnp.sum(gx * gx)


def _mlp(w1, b1, w2, x):
    return np.dot(w2, np.tanh(w1 @ x + b1))


def _mlp_twin(w1, b1, w2, x):
    return jnp.dot(w2, jnp.tanh(w1 @ x + b1))


def penalty_mlp(w1, b1, w2, x):
    """A tiny tanh MLP; the penalty's gradient with respect to all its weights."""
    gx = dp.grad(_mlp, argnums=3)(w1, b1, w2, x)
    return np.sum(gx * gx)


def penalty_mlp_twin(w1, b1, w2, x):
    gx = jax.grad(_mlp_twin, argnums=3)(w1, b1, w2, x)
    return jnp.sum(gx * gx)


def _rnn(w, u, x, n):
    h = np.zeros(w.shape[0])
    for t in range(n):
        h = np.tanh(w @ h + u @ x)
    return np.sum(h * h)


def _rnn_twin(w, u, x, n):
    h = jnp.zeros(w.shape[0])
    for t in range(n):
        h = jnp.tanh(w @ h + u @ x)
    return jnp.sum(h * h)


def penalty_rnn(w, u, x, n):
    """The inner gradient goes through a loop (an int trip count)."""
    gx = dp.grad(_rnn, argnums=2)(w, u, x, n)
    return np.sum(gx * gx)


def penalty_rnn_twin(w, u, x, n):
    gx = jax.grad(_rnn_twin, argnums=2)(w, u, x, n)
    return jnp.sum(gx * gx)


def _batch_net(w, v, xb):
    return np.sum(np.tanh(xb @ w) @ v)


def _batch_net_twin(w, v, xb):
    return jnp.sum(jnp.tanh(xb @ w) @ v)


def penalty_batch(w, v, xb):
    """A batch of inputs (a matrix), plus weight decay."""
    gx = dp.grad(_batch_net, argnums=2)(w, v, xb)
    return np.sum(gx * gx) + 0.1 * np.sum(w * w)


def penalty_batch_twin(w, v, xb):
    gx = jax.grad(_batch_net_twin, argnums=2)(w, v, xb)
    return jnp.sum(gx * gx) + 0.1 * jnp.sum(w * w)


def wgan_step(w1, b1, w2, x):
    """A critic's loss with the WGAN-GP penalty (||grad_x f|| - 1)^2, value and penalty together."""
    value, gx = dp.value_and_grad(_mlp, argnums=3)(w1, b1, w2, x)
    return value + 10.0 * (np.sqrt(np.sum(gx * gx)) - 1.0) ** 2


def wgan_step_twin(w1, b1, w2, x):
    value, gx = jax.value_and_grad(_mlp_twin, argnums=3)(w1, b1, w2, x)
    return value + 10.0 * (jnp.sqrt(jnp.sum(gx * gx)) - 1.0) ** 2


_p = rng(21)
_MLP_ARGS = (
    _p.standard_normal((5, 10)) * 0.5,
    _p.standard_normal(5) * 0.1,
    _p.standard_normal(5),
    _p.uniform(0.0, 1.0, 10),
)

PENALTY = [
    Inner(
        "penalty_linear_tanh",
        penalty_linear_tanh,
        penalty_linear_tanh_twin,
        (_p.standard_normal((3, 4)), _p.standard_normal(4)),
    ),
    Inner("penalty_mlp", penalty_mlp, penalty_mlp_twin, _MLP_ARGS, (0, 1, 2)),
    Inner(
        "penalty_rnn",
        penalty_rnn,
        penalty_rnn_twin,
        (_p.standard_normal((3, 3)) * 0.5, _p.standard_normal((3, 2)), _p.standard_normal(2), 4),
        (0, 1),
    ),
    Inner(
        "penalty_batch",
        penalty_batch,
        penalty_batch_twin,
        (_p.standard_normal((4, 3)), _p.standard_normal(3), _p.standard_normal((5, 4))),
        (0, 1),
    ),
    Inner("wgan_step", wgan_step, wgan_step_twin, _MLP_ARGS, (0, 1, 2)),
]


@pytest.mark.parametrize("program", PENALTY, ids=_ids(PENALTY))
def test_gradient_penalty(program):
    expected = to_numpy(jax.grad(program.twin, argnums=program.argnums)(*program.args))
    got = dp.grad(program.fn, argnums=program.argnums)(*program.args)
    assert_close(got, expected, rtol=1e-9)


@pytest.mark.parametrize("program", PENALTY, ids=_ids(PENALTY))
def test_gradient_penalty_value_and_grad(program):
    expected = to_numpy(jax.value_and_grad(program.twin, argnums=program.argnums)(*program.args))
    got = dp.value_and_grad(program.fn, argnums=program.argnums)(*program.args)
    assert_close(got, expected, rtol=1e-9)


@pytest.mark.parametrize("program", PENALTY, ids=_ids(PENALTY))
def test_gradient_penalty_against_central_differences(program):
    """Along a random direction in the first weight, against differences of the compiled penalty."""
    compiled = dp.compile(program.fn)
    w, rest = program.args[0], program.args[1:]
    v = rng(14).standard_normal(w.shape)
    expected = directional_fd(lambda y: compiled(y, *rest), w, v)
    first = dp.grad(program.fn, argnums=program.argnums)(*program.args)
    first = first[0] if isinstance(first, tuple) else first
    assert_fd_close(float(np.sum(first * v)), float(expected))


CORPUS_SIZE = len(SCALAR) + 1 + len(ARRAY) + len(INNER) + len(PENALTY)  # + 1: `mixed`


def test_corpus_size():
    assert CORPUS_SIZE >= 40
