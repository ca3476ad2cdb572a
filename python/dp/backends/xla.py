"""StableHLO through jaxlib: verification, portable artifacts, XLA execution, and dp functions as JAX functions.

jaxlib is an optional dependency (the `test` extra installs it): every
function here imports it when called.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Sequence

import numpy as np

from dp.errors import InternalCompilerError


# XLA options dp's executables compile with. Region analysis lets XLA:CPU update loop-carried
# buffers in place where its default copy insertion copies them whole each iteration (reverse
# sweeps that read an adjoint element, then zero it): BA's exported gradient runs 50x faster.
COMPILER_OPTIONS = {"xla_cpu_copy_insertion_use_region_analysis": True}


def _jax():
    import jax

    jax.config.update("jax_enable_x64", True)
    return jax


def verify(text: str) -> None:
    """Parses and verifies StableHLO text with jaxlib's own StableHLO dialect; a failure is a bug in dp."""
    _jax()
    from jax._src.interpreters import mlir as jax_mlir
    from jaxlib.mlir import ir

    with jax_mlir.make_ir_context():
        try:
            module = ir.Module.parse(text)
            ok = module.operation.verify()
        except Exception as error:  # jaxlib's MLIRError carries the diagnostics
            raise InternalCompilerError(f"dp exported StableHLO that jaxlib rejects (a bug in dp): {error}") from None
    if not ok:
        raise InternalCompilerError("dp exported StableHLO that does not verify (a bug in dp)")


def portable_artifact(text: str, version: str | None = None) -> bytes:
    """The portable artifact of verified StableHLO text at `version` (default: the minimum supported)."""
    verify(text)
    from jaxlib.mlir.dialects import stablehlo

    return stablehlo.serialize_portable_artifact_str(text, version or stablehlo.get_minimum_version())


class Executable:
    """StableHLO compiled by XLA for one device of a backend, called with numpy arrays."""

    def __init__(self, text: str, platform: str = "cpu") -> None:
        jax = _jax()
        import jax.extend
        from jax._src import compiler
        from jax._src.lib import xla_client

        artifact = portable_artifact(text)
        self._backend = jax.extend.backend.get_backend(platform)
        self._device = self._backend.devices()[0]
        options = compiler.get_compile_options(
            num_replicas=1, num_partitions=1, env_options_overrides=dict(COMPILER_OPTIONS)
        )
        self._executable = self._backend.compile_and_load(
            artifact, xla_client.DeviceList((self._device,)), options
        )

    def __call__(self, *args: Any) -> list[np.ndarray]:
        jax = _jax()
        buffers = [jax.device_put(np.asarray(a), self._device) for a in args]
        return [np.asarray(r) for r in self._executable.execute(buffers)]


def _exported(text: str, name: str, in_avals: Sequence[Any], out_avals: Sequence[Any]) -> Any:
    """A jax.export.Exported of dp's StableHLO (one device, the default platform)."""
    jax = _jax()
    from jax import export, tree_util

    n, m = len(in_avals), len(out_avals)
    return export.Exported(
        fun_name=name,
        in_tree=tree_util.tree_structure((tuple(range(n)), {})),
        in_avals=tuple(in_avals),
        out_tree=tree_util.tree_structure(tuple(range(m))),
        out_avals=tuple(out_avals),
        _has_named_shardings=False,
        _in_named_shardings=(None,) * n,
        _out_named_shardings=(None,) * m,
        in_shardings_hlo=(None,) * n,
        out_shardings_hlo=(None,) * m,
        nr_devices=1,
        platforms=(jax.default_backend(),),
        ordered_effects=(),
        unordered_effects=(),
        disabled_safety_checks=(),
        mlir_module_serialized=portable_artifact(text),
        calling_convention_version=export.minimum_supported_calling_convention_version,
        module_kept_var_idx=tuple(range(n)),
        uses_global_constants=False,
        _get_vjp=None,
    )


def _placeholder(aval: Any) -> Any:
    """A value of an abstract array's type for dp's frontend: a float for a 0-d float, else zeros."""
    if aval.shape == () and np.issubdtype(aval.dtype, np.floating) and aval.dtype == np.float64:
        return 0.0
    return np.zeros(aval.shape, aval.dtype)


