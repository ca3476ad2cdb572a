"""numpy semantics on ranked tensors of static shape.

Every array op builds a small, fixed vocabulary of upstream ops (the
derivative rules of dp-autodiff match exactly these):

- elementwise: `arith`/`math` ops directly on same-shape tensors
  (`arith.addf %a, %b : tensor<4x3xf64>`, `math.exp`, `arith.cmpf`,
  `arith.select` with an i1 tensor, casts `arith.sitofp`/`uitofp`/`extf`/
  `truncf`/`fptosi`/`extsi`/`trunci`/`extui`);
- numpy broadcasting made explicit: `tensor.collapse_shape` drops the
  size-1 dims being broadcast, then `linalg.broadcast` (into `tensor.empty`)
  adds the missing dims; a scalar next to an array becomes an
  `arith.constant dense<c>` (a constant) or a `tensor.splat` (a runtime value);
- products: `linalg.matmul`, `linalg.matvec`, `linalg.vecmat`, `linalg.dot`,
  each with `outs` a `linalg.fill` of zero into `tensor.empty`;
- reductions: `linalg.reduce` whose body is one `arith.addf`/`mulf`/
  `maximumf`/`minimumf` (`addi`/`muli`/`maxsi`/`minsi`, `ori`/`andi` for ints
  and bools) with the identity in a `linalg.fill` init; mean is the sum times
  the constant 1/n; keepdims re-inserts the size-1 dims with `tensor.expand_shape`;
- layout: `linalg.transpose`, `tensor.collapse_shape`/`tensor.expand_shape`
  (a general reshape collapses to 1-D and expands), `tensor.concat`;
- indexing: `tensor.extract` (one element), `tensor.extract_slice` followed by
  `tensor.collapse_shape` for integer-indexed dims, `tensor.insert` and
  `tensor.insert_slice` (after `tensor.expand_shape`) for writes;
- creation: `arith.constant dense<...>`, `tensor.splat`, `tensor.from_elements`.

Shapes are static, so every shape error is found at compile time and is a
dp.ShapeError naming both shapes. An operation whose result has rank 0
returns a scalar, as numpy does.
"""

from __future__ import annotations

import ast
import builtins
from typing import Any, Sequence

import numpy as np
from mlir import ir
from mlir.dialects import arith, linalg, math, tensor

from dp.dialects import dp as dpd
from dp.errors import ShapeError, TypeMismatchError
from dp.frontend import scalars
from dp.frontend.dtypes import FLOAT_DTYPES, INT_DTYPES, ArraySpec, kind_dtype, spec_of_array
from dp.frontend.values import (
    Array,
    Const,
    ListValue,
    Scalar,
    TupleValue,
    describe,
    element_type,
    is_array,
    is_const_array,
    is_number,
    mlir_type,
)

VIEW = "a view of another array (a slice, transpose or reshape)"


def _shape_text(shape: Sequence[int]) -> str:
    return str(tuple(shape))


# -- constants and scalars ---------------------------------------------------------------------


def scalar_attr(value: Any, dtype: str) -> ir.Attribute:
    """An attribute holding one element of `dtype`."""
    type_ = element_type(dtype)
    if dtype in FLOAT_DTYPES:
        return ir.FloatAttr.get(type_, float(value))
    return ir.IntegerAttr.get(type_, int(value))


def constant_array(data: np.ndarray) -> Array:
    """An `arith.constant dense<...>` of a numpy array (a splat when all elements are equal)."""
    spec = spec_of_array(data)
    data = np.asarray(data, dtype=spec.numpy_dtype)
    type_ = mlir_type(spec)
    flat = data.reshape(-1)
    if flat.size and (np.all(flat == flat[0]) and not (spec.is_float and np.isnan(flat[0]))):
        attr = ir.DenseElementsAttr.get_splat(type_, scalar_attr(flat[0].item(), spec.dtype))
    elif flat.size and spec.is_float and np.all(np.isnan(flat)):
        attr = ir.DenseElementsAttr.get_splat(type_, scalar_attr(float("nan"), spec.dtype))
    elif data.dtype == np.bool_:
        # MLIR keeps i1 elements as packed bits, and builds them only from a packed buffer.
        packed = np.packbits(flat, bitorder="little")
        attr = ir.DenseElementsAttr.get(packed, type=element_type(spec.dtype), shape=list(data.shape))
    else:
        attr = ir.DenseElementsAttr.get(np.ascontiguousarray(data), type=element_type(spec.dtype))
    return Array(arith.ConstantOp(type_, attr).result, spec)


