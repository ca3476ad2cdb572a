"""Calls to other Python functions, recursion, globals and closures."""

import math

import pytest

import dp

SCALE = 2.5
OFFSETS = (1.0, -2.0, 0.5)
MODE = "double"


def square(x):
    return x * x


def poly(x, a=1.0, b=0.0):
    return a * square(x) + b


def uses_callees(x, n):
    return poly(x) + poly(x, 2.0) + poly(x, b=n) + square(n)


def test_calls_with_defaults_and_keywords(check):
    check(uses_callees, 1.5, 3)


def test_callees_are_private_functions_specialized_per_type():
    text = dp.lower(uses_callees, 1.5, 3)
    assert text.count("func.func private @square") == 2  # once for float, once for int
    assert "func.func @uses_callees" in text
    assert "call @poly(" in text


def factorial(n):
    if n <= 1:
        return 1
    return n * factorial(n - 1)


def fibonacci(n):
    if n >= 2:
        return fibonacci(n - 1) + fibonacci(n - 2)
    return n


@pytest.mark.parametrize("n", [0, 1, 5, 15])
def test_direct_recursion(check, n):
    check(factorial, n)
    check(fibonacci, n)


def is_even(n):
    if n == 0:
        return True
    return is_odd(n - 1)


def is_odd(n):
    if n == 0:
        return False
    return is_even(n - 1)


@pytest.mark.parametrize("n", [0, 7, 10])
def test_mutual_recursion(check, n):
    check(is_even, n)


def power_recursive(x, n):
    return 1.0 if n == 0 else x * power_recursive(x, n - 1)


def test_recursion_in_a_conditional_expression(check):
    check(power_recursive, 1.5, 6)


def sum_to(n):
    total = 0
    for i in range(n):
        if i > 100:
            return total
        total += i
    return total


def recursive_with_loop(n):
    if n <= 0:
        return 0
    return sum_to(n) + recursive_with_loop(n - 1)


def test_recursion_and_loops_with_returns(check):
    check(recursive_with_loop, 6)


def uses_globals(x):
    total = x * SCALE
    for offset in OFFSETS:
        total += offset
    if MODE == "double":
        total *= 2
    return total + math.pi


def test_globals_are_compile_time_constants(check):
    check(uses_globals, 1.25)


def make_closure(scale, name):
    def inner(x):
        return x * scale if name == "mul" else x + scale

    return inner


def test_closure_variables_are_compile_time_constants(check):
    check(make_closure(3.0, "mul"), 2.0)
    check(make_closure(3.0, "add"), 2.0)


def apply_twice(f, x):
    return f(f(x))


def passes_a_function(x):
    return apply_twice(square, x) + apply_twice(math.sqrt, x)


def test_functions_as_arguments(check):
    check(passes_a_function, 3.0)


def returns_tuple(x):
    return x, x * 2.0, int(x)


def unpacks_call(x):
    a, b, c = returns_tuple(x)
    return a + b + c


def test_structured_results_of_calls(check):
    check(unpacks_call, 2.5)


def static_keyword(x, mode="add"):
    if mode == "add":
        return x + 1.0
    return x * 10.0


def test_keyword_arguments_of_the_entry_are_compile_time_constants():
    f = dp.compile(static_keyword)
    assert f(2.0) == 3.0
    assert f(2.0, mode="mul") == 20.0
    assert f(2.0, mode="add") == 3.0


def test_compiling_a_lambda_defined_in_a_file():
    assert dp.compile(lambda x, y: x * y + 1.0)(2.0, 3.0) == 7.0


@dp.compile
def compiled_helper(x):
    return x * 3.0


def calls_a_compiled_function(x):
    return compiled_helper(x) + 1.0


def test_calling_a_compiled_function_compiles_it_in(check):
    check(calls_a_compiled_function, 2.0)
    assert "call @compiled_helper(" in dp.lower(calls_a_compiled_function, 2.0)


def mutates_through_callee(d):
    d["x"] = 2.0
    return d["x"]


def calls_mutating_callee(x):
    state = {"x": x}
    y = mutates_through_callee(state)
    return y + state["x"]


def test_a_callee_mutating_its_argument_mutates_the_callers_container():
    assert dp.compile(calls_mutating_callee)(1.0) == calls_mutating_callee(1.0) == 4.0
