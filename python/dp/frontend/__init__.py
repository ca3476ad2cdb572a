"""The Python frontend: imports a Python function's AST into MLIR (func, arith, math, scf).

`import_function(fn, args, kwargs, context=ctx)` specializes `fn` for its
arguments' types and structure and returns an `ImportedFunction`: the module
and how its entry function's arguments and results map to Python values.
"""

from dp.frontend import pytree
from dp.frontend.importer import ArgLeaf, ImportedFunction, import_function

__all__ = ["ArgLeaf", "ImportedFunction", "import_function", "pytree"]