def element(value: Any, dtype: str) -> ir.Value:
    """A Python-kind number (Scalar or Const) as one element of `dtype`, cast as numpy casts on assignment."""
    if isinstance(value, Const):
        converted = np.array(value.value).astype(dtype).item()
        return arith.ConstantOp(element_type(dtype), scalar_attr(converted, dtype)).result
    kind, v = value.kind, value.value
    target = element_type(dtype)
    if dtype in FLOAT_DTYPES:
        if kind is float:
            return v if dtype == "float64" else arith.truncf(target, v)
        if kind is int:
            return arith.sitofp(target, v)
        return arith.uitofp(target, v)
    if dtype in INT_DTYPES:
        if kind is float:
            return arith.fptosi(target, v)
        if kind is int:
            return v if dtype == "int64" else arith.trunci(target, v)
        return arith.extui(target, v)
    if kind is float:
        return arith.cmpf(arith.CmpFPredicate.UNE, v, scalars.constant(0.0).value)
    if kind is int:
        return arith.cmpi(arith.CmpIPredicate.ne, v, scalars.constant(0).value)
    return v


def to_python_scalar(value: ir.Value, dtype: str) -> Scalar:
    """One element of `dtype` as the importer's scalar (f32 widens to f64, i32 to i64)."""
    if dtype == "float32":
        return Scalar(arith.extf(ir.F64Type.get(), value), float)
    if dtype == "int32":
        return Scalar(arith.extsi(ir.IntegerType.get_signless(64), value), int)
    return Scalar(value, {"float64": float, "int64": int, "bool": bool}[dtype])


def _value(result: Any) -> ir.Value:
    """The single result of an op builder that may return the op itself."""
    if isinstance(result, ir.Value):
        return result
    if isinstance(result, ir.OpResultList):
        return result[0]
    return result.results[0]


def index_value(n: int) -> ir.Value:
    return arith.ConstantOp(ir.IndexType.get(), n).result


def empty(spec: ArraySpec) -> ir.Value:
    return tensor.empty(list(spec.shape), element_type(spec.dtype))


def full(spec: ArraySpec, value: Any) -> Array:
    """An array of `spec` filled with a number: a dense constant, or a `tensor.splat` of a runtime value."""
    if isinstance(value, Const):
        return constant_array(np.full(spec.shape, np.array(value.value).astype(spec.dtype), spec.numpy_dtype))
    return Array(tensor.splat(mlir_type(spec), element(value, spec.dtype), []), spec)


def filled(spec: ArraySpec, value: Any) -> ir.Value:
    """`linalg.fill` of a constant into `tensor.empty` (the init of products and reductions)."""
    scalar = arith.ConstantOp(element_type(spec.dtype), scalar_attr(value, spec.dtype)).result
    return _value(linalg.fill(scalar, outs=[empty(spec)]))


# -- leaves ------------------------------------------------------------------------------------------


def materialize(leaf: Any) -> Any:
    """A leaf as a dynamic value: constants become Scalars (arith.constant) or Arrays (dense constants)."""
    if is_const_array(leaf):
        return constant_array(leaf.value)
    if isinstance(leaf, (Scalar, Array)):
        return leaf
    return scalars.as_scalar(leaf)


def leaf_value(leaf: Any) -> ir.Value:
    """The SSA value of a leaf (yielded, returned or passed to a call)."""
    return materialize(leaf).value


# -- operands ----------------------------------------------------------------------------------------


def operand(value: Any) -> Any:
    """An operand of an array operation: an Array, or a number (0-d arrays become numbers)."""
    if is_const_array(value):
        data = value.value
        if data.ndim == 0:
            return Const(data.item())
        return constant_array(data)
    if isinstance(value, Array):
        if value.ndim == 0:
            return to_python_scalar(tensor.extract(value.value, []), value.dtype)
        return value
    if is_number(value):
        return value
    if isinstance(value, (ListValue, TupleValue)):
        from dp.frontend.numpy_functions import array_from

        return operand(array_from(value))
    raise TypeMismatchError(f"numpy operations take numbers and arrays, not {describe(value)}")


def array_operand(value: Any, what: str) -> Array:
    """An operand that must be an array of rank at least 1."""
    value = operand(value)
    if not isinstance(value, Array):
        raise TypeMismatchError(f"{what} needs an array, not {describe(value)}")
    return value


def as_array(value: Any) -> Array:
    """An Array of any rank (numbers become 0-d arrays)."""
    if is_const_array(value):
        return constant_array(value.value)
    if isinstance(value, Array):
        return value
    if is_number(value):
        kind = value.kind
        spec = ArraySpec(kind_dtype(kind), ())
        return full(spec, value)
    raise TypeMismatchError(f"expected an array, not {describe(value)}")


def shape_of(value: Any) -> tuple[int, ...]:
    return value.shape if isinstance(value, Array) else ()


def dtype_of(value: Any) -> str:
    return value.dtype if isinstance(value, Array) else kind_dtype(value.kind)


def _weak(value: Any) -> Any:
    """What np.result_type takes for an operand: a dtype for arrays, a Python number for scalars (weak)."""
    if isinstance(value, Array):
        return np.dtype(value.dtype)
    return {float: 0.0, int: 0, bool: False}[value.kind]


