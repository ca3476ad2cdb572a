"""`autograd.scipy.*` is scipy itself, as `autograd.numpy` is numpy."""

import sys

import scipy
import scipy.integrate
import scipy.linalg
import scipy.signal
import scipy.special
import scipy.stats

for _name in ("integrate", "linalg", "signal", "special", "stats"):
    sys.modules.setdefault(f"autograd.scipy.{_name}", getattr(scipy, _name))
    globals()[_name] = getattr(scipy, _name)
for _name in ("norm", "t", "gamma", "beta", "chi2", "poisson", "dirichlet", "multivariate_normal"):
    sys.modules.setdefault(f"autograd.scipy.stats.{_name}", getattr(scipy.stats, _name))
