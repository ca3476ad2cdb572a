"""The scalar program corpus for the autodiff tests (issue 3).

Each `Program` is MLIR source text with a public `@f` (and private helpers),
a Python reimplementation that states what `@f` computes, and test points.
Points keep away from kinks (branch, select and rounding boundaries) and from
trip-count changes under the finite-difference perturbation. Programs whose
trip count or branch pattern depends on float data return it as an integer
result, so the finite-difference oracle checks that it stays the same.

The f32 programs are f64 programs with every f64 replaced by f32; finite
differences then run on the f64 original (`twin`), and the tolerance is 1e-3.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

Scalar = float | int | bool
Point = tuple[Scalar, ...]


@dataclass(frozen=True)
class Program:
    """One test program.

    `reference` returns every result of @f (ints and floats) computed in
    float64 Python. `analytic`, when given, is the exact gradient of the first
    float result with respect to the float arguments (closed form, not the
    derivative of the iteration), checked at `analytic_rtol`.
    """

    name: str
    covers: str
    source: str
    reference: Callable[..., tuple[Scalar, ...]]
    points: tuple[Point, ...]
    rtol: float = 1e-6
    value_rtol: float = 1e-12
    twin: str | None = None
    analytic: Callable[..., Sequence[float]] | None = None
    analytic_rtol: float = 1e-9


def _c_round(x: float) -> float:
    """C's round (half away from zero), which math.round implements."""
    return math.copysign(math.floor(abs(x) + 0.5), x)


# ---------------------------------------------------------------------------
# Loops: static and data-dependent trip counts, nesting
# ---------------------------------------------------------------------------

POW_WHILE = """
func.func @f(%x: f64, %n: i64) -> f64 {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %one = arith.constant 1.0 : f64
  %r:2 = scf.while (%acc = %one, %i = %c0) : (f64, i64) -> (f64, i64) {
    %go = arith.cmpi slt, %i, %n : i64
    scf.condition(%go) %acc, %i : f64, i64
  } do {
  ^bb0(%a: f64, %k: i64):
    %a2 = arith.mulf %a, %x : f64
    %k2 = arith.addi %k, %c1 : i64
    scf.yield %a2, %k2 : f64, i64
  }
  return %r#0 : f64
}
"""


def _pow(x: float, n: int) -> tuple[float]:
    r = 1.0
    for _ in range(n):
        r *= x
    return (r,)


def _pow_grad(x: float, n: int) -> tuple[float]:
    return (n * x ** (n - 1) if n > 0 else 0.0,)


POW_FOR = """
func.func @f(%x: f64, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f64
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %one) -> (f64) {
    %a2 = arith.mulf %a, %x : f64
    scf.yield %a2 : f64
  }
  return %r : f64
}
"""

POW_BY_SQUARING = """
func.func @f(%x: f64, %n: i64) -> f64 {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %one = arith.constant 1.0 : f64
  %r:3 = scf.while (%acc = %one, %b = %x, %k = %n) : (f64, f64, i64) -> (f64, f64, i64) {
    %go = arith.cmpi sgt, %k, %c0 : i64
    scf.condition(%go) %acc, %b, %k : f64, f64, i64
  } do {
  ^bb0(%a: f64, %base: f64, %m: i64):
    %bit = arith.andi %m, %c1 : i64
    %odd = arith.cmpi ne, %bit, %c0 : i64
    %a2 = scf.if %odd -> (f64) {
      %p = arith.mulf %a, %base : f64
      scf.yield %p : f64
    } else {
      scf.yield %a : f64
    }
    %b2 = arith.mulf %base, %base : f64
    %m2 = arith.shrsi %m, %c1 : i64
    scf.yield %a2, %b2, %m2 : f64, f64, i64
  }
  return %r#0 : f64
}
"""


def _pow_by_squaring(x: float, n: int) -> tuple[float]:
    acc, b, k = 1.0, x, n
    while k > 0:
        if k & 1:
            acc *= b
        b *= b
        k >>= 1
    return (acc,)


FOR_IN_FOR = """
func.func @f(%x: f64, %y: f64, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %k = arith.constant 0.1 : f64
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %x) -> (f64) {
    %ii = arith.index_cast %i : index to i64
    %fi = arith.sitofp %ii : i64 to f64
    %xi = arith.mulf %x, %fi : f64
    %inner = scf.for %j = %c0 to %c3 step %c1 iter_args(%a = %acc) -> (f64) {
      %jj = arith.index_cast %j : index to i64
      %fj = arith.sitofp %jj : i64 to f64
      %yj = arith.mulf %y, %fj : f64
      %t0 = arith.addf %a, %xi : f64
      %t1 = arith.addf %t0, %yj : f64
      %s = math.sin %t1 : f64
      %d = arith.mulf %k, %s : f64
      %a2 = arith.addf %a, %d : f64
      scf.yield %a2 : f64
    }
    scf.yield %inner : f64
  }
  return %r : f64
}
"""


def _for_in_for(x: float, y: float, n: int) -> tuple[float]:
    acc = x
    for i in range(n):
        xi = x * i
        for j in range(3):
            acc = acc + 0.1 * math.sin((acc + xi) + y * j)
    return (acc,)


WHILE_IN_FOR = """
func.func @f(%x: f64, %n: index) -> (f64, i64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %q = arith.constant 0.25 : f64
  %r:2 = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %x, %cnt = %z) -> (f64, i64) {
    %ii = arith.index_cast %i : index to i64
    %lim = arith.addi %ii, %one : i64
    %w:2 = scf.while (%t = %acc, %k = %z) : (f64, i64) -> (f64, i64) {
      %go = arith.cmpi slt, %k, %lim : i64
      scf.condition(%go) %t, %k : f64, i64
    } do {
    ^bb0(%t: f64, %k: i64):
      %c = math.cos %t : f64
      %qc = arith.mulf %q, %c : f64
      %tx = arith.mulf %t, %x : f64
      %t2 = arith.addf %tx, %qc : f64
      %k2 = arith.addi %k, %one : i64
      scf.yield %t2, %k2 : f64, i64
    }
    %cnt2 = arith.addi %cnt, %w#1 : i64
    scf.yield %w#0, %cnt2 : f64, i64
  }
  return %r#0, %r#1 : f64, i64
}
"""


def _while_in_for(x: float, n: int) -> tuple[float, int]:
    acc, cnt = x, 0
    for i in range(n):
        t, k = acc, 0
        while k < i + 1:
            t = t * x + 0.25 * math.cos(t)
            k += 1
        cnt += k
        acc = t
    return acc, cnt