def result_dtype(*values: Any) -> str:
    """The dtype numpy gives an operation on these operands (Python scalars are weak, NEP 50)."""
    name = np.result_type(*[_weak(v) for v in values]).name
    if name not in ("float64", "float32", "int64", "int32", "bool"):
        name = "float64" if np.dtype(name).kind == "f" else "int64"
    return name


def float_dtype(dtype: str) -> str:
    """The float dtype numpy computes transcendental functions of `dtype` in."""
    return dtype if dtype in FLOAT_DTYPES else "float64"


def broadcast_shapes(*shapes: tuple[int, ...]) -> tuple[int, ...]:
    try:
        return tuple(int(n) for n in np.broadcast_shapes(*shapes))
    except ValueError:
        raise ShapeError(
            "operands could not be broadcast together with shapes " + " ".join(_shape_text(s) for s in shapes)
        ) from None


# -- casts ---------------------------------------------------------------------------------------------


def cast(array: Array, dtype: str) -> Array:
    """`array.astype(dtype)` (numpy's unsafe casting)."""
    source = array.dtype
    if source == dtype:
        return array
    spec = array.spec.with_dtype(dtype)
    target = mlir_type(spec)
    v = array.value
    if dtype in FLOAT_DTYPES:
        if source in FLOAT_DTYPES:
            value = arith.extf(target, v) if dtype == "float64" else arith.truncf(target, v)
        elif source in INT_DTYPES:
            value = arith.sitofp(target, v)
        else:
            value = arith.uitofp(target, v)
    elif dtype in INT_DTYPES:
        if source in FLOAT_DTYPES:
            value = arith.fptosi(target, v)
        elif source in INT_DTYPES:
            value = arith.extsi(target, v) if dtype == "int64" else arith.trunci(target, v)
        else:
            value = arith.extui(target, v)
    else:
        zero = full(array.spec, Const(0)).value
        if source in FLOAT_DTYPES:
            value = arith.cmpf(arith.CmpFPredicate.UNE, v, zero)
        else:
            value = arith.cmpi(arith.CmpIPredicate.ne, v, zero)
    return Array(value, spec)


# -- reshapes ----------------------------------------------------------------------------------------


def _unit_groups(rank: int, kept: list[int]) -> list[list[int]]:
    """Reassociation grouping `rank` dims so that each group holds one kept dim and size-1 dims next to it."""
    if not kept:
        return []
    groups: list[list[int]] = [[] for _ in kept]
    g = 0
    for d in range(rank):
        groups[g].append(d)
        if d == kept[g] and g + 1 < len(kept):
            g += 1
    return groups


def collapse(array: Array, shape: tuple[int, ...], groups: list[list[int]], view: bool = True) -> Array:
    spec = array.spec.with_shape(shape)
    value = tensor.collapse_shape(mlir_type(spec), array.value, groups)
    return _derived(array, value, spec, view)


def expand(array: Array, shape: tuple[int, ...], groups: list[list[int]], view: bool = True) -> Array:
    spec = array.spec.with_shape(shape)
    value = tensor.expand_shape(mlir_type(spec), array.value, groups, [], list(shape))
    return _derived(array, value, spec, view)


def _derived(array: Array, value: ir.Value, spec: ArraySpec, view: bool) -> Array:
    """A result that numpy would return as a view of `array` (read-only here), or a fresh array."""
    if not view:
        return Array(value, spec)
    base = array.base if array.base is not None else array.ident
    return Array(value, spec, readonly=VIEW, base=base)


def drop_unit_dims(array: Array, dims: Sequence[int], view: bool = True) -> Array:
    """Removes the size-1 dims `dims` (tensor.collapse_shape)."""
    if not dims:
        return array
    kept = [d for d in range(array.ndim) if d not in dims]
    shape = tuple(array.shape[d] for d in kept)
    return collapse(array, shape, _unit_groups(array.ndim, kept), view)


def insert_unit_dims(array: Array, positions: Sequence[int], view: bool = True) -> Array:
    """Inserts size-1 dims so that they sit at `positions` of the result (tensor.expand_shape)."""
    if not positions:
        return array
    rank = array.ndim + len(positions)
    kept = [d for d in range(rank) if d not in positions]
    shape = [1] * rank
    for d, n in zip(kept, array.shape):
        shape[d] = n
    return expand(array, tuple(shape), _unit_groups(rank, kept), view)


def reshape(array: Array, shape: Sequence[int], view: bool = True) -> Array:
    """`array.reshape(shape)`: collapse to 1-D, then expand (a no-op when the shape does not change)."""
    shape = _resolve_shape(array, shape)
    if shape == array.shape:
        return _derived(array, array.value, array.spec, view)
    flat = array
    if array.ndim == 0:
        flat = expand(array, (1,), [], view)
    elif array.ndim > 1:
        flat = collapse(array, (array.spec.size,), [list(range(array.ndim))], view)
    if not shape:
        return collapse(flat, (), [], view)
    if len(shape) == 1:
        return flat if view else Array(flat.value, flat.spec)
    return expand(flat, shape, [list(range(len(shape)))], view)


