"""Derivatives of numpy programs: every dp transform against JAX, plus dot-product and finite-difference checks.

Each program of gradient_programs.PROGRAMS (plain numpy code with a
jax.numpy twin) is differentiated with dp.grad, dp.value_and_grad, dp.vjp
(the pullback called with two cotangents), dp.jvp and dp.jacobian in both
modes, and compared at rtol 1e-9 (float64) with what JAX says of the twin:
its Jacobian by jax.jacrev, and the gradient, JVP and VJPs as that
Jacobian's products with the seeds (what jax.grad, jax.jvp and jax.vjp
compute, to rounding; one XLA compilation per program instead of four).
Gradients must come back in the arguments' structure: numpy arrays of the
argument's shape and dtype for array leaves (float32 too, at rtol 1e-5),
Python floats for float leaves, None for everything else (ints, int arrays,
strings).

Two checks need no twin (jax/_src/public_test_util.py's idea):
`check_vjp`, the dot-product test <v, J u> = <J^T v, u> between dp.jvp and
dp.vjp on seeded random directions (it catches transposition bugs that
elementwise checks miss), and `check_jvp`, dp.jvp against
Richardson-extrapolated central differences of the numpy function itself.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, Callable, NamedTuple

import numpy as np
import pytest

import dp

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy

from api.oracles import leaves, replace_leaves, rng_for  # noqa: E402

from . import gradient_programs as gp  # noqa: E402
from .harness import copy_tree  # noqa: E402

PROGRAMS = gp.PROGRAMS
NAMES = list(PROGRAMS)

RTOL = {np.dtype("float64"): 1e-9, np.dtype("float32"): 1e-5}
# Absolute tolerance, relative to the largest entry of the expected value: entries that cancel to
# ~0 carry the rounding error of the terms that cancelled.
ATOL = {np.dtype("float64"): 1e-12, np.dtype("float32"): 1e-5}
RTOL_FD = 1e-6


# -- pytrees of arrays --------------------------------------------------------------------------------------


def is_float_leaf(leaf: Any) -> bool:
    return isinstance(leaf, float) or (isinstance(leaf, np.ndarray) and leaf.dtype.kind == "f")


def float_leaves(tree: Any) -> list[Any]:
    return [leaf for leaf in leaves(tree) if is_float_leaf(leaf)]


def with_float_leaves(tree: Any, values: list[Any], other: Any = "keep") -> Any:
    """`tree` with its float leaves replaced by `values`, other leaves kept (or replaced by `other`)."""
    it = iter(values)
    new = [next(it) if is_float_leaf(leaf) else (leaf if other == "keep" else other) for leaf in leaves(tree)]
    assert next(it, None) is None, "too many values"
    return replace_leaves(tree, new)


def like(leaf: Any, value: Any) -> Any:
    """A JAX value as the kind of `leaf`: a Python float, or an ndarray of the leaf's dtype."""
    if isinstance(leaf, float):
        return float(np.asarray(value).reshape(()))
    return np.asarray(value, dtype=leaf.dtype).reshape(leaf.shape)


def per_argument(args: tuple, flat: list[Any], argnums: tuple[int, ...]) -> tuple:
    """Values for every float leaf of `args` (in order) arranged as one gradient tree per argument in argnums."""
    out, k = [], 0
    for n, arg in enumerate(args):
        count = len(float_leaves(arg))
        if n in argnums:
            out.append(with_float_leaves(arg, flat[k : k + count], other=None))
        k += count
    return tuple(out)


def random_like(tree: Any, generator: np.random.Generator) -> Any:
    """Seeded random values in the float leaves of `tree` (dtype kept); other leaves as they are."""

    def draw(leaf: Any) -> Any:
        if isinstance(leaf, float):
            return float(generator.standard_normal())
        return generator.standard_normal(leaf.shape).astype(leaf.dtype)

    return with_float_leaves(tree, [draw(leaf) for leaf in float_leaves(tree)])


def inner(a: Any, b: Any) -> float:
    """Sum over float leaves of a * b (None leaves of a gradient count as zero)."""
    total = 0.0
    for x, y in zip(leaves(a), leaves(b)):
        if x is None or y is None or not is_float_leaf(y):
            continue
        total += float(np.sum(np.asarray(x, dtype=np.float64) * np.asarray(y, dtype=np.float64)))
    return total


