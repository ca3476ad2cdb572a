"""JIT-runs a scalar MLIR function `@f` and its derivatives, and checks them.

A program is MLIR source text with a public function `@f` whose arguments and
results are scalars (f64, f32, i64, index, i1), plus any private helpers it
calls. `compile_program(source)` returns a `Compiled` whose methods run, in
the ExecutionEngine:

- `value(*args)`: `@f` itself;
- `grad(*args, seed=...)`: the reverse-mode request `dp.autodiff`;
- `jvp(*args, tangents=...)`: the forward-mode request `dp.fwddiff`;
- `pullback(*args, seeds=...)`: split mode, `dp.augmented` once and
  `dp.reverse` twice on the same tape.

Each derivative is reached through a small generated wrapper function, so the
requests are exercised exactly as a user of the dialect writes them.
Derivative vectors are indexed over the float arguments and float results
only: integer, index and boolean values are never differentiable.

The derivatives need the `dp-lower-to-cpu` pipeline (it runs `dp-autodiff`).
While that pipeline is not registered, `value` still runs through an upstream
fallback pipeline and every derivative request skips its test with
`AUTODIFF_MISSING`; that is the only reason anything here skips.

`check_grads` compares the reverse-mode gradient with central finite
differences (Richardson-extrapolated, in float64), with the forward-mode
JVPs along every unit tangent, and checks the dot-product identity
<u, J^T v> = <J u, v> on seeded random directions.
"""

from __future__ import annotations

import ctypes
import functools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pytest
from mlir import ir
from mlir.execution_engine import ExecutionEngine
from mlir.passmanager import PassManager

import dp  # noqa: F401  (registers the dp dialect and passes with every new Context)
from dp import config

AUTODIFF_PIPELINE = "builtin.module(dp-lower-to-cpu)"
# Upstream lowering for primal-only modules. Math ops go to LLVM intrinsics
# first (rsqrt, copysign and fpowi have no libm function), then to libm calls.
FALLBACK_PIPELINE = (
    "builtin.module(convert-scf-to-cf, convert-math-to-llvm, convert-math-to-libm, "
    "convert-to-llvm, reconcile-unrealized-casts)"
)
AUTODIFF_MISSING = (
    "the dp-lower-to-cpu pipeline is not registered yet (issue 3: dp-autodiff), "
    "so derivatives cannot be compiled"
)

_CTYPES: dict[str, type] = {
    "f64": ctypes.c_double,
    "f32": ctypes.c_float,
    "i64": ctypes.c_int64,
    "index": ctypes.c_int64,
    "i1": ctypes.c_bool,
}
FLOAT_TYPES = frozenset({"f64", "f32"})

Scalar = float | int | bool


@functools.cache
def autodiff_available() -> bool:
    """True once `dp-lower-to-cpu` is registered (PassManager.parse rejects unknown names)."""
    with ir.Context():
        try:
            PassManager.parse(AUTODIFF_PIPELINE)
        except ValueError:
            return False
    return True


def require_autodiff() -> None:
    """Skips the calling test while the autodiff pipeline is not registered."""
    if not autodiff_available():
        pytest.skip(AUTODIFF_MISSING)


@dataclass(frozen=True)
class Signature:
    """Argument and result types of `@f`, spelled as MLIR types."""

    args: tuple[str, ...]
    results: tuple[str, ...]

    @property
    def float_args(self) -> tuple[int, ...]:
        return tuple(i for i, t in enumerate(self.args) if t in FLOAT_TYPES)

    @property
    def float_results(self) -> tuple[int, ...]:
        return tuple(i for i, t in enumerate(self.results) if t in FLOAT_TYPES)

    @property
    def single_precision(self) -> bool:
        """True if any float argument or result is f32 (derivatives are then looser)."""
        return "f32" in self.args or "f32" in self.results