def _resolve_shape(array: Array, shape: Sequence[int]) -> tuple[int, ...]:
    shape = [int(n) for n in shape]
    unknown = [i for i, n in enumerate(shape) if n == -1]
    if len(unknown) > 1:
        raise ShapeError("can only specify one unknown dimension (-1) in a reshape")
    if any(n < -1 for n in shape):
        raise ShapeError(f"negative dimensions are not allowed in a reshape: {tuple(shape)}")
    known = 1
    for n in shape:
        if n != -1:
            known *= n
    size = array.spec.size
    if unknown:
        if known == 0 or size % known:
            raise ShapeError(f"cannot reshape array of size {size} into shape {_shape_text(shape).replace('-1', '-1')}")
        shape[unknown[0]] = size // known
    elif known != size:
        raise ShapeError(f"cannot reshape array of size {size} into shape {_shape_text(shape)}")
    return tuple(shape)


def broadcast_to(value: Any, dtype: str, shape: tuple[int, ...]) -> Array:
    """An operand as an array of `dtype` and `shape` (numpy broadcasting made explicit)."""
    if not isinstance(value, Array):
        return full(ArraySpec(dtype, shape), value)
    array = cast(value, dtype)
    if array.shape == shape:
        return array
    rank, offset = array.ndim, len(shape) - array.ndim
    if offset < 0 or any(n != 1 and n != shape[offset + i] for i, n in enumerate(array.shape)):
        raise ShapeError(
            f"could not broadcast an array of shape {_shape_text(array.shape)} to shape {_shape_text(shape)}"
        )
    stretched = [i for i, n in enumerate(array.shape) if n == 1 and shape[offset + i] != 1]
    kept = [i for i in range(rank) if i not in stretched]
    array = drop_unit_dims(array, stretched, view=False)
    mapped = {offset + i for i in kept}
    added = [d for d in range(len(shape)) if d not in mapped]
    spec = ArraySpec(dtype, shape)
    value = linalg.broadcast(array.value, outs=[empty(spec)], dimensions=added)
    return Array(_value(value), spec)


# -- elementwise ----------------------------------------------------------------------------------------


def _tensors(values: Sequence[Any], dtype: str) -> tuple[list[Array], tuple[int, ...]]:
    shape = broadcast_shapes(*[shape_of(v) for v in values])
    return [broadcast_to(v, dtype, shape) for v in values], shape


_SYMBOL = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.LShift: "<<",
    ast.RShift: ">>",
}


def binary(op: type[ast.operator], lhs: Any, rhs: Any) -> Any:
    """`lhs op rhs` where at least one side is an array, with numpy's broadcasting and type promotion."""
    if op is ast.MatMult:
        return matmul(lhs, rhs)
    if op is ast.Div:
        from dp.frontend.numpy_functions import stable_softmax

        softmax = stable_softmax(lhs, rhs)
        if softmax is not None:
            return softmax
    a, b = operand(lhs), operand(rhs)
    if not isinstance(a, Array) and not isinstance(b, Array):
        from dp.frontend import operators

        return operators.binary(op, a, b)
    if op is ast.Pow:
        return power(a, b)
    dtype = result_dtype(a, b)
    symbol = _SYMBOL.get(op, op.__name__)
    if op is ast.Div:
        dtype = float_dtype(dtype)
    if dtype == "bool":
        table = {
            ast.Add: arith.ori,
            ast.Mult: arith.andi,
            ast.BitAnd: arith.andi,
            ast.BitOr: arith.ori,
            ast.BitXor: arith.xori,
        }
        if op not in table:
            raise TypeMismatchError(
                f"numpy does not support the operator {symbol} between bool arrays; use astype(int)"
            )
        (x, y), _ = _tensors([a, b], dtype)
        return Array(table[op](x.value, y.value), x.spec)
    (x, y), _ = _tensors([a, b], dtype)
    spec = x.spec
    if dtype in FLOAT_DTYPES:
        table = {ast.Add: arith.addf, ast.Sub: arith.subf, ast.Mult: arith.mulf, ast.Div: arith.divf}
        if op in table:
            return Array(table[op](x.value, y.value), spec)
        if op is ast.FloorDiv:
            return Array(math.floor(arith.divf(x.value, y.value)), spec)
        if op is ast.Mod:
            return Array(_float_mod(x, y), spec)
        raise TypeMismatchError(f"unsupported operand types for {symbol}: float arrays")
    table = {
        ast.Add: arith.addi,
        ast.Sub: arith.subi,
        ast.Mult: arith.muli,
        ast.BitAnd: arith.andi,
        ast.BitOr: arith.ori,
        ast.BitXor: arith.xori,
        ast.LShift: arith.shli,
        ast.RShift: arith.shrsi,
    }
    if op in table:
        return Array(table[op](x.value, y.value), spec)
    if op in (ast.FloorDiv, ast.Mod):
        return Array(_int_divmod(x, y, op is ast.FloorDiv), spec)
    raise TypeMismatchError(f"unsupported operand types for {symbol}: integer arrays")


