"""JIT-runs an MLIR function `@f` over buffers (memrefs) and its derivatives.

`@f` takes statically shaped memrefs (f64 buffers, differentiated as `dup`
unless listed const; i64 buffers, never differentiated) and f64 scalars, and
returns f64 scalars. It may read and write its buffers in place. Seen as a
function, it maps (initial contents of the f64 buffers, scalars) to (final
contents of the f64 buffers, results); `jacobian_fd` differentiates that map
by central differences, and the derivative requests must agree with it:

- reverse mode (`dp.autodiff`): shadows passed in hold a cotangent of the
  final contents and come back holding the cotangent of the initial contents;
  scalar gradients are returned;
- forward mode (`dp.fwddiff`): shadows passed in hold a tangent of the initial
  contents and come back holding the tangent of the final contents;
- split mode: one `dp.augmented`, then two `dp.reverse` calls on the same tape
  with two sets of shadows.

Wrappers pass scalars and results through small f64 memrefs, so every call
goes through the C interface with memref descriptors only.
"""

from __future__ import annotations

import ctypes
import os
from dataclasses import dataclass, field

import numpy as np
from mlir import ir
from mlir.execution_engine import ExecutionEngine
from mlir.passmanager import PassManager
from mlir.runtime import get_ranked_memref_descriptor

import dp  # noqa: F401  (registers the dp dialect and passes with every new Context)
from dp import config

# dp-autodiff first, on the program as written: calls are differentiated as
# calls (dp-lower-to-cpu alone would inline them first).
PIPELINE = "builtin.module(dp-autodiff, dp-lower-to-cpu)"


@dataclass(frozen=True)
class BufferProgram:
    """Source of `@f`, a test point (one value per argument), and the const f64 buffers."""

    name: str
    source: str
    point: tuple
    const: frozenset[int] = field(default_factory=frozenset)
    results: int = 0

    def kinds(self) -> list[str]:
        """Per argument: 'dup' (f64 buffer), 'const' (other buffer) or 'scalar'."""
        kinds = []
        for i, value in enumerate(self.point):
            if isinstance(value, np.ndarray):
                dup = value.dtype == np.float64 and i not in self.const
                kinds.append("dup" if dup else "const")
            else:
                kinds.append("scalar")
        return kinds


def _memref_type(value: np.ndarray) -> str:
    dims = "x".join(str(d) for d in value.shape)
    element = {np.dtype(np.float64): "f64", np.dtype(np.int64): "i64"}[value.dtype]
    return f"memref<{dims}x{element}>" if dims else f"memref<{element}>"


def _vector(n: int) -> str:
    return f"memref<{max(n, 1)}xf64>"


