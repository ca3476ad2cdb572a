"""LAPACK calls on tensors: the primitives dp's np.linalg is built from (see dp.frontend.linalg_rules).

Each primitive takes 2-D float arrays and returns arrays plus LAPACK's
`info` (an int: 0 on success). It copies each operand into a fresh buffer
(`memref.alloc`, `bufferization.materialize_in_destination`), passes the
buffers' addresses to a LAPACKE function of numpy's OpenBLAS
(dp.runtime.lapack) through a `func.call` of a private declaration, and
turns the buffers LAPACK wrote into tensors again (`bufferization.to_tensor
restrict writable`). Nothing else touches those buffers, so one-shot
bufferization keeps them as they are and the ownership-based deallocation
frees them.

The primitives have no derivative of their own: they are only called by
functions that carry custom derivative rules (dp.frontend.linalg_rules).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
from mlir import ir
from mlir.dialects import arith, bufferization, func, llvm, memref, tensor

from dp.errors import UnsupportedTargetError
from dp.frontend import tensors
from dp.frontend.dtypes import ArraySpec
from dp.frontend.values import Array, Scalar, TupleValue, element_type, mlir_type

# numpy's OpenBLAS LAPACKE (dp.runtime.lapack), whose ROW_MAJOR layout every call passes
ROW_MAJOR = 101

Handler = Callable[[list[Any], dict[str, Any]], Any]


def _i64(n: int) -> ir.Value:
    return arith.constant(ir.IntegerType.get_signless(64), n)


def _i32(n: int) -> ir.Value:
    return arith.constant(ir.IntegerType.get_signless(32), n)


def _char(c: str) -> ir.Value:
    return arith.constant(ir.IntegerType.get_signless(8), ord(c))


def _memref_type(spec: ArraySpec) -> ir.MemRefType:
    return ir.MemRefType.get(list(spec.shape), element_type(spec.dtype))


def _buffer(spec: ArraySpec, contents: ir.Value | None = None) -> ir.Value:
    """A fresh buffer of `spec`, holding `contents` (a tensor) if given."""
    buffer = memref.alloc(_memref_type(spec), [], [])
    if contents is not None:
        bufferization.MaterializeInDestinationOp(None, contents, buffer, restrict=True, writable=True)
    return buffer


def _pointer(buffer: ir.Value) -> ir.Value:
    """The address of a buffer's first element (a fresh alloc: offset 0, identity layout)."""
    address = memref.ExtractAlignedPointerAsIndexOp(buffer).result
    as_int = arith.index_cast(ir.IntegerType.get_signless(64), address)
    return llvm.inttoptr(llvm.PointerType.get(), as_int)


def _tensor(buffer: ir.Value, spec: ArraySpec) -> Array:
    value = bufferization.ToTensorOp(mlir_type(spec), buffer, restrict=True, writable=True).result
    return Array(value, spec)


def _module_body() -> ir.Block:
    op = ir.InsertionPoint.current.block.owner
    while op.operation.name != "builtin.module":
        op = op.parent
    return op.regions[0].blocks[0]


def _call(routine: str, dtype: str, operands: list[ir.Value]) -> Scalar:
    """`info = LAPACKE_<routine>(operands...)`, declaring the function in the module on first use."""
    from dp.runtime import lapack  # dp.runtime imports the frontend

    if lapack.find_lapack() is None:
        raise UnsupportedTargetError(
            "np.linalg needs LAPACK, and this numpy has no bundled OpenBLAS with LAPACKE (numpy.libs/"
            "libscipy_openblas64_*.so)"
        )
    name = lapack.symbol(routine, dtype)
    body = _module_body()
    declared = any(
        op.operation.name == "func.func" and ir.StringAttr(op.attributes["sym_name"]).value == name
        for op in body.operations
    )
    i64 = ir.IntegerType.get_signless(64)
    if not declared:
        with ir.InsertionPoint.at_block_begin(body):
            func.FuncOp(name, ([v.type for v in operands], [i64]), visibility="private")
    call = func.CallOp([i64], ir.FlatSymbolRefAttr.get(name), operands)
    return Scalar(call.results[0], int)


def _spec(array: Array, shape: tuple[int, ...]) -> ArraySpec:
    return ArraySpec(array.dtype, shape)


# -- the primitives ------------------------------------------------------------------------------------------------


def gesv(a: Array, b: Array) -> TupleValue:
    """(x, info): the solution of a x = b (a n x n, b n x k) by LU with partial pivoting."""
    n, k = b.shape
    a_buffer, b_buffer = _buffer(a.spec, a.value), _buffer(b.spec, b.value)
    pivots = _buffer(ArraySpec("int64", (n,)))
    info = _call(
        "gesv",
        a.dtype,
        [_i32(ROW_MAJOR), _i64(n), _i64(k), _pointer(a_buffer), _i64(n), _pointer(pivots),
         _pointer(b_buffer), _i64(k)],
    )
    return TupleValue((_tensor(b_buffer, b.spec), info))


def getrf(a: Array) -> TupleValue:
    """(lu, pivots, info): the LU factors of a square a (unit-lower L below the diagonal, U on and above)."""
    n = a.shape[0]
    a_buffer = _buffer(a.spec, a.value)
    pivot_spec = ArraySpec("int64", (n,))
    pivots = _buffer(pivot_spec)
    info = _call("getrf", a.dtype, [_i32(ROW_MAJOR), _i64(n), _i64(n), _pointer(a_buffer), _i64(n),
                                    _pointer(pivots)])
    return TupleValue((_tensor(a_buffer, a.spec), _tensor(pivots, pivot_spec), info))


