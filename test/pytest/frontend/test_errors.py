"""Error messages point at the user's line with a caret and never at dp's own code."""

import math
import re

import pytest

import dp

THIS_FILE = __file__


def line_of(marker: str) -> int:
    """The line of this file that ends with the comment `# <marker>`."""
    with open(THIS_FILE) as source:
        for number, text in enumerate(source, start=1):
            if text.rstrip().endswith(f"# {marker}"):
                return number
    raise AssertionError(f"no line marked {marker}")


def compile_error(fn, *args, error=dp.DpError, **kwargs) -> str:
    with pytest.raises(error) as info:
        dp.compile(fn)(*args, **kwargs)
    message = str(info.value)
    assert "dp/frontend" not in message and "dp/api" not in message and "Traceback" not in message
    return message


def assert_points_at(message: str, marker: str) -> None:
    line = line_of(marker)
    assert f"test_errors.py:{line}:" in message, message
    lines = message.splitlines()
    assert len(lines) >= 3 and lines[-1].strip() == "^", message
    assert lines[-2].strip() == open(THIS_FILE).read().splitlines()[line - 1].strip(), message


def uses_try(x):
    try:  # try
        return x + 1.0
    finally:
        x = 0.0


def uses_with(x):
    with open("f"):  # with
        pass
    return x


COUNTER = 0


def uses_global(x):
    global COUNTER  # global
    return x


def uses_yield(x):
    yield x  # yield


def uses_import(x):
    import os  # import

    return x


def uses_unknown_function(x):
    return x + undefined_function(x)  # noqa: F821  # unknown


def uses_unsupported_builtin(x):
    return x + id(x)  # id


def uses_unsupported_math(x):
    return math.nextafter(x, 2.0)  # nextafter


def uses_while_else(x):
    while x > 0.0:  # while else
        x -= 1.0
    else:
        x = 0.0
    return x


def uses_set(x):
    return len({x, 1.0})  # set


def uses_walrus(x):
    return (y := x + 1.0) * y  # walrus


def uses_del(x):
    y = x
    del y  # del
    return x


def uses_raise(x):
    if x < 0.0:
        raise  # raise
    return x


UNSUPPORTED = [
    (uses_try, "try", "`finally` after a try body (or handler) that may return"),
    (uses_with, "with", "with statement"),
    (uses_global, "global", "global declaration"),
    (uses_yield, "yield", "yield expression"),
    (uses_import, "import", "import statement"),
    (uses_while_else, "while else", "else clause of a while loop"),
    (uses_walrus, "walrus", "assignment expression"),
    (uses_del, "del", "del statement"),
    (uses_raise, "raise", "a bare `raise`"),
]


@pytest.mark.parametrize("fn,marker,construct", UNSUPPORTED, ids=[u[1] for u in UNSUPPORTED])
def test_unsupported_construct(fn, marker, construct):
    message = compile_error(fn, 1.0, error=dp.UnsupportedSyntaxError)
    assert construct in message
    assert_points_at(message, marker)


def test_set_of_runtime_values():
    message = compile_error(uses_set, 1.0, error=dp.TypeMismatchError)
    assert "set display of runtime values" in message
    assert_points_at(message, "set")


@pytest.mark.parametrize(
    "fn,marker,text",
    [
        (uses_unknown_function, "unknown", "name 'undefined_function' is not defined"),
        (uses_unsupported_builtin, "id", "cannot call the builtin_function_or_method id"),
        (uses_unsupported_math, "nextafter", "cannot call the builtin_function_or_method nextafter"),
    ],
)
def test_calls_dp_cannot_compile(fn, marker, text):
    message = compile_error(fn, 1.0, error=dp.UnsupportedSyntaxError)
    assert text in message
    assert_points_at(message, marker)


def branch_types(x, flag):
    if flag:
        y = 1.0  # float branch
    else:
        y = 2  # int branch
    return y


def test_type_mismatch_across_branches_names_both_lines():
    message = compile_error(branch_types, 1.0, True, error=dp.TypeMismatchError)
    assert "variable 'y'" in message
    assert f"line {line_of('float branch')}" in message and f"line {line_of('int branch')}" in message
    assert "float" in message and "int" in message


def loop_types(n):
    total = 0  # int before loop
    for i in range(n):
        total = total + 0.5  # float in loop
    return total