def norm(tree: Any) -> float:
    return math.sqrt(inner(tree, tree))


def assert_close(got: Any, expected: Any, rtol: float | None = None, where: str = "result") -> None:
    """Same structure and leaf kinds (ndarray of the same shape and dtype, float, None), values close."""
    if expected is None:
        assert got is None, f"{where}: expected None, got {got!r}"
        return
    if isinstance(expected, np.ndarray):
        assert isinstance(got, np.ndarray), f"{where}: expected an ndarray, got {type(got).__name__} {got!r}"
        assert got.shape == expected.shape, f"{where}: shape {got.shape} != {expected.shape}"
        assert got.dtype == expected.dtype, f"{where}: dtype {got.dtype} != {expected.dtype}"
        if expected.dtype.kind != "f":
            np.testing.assert_array_equal(got, expected, err_msg=where)
            return
        tolerance = rtol if rtol is not None else RTOL[expected.dtype]
        scale = max(1.0, float(np.max(np.abs(expected)))) if expected.size else 1.0
        np.testing.assert_allclose(got, expected, rtol=tolerance, atol=ATOL[expected.dtype] * scale, err_msg=where)
        return
    if isinstance(expected, float):
        assert type(got) is float, f"{where}: expected a float, got {type(got).__name__} {got!r}"
        tolerance = rtol if rtol is not None else RTOL[np.dtype("float64")]
        assert math.isclose(
            got, expected, rel_tol=tolerance, abs_tol=1e-12 * max(1.0, abs(expected))
        ), f"{where}: {got!r} != {expected!r}"
        return
    if isinstance(expected, (tuple, list)) or dataclasses.is_dataclass(expected):
        assert type(got) is type(expected), f"{where}: expected {type(expected).__name__}, got {type(got).__name__}"
        if dataclasses.is_dataclass(expected):
            pairs = [(f.name, getattr(got, f.name), getattr(expected, f.name)) for f in dataclasses.fields(expected)]
        else:
            assert len(got) == len(expected), f"{where}: {len(got)} items, expected {len(expected)}"
            names = getattr(type(expected), "_fields", range(len(expected)))
            pairs = list(zip(names, got, expected))
        for name, g, e in pairs:
            assert_close(g, e, rtol, f"{where}.{name}" if isinstance(name, str) else f"{where}[{name}]")
        return
    assert got == expected, f"{where}: {got!r} != {expected!r}"


# -- JAX oracles -------------------------------------------------------------------------------------------


def reduce_result(r):
    """How the gradient tests make a scalar of an array result."""
    return np.sum(np.sin(r) * r)


def reduce_result_twin(r):
    return jnp.sum(jnp.sin(r) * r)


def scalarized(fn: Callable, arity: int) -> Callable:
    """`reduce_result(fn(...))` with `arity` positional parameters (dp compiles no *args)."""
    if arity == 1:

        def loss(a):
            return reduce_result(fn(a))

    elif arity == 2:

        def loss(a, b):
            return reduce_result(fn(a, b))

    elif arity == 3:

        def loss(a, b, c):
            return reduce_result(fn(a, b, c))

    elif arity == 4:

        def loss(a, b, c, d):
            return reduce_result(fn(a, b, c, d))

    else:
        assert arity == 5

        def loss(a, b, c, d, e):
            return reduce_result(fn(a, b, c, d, e))

    return loss


class Twin:
    """The twin of a program as a JAX function of the float leaves of its arguments."""

    def __init__(self, program: gp.Program, args: tuple) -> None:
        self.program = program
        self.args = args
        self.floats = [jnp.asarray(leaf, dtype=jnp.float64) for leaf in float_leaves(args)]

    def __call__(self, *floats: Any) -> Any:
        rebuilt = tuple(with_float_leaves(arg, list(part)) for arg, part in zip(self.args, split(self.args, floats)))
        return self.program.twin(*rebuilt)

    def loss(self, *floats: Any) -> Any:
        out = self(*floats)
        return out if jnp.ndim(out) == 0 else reduce_result_twin(out)


def split(args: tuple, flat: Any) -> list[list[Any]]:
    """A flat list of float-leaf values cut into one list per argument."""
    parts, k = [], 0
    for arg in args:
        count = len(float_leaves(arg))
        parts.append(list(flat[k : k + count]))
        k += count
    return parts


