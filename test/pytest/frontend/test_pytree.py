"""Flattening and rebuilding pytrees of scalars."""

import dataclasses
from typing import NamedTuple

import pytest

import dp
from dp.frontend import pytree
from dp.frontend.pytree import NodeKind


class Pair(NamedTuple):
    a: float
    b: int


@dataclasses.dataclass(frozen=True)
class Layer:
    w: float
    name: str
    sizes: tuple


TREES = [
    1.5,
    3,
    True,
    (1.0, (2, [3.0, "s"])),
    {"x": 1.0, "y": [2, 3], "z": None},
    Pair(0.5, 2),
    Layer(0.25, "dense", (4, 5.0)),
    [],
]


@pytest.mark.parametrize("tree", TREES)
def test_flatten_then_unflatten_round_trips(tree):
    leaves, treedef = pytree.flatten(tree)
    assert all(type(leaf) in (float, int, bool) for leaf in leaves)
    assert pytree.unflatten(treedef, leaves) == tree
    assert hash(treedef) == hash(pytree.flatten(tree)[1])


def test_leaf_paths_and_kinds():
    tree = {"p": Pair(0.5, 2), "layers": [Layer(1.0, "a", (3,))]}
    _, treedef = pytree.flatten(tree)
    assert pytree.leaf_paths(treedef) == [("p", "a"), ("p", "b"), ("layers", 0, "w"), ("layers", 0, "sizes", 0)]
    assert pytree.leaf_kinds(treedef) == [float, int, float, int]


def test_static_leaves_are_part_of_the_structure():
    assert pytree.flatten(Layer(1.0, "a", ()))[1] != pytree.flatten(Layer(1.0, "b", ()))[1]
    assert pytree.flatten((1.0,))[1] != pytree.flatten((1,))[1]
    assert pytree.flatten((1.0,))[1] == pytree.flatten((2.0,))[1]


def test_unflatten_without_static_leaves_gives_none_for_them():
    _, treedef = pytree.flatten(Layer(1.0, "a", (3, 4.0)))
    rebuilt = pytree.unflatten(treedef, [10.0, None, 20.0], keep_static=False)
    assert (rebuilt.w, rebuilt.name, rebuilt.sizes) == (10.0, None, (None, 20.0))


def test_numbers_static_for_compile_time_values():
    leaves, treedef = pytree.flatten((1, 2.5), numbers_static=True)
    assert leaves == [] and [child.kind for child in treedef.children] == [NodeKind.STATIC] * 2
    assert pytree.flatten((1,), numbers_static=True)[1] != pytree.flatten((1.0,), numbers_static=True)[1]


def test_unsupported_leaves_raise_type_mismatch():
    with pytest.raises(dp.TypeMismatchError, match=r"at \['k'\]\[1\]"):
        pytree.flatten({"k": [1.0, object()]})


def test_describe():
    _, treedef = pytree.flatten((1.0, {"a": 2}, Pair(1.0, 2)))
    assert pytree.describe(treedef) == "tuple[float, {'a': int}, Pair(a: float, b: int)]"