def _float_mod(x: Array, y: Array) -> ir.Value:
    """numpy's float remainder: fmod, moved into the divisor's sign."""
    zero = full(x.spec, Const(0.0)).value
    r = arith.remf(x.value, y.value)
    nonzero = arith.cmpf(arith.CmpFPredicate.UNE, r, zero)
    r_negative = arith.cmpf(arith.CmpFPredicate.OLT, r, zero)
    y_negative = arith.cmpf(arith.CmpFPredicate.OLT, y.value, zero)
    fix = arith.andi(nonzero, arith.xori(r_negative, y_negative))
    return arith.select(fix, arith.addf(r, y.value), r)


def _int_divmod(x: Array, y: Array, quotient: bool) -> ir.Value:
    """Floor division and remainder of int arrays; a zero divisor gives 0 (as numpy does), never a trap."""
    zero = full(x.spec, Const(0)).value
    one = full(x.spec, Const(1)).value
    is_zero = arith.cmpi(arith.CmpIPredicate.eq, y.value, zero)
    divisor = arith.select(is_zero, one, y.value)
    if quotient:
        value = arith.floordivsi(x.value, divisor)
    else:
        r = arith.remsi(x.value, divisor)
        nonzero = arith.cmpi(arith.CmpIPredicate.ne, r, zero)
        differ = arith.cmpi(arith.CmpIPredicate.slt, arith.xori(r, divisor), zero)
        value = arith.select(arith.andi(nonzero, differ), arith.addi(r, divisor), r)
    return arith.select(is_zero, zero, value)


def power(base: Any, exponent: Any) -> Any:
    """`base ** exponent` / np.power: x*x for a constant 2, sqrt for 0.5, else math.powf."""
    a, b = operand(base), operand(exponent)
    if not isinstance(a, Array) and not isinstance(b, Array):
        from dp.frontend import operators

        return operators.binary(ast.Pow, a, b)
    dtype = result_dtype(a, b)
    if dtype in FLOAT_DTYPES:
        if isinstance(b, Const):
            e = float(b.value)
            x = broadcast_to(a, dtype, a.shape)
            if e == 1.0:
                return Array(x.value, x.spec)
            if e == 2.0:
                return Array(arith.mulf(x.value, x.value), x.spec)
            if e == 0.5:
                return Array(math.sqrt(x.value), x.spec)
            if e == -1.0:
                return Array(arith.divf(full(x.spec, Const(1.0)).value, x.value), x.spec)
            if e == 0.0:
                return full(x.spec, Const(1.0))
        (x, y), _ = _tensors([a, b], dtype)
        return Array(math.powf(x.value, y.value), x.spec)
    if isinstance(b, Const) and dtype in INT_DTYPES and isinstance(a, Array):
        e = int(b.value)
        if e < 0:
            raise TypeMismatchError("integers to negative integer powers are not allowed (numpy); use floats")
        x = cast(a, dtype)
        result = None
        square = x.value
        while e:
            if e & 1:
                result = square if result is None else arith.muli(result, square)
            e >>= 1
            if e:
                square = arith.muli(square, square)
        return full(x.spec, Const(1)) if result is None else Array(result, x.spec)
    raise TypeMismatchError(
        f"integer arrays can only be raised to a constant non-negative integer power in dp; use float arrays "
        f"({dtype_of(a)} ** {describe(b) if not isinstance(b, Array) else b.dtype + ' array'})"
    )


_BOOL_PREDICATES = {
    ast.Eq: arith.CmpIPredicate.eq,
    ast.NotEq: arith.CmpIPredicate.ne,
    ast.Lt: arith.CmpIPredicate.ult,
    ast.LtE: arith.CmpIPredicate.ule,
    ast.Gt: arith.CmpIPredicate.ugt,
    ast.GtE: arith.CmpIPredicate.uge,
}


def compare(op: type[ast.cmpop], lhs: Any, rhs: Any) -> Any:
    """Elementwise comparison: a bool array (`arith.cmpf`/`cmpi` on tensors)."""
    a, b = operand(lhs), operand(rhs)
    if not isinstance(a, Array) and not isinstance(b, Array):
        from dp.frontend import operators

        return operators.compare(op, a, b)
    if op not in scalars.FLOAT_PREDICATES:
        raise TypeMismatchError(f"'{op.__name__}' is not supported between arrays; use ==, !=, <, <=, > or >=")
    dtype = result_dtype(a, b)
    (x, y), shape = _tensors([a, b], dtype)
    if dtype in FLOAT_DTYPES:
        value = arith.cmpf(scalars.FLOAT_PREDICATES[op], x.value, y.value)
    elif dtype in INT_DTYPES:
        value = arith.cmpi(scalars.INT_PREDICATES[op], x.value, y.value)
    else:
        value = arith.cmpi(_BOOL_PREDICATES[op], x.value, y.value)
    return Array(value, ArraySpec("bool", shape))


