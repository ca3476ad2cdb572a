"""A decorator in a module of its own: its wrapper reads this module's globals, not the caller's."""

import functools

SCALE = 2.0


def scaled(f):
    @functools.wraps(f)
    def wrapper(x):
        return SCALE * f(x)

    return wrapper