FOR_IN_WHILE = """
func.func @f(%x: f64, %y: f64) -> (f64, i64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %z = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %lim = arith.constant 3.0 : f64
  %h = arith.constant 0.1 : f64
  %f0 = arith.constant 0.0 : f64
  %f1 = arith.constant 1.0 : f64
  %r:2 = scf.while (%s = %y, %k = %z) : (f64, i64) -> (f64, i64) {
    %go = arith.cmpf olt, %s, %lim : f64
    scf.condition(%go) %s, %k : f64, i64
  } do {
  ^bb0(%s: f64, %k: i64):
    %xs = arith.mulf %x, %s : f64
    %e:2 = scf.for %j = %c0 to %c4 step %c1 iter_args(%sum = %f0, %term = %f1) -> (f64, f64) {
      %sum2 = arith.addf %sum, %term : f64
      %j1 = arith.addi %j, %c1 : index
      %jj = arith.index_cast %j1 : index to i64
      %fj = arith.sitofp %jj : i64 to f64
      %tx = arith.mulf %term, %xs : f64
      %term2 = arith.divf %tx, %fj : f64
      scf.yield %sum2, %term2 : f64, f64
    }
    %inc = arith.mulf %h, %e#0 : f64
    %s2 = arith.addf %s, %inc : f64
    %k2 = arith.addi %k, %one : i64
    scf.yield %s2, %k2 : f64, i64
  }
  return %r#0, %r#1 : f64, i64
}
"""


def _for_in_while(x: float, y: float) -> tuple[float, int]:
    s, k = y, 0
    while s < 3.0:
        xs = x * s
        total, term = 0.0, 1.0
        for j in range(4):
            total = total + term
            term = term * xs / (j + 1)
        s = s + 0.1 * total
        k += 1
    return s, k


LOGISTIC_MAP = """
func.func @f(%x: f64, %r: f64, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f64
  %out = scf.for %i = %c0 to %n step %c1 iter_args(%s = %x) -> (f64) {
    %rs = arith.mulf %r, %s : f64
    %q = arith.subf %one, %s : f64
    %s2 = arith.mulf %rs, %q : f64
    scf.yield %s2 : f64
  }
  return %out : f64
}
"""


def _logistic_map(x: float, r: float, n: int) -> tuple[float]:
    for _ in range(n):
        x = (r * x) * (1.0 - x)
    return (x,)


HORNER = """
func.func @f(%x: f64, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  %one = arith.constant 1.0 : f64
  %last = arith.subi %n, %c1 : index
  %p = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f64) {
    %j = arith.subi %last, %i : index
    %j1 = arith.addi %j, %c1 : index
    %jj = arith.index_cast %j1 : index to i64
    %fj = arith.sitofp %jj : i64 to f64
    %c = arith.divf %one, %fj : f64
    %ax = arith.mulf %acc, %x : f64
    %acc2 = arith.addf %ax, %c : f64
    scf.yield %acc2 : f64
  }
  return %p : f64
}
"""


def _horner(x: float, n: int) -> tuple[float]:
    acc = 0.0
    for i in range(n):
        acc = acc * x + 1.0 / (n - 1 - i + 1)
    return (acc,)


ROTATION = """
func.func @f(%x: f64, %y: f64, %theta: f64, %n: index) -> (f64, f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r:2 = scf.for %i = %c0 to %n step %c1 iter_args(%u = %x, %v = %y) -> (f64, f64) {
    %c = math.cos %theta : f64
    %s = math.sin %theta : f64
    %cu = arith.mulf %c, %u : f64
    %sv = arith.mulf %s, %v : f64
    %u2 = arith.subf %cu, %sv : f64
    %su = arith.mulf %s, %u : f64
    %cv = arith.mulf %c, %v : f64
    %v2 = arith.addf %su, %cv : f64
    scf.yield %u2, %v2 : f64, f64
  }
  return %r#0, %r#1 : f64, f64
}
"""


def _rotation(x: float, y: float, theta: float, n: int) -> tuple[float, float]:
    c, s = math.cos(theta), math.sin(theta)
    for _ in range(n):
        x, y = c * x - s * y, s * x + c * y
    return x, y


def _rotation_grad(x: float, y: float, theta: float, n: int) -> tuple[float, float, float]:
    """d/d(x, y, theta) of x cos(n theta) - y sin(n theta)."""
    a = n * theta
    return math.cos(a), -math.sin(a), -n * (x * math.sin(a) + y * math.cos(a))


INACTIVE_FLOATS = """
func.func @f(%x: f64, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  %half = arith.constant 0.5 : f64
  %decay = arith.constant 0.9 : f64
  %one = arith.constant 1.0 : f64
  %scale = arith.constant 0.01 : f64
  %ni = arith.index_cast %n : index to i64
  %nf = arith.sitofp %ni : i64 to f64
  %w0 = arith.mulf %half, %nf : f64
  %r:2 = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero, %w = %w0) -> (f64, f64) {
    %wd = arith.mulf %w, %decay : f64
    %w2 = arith.addf %wd, %one : f64
    %sx = math.sin %x : f64
    %t = arith.mulf %sx, %w2 : f64
    %ah = arith.mulf %acc, %half : f64
    %xx = arith.mulf %x, %acc : f64
    %a1 = arith.addf %ah, %t : f64
    %a2 = arith.addf %a1, %xx : f64
    scf.yield %a2, %w2 : f64, f64
  }
  %ws = arith.mulf %r#1, %scale : f64
  %e = math.exp %ws : f64
  %out = arith.mulf %r#0, %e : f64
  return %out : f64
}
"""


def _inactive_floats(x: float, n: int) -> tuple[float]:
    acc, w = 0.0, 0.5 * float(n)
    for _ in range(n):
        w = w * 0.9 + 1.0
        acc = (acc * 0.5 + math.sin(x) * w) + x * acc
    return (acc * math.exp(w * 0.01),)


# ---------------------------------------------------------------------------
# Branches, early exits, unstructured control flow
# ---------------------------------------------------------------------------

IF_IN_FOR_STATE = """
func.func @f(%x: f64, %a: f64, %n: index) -> (f64, i64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %half = arith.constant 0.5 : f64
  %b = arith.constant 0.3 : f64
  %r:2 = scf.for %i = %c0 to %n step %c1 iter_args(%s = %x, %cnt = %z) -> (f64, i64) {
    %big = arith.cmpf ogt, %s, %half : f64
    %res:2 = scf.if %big -> (f64, i64) {
      %sn = math.sin %s : f64
      %v = arith.mulf %a, %sn : f64
      %c2 = arith.addi %cnt, %one : i64
      scf.yield %v, %c2 : f64, i64
    } else {
      %sq = arith.mulf %s, %s : f64
      %v = arith.addf %sq, %b : f64
      scf.yield %v, %cnt : f64, i64
    }
    scf.yield %res#0, %res#1 : f64, i64
  }
  return %r#0, %r#1 : f64, i64
}
"""


def _if_in_for_state(x: float, a: float, n: int) -> tuple[float, int]:
    s, cnt = x, 0
    for _ in range(n):
        if s > 0.5:
            s, cnt = a * math.sin(s), cnt + 1
        else:
            s = s * s + 0.3
    return s, cnt


FLAG_BRANCH = """
func.func @f(%x: f64, %y: f64, %flag: i1) -> f64 {
  %r = scf.if %flag -> (f64) {
    %p = arith.mulf %x, %y : f64
    %e = math.exp %p : f64
    scf.yield %e : f64
  } else {
    %q = arith.divf %x, %y : f64
    %s = math.sin %q : f64
    scf.yield %s : f64
  }
  %t = arith.mulf %r, %y : f64
  return %t : f64
}
"""


def _flag_branch(x: float, y: float, flag: bool) -> tuple[float]:
    r = math.exp(x * y) if flag else math.sin(x / y)
    return (r * y,)