class Oracle:
    """What JAX says of a program at its arguments.

    The oracle is JAX's Jacobian of the twin (jax.jacrev, under one jax.jit per program: eager JAX
    costs about a second per derivative) as a matrix J (result entries x float-leaf entries of all
    arguments); gradients, JVPs and VJPs are its products with the seeds, which is what jax.grad,
    jax.jvp and jax.vjp compute, to rounding. Everything comes back arranged like dp's results.
    """

    def __init__(self, name: str) -> None:
        program = PROGRAMS[name]
        self.args = program.args()
        twin = Twin(program, self.args)
        every = tuple(range(len(twin.floats)))
        self._leaves = float_leaves(self.args)
        self.shape = result_shape(program, self.args)
        both = jax.jit(lambda floats: (twin(*floats), jax.jacrev(twin, argnums=every)(*floats)))
        # XLA's backend optimizations take a third of the compile time and change no value that matters here
        self._jitted = both.lower(twin.floats).compile(compiler_options={"xla_backend_optimization_level": 0})
        self.value, self.matrix = self._evaluate(twin.floats)
        generator = rng_for(name)
        self.tangents = random_like(self.args, generator)
        template = 0.0 if self.shape == () else np.zeros(self.shape)
        self.cotangents = [random_like(template, generator) for _ in range(2)]

    def _evaluate(self, floats: list[Any]) -> tuple[Any, np.ndarray]:
        value, blocks = self._jitted(floats)
        size = int(np.prod(self.shape))
        matrix = np.concatenate([np.asarray(b, dtype=np.float64).reshape(size, -1) for b in blocks], axis=1)
        return self._as_result(np.asarray(value, dtype=np.float64)), matrix

    def _as_result(self, flat: np.ndarray) -> Any:
        return float(flat.reshape(())) if self.shape == () else flat.reshape(self.shape)

    def _per_argument(self, row: np.ndarray, argnums: tuple[int, ...] | None = None) -> tuple:
        """A vector over all float-leaf entries as one gradient tree per argument (None: all arguments)."""
        values, k = [], 0
        for leaf in self._leaves:
            size = int(np.size(leaf))
            values.append(like(leaf, row[k : k + size]))
            k += size
        return per_argument(self.args, values, tuple(range(len(self.args))) if argnums is None else argnums)

    def _flat(self, tree: Any) -> np.ndarray:
        parts = [np.ravel(np.asarray(leaf, dtype=np.float64)) for leaf in float_leaves(tree)]
        return np.concatenate(parts) if parts else np.zeros(0)

    def loss(self) -> float:
        return self.value if self.shape == () else float(np.sum(np.sin(self.value) * self.value))

    def grads(self, argnums: tuple[int, ...], float32: bool = False) -> tuple:
        """jax.grad of the loss: J^T (d loss / d result); with float32, at the arguments rounded to float32."""
        value, matrix = self.value, self.matrix
        if float32:
            rounded = [jnp.asarray(np.asarray(leaf, dtype=np.float32), dtype=jnp.float64) for leaf in self._leaves]
            value, matrix = self._evaluate(rounded)
        seed = np.ones(1) if self.shape == () else np.ravel(np.sin(value) + value * np.cos(value))
        return self._per_argument(matrix.T @ seed, argnums)

    def tangent_out(self) -> Any:
        """jax.jvp along `tangents`: J u."""
        return self._as_result(self.matrix @ self._flat(self.tangents))

    def pullback(self, cotangent: Any) -> tuple:
        """jax.vjp's pullback: J^T v, one tree per argument."""
        return self._per_argument(self.matrix.T @ self._flat(cotangent))

    def jacobian(self, argnums: tuple[int, ...]) -> tuple:
        """jax.jacrev: per float leaf a block of shape (result shape + leaf shape); a float for float by float."""
        blocks, k = [], 0
        for leaf in self._leaves:
            size = int(np.size(leaf))
            block = self.matrix[:, k : k + size]
            k += size
            blocks.append(
                float(block[0, 0])
                if self.shape == () and isinstance(leaf, float)
                else block.reshape(self.shape + np.shape(leaf))
            )
        return per_argument(self.args, blocks, argnums)


_ORACLES: dict[str, Oracle] = {}


