"""dp.compile, dp.lower and the import_function contract the autodiff layer builds on."""

import dataclasses
from typing import NamedTuple

import pytest
from mlir import ir

import dp
from dp.frontend import ImportedFunction, import_function, pytree


def f(x, n):
    y = x
    for _ in range(n):
        y = y * x
    return y


def test_compile_bare_and_with_options():
    assert dp.compile(f)(2.0, 3) == 16.0
    assert dp.compile(target="cpu")(f)(2.0, 3) == 16.0
    assert dp.compile(f, target="cpu")(2.0, 3) == 16.0


def test_grad_option_is_validated():
    assert dp.compile(f, grad=True)(2.0, 3) == (16.0, (32.0, None))
    with pytest.raises(TypeError):
        dp.compile(f, grad="yes")
    with pytest.raises(ValueError):
        dp.compile(f, target="tpu")


def test_specializations_are_cached_per_signature():
    compiled = dp.compile(f)
    assert compiled(2.0, 2) == 8.0
    assert compiled(3, 2) == 27  # ints: a second specialization
    assert len(compiled._cache) == 2
    assert compiled(1.5, 1) == 2.25
    assert len(compiled._cache) == 2
    compiled.recompile()
    assert len(compiled._cache) == 0
    assert compiled(2.0, 2) == 8.0


def test_the_users_function_is_not_mutated():
    code, globals_, name = f.__code__, f.__globals__, f.__name__
    compiled = dp.compile(f)
    compiled(1.0, 1)
    assert f.__code__ is code and f.__globals__ is globals_ and f.__name__ == name
    assert compiled.__wrapped__ is f and compiled.__name__ == "f"
    assert not hasattr(f, "_cache")


def located(x, n):
    if n > 0:
        return x * n
    return x


def test_lower_prints_the_imported_module_with_locations():
    text = dp.lower(located, 2.0, 3, debug_info=True)
    assert "loc(" in text and "test_api.py" in text
    assert "func.func @located(" in text and "scf.if" in text and "arith.mulf" in text and "arith.sitofp" in text
    plain = dp.lower(dp.compile(located), 2.0, 3)
    assert "loc(" not in plain


def test_every_op_has_a_user_location():
    imported = import_function(located, (2.0, 3), context=ir.Context())
    lines = set()

    def visit(op):
        loc = str(op.location)
        if op.name != "builtin.module":
            assert "test_api.py" in loc, f"{op.name} at {loc}"
            lines.add(int(loc.split(":")[1]))
        return ir.WalkResult.ADVANCE

    imported.module.operation.walk(visit)
    assert len(lines) >= 3  # the def, the if, the returns


def test_lower_stages():
    assert "llvm.func @located" in dp.lower(located, 2.0, 3, stage="llvm")
    imported = dp.lower(located, 2.0, 3, grad=True)
    assert "dp.autodiff @located" in imported and "args [active, const] results [active]" in imported
    differentiated = dp.lower(located, 2.0, 3, grad=True, stage="differentiated")
    assert "func.func @__dp_reverse_entry" in differentiated
    # No loop: after inlining, every pushed value is popped right away and
    # the tape disappears with the request.
    assert "dp." not in differentiated
    with pytest.raises(ValueError):
        dp.lower(located, 2.0, 3, stage="ptx")


class Params(NamedTuple):
    w: float
    steps: int


@dataclasses.dataclass
class Config:
    scale: float
    label: str
    enabled: bool


def model(params, config, xs):
    total = 0.0
    for x in xs:
        total += params.w * x * config.scale
    if config.enabled:
        total += params.steps
    return {"total": total, "label": config.label}, params.steps


def test_import_function_contract():
    args = (Params(0.5, 3), Config(2.0, "c", True), [1.0, 2.0])
    imported = import_function(model, args, context=ir.Context())
    assert isinstance(imported, ImportedFunction)
    assert imported.entry == "model"
    entry = [op for op in imported.module.body.operations if op.operation.name == "func.func"]
    visibility = {str(op.attributes["sym_name"]): "sym_visibility" in op.attributes for op in entry}
    assert visibility == {'"model"': False}
    assert [(leaf.arg_index, leaf.path, str(leaf.type), leaf.differentiable) for leaf in imported.arg_leaves] == [
        (0, ("w",), "f64", True),
        (0, ("steps",), "i64", False),
        (1, ("scale",), "f64", True),
        (1, ("enabled",), "i1", False),
        (2, (0,), "f64", True),
        (2, (1,), "f64", True),
    ]
    assert len(imported.arg_treedefs) == 3
    assert [str(t) for t in imported.result_types] == ["f64", "i64"]
    assert pytree.describe(imported.result_treedef) == "tuple[{'total': float, 'label': 'c'}, int]"
    same = import_function(model, args, context=ir.Context())
    assert hash(same.signature_key) == hash(imported.signature_key) and same.signature_key == imported.signature_key
    other = import_function(model, (Params(0.5, 3), Config(2.0, "d", True), [1.0, 2.0]), context=ir.Context())
    assert other.signature_key != imported.signature_key  # static strings are part of the key


def test_gradients_unflatten_into_the_argument_structure():
    args = (Params(0.5, 3), Config(2.0, "c", True), [1.0, 2.0])
    imported = import_function(model, args, context=ir.Context())
    gradients = [1.0 if leaf.differentiable else None for leaf in imported.arg_leaves]
    offset, rebuilt = 0, []
    for treedef in imported.arg_treedefs:
        count = treedef.num_leaves
        rebuilt.append(pytree.unflatten(treedef, gradients[offset : offset + count], keep_static=False))
        offset += count
    assert rebuilt[0] == Params(1.0, None)
    assert (rebuilt[1].scale, rebuilt[1].label, rebuilt[1].enabled) == (1.0, None, None)
    assert rebuilt[2] == [1.0, 1.0]


def test_structured_results_come_back_as_python_objects():
    result = dp.compile(model)(Params(0.5, 3), Config(2.0, "c", True), [1.0, 2.0])
    assert result == ({"total": 6.0, "label": "c"}, 3)


def no_arguments():
    return 2.5


def returns_nothing(x):
    print("got", x)


def returns_bools(x, n):
    return x > 0.0, n == 3, not (x > 0.0)


def test_functions_without_arguments_or_results(capfd):
    assert dp.compile(no_arguments)() == 2.5
    assert dp.compile(returns_nothing)(1.5) is None
    assert capfd.readouterr().out == "got 1.5\n"


def test_bool_results():
    assert dp.compile(returns_bools)(1.0, 3) == (True, True, False)
    assert dp.compile(returns_bools)(-1.0, 2) == (False, False, True)