WHILE_BREAK = """
func.func @f(%x: f64, %n: i64) -> (f64, i64) {
  %z = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %lim = arith.constant 2.0 : f64
  %s0 = arith.constant 0.1 : f64
  %f1 = arith.constant 1.0 : f64
  %half = arith.constant 0.5 : f64
  %r:2 = scf.while (%s = %s0, %i = %z) : (f64, i64) -> (f64, i64) {
    %more = arith.cmpi slt, %i, %n : i64
    %small = arith.cmpf olt, %s, %lim : f64
    %go = arith.andi %more, %small : i1
    scf.condition(%go) %s, %i : f64, i64
  } do {
  ^bb0(%s: f64, %i: i64):
    %c = math.cos %s : f64
    %hc = arith.mulf %half, %c : f64
    %w = arith.addf %f1, %hc : f64
    %xw = arith.mulf %x, %w : f64
    %s2 = arith.addf %s, %xw : f64
    %i2 = arith.addi %i, %one : i64
    scf.yield %s2, %i2 : f64, i64
  }
  return %r#0, %r#1 : f64, i64
}
"""


def _while_break(x: float, n: int) -> tuple[float, int]:
    s, i = 0.1, 0
    while i < n and s < 2.0:
        s = s + x * (1.0 + 0.5 * math.cos(s))
        i += 1
    return s, i


SELECT_IN_WHILE = """
func.func @f(%x: f64, %y: f64) -> (f64, i64, i64) {
  %z = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %cap = arith.constant 100 : i64
  %lim = arith.constant 10.0 : f64
  %f1 = arith.constant 1.0 : f64
  %r:3 = scf.while (%s = %y, %i = %z, %nb = %z) : (f64, i64, i64) -> (f64, i64, i64) {
    %t = arith.mulf %s, %x : f64
    %small = arith.cmpf olt, %t, %lim : f64
    %more = arith.cmpi slt, %i, %cap : i64
    %go = arith.andi %small, %more : i1
    scf.condition(%go) %t, %i, %nb : f64, i64, i64
  } do {
  ^bb0(%t: f64, %i: i64, %nb: i64):
    %big = arith.cmpf ogt, %t, %f1 : f64
    %sq = math.sqrt %t : f64
    %a1 = arith.addf %t, %sq : f64
    %yy = arith.mulf %y, %y : f64
    %a2 = arith.addf %t, %yy : f64
    %s2 = arith.select %big, %a1, %a2 : f64
    %b = arith.extui %big : i1 to i64
    %nb2 = arith.addi %nb, %b : i64
    %i2 = arith.addi %i, %one : i64
    scf.yield %s2, %i2, %nb2 : f64, i64, i64
  }
  return %r#0, %r#1, %r#2 : f64, i64, i64
}
"""


def _select_in_while(x: float, y: float) -> tuple[float, int, int]:
    s, i, nb = y, 0, 0
    while True:
        t = s * x
        if not (t < 10.0 and i < 100):
            return t, i, nb
        big = t > 1.0
        s = t + math.sqrt(t) if big else t + y * y
        nb += int(big)
        i += 1


EXECUTE_REGION_BRANCHES = """
func.func @f(%x: f64, %y: f64) -> f64 {
  %r = scf.execute_region -> f64 {
    %c = arith.cmpf olt, %x, %y : f64
    cf.cond_br %c, ^lt, ^ge
  ^lt:
    %p = arith.mulf %x, %y : f64
    scf.yield %p : f64
  ^ge:
    %yy = arith.mulf %y, %y : f64
    %q = arith.subf %x, %yy : f64
    scf.yield %q : f64
  }
  %s = math.sin %r : f64
  %t = arith.mulf %s, %x : f64
  return %t : f64
}
"""


def _execute_region_branches(x: float, y: float) -> tuple[float]:
    r = x * y if x < y else x - y * y
    return (math.sin(r) * x,)


EXECUTE_REGION_IN_LOOP = """
func.func @f(%x: f64, %n: index) -> (f64, i64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %zero = arith.constant 0.0 : f64
  %k = arith.constant 1.5 : f64
  %r:2 = scf.for %i = %c0 to %n step %c1 iter_args(%s = %x, %cnt = %z) -> (f64, i64) {
    %v:2 = scf.execute_region -> (f64, i64) {
      %neg = arith.cmpf olt, %s, %zero : f64
      cf.cond_br %neg, ^flip, ^keep
    ^flip:
      %m = arith.negf %s : f64
      %m2 = arith.mulf %m, %k : f64
      %c2 = arith.addi %cnt, %one : i64
      scf.yield %m2, %c2 : f64, i64
    ^keep:
      %sx = arith.mulf %s, %x : f64
      %c = math.cos %sx : f64
      %t = arith.subf %s, %c : f64
      scf.yield %t, %cnt : f64, i64
    }
    scf.yield %v#0, %v#1 : f64, i64
  }
  return %r#0, %r#1 : f64, i64
}
"""


def _execute_region_in_loop(x: float, n: int) -> tuple[float, int]:
    s, cnt = x, 0
    for _ in range(n):
        if s < 0.0:
            s, cnt = (-s) * 1.5, cnt + 1
        else:
            s = s - math.cos(s * x)
    return s, cnt


CF_EARLY_RETURN = """
func.func @f(%x: f64, %n: i64) -> (f64, i64) {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %one = arith.constant 1.0 : f64
  %half = arith.constant 0.5 : f64
  %lim = arith.constant 10.0 : f64
  cf.br ^head(%c0, %one : i64, f64)
^head(%i: i64, %acc: f64):
  %more = arith.cmpi slt, %i, %n : i64
  cf.cond_br %more, ^body, ^done
^body:
  %ax = arith.mulf %acc, %x : f64
  %s = math.sin %acc : f64
  %hs = arith.mulf %half, %s : f64
  %a2 = arith.addf %ax, %hs : f64
  %big = arith.cmpf ogt, %a2, %lim : f64
  cf.cond_br %big, ^early, ^latch
^early:
  %l = math.log %a2 : f64
  return %l, %i : f64, i64
^latch:
  %i2 = arith.addi %i, %c1 : i64
  cf.br ^head(%i2, %a2 : i64, f64)
^done:
  return %acc, %i : f64, i64
}
"""


def _cf_early_return(x: float, n: int) -> tuple[float, int]:
    acc, i = 1.0, 0
    while i < n:
        a2 = acc * x + 0.5 * math.sin(acc)
        if a2 > 10.0:
            return math.log(a2), i
        acc, i = a2, i + 1
    return acc, i