def oracle(name: str) -> Oracle:
    if name not in _ORACLES:
        _ORACLES[name] = Oracle(name)
    return _ORACLES[name]


def result_shape(program: gp.Program, args: tuple) -> tuple[int, ...]:
    with np.errstate(all="ignore"):  # the naive softmax spellings overflow in numpy
        return np.shape(program.fn(*copy_tree(args)))


def loss_of(program: gp.Program, args: tuple) -> Callable:
    """The program itself where it returns a float, else its scalarized form."""
    return program.fn if result_shape(program, args) == () else scalarized(program.fn, len(args))


# -- the twins are right --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n in NAMES if PROGRAMS[n].numpy_finite])
def test_twin_matches_numpy(name):
    """An oracle is checked before it is trusted: the twin computes what the numpy program computes."""
    program = PROGRAMS[name]
    expected = program.fn(*copy_tree(program.args()))
    np.testing.assert_allclose(oracle(name).value, expected, rtol=1e-12, atol=1e-300)


def test_there_are_at_least_forty_programs():
    assert len({program.fn for program in PROGRAMS.values()}) >= 40


# -- dp.grad and dp.value_and_grad -------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_grad(name):
    program, expected = PROGRAMS[name], oracle(name)
    given = copy_tree(expected.args)
    got = dp.grad(loss_of(program, given), argnums=program.argnums)(*given)
    assert_close(got, expected.grads(program.argnums), where="grad")
    assert_close(given, expected.args, rtol=0.0, where="arguments after the call")


@pytest.mark.parametrize("name", NAMES)
def test_value_and_grad(name):
    program, expected = PROGRAMS[name], oracle(name)
    # an int argnums where there is one (the bare gradient comes back), else a tuple
    argnums = program.argnums[0] if len(program.argnums) == 1 else program.argnums
    value, grad = dp.value_and_grad(loss_of(program, expected.args), argnums=argnums)(*expected.args)
    assert_close(value, expected.loss(), where="value")
    grads = expected.grads(program.argnums)
    assert_close(grad, grads[0] if isinstance(argnums, int) else grads, where="grad")


# -- dp.vjp and dp.jvp ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_vjp(name):
    """The pullback is called twice, with different cotangents: the tape survives the first call."""
    program, expected = PROGRAMS[name], oracle(name)
    value, pullback = dp.vjp(program.fn, *expected.args)
    assert_close(value, expected.value, where="value")
    for attempt, cotangent in enumerate(expected.cotangents):
        assert_close(pullback(cotangent), expected.pullback(cotangent), where=f"pullback call {attempt + 1}")


def _index_loop(x, w):
    out = np.zeros_like(x)
    for i in range(x.shape[0]):
        out[i] = np.sin(x[i] * w[i]) * x[i]
    return np.sum(out)


def test_vjp_pullback_ignores_later_changes_to_arguments():
    """The pullback reads x and w again (they are not on the tape), from copies taken at dp.vjp:
    changing the caller's arrays in place afterwards changes no gradient, as with JAX's immutable arrays."""
    x, w = np.linspace(-1.0, 1.0, 7), np.linspace(0.5, 2.0, 7)
    dx = np.cos(x * w) * w * x + np.sin(x * w)
    dw = np.cos(x * w) * x * x
    value, pullback = dp.vjp(_index_loop, x, w)
    x[:] = 3.0
    w[:] = -1.0
    got_x, got_w = pullback(2.0)
    np.testing.assert_allclose(got_x, 2.0 * dx, rtol=1e-13)
    np.testing.assert_allclose(got_w, 2.0 * dw, rtol=1e-13)


@pytest.mark.parametrize("name", NAMES)
def test_jvp(name):
    program, expected = PROGRAMS[name], oracle(name)
    value, tangent_out = dp.jvp(program.fn, expected.args, expected.tangents)
    assert_close(value, expected.value, where="value")
    assert_close(tangent_out, expected.tangent_out(), where="tangent")


# -- dp.jacobian ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["rev", "fwd"])
@pytest.mark.parametrize("name", NAMES)
def test_jacobian(name, mode):
    program, expected = PROGRAMS[name], oracle(name)
    got = dp.jacobian(program.fn, argnums=program.argnums, mode=mode)(*expected.args)
    assert_close(got, expected.jacobian(program.argnums), where=f"jacobian ({mode})")


