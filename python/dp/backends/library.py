"""Ahead-of-time shared libraries: a compiled function (or its gradient) that runs without dp, MLIR or LLVM.

`export_library(f, *args, target=..., grad=..., path=...)` writes into the
directory `path`:
- `lib<name>.so`: the function specialized for `args` (for the GPU: host
  code with its cubin or PTX embedded), with the packed entry point
  `void <name>(void **args)` and `dp_initialize()`;
- `<name>.h`: the C declarations, with the argument and result layout;
- `<name>.py`: a loader that needs only numpy and ctypes;
- for the GPU, `libdp_gpu_runtime.so`: dp's runtime over the CUDA driver.

Building needs a C compiler (`cc`, which installing dp from source needs
too) to link the object file; running needs only what the loader imports.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from typing import Any, Callable

from dp import derivatives
from dp._registration import new_context
from dp.arguments import bind_call, static_arguments
from dp.callables import resolve_at_caller
from dp.errors import DpError, ExportError
from dp.frontend import pytree
from dp.frontend.dtypes import ArraySpec
from dp.frontend.importer import import_function
from dp.runtime import jit

TARGETS = ("cpu", "gpu")
_LOADER = os.path.join(os.path.dirname(__file__), "library_loader.py.in")
_SCALARS = {float: "f64", int: "i64"}
_DTYPES = ("float64", "float32", "int64", "int32")

# dp's CPU code reports failed checks (and GPU code its host checks) to this function; an exported library
# keeps the first message for dp_take_error, which the loader raises after the call.
_SUPPORT = r"""
#include <stdint.h>
#include <stdio.h>
#include <string.h>
__attribute__((weak)) void dp_initialize(void) {}
/* What the LLVM lowering of a strided memref.copy calls (MLIR's runner utils define it in-process). */
typedef struct { int64_t rank; void *descriptor; } dp_unranked;
void memrefCopy(int64_t size, dp_unranked *from, dp_unranked *to) {
  int64_t rank = from->rank;
  char **f = (char **)from->descriptor, **t = (char **)to->descriptor;
  int64_t *fs = (int64_t *)(f + 2), *ts = (int64_t *)(t + 2);
  int64_t index[rank > 0 ? rank : 1], count = 1;
  for (int64_t d = 0; d < rank; ++d) { index[d] = 0; count *= fs[1 + d]; }
  for (int64_t n = 0; n < count; ++n) {
    int64_t a = fs[0], b = ts[0];
    for (int64_t d = 0; d < rank; ++d) { a += index[d] * fs[1 + rank + d]; b += index[d] * ts[1 + rank + d]; }
    memcpy(t[1] + b * size, f[1] + a * size, size);
    for (int64_t d = rank - 1; d >= 0 && ++index[d] == fs[1 + d]; --d) index[d] = 0;
  }
}
static char dp_error[1024];
void dpRuntimeError(const char *message) {
  if (!dp_error[0]) snprintf(dp_error, sizeof dp_error, "%s", message);
}
const char *dp_take_error(void) {
  static char taken[sizeof dp_error];
  if (!dp_error[0]) return 0;
  snprintf(taken, sizeof taken, "%s", dp_error);
  dp_error[0] = 0;
  return taken;
}
"""


def export_library(
    fn: Callable, *args: Any, target: str = "cpu", grad: bool = False, path: str, name: str | None = None
) -> str:
    """Writes a shared library, C header and Python loader of `fn` specialized for `args`; returns `path`.

    With grad=True the entry returns the value and the gradient with respect to every float argument
    (as dp.value_and_grad(f, argnums=all)).
    """
    if target not in TARGETS:
        raise ValueError(f"target must be one of {TARGETS}, not {target!r}")
    callee = resolve_at_caller(fn, "dp.export_library")
    name = name or callee.function.__name__
    if not name.isidentifier():
        raise ExportError(f"dp.export_library: {name!r} is not a C identifier; pass name=")
    try:
        call = bind_call(callee, static_arguments(callee, (), (), "dp.export_library"), args, {})
        imported = import_function(callee.function, call.args, call.kwargs, context=new_context())
    except DpError as error:
        raise error.with_traceback(None) from None
    if imported.prints or imported.writeback:
        raise ExportError(f"dp.export_library: {name} prints or writes its arguments back, which a library cannot")
    arg_kinds = [leaf.kind for leaf in imported.arg_leaves]
    result_kinds = pytree.leaf_kinds(imported.result_treedef)
    entry = imported.entry
    if grad:
        activity = derivatives.activity_of(imported, tuple(range(len(call.args))))
        derivatives.add_reverse(imported, activity)
        entry = derivatives.REVERSE
        if result_kinds != [float]:
            raise ExportError(f"dp.export_library(grad=True) needs {name} to return one float")
        arg_kinds = arg_kinds + [float]
        result_kinds = [float] + [kind for kind, active in zip(arg_kinds, activity.args) if active]
    signature = {"arguments": [_describe(k) for k in arg_kinds], "results": [_describe(k) for k in result_kinds]}
    if grad:
        signature["seed"] = True
    pipeline = _pipeline(target)
    with jit.use_target(target):
        jit.lower_to_llvm(imported.module, pipeline)
        object_file = jit.compile_object(imported.module, [entry])
    os.makedirs(path, exist_ok=True)
    _link(object_file, entry, name, target, path)
    signature.update({"name": name, "target": target, "library": f"lib{name}.so"})
    _write_header(path, name, signature)
    _write_loader(path, name, signature)
    return path


def _pipeline(target: str) -> str:
    """The current pipeline without dp's in-process services (its buffer cache, its BLAS)."""
    if target == "gpu":
        from dp.backends import gpu

        return gpu.pipeline()
    return "builtin.module(dp-lower-to-cpu{runtime-checks=1})"