def negate(value: Any) -> Any:
    x = operand(value)
    if not isinstance(x, Array):
        from dp.frontend import operators

        return operators.negate(x)
    if x.dtype in FLOAT_DTYPES:
        return Array(arith.negf(x.value), x.spec)
    if x.dtype == "bool":
        raise TypeMismatchError("numpy does not support negating a bool array; use the ~ operator or np.logical_not")
    return Array(arith.subi(full(x.spec, Const(0)).value, x.value), x.spec)


def invert(value: Any) -> Any:
    x = operand(value)
    if not isinstance(x, Array):
        from dp.frontend import operators

        return operators.invert(x)
    if x.dtype in FLOAT_DTYPES:
        raise TypeMismatchError("bad operand type for unary ~: a float array")
    ones = full(x.spec, Const(-1 if x.dtype != "bool" else True)).value
    return Array(arith.xori(x.value, ones), x.spec)


def unary_math(op: Any, value: Any, name: str) -> Any:
    """A `math` dialect function applied elementwise (ints and bools are converted to float64 first)."""
    x = operand(value)
    if not isinstance(x, Array):
        scalar = scalars.as_scalar(scalars.to_float(x))
        return Scalar(op(scalar.value), float)
    x = cast(x, float_dtype(x.dtype))
    return Array(op(x.value), x.spec)


def where(cond: Any, if_true: Any, if_false: Any) -> Any:
    """np.where(cond, a, b): `arith.select` with an i1 tensor after broadcasting all three."""
    c, a, b = operand(cond), operand(if_true), operand(if_false)
    if not any(isinstance(v, Array) for v in (c, a, b)):
        truth = scalars.truth(c)
        dtype = result_dtype(a, b)
        kind = {"float64": float, "int64": int, "bool": bool}[dtype]
        x, y = scalars.convert(a, kind), scalars.convert(b, kind)
        return scalars.select(truth, x, y)
    dtype = result_dtype(a, b)
    shape = broadcast_shapes(shape_of(c), shape_of(a), shape_of(b))
    if isinstance(c, Array):
        c_array = broadcast_to(c, "bool", shape)
    else:
        c_array = full(ArraySpec("bool", shape), scalars.truth(c))
    x, y = broadcast_to(a, dtype, shape), broadcast_to(b, dtype, shape)
    return Array(arith.select(c_array.value, x.value, y.value), x.spec)


def extremum(a: Any, b: Any, maximum: bool, nan_propagating: bool = True) -> Any:
    """np.maximum / np.minimum (NaN-propagating `arith.maximumf`/`minimumf`; fmax/fmin use maxnumf/minnumf)."""
    x, y = operand(a), operand(b)
    dtype = result_dtype(x, y)
    if not isinstance(x, Array) and not isinstance(y, Array):
        kind = {"float64": float, "int64": int, "bool": bool}[dtype]
        x, y = scalars.as_scalar(scalars.convert(x, kind)), scalars.as_scalar(scalars.convert(y, kind))
        return Scalar(_extremum_op(dtype, maximum, nan_propagating)(x.value, y.value), kind)
    (x, y), _ = _tensors([x, y], dtype)
    return Array(_extremum_op(dtype, maximum, nan_propagating)(x.value, y.value), x.spec)


def _extremum_op(dtype: str, maximum: bool, nan_propagating: bool = True) -> Any:
    if dtype in FLOAT_DTYPES:
        if nan_propagating:
            return arith.maximumf if maximum else arith.minimumf
        return arith.maxnumf if maximum else arith.minnumf
    if dtype in INT_DTYPES:
        return arith.maxsi if maximum else arith.minsi
    return arith.ori if maximum else arith.andi


def stop_gradient(value: Any) -> Any:
    if isinstance(value, Array) and value.spec.is_float:
        return Array(dpd.stop_gradient(value.value), value.spec)
    return value


# -- products --------------------------------------------------------------------------------------------


def matmul(lhs: Any, rhs: Any, name: str = "matmul") -> Any:
    """`a @ b` for 1-D and 2-D arrays: linalg.dot / matvec / vecmat / matmul into a zero `linalg.fill`."""
    a, b = operand(lhs), operand(rhs)
    for side in (a, b):
        if not isinstance(side, Array):
            raise ShapeError(
                f"{name}: an operand is a scalar ({describe(side)}); the @ operator needs arrays of rank 1 or 2 "
                "(use * to scale)"
            )
    if a.ndim > 2 or b.ndim > 2:
        from dp.frontend.numpy_contractions import batched_matmul  # stacks of matrices: a contraction

        return batched_matmul(a, b, name)
    k_a = a.shape[-1]
    k_b = b.shape[0]
    if k_a != k_b:
        raise ShapeError(
            f"{name}: shapes {_shape_text(a.shape)} and {_shape_text(b.shape)} are not aligned: "
            f"{k_a} (dim {a.ndim - 1}) != {k_b} (dim 0)"
        )
    dtype = result_dtype(a, b)
    if dtype == "bool":
        dtype = "int64"
    x, y = cast(a, dtype), cast(b, dtype)
    if a.ndim == 1 and b.ndim == 1:
        spec = ArraySpec(dtype, ())
        value = _value(linalg.dot(x.value, y.value, outs=[filled(spec, 0)]))
        return to_python_scalar(tensor.extract(value, []), dtype)
    if a.ndim == 2 and b.ndim == 1:
        spec = ArraySpec(dtype, (a.shape[0],))
        return Array(_value(linalg.matvec(x.value, y.value, outs=[filled(spec, 0)])), spec)
    if a.ndim == 1 and b.ndim == 2:
        spec = ArraySpec(dtype, (b.shape[1],))
        return Array(_value(linalg.vecmat(x.value, y.value, outs=[filled(spec, 0)])), spec)
    spec = ArraySpec(dtype, (a.shape[0], b.shape[1]))
    return Array(_value(linalg.matmul(x.value, y.value, outs=[filled(spec, 0)])), spec)