CF_LOOP_BREAK = """
func.func @f(%x: f64, %y: f64, %n: i64) -> (f64, i64) {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %k = arith.constant 0.3 : f64
  %f1 = arith.constant 1.0 : f64
  %lim = arith.constant 5.0 : f64
  cf.br ^head(%c0, %x : i64, f64)
^head(%i: i64, %s: f64):
  %more = arith.cmpi slt, %i, %n : i64
  cf.cond_br %more, ^body, ^exit(%s, %i : f64, i64)
^body:
  %th = math.tanh %y : f64
  %kt = arith.mulf %k, %th : f64
  %g = arith.addf %f1, %kt : f64
  %sg = arith.mulf %s, %g : f64
  %yy = arith.mulf %y, %y : f64
  %s2 = arith.addf %sg, %yy : f64
  %big = arith.cmpf ogt, %s2, %lim : f64
  cf.cond_br %big, ^exit(%s2, %i : f64, i64), ^latch
^latch:
  %i2 = arith.addi %i, %c1 : i64
  cf.br ^head(%i2, %s2 : i64, f64)
^exit(%v: f64, %m: i64):
  %vy = arith.mulf %v, %y : f64
  %fm = arith.sitofp %m : i64 to f64
  %r = arith.addf %vy, %fm : f64
  return %r, %m : f64, i64
}
"""


def _cf_loop_break(x: float, y: float, n: int) -> tuple[float, int]:
    s, i = x, 0
    while i < n:
        s2 = s * (1.0 + 0.3 * math.tanh(y)) + y * y
        if s2 > 5.0:
            s = s2
            break
        s, i = s2, i + 1
    return s * y + float(i), i


CF_DIAMOND = """
func.func @f(%x: f64, %y: f64) -> f64 {
  %c = arith.cmpf olt, %x, %y : f64
  cf.cond_br %c, ^lt, ^ge
^lt:
  %p = arith.mulf %x, %y : f64
  cf.br ^join(%p : f64)
^ge:
  %q = arith.divf %x, %y : f64
  cf.br ^join(%q : f64)
^join(%v: f64):
  %one = arith.constant 1.0 : f64
  %big = arith.cmpf ogt, %v, %one : f64
  cf.cond_br %big, ^root, ^end(%v : f64)
^root:
  %s = math.sqrt %v : f64
  cf.br ^end(%s : f64)
^end(%w: f64):
  %e = math.exp %w : f64
  %r = arith.addf %e, %x : f64
  return %r : f64
}
"""


def _cf_diamond(x: float, y: float) -> tuple[float]:
    v = x * y if x < y else x / y
    w = math.sqrt(v) if v > 1.0 else v
    return (math.exp(w) + x,)


CF_NESTED_LOOPS = """
func.func @f(%x: f64, %y: f64, %n: i64, %m: i64) -> f64 {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %k = arith.constant 0.1 : f64
  cf.br ^outer(%c0, %x : i64, f64)
^outer(%i: i64, %acc: f64):
  %oc = arith.cmpi slt, %i, %n : i64
  cf.cond_br %oc, ^inner(%c0, %acc : i64, f64), ^exit
^inner(%j: i64, %a: f64):
  %ic = arith.cmpi slt, %j, %m : i64
  cf.cond_br %ic, ^ibody, ^olatch
^ibody:
  %fj = arith.sitofp %j : i64 to f64
  %yj = arith.mulf %y, %fj : f64
  %ay = arith.addf %a, %yj : f64
  %s = math.sin %ay : f64
  %ks = arith.mulf %k, %s : f64
  %ax = arith.mulf %a, %x : f64
  %a2 = arith.addf %ax, %ks : f64
  %j2 = arith.addi %j, %c1 : i64
  cf.br ^inner(%j2, %a2 : i64, f64)
^olatch:
  %i2 = arith.addi %i, %c1 : i64
  cf.br ^outer(%i2, %a : i64, f64)
^exit:
  return %acc : f64
}
"""


def _cf_nested_loops(x: float, y: float, n: int, m: int) -> tuple[float]:
    acc = x
    for _ in range(n):
        for j in range(m):
            acc = acc * x + 0.1 * math.sin(acc + y * j)
    return (acc,)


# ---------------------------------------------------------------------------
# Calls
# ---------------------------------------------------------------------------

CALL_IN_LOOP = """
func.func private @step(%s: f64, %k: f64) -> f64 {
  %ks = arith.mulf %k, %s : f64
  %sn = math.sin %ks : f64
  %h = arith.constant 0.1 : f64
  %d = arith.mulf %h, %sn : f64
  %r = arith.addf %s, %d : f64
  return %r : f64
}
func.func @f(%x: f64, %k: f64, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%s = %x) -> (f64) {
    %s2 = func.call @step(%s, %k) : (f64, f64) -> f64
    scf.yield %s2 : f64
  }
  return %r : f64
}
"""


def _call_in_loop(x: float, k: float, n: int) -> tuple[float]:
    for _ in range(n):
        x = x + 0.1 * math.sin(k * x)
    return (x,)


CALL_TWICE_ACTIVITY = """
func.func private @h(%a: f64, %b: f64) -> f64 {
  %sb = math.sin %b : f64
  %p = arith.mulf %a, %sb : f64
  %bb = arith.mulf %b, %b : f64
  %r = arith.addf %p, %bb : f64
  return %r : f64
}
func.func @f(%x: f64, %n: i64) -> f64 {
  %c = arith.sitofp %n : i64 to f64
  %u = func.call @h(%x, %c) : (f64, f64) -> f64
  %v = func.call @h(%c, %x) : (f64, f64) -> f64
  %w = func.call @h(%u, %v) : (f64, f64) -> f64
  return %w : f64
}
"""


def _call_twice_activity(x: float, n: int) -> tuple[float]:
    def h(a: float, b: float) -> float:
        return a * math.sin(b) + b * b

    c = float(n)
    return (h(h(x, c), h(c, x)),)


RECURSION = """
func.func @f(%x: f64, %n: i64) -> f64 {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %base = arith.cmpi sle, %n, %c0 : i64
  %r = scf.if %base -> (f64) {
    %one = arith.constant 1.0 : f64
    scf.yield %one : f64
  } else {
    %m = arith.subi %n, %c1 : i64
    %p = func.call @f(%x, %m) : (f64, i64) -> f64
    %px = arith.mulf %p, %x : f64
    %sp = math.sin %p : f64
    %k = arith.constant 0.1 : f64
    %ks = arith.mulf %k, %sp : f64
    %q = arith.addf %px, %ks : f64
    scf.yield %q : f64
  }
  return %r : f64
}
"""


def _recursion(x: float, n: int) -> tuple[float]:
    if n <= 0:
        return (1.0,)
    (p,) = _recursion(x, n - 1)
    return (p * x + 0.1 * math.sin(p),)


# ---------------------------------------------------------------------------
# Iterative solvers and integrators
# ---------------------------------------------------------------------------

NEWTON_SQRT = """
func.func @f(%a: f64) -> (f64, i64) {
  %z = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %half = arith.constant 0.5 : f64
  %tol = arith.constant 1.0e-12 : f64
  %r:2 = scf.while (%y = %a, %k = %z) : (f64, i64) -> (f64, i64) {
    %yy = arith.mulf %y, %y : f64
    %res = arith.subf %yy, %a : f64
    %ares = math.absf %res : f64
    %ta = arith.mulf %tol, %a : f64
    %go = arith.cmpf ogt, %ares, %ta : f64
    scf.condition(%go) %y, %k : f64, i64
  } do {
  ^bb0(%y: f64, %k: i64):
    %q = arith.divf %a, %y : f64
    %s = arith.addf %y, %q : f64
    %y2 = arith.mulf %half, %s : f64
    %k2 = arith.addi %k, %one : i64
    scf.yield %y2, %k2 : f64, i64
  }
  return %r#0, %r#1 : f64, i64
}
"""