def signature_of(source: str) -> Signature:
    """Reads the signature of `@f` from MLIR source text."""
    with ir.Context():
        module = ir.Module.parse(source)
        for op in module.body.operations:
            if op.operation.name == "func.func" and ir.StringAttr(op.attributes["sym_name"]).value == "f":
                ftype = ir.FunctionType(ir.TypeAttr(op.attributes["function_type"]).value)
                sig = Signature(tuple(str(t) for t in ftype.inputs), tuple(str(t) for t in ftype.results))
                break
        else:
            raise ValueError("the program has no function @f")
    for t in sig.args + sig.results:
        if t not in _CTYPES:
            raise ValueError(f"@f uses type {t}; the harness handles {sorted(_CTYPES)}")
    if not sig.float_args or not sig.float_results:
        raise ValueError("@f needs at least one float argument and one float result")
    return sig


# ---------------------------------------------------------------------------
# Wrapper generation
# ---------------------------------------------------------------------------


def _types(types: Sequence[str]) -> str:
    return ", ".join(types)


def _wrapper(name: str, params: Sequence[tuple[str, str]], body: str, results: Sequence[str]) -> str:
    """A public function with the C interface; `body` defines %o (one result) or %o#i."""
    plist = ", ".join(f"{v}: {t}" for v, t in params)
    if len(results) == 1:
        ret = f"return %o : {results[0]}"
    else:
        ret = f"return {', '.join(f'%o#{i}' for i in range(len(results)))} : {_types(results)}"
    return (
        f"func.func @{name}({plist}) -> ({_types(results)}) attributes {{llvm.emit_c_interface}} {{\n"
        f"  {body}\n  {ret}\n}}\n"
    )


def _lhs(n: int) -> str:
    return "%o" if n == 1 else f"%o:{n}"


def _activities(sig: Signature, all_results_active: bool, forward: bool) -> tuple[str, str]:
    """`args [...]` and `results [...]` for a request: floats differentiated, the rest const."""
    active = "dup" if forward else "active"
    args = [active if t in FLOAT_TYPES else "const" for t in sig.args]
    first = sig.float_results[0]
    res = [
        active if t in FLOAT_TYPES and (forward or all_results_active or i == first) else "const"
        for i, t in enumerate(sig.results)
    ]
    return f"args [{', '.join(args)}] results [{', '.join(res)}]"


def value_wrapper(sig: Signature) -> str:
    """`@__value(args) -> results`: calls @f."""
    params = [(f"%a{i}", t) for i, t in enumerate(sig.args)]
    call = (
        f"{_lhs(len(sig.results))} = func.call @f({', '.join(v for v, _ in params)}) "
        f": ({_types(sig.args)}) -> ({_types(sig.results)})"
    )
    return _wrapper("__value", params, call, sig.results)


def reverse_wrapper(sig: Signature, name: str, all_results_active: bool) -> str:
    """`@name(args, seeds) -> (results, grads of float args)` through `dp.autodiff`.

    With `all_results_active` every float result is active and takes a seed;
    otherwise only the first float result does and the other results are const.
    """
    seeded = sig.float_results if all_results_active else sig.float_results[:1]
    params = [(f"%a{i}", t) for i, t in enumerate(sig.args)]
    params += [(f"%s{i}", sig.results[i]) for i in seeded]
    outs = list(sig.results) + [sig.args[i] for i in sig.float_args]
    body = (
        f"{_lhs(len(outs))} = dp.autodiff @f({', '.join(v for v, _ in params)}) "
        f"{_activities(sig, all_results_active, forward=False)} "
        f": ({_types([t for _, t in params])}) -> ({_types(outs)})"
    )
    return _wrapper(name, params, body, outs)


def forward_wrapper(sig: Signature) -> str:
    """`@__jvp(a0, [t0,] a1, [t1,] ...) -> (r0, [dr0,] ...)` through `dp.fwddiff`."""
    params: list[tuple[str, str]] = []
    for i, t in enumerate(sig.args):
        params.append((f"%a{i}", t))
        if t in FLOAT_TYPES:
            params.append((f"%t{i}", t))
    outs: list[str] = []
    for t in sig.results:
        outs += [t, t] if t in FLOAT_TYPES else [t]
    body = (
        f"{_lhs(len(outs))} = dp.fwddiff @f({', '.join(v for v, _ in params)}) "
        f"{_activities(sig, True, forward=True)} "
        f": ({_types([t for _, t in params])}) -> ({_types(outs)})"
    )
    return _wrapper("__jvp", params, body, outs)