def outer(lhs: Any, rhs: Any) -> Array:
    """np.outer: both operands flattened, broadcast to (n, m) and multiplied."""
    a, b = as_array(operand(lhs)), as_array(operand(rhs))
    a = reshape(a, (a.spec.size,), view=False)
    b = reshape(b, (b.spec.size,), view=False)
    dtype = result_dtype(a, b)
    shape = (a.shape[0], b.shape[0])
    spec = ArraySpec(dtype, shape)
    x = Array(_value(linalg.broadcast(cast(a, dtype).value, outs=[empty(spec)], dimensions=[1])), spec)
    y = Array(_value(linalg.broadcast(cast(b, dtype).value, outs=[empty(spec)], dimensions=[0])), spec)
    return binary(ast.Mult, x, y)


# -- reductions ------------------------------------------------------------------------------------------


def normalize_axes(axis: Any, ndim: int, name: str) -> tuple[int, ...]:
    """The reduced dims of an `axis` argument (None, an int, or a tuple of ints), sorted."""
    if axis is None:
        return tuple(range(ndim))
    items = axis if isinstance(axis, tuple) else (axis,)
    axes = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (int, np.integer)):
            raise TypeMismatchError(f"{name}: axis must be a compile-time int or tuple of ints, not {item!r}")
        d = int(item) + ndim if item < 0 else int(item)
        if not 0 <= d < ndim:
            raise ShapeError(f"{name}: axis {item} is out of bounds for an array of dimension {ndim}")
        if d in axes:
            raise ShapeError(f"{name}: duplicate value in 'axis'")
        axes.append(d)
    return tuple(sorted(axes))


_REDUCTIONS = {
    # kind: (float op, int op, bool op, identity for floats, identity for ints)
    "sum": (arith.addf, arith.addi, None),
    "prod": (arith.mulf, arith.muli, None),
    "max": (arith.maximumf, arith.maxsi, arith.ori),
    "min": (arith.minimumf, arith.minsi, arith.andi),
    "any": (None, None, arith.ori),
    "all": (None, None, arith.andi),
}


def _identity(kind: str, dtype: str) -> Any:
    if kind == "sum":
        return 0
    if kind == "prod":
        return 1
    if dtype in FLOAT_DTYPES:
        return -np.inf if kind == "max" else np.inf
    if dtype in INT_DTYPES:
        info = np.iinfo(np.dtype(dtype))
        return info.min if kind == "max" else info.max
    return kind in ("min", "all")


def reduce(kind: str, value: Any, axis: Any = None, keepdims: bool = False, dtype: str | None = None) -> Any:
    """np.sum / prod / max / min / mean / any / all over `axis` with keepdims (a linalg.reduce)."""
    x = as_array(operand(value))
    name = f"np.{kind}" if kind not in ("max", "min") else f"np.{kind}"
    axes = normalize_axes(axis, x.ndim, name)
    if kind == "mean":
        total = reduce("sum", x, axis, keepdims, dtype or float_dtype(x.dtype))
        count = 1
        for d in axes:
            count *= x.shape[d]
        factor = Const(1.0 / count) if count else Const(float("nan"))
        return binary(ast.Mult, total, factor)
    if dtype is None:
        if kind in ("sum", "prod"):
            dtype = "int64" if x.dtype in ("bool", "int32") else x.dtype
        elif kind in ("any", "all"):
            dtype = "bool"
        else:
            dtype = x.dtype
    x = cast(x, dtype)
    if kind in ("max", "min") and any(x.shape[d] == 0 for d in axes):
        raise ShapeError(
            f"zero-size array (shape {_shape_text(x.shape)}) to reduction operation "
            f"{'maximum' if kind == 'max' else 'minimum'} which has no identity"
        )
    ops = _REDUCTIONS[kind]
    op = ops[0] if dtype in FLOAT_DTYPES else ops[1] if dtype in INT_DTYPES else ops[2]
    if op is None:
        raise TypeMismatchError(f"np.{kind} of a {dtype} array is not supported")
    out_shape = tuple(n for d, n in enumerate(x.shape) if d not in axes)
    spec = ArraySpec(dtype, out_shape)
    if axes:
        init = filled(spec, _identity(kind, dtype))
        reduce_op = linalg.ReduceOp([mlir_type(spec)], [x.value], [init], list(axes))
        element = element_type(dtype)
        block = reduce_op.regions[0].blocks.append(element, element)
        with ir.InsertionPoint(block):
            linalg.YieldOp([op(block.arguments[0], block.arguments[1])])
        result = Array(reduce_op.results[0], spec)
    else:
        result = Array(x.value, spec)
    if keepdims:
        return insert_unit_dims(result, list(axes), view=False)
    if not out_shape:
        return to_python_scalar(tensor.extract(result.value, []), dtype)
    return result


