"""dp: differentiable programming for Python, compiled through MLIR.

Importing dp makes the `dp` dialect and passes available to the upstream
`mlir` Python bindings: every `mlir.ir.Context` created afterwards can parse,
build and transform dp operations.
"""

from dp import _registration
from dp.api import compile, lower
from dp.backends.library import export_library
from dp.backends.stablehlo import export, export_stablehlo
from dp.backends.xla import to_jax
from dp.custom import checkpoint, custom_jvp, custom_vjp, fori_loop, hook
from dp.gradient_control import stop_gradient
from dp.transforms import Pullback, clear_caches, grad, hessian, jacobian, jvp, value_and_grad, vjp
from dp.config import dp_opt_path, llvm_bin_dir, mlir_bin_dir, plugin_path
from dp.errors import (
    DivisionByZeroError,
    DpError,
    ExportError,
    GpuRuntimeError,
    GpuUnavailableError,
    IntegerOverflowError,
    InternalCompilerError,
    InvalidValueError,
    NotDifferentiableError,
    RuntimeCheckError,
    ShapeError,
    StaticArgumentError,
    TypeMismatchError,
    UnsupportedSyntaxError,
    UnsupportedTargetError,
)

_registration.register()

__version__ = "0.1.0"

__all__ = [
    "DivisionByZeroError",
    "DpError",
    "ExportError",
    "GpuRuntimeError",
    "GpuUnavailableError",
    "IntegerOverflowError",
    "InternalCompilerError",
    "InvalidValueError",
    "Pullback",
    "NotDifferentiableError",
    "RuntimeCheckError",
    "ShapeError",
    "StaticArgumentError",
    "TypeMismatchError",
    "UnsupportedSyntaxError",
    "UnsupportedTargetError",
    "checkpoint",
    "clear_caches",
    "compile",
    "export",
    "export_library",
    "export_stablehlo",
    "custom_jvp",
    "custom_vjp",
    "fori_loop",
    "dp_opt_path",
    "grad",
    "hessian",
    "hook",
    "jacobian",
    "jvp",
    "llvm_bin_dir",
    "lower",
    "to_jax",
    "mlir_bin_dir",
    "plugin_path",
    "stop_gradient",
    "value_and_grad",
    "vjp",
]