class _Wrappers:
    """Generates the public wrapper functions of one program."""

    def __init__(self, program: BufferProgram) -> None:
        self.p = program
        self.kinds = program.kinds()
        self.types = [_memref_type(v) if k != "scalar" else "f64" for k, v in zip(self.kinds, program.point)]
        self.scalars = [i for i, k in enumerate(self.kinds) if k == "scalar"]
        self.buffers = [i for i, k in enumerate(self.kinds) if k != "scalar"]
        self.lines: list[str] = []
        self.counter = 0

    def fresh(self) -> str:
        self.counter += 1
        return f"%v{self.counter}"

    def index(self, k: int) -> str:
        name = self.fresh()
        self.lines.append(f"{name} = arith.constant {k} : index")
        return name

    def load_all(self, vec: str, n: int) -> list[str]:
        out = []
        for k in range(n):
            name = self.fresh()
            self.lines.append(f"{name} = memref.load {vec}[{self.index(k)}] : {_vector(n)}")
            out.append(name)
        return out

    def store_all(self, values: list[str], vec: str, n: int) -> None:
        for k, v in enumerate(values):
            self.lines.append(f"memref.store {v}, {vec}[{self.index(k)}] : {_vector(n)}")

    def function(self, name: str, params: list[tuple[str, str]]) -> str:
        plist = ", ".join(f"{v}: {t}" for v, t in params)
        body = "\n  ".join(self.lines)
        self.lines = []
        return f"func.func @{name}({plist}) attributes {{llvm.emit_c_interface}} {{\n  {body}\n  return\n}}\n"

    def results_of(self, n: int) -> tuple[str, list[str]]:
        if n == 0:
            return "", []
        name = self.fresh()
        lhs = f"{name}:{n} = " if n > 1 else f"{name} = "
        return lhs, [f"{name}#{k}" if n > 1 else name for k in range(n)]

    def value(self) -> str:
        nsc, nres = len(self.scalars), self.p.results
        params = [(f"%a{i}", t) for i, t in enumerate(self.types) if self.kinds[i] != "scalar"]
        params += [("%s", _vector(nsc)), ("%r", _vector(nres))]
        scalars = iter(self.load_all("%s", nsc))
        operands = [f"%a{i}" if k != "scalar" else next(scalars) for i, k in enumerate(self.kinds)]
        lhs, results = self.results_of(nres)
        self.lines.append(f"{lhs}func.call @f({', '.join(operands)}) : ({', '.join(self.types)}) -> ({', '.join(['f64'] * nres)})")
        self.store_all(results, "%r", nres)
        return self.function("__value", params)

    def _buffer_params(self) -> tuple[list[tuple[str, str]], list[str]]:
        params, operands = [], []
        scalars = iter(self.load_all("%s", len(self.scalars)))
        for i, (kind, t) in enumerate(zip(self.kinds, self.types)):
            if kind == "scalar":
                operands.append(next(scalars))
                continue
            params.append((f"%a{i}", t))
            operands.append(f"%a{i}")
            if kind == "dup":
                params.append((f"%d{i}", t))
                operands.append(f"%d{i}")
        return params, operands

    def grad(self) -> str:
        nsc, nres = len(self.scalars), self.p.results
        params, operands = self._buffer_params()
        params += [("%s", _vector(nsc)), ("%r", _vector(nres)), ("%ds", _vector(nsc)), ("%seed", _vector(nres))]
        seeds = self.load_all("%seed", nres)
        args = ", ".join({"dup": "dup", "const": "const", "scalar": "active"}[k] for k in self.kinds)
        in_types = []
        for k, t in zip(self.kinds, self.types):
            in_types += [t, t] if k == "dup" else [t]
        lhs, outs = self.results_of(nres + nsc)
        self.lines.append(
            f"{lhs}dp.autodiff @f({', '.join(operands + seeds)}) args [{args}] "
            f"results [{', '.join(['active'] * nres)}] : ({', '.join(in_types + ['f64'] * nres)}) "
            f"-> ({', '.join(['f64'] * (nres + nsc))})")
        self.store_all(outs[:nres], "%r", nres)
        self.store_all(outs[nres:], "%ds", nsc)
        return self.function("__grad", params)

    def jvp(self) -> str:
        nsc, nres = len(self.scalars), self.p.results
        params = []
        operands, in_types = [], []
        scalars = iter(self.load_all("%s", nsc))
        tangents = iter(self.load_all("%ts", nsc))
        for i, (kind, t) in enumerate(zip(self.kinds, self.types)):
            if kind == "scalar":
                operands += [next(scalars), next(tangents)]
                in_types += ["f64", "f64"]
                continue
            params.append((f"%a{i}", t))
            operands.append(f"%a{i}")
            in_types.append(t)
            if kind == "dup":
                params.append((f"%d{i}", t))
                operands.append(f"%d{i}")
                in_types.append(t)
        params += [("%s", _vector(nsc)), ("%ts", _vector(nsc)), ("%r", _vector(nres)), ("%tr", _vector(nres))]
        args = ", ".join("const" if k == "const" else "dup" for k in self.kinds)
        lhs, outs = self.results_of(2 * nres)
        self.lines.append(
            f"{lhs}dp.fwddiff @f({', '.join(operands)}) args [{args}] results [{', '.join(['dup'] * nres)}] "
            f": ({', '.join(in_types)}) -> ({', '.join(['f64'] * (2 * nres))})")
        self.store_all(outs[0::2], "%r", nres)
        self.store_all(outs[1::2], "%tr", nres)
        return self.function("__jvp", params)

    def split(self) -> str:
        """Augmented once; reverse with shadows %d* and seeds %seed, then with %e* and %seed2."""
        nsc, nres = len(self.scalars), self.p.results
        scalars = iter(self.load_all("%s", nsc))
        params, operands, aug_types = [], [], []
        for i, (kind, t) in enumerate(zip(self.kinds, self.types)):
            aug_types.append(t)
            if kind == "scalar":
                operands.append(next(scalars))
                continue
            params.append((f"%a{i}", t))
            operands.append(f"%a{i}")
            if kind == "dup":
                params += [(f"%d{i}", t), (f"%e{i}", t)]
        params += [("%s", _vector(nsc)), ("%r", _vector(nres)), ("%ds", _vector(nsc)), ("%es", _vector(nsc)),
                   ("%seed", _vector(nres)), ("%seed2", _vector(nres))]
        args = ", ".join({"dup": "dup", "const": "const", "scalar": "active"}[k] for k in self.kinds)
        acts = f"args [{args}] results [{', '.join(['active'] * nres)}]"
        tape = self.fresh()
        lhs = f"{tape}:{nres + 1} = " if nres else f"{tape} = "
        self.lines.append(f"{lhs}dp.augmented @f({', '.join(operands)}) {acts} : ({', '.join(aug_types)}) "
                          f"-> ({', '.join(['f64'] * nres + ['!dp.tape'])})")
        tape_value = f"{tape}#{nres}" if nres else tape
        self.store_all([f"{tape}#{k}" for k in range(nres)], "%r", nres)
        for shadow, seed_vec, grads in (("%d", "%seed", "%ds"), ("%e", "%seed2", "%es")):
            rev_operands, rev_types = [tape_value], ["!dp.tape"]
            for i, (kind, t) in enumerate(zip(self.kinds, self.types)):
                if kind == "scalar":
                    continue
                rev_operands.append(f"%a{i}")
                rev_types.append(t)
                if kind == "dup":
                    rev_operands.append(f"{shadow}{i}")
                    rev_types.append(t)
            seeds = self.load_all(seed_vec, nres)
            out_lhs, outs = self.results_of(nsc)
            self.lines.append(f"{out_lhs}dp.reverse @f({', '.join(rev_operands + seeds)}) {acts} "
                              f": ({', '.join(rev_types + ['f64'] * nres)}) -> ({', '.join(['f64'] * nsc)})")
            self.store_all(outs, grads, nsc)
        self.lines.append(f"dp.tape.free {tape_value} : !dp.tape")
        return self.function("__split", params)