def _newton_sqrt(a: float) -> tuple[float, int]:
    y, k = a, 0
    while abs(y * y - a) > 1e-12 * a:
        y, k = 0.5 * (y + a / y), k + 1
    return y, k


NEWTON_CBRT_CF = """
func.func @f(%a: f64) -> (f64, i64) {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %three = arith.constant 3.0 : f64
  %tol = arith.constant 1.0e-12 : f64
  cf.br ^check(%a, %c0 : f64, i64)
^check(%y: f64, %k: i64):
  %y2 = arith.mulf %y, %y : f64
  %y3 = arith.mulf %y2, %y : f64
  %res = arith.subf %y3, %a : f64
  %ares = math.absf %res : f64
  %ta = arith.mulf %tol, %a : f64
  %go = arith.cmpf ogt, %ares, %ta : f64
  cf.cond_br %go, ^step, ^done
^step:
  %d = arith.mulf %three, %y2 : f64
  %q = arith.divf %res, %d : f64
  %yn = arith.subf %y, %q : f64
  %k2 = arith.addi %k, %c1 : i64
  cf.br ^check(%yn, %k2 : f64, i64)
^done:
  return %y, %k : f64, i64
}
"""


def _newton_cbrt(a: float) -> tuple[float, int]:
    y, k = a, 0
    while True:
        y2 = y * y
        res = y2 * y - a
        if not abs(res) > 1e-12 * a:
            return y, k
        y, k = y - res / (3.0 * y2), k + 1


FIXED_POINT_COS = """
func.func @f(%a: f64) -> (f64, i64) {
  %z = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %tol = arith.constant 1.0e-13 : f64
  %r:2 = scf.while (%x = %a, %k = %z) : (f64, i64) -> (f64, i64) {
    %c = math.cos %x : f64
    %xn = arith.addf %c, %a : f64
    %d = arith.subf %xn, %x : f64
    %ad = math.absf %d : f64
    %go = arith.cmpf oge, %ad, %tol : f64
    %k2 = arith.addi %k, %one : i64
    scf.condition(%go) %xn, %k2 : f64, i64
  } do {
  ^bb0(%x: f64, %k: i64):
    scf.yield %x, %k : f64, i64
  }
  return %r#0, %r#1 : f64, i64
}
"""


def _fixed_point_cos(a: float) -> tuple[float, int]:
    x, k = a, 0
    while True:
        xn = math.cos(x) + a
        k += 1
        if not abs(xn - x) >= 1e-13:
            return xn, k
        x = xn


def _fixed_point_cos_grad(a: float) -> tuple[float]:
    """x* = cos x* + a, so dx*/da = 1 / (1 + sin x*)."""
    x, _ = _fixed_point_cos(a)
    return (1.0 / (1.0 + math.sin(x)),)


RK4_OSCILLATOR = """
func.func private @accel(%x: f64, %v: f64, %c: f64) -> f64 {
  %w2 = arith.constant 4.0 : f64
  %kx = arith.mulf %w2, %x : f64
  %cv = arith.mulf %c, %v : f64
  %s = arith.addf %kx, %cv : f64
  %a = arith.negf %s : f64
  return %a : f64
}
func.func @f(%x0: f64, %v0: f64, %c: f64, %n: index) -> (f64, f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %dt = arith.constant 0.05 : f64
  %hdt = arith.constant 0.025 : f64
  %sixth = arith.constant 0.008333333333333333 : f64
  %two = arith.constant 2.0 : f64
  %r:2 = scf.for %i = %c0 to %n step %c1 iter_args(%x = %x0, %v = %v0) -> (f64, f64) {
    %k1v = func.call @accel(%x, %v, %c) : (f64, f64, f64) -> f64
    %e1x = arith.mulf %hdt, %v : f64
    %x1 = arith.addf %x, %e1x : f64
    %e1v = arith.mulf %hdt, %k1v : f64
    %v1 = arith.addf %v, %e1v : f64
    %k2v = func.call @accel(%x1, %v1, %c) : (f64, f64, f64) -> f64
    %e2x = arith.mulf %hdt, %v1 : f64
    %x2 = arith.addf %x, %e2x : f64
    %e2v = arith.mulf %hdt, %k2v : f64
    %v2 = arith.addf %v, %e2v : f64
    %k3v = func.call @accel(%x2, %v2, %c) : (f64, f64, f64) -> f64
    %e3x = arith.mulf %dt, %v2 : f64
    %x3 = arith.addf %x, %e3x : f64
    %e3v = arith.mulf %dt, %k3v : f64
    %v3 = arith.addf %v, %e3v : f64
    %k4v = func.call @accel(%x3, %v3, %c) : (f64, f64, f64) -> f64
    %m2 = arith.mulf %two, %v1 : f64
    %m3 = arith.mulf %two, %v2 : f64
    %sx1 = arith.addf %v, %m2 : f64
    %sx2 = arith.addf %sx1, %m3 : f64
    %sx = arith.addf %sx2, %v3 : f64
    %dx = arith.mulf %sixth, %sx : f64
    %xn = arith.addf %x, %dx : f64
    %n2 = arith.mulf %two, %k2v : f64
    %n3 = arith.mulf %two, %k3v : f64
    %sv1 = arith.addf %k1v, %n2 : f64
    %sv2 = arith.addf %sv1, %n3 : f64
    %sv = arith.addf %sv2, %k4v : f64
    %dv = arith.mulf %sixth, %sv : f64
    %vn = arith.addf %v, %dv : f64
    scf.yield %xn, %vn : f64, f64
  }
  return %r#0, %r#1 : f64, f64
}
"""


def _rk4_oscillator(x0: float, v0: float, c: float, n: int) -> tuple[float, float]:
    """x'' = -4 x - c x', RK4 with dt = 0.05 (k_i for x are the stage velocities)."""

    def accel(x: float, v: float) -> float:
        return -(4.0 * x + c * v)

    dt, hdt, sixth = 0.05, 0.025, 0.008333333333333333
    x, v = x0, v0
    for _ in range(n):
        k1v = accel(x, v)
        x1, v1 = x + hdt * v, v + hdt * k1v
        k2v = accel(x1, v1)
        x2, v2 = x + hdt * v1, v + hdt * k2v
        k3v = accel(x2, v2)
        x3, v3 = x + dt * v2, v + dt * k3v
        k4v = accel(x3, v3)
        xn = x + sixth * (((v + 2.0 * v1) + 2.0 * v2) + v3)
        vn = v + sixth * (((k1v + 2.0 * k2v) + 2.0 * k3v) + k4v)
        x, v = xn, vn
    return x, v


