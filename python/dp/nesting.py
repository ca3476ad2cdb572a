"""Derivatives of derivatives: a transform of a transform compiles a function that calls the inner one.

`dp.grad(dp.grad(f))` differentiates the Python function
`def grad_f(x): return inner(x)` (same parameters as the inner transform
takes, `inner` the `dp.grad(f)` object). dp compiles that function like any
other: the call of `inner` in it becomes a derivative request in the IR
(dp.frontend.derivative_calls), and dp-autodiff differentiates the inner
derivative's code for the outer request. So nesting happens in the compiler,
at any depth, and the disk cache keys it by the wrapper's source and the
inner transform (dp.runtime.fingerprint).
"""

from __future__ import annotations

import inspect
import hashlib
import linecache
import types
from typing import Any

from dp.frontend.source import python_signature

_wrappers: dict[str, types.FunctionType] = {}  # file name of a wrapper -> the user's function it calls


def user_position(filename: str, line: int, col: int) -> tuple[str, int, int]:
    """A source position, moved from a wrapper dp wrote to the definition of the user's function."""
    user = _wrappers.get(filename)
    if user is None:
        return filename, line, col
    code = user.__code__
    return code.co_filename, code.co_firstlineno, 1


def derivative_function(transform: Any) -> types.FunctionType:
    """The Python function dp compiles for a transform object `transform` (made once per object)."""
    function = transform.__dict__.get("_dp_function")
    if function is None:
        function = _synthesize(transform)
        transform.__dict__["_dp_function"] = function
    return function


def _user_function(fn: types.FunctionType) -> types.FunctionType:
    """The function the user wrote at the bottom of a chain of wrappers."""
    while getattr(fn, "__dp_user_function__", None) is not None:
        fn = fn.__dp_user_function__
    return fn


def _parameters(transform: Any) -> list[inspect.Parameter]:
    """The parameters a call of `transform` takes: its function's, less what its callable binds."""
    target = transform._target
    parameters = list(python_signature(target.function).parameters.values())
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    bound = len(target.args)
    kept = []
    for parameter in parameters:
        if bound and parameter.kind in positional:
            bound -= 1
            continue
        if parameter.name in target.kwargs:
            continue
        kept.append(parameter)
    return kept


def _synthesize(transform: Any) -> types.FunctionType:
    """Builds `def <name>(params): return __dp_inner(params)` with its source registered in linecache."""
    inner_name = transform._target.function.__name__
    name = f"{transform.kind}_of_{inner_name}".replace("<", "").replace(">", "")
    namespace: dict[str, Any] = {"__dp_inner": transform, "__name__": "dp.nesting"}
    signature, call = [], []
    keyword_only = False
    for parameter in _parameters(transform):
        if parameter.kind is parameter.VAR_POSITIONAL:
            signature.append(f"*{parameter.name}")
            call.append(f"*{parameter.name}")
            keyword_only = True
            continue
        if parameter.kind is parameter.VAR_KEYWORD:
            signature.append(f"**{parameter.name}")
            call.append(f"**{parameter.name}")
            continue
        text = parameter.name
        if parameter.default is not parameter.empty:
            default = f"__dp_default_{parameter.name}"
            namespace[default] = parameter.default
            text += f"={default}"
        if parameter.kind is parameter.KEYWORD_ONLY:
            if not keyword_only:
                signature.append("*")
                keyword_only = True
            call.append(f"{parameter.name}={parameter.name}")
        else:
            call.append(parameter.name)
        signature.append(text)
    source = f"def {name}({', '.join(signature)}):\n    return __dp_inner({', '.join(call)})\n"
    inner = transform._target.function
    # Named by its text, so that the same wrapper has the same name in every process (the disk cache
    # keys functions by file and source) and different wrappers never share one.
    digest = hashlib.sha256(source.encode()).hexdigest()[:12]
    filename = f"<dp.{transform.kind} of {inner.__module__}.{inner.__qualname__} {digest}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    _wrappers[filename] = _user_function(inner)
    exec(compile(source, filename, "exec"), namespace)
    function = namespace[name]
    function.__qualname__ = f"dp.{transform.kind}({inner.__qualname__})"
    function.__module__ = inner.__module__
    function.__dp_user_function__ = _user_function(inner)
    return function


__all__ = ["derivative_function", "user_position"]
