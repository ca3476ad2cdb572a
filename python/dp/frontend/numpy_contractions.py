"""numpy's contractions and diagonals: einsum, tensordot, dot/inner/matmul of any rank, kron, cross, trace, diag.

Every contraction goes through `contract`, which works on labelled axes:
a label repeated within one operand takes that operand's diagonal (a
strided `tensor.extract_slice` of the two axes flattened), a label no other
operand or the output needs is summed away (`linalg.reduce`), and operands
are combined left to right: without shared kept labels by one
`linalg.matmul` of the operands transposed and reshaped to matrices, with
batch labels by a broadcast product and a sum. Those are ops dp-autodiff
already differentiates, so every function here has derivatives of any order
in both modes. Subscripts, axes and offsets are compile-time constants.
"""

from __future__ import annotations

import ast
import builtins
from typing import Any, Callable, Hashable, Sequence

import numpy as np

from dp.errors import ShapeError, TypeMismatchError, UnsupportedSyntaxError
from dp.frontend import numpy_functions as nf
from dp.frontend import tensors
from dp.frontend.numpy_shapes import array, axis_of, join, move_to_end, piece, result
from dp.frontend.values import Array, Const

Handler = Callable[[list[Any], dict[str, Any]], Any]
Label = Hashable
_ELLIPSIS = object()


# -- diagonals ----------------------------------------------------------------------------------------------


def diagonal(x: Array, offset: int, axis1: int, axis2: int, name: str = "np.diagonal") -> Array:
    """The diagonal of axes `axis1`, `axis2` (moved to the end): a strided slice of the two flattened."""
    if x.ndim < 2:
        raise ShapeError(f"{name}: diag requires an array of at least two dimensions")
    a, b = axis_of(Const(axis1), x.ndim, name), axis_of(Const(axis2), x.ndim, name)
    if a == b:
        raise ShapeError(f"{name}: axis1 and axis2 cannot be the same")
    moved = move_to_end(x, [a, b])
    n, m = moved.shape[-2], moved.shape[-1]
    if offset >= 0:
        count, start = builtins.max(0, builtins.min(n, m - offset)), offset
    else:
        count, start = builtins.max(0, builtins.min(n + offset, m)), -offset * m
    lead = moved.shape[:-2]
    if count == 0:
        return tensors.full(x.spec.with_shape(lead + (0,)), Const(0))
    flat = tensors.reshape(moved, lead + (n * m,), view=False)
    return piece(flat, len(lead), start if count else 0, count, m + 1)