def potrf(a: Array) -> TupleValue:
    """(l, info): the Cholesky factor of a in the lower triangle of l (the strict upper triangle is a's)."""
    n = a.shape[0]
    a_buffer = _buffer(a.spec, a.value)
    info = _call("potrf", a.dtype, [_i32(ROW_MAJOR), _char("L"), _i64(n), _pointer(a_buffer), _i64(n)])
    return TupleValue((_tensor(a_buffer, a.spec), info))


def geqrf_orgqr(a: Array, q_columns: int) -> TupleValue:
    """(q, r, info): a = q r with q's first `q_columns` columns (min(m, n) or m) and r's upper triangle in r."""
    m, n = a.shape
    k = min(m, n)
    a_buffer = _buffer(a.spec, a.value)
    tau = _buffer(_spec(a, (k,)))
    info = _call("geqrf", a.dtype, [_i32(ROW_MAJOR), _i64(m), _i64(n), _pointer(a_buffer), _i64(n),
                                    _pointer(tau)])
    factored = _tensor(a_buffer, a.spec)
    width = max(n, q_columns)
    q_spec = _spec(a, (m, width))
    if width == n:
        q_contents = factored.value
    else:  # room for m columns of Q next to the n reflectors
        zeros = tensors.filled(q_spec, 0)
        q_contents = tensor.insert_slice(factored.value, zeros, [], [], [], [0, 0], [m, n], [1, 1])
    q_buffer = _buffer(q_spec, q_contents)
    info_q = _call("orgqr", a.dtype, [_i32(ROW_MAJOR), _i64(m), _i64(q_columns), _i64(k),
                                      _pointer(q_buffer), _i64(width), _pointer(tau)])
    q = _tensor(q_buffer, q_spec)
    if width != q_columns:
        q_type = mlir_type(_spec(a, (m, q_columns)))
        q = Array(tensor.extract_slice(q_type, q.value, [], [], [], [0, 0], [m, q_columns], [1, 1]),
                  _spec(a, (m, q_columns)))
    return TupleValue((q, factored, Scalar(arith.ori(info.value, info_q.value), int)))


def syevd(a: Array, lower: bool) -> TupleValue:
    """(w, v, info): the eigenvalues (ascending) and eigenvectors (columns) of the symmetric a."""
    n = a.shape[0]
    a_buffer = _buffer(a.spec, a.value)
    w_spec = _spec(a, (n,))
    w = _buffer(w_spec)
    info = _call("syevd", a.dtype, [_i32(ROW_MAJOR), _char("V"), _char("L" if lower else "U"), _i64(n),
                                    _pointer(a_buffer), _i64(n), _pointer(w)])
    return TupleValue((_tensor(w, w_spec), _tensor(a_buffer, a.spec), info))


def gesdd(a: Array, full: bool, compute_uv: bool) -> TupleValue:
    """(u, s, vt, info): the SVD a = u diag(s) vt; u and vt are 1 x 1 placeholders without compute_uv."""
    m, n = a.shape
    k = min(m, n)
    a_buffer = _buffer(a.spec, a.value)
    s_spec = _spec(a, (k,))
    s = _buffer(s_spec)
    if not compute_uv:
        job, u_spec, vt_spec = "N", _spec(a, (1, 1)), _spec(a, (1, 1))
    elif full:
        job, u_spec, vt_spec = "A", _spec(a, (m, m)), _spec(a, (n, n))
    else:
        job, u_spec, vt_spec = "S", _spec(a, (m, k)), _spec(a, (k, n))
    u, vt = _buffer(u_spec), _buffer(vt_spec)
    info = _call("gesdd", a.dtype, [_i32(ROW_MAJOR), _char(job), _i64(m), _i64(n), _pointer(a_buffer),
                                    _i64(n), _pointer(s), _pointer(u), _i64(u_spec.shape[1]), _pointer(vt),
                                    _i64(vt_spec.shape[1])])
    if not compute_uv:  # LAPACK leaves them alone: give them a value
        zero = tensors.filled(u_spec, 0)
        return TupleValue((Array(zero, u_spec), _tensor(s, s_spec), Array(zero, vt_spec), info))
    return TupleValue((_tensor(u, u_spec), _tensor(s, s_spec), _tensor(vt, vt_spec), info))


def _static(value: Any) -> Any:
    from dp.frontend.numpy_functions import static

    return static(value, "an option of a LAPACK primitive")


def _handler(primitive: Callable, arrays: int) -> Handler:
    """The frontend handler of a primitive: `arrays` float-array operands, then compile-time options."""

    def lower(args: list[Any], kwargs: dict[str, Any]) -> Any:
        operands = [tensors.as_array(tensors.operand(arg)) for arg in args[:arrays]]
        return primitive(*operands, *[_static(arg) for arg in args[arrays:]])

    return lower


def _compiled_only(name: str) -> Callable:
    def primitive(*args: Any) -> Any:
        raise TypeError(f"dp's LAPACK primitive {name} runs in compiled code only")

    primitive.__name__ = primitive.__qualname__ = name
    return primitive


# The Python objects compiled code calls for the primitives, and their handlers.
GESV, GETRF, POTRF, GEQRF_ORGQR, SYEVD, GESDD = (
    _compiled_only(name) for name in ("gesv", "getrf", "potrf", "geqrf_orgqr", "syevd", "gesdd")
)
PRIMITIVES: dict[Any, Handler] = {
    GESV: _handler(gesv, 2),
    GETRF: _handler(getrf, 1),
    POTRF: _handler(potrf, 1),
    GEQRF_ORGQR: _handler(geqrf_orgqr, 1),
    SYEVD: _handler(syevd, 1),
    GESDD: _handler(gesdd, 1),
}

__all__ = ["GESDD", "GEQRF_ORGQR", "GESV", "GETRF", "POTRF", "PRIMITIVES", "SYEVD"]
