"""How many cases a dip sample needs, in exact arithmetic: the discovery rule (enough cases
force-wide to see at least one failure if a share fail) and the estimate design (enough cases
in every district to read its compliance to a stated precision).

Every size is worked out in fractions and integers: a setting written 0.07 is 7/100 exactly
(a float's shortest decimal form), so 7% of 100 incidents is 7 failing, never 8 (the float
`0.07 * 100` is 7.000000000000001). The one number that is not rational is the normal
quantile z of the confidence (scipy, to 16 significant digits); its square is then taken
exactly. Rules:

- Discovery: the fewest n such that, drawing without replacement from N incidents of which
  K = ceil(margin * N) (at least 1) fail, the chance of a sample with no failure,
  C(N - K, n) / C(N, n), is at most 1 - confidence (compared in exact fractions).
- Estimate: per district, the Wilson interval of a proportion is widest at 50%, where its
  half-width is z / (2 * sqrt(n + z^2)); it is at most e when n >= n0 = z^2 (1 - 4e^2) / (4e^2)
  (39 cases for +/-15 points at 95%). The finite population correction of a district of N
  incidents (Cochran) gives n = ceil(n0 * N / (n0 + N - 1)), never more than N: a small
  district gives fewer cases, and all of them when it holds fewer than the size needs (at
  least one case from a district with any incident). This n is exactly the fewest cases whose
  Wilson interval, with z^2 scaled by the correction (N - n) / (N - 1), is at most +/-e at 50%.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pandas as pd
from scipy.stats import hypergeom, norm

Number = int | float | Decimal | Fraction | str


def exact(value: Number) -> Fraction:
    """`value` as the exact fraction it is written as: a float by its shortest decimal form
    (0.07 is 7/100), anything else as it is."""
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


def _ceil(value: Fraction) -> int:
    return -((-value.numerator) // value.denominator)


def discovery_size(population: int, *, margin: Number, confidence: Number) -> int:
    """The fewest cases that would show at least one failure, with `confidence`, if `margin`
    of the population failed: found with scipy's hypergeometric chance (floats, fast), then
    settled by the exact chance in fractions at that size and the one below."""
    if population <= 0:
        return 0
    failing = max(1, _ceil(exact(margin) * population))
    allowed = 1 - exact(confidence)

    def enough(n: int) -> bool:  # C(N - K, n) / C(N, n) = perm(N - K, n) / perm(N, n)
        return Fraction(math.perm(population - failing, n), math.perm(population, n)) <= allowed

    low, high = 0, population
    while low < high:  # the chance of no failure falls as the sample grows
        middle = (low + high) // 2
        if hypergeom.pmf(0, population, failing, middle) <= float(allowed):
            high = middle
        else:
            low = middle + 1
    while low < population and not enough(low):
        low += 1
    while low > 0 and enough(low - 1):
        low -= 1
    return low


def z_squared(confidence: Number) -> Fraction:
    """The square of the two-sided normal quantile of `confidence` (1.96^2 at 95%), exactly
    as the float scipy gives."""
    z = norm.ppf(1 - float(1 - exact(confidence)) / 2)
    return Fraction(z) ** 2


def unlimited_size(precision: Number, *, confidence: Number) -> Fraction:
    """n0 = z^2 (1 - 4e^2) / (4e^2): the cases whose Wilson interval is at most +/-e wide
    whatever the share found, from a population too large to correct for."""
    e2 = 4 * exact(precision) ** 2
    return z_squared(confidence) * (1 - e2) / e2


def stratum_size(population: int, *, precision: Number, confidence: Number) -> int:
    """Cases to review in a district of `population` incidents (see the module's rule)."""
    if population <= 0:
        return 0
    n0 = unlimited_size(precision, confidence=confidence)
    return min(population, max(1, _ceil(n0 * population / (n0 + population - 1))))


def stratum_sizes(volumes: pd.Series, *, precision: Number, confidence: Number) -> pd.Series:
    """`stratum_size` of every district (`volumes`: incidents per district)."""
    return pd.Series(
        [stratum_size(int(v), precision=precision, confidence=confidence) for v in volumes],
        index=volumes.index,
        dtype=int,
    )


def widest_half_width(cases: int, population: int, *, confidence: Number) -> float:
    """The widest half-width, in percentage points, of the Wilson interval of `cases` drawn
    from `population` with the finite population correction (z^2 scaled by (N - n)/(N - 1)):
    the precision a design achieves when every case is answered; 0 for a census, missing
    for no case."""
    if cases <= 0:
        return math.nan
    correction = Fraction(population - cases, population - 1) if population > 1 else 0
    z2 = z_squared(confidence) * correction
    return 100 * math.sqrt(z2) / (2 * math.sqrt(cases + z2))
