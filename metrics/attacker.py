"""What an exact attacker can work out about the withheld figures of a table of sums.

The attacker knows every figure shown, every sum (a parent equals the sum of its children)
and that a withheld figure is a whole number of at least 1 (zeros are shown). For one
withheld figure, the least and the greatest value it can take under all of that together is
its range: integer programming (`scipy.optimize.milp`, HiGHS) minimises and then maximises it
subject to every sum at once. A range that is a single value gives the figure away; one
narrower than the small-number threshold says it is small. A range with no upper end
(`math.inf`) says nothing about its size.

Pure: plain values and equations in, ranges out (`metrics.suppression` builds the equations of
a table of areas).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp

LEAST_WITHHELD = 1  # zeros are shown, so a withheld figure is at least 1
OPTIMAL = 0  # milp's status for a solved problem
UNBOUNDED = (3, 4)  # milp's statuses for "unbounded" and "infeasible or unbounded"


@dataclass(frozen=True)
class Range:
    """What the attacker knows of one withheld figure: `low` <= it <= `high` (`high` is
    `math.inf` when nothing bounds it above)."""

    cell: str
    low: int
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass(frozen=True)
class System:
    """The attacker's equations over the withheld figures: `matrix` @ x == `rhs`, x whole
    numbers >= 1. `cells` names the unknowns in column order."""

    cells: tuple[str, ...]
    matrix: np.ndarray
    rhs: np.ndarray


def system(
    values: Mapping[str, float], equations: Sequence[Sequence[str]], hidden: Collection[str]
) -> System:
    """The equations (each `[parent, *children]`: parent = sum of children) with the figures
    shown moved to the right-hand side; an equation with nothing withheld is left out."""
    cells = tuple(c for c in values if c in hidden)
    place = {c: i for i, c in enumerate(cells)}
    rows, rhs = [], []
    for parent, *kids in equations:
        row, known = np.zeros(len(cells)), 0.0
        for cell, sign in [(parent, 1.0)] + [(k, -1.0) for k in kids]:
            if cell in place:
                row[place[cell]] += sign
            else:
                known -= sign * values[cell]
        if row.any():
            rows.append(row)
            rhs.append(known)
    matrix = np.vstack(rows) if rows else np.zeros((0, len(cells)))
    return System(cells=cells, matrix=matrix, rhs=np.array(rhs))


def _solve(equations: System, cell: str, sign: float, *, paired: bool = False) -> OptimizeResult:
    """milp minimising `sign` * `cell` over whole numbers >= 1 meeting the equations. Paired:
    over two independent copies of the unknowns, minimising `cell` in the first copy minus
    `cell` in the second, so that one solve gives both ends of its range."""
    copies = 2 if paired else 1
    size = copies * len(equations.cells)
    objective = np.zeros(size)
    where = equations.cells.index(cell)
    objective[where] = sign
    if paired:
        objective[len(equations.cells) + where] = -sign
    options = {
        "integrality": np.ones(size),
        "bounds": Bounds(np.full(size, LEAST_WITHHELD), np.full(size, np.inf)),
    }
    if len(equations.rhs):
        matrix = np.kron(np.eye(copies), equations.matrix)
        rhs = np.tile(equations.rhs, copies)
        options["constraints"] = LinearConstraint(matrix, rhs, rhs)
    return milp(c=objective, **options)


def cell_range(equations: System, cell: str) -> Range:
    """The least and greatest value of `cell` over every whole-number solution (>= 1): one
    paired solve (least in one copy, greatest in the other), or, when nothing bounds it above
    (the figures shown have a solution, so "infeasible or unbounded" means unbounded), one
    more for the least alone."""
    found = _solve(equations, cell, 1.0, paired=True)
    if found.status == OPTIMAL:
        where = equations.cells.index(cell)
        low, high = found.x[where], found.x[len(equations.cells) + where]
        return Range(cell=cell, low=round(low), high=float(round(high)))
    least = _solve(equations, cell, 1.0)
    if found.status not in UNBOUNDED or least.status != OPTIMAL:
        raise ValueError(f"the figures shown have no solution for {cell!r}: {least.message}")
    return Range(cell=cell, low=round(least.fun), high=math.inf)


def wide_enough(equations: System, cell: str, width: int) -> bool:
    """Whether `cell`'s range is at least `width` wide: as `cell_range`, but without the least
    value when nothing bounds it above, and without solving at all when one sum has no other
    withheld figure (it is then the figure shown in that sum taken from the others)."""
    column = equations.matrix[:, equations.cells.index(cell)]
    alone = (column != 0) & (np.count_nonzero(equations.matrix, axis=1) == 1)
    if alone.any():
        return width <= 0
    found = _solve(equations, cell, 1.0, paired=True)
    if found.status in UNBOUNDED:
        return True
    if found.status != OPTIMAL:
        raise ValueError(f"no range found for {cell!r}: {found.message}")
    return bool(-found.fun >= width)


def ranges(
    values: Mapping[str, float], equations: Sequence[Sequence[str]], hidden: Collection[str]
) -> tuple[Range, ...]:
    """The range of every withheld figure (`hidden`), in the order of `values`."""
    found = system(values, equations, hidden)
    return tuple(cell_range(found, cell) for cell in found.cells)