PROJECTILE = """
func.func @f(%theta: f64, %speed: f64) -> (f64, i64) {
  %zero = arith.constant 0.0 : f64
  %g = arith.constant 9.81 : f64
  %drag = arith.constant 0.1 : f64
  %dt = arith.constant 0.01 : f64
  %z = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %ct = math.cos %theta : f64
  %st = math.sin %theta : f64
  %vx0 = arith.mulf %speed, %ct : f64
  %vy0 = arith.mulf %speed, %st : f64
  %r:7 = scf.while (%x = %zero, %y = %zero, %vx = %vx0, %vy = %vy0, %xp = %zero, %yp = %zero, %k = %z)
      : (f64, f64, f64, f64, f64, f64, i64) -> (f64, f64, f64, f64, f64, f64, i64) {
    %up = arith.cmpf oge, %y, %zero : f64
    scf.condition(%up) %x, %y, %vx, %vy, %xp, %yp, %k : f64, f64, f64, f64, f64, f64, i64
  } do {
  ^bb0(%x: f64, %y: f64, %vx: f64, %vy: f64, %xp: f64, %yp: f64, %k: i64):
    %ax = arith.mulf %drag, %vx : f64
    %dvx = arith.mulf %dt, %ax : f64
    %vx2 = arith.subf %vx, %dvx : f64
    %dy0 = arith.mulf %drag, %vy : f64
    %ay = arith.addf %g, %dy0 : f64
    %dvy = arith.mulf %dt, %ay : f64
    %vy2 = arith.subf %vy, %dvy : f64
    %sx = arith.mulf %dt, %vx2 : f64
    %x2 = arith.addf %x, %sx : f64
    %sy = arith.mulf %dt, %vy2 : f64
    %y2 = arith.addf %y, %sy : f64
    %k2 = arith.addi %k, %one : i64
    scf.yield %x2, %y2, %vx2, %vy2, %x, %y, %k2 : f64, f64, f64, f64, f64, f64, i64
  }
  %drop = arith.subf %r#5, %r#1 : f64
  %frac = arith.divf %r#5, %drop : f64
  %run = arith.subf %r#0, %r#4 : f64
  %off = arith.mulf %frac, %run : f64
  %range = arith.addf %r#4, %off : f64
  return %range, %r#6 : f64, i64
}
"""


def _projectile(theta: float, speed: float) -> tuple[float, int]:
    """Semi-implicit Euler with linear drag until y < 0; landing interpolated linearly."""
    x = y = xp = yp = 0.0
    vx, vy, k = speed * math.cos(theta), speed * math.sin(theta), 0
    while y >= 0.0:
        vx = vx - 0.01 * (0.1 * vx)
        vy = vy - 0.01 * (9.81 + 0.1 * vy)
        xp, yp = x, y
        x, y, k = x + 0.01 * vx, y + 0.01 * vy, k + 1
    return xp + yp / (yp - y) * (x - xp), k


# ---------------------------------------------------------------------------
# Every arith float op
# ---------------------------------------------------------------------------

ARITH_BASIC = """
func.func @f(%x: f64, %y: f64) -> (f64, f64, f64, f64, f64, f64) {
  %s = arith.addf %x, %y : f64
  %d = arith.subf %x, %y : f64
  %p = arith.mulf %x, %y : f64
  %q = arith.divf %x, %y : f64
  %n = arith.negf %x : f64
  %sd = arith.mulf %s, %d : f64
  %ny = arith.negf %y : f64
  %c = arith.divf %sd, %ny : f64
  return %s, %d, %p, %q, %n, %c : f64, f64, f64, f64, f64, f64
}
"""


def _arith_basic(x: float, y: float) -> tuple[float, ...]:
    return x + y, x - y, x * y, x / y, -x, (x + y) * (x - y) / -y


ARITH_REMF = """
func.func @f(%x: f64, %y: f64) -> (f64, f64) {
  %r = arith.remf %x, %y : f64
  %xx = arith.mulf %x, %x : f64
  %r2 = arith.remf %xx, %y : f64
  %s = arith.addf %r2, %x : f64
  return %r, %s : f64, f64
}
"""


def _arith_remf(x: float, y: float) -> tuple[float, float]:
    return math.fmod(x, y), math.fmod(x * x, y) + x


ARITH_MINMAX = """
func.func @f(%x: f64, %y: f64) -> (f64, f64, f64, f64) {
  %a = arith.maximumf %x, %y : f64
  %b = arith.minimumf %x, %y : f64
  %xy = arith.mulf %x, %y : f64
  %c = arith.maxnumf %xy, %x : f64
  %sx = math.sin %x : f64
  %d = arith.minnumf %y, %sx : f64
  return %a, %b, %c, %d : f64, f64, f64, f64
}
"""


def _arith_minmax(x: float, y: float) -> tuple[float, ...]:
    return max(x, y), min(x, y), max(x * y, x), min(y, math.sin(x))


ARITH_SELECT_CMPF = """
func.func @f(%x: f64, %y: f64) -> (f64, f64, f64, f64, f64) {
  %zero = arith.constant 0.0 : f64
  %one = arith.constant 1.0 : f64
  %xx = arith.mulf %x, %x : f64
  %yy = arith.mulf %y, %y : f64
  %c1 = arith.cmpf olt, %x, %y : f64
  %a = arith.select %c1, %xx, %yy : f64
  %c2 = arith.cmpf oge, %x, %zero : f64
  %sx = math.sin %x : f64
  %cy = math.cos %y : f64
  %b = arith.select %c2, %sx, %cy : f64
  %c3 = arith.cmpf one, %x, %y : f64
  %xy = arith.mulf %x, %y : f64
  %s = arith.addf %x, %y : f64
  %c = arith.select %c3, %xy, %s : f64
  %c4 = arith.cmpf ule, %y, %one : f64
  %ey = math.exp %y : f64
  %ly = math.log %yy : f64
  %d = arith.select %c4, %ey, %ly : f64
  %c5 = arith.cmpf ugt, %xy, %zero : f64
  %e = arith.select %c5, %x, %y : f64
  return %a, %b, %c, %d, %e : f64, f64, f64, f64, f64
}
"""


def _arith_select_cmpf(x: float, y: float) -> tuple[float, ...]:
    return (
        x * x if x < y else y * y,
        math.sin(x) if x >= 0.0 else math.cos(y),
        x * y if x != y else x + y,
        math.exp(y) if y <= 1.0 else math.log(y * y),
        x if x * y > 0.0 else y,
    )


ARITH_CASTS = """
func.func @f(%x: f64, %y: f32, %n: i64) -> (f64, f32) {
  %t = arith.truncf %x : f64 to f32
  %p = arith.mulf %t, %y : f32
  %nf = arith.sitofp %n : i64 to f32
  %q = arith.addf %p, %nf : f32
  %e = arith.extf %q : f32 to f64
  %r0 = arith.mulf %e, %x : f64
  %ys = math.sin %y : f32
  %r1 = arith.mulf %ys, %t : f32
  return %r0, %r1 : f64, f32
}
"""

ARITH_CASTS_TWIN = """
func.func @f(%x: f64, %y: f64, %n: i64) -> (f64, f64) {
  %p = arith.mulf %x, %y : f64
  %nf = arith.sitofp %n : i64 to f64
  %q = arith.addf %p, %nf : f64
  %r0 = arith.mulf %q, %x : f64
  %ys = math.sin %y : f64
  %r1 = arith.mulf %ys, %x : f64
  return %r0, %r1 : f64, f64
}
"""


def _arith_casts(x: float, y: float, n: int) -> tuple[float, float]:
    return (x * y + n) * x, math.sin(y) * x


