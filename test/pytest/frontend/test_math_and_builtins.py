"""The math module's functions and the supported builtins, including print."""

import math
from math import sqrt as imported_sqrt

import pytest

import dp

UNARY = {
    "sin": 0.7,
    "cos": 0.7,
    "tan": 0.7,
    "asin": 0.3,
    "acos": 0.3,
    "atan": 2.5,
    "sinh": 1.2,
    "cosh": 1.2,
    "tanh": 0.8,
    "asinh": 1.7,
    "acosh": 2.5,
    "atanh": 0.4,
    "exp": 1.3,
    "expm1": 1e-8,
    "log": 2.5,
    "log1p": 1e-9,
    "log2": 10.0,
    "log10": 250.0,
    "sqrt": 2.0,
    "erf": 0.6,
    "erfc": 0.6,
    "fabs": -3.25,
}


def make_unary(name):
    function = getattr(math, name)

    def apply(x):
        return function(x)

    return apply


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_math_function(check, name):
    check(make_unary(name), UNARY[name])
    check(
        make_unary(name),
        (
            -UNARY[name]
            if name in ("sin", "atan", "sinh", "tanh", "asinh", "erf", "erfc", "fabs", "expm1")
            else UNARY[name] * 0.5
        ),
    )


def two_argument_math(x, y):
    return math.atan2(x, y), math.hypot(x, y), math.pow(x, y), math.copysign(x, y), math.log(x, y)


@pytest.mark.parametrize("x,y", [(3.0, 4.0), (0.5, 2.0), (2.0, 10.0), (7.0, 0.25)])
def test_two_argument_math_functions(check, x, y):
    check(two_argument_math, x, y)


def copysign_signs(x, y):
    return math.copysign(x, y), math.copysign(x, -y), math.atan2(y, -x), math.hypot(x, y, 1.0)


@pytest.mark.parametrize("x,y", [(-2.0, 3.0), (1.5, -0.0), (0.0, 2.0)])
def test_copysign_and_atan2_signs(check, x, y):
    check(copysign_signs, x, y)


def rounding(x, n):
    return math.floor(x), math.ceil(x), math.floor(n), math.ceil(-x), math.fabs(n)


@pytest.mark.parametrize("x,n", [(2.5, 3), (-2.5, -3), (7.0, 0)])
def test_floor_and_ceil_return_ints(check, x, n):
    check(rounding, x, n)


def math_constants(x):
    return x * math.pi + math.e, math.inf > x, -math.inf < x


def test_math_constants(check):
    check(math_constants, 2.0)


def from_import(x):
    return imported_sqrt(x) + math.sqrt(4)


def test_functions_imported_by_name(check):
    check(from_import, 9.0)


def ints_in_math(n):
    return math.sqrt(n), math.exp(n), math.log(n, 2)


def test_math_functions_accept_ints(check):
    check(ints_in_math, 8)


def builtin_numbers(x, n, b):
    return abs(x), abs(n), abs(b), float(n), int(x), int(b), float(b), bool(x), bool(n), bool(0.0)


@pytest.mark.parametrize("x,n,b", [(-2.75, -3, True), (2.75, 0, False)])
def test_abs_float_int_bool(check, x, n, b):
    check(builtin_numbers, x, n, b)


def minimum_maximum(x, y, n):
    return min(x, y), max(x, y), min(n, 3), max(n, -1, 2), min(x, y, -1.0), max((x, y, 0.5)), min([n, 7])


@pytest.mark.parametrize("x,y,n", [(1.5, -2.5, 4), (2.0, 2.0, -5), (-0.0, 0.0, 3)])
def test_min_max(check, x, y, n):
    check(minimum_maximum, x, y, n)


def lengths_and_sums(t, xs):
    return len(t), len(xs), sum(t), sum(xs, 10.0), len(range(2, 11, 3)), sum((1, 2, 3))


def test_len_and_sum(check):
    check(lengths_and_sums, (1.0, 2.5, -1.0), [4, 5])


def runtime_range_length(n, step):
    return len(range(n)), len(range(1, n, step))


@pytest.mark.parametrize("n,step", [(10, 3), (-4, -2), (0, 1)])
def test_len_of_runtime_range(check, n, step):
    check(runtime_range_length, n, step)


def enumerate_and_zip(xs, ys):
    total = 0.0
    for i, x in enumerate(xs):
        total += i * x
    for x, y in zip(xs, ys):
        total += x * y
    for i, (x, y) in enumerate(zip(xs, ys), start=1):
        total -= i * (x - y)
    return total


def test_enumerate_and_zip(check):
    check(enumerate_and_zip, (1.0, 2.0, 3.0), [0.5, -1.0, 2.0, 9.0])


def printing(x, n, flag):
    print("x =", x, "n =", n, flag)
    print(f"values: {x} and {n}!", (n, "a"), [n], {"k": n}, end="|\n")
    print(flag, not flag, sep=",")
    return x


def test_print_numbers_strings_and_structures(capfd):
    dp.compile(printing)(2.5, -3, True)
    out, _ = capfd.readouterr()
    assert out == "x = 2.5 n = -3 True\nvalues: 2.5 and -3! (-3, 'a') [-3] {'k': -3}|\nTrue,False\n"


def print_in_loop(n):
    for i in range(n):
        print(i)
    return n


def test_print_in_a_loop_interleaves_with_python_output(capfd):
    print("before")
    dp.compile(print_in_loop)(3)
    print("after")
    out, _ = capfd.readouterr()
    assert out == "before\n0\n1\n2\nafter\n"


def print_floats(a, b, c, d, e):
    print(a, b, c, d, e, a * 1e20)


def test_printed_floats_match_python_for_common_values(capfd):
    args = (125.0, 0.5, -3.0, math.inf, math.nan)
    print_floats(*args)
    expected = capfd.readouterr().out
    dp.compile(print_floats)(*args)
    assert capfd.readouterr().out == expected == "125.0 0.5 -3.0 inf nan 1.25e+22\n"
