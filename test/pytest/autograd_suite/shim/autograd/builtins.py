"""autograd.builtins: Python's own containers and isinstance (dp sees no tracing boxes)."""

from builtins import dict, isinstance, list, tuple  # noqa: F401