# -- layout ------------------------------------------------------------------------------------------------


def transpose(value: Any, axes: Sequence[int] | None = None) -> Array:
    """`x.T` / np.transpose(x, axes): `linalg.transpose` (a view in numpy, read-only here)."""
    x = as_array(operand(value))
    if axes is None:
        perm = list(range(x.ndim))[::-1]
    else:
        perm = [int(a) + x.ndim if int(a) < 0 else int(a) for a in axes]
        if sorted(perm) != list(range(x.ndim)):
            raise ShapeError(f"axes {tuple(axes)} don't match an array of dimension {x.ndim}")
    if perm == list(range(x.ndim)):
        return _derived(x, x.value, x.spec, True)
    spec = x.spec.with_shape(tuple(x.shape[p] for p in perm))
    value = linalg.transpose(x.value, outs=[empty(spec)], permutation=perm)
    return _derived(x, _value(value), spec, True)


def concatenate(values: Sequence[Any], axis: Any = 0) -> Array:
    """np.concatenate: `tensor.concat` along `axis` after converting to the common dtype."""
    arrays = [as_array(operand(v)) for v in values]
    if not arrays:
        raise ShapeError("need at least one array to concatenate")
    if axis is None:
        arrays = [reshape(a, (a.spec.size,), view=False) for a in arrays]
        axis = 0
    ndim = arrays[0].ndim
    if ndim == 0:
        raise ShapeError("zero-dimensional arrays cannot be concatenated")
    for a in arrays:
        if a.ndim != ndim:
            raise ShapeError(
                "all the input arrays must have the same number of dimensions, but the arrays have shapes "
                + ", ".join(_shape_text(x.shape) for x in arrays)
            )
    (d,) = normalize_axes(axis, ndim, "np.concatenate")
    for a in arrays:
        if any(a.shape[i] != arrays[0].shape[i] for i in range(ndim) if i != d):
            raise ShapeError(
                f"all the input array dimensions except for the concatenation axis must match exactly, but the "
                f"arrays have shapes " + ", ".join(_shape_text(x.shape) for x in arrays)
            )
    dtype = result_dtype(*arrays)
    arrays = [cast(a, dtype) for a in arrays]
    shape = list(arrays[0].shape)
    shape[d] = builtins.sum(a.shape[d] for a in arrays)
    spec = ArraySpec(dtype, tuple(shape))
    if len(arrays) == 1:
        return Array(arrays[0].value, spec)
    return Array(tensor.concat(mlir_type(spec), d, [a.value for a in arrays]), spec)


def stack(values: Sequence[Any], axis: int = 0) -> Array:
    """np.stack: each array gets a size-1 dim at `axis` (tensor.expand_shape), then tensor.concat."""
    arrays = [as_array(operand(v)) for v in values]
    if not arrays:
        raise ShapeError("need at least one array to stack")
    for a in arrays:
        if a.shape != arrays[0].shape:
            raise ShapeError(
                "all input arrays must have the same shape, but they have shapes "
                + ", ".join(_shape_text(x.shape) for x in arrays)
            )
    (d,) = normalize_axes(axis, arrays[0].ndim + 1, "np.stack")
    return concatenate([insert_unit_dims(a, [d], view=False) for a in arrays], d)


def from_elements(items: Sequence[Any], shape: tuple[int, ...], dtype: str) -> Array:
    """An array of numbers given in row-major order (`tensor.from_elements`, or a constant)."""
    spec = ArraySpec(dtype, shape)
    if all(isinstance(item, Const) for item in items):
        return constant_array(np.array([item.value for item in items], dtype=spec.numpy_dtype).reshape(shape))
    return Array(tensor.from_elements(mlir_type(spec), [element(item, dtype) for item in items]), spec)


__all__ = [
    "VIEW",
    "as_array",
    "binary",
    "broadcast_to",
    "cast",
    "compare",
    "concatenate",
    "constant_array",
    "element",
    "extremum",
    "from_elements",
    "full",
    "insert_unit_dims",
    "matmul",
    "negate",
    "operand",
    "outer",
    "power",
    "reduce",
    "reshape",
    "result_dtype",
    "stack",
    "to_python_scalar",
    "transpose",
    "unary_math",
    "where",
]