def _describe(kind: Any) -> dict[str, Any]:
    if isinstance(kind, ArraySpec):
        if kind.dtype not in _DTYPES:
            raise ExportError(f"dp.export_library: arrays of {kind.dtype} are not supported (use one of {_DTYPES})")
        return {"dtype": kind.dtype, "shape": list(kind.shape)}
    if kind not in _SCALARS:
        raise ExportError(f"dp.export_library: a {getattr(kind, '__name__', kind)} leaf is not supported")
    return {"dtype": _SCALARS[kind], "shape": None}


def _link(object_file: bytes, entry: str, name: str, target: str, path: str) -> None:
    compiler = shutil.which(os.environ.get("CC", "cc"))
    if compiler is None:
        raise ExportError("dp.export_library needs a C compiler (cc) to link the shared library")
    with tempfile.TemporaryDirectory() as scratch:
        objects = os.path.join(scratch, "code.o")
        with open(objects, "wb") as out:
            out.write(object_file)
        support = os.path.join(scratch, "support.c")
        with open(support, "w") as out:
            out.write(_SUPPORT)
        command = [compiler, "-shared", "-fPIC", "-O2", "-o", os.path.join(path, f"lib{name}.so"), objects, support]
        # The entry keeps the function's own name: the packed wrapper is the one symbol exported.
        command += [f"-Wl,--defsym={name}=_mlir_{entry}", "-lm"]
        if target == "gpu":
            from dp.backends import gpu

            shutil.copy2(gpu.runtime_library_path(), os.path.join(path, "libdp_gpu_runtime.so"))
            command += [f"-L{path}", "-ldp_gpu_runtime", "-Wl,-rpath,$ORIGIN"]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise ExportError(f"linking lib{name}.so failed: {done.stderr.strip()}")


def _write_header(path: str, name: str, signature: dict[str, Any]) -> None:
    lines = [
        f"/* lib{name}.so: written by dp.export_library ({signature['target']}). */",
        f"#ifndef DP_{name.upper()}_H",
        f"#define DP_{name.upper()}_H",
        "#ifdef __cplusplus",
        'extern "C" {',
        "#endif",
        "/* Call once before the first call (loads the GPU kernels, if any). */",
        "void dp_initialize(void);",
        "/* The first failed check of the last calls (and clears it), or NULL. */",
        "const char *dp_take_error(void);",
        "/* args[i] points to the i-th argument field, args[n] to the result struct.",
        " * A scalar is one field (double or int64_t); an array of rank r is 3 + 2r",
        " * fields: allocated pointer, data pointer, offset (int64_t), r sizes, r",
        " * strides (in elements). The result struct is the results' fields in order,",
        " * 8 bytes each; a returned array was allocated by the library (malloc, or",
        " * dpGpuAlloc for the GPU) and belongs to the caller.",
    ]
    for label in ("arguments", "results"):
        lines.append(f" * {label}: " + (", ".join(_spell(k) for k in signature[label]) or "none"))
    lines += [" */", f"void {name}(void **args);", "#ifdef __cplusplus", "}", "#endif", "#endif", ""]
    with open(os.path.join(path, f"{name}.h"), "w") as out:
        out.write("\n".join(lines))


def _spell(kind: dict[str, Any]) -> str:
    return kind["dtype"] if kind["shape"] is None else f"{kind['dtype']}{kind['shape']}"


def _write_loader(path: str, name: str, signature: dict[str, Any]) -> None:
    with open(_LOADER) as template:
        text = template.read()
    text = text.replace("SIGNATURE = {}", f"SIGNATURE = {signature!r}", 1)
    with open(os.path.join(path, f"{name}.py"), "w") as out:
        out.write(text)


__all__ = ["export_library"]