class Layer(NamedTuple):
    w: np.ndarray
    b: np.ndarray
    scale: float
    count: Any  # an int for dp; None (an empty subtree) for the JAX twin, which takes no ints


class Out(NamedTuple):
    h: np.ndarray
    stats: tuple


def layer(params, x, tag):
    h = np.tanh(params.w @ x + params.b)
    return Out(h, (np.sum(h * h) * params.scale, params.count + 1))


def layer_twin(params, x):
    h = jnp.tanh(params.w @ x + params.b)
    return Out(h, (jnp.sum(h * h) * params.scale, None))


def as_dp_layout(tree: Any) -> Any:
    """JAX's Jacobian with ndarrays for its blocks, Python floats for float-by-float (0-d) blocks."""
    return jax.tree_util.tree_map(lambda b: float(b) if np.ndim(b) == 0 else np.asarray(b), tree)


@pytest.mark.parametrize("mode", ["rev", "fwd"])
@pytest.mark.parametrize("argnums", [0, 1, (0, 1), (1, 0)], ids=str)
def test_jacobian_layout_of_pytrees_is_jaxs(argnums, mode):
    """Result tree outside, argument trees inside, a block of shape result.shape + argument.shape per leaf pair;
    None for the int result and the int argument leaf, nothing for the string."""
    generator = rng_for("jacobian_layout")
    w, b, x = generator.standard_normal((2, 3)), generator.standard_normal(2), generator.standard_normal(3)
    jacobian = jax.jacrev if mode == "rev" else jax.jacfwd
    expected = as_dp_layout(jacobian(layer_twin, argnums=argnums)(Layer(w, b, 0.5, None), x))
    got = dp.jacobian(layer, argnums=argnums, mode=mode)(Layer(w, b, 0.5, 3), x, "tag")
    assert_close(got, expected, where=f"jacobian ({mode})")


def outer_tanh(a, b):
    return np.tanh(np.outer(a, b)), np.sum(a) * b


@pytest.mark.parametrize("mode", ["rev", "fwd"])
def test_jacobian_of_float32_arrays_is_float32(mode):
    generator = rng_for("jacobian_float32")
    a, b = (generator.standard_normal(n).astype(np.float32) for n in (3, 2))
    jacobian = jax.jacrev if mode == "rev" else jax.jacfwd
    twin = lambda a, b: (jnp.tanh(jnp.outer(a, b)), jnp.sum(a) * b)  # noqa: E731
    expected = as_dp_layout(jacobian(twin, argnums=(0, 1))(a, b))
    got = dp.jacobian(outer_tanh, argnums=(0, 1), mode=mode)(a, b)
    assert_close(got, expected, rtol=1e-5, where=f"jacobian ({mode})")


# -- checks without a twin: the dot-product test and central differences ------------------------------


def check_vjp(fn: Callable, args: tuple, generator: np.random.Generator) -> None:
    """<v, J u> from dp.jvp equals <J^T v, u> from dp.vjp for random u, v."""
    u = random_like(args, generator)
    value, ju = dp.jvp(fn, args, u)
    v = random_like(value, generator)
    _, pullback = dp.vjp(fn, *args)
    jtv = pullback(v)
    lhs, rhs = inner(v, ju), inner(jtv, u)
    scale = norm(v) * norm(ju) + norm(jtv) * norm(u)
    assert abs(lhs - rhs) <= 1e-10 * scale, f"<v, Ju> = {lhs!r} but <J^T v, u> = {rhs!r}"


def check_jvp(fn: Callable, args: tuple, generator: np.random.Generator, step: float = 1e-3) -> None:
    """dp.jvp against central differences of the numpy function along a random direction
    (Richardson-extrapolated; the extrapolations at h and h/2 must agree)."""
    u = random_like(args, generator)
    _, ju = dp.jvp(fn, args, u)
    x0 = float_leaves(args)
    directions = float_leaves(u)

    def at(h: float) -> np.ndarray:
        moved = [x + h * d for x, d in zip(x0, directions)]
        return np.asarray(fn(*copy_tree(tuple(with_float_leaves(a, p) for a, p in zip(args, split(args, moved))))))

    def central(h: float) -> np.ndarray:
        return (at(h) - at(-h)) / (2 * h)

    d1, d2, d4 = central(step), central(step / 2), central(step / 4)
    r1, r2 = (4 * d2 - d1) / 3, (4 * d4 - d2) / 3
    scale = max(1.0, float(np.max(np.abs(r2))))
    assert np.max(np.abs(r1 - r2)) <= 0.1 * RTOL_FD * scale, "the differences have not converged (a kink?)"
    np.testing.assert_allclose(np.asarray(ju), r2, rtol=RTOL_FD, atol=RTOL_FD * scale)