def pullback_wrapper(sig: Signature) -> str:
    """`@__pullback(args, seeds1, seeds2) -> (results, grads1, grads2)`.

    One `dp.augmented` builds the tape, two `dp.reverse` calls read it with two
    cotangents (the second must see the whole tape again), then the tape is freed.
    """
    args = [(f"%a{i}", t) for i, t in enumerate(sig.args)]
    first = [(f"%s{i}", sig.results[i]) for i in sig.float_results]
    second = [(f"%u{i}", sig.results[i]) for i in sig.float_results]
    grads = [sig.args[i] for i in sig.float_args]
    nres, ngrad = len(sig.results), len(grads)
    acts = _activities(sig, True, forward=False)
    tape = f"%p#{nres}"
    lines = [
        f"%p:{nres + 1} = dp.augmented @f({', '.join(v for v, _ in args)}) {acts} "
        f": ({_types(sig.args)}) -> ({_types(list(sig.results) + ['!dp.tape'])})",
    ]
    returned = [f"%p#{i}" for i in range(nres)]
    for tag, cotangents in (("g", first), ("h", second)):
        operands = ", ".join([tape] + [v for v, _ in cotangents])
        lines.append(
            f"{'%' + tag if ngrad == 1 else f'%{tag}:{ngrad}'} = dp.reverse @f({operands}) {acts} "
            f": ({_types(['!dp.tape'] + [t for _, t in cotangents])}) -> ({_types(grads)})"
        )
        returned += [f"%{tag}"] if ngrad == 1 else [f"%{tag}#{i}" for i in range(ngrad)]
    lines.append(f"dp.tape.free {tape} : !dp.tape")
    outs = list(sig.results) + grads + grads
    plist = ", ".join(f"{v}: {t}" for v, t in args + first + second)
    body = "\n  ".join(lines)
    return (
        f"func.func @__pullback({plist}) -> ({_types(outs)}) attributes {{llvm.emit_c_interface}} {{\n"
        f"  {body}\n  return {', '.join(returned)} : {_types(outs)}\n}}\n"
    )


# ---------------------------------------------------------------------------
# JIT
# ---------------------------------------------------------------------------


@functools.cache
def _result_struct(res_types: tuple[str, ...]) -> type[ctypes.Structure]:
    """The C layout of the LLVM struct that carries several results."""
    return type("Results", (ctypes.Structure,),
                {"_fields_": [(f"r{i}", _CTYPES[t]) for i, t in enumerate(res_types)]})


class _Engine:
    """One JIT-compiled module; keeps its Context alive as long as the engine."""

    def __init__(self, text: str, pipeline: str) -> None:
        self._context = ir.Context()
        with self._context:
            module = ir.Module.parse(text)
            PassManager.parse(pipeline).run(module.operation)
            runtime = os.path.join(config.mlir_lib_dir(), "libmlir_c_runner_utils.so")
            self._engine = ExecutionEngine(module, opt_level=2, shared_libs=[runtime])

    def call(self, name: str, arg_types: Sequence[str], res_types: Sequence[str],
             args: Sequence[Scalar]) -> tuple[Scalar, ...]:
        """Calls `name` through its C interface.

        One result comes back through a pointer passed last; several come back
        in a struct whose address the C interface takes as its first argument.
        """
        if len(args) != len(arg_types):
            raise TypeError(f"@{name} takes {len(arg_types)} arguments, got {len(args)}")
        c_args = [ctypes.pointer(_CTYPES[t](v)) for t, v in zip(arg_types, args)]
        if len(res_types) == 1:
            out = _CTYPES[res_types[0]]()
            self._engine.invoke(name, *c_args, ctypes.pointer(out))
            return (out.value,)
        struct = _result_struct(tuple(res_types))()
        self._engine.invoke(name, ctypes.pointer(ctypes.pointer(struct)), *c_args)
        return tuple(getattr(struct, f"r{i}") for i in range(len(res_types)))


@dataclass(frozen=True)
class Gradient:
    """What a reverse-mode request returns: every primal result, and d<seed, f>/d(float args)."""

    values: tuple[Scalar, ...]
    grads: np.ndarray


@dataclass(frozen=True)
class Jvp:
    """What a forward-mode request returns: every primal result, and J t over the float results."""

    values: tuple[Scalar, ...]
    tangents: np.ndarray