def test_type_mismatch_across_a_loop():
    message = compile_error(loop_types, 3, error=dp.TypeMismatchError)
    assert "variable 'total'" in message
    assert f"line {line_of('int before loop')}" in message and f"line {line_of('float in loop')}" in message


def return_types(x):
    if x > 0.0:
        return 1  # int return
    return x  # float return


def test_returns_of_different_types():
    message = compile_error(return_types, 1.0, error=dp.TypeMismatchError)
    assert f"line {line_of('int return')}" in message
    assert_points_at(message, "float return")


def one_branch(x):
    if x > 0.0:
        y = x  # only here
    return y  # read


def test_variable_defined_in_one_branch():
    message = compile_error(one_branch, 1.0, error=dp.UnsupportedSyntaxError)
    assert "variable 'y' may be undefined" in message and f"line {line_of('only here')}" in message
    assert_points_at(message, "read")


def defined_in_loop(n):
    for i in range(n):
        last = i * 2
    return last  # after loop


def test_variable_defined_only_inside_a_loop():
    message = compile_error(defined_in_loop, 3, error=dp.UnsupportedSyntaxError)
    assert "assign it before the loop" in message
    assert_points_at(message, "after loop")


def no_base_case_first(n):  # recursive definition
    return no_base_case_first(n - 1) * 2


def test_recursion_whose_return_type_cannot_be_inferred():
    message = compile_error(no_base_case_first, 3, error=dp.UnsupportedSyntaxError)
    assert "cannot infer the return type" in message
    assert_points_at(message, "recursive definition")


def callee_with_error(x):
    return x[0]  # callee error


def caller(x):
    return callee_with_error(x) + 1.0


def test_errors_in_callees_point_at_the_callee():
    message = compile_error(caller, 1.0, error=dp.TypeMismatchError)
    assert "not subscriptable" in message
    assert_points_at(message, "callee error")


def two_args(x, y):  # two args
    return x + y


def test_wrong_argument_count_at_call_time():
    message = compile_error(two_args, 1.0, error=dp.TypeMismatchError)
    assert "missing a required argument: 'y'" in message
    assert f"test_errors.py:{line_of('two args')}:" in message


def test_unsupported_argument_type_at_call_time():
    message = compile_error(two_args, 1.0, object(), error=dp.TypeMismatchError)
    assert "argument 2 of two_args()" in message and "object" in message
    assert f"test_errors.py:{line_of('two args')}:" in message


def test_int_argument_out_of_range():
    compiled = dp.compile(two_args)
    compiled(1, 2)
    with pytest.raises(dp.TypeMismatchError, match="does not fit in 64 bits"):
        compiled(2**70, 1)


def test_function_without_source():
    namespace: dict = {}
    exec("def generated(x):\n    return x + 1.0\n", namespace)
    with pytest.raises(dp.UnsupportedSyntaxError, match="source code is not available"):
        dp.compile(namespace["generated"])(1.0)


def test_builtins_dp_does_not_compile_cannot_be_compiled():
    with pytest.raises(dp.UnsupportedSyntaxError, match="takes a Python function"):
        dp.compile(math.gamma)


def test_error_format_is_file_line_col_message():
    message = compile_error(uses_with, 1.0)
    first = message.splitlines()[0]
    assert re.fullmatch(r".*test_errors\.py:\d+:\d+: unsupported syntax: with statement", first)


def test_errors_are_dp_errors_with_locations():
    with pytest.raises(dp.UnsupportedSyntaxError) as info:
        dp.compile(uses_with)(1.0)
    error = info.value
    assert isinstance(error, dp.DpError)
    assert error.filename == THIS_FILE and error.lineno == line_of("with") and error.col == 5


def plain(x):
    return x + 1.0


def test_invalid_ir_is_an_internal_error_not_a_crash(monkeypatch):
    from dp.frontend import function_importer, pytree

    def without_return(self, block, parameters):
        self.record.result_spec = pytree.static(None)  # but no func.return: the verifier rejects the block

    monkeypatch.setattr(function_importer.FunctionImporter, "import_body", without_return)
    with pytest.raises(dp.InternalCompilerError) as info:
        dp.compile(plain)(1.0)
    assert "invalid IR" in str(info.value) and 'sym_name = "plain"' in str(info.value)
