"""The scipy.stats distribution methods dp compiles (norm, t, gamma, chi2, beta, poisson, dirichlet, ...).

`scipy.stats.norm.logpdf(x, loc, scale)` and the like are bound methods of
scipy's distribution objects; each maps to its function in dp.library.stats
under the name as written, with scipy's parameters and defaults.
"""

from __future__ import annotations

from typing import Any

from dp.frontend.special_functions import Special

# distribution -> (its shape parameters, the methods dp compiles, whether it is discrete)
_DISTRIBUTIONS = {
    "norm": ((), ("pdf", "logpdf", "cdf", "logcdf", "sf", "logsf", "ppf")),
    "t": (("df",), ("pdf", "logpdf", "cdf", "logcdf", "sf")),
    "gamma": (("a",), ("pdf", "logpdf", "cdf", "logcdf", "sf")),
    "chi2": (("df",), ("pdf", "logpdf", "cdf", "logcdf", "sf")),
    "beta": (("a", "b"), ("pdf", "logpdf", "cdf", "logcdf", "sf")),
    "poisson": (("mu",), ("pmf", "logpmf", "cdf", "logcdf", "sf")),
}


def stats_entries(module: Any) -> dict[Any, Special]:
    """The table entries for the distributions of the scipy.stats module `module`."""
    from dp.library import stats as lib

    entries: dict[Any, Special] = {}
    for name, (shapes, methods) in _DISTRIBUTIONS.items():
        distribution = getattr(module, name)
        discrete = name == "poisson"
        for method in methods:
            first = "q" if method == "ppf" else ("k" if discrete else "x")
            params = (first, *shapes, "loc") if discrete else (first, *shapes, "loc", "scale")
            defaults = (0.0,) if discrete else (0.0, 1.0)
            entries[getattr(distribution, method)] = Special(
                f"scipy.stats.{name}.{method}",
                params,
                defaults,
                getattr(lib, f"{name}_{method}"),
                folding=getattr(distribution, method),
            )
    for method in ("pdf", "logpdf"):
        entries[getattr(module.dirichlet, method)] = Special(
            f"scipy.stats.dirichlet.{method}", ("x", "alpha"), (), getattr(lib, f"dirichlet_{method}")
        )
    for method in ("pdf", "logpdf"):
        entries[getattr(module.multivariate_normal, method)] = Special(
            f"scipy.stats.multivariate_normal.{method}",
            ("x", "mean", "cov", "allow_singular"),
            (False,),
            _multivariate_normal(getattr(lib, f"mvn_{method}")),
            lowering=True,
            static=("allow_singular",),
        )
    return entries


def _multivariate_normal(implementation: Any) -> Any:
    """mean and cov are required (scipy's defaults, 0 and 1, are not broadcast here); no singular covariances."""

    def lower(special: Special, visitor: Any, values: list[Any]) -> Any:
        from dp.errors import UnsupportedSyntaxError
        from dp.frontend.special_functions import float_operand
        from dp.frontend.values import Const

        x, mean, cov, allow_singular = values
        if allow_singular.value:
            raise UnsupportedSyntaxError(f"{special.name}(allow_singular=True) is not supported")
        args = [float_operand(v, special.name, n) for v, n in ((x, "x"), (mean, "mean"), (cov, "cov"))]
        return visitor.call(Const(implementation), args, {}, None)

    return lower


__all__ = ["stats_entries"]
