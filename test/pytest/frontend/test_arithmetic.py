"""Operators with Python semantics: int/float mixing, floor rounding, powers, comparisons, logic."""

import itertools

import pytest

import dp


def add(a, b):
    return a + b


def sub(a, b):
    return a - b


def mul(a, b):
    return a * b


def truediv(a, b):
    return a / b


def floordiv(a, b):
    return a // b


def mod(a, b):
    return a % b


def power(a, b):
    return a**b


INTS = [7, -7, 3, -3, 1, 0]
FLOATS = [7.5, -7.5, 2.25, -0.5, 3.0]
MIXED = INTS[:4] + FLOATS


@pytest.mark.parametrize("op", [add, sub, mul])
@pytest.mark.parametrize("a,b", list(itertools.product(MIXED, repeat=2))[::3])
def test_ring_operators_mix_ints_and_floats(check, op, a, b):
    check(op, a, b)


@pytest.mark.parametrize("op", [truediv, floordiv, mod])
@pytest.mark.parametrize("a,b", [(a, b) for a, b in itertools.product(MIXED, repeat=2) if b != 0])
def test_division_rounds_like_python(check, op, a, b):
    check(op, a, b)


@pytest.mark.parametrize("a,b", [(7, 2), (-7, 2), (7, -2), (-7, -2), (6, 3), (-6, 3), (0, -5)])
def test_int_floor_division_and_modulo(check, a, b):
    check(floordiv, a, b)
    check(mod, a, b)


def test_int_division_edge_cases_raise_as_python_does():
    # The one quotient beyond 64 bits raises instead of wrapping (or trapping like the hardware would).
    with pytest.raises(dp.IntegerOverflowError):
        dp.compile(floordiv)(-(2**63), -1)
    assert dp.compile(mod)(-(2**63), -1) == 0
    for fn in (floordiv, mod):
        with pytest.raises(ZeroDivisionError):
            dp.compile(fn)(5, 0)


@pytest.mark.parametrize(
    "a,b", [(5.5, 2.0), (-5.5, 2.0), (5.5, -2.0), (-5.5, -2.0), (4.0, 2.0), (-4.0, 2.0), (0.0, -3.0), (1e300, 1e-300)]
)
def test_float_floor_division_and_modulo_signs(check, a, b):
    check(floordiv, a, b)
    check(mod, a, b)


@pytest.mark.parametrize(
    "a,b", [(2.0, 3), (2.5, -2), (-2.0, 3), (2, 0.5), (2.0, 0.5), (9.0, 0.5), (3, 4), (-3, 3), (2, 0), (5, 1)]
)
def test_power(check, a, b):
    check(power, a, b)


def power_constant_exponents(n, x):
    return n**3 + n**0 + x**2 + 2**10 + n**-1


def test_power_with_constant_exponents(check):
    check(power_constant_exponents, 3, 1.5)
    check(power_constant_exponents, -2, -0.5)


def unary(x, n, b):
    return -x, +x, -n, +n, -b, +b, not b, not x, not n, ~n


@pytest.mark.parametrize("x,n,b", [(1.5, 3, True), (-0.0, -4, False), (0.0, 0, True)])
def test_unary_operators(check, x, n, b):
    check(unary, x, n, b)


def comparisons(a, b):
    return a < b, a <= b, a > b, a >= b, a == b, a != b


@pytest.mark.parametrize("a,b", [(1, 2), (2.0, 2), (3.5, -1), (True, 1), (False, True), (-1, -1.0)])
def test_comparisons_mixing_types(check, a, b):
    check(comparisons, a, b)


def chained(a, b, c):
    return a < b < c, a <= b > c, a == b == c, 0.0 < a <= b < c <= 10


@pytest.mark.parametrize("a,b,c", [(1.0, 2.0, 3.0), (3.0, 2.0, 1.0), (2.0, 2.0, 2.0), (1.0, 5.0, 11.0)])
def test_chained_comparisons(check, a, b, c):
    check(chained, a, b, c)


def logic(p, q, x):
    return (p and q, p or q, not p, p and not q or x > 0.0, (x > 1.0) and (x < 3.0))


@pytest.mark.parametrize("p,q,x", list(itertools.product([True, False], [True, False], [0.5, 2.0])))
def test_boolean_operators(check, p, q, x):
    check(logic, p, q, x)


def values_of_and_or(x, y):
    return (x and y), (x or y), (0.0 or x)


@pytest.mark.parametrize("x,y", [(0.0, 2.0), (1.5, 2.0), (-1.0, 0.0)])
def test_and_or_return_an_operand(check, x, y):
    check(values_of_and_or, x, y)


def conditional(x, n):
    a = x if x > 0 else -x
    b = 1 if n % 2 == 0 else 2
    return a + b, (x * 2 if n > 3 else x / 2)


@pytest.mark.parametrize("x,n", [(1.5, 2), (-2.5, 5)])
def test_conditional_expression(check, x, n):
    check(conditional, x, n)


def bitwise(a, b, p, q):
    return a & b, a | b, a ^ b, a << 2, a >> 1, p & q, p | q, p ^ q


def test_bitwise_operators(check):
    check(bitwise, 12, 10, True, False)
    check(bitwise, -12, 3, False, False)


def int_float_conversion(n, x):
    return n / 2, n // 2, x // 1, float(n) + 0.5, int(x), int(-x), float(True)


def test_true_division_of_ints_gives_a_float(check):
    check(int_float_conversion, 7, 3.75)
    check(int_float_conversion, -7, -3.75)


def constant_folding():
    a = 2**62 + (2**62 - 1)
    return a, 7 // -2, -7 % 3, 2.0**-2, 1 / 4


def test_constant_expressions_fold_with_python_semantics(check):
    check(constant_folding)