# ---------------------------------------------------------------------------
# Every math op of issue 3, grouped
# ---------------------------------------------------------------------------

MATH_TRIG = """
func.func @f(%x: f64, %y: f64) -> (f64, f64, f64, f64, f64, f64, f64) {
  %a = math.sin %x : f64
  %b = math.cos %x : f64
  %c = math.tan %x : f64
  %d = math.asin %y : f64
  %e = math.acos %y : f64
  %g = math.atan %x : f64
  %h = math.atan2 %y, %x : f64
  return %a, %b, %c, %d, %e, %g, %h : f64, f64, f64, f64, f64, f64, f64
}
"""


def _math_trig(x: float, y: float) -> tuple[float, ...]:
    return (math.sin(x), math.cos(x), math.tan(x), math.asin(y), math.acos(y), math.atan(x),
            math.atan2(y, x))


MATH_HYPERBOLIC = """
func.func @f(%x: f64, %y: f64) -> (f64, f64, f64, f64, f64, f64) {
  %a = math.sinh %x : f64
  %b = math.cosh %x : f64
  %c = math.tanh %x : f64
  %d = math.asinh %x : f64
  %off = arith.constant 1.5 : f64
  %yy = arith.mulf %y, %y : f64
  %z = arith.addf %yy, %off : f64
  %e = math.acosh %z : f64
  %g = math.atanh %y : f64
  return %a, %b, %c, %d, %e, %g : f64, f64, f64, f64, f64, f64
}
"""


def _math_hyperbolic(x: float, y: float) -> tuple[float, ...]:
    return (math.sinh(x), math.cosh(x), math.tanh(x), math.asinh(x), math.acosh(y * y + 1.5),
            math.atanh(y))


MATH_EXP_LOG = """
func.func @f(%x: f64, %y: f64) -> (f64, f64, f64, f64, f64, f64, f64) {
  %a = math.exp %x : f64
  %b = math.exp2 %x : f64
  %c = math.expm1 %x : f64
  %d = math.log %y : f64
  %e = math.log1p %y : f64
  %g = math.log2 %y : f64
  %h = math.log10 %y : f64
  return %a, %b, %c, %d, %e, %g, %h : f64, f64, f64, f64, f64, f64, f64
}
"""


def _math_exp_log(x: float, y: float) -> tuple[float, ...]:
    return (math.exp(x), math.exp2(x), math.expm1(x), math.log(y), math.log1p(y), math.log2(y),
            math.log10(y))


MATH_POWERS = """
func.func @f(%x: f64, %y: f64, %n: i64) -> (f64, f64, f64, f64, f64, f64) {
  %a = math.sqrt %y : f64
  %b = math.rsqrt %y : f64
  %c = math.cbrt %x : f64
  %d = math.powf %y, %x : f64
  %three = arith.constant 3 : i32
  %e = math.fpowi %x, %three : f64, i32
  %m = arith.trunci %n : i64 to i32
  %g = math.fpowi %y, %m : f64, i32
  return %a, %b, %c, %d, %e, %g : f64, f64, f64, f64, f64, f64
}
"""


def _math_powers(x: float, y: float, n: int) -> tuple[float, ...]:
    return (math.sqrt(y), 1.0 / math.sqrt(y), math.cbrt(x), y**x, x**3, y**n)


MATH_SIGN_ERF = """
func.func @f(%x: f64, %y: f64) -> (f64, f64, f64, f64, f64) {
  %a = math.absf %x : f64
  %b = math.copysign %x, %y : f64
  %c = math.erf %x : f64
  %d = math.erfc %y : f64
  %xy = arith.mulf %x, %y : f64
  %e = math.absf %xy : f64
  return %a, %b, %c, %d, %e : f64, f64, f64, f64, f64
}
"""


def _math_sign_erf(x: float, y: float) -> tuple[float, ...]:
    return abs(x), math.copysign(x, y), math.erf(x), math.erfc(y), abs(x * y)


MATH_ROUNDING = """
func.func @f(%x: f64, %y: f64) -> (f64, f64, f64, f64) {
  %fy = math.floor %y : f64
  %a = arith.mulf %x, %fy : f64
  %cx = math.ceil %x : f64
  %yy = arith.mulf %y, %y : f64
  %b = arith.addf %cx, %yy : f64
  %xy = arith.mulf %x, %y : f64
  %rxy = math.round %xy : f64
  %c = arith.addf %rxy, %x : f64
  %ty = math.trunc %y : f64
  %tx = math.trunc %x : f64
  %txy = arith.mulf %ty, %x : f64
  %d = arith.addf %txy, %tx : f64
  return %a, %b, %c, %d : f64, f64, f64, f64
}
"""


def _math_rounding(x: float, y: float) -> tuple[float, ...]:
    return (x * math.floor(y), math.ceil(x) + y * y, _c_round(x * y) + x,
            math.trunc(y) * x + math.trunc(x))


# ---------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------