def to_jax(fn: Callable) -> Callable:
    """`fn` as a function of jax arrays: usable under jax.jit (shardings too), jax.grad and jax.vmap.

    The primal and the derivative are dp's, exported as StableHLO; jax.grad
    gets dp's reverse mode through jax.custom_vjp (the pullback runs dp's
    exported reverse entry with the cotangents), never JAX re-deriving it.
    Under jax.vmap the exported function runs once per batch element (a loop
    in XLA). Python ints and bools are static (compile-time constants).
    """
    from dp import derivatives
    from dp.backends import stablehlo as export

    @functools.lru_cache(maxsize=None)
    def specialized(static: tuple, avals: tuple) -> Callable:
        jax = _jax()
        from jax import core

        leaves = iter(avals)
        args = tuple(value if kind == "static" else _placeholder(next(leaves)) for kind, value in static)
        dynamic = tuple(i for i, (kind, _) in enumerate(static) if kind != "static")
        floats = tuple(i for i, (kind, _) in enumerate(static) if kind == "float")
        imported, entry = export.imported_for_export(fn, args, False, (), (), "dp.to_jax")
        primal_text = export.lower_to_stablehlo(imported, entry)
        out_avals = [core.ShapedArray(a.shape, a.dtype) for a in _result_avals(primal_text)]
        primal = _exported(primal_text, getattr(fn, "__name__", "fn"), avals, out_avals)
        reverse = None
        if floats:
            imported, _ = export.imported_for_export(fn, args, False, (), (), "dp.to_jax")
            activity = derivatives.activity_of(imported, floats)
            derivatives.add_reverse(imported, activity)
            reverse_text = export.lower_to_stablehlo(imported, derivatives.REVERSE)
            cts = [a for a, active in zip(out_avals, activity.results) if active]
            grads = [avals[dynamic.index(i)] for i in floats]
            reverse = _exported(reverse_text, "reverse", list(avals) + cts, out_avals + grads)
            active_results = activity.results

        call_primal, call_reverse = _mappable(primal), reverse and _mappable(reverse)

        def call(*xs):
            out = call_primal(*xs)
            return out[0] if len(out) == 1 else tuple(out)

        if reverse is None:
            return call

        @jax.custom_vjp
        def differentiable(*xs):
            return call(*xs)

        def forward(*xs):
            return call(*xs), xs

        def backward(xs, cotangent):
            cts = cotangent if isinstance(cotangent, tuple) else (cotangent,)
            cts = [ct for ct, active in zip(cts, active_results) if active]
            out = call_reverse(*xs, *cts)
            grads = iter(out[len(out_avals):])
            return tuple(
                next(grads) if i in floats else np.zeros(avals[k].shape, jax.dtypes.float0)
                for k, i in enumerate(dynamic)
            )

        differentiable.defvjp(forward, backward)
        return differentiable

    @functools.wraps(fn)
    def wrapper(*args: Any) -> Any:
        jax = _jax()
        static, dynamic, avals = [], [], []
        for a in args:
            if isinstance(a, (bool, int)):
                static.append(("static", a))
                continue
            array = jax.numpy.asarray(a)
            kind = "float" if jax.numpy.issubdtype(array.dtype, jax.numpy.floating) else "array"
            static.append((kind, None))
            dynamic.append(array)
            avals.append(jax.core.ShapedArray(array.shape, array.dtype))
        return specialized(tuple(static), tuple(avals))(*dynamic)

    return wrapper


def _mappable(exported: Any) -> Callable:
    """Calls an Exported; under jax.vmap, once per element of the batch (lax.map: a loop in XLA), since
    the exported function is specialized for unbatched shapes."""
    jax = _jax()

    @jax.custom_batching.custom_vmap
    def call(*xs):
        return tuple(exported.call(*xs))

    @call.def_vmap
    def batched(axis_size, in_batched, *xs):
        full = [x if b else jax.numpy.broadcast_to(x, (axis_size, *jax.numpy.shape(x))) for x, b in zip(xs, in_batched)]
        out = jax.lax.map(lambda args: call(*args), tuple(full))
        return out, (True,) * len(out)

    return call


def _result_avals(text: str) -> list[Any]:
    """The result types of @main in StableHLO text, as shape/dtype pairs."""
    from jax._src.interpreters import mlir as jax_mlir
    from jaxlib.mlir import ir
    from jaxlib.mlir.dialects import func

    with jax_mlir.make_ir_context():
        module = ir.Module.parse(text)
        for op in module.body.operations:
            if isinstance(op, func.FuncOp) and op.sym_name.value == "main":
                return [_Aval(ir.RankedTensorType(t)) for t in op.type.results]
    raise InternalCompilerError("dp's StableHLO export has no @main (a bug in dp)")


class _Aval:
    """Shape and numpy dtype of a ranked tensor type."""

    _DTYPES = {"f64": np.float64, "f32": np.float32, "i64": np.int64, "i32": np.int32, "i1": np.bool_,
               "complex<f64>": np.complex128, "complex<f32>": np.complex64}

    def __init__(self, type_: Any) -> None:
        self.shape = tuple(type_.shape)
        self.dtype = np.dtype(self._DTYPES[str(type_.element_type)])


__all__ = ["Executable", "portable_artifact", "to_jax", "verify"]