@dataclass(frozen=True)
class Pullback:
    """Split mode: primal results and the gradients from two reverse calls on one tape."""

    values: tuple[Scalar, ...]
    first: np.ndarray
    second: np.ndarray


class Compiled:
    """A program's `@f` and its derivative requests, each compiled on first use."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.signature = signature_of(source)

    @functools.cached_property
    def _primal(self) -> _Engine:
        pipeline = AUTODIFF_PIPELINE if autodiff_available() else FALLBACK_PIPELINE
        return _Engine(self.source + value_wrapper(self.signature), pipeline)

    @functools.cached_property
    def _derivatives(self) -> _Engine:
        require_autodiff()
        sig = self.signature
        text = self.source + reverse_wrapper(sig, "__grad", all_results_active=False)
        if len(sig.float_results) > 1:
            text += reverse_wrapper(sig, "__vjp", all_results_active=True)
        return _Engine(text + forward_wrapper(sig), AUTODIFF_PIPELINE)

    @functools.cached_property
    def _split(self) -> _Engine:
        require_autodiff()
        return _Engine(self.source + pullback_wrapper(self.signature), AUTODIFF_PIPELINE)

    def rounded(self, args: Sequence[Scalar]) -> tuple[Scalar, ...]:
        """`args` as @f receives them (f32 arguments rounded to single precision)."""
        sig = self.signature
        if len(args) != len(sig.args):
            raise TypeError(f"@f takes {len(sig.args)} arguments, got {len(args)}")
        return tuple(_CTYPES[t](v).value for t, v in zip(sig.args, args))

    def value(self, *args: Scalar) -> tuple[Scalar, ...]:
        """Every result of @f(*args)."""
        sig = self.signature
        return self._primal.call("__value", sig.args, sig.results, args)

    def grad(self, *args: Scalar, seed: float | Sequence[float] = 1.0) -> Gradient:
        """Reverse mode. A float `seed` makes only the first float result active (the
        others const); a sequence gives one cotangent per float result, all active."""
        sig = self.signature
        fres = [sig.results[i] for i in sig.float_results]
        fargs = [sig.args[i] for i in sig.float_args]
        if isinstance(seed, (int, float)):
            name, seeds, seed_types = "__grad", [seed], fres[:1]
        else:
            seeds = list(seed)
            if len(seeds) != len(fres):
                raise TypeError(f"need {len(fres)} seeds (one per float result), got {len(seeds)}")
            name = "__vjp" if len(fres) > 1 else "__grad"
            seed_types = fres
        out = self._derivatives.call(name, list(sig.args) + seed_types, list(sig.results) + fargs,
                                     list(args) + seeds)
        n = len(sig.results)
        return Gradient(out[:n], np.array(out[n:], dtype=np.float64))

    def jvp(self, *args: Scalar, tangents: Sequence[float]) -> Jvp:
        """Forward mode: one tangent per float argument; J t per float result."""
        sig = self.signature
        if len(tangents) != len(sig.float_args):
            raise TypeError(f"need {len(sig.float_args)} tangents (one per float argument)")
        it = iter(tangents)
        params: list[str] = []
        inputs: list[Scalar] = []
        for t, v in zip(sig.args, args):
            params.append(t)
            inputs.append(v)
            if t in FLOAT_TYPES:
                params.append(t)
                inputs.append(next(it))
        outs: list[str] = []
        for t in sig.results:
            outs += [t, t] if t in FLOAT_TYPES else [t]
        raw = self._derivatives.call("__jvp", params, outs, inputs)
        values: list[Scalar] = []
        tangent_out: list[float] = []
        pos = 0
        for t in sig.results:
            values.append(raw[pos])
            if t in FLOAT_TYPES:
                tangent_out.append(raw[pos + 1])
            pos += 2 if t in FLOAT_TYPES else 1
        return Jvp(tuple(values), np.array(tangent_out, dtype=np.float64))

    def pullback(self, *args: Scalar, seeds: tuple[Sequence[float], Sequence[float]]) -> Pullback:
        """Split mode: one augmented forward pass, then a reverse pass per cotangent in `seeds`."""
        sig = self.signature
        fres = [sig.results[i] for i in sig.float_results]
        fargs = [sig.args[i] for i in sig.float_args]
        first, second = (list(s) for s in seeds)
        if len(first) != len(fres) or len(second) != len(fres):
            raise TypeError(f"each cotangent needs {len(fres)} entries (one per float result)")
        out = self._split.call("__pullback", list(sig.args) + fres + fres,
                               list(sig.results) + fargs + fargs, list(args) + first + second)
        n, k = len(sig.results), len(fargs)
        return Pullback(out[:n], np.array(out[n:n + k]), np.array(out[n + k:]))


@functools.cache
def compile_program(source: str) -> Compiled:
    """The (cached) compiled form of a program's source text."""
    return Compiled(source)