F64_PROGRAMS: tuple[Program, ...] = (
    Program("pow_while", "pow(x, n) as scf.while with a data-dependent trip count (Zygote's example)",
            POW_WHILE, _pow, ((5.0, 3), (1.3, 7), (-0.7, 4), (2.0, 0)), analytic=_pow_grad),
    Program("pow_for", "pow(x, n) as scf.for over a runtime index bound, zero trips included",
            POW_FOR, _pow, ((1.1, 10), (-2.0, 5), (0.9, 0)), analytic=_pow_grad),
    Program("pow_by_squaring", "scf.while whose body has an scf.if on the loop's integer state",
            POW_BY_SQUARING, _pow_by_squaring, ((1.05, 13), (-0.8, 6), (2.5, 1)), analytic=_pow_grad),
    Program("for_in_for", "scf.for nested in scf.for, nonlinear carried state, sitofp of the IVs",
            FOR_IN_FOR, _for_in_for, ((0.3, -0.4, 4), (1.2, 0.7, 6))),
    Program("while_in_for", "scf.while nested in scf.for, inner trip count set by the outer IV",
            WHILE_IN_FOR, _while_in_for, ((0.8, 4), (-0.6, 3))),
    Program("for_in_while", "scf.for nested in an scf.while whose trip count depends on floats",
            FOR_IN_WHILE, _for_in_while, ((0.5, 0.2), (0.3, 1.0), (-0.2, 2.5))),
    Program("logistic_map", "scf.for with a static-shape recurrence; gradient wrt initial state and rate",
            LOGISTIC_MAP, _logistic_map, ((0.2, 2.8, 30), (0.6, 3.2, 12))),
    Program("horner", "scf.for counting down through sitofp/divf coefficients",
            HORNER, _horner, ((0.7, 8), (-1.3, 5))),
    Program("rotation", "two float iter_args and two float results; loop-invariant sin/cos in the body",
            ROTATION, _rotation, ((1.0, 0.5, 0.3, 7), (-0.4, 2.0, 1.1, 3)), analytic=_rotation_grad),
    Program("inactive_floats", "float values independent of the input (const) mixed with active ones",
            INACTIVE_FLOATS, _inactive_floats, ((0.4, 6), (-1.1, 3))),
    Program("if_in_for_state", "scf.if inside scf.for whose condition depends on the float loop state",
            IF_IN_FOR_STATE, _if_in_for_state, ((0.9, 1.2, 8), (0.2, 0.9, 6))),
    Program("flag_branch", "scf.if on an i1 argument, both sides",
            FLAG_BRANCH, _flag_branch, ((0.5, 1.5, True), (0.5, 1.5, False))),
    Program("while_break", "scf.while exiting on a counter or a float test (break)",
            WHILE_BREAK, _while_break, ((0.3, 50), (0.05, 10))),
    Program("select_in_while", "do-while: value computed in the before region and forwarded; "
            "cmpf-driven select in the body",
            SELECT_IN_WHILE, _select_in_while, ((1.1, 0.5), (1.5, 2.0))),
    Program("execute_region_branches", "scf.execute_region with a cf.cond_br between two yields",
            EXECUTE_REGION_BRANCHES, _execute_region_branches, ((0.3, 0.9), (1.4, 0.2))),
    Program("execute_region_in_loop", "multi-block scf.execute_region inside scf.for",
            EXECUTE_REGION_IN_LOOP, _execute_region_in_loop, ((0.7, 6), (0.4, 5))),
    Program("cf_early_return", "cf loop with an early return from inside the loop body",
            CF_EARLY_RETURN, _cf_early_return, ((1.7, 20), (1.1, 5))),
    Program("cf_loop_break", "cf loop with a break to the exit block, code after the loop",
            CF_LOOP_BREAK, _cf_loop_break, ((0.5, 0.8, 20), (0.2, 0.3, 4))),
    Program("cf_diamond", "two cf.cond_br diamonds merging through block arguments",
            CF_DIAMOND, _cf_diamond, ((0.5, 1.5), (3.0, 1.2), (1.5, 2.0), (0.4, 0.8))),
    Program("cf_nested_loops", "cf loop nested in a cf loop",
            CF_NESTED_LOOPS, _cf_nested_loops, ((0.9, 0.4, 3, 4), (1.05, -0.3, 2, 5))),
    Program("call_in_loop", "a private helper called inside scf.for",
            CALL_IN_LOOP, _call_in_loop, ((0.5, 2.0, 10), (1.3, -0.7, 25))),
    Program("call_twice_activity", "one helper called with (active, const), (const, active), (active, active)",
            CALL_TWICE_ACTIVITY, _call_twice_activity, ((0.7, 3), (-1.1, 2))),
    Program("recursion", "@f calls itself through func.call inside scf.if",
            RECURSION, _recursion, ((1.2, 5), (0.6, 3))),
    Program("newton_sqrt", "Newton's method for sqrt(a) until |y^2 - a| <= 1e-12 a",
            NEWTON_SQRT, _newton_sqrt, ((2.0,), (10.0,), (0.3,)),
            analytic=lambda a: (0.5 / math.sqrt(a),), analytic_rtol=1e-7),
    Program("newton_cbrt_cf", "Newton's method for cbrt(a) written as a cf loop",
            NEWTON_CBRT_CF, _newton_cbrt, ((8.5,), (0.5,), (27.5,)),
            analytic=lambda a: (1.0 / (3.0 * a ** (2.0 / 3.0)),), analytic_rtol=1e-7),
    Program("fixed_point_cos", "x <- cos(x) + a until converged; value computed in the before region",
            FIXED_POINT_COS, _fixed_point_cos, ((0.0,), (0.3,), (-0.2,)),
            analytic=_fixed_point_cos_grad, analytic_rtol=1e-7),
    Program("rk4_oscillator", "RK4 for a damped oscillator; final (x, v) wrt x0, v0 and damping",
            RK4_OSCILLATOR, _rk4_oscillator, ((1.0, 0.5, 0.3, 100), (0.0, 2.0, 0.1, 200))),
    Program("projectile", "projectile with drag integrated by scf.while until y < 0; interpolated range",
            PROJECTILE, _projectile, ((0.7, 12.0), (1.0, 8.0), (0.35, 20.0))),
    Program("arith_basic", "addf subf mulf divf negf, six results",
            ARITH_BASIC, _arith_basic, ((1.5, -0.7), (0.3, 2.2))),
    Program("arith_remf", "remf (fmod) in both arguments",
            ARITH_REMF, _arith_remf, ((5.3, 1.7), (-4.1, 1.5), (2.0, -0.7))),
    Program("arith_minmax", "maximumf minimumf maxnumf minnumf",
            ARITH_MINMAX, _arith_minmax, ((0.4, 1.3), (2.0, -0.5), (-1.2, 0.3))),
    Program("arith_select_cmpf", "select driven by cmpf olt, oge, one, ule, ugt",
            ARITH_SELECT_CMPF, _arith_select_cmpf, ((0.5, 0.9), (1.5, -0.3), (-0.7, 2.0))),
    Program("arith_casts", "truncf f64->f32, extf f32->f64, sitofp i64->f32; f32 and f64 mixed",
            ARITH_CASTS, _arith_casts, ((1.3, 0.7, 2), (-0.6, 1.9, -3)),
            rtol=1e-3, value_rtol=1e-6, twin=ARITH_CASTS_TWIN),
    Program("math_trig", "sin cos tan asin acos atan atan2",
            MATH_TRIG, _math_trig, ((0.7, 0.3), (-1.2, -0.6), (2.5, 0.9))),
    Program("math_hyperbolic", "sinh cosh tanh asinh acosh atanh",
            MATH_HYPERBOLIC, _math_hyperbolic, ((0.8, 0.4), (-1.5, -0.7))),
    Program("math_exp_log", "exp exp2 expm1 log log1p log2 log10",
            MATH_EXP_LOG, _math_exp_log, ((0.5, 1.7), (-2.0, 0.05))),
    Program("math_powers", "sqrt rsqrt cbrt powf fpowi (constant and argument exponents)",
            MATH_POWERS, _math_powers, ((1.3, 2.5, 4), (-0.8, 0.6, -3))),
    Program("math_sign_erf", "absf copysign erf erfc",
            MATH_SIGN_ERF, _math_sign_erf, ((0.6, -1.1), (-0.9, 0.4))),
    Program("math_rounding", "floor ceil round trunc (zero derivative) mixed with smooth terms",
            MATH_ROUNDING, _math_rounding, ((1.3, 2.6), (-0.6, -1.2))),
)


def _f32(program: Program, value_rtol: float = 1e-5) -> Program:
    """The f32 version of an f64 program, with the f64 original as its finite-difference twin."""
    return replace(program, name=program.name + "_f32", covers=program.covers + " (f32)",
                   source=program.source.replace("f64", "f32"), twin=program.source,
                   rtol=1e-3, value_rtol=value_rtol, analytic=None)


_BY_NAME = {p.name: p for p in F64_PROGRAMS}

F32_PROGRAMS: tuple[Program, ...] = (
    _f32(_BY_NAME["pow_while"]),
    _f32(_BY_NAME["arith_basic"]),
    _f32(_BY_NAME["math_trig"]),
    _f32(_BY_NAME["math_exp_log"]),
    _f32(_BY_NAME["call_in_loop"]),
    _f32(_BY_NAME["rk4_oscillator"], value_rtol=1e-4),
)

PROGRAMS: tuple[Program, ...] = F64_PROGRAMS + F32_PROGRAMS