@pytest.mark.parametrize("name", NAMES)
def test_check_vjp(name):
    program = PROGRAMS[name]
    check_vjp(program.fn, program.args(), rng_for(name))


@pytest.mark.parametrize("name", [n for n in NAMES if PROGRAMS[n].smooth and PROGRAMS[n].numpy_finite])
def test_check_jvp(name):
    program = PROGRAMS[name]
    check_jvp(program.fn, program.args(), rng_for(name + "/fd"))


# -- float32 -----------------------------------------------------------------------------------------------


def to_float32(tree: Any) -> Any:
    return with_float_leaves(
        tree, [leaf.astype(np.float32) if isinstance(leaf, np.ndarray) else leaf for leaf in float_leaves(tree)]
    )


# float32 runs on a cross-section (each costs a compilation): every family of programs above, once
FLOAT32_PROGRAMS = [
    "trig",
    "algebraic",
    "outer_broadcast",
    "scalar_with_array",
    "zero_d",
    "sums_and_means",
    "extrema",
    "elementwise_ties",
    "products",
    "layout",
    "slices",
    "element_loops",
    "overwrites",
    "naive_softmax_family",
    "rnn",
    "dataclass_model",
    "mixed_arguments",
]


@pytest.mark.parametrize("name", FLOAT32_PROGRAMS)
def test_float32_grad(name):
    """float32 arguments: float32 gradients of their shape, within float32 rounding of the float64 oracle."""
    program, expected = PROGRAMS[name], oracle(name)
    args32 = to_float32(expected.args)
    got = dp.grad(loss_of(program, args32), argnums=program.argnums)(*args32)
    assert_close(got, to_float32(expected.grads(program.argnums, float32=True)), rtol=1e-5, where="float32 grad")


# -- training: the seed's linear regression ------------------------------------------------------------


@dataclasses.dataclass
class Linear:
    weights: np.ndarray
    bias: float
    name: str


def mse(model, x, y):
    r = x @ model.weights + model.bias - y
    return np.mean(r * r)


def test_linear_regression_by_sgd_recovers_the_generating_weights():
    true_weights, true_bias = np.array([1.0, 2.7, 0.3, 1.2]), 0.4
    generator = np.random.default_rng(7)
    x = generator.standard_normal((256, 4))
    y = x @ true_weights + true_bias + 1e-3 * generator.standard_normal(256)
    step = dp.compile(mse, grad=True)
    model = Linear(np.zeros(4), 0.0, "linear")
    for _ in range(10_000):
        value, (grad, _, _) = step(model, x, y)
        assert isinstance(grad, Linear) and grad.name is None
        model = Linear(model.weights - 0.01 * grad.weights, model.bias - 0.01 * grad.bias, model.name)
    assert model.name == "linear" and model.weights.dtype == np.float64
    np.testing.assert_allclose(model.weights, true_weights, atol=1e-2)
    assert model.bias == pytest.approx(true_bias, abs=1e-2)
    assert value < 1e-5


def test_compile_grad_returns_the_value_and_every_gradient():
    """dp.compile(grad=True): (value, one gradient per argument), None for data (an int array, a string)."""
    model = Linear(gp.normal(4), 0.5, "m")
    x, y = gp.normal(8, 4, seed=1), gp.normal(8, seed=2)
    value, (g_model, g_x, g_y) = dp.compile(mse, grad=True)(model, x, y)
    r = x @ model.weights + model.bias - y
    assert value == pytest.approx(float(np.mean(r * r)), rel=1e-12)
    assert_close(g_model, Linear(2.0 * x.T @ r / len(y), float(2.0 * np.mean(r)), None), where="model")
    assert_close(g_x, 2.0 * np.outer(r, model.weights) / len(y), where="x")
    assert_close(g_y, -2.0 * r / len(y), where="y")