# ---------------------------------------------------------------------------
# Oracles
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FiniteDifferences:
    """A Jacobian (float results x float args) and a per-entry error estimate."""

    jacobian: np.ndarray
    error: np.ndarray

    def assert_reliable(self, rtol: float) -> None:
        """Fails if the extrapolation has not converged well below `rtol`: the test
        point or step is then unsuitable, which is not the derivative's fault."""
        scale = max(1.0, float(np.max(np.abs(self.jacobian))))
        bad = self.error > 0.1 * rtol * np.maximum(np.abs(self.jacobian), 1e-2 * scale)
        if np.any(bad):
            raise AssertionError(
                "finite-difference oracle unreliable at this point (choose another point or step):\n"
                f"jacobian={self.jacobian}\nerror estimate={self.error}"
            )


def finite_differences(fn: Callable[..., tuple[Scalar, ...]], signature: Signature,
                       args: Sequence[Scalar], step: float = 1e-4) -> FiniteDifferences:
    """Central differences of `fn` (float64), Richardson-extrapolated twice.

    For each float argument, central quotients D(h), D(h/2), D(h/4) with
    h = step * max(1, |x|) give two O(h^4) estimates; the finer one is the
    Jacobian column and their difference the error estimate. Every non-float
    result (trip counts, flags) must be the same at every perturbed point,
    otherwise the point is too close to a discontinuity and this raises.
    """
    base = fn(*args)
    fres = signature.float_results
    jac = np.zeros((len(fres), len(signature.float_args)))
    err = np.zeros_like(jac)
    for col, j in enumerate(signature.float_args):
        h0 = step * max(1.0, abs(float(args[j])))
        quotients = []
        for k in range(3):
            lo, hi = list(args), list(args)
            lo[j], hi[j] = args[j] - h0 / 2**k, args[j] + h0 / 2**k
            f_lo, f_hi = fn(*lo), fn(*hi)
            for out in (f_lo, f_hi):
                changed = [i for i, t in enumerate(signature.results)
                           if t not in FLOAT_TYPES and out[i] != base[i]]
                if changed:
                    raise AssertionError(
                        f"non-float results {changed} change when argument {j} moves by "
                        f"{h0 / 2**k:g} (trip count or branch changed): {base} -> {out}; "
                        "choose a test point away from the discontinuity")
            width = hi[j] - lo[j]  # the representable step actually taken
            quotients.append(np.array([(f_hi[i] - f_lo[i]) / width for i in fres]))
        coarse = (4 * quotients[1] - quotients[0]) / 3
        fine = (4 * quotients[2] - quotients[1]) / 3
        jac[:, col] = fine
        err[:, col] = np.abs(fine - coarse)
    return FiniteDifferences(jac, err)


def _agreement_rtol(signature: Signature) -> float:
    """Tolerance between two derivative requests (forward, reverse, split): roundoff only."""
    return 1e-4 if signature.single_precision else 1e-10


def _assert_close(actual: np.ndarray, expected: np.ndarray, rtol: float, what: str) -> None:
    """Relative comparison with an absolute floor scaled by the largest expected entry."""
    actual, expected = np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    scale = max(1.0, float(np.max(np.abs(expected)))) if expected.size else 1.0
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=1e-2 * rtol * scale, err_msg=what)


def _assert_same_values(actual: Sequence[Scalar], expected: Sequence[Scalar], signature: Signature,
                        rtol: float, what: str) -> None:
    """Primal results returned by a derivative equal those of @f (ints exactly)."""
    for i, t in enumerate(signature.results):
        if t in FLOAT_TYPES:
            _assert_close(np.array([actual[i]]), np.array([expected[i]]), rtol, f"{what}: result {i}")
        elif actual[i] != expected[i]:
            raise AssertionError(f"{what}: result {i} is {actual[i]}, @f gives {expected[i]}")