def _descriptor(array: np.ndarray):
    return ctypes.pointer(ctypes.pointer(get_ranked_memref_descriptor(array)))


class CompiledBuffers:
    """A buffer program's `@f` and its derivative requests, JIT-compiled once."""

    def __init__(self, program: BufferProgram) -> None:
        self.program = program
        w = _Wrappers(program)
        self.kinds = w.kinds
        text = program.source + w.value() + w.grad() + w.jvp() + w.split()
        self._context = ir.Context()
        with self._context:
            module = ir.Module.parse(text)
            PassManager.parse(PIPELINE).run(module.operation)
            runtime = os.path.join(config.mlir_lib_dir(), "libmlir_c_runner_utils.so")
            self._engine = ExecutionEngine(module, opt_level=2, shared_libs=[runtime])

    @property
    def dups(self) -> list[int]:
        return [i for i, k in enumerate(self.kinds) if k == "dup"]

    @property
    def scalars(self) -> list[int]:
        return [i for i, k in enumerate(self.kinds) if k == "scalar"]

    def _invoke(self, name: str, arrays: list[np.ndarray]) -> None:
        self._engine.invoke(name, *[_descriptor(a) for a in arrays])

    def _vec(self, values) -> np.ndarray:
        values = np.asarray(values, dtype=np.float64).reshape(-1)
        return np.zeros(1) if values.size == 0 else values.copy()

    def _buffers(self, point) -> list[np.ndarray]:
        return [np.array(point[i], copy=True) for i, k in enumerate(self.kinds) if k != "scalar"]

    def value(self, point) -> tuple[list[np.ndarray], np.ndarray]:
        """Final contents of every buffer argument, and the results."""
        buffers = self._buffers(point)
        results = self._vec(np.zeros(self.program.results))
        self._invoke("__value", buffers + [self._vec([point[i] for i in self.scalars]), results])
        return buffers, results[: self.program.results]

    def flat_map(self, x: np.ndarray, point) -> np.ndarray:
        """(flattened initial dup buffers, scalars) -> (flattened final dup buffers, results)."""
        point = list(point)
        offset = 0
        for i in self.dups:
            n = point[i].size
            point[i] = x[offset:offset + n].reshape(point[i].shape)
            offset += n
        for i in self.scalars:
            point[i] = float(x[offset])
            offset += 1
        buffers, results = self.value(point)
        finals = [b for i, b in zip([j for j, k in enumerate(self.kinds) if k != "scalar"], buffers) if i in self.dups]
        return np.concatenate([b.reshape(-1) for b in finals] + [results])

    def flatten_inputs(self, point) -> np.ndarray:
        return np.concatenate([point[i].reshape(-1) for i in self.dups] + [np.array([point[i] for i in self.scalars], dtype=np.float64)])

    def _split_outputs(self, v: np.ndarray, point) -> tuple[list[np.ndarray], np.ndarray]:
        parts, offset = [], 0
        for i in self.dups:
            n = point[i].size
            parts.append(v[offset:offset + n].reshape(point[i].shape).copy())
            offset += n
        return parts, v[offset:]

    def _with_shadows(self, point, *shadow_sets: list[np.ndarray]) -> list[np.ndarray]:
        """Each buffer argument (a copy), followed for dup ones by its shadow from each set."""
        arrays, k = [], 0
        for i, kind in enumerate(self.kinds):
            if kind == "scalar":
                continue
            arrays.append(np.array(point[i], copy=True))
            if kind == "dup":
                arrays += [shadows[k] for shadows in shadow_sets]
                k += 1
        return arrays

    def vjp(self, point, cotangent: np.ndarray) -> np.ndarray:
        """J^T cotangent through dp.autodiff, flattened like the inputs."""
        shadows, seeds = self._split_outputs(cotangent, point)
        arrays = self._with_shadows(point, shadows)
        grads = self._vec(np.zeros(len(self.scalars)))
        arrays += [self._vec([point[i] for i in self.scalars]), self._vec(np.zeros(self.program.results)), grads,
                   self._vec(seeds)]
        self._invoke("__grad", arrays)
        return np.concatenate([s.reshape(-1) for s in shadows] + [grads[: len(self.scalars)]])

    def jvp(self, point, tangent: np.ndarray) -> np.ndarray:
        """J tangent through dp.fwddiff, flattened like the outputs."""
        shadows, scalar_tangents = self._split_outputs(tangent, point)
        arrays = self._with_shadows(point, shadows)
        nres = self.program.results
        results, tres = self._vec(np.zeros(nres)), self._vec(np.zeros(nres))
        arrays += [self._vec([point[i] for i in self.scalars]), self._vec(scalar_tangents), results, tres]
        self._invoke("__jvp", arrays)
        return np.concatenate([s.reshape(-1) for s in shadows] + [tres[:nres]])

    def split_vjp(self, point, first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Two reverse sweeps on one tape: J^T first and J^T second."""
        s1, seeds1 = self._split_outputs(first, point)
        s2, seeds2 = self._split_outputs(second, point)
        arrays = self._with_shadows(point, s1, s2)
        nsc = len(self.scalars)
        g1, g2 = self._vec(np.zeros(nsc)), self._vec(np.zeros(nsc))
        arrays += [self._vec([point[i] for i in self.scalars]), self._vec(np.zeros(self.program.results)), g1, g2,
                   self._vec(seeds1), self._vec(seeds2)]
        self._invoke("__split", arrays)
        flat = lambda shadows, g: np.concatenate([s.reshape(-1) for s in shadows] + [g[:nsc]])  # noqa: E731
        return flat(s1, g1), flat(s2, g2)


def jacobian_fd(compiled: CompiledBuffers, point, h: float = 1e-3) -> np.ndarray:
    """Jacobian of `flat_map` by central differences, Richardson-extrapolated (error O(h^4))."""
    x0 = compiled.flatten_inputs(point)
    columns = []
    for j in range(x0.size):
        def diff(step: float) -> np.ndarray:
            up, down = x0.copy(), x0.copy()
            up[j] += step
            down[j] -= step
            return (compiled.flat_map(up, point) - compiled.flat_map(down, point)) / (2 * step)
        columns.append((4 * diff(h / 2) - diff(h)) / 3)
    return np.stack(columns, axis=1)
