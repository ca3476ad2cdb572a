"""dp compiles exactly what Python would run for any callable, or raises a typed error.

Regression tests for decorated functions (functools.wraps sets `__wrapped__`
to other code, which dp once compiled instead of the wrapper), the globals a
function reads, partials, bound methods, callable objects, static and class
methods, lambdas, functions made by exec or given another `__code__`, sources
edited after import, and keyword arguments of transforms. Each derivative is
checked against JAX.
"""

from __future__ import annotations

import functools
import importlib.util
import inspect
import linecache
import math
import re
from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import dp
from dp.frontend.source import FunctionSource

from . import _decorators

jax.config.update("jax_enable_x64", True)


def double(f):
    @functools.wraps(f)
    def wrapper(x):
        return 2.0 * f(x)

    return wrapper


@double
def doubled_square(x):
    return x * x


@_decorators.scaled
def scaled_sine(x):
    return math.sin(x)


def test_a_wraps_decorated_function_compiles_the_wrapper():
    assert doubled_square(3.0) == 18.0
    assert dp.compile(doubled_square)(3.0) == 18.0
    assert dp.grad(doubled_square)(3.0) == jax.grad(lambda x: 2.0 * x * x)(3.0) == 12.0
    assert dp.jvp(doubled_square, (3.0,), (1.0,)) == (18.0, 12.0)


def test_the_wrapper_reads_its_own_module_globals():
    x = 0.7
    assert dp.compile(scaled_sine)(x) == pytest.approx(scaled_sine(x), rel=1e-15)
    expected = jax.grad(lambda x: _decorators.SCALE * jnp.sin(x))(x)
    assert dp.grad(scaled_sine)(x) == pytest.approx(float(expected), rel=1e-15)


def test_a_signature_attribute_does_not_change_how_arguments_bind():
    def f(x, y=3.0):
        return x * y

    f.__signature__ = inspect.Signature([inspect.Parameter("y", inspect.Parameter.POSITIONAL_OR_KEYWORD)])
    assert dp.compile(f)(2.0) == f(2.0) == 6.0
    assert dp.grad(f)(2.0) == 3.0


def power(a, x, scale=1.0):
    return a * x**3 * scale


def jax_power(a, x, scale=1.0):
    return a * x**3 * scale


def test_partials_bind_leading_arguments_and_keywords():
    p = functools.partial(power, 3.0)
    assert dp.compile(p)(2.0) == p(2.0) == 24.0
    assert dp.grad(p)(2.0) == float(jax.grad(functools.partial(jax_power, 3.0))(2.0))
    kw = functools.partial(power, scale=2.0)
    assert dp.grad(kw, argnums=(0, 1))(3.0, 2.0) == tuple(float(g) for g in jax.grad(kw, argnums=(0, 1))(3.0, 2.0))
    nested = functools.partial(functools.partial(power, scale=0.5), 4.0)
    assert dp.value_and_grad(nested)(2.0) == (16.0, float(jax.grad(lambda x: jax_power(4.0, x, 0.5))(2.0)))
    assert dp.jvp(p, (2.0,), (1.0,)) == (24.0, 36.0)
    value, pullback = dp.vjp(p, 2.0)
    assert (value, pullback(1.0)) == (24.0, (36.0,))
    assert dp.jacobian(p, mode="fwd")(2.0) == dp.jacobian(p)(2.0) == 36.0


def test_compile_with_grad_of_a_partial_and_with_keywords():
    assert dp.compile(functools.partial(power, 3.0), grad=True)(2.0) == (24.0, (36.0,))
    expected = tuple(float(g) for g in jax.grad(jax_power, argnums=(0, 1))(3.0, 2.0, 2.0))
    assert dp.compile(power, grad=True)(3.0, 2.0, scale=2.0) == (48.0, expected)


def test_partial_of_an_array_argument():
    w = np.array([1.0, -2.0, 0.5])

    def loss(w, x):
        return np.sum(np.sin(w * x))

    got = dp.grad(functools.partial(loss, w))(0.3)
    assert got == pytest.approx(float(jax.grad(lambda x: jnp.sum(jnp.sin(w * x)))(0.3)), rel=1e-13)


def test_keyword_arguments_of_transforms_are_not_differentiated():
    assert dp.grad(power, argnums=1)(3.0, 2.0, scale=2.0) == float(jax.grad(jax_power, argnums=1)(3.0, 2.0, 2.0))
    assert dp.value_and_grad(power)(3.0, 2.0, scale=0.5) == (12.0, 4.0)
    assert dp.jacobian(power, argnums=(0, 1))(3.0, 2.0, scale=2.0) == (16.0, 72.0)


@dataclass
class Model:
    w: float

    def loss(self, x):
        return self.w * x * x

    def __call__(self, x):
        return self.w * math.sin(x)

    @staticmethod
    def square(x):
        return x * x

    @classmethod
    def make(cls, x):
        return x


def test_bound_methods_and_callable_objects():
    model = Model(2.0)
    assert dp.grad(model.loss)(3.0) == 12.0
    assert dp.grad(model)(0.5) == pytest.approx(2.0 * math.cos(0.5), rel=1e-15)
    assert dp.compile(model.loss)(3.0) == 18.0
    assert dp.grad(Model.square)(3.0) == dp.grad(Model.__dict__["square"])(3.0) == 6.0
    value, pullback = dp.vjp(model.loss, 3.0)
    assert (value, pullback(1.0)) == (18.0, (12.0,))


