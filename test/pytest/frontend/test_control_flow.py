"""if/elif/else, while, for over range and sequences, break, continue and early return."""

import pytest


def branches(x):
    if x < -1.0:
        y = -x
    elif x < 0.0:
        y = x * x
    elif x == 0.0:
        y = 42.0
    else:
        y = x + 1.0
    return y


@pytest.mark.parametrize("x", [-3.0, -0.5, 0.0, 2.0])
def test_if_elif_else(check, x):
    check(branches, x)


def if_without_else(x, n):
    y = x
    if n > 0:
        y = y * 2.0
        n = n - 1
    if n > 5:
        pass
    return y, n


@pytest.mark.parametrize("n", [0, 3, 9])
def test_if_without_else_threads_variables(check, n):
    check(if_without_else, 1.5, n)


def while_loop(x, n):
    total = 0.0
    while n > 0:
        total = total * x + n
        n -= 1
    return total, n


@pytest.mark.parametrize("n", [0, 1, 7])
def test_while_loop(check, n):
    check(while_loop, 0.5, n)


def collatz(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


@pytest.mark.parametrize("n", [1, 6, 27, 97])
def test_while_with_branches(check, n):
    check(collatz, n)


def range_forms(a, b, s):
    total = 0
    for i in range(b):
        total += i
    for i in range(a, b):
        total += 2 * i
    for i in range(a, b, s):
        total += 3 * i
    for i in range(10, -10, -3):
        total += i * i
    for i in range(b, a, -s):
        total -= i
    return total


@pytest.mark.parametrize("a,b,s", [(0, 10, 3), (-5, 7, 2), (8, 2, 1), (3, 3, 4), (-9, 9, 5)])
def test_for_range_with_runtime_and_negative_steps(check, a, b, s):
    check(range_forms, a, b, s)


def runtime_step(a, b, s):
    count = 0
    last = 0
    for i in range(a, b, s):
        count += 1
        last = i
    return count, last


@pytest.mark.parametrize("a,b,s", [(0, 10, 3), (10, 0, -3), (5, -5, -1), (0, 10, -1), (3, 4, 100), (-7, 7, 7)])
def test_range_with_runtime_step_of_either_sign(check, a, b, s):
    check(runtime_step, a, b, s)


def nested_loops(n, m):
    total = 0.0
    for i in range(n):
        j = 0
        while j < m:
            total += i * 0.5 + j
            j += 1
        for k in range(i):
            total -= k
    return total


def test_nested_loops(check):
    check(nested_loops, 5, 4)


def break_and_continue(n):
    total = 0
    for i in range(n):
        if i % 3 == 0:
            continue
        if i > 10:
            break
        total += i
    return total


@pytest.mark.parametrize("n", [0, 5, 20])
def test_break_and_continue_in_for(check, n):
    check(break_and_continue, n)


def while_break_continue(x):
    count = 0
    while True:
        x = x * 1.5
        if x < 2.0:
            continue
        count += 1
        if x > 100.0:
            break
    return x, count


def test_while_true_with_break_and_continue(check):
    check(while_break_continue, 0.25)


def nested_break(n):
    hits = 0
    for i in range(n):
        for j in range(n):
            if j > i:
                break
            if (i + j) % 2 == 1:
                continue
            hits += i * j
        if hits > 50:
            break
    return hits


@pytest.mark.parametrize("n", [3, 8, 20])
def test_break_and_continue_in_nested_loops(check, n):
    check(nested_break, n)


def early_return(x):
    if x < 0.0:
        return -1.0
    y = x * 2.0
    if y > 10.0:
        return 10.0
    return y


@pytest.mark.parametrize("x", [-1.0, 2.0, 7.0])
def test_early_return(check, x):
    check(early_return, x)


def return_from_loop(xs_len, target):
    for i in range(xs_len):
        if i * i >= target:
            return i
    return -1


@pytest.mark.parametrize("target", [0, 10, 1000])
def test_return_inside_for(check, target):
    check(return_from_loop, 20, target)


def return_from_nested_loops(n, target):
    total = 0
    i = 0
    while i < n:
        for j in range(n):
            total += i + j
            if total > target:
                return i, j, total
        i += 1
    return -1, -1, total


@pytest.mark.parametrize("target", [5, 40, 10_000])
def test_return_inside_nested_loops(check, target):
    check(return_from_nested_loops, 6, target)


def find_first(a, b, c, d):
    for value in (a, b, c, d):
        if value > 1.0:
            return value
    return 0.0


@pytest.mark.parametrize("args", [(0.5, 2.0, 3.0, 4.0), (0.5, 0.5, 0.5, 0.5), (9.0, 0.0, 0.0, 0.0)])
def test_return_inside_unrolled_loop(check, args):
    check(find_first, *args)


def unrolled_break_continue(t):
    total = 0.0
    for x in t:
        if x < 0.0:
            continue
        if x > 5.0:
            break
        total += x
    return total


@pytest.mark.parametrize("t", [(1.0, -2.0, 3.0, 9.0, 4.0), (1.0, 2.0), (6.0, 1.0)])
def test_break_and_continue_in_unrolled_loop(check, t):
    check(unrolled_break_continue, t)


def loop_variable_after_loop(n):
    i = -1
    for i in range(n):
        pass
    return i


@pytest.mark.parametrize("n", [0, 4])
def test_loop_variable_keeps_its_last_value(check, n):
    check(loop_variable_after_loop, n)


def returns_in_all_branches(x, n):
    while n > 0:
        if x > 10.0:
            return x
        x = x * 2.0
        n -= 1
    else_value = x + 0.5
    return else_value


@pytest.mark.parametrize("x,n", [(1.0, 2), (1.0, 10), (20.0, 0)])
def test_while_with_return_and_fallthrough(check, x, n):
    check(returns_in_all_branches, x, n)


def while_true_returns(n):
    k = 0
    while True:
        k += 1
        if k * k > n:
            return k


def test_while_true_left_only_by_return(check):
    check(while_true_returns, 50)


def compile_time_condition(x):
    debug = False
    if debug:
        x = x + 1.0
    while False:
        x = 0.0
    return x


def test_compile_time_conditions_are_pruned(check):
    check(compile_time_condition, 3.0)


def nested_conditional_expressions(x):
    return 1.0 if x > 2.0 else (2.0 if x > 1.0 else 3.0)


@pytest.mark.parametrize("x", [0.5, 1.5, 3.0])
def test_nested_conditional_expressions(check, x):
    check(nested_conditional_expressions, x)


def halve(x):
    return x / 2.0


def loud_test(x):
    print("test", x)
    return x > 1.0


def call_in_while_test(x):
    n = 0
    while loud_test(x):
        x = halve(x)
        n += 1
    return n


def test_calls_with_side_effects_in_a_while_test(check, capfd):
    check(call_in_while_test, 9.0)
    out = capfd.readouterr().out.splitlines()
    assert out[: len(out) // 2] == out[len(out) // 2 :]  # Python's run, then dp's: same prints


def short_circuit(x, flag):
    return flag and loud_test(x)


def test_and_with_side_effects_short_circuits(check, capfd):
    check(short_circuit, 2.0, False)
    assert capfd.readouterr().out == ""
    check(short_circuit, 2.0, True)
    assert capfd.readouterr().out == "test 2.0\ntest 2.0\n"


def deep_nesting(n):
    acc = 0
    for i in range(n):
        j = 0
        while j < n:
            j += 1
            if j == 2:
                continue
            for k in range(j):
                if k == 3:
                    break
                if (i + j + k) % 5 == 0:
                    continue
                acc += i * j + k
                if acc > 500:
                    return acc
        if i == 7:
            break
    return -acc


@pytest.mark.parametrize("n", [3, 6, 10])
def test_jumps_in_three_nested_loops(check, n):
    check(deep_nesting, n)


def return_from_endless_loop_in_for(n):
    for i in range(n):
        k = 0
        while True:
            k += 1
            if k > i:
                break
            if k * i == 6:
                return k, i
    return -1, -1


@pytest.mark.parametrize("n", [2, 6])
def test_return_from_an_endless_loop_nested_in_a_for(check, n):
    check(return_from_endless_loop_in_for, n)


def long_unrolled_loop(t):
    total = 0.0
    for x in t:
        if x > 150.0:
            break
        total += x
    return total


def test_unrolled_loop_with_break_over_a_long_tuple(check):
    check(long_unrolled_loop, tuple(float(i) for i in range(300)))