def _diagonal(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = nf._bind("np.diagonal", args, kwargs, ("a", "offset", "axis1", "axis2"))
    x = array(bound["a"])
    return _view(x, diagonal(x, *_diagonal_options(bound, "np.diagonal"), "np.diagonal"))


def _diagonal_options(bound: dict, name: str) -> tuple[int, int, int]:
    values = []
    for key, default in (("offset", 0), ("axis1", 0), ("axis2", 1)):
        value = default if bound.get(key) is None else nf.static(bound[key], f"the {key} of {name}")
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
            raise TypeMismatchError(f"{name}: {key} must be an int, not {value!r}")
        values.append(int(value))
    return values[0], values[1], values[2]


def _view(base: Array, value: Array) -> Array:
    """numpy returns `value` as a read-only view of `base`."""
    return tensors._derived(base, value.value, value.spec, True)


def trace(value: Any, offset: int, axis1: int, axis2: int, dtype: Any, name: str = "np.trace") -> Any:
    x = array(value)
    d = diagonal(x, offset, axis1, axis2, name)
    return tensors.reduce("sum", d, d.ndim - 1, False, nf._dtype(dtype, None, name))


def _trace(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = nf._bind("np.trace", args, kwargs, ("a", "offset", "axis1", "axis2", "dtype"))
    return trace(bound["a"], *_diagonal_options(bound, "np.trace"), bound.get("dtype"))


def diag(value: Any, k: Any, name: str = "np.diag") -> Array:
    """np.diag: the k-th diagonal of a matrix, or the matrix with a vector on its k-th diagonal."""
    x = array(value)
    offset = 0 if k is None else int(nf.static(k, f"k of {name}"))
    if x.ndim == 2:
        return _view(x, diagonal(x, offset, 0, 1, name))
    if x.ndim != 1:
        raise ShapeError(f"{name}: input must be 1- or 2-d, not of shape {x.shape}")
    n = x.shape[0] + builtins.abs(offset)
    mask = np.eye(n, n, offset, dtype=bool)
    # The vector, padded to n, runs along the rows (k >= 0) or the columns (k < 0) of the diagonal it fills.
    padded = join([x, tensors.full(x.spec.with_shape((builtins.abs(offset),)), Const(0))], 0, x)
    along = tensors.insert_unit_dims(padded, [1 if offset >= 0 else 0], view=False)
    spread = tensors.broadcast_to(along, x.dtype, (n, n))
    return tensors.where(tensors.constant_array(mask), spread, Const(0))


def _diag(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = nf._bind("np.diag", args, kwargs, ("v", "k"))
    return diag(bound["v"], bound.get("k"))


def _diagflat(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = nf._bind("np.diagflat", args, kwargs, ("v", "k"))
    x = array(bound["v"])
    return diag(tensors.reshape(x, (x.spec.size,), view=False), bound.get("k"), "np.diagflat")


def _triangle(name: str) -> Handler:
    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        bound = nf._bind(f"np.{name}", args, kwargs, ("m", "k"))
        x = array(bound["m"])
        k = 0 if bound.get("k") is None else int(nf.static(bound["k"], f"k of np.{name}"))
        if x.ndim == 0:
            raise ShapeError(f"np.{name}: input must be at least 1-d")
        if name == "tril":
            keep = np.tri(*x.shape[-2:], k=k, dtype=bool)
        else:
            keep = ~np.tri(*x.shape[-2:], k=k - 1, dtype=bool)
        return tensors.where(tensors.constant_array(keep), x, Const(0))

    return lower


# -- contraction of labelled axes ---------------------------------------------------------------------------


def _sum_out(x: Array, labels: list[Label], keep: set[Label]) -> tuple[Array, list[Label]]:
    drop = [d for d, label in enumerate(labels) if label not in keep]
    if not drop:
        return x, labels
    summed = tensors.reduce("sum", x, tuple(drop), True)
    summed = tensors.drop_unit_dims(summed, drop, view=False)
    return summed, [label for label in labels if label in keep]


def _undiagonal(x: Array, labels: list[Label], name: str) -> tuple[Array, list[Label]]:
    """An operand whose labels are distinct: each repeated label takes the diagonal of its axes."""
    while True:
        repeated = next((label for label in labels if labels.count(label) > 1), None)
        if repeated is None:
            return x, labels
        a = labels.index(repeated)
        b = labels.index(repeated, a + 1)
        if x.shape[a] != x.shape[b]:
            raise ShapeError(f"{name}: dimensions in operand for collapsing index '{repeated}' don't match")
        x = diagonal(x, 0, a, b, name)
        labels = [label for d, label in enumerate(labels) if d not in (a, b)] + [repeated]


def _arrange(x: Array, labels: list[Label], order: list[Label]) -> Array:
    """`x` transposed so that its labels run in `order` (which holds exactly its labels)."""
    return tensors.transpose(x, [labels.index(label) for label in order])


def _pair(
    a: Array, la: list[Label], b: Array, lb: list[Label], needed: set[Label], sizes: dict[Label, int]
) -> tuple[Array, list[Label]]:
    """The product of two operands summed over the shared labels nothing later needs."""
    a, la = _sum_out(a, la, needed | set(lb))
    b, lb = _sum_out(b, lb, needed | set(la))
    shared = [label for label in la if label in lb]
    summed = [label for label in shared if label not in needed]
    batch = [label for label in shared if label in needed]
    free_a = [label for label in la if label not in shared]
    free_b = [label for label in lb if label not in shared]
    labels = batch + free_a + free_b
    shape = tuple(sizes[label] for label in labels)
    dtype = tensors.result_dtype(a, b)
    if 0 in shape or any(sizes[label] == 0 for label in summed):
        return tensors.full(a.spec.with_dtype(dtype).with_shape(shape), Const(0)), labels
    if not batch and summed and dtype != "bool":
        rows = int(np.prod([sizes[label] for label in free_a], dtype=np.int64))
        cols = int(np.prod([sizes[label] for label in free_b], dtype=np.int64))
        inner = int(np.prod([sizes[label] for label in summed], dtype=np.int64))
        left = tensors.reshape(_arrange(a, la, free_a + summed), (rows, inner), view=False)
        right = tensors.reshape(_arrange(b, lb, summed + free_b), (inner, cols), view=False)
        product = tensors.matmul(left, right, "einsum")
        return tensors.reshape(product, shape, view=False), labels
    order = labels + summed
    wide_a = _arrange(a, la, batch + free_a + summed)
    wide_a = tensors.insert_unit_dims(wide_a, [order.index(label) for label in free_b], view=False)
    wide_b = _arrange(b, lb, batch + free_b + summed)
    wide_b = tensors.insert_unit_dims(wide_b, [order.index(label) for label in free_a], view=False)
    product = tensors.as_array(tensors.binary(ast.Mult, wide_a, wide_b))
    if summed:
        axes = tuple(range(len(labels), len(order)))
        product = tensors.as_array(tensors.reduce("sum", product, axes, True))
        product = tensors.drop_unit_dims(product, list(axes), view=False)
    return product, labels


def contract(operands: Sequence[Array], terms: Sequence[list[Label]], output: list[Label], name: str) -> Any:
    """The sum over every label not in `output` of the product of the labelled operands (Einstein's rule)."""
    sizes: dict[Label, int] = {}
    for x, labels in zip(operands, terms):
        if x.ndim != len(labels):
            raise ShapeError(f"{name}: an operand has {x.ndim} dimensions but {len(labels)} subscripts")
        for label, n in zip(labels, x.shape):
            known = sizes.get(label)
            if known is not None and known != n and 1 not in (known, n):
                raise ShapeError(
                    f"{name}: operands could not be broadcast together: dimension {label!r} has sizes {known} and {n}"
                )
            sizes[label] = n if known is None or known == 1 else known
    for label in output:
        if label not in sizes:
            raise ShapeError(f"{name}: output subscript {label!r} does not appear in the inputs")
        if output.count(label) > 1:
            raise ShapeError(f"{name}: output subscript {label!r} appears more than once")
    dtype = tensors.result_dtype(*operands)
    prepared = []
    for x, labels in zip(operands, terms):
        x = tensors.cast(x, dtype)
        for d, label in enumerate(labels):
            if x.shape[d] == 1 and sizes[label] != 1:
                shape = list(x.shape)
                shape[d] = sizes[label]
                x = tensors.broadcast_to(x, dtype, tuple(shape))
        prepared.append(_undiagonal(x, list(labels), name))
    keep = set(output)
    for i in range(len(prepared)):
        others = {label for j, (_, labels) in enumerate(prepared) if j != i for label in labels}
        prepared[i] = _sum_out(*prepared[i], keep | others)
    x, labels = prepared[0]
    for i in range(1, len(prepared)):
        needed = keep | {label for _, later in prepared[i + 1 :] for label in later}
        x, labels = _pair(x, labels, *prepared[i], needed, sizes)
    x, labels = _sum_out(x, labels, keep)
    return result(_arrange(x, labels, list(output)))


# -- einsum ----------------------------------------------------------------------------------------------------


def _parse_term(text: str, name: str) -> list[Any]:
    items: list[Any] = []
    i = 0
    while i < len(text):
        if text.startswith("...", i):
            items.append(_ELLIPSIS)
            i += 3
            continue
        char = text[i]
        if not char.isalpha() or not char.isascii():
            raise ShapeError(f"{name}: invalid subscript {char!r} in einstein sum subscripts string")
        items.append(char)
        i += 1
    if items.count(_ELLIPSIS) > 1:
        raise ShapeError(f"{name}: an operand's subscripts contain more than one ellipsis")
    return items


def _sublist(value: Any, name: str) -> list[Any]:
    data = nf.static(value, f"a subscript list of {name}")
    if not isinstance(data, tuple):
        raise TypeMismatchError(f"{name}: subscripts are a string or lists of ints, not {data!r}")
    items = []
    for item in data:
        if item is Ellipsis:
            items.append(_ELLIPSIS)
        elif isinstance(item, (int, np.integer)) and not isinstance(item, bool) and 0 <= item < 52:
            items.append(int(item))
        else:
            raise ShapeError(f"{name}: subscript {item!r} is not an int in [0, 52) or Ellipsis")
    return items


def _resolve(
    terms: list[list[Any]], output: list[Any] | None, operands: list[Array], name: str
) -> tuple[list[list[Label]], list[Label]]:
    """Labels with each ellipsis replaced by labels of its dims (right-aligned across operands, as broadcasting)."""
    if len(terms) != len(operands):
        raise ShapeError(f"{name}: {len(terms)} subscript terms for {len(operands)} operands")
    widths = []
    for items, x in zip(terms, operands):
        explicit = len(items) - items.count(_ELLIPSIS)
        width = x.ndim - explicit
        if width < 0 or (width and _ELLIPSIS not in items):
            raise ShapeError(
                f"{name}: operand of shape {x.shape} has {x.ndim} dimensions but its subscripts name {explicit}"
            )
        widths.append(width if _ELLIPSIS in items else 0)
    rank = builtins.max(widths, default=0)
    broadcast = [("...", j) for j in range(rank)]
    labels = []
    for items, width in zip(terms, widths):
        expanded: list[Label] = []
        for item in items:
            expanded.extend(broadcast[rank - width :] if item is _ELLIPSIS else [item])
        labels.append(expanded)
    if output is None:
        counts: dict[Any, int] = {}
        for items in terms:
            for item in items:
                if item is not _ELLIPSIS:
                    counts[item] = counts.get(item, 0) + 1
        once = sorted((item for item, c in counts.items() if c == 1), key=lambda s: (isinstance(s, str), s))
        return labels, broadcast + once
    out: list[Label] = []
    for item in output:
        out.extend(broadcast if item is _ELLIPSIS else [item])
    return labels, out


def einsum(args: list[Any], kwargs: dict[str, Any], name: str = "np.einsum") -> Any:
    for key, value in kwargs.items():
        if key == "optimize" or (key in ("out", "dtype", "order", "casting") and isinstance(value, Const) and value.value is None):
            continue
        raise UnsupportedSyntaxError(f"{name}() keyword argument '{key}' is not supported")
    if not args:
        raise TypeMismatchError(f"{name}() needs subscripts and operands")
    first = args[0]
    if isinstance(first, Const) and isinstance(first.value, str):
        text = first.value.replace(" ", "")
        operands = [array(a) for a in args[1:]]
        if "->" in text:
            inputs, _, out_text = text.partition("->")
            if "->" in out_text:
                raise ShapeError(f"{name}: subscripts contain more than one '->'")
            output = _parse_term(out_text, name)
        else:
            inputs, output = text, None
        terms = [_parse_term(term, name) for term in inputs.split(",")]
    else:
        pairs = list(args)
        output = _sublist(pairs.pop(), name) if len(pairs) % 2 else None
        operands = [array(a) for a in pairs[0::2]]
        terms = [_sublist(s, name) for s in pairs[1::2]]
    labels, out = _resolve(terms, output, operands, name)
    return contract(operands, labels, out, name)


# -- products of any rank ---------------------------------------------------------------------------------------


def _axes_list(value: Any, ndim: int, name: str) -> list[int]:
    items = value if isinstance(value, tuple) else (value,)
    return [axis_of(Const(a), ndim, name) for a in items]


def tensordot(a: Any, b: Any, axes: Any, name: str = "np.tensordot") -> Any:
    """np.tensordot: the last `axes` axes of a against the first of b, or the axes of two given lists."""
    x, y = nf._array_like(a), nf._array_like(b)
    spec = 2 if axes is None else nf.static(axes, f"the axes of {name}")
    x, y = tensors.as_array(x), tensors.as_array(y)
    if isinstance(spec, (int, np.integer)) and not isinstance(spec, bool):
        n = int(spec)
        if n < 0 or n > x.ndim or n > y.ndim:
            raise ShapeError(f"{name}: axes={n} is out of range for shapes {x.shape} and {y.shape}")
        on_x, on_y = list(range(x.ndim - n, x.ndim)), list(range(n))
    else:
        if not isinstance(spec, tuple) or len(spec) != 2:
            raise TypeMismatchError(f"{name}: axes must be an int or a pair of axis sequences, not {spec!r}")
        on_x, on_y = _axes_list(spec[0], x.ndim, name), _axes_list(spec[1], y.ndim, name)
    if len(on_x) != len(on_y):
        raise ShapeError(f"{name}: shape-mismatch for sum (axes {on_x} and {on_y})")
    for i, j in zip(on_x, on_y):
        if x.shape[i] != y.shape[j]:
            raise ShapeError(f"{name}: shape-mismatch for sum: {x.shape} axis {i} vs {y.shape} axis {j}")
    lx = [("a", d) for d in range(x.ndim)]
    ly = [("b", d) for d in range(y.ndim)]
    for i, j in zip(on_x, on_y):
        ly[j] = lx[i]
    out = [lx[d] for d in range(x.ndim) if d not in on_x] + [ly[d] for d in range(y.ndim) if d not in on_y]
    return contract([x, y], [lx, ly], out, name)


def _tensordot(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = nf._bind("np.tensordot", args, kwargs, ("a", "b", "axes"), 2)
    return tensordot(bound["a"], bound["b"], bound.get("axes"))


def dot(x: Array, y: Array, name: str = "np.dot") -> Any:
    """np.dot of arrays of any rank: the last axis of x against the second-to-last of y (its only one if 1-D)."""
    return tensordot(x, y, Const(((x.ndim - 1,), (0 if y.ndim == 1 else y.ndim - 2,))), name)


def _inner(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = nf._bind("np.inner", args, kwargs, ("a", "b"), 2)
    x, y = nf._array_like(bound["a"]), nf._array_like(bound["b"])
    if not isinstance(x, Array) or not isinstance(y, Array):
        return tensors.binary(ast.Mult, x, y)
    if x.shape[-1] != y.shape[-1]:
        raise ShapeError(f"np.inner: shapes {x.shape} and {y.shape} not aligned (last dimensions differ)")
    return tensordot(x, y, Const(((x.ndim - 1,), (y.ndim - 1,))), "np.inner")


def batched_matmul(a: Array, b: Array, name: str = "matmul") -> Any:
    """`a @ b` with stacks of matrices: the leading dims broadcast, 1-D operands are a row or a column."""
    if a.ndim == 0 or b.ndim == 0:
        raise ShapeError(f"{name}: an operand is a scalar; use * to scale")
    k_a, k_b = a.shape[-1], b.shape[-2] if b.ndim > 1 else b.shape[0]
    if k_a != k_b:
        raise ShapeError(f"{name}: shapes {a.shape} and {b.shape} are not aligned: {k_a} != {k_b} (core dimension)")
    batch = builtins.max(a.ndim - 2, b.ndim - 2, 0)
    stack = [("...", j) for j in range(batch)]
    la = stack[batch - builtins.max(a.ndim - 2, 0) :] + (["i", "k"] if a.ndim > 1 else ["k"])
    lb = stack[batch - builtins.max(b.ndim - 2, 0) :] + (["k", "j"] if b.ndim > 1 else ["k"])
    out = stack + (["i"] if a.ndim > 1 else []) + (["j"] if b.ndim > 1 else [])
    return contract([a, b], [la, lb], out, name)


def _matmul(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = nf._bind("np.matmul", args, kwargs, ("x1", "x2"), 2)
    return tensors.matmul(nf._array_like(bound["x1"]), nf._array_like(bound["x2"]), "np.matmul")


def kron(a: Any, b: Any, name: str = "np.kron") -> Any:
    """np.kron: a's dims interleaved with b's in a broadcast product, then merged pairwise."""
    x, y = array(a), array(b)
    rank = builtins.max(x.ndim, y.ndim)
    xs = (1,) * (rank - x.ndim) + x.shape
    ys = (1,) * (rank - y.ndim) + y.shape
    wide_x = tensors.reshape(x, tuple(v for n in xs for v in (n, 1)), view=False)
    wide_y = tensors.reshape(y, tuple(v for n in ys for v in (1, n)), view=False)
    product = tensors.as_array(tensors.binary(ast.Mult, wide_x, wide_y))
    return result(tensors.reshape(product, tuple(p * q for p, q in zip(xs, ys)), view=False))


def _kron(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = nf._bind("np.kron", args, kwargs, ("a", "b"), 2)
    return kron(bound["a"], bound["b"])


def cross(a: Any, b: Any, axisa: Any, axisb: Any, axisc: Any, axis: Any, name: str = "np.cross") -> Any:
    """np.cross of 2- and 3-vectors along the given axes (broadcasting the others)."""
    if axis is not None and not (isinstance(axis, Const) and axis.value is None):
        axisa = axisb = axisc = axis
    x, y = array(a), array(b)
    if x.ndim == 0 or y.ndim == 0:
        raise ShapeError(f"{name}: incompatible dimensions for cross product (dimension must be 2 or 3)")
    x = move_to_end(x, [axis_of(axisa, x.ndim, name, -1)])
    y = move_to_end(y, [axis_of(axisb, y.ndim, name, -1)])
    if x.shape[-1] not in (2, 3) or y.shape[-1] not in (2, 3):
        raise ShapeError(f"{name}: incompatible dimensions for cross product (dimension must be 2 or 3)")

    def parts(v: Array) -> list[Any]:
        comps = [tensors.drop_unit_dims(piece(v, v.ndim - 1, i, 1), [v.ndim - 1], view=False) for i in range(v.shape[-1])]
        return [result(c) for c in comps] + ([None] if len(comps) == 2 else [])

    (a0, a1, a2), (b0, b1, b2) = parts(x), parts(y)

    def mul(p: Any, q: Any) -> Any:
        return tensors.binary(ast.Mult, p, q)

    def sub(p: Any, q: Any) -> Any:
        return tensors.binary(ast.Sub, p, q)

    z = sub(mul(a0, b1), mul(a1, b0))
    if a2 is None and b2 is None:
        return z
    if a2 is None:
        c0, c1 = mul(a1, b2), tensors.negate(mul(a0, b2))
    elif b2 is None:
        c0, c1 = tensors.negate(mul(a2, b1)), mul(a2, b0)
    else:
        c0, c1 = sub(mul(a1, b2), mul(a2, b1)), sub(mul(a2, b0), mul(a0, b2))
    shape = tensors.broadcast_shapes(*[tensors.shape_of(c) for c in (c0, c1, z)])
    dtype = tensors.result_dtype(x, y)
    comps = [tensors.broadcast_to(c, dtype, shape) for c in (c0, c1, z)]
    stacked = tensors.stack(comps, len(shape))
    target = axis_of(axisc, stacked.ndim, name, -1)
    order = list(range(stacked.ndim - 1))
    order.insert(target, stacked.ndim - 1)
    return tensors.transpose(stacked, order)


def _cross(args: list[Any], kwargs: dict[str, Any]) -> Any:
    bound = nf._bind("np.cross", args, kwargs, ("a", "b", "axisa", "axisb", "axisc", "axis"), 2)
    return cross(bound["a"], bound["b"], bound.get("axisa"), bound.get("axisb"), bound.get("axisc"), bound.get("axis"))


FUNCTIONS: dict[Any, Handler] = {
    np.einsum: einsum,
    np.tensordot: _tensordot,
    np.inner: _inner,
    np.matmul: _matmul,
    np.kron: _kron,
    np.cross: _cross,
    np.trace: _trace,
    np.diagonal: _diagonal,
    np.diag: _diag,
    np.diagflat: _diagflat,
    np.triu: _triangle("triu"),
    np.tril: _triangle("tril"),
}


def call_method(x: Array, name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """`x.trace(...)`, `x.diagonal(...)`; None for other names."""
    method = f"ndarray.{name}"
    if name == "trace":
        bound = nf._bind(method, args, kwargs, ("offset", "axis1", "axis2", "dtype"), 0)
        return trace(x, *_diagonal_options(bound, method), bound.get("dtype"), method)
    if name == "diagonal":
        bound = nf._bind(method, args, kwargs, ("offset", "axis1", "axis2"), 0)
        return _view(x, diagonal(x, *_diagonal_options(bound, method), method))
    return None


METHODS = ("trace", "diagonal")

__all__ = ["FUNCTIONS", "METHODS", "batched_matmul", "call_method", "contract", "dot", "einsum", "tensordot"]