def check_grads(source: str, args: Sequence[Scalar], rtol: float = 1e-6, *,
                fd_source: str | None = None, fd_step: float = 1e-4, seed: int = 0) -> np.ndarray:
    """Checks the derivatives of `@f` at `args` three ways; returns the Jacobian.

    1. Reverse mode row by row (one-hot seeds on the float results) against
       finite differences of `fd_source` (default: the program itself, which
       must then be float64; an f32 program passes its float64 twin) at rtol;
       the scalar-seed form (first float result active, the others const)
       must give the first row scaled by the seed.
    2. Forward mode column by column (one-hot tangents) against reverse mode.
    3. The dot-product test <u, J^T v> = <J u, v> for seeded random u, v.
    Primal results returned by every request must equal @f's.
    """
    prog = compile_program(source)
    sig = prog.signature
    args = prog.rounded(args)
    agree = _agreement_rtol(sig)
    base = prog.value(*args)
    m, n = len(sig.float_results), len(sig.float_args)

    fd_prog = compile_program(fd_source) if fd_source is not None else prog
    if fd_prog.signature.single_precision:
        raise ValueError("finite differences need a float64 program; pass fd_source")
    fd = finite_differences(fd_prog.value, fd_prog.signature, args, step=fd_step)
    fd.assert_reliable(rtol)

    rows = []
    for i in range(m):
        g = prog.grad(*args, seed=np.eye(m)[i].tolist())
        _assert_same_values(g.values, base, sig, agree, "primal results of dp.autodiff")
        rows.append(g.grads)
    j_rev = np.array(rows)
    _assert_close(j_rev, fd.jacobian, rtol, "reverse mode (dp.autodiff) vs finite differences")

    rng = np.random.default_rng(seed)
    scalar_seed = float(rng.uniform(0.5, 2.0))
    g = prog.grad(*args, seed=scalar_seed)
    _assert_same_values(g.values, base, sig, agree, "primal results of dp.autodiff (one active result)")
    _assert_close(g.grads, scalar_seed * j_rev[0], agree,
                  "dp.autodiff with only the first float result active vs the first Jacobian row")

    cols = []
    for j in range(n):
        t = prog.jvp(*args, tangents=np.eye(n)[j].tolist())
        _assert_same_values(t.values, base, sig, agree, "primal results of dp.fwddiff")
        cols.append(t.tangents)
    j_fwd = np.array(cols).T
    _assert_close(j_fwd, j_rev, agree, "forward mode (dp.fwddiff) vs reverse mode (dp.autodiff)")

    u, v = rng.standard_normal(n), rng.standard_normal(m)
    ju = prog.jvp(*args, tangents=u.tolist()).tangents
    jtv = prog.grad(*args, seed=v.tolist()).grads
    lhs, rhs = float(u @ jtv), float(ju @ v)
    scale = float(np.abs(u) @ np.abs(jtv) + np.abs(ju) @ np.abs(v))
    assert abs(lhs - rhs) <= agree * max(scale, 1.0), (
        f"dot-product test failed: <u, J^T v> = {lhs}, <J u, v> = {rhs}")
    return j_rev


def check_pullback(source: str, args: Sequence[Scalar], seed: int = 0) -> None:
    """Split mode: both reverse calls on one tape equal dp.autodiff with the same cotangents."""
    prog = compile_program(source)
    sig = prog.signature
    args = prog.rounded(args)
    agree = _agreement_rtol(sig)
    rng = np.random.default_rng(seed)
    m = len(sig.float_results)
    v1, v2 = rng.standard_normal(m).tolist(), rng.standard_normal(m).tolist()
    p = prog.pullback(*args, seeds=(v1, v2))
    _assert_same_values(p.values, prog.value(*args), sig, agree, "primal results of dp.augmented")
    _assert_close(p.first, prog.grad(*args, seed=v1).grads, agree, "first dp.reverse vs dp.autodiff")
    _assert_close(p.second, prog.grad(*args, seed=v2).grads, agree,
                  "second dp.reverse on the same tape vs dp.autodiff")