def test_partials_and_methods_called_inside_compiled_code():
    model = Model(2.0)
    p = functools.partial(power, 3.0)
    inner = dp.compile(lambda x: x * 2.0)

    def outer(x):
        return inner(x) + p(x) + model.loss(x)

    assert dp.compile(outer)(1.0) == outer(1.0) == 7.0
    assert dp.grad(outer)(1.0) == 2.0 + 9.0 + 4.0


def test_lambdas():
    assert dp.grad(lambda x: x * math.exp(x))(1.0) == pytest.approx(2.0 * math.e, rel=1e-15)


def test_a_replaced_code_object_is_what_runs():
    def f(x):
        return x + 1.0

    f.__code__ = (lambda x: x * 3.0).__code__
    assert dp.compile(f)(2.0) == f(2.0) == 6.0
    assert dp.grad(f)(2.0) == 3.0


def raised(error_type, thunk) -> str:
    with pytest.raises(error_type) as info:
        thunk()
    assert isinstance(info.value, dp.DpError)
    return str(info.value)


def test_a_function_made_by_exec_is_a_typed_error():
    namespace: dict = {}
    # Claims this file as its source: dp must not compile whatever is at line 1 here.
    exec(compile("def made(x):\n    return x * 5.0\n", __file__, "exec"), namespace)
    message = raised(dp.UnsupportedSyntaxError, lambda: dp.compile(namespace["made"])(1.0))
    assert "not the code Python runs" in message
    exec(compile("def made(x):\n    return x * 5.0\n", "<generated>", "exec"), namespace)
    message = raised(dp.UnsupportedSyntaxError, lambda: dp.grad(namespace["made"])(1.0))
    assert "source code is not available" in message


def test_a_file_edited_after_import_is_a_typed_error(tmp_path):
    path = tmp_path / "edited_module.py"
    path.write_text("def f(x):\n    return x * 2.0\n")
    spec = importlib.util.spec_from_file_location("edited_module", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path.write_text("def f(x):\n    return x * 7.0\n")  # same length and line count
    linecache.checkcache(str(path))
    message = raised(dp.UnsupportedSyntaxError, lambda: dp.compile(module.f)(1.0))
    assert "the file changed" in message


class Base:
    def scale(self, x):
        return 2.0 * x


class Derived(Base):
    def scale(self, x):
        return super().scale(x) + 1.0  # closes over __class__


def closure(k):
    def f(x):
        return k * x * x

    return f


def with_a_class_inside(x):
    class Inside:  # a class body in the code: its qualified name is a constant
        pass

    return [x * i for i in range(3)]


@pytest.mark.parametrize("fn", [Derived.scale, closure(1.5), with_a_class_inside, lambda x: [x for _ in "ab"]])
def test_sources_of_nested_code_match_their_code(fn):
    node = FunctionSource.of(fn).node
    assert node.lineno >= 1


def test_a_closure_is_compiled_with_its_cells():
    assert dp.grad(closure(1.5))(2.0) == 6.0


def this_line(marker: str) -> int:
    for number, text in enumerate(open(__file__), start=1):
        if text.rstrip().endswith(f"# {marker}"):
            return number
    raise AssertionError(marker)


@pytest.mark.parametrize(
    "make,error,text",
    [
        (lambda: dp.grad(Model.make)(1.0), dp.UnsupportedSyntaxError, "classmethod"),  # callee
        (lambda: dp.grad(math.gamma)(1.0), dp.UnsupportedSyntaxError, "lambda x: math.gamma(x)"),  # callee
        (lambda: dp.jvp(np.frexp, (1.0,), (1.0,)), dp.UnsupportedSyntaxError, "lambda x: np.frexp(x)"),  # callee
        (lambda: dp.vjp(np.vectorize(math.sin), 1.0), dp.UnsupportedSyntaxError, "pass the function it wraps"),  # callee
        (lambda: dp.jacobian(Model)(1.0), dp.UnsupportedSyntaxError, "the class Model"),  # callee
        (lambda: dp.compile(print), dp.UnsupportedSyntaxError, "builtin_function_or_method print"),  # callee
        (lambda: dp.grad(dp.jvp)(1.0), dp.UnsupportedSyntaxError, "pass a function that calls jvp"),  # callee
    ],
)
def test_callables_dp_does_not_compile_are_typed_errors_at_the_users_line(make, error, text):
    message = raised(error, make)
    assert text in message, message
    line = re.search(r"test_callables\.py:(\d+):", message)
    assert line and linecache.getline(__file__, int(line.group(1))).rstrip().endswith("# callee"), message


def calls_grad_inside(x):
    return dp.grad(power)(1.0, x)  # grad inside


def calls_jvp_inside(x):
    return dp.jvp(power, (1.0, x), (0.0, 1.0))[1]  # jvp inside


def test_derivatives_inside_compiled_code_are_compiled_requests():
    # d/da of a * x**3 at x: x**3; the jvp along x: 3 a x**2 (a = 1).
    assert dp.compile(calls_grad_inside)(2.0) == 8.0
    assert dp.compile(calls_jvp_inside)(2.0) == 12.0
    # ... and differentiable again: d/dx x**3 = 3 x**2, d/dx 3 x**2 = 6 x.
    assert dp.grad(calls_grad_inside)(2.0) == 12.0
    assert dp.grad(calls_jvp_inside)(2.0) == 12.0
